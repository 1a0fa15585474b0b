/* bench.c - tiergraph's benchmark (issue 7; docs/performance.md): a generated graph
 * at a given scale, then permission checks, listings, customer and subscription
 * creation, opening the file store and memory, each beside the same work done
 * with SQLite where the baseline has it, printed as one table with the targets.
 *
 *   tg_bench                 the reference scale (1 000 000 customers)
 *   tg_bench --quick         a small scale that only proves the benchmark runs
 *   tg_bench --customers N   another scale
 *   tg_bench --dir D         where the file store and the SQLite database go
 *                            (default: ./bench-data)
 *
 * Timings are medians and 99th percentiles over repeated runs; a run times a
 * batch of calls and divides, so that the clock's own cost stays out. */
#define _GNU_SOURCE
#include "gen.h"
#include "sqlite_side.h"
#include "tg_side.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REFERENCE_CUSTOMERS 1000000
#define SEED 20261121

typedef struct config {
    size_t customers;
    bool quick;
    const char *dir;
    const char *self;
} config;

/* ---- timing ---------------------------------------------------------------- */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct stat2 {
    double median, p99;
} stat2;

static stat2 summarize(double *v, size_t n)
{
    qsort(v, n, sizeof(double), by_value);
    size_t i99 = (size_t)ceil(0.99 * (double)n);
    return (stat2){v[n / 2], v[(i99 ? i99 : 1) - 1]};
}

/* ---- the report -------------------------------------------------------------- */

typedef struct row {
    char what[64], unit[16], target[48], status[40];
    stat2 tg;
    bool has_base;
    stat2 base;
} row;

static row rows[40];
static size_t nrows;
static int missed;

/* A measured row; `limit` is the target (<= limit, or >= when `at_least`), NAN for none. */
static row *report(const char *what, const char *unit, stat2 v, double limit, bool at_least)
{
    row *r = &rows[nrows++];
    snprintf(r->what, sizeof(r->what), "%s", what);
    snprintf(r->unit, sizeof(r->unit), "%s", unit);
    r->tg = v;
    if (isnan(limit)) {
        snprintf(r->target, sizeof(r->target), "-");
    } else {
        bool met = at_least ? v.median >= limit : v.median <= limit;
        snprintf(r->target, sizeof(r->target), "%s %.4g", at_least ? ">=" : "<=", limit);
        snprintf(r->status, sizeof(r->status), "%s", met ? "met" : "MISSED");
        if (!met) missed++;
    }
    return r;
}

/* Add the baseline to a row, and the ratio row under it with its target. */
static void baseline(row *r, stat2 base, double min_ratio)
{
    r->has_base = true;
    r->base = base;
    double ratio = base.median / r->tg.median;
    report("  sqlite / tiergraph", "x", (stat2){ratio, NAN}, min_ratio, true);
}

static void print_table(const config *c, const bench_model *m)
{
    printf("\ntiergraph %s benchmark: %zu customers, %zu providers, %zu resellers, "
           "%zu subscriptions, %zu partner users%s\n",
           tg_version_string(), m->customers, m->providers, m->resellers, m->subscriptions,
           m->users, c->quick ? " (--quick: proves the benchmark runs; numbers mean nothing)" : "");
    printf("%-44s %12s %12s %6s %12s %-10s %s\n", "", "median", "p99", "unit", "sqlite med",
           "target", "status");
    for (size_t i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        char p99[32] = "", base[32] = "";
        if (!isnan(r->tg.p99)) snprintf(p99, sizeof(p99), "%.1f", r->tg.p99);
        if (r->has_base) snprintf(base, sizeof(base), "%.1f", r->base.median);
        printf("%-44s %12.1f %12s %6s %12s %-10s %s\n", r->what, r->tg.median, p99, r->unit, base,
               r->target, c->quick && r->status[0] ? "(quick)" : r->status);
    }
    if (c->quick)
        printf("\n--quick: targets are not judged at this scale.\n");
    else if (missed)
        printf("\n%d target(s) MISSED at this scale; docs/performance.md says what would close "
               "them.\n", missed);
    else
        printf("\nEvery target met.\n");
}

/* ---- checks ------------------------------------------------------------------ */

/* One check as a request brings it: who, what, and the object's id, carried in
 * the request itself (a caller parses an id into its request before it asks; it
 * does not fetch it from a table of millions). */
typedef struct check_op {
    tg_session *s;
    const char *user;
    tg_action action;
    const char *object; /* object_text, or NULL */
    char object_text[BENCH_ID_LEN];
} check_op;

typedef struct checks {
    tg_session **sessions;
    char (*users)[64];
    size_t nsessions;
    check_op *ops;
    size_t nops;
} checks;

/* A realistic mix: users of providers and of resellers (half each), the actions
 * partner users check all day, on customers and subscriptions of their own
 * partner (three in five) or anyone's (which are denied). */
static int make_checks(checks *k, const bench_tg *b, const bench_model *m, size_t nsessions,
                       size_t nops, uint64_t seed)
{
    static const tg_action mix[] = {
        TG_ACT_VIEW_CUSTOMER, TG_ACT_VIEW_CUSTOMER, TG_ACT_VIEW_CUSTOMER, TG_ACT_ORDER_PLACE,
        TG_ACT_ORDER_PLACE, TG_ACT_DELEGATED_ADMIN, TG_ACT_DELEGATED_ADMIN, TG_ACT_BILLING_VIEW,
        TG_ACT_VIEW_SUBSCRIPTION, TG_ACT_VIEW_SUBSCRIPTION, TG_ACT_VIEW_SUBSCRIPTION,
        TG_ACT_CUSTOMER_REMOVE, TG_ACT_USERS_MANAGE, TG_ACT_VIEW_PARTNERS,
    };
    uint64_t rs = seed;
    k->nsessions = nsessions;
    k->sessions = calloc(nsessions, sizeof(*k->sessions));
    k->users = calloc(nsessions, sizeof(*k->users));
    k->nops = nops;
    k->ops = calloc(nops, sizeof(*k->ops));
    size_t *partner = calloc(nsessions, sizeof(size_t));
    if (!k->sessions || !k->users || !k->ops || !partner) return -1;
    size_t per_partner = m->users / m->partners;
    for (size_t i = 0; i < nsessions; i++) {
        size_t p = i % 2 ? bench_below(&rs, m->providers)
                         : m->providers + bench_below(&rs, m->resellers);
        size_t u = p + m->partners * bench_below(&rs, per_partner);
        partner[i] = p;
        bench_user_id(k->users[i], m, u);
        if (!(k->sessions[i] = bench_tg_user(b, m, u))) return -1;
    }
    for (size_t i = 0; i < nops; i++) {
        size_t si = bench_below(&rs, nsessions), p = partner[si];
        check_op *op = &k->ops[i];
        op->s = k->sessions[si];
        op->user = k->users[si];
        op->action = mix[bench_below(&rs, sizeof(mix) / sizeof(mix[0]))];
        if (op->action == TG_ACT_USERS_MANAGE || op->action == TG_ACT_VIEW_PARTNERS) continue;
        size_t own = m->by_partner_at[p + 1] - m->by_partner_at[p];
        size_t c = own && bench_below(&rs, 5) < 3
                       ? m->by_partner[m->by_partner_at[p] + bench_below(&rs, own)]
                       : bench_below(&rs, m->customers);
        const char *id;
        if (op->action == TG_ACT_VIEW_SUBSCRIPTION) {
            size_t n = m->first_sub[c + 1] - m->first_sub[c];
            id = BENCH_ID(&b->subscriptions, m->first_sub[c] + bench_below(&rs, n));
        } else {
            id = BENCH_ID(&b->customers, c);
        }
        memcpy(op->object_text, id, BENCH_ID_LEN);
        op->object = op->object_text;
    }
    free(partner);
    return 0;
}

static void free_checks(checks *k)
{
    for (size_t i = 0; i < k->nsessions; i++) tg_session_close(k->sessions[i]);
    free(k->sessions);
    free(k->users);
    free(k->ops);
}

static volatile int sink;

/* A check by one side: tiergraph's, or the baseline's (ctx is its database). */
typedef int (*check_fn)(void *ctx, const check_op *op);

static int tg_side_check(void *ctx, const check_op *op)
{
    (void)ctx;
    return tg_check(op->s, op->action, op->object);
}

static int sq_side_check(void *ctx, const check_op *op)
{
    return bench_sq_check(ctx, op->user, op->action, op->object);
}

/* Runs of `batch` consecutive checks from a random place; ns per check. Both
 * sides are called through the same function pointer, so both pay for it. */
static stat2 time_checks(check_fn check, void *ctx, const checks *k, size_t runs, size_t batch)
{
    double *v = malloc(runs * sizeof(double));
    uint64_t rs = SEED;
    for (size_t r = 0; r < runs; r++) {
        size_t at = bench_below(&rs, k->nops - batch);
        int acc = 0;
        double t0 = now_ns();
        for (size_t i = at; i < at + batch; i++) acc += check(ctx, &k->ops[i]);
        v[r] = (now_ns() - t0) / (double)batch;
        sink += acc;
    }
    stat2 s = summarize(v, runs);
    free(v);
    return s;
}

/* Both sides must answer every check alike, or the comparison means nothing. */
static int same_answers(bench_sq *q, const checks *k, size_t n, size_t *allowed)
{
    size_t differ = 0;
    *allowed = 0;
    for (size_t i = 0; i < n && i < k->nops; i++) {
        const check_op *op = &k->ops[i];
        int t = tg_check(op->s, op->action, op->object) == TG_OK;
        int s = bench_sq_check(q, op->user, op->action, op->object);
        *allowed += (size_t)t;
        if (t != s && differ++ < 5)
            fprintf(stderr, "bench: answers differ: %s action %d on %s: tiergraph %d (%s), "
                            "sqlite %d\n",
                    op->user, op->action, op->object ? op->object : "-", t,
                    t ? "" : tg_error_message(), s);
    }
    return differ ? -1 : 0;
}

typedef struct worker {
    const checks *k;
    double seconds;
    atomic_int *go;
    uint64_t done;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    while (!atomic_load(w->go)) {
    }
    double end = now_ns() + w->seconds * 1e9;
    uint64_t n = 0;
    size_t i = 0;
    int acc = 0;
    while (now_ns() < end) {
        for (int j = 0; j < 1000; j++) {
            const check_op *op = &w->k->ops[i];
            acc += tg_check(op->s, op->action, op->object);
            if (++i == w->k->nops) i = 0;
        }
        n += 1000;
    }
    sink += acc;
    w->done = n;
    return NULL;
}

/* Checks per second with `threads` threads, each with its own sessions and ops
 * (a session belongs to one thread at a time: docs/threading.md). */
static double throughput(const checks *k, int threads, double seconds)
{
    pthread_t t[2];
    worker w[2];
    atomic_int go = 0;
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){&k[i], seconds, &go, 0};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    double t0 = now_ns();
    atomic_store(&go, 1);
    uint64_t total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        total += w[i].done;
    }
    return (double)total / ((now_ns() - t0) / 1e9);
}

/* ---- the machine's floor ------------------------------------------------------- */

/* Nanoseconds per dependent load from `bytes` of memory visited at random (one
 * cache line per step, a single cycle through all of them, on huge pages where
 * the system gives them): what a lookup in a graph too large for the caches costs
 * at the least, per record it must wait for. A check reads an index slot, then a
 * record, each such a load. */
static double dependent_load_ns(size_t bytes)
{
    size_t n = bytes / 64;
    char *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t *order = malloc(n * sizeof(uint32_t));
    if (m == MAP_FAILED || !order) exit(1);
#ifdef MADV_HUGEPAGE
    madvise(m, bytes, MADV_HUGEPAGE);
#endif
    uint64_t rs = SEED;
    for (size_t i = 0; i < n; i++) order[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) { /* Sattolo: one cycle through every line */
        size_t j = bench_below(&rs, i);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        *(char **)(m + (size_t)order[i] * 64) = m + (size_t)order[(i + 1) % n] * 64;
    free(order);
    char *p = m;
    size_t steps = 2000000;
    double t0 = now_ns();
    for (size_t i = 0; i < steps; i++) p = *(char **)p;
    double ns = (now_ns() - t0) / (double)steps;
    sink += (int)(uintptr_t)p;
    munmap(m, bytes);
    return ns;
}

/* ---- listings ---------------------------------------------------------------- */

/* One list call as a caller makes it: its session and, for a customer's
 * subscriptions, the customer's id in hand (as for the checks, the harness's
 * own tables of ids and sellers, read at random, are no cost of the call). */
typedef struct list_op {
    tg_session *session;
    char id[BENCH_ID_LEN];
} list_op;

/* Time per returned item listing resellers' customers (by their Global admins)
 * and customers' subscriptions (by their sellers' Global admins), picked at
 * random from `seed`. Call it once with another seed first, as the checks are
 * warmed up: a first pass over a graph just built also pays, once, for what a
 * process that has been serving for a while has warm (the sessions' state
 * after the build's writes, and in a virtual machine the host's page tables of
 * the graph's memory: the first pass at 1 M customers took 3 to 6 times as long
 * as the next, over other resellers and customers). */
static void time_lists(const bench_tg *b, const bench_model *m, uint64_t seed, size_t runs,
                       stat2 *customers, stat2 *subscriptions)
{
    double *v = malloc(runs * sizeof(double));
    list_op ops[200];
    uint64_t rs = seed;
    for (size_t r = 0; r < runs; r++) {
        for (int j = 0; j < 20; j++) ops[j].session = b->admin[m->providers + bench_below(&rs, m->resellers)];
        size_t items = 0;
        double t0 = now_ns();
        for (int j = 0; j < 20; j++) {
            tg_iter *it;
            const char *id;
            if (tg_customers(&it, ops[j].session, NULL)) continue;
            while (tg_iter_next(it, &id) == TG_OK) items++;
            tg_iter_free(it);
        }
        v[r] = (now_ns() - t0) / (double)(items ? items : 1);
    }
    *customers = summarize(v, runs);
    for (size_t r = 0; r < runs; r++) {
        for (int j = 0; j < 200; j++) {
            size_t c = bench_below(&rs, m->customers);
            ops[j].session = b->admin[m->seller[c]];
            memcpy(ops[j].id, BENCH_ID(&b->customers, c), BENCH_ID_LEN);
        }
        size_t items = 0;
        double t0 = now_ns();
        for (int j = 0; j < 200; j++) {
            tg_iter *it;
            const char *id;
            if (tg_subscriptions(&it, ops[j].session, ops[j].id)) continue;
            while (tg_iter_next(it, &id) == TG_OK) items++;
            tg_iter_free(it);
        }
        v[r] = (now_ns() - t0) / (double)(items ? items : 1);
    }
    *subscriptions = summarize(v, runs);
    free(v);
}

static void time_sq_lists(bench_sq *q, const bench_model *m, const bench_ids *customers,
                          uint64_t seed, size_t runs, stat2 *cust, stat2 *subs)
{
    double *v = malloc(runs * sizeof(double));
    uint64_t rs = seed;
    struct {
        char user[64], id[BENCH_ID_LEN];
    } ops[200]; /* the requests, prepared before the clock starts as time_lists does */
    for (size_t r = 0; r < runs; r++) {
        for (int j = 0; j < 20; j++)
            bench_user_id(ops[j].user, m, m->providers + bench_below(&rs, m->resellers));
        long items = 0;
        double t0 = now_ns();
        for (int j = 0; j < 20; j++) {
            long n = bench_sq_customers(q, ops[j].user);
            items += n > 0 ? n : 0;
        }
        v[r] = (now_ns() - t0) / (double)(items ? items : 1);
    }
    *cust = summarize(v, runs);
    for (size_t r = 0; r < runs; r++) {
        for (int j = 0; j < 200; j++) {
            size_t c = bench_below(&rs, m->customers);
            bench_user_id(ops[j].user, m, m->seller[c]);
            memcpy(ops[j].id, BENCH_ID(customers, c), BENCH_ID_LEN);
        }
        long items = 0;
        double t0 = now_ns();
        for (int j = 0; j < 200; j++) {
            long n = bench_sq_subscriptions(q, ops[j].user, ops[j].id);
            items += n > 0 ? n : 0;
        }
        v[r] = (now_ns() - t0) / (double)(items ? items : 1);
    }
    *subs = summarize(v, runs);
    free(v);
}

/* ---- writes and memory --------------------------------------------------------- */

/* The process's anonymous resident bytes (/proc/self/statm: resident less
 * shared): the graph's blocks live in huge-page chunks outside malloc
 * (src/util/arena.h), so the heap's own counters would not see them, and the
 * file store reads keys back through a mapping of its journal, file-backed
 * pages that come and go with the page cache and are not the graph's memory.
 * Resident memory grows by (huge) pages, so the writes below are many enough
 * (20 000) that a 2 MiB page is about a hundred bytes per record. */
static long long resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = 0, shared = 0;
    if (!f || fscanf(f, "%lld %lld %lld", &size, &resident, &shared) != 3) resident = shared = 0;
    if (f) fclose(f);
    return (resident - shared) * sysconf(_SC_PAGESIZE);
}

/* Customers through the draft flow at the graph's current Argon2id cost; each
 * run creates one. Sets *grown to the bytes the process grew by. */
static stat2 time_drafts(bench_tg *b, const bench_model *m, size_t *next, size_t n,
                         long long *grown)
{
    double *v = malloc(n * sizeof(double));
    long long before = resident_bytes();
    for (size_t i = 0; i < n; i++) {
        double t0 = now_ns();
        int rc = bench_tg_customer(b, m, (*next)++, NULL);
        v[i] = (now_ns() - t0) / 1e3;
        if (rc) {
            fprintf(stderr, "bench: draft: %s\n", tg_error_message());
            exit(1);
        }
    }
    if (grown) *grown = resident_bytes() - before;
    stat2 s = summarize(v, n);
    free(v);
    return s;
}

static stat2 time_subscription_adds(bench_tg *b, const bench_model *m, size_t n,
                                    long long *grown)
{
    double *v = malloc(n * sizeof(double));
    uint64_t rs = SEED ^ 0x5ab;
    long long before = resident_bytes();
    for (size_t i = 0; i < n; i++) {
        size_t c = bench_below(&rs, m->customers);
        char *id;
        double t0 = now_ns();
        int rc = tg_subscription_add(&id, b->admin[m->seller[c]], BENCH_ID(&b->customers, c),
                                     "CFQ7TTC0LH18:0001", 5, NULL, NULL);
        v[i] = (now_ns() - t0) / 1e3;
        if (rc) {
            fprintf(stderr, "bench: subscription: %s\n", tg_error_message());
            exit(1);
        }
        tg_free(id);
    }
    *grown = resident_bytes() - before;
    stat2 s = summarize(v, n);
    free(v);
    return s;
}

/* ---- opening the file store, in a fresh process -------------------------------- */

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
    if (f) fclose(f);
    return kib;
}

/* The child: open, report, close, report the close. */
static int open_only(const char *path)
{
    char uri[4096];
    snprintf(uri, sizeof(uri), "file:%s", path);
    long before = rss_kib();
    double t0 = now_ns();
    tg_graph *g;
    if (tg_graph_open(&g, uri)) {
        fprintf(stderr, "bench: open %s: %s\n", uri, tg_error_message());
        return 1;
    }
    double seconds = (now_ns() - t0) / 1e9;
    long after = rss_kib();
    int64_t records = 0;
    tg_graph_store_stat(&records, g, TG_STAT_RECORDS);
    printf("records=%lld seconds=%.6f rss_before_kib=%ld rss_after_kib=%ld\n",
           (long long)records, seconds, before, after);
    t0 = now_ns();
    tg_graph_close(g);
    printf(" close_seconds=%.6f\n", (now_ns() - t0) / 1e9);
    return 0;
}

typedef struct opened {
    long long records;
    double seconds;
    long rss_before, rss_after;
    double close_seconds;
} opened;

static int open_in_child(const config *c, const char *path, opened *o)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "'%s' --open '%s'", c->self, path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    int n = fscanf(p, "records=%lld seconds=%lf rss_before_kib=%ld rss_after_kib=%ld",
                   &o->records, &o->seconds, &o->rss_before, &o->rss_after);
    n += fscanf(p, " close_seconds=%lf", &o->close_seconds);
    int status = pclose(p);
    return n == 5 && status == 0 ? 0 : -1;
}

/* ---- main -------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: tg_bench [--quick | --customers N] [--dir D]\n"
                    "       tg_bench --open PATH   (internal: open a file store, report)\n");
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static double t_start;
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[%6.1f s] ", (now_ns() - t_start) / 1e9);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* A graph of n customers on mem: for the listing sizes below the reference. */
static void lists_at(const config *c, size_t n, stat2 *cust, stat2 *subs)
{
    bench_model m;
    bench_tg b;
    if (bench_model_make(&m, n, SEED) || bench_tg_build(&b, &m, "mem:", false)) exit(1);
    time_lists(&b, &m, SEED ^ 0x1158, c->quick ? 20 : 200, cust, subs); /* warm up */
    time_lists(&b, &m, SEED ^ 0x1157, c->quick ? 20 : 200, cust, subs);
    bench_tg_free(&b, &m);
    bench_model_free(&m);
}

int main(int argc, char **argv)
{
    config c = {.customers = REFERENCE_CUSTOMERS, .dir = "bench-data", .self = argv[0]};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--open") && i + 1 < argc) return open_only(argv[++i]);
        if (!strcmp(argv[i], "--quick")) {
            c.quick = true;
            c.customers = 2000;
        } else if (!strcmp(argv[i], "--customers") && i + 1 < argc) {
            c.customers = strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            c.dir = argv[++i];
        } else {
            usage();
            return 2;
        }
    }
    if (c.customers < 100) {
        usage();
        return 2;
    }
    t_start = now_ns();
    if (mkdir(c.dir, 0755) && errno != EEXIST) {
        perror(c.dir);
        return 1;
    }
    char path[4096], uri[4200], sqpath[4096];
    snprintf(path, sizeof(path), "%s/reference.tg", c.dir);
    snprintf(uri, sizeof(uri), "file:%s", path);
    snprintf(sqpath, sizeof(sqpath), "%s/baseline.sqlite", c.dir);
    remove(path);

    bench_model m;
    if (bench_model_make(&m, c.customers, SEED)) return 1;
    say("building the graph: %zu customers, %zu subscriptions, %zu users on %s", m.customers,
        m.subscriptions, m.users, uri);
    bench_tg b;
    double t0 = now_ns();
    if (bench_tg_build(&b, &m, uri, !c.quick)) return 1;
    double build_s = (now_ns() - t0) / 1e9;
    say("built in %.1f s (revision %llu)", build_s, (unsigned long long)tg_graph_revision(b.g));

    say("building the SQLite baseline at %s", sqpath);
    bench_sq *q = bench_sq_build(&m, &b.customers, &b.subscriptions, sqpath);
    if (!q) return 1;

    /* 0. the machine: a dependent load at random from a graph-sized working set */
    size_t floor_mib = c.quick ? 16 : 1024;
    char floor_what[64];
    snprintf(floor_what, sizeof(floor_what), "dependent load, %zu MiB at random (floor)", floor_mib);
    report(floor_what, "ns", (stat2){dependent_load_ns(floor_mib << 20), NAN}, NAN, false);

    /* 1. checks */
    checks k, k2[2];
    size_t nsessions = c.quick ? 64 : 1024, nops = c.quick ? 1 << 14 : 1 << 20;
    if (make_checks(&k, &b, &m, nsessions, nops, SEED ^ 0xc4ec)) return 1;
    for (int i = 0; i < 2; i++)
        if (make_checks(&k2[i], &b, &m, nsessions, nops / 4, SEED + (uint64_t)i)) return 1;
    size_t allowed;
    if (same_answers(q, &k, c.quick ? k.nops : 100000, &allowed)) {
        fprintf(stderr, "bench: tiergraph and the baseline disagree; no comparison\n");
        return 1;
    }
    say("checks: both sides agree on every answer (%zu%% allowed)",
        100 * allowed / (c.quick ? k.nops : 100000));
    time_checks(tg_side_check, NULL, &k, c.quick ? 5 : 200, 1000); /* warm up */
    row *r = report("check (tg_check, 1 thread)", "ns",
                    time_checks(tg_side_check, NULL, &k, c.quick ? 20 : 1000, 1000), 250, false);
    baseline(r, time_checks(sq_side_check, q, &k, c.quick ? 5 : 200, 200), 50);
    double seconds = c.quick ? 0.2 : 3;
    double one = throughput(k2, 1, seconds), two = throughput(k2, 2, seconds);
    report("check throughput, 1 thread", "M/s", (stat2){one / 1e6, NAN}, NAN, false);
    report("check throughput, 2 threads", "M/s", (stat2){two / 1e6, NAN}, NAN, false);
    report("  2 threads / 1 thread", "x", (stat2){two / one, NAN}, 1.7, true);
    say("checks timed");

    /* 2. listings, at several graph sizes */
    size_t sizes[3] = {c.customers / 100, c.customers / 10, c.customers};
    stat2 lc[3], ls[3];
    for (int i = 0; i < 2; i++) {
        say("listing on a graph of %zu customers", sizes[i]);
        lists_at(&c, sizes[i], &lc[i], &ls[i]);
    }
    time_lists(&b, &m, SEED ^ 0x1158, c.quick ? 20 : 200, &lc[2], &ls[2]); /* warm up */
    time_lists(&b, &m, SEED ^ 0x1157, c.quick ? 20 : 200, &lc[2], &ls[2]);
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof(what), "list a reseller's customers, %zuk graph", sizes[i] / 1000);
        row *lr = report(what, "ns/item", lc[i], 40, false);
        if (i == 2) {
            stat2 sc, ss;
            time_sq_lists(q, &m, &b.customers, SEED ^ 0x1158, c.quick ? 5 : 50, &sc, &ss);
            time_sq_lists(q, &m, &b.customers, SEED ^ 0x1157, c.quick ? 5 : 50, &sc, &ss);
            baseline(lr, sc, NAN);
            snprintf(what, sizeof(what), "list a customer's subscriptions, %zuk", sizes[i] / 1000);
            baseline(report(what, "ns/item", ls[i], 40, false), ss, NAN);
        } else {
            snprintf(what, sizeof(what), "list a customer's subscriptions, %zuk", sizes[i] / 1000);
            report(what, "ns/item", ls[i], 40, false);
        }
    }
    report("  customers per item, largest / smallest", "x",
           (stat2){lc[2].median / lc[0].median, NAN}, 1.5, false);
    report("  subscriptions per item, largest / smallest", "x",
           (stat2){ls[2].median / ls[0].median, NAN}, 1.5, false);
    say("listings timed");
    bench_sq_free(q);

    /* 3. writes, and what they add to memory */
    size_t next = m.customers, n = c.quick ? 50 : 20000;
    long long grown_c = 0, grown_s = 0;
    stat2 draft = time_drafts(&b, &m, &next, n, &grown_c);
    report("create a customer (draft, Argon2id min)", "us", draft, NAN, false);
    stat2 sub = time_subscription_adds(&b, &m, n, &grown_s);
    report("add a subscription", "us", sub, NAN, false);
    tg_graph_set_option(b.g, TG_OPT_ARGON2_OPSLIMIT, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
    tg_graph_set_option(b.g, TG_OPT_ARGON2_MEMLIMIT, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
    report("create a customer (draft, Argon2id default)", "us",
           time_drafts(&b, &m, &next, c.quick ? 2 : 10, NULL), NAN, false);
    double per_sub = (double)grown_s / (double)n, per_cust = (double)grown_c / (double)n - per_sub;
    say("writes timed");

    /* 4., 5. open the file store in a fresh process; its memory */
    bench_tg_free(&b, &m);
    free_checks(&k);
    free_checks(&k2[0]);
    free_checks(&k2[1]);
    opened o;
    if (open_in_child(&c, path, &o)) {
        fprintf(stderr, "bench: reopening %s failed\n", path);
        return 1;
    }
    struct stat st;
    stat(path, &st);
    report("open the file store", "Mrec/s", (stat2){o.records / o.seconds / 1e6, NAN}, 1.0, true);
    report("  records", "M", (stat2){(double)o.records / 1e6, NAN}, NAN, false);
    report("  open time", "s", (stat2){o.seconds, NAN}, NAN, false);
    report("  close time", "s", (stat2){o.close_seconds, NAN}, NAN, false);
    report("  size on disk", "MiB", (stat2){(double)st.st_size / 1048576.0, NAN}, NAN, false);
    report("resident memory of the opened graph", "MiB",
           (stat2){(double)(o.rss_after - o.rss_before) / 1024.0, NAN}, 1536, false);
    report("  resident per customer (its admin, record)", "bytes", (stat2){per_cust, NAN}, NAN, false);
    report("  resident per subscription", "bytes", (stat2){per_sub, NAN}, NAN, false);
    say("done");

    print_table(&c, &m);
    bench_model_free(&m);
    return 0;
}
