/* test_feed.c - the change feed and change hooks (DOMAIN.md §7; tiergraph.h "The
 * change feed"; docs/threading.md "Change hooks"): one event per committed write,
 * with its revision, time, actor, action and objects, the customers' own writes
 * included, stored with the write and restored on reopen ("mem:" and "file:");
 * none for a failed or refused write; retention; hooks called after the write
 * lock is released, in revision order, that may read and write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>

#include "fault_store.h"
#include "fixture.h"
#include "customer_fx.h"
#include "tmpdir.h"
#include <tiergraph.h>
#include <tiergraph/store.h>

#define NEW_TENANT "20000000-0000-4000-8000-000000000009"
#define CORP_TENANT "10000000-0000-4000-8000-0000000000aa"
#define CLOCK 1700000000
#define CLOCK_ISO "2023-11-14T22:13:20Z"

static void ok(int rc)
{
    if (rc != TG_OK) fail_msg("rc %d: %s", rc, tg_error_message());
}

/* The events after `since`, parsed, as one JSON array. */
static cJSON *events_of(tg_session *op, uint64_t since)
{
    tg_iter *it = NULL;
    ok(tg_changes(&it, op, since, 0));
    cJSON *all = cJSON_CreateArray();
    const char *json;
    while (tg_iter_next(it, &json) == TG_OK) {
        cJSON *e = cJSON_Parse(json);
        if (!e) fail_msg("event is not JSON: %s", json);
        cJSON_AddItemToArray(all, e);
    }
    tg_iter_free(it);
    return all;
}

/* Every event after `since` as text, one a line. */
static char *feed_text(tg_session *op, uint64_t since)
{
    tg_iter *it = NULL;
    ok(tg_changes(&it, op, since, 0));
    size_t len = 1;
    char *text = calloc(1, 1);
    const char *json;
    while (tg_iter_next(it, &json) == TG_OK) {
        len += strlen(json) + 1;
        text = realloc(text, len);
        strcat(text, json);
        strcat(text, "\n");
    }
    tg_iter_free(it);
    return text;
}

static size_t feed_count(tg_session *op, uint64_t since)
{
    tg_iter *it = NULL;
    ok(tg_changes(&it, op, since, 0));
    return fx_count(it);
}

/* Checks one event: revision, time, action and actor (user NULL: the operator). */
static void expect_event(const cJSON *e, uint64_t revision, const char *action, const char *user,
                         const char *partner, int nobjects)
{
    if (!cJSON_IsObject(e)) fail_msg("no event for revision %llu", (unsigned long long)revision);
    const cJSON *r = fx_json_at(e, "revision");
    assert_true(cJSON_IsNumber(r));
    assert_true(r->valuedouble == (double)revision);
    assert_string_equal(fx_json_str(e, "time"), CLOCK_ISO);
    if (strcmp(fx_json_str(e, "action"), action) != 0)
        fail_msg("revision %llu: action %s, expected %s", (unsigned long long)revision,
                 fx_json_str(e, "action"), action);
    if (user) {
        assert_string_equal(fx_json_str(e, "actor.type"), "user");
        assert_string_equal(fx_json_str(e, "actor.id"), user);
        assert_string_equal(fx_json_str(e, "actor.partner"), partner);
    } else {
        assert_string_equal(fx_json_str(e, "actor.type"), "operator");
        assert_null(fx_json_at(e, "actor.id"));
    }
    const cJSON *objects = fx_json_at(e, "objects");
    assert_true(cJSON_IsArray(objects));
    assert_int_equal(cJSON_GetArraySize(objects), nobjects);
}

/* Checks the i-th object of an event; id NULL: any id. */
static void expect_object(const cJSON *e, int i, const char *type, const char *id,
                          const char *change)
{
    const cJSON *o = cJSON_GetArrayItem(fx_json_at(e, "objects"), i);
    assert_non_null(o);
    assert_string_equal(fx_json_str(o, "type"), type);
    if (id) assert_string_equal(fx_json_str(o, "id"), id);
    assert_string_equal(fx_json_str(o, "change"), change);
}

/* Checks the actor of an event made by a customer's user. */
static void expect_customer_actor(const cJSON *e, const char *user, const char *customer)
{
    assert_string_equal(fx_json_str(e, "actor.type"), "customer");
    assert_string_equal(fx_json_str(e, "actor.user"), user);
    assert_string_equal(fx_json_str(e, "actor.customer"), customer);
    assert_null(fx_json_at(e, "actor.partner"));
}

static int feed_setup(void **state)
{
    fx_setup(state);
    fx *f = *state;
    ok(tg_graph_set_option(f->g, TG_OPT_CLOCK, CLOCK));
    return 0;
}

/* ------------------------------------------------------------------ */
/* Events: one per write, in order, with what the write did            */
/* ------------------------------------------------------------------ */

/* The fixture's own writes are the feed's first events, from revision 1. */
static void feed_starts_at_the_first_write(void **state)
{
    fx *f = *state;
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(feed_count(f->op, 0), rev);
    cJSON *ev = events_of(f->op, 0);
    const cJSON *first = cJSON_GetArrayItem(ev, 0);
    assert_true(fx_json_at(first, "revision")->valuedouble == 1.0);
    assert_string_equal(fx_json_str(first, "action"), "tg_partner_enroll");
    assert_string_equal(fx_json_str(first, "actor.type"), "operator");
    expect_object(first, 0, "partner", P1, "create");
    /* revisions are consecutive */
    for (int i = 0; i < cJSON_GetArraySize(ev); i++)
        assert_true(fx_json_at(cJSON_GetArrayItem(ev, i), "revision")->valuedouble == (double)(i + 1));
    cJSON_Delete(ev);
}

static void feed_has_each_kind_of_write_in_order(void **state)
{
    fx *f = *state;
    tg_session *ga = fx_user(f, "ga@p1");
    const uint64_t r0 = tg_graph_revision(f->g);

    ok(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_TENANT, "2000009", "r9",
                         "r9.example", "US"));
    ok(tg_partner_set_agreement(f->op, NEW_TENANT, 1));
    ok(tg_partner_add_tenant(f->op, P1, CORP_TENANT));
    ok(tg_user_add(ga, P1, "new@p1", TG_ROLE_SALES_AGENT));
    ok(tg_user_set_roles(ga, "new@p1", TG_ROLE_SALES_AGENT | TG_ROLE_HELPDESK_AGENT));
    ok(tg_user_remove(ga, "new@p1"));
    tg_invite *inv = NULL;
    ok(tg_invite_create(&inv, fx_user(f, "ga@p2")));
    ok(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(inv)));
    tg_invite_free(inv);
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    ok(tg_draft_new(&d, ga));
    fx_fill_draft(d, "feedco");
    ok(tg_draft_set(d, TG_FIELD_RESELLER, R1));
    ok(tg_draft_add_subscription(d, "offer-e3", 5));
    ok(tg_draft_add_subscription(d, "offer-e5", 2));
    ok(tg_draft_submit(&r, d));
    char cust[64], s1[64], s2[64], *s3 = NULL;
    snprintf(cust, sizeof(cust), "%s", tg_receipt_customer_id(r));
    snprintf(s1, sizeof(s1), "%s", tg_receipt_subscription_id(r, 0));
    snprintf(s2, sizeof(s2), "%s", tg_receipt_subscription_id(r, 1));
    tg_receipt_free(r);
    tg_draft_free(d);
    ok(tg_subscription_add(&s3, ga, cust, "offer-x", 3, R1_PID, R1));
    ok(tg_subscription_set_reseller(ga, s1, NULL));
    ok(tg_subscription_set_support(ga, s1, R1));
    ok(tg_subscription_set_status(ga, s1, TG_SUB_SUSPENDED));
    ok(tg_customer_set_reseller(ga, cust, NULL));
    ok(tg_partnership_remove(ga, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH));
    ok(tg_subscription_set_status(ga, s2, TG_SUB_DELETED));
    ok(tg_subscription_set_status(ga, s3, TG_SUB_DELETED));
    ok(tg_customer_remove(ga, cust));

    cJSON *ev = events_of(f->op, r0);
    assert_int_equal(cJSON_GetArraySize(ev), 18);
    assert_int_equal(tg_graph_revision(f->g), r0 + 18);
#define EV(i) cJSON_GetArrayItem(ev, (i))
    expect_event(EV(0), r0 + 1, "tg_partner_enroll", NULL, NULL, 1);
    expect_object(EV(0), 0, "partner", NEW_TENANT, "create");
    expect_event(EV(1), r0 + 2, "tg_partner_set_agreement", NULL, NULL, 1);
    expect_object(EV(1), 0, "partner", NEW_TENANT, "update");
    expect_event(EV(2), r0 + 3, "tg_partner_add_tenant", NULL, NULL, 1);
    expect_object(EV(2), 0, "partner", P1, "update");
    expect_event(EV(3), r0 + 4, "tg_user_add", "ga@p1", P1, 1);
    expect_object(EV(3), 0, "user", "new@p1", "create");
    expect_event(EV(4), r0 + 5, "tg_user_set_roles", "ga@p1", P1, 1);
    expect_object(EV(4), 0, "user", "new@p1", "update");
    expect_event(EV(5), r0 + 6, "tg_user_remove", "ga@p1", P1, 1);
    expect_object(EV(5), 0, "user", "new@p1", "delete");
    expect_event(EV(6), r0 + 7, "tg_invite_create", "ga@p2", P2, 1);
    expect_object(EV(6), 0, "invite", NULL, "create");
    /* the invitation is named by its hash, never by its token */
    const char *hash = fx_json_str(cJSON_GetArrayItem(fx_json_at(EV(6), "objects"), 0), "id");
    assert_int_equal(strlen(hash), 64);
    expect_event(EV(7), r0 + 8, "tg_partnership_accept", "ga@r2", R2, 2);
    expect_object(EV(7), 0, "invite", hash, "update");
    expect_object(EV(7), 1, "partnership", P2 "/" R2, "create");
    expect_event(EV(8), r0 + 9, "tg_draft_submit", "ga@p1", P1, 3);
    expect_object(EV(8), 0, "customer", cust, "create");
    expect_object(EV(8), 1, "subscription", s1, "create");
    expect_object(EV(8), 2, "subscription", s2, "create");
    expect_event(EV(9), r0 + 10, "tg_subscription_add", "ga@p1", P1, 1);
    expect_object(EV(9), 0, "subscription", s3, "create");
    expect_event(EV(10), r0 + 11, "tg_subscription_set_reseller", "ga@p1", P1, 1);
    expect_object(EV(10), 0, "subscription", s1, "update");
    expect_event(EV(11), r0 + 12, "tg_subscription_set_support", "ga@p1", P1, 1);
    expect_object(EV(11), 0, "subscription", s1, "update");
    expect_event(EV(12), r0 + 13, "tg_subscription_set_status", "ga@p1", P1, 1);
    expect_object(EV(12), 0, "subscription", s1, "update");
    expect_event(EV(13), r0 + 14, "tg_customer_set_reseller", "ga@p1", P1, 1);
    expect_object(EV(13), 0, "customer", cust, "update");
    /* §3.5: the application learns of the removal from this event */
    expect_event(EV(14), r0 + 15, "tg_partnership_remove", "ga@p1", P1, 1);
    expect_object(EV(14), 0, "partnership", P1 "/" R1, "delete");
    expect_event(EV(15), r0 + 16, "tg_subscription_set_status", "ga@p1", P1, 1);
    expect_event(EV(16), r0 + 17, "tg_subscription_set_status", "ga@p1", P1, 1);
    expect_event(EV(17), r0 + 18, "tg_customer_remove", "ga@p1", P1, 4);
    int subs_seen = 0;
    for (int i = 0; i < 3; i++) {
        const char *id = fx_json_str(cJSON_GetArrayItem(fx_json_at(EV(17), "objects"), i), "id");
        subs_seen |= strcmp(id, s1) == 0 ? 1 : strcmp(id, s2) == 0 ? 2 : strcmp(id, s3) == 0 ? 4 : 8;
        expect_object(EV(17), i, "subscription", id, "delete");
    }
    assert_int_equal(subs_seen, 7);
    expect_object(EV(17), 3, "customer", cust, "delete");
#undef EV
    cJSON_Delete(ev);
    tg_free(s3);
}

/* The customers' own side (DOMAIN.md §4, §6): each write has its event, made by
 * the customer's user (named as stored, whatever case it signed in with) or by
 * the partner that asks; signing in writes nothing, and no password shows. */
static void customers_own_writes_have_their_events(void **state)
{
    fx *f = *state;
    cust c;
    cust_make(f, &c, "ga@p1", "feedcust", NULL, 1);
    const uint64_t r0 = tg_graph_revision(f->g);
    const char *ann = "ann@feedcust.onmicrosoft.com";

    char shouting[128];
    snprintf(shouting, sizeof(shouting), "%s", c.admin);
    for (char *p = shouting; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    ok(tg_customer_change_password(f->g, shouting, c.password, NEW_PASSWORD));
    tg_session *s = NULL;
    ok(tg_session_customer(&s, f->g, c.admin, NEW_PASSWORD));
    tg_session *refused = NULL;
    REFUSED(f, tg_session_customer(&refused, f->g, c.admin, "Wrong-Password-1"), TG_EDENIED);
    assert_int_equal(tg_graph_revision(f->g), r0 + 1); /* sign-ins write nothing */
    ok(tg_customer_user_add(s, ann, "Initial-Pass1", 0));
    ok(tg_customer_change_password(f->g, ann, "Initial-Pass1", "Anns-Own-Pass2"));
    tg_invite *inv = NULL;
    ok(tg_relationship_request(&inv, fx_user(f, "ga@p2"), c.id));
    ok(tg_relationship_accept(s, tg_invite_link(inv)));
    tg_invite_free(inv);
    char *sid = NULL;
    ok(tg_subscription_record(&sid, s, TG_CHANNEL_EA, "offer-ea", 4, 0));
    ok(tg_subscription_hire(s, sid, P2));
    REFUSED(f, tg_subscription_hire(s, c.sub, P2), TG_ESTATE); /* bought through CSP */
    ok(tg_subscription_move(s, sid, P1));

    cJSON *ev = events_of(f->op, r0);
    assert_int_equal(cJSON_GetArraySize(ev), 8);
#define EV(i) cJSON_GetArrayItem(ev, (i))
    for (int i = 0; i < 8; i++)
        assert_true(fx_json_at(EV(i), "revision")->valuedouble == (double)(r0 + 1 + (uint64_t)i));
    assert_string_equal(fx_json_str(EV(0), "action"), "tg_customer_change_password");
    expect_customer_actor(EV(0), c.admin, c.id);
    expect_object(EV(0), 0, "customer", c.id, "update");
    assert_string_equal(fx_json_str(EV(1), "action"), "tg_customer_user_add");
    expect_customer_actor(EV(1), c.admin, c.id);
    expect_object(EV(1), 0, "customerUser", ann, "create");
    assert_string_equal(fx_json_str(EV(2), "action"), "tg_customer_change_password");
    expect_customer_actor(EV(2), ann, c.id);
    expect_object(EV(2), 0, "customerUser", ann, "update");
    expect_event(EV(3), r0 + 4, "tg_relationship_request", "ga@p2", P2, 1);
    expect_object(EV(3), 0, "invite", NULL, "create");
    const char *hash = fx_json_str(cJSON_GetArrayItem(fx_json_at(EV(3), "objects"), 0), "id");
    assert_string_equal(fx_json_str(EV(4), "action"), "tg_relationship_accept");
    expect_customer_actor(EV(4), c.admin, c.id);
    expect_object(EV(4), 0, "invite", hash, "update");
    expect_object(EV(4), 1, "customer", c.id, "update");
    static const char *const sub_actions[] = {"tg_subscription_record", "tg_subscription_hire",
                                              "tg_subscription_move"};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(fx_json_str(EV(5 + i), "action"), sub_actions[i]);
        expect_customer_actor(EV(5 + i), c.admin, c.id);
        expect_object(EV(5 + i), 0, "subscription", sid, i ? "update" : "create");
        assert_int_equal(cJSON_GetArraySize(fx_json_at(EV(5 + i), "objects")), 1);
    }
#undef EV
    cJSON_Delete(ev);
    char *text = feed_text(f->op, 0);
    assert_null(strstr(text, c.password));
    assert_null(strstr(text, NEW_PASSWORD));
    assert_null(strstr(text, "Anns-Own-Pass2"));
    assert_null(strstr(text, "argon2"));
    free(text);
    /* a customer's session does not read the feed */
    tg_iter *it = (tg_iter *)f;
    assert_int_equal(tg_changes(&it, s, 0, 0), TG_EDENIED);
    assert_null(it);
    tg_free(sid);
    tg_session_close(s);
}

/* A password change has no session of the caller's, yet its event reaches the
 * hook before the call returns, like every other write's. */
static int hook_calls;
static void TG_CALLBACK counting_hook(tg_graph *g, uint64_t revision, const char *event,
                                      void *payload)
{
    (void)g;
    (void)revision;
    (void)payload;
    if (strstr(event, "\"tg_customer_change_password\"")) hook_calls++;
}

static void password_change_event_reaches_the_hook(void **state)
{
    fx *f = *state;
    cust c;
    cust_make(f, &c, "ga@p1", "hookcust", NULL, 0);
    hook_calls = 0;
    ok(tg_graph_on_change(f->g, counting_hook, NULL));
    REFUSED(f, tg_customer_change_password(f->g, c.admin, "Not-The-One-1", NEW_PASSWORD),
            TG_EDENIED);
    assert_int_equal(hook_calls, 0);
    ok(tg_customer_change_password(f->g, c.admin, c.password, NEW_PASSWORD));
    assert_int_equal(hook_calls, 1);
    ok(tg_graph_on_change(f->g, NULL, NULL));
}

/* One write of many records (a customer with 64 subscriptions): one revision, one
 * event naming every record, and the tables stay sound. */
static void many_records_in_one_write(void **state)
{
    fx *f = *state;
    const uint64_t r0 = tg_graph_revision(f->g);
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    ok(tg_draft_new(&d, fx_user(f, "ga@p1")));
    fx_fill_draft(d, "bigco");
    ok(tg_draft_set(d, TG_FIELD_RESELLER, R1));
    for (int i = 0; i < 64; i++) ok(tg_draft_add_subscription(d, "offer-bulk", i + 1));
    ok(tg_draft_submit(&r, d));
    assert_int_equal(tg_graph_revision(f->g), r0 + 1);
    cJSON *ev = events_of(f->op, r0);
    expect_event(cJSON_GetArrayItem(ev, 0), r0 + 1, "tg_draft_submit", "ga@p1", P1, 65);
    for (int i = 0; i < 64; i++)
        expect_object(cJSON_GetArrayItem(ev, 0), i + 1, "subscription",
                      tg_receipt_subscription_id(r, (size_t)i), "create");
    cJSON_Delete(ev);
    tg_iter *it = NULL;
    ok(tg_subscriptions(&it, fx_user(f, "ga@r1"), tg_receipt_customer_id(r)));
    assert_int_equal(fx_count(it), 64);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_receipt_free(r);
    tg_draft_free(d);
}

/* An event never carries a secret: no token, no password, no verifier. */
static void events_carry_no_secret(void **state)
{
    fx *f = *state;
    tg_invite *inv = NULL;
    ok(tg_invite_create(&inv, fx_user(f, "ga@p2")));
    const char *link = tg_invite_link(inv);
    const char *token = strstr(link, "token=") + 6;
    tg_draft *d = NULL;
    tg_receipt *r = NULL;
    ok(tg_draft_new(&d, fx_user(f, "ga@p1")));
    fx_fill_draft(d, "secretco");
    ok(tg_draft_submit(&r, d));
    char *text = feed_text(f->op, 0);
    assert_null(strstr(text, token));
    assert_null(strstr(text, tg_receipt_password(r)));
    assert_null(strstr(text, "argon2"));
    free(text);
    tg_receipt_free(r);
    tg_draft_free(d);
    tg_invite_free(inv);
}

/* ------------------------------------------------------------------ */
/* Failed and refused writes: no event, no revision                    */
/* ------------------------------------------------------------------ */

static void failed_writes_produce_no_event(void **state)
{
    fx *f = *state;
    const uint64_t r0 = tg_graph_revision(f->g);
    /* the store fails: the event went nowhere, like the record */
    fault_store_fail_commit(f->store, 1);
    REFUSED(f, tg_user_add(f->op, P1, "x@p1", TG_ROLE_SALES_AGENT), TG_EIO);
    fault_store_fail_commit(f->store, 0);
    fault_store_fail_put(f->store, 2); /* the event's put */
    REFUSED(f, tg_user_add(f->op, P1, "x@p1", TG_ROLE_SALES_AGENT), TG_EIO);
    fault_store_fail_put(f->store, 0);
    fault_store_fail_begin(f->store, 1);
    REFUSED(f, tg_partner_set_agreement(f->op, R3, 1), TG_EIO);
    fault_store_fail_begin(f->store, 0);
    /* refused by policy, by a rule, by its arguments */
    REFUSED(f, tg_user_add(fx_user(f, "sa@p1"), P1, "y@p1", TG_ROLE_SALES_AGENT), TG_EDENIED);
    REFUSED(f, tg_user_add(f->op, P1, "ga@p1", TG_ROLE_SALES_AGENT), TG_EEXISTS);
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@p1"), R1, TG_CONFIRM), TG_ECONFIRM);
    assert_int_equal(feed_count(f->op, r0), 0);
    char *dump = fx_store_dump(f);
    char key[64];
    snprintf(key, sizeof(key), "event/%020llu", (unsigned long long)(r0 + 1));
    assert_null(strstr(dump, key));
    free(dump);
    /* the next successful write takes the next revision: no gap */
    ok(tg_user_add(f->op, P1, "x@p1", TG_ROLE_SALES_AGENT));
    cJSON *ev = events_of(f->op, r0);
    assert_int_equal(cJSON_GetArraySize(ev), 1);
    expect_event(cJSON_GetArrayItem(ev, 0), r0 + 1, "tg_user_add", NULL, NULL, 1);
    cJSON_Delete(ev);
    dump = fx_store_dump(f);
    assert_non_null(strstr(dump, key));
    free(dump);
}

/* A write that changes nothing (same roles) commits nothing and has no event. */
static void unchanged_write_has_no_event(void **state)
{
    fx *f = *state;
    const uint64_t r0 = tg_graph_revision(f->g);
    ok(tg_user_set_roles(fx_user(f, "ga@p1"), "sa@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(tg_graph_revision(f->g), r0);
    assert_int_equal(feed_count(f->op, r0), 0);
}

/* ------------------------------------------------------------------ */
/* tg_changes: since, limit, who                                       */
/* ------------------------------------------------------------------ */

static void changes_since_and_limit(void **state)
{
    fx *f = *state;
    const uint64_t rev = tg_graph_revision(f->g);
    assert_true(rev > 5);
    assert_int_equal(feed_count(f->op, rev), 0);
    assert_int_equal(feed_count(f->op, rev - 1), 1);
    tg_iter *it = NULL;
    ok(tg_changes(&it, f->op, 2, 3));
    assert_int_equal(tg_iter_count(it), 3);
    const char *json;
    uint64_t want = 3;
    while (tg_iter_next(it, &json) == TG_OK) {
        cJSON *e = cJSON_Parse(json);
        assert_true(fx_json_at(e, "revision")->valuedouble == (double)want++);
        cJSON_Delete(e);
    }
    tg_iter_free(it);
}

static void changes_refusals(void **state)
{
    fx *f = *state;
    tg_iter *it = (tg_iter *)f;
    const uint64_t rev = tg_graph_revision(f->g);
    /* only the operator: events name every partner's objects */
    static const char *users[] = {"ga@p1", "ga@r1", "ua@p2", "ga@d1"};
    for (int i = 0; i < 4; i++) {
        it = (tg_iter *)f;
        assert_int_equal(tg_changes(&it, fx_user(f, users[i]), 0, 0), TG_EDENIED);
        assert_null(it);
        MSG_HAS("operator");
    }
    it = (tg_iter *)f;
    assert_int_equal(tg_changes(&it, f->op, rev + 1, 0), TG_EINVAL);
    assert_null(it);
    MSG_HAS("ahead");
    assert_int_equal(tg_changes(&it, NULL, 0, 0), TG_EINVAL);
    assert_null(it);
    assert_int_equal(tg_changes(NULL, f->op, 0, 0), TG_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Durable: the feed comes back with the graph                         */
/* ------------------------------------------------------------------ */

static tg_graph *open_on(tg_store *mem)
{
    tg_graph *g = NULL;
    ok(tg_graph_open_store(&g, fault_store_borrow(mem)));
    ok(tg_graph_set_option(g, TG_OPT_CLOCK, CLOCK));
    return g;
}

static void some_writes(tg_graph *g, int n, const char *prefix)
{
    tg_session *op = NULL;
    ok(tg_session_operator(&op, g));
    if (tg_graph_revision(g) == 0)
        ok(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, P1, "1000001", "p1", "p1.example",
                             "US"));
    for (int i = 0; i < n; i++) {
        char user[64];
        snprintf(user, sizeof(user), "%s%d@p1", prefix, i);
        ok(tg_user_add(op, P1, user, TG_ROLE_SALES_AGENT));
    }
    tg_session_close(op);
}

static void reload_restores_the_feed(void **state)
{
    (void)state;
    tg_store *mem = NULL;
    ok(tg_store_mem_new(&mem));
    tg_graph *g = open_on(mem);
    some_writes(g, 4, "a");
    tg_session *op = NULL;
    ok(tg_session_operator(&op, g));
    char *before = feed_text(op, 0);
    uint64_t rev = tg_graph_revision(g);
    assert_int_equal(rev, 5);
    tg_session_close(op);
    tg_graph_close(g);

    g = open_on(mem);
    ok(tg_session_operator(&op, g));
    assert_int_equal(tg_graph_revision(g), rev);
    char *after = feed_text(op, 0);
    assert_string_equal(after, before);
    /* writing goes on from there, and that event too survives a reopen */
    some_writes(g, 1, "b");
    cJSON *ev = events_of(op, rev);
    assert_int_equal(cJSON_GetArraySize(ev), 1);
    assert_true(fx_json_at(cJSON_GetArrayItem(ev, 0), "revision")->valuedouble == (double)(rev + 1));
    expect_object(cJSON_GetArrayItem(ev, 0), 0, "user", "b0@p1", "create");
    cJSON_Delete(ev);
    char *more = feed_text(op, 0);
    tg_session_close(op);
    tg_graph_close(g);
    g = open_on(mem);
    ok(tg_session_operator(&op, g));
    char *again = feed_text(op, 0);
    assert_string_equal(again, more);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_session_close(op);
    tg_graph_close(g);
    free(before);
    free(after);
    free(more);
    free(again);
    mem->free(mem);
}

/* The same on the file store: the events are in the journal, and a graph
 * reopened from the file has the same feed; the events retention drops are gone
 * from the file too. */
static void file_store_keeps_the_feed(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    char uri[4200];
    snprintf(uri, sizeof(uri), "file:%s", tmpdir_path(dir, "feed.tg"));
    tg_graph *g = NULL;
    tg_session *op = NULL;
    ok(tg_graph_open(&g, uri));
    ok(tg_graph_set_option(g, TG_OPT_CLOCK, CLOCK));
    some_writes(g, 3, "f");
    ok(tg_session_operator(&op, g));
    char *before = feed_text(op, 0);
    assert_int_equal(feed_count(op, 0), 4);
    tg_session_close(op);
    tg_graph_close(g);

    ok(tg_graph_open(&g, uri));
    ok(tg_session_operator(&op, g));
    assert_int_equal(tg_graph_revision(g), 4);
    char *after = feed_text(op, 0);
    assert_string_equal(after, before);
    /* writes go on from there; with retention, older events leave the file */
    ok(tg_graph_set_option(g, TG_OPT_CLOCK, CLOCK));
    ok(tg_graph_set_option(g, TG_OPT_CHANGE_RETENTION, 2));
    some_writes(g, 2, "g");
    char *kept = feed_text(op, 4);
    tg_session_close(op);
    tg_graph_close(g);

    ok(tg_graph_open(&g, uri)); /* retention is not stored: every event found is kept */
    ok(tg_session_operator(&op, g));
    assert_int_equal(tg_graph_revision(g), 6);
    assert_int_equal(feed_count(op, 4), 2);
    tg_iter *it = NULL;
    assert_int_equal(tg_changes(&it, op, 0, 0), TG_EEXPIRED);
    char *again = feed_text(op, 4);
    assert_string_equal(again, kept);
    cJSON *ev = events_of(op, 5);
    expect_event(cJSON_GetArrayItem(ev, 0), 6, "tg_user_add", NULL, NULL, 1);
    expect_object(cJSON_GetArrayItem(ev, 0), 0, "user", "g1@p1", "create");
    cJSON_Delete(ev);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_session_close(op);
    tg_graph_close(g);
    free(before);
    free(after);
    free(kept);
    free(again);
    tmpdir_remove(dir);
}

/* A stored event that cannot be read makes the store corrupt, like any record. */
static void corrupt_event_record(const char *key, const char *val, const char *why)
{
    tg_store *mem = NULL;
    ok(tg_store_mem_new(&mem));
    tg_graph *g = open_on(mem);
    some_writes(g, 2, "c"); /* revision 3 */
    tg_graph_close(g);
    ok(mem->begin(mem));
    ok(mem->put(mem, key, strlen(key), val, strlen(val)));
    ok(mem->commit(mem));
    tg_store *fs = fault_store_borrow(mem);
    g = (tg_graph *)mem;
    int rc = tg_graph_open_store(&g, fs);
    if (rc != TG_ECORRUPT)
        fail_msg("%s: expected TG_ECORRUPT, got %d (%s)", why, rc, tg_error_message());
    assert_null(g);
    MSG_HAS("event");
    fs->free(fs);
    mem->free(mem);
}

static void corrupt_events_refuse_to_open(void **state)
{
    (void)state;
    corrupt_event_record("event/12", "{\"revision\":12,\"action\":\"x\"}", "short key");
    corrupt_event_record("event/0000000000000000000x", "{}", "key not digits");
    corrupt_event_record("event/00000000000000000000", "{\"revision\":0,\"action\":\"x\"}",
                         "revision 0");
    corrupt_event_record("event/00000000000000000001", "not json", "not JSON");
    corrupt_event_record("event/00000000000000000001", "{\"revision\":2,\"action\":\"x\"}",
                         "revision differs from the key");
    corrupt_event_record("event/00000000000000000001", "{\"revision\":1}", "no action");
    corrupt_event_record("event/00000000000000000009", "{\"revision\":9,\"action\":\"x\"}",
                         "above the graph's revision");
}

/* ------------------------------------------------------------------ */
/* Retention (TG_OPT_CHANGE_RETENTION)                                 */
/* ------------------------------------------------------------------ */

static int count_event_records(fx *f)
{
    char *dump = fx_store_dump(f);
    int n = 0;
    for (const char *p = strstr(dump, "\nevent/"); p; p = strstr(p + 1, "\nevent/")) n++;
    free(dump);
    return n;
}

static void retention_keeps_the_newest_events(void **state)
{
    fx *f = *state;
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(count_event_records(f), (int)rev);
    ok(tg_graph_set_option(f->g, TG_OPT_CHANGE_RETENTION, 3));
    /* the next write drops the older events, from memory and from the store */
    ok(tg_user_add(f->op, P1, "k0@p1", TG_ROLE_SALES_AGENT));
    ok(tg_user_add(f->op, P1, "k1@p1", TG_ROLE_SALES_AGENT));
    rev += 2;
    assert_int_equal(count_event_records(f), 3);
    assert_int_equal(feed_count(f->op, rev - 3), 3);
    tg_iter *it = (tg_iter *)f;
    assert_int_equal(tg_changes(&it, f->op, rev - 4, 0), TG_EEXPIRED);
    assert_null(it);
    char oldest[32];
    snprintf(oldest, sizeof(oldest), "%llu", (unsigned long long)(rev - 2));
    MSG_HAS(oldest);
    assert_int_equal(tg_changes(&it, f->op, 0, 0), TG_EEXPIRED);
    /* a failed write drops nothing */
    fault_store_fail_commit(f->store, 1);
    REFUSED(f, tg_user_add(f->op, P1, "k2@p1", TG_ROLE_SALES_AGENT), TG_EIO);
    fault_store_fail_commit(f->store, 0);
    assert_int_equal(feed_count(f->op, rev - 3), 3);
    assert_int_equal(count_event_records(f), 3);
    /* 0 keeps every event again: nothing more is dropped */
    ok(tg_graph_set_option(f->g, TG_OPT_CHANGE_RETENTION, 0));
    ok(tg_user_add(f->op, P1, "k2@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(count_event_records(f), 4);
    assert_int_equal(feed_count(f->op, rev - 3), 4);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CHANGE_RETENTION, -1), TG_EINVAL);
    MSG_HAS("retention");
}

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

typedef struct seen {
    fx *f;
    int calls;
    uint64_t revs[16];
    char *json[16];
    int nested_rc;  /* of the write made inside the hook */
    int nested_calls_inside; /* calls counted while the nested write had returned */
    int read_ok;
} seen;

static void seen_free(seen *s)
{
    for (int i = 0; i < s->calls && i < 16; i++) free(s->json[i]);
}

static void record(seen *s, uint64_t revision, const char *event)
{
    if (s->calls < 16) {
        s->revs[s->calls] = revision;
        s->json[s->calls] = strdup(event);
    }
    s->calls++;
}

static void TG_CALLBACK recording_hook(tg_graph *g, uint64_t revision, const char *event,
                                       void *payload)
{
    (void)g;
    record(payload, revision, event);
}

static void hook_gets_each_committed_event(void **state)
{
    fx *f = *state;
    seen s = {.f = f};
    ok(tg_graph_on_change(f->g, recording_hook, &s));
    uint64_t r0 = tg_graph_revision(f->g);
    ok(tg_user_add(f->op, P1, "h0@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(s.calls, 1); /* before the write returned, on this thread */
    ok(tg_partner_set_agreement(f->op, R3, 1));
    assert_int_equal(s.calls, 2);
    assert_true(s.revs[0] == r0 + 1 && s.revs[1] == r0 + 2);
    /* the hook's event is the feed's */
    char *text = feed_text(f->op, r0);
    char both[4096];
    snprintf(both, sizeof(both), "%s\n%s\n", s.json[0], s.json[1]);
    assert_string_equal(text, both);
    free(text);
    ok(tg_graph_on_change(f->g, NULL, NULL));
    seen_free(&s);
}

static void TG_CALLBACK reading_hook(tg_graph *g, uint64_t revision, const char *event,
                                     void *payload)
{
    seen *s = payload;
    record(s, revision, event);
    /* reads see the write committed: the lock is released */
    tg_iter *events = NULL, *users = NULL;
    char *json = NULL;
    s->read_ok = tg_graph_revision(g) == revision && tg_graph_verify(g) == TG_OK &&
                 tg_changes(&events, s->f->op, revision - 1, 0) == TG_OK &&
                 tg_iter_count(events) == 1 &&
                 tg_partner_get(&json, fx_user(s->f, "ga@p1"), P1) == TG_OK &&
                 tg_users(&users, s->f->op, P1) == TG_OK;
    tg_iter_free(events);
    tg_iter_free(users);
    tg_free(json);
}

static void hook_may_read_the_graph(void **state)
{
    fx *f = *state;
    seen s = {.f = f};
    fx_user(f, "ga@p1"); /* sessions made outside the hook */
    ok(tg_graph_on_change(f->g, reading_hook, &s));
    ok(tg_user_add(f->op, P1, "h1@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(s.calls, 1);
    assert_true(s.read_ok);
    ok(tg_graph_on_change(f->g, NULL, NULL));
    seen_free(&s);
}

static void TG_CALLBACK writing_hook(tg_graph *g, uint64_t revision, const char *event,
                                     void *payload)
{
    seen *s = payload;
    record(s, revision, event);
    if (s->calls == 1) {
        s->nested_rc = tg_user_add(s->f->op, P1, "fromhook@p1", TG_ROLE_SALES_AGENT);
        /* its event waits until this call returns: one call at a time */
        s->nested_calls_inside = s->calls;
        s->read_ok = tg_graph_revision(g) == revision + 1;
    }
}

static void hook_may_write_the_graph(void **state)
{
    fx *f = *state;
    seen s = {.f = f};
    uint64_t r0 = tg_graph_revision(f->g);
    ok(tg_graph_on_change(f->g, writing_hook, &s));
    ok(tg_user_add(f->op, P1, "h2@p1", TG_ROLE_SALES_AGENT));
    ok(s.nested_rc);
    assert_int_equal(s.nested_calls_inside, 1);
    assert_true(s.read_ok);
    /* the nested write got its own event, delivered after the first, in order */
    assert_int_equal(s.calls, 2);
    assert_true(s.revs[0] == r0 + 1 && s.revs[1] == r0 + 2);
    cJSON *e = cJSON_Parse(s.json[1]);
    expect_event(e, r0 + 2, "tg_user_add", NULL, NULL, 1);
    expect_object(e, 0, "user", "fromhook@p1", "create");
    cJSON_Delete(e);
    assert_int_equal(tg_graph_revision(f->g), r0 + 2);
    ok(tg_graph_on_change(f->g, NULL, NULL));
    seen_free(&s);
}

static void hook_removed_or_replaced_is_not_called(void **state)
{
    fx *f = *state;
    seen a = {.f = f}, b = {.f = f};
    ok(tg_graph_on_change(f->g, recording_hook, &a));
    ok(tg_user_add(f->op, P1, "h3@p1", TG_ROLE_SALES_AGENT));
    ok(tg_graph_on_change(f->g, NULL, NULL));
    ok(tg_user_add(f->op, P1, "h4@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(a.calls, 1);
    ok(tg_graph_on_change(f->g, recording_hook, &a));
    ok(tg_graph_on_change(f->g, recording_hook, &b)); /* replaces a */
    ok(tg_user_add(f->op, P1, "h5@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(a.calls, 1);
    assert_int_equal(b.calls, 1);
    ok(tg_graph_on_change(f->g, NULL, NULL));
    assert_int_equal(tg_graph_on_change(NULL, recording_hook, &a), TG_EINVAL);
    seen_free(&a);
    seen_free(&b);
}

static void TG_CALLBACK unhooking_hook(tg_graph *g, uint64_t revision, const char *event,
                                       void *payload)
{
    record(payload, revision, event);
    /* from inside the hook: no deadlock, no wait for itself */
    ((seen *)payload)->nested_rc = tg_graph_on_change(g, NULL, NULL);
}

static void hook_may_remove_itself(void **state)
{
    fx *f = *state;
    seen s = {.f = f};
    ok(tg_graph_on_change(f->g, unhooking_hook, &s));
    ok(tg_user_add(f->op, P1, "h6@p1", TG_ROLE_SALES_AGENT));
    ok(s.nested_rc);
    ok(tg_user_add(f->op, P1, "h7@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(s.calls, 1);
    seen_free(&s);
}

static void hook_not_called_for_failed_writes(void **state)
{
    fx *f = *state;
    seen s = {.f = f};
    ok(tg_graph_on_change(f->g, recording_hook, &s));
    fault_store_fail_commit(f->store, 1);
    REFUSED(f, tg_user_add(f->op, P1, "h8@p1", TG_ROLE_SALES_AGENT), TG_EIO);
    fault_store_fail_commit(f->store, 0);
    fault_store_fail_put(f->store, 1);
    REFUSED(f, tg_user_add(f->op, P1, "h8@p1", TG_ROLE_SALES_AGENT), TG_EIO);
    fault_store_fail_put(f->store, 0);
    REFUSED(f, tg_user_add(fx_user(f, "sa@p1"), P1, "h8@p1", TG_ROLE_SALES_AGENT), TG_EDENIED);
    REFUSED(f, tg_partner_set_agreement(f->op, "not-a-guid", 1), TG_EINVAL);
    assert_int_equal(s.calls, 0);
    ok(tg_user_add(f->op, P1, "h8@p1", TG_ROLE_SALES_AGENT));
    assert_int_equal(s.calls, 1);
    ok(tg_graph_on_change(f->g, NULL, NULL));
    seen_free(&s);
}

/* ---- threads ---- */

#define THREADS 4
#define WRITES 25

typedef struct order {
    tg_graph *g;
    pthread_mutex_t lock;
    atomic_int inside; /* hooks running now */
    atomic_int overlaps;
    uint64_t revs[THREADS * WRITES];
    int n;
} order;

static void TG_CALLBACK ordering_hook(tg_graph *g, uint64_t revision, const char *event,
                                      void *payload)
{
    (void)g;
    (void)event;
    order *o = payload;
    if (atomic_fetch_add(&o->inside, 1) != 0) o->overlaps++;
    sched_yield(); /* give another deliverer the chance to (wrongly) overlap */
    pthread_mutex_lock(&o->lock);
    if (o->n < THREADS * WRITES) o->revs[o->n] = revision;
    o->n++;
    pthread_mutex_unlock(&o->lock);
    atomic_fetch_sub(&o->inside, 1);
}

typedef struct writer {
    order *o;
    int index;
    int failures;
} writer;

static void *write_many(void *arg)
{
    writer *w = arg;
    tg_session *op = NULL;
    if (tg_session_operator(&op, w->o->g) != TG_OK) {
        w->failures++;
        return NULL;
    }
    for (int i = 0; i < WRITES; i++) {
        char user[64];
        snprintf(user, sizeof(user), "t%d-%d@p1", w->index, i);
        if (tg_user_add(op, P1, user, TG_ROLE_SALES_AGENT) != TG_OK) w->failures++;
    }
    tg_session_close(op);
    return NULL;
}

static void hooks_run_in_revision_order_across_threads(void **state)
{
    fx *f = *state;
    order *o = calloc(1, sizeof(*o));
    o->g = f->g;
    pthread_mutex_init(&o->lock, NULL);
    uint64_t r0 = tg_graph_revision(f->g);
    ok(tg_graph_on_change(f->g, ordering_hook, o));
    pthread_t t[THREADS];
    writer w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (writer){o, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    /* every write returned; each was delivered before its writer returned or
     * by the thread delivering at the time, which had finished by then */
    assert_int_equal(o->n, THREADS * WRITES);
    assert_int_equal(o->overlaps, 0);
    for (int i = 0; i < THREADS * WRITES; i++) assert_true(o->revs[i] == r0 + 1 + (uint64_t)i);
    ok(tg_graph_on_change(f->g, NULL, NULL));
    pthread_mutex_destroy(&o->lock);
    free(o);
}

/* tg_graph_on_change returns only once a call of the old hook running on another
 * thread has returned, so the caller may free the old payload. */
typedef struct handoff {
    fx *f;
    sem_t entered, release;
    atomic_int running, calling_unhook, unhook_returned, running_at_return, seen_returned;
} handoff;

static void TG_CALLBACK blocking_hook(tg_graph *g, uint64_t revision, const char *event,
                                      void *payload)
{
    (void)g;
    (void)revision;
    (void)event;
    handoff *h = payload;
    atomic_store(&h->running, 1);
    sem_post(&h->entered);
    sem_wait(&h->release);
    atomic_store(&h->seen_returned, atomic_load(&h->unhook_returned));
    atomic_store(&h->running, 0);
}

static void *one_write(void *arg)
{
    handoff *h = arg;
    tg_session *op = NULL;
    if (tg_session_operator(&op, h->f->g) == TG_OK) {
        tg_user_add(op, P1, "blocked@p1", TG_ROLE_SALES_AGENT);
        tg_session_close(op);
    }
    return NULL;
}

static void *unhook(void *arg)
{
    handoff *h = arg;
    atomic_store(&h->calling_unhook, 1);
    tg_graph_on_change(h->f->g, NULL, NULL);
    atomic_store(&h->running_at_return, atomic_load(&h->running));
    atomic_store(&h->unhook_returned, 1);
    return NULL;
}

static void on_change_waits_for_the_old_hook(void **state)
{
    fx *f = *state;
    handoff *h = calloc(1, sizeof(*h));
    h->f = f;
    sem_init(&h->entered, 0, 0);
    sem_init(&h->release, 0, 0);
    ok(tg_graph_on_change(f->g, blocking_hook, h));
    pthread_t writer_thread, unhook_thread;
    assert_int_equal(pthread_create(&writer_thread, NULL, one_write, h), 0);
    sem_wait(&h->entered); /* the hook runs on the writer's thread */
    assert_int_equal(pthread_create(&unhook_thread, NULL, unhook, h), 0);
    while (!atomic_load(&h->calling_unhook)) sched_yield();
    for (int i = 0; i < 1000 && !atomic_load(&h->unhook_returned); i++) sched_yield();
    sem_post(&h->release);
    pthread_join(writer_thread, NULL);
    pthread_join(unhook_thread, NULL);
    assert_int_equal(atomic_load(&h->seen_returned), 0);
    assert_int_equal(atomic_load(&h->running_at_return), 0);
    assert_int_equal(atomic_load(&h->unhook_returned), 1);
    sem_destroy(&h->entered);
    sem_destroy(&h->release);
    free(h);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, feed_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(feed_starts_at_the_first_write),
        T(feed_has_each_kind_of_write_in_order),
        T(customers_own_writes_have_their_events),
        T(password_change_event_reaches_the_hook),
        T(many_records_in_one_write),
        T(events_carry_no_secret),
        T(failed_writes_produce_no_event),
        T(unchanged_write_has_no_event),
        T(changes_since_and_limit),
        T(changes_refusals),
        cmocka_unit_test(reload_restores_the_feed),
        cmocka_unit_test(file_store_keeps_the_feed),
        cmocka_unit_test(corrupt_events_refuse_to_open),
        T(retention_keeps_the_newest_events),
        T(hook_gets_each_committed_event),
        T(hook_may_read_the_graph),
        T(hook_may_write_the_graph),
        T(hook_removed_or_replaced_is_not_called),
        T(hook_may_remove_itself),
        T(hook_not_called_for_failed_writes),
        T(hooks_run_in_revision_order_across_threads),
        T(on_change_waits_for_the_old_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
