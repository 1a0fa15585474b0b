"""Provider <-> reseller (DOMAIN.md §3), as tests/unit/test_partnership.c: the request with
its one-time link, acceptance, the two lists, and removal with what survives it."""
import time
import unittest

from fixture import P1, P2, R1, R1_PID, R2, R3, Fixture, fill

from tiergraph import (Action, AlreadyExists, ConfirmationRequired, Expired, Field,
                       InvalidArgument, Invite, NotFound, Option, PermissionDenied, RuleViolation)

T0 = 1700000000  # a fixed clock: 2023-11-14
WEEK = 7 * 24 * 3600


def token_of(invite: Invite) -> str:
    return invite.link.split("token=", 1)[1]


class Invitation(Fixture):
    def test_invite_by_provider_roles(self):
        for user in ("ga@p1", "ua@p1", "aa@p1", "sa@p1"):
            rev = self.graph.revision
            with self.user(user).invite():
                self.assertEqual(self.graph.revision, rev + 1)
        for user in ("ha@p1", "ba@p1"):
            self.assertRefused(PermissionDenied, self.user(user).invite, "Global admin",
                               "Sales agent")

    def test_invite_by_reseller_direct_bill_or_operator_denied(self):
        for user, kind in (("ga@r1", "indirect reseller"), ("sa@r2", "indirect reseller"),
                           ("ga@d1", "direct-bill"), ("sa@d1", "direct-bill")):
            self.assertRefused(PermissionDenied, self.user(user).invite, kind)
        self.assertRefused(PermissionDenied, self.op.invite)

    def test_link_carries_provider_and_token(self):
        with self.user("sa@p2").invite() as a, self.user("sa@p2").invite() as b:
            self.assertIn(P2, a.link)
            self.assertNotIn(P1, a.link)
            self.assertGreaterEqual(len(token_of(a)), 32)
            self.assertNotEqual(token_of(a), token_of(b))
            self.assertIn(a.link, a.email)
            self.assertIn(b.link, b.email)
            now = int(time.time())
            self.assertTrue(now + WEEK - 60 <= a.expires <= now + WEEK + 60)
            self.assertEqual(int(a.expires_at.timestamp()), a.expires)

    def test_email_must_keep_link(self):
        with self.user("ga@p1").invite() as invite:
            original, link = invite.email, invite.link
            for text in ("Hi! Please partner with us.", f"Follow {link[:-1]} now",
                         f"Follow {token_of(invite)}", f"Please follow {link}XYZ to accept."):
                with self.assertRaises(InvalidArgument) as caught:
                    invite.email = text
                self.assertIn("link", caught.exception.message)
                self.assertEqual(invite.email, original)
            for text in ("", None):
                with self.assertRaises(InvalidArgument):
                    invite.email = text
                self.assertEqual(invite.email, original)
            edited = f"Dear Fabrikam,\n\nplease authorize us:\n{link}\n\nThanks!"
            invite.email = edited
            self.assertEqual(invite.email, edited)
            invite.email = f"Please follow {link}. Thanks"  # punctuation after the link
            self.user("ga@r2").accept(invite.link)

    def test_closed_invite_refuses_reads_and_stays_valid(self):
        invite = self.user("ga@p2").invite()
        link = invite.link
        invite.close()
        self.assertTrue(invite.closed)
        with self.assertRaises(InvalidArgument):
            invite.link
        self.user("ga@r2").accept(link)  # the invitation outlives its handle
        self.assertIn(R2, list(self.user("ga@p2").resellers()))


class Acceptance(Fixture):
    def test_accept_by_reseller_global_admin(self):
        with self.user("ga@p1").invite() as invite:
            rev = self.graph.revision
            self.user("ga@r2").accept(invite.link)
            self.assertEqual(self.graph.revision, rev + 1)
        self.assertIn(R2, list(self.user("sa@p1").resellers()))
        self.assertIn(P1, list(self.user("aa@r2").providers()))
        with self.user("ga@p2").invite() as invite:
            self.user("ga@r2").accept(token_of(invite))  # the bare token
        self.assertEqual(sorted(self.user("ga@r2").providers()), [P1, P2])
        self.graph.verify()

    def test_reseller_with_several_providers_does_business_with_each(self):
        with self.user("ga@p2").invite() as invite:
            self.user("ga@r1").accept(invite.link)
        self.customer("ga@p1", "several1", R1, 1)
        self.customer("ga@p2", "several2", R1, 1)
        self.assertEqual(len(self.user("ga@r1").customers()), 2)

    def test_accept_by_non_global_admin_denied(self):
        with self.user("ga@p1").invite() as invite:
            for user in ("ua@r2", "aa@r2", "sa@r2", "ha@r2", "ba@r2"):
                self.assertRefused(PermissionDenied, lambda: self.user(user).accept(invite.link),
                                   "Global admin")
            self.assertRefused(PermissionDenied, lambda: self.user("ga@p2").accept(invite.link),
                               "indirect provider")
            for session in (self.user("ga@d1"), self.op):
                self.assertRefused(PermissionDenied, lambda: session.accept(invite.link))
            self.user("ga@r2").accept(invite.link)  # not used up by the refusals

    def test_accept_without_signed_agreement_refused(self):
        with self.user("ga@p1").invite() as invite:
            self.assertRefused(RuleViolation, lambda: self.user("ga@r3").accept(invite.link),
                               "agreement")
            self.op.set_agreement(R3, True)
            self.user("ga@r3").accept(invite.link)
        self.assertIn(R3, list(self.user("ga@p1").resellers()))

    def test_token_is_single_use(self):
        with self.user("ga@p2").invite() as invite:
            link = invite.link
        self.user("ga@r2").accept(link)
        self.assertRefused(RuleViolation, lambda: self.user("ga@r1").accept(link), "used")
        self.assertRefused(RuleViolation, lambda: self.user("ga@r1").accept(
            link.split("token=")[1]))
        self.user("ga@p2").remove_partnership(R2, confirm=True, attest_good_faith=True)
        self.assertRefused(RuleViolation, lambda: self.user("ga@r2").accept(link))

    def test_invite_expires(self):
        self.graph.set_option(Option.CLOCK, T0)
        with self.user("ga@p1").invite() as late, self.user("ga@p2").invite() as early:
            self.assertEqual(late.expires, T0 + WEEK)
            self.graph.set_option(Option.CLOCK, T0 + WEEK - 1)
            self.user("ga@r2").accept(early.link)
            self.graph.set_option(Option.CLOCK, T0 + WEEK)
            self.assertRefused(Expired, lambda: self.user("ga@r2").accept(late.link), "expired")
        self.graph.set_option(Option.CLOCK, T0)
        self.graph.set_option(Option.INVITE_LIFETIME, 3600)
        with self.user("ga@p1").invite() as hour:
            self.assertEqual(hour.expires, T0 + 3600)
            self.graph.set_option(Option.CLOCK, T0 + 3600)
            self.assertRefused(Expired, lambda: self.user("ga@r2").accept(hour.link))

    def test_accept_malformed_or_unknown_token(self):
        ga = self.user("ga@r2")
        with self.user("ga@p1").invite() as invite:
            token = token_of(invite)
            for bad in ("abc", token[:-1], token + "A", token[:5] + "!" + token[6:],
                        "https://partner.tiergraph.invalid/x?token=", ""):
                self.assertRefused(InvalidArgument, lambda: ga.accept(bad))
            self.assertRefused(InvalidArgument, lambda: ga.accept("abc"), "malformed")
            self.assertRefused(InvalidArgument, lambda: ga.accept(None))
            changed = ("B" if token[0] == "A" else "A") + token[1:]
            self.assertRefused(NotFound, lambda: ga.accept(changed), "invitation")
            ga.accept(token)

    def test_accept_when_already_partners(self):
        with self.user("sa@p1").invite() as invite:
            self.assertRefused(AlreadyExists, lambda: self.user("ga@r1").accept(invite.link),
                               "already")
        self.assertEqual(len(self.user("ga@r1").providers()), 1)

    def test_lists_denied_to_the_wrong_kind(self):
        self.assertRefused(PermissionDenied, lambda: self.user("ga@r1").resellers(),
                           "indirect provider")
        self.assertRefused(PermissionDenied, lambda: self.user("ga@p1").providers(),
                           "indirect reseller")
        for call in (self.user("ga@d1").resellers, self.user("ga@d1").providers,
                     self.user("ha@p1").resellers, self.user("ba@r1").providers,
                     self.op.resellers):
            self.assertRefused(PermissionDenied, call)


class Removal(Fixture):
    def remove_r1(self):
        """P1 sells `customer` (with R1) with a subscription attributed to R1, and `plain`
        (no reseller) with one subscription; then removes the partnership with R1."""
        ga = self.user("ga@p1")
        self.customer_id = self.customer("ga@p1", "withr1", R1, 1)
        self.plain = self.customer("ga@p1", "plain")
        self.sub = next(iter(ga.subscriptions(self.customer_id)))
        self.plain_sub = ga.add_subscription(self.plain, "offer-e3", 3)
        ga.remove_partnership(R1, confirm=True, attest_good_faith=True)

    def test_needs_confirmation_and_attestation(self):
        ga = self.user("ga@p1")
        for confirm, attest, word in ((False, False, "confirm"), (True, False, "good faith"),
                                      (False, True, "confirm")):
            self.assertRefused(ConfirmationRequired, lambda: ga.remove_partnership(
                R1, confirm=confirm, attest_good_faith=attest), word)
        self.assertIn(R1, list(ga.resellers()))

    def test_only_by_provider_global_admin(self):
        for user in ("ua@p1", "aa@p1", "sa@p1", "ha@p1", "ba@p1"):
            self.assertRefused(PermissionDenied, lambda: self.user(user).remove_partnership(
                R1, confirm=True, attest_good_faith=True), "Global admin")
        for session, other in ((self.user("ga@r1"), P1), (self.op, R1)):
            self.assertRefused(PermissionDenied, lambda: session.remove_partnership(
                other, confirm=True, attest_good_faith=True))
        for user, other in (("ga@p1", R2), ("ga@p2", R1)):
            self.assertRefused(NotFound, lambda: self.user(user).remove_partnership(
                other, confirm=True, attest_good_faith=True))
        self.user("ga@p1").remove_partnership(R1, confirm=True, attest_good_faith=True)
        self.assertRefused(NotFound, lambda: self.user("ga@p1").remove_partnership(
            R1, confirm=True, attest_good_faith=True))

    def test_drops_both_lists(self):
        self.remove_r1()
        self.assertEqual(list(self.user("ga@p1").resellers()), [])
        self.assertEqual(len(self.user("ga@r1").providers()), 0)
        self.graph.verify()

    def test_keeps_customers_association_and_delegated_admin(self):
        self.remove_r1()
        ga = self.user("ga@p1")
        self.assertEqual(list(ga.customers(R1)), [self.customer_id])
        customer = ga.get_customer(self.customer_id)
        self.assertEqual(customer["associatedPartnerId"], R1)
        self.assertIn(R1, customer["delegatedAdminPartners"])
        self.assertIn(self.customer_id, list(self.user("ga@r1").customers()))
        self.user("aa@r1").check(Action.DELEGATED_ADMIN, self.customer_id)
        self.assertFalse(self.user("aa@r1").may(Action.DELEGATED_ADMIN, self.plain))
        self.assertRefused(RuleViolation, lambda: ga.remove_customer(self.customer_id))

    def test_keeps_subscription_attribution(self):
        self.remove_r1()
        for user in ("ga@p1", "ga@r1"):
            subscription = self.user(user).get_subscription(self.sub)
            self.assertEqual(subscription["partnerId"], R1_PID)
            self.assertEqual(subscription["status"], "active")

    def test_stops_new_business(self):
        self.remove_r1()
        ga = self.user("ga@p1")
        with ga.new_customer() as draft:
            fill(draft, "afterremoval")
            draft.reseller = R1
            draft.add_subscription("offer-e3", 1)
            problems = draft.review()
            self.assertEqual(len(problems), 1)
            self.assertEqual(problems[0].field, Field.RESELLER)
            self.assertIn("not an active indirect reseller", problems[0].message)
            self.assertRefused(InvalidArgument, draft.submit)
        self.assertEqual(ga.explain(Action.CUSTOMER_CREATE, R1).code, RuleViolation.code_of_class)
        self.assertRefused(RuleViolation, lambda: ga.add_subscription(
            self.plain, "offer-e3", 1, reseller_partner_id=R1_PID), "no new business")
        self.assertRefused(RuleViolation, lambda: ga.set_subscription_reseller(
            self.plain_sub, R1_PID))
        self.assertRefused(RuleViolation, lambda: ga.set_subscription_support(self.sub, R1))
        self.assertRefused(RuleViolation, lambda: ga.set_customer_reseller(self.plain, R1),
                           "no new business")
        self.assertNotIn("partnerId", ga.get_subscription(self.plain_sub))
        self.assertEqual(ga.get_subscription(self.sub)["supportContact"], P1)
        ga.add_subscription(self.customer_id, "offer-e3", 1)  # business without R1 goes on

    def test_refuses_draft_started_before(self):
        with self.user("sa@p1").new_customer() as draft:
            fill(draft, "startedbefore")
            draft.reseller = R1
            draft.add_subscription("offer-e3", 5)
            self.assertEqual(draft.review(), [])
            self.user("ga@p1").remove_partnership(R1, confirm=True, attest_good_faith=True)
            self.assertRefused(InvalidArgument, draft.submit, "not an active indirect reseller")
        self.assertEqual(len(self.user("ga@p1").customers()), 0)

    def test_new_invite_restores_new_business(self):
        self.remove_r1()
        ga = self.user("ga@p1")
        with ga.invite() as invite:
            self.user("ga@r1").accept(invite.link)
        ga.add_subscription(self.plain, "offer-e3", 1, reseller_partner_id=R1_PID)
        ga.set_subscription_reseller(self.plain_sub, R1_PID)
        ga.set_subscription_support(self.sub, R1)
        ga.set_customer_reseller(self.plain, R1)
        self.customer("ga@p1", "restored", R1, 1)
        self.assertEqual(len(ga.customers(R1)), 3)


if __name__ == "__main__":
    unittest.main()
