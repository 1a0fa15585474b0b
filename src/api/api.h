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
    bool is_customer; /* a customer's user signed in; user_id is its user name */
};

/* Take the graph's lock (read or write) and resolve who acts. On error the lock
 * is not held. A customer's session is refused (TG_EDENIED): most operations are
 * for partner users and the operator. */
int tg__enter(tg_session *s, bool write, tg__actor *out);
/* The same, resolving a customer's session too (out->customer set): for the
 * operations a customer's user may call, which must not touch out->partner then. */
int tg__enter_any(tg_session *s, bool write, tg__actor *out);
/* A session of a customer's user, after its password was checked. */
int tg__session_customer_new(tg_session **out, tg_graph *g, const char *user_name);
void tg__leave(tg_session *s);

/* A snapshot iterator: copies of ids, so it stays valid after the lock is released. */
tg_iter *tg__iter_new(void);
int tg__iter_add(tg_iter *it, const char *id); /* TG_OK or TG_ENOMEM */
/* Hand a filled iterator to the caller when rc is TG_OK, else free it; returns rc. */
int tg__iter_finish(tg_iter **out, tg_iter *it, int rc);

/* The actor's display name for messages. */
#define TG__ACTOR_NAME(a) ((a)->is_operator ? "the operator" : (a)->partner->name)

#endif
