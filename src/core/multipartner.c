/* multipartner.c - the rules of DOMAIN.md §6 (more than one partner,
 * multichannel, the resale ban) and what a customer's own users may do. */
#include "multipartner.h"
#include "account.h"
#include "rules.h"
#include "util/date.h"
#include "util/error.h"
#include "util/str.h"

int tg__rule_resale_ban(const tg__tables *t, const tg__partner *seller, const char *tenant)
{
    const tg__partner *owner = tg__map_get(&t->partner_by_tenant, tenant);
    if (!owner) return TG_OK;
    if (tg__streq(owner->tenant, tenant))
        return tg__err(TG_ESTATE, "resale ban: a CSP partner cannot resell online services to "
                                  "another CSP partner's CSP tenant ('%s' is a partner's CSP "
                                  "tenant; only its corporate tenants may buy)",
                       tenant);
    if (owner->kind == TG_PARTNER_INDIRECT_RESELLER &&
        tg__partnership_find(t, seller->tenant, owner->tenant))
        return tg__err(TG_ESTATE, "resale ban: a reseller cannot become an end customer of its "
                                  "own provider ('%s' is a tenant of '%s', an indirect reseller "
                                  "of '%s')",
                       tenant, owner->name, seller->name);
    return TG_OK; /* a partner's corporate tenant may buy from another CSP partner */
}

/* Does customer `c` work with `partner` as seller of record or by an accepted request? */
static bool works_with(const tg__customer *c, const char *partner)
{
    return tg__streq(c->seller, partner) || tg__strv_has(&c->partners, partner);
}

int tg__rule_resale_ban_partnership(const tg__tables *t, const tg__partner *provider,
                                    const tg__partner *reseller)
{
    for (size_t i = 0; i <= reseller->tenants.n; i++) {
        const char *tenant = i < reseller->tenants.n ? reseller->tenants.v[i] : reseller->tenant;
        const tg__customer *c = tg__get(t, TG__CUSTOMER, tenant);
        if (c && works_with(c, provider->tenant))
            return tg__err(TG_ESTATE, "resale ban: a reseller cannot become an end customer of "
                                      "its own provider ('%s' already buys from '%s' as customer "
                                      "'%s')",
                           reseller->name, provider->name, c->company);
    }
    return TG_OK;
}

int tg__rule_relationship_request(const tg__tables *t, const tg__partner *p,
                                  const char *customer_id)
{
    const tg__customer *c = tg__get(t, TG__CUSTOMER, customer_id);
    if (tg__customer_visible(t, p, c) && works_with(c, p->tenant))
        return tg__err(TG_EEXISTS, "'%s' already works with customer '%s'", p->name, c->company);
    return tg__rule_resale_ban(t, p, customer_id);
}

int64_t tg__subscription_term_end(const tg__subscription *s)
{
    if (s->term_end) return s->term_end;
    /* Records from before 0.2 did not store the term of a CSP subscription. */
    return s->channel == TG__CHANNEL_CSP ? tg__add_years(s->created, 1) : 0;
}

/* Partners a customer may hire: those with a relationship to it. */
static const tg__partner *related_partner(const tg__tables *t, const tg__customer *c,
                                          const char *tenant)
{
    const tg__partner *p = tg__get(t, TG__PARTNER, tenant);
    return tg__customer_visible(t, p, c) ? p : NULL;
}

int tg__rule_hire(const tg__tables *t, const tg__customer *c, const tg__subscription *s,
                  const char *partner)
{
    if (s->channel == TG__CHANNEL_CSP)
        return tg__err(TG_ESTATE, "subscription '%s' was bought through CSP: its partner of record "
                                  "sets its support contact; a customer hires a partner only for "
                                  "a subscription bought elsewhere (multichannel)",
                       s->id);
    if (partner && !related_partner(t, c, partner))
        return tg__err(TG_ESTATE, "cannot hire '%s': a customer hires only a partner it works with "
                                  "(its seller of record, its associated reseller, a partner whose "
                                  "relationship request it accepted)",
                       partner);
    return TG_OK;
}

int tg__rule_move_target(const tg__tables *t, const tg__customer *c, const tg__subscription *s,
                         const char *partner)
{
    const tg__partner *p = related_partner(t, c, partner);
    if (!p || !works_with(c, p->tenant))
        return tg__err(TG_ESTATE, "cannot switch to '%s': a subscription moves only to a CSP "
                                  "partner the customer works with (its seller of record or a "
                                  "partner whose relationship request it accepted)",
                       partner);
    if (tg__streq(s->seller, partner))
        return tg__err(TG_ESTATE, "'%s' is already the partner of record of subscription '%s'",
                       p->name, s->id);
    return tg__rule_resale_ban(t, p, c->id);
}

static int not_visible(const char *what, const char *id)
{
    return tg__err(TG_ENOTFOUND, "no %s '%s' is visible to this session", what, id);
}

typedef struct open_request {
    const char *customer, *partner;
    int64_t now;
} open_request;

static int is_open_request(void *ctx, const char *key, void *value)
{
    (void)key;
    const open_request *r = ctx;
    const tg__invite *inv = value;
    return inv->customer && tg__streq(inv->customer, r->customer) &&
           tg__streq(inv->provider, r->partner) && !inv->used_by && r->now < inv->expires;
}

/* What a customer may learn of a partner: one it has a relationship with, or one
 * whose open relationship request it holds. Any other tenant reads as unknown. */
static const tg__partner *known_partner(const tg__tables *t, const tg__customer *c,
                                        const char *partner, int64_t now)
{
    const tg__partner *p = tg__get(t, TG__PARTNER, partner);
    open_request r = {c->id, partner, now};
    if (!p || tg__customer_visible(t, p, c) || tg__map_each(&t->by_id[TG__INVITE], is_open_request, &r))
        return p;
    return NULL;
}

/* A relationship request from `partner` that customer `c` would accept. */
static int rule_accept(const tg__tables *t, const tg__customer *c, const char *partner, int64_t now)
{
    const tg__partner *p = known_partner(t, c, partner, now);
    if (!p) return tg__err(TG_ENOTFOUND, "no partner with tenant '%s'", partner);
    if (p->kind == TG_PARTNER_INDIRECT_RESELLER)
        return tg__err(TG_ESTATE, "'%s' is an indirect reseller: it works with a customer through "
                                  "one of its providers, not by a relationship of its own",
                       p->name);
    if (works_with(c, p->tenant))
        return tg__err(TG_EEXISTS, "customer '%s' already works with '%s'", c->company, p->name);
    return tg__rule_resale_ban(t, p, c->id);
}

static int rule_move_term(const tg__subscription *s, int64_t now)
{
    int64_t end = tg__subscription_term_end(s);
    if (!end || now >= end) return TG_OK;
    char when[TG__TIME_TEXT];
    tg__format_time(when, end);
    return tg__err(TG_ESTATE, "subscription '%s' cannot be switched to another CSP partner before "
                              "its term ends: a license-based subscription stays with its partner "
                              "until the end of its term (%s)",
                   s->id, when);
}

int tg__decide_as_customer(const tg__tables *t, const tg__actor *a, tg_action action,
                           const char *object)
{
    const tg__customer *c = a->customer;
    switch (action) {
    case TG_ACT_VIEW_CUSTOMER:
    case TG_ACT_SUBSCRIPTION_RECORD:
        return tg__streq(object, c->id) ? TG_OK : not_visible("customer", object);
    case TG_ACT_USERS_MANAGE: {
        tg__account acct;
        if (!tg__account_find(t, object, &acct) || acct.customer != c)
            return not_visible("user", object);
        return TG_OK;
    }
    case TG_ACT_RELATIONSHIP_ACCEPT: return rule_accept(t, c, object, a->now);
    case TG_ACT_VIEW_SUBSCRIPTION:
    case TG_ACT_SUBSCRIPTION_HIRE:
    case TG_ACT_SUBSCRIPTION_MOVE: {
        const tg__subscription *s = tg__get(t, TG__SUBSCRIPTION, object);
        if (!s || !tg__streq(s->customer, c->id)) return not_visible("subscription", object);
        if (action == TG_ACT_SUBSCRIPTION_HIRE) return tg__rule_hire(t, c, s, NULL);
        if (action == TG_ACT_SUBSCRIPTION_MOVE) return rule_move_term(s, a->now);
        return TG_OK;
    }
    default: return TG_OK; /* the policy already refused everything else */
    }
}
