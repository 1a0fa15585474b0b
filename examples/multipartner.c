/*
 * multipartner.c - a customer that works with more than one partner (DOMAIN.md
 * §4 first sign-in, §6): its admin signs in and sets a password, a second partner
 * asks to work with it and is accepted, each partner sees only its own
 * subscriptions, the customer records a subscription bought elsewhere and hires
 * a partner to support it, a license-based subscription waits for its term to
 * end before it moves, and the three forms of the resale ban.
 *
 * Usage: multipartner [STORE-URI]   (default "mem:")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiergraph.h>

#define CONTOSO "11111111-1111-4111-8111-111111111111"   /* indirect provider */
#define FABRIKAM "22222222-2222-4222-8222-222222222222"  /* its indirect reseller */
#define NORTHWIND "33333333-3333-4333-8333-333333333333" /* direct-bill partner */
#define FABRIKAM_CORP "22222222-2222-4222-8222-2222222222cc"
#define NORTHWIND_CORP "33333333-3333-4333-8333-3333333333cc"
#define START 1700000000 /* the demo's clock: 2023-11-14 */
#define DAY 86400

static void check(int rc, const char *what)
{
    if (rc == TG_OK) return;
    fprintf(stderr, "multipartner: %s failed: %s (%s)\n", what, tg_error_message(), tg_strerror(rc));
    exit(1);
}

/* Show that a call was refused with the expected code, and why. */
static void refused(int rc, int expected, const char *what)
{
    if (rc != expected) {
        fprintf(stderr, "multipartner: %s: expected %s, got %s (%s)\n", what,
                tg_strerror(expected), tg_strerror(rc), tg_error_message());
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

static void print_subscriptions(const char *who, tg_session *s, const char *customer)
{
    tg_iter *it;
    check(tg_subscriptions(&it, s, customer), "list subscriptions");
    print_list(who, it);
}

/* A new-customer draft of `seller` with every detail but the optional ones filled. */
static tg_draft *new_customer(tg_session *seller, const char *company, const char *prefix)
{
    static const struct {
        tg_field field;
        const char *value;
    } details[] = {
        {TG_FIELD_EMAIL, "billing@customer.example"}, {TG_FIELD_CULTURE, "en-US"},
        {TG_FIELD_LANGUAGE, "en"}, {TG_FIELD_ADDRESS_LINE1, "1 Main Street"},
        {TG_FIELD_CITY, "Redmond"}, {TG_FIELD_STATE, "WA"}, {TG_FIELD_POSTAL_CODE, "98052"},
        {TG_FIELD_COUNTRY, "US"}, {TG_FIELD_FIRST_NAME, "Gena"}, {TG_FIELD_LAST_NAME, "Soto"},
    };
    tg_draft *d;
    check(tg_draft_new(&d, seller), "draft");
    check(tg_draft_set(d, TG_FIELD_COMPANY_NAME, company), "company");
    check(tg_draft_set(d, TG_FIELD_DOMAIN_PREFIX, prefix), "domain prefix");
    for (size_t i = 0; i < sizeof(details) / sizeof(details[0]); i++)
        check(tg_draft_set(d, details[i].field, details[i].value), "customer details");
    return d;
}

static tg_session *partner_admin(tg_graph *g, tg_session *op, const char *tenant, const char *user)
{
    tg_session *s;
    check(tg_user_add(op, tenant, user, TG_ROLE_GLOBAL_ADMIN | TG_ROLE_ADMIN_AGENT), "add user");
    check(tg_session_user(&s, g, user), "partner session");
    return s;
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "mem:";
    tg_graph *g;
    tg_session *op, *contoso, *fabrikam, *northwind, *admin;
    tg_iter *it;

    printf("tiergraph %s: one customer, several partners, on \"%s\"\n\n", tg_version_string(), uri);
    check(tg_graph_open(&g, uri), "open");
    /* A cheap Argon2id cost keeps the demo quick; keep the default in production. */
    check(tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1), "opslimit");
    check(tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192), "memlimit");
    check(tg_graph_set_option(g, TG_OPT_CLOCK, START), "clock");

    printf("1. Contoso (provider) with its reseller Fabrikam, and Northwind (direct-bill).\n");
    check(tg_session_operator(&op, g), "operator session");
    check(tg_partner_enroll(op, TG_PARTNER_INDIRECT_PROVIDER, CONTOSO, "4847383", "Contoso",
                            "contoso.example", "US"), "enrol Contoso");
    check(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, FABRIKAM, "5123456", "Fabrikam",
                            "fabrikam.example", "US"), "enrol Fabrikam");
    check(tg_partner_enroll(op, TG_PARTNER_DIRECT_BILL, NORTHWIND, "6123456", "Northwind",
                            "northwind.example", "US"), "enrol Northwind");
    check(tg_partner_set_agreement(op, FABRIKAM, 1), "Fabrikam's agreement");
    check(tg_partner_add_tenant(op, FABRIKAM, FABRIKAM_CORP), "Fabrikam's corporate tenant");
    check(tg_partner_add_tenant(op, NORTHWIND, NORTHWIND_CORP), "Northwind's corporate tenant");
    contoso = partner_admin(g, op, CONTOSO, "ana@contoso.example");
    fabrikam = partner_admin(g, op, FABRIKAM, "raj@fabrikam.example");
    northwind = partner_admin(g, op, NORTHWIND, "li@northwind.example");
    tg_invite *inv;
    check(tg_invite_create(&inv, contoso), "partnership request");
    check(tg_partnership_accept(fabrikam, tg_invite_link(inv)), "accept partnership");
    tg_invite_free(inv);

    printf("\n2. Contoso creates Adatum for Fabrikam with an Office 365 subscription.\n");
    tg_draft *d = new_customer(contoso, "Adatum Corporation", "adatum");
    tg_receipt *r;
    check(tg_draft_set(d, TG_FIELD_RESELLER, FABRIKAM), "reseller");
    check(tg_draft_add_subscription(d, "office-365-e3", 25), "subscription");
    check(tg_draft_submit(&r, d), "submit");
    char customer[64], office[64], user[128], temporary[64];
    snprintf(customer, sizeof(customer), "%s", tg_receipt_customer_id(r));
    snprintf(office, sizeof(office), "%s", tg_receipt_subscription_id(r, 0));
    snprintf(user, sizeof(user), "%s", tg_receipt_admin_user(r));
    snprintf(temporary, sizeof(temporary), "%s", tg_receipt_password(r));
    printf("   customer %s, admin %s, temporary password %s (shown once)\n", customer, user,
           temporary);
    tg_receipt_free(r);
    tg_draft_free(d);

    printf("\n3. Adatum's admin signs in: first a new password.\n");
    refused(tg_session_customer(&admin, g, user, temporary), TG_EPASSWORD_CHANGE,
            "signing in with the temporary password");
    refused(tg_customer_change_password(g, user, temporary, "adatum2024"), TG_EINVAL,
            "a new password of two classes");
    check(tg_customer_change_password(g, user, temporary, "Adatum-2024!"), "change password");
    refused(tg_session_customer(&admin, g, user, temporary), TG_EDENIED,
            "the temporary password, once changed");
    check(tg_session_customer(&admin, g, user, "Adatum-2024!"), "sign in");
    printf("   signed in as %s\n", user);

    printf("\n4. Northwind asks to work with Adatum too (for Azure); Adatum's admin accepts.\n");
    check(tg_relationship_request(&inv, northwind, customer), "relationship request");
    printf("   link: %s\n", tg_invite_link(inv));
    check(tg_relationship_accept(admin, tg_invite_link(inv)), "accept relationship");
    refused(tg_relationship_accept(admin, tg_invite_link(inv)), TG_ESTATE, "the same link twice");
    tg_invite_free(inv);
    char *azure;
    check(tg_subscription_add(&azure, northwind, customer, "azure-plan", 1, NULL, NULL),
          "Northwind's Azure order");
    check(tg_relationships(&it, admin), "Adatum's partners");
    print_list("Adatum works with", it);
    printf("   each partner sees its own subscriptions; the customer sees them all:\n");
    print_subscriptions("Contoso sees", contoso, customer);
    print_subscriptions("Northwind sees", northwind, customer);
    print_subscriptions("Adatum sees", admin, customer);

    printf("\n5. Adatum records an EA subscription and hires Northwind to support it.\n");
    char *ea;
    check(tg_subscription_record(&ea, admin, TG_CHANNEL_EA, "visio-plan-2", 10,
                                 START + 200 * DAY), "record a subscription bought elsewhere");
    check(tg_subscription_hire(admin, ea, NORTHWIND), "hire Northwind");
    char *json;
    check(tg_subscription_get(&json, northwind, ea), "read as Northwind");
    printf("   %s\n", json);
    tg_free(json);
    refused(tg_subscription_hire(admin, office, NORTHWIND), TG_ESTATE,
            "hiring for a subscription bought through CSP");

    printf("\n6. Moving the Office 365 subscription from Contoso to Northwind.\n");
    refused(tg_subscription_move(admin, office, NORTHWIND), TG_ESTATE, "before its term ends");
    check(tg_graph_set_option(g, TG_OPT_CLOCK, START + 400 * DAY), "a year later");
    check(tg_subscription_move(admin, office, NORTHWIND), "move after the term");
    print_subscriptions("Northwind now sees", northwind, customer);
    print_subscriptions("Contoso now sees", contoso, customer);

    printf("\n7. The resale ban.\n");
    d = new_customer(contoso, "Tenant Buyer", "tenantbuyer");
    check(tg_draft_set(d, TG_FIELD_TENANT, NORTHWIND), "tenant");
    refused(tg_draft_submit(&r, d), TG_ESTATE, "Contoso selling to Northwind's CSP tenant");
    check(tg_draft_set(d, TG_FIELD_TENANT, FABRIKAM_CORP), "tenant");
    refused(tg_draft_submit(&r, d), TG_ESTATE, "Contoso selling to its own reseller's tenant");
    check(tg_draft_set(d, TG_FIELD_TENANT, NORTHWIND_CORP), "tenant");
    check(tg_draft_submit(&r, d), "Contoso selling to Northwind's corporate tenant");
    printf("   allowed: Northwind's corporate tenant %s buys from Contoso\n",
           tg_receipt_customer_id(r));
    tg_receipt_free(r);
    tg_draft_free(d);

    printf("\n8. Guessing Adatum's password locks the name for 15 minutes.\n");
    tg_session *guess;
    for (int i = 0; i < 5; i++)
        if (tg_session_customer(&guess, g, user, "Guess-1234") != TG_EDENIED)
            check(TG_ERROR, "a wrong password should be refused");
    refused(tg_session_customer(&guess, g, user, "Adatum-2024!"), TG_ELOCKED,
            "the right password after five wrong ones");

    check(tg_graph_verify(g), "verify");
    printf("\nrevision %llu; the graph verifies.\n", (unsigned long long)tg_graph_revision(g));
    tg_free(azure);
    tg_free(ea);
    tg_session_close(admin);
    tg_session_close(northwind);
    tg_session_close(fabrikam);
    tg_session_close(contoso);
    tg_session_close(op);
    tg_graph_close(g);
    return 0;
}
