/* sqlite.c - the "sqlite:" backend over Debian's libsqlite3 (TG_WITH_SQLITE): one table
 * of key -> value blobs in a WAL database that this store holds exclusively. */
#include "store.h"
#include "../util/error.h"

#ifndef TG_WITH_SQLITE

#include "../util/str.h"

int tg_store_sqlite_new(tg_store **out, const char *path)
{
    TG__ARG(out);
    *out = NULL;
    int rc = tg__check_text(path, "sqlite store: the path"); /* bad input first, as with SQLite */
    if (rc) return rc;
    return tg__err(TG_EVERSION, "this tiergraph was built without SQLite (TG_WITH_SQLITE=OFF)");
}

#else

#include "sqlite.h"
#include "../util/str.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TABLE_SQL \
    "CREATE TABLE IF NOT EXISTS tg_records(key BLOB PRIMARY KEY, value BLOB NOT NULL) " \
    "WITHOUT ROWID"

/* Absent, or exactly the table TABLE_SQL makes: two BLOB columns, the key the
 * primary key, the value NOT NULL. */
#define SHAPE_SQL \
    "SELECT NOT EXISTS(SELECT 1 FROM sqlite_schema WHERE name = 'tg_records') OR (" \
    " (SELECT type FROM sqlite_schema WHERE name = 'tg_records') = 'table'" \
    " AND (SELECT count(*) FROM pragma_table_info('tg_records')) = 2" \
    " AND EXISTS(SELECT 1 FROM pragma_table_info('tg_records') WHERE cid = 0" \
    "            AND name = 'key' AND upper(type) = 'BLOB' AND pk = 1)" \
    " AND EXISTS(SELECT 1 FROM pragma_table_info('tg_records') WHERE cid = 1" \
    "            AND name = 'value' AND upper(type) = 'BLOB' AND \"notnull\" = 1 AND pk = 0))"

/* One write of the open transaction; its key (NUL-terminated) and value follow it. */
typedef struct pending_write {
    struct pending_write *next;
    bool deleted;
    size_t klen, vlen;
    unsigned char *val; /* points into this allocation, after the key */
    char key[];
} pending_write;

typedef struct sqlite_store {
    tg_store base; /* first: the core sees a tg_store */
    sqlite3 *db;
    char *path; /* as the caller gave it, for messages */
    sqlite3_stmt *begin, *commit, *rollback, *put, *del, *load, *count;
    /* The open transaction's writes, in order. They reach SQLite only in commit:
     * a connection always sees its own uncommitted rows, and `load` must emit
     * committed records only, even while a transaction is open. */
    pending_write *first, *last;
    bool in_txn;
} sqlite_store;

static int code_of(int sqlite_rc)
{
    switch (sqlite_rc & 0xff) { /* the primary code of an extended one */
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return TG_EBUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return TG_ECORRUPT;
    case SQLITE_NOMEM: return TG_ENOMEM;
    default: return TG_EIO;
    }
}

/* Record the failure of `what` with SQLite's own words; returns the TG_E* code. */
static int fail(const sqlite_store *s, int sqlite_rc, const char *what)
{
    const char *why = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(sqlite_rc);
    int code = code_of(sqlite_rc);
    if (code == TG_EBUSY)
        return tg__err(code, "sqlite store '%s': %s: the database is held by another store "
                             "(another process, or another tg_store in this process): %s",
                       s->path, what, why);
    return tg__err(code, "sqlite store '%s': %s: %s", s->path, what, why);
}

/* Run a statement that returns no rows, and make it ready for the next run. */
static int run(sqlite_store *s, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    int out = rc == SQLITE_DONE ? TG_OK : fail(s, rc, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt); /* bound keys and values belong to the caller */
    return out;
}

static int exec(sqlite_store *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? TG_OK : fail(s, rc, what);
}

/* Run a statement that returns one integer (a PRAGMA, a count). */
static int query_int(sqlite_store *s, const char *sql, const char *what, int64_t *out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(stmt, 0);
    int result = rc == SQLITE_ROW ? TG_OK : fail(s, rc, what);
    sqlite3_finalize(stmt);
    return result;
}

/* ------------------------------------------------------------------ */
/* Transactions: buffered in memory, written in one SQLite transaction */
/* ------------------------------------------------------------------ */

static void discard_writes(sqlite_store *s)
{
    while (s->first) {
        pending_write *w = s->first;
        s->first = w->next;
        free(w);
    }
    s->last = NULL;
    s->in_txn = false;
}

static int stage(sqlite_store *s, const char *key, size_t klen, const void *val, size_t vlen,
                 bool deleted)
{
    if (!s->in_txn)
        return tg__err(TG_ERROR, "sqlite store: %s outside a transaction", deleted ? "del" : "put");
    if (key == NULL) return tg__err(TG_EINVAL, "store key is NULL");
    if (memchr(key, '\0', klen)) return tg__err(TG_EINVAL, "store key contains a NUL byte");
    if (val == NULL && vlen > 0) return tg__err(TG_EINVAL, "store value is NULL");
    size_t limit = (size_t)sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, -1);
    if (klen > limit || vlen > limit)
        return tg__err(TG_EINVAL, "sqlite store: a %s of %zu bytes is over SQLite's limit of "
                                  "%zu bytes",
                       klen > limit ? "key" : "value", klen > limit ? klen : vlen, limit);

    pending_write *w = malloc(sizeof(*w) + klen + 1 + vlen); /* sizes are under the limit */
    if (!w) return tg__nomem();
    w->next = NULL;
    w->deleted = deleted;
    w->klen = klen;
    w->vlen = vlen;
    memcpy(w->key, key, klen);
    w->key[klen] = '\0';
    w->val = (unsigned char *)w->key + klen + 1;
    if (vlen) memcpy(w->val, val, vlen);
    if (s->last)
        s->last->next = w;
    else
        s->first = w;
    s->last = w;
    return TG_OK;
}

static int TG_CALLBACK sqlite_put(tg_store *self, const char *key, size_t klen, const void *val,
                                  size_t vlen)
{
    return stage((sqlite_store *)self, key, klen, val, vlen, false);
}

static int TG_CALLBACK sqlite_del(tg_store *self, const char *key, size_t klen)
{
    return stage((sqlite_store *)self, key, klen, NULL, 0, true);
}

static int TG_CALLBACK sqlite_begin(tg_store *self)
{
    sqlite_store *s = (sqlite_store *)self;
    if (s->in_txn) return tg__err(TG_ERROR, "sqlite store: begin while a transaction is open");
    s->in_txn = true;
    return TG_OK;
}

/* Keys are bound as blobs, as they were written: a text key never equals a blob. */
static int apply(sqlite_store *s, const pending_write *w)
{
    sqlite3_stmt *stmt = w->deleted ? s->del : s->put;
    int rc = sqlite3_bind_blob64(stmt, 1, w->key, w->klen, SQLITE_STATIC);
    /* A zero-length value still needs a non-NULL pointer: NULL would bind SQL NULL. */
    if (rc == SQLITE_OK && !w->deleted)
        rc = sqlite3_bind_blob64(stmt, 2, w->vlen ? (const void *)w->val : "", w->vlen,
                                 SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(stmt);
        return fail(s, rc, "cannot bind a record");
    }
    return run(s, stmt, w->deleted ? "cannot delete a record" : "cannot write a record");
}

static int TG_CALLBACK sqlite_commit(tg_store *self)
{
    sqlite_store *s = (sqlite_store *)self;
    if (!s->in_txn) return tg__err(TG_ERROR, "sqlite store: commit outside a transaction");
    int rc = run(s, s->begin, "cannot begin a transaction");
    for (const pending_write *w = s->first; w && rc == TG_OK; w = w->next) rc = apply(s, w);
    if (rc == TG_OK) rc = run(s, s->commit, "cannot commit");
    if (rc != TG_OK) {
        /* Leave the database as it was. The first error is the one to report, so
         * this rollback's own result is not recorded. The writes stay buffered
         * until the core's rollback. */
        if (!sqlite3_get_autocommit(s->db)) {
            sqlite3_step(s->rollback);
            sqlite3_reset(s->rollback);
        }
        return rc;
    }
    discard_writes(s);
    return TG_OK;
}

/* The SQLite transaction never outlives commit: rolling back only drops the
 * buffered writes, and with no open transaction it is a no-op. */
static int TG_CALLBACK sqlite_rollback(tg_store *self)
{
    discard_writes((sqlite_store *)self);
    return TG_OK;
}

/* ------------------------------------------------------------------ */
/* Load, options, statistics, free                                     */
/* ------------------------------------------------------------------ */

static int TG_CALLBACK sqlite_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    TG__ARG(emit);
    sqlite_store *s = (sqlite_store *)self;
    int rc = SQLITE_DONE, result = TG_OK;
    while (result == TG_OK && (rc = sqlite3_step(s->load)) == SQLITE_ROW) {
        /* The type before any conversion; column_text NUL-terminates the key blob (it
         * may allocate to do so) and must come before column_bytes. */
        bool null_key = sqlite3_column_type(s->load, 0) == SQLITE_NULL;
        const char *key = (const char *)sqlite3_column_text(s->load, 0);
        size_t klen = (size_t)sqlite3_column_bytes(s->load, 0);
        const void *val = sqlite3_column_blob(s->load, 1); /* NULL when empty */
        size_t vlen = (size_t)sqlite3_column_bytes(s->load, 1);
        if (null_key || (key && memchr(key, '\0', klen)))
            result = tg__err(TG_ECORRUPT, "sqlite store '%s': a key in tg_records is NULL or "
                                          "holds a NUL byte", s->path);
        else if (key == NULL || (val == NULL && vlen > 0))
            result = tg__nomem();
        else
            result = emit(ctx, key, klen, val ? val : "", vlen);
    }
    if (result == TG_OK && rc != SQLITE_DONE) result = fail(s, rc, "cannot read the records");
    sqlite3_reset(s->load);
    return result;
}

static int TG_CALLBACK sqlite_set_option(tg_store *self, int option, int64_t value)
{
    static const char *const pragmas[] = {
        [TG_DURABILITY_OFF] = "PRAGMA synchronous=OFF",
        [TG_DURABILITY_NORMAL] = "PRAGMA synchronous=NORMAL",
        [TG_DURABILITY_FULL] = "PRAGMA synchronous=FULL",
    };
    if (option != TG_OPT_DURABILITY)
        return tg__err(TG_EINVAL, "sqlite store: no option %d (it has TG_OPT_DURABILITY only)",
                       option);
    if (value < TG_DURABILITY_OFF || value > TG_DURABILITY_FULL)
        return tg__err(TG_EINVAL, "sqlite store: durability %lld: expected TG_DURABILITY_OFF, "
                                  "_NORMAL or _FULL", (long long)value);
    return exec((sqlite_store *)self, pragmas[value], "cannot set the durability");
}

/* The size of one file, 0 when it does not exist (the WAL between sessions). */
static int file_bytes(const char *name, int64_t *out)
{
    struct stat st;
    if (stat(name, &st) == 0) {
        *out = (int64_t)st.st_size;
        return TG_OK;
    }
    if (errno == ENOENT) {
        *out = 0;
        return TG_OK;
    }
    return tg__err(TG_EIO, "sqlite store: cannot stat '%s': %s", name, strerror(errno));
}

static int TG_CALLBACK sqlite_stat(tg_store *self, int what, int64_t *out)
{
    TG__ARG(out);
    sqlite_store *s = (sqlite_store *)self;
    *out = 0;
    switch (what) {
    case TG_STAT_STORE_BYTES: {
        const char *db = sqlite3_db_filename(s->db, "main");
        int64_t db_bytes = 0, wal_bytes = 0;
        int rc = file_bytes(db, &db_bytes);
        if (rc == TG_OK) rc = file_bytes(sqlite3_filename_wal(db), &wal_bytes);
        if (rc == TG_OK) *out = db_bytes + wal_bytes;
        return rc;
    }
    case TG_STAT_RECORDS: {
        int rc = sqlite3_step(s->count);
        if (rc == SQLITE_ROW) *out = sqlite3_column_int64(s->count, 0);
        int result = rc == SQLITE_ROW ? TG_OK : fail(s, rc, "cannot count the records");
        sqlite3_reset(s->count);
        return result;
    }
    /* SQLite recovers a torn WAL itself and reports nothing to count; it never compacts. */
    case TG_STAT_TAIL_DROPPED_BYTES:
    case TG_STAT_COMPACTIONS: return TG_OK;
    default: return tg__err(TG_EINVAL, "sqlite store: no statistic %d", what);
    }
}

static void TG_CALLBACK sqlite_free(tg_store *self)
{
    sqlite_store *s = (sqlite_store *)self;
    if (!s) return;
    discard_writes(s);
    sqlite3_stmt *stmts[] = {s->begin, s->commit, s->rollback, s->put, s->del, s->load, s->count};
    for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) sqlite3_finalize(stmts[i]);
    sqlite3_close(s->db); /* every statement is finalized: this closes, and drops the lock */
    free(s->path);
    free(s);
}

int tg__sqlite_synchronous(int *out, tg_store *store)
{
    TG__ARG(out);
    TG__ARG(store);
    int64_t v = 0;
    int rc = query_int((sqlite_store *)store, "PRAGMA synchronous", "cannot read synchronous", &v);
    *out = (int)v;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

/* Make a new file's directory entry durable, as SQLite does for its WAL but not
 * for the database file itself. */
static int sync_parent_dir(const char *path)
{
    char *dir = tg__strdup(path);
    if (!dir) return tg__nomem();
    char *slash = strrchr(dir, '/');
    const char *name = slash == NULL ? "." : slash == dir ? "/" : dir;
    if (slash && slash != dir) *slash = '\0';
    int fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 && fsync(fd) == 0
                 ? TG_OK
                 : tg__err(TG_EIO, "sqlite store: cannot sync the directory '%s': %s", name,
                           strerror(errno));
    if (fd >= 0) close(fd);
    free(dir);
    return rc;
}

static int prepare(sqlite_store *s, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    return rc == SQLITE_OK ? TG_OK : fail(s, rc, "cannot prepare a statement");
}

/* tg_records absent (it will be made) or of the right shape; otherwise TG_ECORRUPT. */
static int check_shape(sqlite_store *s)
{
    int64_t ok = 0;
    int rc = query_int(s, SHAPE_SQL, "cannot read the schema", &ok);
    if (rc == TG_OK && !ok)
        rc = tg__err(TG_ECORRUPT, "sqlite store '%s': the database has a tg_records that is not "
                                  "tiergraph's (expected the table tg_records(key BLOB PRIMARY "
                                  "KEY, value BLOB NOT NULL))", s->path);
    return rc;
}

static int switch_to_wal(sqlite_store *s)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    int result;
    if (rc != SQLITE_ROW)
        result = fail(s, rc, "cannot switch to WAL");
    else if (!tg__strieq((const char *)sqlite3_column_text(stmt, 0), "wal"))
        result = tg__err(TG_EIO, "sqlite store '%s': SQLite kept the journal mode '%s', not WAL",
                         s->path, (const char *)sqlite3_column_text(stmt, 0));
    else
        result = TG_OK;
    sqlite3_finalize(stmt);
    return result;
}

static int open_db(sqlite_store *s)
{
    /* Debian's SQLite reads a name that starts with "file:" as a URI; a path is a file. */
    char *name = tg__sprintf("%s%s", strncmp(s->path, "file:", 5) == 0 ? "./" : "", s->path);
    if (!name) return tg__nomem();
    struct stat st;
    bool created = stat(name, &st) != 0 && errno == ENOENT;
    int rc = sqlite3_open_v2(name, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    free(name);
    if (rc != SQLITE_OK) return fail(s, rc, "cannot open the database");
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 0); /* a held database is TG_EBUSY at once, never a wait */

    /* EXCLUSIVE before WAL: the WAL index lives in this process's memory (no -shm
     * file), and the lock the first write takes is held until close. Check the
     * shape before WAL, so that a foreign database is left exactly as it was. */
    int result = exec(s, "PRAGMA locking_mode=EXCLUSIVE", "cannot lock the database");
    if (result == TG_OK) result = check_shape(s);
    if (result == TG_OK) result = switch_to_wal(s);
    if (result == TG_OK) result = exec(s, "PRAGMA synchronous=FULL", "cannot set the durability");
    /* Deleted records (verifiers, token hashes) leave no copy in free pages. */
    if (result == TG_OK) result = exec(s, "PRAGMA secure_delete=ON", "cannot set secure_delete");
    /* A write now takes the exclusive lock at open, not at the first commit. */
    if (result == TG_OK) result = exec(s, "BEGIN IMMEDIATE; " TABLE_SQL "; COMMIT",
                                       "cannot create the table tg_records");
    if (result == TG_OK && created) result = sync_parent_dir(s->path);

    if (result == TG_OK) result = prepare(s, "BEGIN IMMEDIATE", &s->begin);
    if (result == TG_OK) result = prepare(s, "COMMIT", &s->commit);
    if (result == TG_OK) result = prepare(s, "ROLLBACK", &s->rollback);
    if (result == TG_OK)
        result = prepare(s, "INSERT OR REPLACE INTO tg_records(key, value) VALUES(?1, ?2)",
                         &s->put);
    if (result == TG_OK) result = prepare(s, "DELETE FROM tg_records WHERE key = ?1", &s->del);
    if (result == TG_OK) result = prepare(s, "SELECT key, value FROM tg_records", &s->load);
    if (result == TG_OK) result = prepare(s, "SELECT count(*) FROM tg_records", &s->count);
    return result;
}

int tg_store_sqlite_new(tg_store **out, const char *path)
{
    TG__ARG(out);
    *out = NULL;
    /* A string argument like any other (tiergraph.h), as for tg_store_file_new. */
    int rc = tg__check_text(path, "sqlite store: the path");
    if (rc) return rc;
    if (strcmp(path, ":memory:") == 0)
        return tg__err(TG_EINVAL,
                       "sqlite store: ':memory:' is not a file (\"mem:\" keeps nothing)");
    sqlite_store *s = calloc(1, sizeof(*s));
    if (!s) return tg__nomem();
    s->path = tg__strdup(path);
    if (!s->path) {
        free(s);
        return tg__nomem();
    }
    rc = open_db(s);
    if (rc != TG_OK) {
        sqlite_free(&s->base); /* closing also rolls back a half-done opening transaction */
        return rc;
    }
    s->base.version = TG_STORE_VERSION;
    s->base.load = sqlite_load;
    s->base.begin = sqlite_begin;
    s->base.put = sqlite_put;
    s->base.del = sqlite_del;
    s->base.commit = sqlite_commit;
    s->base.rollback = sqlite_rollback;
    s->base.free = sqlite_free;
    s->base.set_option = sqlite_set_option;
    s->base.stat = sqlite_stat;
    *out = &s->base;
    return TG_OK;
}

#endif /* TG_WITH_SQLITE */
