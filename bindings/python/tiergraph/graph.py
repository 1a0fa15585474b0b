"""The graph: the system of record and its store, shared by any number of threads."""
from __future__ import annotations

import ctypes
from typing import Any, List, Optional, Union

from ._api import C, GraphP, SessionP, tg_change_hook
from ._handle import Handle
from .customer_session import CustomerSession
from .enums import Durability, Option, StoreStat, enum_or_int
from .feed import ChangeCallback, HookSlot
from .session import Session

#: the schemes whose stores have a durability setting, FULL when opened (docs/backends.md)
_DURABLE_SCHEMES = ("file:", "sqlite:")


class Graph(Handle):
    """A tiergraph graph over a store. Open with :meth:`Graph.open`.

    Use it as a context manager, or call :meth:`close`: closing a graph closes
    the sessions made from it (and their drafts and iterators) first, and
    releases its store, so that it can be opened again. A Graph may be shared by
    threads; every other object belongs to one thread at a time
    (docs/threading.md).
    """

    _kind = "graph"

    def __init__(self, ptr: Any, uri: str) -> None:
        super().__init__(ptr, C.tg_graph_close)
        self.uri = uri
        self._durability: Optional[Union[Durability, int]] = (
            Durability.FULL if isinstance(uri, str) and uri.startswith(_DURABLE_SCHEMES)
            else None)
        self._hook = HookSlot()

    @classmethod
    def open(cls, uri: str = "mem:") -> "Graph":
        """Open the graph at ``uri``:

        - ``"file:PATH"``, the embedded default: an append-only, checksummed journal,
          durable when a write returns; created when absent;
        - ``"sqlite:PATH"``, a SQLite database (when the library was built with it);
        - ``"mem:"``, nothing survives close.

        A store is held by one graph at a time, in this process or another: a second
        open raises StoreBusy until the first graph is closed. Raises InvalidArgument
        (unknown scheme, empty path), StoreBusy, CorruptStore (with the byte offset),
        StorageError, VersionMismatch (sqlite: in a library built without it).
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
        option is unknown or the value out of range, or for Option.DURABILITY on a
        store without it ("mem:")."""
        C.tg_graph_set_option(self._handle, int(option), value)
        if option == Option.DURABILITY:
            self._durability = enum_or_int(Durability, value)

    @property
    def durability(self) -> Optional[Union[Durability, int]]:
        """When writes reach the disk (:class:`Durability`): FULL after opening a
        "file:" or "sqlite:" store (the setting is not stored), then what was set
        through this object; None for a store without the setting ("mem:", a
        custom store). Setting it raises InvalidArgument on a store without it."""
        return self._durability

    @durability.setter
    def durability(self, value: Union[Durability, int]) -> None:
        self.set_option(Option.DURABILITY, int(value))

    def store_stat(self, what: Union[StoreStat, int]) -> int:
        """A statistic of the store (see :class:`StoreStat`). Raises InvalidArgument
        for one it does not keep ("mem:" keeps none)."""
        out = ctypes.c_int64()
        C.tg_graph_store_stat(ctypes.byref(out), self._handle, int(what))
        return out.value

    def verify(self) -> None:
        """Check every invariant of the graph; raises CorruptStore naming the first violation."""
        C.tg_graph_verify(self._handle)

    def on_change(self, callback: Optional[ChangeCallback]) -> None:
        """Call ``callback(revision, event)`` once per committed write, replacing the
        callback before; None removes it. ``event`` is the write's change event, parsed
        (see :meth:`Session.changes`).

        The library calls it after the commit, outside the write lock, in revision
        order and never two at a time, on a thread that wrote (not necessarily the
        one that made this write); it may read and write the graph (a write inside it
        is delivered after it returns). When this returns, the callback replaced is
        not running on another thread and will not be called again. Keep it short:
        later events wait for it (docs/threading.md).

        An exception raised by the callback cannot reach the write that triggered it:
        it is appended to :attr:`hook_errors` instead.
        """
        thunk = None if callback is None else self._hook.make(callback)
        C.tg_graph_on_change(self._handle, thunk if thunk is not None else tg_change_hook(),
                             None)
        self._hook.replace(thunk)

    @property
    def hook_errors(self) -> List[BaseException]:
        """The exceptions the :meth:`on_change` callback raised, oldest first (a list
        the caller may inspect and clear)."""
        return self._hook.errors

    def close(self) -> None:
        """Close the graph, and every session, draft and iterator made from it first."""
        super().close()
        self._hook.replace(None)  # the library calls no hook once the graph is closed

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

    def customer(self, user_name: str, password: str) -> CustomerSession:
        """Sign in a customer's user: the admin of the receipt
        (``admin@<prefix>.onmicrosoft.com``) or a user its Global admin added. Names
        compare without case.

        Raises PasswordChangeRequired, and opens no session, for a valid temporary
        or initial password: call :meth:`change_customer_password` first.
        PermissionDenied for an unknown user or a wrong password (one message for
        both); SignInLocked after 5 failures within 15 minutes, for 15 minutes,
        even with the right password; InvalidArgument.
        """
        out = SessionP()
        C.tg_session_customer(ctypes.byref(out), self._handle, user_name, password)
        return CustomerSession(out, self, user_name)

    def change_customer_password(self, user_name: str, old_password: str,
                                 new_password: str) -> None:
        """Change a customer user's password, proving the current (or temporary) one.
        The new one has 8 to 256 characters from at least 3 of lower case, upper case,
        digits and symbols, no control characters, and differs from the current one.
        Raises InvalidArgument naming the rule, PermissionDenied (as :meth:`customer`),
        SignInLocked, RuleViolation (the password changed meanwhile)."""
        C.tg_customer_change_password(self._handle, user_name, old_password, new_password)

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"revision {self.revision}"
        return f"<tiergraph.Graph {self.uri!r}, {state}>"
