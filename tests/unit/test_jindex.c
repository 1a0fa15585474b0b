/* test_jindex.c - the file store's keyless index (src/store/jindex.c): the table on
 * its own (insert, replace, remove, collisions, growth, the offset sort), then the
 * "file:" store built on it against a model of what must be there, through
 * replacements, deletions, transactions, compaction and reopening. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/file.h"
#include "store/jindex.h"
#include "tiergraph/store.h"
#include "tmpdir.h"
#include "util/map.h"

/* ------------------------------------------------------------------ */
/* The table alone: the "journal" is an array of keys, the offset an index into it. */
/* ------------------------------------------------------------------ */

typedef struct keys {
    const char *at[4096]; /* at[off]: the key of the op at offset off */
    int reads;            /* how many times a key was read back */
    int fail;             /* when set, every read fails with this code */
} keys;

static int match(void *ctx, uint64_t off, const char *key, size_t klen)
{
    keys *k = ctx;
    k->reads++;
    if (k->fail) return k->fail;
    return strlen(k->at[off]) == klen && memcmp(k->at[off], key, klen) == 0;
}

/* Put key (as the op at `off`) under hash h: replace or insert. */
static void put(tg__jindex *x, keys *k, uint64_t h, const char *key, uint64_t off)
{
    k->at[off] = key;
    assert_int_equal(tg__jindex_reserve(x, 1), TG_OK);
    size_t slot;
    int found = tg__jindex_find(x, h, key, strlen(key), match, k, &slot);
    assert_true(found >= 0);
    if (found)
        x->slots[slot].off = off;
    else
        tg__jindex_insert(x, slot, h, off);
}

/* The offset of key's op, or 0 when absent. */
static uint64_t get(const tg__jindex *x, keys *k, uint64_t h, const char *key)
{
    size_t slot;
    int found = tg__jindex_find(x, h, key, strlen(key), match, k, &slot);
    assert_true(found >= 0);
    return found ? x->slots[slot].off : 0;
}

static bool del(tg__jindex *x, keys *k, uint64_t h, const char *key)
{
    size_t slot;
    int found = tg__jindex_find(x, h, key, strlen(key), match, k, &slot);
    assert_true(found >= 0);
    if (found) tg__jindex_remove(x, slot);
    return found;
}

static uint64_t H(const char *key)
{
    return tg__jindex_hash(key, strlen(key));
}

static void put_replace_and_delete(void **state)
{
    (void)state;
    tg__jindex x = {0};
    keys k = {0};
    assert_int_equal(get(&x, &k, H("a"), "a"), 0); /* an empty table has nothing */
    put(&x, &k, H("a"), "a", 1);
    put(&x, &k, H("b"), "b", 2);
    assert_int_equal(x.count, 2);
    assert_int_equal(get(&x, &k, H("a"), "a"), 1);
    assert_int_equal(get(&x, &k, H("b"), "b"), 2);
    assert_int_equal(get(&x, &k, H("c"), "c"), 0);
    put(&x, &k, H("a"), "a", 3); /* a later op of the same key replaces it */
    assert_int_equal(x.count, 2);
    assert_int_equal(get(&x, &k, H("a"), "a"), 3);
    assert_true(del(&x, &k, H("a"), "a"));
    assert_false(del(&x, &k, H("a"), "a"));
    assert_int_equal(x.count, 1);
    assert_int_equal(get(&x, &k, H("a"), "a"), 0);
    assert_int_equal(get(&x, &k, H("b"), "b"), 2);
    /* Keys that only start alike, or differ in length, are other keys. */
    put(&x, &k, H("ab"), "ab", 4);
    assert_int_equal(get(&x, &k, H("b"), "b"), 2);
    assert_int_equal(get(&x, &k, H("ab"), "ab"), 4);
    assert_int_not_equal(H("ab"), H("ab\x01"));
    tg__jindex_free(&x);
    assert_null(x.slots);
}

static void colliding_hashes_are_told_apart_by_the_key(void **state)
{
    (void)state;
    tg__jindex x = {0};
    keys k = {0};
    /* Every key under one hash: one cluster, each told apart by reading its key. */
    static const char *names[] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"};
    for (uint64_t i = 0; i < 10; i++) put(&x, &k, 42, names[i], i + 1);
    for (uint64_t i = 0; i < 10; i++) assert_int_equal(get(&x, &k, 42, names[i]), i + 1);
    assert_int_equal(get(&x, &k, 42, "k10"), 0);
    /* A different hash never reads a key. */
    k.reads = 0;
    assert_int_equal(get(&x, &k, 43, "k1"), 0);
    assert_int_equal(k.reads, 0);
    /* Take out every other one: the rest of the cluster stays reachable. */
    for (int i = 0; i < 10; i += 2) assert_true(del(&x, &k, 42, names[i]));
    for (uint64_t i = 0; i < 10; i++) assert_int_equal(get(&x, &k, 42, names[i]), i % 2 ? i + 1 : 0);
    assert_int_equal(x.count, 5);
    /* slot_of finds a slot by its offset alone, without reading a key. */
    k.reads = 0;
    assert_int_equal(x.slots[tg__jindex_slot_of(&x, 42, 4)].off, 4);
    assert_int_equal(k.reads, 0);
    tg__jindex_free(&x);
}

static void a_failed_read_is_returned(void **state)
{
    (void)state;
    tg__jindex x = {0};
    keys k = {0};
    put(&x, &k, 7, "a", 1);
    k.fail = TG_EIO;
    size_t slot;
    assert_int_equal(tg__jindex_find(&x, 7, "a", 1, match, &k, &slot), TG_EIO);
    assert_int_equal(tg__jindex_find(&x, 8, "a", 1, match, &k, &slot), 0); /* no read, no failure */
    tg__jindex_free(&x);
}

static void removal_across_the_end_of_the_table(void **state)
{
    (void)state;
    tg__jindex x = {0};
    keys k = {0};
    assert_int_equal(tg__jindex_reserve(&x, 1), TG_OK);
    size_t cap = x.cap, last = cap - 1;
    /* A cluster that wraps: homes last, last, 0, last. */
    static const char *names[] = {"w0", "w1", "w2", "w3"};
    uint64_t homes[] = {last, last, 0, last};
    for (int i = 0; i < 4; i++) put(&x, &k, homes[i] + cap * (uint64_t)(i + 1), names[i], (uint64_t)i + 1);
    assert_int_equal(x.cap, cap); /* no growth: the homes stay put */
    for (int i = 0; i < 4; i++) {
        assert_true(del(&x, &k, homes[i] + cap * (uint64_t)(i + 1), names[i]));
        for (int j = i + 1; j < 4; j++)
            assert_int_equal(get(&x, &k, homes[j] + cap * (uint64_t)(j + 1), names[j]), (uint64_t)j + 1);
    }
    assert_int_equal(x.count, 0);
    for (size_t i = 0; i < x.cap; i++) assert_int_equal(x.slots[i].off, 0);
    tg__jindex_free(&x);
}

static void growth_keeps_every_entry(void **state)
{
    (void)state;
    tg__jindex x = {0};
    keys k = {0};
    static char names[3000][8];
    for (int i = 0; i < 3000; i++) {
        snprintf(names[i], sizeof(names[i]), "n%d", i);
        put(&x, &k, H(names[i]), names[i], (uint64_t)i + 1);
        assert_true(x.count * 4 <= x.cap * 3);
    }
    assert_int_equal(x.count, 3000);
    for (int i = 0; i < 3000; i++) assert_int_equal(get(&x, &k, H(names[i]), names[i]), (uint64_t)i + 1);
    /* After a reserve, inserts need no more room. */
    size_t cap = x.cap;
    assert_int_equal(tg__jindex_reserve(&x, 100), TG_OK);
    assert_true(x.cap >= cap);
    tg__jindex_free(&x);
}

static void offsets_sort_ascending(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *a = malloc(N * sizeof(*a)), *tmp = malloc(N * sizeof(*tmp));
    uint64_t seed = 1;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        /* offsets of every size, up to far past 4 GiB, some repeated */
        a[i] = (seed >> (i % 40)) | 1;
    }
    a[7] = a[8];
    uint64_t sum = 0;
    for (int i = 0; i < N; i++) sum += a[i];
    tg__jindex_sort_offsets(a, tmp, N);
    for (int i = 1; i < N; i++) assert_true(a[i - 1] <= a[i]);
    for (int i = 0; i < N; i++) sum -= a[i];
    assert_int_equal(sum, 0); /* the same values */
    tg__jindex_sort_offsets(a, tmp, 0);
    uint64_t one = 5;
    tg__jindex_sort_offsets(&one, tmp, 1);
    assert_int_equal(one, 5);
    free(a);
    free(tmp);
}

/* ------------------------------------------------------------------ */
/* The file store on it, against a model                               */
/* ------------------------------------------------------------------ */

typedef struct model {
    tg__map map; /* key -> value (both owned) */
} model;

/* The model's own copy of key, or NULL. */
static char *owned_key(const model *m, const char *key)
{
    for (size_t i = 0; i < m->map.cap; i++)
        if (m->map.slots[i].key && strcmp(m->map.slots[i].key, key) == 0)
            return (char *)m->map.slots[i].key;
    return NULL;
}

static void model_put(model *m, const char *key, const char *val)
{
    char *owned = owned_key(m, key);
    if (!owned) {
        assert_int_equal(tg__map_reserve(&m->map, 1), TG_OK);
        owned = strdup(key);
    }
    free(tg__map_put(&m->map, owned, strdup(val)));
}

static void model_del(model *m, const char *key)
{
    char *owned = owned_key(m, key);
    if (!owned) return;
    free(tg__map_del(&m->map, key));
    free(owned);
}

static void model_free(model *m)
{
    for (size_t i = 0; i < m->map.cap; i++) {
        if (!m->map.slots[i].key) continue;
        free((char *)m->map.slots[i].key);
        free(m->map.slots[i].value);
    }
    tg__map_free(&m->map);
}

typedef struct loaded {
    const model *m;
    size_t n;
} loaded;

static int TG_CALLBACK check_one(void *ctx, const char *key, size_t klen, const void *val,
                                 size_t vlen)
{
    loaded *l = ctx;
    assert_int_equal(strlen(key), klen);
    const char *want = tg__map_get(&l->m->map, key);
    if (!want) fail_msg("loaded '%s', which is not live", key);
    assert_int_equal(vlen, strlen(want));
    assert_memory_equal(val, want, vlen);
    l->n++;
    return 0;
}

/* The store holds exactly the model: each live key once, with its last value. */
static void assert_holds(tg_store *s, const model *m)
{
    loaded l = {m, 0};
    assert_int_equal(s->load(s, check_one, &l), TG_OK);
    assert_int_equal(l.n, m->map.count);
    int64_t records = -1;
    assert_int_equal(s->stat(s, TG_STAT_RECORDS, &records), TG_OK);
    assert_int_equal(records, (int64_t)m->map.count);
}

/* A scratch journal, the model of what it must hold, and the store open on it. */
typedef struct store_ctx {
    char *dir;
    char path[4096];
    model m;
    tg_store *s;
} store_ctx;

static int store_setup(void **state)
{
    store_ctx *c = calloc(1, sizeof(*c));
    c->dir = tmpdir_new();
    snprintf(c->path, sizeof(c->path), "%s", tmpdir_path(c->dir, "j.tg"));
    *state = c;
    return 0;
}

static int store_teardown(void **state)
{
    store_ctx *c = *state;
    if (c->s) c->s->free(c->s);
    model_free(&c->m);
    tmpdir_remove(c->dir);
    free(c);
    return 0;
}

/* (Re)open the store, compacting journals of at least `compact_min` bytes, and
 * check that the index it rebuilt from the journal holds the model. */
static tg_store *reopen(store_ctx *c, uint64_t compact_min)
{
    if (c->s) c->s->free(c->s);
    assert_int_equal(tg_store_file_new(&c->s, c->path), TG_OK);
    tg__file_store_set_compact_min(c->s, compact_min);
    assert_holds(c->s, &c->m);
    return c->s;
}

/* One commit of one put (or, when val is NULL, delete), in the store and the model. */
static void write_one(store_ctx *c, const char *key, const char *val)
{
    tg_store *s = c->s;
    assert_int_equal(s->begin(s), TG_OK);
    if (val)
        assert_int_equal(s->put(s, key, strlen(key), val, strlen(val)), TG_OK);
    else
        assert_int_equal(s->del(s, key, strlen(key)), TG_OK);
    assert_int_equal(s->commit(s), TG_OK);
    if (val)
        model_put(&c->m, key, val);
    else
        model_del(&c->m, key);
}

/* A deterministic mix of puts and deletes over a few hundred keys: new keys,
 * replacements, deletions of live and absent keys, the same key twice in one
 * transaction, and rolled-back transactions. */
static void churn(tg_store *s, model *m, uint64_t *seed, int txns)
{
    for (int t = 0; t < txns; t++) {
        assert_int_equal(s->begin(s), TG_OK);
        bool rollback = (*seed >> 60) == 0;
        int ops = 1 + (int)((*seed >> 20) % 6);
        char (*keys)[32] = calloc((size_t)ops, 32);
        bool *dels = calloc((size_t)ops, sizeof(bool));
        char (*vals)[64] = calloc((size_t)ops, 64);
        for (int i = 0; i < ops; i++) {
            *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
            snprintf(keys[i], 32, "customer/%03u", (unsigned)((*seed >> 33) % 300));
            dels[i] = (*seed >> 13) % 4 == 0;
            snprintf(vals[i], 64, "{\"v\":%llu}", (unsigned long long)(*seed >> 40));
            if (dels[i])
                assert_int_equal(s->del(s, keys[i], strlen(keys[i])), TG_OK);
            else
                assert_int_equal(s->put(s, keys[i], strlen(keys[i]), vals[i], strlen(vals[i])), TG_OK);
        }
        if (rollback) {
            assert_int_equal(s->rollback(s), TG_OK);
        } else {
            assert_int_equal(s->commit(s), TG_OK);
            for (int i = 0; i < ops; i++) {
                if (dels[i])
                    model_del(m, keys[i]);
                else
                    model_put(m, keys[i], vals[i]);
            }
        }
        free(keys);
        free(dels);
        free(vals);
    }
}

/* One transaction's ops on one key, in order: 'p' put, 'd' delete. */
static void same_key_ops(tg_store *s, model *m, const char *key, const char *ops)
{
    char val[32];
    assert_int_equal(s->begin(s), TG_OK);
    for (const char *o = ops; *o; o++) {
        snprintf(val, sizeof(val), "{\"%s\":%d}", ops, (int)(o - ops));
        if (*o == 'p')
            assert_int_equal(s->put(s, key, strlen(key), val, strlen(val)), TG_OK);
        else
            assert_int_equal(s->del(s, key, strlen(key)), TG_OK);
    }
    assert_int_equal(s->commit(s), TG_OK);
    for (const char *o = ops; *o; o++) {
        snprintf(val, sizeof(val), "{\"%s\":%d}", ops, (int)(o - ops));
        if (*o == 'p')
            model_put(m, key, val);
        else
            model_del(m, key);
    }
}

static void a_key_written_twice_in_one_transaction(void **state)
{
    store_ctx *c = *state;
    tg_store *s = reopen(c, UINT64_MAX);
    /* Each sequence on a new key, then on a live one, then after it was deleted. */
    static const char *seqs[] = {"pp", "pd", "dp", "dd", "pdp", "dpd", "ppd", "p"};
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
        char key[32];
        snprintf(key, sizeof(key), "partner/%zu", i);
        same_key_ops(s, &c->m, key, seqs[i]);
        assert_holds(s, &c->m);
        same_key_ops(s, &c->m, key, "p");
        same_key_ops(s, &c->m, key, seqs[i]);
        assert_holds(s, &c->m);
        same_key_ops(s, &c->m, key, "d");
        same_key_ops(s, &c->m, key, seqs[i]);
        assert_holds(s, &c->m);
    }
    reopen(c, UINT64_MAX);
}

static void the_store_holds_the_last_write_of_each_key(void **state)
{
    store_ctx *c = *state;
    uint64_t seed = 99;
    churn(reopen(c, UINT64_MAX), &c->m, &seed, 400); /* no compaction */
    assert_holds(c->s, &c->m);
    /* Keys written before the reopening are read back through its mapping. */
    churn(reopen(c, UINT64_MAX), &c->m, &seed, 200);
    assert_holds(c->s, &c->m);
    reopen(c, UINT64_MAX);
}

static void compaction_keeps_the_index_right(void **state)
{
    store_ctx *c = *state;
    uint64_t seed = 7;
    tg_store *s = reopen(c, 0); /* compact after every commit */
    for (int round = 0; round < 20; round++) {
        churn(s, &c->m, &seed, 10);
        assert_holds(s, &c->m); /* offsets moved by each compaction still point right */
    }
    int64_t compactions = 0, bytes = 0;
    assert_int_equal(s->stat(s, TG_STAT_COMPACTIONS, &compactions), TG_OK);
    assert_true(compactions > 0);
    assert_int_equal(s->stat(s, TG_STAT_STORE_BYTES, &bytes), TG_OK);
    struct stat st;
    assert_int_equal(stat(c->path, &st), 0);
    assert_int_equal(bytes, st.st_size);
    reopen(c, 0);
}

/* More than 64 MiB written after the store was opened: its mapping of the journal
 * is outgrown and made again, and the pages read through it are dropped on the
 * way. Keys written before, across and after are replaced and deleted. */
static void the_mapping_follows_a_growing_journal(void **state)
{
    store_ctx *c = *state;
    tg_store *s = reopen(c, UINT64_MAX);
    assert_int_equal(s->set_option(s, TG_OPT_DURABILITY, TG_DURABILITY_OFF), TG_OK);
    enum { BIG = 1 << 20 };
    char *big = malloc(BIG + 1), key[32];
    for (int i = 0; i < 90; i++) { /* 90 MiB: past the mapping's 64 MiB of room */
        memset(big, 'a' + i % 26, BIG);
        big[BIG] = '\0';
        snprintf(key, sizeof(key), "blob/%d", i % 7);
        write_one(c, key, big);
        snprintf(key, sizeof(key), "small/%d", i);
        write_one(c, key, "{}");
        snprintf(key, sizeof(key), "small/%d", i - 2);
        if (i % 3 == 2) write_one(c, key, NULL);
    }
    free(big);
    assert_holds(s, &c->m);
    reopen(c, UINT64_MAX);
}

typedef struct order {
    char last[64];
    size_t n;
} order;

static int TG_CALLBACK in_order(void *ctx, const char *key, size_t klen, const void *val,
                                size_t vlen)
{
    order *o = ctx;
    (void)klen, (void)val, (void)vlen;
    /* The keys were first written in ascending order and each replaced later in
     * descending order: the journal order is the replacements', descending. */
    if (o->n) assert_true(strcmp(key, o->last) < 0);
    snprintf(o->last, sizeof(o->last), "%s", key);
    o->n++;
    return 0;
}

static void load_emits_in_journal_order(void **state)
{
    store_ctx *c = *state;
    tg_store *s = reopen(c, UINT64_MAX);
    char key[32];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 200; i++) {
            snprintf(key, sizeof(key), "user/%04d", pass == 0 ? i : 199 - i);
            write_one(c, key, "{}");
        }
    }
    order o = {{0}, 0};
    assert_int_equal(s->load(s, in_order, &o), TG_OK);
    assert_int_equal(o.n, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_replace_and_delete),
        cmocka_unit_test(colliding_hashes_are_told_apart_by_the_key),
        cmocka_unit_test(a_failed_read_is_returned),
        cmocka_unit_test(removal_across_the_end_of_the_table),
        cmocka_unit_test(growth_keeps_every_entry),
        cmocka_unit_test(offsets_sort_ascending),
        cmocka_unit_test_setup_teardown(a_key_written_twice_in_one_transaction, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(the_store_holds_the_last_write_of_each_key, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(compaction_keeps_the_index_right, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(load_emits_in_journal_order, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(the_mapping_follows_a_growing_journal, store_setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
