/* test_users.c - partner users and their roles (DOMAIN.md §2): who adds, changes
 * and removes users, the Global admin rule, and sessions that follow the graph. */
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

#define NEW_P "40000000-0000-4000-8000-000000000001"
#define UNKNOWN_TENANT "40000000-0000-4000-8000-0000000000ff"

#define GA TG_ROLE_GLOBAL_ADMIN
#define UA TG_ROLE_USER_ADMIN
#define AA TG_ROLE_ADMIN_AGENT
#define SA TG_ROLE_SALES_AGENT
#define HA TG_ROLE_HELPDESK_AGENT
#define BA TG_ROLE_BILLING_ADMIN

/* A user's roles as the operator reads them. */
static unsigned int roles_of(fx *f, const char *user)
{
    unsigned int r = 0xdead;
    assert_int_equal(tg_user_roles(&r, f->op, user), TG_OK);
    return r;
}

static int user_exists(fx *f, const char *user)
{
    unsigned int r;
    int rc = tg_user_roles(&r, f->op, user);
    assert_true(rc == TG_OK || rc == TG_ENOTFOUND);
    return rc == TG_OK;
}

static size_t users_of(fx *f, const char *tenant)
{
    tg_iter *it;
    assert_int_equal(tg_users(&it, f->op, tenant), TG_OK);
    return fx_count(it);
}

/* A draft as `s`: TG_OK or the refusal (the draft is freed). */
static int try_draft(tg_session *s)
{
    tg_draft *d = NULL;
    int rc = tg_draft_new(&d, s);
    if (rc) assert_null(d);
    tg_draft_free(d);
    return rc;
}

/* ------------------------------------------------------------------ */
/* DOMAIN §2: who adds users                                            */
/* ------------------------------------------------------------------ */

static void operator_adds_first_global_admin(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_partner_enroll(f->op, TG_PARTNER_INDIRECT_PROVIDER, NEW_P, "4847383",
                                       "Contoso", "contoso.example", "US"),
                     TG_OK);
    assert_int_equal(users_of(f, NEW_P), 0);
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_user_add(f->op, NEW_P, "ana@contoso.example", GA), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    assert_int_equal(roles_of(f, "ana@contoso.example"), GA);
    /* the first Global admin then runs the partner's users */
    tg_session *ana;
    assert_int_equal(tg_session_user(&ana, f->g, "ana@contoso.example"), TG_OK);
    assert_int_equal(tg_user_add(ana, NEW_P, "ben@contoso.example", UA | SA), TG_OK);
    assert_int_equal(tg_user_add(ana, NEW_P, "cy@contoso.example", GA), TG_OK);
    assert_int_equal(users_of(f, NEW_P), 3);
    assert_int_equal(roles_of(f, "ben@contoso.example"), UA | SA);
    tg_session_close(ana);
    /* unknown partner */
    REFUSED(f, tg_user_add(f->op, UNKNOWN_TENANT, "x@nowhere.example", GA), TG_ENOTFOUND);
    assert_false(user_exists(f, "x@nowhere.example"));
}

static void global_and_user_admin_add_users_to_own_partner(void **state)
{
    fx *f = *state;
    static const char *admins[] = {"ga@p1", "ua@p1", "ga@r2", "ua@d1"};
    static const char *tenants[] = {P1, P1, R2, D1};
    static const char *new_users[] = {"n1@p1", "n2@p1", "n1@r2", "n1@d1"};
    static const unsigned int roles[] = {SA, AA | HA, BA, UA};
    for (size_t i = 0; i < 4; i++) {
        uint64_t rev = tg_graph_revision(f->g);
        size_t before = users_of(f, tenants[i]);
        assert_int_equal(tg_user_add(fx_user(f, admins[i]), tenants[i], new_users[i], roles[i]),
                         TG_OK);
        assert_int_equal(tg_graph_revision(f->g), rev + 1);
        assert_int_equal(users_of(f, tenants[i]), before + 1);
        assert_int_equal(roles_of(f, new_users[i]), roles[i]);
        tg_iter *it;
        assert_int_equal(tg_users(&it, f->op, tenants[i]), TG_OK);
        assert_true(fx_has(it, new_users[i]));
    }
}

static void other_roles_cannot_add_users(void **state)
{
    fx *f = *state;
    static const char *users[] = {"aa@p1", "sa@p1", "ha@p1", "ba@p1", "aa@r1", "ba@d1"};
    static const char *tenants[] = {P1, P1, P1, P1, R1, D1};
    for (size_t i = 0; i < 6; i++) {
        size_t before = users_of(f, tenants[i]);
        REFUSED(f, tg_user_add(fx_user(f, users[i]), tenants[i], "new@x.example", SA), TG_EDENIED);
        MSG_HAS("User management admin");
        MSG_HAS("Global admin");
        assert_int_equal(users_of(f, tenants[i]), before);
        assert_false(user_exists(f, "new@x.example"));
        /* nor change or remove anyone */
        REFUSED(f, tg_user_set_roles(fx_user(f, users[i]), "ha@p1", BA),
                strcmp(tenants[i], P1) == 0 ? TG_EDENIED : TG_ENOTFOUND);
    }
    REFUSED(f, tg_user_remove(fx_user(f, "aa@p1"), "ha@p1"), TG_EDENIED);
    MSG_HAS("User management admin");
    assert_int_equal(roles_of(f, "ha@p1"), HA);
}

static void nobody_adds_users_to_another_partner(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ga@p1", "ua@p1", "ga@r1"};
    static const char *other[] = {P2, R1, P1}; /* partners these users can see */
    for (size_t i = 0; i < 3; i++) {
        size_t before = users_of(f, other[i]);
        REFUSED(f, tg_user_add(fx_user(f, users[i]), other[i], "intruder@x.example", GA | UA),
                TG_EDENIED);
        MSG_HAS("own partner");
        assert_int_equal(users_of(f, other[i]), before);
        assert_false(user_exists(f, "intruder@x.example"));
    }
    /* A partner the user cannot see answers exactly like a tenant that does not exist. */
    REFUSED(f, tg_user_add(fx_user(f, "ga@d1"), R3, "intruder@x.example", GA), TG_ENOTFOUND);
    char unseen[256];
    snprintf(unseen, sizeof(unseen), "%s", tg_error_message());
    REFUSED(f, tg_user_add(fx_user(f, "ga@d1"), "40000000-0000-4000-8000-0000000000ff",
                           "intruder@x.example", GA),
            TG_ENOTFOUND);
    assert_non_null(strstr(unseen, "no partner with tenant"));
    MSG_HAS("no partner with tenant");
    assert_int_equal(users_of(f, R3), 6);
    /* nor change or remove another partner's users: they are not even visible */
    REFUSED(f, tg_user_set_roles(fx_user(f, "ga@p1"), "sa@p2", GA), TG_ENOTFOUND);
    REFUSED(f, tg_user_remove(fx_user(f, "ga@p1"), "sa@p2"), TG_ENOTFOUND);
    assert_int_equal(roles_of(f, "sa@p2"), SA);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §2: only a Global admin grants or revokes Global admin        */
/* ------------------------------------------------------------------ */

static void user_admin_cannot_touch_global_admin(void **state)
{
    fx *f = *state;
    tg_session *ua = fx_user(f, "ua@p1");
    /* add a user with Global admin */
    REFUSED(f, tg_user_add(ua, P1, "boss@p1", GA), TG_EDENIED);
    MSG_HAS("Global admin");
    REFUSED(f, tg_user_add(ua, P1, "boss@p1", GA | SA), TG_EDENIED);
    assert_false(user_exists(f, "boss@p1"));
    /* promote a user to Global admin */
    REFUSED(f, tg_user_set_roles(ua, "sa@p1", SA | GA), TG_EDENIED);
    MSG_HAS("Global admin");
    assert_int_equal(roles_of(f, "sa@p1"), SA);
    /* revoke Global admin from a Global admin */
    REFUSED(f, tg_user_set_roles(ua, "ga@p1", SA), TG_EDENIED);
    MSG_HAS("Global admin");
    /* change a Global admin's other roles at all */
    REFUSED(f, tg_user_set_roles(ua, "ga@p1", GA | AA), TG_EDENIED);
    MSG_HAS("Global admin");
    assert_int_equal(roles_of(f, "ga@p1"), GA);
    /* remove a Global admin */
    REFUSED(f, tg_user_remove(ua, "ga@p1"), TG_EDENIED);
    MSG_HAS("Global admin");
    assert_true(user_exists(f, "ga@p1"));
    /* a user holding Global admin among other roles is a Global admin too */
    assert_int_equal(tg_user_add(fx_user(f, "ga@p1"), P1, "mixed@p1", GA | BA), TG_OK);
    REFUSED(f, tg_user_set_roles(ua, "mixed@p1", GA | BA | SA), TG_EDENIED);
    REFUSED(f, tg_user_remove(ua, "mixed@p1"), TG_EDENIED);
    assert_int_equal(roles_of(f, "mixed@p1"), GA | BA);
    /* what the User management admin may do: everything else */
    assert_int_equal(tg_user_add(ua, P1, "clerk@p1", SA), TG_OK);
    assert_int_equal(tg_user_set_roles(ua, "clerk@p1", SA | BA), TG_OK);
    assert_int_equal(roles_of(f, "clerk@p1"), SA | BA);
    assert_int_equal(tg_user_remove(ua, "clerk@p1"), TG_OK);
    assert_false(user_exists(f, "clerk@p1"));
}

static void global_admin_grants_and_revokes_global_admin(void **state)
{
    fx *f = *state;
    tg_session *ga = fx_user(f, "ga@p1");
    uint64_t rev = tg_graph_revision(f->g);
    /* add a user with Global admin */
    assert_int_equal(tg_user_add(ga, P1, "boss@p1", GA), TG_OK);
    assert_int_equal(roles_of(f, "boss@p1"), GA);
    /* promote a user to Global admin */
    assert_int_equal(tg_user_set_roles(ga, "sa@p1", SA | GA), TG_OK);
    assert_int_equal(roles_of(f, "sa@p1"), SA | GA);
    /* change a Global admin's other roles */
    assert_int_equal(tg_user_set_roles(ga, "boss@p1", GA | AA), TG_OK);
    assert_int_equal(roles_of(f, "boss@p1"), GA | AA);
    /* revoke Global admin */
    assert_int_equal(tg_user_set_roles(ga, "boss@p1", AA), TG_OK);
    assert_int_equal(roles_of(f, "boss@p1"), AA);
    /* remove a Global admin */
    assert_int_equal(tg_user_remove(ga, "sa@p1"), TG_OK);
    assert_false(user_exists(f, "sa@p1"));
    assert_int_equal(tg_graph_revision(f->g), rev + 5);
    /* the operator may too */
    assert_int_equal(tg_user_set_roles(f->op, "ua@p1", UA | GA), TG_OK);
    assert_int_equal(roles_of(f, "ua@p1"), UA | GA);
    /* once a Global admin, the former User management admin may grant it */
    assert_int_equal(tg_user_set_roles(fx_user(f, "ua@p1"), "ha@p1", HA | GA), TG_OK);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §2: arguments                                                 */
/* ------------------------------------------------------------------ */

static void roles_must_be_known_and_not_empty(void **state)
{
    fx *f = *state;
    static const unsigned int bad[] = {0, 0x40, 0x80 | SA, 0x80000000u, ~0u};
    for (size_t i = 0; i < 5; i++) {
        REFUSED(f, tg_user_add(f->op, P1, "new@p1", bad[i]), TG_EINVAL);
        MSG_HAS("roles");
        assert_false(user_exists(f, "new@p1"));
        REFUSED(f, tg_user_add(fx_user(f, "ga@p1"), P1, "new@p1", bad[i]), TG_EINVAL);
        REFUSED(f, tg_user_set_roles(fx_user(f, "ga@p1"), "sa@p1", bad[i]), TG_EINVAL);
        MSG_HAS("roles");
        REFUSED(f, tg_user_set_roles(f->op, "sa@p1", bad[i]), TG_EINVAL);
        assert_int_equal(roles_of(f, "sa@p1"), SA);
    }
    /* every known role at once is fine */
    assert_int_equal(tg_user_add(f->op, P1, "new@p1", TG_ROLE_ALL), TG_OK);
    assert_int_equal(roles_of(f, "new@p1"), TG_ROLE_ALL);
}

static void duplicate_user_id_refused(void **state)
{
    fx *f = *state;
    size_t before = users_of(f, P1);
    REFUSED(f, tg_user_add(fx_user(f, "ga@p1"), P1, "sa@p1", AA), TG_EEXISTS);
    MSG_HAS("sa@p1");
    assert_int_equal(roles_of(f, "sa@p1"), SA);
    REFUSED(f, tg_user_add(f->op, P1, "ba@p1", GA), TG_EEXISTS);
    assert_int_equal(roles_of(f, "ba@p1"), BA);
    /* user ids are unique across the graph, not per partner */
    REFUSED(f, tg_user_add(fx_user(f, "ga@p2"), P2, "sa@p1", SA), TG_EEXISTS);
    assert_int_equal(users_of(f, P1), before);
    tg_iter *it;
    assert_int_equal(tg_users(&it, f->op, P2), TG_OK);
    assert_false(fx_has(it, "sa@p1"));
}

static void user_roles_reads_own_partner_users(void **state)
{
    fx *f = *state;
    static const char *names[] = {"ga", "ua", "aa", "sa", "ha", "ba"};
    char id[32];
    unsigned int r;
    for (int i = 0; i < 6; i++) {
        snprintf(id, sizeof(id), "%s@r2", names[i]);
        r = 0;
        assert_int_equal(tg_user_roles(&r, fx_user(f, "ga@r2"), id), TG_OK);
        assert_int_equal(r, 1u << i);
        r = 0;
        assert_int_equal(tg_user_roles(&r, f->op, id), TG_OK);
        assert_int_equal(r, 1u << i);
    }
    /* another partner's user is not visible */
    r = 0xff;
    assert_int_equal(tg_user_roles(&r, fx_user(f, "ga@p1"), "ga@r2"), TG_ENOTFOUND);
    assert_int_equal(r, 0);
    assert_int_equal(tg_user_roles(&r, f->op, "nobody@x.example"), TG_ENOTFOUND);
    assert_int_equal(tg_user_roles(&r, f->op, NULL), TG_EINVAL);
    /* changing or removing a user that does not exist */
    REFUSED(f, tg_user_set_roles(fx_user(f, "ga@r2"), "nobody@r2", SA), TG_ENOTFOUND);
    REFUSED(f, tg_user_remove(f->op, "nobody@r2"), TG_ENOTFOUND);
}

static void users_lists_exactly_the_partners_users(void **state)
{
    fx *f = *state;
    static const char *names[] = {"ga", "ua", "aa", "sa", "ha", "ba"};
    static const char *admins[] = {"ga@p1", "ua@p1"};
    char id[32];
    for (int a = 0; a < 2; a++) {
        tg_iter *it;
        assert_int_equal(tg_users(&it, fx_user(f, admins[a]), P1), TG_OK);
        assert_int_equal(tg_iter_count(it), 6);
        int seen = 0;
        const char *u;
        while (tg_iter_next(it, &u) == TG_OK) {
            int known = 0;
            for (int i = 0; i < 6; i++) {
                snprintf(id, sizeof(id), "%s@p1", names[i]);
                if (strcmp(u, id) == 0) {
                    known = 1;
                    seen |= 1 << i;
                }
            }
            if (!known) fail_msg("tg_users(P1) lists '%s'", u);
        }
        tg_iter_free(it);
        assert_int_equal(seen, 0x3f);
    }
    /* a new user joins the list, a removed one leaves it */
    assert_int_equal(tg_user_add(fx_user(f, "ga@p1"), P1, "new@p1", SA), TG_OK);
    assert_int_equal(tg_user_remove(fx_user(f, "ga@p1"), "ha@p1"), TG_OK);
    tg_iter *it;
    assert_int_equal(tg_users(&it, fx_user(f, "ga@p1"), P1), TG_OK);
    assert_int_equal(tg_iter_count(it), 6);
    assert_true(fx_has(it, "new@p1"));
    assert_int_equal(tg_users(&it, f->op, P1), TG_OK);
    assert_false(fx_has(it, "ha@p1"));
    /* other roles may not list users; other partners' lists are not visible */
    it = (tg_iter *)0x1;
    assert_int_equal(tg_users(&it, fx_user(f, "aa@p1"), P1), TG_EDENIED);
    assert_null(it);
    MSG_HAS("User management admin");
    assert_int_equal(tg_users(&it, fx_user(f, "ga@p1"), R2), TG_ENOTFOUND);
    assert_null(it);
    assert_int_equal(tg_users(&it, f->op, UNKNOWN_TENANT), TG_ENOTFOUND);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §2: sessions follow the graph (removal, role changes)         */
/* ------------------------------------------------------------------ */

static void removed_user_session_refused(void **state)
{
    fx *f = *state;
    tg_session *sa = fx_user(f, "sa@p1");
    assert_int_equal(try_draft(sa), TG_OK);
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_user_remove(fx_user(f, "ua@p1"), "sa@p1"), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    /* the open session is refused on its next call */
    assert_int_equal(try_draft(sa), TG_EDENIED);
    MSG_HAS("sa@p1");
    tg_iter *it = (tg_iter *)0x1;
    assert_int_equal(tg_customers(&it, sa, NULL), TG_EDENIED);
    assert_null(it);
    assert_int_equal(tg_check(sa, TG_ACT_CUSTOMER_CREATE, NULL), TG_EDENIED);
    tg_invite *inv = (tg_invite *)0x1;
    assert_int_equal(tg_invite_create(&inv, sa), TG_EDENIED);
    assert_null(inv);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    /* and no new session opens for it */
    tg_session *again = (tg_session *)0x1;
    assert_int_equal(tg_session_user(&again, f->g, "sa@p1"), TG_ENOTFOUND);
    assert_null(again);
    assert_false(user_exists(f, "sa@p1"));
    /* removing it again: not found */
    REFUSED(f, tg_user_remove(fx_user(f, "ga@p1"), "sa@p1"), TG_ENOTFOUND);
}

static void role_change_applies_to_open_session(void **state)
{
    fx *f = *state;
    tg_session *ha = fx_user(f, "ha@p1");
    assert_int_equal(try_draft(ha), TG_EDENIED);
    MSG_HAS("Sales agent");
    assert_int_equal(tg_user_set_roles(fx_user(f, "ga@p1"), "ha@p1", SA), TG_OK);
    /* the same session, next call: now a sales agent */
    assert_int_equal(try_draft(ha), TG_OK);
    tg_draft *d;
    tg_receipt *r;
    assert_int_equal(tg_draft_new(&d, ha), TG_OK);
    fx_fill_draft(d, "promoted");
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    tg_receipt_free(r);
    tg_draft_free(d);
    /* and a demotion applies the same way */
    assert_int_equal(tg_user_set_roles(fx_user(f, "ua@p1"), "ha@p1", HA), TG_OK);
    assert_int_equal(try_draft(ha), TG_EDENIED);
    assert_int_equal(tg_check(ha, TG_ACT_CUSTOMER_CREATE, NULL), TG_EDENIED);
    /* setting the same roles again writes nothing */
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_user_set_roles(fx_user(f, "ua@p1"), "ha@p1", HA), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev);
}

/* A session keeps its resolved user and partner across writes that change
 * neither, and follows its partner's record when that changes: R1's Global admin
 * may accept P2's invitation while R1 has signed the partner agreement. */
static void a_session_follows_its_partner_across_other_writes(void **state)
{
    fx *f = *state;
    tg_session *r1 = fx_user(f, "ga@r1");
    assert_int_equal(tg_check(r1, TG_ACT_INVITE_ACCEPT, P2), TG_OK);
    fx_customer(f, "ga@p1", "unrelated", R1, 1); /* neither a user nor a partner */
    assert_int_equal(tg_check(r1, TG_ACT_INVITE_ACCEPT, P2), TG_OK);
    assert_int_equal(tg_partner_set_agreement(f->op, R1, 0), TG_OK);
    assert_int_equal(tg_check(r1, TG_ACT_INVITE_ACCEPT, P2), TG_ESTATE);
    MSG_HAS("partner agreement");
    fx_customer(f, "ga@p1", "unrelated2", NULL, 1);
    assert_int_equal(tg_check(r1, TG_ACT_INVITE_ACCEPT, P2), TG_ESTATE);
    assert_int_equal(tg_partner_set_agreement(f->op, R1, 1), TG_OK);
    assert_int_equal(tg_check(r1, TG_ACT_INVITE_ACCEPT, P2), TG_OK);
    /* a user added is no change to the session's own */
    assert_int_equal(tg_user_add(f->op, R1, "new@r1", TG_ROLE_SALES_AGENT), TG_OK);
    assert_int_equal(tg_check(r1, TG_ACT_INVITE_ACCEPT, P2), TG_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(operator_adds_first_global_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(global_and_user_admin_add_users_to_own_partner, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(other_roles_cannot_add_users, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(nobody_adds_users_to_another_partner, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(user_admin_cannot_touch_global_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(global_admin_grants_and_revokes_global_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(roles_must_be_known_and_not_empty, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(duplicate_user_id_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(user_roles_reads_own_partner_users, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(users_lists_exactly_the_partners_users, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removed_user_session_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(role_change_applies_to_open_session, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_session_follows_its_partner_across_other_writes, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
