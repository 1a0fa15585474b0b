/* intern.h - one shared copy of each string the tables repeat: partner tenants,
 * PartnerIDs, customer ids as subscriptions name them, offers, countries.
 *
 * A graph of a million customers names the same twenty thousand partners millions
 * of times; as a pooled string each name is stored once, and two records that
 * name the same partner hold the same pointer, so "is the seller this partner"
 * is a pointer comparison that reads no string at all (a permission check makes
 * several). Pooled strings are reference counted and leave the pool with their
 * last record.
 *
 * Not thread-safe: the tables change only under the graph's write lock (or
 * while a graph is opened or closed, by one thread), and so does the pool. */
#ifndef TG_INTERN_H
#define TG_INTERN_H

#include <stddef.h>
#include <stdint.h>

#define TG__INTERN_RECENT 256

typedef struct tg__intern {
    uintptr_t *slots; /* open addressing, linear probing; tagged addresses (intern.c), 0 is empty */
    size_t cap;              /* a power of two, or 0 */
    size_t count;
    /* Strings pooled lately, by hash: records arrive in runs that name the same
     * strings (a customer's subscriptions follow it), and a hit here spares a
     * probe of the large table, a cache miss when a graph is loaded. */
    struct tg__istr *recent[TG__INTERN_RECENT];
} tg__intern;

struct tg__arena;

/* The pooled copy of `s`, its count raised by one: the same pointer for equal
 * strings. A string new to the pool is copied into a block of `arena` (the one
 * its records come from: no malloc header, and an open's memory faulted in ahead,
 * src/util/arena.h). NULL (and nothing changed) on ENOMEM. */
const char *tg__intern_ref(tg__intern *pool, struct tg__arena *arena, const char *s);
/* Give back one reference taken by tg__intern_ref (NULL is ignored); the
 * string leaves its pool with the last. */
void tg__intern_unref(const char *pooled);
/* How many distinct strings the pool holds. */
size_t tg__intern_count(const tg__intern *pool);
/* Free the pool's table. Every reference must have been given back (the strings
 * are blocks of arenas, which do not report leaks: a debug build asserts it). */
void tg__intern_free(tg__intern *pool);
/* Free the pool's table and forget its strings, given back or not, for the
 * arena they are blocks of is about to be released with them (a graph's
 * close): only a string too large for an arena block, which came from malloc,
 * is freed here. */
void tg__intern_drop(tg__intern *pool);

#endif
