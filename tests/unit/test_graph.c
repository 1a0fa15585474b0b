/* test_graph.c - opening graphs over "mem:" and custom stores, the store vtable
 * checks, reloading, options, the revision counter, verify, and corrupt records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fault_store.h"
#include "fixture.h"
#include <tiergraph.h>
#include <tiergraph/store.h>

/* ------------------------------------------------------------------ */
/* A wrapper store the test keeps: its free slot only counts, so the    */
/* inner store outlives the graph; its load may add one extra record.   */
/* ------------------------------------------------------------------ */

typedef struct wrap_store {
    tg_store base; /* first: the core sees a tg_store */
    tg_store *inner;
    int frees;
    const char *extra_key; /* when set, load emits this record after the inner ones */
    const char *extra_val;
} wrap_store;

static int TG_CALLBACK w_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    wrap_store *w = (wrap_store *)self;
    int rc = w->inner->load(w->inner, emit, ctx);
    if (rc || !w->extra_key) return rc;
    return emit(ctx, w->extra_key, strlen(w->extra_key), w->extra_val, strlen(w->extra_val));
}
static int TG_CALLBACK w_begin(tg_store *self)
{
    wrap_store *w = (wrap_store *)self;
    return w->inner->begin(w->inner);
}
static int TG_CALLBACK w_put(tg_store *self, const char *k, size_t kl, const void *v, size_t vl)
{
    wrap_store *w = (wrap_store *)self;
    return w->inner->put(w->inner, k, kl, v, vl);
}
static int TG_CALLBACK w_del(tg_store *self, const char *k, size_t kl)
{
    wrap_store *w = (wrap_store *)self;
    return w->inner->del(w->inner, k, kl);
}
static int TG_CALLBACK w_commit(tg_store *self)
{
    wrap_store *w = (wrap_store *)self;
    return w->inner->commit(w->inner);
}
static int TG_CALLBACK w_rollback(tg_store *self)
{
    wrap_store *w = (wrap_store *)self;
    return w->inner->rollback(w->inner);
}
static void TG_CALLBACK w_free(tg_store *self)
{
    ((wrap_store *)self)->frees++; /* the inner store stays with the test */
}

static void wrap_init(wrap_store *w, tg_store *inner)
{
    memset(w, 0, sizeof(*w));
    w->base.version = TG_STORE_VERSION;
    w->base.load = w_load;
    w->base.begin = w_begin;
    w->base.put = w_put;
    w->base.del = w_del;
    w->base.commit = w_commit;
    w->base.rollback = w_rollback;
    w->base.free = w_free;
    w->inner = inner;
}

/* ------------------------------------------------------------------ */
/* A small graph written through any store                             */
/* ------------------------------------------------------------------ */

#define PROV "40000000-0000-4000-8000-000000000001"
#define RES "50000000-0000-4000-8000-000000000001"

/* Enrol a provider and a reseller, partner them, create a customer for the reseller
 * with two subscriptions. Returns the customer id in `cust`. */
static void populate(tg_graph *g, char *cust, size_t len)
{
    tg_session *op, *pa, *ra;
    assert_int_equal(tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
    assert_int_equal(tg_session_operator(&op, g), TG_OK);
    assert_int_equal(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, PROV, "4000001", "prov",
                                       "prov.example", "US"), TG_OK);
    assert_int_equal(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, RES, "5000001", "res",
                                       "res.example", "US"), TG_OK);
    assert_int_equal(tg_partner_set_agreement(op, RES, 1), TG_OK);
    assert_int_equal(tg_user_add(op, PROV, "ga@prov", TG_ROLE_GLOBAL_ADMIN), TG_OK);
    assert_int_equal(tg_user_add(op, RES, "ga@res", TG_ROLE_GLOBAL_ADMIN), TG_OK);
    assert_int_equal(tg_session_user(&pa, g, "ga@prov"), TG_OK);
    assert_int_equal(tg_session_user(&ra, g, "ga@res"), TG_OK);
    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, pa), TG_OK);
    assert_int_equal(tg_partnership_accept(ra, tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    tg_draft *d;
    tg_receipt *r;
    assert_int_equal(tg_draft_new(&d, pa), TG_OK);
    fx_fill_draft(d, "reloadco");
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, RES), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-a", 3), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-b", 1), TG_OK);
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    snprintf(cust, len, "%s", tg_receipt_customer_id(r));
    tg_receipt_free(r);
    tg_draft_free(d);
    tg_session_close(ra);
    tg_session_close(pa);
    tg_session_close(op);
}

static void append(char **buf, const char *s)
{
    size_t old = *buf ? strlen(*buf) : 0;
    *buf = realloc(*buf, old + strlen(s) + 2);
    assert_non_null(*buf);
    memcpy(*buf + old, s, strlen(s));
    (*buf)[old + strlen(s)] = '\n';
    (*buf)[old + strlen(s) + 1] = '\0';
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append texts sorted (list order is not part of the contract) and free them. */
static void append_sorted(char **buf, char **v, size_t n)
{
    qsort(v, n, sizeof(*v), by_text);
    for (size_t i = 0; i < n; i++) {
        append(buf, v[i]);
        free(v[i]);
    }
    free(v);
}

static void append_iter(char **buf, int rc, tg_iter *it)
{
    assert_int_equal(rc, TG_OK);
    size_t n = 0;
    char **v = calloc(tg_iter_count(it) + 1, sizeof(*v));
    assert_non_null(v);
    const char *id;
    while (tg_iter_next(it, &id) == TG_OK) v[n++] = strdup(id);
    assert_int_equal(n, tg_iter_count(it));
    tg_iter_free(it);
    append(buf, "--");
    append_sorted(buf, v, n);
}

/* What the small graph shows through the API: revision, partner lists, customers and
 * subscriptions as JSON. Lists are compared as sets: their order is not specified. */
static char *snapshot(tg_graph *g, const char *cust)
{
    char *buf = NULL, line[64];
    tg_session *op, *pa, *ra;
    tg_iter *it;
    snprintf(line, sizeof(line), "revision %llu", (unsigned long long)tg_graph_revision(g));
    append(&buf, line);
    assert_int_equal(tg_session_operator(&op, g), TG_OK);
    assert_int_equal(tg_session_user(&pa, g, "ga@prov"), TG_OK);
    assert_int_equal(tg_session_user(&ra, g, "ga@res"), TG_OK);
    for (int k = TG_PARTNER_INDIRECT_PROVIDER; k <= TG_PARTNER_DIRECT_BILL; k++) {
        int rc = tg_partners(&it, op, (tg_partner_kind)k);
        append_iter(&buf, rc, it);
    }
    int rc = tg_resellers(&it, pa);
    append_iter(&buf, rc, it);
    rc = tg_providers(&it, ra);
    append_iter(&buf, rc, it);
    rc = tg_customers(&it, pa, NULL);
    append_iter(&buf, rc, it);
    rc = tg_customers(&it, ra, NULL);
    append_iter(&buf, rc, it);
    char *json;
    assert_int_equal(tg_customer_get(&json, pa, cust), TG_OK);
    append(&buf, json);
    tg_free(json);
    assert_int_equal(tg_subscriptions(&it, pa, cust), TG_OK);
    size_t n = 0;
    char **subs = calloc(tg_iter_count(it) + 1, sizeof(*subs));
    assert_non_null(subs);
    const char *sid;
    while (tg_iter_next(it, &sid) == TG_OK) {
        assert_int_equal(tg_subscription_get(&json, pa, sid), TG_OK);
        subs[n++] = strdup(json);
        tg_free(json);
    }
    tg_iter_free(it);
    assert_int_equal(n, 2);
    append_sorted(&buf, subs, n);
    tg_session_close(ra);
    tg_session_close(pa);
    tg_session_close(op);
    return buf;
}

/* ------------------------------------------------------------------ */
/* tiergraph.h tg_graph_open                                           */
/* ------------------------------------------------------------------ */

static void open_mem_gives_an_empty_graph(void **state)
{
    (void)state;
    tg_graph *g = NULL;
    assert_int_equal(tg_graph_open(&g, "mem:"), TG_OK);
    assert_non_null(g);
    assert_int_equal(tg_graph_revision(g), 0);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_session *op;
    tg_iter *it;
    assert_int_equal(tg_session_operator(&op, g), TG_OK);
    assert_int_equal(tg_partners(&it, op, TG_PARTNER_INDIRECT_PROVIDER), TG_OK);
    assert_int_equal(fx_count(it), 0);
    tg_session_close(op);
    tg_graph_close(g);
}

static void open_refuses_unknown_schemes(void **state)
{
    (void)state;
    const char *bad[] = {"", "nope:", "mem", "MEM:", "mem:extra", "file:", "sqlite", "File:/tmp/x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tg_graph *g = (tg_graph *)&g; /* any non-NULL value: must be reset */
        if (tg_graph_open(&g, bad[i]) != TG_EINVAL) fail_msg("uri '%s' was not refused", bad[i]);
        assert_null(g);
        assert_true(strlen(tg_error_message()) > 0);
    }
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open(&g, NULL), TG_EINVAL);
    assert_null(g);
    assert_int_equal(tg_graph_open(NULL, "mem:"), TG_EINVAL);
}

/* ------------------------------------------------------------------ */
/* tiergraph/store.h: the vtable checks of tg_graph_open_store          */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Load order: a store may emit its records in any order.               */
/* ------------------------------------------------------------------ */

typedef struct record_row {
    char *key, *val;
    size_t klen, vlen;
} record_row;

typedef struct rows {
    record_row *v;
    size_t n;
} rows;

static int TG_CALLBACK keep_row(void *ctx, const char *key, size_t klen, const void *val,
                                size_t vlen)
{
    rows *r = ctx;
    r->v = realloc(r->v, (r->n + 1) * sizeof(*r->v));
    record_row *row = &r->v[r->n++];
    row->key = strndup(key, klen);
    row->val = malloc(vlen ? vlen : 1);
    memcpy(row->val, val, vlen);
    row->klen = klen, row->vlen = vlen;
    return 0;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const record_row *)a)->key, ((const record_row *)b)->key);
}

static int load_order; /* 0 sorted by key, 1 reversed, 2.. shuffled with that seed */

static int TG_CALLBACK permuted_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    wrap_store *w = (wrap_store *)self;
    rows r = {0};
    int rc = w->inner->load(w->inner, keep_row, &r);
    qsort(r.v, r.n, sizeof(*r.v), by_key);
    if (load_order == 1) {
        for (size_t i = 0; i < r.n / 2; i++) {
            record_row t = r.v[i];
            r.v[i] = r.v[r.n - 1 - i];
            r.v[r.n - 1 - i] = t;
        }
    } else if (load_order >= 2) {
        unsigned seed = (unsigned)load_order;
        for (size_t i = r.n; i > 1; i--) {
            seed = seed * 1103515245u + 12345u;
            size_t j = (seed >> 8) % i;
            record_row t = r.v[i - 1];
            r.v[i - 1] = r.v[j];
            r.v[j] = t;
        }
    }
    for (size_t i = 0; i < r.n; i++) {
        if (rc == 0) rc = emit(ctx, r.v[i].key, r.v[i].klen, r.v[i].val, r.v[i].vlen);
        free(r.v[i].key);
        free(r.v[i].val);
    }
    free(r.v);
    return rc;
}

/* Subscriptions before their customers, users before their partners: whatever the
 * order, the loaded graph is the same one and passes tg_graph_verify. */
static void loading_does_not_depend_on_record_order(void **state)
{
    fx *f = *state;
    fx_customer(f, "ga@p1", "contoso", R1, 2);
    fx_customer(f, "ga@d1", "fabrikam", NULL, 1);
    char *want = fx_state(f);
    for (load_order = 0; load_order < 12; load_order++) {
        wrap_store w;
        wrap_init(&w, f->store); /* the fixture's store, read only */
        w.base.load = permuted_load;
        tg_graph *g;
        assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
        assert_int_equal(tg_graph_verify(g), TG_OK);
        fx *again = fx_adopt(g);
        char *got = fx_state(again);
        if (strcmp(want, got) != 0) fail_msg("load order %d gives another graph", load_order);
        free(got);
        fx_free(again);
    }
    free(want);
}

/* A backend built against version 1 of the vtable: its struct ends before the
 * version-2 slots. The core must never read them (here they hold poison). */
typedef struct v1_layout {
    unsigned int version;
    void *slots[7]; /* load begin put del commit rollback free */
} v1_layout;

static int TG_CALLBACK poison_set_option(tg_store *s, int option, int64_t value)
{
    (void)s, (void)option, (void)value;
    fail_msg("the core called set_option of a version-1 store");
    return TG_ERROR;
}
static int TG_CALLBACK poison_stat(tg_store *s, int what, int64_t *out)
{
    (void)s, (void)what, (void)out;
    fail_msg("the core called stat of a version-1 store");
    return TG_ERROR;
}

static void a_version_1_store_is_never_asked_for_version_2_slots(void **state)
{
    (void)state;
    _Static_assert(sizeof(v1_layout) == offsetof(tg_store, set_option), "v1 layout");
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    wrap_store w;
    wrap_init(&w, mem);
    w.base.version = 1;
    w.base.set_option = poison_set_option; /* what lies past a v1 struct's end */
    w.base.stat = poison_stat;
    tg_graph *g;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_DURABILITY, TG_DURABILITY_FULL), TG_EINVAL);
    int64_t v;
    assert_int_equal(tg_graph_store_stat(&v, g, TG_STAT_RECORDS), TG_EINVAL);
    tg_session *op;
    assert_int_equal(tg_session_operator(&op, g), TG_OK);
    assert_int_equal(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, P1, "1000001", "p1",
                                       "p1.example", "US"),
                     TG_OK);
    tg_session_close(op);
    tg_graph_close(g);
    mem->free(mem);
}

static void store_init_of_version_1_writes_only_version_1_slots(void **state)
{
    (void)state;
    struct {
        v1_layout v1;
        unsigned char canary[2 * sizeof(void *)];
    } buf;
    memset(&buf, 0xAB, sizeof(buf));
    assert_int_equal(tg_store_init((tg_store *)(void *)&buf, 1), TG_OK);
    assert_int_equal(buf.v1.version, 1);
    for (int i = 0; i < 7; i++) assert_null(buf.v1.slots[i]);
    for (size_t i = 0; i < sizeof(buf.canary); i++) assert_int_equal(buf.canary[i], 0xAB);
    /* Version 2 writes them all. */
    tg_store s;
    memset(&s, 0xAB, sizeof(s));
    assert_int_equal(tg_store_init(&s, 2), TG_OK);
    assert_null(s.set_option);
    assert_null(s.stat);
    assert_int_equal(tg_store_init(&s, TG_STORE_VERSION + 1), TG_EVERSION);
}

static void open_store_refuses_version_zero(void **state)
{
    (void)state;
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    wrap_store w;
    wrap_init(&w, mem);
    w.base.version = 0;
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_EVERSION);
    assert_null(g);
    assert_int_equal(w.frees, 0); /* still the caller's */
    assert_int_equal(tg_graph_open_store(&g, NULL), TG_EINVAL);
    assert_null(g);
    mem->free(mem);
}

static void open_store_refuses_each_missing_slot(void **state)
{
    (void)state;
    static const char *const names[] = {"load", "begin", "put", "del", "commit", "rollback"};
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    for (int i = 0; i < 6; i++) {
        wrap_store w;
        wrap_init(&w, mem);
        switch (i) {
        case 0: w.base.load = NULL; break;
        case 1: w.base.begin = NULL; break;
        case 2: w.base.put = NULL; break;
        case 3: w.base.del = NULL; break;
        case 4: w.base.commit = NULL; break;
        case 5: w.base.rollback = NULL; break;
        }
        tg_graph *g = (tg_graph *)&g;
        if (tg_graph_open_store(&g, &w.base) != TG_EINVAL)
            fail_msg("a store without '%s' was accepted", names[i]);
        assert_null(g);
        assert_int_equal(w.frees, 0);
        if (!strstr(tg_error_message(), names[i]))
            fail_msg("message does not name slot '%s': %s", names[i], tg_error_message());
    }
    /* free is optional: a store without it opens, and closing it frees nothing. */
    wrap_store w;
    wrap_init(&w, mem);
    w.base.free = NULL;
    tg_graph *g;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    tg_graph_close(g);
    mem->free(mem);
}

/* tg_store_init's own behaviour is in test_store.c; here: a store set up with
 * it opens once its slots are filled in, and not before. */
static void store_set_up_with_store_init_opens(void **state)
{
    (void)state;
    /* A store set up with tg_store_init and filled in opens. */
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    wrap_store w;
    wrap_init(&w, mem);
    wrap_store blank;
    assert_int_equal(tg_store_init(&blank.base, TG_STORE_VERSION), TG_OK);
    w.base = blank.base;
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_EINVAL); /* slots still NULL */
    assert_null(g);
    wrap_init(&w, mem);
    w.base.version = blank.base.version;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    tg_graph_close(g);
    assert_int_equal(w.frees, 1);
    mem->free(mem);
}

static void store_init_macro_sets_version_and_null_slots(void **state)
{
    (void)state;
    tg_store s = TG_STORE_INIT;
    assert_int_equal(s.version, TG_STORE_VERSION);
    assert_null(s.load);
    assert_null(s.rollback);
    assert_null(s.free);
    struct {
        tg_store base;
        int mine;
    } embedded = {TG_STORE_INIT, 7};
    assert_int_equal(embedded.base.version, TG_STORE_VERSION);
    assert_null(embedded.base.commit);
    assert_int_equal(embedded.mine, 7);
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open_store(&g, &s), TG_EINVAL); /* valid version, no slots */
    assert_null(g);
}

/* ------------------------------------------------------------------ */
/* tiergraph.h: a custom store reloads what the graph wrote             */
/* ------------------------------------------------------------------ */

static void custom_store_reloads_the_same_graph(void **state)
{
    (void)state;
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    wrap_store w;
    wrap_init(&w, mem);
    tg_graph *g;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    char cust[64];
    populate(g, cust, sizeof(cust));
    uint64_t rev = tg_graph_revision(g);
    assert_true(rev >= 8);
    char *before = snapshot(g, cust);
    tg_graph_close(g);
    assert_int_equal(w.frees, 1); /* the graph called free once, at close */

    wrap_init(&w, mem);
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    assert_int_equal(tg_graph_revision(g), rev);
    char *after = snapshot(g, cust);
    assert_string_equal(after, before);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    /* Writing goes on from the stored revision. */
    tg_session *op;
    assert_int_equal(tg_session_operator(&op, g), TG_OK);
    assert_int_equal(tg_user_add(op, PROV, "sa@prov", TG_ROLE_SALES_AGENT), TG_OK);
    assert_int_equal(tg_graph_revision(g), rev + 1);
    tg_session_close(op);
    tg_graph_close(g);
    free(before);
    free(after);

    /* A third open sees the last write too. */
    wrap_init(&w, mem);
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    assert_int_equal(tg_graph_revision(g), rev + 1);
    tg_session *s;
    assert_int_equal(tg_session_user(&s, g, "sa@prov"), TG_OK);
    tg_session_close(s);
    tg_graph_close(g);
    mem->free(mem);
}

static void load_failure_gives_no_graph(void **state)
{
    (void)state;
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    tg_store *fs = fault_store_new(mem);
    assert_non_null(fs);
    fault_store_fail_load(fs, 1);
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open_store(&g, fs), TG_EIO);
    assert_null(g);
    /* The caller still owns it: once the fault is gone, it opens. */
    fault_store_fail_load(fs, 0);
    assert_int_equal(tg_graph_open_store(&g, fs), TG_OK);
    tg_graph_close(g); /* frees fs and mem */
}

/* ------------------------------------------------------------------ */
/* tiergraph.h tg_graph_set_option                                     */
/* ------------------------------------------------------------------ */

static void set_option_accepts_values_in_range(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_OPSLIMIT, 3), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_MEMLIMIT, 65536), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_INVITE_LIFETIME, 3600), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, 1700000000), TG_OK);
    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p1")), TG_OK);
    assert_int_equal(tg_invite_expires(inv), 1700000000 + 3600);
    tg_invite_free(inv);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, 0), TG_OK); /* system clock */
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
}

static void set_option_refuses_out_of_range(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_INVITE_LIFETIME, 3600), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, 1700000000), TG_OK);
    uint64_t rev = tg_graph_revision(f->g);

    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_OPSLIMIT, 0), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "opslimit"));
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_MEMLIMIT, 100), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "memlimit"));
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_MEMLIMIT, 8191), TG_EINVAL);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_INVITE_LIFETIME, 1), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "lifetime"));
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, -1), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "clock"));
    assert_int_equal(tg_graph_set_option(f->g, (tg_option)99, 1), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "option"));
    assert_int_equal(tg_graph_set_option(f->g, (tg_option)0, 1), TG_EINVAL);
    assert_int_equal(tg_graph_set_option(NULL, TG_OPT_CLOCK, 1), TG_EINVAL);

    /* The refused values changed nothing: the clock and lifetime are as set before. */
    assert_int_equal(tg_graph_revision(f->g), rev);
    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p1")), TG_OK);
    assert_int_equal(tg_invite_expires(inv), 1700000000 + 3600);
    tg_invite_free(inv);
    /* A customer can still be created: the Argon2 cost was not changed to nonsense. */
    fx_customer(f, "ga@p1", "optionsco", NULL, 1);
}

/* ------------------------------------------------------------------ */
/* tiergraph.h tg_graph_revision: "the number of writes committed"      */
/* ------------------------------------------------------------------ */

#define WRITE_OK(call) \
    do { \
        uint64_t r0_ = tg_graph_revision(f->g); \
        int rc_ = (call); \
        if (rc_ != TG_OK) fail_msg("%s: %d (%s)", #call, rc_, tg_error_message()); \
        assert_int_equal(tg_graph_revision(f->g), r0_ + 1); \
    } while (0)

#define WRITE_REFUSED(call, code) \
    do { \
        uint64_t r0_ = tg_graph_revision(f->g); \
        int rc_ = (call); \
        if (rc_ != (code)) fail_msg("%s: expected %d got %d (%s)", #call, code, rc_, \
                                    tg_error_message()); \
        assert_int_equal(tg_graph_revision(f->g), r0_); \
    } while (0)

static int submit_customer(fx *f, const char *user, const char *prefix, const char *reseller,
                           int nsubs, char *id, size_t len)
{
    tg_draft *d;
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, user)), TG_OK);
    fx_fill_draft(d, prefix);
    if (reseller) assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, reseller), TG_OK);
    for (int i = 0; i < nsubs; i++)
        assert_int_equal(tg_draft_add_subscription(d, "offer-x", i + 1), TG_OK);
    int rc = tg_draft_submit(&r, d);
    if (rc == TG_OK) snprintf(id, len, "%s", tg_receipt_customer_id(r));
    tg_receipt_free(r);
    tg_draft_free(d);
    return rc;
}

static void revision_counts_each_successful_write_once(void **state)
{
    fx *f = *state;
    tg_session *ga = fx_user(f, "ga@p1");
    WRITE_OK(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_PROVIDER,
                               "10000000-0000-4000-8000-000000000009", "1000009", "p9",
                               "p9.example", "US"));
    WRITE_OK(tg_user_add(ga, P1, "new@p1", TG_ROLE_SALES_AGENT));
    WRITE_OK(tg_user_set_roles(ga, "new@p1", TG_ROLE_SALES_AGENT | TG_ROLE_ADMIN_AGENT));
    WRITE_OK(tg_user_remove(ga, "new@p1"));
    WRITE_OK(tg_partner_set_agreement(f->op, R3, 1));
    WRITE_OK(tg_partner_add_tenant(f->op, P1, "10000000-0000-4000-8000-0000000000c1"));
    tg_invite *inv = NULL;
    WRITE_OK(tg_invite_create(&inv, ga));
    WRITE_OK(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(inv)));
    char cust[64], *sub = NULL;
    /* A customer with three subscriptions is one write. */
    WRITE_OK(submit_customer(f, "ga@p1", "revco", R2, 3, cust, sizeof(cust)));
    WRITE_OK(tg_subscription_add(&sub, ga, cust, "offer-y", 2, NULL, NULL));
    WRITE_OK(tg_subscription_set_reseller(ga, sub, R2_PID));
    WRITE_OK(tg_subscription_set_support(ga, sub, R2));
    WRITE_OK(tg_subscription_set_status(ga, sub, TG_SUB_SUSPENDED));
    WRITE_OK(tg_partnership_remove(ga, R2, TG_CONFIRM | TG_ATTEST_GOOD_FAITH));
    WRITE_OK(tg_customer_set_reseller(ga, cust, NULL));
    tg_free(sub);
    sub = NULL;

    /* Refused writes do not count. */
    WRITE_REFUSED(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(inv)), TG_ESTATE);
    tg_invite_free(inv);
    WRITE_REFUSED(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_PROVIDER, P1, "1000077", "dup",
                                    "dup.example", "US"), TG_EEXISTS);
    WRITE_REFUSED(tg_user_add(ga, P1, "ga@p1", TG_ROLE_SALES_AGENT), TG_EEXISTS);
    WRITE_REFUSED(tg_user_add(fx_user(f, "sa@p1"), P1, "x@p1", TG_ROLE_SALES_AGENT), TG_EDENIED);
    WRITE_REFUSED(tg_invite_create(&inv, fx_user(f, "ga@r1")), TG_EDENIED);
    assert_null(inv);
    WRITE_REFUSED(tg_partnership_remove(ga, R1, TG_CONFIRM), TG_ECONFIRM);
    WRITE_REFUSED(tg_customer_remove(ga, cust), TG_ESTATE); /* active subscriptions */
    WRITE_REFUSED(tg_subscription_add(&sub, fx_user(f, "ga@r1"), cust, "o", 1, NULL, NULL),
                  TG_EDENIED);
    assert_null(sub);
    /* domain taken: a review problem */
    WRITE_REFUSED(submit_customer(f, "ga@p1", "revco", NULL, 1, cust, sizeof(cust)), TG_EINVAL);
    /* A write the store fails does not count either. */
    fault_store_fail_commit(f->store, 1);
    WRITE_REFUSED(tg_user_add(ga, P1, "late@p1", TG_ROLE_SALES_AGENT), TG_EIO);
    fault_store_fail_commit(f->store, 0);
    WRITE_OK(tg_user_add(ga, P1, "late@p1", TG_ROLE_SALES_AGENT));
    /* Reads are not writes. */
    tg_iter *it;
    WRITE_REFUSED(tg_customers(&it, ga, NULL), TG_OK);
    tg_iter_free(it);
    assert_int_equal(tg_graph_revision(NULL), 0);
}

/* ------------------------------------------------------------------ */
/* tiergraph.h tg_graph_verify                                         */
/* ------------------------------------------------------------------ */

static void verify_passes_on_fixture_and_after_operations(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_session *ga = fx_user(f, "ga@p1");
    char c1[64], c2[64], *sub = NULL;
    snprintf(c1, sizeof(c1), "%s", fx_customer(f, "ga@p1", "verifyone", R1, 2));
    snprintf(c2, sizeof(c2), "%s", fx_customer(f, "ga@d1", "verifytwo", NULL, 1));
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    assert_int_equal(tg_subscription_add(&sub, ga, c1, "offer-z", 4, R1_PID, R1), TG_OK);
    assert_int_equal(tg_partnership_remove(ga, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH), TG_OK);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    /* The direct-bill customer: delete its subscription, then remove it. */
    tg_iter *it;
    const char *sid;
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@d1"), c2), TG_OK);
    while (tg_iter_next(it, &sid) == TG_OK)
        assert_int_equal(tg_subscription_set_status(fx_user(f, "ga@d1"), sid, TG_SUB_DELETED),
                         TG_OK);
    tg_iter_free(it);
    assert_int_equal(tg_customer_remove(fx_user(f, "ga@d1"), c2), TG_OK);
    assert_int_equal(tg_user_remove(ga, "sa@p1"), TG_OK);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_free(sub);
    assert_int_equal(tg_graph_verify(NULL), TG_EINVAL);
}

/* ------------------------------------------------------------------ */
/* tiergraph.h tg_graph_open_store: TG_ECORRUPT for undecodable records */
/* ------------------------------------------------------------------ */

/* Write the small graph to `mem`, then open it with one extra record injected. */
static void assert_open_corrupt(const char *key, const char *val, const char *why)
{
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    wrap_store w;
    wrap_init(&w, mem);
    tg_graph *g;
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    char cust[64], k[128];
    populate(g, cust, sizeof(cust));
    tg_graph_close(g);
    /* "%s" in key stands for the customer id. */
    snprintf(k, sizeof(k), key, cust);

    wrap_init(&w, mem);
    w.extra_key = k;
    w.extra_val = val;
    g = (tg_graph *)&g;
    int rc = tg_graph_open_store(&g, &w.base);
    if (rc != TG_ECORRUPT)
        fail_msg("%s: expected TG_ECORRUPT, got %d (%s)", why, rc, tg_error_message());
    assert_null(g);
    assert_int_equal(w.frees, 0); /* the caller still owns the store */
    assert_true(strlen(tg_error_message()) > 0);

    /* Without the bad record the same store opens. */
    wrap_init(&w, mem);
    assert_int_equal(tg_graph_open_store(&g, &w.base), TG_OK);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_graph_close(g);
    mem->free(mem);
}

static void record_with_unknown_prefix_is_corrupt(void **state)
{
    (void)state;
    assert_open_corrupt("widget/%s", "{}", "unknown prefix");
    assert_open_corrupt("nokind", "{}", "key without a kind");
}

static void customer_record_with_invalid_json_is_corrupt(void **state)
{
    (void)state;
    assert_open_corrupt("customer/%s", "{\"id\": \"broken", "invalid JSON");
    assert_open_corrupt("customer/%s", "[1,2,3]", "JSON that is not an object");
    assert_open_corrupt("customer/%s", "{\"id\":\"x\"}", "missing fields");
}

static void meta_record_with_bad_revision_is_corrupt(void **state)
{
    (void)state;
    assert_open_corrupt("meta", "{\"revision\":\"ten\"}", "revision not a number");
    assert_open_corrupt("meta", "not json", "meta not JSON");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* tiergraph.h: opening graphs */
        cmocka_unit_test(open_mem_gives_an_empty_graph),
        cmocka_unit_test(open_refuses_unknown_schemes),
        /* tiergraph/store.h: the store vtable */
        cmocka_unit_test(open_store_refuses_version_zero),
        cmocka_unit_test(open_store_refuses_each_missing_slot),
        cmocka_unit_test(store_set_up_with_store_init_opens),
        cmocka_unit_test(store_init_macro_sets_version_and_null_slots),
        cmocka_unit_test(a_version_1_store_is_never_asked_for_version_2_slots),
        cmocka_unit_test_setup_teardown(loading_does_not_depend_on_record_order, fx_setup,
                                        fx_teardown),
        cmocka_unit_test(store_init_of_version_1_writes_only_version_1_slots),
        /* tiergraph.h: custom stores reload; load failures */
        cmocka_unit_test(custom_store_reloads_the_same_graph),
        cmocka_unit_test(load_failure_gives_no_graph),
        /* tiergraph.h: options */
        cmocka_unit_test_setup_teardown(set_option_accepts_values_in_range, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(set_option_refuses_out_of_range, fx_setup, fx_teardown),
        /* tiergraph.h: revision and verify */
        cmocka_unit_test_setup_teardown(revision_counts_each_successful_write_once, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(verify_passes_on_fixture_and_after_operations, fx_setup,
                                        fx_teardown),
        /* tiergraph.h: corrupt stores */
        cmocka_unit_test(record_with_unknown_prefix_is_corrupt),
        cmocka_unit_test(customer_record_with_invalid_json_is_corrupt),
        cmocka_unit_test(meta_record_with_bad_revision_is_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
