"""The lifetime of a C handle: freed once, by close(), a with block, or weakref.finalize.

The C pointer lives in a small `_Resource`, apart from the Python object that owns
it, so that the finalizer can hold the resource without keeping its owner alive.
Resources form the same tree as the C objects (graph > session > draft, list):
releasing one releases the resources made from it first, so children are always
freed before their parent, whether by an explicit close, by the garbage
collector (in any order, reference cycles included) or at interpreter exit.
A Python object keeps its parent object alive by an ordinary reference, so
dropping objects in any order never frees a parent that is still in use.
No ``__del__``.
"""
from __future__ import annotations

import collections
import threading
import weakref
from typing import Any, Callable, Counter, Dict, Optional, Set, TypeVar

from .enums import ErrorCode
from .errors import InvalidArgument

_live: Counter[str] = collections.Counter()
_live_lock = threading.Lock()


def live_handles() -> Dict[str, int]:
    """How many C handles of each kind are alive now (for tests and leak hunting)."""
    with _live_lock:
        return {kind: n for kind, n in _live.items() if n}


class _Resource:
    """One C handle, the function that frees it, and the handles made from it."""

    __slots__ = ("kind", "ptr", "free", "parent", "children", "lock")

    def __init__(self, kind: str, ptr: Any, free: Callable[[Any], None],
                 parent: Optional["_Resource"]) -> None:
        self.kind = kind
        self.ptr: Any = ptr
        self.free = free
        self.parent = parent
        self.children: Set[_Resource] = set()
        self.lock = threading.Lock()
        if parent is not None:
            with parent.lock:
                parent.children.add(self)
        with _live_lock:
            _live[kind] += 1

    def release(self) -> None:
        """Free the children, then this handle; a no-op the second time."""
        with self.lock:
            ptr, self.ptr = self.ptr, None
            children = list(self.children)
            self.children.clear()
        if ptr is None:
            return
        for child in children:
            child.release()
        self.free(ptr)
        with _live_lock:
            _live[self.kind] -= 1
        parent, self.parent = self.parent, None
        if parent is not None:
            with parent.lock:
                parent.children.discard(self)


H = TypeVar("H", bound="Handle")


class Handle:
    """Owns one C handle. Use as a context manager, or call close(); dropping the
    last reference frees it as well."""

    _kind = "handle"

    def __init__(self, ptr: Any, free: Callable[[Any], None],
                 parent: Optional["Handle"] = None) -> None:
        # The parent object lives at least as long as this one is open.
        self._parent: Optional[Handle] = parent
        self._resource: _Resource = _Resource(self._kind, ptr, free,
                                   parent._resource if parent is not None else None)
        weakref.finalize(self, self._resource.release)

    @property
    def _handle(self) -> Any:
        """The C pointer; InvalidArgument once closed."""
        ptr = self._resource.ptr
        if ptr is None:
            raise InvalidArgument(ErrorCode.EINVAL, f"the {self._kind} is closed")
        return ptr

    @property
    def closed(self) -> bool:
        """True once the C handle was freed (by close(), or by closing its parent)."""
        return self._resource.ptr is None

    def close(self) -> None:
        """Free the C handle, and those made from it first. Closing twice is a no-op."""
        self._resource.release()
        self._parent = None

    def __enter__(self: H) -> H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
