"""The graph: the system of record and its store, shared by any number of threads."""
from __future__ import annotations

import ctypes
from typing import Any, Union

from ._api import C, GraphP, SessionP
from ._handle import Handle
from .enums import Option, StoreStat
from .session import Session


class Graph(Handle):
    """A tiergraph graph over a store. Open with :meth:`Graph.open`.

    Use it as a context manager, or call :meth:`close`: closing a graph closes
    the sessions made from it (and their drafts and iterators) first. A Graph
    may be shared by threads; every other object belongs to one thread at a
    time (docs/threading.md).
    """

    _kind = "graph"

    def __init__(self, ptr: Any, uri: str) -> None:
        super().__init__(ptr, C.tg_graph_close)
        self.uri = uri

    @classmethod
    def open(cls, uri: str = "mem:") -> "Graph":
        """Open the graph at ``uri``: "mem:" (nothing survives close), "file:PATH"
        or "sqlite:PATH" where the library supports them.

        Raises InvalidArgument (unknown scheme), StoreBusy, CorruptStore,
        StorageError, VersionMismatch.
        """
        out = GraphP()
        C.tg_graph_open(ctypes.byref(out), uri)
        return cls(out, uri)

    @property
    def revision(self) -> int:
        """The number of writes committed over the graph's life."""
        return int(C.tg_graph_revision(self._handle))

    def set_option(self, option: Union[Option, int], value: int) -> None:
        """Set an option (see :class:`Option`). Raises InvalidArgument when the
        option is unknown or the value out of range."""
        C.tg_graph_set_option(self._handle, int(option), value)

    def store_stat(self, what: Union[StoreStat, int]) -> int:
        """A statistic of the store. Raises InvalidArgument for one it does not keep."""
        out = ctypes.c_int64()
        C.tg_graph_store_stat(ctypes.byref(out), self._handle, int(what))
        return out.value

    def verify(self) -> None:
        """Check every invariant of the graph; raises CorruptStore naming the first violation."""
        C.tg_graph_verify(self._handle)

    def operator(self) -> Session:
        """A session of the platform operator (enrols partners, records agreements)."""
        out = SessionP()
        C.tg_session_operator(ctypes.byref(out), self._handle)
        return Session(out, self, None)

    def user(self, user_id: str) -> Session:
        """A session of a partner user. Raises NotFound when there is no such user."""
        out = SessionP()
        C.tg_session_user(ctypes.byref(out), self._handle, user_id)
        return Session(out, self, user_id)

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"revision {self.revision}"
        return f"<tiergraph.Graph {self.uri!r}, {state}>"
