/* test_failure.c - failure injection: every write of the API is all or nothing.
 * For each write, the store fails the 1st, 2nd, ... put (the records, the change
 * event, the revision), then the commit, then the begin; each time the write
 * returns TG_EIO and nothing observable or stored changes, and no change event
 * appears. Then the write runs clean and succeeds, with its event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fault_store.h"
#include "fixture.h"
#include "customer_fx.h"
#include <tiergraph.h>

#define NEW_TENANT "20000000-0000-4000-8000-000000000009"
#define CORP_TENANT "10000000-0000-4000-8000-0000000000aa"

/* What one write needs: prepared beforehand, results kept for checks and freeing. */
typedef struct ctx {
    char customer[64];
    char subscription[64];
    tg_invite *invite;  /* for accept: the request being accepted */
    tg_draft *draft;    /* for submit */
    tg_invite *created; /* out of tg_invite_create */
    tg_receipt *receipt; /* out of tg_draft_submit */
    char *new_id;       /* out of tg_subscription_add */
    cust cust;           /* a customer with its credentials (the customers' own side) */
    tg_session *signed_in; /* its admin, signed in */
    char *external;      /* a subscription it bought elsewhere */
} ctx;

typedef struct write_case {
    const char *name;
    void (*prepare)(fx *f, ctx *c);       /* NULL: the fixture as it is */
    int (*run)(fx *f, ctx *c);            /* the write; returns its rc */
    void (*failed)(fx *f, ctx *c);        /* checks after a failed run; NULL: none */
    void (*done)(fx *f, ctx *c);          /* checks of the effect after the clean run */
} write_case;

static void ctx_free(ctx *c)
{
    tg_invite_free(c->invite);
    tg_invite_free(c->created);
    tg_draft_free(c->draft);
    tg_receipt_free(c->receipt);
    tg_free(c->new_id);
    tg_session_close(c->signed_in);
    tg_free(c->external);
    memset(c, 0, sizeof(*c));
}

static void ok(int rc)
{
    if (rc != TG_OK) fail_msg("rc %d: %s", rc, tg_error_message());
}

static unsigned int roles_of(fx *f, const char *user)
{
    unsigned int r = 0;
    ok(tg_user_roles(&r, f->op, user));
    return r;
}

static int sub_has_for(fx *f, const char *user, const char *sid, const char *needle)
{
    char *json = NULL;
    ok(tg_subscription_get(&json, fx_user(f, user), sid));
    int found = strstr(json, needle) != NULL;
    tg_free(json);
    return found;
}

static int sub_has(fx *f, const char *sid, const char *needle)
{
    return sub_has_for(f, "ga@p1", sid, needle);
}

/* A customer of P1 (for `reseller`, or none) with `nsubs` subscriptions; the first
 * subscription's id goes to c->subscription. */
static void make_customer(fx *f, ctx *c, const char *prefix, const char *reseller, int nsubs)
{
    snprintf(c->customer, sizeof(c->customer), "%s",
             fx_customer(f, "ga@p1", prefix, reseller, nsubs));
    if (!nsubs) return;
    tg_iter *it = NULL;
    const char *sid;
    ok(tg_subscriptions(&it, fx_user(f, "ga@p1"), c->customer));
    ok(tg_iter_next(it, &sid));
    snprintf(c->subscription, sizeof(c->subscription), "%s", sid);
    tg_iter_free(it);
}

/* ---- the writes ---- */

static int run_enroll(fx *f, ctx *c)
{
    (void)c;
    return tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_RESELLER, NEW_TENANT, "2000009", "r9",
                             "r9.example", "US");
}
static void done_enroll(fx *f, ctx *c)
{
    (void)c;
    char *json = NULL;
    ok(tg_partner_get(&json, f->op, NEW_TENANT));
    assert_non_null(strstr(json, "\"partnerId\":\"2000009\""));
    tg_free(json);
}

static int run_agreement(fx *f, ctx *c)
{
    (void)c;
    return tg_partner_set_agreement(f->op, R3, 1);
}
static void done_agreement(fx *f, ctx *c)
{
    (void)c;
    char *json = NULL;
    ok(tg_partner_get(&json, f->op, R3));
    assert_non_null(strstr(json, "\"agreementSigned\":true"));
    tg_free(json);
}

static int run_add_tenant(fx *f, ctx *c)
{
    (void)c;
    return tg_partner_add_tenant(f->op, P1, CORP_TENANT);
}
static void done_add_tenant(fx *f, ctx *c)
{
    (void)c;
    char *json = NULL;
    ok(tg_partner_get(&json, f->op, P1));
    assert_non_null(strstr(json, CORP_TENANT));
    tg_free(json);
}

static int run_user_add(fx *f, ctx *c)
{
    (void)c;
    return tg_user_add(fx_user(f, "ga@p1"), P1, "new@p1", TG_ROLE_SALES_AGENT);
}
static void done_user_add(fx *f, ctx *c)
{
    (void)c;
    assert_int_equal(roles_of(f, "new@p1"), TG_ROLE_SALES_AGENT);
}

static int run_user_roles(fx *f, ctx *c)
{
    (void)c;
    return tg_user_set_roles(fx_user(f, "ga@p1"), "sa@p1",
                             TG_ROLE_SALES_AGENT | TG_ROLE_HELPDESK_AGENT);
}
static void done_user_roles(fx *f, ctx *c)
{
    (void)c;
    assert_int_equal(roles_of(f, "sa@p1"), TG_ROLE_SALES_AGENT | TG_ROLE_HELPDESK_AGENT);
}

static int run_user_remove(fx *f, ctx *c)
{
    (void)c;
    return tg_user_remove(fx_user(f, "ga@p1"), "ba@p1");
}
static void done_user_remove(fx *f, ctx *c)
{
    (void)c;
    unsigned int r;
    assert_int_equal(tg_user_roles(&r, f->op, "ba@p1"), TG_ENOTFOUND);
}

static int run_invite(fx *f, ctx *c)
{
    c->created = (tg_invite *)c; /* a sentinel: *out must become NULL on error */
    return tg_invite_create(&c->created, fx_user(f, "ga@p2"));
}
static void failed_invite(fx *f, ctx *c)
{
    (void)f;
    assert_null(c->created);
}
static void done_invite(fx *f, ctx *c)
{
    assert_non_null(c->created);
    ok(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(c->created)));
}

static void prep_accept(fx *f, ctx *c)
{
    ok(tg_invite_create(&c->invite, fx_user(f, "ga@p2")));
}
static int run_accept(fx *f, ctx *c)
{
    return tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(c->invite));
}
static void done_accept(fx *f, ctx *c)
{
    (void)c;
    tg_iter *it = NULL;
    ok(tg_providers(&it, fx_user(f, "ga@r2")));
    assert_true(fx_has(it, P2));
}

static int run_partnership_remove(fx *f, ctx *c)
{
    (void)c;
    return tg_partnership_remove(fx_user(f, "ga@p1"), R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH);
}
static void done_partnership_remove(fx *f, ctx *c)
{
    (void)c;
    tg_iter *it = NULL;
    ok(tg_resellers(&it, fx_user(f, "ga@p1")));
    assert_int_equal(fx_count(it), 0);
}

static void prep_submit(fx *f, ctx *c)
{
    ok(tg_draft_new(&c->draft, fx_user(f, "ga@p1")));
    fx_fill_draft(c->draft, "failco");
    ok(tg_draft_set(c->draft, TG_FIELD_RESELLER, R1));
    ok(tg_draft_add_subscription(c->draft, "offer-e3", 5));
    ok(tg_draft_add_subscription(c->draft, "offer-e5", 7));
}
static int run_submit(fx *f, ctx *c)
{
    (void)f;
    c->receipt = (tg_receipt *)c; /* sentinel */
    return tg_draft_submit(&c->receipt, c->draft);
}
static void failed_submit(fx *f, ctx *c)
{
    (void)f;
    assert_null(c->receipt);
    /* The draft is intact: still reviewable and clean. */
    tg_problems *p = NULL;
    ok(tg_draft_review(&p, c->draft));
    tg_problems_free(p);
    assert_string_equal(tg_draft_get(c->draft, TG_FIELD_DOMAIN_PREFIX), "failco");
}
static void done_submit(fx *f, ctx *c)
{
    assert_non_null(c->receipt);
    assert_int_equal(tg_receipt_subscription_count(c->receipt), 2);
    tg_iter *it = NULL;
    ok(tg_subscriptions(&it, fx_user(f, "ga@p1"), tg_receipt_customer_id(c->receipt)));
    assert_int_equal(fx_count(it), 2);
}

static void prep_sub_add(fx *f, ctx *c)
{
    make_customer(f, c, "subadd", R1, 1);
}
static int run_sub_add(fx *f, ctx *c)
{
    c->new_id = (char *)c; /* sentinel */
    return tg_subscription_add(&c->new_id, fx_user(f, "ga@p1"), c->customer, "offer-x", 3, R1_PID,
                               R1);
}
static void failed_sub_add(fx *f, ctx *c)
{
    (void)f;
    assert_null(c->new_id);
}
static void done_sub_add(fx *f, ctx *c)
{
    assert_non_null(c->new_id);
    assert_true(sub_has(f, c->new_id, "\"partnerId\":\"" R1_PID "\""));
}

static void prep_plain_customer(fx *f, ctx *c)
{
    make_customer(f, c, "plain", NULL, 1);
}
static int run_set_reseller(fx *f, ctx *c)
{
    return tg_subscription_set_reseller(fx_user(f, "ga@p1"), c->subscription, R1_PID);
}
static void done_set_reseller(fx *f, ctx *c)
{
    assert_true(sub_has(f, c->subscription, "\"partnerId\":\"" R1_PID "\""));
}

static void prep_r1_customer(fx *f, ctx *c)
{
    make_customer(f, c, "forr1", R1, 1);
}
static int run_set_support(fx *f, ctx *c)
{
    return tg_subscription_set_support(fx_user(f, "ga@p1"), c->subscription, R1);
}
static void done_set_support(fx *f, ctx *c)
{
    assert_true(sub_has(f, c->subscription, "\"supportContact\":\"" R1 "\""));
}

static int run_set_status(fx *f, ctx *c)
{
    return tg_subscription_set_status(fx_user(f, "ga@p1"), c->subscription, TG_SUB_SUSPENDED);
}
static void done_set_status(fx *f, ctx *c)
{
    assert_true(sub_has(f, c->subscription, "\"status\":\"suspended\""));
}

static int run_customer_reseller(fx *f, ctx *c)
{
    return tg_customer_set_reseller(fx_user(f, "ga@p1"), c->customer, R1);
}
static void done_customer_reseller(fx *f, ctx *c)
{
    tg_iter *it = NULL;
    ok(tg_customers(&it, fx_user(f, "ga@p1"), R1));
    assert_true(fx_has(it, c->customer));
}

/* A customer with two subscriptions, both suspended: removable, and the removal
 * deletes three records. */
static void prep_customer_remove(fx *f, ctx *c)
{
    make_customer(f, c, "gone", NULL, 2);
    tg_iter *it = NULL;
    const char *sid;
    ok(tg_subscriptions(&it, fx_user(f, "ga@p1"), c->customer));
    while (tg_iter_next(it, &sid) == TG_OK)
        ok(tg_subscription_set_status(fx_user(f, "ga@p1"), sid, TG_SUB_SUSPENDED));
    tg_iter_free(it);
}
static int run_customer_remove(fx *f, ctx *c)
{
    return tg_customer_remove(fx_user(f, "ga@p1"), c->customer);
}
static void done_customer_remove(fx *f, ctx *c)
{
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), c->customer), TG_ENOTFOUND);
    assert_int_equal(tg_subscription_get(&json, fx_user(f, "ga@p1"), c->subscription),
                     TG_ENOTFOUND);
}

/* ---- the customers' own side (sign-in, multi-partner, multichannel) ---- */

static void prep_temporary(fx *f, ctx *c)
{
    cust_make(f, &c->cust, "ga@p1", "firstsign", NULL, 1);
}
static int run_change_password(fx *f, ctx *c)
{
    return tg_customer_change_password(f->g, c->cust.admin, c->cust.password, NEW_PASSWORD);
}
static void failed_change_password(fx *f, ctx *c)
{
    tg_session *s = NULL;
    assert_int_equal(tg_session_customer(&s, f->g, c->cust.admin, c->cust.password),
                     TG_EPASSWORD_CHANGE);
}
static void done_change_password(fx *f, ctx *c)
{
    tg_session *s = NULL;
    ok(tg_session_customer(&s, f->g, c->cust.admin, NEW_PASSWORD));
    tg_session_close(s);
}

static void prep_signed_in(fx *f, ctx *c)
{
    prep_temporary(f, c);
    c->signed_in = cust_sign_in(f, &c->cust);
}
static int run_customer_user_add(fx *f, ctx *c)
{
    (void)f;
    return tg_customer_user_add(c->signed_in, "ann@firstsign.onmicrosoft.com", "Initial-Pass1", 0);
}
static void done_customer_user_add(fx *f, ctx *c)
{
    (void)c;
    tg_session *s = NULL;
    assert_int_equal(tg_session_customer(&s, f->g, "ann@firstsign.onmicrosoft.com", "Initial-Pass1"),
                     TG_EPASSWORD_CHANGE);
}

static int run_relationship_request(fx *f, ctx *c)
{
    c->created = (tg_invite *)c; /* sentinel */
    return tg_relationship_request(&c->created, fx_user(f, "ga@p2"), c->cust.id);
}
static void done_relationship_request(fx *f, ctx *c)
{
    (void)f;
    assert_non_null(c->created);
    ok(tg_relationship_accept(c->signed_in, tg_invite_link(c->created)));
}

static void prep_relationship_accept(fx *f, ctx *c)
{
    prep_signed_in(f, c);
    ok(tg_relationship_request(&c->invite, fx_user(f, "ga@p2"), c->cust.id));
}
static int run_relationship_accept(fx *f, ctx *c)
{
    (void)f;
    return tg_relationship_accept(c->signed_in, tg_invite_link(c->invite));
}
static void done_relationship_accept(fx *f, ctx *c)
{
    tg_iter *it = NULL;
    ok(tg_customers(&it, fx_user(f, "ga@p2"), NULL));
    assert_true(fx_has(it, c->cust.id));
}

static int run_subscription_record(fx *f, ctx *c)
{
    (void)f;
    c->new_id = (char *)c; /* sentinel */
    return tg_subscription_record(&c->new_id, c->signed_in, TG_CHANNEL_EA, "offer-ea", 4, 0);
}
static void done_subscription_record(fx *f, ctx *c)
{
    (void)f;
    assert_non_null(c->new_id);
    tg_iter *it = NULL;
    ok(tg_subscriptions(&it, c->signed_in, c->cust.id));
    assert_true(fx_has(it, c->new_id));
}

/* A customer that accepted P2 and bought a subscription elsewhere. */
static void prep_multichannel(fx *f, ctx *c)
{
    prep_relationship_accept(f, c);
    ok(tg_relationship_accept(c->signed_in, tg_invite_link(c->invite)));
    ok(tg_subscription_record(&c->external, c->signed_in, TG_CHANNEL_OPEN, "offer-open", 2, 0));
}
static int run_subscription_hire(fx *f, ctx *c)
{
    (void)f;
    return tg_subscription_hire(c->signed_in, c->external, P2);
}
static void done_subscription_hire(fx *f, ctx *c)
{
    assert_true(sub_has_for(f, "ga@p2", c->external, "\"supportContact\":\"" P2 "\""));
}

static int run_subscription_move(fx *f, ctx *c)
{
    (void)f;
    return tg_subscription_move(c->signed_in, c->external, P2);
}
static void done_subscription_move(fx *f, ctx *c)
{
    assert_true(sub_has_for(f, "ga@p2", c->external, "\"partnerOfRecord\":\"" P2 "\""));
}

/* ---- JSON interop ---- */

static int run_import(fx *f, ctx *c)
{
    (void)c;
    return tg_import(f->op,
                     "{\"format\":\"tiergraph-export\",\"version\":1,\"partners\":[{\"tenant\":"
                     "\"" NEW_TENANT "\",\"kind\":2,\"partnerId\":\"2000009\",\"name\":\"r9\","
                     "\"domain\":\"r9.example\",\"country\":\"US\",\"agreement\":true,"
                     "\"tenants\":[]}],\"users\":[{\"id\":\"ga@r9\",\"partner\":\"" NEW_TENANT
                     "\",\"roles\":1}]}");
}
static void done_import(fx *f, ctx *c)
{
    done_enroll(f, c);
    assert_int_equal(roles_of(f, "ga@r9"), TG_ROLE_GLOBAL_ADMIN);
}

static const write_case cases[] = {
    {"enrol_is_all_or_nothing", NULL, run_enroll, NULL, done_enroll},
    {"set_agreement_is_all_or_nothing", NULL, run_agreement, NULL, done_agreement},
    {"add_tenant_is_all_or_nothing", NULL, run_add_tenant, NULL, done_add_tenant},
    {"user_add_is_all_or_nothing", NULL, run_user_add, NULL, done_user_add},
    {"user_set_roles_is_all_or_nothing", NULL, run_user_roles, NULL, done_user_roles},
    {"user_remove_is_all_or_nothing", NULL, run_user_remove, NULL, done_user_remove},
    {"invite_create_is_all_or_nothing", NULL, run_invite, failed_invite, done_invite},
    {"partnership_accept_is_all_or_nothing", prep_accept, run_accept, NULL, done_accept},
    {"partnership_remove_is_all_or_nothing", NULL, run_partnership_remove, NULL,
     done_partnership_remove},
    {"draft_submit_is_all_or_nothing_and_retryable", prep_submit, run_submit, failed_submit,
     done_submit},
    {"subscription_add_is_all_or_nothing", prep_sub_add, run_sub_add, failed_sub_add,
     done_sub_add},
    {"subscription_set_reseller_is_all_or_nothing", prep_plain_customer, run_set_reseller, NULL,
     done_set_reseller},
    {"subscription_set_support_is_all_or_nothing", prep_r1_customer, run_set_support, NULL,
     done_set_support},
    {"subscription_set_status_is_all_or_nothing", prep_plain_customer, run_set_status, NULL,
     done_set_status},
    {"customer_set_reseller_is_all_or_nothing", prep_plain_customer, run_customer_reseller, NULL,
     done_customer_reseller},
    {"customer_remove_is_all_or_nothing", prep_customer_remove, run_customer_remove, NULL,
     done_customer_remove},
    {"customer_change_password_is_all_or_nothing", prep_temporary, run_change_password,
     failed_change_password, done_change_password},
    {"customer_user_add_is_all_or_nothing", prep_signed_in, run_customer_user_add, NULL,
     done_customer_user_add},
    {"relationship_request_is_all_or_nothing", prep_signed_in, run_relationship_request,
     failed_invite, done_relationship_request},
    {"relationship_accept_is_all_or_nothing", prep_relationship_accept, run_relationship_accept,
     NULL, done_relationship_accept},
    {"subscription_record_is_all_or_nothing", prep_signed_in, run_subscription_record,
     failed_sub_add, done_subscription_record},
    {"subscription_hire_is_all_or_nothing", prep_multichannel, run_subscription_hire, NULL,
     done_subscription_hire},
    {"subscription_move_is_all_or_nothing", prep_multichannel, run_subscription_move, NULL,
     done_subscription_move},
    {"import_is_all_or_nothing", NULL, run_import, NULL, done_import},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ---- the one loop every write goes through ---- */

typedef struct run_state {
    const write_case *wc;
    void *fx;
} run_state;

/* How many puts the write makes, counted on a twin fixture where it succeeds. */
static int count_puts(const write_case *wc)
{
    void *st = NULL;
    fx_setup(&st);
    fx *t = st;
    ctx c = {0};
    if (wc->prepare) wc->prepare(t, &c);
    int before = fault_store_puts(t->store);
    ok(wc->run(t, &c));
    int n = fault_store_puts(t->store) - before;
    ctx_free(&c);
    fx_teardown(&st);
    return n;
}

/* Put a different error message in place, so a stale message cannot pass. */
static void reset_message(fx *f)
{
    unsigned int r;
    assert_int_equal(tg_user_roles(&r, f->op, ""), TG_EINVAL);
    assert_null(strstr(tg_error_message(), "nothing was changed"));
}

/* The number of change events after `revision`. */
static size_t events_after(fx *f, uint64_t revision)
{
    tg_iter *it = NULL;
    ok(tg_changes(&it, f->op, revision, 0));
    return fx_count(it);
}

/* One injected failure: EIO, a message saying nothing changed, nothing changed. */
static void fails_cleanly(fx *f, ctx *c, const write_case *wc, const char *how, const char *state,
                          const char *disk, uint64_t revision)
{
    reset_message(f);
    int rc = wc->run(f, c);
    char msg[600];
    snprintf(msg, sizeof(msg), "%s", tg_error_message());
    fault_store_fail_put(f->store, 0);
    fault_store_fail_commit(f->store, 0);
    fault_store_fail_begin(f->store, 0);
    if (rc != TG_EIO) fail_msg("%s with %s: rc %d (%s), expected TG_EIO", wc->name, how, rc, msg);
    if (!msg[0] || !strstr(msg, "nothing was changed"))
        fail_msg("%s with %s: message '%s' does not say nothing was changed", wc->name, how, msg);
    assert_int_equal(tg_graph_revision(f->g), revision);
    assert_int_equal(events_after(f, revision), 0); /* no change event either */
    char *now_state = fx_state(f), *now_disk = fx_store_dump(f);
    assert_string_equal(now_state, state);
    assert_string_equal(now_disk, disk);
    free(now_state);
    free(now_disk);
    if (tg_graph_verify(f->g) != TG_OK)
        fail_msg("%s with %s: verify: %s", wc->name, how, tg_error_message());
    if (wc->failed) wc->failed(f, c);
}

static void write_is_all_or_nothing(void **state)
{
    run_state *rs = *state;
    const write_case *wc = rs->wc;
    fx *f = rs->fx;
    int nputs = count_puts(wc);
    assert_true(nputs >= 2); /* at least the change event and the revision record */

    ctx c = {0};
    if (wc->prepare) wc->prepare(f, &c);
    uint64_t revision = tg_graph_revision(f->g);
    char *before = fx_state(f), *disk = fx_store_dump(f);
    char how[64];
    for (int n = 1; n <= nputs; n++) {
        snprintf(how, sizeof(how), "put %d of %d failing", n, nputs);
        fault_store_fail_put(f->store, n);
        fails_cleanly(f, &c, wc, how, before, disk, revision);
    }
    fault_store_fail_commit(f->store, 1);
    fails_cleanly(f, &c, wc, "commit failing", before, disk, revision);
    fault_store_fail_begin(f->store, 1);
    fails_cleanly(f, &c, wc, "begin failing", before, disk, revision);

    /* Clean: it succeeds (a retry, after all those failures), with as many puts
     * as counted, one revision more, and a visible change. */
    int puts0 = fault_store_puts(f->store);
    ok(wc->run(f, &c));
    assert_int_equal(fault_store_puts(f->store) - puts0, nputs);
    assert_int_equal(tg_graph_revision(f->g), revision + 1);
    char *after = fx_state(f), *disk_after = fx_store_dump(f);
    assert_string_not_equal(after, before);
    assert_string_not_equal(disk_after, disk);
    /* The write's change event was one of the puts that failed above. */
    assert_int_equal(events_after(f, revision), 1);
    char event_key[64];
    snprintf(event_key, sizeof(event_key), "event/%020llu=", (unsigned long long)(revision + 1));
    assert_null(strstr(disk, event_key));
    assert_non_null(strstr(disk_after, event_key));
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    wc->done(f, &c);
    free(after);
    free(disk_after);
    free(before);
    free(disk);
    ctx_free(&c);
}

static int case_setup(void **state)
{
    run_state *rs = calloc(1, sizeof(*rs));
    assert_non_null(rs);
    rs->wc = *state;
    fx_setup(&rs->fx);
    *state = rs;
    return 0;
}

static int case_teardown(void **state)
{
    run_state *rs = *state;
    fx_teardown(&rs->fx);
    free(rs);
    return 0;
}

int main(void)
{
    struct CMUnitTest tests[NCASES];
    for (size_t i = 0; i < NCASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, write_is_all_or_nothing, case_setup,
                                       case_teardown, (void *)&cases[i]};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
