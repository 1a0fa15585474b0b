/* signin.c - a customer's users (DOMAIN.md §4): signing in, the first sign-in's
 * password change, the rate limit on failed attempts, and the users a customer's
 * Global admin adds. Argon2id work always runs outside the graph's lock. */
#include "api/api.h"
#include "api/lockout.h"
#include "core/account.h"
#include "core/password.h"
#include "crypto/crypto.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One attempt at a customer user's password, as read under the lock. */
typedef struct attempt {
    bool found;
    bool must_change;
    char verifier[TG__VERIFIER_MAX]; /* the verifier the password was checked against */
    uint64_t ops;
    size_t mem;
} attempt;

static int check_user_name(const char *name)
{
    int rc = tg__check_text(name, "user name");
    if (rc) return rc;
    if (strlen(name) > TG__USER_NAME_MAX)
        return tg__err(TG_EINVAL, "user name is longer than %d bytes", TG__USER_NAME_MAX);
    return TG_OK;
}

/*
 * Check `password` for `name` as a sign-in attempt: refused while the name is
 * locked out; otherwise the password is checked in constant time and a failure
 * is counted. An unknown name costs the same Argon2id work as a known one and
 * fails with the same message, so neither timing nor text tells them apart.
 */
static int attempt_password(tg_graph *g, const char *name, const char *password, attempt *a)
{
    tg__rwlock_rdlock(&g->lock);
    tg__account acct;
    a->found = tg__account_find(&g->t, name, &acct);
    if (a->found) {
        snprintf(a->verifier, sizeof(a->verifier), "%s", acct.verifier);
        a->must_change = acct.must_change_password;
    }
    a->ops = g->argon2_ops;
    a->mem = g->argon2_mem;
    int64_t now = tg__now(g);
    tg__rwlock_rdunlock(&g->lock);

    int rc = tg__lockout_check(g->signin, name, now);
    if (rc) return rc;
    if (a->found) {
        rc = tg__password_verify(a->verifier, password);
    } else {
        char burn[TG__VERIFIER_MAX];
        (void)tg__password_hash(burn, password, a->ops, a->mem);
        rc = TG_EDENIED;
    }
    if (rc != TG_OK) {
        tg__lockout_fail(g->signin, name, now);
        return tg__err(TG_EDENIED, "sign-in failed: wrong user name or password for '%s'", name);
    }
    tg__lockout_clear(g->signin, name);
    return TG_OK;
}

int tg_session_customer(tg_session **out, tg_graph *g, const char *user_name, const char *password)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(g);
    int rc;
    if ((rc = check_user_name(user_name)) || (rc = tg__check_text(password, "password")))
        return rc;
    attempt a;
    rc = attempt_password(g, user_name, password, &a);
    sodium_memzero(a.verifier, sizeof(a.verifier));
    if (rc) return rc;
    if (a.must_change)
        return tg__err(TG_EPASSWORD_CHANGE, "'%s' signed in with a temporary password: a "
                                            "password change is required first "
                                            "(tg_customer_change_password)",
                       user_name);
    return tg__session_customer_new(out, g, user_name);
}

int tg_customer_change_password(tg_graph *g, const char *user_name, const char *old_password,
                                const char *new_password)
{
    TG__ARG(g);
    int rc;
    if ((rc = check_user_name(user_name)) || (rc = tg__check_text(old_password, "password")) ||
        (rc = tg__password_rules(new_password, "the new password")))
        return rc;
    if (strcmp(old_password, new_password) == 0)
        return tg__err(TG_EINVAL, "the new password must differ from the current one");
    attempt a;
    char verifier[TG__VERIFIER_MAX];
    tg_session *s = NULL;
    if ((rc = attempt_password(g, user_name, old_password, &a)) == TG_OK)
        rc = tg__password_hash(verifier, new_password, a.ops, a.mem); /* before the lock */
    /* The user acts as itself, through a session of its own that is never handed
     * out (it may not sign in yet): its change event names it, and tg__leave
     * delivers the event to the change hook. */
    if (rc == TG_OK) rc = tg__session_customer_new(&s, g, user_name);
    tg__actor who;
    if (rc == TG_OK && (rc = tg__enter_any(s, true, &who)) == TG_OK) {
        tg__account acct;
        if (!tg__account_find(&g->t, user_name, &acct)) {
            rc = tg__err(TG_EDENIED, "denied: customer user '%s' no longer exists", user_name);
        } else if (strcmp(acct.verifier, a.verifier) != 0) {
            rc = tg__err(TG_ESTATE, "the password of '%s' was changed meanwhile; nothing was "
                                    "changed", user_name);
        } else {
            tg__kind kind;
            void *rec = tg__account_set_verifier(&acct, verifier, &kind);
            rc = rec ? tg__commit_put(g, kind, rec) : tg__nomem();
        }
        tg__leave(s);
    }
    tg_session_close(s);
    sodium_memzero(a.verifier, sizeof(a.verifier));
    sodium_memzero(verifier, sizeof(verifier));
    return rc;
}

int tg_customer_user_add(tg_session *s, const char *user_name, const char *password,
                         unsigned int roles)
{
    TG__ARG(s);
    int rc;
    if ((rc = check_user_name(user_name)) || (rc = tg__password_rules(password, "the initial password")))
        return rc;
    const char *at = strrchr(user_name, '@');
    if (!at || at == user_name || tg__has_blank(user_name))
        return tg__err(TG_EINVAL, "'%s' is not a user name of the form <name>@<domain>", user_name);
    if (roles != 0 && roles != TG_ROLE_GLOBAL_ADMIN)
        return tg__err(TG_EINVAL, "roles 0x%x: a customer's user is a Global admin "
                                  "(TG_ROLE_GLOBAL_ADMIN) or holds no role (0)", roles);
    tg__customer_user *u = tg__entity_new(TG__CUSTOMER_USER);
    char verifier[TG__VERIFIER_MAX];
    if (!u || !(u->id = tg__strdup(user_name))) {
        tg__entity_free(TG__CUSTOMER_USER, u);
        return tg__nomem();
    }
    tg__str_lower(u->id);
    u->roles = roles;
    u->must_change_password = true;
    tg__rwlock_rdlock(&s->graph->lock);
    uint64_t ops = s->graph->argon2_ops;
    size_t mem = s->graph->argon2_mem;
    tg__rwlock_rdunlock(&s->graph->lock);
    if ((rc = tg__password_hash(verifier, password, ops, mem))) { /* before the lock */
        tg__entity_free(TG__CUSTOMER_USER, u);
        return rc;
    }

    tg__actor a;
    if ((rc = tg__enter_any(s, true, &a))) {
        tg__entity_free(TG__CUSTOMER_USER, u);
        return rc;
    }
    tg_graph *g = s->graph;
    tg__account taken;
    if (!a.customer)
        rc = tg__err(TG_EDENIED, "denied: only a customer's Global admin adds users to a customer");
    else if ((rc = tg__decide(&g->t, &a, TG_ACT_USERS_MANAGE, NULL)) != TG_OK) {
    } else if (!tg__streq(strrchr(u->id, '@') + 1, a.customer->domain))
        rc = tg__err(TG_EINVAL, "the users of customer '%s' are named <name>@%s",
                     a.customer->company, a.customer->domain);
    else if (tg__account_find(&g->t, u->id, &taken))
        rc = tg__err(TG_EEXISTS, "user '%s' already exists", user_name);
    if (rc == TG_OK) {
        u->customer = tg__strdup(a.customer->id);
        u->verifier = tg__strdup(verifier);
        u->created = tg__now(g);
        if (u->customer && u->verifier) {
            rc = tg__commit_put(g, TG__CUSTOMER_USER, u);
            u = NULL;
        } else {
            rc = tg__nomem();
        }
    }
    tg__leave(s);
    tg__entity_free(TG__CUSTOMER_USER, u);
    sodium_memzero(verifier, sizeof(verifier));
    return rc;
}

int tg_customer_verify_password(tg_session *op, const char *admin_user, const char *password)
{
    TG__ARG(op);
    int rc;
    if ((rc = tg__check_text(admin_user, "admin user")) || (rc = tg__check_text(password, "password")))
        return rc;
    if (!strchr(admin_user, '@'))
        return tg__err(TG_EINVAL, "'%s' is not a customer admin user name", admin_user);
    tg__actor a;
    if ((rc = tg__enter(op, false, &a))) return rc;
    bool is_operator = a.is_operator;
    tg__leave(op);
    if (!is_operator)
        return tg__err(TG_EDENIED, "denied: only the operator may verify a customer's password");
    /* Deprecated (tg_session_customer): a check like any sign-in, sharing its rate limit. */
    attempt at;
    rc = attempt_password(op->graph, admin_user, password, &at);
    sodium_memzero(at.verifier, sizeof(at.verifier));
    if (rc == TG_EDENIED && !at.found) return tg__err(TG_ENOTFOUND, "no customer admin '%s'", admin_user);
    return rc;
}
