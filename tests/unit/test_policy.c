/* test_policy.c - the role matrix of DOMAIN.md §2, exhaustively: every action x every
 * single role x every partner kind (provider P1, reseller R1, direct-bill D1) plus the
 * operator session, through tg_check(session, action, NULL) and tg_explain. */
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

/* ------------------------------------------------------------------ */
/* The expected matrix, written from DOMAIN.md §2 (not from src/).      */
/* ------------------------------------------------------------------ */

/* Roles, in the column order of the DOMAIN.md §2 table. */
#define NROLES 6
static const char *const role_user[NROLES] = {"ga", "ua", "aa", "sa", "ha", "ba"};
static const unsigned int role_bit[NROLES] = {
    TG_ROLE_GLOBAL_ADMIN, TG_ROLE_USER_ADMIN,     TG_ROLE_ADMIN_AGENT,
    TG_ROLE_SALES_AGENT,  TG_ROLE_HELPDESK_AGENT, TG_ROLE_BILLING_ADMIN};
/* How a denial names a role (DOMAIN.md §2 spelling). */
static const char *const role_text[NROLES] = {"Global admin",   "User management admin",
                                              "Admin agent",    "Sales agent",
                                              "Helpdesk agent", "Billing admin"};

/* Partner kinds, one fixture partner each. */
#define NKINDS 3
static const char *const kind_partner[NKINDS] = {"p1", "r1", "d1"};
static const char *const kind_letter = "PRD";
/* How a denial names the kind of the session's partner. */
static const char *const kind_text[NKINDS] = {"indirect provider", "indirect reseller",
                                              "direct-bill"};

/*
 * One row per action. `roles` has one character per role column of DOMAIN.md §2
 * (GA UA AA SA HA BA): 'x' = the role may, '.' = it may not. `kinds` lists the
 * partner kinds whose users may act at all: P provider, R reseller, D direct-bill.
 * `op` says whether the operator session may.
 *
 * Kinds: DOMAIN.md §1/§2 "a reseller's users can never create customers or place
 * orders"; §3 sending a request and removing a partnership are the provider's,
 * accepting is the reseller's. Where DOMAIN.md is silent the library decided:
 * setting a subscription's reseller is provider-only; support contact and customer
 * removal belong to sellers (provider, direct-bill); viewing a subscription is open
 * to every role; customer removal needs Global admin or Admin agent; the operator
 * may only enrol partners, manage users and grant Global admin.
 */
typedef struct expect_row {
    tg_action action;
    const char *name;
    const char *roles; /* GA UA AA SA HA BA */
    const char *kinds; /* subset of "PRD" */
    int op;
} expect_row;

static const expect_row matrix[] = {
    /*  action                             name                     GAUAAASAHABA  kinds  op */
    {TG_ACT_VIEW_PARTNERS,             "view partner lists",      "xxxx..",     "PRD", 0},
    {TG_ACT_VIEW_CUSTOMER,             "view shared customers",   "xxxx..",     "PRD", 0},
    {TG_ACT_INVITE_SEND,               "send partnership request", "xxxx..",    "P",   0},
    {TG_ACT_INVITE_ACCEPT,             "accept partnership",      "x.....",     "R",   0},
    {TG_ACT_PARTNERSHIP_REMOVE,        "remove partnership",      "x.....",     "P",   0},
    {TG_ACT_CUSTOMER_CREATE,           "create customer",         "xxxx..",     "PD",  0},
    {TG_ACT_ORDER_PLACE,               "place orders",            "x.xxxx",     "PD",  0},
    {TG_ACT_SUBSCRIPTION_SET_RESELLER, "set subscription reseller", "x.xx..",   "P",   0},
    {TG_ACT_SUBSCRIPTION_SET_SUPPORT,  "set support contact",     "x.x.x.",     "PD",  0},
    {TG_ACT_DELEGATED_ADMIN,           "delegated admin",         "..x...",     "PRD", 0},
    {TG_ACT_USERS_MANAGE,              "manage users",            "xx....",     "PRD", 1},
    {TG_ACT_GLOBAL_ADMIN_GRANT,        "grant Global admin",      "x.....",     "PRD", 1},
    {TG_ACT_BILLING_VIEW,              "view billing",            "x.x..x",     "PRD", 0},
    {TG_ACT_CUSTOMER_REMOVE,           "remove customer",         "x.x...",     "PD",  0},
    {TG_ACT_VIEW_SUBSCRIPTION,         "view subscription",       "xxxxxx",     "PRD", 0},
    {TG_ACT_PARTNER_ENROLL,            "enrol partners",          "......",     "",    1},
    /* DOMAIN.md §6. A relationship request comes from a partner that sells; the
     * rest are the customer's own (its Global admin: test_signin.c). */
    {TG_ACT_RELATIONSHIP_REQUEST,      "request relationship",    "x.xx..",     "PD",  0},
    {TG_ACT_RELATIONSHIP_ACCEPT,       "accept relationship",     "......",     "",    0},
    {TG_ACT_SUBSCRIPTION_RECORD,       "record subscription",     "......",     "",    0},
    {TG_ACT_SUBSCRIPTION_HIRE,         "hire a partner",          "......",     "",    0},
    {TG_ACT_SUBSCRIPTION_MOVE,         "switch partner",          "......",     "",    0},
};
#define NROWS (sizeof(matrix) / sizeof(matrix[0]))

/* Counted by hand from the table above (roles allowed x kinds allowed, + operator):
 * 12+12+4+1+1+8+10+3+6+3+(6+1)+(3+1)+9+4+18+1 + 6+0+0+0+0 = 109. */
#define EXPECTED_ALLOWED_CELLS 109

static const expect_row *row_of(tg_action action)
{
    for (size_t i = 0; i < NROWS; i++)
        if (matrix[i].action == action) return &matrix[i];
    return NULL;
}

static int role_may(const expect_row *r, int role)
{
    return r->roles[role] == 'x';
}

static int kind_may(const expect_row *r, int kind)
{
    return strchr(r->kinds, kind_letter[kind]) != NULL;
}

static tg_session *session_of(fx *f, int role, int kind)
{
    char user[32];
    snprintf(user, sizeof(user), "%s@%s", role_user[role], kind_partner[kind]);
    return fx_user(f, user);
}

/* Asserts that the last error message explains a denial of `r` to a user holding
 * holding the roles in `held`, of a partner of kind `kind`. */
static void assert_denial_message(const expect_row *r, unsigned int held, int kind,
                                  const char *msg, const char *who)
{
    assert_non_null(msg);
    int kind_ok = kind_may(r, kind);
    int names_kind = strstr(msg, kind_text[kind]) != NULL;
    int names_roles = 1, any_role = 0;
    for (int k = 0; k < NROLES; k++) {
        if (!role_may(r, k)) continue;
        any_role = 1;
        if (!strstr(msg, role_text[k])) names_roles = 0;
    }
    if (!any_role) {
        /* No partner role may: only the operator, or only a customer's Global admin. */
        const char *only = r->op ? "operator" : "customer's Global admin";
        if (!strstr(msg, only))
            fail_msg("%s / %s: denial should name the %s: '%s'", r->name, who, only, msg);
        return;
    }
    int roles_ok = 0;
    for (int k = 0; k < NROLES; k++)
        if ((held & role_bit[k]) && role_may(r, k)) roles_ok = 1;
    if (!kind_ok && roles_ok && !names_kind)
        fail_msg("%s / %s: kind denial should name '%s': '%s'", r->name, who, kind_text[kind],
                 msg);
    if (kind_ok && !roles_ok && !names_roles)
        fail_msg("%s / %s: role denial should name the required roles: '%s'", r->name, who, msg);
    if (!kind_ok && !roles_ok && !names_kind && !names_roles)
        fail_msg("%s / %s: denial names neither kind nor roles: '%s'", r->name, who, msg);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §2: the table itself                                         */
/* ------------------------------------------------------------------ */

/* The expected table covers every action exactly once, and its hand count is right. */
static void expected_table_covers_every_action(void **state)
{
    (void)state;
    assert_int_equal(NROWS, TG_ACT_LAST_);
    int allowed = 0;
    for (int a = 1; a <= TG_ACT_LAST_; a++) {
        const expect_row *r = row_of((tg_action)a);
        assert_non_null(r);
        assert_int_equal(strlen(r->roles), NROLES);
        for (int k = 0; k < NKINDS; k++)
            for (int role = 0; role < NROLES; role++)
                allowed += kind_may(r, k) && role_may(r, role);
        allowed += r->op;
    }
    assert_int_equal(allowed, EXPECTED_ALLOWED_CELLS);
}

/* DOMAIN §2: every action x single role x partner kind answers as the table says. */
static void role_matrix_single_roles_every_kind(void **state)
{
    fx *f = *state;
    uint64_t rev = tg_graph_revision(f->g);
    for (size_t i = 0; i < NROWS; i++) {
        const expect_row *r = &matrix[i];
        for (int kind = 0; kind < NKINDS; kind++) {
            for (int role = 0; role < NROLES; role++) {
                char who[32];
                snprintf(who, sizeof(who), "%s@%s", role_user[role], kind_partner[kind]);
                int want = kind_may(r, kind) && role_may(r, role) ? TG_OK : TG_EDENIED;
                int got = tg_check(session_of(f, role, kind), r->action, NULL);
                if (got != want)
                    fail_msg("%s by %s: expected %d got %d (%s)", r->name, who, want, got,
                             tg_error_message());
                if (got == TG_EDENIED)
                    assert_denial_message(r, role_bit[role], kind, tg_error_message(), who);
            }
        }
    }
    assert_int_equal(tg_graph_revision(f->g), rev); /* a decision writes nothing */
}

/* DOMAIN §2: "The operator session is not a partner user and has only operator actions." */
static void operator_has_only_operator_actions(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < NROWS; i++) {
        const expect_row *r = &matrix[i];
        int got = tg_check(f->op, r->action, NULL);
        if (got != (r->op ? TG_OK : TG_EDENIED))
            fail_msg("operator / %s: got %d (%s)", r->name, got, tg_error_message());
        if (got == TG_EDENIED) assert_non_null(strstr(tg_error_message(), "operator"));
    }
}

/* DOMAIN §2: the count of allowed cells matches the hand count (not all-denied). */
static void allowed_cell_count_matches_hand_count(void **state)
{
    fx *f = *state;
    int allowed = 0, denied = 0;
    for (int a = 1; a <= TG_ACT_LAST_; a++) {
        for (int kind = 0; kind < NKINDS; kind++)
            for (int role = 0; role < NROLES; role++) {
                int rc = tg_check(session_of(f, role, kind), (tg_action)a, NULL);
                if (rc == TG_OK) allowed++;
                else if (rc == TG_EDENIED) denied++;
            }
        int rc = tg_check(f->op, (tg_action)a, NULL);
        if (rc == TG_OK) allowed++;
        else if (rc == TG_EDENIED) denied++;
    }
    assert_int_equal(allowed, EXPECTED_ALLOWED_CELLS);
    assert_int_equal(allowed + denied, TG_ACT_LAST_ * (NKINDS * NROLES + 1));
}

/* DOMAIN §2 "a denied action returns a permission error naming the missing role":
 * spot checks that do not go through the table helper. */
static void denial_names_missing_role_or_kind(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_check(fx_user(f, "ua@r1"), TG_ACT_INVITE_ACCEPT, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "Global admin"));
    assert_int_equal(tg_check(fx_user(f, "ga@p1"), TG_ACT_DELEGATED_ADMIN, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "Admin agent"));
    assert_int_equal(tg_check(fx_user(f, "ga@r1"), TG_ACT_CUSTOMER_CREATE, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "indirect reseller"));
    assert_int_equal(tg_check(fx_user(f, "ga@r1"), TG_ACT_ORDER_PLACE, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "indirect reseller"));
    assert_int_equal(tg_check(fx_user(f, "ga@d1"), TG_ACT_INVITE_SEND, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "direct-bill"));
    assert_int_equal(tg_check(fx_user(f, "ga@p1"), TG_ACT_INVITE_ACCEPT, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "indirect provider"));
    /* The roles needed and held, each listed in full. */
    assert_int_equal(tg_check(fx_user(f, "ua@r1"), TG_ACT_INVITE_ACCEPT, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "needs one of the roles Global admin (holds User "
                                               "management admin)"));
    assert_int_equal(tg_user_add(f->op, P1, "two@p1", TG_ROLE_HELPDESK_AGENT | TG_ROLE_BILLING_ADMIN),
                     TG_OK);
    tg_session *two;
    assert_int_equal(tg_session_user(&two, f->g, "two@p1"), TG_OK);
    assert_int_equal(tg_check(two, TG_ACT_VIEW_PARTNERS, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(),
                           "needs one of the roles Global admin, User management admin, Admin "
                           "agent, Sales agent (holds Helpdesk agent, Billing admin)"));
    tg_session_close(two);
}

/* DOMAIN §2 "holding one or more roles": a user with several roles gets the union,
 * for every one of the 63 role sets, in every partner kind. */
static void several_roles_give_the_union(void **state)
{
    fx *f = *state;
    static const char *const tenants[NKINDS] = {P1, R1, D1};
    for (int kind = 0; kind < NKINDS; kind++) {
        for (unsigned int set = 1; set <= TG_ROLE_ALL; set++) {
            char user[48];
            snprintf(user, sizeof(user), "m%02u@%s", set, kind_partner[kind]);
            assert_int_equal(tg_user_add(f->op, tenants[kind], user, set), TG_OK);
            tg_session *s;
            assert_int_equal(tg_session_user(&s, f->g, user), TG_OK);
            for (size_t i = 0; i < NROWS; i++) {
                const expect_row *r = &matrix[i];
                int may = 0;
                for (int k = 0; k < NROLES; k++)
                    if ((set & role_bit[k]) && role_may(r, k)) may = 1;
                int want = may && kind_may(r, kind) ? TG_OK : TG_EDENIED;
                int got = tg_check(s, r->action, NULL);
                if (got != want)
                    fail_msg("%s by %s (roles 0x%x): expected %d got %d (%s)", r->name, user, set,
                             want, got, tg_error_message());
                if (got == TG_EDENIED) assert_denial_message(r, set, kind, tg_error_message(), user);
            }
            tg_session_close(s);
        }
    }
}

/* DOMAIN §2: tg_explain agrees with tg_check in every cell and says why. */
static void explain_agrees_with_check(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < NROWS; i++) {
        const expect_row *r = &matrix[i];
        for (int kind = 0; kind <= NKINDS; kind++) {
            for (int role = 0; role < NROLES; role++) {
                tg_session *s = kind == NKINDS ? f->op : session_of(f, role, kind);
                int want = tg_check(s, r->action, NULL);
                char *text = (char *)"sentinel";
                int got = tg_explain(&text, s, r->action, NULL);
                assert_int_equal(got, want);
                assert_non_null(text);
                if (got == TG_OK) {
                    if (strncmp(text, "allowed", 7) != 0)
                        fail_msg("%s: explain of an allowed cell: '%s'", r->name, text);
                } else {
                    assert_int_equal(got, TG_EDENIED);
                    if (!strstr(text, "denied"))
                        fail_msg("%s: explain of a denied cell: '%s'", r->name, text);
                    if (kind < NKINDS)
                        assert_denial_message(r, role_bit[role], kind, text, role_user[role]);
                    else
                        assert_non_null(strstr(text, "operator"));
                }
                tg_free(text);
                if (kind == NKINDS) break; /* one operator session, not one per role */
            }
        }
    }
}

/* tiergraph.h tg_check/tg_explain: invalid actions and sessions are TG_EINVAL. */
static void check_refuses_unknown_action_and_null_session(void **state)
{
    fx *f = *state;
    const int bad[] = {0, TG_ACT_LAST_ + 1, -1};
    tg_session *sessions[] = {fx_user(f, "ga@p1"), fx_user(f, "ga@r1"), f->op};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        for (size_t k = 0; k < sizeof(sessions) / sizeof(sessions[0]); k++) {
            assert_int_equal(tg_check(sessions[k], (tg_action)bad[i], NULL), TG_EINVAL);
            char *text = (char *)"sentinel";
            assert_int_equal(tg_explain(&text, sessions[k], (tg_action)bad[i], NULL), TG_EINVAL);
            assert_null(text);
        }
    }
    assert_int_equal(tg_check(NULL, TG_ACT_VIEW_PARTNERS, NULL), TG_EINVAL);
    char *text = (char *)"sentinel";
    assert_int_equal(tg_explain(&text, NULL, TG_ACT_VIEW_PARTNERS, NULL), TG_EINVAL);
    assert_null(text);
    assert_int_equal(tg_explain(NULL, fx_user(f, "ga@p1"), TG_ACT_VIEW_PARTNERS, NULL), TG_EINVAL);
}

/* DOMAIN §2: roles are resolved at each call, so a role change applies at once. */
static void role_change_applies_to_open_session(void **state)
{
    fx *f = *state;
    tg_session *s = fx_user(f, "ha@p1");
    assert_int_equal(tg_check(s, TG_ACT_CUSTOMER_CREATE, NULL), TG_EDENIED);
    assert_int_equal(tg_user_set_roles(fx_user(f, "ga@p1"), "ha@p1", TG_ROLE_SALES_AGENT), TG_OK);
    assert_int_equal(tg_check(s, TG_ACT_CUSTOMER_CREATE, NULL), TG_OK);
    assert_int_equal(tg_check(s, TG_ACT_SUBSCRIPTION_SET_SUPPORT, NULL), TG_EDENIED);
    assert_non_null(strstr(tg_error_message(), "Helpdesk agent"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* DOMAIN §2 */
        cmocka_unit_test(expected_table_covers_every_action),
        cmocka_unit_test_setup_teardown(role_matrix_single_roles_every_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(operator_has_only_operator_actions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(allowed_cell_count_matches_hand_count, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(denial_names_missing_role_or_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(several_roles_give_the_union, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(explain_agrees_with_check, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_refuses_unknown_action_and_null_session, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(role_change_applies_to_open_session, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
