/* import_base.c - the graph fuzz_import imports into (import_base.h). */
#include "import_base.h"

#include <stddef.h>

int import_graph_options(tg_graph *g)
{
    int rc = tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1);
    if (rc == TG_OK) rc = tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192);
    if (rc == TG_OK) rc = tg_graph_set_option(g, TG_OPT_CLOCK, BASE_CLOCK);
    return rc;
}

/* The order samples' customer, as a Partner Center create request names it. */
static const char order_customer[] =
    "{\"Id\":\"" BASE_ORDER_CUSTOMER "\",\"CompanyProfile\":{\"Domain\":\"ordercustomer.onmicrosoft.com\"},"
    "\"BillingProfile\":{\"Email\":\"gena@ordercustomer.example\",\"Culture\":\"en-US\","
    "\"Language\":\"en\",\"CompanyName\":\"Order Customer\",\"DefaultAddress\":{\"Country\":\"US\","
    "\"City\":\"Redmond\",\"State\":\"WA\",\"AddressLine1\":\"One Microsoft Way\","
    "\"PostalCode\":\"98052\",\"FirstName\":\"Gena\",\"LastName\":\"Soto\"}},"
    "\"AssociatedPartnerId\":\"" BASE_FIRSTUP "\",\"Attributes\":{\"ObjectType\":\"Customer\"}}";

static int partner_up(tg_graph *g, const char *provider_user, const char *reseller_user)
{
    tg_session *p = NULL, *r = NULL;
    tg_invite *inv = NULL;
    int rc = tg_session_user(&p, g, provider_user);
    if (rc == TG_OK) rc = tg_session_user(&r, g, reseller_user);
    if (rc == TG_OK) rc = tg_invite_create(&inv, p);
    if (rc == TG_OK) rc = tg_partnership_accept(r, tg_invite_link(inv));
    tg_invite_free(inv);
    tg_session_close(p);
    tg_session_close(r);
    return rc;
}

int import_base_build(tg_graph *g)
{
    tg_session *op;
    int rc = tg_session_operator(&op, g);
    if (rc) return rc;
    static const struct {
        tg_partner_kind kind;
        const char *tenant, *pid, *name, *domain, *country, *user;
    } partners[] = {
        {TG_PARTNER_INDIRECT_PROVIDER, BASE_PROVIDER, BASE_PROVIDER_PID, "Contoso Distribution",
         "contoso-distribution.example", "US", "ga@contoso"},
        {TG_PARTNER_INDIRECT_RESELLER, BASE_FIRSTUP, BASE_FIRSTUP_PID, "First Up Consultants",
         "firstup.example", "US", "ga@firstup"},
        {TG_PARTNER_INDIRECT_RESELLER, BASE_RELECLOUD, BASE_RELECLOUD_PID, "ReleCloud",
         "relecloud.example", "BR", "ga@relecloud"},
    };
    for (size_t i = 0; rc == TG_OK && i < sizeof(partners) / sizeof(partners[0]); i++) {
        rc = tg_partner_enroll(op, partners[i].kind, partners[i].tenant, partners[i].pid,
                               partners[i].name, partners[i].domain, partners[i].country);
        if (rc == TG_OK && partners[i].kind == TG_PARTNER_INDIRECT_RESELLER)
            rc = tg_partner_set_agreement(op, partners[i].tenant, 1);
        if (rc == TG_OK)
            rc = tg_user_add(op, partners[i].tenant, partners[i].user, TG_ROLE_GLOBAL_ADMIN);
    }
    if (rc == TG_OK) rc = partner_up(g, "ga@contoso", "ga@firstup");
    if (rc == TG_OK) rc = partner_up(g, "ga@contoso", "ga@relecloud");
    if (rc == TG_OK) rc = tg_import(op, order_customer);
    tg_session_close(op);
    return rc;
}
