/* test_enroll.c - the operator's side (DOMAIN.md §1): enrolling partners of each
 * kind and the identifiers' rules, agreements, corporate tenants, the official
 * list of providers and who may read a partner's profile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include <tiergraph.h>

/* New tenants, free in the fixture graph. */
#define NEW_P "40000000-0000-4000-8000-000000000001"
#define NEW_R "40000000-0000-4000-8000-000000000002"
#define NEW_D "40000000-0000-4000-8000-000000000003"
#define NEW_X "40000000-0000-4000-8000-0000000000ff"
#define CORP1 "50000000-0000-4000-8000-000000000001"
#define CORP2 "50000000-0000-4000-8000-000000000002"

static size_t count_kind(fx *f, tg_partner_kind kind)
{
    tg_iter *it;
    assert_int_equal(tg_partners(&it, f->op, kind), TG_OK);
    return fx_count(it);
}

/* The JSON profile of a partner as the operator sees it (caller frees). */
static char *profile(fx *f, tg_session *s, const char *tenant)
{
    char *json = NULL;
    assert_int_equal(tg_partner_get(&json, s ? s : f->op, tenant), TG_OK);
    assert_non_null(json);
    return json;
}

static void assert_json_has(const char *json, const char *needle)
{
    if (!strstr(json, needle)) fail_msg("'%s' not in %s", needle, json);
}

/* Enrolling is refused with `code`, the message mentions `word` (unless NULL),
 * nothing is written and no partner list changes. */
static void refused_enroll(fx *f, tg_session *s, tg_partner_kind kind, const char *tenant,
                           const char *pid, const char *domain, const char *country, int code,
                           const char *word)
{
    size_t np = count_kind(f, TG_PARTNER_INDIRECT_PROVIDER);
    size_t nr = count_kind(f, TG_PARTNER_INDIRECT_RESELLER);
    size_t nd = count_kind(f, TG_PARTNER_DIRECT_BILL);
    REFUSED(f, tg_partner_enroll(s, kind, tenant, pid, "Refused Ltd", domain, country), code);
    if (word && !strstr(tg_error_message(), word))
        fail_msg("enrol (%s, %s, %s, %s): message '%s' does not mention '%s'", tenant, pid, domain,
                 country, tg_error_message(), word);
    assert_int_equal(count_kind(f, TG_PARTNER_INDIRECT_PROVIDER), np);
    assert_int_equal(count_kind(f, TG_PARTNER_INDIRECT_RESELLER), nr);
    assert_int_equal(count_kind(f, TG_PARTNER_DIRECT_BILL), nd);
    char *json = NULL;
    if (tenant && strlen(tenant) == 36 && tg_partner_get(&json, f->op, tenant) == TG_OK)
        assert_null(strstr(json, "Refused Ltd")); /* an existing partner was not replaced */
    tg_free(json);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1: enrolment of each kind                                   */
/* ------------------------------------------------------------------ */

static void enroll_each_kind(void **state)
{
    fx *f = *state;
    static const struct {
        tg_partner_kind kind;
        const char *tenant, *pid, *domain, *kind_text;
    } cases[] = {
        {TG_PARTNER_INDIRECT_PROVIDER, NEW_P, "4847383", "newp.example", "\"kind\":\"indirectProvider\""},
        {TG_PARTNER_INDIRECT_RESELLER, NEW_R, "5123456", "newr.example", "\"kind\":\"indirectReseller\""},
        {TG_PARTNER_DIRECT_BILL, NEW_D, "6123456", "newd.example", "\"kind\":\"directBill\""},
    };
    for (size_t i = 0; i < 3; i++) {
        uint64_t rev = tg_graph_revision(f->g);
        size_t before = count_kind(f, cases[i].kind);
        assert_int_equal(tg_partner_enroll(f->op, cases[i].kind, cases[i].tenant, cases[i].pid,
                                           "New Partner", cases[i].domain, "gb"),
                         TG_OK);
        assert_int_equal(tg_graph_revision(f->g), rev + 1);
        assert_int_equal(count_kind(f, cases[i].kind), before + 1);
        tg_iter *it;
        assert_int_equal(tg_partners(&it, f->op, cases[i].kind), TG_OK);
        assert_true(fx_has(it, cases[i].tenant));
        char *json = profile(f, NULL, cases[i].tenant);
        assert_json_has(json, cases[i].kind_text);
        char want[64];
        snprintf(want, sizeof(want), "\"partnerId\":\"%s\"", cases[i].pid);
        assert_json_has(json, want);
        snprintf(want, sizeof(want), "\"mpnId\":\"%s\"", cases[i].pid);
        assert_json_has(json, want);
        snprintf(want, sizeof(want), "\"domain\":\"%s\"", cases[i].domain);
        assert_json_has(json, want);
        assert_json_has(json, "\"country\":\"GB\"");
        assert_json_has(json, "\"agreementSigned\":false");
        tg_free(json);
    }
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

static void enroll_refuses_non_guid_tenant(void **state)
{
    fx *f = *state;
    static const char *bad[] = {
        "not-a-guid",
        "40000000-0000-4000-8000-00000000000",   /* 35 characters */
        "40000000-0000-4000-8000-0000000000011", /* 37 characters */
        "4000000000004000800000000000000000001", /* no dashes */
        "g0000000-0000-4000-8000-000000000001",  /* not hex */
        "40000000_0000_4000_8000_000000000001",
        "{40000000-0000-4000-8000-000000000001}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, bad[i], "7000001", "guid.example",
                       "US", TG_EINVAL, "GUID");
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, "", "7000001", "guid.example", "US",
                   TG_EINVAL, "tenant");
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, NULL, "7000001", "guid.example", "US",
                   TG_EINVAL, "tenant");
}

static void enroll_refuses_non_numeric_partner_id(void **state)
{
    fx *f = *state;
    /* 1 and 10 digits are the bounds that pass */
    assert_int_equal(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_P, "1234567890",
                                       "Reseller", "newp.example", "US"),
                     TG_OK);
    assert_int_equal(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_D, "7",
                                       "Reseller", "newd.example", "US"),
                     TG_OK);
    /* "" is not numeric either: DOMAIN §1 "Non-numeric is rejected (must be numeric)" */
    static const char *bad[] = {"12a4", "12345678901", " 123", "-123", "1.5",
                                "\xef\xbc\x91\xef\xbc\x92", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_R, bad[i], "newr.example",
                       "US", TG_EINVAL, "numeric");
}

static void enroll_refuses_bad_country(void **state)
{
    fx *f = *state;
    static const char *bad[] = {"USA", "1A", "U", "U1", "\xc3\xa9\xc3\xa9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused_enroll(f, f->op, TG_PARTNER_DIRECT_BILL, NEW_D, "7000001", "newd.example", bad[i],
                       TG_EINVAL, "country");
    refused_enroll(f, f->op, TG_PARTNER_DIRECT_BILL, NEW_D, "7000001", "newd.example", "",
                   TG_EINVAL, "country");
    /* two letters in any case pass, stored upper-case */
    assert_int_equal(tg_partner_enroll(f->op, TG_PARTNER_DIRECT_BILL, NEW_D, "7000001", "D",
                                       "newd.example", "fr"),
                     TG_OK);
    char *json = profile(f, NULL, NEW_D);
    assert_json_has(json, "\"country\":\"FR\"");
    tg_free(json);
}

static void enroll_refuses_bad_domain(void **state)
{
    fx *f = *state;
    static const char *bad[] = {"nodot", "-bad.example", "bad-.example", "bad_domain.example",
                                "a..b", ".example", "example.", "with space.example"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused_enroll(f, f->op, TG_PARTNER_INDIRECT_PROVIDER, NEW_P, "7000001", bad[i], "US",
                       TG_EINVAL, "domain");
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_PROVIDER, NEW_P, "7000001", "", "US", TG_EINVAL,
                   "domain");
}

static void enroll_refuses_duplicates(void **state)
{
    fx *f = *state;
    /* the tenant of an enrolled partner */
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, R1, "7000001", "dup.example", "US",
                   TG_EEXISTS, R1);
    /* the PartnerID of an enrolled partner */
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_R, R2_PID, "dup.example", "US",
                   TG_EEXISTS, R2_PID);
    /* the domain of an enrolled partner, in any case */
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_R, "7000001", "p1.example", "US",
                   TG_EEXISTS, "p1.example");
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_R, "7000001", "P1.Example", "US",
                   TG_EEXISTS, "p1.example");
    /* a customer's tenant */
    char cust[64];
    snprintf(cust, sizeof(cust), "%s", fx_customer(f, "ga@p1", "dupcust", NULL, 0));
    refused_enroll(f, f->op, TG_PARTNER_INDIRECT_RESELLER, cust, "7000001", "dup.example", "US",
                   TG_EEXISTS, cust);
    /* the free combination passes */
    assert_int_equal(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_R, "7000001",
                                       "Dup", "dup.example", "US"),
                     TG_OK);
}

static void enroll_by_partner_user_denied(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ga@p1", "ua@p1", "ga@r1", "ga@d1"};
    for (size_t i = 0; i < 4; i++)
        refused_enroll(f, fx_user(f, users[i]), TG_PARTNER_INDIRECT_RESELLER, NEW_R, "7000001",
                       "newr.example", "US", TG_EDENIED, "operator");
}

static void enroll_refuses_unknown_kind(void **state)
{
    fx *f = *state;
    refused_enroll(f, f->op, (tg_partner_kind)0, NEW_X, "7000001", "x.example", "US", TG_EINVAL,
                   "kind");
    refused_enroll(f, f->op, (tg_partner_kind)4, NEW_X, "7000001", "x.example", "US", TG_EINVAL,
                   "kind");
    refused_enroll(f, f->op, (tg_partner_kind)-1, NEW_X, "7000001", "x.example", "US", TG_EINVAL,
                   "kind");
    char *json = NULL;
    assert_int_equal(tg_partner_get(&json, f->op, NEW_X), TG_ENOTFOUND);
    assert_null(json);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1, §3.1: the signed partner agreement                        */
/* ------------------------------------------------------------------ */

static void agreement_recorded_by_operator(void **state)
{
    fx *f = *state;
    char *json = profile(f, NULL, R3);
    assert_json_has(json, "\"agreementSigned\":false");
    tg_free(json);
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_partner_set_agreement(f->op, R3, 1), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    json = profile(f, NULL, R3);
    assert_json_has(json, "\"agreementSigned\":true");
    tg_free(json);
    /* the recorded agreement lets R3 authorize a provider */
    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p2")), TG_OK);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r3"), tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    /* and it can be withdrawn */
    assert_int_equal(tg_partner_set_agreement(f->op, R3, 0), TG_OK);
    json = profile(f, NULL, R3);
    assert_json_has(json, "\"agreementSigned\":false");
    tg_free(json);
}

static void agreement_refusals(void **state)
{
    fx *f = *state;
    REFUSED(f, tg_partner_set_agreement(fx_user(f, "ga@r3"), R3, 1), TG_EDENIED);
    MSG_HAS("operator");
    REFUSED(f, tg_partner_set_agreement(fx_user(f, "ga@p1"), R3, 1), TG_EDENIED);
    REFUSED(f, tg_partner_set_agreement(f->op, NEW_X, 1), TG_ENOTFOUND);
    REFUSED(f, tg_partner_set_agreement(f->op, "not-a-guid", 1), TG_EINVAL);
    REFUSED(f, tg_partner_set_agreement(f->op, NULL, 1), TG_EINVAL);
    char *json = profile(f, NULL, R3);
    assert_json_has(json, "\"agreementSigned\":false");
    tg_free(json);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1: corporate tenants (one CSP tenant, other corporate ones)  */
/* ------------------------------------------------------------------ */

static void add_tenant_adds_corporate_tenant(void **state)
{
    fx *f = *state;
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_partner_add_tenant(f->op, P1, CORP1), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    char *json = profile(f, NULL, P1);
    assert_json_has(json, "\"tenants\":[\"" CORP1 "\"]");
    /* the CSP tenant stays the one it was enrolled with */
    assert_json_has(json, "\"tenantId\":\"" P1 "\"");
    tg_free(json);
    assert_int_equal(tg_partner_add_tenant(f->op, P1, CORP2), TG_OK);
    json = profile(f, fx_user(f, "ga@p1"), P1);
    assert_json_has(json, CORP1);
    assert_json_has(json, CORP2);
    tg_free(json);
    /* a corporate tenant is not a partner of its own */
    tg_iter *it;
    assert_int_equal(tg_partners(&it, f->op, TG_PARTNER_INDIRECT_PROVIDER), TG_OK);
    assert_int_equal(fx_count(it), 2);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

static void add_tenant_refuses_tenant_in_use(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_partner_add_tenant(f->op, P1, CORP1), TG_OK);
    char cust[64];
    snprintf(cust, sizeof(cust), "%s", fx_customer(f, "ga@p1", "corpcust", NULL, 0));
    const struct {
        const char *partner, *tenant;
    } used[] = {
        {P1, P1},    /* its own CSP tenant */
        {P1, P2},    /* another partner's CSP tenant */
        {P2, R1},    /* a reseller's CSP tenant */
        {P1, CORP1}, /* already its corporate tenant */
        {P2, CORP1}, /* another partner's corporate tenant */
        {D1, cust},  /* a customer's tenant */
    };
    for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
        REFUSED(f, tg_partner_add_tenant(f->op, used[i].partner, used[i].tenant), TG_EEXISTS);
        MSG_HAS(used[i].tenant);
    }
    char *json = profile(f, NULL, P2);
    assert_json_has(json, "\"tenants\":[]");
    tg_free(json);
    json = profile(f, NULL, P1);
    assert_json_has(json, "\"tenants\":[\"" CORP1 "\"]");
    tg_free(json);
    /* a corporate tenant cannot be enrolled as another partner's CSP tenant either */
    REFUSED(f, tg_partner_enroll(f->op, TG_PARTNER_DIRECT_BILL, CORP1, "7000001", "Corp",
                                 "corp.example", "US"),
            TG_EEXISTS);
}

static void add_tenant_refusals(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ga@p1", "ua@p1", "ga@r1"};
    for (size_t i = 0; i < 3; i++) {
        REFUSED(f, tg_partner_add_tenant(fx_user(f, users[i]), P1, CORP1), TG_EDENIED);
        MSG_HAS("operator");
    }
    REFUSED(f, tg_partner_add_tenant(f->op, NEW_X, CORP1), TG_ENOTFOUND);
    REFUSED(f, tg_partner_add_tenant(f->op, P1, "corp"), TG_EINVAL);
    REFUSED(f, tg_partner_add_tenant(f->op, "p1", CORP1), TG_EINVAL);
    char *json = profile(f, NULL, P1);
    assert_json_has(json, "\"tenants\":[]");
    tg_free(json);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1: the lists of partners (the official list of providers)    */
/* ------------------------------------------------------------------ */

static void partners_operator_lists_each_kind(void **state)
{
    fx *f = *state;
    tg_iter *it;
    assert_int_equal(tg_partners(&it, f->op, TG_PARTNER_INDIRECT_PROVIDER), TG_OK);
    assert_int_equal(tg_iter_count(it), 2);
    assert_true(fx_has(it, P1));
    assert_int_equal(tg_partners(&it, f->op, TG_PARTNER_INDIRECT_PROVIDER), TG_OK);
    assert_true(fx_has(it, P2));
    static const char *resellers[] = {R1, R2, R3};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(tg_partners(&it, f->op, TG_PARTNER_INDIRECT_RESELLER), TG_OK);
        assert_int_equal(tg_iter_count(it), 3);
        assert_true(fx_has(it, resellers[i]));
    }
    assert_int_equal(tg_partners(&it, f->op, TG_PARTNER_DIRECT_BILL), TG_OK);
    assert_int_equal(tg_iter_count(it), 1);
    assert_true(fx_has(it, D1));
    assert_int_equal(tg_partners(&it, f->op, TG_PARTNER_INDIRECT_RESELLER), TG_OK);
    assert_false(fx_has(it, P1));
    it = (tg_iter *)0x1;
    assert_int_equal(tg_partners(&it, f->op, (tg_partner_kind)7), TG_EINVAL);
    assert_null(it);
}

static void partners_users_see_only_the_provider_list(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ga@r3", "ba@r1", "ha@p1", "sa@d1"};
    for (size_t i = 0; i < 4; i++) {
        tg_session *s = fx_user(f, users[i]);
        tg_iter *it;
        assert_int_equal(tg_partners(&it, s, TG_PARTNER_INDIRECT_PROVIDER), TG_OK);
        assert_int_equal(tg_iter_count(it), 2);
        assert_true(fx_has(it, P2));
        it = (tg_iter *)0x1;
        assert_int_equal(tg_partners(&it, s, TG_PARTNER_INDIRECT_RESELLER), TG_EDENIED);
        assert_null(it);
        MSG_HAS("indirect providers");
        it = (tg_iter *)0x1;
        assert_int_equal(tg_partners(&it, s, TG_PARTNER_DIRECT_BILL), TG_EDENIED);
        assert_null(it);
    }
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1, §4 "nobody else learns it exists": partner profiles       */
/* ------------------------------------------------------------------ */

static void partner_get_visibility(void **state)
{
    fx *f = *state;
    char *json;
    /* the operator sees every partner */
    static const char *all[] = {P1, P2, R1, R2, R3, D1};
    for (size_t i = 0; i < 6; i++) tg_free(profile(f, NULL, all[i]));
    /* own users see their partner, whatever their role */
    tg_free(profile(f, fx_user(f, "ba@r2"), R2));
    tg_free(profile(f, fx_user(f, "ha@d1"), D1));
    /* a partnered reseller sees its provider; the provider sees its reseller */
    json = profile(f, fx_user(f, "ga@r1"), P1);
    assert_json_has(json, "\"tenantId\":\"" P1 "\"");
    tg_free(json);
    json = profile(f, fx_user(f, "sa@p1"), R1);
    assert_json_has(json, "\"partnerId\":\"" R1_PID "\"");
    tg_free(json);
    /* providers are public: the official list */
    tg_free(profile(f, fx_user(f, "ga@r3"), P2));
    tg_free(profile(f, fx_user(f, "ga@d1"), P1));
    /* an unrelated partner learns nothing about a reseller or a direct-bill partner */
    const struct {
        const char *user, *tenant;
    } hidden[] = {
        {"ga@r2", R1}, {"ga@r1", R2}, {"ga@p2", R1}, {"ga@d1", R1}, {"ga@r1", D1}, {"ga@p1", D1},
    };
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
        json = (char *)0x1;
        assert_int_equal(tg_partner_get(&json, fx_user(f, hidden[i].user), hidden[i].tenant),
                         TG_ENOTFOUND);
        assert_null(json);
    }
    /* the answer for a hidden partner is the answer for an absent one */
    json = (char *)0x1;
    assert_int_equal(tg_partner_get(&json, f->op, NEW_X), TG_ENOTFOUND);
    assert_null(json);
    assert_int_equal(tg_partner_get(&json, f->op, "nope"), TG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(enroll_each_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_refuses_non_guid_tenant, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_refuses_non_numeric_partner_id, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_refuses_bad_country, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_refuses_bad_domain, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_refuses_duplicates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_by_partner_user_denied, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(enroll_refuses_unknown_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(agreement_recorded_by_operator, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(agreement_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(add_tenant_adds_corporate_tenant, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(add_tenant_refuses_tenant_in_use, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(add_tenant_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(partners_operator_lists_each_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(partners_users_see_only_the_provider_list, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(partner_get_visibility, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
