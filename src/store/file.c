/* file.c - the "file:" backend, tiergraph's embedded default: one append-only
 * journal file (format in journal.h), one frame per commit, made durable before
 * commit returns; a torn tail dropped on open; compaction into a snapshot when
 * the journal carries more dead bytes than live ones.
 *
 * In memory the store keeps only an index: key -> where its live op sits in the
 * file, so that compaction can copy live records without the core's help. */
#define _DEFAULT_SOURCE /* flock, fdatasync, ftruncate */
#include "file.h"
#include "journal.h"
#include "store.h"
#include "../util/error.h"
#include "../util/map.h"
#include "../util/str.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMPACT_MIN_BYTES (64u * 1024u) /* below this a journal is never compacted */
#define SNAPSHOT_FRAME_BYTES (1u << 20) /* snapshot frames hold about this much */
#define NORMAL_SYNC_EVERY 64            /* TG_DURABILITY_NORMAL: commits between flushes */

/* A live record: where its op sits in the journal. Also a pending op of the open
 * transaction, with `off` relative to the frame until it is written. */
typedef struct file_entry {
    uint64_t off;
    uint32_t len; /* the op's length */
    bool del;     /* a pending delete */
    char key[];
} file_entry;

typedef struct file_store {
    tg_store base; /* first: the core sees a tg_store */
    int fd;
    char *path;
    uint64_t size;    /* bytes of the journal, all of them intact frames */
    uint64_t live;    /* bytes of the ops of live records */
    tg__map index;    /* key -> file_entry */
    tg__bytes frame;    /* the open transaction's frame */
    tg__vec pending;  /* its ops' entries, in order */
    tg__bytes scratch;  /* a NUL-terminated key while the journal is read */
    bool in_txn;
    bool poisoned;    /* a flush failed: what is on disk is unknown */
    int durability;
    unsigned unsynced; /* commits not yet flushed (NORMAL, OFF) */
    uint64_t compact_min;
    int64_t dropped, compactions;
} file_store;

static int io_err(const file_store *fs, const char *what)
{
    return tg__err(TG_EIO, "file store %s: %s: %s", fs->path, what, strerror(errno));
}

static file_entry *entry_new(const char *key, size_t klen, uint64_t off, size_t len)
{
    file_entry *e = malloc(sizeof(*e) + klen + 1);
    if (!e) return NULL;
    e->off = off;
    e->len = (uint32_t)len;
    e->del = false;
    memcpy(e->key, key, klen);
    e->key[klen] = '\0';
    return e;
}

static int free_entry(void *ctx, const char *key, void *value)
{
    (void)ctx, (void)key;
    free(value);
    return 0;
}

static int write_at(int fd, const unsigned char *p, size_t n, uint64_t off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return -1;
        }
        p += w, n -= (size_t)w, off += (uint64_t)w;
    }
    return 0;
}

static int read_at(int fd, unsigned char *p, size_t n, uint64_t off)
{
    while (n > 0) {
        ssize_t r = pread(fd, p, n, (off_t)off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            if (r == 0) errno = EIO; /* the file is shorter than the index says */
            return -1;
        }
        p += r, n -= (size_t)r, off += (uint64_t)r;
    }
    return 0;
}

/* Make the directory entry of `path` durable (a new file, a rename). */
static int sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return -1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (dfd < 0) return -1;
    int rc = fsync(dfd);
    close(dfd);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Open: lock, read, index                                             */
/* ------------------------------------------------------------------ */

/* Open and lock the journal. A compaction of another process may rename a new file
 * over the path between our open and our lock: then the inode we locked is no
 * longer the path's, and we try again. */
static int open_locked(file_store *fs)
{
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(fs->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) return io_err(fs, "cannot open");
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int busy = errno == EWOULDBLOCK;
            close(fd);
            if (busy)
                return tg__err(TG_EBUSY, "file store %s is in use by another process or store",
                               fs->path);
            return io_err(fs, "cannot lock");
        }
        struct stat mine, named;
        if (fstat(fd, &mine) != 0) {
            close(fd);
            return io_err(fs, "cannot stat");
        }
        if (stat(fs->path, &named) == 0 && named.st_dev == mine.st_dev &&
            named.st_ino == mine.st_ino) {
            if (!S_ISREG(mine.st_mode)) {
                close(fd);
                return tg__err(TG_EINVAL, "file store %s is not a regular file", fs->path);
            }
            fs->fd = fd;
            fs->size = (uint64_t)mine.st_size;
            return TG_OK;
        }
        close(fd);
    }
    return tg__err(TG_EBUSY, "file store %s keeps being replaced by another process", fs->path);
}

/* Replay one op of the journal into the index. */
static int index_op(void *ctx, int type, const char *key, size_t klen, const unsigned char *val,
                    size_t vlen, size_t at, size_t oplen)
{
    file_store *fs = ctx;
    (void)val, (void)vlen;
    if (type == TG__OP_PUT) {
        file_entry *e = entry_new(key, klen, at, oplen);
        if (!e || tg__map_reserve(&fs->index, 1) != TG_OK) {
            free(e);
            return tg__nomem();
        }
        file_entry *old = tg__map_put(&fs->index, e->key, e);
        if (old) fs->live -= old->len;
        free(old);
        fs->live += oplen;
        return TG_OK;
    }
    fs->scratch.len = 0;
    if (tg__bytes_reserve(&fs->scratch, klen + 1) != TG_OK) return TG_ENOMEM;
    memcpy(fs->scratch.p, key, klen);
    fs->scratch.p[klen] = '\0';
    file_entry *old = tg__map_del(&fs->index, (const char *)fs->scratch.p);
    if (old) fs->live -= old->len;
    free(old);
    return TG_OK;
}

/* Write the header of an empty journal and make it durable, directory entry included. */
static int write_header(file_store *fs)
{
    if (ftruncate(fs->fd, 0) != 0) return io_err(fs, "cannot truncate");
    if (write_at(fs->fd, tg__jnl_header, TG__JNL_HEADER_LEN, 0) != 0 || fdatasync(fs->fd) != 0 ||
        sync_dir(fs->path) != 0)
        return io_err(fs, "cannot write the journal's header");
    fs->size = TG__JNL_HEADER_LEN;
    return TG_OK;
}

static int read_journal(file_store *fs)
{
    if (fs->size == 0) return write_header(fs);
    if (fs->size > SIZE_MAX) return tg__err(TG_EIO, "file store %s is too large", fs->path);
    size_t size = (size_t)fs->size;
    void *data = mmap(NULL, size, PROT_READ, MAP_SHARED, fs->fd, 0);
    if (data == MAP_FAILED) return io_err(fs, "cannot map");
    size_t end = 0;
    int rc = tg__jnl_read(data, size, index_op, fs, &end);
    munmap(data, size);
    if (rc == TG_ECORRUPT) {
        char why[256];
        snprintf(why, sizeof(why), "%s", tg_error_message());
        return tg__err(TG_ECORRUPT, "file store %s: %s", fs->path, why);
    }
    if (rc) return rc;
    if (end == size) return TG_OK;
    /* A torn tail: the bytes of a commit that never completed. Drop them now, so
     * that the next commit does not land after them. */
    fs->dropped = (int64_t)(size - end);
    if (end == 0) return write_header(fs);
    if (ftruncate(fs->fd, (off_t)end) != 0 || fdatasync(fs->fd) != 0)
        return io_err(fs, "cannot drop the torn tail");
    fs->size = end;
    return TG_OK;
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

static void discard_pending(file_store *fs)
{
    for (size_t i = 0; i < fs->pending.len; i++) free(fs->pending.items[i]);
    fs->pending.len = 0;
    fs->frame.len = 0;
    fs->in_txn = false;
}

static int refuse_poisoned(const file_store *fs)
{
    return tg__err(TG_EIO, "file store %s: an earlier write could not be made durable; "
                           "close and reopen the store", fs->path);
}

static int TG_CALLBACK file_begin(tg_store *self)
{
    file_store *fs = (file_store *)self;
    if (fs->poisoned) return refuse_poisoned(fs);
    if (fs->in_txn) return tg__err(TG_ERROR, "file store: begin while a transaction is open");
    int rc = tg__frame_begin(&fs->frame);
    if (rc == TG_OK) fs->in_txn = true;
    return rc;
}

static int stage(file_store *fs, int type, const char *key, size_t klen, const void *val,
                 size_t vlen)
{
    if (!fs->in_txn)
        return tg__err(TG_ERROR, "file store: %s outside a transaction",
                       type == TG__OP_PUT ? "put" : "del");
    if (key == NULL) return tg__err(TG_EINVAL, "store key is NULL");
    if (klen == 0) return tg__err(TG_EINVAL, "store key is empty");
    if (memchr(key, '\0', klen)) return tg__err(TG_EINVAL, "store key contains a NUL byte");
    if (val == NULL && vlen > 0) return tg__err(TG_EINVAL, "store value is NULL");

    size_t at = fs->frame.len;
    file_entry *e = entry_new(key, klen, at, TG__OP_HEAD + klen + vlen);
    if (!e) return tg__nomem();
    e->del = type == TG__OP_DEL;
    /* Room for every pending key to become a new index key, so that applying a
     * durable commit cannot fail. */
    int rc = tg__vec_reserve(&fs->pending, 1);
    if (rc == TG_OK) rc = tg__map_reserve(&fs->index, fs->pending.len + 1);
    if (rc == TG_OK) rc = tg__frame_op(&fs->frame, type, key, klen, val, vlen);
    if (rc) {
        free(e);
        return rc;
    }
    tg__vec_push(&fs->pending, e);
    return TG_OK;
}

static int TG_CALLBACK file_put(tg_store *self, const char *key, size_t klen, const void *val,
                                size_t vlen)
{
    return stage((file_store *)self, TG__OP_PUT, key, klen, val, vlen);
}

static int TG_CALLBACK file_del(tg_store *self, const char *key, size_t klen)
{
    return stage((file_store *)self, TG__OP_DEL, key, klen, NULL, 0);
}

static int flush(file_store *fs)
{
    if (fdatasync(fs->fd) != 0) {
        fs->poisoned = true; /* the kernel may have dropped the dirty pages: trust nothing */
        return io_err(fs, "cannot flush to disk");
    }
    fs->unsynced = 0;
    return TG_OK;
}

static int compact(file_store *fs);

static int TG_CALLBACK file_commit(tg_store *self)
{
    file_store *fs = (file_store *)self;
    if (!fs->in_txn) return tg__err(TG_ERROR, "file store: commit outside a transaction");
    if (fs->poisoned) {
        discard_pending(fs);
        return refuse_poisoned(fs);
    }
    if (fs->pending.len == 0) {
        discard_pending(fs);
        return TG_OK;
    }
    int rc = tg__frame_seal(&fs->frame);
    if (rc) {
        discard_pending(fs);
        return rc;
    }
    if (write_at(fs->fd, fs->frame.p, fs->frame.len, fs->size) != 0) {
        rc = io_err(fs, "cannot write");
        /* Cut the partial frame off; if even that fails, the file's end is unknown. */
        if (ftruncate(fs->fd, (off_t)fs->size) != 0) fs->poisoned = true;
        discard_pending(fs);
        return rc;
    }
    fs->unsynced++;
    if (fs->durability == TG_DURABILITY_FULL ||
        (fs->durability == TG_DURABILITY_NORMAL && fs->unsynced >= NORMAL_SYNC_EVERY)) {
        if ((rc = flush(fs))) {
            discard_pending(fs);
            return rc;
        }
    }
    /* Durable: move the ops into the index. Room was reserved; nothing can fail. */
    for (size_t i = 0; i < fs->pending.len; i++) {
        file_entry *e = fs->pending.items[i];
        file_entry *old;
        if (e->del) {
            old = tg__map_del(&fs->index, e->key);
            free(e);
        } else {
            e->off += fs->size;
            old = tg__map_put(&fs->index, e->key, e);
            fs->live += e->len;
        }
        if (old) fs->live -= old->len;
        free(old);
    }
    fs->pending.len = 0;
    fs->size += fs->frame.len;
    fs->frame.len = 0;
    fs->in_txn = false;
    /* The commit stands whatever happens next; a failed compaction leaves the
     * journal as it was and is tried again after a later commit. */
    if (fs->compact_min == 0 ||
        (fs->size >= fs->compact_min && fs->size - TG__JNL_HEADER_LEN - fs->live > fs->live))
        (void)compact(fs);
    return TG_OK;
}

/* Rolling back with no open transaction is a no-op, so the core may always roll back. */
static int TG_CALLBACK file_rollback(tg_store *self)
{
    discard_pending((file_store *)self);
    return TG_OK;
}

/* ------------------------------------------------------------------ */
/* Compaction                                                          */
/* ------------------------------------------------------------------ */

typedef struct snapshot {
    file_store *fs;
    int fd;
    uint64_t pos;  /* where the frame being filled will be written */
    tg__bytes frame;
    uint64_t *offs; /* the new offset of each live record, in index order */
    size_t n;
} snapshot;

static int snapshot_flush(snapshot *s)
{
    if (s->frame.len == TG__FRAME_HEAD) return TG_OK;
    int rc = tg__frame_seal(&s->frame);
    if (rc) return rc;
    if (write_at(s->fd, s->frame.p, s->frame.len, s->pos) != 0)
        return io_err(s->fs, "cannot write the snapshot");
    s->pos += s->frame.len;
    return tg__frame_begin(&s->frame);
}

static int snapshot_copy(void *ctx, const char *key, void *value)
{
    snapshot *s = ctx;
    file_entry *e = value;
    (void)key;
    int rc = tg__bytes_reserve(&s->frame, e->len);
    if (rc) return rc;
    if (read_at(s->fs->fd, s->frame.p + s->frame.len, e->len, e->off) != 0)
        return io_err(s->fs, "cannot read a record to compact");
    s->offs[s->n++] = s->pos + s->frame.len;
    s->frame.len += e->len;
    return s->frame.len >= SNAPSHOT_FRAME_BYTES ? snapshot_flush(s) : TG_OK;
}

static int set_offset(void *ctx, const char *key, void *value)
{
    snapshot *s = ctx;
    (void)key;
    ((file_entry *)value)->off = s->offs[s->n++];
    return 0;
}

/* Rewrite the live records into a new journal beside the old one, flush it, lock it,
 * and rename it over the old one: a crash at any point leaves one whole journal. */
static char *snapshot_path(const file_store *fs)
{
    size_t plen = strlen(fs->path);
    char *tmp = malloc(plen + sizeof(".compact"));
    if (!tmp) return NULL;
    memcpy(tmp, fs->path, plen);
    memcpy(tmp + plen, ".compact", sizeof(".compact"));
    return tmp;
}

static int compact(file_store *fs)
{
    char *tmp = snapshot_path(fs);
    if (!tmp) return tg__nomem();
    (void)unlink(tmp); /* a leftover of a crash; we hold the lock, nobody else writes it */

    snapshot s = {.fs = fs, .fd = -1, .pos = TG__JNL_HEADER_LEN};
    int rc = TG_OK;
    s.offs = malloc((fs->index.count ? fs->index.count : 1) * sizeof(*s.offs));
    if (!s.offs) rc = tg__nomem();
    if (rc == TG_OK && (s.fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        rc = io_err(fs, "cannot create the snapshot");
    if (rc == TG_OK && flock(s.fd, LOCK_EX | LOCK_NB) != 0)
        rc = io_err(fs, "cannot lock the snapshot");
    if (rc == TG_OK && write_at(s.fd, tg__jnl_header, TG__JNL_HEADER_LEN, 0) != 0)
        rc = io_err(fs, "cannot write the snapshot");
    if (rc == TG_OK) rc = tg__frame_begin(&s.frame);
    if (rc == TG_OK) rc = tg__map_each(&fs->index, snapshot_copy, &s);
    if (rc == TG_OK) rc = snapshot_flush(&s);
    if (rc == TG_OK && fdatasync(s.fd) != 0) rc = io_err(fs, "cannot flush the snapshot");
    if (rc == TG_OK && rename(tmp, fs->path) != 0) rc = io_err(fs, "cannot rename the snapshot");
    if (rc != TG_OK) {
        if (s.fd >= 0) close(s.fd);
        (void)unlink(tmp);
    } else {
        /* The snapshot is the journal now, whether or not the directory flush
         * below succeeds (a crash before it leaves the old journal, still whole). */
        (void)sync_dir(fs->path);
        close(fs->fd);
        fs->fd = s.fd;
        fs->size = s.pos;
        fs->unsynced = 0;
        s.n = 0;
        tg__map_each(&fs->index, set_offset, &s);
        fs->compactions++;
    }
    tg__bytes_free(&s.frame);
    free(s.offs);
    free(tmp);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Load, options, statistics, free                                     */
/* ------------------------------------------------------------------ */

typedef struct emit_ctx {
    tg_store_emit emit;
    void *ctx;
    const unsigned char *data;
} emit_ctx;

static int emit_one(void *ctx, const char *key, void *value)
{
    emit_ctx *c = ctx;
    file_entry *e = value;
    int type;
    const char *k;
    const unsigned char *val;
    size_t klen, vlen;
    (void)key;
    tg__op_decode(c->data, (size_t)e->off, &type, &k, &klen, &val, &vlen);
    return c->emit(c->ctx, e->key, klen, val, vlen);
}

static int TG_CALLBACK file_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    TG__ARG(emit);
    file_store *fs = (file_store *)self;
    if (fs->index.count == 0) return TG_OK;
    void *data = mmap(NULL, (size_t)fs->size, PROT_READ, MAP_SHARED, fs->fd, 0);
    if (data == MAP_FAILED) return io_err(fs, "cannot map");
    emit_ctx c = {emit, ctx, data};
    int rc = tg__map_each(&fs->index, emit_one, &c);
    munmap(data, (size_t)fs->size);
    return rc;
}

static int TG_CALLBACK file_set_option(tg_store *self, int option, int64_t value)
{
    file_store *fs = (file_store *)self;
    if (option != TG_OPT_DURABILITY)
        return tg__err(TG_EINVAL, "file store: no option %d", option);
    if (value < TG_DURABILITY_OFF || value > TG_DURABILITY_FULL)
        return tg__err(TG_EINVAL, "file store: durability %lld is not a tg_durability",
                       (long long)value);
    /* Going up to FULL promises that everything so far is on disk, too. */
    if (value == TG_DURABILITY_FULL && fs->unsynced && !fs->poisoned) {
        int rc = flush(fs);
        if (rc) return rc;
    }
    fs->durability = (int)value;
    return TG_OK;
}

static int TG_CALLBACK file_stat(tg_store *self, int what, int64_t *out)
{
    file_store *fs = (file_store *)self;
    TG__ARG(out);
    switch (what) {
    case TG_STAT_STORE_BYTES: *out = (int64_t)fs->size; return TG_OK;
    case TG_STAT_TAIL_DROPPED_BYTES: *out = fs->dropped; return TG_OK;
    case TG_STAT_COMPACTIONS: *out = fs->compactions; return TG_OK;
    case TG_STAT_RECORDS: *out = (int64_t)fs->index.count; return TG_OK;
    default: return tg__err(TG_EINVAL, "file store: no statistic %d", what);
    }
}

static void TG_CALLBACK file_free(tg_store *self)
{
    file_store *fs = (file_store *)self;
    if (!fs) return;
    discard_pending(fs);
    if (fs->fd >= 0) {
        if (fs->unsynced && !fs->poisoned) (void)fdatasync(fs->fd);
        close(fs->fd); /* releases the lock */
    }
    tg__map_each(&fs->index, free_entry, NULL);
    tg__map_free(&fs->index);
    tg__vec_free(&fs->pending);
    tg__bytes_free(&fs->frame);
    tg__bytes_free(&fs->scratch);
    free(fs->path);
    free(fs);
}

void tg__file_store_set_compact_min(tg_store *store, uint64_t bytes)
{
    ((file_store *)store)->compact_min = bytes;
}

int tg_store_file_new(tg_store **out, const char *path)
{
    TG__ARG(out);
    *out = NULL;
    /* A string argument like any other (tiergraph.h): UTF-8, at most 4096 bytes, as
     * tg_graph_open already requires of "file:PATH". */
    int rc = tg__check_text(path, "file store: the path");
    if (rc) return rc;
    if (sodium_init() < 0) return tg__err(TG_ERROR, "libsodium could not be initialised");
    file_store *fs = calloc(1, sizeof(*fs));
    if (!fs || !(fs->path = strdup(path))) {
        free(fs);
        return tg__nomem();
    }
    fs->fd = -1;
    fs->durability = TG_DURABILITY_FULL;
    fs->compact_min = COMPACT_MIN_BYTES;
    fs->base.version = TG_STORE_VERSION;
    fs->base.load = file_load;
    fs->base.begin = file_begin;
    fs->base.put = file_put;
    fs->base.del = file_del;
    fs->base.commit = file_commit;
    fs->base.rollback = file_rollback;
    fs->base.free = file_free;
    fs->base.set_option = file_set_option;
    fs->base.stat = file_stat;
    rc = open_locked(fs);
    if (rc == TG_OK) rc = read_journal(fs);
    if (rc == TG_OK) {
        /* A snapshot left by a crash during compaction never became the journal. */
        char *tmp = snapshot_path(fs);
        if (tmp) (void)unlink(tmp);
        free(tmp);
    }
    if (rc) {
        file_free(&fs->base);
        return rc;
    }
    *out = &fs->base;
    return TG_OK;
}
