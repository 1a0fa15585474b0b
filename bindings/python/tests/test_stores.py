"""The durable stores through Graph.open, as tests/unit/test_file.c and test_sqlite.c: the
graph outlives close, one opener at a time (StoreBusy, in this process and in another),
durability, statistics, a torn tail, refused URIs, and no secret on disk."""
import os
import subprocess
import sys
import unittest

from fixture import R1, StoreFixture

import tiergraph
from tiergraph import (Durability, Graph, InvalidArgument, StorageError, StoreBusy, StoreStat,
                       VersionMismatch, live_handles)

# Opens the store named by argv[1] in a new process and prints the exception's class.
OPEN_ELSEWHERE = """
import sys, tiergraph
try:
    tiergraph.Graph.open(sys.argv[1]).close()
    print("opened")
except tiergraph.TiergraphError as exc:
    print(type(exc).__name__)
"""


class DurableStoreTests:
    """What every durable store does; mixed into one TestCase per scheme."""

    def test_reopen_sees_every_committed_write(self):
        self.customer("ga@p1", "contoso", R1, nsubs=2)
        rev, before = self.graph.revision, self.state()
        graph = self.reopen()
        self.assertEqual(graph.revision, rev)
        self.assertEqual(self.state(), before)
        # and it goes on from there: a write after reopening survives the next one
        self.customer("ga@p1", "fabrikam", nsubs=1)
        later = self.state()
        graph = self.reopen()
        self.assertEqual(graph.revision, rev + 1)
        self.assertEqual(self.state(), later)

    def test_a_second_open_in_this_process_is_busy(self):
        graphs = live_handles()["graph"]
        with self.assertRaises(StoreBusy):
            Graph.open(self.graph.uri)
        self.assertEqual(live_handles()["graph"], graphs)  # no handle for the refused open
        self.customer("ga@p1", "stillmine")  # the first graph goes on
        uri = self.graph.uri
        self.graph.close()
        with Graph.open(uri) as again:  # closed: the next opener gets it
            self.assertTrue(again.revision > 0)

    def test_a_second_process_is_busy(self):
        package_dir = os.path.dirname(os.path.dirname(os.path.abspath(tiergraph.__file__)))
        env = dict(os.environ, TIERGRAPH_LIBRARY=tiergraph.library_path, PYTHONPATH=package_dir)

        def open_elsewhere():
            return subprocess.run([sys.executable, "-c", OPEN_ELSEWHERE, self.graph.uri],
                                  env=env, capture_output=True, text=True, check=True,
                                  timeout=120).stdout.strip()

        self.assertEqual(open_elsewhere(), "StoreBusy")
        self.graph.close()
        self.assertEqual(open_elsewhere(), "opened")

    def test_durability_is_set_per_open_and_not_stored(self):
        self.assertEqual(self.graph.durability, Durability.FULL)  # the default
        for i, mode in enumerate(Durability):
            self.graph.durability = mode
            self.assertIs(self.graph.durability, mode)
            self.customer("ga@p1", f"mode{i}", nsubs=1)
        with self.assertRaises(InvalidArgument) as caught:
            self.graph.durability = 3
        self.assertIn("durability", caught.exception.message)
        self.assertRaises(InvalidArgument, self.graph.set_option, tiergraph.Option.DURABILITY, -1)
        self.assertIs(self.graph.durability, Durability.FULL)  # the refusals changed nothing
        self.graph.set_option(tiergraph.Option.DURABILITY, Durability.NORMAL)
        self.assertIs(self.graph.durability, Durability.NORMAL)
        self.customer("ga@p1", "lastone", nsubs=1)
        rev = self.graph.revision
        graph = self.reopen()  # close flushes what NORMAL had not
        self.assertEqual(graph.revision, rev)
        self.assertEqual(graph.durability, Durability.FULL)

    def test_statistics_survive_reopening(self):
        records = self.graph.store_stat(StoreStat.RECORDS)
        self.assertTrue(records > 0)
        self.customer("ga@p1", "counted", nsubs=1)
        self.assertTrue(self.graph.store_stat(StoreStat.RECORDS) > records)
        records = self.graph.store_stat(StoreStat.RECORDS)
        self.assertEqual(self.graph.store_stat(StoreStat.TAIL_DROPPED_BYTES), 0)
        self.assertEqual(self.graph.store_stat(StoreStat.COMPACTIONS), 0)
        for unknown in (0, 99):
            self.assertRaises(InvalidArgument, self.graph.store_stat, unknown)
        self.assertEqual(self.reopen().store_stat(StoreStat.RECORDS), records)

    def test_no_secret_reaches_the_disk(self):
        with self.user("ga@p1").invite() as invite:
            token = invite.link.split("token=", 1)[1].split("&")[0]
        password = self.cust("ga@p1", "contoso", nsubs=1).password
        self.graph.close()
        stored = self.stored_bytes()
        self.assertIn(b"Company contoso", stored)  # the search does find what is there
        self.assertNotIn(password.encode(), stored)
        self.assertNotIn(token.encode(), stored)


class FileStore(DurableStoreTests, StoreFixture):
    scheme = "file"

    def test_store_bytes_is_the_journal_size(self):
        self.assertEqual(self.graph.store_stat(StoreStat.STORE_BYTES), self.path.stat().st_size)

    def test_a_torn_tail_is_dropped_and_reported(self):
        rev, before = self.graph.revision, self.state()
        uri = self.graph.uri
        self.graph.close()
        size = self.path.stat().st_size
        torn = b"TGF\x01\x40\x00\x00\x00{\"x"  # the start of a frame that never finished
        with open(self.path, "ab") as journal:
            journal.write(torn)
        self.graph = Graph.open(uri)
        self._sessions.clear()
        self.assertEqual(self.graph.store_stat(StoreStat.TAIL_DROPPED_BYTES), len(torn))
        self.assertEqual(self.path.stat().st_size, size)  # cut off on open
        self.assertEqual(self.graph.revision, rev)
        self.assertEqual(self.state(), before)
        self.assertEqual(self.reopen().store_stat(StoreStat.TAIL_DROPPED_BYTES), 0)

    def test_refused_uris(self):
        self.assertRaises(InvalidArgument, Graph.open, "file:")
        self.assertRaises(InvalidArgument, Graph.open, "nosuch:scheme")
        self.assertRaises(StorageError, Graph.open, "file:/")  # a directory
        with self.assertRaises(StorageError) as caught:
            Graph.open(f"file:{self.path.parent}/no/such/dir/g.tg")
        self.assertIn("cannot open", caught.exception.message)

    def test_mem_has_no_durability_nor_statistics(self):
        with Graph.open("mem:") as graph:
            self.assertIsNone(graph.durability)
            with self.assertRaises(InvalidArgument) as caught:
                graph.durability = Durability.FULL
            self.assertIn("no durability", caught.exception.message)
            self.assertIsNone(graph.durability)
            with self.assertRaises(InvalidArgument) as caught:
                graph.store_stat(StoreStat.RECORDS)
            self.assertIn("no statistics", caught.exception.message)


class SqliteStore(DurableStoreTests, StoreFixture):
    scheme = "sqlite"

    def setUp(self):
        try:
            super().setUp()
        except VersionMismatch:
            self.skipTest("the library was built without the sqlite: backend")

    def test_store_bytes_is_the_database_and_its_wal(self):
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        self.assertEqual(self.graph.store_stat(StoreStat.STORE_BYTES),
                         sum(f.stat().st_size for f in files if f.exists()))


if __name__ == "__main__":
    unittest.main()
