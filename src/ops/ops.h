/* ops.h - what the workflows share with each other. */
#ifndef TG_OPS_H
#define TG_OPS_H

#include "core/entity.h"

/* A new active subscription record; NULL on ENOMEM. Used by the draft and by
 * tg_subscription_add, so both build the same record. */
tg__subscription *tg__subscription_build(const char *id, const char *customer, const char *offer,
                                         int quantity, const char *seller, const char *reseller_pid,
                                         const char *support, int64_t now);

#endif
