"""Subscriptions of existing customers (DOMAIN.md §5), as tests/unit/test_subscription.c:
who adds them, attribution by PartnerID, the support contact, visibility and status."""
import unittest

from fixture import D1, P1, R1, R1_PID, R2, R2_PID, R3, R3_PID, Fixture

from tiergraph import (Action, InvalidArgument, NotFound, PermissionDenied, RuleViolation,
                       SubscriptionStatus)

NO_CUSTOMER = "99999999-0000-4000-8000-000000000000"
ROLES = ("ga", "ua", "aa", "sa", "ha", "ba")
PARTNERS = ("p1", "p2", "r1", "r2", "r3", "d1")


class Subscriptions(Fixture):
    def add(self, user, cid, pid=None, support=None):
        return self.user(user).add_subscription(cid, "offer-m365", 2, reseller_partner_id=pid,
                                                support_tenant_id=support)

    def sub(self, sid, user="ga@p1"):
        return self.user(user).get_subscription(sid)

    def test_seller_roles_may_add_subscriptions(self):
        cid = self.customer("ga@p1", "rolesco", R1, 1)
        for n, user in enumerate(("ga@p1", "aa@p1", "sa@p1", "ha@p1", "ba@p1")):
            rev = self.graph.revision
            sid = self.add(user, cid)
            self.assertEqual(self.graph.revision, rev + 1)
            self.assertEqual(len(self.user("ga@p1").subscriptions(cid)), n + 2)
            self.assertEqual(self.sub(sid)["partnerOfRecord"], P1)

    def test_user_admin_and_resellers_may_not_add(self):
        cid = self.customer("ga@p1", "uaco", R1, 1)
        self.assertRefused(PermissionDenied, lambda: self.add("ua@p1", cid),
                           "holds User management admin", "Billing admin")
        for name in ROLES:
            self.assertRefused(PermissionDenied, lambda: self.add(f"{name}@r1", cid),
                               "indirect reseller")
        for user in ("ga@p2", "ga@d1"):
            self.assertRefused(NotFound, lambda: self.add(user, cid))

    def test_new_subscription_has_seller_of_record_and_defaults(self):
        cid = self.customer("ga@p1", "defaults")
        sid = self.add("sa@p1", cid)
        sub = self.sub(sid)
        self.assertEqual((sub["partnerOfRecord"], sub["supportContact"], sub["status"],
                          sub["offerId"], sub["quantity"]),
                         (P1, P1, "active", "offer-m365", 2))
        self.assertIn(cid, str(sub))
        self.assertNotIn("partnerId", sub)
        self.assertIn(sid, list(self.user("ga@p1").subscriptions(cid)))

    def test_arguments_checked(self):
        cid = self.customer("ga@p1", "counts")
        ga = self.user("ga@p1")
        for quantity in (0, -5, 1000001):
            self.assertRefused(InvalidArgument, lambda: ga.add_subscription(
                cid, "offer-x", quantity), "license count")
        for offer in (None, "", "o" * 129, b"offer-\xff"):
            self.assertRefused(InvalidArgument, lambda: ga.add_subscription(cid, offer, 1),
                               "offer")
        self.assertRefused(NotFound, lambda: ga.add_subscription(NO_CUSTOMER, "offer-x", 1),
                           NO_CUSTOMER)
        ga.add_subscription(cid, "offer-x", 1)
        ga.add_subscription(cid, "offer-x", 1000000)

    def test_attribution_refusals(self):
        cid = self.customer("ga@p1", "attr", R1)
        sid = self.add("ga@p1", cid)
        ga = self.user("ga@p1")
        cases = (("12ab", InvalidArgument, "numeric"), ("9999999", NotFound, "9999999"),
                 ("1000001", RuleViolation, "indirect reseller"),  # P1 itself
                 ("3000001", RuleViolation, "indirect reseller"),  # a direct-bill partner
                 (R2_PID, RuleViolation, "partnership"))
        for pid, error, word in cases:
            self.assertRefused(error, lambda: self.add("ga@p1", cid, pid), word)
            self.assertRefused(error, lambda: ga.set_subscription_reseller(sid, pid), word)

    def test_attribution_needs_a_signed_agreement(self):
        self.op.set_agreement(R3, True)
        with self.user("ga@p1").invite() as invite:
            self.user("ga@r3").accept(invite.link)
        self.op.set_agreement(R3, False)
        self.assertIn(R3, list(self.user("ga@p1").resellers()))
        cid = self.customer("ga@p1", "agreement", R1)
        sid = self.add("ga@p1", cid)
        self.assertRefused(RuleViolation, lambda: self.add("ga@p1", cid, R3_PID), "agreement")
        self.assertRefused(RuleViolation, lambda: self.user("ga@p1").set_subscription_reseller(
            sid, R3_PID), "agreement")

    def test_attribution_recorded_set_later_and_cleared(self):
        cid = self.customer("ga@p1", "attributed", R1)
        sid = self.add("sa@p1", cid, R1_PID)
        self.assertEqual(self.sub(sid)["partnerId"], R1_PID)
        self.assertEqual(self.sub(sid, "ga@r1")["partnerId"], R1_PID)  # R1 sees it
        for user in ("ga@p1", "aa@p1", "sa@p1"):
            self.user(user).set_subscription_reseller(sid, None)
            self.assertNotIn("partnerId", self.sub(sid))
            rev = self.graph.revision
            self.user(user).set_subscription_reseller(sid, R1_PID)
            self.assertEqual(self.graph.revision, rev + 1)
            self.assertEqual(self.sub(sid)["partnerId"], R1_PID)
        for user in ("ua@p1", "ha@p1", "ba@p1"):
            self.assertRefused(PermissionDenied, lambda: self.user(user).set_subscription_reseller(
                sid, None), "Sales agent")
        self.assertRefused(PermissionDenied, lambda: self.user("ga@r1").set_subscription_reseller(
            sid, None), "indirect reseller")
        self.assertRefused(NotFound, lambda: self.user("ga@p2").set_subscription_reseller(
            sid, None))

    def test_support_contact(self):
        cid = self.customer("ga@p1", "support", R1)  # R1 has delegated admin
        plain = self.customer("ga@p1", "plain")
        sid, plain_sid = self.add("ga@p1", cid), self.add("ga@p1", plain)
        for user in ("ga@p1", "aa@p1", "ha@p1"):
            self.user(user).set_subscription_support(sid, R1)
            self.assertEqual(self.sub(sid)["supportContact"], R1)
            self.user(user).set_subscription_support(sid, None)
            self.assertEqual(self.sub(sid)["supportContact"], P1)
        self.assertEqual(self.sub(self.add("ga@p1", cid, support=R1))["supportContact"], R1)
        ga = self.user("ga@p1")
        self.assertRefused(RuleViolation, lambda: ga.set_subscription_support(sid, R2),
                           "delegated admin")
        self.assertRefused(RuleViolation, lambda: ga.set_subscription_support(plain_sid, R1),
                           "delegated admin")
        self.assertRefused(RuleViolation, lambda: self.add("ga@p1", plain, support=R1))
        for user in ("sa@p1", "ua@p1", "ba@p1"):
            self.assertRefused(PermissionDenied, lambda: self.user(user).set_subscription_support(
                sid, R1), "Helpdesk agent")

    def test_adding_with_reseller_or_support_needs_those_permissions(self):
        cid = self.customer("ga@p1", "backdoor", R1, 1)
        for user, pid, support, word in (("ha@p1", R1_PID, None, "Sales agent"),
                                         ("sa@p1", None, R1, "Helpdesk agent")):
            self.assertRefused(PermissionDenied, lambda: self.add(user, cid, pid, support), word)
        dc = self.customer("ga@d1", "dbackdoor", None, 1)
        self.assertRefused(PermissionDenied, lambda: self.add("ga@d1", dc, R1_PID), "direct-bill")

    def test_direct_bill_sells_without_resellers(self):
        cid = self.customer("ga@d1", "direct", None, 1)
        sid = self.add("ba@d1", cid)
        sub = self.sub(sid, "ga@d1")
        self.assertEqual((sub["partnerOfRecord"], sub["supportContact"]), (D1, D1))
        self.assertRefused(PermissionDenied, lambda: self.user("ga@d1").set_subscription_reseller(
            sid, R1_PID), "direct-bill")

    def test_visibility_and_check_agree_with_get(self):
        shared = self.customer("ga@p1", "agreeshared", R1)
        own = self.customer("ga@p1", "agreeown")
        direct = self.customer("ga@d1", "agreedirect")
        subs = (self.add("ga@p1", shared), self.add("ga@p1", own), self.add("ga@d1", direct),
                self.add("ga@p1", shared, support=R1))
        seen_by = (("p1", "r1"), ("p1",), ("d1",), ("p1", "r1"))
        self.assertEqual(len(self.user("aa@r1").subscriptions(shared)), 2)
        self.assertRefused(NotFound, lambda: self.user("ga@r1").subscriptions(own))
        for partner in PARTNERS:
            for role in ROLES:
                session = self.user(f"{role}@{partner}")
                for sid, seers in zip(subs, seen_by):
                    try:
                        session.get_subscription(sid)
                        got = True
                    except NotFound:
                        got = False
                    self.assertEqual(got, partner in seers, f"{role}@{partner}")
                    self.assertEqual(session.may(Action.VIEW_SUBSCRIPTION, sid), got)

    def test_status(self):
        cid = self.customer("ga@p1", "status", R1)
        sid = self.add("ga@p1", cid, R1_PID, R1)
        for user, status, text in (("ga@p1", SubscriptionStatus.SUSPENDED, "suspended"),
                                   ("sa@p1", SubscriptionStatus.DELETED, "deleted"),
                                   ("ga@p1", SubscriptionStatus.ACTIVE, "active")):
            self.user(user).set_subscription_status(sid, status)
            self.assertEqual(self.sub(sid)["status"], text)
        for bad in (0, 4, -1):
            self.assertRefused(InvalidArgument, lambda: self.user("ga@p1").set_subscription_status(
                sid, bad), "status")
        self.assertRefused(PermissionDenied, lambda: self.user("ga@r1").set_subscription_status(
            sid, SubscriptionStatus.SUSPENDED), "indirect reseller")
        self.assertRefused(PermissionDenied, lambda: self.user("ua@p1").set_subscription_status(
            sid, SubscriptionStatus.SUSPENDED), "Global admin")
        self.assertRefused(NotFound, lambda: self.user("ga@p2").set_subscription_status(
            sid, SubscriptionStatus.SUSPENDED))


if __name__ == "__main__":
    unittest.main()
