/* account.c - finding a customer's user by name, and replacing its verifier. */
#include "account.h"
#include "util/str.h"

#include <stdlib.h>
#include <string.h>

bool tg__account_find(const tg__tables *t, const char *user_name, tg__account *out)
{
    char name[TG__USER_NAME_MAX + 1];
    size_t n = user_name ? strlen(user_name) : 0;
    if (n == 0 || n > TG__USER_NAME_MAX) return false;
    memcpy(name, user_name, n + 1);
    tg__str_lower(name);
    *out = (tg__account){0};
    const tg__customer_user *u = tg__get(t, TG__CUSTOMER_USER, name);
    if (u) {
        const tg__customer *c = tg__get(t, TG__CUSTOMER, u->customer);
        if (!c) return false;
        *out = (tg__account){c, u, u->roles, u->verifier, u->must_change_password};
        return true;
    }
    const char *at = strrchr(name, '@');
    const tg__customer *c = at ? tg__map_get(&t->customer_by_domain, at + 1) : NULL;
    if (!c || !tg__strieq(c->admin_user, name)) return false;
    *out = (tg__account){c, NULL, TG_ROLE_GLOBAL_ADMIN, c->verifier, c->must_change_password};
    return true;
}

void *tg__account_set_verifier(const tg__account *acct, const char *verifier, tg__kind *kind)
{
    tg__customer_user *u = NULL;
    tg__customer *c = NULL;
    *kind = acct->user ? TG__CUSTOMER_USER : TG__CUSTOMER;
    void *rec = acct->user ? (void *)(u = tg__entity_clone(TG__CUSTOMER_USER, acct->user))
                           : (void *)(c = tg__entity_clone(TG__CUSTOMER, acct->customer));
    char *v = tg__strdup(verifier);
    if (!rec || !v) {
        free(v);
        tg__entity_free(*kind, rec);
        return NULL;
    }
    char **slot = u ? &u->verifier : &c->verifier;
    free(*slot);
    *slot = v;
    *(u ? &u->must_change_password : &c->must_change_password) = false;
    return rec;
}
