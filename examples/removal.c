/*
 * removal.c - removing a partnership, then a customer (DOMAIN.md §3.5, §4).
 *
 * Removing a partnership takes only the partnership away: the reseller's customers
 * keep their association, its delegated admin privileges stay, subscriptions keep
 * its attribution; what stops is new business with it. Removing a customer is
 * refused while it is associated with a reseller or has an active subscription;
 * once both have ended, its seller removes it with its subscriptions, and nothing
 * else changes.
 *
 * Usage: removal [STORE-URI]   (default "mem:"; exits 1 on anything unexpected)
 */
#include <stdio.h>
#include <string.h>

#include "example.h"

#define SALES_AGENT "sam@contoso-dist.example"

/* Read a customer or subscription as JSON (`get` is tg_customer_get or
 * tg_subscription_get) and check it holds `expect`. */
static void require_json(int (*get)(char **, tg_session *, const char *), tg_session *s,
                         const char *id, const char *expect, const char *what)
{
    char *json;
    ex_check(get(&json, s, id), what);
    ex_require_text(json, expect, what);
    printf("   %s: still %s\n", what, expect);
    tg_free(json);
}

int main(int argc, char **argv)
{
    ex_cast c;
    tg_iter *it;
    const char *id;
    char *none = NULL;
    ex_open(&c, argc, argv);
    ex_enrol(&c);
    ex_partner(&c);

    printf("1. Contoso sells Adatum with Fabrikam, and Litware alone.\n");
    ex_check(tg_user_add(c.provider, PROVIDER, SALES_AGENT, TG_ROLE_SALES_AGENT), "add Sam");
    tg_session *sam;
    ex_check(tg_session_user(&sam, c.graph, SALES_AGENT), "Sam's session");
    char adatum[37], litware[37];
    ex_customer(&c, "Adatum", "adatum", RESELLER, adatum);
    ex_customer(&c, "Litware", "litware", NULL, litware);
    char *attributed, *plain, *litware_sub;
    ex_check(tg_subscription_add(&attributed, c.provider, adatum, "office-365-e3", 25,
                                 RESELLER_PID, RESELLER),
             "Adatum's subscription attributed to Fabrikam");
    ex_check(tg_subscription_add(&plain, c.provider, adatum, "azure-plan", 1, NULL, NULL),
             "Adatum's plain subscription");
    ex_check(tg_subscription_add(&litware_sub, c.provider, litware, "visio", 3, NULL, NULL),
             "Litware's subscription");
    printf("   Adatum %s: 2 subscriptions, one attributed to Fabrikam\n", adatum);
    printf("   Litware %s: 1 subscription\n", litware);

    printf("\n2. Contoso removes the partnership with Fabrikam.\n");
    ex_refused(tg_partnership_remove(c.provider, RESELLER, TG_CONFIRM), TG_ECONFIRM,
               "without the good-faith attestation");
    ex_refused(tg_partnership_remove(sam, RESELLER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH), TG_EDENIED,
               "by a Sales agent");
    ex_refused(tg_partnership_remove(c.reseller, PROVIDER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
               TG_EDENIED, "by the reseller");
    ex_check(tg_partnership_remove(c.provider, RESELLER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
             "remove, by the provider's Global admin");
    ex_check(tg_resellers(&it, c.provider), "the provider's resellers");
    ex_require(tg_iter_count(it) == 0, "Fabrikam left Contoso's list");
    ex_print_list("Contoso's indirect resellers", it);

    printf("\n3. What remains of it.\n");
    ex_check(tg_customers(&it, c.provider, RESELLER), "Contoso's customers with Fabrikam");
    ex_require(ex_list_has(it, adatum), "Adatum keeps its association");
    require_json(tg_customer_get, c.provider, adatum, "\"associatedPartnerId\":\"" RESELLER "\"",
                 "Adatum's association");
    ex_check(tg_customers(&it, c.reseller, NULL), "Fabrikam's customers");
    ex_require(ex_list_has(it, adatum), "Fabrikam still sees Adatum");
    ex_check(tg_check(c.reseller, TG_ACT_DELEGATED_ADMIN, adatum), "delegated admin over Adatum");
    printf("   Fabrikam still sees Adatum and still holds delegated admin over it\n");
    require_json(tg_subscription_get, c.provider, attributed,
                 "\"partnerId\":\"" RESELLER_PID "\"", "the attribution");
    require_json(tg_subscription_get, c.provider, attributed,
                 "\"supportContact\":\"" RESELLER "\"", "the support contact");

    printf("\n4. What stops: new business with Fabrikam.\n");
    ex_refused(tg_check(c.provider, TG_ACT_CUSTOMER_CREATE, RESELLER), TG_ESTATE,
               "a new customer on Fabrikam's behalf");
    ex_refused(tg_subscription_add(&none, c.provider, adatum, "visio", 1, RESELLER_PID, NULL),
               TG_ESTATE, "a new subscription attributed to Fabrikam");
    ex_refused(tg_subscription_set_reseller(c.provider, litware_sub, RESELLER_PID), TG_ESTATE,
               "attributing an existing subscription to Fabrikam");
    ex_refused(tg_subscription_set_support(c.provider, plain, RESELLER), TG_ESTATE,
               "Fabrikam as a new support contact");
    ex_refused(tg_customer_set_reseller(c.provider, litware, RESELLER), TG_ESTATE,
               "associating Litware with Fabrikam");
    ex_refused(tg_partnership_remove(c.provider, RESELLER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
               TG_ENOTFOUND, "removing the partnership twice");
    ex_require(none == NULL, "a refused add returns no id");

    printf("\n5. Contoso removes Adatum.\n");
    ex_refused(tg_customer_remove(c.provider, adatum), TG_ESTATE, "while associated with Fabrikam");
    ex_check(tg_customer_set_reseller(c.provider, adatum, NULL), "end the association");
    ex_check(tg_check(c.reseller, TG_ACT_DELEGATED_ADMIN, adatum), "delegated admin after it");
    printf("   association ended (Fabrikam keeps its delegated admin)\n");
    ex_refused(tg_customer_remove(c.provider, adatum), TG_ESTATE, "while subscriptions are active");
    ex_check(tg_subscriptions(&it, c.provider, adatum), "Adatum's subscriptions");
    while (tg_iter_next(it, &id) == TG_OK)
        ex_check(tg_subscription_set_status(c.provider, id, TG_SUB_DELETED), "end a subscription");
    tg_iter_free(it);
    printf("   every subscription of Adatum ended\n");
    ex_refused(tg_customer_remove(c.reseller, adatum), TG_EDENIED, "by Fabrikam (a reseller never removes customers)");
    ex_refused(tg_customer_remove(sam, adatum), TG_EDENIED, "by a Sales agent");
    ex_check(tg_customer_remove(c.provider, adatum), "remove, by the seller's Global admin");
    printf("   removed\n");

    printf("\n6. What remains.\n");
    char *json = NULL;
    ex_refused(tg_customer_get(&json, c.provider, adatum), TG_ENOTFOUND, "reading Adatum");
    ex_refused(tg_subscription_get(&json, c.provider, attributed), TG_ENOTFOUND,
               "reading its subscription");
    ex_require(json == NULL, "nothing is read");
    ex_check(tg_customers(&it, c.provider, NULL), "Contoso's customers");
    ex_require(tg_iter_count(it) == 1, "one customer left");
    ex_print_list("Contoso's customers", it);
    require_json(tg_subscription_get, c.provider, litware_sub, "\"status\":\"active\"",
                 "Litware's subscription");
    char again[37];
    ex_customer(&c, "Adatum Again", "adatum", NULL, again);
    printf("   adatum.onmicrosoft.com is free again: a new customer took it (%s)\n", again);

    tg_free(attributed);
    tg_free(plain);
    tg_free(litware_sub);
    tg_session_close(sam);
    ex_close(&c);
    return 0;
}
