/* multipartner.h - the rules of DOMAIN.md §6: customers working with more than one
 * partner, subscriptions bought elsewhere (multichannel), and the resale ban.
 * Pure functions of (tables, actor, request), like rules.h. */
#ifndef TG_MULTIPARTNER_H
#define TG_MULTIPARTNER_H

#include "graph.h"
#include "policy.h"

/* The resale ban for `seller` selling to (or working with) customer tenant `tenant`:
 * not a CSP partner's CSP tenant; not a tenant of one of its own indirect resellers.
 * A partner's corporate (non-CSP) tenant may buy from another CSP partner. */
int tg__rule_resale_ban(const tg__tables *t, const tg__partner *seller, const char *tenant);
/* The resale ban when `reseller` authorizes `provider`: no tenant of the reseller may
 * already be a customer of that provider. */
int tg__rule_resale_ban_partnership(const tg__tables *t, const tg__partner *provider,
                                    const tg__partner *reseller);

/* May partner `p` ask to work with customer `customer_id`? It must not work with it
 * already (when it can see it), and the resale ban applies. */
int tg__rule_relationship_request(const tg__tables *t, const tg__partner *p,
                                  const char *customer_id);

/* When a subscription's license-based term ends (0: it has no term). CSP
 * subscriptions have a one-year term from their creation. */
int64_t tg__subscription_term_end(const tg__subscription *s);

/* May customer `c` hire `partner` (a tenant, or NULL to end the hire) to support `s`? */
int tg__rule_hire(const tg__tables *t, const tg__customer *c, const tg__subscription *s,
                  const char *partner);
/* May customer `c` make `partner` the partner of record of `s`? (The term is
 * checked by tg__decide, for the subscription alone.) */
int tg__rule_move_target(const tg__tables *t, const tg__customer *c, const tg__subscription *s,
                         const char *partner);

/* tg__decide for a customer's user (a->customer set), after the policy check. */
int tg__decide_as_customer(const tg__tables *t, const tg__actor *a, tg_action action,
                           const char *object);

#endif
