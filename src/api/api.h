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
    /* A partner user as resolved at graph revision `seen`: entities are immutable
     * and only a commit replaces or frees them, so while no commit after `seen` has
     * replaced or removed a user or a partner (g->actors_changed <= seen) the same
     * pointers are still the answer, whatever else was written meanwhile. A session
     * belongs to one thread at a time (docs/threading.md): no lock of its own. */
    uint64_t seen;
    const struct tg__user *user;
    const struct tg__partner *partner;
    /* tg__hash of the partner's tenant: a list of the partner's own (its customers)
     * looks its lists up with it before the partner's record has arrived. */
    uint64_t tenant_hash;
};

/* Take the graph's lock (read or write) and resolve who acts. On error the lock
 * is not held. A customer's session is refused (TG_EDENIED): most operations are
 * for partner users and the operator. For a write, `action` names it: the public
 * function whose name its change event carries. */
int tg__enter_as(tg_session *s, bool write, tg__actor *out, const char *action);
/* The same, resolving a customer's session too (out->customer set): for the
 * operations a customer's user may call, which must not touch out->partner then. */
int tg__enter_any_as(tg_session *s, bool write, tg__actor *out, const char *action);
/* The tg__enter and tg__enter_any macros pass the caller's own name (__func__),
 * which is the public function's wherever one takes the lock itself; a helper that
 * takes it for several public functions passes their name to tg__enter_as or
 * tg__enter_any_as instead. */
#define tg__enter(s, write, out) tg__enter_as((s), (write), (out), __func__)
#define tg__enter_any(s, write, out) tg__enter_any_as((s), (write), (out), __func__)
/* A session of a customer's user, after its password was checked. */
int tg__session_customer_new(tg_session **out, tg_graph *g, const char *user_name);
/* Release the lock; after a write, deliver its change events to the hook. */
void tg__leave(tg_session *s);

/* A snapshot iterator: copies of ids, so it stays valid after the lock is released. */
tg_iter *tg__iter_new(void);
int tg__iter_add(tg_iter *it, const char *id); /* TG_OK or TG_ENOMEM */
/* The same for an id packed by tg__guid_pack (src/util/str.h), which must not be the mark. */
int tg__iter_add_guid(tg_iter *it, const unsigned char guid[TG__GUID_BYTES]);
/* Make room for `ids` more ids of `bytes` in all (NULs included) ahead of adding
 * them, so that a long list grows its buffers once. TG_OK or TG_ENOMEM. */
int tg__iter_reserve(tg_iter *it, size_t ids, size_t bytes);
/* Hand a filled iterator to the caller when rc is TG_OK, else free it; returns rc. */
int tg__iter_finish(tg_iter **out, tg_iter *it, int rc);

/* Every invariant of tg_graph_verify, over any tables (a graph's, or a scratch
 * copy an import is checked on). TG_OK or TG_ECORRUPT naming the first broken one. */
int tg__tables_verify(const tg__tables *t);
/* The same, the tables split between `threads` threads (this one included); the
 * answer is the one a single thread gives. */
int tg__tables_verify_threads(const tg__tables *t, unsigned threads);

/* A record as the open loaded it (src/api/load.c). */
typedef struct tg__loaded {
    tg__kind kind;
    const void *e;
} tg__loaded;

/* Every invariant, checked record by record in the order the open loaded them (the
 * order they lie in memory), split over `threads` threads: `total` records in
 * `chunks` of `chunk_len`, which must be exactly the tables' records. The answer is
 * the one a single thread gives in that order. */
int tg__tables_verify_loaded(const tg__tables *t, const tg__loaded *const *chunks, size_t chunk_len,
                             size_t total, unsigned threads);

/* Open: load the store's records into g's tables and feed, and verify them. */
int tg__graph_load(tg_graph *g);

/* The actor's display name for messages. */
#define TG__ACTOR_NAME(a) ((a)->is_operator ? "the operator" : (a)->partner->name)

#endif
