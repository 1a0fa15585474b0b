/* feed.h - the change feed in memory: one event per committed write, in revision
 * order. Like the tables it separates "reserve" (may fail) from "append" (cannot),
 * so a commit can append after the store has committed. Pure data: no locks. */
#ifndef TG_FEED_H
#define TG_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tg__event {
    uint64_t revision;
    char *json; /* the event as stored and as handed out (owned) */
} tg__event;

typedef struct tg__feed {
    tg__event *items; /* live events are items[head .. head + len) */
    size_t head, len, cap;
} tg__feed;

/* Make room for `extra` more events so that tg__feed_append cannot fail. */
int tg__feed_reserve(tg__feed *f, size_t extra);
/* Add the newest event; takes `json`. Needs a reserve. */
void tg__feed_append(tg__feed *f, uint64_t revision, char *json);
/* How many of the oldest events must go so that one more fits in `keep`
 * (0: keep every event, so none). */
size_t tg__feed_excess(const tg__feed *f, uint64_t keep);
/* The i-th oldest live event. */
const tg__event *tg__feed_at(const tg__feed *f, size_t i);
/* Drop the n oldest events. Never allocates. */
void tg__feed_drop_oldest(tg__feed *f, size_t n);
/* The index of the first event with a revision above `since` (len when none). */
size_t tg__feed_after(const tg__feed *f, uint64_t since);
/* After loading events in any order: sort them and check that revisions are
 * unique and none is above the graph's `revision`. TG_OK or TG_ECORRUPT. */
int tg__feed_loaded(tg__feed *f, uint64_t revision);
void tg__feed_free(tg__feed *f);

/* The store key of an event: "event/" and the revision in 20 digits, so that
 * keys sort as revisions do. Caller frees; NULL on ENOMEM. */
#define TG__EVENT_PREFIX "event/"
char *tg__event_key(uint64_t revision);

#endif
