/* transaction.h - the one path by which a write reaches the store and the graph. */
#ifndef TG_TRANSACTION_H
#define TG_TRANSACTION_H

#include "core/changeset.h"
#include "core/graph.h"

/* The store key of the graph's own metadata (its revision). */
#define TG__META_KEY "meta"

/* Commit a change set: encode every record and reserve room in the tables
 * (may fail: nothing changed), then one store transaction (may fail: rolled
 * back, nothing changed), then apply to the tables (cannot fail) and bump the
 * revision. Called with the write lock held. The change set is emptied. */
int tg__commit(tg_graph *g, tg__changeset *cs);

/* Commit a write of one record: put `entity` (owned from here on, freed on
 * failure; NULL means out of memory), or delete the record of a kind with `id`. */
int tg__commit_put(tg_graph *g, tg__kind kind, void *entity);
int tg__commit_del(tg_graph *g, tg__kind kind, const char *id);

#endif
