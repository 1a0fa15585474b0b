/*
 * walkthrough.c - the seed scenario of the two-tier model, end to end:
 * enrol a provider and a reseller, invite, accept, create a customer for the
 * reseller with two subscriptions (printing its one-time credentials), add a
 * subscription with reseller attribution and support contact, then remove the
 * partnership and show what survives and what is refused.
 *
 * Usage: walkthrough [STORE-URI]   (default "file:walkthrough.tg", the embedded store)
 *
 * The graph outlives the program: run it again on the same store and it reopens
 * the graph, shows what it remembers, and adds one more customer. Delete the file
 * (or pass "mem:") to start over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiergraph.h>

#define PROVIDER "11111111-1111-4111-8111-111111111111"
#define RESELLER "22222222-2222-4222-8222-222222222222"

/* Stop at the first unexpected error, printing the library's message. */
static void check(int rc, const char *what)
{
    if (rc == TG_OK) return;
    fprintf(stderr, "walkthrough: %s failed: %s (%s)\n", what, tg_error_message(), tg_strerror(rc));
    exit(1);
}

/* Show that a call was refused, and why. */
static void refused(int rc, const char *what)
{
    if (rc == TG_OK) {
        fprintf(stderr, "walkthrough: %s should have been refused\n", what);
        exit(1);
    }
    printf("   refused: %s -> %s: %s\n", what, tg_strerror(rc), tg_error_message());
}

static void print_list(const char *title, tg_iter *it)
{
    const char *id;
    printf("   %s (%zu):", title, tg_iter_count(it));
    while (tg_iter_next(it, &id) == TG_OK) printf(" %s", id);
    printf("\n");
    tg_iter_free(it);
}

static void fill_customer(tg_draft *d, const char *company, const char *prefix)
{
    check(tg_draft_set(d, TG_FIELD_COMPANY_NAME, company), "company name");
    check(tg_draft_set(d, TG_FIELD_DOMAIN_PREFIX, prefix), "domain prefix");
    check(tg_draft_set(d, TG_FIELD_EMAIL, "gena@wingtiptoys.example"), "email");
    check(tg_draft_set(d, TG_FIELD_CULTURE, "en-US"), "culture");
    check(tg_draft_set(d, TG_FIELD_LANGUAGE, "en"), "language");
    check(tg_draft_set(d, TG_FIELD_ADDRESS_LINE1, "One Microsoft Way"), "address");
    check(tg_draft_set(d, TG_FIELD_CITY, "Redmond"), "city");
    check(tg_draft_set(d, TG_FIELD_STATE, "WA"), "state");
    check(tg_draft_set(d, TG_FIELD_POSTAL_CODE, "98052"), "postal code");
    check(tg_draft_set(d, TG_FIELD_COUNTRY, "US"), "country");
    check(tg_draft_set(d, TG_FIELD_FIRST_NAME, "Gena"), "first name");
    check(tg_draft_set(d, TG_FIELD_LAST_NAME, "Soto"), "last name");
}

/* A later run on a durable store: the graph is still there. Show it, add a customer. */
static int run_again(tg_graph *g, const char *uri)
{
    tg_session *prov_admin;
    tg_iter *it;
    uint64_t revision = tg_graph_revision(g);
    printf("Reopened \"%s\" at revision %llu: the graph outlived the last run.\n", uri,
           (unsigned long long)revision);
    check(tg_graph_verify(g), "verify");
    check(tg_session_user(&prov_admin, g, "ana@contoso-dist.example"), "provider session");
    check(tg_resellers(&it, prov_admin), "resellers");
    print_list("provider's indirect resellers (removed in the first run)", it);
    check(tg_customers(&it, prov_admin, NULL), "customers");
    print_list("provider's customers", it);
    check(tg_customers(&it, prov_admin, RESELLER), "customers of the reseller");
    print_list("still associated with the former reseller", it);

    tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1);
    tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192);
    char company[64], prefix[64];
    snprintf(company, sizeof(company), "Wingtip Toys %llu", (unsigned long long)revision);
    snprintf(prefix, sizeof(prefix), "wingtiptoys%llu", (unsigned long long)revision);
    tg_draft *d;
    tg_receipt *r;
    check(tg_draft_new(&d, prov_admin), "new draft");
    fill_customer(d, company, prefix);
    check(tg_draft_add_subscription(d, "office-365-e3", 5), "add a subscription line");
    check(tg_draft_submit(&r, d), "submit");
    printf("   this run adds customer %s (%s), now revision %llu\n", tg_receipt_customer_id(r),
           tg_receipt_admin_user(r), (unsigned long long)tg_graph_revision(g));
    tg_receipt_free(r);
    tg_draft_free(d);
    check(tg_graph_verify(g), "verify");
    tg_session_close(prov_admin);
    tg_graph_close(g);
    return 0;
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "file:walkthrough.tg";
    tg_graph *g;
    tg_session *op, *prov_admin, *res_admin;
    tg_iter *it;

    printf("tiergraph %s walkthrough on \"%s\"\n\n", tg_version_string(), uri);
    check(tg_graph_open(&g, uri), "open");
    if (tg_graph_revision(g) > 0) return run_again(g, uri);

    printf("1. The operator enrols an indirect provider and an indirect reseller.\n");
    check(tg_session_operator(&op, g), "operator session");
    check(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, PROVIDER, "4847383", "Contoso Distribution",
                            "contoso-dist.example", "US"), "enrol provider");
    check(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, RESELLER, "5123456", "Fabrikam Reseller",
                            "fabrikam.example", "US"), "enrol reseller");
    check(tg_partner_set_agreement(op, RESELLER, 1), "record the reseller's agreement");
    check(tg_user_add(op, PROVIDER, "ana@contoso-dist.example", TG_ROLE_GLOBAL_ADMIN | TG_ROLE_ADMIN_AGENT), "add provider admin");
    check(tg_user_add(op, RESELLER, "raj@fabrikam.example", TG_ROLE_GLOBAL_ADMIN | TG_ROLE_ADMIN_AGENT), "add reseller admin");
    check(tg_session_user(&prov_admin, g, "ana@contoso-dist.example"), "provider session");
    check(tg_session_user(&res_admin, g, "raj@fabrikam.example"), "reseller session");
    printf("   enrolled; revision %llu\n\n", (unsigned long long)tg_graph_revision(g));

    printf("2. The provider sends a partnership request; the reseller's Global admin accepts.\n");
    tg_invite *inv;
    check(tg_invite_create(&inv, prov_admin), "create invitation");
    printf("   link: %s\n", tg_invite_link(inv));
    refused(tg_invite_set_email(inv, "Hi! Please partner with us."), "an email without the link");
    char email[1024];
    snprintf(email, sizeof(email), "Dear Fabrikam,\n\nplease authorize us:\n%s\n", tg_invite_link(inv));
    check(tg_invite_set_email(inv, email), "edit the email");
    check(tg_partnership_accept(res_admin, tg_invite_link(inv)), "accept");
    refused(tg_partnership_accept(res_admin, tg_invite_link(inv)), "accepting the same link twice");
    tg_invite_free(inv);
    check(tg_resellers(&it, prov_admin), "resellers");
    print_list("provider's indirect resellers", it);
    check(tg_providers(&it, res_admin), "providers");
    print_list("reseller's indirect providers", it);
    printf("\n");

    printf("3. The provider creates a customer for the reseller with two subscriptions.\n");
    tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1);
    tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192);
    tg_draft *d;
    tg_problems *problems;
    check(tg_draft_new(&d, prov_admin), "new draft");
    tg_draft_set(d, TG_FIELD_COMPANY_NAME, "LLC");
    tg_draft_set(d, TG_FIELD_EMAIL, "ops@contoso-dist.example");
    if (tg_draft_review(&problems, d) != TG_OK) {
        printf("   review of an unfinished draft lists %zu problems, for example:\n", tg_problems_count(problems));
        for (size_t i = 0; i < tg_problems_count(problems) && i < 3; i++)
            printf("     - %s\n", tg_problems_message(problems, i));
    }
    tg_problems_free(problems);
    fill_customer(d, "Wingtip Toys", "wingtiptoys");
    tg_draft_set(d, TG_FIELD_RESELLER, RESELLER);
    check(tg_draft_add_subscription(d, "office-365-e3", 25), "add a subscription line");
    check(tg_draft_add_subscription(d, "azure-plan", 1), "add a subscription line");
    check(tg_draft_review(&problems, d), "review");
    tg_problems_free(problems);
    tg_receipt *r;
    check(tg_draft_submit(&r, d), "submit");
    tg_draft_free(d);
    char customer[64];
    snprintf(customer, sizeof(customer), "%s", tg_receipt_customer_id(r));
    printf("   customer %s created with %zu subscriptions\n", customer, tg_receipt_subscription_count(r));
    printf("   admin user:         %s\n", tg_receipt_admin_user(r));
    printf("   temporary password: %s   (shown once)\n", tg_receipt_password(r));
    printf("   asking again gives: %s\n", tg_receipt_password(r) ? "the password (wrong!)" : "nothing");
    tg_receipt_free(r);
    check(tg_customers(&it, prov_admin, RESELLER), "customers of the reseller");
    print_list("provider's customers with this reseller", it);
    check(tg_check(res_admin, TG_ACT_DELEGATED_ADMIN, customer), "reseller delegated admin");
    printf("   the reseller holds delegated admin over the customer\n\n");

    printf("4. The provider adds a subscription attributed to the reseller, supported by it.\n");
    char *sub;
    check(tg_subscription_add(&sub, prov_admin, customer, "dynamics-365", 10, "5123456", RESELLER), "add subscription");
    char *json;
    check(tg_subscription_get(&json, prov_admin, sub), "read subscription");
    printf("   %s\n\n", json);
    tg_free(json);

    printf("5. The provider removes the partnership (confirmed, in good faith).\n");
    refused(tg_partnership_remove(prov_admin, RESELLER, TG_CONFIRM), "removal without the attestation");
    check(tg_partnership_remove(prov_admin, RESELLER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH), "remove");
    check(tg_resellers(&it, prov_admin), "resellers");
    print_list("provider's indirect resellers now", it);
    check(tg_customers(&it, prov_admin, RESELLER), "customers");
    print_list("customers still associated with the reseller", it);
    check(tg_check(res_admin, TG_ACT_DELEGATED_ADMIN, customer), "delegated admin after removal");
    printf("   the reseller still holds delegated admin over the customer\n");
    check(tg_subscription_get(&json, prov_admin, sub), "read subscription");
    printf("   attribution kept: %s\n", strstr(json, "\"partnerId\":\"5123456\"") ? "yes" : "NO");
    tg_free(json);
    char *sub2 = NULL;
    refused(tg_subscription_add(&sub2, prov_admin, customer, "visio", 1, "5123456", NULL), "new attribution to the removed reseller");
    refused(tg_subscription_set_support(prov_admin, sub, RESELLER), "new support assignment to it");
    check(tg_draft_new(&d, prov_admin), "new draft");
    tg_draft_set(d, TG_FIELD_RESELLER, RESELLER);
    if (tg_draft_review(&problems, d) == TG_OK) {
        fprintf(stderr, "walkthrough: a new customer for the removed reseller should be refused\n");
        return 1;
    }
    for (size_t i = 0; i < tg_problems_count(problems); i++)
        if (tg_problems_field(problems, i) == TG_FIELD_RESELLER)
            printf("   refused: a new customer on its behalf -> %s\n", tg_problems_message(problems, i));
    tg_problems_free(problems);
    tg_draft_free(d);
    tg_free(sub);

    check(tg_graph_verify(g), "verify");
    printf("\ngraph verified at revision %llu; run again to reopen \"%s\"\n",
           (unsigned long long)tg_graph_revision(g), uri);
    tg_session_close(res_admin);
    tg_session_close(prov_admin);
    tg_session_close(op);
    tg_graph_close(g);
    return 0;
}
