/*
 * partnership.c - a provider and a reseller become partners, and part (DOMAIN.md §3).
 *
 * The operator enrols an indirect provider and an indirect reseller; the provider
 * sends a partnership request whose email it edits (the link must stay); the
 * reseller's Global admin accepts once the reseller has signed the partner
 * agreement; both sides list each other; the provider removes the partnership,
 * which needs a confirmation and an attestation, and we look at what survives.
 *
 * Usage: partnership [STORE-URI]   (default "mem:"; exits 1 on anything unexpected)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "example.h"

/* A reseller user without the Global admin role. */
#define RESELLER_AGENT "lee@fabrikam.example"

int main(int argc, char **argv)
{
    ex_cast c;
    tg_iter *it;
    char *json;
    ex_open(&c, argc, argv);

    printf("1. The operator enrols the partners; the reseller has not signed the agreement yet.\n");
    ex_check(tg_partner_enroll(c.op, TG_PARTNER_INDIRECT_PROVIDER, PROVIDER, PROVIDER_PID,
                               "Contoso Distribution", "contoso-dist.example", "US"),
             "enrol the provider");
    ex_check(tg_partner_enroll(c.op, TG_PARTNER_INDIRECT_RESELLER, RESELLER, RESELLER_PID,
                               "Fabrikam", "fabrikam.example", "US"),
             "enrol the reseller");
    ex_refused(tg_partner_enroll(c.op, TG_PARTNER_INDIRECT_RESELLER,
                                 "33333333-3333-4333-8333-333333333333", RESELLER_PID, "Copycat",
                                 "copycat.example", "US"),
               TG_EEXISTS, "a second partner with the reseller's PartnerID");
    /* The operator adds each partner's first Global admin; they add the others. */
    ex_check(tg_user_add(c.op, PROVIDER, PROVIDER_ADMIN, TG_ROLE_GLOBAL_ADMIN), "add Ana");
    ex_check(tg_user_add(c.op, RESELLER, RESELLER_ADMIN, TG_ROLE_GLOBAL_ADMIN), "add Raj");
    ex_check(tg_session_user(&c.provider, c.graph, PROVIDER_ADMIN), "Ana's session");
    ex_check(tg_session_user(&c.reseller, c.graph, RESELLER_ADMIN), "Raj's session");
    ex_check(tg_user_add(c.reseller, RESELLER, RESELLER_AGENT, TG_ROLE_ADMIN_AGENT),
             "Raj adds an Admin agent");
    tg_session *agent;
    ex_check(tg_session_user(&agent, c.graph, RESELLER_AGENT), "Lee's session");

    printf("\n2. The provider's Global admin creates a partnership request.\n");
    tg_invite *inv;
    ex_check(tg_invite_create(&inv, c.provider), "create the request");
    time_t expires = (time_t)tg_invite_expires(inv);
    char when[32];
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&expires));
    printf("   link (single use, expires %s):\n   %s\n", when, tg_invite_link(inv));
    ex_refused(tg_invite_set_email(inv, "Dear Fabrikam, let us work together!"), TG_EINVAL,
               "an edited email that lost the link");
    char email[1024];
    snprintf(email, sizeof(email),
             "Dear Raj,\n\nas discussed, please authorize Contoso Distribution as your indirect "
             "provider:\n%s\n\nAna\n", tg_invite_link(inv));
    ex_check(tg_invite_set_email(inv, email), "edit the email, keeping the link");
    ex_require(strcmp(tg_invite_email(inv), email) == 0, "the edited email is kept");
    printf("   the email to send:\n---\n%s---\n", tg_invite_email(inv));

    printf("\n3. The reseller accepts (\"Authorize indirect provider\").\n");
    ex_refused(tg_partnership_accept(agent, tg_invite_link(inv)), TG_EDENIED,
               "acceptance by an Admin agent");
    ex_refused(tg_partnership_accept(c.reseller, tg_invite_link(inv)), TG_ESTATE,
               "acceptance before the agreement is signed");
    ex_check(tg_partner_set_agreement(c.op, RESELLER, 1), "the operator records the agreement");
    ex_check(tg_partnership_accept(c.reseller, tg_invite_link(inv)), "Raj accepts");
    printf("   accepted\n");
    ex_refused(tg_partnership_accept(c.reseller, tg_invite_link(inv)), TG_ESTATE,
               "the same link a second time");
    tg_invite_free(inv); /* wipes the token; the invitation stays used */

    printf("\n4. Each side lists the other.\n");
    ex_check(tg_resellers(&it, c.provider), "the provider's resellers");
    ex_print_list("Contoso's indirect resellers", it);
    ex_check(tg_providers(&it, c.reseller), "the reseller's providers");
    ex_print_list("Fabrikam's indirect providers", it);
    ex_check(tg_partner_get(&json, c.provider, RESELLER), "the reseller, as the provider sees it");
    printf("   %s\n", json);
    ex_require_text(json, "\"agreementSigned\":true", "the agreement is recorded");
    tg_free(json);
    ex_check(tg_check(c.provider, TG_ACT_CUSTOMER_CREATE, RESELLER), "new business with Fabrikam");
    printf("   Contoso may now create customers on Fabrikam's behalf\n");

    printf("\n5. The provider removes the partnership.\n");
    ex_refused(tg_partnership_remove(c.provider, RESELLER, 0), TG_ECONFIRM, "removal without \"Yes\"");
    ex_refused(tg_partnership_remove(c.provider, RESELLER, TG_CONFIRM), TG_ECONFIRM,
               "removal without the good-faith attestation");
    ex_refused(tg_partnership_remove(c.reseller, PROVIDER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
               TG_EDENIED, "removal from the reseller's side");
    ex_check(tg_partnership_remove(c.provider, RESELLER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
             "remove, confirmed and attested");
    printf("   removed (no notice is sent: the application sends its own)\n");

    printf("\n6. What survives.\n");
    ex_check(tg_resellers(&it, c.provider), "the provider's resellers");
    ex_require(tg_iter_count(it) == 0, "the reseller left the provider's list");
    ex_print_list("Contoso's indirect resellers", it);
    ex_check(tg_providers(&it, c.reseller), "the reseller's providers");
    ex_require(tg_iter_count(it) == 0, "the provider left the reseller's list");
    ex_print_list("Fabrikam's indirect providers", it);
    ex_check(tg_partners(&it, c.op, TG_PARTNER_INDIRECT_RESELLER), "the operator's resellers");
    ex_require(ex_list_has(it, RESELLER), "the reseller is still enrolled");
    printf("   both partners stay enrolled, with their users and agreement\n");
    ex_refused(tg_check(c.provider, TG_ACT_CUSTOMER_CREATE, RESELLER), TG_ESTATE,
               "new business with the former reseller");
    ex_refused(tg_partnership_remove(c.provider, RESELLER, TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
               TG_ENOTFOUND, "removing it twice");
    /* Customers, delegated admin and attributions survive too: see removal.c. */

    printf("\n7. A new request, accepted, restores the partnership.\n");
    ex_check(tg_invite_create(&inv, c.provider), "a new request");
    ex_check(tg_partnership_accept(c.reseller, tg_invite_link(inv)), "Raj accepts again");
    tg_invite_free(inv);
    ex_check(tg_check(c.provider, TG_ACT_CUSTOMER_CREATE, RESELLER), "new business again");
    printf("   partners again\n");

    tg_session_close(agent);
    ex_close(&c);
    return 0;
}
