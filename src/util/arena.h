/* arena.h - memory for what the tables hold: packed entities in 2 MiB chunks (8-byte size classes), and
 * large index arrays, both on huge pages where the system offers them.
 *
 * Why: a permission check at a million customers is a few dependent loads from
 * records scattered over gigabytes. With 4 KiB pages each of those loads also
 * misses the TLB, and under virtualisation a TLB miss is a walk of two page
 * tables; on 2 MiB pages the walks mostly disappear. Packed entities are also
 * never resized, so size classes of 8 bytes waste less than a general
 * allocator's per-block header, which matters at four million records.
 *
 * The arena is not thread-safe: entities are packed and freed only under the
 * graph's write lock, or while one thread opens or closes the graph. Its memory
 * goes back to the system when the arena is released (the graph closes); freed
 * blocks are reused for blocks of the same size class meanwhile.
 *
 * Under AddressSanitizer blocks are poisoned while free, so a use after free of
 * a packed entity is still reported. */
#ifndef TG_ARENA_H
#define TG_ARENA_H

#include <stdbool.h>
#include <stddef.h>

#define TG__ARENA_MAX_BLOCK 4096 /* larger blocks come from malloc */

struct tg__chunk_stock;

typedef struct tg__arena {
    struct tg__chunk *chunks; /* every chunk, newest first */
    struct tg__chunk_stock *stock; /* when set, new chunks come from it first */
    char *bump, *end;         /* the newest chunk's unused tail */
    void *free[TG__ARENA_MAX_BLOCK / 8 + 1]; /* freed blocks by size class */
    size_t in_use;            /* bytes of the blocks handed out and not freed */
} tg__arena;

/* A block of n bytes (n > 0), 8-byte aligned. NULL on ENOMEM. */
void *tg__arena_alloc(tg__arena *a, size_t n);
/* Give back a block of n bytes (the n it was asked with) of any arena. */
void tg__arena_free(void *p, size_t n);
/* Unmap every chunk: every block is gone. */
void tg__arena_release(tg__arena *a);
/* Move arena `from` (its chunks name their arena by address, so a copy of the
 * struct would not do) into `to`, empty or released; `from` is left empty. */
void tg__arena_move(tg__arena *to, tg__arena *from);

/* A stock of chunks that one thread maps and faults in ahead for an arena that
 * another thread fills (tg__arena.stock). Why: the first write to each fresh page
 * of memory faults, and the kernel zeroes the page there, on the writer's thread;
 * in a virtual machine that costs about 5 ms a chunk, a third of the time to
 * decode a graph as it is opened. The thread that indexes the decoded records
 * has time to spare, and fills the stock in it (src/api/load.c). Thread-safe. */
typedef struct tg__chunk_stock tg__chunk_stock;
tg__chunk_stock *tg__chunk_stock_new(void); /* NULL on ENOMEM */
/* Map and fault in one more chunk; false when the stock is full or there is no
 * memory for one: then there is nothing to do. A stock holds at most 16 MiB, and
 * at most one chunk more than arenas took from it so far (so the first arrives
 * before any is needed, and the stock grows only with the need). One thread fills
 * a stock; any takes from it. */
bool tg__chunk_stock_fill(tg__chunk_stock *s);
/* How many chunks the stock holds now. */
size_t tg__chunk_stock_size(tg__chunk_stock *s);
/* Unmap the chunks no arena took, and free the stock. NULL is ignored. */
void tg__chunk_stock_free(tg__chunk_stock *s);

/* Zeroed memory for a large array (an index's slots), on huge pages when it is
 * large enough to fill some; free with tg__huge_free and the same size. */
void *tg__huge_calloc(size_t n, size_t size);
void tg__huge_free(void *p, size_t n, size_t size);

#endif
