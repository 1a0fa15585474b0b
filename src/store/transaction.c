/* transaction.c - commit a change set with its change event: store first, memory
 * after, all or nothing. */
#include "transaction.h"
#include "api/hooks.h"
#include "json/event.h"
#include "util/error.h"
#include "util/str.h"

#include "tiergraph/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct encoded {
    char *key;
    char *val; /* NULL for a delete */
    size_t vlen;
} encoded;

static void free_encoded(encoded *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].key);
        free(e[i].val);
    }
    free(e);
}

static int write_all(tg_store *s, const encoded *e, size_t n, uint64_t revision)
{
    int rc = s->begin(s);
    if (rc) return rc;
    for (size_t i = 0; i < n && rc == TG_OK; i++) {
        rc = e[i].val ? s->put(s, e[i].key, strlen(e[i].key), e[i].val, e[i].vlen)
                      : s->del(s, e[i].key, strlen(e[i].key));
    }
    if (rc == TG_OK) {
        char meta[64];
        int m = snprintf(meta, sizeof(meta), "{\"revision\":%llu}", (unsigned long long)revision);
        rc = s->put(s, TG__META_KEY, strlen(TG__META_KEY), meta, (size_t)m);
    }
    if (rc == TG_OK) rc = s->commit(s);
    if (rc) {
        s->rollback(s);
        return rc < 0 ? rc : TG_EIO;
    }
    return TG_OK;
}

/* The records of the oldest events that retention drops with this write. */
static int encode_drops(encoded *e, const tg__feed *feed, size_t drop)
{
    for (size_t i = 0; i < drop; i++)
        if (!(e[i].key = tg__event_key(tg__feed_at(feed, i)->revision))) return tg__nomem();
    return TG_OK;
}

/* The tables hold entities packed (tg__entity_pack); the operation built it
 * unpacked, and no operation reads its entity after the commit. */
static int pack(tg__tables *t, tg__change *c)
{
    void *packed = tg__entity_pack(&t->pool, &t->arena, c->kind, c->next);
    if (!packed) return tg__nomem();
    tg__entity_free(c->kind, c->next);
    c->next = packed;
    return TG_OK;
}

int tg__commit(tg_graph *g, tg__changeset *cs)
{
    int rc = TG_OK;
    const uint64_t revision = g->revision + 1;
    /* The records: the change set's, then its event, then the events it drops. */
    const size_t ev = cs->len, drop = tg__feed_excess(&g->feed, g->change_retention);
    const size_t n = cs->len + 1 + drop;
    encoded *e = calloc(n, sizeof(*e));
    tg__note *note = NULL;
    if (!e) {
        tg__cs_free(cs);
        return tg__nomem();
    }
    /* 1. Everything that can fail for lack of memory, before the store sees anything. */
    for (size_t i = 0; i < cs->len && rc == TG_OK; i++) {
        tg__change *c = &cs->items[i];
        if (!(e[i].key = tg__store_key(c->kind, c->id))) rc = tg__nomem();
        if (rc == TG_OK && c->next) rc = tg__record_encode(c->kind, c->next, &e[i].val, &e[i].vlen);
        if (rc == TG_OK && c->next) rc = pack(&g->t, c);
    }
    if (rc == TG_OK) rc = tg__tables_reserve_all(&g->t, cs);
    const tg__actor *actor = g->write.session ? &g->write.actor : NULL;
    if (rc == TG_OK && !(e[ev].key = tg__event_key(revision))) rc = tg__nomem();
    if (rc == TG_OK)
        rc = tg__event_encode(&e[ev].val, &e[ev].vlen, &g->t, cs, actor, g->write.action,
                              revision, tg__now(g));
    if (rc == TG_OK) rc = encode_drops(e + ev + 1, &g->feed, drop);
    if (rc == TG_OK) rc = tg__feed_reserve(&g->feed, 1);
    if (rc == TG_OK) rc = tg__hooks_prepare(g->hooks, revision, e[ev].val, e[ev].vlen, &note);
    /* 2. The store transaction. */
    if (rc == TG_OK) {
        tg__err_clear(); /* a backend that sets no message must not inherit an old one */
        rc = write_all(g->store, e, n, revision);
        if (rc) {
            char why[256];
            snprintf(why, sizeof(why), "%s", rc < 0 && strcmp(tg_error_message(), "no error") == 0
                                                 ? tg_strerror(rc)
                                                 : tg_error_message());
            tg__err(rc, "the store refused the write (%s); nothing was changed", why);
        }
    }
    char *event = rc == TG_OK ? e[ev].val : NULL; /* the feed keeps it */
    if (event) e[ev].val = NULL;
    free_encoded(e, n);
    if (rc) {
        tg__note_free(note);
        tg__cs_free(cs);
        return rc;
    }
    /* 3. Apply: swap the new entities in. Nothing here allocates. */
    for (size_t i = 0; i < cs->len; i++) {
        tg__change *c = &cs->items[i];
        void *old = tg__get(&g->t, c->kind, c->id);
        if (c->next) tg__tables_index(&g->t, c->kind, c->next);
        if (old) {
            if (c->kind == TG__USER || c->kind == TG__PARTNER) g->actors_changed = revision;
            tg__tables_unindex(&g->t, c->kind, old);
            tg__entity_free(c->kind, old);
        }
        c->next = NULL; /* now owned by the tables */
    }
    tg__feed_drop_oldest(&g->feed, drop);
    tg__feed_append(&g->feed, revision, event);
    tg__hooks_queue(g->hooks, note); /* delivered by tg__leave, after the lock */
    g->revision = revision;
    tg__cs_free(cs);
    return TG_OK;
}

int tg__commit_put(tg_graph *g, tg__kind kind, void *entity)
{
    tg__changeset cs = {0};
    int rc = tg__cs_put(&cs, kind, entity);
    if (rc == TG_OK) rc = tg__commit(g, &cs);
    tg__cs_free(&cs);
    return rc;
}

int tg__commit_del(tg_graph *g, tg__kind kind, const char *id)
{
    tg__changeset cs = {0};
    int rc = tg__cs_del(&cs, kind, id);
    if (rc == TG_OK) rc = tg__commit(g, &cs);
    tg__cs_free(&cs);
    return rc;
}
