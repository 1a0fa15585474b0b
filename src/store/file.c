/* file.c - the "file:" backend, tiergraph's embedded default: one append-only
 * journal file (format in journal.h), one frame per commit, made durable before
 * commit returns; a torn tail dropped on open; compaction into a snapshot when
 * the journal carries more dead bytes than live ones.
 *
 * In memory the store keeps only an index: key -> where its live op sits in the
 * file (jindex.h: a hash and an offset per record, no key), so that compaction can
 * copy live records without the core's help. Keys are read back from the journal
 * when a hash matches, through a read-only mapping of it kept for the store's life
 * (with room for the journal to grow into, and remade bigger when it does), since
 * a pread costs a few microseconds a commit; pread only when the mapping cannot be
 * made. Pages read through the mapping are dropped from the process (not from the
 * page cache) after the load and every 64 MiB written. The mapping means that a
 * journal truncated by someone else under our lock would be a SIGBUS, not EIO. */
#define _DEFAULT_SOURCE /* flock, fdatasync, ftruncate */
#include "file.h"
#include "jindex.h"
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
#define MAP_ROOM (64u << 20) /* the mapping reaches this far past the journal's end */
#define DROP_EVERY (64u << 20) /* bytes written between drops of the pages read */

/* An op of the open transaction. What it replaces is looked up when it is staged,
 * so that applying a durable commit to the index reads nothing and cannot fail. */
typedef struct pending_op {
    uint64_t hash;
    uint64_t at;     /* its offset in the frame */
    uint64_t len;    /* the op's length */
    uint64_t old;    /* the key's live op before the transaction (0: none) */
    uint64_t oldlen; /* and its length */
    bool del;
    bool superseded; /* a later op of the transaction has the same key */
    char key[];
} pending_op;

typedef struct file_store {
    tg_store base; /* first: the core sees a tg_store */
    int fd;
    char *path;
    uint64_t size;    /* bytes of the journal, all of them intact frames */
    uint64_t live;    /* bytes of the ops of live records */
    tg__jindex index; /* key -> offset of its live op */
    tg__bytes frame;  /* the open transaction's frame */
    tg__vec pending;  /* its ops (pending_op), in order */
    tg__map pending_by_key; /* key -> its latest pending_op */
    unsigned char *map; /* the journal mapped read-only (NULL: none), map_len bytes */
    size_t map_len;
    uint64_t dropped_at; /* fs->size when the mapping's pages were last dropped */
    tg__bytes scratch;  /* an op's head and key read back with pread */
    uint64_t found_len; /* the length of the op match_op last recognised */
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

static uint64_t u32_at(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* tg__jindex_match: is the op at `off` the key's? Reads its head and key from the
 * mapped journal while open reads it, with one pread afterwards. Remembers the op's
 * length in fs->found_len. */
static int match_op(void *ctx, uint64_t off, const char *key, size_t klen)
{
    file_store *fs = ctx;
    uint64_t want = TG__OP_HEAD + (uint64_t)klen;
    /* An op with this key is at least that long: a shorter one is another key. */
    if (want > fs->size - off) return 0;
    const unsigned char *head = fs->map && off + want <= fs->map_len ? fs->map + off : NULL;
    if (!head) {
        fs->scratch.len = 0;
        if (tg__bytes_reserve(&fs->scratch, (size_t)want) != TG_OK) return TG_ENOMEM;
        if (read_at(fs->fd, fs->scratch.p, (size_t)want, off) != 0)
            return io_err(fs, "cannot read a key back");
        head = fs->scratch.p;
    }
    if (u32_at(head + 1) != klen || memcmp(head + TG__OP_HEAD, key, klen) != 0) return 0;
    fs->found_len = TG__OP_HEAD + klen + u32_at(head + 5);
    return 1;
}

static void unmap_journal(file_store *fs)
{
    if (fs->map) munmap(fs->map, fs->map_len);
    fs->map = NULL;
    fs->map_len = 0;
}

/* Map the journal with room to grow: bytes written after the mapping are read
 * through it as long as they are within it (the mapping is of the file, not of its
 * size). TG_OK, or TG_EIO when it cannot be mapped (the store then reads keys with
 * pread). */
static int map_journal(file_store *fs)
{
    unmap_journal(fs);
    uint64_t len = fs->size + fs->size / 2 + MAP_ROOM;
    if (len > SIZE_MAX) return tg__err(TG_EIO, "file store %s is too large to map", fs->path);
    void *p = mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, fs->fd, 0);
    if (p == MAP_FAILED) return io_err(fs, "cannot map");
    fs->map = p;
    fs->map_len = (size_t)len;
    fs->dropped_at = fs->size;
    return TG_OK;
}

/* Let go of the pages read through the mapping (they stay in the page cache), so
 * that the process holds only those read since. */
static void drop_pages(file_store *fs)
{
    if (fs->map) (void)madvise(fs->map, fs->map_len, MADV_DONTNEED);
    fs->dropped_at = fs->size;
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
    uint64_t h = tg__jindex_hash(key, klen);
    if (type == TG__OP_PUT && tg__jindex_reserve(&fs->index, 1) != TG_OK) return TG_ENOMEM;
    size_t slot;
    int found = tg__jindex_find(&fs->index, h, key, klen, match_op, fs, &slot);
    if (found < 0) return found;
    if (found) fs->live -= fs->found_len;
    if (type == TG__OP_PUT) {
        if (found)
            fs->index.slots[slot].off = at;
        else
            tg__jindex_insert(&fs->index, slot, h, at);
        fs->live += oplen;
    } else if (found) {
        tg__jindex_remove(&fs->index, slot);
    }
    return TG_OK;
}

/* tg__jnl_ahead_fn: fetch the index slot an op will probe. */
static void index_ahead(void *ctx, const char *key, size_t klen)
{
    const file_store *fs = ctx;
#if defined(__GNUC__)
    if (fs->index.cap)
        __builtin_prefetch(&fs->index.slots[tg__jindex_hash(key, klen) & (fs->index.cap - 1)]);
#else
    (void)fs, (void)key, (void)klen;
#endif
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
    int rc = map_journal(fs);
    if (rc) return rc;
    const unsigned char *data = fs->map;
    size_t end = 0;
    /* Room for a record every kilobyte (the reference graph has one every 600 bytes):
     * most of the index's doublings, each a pass over it, happen before it is used.
     * Only a hint: without the room the index grows as it goes. */
    size_t hint = size / 1024;
    (void)tg__jindex_reserve(&fs->index, hint < ((size_t)1 << 24) ? hint : (size_t)1 << 24);
    rc = tg__jnl_read_fast(data, size, index_op, index_ahead, fs, &end);
    if (rc == TG__JNL_NOT_WHOLE) {
        /* Damaged or torn somewhere: forget what was indexed and read it again
         * frame by frame, which tells a torn tail from damage. */
        tg__jindex_free(&fs->index);
        fs->live = 0;
        rc = tg__jnl_read(data, size, index_op, fs, &end);
    }
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
    fs->size = end; /* nothing past it is ever read through the mapping */
    return TG_OK;
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

static void discard_pending(file_store *fs)
{
    for (size_t i = 0; i < fs->pending.len; i++) free(fs->pending.items[i]);
    fs->pending.len = 0;
    tg__map_free(&fs->pending_by_key);
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

    pending_op *e = calloc(1, sizeof(*e) + klen + 1);
    if (!e) return tg__nomem();
    memcpy(e->key, key, klen);
    e->hash = tg__jindex_hash(key, klen);
    e->at = fs->frame.len;
    e->len = TG__OP_HEAD + (uint64_t)klen + vlen;
    e->del = type == TG__OP_DEL;
    /* Room for every pending key to become a new index key, so that applying a
     * durable commit cannot fail. */
    int rc = tg__vec_reserve(&fs->pending, 1);
    if (rc == TG_OK) rc = tg__map_reserve(&fs->pending_by_key, 1);
    if (rc == TG_OK) rc = tg__jindex_reserve(&fs->index, fs->pending.len + 1);
    /* What this op replaces: what an earlier op of the transaction replaced, or the
     * key's live op in the journal. */
    pending_op *prev = rc == TG_OK ? tg__map_get(&fs->pending_by_key, e->key) : NULL;
    if (prev) {
        e->old = prev->old;
        e->oldlen = prev->oldlen;
    } else if (rc == TG_OK) {
        size_t slot;
        int found = tg__jindex_find(&fs->index, e->hash, key, klen, match_op, fs, &slot);
        if (found < 0) rc = found;
        if (found > 0) {
            e->old = fs->index.slots[slot].off;
            e->oldlen = fs->found_len;
        }
    }
    if (rc == TG_OK) rc = tg__frame_op(&fs->frame, type, key, klen, val, vlen);
    if (rc) {
        free(e);
        return rc;
    }
    if (prev) prev->superseded = true;
    tg__map_put(&fs->pending_by_key, e->key, e);
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
    /* Durable: the last op of each key decides. Room was reserved and what each op
     * replaces was found when it was staged: nothing can fail, nothing is read. */
    for (size_t i = 0; i < fs->pending.len; i++) {
        const pending_op *e = fs->pending.items[i];
        if (e->superseded) continue;
        size_t slot = e->old ? tg__jindex_slot_of(&fs->index, e->hash, e->old) : fs->index.cap;
        if (slot < fs->index.cap) {
            fs->live -= e->oldlen;
            if (e->del)
                tg__jindex_remove(&fs->index, slot);
            else
                fs->index.slots[slot].off = fs->size + e->at;
        } else if (!e->del) {
            tg__jindex_insert(&fs->index, tg__jindex_free_slot(&fs->index, e->hash), e->hash,
                              fs->size + e->at);
        }
        if (!e->del) fs->live += e->len;
    }
    fs->size += fs->frame.len;
    discard_pending(fs);
    if (fs->map && fs->size > fs->map_len)
        (void)map_journal(fs); /* bigger; without it, keys past it are read with pread */
    else if (fs->size - fs->dropped_at >= DROP_EVERY)
        drop_pages(fs);
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

/* The offsets of the live ops, ascending: compaction and load read the journal from
 * front to back, not in the index's hash order (random reads over the whole file).
 * NULL with TG_ENOMEM set. */
static uint64_t *live_offsets(const file_store *fs)
{
    size_t n = fs->index.count ? fs->index.count : 1;
    uint64_t *offs = malloc(n * sizeof(*offs)), *tmp = malloc(n * sizeof(*tmp));
    if (!offs || !tmp) {
        free(offs);
        free(tmp);
        tg__nomem();
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < fs->index.cap; i++)
        if (fs->index.slots[i].off) offs[k++] = fs->index.slots[i].off;
    tg__jindex_sort_offsets(offs, tmp, k);
    free(tmp);
    return offs;
}

static int by_offset(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct snapshot {
    file_store *fs;
    int fd;
    uint64_t pos;  /* where the frame being filled will be written */
    tg__bytes frame;
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

/* Copy the live ops, in journal order, into snapshot frames; new[i] becomes the new
 * offset of the op at offs[i]. */
static int snapshot_copy(snapshot *s, const unsigned char *data, const uint64_t *offs,
                         uint64_t *new, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char *op = data + offs[i];
        uint64_t len = TG__OP_HEAD + u32_at(op + 1) + u32_at(op + 5);
        int rc = TG_OK;
        if (s->frame.len - TG__FRAME_HEAD + len > TG__FRAME_MAX_PAYLOAD) rc = snapshot_flush(s);
        if (rc == TG_OK) rc = tg__bytes_reserve(&s->frame, (size_t)len);
        if (rc) return rc;
        memcpy(s->frame.p + s->frame.len, op, (size_t)len);
        new[i] = s->pos + s->frame.len;
        s->frame.len += (size_t)len;
        if (s->frame.len >= SNAPSHOT_FRAME_BYTES && (rc = snapshot_flush(s))) return rc;
    }
    return TG_OK;
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
    size_t n = fs->index.count;
    uint64_t *offs = live_offsets(fs);
    uint64_t *new = malloc((n ? n : 1) * sizeof(*new));
    int rc = offs && new ? TG_OK : tg__nomem();
    /* The ops are read through the store's mapping, or one made for the while. */
    void *own = MAP_FAILED;
    const unsigned char *data = fs->map && fs->size <= fs->map_len ? fs->map : NULL;
    if (rc == TG_OK && !data) {
        own = mmap(NULL, (size_t)fs->size, PROT_READ, MAP_SHARED, fs->fd, 0);
        if (own == MAP_FAILED) rc = io_err(fs, "cannot map the journal to compact it");
        data = own;
    }
    if (rc == TG_OK && (s.fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        rc = io_err(fs, "cannot create the snapshot");
    if (rc == TG_OK && flock(s.fd, LOCK_EX | LOCK_NB) != 0)
        rc = io_err(fs, "cannot lock the snapshot");
    if (rc == TG_OK && write_at(s.fd, tg__jnl_header, TG__JNL_HEADER_LEN, 0) != 0)
        rc = io_err(fs, "cannot write the snapshot");
    if (rc == TG_OK) rc = tg__frame_begin(&s.frame);
    if (rc == TG_OK) rc = snapshot_copy(&s, data, offs, new, n);
    if (rc == TG_OK) rc = snapshot_flush(&s);
    if (own != MAP_FAILED) munmap(own, (size_t)fs->size);
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
        (void)map_journal(fs); /* the new file; without a mapping keys are read with pread */
        for (size_t i = 0; i < fs->index.cap; i++) {
            uint64_t *off = &fs->index.slots[i].off;
            if (*off) *off = new[(const uint64_t *)bsearch(off, offs, n, sizeof(*offs), by_offset) - offs];
        }
        fs->compactions++;
    }
    tg__bytes_free(&s.frame);
    free(offs);
    free(new);
    free(tmp);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Load, options, statistics, free                                     */
/* ------------------------------------------------------------------ */

static int TG_CALLBACK file_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    TG__ARG(emit);
    file_store *fs = (file_store *)self;
    size_t n = fs->index.count;
    if (n == 0) return TG_OK;
    uint64_t *offs = live_offsets(fs);
    if (!offs) return TG_ENOMEM;
    void *own = MAP_FAILED;
    const unsigned char *data = fs->map && fs->size <= fs->map_len ? fs->map : NULL;
    if (!data) {
        if ((own = mmap(NULL, (size_t)fs->size, PROT_READ, MAP_SHARED, fs->fd, 0)) == MAP_FAILED) {
            free(offs);
            return io_err(fs, "cannot map");
        }
        data = own;
    }
    int rc = TG_OK;
    for (size_t i = 0; i < n && rc == TG_OK; i++) {
        int type;
        const char *key;
        const unsigned char *val;
        size_t klen, vlen;
        tg__op_decode(data, (size_t)offs[i], &type, &key, &klen, &val, &vlen);
        /* Keys go out NUL-terminated (docs/backends.md), the journal's are not. */
        fs->scratch.len = 0;
        if ((rc = tg__bytes_reserve(&fs->scratch, klen + 1))) break;
        memcpy(fs->scratch.p, key, klen);
        fs->scratch.p[klen] = '\0';
        rc = emit(ctx, (const char *)fs->scratch.p, klen, val, vlen);
    }
    if (own != MAP_FAILED) munmap(own, (size_t)fs->size);
    drop_pages(fs); /* the whole journal was read: let the process hold none of it */
    free(offs);
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
        unmap_journal(fs);
        close(fs->fd); /* releases the lock */
    }
    tg__jindex_free(&fs->index);
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
    if (rc == TG_OK && !fs->map) (void)map_journal(fs); /* a new journal; pread without one */
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
