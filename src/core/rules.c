/* rules.c - the rules of the graph (DOMAIN.md §3-§5), as pure functions. */
#include "rules.h"
#include "multipartner.h"
#include "util/error.h"
#include "util/str.h"

#include <stdio.h>
#include <string.h>

bool tg__customer_visible(const tg__tables *t, const tg__partner *p, const tg__customer *c)
{
    (void)t;
    if (!p || !c) return false;
    /* Tables' entities compare their partners by pointer (tg__same_pooled). */
    const bool packed = p->packed && c->packed;
    return tg__same_pooled(c->seller, p->tenant, packed) ||
           tg__same_pooled(c->reseller, p->tenant, packed) ||
           tg__strv_has_pooled(&c->dap, p->tenant, packed) ||
           tg__strv_has_pooled(&c->partners, p->tenant, packed);
}

bool tg__subscription_visible(const tg__tables *t, const tg__partner *p, const tg__subscription *s)
{
    if (!p || !s) return false;
    /* Never through a subscription does anyone learn of a customer it cannot see. */
    const tg__customer *c = tg__get(t, TG__CUSTOMER, s->customer);
    return tg__customer_visible(t, p, c) && tg__subscription_visible_in(p, c, s);
}

bool tg__subscription_visible_in(const tg__partner *p, const tg__customer *c,
                                 const tg__subscription *s)
{
    const bool packed = p->packed && c->packed && s->packed;
    if (tg__same_pooled(s->seller, p->tenant, packed) ||
        tg__same_pooled(s->support, p->tenant, packed) ||
        (s->reseller_pid && tg__same_pooled(s->reseller_pid, p->partner_id, packed)))
        return true;
    /* The customer's associated reseller sees what its provider sells that customer. */
    return c->reseller && tg__same_pooled(c->reseller, p->tenant, packed) &&
           tg__same_pooled(c->seller, s->seller, packed);
}

bool tg__partner_visible(const tg__tables *t, const tg__actor *a, const tg__partner *p)
{
    if (!p) return false;
    if (a->is_operator || a->partner == p || p->kind == TG_PARTNER_INDIRECT_PROVIDER) return true;
    return tg__partnership_find(t, a->partner->tenant, p->tenant) ||
           tg__partnership_find(t, p->tenant, a->partner->tenant);
}

char *tg__partnership_key(const char *provider, const char *reseller)
{
    return tg__sprintf("%s/%s", provider, reseller);
}

const tg__partnership *tg__partnership_find(const tg__tables *t, const char *provider,
                                            const char *reseller)
{
    char key[2 * 64 + 2];
    if (!provider || !reseller || strlen(provider) > 64 || strlen(reseller) > 64) return NULL;
    snprintf(key, sizeof(key), "%s/%s", provider, reseller);
    return tg__get(t, TG__PARTNERSHIP, key);
}

int tg__rule_new_business(const tg__tables *t, const tg__partner *seller, const char *reseller,
                          const char *what)
{
    const tg__partner *r = tg__get(t, TG__PARTNER, reseller);
    if (!r || r->kind != TG_PARTNER_INDIRECT_RESELLER)
        return tg__err(TG_ENOTFOUND, "no indirect reseller with tenant '%s'", reseller);
    if (!tg__partnership_find(t, seller->tenant, reseller))
        return tg__err(TG_ESTATE,
                       "cannot %s: '%s' is not an active indirect reseller of '%s' (no new "
                       "business until a partnership request is accepted)",
                       what, r->name, seller->name);
    if (!r->agreement)
        return tg__err(TG_ESTATE, "cannot %s: reseller '%s' has not signed the partner agreement",
                       what, r->name);
    return TG_OK;
}

int tg__rule_support_contact(const tg__tables *t, const tg__partner *seller, const tg__customer *c,
                             const char *support)
{
    if (tg__streq(support, seller->tenant)) return TG_OK;
    const tg__partner *p = tg__get(t, TG__PARTNER, support);
    if (!p || p->kind != TG_PARTNER_INDIRECT_RESELLER)
        return tg__err(TG_ESTATE,
                       "the support contact must be the partner of record or an indirect reseller; "
                       "'%s' is neither",
                       support);
    if (!tg__strv_has(&c->dap, support))
        return tg__err(TG_ESTATE,
                       "reseller '%s' cannot be the support contact: it has no delegated admin "
                       "privileges over customer '%s'",
                       p->name, c->company);
    return tg__rule_new_business(t, seller, support, "assign the support contact");
}

int tg__rule_reseller_attribution(const tg__tables *t, const tg__partner *seller,
                                  const char *partner_id, const tg__partner **out)
{
    if (!tg__is_partner_id(partner_id))
        return tg__err(TG_EINVAL, "PartnerID '%s' must be numeric (1 to 10 digits)", partner_id);
    const tg__partner *r = tg__map_get(&t->partner_by_pid, partner_id);
    if (!r) return tg__err(TG_ENOTFOUND, "no partner has PartnerID %s", partner_id);
    if (r->kind != TG_PARTNER_INDIRECT_RESELLER)
        return tg__err(TG_ESTATE, "PartnerID %s is not an indirect reseller", partner_id);
    int rc = tg__rule_new_business(t, seller, r->tenant, "attribute a subscription to the reseller");
    if (rc == TG_OK && out) *out = r;
    return rc;
}

static int not_visible(const char *what, const char *id)
{
    return tg__err(TG_ENOTFOUND, "no %s '%s' is visible to this session", what, id);
}

static int decide_customer(const tg__tables *t, const tg__actor *a, tg_action action,
                           const char *id, const tg__customer *c)
{
    if (!tg__customer_visible(t, a->partner, c)) return not_visible("customer", id);
    const char *me = a->partner->tenant;
    const bool packed = c->packed && a->partner->packed;
    switch (action) {
    case TG_ACT_ORDER_PLACE:
        /* Multi-partner (§6): a partner whose relationship request the customer
         * accepted sells to it too. */
        if (!tg__same_pooled(c->seller, me, packed) && !tg__strv_has_pooled(&c->partners, me, packed))
            return tg__err(TG_EDENIED, "denied: only the customer's partner of record, or a "
                                       "partner whose relationship request it accepted, may "
                                       "place orders for '%s'", c->company);
        return tg__rule_resale_ban(t, a->partner, c->id);
    case TG_ACT_DELEGATED_ADMIN:
        if (!tg__strv_has_pooled(&c->dap, me, packed))
            return tg__err(TG_EDENIED, "denied: '%s' holds no delegated admin privileges over "
                                       "customer '%s'", a->partner->name, c->company);
        return TG_OK;
    case TG_ACT_CUSTOMER_REMOVE: {
        if (!tg__same_pooled(c->seller, me, packed))
            return tg__err(TG_EDENIED, "denied: only the customer's partner of record may remove "
                                       "'%s'", c->company);
        if (c->reseller)
            return tg__err(TG_ESTATE, "customer '%s' cannot be removed: it is associated with an "
                                      "indirect reseller", c->company);
        if (c->partners.n)
            return tg__err(TG_ESTATE, "customer '%s' cannot be removed: it works with other "
                                      "partners too (multi-partner)", c->company);
        const tg__vec *subs = tg__multi_get(&t->subscriptions_of, c->id);
        for (size_t i = 0; subs && i < subs->len; i++)
            if (((const tg__subscription *)subs->items[i])->status == TG_SUB_ACTIVE)
                return tg__err(TG_ESTATE, "customer '%s' cannot be removed: it has active "
                                          "subscriptions", c->company);
        return TG_OK;
    }
    default: return TG_OK; /* viewing, billing: visibility is the rule */
    }
}

static int decide_subscription(const tg__tables *t, const tg__actor *a, tg_action action,
                               const char *id, const tg__subscription *s)
{
    if (!tg__subscription_visible(t, a->partner, s)) return not_visible("subscription", id);
    if (action != TG_ACT_VIEW_SUBSCRIPTION &&
        !tg__same_pooled(s->seller, a->partner->tenant, s->packed && a->partner->packed))
        return tg__err(TG_EDENIED, "denied: only the subscription's partner of record may %s",
                       tg__action_name(action));
    return TG_OK;
}

static int decide_user(const tg__actor *a, tg_action action, const char *id, const tg__user *u)
{
    if (!u || (!a->is_operator &&
               !tg__same_pooled(u->partner, a->partner->tenant, u->packed && a->partner->packed)))
        return not_visible("user", id);
    if (action == TG_ACT_USERS_MANAGE && !a->is_operator && (u->roles & TG_ROLE_GLOBAL_ADMIN) &&
        !(a->user->roles & TG_ROLE_GLOBAL_ADMIN))
        return tg__err(TG_EDENIED, "denied: only a Global admin may change the Global admin '%s'",
                       u->id);
    return TG_OK;
}

/* The table a partner's decision on `action` finds its object in, or
 * TG__KIND_COUNT for an action with a rule of its own. */
static tg__kind object_kind(tg_action action)
{
    switch (action) {
    case TG_ACT_VIEW_CUSTOMER:
    case TG_ACT_ORDER_PLACE:
    case TG_ACT_DELEGATED_ADMIN:
    case TG_ACT_BILLING_VIEW:
    case TG_ACT_CUSTOMER_REMOVE: return TG__CUSTOMER;
    case TG_ACT_SUBSCRIPTION_SET_RESELLER:
    case TG_ACT_SUBSCRIPTION_SET_SUPPORT:
    case TG_ACT_VIEW_SUBSCRIPTION: return TG__SUBSCRIPTION;
    case TG_ACT_USERS_MANAGE:
    case TG_ACT_GLOBAL_ADMIN_GRANT: return TG__USER;
    default: return TG__KIND_COUNT;
    }
}

uint64_t tg__decide_prefetch(const tg__tables *t, tg_action action, const char *object)
{
    const tg__kind kind = object ? object_kind(action) : TG__KIND_COUNT;
    if (kind == TG__KIND_COUNT) return 0;
    const uint64_t hash = tg__hash(object);
    tg__map_prefetch_hash(&t->by_id[kind], hash);
    return hash;
}

int tg__decide(const tg__tables *t, const tg__actor *a, tg_action action, const char *object)
{
    return tg__decide_hashed(t, a, action, object, 0);
}

int tg__decide_hashed(const tg__tables *t, const tg__actor *a, tg_action action,
                      const char *object, uint64_t hash)
{
    int rc = tg__policy_check(a, action);
    if (rc || !object) return rc;
    if (a->customer) return tg__decide_as_customer(t, a, action, object);
    const tg__kind kind = object_kind(action);
    if (kind != TG__KIND_COUNT) {
        /* The object, looked up once, with the hash its prefetch computed if any. */
        const tg__map *m = &t->by_id[kind];
        const void *e = hash ? tg__map_get_hash(m, object, hash) : tg__map_get(m, object);
        switch (kind) {
        case TG__CUSTOMER: return decide_customer(t, a, action, object, e);
        case TG__SUBSCRIPTION: return decide_subscription(t, a, action, object, e);
        default: return decide_user(a, action, object, e);
        }
    }
    switch (action) {
    case TG_ACT_INVITE_ACCEPT: {
        const tg__partner *p = tg__get(t, TG__PARTNER, object);
        if (!p || p->kind != TG_PARTNER_INDIRECT_PROVIDER)
            return tg__err(TG_ENOTFOUND, "no indirect provider with tenant '%s'", object);
        if (!a->partner->agreement)
            return tg__err(TG_ESTATE, "reseller '%s' must sign the partner agreement before it "
                                      "can authorize an indirect provider", a->partner->name);
        if (tg__partnership_find(t, object, a->partner->tenant))
            return tg__err(TG_EEXISTS, "'%s' is already an indirect provider of '%s'", p->name,
                           a->partner->name);
        return tg__rule_resale_ban_partnership(t, p, a->partner);
    }
    case TG_ACT_RELATIONSHIP_REQUEST: return tg__rule_relationship_request(t, a->partner, object);
    case TG_ACT_PARTNERSHIP_REMOVE:
        if (!tg__partnership_find(t, a->partner->tenant, object))
            return tg__err(TG_ENOTFOUND, "'%s' is not an indirect reseller of '%s'", object,
                           a->partner->name);
        return TG_OK;
    case TG_ACT_CUSTOMER_CREATE:
        return tg__rule_new_business(t, a->partner, object, "add a customer for the reseller");
    default: return TG_OK; /* actions without an object: the policy is the rule */
    }
}
