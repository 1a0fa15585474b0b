/* reseal.h - make fuzzed bytes get past the journal's checksums.
 *
 * Every frame of the "file:" journal ends with a BLAKE2b hash (src/store/journal.h),
 * so a mutated frame is almost never intact and the fuzzer would only ever reach
 * the code that drops or refuses damaged bytes. A resealed copy has the real
 * header and a correct hash on every frame whose length fits, so mutations of
 * lengths, op types, keys and records reach the op decoder, the record decoder
 * and the graph. */
#ifndef FUZZ_RESEAL_H
#define FUZZ_RESEAL_H

#include <stddef.h>
#include <stdint.h>

/* A resealed copy of data[0..size) (malloc'd, *out_size bytes; NULL when out of
 * memory). Bytes from the first frame whose magic or length does not fit are
 * copied as they are: a torn tail stays a torn tail. */
uint8_t *fuzz_reseal(const uint8_t *data, size_t size, size_t *out_size);

#endif
