/* rwlock.h - the graph's lock: readers in parallel without touching a shared
 * cache line, one writer at a time, writers first.
 *
 * Why not pthread_rwlock_t: every read lock and unlock of it is an atomic write to
 * the lock word, one cache line that all readers share. A permission check is a
 * few hundred nanoseconds, so with two threads checking, that line bounces between
 * the cores on every call and two threads did less work than one (tests/bench).
 * Here each thread counts itself in as a reader on a slot of its own (a cache line
 * per slot); a writer raises a flag, then waits until every slot is empty. Readers
 * that see the flag step back and wait on the writers' mutex, so a steady stream of
 * readers never keeps a writer waiting (the reason the pthread lock was made to
 * prefer writers). Like that lock it is not recursive: a thread holding the read
 * lock must not take it again, which the library never does. */
#ifndef TG_RWLOCK_H
#define TG_RWLOCK_H

#include <pthread.h>
#include <stdatomic.h>

#define TG__RWLOCK_SLOTS 32

typedef struct tg__rwlock {
    struct {
        atomic_uint readers;
        char pad[64 - sizeof(atomic_uint)];
    } slot[TG__RWLOCK_SLOTS];
    atomic_int writing;           /* a writer holds the lock or waits for readers */
    pthread_mutex_t writers;      /* one writer at a time; where readers wait for it */
} tg__rwlock;

int tg__rwlock_init(tg__rwlock *l); /* 0, or an errno value */
void tg__rwlock_destroy(tg__rwlock *l);
void tg__rwlock_rdlock(tg__rwlock *l);
void tg__rwlock_rdunlock(tg__rwlock *l);
void tg__rwlock_wrlock(tg__rwlock *l);
void tg__rwlock_wrunlock(tg__rwlock *l);

#endif
