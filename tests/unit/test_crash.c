/* test_crash.c - kill -9 a writer at random moments and check that nothing it was
 * told is committed is ever lost, and nothing else is half there.
 *
 * A child opens the "file:" store and performs random valid writes forever
 * (customers, subscriptions, status and attribution changes, partnerships, users),
 * with compaction made frequent. After each acknowledged write it sends the new
 * revision and a digest of everything observable (fx_state) through a pipe. The
 * parent kills it with SIGKILL after a random delay, reopens the store and checks:
 *  - the revision is the last acknowledged one, or one more (a write whose commit
 *    reached the disk before the kill but whose acknowledgement did not);
 *  - at the acknowledged revision, the graph is exactly the acknowledged one;
 *  - the graph passes tg_graph_verify (references, indexes, rules).
 * TG_CRASH_KILLS sets the number of kill points (default 200, plus a quarter of that
 * with compaction after every commit, and a quarter on the sqlite: store). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"
#include "store/file.h"
#include "tmpdir.h"

typedef struct ack {
    uint64_t revision;
    int64_t compactions;
    unsigned char digest[16];
} ack;

static void digest_of(fx *f, unsigned char out[16])
{
    char *state = fx_state(f);
    crypto_generichash(out, 16, (const unsigned char *)state, strlen(state), NULL, 0);
    free(state);
}

static uint32_t next(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* An id from a list the session sees, picked at random, or NULL when empty. */
static const char *pick(tg_iter *it, uint32_t *seed, char *buf, size_t size)
{
    const char *id = NULL;
    size_t n = it ? tg_iter_count(it) : 0;
    if (n > 0) {
        size_t want = next(seed) % n;
        for (size_t i = 0; i <= want; i++) tg_iter_next(it, &id);
        snprintf(buf, size, "%s", id);
        id = buf;
    }
    tg_iter_free(it);
    return id;
}

static const char *a_customer(fx *f, uint32_t *seed, char *buf)
{
    tg_iter *it = NULL;
    tg_customers(&it, fx_user(f, "ga@p1"), NULL);
    return pick(it, seed, buf, 64);
}

static const char *a_subscription(fx *f, uint32_t *seed, char *buf)
{
    char cbuf[64];
    const char *cid = a_customer(f, seed, cbuf);
    if (!cid) return NULL;
    tg_iter *it = NULL;
    tg_subscriptions(&it, fx_user(f, "ga@p1"), cid);
    return pick(it, seed, buf, 64);
}

static char pending_link[512]; /* an invitation made, to be accepted by a later write */

/* One random write (one commit at most); the library's answer (refusals are part
 * of the game). */
static int random_write(fx *f, uint32_t *seed, int round, int *made)
{
    char buf[64], name[64];
    const char *id;
    tg_session *p1 = fx_user(f, "ga@p1");
    switch (next(seed) % 10) {
    case 0: {
        tg_draft *d;
        tg_receipt *r = NULL;
        int rc = tg_draft_new(&d, next(seed) % 4 ? p1 : fx_user(f, "ga@d1"));
        if (rc) return rc;
        snprintf(name, sizeof(name), "k%dn%d", round, (*made)++);
        fx_fill_draft(d, name);
        if (next(seed) % 2) tg_draft_set(d, TG_FIELD_RESELLER, R1);
        for (uint32_t i = next(seed) % 3; i > 0; i--) tg_draft_add_subscription(d, "offer-e3", 2);
        rc = tg_draft_submit(&r, d);
        tg_receipt_free(r);
        tg_draft_free(d);
        return rc;
    }
    case 2: {
        char *sid = NULL;
        if (!(id = a_customer(f, seed, buf))) return TG_ENOTFOUND;
        int rc = tg_subscription_add(&sid, p1, id, "offer-e5", 1 + (int)(next(seed) % 9),
                                     next(seed) % 2 ? R1_PID : NULL, NULL);
        tg_free(sid);
        return rc;
    }
    case 1:
    case 3:
    case 4:
    case 5:
        if (!(id = a_subscription(f, seed, buf))) return TG_ENOTFOUND;
        return tg_subscription_set_status(p1, id, next(seed) % 2 ? TG_SUB_ACTIVE
                                                                 : TG_SUB_SUSPENDED);
    case 6:
        if (!(id = a_subscription(f, seed, buf))) return TG_ENOTFOUND;
        return tg_subscription_set_reseller(p1, id, next(seed) % 2 ? R1_PID : NULL);
    case 7:
        if (next(seed) % 2)
            return tg_partnership_remove(p1, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH);
        if (pending_link[0] == '\0') { /* one write: the invitation */
            tg_invite *inv;
            int rc = tg_invite_create(&inv, p1);
            if (rc == TG_OK) snprintf(pending_link, sizeof(pending_link), "%s", tg_invite_link(inv));
            tg_invite_free(inv);
            return rc;
        } else { /* another: its acceptance */
            int rc = tg_partnership_accept(fx_user(f, "ga@r1"), pending_link);
            pending_link[0] = '\0';
            return rc;
        }
    case 8:
        snprintf(name, sizeof(name), "u%d@p2", (int)(next(seed) % 8));
        return next(seed) % 2 ? tg_user_add(f->op, P2, name, TG_ROLE_SALES_AGENT)
                              : tg_user_remove(f->op, name);
    default:
        if (!(id = a_customer(f, seed, buf))) return TG_ENOTFOUND;
        return next(seed) % 2 ? tg_customer_set_reseller(p1, id, NULL)
                              : tg_customer_remove(p1, id);
    }
}

/* The store under test: "file:" with a compaction threshold, or "sqlite:". */
typedef struct backend {
    const char *scheme;
    int (*open)(tg_store **out, const char *path);
    uint64_t compact_min;
} backend;

static void child(const backend *b, const char *path, int round, int out)
{
    tg_store *s;
    if (b->open(&s, path) != TG_OK) _exit(2);
    if (b->open == tg_store_file_new) tg__file_store_set_compact_min(s, b->compact_min);
    tg_graph *g;
    if (tg_graph_open_store(&g, s) != TG_OK) _exit(3);
    fx *f = fx_adopt(g);
    f->store = s;
    uint32_t seed = (uint32_t)round * 2654435761u + 1;
    int made = 0;
    for (;;) {
        uint64_t before = tg_graph_revision(g);
        int rc = random_write(f, &seed, round, &made);
        if (rc != TG_OK) {
            if (tg_graph_revision(g) != before) _exit(5); /* a refused write changed the graph */
            continue;
        }
        if (tg_graph_revision(g) != before + 1) _exit(6); /* one write, one revision */
        ack a = {tg_graph_revision(g), 0, {0}};
        tg_graph_store_stat(&a.compactions, g, TG_STAT_COMPACTIONS);
        digest_of(f, a.digest);
        if (write(out, &a, sizeof(a)) != (ssize_t)sizeof(a)) _exit(4);
    }
}

/* `kills` kill points on the backend's store. */
static void kill_at_random_moments(int kills, const backend *b)
{
    char *dir = tmpdir_new();
    char path[4096];
    snprintf(path, sizeof(path), "%s", tmpdir_path(dir, "graph.tg"));

    tg_store *s;
    assert_int_equal(b->open(&s, path), TG_OK);
    fx *f = fx_build(s);
    ack last = {tg_graph_revision(f->g), 0, {0}};
    digest_of(f, last.digest);
    fx_free(f);

    uint32_t seed = (uint32_t)time(NULL);
    print_message("%s: seed %u, %d kill points\n", b->scheme, seed, kills);
    long acked = 0, in_flight = 0, rounds_compacting = 0;
    for (int round = 0; round < kills; round++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child(b, path, round, p[1]);
        }
        close(p[1]);
        struct timespec delay = {0, (long)(next(&seed) % 40000) * 1000L}; /* 0-40 ms */
        nanosleep(&delay, NULL);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status))
            fail_msg("round %d: the child stopped by itself (status %d)", round, status);
        ack a;
        ssize_t got;
        int compacted = 0;
        while ((got = read(p[0], &a, sizeof(a))) == (ssize_t)sizeof(a)) {
            if (a.revision <= last.revision)
                fail_msg("round %d: revision %llu acknowledged after %llu", round,
                         (unsigned long long)a.revision, (unsigned long long)last.revision);
            last = a;
            acked++;
            if (a.compactions > 0) compacted = 1;
        }
        assert_true(got == 0); /* whole acknowledgements only: pipe writes are atomic */
        close(p[0]);
        rounds_compacting += compacted;

        tg_graph *g;
        char uri[4200];
        snprintf(uri, sizeof(uri), "%s%s", b->scheme, path);
        int rc = tg_graph_open(&g, uri);
        if (rc) fail_msg("round %d: reopen failed: %s", round, tg_error_message());
        f = fx_adopt(g);
        uint64_t rev = tg_graph_revision(g);
        if (rev != last.revision && rev != last.revision + 1)
            fail_msg("round %d: reopened at revision %llu, last acknowledged %llu", round,
                     (unsigned long long)rev, (unsigned long long)last.revision);
        unsigned char now[16];
        digest_of(f, now);
        if (rev == last.revision && memcmp(now, last.digest, 16) != 0)
            fail_msg("round %d: the graph at acknowledged revision %llu is not the one acknowledged",
                     round, (unsigned long long)rev);
        if (tg_graph_verify(g) != TG_OK)
            fail_msg("round %d: %s", round, tg_error_message());
        if (rev == last.revision + 1) in_flight++;
        last.revision = rev;
        memcpy(last.digest, now, 16);
        fx_free(f);
    }
    print_message("%s %d kills: %ld acknowledged writes, none lost; %ld commits found that were "
                  "durable but not yet acknowledged; %ld rounds compacted the journal\n",
                  b->scheme, kills, acked, in_flight, rounds_compacting);
    tmpdir_remove(dir);
}

static int kills_wanted(void)
{
    const char *env = getenv("TG_CRASH_KILLS");
    return env && atoi(env) > 0 ? atoi(env) : 200;
}

/* Writes of every kind, with compaction now and then. */
static void kill_while_writing(void **state)
{
    (void)state;
    static const backend file = {"file:", tg_store_file_new, 4096};
    kill_at_random_moments(kills_wanted(), &file);
}

/* Compaction after every commit, so that kills land inside it: in the snapshot's
 * writing, flushing, renaming. */
static void kill_while_compacting(void **state)
{
    (void)state;
    static const backend file = {"file:", tg_store_file_new, 0};
    kill_at_random_moments(kills_wanted() / 4, &file);
}

#ifdef TG_WITH_SQLITE
/* The same promise from the sqlite: store (SQLite's own recovery). */
static void kill_while_writing_sqlite(void **state)
{
    (void)state;
    static const backend sqlite = {"sqlite:", tg_store_sqlite_new, 0};
    kill_at_random_moments(kills_wanted() / 4, &sqlite);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kill_while_writing),
        cmocka_unit_test(kill_while_compacting),
#ifdef TG_WITH_SQLITE
        cmocka_unit_test(kill_while_writing_sqlite),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
