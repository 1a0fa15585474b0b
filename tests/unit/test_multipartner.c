/* test_multipartner.c - working with more than one partner (DOMAIN.md §6): a
 * partner's relationship request to an existing customer and its acceptance,
 * who then sees what, subscriptions bought elsewhere and the partner hired for
 * them, switching partners after the term, and the three forms of the resale ban. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "customer_fx.h"
#include <tiergraph.h>

#define DAY 86400
#define CORP_P2 "10000000-0000-4000-8000-0000000000c2" /* a corporate tenant of P2 */
#define CORP_R1 "20000000-0000-4000-8000-0000000000c1" /* a corporate tenant of R1 */
#define CORP_R2 "20000000-0000-4000-8000-0000000000c2" /* a corporate tenant of R2 */
#define NOBODY "90000000-0000-4000-8000-000000000009"  /* no customer */

static void set_clock(fx *f, int64_t t)
{
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, t), TG_OK);
}

static tg_invite *request(fx *f, const char *user, const char *customer)
{
    tg_invite *inv = NULL;
    int rc = tg_relationship_request(&inv, fx_user(f, user), customer);
    if (rc) fail_msg("request by %s: %s", user, tg_error_message());
    return inv;
}

/* `partner_user`'s partner asks, the customer's admin session accepts. */
static void relate(fx *f, tg_session *customer_admin, const char *partner_user, const char *customer)
{
    tg_invite *inv = request(f, partner_user, customer);
    int rc = tg_relationship_accept(customer_admin, tg_invite_link(inv));
    if (rc) fail_msg("accept: %s", tg_error_message());
    tg_invite_free(inv);
}

/* A signed-in user of customer `c` without the Global admin role. */
static tg_session *plain_user(fx *f, tg_session *admin, const cust *c)
{
    char name[128];
    tg_session *s = NULL;
    snprintf(name, sizeof(name), "ann@%s", strchr(c->admin, '@') + 1);
    assert_int_equal(tg_customer_user_add(admin, name, "Initial-Pass1", 0), TG_OK);
    assert_int_equal(tg_customer_change_password(f->g, name, "Initial-Pass1", "Anns-0wn-pass"), TG_OK);
    assert_int_equal(tg_session_customer(&s, f->g, name, "Anns-0wn-pass"), TG_OK);
    return s;
}

static char *json_of_sub(tg_session *s, const char *id)
{
    char *json = NULL;
    if (tg_subscription_get(&json, s, id) != TG_OK) fail_msg("get %s: %s", id, tg_error_message());
    return json;
}

static int sub_json_has(tg_session *s, const char *id, const char *needle)
{
    char *json = json_of_sub(s, id);
    int has = strstr(json, needle) != NULL;
    tg_free(json);
    return has;
}

/* A customer made on an existing tenant, with its admin credentials. */
static int make_on_tenant(fx *f, cust *c, const char *user, const char *prefix, const char *tenant)
{
    tg_draft *d;
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, user)), TG_OK);
    fx_fill_draft(d, prefix);
    assert_int_equal(tg_draft_set(d, TG_FIELD_TENANT, tenant), TG_OK);
    assert_string_equal(tg_draft_get(d, TG_FIELD_TENANT), tenant);
    int rc = tg_draft_submit(&r, d);
    if (rc == TG_OK) {
        snprintf(c->id, sizeof(c->id), "%s", tg_receipt_customer_id(r));
        snprintf(c->admin, sizeof(c->admin), "%s", tg_receipt_admin_user(r));
        snprintf(c->password, sizeof(c->password), "%s", tg_receipt_password(r));
        c->sub[0] = '\0';
    } else {
        assert_null(r);
    }
    tg_receipt_free(r);
    tg_draft_free(d);
    return rc;
}

/* ---- what a partner lists (DOMAIN §4, §6) ---- */

/* A partner's list of those it administers holding a customer its list of those
 * it sells does not, in the middle, after more customers than the list's inline
 * set holds: P1 sells 300, works with one of P2's (it was accepted: delegated
 * admin), sells 300 more. P1 names each once: those it sells in order, then P2's. */
static void a_long_list_with_a_customer_only_administered_names_each_once(void **state)
{
    fx *f = *state;
    enum { N = 600 };
    static cust mine[N];
    cust theirs;
    char prefix[32];
    for (int i = 0; i < N; i++) {
        if (i == N / 2) {
            cust_make(f, &theirs, "ga@p2", "theirs", NULL, 0);
            tg_session *cs = cust_sign_in(f, &theirs);
            relate(f, cs, "ga@p1", theirs.id);
            tg_session_close(cs);
        }
        snprintf(prefix, sizeof(prefix), "mine%d", i);
        cust_make(f, &mine[i], "ga@p1", prefix, NULL, 0);
    }
    tg_iter *it = NULL;
    const char *id;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), NULL), TG_OK);
    assert_int_equal(tg_iter_count(it), N + 1);
    for (int i = 0; i < N; i++) {
        assert_int_equal(tg_iter_next(it, &id), TG_OK);
        assert_string_equal(id, mine[i].id);
    }
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    assert_string_equal(id, theirs.id);
    assert_int_equal(tg_iter_next(it, &id), TG_ITEROVER);
    tg_iter_free(it);
}

/* ---- DOMAIN §6 multi-partner: the request and its acceptance ---- */

static void accepting_changes_no_subscription_nor_ownership(void **state)
{
    fx *f = *state;
    set_clock(f, T0);
    cust c;
    cust_make(f, &c, "ga@p1", "multi", R1, 2);
    tg_session *cs = cust_sign_in(f, &c);
    tg_session *p1 = fx_user(f, "ga@p1"), *p2 = fx_user(f, "ga@p2"), *r1 = fx_user(f, "ga@r1");
    tg_iter *it = NULL;
    const char *id;
    char first[64], second[64];
    assert_int_equal(tg_subscriptions(&it, p1, c.id), TG_OK);
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    snprintf(first, sizeof(first), "%s", id);
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    snprintf(second, sizeof(second), "%s", id);
    tg_iter_free(it);
    const char *p1_subs[] = {first, second};
    char *before[2] = {json_of_sub(p1, first), json_of_sub(p1, second)};

    tg_invite *inv = request(f, "ga@p2", c.id);
    assert_non_null(strstr(tg_invite_link(inv), "partner=" P2));
    assert_non_null(strstr(tg_invite_link(inv), "token="));
    assert_non_null(strstr(tg_invite_email(inv), tg_invite_link(inv)));
    assert_int_equal(tg_invite_expires(inv), T0 + 7 * DAY);
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, p2, c.id), TG_ENOTFOUND); /* not yet */
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_relationship_accept(cs, tg_invite_link(inv)), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    tg_invite_free(inv);

    /* the new partner sees the customer, and none of the subscriptions of another */
    assert_int_equal(tg_customer_get(&json, p2, c.id), TG_OK);
    tg_free(json);
    assert_int_equal(tg_customers(&it, p2, NULL), TG_OK);
    assert_true(fx_has(it, c.id));
    assert_true(lists_exactly(p2, c.id, NULL, 0));
    /* nothing existing changed: subscriptions, their partner of record, the seller */
    for (int i = 0; i < 2; i++) {
        char *after = json_of_sub(p1, p1_subs[i]);
        assert_string_equal(after, before[i]);
        tg_free(after);
        tg_free(before[i]);
    }
    assert_int_equal(tg_customer_get(&json, p1, c.id), TG_OK);
    assert_non_null(strstr(json, "\"partnerIdOnRecord\":\"1000001\""));
    assert_non_null(strstr(json, "\"associatedPartnerId\":\"" R1 "\""));
    tg_free(json);

    /* the new partner sells to it: partner of record of its own subscriptions only */
    assert_int_equal(tg_check(p2, TG_ACT_ORDER_PLACE, c.id), TG_OK);
    assert_int_equal(tg_check(fx_user(f, "ga@d1"), TG_ACT_ORDER_PLACE, c.id), TG_ENOTFOUND);
    char *azure = NULL;
    assert_int_equal(tg_subscription_add(&azure, p2, c.id, "offer-azure", 1, NULL, NULL), TG_OK);
    assert_true(sub_json_has(p2, azure, "\"partnerOfRecord\":\"" P2 "\""));
    const char *p2_subs[] = {azure};
    assert_true(lists_exactly(p2, c.id, p2_subs, 1));
    assert_true(lists_exactly(p1, c.id, p1_subs, 2));
    assert_true(lists_exactly(r1, c.id, p1_subs, 2)); /* what its provider sells */
    const char *all[] = {first, second, azure};
    assert_true(lists_exactly(cs, c.id, all, 3));
    assert_int_equal(tg_subscription_set_status(p2, first, TG_SUB_SUSPENDED), TG_ENOTFOUND);
    assert_int_equal(tg_subscription_set_status(p1, azure, TG_SUB_SUSPENDED), TG_ENOTFOUND);
    tg_free(azure);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_session_close(cs);
}

static void relationships_listed_for_customer_and_partner(void **state)
{
    fx *f = *state;
    cust c;
    cust_make(f, &c, "ga@p1", "listed", R1, 0);
    tg_session *cs = cust_sign_in(f, &c);
    relate(f, cs, "ga@d1", c.id);
    tg_iter *it = NULL;
    assert_int_equal(tg_relationships(&it, cs), TG_OK);
    assert_int_equal(tg_iter_count(it), 3);
    assert_true(fx_has(it, D1));
    assert_int_equal(tg_relationships(&it, cs), TG_OK);
    assert_true(fx_has(it, P1));
    assert_int_equal(tg_relationships(&it, cs), TG_OK);
    assert_true(fx_has(it, R1));
    static const char *const related[] = {"ga@p1", "ga@r1", "ga@d1"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(tg_relationships(&it, fx_user(f, related[i])), TG_OK);
        assert_true(fx_has(it, c.id));
    }
    assert_int_equal(tg_relationships(&it, fx_user(f, "ga@p2")), TG_OK);
    assert_int_equal(fx_count(it), 0);
    assert_int_equal(tg_relationships(&it, fx_user(f, "ha@d1")), TG_EDENIED);
    assert_null(it);
    tg_session_close(cs);
}

static void request_refusals(void **state)
{
    fx *f = *state;
    cust c;
    cust_make(f, &c, "ga@p1", "asked", NULL, 0);
    tg_invite *inv = (tg_invite *)&inv;
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ga@r1"), c.id), TG_EDENIED);
    MSG_HAS("indirect reseller");
    assert_null(inv);
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ha@p2"), c.id), TG_EDENIED);
    MSG_HAS("Sales agent");
    REFUSED(f, tg_relationship_request(&inv, f->op, c.id), TG_EDENIED);
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ga@p2"), "not-a-guid"), TG_EINVAL);
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ga@p2"), NULL), TG_EINVAL);
    REFUSED(f, tg_relationship_request(NULL, fx_user(f, "ga@p2"), c.id), TG_EINVAL);
    /* its own seller of record already works with it */
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ga@p1"), c.id), TG_EEXISTS);
    assert_int_equal(tg_check(fx_user(f, "ga@p1"), TG_ACT_RELATIONSHIP_REQUEST, c.id), TG_EEXISTS);
    assert_int_equal(tg_check(fx_user(f, "sa@p2"), TG_ACT_RELATIONSHIP_REQUEST, c.id), TG_OK);
    /* Sales agents of providers and direct-bill partners may */
    tg_invite_free(request(f, "sa@p2", c.id));
    tg_invite_free(request(f, "aa@d1", c.id));
    /* a request to no customer is made like any other: the partner learns nothing;
     * no customer can accept it */
    tg_invite *lost = request(f, "ga@p2", NOBODY);
    tg_session *cs = cust_sign_in(f, &c);
    REFUSED(f, tg_relationship_accept(cs, tg_invite_link(lost)), TG_EDENIED);
    MSG_HAS("another customer");
    tg_invite_free(lost);
    tg_session_close(cs);
}

/* Found by test_isolation: tg_check and tg_explain of accepting a request, given
 * any tenant, told a customer's admin that a partner it has no relationship with
 * exists, its kind, and a reseller's name. A partner it neither works with nor
 * holds an open request from now reads like a tenant that does not exist. */
static void accept_check_learns_nothing_of_strangers(void **state)
{
    fx *f = *state;
    set_clock(f, T0);
    cust c;
    cust_make(f, &c, "ga@p1", "curious", NULL, 0);
    tg_session *cs = cust_sign_in(f, &c);
    const char *strangers[] = {R2, D1, P2};
    for (size_t i = 0; i < sizeof(strangers) / sizeof(strangers[0]); i++) {
        char *why = NULL, expected[128];
        assert_int_equal(tg_explain(&why, cs, TG_ACT_RELATIONSHIP_ACCEPT, strangers[i]), TG_ENOTFOUND);
        snprintf(expected, sizeof(expected), "no partner with tenant '%s'", strangers[i]);
        assert_string_equal(why, expected);
        tg_free(why);
    }
    assert_int_equal(tg_check(cs, TG_ACT_RELATIONSHIP_ACCEPT, NOBODY), TG_ENOTFOUND);
    /* its seller it knows; a partner whose open request it holds, too */
    assert_int_equal(tg_check(cs, TG_ACT_RELATIONSHIP_ACCEPT, P1), TG_EEXISTS);
    tg_invite *inv = request(f, "ga@p2", c.id);
    assert_int_equal(tg_check(cs, TG_ACT_RELATIONSHIP_ACCEPT, P2), TG_OK);
    set_clock(f, T0 + 8 * DAY); /* expired: a stranger again */
    assert_int_equal(tg_check(cs, TG_ACT_RELATIONSHIP_ACCEPT, P2), TG_ENOTFOUND);
    tg_invite_free(inv);
    inv = request(f, "ga@p2", c.id);
    assert_int_equal(tg_relationship_accept(cs, tg_invite_link(inv)), TG_OK);
    assert_int_equal(tg_check(cs, TG_ACT_RELATIONSHIP_ACCEPT, P2), TG_EEXISTS);
    tg_invite_free(inv);
    tg_session_close(cs);
}

static void accept_refusals_leave_the_request_usable(void **state)
{
    fx *f = *state;
    set_clock(f, T0);
    cust c, other;
    cust_make(f, &c, "ga@p1", "accepting", NULL, 0);
    cust_make(f, &other, "ga@p1", "wrongone", NULL, 0);
    tg_session *cs = cust_sign_in(f, &c), *os = cust_sign_in(f, &other);
    tg_session *ann = plain_user(f, cs, &c);
    tg_invite *inv = request(f, "ga@p2", c.id);
    const char *link = tg_invite_link(inv);

    REFUSED(f, tg_relationship_accept(ann, link), TG_EDENIED);
    MSG_HAS("Global admin");
    REFUSED(f, tg_relationship_accept(os, link), TG_EDENIED);
    MSG_HAS("another customer");
    REFUSED(f, tg_relationship_accept(fx_user(f, "ga@r1"), link), TG_EDENIED);
    MSG_HAS("customer's Global admin");
    REFUSED(f, tg_relationship_accept(f->op, link), TG_EDENIED);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r2"), link), TG_ENOTFOUND);
    REFUSED(f, tg_relationship_accept(cs, "nonsense"), TG_EINVAL);
    REFUSED(f, tg_relationship_accept(cs, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), TG_ENOTFOUND);
    /* a partnership request is not a relationship request */
    tg_invite *partnership = NULL;
    assert_int_equal(tg_invite_create(&partnership, fx_user(f, "ga@p1")), TG_OK);
    REFUSED(f, tg_relationship_accept(cs, tg_invite_link(partnership)), TG_ENOTFOUND);
    tg_invite_free(partnership);

    /* none of that used it up */
    assert_int_equal(tg_relationship_accept(cs, link), TG_OK);
    REFUSED(f, tg_relationship_accept(cs, link), TG_ESTATE);
    MSG_HAS("already been used");
    /* working together already: a new request, or a second one accepted */
    REFUSED(f, tg_relationship_request(&partnership, fx_user(f, "ga@p2"), c.id), TG_EEXISTS);
    tg_invite *a = request(f, "ga@d1", c.id), *b = request(f, "ga@d1", c.id);
    assert_int_equal(tg_relationship_accept(cs, tg_invite_link(a)), TG_OK);
    REFUSED(f, tg_relationship_accept(cs, tg_invite_link(b)), TG_EEXISTS);

    /* expiry: from the exact second on */
    tg_invite *late = request(f, "ga@p2", other.id);
    set_clock(f, T0 + 7 * DAY);
    REFUSED(f, tg_relationship_accept(os, tg_invite_link(late)), TG_EEXPIRED);
    set_clock(f, T0 + 7 * DAY - 1);
    assert_int_equal(tg_relationship_accept(os, tg_invite_link(late)), TG_OK);
    tg_invite_free(late);
    tg_invite_free(a);
    tg_invite_free(b);
    tg_invite_free(inv);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_session_close(ann);
    tg_session_close(cs);
    tg_session_close(os);
}

static void relationship_survives_reload_and_only_its_hash_is_stored(void **state)
{
    fx *f = *state;
    cust c;
    cust_make(f, &c, "ga@p1", "kept", NULL, 0);
    tg_session *cs = cust_sign_in(f, &c);
    tg_invite *inv = request(f, "ga@p2", c.id);
    const char *token = strstr(tg_invite_link(inv), "token=") + 6;
    char *dump = fx_store_dump(f);
    assert_null(strstr(dump, token));
    char addressed[128];
    snprintf(addressed, sizeof(addressed), "\"customer\":\"%s\"", c.id);
    assert_non_null(strstr(dump, addressed)); /* the request, addressed to the customer */
    free(dump);
    assert_int_equal(tg_relationship_accept(cs, tg_invite_link(inv)), TG_OK);
    tg_session_close(cs);

    tg_graph *g = fx_reload(f);
    tg_session *p2 = NULL, *rs = NULL;
    assert_int_equal(tg_session_user(&p2, g, "ga@p2"), TG_OK);
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, p2, c.id), TG_OK);
    tg_free(json);
    char *id = NULL;
    assert_int_equal(tg_subscription_add(&id, p2, c.id, "offer-azure", 1, NULL, NULL), TG_OK);
    tg_free(id);
    assert_int_equal(tg_session_customer(&rs, g, c.admin, NEW_PASSWORD), TG_OK);
    tg_iter *it = NULL;
    assert_int_equal(tg_relationships(&it, rs), TG_OK);
    assert_true(fx_has(it, P2));
    assert_int_equal(tg_relationship_accept(rs, tg_invite_link(inv)), TG_ESTATE);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_invite_free(inv);
    tg_session_close(rs);
    tg_session_close(p2);
    tg_graph_close(g);
}

static void customer_with_other_partners_is_not_removed(void **state)
{
    fx *f = *state;
    cust c;
    cust_make(f, &c, "ga@p1", "stays", NULL, 0);
    tg_session *cs = cust_sign_in(f, &c);
    relate(f, cs, "ga@p2", c.id);
    REFUSED(f, tg_customer_remove(fx_user(f, "ga@p1"), c.id), TG_ESTATE);
    MSG_HAS("multi-partner");
    tg_session_close(cs);
}

/* ---- DOMAIN §6 multichannel ---- */

static void subscription_bought_elsewhere_and_the_partner_hired(void **state)
{
    fx *f = *state;
    set_clock(f, T0);
    cust c, other;
    cust_make(f, &c, "ga@p1", "channels", NULL, 1);
    cust_make(f, &other, "ga@p1", "notmine", NULL, 1);
    tg_session *cs = cust_sign_in(f, &c);
    tg_session *ann = plain_user(f, cs, &c);
    tg_session *p1 = fx_user(f, "ga@p1"), *p2 = fx_user(f, "ga@p2");
    relate(f, cs, "ga@p2", c.id);

    char *ea = (char *)&ea;
    REFUSED(f, tg_subscription_record(&ea, cs, (tg_channel)0, "offer-ea", 10, 0), TG_EINVAL);
    assert_null(ea);
    REFUSED(f, tg_subscription_record(&ea, cs, (tg_channel)6, "offer-ea", 10, 0), TG_EINVAL);
    REFUSED(f, tg_subscription_record(&ea, cs, TG_CHANNEL_EA, "offer-ea", 0, 0), TG_EINVAL);
    REFUSED(f, tg_subscription_record(&ea, cs, TG_CHANNEL_EA, "offer-ea", 10, -1), TG_EINVAL);
    REFUSED(f, tg_subscription_record(&ea, cs, TG_CHANNEL_EA, NULL, 10, 0), TG_EINVAL);
    REFUSED(f, tg_subscription_record(&ea, p1, TG_CHANNEL_EA, "offer-ea", 10, 0), TG_EDENIED);
    MSG_HAS("customer's Global admin");
    REFUSED(f, tg_subscription_record(&ea, ann, TG_CHANNEL_EA, "offer-ea", 10, 0), TG_EDENIED);
    assert_int_equal(tg_subscription_record(&ea, cs, TG_CHANNEL_EA, "offer-ea", 10, T0 + 365 * DAY),
                     TG_OK);
    char *open = NULL;
    assert_int_equal(tg_subscription_record(&open, cs, TG_CHANNEL_OPEN, "offer-open", 3, 0), TG_OK);
    /* bought elsewhere: no partner of record, no support contact, no partner sees it */
    assert_false(sub_json_has(cs, ea, "partnerOfRecord"));
    assert_false(sub_json_has(cs, ea, "supportContact"));
    const char *csp[] = {c.sub};
    assert_true(lists_exactly(p1, c.id, csp, 1));
    assert_true(lists_exactly(p2, c.id, NULL, 0));
    const char *all[] = {c.sub, ea, open};
    assert_true(lists_exactly(cs, c.id, all, 3));

    /* hiring: only a partner it works with, only for what it bought elsewhere */
    REFUSED(f, tg_subscription_hire(cs, ea, D1), TG_ESTATE);
    MSG_HAS("works with");
    REFUSED(f, tg_subscription_hire(cs, ea, NOBODY), TG_ESTATE);
    MSG_HAS("works with");
    REFUSED(f, tg_subscription_hire(cs, c.sub, P2), TG_ESTATE);
    MSG_HAS("bought through CSP");
    assert_int_equal(tg_check(cs, TG_ACT_SUBSCRIPTION_HIRE, c.sub), TG_ESTATE);
    REFUSED(f, tg_subscription_hire(ann, ea, P2), TG_EDENIED);
    REFUSED(f, tg_subscription_hire(p2, ea, P2), TG_EDENIED);
    REFUSED(f, tg_subscription_hire(cs, other.sub, P2), TG_ENOTFOUND);
    assert_int_equal(tg_subscription_hire(cs, ea, P2), TG_OK);
    /* the hired partner supports it, and is not its partner of record */
    assert_true(sub_json_has(cs, ea, "\"supportContact\":\"" P2 "\""));
    assert_false(sub_json_has(cs, ea, "partnerOfRecord"));
    const char *hired[] = {ea};
    assert_true(lists_exactly(p2, c.id, hired, 1));
    assert_true(lists_exactly(p1, c.id, csp, 1));
    REFUSED(f, tg_subscription_set_support(p2, ea, NULL), TG_EDENIED);
    MSG_HAS("partner of record");
    REFUSED(f, tg_subscription_set_status(p2, ea, TG_SUB_SUSPENDED), TG_EDENIED);
    /* another partner it works with instead, then nobody */
    assert_int_equal(tg_subscription_hire(cs, ea, P1), TG_OK);
    assert_true(lists_exactly(p2, c.id, NULL, 0));
    const char *p1_now[] = {c.sub, ea};
    assert_true(lists_exactly(p1, c.id, p1_now, 2));
    assert_int_equal(tg_subscription_hire(cs, ea, NULL), TG_OK);
    assert_true(lists_exactly(p1, c.id, csp, 1));
    assert_int_equal(tg_graph_verify(f->g), TG_OK);

    /* the record survives a reload as it was */
    assert_int_equal(tg_subscription_hire(cs, open, P2), TG_OK);
    tg_graph *g = fx_reload(f);
    tg_session *rp2 = NULL;
    assert_int_equal(tg_session_user(&rp2, g, "ga@p2"), TG_OK);
    const char *open_only[] = {open};
    assert_true(lists_exactly(rp2, c.id, open_only, 1));
    tg_session_close(rp2);
    tg_graph_close(g);
    tg_free(ea);
    tg_free(open);
    tg_session_close(ann);
    tg_session_close(cs);
}

static void license_based_subscription_moves_only_after_its_term(void **state)
{
    fx *f = *state;
    set_clock(f, T0);
    cust c;
    cust_make(f, &c, "ga@p1", "moving", NULL, 1);
    tg_session *cs = cust_sign_in(f, &c);
    tg_session *ann = plain_user(f, cs, &c);
    tg_session *p1 = fx_user(f, "ga@p1"), *p2 = fx_user(f, "ga@p2");
    relate(f, cs, "ga@p2", c.id);

    /* A one-year term from 2023-11-14: 2024 has 29 February, so 365 days are not enough. */
    set_clock(f, T0 + 365 * DAY);
    assert_int_equal(tg_check(cs, TG_ACT_SUBSCRIPTION_MOVE, c.sub), TG_ESTATE);
    REFUSED(f, tg_subscription_move(cs, c.sub, P2), TG_ESTATE);
    MSG_HAS("before its term ends");
    MSG_HAS("2024-11-14 22:13 UTC");
    set_clock(f, T0 + 366 * DAY);
    assert_int_equal(tg_check(cs, TG_ACT_SUBSCRIPTION_MOVE, c.sub), TG_OK);
    REFUSED(f, tg_subscription_move(cs, c.sub, D1), TG_ESTATE); /* no relationship */
    MSG_HAS("works with");
    REFUSED(f, tg_subscription_move(cs, c.sub, R1), TG_ESTATE);
    REFUSED(f, tg_subscription_move(cs, c.sub, P1), TG_ESTATE); /* already */
    MSG_HAS("already the partner of record");
    REFUSED(f, tg_subscription_move(ann, c.sub, P2), TG_EDENIED);
    REFUSED(f, tg_subscription_move(p2, c.sub, P2), TG_EDENIED);
    REFUSED(f, tg_subscription_move(cs, NOBODY, P2), TG_ENOTFOUND);
    REFUSED(f, tg_subscription_move(cs, c.sub, NULL), TG_EINVAL);
    assert_int_equal(tg_subscription_move(cs, c.sub, P2), TG_OK);
    assert_true(sub_json_has(cs, c.sub, "\"partnerOfRecord\":\"" P2 "\""));
    assert_true(sub_json_has(cs, c.sub, "\"supportContact\":\"" P2 "\""));
    const char *moved[] = {c.sub};
    assert_true(lists_exactly(p2, c.id, moved, 1));
    assert_true(lists_exactly(p1, c.id, NULL, 0));
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, p1, c.id), TG_OK); /* the account stays P1's */
    assert_non_null(strstr(json, "\"partnerIdOnRecord\":\"1000001\""));
    tg_free(json);
    /* with the new partner, a new term */
    REFUSED(f, tg_subscription_move(cs, c.sub, P1), TG_ESTATE);

    /* bought elsewhere: with a term not yet ended, refused; without a term, it moves */
    int64_t now = T0 + 366 * DAY;
    char *ea = NULL, *open = NULL;
    assert_int_equal(tg_subscription_record(&ea, cs, TG_CHANNEL_EA, "offer-ea", 5, now + 100), TG_OK);
    assert_int_equal(tg_subscription_record(&open, cs, TG_CHANNEL_DIRECT, "offer-x", 5, 0), TG_OK);
    REFUSED(f, tg_subscription_move(cs, ea, P1), TG_ESTATE);
    assert_int_equal(tg_subscription_move(cs, open, P1), TG_OK);
    assert_true(sub_json_has(cs, open, "\"partnerOfRecord\":\"" P1 "\""));
    tg_free(ea);
    tg_free(open);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_session_close(ann);
    tg_session_close(cs);
}

/* ---- DOMAIN §6 the resale ban ---- */

/* "A CSP partner cannot resell online services to another CSP partner's CSP tenant." */
static void resale_ban_csp_tenant_of_a_partner(void **state)
{
    fx *f = *state;
    static const char *const csp_tenants[] = {P2, R2, D1, P1};
    for (size_t i = 0; i < 4; i++) {
        tg_draft *d;
        tg_problems *p = NULL;
        tg_receipt *r = NULL;
        assert_int_equal(tg_draft_new(&d, fx_user(f, "ga@p1")), TG_OK);
        fx_fill_draft(d, "banned");
        assert_int_equal(tg_draft_set(d, TG_FIELD_TENANT, csp_tenants[i]), TG_OK);
        REFUSED(f, tg_draft_review(&p, d), TG_ESTATE);
        MSG_HAS("resale ban");
        MSG_HAS("CSP tenant");
        assert_null(p);
        REFUSED(f, tg_draft_submit(&r, d), TG_ESTATE);
        assert_null(r);
        tg_draft_free(d);
    }
    tg_invite *inv = NULL;
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ga@p1"), P2), TG_ESTATE);
    MSG_HAS("resale ban");
    assert_int_equal(tg_check(fx_user(f, "ga@p1"), TG_ACT_RELATIONSHIP_REQUEST, P2), TG_ESTATE);
}

/* "A partner's non-CSP corporate tenant can buy from another CSP partner." */
static void resale_ban_spares_corporate_tenants(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_partner_add_tenant(f->op, P2, CORP_P2), TG_OK);
    cust c;
    assert_int_equal(make_on_tenant(f, &c, "ga@p1", "corpbuys", CORP_P2), TG_OK);
    assert_string_equal(c.id, CORP_P2);
    char *id = NULL;
    assert_int_equal(tg_subscription_add(&id, fx_user(f, "ga@p1"), c.id, "offer-e3", 5, NULL, NULL),
                     TG_OK);
    tg_free(id);
    tg_session *cs = cust_sign_in(f, &c);
    relate(f, cs, "ga@d1", c.id);
    /* the tenant, now a customer, cannot be a customer twice */
    tg_draft *d;
    tg_problems *p = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, "ga@d1")), TG_OK);
    fx_fill_draft(d, "twice");
    assert_int_equal(tg_draft_set(d, TG_FIELD_TENANT, CORP_P2), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_EINVAL);
    assert_int_equal(tg_problems_field(p, 0), TG_FIELD_TENANT);
    assert_non_null(strstr(tg_problems_message(p, 0), "relationship request"));
    tg_problems_free(p);
    assert_int_equal(tg_draft_set(d, TG_FIELD_TENANT, "not-a-guid"), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_EINVAL);
    assert_int_equal(tg_problems_field(p, 0), TG_FIELD_TENANT);
    tg_problems_free(p);
    assert_int_equal(tg_draft_set(d, (tg_field)(TG_FIELD_TENANT + 1), "x"), TG_EINVAL);
    tg_draft_free(d);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_session_close(cs);
}

/* "A reseller cannot become an end customer of its own provider." */
static void resale_ban_reseller_and_its_own_provider(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_partner_add_tenant(f->op, R1, CORP_R1), TG_OK);
    cust c;
    /* P1 is R1's provider: refused, whichever tenant of R1 */
    REFUSED(f, make_on_tenant(f, &c, "ga@p1", "ownres", CORP_R1), TG_ESTATE);
    MSG_HAS("resale ban");
    MSG_HAS("own provider");
    /* P2 is not: allowed */
    assert_int_equal(make_on_tenant(f, &c, "ga@p2", "ownres", CORP_R1), TG_OK);
    /* P1 may not join as a second partner either */
    tg_invite *inv = NULL;
    REFUSED(f, tg_relationship_request(&inv, fx_user(f, "ga@p1"), c.id), TG_ESTATE);
    MSG_HAS("own provider");
    /* and R1 may not make P2 its provider while it buys from P2 */
    tg_invite *partnership = NULL;
    assert_int_equal(tg_invite_create(&partnership, fx_user(f, "ga@p2")), TG_OK);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r1"), tg_invite_link(partnership)), TG_ESTATE);
    MSG_HAS("own provider");
    tg_invite_free(partnership);

    /* The order may be the other way round: a request sent before the partnership
     * is refused when the customer accepts it. */
    assert_int_equal(tg_partner_add_tenant(f->op, R2, CORP_R2), TG_OK);
    cust c2;
    assert_int_equal(make_on_tenant(f, &c2, "ga@p2", "lateban", CORP_R2), TG_OK);
    tg_invite *req = request(f, "ga@p1", c2.id); /* R2 is not P1's reseller yet */
    assert_int_equal(tg_invite_create(&partnership, fx_user(f, "ga@p1")), TG_OK);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(partnership)), TG_OK);
    tg_invite_free(partnership);
    tg_session *cs = cust_sign_in(f, &c2);
    REFUSED(f, tg_relationship_accept(cs, tg_invite_link(req)), TG_ESTATE);
    MSG_HAS("own provider");
    tg_invite_free(req);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_session_close(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* multi-partner */
        cmocka_unit_test_setup_teardown(a_long_list_with_a_customer_only_administered_names_each_once,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accepting_changes_no_subscription_nor_ownership, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(relationships_listed_for_customer_and_partner, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(request_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_refusals_leave_the_request_usable, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_check_learns_nothing_of_strangers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(relationship_survives_reload_and_only_its_hash_is_stored, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(customer_with_other_partners_is_not_removed, fx_setup, fx_teardown),
        /* multichannel */
        cmocka_unit_test_setup_teardown(subscription_bought_elsewhere_and_the_partner_hired, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(license_based_subscription_moves_only_after_its_term, fx_setup, fx_teardown),
        /* the resale ban */
        cmocka_unit_test_setup_teardown(resale_ban_csp_tenant_of_a_partner, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(resale_ban_spares_corporate_tenants, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(resale_ban_reseller_and_its_own_provider, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
