"""Finding and loading libtiergraph: $TIERGRAPH_LIBRARY, then a build tree, then the system.

Every place tried is remembered, so that a failure can say where we looked and
why each place did not do.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from .errors import LibraryNotFound

#: the ABI major these bindings were written for (TG_ABI_VERSION)
ABI_VERSION = 1

ENV_VARIABLE = "TIERGRAPH_LIBRARY"

# Sanitizer runtimes must come first in the process; dlopen-ing a library built
# with one into an uninstrumented python kills the process instead of failing.
_SANITIZER_RUNTIMES = (b"libasan.so", b"libtsan.so", b"libmsan.so")


def _sanitizer_of(path: Path) -> Optional[str]:
    """The sanitizer runtime a library needs (its DT_NEEDED names) and this process lacks:
    a runtime preloaded with LD_PRELOAD is already first, so such a library loads."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    preloaded = os.environ.get("LD_PRELOAD", "")
    for runtime in _SANITIZER_RUNTIMES:
        if runtime in data and runtime.decode() not in preloaded:
            return runtime.decode()
    return None


def _unloadable(path: Path) -> Optional[str]:
    """Why a library must not be dlopen-ed, or None."""
    runtime = _sanitizer_of(path)
    if runtime is None:
        return None
    return (f"skipped, linked with {runtime} (a sanitizer build cannot be loaded into an "
            "uninstrumented python; preload the runtime with LD_PRELOAD to use it)")


def _build_tree_candidates(start: Path) -> Iterator[Path]:
    """libtiergraph.so* in the build*/ folders of every folder above `start`:
    the plain "build" first, the SONAME (libtiergraph.so.<ABI>) before other names."""
    names = (f"libtiergraph.so.{ABI_VERSION}", "libtiergraph.so")
    for folder in start.parents:
        builds = sorted(p for p in folder.glob("build*") if p.is_dir())
        builds.sort(key=lambda p: p.name != "build")
        for build in builds:
            for name in names:
                candidate = build / name
                if candidate.exists():
                    yield candidate
                    break


def _try(target: str, tried: List[str], label: str) -> Optional[ctypes.CDLL]:
    try:
        return ctypes.CDLL(target)
    except OSError as exc:
        tried.append(f"{label}: {exc}")
        return None


def load() -> Tuple[ctypes.CDLL, str]:
    """Load libtiergraph; returns the library and where it came from.

    Raises LibraryNotFound listing every place tried. A $TIERGRAPH_LIBRARY that
    cannot be loaded is an error of its own: the search does not go on to load
    some other library behind the caller's back.
    """
    tried: List[str] = []
    explicit = os.environ.get(ENV_VARIABLE)
    if explicit:
        why = _unloadable(Path(explicit))
        if why:
            tried.append(f"${ENV_VARIABLE}={explicit}: {why}")
        else:
            lib = _try(explicit, tried, f"${ENV_VARIABLE}={explicit}")
            if lib is not None:
                return lib, explicit
        raise LibraryNotFound(_report(tried, stop=f"${ENV_VARIABLE} is set, so nothing else "
                                                  "was tried"))
    tried.append(f"${ENV_VARIABLE}: not set")

    here = Path(__file__).resolve()
    found_build = False
    for candidate in _build_tree_candidates(here):
        found_build = True
        why = _unloadable(candidate)
        if why:
            tried.append(f"{candidate}: {why}")
            continue
        lib = _try(str(candidate), tried, str(candidate))
        if lib is not None:
            return lib, str(candidate)
    if not found_build:
        tried.append(f"build trees above {here.parent}: no build*/libtiergraph.so*")

    system_name = ctypes.util.find_library("tiergraph")
    if system_name:
        lib = _try(system_name, tried, f"ctypes.util.find_library('tiergraph') = {system_name}")
        if lib is not None:
            return lib, system_name
    else:
        tried.append("ctypes.util.find_library('tiergraph'): nothing found")
    soname = f"libtiergraph.so.{ABI_VERSION}"
    lib = _try(soname, tried, f"{soname} (the dynamic linker's search path)")
    if lib is not None:
        return lib, soname
    raise LibraryNotFound(_report(tried))


def _report(tried: List[str], stop: str = "") -> str:
    lines = ["cannot load libtiergraph; tried:"] + [f"  - {t}" for t in tried]
    if stop:
        lines.append(f"  ({stop})")
    lines.append(f"Build the library (cmake -S . -B build && cmake --build build) or set "
                 f"{ENV_VARIABLE} to the path of libtiergraph.so.{ABI_VERSION}.")
    return "\n".join(lines)
