/* policy.h - the role matrix of DOMAIN.md §2: may a user holding these roles, of
 * this kind of partner, do this action at all? A pure function of its inputs. */
#ifndef TG_POLICY_H
#define TG_POLICY_H

#include "tiergraph.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tg__actor {
    bool is_operator;
    const struct tg__user *user;       /* NULL for the operator */
    const struct tg__partner *partner; /* the user's partner; NULL for the operator */
    uint64_t tenant_hash; /* tg__hash(partner->tenant): the partner's lists are keyed by it */
    /* A customer's user (then user and partner are NULL): its customer, name and
     * roles (TG_ROLE_GLOBAL_ADMIN or 0). */
    const struct tg__customer *customer;
    const char *customer_user;
    unsigned int customer_roles;
    int64_t now; /* the graph's clock when the call began (rules with a date) */
} tg__actor;

/* The roles that may do `action` (any one suffices), and the partner kinds it is
 * open to (bit 1 << kind). */
unsigned int tg__policy_roles(tg_action action);
unsigned int tg__policy_kinds(tg_action action);
/* Whether the operator session may do `action`. */
bool tg__policy_operator(tg_action action);
/* The roles a customer's user needs for `action`: TG__CUSTOMER_ANY (any of its
 * users), TG_ROLE_GLOBAL_ADMIN, or 0 when customers may not do it at all. */
#define TG__CUSTOMER_ANY 0x100u
unsigned int tg__policy_customer(tg_action action);

/* Check roles and partner kind. TG_OK, or TG_EDENIED with a message naming the
 * missing role or the excluded kind (tg_error_message). */
int tg__policy_check(const tg__actor *a, tg_action action);

const char *tg__action_name(tg_action action);   /* "send a partnership request" */
const char *tg__role_name(unsigned int role);     /* one role bit -> "Global admin" */
const char *tg__kind_name(tg_partner_kind kind);  /* "indirect provider" */
/* "Global admin, Sales agent" into buf. */
void tg__roles_text(char *buf, size_t len, unsigned int roles);

#endif
