"""Partner users and their roles (DOMAIN.md §2), as tests/unit/test_users.c: who adds,
changes and removes users, the Global admin rule, sessions that follow the graph."""
import unittest

from fixture import D1, P1, P2, R1, R2, R3, Fixture, fill

from tiergraph import (ROLE_ALL, Action, AlreadyExists, InvalidArgument, NotFound,
                       PermissionDenied, Role)

GA, UA, AA, SA, HA, BA = (Role.GLOBAL_ADMIN, Role.USER_ADMIN, Role.ADMIN_AGENT,
                          Role.SALES_AGENT, Role.HELPDESK_AGENT, Role.BILLING_ADMIN)
NEW_P = "40000000-0000-4000-8000-000000000001"


class Users(Fixture):
    def roles_of(self, user):
        return self.op.roles(user)

    def exists(self, user):
        try:
            self.op.roles(user)
            return True
        except NotFound:
            return False

    def users_of(self, tenant):
        return len(self.op.users(tenant))

    def test_operator_adds_first_global_admin(self):
        self.op.enroll(1, NEW_P, partner_id="7000001", name="New", domain="new.example",
                       country="US")
        self.assertEqual(self.users_of(NEW_P), 0)
        self.op.add_user(NEW_P, "boss@new.example", GA)
        self.assertEqual(self.roles_of("boss@new.example"), GA)
        boss = self.graph.user("boss@new.example")
        boss.add_user(NEW_P, "second@new.example", SA | HA)  # the first admin adds others
        self.assertEqual(sorted(boss.users(NEW_P)), ["boss@new.example", "second@new.example"])

    def test_global_and_user_admin_add_users_to_own_partner(self):
        for admin, tenant, new, roles in (("ga@p1", P1, "n1@p1", SA), ("ua@p1", P1, "n2@p1",
                                                                         AA | HA),
                                          ("ga@r2", R2, "n1@r2", BA), ("ua@d1", D1, "n1@d1", UA)):
            rev, before = self.graph.revision, self.users_of(tenant)
            self.user(admin).add_user(tenant, new, roles)
            self.assertEqual(self.graph.revision, rev + 1)
            self.assertEqual(self.users_of(tenant), before + 1)
            self.assertEqual(self.roles_of(new), roles)
            self.assertIn(new, list(self.op.users(tenant)))

    def test_other_roles_cannot_add_users(self):
        for user, tenant in (("aa@p1", P1), ("sa@p1", P1), ("ha@p1", P1), ("ba@p1", P1),
                             ("aa@r1", R1), ("ba@d1", D1)):
            self.assertRefused(PermissionDenied, lambda: self.user(user).add_user(
                tenant, "new@x.example", SA), "User management admin", "Global admin")
            self.assertFalse(self.exists("new@x.example"))
            error = PermissionDenied if tenant == P1 else NotFound
            self.assertRefused(error, lambda: self.user(user).set_roles("ha@p1", BA))
        self.assertRefused(PermissionDenied, lambda: self.user("aa@p1").remove_user("ha@p1"),
                           "User management admin")
        self.assertEqual(self.roles_of("ha@p1"), HA)

    def test_nobody_adds_users_to_another_partner(self):
        for user, other in (("ga@p1", P2), ("ua@p1", R1), ("ga@r1", P1)):
            self.assertRefused(PermissionDenied, lambda: self.user(user).add_user(
                other, "intruder@x.example", GA | UA), "own partner")
        self.assertRefused(NotFound, lambda: self.user("ga@d1").add_user(
            R3, "intruder@x.example", GA), "no partner with tenant")
        self.assertRefused(NotFound, lambda: self.user("ga@p1").set_roles("sa@p2", GA))
        self.assertRefused(NotFound, lambda: self.user("ga@p1").remove_user("sa@p2"))
        self.assertEqual(self.roles_of("sa@p2"), SA)

    def test_user_admin_cannot_touch_global_admin(self):
        ua = self.user("ua@p1")
        self.assertRefused(PermissionDenied, lambda: ua.add_user(P1, "boss@p1", GA),
                           "Global admin")
        self.assertRefused(PermissionDenied, lambda: ua.set_roles("sa@p1", SA | GA))
        self.assertRefused(PermissionDenied, lambda: ua.set_roles("ga@p1", SA))
        self.assertRefused(PermissionDenied, lambda: ua.set_roles("ga@p1", GA | AA))
        self.assertRefused(PermissionDenied, lambda: ua.remove_user("ga@p1"), "Global admin")
        self.assertTrue(self.exists("ga@p1"))
        # everything else it may do
        ua.add_user(P1, "clerk@p1", SA)
        ua.set_roles("clerk@p1", SA | BA)
        self.assertEqual(self.roles_of("clerk@p1"), SA | BA)
        ua.remove_user("clerk@p1")
        self.assertFalse(self.exists("clerk@p1"))

    def test_global_admin_grants_and_revokes_global_admin(self):
        ga = self.user("ga@p1")
        rev = self.graph.revision
        ga.add_user(P1, "boss@p1", GA)
        ga.set_roles("sa@p1", SA | GA)
        self.assertEqual(self.roles_of("sa@p1"), SA | GA)
        ga.set_roles("boss@p1", AA)
        self.assertEqual(self.roles_of("boss@p1"), AA)
        ga.remove_user("sa@p1")
        self.assertFalse(self.exists("sa@p1"))
        self.assertEqual(self.graph.revision, rev + 4)
        self.op.set_roles("ua@p1", UA | GA)  # the operator may too
        self.user("ua@p1").set_roles("ha@p1", HA | GA)  # now a Global admin itself

    def test_roles_must_be_known_and_not_empty(self):
        for bad in (0, 0x40, 0x80 | SA, 0x80000000):
            self.assertRefused(InvalidArgument, lambda: self.op.add_user(P1, "new@p1", bad),
                               "roles")
            self.assertRefused(InvalidArgument, lambda: self.user("ga@p1").set_roles(
                "sa@p1", bad), "roles")
        self.assertRefused(InvalidArgument, lambda: self.op.add_user(P1, "new@p1", 1 << 32))
        self.assertRefused(InvalidArgument, lambda: self.op.add_user(P1, "new@p1", -1))
        self.op.add_user(P1, "new@p1", ROLE_ALL)
        self.assertEqual(self.roles_of("new@p1"), ROLE_ALL)

    def test_duplicate_user_id_refused(self):
        self.assertRefused(AlreadyExists, lambda: self.user("ga@p1").add_user(P1, "sa@p1", AA),
                           "sa@p1")
        self.assertRefused(AlreadyExists, lambda: self.user("ga@p2").add_user(P2, "sa@p1", SA))
        self.assertNotIn("sa@p1", list(self.op.users(P2)))

    def test_user_roles_reads_own_partner_users(self):
        for name, role in zip(("ga", "ua", "aa", "sa", "ha", "ba"), (GA, UA, AA, SA, HA, BA)):
            self.assertEqual(self.user("ga@r2").roles(f"{name}@r2"), role)
            self.assertEqual(self.op.roles(f"{name}@r2"), role)
        with self.assertRaises(NotFound):
            self.user("ga@p1").roles("ga@r2")
        with self.assertRaises(NotFound):
            self.op.roles("nobody@x.example")
        with self.assertRaises(InvalidArgument):
            self.op.roles(None)

    def test_users_lists_exactly_the_partners_users(self):
        expected = sorted(f"{name}@p1" for name in ("ga", "ua", "aa", "sa", "ha", "ba"))
        for admin in ("ga@p1", "ua@p1"):
            self.assertEqual(sorted(self.user(admin).users(P1)), expected)
        self.user("ga@p1").add_user(P1, "new@p1", SA)
        self.user("ga@p1").remove_user("ha@p1")
        listed = list(self.user("ga@p1").users(P1))
        self.assertEqual(len(listed), 6)
        self.assertIn("new@p1", listed)
        self.assertNotIn("ha@p1", listed)
        self.assertRefused(PermissionDenied, lambda: self.user("aa@p1").users(P1),
                           "User management admin")
        self.assertRefused(NotFound, lambda: self.user("ga@p1").users(R2))

    def test_removed_user_session_refused(self):
        sa = self.user("sa@p1")
        sa.new_customer().close()
        self.user("ua@p1").remove_user("sa@p1")
        self.assertRefused(PermissionDenied, sa.new_customer, "sa@p1")
        self.assertRefused(PermissionDenied, lambda: sa.customers())
        self.assertFalse(sa.may(Action.CUSTOMER_CREATE))
        self.assertRefused(PermissionDenied, sa.invite)
        with self.assertRaises(NotFound):
            self.graph.user("sa@p1")
        self.assertRefused(NotFound, lambda: self.user("ga@p1").remove_user("sa@p1"))

    def test_role_change_applies_to_open_session(self):
        ha = self.user("ha@p1")
        self.assertRefused(PermissionDenied, ha.new_customer, "Sales agent")
        self.user("ga@p1").set_roles("ha@p1", SA)
        with ha.new_customer() as draft:  # the same session, next call: a sales agent
            fill(draft, "promoted")
            draft.submit().close()
        self.user("ua@p1").set_roles("ha@p1", HA)
        self.assertRefused(PermissionDenied, ha.new_customer)
        rev = self.graph.revision
        self.user("ua@p1").set_roles("ha@p1", HA)  # the same roles again: nothing written
        self.assertEqual(self.graph.revision, rev)


if __name__ == "__main__":
    unittest.main()
