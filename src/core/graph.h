/* graph.h - the in-memory graph: entity tables and the indexes over them. Pure
 * data: no I/O and no locks here (the lock lives in src/api/graph.c). */
#ifndef TG_GRAPH_H
#define TG_GRAPH_H

#include "entity.h"
#include "feed.h"
#include "policy.h"
#include "util/arena.h"
#include "util/intern.h"
#include "util/map.h"
#include "util/rwlock.h"

#include <pthread.h>

struct tg__changeset;

/* The indexes an entity joins besides its kind's table: unique maps and multimaps,
 * by key. Opening a graph also keeps the hashes of the keys (and of the id),
 * worked out once, ahead (tg__tables_prefetch), for tg__tables_add. */
typedef struct tg__links {
    struct { struct tg__map *map; const char *key; uint64_t hash; } unique[8];
    size_t nunique;
    struct { struct tg__map *map; const char *key; uint64_t hash; } multi[4];
    size_t nmulti;
    uint64_t id_hash;
} tg__links;

typedef struct tg__tables {
    tg__map by_id[TG__KIND_COUNT]; /* id -> entity, one table per kind */
    tg__map partner_by_pid;        /* PartnerID -> partner */
    tg__map partner_by_tenant;     /* every tenant of a partner (CSP and corporate) -> partner */
    tg__map partner_by_domain;     /* lower-case domain -> partner */
    tg__map customer_by_domain;    /* <prefix>.onmicrosoft.com -> customer */
    tg__map users_of;              /* multi: partner -> users */
    tg__map resellers_of;          /* multi: provider -> partnerships */
    tg__map providers_of;          /* multi: reseller -> partnerships */
    tg__map customers_sold_by;     /* multi: seller -> customers */
    tg__map customers_with;        /* multi: associated reseller -> customers */
    tg__map customers_dap_of;      /* multi: partner holding delegated admin -> customers */
    tg__map subscriptions_of;      /* multi: customer -> subscriptions */
    tg__map customer_users_of;     /* multi: customer -> its users (beyond the admin) */
    tg__intern pool;               /* the pooled strings of the packed entities */
    tg__arena arena;               /* the packed entities' blocks */
    tg__arena index_arena;         /* the multimaps' entries and vectors: apart from the
                                    * entities', so that an open packs records on one
                                    * thread while another indexes them (src/api/load.c) */
    tg__arena list_arena;          /* the same for the partners' lists of customers
                                    * (sold by, with, delegated admin of) */
} tg__tables;

/* Empty tables, each index set up for what it keeps (zeroed tables work too; their
 * lists then keep no ids beside their items, src/util/map.h). */
void tg__tables_init(tg__tables *t);
/* Make room so tg__tables_index(kind, e) cannot fail. */
int tg__tables_reserve(tg__tables *t, tg__kind kind, const void *e);
/* Make room so that indexing every put of a change set, one after the other, cannot
 * fail (reserving each put alone would not add up). TG_OK or TG_ENOMEM. */
int tg__tables_reserve_all(tg__tables *t, const struct tg__changeset *cs);
/* Work out e's links and their keys' hashes, and ask the CPU for the slots
 * tg__tables_add will probe with them, ahead of it (loading millions of records,
 * each probe is a cache miss). */
void tg__tables_prefetch(tg__tables *t, tg__kind kind, const void *e, tg__links *l);
/* Add e to its table and indexes / take it out (never fail after a reserve). */
void tg__tables_index(tg__tables *t, tg__kind kind, void *e);
void tg__tables_unindex(tg__tables *t, tg__kind kind, const void *e);
/* Reserve and index at once, one lookup an index where the two take two (an open
 * indexes millions of records), with e's links from tg__tables_prefetch: TG_OK
 * with e indexed, or TG_ENOMEM with e in no index. When another entity has e's id, *other is set and e is in no index
 * either: the caller replaces it (reserve, index, unindex the other). */
int tg__tables_add(tg__tables *t, tg__kind kind, void *e, const tg__links *l, void **other);
/* Move the partners' lists of customers into blocks of their exact size, in a
 * fresh arena, and give the old one back: lists that grew by doubling as an
 * open filled them leave a block of each size behind (a reseller's list with its
 * ids, 24 bytes an item: 1.5 KiB of room for its forty customers and 1.4 KiB
 * of blocks outgrown). Without the memory for it, nothing changes. */
void tg__tables_compact_lists(tg__tables *t);
/* Free every entity and index. */
void tg__tables_free(tg__tables *t);
/* Free the indexes only (and the arena of their lists): for tables that index
 * entities owned elsewhere. */
void tg__tables_release(tg__tables *t);

static inline void *tg__get(const tg__tables *t, tg__kind kind, const char *id)
{
    return id ? tg__map_get(&t->by_id[kind], id) : NULL;
}

/* The write in progress: who makes it and which public function, set while the
 * write lock is held (src/api/session.c), read by the commit for its event. */
typedef struct tg__write {
    const struct tg_session *session; /* NULL when no write is in progress */
    tg__actor actor;
    const char *action; /* the public function's name, e.g. "tg_partner_enroll" */
} tg__write;

struct tg_graph {
    tg_store *store;
    tg__rwlock lock; /* readers in parallel, one writer (src/util/rwlock.h) */
    uint64_t revision;
    /* The revision of the last commit that replaced or removed a user's or a
     * partner's record: a session's resolved actor (src/api/session.c) holds
     * pointers to such records, valid while no later commit frees them. */
    uint64_t actors_changed;
    tg__tables t;
    tg__feed feed;          /* the change feed: an event per revision, oldest first */
    tg__write write;        /* under the write lock */
    struct tg__hooks *hooks; /* the change hook and its queue (src/api/hooks.c) */
    uint64_t change_retention; /* events kept; 0 = all */
    /* options */
    uint64_t argon2_ops;
    size_t argon2_mem;
    int64_t invite_lifetime;
    int64_t clock; /* 0: system clock */
    struct tg__lockout *signin; /* failed customer sign-ins (src/api/lockout.c) */
};

int64_t tg__now(const tg_graph *g);

#endif
