/* partner_center.h - customers, subscriptions and partner relationships in Partner
 * Center's REST shapes. */
#ifndef TG_PARTNER_CENTER_H
#define TG_PARTNER_CENTER_H

#include "core/graph.h"

/* JSON text (camelCase) of a customer / a subscription; free with tg_free(). */
int tg__pc_customer(char **out, const tg__tables *t, const tg__customer *c);
int tg__pc_subscription(char **out, const tg__subscription *s);
/* A PartnerRelationship collection: the resellers (or providers) at the other
 * end of the partnerships `v` (may be NULL: none). */
int tg__pc_relationships(char **out, const tg__tables *t, const tg__vec *v, bool resellers);

#endif
