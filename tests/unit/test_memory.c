/* test_memory.c - the tables' memory: the string pool (src/util/intern.h) and the
 * packed entities that share its strings (one copy per distinct string, counted,
 * gone with its last record; two packed records naming the same partner hold the
 * same pointer), the arena their blocks come from (src/util/arena.h), and the
 * multimaps' entries, whose first items live in the entry itself (src/util/map.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/entity.h"
#include "core/graph.h"
#include "core/rules.h"
#include "util/arena.h"
#include "util/intern.h"
#include "util/map.h"
#include "util/str.h"

#define P1 "11111111-1111-4111-8111-111111111111"
#define P2 "22222222-2222-4222-8222-222222222222"
#define C1 "33333333-3333-4333-8333-333333333333"

static void equal_strings_share_one_counted_copy(void **state)
{
    (void)state;
    tg__intern pool = {0};
    tg__arena arena = {0};
    char a[] = P1, b[] = P1;
    const char *x = tg__intern_ref(&pool, &arena, a), *y = tg__intern_ref(&pool, &arena, b);
    assert_non_null(x);
    assert_ptr_equal(x, y);
    assert_ptr_not_equal(x, a);
    assert_string_equal(x, P1);
    const char *z = tg__intern_ref(&pool, &arena, P2);
    assert_ptr_not_equal(x, z);
    assert_int_equal(tg__intern_count(&pool), 2);
    tg__intern_unref(x);
    assert_int_equal(tg__intern_count(&pool), 2); /* y still holds it */
    assert_string_equal(y, P1);
    tg__intern_unref(y);
    assert_int_equal(tg__intern_count(&pool), 1);
    tg__intern_unref(z);
    tg__intern_unref(NULL);
    assert_int_equal(tg__intern_count(&pool), 0);
    assert_int_equal(arena.in_use, 0); /* the strings were blocks of the arena, given back */
    tg__intern_free(&pool);
    tg__arena_release(&arena);
}

/* Many strings (the table grows), removed in an order that moves clusters
 * (backward-shift deletion): every one stays findable until given back. */
static void growth_and_removal_keep_every_string(void **state)
{
    (void)state;
    enum { N = 5000 };
    tg__intern pool = {0};
    tg__arena arena = {0};
    const char **ref = calloc(N, sizeof(*ref));
    assert_non_null(ref);
    char s[32];
    for (int i = 0; i < N; i++) {
        snprintf(s, sizeof(s), "tenant-%d", i);
        assert_non_null(ref[i] = tg__intern_ref(&pool, &arena, s));
    }
    assert_int_equal(tg__intern_count(&pool), N);
    for (int i = 0; i < N; i += 3) tg__intern_unref(ref[i]);
    for (int i = 0; i < N; i++) {
        snprintf(s, sizeof(s), "tenant-%d", i);
        const char *again = tg__intern_ref(&pool, &arena, s);
        if (i % 3) assert_ptr_equal(again, ref[i]); /* still pooled: the same copy */
        assert_string_equal(again, s);
        tg__intern_unref(again);
    }
    for (int i = 0; i < N; i++)
        if (i % 3) tg__intern_unref(ref[i]);
    assert_int_equal(tg__intern_count(&pool), 0);
    assert_int_equal(arena.in_use, 0);
    tg__intern_free(&pool);
    tg__arena_release(&arena);
    free(ref);
}

static tg__customer *customer(const char *id, const char *seller, const char *reseller)
{
    tg__customer *c = tg__entity_new(TG__CUSTOMER);
    assert_non_null(c);
    c->id = strdup(id);
    c->domain = strdup("contoso.onmicrosoft.com");
    c->company = strdup("Contoso");
    c->country = strdup("US");
    c->culture = strdup("en-US");
    c->language = strdup("en");
    c->seller = strdup(seller);
    c->reseller = reseller ? strdup(reseller) : NULL;
    assert_int_equal(tg__strv_add(&c->dap, seller), TG_OK);
    if (reseller) assert_int_equal(tg__strv_add(&c->dap, reseller), TG_OK);
    return c;
}

static tg__partner *partner(const char *tenant, tg_partner_kind kind)
{
    tg__partner *p = tg__entity_new(TG__PARTNER);
    assert_non_null(p);
    p->tenant = strdup(tenant);
    p->kind = kind;
    p->partner_id = strdup("1234567");
    p->name = strdup("Fabrikam");
    p->domain = strdup("fabrikam.com");
    p->country = strdup("US");
    return p;
}

/* Packing puts the partners a record names into the pool: records naming the
 * same partner share the pointer, the record's own strings stay in it, and the
 * decisions read the same whether the records are packed or not. */
static void packed_entities_name_partners_by_pointer(void **state)
{
    (void)state;
    tg__intern pool = {0};
    tg__arena arena = {0};
    tg__partner *seller = partner(P1, TG_PARTNER_INDIRECT_PROVIDER);
    tg__partner *other = partner(P2, TG_PARTNER_INDIRECT_RESELLER);
    tg__customer *c = customer(C1, P1, P2);
    tg__partner *ps = tg__entity_pack(&pool, &arena, TG__PARTNER, seller);
    tg__partner *po = tg__entity_pack(&pool, &arena, TG__PARTNER, other);
    tg__customer *pc = tg__entity_pack(&pool, &arena, TG__CUSTOMER, c);
    assert_non_null(ps);
    assert_non_null(po);
    assert_non_null(pc);
    assert_true(ps->packed && pc->packed && !c->packed);
    assert_ptr_equal(pc->seller, ps->tenant);
    assert_ptr_equal(pc->dap.v[0], ps->tenant);
    assert_ptr_equal(pc->reseller, po->tenant);
    assert_ptr_equal(pc->country, ps->country);
    assert_string_equal(pc->id, C1);
    assert_string_equal(pc->company, "Contoso");
    /* The id is the record's own, right after its struct. */
    assert_true((const char *)pc->id > (const char *)pc && (const char *)pc->id < (const char *)pc + 512);
    /* P1, P2, "1234567", "US", "en-US", "en": one copy each. */
    assert_int_equal(tg__intern_count(&pool), 6);
    /* Visibility by pointer (packed) and by text (not packed) agree. */
    assert_true(tg__customer_visible(NULL, ps, pc));
    assert_true(tg__customer_visible(NULL, po, pc));
    assert_true(tg__customer_visible(NULL, seller, c));
    assert_true(tg__customer_visible(NULL, ps, c));
    tg__customer *alone = customer(C1, P2, NULL);
    tg__customer *palone = tg__entity_pack(&pool, &arena, TG__CUSTOMER, alone);
    assert_false(tg__customer_visible(NULL, ps, palone));
    assert_false(tg__customer_visible(NULL, seller, alone));
    assert_true(tg__customer_visible(NULL, po, palone));
    /* A clone is unpacked, with its own strings. */
    tg__customer *clone = tg__entity_clone(TG__CUSTOMER, pc);
    assert_false(clone->packed);
    assert_ptr_not_equal(clone->seller, pc->seller);
    assert_string_equal(clone->seller, P1);
    tg__entity_free(TG__CUSTOMER, clone);
    /* Freeing packed entities gives their strings back; the pool empties. */
    tg__entity_free(TG__CUSTOMER, pc);
    tg__entity_free(TG__CUSTOMER, palone);
    assert_int_equal(tg__intern_count(&pool), 4); /* the partners still name P1, P2, their PartnerID and country */
    tg__entity_free(TG__PARTNER, ps);
    tg__entity_free(TG__PARTNER, po);
    assert_int_equal(tg__intern_count(&pool), 0);
    assert_int_equal(arena.in_use, 0);
    tg__arena_release(&arena);
    tg__intern_free(&pool);
    tg__entity_free(TG__PARTNER, seller);
    tg__entity_free(TG__PARTNER, other);
    tg__entity_free(TG__CUSTOMER, c);
    tg__entity_free(TG__CUSTOMER, alone);
}

/* Closing tables gives their packed entities and pooled strings back with the
 * arena's chunks, not one by one; what lives outside the chunks (a record or a
 * pooled string too large for a block, from malloc) is still freed: the ASan
 * build's leak check fails this test otherwise. */
static void closing_tables_frees_what_the_arena_does_not_hold(void **state)
{
    (void)state;
    tg__tables t;
    tg__tables_init(&t);
    tg__partner *big = partner(P1, TG_PARTNER_INDIRECT_PROVIDER);
    char tenant[64];
    for (int i = 0; i < 150; i++) { /* 150 ids of 36 bytes: a record of over 4 KiB */
        snprintf(tenant, sizeof(tenant), "00000000-0000-4000-8000-%012d", i);
        assert_int_equal(tg__strv_add(&big->tenants, tenant), TG_OK);
    }
    tg__partner *small = partner(P2, TG_PARTNER_INDIRECT_RESELLER);
    free(small->country); /* a pooled string too large for a block */
    small->country = malloc(TG__ARENA_MAX_BLOCK + 100);
    assert_non_null(small->country);
    memset(small->country, 'x', TG__ARENA_MAX_BLOCK + 99);
    small->country[TG__ARENA_MAX_BLOCK + 99] = 0;
    tg__partner *pbig = tg__entity_pack(&t.pool, &t.arena, TG__PARTNER, big);
    tg__partner *psmall = tg__entity_pack(&t.pool, &t.arena, TG__PARTNER, small);
    assert_non_null(pbig);
    assert_non_null(psmall);
    assert_false(tg__entity_in_arena(TG__PARTNER, pbig));
    assert_true(tg__entity_in_arena(TG__PARTNER, psmall));
    assert_false(tg__entity_in_arena(TG__PARTNER, big)); /* not packed */
    assert_int_equal(tg__map_reserve(&t.by_id[TG__PARTNER], 2), TG_OK);
    tg__map_put(&t.by_id[TG__PARTNER], pbig->tenant, pbig);
    tg__map_put(&t.by_id[TG__PARTNER], psmall->tenant, psmall);
    tg__tables_free(&t);
    tg__entity_free(TG__PARTNER, big);
    tg__entity_free(TG__PARTNER, small);
}

/* Blocks of a size class are reused once freed; blocks are 8-byte aligned and
 * distinct; large ones come from malloc; the count of bytes in use follows. */
/* A moved arena's blocks free into it, where it now is (its chunks name it). */
static void a_moved_arena_gets_its_blocks_back(void **state)
{
    (void)state;
    tg__arena here = {0}, there = {0};
    void *p = tg__arena_alloc(&here, 64), *q = tg__arena_alloc(&here, 64);
    assert_non_null(p);
    assert_non_null(q);
    tg__arena_move(&there, &here);
    assert_null(here.chunks);
    assert_int_equal(here.in_use, 0);
    assert_int_equal(there.in_use, 128);
    tg__arena_free(p, 64);
    assert_int_equal(there.in_use, 64);
    assert_int_equal(here.in_use, 0);
    assert_ptr_equal(tg__arena_alloc(&there, 64), p); /* from there's free list */
    tg__arena_free(p, 64);
    tg__arena_free(q, 64);
    assert_int_equal(there.in_use, 0);
    tg__arena_release(&there);
    tg__arena_release(&here); /* empty: nothing to do */
}

static void arena_reuses_freed_blocks_of_a_size_class(void **state)
{
    (void)state;
    tg__arena a = {0};
    enum { N = 40000 }; /* more than one 2 MiB chunk of 100-byte blocks */
    char **b = calloc(N, sizeof(*b));
    assert_non_null(b);
    for (int i = 0; i < N; i++) {
        assert_non_null(b[i] = tg__arena_alloc(&a, 100));
        assert_int_equal((uintptr_t)b[i] % 8, 0);
        memset(b[i], i & 0xff, 100);
    }
    assert_int_equal(a.in_use, (size_t)N * 104);
    for (int i = 0; i < N; i++) assert_int_equal((unsigned char)b[i][99], i & 0xff);
    void *freed = b[7];
    tg__arena_free(b[7], 100);
    assert_int_equal(a.in_use, (size_t)(N - 1) * 104);
    assert_ptr_equal(tg__arena_alloc(&a, 97), freed); /* same class: 97..104 bytes */
    void *other = tg__arena_alloc(&a, 200);
    assert_ptr_not_equal(other, freed);
    char *big = tg__arena_alloc(&a, TG__ARENA_MAX_BLOCK + 1);
    assert_non_null(big);
    memset(big, 1, TG__ARENA_MAX_BLOCK + 1);
    tg__arena_free(big, TG__ARENA_MAX_BLOCK + 1);
    tg__arena_free(NULL, 100);
    tg__arena_release(&a);
    assert_null(a.chunks);
    assert_int_equal(a.in_use, 0);
    free(b);
}

/* Blocks of SIZE bytes up to `upto` in all, each filled with its number's low byte. */
enum { SIZE = 1000, PER_CHUNK = ((2 << 20) - 16) / SIZE }; /* 2 097 a 2 MiB chunk */
static void alloc_upto(tg__arena *a, char **b, int *n, int upto)
{
    for (; *n < upto; (*n)++) {
        assert_non_null(b[*n] = tg__arena_alloc(a, SIZE));
        memset(b[*n], *n & 0xff, SIZE);
    }
}

static size_t fill_all(tg__chunk_stock *s)
{
    size_t filled = 0;
    while (tg__chunk_stock_fill(s)) filled++;
    return filled;
}

/* A stock of chunks faulted in ahead (arena.h; an open fills one on its indexing
 * thread) serves an arena's new chunks first, holds one more chunk than arenas
 * took (a small graph gets no more than it needs) and 8 at most, and unmaps what
 * no arena took; when it is empty the arena maps chunks itself. */
static void an_arena_takes_new_chunks_from_its_stock_first(void **state)
{
    (void)state;
    tg__chunk_stock *s = tg__chunk_stock_new();
    assert_non_null(s);
    assert_int_equal(fill_all(s), 1); /* none taken yet: one ahead */
    tg__arena a = {.stock = s};
    char **b = calloc(PER_CHUNK * 20, sizeof(*b));
    assert_non_null(b);
    int n = 0;
    alloc_upto(&a, b, &n, PER_CHUNK * 3); /* the stock's chunk, then two of its own */
    assert_int_equal(tg__chunk_stock_size(s), 0);
    assert_int_equal(fill_all(s), 2); /* one taken: two ahead */
    alloc_upto(&a, b, &n, PER_CHUNK * 5);
    assert_int_equal(tg__chunk_stock_size(s), 0);
    assert_int_equal(fill_all(s), 4); /* three taken */
    alloc_upto(&a, b, &n, PER_CHUNK * 9);
    assert_int_equal(fill_all(s), 8); /* seven taken: eight, the most a stock holds */
    tg__arena_free(b[10], SIZE); /* a block of a stocked chunk finds its arena */
    assert_ptr_equal(tg__arena_alloc(&a, SIZE), b[10]);
    memset(b[10], 10, SIZE);
    alloc_upto(&a, b, &n, PER_CHUNK * 19); /* the stock's eight, then two of its own */
    assert_int_equal(tg__chunk_stock_size(s), 0);
    for (int i = 0; i < n; i++) { /* no chunk served twice */
        assert_int_equal((unsigned char)b[i][0], i & 0xff);
        assert_int_equal((unsigned char)b[i][SIZE - 1], i & 0xff);
    }
    tg__arena_release(&a);
    assert_true(tg__chunk_stock_fill(s)); /* freed with a chunk no arena took */
    tg__chunk_stock_free(s);
    tg__chunk_stock_free(NULL);
    free(b);
}

static void huge_arrays_come_zeroed(void **state)
{
    (void)state;
    size_t sizes[] = {10, 1u << 16, 3u << 20}; /* malloc'd, and on huge pages */
    for (size_t k = 0; k < 3; k++) {
        unsigned char *p = tg__huge_calloc(sizes[k], 8);
        assert_non_null(p);
        for (size_t i = 0; i < sizes[k] * 8; i += 4093) assert_int_equal(p[i], 0);
        assert_int_equal(p[sizes[k] * 8 - 1], 0);
        memset(p, 0xab, sizes[k] * 8);
        tg__huge_free(p, sizes[k], 8);
    }
    assert_null(tg__huge_calloc(SIZE_MAX / 4, 8)); /* n * size overflows */
}

/* A multimap key's items, in the entry while four fit, then in a block of the
 * arena as they grow, stay in order through growth and removal; the arena gets
 * every block back (ASan: no item read from a block given back). */
static void multimap_items_move_out_of_their_entry_as_they_grow(void **state)
{
    (void)state;
    tg__arena a = {0};
    tg__map m = {0};
    static int item[40];
    assert_int_equal(tg__multi_reserve(&m, &a, "few", 3), TG_OK);
    for (int i = 0; i < 3; i++) tg__multi_add(&m, "few", &item[i]);
    const size_t entry_only = a.in_use; /* the items are in the entry: no block of theirs */
    for (int i = 0; i < 40; i++) {
        assert_int_equal(tg__multi_reserve(&m, &a, "many", 1), TG_OK);
        tg__multi_add(&m, "many", &item[i]);
        if (i == 3) assert_int_equal(a.in_use, 2 * entry_only); /* four: still inline */
    }
    assert_true(a.in_use > 2 * entry_only);
    const tg__vec *few = tg__multi_get(&m, "few"), *many = tg__multi_get(&m, "many");
    assert_int_equal(few->len, 3);
    for (int i = 0; i < 3; i++) assert_ptr_equal(few->items[i], &item[i]);
    assert_int_equal(many->len, 40);
    for (int i = 0; i < 40; i += 2) tg__multi_remove(&m, "many", &item[i]);
    assert_int_equal(many->len, 20);
    for (int i = 0; i < 20; i++) assert_ptr_equal(many->items[i], &item[2 * i + 1]);
    tg__multi_remove(&m, "few", &item[1]);
    assert_ptr_equal(few->items[1], &item[2]);
    assert_null(tg__multi_get(&m, "none"));
    tg__multi_free(&m);
    assert_int_equal(a.in_use, 0);
    tg__arena_release(&a);
}

/* The one-lookup forms an open indexes with: tg__map_put_new leaves a key's value
 * alone and returns it; tg__multi_reserve_entry makes a key's entry once, and
 * its items are the ones tg__multi_get finds. */
static void one_lookup_puts_keep_what_is_there(void **state)
{
    (void)state;
    tg__map m = {0};
    static int x, y;
    assert_int_equal(tg__map_reserve(&m, 1), TG_OK);
    assert_null(tg__map_put_new(&m, "k", tg__hash("k"), &x));
    assert_int_equal(tg__map_reserve(&m, 1), TG_OK);
    assert_ptr_equal(tg__map_put_new(&m, "k", tg__hash("k"), &y), &x);
    assert_ptr_equal(tg__map_get(&m, "k"), &x);
    assert_int_equal(m.count, 1);
    tg__map_free(&m);

    tg__arena a = {0};
    static int item[6];
    tg__multi_entry *e = NULL;
    for (int i = 0; i < 6; i++) { /* past the entry's own four */
        tg__multi_entry *again = tg__multi_reserve_entry(&m, &a, "key", tg__hash("key"), 1);
        assert_non_null(again);
        if (e) assert_ptr_equal(again, e);
        e = again;
        tg__multi_entry_add(&m, e, &item[i]);
    }
    assert_int_equal(m.count, 1);
    const tg__vec *v = tg__multi_get(&m, "key");
    assert_int_equal(v->len, 6);
    for (int i = 0; i < 6; i++) assert_ptr_equal(v->items[i], &item[i]);
    assert_int_equal(tg__multi_count(&m), 6);
    tg__multi_free(&m);
    tg__arena_release(&a);
}

/* A multimap that keeps its items' ids (id_of): every item's id packed beside it,
 * in the items' order through growth and removal; ids that do not pack (upper
 * case, not a GUID, the all-f GUID) have the mark that sends a list to the
 * record; the arena gets every block back. */
typedef struct named {
    const char *id;
} named;

static const char *id_of_named(const void *item)
{
    return ((const named *)item)->id;
}

static void a_multimap_keeps_its_items_ids_beside_them(void **state)
{
    (void)state;
    tg__arena a = {0};
    tg__map m = {.id_of = id_of_named};
    static named item[40];
    static char text[40][40];
    for (int i = 0; i < 40; i++) {
        snprintf(text[i], sizeof(text[i]), "%08x-0000-4000-8000-%012x", 0xa0b1c2d3u + (unsigned)i,
                 (unsigned)i * 7919u);
        item[i].id = text[i];
    }
    item[5].id = "A0B1C2D8-0000-4000-8000-000000009AFB"; /* upper case */
    item[6].id = "not-a-guid";
    item[7].id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    for (int i = 0; i < 40; i++) {
        tg__multi_entry *e = tg__multi_reserve_entry(&m, &a, "r", tg__hash("r"), 1);
        assert_non_null(e);
        tg__multi_entry_add(&m, e, &item[i]);
    }
    const tg__vec *v = tg__multi_get(&m, "r");
    const tg__guid_bytes *g = tg__multi_guids(&m, v);
    assert_non_null(g);
    assert_int_equal(v->len, 40);
    char back[TG__GUID_TEXT];
    for (int i = 0; i < 40; i++) {
        assert_ptr_equal(v->items[i], &item[i]);
        if (i >= 5 && i <= 7) {
            assert_false(tg__guid_is_packed(g[i]));
            continue;
        }
        assert_true(tg__guid_is_packed(g[i]));
        tg__guid_unpack(g[i], back);
        assert_string_equal(back, item[i].id);
    }
    for (int i = 0; i < 40; i += 2) tg__multi_remove(&m, "r", &item[i]);
    g = tg__multi_guids(&m, v);
    assert_int_equal(v->len, 20);
    for (int i = 0; i < 20; i++) {
        const named *n = v->items[i];
        assert_ptr_equal(n, &item[2 * i + 1]);
        if (n == &item[5] || n == &item[7]) {
            assert_false(tg__guid_is_packed(g[i]));
            continue;
        }
        tg__guid_unpack(g[i], back);
        assert_string_equal(back, n->id);
    }
    /* What tg_graph_verify asks: the kept ids are the items' ids, until one changes. */
    assert_null(tg__multi_guids_stale(&m));
    assert_int_equal(tg__multi_reserve(&m, &a, "s", 1), TG_OK);
    tg__multi_add(&m, "s", &item[0]);
    assert_null(tg__multi_guids_stale(&m));
    item[0].id = text[1];
    const char *stale = tg__multi_guids_stale(&m);
    assert_non_null(stale);
    assert_string_equal(stale, "s");
    item[0].id = text[0];
    item[7].id = "ffffffff-ffff-ffff-ffff-fffffffffffe"; /* kept as the mark; would pack now */
    stale = tg__multi_guids_stale(&m);
    assert_non_null(stale);
    assert_string_equal(stale, "r");
    item[7].id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    assert_null(tg__multi_guids_stale(&m));
    tg__multi_free(&m);
    assert_int_equal(a.in_use, 0);
    assert_ptr_equal(m.id_of, id_of_named); /* still a multimap that keeps ids */
    tg__arena_release(&a);

    tg__map plain = {0};
    assert_int_equal(tg__multi_reserve(&plain, &a, "r", 1), TG_OK);
    tg__multi_add(&plain, "r", &item[0]);
    assert_null(tg__multi_guids(&plain, tg__multi_get(&plain, "r")));
    assert_null(tg__multi_guids_stale(&plain)); /* keeps none */
    tg__multi_free(&plain);
    tg__arena_release(&a);
}

/* tg__multi_move: every list, with its ids, in blocks of its own size in the new
 * arena; the old arena gets every block back; the moved lists grow as before. */
static void multimaps_move_into_blocks_of_their_size(void **state)
{
    (void)state;
    tg__arena from = {0}, to = {0};
    tg__map plain = {0}, ids = {.id_of = id_of_named};
    static named item[40];
    static char text[40][40];
    for (int i = 0; i < 40; i++) {
        snprintf(text[i], sizeof(text[i]), "%08x-1111-4000-8000-%012x", (unsigned)i, (unsigned)i);
        item[i].id = text[i];
    }
    item[3].id = "NOT-A-GUID";
    for (int i = 0; i < 40; i++) {
        assert_int_equal(tg__multi_reserve(&plain, &from, "many", 1), TG_OK);
        tg__multi_add(&plain, "many", &item[i]);
        assert_int_equal(tg__multi_reserve(&ids, &from, "r", 1), TG_OK);
        tg__multi_add(&ids, "r", &item[i]);
    }
    assert_int_equal(tg__multi_reserve(&plain, &from, "few", 3), TG_OK);
    for (int i = 0; i < 3; i++) tg__multi_add(&plain, "few", &item[i]);
    assert_int_equal(tg__multi_reserve(&ids, &from, "emptied", 1), TG_OK);
    tg__multi_add(&ids, "emptied", &item[0]);
    tg__multi_remove(&ids, "emptied", &item[0]);
    tg__multi_remove(&ids, "r", &item[7]);
    const size_t grown = from.in_use;

    tg__map *maps[] = {&plain, &ids};
    assert_int_equal(tg__multi_move(maps, 2, &to), TG_OK);
    assert_int_equal(from.in_use, 0); /* every entry and block given back */
    assert_true(to.in_use < grown);   /* no room beyond the items */
    const tg__vec *many = tg__multi_get(&plain, "many"), *few = tg__multi_get(&plain, "few");
    const tg__vec *r = tg__multi_get(&ids, "r"), *emptied = tg__multi_get(&ids, "emptied");
    assert_int_equal(many->len, 40);
    assert_int_equal(many->cap, 40);
    for (int i = 0; i < 40; i++) assert_ptr_equal(many->items[i], &item[i]);
    assert_int_equal(few->len, 3);
    for (int i = 0; i < 3; i++) assert_ptr_equal(few->items[i], &item[i]);
    assert_non_null(emptied);
    assert_int_equal(emptied->len, 0);
    assert_null(tg__multi_guids(&ids, emptied));
    assert_int_equal(r->len, 39);
    assert_int_equal(r->cap, 39);
    const tg__guid_bytes *g = tg__multi_guids(&ids, r);
    char back[TG__GUID_TEXT];
    for (int i = 0; i < 39; i++) {
        const named *n = r->items[i];
        assert_ptr_equal(n, &item[i < 7 ? i : i + 1]);
        if (n == &item[3]) {
            assert_false(tg__guid_is_packed(g[i]));
            continue;
        }
        tg__guid_unpack(g[i], back);
        assert_string_equal(back, n->id);
    }
    /* Moved lists grow and shrink as any. */
    assert_int_equal(tg__multi_reserve(&ids, &to, "r", 1), TG_OK);
    tg__multi_add(&ids, "r", &item[7]);
    assert_int_equal(tg__multi_reserve(&ids, &to, "emptied", 1), TG_OK);
    tg__multi_add(&ids, "emptied", &item[9]);
    r = tg__multi_get(&ids, "r");
    emptied = tg__multi_get(&ids, "emptied");
    g = tg__multi_guids(&ids, r);
    assert_int_equal(r->len, 40);
    assert_ptr_equal(r->items[39], &item[7]);
    tg__guid_unpack(g[39], back);
    assert_string_equal(back, item[7].id);
    tg__guid_unpack(tg__multi_guids(&ids, emptied)[0], back);
    assert_string_equal(back, item[9].id);
    tg__multi_free(&plain);
    tg__multi_free(&ids);
    assert_int_equal(to.in_use, 0);
    tg__arena_release(&from);
    tg__arena_release(&to);
}

/* tg__multi_move is all or nothing: when a block cannot be had (the address space
 * limited, in a child process), every multimap stays as it was, and so do both
 * arenas; with the memory back, the same move goes through. */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
static size_t address_space_now(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%lu", &pages) != 1) pages = 0;
    if (f) fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static int move_without_memory(void)
{
    enum { BIG = 200000 }; /* a block of 4.8 MB: no heap has that free */
    tg__arena from = {0}, to = {0};
    tg__map plain = {0}, ids = {.id_of = id_of_named};
    named *big = calloc(BIG, sizeof(*big));
    if (!big) return 1;
    for (int i = 0; i < BIG; i++) big[i].id = "not a guid";
    char key[16];
    for (int k = 0; k < 20; k++) {
        snprintf(key, sizeof(key), "k%d", k);
        if (tg__multi_reserve(&plain, &from, key, 2)) return 2;
        tg__multi_add(&plain, key, &big[k]);
        tg__multi_add(&plain, key, &big[k + 1]);
    }
    if (tg__multi_reserve(&ids, &from, "big", BIG)) return 3;
    for (int i = 0; i < BIG; i++) tg__multi_add(&ids, "big", &big[i]);
    tg__arena_free(tg__arena_alloc(&to, 64), 64); /* `to` has a chunk: the small entries fit */
    const tg__vec *v = tg__multi_get(&ids, "big"), *k0 = tg__multi_get(&plain, "k0");
    void **items = v->items, **k0_items = k0->items;
    const size_t from_used = from.in_use;

    struct rlimit old, lim;
    if (getrlimit(RLIMIT_AS, &old)) return 4;
    lim = old;
    lim.rlim_cur = address_space_now() + (1u << 20);
    if (setrlimit(RLIMIT_AS, &lim)) return 5;
    tg__map *maps[] = {&plain, &ids};
    int rc = tg__multi_move(maps, 2, &to);
    setrlimit(RLIMIT_AS, &old);
    if (rc != TG_ENOMEM) return 6;
    if (from.in_use != from_used || to.in_use != 0) return 7;
    if (tg__multi_get(&ids, "big") != v || v->items != items || v->len != BIG) return 8;
    if (tg__multi_get(&plain, "k0") != k0 || k0->items != k0_items || k0->len != 2) return 9;
    if (tg__multi_move(maps, 2, &to) != TG_OK || from.in_use != 0) return 10;
    v = tg__multi_get(&ids, "big");
    if (v->len != BIG || v->items[BIG - 1] != &big[BIG - 1]) return 11;
    tg__multi_free(&plain);
    tg__multi_free(&ids);
    tg__arena_release(&from);
    tg__arena_release(&to);
    free(big);
    return 0;
}

#endif

static void a_move_without_memory_changes_nothing(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    skip(); /* sanitizers reserve terabytes of address space: no limit can be set */
#else
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(move_without_memory());
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

/* Packing: only the canonical lower-case text, which unpacks to itself. */
static void guids_pack_only_what_unpacks_to_the_same_text(void **state)
{
    (void)state;
    unsigned char g[TG__GUID_BYTES];
    char back[TG__GUID_TEXT];
    const char *ok = "0123abcd-4567-89ef-fedc-ba9876543210";
    assert_true(tg__guid_pack(ok, g));
    assert_int_equal(g[0], 0x01);
    assert_int_equal(g[15], 0x10);
    tg__guid_unpack(g, back);
    assert_string_equal(back, ok);
    const char *bad[] = {
        "0123ABCD-4567-89ef-fedc-ba9876543210",  /* upper case */
        "0123abcd-4567-89ef-fedc-ba987654321",   /* short */
        "0123abcd-4567-89ef-fedc-ba98765432100", /* long */
        "0123abcd+4567-89ef-fedc-ba9876543210",  /* no dash */
        "0123abcg-4567-89ef-fedc-ba9876543210",  /* no hex digit */
        "",
        NULL,
        "ffffffff-ffff-ffff-ffff-ffffffffffff", /* the mark's own bytes */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(g, 0, sizeof(g));
        assert_false(tg__guid_pack(bad[i], g));
        assert_false(tg__guid_is_packed(g));
    }
    memset(g, 0xff, sizeof(g));
    g[15] = 0xfe;
    assert_true(tg__guid_is_packed(g));
    /* Every byte value round-trips, at every place. */
    for (int b = 0; b < 256; b++) {
        char want[TG__GUID_TEXT], hex[3];
        snprintf(hex, sizeof(hex), "%02x", b);
        for (int i = 0; i < TG__GUID_BYTES; i++) g[i] = (unsigned char)(b ^ (i * 17));
        size_t o = 0;
        for (int i = 0; i < TG__GUID_BYTES; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) want[o++] = '-';
            o += (size_t)snprintf(want + o, 3, "%02x", g[i]);
        }
        tg__guid_unpack(g, back);
        assert_string_equal(back, want);
        memset(back, 0, sizeof(back));
        tg__guid_unpack_pairs(g, back);
        assert_string_equal(back, want);
        assert_int_equal(strncmp(back, hex, 2), 0);
        unsigned char again[TG__GUID_BYTES];
        assert_int_equal(tg__guid_pack(back, again), tg__guid_is_packed(g));
        if (tg__guid_is_packed(g)) assert_memory_equal(again, g, TG__GUID_BYTES);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equal_strings_share_one_counted_copy),
        cmocka_unit_test(growth_and_removal_keep_every_string),
        cmocka_unit_test(packed_entities_name_partners_by_pointer),
        cmocka_unit_test(closing_tables_frees_what_the_arena_does_not_hold),
        cmocka_unit_test(arena_reuses_freed_blocks_of_a_size_class),
        cmocka_unit_test(an_arena_takes_new_chunks_from_its_stock_first),
        cmocka_unit_test(a_moved_arena_gets_its_blocks_back),
        cmocka_unit_test(huge_arrays_come_zeroed),
        cmocka_unit_test(multimap_items_move_out_of_their_entry_as_they_grow),
        cmocka_unit_test(one_lookup_puts_keep_what_is_there),
        cmocka_unit_test(a_multimap_keeps_its_items_ids_beside_them),
        cmocka_unit_test(guids_pack_only_what_unpacks_to_the_same_text),
        cmocka_unit_test(multimaps_move_into_blocks_of_their_size),
        cmocka_unit_test(a_move_without_memory_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
