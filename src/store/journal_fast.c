/* journal_fast.c - reading a whole journal on two threads (tg__jnl_read_fast).
 *
 * Checking every frame's BLAKE2b costs about a second per gigabyte, as much as
 * everything else the open of the file store does. Frames do not depend on one
 * another, so while this thread walks the frames and reports their ops, a second
 * one hashes the frames walked so far; once its ops are reported this thread hashes
 * too. The ops are reported before their frames are known to be intact, which is
 * why any irregularity (a damaged or torn frame, a malformed op) only answers
 * TG__JNL_NOT_WHOLE: the caller forgets what it was told and reads the journal again
 * with tg__jnl_read, whose answers (a torn tail dropped, damage refused, the byte
 * named) this does not try to repeat. */
#include "journal.h"
#include "../util/error.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 65536           /* frame offsets per block */
#define HASH_CHUNK 64         /* frames a hashing thread takes at a time */
#define THREAD_MIN (4u << 20) /* smaller journals are hashed on this thread alone */

/* The frames walked so far, published to the hashing thread: their offsets, in
 * blocks that never move, and their count. */
typedef struct walk {
    const unsigned char *data;
    size_t size;
    size_t **blocks; /* room for every block a journal of `size` bytes can need */
    size_t nblocks;
    atomic_size_t walked; /* frames whose offsets are published */
    atomic_size_t next;   /* the next frame to hash */
    atomic_bool finished; /* walked is final */
    atomic_bool bad;      /* a frame failed its hash: stop */
} walk;

static size_t frame_at(const walk *w, size_t i)
{
    return w->blocks[i / BLOCK][i % BLOCK];
}

/* Hash frames, a chunk at a time, as they are walked, until every frame is taken
 * or one is bad. */
static void hash_frames(walk *w)
{
    for (;;) {
        if (atomic_load(&w->bad)) return;
        /* `finished` first: once it is set, `walked` is final. */
        bool finished = atomic_load_explicit(&w->finished, memory_order_acquire);
        size_t walked = atomic_load_explicit(&w->walked, memory_order_acquire);
        size_t i = atomic_load(&w->next);
        if (i >= walked) {
            if (finished) return;
            sched_yield(); /* the walk is ahead of hashing but for its first frames */
            continue;
        }
        size_t n = walked - i < HASH_CHUNK ? walked - i : HASH_CHUNK;
        if (!atomic_compare_exchange_weak(&w->next, &i, i + n)) continue;
        for (size_t k = i; k < i + n; k++) {
            if (tg__frame_check(w->data, w->size, frame_at(w, k)) == 0) {
                atomic_store(&w->bad, true);
                return;
            }
        }
    }
}

static void *hasher(void *arg)
{
    hash_frames(arg);
    return NULL;
}

static int publish(walk *w, size_t i, size_t pos)
{
    if (i % BLOCK == 0) {
        if (i / BLOCK >= w->nblocks) return TG__JNL_NOT_WHOLE; /* cannot be: frames are >= 24 bytes */
        if (!(w->blocks[i / BLOCK] = malloc(BLOCK * sizeof(size_t)))) return tg__nomem();
    }
    w->blocks[i / BLOCK][i % BLOCK] = pos;
    if (i % HASH_CHUNK == HASH_CHUNK - 1) atomic_store_explicit(&w->walked, i + 1, memory_order_release);
    return TG_OK;
}

/* The ops of frames [from, to) (offsets in w), reported in order; each op is shown
 * to `ahead` TG__JNL_AHEAD ops before it is reported. */
static int report(walk *w, size_t from, size_t to, tg__jnl_op_fn fn, tg__jnl_ahead_fn ahead,
                  void *ctx)
{
    size_t ops[TG__JNL_AHEAD], head = 0, tail = 0; /* a ring of ops shown, not yet reported */
    size_t f = from, at = 0, end = 0;
    for (;;) {
        /* Show ops to `ahead` until TG__JNL_AHEAD wait, or none is left. */
        while (head - tail < TG__JNL_AHEAD) {
            while (at == end && f < to) {
                size_t pos = frame_at(w, f++);
                size_t plen = (size_t)w->data[pos + 4] | (size_t)w->data[pos + 5] << 8 |
                              (size_t)w->data[pos + 6] << 16 | (size_t)w->data[pos + 7] << 24;
                /* Every op of a frame well formed before any is looked at. */
                if (tg__frame_ops_valid(w->data, pos, TG__FRAME_HEAD + plen + TG__FRAME_TAIL) != TG_OK)
                    return TG__JNL_NOT_WHOLE;
                at = pos + TG__FRAME_HEAD;
                end = pos + TG__FRAME_HEAD + plen;
            }
            if (at == end) break;
            int type;
            const char *key;
            const unsigned char *val;
            size_t klen, vlen;
            tg__op_decode(w->data, at, &type, &key, &klen, &val, &vlen);
            if (ahead) ahead(ctx, key, klen);
            ops[head++ % TG__JNL_AHEAD] = at;
            at += TG__OP_HEAD + klen + vlen;
        }
        if (head == tail) return TG_OK;
        size_t op = ops[tail++ % TG__JNL_AHEAD];
        int type;
        const char *key;
        const unsigned char *val;
        size_t klen, vlen;
        tg__op_decode(w->data, op, &type, &key, &klen, &val, &vlen);
        int rc = fn(ctx, type, key, klen, val, vlen, op, TG__OP_HEAD + klen + vlen);
        if (rc) return rc;
    }
}

/* Walk the frames (their heads only: magic and a length that fits), publishing
 * each; their ops are checked as they are reported. */
static int walk_frames(walk *w, size_t *count)
{
    size_t pos = TG__JNL_HEADER_LEN, i = 0;
    static const unsigned char magic[4] = {'T', 'G', 'F', 1};
    while (pos < w->size) {
        if (w->size - pos < TG__FRAME_HEAD + TG__FRAME_TAIL || memcmp(w->data + pos, magic, 4) != 0)
            return TG__JNL_NOT_WHOLE;
        size_t plen = (size_t)w->data[pos + 4] | (size_t)w->data[pos + 5] << 8 |
                      (size_t)w->data[pos + 6] << 16 | (size_t)w->data[pos + 7] << 24;
        if (plen > w->size - pos - TG__FRAME_HEAD - TG__FRAME_TAIL) return TG__JNL_NOT_WHOLE;
        size_t flen = TG__FRAME_HEAD + plen + TG__FRAME_TAIL;
        int rc = publish(w, i++, pos);
        if (rc) return rc;
        pos += flen;
    }
    *count = i;
    return TG_OK;
}

int tg__jnl_read_fast(const unsigned char *data, size_t size, tg__jnl_op_fn fn,
                      tg__jnl_ahead_fn ahead, void *ctx, size_t *valid_end)
{
    *valid_end = 0;
    if (size < TG__JNL_HEADER_LEN || memcmp(data, tg__jnl_header, TG__JNL_HEADER_LEN) != 0)
        return TG__JNL_NOT_WHOLE;
    walk w = {.data = data, .size = size};
    w.nblocks = size / (TG__FRAME_HEAD + TG__FRAME_TAIL) / BLOCK + 1;
    if (!(w.blocks = calloc(w.nblocks, sizeof(*w.blocks)))) return tg__nomem();
    atomic_init(&w.walked, 0);
    atomic_init(&w.next, 0);
    atomic_init(&w.finished, false);
    atomic_init(&w.bad, false);
    pthread_t tid;
    bool threaded = size >= THREAD_MIN && pthread_create(&tid, NULL, hasher, &w) == 0;

    /* Walk every frame (heads only: quick), publishing them to the hasher as it
     * goes, then report the ops. */
    size_t frames = 0;
    int rc = walk_frames(&w, &frames);
    if (rc == TG_OK) atomic_store_explicit(&w.walked, frames, memory_order_release);
    atomic_store_explicit(&w.finished, true, memory_order_release);
    if (rc == TG_OK) rc = report(&w, 0, frames, fn, ahead, ctx);
    if (rc == TG_OK)
        hash_frames(&w); /* help with what is left */
    else
        atomic_store(&w.bad, true); /* stop the hasher */
    if (threaded) pthread_join(tid, NULL);
    if (rc == TG_OK && atomic_load(&w.bad)) rc = TG__JNL_NOT_WHOLE;
    for (size_t b = 0; b < w.nblocks; b++) free(w.blocks[b]);
    free(w.blocks);
    if (rc == TG_OK) *valid_end = size;
    return rc;
}
