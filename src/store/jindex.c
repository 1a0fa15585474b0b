/* jindex.c - the file store's keyless index (see jindex.h for why it keeps no key). */
#include "jindex.h"
#include "../util/error.h"
#include "../util/map.h"
#include "../util/arena.h"

#include <stdlib.h>
#include <string.h>

uint64_t tg__jindex_hash(const char *key, size_t klen)
{
    return tg__hash_bytes(key, klen); /* in memory only, never on disk */
}

int tg__jindex_reserve(tg__jindex *x, size_t extra)
{
    if (extra > SIZE_MAX / 4 - x->count) return tg__nomem();
    size_t need = x->count + extra;
    if (x->cap && need * 4 <= x->cap * 3) return TG_OK; /* load factor <= 3/4 */
    size_t cap = x->cap ? x->cap : 16;
    while (need * 4 > cap * 3) cap *= 2;
    tg__jindex_slot *slots = tg__huge_calloc(cap, sizeof(*slots)); /* util/arena.h */
    if (!slots) return tg__nomem();
    tg__jindex old = *x;
    x->slots = slots;
    x->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].off) x->slots[tg__jindex_free_slot(x, old.slots[i].hash)] = old.slots[i];
    tg__huge_free(old.slots, old.cap, sizeof(*old.slots));
    return TG_OK;
}

int tg__jindex_find(const tg__jindex *x, uint64_t h, const char *key, size_t klen,
                    tg__jindex_match match, void *ctx, size_t *slot)
{
    *slot = 0;
    if (!x->cap) return 0;
    size_t mask = x->cap - 1, i = h & mask;
    for (; x->slots[i].off; i = (i + 1) & mask) {
        if (x->slots[i].hash != h) continue;
        int rc = match(ctx, x->slots[i].off, key, klen);
        if (rc) {
            *slot = i;
            return rc;
        }
    }
    *slot = i;
    return 0;
}

size_t tg__jindex_slot_of(const tg__jindex *x, uint64_t h, uint64_t off)
{
    size_t mask = x->cap - 1, i = h & mask;
    for (; x->slots[i].off; i = (i + 1) & mask)
        if (x->slots[i].off == off) return i;
    return x->cap;
}

size_t tg__jindex_free_slot(const tg__jindex *x, uint64_t h)
{
    size_t mask = x->cap - 1, i = h & mask;
    while (x->slots[i].off) i = (i + 1) & mask;
    return i;
}

void tg__jindex_insert(tg__jindex *x, size_t slot, uint64_t h, uint64_t off)
{
    x->slots[slot].hash = h;
    x->slots[slot].off = off;
    x->count++;
}

static size_t slot_home(const void *slot, size_t mask)
{
    return ((const tg__jindex_slot *)slot)->hash & mask;
}

void tg__jindex_remove(tg__jindex *x, size_t i)
{
    /* A free slot is all zeros: offset 0 (the journal's header) and hash 0. */
    tg__probe_delete(x->slots, sizeof(*x->slots), x->cap, i, slot_home);
    x->count--;
}

void tg__jindex_free(tg__jindex *x)
{
    tg__huge_free(x->slots, x->cap, sizeof(*x->slots));
    memset(x, 0, sizeof(*x));
}

void tg__jindex_sort_offsets(uint64_t *offs, uint64_t *tmp, size_t n)
{
    /* LSD radix sort, 11 bits a pass (the counts fit on any stack), as many passes as
     * the largest offset needs: three for a journal under 8 GiB. */
    enum { BITS = 11, DIGITS = 1 << BITS };
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (offs[i] > max) max = offs[i];
    uint64_t *from = offs, *to = tmp;
    for (unsigned shift = 0; shift < 64 && (max >> shift) != 0; shift += BITS) {
        size_t count[DIGITS] = {0};
        for (size_t i = 0; i < n; i++) count[(from[i] >> shift) & (DIGITS - 1)]++;
        size_t sum = 0;
        for (size_t d = 0; d < DIGITS; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) to[count[(from[i] >> shift) & (DIGITS - 1)]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    if (from != offs) memcpy(offs, from, n * sizeof(*offs));
}
