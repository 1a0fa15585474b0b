"""The graph itself, as tests/unit/test_graph.c: opening, options, revision, statistics,
verification, and what closing does to the objects made from it."""
import unittest

from fixture import P1, R1, Fixture, cheap_argon2, fill

import tiergraph
from tiergraph import (Graph, InvalidArgument, NotFound, Option, PartnerKind, Role, StoreStat)


class Opening(unittest.TestCase):
    def test_mem_gives_an_empty_graph(self):
        with Graph.open("mem:") as graph:
            self.assertEqual(graph.revision, 0)
            self.assertEqual(graph.uri, "mem:")
            with graph.operator() as op:
                for kind in PartnerKind:
                    self.assertEqual(list(op.partners(kind)), [])
            graph.verify()
        self.assertTrue(graph.closed)

    def test_default_uri_is_mem(self):
        with Graph.open() as graph:
            self.assertEqual(graph.uri, "mem:")

    def test_nothing_survives_close_of_mem(self):
        with Graph.open("mem:") as graph:
            graph.operator().enroll(PartnerKind.DIRECT_BILL, P1, partner_id="1", name="x",
                                    domain="x.example", country="US")
        with Graph.open("mem:") as graph:
            self.assertEqual(graph.revision, 0)

    def test_unknown_schemes_refused_with_the_c_message(self):
        for uri in ("", "nope:", "mem", "memory:", "MEM:"):
            with self.assertRaises(InvalidArgument) as caught:
                Graph.open(uri)
            self.assertTrue(caught.exception.message)
        with self.assertRaises(InvalidArgument) as caught:
            Graph.open("nope:")
        self.assertIn("nope:", caught.exception.message)
        with self.assertRaises(InvalidArgument):
            Graph.open(None)

    def test_unknown_user_session_not_found(self):
        with Graph.open() as graph:
            with self.assertRaises(NotFound):
                graph.user("nobody@x.example")
            with self.assertRaises(InvalidArgument):
                graph.user("")


class Options(unittest.TestCase):
    def setUp(self):
        self.graph = Graph.open()
        self.addCleanup(self.graph.close)

    def test_values_in_range_accepted(self):
        cheap_argon2(self.graph)
        for option, value in ((Option.INVITE_LIFETIME, 60), (Option.CLOCK, 1700000000),
                              (Option.CLOCK, 0)):
            self.graph.set_option(option, value)

    def test_out_of_range_refused(self):
        for option, value in ((Option.ARGON2_OPSLIMIT, 0), (Option.ARGON2_MEMLIMIT, 100),
                              (Option.INVITE_LIFETIME, 0), (99, 1), (0, 1)):
            with self.assertRaises(InvalidArgument) as caught:
                self.graph.set_option(option, value)
            self.assertTrue(caught.exception.message)

    def test_values_beyond_int64_refused_before_the_call(self):
        with self.assertRaises(InvalidArgument) as caught:
            self.graph.set_option(Option.CLOCK, 2 ** 63)
        self.assertIn("tg_graph_set_option", caught.exception.message)
        with self.assertRaises(TypeError):
            self.graph.set_option(Option.CLOCK, "1700000000")

    def test_mem_has_no_durability_nor_statistics(self):
        with self.assertRaises(InvalidArgument):
            self.graph.set_option(Option.DURABILITY, 2)
        with self.assertRaises(InvalidArgument):
            self.graph.store_stat(StoreStat.STORE_BYTES)


class Revision(Fixture):
    def test_counts_each_successful_write_once(self):
        rev = self.graph.revision
        self.op.add_user(P1, "new@p1", Role.SALES_AGENT)
        self.assertEqual(self.graph.revision, rev + 1)
        with self.assertRaises(tiergraph.AlreadyExists):
            self.op.add_user(P1, "new@p1", Role.SALES_AGENT)
        self.assertEqual(self.graph.revision, rev + 1)
        self.customer("ga@p1", "revision", R1, 2)  # one write, however many records
        self.assertEqual(self.graph.revision, rev + 2)
        self.graph.verify()


class Closing(Fixture):
    def test_close_closes_sessions_drafts_and_iterators_first(self):
        session = self.user("ga@p1")
        draft = session.new_customer()
        ids = session.customers()
        receipt_draft = session.new_customer()
        fill(receipt_draft, "survivor")
        receipt = receipt_draft.submit()
        invite = session.invite()
        self.graph.close()
        for handle in (self.graph, session, draft, ids, receipt_draft):
            self.assertTrue(handle.closed, repr(handle))
        # receipts and invitations are self-contained: they outlive the graph
        self.assertFalse(receipt.closed)
        self.assertIsNotNone(receipt.password)
        self.assertIn("token=", invite.link)
        receipt.close()
        invite.close()

    def test_closed_objects_refuse_use_with_invalid_argument(self):
        session = self.user("ga@p1")
        ids = session.customers(R1)
        self.graph.close()
        for call in (lambda: self.graph.revision, self.graph.operator, session.invite,
                     lambda: session.customers(), lambda: next(ids)):
            with self.assertRaises(InvalidArgument) as caught:
                call()
            self.assertIn("closed", caught.exception.message)

    def test_close_is_idempotent_and_sessions_close_alone(self):
        session = self.graph.operator()
        session.close()
        session.close()
        self.assertTrue(session.closed)
        self.assertFalse(self.graph.closed)
        self.graph.close()
        self.graph.close()


if __name__ == "__main__":
    unittest.main()
