/* record_agree.h - the record decoders held to each other: tg__record_decode_packed
 * (src/json/record_decode.c) must accept what tg__record_decode (cJSON) accepts, decode
 * it to the same entity, and refuse the rest with the same code and message. Used by
 * tests/unit/test_record_decode.c and the record fuzzer. */
#ifndef RECORD_AGREE_H
#define RECORD_AGREE_H

#include <stddef.h>

/* 1 when both decoders agree on the record, else 0 with the difference in `why`.
 * *rc_out (when not NULL) is the code both returned. */
int record_decoders_agree(const char *key, size_t klen, const void *val, size_t vlen, int *rc_out,
                          char *why, size_t whylen);

#endif
