/* verify.c - tg_graph_verify: every invariant of the tables, checked from scratch:
 * references resolve, indexes agree with the records, the rules of DOMAIN.md hold. */
#include "api/api.h"
#include "core/account.h"
#include "core/multipartner.h"

#include <stdlib.h>
#include <string.h>

/* Which vector of a multimap holds which item, sorted, so that "is this record in
 * its index" is a binary search, not a walk of the vector: a provider's vector
 * of customers holds tens of thousands, and opening a graph verifies it. */
typedef struct member {
    const void *vec, *item;
} member;

typedef struct members {
    const tg__map *map;
    member *m;
    size_t n;
} members;

typedef struct verify_ctx {
    const tg__tables *t;
    int rc;
    members ix[8]; /* one per multimap, made when first asked */
    size_t nix;
    bool nomem;
} verify_ctx;

static int fail(verify_ctx *v, const char *what, const char *id)
{
    v->rc = tg__err(TG_ECORRUPT, "graph invariant broken: %s ('%s')", what, id);
    return 1;
}

/* Every multimap entry must point at a live record: no stale pointers. */
static size_t multi_total(const tg__map *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key) n += ((const tg__vec *)tg__multi_get(m, m->slots[i].key))->len;
    return n;
}

static int by_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->vec != y->vec) return (uintptr_t)x->vec < (uintptr_t)y->vec ? -1 : 1;
    if (x->item != y->item) return (uintptr_t)x->item < (uintptr_t)y->item ? -1 : 1;
    return 0;
}

static const members *members_of(verify_ctx *v, const tg__map *map)
{
    for (size_t i = 0; i < v->nix; i++)
        if (v->ix[i].map == map) return &v->ix[i];
    if (v->nix == sizeof(v->ix) / sizeof(v->ix[0])) return NULL;
    members *x = &v->ix[v->nix];
    size_t n = multi_total(map);
    x->m = malloc((n ? n : 1) * sizeof(member));
    if (!x->m) return NULL;
    for (size_t i = 0; i < map->cap; i++) {
        const tg__vec *vec = map->slots[i].key ? tg__multi_get(map, map->slots[i].key) : NULL;
        for (size_t k = 0; vec && k < vec->len; k++) x->m[x->n++] = (member){vec, vec->items[k]};
    }
    qsort(x->m, x->n, sizeof(member), by_member);
    x->map = map;
    v->nix++;
    return x;
}

static bool in_multi(verify_ctx *v, const tg__map *m, const char *key, const void *e)
{
    const members *x = members_of(v, m);
    if (!x) {
        v->nomem = true;
        return true; /* reported as ENOMEM, not as a broken index */
    }
    member want = {tg__multi_get(m, key), e};
    return want.vec && bsearch(&want, x->m, x->n, sizeof(member), by_member);
}

static const tg__partner *partner(const verify_ctx *v, const char *tenant)
{
    return tg__get(v->t, TG__PARTNER, tenant);
}

static int check_partner(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__partner *p = value;
    if (!tg__streq(key, p->tenant)) return fail(v, "partner keyed by another tenant", key);
    if (tg__map_get(&v->t->partner_by_pid, p->partner_id) != p)
        return fail(v, "PartnerID index disagrees", p->partner_id);
    if (tg__map_get(&v->t->partner_by_tenant, p->tenant) != p)
        return fail(v, "tenant index disagrees", p->tenant);
    if (tg__map_get(&v->t->partner_by_domain, p->domain) != p)
        return fail(v, "partner domain index disagrees", p->domain);
    for (size_t i = 0; i < p->tenants.n; i++)
        if (tg__map_get(&v->t->partner_by_tenant, p->tenants.v[i]) != p)
            return fail(v, "corporate tenant index disagrees", p->tenants.v[i]);
    if (p->kind < TG_PARTNER_INDIRECT_PROVIDER || p->kind > TG_PARTNER_DIRECT_BILL)
        return fail(v, "partner of unknown kind", p->tenant);
    return 0;
}

static int check_user(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__user *u = value;
    (void)key;
    if (!partner(v, u->partner)) return fail(v, "user of an unknown partner", u->id);
    if (!in_multi(v, &v->t->users_of, u->partner, u)) return fail(v, "user index disagrees", u->id);
    if (!u->roles || (u->roles & ~(unsigned)TG_ROLE_ALL)) return fail(v, "user with bad roles", u->id);
    return 0;
}

static int check_partnership(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__partnership *p = value;
    (void)key;
    const tg__partner *prov = partner(v, p->provider), *res = partner(v, p->reseller);
    if (!prov || prov->kind != TG_PARTNER_INDIRECT_PROVIDER)
        return fail(v, "partnership without an indirect provider", p->key);
    if (!res || res->kind != TG_PARTNER_INDIRECT_RESELLER)
        return fail(v, "partnership without an indirect reseller", p->key);
    size_t n = strlen(p->provider);
    if (strncmp(p->key, p->provider, n) != 0 || p->key[n] != '/' || strcmp(p->key + n + 1, p->reseller))
        return fail(v, "partnership keyed by other partners", p->key);
    if (!in_multi(v, &v->t->resellers_of, p->provider, p) || !in_multi(v, &v->t->providers_of, p->reseller, p))
        return fail(v, "partnership index disagrees", p->key);
    return 0;
}

static int check_invite(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__invite *i = value;
    (void)key;
    if (!partner(v, i->provider)) return fail(v, "invitation of an unknown provider", i->hash);
    if (i->customer && !tg__is_guid(i->customer))
        return fail(v, "relationship request to a customer id that is no GUID", i->hash);
    return 0;
}

/* DOMAIN.md §6: the partners a customer accepted, and the resale ban. */
static int check_customer_partners(verify_ctx *v, const tg__customer *c)
{
    for (size_t i = 0; i < c->partners.n; i++) {
        const tg__partner *p = partner(v, c->partners.v[i]);
        if (!p || p->kind == TG_PARTNER_INDIRECT_RESELLER)
            return fail(v, "customer accepted a partner that cannot sell", c->id);
        if (tg__streq(p->tenant, c->seller)) return fail(v, "customer accepted its own seller", c->id);
        if (!tg__strv_has(&c->dap, p->tenant))
            return fail(v, "accepted partner without delegated admin privileges", c->id);
    }
    const tg__partner *owner = tg__map_get(&v->t->partner_by_tenant, c->id);
    if (owner && tg__streq(owner->tenant, c->id))
        return fail(v, "resale ban: a customer is a partner's CSP tenant", c->id);
    if (owner && tg__rule_resale_ban(v->t, partner(v, c->seller), c->id))
        return fail(v, "resale ban: a reseller is an end customer of its own provider", c->id);
    for (size_t i = 0; owner && i < c->partners.n; i++)
        if (tg__rule_resale_ban(v->t, partner(v, c->partners.v[i]), c->id))
            return fail(v, "resale ban: a reseller is an end customer of its own provider", c->id);
    return 0;
}

static int check_customer(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__customer *c = value;
    (void)key;
    const tg__partner *seller = partner(v, c->seller);
    if (!seller || seller->kind == TG_PARTNER_INDIRECT_RESELLER)
        return fail(v, "customer whose seller cannot sell", c->id);
    if (c->reseller) {
        const tg__partner *r = partner(v, c->reseller);
        if (!r || r->kind != TG_PARTNER_INDIRECT_RESELLER)
            return fail(v, "customer associated with a non-reseller", c->id);
        if (!in_multi(v, &v->t->customers_with, c->reseller, c))
            return fail(v, "reseller index disagrees", c->id);
    }
    for (size_t i = 0; i < c->dap.n; i++) {
        if (!partner(v, c->dap.v[i])) return fail(v, "delegated admin of an unknown partner", c->id);
        if (!in_multi(v, &v->t->customers_dap_of, c->dap.v[i], c))
            return fail(v, "delegated admin index disagrees", c->id);
    }
    if (tg__map_get(&v->t->customer_by_domain, c->domain) != c)
        return fail(v, "domain index disagrees", c->domain);
    if (!in_multi(v, &v->t->customers_sold_by, c->seller, c)) return fail(v, "seller index disagrees", c->id);
    if (strncmp(c->verifier, "$argon2id$", 10) != 0) return fail(v, "verifier is not Argon2id", c->id);
    return check_customer_partners(v, c);
}

static int check_customer_user(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__customer_user *u = value;
    (void)key;
    const tg__customer *c = tg__get(v->t, TG__CUSTOMER, u->customer);
    if (!c) return fail(v, "customer user without its customer", u->id);
    if (!in_multi(v, &v->t->customer_users_of, u->customer, u))
        return fail(v, "customer user index disagrees", u->id);
    const char *at = strrchr(u->id, '@');
    if (!at || !tg__streq(at + 1, c->domain) || tg__strieq(u->id, c->admin_user))
        return fail(v, "customer user not named <name>@<its customer's domain>", u->id);
    for (const char *p = u->id; *p; p++)
        if (*p >= 'A' && *p <= 'Z') return fail(v, "customer user name not in lower case", u->id);
    if (u->roles & ~(unsigned)TG_ROLE_GLOBAL_ADMIN) return fail(v, "customer user with bad roles", u->id);
    if (strncmp(u->verifier, "$argon2id$", 10) != 0) return fail(v, "verifier is not Argon2id", u->id);
    return 0;
}

static int check_subscription(void *ctx, const char *key, void *value)
{
    verify_ctx *v = ctx;
    const tg__subscription *s = value;
    (void)key;
    if (!tg__get(v->t, TG__CUSTOMER, s->customer)) return fail(v, "subscription without its customer", s->id);
    if (s->channel == TG__CHANNEL_CSP) {
        if (!partner(v, s->seller)) return fail(v, "subscription without its partner of record", s->id);
        if (!partner(v, s->support)) return fail(v, "subscription with an unknown support contact", s->id);
    } else {
        /* Bought elsewhere (multichannel): no partner of record, perhaps a hired partner. */
        if (s->channel < TG_CHANNEL_DIRECT || s->channel > TG_CHANNEL_THIRD_PARTY)
            return fail(v, "subscription of an unknown channel", s->id);
        if (s->seller || s->reseller_pid)
            return fail(v, "subscription bought elsewhere with a partner of record", s->id);
        if (s->support && !partner(v, s->support))
            return fail(v, "subscription with an unknown support contact", s->id);
    }
    if (s->reseller_pid && !tg__map_get(&v->t->partner_by_pid, s->reseller_pid))
        return fail(v, "subscription attributed to an unknown PartnerID", s->id);
    if (s->quantity < 1) return fail(v, "subscription with no licenses", s->id);
    if (!in_multi(v, &v->t->subscriptions_of, s->customer, s)) return fail(v, "subscription index disagrees", s->id);
    return 0;
}

int tg__tables_verify(const tg__tables *t)
{
    verify_ctx v = {t, TG_OK};
    int (*const checks[TG__KIND_COUNT])(void *, const char *, void *) = {
        [TG__PARTNER] = check_partner, [TG__USER] = check_user,
        [TG__PARTNERSHIP] = check_partnership, [TG__INVITE] = check_invite,
        [TG__CUSTOMER] = check_customer, [TG__SUBSCRIPTION] = check_subscription,
        [TG__CUSTOMER_USER] = check_customer_user,
    };
    for (int k = 0; k < TG__KIND_COUNT && v.rc == TG_OK; k++) tg__map_each(&t->by_id[k], checks[k], &v);
    size_t customers = t->by_id[TG__CUSTOMER].count, subs = t->by_id[TG__SUBSCRIPTION].count;
    size_t associated = 0;
    for (size_t i = 0; i < t->by_id[TG__CUSTOMER].cap; i++) {
        const tg__customer *c = t->by_id[TG__CUSTOMER].slots[i].value;
        if (t->by_id[TG__CUSTOMER].slots[i].key && c->reseller) associated++;
    }
    if (v.rc == TG_OK && (multi_total(&t->customers_sold_by) != customers ||
                          multi_total(&t->customers_with) != associated ||
                          t->customer_by_domain.count != customers ||
                          multi_total(&t->subscriptions_of) != subs ||
                          multi_total(&t->customer_users_of) != t->by_id[TG__CUSTOMER_USER].count ||
                          multi_total(&t->users_of) != t->by_id[TG__USER].count ||
                          multi_total(&t->resellers_of) != t->by_id[TG__PARTNERSHIP].count ||
                          multi_total(&t->providers_of) != t->by_id[TG__PARTNERSHIP].count))
        v.rc = tg__err(TG_ECORRUPT, "graph invariant broken: an index holds stale entries");
    for (size_t i = 0; i < v.nix; i++) free(v.ix[i].m);
    if (v.nomem) return tg__nomem();
    return v.rc;
}

int tg_graph_verify(tg_graph *g)
{
    TG__ARG(g);
    tg__rwlock_rdlock(&g->lock);
    int rc = tg__tables_verify(&g->t);
    tg__rwlock_rdunlock(&g->lock);
    return rc;
}
