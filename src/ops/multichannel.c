/* multichannel.c - a customer's own subscriptions (DOMAIN.md §6): recording one
 * bought elsewhere, hiring a partner to manage and support it, and switching a
 * subscription to another CSP partner once its term allows. */
#include "api/api.h"
#include "core/multipartner.h"
#include "crypto/crypto.h"
#include "ops.h"
#include "util/date.h"

#include <stdlib.h>
#include <string.h>

int tg_subscription_record(char **out, tg_session *s, tg_channel channel, const char *offer_id,
                           int quantity, int64_t term_end)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = tg__check_text(offer_id, "offer id");
    if (rc) return rc;
    if (channel < TG_CHANNEL_DIRECT || channel > TG_CHANNEL_THIRD_PARTY)
        return tg__err(TG_EINVAL, "unknown channel %d: expected direct, EA, Open, advisor or third "
                                  "party (TG_CHANNEL_*)", (int)channel);
    if (strlen(offer_id) > 128) return tg__err(TG_EINVAL, "offer id is longer than 128 bytes");
    if (quantity < 1 || quantity > 1000000)
        return tg__err(TG_EINVAL, "license count %d: must be between 1 and 1000000", quantity);
    if (term_end < 0) return tg__err(TG_EINVAL, "the term end cannot be negative");
    char id[TG__GUID_LEN + 1];
    tg__guid_generate(id);

    tg__actor a;
    if ((rc = tg__enter_any(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    rc = tg__decide(&g->t, &a, TG_ACT_SUBSCRIPTION_RECORD, NULL);
    tg__subscription *sub = NULL;
    if (rc == TG_OK) {
        /* No partner of record and no support contact until the customer hires one. */
        sub = tg__subscription_build(id, a.customer->id, offer_id, quantity, NULL, NULL, NULL,
                                     tg__now(g));
        if (sub) {
            sub->channel = (int)channel;
            sub->term_end = term_end;
        }
    }
    char *copy = rc ? NULL : tg__strdup(id);
    if (rc == TG_OK && (!sub || !copy)) rc = tg__nomem();
    if (rc == TG_OK) {
        rc = tg__commit_put(g, TG__SUBSCRIPTION, sub);
        sub = NULL;
    }
    tg__entity_free(TG__SUBSCRIPTION, sub);
    tg__leave(s);
    if (rc) {
        free(copy);
        return rc;
    }
    *out = copy;
    return TG_OK;
}

static int edit_hire(const tg__tables *t, const tg__actor *a, tg__subscription *sub,
                     const void *arg)
{
    int rc = tg__rule_hire(t, a->customer, sub, arg);
    return rc ? rc : tg__replace(&sub->support, arg);
}

int tg_subscription_hire(tg_session *s, const char *subscription_id, const char *partner_tenant_id)
{
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_text(subscription_id, "subscription id")) ||
        (partner_tenant_id && (rc = tg__check_guid(partner_tenant_id, "partner tenant id"))))
        return rc;
    return tg__subscription_update(s, subscription_id, TG_ACT_SUBSCRIPTION_HIRE, edit_hire,
                                   partner_tenant_id, true, __func__);
}

/* The new partner of record sells it from now on: as its own CSP subscription,
 * license-based with a new one-year term, supported by it, attributed to no reseller. */
static int edit_move(const tg__tables *t, const tg__actor *a, tg__subscription *sub,
                     const void *arg)
{
    int rc = tg__rule_move_target(t, a->customer, sub, arg);
    if (rc == TG_OK) rc = tg__replace(&sub->seller, arg);
    if (rc == TG_OK) rc = tg__replace(&sub->support, arg);
    if (rc == TG_OK) rc = tg__replace(&sub->reseller_pid, NULL);
    if (rc == TG_OK) {
        sub->channel = TG__CHANNEL_CSP;
        sub->term_end = tg__add_years(a->now, 1);
    }
    return rc;
}

int tg_subscription_move(tg_session *s, const char *subscription_id, const char *partner_tenant_id)
{
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_text(subscription_id, "subscription id")) ||
        (rc = tg__check_guid(partner_tenant_id, "partner tenant id")))
        return rc;
    return tg__subscription_update(s, subscription_id, TG_ACT_SUBSCRIPTION_MOVE, edit_move,
                                   partner_tenant_id, true, __func__);
}
