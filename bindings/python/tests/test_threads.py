"""Threads share a Graph (docs/threading.md): readers make checks and lists in parallel
while a writer adds customers, subscriptions and users; each thread uses its own sessions."""
import gc
import threading
import unittest

from fixture import P1, R1, R1_PID, Fixture, fill

from tiergraph import Action, Role, live_handles

READERS = 4
CUSTOMERS = 40


class SharedGraph(Fixture):
    def test_readers_and_a_writer(self):
        failures = []
        done = threading.Event()
        start = threading.Barrier(READERS + 1)
        created = []

        def reader(n):
            try:
                # sessions are made here, concurrently, from the shared graph
                provider = self.graph.user("sa@p1")
                reseller = self.graph.user("aa@r1")
                start.wait()
                last_revision, rounds = 0, 0
                while not done.is_set() or rounds == 0:
                    revision = self.graph.revision
                    self.assertGreaterEqual(revision, last_revision)
                    last_revision = revision
                    customers = list(provider.customers(R1))
                    for cid in customers[-3:]:
                        self.assertEqual(provider.get_customer(cid)["associatedPartnerId"], R1)
                        self.assertTrue(reseller.may(Action.DELEGATED_ADMIN, cid))
                        self.assertTrue(len(provider.subscriptions(cid)) >= 1)
                    self.assertEqual(list(provider.resellers()), [R1])
                    self.assertTrue(provider.may(Action.CUSTOMER_CREATE, R1))
                    self.assertFalse(reseller.may(Action.CUSTOMER_CREATE))
                    rounds += 1
                provider.close()
                reseller.close()
            except BaseException as exc:  # reported by the main thread
                failures.append((n, exc))

        def writer():
            try:
                ga = self.graph.user("ga@p1")
                start.wait()
                for i in range(CUSTOMERS):
                    with ga.new_customer(reseller=R1) as draft:
                        fill(draft, f"threaded{i}")
                        draft.add_subscription("offer-e3", 1)
                        with draft.submit() as receipt:
                            created.append(receipt.customer_id)
                    ga.add_subscription(created[-1], "offer-x", 2, reseller_partner_id=R1_PID)
                    ga.add_user(P1, f"temp{i}@p1", Role.SALES_AGENT)
                    ga.remove_user(f"temp{i}@p1")
                ga.close()
            except BaseException as exc:
                failures.append(("writer", exc))
            finally:
                done.set()

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
        threads.append(threading.Thread(target=writer))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        self.assertEqual(failures, [])
        self.assertEqual(len(created), CUSTOMERS)
        self.assertEqual(sorted(self.user("ga@p1").customers(R1)), sorted(created))
        self.graph.verify()

    def test_threads_drop_their_objects_freely(self):
        """Objects made and dropped in many threads are all freed."""
        def work():
            for _ in range(50):
                session = self.graph.user("ga@r1")
                ids = session.providers()
                del session
                self.assertEqual(list(ids), [P1])

        threads = [threading.Thread(target=work) for _ in range(READERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        gc.collect()
        # only the fixture's own graph and sessions remain
        self.assertEqual(set(live_handles()), {"graph", "session"})
        self.assertEqual(live_handles()["session"], 1 + len(self._sessions))


if __name__ == "__main__":
    unittest.main()
