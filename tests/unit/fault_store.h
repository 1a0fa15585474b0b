/* fault_store.h - a test backend that wraps another store and injects failures,
 * for failure-injection tests of the core. Test code only. */
#ifndef FAULT_STORE_H
#define FAULT_STORE_H

#include "tiergraph/store.h"

/* Wrap `inner`, which the fault store then owns (its free slot frees `inner` too).
 * Returns NULL when `inner` is NULL or out of memory; the caller then still owns `inner`.
 * An injected failure returns TG_EIO and is NOT passed on to `inner`, so the inner
 * transaction stays consistent until the core calls rollback (which is passed on). */
tg_store *fault_store_new(tg_store *inner);
/* The same, but `inner` stays the caller's: freeing the fault store leaves it, so a
 * test can close a graph and open another on the same records. */
tg_store *fault_store_borrow(tg_store *inner);

/* The nth put from now (1-based) fails once; 0 disables. */
void fault_store_fail_put(tg_store *s, int n);
/* While `on`, every commit / begin / load fails. */
void fault_store_fail_commit(tg_store *s, int on);
void fault_store_fail_begin(tg_store *s, int on);
void fault_store_fail_load(tg_store *s, int on);

/* Calls passed on to the inner store that succeeded (injected failures do not count). */
int fault_store_puts(const tg_store *s);
int fault_store_dels(const tg_store *s);
int fault_store_commits(const tg_store *s);

#endif
