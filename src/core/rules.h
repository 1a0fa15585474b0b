/* rules.h - what the graph allows now (DOMAIN.md §3-§5): visibility, new business,
 * support contacts, removals. Pure functions of (tables, actor, request). */
#ifndef TG_RULES_H
#define TG_RULES_H

#include "graph.h"
#include "policy.h"

bool tg__customer_visible(const tg__tables *t, const tg__partner *p, const tg__customer *c);
bool tg__subscription_visible(const tg__tables *t, const tg__partner *p, const tg__subscription *s);
/* The same for a subscription of customer c, which p is known to see: a list of
 * one customer's subscriptions looks the customer up once, not once per item. */
bool tg__subscription_visible_in(const tg__partner *p, const tg__customer *c,
                                 const tg__subscription *s);
/* May the actor know this partner exists? The operator, its own users, its
 * partners, and anyone for an indirect provider (the official list is public). */
bool tg__partner_visible(const tg__tables *t, const tg__actor *a, const tg__partner *p);
const tg__partnership *tg__partnership_find(const tg__tables *t, const char *provider,
                                            const char *reseller);
/* "<provider>/<reseller>" into a new string (NULL on ENOMEM). */
char *tg__partnership_key(const char *provider, const char *reseller);

/* May `seller` do new business with reseller tenant `reseller` (an active
 * partnership and a signed agreement)? `what` names the business for messages. */
int tg__rule_new_business(const tg__tables *t, const tg__partner *seller, const char *reseller,
                          const char *what);
/* May `support` (a tenant) be the support contact of a subscription of `c` sold by `seller`? */
int tg__rule_support_contact(const tg__tables *t, const tg__partner *seller, const tg__customer *c,
                             const char *support);
/* Resolve a PartnerID attribution for `seller`: a reseller in good standing. */
int tg__rule_reseller_attribution(const tg__tables *t, const tg__partner *seller,
                                  const char *partner_id, const tg__partner **out);

/* The full decision: policy (roles, kind), then the object's rules. With
 * object NULL, policy only. TG_OK, or an error with its message set. */
int tg__decide(const tg__tables *t, const tg__actor *a, tg_action action, const char *object);
/* Ask for the index slot tg__decide will find `object` in, ahead of the decision:
 * its first loads (the user's and partner's records, for the policy) and this
 * one then wait for memory together instead of one after the other. Returns the
 * object's hash for tg__decide_hashed (0: none to look up). */
uint64_t tg__decide_prefetch(const tg__tables *t, tg_action action, const char *object);
/* tg__decide with the hash tg__decide_prefetch gave (0: hash it here), so that
 * the object's id is hashed once. */
int tg__decide_hashed(const tg__tables *t, const tg__actor *a, tg_action action,
                      const char *object, uint64_t hash);

#endif
