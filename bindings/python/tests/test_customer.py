"""The new-customer flow and existing customers (DOMAIN.md §4), as tests/unit/test_customer.c:
who may start a draft, the review, submit and cancel (the with block included), the one-time
password, listing and filtering, removal, and the reseller association."""
import unittest

from fixture import GHOST, P1, P2, R1, R2, R3, Fixture, fill

from tiergraph import (Action, Draft, Field, InvalidArgument, NotFound, PermissionDenied,
                       Problem, RuleViolation, SubscriptionStatus)

REQUIRED = (Field.COMPANY_NAME, Field.DOMAIN_PREFIX, Field.EMAIL, Field.CULTURE, Field.LANGUAGE,
            Field.ADDRESS_LINE1, Field.CITY, Field.STATE, Field.POSTAL_CODE, Field.COUNTRY,
            Field.FIRST_NAME, Field.LAST_NAME)


class Made:
    """What a receipt said (the `made` struct of test_customer.c)."""

    def __init__(self, receipt):
        self.id = receipt.customer_id
        self.admin = receipt.admin_user
        self.password = receipt.password
        self.subs = receipt.subscription_ids


class Customers(Fixture):
    def make(self, user, prefix, reseller=None, nsubs=0):
        with self.user(user).new_customer() as draft:
            fill(draft, prefix)
            draft.reseller = reseller
            for i in range(nsubs):
                draft.add_subscription("offer-e3", i + 1)
            with draft.submit() as receipt:
                return Made(receipt)

    def problems(self, user, field, value):
        """The review of a valid draft by `user` with `field` = `value`."""
        rev = self.graph.revision
        with self.user(user).new_customer() as draft:
            fill(draft, "detailcheck")
            draft.set(field, value)
            found = draft.review()
        self.assertEqual(self.graph.revision, rev)
        return found

    def refuses(self, user, field, value, word, on=None):
        found = self.problems(user, field, value)
        self.assertEqual(len(found), 1, f"{field!r} = {value!r}: {found}")
        self.assertEqual(found[0].field, on or field)
        self.assertIn(word, found[0].message)

    def accepts(self, user, field, value):
        self.assertEqual(self.problems(user, field, value), [])

    # -- who may start a draft (DOMAIN §2, §4) --

    def test_draft_new_allowed_for_seller_roles(self):
        for user in ("ga@p1", "ua@p1", "aa@p1", "sa@p1", "ga@p2", "ga@d1", "sa@d1"):
            with self.user(user).new_customer() as draft:
                self.assertIsInstance(draft, Draft)

    def test_draft_new_denied_for_helpdesk_billing_resellers_operator(self):
        for user in ("ha@p1", "ba@p1", "ha@d1", "ba@d1"):
            self.assertRefused(PermissionDenied, self.user(user).new_customer, "Sales agent")
        for name in ("ga", "ua", "aa", "sa", "ha", "ba"):
            self.assertRefused(PermissionDenied, self.user(f"{name}@r1").new_customer,
                               "reseller")
        self.assertRefused(PermissionDenied, self.op.new_customer)

    def test_new_customer_sets_fields_by_keyword(self):
        with self.user("ga@p1").new_customer(company_name="Wingtip", city="Redmond") as draft:
            self.assertEqual(draft.company_name, "Wingtip")
            self.assertEqual(draft.get(Field.CITY), "Redmond")
            self.assertIsNone(draft.phone)
            draft.city = None  # clears
            self.assertIsNone(draft.city)
            with self.assertRaises(TypeError):
                draft.update(colour="red", city="Paris")
            self.assertIsNone(draft.city)  # nothing set by the refused update
        with self.assertRaises(TypeError):
            self.user("ga@p1").new_customer(nonsense="x")

    def test_every_field_is_an_attribute(self):
        with self.user("ga@p1").new_customer() as draft:
            for field in Field:
                name = field.name.lower()
                setattr(draft, name, f"v{int(field)}")
                self.assertEqual(draft.get(field), f"v{int(field)}", name)

    # -- the review (DOMAIN §4.3) --

    def test_review_of_empty_draft_lists_every_required_field(self):
        with self.user("ga@p1").new_customer() as draft:
            found = draft.review()
        self.assertEqual(sorted(p.field for p in found), sorted(REQUIRED))
        for problem in found:
            self.assertIsInstance(problem, Problem)
            self.assertIn("required", problem.message)
            self.assertEqual(str(problem), problem.message)

    def test_review_lists_problems_of_several_fields_together(self):
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "several")
            draft.update(company_name="LLC", email="ops@p1.example", country="USA")
            self.assertEqual({p.field for p in draft.review()},
                             {Field.COMPANY_NAME, Field.EMAIL, Field.COUNTRY})

    def test_review_of_clean_draft_is_empty_and_writes_nothing(self):
        rev = self.graph.revision
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "clean")
            draft.reseller = R1
            draft.add_subscription("offer-e3", 5)
            self.assertEqual(draft.review(), [])
        self.assertEqual(self.graph.revision, rev)

    # -- each rule of the details (DOMAIN §4.1) --

    def test_company_name_rules(self):
        self.refuses("ga@p1", Field.COMPANY_NAME, "A", "one character")
        self.refuses("ga@p1", Field.COMPANY_NAME, "\u03a9", "one character")
        self.refuses("ga@p1", Field.COMPANY_NAME, "!!!", "symbols")
        self.refuses("ga@p1", Field.COMPANY_NAME, "   ", "blanks")
        self.refuses("ga@p1", Field.COMPANY_NAME, "\u2014\u2014\u2014", "symbols")
        self.refuses("ga@p1", Field.COMPANY_NAME, "\u00a0\u00a0\u00a0", "symbols")
        for suffix in ("LLC", "Inc.", " GmbH "):
            self.refuses("ga@p1", Field.COMPANY_NAME, suffix, "suffix")
        for good in ("HP", "\u03a9\u03bc", "3M", "A & B", "\u00c9cole \u2014 Paris", "Acme LLC",
                     "Incubator"):
            self.accepts("ga@p1", Field.COMPANY_NAME, good)

    def test_domain_prefix_rules(self):
        self.make("ga@p1", "acme")
        for user, value in (("ga@p1", "acme"), ("ga@p1", "ACME"), ("ga@p2", "Acme"),
                            ("ga@d1", "acme")):
            self.refuses(user, Field.DOMAIN_PREFIX, value, "taken")
        self.refuses("ga@p1", Field.DOMAIN_PREFIX, "has space", "prefix")
        self.refuses("ga@p1", Field.DOMAIN_PREFIX, "a" * 28, "prefix")
        self.accepts("ga@p1", Field.DOMAIN_PREFIX, "a" * 27)

    def test_domain_prefix_taken_between_review_and_submit(self):
        with self.user("ga@p1").new_customer() as a, self.user("ga@p2").new_customer() as b:
            fill(a, "race")
            fill(b, "race")
            self.assertEqual(b.review(), [])
            a.submit().close()
            self.assertRefused(InvalidArgument, b.submit, "taken")

    def test_email_rules(self):
        for bad, word in (("x@microsoft.com", "microsoft.com"), ("x@sub.microsoft.com",
                                                                  "microsoft.com"),
                          ("x@P1.Example", "p1.example"), ("not-an-email", "email"),
                          ("a@b..example", "email")):
            self.refuses("ga@p1", Field.EMAIL, bad, word)
        self.refuses("ga@d1", Field.EMAIL, "x@d1.example", "d1.example")
        self.accepts("ga@p1", Field.EMAIL, "x@notmicrosoft.com")
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "resmail")
            draft.update(reseller=R1, email="x@r1.example")
            found = draft.review()
        self.assertEqual([(p.field, "r1.example" in p.message) for p in found],
                         [(Field.EMAIL, True)])

    def test_culture_language_address_names_country(self):
        self.refuses("ga@p1", Field.CULTURE, "en_US", "culture")
        self.refuses("ga@p1", Field.LANGUAGE, "eng", "language")
        self.accepts("ga@p1", Field.CULTURE, "fr-FR")
        self.refuses("ga@p1", Field.ADDRESS_LINE1, "a" * 201, "200")
        self.accepts("ga@p1", Field.ADDRESS_LINE1, "a" * 200)
        self.accepts("ga@p1", Field.ADDRESS_LINE2, None)
        self.refuses("ga@p1", Field.ADDRESS_LINE1, None, "required")
        self.accepts("ga@p1", Field.FIRST_NAME, "\u00e9" * 50)  # characters, not bytes
        self.refuses("ga@p1", Field.LAST_NAME, "\u00e9" * 51, "50")
        self.refuses("ga@p1", Field.COUNTRY, "USA", "two letters")
        self.accepts("ga@p1", Field.COUNTRY, "GB")

    def test_reseller_must_be_active_partner_of_this_provider(self):
        for user, value in (("ga@p1", R2), ("ga@p1", R3), ("ga@p1", P2), ("ga@p2", R1),
                            ("ga@p1", GHOST), ("ga@d1", R1)):
            self.refuses(user, Field.RESELLER, value, "reseller")
        self.accepts("ga@p1", Field.RESELLER, R1)
        self.op.set_agreement(R1, False)
        self.refuses("ga@p1", Field.RESELLER, R1, "agreement")

    def test_set_refuses_over_long_values(self):
        with self.user("ga@p1").new_customer() as draft:
            with self.assertRaises(InvalidArgument):
                draft.city = "x" * 4097
            with self.assertRaises(InvalidArgument):
                draft.set(99, "x")
            with self.assertRaises(InvalidArgument):
                draft.city = "Red\0mond"  # a NUL would cut the text short in C
            self.assertIsNone(draft.city)

    def test_draft_subscription_line_checked(self):
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "lines")
            for offer, quantity in (("offer-e3", 0), ("offer-e3", -1), ("offer-e3", 1000001),
                                    (None, 1), ("", 1), ("offer-e3", 2 ** 32 + 1)):
                with self.assertRaises(InvalidArgument):
                    draft.add_subscription(offer, quantity)
            draft.add_subscription("offer-e3", 1)
            draft.add_subscription("offer-e5", 1000000)
            with draft.submit() as receipt:
                self.assertEqual(len(receipt.subscription_ids), 2)
                self.assertEqual(len(self.user("ga@p1").subscriptions(receipt.customer_id)), 2)

    # -- submit, cancel, the with block (DOMAIN §4.4, §4.5) --

    def test_submit_with_problems_writes_nothing_and_stays_open(self):
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "broken")
            draft.company_name = "Inc"
            draft.add_subscription("offer-e3", 3)
            self.assertRefused(InvalidArgument, draft.submit, "suffix")
            draft.company_name = "Broken Inc"
            draft.submit().close()

    def test_submit_creates_customer_for_reseller_with_delegated_admin(self):
        rev = self.graph.revision
        with self.user("sa@p1").new_customer(reseller=R1) as draft:
            fill(draft, "acme")
            draft.add_subscription("offer-e3", 25)
            draft.add_subscription("azure-plan", 1)
            receipt = draft.submit()
        self.assertGreater(self.graph.revision, rev)
        with receipt:
            cid = receipt.customer_id
            self.assertEqual(len(cid), 36)
            self.assertEqual(receipt.admin_user, "admin@acme.onmicrosoft.com")
            self.assertEqual(len(set(receipt.subscription_ids)), 2)
            self.assertEqual(sorted(self.user("ga@p1").subscriptions(cid)),
                             sorted(receipt.subscription_ids))
        for user, reseller in (("ga@p1", None), ("ga@p1", R1), ("ga@r1", None)):
            self.assertIn(cid, list(self.user(user).customers(reseller)))
        self.user("aa@r1").check(Action.DELEGATED_ADMIN, cid)
        self.assertRefused(NotFound, lambda: self.user("aa@r2").check(Action.DELEGATED_ADMIN,
                                                                      cid))
        self.graph.verify()

    def assert_used_up(self, draft, word):
        for call in (lambda: setattr(draft, "city", "Seattle"),
                     lambda: draft.add_subscription("offer-e3", 1), draft.review, draft.submit,
                     draft.cancel):
            self.assertRefused(RuleViolation, call)
        with self.assertRaises(RuleViolation) as caught:
            draft.city = "Seattle"
        self.assertIn(word, caught.exception.message)

    def test_submitted_draft_is_used_up(self):
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "usedup")
            draft.submit().close()
            self.assert_used_up(draft, "submitted")

    def test_cancelled_draft_discards_everything(self):
        rev = self.graph.revision
        with self.user("ga@p1").new_customer(reseller=R1) as draft:
            fill(draft, "cancelled")
            draft.add_subscription("offer-e3", 1)
            draft.cancel()
            self.assertIsNone(draft.company_name)
            self.assert_used_up(draft, "cancelled")
        self.assertEqual(self.graph.revision, rev)
        self.accepts("ga@p1", Field.DOMAIN_PREFIX, "cancelled")

    def test_with_block_cancels_on_exception(self):
        rev = self.graph.revision
        with self.assertRaises(KeyError):
            with self.user("ga@p1").new_customer() as draft:
                fill(draft, "interrupted")
                raise KeyError("the user went away")
        self.assertTrue(draft.closed)
        self.assertEqual(self.graph.revision, rev)
        self.assertEqual(len(self.user("ga@p1").customers()), 0)
        self.accepts("ga@p1", Field.DOMAIN_PREFIX, "interrupted")
        # an exception after submit: nothing to cancel, the customer stays, the error propagates
        with self.assertRaises(KeyError):
            with self.user("ga@p1").new_customer() as draft:
                fill(draft, "kept")
                draft.submit().close()
                raise KeyError("later")
        self.assertEqual(len(self.user("ga@p1").customers()), 1)

    def test_draft_is_freed_when_the_with_block_ends(self):
        with self.user("ga@p1").new_customer() as draft:
            pass
        self.assertTrue(draft.closed)
        with self.assertRaises(InvalidArgument) as caught:
            draft.company_name = "x"
        self.assertIn("closed", caught.exception.message)

    # -- the temporary password (DOMAIN §4.5) --

    def test_password_shown_once_and_strong(self):
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "pwonce")
            receipt = draft.submit()
        with receipt:
            password = receipt.password
            self.assertIsInstance(password, str)
            self.assertGreaterEqual(len(password), 16)
            self.assertFalse(set(password) & set("0O1lIi|o"))
            self.assertTrue(any(c.isupper() for c in password))
            self.assertTrue(any(c.islower() for c in password))
            self.assertTrue(any(c.isdigit() for c in password))
            self.assertTrue(any(not c.isalnum() for c in password))
            self.assertIsNone(receipt.password)
            self.assertIsNone(receipt.password)
            self.assertEqual(receipt.admin_user, "admin@pwonce.onmicrosoft.com")
            self.assertNotIn(password, repr(receipt))
        self.assertIsNone(receipt.password)  # closed: wiped
        self.assertEqual(receipt.admin_user, "admin@pwonce.onmicrosoft.com")  # copied

    def test_password_unread_before_close_is_gone(self):
        with self.user("ga@p1").new_customer() as draft:
            fill(draft, "pwlost")
            with draft.submit() as receipt:
                pass
        self.assertIsNone(receipt.password)

    def test_password_verifies_and_is_never_shown_again(self):
        made = self.make("ga@p1", "pwcheck", R1, 1)
        self.op.verify_password(made.admin, made.password)
        wrong = ("B" if made.password[0] == "A" else "A") + made.password[1:]
        for password in (wrong, "password"):
            with self.assertRaises(PermissionDenied):
                self.op.verify_password(made.admin, password)
        with self.assertRaises(PermissionDenied) as caught:
            self.user("ga@p1").verify_password(made.admin, made.password)
        self.assertIn("operator", caught.exception.message)
        with self.assertRaises(NotFound):
            self.op.verify_password("admin@nosuch.onmicrosoft.com", made.password)
        self.assertNotIn(made.password, self.state())
        other = self.make("ga@p1", "second")
        self.assertNotEqual(other.password, made.password)
        with self.assertRaises(PermissionDenied):
            self.op.verify_password(other.admin, made.password)

    # -- lists, filters, visibility --

    def test_customers_filtered_by_reseller(self):
        shared, own = self.make("ga@p1", "shared", R1), self.make("ga@p1", "own")
        self.assertEqual(sorted(self.user("ga@p1").customers()), sorted([shared.id, own.id]))
        self.assertEqual(list(self.user("ga@p1").customers(R1)), [shared.id])
        self.assertEqual(list(self.user("ga@p1").customers(R2)), [])

    def test_filter_by_shared_reseller_keeps_providers_apart(self):
        with self.user("ga@p2").invite() as invite:
            self.user("ga@r1").accept(invite.link)
        a, b = self.make("ga@p1", "viap1", R1), self.make("ga@p2", "viap2", R1)
        self.assertEqual(list(self.user("ga@p1").customers(R1)), [a.id])
        self.assertEqual(list(self.user("ga@p2").customers(R1)), [b.id])
        self.assertEqual(len(self.user("ga@r1").customers()), 2)
        self.assertRefused(NotFound, lambda: self.user("ga@p1").get_customer(b.id))

    def test_reseller_sees_only_shared_customers(self):
        shared, own = self.make("ga@p1", "shared", R1), self.make("ga@p1", "own")
        for user in ("ga@r1", "ua@r1", "aa@r1", "sa@r1"):
            self.assertEqual(list(self.user(user).customers()), [shared.id])
        self.assertEqual(self.user("ga@r1").get_customer(shared.id)["id"], shared.id)
        self.assertRefused(NotFound, lambda: self.user("ga@r1").get_customer(own.id))
        for user in ("ga@p2", "ga@r2", "ga@r3", "ga@d1"):
            self.assertEqual(list(self.user(user).customers()), [])

    def test_invisible_customer_reads_as_nonexistent(self):
        made = self.make("ga@p1", "hidden", R1)
        hidden = self.assertRefused(NotFound, lambda: self.user("ga@p2").get_customer(made.id))
        ghost = self.assertRefused(NotFound, lambda: self.user("ga@p2").get_customer(GHOST))
        self.assertEqual(hidden.message.replace(made.id, "<id>"),
                         ghost.message.replace(GHOST, "<id>"))

    def test_views_require_view_roles(self):
        made = self.make("ga@p1", "shared", R1)
        for user in ("ha@r1", "ba@r1", "ha@p1", "ba@p1"):
            self.assertRefused(PermissionDenied, self.user(user).customers, "Sales agent")
        self.assertRefused(PermissionDenied, lambda: self.user("ha@r1").get_customer(made.id))

    # -- removal --

    def test_removal_refused_while_associated_or_active(self):
        assoc = self.make("ga@p1", "assoc", R1)
        self.assertRefused(RuleViolation, lambda: self.user("ga@p1").remove_customer(assoc.id),
                           "reseller")
        active = self.make("ga@p1", "active", None, 2)
        self.user("ga@p1").set_subscription_status(active.subs[0], SubscriptionStatus.DELETED)
        self.assertRefused(RuleViolation, lambda: self.user("ga@p1").remove_customer(active.id),
                           "active")

    def test_removal_after_association_and_subscriptions_end(self):
        leaving, staying = self.make("ga@p1", "leaving", R1, 2), self.make("ga@p1", "staying")
        ga = self.user("ga@p1")
        ga.set_customer_reseller(leaving.id, None)
        for sid in leaving.subs:
            ga.set_subscription_status(sid, SubscriptionStatus.DELETED)
        ga.remove_customer(leaving.id)
        with self.assertRaises(NotFound):
            ga.get_customer(leaving.id)
        for sid in leaving.subs:
            with self.assertRaises(NotFound):
                ga.get_subscription(sid)
        self.assertEqual(list(ga.customers()), [staying.id])
        self.accepts("ga@p1", Field.DOMAIN_PREFIX, "leaving")
        self.graph.verify()

    def test_removal_by_non_seller_or_wrong_role_denied(self):
        made = self.make("ga@p1", "notyours")
        self.user("ga@p1").set_customer_reseller(made.id, R1)
        self.user("ga@p1").set_customer_reseller(made.id, None)
        for user in ("ga@r1", "aa@r1", "ua@p1", "sa@p1", "ha@p1", "ba@p1"):
            self.assertRefused(PermissionDenied, lambda: self.user(user).remove_customer(made.id))
        self.assertRefused(PermissionDenied, lambda: self.op.remove_customer(made.id))
        for user in ("ga@p2", "ga@d1"):
            self.assertRefused(NotFound, lambda: self.user(user).remove_customer(made.id))

    # -- the reseller association of an existing customer --

    def test_set_reseller_grants_delegated_admin(self):
        made = self.make("ga@p1", "later")
        self.assertFalse(self.user("aa@r1").may(Action.DELEGATED_ADMIN, made.id))
        self.user("sa@p1").set_customer_reseller(made.id, R1)
        self.assertTrue(self.user("aa@r1").may(Action.DELEGATED_ADMIN, made.id))
        self.assertIn(made.id, list(self.user("ga@r1").customers()))
        self.graph.verify()

    def test_set_reseller_refusals(self):
        made = self.make("ga@p1", "nopartner")
        for reseller in (R2, R3):
            self.assertRefused(RuleViolation, lambda: self.user("ga@p1").set_customer_reseller(
                made.id, reseller), "reseller")
        self.assertRefused(PermissionDenied, lambda: self.user("ga@r1").set_customer_reseller(
            made.id, None))
        self.assertRefused(NotFound, lambda: self.user("ga@p2").set_customer_reseller(
            made.id, None))
        self.assertRefused(PermissionDenied, lambda: self.user("ha@p1").set_customer_reseller(
            made.id, None))

    def test_draft_with_subscriptions_needs_order_roles(self):
        with self.user("ua@p1").new_customer() as draft:
            fill(draft, "uaorders")
            draft.add_subscription("offer-e3", 3)
            found = draft.review()
            self.assertEqual(len(found), 1)
            self.assertIsNone(found[0].field)  # the draft as a whole
            self.assertIn("Sales agent", found[0].message)
            self.assertRefused(InvalidArgument, draft.submit)
        with self.user("ua@p1").new_customer() as draft:
            fill(draft, "uanoorders")
            with draft.submit() as receipt:
                self.assertEqual(receipt.subscription_ids, ())
        self.assertIn(P1, self.user("ga@p1").get_customer(receipt.customer_id)
                      ["delegatedAdminPartners"])


if __name__ == "__main__":
    unittest.main()
