/* transaction.h - the one path by which a write reaches the store and the graph. */
#ifndef TG_TRANSACTION_H
#define TG_TRANSACTION_H

#include "core/changeset.h"
#include "core/graph.h"

/* The store key of the graph's own metadata (its revision). */
#define TG__META_KEY "meta"

/* Commit a change set: encode every record and its change event, and reserve
 * room in the tables and the feed (may fail: nothing changed), then one store
 * transaction holding the records, the event and the revision (may fail: rolled
 * back, nothing changed), then apply to the tables (cannot fail), append the
 * event, bump the revision and queue the event for the hook. Called with the
 * write lock held (taken by tg__enter, which names the actor and the action).
 * The change set is emptied. */
int tg__commit(tg_graph *g, tg__changeset *cs);

/* Commit a write of one record: put `entity` (owned from here on, freed on
 * failure; NULL means out of memory), or delete the record of a kind with `id`. */
int tg__commit_put(tg_graph *g, tg__kind kind, void *entity);
int tg__commit_del(tg_graph *g, tg__kind kind, const char *id);

#endif
