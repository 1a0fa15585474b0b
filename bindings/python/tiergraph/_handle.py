"""The lifetime of a C handle: freed once, by close(), a with block, or weakref.finalize.

A handle made from another (a session from its graph, a draft from its session)
keeps its parent alive until it is freed itself, so objects dropped in any order
are freed children first. Closing a parent explicitly closes its live children
first. No ``__del__``: finalizers never resurrect objects and run at exit too.
"""
from __future__ import annotations

import collections
import threading
import weakref
from typing import Any, Callable, Counter, Dict, Optional, TypeVar

from .enums import ErrorCode
from .errors import InvalidArgument

_live: Counter[str] = collections.Counter()
_live_lock = threading.Lock()


def live_handles() -> Dict[str, int]:
    """How many C handles of each kind are alive now (for tests and leak hunting)."""
    with _live_lock:
        return {kind: n for kind, n in _live.items() if n}


def _release(kind: str, free: Callable[[Any], None], ptr: Any,
             children: "weakref.WeakSet[Handle]", parent: Optional["Handle"]) -> None:
    # Children first: their C objects may point into this one.
    for child in list(children):
        child.close()
    free(ptr)
    with _live_lock:
        _live[kind] -= 1
    # `parent` was held only to keep it alive until now.
    del parent


H = TypeVar("H", bound="Handle")


class Handle:
    """Owns one C handle. Use as a context manager, or call close(); dropping the
    last reference frees it as well."""

    _kind = "handle"

    def __init__(self, ptr: Any, free: Callable[[Any], None],
                 parent: Optional["Handle"] = None) -> None:
        self._ptr = ptr
        self._children: "weakref.WeakSet[Handle]" = weakref.WeakSet()
        self._children_lock = threading.Lock()
        if parent is not None:
            parent._adopt(self)
        with _live_lock:
            _live[self._kind] += 1
        self._finalizer = weakref.finalize(self, _release, self._kind, free, ptr,
                                           self._children, parent)

    def _adopt(self, child: "Handle") -> None:
        with self._children_lock:
            self._children.add(child)

    @property
    def _handle(self) -> Any:
        """The C pointer; InvalidArgument once closed."""
        if not self._finalizer.alive:
            raise InvalidArgument(ErrorCode.EINVAL, f"the {self._kind} is closed")
        return self._ptr

    @property
    def closed(self) -> bool:
        """True once the C handle was freed."""
        return not self._finalizer.alive

    def close(self) -> None:
        """Free the C handle (and those made from it first). Closing twice is a no-op."""
        self._finalizer()

    def __enter__(self: H) -> H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
