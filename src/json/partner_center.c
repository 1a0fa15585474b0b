/* partner_center.c - the REST shapes of Partner Center (camelCase, as its responses
 * are), so callers can hand tiergraph's answers to code written for that API. */
#include "partner_center.h"
#include "util/error.h"
#include "util/str.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <time.h>

static void add_str(cJSON *o, const char *name, const char *value)
{
    if (value) cJSON_AddStringToObject(o, name, value);
}

static void add_attributes(cJSON *o, const char *type)
{
    cJSON *attrs = cJSON_AddObjectToObject(o, "attributes");
    if (attrs) cJSON_AddStringToObject(attrs, "objectType", type);
}

static int print(char **out, cJSON *o)
{
    *out = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return *out ? TG_OK : tg__nomem();
}

int tg__pc_customer(char **out, const tg__tables *t, const tg__customer *c)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", c->id);
    cJSON *company = cJSON_AddObjectToObject(o, "companyProfile");
    if (company) {
        add_str(company, "tenantId", c->id);
        add_str(company, "domain", c->domain);
        add_str(company, "companyName", c->company);
        add_attributes(company, "CustomerCompanyProfile");
    }
    cJSON *billing = cJSON_AddObjectToObject(o, "billingProfile");
    if (billing) {
        add_str(billing, "email", c->email);
        add_str(billing, "culture", c->culture);
        add_str(billing, "language", c->language);
        add_str(billing, "companyName", c->company);
        cJSON *addr = cJSON_AddObjectToObject(billing, "defaultAddress");
        if (addr) {
            add_str(addr, "country", c->country);
            add_str(addr, "city", c->city);
            add_str(addr, "state", c->state);
            add_str(addr, "addressLine1", c->line1);
            add_str(addr, "addressLine2", c->line2);
            add_str(addr, "postalCode", c->postal);
            add_str(addr, "firstName", c->first);
            add_str(addr, "lastName", c->last);
            add_str(addr, "phoneNumber", c->phone ? c->phone : "");
        }
        add_attributes(billing, "CustomerBillingProfile");
    }
    add_str(o, "relationshipToPartner", c->reseller ? "reseller" : "none");
    add_str(o, "associatedPartnerId", c->reseller);
    const tg__partner *seller = tg__get(t, TG__PARTNER, c->seller);
    if (seller) add_str(o, "partnerIdOnRecord", seller->partner_id);
    cJSON *dap = cJSON_AddArrayToObject(o, "delegatedAdminPartners");
    for (size_t i = 0; dap && i < c->dap.n; i++)
        cJSON_AddItemToArray(dap, cJSON_CreateString(c->dap.v[i]));
    add_str(o, "userName", c->admin_user);
    add_attributes(o, "Customer");
    return print(out, o);
}

static const char *status_text(tg_subscription_status s)
{
    switch (s) {
    case TG_SUB_ACTIVE: return "active";
    case TG_SUB_SUSPENDED: return "suspended";
    case TG_SUB_DELETED: return "deleted";
    default: return "unknown";
    }
}

int tg__pc_subscription(char **out, const tg__subscription *s)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", s->id);
    add_str(o, "offerId", s->offer);
    cJSON_AddNumberToObject(o, "quantity", s->quantity);
    add_str(o, "unitType", "Licenses");
    char when[32];
    tg__time_iso(when, sizeof(when), s->created);
    add_str(o, "creationDate", when);
    add_str(o, "status", status_text(s->status));
    add_str(o, "billingType", "license");
    add_str(o, "partnerId", s->reseller_pid);
    add_str(o, "customerId", s->customer);
    add_str(o, "partnerOfRecord", s->seller);
    add_str(o, "supportContact", s->support);
    add_attributes(o, "Subscription");
    return print(out, o);
}

/* GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf (a
 * provider's resellers) or =IsIndirectResellerOf (a reseller's providers). */
int tg__pc_relationships(char **out, const tg__tables *t, const tg__vec *v, bool resellers)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *count = cJSON_AddNumberToObject(o, "totalCount", 0);
    cJSON *items = cJSON_AddArrayToObject(o, "items");
    for (size_t i = 0; items && v && i < v->len; i++) {
        const tg__partnership *ps = v->items[i];
        const tg__partner *p = tg__get(t, TG__PARTNER, resellers ? ps->reseller : ps->provider);
        if (!p) continue; /* cannot be: tg_graph_verify checks both ends of a partnership */
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(items, item)) {
            cJSON_Delete(item);
            cJSON_Delete(o);
            return tg__nomem();
        }
        add_str(item, "id", p->tenant);
        add_str(item, "name", p->name);
        add_str(item, "relationshipType", resellers ? "is_indirect_cloud_solution_provider_of"
                                                    : "is_indirect_reseller_of");
        add_str(item, "state", "Active"); /* a removed partnership is no longer listed */
        add_str(item, "mpnId", p->partner_id);
        add_str(item, "location", p->country);
        add_attributes(item, "PartnerRelationship");
    }
    if (count && items) cJSON_SetNumberValue(count, cJSON_GetArraySize(items));
    add_attributes(o, "Collection");
    return print(out, o);
}
