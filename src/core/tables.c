/* tables.c - which index each kind of entity joins. Reserve before a commit,
 * index after it: the split that makes applying a committed change infallible. */
#include "changeset.h"
#include "graph.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>

static const char *customer_id(const void *c)
{
    return ((const tg__customer *)c)->id;
}

void tg__tables_init(tg__tables *t)
{
    *t = (tg__tables){0};
    /* A reseller's list of customers is the list asked for most (the customers it
     * serves); its ids are kept together, 16 bytes each (13 MB at a million
     * customers), so that listing them reads no customer's record. */
    t->customers_with.id_of = customer_id;
}

/* The arena of a multimap's entries and items: the partners' lists of customers
 * have their own, compacted once an open has filled them (tg__tables_compact_lists). */
static tg__arena *arena_of(tg__tables *t, const tg__map *m)
{
    return m == &t->customers_sold_by || m == &t->customers_with || m == &t->customers_dap_of
               ? &t->list_arena
               : &t->index_arena;
}

static void add_unique(tg__links *l, tg__map *m, const char *key)
{
    if (!key) return;
    l->unique[l->nunique].map = m;
    l->unique[l->nunique++].key = key;
}

static void add_multi(tg__links *l, tg__map *m, const char *key)
{
    if (!key) return;
    l->multi[l->nmulti].map = m;
    l->multi[l->nmulti++].key = key;
}

static tg__links links_of(tg__tables *t, tg__kind kind, const void *e)
{
    tg__links l = {0};
    switch (kind) {
    case TG__PARTNER: {
        const tg__partner *p = e;
        add_unique(&l, &t->partner_by_pid, p->partner_id);
        add_unique(&l, &t->partner_by_tenant, p->tenant);
        add_unique(&l, &t->partner_by_domain, p->domain);
        /* corporate tenants are indexed one by one in tg__tables_index */
        break;
    }
    case TG__USER: add_multi(&l, &t->users_of, ((const tg__user *)e)->partner); break;
    case TG__PARTNERSHIP:
        add_multi(&l, &t->resellers_of, ((const tg__partnership *)e)->provider);
        add_multi(&l, &t->providers_of, ((const tg__partnership *)e)->reseller);
        break;
    case TG__INVITE: break;
    case TG__CUSTOMER: {
        const tg__customer *c = e;
        add_unique(&l, &t->customer_by_domain, c->domain);
        add_multi(&l, &t->customers_sold_by, c->seller);
        add_multi(&l, &t->customers_with, c->reseller);
        break;
    }
    case TG__SUBSCRIPTION:
        add_multi(&l, &t->subscriptions_of, ((const tg__subscription *)e)->customer);
        break;
    case TG__CUSTOMER_USER:
        add_multi(&l, &t->customer_users_of, ((const tg__customer_user *)e)->customer);
        break;
    default: break;
    }
    return l;
}

/* Room in e's table, its unique maps and its lists but those of l.multi. */
static int reserve_room(tg__tables *t, tg__kind kind, const void *e, const tg__links *l)
{
    if (tg__map_reserve(&t->by_id[kind], 1)) return TG_ENOMEM;
    for (size_t i = 0; i < l->nunique; i++)
        if (tg__map_reserve(l->unique[i].map, 1)) return TG_ENOMEM;
    if (kind == TG__PARTNER &&
        tg__map_reserve(&t->partner_by_tenant, ((const tg__partner *)e)->tenants.n))
        return TG_ENOMEM;
    if (kind == TG__CUSTOMER) {
        const tg__customer *c = e;
        for (size_t i = 0; i < c->dap.n; i++)
            if (tg__multi_reserve(&t->customers_dap_of, &t->list_arena, c->dap.v[i], 1))
                return TG_ENOMEM;
    }
    return TG_OK;
}

int tg__tables_reserve(tg__tables *t, tg__kind kind, const void *e)
{
    tg__links l = links_of(t, kind, e);
    if (reserve_room(t, kind, e, &l)) return TG_ENOMEM;
    for (size_t i = 0; i < l.nmulti; i++)
        if (tg__multi_reserve(l.multi[i].map, arena_of(t, l.multi[i].map), l.multi[i].key, 1))
            return TG_ENOMEM;
    return TG_OK;
}

/* The indexes beyond l's: a partner's corporate tenants, a customer's delegated admins. */
static void index_more(tg__tables *t, tg__kind kind, void *e)
{
    if (kind == TG__PARTNER) {
        tg__partner *p = e;
        for (size_t i = 0; i < p->tenants.n; i++)
            tg__map_put(&t->partner_by_tenant, p->tenants.v[i], p);
    }
    if (kind == TG__CUSTOMER) {
        tg__customer *c = e;
        for (size_t i = 0; i < c->dap.n; i++) tg__multi_add(&t->customers_dap_of, c->dap.v[i], c);
    }
}

int tg__tables_add(tg__tables *t, tg__kind kind, void *e, const tg__links *l, void **other)
{
    tg__multi_entry *lists[sizeof(l->multi) / sizeof(l->multi[0])];
    *other = NULL;
    if (reserve_room(t, kind, e, l)) return TG_ENOMEM;
    for (size_t i = 0; i < l->nmulti; i++) {
        tg__map *m = l->multi[i].map;
        lists[i] = tg__multi_reserve_entry(m, arena_of(t, m), l->multi[i].key, l->multi[i].hash, 1);
        if (!lists[i]) return TG_ENOMEM;
    }
    const char *id = tg__entity_id(kind, e);
    if ((*other = tg__map_put_new(&t->by_id[kind], id, l->id_hash, e))) return TG_OK;
    for (size_t i = 0; i < l->nunique; i++)
        tg__map_put_hash(l->unique[i].map, l->unique[i].key, l->unique[i].hash, e);
    for (size_t i = 0; i < l->nmulti; i++) tg__multi_entry_add(l->multi[i].map, lists[i], e);
    index_more(t, kind, e);
    return TG_OK;
}

void tg__tables_prefetch(tg__tables *t, tg__kind kind, const void *e, tg__links *l)
{
    *l = links_of(t, kind, e);
    l->id_hash = tg__hash(tg__entity_id(kind, e));
    tg__map_prefetch_hash(&t->by_id[kind], l->id_hash);
    for (size_t i = 0; i < l->nunique; i++) {
        l->unique[i].hash = tg__hash(l->unique[i].key);
        tg__map_prefetch_hash(l->unique[i].map, l->unique[i].hash);
    }
    for (size_t i = 0; i < l->nmulti; i++) {
        l->multi[i].hash = tg__hash(l->multi[i].key);
        tg__map_prefetch_hash(l->multi[i].map, l->multi[i].hash);
    }
}

/* How many entries the puts of one change set add to each map and multimap key.
 * No change set touches more maps than the tables have. */
#define NMAPS (sizeof(tg__tables) / sizeof(tg__map))
typedef struct tally {
    struct { tg__map *map; size_t n; } unique[NMAPS];
    size_t nunique;
    struct { tg__map *target; tg__map counts; } multi[NMAPS]; /* key -> (uintptr_t) count */
    size_t nmulti;
} tally;

static void count_unique(tally *ty, tg__map *m, size_t n)
{
    size_t i = 0;
    while (i < ty->nunique && ty->unique[i].map != m) i++;
    if (i == ty->nunique) ty->unique[ty->nunique++].map = m;
    ty->unique[i].n += n;
}

static int count_multi(tally *ty, tg__map *m, const char *key)
{
    size_t i = 0;
    while (i < ty->nmulti && ty->multi[i].target != m) i++;
    if (i == ty->nmulti) ty->multi[ty->nmulti++].target = m;
    tg__map *counts = &ty->multi[i].counts;
    if (tg__map_reserve(counts, 1)) return TG_ENOMEM;
    uintptr_t n = (uintptr_t)tg__map_get(counts, key);
    tg__map_put(counts, key, (void *)(n + 1));
    return TG_OK;
}

static int count_puts(tally *ty, tg__tables *t, const tg__changeset *cs)
{
    for (size_t c = 0; c < cs->len; c++) {
        const tg__change *ch = &cs->items[c];
        if (!ch->next) continue;
        tg__links l = links_of(t, ch->kind, ch->next);
        count_unique(ty, &t->by_id[ch->kind], 1);
        for (size_t i = 0; i < l.nunique; i++) count_unique(ty, l.unique[i].map, 1);
        for (size_t i = 0; i < l.nmulti; i++)
            if (count_multi(ty, l.multi[i].map, l.multi[i].key)) return TG_ENOMEM;
        if (ch->kind == TG__PARTNER)
            count_unique(ty, &t->partner_by_tenant, ((const tg__partner *)ch->next)->tenants.n);
        if (ch->kind == TG__CUSTOMER) {
            const tg__customer *cu = ch->next;
            for (size_t i = 0; i < cu->dap.n; i++)
                if (count_multi(ty, &t->customers_dap_of, cu->dap.v[i])) return TG_ENOMEM;
        }
    }
    return TG_OK;
}

typedef struct reserve_ctx {
    tg__map *target;
    tg__arena *arena;
    int rc;
} reserve_ctx;

static int reserve_key(void *ctx, const char *key, void *value)
{
    reserve_ctx *r = ctx;
    r->rc = tg__multi_reserve(r->target, r->arena, key, (size_t)(uintptr_t)value);
    return r->rc;
}

int tg__tables_reserve_all(tg__tables *t, const tg__changeset *cs)
{
    tally ty = {0};
    int rc = count_puts(&ty, t, cs);
    for (size_t i = 0; rc == TG_OK && i < ty.nunique; i++)
        rc = tg__map_reserve(ty.unique[i].map, ty.unique[i].n);
    for (size_t i = 0; rc == TG_OK && i < ty.nmulti; i++) {
        reserve_ctx r = {ty.multi[i].target, arena_of(t, ty.multi[i].target), TG_OK};
        tg__map_each(&ty.multi[i].counts, reserve_key, &r);
        rc = r.rc;
    }
    for (size_t i = 0; i < ty.nmulti; i++) tg__map_free(&ty.multi[i].counts);
    return rc ? tg__nomem() : TG_OK;
}

void tg__tables_index(tg__tables *t, tg__kind kind, void *e)
{
    tg__links l = links_of(t, kind, e);
    tg__map_put(&t->by_id[kind], tg__entity_id(kind, e), e);
    for (size_t i = 0; i < l.nunique; i++) tg__map_put(l.unique[i].map, l.unique[i].key, e);
    for (size_t i = 0; i < l.nmulti; i++) tg__multi_add(l.multi[i].map, l.multi[i].key, e);
    index_more(t, kind, e);
}

void tg__tables_unindex(tg__tables *t, tg__kind kind, const void *e)
{
    tg__links l = links_of(t, kind, e);
    /* Only remove entries that still point at e: a replacement may share keys. */
    if (tg__map_get(&t->by_id[kind], tg__entity_id(kind, e)) == e)
        tg__map_del(&t->by_id[kind], tg__entity_id(kind, e));
    for (size_t i = 0; i < l.nunique; i++)
        if (tg__map_get(l.unique[i].map, l.unique[i].key) == e)
            tg__map_del(l.unique[i].map, l.unique[i].key);
    for (size_t i = 0; i < l.nmulti; i++) tg__multi_remove(l.multi[i].map, l.multi[i].key, e);
    if (kind == TG__PARTNER) {
        const tg__partner *p = e;
        for (size_t i = 0; i < p->tenants.n; i++)
            if (tg__map_get(&t->partner_by_tenant, p->tenants.v[i]) == e)
                tg__map_del(&t->partner_by_tenant, p->tenants.v[i]);
    }
    if (kind == TG__CUSTOMER) {
        const tg__customer *c = e;
        for (size_t i = 0; i < c->dap.n; i++) tg__multi_remove(&t->customers_dap_of, c->dap.v[i], e);
    }
}

/* Free an entity that does not go with the tables' arena: one not packed, or
 * packed into a block too large for the arena (from malloc). */
static int free_outside_arena(void *ctx, const char *key, void *value)
{
    (void)key;
    const tg__kind kind = *(const tg__kind *)ctx;
    if (!tg__entity_in_arena(kind, value)) tg__entity_free(kind, value);
    return 0;
}

/* The packed entities and their pooled strings are blocks of the tables' arena
 * and go with its chunks, all at once: freeing them one by one, each giving its
 * pooled strings back, took about 1.3 s for the reference graph of the
 * benchmark (docs/performance.md), where this reads only the index slots. */
void tg__tables_free(tg__tables *t)
{
    for (int k = 0; k < TG__KIND_COUNT; k++) {
        tg__kind kind = (tg__kind)k;
        tg__map_each(&t->by_id[k], free_outside_arena, &kind);
    }
    tg__tables_release(t);
    tg__intern_drop(&t->pool);
    tg__arena_release(&t->arena);
}

void tg__tables_release(tg__tables *t)
{
    for (int k = 0; k < TG__KIND_COUNT; k++) tg__map_free(&t->by_id[k]);
    tg__map_free(&t->partner_by_pid);
    tg__map_free(&t->partner_by_tenant);
    tg__map_free(&t->partner_by_domain);
    tg__map_free(&t->customer_by_domain);
    tg__multi_drop(&t->users_of);
    tg__multi_drop(&t->resellers_of);
    tg__multi_drop(&t->providers_of);
    tg__multi_drop(&t->customers_sold_by);
    tg__multi_drop(&t->customers_with);
    tg__multi_drop(&t->customers_dap_of);
    tg__multi_drop(&t->subscriptions_of);
    tg__multi_drop(&t->customer_users_of);
    tg__arena_release(&t->index_arena);
    tg__arena_release(&t->list_arena);
}

void tg__tables_compact_lists(tg__tables *t)
{
    tg__map *lists[] = {&t->customers_sold_by, &t->customers_with, &t->customers_dap_of};
    tg__arena fresh = {0};
    if (tg__multi_move(lists, sizeof(lists) / sizeof(lists[0]), &fresh) != TG_OK) {
        tg__arena_release(&fresh); /* the lists stay where they were: only memory is lost */
        return;
    }
    tg__arena_release(&t->list_arena); /* every block in it was given back */
    tg__arena_move(&t->list_arena, &fresh);
}
