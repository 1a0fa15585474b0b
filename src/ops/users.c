/* users.c - partner users and their roles (DOMAIN.md §2): who may add, change and
 * remove them, and the one special rule: only a Global admin grants Global admin. */
#include "api/api.h"

#include <stdlib.h>

static int check_roles(unsigned int roles)
{
    if (roles == 0 || (roles & ~(unsigned int)TG_ROLE_ALL))
        return tg__err(TG_EINVAL, "roles 0x%x: expected a non-empty set of TG_ROLE_* bits", roles);
    return TG_OK;
}

/* The rule for changing a user's roles from `before` to `after` within a partner. */
static int may_change_roles(const tg__tables *t, const tg__actor *a, const char *partner,
                            unsigned int before, unsigned int after)
{
    if (!a->is_operator && !tg__streq(a->partner->tenant, partner))
        return tg__err(TG_EDENIED, "denied: users of '%s' may manage only their own partner's "
                                   "users", a->partner->name);
    int rc = tg__decide(t, a, TG_ACT_USERS_MANAGE, NULL);
    if (rc) return rc;
    if ((before ^ after) & TG_ROLE_GLOBAL_ADMIN) {
        rc = tg__decide(t, a, TG_ACT_GLOBAL_ADMIN_GRANT, NULL);
        if (rc) return tg__err(rc, "denied: only a Global admin may grant or revoke the Global "
                                   "admin role");
    }
    if ((before & TG_ROLE_GLOBAL_ADMIN) && !a->is_operator &&
        !(a->user->roles & TG_ROLE_GLOBAL_ADMIN))
        return tg__err(TG_EDENIED, "denied: only a Global admin may change a Global admin");
    return TG_OK;
}

int tg_user_add(tg_session *s, const char *partner_tenant_id, const char *user_id,
                unsigned int roles)
{
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_guid(partner_tenant_id, "partner tenant id")) ||
        (rc = tg__check_user_id(user_id)) || (rc = check_roles(roles)))
        return rc;
    tg__user *u = tg__entity_new(TG__USER);
    if (!u || !(u->id = tg__strdup(user_id)) || !(u->partner = tg__strdup(partner_tenant_id))) {
        tg__entity_free(TG__USER, u);
        return tg__nomem();
    }
    u->roles = roles;
    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) {
        tg__entity_free(TG__USER, u);
        return rc;
    }
    tg__tables *t = &s->graph->t;
    if (!tg__partner_visible(t, &a, tg__get(t, TG__PARTNER, u->partner)))
        rc = tg__err(TG_ENOTFOUND, "no partner with tenant '%s'", u->partner);
    else if ((rc = may_change_roles(t, &a, u->partner, 0, roles)) == TG_OK &&
             tg__get(t, TG__USER, u->id))
        rc = tg__err(TG_EEXISTS, "user '%s' already exists", u->id);
    if (rc == TG_OK) {
        rc = tg__commit_put(s->graph, TG__USER, u);
        u = NULL;
    }
    tg__leave(s);
    tg__entity_free(TG__USER, u);
    return rc;
}

/* Look up a user the actor may see: its own partner's, or any for the operator. */
static const tg__user *visible_user(const tg__tables *t, const tg__actor *a, const char *id)
{
    const tg__user *u = tg__get(t, TG__USER, id);
    if (u && !a->is_operator && !tg__streq(u->partner, a->partner->tenant)) u = NULL;
    if (!u) tg__err(TG_ENOTFOUND, "no user '%s' is visible to this session", id);
    return u;
}

int tg_user_set_roles(tg_session *s, const char *user_id, unsigned int roles)
{
    TG__ARG(s);
    int rc;
    if ((rc = tg__check_user_id(user_id)) || (rc = check_roles(roles))) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg__tables *t = &s->graph->t;
    const tg__user *old = visible_user(t, &a, user_id);
    rc = old ? may_change_roles(t, &a, old->partner, old->roles, roles) : TG_ENOTFOUND;
    if (rc == TG_OK && old->roles != roles) {
        tg__user *u = tg__entity_clone(TG__USER, old);
        if (u) u->roles = roles;
        rc = tg__commit_put(s->graph, TG__USER, u);
    }
    tg__leave(s);
    return rc;
}

int tg_user_remove(tg_session *s, const char *user_id)
{
    TG__ARG(s);
    int rc = tg__check_user_id(user_id);
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg__tables *t = &s->graph->t;
    const tg__user *old = visible_user(t, &a, user_id);
    rc = old ? may_change_roles(t, &a, old->partner, old->roles, 0) : TG_ENOTFOUND;
    if (rc == TG_OK) rc = tg__commit_del(s->graph, TG__USER, old->id);
    tg__leave(s);
    return rc;
}

int tg_user_roles(unsigned int *out, tg_session *s, const char *user_id)
{
    TG__ARG(out);
    *out = 0;
    TG__ARG(s);
    int rc = tg__check_user_id(user_id);
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, false, &a))) return rc;
    const tg__user *u = visible_user(&s->graph->t, &a, user_id);
    if (u) *out = u->roles;
    tg__leave(s);
    return u ? TG_OK : TG_ENOTFOUND;
}

int tg_users(tg_iter **out, tg_session *s, const char *partner_tenant_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = tg__check_guid(partner_tenant_id, "partner tenant id");
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, false, &a))) return rc;
    tg__tables *t = &s->graph->t;
    if (!tg__get(t, TG__PARTNER, partner_tenant_id))
        rc = tg__err(TG_ENOTFOUND, "no partner with tenant '%s'", partner_tenant_id);
    else if (!a.is_operator && !tg__streq(a.partner->tenant, partner_tenant_id))
        rc = tg__err(TG_ENOTFOUND, "no partner with tenant '%s'", partner_tenant_id);
    else
        rc = tg__decide(t, &a, TG_ACT_USERS_MANAGE, NULL);
    tg_iter *it = rc ? NULL : tg__iter_new();
    if (!rc && !it) rc = tg__nomem();
    const tg__vec *v = rc ? NULL : tg__multi_get(&t->users_of, partner_tenant_id);
    for (size_t i = 0; v && rc == TG_OK && i < v->len; i++)
        rc = tg__iter_add(it, ((const tg__user *)v->items[i])->id);
    tg__leave(s);
    return tg__iter_finish(out, it, rc);
}
