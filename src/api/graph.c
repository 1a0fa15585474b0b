/* graph.c - opening a graph over a store (loading it: load.c), its options, and its
 * revision. */
#include "api.h"
#include "api/lockout.h"
#include "crypto/crypto.h"
#include "hooks.h"
#include "store/store.h"
#include "util/date.h"

#include "tiergraph/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t tg__now(const tg_graph *g)
{
    return g->clock ? g->clock : (int64_t)time(NULL);
}

static void graph_free(tg_graph *g)
{
    tg__tables_free(&g->t);
    tg__feed_free(&g->feed);
    tg__hooks_free(g->hooks);
    tg__lockout_free(g->signin);
    tg__rwlock_destroy(&g->lock);
    free(g);
}

int tg_graph_open_store(tg_graph **out, tg_store *store)
{
    TG__ARG(out);
    *out = NULL;
    int rc = tg__store_validate(store);
    if (rc) return rc;
    if (tg__crypto_init()) return TG_ERROR;
    tg_graph *g = calloc(1, sizeof(*g));
    if (!g) return tg__nomem();
    if ((rc = tg__hooks_new(&g->hooks))) {
        free(g);
        return rc;
    }
    if (!(g->signin = tg__lockout_new())) {
        tg__hooks_free(g->hooks);
        free(g);
        return tg__nomem();
    }
    if (tg__rwlock_init(&g->lock)) {
        tg__hooks_free(g->hooks);
        tg__lockout_free(g->signin);
        free(g);
        return tg__err(TG_ERROR, "cannot create the graph's lock");
    }
    g->store = store;
    tg__tables_init(&g->t);
    g->argon2_ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
    g->argon2_mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
    g->invite_lifetime = 7 * 24 * 3600;
    rc = tg__graph_load(g);
    if (rc) {
        if (rc > 0) rc = TG_ECORRUPT;
        graph_free(g);
        return rc;
    }
    *out = g;
    return TG_OK;
}

int tg_graph_open(tg_graph **out, const char *uri)
{
    TG__ARG(out);
    *out = NULL;
    int rc = tg__check_text(uri, "uri");
    if (rc) return rc;
    tg_store *store = NULL;
    if (strcmp(uri, "mem:") == 0) {
        rc = tg_store_mem_new(&store);
    } else if (strncmp(uri, "file:", 5) == 0) {
        rc = tg_store_file_new(&store, uri + 5);
    } else if (strncmp(uri, "sqlite:", 7) == 0) {
        if (uri[7] == '\0')
            return tg__err(TG_EINVAL, "store \"sqlite:\" has no path: use \"sqlite:PATH\"");
        rc = tg_store_sqlite_new(&store, uri + 7);
    } else {
        return tg__err(TG_EINVAL,
                       "unknown store '%s': expected \"file:PATH\", \"sqlite:PATH\" or \"mem:\"",
                       uri);
    }
    if (rc) return rc;
    rc = tg_graph_open_store(out, store);
    if (rc && store->free) store->free(store);
    return rc;
}

void tg_graph_close(tg_graph *g)
{
    if (!g) return;
    if (g->store && g->store->free) g->store->free(g->store);
    graph_free(g);
}

uint64_t tg_graph_revision(const tg_graph *g)
{
    if (!g) return 0;
    tg_graph *m = (tg_graph *)g; /* the lock is internal state, not the graph's value */
    tg__rwlock_rdlock(&m->lock);
    uint64_t r = g->revision;
    tg__rwlock_rdunlock(&m->lock);
    return r;
}

int tg_graph_set_option(tg_graph *g, tg_option option, int64_t value)
{
    TG__ARG(g);
    int rc = TG_OK;
    tg__rwlock_wrlock(&g->lock);
    switch (option) {
    case TG_OPT_ARGON2_OPSLIMIT:
        if (value < (int64_t)crypto_pwhash_argon2id_OPSLIMIT_MIN || value > 1000)
            rc = tg__err(TG_EINVAL, "Argon2id opslimit must be between %d and 1000",
                         (int)crypto_pwhash_argon2id_OPSLIMIT_MIN);
        else
            g->argon2_ops = (uint64_t)value;
        break;
    case TG_OPT_ARGON2_MEMLIMIT:
        if (value < (int64_t)crypto_pwhash_argon2id_MEMLIMIT_MIN || value > ((int64_t)1 << 32))
            rc = tg__err(TG_EINVAL, "Argon2id memlimit must be between %d bytes and 4 GiB",
                         (int)crypto_pwhash_argon2id_MEMLIMIT_MIN);
        else
            g->argon2_mem = (size_t)value;
        break;
    case TG_OPT_INVITE_LIFETIME:
        if (value < 60 || value > 365 * 24 * 3600)
            rc = tg__err(TG_EINVAL, "the invitation lifetime must be between 60 s and 365 days");
        else
            g->invite_lifetime = value;
        break;
    case TG_OPT_CLOCK:
        if (value < 0 || value > TG__CLOCK_MAX)
            rc = tg__err(TG_EINVAL, "the clock must be between 0 (the system clock) and %lld "
                                    "(9999-12-31T23:59:59Z)", (long long)TG__CLOCK_MAX);
        else
            g->clock = value;
        break;
    case TG_OPT_DURABILITY:
        if (value < TG_DURABILITY_OFF || value > TG_DURABILITY_FULL)
            rc = tg__err(TG_EINVAL, "durability %lld: expected TG_DURABILITY_OFF, _NORMAL or _FULL",
                         (long long)value);
        else if (!TG__STORE_HAS(g->store, 2, set_option))
            rc = tg__err(TG_EINVAL, "this store has no durability setting");
        else
            rc = g->store->set_option(g->store, (int)option, value);
        break;
    case TG_OPT_CHANGE_RETENTION:
        if (value < 0)
            rc = tg__err(TG_EINVAL, "the change retention cannot be negative (0 keeps every event)");
        else
            g->change_retention = (uint64_t)value;
        break;
    default: rc = tg__err(TG_EINVAL, "unknown option %d", (int)option);
    }
    tg__rwlock_wrunlock(&g->lock);
    return rc;
}

int tg_graph_store_stat(int64_t *out, tg_graph *g, tg_store_stat what)
{
    TG__ARG(out);
    *out = 0;
    TG__ARG(g);
    if (what < TG_STAT_STORE_BYTES || what > TG_STAT_RECORDS)
        return tg__err(TG_EINVAL, "unknown store statistic %d", (int)what);
    /* The write lock: the store is called by one thread at a time. */
    tg__rwlock_wrlock(&g->lock);
    int rc = TG__STORE_HAS(g->store, 2, stat)
                 ? g->store->stat(g->store, (int)what, out)
                 : tg__err(TG_EINVAL, "this store keeps no statistics");
    tg__rwlock_wrunlock(&g->lock);
    if (rc) *out = 0;
    return rc;
}
