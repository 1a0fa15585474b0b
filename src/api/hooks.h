/* hooks.h - the change hook of a graph: events queued by commits under the write
 * lock, delivered after it is released, in revision order, one call at a time
 * (docs/threading.md, "Change hooks"). */
#ifndef TG_HOOKS_H
#define TG_HOOKS_H

#include "tiergraph.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tg__hooks tg__hooks;
typedef struct tg__note tg__note; /* one event waiting for delivery */

int tg__hooks_new(tg__hooks **out); /* TG_OK, TG_ENOMEM or TG_ERROR */
void tg__hooks_free(tg__hooks *h);  /* drops undelivered events */

/* Commit, step 1: a note of the event when a hook is set (*out NULL when none).
 * TG_OK or TG_ENOMEM. */
int tg__hooks_prepare(tg__hooks *h, uint64_t revision, const char *json, size_t len,
                      tg__note **out);
/* Commit, step 3: queue the note (NULL is a no-op). Never fails. */
void tg__hooks_queue(tg__hooks *h, tg__note *note);
/* Free a note that was never queued (the commit failed). NULL is a no-op. */
void tg__note_free(tg__note *note);
/* Deliver the queued events; call without holding the graph's lock. Returns at
 * once when another call (on this thread, from inside a hook, or on another
 * thread) is delivering: that one delivers these events too. */
void tg__hooks_deliver(tg_graph *g);

#endif
