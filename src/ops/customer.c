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
     * (every partner whose request a customer accepted holds delegated admin); each once. */
    int rc = add_visible(it, t, a->partner, tg__multi_get(&t->customers_sold_by, me), NULL);
    const tg__vec *v = tg__multi_get(&t->customers_with, me);
    for (size_t i = 0; rc == TG_OK && v && i < v->len; i++) {
        const tg__customer *c = v->items[i];
        if (i + TG__PREFETCH_AHEAD < v->len)
            tg__prefetch_packed(v->items[i + TG__PREFETCH_AHEAD], sizeof(tg__customer));
        if (!tg__same_pooled(c->seller, me, c->packed && a->partner->packed))
            rc = tg__iter_add(it, c->id);
    }
    v = tg__multi_get(&t->customers_dap_of, me);
    for (size_t i = 0; rc == TG_OK && v && i < v->len; i++) {
        const tg__customer *c = v->items[i];
        if (i + TG__PREFETCH_AHEAD < v->len)
            tg__prefetch_packed(v->items[i + TG__PREFETCH_AHEAD], sizeof(tg__customer));
        const bool packed = c->packed && a->partner->packed;
        if (!tg__same_pooled(c->seller, me, packed) && !tg__same_pooled(c->reseller, me, packed))
            rc = tg__iter_add(it, c->id);
    }
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
