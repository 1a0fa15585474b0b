/* reseal.c - see reseal.h. The hash is the library's own (tg__frame_seal). */
#include "reseal.h"
#include "store/journal.h"
#include "tiergraph.h"

#include <stdlib.h>
#include <string.h>

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint8_t *fuzz_reseal(const uint8_t *data, size_t size, size_t *out_size)
{
    uint8_t *out = malloc(size ? size : 1);
    if (!out) return NULL;
    memcpy(out, data, size);
    *out_size = size;
    if (size < TG__JNL_HEADER_LEN) return out;
    memcpy(out, tg__jnl_header, TG__JNL_HEADER_LEN);
    tg__bytes frame = {0};
    size_t pos = TG__JNL_HEADER_LEN;
    while (size - pos >= TG__FRAME_HEAD + TG__FRAME_TAIL && memcmp(out + pos, "TGF\1", 4) == 0) {
        size_t plen = get_u32(out + pos + 4);
        if (plen > size - pos - TG__FRAME_HEAD - TG__FRAME_TAIL) break;
        /* tg__frame_seal writes magic and length over the head and appends the hash. */
        if (tg__frame_begin(&frame) != TG_OK || tg__bytes_reserve(&frame, plen) != TG_OK) break;
        memcpy(frame.p + TG__FRAME_HEAD, out + pos + TG__FRAME_HEAD, plen);
        frame.len += plen;
        if (tg__frame_seal(&frame) != TG_OK) break;
        memcpy(out + pos, frame.p, frame.len);
        pos += frame.len;
    }
    tg__bytes_free(&frame);
    return out;
}
