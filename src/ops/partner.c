/* partner.c - the operator's side: enrolling partners, their tenants and agreements. */
#include "api/api.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

static int check_kind(tg_partner_kind kind)
{
    if (kind != TG_PARTNER_INDIRECT_PROVIDER && kind != TG_PARTNER_INDIRECT_RESELLER &&
        kind != TG_PARTNER_DIRECT_BILL)
        return tg__err(TG_EINVAL, "unknown partner kind %d", (int)kind);
    return TG_OK;
}

/* Is a tenant id already used anywhere in the graph (partner or customer)? */
static bool tenant_taken(const tg__tables *t, const char *tenant)
{
    return tg__map_get(&t->partner_by_tenant, tenant) || tg__get(t, TG__CUSTOMER, tenant);
}

int tg_partner_enroll(tg_session *op, tg_partner_kind kind, const char *tenant_id,
                      const char *partner_id, const char *name, const char *domain,
                      const char *country)
{
    TG__ARG(op);
    int rc;
    if (partner_id && !tg__is_partner_id(partner_id))
        return tg__err(TG_EINVAL, "PartnerID '%.32s' must be numeric (1 to 10 digits)", partner_id);
    if ((rc = check_kind(kind)) || (rc = tg__check_guid(tenant_id, "tenant id")) ||
        (rc = tg__check_text(partner_id, "PartnerID")) || (rc = tg__check_text(name, "name")) ||
        (rc = tg__check_text(domain, "domain")) || (rc = tg__check_text(country, "country")))
        return rc;
    if (!tg__is_domain(domain)) return tg__err(TG_EINVAL, "'%s' is not a domain name", domain);
    if (!tg__is_country(country))
        return tg__err(TG_EINVAL, "country '%s' must be two letters (ISO 3166-1)", country);
    if (tg__utf8_length(name) > 256) return tg__err(TG_EINVAL, "name is longer than 256 characters");

    tg__partner *p = tg__entity_new(TG__PARTNER);
    if (!p) return tg__nomem();
    p->kind = kind;
    p->tenant = tg__strdup(tenant_id);
    p->partner_id = tg__strdup(partner_id);
    p->name = tg__strdup(name);
    p->domain = tg__strdup(domain);
    p->country = tg__strdup(country);
    if (!p->tenant || !p->partner_id || !p->name || !p->domain || !p->country) {
        tg__entity_free(TG__PARTNER, p);
        return tg__nomem();
    }
    tg__str_lower(p->domain);
    for (char *c = p->country; *c; c++) *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);

    tg__actor a;
    if ((rc = tg__enter(op, true, &a))) {
        tg__entity_free(TG__PARTNER, p);
        return rc;
    }
    tg__tables *t = &op->graph->t;
    if ((rc = tg__decide(t, &a, TG_ACT_PARTNER_ENROLL, NULL)) == TG_OK) {
        if (tenant_taken(t, p->tenant))
            rc = tg__err(TG_EEXISTS, "tenant '%s' is already in use", p->tenant);
        else if (tg__map_get(&t->partner_by_pid, p->partner_id))
            rc = tg__err(TG_EEXISTS, "PartnerID %s is already enrolled", p->partner_id);
        else if (tg__map_get(&t->partner_by_domain, p->domain))
            rc = tg__err(TG_EEXISTS, "domain '%s' belongs to another partner", p->domain);
    }
    if (rc == TG_OK) {
        rc = tg__commit_put(op->graph, TG__PARTNER, p);
        p = NULL;
    }
    tg__leave(op);
    tg__entity_free(TG__PARTNER, p);
    return rc;
}

/* Change one partner under the operator's write lock: clone, edit, commit.
 * `action` names the public function for the change event. */
static int update_partner(tg_session *op, const char *tenant_id,
                          int (*edit)(const tg__tables *t, tg__partner *p, const void *arg),
                          const void *arg, const char *action)
{
    tg__actor a;
    int rc = tg__enter_as(op, true, &a, action);
    if (rc) return rc;
    tg__tables *t = &op->graph->t;
    const tg__partner *old = tg__get(t, TG__PARTNER, tenant_id);
    if ((rc = tg__decide(t, &a, TG_ACT_PARTNER_ENROLL, NULL)) == TG_OK && !old)
        rc = tg__err(TG_ENOTFOUND, "no partner with tenant '%s'", tenant_id);
    if (rc == TG_OK) {
        tg__partner *p = tg__entity_clone(TG__PARTNER, old);
        rc = p ? edit(t, p, arg) : tg__nomem();
        if (rc == TG_OK) rc = tg__commit_put(op->graph, TG__PARTNER, p);
        else tg__entity_free(TG__PARTNER, p);
    }
    tg__leave(op);
    return rc;
}

static int edit_agreement(const tg__tables *t, tg__partner *p, const void *arg)
{
    (void)t;
    p->agreement = *(const int *)arg != 0;
    return TG_OK;
}

int tg_partner_set_agreement(tg_session *op, const char *tenant_id, int signed_agreement)
{
    TG__ARG(op);
    int rc = tg__check_guid(tenant_id, "tenant id");
    if (rc) return rc;
    return update_partner(op, tenant_id, edit_agreement, &signed_agreement, __func__);
}

static int edit_add_tenant(const tg__tables *t, tg__partner *p, const void *arg)
{
    const char *tenant = arg;
    if (tenant_taken(t, tenant))
        return tg__err(TG_EEXISTS, "tenant '%s' is already in use", tenant);
    return tg__strv_add(&p->tenants, tenant);
}

int tg_partner_add_tenant(tg_session *op, const char *partner_tenant_id, const char *tenant_id)
{
    TG__ARG(op);
    int rc;
    if ((rc = tg__check_guid(partner_tenant_id, "partner tenant id")) ||
        (rc = tg__check_guid(tenant_id, "tenant id")))
        return rc;
    return update_partner(op, partner_tenant_id, edit_add_tenant, tenant_id, __func__);
}

int tg_partners(tg_iter **out, tg_session *s, tg_partner_kind kind)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = check_kind(kind);
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, false, &a))) return rc;
    if (!a.is_operator && kind != TG_PARTNER_INDIRECT_PROVIDER)
        rc = tg__err(TG_EDENIED, "denied: partner users may list only the official list of "
                                 "indirect providers");
    tg_iter *it = rc ? NULL : tg__iter_new();
    if (!rc && !it) rc = tg__nomem();
    const tg__map *m = &s->graph->t.by_id[TG__PARTNER];
    for (size_t i = 0; rc == TG_OK && i < m->cap; i++) {
        const tg__partner *p = m->slots[i].value;
        if (m->slots[i].key && p->kind == kind) rc = tg__iter_add(it, p->tenant);
    }
    tg__leave(s);
    return tg__iter_finish(out, it, rc);
}

int tg_partner_get(char **out, tg_session *s, const char *tenant_id)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    int rc = tg__check_guid(tenant_id, "tenant id");
    if (rc) return rc;
    tg__actor a;
    if ((rc = tg__enter(s, false, &a))) return rc;
    const tg__partner *p = tg__get(&s->graph->t, TG__PARTNER, tenant_id);
    if (!tg__partner_visible(&s->graph->t, &a, p)) {
        tg__leave(s);
        return tg__err(TG_ENOTFOUND, "no partner '%s' is visible to this session", tenant_id);
    }
    static const char *kinds[] = {"", "indirectProvider", "indirectReseller", "directBill"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "tenantId", p->tenant);
    cJSON_AddStringToObject(o, "partnerId", p->partner_id);
    cJSON_AddStringToObject(o, "mpnId", p->partner_id);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "domain", p->domain);
    cJSON_AddStringToObject(o, "country", p->country);
    cJSON_AddStringToObject(o, "kind", kinds[p->kind]);
    cJSON_AddBoolToObject(o, "agreementSigned", p->agreement);
    cJSON *tenants = cJSON_AddArrayToObject(o, "tenants");
    for (size_t i = 0; tenants && i < p->tenants.n; i++)
        cJSON_AddItemToArray(tenants, cJSON_CreateString(p->tenants.v[i]));
    tg__leave(s);
    *out = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return *out ? TG_OK : tg__nomem();
}
