/* test_store.c - the storage layer: a conformance suite every backend passes, the
 * vtable checks, the mem backend's own rules, and the fault-injection wrapper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault_store.h"
#include "store/store.h"
#include "tiergraph/store.h"
#include "util/map.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Backends under test: add one line per backend.                      */
/* ------------------------------------------------------------------ */

typedef struct backend {
    const char *name;
    /* A store on `path`: a name in a fresh temporary directory, not yet a file.
     * A backend that keeps nothing ignores it. */
    int (*open)(tg_store **out, const char *path);
    /* What was committed survives free and a new open on the same path; when
     * false, the new store must be empty. */
    bool durable;
} backend;

static int open_mem(tg_store **out, const char *path)
{
    (void)path;
    return tg_store_mem_new(out);
}

static const backend backends[] = {
    {"mem", open_mem, false},
    {"file", tg_store_file_new, true},
#ifdef TG_WITH_SQLITE
    {"sqlite", tg_store_sqlite_new, true},
#endif
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* What a load saw: key -> seen_record, plus the number of emit calls. */
typedef struct seen_record {
    int times;
    size_t vlen;
    unsigned char *val;
    char key[];
} seen_record;

typedef struct seen {
    tg__map map;
    size_t emits;
    size_t stop_after; /* when non-zero, return 42 from the emit that reaches this count */
} seen;

static int TG_CALLBACK collect(void *ctx, const char *key, size_t klen, const void *val,
                               size_t vlen)
{
    seen *s = ctx;
    s->emits++;
    assert_true(strlen(key) == klen); /* keys arrive NUL-terminated, no NUL inside */
    seen_record *r = tg__map_get(&s->map, key);
    if (r) {
        r->times++;
    } else {
        assert_int_equal(tg__map_reserve(&s->map, 1), TG_OK);
        r = malloc(sizeof(*r) + klen + 1);
        assert_non_null(r);
        memcpy(r->key, key, klen + 1);
        r->times = 1;
        r->vlen = vlen;
        r->val = malloc(vlen ? vlen : 1);
        assert_non_null(r->val);
        if (vlen) memcpy(r->val, val, vlen);
        tg__map_put(&s->map, r->key, r);
    }
    if (s->stop_after && s->emits == s->stop_after) return 42;
    return 0;
}

static int free_seen_record(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    seen_record *r = value;
    free(r->val);
    free(r);
    return 0;
}

static void seen_free(seen *s)
{
    tg__map_each(&s->map, free_seen_record, NULL);
    tg__map_free(&s->map);
}

/* Load everything into a fresh `seen`. */
static seen load_all(tg_store *st)
{
    seen s = {0};
    assert_int_equal(st->load(st, collect, &s), TG_OK);
    return s;
}

static int put_str(tg_store *st, const char *key, const char *val)
{
    return st->put(st, key, strlen(key), val, strlen(val));
}

static int del_str(tg_store *st, const char *key)
{
    return st->del(st, key, strlen(key));
}

/* The loaded value of key equals the string val (NULL: key absent). */
static void assert_value(const seen *s, const char *key, const char *val)
{
    seen_record *r = tg__map_get(&s->map, key);
    if (!val) {
        assert_null(r);
        return;
    }
    assert_non_null(r);
    assert_int_equal(r->times, 1);
    assert_int_equal(r->vlen, strlen(val));
    assert_memory_equal(r->val, val, r->vlen);
}

/* Commit key=val in one transaction. */
static void commit_one(tg_store *st, const char *key, const char *val)
{
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(put_str(st, key, val), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
}

/* ------------------------------------------------------------------ */
/* Conformance: state is the backend before setup, a conformance after. */
/* ------------------------------------------------------------------ */

/* One test's store, on a path of its own in a temporary directory. */
typedef struct conformance {
    const backend *b;
    char dir[64];
    char path[96];
    tg_store *st;
} conformance;

static tg_store *store_of(void **state)
{
    return ((conformance *)*state)->st;
}

static int conformance_setup(void **state)
{
    conformance *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    c->b = *state;
    snprintf(c->dir, sizeof(c->dir), "/tmp/tg-store-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    snprintf(c->path, sizeof(c->path), "%s/store", c->dir);
    assert_int_equal(c->b->open(&c->st, c->path), TG_OK);
    assert_non_null(c->st);
    assert_int_equal(tg__store_validate(c->st), TG_OK);
    *state = c;
    return 0;
}

/* Free the store (when open) and remove its directory with whatever it holds. */
static int conformance_teardown(void **state)
{
    conformance *c = *state;
    if (c->st && c->st->free) c->st->free(c->st);
    DIR *d = opendir(c->dir);
    assert_non_null(d);
    char name[sizeof(c->dir) + 256 + 2];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(name, sizeof(name), "%s/%s", c->dir, e->d_name);
        assert_int_equal(unlink(name), 0);
    }
    closedir(d);
    assert_int_equal(rmdir(c->dir), 0);
    free(c);
    return 0;
}

/* Free the store and open a new one on the same path. */
static tg_store *reopen(void **state)
{
    conformance *c = *state;
    if (c->st->free) c->st->free(c->st);
    c->st = NULL;
    assert_int_equal(c->b->open(&c->st, c->path), TG_OK);
    assert_int_equal(tg__store_validate(c->st), TG_OK);
    return c->st;
}

/* After a reopen: a durable backend loads exactly the `n` pairs of `kv`; one that
 * keeps nothing loads nothing. */
static void assert_reopened_with(void **state, const char *const *kv, size_t n)
{
    conformance *c = *state;
    seen s = load_all(c->st);
    if (!c->b->durable) {
        assert_int_equal(s.emits, 0);
    } else {
        assert_int_equal(s.emits, n);
        for (size_t i = 0; i < n; i++) assert_value(&s, kv[2 * i], kv[2 * i + 1]);
    }
    seen_free(&s);
}

static void test_put_commit_load(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "partner/1", "{\"name\":\"Contoso\"}");
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "partner/1", "{\"name\":\"Contoso\"}");
    seen_free(&s);
}

static void test_empty_store_loads_nothing(void **state)
{
    tg_store *st = store_of(state);
    seen s = load_all(st);
    assert_int_equal(s.emits, 0);
    seen_free(&s);
}

static void test_overwrite(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "k", "first");
    commit_one(st, "k", "second, longer value");
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "k", "second, longer value");
    seen_free(&s);
}

static void test_last_write_in_transaction_wins(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "gone", "x");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(put_str(st, "k", "1"), TG_OK);
    assert_int_equal(put_str(st, "k", "2"), TG_OK);
    assert_int_equal(put_str(st, "put-then-del", "x"), TG_OK);
    assert_int_equal(del_str(st, "put-then-del"), TG_OK);
    assert_int_equal(del_str(st, "gone"), TG_OK);
    assert_int_equal(put_str(st, "gone", "back"), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 2);
    assert_value(&s, "k", "2");
    assert_value(&s, "put-then-del", NULL);
    assert_value(&s, "gone", "back");
    seen_free(&s);
}

static void test_delete(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "a", "1");
    commit_one(st, "b", "2");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(del_str(st, "a"), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "a", NULL);
    assert_value(&s, "b", "2");
    seen_free(&s);
}

static void test_delete_absent_key(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "a", "1");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(del_str(st, "never-written"), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "a", "1");
    seen_free(&s);
}

static void test_rollback_discards(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "kept", "1");
    commit_one(st, "changed", "old");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(put_str(st, "new", "x"), TG_OK);
    assert_int_equal(put_str(st, "changed", "new"), TG_OK);
    assert_int_equal(del_str(st, "kept"), TG_OK);
    assert_int_equal(st->rollback(st), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 2);
    assert_value(&s, "kept", "1");
    assert_value(&s, "changed", "old");
    assert_value(&s, "new", NULL);
    seen_free(&s);

    /* The store is usable after a rollback. */
    commit_one(st, "after", "y");
    s = load_all(st);
    assert_int_equal(s.emits, 3);
    assert_value(&s, "after", "y");
    seen_free(&s);
}

static void test_nothing_visible_before_commit(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "a", "1");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(put_str(st, "b", "2"), TG_OK);
    assert_int_equal(put_str(st, "a", "changed"), TG_OK);
    assert_int_equal(del_str(st, "a"), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "a", "1");
    assert_value(&s, "b", NULL);
    seen_free(&s);
    assert_int_equal(st->commit(st), TG_OK);
    s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "b", "2");
    seen_free(&s);
}

static void test_large_value_with_nul_bytes(void **state)
{
    tg_store *st = store_of(state);
    size_t n = 1024 * 1024;
    unsigned char *val = malloc(n);
    assert_non_null(val);
    for (size_t i = 0; i < n; i++) val[i] = (unsigned char)(i * 31 + (i >> 8)); /* many zeros */
    val[0] = 0;
    val[n - 1] = 0;
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(st->put(st, "big", 3, val, n), TG_OK);
    assert_int_equal(st->put(st, "empty", 5, NULL, 0), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 2);
    seen_record *r = tg__map_get(&s.map, "big");
    assert_non_null(r);
    assert_int_equal(r->vlen, n);
    assert_memory_equal(r->val, val, n);
    r = tg__map_get(&s.map, "empty");
    assert_non_null(r);
    assert_int_equal(r->vlen, 0);
    seen_free(&s);
    free(val);
}

static void test_many_records_loaded_once(void **state)
{
    tg_store *st = store_of(state);
    enum { N = 10000 };
    char key[32], val[32];
    /* Written over several transactions, with some overwrites and deletes. */
    for (int t = 0; t < 10; t++) {
        assert_int_equal(st->begin(st), TG_OK);
        for (int i = t * (N / 10); i < (t + 1) * (N / 10); i++) {
            snprintf(key, sizeof(key), "rec/%05d", i);
            snprintf(val, sizeof(val), "v%d", i);
            assert_int_equal(put_str(st, key, val), TG_OK);
        }
        assert_int_equal(st->commit(st), TG_OK);
    }
    assert_int_equal(st->begin(st), TG_OK);
    for (int i = 0; i < N; i += 7) {
        snprintf(key, sizeof(key), "rec/%05d", i);
        assert_int_equal(del_str(st, key), TG_OK);
        assert_int_equal(put_str(st, key, "again"), TG_OK);
    }
    assert_int_equal(st->commit(st), TG_OK);

    seen s = load_all(st);
    assert_int_equal(s.emits, N);
    assert_int_equal(s.map.count, N);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof(key), "rec/%05d", i);
        snprintf(val, sizeof(val), "v%d", i);
        assert_value(&s, key, i % 7 ? val : "again");
    }
    seen_free(&s);

    /* Delete them all in one transaction. */
    assert_int_equal(st->begin(st), TG_OK);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof(key), "rec/%05d", i);
        assert_int_equal(del_str(st, key), TG_OK);
    }
    assert_int_equal(st->commit(st), TG_OK);
    s = load_all(st);
    assert_int_equal(s.emits, 0);
    seen_free(&s);
}

static void test_load_stops_on_emit_return(void **state)
{
    tg_store *st = store_of(state);
    assert_int_equal(st->begin(st), TG_OK);
    for (int i = 0; i < 10; i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal(put_str(st, key, "v"), TG_OK);
    }
    assert_int_equal(st->commit(st), TG_OK);
    seen s = {0};
    s.stop_after = 3;
    assert_int_equal(st->load(st, collect, &s), 42);
    assert_int_equal(s.emits, 3);
    seen_free(&s);
}

static void test_reopen_keeps_committed(void **state)
{
    tg_store *st = store_of(state);
    commit_one(st, "a", "1");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(put_str(st, "b", "2"), TG_OK);
    assert_int_equal(put_str(st, "c", "3"), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    commit_one(st, "b", "2, overwritten");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(del_str(st, "c"), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);

    st = reopen(state);
    static const char *const after_first[] = {"a", "1", "b", "2, overwritten"};
    assert_reopened_with(state, after_first, 2);

    /* The reopened store takes writes, and they survive the next reopen too. */
    commit_one(st, "d", "4");
    reopen(state);
    static const char *const after_second[] = {"a", "1", "b", "2, overwritten", "d", "4"};
    assert_reopened_with(state, after_second, 3);
}

/* Neither a rolled-back transaction nor one still open at free reaches the next store. */
static void test_reopen_drops_uncommitted(void **state)
{
    static const char *const kv[] = {"kept", "1"};
    tg_store *st = store_of(state);
    commit_one(st, "kept", "1");
    for (int left_open = 0; left_open < 2; left_open++) {
        assert_int_equal(st->begin(st), TG_OK);
        assert_int_equal(put_str(st, "new", "x"), TG_OK);
        assert_int_equal(put_str(st, "kept", "changed"), TG_OK);
        assert_int_equal(del_str(st, "kept"), TG_OK);
        if (!left_open) assert_int_equal(st->rollback(st), TG_OK);
        st = reopen(state); /* frees the store, the second time with the transaction open */
        assert_reopened_with(state, kv, 1);
    }
}

/* Misuse of the transaction calls is TG_ERROR and changes nothing. */
static void test_transaction_state(void **state)
{
    tg_store *st = store_of(state);
    assert_int_equal(put_str(st, "k", "v"), TG_ERROR);
    assert_int_equal(del_str(st, "k"), TG_ERROR);
    assert_int_equal(st->commit(st), TG_ERROR);
    assert_int_equal(st->rollback(st), TG_OK); /* nothing open: a no-op */
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(st->begin(st), TG_ERROR);
    assert_non_null(strstr(tg_error_message(), "begin"));
    assert_int_equal(put_str(st, "k", "v"), TG_OK); /* still open after the refused begin */
    assert_int_equal(st->commit(st), TG_OK);
    assert_int_equal(put_str(st, "k2", "v"), TG_ERROR); /* commit closed it */
    assert_int_equal(st->rollback(st), TG_OK);          /* after a commit: a no-op too */
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "k", "v");
    seen_free(&s);
}

static void test_refuses_bad_keys(void **state)
{
    tg_store *st = store_of(state);
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(st->put(st, "a\0b", 3, "v", 1), TG_EINVAL);
    assert_int_equal(st->del(st, "a\0b", 3), TG_EINVAL);
    assert_int_equal(st->put(st, NULL, 1, "v", 1), TG_EINVAL);
    assert_int_equal(st->put(st, "k", 1, NULL, 1), TG_EINVAL);
    /* klen is honoured: only "ab" of "abc" is the key. */
    assert_int_equal(st->put(st, "abc", 2, "v", 1), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "ab", "v");
    seen_free(&s);
}

static const struct CMUnitTest conformance_tests[] = {
    cmocka_unit_test(test_put_commit_load),
    cmocka_unit_test(test_empty_store_loads_nothing),
    cmocka_unit_test(test_overwrite),
    cmocka_unit_test(test_last_write_in_transaction_wins),
    cmocka_unit_test(test_delete),
    cmocka_unit_test(test_delete_absent_key),
    cmocka_unit_test(test_rollback_discards),
    cmocka_unit_test(test_nothing_visible_before_commit),
    cmocka_unit_test(test_large_value_with_nul_bytes),
    cmocka_unit_test(test_many_records_loaded_once),
    cmocka_unit_test(test_load_stops_on_emit_return),
    cmocka_unit_test(test_reopen_keeps_committed),
    cmocka_unit_test(test_reopen_drops_uncommitted),
    cmocka_unit_test(test_transaction_state),
    cmocka_unit_test(test_refuses_bad_keys),
};

/* Run every conformance test against one backend, as the group "conformance/<name>". */
static int run_conformance(const backend *b)
{
    struct CMUnitTest tests[ARRAY_LEN(conformance_tests)];
    for (size_t i = 0; i < ARRAY_LEN(tests); i++) {
        tests[i] = conformance_tests[i];
        tests[i].setup_func = conformance_setup;
        tests[i].teardown_func = conformance_teardown;
        tests[i].initial_state = (void *)b;
    }
    char name[64];
    snprintf(name, sizeof(name), "conformance/%s", b->name);
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Vtable checks                                                       */
/* ------------------------------------------------------------------ */

static int TG_CALLBACK stub_load(tg_store *s, tg_store_emit e, void *c)
{
    (void)s, (void)e, (void)c;
    return 0;
}
static int TG_CALLBACK stub_op(tg_store *s)
{
    (void)s;
    return 0;
}
static int TG_CALLBACK stub_put(tg_store *s, const char *k, size_t kl, const void *v, size_t vl)
{
    (void)s, (void)k, (void)kl, (void)v, (void)vl;
    return 0;
}
static int TG_CALLBACK stub_del(tg_store *s, const char *k, size_t kl)
{
    (void)s, (void)k, (void)kl;
    return 0;
}

static tg_store stub_store(void)
{
    tg_store s = TG_STORE_INIT;
    s.load = stub_load;
    s.begin = stub_op;
    s.put = stub_put;
    s.del = stub_del;
    s.commit = stub_op;
    s.rollback = stub_op;
    return s; /* free stays NULL: optional */
}

static void test_validate_accepts_complete_store(void **state)
{
    (void)state;
    tg_store s = stub_store();
    assert_null(s.free);
    assert_int_equal(tg__store_validate(&s), TG_OK);
}

static void test_validate_accepts_newer_version(void **state)
{
    (void)state;
    tg_store s = stub_store();
    s.version = TG_STORE_VERSION + 1;
    assert_int_equal(tg__store_validate(&s), TG_OK);
}

static void test_validate_refuses_null(void **state)
{
    (void)state;
    assert_int_equal(tg__store_validate(NULL), TG_EINVAL);
}

static void test_validate_refuses_version_0(void **state)
{
    (void)state;
    tg_store s = stub_store();
    s.version = 0;
    assert_int_equal(tg__store_validate(&s), TG_EVERSION);
    assert_non_null(strstr(tg_error_message(), "version 0"));

    tg_store zeroed = {0}; /* the mistake version 0 exists to catch */
    assert_int_equal(tg__store_validate(&zeroed), TG_EVERSION);
}

static void test_validate_refuses_each_missing_slot(void **state)
{
    (void)state;
    static const char *const slots[] = {"load", "begin", "put", "del", "commit", "rollback"};
    for (size_t i = 0; i < ARRAY_LEN(slots); i++) {
        tg_store s = stub_store();
        switch (i) {
        case 0: s.load = NULL; break;
        case 1: s.begin = NULL; break;
        case 2: s.put = NULL; break;
        case 3: s.del = NULL; break;
        case 4: s.commit = NULL; break;
        case 5: s.rollback = NULL; break;
        }
        assert_int_equal(tg__store_validate(&s), TG_EINVAL);
        char quoted[32];
        snprintf(quoted, sizeof(quoted), "'%s'", slots[i]);
        if (!strstr(tg_error_message(), quoted))
            fail_msg("message for slot %s does not name it: %s", slots[i], tg_error_message());
    }
}

static void test_store_init(void **state)
{
    (void)state;
    tg_store s;
    memset(&s, 0xab, sizeof(s));
    assert_int_equal(tg_store_init(&s, TG_STORE_VERSION), TG_OK);
    assert_int_equal(s.version, TG_STORE_VERSION);
    assert_null(s.load);
    assert_null(s.begin);
    assert_null(s.put);
    assert_null(s.del);
    assert_null(s.commit);
    assert_null(s.rollback);
    assert_null(s.free);

    assert_int_equal(tg_store_init(NULL, TG_STORE_VERSION), TG_EINVAL);
    assert_int_equal(tg_store_init(&s, 0), TG_EVERSION);
    assert_int_equal(tg_store_init(&s, TG_STORE_VERSION + 1), TG_EVERSION);
    assert_int_equal(s.version, TG_STORE_VERSION); /* refused: untouched */
}

static void test_store_init_macro(void **state)
{
    (void)state;
    tg_store s = TG_STORE_INIT;
    assert_int_equal(s.version, TG_STORE_VERSION);
    assert_null(s.load);
    assert_null(s.free);
}

/* ------------------------------------------------------------------ */
/* The mem backend's own rules                                         */
/* ------------------------------------------------------------------ */

static void test_mem_new_refuses_null(void **state)
{
    (void)state;
    assert_int_equal(tg_store_mem_new(NULL), TG_EINVAL);
}

static void test_mem_free_with_open_transaction(void **state)
{
    (void)state;
    tg_store *st = NULL;
    assert_int_equal(tg_store_mem_new(&st), TG_OK);
    commit_one(st, "a", "1");
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(put_str(st, "b", "2"), TG_OK);
    assert_int_equal(del_str(st, "a"), TG_OK);
    st->free(st); /* the sanitizer checks nothing leaks */
}

#ifndef TG_WITH_SQLITE
/* Built without SQLite, "sqlite:" says so instead of failing some other way. */
static void test_sqlite_absent_is_eversion(void **state)
{
    (void)state;
    tg_store *st = (tg_store *)1;
    assert_int_equal(tg_store_sqlite_new(&st, "/tmp/never-created.db"), TG_EVERSION);
    assert_null(st);
    assert_non_null(strstr(tg_error_message(), "TG_WITH_SQLITE=OFF"));
    tg_graph *g = (tg_graph *)1;
    assert_int_equal(tg_graph_open(&g, "sqlite:/tmp/never-created.db"), TG_EVERSION);
    assert_null(g);
    assert_int_equal(access("/tmp/never-created.db", F_OK), -1);
}
#endif

/* ------------------------------------------------------------------ */
/* The fault store                                                     */
/* ------------------------------------------------------------------ */

/* A fault store over a mem store holding a=1. */
static tg_store *fault_over_mem(void)
{
    tg_store *inner = NULL;
    assert_int_equal(tg_store_mem_new(&inner), TG_OK);
    commit_one(inner, "a", "1");
    tg_store *fs = fault_store_new(inner);
    assert_non_null(fs);
    assert_int_equal(tg__store_validate(fs), TG_OK);
    return fs;
}

static void assert_only_a(tg_store *st)
{
    seen s = load_all(st);
    assert_int_equal(s.emits, 1);
    assert_value(&s, "a", "1");
    seen_free(&s);
}

static void test_fault_nth_put_fails(void **state)
{
    (void)state;
    tg_store *fs = fault_over_mem();
    fault_store_fail_put(fs, 3);
    assert_int_equal(fs->begin(fs), TG_OK);
    assert_int_equal(put_str(fs, "b", "2"), TG_OK);
    assert_int_equal(del_str(fs, "a"), TG_OK); /* dels do not count towards n */
    assert_int_equal(put_str(fs, "c", "3"), TG_OK);
    assert_int_equal(put_str(fs, "d", "4"), TG_EIO);
    assert_non_null(strstr(tg_error_message(), "injected"));
    assert_int_equal(fault_store_puts(fs), 2);
    assert_int_equal(fs->rollback(fs), TG_OK);
    assert_only_a(fs);

    /* One-shot: the next transaction goes through. */
    assert_int_equal(fs->begin(fs), TG_OK);
    assert_int_equal(put_str(fs, "d", "4"), TG_OK);
    assert_int_equal(put_str(fs, "e", "5"), TG_OK);
    assert_int_equal(put_str(fs, "f", "6"), TG_OK);
    assert_int_equal(fs->commit(fs), TG_OK);
    seen s = load_all(fs);
    assert_int_equal(s.emits, 4);
    seen_free(&s);
    fs->free(fs);
}

static void test_fault_first_put_and_disable(void **state)
{
    (void)state;
    tg_store *fs = fault_over_mem();
    fault_store_fail_put(fs, 1);
    assert_int_equal(fs->begin(fs), TG_OK);
    assert_int_equal(put_str(fs, "b", "2"), TG_EIO);
    assert_int_equal(fs->rollback(fs), TG_OK);
    assert_only_a(fs);

    fault_store_fail_put(fs, 1);
    fault_store_fail_put(fs, 0); /* disabled again */
    commit_one(fs, "b", "2");
    assert_int_equal(fault_store_puts(fs), 1);
    fs->free(fs);
}

static void test_fault_commit_leaves_inner_unchanged(void **state)
{
    (void)state;
    tg_store *fs = fault_over_mem();
    fault_store_fail_commit(fs, 1);
    assert_int_equal(fs->begin(fs), TG_OK);
    assert_int_equal(put_str(fs, "b", "2"), TG_OK);
    assert_int_equal(put_str(fs, "a", "changed"), TG_OK);
    assert_int_equal(del_str(fs, "a"), TG_OK);
    assert_int_equal(fs->commit(fs), TG_EIO);
    assert_int_equal(fault_store_commits(fs), 0);
    assert_int_equal(fs->rollback(fs), TG_OK);
    assert_only_a(fs);

    fault_store_fail_commit(fs, 0);
    commit_one(fs, "b", "2");
    assert_int_equal(fault_store_commits(fs), 1);
    fs->free(fs);
}

static void test_fault_begin_and_load(void **state)
{
    (void)state;
    tg_store *fs = fault_over_mem();
    fault_store_fail_begin(fs, 1);
    assert_int_equal(fs->begin(fs), TG_EIO);
    assert_int_equal(fs->rollback(fs), TG_OK); /* the core may roll back after a failed begin */
    assert_int_equal(fs->begin(fs), TG_EIO);   /* stays on until turned off */
    fault_store_fail_begin(fs, 0);
    assert_int_equal(fs->begin(fs), TG_OK);    /* the inner store was never begun */
    assert_int_equal(fs->rollback(fs), TG_OK);

    fault_store_fail_load(fs, 1);
    seen s = {0};
    assert_int_equal(fs->load(fs, collect, &s), TG_EIO);
    assert_int_equal(s.emits, 0);
    seen_free(&s);
    fault_store_fail_load(fs, 0);
    assert_only_a(fs);
    fs->free(fs);
}

static void test_fault_counters(void **state)
{
    (void)state;
    tg_store *fs = fault_over_mem();
    assert_int_equal(fault_store_puts(fs), 0);
    assert_int_equal(fault_store_dels(fs), 0);
    assert_int_equal(fault_store_commits(fs), 0);
    assert_int_equal(fs->begin(fs), TG_OK);
    assert_int_equal(put_str(fs, "b", "2"), TG_OK);
    assert_int_equal(put_str(fs, "c", "3"), TG_OK);
    assert_int_equal(del_str(fs, "a"), TG_OK);
    assert_int_equal(fs->commit(fs), TG_OK);
    assert_int_equal(fs->begin(fs), TG_OK);
    assert_int_equal(put_str(fs, "d", "4"), TG_OK);
    assert_int_equal(fs->rollback(fs), TG_OK);
    assert_int_equal(fault_store_puts(fs), 3);
    assert_int_equal(fault_store_dels(fs), 1);
    assert_int_equal(fault_store_commits(fs), 1);
    /* Refused by the inner store: not counted. */
    assert_int_equal(put_str(fs, "e", "5"), TG_ERROR);
    assert_int_equal(fault_store_puts(fs), 3);
    fs->free(fs);
}

static void test_fault_new_refuses_null(void **state)
{
    (void)state;
    assert_null(fault_store_new(NULL));
}

int main(void)
{
    int failed = 0;
    for (size_t i = 0; i < ARRAY_LEN(backends); i++) failed += run_conformance(&backends[i]);

    const struct CMUnitTest vtable_tests[] = {
        cmocka_unit_test(test_validate_accepts_complete_store),
        cmocka_unit_test(test_validate_accepts_newer_version),
        cmocka_unit_test(test_validate_refuses_null),
        cmocka_unit_test(test_validate_refuses_version_0),
        cmocka_unit_test(test_validate_refuses_each_missing_slot),
        cmocka_unit_test(test_store_init),
        cmocka_unit_test(test_store_init_macro),
    };
    failed += cmocka_run_group_tests_name("vtable", vtable_tests, NULL, NULL);

    const struct CMUnitTest mem_tests[] = {
        cmocka_unit_test(test_mem_new_refuses_null),
        cmocka_unit_test(test_mem_free_with_open_transaction),
#ifndef TG_WITH_SQLITE
        cmocka_unit_test(test_sqlite_absent_is_eversion),
#endif
    };
    failed += cmocka_run_group_tests_name("mem", mem_tests, NULL, NULL);

    const struct CMUnitTest fault_tests[] = {
        cmocka_unit_test(test_fault_nth_put_fails),
        cmocka_unit_test(test_fault_first_put_and_disable),
        cmocka_unit_test(test_fault_commit_leaves_inner_unchanged),
        cmocka_unit_test(test_fault_begin_and_load),
        cmocka_unit_test(test_fault_counters),
        cmocka_unit_test(test_fault_new_refuses_null),
    };
    failed += cmocka_run_group_tests_name("fault_store", fault_tests, NULL, NULL);
    return failed ? 1 : 0;
}
