/* journal.c - encode and read the journal's frames (format in journal.h). */
#include "journal.h"
#include "../util/error.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const unsigned char tg__jnl_header[TG__JNL_HEADER_LEN] = {'T', 'I', 'E', 'R', 'G', 'R', 'A', 'P',
                                                          'H', ' ', 'J', 'R', 'N', 'L', ' ', '1'};
static const unsigned char frame_magic[4] = {'T', 'G', 'F', 1};

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int tg__bytes_reserve(tg__bytes *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len) return tg__nomem();
    if (b->len + extra <= b->cap) return TG_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap = cap > SIZE_MAX / 2 ? b->len + extra : cap * 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) return tg__nomem();
    b->p = p;
    b->cap = cap;
    return TG_OK;
}

void tg__bytes_free(tg__bytes *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

int tg__frame_begin(tg__bytes *b)
{
    b->len = 0;
    int rc = tg__bytes_reserve(b, TG__FRAME_HEAD);
    if (rc == TG_OK) b->len = TG__FRAME_HEAD;
    return rc;
}

int tg__frame_op(tg__bytes *b, int type, const char *key, size_t klen, const void *val,
                 size_t vlen)
{
    size_t plen = b->len - TG__FRAME_HEAD;
    if (klen > TG__FRAME_MAX_PAYLOAD || vlen > TG__FRAME_MAX_PAYLOAD ||
        TG__OP_HEAD + klen + vlen > TG__FRAME_MAX_PAYLOAD - plen)
        return tg__err(TG_EINVAL, "file store: a transaction may hold at most %u bytes",
                       (unsigned)TG__FRAME_MAX_PAYLOAD);
    int rc = tg__bytes_reserve(b, TG__OP_HEAD + klen + vlen);
    if (rc) return rc;
    unsigned char *p = b->p + b->len;
    p[0] = (unsigned char)type;
    put_u32(p + 1, (uint32_t)klen);
    put_u32(p + 5, (uint32_t)vlen);
    memcpy(p + TG__OP_HEAD, key, klen);
    if (vlen) memcpy(p + TG__OP_HEAD + klen, val, vlen);
    b->len += TG__OP_HEAD + klen + vlen;
    return TG_OK;
}

static void frame_hash(unsigned char out[TG__FRAME_TAIL], const unsigned char *frame, size_t len)
{
    crypto_generichash(out, TG__FRAME_TAIL, frame, len, NULL, 0);
}

int tg__frame_seal(tg__bytes *b)
{
    int rc = tg__bytes_reserve(b, TG__FRAME_TAIL);
    if (rc) return rc;
    memcpy(b->p, frame_magic, 4);
    put_u32(b->p + 4, (uint32_t)(b->len - TG__FRAME_HEAD));
    frame_hash(b->p + b->len, b->p, b->len);
    b->len += TG__FRAME_TAIL;
    return TG_OK;
}

size_t tg__frame_check(const unsigned char *data, size_t size, size_t pos)
{
    if (pos > size || size - pos < TG__FRAME_HEAD + TG__FRAME_TAIL) return 0;
    if (memcmp(data + pos, frame_magic, 4) != 0) return 0;
    size_t plen = get_u32(data + pos + 4);
    if (plen > size - pos - TG__FRAME_HEAD - TG__FRAME_TAIL) return 0;
    unsigned char h[TG__FRAME_TAIL];
    frame_hash(h, data + pos, TG__FRAME_HEAD + plen);
    if (sodium_memcmp(h, data + pos + TG__FRAME_HEAD + plen, TG__FRAME_TAIL) != 0) return 0;
    return TG__FRAME_HEAD + plen + TG__FRAME_TAIL;
}

void tg__op_decode(const unsigned char *data, size_t at, int *type, const char **key,
                   size_t *klen, const unsigned char **val, size_t *vlen)
{
    *type = data[at];
    *klen = get_u32(data + at + 1);
    *vlen = get_u32(data + at + 5);
    *key = (const char *)data + at + TG__OP_HEAD;
    *val = data + at + TG__OP_HEAD + *klen;
}

int tg__frame_ops_valid(const unsigned char *data, size_t pos, size_t flen)
{
    size_t at = pos + TG__FRAME_HEAD, end = pos + flen - TG__FRAME_TAIL;
    while (at < end) {
        if (end - at < TG__OP_HEAD)
            return tg__err(TG_ECORRUPT, "journal: truncated operation at byte %zu", at);
        size_t klen = get_u32(data + at + 1), vlen = get_u32(data + at + 5);
        int type = data[at];
        if ((type != TG__OP_PUT && type != TG__OP_DEL) || klen == 0 ||
            klen > end - at - TG__OP_HEAD || vlen > end - at - TG__OP_HEAD - klen ||
            (type == TG__OP_DEL && vlen != 0) || memchr(data + at + TG__OP_HEAD, '\0', klen))
            return tg__err(TG_ECORRUPT, "journal: malformed operation at byte %zu", at);
        at += TG__OP_HEAD + klen + vlen;
    }
    return TG_OK;
}

/* Is there an intact frame anywhere in data[from..size)? */
static int intact_frame_after(const unsigned char *data, size_t size, size_t from)
{
    while (from < size) {
        const unsigned char *m = memchr(data + from, frame_magic[0], size - from);
        if (!m) return 0;
        size_t at = (size_t)(m - data);
        if (tg__frame_check(data, size, at)) return 1;
        from = at + 1;
    }
    return 0;
}

int tg__jnl_read(const unsigned char *data, size_t size, tg__jnl_op_fn fn, void *ctx,
                 size_t *valid_end)
{
    *valid_end = 0;
    if (size == 0) return TG_OK;
    if (size < TG__JNL_HEADER_LEN) {
        /* A header cut short by a crash while the store was created: nothing was
         * ever committed. Anything else is not our file. */
        if (memcmp(data, tg__jnl_header, size) == 0) return TG_OK;
        return tg__err(TG_ECORRUPT, "journal: not a tiergraph journal (byte 0)");
    }
    if (memcmp(data, tg__jnl_header, TG__JNL_HEADER_LEN) != 0)
        return tg__err(TG_ECORRUPT, "journal: not a tiergraph journal (byte 0)");
    size_t pos = TG__JNL_HEADER_LEN;
    while (pos < size) {
        size_t flen = tg__frame_check(data, size, pos);
        if (flen == 0) {
            if (intact_frame_after(data, size, pos + 1))
                return tg__err(TG_ECORRUPT,
                               "journal: damaged frame at byte %zu before later commits", pos);
            break; /* a torn tail */
        }
        int rc = tg__frame_ops_valid(data, pos, flen);
        if (rc) return rc;
        for (size_t at = pos + TG__FRAME_HEAD; at < pos + flen - TG__FRAME_TAIL;) {
            int type;
            const char *key;
            const unsigned char *val;
            size_t klen, vlen;
            tg__op_decode(data, at, &type, &key, &klen, &val, &vlen);
            size_t oplen = TG__OP_HEAD + klen + vlen;
            if ((rc = fn(ctx, type, key, klen, val, vlen, at, oplen))) return rc;
            at += oplen;
        }
        pos += flen;
    }
    *valid_end = pos;
    return TG_OK;
}
