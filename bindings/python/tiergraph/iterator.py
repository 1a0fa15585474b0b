"""Lists of ids (customers, subscriptions, partners, users): snapshot iterators."""
from __future__ import annotations

import ctypes
from typing import Any, Iterator, Optional

from ._api import C
from ._handle import Handle


class Ids(Handle, Iterator[str]):
    """A snapshot list of ids, taken under the graph's read lock.

    Iterate it once (``for id in ids``, ``list(ids)``); ``len(ids)`` is the
    size of the whole snapshot, however far iteration went. It stays valid
    while other threads write, and is freed when exhausted, closed, or dropped.
    Iterating one that was closed before its end raises InvalidArgument.
    """

    _kind = "iterator"

    def __init__(self, ptr: Any, session: Handle) -> None:
        super().__init__(ptr, C.tg_iter_free, parent=session)
        self._count: int = C.tg_iter_count(ptr)
        self._exhausted = False

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> "Ids":
        return self

    def __next__(self) -> str:
        if self._exhausted:
            raise StopIteration
        out = ctypes.c_char_p()
        if not C.tg_iter_next(self._handle, ctypes.byref(out)):  # closed: InvalidArgument
            self._exhausted = True
            self.close()
            raise StopIteration
        value: Optional[bytes] = out.value
        assert value is not None
        return value.decode("utf-8")

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<tiergraph.Ids of {self._count}, {state}>"
