/* changes.c - reading the change feed (DOMAIN.md §7): the events after a revision,
 * for the operator. The feed itself is kept by the commit (src/store/transaction.c). */
#include "api.h"

#include <inttypes.h>

int tg_changes(tg_iter **out, tg_session *op, uint64_t since, size_t limit)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(op);
    tg__actor a;
    int rc = tg__enter(op, false, &a);
    if (rc) return rc;
    tg_graph *g = op->graph;
    const tg__feed *feed = &g->feed;
    /* The feed holds the events of revisions (floor, g->revision]. */
    uint64_t floor = feed->len ? tg__feed_at(feed, 0)->revision - 1 : g->revision;
    if (!a.is_operator)
        rc = tg__err(TG_EDENIED, "denied: only the operator may read the change feed");
    else if (since > g->revision)
        rc = tg__err(TG_EINVAL, "revision %" PRIu64 " is ahead of the graph (at revision %" PRIu64 ")",
                     since, g->revision);
    else if (since < floor)
        rc = tg__err(TG_EEXPIRED, "the events up to revision %" PRIu64 " are no longer kept "
                                  "(TG_OPT_CHANGE_RETENTION); the oldest listed is %" PRIu64,
                     floor, floor + 1);
    tg_iter *it = rc ? NULL : tg__iter_new();
    if (!rc && !it) rc = tg__nomem();
    for (size_t i = rc ? feed->len : tg__feed_after(feed, since);
         rc == TG_OK && i < feed->len && (!limit || tg_iter_count(it) < limit); i++)
        rc = tg__iter_add(it, tg__feed_at(feed, i)->json);
    tg__leave(op);
    return tg__iter_finish(out, it, rc);
}
