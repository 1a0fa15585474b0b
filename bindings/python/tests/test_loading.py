"""Finding the library: $TIERGRAPH_LIBRARY, then a build tree above the package, then the
system; a failure lists every place tried. Each case imports tiergraph afresh in a child
python, from a copy of the package laid out as the case needs."""
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from fixture import UNDER_ASAN

import tiergraph

PACKAGE = Path(tiergraph.__file__).resolve().parent
LIBRARY = Path(tiergraph.library_path).resolve()
SONAME = f"libtiergraph.so.{tiergraph.ABI_VERSION}"
PROBE = """
import tiergraph
print("loaded", tiergraph.library_path)
"""


class Loading(unittest.TestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="tiergraph-loading-"))
        self.addCleanup(shutil.rmtree, self.root)
        self.site = self.root / "checkout" / "bindings" / "python"
        shutil.copytree(PACKAGE, self.site / "tiergraph",
                        ignore=shutil.ignore_patterns("__pycache__"))

    def build(self, folder, content=None):
        """A build folder of the fake checkout holding the library (or a fake file)."""
        path = self.root / "checkout" / folder
        path.mkdir()
        if content is None:
            (path / SONAME).symlink_to(LIBRARY)
        else:
            (path / SONAME).write_bytes(content)
        return path / SONAME

    def run_probe(self, library=None):
        env = {k: v for k, v in os.environ.items()
               if k not in ("TIERGRAPH_LIBRARY", "LD_LIBRARY_PATH", "PYTHONPATH")}
        env["PYTHONPATH"] = str(self.site)
        if library is not None:
            env["TIERGRAPH_LIBRARY"] = library
        return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                              text=True, timeout=60, cwd=self.root)

    def test_environment_variable_first(self):
        self.build("build", b"not a library")  # would fail if it were tried
        done = self.run_probe(str(LIBRARY))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.split(), ["loaded", str(LIBRARY)])

    def test_bad_environment_variable_stops_the_search(self):
        self.build("build")
        done = self.run_probe("/nonexistent/libtiergraph.so.1")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("LibraryNotFound", done.stderr)
        self.assertIn("$TIERGRAPH_LIBRARY=/nonexistent/libtiergraph.so.1", done.stderr)
        self.assertIn("nothing else was tried", done.stderr)

    @unittest.skipIf(UNDER_ASAN, "the ASan runtime is preloaded: sanitizer builds load")
    def test_sanitizer_library_in_environment_variable_refused_not_crashed(self):
        fake = self.build("build-asan", b"\x7fELF fake, needs libasan.so.8")
        done = self.run_probe(str(fake))
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("LibraryNotFound", done.stderr)
        self.assertIn("skipped, linked with libasan.so", done.stderr)

    def test_build_tree_above_the_package(self):
        wanted = self.build("build")
        self.build("build-asan", b"\x7fELF fake, needs libasan.so.8")
        done = self.run_probe()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.split(), ["loaded", str(wanted)])

    @unittest.skipIf(ctypes.util.find_library("tiergraph"),
                     "a system libtiergraph is installed: the search would succeed")
    @unittest.skipIf(UNDER_ASAN, "the ASan runtime is preloaded: sanitizer builds load")
    def test_failure_lists_every_place_tried(self):
        self.build("build-asan", b"\x7fELF fake, needs libasan.so.8")
        self.build("build-other", b"not a library")
        done = self.run_probe()
        self.assertNotEqual(done.returncode, 0)
        report = done.stderr
        self.assertIn("LibraryNotFound", report)
        self.assertIn("$TIERGRAPH_LIBRARY: not set", report)
        self.assertIn("build-asan/libtiergraph.so.1: skipped, linked with libasan.so", report)
        self.assertIn("build-other/libtiergraph.so.1:", report)
        self.assertIn("find_library('tiergraph'): nothing found", report)
        self.assertIn(f"{SONAME} (the dynamic linker's search path)", report)


if __name__ == "__main__":
    unittest.main()
