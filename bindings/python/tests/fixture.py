"""The standard two-tier graph of the Python tests, as tests/unit/fixture.c builds it for C.

Tenants: P1 is partnered with R1; R2 signed but is not partnered; R3 never signed.
Users "<role>@<partner>": role one of ga ua aa sa ha ba, partner one of p1 p2 r1 r2
r3 d1 (e.g. "ga@p1" is P1's Global admin, "ha@r1" R1's Helpdesk agent).
"""
from __future__ import annotations

import json
import os
import tempfile
import unittest
from pathlib import Path
from typing import Callable, Dict, Iterable, NamedTuple, Optional, Type

import tiergraph
from tiergraph import CustomerSession, Draft, Option, PartnerKind, Role, Session

P1 = "10000000-0000-4000-8000-000000000001"  # indirect provider, PartnerID 1000001, p1.example
P2 = "10000000-0000-4000-8000-000000000002"  # indirect provider, PartnerID 1000002, p2.example
R1 = "20000000-0000-4000-8000-000000000001"  # indirect reseller, PartnerID 2000001, r1.example
R2 = "20000000-0000-4000-8000-000000000002"  # indirect reseller, PartnerID 2000002, r2.example
R3 = "20000000-0000-4000-8000-000000000003"  # indirect reseller, PartnerID 2000003, unsigned
D1 = "30000000-0000-4000-8000-000000000001"  # direct-bill, PartnerID 3000001, d1.example
R1_PID, R2_PID, R3_PID = "2000001", "2000002", "2000003"
GHOST = "99999999-9999-4999-8999-999999999999"  # a tenant nobody has
T0 = 1700000000  # a fixed clock: 2023-11-14 22:13:20 UTC
DAY = 86400
NEW_PASSWORD = "Tiergraph-2024"  # what sign_in() sets (customer_fx.h)

# Running against an ASan build with the runtime preloaded (docs/python.md): the loader then
# accepts sanitizer builds, and the quarantine of freed memory grows the RSS.
UNDER_ASAN = "libasan" in os.environ.get("LD_PRELOAD", "")

ROLE_NAMES = ("ga", "ua", "aa", "sa", "ha", "ba")
ROLE_OF = dict(zip(ROLE_NAMES, (Role.GLOBAL_ADMIN, Role.USER_ADMIN, Role.ADMIN_AGENT,
                                Role.SALES_AGENT, Role.HELPDESK_AGENT, Role.BILLING_ADMIN)))
PARTNERS = (  # kind, tenant, PartnerID, short name, signed
    (PartnerKind.INDIRECT_PROVIDER, P1, "1000001", "p1", True),
    (PartnerKind.INDIRECT_PROVIDER, P2, "1000002", "p2", True),
    (PartnerKind.INDIRECT_RESELLER, R1, R1_PID, "r1", True),
    (PartnerKind.INDIRECT_RESELLER, R2, R2_PID, "r2", True),
    (PartnerKind.INDIRECT_RESELLER, R3, R3_PID, "r3", False),
    (PartnerKind.DIRECT_BILL, D1, "3000001", "d1", True),
)
TENANT_OF = {short: tenant for _, tenant, _, short, _ in PARTNERS}


def cheap_argon2(graph: tiergraph.Graph) -> None:
    """The cheapest Argon2id verifiers libsodium allows: tests make many customers."""
    graph.set_option(tiergraph.Option.ARGON2_OPSLIMIT, 1)
    graph.set_option(tiergraph.Option.ARGON2_MEMLIMIT, 8192)


def fill(draft: Draft, prefix: str) -> None:
    """Valid details for <prefix>.onmicrosoft.com (fx_fill_draft)."""
    draft.update(company_name=f"Company {prefix}", domain_prefix=prefix,
                 email="billing@customer.example", culture="en-US", language="en",
                 address_line1="1 Main Street", city="Redmond", state="WA",
                 postal_code="98052", country="US", first_name="Gena", last_name="Soto")


class Cust(NamedTuple):
    """A customer made through the draft, with what its receipt showed once (cust in
    customer_fx.h)."""

    id: str
    admin: str
    password: str  # the temporary password
    sub: str  # its first subscription, "" without one

    def user(self, name: str) -> str:
        """A user name at the customer's own domain: ``name@<prefix>.onmicrosoft.com``."""
        return f"{name}@{self.admin.split('@', 1)[1]}"


class Fixture(unittest.TestCase):
    """A TestCase whose every test starts from the standard graph, on "mem:"."""

    def store_uri(self) -> str:
        return "mem:"

    def setUp(self) -> None:
        self.graph = tiergraph.Graph.open(self.store_uri())
        cheap_argon2(self.graph)
        self.op = self.graph.operator()
        self._sessions: Dict[str, Session] = {}
        for kind, tenant, pid, short, signed in PARTNERS:
            self.op.enroll(kind, tenant, partner_id=pid, name=short, domain=f"{short}.example",
                           country="US")
            if signed:
                self.op.set_agreement(tenant, True)
            for name in ROLE_NAMES:
                self.op.add_user(tenant, f"{name}@{short}", ROLE_OF[name])
        with self.user("ga@p1").invite() as invite:
            self.user("ga@r1").accept(invite.link)

    def tearDown(self) -> None:
        self.graph.close()  # closes every session, draft and iterator made from it

    def user(self, user_id: str) -> Session:
        """A session of a fixture user, kept for the test."""
        if user_id not in self._sessions:
            self._sessions[user_id] = self.graph.user(user_id)
        return self._sessions[user_id]

    def customer(self, user: str, prefix: str, reseller: Optional[str] = None,
                 nsubs: int = 0) -> str:
        """Create a customer through the draft flow; returns its id (fx_customer)."""
        return self.cust(user, prefix, reseller, nsubs).id

    def cust(self, user: str, prefix: str, reseller: Optional[str] = None,
             nsubs: int = 0, tenant: Optional[str] = None) -> Cust:
        """Create a customer through the draft flow, on an existing tenant if given;
        returns its ids and one-time credentials (cust_make)."""
        with self.user(user).new_customer() as draft:
            fill(draft, prefix)
            draft.update(reseller=reseller, tenant=tenant)
            for i in range(nsubs):
                draft.add_subscription("offer-e3", i + 1)
            with draft.submit() as receipt:
                password = receipt.password
                assert password is not None
                return Cust(receipt.customer_id, receipt.admin_user, password,
                            receipt.subscription_ids[0] if nsubs else "")

    def sign_in(self, c: Cust) -> CustomerSession:
        """The customer's admin sets NEW_PASSWORD and signs in (cust_sign_in)."""
        self.graph.change_customer_password(c.admin, c.password, NEW_PASSWORD)
        return self.graph.customer(c.admin, NEW_PASSWORD)

    def set_clock(self, t: int) -> None:
        self.graph.set_option(Option.CLOCK, t)

    def state(self) -> str:
        """Everything observable through the API, as text (fx_state): revision, lists,
        customers and subscriptions as each partner's Global admin sees them."""
        lines = [f"revision {self.graph.revision}"]
        for _, tenant, _, short, _ in PARTNERS:
            s = self.user(f"ga@{short}")
            lines.append(f"== ga@{short}")
            for title, call in (("resellers", s.resellers), ("providers", s.providers),
                                ("users", lambda: s.users(tenant)),
                                ("partner", lambda: [json.dumps(s.get_partner(tenant))])):
                lines.append(f"{title}: {_listed(call)}")
            for cid in _safe(lambda: list(s.customers())):
                lines.append(f"customer {json.dumps(s.get_customer(cid), sort_keys=True)}")
                for sid in _safe(lambda: list(s.subscriptions(cid))):
                    lines.append(f"  subscription "
                                 f"{json.dumps(s.get_subscription(sid), sort_keys=True)}")
        return "\n".join(lines)

    def assertRefused(self, error: Type[tiergraph.TiergraphError], call: Callable[[], object],
                      *words: str) -> tiergraph.TiergraphError:
        """``call`` raises exactly ``error``, whose message names every word, and
        nothing observable changes (REFUSED and MSG_HAS of fixture.h, with fx_state)."""
        before = self.state()
        with self.assertRaises(tiergraph.TiergraphError) as caught:
            call()
        exc = caught.exception
        self.assertIs(type(exc), error, f"{exc!r}")
        self.assertEqual(int(exc.code), int(error.code_of_class))
        for word in words:
            self.assertIn(word, exc.message)
        self.assertEqual(self.state(), before, "refused, yet the graph changed")
        return exc


class StoreFixture(Fixture):
    """The standard graph on a "file:" store in a temporary directory; reopen() closes
    the graph and opens the store again, as a restart would (fx_reload)."""

    scheme = "file"

    def store_uri(self) -> str:
        self._tmp = tempfile.TemporaryDirectory(prefix="tiergraph-test-")
        self.addCleanup(self._tmp.cleanup)
        self.path = Path(self._tmp.name) / "graph.tg"
        return f"{self.scheme}:{self.path}"

    def reopen(self) -> tiergraph.Graph:
        """Close the graph (and every session of it), open its store again, verify it."""
        uri = self.graph.uri
        self.graph.close()
        self._sessions.clear()
        self.graph = tiergraph.Graph.open(uri)
        cheap_argon2(self.graph)
        self.op = self.graph.operator()
        self.graph.verify()
        return self.graph

    def stored_bytes(self) -> bytes:
        """Every byte of the store on disk (a SQLite database with its WAL)."""
        files = [self.path, Path(f"{self.path}-wal")]
        return b"".join(p.read_bytes() for p in files if p.exists())


def _listed(call: Callable[[], Iterable[str]]) -> str:
    try:
        return " ".join(sorted(call()))
    except tiergraph.TiergraphError as exc:
        return f"refused {int(exc.code)}"


def _safe(call: Callable[[], list]) -> list:
    try:
        return sorted(call())
    except tiergraph.TiergraphError:
        return []
