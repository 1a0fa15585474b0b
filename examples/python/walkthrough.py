#!/usr/bin/env python3
"""walkthrough.py - the seed scenario of the two-tier model, end to end, in Python
(the same story as examples/walkthrough.c): enrol a provider and a reseller, invite,
accept, create a customer for the reseller with two subscriptions (printing its one-time
credentials), add a subscription with reseller attribution and support contact, then
remove the partnership and show what survives and what is refused.

Usage: walkthrough.py [STORE-URI]   (default "mem:")
"""
import json
import sys
from typing import Callable, Iterable

import tiergraph
from tiergraph import Action, Field, Graph, Option, PartnerKind, Role

PROVIDER = "11111111-1111-4111-8111-111111111111"
RESELLER = "22222222-2222-4222-8222-222222222222"


def refused(what: str, call: Callable[[], object]) -> None:
    """Show that a call was refused, and why; stop if it was not."""
    try:
        call()
    except tiergraph.TiergraphError as exc:
        print(f"   refused: {what} -> {tiergraph.strerror(exc.code)}: {exc.message}")
        return
    sys.exit(f"walkthrough: {what} should have been refused")


def print_list(title: str, ids: Iterable[str]) -> None:
    ids = list(ids)
    print(f"   {title} ({len(ids)}):", " ".join(ids))


def main(uri: str) -> None:
    print(f'tiergraph {tiergraph.library_version} walkthrough on "{uri}" (Python)\n')
    with Graph.open(uri) as graph:
        print("1. The operator enrols an indirect provider and an indirect reseller.")
        op = graph.operator()
        op.enroll(PartnerKind.INDIRECT_PROVIDER, PROVIDER, partner_id="4847383",
                  name="Contoso Distribution", domain="contoso-dist.example", country="US")
        op.enroll(PartnerKind.INDIRECT_RESELLER, RESELLER, partner_id="5123456",
                  name="Fabrikam Reseller", domain="fabrikam.example", country="US")
        op.set_agreement(RESELLER, signed=True)
        op.add_user(PROVIDER, "ana@contoso-dist.example", Role.GLOBAL_ADMIN | Role.ADMIN_AGENT)
        op.add_user(RESELLER, "raj@fabrikam.example", Role.GLOBAL_ADMIN | Role.ADMIN_AGENT)
        provider = graph.user("ana@contoso-dist.example")
        reseller = graph.user("raj@fabrikam.example")
        print(f"   enrolled; revision {graph.revision}\n")

        print("2. The provider sends a partnership request; the reseller's Global admin accepts.")
        with provider.invite() as invite:
            print(f"   link: {invite.link}")

            def email_without_link() -> None:
                invite.email = "Hi! Please partner with us."

            refused("an email without the link", email_without_link)
            invite.email = f"Dear Fabrikam,\n\nplease authorize us:\n{invite.link}\n"
            reseller.accept(invite.link)
            refused("accepting the same link twice", lambda: reseller.accept(invite.link))
        print_list("provider's indirect resellers", provider.resellers())
        print_list("reseller's indirect providers", reseller.providers())
        print()

        print("3. The provider creates a customer for the reseller with two subscriptions.")
        graph.set_option(Option.ARGON2_OPSLIMIT, 1)
        graph.set_option(Option.ARGON2_MEMLIMIT, 8192)
        with provider.new_customer(company_name="LLC", email="ops@contoso-dist.example") as draft:
            problems = draft.review()
            print(f"   review of an unfinished draft lists {len(problems)} problems, "
                  "for example:")
            for problem in problems[:3]:
                print(f"     - {problem}")
            draft.update(company_name="Wingtip Toys", domain_prefix="wingtiptoys",
                         email="gena@wingtiptoys.example", culture="en-US", language="en",
                         address_line1="One Microsoft Way", city="Redmond", state="WA",
                         postal_code="98052", country="US", first_name="Gena", last_name="Soto",
                         reseller=RESELLER)
            draft.add_subscription("office-365-e3", 25)
            draft.add_subscription("azure-plan", 1)
            if draft.review():
                sys.exit(f"walkthrough: review: {draft.review()}")
            with draft.submit() as receipt:
                customer = receipt.customer_id
                print(f"   customer {customer} created with "
                      f"{len(receipt.subscription_ids)} subscriptions")
                print(f"   admin user:         {receipt.admin_user}")
                print(f"   temporary password: {receipt.password}   (shown once)")
                print(f"   asking again gives: "
                      f"{'nothing' if receipt.password is None else 'the password (wrong!)'}")
        print_list("provider's customers with this reseller", provider.customers(RESELLER))
        reseller.check(Action.DELEGATED_ADMIN, customer)
        print("   the reseller holds delegated admin over the customer\n")

        print("4. The provider adds a subscription attributed to the reseller, supported by it.")
        sub = provider.add_subscription(customer, "dynamics-365", 10,
                                        reseller_partner_id="5123456",
                                        support_tenant_id=RESELLER)
        print(f"   {json.dumps(provider.get_subscription(sub))}\n")

        print("5. The provider removes the partnership (confirmed, in good faith).")
        refused("removal without the attestation",
                lambda: provider.remove_partnership(RESELLER, confirm=True))
        provider.remove_partnership(RESELLER, confirm=True, attest_good_faith=True)
        print_list("provider's indirect resellers now", provider.resellers())
        print_list("customers still associated with the reseller", provider.customers(RESELLER))
        reseller.check(Action.DELEGATED_ADMIN, customer)
        print("   the reseller still holds delegated admin over the customer")
        kept = provider.get_subscription(sub).get("partnerId") == "5123456"
        print(f"   attribution kept: {'yes' if kept else 'NO'}")
        refused("new attribution to the removed reseller",
                lambda: provider.add_subscription(customer, "visio", 1,
                                                  reseller_partner_id="5123456"))
        refused("new support assignment to it",
                lambda: provider.set_subscription_support(sub, RESELLER))
        with provider.new_customer(reseller=RESELLER) as draft:
            on_reseller = [p for p in draft.review() if p.field == Field.RESELLER]
            if not on_reseller:
                sys.exit("walkthrough: a new customer for the removed reseller should be refused")
            for problem in on_reseller:
                print(f"   refused: a new customer on its behalf -> {problem}")

        graph.verify()
        print(f"\ngraph verified at revision {graph.revision}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mem:")
