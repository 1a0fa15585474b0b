/* arena.c - the tables' memory (arena.h): size classes over 2 MiB chunks aligned
 * to their size, so that a block finds its arena from its own address. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "arena.h"
#include "error.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define HUGE_PAGE ((size_t)2 << 20)
#define CHUNK HUGE_PAGE

typedef struct tg__chunk {
    tg__arena *arena;
    struct tg__chunk *next;
} tg__chunk;

#define CHUNK_HEAD sizeof(tg__chunk) /* two pointers: blocks after it stay 8-byte aligned */

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* `n` bytes (a multiple of HUGE_PAGE) aligned to HUGE_PAGE, asked to be backed by
 * huge pages: map more than needed and trim both ends to the alignment. */
static void *map_aligned(size_t n)
{
    size_t span = n + HUGE_PAGE;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    char *p = (char *)round_up((uintptr_t)raw, HUGE_PAGE);
    if (p > raw) munmap(raw, (size_t)(p - raw));
    if (raw + span > p + n) munmap(p + n, (size_t)(raw + span - (p + n)));
#ifdef MADV_HUGEPAGE
    madvise(p, n, MADV_HUGEPAGE); /* a hint: without it the pages are simply small */
#endif
    return p;
}

#define STOCK_MAX 8 /* chunks: 16 MiB faulted in ahead at most */

struct tg__chunk_stock {
    pthread_mutex_t lock;
    void *chunks[STOCK_MAX];
    size_t n;
    size_t taken; /* chunks arenas took so far */
};

tg__chunk_stock *tg__chunk_stock_new(void)
{
    tg__chunk_stock *s = calloc(1, sizeof(*s));
    if (s && pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        s = NULL;
    }
    return s;
}

size_t tg__chunk_stock_size(tg__chunk_stock *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->n;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* Room for one more: at most one chunk beyond as many as were taken, so that a
 * small graph, which needs a chunk or two, does not get sixteen megabytes. */
static bool has_room(const tg__chunk_stock *s)
{
    return s->n < STOCK_MAX && s->n <= s->taken;
}

bool tg__chunk_stock_fill(tg__chunk_stock *s)
{
    pthread_mutex_lock(&s->lock);
    bool room = has_room(s);
    pthread_mutex_unlock(&s->lock);
    if (!room) return false;
    char *k = map_aligned(CHUNK);
    if (!k) return false;
    /* The writes fault the pages in (one huge page, or 512 small ones). */
    for (size_t off = 0; off < CHUNK; off += 4096) ((volatile char *)k)[off] = 0;
    pthread_mutex_lock(&s->lock);
    room = s->n < STOCK_MAX; /* one filler is the rule; a second would find it full here */
    if (room) s->chunks[s->n++] = k;
    pthread_mutex_unlock(&s->lock);
    if (!room) munmap(k, CHUNK);
    return room;
}

static void *stock_take(tg__chunk_stock *s)
{
    pthread_mutex_lock(&s->lock);
    void *k = s->n ? s->chunks[--s->n] : NULL;
    s->taken += k != NULL;
    pthread_mutex_unlock(&s->lock);
    return k;
}

void tg__chunk_stock_free(tg__chunk_stock *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) munmap(s->chunks[i], CHUNK);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Size classes of 8 bytes: every record's alignment, and half the rounding of 16. */
#define GRAIN 8

static size_t class_of(size_t n)
{
    return (n + GRAIN - 1) / GRAIN;
}

void *tg__arena_alloc(tg__arena *a, size_t n)
{
    if (n > TG__ARENA_MAX_BLOCK) {
        void *p = malloc(n);
        if (!p) tg__nomem();
        return p;
    }
    size_t c = class_of(n ? n : 1), size = c * GRAIN;
    void *p = a->free[c];
    if (p) {
        UNPOISON(p, size);
        memcpy(&a->free[c], p, sizeof(void *)); /* the next free block */
    } else {
        if ((size_t)(a->end - a->bump) < size) {
            tg__chunk *k = a->stock ? stock_take(a->stock) : NULL;
            if (!k) k = map_aligned(CHUNK);
            if (!k) {
                tg__nomem();
                return NULL;
            }
            k->arena = a;
            k->next = a->chunks;
            a->chunks = k;
            a->bump = (char *)k + CHUNK_HEAD;
            a->end = (char *)k + CHUNK;
            POISON(a->bump, (size_t)(a->end - a->bump));
            /* The old chunk's tail, too short for this block, stays unused. */
        }
        p = a->bump;
        a->bump += size;
        UNPOISON(p, size);
    }
    a->in_use += size;
    return p;
}

void tg__arena_free(void *p, size_t n)
{
    if (!p) return;
    if (n > TG__ARENA_MAX_BLOCK) {
        free(p);
        return;
    }
    tg__chunk *k = (tg__chunk *)((uintptr_t)p & ~(uintptr_t)(CHUNK - 1));
    tg__arena *a = k->arena;
    size_t c = class_of(n ? n : 1);
    memcpy(p, &a->free[c], sizeof(void *));
    a->free[c] = p;
    a->in_use -= c * GRAIN;
    POISON(p, c * GRAIN);
}

void tg__arena_move(tg__arena *to, tg__arena *from)
{
    *to = *from;
    for (tg__chunk *k = to->chunks; k; k = k->next) k->arena = to;
    memset(from, 0, sizeof(*from));
}

void tg__arena_release(tg__arena *a)
{
    for (tg__chunk *k = a->chunks, *next; k; k = next) {
        next = k->next;
        UNPOISON(k, CHUNK);
        munmap(k, CHUNK);
    }
    memset(a, 0, sizeof(*a));
}

/* Arrays smaller than this are left to malloc: a huge page would be mostly empty. */
#define HUGE_ARRAY_MIN HUGE_PAGE

void *tg__huge_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    if (bytes < HUGE_ARRAY_MIN) return calloc(n, size);
    void *p = map_aligned(round_up(bytes, HUGE_PAGE));
    /* Anonymous pages come zeroed, but untouched: a table is read where it is
     * about to be written, a read maps the shared zero page and the write faults
     * again. Writing the zeros now faults each (huge) page once. */
    if (p) memset(p, 0, bytes);
    return p;
}

void tg__huge_free(void *p, size_t n, size_t size)
{
    if (!p) return;
    size_t bytes = n * size;
    if (bytes < HUGE_ARRAY_MIN) {
        free(p);
        return;
    }
    munmap(p, round_up(bytes, HUGE_PAGE));
}
