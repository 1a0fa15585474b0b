/* policy.c - the role matrix (DOMAIN.md §2) as one table, and its check. */
#include "policy.h"
#include "entity.h"
#include "util/error.h"

#include <string.h>

#define GA TG_ROLE_GLOBAL_ADMIN
#define UA TG_ROLE_USER_ADMIN
#define AA TG_ROLE_ADMIN_AGENT
#define SA TG_ROLE_SALES_AGENT
#define HA TG_ROLE_HELPDESK_AGENT
#define BA TG_ROLE_BILLING_ADMIN

#define PROVIDER (1u << TG_PARTNER_INDIRECT_PROVIDER)
#define RESELLER (1u << TG_PARTNER_INDIRECT_RESELLER)
#define DIRECT (1u << TG_PARTNER_DIRECT_BILL)
#define ANY_KIND (PROVIDER | RESELLER | DIRECT)
#define SELLERS (PROVIDER | DIRECT) /* resellers never create customers or place orders */

typedef struct rule {
    const char *name;
    unsigned int roles;
    unsigned int kinds;
    bool operator_may;
} rule;

static const rule matrix[TG_ACT_LAST_ + 1] = {
    [TG_ACT_VIEW_PARTNERS] = {"view the indirect resellers and providers lists", GA | UA | AA | SA, ANY_KIND, false},
    [TG_ACT_VIEW_CUSTOMER] = {"view customers shared with the partner", GA | UA | AA | SA, ANY_KIND, false},
    [TG_ACT_INVITE_SEND] = {"send a partnership request", GA | UA | AA | SA, PROVIDER, false},
    [TG_ACT_INVITE_ACCEPT] = {"accept a partnership request", GA, RESELLER, false},
    [TG_ACT_PARTNERSHIP_REMOVE] = {"remove a partnership", GA, PROVIDER, false},
    [TG_ACT_CUSTOMER_CREATE] = {"create a customer", GA | UA | AA | SA, SELLERS, false},
    [TG_ACT_ORDER_PLACE] = {"add subscriptions or place orders", GA | AA | SA | HA | BA, SELLERS, false},
    [TG_ACT_SUBSCRIPTION_SET_RESELLER] = {"set the reseller on a subscription", GA | AA | SA, PROVIDER, false},
    [TG_ACT_SUBSCRIPTION_SET_SUPPORT] = {"set a subscription's support contact", GA | AA | HA, SELLERS, false},
    [TG_ACT_DELEGATED_ADMIN] = {"administer a customer's tenant (delegated admin)", AA, ANY_KIND, false},
    [TG_ACT_USERS_MANAGE] = {"manage the partner's users and roles", GA | UA, ANY_KIND, true},
    [TG_ACT_GLOBAL_ADMIN_GRANT] = {"grant or revoke the Global admin role", GA, ANY_KIND, true},
    [TG_ACT_BILLING_VIEW] = {"view billing", GA | AA | BA, ANY_KIND, false},
    [TG_ACT_CUSTOMER_REMOVE] = {"remove a customer", GA | AA, SELLERS, false},
    [TG_ACT_VIEW_SUBSCRIPTION] = {"view a subscription", GA | UA | AA | SA | HA | BA, ANY_KIND, false},
    [TG_ACT_PARTNER_ENROLL] = {"enrol partners and record agreements", 0, 0, true},
    [TG_ACT_RELATIONSHIP_REQUEST] = {"send a relationship request to a customer", GA | AA | SA, SELLERS, false},
    [TG_ACT_RELATIONSHIP_ACCEPT] = {"accept a relationship request", 0, 0, false},
    [TG_ACT_SUBSCRIPTION_RECORD] = {"record a subscription bought elsewhere", 0, 0, false},
    [TG_ACT_SUBSCRIPTION_HIRE] = {"hire a partner to manage and support a subscription", 0, 0, false},
    [TG_ACT_SUBSCRIPTION_MOVE] = {"switch a subscription to another CSP partner", 0, 0, false},
};

/* What a customer's own users may do (DOMAIN.md §4, §6): read their customer and
 * its subscriptions; its Global admin also manages its users, accepts
 * relationship requests and records, hires for and switches subscriptions. */
#define CUSTOMER_GA TG_ROLE_GLOBAL_ADMIN
static const unsigned int customer_matrix[TG_ACT_LAST_ + 1] = {
    [TG_ACT_VIEW_CUSTOMER] = TG__CUSTOMER_ANY,
    [TG_ACT_VIEW_SUBSCRIPTION] = TG__CUSTOMER_ANY,
    [TG_ACT_USERS_MANAGE] = CUSTOMER_GA,
    [TG_ACT_RELATIONSHIP_ACCEPT] = CUSTOMER_GA,
    [TG_ACT_SUBSCRIPTION_RECORD] = CUSTOMER_GA,
    [TG_ACT_SUBSCRIPTION_HIRE] = CUSTOMER_GA,
    [TG_ACT_SUBSCRIPTION_MOVE] = CUSTOMER_GA,
};

static const rule *rule_of(tg_action action)
{
    return action >= 1 && action <= TG_ACT_LAST_ ? &matrix[action] : NULL;
}

unsigned int tg__policy_roles(tg_action action)
{
    const rule *r = rule_of(action);
    return r ? r->roles : 0;
}

unsigned int tg__policy_kinds(tg_action action)
{
    const rule *r = rule_of(action);
    return r ? r->kinds : 0;
}

bool tg__policy_operator(tg_action action)
{
    const rule *r = rule_of(action);
    return r && r->operator_may;
}

unsigned int tg__policy_customer(tg_action action)
{
    return rule_of(action) ? customer_matrix[action] : 0;
}

const char *tg__action_name(tg_action action)
{
    const rule *r = rule_of(action);
    return r ? r->name : "an unknown action";
}

const char *tg__role_name(unsigned int role)
{
    switch (role) {
    case TG_ROLE_GLOBAL_ADMIN: return "Global admin";
    case TG_ROLE_USER_ADMIN: return "User management admin";
    case TG_ROLE_ADMIN_AGENT: return "Admin agent";
    case TG_ROLE_SALES_AGENT: return "Sales agent";
    case TG_ROLE_HELPDESK_AGENT: return "Helpdesk agent";
    case TG_ROLE_BILLING_ADMIN: return "Billing admin";
    default: return "unknown role";
    }
}

const char *tg__kind_name(tg_partner_kind kind)
{
    switch (kind) {
    case TG_PARTNER_INDIRECT_PROVIDER: return "indirect provider";
    case TG_PARTNER_INDIRECT_RESELLER: return "indirect reseller";
    case TG_PARTNER_DIRECT_BILL: return "direct-bill partner";
    default: return "unknown kind of partner";
    }
}

/* Append s to buf[len] at *used, truncating; buf stays NUL-terminated. */
static void append(char *buf, size_t len, size_t *used, const char *s)
{
    size_t n = strlen(s);
    if (*used + n >= len) n = *used + 1 < len ? len - *used - 1 : 0;
    memcpy(buf + *used, s, n);
    *used += n;
    buf[*used] = '\0';
}

void tg__roles_text(char *buf, size_t len, unsigned int roles)
{
    /* Without snprintf: a denial by role formats two of these, and checks are
     * denied all day. */
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned int bit = 1; bit <= TG_ROLE_BILLING_ADMIN; bit <<= 1) {
        if (!(roles & bit)) continue;
        if (used) append(buf, len, &used, ", ");
        append(buf, len, &used, tg__role_name(bit));
    }
    if (!roles) append(buf, len, &used, "no role");
}

int tg__policy_check(const tg__actor *a, tg_action action)
{
    const rule *r = rule_of(action);
    if (!r) return tg__err(TG_EINVAL, "unknown action %d", (int)action);
    if (a->customer) {
        unsigned int need = customer_matrix[action];
        if (!need)
            return tg__err(TG_EDENIED, "denied: a customer's user cannot %s", r->name);
        if (need == CUSTOMER_GA && !(a->customer_roles & CUSTOMER_GA))
            return tg__err(TG_EDENIED, "denied: to %s, customer user '%s' needs the role Global "
                                       "admin of its customer (holds no role)",
                           r->name, a->customer_user);
        return TG_OK;
    }
    if (a->is_operator) {
        if (r->operator_may) return TG_OK;
        return tg__err(TG_EDENIED, "denied: the operator is not a partner user and cannot %s",
                       r->name);
    }
    if (!r->kinds && customer_matrix[action])
        return tg__err(TG_EDENIED, "denied: only a customer's Global admin may %s, not a partner "
                                   "user", r->name);
    if (!r->kinds)
        return tg__err(TG_EDENIED, "denied: only the platform operator may %s", r->name);
    tg_partner_kind kind = a->partner->kind;
    if (!(r->kinds & (1u << kind)))
        return tg__err(TG_EDENIED, "denied: a partner of kind '%s' cannot %s, whatever its "
                                   "users' roles", tg__kind_name(kind), r->name);
    if (!(a->user->roles & r->roles)) {
        char need[160], has[160];
        tg__roles_text(need, sizeof(need), r->roles);
        tg__roles_text(has, sizeof(has), a->user->roles);
        return tg__err(TG_EDENIED, "denied: to %s, user '%s' needs one of the roles %s (holds %s)",
                       r->name, a->user->id, need, has);
    }
    return TG_OK;
}
