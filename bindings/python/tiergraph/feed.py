"""The change feed, the change hook, and export/import of the whole graph (DOMAIN.md §7).

Events are the library's JSON, parsed: ``{"revision", "time", "actor", "action",
"objects"}`` (include/tiergraph.h, group change_feed).
"""
from __future__ import annotations

import json
import threading
from typing import Any, Callable, Dict, List, Optional, Union

from ._api import C, tg_change_hook
from ._calls import list_ids, owned_text

#: what Graph.on_change calls: callback(revision, event)
ChangeCallback = Callable[[int, Dict[str, Any]], None]


class FeedMixin:
    """What the operator's session reads and writes as a whole: the feed, export, import."""

    _handle: Any

    def changes(self, since: int = 0, limit: int = 0) -> List[Dict[str, Any]]:
        """The change events after revision ``since`` (0: from the first), oldest first,
        at most ``limit`` of them (0: all). Operator only.

        Raises PermissionDenied (not the operator), InvalidArgument (``since`` above
        the graph's revision), Expired (events after ``since`` are no longer kept, see
        Option.CHANGE_RETENTION; the message names the oldest revision still listed).
        """
        with list_ids(self, C.tg_changes, since, limit) as events:
            return [json.loads(event) for event in events]

    def export(self, *, as_text: bool = False) -> Union[Dict[str, Any], str]:
        """The whole graph as one document (operator only): a dict, or with
        ``as_text=True`` the library's exact text (the same graph always exports the
        same bytes). Secrets appear only as kept: Argon2id verifiers and token hashes.
        The feed and the revision are not exported. Raises PermissionDenied."""
        text = owned_text(C.tg_export, self._handle)
        assert text is not None
        return text if as_text else json.loads(text)

    def import_(self, document: Union[Dict[str, Any], str, bytes]) -> None:
        """Import a document (operator only), all or nothing, as one write with one
        event ("tg_import"): an :meth:`export` document, or a Partner Center body
        (Customer, Order, Subscription, or a Collection of them), as a dict or as JSON
        text. Raises InvalidArgument (not JSON, with its line and column; or a record
        that does not map), AlreadyExists, PermissionDenied, StorageError; the graph
        is then unchanged."""
        if isinstance(document, dict):
            document = json.dumps(document, ensure_ascii=False)
        C.tg_import(self._handle, document)


class HookSlot:
    """A graph's change hook on the Python side.

    The library calls a ctypes thunk, which must stay alive while it may be called:
    the slot holds the one set. When a hook is replaced, tg_graph_on_change returns
    once the old one is not running on another thread, so it may be dropped then;
    replaced from inside the hook itself, the old thunk is still on this thread's
    stack, so it is kept (``retired``) until the next change made outside a hook.
    The callback's exceptions are caught and kept in ``errors``: an exception must
    never unwind into C.
    """

    def __init__(self) -> None:
        self.thunk: Optional[Any] = None
        self.retired: List[Any] = []
        self.errors: List[BaseException] = []
        self._inside = threading.local()

    def make(self, callback: ChangeCallback) -> Any:
        """A new thunk calling ``callback(revision, event)``."""
        slot = self

        def trampoline(graph: Any, revision: int, event: Optional[bytes], payload: Any) -> None:
            slot._inside.depth = getattr(slot._inside, "depth", 0) + 1
            try:
                callback(int(revision), json.loads(event or b"null"))
            except BaseException as exc:  # noqa: B036 -- nothing may reach C
                slot.errors.append(exc)
            finally:
                slot._inside.depth -= 1

        return tg_change_hook(trampoline)

    def replace(self, thunk: Optional[Any]) -> None:
        """Hold ``thunk`` (just given to the library) and let go of the one before."""
        old, self.thunk = self.thunk, thunk
        if getattr(self._inside, "depth", 0):
            if old is not None:
                self.retired.append(old)
        else:
            self.retired.clear()
