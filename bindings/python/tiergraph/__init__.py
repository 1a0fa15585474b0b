"""tiergraph: the rulebook and system of record of the CSP two-tier partner model.

Python bindings over libtiergraph (ctypes, no compiled extension)::

    import tiergraph
    from tiergraph import PartnerKind, Role

    with tiergraph.Graph.open("mem:") as graph:
        op = graph.operator()
        op.enroll(PartnerKind.INDIRECT_PROVIDER, PROVIDER, partner_id="4847383",
                  name="Contoso", domain="contoso.example", country="US")
        ...

Importing the package loads the library ($TIERGRAPH_LIBRARY, then a build tree
above the package, then the system) and checks its ABI major; see docs/python.md.
"""
from __future__ import annotations

from ._api import C as _C, library_path
from ._handle import live_handles
from ._loader import ABI_VERSION, ENV_VARIABLE
from .customer_session import CustomerSession
from .decisions import Explanation
from .draft import Draft, Problem
from .enums import (ACTION_LAST, ROLE_ALL, Action, Channel, Durability, ErrorCode, Field, Option,
                    PartnerKind, RemoveFlag, Role, StoreStat, SubscriptionStatus)
from .errors import (AlreadyExists, ConfirmationRequired, CorruptStore, Expired, InternalError,
                     InvalidArgument, LibraryNotFound, NotFound, OutOfMemory,
                     PasswordChangeRequired, PermissionDenied, RuleViolation, SignInLocked,
                     StorageError, StoreBusy, TiergraphError, VersionMismatch)
from .graph import Graph
from .iterator import Ids
from .partnership import Invite
from .receipt import Receipt
from .session import Session

#: the version of these bindings
__version__ = "0.2.0"

#: the release of the loaded library, "MAJOR.MINOR.PATCH"
library_version: str = _C.tg_version_string()


def strerror(code: int) -> str:
    """The library's static text naming an error code."""
    text: str = _C.tg_strerror(code)
    return text


__all__ = [
    "ABI_VERSION", "ACTION_LAST", "ENV_VARIABLE", "ROLE_ALL", "Action", "AlreadyExists",
    "Channel", "ConfirmationRequired", "CorruptStore", "CustomerSession", "Draft", "Durability",
    "ErrorCode", "Expired", "Explanation", "Field", "Graph", "Ids", "InternalError",
    "InvalidArgument", "Invite", "LibraryNotFound", "NotFound", "Option", "OutOfMemory",
    "PartnerKind", "PasswordChangeRequired", "PermissionDenied", "Problem", "Receipt",
    "RemoveFlag", "Role", "RuleViolation", "Session", "SignInLocked", "StorageError",
    "StoreBusy", "StoreStat", "SubscriptionStatus", "TiergraphError", "VersionMismatch",
    "library_path", "library_version", "live_handles", "strerror",
]
