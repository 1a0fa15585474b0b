/* map.c - string-keyed hash map and pointer vector whose inserts cannot fail
 * once room was reserved (see map.h for why). */
#include "map.h"
#include "arena.h"
#include "error.h"
#include "str.h"

#include <stdlib.h>
#include <string.h>

int tg__vec_reserve(tg__vec *v, size_t extra)
{
    if (v->len + extra <= v->cap) return TG_OK;
    size_t cap = v->cap ? v->cap : 4;
    while (cap < v->len + extra) cap *= 2;
    void **p = realloc(v->items, cap * sizeof(*p));
    if (!p) return tg__nomem();
    v->items = p;
    v->cap = cap;
    return TG_OK;
}

void tg__vec_push(tg__vec *v, void *item)
{
    v->items[v->len++] = item; /* room was reserved */
}

void tg__vec_free(tg__vec *v)
{
    free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

void tg__map_prefetch(const tg__map *m, const char *key)
{
    tg__map_prefetch_hash(m, tg__hash(key));
}

void tg__map_prefetch_hash(const tg__map *m, uint64_t hash)
{
#if defined(__GNUC__)
    if (m->cap) __builtin_prefetch(&m->slots[hash & (m->cap - 1)]);
#else
    (void)m, (void)hash;
#endif
}

uint64_t tg__hash(const char *key)
{
    return tg__hash_bytes(key, strlen(key));
}

uint64_t tg__hash_bytes(const void *key, size_t n)
{
    /* Eight bytes at a time, each word mixed in with a multiply, then a final mix
     * so linear probing sees well-spread low bits. Ids are 20-40 bytes, and a
     * lookup hashes one on every permission check: bytewise hashing cost more
     * than the probe. The hash lives in memory only, never on disk. */
    const unsigned char *p = (const unsigned char *)key;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static size_t find_slot(const tg__map *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1, i = h & mask;
    while (m->slots[i].key) {
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0) return i;
        i = (i + 1) & mask;
    }
    return i;
}

void tg__map_prefetch_value(const tg__map *m, uint64_t hash)
{
#if defined(__GNUC__)
    if (!m->cap) return;
    size_t mask = m->cap - 1, i = hash & mask;
    for (; m->slots[i].key; i = (i + 1) & mask)
        if (m->slots[i].hash == hash) {
            __builtin_prefetch(m->slots[i].key); /* what the lookup compares */
            __builtin_prefetch(m->slots[i].value);
            return;
        }
#else
    (void)m, (void)hash;
#endif
}

int tg__map_reserve(tg__map *m, size_t extra)
{
    size_t need = m->count + extra;
    if (m->cap && need * 4 <= m->cap * 3) return TG_OK; /* load factor <= 3/4 */
    size_t cap = m->cap ? m->cap : 16;
    while (need * 4 > cap * 3) cap *= 2;
    tg__map_slot *slots = tg__huge_calloc(cap, sizeof(*slots)); /* arena.h: why huge pages */
    if (!slots) return tg__nomem();
    tg__map old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.slots[i].key) continue;
        size_t j = find_slot(m, old.slots[i].key, old.slots[i].hash);
        m->slots[j] = old.slots[i];
    }
    tg__huge_free(old.slots, old.cap, sizeof(*old.slots));
    return TG_OK;
}

void *tg__map_get(const tg__map *m, const char *key)
{
    return key ? tg__map_get_hash(m, key, tg__hash(key)) : NULL;
}

void *tg__map_get_hash(const tg__map *m, const char *key, uint64_t hash)
{
    if (!m->cap || !key) return NULL;
    size_t i = find_slot(m, key, hash);
    return m->slots[i].key ? m->slots[i].value : NULL;
}

void *tg__map_put(tg__map *m, const char *key, void *value)
{
    return tg__map_put_hash(m, key, tg__hash(key), value);
}

void *tg__map_put_hash(tg__map *m, const char *key, uint64_t h, void *value)
{
    size_t i = find_slot(m, key, h);
    void *old = m->slots[i].key ? m->slots[i].value : NULL;
    if (!m->slots[i].key) m->count++;
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->slots[i].hash = h;
    return old;
}

void *tg__map_put_new(tg__map *m, const char *key, uint64_t hash, void *value)
{
    size_t i = find_slot(m, key, hash);
    if (m->slots[i].key) return m->slots[i].value;
    m->count++;
    m->slots[i] = (tg__map_slot){key, value, hash};
    return NULL;
}

void tg__probe_delete(void *slots, size_t size, size_t cap, size_t i,
                      size_t (*home_of)(const void *slot, size_t mask))
{
    char *s = slots;
    size_t mask = cap - 1, j = i;
    static const char zero[64];
    for (;;) {
        memset(s + i * size, 0, size);
        for (;;) {
            j = (j + 1) & mask;
            if (memcmp(s + j * size, zero, size) == 0) return; /* the cluster's end */
            size_t home = home_of(s + j * size, mask);
            /* Move j into i unless its home lies cyclically in (i, j]. */
            if (i <= j ? (i < home && home <= j) : (i < home || home <= j)) continue;
            break;
        }
        memcpy(s + i * size, s + j * size, size);
        i = j;
    }
}

static size_t slot_home(const void *slot, size_t mask)
{
    return ((const tg__map_slot *)slot)->hash & mask;
}

void *tg__map_del(tg__map *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t i = find_slot(m, key, tg__hash(key));
    if (!m->slots[i].key) return NULL;
    void *old = m->slots[i].value;
    tg__probe_delete(m->slots, sizeof(*m->slots), m->cap, i, slot_home);
    m->count--;
    return old;
}

void tg__map_free(tg__map *m)
{
    tg__huge_free(m->slots, m->cap, sizeof(*m->slots));
    m->slots = NULL;
    m->cap = m->count = 0; /* id_of stays: what the map is, should it be filled again */
}

int tg__map_each(const tg__map *m, int (*fn)(void *ctx, const char *key, void *value), void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key) continue;
        int rc = fn(ctx, m->slots[i].key, m->slots[i].value);
        if (rc) return rc;
    }
    return 0;
}

/* A key's items live in its entry while they fit: most keys have a few (a
 * customer's subscriptions, three on average), and they then arrive with the
 * entry, one load from memory fewer for a list (and no block of their own). A
 * multimap that keeps its items' ids (m->id_of) has no room for them there: its
 * items are always a block, the pointers then the packed ids. */
#define ENTRY_ITEMS 4

typedef struct multi_entry {
    tg__vec vec;
    void *first[ENTRY_ITEMS]; /* vec.items while they fit */
    char key[];               /* the entry owns its key */
} multi_entry;

static size_t entry_size(size_t keylen)
{
    return sizeof(multi_entry) + keylen + 1;
}

/* The bytes an item takes in m's blocks: its pointer, and its packed id. */
static size_t item_size(const tg__map *m)
{
    return sizeof(void *) + (m->id_of ? TG__GUID_BYTES : 0);
}

static unsigned char *guids_of(const tg__vec *v)
{
    return (unsigned char *)(v->items + v->cap);
}

/* Room for `extra` more items in e's vector, beyond its own room from the arena. */
static int items_reserve(const tg__map *m, tg__arena *a, multi_entry *e, size_t extra)
{
    tg__vec *v = &e->vec;
    if (v->len + extra <= v->cap) return TG_OK;
    size_t cap = v->cap ? v->cap * 2 : ENTRY_ITEMS;
    while (cap < v->len + extra) cap *= 2;
    void **p = tg__arena_alloc(a, cap * item_size(m));
    if (!p) return TG_ENOMEM;
    if (v->len) memcpy(p, v->items, v->len * sizeof(*p));
    if (m->id_of && v->len) memcpy(p + cap, guids_of(v), v->len * TG__GUID_BYTES);
    if (v->items && v->items != e->first) tg__arena_free(v->items, v->cap * item_size(m));
    v->items = p;
    v->cap = cap;
    return TG_OK;
}

tg__multi_entry *tg__multi_reserve_entry(tg__map *m, tg__arena *a, const char *key,
                                         uint64_t hash, size_t extra)
{
    size_t i = m->cap ? find_slot(m, key, hash) : 0;
    multi_entry *e = m->cap && m->slots[i].key ? m->slots[i].value : NULL;
    if (!e) {
        size_t n = strlen(key);
        if (tg__map_reserve(m, 1) != TG_OK) return NULL;
        i = find_slot(m, key, hash); /* the reserve may have moved the slots */
        if (!(e = tg__arena_alloc(a, entry_size(n)))) return NULL;
        e->vec = m->id_of ? (tg__vec){NULL, 0, 0} : (tg__vec){e->first, 0, ENTRY_ITEMS};
        memcpy(e->key, key, n + 1);
        m->slots[i] = (tg__map_slot){e->key, e, hash};
        m->count++;
    }
    return items_reserve(m, a, e, extra) == TG_OK ? e : NULL;
}

void tg__multi_entry_add(const tg__map *m, tg__multi_entry *e, void *item)
{
    tg__vec *v = &e->vec;
    if (m->id_of) tg__guid_pack(m->id_of(item), guids_of(v) + v->len * TG__GUID_BYTES);
    tg__vec_push(v, item); /* room was reserved */
}

int tg__multi_reserve(tg__map *m, tg__arena *a, const char *key, size_t extra)
{
    return tg__multi_reserve_entry(m, a, key, tg__hash(key), extra) ? TG_OK : TG_ENOMEM;
}

void tg__multi_add(tg__map *m, const char *key, void *item)
{
    tg__multi_entry_add(m, tg__map_get(m, key), item); /* the entry was reserved */
}

void tg__multi_remove(tg__map *m, const char *key, const void *item)
{
    multi_entry *e = tg__map_get(m, key);
    tg__vec *v = e ? &e->vec : NULL;
    for (size_t i = 0; v && i < v->len; i++) {
        if (v->items[i] != item) continue;
        size_t after = v->len - i - 1; /* order kept: lists hold items in load order */
        memmove(&v->items[i], &v->items[i + 1], after * sizeof(void *));
        if (m->id_of) {
            unsigned char *g = guids_of(v) + i * TG__GUID_BYTES;
            memmove(g, g + TG__GUID_BYTES, after * TG__GUID_BYTES);
        }
        v->len--;
        return;
    }
}

const tg__vec *tg__multi_get(const tg__map *m, const char *key)
{
    multi_entry *e = tg__map_get(m, key);
    return e ? &e->vec : NULL;
}

const tg__vec *tg__multi_get_hash(const tg__map *m, const char *key, uint64_t hash)
{
    multi_entry *e = tg__map_get_hash(m, key, hash);
    return e ? &e->vec : NULL;
}

size_t tg__multi_count(const tg__map *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key) n += ((const multi_entry *)m->slots[i].value)->vec.len;
    return n;
}

const char *tg__multi_guids_stale(const tg__map *m)
{
    if (!m->id_of) return NULL;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].key) continue;
        const tg__vec *v = &((const multi_entry *)m->slots[j].value)->vec;
        if (!v->len) continue; /* no block at all */
        const unsigned char *kept = guids_of(v);
        for (size_t i = 0; i < v->len; i++) {
#if defined(__GNUC__) /* the items are scattered over the arena: ask a few ahead */
            if (i + 8 < v->len) __builtin_prefetch(v->items[i + 8]);
#endif
            unsigned char packed[TG__GUID_BYTES];
            tg__guid_pack(m->id_of(v->items[i]), packed);
            if (memcmp(packed, kept + i * TG__GUID_BYTES, TG__GUID_BYTES) != 0)
                return m->slots[j].key;
        }
    }
    return NULL;
}

/* Give back entry e's block of items and the entry itself, each to its arena;
 * or, when its arenas are about to be released (`malloc_only`), only those too
 * large for an arena, which came from malloc. */
static void give_back(const tg__map *m, multi_entry *e, bool malloc_only)
{
    const size_t block = e->vec.cap * item_size(m), entry = entry_size(strlen(e->key));
    if (e->vec.items && e->vec.items != e->first && (!malloc_only || block > TG__ARENA_MAX_BLOCK))
        tg__arena_free(e->vec.items, block);
    if (!malloc_only || entry > TG__ARENA_MAX_BLOCK) tg__arena_free(e, entry);
}

static int free_entry(void *ctx, const char *key, void *value)
{
    (void)key;
    give_back(ctx, value, false);
    return 0;
}

static int drop_entry(void *ctx, const char *key, void *value)
{
    (void)key;
    give_back(ctx, value, true);
    return 0;
}

void tg__multi_free(tg__map *m)
{
    tg__map_each(m, free_entry, m);
    tg__map_free(m);
}

void tg__multi_drop(tg__map *m)
{
    tg__map_each(m, drop_entry, m);
    tg__map_free(m);
}

/* The block of a vector of `len` items, moved: 0 when they fit in the entry. */
static size_t moved_block_size(const tg__map *m, size_t len)
{
    return m->id_of ? len * item_size(m) : len > ENTRY_ITEMS ? len * sizeof(void *) : 0;
}

typedef struct moved {
    multi_entry *entry;
    void **block;
    size_t entry_size, block_size;
} moved;

int tg__multi_move(tg__map *const *ms, size_t n, tg__arena *to)
{
    size_t entries = 0, k = 0;
    for (size_t i = 0; i < n; i++) entries += ms[i]->count;
    moved *fresh = calloc(entries ? entries : 1, sizeof(*fresh));
    if (!fresh) return TG_ENOMEM;
    /* Every new block first, so that running out of memory changes nothing. */
    for (size_t i = 0; i < n; i++) {
        const tg__map *m = ms[i];
        for (size_t j = 0; j < m->cap; j++) {
            if (!m->slots[j].key) continue;
            const multi_entry *e = m->slots[j].value;
            moved *f = &fresh[k++];
            f->entry_size = entry_size(strlen(e->key));
            f->block_size = moved_block_size(m, e->vec.len);
            f->entry = tg__arena_alloc(to, f->entry_size);
            f->block = f->block_size ? tg__arena_alloc(to, f->block_size) : NULL;
            if (f->entry && (f->block || !f->block_size)) continue;
            for (size_t b = 0; b < k; b++) {
                if (fresh[b].entry) tg__arena_free(fresh[b].entry, fresh[b].entry_size);
                if (fresh[b].block) tg__arena_free(fresh[b].block, fresh[b].block_size);
            }
            free(fresh);
            return TG_ENOMEM;
        }
    }
    k = 0;
    for (size_t i = 0; i < n; i++) {
        tg__map *m = ms[i];
        for (size_t j = 0; j < m->cap; j++) {
            if (!m->slots[j].key) continue;
            multi_entry *e = m->slots[j].value;
            const moved *f = &fresh[k++];
            multi_entry *ne = f->entry;
            const size_t len = e->vec.len;
            memcpy(ne->key, e->key, strlen(e->key) + 1);
            if (f->block) ne->vec = (tg__vec){f->block, len, len};
            else if (m->id_of) ne->vec = (tg__vec){NULL, 0, 0}; /* keeps no items in the entry */
            else ne->vec = (tg__vec){ne->first, len, ENTRY_ITEMS};
            if (len) memcpy(ne->vec.items, e->vec.items, len * sizeof(void *));
            if (m->id_of && len)
                memcpy(guids_of(&ne->vec), guids_of(&e->vec), len * TG__GUID_BYTES);
            m->slots[j].key = ne->key;
            m->slots[j].value = ne;
            give_back(m, e, false);
        }
    }
    free(fresh);
    return TG_OK;
}
