/* test_subscription.c - subscriptions of existing customers (DOMAIN.md §5): who may
 * add them, attribution to a reseller by PartnerID, the designated support
 * contact, visibility and status. */
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

#define NO_CUSTOMER "99999999-0000-4000-8000-000000000000"

static const char *roles[] = {"ga", "ua", "aa", "sa", "ha", "ba"};
static const char *partners[] = {"p1", "p2", "r1", "r2", "r3", "d1"};

/* A refusal: the exact code, a message containing `word` (when not NULL), and
 * nothing observable changed (fx_state covers the revision and every list).
 * Everything is freed before an assertion can fail, so a failure leaks nothing. */
#define ASSERT_REFUSED(f, expected, word, call)                                        \
    do {                                                                               \
        char *before_ = fx_state(f);                                                   \
        int rc_ = (call);                                                              \
        char msg_[600];                                                                \
        snprintf(msg_, sizeof(msg_), "%s", tg_error_message());                        \
        char *after_ = fx_state(f);                                                    \
        int same_ = strcmp(before_, after_) == 0;                                      \
        free(before_);                                                                 \
        free(after_);                                                                  \
        if (rc_ != (expected))                                                         \
            fail_msg("%s: rc %d (%s), expected %d", #call, rc_, msg_, (int)(expected)); \
        const char *w_ = (word);                                                       \
        if (w_ && !strstr(msg_, w_)) fail_msg("message '%s' lacks '%s'", msg_, w_);    \
        if (!same_) fail_msg("%s: refused, yet the graph changed", #call);             \
    } while (0)

/* Run an API call that must succeed, showing the library's message otherwise. */
#define ASSERT_OK(call)                                                           \
    do {                                                                          \
        int rc_ = (call);                                                         \
        if (rc_ != TG_OK) fail_msg("%s: rc %d: %s", #call, rc_, tg_error_message()); \
    } while (0)

/* A subscription added by `user`; asserts success; free with tg_free. */
static char *add_sub(fx *f, const char *user, const char *cid, const char *pid,
                     const char *support)
{
    char *id = NULL;
    ASSERT_OK(tg_subscription_add(&id, fx_user(f, user), cid, "offer-m365", 2, pid, support));
    assert_non_null(id);
    return id;
}

/* A subscription's JSON as `user` sees it; asserts it is visible. */
static char *sub_json(fx *f, const char *user, const char *sid)
{
    char *json = NULL;
    ASSERT_OK(tg_subscription_get(&json, fx_user(f, user), sid));
    assert_non_null(json);
    return json;
}

/* Does the subscription's JSON, as P1's Global admin sees it, contain `needle`? */
static int sub_has(fx *f, const char *sid, const char *needle)
{
    char *json = sub_json(f, "ga@p1", sid);
    int found = strstr(json, needle) != NULL;
    tg_free(json);
    return found;
}

static size_t count_subs(fx *f, const char *user, const char *cid)
{
    tg_iter *it = NULL;
    ASSERT_OK(tg_subscriptions(&it, fx_user(f, user), cid));
    return fx_count(it);
}

/* A customer of P1 (for `reseller`, or none) with one subscription; returns a copy. */
static char *customer(fx *f, const char *user, const char *prefix, const char *reseller)
{
    return strdup(fx_customer(f, user, prefix, reseller, 1));
}

/* ------------------------------------------------------------------ */
/* DOMAIN §5 and §2 (add subscriptions / place orders)                 */
/* ------------------------------------------------------------------ */

static void seller_roles_may_add_subscriptions(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "rolesco", R1);
    static const char *ok[] = {"ga@p1", "aa@p1", "sa@p1", "ha@p1", "ba@p1"};
    for (size_t i = 0; i < 5; i++) {
        uint64_t rev = tg_graph_revision(f->g);
        char *id = add_sub(f, ok[i], cid, NULL, NULL);
        assert_int_equal(tg_graph_revision(f->g), rev + 1);
        assert_int_equal(count_subs(f, "ga@p1", cid), i + 2);
        assert_true(sub_has(f, id, "\"partnerOfRecord\":\"" P1 "\""));
        tg_free(id);
    }
    free(cid);
}

static void user_admin_may_not_add_subscriptions(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "uaco", R1);
    char *id = (char *)cid; /* a non-NULL sentinel: *out must become NULL */
    /* The message names the roles that may (and the one the user holds). */
    ASSERT_REFUSED(f, TG_EDENIED, "holds User management admin",
                   tg_subscription_add(&id, fx_user(f, "ua@p1"), cid, "offer-x", 1, NULL, NULL));
    ASSERT_REFUSED(f, TG_EDENIED, "Billing admin",
                   tg_subscription_add(&id, fx_user(f, "ua@p1"), cid, "offer-x", 1, NULL, NULL));
    assert_null(id);
    free(cid);
}

/* Found by fuzz_api: the operator adding a subscription without a support contact
 * crashed (the default contact was read from the operator's partner, which it
 * has not). The operator places no orders. */
static void operator_may_not_add_subscriptions(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "opco", R1);
    char *id = (char *)cid;
    ASSERT_REFUSED(f, TG_EDENIED, "operator",
                   tg_subscription_add(&id, f->op, cid, "offer-x", 1, NULL, NULL));
    assert_null(id);
    ASSERT_REFUSED(f, TG_EDENIED, "operator",
                   tg_subscription_add(&id, f->op, cid, "offer-x", 1, R1_PID, R1));
    free(cid);
}

static void reseller_users_may_not_add_subscriptions_whatever_role(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "resco", R1); /* visible to R1 */
    char user[32];
    for (size_t i = 0; i < 6; i++) {
        snprintf(user, sizeof(user), "%s@r1", roles[i]);
        char *id = NULL;
        ASSERT_REFUSED(f, TG_EDENIED, "indirect reseller",
                       tg_subscription_add(&id, fx_user(f, user), cid, "offer-x", 1, NULL, NULL));
        assert_null(id);
    }
    assert_int_equal(count_subs(f, "ga@p1", cid), 1);
    free(cid);
}

static void other_partners_cannot_see_the_customer_to_order(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "hidden", R1);
    char *id = NULL;
    ASSERT_REFUSED(f, TG_ENOTFOUND, NULL,
                   tg_subscription_add(&id, fx_user(f, "ga@p2"), cid, "offer-x", 1, NULL, NULL));
    assert_null(id);
    ASSERT_REFUSED(f, TG_ENOTFOUND, NULL,
                   tg_subscription_add(&id, fx_user(f, "ga@d1"), cid, "offer-x", 1, NULL, NULL));
    assert_null(id);
    free(cid);
}

static void new_subscription_has_seller_of_record_and_defaults(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "defaults", NULL);
    char *id = add_sub(f, "sa@p1", cid, NULL, NULL);
    char *json = sub_json(f, "ga@p1", id);
    assert_non_null(strstr(json, "\"partnerOfRecord\":\"" P1 "\""));
    assert_non_null(strstr(json, "\"supportContact\":\"" P1 "\""));
    assert_non_null(strstr(json, "\"status\":\"active\""));
    assert_non_null(strstr(json, "\"offerId\":\"offer-m365\""));
    assert_non_null(strstr(json, "\"quantity\":2"));
    assert_non_null(strstr(json, cid));
    assert_null(strstr(json, "\"partnerId\"")); /* no attribution asked */
    tg_free(json);
    tg_iter *it = NULL;
    ASSERT_OK(tg_subscriptions(&it, fx_user(f, "ga@p1"), cid));
    assert_true(fx_has(it, id));
    tg_free(id);
    free(cid);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §5: license count >= 1, an offer, an existing customer       */
/* ------------------------------------------------------------------ */

static void license_count_out_of_range_is_invalid(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "counts", NULL);
    static const int bad[] = {0, -5, 1000001};
    for (size_t i = 0; i < 3; i++) {
        char *id = NULL;
        ASSERT_REFUSED(f, TG_EINVAL, "license count",
                       tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", bad[i], NULL,
                                           NULL));
        assert_null(id);
    }
    /* The bounds themselves are fine. */
    char *id = NULL;
    ASSERT_OK(tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1, NULL, NULL));
    tg_free(id);
    ASSERT_OK(tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1000000, NULL, NULL));
    tg_free(id);
    free(cid);
}

static void bad_offer_is_invalid(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "offers", NULL);
    char longer[200];
    memset(longer, 'o', 129);
    longer[129] = '\0';
    const char *bad[] = {NULL, "", longer, "offer-\xff"};
    for (size_t i = 0; i < 4; i++) {
        char *id = NULL;
        ASSERT_REFUSED(f, TG_EINVAL, "offer",
                       tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, bad[i], 1, NULL, NULL));
        assert_null(id);
    }
    free(cid);
}

static void unknown_customer_is_not_found(void **state)
{
    fx *f = *state;
    char *id = NULL;
    ASSERT_REFUSED(f, TG_ENOTFOUND, NO_CUSTOMER,
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), NO_CUSTOMER, "offer-x", 1, NULL,
                                       NULL));
    assert_null(id);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1 (PartnerID), §3.1 and §5: attribution to a reseller       */
/* ------------------------------------------------------------------ */

static void attribution_partner_id_must_be_numeric(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "numeric", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    char *id = NULL;
    ASSERT_REFUSED(f, TG_EINVAL, "numeric",
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1, "12ab", NULL));
    assert_null(id);
    ASSERT_REFUSED(f, TG_EINVAL, "numeric",
                   tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, "12ab"));
    tg_free(sid);
    free(cid);
}

static void attribution_to_unknown_partner_id_is_not_found(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "unknownpid", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    char *id = NULL;
    ASSERT_REFUSED(f, TG_ENOTFOUND, "9999999",
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1, "9999999",
                                       NULL));
    assert_null(id);
    ASSERT_REFUSED(f, TG_ENOTFOUND, "9999999",
                   tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, "9999999"));
    tg_free(sid);
    free(cid);
}

static void attribution_to_a_non_reseller_is_refused(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "nonreseller", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    /* P1 itself, another provider, a direct-bill partner. */
    static const char *pids[] = {"1000001", "1000002", "3000001"};
    for (size_t i = 0; i < 3; i++) {
        char *id = NULL;
        ASSERT_REFUSED(f, TG_ESTATE, "indirect reseller",
                       tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1, pids[i],
                                           NULL));
        assert_null(id);
        ASSERT_REFUSED(f, TG_ESTATE, "indirect reseller",
                       tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, pids[i]));
    }
    tg_free(sid);
    free(cid);
}

static void attribution_to_an_unpartnered_reseller_is_refused(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "unpartnered", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    char *id = NULL;
    ASSERT_REFUSED(f, TG_ESTATE, "partnership",
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1, R2_PID, NULL));
    assert_null(id);
    ASSERT_REFUSED(f, TG_ESTATE, "partnership",
                   tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, R2_PID));
    tg_free(sid);
    free(cid);
}

static void attribution_needs_a_signed_agreement(void **state)
{
    fx *f = *state;
    /* R3 signs, accepts P1's request, then its agreement is recorded as not signed. */
    ASSERT_OK(tg_partner_set_agreement(f->op, R3, 1));
    tg_invite *inv = NULL;
    ASSERT_OK(tg_invite_create(&inv, fx_user(f, "ga@p1")));
    ASSERT_OK(tg_partnership_accept(fx_user(f, "ga@r3"), tg_invite_link(inv)));
    tg_invite_free(inv);
    ASSERT_OK(tg_partner_set_agreement(f->op, R3, 0));
    tg_iter *it = NULL;
    ASSERT_OK(tg_resellers(&it, fx_user(f, "ga@p1")));
    assert_true(fx_has(it, R3)); /* still partnered: only the agreement is missing */

    char *cid = customer(f, "ga@p1", "agreement", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    char *id = NULL;
    ASSERT_REFUSED(f, TG_ESTATE, "agreement",
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), cid, "offer-x", 1, R3_PID, NULL));
    assert_null(id);
    ASSERT_REFUSED(f, TG_ESTATE, "agreement",
                   tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, R3_PID));
    tg_free(sid);
    free(cid);
}

static void attribution_to_an_active_partner_is_recorded(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "attributed", R1);
    char *id = add_sub(f, "sa@p1", cid, R1_PID, NULL);
    assert_true(sub_has(f, id, "\"partnerId\":\"2000001\""));
    assert_true(sub_has(f, id, "\"partnerOfRecord\":\"" P1 "\""));
    /* The attributed reseller sees it. */
    char *json = sub_json(f, "ga@r1", id);
    assert_non_null(strstr(json, "\"partnerId\":\"2000001\""));
    tg_free(json);
    tg_free(id);
    free(cid);
}

static void reseller_set_later_by_partner_id_and_cleared(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "later", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    assert_false(sub_has(f, sid, "\"partnerId\""));
    uint64_t rev = tg_graph_revision(f->g);
    ASSERT_OK(tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, R1_PID));
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    assert_true(sub_has(f, sid, "\"partnerId\":\"2000001\""));
    ASSERT_OK(tg_subscription_set_reseller(fx_user(f, "ga@p1"), sid, NULL));
    assert_false(sub_has(f, sid, "\"partnerId\""));
    assert_true(sub_has(f, sid, "\"partnerOfRecord\":\"" P1 "\"")); /* unchanged */
    ASSERT_REFUSED(f, TG_ENOTFOUND, NULL,
                   tg_subscription_set_reseller(fx_user(f, "ga@p1"), NO_CUSTOMER, R1_PID));
    tg_free(sid);
    free(cid);
}

static void only_sales_roles_of_partner_of_record_set_the_reseller(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "setres", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    static const char *ok[] = {"ga@p1", "aa@p1", "sa@p1"};
    for (size_t i = 0; i < 3; i++) {
        ASSERT_OK(tg_subscription_set_reseller(fx_user(f, ok[i]), sid, R1_PID));
        assert_true(sub_has(f, sid, "\"partnerId\":\"2000001\""));
        ASSERT_OK(tg_subscription_set_reseller(fx_user(f, ok[i]), sid, NULL));
    }
    static const char *no_role[] = {"ua@p1", "ha@p1", "ba@p1"};
    for (size_t i = 0; i < 3; i++)
        ASSERT_REFUSED(f, TG_EDENIED, "Sales agent",
                       tg_subscription_set_reseller(fx_user(f, no_role[i]), sid, R1_PID));
    /* The reseller itself, even its Global admin, and a partner that cannot see it. */
    ASSERT_REFUSED(f, TG_EDENIED, "indirect reseller",
                   tg_subscription_set_reseller(fx_user(f, "ga@r1"), sid, R1_PID));
    ASSERT_REFUSED(f, TG_ENOTFOUND, NULL,
                   tg_subscription_set_reseller(fx_user(f, "ga@p2"), sid, R1_PID));
    assert_false(sub_has(f, sid, "\"partnerId\""));
    tg_free(sid);
    free(cid);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §5: the designated support contact                           */
/* ------------------------------------------------------------------ */

static void support_contact_may_be_a_reseller_with_delegated_admin(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "support", R1); /* R1 has delegated admin */
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    assert_true(sub_has(f, sid, "\"supportContact\":\"" P1 "\""));
    static const char *ok[] = {"ga@p1", "aa@p1", "ha@p1"};
    for (size_t i = 0; i < 3; i++) {
        uint64_t rev = tg_graph_revision(f->g);
        ASSERT_OK(tg_subscription_set_support(fx_user(f, ok[i]), sid, R1));
        assert_int_equal(tg_graph_revision(f->g), rev + 1);
        assert_true(sub_has(f, sid, "\"supportContact\":\"" R1 "\""));
        /* NULL: back to the partner of record. */
        ASSERT_OK(tg_subscription_set_support(fx_user(f, ok[i]), sid, NULL));
        assert_true(sub_has(f, sid, "\"supportContact\":\"" P1 "\""));
    }
    /* Chosen when adding, too. */
    char *id = add_sub(f, "ga@p1", cid, NULL, R1);
    assert_true(sub_has(f, id, "\"supportContact\":\"" R1 "\""));
    tg_free(id);
    tg_free(sid);
    free(cid);
}

static void support_contact_refuses_reseller_without_delegated_admin(void **state)
{
    fx *f = *state;
    char *with_r1 = customer(f, "ga@p1", "withr1", R1);
    char *plain = customer(f, "ga@p1", "plain", NULL); /* nobody but P1 has delegated admin */
    char *s1 = add_sub(f, "ga@p1", with_r1, NULL, NULL);
    char *s2 = add_sub(f, "ga@p1", plain, NULL, NULL);
    /* R2: no delegated admin, not partnered. */
    ASSERT_REFUSED(f, TG_ESTATE, "delegated admin",
                   tg_subscription_set_support(fx_user(f, "ga@p1"), s1, R2));
    /* R1 over a customer created without a reseller. */
    ASSERT_REFUSED(f, TG_ESTATE, "delegated admin",
                   tg_subscription_set_support(fx_user(f, "ga@p1"), s2, R1));
    /* Not a reseller at all. */
    ASSERT_REFUSED(f, TG_ESTATE, NULL, tg_subscription_set_support(fx_user(f, "ga@p1"), s1, P2));
    char *id = NULL;
    ASSERT_REFUSED(f, TG_ESTATE, "delegated admin",
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), plain, "offer-x", 1, NULL, R1));
    assert_null(id);
    ASSERT_REFUSED(f, TG_ESTATE, NULL,
                   tg_subscription_add(&id, fx_user(f, "ga@p1"), with_r1, "offer-x", 1, NULL, R2));
    assert_null(id);
    assert_true(sub_has(f, s1, "\"supportContact\":\"" P1 "\""));
    assert_true(sub_has(f, s2, "\"supportContact\":\"" P1 "\""));
    tg_free(s1);
    tg_free(s2);
    free(with_r1);
    free(plain);
}

static void support_contact_needs_admin_or_helpdesk_role(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "supportroles", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    static const char *no_role[] = {"sa@p1", "ua@p1", "ba@p1"};
    for (size_t i = 0; i < 3; i++)
        ASSERT_REFUSED(f, TG_EDENIED, "Helpdesk agent",
                       tg_subscription_set_support(fx_user(f, no_role[i]), sid, R1));
    ASSERT_REFUSED(f, TG_EDENIED, "indirect reseller",
                   tg_subscription_set_support(fx_user(f, "ga@r1"), sid, R1));
    assert_true(sub_has(f, sid, "\"supportContact\":\"" P1 "\""));
    tg_free(sid);
    free(cid);
}

/* DOMAIN §2: the optional reseller and support contact of tg_subscription_add are
 * the actions "set the reseller" and "set the support contact" of the matrix. */
/* Adding as `user` with the optional reseller / support must be denied; the id
 * of a wrongly created subscription is freed before failing. */
static void add_denied(fx *f, const char *user, const char *cid, const char *pid,
                       const char *support, const char *word)
{
    char *before = fx_state(f);
    char *id = NULL;
    int rc = tg_subscription_add(&id, fx_user(f, user), cid, "offer-x", 1, pid, support);
    char msg[600];
    snprintf(msg, sizeof(msg), "%s", tg_error_message());
    char *after = fx_state(f);
    int same = strcmp(before, after) == 0, created = id != NULL;
    free(before);
    free(after);
    tg_free(id);
    if (rc != TG_EDENIED)
        fail_msg("%s adding with reseller %s, support %s: rc %d (%s), expected TG_EDENIED", user,
                 pid ? pid : "-", support ? support : "-", rc, rc ? msg : "");
    if (!strstr(msg, word)) fail_msg("message '%s' lacks '%s'", msg, word);
    if (!same || created) fail_msg("%s: refused, yet a subscription was added", user);
}

static void adding_with_reseller_or_support_needs_those_permissions(void **state)
{
    fx *f = *state;
    char cid[64], dc[64];
    snprintf(cid, sizeof(cid), "%s", fx_customer(f, "ga@p1", "backdoor", R1, 1));
    /* "set the reseller on a subscription": GA, AA, SA only. */
    add_denied(f, "ha@p1", cid, R1_PID, NULL, "Sales agent");
    add_denied(f, "ba@p1", cid, R1_PID, NULL, "Sales agent");
    /* "set a subscription's support contact": GA, AA, HA only. */
    add_denied(f, "sa@p1", cid, NULL, R1, "Helpdesk agent");
    add_denied(f, "ba@p1", cid, NULL, R1, "Helpdesk agent");
    /* A direct-bill partner cannot attribute a reseller, whatever its roles. */
    snprintf(dc, sizeof(dc), "%s", fx_customer(f, "ga@d1", "dbackdoor", NULL, 1));
    add_denied(f, "ga@d1", dc, R1_PID, NULL, "direct-bill");
}

/* ------------------------------------------------------------------ */
/* DOMAIN §1: a direct-bill partner sells without resellers            */
/* ------------------------------------------------------------------ */

static void direct_bill_adds_subscriptions_but_attributes_no_reseller(void **state)
{
    fx *f = *state;
    char *cid = strdup(fx_customer(f, "ga@d1", "direct", NULL, 1));
    char *sid = add_sub(f, "ba@d1", cid, NULL, NULL);
    char *json = sub_json(f, "ga@d1", sid);
    assert_non_null(strstr(json, "\"partnerOfRecord\":\"" D1 "\""));
    assert_non_null(strstr(json, "\"supportContact\":\"" D1 "\""));
    tg_free(json);
    assert_int_equal(count_subs(f, "ga@d1", cid), 2);
    ASSERT_REFUSED(f, TG_EDENIED, "direct-bill",
                   tg_subscription_set_reseller(fx_user(f, "ga@d1"), sid, R1_PID));
    tg_free(sid);
    free(cid);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §4 (who sees a customer) and §5, §6: visibility              */
/* ------------------------------------------------------------------ */

static void subscriptions_lists_what_the_session_may_see(void **state)
{
    fx *f = *state;
    char *shared = customer(f, "ga@p1", "shared", R1);
    char *own = customer(f, "ga@p1", "own", NULL);
    char *extra = add_sub(f, "ga@p1", shared, NULL, NULL);
    tg_free(add_sub(f, "ga@p1", own, NULL, NULL));
    /* The provider sees all its subscriptions of both customers. */
    assert_int_equal(count_subs(f, "ga@p1", shared), 2);
    assert_int_equal(count_subs(f, "ha@p1", own), 2);
    /* The associated reseller sees the provider's subscriptions of its customer. */
    tg_iter *it = NULL;
    ASSERT_OK(tg_subscriptions(&it, fx_user(f, "aa@r1"), shared));
    assert_int_equal(tg_iter_count(it), 2);
    assert_true(fx_has(it, extra));
    /* Unrelated partners, and R1 for the customer it is not associated with. */
    static const char *strangers[] = {"ga@p2", "ga@r2", "ga@r3", "ga@d1"};
    for (size_t i = 0; i < 4; i++) {
        it = (tg_iter *)f; /* sentinel: *out must become NULL */
        assert_int_equal(tg_subscriptions(&it, fx_user(f, strangers[i]), shared), TG_ENOTFOUND);
        assert_null(it);
    }
    it = NULL;
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@r1"), own), TG_ENOTFOUND);
    assert_null(it);
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@p1"), NO_CUSTOMER), TG_ENOTFOUND);
    tg_free(extra);
    free(shared);
    free(own);
}

static void invisible_subscription_is_not_found(void **state)
{
    fx *f = *state;
    char *own = customer(f, "ga@p1", "invisible", NULL);
    char *sid = add_sub(f, "ga@p1", own, NULL, NULL);
    static const char *strangers[] = {"ga@p2", "ga@r1", "ga@r2", "ga@d1"};
    for (size_t i = 0; i < 4; i++) {
        char *json = (char *)f;
        assert_int_equal(tg_subscription_get(&json, fx_user(f, strangers[i]), sid), TG_ENOTFOUND);
        assert_null(json);
        /* Refused the same way as a subscription that does not exist. */
        assert_int_equal(tg_subscription_get(&json, fx_user(f, strangers[i]), NO_CUSTOMER),
                         TG_ENOTFOUND);
    }
    tg_free(sid);
    free(own);
}

static void check_view_subscription_agrees_with_get_for_every_user(void **state)
{
    fx *f = *state;
    char *shared = customer(f, "ga@p1", "agreeshared", R1);
    char *own = customer(f, "ga@p1", "agreeown", NULL);
    char *direct = strdup(fx_customer(f, "ga@d1", "agreedirect", NULL, 0));
    char *subs[4];
    subs[0] = add_sub(f, "ga@p1", shared, NULL, NULL);
    subs[1] = add_sub(f, "ga@p1", own, NULL, NULL);
    subs[2] = add_sub(f, "ga@d1", direct, NULL, NULL);
    subs[3] = add_sub(f, "ga@p1", shared, NULL, R1); /* R1 is its support contact */
    /* Who should see each: P1 its own; R1 those of its customer; D1 its own. */
    static const char *seen_by[4][2] = {{"p1", "r1"}, {"p1", NULL}, {"d1", NULL}, {"p1", "r1"}};
    char user[32];
    for (size_t p = 0; p < 6; p++) {
        for (size_t r = 0; r < 6; r++) {
            snprintf(user, sizeof(user), "%s@%s", roles[r], partners[p]);
            tg_session *s = fx_user(f, user);
            for (size_t i = 0; i < 4; i++) {
                int expected = TG_ENOTFOUND;
                for (size_t k = 0; k < 2; k++)
                    if (seen_by[i][k] && strcmp(seen_by[i][k], partners[p]) == 0) expected = TG_OK;
                int checked = tg_check(s, TG_ACT_VIEW_SUBSCRIPTION, subs[i]);
                char *json = NULL;
                int got = tg_subscription_get(&json, s, subs[i]);
                tg_free(json);
                if (checked != got || got != expected)
                    fail_msg("%s, subscription %zu: tg_check %d, tg_subscription_get %d, "
                             "expected %d", user, i, checked, got, expected);
            }
        }
    }
    for (size_t i = 0; i < 4; i++) tg_free(subs[i]);
    free(shared);
    free(own);
    free(direct);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §5: status                                                   */
/* ------------------------------------------------------------------ */

static void partner_of_record_changes_status(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "status", R1);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    uint64_t rev = tg_graph_revision(f->g);
    ASSERT_OK(tg_subscription_set_status(fx_user(f, "ga@p1"), sid, TG_SUB_SUSPENDED));
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    assert_true(sub_has(f, sid, "\"status\":\"suspended\""));
    ASSERT_OK(tg_subscription_set_status(fx_user(f, "sa@p1"), sid, TG_SUB_DELETED));
    assert_true(sub_has(f, sid, "\"status\":\"deleted\""));
    ASSERT_OK(tg_subscription_set_status(fx_user(f, "ga@p1"), sid, TG_SUB_ACTIVE));
    assert_true(sub_has(f, sid, "\"status\":\"active\""));
    tg_free(sid);
    free(cid);
}

static void unknown_status_is_invalid(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "badstatus", NULL);
    char *sid = add_sub(f, "ga@p1", cid, NULL, NULL);
    static const int bad[] = {0, 4, -1};
    for (size_t i = 0; i < 3; i++)
        ASSERT_REFUSED(f, TG_EINVAL, "status",
                       tg_subscription_set_status(fx_user(f, "ga@p1"), sid,
                                                  (tg_subscription_status)bad[i]));
    assert_true(sub_has(f, sid, "\"status\":\"active\""));
    tg_free(sid);
    free(cid);
}

static void reseller_cannot_change_status(void **state)
{
    fx *f = *state;
    char *cid = customer(f, "ga@p1", "resstatus", R1);
    char *sid = add_sub(f, "ga@p1", cid, R1_PID, R1); /* R1 attributed and support contact */
    ASSERT_REFUSED(f, TG_EDENIED, "indirect reseller",
                   tg_subscription_set_status(fx_user(f, "ga@r1"), sid, TG_SUB_SUSPENDED));
    ASSERT_REFUSED(f, TG_EDENIED, "Global admin",
                   tg_subscription_set_status(fx_user(f, "ua@p1"), sid, TG_SUB_SUSPENDED));
    ASSERT_REFUSED(f, TG_ENOTFOUND, NULL,
                   tg_subscription_set_status(fx_user(f, "ga@p2"), sid, TG_SUB_SUSPENDED));
    assert_true(sub_has(f, sid, "\"status\":\"active\""));
    tg_free(sid);
    free(cid);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(seller_roles_may_add_subscriptions),
        T(user_admin_may_not_add_subscriptions),
        T(operator_may_not_add_subscriptions),
        T(reseller_users_may_not_add_subscriptions_whatever_role),
        T(other_partners_cannot_see_the_customer_to_order),
        T(new_subscription_has_seller_of_record_and_defaults),
        T(license_count_out_of_range_is_invalid),
        T(bad_offer_is_invalid),
        T(unknown_customer_is_not_found),
        T(attribution_partner_id_must_be_numeric),
        T(attribution_to_unknown_partner_id_is_not_found),
        T(attribution_to_a_non_reseller_is_refused),
        T(attribution_to_an_unpartnered_reseller_is_refused),
        T(attribution_needs_a_signed_agreement),
        T(attribution_to_an_active_partner_is_recorded),
        T(reseller_set_later_by_partner_id_and_cleared),
        T(only_sales_roles_of_partner_of_record_set_the_reseller),
        T(support_contact_may_be_a_reseller_with_delegated_admin),
        T(support_contact_refuses_reseller_without_delegated_admin),
        T(support_contact_needs_admin_or_helpdesk_role),
        T(adding_with_reseller_or_support_needs_those_permissions),
        T(direct_bill_adds_subscriptions_but_attributes_no_reseller),
        T(subscriptions_lists_what_the_session_may_see),
        T(invisible_subscription_is_not_found),
        T(check_view_subscription_agrees_with_get_for_every_user),
        T(partner_of_record_changes_status),
        T(unknown_status_is_invalid),
        T(reseller_cannot_change_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
