/* test_json.c - Partner Center REST shapes (DOMAIN.md §4, §5; fixtures/partner-center/):
 * tg_customer_get and tg_subscription_get answer in camelCase, with the keys and
 * types of Partner Center's own responses, and nothing for what the session may
 * not see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "fixture.h"
#include <tiergraph.h>

#define GHOST "99999999-9999-4999-8999-999999999999"

static cJSON *get_customer(tg_session *s, const char *id)
{
    char *json = NULL;
    if (tg_customer_get(&json, s, id) != TG_OK) fail_msg("customer get: %s", tg_error_message());
    cJSON *o = cJSON_Parse(json);
    if (!o) fail_msg("not JSON: %s", json);
    tg_free(json);
    return o;
}

static cJSON *get_subscription(tg_session *s, const char *id)
{
    char *json = NULL;
    if (tg_subscription_get(&json, s, id) != TG_OK)
        fail_msg("subscription get: %s", tg_error_message());
    cJSON *o = cJSON_Parse(json);
    if (!o) fail_msg("not JSON: %s", json);
    tg_free(json);
    return o;
}

typedef struct made {
    char id[64], pw[64], subs[2][64];
} made;

/* A customer with the fixture's details for `prefix`, keeping its receipt. */
static void make(fx *f, const char *user, const char *prefix, const char *reseller, int nsubs,
                 made *m)
{
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, user)), TG_OK);
    fx_fill_draft(d, prefix);
    if (reseller) assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, reseller), TG_OK);
    for (int i = 0; i < nsubs; i++)
        assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 7 + i), TG_OK);
    if (tg_draft_submit(&r, d) != TG_OK) fail_msg("submit: %s", tg_error_message());
    snprintf(m->id, sizeof(m->id), "%s", tg_receipt_customer_id(r));
    snprintf(m->pw, sizeof(m->pw), "%s", tg_receipt_password(r));
    for (int i = 0; i < nsubs; i++)
        snprintf(m->subs[i], sizeof(m->subs[i]), "%s", tg_receipt_subscription_id(r, (size_t)i));
    tg_receipt_free(r);
    tg_draft_free(d);
}

/* ---- DOMAIN §4: a customer as Partner Center returns it ---- */

/* The keys of create-a-customer-for-an-indirect-reseller.response.json that
 * describe the customer, with their JSON type (s string, o object). Left out:
 * transport and concurrency details (links, etags, commerceId, billingProfile.id),
 * the request-only allowDelegatedAccess, and userCredentials, which carries the
 * password shown once at creation and must never be read back. */
static const struct {
    const char *path;
    char type;
} customer_keys[] = {
    {"id", 's'},
    {"companyProfile", 'o'},
    {"companyProfile.tenantId", 's'},
    {"companyProfile.domain", 's'},
    {"companyProfile.companyName", 's'},
    {"companyProfile.attributes.objectType", 's'},
    {"billingProfile", 'o'},
    {"billingProfile.email", 's'},
    {"billingProfile.culture", 's'},
    {"billingProfile.language", 's'},
    {"billingProfile.companyName", 's'},
    {"billingProfile.defaultAddress", 'o'},
    {"billingProfile.defaultAddress.country", 's'},
    {"billingProfile.defaultAddress.city", 's'},
    {"billingProfile.defaultAddress.state", 's'},
    {"billingProfile.defaultAddress.addressLine1", 's'},
    {"billingProfile.defaultAddress.postalCode", 's'},
    {"billingProfile.defaultAddress.firstName", 's'},
    {"billingProfile.defaultAddress.lastName", 's'},
    {"billingProfile.defaultAddress.phoneNumber", 's'},
    {"billingProfile.attributes.objectType", 's'},
    {"relationshipToPartner", 's'},
    {"associatedPartnerId", 's'},
    {"attributes", 'o'},
    {"attributes.objectType", 's'},
};

static void customer_json_has_partner_center_keys(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "wingtip", R1, 0, &m);
    cJSON *o = get_customer(fx_user(f, "ga@p1"), m.id);
    for (size_t i = 0; i < sizeof(customer_keys) / sizeof(customer_keys[0]); i++) {
        const cJSON *v = fx_json_at(o, customer_keys[i].path);
        int ok = customer_keys[i].type == 's' ? cJSON_IsString(v) : cJSON_IsObject(v);
        if (!ok) fail_msg("\"%s\" is missing or of the wrong type", customer_keys[i].path);
    }
    /* camelCase, as Partner Center responds; not the PascalCase of its requests */
    assert_null(fx_json_at(o, "Id"));
    assert_null(fx_json_at(o, "CompanyProfile"));
    assert_null(fx_json_at(o, "AssociatedPartnerId"));
    cJSON_Delete(o);
}

static void customer_json_carries_the_details(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "wingtip", R1, 0, &m);
    cJSON *o = get_customer(fx_user(f, "ga@p1"), m.id);
    assert_string_equal(fx_json_str(o, "id"), m.id);
    assert_string_equal(fx_json_str(o, "companyProfile.tenantId"), m.id);
    assert_string_equal(fx_json_str(o, "companyProfile.domain"), "wingtip.onmicrosoft.com");
    assert_string_equal(fx_json_str(o, "companyProfile.companyName"), "Company wingtip");
    assert_string_equal(fx_json_str(o, "billingProfile.email"), "billing@customer.example");
    assert_string_equal(fx_json_str(o, "billingProfile.culture"), "en-US");
    assert_string_equal(fx_json_str(o, "billingProfile.language"), "en");
    assert_string_equal(fx_json_str(o, "billingProfile.companyName"), "Company wingtip");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.country"), "US");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.city"), "Redmond");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.state"), "WA");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.addressLine1"), "1 Main Street");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.postalCode"), "98052");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.firstName"), "Gena");
    assert_string_equal(fx_json_str(o, "billingProfile.defaultAddress.lastName"), "Soto");
    assert_string_equal(fx_json_str(o, "associatedPartnerId"), R1);
    assert_string_equal(fx_json_str(o, "relationshipToPartner"), "reseller");
    assert_string_equal(fx_json_str(o, "attributes.objectType"), "Customer");
    assert_string_equal(fx_json_str(o, "companyProfile.attributes.objectType"), "CustomerCompanyProfile");
    assert_string_equal(fx_json_str(o, "billingProfile.attributes.objectType"), "CustomerBillingProfile");
    cJSON_Delete(o);
    /* the reseller reads the same customer */
    o = get_customer(fx_user(f, "sa@r1"), m.id);
    assert_string_equal(fx_json_str(o, "id"), m.id);
    assert_string_equal(fx_json_str(o, "associatedPartnerId"), R1);
    cJSON_Delete(o);
}

static void customer_json_without_reseller_has_no_associated_partner(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@d1", "direct", NULL, 0, &m);
    cJSON *o = get_customer(fx_user(f, "ga@d1"), m.id);
    assert_null(fx_json_at(o, "associatedPartnerId"));
    assert_string_not_equal(fx_json_str(o, "relationshipToPartner"), "reseller");
    assert_string_equal(fx_json_str(o, "attributes.objectType"), "Customer");
    cJSON_Delete(o);
    /* ending an association removes the key */
    make(f, "ga@p1", "ended", R1, 0, &m);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), m.id, NULL), TG_OK);
    o = get_customer(fx_user(f, "ga@p1"), m.id);
    assert_null(fx_json_at(o, "associatedPartnerId"));
    cJSON_Delete(o);
}

/* DOMAIN §4.5: the credentials are shown once and can never be read again. */
static void customer_json_never_shows_the_password(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "secret", R1, 0, &m);
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), m.id), TG_OK);
    assert_null(strstr(json, m.pw));
    assert_null(strstr(json, "argon2"));
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    assert_null(fx_json_at(o, "userCredentials"));
    assert_null(fx_json_at(o, "password"));
    cJSON_Delete(o);
    tg_free(json);
}

static void customer_get_of_invisible_id_is_not_found(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "hidden", R1, 0, &m);
    static const char *others[] = {"ga@p2", "ga@r2", "ga@r3", "ga@d1"};
    for (int i = 0; i < 4; i++) {
        char *json = (char *)1;
        assert_int_equal(tg_customer_get(&json, fx_user(f, others[i]), m.id), TG_ENOTFOUND);
        assert_null(json);
    }
    char *json = (char *)1;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), GHOST), TG_ENOTFOUND);
    assert_null(json);
    json = (char *)1;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), NULL), TG_EINVAL);
    assert_null(json);
}

/* ---- DOMAIN §5: a subscription as Partner Center returns it ---- */

/* The keys of get-all-subscriptions-by-partner.response.json's items that the
 * model has (s string, n number). */
static const struct {
    const char *path;
    char type;
} subscription_keys[] = {
    {"id", 's'},       {"offerId", 's'},      {"quantity", 'n'},      {"unitType", 's'},
    {"creationDate", 's'}, {"status", 's'},   {"billingType", 's'},   {"partnerId", 's'},
    {"attributes.objectType", 's'},
};

static void subscription_json_has_partner_center_shape(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "subs", R1, 2, &m);
    cJSON *o = get_subscription(fx_user(f, "ga@p1"), m.subs[1]);
    for (size_t i = 0; i < sizeof(subscription_keys) / sizeof(subscription_keys[0]); i++) {
        const cJSON *v = fx_json_at(o, subscription_keys[i].path);
        int ok = subscription_keys[i].type == 's' ? cJSON_IsString(v) : cJSON_IsNumber(v);
        if (!ok) fail_msg("\"%s\" is missing or of the wrong type", subscription_keys[i].path);
    }
    assert_string_equal(fx_json_str(o, "id"), m.subs[1]);
    assert_string_equal(fx_json_str(o, "offerId"), "offer-e3");
    assert_int_equal(fx_json_at(o, "quantity")->valueint, 8);
    assert_true(fx_json_at(o, "quantity")->valuedouble == 8.0);
    assert_string_equal(fx_json_str(o, "status"), "active");
    assert_string_equal(fx_json_str(o, "partnerId"), R1_PID); /* the reseller's PartnerID */
    assert_string_equal(fx_json_str(o, "attributes.objectType"), "Subscription");
    cJSON_Delete(o);
    /* the reseller reads the same subscription */
    o = get_subscription(fx_user(f, "ga@r1"), m.subs[0]);
    assert_string_equal(fx_json_str(o, "id"), m.subs[0]);
    assert_int_equal(fx_json_at(o, "quantity")->valueint, 7);
    cJSON_Delete(o);
}

static void subscription_json_without_attribution_has_no_partner_id(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "plain", NULL, 1, &m);
    cJSON *o = get_subscription(fx_user(f, "ga@p1"), m.subs[0]);
    assert_null(fx_json_at(o, "partnerId"));
    assert_string_equal(fx_json_str(o, "attributes.objectType"), "Subscription");
    cJSON_Delete(o);
    /* attributed later, by PartnerID */
    assert_int_equal(tg_subscription_set_reseller(fx_user(f, "ga@p1"), m.subs[0], R1_PID), TG_OK);
    o = get_subscription(fx_user(f, "ga@p1"), m.subs[0]);
    assert_string_equal(fx_json_str(o, "partnerId"), R1_PID);
    cJSON_Delete(o);
}

static void subscription_json_status_follows_the_subscription(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "status", R1, 1, &m);
    tg_session *ga = fx_user(f, "ga@p1");
    static const struct {
        tg_subscription_status status;
        const char *text;
    } cases[] = {{TG_SUB_SUSPENDED, "suspended"}, {TG_SUB_ACTIVE, "active"},
                 {TG_SUB_DELETED, "deleted"}};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(tg_subscription_set_status(ga, m.subs[0], cases[i].status), TG_OK);
        cJSON *o = get_subscription(ga, m.subs[0]);
        assert_string_equal(fx_json_str(o, "status"), cases[i].text);
        cJSON_Delete(o);
    }
}

static void subscription_get_of_invisible_id_is_not_found(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "hiddensub", R1, 1, &m);
    static const char *others[] = {"ga@p2", "ga@r2", "ga@r3", "ga@d1"};
    for (int i = 0; i < 4; i++) {
        char *json = (char *)1;
        assert_int_equal(tg_subscription_get(&json, fx_user(f, others[i]), m.subs[0]),
                         TG_ENOTFOUND);
        assert_null(json);
    }
    char *json = (char *)1;
    assert_int_equal(tg_subscription_get(&json, fx_user(f, "ga@p1"), GHOST), TG_ENOTFOUND);
    assert_null(json);
    json = (char *)1;
    assert_int_equal(tg_subscription_get(&json, fx_user(f, "ga@p1"), ""), TG_EINVAL);
    assert_null(json);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(customer_json_has_partner_center_keys),
        T(customer_json_carries_the_details),
        T(customer_json_without_reseller_has_no_associated_partner),
        T(customer_json_never_shows_the_password),
        T(customer_get_of_invisible_id_is_not_found),
        T(subscription_json_has_partner_center_shape),
        T(subscription_json_without_attribution_has_no_partner_id),
        T(subscription_json_status_follows_the_subscription),
        T(subscription_get_of_invisible_id_is_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
