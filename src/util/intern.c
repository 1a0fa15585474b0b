/* intern.c - the string pool of intern.h: a set of counted strings, each of which
 * knows its pool, so a record gives its strings back without being told where. */
#include "intern.h"
#include "arena.h"
#include "error.h"
#include "map.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef struct tg__istr {
    tg__intern *pool;
    uint32_t refs;
    uint32_t hash;
    char s[];
} tg__istr;

static tg__istr *istr_of(const char *pooled)
{
    return (tg__istr *)(void *)(pooled - offsetof(tg__istr, s));
}

/* A slot is a string's address with bits of its hash in the address's low bits,
 * which its alignment leaves zero: a probe reads the string behind a slot only
 * when those bits match (for one in eight other strings, where pointers align to
 * 8). Each string read on the way was a cache miss of its own: an open pools a
 * million strings into a table of megabytes, and probing was a quarter of the
 * time the records took to decode. */
#define TAG_MASK ((uintptr_t)_Alignof(tg__istr) - 1)

static uintptr_t tag_of(uint32_t h)
{
    return (h >> 29) & TAG_MASK; /* bits the home slot does not use */
}

static uintptr_t slot_of(tg__istr *e)
{
    return (uintptr_t)e | tag_of(e->hash);
}

static tg__istr *istr_in(uintptr_t slot)
{
    return (tg__istr *)(slot & ~TAG_MASK);
}

/* The slot holding `s`, or the empty slot where it would go. */
static size_t find(const tg__intern *p, const char *s, uint32_t h)
{
    size_t mask = p->cap - 1, i = h & mask;
    const uintptr_t tag = tag_of(h);
    for (; p->slots[i]; i = (i + 1) & mask) {
        if ((p->slots[i] & TAG_MASK) != tag) continue;
        const tg__istr *e = istr_in(p->slots[i]);
        if (e->hash == h && strcmp(e->s, s) == 0) break;
    }
    return i;
}

/* The empty slot for a string known to be absent (a table being refilled). */
static size_t find_empty(const tg__intern *p, uint32_t h)
{
    size_t mask = p->cap - 1, i = h & mask;
    while (p->slots[i]) i = (i + 1) & mask;
    return i;
}

static int grow(tg__intern *p)
{
    size_t cap = p->cap ? p->cap * 2 : 64;
    uintptr_t *slots = tg__huge_calloc(cap, sizeof(*slots));
    if (!slots) return tg__nomem();
    tg__intern old = *p;
    p->slots = slots;
    p->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i]) p->slots[find_empty(p, istr_in(old.slots[i])->hash)] = old.slots[i];
    tg__huge_free(old.slots, old.cap, sizeof(*old.slots));
    return TG_OK;
}

static size_t recent_of(uint32_t h)
{
    return (h >> 16) % TG__INTERN_RECENT; /* the table's slot is h's low bits */
}

static size_t istr_size(size_t len)
{
    return sizeof(tg__istr) + len + 1;
}

const char *tg__intern_ref(tg__intern *pool, tg__arena *arena, const char *s)
{
    uint32_t h = (uint32_t)tg__hash(s);
    tg__istr *r = pool->recent[recent_of(h)];
    if (r && r->hash == h && strcmp(r->s, s) == 0) {
        r->refs++;
        return r->s;
    }
    if ((pool->count + 1) * 4 > pool->cap * 3 && grow(pool)) return NULL;
    size_t i = find(pool, s, h);
    if (pool->slots[i]) {
        r = istr_in(pool->slots[i]);
        r->refs++;
        pool->recent[recent_of(h)] = r;
        return r->s;
    }
    size_t len = strlen(s);
    tg__istr *e = tg__arena_alloc(arena, istr_size(len));
    if (!e) return NULL; /* the arena said why */
    e->pool = pool;
    e->refs = 1;
    e->hash = h;
    memcpy(e->s, s, len + 1);
    pool->slots[i] = slot_of(e);
    pool->count++;
    pool->recent[recent_of(h)] = e;
    return e->s;
}

static size_t entry_home(const void *slot, size_t mask)
{
    return istr_in(*(const uintptr_t *)slot)->hash & mask;
}

void tg__intern_unref(const char *pooled)
{
    if (!pooled) return;
    tg__istr *e = istr_of(pooled);
    if (--e->refs) return;
    tg__intern *p = e->pool;
    tg__probe_delete(p->slots, sizeof(*p->slots), p->cap, find(p, e->s, e->hash), entry_home);
    p->count--;
    if (p->recent[recent_of(e->hash)] == e) p->recent[recent_of(e->hash)] = NULL;
    tg__arena_free(e, istr_size(strlen(e->s)));
}

void tg__intern_drop(tg__intern *pool)
{
    for (size_t i = 0; i < pool->cap; i++) {
        if (!pool->slots[i]) continue;
        tg__istr *e = istr_in(pool->slots[i]);
        const size_t size = istr_size(strlen(e->s));
        if (size > TG__ARENA_MAX_BLOCK) tg__arena_free(e, size);
    }
    pool->count = 0;
    tg__intern_free(pool);
}

size_t tg__intern_count(const tg__intern *pool)
{
    return pool->count;
}

void tg__intern_free(tg__intern *pool)
{
    assert(pool->count == 0);
    /* Strings are blocks of the records' arena and go with it: a record that forgot
     * to give one back is caught here (debug builds), not as a dangling name. */
    tg__huge_free(pool->slots, pool->cap, sizeof(*pool->slots));
    memset(pool, 0, sizeof(*pool));
}
