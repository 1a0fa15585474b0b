/*
 * new_customer.c - the new-customer flow (DOMAIN.md §4).
 *
 * A provider creates a customer on its reseller's behalf: it fills a draft (with
 * mistakes), reviews it and sees every problem at once, fixes them, submits, and
 * gets a receipt whose temporary password can be read exactly once. Then we read
 * the customer as Partner Center JSON, and cancel a second draft.
 *
 * Usage: new_customer [STORE-URI]   (default "mem:"; exits 1 on anything unexpected)
 */
#include <stdio.h>
#include <string.h>

#include "example.h"

/* The name of a draft field, for printing problems (0: the draft as a whole). */
static const char *field_name(tg_field field)
{
    static const char *names[] = {
        "draft", "company name", "domain prefix", "email", "culture", "language",
        "address line 1", "address line 2", "city", "state", "postal code", "country",
        "first name", "last name", "phone", "reseller",
    };
    return (size_t)field < sizeof(names) / sizeof(names[0]) ? names[field] : "?";
}

/* Print every problem of a review; returns how many there were. */
static size_t print_problems(const tg_problems *problems)
{
    size_t n = tg_problems_count(problems);
    for (size_t i = 0; i < n; i++)
        printf("     - %-14s %s\n", field_name(tg_problems_field(problems, i)),
               tg_problems_message(problems, i));
    return n;
}

int main(int argc, char **argv)
{
    ex_cast c;
    tg_draft *d;
    tg_problems *problems;
    tg_iter *it;
    char *json;
    ex_open(&c, argc, argv);
    ex_enrol(&c);
    ex_partner(&c);

    printf("1. The provider starts a draft for a customer of its reseller (first attempt).\n");
    ex_refused(tg_draft_new(&d, c.reseller), TG_EDENIED, "a draft by the reseller itself");
    ex_check(tg_draft_new(&d, c.provider), "start the draft");
    /* Nothing is checked, and nothing written, until the review. */
    const ex_detail first_attempt[] = {
        {TG_FIELD_COMPANY_NAME, "LLC"},                 /* a bare legal suffix */
        {TG_FIELD_DOMAIN_PREFIX, "wingtip toys"},       /* a blank */
        {TG_FIELD_EMAIL, "gena@contoso-dist.example"},  /* the provider's own domain */
        {TG_FIELD_CULTURE, "english"},                  /* not like en-US */
        {TG_FIELD_LANGUAGE, "en"},
        {TG_FIELD_ADDRESS_LINE1, "One Microsoft Way"},  /* no city, state, postal code */
        {TG_FIELD_COUNTRY, "USA"},                      /* three letters */
        {TG_FIELD_FIRST_NAME, "Gena"},                  /* no last name */
        {TG_FIELD_RESELLER, RESELLER},                  /* the reseller to associate */
    };
    ex_fill_draft(d, first_attempt, sizeof(first_attempt) / sizeof(first_attempt[0]));
    ex_refused(tg_draft_add_subscription(d, "office-365-e3", 0), TG_EINVAL, "a line of 0 licenses");
    ex_check(tg_draft_add_subscription(d, "office-365-e3", 25), "a line of 25 licenses");
    ex_check(tg_draft_add_subscription(d, "azure-plan", 1), "a line of 1");

    printf("\n2. The review reports every problem at once, and writes nothing.\n");
    uint64_t revision = tg_graph_revision(c.graph);
    ex_refused(tg_draft_review(&problems, d), TG_EINVAL, "the first attempt");
    size_t n = print_problems(problems);
    tg_problems_free(problems);
    /* company, prefix, email, culture, city, state, postal code, country, last name */
    ex_require(n == 9, "the review lists all nine problems");
    ex_require(tg_graph_revision(c.graph) == revision, "the review wrote nothing");

    printf("\n3. Fix them, and review again.\n");
    const ex_detail fixes[] = {
        {TG_FIELD_COMPANY_NAME, "Wingtip Toys"}, {TG_FIELD_DOMAIN_PREFIX, "wingtiptoys"},
        {TG_FIELD_EMAIL, "gena@wingtiptoys.example"}, {TG_FIELD_CULTURE, "en-US"},
        {TG_FIELD_CITY, "Redmond"}, {TG_FIELD_STATE, "WA"}, {TG_FIELD_POSTAL_CODE, "98052"},
        {TG_FIELD_COUNTRY, "US"}, {TG_FIELD_LAST_NAME, "Soto"},
    };
    ex_fill_draft(d, fixes, sizeof(fixes) / sizeof(fixes[0]));
    ex_check(tg_draft_review(&problems, d), "the second review");
    ex_require(tg_problems_count(problems) == 0, "a clean review lists no problem");
    tg_problems_free(problems);
    printf("   clean: %s.onmicrosoft.com for %s\n", tg_draft_get(d, TG_FIELD_DOMAIN_PREFIX),
           tg_draft_get(d, TG_FIELD_COMPANY_NAME));

    printf("\n4. Submit: the customer and both subscriptions, all or nothing.\n");
    tg_receipt *r;
    ex_check(tg_draft_submit(&r, d), "submit");
    char customer[37];
    snprintf(customer, sizeof(customer), "%s", tg_receipt_customer_id(r));
    printf("   customer %s with %zu subscriptions:", customer, tg_receipt_subscription_count(r));
    for (size_t i = 0; i < tg_receipt_subscription_count(r); i++)
        printf(" %s", tg_receipt_subscription_id(r, i));
    printf("\n   admin user:         %s\n", tg_receipt_admin_user(r));
    const char *password = tg_receipt_password(r);
    ex_require(password != NULL, "the first read gives the temporary password");
    printf("   temporary password: %s   (hand it over now: it is shown once)\n", password);
    /* Only an Argon2id verifier is stored; the operator can check a password. */
    ex_check(tg_customer_verify_password(c.op, tg_receipt_admin_user(r), password),
             "the password matches its verifier");
    ex_refused(tg_customer_verify_password(c.op, tg_receipt_admin_user(r), "guess"), TG_EDENIED,
               "a wrong password");
    ex_require(tg_receipt_password(r) == NULL, "a second read gives nothing");
    printf("   reading it again gives NULL: %s\n", tg_error_message());
    tg_receipt_free(r); /* wipes the password */
    ex_refused(tg_draft_set(d, TG_FIELD_CITY, "Seattle"), TG_ESTATE, "editing the submitted draft");
    tg_draft_free(d);

    printf("\n5. The customer, as Partner Center's REST API shows it.\n");
    ex_check(tg_customer_get(&json, c.provider, customer), "read the customer");
    printf("   %s\n", json);
    ex_require_text(json, "\"domain\":\"wingtiptoys.onmicrosoft.com\"", "the domain");
    ex_require_text(json, "\"associatedPartnerId\":\"" RESELLER "\"", "the reseller association");
    tg_free(json);
    ex_check(tg_customers(&it, c.reseller, NULL), "the reseller's customers");
    ex_require(ex_list_has(it, customer), "the reseller sees the customer");
    ex_check(tg_check(c.reseller, TG_ACT_DELEGATED_ADMIN, customer), "delegated admin");
    printf("   the reseller sees the customer and holds delegated admin over it\n");

    printf("\n6. A second draft for the same domain, then cancelled.\n");
    ex_check(tg_draft_new(&d, c.provider), "start another draft");
    ex_check(tg_draft_set(d, TG_FIELD_DOMAIN_PREFIX, "WingtipToys"), "the same prefix");
    ex_refused(tg_draft_review(&problems, d), TG_EINVAL, "review of the second draft");
    int taken = 0;
    for (size_t i = 0; i < tg_problems_count(problems); i++) {
        if (tg_problems_field(problems, i) != TG_FIELD_DOMAIN_PREFIX) continue;
        printf("   among %zu problems: %s\n", tg_problems_count(problems),
               tg_problems_message(problems, i));
        taken = strstr(tg_problems_message(problems, i), "already taken") != NULL;
    }
    tg_problems_free(problems);
    ex_require(taken, "the domain, in any case, is taken");
    ex_check(tg_draft_cancel(d), "cancel");
    ex_refused(tg_draft_review(&problems, d), TG_ESTATE, "reviewing the cancelled draft");
    ex_require(problems == NULL, "no problem list after a refusal");
    tg_draft_free(d);

    ex_close(&c);
    return 0;
}
