/* ops.h - what the workflows share with each other. */
#ifndef TG_OPS_H
#define TG_OPS_H

#include "core/graph.h"
#include "core/policy.h"

/* A new active subscription record; NULL on ENOMEM. Used by the draft and by
 * tg_subscription_add, so both build the same record. With a seller, a CSP
 * subscription with a one-year term; without one (seller and support NULL), a
 * subscription its customer records, whose channel and term the caller sets. */
tg__subscription *tg__subscription_build(const char *id, const char *customer, const char *offer,
                                         int quantity, const char *seller, const char *reseller_pid,
                                         const char *support, int64_t now);

/* Edit a clone of a subscription (subscription.c); TG_OK or an error. */
typedef int (*tg__sub_edit)(const tg__tables *t, const tg__actor *a, tg__subscription *sub,
                            const void *arg);
/* Change one subscription: decide `action` on it, clone it, edit, commit. With
 * `customers`, a customer's session may call it (tg__enter_any). `name` is the
 * public function's, for the change event. */
int tg__subscription_update(tg_session *s, const char *id, tg_action action, tg__sub_edit edit,
                            const void *arg, bool customers, const char *name);
/* Replace an owned string with a copy of value (NULL clears). TG_OK or TG_ENOMEM. */
int tg__replace(char **slot, const char *value);

/* The customers the actor works with (optionally only those associated with
 * `reseller`), into `it` (customer.c). For a customer's user: its own. */
int tg__list_customers(tg_iter *it, const tg__tables *t, const tg__actor *a, const char *reseller);

/* Requests with a one-time link (partnership.c): a provider's partnership request
 * to resellers, or a partner's relationship request to a customer. */
typedef struct tg__request_kind {
    tg_action action;      /* what the sender needs to be allowed */
    const char *link_base; /* the link is <base>?<party>=<sender's tenant>&token=<token> */
    const char *party;
    const char *offer;     /* the email's offer, after "<sender> (PartnerID <id>) " */
} tg__request_kind;

/* Create a request (customer NULL: a partnership request), decided as k->action on
 * `customer`; only the token's hash is stored. `name` is the public function's,
 * for the change event. */
int tg__request_create(tg_invite **out, tg_session *s, const tg__request_kind *k,
                       const char *customer, const char *name);
/* The BLAKE2b hash (TG__TOKEN_HASH_LEN + 1 bytes) of the token a link or bare
 * token carries. TG_EINVAL when malformed. */
int tg__request_token_hash(char *hash, const char *link_or_token);
/* TG_OK while a request may be accepted at `now`; TG_ESTATE once used, TG_EEXPIRED. */
int tg__request_open(const tg__invite *inv, int64_t now);
/* The request marked used by `by`; NULL on ENOMEM. */
tg__invite *tg__request_used(const tg__invite *inv, const char *by);

#endif
