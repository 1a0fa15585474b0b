/*
 * subscriptions.c - subscriptions of existing customers (DOMAIN.md §5).
 *
 * Three parties can be named on a subscription: its partner of record (the seller,
 * always the partner that added it), the indirect reseller it is attributed to by
 * PartnerID (for incentives), and its designated support contact (the seller by
 * default, or a reseller with delegated admin over the customer). We add
 * subscriptions with and without them, change them, change a status, look at who
 * sees what, and go through the refusals.
 *
 * Usage: subscriptions [STORE-URI]   (default "mem:"; exits 1 on anything unexpected)
 */
#include <stdio.h>
#include <string.h>

#include "example.h"

#define NORTHWIND "44444444-4444-4444-8444-444444444444" /* a reseller, not partnered */
#define NORTHWIND_PID "7654321"
#define SALES_AGENT "sam@contoso-dist.example"
#define HELPDESK_AGENT "hana@contoso-dist.example"

/* Check that a subscription's Partner Center JSON holds `expect`, and say so;
 * with `print`, show the whole JSON too. */
static void show(tg_session *s, const char *sub, const char *expect, int print)
{
    char *json;
    ex_check(tg_subscription_get(&json, s, sub), "read the subscription");
    if (print) printf("   %s\n", json);
    ex_require_text(json, expect, "the subscription's JSON");
    printf("   now %s\n", expect);
    tg_free(json);
}

int main(int argc, char **argv)
{
    ex_cast c;
    ex_open(&c, argc, argv);
    ex_enrol(&c);
    ex_partner(&c);

    printf("1. The cast: a second reseller, two provider agents, two customers.\n");
    ex_check(tg_partner_enroll(c.op, TG_PARTNER_INDIRECT_RESELLER, NORTHWIND, NORTHWIND_PID,
                               "Northwind", "northwind.example", "US"),
             "enrol Northwind");
    ex_check(tg_partner_set_agreement(c.op, NORTHWIND, 1), "Northwind's agreement");
    ex_check(tg_user_add(c.provider, PROVIDER, SALES_AGENT, TG_ROLE_SALES_AGENT), "add Sam");
    ex_check(tg_user_add(c.provider, PROVIDER, HELPDESK_AGENT, TG_ROLE_HELPDESK_AGENT), "add Hana");
    tg_session *sam, *hana;
    ex_check(tg_session_user(&sam, c.graph, SALES_AGENT), "Sam's session");
    ex_check(tg_session_user(&hana, c.graph, HELPDESK_AGENT), "Hana's session");
    char adatum[37], litware[37];
    ex_customer(&c, "Adatum", "adatum", RESELLER, adatum); /* Fabrikam holds delegated admin */
    ex_customer(&c, "Litware", "litware", NULL, litware);  /* the provider's own customer */
    printf("   Adatum (with Fabrikam) %s\n   Litware (no reseller)  %s\n", adatum, litware);

    printf("\n2. A subscription attributed to Fabrikam, which also supports it.\n");
    char *attributed, *plain;
    ex_check(tg_subscription_add(&attributed, c.provider, adatum, "office-365-e3", 25,
                                 RESELLER_PID, RESELLER),
             "add with PartnerID and support contact");
    show(c.provider, attributed, "\"partnerId\":\"" RESELLER_PID "\"", 1);
    show(c.provider, attributed, "\"supportContact\":\"" RESELLER "\"", 0);

    printf("\n3. A plain one: the seller is partner of record and support contact.\n");
    ex_check(tg_subscription_add(&plain, c.provider, adatum, "azure-plan", 1, NULL, NULL),
             "add without attribution");
    show(c.provider, plain, "\"supportContact\":\"" PROVIDER "\"", 1);

    printf("\n4. Changing them later.\n");
    printf("   Sam (Sales agent) attributes the plain one to Fabrikam, Hana (Helpdesk agent)\n"
           "   makes Fabrikam its support contact:\n");
    ex_check(tg_subscription_set_reseller(sam, plain, RESELLER_PID), "Sam attributes it to Fabrikam");
    ex_check(tg_subscription_set_support(hana, plain, RESELLER), "Hana makes Fabrikam support it");
    show(c.provider, plain, "\"partnerId\":\"" RESELLER_PID "\"", 0);
    show(c.provider, plain, "\"supportContact\":\"" RESELLER "\"", 0);
    printf("   Ana (Global admin) takes the first one back: support by Contoso, no attribution:\n");
    ex_check(tg_subscription_set_reseller(c.provider, attributed, NULL), "clear the attribution");
    ex_check(tg_subscription_set_support(c.provider, attributed, NULL), "support back to the seller");
    show(c.provider, attributed, "\"supportContact\":\"" PROVIDER "\"", 0);
    char *json;
    ex_check(tg_subscription_get(&json, c.provider, attributed), "read the subscription");
    ex_require(strstr(json, "\"partnerId\"") == NULL, "the attribution is cleared");
    printf("   now without a partnerId\n");
    tg_free(json);
    printf("   the plain one is suspended, then active again:\n");
    ex_check(tg_subscription_set_status(c.provider, plain, TG_SUB_SUSPENDED), "suspend");
    show(c.provider, plain, "\"status\":\"suspended\"", 0);
    ex_check(tg_subscription_set_status(c.provider, plain, TG_SUB_ACTIVE), "reactivate");
    show(c.provider, plain, "\"status\":\"active\"", 0);

    printf("\n5. Who sees what.\n");
    tg_iter *it;
    ex_check(tg_subscriptions(&it, c.provider, adatum), "the provider's view");
    ex_print_list("Adatum's subscriptions, seen by Contoso", it);
    ex_check(tg_subscriptions(&it, c.reseller, adatum), "the reseller's view");
    ex_print_list("Adatum's subscriptions, seen by Fabrikam", it);
    char *litware_sub;
    ex_check(tg_subscription_add(&litware_sub, c.provider, litware, "visio", 3, NULL, NULL),
             "a subscription of Litware");
    json = NULL;
    ex_refused(tg_subscription_get(&json, c.reseller, litware_sub), TG_ENOTFOUND,
               "Fabrikam reading Litware's subscription (it cannot see Litware)");
    ex_require(json == NULL, "nothing is read");

    printf("\n6. The refusals. Each changes nothing.\n");
    uint64_t revision = tg_graph_revision(c.graph);
    char *none = NULL;
    ex_refused(tg_subscription_add(&none, c.provider, adatum, "visio", 0, NULL, NULL), TG_EINVAL,
               "a license count of 0");
    ex_refused(tg_subscription_add(&none, c.provider, adatum, "visio", 1, "fabrikam", NULL),
               TG_EINVAL, "a PartnerID that is not numeric");
    ex_refused(tg_subscription_add(&none, c.provider, adatum, "visio", 1, "9999999", NULL),
               TG_ENOTFOUND, "a PartnerID nobody has");
    ex_refused(tg_subscription_add(&none, c.provider, adatum, "visio", 1, PROVIDER_PID, NULL),
               TG_ESTATE, "attribution to a partner that is not a reseller");
    ex_refused(tg_subscription_set_reseller(c.provider, plain, NORTHWIND_PID), TG_ESTATE,
               "attribution to a reseller the provider is not partnered with");
    ex_refused(tg_subscription_set_support(c.provider, litware_sub, RESELLER), TG_ESTATE,
               "Fabrikam as support contact of a customer it does not administer");
    ex_refused(tg_subscription_add(&none, c.reseller, adatum, "visio", 1, NULL, NULL), TG_EDENIED,
               "an order placed by the reseller");
    ex_refused(tg_subscription_set_support(sam, plain, NULL), TG_EDENIED,
               "a Sales agent setting the support contact");
    ex_refused(tg_subscription_set_reseller(hana, plain, NULL), TG_EDENIED,
               "a Helpdesk agent setting the reseller");
    ex_refused(tg_subscription_set_status(c.provider, plain, (tg_subscription_status)9), TG_EINVAL,
               "an unknown status");
    ex_require(none == NULL, "a refused add returns no id");
    ex_require(tg_graph_revision(c.graph) == revision, "the refusals wrote nothing");

    tg_free(attributed);
    tg_free(plain);
    tg_free(litware_sub);
    tg_session_close(sam);
    tg_session_close(hana);
    ex_close(&c);
    return 0;
}
