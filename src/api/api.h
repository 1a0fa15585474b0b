/* api.h - what the public functions share: sessions resolved to actors under the
 * graph's lock, and snapshot iterators. */
#ifndef TG_API_H
#define TG_API_H

#include "core/changeset.h"
#include "core/graph.h"
#include "core/policy.h"
#include "core/rules.h"
#include "store/transaction.h"
#include "util/error.h"
#include "util/str.h"

struct tg_session {
    tg_graph *graph;
    bool is_operator;
    char *user_id;
};

/* Take the graph's lock (read or write) and resolve who acts. On error the lock
 * is not held. */
int(tg__enter)(tg_session *s, bool write, tg__actor *out);
/* The same, and for a write, name it: `action` is the public function whose
 * name its change event carries. The tg__enter macro passes the caller's own
 * name (__func__), which is the public function's wherever one takes the lock
 * itself; a helper that takes it for several public functions passes their
 * name to tg__enter_as instead. */
int tg__enter_as(tg_session *s, bool write, tg__actor *out, const char *action);
#define tg__enter(s, write, out) tg__enter_as((s), (write), (out), __func__)
/* Release the lock; after a write, deliver its change events to the hook. */
void tg__leave(tg_session *s);

/* A snapshot iterator: copies of ids, so it stays valid after the lock is released. */
tg_iter *tg__iter_new(void);
int tg__iter_add(tg_iter *it, const char *id); /* TG_OK or TG_ENOMEM */
/* Hand a filled iterator to the caller when rc is TG_OK, else free it; returns rc. */
int tg__iter_finish(tg_iter **out, tg_iter *it, int rc);

/* Every invariant of tg_graph_verify, over any tables (a graph's, or a scratch
 * copy an import is checked on). TG_OK or TG_ECORRUPT naming the first broken one. */
int tg__tables_verify(const tg__tables *t);

/* The actor's display name for messages. */
#define TG__ACTOR_NAME(a) ((a)->is_operator ? "the operator" : (a)->partner->name)

#endif
