"""The change feed, the change hook, and JSON interop through the bindings, as
tests/unit/test_feed.c and test_interop.c: events in order with actor and action, a hook
that reads the graph, replacing and clearing it, exceptions kept out of C, retention,
export -> import -> export, a refused import, and the Partner Center relationship lists."""
import gc
import json
import unittest

from fixture import P1, P2, R1, R2, Fixture

import tiergraph
from tiergraph import Expired, Graph, InvalidArgument, Option, PermissionDenied, Role


class Feed(Fixture):
    def test_events_of_writes_in_order_with_actor_and_action(self):
        rev = self.graph.revision
        self.user("ga@p1").add_user(P1, "new@p1", Role.SALES_AGENT)
        self.op.set_agreement(R2, False)
        self.user("ga@p1").remove_user("new@p1")
        events = self.op.changes(since=rev)
        self.assertEqual([e["revision"] for e in events], [rev + 1, rev + 2, rev + 3])
        self.assertEqual([e["action"] for e in events],
                         ["tg_user_add", "tg_partner_set_agreement", "tg_user_remove"])
        self.assertEqual(events[0]["actor"], {"type": "user", "id": "ga@p1", "partner": P1})
        self.assertEqual(events[1]["actor"], {"type": "operator"})
        self.assertEqual(events[0]["objects"],
                         [{"type": "user", "id": "new@p1", "change": "create"}])
        self.assertEqual(events[2]["objects"][0]["change"], "delete")
        # since and limit
        self.assertEqual(self.op.changes(since=rev + 1, limit=1), events[1:2])
        self.assertEqual(len(self.op.changes()), self.graph.revision)
        self.assertEqual(self.op.changes(since=self.graph.revision), [])

    def test_only_the_operator_reads_the_feed(self):
        with self.assertRaises(PermissionDenied):
            self.user("ga@p1").changes()
        with self.assertRaises(InvalidArgument):
            self.op.changes(since=self.graph.revision + 1)

    def test_retention_keeps_the_newest_events(self):
        self.graph.set_option(Option.CHANGE_RETENTION, 2)
        for i in range(3):
            self.op.add_user(P1, f"k{i}@p1", Role.SALES_AGENT)
        rev = self.graph.revision
        self.assertEqual([e["revision"] for e in self.op.changes(since=rev - 2)], [rev - 1, rev])
        with self.assertRaises(Expired) as caught:
            self.op.changes()
        self.assertIn(str(rev - 1), caught.exception.message)  # the oldest one still kept
        with self.assertRaises(InvalidArgument):
            self.graph.set_option(Option.CHANGE_RETENTION, -1)


class Hooks(Fixture):
    def test_hook_receives_each_event_and_may_read_the_graph(self):
        seen = []
        reader = self.graph.operator()

        def hook(revision, event):
            # called after the commit, outside the write lock: reads see the write
            seen.append((revision, event, self.graph.revision, reader.get_partner(P2)["name"]))

        self.graph.on_change(hook)
        rev = self.graph.revision
        self.op.add_user(P2, "h1@p2", Role.SALES_AGENT)
        self.user("ga@p2").add_user(P2, "h2@p2", Role.HELPDESK_AGENT)
        self.assertEqual([s[0] for s in seen], [rev + 1, rev + 2])
        self.assertEqual([s[1] for s in seen], self.op.changes(since=rev))
        self.assertEqual([s[2] for s in seen], [rev + 1, rev + 2])
        self.assertEqual([s[3] for s in seen], ["p2", "p2"])
        self.assertEqual(self.graph.hook_errors, [])
        # a refused write has no event and calls no hook
        with self.assertRaises(tiergraph.AlreadyExists):
            self.op.add_user(P2, "h1@p2", Role.SALES_AGENT)
        self.assertEqual(len(seen), 2)

    def test_replacing_and_clearing_the_hook(self):
        first, second = [], []
        self.graph.on_change(lambda rev, ev: first.append(rev))
        self.op.add_user(P1, "c1@p1", Role.SALES_AGENT)
        self.graph.on_change(lambda rev, ev: second.append(rev))
        gc.collect()  # the first callback's thunk may go: the library no longer calls it
        self.op.add_user(P1, "c2@p1", Role.SALES_AGENT)
        self.assertEqual((len(first), len(second)), (1, 1))
        self.graph.on_change(None)
        self.assertIsNone(self.graph._hook.thunk)
        self.op.add_user(P1, "c3@p1", Role.SALES_AGENT)
        self.assertEqual((len(first), len(second)), (1, 1))

    def test_a_hook_that_raises_does_not_reach_the_write(self):
        def hook(revision, event):
            raise ValueError(f"boom at {revision}")

        self.graph.on_change(hook)
        rev = self.graph.revision
        self.op.add_user(P1, "e1@p1", Role.SALES_AGENT)  # returns normally
        self.op.add_user(P1, "e2@p1", Role.SALES_AGENT)
        self.assertEqual(self.graph.revision, rev + 2)
        self.assertEqual([str(e) for e in self.graph.hook_errors],
                         [f"boom at {rev + 1}", f"boom at {rev + 2}"])
        self.assertTrue(all(type(e) is ValueError for e in self.graph.hook_errors))

    def test_a_hook_may_write_and_replace_itself(self):
        seen = []

        def once(revision, event):
            seen.append(event["action"])
            self.graph.on_change(lambda rev, ev: seen.append(ev["action"]))  # from inside
            self.op.set_agreement(R2, False)  # delivered after this call returns

        self.graph.on_change(once)
        self.op.add_user(P1, "w1@p1", Role.SALES_AGENT)
        self.assertEqual(seen, ["tg_user_add", "tg_partner_set_agreement"])
        self.assertEqual(self.graph.hook_errors, [])


class Interop(Fixture):
    def test_export_import_into_a_fresh_graph_exports_the_same(self):
        self.customer("ga@p1", "contoso", R1, nsubs=2)
        text = self.op.export(as_text=True)
        document = self.op.export()
        self.assertEqual(document["format"], "tiergraph-export")
        self.assertEqual(document, json.loads(text))
        for source in (text, document):  # as text and as a dict
            with Graph.open("mem:") as fresh:
                op = fresh.operator()
                seen = []
                fresh.on_change(lambda rev, ev: seen.append(ev["action"]))
                op.import_(source)
                self.assertEqual(fresh.revision, 1)  # one write
                self.assertEqual(seen, ["tg_import"])
                self.assertEqual(op.export(as_text=True), text)
                fresh.verify()

    def test_malformed_json_is_refused_and_changes_nothing(self):
        rev = self.graph.revision
        exc = self.assertRefused(InvalidArgument, lambda: self.op.import_('{"format":'),
                                 "line 1, column 11")
        self.assertEqual(self.graph.revision, rev)
        self.assertEqual(len(self.op.changes(since=rev)), 0)
        self.assertIn("byte 10", exc.message)

    def test_importing_the_graph_into_itself_already_exists(self):
        document = self.op.export()
        self.assertRefused(tiergraph.AlreadyExists, lambda: self.op.import_(document))

    def test_export_and_import_are_the_operators(self):
        document = self.op.export()
        with self.assertRaises(PermissionDenied):
            self.user("ga@p1").export()
        self.assertRefused(PermissionDenied, lambda: self.user("ga@p1").import_(document))

    def test_relationship_lists_in_partner_center_shape(self):
        resellers = self.user("ga@p1").resellers_json()
        self.assertEqual(resellers["totalCount"], 1)
        self.assertEqual(resellers["attributes"], {"objectType": "Collection"})
        (item,) = resellers["items"]
        self.assertEqual(item["id"], R1)
        self.assertEqual(item["relationshipType"], "is_indirect_cloud_solution_provider_of")
        self.assertEqual(item["mpnId"], "2000001")
        providers = self.user("ga@r1").providers_json()
        self.assertEqual([i["id"] for i in providers["items"]], [P1])
        self.assertEqual(providers["items"][0]["relationshipType"], "is_indirect_reseller_of")
        self.assertEqual(self.user("ga@r2").providers_json()["totalCount"], 0)
        with self.assertRaises(PermissionDenied):
            self.user("ga@r1").resellers_json()


if __name__ == "__main__":
    unittest.main()
