"""The operator's side (DOMAIN.md §1), as tests/unit/test_enroll.c: enrolment of each kind,
identifiers, agreements, corporate tenants, the official list of providers."""
import unittest

from fixture import D1, GHOST, P1, P2, R1, R2_PID, R3, Fixture

from tiergraph import (AlreadyExists, InvalidArgument, NotFound, PartnerKind, PermissionDenied)

NEW_P = "40000000-0000-4000-8000-000000000001"
NEW_R = "40000000-0000-4000-8000-000000000002"
NEW_D = "40000000-0000-4000-8000-000000000003"
CORP1 = "50000000-0000-4000-8000-000000000001"
CORP2 = "50000000-0000-4000-8000-000000000002"


class Enrolment(Fixture):
    def enroll(self, session, kind, tenant, pid="7000001", domain="new.example", country="US",
               name="Refused Ltd"):
        session.enroll(kind, tenant, partner_id=pid, name=name, domain=domain, country=country)

    def test_enroll_each_kind(self):
        cases = ((PartnerKind.INDIRECT_PROVIDER, NEW_P, "4847383", "newp.example",
                  "indirectProvider"),
                 (PartnerKind.INDIRECT_RESELLER, NEW_R, "5123456", "newr.example",
                  "indirectReseller"),
                 (PartnerKind.DIRECT_BILL, NEW_D, "6123456", "newd.example", "directBill"))
        for kind, tenant, pid, domain, kind_text in cases:
            rev = self.graph.revision
            before = len(self.op.partners(kind))
            self.enroll(self.op, kind, tenant, pid, domain, "gb", "New Partner")
            self.assertEqual(self.graph.revision, rev + 1)
            listed = list(self.op.partners(kind))
            self.assertEqual(len(listed), before + 1)
            self.assertIn(tenant, listed)
            profile = self.op.get_partner(tenant)
            self.assertEqual(profile["kind"], kind_text)
            self.assertEqual(profile["partnerId"], pid)
            self.assertEqual(profile["mpnId"], pid)
            self.assertEqual(profile["domain"], domain)
            self.assertEqual(profile["country"], "GB")
            self.assertIs(profile["agreementSigned"], False)
        self.graph.verify()

    def test_refuses_non_guid_tenant(self):
        for bad in ("not-a-guid", "40000000-0000-4000-8000-00000000000",
                    "{40000000-0000-4000-8000-000000000001}", ""):
            self.assertRefused(InvalidArgument, lambda: self.enroll(
                self.op, PartnerKind.INDIRECT_RESELLER, bad), "GUID" if bad else "tenant")
        self.assertRefused(InvalidArgument, lambda: self.enroll(
            self.op, PartnerKind.INDIRECT_RESELLER, None), "tenant")

    def test_refuses_non_numeric_partner_id(self):
        self.enroll(self.op, PartnerKind.INDIRECT_RESELLER, NEW_P, "1234567890",
                    domain="newp.example")
        for bad in ("12a4", "12345678901", " 123", "-123", "1.5", "\uff11\uff12", ""):
            self.assertRefused(InvalidArgument, lambda: self.enroll(
                self.op, PartnerKind.INDIRECT_RESELLER, NEW_R, bad), "numeric")

    def test_refuses_bad_country_and_stores_upper_case(self):
        for bad in ("USA", "1A", "U", "\u00e9\u00e9", ""):
            self.assertRefused(InvalidArgument, lambda: self.enroll(
                self.op, PartnerKind.DIRECT_BILL, NEW_D, country=bad), "country")
        self.enroll(self.op, PartnerKind.DIRECT_BILL, NEW_D, country="fr")
        self.assertEqual(self.op.get_partner(NEW_D)["country"], "FR")

    def test_refuses_bad_domain(self):
        for bad in ("nodot", "-bad.example", "a..b", "with space.example", ""):
            self.assertRefused(InvalidArgument, lambda: self.enroll(
                self.op, PartnerKind.INDIRECT_PROVIDER, NEW_P, domain=bad), "domain")

    def test_refuses_duplicates(self):
        self.assertRefused(AlreadyExists, lambda: self.enroll(
            self.op, PartnerKind.INDIRECT_RESELLER, R1), R1)
        self.assertRefused(AlreadyExists, lambda: self.enroll(
            self.op, PartnerKind.INDIRECT_RESELLER, NEW_R, R2_PID), R2_PID)
        self.assertRefused(AlreadyExists, lambda: self.enroll(
            self.op, PartnerKind.INDIRECT_RESELLER, NEW_R, domain="P1.Example"), "p1.example")
        customer = self.customer("ga@p1", "dupcust")
        self.assertRefused(AlreadyExists, lambda: self.enroll(
            self.op, PartnerKind.INDIRECT_RESELLER, customer), customer)
        self.enroll(self.op, PartnerKind.INDIRECT_RESELLER, NEW_R, name="Dup")
        self.assertEqual(self.op.get_partner(R1)["name"], "r1")  # not replaced

    def test_enroll_by_partner_user_denied(self):
        for user in ("ga@p1", "ua@p1", "ga@r1", "ga@d1"):
            self.assertRefused(PermissionDenied, lambda: self.enroll(
                self.user(user), PartnerKind.INDIRECT_RESELLER, NEW_R), "operator")

    def test_refuses_unknown_kind(self):
        for kind in (0, 4, -1):
            self.assertRefused(InvalidArgument, lambda: self.enroll(self.op, kind, NEW_R), "kind")
        with self.assertRaises(NotFound):
            self.op.get_partner(NEW_R)

    def test_agreement_recorded_by_operator(self):
        self.assertIs(self.op.get_partner(R3)["agreementSigned"], False)
        rev = self.graph.revision
        self.op.set_agreement(R3, True)
        self.assertEqual(self.graph.revision, rev + 1)
        self.assertIs(self.op.get_partner(R3)["agreementSigned"], True)
        with self.user("ga@p2").invite() as invite:
            self.user("ga@r3").accept(invite.link)  # the agreement lets R3 authorize
        self.op.set_agreement(R3, False)
        self.assertIs(self.op.get_partner(R3)["agreementSigned"], False)

    def test_agreement_refusals(self):
        self.assertRefused(PermissionDenied, lambda: self.user("ga@r3").set_agreement(R3),
                           "operator")
        self.assertRefused(NotFound, lambda: self.op.set_agreement(GHOST))
        self.assertRefused(InvalidArgument, lambda: self.op.set_agreement("not-a-guid"))
        self.assertRefused(InvalidArgument, lambda: self.op.set_agreement(None))

    def test_add_tenant_adds_corporate_tenant(self):
        rev = self.graph.revision
        self.op.add_tenant(P1, CORP1)
        self.assertEqual(self.graph.revision, rev + 1)
        profile = self.op.get_partner(P1)
        self.assertEqual(profile["tenants"], [CORP1])
        self.assertEqual(profile["tenantId"], P1)
        self.op.add_tenant(P1, CORP2)
        self.assertEqual(sorted(self.user("ga@p1").get_partner(P1)["tenants"]), [CORP1, CORP2])
        self.assertEqual(len(self.op.partners(PartnerKind.INDIRECT_PROVIDER)), 2)
        self.graph.verify()

    def test_add_tenant_refuses_tenant_in_use(self):
        self.op.add_tenant(P1, CORP1)
        customer = self.customer("ga@p1", "corpcust")
        for partner, tenant in ((P1, P1), (P1, P2), (P2, R1), (P1, CORP1), (P2, CORP1),
                                (D1, customer)):
            self.assertRefused(AlreadyExists, lambda: self.op.add_tenant(partner, tenant), tenant)
        self.assertEqual(self.op.get_partner(P2)["tenants"], [])

    def test_add_tenant_refusals(self):
        for user in ("ga@p1", "ua@p1", "ga@r1"):
            self.assertRefused(PermissionDenied, lambda: self.user(user).add_tenant(P1, CORP1),
                               "operator")
        self.assertRefused(NotFound, lambda: self.op.add_tenant(GHOST, CORP1))
        self.assertRefused(InvalidArgument, lambda: self.op.add_tenant(P1, "corp"))

    def test_official_list_of_providers(self):
        """Partner users may list the indirect providers, and only those."""
        for user in ("ga@r2", "sa@p1", "ga@d1"):
            self.assertEqual(sorted(self.user(user).partners(PartnerKind.INDIRECT_PROVIDER)),
                             [P1, P2])
        self.assertRefused(PermissionDenied, lambda: self.user("ga@p1").partners(
            PartnerKind.INDIRECT_RESELLER))
        self.assertEqual(len(self.op.partners(PartnerKind.INDIRECT_RESELLER)), 3)

    def test_profile_visibility(self):
        """The operator, the partner's own users and its partners read a profile."""
        self.assertEqual(self.user("sa@p1").get_partner(P1)["tenantId"], P1)
        self.assertEqual(self.user("ga@r1").get_partner(P1)["tenantId"], P1)
        self.assertEqual(self.user("ga@p1").get_partner(R1)["tenantId"], R1)
        with self.assertRaises(NotFound):
            self.user("ga@p2").get_partner(R1)


if __name__ == "__main__":
    unittest.main()
