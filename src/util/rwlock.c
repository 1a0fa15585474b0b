/* rwlock.c - the graph's reader-writer lock (see rwlock.h for why). */
#include "rwlock.h"

#include <sched.h>
#include <time.h>

/* Each thread reads through one slot, handed out round robin when it first
 * locks; threads beyond TG__RWLOCK_SLOTS share slots, which stays correct (a slot
 * is a count) and only costs them the sharing. */
static atomic_uint next_slot;
static _Thread_local unsigned my_slot_plus_one;

static unsigned my_slot(void)
{
    if (!my_slot_plus_one)
        my_slot_plus_one = atomic_fetch_add_explicit(&next_slot, 1, memory_order_relaxed) %
                               TG__RWLOCK_SLOTS + 1;
    return my_slot_plus_one - 1;
}

int tg__rwlock_init(tg__rwlock *l)
{
    for (unsigned i = 0; i < TG__RWLOCK_SLOTS; i++) atomic_init(&l->slot[i].readers, 0);
    atomic_init(&l->writing, 0);
    return pthread_mutex_init(&l->writers, NULL);
}

void tg__rwlock_destroy(tg__rwlock *l)
{
    pthread_mutex_destroy(&l->writers);
}

void tg__rwlock_rdlock(tg__rwlock *l)
{
    atomic_uint *mine = &l->slot[my_slot()].readers;
    for (;;) {
        /* Count in, then look for a writer: a writer raises its flag, then looks
         * at the counts. Both sequentially consistent, so at least one of the two
         * sees the other. */
        atomic_fetch_add(mine, 1);
        if (!atomic_load(&l->writing)) return;
        atomic_fetch_sub_explicit(mine, 1, memory_order_release);
        /* Wait for the writer to finish, then try again. */
        pthread_mutex_lock(&l->writers);
        pthread_mutex_unlock(&l->writers);
    }
}

void tg__rwlock_rdunlock(tg__rwlock *l)
{
    atomic_fetch_sub_explicit(&l->slot[my_slot()].readers, 1, memory_order_release);
}

void tg__rwlock_wrlock(tg__rwlock *l)
{
    pthread_mutex_lock(&l->writers);
    atomic_store(&l->writing, 1);
    for (unsigned i = 0; i < TG__RWLOCK_SLOTS; i++) {
        /* Readers hold the lock for microseconds, a long list or an export for
         * longer: yield for a while, then sleep rather than burn a core. */
        for (unsigned spins = 0;
             atomic_load_explicit(&l->slot[i].readers, memory_order_acquire); spins++) {
            if (spins < 1000) {
                sched_yield();
            } else {
                struct timespec pause = {0, 100000};
                nanosleep(&pause, NULL);
            }
        }
    }
}

void tg__rwlock_wrunlock(tg__rwlock *l)
{
    atomic_store_explicit(&l->writing, 0, memory_order_release);
    pthread_mutex_unlock(&l->writers);
}
