/* intern.c - the string pool of intern.h: a set of counted strings, each of which
 * knows its pool, so a record gives its strings back without being told where. */
#include "intern.h"
#include "arena.h"
#include "error.h"
#include "map.h"

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

/* The slot holding `s`, or the empty slot where it would go. */
static size_t find(const tg__intern *p, const char *s, uint32_t h)
{
    size_t mask = p->cap - 1, i = h & mask;
    while (p->slots[i] && (p->slots[i]->hash != h || strcmp(p->slots[i]->s, s) != 0))
        i = (i + 1) & mask;
    return i;
}

static int grow(tg__intern *p)
{
    size_t cap = p->cap ? p->cap * 2 : 64;
    tg__istr **slots = tg__huge_calloc(cap, sizeof(*slots));
    if (!slots) return tg__nomem();
    tg__intern old = *p;
    p->slots = slots;
    p->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i]) p->slots[find(p, old.slots[i]->s, old.slots[i]->hash)] = old.slots[i];
    tg__huge_free(old.slots, old.cap, sizeof(*old.slots));
    return TG_OK;
}

static size_t recent_of(uint32_t h)
{
    return (h >> 16) % TG__INTERN_RECENT; /* the table's slot is h's low bits */
}

const char *tg__intern_ref(tg__intern *pool, const char *s)
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
        pool->slots[i]->refs++;
        pool->recent[recent_of(h)] = pool->slots[i];
        return pool->slots[i]->s;
    }
    size_t n = strlen(s) + 1;
    tg__istr *e = malloc(sizeof(*e) + n);
    if (!e) {
        tg__nomem();
        return NULL;
    }
    e->pool = pool;
    e->refs = 1;
    e->hash = h;
    memcpy(e->s, s, n);
    pool->slots[i] = e;
    pool->count++;
    pool->recent[recent_of(h)] = e;
    return e->s;
}

static size_t entry_home(const void *slot, size_t mask)
{
    return (*(tg__istr *const *)slot)->hash & mask;
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
    free(e);
}

size_t tg__intern_count(const tg__intern *pool)
{
    return pool->count;
}

void tg__intern_free(tg__intern *pool)
{
    /* Strings still counted are not freed here: a record that forgot to give
     * one back then shows as a leak under the sanitizers, not as a dangling name. */
    tg__huge_free(pool->slots, pool->cap, sizeof(*pool->slots));
    memset(pool, 0, sizeof(*pool));
}
