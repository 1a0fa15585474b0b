/* relationship.c - more than one partner (DOMAIN.md §6): a partner's relationship
 * request to an existing customer, accepted by that customer's Global admin, and
 * the listing of who works with whom. */
#include "api/api.h"
#include "crypto/crypto.h"
#include "ops.h"

#include <stdlib.h>

#define LINK_BASE "https://partner.tiergraph.invalid/customer/relationship"

int tg_relationship_request(tg_invite **out, tg_session *s, const char *customer_id)
{
    static const tg__request_kind relationship = {
        TG_ACT_RELATIONSHIP_REQUEST, LINK_BASE, "partner",
        "asks to become a Cloud Solution Provider partner of your organisation. Accepting "
        "changes none of your existing subscriptions, their partner of record, or who owns "
        "your account."};
    TG__ARG(out);
    *out = NULL;
    int rc = tg__check_text(customer_id, "customer id");
    if (rc) return rc;
    if (!tg__is_guid(customer_id))
        return tg__err(TG_EINVAL, "customer id '%s' is not a tenant id (a GUID)", customer_id);
    return tg__request_create(out, s, &relationship, customer_id, __func__);
}

/* The customer record with `partner` added to its partners and delegated admins. */
static tg__customer *with_partner(const tg__customer *old, const char *partner)
{
    tg__customer *c = tg__entity_clone(TG__CUSTOMER, old);
    if (c && (tg__strv_add(&c->partners, partner) || tg__strv_add(&c->dap, partner))) {
        tg__entity_free(TG__CUSTOMER, c);
        c = NULL;
    }
    return c;
}

int tg_relationship_accept(tg_session *s, const char *link_or_token)
{
    TG__ARG(s);
    char hash[TG__TOKEN_HASH_LEN + 1];
    int rc = tg__request_token_hash(hash, link_or_token);
    if (rc) return rc;

    tg__actor a;
    if ((rc = tg__enter_any(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    const tg__invite *inv = tg__get(&g->t, TG__INVITE, hash);
    if ((rc = tg__decide(&g->t, &a, TG_ACT_RELATIONSHIP_ACCEPT, NULL)) != TG_OK) {
    } else if (!inv || !inv->customer) {
        rc = tg__err(TG_ENOTFOUND, "no such relationship request");
    } else if (!tg__streq(inv->customer, a.customer->id)) {
        rc = tg__err(TG_EDENIED, "denied: this relationship request is addressed to another "
                                 "customer, not to '%s'", a.customer->company);
    } else if ((rc = tg__request_open(inv, a.now)) == TG_OK) {
        rc = tg__decide(&g->t, &a, TG_ACT_RELATIONSHIP_ACCEPT, inv->provider);
    }
    if (rc == TG_OK) {
        /* Only the relationship is new: no subscription, partner of record or seller
         * of record changes. */
        tg__changeset cs = {0};
        rc = tg__cs_put(&cs, TG__INVITE, tg__request_used(inv, a.customer->id));
        if (rc == TG_OK) rc = tg__cs_put(&cs, TG__CUSTOMER, with_partner(a.customer, inv->provider));
        if (rc == TG_OK) rc = tg__commit(g, &cs);
        tg__cs_free(&cs);
    }
    tg__leave(s);
    return rc;
}

/* The partners a customer works with, each once. */
static int partners_of(tg_iter *it, const tg__customer *c)
{
    tg__strv seen = {0};
    int rc = tg__strv_add(&seen, c->seller);
    if (rc == TG_OK && c->reseller) rc = tg__strv_add(&seen, c->reseller);
    for (size_t i = 0; rc == TG_OK && i < c->partners.n; i++) rc = tg__strv_add(&seen, c->partners.v[i]);
    for (size_t i = 0; rc == TG_OK && i < c->dap.n; i++) rc = tg__strv_add(&seen, c->dap.v[i]);
    for (size_t i = 0; rc == TG_OK && i < seen.n; i++) rc = tg__iter_add(it, seen.v[i]);
    tg__strv_free(&seen);
    return rc;
}

int tg_relationships(tg_iter **out, tg_session *s)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    tg__actor a;
    int rc = tg__enter_any(s, false, &a);
    if (rc) return rc;
    const tg__tables *t = &s->graph->t;
    rc = tg__decide(t, &a, TG_ACT_VIEW_CUSTOMER, NULL);
    tg_iter *it = rc ? NULL : tg__iter_new();
    if (!rc && !it) rc = tg__nomem();
    if (rc == TG_OK) rc = a.customer ? partners_of(it, a.customer) : tg__list_customers(it, t, &a, NULL);
    tg__leave(s);
    return tg__iter_finish(out, it, rc);
}
