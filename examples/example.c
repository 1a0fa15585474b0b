/* example.c - the helpers and the common cast of the workflow examples (example.h). */
#include "example.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ex_check(int rc, const char *what)
{
    if (rc == TG_OK) return;
    fprintf(stderr, "FAILED: %s: %s (%s)\n", what, tg_strerror(rc), tg_error_message());
    exit(1);
}

void ex_refused(int rc, int expected, const char *what)
{
    if (rc == expected) {
        printf("   refused as expected: %s\n      -> %s: %s\n", what, tg_strerror(rc),
               tg_error_message());
        return;
    }
    if (rc == TG_OK)
        fprintf(stderr, "UNEXPECTED: %s succeeded; expected %s\n", what, tg_strerror(expected));
    else
        fprintf(stderr, "UNEXPECTED: %s: %s (%s); expected %s\n", what, tg_strerror(rc),
                tg_error_message(), tg_strerror(expected));
    exit(1);
}

void ex_require(int condition, const char *what)
{
    if (condition) return;
    fprintf(stderr, "UNEXPECTED: %s does not hold\n", what);
    exit(1);
}

void ex_require_text(const char *text, const char *needle, const char *what)
{
    if (text && strstr(text, needle)) return;
    fprintf(stderr, "UNEXPECTED: %s: '%s' not found in: %s\n", what, needle, text ? text : "(null)");
    exit(1);
}

void ex_print_list(const char *title, tg_iter *it)
{
    const char *id;
    printf("   %s (%zu):", title, tg_iter_count(it));
    while (tg_iter_next(it, &id) == TG_OK) printf(" %s", id);
    printf("\n");
    tg_iter_free(it);
}

int ex_list_has(tg_iter *it, const char *id)
{
    const char *next;
    int found = 0;
    while (!found && tg_iter_next(it, &next) == TG_OK) found = strcmp(next, id) == 0;
    tg_iter_free(it);
    return found;
}

void ex_open(ex_cast *c, int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "mem:";
    memset(c, 0, sizeof(*c));
    printf("tiergraph %s, store \"%s\"\n\n", tg_version_string(), uri);
    ex_check(tg_graph_open(&c->graph, uri), "open the graph");
    ex_check(tg_graph_set_option(c->graph, TG_OPT_ARGON2_OPSLIMIT, 1), "set the Argon2id time");
    ex_check(tg_graph_set_option(c->graph, TG_OPT_ARGON2_MEMLIMIT, 8192), "set the Argon2id memory");
    ex_check(tg_session_operator(&c->op, c->graph), "open the operator's session");
}

void ex_enrol(ex_cast *c)
{
    ex_check(tg_partner_enroll(c->op, TG_PARTNER_INDIRECT_PROVIDER, PROVIDER, PROVIDER_PID,
                               "Contoso Distribution", "contoso-dist.example", "US"),
             "enrol the provider");
    ex_check(tg_partner_enroll(c->op, TG_PARTNER_INDIRECT_RESELLER, RESELLER, RESELLER_PID,
                               "Fabrikam", "fabrikam.example", "US"),
             "enrol the reseller");
    ex_check(tg_partner_set_agreement(c->op, RESELLER, 1), "record the reseller's agreement");
    const unsigned int admin = TG_ROLE_GLOBAL_ADMIN | TG_ROLE_ADMIN_AGENT;
    ex_check(tg_user_add(c->op, PROVIDER, PROVIDER_ADMIN, admin), "add the provider's admin");
    ex_check(tg_user_add(c->op, RESELLER, RESELLER_ADMIN, admin), "add the reseller's admin");
    ex_check(tg_session_user(&c->provider, c->graph, PROVIDER_ADMIN), "open the provider's session");
    ex_check(tg_session_user(&c->reseller, c->graph, RESELLER_ADMIN), "open the reseller's session");
}

void ex_partner(ex_cast *c)
{
    tg_invite *inv;
    ex_check(tg_invite_create(&inv, c->provider), "create the partnership request");
    ex_check(tg_partnership_accept(c->reseller, tg_invite_link(inv)), "accept the request");
    tg_invite_free(inv);
}

void ex_fill_draft(tg_draft *d, const ex_detail *details, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ex_check(tg_draft_set(d, details[i].field, details[i].value), "set a field of the draft");
}

void ex_customer(ex_cast *c, const char *company, const char *domain_prefix,
                 const char *reseller, char *id)
{
    const ex_detail details[] = {
        {TG_FIELD_COMPANY_NAME, company}, {TG_FIELD_DOMAIN_PREFIX, domain_prefix},
        {TG_FIELD_EMAIL, "billing@customer.example"}, {TG_FIELD_CULTURE, "en-US"},
        {TG_FIELD_LANGUAGE, "en"}, {TG_FIELD_ADDRESS_LINE1, "1 Main Street"},
        {TG_FIELD_CITY, "Redmond"}, {TG_FIELD_STATE, "WA"}, {TG_FIELD_POSTAL_CODE, "98052"},
        {TG_FIELD_COUNTRY, "US"}, {TG_FIELD_FIRST_NAME, "Pat"}, {TG_FIELD_LAST_NAME, "Lee"},
        {TG_FIELD_RESELLER, reseller},
    };
    tg_draft *d;
    tg_receipt *r;
    ex_check(tg_draft_new(&d, c->provider), "start a customer draft");
    ex_fill_draft(d, details, sizeof(details) / sizeof(details[0]));
    ex_check(tg_draft_submit(&r, d), "submit the customer");
    snprintf(id, 37, "%s", tg_receipt_customer_id(r));
    tg_receipt_free(r);
    tg_draft_free(d);
}

void ex_close(ex_cast *c)
{
    ex_check(tg_graph_verify(c->graph), "verify the graph");
    printf("\ngraph verified at revision %llu\n", (unsigned long long)tg_graph_revision(c->graph));
    tg_session_close(c->reseller);
    tg_session_close(c->provider);
    tg_session_close(c->op);
    tg_graph_close(c->graph);
}
