/* account.h - a customer's user found by user name: the admin named on the
 * receipt (whose credentials live in the customer record) or a user its Global
 * admin added (a customer-user record). Pure lookups over the tables. */
#ifndef TG_ACCOUNT_H
#define TG_ACCOUNT_H

#include "graph.h"

#define TG__USER_NAME_MAX 256

typedef struct tg__account {
    const tg__customer *customer;
    const tg__customer_user *user; /* NULL for the admin of the receipt */
    unsigned int roles;            /* TG_ROLE_GLOBAL_ADMIN or 0 */
    const char *verifier;
    bool must_change_password;
} tg__account;

/* Find the account named `user_name` (compared without case). false when none. */
bool tg__account_find(const tg__tables *t, const char *user_name, tg__account *out);

/* A new record for the account with another password verifier and no change
 * required: a customer or a customer user, whose kind goes to *kind. NULL on ENOMEM. */
void *tg__account_set_verifier(const tg__account *acct, const char *verifier, tg__kind *kind);

#endif
