/* test_sqlite.c - what is particular to the "sqlite:" backend: the exclusive hold on
 * the database, foreign files, the durability option, statistics, and a graph that
 * survives close through "sqlite:PATH" without a secret in clear on disk. The vtable
 * behaviour it shares with every backend is in test_store.c's conformance suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fixture.h"
#include "store/sqlite.h"
#include "tiergraph/store.h"

/* A temporary directory per test, and the database path in it. */
typedef struct tmp {
    char dir[64];
    char path[96];
    char wal[112];
} tmp;

static int tmp_setup(void **state)
{
    tmp *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    snprintf(t->dir, sizeof(t->dir), "/tmp/tg-sqlite-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/graph.db", t->dir);
    snprintf(t->wal, sizeof(t->wal), "%s-wal", t->path);
    *state = t;
    return 0;
}

/* The store leaves at most the database and its WAL behind. */
static int tmp_teardown(void **state)
{
    tmp *t = *state;
    unlink(t->path);
    unlink(t->wal);
    assert_int_equal(rmdir(t->dir), 0);
    free(t);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* The whole content of a file, NUL-terminated; *len 0 and "" when it does not exist. */
static char *slurp(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    *len = 0;
    if (!f) {
        assert_int_equal(errno, ENOENT);
        return calloc(1, 1);
    }
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void spit(const char *name, const char *text)
{
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int64_t file_size(const char *name)
{
    struct stat st;
    if (stat(name, &st) != 0) {
        assert_int_equal(errno, ENOENT);
        return 0;
    }
    return (int64_t)st.st_size;
}

static void commit_records(tg_store *st, int from, int to)
{
    char key[32];
    assert_int_equal(st->begin(st), TG_OK);
    for (int i = from; i < to; i++) {
        snprintf(key, sizeof(key), "rec/%d", i);
        assert_int_equal(st->put(st, key, strlen(key), "value", 5), TG_OK);
    }
    assert_int_equal(st->commit(st), TG_OK);
}

static int TG_CALLBACK count_one(void *ctx, const char *key, size_t klen, const void *val,
                                 size_t vlen)
{
    (void)key, (void)klen, (void)val, (void)vlen;
    ++*(size_t *)ctx;
    return 0;
}

static size_t count_loaded(tg_store *st)
{
    size_t n = 0;
    assert_int_equal(st->load(st, count_one, &n), TG_OK);
    return n;
}

static int64_t stat_of(tg_store *st, int what)
{
    int64_t v = -1;
    assert_int_equal(st->stat(st, what, &v), TG_OK);
    return v;
}

static int synchronous(tg_store *st)
{
    int v = -1;
    assert_int_equal(tg__sqlite_synchronous(&v, st), TG_OK);
    return v;
}

/* Run SQL on a database through SQLite directly, as another program would. */
static void foreign_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static void test_new_refuses_bad_arguments(void **state)
{
    tmp *t = *state;
    tg_store *st = (tg_store *)1;
    assert_int_equal(tg_store_sqlite_new(NULL, t->path), TG_EINVAL);
    assert_int_equal(tg_store_sqlite_new(&st, NULL), TG_EINVAL);
    assert_null(st);
    assert_int_equal(tg_store_sqlite_new(&st, ""), TG_EINVAL);
    MSG_HAS("empty");
    assert_int_equal(tg_store_sqlite_new(&st, ":memory:"), TG_EINVAL);
    MSG_HAS("mem:");

    tg_graph *g = (tg_graph *)1;
    assert_int_equal(tg_graph_open(&g, "sqlite:"), TG_EINVAL);
    assert_null(g);
    MSG_HAS("sqlite:PATH");
    assert_int_equal(tg_graph_open(&g, "sqlite"), TG_EINVAL); /* no colon: not the scheme */
    MSG_HAS("unknown store");
    assert_int_equal(file_size(t->path), 0); /* nothing was created */
}

static void test_unopenable_path_is_eio(void **state)
{
    tmp *t = *state;
    char missing[160];
    snprintf(missing, sizeof(missing), "%s/no-such-dir/graph.db", t->dir);
    tg_store *st = (tg_store *)1;
    assert_int_equal(tg_store_sqlite_new(&st, missing), TG_EIO);
    assert_null(st);
    MSG_HAS("no-such-dir");
    MSG_HAS("unable to open"); /* SQLite's own words */
}

/* A name that starts with "file:" is a file in the working directory, not a URI. */
static void test_file_prefixed_name_is_a_file(void **state)
{
    tmp *t = *state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(t->dir), 0);
    tg_store *st = NULL;
    int rc = tg_store_sqlite_new(&st, "file:graph.db?mode=memory");
    if (rc == TG_OK) {
        commit_records(st, 0, 1);
        st->free(st);
    }
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, TG_OK);
    char name[160];
    snprintf(name, sizeof(name), "%s/file:graph.db?mode=memory", t->dir);
    assert_true(file_size(name) > 0);
    assert_int_equal(unlink(name), 0);
}

static void test_second_store_in_process_is_busy(void **state)
{
    tmp *t = *state;
    tg_store *a = NULL, *b = (tg_store *)1;
    assert_int_equal(tg_store_sqlite_new(&a, t->path), TG_OK);
    commit_records(a, 0, 3);
    assert_int_equal(tg_store_sqlite_new(&b, t->path), TG_EBUSY);
    assert_null(b);
    MSG_HAS(t->path);
    MSG_HAS("held by another store");

    /* The refused opener changed nothing: the first store goes on. */
    commit_records(a, 3, 5);
    assert_int_equal(count_loaded(a), 5);
    a->free(a);

    /* Freeing releases the database. */
    assert_int_equal(tg_store_sqlite_new(&b, t->path), TG_OK);
    assert_int_equal(count_loaded(b), 5);
    b->free(b);
}

/* The child is forked before the parent opens anything, so that it inherits no
 * SQLite state: its refusal comes from the lock on the file alone. */
static void test_second_process_is_busy(void **state)
{
    tmp *t = *state;
    int go[2], result[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(result), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Child: on each signal, try to open and report the code; no CMocka here. */
        close(go[1]);
        close(result[0]);
        char c;
        while (read(go[0], &c, 1) == 1) {
            tg_store *st = NULL;
            int rc = tg_store_sqlite_new(&st, t->path);
            if (st) st->free(st);
            if (write(result[1], &rc, sizeof(rc)) != (ssize_t)sizeof(rc)) _exit(2);
        }
        _exit(0);
    }
    close(go[0]);
    close(result[1]);
    int rc = 0;

    tg_store *a = NULL;
    assert_int_equal(tg_store_sqlite_new(&a, t->path), TG_OK);
    commit_records(a, 0, 2);
    assert_int_equal(write(go[1], "1", 1), 1);
    assert_int_equal(read(result[0], &rc, sizeof(rc)), (ssize_t)sizeof(rc));
    assert_int_equal(rc, TG_EBUSY);
    assert_int_equal(count_loaded(a), 2); /* untouched by the refused child */
    a->free(a);

    assert_int_equal(write(go[1], "2", 1), 1); /* released: the child gets in */
    assert_int_equal(read(result[0], &rc, sizeof(rc)), (ssize_t)sizeof(rc));
    assert_int_equal(rc, TG_OK);

    close(go[1]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(result[0]);
}

static void test_non_database_is_corrupt(void **state)
{
    tmp *t = *state;
    const char *text = "This is a text file, not a SQLite database. It should stay as it is.\n"
                       "It is long enough to hold a whole SQLite header and a bit more.\n";
    spit(t->path, text);
    tg_store *st = (tg_store *)1;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_ECORRUPT);
    assert_null(st);
    MSG_HAS(t->path);
    MSG_HAS("not a database"); /* SQLite's own words */

    tg_graph *g = (tg_graph *)1;
    char uri[128];
    snprintf(uri, sizeof(uri), "sqlite:%s", t->path);
    assert_int_equal(tg_graph_open(&g, uri), TG_ECORRUPT);
    assert_null(g);

    size_t len;
    char *after = slurp(t->path, &len);
    assert_string_equal(after, text);
    free(after);
    assert_int_equal(file_size(t->wal), 0);
}

/* A SQLite database whose tg_records is not tiergraph's is refused and left as it was. */
static void test_foreign_tg_records_is_corrupt(void **state)
{
    tmp *t = *state;
    static const char *const shapes[] = {
        "CREATE TABLE tg_records(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE tg_records(key BLOB PRIMARY KEY, value BLOB)",
        "CREATE TABLE tg_records(key BLOB, value BLOB NOT NULL)",
        "CREATE TABLE tg_records(value BLOB NOT NULL, key BLOB PRIMARY KEY)",
        "CREATE TABLE tg_records(key BLOB PRIMARY KEY, value BLOB NOT NULL, extra INTEGER)",
        "CREATE TABLE t(x); CREATE VIEW tg_records AS SELECT x AS key, x AS value FROM t",
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        unlink(t->path);
        foreign_sql(t->path, shapes[i]);
        size_t before_len, after_len;
        char *before = slurp(t->path, &before_len);
        tg_store *st = (tg_store *)1;
        if (tg_store_sqlite_new(&st, t->path) != TG_ECORRUPT)
            fail_msg("shape %zu (%s) was not refused: %s", i, shapes[i], tg_error_message());
        assert_null(st);
        MSG_HAS("tg_records");
        char *after = slurp(t->path, &after_len);
        assert_int_equal(after_len, before_len); /* not even switched to WAL */
        assert_memory_equal(after, before, before_len);
        free(before);
        free(after);
    }
}

/* A row written by someone else with a NUL inside its key cannot be handed on. */
static void test_nul_in_stored_key_is_corrupt(void **state)
{
    tmp *t = *state;
    foreign_sql(t->path, "CREATE TABLE tg_records(key BLOB PRIMARY KEY, value BLOB NOT NULL) "
                         "WITHOUT ROWID; INSERT INTO tg_records VALUES(X'610062', X'7B7D')");
    tg_store *st = NULL;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK); /* the shape is right */
    assert_int_equal(st->load(st, count_one, &(size_t){0}), TG_ECORRUPT);
    MSG_HAS("NUL byte");
    st->free(st);

    tg_graph *g = (tg_graph *)1;
    char uri[128];
    snprintf(uri, sizeof(uri), "sqlite:%s", t->path);
    assert_int_equal(tg_graph_open(&g, uri), TG_ECORRUPT);
    assert_null(g);
}

/* A commit SQLite refuses half-way (here a trigger refuses one key) leaves
 * nothing of the transaction, and the store goes on. */
static void test_failed_commit_writes_nothing(void **state)
{
    tmp *t = *state;
    foreign_sql(t->path, "CREATE TABLE tg_records(key BLOB PRIMARY KEY, value BLOB NOT NULL) "
                         "WITHOUT ROWID; "
                         "CREATE TRIGGER poison BEFORE INSERT ON tg_records "
                         "WHEN NEW.key = CAST('poison' AS BLOB) "
                         "BEGIN SELECT RAISE(ABORT, 'poisoned key'); END");
    tg_store *st = NULL;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    commit_records(st, 0, 2);
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(st->put(st, "fine", 4, "v", 1), TG_OK);
    assert_int_equal(st->del(st, "rec/0", 5), TG_OK);
    assert_int_equal(st->put(st, "poison", 6, "v", 1), TG_OK);
    assert_int_equal(st->commit(st), TG_EIO);
    MSG_HAS("poisoned key"); /* SQLite's words */
    assert_int_equal(st->rollback(st), TG_OK);
    assert_int_equal(count_loaded(st), 2); /* rec/0 and rec/1, no "fine" */
    assert_int_equal(stat_of(st, TG_STAT_RECORDS), 2);

    commit_records(st, 2, 3); /* usable again */
    st->free(st);
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    assert_int_equal(count_loaded(st), 3);
    st->free(st);
}

/* Another program's tables may share the database; they are left alone. */
static void test_other_tables_are_left_alone(void **state)
{
    tmp *t = *state;
    foreign_sql(t->path, "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES('kept')");
    tg_store *st = NULL;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    commit_records(st, 0, 2);
    st->free(st);

    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT group_concat(body) FROM notes), "
                                            "(SELECT count(*) FROM tg_records)", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "kept");
    assert_int_equal(sqlite3_column_int(q, 1), 2);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ------------------------------------------------------------------ */
/* Durability and statistics                                           */
/* ------------------------------------------------------------------ */

static void test_durability_maps_to_synchronous(void **state)
{
    tmp *t = *state;
    tg_store *st = NULL;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    assert_int_equal(synchronous(st), 2); /* FULL by default */
    assert_int_equal(st->set_option(st, TG_OPT_DURABILITY, TG_DURABILITY_NORMAL), TG_OK);
    assert_int_equal(synchronous(st), 1);
    assert_int_equal(st->set_option(st, TG_OPT_DURABILITY, TG_DURABILITY_OFF), TG_OK);
    assert_int_equal(synchronous(st), 0);
    assert_int_equal(st->set_option(st, TG_OPT_DURABILITY, TG_DURABILITY_FULL), TG_OK);
    assert_int_equal(synchronous(st), 2);

    /* Refused: other options and out-of-range values, with nothing changed. */
    assert_int_equal(st->set_option(st, TG_OPT_CLOCK, 1), TG_EINVAL);
    MSG_HAS("TG_OPT_DURABILITY");
    assert_int_equal(st->set_option(st, TG_OPT_DURABILITY, TG_DURABILITY_FULL + 1), TG_EINVAL);
    MSG_HAS("durability 3");
    assert_int_equal(st->set_option(st, TG_OPT_DURABILITY, -1), TG_EINVAL);
    assert_int_equal(synchronous(st), 2);
    st->free(st);
}

/* Through the graph, and back to FULL at the next open: the setting is not stored. */
static void test_durability_through_graph(void **state)
{
    tmp *t = *state;
    tg_store *st = NULL;
    tg_graph *g = NULL;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    assert_int_equal(tg_graph_open_store(&g, st), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_DURABILITY, TG_DURABILITY_NORMAL), TG_OK);
    assert_int_equal(synchronous(st), 1);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_DURABILITY, 7), TG_EINVAL);
    assert_int_equal(synchronous(st), 1);
    tg_graph_close(g);

    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    assert_int_equal(synchronous(st), 2);
    st->free(st);
}

static void test_stats(void **state)
{
    tmp *t = *state;
    tg_store *st = NULL;
    assert_int_equal(tg_store_sqlite_new(&st, t->path), TG_OK);
    assert_int_equal(stat_of(st, TG_STAT_RECORDS), 0);
    int64_t empty = stat_of(st, TG_STAT_STORE_BYTES);
    assert_true(empty > 0);
    assert_int_equal(empty, file_size(t->path) + file_size(t->wal));

    commit_records(st, 0, 100);
    assert_int_equal(stat_of(st, TG_STAT_RECORDS), 100);
    int64_t full = stat_of(st, TG_STAT_STORE_BYTES);
    assert_int_equal(full, file_size(t->path) + file_size(t->wal));
    assert_true(full > empty);

    /* Uncommitted writes are not records yet; deletes are gone once committed. */
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(st->put(st, "extra", 5, "v", 1), TG_OK);
    assert_int_equal(stat_of(st, TG_STAT_RECORDS), 100);
    assert_int_equal(st->rollback(st), TG_OK);
    assert_int_equal(st->begin(st), TG_OK);
    assert_int_equal(st->del(st, "rec/0", 5), TG_OK);
    assert_int_equal(st->commit(st), TG_OK);
    assert_int_equal(stat_of(st, TG_STAT_RECORDS), 99);

    assert_int_equal(stat_of(st, TG_STAT_TAIL_DROPPED_BYTES), 0);
    assert_int_equal(stat_of(st, TG_STAT_COMPACTIONS), 0);
    int64_t v = 5;
    assert_int_equal(st->stat(st, 0, &v), TG_EINVAL);
    assert_int_equal(st->stat(st, 99, &v), TG_EINVAL);
    MSG_HAS("99");
    assert_int_equal(v, 0);
    st->free(st);
}

/* ------------------------------------------------------------------ */
/* A graph on "sqlite:PATH"                                            */
/* ------------------------------------------------------------------ */

static const char *const admins[] = {"ga@p1", "ga@r1"};

static tg_graph *open_graph(const tmp *t)
{
    char uri[128];
    snprintf(uri, sizeof(uri), "sqlite:%s", t->path);
    tg_graph *g = NULL;
    if (tg_graph_open(&g, uri) != TG_OK) fail_msg("open %s: %s", uri, tg_error_message());
    assert_int_equal(tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
    return g;
}

/* P1 (provider) and R1 (reseller), signed, one Global admin each, partnered. */
static void build_partners(tg_graph *g)
{
    tg_session *op = NULL, *p1 = NULL, *r1 = NULL;
    assert_int_equal(tg_session_operator(&op, g), TG_OK);
    assert_int_equal(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, P1, "1000001", "p1",
                                       "p1.example", "US"), TG_OK);
    assert_int_equal(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, R1, R1_PID, "r1",
                                       "r1.example", "US"), TG_OK);
    assert_int_equal(tg_partner_set_agreement(op, P1, 1), TG_OK);
    assert_int_equal(tg_partner_set_agreement(op, R1, 1), TG_OK);
    assert_int_equal(tg_user_add(op, P1, admins[0], TG_ROLE_GLOBAL_ADMIN), TG_OK);
    assert_int_equal(tg_user_add(op, R1, admins[1], TG_ROLE_GLOBAL_ADMIN), TG_OK);
    assert_int_equal(tg_session_user(&p1, g, admins[0]), TG_OK);
    assert_int_equal(tg_session_user(&r1, g, admins[1]), TG_OK);
    tg_invite *inv = NULL;
    assert_int_equal(tg_invite_create(&inv, p1), TG_OK);
    assert_int_equal(tg_partnership_accept(r1, tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    tg_session_close(r1);
    tg_session_close(p1);
    tg_session_close(op);
}

/* A customer of P1 through the draft flow, resold by R1; *password_out gets the
 * temporary password (a copy the caller frees). */
static void add_customer(tg_graph *g, const char *prefix, char **password_out)
{
    tg_session *p1 = NULL;
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    assert_int_equal(tg_session_user(&p1, g, admins[0]), TG_OK);
    assert_int_equal(tg_draft_new(&d, p1), TG_OK);
    fx_fill_draft(d, prefix);
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 3), TG_OK);
    if (tg_draft_submit(&r, d) != TG_OK) fail_msg("submit: %s", tg_error_message());
    const char *pw = tg_receipt_password(r);
    assert_non_null(pw);
    assert_true(strlen(pw) >= 8);
    if (password_out) *password_out = strdup(pw);
    tg_receipt_free(r);
    tg_draft_free(d);
    tg_session_close(p1);
}

static void append(char **text, const char *what, int rc, const char *json)
{
    size_t old = *text ? strlen(*text) : 0;
    size_t add = strlen(what) + (json ? strlen(json) : 0) + 32;
    *text = realloc(*text, old + add);
    assert_non_null(*text);
    snprintf(*text + old, add, "%s rc=%d %s\n", what, rc, json ? json : "");
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the two admins see: the revision, both partners, P1's resellers and every
 * customer of P1 with its subscriptions' count. */
static char *snapshot(tg_graph *g)
{
    char *text = NULL, rev[32];
    snprintf(rev, sizeof(rev), "revision %llu", (unsigned long long)tg_graph_revision(g));
    append(&text, rev, 0, NULL);
    tg_session *p1 = NULL, *r1 = NULL;
    assert_int_equal(tg_session_user(&p1, g, admins[0]), TG_OK);
    assert_int_equal(tg_session_user(&r1, g, admins[1]), TG_OK);
    char *json = NULL;
    int rc = tg_partner_get(&json, p1, P1);
    append(&text, "P1", rc, json);
    tg_free(json);
    json = NULL;
    rc = tg_partner_get(&json, r1, R1);
    append(&text, "R1", rc, json);
    tg_free(json);
    tg_iter *it = NULL;
    const char *id;
    assert_int_equal(tg_resellers(&it, p1), TG_OK);
    while (tg_iter_next(it, &id) == TG_OK) append(&text, "reseller", 0, id);
    tg_iter_free(it);
    /* Customers in id order: a list's order is not part of the API. */
    assert_int_equal(tg_customers(&it, p1, NULL), TG_OK);
    size_t n_ids = 0;
    char *ids[8];
    while (tg_iter_next(it, &id) == TG_OK) {
        assert_true(n_ids < 8);
        ids[n_ids++] = strdup(id);
    }
    tg_iter_free(it);
    qsort(ids, n_ids, sizeof(ids[0]), compare_strings);
    for (size_t i = 0; i < n_ids; i++) {
        id = ids[i];
        json = NULL;
        rc = tg_customer_get(&json, p1, id);
        append(&text, "customer", rc, json);
        tg_free(json);
        tg_iter *subs = NULL;
        assert_int_equal(tg_subscriptions(&subs, p1, id), TG_OK);
        char n[32];
        snprintf(n, sizeof(n), "%zu", tg_iter_count(subs));
        append(&text, "subscriptions", 0, n);
        tg_iter_free(subs);
        free(ids[i]);
    }
    tg_session_close(r1);
    tg_session_close(p1);
    return text;
}

static void test_graph_survives_close(void **state)
{
    tmp *t = *state;
    tg_graph *g = open_graph(t);
    assert_int_equal(tg_graph_revision(g), 0);
    build_partners(g);
    add_customer(g, "survivor", NULL);
    uint64_t revision = tg_graph_revision(g);
    assert_true(revision > 0);
    char *before = snapshot(g);
    assert_non_null(strstr(before, "survivor"));
    int64_t records = 0;
    assert_int_equal(tg_graph_store_stat(&records, g, TG_STAT_RECORDS), TG_OK);
    assert_true(records > 0);
    tg_graph_close(g);

    g = open_graph(t);
    assert_int_equal(tg_graph_revision(g), revision);
    char *after = snapshot(g);
    assert_string_equal(after, before);
    int64_t records_after = 0;
    assert_int_equal(tg_graph_store_stat(&records_after, g, TG_STAT_RECORDS), TG_OK);
    assert_int_equal(records_after, records);

    /* It goes on from there, and that write survives the next close too. */
    add_customer(g, "second", NULL);
    assert_int_equal(tg_graph_revision(g), revision + 1);
    free(after);
    after = snapshot(g);
    tg_graph_close(g);
    g = open_graph(t);
    assert_int_equal(tg_graph_revision(g), revision + 1);
    char *again = snapshot(g);
    assert_string_equal(again, after);
    assert_non_null(strstr(again, "second"));
    tg_graph_close(g);
    free(before);
    free(after);
    free(again);
}

/* `needle` occurs in the bytes of the database or of its WAL. */
static int on_disk(const tmp *t, const char *needle)
{
    int found = 0;
    const char *files[] = {t->path, t->wal};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *bytes = slurp(files[i], &len);
        size_t n = strlen(needle);
        for (size_t at = 0; !found && n <= len && at <= len - n; at++)
            found = memcmp(bytes + at, needle, n) == 0;
        free(bytes);
    }
    return found;
}

static void test_no_secret_in_clear_on_disk(void **state)
{
    tmp *t = *state;
    tg_graph *g = open_graph(t);
    build_partners(g);
    char *password = NULL;
    add_customer(g, "secretcheck", &password);

    /* An invitation that stays open, so its token's hash is in the store. */
    tg_session *p1 = NULL;
    tg_invite *inv = NULL;
    assert_int_equal(tg_session_user(&p1, g, admins[0]), TG_OK);
    assert_int_equal(tg_invite_create(&inv, p1), TG_OK);
    const char *token = strstr(tg_invite_link(inv), "token=");
    assert_non_null(token);
    char *token_copy = strdup(token + strlen("token="));
    token_copy[strcspn(token_copy, "&")] = '\0';
    assert_true(strlen(token_copy) >= 16);
    tg_invite_free(inv);
    tg_session_close(p1);

    /* While the graph is open (the WAL holds the writes) and after close. */
    for (int closed = 0; closed < 2; closed++) {
        assert_true(on_disk(t, "Company secretcheck")); /* the search does see records */
        if (on_disk(t, password)) fail_msg("the temporary password is on disk in clear");
        if (on_disk(t, token_copy)) fail_msg("the invitation token is on disk in clear");
        if (!closed) tg_graph_close(g);
    }
    free(password);
    free(token_copy);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_new_refuses_bad_arguments),
        T(test_unopenable_path_is_eio),
        T(test_file_prefixed_name_is_a_file),
        T(test_second_store_in_process_is_busy),
        T(test_second_process_is_busy),
        T(test_non_database_is_corrupt),
        T(test_foreign_tg_records_is_corrupt),
        T(test_nul_in_stored_key_is_corrupt),
        T(test_failed_commit_writes_nothing),
        T(test_other_tables_are_left_alone),
        T(test_durability_maps_to_synchronous),
        T(test_durability_through_graph),
        T(test_stats),
        T(test_graph_survives_close),
        T(test_no_secret_in_clear_on_disk),
    };
#undef T
    return cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
}
