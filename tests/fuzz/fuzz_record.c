/* fuzz_record.c - libFuzzer target: one stored record, decoded by both record
 * decoders. The input is "<key>\n<value>" (without a newline: the value of the key
 * "user/u"). The decoder without cJSON (tg__record_decode_packed) must give what the
 * cJSON one (tg__record_decode) gives: the same code and message, the same entity,
 * packed, and no entity on error (tests/common/record_agree.c). */
#include "record_agree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *key = "user/u", *val = (const char *)data;
    size_t klen = strlen(key), vlen = size;
    const uint8_t *nl = memchr(data, '\n', size);
    if (nl) {
        key = (const char *)data;
        klen = (size_t)(nl - data);
        val = (const char *)nl + 1;
        vlen = size - klen - 1;
    }
    char why[1024];
    if (!record_decoders_agree(key, klen, val, vlen, NULL, why, sizeof(why))) {
        fprintf(stderr, "fuzz_record: %.*s: %s\n", (int)klen, key, why);
        abort();
    }
    return 0;
}
