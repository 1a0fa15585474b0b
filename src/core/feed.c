/* feed.c - the events of the change feed, oldest first (see feed.h). */
#include "feed.h"
#include "util/error.h"
#include "util/str.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int tg__feed_reserve(tg__feed *f, size_t extra)
{
    if (f->head + f->len + extra <= f->cap) return TG_OK;
    /* Reuse the room that dropped events left at the front first. */
    if (f->head) {
        memmove(f->items, f->items + f->head, f->len * sizeof(*f->items));
        f->head = 0;
        if (f->len + extra <= f->cap) return TG_OK;
    }
    size_t cap = f->cap ? f->cap : 64;
    while (cap < f->len + extra) cap *= 2;
    tg__event *p = realloc(f->items, cap * sizeof(*p));
    if (!p) return tg__nomem();
    f->items = p;
    f->cap = cap;
    return TG_OK;
}

void tg__feed_append(tg__feed *f, uint64_t revision, char *json)
{
    f->items[f->head + f->len++] = (tg__event){revision, json};
}

size_t tg__feed_excess(const tg__feed *f, uint64_t keep)
{
    if (keep == 0 || f->len < keep) return 0;
    return f->len + 1 - (size_t)keep;
}

const tg__event *tg__feed_at(const tg__feed *f, size_t i)
{
    return i < f->len ? &f->items[f->head + i] : NULL;
}

void tg__feed_drop_oldest(tg__feed *f, size_t n)
{
    if (n > f->len) n = f->len;
    for (size_t i = 0; i < n; i++) free(f->items[f->head + i].json);
    f->head += n;
    f->len -= n;
    if (f->len == 0) f->head = 0;
}

size_t tg__feed_after(const tg__feed *f, uint64_t since)
{
    size_t lo = 0, hi = f->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->items[f->head + mid].revision <= since)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int by_revision(const void *a, const void *b)
{
    uint64_t x = ((const tg__event *)a)->revision, y = ((const tg__event *)b)->revision;
    return x < y ? -1 : x > y;
}

int tg__feed_loaded(tg__feed *f, uint64_t revision)
{
    if (!f->len) return TG_OK;
    tg__event *e = f->items + f->head;
    qsort(e, f->len, sizeof(*e), by_revision);
    for (size_t i = 1; i < f->len; i++)
        if (e[i].revision == e[i - 1].revision)
            return tg__err(TG_ECORRUPT, "two stored events have revision %" PRIu64, e[i].revision);
    if (e[f->len - 1].revision > revision)
        return tg__err(TG_ECORRUPT, "a stored event has revision %" PRIu64
                                    ", above the graph's revision %" PRIu64,
                       e[f->len - 1].revision, revision);
    return TG_OK;
}

void tg__feed_free(tg__feed *f)
{
    tg__feed_drop_oldest(f, f->len);
    free(f->items);
    *f = (tg__feed){0};
}

char *tg__event_key(uint64_t revision)
{
    return tg__sprintf(TG__EVENT_PREFIX "%020" PRIu64, revision);
}
