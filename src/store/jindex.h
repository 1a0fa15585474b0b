/* jindex.h - the "file:" store's index: store key -> offset of its live op in the
 * journal, in one open-addressing table of (hash, offset) pairs that keeps no key.
 *
 * A million records cost 16 bytes each here (and a table half empty at worst), where
 * a heap entry holding the key cost about a hundred. The price: telling two keys of
 * the same hash apart means reading the key back from the journal, which the caller
 * does (tg__jindex_match); with a 64-bit hash that happens on replacements and
 * deletions only, almost never on a miss. Like tg__map, room is reserved first
 * (may fail), then set and remove never allocate. */
#ifndef TG_JINDEX_H
#define TG_JINDEX_H

#include <stddef.h>
#include <stdint.h>

/* Offset 0 is the journal's header, never an op: it marks a free slot. */
typedef struct tg__jindex_slot {
    uint64_t hash;
    uint64_t off;
} tg__jindex_slot;

typedef struct tg__jindex {
    tg__jindex_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
} tg__jindex;

/* Is the op at `off` the one of `key`? 1 yes, 0 no, or a negative TG_E* code (a
 * failed read) that the lookup returns as is. */
typedef int (*tg__jindex_match)(void *ctx, uint64_t off, const char *key, size_t klen);

uint64_t tg__jindex_hash(const char *key, size_t klen);
/* Room for `extra` more keys. TG_OK or TG_ENOMEM. */
int tg__jindex_reserve(tg__jindex *x, size_t extra);
/* Look `key` (of hash `h`) up: 1 when present, *slot its slot; 0 when absent, *slot
 * the free slot it would take (valid until the table changes); or the error of
 * `match`. */
int tg__jindex_find(const tg__jindex *x, uint64_t h, const char *key, size_t klen,
                    tg__jindex_match match, void *ctx, size_t *slot);
/* The slot holding `off` under hash `h` (no key is read), or x->cap when none does. */
size_t tg__jindex_slot_of(const tg__jindex *x, uint64_t h, uint64_t off);
/* The free slot a key of hash `h` known to be absent would take; needs room. */
size_t tg__jindex_free_slot(const tg__jindex *x, uint64_t h);
/* Fill the free slot `slot` (from find or free_slot) with (h, off). */
void tg__jindex_insert(tg__jindex *x, size_t slot, uint64_t h, uint64_t off);
/* Empty slot `slot`, moving later members of its cluster back. */
void tg__jindex_remove(tg__jindex *x, size_t slot);
void tg__jindex_free(tg__jindex *x);

/* Sort n offsets in place, ascending; `tmp` has room for n. */
void tg__jindex_sort_offsets(uint64_t *offs, uint64_t *tmp, size_t n);

#endif
