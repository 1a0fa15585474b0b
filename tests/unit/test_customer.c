/* test_customer.c - the new-customer flow and existing customers (DOMAIN.md §4):
 * who may start a draft, the review, each rule of the details, submit/cancel,
 * the one-time temporary password, listing and filtering, removal, and the
 * reseller association. */
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

/* ---- helpers ---- */

typedef struct snap {
    uint64_t rev;
    char *dump;
} snap;

static snap take(fx *f)
{
    return (snap){tg_graph_revision(f->g), fx_store_dump(f)};
}

/* Nothing was written since `s` (revision and every stored record). Frees s. */
static void unchanged(fx *f, snap s)
{
    assert_int_equal(tg_graph_revision(f->g), s.rev);
    char *now = fx_store_dump(f);
    assert_string_equal(now, s.dump);
    free(now);
    free(s.dump);
}

/* `n` copies of `unit` into buf. */
static const char *rep(char *buf, const char *unit, int n)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++) strcat(buf, unit);
    return buf;
}

static tg_draft *filled(fx *f, const char *user, const char *prefix)
{
    tg_draft *d = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, user)), TG_OK);
    fx_fill_draft(d, prefix);
    return d;
}

/* A valid draft by `user` with `field` = `value`: review finds exactly one problem,
 * on `on`, whose message contains `word`; nothing is written. */
static void refuses(fx *f, const char *user, tg_field field, const char *value, tg_field on,
                    const char *word)
{
    char why[768] = "";
    snap s = take(f);
    tg_draft *d = filled(f, user, "detailcheck");
    assert_int_equal(tg_draft_set(d, field, value), TG_OK);
    tg_problems *p = NULL;
    int rc = tg_draft_review(&p, d);
    const char *msg = tg_problems_message(p, 0);
    if (rc != TG_EINVAL || tg_problems_count(p) != 1 || tg_problems_field(p, 0) != on)
        snprintf(why, sizeof(why), "field %d = \"%s\": rc %d, %zu problems, first on field %d (%s)",
                 (int)field, value ? value : "(null)", rc, tg_problems_count(p),
                 (int)tg_problems_field(p, 0), msg ? msg : "-");
    else if (!strstr(msg, word))
        snprintf(why, sizeof(why), "problem \"%s\" does not mention \"%s\"", msg, word);
    /* free before failing, so a failure reports no leak */
    tg_problems_free(p);
    tg_draft_free(d);
    if (why[0]) {
        free(s.dump);
        fail_msg("%s", why);
    }
    unchanged(f, s);
}

/* A valid draft by `user` with `field` = `value` reviews clean. */
static void accepts(fx *f, const char *user, tg_field field, const char *value)
{
    char why[768] = "";
    tg_draft *d = filled(f, user, "detailcheck");
    assert_int_equal(tg_draft_set(d, field, value), TG_OK);
    tg_problems *p = NULL;
    int rc = tg_draft_review(&p, d);
    if (rc != TG_OK || tg_problems_count(p) != 0)
        snprintf(why, sizeof(why), "field %d = \"%s\" refused: %s", (int)field,
                 value ? value : "(null)",
                 tg_problems_message(p, 0) ? tg_problems_message(p, 0) : "-");
    tg_problems_free(p);
    tg_draft_free(d);
    if (why[0]) fail_msg("%s", why);
}

typedef struct made {
    char id[64], admin[128], pw[64], subs[4][64];
    size_t nsubs;
} made;

/* Create a customer through the draft flow, keeping its receipt's contents. */
static void make(fx *f, const char *user, const char *prefix, const char *reseller, int nsubs,
                 made *m)
{
    tg_draft *d = filled(f, user, prefix);
    tg_receipt *r = NULL;
    if (reseller) assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, reseller), TG_OK);
    for (int i = 0; i < nsubs; i++)
        assert_int_equal(tg_draft_add_subscription(d, "offer-e3", i + 1), TG_OK);
    if (tg_draft_submit(&r, d) != TG_OK) fail_msg("submit: %s", tg_error_message());
    snprintf(m->id, sizeof(m->id), "%s", tg_receipt_customer_id(r));
    snprintf(m->admin, sizeof(m->admin), "%s", tg_receipt_admin_user(r));
    snprintf(m->pw, sizeof(m->pw), "%s", tg_receipt_password(r));
    m->nsubs = tg_receipt_subscription_count(r);
    assert_int_equal(m->nsubs, (size_t)nsubs);
    for (size_t i = 0; i < m->nsubs; i++)
        snprintf(m->subs[i], sizeof(m->subs[i]), "%s", tg_receipt_subscription_id(r, i));
    tg_receipt_free(r);
    tg_draft_free(d);
}

/* The message with every occurrence of `id` replaced by "<id>" (static buffer per slot). */
static const char *masked(int slot, const char *msg, const char *id)
{
    static char buf[2][512];
    char *o = buf[slot];
    size_t n = strlen(id), used = 0;
    while (*msg && used < sizeof(buf[slot]) - 8) {
        if (strncmp(msg, id, n) == 0) {
            memcpy(o + used, "<id>", 4);
            used += 4;
            msg += n;
        } else {
            o[used++] = *msg++;
        }
    }
    o[used] = '\0';
    return o;
}

#define GHOST "99999999-9999-4999-8999-999999999999"

/* P1's customers: `shared` with R1, `own` without a reseller. */
static void two_customers(fx *f, made *shared, made *own)
{
    make(f, "ga@p1", "shared", R1, 0, shared);
    make(f, "ga@p1", "own", NULL, 0, own);
}

/* tg_customers as `user`, asserting TG_OK. */
static tg_iter *listed(fx *f, const char *user, const char *reseller)
{
    tg_iter *it = NULL;
    if (tg_customers(&it, fx_user(f, user), reseller) != TG_OK)
        fail_msg("%s: %s", user, tg_error_message());
    return it;
}

/* ---- DOMAIN §2, §4: who may start a new-customer draft ---- */

static void draft_new_allowed_for_seller_roles(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ga@p1", "ua@p1", "aa@p1", "sa@p1", "ga@p2", "sa@p2",
                                  "ga@d1", "ua@d1", "aa@d1", "sa@d1"};
    for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
        tg_draft *d = NULL;
        if (tg_draft_new(&d, fx_user(f, users[i])) != TG_OK)
            fail_msg("%s: %s", users[i], tg_error_message());
        assert_non_null(d);
        tg_draft_free(d);
    }
}

static void draft_new_denied_for_helpdesk_and_billing(void **state)
{
    fx *f = *state;
    static const char *users[] = {"ha@p1", "ba@p1", "ha@d1", "ba@d1"};
    snap s = take(f);
    for (size_t i = 0; i < 4; i++) {
        tg_draft *d = (tg_draft *)1;
        assert_int_equal(tg_draft_new(&d, fx_user(f, users[i])), TG_EDENIED);
        assert_null(d);
        /* the denial names the roles that would allow it */
        assert_non_null(strstr(tg_error_message(), "Sales agent"));
    }
    unchanged(f, s);
}

static void draft_new_denied_for_reseller_users_whatever_role(void **state)
{
    fx *f = *state;
    static const char *roles[] = {"ga", "ua", "aa", "sa", "ha", "ba"};
    static const char *resellers[] = {"r1", "r2", "r3"};
    char user[16];
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < 6; i++) {
            snprintf(user, sizeof(user), "%s@%s", roles[i], resellers[r]);
            tg_draft *d = (tg_draft *)1;
            assert_int_equal(tg_draft_new(&d, fx_user(f, user)), TG_EDENIED);
            assert_null(d);
            assert_non_null(strstr(tg_error_message(), "reseller"));
        }
    tg_draft *d = (tg_draft *)1;
    assert_int_equal(tg_draft_new(&d, f->op), TG_EDENIED);
    assert_null(d);
}

/* ---- DOMAIN §4.3: review reports every problem together, writes nothing ---- */

static void review_of_empty_draft_lists_every_required_field(void **state)
{
    fx *f = *state;
    static const tg_field required[] = {
        TG_FIELD_COMPANY_NAME, TG_FIELD_DOMAIN_PREFIX, TG_FIELD_EMAIL, TG_FIELD_CULTURE,
        TG_FIELD_LANGUAGE, TG_FIELD_ADDRESS_LINE1, TG_FIELD_CITY, TG_FIELD_STATE,
        TG_FIELD_POSTAL_CODE, TG_FIELD_COUNTRY, TG_FIELD_FIRST_NAME, TG_FIELD_LAST_NAME};
    const size_t n = sizeof(required) / sizeof(required[0]);
    snap s = take(f);
    tg_draft *d;
    tg_problems *p = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, "ga@p1")), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_EINVAL);
    assert_non_null(p);
    assert_int_equal(tg_problems_count(p), n);
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < tg_problems_count(p); k++)
            if (tg_problems_field(p, k) == required[i]) {
                seen++;
                assert_non_null(strstr(tg_problems_message(p, k), "required"));
            }
        if (seen != 1) fail_msg("field %d reported %d times", (int)required[i], seen);
    }
    assert_null(tg_problems_message(p, n));
    tg_problems_free(p);
    tg_draft_free(d);
    unchanged(f, s);
}

static void review_lists_problems_of_several_fields_together(void **state)
{
    fx *f = *state;
    tg_draft *d = filled(f, "ga@p1", "several");
    tg_problems *p = NULL;
    assert_int_equal(tg_draft_set(d, TG_FIELD_COMPANY_NAME, "LLC"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_EMAIL, "ops@p1.example"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_COUNTRY, "USA"), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_EINVAL);
    assert_int_equal(tg_problems_count(p), 3);
    unsigned int seen = 0;
    for (size_t i = 0; i < 3; i++) seen |= 1u << tg_problems_field(p, i);
    assert_int_equal(seen, 1u << TG_FIELD_COMPANY_NAME | 1u << TG_FIELD_EMAIL | 1u << TG_FIELD_COUNTRY);
    tg_problems_free(p);
    tg_draft_free(d);
}

static void review_of_clean_draft_is_ok_empty_and_writes_nothing(void **state)
{
    fx *f = *state;
    snap s = take(f);
    tg_draft *d = filled(f, "ga@p1", "clean");
    tg_problems *p = NULL;
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 5), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_OK);
    assert_non_null(p);
    assert_int_equal(tg_problems_count(p), 0);
    tg_problems_free(p);
    tg_draft_free(d);
    unchanged(f, s);
}

/* ---- DOMAIN §4.1: each rule of the details, on its own ---- */

static void company_name_of_one_character_refused(void **state)
{
    fx *f = *state;
    refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, "A", TG_FIELD_COMPANY_NAME, "one character");
    refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, "\xCE\xA9", TG_FIELD_COMPANY_NAME, "one character");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "HP");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "\xCE\xA9\xCE\xBC");
}

static void company_name_of_only_symbols_or_blanks_refused(void **state)
{
    fx *f = *state;
    refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, "!!!", TG_FIELD_COMPANY_NAME, "symbols");
    refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, "   ", TG_FIELD_COMPANY_NAME, "blanks");
    refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, "-_-", TG_FIELD_COMPANY_NAME, "symbols");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "3M");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "A & B");
}

/* Symbols and blanks outside ASCII are still symbols and blanks: em dashes,
 * no-break spaces, ideographic spaces, trade mark signs. */
static void company_name_of_non_ascii_symbols_or_blanks_refused(void **state)
{
    fx *f = *state;
    static const char *bad[] = {"\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94", /* em dashes */
                                "\xC2\xA0\xC2\xA0\xC2\xA0",             /* no-break spaces */
                                "\xE3\x80\x80\xE3\x80\x80",             /* ideographic spaces */
                                "\xE2\x84\xA2\xC2\xAE"};                /* trade mark, registered */
    for (int i = 0; i < 4; i++)
        refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, bad[i], TG_FIELD_COMPANY_NAME, "symbols");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "\xC3\x89" "cole \xE2\x80\x94 Paris");
}

static void company_name_of_bare_legal_suffix_refused(void **state)
{
    fx *f = *state;
    static const char *bad[] = {"LLC", "Inc", "Inc.", "llc", " GmbH "};
    for (int i = 0; i < 5; i++)
        refuses(f, "ga@p1", TG_FIELD_COMPANY_NAME, bad[i], TG_FIELD_COMPANY_NAME, "suffix");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "Acme LLC");
    accepts(f, "ga@p1", TG_FIELD_COMPANY_NAME, "Incubator");
}

static void domain_prefix_taken_refused(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "acme", NULL, 0, &m);
    refuses(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "acme", TG_FIELD_DOMAIN_PREFIX, "taken");
    refuses(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "ACME", TG_FIELD_DOMAIN_PREFIX, "taken");
    /* unique across the whole graph, not per seller */
    refuses(f, "ga@p2", TG_FIELD_DOMAIN_PREFIX, "Acme", TG_FIELD_DOMAIN_PREFIX, "taken");
    refuses(f, "ga@d1", TG_FIELD_DOMAIN_PREFIX, "acme", TG_FIELD_DOMAIN_PREFIX, "taken");
    accepts(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "acme2");
}

static void domain_prefix_taken_between_review_and_submit_refused(void **state)
{
    fx *f = *state;
    tg_draft *a = filled(f, "ga@p1", "race"), *b = filled(f, "ga@p2", "race");
    tg_problems *p = NULL;
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_review(&p, b), TG_OK);
    tg_problems_free(p);
    assert_int_equal(tg_draft_submit(&r, a), TG_OK);
    tg_receipt_free(r);
    snap s = take(f);
    r = (tg_receipt *)1;
    assert_int_equal(tg_draft_submit(&r, b), TG_EINVAL);
    assert_null(r);
    assert_non_null(strstr(tg_error_message(), "taken"));
    unchanged(f, s);
    tg_draft_free(a);
    tg_draft_free(b);
}

static void domain_prefix_format_refused(void **state)
{
    fx *f = *state;
    char buf[64];
    refuses(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "has space", TG_FIELD_DOMAIN_PREFIX, "prefix");
    refuses(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "dot.ted", TG_FIELD_DOMAIN_PREFIX, "prefix");
    refuses(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, rep(buf, "a", 28), TG_FIELD_DOMAIN_PREFIX, "prefix");
    accepts(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, rep(buf, "a", 27));
}

static void email_at_microsoft_refused(void **state)
{
    fx *f = *state;
    refuses(f, "ga@p1", TG_FIELD_EMAIL, "x@microsoft.com", TG_FIELD_EMAIL, "microsoft.com");
    refuses(f, "ga@p1", TG_FIELD_EMAIL, "x@sub.microsoft.com", TG_FIELD_EMAIL, "microsoft.com");
    refuses(f, "ga@p1", TG_FIELD_EMAIL, "x@MICROSOFT.COM", TG_FIELD_EMAIL, "microsoft.com");
    accepts(f, "ga@p1", TG_FIELD_EMAIL, "x@notmicrosoft.com");
}

static void email_at_partner_own_domain_refused(void **state)
{
    fx *f = *state;
    refuses(f, "ga@p1", TG_FIELD_EMAIL, "x@p1.example", TG_FIELD_EMAIL, "p1.example");
    refuses(f, "sa@p1", TG_FIELD_EMAIL, "x@P1.Example", TG_FIELD_EMAIL, "p1.example");
    refuses(f, "ga@d1", TG_FIELD_EMAIL, "x@d1.example", TG_FIELD_EMAIL, "d1.example");
}

static void email_at_associated_reseller_domain_refused(void **state)
{
    fx *f = *state;
    snap s = take(f);
    tg_draft *d = filled(f, "ga@p1", "resmail");
    tg_problems *p = NULL;
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_EMAIL, "x@r1.example"), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_EINVAL);
    assert_int_equal(tg_problems_count(p), 1);
    assert_int_equal(tg_problems_field(p, 0), TG_FIELD_EMAIL);
    assert_non_null(strstr(tg_problems_message(p, 0), "r1.example"));
    tg_problems_free(p);
    tg_draft_free(d);
    unchanged(f, s);
}

static void email_invalid_refused(void **state)
{
    fx *f = *state;
    static const char *bad[] = {"not-an-email", "@x.example", "a@b", "a@@b.example",
                                "a b@c.example", "a@b..example"};
    for (int i = 0; i < 6; i++)
        refuses(f, "ga@p1", TG_FIELD_EMAIL, bad[i], TG_FIELD_EMAIL, "email");
}

static void culture_and_language_format_checked(void **state)
{
    fx *f = *state;
    refuses(f, "ga@p1", TG_FIELD_CULTURE, "english", TG_FIELD_CULTURE, "culture");
    refuses(f, "ga@p1", TG_FIELD_CULTURE, "en_US", TG_FIELD_CULTURE, "culture");
    refuses(f, "ga@p1", TG_FIELD_CULTURE, "en", TG_FIELD_CULTURE, "culture");
    refuses(f, "ga@p1", TG_FIELD_LANGUAGE, "eng", TG_FIELD_LANGUAGE, "language");
    refuses(f, "ga@p1", TG_FIELD_LANGUAGE, "e", TG_FIELD_LANGUAGE, "language");
    refuses(f, "ga@p1", TG_FIELD_LANGUAGE, "12", TG_FIELD_LANGUAGE, "language");
    accepts(f, "ga@p1", TG_FIELD_CULTURE, "fr-FR");
    accepts(f, "ga@p1", TG_FIELD_LANGUAGE, "fr");
}

static void address_lines_lengths_checked(void **state)
{
    fx *f = *state;
    char buf[512];
    refuses(f, "ga@p1", TG_FIELD_ADDRESS_LINE1, rep(buf, "a", 201), TG_FIELD_ADDRESS_LINE1, "200");
    accepts(f, "ga@p1", TG_FIELD_ADDRESS_LINE1, rep(buf, "a", 200));
    accepts(f, "ga@p1", TG_FIELD_ADDRESS_LINE1, "1");
    refuses(f, "ga@p1", TG_FIELD_ADDRESS_LINE2, rep(buf, "b", 201), TG_FIELD_ADDRESS_LINE2, "200");
    accepts(f, "ga@p1", TG_FIELD_ADDRESS_LINE2, rep(buf, "b", 200));
    accepts(f, "ga@p1", TG_FIELD_ADDRESS_LINE2, NULL); /* line 2 is optional */
    refuses(f, "ga@p1", TG_FIELD_ADDRESS_LINE1, NULL, TG_FIELD_ADDRESS_LINE1, "required");
}

static void contact_names_of_1_to_50_characters(void **state)
{
    fx *f = *state;
    char buf[256];
    refuses(f, "ga@p1", TG_FIELD_FIRST_NAME, rep(buf, "a", 51), TG_FIELD_FIRST_NAME, "50");
    refuses(f, "ga@p1", TG_FIELD_LAST_NAME, rep(buf, "a", 51), TG_FIELD_LAST_NAME, "50");
    /* characters, not bytes: 50 two-byte characters are 100 bytes */
    accepts(f, "ga@p1", TG_FIELD_FIRST_NAME, rep(buf, "\xC3\xA9", 50));
    accepts(f, "ga@p1", TG_FIELD_LAST_NAME, rep(buf, "\xC3\xA9", 50));
    refuses(f, "ga@p1", TG_FIELD_LAST_NAME, rep(buf, "\xC3\xA9", 51), TG_FIELD_LAST_NAME, "50");
    accepts(f, "ga@p1", TG_FIELD_FIRST_NAME, "J");
    refuses(f, "ga@p1", TG_FIELD_FIRST_NAME, NULL, TG_FIELD_FIRST_NAME, "required");
}

static void country_of_two_letters(void **state)
{
    fx *f = *state;
    static const char *bad[] = {"USA", "U", "1A", "\xC3\x9C\xC3\x9C"};
    for (int i = 0; i < 4; i++)
        refuses(f, "ga@p1", TG_FIELD_COUNTRY, bad[i], TG_FIELD_COUNTRY, "two letters");
    accepts(f, "ga@p1", TG_FIELD_COUNTRY, "GB");
}

static void reseller_must_be_active_partner_of_this_provider(void **state)
{
    fx *f = *state;
    refuses(f, "ga@p1", TG_FIELD_RESELLER, R2, TG_FIELD_RESELLER, "reseller");
    refuses(f, "ga@p1", TG_FIELD_RESELLER, R3, TG_FIELD_RESELLER, "reseller");
    refuses(f, "ga@p1", TG_FIELD_RESELLER, P2, TG_FIELD_RESELLER, "reseller");
    refuses(f, "ga@p2", TG_FIELD_RESELLER, R1, TG_FIELD_RESELLER, "reseller");
    refuses(f, "ga@p1", TG_FIELD_RESELLER, GHOST, TG_FIELD_RESELLER, "reseller");
    accepts(f, "ga@p1", TG_FIELD_RESELLER, R1);
}

/* DOMAIN §3.1, §3.5: no new customers for a reseller whose agreement lapsed, or
 * after the partnership was removed, even for a draft that reviewed clean. */
static void reseller_without_agreement_or_partnership_refused(void **state)
{
    fx *f = *state;
    tg_draft *d = filled(f, "ga@p1", "lapsed");
    tg_problems *p = NULL;
    tg_receipt *r = (tg_receipt *)1;
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_review(&p, d), TG_OK);
    tg_problems_free(p);
    assert_int_equal(tg_partner_set_agreement(f->op, R1, 0), TG_OK);
    refuses(f, "ga@p1", TG_FIELD_RESELLER, R1, TG_FIELD_RESELLER, "agreement");
    assert_int_equal(tg_partner_set_agreement(f->op, R1, 1), TG_OK);
    accepts(f, "ga@p1", TG_FIELD_RESELLER, R1);
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p1"), R1,
                                           TG_CONFIRM | TG_ATTEST_GOOD_FAITH), TG_OK);
    refuses(f, "ga@p1", TG_FIELD_RESELLER, R1, TG_FIELD_RESELLER, "reseller");
    snap s = take(f);
    assert_int_equal(tg_draft_submit(&r, d), TG_EINVAL);
    assert_null(r);
    unchanged(f, s);
    tg_draft_free(d);
}

static void direct_bill_partner_cannot_associate_reseller(void **state)
{
    fx *f = *state;
    refuses(f, "ga@d1", TG_FIELD_RESELLER, R1, TG_FIELD_RESELLER, "reseller");
    accepts(f, "ga@d1", TG_FIELD_RESELLER, NULL);
}

/* ---- DOMAIN §4.2: subscription lines, count >= 1 ---- */

static void draft_subscription_line_checked(void **state)
{
    fx *f = *state;
    tg_draft *d = filled(f, "ga@p1", "lines");
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 0), TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "license count"));
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", -1), TG_EINVAL);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 1000001), TG_EINVAL);
    assert_int_equal(tg_draft_add_subscription(d, NULL, 1), TG_EINVAL);
    assert_int_equal(tg_draft_add_subscription(d, "", 1), TG_EINVAL);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e5", 1000000), TG_OK);
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    assert_int_equal(tg_receipt_subscription_count(r), 2); /* the refused lines were not added */
    tg_iter *it;
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@p1"), tg_receipt_customer_id(r)), TG_OK);
    assert_int_equal(fx_count(it), 2);
    tg_receipt_free(r);
    tg_draft_free(d);
}

/* ---- DOMAIN §4.4-4.5: submit all or nothing, cancel, confirmation ---- */

static void submit_with_problems_writes_nothing(void **state)
{
    fx *f = *state;
    tg_draft *d = filled(f, "ga@p1", "broken");
    assert_int_equal(tg_draft_set(d, TG_FIELD_COMPANY_NAME, "Inc"), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 3), TG_OK);
    snap s = take(f);
    tg_receipt *r = (tg_receipt *)1;
    assert_int_equal(tg_draft_submit(&r, d), TG_EINVAL);
    assert_null(r);
    assert_non_null(strstr(tg_error_message(), "suffix"));
    unchanged(f, s);
    /* still open: fixed, it submits */
    assert_int_equal(tg_draft_set(d, TG_FIELD_COMPANY_NAME, "Broken Inc"), TG_OK);
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    tg_receipt_free(r);
    tg_draft_free(d);
}

static void submit_creates_customer_for_reseller_with_delegated_admin(void **state)
{
    fx *f = *state;
    uint64_t rev = tg_graph_revision(f->g);
    tg_draft *d = filled(f, "sa@p1", "acme");
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 25), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "azure-plan", 1), TG_OK);
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    assert_true(tg_graph_revision(f->g) > rev);
    char id[64];
    snprintf(id, sizeof(id), "%s", tg_receipt_customer_id(r));
    assert_int_equal(strlen(id), 36);
    assert_string_equal(tg_receipt_admin_user(r), "admin@acme.onmicrosoft.com");
    assert_int_equal(tg_receipt_subscription_count(r), 2);
    assert_non_null(tg_receipt_subscription_id(r, 0));
    assert_non_null(tg_receipt_subscription_id(r, 1));
    assert_string_not_equal(tg_receipt_subscription_id(r, 0), tg_receipt_subscription_id(r, 1));
    assert_null(tg_receipt_subscription_id(r, 2));
    tg_iter *it;
    assert_int_equal(tg_subscriptions(&it, fx_user(f, "ga@p1"), id), TG_OK);
    assert_true(fx_has(it, tg_receipt_subscription_id(r, 1)));
    tg_receipt_free(r);
    tg_draft_free(d);

    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), NULL), TG_OK);
    assert_true(fx_has(it, id));
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), R1), TG_OK);
    assert_true(fx_has(it, id));
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@r1"), NULL), TG_OK);
    assert_true(fx_has(it, id));
    assert_int_equal(tg_check(fx_user(f, "aa@r1"), TG_ACT_DELEGATED_ADMIN, id), TG_OK);
    assert_int_equal(tg_check(fx_user(f, "aa@r2"), TG_ACT_DELEGATED_ADMIN, id), TG_ENOTFOUND);
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

/* A used-up draft refuses every change and writes nothing; `word` names why. */
static void refuses_everything(fx *f, tg_draft *d, const char *word)
{
    snap s = take(f);
    tg_problems *p = (tg_problems *)1;
    tg_receipt *r = (tg_receipt *)1;
    assert_int_equal(tg_draft_set(d, TG_FIELD_CITY, "Seattle"), TG_ESTATE);
    assert_non_null(strstr(tg_error_message(), word));
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 1), TG_ESTATE);
    assert_int_equal(tg_draft_review(&p, d), TG_ESTATE);
    assert_null(p);
    assert_int_equal(tg_draft_submit(&r, d), TG_ESTATE);
    assert_null(r);
    assert_int_equal(tg_draft_cancel(d), TG_ESTATE);
    unchanged(f, s);
}

static void submitted_draft_is_used_up(void **state)
{
    fx *f = *state;
    tg_draft *d = filled(f, "ga@p1", "usedup");
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    tg_receipt_free(r);
    refuses_everything(f, d, "submitted");
    tg_draft_free(d);
}

static void cancelled_draft_discards_everything(void **state)
{
    fx *f = *state;
    snap s = take(f);
    tg_draft *d = filled(f, "ga@p1", "cancelled");
    assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, R1), TG_OK);
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 1), TG_OK);
    assert_int_equal(tg_draft_cancel(d), TG_OK);
    assert_null(tg_draft_get(d, TG_FIELD_COMPANY_NAME));
    refuses_everything(f, d, "cancelled");
    tg_draft_free(d);
    unchanged(f, s);
    accepts(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "cancelled"); /* the prefix stayed free */
}

/* ---- DOMAIN §4.5: the temporary password ---- */

static void temporary_password_shown_once_and_strong(void **state)
{
    fx *f = *state;
    tg_draft *d = filled(f, "ga@p1", "pwonce");
    tg_receipt *r = NULL;
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    const char *pw = tg_receipt_password(r);
    assert_non_null(pw);
    assert_true(strlen(pw) >= 16);
    int up = 0, lo = 0, dig = 0, sym = 0;
    for (const char *c = pw; *c; c++) {
        if (strchr("0O1lIi|o", *c)) fail_msg("look-alike character '%c' in the password", *c);
        if (*c >= 'A' && *c <= 'Z') up++;
        else if (*c >= 'a' && *c <= 'z') lo++;
        else if (*c >= '0' && *c <= '9') dig++;
        else if (*c > ' ' && *c < 0x7f) sym++;
        else fail_msg("unexpected byte 0x%02x in the password", (unsigned char)*c);
    }
    assert_true(up && lo && dig && sym);
    assert_null(tg_receipt_password(r));
    assert_null(tg_receipt_password(r));
    /* the rest of the receipt stays readable */
    assert_string_equal(tg_receipt_admin_user(r), "admin@pwonce.onmicrosoft.com");
    tg_receipt_free(r);
    tg_draft_free(d);
}

static void temporary_password_verifies_and_only_a_verifier_is_kept(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "pwcheck", R1, 1, &m);
    assert_int_equal(tg_customer_verify_password(f->op, m.admin, m.pw), TG_OK);
    char wrong[64];
    snprintf(wrong, sizeof(wrong), "%s", m.pw);
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    assert_int_equal(tg_customer_verify_password(f->op, m.admin, wrong), TG_EDENIED);
    assert_int_equal(tg_customer_verify_password(f->op, m.admin, "password"), TG_EDENIED);
    /* only the operator verifies; an unknown admin is not found */
    assert_int_equal(tg_customer_verify_password(fx_user(f, "ga@p1"), m.admin, m.pw), TG_EDENIED);
    assert_int_equal(tg_customer_verify_password(f->op, "admin@nosuch.onmicrosoft.com", m.pw),
                     TG_ENOTFOUND);
    /* nowhere in the store, nor in anything the API shows */
    char *dump = fx_store_dump(f);
    assert_null(strstr(dump, m.pw));
    assert_non_null(strstr(dump, "$argon2id$"));
    free(dump);
    char *st = fx_state(f);
    assert_null(strstr(st, m.pw));
    free(st);
}

static void two_customers_get_different_passwords(void **state)
{
    fx *f = *state;
    made a, b;
    make(f, "ga@p1", "first", NULL, 0, &a);
    make(f, "ga@p1", "second", NULL, 0, &b);
    assert_string_not_equal(a.pw, b.pw);
    assert_int_equal(tg_customer_verify_password(f->op, b.admin, a.pw), TG_EDENIED);
    assert_int_equal(tg_customer_verify_password(f->op, b.admin, b.pw), TG_OK);
}

/* ---- DOMAIN §4: customers listed, filtered by reseller, who sees them ---- */

static void customers_filtered_by_reseller(void **state)
{
    fx *f = *state;
    made shared, own;
    two_customers(f, &shared, &own);
    tg_iter *it = listed(f, "ga@p1", NULL);
    assert_int_equal(tg_iter_count(it), 2);
    assert_true(fx_has(it, own.id));
    assert_true(fx_has(listed(f, "ga@p1", NULL), shared.id));
    it = listed(f, "ga@p1", R1);
    assert_int_equal(tg_iter_count(it), 1);
    assert_true(fx_has(it, shared.id));
    assert_int_equal(fx_count(listed(f, "ga@p1", R2)), 0);
}

/* R1 works with P1 and P2: each provider's filter shows only its own customers. */
static void filter_by_shared_reseller_keeps_providers_apart(void **state)
{
    fx *f = *state;
    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p2")), TG_OK);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r1"), tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    made a, b;
    make(f, "ga@p1", "viap1", R1, 0, &a);
    make(f, "ga@p2", "viap2", R1, 0, &b);
    tg_iter *it = listed(f, "ga@p1", R1);
    assert_int_equal(tg_iter_count(it), 1);
    assert_true(fx_has(it, a.id));
    it = listed(f, "ga@p2", R1);
    assert_int_equal(tg_iter_count(it), 1);
    assert_true(fx_has(it, b.id));
    it = listed(f, "ga@r1", NULL);
    assert_int_equal(tg_iter_count(it), 2);
    assert_true(fx_has(it, b.id));
    char *json = (char *)1;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p1"), b.id), TG_ENOTFOUND);
    assert_null(json);
}

static void reseller_sees_only_shared_customers(void **state)
{
    fx *f = *state;
    made shared, own;
    two_customers(f, &shared, &own);
    static const char *viewers[] = {"ga@r1", "ua@r1", "aa@r1", "sa@r1"};
    for (int i = 0; i < 4; i++) {
        tg_iter *it = listed(f, viewers[i], NULL);
        assert_int_equal(tg_iter_count(it), 1);
        assert_true(fx_has(it, shared.id));
    }
    assert_true(fx_has(listed(f, "ga@r1", R1), shared.id));
    char *json = (char *)1;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@r1"), shared.id), TG_OK);
    tg_free(json);
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@r1"), own.id), TG_ENOTFOUND);
    assert_null(json);
}

static void unrelated_partners_see_no_customers(void **state)
{
    fx *f = *state;
    made shared, own;
    two_customers(f, &shared, &own);
    static const char *others[] = {"ga@p2", "ga@r2", "ga@r3", "ga@d1"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(fx_count(listed(f, others[i], NULL)), 0);
        assert_int_equal(fx_count(listed(f, others[i], R1)), 0);
    }
}

/* A list longer than a reseller's: P1 sells, holds delegated admin over and (for
 * some) shares with R1 more customers than one of its passes over a list takes
 * (256), and still names each once, all of them, in the order it sold them; R1
 * sees exactly those it shares. */
static void long_lists_name_each_customer_once(void **state)
{
    fx *f = *state;
    enum { N = 600 };
    static made m[N];
    for (int i = 0; i < N; i++) {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "many%d", i);
        make(f, "ga@p1", prefix, i % 3 == 0 ? R1 : NULL, 0, &m[i]);
    }
    tg_iter *p1 = listed(f, "ga@p1", NULL), *r1 = listed(f, "ga@r1", NULL);
    assert_int_equal(tg_iter_count(p1), N);
    assert_int_equal(tg_iter_count(r1), N / 3);
    const char *id;
    size_t seen = 0;
    while (tg_iter_next(p1, &id) == TG_OK) {
        int found = 0;
        for (int i = 0; i < N; i++) found += !strcmp(id, m[i].id);
        assert_int_equal(found, 1);
        assert_string_equal(id, m[seen].id);
        seen++;
    }
    assert_int_equal(seen, N);
    while (tg_iter_next(r1, &id) == TG_OK) {
        int i = 0;
        while (i < N && strcmp(id, m[i].id)) i++;
        assert_true(i < N && i % 3 == 0);
    }
    tg_iter_free(p1);
    tg_iter_free(r1);
}

/* The next item of an iterator is `want`. */
static void next_is(tg_iter *it, const char *want)
{
    const char *id = NULL;
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    assert_string_equal(id, want);
}

/* A reseller's customer only administered: an association ended keeps the
 * delegated admin (the commit moves B to the end of R1's list of those it
 * administers and out of its list of those associated). R1 names each once,
 * those associated first; associated again, B is last in both lists. */
static void a_resellers_lists_out_of_order_name_each_once(void **state)
{
    fx *f = *state;
    made m[4];
    for (int i = 0; i < 4; i++) {
        char prefix[16];
        snprintf(prefix, sizeof(prefix), "order%d", i);
        make(f, "ga@p1", prefix, R1, 0, &m[i]);
    }
    tg_session *ga = fx_user(f, "ga@p1");
    assert_int_equal(tg_customer_set_reseller(ga, m[1].id, NULL), TG_OK);
    tg_iter *it = listed(f, "ga@r1", NULL);
    assert_int_equal(tg_iter_count(it), 4);
    next_is(it, m[0].id); /* associated: 0, 2, 3 */
    next_is(it, m[2].id);
    next_is(it, m[3].id);
    next_is(it, m[1].id); /* administered only */
    tg_iter_free(it);

    assert_int_equal(tg_customer_set_reseller(ga, m[1].id, R1), TG_OK);
    it = listed(f, "ga@r1", NULL);
    assert_int_equal(tg_iter_count(it), 4);
    next_is(it, m[0].id);
    next_is(it, m[2].id);
    next_is(it, m[3].id);
    next_is(it, m[1].id); /* associated again, last */
    tg_iter_free(it);
    it = listed(f, "ga@r1", R1);
    assert_int_equal(tg_iter_count(it), 4);
    tg_iter_free(it);
}

static void invisible_customer_reads_as_nonexistent(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "hidden", R1, 0, &m);
    char *json = (char *)1;
    char msg_hidden[512], msg_ghost[512];
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p2"), m.id), TG_ENOTFOUND);
    assert_null(json);
    snprintf(msg_hidden, sizeof(msg_hidden), "%s", masked(0, tg_error_message(), m.id));
    json = (char *)1;
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@p2"), GHOST), TG_ENOTFOUND);
    assert_null(json);
    snprintf(msg_ghost, sizeof(msg_ghost), "%s", masked(1, tg_error_message(), GHOST));
    assert_string_equal(msg_hidden, msg_ghost); /* the same answer: nothing leaks */
    assert_null(strstr(msg_hidden, "Company"));
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@r2"), m.id), TG_ENOTFOUND);
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ga@d1"), m.id), TG_ENOTFOUND);
}

static void reseller_view_requires_view_roles(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "shared", R1, 0, &m);
    tg_iter *it = (tg_iter *)1;
    char *json = (char *)1;
    static const char *users[] = {"ha@r1", "ba@r1", "ha@p1", "ba@p1"};
    for (int i = 0; i < 4; i++) {
        it = (tg_iter *)1;
        assert_int_equal(tg_customers(&it, fx_user(f, users[i]), NULL), TG_EDENIED);
        assert_null(it);
        assert_non_null(strstr(tg_error_message(), "Sales agent"));
    }
    assert_int_equal(tg_customer_get(&json, fx_user(f, "ha@r1"), m.id), TG_EDENIED);
    assert_null(json);
}

/* ---- DOMAIN §4 other rules: removal ---- */

static void removal_refused_while_associated_with_reseller(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "assoc", R1, 0, &m);
    snap s = take(f);
    assert_int_equal(tg_customer_remove(fx_user(f, "ga@p1"), m.id), TG_ESTATE);
    assert_non_null(strstr(tg_error_message(), "reseller"));
    unchanged(f, s);
}

static void removal_refused_while_subscription_active(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "active", NULL, 2, &m);
    tg_session *ga = fx_user(f, "ga@p1");
    assert_int_equal(tg_subscription_set_status(ga, m.subs[0], TG_SUB_DELETED), TG_OK);
    snap s = take(f);
    assert_int_equal(tg_customer_remove(ga, m.id), TG_ESTATE); /* one is still active */
    assert_non_null(strstr(tg_error_message(), "active"));
    unchanged(f, s);
}

static void removal_by_seller_after_association_and_subscriptions_end(void **state)
{
    fx *f = *state;
    made m, other;
    make(f, "ga@p1", "leaving", R1, 2, &m);
    make(f, "ga@p1", "staying", NULL, 1, &other);
    tg_session *ga = fx_user(f, "ga@p1");
    assert_int_equal(tg_customer_set_reseller(ga, m.id, NULL), TG_OK);
    assert_int_equal(tg_customer_remove(ga, m.id), TG_ESTATE);
    for (size_t i = 0; i < m.nsubs; i++)
        assert_int_equal(tg_subscription_set_status(ga, m.subs[i], TG_SUB_DELETED), TG_OK);
    assert_int_equal(tg_customer_remove(ga, m.id), TG_OK);
    char *json = (char *)1;
    assert_int_equal(tg_customer_get(&json, ga, m.id), TG_ENOTFOUND);
    assert_null(json);
    for (size_t i = 0; i < m.nsubs; i++)
        assert_int_equal(tg_subscription_get(&json, ga, m.subs[i]), TG_ENOTFOUND);
    char *dump = fx_store_records(f); /* the change events still name it: history */
    assert_null(strstr(dump, m.id));
    assert_null(strstr(dump, m.subs[0]));
    assert_null(strstr(dump, m.subs[1]));
    assert_non_null(strstr(dump, other.id)); /* only that customer went */
    free(dump);
    tg_iter *it;
    assert_int_equal(tg_customers(&it, ga, NULL), TG_OK);
    assert_int_equal(fx_count(it), 1);
    accepts(f, "ga@p1", TG_FIELD_DOMAIN_PREFIX, "leaving"); /* its domain is free again */
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
}

static void removal_by_non_seller_denied(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "notyours", NULL, 0, &m);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), m.id, R1), TG_OK);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), m.id, NULL), TG_OK);
    snap s = take(f);
    /* R1 still sees it (delegated admin stays), but is not its seller */
    assert_int_equal(tg_customer_remove(fx_user(f, "ga@r1"), m.id), TG_EDENIED);
    assert_int_equal(tg_customer_remove(fx_user(f, "aa@r1"), m.id), TG_EDENIED);
    assert_int_equal(tg_customer_remove(fx_user(f, "ga@p2"), m.id), TG_ENOTFOUND);
    assert_int_equal(tg_customer_remove(fx_user(f, "ga@d1"), m.id), TG_ENOTFOUND);
    unchanged(f, s);
}

static void removal_denied_to_roles_without_removal_right(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "roles", NULL, 0, &m);
    static const char *users[] = {"ua@p1", "sa@p1", "ha@p1", "ba@p1"};
    snap s = take(f);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(tg_customer_remove(fx_user(f, users[i]), m.id), TG_EDENIED);
        assert_non_null(strstr(tg_error_message(), "Global admin"));
    }
    assert_int_equal(tg_customer_remove(f->op, m.id), TG_EDENIED);
    unchanged(f, s);
}

/* ---- DOMAIN §3.4, §4: the reseller association of an existing customer ---- */

static void set_reseller_to_active_partner_grants_delegated_admin(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "later", NULL, 0, &m);
    assert_int_equal(tg_check(fx_user(f, "aa@r1"), TG_ACT_DELEGATED_ADMIN, m.id), TG_ENOTFOUND);
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "sa@p1"), m.id, R1), TG_OK);
    assert_true(tg_graph_revision(f->g) > rev);
    assert_int_equal(tg_check(fx_user(f, "aa@r1"), TG_ACT_DELEGATED_ADMIN, m.id), TG_OK);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), m.id, R1), TG_OK); /* again */
    assert_int_equal(tg_graph_verify(f->g), TG_OK);
    tg_iter *it;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@p1"), R1), TG_OK);
    assert_true(fx_has(it, m.id));
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@r1"), NULL), TG_OK);
    assert_true(fx_has(it, m.id));
}

static void set_reseller_to_non_partner_refused(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "nopartner", NULL, 0, &m);
    snap s = take(f);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), m.id, R2), TG_ESTATE);
    assert_non_null(strstr(tg_error_message(), "reseller"));
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), m.id, R3), TG_ESTATE);
    unchanged(f, s);
    assert_int_equal(tg_check(fx_user(f, "aa@r2"), TG_ACT_DELEGATED_ADMIN, m.id), TG_ENOTFOUND);
}

static void set_reseller_by_non_seller_denied(void **state)
{
    fx *f = *state;
    made m;
    make(f, "ga@p1", "sellers", R1, 0, &m);
    snap s = take(f);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@r1"), m.id, NULL), TG_EDENIED);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p2"), m.id, NULL), TG_ENOTFOUND);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ha@p1"), m.id, NULL), TG_EDENIED);
    unchanged(f, s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* DOMAIN §2: subscriptions in a new-customer draft are orders, so a User
 * management admin (may create customers, may not place orders) can submit a
 * draft without subscriptions but not one with them. */
static void draft_with_subscriptions_needs_order_roles(void **state)
{
    fx *f = *state;
    tg_draft *d;
    tg_problems *problems = NULL;
    tg_receipt *r = NULL;
    uint64_t rev = tg_graph_revision(f->g);
    assert_int_equal(tg_draft_new(&d, fx_user(f, "ua@p1")), TG_OK);
    fx_fill_draft(d, "uaorders");
    assert_int_equal(tg_draft_add_subscription(d, "offer-e3", 3), TG_OK);
    assert_int_equal(tg_draft_review(&problems, d), TG_EINVAL);
    assert_int_equal(tg_problems_count(problems), 1);
    assert_int_equal(tg_problems_field(problems, 0), 0);
    assert_non_null(strstr(tg_problems_message(problems, 0), "Sales agent"));
    tg_problems_free(problems);
    assert_int_equal(tg_draft_submit(&r, d), TG_EINVAL);
    assert_null(r);
    assert_int_equal(tg_graph_revision(f->g), rev);
    tg_draft_free(d);

    assert_int_equal(tg_draft_new(&d, fx_user(f, "ua@p1")), TG_OK);
    fx_fill_draft(d, "uanoorders");
    assert_int_equal(tg_draft_submit(&r, d), TG_OK);
    assert_int_equal(tg_receipt_subscription_count(r), 0);
    tg_receipt_free(r);
    tg_draft_free(d);
    assert_int_equal(tg_graph_revision(f->g), rev + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(draft_with_subscriptions_needs_order_roles),
        T(draft_new_allowed_for_seller_roles),
        T(draft_new_denied_for_helpdesk_and_billing),
        T(draft_new_denied_for_reseller_users_whatever_role),
        T(review_of_empty_draft_lists_every_required_field),
        T(review_lists_problems_of_several_fields_together),
        T(review_of_clean_draft_is_ok_empty_and_writes_nothing),
        T(company_name_of_one_character_refused),
        T(company_name_of_only_symbols_or_blanks_refused),
        T(company_name_of_non_ascii_symbols_or_blanks_refused),
        T(company_name_of_bare_legal_suffix_refused),
        T(domain_prefix_taken_refused),
        T(domain_prefix_taken_between_review_and_submit_refused),
        T(domain_prefix_format_refused),
        T(email_at_microsoft_refused),
        T(email_at_partner_own_domain_refused),
        T(email_at_associated_reseller_domain_refused),
        T(email_invalid_refused),
        T(culture_and_language_format_checked),
        T(address_lines_lengths_checked),
        T(contact_names_of_1_to_50_characters),
        T(country_of_two_letters),
        T(reseller_must_be_active_partner_of_this_provider),
        T(reseller_without_agreement_or_partnership_refused),
        T(direct_bill_partner_cannot_associate_reseller),
        T(draft_subscription_line_checked),
        T(submit_with_problems_writes_nothing),
        T(submit_creates_customer_for_reseller_with_delegated_admin),
        T(submitted_draft_is_used_up),
        T(cancelled_draft_discards_everything),
        T(temporary_password_shown_once_and_strong),
        T(temporary_password_verifies_and_only_a_verifier_is_kept),
        T(two_customers_get_different_passwords),
        T(customers_filtered_by_reseller),
        T(filter_by_shared_reseller_keeps_providers_apart),
        T(reseller_sees_only_shared_customers),
        T(unrelated_partners_see_no_customers),
        T(long_lists_name_each_customer_once),
        T(a_resellers_lists_out_of_order_name_each_once),
        T(invisible_customer_reads_as_nonexistent),
        T(reseller_view_requires_view_roles),
        T(removal_refused_while_associated_with_reseller),
        T(removal_refused_while_subscription_active),
        T(removal_by_seller_after_association_and_subscriptions_end),
        T(removal_by_non_seller_denied),
        T(removal_denied_to_roles_without_removal_right),
        T(set_reseller_to_active_partner_grants_delegated_admin),
        T(set_reseller_to_non_partner_refused),
        T(set_reseller_by_non_seller_denied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
