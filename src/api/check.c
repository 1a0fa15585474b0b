/* check.c - decisions for callers: tg_check answers, tg_explain says why. Both run
 * the same tg__decide the operations run, so they can never disagree with them. */
#include "api.h"

#include <stdlib.h>

void tg_free(void *ptr)
{
    free(ptr);
}

/* Whether the action's object is a tenant or customer id (tiergraph.h, tg_action): a
 * malformed one is TG_EINVAL, as it is for the operations themselves. */
static bool object_is_tenant(tg_action action)
{
    switch (action) {
    case TG_ACT_VIEW_CUSTOMER:
    case TG_ACT_INVITE_ACCEPT:
    case TG_ACT_PARTNERSHIP_REMOVE:
    case TG_ACT_CUSTOMER_CREATE:
    case TG_ACT_ORDER_PLACE:
    case TG_ACT_DELEGATED_ADMIN:
    case TG_ACT_BILLING_VIEW:
    case TG_ACT_CUSTOMER_REMOVE:
    case TG_ACT_RELATIONSHIP_REQUEST:
    case TG_ACT_RELATIONSHIP_ACCEPT:
    case TG_ACT_SUBSCRIPTION_RECORD: return true;
    default: return false;
    }
}

int tg_check(tg_session *s, tg_action action, const char *object_id)
{
    TG__ARG(s);
    if (object_id) {
        int rc = object_is_tenant(action) ? tg__check_guid(object_id, "object id")
                                          : tg__check_text(object_id, "object id");
        if (rc) return rc;
    }
    tg__actor a;
    int rc = tg__enter_any(s, false, &a); /* customers' sessions get answers too */
    if (rc) return rc;
    const uint64_t hash = tg__decide_prefetch(&s->graph->t, action, object_id);
    rc = tg__decide_hashed(&s->graph->t, &a, action, object_id, hash);
    tg__leave(s);
    return rc;
}

int tg_explain(char **out, tg_session *s, tg_action action, const char *object_id)
{
    TG__ARG(out);
    *out = NULL;
    int rc = tg_check(s, action, object_id);
    if (rc == TG_EINVAL || rc == TG_ENOMEM) return rc;
    if (rc == TG_OK) {
        const char *who = s->is_operator ? "the operator" : s->user_id;
        *out = object_id ? tg__sprintf("allowed: %s may %s ('%s')", who, tg__action_name(action),
                                       object_id)
                         : tg__sprintf("allowed: %s may %s", who, tg__action_name(action));
    } else {
        *out = tg__strdup(tg_error_message());
    }
    if (!*out) return tg__nomem();
    return rc;
}
