"""Working with more than one partner (DOMAIN.md §6), as tests/unit/test_multipartner.c: a
partner's relationship request to an existing customer and its acceptance, who then sees
what, subscriptions bought elsewhere and the partner hired for them, switching partners
after the term, and the three forms of the resale ban."""
import datetime
import unittest

from fixture import D1, DAY, NEW_PASSWORD, P1, P2, R1, R2, T0, Fixture, StoreFixture, fill

from tiergraph import (Action, AlreadyExists, Channel, ErrorCode, Expired, Field,
                       InvalidArgument, Invite, NotFound, PermissionDenied, RuleViolation,
                       SubscriptionStatus, live_handles)

CORP_P2 = "10000000-0000-4000-8000-0000000000c2"  # a corporate tenant of P2
CORP_R1 = "20000000-0000-4000-8000-0000000000c1"  # a corporate tenant of R1
CORP_R2 = "20000000-0000-4000-8000-0000000000c2"  # a corporate tenant of R2
NOBODY = "90000000-0000-4000-8000-000000000009"  # no customer
UTC = datetime.timezone.utc


class MultiFixture(Fixture):
    def request(self, user, customer_id):
        invite = self.user(user).request_relationship(customer_id)
        self.addCleanup(invite.close)
        return invite

    def relate(self, customer_admin, partner_user, customer_id):
        """``partner_user``'s partner asks, the customer's admin session accepts."""
        with self.user(partner_user).request_relationship(customer_id) as invite:
            customer_admin.accept_relationship(invite.link)

    def plain_user(self, admin, c):
        """A signed-in user of customer ``c`` without the Global admin role."""
        name = c.user("ann")
        admin.add_user(name, "Initial-Pass1")
        self.graph.change_customer_password(name, "Initial-Pass1", "Anns-0wn-pass")
        return self.graph.customer(name, "Anns-0wn-pass")

    def assertLists(self, session, customer_id, *subscription_ids):
        self.assertEqual(sorted(session.subscriptions(customer_id)), sorted(subscription_ids))


class Relationships(MultiFixture):
    def test_accepting_changes_no_subscription_nor_ownership(self):
        self.set_clock(T0)
        c = self.cust("ga@p1", "multi", R1, nsubs=2)
        cs = self.sign_in(c)
        p1, p2, r1 = self.user("ga@p1"), self.user("ga@p2"), self.user("ga@r1")
        first, second = p1.subscriptions(c.id)
        before = [p1.get_subscription(first), p1.get_subscription(second)]

        invite = self.request("ga@p2", c.id)
        self.assertIsInstance(invite, Invite)
        self.assertIn(f"partner={P2}", invite.link)
        self.assertIn("token=", invite.link)
        self.assertIn(invite.link, invite.email)
        self.assertEqual(invite.expires, T0 + 7 * DAY)
        self.assertRaises(NotFound, p2.get_customer, c.id)  # not yet
        rev = self.graph.revision
        cs.accept_relationship(invite.link)
        self.assertEqual(self.graph.revision, rev + 1)

        # the new partner sees the customer, and none of the subscriptions of another
        self.assertEqual(p2.get_customer(c.id)["id"], c.id)
        self.assertIn(c.id, list(p2.customers()))
        self.assertLists(p2, c.id)
        # nothing existing changed: subscriptions, their partner of record, the seller
        self.assertEqual([p1.get_subscription(first), p1.get_subscription(second)], before)
        customer = p1.get_customer(c.id)
        self.assertEqual(customer["partnerIdOnRecord"], "1000001")
        self.assertEqual(customer["associatedPartnerId"], R1)

        # the new partner sells to it: partner of record of its own subscriptions only
        p2.check(Action.ORDER_PLACE, c.id)
        self.assertRaises(NotFound, self.user("ga@d1").check, Action.ORDER_PLACE, c.id)
        azure = p2.add_subscription(c.id, "offer-azure", 1)
        self.assertEqual(p2.get_subscription(azure)["partnerOfRecord"], P2)
        self.assertLists(p2, c.id, azure)
        self.assertLists(p1, c.id, first, second)
        self.assertLists(r1, c.id, first, second)  # what its provider sells
        self.assertLists(cs, c.id, first, second, azure)
        self.assertRaises(NotFound, p2.set_subscription_status, first,
                          SubscriptionStatus.SUSPENDED)
        self.assertRaises(NotFound, p1.set_subscription_status, azure,
                          SubscriptionStatus.SUSPENDED)
        self.graph.verify()

    def test_relationships_listed_for_customer_and_partner(self):
        c = self.cust("ga@p1", "listed", R1)
        cs = self.sign_in(c)
        self.relate(cs, "ga@d1", c.id)
        self.assertEqual(sorted(cs.relationships()), sorted([P1, R1, D1]))
        for user in ("ga@p1", "ga@r1", "ga@d1"):
            self.assertIn(c.id, list(self.user(user).relationships()))
        self.assertEqual(list(self.user("ga@p2").relationships()), [])
        self.assertRaises(PermissionDenied, self.user("ha@d1").relationships)

    def test_request_refusals(self):
        c = self.cust("ga@p1", "asked")
        invites = live_handles().get("invite", 0)
        self.assertRefused(PermissionDenied, lambda: self.user("ga@r1").request_relationship(c.id),
                           "indirect reseller")
        self.assertEqual(live_handles().get("invite", 0), invites)  # no handle on refusal
        self.assertRefused(PermissionDenied, lambda: self.user("ha@p2").request_relationship(c.id),
                           "Sales agent")
        self.assertRefused(PermissionDenied, lambda: self.op.request_relationship(c.id))
        self.assertRefused(InvalidArgument,
                           lambda: self.user("ga@p2").request_relationship("not-a-guid"))
        self.assertRefused(InvalidArgument, lambda: self.user("ga@p2").request_relationship(None))
        # its own seller of record already works with it: an answer of check, not an error
        self.assertRefused(AlreadyExists, lambda: self.user("ga@p1").request_relationship(c.id))
        self.assertRaises(AlreadyExists, self.user("ga@p1").check, Action.RELATIONSHIP_REQUEST,
                          c.id)
        explained = self.user("ga@p1").explain(Action.RELATIONSHIP_REQUEST, c.id)
        self.assertEqual((explained.allowed, explained.code), (False, ErrorCode.EEXISTS))
        self.assertFalse(self.user("ga@p1").may(Action.RELATIONSHIP_REQUEST, c.id))
        self.assertTrue(self.user("sa@p2").may(Action.RELATIONSHIP_REQUEST, c.id))
        # Sales agents of providers and direct-bill partners may
        self.request("sa@p2", c.id)
        self.request("aa@d1", c.id)
        # a request to no customer is made like any other: the partner learns nothing;
        # no customer can accept it
        lost = self.request("ga@p2", NOBODY)
        cs = self.sign_in(c)
        self.assertRefused(PermissionDenied, lambda: cs.accept_relationship(lost.link),
                           "another customer")

    def test_accept_refusals_leave_the_request_usable(self):
        self.set_clock(T0)
        c = self.cust("ga@p1", "accepting")
        other = self.cust("ga@p1", "wrongone")
        cs, os_ = self.sign_in(c), self.sign_in(other)
        ann = self.plain_user(cs, c)
        link = self.request("ga@p2", c.id).link

        self.assertRefused(PermissionDenied, lambda: ann.accept_relationship(link), "Global admin")
        self.assertRefused(PermissionDenied, lambda: os_.accept_relationship(link),
                           "another customer")
        self.assertRefused(NotFound, lambda: self.user("ga@r2").accept(link))
        self.assertRefused(InvalidArgument, lambda: cs.accept_relationship("nonsense"))
        self.assertRefused(NotFound, lambda: cs.accept_relationship("A" * 43))
        # a partnership request is not a relationship request
        with self.user("ga@p1").invite() as partnership:
            self.assertRefused(NotFound, lambda: cs.accept_relationship(partnership.link))

        # none of that used it up
        cs.accept_relationship(link)
        self.assertRefused(RuleViolation, lambda: cs.accept_relationship(link),
                           "already been used")
        # working together already: a new request, or a second one accepted
        self.assertRefused(AlreadyExists, lambda: self.user("ga@p2").request_relationship(c.id))
        a, b = self.request("ga@d1", c.id), self.request("ga@d1", c.id)
        cs.accept_relationship(a.link)
        self.assertRefused(AlreadyExists, lambda: cs.accept_relationship(b.link))

        # expiry: from the exact second on
        late = self.request("ga@p2", other.id)
        self.set_clock(T0 + 7 * DAY)
        self.assertRefused(Expired, lambda: os_.accept_relationship(late.link))
        self.set_clock(T0 + 7 * DAY - 1)
        os_.accept_relationship(late.link)
        self.graph.verify()

    def test_customer_with_other_partners_is_not_removed(self):
        c = self.cust("ga@p1", "stays")
        self.relate(self.sign_in(c), "ga@p2", c.id)
        self.assertRefused(RuleViolation, lambda: self.user("ga@p1").remove_customer(c.id),
                           "multi-partner")


class RelationshipsAfterReopening(StoreFixture, MultiFixture):
    def test_relationship_survives_reopening_and_only_its_hash_is_stored(self):
        c = self.cust("ga@p1", "kept")
        cs = self.sign_in(c)
        invite = self.request("ga@p2", c.id)
        token = invite.link.split("token=", 1)[1].split("&")[0]
        stored = self.stored_bytes()
        self.assertNotIn(token.encode(), stored)
        self.assertIn(f'"customer":"{c.id}"'.encode(), stored)  # the request, addressed
        cs.accept_relationship(invite.link)

        graph = self.reopen()
        p2 = self.user("ga@p2")
        self.assertEqual(p2.get_customer(c.id)["id"], c.id)
        p2.add_subscription(c.id, "offer-azure", 1)
        with graph.customer(c.admin, NEW_PASSWORD) as again:
            self.assertIn(P2, list(again.relationships()))
            self.assertRaises(RuleViolation, again.accept_relationship, invite.link)
        graph.verify()


class Multichannel(MultiFixture):
    def test_subscription_bought_elsewhere_and_the_partner_hired(self):
        self.set_clock(T0)
        c = self.cust("ga@p1", "channels", nsubs=1)
        other = self.cust("ga@p1", "notmine", nsubs=1)
        cs = self.sign_in(c)
        ann = self.plain_user(cs, c)
        p1, p2 = self.user("ga@p1"), self.user("ga@p2")
        self.relate(cs, "ga@p2", c.id)

        for channel, offer, quantity, term_end in ((0, "offer-ea", 10, None),
                                                   (6, "offer-ea", 10, None),
                                                   (Channel.EA, "offer-ea", 0, None),
                                                   (Channel.EA, "offer-ea", 10, -1),
                                                   (Channel.EA, None, 10, None)):
            self.assertRefused(InvalidArgument, lambda: cs.record_subscription(
                channel, offer, quantity, term_end=term_end))
        # a naive datetime is refused before the call: its local-time guess would shift
        # the term by hours
        self.assertRefused(InvalidArgument, lambda: cs.record_subscription(
            Channel.EA, "offer-ea", 10, term_end=datetime.datetime(2030, 1, 1)), "time zone")
        self.assertRaises(TypeError, cs.record_subscription, Channel.EA, "offer-ea", 10,
                          term_end="2030-01-01")
        self.assertFalse(hasattr(p1, "record_subscription"))
        self.assertRefused(PermissionDenied,
                           lambda: ann.record_subscription(Channel.EA, "offer-ea", 10))
        ea = cs.record_subscription(Channel.EA, "offer-ea", 10,
                                    term_end=datetime.datetime.fromtimestamp(T0 + 365 * DAY, UTC))
        open_ = cs.record_subscription(Channel.OPEN, "offer-open", 3)
        # bought elsewhere: no partner of record, no support contact, no partner sees it
        self.assertNotIn("partnerOfRecord", cs.get_subscription(ea))
        self.assertNotIn("supportContact", cs.get_subscription(ea))
        self.assertLists(p1, c.id, c.sub)
        self.assertLists(p2, c.id)
        self.assertLists(cs, c.id, c.sub, ea, open_)

        # hiring: only a partner it works with, only for what it bought elsewhere
        self.assertRefused(RuleViolation, lambda: cs.hire_partner(ea, D1), "works with")
        self.assertRefused(RuleViolation, lambda: cs.hire_partner(ea, NOBODY), "works with")
        self.assertRefused(RuleViolation, lambda: cs.hire_partner(c.sub, P2), "bought through CSP")
        self.assertRaises(RuleViolation, cs.check, Action.SUBSCRIPTION_HIRE, c.sub)
        self.assertRefused(PermissionDenied, lambda: ann.hire_partner(ea, P2))
        self.assertRefused(NotFound, lambda: cs.hire_partner(other.sub, P2))
        cs.hire_partner(ea, P2)
        # the hired partner supports it, and is not its partner of record
        self.assertEqual(cs.get_subscription(ea)["supportContact"], P2)
        self.assertNotIn("partnerOfRecord", cs.get_subscription(ea))
        self.assertLists(p2, c.id, ea)
        self.assertLists(p1, c.id, c.sub)
        self.assertRefused(PermissionDenied, lambda: p2.set_subscription_support(ea, None),
                           "partner of record")
        self.assertRefused(PermissionDenied,
                           lambda: p2.set_subscription_status(ea, SubscriptionStatus.SUSPENDED))
        # another partner it works with instead, then nobody
        cs.hire_partner(ea, P1)
        self.assertLists(p2, c.id)
        self.assertLists(p1, c.id, c.sub, ea)
        cs.hire_partner(ea, None)
        self.assertLists(p1, c.id, c.sub)
        self.graph.verify()

    def test_license_based_subscription_moves_only_after_its_term(self):
        self.set_clock(T0)
        c = self.cust("ga@p1", "moving", nsubs=1)
        cs = self.sign_in(c)
        ann = self.plain_user(cs, c)
        p1, p2 = self.user("ga@p1"), self.user("ga@p2")
        self.relate(cs, "ga@p2", c.id)

        # A one-year term from 2023-11-14: 2024 has 29 February, so 365 days are not enough.
        self.set_clock(T0 + 365 * DAY)
        self.assertRaises(RuleViolation, cs.check, Action.SUBSCRIPTION_MOVE, c.sub)
        self.assertRefused(RuleViolation, lambda: cs.move_subscription(c.sub, P2),
                           "before its term ends", "2024-11-14 22:13 UTC")
        self.set_clock(T0 + 366 * DAY)
        cs.check(Action.SUBSCRIPTION_MOVE, c.sub)
        self.assertRefused(RuleViolation, lambda: cs.move_subscription(c.sub, D1), "works with")
        self.assertRefused(RuleViolation, lambda: cs.move_subscription(c.sub, R1))
        self.assertRefused(RuleViolation, lambda: cs.move_subscription(c.sub, P1),
                           "already the partner of record")
        self.assertRefused(PermissionDenied, lambda: ann.move_subscription(c.sub, P2))
        self.assertRefused(NotFound, lambda: cs.move_subscription(NOBODY, P2))
        self.assertRefused(InvalidArgument, lambda: cs.move_subscription(c.sub, None))
        cs.move_subscription(c.sub, P2)
        moved = cs.get_subscription(c.sub)
        self.assertEqual((moved["partnerOfRecord"], moved["supportContact"]), (P2, P2))
        self.assertLists(p2, c.id, c.sub)
        self.assertLists(p1, c.id)
        self.assertEqual(p1.get_customer(c.id)["partnerIdOnRecord"], "1000001")  # still P1's
        # with the new partner, a new term
        self.assertRefused(RuleViolation, lambda: cs.move_subscription(c.sub, P1))

        # bought elsewhere: with a term not yet ended, refused; without a term, it moves
        now = T0 + 366 * DAY
        ea = cs.record_subscription(Channel.EA, "offer-ea", 5, term_end=now + 100)
        direct = cs.record_subscription(Channel.DIRECT, "offer-x", 5)
        self.assertRefused(RuleViolation, lambda: cs.move_subscription(ea, P1))
        cs.move_subscription(direct, P1)
        self.assertEqual(cs.get_subscription(direct)["partnerOfRecord"], P1)
        self.graph.verify()


class ResaleBan(MultiFixture):
    def draft_on_tenant(self, user, prefix, tenant):
        draft = self.user(user).new_customer()
        self.addCleanup(draft.close)
        fill(draft, prefix)
        draft.tenant = tenant
        self.assertEqual(draft.get(Field.TENANT), tenant)
        return draft

    def test_csp_tenant_of_a_partner(self):
        """"A CSP partner cannot resell online services to another CSP partner's CSP tenant.\""""
        for tenant in (P2, R2, D1, P1):
            draft = self.draft_on_tenant("ga@p1", "banned", tenant)
            self.assertRefused(RuleViolation, draft.review, "resale ban", "CSP tenant")
            self.assertRefused(RuleViolation, draft.submit)
        self.assertRefused(RuleViolation, lambda: self.user("ga@p1").request_relationship(P2),
                           "resale ban")
        self.assertRaises(RuleViolation, self.user("ga@p1").check, Action.RELATIONSHIP_REQUEST,
                          P2)

    def test_spares_corporate_tenants(self):
        """"A partner's non-CSP corporate tenant can buy from another CSP partner.\""""
        self.op.add_tenant(P2, CORP_P2)
        c = self.cust("ga@p1", "corpbuys", tenant=CORP_P2)
        self.assertEqual(c.id, CORP_P2)
        self.user("ga@p1").add_subscription(c.id, "offer-e3", 5)
        self.relate(self.sign_in(c), "ga@d1", c.id)
        # the tenant, now a customer, cannot be a customer twice
        draft = self.draft_on_tenant("ga@d1", "twice", CORP_P2)
        (problem,) = draft.review()
        self.assertEqual(problem.field, Field.TENANT)
        self.assertIn("relationship request", problem.message)
        draft.tenant = "not-a-guid"
        self.assertEqual([p.field for p in draft.review()], [Field.TENANT])
        self.assertRaises(InvalidArgument, draft.set, int(Field.TENANT) + 1, "x")
        self.graph.verify()

    def test_reseller_and_its_own_provider(self):
        """"A reseller cannot become an end customer of its own provider.\""""
        self.op.add_tenant(R1, CORP_R1)
        # P1 is R1's provider: refused, whichever tenant of R1
        self.assertRefused(RuleViolation, lambda: self.cust("ga@p1", "ownres", tenant=CORP_R1),
                           "resale ban", "own provider")
        # P2 is not: allowed
        c = self.cust("ga@p2", "ownres", tenant=CORP_R1)
        # P1 may not join as a second partner either
        self.assertRefused(RuleViolation, lambda: self.user("ga@p1").request_relationship(c.id),
                           "own provider")
        # and R1 may not make P2 its provider while it buys from P2
        with self.user("ga@p2").invite() as partnership:
            self.assertRefused(RuleViolation, lambda: self.user("ga@r1").accept(partnership.link),
                               "own provider")

        # The order may be the other way round: a request sent before the partnership
        # is refused when the customer accepts it.
        self.op.add_tenant(R2, CORP_R2)
        c2 = self.cust("ga@p2", "lateban", tenant=CORP_R2)
        request = self.request("ga@p1", c2.id)  # R2 is not P1's reseller yet
        with self.user("ga@p1").invite() as partnership:
            self.user("ga@r2").accept(partnership.link)
        cs = self.sign_in(c2)
        self.assertRefused(RuleViolation, lambda: cs.accept_relationship(request.link),
                           "own provider")
        self.graph.verify()


if __name__ == "__main__":
    unittest.main()
