#!/usr/bin/env python3
"""walkthrough.py - the seed scenario of the two-tier model, end to end, in Python
(the same story as examples/walkthrough.c): enrol a provider and a reseller, invite,
accept, create a customer for the reseller with two subscriptions (printing its one-time
credentials), add a subscription with reseller attribution and support contact, then
remove the partnership and show what survives and what is refused. On a durable store it
then closes the graph and opens the store again: everything is still there, a second open
while it is open is refused, and the customer's admin signs in with the temporary password
of the first part, which it must change first.

Usage: walkthrough.py [STORE-URI]
    default: "file:walkthrough.tg" in a new temporary directory, removed at the end.
    Given a durable store ("file:PATH", "sqlite:PATH"), the graph outlives the program:
    run it again on the same store and it reopens the graph, shows what it remembers and
    adds one more customer. "mem:" keeps nothing.
"""
import json
import os
import sys
import tempfile
from typing import Callable, Iterable, List, Tuple

import tiergraph
from tiergraph import Action, Durability, Field, Graph, Option, PartnerKind, Role

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


def cheap_argon2(graph: Graph) -> None:
    """The cheapest Argon2id verifiers for temporary passwords: a demo, not production."""
    graph.set_option(Option.ARGON2_OPSLIMIT, 1)
    graph.set_option(Option.ARGON2_MEMLIMIT, 8192)


def fill_customer(draft: tiergraph.Draft, company: str, prefix: str) -> None:
    draft.update(company_name=company, domain_prefix=prefix,
                 email="gena@wingtiptoys.example", culture="en-US", language="en",
                 address_line1="One Microsoft Way", city="Redmond", state="WA",
                 postal_code="98052", country="US", first_name="Gena", last_name="Soto")


def first_run(graph: Graph) -> Tuple[str, str]:
    """Steps 1 to 5 on a new graph; returns the customer admin's one-time credentials."""
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
    cheap_argon2(graph)
    with provider.new_customer(company_name="LLC", email="ops@contoso-dist.example") as draft:
        problems = draft.review()
        print(f"   review of an unfinished draft lists {len(problems)} problems, "
              "for example:")
        for problem in problems[:3]:
            print(f"     - {problem}")
        fill_customer(draft, "Wingtip Toys", "wingtiptoys")
        draft.reseller = RESELLER
        draft.add_subscription("office-365-e3", 25)
        draft.add_subscription("azure-plan", 1)
        if draft.review():
            sys.exit(f"walkthrough: review: {draft.review()}")
        with draft.submit() as receipt:
            customer = receipt.customer_id
            admin, password = receipt.admin_user, receipt.password or ""
            print(f"   customer {customer} created with "
                  f"{len(receipt.subscription_ids)} subscriptions")
            print(f"   admin user:         {admin}")
            print(f"   temporary password: {password}   (shown once)")
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
    print(f"\n   graph verified at revision {graph.revision}\n")
    return admin, password


def reopen(uri: str, admin: str, password: str) -> None:
    """Steps 6 and 7: the store outlives the graph; the customer's first sign-in."""
    print("6. The graph is closed. Opening its store again finds everything.")
    with Graph.open(uri) as graph:
        graph.verify()
        print(f"   reopened \"{uri}\" at revision {graph.revision}: verified")
        durability = graph.durability
        print(f"   {graph.store_stat(tiergraph.StoreStat.RECORDS)} records in "
              f"{graph.store_stat(tiergraph.StoreStat.STORE_BYTES)} bytes, durability "
              f"{durability.name if isinstance(durability, Durability) else durability}")
        refused("a second open of the store while this one holds it", lambda: Graph.open(uri))
        print_list("provider's customers", graph.user("ana@contoso-dist.example").customers())
        print()

        print("7. The customer's admin signs in with the temporary password of step 3.")
        cheap_argon2(graph)
        refused("signing in with the temporary password", lambda: graph.customer(admin, password))
        graph.change_customer_password(admin, password, "Wingtip-Toys-2024")
        with graph.customer(admin, "Wingtip-Toys-2024") as customer:
            print(f"   signed in as {customer.user_name} with the new password")
            print_list("partners the customer works with", customer.relationships())
            print_list("its subscriptions, whoever sold them",
                       customer.subscriptions(customer.customer_id))
        graph.verify()
        print(f"\ngraph verified at revision {graph.revision}")


def run_again(graph: Graph, uri: str) -> None:
    """A later run on a durable store: the graph is still there. Show it, add a customer."""
    revision = graph.revision
    print(f'Reopened "{uri}" at revision {revision}: the graph outlived the last run.')
    graph.verify()
    provider = graph.user("ana@contoso-dist.example")
    print_list("provider's indirect resellers (removed in the first run)", provider.resellers())
    print_list("provider's customers", provider.customers())
    print_list("still associated with the former reseller", provider.customers(RESELLER))
    cheap_argon2(graph)
    with provider.new_customer() as draft:
        fill_customer(draft, f"Wingtip Toys {revision}", f"wingtiptoys{revision}")
        draft.add_subscription("office-365-e3", 5)
        with draft.submit() as receipt:
            print(f"   this run adds customer {receipt.customer_id} ({receipt.admin_user}), "
                  f"now revision {graph.revision}")
    graph.verify()


def run(uri: str, kept: bool = True) -> None:
    print(f'tiergraph {tiergraph.library_version} walkthrough on "{uri}" (Python)\n')
    with Graph.open(uri) as graph:
        if graph.revision > 0:
            run_again(graph, uri)
            return
        admin, password = first_run(graph)
    if uri.startswith("mem:"):
        print("graph closed: nothing survives on mem:")
        return
    reopen(uri, admin, password)
    if kept:
        print(f'run again with "{uri}" to reopen it once more')


def main(argv: List[str]) -> None:
    if len(argv) > 1:
        run(argv[1])
        return
    with tempfile.TemporaryDirectory(prefix="tiergraph-walkthrough-") as tmp:
        run("file:" + os.path.join(tmp, "walkthrough.tg"), kept=False)
    print("(the temporary store is removed; pass a URI such as file:walkthrough.tg to keep it)")


if __name__ == "__main__":
    main(sys.argv)
