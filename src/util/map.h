/* map.h - a string-keyed hash map (open addressing, linear probing, backward-shift
 * deletion) and a pointer vector. Both separate "reserve" (may allocate, may fail)
 * from "insert" (never allocates after a reserve), so a change set can reserve
 * before the store commits and apply afterwards without any way to fail. */
#ifndef TG_MAP_H
#define TG_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h" /* TG__GUID_BYTES */

typedef struct tg__vec {
    void **items;
    size_t len, cap;
} tg__vec;

int tg__vec_reserve(tg__vec *v, size_t extra);    /* TG_OK or TG_ENOMEM */
void tg__vec_push(tg__vec *v, void *item);          /* needs a reserve; never fails */
void tg__vec_free(tg__vec *v);

typedef struct tg__map_slot {
    const char *key; /* owned by the value (or by the map when it copied it) */
    void *value;
    uint64_t hash;
} tg__map_slot;

typedef struct tg__map {
    tg__map_slot *slots;
    size_t cap;   /* a power of two, or 0 */
    size_t count;
    /* Multimaps only: when set, every item's id, a GUID, is kept beside it in 16
     * bytes (tg__multi_guids), found with this function when the item is added. */
    const char *(*id_of)(const void *item);
} tg__map;

/* Backward-shift deletion, for every linear-probing table of the library (these
 * maps, the string pool, the file store's index): empty slot i of `slots` (cap
 * slots of `size` bytes, all-zero bytes meaning empty) and pull later members of
 * its cluster into the hole, so that no tombstone ever lengthens a probe.
 * `home_of` gives the home slot of a full slot (its hash & (cap - 1)). */
void tg__probe_delete(void *slots, size_t size, size_t cap, size_t i,
                      size_t (*home_of)(const void *slot, size_t mask));

uint64_t tg__hash(const char *key);
/* The same hash of n bytes (tg__hash(s) == tg__hash_bytes(s, strlen(s))). */
uint64_t tg__hash_bytes(const void *key, size_t n);
/* Ask the CPU for the slot a lookup of `key` starts at, ahead of the lookup. */
void tg__map_prefetch(const tg__map *m, const char *key);
/* The same, with the key's hash (tg__hash) computed once by the caller: a call
 * that looks one key up in several maps prefetches every map's slot first and
 * then waits for them together, not one after the other. */
void tg__map_prefetch_hash(const tg__map *m, uint64_t hash);
void *tg__map_get_hash(const tg__map *m, const char *key, uint64_t hash);
/* Then, once the slot is there, ask for the key and the value of the slot with
 * that hash (the lookup that follows compares the key itself). */
void tg__map_prefetch_value(const tg__map *m, uint64_t hash);
/* Make room for `extra` more keys without growing on insert. */
int tg__map_reserve(tg__map *m, size_t extra);
/* The value under key, or NULL. */
void *tg__map_get(const tg__map *m, const char *key);
/* Insert or replace; `key` must live as long as the entry. Needs room
 * (tg__map_reserve) when the key is new; never allocates. Returns the old value. */
void *tg__map_put(tg__map *m, const char *key, void *value);
/* The same with the key's hash (tg__hash). */
void *tg__map_put_hash(tg__map *m, const char *key, uint64_t hash, void *value);
/* Insert key (hash = tg__hash(key)) unless it is there: NULL once value is in,
 * or the value already under key, then nothing changed. One probe where a get
 * and a put take two. Needs room (tg__map_reserve); never allocates. */
void *tg__map_put_new(tg__map *m, const char *key, uint64_t hash, void *value);
/* Remove; returns the old value or NULL. Never allocates. */
void *tg__map_del(tg__map *m, const char *key);
void tg__map_free(tg__map *m); /* frees the slots only */

/* Visit every entry; stop early when fn returns non-zero (returned). */
int tg__map_each(const tg__map *m, int (*fn)(void *ctx, const char *key, void *value), void *ctx);

struct tg__arena;

/* A multimap: key -> tg__vec of pointers. Entries own a copy of their key and are
 * kept (empty) once made, so "reserve" then "add" cannot fail. Entries and their
 * vectors are blocks of arena `a` (src/util/arena.h: a million customers' lists
 * of subscriptions cost a third less than from malloc); the first four items of
 * a key live in its entry (a list of a few then costs one load fewer).
 * tg__multi_free gives them back to whichever arena they came from.
 *
 * A multimap with id_of set keeps its items' ids too, packed (tg__guid_pack), in
 * the same block as the pointers, right after them: a list of ids then copies
 * them from one place instead of reading each item's record, scattered over the
 * graph's memory (a cache miss and a page walk an item). 16 bytes an item. */
int tg__multi_reserve(tg__map *m, struct tg__arena *a, const char *key, size_t extra); /* TG_OK or TG_ENOMEM */
void tg__multi_add(tg__map *m, const char *key, void *item);      /* needs a reserve */
/* The same two as one lookup, for who adds right after reserving: the entry of key
 * (hash = tg__hash(key)), made if need be, with room for `extra` more items, or
 * NULL on ENOMEM; then tg__multi_entry_add needs no lookup and cannot fail. */
typedef struct multi_entry tg__multi_entry;
tg__multi_entry *tg__multi_reserve_entry(tg__map *m, struct tg__arena *a, const char *key,
                                         uint64_t hash, size_t extra);
void tg__multi_entry_add(const tg__map *m, tg__multi_entry *e, void *item);
void tg__multi_remove(tg__map *m, const char *key, const void *item);
const tg__vec *tg__multi_get(const tg__map *m, const char *key);  /* NULL when none */
/* The same with the key's hash (tg__map_get_hash). */
const tg__vec *tg__multi_get_hash(const tg__map *m, const char *key, uint64_t hash);
/* The packed ids of v's items, v->len of them in v's order, when m keeps them
 * (m->id_of), else NULL; an item whose id did not pack has the mark of
 * tg__guid_pack (src/util/str.h). */
typedef unsigned char tg__guid_bytes[TG__GUID_BYTES];
static inline const tg__guid_bytes *tg__multi_guids(const tg__map *m, const tg__vec *v)
{
    return m->id_of && v && v->len ? (const tg__guid_bytes *)(v->items + v->cap) : NULL;
}
/* The key of a list of m whose kept ids are not its items' ids (tg__guid_pack of
 * m->id_of of each), or NULL when every list's agree or m keeps none. */
const char *tg__multi_guids_stale(const tg__map *m);
/* Ask the CPU for a vector's items (reads its header, in the multimap's entry). */
static inline void tg__vec_prefetch_items(const tg__vec *v)
{
#if defined(__GNUC__)
    if (v && v->len) __builtin_prefetch(v->items);
#else
    (void)v;
#endif
}
/* Move every entry and item block of the multimaps ms[0..n) into arena `to`, each
 * vector's room cut to its items (to its entry's own when they fit there), and give
 * the old ones back to their arenas. All or nothing: TG_ENOMEM (the arena's
 * message, "out of memory", is set) leaves every multimap as it was. */
int tg__multi_move(tg__map *const *ms, size_t n, struct tg__arena *to);
/* How many items all keys hold together. */
size_t tg__multi_count(const tg__map *m);
void tg__multi_free(tg__map *m);
/* The same for a multimap whose arenas are about to be released (tables closing):
 * only blocks from malloc (too large for an arena) are freed one by one. */
void tg__multi_drop(tg__map *m);

#endif
