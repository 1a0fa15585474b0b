/* session.c - who acts: the operator, a partner user or a customer's user,
 * resolved on every call so that role changes and removals take effect at once. */
#include "api.h"
#include "core/account.h"
#include "hooks.h"

#include <stdlib.h>

static int session_new(tg_session **out, tg_graph *g, bool op, const char *user_id)
{
    tg_session *s = calloc(1, sizeof(*s));
    if (!s || (user_id && !(s->user_id = tg__strdup(user_id)))) {
        free(s);
        return tg__nomem();
    }
    s->graph = g;
    s->is_operator = op;
    *out = s;
    return TG_OK;
}

int tg_session_operator(tg_session **out, tg_graph *g)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(g);
    return session_new(out, g, true, NULL);
}

int tg_session_user(tg_session **out, tg_graph *g, const char *user_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(g);
    int rc = tg__check_user_id(user_id); /* malformed: no such user can exist */
    if (rc) return rc;
    tg__rwlock_rdlock(&g->lock);
    bool known = tg__get(&g->t, TG__USER, user_id) != NULL;
    tg__rwlock_rdunlock(&g->lock);
    if (!known) return tg__err(TG_ENOTFOUND, "no user '%s'", user_id);
    return session_new(out, g, false, user_id);
}

int tg__session_customer_new(tg_session **out, tg_graph *g, const char *user_name)
{
    int rc = session_new(out, g, false, user_name);
    if (rc == TG_OK) (*out)->is_customer = true;
    return rc;
}

void tg_session_close(tg_session *s)
{
    if (!s) return;
    free(s->user_id);
    free(s);
}

static void unlock(tg_graph *g, bool write)
{
    if (write)
        tg__rwlock_wrunlock(&g->lock);
    else
        tg__rwlock_rdunlock(&g->lock);
}

/* A customer's user, resolved like a partner user on every call. */
static int enter_customer(tg_session *s, bool write, tg__actor *a)
{
    tg__account acct;
    if (!tg__account_find(&s->graph->t, s->user_id, &acct)) {
        unlock(s->graph, write);
        return tg__err(TG_EDENIED, "denied: customer user '%s' no longer exists", s->user_id);
    }
    a->customer = acct.customer;
    /* The name as stored (lower case), whatever case the user signed in with. */
    a->customer_user = acct.user ? acct.user->id : acct.customer->admin_user;
    a->customer_roles = acct.roles;
    return TG_OK;
}

static int enter(tg_session *s, bool write, tg__actor *a, bool customers)
{
    TG__ARG(s);
    if (s->is_customer && !customers)
        return tg__err(TG_EDENIED, "denied: '%s' is a customer's user; a customer's session may "
                                   "only read its own customer and subscriptions, accept "
                                   "relationship requests, record and hire for subscriptions "
                                   "bought elsewhere, switch partners and add its users",
                       s->user_id);
    tg_graph *g = s->graph;
    if (write)
        tg__rwlock_wrlock(&g->lock);
    else
        tg__rwlock_rdlock(&g->lock);
    *a = (tg__actor){.is_operator = s->is_operator, .now = tg__now(g)};
    if (s->is_operator) return TG_OK;
    if (s->is_customer) return enter_customer(s, write, a);
    if (s->user && g->actors_changed <= s->seen) {
        a->user = s->user;
        a->partner = s->partner;
        a->tenant_hash = s->tenant_hash;
        return TG_OK;
    }
    a->user = tg__get(&g->t, TG__USER, s->user_id);
    a->partner = a->user ? tg__get(&g->t, TG__PARTNER, a->user->partner) : NULL;
    if (!a->user || !a->partner) {
        s->user = NULL;
        unlock(g, write);
        return tg__err(TG_EDENIED, "denied: user '%s' no longer exists", s->user_id);
    }
    s->seen = g->revision;
    s->user = a->user;
    s->partner = a->partner;
    s->tenant_hash = a->tenant_hash = tg__hash(a->partner->tenant);
    return TG_OK;
}

/* Enter, and for a write record who writes and with which function: the
 * commit's change event says so. */
static int enter_named(tg_session *s, bool write, tg__actor *a, bool customers,
                       const char *action)
{
    int rc = enter(s, write, a, customers);
    if (rc == TG_OK && write)
        s->graph->write = (tg__write){.session = s, .actor = *a, .action = action};
    return rc;
}

int tg__enter_as(tg_session *s, bool write, tg__actor *a, const char *action)
{
    return enter_named(s, write, a, false, action);
}

int tg__enter_any_as(tg_session *s, bool write, tg__actor *a, const char *action)
{
    return enter_named(s, write, a, true, action);
}

void tg__leave(tg_session *s)
{
    tg_graph *g = s->graph;
    /* Only the writer's session is in g->write while the lock is held, and a
     * reader's is never there: no write is in progress while it reads. */
    bool wrote = g->write.session == s;
    if (wrote) g->write = (tg__write){0};
    unlock(g, wrote);
    if (wrote) tg__hooks_deliver(g);
}
