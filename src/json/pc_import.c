/* pc_import.c - Partner Center REST bodies into records (tg_import): a Customer, an
 * Order (each line item a subscription), a Subscription, or a Collection of
 * Customers or Subscriptions. Requests are PascalCase and responses camelCase, so
 * member names are matched without case. What a body leaves to the partner that
 * sends it (who sells, who supports) is taken from the graph; docs/design.md,
 * "Import", lists the mapping. */
#include "crypto/crypto.h"
#include "interop.h"
#include "util/date.h"
#include "util/error.h"
#include "util/str.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One body being mapped: its object and how messages name it. */
typedef struct body {
    const cJSON *o;
    char where[96]; /* "Customer", "items[2] (Subscription)", "Order lineItems[0]" */
} body;

/* A member at a dotted path, names compared without case; NULL when absent or null. */
static const cJSON *member(const cJSON *o, const char *path)
{
    char buf[128], *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
        o = cJSON_IsObject(o) ? cJSON_GetObjectItem(o, k) : NULL;
    return cJSON_IsNull(o) ? NULL : o;
}

static const char *object_type(const cJSON *o)
{
    const cJSON *t = member(o, "attributes.objectType");
    return cJSON_IsString(t) ? t->valuestring : NULL;
}

/* A string member into *out (NULL when absent, null or "", and optional). */
static int get_text(const body *b, const char *path, bool required, const char **out)
{
    const cJSON *v = member(b->o, path);
    *out = NULL;
    if (v && !cJSON_IsString(v))
        return tg__err(TG_EINVAL, "import: %s: \"%s\" is not a string", b->where, path);
    if (v && v->valuestring[0]) *out = v->valuestring;
    if (!*out && required)
        return tg__err(TG_EINVAL, "import: %s: \"%s\" is missing", b->where, path);
    return TG_OK;
}

static int get_quantity(const body *b, int *out)
{
    const cJSON *v = member(b->o, "quantity");
    *out = 0; /* set on every path: compilers cannot tell that tg__err returns non-zero */
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)v->valueint || v->valueint < 1 ||
        v->valueint > 1000000)
        return tg__err(TG_EINVAL, "import: %s: \"quantity\" must be a license count from 1 to "
                                  "1000000", b->where);
    *out = v->valueint;
    return TG_OK;
}

/* "creationDate" when present (ISO 8601), else `now`. */
static int get_created(const body *b, int64_t now, int64_t *out)
{
    const char *date;
    int rc = get_text(b, "creationDate", false, &date);
    *out = now;
    if (rc == TG_OK && date && !tg__time_parse_iso(date, out))
        rc = tg__err(TG_EINVAL, "import: %s: \"creationDate\" '%.40s' is not an ISO 8601 time",
                     b->where, date);
    return rc;
}

/* ---- the bodies of a document ---- */

typedef int (*body_fn)(void *ctx, const body *b, const char *type);

/* Call fn for each body: the items of a Collection, or the document itself. */
static int each_body(const cJSON *doc, body_fn fn, void *ctx)
{
    const char *type = object_type(doc);
    body b = {doc, ""};
    if (!type)
        return tg__err(TG_EINVAL, "import: the document is neither a tg_export() document "
                                  "(\"format\") nor a Partner Center body "
                                  "(\"attributes\": {\"objectType\"})");
    if (strcmp(type, "Collection") != 0) {
        snprintf(b.where, sizeof(b.where), "%s", type);
        return fn(ctx, &b, type);
    }
    const cJSON *items = member(doc, "items"), *item;
    if (!cJSON_IsArray(items))
        return tg__err(TG_EINVAL, "import: Collection: \"items\" is not an array");
    int i = 0, rc;
    cJSON_ArrayForEach(item, items)
    {
        b.o = item;
        const char *t = object_type(item);
        snprintf(b.where, sizeof(b.where), "items[%d] (%s)", i++, t ? t : "no objectType");
        if ((rc = fn(ctx, &b, t ? t : ""))) return rc;
    }
    return TG_OK;
}

/* ---- step 1: customers' verifiers, before the write lock ---- */

typedef struct hashing {
    tg__import *im;
    uint64_t ops;
    size_t mem;
} hashing;

/* A customer's admin keeps only a verifier of the password it came with
 * ("userCredentials"), which is then wiped from the document; without one, of a
 * random password nobody sees (the admin's password must then be reset). */
static int hash_customer(void *ctx, const body *b, const char *type)
{
    if (strcmp(type, "Customer") != 0) return TG_OK;
    hashing *h = ctx;
    tg__import *im = h->im;
    char **v = realloc(im->verifiers, (im->nverifiers + 1) * sizeof(*v));
    if (!v) return tg__nomem();
    im->verifiers = v;
    const cJSON *pw = member(b->o, "userCredentials.password");
    char *generated = NULL, verifier[TG__VERIFIER_MAX];
    int rc = TG_OK;
    if (pw && (!cJSON_IsString(pw) || !pw->valuestring[0]))
        return tg__err(TG_EINVAL, "import: %s: \"userCredentials.password\" is not a password",
                       b->where);
    if (!pw) rc = tg__password_generate(&generated);
    if (rc == TG_OK)
        rc = tg__password_hash(verifier, pw ? pw->valuestring : generated, h->ops, h->mem);
    tg__secret_free(generated);
    if (pw) sodium_memzero(pw->valuestring, strlen(pw->valuestring));
    if (rc) return rc;
    if (!(im->verifiers[im->nverifiers] = tg__strdup(verifier))) return tg__nomem();
    im->nverifiers++;
    return TG_OK;
}

int tg__pc_verifiers(tg__import *im, uint64_t opslimit, size_t memlimit)
{
    hashing h = {im, opslimit, memlimit};
    return each_body(im->doc, hash_customer, &h);
}

/* ---- step 2: records, under the write lock ---- */

typedef struct mapping {
    tg__changeset *cs;
    const tg__import *im;
    const tg__tables *t;
    int64_t now;
    size_t next_verifier;
} mapping;

/* Where each customer field comes from: a path, else a second path. */
static const struct {
    const char *path, *fallback;
    size_t offset;
    bool required;
} customer_fields[] = {
    {"companyProfile.domain", NULL, offsetof(tg__customer, domain), true},
    {"billingProfile.companyName", "companyProfile.companyName", offsetof(tg__customer, company), true},
    {"billingProfile.email", NULL, offsetof(tg__customer, email), true},
    {"billingProfile.culture", NULL, offsetof(tg__customer, culture), true},
    {"billingProfile.language", NULL, offsetof(tg__customer, language), true},
    {"billingProfile.defaultAddress.addressLine1", NULL, offsetof(tg__customer, line1), true},
    {"billingProfile.defaultAddress.addressLine2", NULL, offsetof(tg__customer, line2), false},
    {"billingProfile.defaultAddress.city", NULL, offsetof(tg__customer, city), true},
    {"billingProfile.defaultAddress.state", NULL, offsetof(tg__customer, state), true},
    {"billingProfile.defaultAddress.postalCode", NULL, offsetof(tg__customer, postal), true},
    {"billingProfile.defaultAddress.country", NULL, offsetof(tg__customer, country), true},
    {"billingProfile.defaultAddress.firstName", "billingProfile.firstName", offsetof(tg__customer, first), true},
    {"billingProfile.defaultAddress.lastName", "billingProfile.lastName", offsetof(tg__customer, last), true},
    {"billingProfile.defaultAddress.phoneNumber", NULL, offsetof(tg__customer, phone), false},
    {"associatedPartnerId", NULL, offsetof(tg__customer, reseller), false},
};

/* The customer's partner of record: named by PartnerID ("partnerIdOnRecord", as
 * tg_customer_get gives it), else the one indirect provider of its reseller. */
static int customer_seller(const mapping *m, const body *b, const char *reseller, const char **out)
{
    const char *pid;
    int rc = get_text(b, "partnerIdOnRecord", false, &pid);
    if (rc) return rc;
    if (pid) {
        const tg__partner *p = tg__map_get(&m->t->partner_by_pid, pid);
        if (!p)
            return tg__err(TG_EINVAL, "import: %s: no partner has PartnerID '%.32s' "
                                      "(\"partnerIdOnRecord\")", b->where, pid);
        *out = p->tenant;
        return TG_OK;
    }
    const tg__vec *v = reseller ? tg__multi_get(&m->t->providers_of, reseller) : NULL;
    if (!reseller)
        return tg__err(TG_EINVAL, "import: %s: its partner of record is unknown: name it by "
                                  "PartnerID (\"partnerIdOnRecord\"), or give an indirect reseller "
                                  "(\"associatedPartnerId\") with exactly one indirect provider",
                       b->where);
    if (!v || v->len != 1)
        return tg__err(TG_EINVAL, "import: %s: its partner of record is not named "
                                  "(\"partnerIdOnRecord\") and reseller '%.64s' has %zu indirect "
                                  "providers, not one", b->where, reseller, v ? v->len : 0);
    *out = ((const tg__partnership *)v->items[0])->provider;
    return TG_OK;
}

static int map_customer(mapping *m, const body *b)
{
    const char *id, *tenant, *seller = NULL;
    int rc;
    if ((rc = get_text(b, "id", false, &id)) ||
        (rc = get_text(b, "companyProfile.tenantId", false, &tenant)))
        return rc;
    if (id && tenant && strcmp(id, tenant) != 0)
        return tg__err(TG_EINVAL, "import: %s: \"id\" and \"companyProfile.tenantId\" differ",
                       b->where);
    char fresh[TG__GUID_LEN + 1];
    if (!id && !tenant) tg__guid_generate(fresh); /* a request: the customer is new */
    tg__customer *c = tg__entity_new(TG__CUSTOMER);
    if (!c) return tg__nomem();
    c->id = tg__strdup(id ? id : tenant ? tenant : fresh);
    rc = c->id ? TG_OK : tg__nomem();
    for (size_t i = 0; rc == TG_OK && i < sizeof(customer_fields) / sizeof(customer_fields[0]); i++) {
        const char *v = NULL, *path = customer_fields[i].path, *fallback = customer_fields[i].fallback;
        rc = get_text(b, path, false, &v);
        if (rc == TG_OK && !v && fallback) rc = get_text(b, fallback, false, &v);
        if (rc == TG_OK && !v && customer_fields[i].required)
            rc = tg__err(TG_EINVAL, "import: %s: \"%s\" is missing%s%s%s", b->where, path,
                         fallback ? " (and so is \"" : "", fallback ? fallback : "",
                         fallback ? "\")" : "");
        char **slot = (char **)((char *)c + customer_fields[i].offset);
        if (rc == TG_OK && v && !(*slot = tg__strdup(v))) rc = tg__nomem();
    }
    if (rc == TG_OK) rc = customer_seller(m, b, c->reseller, &seller);
    if (rc == TG_OK) {
        tg__str_lower(c->domain);
        for (char *p = c->country; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        c->seller = tg__strdup(seller);
        c->admin_user = tg__sprintf("admin@%s", c->domain);
        c->verifier = tg__strdup(m->im->verifiers[m->next_verifier++]);
        c->must_change_password = true;
        c->created = m->now;
        /* as when a customer is created: delegated admin for the seller and the reseller */
        if (!c->seller || !c->admin_user || !c->verifier || tg__strv_add(&c->dap, seller) ||
            (c->reseller && tg__strv_add(&c->dap, c->reseller)))
            rc = tg__nomem();
    }
    if (rc) {
        tg__entity_free(TG__CUSTOMER, c);
        return rc;
    }
    return tg__cs_put(m->cs, TG__CUSTOMER, c);
}

/* A customer in the graph, or earlier in the same document. */
static const tg__customer *find_customer(const mapping *m, const char *id)
{
    const tg__customer *c = tg__get(m->t, TG__CUSTOMER, id);
    for (size_t i = 0; !c && i < m->cs->len; i++)
        if (m->cs->items[i].kind == TG__CUSTOMER && strcmp(m->cs->items[i].id, id) == 0)
            c = m->cs->items[i].next;
    return c;
}

static int status_of(const body *b, tg_subscription_status *out)
{
    static const char *names[] = {[TG_SUB_ACTIVE] = "active", [TG_SUB_SUSPENDED] = "suspended",
                                  [TG_SUB_DELETED] = "deleted"};
    const char *s;
    int rc = get_text(b, "status", false, &s);
    *out = TG_SUB_ACTIVE;
    for (int i = TG_SUB_ACTIVE; rc == TG_OK && s && i <= TG_SUB_DELETED; i++)
        if (tg__strieq(s, names[i])) {
            *out = (tg_subscription_status)i;
            return TG_OK;
        }
    if (rc == TG_OK && s)
        rc = tg__err(TG_EINVAL, "import: %s: status '%.32s' does not map (active, suspended or "
                                "deleted)", b->where, s);
    return rc;
}

/* The part of "/customers/<id>/subscriptions/..." (links.self.uri) that names the customer. */
static int customer_in_uri(const body *b, char *out, size_t len)
{
    const char *uri;
    int rc = get_text(b, "links.self.uri", false, &uri);
    const char *p = uri ? strstr(uri, "/customers/") : NULL;
    out[0] = '\0';
    if (rc || !p) return rc;
    p += strlen("/customers/");
    size_t n = strcspn(p, "/");
    if (n < len && strncmp(p + n, "/subscriptions/", 15) == 0) snprintf(out, len, "%.*s", (int)n, p);
    return TG_OK;
}

/* A subscription record from its parts; seller and support default from the customer. */
static int put_subscription(mapping *m, const body *b, const char *id, const char *customer_id,
                            const char *offer, int quantity, const char *reseller_pid,
                            const char *seller, const char *support,
                            tg_subscription_status status, int64_t created)
{
    const tg__customer *c = find_customer(m, customer_id);
    if (!c)
        return tg__err(TG_EINVAL, "import: %s: customer '%.64s' is not in the graph", b->where,
                       customer_id);
    if (strlen(offer) > 128)
        return tg__err(TG_EINVAL, "import: %s: the offer id is longer than 128 bytes", b->where);
    tg__subscription *s = tg__entity_new(TG__SUBSCRIPTION);
    if (!s) return tg__nomem();
    s->id = tg__strdup(id);
    s->customer = tg__strdup(customer_id);
    s->offer = tg__strdup(offer);
    s->quantity = quantity;
    s->status = status;
    s->seller = tg__strdup(seller ? seller : c->seller);
    s->reseller_pid = reseller_pid ? tg__strdup(reseller_pid) : NULL;
    s->support = tg__strdup(support ? support : s->seller);
    s->created = created;
    /* Bought through CSP, as tg__subscription_build makes one: a one-year term. */
    s->channel = TG__CHANNEL_CSP;
    s->term_end = tg__add_years(created, 1);
    if (!s->id || !s->customer || !s->offer || !s->seller || !s->support ||
        (reseller_pid && !s->reseller_pid)) {
        tg__entity_free(TG__SUBSCRIPTION, s);
        return tg__nomem();
    }
    return tg__cs_put(m->cs, TG__SUBSCRIPTION, s);
}

/* A Subscription as Partner Center returns it, or as tg_subscription_get does. */
static int map_subscription(mapping *m, const body *b)
{
    const char *id, *offer, *pid, *customer, *seller, *support;
    char from_uri[64];
    int quantity, rc;
    tg_subscription_status status;
    int64_t created;
    if ((rc = get_text(b, "id", true, &id)) || (rc = get_text(b, "offerId", true, &offer)) ||
        (rc = get_quantity(b, &quantity)) || (rc = status_of(b, &status)) ||
        (rc = get_text(b, "partnerId", false, &pid)) ||
        (rc = get_text(b, "customerId", false, &customer)) ||
        (rc = get_text(b, "partnerOfRecord", false, &seller)) ||
        (rc = get_text(b, "supportContact", false, &support)) ||
        (rc = get_created(b, m->now, &created)) ||
        (rc = customer_in_uri(b, from_uri, sizeof(from_uri))))
        return rc;
    if (!customer && !from_uri[0])
        return tg__err(TG_EINVAL, "import: %s: its customer is not named (\"customerId\", or "
                                  "\"links.self.uri\" /customers/<id>/subscriptions/...)", b->where);
    return put_subscription(m, b, id, customer ? customer : from_uri, offer, quantity, pid, seller,
                            support, status, created);
}

/* An Order: each line item becomes an active subscription of the order's customer,
 * sold by its partner of record; "partnerIdOnRecord" attributes a reseller. */
static int map_order(mapping *m, const body *b)
{
    const char *customer;
    int64_t created;
    int rc;
    if ((rc = get_text(b, "referenceCustomerId", true, &customer)) ||
        (rc = get_created(b, m->now, &created)))
        return rc;
    const cJSON *items = member(b->o, "lineItems"), *item;
    if (!cJSON_IsArray(items) || !cJSON_GetArraySize(items))
        return tg__err(TG_EINVAL, "import: %s: \"lineItems\" is missing or empty", b->where);
    int i = 0;
    cJSON_ArrayForEach(item, items)
    {
        body line = {item, ""};
        snprintf(line.where, sizeof(line.where), "%.60s lineItems[%d]", b->where, i++);
        const char *offer, *sid, *pid;
        int quantity;
        if ((rc = get_text(&line, "offerId", true, &offer)) || (rc = get_quantity(&line, &quantity)) ||
            (rc = get_text(&line, "subscriptionId", false, &sid)) ||
            (rc = get_text(&line, "partnerIdOnRecord", false, &pid)))
            return rc;
        char fresh[TG__GUID_LEN + 1];
        if (!sid) tg__guid_generate(fresh); /* a request: the subscription is new */
        rc = put_subscription(m, &line, sid ? sid : fresh, customer, offer, quantity, pid, NULL,
                              NULL, TG_SUB_ACTIVE, created);
        if (rc) return rc;
    }
    return TG_OK;
}

static int map_body(void *ctx, const body *b, const char *type)
{
    mapping *m = ctx;
    if (strcmp(type, "Customer") == 0) return map_customer(m, b);
    if (strcmp(type, "Subscription") == 0) return map_subscription(m, b);
    if (strcmp(type, "Order") == 0) return map_order(m, b);
    return tg__err(TG_EINVAL, "import: %s: a Partner Center %s does not map onto the graph "
                              "(Customer, Order, Subscription, or a Collection of them do)",
                   b->where, type[0] ? type : "body without objectType");
}

int tg__pc_records(tg__changeset *cs, const tg__import *im, const tg__tables *t, int64_t now)
{
    mapping m = {cs, im, t, now, 0};
    return each_body(im->doc, map_body, &m);
}
