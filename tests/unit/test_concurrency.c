/* test_concurrency.c - one tg_graph shared by threads (docs/threading.md).
 *
 * Readers list, read and check while a writer creates customers with their
 * subscriptions and removes and re-creates a partnership: every call must see
 * each write whole or not at all, and a run of calls during which the revision
 * did not move must see exactly the graph of that revision. Writers in parallel
 * must be serialised: one revision per successful write, and of two writes that
 * race for the same user id or customer domain exactly one wins.
 *
 * Runs in every suite and alone under ThreadSanitizer (ctest label
 * "concurrency", the tsan preset). Nothing is timed: loops are bounded by counts,
 * and readers stop once the writer says it is done (after one last pass). */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "draft_details.h"
#include "fixture.h"
#include "tmpdir.h"
#include "util/arena.h"

/* ------------------------------------------------------------------ */
/* Failures in other threads: cmocka's assertions belong to the main    */
/* thread, so threads record the first failure and the main thread     */
/* fails with it after joining them.                                     */
/* ------------------------------------------------------------------ */

static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;
static char first_failure[1024];
static int failure_count;

static void fail_in_thread(const char *fmt, ...)
{
    pthread_mutex_lock(&failure_lock);
    if (failure_count++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(first_failure, sizeof(first_failure), fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&failure_lock);
}

/* In a thread: record the failure and give up the current step. */
#define EXPECT(cond, ...) \
    do { \
        if (!(cond)) { \
            fail_in_thread(__VA_ARGS__); \
            return false; \
        } \
    } while (0)

static void assert_no_failure_in_threads(void)
{
    pthread_mutex_lock(&failure_lock);
    int n = failure_count;
    char first[sizeof(first_failure)];
    snprintf(first, sizeof(first), "%s", first_failure);
    failure_count = 0;
    first_failure[0] = '\0';
    pthread_mutex_unlock(&failure_lock);
    if (n) fail_msg("%d failure(s) in threads; the first: %s", n, first);
}

/* ------------------------------------------------------------------ */
/* Customers made from threads (fx_customer asserts, so not that)       */
/* ------------------------------------------------------------------ */

/* Submit a customer with `nsubs` subscriptions; its id into id_out (37 bytes) and
 * its first subscription's id into sub_out (when it has one). The library's code. */
static int make_customer(tg_session *s, const char *prefix, const char *reseller, int nsubs,
                         char *id_out, char *sub_out)
{
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    int rc = tg_draft_new(&d, s);
    if (rc == TG_OK) rc = draft_fill_valid(d, prefix, 0);
    if (rc == TG_OK && reseller) rc = tg_draft_set(d, TG_FIELD_RESELLER, reseller);
    for (int i = 0; rc == TG_OK && i < nsubs; i++) rc = tg_draft_add_subscription(d, "offer-e3", i + 1);
    if (rc == TG_OK) rc = tg_draft_submit(&r, d);
    if (rc == TG_OK && id_out) snprintf(id_out, 37, "%s", tg_receipt_customer_id(r));
    if (rc == TG_OK && sub_out && nsubs > 0) snprintf(sub_out, 37, "%s", tg_receipt_subscription_id(r, 0));
    tg_receipt_free(r);
    tg_draft_free(d);
    return rc;
}

static bool iter_has(tg_iter *it, const char *id)
{
    const char *x;
    bool found = false;
    while (tg_iter_next(it, &x) == TG_OK)
        if (strcmp(x, id) == 0) found = true;
    tg_iter_free(it);
    return found;
}

/* ------------------------------------------------------------------ */
/* Readers and one writer                                               */
/* ------------------------------------------------------------------ */

#define ROUNDS 40
#define MAX_REVISION 1024

/* What the graph holds at a revision, as far as the readers look. The writer
 * publishes it before making the write that reaches that revision. */
typedef struct expected_state {
    atomic_int published;
    int customers; /* customers P1 sells */
    int with_r1;   /* of them, associated with R1 */
    int partnered; /* P1 <-> R1 active */
} expected_state;

typedef struct world {
    tg_graph *g;
    atomic_int done;
    expected_state expected[MAX_REVISION];
    char customer_ids[ROUNDS][37]; /* published through customers_made */
    atomic_int customers_made;
} world;

static bool publish(world *w, uint64_t revision, int customers, int with_r1, int partnered)
{
    EXPECT(revision < MAX_REVISION, "revision %llu beyond the test's table",
           (unsigned long long)revision);
    expected_state *e = &w->expected[revision];
    e->customers = customers;
    e->with_r1 = with_r1;
    e->partnered = partnered;
    atomic_store_explicit(&e->published, 1, memory_order_release);
    return true;
}

typedef struct writer_state {
    world *w;
    tg_session *p1, *r1;
    int customers, with_r1, partnered;
} writer_state;

/* One write that must succeed and take the graph from revision r to r + 1, whose
 * result the readers may look for at r + 1. */
#define WRITE(ws, call, what) \
    do { \
        uint64_t r_ = tg_graph_revision((ws)->w->g); \
        if (!publish((ws)->w, r_ + 1, (ws)->customers, (ws)->with_r1, (ws)->partnered)) \
            return false; \
        int rc_ = (call); \
        EXPECT(rc_ == TG_OK, "writer: %s: %d %s", (what), rc_, tg_error_message()); \
        EXPECT(tg_graph_revision((ws)->w->g) == r_ + 1, "writer: %s did not make one revision", \
               (what)); \
    } while (0)

static bool toggle_partnership(writer_state *ws)
{
    if (ws->partnered) {
        ws->partnered = 0;
        WRITE(ws, tg_partnership_remove(ws->p1, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
              "remove the partnership");
        return true;
    }
    tg_invite *inv = NULL;
    WRITE(ws, tg_invite_create(&inv, ws->p1), "invite");
    char link[512];
    snprintf(link, sizeof(link), "%s", tg_invite_link(inv));
    tg_invite_free(inv);
    ws->partnered = 1;
    WRITE(ws, tg_partnership_accept(ws->r1, link), "accept");
    return true;
}

static bool writer_rounds(writer_state *ws)
{
    world *w = ws->w;
    for (int round = 0; round < ROUNDS; round++) {
        /* A customer with round % 4 subscriptions, for R1 while they are partners.
         * Its domain prefix says how many subscriptions it has. */
        int nsubs = round % 4;
        bool for_r1 = ws->partnered && round % 3 != 0;
        char prefix[32], sub[37] = "";
        snprintf(prefix, sizeof(prefix), "c%dn%d", round, nsubs);
        ws->customers++;
        ws->with_r1 += for_r1;
        WRITE(ws, make_customer(ws->p1, prefix, for_r1 ? R1 : NULL, nsubs, w->customer_ids[round], sub),
              "create a customer");
        atomic_store_explicit(&w->customers_made, round + 1, memory_order_release);
        if (nsubs > 0)
            WRITE(ws, tg_subscription_set_status(ws->p1, sub, round % 2 ? TG_SUB_SUSPENDED : TG_SUB_ACTIVE),
                  "change a subscription's status");
        if (round % 4 == 3 && !toggle_partnership(ws)) return false;
    }
    return true;
}

static void *writer_main(void *arg)
{
    writer_state ws = {.w = arg, .partnered = 1};
    if (tg_session_user(&ws.p1, ws.w->g, "ga@p1") != TG_OK ||
        tg_session_user(&ws.r1, ws.w->g, "ga@r1") != TG_OK)
        fail_in_thread("writer: no session: %s", tg_error_message());
    else
        writer_rounds(&ws);
    tg_session_close(ws.p1);
    tg_session_close(ws.r1);
    atomic_store(&ws.w->done, 1);
    return NULL;
}

typedef enum view { SELLER_VIEW, RESELLER_VIEW, NO_VIEW } view;

typedef struct reader {
    world *w;
    const char *user;
    view view;
    tg_action decision; /* asked about the partnership in every pass (0: none) */
    tg_session *s;
    uint64_t last_revision;
    int passes, stable_passes;
} reader;

/* A customer the reader listed: readable, with every subscription its one write
 * made, each pointing back at it. Customers are never removed in this test, and
 * neither association nor delegated admin ever ends, so what was listed stays
 * visible to the same session in every later snapshot. */
static bool customer_is_whole(reader *rd, const char *id, int *associated)
{
    char *json = NULL;
    int rc = tg_customer_get(&json, rd->s, id);
    EXPECT(rc == TG_OK, "%s: listed customer %s cannot be read: %d", rd->user, id, rc);
    int round = -1, nsubs = -1;
    const char *domain = strstr(json, "\"domain\":\"c");
    if (domain) sscanf(domain + 11, "%dn%d", &round, &nsubs);
    *associated = strstr(json, "\"associatedPartnerId\":\"" R1 "\"") != NULL;
    tg_free(json);
    EXPECT(nsubs >= 0, "%s: customer %s without the test's domain", rd->user, id);
    EXPECT(rd->view != RESELLER_VIEW || *associated, "%s: sees customer %s not associated with it",
           rd->user, id);
    EXPECT(tg_check(rd->s, TG_ACT_VIEW_CUSTOMER, id) == TG_OK, "%s: check disagrees on %s",
           rd->user, id);
    tg_iter *it = NULL;
    rc = tg_subscriptions(&it, rd->s, id);
    EXPECT(rc == TG_OK, "%s: subscriptions of %s: %d", rd->user, id, rc);
    size_t n = tg_iter_count(it);
    if (n != (size_t)nsubs) tg_iter_free(it);
    EXPECT(n == (size_t)nsubs, "%s: customer %s seen with %zu of its %d subscriptions", rd->user,
           id, n, nsubs);
    char needle[64];
    snprintf(needle, sizeof(needle), "\"customerId\":\"%s\"", id);
    const char *sid;
    bool ok = true;
    while (ok && tg_iter_next(it, &sid) == TG_OK) {
        json = NULL;
        ok = tg_subscription_get(&json, rd->s, sid) == TG_OK && strstr(json, needle);
        tg_free(json);
    }
    tg_iter_free(it);
    EXPECT(ok, "%s: a subscription of %s cannot be read or lost its customer", rd->user, id);
    return true;
}

/* A partner that sees none of P1's customers: they stay hidden, whoever asks how. */
static bool customers_stay_hidden(reader *rd)
{
    int made = atomic_load_explicit(&rd->w->customers_made, memory_order_acquire);
    for (int i = 0; i < made; i++) {
        const char *id = rd->w->customer_ids[i];
        char *json = NULL;
        tg_iter *it = NULL;
        EXPECT(tg_customer_get(&json, rd->s, id) == TG_ENOTFOUND, "%s reads customer %s",
               rd->user, id);
        EXPECT(tg_subscriptions(&it, rd->s, id) == TG_ENOTFOUND, "%s lists subscriptions of %s",
               rd->user, id);
    }
    return true;
}

/* Is the partnership P1 <-> R1 on this reader's list (-1: no such list)? */
static int partnered_as_listed(reader *rd)
{
    tg_iter *it = NULL;
    if (rd->view == SELLER_VIEW) return tg_resellers(&it, rd->s) == TG_OK ? iter_has(it, R1) : -2;
    if (rd->view == RESELLER_VIEW) return tg_providers(&it, rd->s) == TG_OK ? iter_has(it, P1) : -2;
    return -1;
}

static bool read_pass(reader *rd)
{
    world *w = rd->w;
    uint64_t before = tg_graph_revision(w->g);
    EXPECT(before >= rd->last_revision, "%s: the revision went back", rd->user);
    rd->last_revision = before;

    tg_iter *it = NULL;
    int rc = tg_customers(&it, rd->s, NULL);
    EXPECT(rc == TG_OK, "%s: customers: %d %s", rd->user, rc, tg_error_message());
    int listed = (int)tg_iter_count(it), with_r1 = 0;
    const char *id;
    bool whole = true;
    while (whole && tg_iter_next(it, &id) == TG_OK) {
        int associated = 0;
        whole = customer_is_whole(rd, id, &associated);
        with_r1 += associated;
    }
    tg_iter_free(it);
    if (!whole) return false;
    if (rd->view == NO_VIEW && !customers_stay_hidden(rd)) return false;
    int partnered = partnered_as_listed(rd);
    EXPECT(partnered != -2, "%s: its partner list failed", rd->user);
    /* A decision answers from one snapshot too. P1 may create customers for R1
     * only while they are partners (TG_ESTATE otherwise); R1 may accept P1's
     * request only while they are not (TG_EEXISTS otherwise). */
    int decision = TG_OK, while_partnered = TG_OK;
    if (rd->decision == TG_ACT_CUSTOMER_CREATE) {
        decision = tg_check(rd->s, TG_ACT_CUSTOMER_CREATE, R1);
        EXPECT(decision == TG_OK || decision == TG_ESTATE, "%s: check answered %d", rd->user,
               decision);
    } else if (rd->decision == TG_ACT_INVITE_ACCEPT) {
        decision = tg_check(rd->s, TG_ACT_INVITE_ACCEPT, P1);
        while_partnered = TG_EEXISTS;
        EXPECT(decision == TG_OK || decision == TG_EEXISTS, "%s: check answered %d", rd->user,
               decision);
    }

    uint64_t after = tg_graph_revision(w->g);
    rd->passes++;
    const expected_state *e = before < MAX_REVISION ? &w->expected[before] : NULL;
    if (after != before || !e || !atomic_load_explicit(&e->published, memory_order_acquire))
        return true;
    /* Nothing was committed during the pass: it saw the graph of revision `before`. */
    rd->stable_passes++;
    int want = rd->view == SELLER_VIEW ? e->customers : rd->view == RESELLER_VIEW ? e->with_r1 : 0;
    EXPECT(listed == want, "%s: at revision %llu lists %d customers, not %d", rd->user,
           (unsigned long long)before, listed, want);
    if (rd->view == SELLER_VIEW)
        EXPECT(with_r1 == e->with_r1, "%s: at revision %llu sees %d customers with R1, not %d",
               rd->user, (unsigned long long)before, with_r1, e->with_r1);
    if (rd->view != NO_VIEW) {
        EXPECT(partnered == e->partnered, "%s: at revision %llu partnered is %d, not %d", rd->user,
               (unsigned long long)before, partnered, e->partnered);
        if (rd->decision)
            EXPECT((decision == while_partnered) == (e->partnered != 0),
                   "%s: at revision %llu check says %d", rd->user, (unsigned long long)before,
                   decision);
    }
    return true;
}

static void *reader_main(void *arg)
{
    reader *rd = arg;
    if (tg_session_user(&rd->s, rd->w->g, rd->user) != TG_OK) {
        fail_in_thread("%s: no session", rd->user);
        return NULL;
    }
    bool ok = true;
    while (ok && !atomic_load(&rd->w->done)) ok = read_pass(rd);
    /* One more after the last write: the graph no longer moves, so this pass is stable. */
    if (ok) read_pass(rd);
    tg_session_close(rd->s);
    return NULL;
}

static void readers_see_each_write_whole(void **state)
{
    (void)state;
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    fx *f = fx_build(mem);
    world *w = calloc(1, sizeof(*w));
    assert_non_null(w);
    w->g = f->g;
    uint64_t start = tg_graph_revision(f->g);
    assert_true(publish(w, start, 0, 0, 1));

    reader readers[] = {
        {.user = "ga@p1", .view = SELLER_VIEW, .decision = TG_ACT_CUSTOMER_CREATE},
        {.user = "sa@p1", .view = SELLER_VIEW},
        {.user = "ga@r1", .view = RESELLER_VIEW, .decision = TG_ACT_INVITE_ACCEPT},
        {.user = "aa@r1", .view = RESELLER_VIEW},
        {.user = "ga@p2", .view = NO_VIEW},
        {.user = "ga@d1", .view = NO_VIEW},
    };
    enum { NREADERS = sizeof(readers) / sizeof(readers[0]) };
    pthread_t threads[NREADERS], writer;
    for (int i = 0; i < NREADERS; i++) {
        readers[i].w = w;
        assert_int_equal(pthread_create(&threads[i], NULL, reader_main, &readers[i]), 0);
    }
    assert_int_equal(pthread_create(&writer, NULL, writer_main, w), 0);
    assert_int_equal(pthread_join(writer, NULL), 0);
    for (int i = 0; i < NREADERS; i++) assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_no_failure_in_threads();

    int passes = 0, stable = 0;
    for (int i = 0; i < NREADERS; i++) {
        assert_true(readers[i].stable_passes >= 1);
        passes += readers[i].passes;
        stable += readers[i].stable_passes;
    }
    print_message("%d read passes (%d at a fixed revision) over %llu revisions\n", passes, stable,
                  (unsigned long long)(tg_graph_revision(f->g) - start));
    tg_iter *it = NULL;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), NULL), TG_OK);
    assert_int_equal(fx_count(it), ROUNDS);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    free(w);
    fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Writers in parallel                                                 */
/* ------------------------------------------------------------------ */

#define WRITERS 4
#define WRITES 30 /* per writer: a third each of the three kinds below */

typedef struct contest {
    tg_graph *g;
    atomic_int won[WRITES]; /* per contested write: how many writers it succeeded for */
} contest;

typedef struct writer {
    contest *c;
    int index;
    int succeeded;
} writer;

/* Write i of a writer: a user only it adds, a user every writer tries to add, or
 * a customer domain every writer tries to take. */
static bool parallel_write(writer *wr, tg_session *users, tg_session *seller, int i)
{
    char name[64];
    int rc;
    switch (i % 3) {
    case 0:
        snprintf(name, sizeof(name), "w%d-%d@p2", wr->index, i);
        rc = tg_user_add(users, P2, name, TG_ROLE_SALES_AGENT);
        EXPECT(rc == TG_OK, "writer %d: own user %s: %d %s", wr->index, name, rc, tg_error_message());
        break;
    case 1:
        snprintf(name, sizeof(name), "shared-%d@p2", i);
        rc = tg_user_add(users, P2, name, TG_ROLE_HELPDESK_AGENT);
        EXPECT(rc == TG_OK || rc == TG_EEXISTS, "writer %d: shared user %s: %d", wr->index, name, rc);
        break;
    default:
        snprintf(name, sizeof(name), "race%d", i);
        rc = make_customer(seller, name, NULL, 1 + i % 2, NULL, NULL);
        EXPECT(rc == TG_OK || rc == TG_EINVAL, "writer %d: customer %s: %d %s", wr->index, name,
               rc, tg_error_message());
        break;
    }
    if (rc == TG_OK) {
        wr->succeeded++;
        if (i % 3) atomic_fetch_add(&wr->c->won[i], 1);
    }
    return true;
}

static void *parallel_writer_main(void *arg)
{
    writer *wr = arg;
    tg_session *users = NULL, *seller = NULL;
    if (tg_session_user(&users, wr->c->g, "ga@p2") != TG_OK ||
        tg_session_user(&seller, wr->c->g, wr->index % 2 ? "sa@p1" : "ga@d1") != TG_OK)
        fail_in_thread("writer %d: no session", wr->index);
    for (int i = 0; users && seller && i < WRITES; i++)
        if (!parallel_write(wr, users, seller, i)) break;
    tg_session_close(users);
    tg_session_close(seller);
    return NULL;
}

/* Run the writers on f's graph; returns the number of successful writes. */
static int run_parallel_writers(fx *f)
{
    contest *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    c->g = f->g;
    writer writers[WRITERS];
    pthread_t threads[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        writers[i] = (writer){.c = c, .index = i};
        assert_int_equal(pthread_create(&threads[i], NULL, parallel_writer_main, &writers[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < WRITERS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        total += writers[i].succeeded;
    }
    assert_no_failure_in_threads();
    for (int i = 0; i < WRITES; i++)
        if (i % 3) assert_int_equal(atomic_load(&c->won[i]), 1); /* exactly one winner */
    free(c);
    return total;
}

/* What the writers leave: their own users, one of each shared user, one customer
 * of each contested domain (P1's and D1's together). */
static void assert_parallel_writes_landed(fx *f)
{
    tg_iter *it = NULL;
    assert_int_equal(tg_users(&it, fx_user(f, "ga@p2"), P2), TG_OK);
    assert_int_equal(fx_count(it), 6 + WRITERS * (WRITES / 3) + WRITES / 3);
    size_t customers = 0;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), NULL), TG_OK);
    customers += fx_count(it);
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@d1"), NULL), TG_OK);
    customers += fx_count(it);
    assert_int_equal(customers, WRITES / 3);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

static void parallel_writers_are_serialised_in_memory(void **state)
{
    (void)state;
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    fx *f = fx_build(mem);
    uint64_t start = tg_graph_revision(f->g);
    int succeeded = run_parallel_writers(f);
    assert_int_equal(tg_graph_revision(f->g), start + (uint64_t)succeeded);
    assert_parallel_writes_landed(f);
    fx_free(f);
}

/* The same on the file: store, whose journal must then hold every write once, in
 * an order that replays to the same graph. */
static void parallel_writers_are_serialised_on_file(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    char uri[4096];
    snprintf(uri, sizeof(uri), "file:%s", tmpdir_path(dir, "graph.tg"));
    tg_store *s;
    assert_int_equal(tg_store_file_new(&s, uri + 5), TG_OK);
    fx *f = fx_build(s);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_DURABILITY, TG_DURABILITY_OFF), TG_OK);
    uint64_t start = tg_graph_revision(f->g);
    int succeeded = run_parallel_writers(f);
    assert_int_equal(tg_graph_revision(f->g), start + (uint64_t)succeeded);
    char *before = fx_state(f);
    fx_free(f);

    tg_graph *g;
    assert_int_equal(tg_graph_open(&g, uri), TG_OK);
    f = fx_adopt(g);
    assert_int_equal(tg_graph_revision(f->g), start + (uint64_t)succeeded);
    char *after = fx_state(f);
    assert_string_equal(after, before);
    assert_parallel_writes_landed(f);
    free(before);
    free(after);
    fx_free(f);
    tmpdir_remove(dir);
}

/* ------------------------------------------------------------------ */
/* An arena served by a stock another thread fills (src/util/arena.h),  */
/* as a graph's open does: no chunk handed out twice (ThreadSanitizer  */
/* watches the stock's lock).                                           */
/* ------------------------------------------------------------------ */

typedef struct stocker {
    tg__chunk_stock *stock;
    atomic_bool tried, stop; /* tried: the first fill is over, made or not */
} stocker;

static void *stocker_main(void *arg)
{
    stocker *st = arg;
    while (!atomic_load(&st->stop)) {
        tg__chunk_stock_fill(st->stock);
        atomic_store(&st->tried, true);
    }
    return NULL;
}

static void an_arena_fills_from_a_stock_another_thread_fills(void **state)
{
    (void)state;
    enum { N = 40000, SIZE = 1000 }; /* about twenty 2 MiB chunks */
    stocker st = {.stock = tg__chunk_stock_new()};
    assert_non_null(st.stock);
    atomic_init(&st.tried, false);
    atomic_init(&st.stop, false);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, stocker_main, &st), 0);
    while (!atomic_load(&st.tried)) sched_yield(); /* then the arena's first chunk is stocked */
    tg__arena a = {.stock = st.stock};
    char **b = calloc(N, sizeof(*b));
    assert_non_null(b);
    for (int i = 0; i < N; i++) {
        assert_non_null(b[i] = tg__arena_alloc(&a, SIZE));
        memset(b[i], i & 0xff, SIZE);
    }
    atomic_store(&st.stop, true);
    assert_int_equal(pthread_join(t, NULL), 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal((unsigned char)b[i][0], i & 0xff);
        assert_int_equal((unsigned char)b[i][SIZE - 1], i & 0xff);
    }
    tg__arena_release(&a);
    tg__chunk_stock_free(st.stock);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readers_see_each_write_whole),
        cmocka_unit_test(parallel_writers_are_serialised_in_memory),
        cmocka_unit_test(parallel_writers_are_serialised_on_file),
        cmocka_unit_test(an_arena_fills_from_a_stock_another_thread_fills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
