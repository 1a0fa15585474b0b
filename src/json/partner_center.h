/* partner_center.h - customers and subscriptions in Partner Center's REST shapes. */
#ifndef TG_PARTNER_CENTER_H
#define TG_PARTNER_CENTER_H

#include "core/graph.h"

/* JSON text (camelCase) of a customer / a subscription; free with tg_free(). */
int tg__pc_customer(char **out, const tg__tables *t, const tg__customer *c);
int tg__pc_subscription(char **out, const tg__subscription *s);

#endif
