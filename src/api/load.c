/* load.c - opening a graph: every record of its store decoded, indexed into the
 * tables and verified, on two threads.
 *
 * The store hands records out one call at a time, valid only during the call, so
 * this thread decodes each into a packed entity (tg__record_decode_packed) while it
 * holds it. Entities then go, a batch at a time, to a second thread that indexes
 * them, in the order they came: a reopened graph's lists keep the order of the
 * journal. The batches are kept until the graph is verified, which then walks the
 * records in that same order, the order they lie in memory. */
#include "api.h"
#include "json/event.h"
#include "json/record.h"
#include "store/transaction.h"
#include "tiergraph/store.h"

#include <cjson/cJSON.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 4096 /* records handed to the indexing thread at a time */

typedef struct loading {
    tg_graph *g;
    tg__record_scratch scratch;
    tg__loaded **batches; /* every batch, in load order; all but the last full */
    size_t nbatches, cap, filled; /* records in the last batch */
    /* The indexing thread: it indexes batches [0, published), one after the other,
     * and stops at the first it cannot index. Under `lock`. */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool threaded, done;
    tg__chunk_stock *stock; /* chunks for the records' arena, faulted in by the indexer */
    size_t published, indexed_batches;
    size_t unindexed; /* load-order position of the first record it did not index */
    int rc;
    char msg[512];
    tg__loaded *replaced; /* entities a later record of the same id replaced */
    size_t nreplaced, replaced_cap;
} loading;

static int load_event(tg_graph *g, const char *key, size_t klen, const void *val, size_t vlen)
{
    uint64_t revision;
    char *json;
    int rc = tg__event_decode(key, klen, val, vlen, &revision, &json);
    if (rc) return rc;
    if ((rc = tg__feed_reserve(&g->feed, 1))) {
        free(json);
        return rc;
    }
    tg__feed_append(&g->feed, revision, json); /* sorted once all are loaded */
    return TG_OK;
}

static int load_meta(tg_graph *g, const void *val, size_t vlen)
{
    cJSON *o = cJSON_ParseWithLength(val, vlen);
    cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "revision");
    bool ok = cJSON_IsNumber(r) && r->valuedouble >= 0 && r->valuedouble < 18446744073709551616.0;
    if (ok) g->revision = (uint64_t)r->valuedouble;
    cJSON_Delete(o);
    return ok ? TG_OK : tg__err(TG_ECORRUPT, "the stored revision cannot be read");
}

/* Index one entity (the tables take it), replacing one of the same id. A
 * replaced entity is not freed here but kept in l->replaced until the threads are
 * joined: freeing gives its block and pooled strings back, which only the
 * loading thread may touch while it packs (src/util/arena.h, intern.h). */
static int index_one(loading *l, tg__tables *t, tg__kind kind, void *e, const tg__links *links)
{
    void *old;
    int rc = tg__tables_add(t, kind, e, links, &old);
    if (rc || !old) return rc;
    /* A store should not hand a key out twice; when it does, the last one wins. */
    if ((rc = tg__tables_reserve(t, kind, e))) return rc;
    if (l->nreplaced == l->replaced_cap) {
        size_t cap = l->replaced_cap ? l->replaced_cap * 2 : 16;
        tg__loaded *r = realloc(l->replaced, cap * sizeof(*r));
        if (!r) return tg__nomem();
        l->replaced = r;
        l->replaced_cap = cap;
    }
    tg__tables_index(t, kind, e);
    tg__tables_unindex(t, kind, old);
    l->replaced[l->nreplaced++] = (tg__loaded){kind, old};
    return TG_OK;
}

/* Records whose links are worked out ahead of their indexing: a ring. */
#define AHEAD_RING 16
_Static_assert(AHEAD_RING > TG__PREFETCH_AHEAD, "the ring holds every record in flight");

static int index_batch(loading *l, const tg__loaded *batch, size_t b, size_t n)
{
    tg__tables *t = &l->g->t;
    tg__links ahead[AHEAD_RING];
    /* Each slot a record goes into is a cache miss: its links (and their keys'
     * hashes) are worked out and their slots asked for ahead of it, and the record
     * itself (where its keys are) further ahead still. */
    for (size_t i = 0; i < n && i < TG__PREFETCH_AHEAD; i++)
        tg__tables_prefetch(t, batch[i].kind, batch[i].e, &ahead[i % AHEAD_RING]);
    for (size_t i = 0; i < n; i++) {
        if (i + 2 * TG__PREFETCH_AHEAD < n) {
            const tg__loaded *r = &batch[i + 2 * TG__PREFETCH_AHEAD];
            tg__prefetch_packed(r->e, tg__kind_describe(r->kind)->size);
        }
        const size_t k = i + TG__PREFETCH_AHEAD;
        if (k < n) tg__tables_prefetch(t, batch[k].kind, batch[k].e, &ahead[k % AHEAD_RING]);
        int rc = index_one(l, t, batch[i].kind, (void *)batch[i].e, &ahead[i % AHEAD_RING]);
        if (rc) {
            l->unindexed = b * BATCH + i;
            snprintf(l->msg, sizeof(l->msg), "%s", tg_error_message());
            return rc;
        }
    }
    return TG_OK;
}

static void *indexer(void *arg)
{
    loading *l = arg;
    pthread_mutex_lock(&l->lock);
    for (;;) {
        while (l->indexed_batches == l->published && !l->done) {
            /* Nothing to index yet: fault in memory the decoding thread will pack
             * records into (arena.h, tg__chunk_stock), or wait when it has enough.
             * Not before a first full batch: a graph of a few records needs none. */
            if (l->stock && l->published > 0) {
                pthread_mutex_unlock(&l->lock);
                bool filled = tg__chunk_stock_fill(l->stock);
                pthread_mutex_lock(&l->lock);
                if (filled) continue;
            }
            pthread_cond_wait(&l->wake, &l->lock);
        }
        if (l->indexed_batches == l->published) break; /* done, and all indexed */
        /* Published batches are full but the very last; the loading thread no
         * longer writes to them, and grows l->batches under the lock only. */
        size_t b = l->indexed_batches, n = b + 1 < l->nbatches ? BATCH : l->filled;
        tg__loaded *batch = l->batches[b];
        pthread_mutex_unlock(&l->lock);
        int rc = index_batch(l, batch, b, n);
        pthread_mutex_lock(&l->lock);
        if (rc) {
            l->rc = rc;
            break;
        }
        l->indexed_batches++;
        pthread_cond_broadcast(&l->wake);
    }
    pthread_cond_broadcast(&l->wake);
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

/* Hand the filled batch to the indexer (or index it here without one). */
static int publish(loading *l)
{
    if (!l->threaded) {
        int rc = index_batch(l, l->batches[l->published], l->published, l->filled);
        if (rc) return tg__err(rc, "%s", l->msg);
        l->published++;
        l->indexed_batches++;
        return TG_OK;
    }
    pthread_mutex_lock(&l->lock);
    l->published++;
    int rc = l->rc;
    pthread_cond_broadcast(&l->wake);
    pthread_mutex_unlock(&l->lock);
    return rc ? tg__err(rc, "%s", l->msg) : TG_OK;
}

static int add_entity(loading *l, tg__kind kind, void *e)
{
    if (l->nbatches == 0 || l->filled == BATCH) {
        /* The last batch is full: published, then a new one. */
        if (l->nbatches && l->published < l->nbatches) {
            int rc = publish(l);
            if (rc) {
                tg__entity_free(kind, e);
                return rc;
            }
        }
        if (l->nbatches == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 64;
            /* The indexer reads l->batches: grow it under the lock. */
            if (l->threaded) pthread_mutex_lock(&l->lock);
            tg__loaded **b = realloc(l->batches, cap * sizeof(*b));
            if (b) {
                l->batches = b;
                l->cap = cap;
            }
            if (l->threaded) pthread_mutex_unlock(&l->lock);
            if (!b) {
                tg__entity_free(kind, e);
                return tg__nomem();
            }
        }
        tg__loaded *batch = malloc(BATCH * sizeof(*batch));
        if (!batch) {
            tg__entity_free(kind, e);
            return tg__nomem();
        }
        if (l->threaded) pthread_mutex_lock(&l->lock);
        l->batches[l->nbatches++] = batch;
        l->filled = 0;
        if (l->threaded) pthread_mutex_unlock(&l->lock);
    }
    l->batches[l->nbatches - 1][l->filled++] = (tg__loaded){kind, e};
    return TG_OK;
}

static int TG_CALLBACK load_record(void *ctx, const char *key, size_t klen, const void *val,
                                   size_t vlen)
{
    loading *l = ctx;
    if (klen == strlen(TG__META_KEY) && memcmp(key, TG__META_KEY, klen) == 0)
        return load_meta(l->g, val, vlen);
    const size_t plen = strlen(TG__EVENT_PREFIX);
    if (klen >= plen && memcmp(key, TG__EVENT_PREFIX, plen) == 0)
        return load_event(l->g, key, klen, val, vlen);
    tg__kind kind;
    void *e;
    int rc = tg__record_decode_packed(&l->scratch, &l->g->t.pool, &l->g->t.arena, key, klen, val,
                                      vlen, &kind, &e);
    return rc ? rc : add_entity(l, kind, e);
}

/* The store's records into the tables: the first failure, this thread's or the
 * indexer's (with its message). */
static int load_all(loading *l, tg_store *store)
{
    l->threaded = pthread_mutex_init(&l->lock, NULL) == 0;
    if (l->threaded && pthread_cond_init(&l->wake, NULL) != 0) {
        pthread_mutex_destroy(&l->lock);
        l->threaded = false;
    }
    pthread_t tid;
    if (l->threaded) l->stock = tg__chunk_stock_new(); /* none: the decoder faults its own */
    if (l->threaded && pthread_create(&tid, NULL, indexer, l) != 0) {
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->lock);
        l->threaded = false;
        tg__chunk_stock_free(l->stock);
        l->stock = NULL;
    }
    l->g->t.arena.stock = l->stock;
    int rc = store->load(store, load_record, l);
    /* The last batch, partly filled. */
    if (rc == TG_OK && l->nbatches && l->published < l->nbatches) rc = publish(l);
    if (l->threaded) {
        pthread_mutex_lock(&l->lock);
        l->done = true;
        pthread_cond_broadcast(&l->wake);
        pthread_mutex_unlock(&l->lock);
        pthread_join(tid, NULL);
        l->g->t.arena.stock = NULL;
        tg__chunk_stock_free(l->stock);
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->lock);
        if (rc == TG_OK && l->rc) rc = tg__err(l->rc, "%s", l->msg);
    }
    return rc;
}

/* Free what was loaded but never indexed (the tables free the rest), and the batches. */
static void loading_free(loading *l, bool all_indexed)
{
    size_t total = l->nbatches ? (l->nbatches - 1) * BATCH + l->filled : 0;
    size_t from = all_indexed ? total : l->indexed_batches * BATCH;
    if (!all_indexed && l->rc) from = l->unindexed;
    for (size_t i = from; i < total; i++)
        tg__entity_free(l->batches[i / BATCH][i % BATCH].kind, (void *)l->batches[i / BATCH][i % BATCH].e);
    for (size_t b = 0; b < l->nbatches; b++) free(l->batches[b]);
    free(l->batches);
    for (size_t i = 0; i < l->nreplaced; i++) tg__entity_free(l->replaced[i].kind, (void *)l->replaced[i].e);
    free(l->replaced);
    tg__record_scratch_free(&l->scratch);
}

int tg__graph_load(tg_graph *g)
{
    loading l = {.g = g};
    int rc = load_all(&l, g->store);
    bool all_indexed = l.indexed_batches == l.nbatches && l.rc == TG_OK;
    if (rc == TG_OK && !all_indexed) rc = tg__err(TG_ERROR, "the open lost records it loaded");
    if (rc == TG_OK) rc = tg__feed_loaded(&g->feed, g->revision);
    /* Records that each decode may still not fit together (a user of no partner, a
     * subscription of no customer): refuse them now, before any call trips on them.
     * Nobody else has the graph yet: both threads check. */
    size_t total = l.nbatches ? (l.nbatches - 1) * BATCH + l.filled : 0;
    if (rc == TG_OK)
        rc = tg__tables_verify_loaded(&g->t, (const tg__loaded *const *)l.batches, BATCH, total, 2);
    loading_free(&l, all_indexed);
    if (rc == TG_OK) tg__tables_compact_lists(&g->t);
#if defined(__GLIBC__)
    /* The batches and the tables' outgrown slots were freed into the heap: give it
     * back (about 120 MB for the reference graph, in about 10 ms). */
    malloc_trim(0);
#endif
    return rc;
}
