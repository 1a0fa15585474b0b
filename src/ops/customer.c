/* customer.c - existing customers (DOMAIN.md §4): listing and filtering by
 * reseller, reading as Partner Center JSON, the reseller association, removal. */
#include "api/api.h"
#include "crypto/crypto.h"
#include "json/partner_center.h"
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_visible(tg_iter *it, const tg__tables *t, const tg__partner *p, const tg__vec *v,
                       const char *reseller)
{
    for (size_t i = 0; v && i < v->len; i++) {
        const tg__customer *c = v->items[i];
        if (i + TG__PREFETCH_AHEAD < v->len)
            tg__prefetch_packed(v->items[i + TG__PREFETCH_AHEAD], sizeof(tg__customer));
        if (reseller && !tg__streq(c->reseller, reseller)) continue;
        if (!tg__customer_visible(t, p, c)) continue;
        int rc = tg__iter_add(it, c->id);
        if (rc) return rc;
    }
    return TG_OK;
}

/* The customers of earlier lists, by address, so that a later list skips them
 * without reading their records. Open addressing over a power-of-two table. */
typedef struct seen_set {
    const void **slot; /* NULL: no set (nothing to skip) */
    size_t mask;
    const void *small[256]; /* a reseller's list fits here; larger ones use the heap */
} seen_set;

static int seen_init(seen_set *ss, size_t n)
{
    ss->slot = NULL;
    if (!n) return TG_OK;
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2; /* at most half full */
    ss->slot = cap <= 256 ? ss->small : calloc(cap, sizeof(void *));
    if (!ss->slot) return tg__nomem();
    if (ss->slot == ss->small) memset(ss->small, 0, cap * sizeof(void *));
    ss->mask = cap - 1;
    return TG_OK;
}

static void seen_free(seen_set *ss)
{
    if (ss->slot != ss->small) free(ss->slot);
}

/* The slot of p, or the empty one where it would go. */
static const void **seen_find(const seen_set *ss, const void *p)
{
    size_t i = (size_t)(((uintptr_t)p >> 3) * 0x9e3779b97f4a7c15ull >> 32) & ss->mask;
    while (ss->slot[i] && ss->slot[i] != p) i = (i + 1) & ss->mask;
    return &ss->slot[i];
}

/* What the lists added so far hold, asked of each item of a later list. The
 * later list mostly holds the same customers in the same order: a commit that
 * changes a customer moves it to the end of every list it is in, and a
 * reseller's list of those it administers gains each customer in the commit
 * that associates it, as a provider's does with the list of those it sells. So
 * an item is first looked for at a cursor in each earlier list, one compare;
 * only an item found at no cursor makes the set of the earlier lists' items
 * (once for each later list) and is looked up there. A reseller's list mostly
 * builds no set at all. */
typedef struct listed {
    const tg__vec *list[3]; /* the lists added so far that hold items */
    size_t n, at[3];         /* how many; the cursor in each */
    seen_set set;            /* their items, once an item was found at no cursor */
    bool built;
} listed;

static void listed_push(listed *l, const tg__vec *v)
{
    if (!v || !v->len) return;
    l->list[l->n] = v;
    l->at[l->n++] = 0;
    if (l->built) seen_free(&l->set); /* made again, with this list too, if needed */
    l->built = false;
}

/* Whether c is in an earlier list (*has); TG_ENOMEM when the set cannot be made. */
static int listed_has(listed *l, const void *c, bool *has)
{
    if (!l->n) {
        *has = false;
        return TG_OK;
    }
    *has = true;
    for (size_t k = 0; k < l->n; k++) {
        const tg__vec *v = l->list[k];
        if (l->at[k] < v->len && v->items[l->at[k]] == c) {
            l->at[k]++;
            return TG_OK;
        }
    }
    if (!l->built) {
        size_t total = 0;
        for (size_t k = 0; k < l->n; k++) total += l->list[k]->len;
        int rc = seen_init(&l->set, total);
        if (rc) return rc;
        l->built = true;
        for (size_t k = 0; k < l->n; k++)
            for (size_t i = 0; i < l->list[k]->len; i++) {
                const void *p = l->list[k]->items[i];
                *seen_find(&l->set, p) = p;
            }
    }
    *has = l->set.slot && *seen_find(&l->set, c);
    return TG_OK;
}

static void listed_free(listed *l)
{
    if (l->built) seen_free(&l->set);
}

/* Add every customer of v (a list of multimap m) that no earlier list holds.
 * Each of the lists is a way the partner sees a customer, so none needs its
 * visibility decided again: a list needs only each customer's id. A list that
 * keeps its items' ids (a reseller's, tables.c) reads them from one block;
 * another reads each record's id, one cache line, scattered over the arena:
 * asked for LIST_AHEAD ahead (more would not help: a core has about twenty
 * loads from memory in flight at once). */
#define LIST_AHEAD 16

/* The items of a list that reads records, less those listed already, in chunks
 * of this many: the skipped are sorted out first, with no record read, so that
 * only records to be read are asked for (a prefetch waits for its address's
 * page walk, and a reseller's list of those it administers, all listed already
 * as the customers associated with it, was a third of its list's time at a
 * million customers in prefetches of records never read). */
#define LIST_CHUNK 256

/* The line of a customer's record its id starts on (tg__customer_packed_id). */
static const void *id_line(const tg__customer *c)
{
    return (const char *)c + TG__PACKED_HEAD(sizeof(tg__customer));
}

static int add_records(tg_iter *it, const tg__vec *v, listed *before)
{
    const tg__customer *todo[LIST_CHUNK];
    for (size_t from = 0; v && from < v->len; from += LIST_CHUNK) {
        size_t n = 0, to = from + LIST_CHUNK < v->len ? from + LIST_CHUNK : v->len;
        for (size_t i = from; i < to; i++) {
            const tg__customer *c = v->items[i];
            bool has;
            int rc = listed_has(before, c, &has);
            if (rc) return rc;
            if (has) continue;
            if (n < LIST_AHEAD) tg__prefetch(id_line(c));
            todo[n++] = c;
        }
        for (size_t i = 0; i < n; i++) {
            if (i + LIST_AHEAD < n) tg__prefetch(id_line(todo[i + LIST_AHEAD]));
            int rc = tg__iter_add(it, tg__customer_packed_id(todo[i]));
            if (rc) return rc;
        }
    }
    return TG_OK;
}

static int add_all(tg_iter *it, const tg__map *m, const tg__vec *v, listed *before)
{
    const tg__guid_bytes *ids = tg__multi_guids(m, v);
    int rc = TG_OK;
    if (!ids) rc = add_records(it, v, before);
    for (size_t i = 0; ids && rc == TG_OK && i < v->len; i++) {
        const tg__customer *c = v->items[i];
        bool has;
        if ((rc = listed_has(before, c, &has)) || has) continue;
        rc = tg__guid_is_packed(ids[i]) ? tg__iter_add_guid(it, ids[i])
                                        : tg__iter_add(it, tg__customer_packed_id(c));
    }
    listed_push(before, v);
    return rc;
}

/* Ask for the lines of a block of `bytes` bytes at p, up to `most` of them (the
 * first of a long list's: the hardware's own prefetcher follows a walk in order). */
static void prefetch_block(const void *p, size_t bytes, size_t most)
{
    const uintptr_t first = (uintptr_t)p & ~(uintptr_t)63, end = (uintptr_t)p + bytes;
    for (uintptr_t line = first; line < end && line < first + most * 64; line += 64)
        tg__prefetch((const void *)line);
}

/* The vectors of `key` in three multimaps, each lookup's steps (slot, entry,
 * items) asked for together: waited for one after the other, the three lookups
 * of a list cost nine loads from memory in a row at a million customers. The
 * lines of each vector's block (its pointers, then its kept ids; the first of a
 * long list's) are asked for at once: a reseller's list of forty customers is
 * five lines of pointers and ten of ids, and walking them in order waited for
 * each line in turn. */
static void lookup3(const tg__map *const maps[3], const char *key, const tg__vec *v[3])
{
    const uint64_t h = tg__hash(key); /* not the session's: any actor may list */
    for (int i = 0; i < 3; i++) tg__map_prefetch_hash(maps[i], h);
    for (int i = 0; i < 3; i++) tg__map_prefetch_value(maps[i], h);
    for (int i = 0; i < 3; i++) v[i] = tg__multi_get_hash(maps[i], key, h);
    for (int i = 0; i < 3; i++) {
        if (!v[i] || !v[i]->len) continue;
        prefetch_block(v[i]->items, v[i]->len * sizeof(void *), 16);
        const tg__guid_bytes *ids = tg__multi_guids(maps[i], v[i]);
        if (ids) prefetch_block(ids, v[i]->len * TG__GUID_BYTES, 32);
    }
}

/* The partner's three lists of customers, keyed by its tenant. */
static void partner_lists(const tg__tables *t, const tg__map *maps[3])
{
    maps[0] = &t->customers_sold_by;
    maps[1] = &t->customers_with;
    maps[2] = &t->customers_dap_of;
}

/* Ask for what a partner's list of its customers waits for first, before the
 * call decides whether it may list: the slots of its three lists (the session
 * knows the tenant's hash, so these need not wait for the partner's record) and
 * the user's and partner's records (the decision). At a million customers each
 * is a load from memory; asked for together they cost one wait, not three. */
static void prefetch_lists(const tg__tables *t, const tg__actor *a)
{
    if (a->customer || !a->partner) return;
    const tg__map *maps[3];
    partner_lists(t, maps);
    for (int i = 0; i < 3; i++) tg__map_prefetch_hash(maps[i], a->tenant_hash);
    tg__prefetch(a->partner);
    tg__prefetch(a->user);
}

static size_t len_of(const tg__vec *v)
{
    return v ? v->len : 0;
}

int tg__list_customers(tg_iter *it, const tg__tables *t, const tg__actor *a, const char *reseller)
{
    if (a->customer) /* a customer's user: its own customer */
        return reseller && !tg__streq(a->customer->reseller, reseller) ? TG_OK
                                                                        : tg__iter_add(it, a->customer->id);
    const char *me = a->partner->tenant;
    /* Filtered: the customers associated with that reseller that I see. */
    if (reseller)
        return add_visible(it, t, a->partner, tg__multi_get(&t->customers_with, reseller), reseller);
    /* Those I sell, those associated with me, those I administer or work with
     * (every partner whose request a customer accepted holds delegated admin);
     * each once: a later list skips what an earlier one held. */
    const tg__map *maps[3];
    partner_lists(t, maps);
    const tg__vec *v[3];
    lookup3(maps, me, v);
    const size_t most = len_of(v[0]) + len_of(v[1]) + len_of(v[2]);
    int rc = tg__iter_reserve(it, most, most * sizeof("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"));
    listed before; /* not zeroed whole: its set's inline table is 2 KiB */
    before.n = 0;
    before.built = false;
    for (int i = 0; i < 3 && rc == TG_OK; i++) rc = add_all(it, maps[i], v[i], &before);
    listed_free(&before);
    return rc;
}

int tg_customers(tg_iter **out, tg_session *s, const char *reseller_tenant_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = reseller_tenant_id ? tg__check_guid(reseller_tenant_id, "reseller tenant id") : TG_OK;
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter_any(s, false, &a))) return rc;
    const tg__tables *t = &s->graph->t;
    if (!reseller_tenant_id) prefetch_lists(t, &a);
    rc = tg__decide(t, &a, TG_ACT_VIEW_CUSTOMER, NULL);
    tg_iter *it = rc ? NULL : tg__iter_new();
    if (!rc && !it) rc = tg__nomem();
    if (rc == TG_OK) rc = tg__list_customers(it, t, &a, reseller_tenant_id);
    tg__leave(s);
    return tg__iter_finish(out, it, rc);
}

int tg_customer_get(char **out, tg_session *s, const char *customer_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = tg__check_guid(customer_id, "customer id");
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter_any(s, false, &a))) return rc;
    const tg__tables *t = &s->graph->t;
    rc = tg__decide(t, &a, TG_ACT_VIEW_CUSTOMER, customer_id);
    if (rc == TG_OK) rc = tg__pc_customer(out, t, tg__get(t, TG__CUSTOMER, customer_id));
    tg__leave(s);
    return rc;
}

/* Change one customer the actor sells: clone, edit, commit. */
int tg_customer_set_reseller(tg_session *s, const char *customer_id, const char *reseller_tenant_id)
{
    TG__ARG(s);
    int rc = tg__check_guid(customer_id, "customer id");
    if (rc || (reseller_tenant_id && (rc = tg__check_guid(reseller_tenant_id, "reseller tenant id"))))
        return rc;
    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    const tg__customer *old = tg__get(&g->t, TG__CUSTOMER, customer_id);
    rc = tg__decide(&g->t, &a, TG_ACT_CUSTOMER_CREATE, NULL);
    if (rc == TG_OK) rc = tg__decide(&g->t, &a, TG_ACT_VIEW_CUSTOMER, customer_id);
    if (rc == TG_OK && !tg__streq(old->seller, a.partner->tenant))
        rc = tg__err(TG_EDENIED, "denied: only the customer's partner of record may change its "
                                 "reseller association");
    /* Associating is new business with the reseller; ending an association is not. */
    if (rc == TG_OK && reseller_tenant_id)
        rc = tg__rule_new_business(&g->t, a.partner, reseller_tenant_id,
                                   "associate the customer with the reseller");
    tg__customer *c = rc ? NULL : tg__entity_clone(TG__CUSTOMER, old);
    if (rc == TG_OK && !c) rc = tg__nomem();
    if (rc == TG_OK) {
        char *r = reseller_tenant_id ? tg__strdup(reseller_tenant_id) : NULL;
        if (reseller_tenant_id && (!r || tg__strv_add(&c->dap, r))) rc = tg__nomem();
        free(c->reseller);
        c->reseller = r;
    }
    if (rc == TG_OK) {
        rc = tg__commit_put(g, TG__CUSTOMER, c);
        c = NULL;
    }
    tg__entity_free(TG__CUSTOMER, c);
    tg__leave(s);
    return rc;
}

int tg_customer_remove(tg_session *s, const char *customer_id)
{
    TG__ARG(s);
    int rc = tg__check_guid(customer_id, "customer id");
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    rc = tg__decide(&g->t, &a, TG_ACT_CUSTOMER_REMOVE, customer_id);
    tg__changeset cs = {0};
    if (rc == TG_OK) {
        /* Its subscriptions (none active) and its users go with it. */
        const tg__vec *v = tg__multi_get(&g->t.subscriptions_of, customer_id);
        for (size_t i = 0; rc == TG_OK && v && i < v->len; i++)
            rc = tg__cs_del(&cs, TG__SUBSCRIPTION, ((const tg__subscription *)v->items[i])->id);
        v = tg__multi_get(&g->t.customer_users_of, customer_id);
        for (size_t i = 0; rc == TG_OK && v && i < v->len; i++)
            rc = tg__cs_del(&cs, TG__CUSTOMER_USER, ((const tg__customer_user *)v->items[i])->id);
        if (rc == TG_OK) rc = tg__cs_del(&cs, TG__CUSTOMER, customer_id);
        if (rc == TG_OK) rc = tg__commit(g, &cs);
    }
    tg__cs_free(&cs);
    tg__leave(s);
    return rc;
}
