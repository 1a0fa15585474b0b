/* subscription.c - subscriptions of existing customers (DOMAIN.md §5): adding them,
 * attribution to a reseller by PartnerID, the designated support contact, status. */
#include "api/api.h"
#include "crypto/crypto.h"
#include "json/partner_center.h"
#include "ops.h"
#include "util/date.h"

#include <stdlib.h>
#include <string.h>

tg__subscription *tg__subscription_build(const char *id, const char *customer, const char *offer,
                                         int quantity, const char *seller, const char *reseller_pid,
                                         const char *support, int64_t now)
{
    tg__subscription *s = tg__entity_new(TG__SUBSCRIPTION);
    if (!s) return NULL;
    s->id = tg__strdup(id);
    s->customer = tg__strdup(customer);
    s->offer = tg__strdup(offer);
    s->quantity = quantity;
    s->status = TG_SUB_ACTIVE;
    s->seller = seller ? tg__strdup(seller) : NULL;
    s->reseller_pid = reseller_pid ? tg__strdup(reseller_pid) : NULL;
    s->support = support ? tg__strdup(support) : NULL;
    s->created = now;
    /* Bought through CSP: license-based, with a one-year term (DOMAIN.md §6). */
    s->channel = TG__CHANNEL_CSP;
    s->term_end = seller ? tg__add_years(now, 1) : 0;
    if (!s->id || !s->customer || !s->offer || (seller && !s->seller) || (support && !s->support) ||
        (reseller_pid && !s->reseller_pid)) {
        tg__entity_free(TG__SUBSCRIPTION, s);
        return NULL;
    }
    return s;
}

static int check_optional(const char *s, const char *what)
{
    return s ? tg__check_text(s, what) : TG_OK;
}

static int check_optional_guid(const char *s, const char *what)
{
    return s ? tg__check_guid(s, what) : TG_OK;
}

int tg_subscription_add(char **out, tg_session *s, const char *customer_id, const char *offer_id,
                        int quantity, const char *reseller_partner_id, const char *support_tenant_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_guid(customer_id, "customer id")) ||
        (rc = tg__check_text(offer_id, "offer id")) ||
        (rc = check_optional(reseller_partner_id, "reseller PartnerID")) ||
        (rc = check_optional_guid(support_tenant_id, "support contact tenant id")))
        return rc;
    if (strlen(offer_id) > 128) return tg__err(TG_EINVAL, "offer id is longer than 128 bytes");
    if (quantity < 1 || quantity > 1000000)
        return tg__err(TG_EINVAL, "license count %d: must be between 1 and 1000000", quantity);
    if (reseller_partner_id && !tg__is_partner_id(reseller_partner_id))
        return tg__err(TG_EINVAL, "PartnerID '%s' must be numeric (1 to 10 digits)",
                       reseller_partner_id);
    char id[TG__GUID_LEN + 1];
    tg__guid_generate(id);

    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    const tg__customer *c = tg__get(&g->t, TG__CUSTOMER, customer_id);
    rc = tg__decide(&g->t, &a, TG_ACT_ORDER_PLACE, customer_id);
    /* The operator has no partner: only a session allowed to order has a default. */
    const char *support = support_tenant_id;
    if (rc == TG_OK && !support) support = a.partner->tenant;
    /* Attributing a reseller or naming another support contact while ordering
     * needs the roles those actions need on their own. */
    if (rc == TG_OK && reseller_partner_id)
        rc = tg__policy_check(&a, TG_ACT_SUBSCRIPTION_SET_RESELLER);
    if (rc == TG_OK && !tg__streq(support, a.partner->tenant))
        rc = tg__policy_check(&a, TG_ACT_SUBSCRIPTION_SET_SUPPORT);
    if (rc == TG_OK && reseller_partner_id)
        rc = tg__rule_reseller_attribution(&g->t, a.partner, reseller_partner_id, NULL);
    if (rc == TG_OK) rc = tg__rule_support_contact(&g->t, a.partner, c, support);
    tg__changeset cs = {0};
    if (rc == TG_OK)
        rc = tg__cs_put(&cs, TG__SUBSCRIPTION,
                        tg__subscription_build(id, customer_id, offer_id, quantity,
                                               a.partner->tenant, reseller_partner_id, support,
                                               tg__now(g)));
    char *copy = rc ? NULL : tg__strdup(id);
    if (rc == TG_OK && !copy) rc = tg__nomem();
    if (rc == TG_OK) rc = tg__commit(g, &cs);
    tg__cs_free(&cs);
    tg__leave(s);
    if (rc) {
        free(copy);
        return rc;
    }
    *out = copy;
    return TG_OK;
}

int tg__subscription_update(tg_session *s, const char *id, tg_action action, tg__sub_edit edit,
                            const void *arg, bool customers, const char *name)
{
    tg__actor a;
    int rc = customers ? tg__enter_any_as(s, true, &a, name) : tg__enter_as(s, true, &a, name);
    if (rc) return rc;
    tg_graph *g = s->graph;
    rc = tg__decide(&g->t, &a, action, id);
    tg__subscription *sub = rc ? NULL : tg__entity_clone(TG__SUBSCRIPTION, tg__get(&g->t, TG__SUBSCRIPTION, id));
    if (rc == TG_OK && !sub) rc = tg__nomem();
    if (rc == TG_OK) rc = edit(&g->t, &a, sub, arg);
    if (rc == TG_OK) {
        rc = tg__commit_put(g, TG__SUBSCRIPTION, sub);
        sub = NULL;
    }
    tg__entity_free(TG__SUBSCRIPTION, sub);
    tg__leave(s);
    return rc;
}

/* Change one subscription the actor is partner of record of. `name` names the
 * public function for the change event. */
static int update_subscription(tg_session *s, const char *id, tg_action action, tg__sub_edit edit,
                               const void *arg, const char *name)
{
    return tg__subscription_update(s, id, action, edit, arg, false, name);
}

int tg__replace(char **slot, const char *value)
{
    char *copy = value ? tg__strdup(value) : NULL;
    if (value && !copy) return tg__nomem();
    free(*slot);
    *slot = copy;
    return TG_OK;
}

static int edit_reseller(const tg__tables *t, const tg__actor *a, tg__subscription *sub,
                         const void *arg)
{
    const char *pid = arg;
    if (pid) {
        int rc = tg__rule_reseller_attribution(t, a->partner, pid, NULL);
        if (rc) return rc;
    }
    return tg__replace(&sub->reseller_pid, pid);
}

int tg_subscription_set_reseller(tg_session *s, const char *subscription_id,
                                 const char *reseller_partner_id)
{
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_text(subscription_id, "subscription id")) ||
        (rc = check_optional(reseller_partner_id, "reseller PartnerID")))
        return rc;
    if (reseller_partner_id && !tg__is_partner_id(reseller_partner_id))
        return tg__err(TG_EINVAL, "PartnerID '%s' must be numeric (1 to 10 digits)",
                       reseller_partner_id);
    return update_subscription(s, subscription_id, TG_ACT_SUBSCRIPTION_SET_RESELLER, edit_reseller,
                               reseller_partner_id, __func__);
}

static int edit_support(const tg__tables *t, const tg__actor *a, tg__subscription *sub,
                        const void *arg)
{
    const char *support = arg ? arg : a->partner->tenant;
    int rc = tg__rule_support_contact(t, a->partner, tg__get(t, TG__CUSTOMER, sub->customer), support);
    return rc ? rc : tg__replace(&sub->support, support);
}

int tg_subscription_set_support(tg_session *s, const char *subscription_id,
                                const char *support_tenant_id)
{
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_text(subscription_id, "subscription id")) ||
        (rc = check_optional_guid(support_tenant_id, "support contact tenant id")))
        return rc;
    return update_subscription(s, subscription_id, TG_ACT_SUBSCRIPTION_SET_SUPPORT, edit_support,
                               support_tenant_id, __func__);
}

static int edit_status(const tg__tables *t, const tg__actor *a, tg__subscription *sub,
                       const void *arg)
{
    /* Changing the status is part of placing orders: the partner of record does it. */
    int rc = tg__decide(t, a, TG_ACT_ORDER_PLACE, sub->customer);
    /* A partner that also sells to the customer (multi-partner) only supports a
     * subscription it was hired for. */
    if (rc == TG_OK && !tg__streq(sub->seller, a->partner->tenant))
        rc = tg__err(TG_EDENIED, "denied: only the subscription's partner of record may change "
                                 "its status");
    if (rc == TG_OK) sub->status = *(const tg_subscription_status *)arg;
    return rc;
}

int tg_subscription_set_status(tg_session *s, const char *subscription_id,
                               tg_subscription_status status)
{
    TG__ARG(s);
    int rc = tg__check_text(subscription_id, "subscription id");
    if (rc) return rc;
    if (status != TG_SUB_ACTIVE && status != TG_SUB_SUSPENDED && status != TG_SUB_DELETED)
        return tg__err(TG_EINVAL, "unknown subscription status %d", (int)status);
    return update_subscription(s, subscription_id, TG_ACT_VIEW_SUBSCRIPTION, edit_status, &status,
                               __func__);
}

int tg_subscriptions(tg_iter **out, tg_session *s, const char *customer_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = tg__check_guid(customer_id, "customer id");
    if (rc) return rc;
    /* The customer and its list of subscriptions, two lookups of one id: hash it
     * once, outside the lock. */
    const uint64_t h = tg__hash(customer_id);
    tg__actor a;
    if ((rc = tg__enter_any(s, false, &a))) return rc;
    tg__tables *t = &s->graph->t;
    /* Every load the call waits for is asked for as soon as its address is known,
     * not when the code first reads it: the two slots with the user's and
     * partner's records (the decision reads them, and a session's records are
     * as cold as the customer's once the graph outgrows the caches), then the
     * record and the list's entry, then the subscriptions' records, before the
     * decision. Met one by one, they were five waits for memory in a row. */
    const tg__map *customers = &t->by_id[TG__CUSTOMER], *lists = &t->subscriptions_of;
    tg__map_prefetch_hash(customers, h);
    tg__map_prefetch_hash(lists, h);
    tg__prefetch(a.user);
    tg__prefetch(a.partner);
    tg__map_prefetch_value(customers, h);
    tg__map_prefetch_value(lists, h);
    const tg__customer *c = tg__map_get_hash(customers, customer_id, h);
    const tg__vec *v = tg__multi_get_hash(lists, customer_id, h);
    for (size_t i = 0; v && i < v->len && i < TG__PREFETCH_AHEAD; i++)
        tg__prefetch_packed(v->items[i], sizeof(tg__subscription));
    rc = tg__decide(t, &a, TG_ACT_VIEW_SUBSCRIPTION, NULL);
    /* A customer's users see their own customer's subscriptions, all of them. */
    bool own = a.customer && a.customer == c;
    if (rc == TG_OK && !own && (a.customer || !tg__customer_visible(t, a.partner, c)))
        rc = tg__err(TG_ENOTFOUND, "no customer '%s' is visible to this session", customer_id);
    tg_iter *it = rc ? NULL : tg__iter_new();
    if (!rc && !it) rc = tg__nomem();
    if (rc) v = NULL;
    for (size_t i = 0; v && rc == TG_OK && i < v->len; i++) {
        const tg__subscription *sub = v->items[i];
        if (i + TG__PREFETCH_AHEAD < v->len)
            tg__prefetch_packed(v->items[i + TG__PREFETCH_AHEAD], sizeof(tg__subscription));
        if (own || tg__subscription_visible_in(a.partner, c, sub)) rc = tg__iter_add(it, sub->id);
    }
    tg__leave(s);
    return tg__iter_finish(out, it, rc);
}

int tg_subscription_get(char **out, tg_session *s, const char *subscription_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = tg__check_text(subscription_id, "subscription id");
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter_any(s, false, &a))) return rc;
    rc = tg__decide(&s->graph->t, &a, TG_ACT_VIEW_SUBSCRIPTION, subscription_id);
    if (rc == TG_OK)
        rc = tg__pc_subscription(out, tg__get(&s->graph->t, TG__SUBSCRIPTION, subscription_id));
    tg__leave(s);
    return rc;
}
