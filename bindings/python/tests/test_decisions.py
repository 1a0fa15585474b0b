"""Decisions (DOMAIN.md §2), as tests/unit/test_policy.c: the role matrix through check, may
and explain, which must agree with each other and with the operations."""
import unittest

from fixture import R1, Fixture

from tiergraph import (ACTION_LAST, Action, ErrorCode, Explanation, InvalidArgument, NotFound,
                       PermissionDenied, Role, RuleViolation)

ROLES = ("ga", "ua", "aa", "sa", "ha", "ba")
KINDS = {"p1": "P", "r1": "R", "d1": "D"}
# action: (roles GA UA AA SA HA BA, partner kinds, operator), from DOMAIN.md §2
MATRIX = {
    Action.VIEW_PARTNERS: ("xxxx..", "PRD", False),
    Action.VIEW_CUSTOMER: ("xxxx..", "PRD", False),
    Action.INVITE_SEND: ("xxxx..", "P", False),
    Action.INVITE_ACCEPT: ("x.....", "R", False),
    Action.PARTNERSHIP_REMOVE: ("x.....", "P", False),
    Action.CUSTOMER_CREATE: ("xxxx..", "PD", False),
    Action.ORDER_PLACE: ("x.xxxx", "PD", False),
    Action.SUBSCRIPTION_SET_RESELLER: ("x.xx..", "P", False),
    Action.SUBSCRIPTION_SET_SUPPORT: ("x.x.x.", "PD", False),
    Action.DELEGATED_ADMIN: ("..x...", "PRD", False),
    Action.USERS_MANAGE: ("xx....", "PRD", True),
    Action.GLOBAL_ADMIN_GRANT: ("x.....", "PRD", True),
    Action.BILLING_VIEW: ("x.x..x", "PRD", False),
    Action.CUSTOMER_REMOVE: ("x.x...", "PD", False),
    Action.VIEW_SUBSCRIPTION: ("xxxxxx", "PRD", False),
    Action.PARTNER_ENROLL: ("......", "", True),
    # 0.2 (DOMAIN.md §6); the last four are customers' own (test_signin.py)
    Action.RELATIONSHIP_REQUEST: ("x.xx..", "PD", False),
    Action.RELATIONSHIP_ACCEPT: ("......", "", False),
    Action.SUBSCRIPTION_RECORD: ("......", "", False),
    Action.SUBSCRIPTION_HIRE: ("......", "", False),
    Action.SUBSCRIPTION_MOVE: ("......", "", False),
}


class Decisions(Fixture):
    def test_matrix_covers_every_action(self):
        self.assertEqual(set(MATRIX), set(Action))

    def test_every_cell_answers_as_the_matrix_says(self):
        for action, (roles, kinds, operator) in MATRIX.items():
            for partner, kind in KINDS.items():
                for i, role in enumerate(ROLES):
                    session = self.user(f"{role}@{partner}")
                    expected = roles[i] == "x" and kind in kinds
                    explained = session.explain(action)
                    self.assertIsInstance(explained, Explanation)
                    self.assertEqual(session.may(action), expected, f"{action!r} {role}@{partner}")
                    self.assertEqual(bool(explained), expected)
                    self.assertTrue(explained.reason)
                    if expected:
                        self.assertEqual(explained.code, ErrorCode.OK)
                        session.check(action)
                    else:
                        self.assertEqual(explained.code, ErrorCode.EDENIED)
                        with self.assertRaises(PermissionDenied) as caught:
                            session.check(action)
                        self.assertEqual(caught.exception.message, explained.reason)
            self.assertEqual(self.op.may(action), operator, f"{action!r} operator")

    def test_denial_names_the_missing_role(self):
        with self.assertRaises(PermissionDenied) as caught:
            self.user("ha@p1").check(Action.CUSTOMER_CREATE)
        for role in ("Global admin", "User management admin", "Admin agent", "Sales agent"):
            self.assertIn(role, caught.exception.message)

    def test_several_roles_give_the_union(self):
        self.op.add_user("10000000-0000-4000-8000-000000000001", "mixed@p1",
                         Role.HELPDESK_AGENT | Role.BILLING_ADMIN)
        mixed = self.graph.user("mixed@p1")
        self.assertTrue(mixed.may(Action.BILLING_VIEW))
        self.assertTrue(mixed.may(Action.SUBSCRIPTION_SET_SUPPORT))
        self.assertFalse(mixed.may(Action.CUSTOMER_CREATE))

    def test_object_answers_rules_and_visibility(self):
        customer = self.customer("ga@p1", "decided", R1)
        self.assertTrue(self.user("aa@r1").may(Action.DELEGATED_ADMIN, customer))
        self.user("ga@p1").remove_partnership(R1, confirm=True, attest_good_faith=True)
        explained = self.user("ga@p1").explain(Action.CUSTOMER_CREATE, R1)
        self.assertEqual(explained, (False, ErrorCode.ESTATE, explained.reason))
        with self.assertRaises(RuleViolation):
            self.user("ga@p1").check(Action.CUSTOMER_CREATE, R1)
        with self.assertRaises(NotFound):
            self.user("aa@r2").check(Action.DELEGATED_ADMIN, customer)
        self.assertEqual(self.user("aa@r2").explain(Action.DELEGATED_ADMIN, customer).code,
                         ErrorCode.ENOTFOUND)

    def test_unknown_action_is_invalid(self):
        # The first value above the library's last action (TG_ACT_LAST_, which
        # test_enums_match_every_enum_of_the_headers ties to ACTION_LAST).
        for action in (0, int(ACTION_LAST) + 1, -1):
            with self.assertRaises(InvalidArgument):
                self.user("ga@p1").check(action)
            with self.assertRaises(InvalidArgument):
                self.user("ga@p1").may(action)
            with self.assertRaises(InvalidArgument):
                self.user("ga@p1").explain(action)


if __name__ == "__main__":
    unittest.main()
