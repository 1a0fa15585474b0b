/* journal.h - the byte format of the "file:" store's journal, apart from any file.
 *
 *   journal := header frame*
 *   header  := "TIERGRAPH JRNL 1"                        16 bytes
 *   frame   := "TGF\1" plen:u32 payload[plen] hash[16]   one committed transaction
 *   payload := op*
 *   op      := type:u8 klen:u32 vlen:u32 key[klen] val[vlen]   (type 1 put, 2 delete)
 *
 * Integers are little-endian. `hash` is BLAKE2b-128 of the frame's magic, plen and
 * payload, so a frame is either whole and intact or it is not a frame. Keeping the
 * format here lets the reader be tested and fuzzed on plain bytes. */
#ifndef TG_JOURNAL_H
#define TG_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#define TG__JNL_HEADER_LEN 16
#define TG__FRAME_HEAD 8  /* magic + plen */
#define TG__FRAME_TAIL 16 /* hash */
#define TG__FRAME_MAX_PAYLOAD (UINT32_MAX - 64u)
#define TG__OP_HEAD 9 /* type + klen + vlen */

extern const unsigned char tg__jnl_header[TG__JNL_HEADER_LEN];

enum { TG__OP_PUT = 1, TG__OP_DEL = 2 };

/* A growable byte buffer. */
typedef struct tg__bytes {
    unsigned char *p;
    size_t len, cap;
} tg__bytes;

int tg__bytes_reserve(tg__bytes *b, size_t extra); /* TG_OK or TG_ENOMEM */
void tg__bytes_free(tg__bytes *b);

/* Start a frame in `b` (emptied): room for its head. TG_OK or TG_ENOMEM. */
int tg__frame_begin(tg__bytes *b);
/* Append one op to the frame in `b`. TG_OK, TG_ENOMEM, or TG_EINVAL when the
 * frame would outgrow TG__FRAME_MAX_PAYLOAD. */
int tg__frame_op(tg__bytes *b, int type, const char *key, size_t klen, const void *val,
                 size_t vlen);
/* Seal the frame in `b`: write its head, append its hash. TG_OK or TG_ENOMEM. */
int tg__frame_seal(tg__bytes *b);

/* The length of the intact frame at data[pos..size), or 0 when there is none
 * (bad magic, runs past `size`, or a hash mismatch). */
size_t tg__frame_check(const unsigned char *data, size_t size, size_t pos);

/* Check every op of the frame of length `flen` at `pos` before any is reported:
 * TG_OK, or TG_ECORRUPT naming the byte of the first malformed one. */
int tg__frame_ops_valid(const unsigned char *data, size_t pos, size_t flen);

/* Called for each op of each intact frame, in journal order. `at` is the op's
 * offset in the journal and `oplen` its length. Non-zero stops the read. */
typedef int (*tg__jnl_op_fn)(void *ctx, int type, const char *key, size_t klen,
                             const unsigned char *val, size_t vlen, size_t at, size_t oplen);

/*
 * Read a whole journal. On TG_OK, *valid_end is the offset just past the last
 * intact frame (the header's length for a journal with no frames, 0 for a torn
 * header); the bytes after it, if any, are a torn tail: nothing intact follows
 * them. TG_ECORRUPT, with the byte offset in the message, when the header is
 * not a journal's, when an intact frame holds malformed ops, or when damaged
 * bytes are followed by an intact frame (damage before the last commit is never
 * skipped). Any non-zero return of `fn` is returned as is.
 */
int tg__jnl_read(const unsigned char *data, size_t size, tg__jnl_op_fn fn, void *ctx,
                 size_t *valid_end);

/* Asked for each op TG__JNL_AHEAD ops before tg__jnl_read_fast reports it, so that
 * the callee can fetch what it will need (an index slot) while earlier ops are
 * being handled. Only a hint: it may see ops that are never reported. */
typedef void (*tg__jnl_ahead_fn)(void *ctx, const char *key, size_t klen);
#define TG__JNL_AHEAD 16

/* tg__jnl_read_fast's answer when the journal is not whole: some frame is damaged,
 * torn or malformed. The ops it reported must be forgotten, and the journal read
 * with tg__jnl_read, which tells a torn tail from damage. */
#define TG__JNL_NOT_WHOLE 1

/*
 * Read a journal that is whole: every frame intact and well formed up to the end of
 * the file, which is what a journal is after every clean close. Frames are walked
 * and their ops reported (in order, as tg__jnl_read does) on this thread while a
 * second one checks their hashes, and this one helps once its ops are reported.
 * TG_OK (*valid_end is `size`), TG__JNL_NOT_WHOLE, or any non-zero return of `fn`
 * or TG_ENOMEM. `ahead` may be NULL.
 */
int tg__jnl_read_fast(const unsigned char *data, size_t size, tg__jnl_op_fn fn,
                      tg__jnl_ahead_fn ahead, void *ctx, size_t *valid_end);

/* Read a whole op at data[at..) known to be intact (from tg__jnl_read). */
void tg__op_decode(const unsigned char *data, size_t at, int *type, const char **key,
                   size_t *klen, const unsigned char **val, size_t *vlen);

#endif
