/* event.h - the change event of a write, as JSON: what the feed stores and hands out. */
#ifndef TG_EVENT_H
#define TG_EVENT_H

#include "core/changeset.h"
#include "core/graph.h"
#include "core/policy.h"

/* The event of a change set about to be committed as `revision` at `time`:
 * {"revision","time","actor","action","objects"}. `t` is the graph before the
 * change (it tells a create from an update); `actor` may be NULL (unknown).
 * TG_OK or TG_ENOMEM. */
int tg__event_encode(char **out, size_t *len, const tg__tables *t, const tg__changeset *cs,
                     const tg__actor *actor, const char *action, uint64_t revision, int64_t time);

/* Read back a stored event record (key "event/<revision>"): its revision, and a
 * copy of its JSON. TG_OK, TG_ECORRUPT or TG_ENOMEM. */
int tg__event_decode(const char *key, size_t klen, const void *val, size_t vlen,
                     uint64_t *revision, char **json);

#endif
