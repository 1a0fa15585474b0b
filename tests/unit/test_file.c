/* test_file.c - the "file:" store: reopening, locking, torn tails and damage,
 * compaction, durability, statistics, write failures, and no secrets on disk.
 * (The byte-by-byte damage sweep is test_corruption.c; kill -9 is test_crash.c.) */
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "store/file.h"
#include "tmpdir.h"

typedef struct ctx {
    char *dir;
    char path[4096]; /* the journal */
    char uri[4200];  /* "file:" + path */
} ctx;

static int setup(void **state)
{
    ctx *c = calloc(1, sizeof(*c));
    c->dir = tmpdir_new();
    snprintf(c->path, sizeof(c->path), "%s", tmpdir_path(c->dir, "graph.tg"));
    snprintf(c->uri, sizeof(c->uri), "file:%s", c->path);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    tmpdir_remove(c->dir);
    free(c);
    return 0;
}

/* The standard fixture graph on the file store at c->path. */
static fx *build(ctx *c)
{
    tg_store *s;
    assert_int_equal(tg_store_file_new(&s, c->path), TG_OK);
    return fx_build(s);
}

static fx *reopen(ctx *c)
{
    tg_graph *g;
    int rc = tg_graph_open(&g, c->uri);
    if (rc) fail_msg("reopen: %s", tg_error_message());
    return fx_adopt(g);
}

static int64_t stat_of(fx *f, tg_store_stat what)
{
    int64_t v = -1;
    assert_int_equal(tg_graph_store_stat(&v, f->g, what), TG_OK);
    return v;
}

static off_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

static void append(const char *path, const void *bytes, size_t n)
{
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* ------------------------------------------------------------------ */

static void reopen_sees_every_committed_write(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    fx_customer(f, "ga@p1", "contoso", R1, 2);
    uint64_t rev = tg_graph_revision(f->g);
    char *before = fx_state(f);
    fx_free(f);

    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev);
    char *after = fx_state(f);
    assert_string_equal(before, after);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    /* And it goes on from there: a write after reopening survives the next one. */
    fx_customer(f, "ga@p1", "fabrikam", NULL, 1);
    char *later = fx_state(f);
    fx_free(f);
    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    char *again = fx_state(f);
    assert_string_equal(later, again);
    fx_free(f);
    free(before), free(after), free(later), free(again);
}

static void an_empty_path_or_directory_is_refused(void **state)
{
    ctx *c = *state;
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open(&g, "file:"), TG_EINVAL);
    assert_null(g);
    tg_store *s = (tg_store *)&s;
    assert_int_equal(tg_store_file_new(&s, NULL), TG_EINVAL);
    assert_null(s);
    assert_int_equal(tg_store_file_new(NULL, c->path), TG_EINVAL);
    /* A directory cannot be opened for writing. */
    assert_int_equal(tg_graph_open(&g, "file:/"), TG_EIO);
    assert_null(g);
    assert_non_null(strstr(tg_error_message(), "/"));
    /* A missing directory. */
    char uri[4300];
    snprintf(uri, sizeof(uri), "file:%s/no/such/dir/g.tg", c->dir);
    assert_int_equal(tg_graph_open(&g, uri), TG_EIO);
    assert_non_null(strstr(tg_error_message(), "cannot open"));
}

static void a_second_opener_is_busy(void **state)
{
    ctx *c = *state;
    tg_graph *g, *g2 = (tg_graph *)&g2;
    assert_int_equal(tg_graph_open(&g, c->uri), TG_OK);
    /* Another store in this process. */
    assert_int_equal(tg_graph_open(&g2, c->uri), TG_EBUSY);
    assert_null(g2);
    assert_non_null(strstr(tg_error_message(), "in use"));
    /* Another process. */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        tg_graph *g3;
        _exit(tg_graph_open(&g3, c->uri) == TG_EBUSY ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    tg_graph_close(g);
    /* Closed: the next opener gets it. */
    assert_int_equal(tg_graph_open(&g2, c->uri), TG_OK);
    tg_graph_close(g2);
}

static void a_torn_tail_is_dropped_and_reported(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    uint64_t rev = tg_graph_revision(f->g);
    char *before = fx_state(f);
    fx_free(f);
    off_t size = file_size(c->path);

    /* The start of a frame that never finished: magic, a length, a few bytes. */
    const unsigned char torn[] = {'T', 'G', 'F', 1, 0x40, 0, 0, 0, '{', '"', 'x'};
    append(c->path, torn, sizeof(torn));
    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev);
    assert_int_equal(stat_of(f, TG_STAT_TAIL_DROPPED_BYTES), (int64_t)sizeof(torn));
    assert_int_equal(file_size(c->path), size); /* cut off on open */
    char *after = fx_state(f);
    assert_string_equal(before, after);
    /* The next commit lands where the torn one began, and reads back. */
    fx_customer(f, "ga@p1", "contoso", NULL, 1);
    fx_free(f);
    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    assert_int_equal(stat_of(f, TG_STAT_TAIL_DROPPED_BYTES), 0);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    fx_free(f);
    free(before), free(after);
}

static void a_torn_header_is_an_empty_store(void **state)
{
    ctx *c = *state;
    file_write(c->path, "TIERGRAPH J", 11); /* a crash while the store was created */
    tg_graph *g;
    assert_int_equal(tg_graph_open(&g, c->uri), TG_OK);
    assert_int_equal(tg_graph_revision(g), 0);
    int64_t dropped;
    assert_int_equal(tg_graph_store_stat(&dropped, g, TG_STAT_TAIL_DROPPED_BYTES), TG_OK);
    assert_int_equal(dropped, 11);
    tg_graph_close(g);
    assert_int_equal(file_size(c->path), 16);
}

static void damage_before_the_last_commit_is_corrupt(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    fx_free(f);
    size_t len;
    unsigned char *bytes = file_read(c->path, &len);
    assert_non_null(bytes);
    /* The second frame starts after the header and the first frame. */
    size_t first_len = 8 + (size_t)(bytes[20] | bytes[21] << 8 | bytes[22] << 16 |
                                    (uint32_t)bytes[23] << 24) + 16;
    size_t second = 16 + first_len;
    bytes[second + 12] ^= 0x01;
    file_write(c->path, bytes, len);

    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open(&g, c->uri), TG_ECORRUPT);
    assert_null(g);
    char expect[64];
    snprintf(expect, sizeof(expect), "byte %zu", second);
    if (!strstr(tg_error_message(), expect))
        fail_msg("'%s' does not name %s", tg_error_message(), expect);
    /* A refused open changes nothing on disk. */
    size_t len2;
    unsigned char *after = file_read(c->path, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(after, bytes, len);
    free(bytes), free(after);
}

static void a_file_that_is_not_a_journal_is_corrupt_and_kept(void **state)
{
    ctx *c = *state;
    const char *text = "these are someone's notes, not a journal\n";
    file_write(c->path, text, strlen(text));
    tg_graph *g = (tg_graph *)&g;
    assert_int_equal(tg_graph_open(&g, c->uri), TG_ECORRUPT);
    assert_null(g);
    assert_non_null(strstr(tg_error_message(), "not a tiergraph journal"));
    size_t len;
    unsigned char *bytes = file_read(c->path, &len);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(bytes, text, len);
    free(bytes);
}

/* Toggle a subscription's status n times: overwrites that leave dead bytes. Each
 * write also adds a change event: keeping only the newest one makes the churn's
 * events dead bytes too, so that the live bytes do not grow. */
static void churn(fx *f, const char *sid, int n)
{
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CHANGE_RETENTION, 1), TG_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(tg_subscription_set_status(fx_user(f, "ga@p1"), sid,
                                                    i % 2 ? TG_SUB_ACTIVE : TG_SUB_SUSPENDED),
                         TG_OK);
}

static const char *first_subscription(fx *f, const char *cid)
{
    static char sid[64];
    tg_iter *it;
    const char *id;
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@p1"), cid), TG_OK);
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    snprintf(sid, sizeof(sid), "%s", id);
    tg_iter_free(it);
    return sid;
}

static void compaction_keeps_live_records_and_shrinks_the_journal(void **state)
{
    ctx *c = *state;
    tg_store *s;
    assert_int_equal(tg_store_file_new(&s, c->path), TG_OK);
    tg__file_store_set_compact_min(s, 1); /* compact whenever dead > live */
    fx *f = fx_build(s);
    char cid[64];
    snprintf(cid, sizeof(cid), "%s", fx_customer(f, "ga@p1", "contoso", R1, 1));
    const char *sid = first_subscription(f, cid);
    int64_t before = stat_of(f, TG_STAT_COMPACTIONS);
    int64_t start = stat_of(f, TG_STAT_STORE_BYTES);
    churn(f, sid, 200);
    int64_t compactions = stat_of(f, TG_STAT_COMPACTIONS);
    assert_true(compactions > before);
    /* The live bytes did not grow, so the journal stays below twice its start
     * (dead never exceeds live by more than the last commit). */
    int64_t bytes = stat_of(f, TG_STAT_STORE_BYTES);
    if (bytes > 2 * start + 4096)
        fail_msg("journal of %lld bytes after churn, from %lld", (long long)bytes, (long long)start);
    assert_int_equal(bytes, (int64_t)file_size(c->path));
    char *want = fx_state(f);
    uint64_t rev = tg_graph_revision(f->g);
    int64_t records = stat_of(f, TG_STAT_RECORDS);
    fx_free(f);

    /* No snapshot left beside the journal. */
    assert_int_not_equal(access(tmpdir_path(c->dir, "graph.tg.compact"), F_OK), 0);
    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev);
    assert_int_equal(stat_of(f, TG_STAT_RECORDS), records);
    char *got = fx_state(f);
    assert_string_equal(want, got);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    fx_free(f);
    free(want), free(got);
}

static void a_leftover_snapshot_is_ignored(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    uint64_t rev = tg_graph_revision(f->g);
    fx_free(f);
    /* A crash in the middle of a compaction leaves a partial snapshot beside the journal. */
    file_write(tmpdir_path(c->dir, "graph.tg.compact"), "TIERGRAPH JRNL 1TGF", 19);
    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev);
    assert_int_not_equal(access(tmpdir_path(c->dir, "graph.tg.compact"), F_OK), 0);
    fx_free(f);
}

static void durability_is_an_option_of_stores_that_have_it(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    const tg_durability modes[] = {TG_DURABILITY_OFF, TG_DURABILITY_NORMAL, TG_DURABILITY_FULL};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(tg_graph_set_option(f->g, TG_OPT_DURABILITY, modes[i]), TG_OK);
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "mode%zu", i);
        fx_customer(f, "ga@p1", prefix, NULL, 1);
    }
    REFUSED(f, tg_graph_set_option(f->g, TG_OPT_DURABILITY, 3), TG_EINVAL);
    MSG_HAS("durability");
    REFUSED(f, tg_graph_set_option(f->g, TG_OPT_DURABILITY, -1), TG_EINVAL);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_DURABILITY, TG_DURABILITY_NORMAL), TG_OK);
    fx_customer(f, "ga@p1", "lastone", NULL, 1);
    uint64_t rev = tg_graph_revision(f->g);
    fx_free(f); /* close flushes what NORMAL had not */
    f = reopen(c);
    assert_int_equal(tg_graph_revision(f->g), rev);
    fx_free(f);

    tg_graph *g;
    assert_int_equal(tg_graph_open(&g, "mem:"), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_DURABILITY, TG_DURABILITY_FULL), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "no durability"));
    tg_graph_close(g);
}

static void statistics_tell_the_truth(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    assert_int_equal(stat_of(f, TG_STAT_STORE_BYTES), (int64_t)file_size(c->path));
    /* Records: every stored record, including the revision's. */
    int64_t records = stat_of(f, TG_STAT_RECORDS);
    char *dump = fx_store_dump(f);
    assert_int_equal(records, strtoll(dump, NULL, 10));
    free(dump);
    assert_int_equal(stat_of(f, TG_STAT_TAIL_DROPPED_BYTES), 0);
    assert_int_equal(stat_of(f, TG_STAT_COMPACTIONS), 0);

    int64_t v = 7;
    assert_int_equal(tg_graph_store_stat(&v, f->g, (tg_store_stat)0), TG_EINVAL);
    assert_int_equal(v, 0);
    assert_int_equal(tg_graph_store_stat(&v, f->g, (tg_store_stat)99), TG_EINVAL);
    assert_int_equal(tg_graph_store_stat(NULL, f->g, TG_STAT_RECORDS), TG_EINVAL);
    assert_int_equal(tg_graph_store_stat(&v, NULL, TG_STAT_RECORDS), TG_EINVAL);
    fx_free(f);

    tg_graph *g;
    assert_int_equal(tg_graph_open(&g, "mem:"), TG_OK);
    assert_int_equal(tg_graph_store_stat(&v, g, TG_STAT_RECORDS), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "no statistics"));
    tg_graph_close(g);
}

/* A write the disk refuses (here: the file-size limit) fails with TG_EIO and changes
 * nothing, in memory or on disk; the next write goes through once there is room. */
static void a_failed_write_changes_nothing(void **state)
{
    ctx *c = *state;
    fx *f = build(c);
    fx_free(f);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails with EFBIG instead */
        f = reopen(c);
        uint64_t rev = tg_graph_revision(f->g);
        char *before = fx_state(f);
        off_t size = file_size(c->path);
        struct rlimit old, lim;
        getrlimit(RLIMIT_FSIZE, &old);
        lim = old;
        lim.rlim_cur = (rlim_t)size + 64; /* room for part of a frame, not all of it */
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(10);

        tg_draft *d;
        tg_receipt *r = NULL;
        if (tg_draft_new(&d, fx_user(f, "ga@p1")) != TG_OK) _exit(11);
        fx_fill_draft(d, "contoso");
        int rc = tg_draft_submit(&r, d);
        tg_draft_free(d);
        if (rc != TG_EIO || r != NULL) _exit(12);
        if (tg_graph_revision(f->g) != rev) _exit(13);
        if (file_size(c->path) != size) _exit(14); /* the partial frame was cut off */
        char *after = fx_state(f);
        if (strcmp(before, after) != 0) _exit(15);

        setrlimit(RLIMIT_FSIZE, &old);
        fx_customer(f, "ga@p1", "contoso", NULL, 1);
        if (tg_graph_revision(f->g) != rev + 1) _exit(16);
        fx_free(f);
        f = reopen(c);
        if (tg_graph_revision(f->g) != rev + 1 || tg_graph_verify(f->g) != TG_OK) _exit(17);
        fx_free(f);
        free(before), free(after);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) fail_msg("child failed at step %d", WEXITSTATUS(status));
}

/* Temporary passwords and invitation tokens never reach the file in clear: not in
 * the journal, not after a compaction. */
static void no_secret_reaches_the_file(void **state)
{
    ctx *c = *state;
    tg_store *s;
    assert_int_equal(tg_store_file_new(&s, c->path), TG_OK);
    fx *f = fx_build(s);

    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p1")), TG_OK);
    const char *token = strstr(tg_invite_link(inv), "token=");
    assert_non_null(token);
    char tok[128];
    snprintf(tok, sizeof(tok), "%s", token + 6);
    tg_invite_free(inv);

    tg_draft *d;
    tg_receipt *r;
    assert_int_equal(tg_draft_new(&d, fx_user(f, "ga@p1")), TG_OK);
    fx_fill_draft(d, "contoso");
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 3), TG_OK);
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    char password[64];
    snprintf(password, sizeof(password), "%s", tg_receipt_password(r));
    char cid[64];
    snprintf(cid, sizeof(cid), "%s", tg_receipt_customer_id(r));
    tg_receipt_free(r);
    tg_draft_free(d);

    size_t len;
    unsigned char *bytes = file_read(c->path, &len);
    assert_non_null(bytes);
    assert_true(bytes_contain(bytes, len, "contoso")); /* the search does find what is there */
    assert_false(bytes_contain(bytes, len, password));
    assert_false(bytes_contain(bytes, len, tok));
    free(bytes);

    /* After a compaction too. */
    tg__file_store_set_compact_min(s, 1);
    churn(f, first_subscription(f, cid), 50);
    assert_true(stat_of(f, TG_STAT_COMPACTIONS) > 0);
    bytes = file_read(c->path, &len);
    assert_true(bytes_contain(bytes, len, "contoso"));
    assert_false(bytes_contain(bytes, len, password));
    assert_false(bytes_contain(bytes, len, tok));
    free(bytes);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reopen_sees_every_committed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_path_or_directory_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_second_opener_is_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(a_torn_tail_is_dropped_and_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(a_torn_header_is_an_empty_store, setup, teardown),
        cmocka_unit_test_setup_teardown(damage_before_the_last_commit_is_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_that_is_not_a_journal_is_corrupt_and_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(compaction_keeps_live_records_and_shrinks_the_journal,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_leftover_snapshot_is_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(durability_is_an_option_of_stores_that_have_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(statistics_tell_the_truth, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failed_write_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(no_secret_reaches_the_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
