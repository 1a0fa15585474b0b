/* verify.c - tg_graph_verify: every invariant of the tables, checked from scratch:
 * references resolve, indexes agree with the records, the rules of DOMAIN.md hold. */
#include "api/api.h"
#include "core/account.h"
#include "core/format.h"
#include "core/multipartner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is a record in its index? A vector of a multimap holds a few items (a customer's
 * subscriptions) or tens of thousands (a provider's customers): short ones are
 * scanned, long ones sorted once and searched. Each thread of a verification keeps
 * its own sorted copies, in a table keyed by the vector's address. */
#define SCAN_MAX 32

typedef struct sorted_vec {
    const tg__vec *vec; /* NULL: a free slot */
    void **items;
} sorted_vec;

/* What a verification looks up by partner, remembered: a few thousand partners,
 * each asked for up to millions of times (every customer's seller and its list of
 * customers, every subscription's partner of record). An answer is kept under the
 * map and the address of the id asked with: the ids records name partners by are
 * pooled strings (src/util/intern.h), one address a partner, and nothing changes
 * while the tables are verified. */
#define MEMO_BITS 16
#define MEMO_SLOTS ((size_t)1 << MEMO_BITS) /* 2 MiB a thread */

typedef struct memo {
    const tg__map *map;
    const char *id;
    const void *value;
    /* For a list, in load order: where the next record to look for should be.
     * A list holds its records in the order they were loaded, the order they are
     * checked in, so the record asked for is mostly the one after the last. */
    uint32_t next;
    bool synced; /* `next` was found once by a scan (not again: see in_partners_multi) */
} memo;

typedef struct verify_ctx {
    const tg__tables *t;
    memo *memo; /* MEMO_SLOTS, made when first asked; NULL: none (no memory) */
    bool memo_tried;
    bool in_load_order; /* records are checked in the order they were loaded */
    int rc;
    sorted_vec *sorted; /* open addressing over the vectors' addresses */
    size_t cap, count;
    size_t associated; /* customers with a reseller seen */
    bool nomem;
    /* The customer of the subscription checked last, and its subscriptions: in load
     * order a customer's subscriptions come one after the other. */
    const char *last_customer;
    const tg__vec *last_subs;
} verify_ctx;

static int fail(verify_ctx *v, const char *what, const char *id)
{
    v->rc = tg__err(TG_ECORRUPT, "graph invariant broken: %s ('%s')", what, id);
    return 1;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return x < y ? -1 : x > y;
}

static size_t home_of(const verify_ctx *v, const tg__vec *vec)
{
    uint64_t h = (uint64_t)(uintptr_t)vec * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 32) & (v->cap - 1);
}

/* The sorted copy of a long vector, made when first asked; NULL on ENOMEM. */
static void **sorted_items(verify_ctx *v, const tg__vec *vec)
{
    if (v->cap) {
        for (size_t i = home_of(v, vec); v->sorted[i].vec; i = (i + 1) & (v->cap - 1))
            if (v->sorted[i].vec == vec) return v->sorted[i].items;
    }
    if ((v->count + 1) * 2 > v->cap) { /* grow: load factor <= 1/2 */
        verify_ctx bigger = *v;
        bigger.cap = v->cap ? v->cap * 2 : 64;
        if (!(bigger.sorted = calloc(bigger.cap, sizeof(sorted_vec)))) return NULL;
        for (size_t i = 0; i < v->cap; i++) {
            if (!v->sorted[i].vec) continue;
            size_t j = home_of(&bigger, v->sorted[i].vec);
            while (bigger.sorted[j].vec) j = (j + 1) & (bigger.cap - 1);
            bigger.sorted[j] = v->sorted[i];
        }
        free(v->sorted);
        v->sorted = bigger.sorted;
        v->cap = bigger.cap;
    }
    void **items = malloc(vec->len * sizeof(void *));
    if (!items) return NULL;
    memcpy(items, vec->items, vec->len * sizeof(void *));
    qsort(items, vec->len, sizeof(void *), by_address);
    size_t i = home_of(v, vec);
    while (v->sorted[i].vec) i = (i + 1) & (v->cap - 1);
    v->sorted[i] = (sorted_vec){vec, items};
    v->count++;
    return items;
}

static bool in_vec(verify_ctx *v, const tg__vec *vec, const void *e)
{
    if (!vec) return false;
    if (vec->len <= SCAN_MAX) {
        for (size_t i = 0; i < vec->len; i++)
            if (vec->items[i] == e) return true;
        return false;
    }
    void **items = sorted_items(v, vec);
    if (!items) {
        v->nomem = true;
        return true; /* reported as ENOMEM, not as a broken index */
    }
    return bsearch(&e, items, vec->len, sizeof(void *), by_address) != NULL;
}

static bool in_multi(verify_ctx *v, const tg__map *m, const char *key, const void *e)
{
    return in_vec(v, tg__multi_get(m, key), e);
}

static void verify_ctx_free(verify_ctx *v)
{
    for (size_t i = 0; i < v->cap; i++) free(v->sorted[i].items);
    free(v->sorted);
    free(v->memo);
}

static const void *lookup(const tg__map *map, const char *id, bool multi)
{
    return multi ? (const void *)tg__multi_get(map, id) : tg__map_get(map, id);
}

/* A list longer than this keeps its memo entry (and its place, which a scan of
 * the list would have to find again) against the ids that map to the same one. */
#define KEEP_LIST 256

/* The memo of tg__map_get (or tg__multi_get when `multi`) of a partner's id (not
 * NULL); NULL when there is none to use: no memo, or its entry is a long list's. */
static memo *memo_of(verify_ctx *v, const tg__map *map, const char *id, bool multi)
{
    if (!v->memo_tried) {
        v->memo_tried = true;
        v->memo = calloc(MEMO_SLOTS, sizeof(memo)); /* without it, only slower */
    }
    if (!v->memo) return NULL;
    uint64_t h = ((uintptr_t)id ^ ((uintptr_t)map << 7)) * 0x9e3779b97f4a7c15ull;
    memo *m = &v->memo[h >> (64 - MEMO_BITS)];
    if (m->map != map || m->id != id) {
        if (m->next && ((const tg__vec *)m->value)->len > KEEP_LIST) return NULL;
        *m = (memo){map, id, lookup(map, id, multi), 0, false};
    }
    return m;
}

static const void *by_partner(verify_ctx *v, const tg__map *map, const char *id)
{
    if (!id) return NULL;
    memo *m = memo_of(v, map, id, false);
    return m ? m->value : lookup(map, id, false);
}

static const tg__partner *partner(verify_ctx *v, const char *tenant)
{
    return by_partner(v, &v->t->by_id[TG__PARTNER], tenant);
}

/* in_multi for a multimap keyed by partner: remembered, and in load order mostly
 * answered by the list's item after the one found last. */
static bool in_partners_multi(verify_ctx *v, const tg__map *map, const char *key, const void *e)
{
    memo *m = key ? memo_of(v, map, key, true) : NULL;
    if (!m) return key && in_vec(v, tg__multi_get(map, key), e);
    const tg__vec *vec = m->value;
    if (vec && m->next < vec->len && vec->items[m->next] == e) {
        m->next++;
        return true;
    }
    if (!in_vec(v, vec, e)) return false;
    /* Found elsewhere: a thread that starts half-way through the records meets each
     * list half-way. Find the place once; checked in another order (by table), the
     * places are no guide, and a scan each time would cost a list's length. */
    if (v->in_load_order && !m->synced && vec->len <= UINT32_MAX) {
        m->synced = true;
        for (size_t i = 0; i < vec->len; i++)
            if (vec->items[i] == e) {
                m->next = (uint32_t)(i + 1);
                break;
            }
    }
    return true;
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
    if (!in_partners_multi(v, &v->t->users_of, u->partner, u))
        return fail(v, "user index disagrees", u->id);
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
    if (!in_partners_multi(v, &v->t->resellers_of, p->provider, p) ||
        !in_partners_multi(v, &v->t->providers_of, p->reseller, p))
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
        v->associated++;
        const tg__partner *r = partner(v, c->reseller);
        if (!r || r->kind != TG_PARTNER_INDIRECT_RESELLER)
            return fail(v, "customer associated with a non-reseller", c->id);
        if (!in_partners_multi(v, &v->t->customers_with, c->reseller, c))
            return fail(v, "reseller index disagrees", c->id);
    }
    for (size_t i = 0; i < c->dap.n; i++) {
        if (!partner(v, c->dap.v[i])) return fail(v, "delegated admin of an unknown partner", c->id);
        if (!in_partners_multi(v, &v->t->customers_dap_of, c->dap.v[i], c))
            return fail(v, "delegated admin index disagrees", c->id);
    }
    if (tg__map_get(&v->t->customer_by_domain, c->domain) != c)
        return fail(v, "domain index disagrees", c->domain);
    if (!in_partners_multi(v, &v->t->customers_sold_by, c->seller, c))
        return fail(v, "seller index disagrees", c->id);
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
    const tg__vec *subs = v->last_subs;
    if (!v->last_customer || strcmp(v->last_customer, s->customer) != 0) {
        const tg__customer *c = tg__get(v->t, TG__CUSTOMER, s->customer);
        if (!c) return fail(v, "subscription without its customer", s->id);
        v->last_customer = c->id;
        v->last_subs = subs = tg__multi_get(&v->t->subscriptions_of, s->customer);
    }
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
    if (s->reseller_pid && !by_partner(v, &v->t->partner_by_pid, s->reseller_pid))
        return fail(v, "subscription attributed to an unknown PartnerID", s->id);
    if (s->quantity < 1) return fail(v, "subscription with no licenses", s->id);
    if (!in_vec(v, subs, s)) return fail(v, "subscription index disagrees", s->id);
    return 0;
}

typedef int (*check_fn)(void *ctx, const char *key, void *value);

static const check_fn checks[TG__KIND_COUNT] = {
    [TG__PARTNER] = check_partner, [TG__USER] = check_user,
    [TG__PARTNERSHIP] = check_partnership, [TG__INVITE] = check_invite,
    [TG__CUSTOMER] = check_customer, [TG__SUBSCRIPTION] = check_subscription,
    [TG__CUSTOMER_USER] = check_customer_user,
};

/* One record: its links to the others, then its format (what the library writes:
 * a record it could never have written does not load). */
static int check_record(verify_ctx *v, tg__kind kind, const char *key, void *value)
{
    int rc = checks[kind](v, key, value);
    if (rc) return rc;
    if (tg__record_bad_text(kind, value))
        return fail(v, "a text is empty, longer than 4096 bytes or not UTF-8", key);
    const char *why = tg__record_bad_format(kind, value);
    return why ? fail(v, why, key) : 0;
}

/* One share of a verification: a part of the records, checked one after the other
 * up to the first broken invariant. By table: slots [cap * part / parts,
 * cap * (part + 1) / parts) of each kind's table, kind after kind. In load order:
 * records [total * part / parts, total * (part + 1) / parts) of the chunks. */
typedef struct share {
    verify_ctx v;
    unsigned part, parts;
    const tg__loaded *const *chunks; /* NULL: by table */
    size_t chunk_len, total;
    int kind; /* where the first broken invariant was found (by table: the kind) */
    size_t at;
    char msg[512]; /* its message (messages are per thread) */
} share;

static void found(share *sh, int kind, size_t at)
{
    sh->kind = kind;
    sh->at = at;
    snprintf(sh->msg, sizeof(sh->msg), "%s", tg_error_message());
}

static void by_table(share *sh)
{
    verify_ctx *v = &sh->v;
    for (int k = 0; k < TG__KIND_COUNT && v->rc == TG_OK; k++) {
        const tg__map *m = &v->t->by_id[k];
        size_t from = m->cap * sh->part / sh->parts, to = m->cap * (sh->part + 1) / sh->parts;
        size_t size = tg__kind_describe((tg__kind)k)->size;
        /* Records lie all over the heap: ask for a few ahead of the one checked. */
        for (size_t i = from; i < to && i < from + TG__PREFETCH_AHEAD; i++)
            if (m->slots[i].key) tg__prefetch_packed(m->slots[i].value, size);
        for (size_t i = from; i < to; i++) {
            if (i + TG__PREFETCH_AHEAD < to && m->slots[i + TG__PREFETCH_AHEAD].key)
                tg__prefetch_packed(m->slots[i + TG__PREFETCH_AHEAD].value, size);
            if (m->slots[i].key && check_record(v, (tg__kind)k, m->slots[i].key, m->slots[i].value)) {
                found(sh, k, i);
                break;
            }
        }
    }
}

/* Ask for the slots a customer's checks probe, and those its subscriptions' checks
 * will (they follow it), ahead of them: each is a cache miss at this size. */
static void prefetch_checks(const tg__tables *t, const tg__loaded *r)
{
    if (r->kind != TG__CUSTOMER) return;
    const tg__customer *c = r->e;
    tg__map_prefetch(&t->customer_by_domain, c->domain);
    tg__map_prefetch(&t->partner_by_tenant, c->id);
    tg__map_prefetch(&t->by_id[TG__CUSTOMER], c->id);
    tg__map_prefetch(&t->subscriptions_of, c->id);
}

static void in_load_order(share *sh)
{
    verify_ctx *v = &sh->v;
    size_t from = sh->total * sh->part / sh->parts, to = sh->total * (sh->part + 1) / sh->parts;
    for (size_t i = from; i < to; i++) {
        if (i + TG__PREFETCH_AHEAD < to) {
            size_t k = i + TG__PREFETCH_AHEAD;
            prefetch_checks(v->t, &sh->chunks[k / sh->chunk_len][k % sh->chunk_len]);
        }
        const tg__loaded *r = &sh->chunks[i / sh->chunk_len][i % sh->chunk_len];
        if (check_record(v, r->kind, tg__entity_id(r->kind, r->e), (void *)r->e)) {
            found(sh, 0, i);
            break;
        }
    }
}

static void *verify_share(void *arg)
{
    share *sh = arg;
    if (sh->chunks)
        in_load_order(sh);
    else
        by_table(sh);
    return NULL;
}

/* What holds of the whole: each index holds as many entries as records join it
 * (every record was found in its lists, so no list holds a stale pointer). */
static int check_totals(const tg__tables *t, size_t associated)
{
    size_t customers = t->by_id[TG__CUSTOMER].count, subs = t->by_id[TG__SUBSCRIPTION].count;
    if (tg__multi_count(&t->customers_sold_by) != customers ||
        tg__multi_count(&t->customers_with) != associated ||
        t->customer_by_domain.count != customers ||
        tg__multi_count(&t->subscriptions_of) != subs ||
        tg__multi_count(&t->customer_users_of) != t->by_id[TG__CUSTOMER_USER].count ||
        tg__multi_count(&t->users_of) != t->by_id[TG__USER].count ||
        tg__multi_count(&t->resellers_of) != t->by_id[TG__PARTNERSHIP].count ||
        tg__multi_count(&t->providers_of) != t->by_id[TG__PARTNERSHIP].count)
        return tg__err(TG_ECORRUPT, "graph invariant broken: an index holds stale entries");
    /* A reseller's list keeps its customers' ids beside them (tables.c); what it
     * lists must be what the records say. */
    const char *stale = tg__multi_guids_stale(&t->customers_with);
    if (stale)
        return tg__err(TG_ECORRUPT, "graph invariant broken: the list of reseller '%s' keeps a "
                                    "stale customer id", stale);
    return TG_OK;
}

#define MAX_THREADS 8

/* Run the shares, share 0 on this thread and the others on threads of their own (or
 * here when none can be made); the broken invariant reported is the one a single
 * pass meets first, so the answer does not depend on the split. */
static int run_shares(const tg__tables *t, share *sh, unsigned threads)
{
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    for (unsigned p = 1; p < threads; p++)
        started[p] = pthread_create(&tid[p], NULL, verify_share, &sh[p]) == 0;
    verify_share(&sh[0]);
    for (unsigned p = 1; p < threads; p++) {
        if (started[p])
            pthread_join(tid[p], NULL);
        else
            verify_share(&sh[p]);
    }
    bool nomem = false;
    size_t associated = 0;
    const share *first = NULL;
    for (unsigned p = 0; p < threads; p++) {
        nomem = nomem || sh[p].v.nomem;
        associated += sh[p].v.associated;
        if (sh[p].v.rc && (!first || sh[p].kind < first->kind ||
                           (sh[p].kind == first->kind && sh[p].at < first->at)))
            first = &sh[p];
    }
    int rc = TG_OK;
    if (nomem)
        rc = tg__nomem();
    else if (first)
        rc = tg__err(first->v.rc, "%s", first->msg);
    else
        rc = check_totals(t, associated);
    for (unsigned p = 0; p < threads; p++) verify_ctx_free(&sh[p].v);
    return rc;
}

static unsigned clamp_threads(unsigned threads)
{
    return threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
}

int tg__tables_verify_threads(const tg__tables *t, unsigned threads)
{
    share sh[MAX_THREADS];
    threads = clamp_threads(threads);
    for (unsigned p = 0; p < threads; p++)
        sh[p] = (share){.v = {.t = t, .rc = TG_OK}, .part = p, .parts = threads, .kind = TG__KIND_COUNT};
    return run_shares(t, sh, threads);
}

int tg__tables_verify_loaded(const tg__tables *t, const tg__loaded *const *chunks, size_t chunk_len,
                             size_t total, unsigned threads)
{
    size_t records = 0;
    for (int k = 0; k < TG__KIND_COUNT; k++) records += t->by_id[k].count;
    /* The records given must be the tables' records: every table entry was loaded,
     * and a record loaded stays in its table unless one of its id replaced it,
     * which only a count below the loaded total can show. */
    if (records != total) return tg__tables_verify_threads(t, threads);
    share sh[MAX_THREADS];
    threads = clamp_threads(threads);
    for (unsigned p = 0; p < threads; p++)
        sh[p] = (share){.v = {.t = t, .rc = TG_OK, .in_load_order = true}, .part = p,
                        .parts = threads, .chunks = chunks, .chunk_len = chunk_len, .total = total};
    return run_shares(t, sh, threads);
}

int tg__tables_verify(const tg__tables *t)
{
    return tg__tables_verify_threads(t, 1);
}

int tg_graph_verify(tg_graph *g)
{
    TG__ARG(g);
    tg__rwlock_rdlock(&g->lock);
    int rc = tg__tables_verify(&g->t);
    tg__rwlock_rdunlock(&g->lock);
    return rc;
}
