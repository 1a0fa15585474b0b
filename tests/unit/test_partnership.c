/* test_partnership.c - provider <-> reseller (DOMAIN.md §3): the request with its
 * one-time link, acceptance, the two lists, and removal with what survives it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fixture.h"
#include <tiergraph.h>

#define T0 1700000000 /* a fixed clock: 2023-11-14 */

static void assert_text_has(const char *text, const char *needle)
{
    if (!text || !strstr(text, needle)) fail_msg("'%s' not in %s", needle, text ? text : "NULL");
}

static tg_invite *invite(fx *f, const char *user)
{
    tg_invite *inv = NULL;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, user)), TG_OK);
    assert_non_null(inv);
    return inv;
}

/* The token of an invitation: the text after "token=" in its link. */
static const char *token_of(const tg_invite *inv)
{
    const char *p = strstr(tg_invite_link(inv), "token=");
    assert_non_null(p);
    return p + 6;
}

static int resellers_has(fx *f, const char *user, const char *id)
{
    tg_iter *it;
    assert_int_equal(tg_resellers(&it, fx_user(f, user)), TG_OK);
    return fx_has(it, id);
}

static int providers_has(fx *f, const char *user, const char *id)
{
    tg_iter *it;
    assert_int_equal(tg_providers(&it, fx_user(f, user)), TG_OK);
    return fx_has(it, id);
}

static size_t resellers_count(fx *f, const char *user)
{
    tg_iter *it;
    assert_int_equal(tg_resellers(&it, fx_user(f, user)), TG_OK);
    return fx_count(it);
}

/* The customer records of the store (key=value lines starting "customer/"). */
static char *customer_records(fx *f)
{
    char *dump = fx_store_dump(f);
    size_t n = strlen(dump), len = 0;
    char *out = calloc(1, n + 1);
    for (char *line = dump; line && *line;) {
        char *next = strchr(line, '\n');
        size_t l = next ? (size_t)(next - line + 1) : strlen(line);
        if (strncmp(line, "customer/", 9) == 0) {
            memcpy(out + len, line, l);
            len += l;
        }
        line = next ? next + 1 : NULL;
    }
    free(dump);
    return out;
}

/* ------------------------------------------------------------------ */
/* DOMAIN §3.2: the partnership request                                 */
/* ------------------------------------------------------------------ */

static void invite_by_provider_roles(void **state)
{
    fx *f = *state;
    static const char *ok[] = {"ga@p1", "ua@p1", "aa@p1", "sa@p1"};
    for (size_t i = 0; i < 4; i++) {
        uint64_t rev = tg_graph_revision(f->g);
        tg_invite *inv = invite(f, ok[i]);
        assert_int_equal(tg_graph_revision(f->g), rev + 1);
        tg_invite_free(inv);
    }
    static const char *denied[] = {"ha@p1", "ba@p1"};
    for (size_t i = 0; i < 2; i++) {
        tg_invite *inv = (tg_invite *)0x1;
        REFUSED(f, tg_invite_create(&inv, fx_user(f, denied[i])), TG_EDENIED);
        assert_null(inv);
        MSG_HAS("Global admin");
        MSG_HAS("Sales agent");
    }
}

static void invite_by_reseller_or_direct_bill_denied(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ga@r1", "sa@r2", "ga@d1", "sa@d1"};
    static const char *kinds[] = {"indirect reseller", "indirect reseller", "direct-bill",
                                  "direct-bill"};
    for (size_t i = 0; i < 4; i++) {
        tg_invite *inv = (tg_invite *)0x1;
        REFUSED(f, tg_invite_create(&inv, fx_user(f, users[i])), TG_EDENIED);
        assert_null(inv);
        MSG_HAS(kinds[i]);
    }
    tg_invite *inv = (tg_invite *)0x1;
    REFUSED(f, tg_invite_create(&inv, f->op), TG_EDENIED);
    assert_null(inv);
}

static void invite_link_carries_provider_and_token(void **state)
{
    fx *f = *state;
    tg_invite *a = invite(f, "sa@p2"), *b = invite(f, "sa@p2");
    assert_text_has(tg_invite_link(a), P2);
    assert_null(strstr(tg_invite_link(a), P1));
    assert_text_has(tg_invite_link(a), "token=");
    assert_true(strlen(token_of(a)) >= 32); /* unguessable: at least 32 characters */
    assert_string_not_equal(token_of(a), token_of(b));
    assert_string_not_equal(tg_invite_link(a), tg_invite_link(b));
    /* the email contains the link */
    assert_text_has(tg_invite_email(a), tg_invite_link(a));
    assert_text_has(tg_invite_email(b), tg_invite_link(b));
    /* it expires, by default 7 days from now */
    int64_t now = (int64_t)time(NULL);
    assert_true(tg_invite_expires(a) >= now + 7 * 24 * 3600 - 60);
    assert_true(tg_invite_expires(a) <= now + 7 * 24 * 3600 + 60);
    tg_invite_free(a);
    tg_invite_free(b);
}

static void invite_email_must_keep_link(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p1");
    char *orig = strdup(tg_invite_email(inv));
    const char *link = tg_invite_link(inv);
    char lost[600];
    /* text without the link, or with a damaged link */
    assert_int_equal(tg_invite_set_email(inv, "Hi! Please partner with us."), TG_EINVAL);
    MSG_HAS("link");
    assert_string_equal(tg_invite_email(inv), orig);
    snprintf(lost, sizeof(lost), "Follow %.*s now", (int)strlen(link) - 1, link);
    assert_int_equal(tg_invite_set_email(inv, lost), TG_EINVAL);
    assert_string_equal(tg_invite_email(inv), orig);
    snprintf(lost, sizeof(lost), "Follow %s", token_of(inv));
    assert_int_equal(tg_invite_set_email(inv, lost), TG_EINVAL);
    assert_int_equal(tg_invite_set_email(inv, ""), TG_EINVAL);
    assert_int_equal(tg_invite_set_email(inv, NULL), TG_EINVAL);
    assert_string_equal(tg_invite_email(inv), orig);
    /* edited text that keeps the link */
    char edited[1024];
    snprintf(edited, sizeof(edited), "Dear Fabrikam,\n\nplease authorize us:\n%s\n\nThanks!", link);
    assert_int_equal(tg_invite_set_email(inv, edited), TG_OK);
    assert_string_equal(tg_invite_email(inv), edited);
    /* the link still works after editing */
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(inv)), TG_OK);
    free(orig);
    tg_invite_free(inv);
}

/* A token made longer by an edit is a lost link: the text still contains the
 * old link as a prefix, but the link in it no longer works. */
static void invite_email_refuses_damaged_token(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p1");
    char orig[2048], text[1024];
    snprintf(orig, sizeof(orig), "%s", tg_invite_email(inv));
    snprintf(text, sizeof(text), "Please follow %sXYZ to accept.", tg_invite_link(inv));
    int damaged = tg_invite_set_email(inv, text);
    int unchanged = strcmp(tg_invite_email(inv), orig) == 0;
    /* the link followed by punctuation or a blank is still the link */
    snprintf(text, sizeof(text), "Please follow %s. Thanks", tg_invite_link(inv));
    int kept = tg_invite_set_email(inv, text);
    tg_invite_free(inv);
    assert_int_equal(damaged, TG_EINVAL);
    assert_true(unchanged);
    assert_int_equal(kept, TG_OK);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §3.3: acceptance by the reseller's Global admin                */
/* ------------------------------------------------------------------ */

static void accept_by_reseller_global_admin(void **state)
{
    fx *f = *state;
    /* with the link */
    tg_invite *inv = invite(f, "ga@p1");
    assert_false(resellers_has(f, "ga@p1", R2));
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(inv)), TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    tg_invite_free(inv);
    assert_true(resellers_has(f, "ga@p1", R2));
    assert_true(resellers_has(f, "sa@p1", R2));
    assert_true(providers_has(f, "ga@r2", P1));
    assert_true(providers_has(f, "aa@r2", P1));
    /* with the bare token */
    inv = invite(f, "ga@p2");
    char token[128];
    snprintf(token, sizeof(token), "%s", token_of(inv));
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), token), TG_OK);
    tg_invite_free(inv);
    assert_true(resellers_has(f, "ga@p2", R2));
    assert_true(providers_has(f, "ga@r2", P2));
    /* a reseller may have several providers */
    tg_iter *it;
    assert_int_equal(tg_providers(&it, fx_user(f, "ga@r2")), TG_OK);
    assert_int_equal(fx_count(it), 2);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

static void reseller_with_several_providers(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p2");
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r1"), tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    assert_true(providers_has(f, "ga@r1", P1));
    assert_true(providers_has(f, "ga@r1", P2));
    assert_true(resellers_has(f, "ga@p1", R1));
    assert_true(resellers_has(f, "ga@p2", R1));
    /* each provider may now do new business with R1 */
    fx_customer(f, "ga@p1", "several1", R1, 1);
    fx_customer(f, "ga@p2", "several2", R1, 1);
    tg_iter *it;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@r1"), NULL), TG_OK);
    assert_int_equal(fx_count(it), 2);
}

static void accept_by_non_global_admin_denied(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p1");
    static const char *users[] = {"ua@r2", "aa@r2", "sa@r2", "ha@r2", "ba@r2"};
    for (size_t i = 0; i < 5; i++) {
        REFUSED(f, tg_partnership_accept(fx_user(f, users[i]), tg_invite_link(inv)), TG_EDENIED);
        MSG_HAS("Global admin");
    }
    /* users of a provider or a direct-bill partner cannot accept, whatever their roles */
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@p2"), tg_invite_link(inv)), TG_EDENIED);
    MSG_HAS("indirect provider");
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@p1"), tg_invite_link(inv)), TG_EDENIED);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@d1"), tg_invite_link(inv)), TG_EDENIED);
    REFUSED(f, tg_partnership_accept(f->op, tg_invite_link(inv)), TG_EDENIED);
    assert_false(resellers_has(f, "ga@p1", R2));
    assert_false(providers_has(f, "ga@r2", P1));
    /* the invitation was not used up by the refusals */
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
}

static void accept_without_signed_agreement_refused(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p1");
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r3"), tg_invite_link(inv)), TG_ESTATE);
    MSG_HAS("agreement");
    assert_false(resellers_has(f, "ga@p1", R3));
    assert_false(providers_has(f, "ga@r3", P1));
    /* once the agreement is recorded, the same link works */
    assert_int_equal(tg_partner_set_agreement(f->op, R3, 1), TG_OK);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r3"), tg_invite_link(inv)), TG_OK);
    assert_true(resellers_has(f, "ga@p1", R3));
    tg_invite_free(inv);
}

static void token_is_single_use(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p2");
    char link[600];
    snprintf(link, sizeof(link), "%s", tg_invite_link(inv));
    tg_invite_free(inv); /* the invitation outlives its handle */
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), link), TG_OK);
    /* another reseller cannot use it again, nor the same one */
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r1"), link), TG_ESTATE);
    MSG_HAS("used");
    assert_false(resellers_has(f, "ga@p2", R1));
    assert_false(providers_has(f, "ga@r1", P2));
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r1"), strstr(link, "token=") + 6), TG_ESTATE);
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p2"), R2, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
                     TG_OK);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r2"), link), TG_ESTATE);
    assert_false(resellers_has(f, "ga@p2", R2));
}

static void invite_expires(void **state)
{
    fx *f = *state;
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, T0), TG_OK);
    tg_invite *late = invite(f, "ga@p1");
    tg_invite *early = invite(f, "ga@p2");
    int64_t exp = tg_invite_expires(late);
    assert_int_equal(exp, T0 + 7 * 24 * 3600);
    assert_int_equal(tg_invite_expires(early), exp);
    /* just before expiry it works */
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, exp - 1), TG_OK);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(early)), TG_OK);
    assert_true(resellers_has(f, "ga@p2", R2));
    /* at and past expiry it does not */
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, exp), TG_OK);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(late)), TG_EEXPIRED);
    MSG_HAS("expired");
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, exp + 3600), TG_OK);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(late)), TG_EEXPIRED);
    assert_false(resellers_has(f, "ga@p1", R2));
    assert_false(providers_has(f, "ga@r2", P1));
    /* a shorter lifetime is honoured */
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, T0), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_INVITE_LIFETIME, 3600), TG_OK);
    tg_invite *hour = invite(f, "ga@p1");
    assert_int_equal(tg_invite_expires(hour), T0 + 3600);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_CLOCK, T0 + 3600), TG_OK);
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r2"), tg_invite_link(hour)), TG_EEXPIRED);
    tg_invite_free(hour);
    tg_invite_free(late);
    tg_invite_free(early);
}

static void accept_malformed_or_unknown_token(void **state)
{
    fx *f = *state;
    tg_session *ga = fx_user(f, "ga@r2");
    tg_invite *inv = invite(f, "ga@p1");
    const char *tok = token_of(inv);
    size_t n = strlen(tok);
    char buf[600];
    /* malformed: too short, too long, bad characters, empty */
    REFUSED(f, tg_partnership_accept(ga, "abc"), TG_EINVAL);
    MSG_HAS("malformed");
    snprintf(buf, sizeof(buf), "%.*s", (int)n - 1, tok);
    REFUSED(f, tg_partnership_accept(ga, buf), TG_EINVAL);
    snprintf(buf, sizeof(buf), "%sA", tok);
    REFUSED(f, tg_partnership_accept(ga, buf), TG_EINVAL);
    snprintf(buf, sizeof(buf), "%s", tok);
    buf[n / 2] = '!';
    REFUSED(f, tg_partnership_accept(ga, buf), TG_EINVAL);
    snprintf(buf, sizeof(buf), "https://partner.tiergraph.invalid/x?token=");
    REFUSED(f, tg_partnership_accept(ga, buf), TG_EINVAL);
    REFUSED(f, tg_partnership_accept(ga, ""), TG_EINVAL);
    REFUSED(f, tg_partnership_accept(ga, NULL), TG_EINVAL);
    /* well-formed but unknown: one character changed */
    snprintf(buf, sizeof(buf), "%s", tok);
    buf[0] = buf[0] == 'A' ? 'B' : 'A';
    REFUSED(f, tg_partnership_accept(ga, buf), TG_ENOTFOUND);
    MSG_HAS("invitation");
    memset(buf, 'A', n);
    buf[n] = '\0';
    REFUSED(f, tg_partnership_accept(ga, buf), TG_ENOTFOUND);
    assert_false(providers_has(f, "ga@r2", P1));
    /* the real one still works */
    assert_int_equal(tg_partnership_accept(ga, tok), TG_OK);
    tg_invite_free(inv);
}

static void accept_when_already_partners(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "sa@p1");
    REFUSED(f, tg_partnership_accept(fx_user(f, "ga@r1"), tg_invite_link(inv)), TG_EEXISTS);
    MSG_HAS("already");
    tg_iter *it;
    assert_int_equal(tg_providers(&it, fx_user(f, "ga@r1")), TG_OK);
    assert_int_equal(fx_count(it), 1);
    assert_int_equal(resellers_count(f, "ga@p1"), 1);
    tg_invite_free(inv);
}

static void store_never_holds_token(void **state)
{
    fx *f = *state;
    tg_invite *inv = invite(f, "ga@p1");
    char token[128];
    snprintf(token, sizeof(token), "%s", token_of(inv));
    char *dump = fx_store_dump(f);
    assert_non_null(strstr(dump, "invite/")); /* the invitation is stored... */
    assert_null(strstr(dump, token));         /* ...but not its token */
    free(dump);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r2"), token), TG_OK);
    dump = fx_store_dump(f);
    assert_null(strstr(dump, token));
    free(dump);
    char *state_text = fx_state(f);
    assert_null(strstr(state_text, token));
    free(state_text);
    tg_invite_free(inv);
}

static void lists_denied_to_the_wrong_kind(void **state)
{
    fx *f = *state;
    tg_iter *it = (tg_iter *)0x1;
    assert_int_equal(tg_resellers(&it, fx_user(f, "ga@r1")), TG_EDENIED);
    assert_null(it);
    MSG_HAS("indirect provider");
    assert_int_equal(tg_resellers(&it, fx_user(f, "ga@d1")), TG_EDENIED);
    assert_int_equal(tg_providers(&it, fx_user(f, "ga@p1")), TG_EDENIED);
    assert_null(it);
    MSG_HAS("indirect reseller");
    assert_int_equal(tg_providers(&it, fx_user(f, "ga@d1")), TG_EDENIED);
    /* roles: helpdesk and billing do not view the lists */
    assert_int_equal(tg_resellers(&it, fx_user(f, "ha@p1")), TG_EDENIED);
    assert_int_equal(tg_providers(&it, fx_user(f, "ba@r1")), TG_EDENIED);
    assert_int_equal(tg_resellers(&it, f->op), TG_EDENIED);
    assert_null(it);
}

/* ------------------------------------------------------------------ */
/* DOMAIN §3.5: removal, by the provider's Global admin                 */
/* ------------------------------------------------------------------ */

static void removal_needs_confirmation_and_attestation(void **state)
{
    fx *f = *state;
    tg_session *ga = fx_user(f, "ga@p1");
    static const unsigned int flags[] = {0, TG_CONFIRM, TG_ATTEST_GOOD_FAITH};
    static const char *words[] = {"confirm", "good faith", "confirm"};
    for (size_t i = 0; i < 3; i++) {
        REFUSED(f, tg_partnership_remove(ga, R1, flags[i]), TG_ECONFIRM);
        MSG_HAS(words[i]);
        assert_true(resellers_has(f, "ga@p1", R1));
        assert_true(providers_has(f, "ga@r1", P1));
    }
    REFUSED(f, tg_partnership_remove(ga, R1, TG_CONFIRM | TG_ATTEST_GOOD_FAITH | 0x4u), TG_EINVAL);
    assert_true(resellers_has(f, "ga@p1", R1));
}

static void removal_only_by_provider_global_admin(void **state)
{
    fx *f = *state;
    const unsigned int yes = TG_CONFIRM | TG_ATTEST_GOOD_FAITH;
    static const char *users[] = {"ua@p1", "aa@p1", "sa@p1", "ha@p1", "ba@p1"};
    for (size_t i = 0; i < 5; i++) {
        REFUSED(f, tg_partnership_remove(fx_user(f, users[i]), R1, yes), TG_EDENIED);
        MSG_HAS("Global admin");
    }
    /* the reseller's side cannot remove it either */
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@r1"), P1, yes), TG_EDENIED);
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@r1"), R1, yes), TG_EDENIED);
    REFUSED(f, tg_partnership_remove(f->op, R1, yes), TG_EDENIED);
    assert_true(resellers_has(f, "ga@p1", R1));
    assert_true(providers_has(f, "ga@r1", P1));
    /* not partners */
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@p1"), R2, yes), TG_ENOTFOUND);
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@p2"), R1, yes), TG_ENOTFOUND);
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@p1"), P2, yes), TG_ENOTFOUND);
    assert_true(resellers_has(f, "ga@p1", R1));
    /* the Global admin may */
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p1"), R1, yes), TG_OK);
    REFUSED(f, tg_partnership_remove(fx_user(f, "ga@p1"), R1, yes), TG_ENOTFOUND);
}

/* The graph of the removal tests: P1 sells customer C (associated with R1) with
 * one subscription attributed to R1, then removes the partnership. */
typedef struct removed {
    char customer[64];
    char sub[64];
    char plain[64]; /* a customer of P1 with no reseller */
    char plain_sub[64];
} removed;

static void remove_r1(fx *f, removed *r)
{
    snprintf(r->customer, sizeof(r->customer), "%s", fx_customer(f, "ga@p1", "withr1", R1, 1));
    snprintf(r->plain, sizeof(r->plain), "%s", fx_customer(f, "ga@p1", "plain", NULL, 0));
    tg_iter *it;
    const char *id;
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@p1"), r->customer), TG_OK);
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    snprintf(r->sub, sizeof(r->sub), "%s", id);
    tg_iter_free(it);
    char *sid = NULL;
    assert_int_equal(tg_subscription_add(&sid, fx_user(f, "ga@p1"), r->plain, "offer-e3", 3, NULL,
                                         NULL),
                     TG_OK);
    snprintf(r->plain_sub, sizeof(r->plain_sub), "%s", sid);
    tg_free(sid);
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p1"), R1,
                                           TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
                     TG_OK);
}

static void removal_drops_both_lists(void **state)
{
    fx *f = *state;
    removed r;
    remove_r1(f, &r);
    assert_false(resellers_has(f, "ga@p1", R1));
    assert_false(providers_has(f, "ga@r1", P1));
    assert_int_equal(resellers_count(f, "sa@p1"), 0);
    tg_iter *it;
    assert_int_equal(tg_providers(&it, fx_user(f, "ga@r1")), TG_OK);
    assert_int_equal(fx_count(it), 0);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

static void removal_keeps_customers_and_association(void **state)
{
    fx *f = *state;
    removed r;
    remove_r1(f, &r);
    tg_iter *it;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), R1), TG_OK);
    assert_int_equal(tg_iter_count(it), 1);
    assert_true(fx_has(it, r.customer));
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), r.customer), TG_OK);
    assert_text_has(json, "\"associatedPartnerId\":\"" R1 "\"");
    tg_free(json);
    /* the reseller still sees the customer it shares */
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@r1"), NULL), TG_OK);
    assert_true(fx_has(it, r.customer));
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@r1"), r.customer), TG_OK);
    tg_free(json);
    /* the association still protects the customer from removal */
    REFUSED(f, tg_customer_remove(fx_user(f, "ga@p1"), r.customer), TG_ESTATE);
}

static void removal_keeps_delegated_admin(void **state)
{
    fx *f = *state;
    removed r;
    assert_int_equal(tg_check(fx_user(f, "aa@r1"), TG_ACT_DELEGATED_ADMIN, NULL), TG_OK);
    remove_r1(f, &r);
    assert_int_equal(tg_check(fx_user(f, "aa@r1"), TG_ACT_DELEGATED_ADMIN, r.customer), TG_OK);
    char *json = NULL;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), r.customer), TG_OK);
    assert_text_has(json, "\"delegatedAdminPartners\":[");
    assert_text_has(strstr(json, "\"delegatedAdminPartners\""), R1);
    tg_free(json);
    /* and none appears where there was none */
    assert_int_equal(tg_check(fx_user(f, "aa@r1"), TG_ACT_DELEGATED_ADMIN, r.plain),
                     TG_ENOTFOUND);
}

static void removal_keeps_subscription_attribution(void **state)
{
    fx *f = *state;
    removed r;
    remove_r1(f, &r);
    char *json = NULL;
    assert_int_equal(tg_subscription_get(&json, fx_user(f, "ga@p1"), r.sub), TG_OK);
    assert_text_has(json, "\"partnerId\":\"" R1_PID "\"");
    assert_text_has(json, "\"status\":\"active\"");
    tg_free(json);
    assert_int_equal(tg_subscription_get(&json, fx_user(f, "ga@r1"), r.sub), TG_OK);
    assert_text_has(json, "\"partnerId\":\"" R1_PID "\"");
    tg_free(json);
}

static void removal_stops_new_business(void **state)
{
    fx *f = *state;
    removed r;
    remove_r1(f, &r);
    tg_session *ga = fx_user(f, "ga@p1");
    /* a new customer on the reseller's behalf: review reports it on the reseller field */
    tg_draft *d;
    tg_problems *pr;
    assert_int_equal(tg_draft_new(&d, ga), TG_OK);
    fx_fill_draft(d, "afterremoval");
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 1), TG_OK);
    assert_int_equal(tg_draft_review(&pr, d), TG_EINVAL);
    assert_int_equal(tg_problems_count(pr), 1);
    assert_int_equal(tg_problems_field(pr, 0), TG_FIELD_RESELLER);
    assert_text_has(tg_problems_message(pr, 0), "not an active indirect reseller");
    tg_problems_free(pr);
    tg_receipt *rc = (tg_receipt *)0x1;
    REFUSED(f, tg_draft_submit(&rc, d), TG_EINVAL);
    assert_null(rc);
    tg_draft_free(d);
    assert_int_equal(tg_check(ga, TG_ACT_CUSTOMER_CREATE, R1), TG_ESTATE);
    /* a new subscription attributed to it */
    char *sid = (char *)0x1;
    REFUSED(f, tg_subscription_add(&sid, ga, r.plain, "offer-e3", 1, R1_PID, NULL), TG_ESTATE);
    assert_null(sid);
    MSG_HAS("no new business");
    REFUSED(f, tg_subscription_add(&sid, ga, r.customer, "offer-e3", 1, R1_PID, NULL), TG_ESTATE);
    /* attribution of an existing subscription */
    REFUSED(f, tg_subscription_set_reseller(ga, r.plain_sub, R1_PID), TG_ESTATE);
    /* the support contact (R1 still has delegated admin over its customer) */
    REFUSED(f, tg_subscription_set_support(ga, r.sub, R1), TG_ESTATE);
    /* a new association */
    REFUSED(f, tg_customer_set_reseller(ga, r.plain, R1), TG_ESTATE);
    MSG_HAS("no new business");
    char *json = NULL;
    assert_int_equal(tg_subscription_get(&json, ga, r.plain_sub), TG_OK);
    assert_null(strstr(json, "\"partnerId\""));
    tg_free(json);
    assert_int_equal(tg_subscription_get(&json, ga, r.sub), TG_OK);
    assert_text_has(json, "\"supportContact\":\"" P1 "\"");
    tg_free(json);
    assert_int_equal(tg_customer_get(&json, ga, r.plain), TG_OK);
    assert_null(strstr(json, "associatedPartnerId"));
    tg_free(json);
    /* business without the reseller goes on */
    assert_int_equal(tg_subscription_add(&sid, ga, r.customer, "offer-e3", 1, NULL, NULL), TG_OK);
    tg_free(sid);
}

static void removal_refuses_draft_started_before(void **state)
{
    fx *f = *state;
    tg_draft *d;
    tg_problems *pr;
    assert_int_equal(tg_draft_new(&d, fx_user(f, "sa@p1")), TG_OK);
    fx_fill_draft(d, "startedbefore");
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 5), TG_OK);
    assert_int_equal(tg_draft_review(&pr, d), TG_OK);
    assert_int_equal(tg_problems_count(pr), 0);
    tg_problems_free(pr);
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p1"), R1,
                                           TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
                     TG_OK);
    tg_receipt *r = (tg_receipt *)0x1;
    REFUSED(f, tg_draft_submit(&r, d), TG_EINVAL);
    assert_null(r);
    MSG_HAS("not an active indirect reseller");
    tg_draft_free(d);
    tg_iter *it;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), NULL), TG_OK);
    assert_int_equal(fx_count(it), 0);
}

static void new_invite_restores_new_business(void **state)
{
    fx *f = *state;
    removed r;
    remove_r1(f, &r);
    tg_session *ga = fx_user(f, "ga@p1");
    tg_invite *inv = invite(f, "ga@p1");
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r1"), tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    assert_true(resellers_has(f, "ga@p1", R1));
    assert_true(providers_has(f, "ga@r1", P1));
    char *sid = NULL;
    assert_int_equal(tg_subscription_add(&sid, ga, r.plain, "offer-e3", 1, R1_PID, NULL), TG_OK);
    tg_free(sid);
    assert_int_equal(tg_subscription_set_reseller(ga, r.plain_sub, R1_PID), TG_OK);
    assert_int_equal(tg_subscription_set_support(ga, r.sub, R1), TG_OK);
    assert_int_equal(tg_customer_set_reseller(ga, r.plain, R1), TG_OK);
    fx_customer(f, "ga@p1", "restored", R1, 1);
    tg_iter *it;
    assert_int_equal(tg_customers(&it, ga, R1), TG_OK);
    assert_int_equal(fx_count(it), 3);
}

static void removal_sends_no_notice(void **state)
{
    fx *f = *state;
    fx_customer(f, "ga@p1", "quiet1", R1, 2);
    fx_customer(f, "ga@p1", "quiet2", R1, 0);
    char *before = customer_records(f);
    char *dump_before = fx_store_records(f);
    assert_non_null(strstr(before, "customer/"));
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p1"), R1,
                                           TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
                     TG_OK);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
    char *after = customer_records(f);
    assert_string_equal(after, before);
    /* exactly one record went away (the partnership): nothing else was written
     * but the change event, which is how the application learns of it (§3.5) */
    char *dump_after = fx_store_records(f);
    size_t n_before = strtoul(dump_before, NULL, 10), n_after = strtoul(dump_after, NULL, 10);
    assert_int_equal(n_after, n_before - 1);
    assert_non_null(strstr(dump_before, "partnership/" P1 "/" R1));
    assert_null(strstr(dump_after, "partnership/" P1 "/" R1));
    free(before);
    free(after);
    free(dump_before);
    free(dump_after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(invite_by_provider_roles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(invite_by_reseller_or_direct_bill_denied, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(invite_link_carries_provider_and_token, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(invite_email_must_keep_link, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(invite_email_refuses_damaged_token, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_by_reseller_global_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(reseller_with_several_providers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_by_non_global_admin_denied, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_without_signed_agreement_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(token_is_single_use, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(invite_expires, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_malformed_or_unknown_token, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(accept_when_already_partners, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(store_never_holds_token, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lists_denied_to_the_wrong_kind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_needs_confirmation_and_attestation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_only_by_provider_global_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_drops_both_lists, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_keeps_customers_and_association, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_keeps_delegated_admin, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_keeps_subscription_attribution, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_stops_new_business, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_refuses_draft_started_before, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(new_invite_restores_new_business, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(removal_sends_no_notice, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
