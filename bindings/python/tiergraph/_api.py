"""The C functions of libtiergraph, each declared once with its full signature.

Every symbol the bindings use is listed in SIGNATURES as
``(name, restype, argtypes, errcheck)`` and declared by one helper, so that no
pointer is ever truncated to ctypes' default ``int``. Arguments are checked in
Python before the call (text is UTF-8 without NUL, integers fit their C type):
ctypes would otherwise cut a Python int to 32 bits without a word.

There is one errcheck per return convention:

- ``_status``: an int, TG_OK or a negative TG_E* code -> raise the matching error;
- ``_verdict``: an int answering a question (tg_check, tg_explain): the code is
  returned, and raised only when it is not an answer (EINVAL, ENOMEM, ...);
- ``_review``: tg_draft_review, TG_OK or TG_EINVAL (problems found) are answers;
- ``_step``: tg_iter_next, TG_OK -> True, TG_ITEROVER -> False;
- ``_text``: a ``const char *`` the library keeps -> ``str`` (None for NULL);
- ``None``: values (counts, revisions) and void functions need none.

Strings the caller must free (``char **out``) are declared ``c_void_p`` and
copied, then freed with tg_free, by :func:`take_string`.

To bind a new function, add its row (in header order); a function the loaded
library lacks (an older release) becomes a stub raising VersionMismatch.
"""
from __future__ import annotations

import ctypes
from ctypes import (POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint, c_uint64, c_void_p)
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, cast

from . import _loader
from .enums import ErrorCode
from .errors import InvalidArgument, VersionMismatch, error_for


# --- opaque handles: distinct pointer types, so that one cannot pass for another ---

class _Opaque(ctypes.Structure):
    _fields_: List[Any] = []


class tg_graph(_Opaque):
    pass


class tg_session(_Opaque):
    pass


class tg_invite(_Opaque):
    pass


class tg_draft(_Opaque):
    pass


class tg_problems(_Opaque):
    pass


class tg_receipt(_Opaque):
    pass


class tg_iter(_Opaque):
    pass


class tg_store(_Opaque):
    pass


GraphP = POINTER(tg_graph)
SessionP = POINTER(tg_session)
InviteP = POINTER(tg_invite)
DraftP = POINTER(tg_draft)
ProblemsP = POINTER(tg_problems)
ReceiptP = POINTER(tg_receipt)
IterP = POINTER(tg_iter)
StoreP = POINTER(tg_store)

#: tg_change_hook: void (*)(tg_graph *, uint64_t revision, const char *event, void *payload);
#: a Python object of this type must stay alive while the library may call it (Graph keeps it)
tg_change_hook = ctypes.CFUNCTYPE(None, GraphP, c_uint64, c_char_p, c_void_p)


# --- the loaded library and its per-thread message ---

_lib, library_path = _loader.load()


def _message() -> str:
    """tg_error_message() of this thread (call right after the failing call)."""
    raw: Optional[bytes] = C.tg_error_message()
    return raw.decode("utf-8", "replace") if raw else ""


# --- errchecks: one per return convention ---

def _status(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    if result < 0:
        raise error_for(result, _message())
    return result


# EEXISTS: "already partners" (TG_ACT_INVITE_ACCEPT), "already works with it" (0.2 requests)
_ANSWERS = frozenset({ErrorCode.OK, ErrorCode.EDENIED, ErrorCode.ESTATE, ErrorCode.ENOTFOUND,
                      ErrorCode.EEXISTS})


def _verdict(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    if result not in _ANSWERS:
        raise error_for(result, _message())
    return result


def _review(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    if result not in (ErrorCode.OK, ErrorCode.EINVAL):
        raise error_for(result, _message())
    return result


def _step(result: int, func: Any, args: Tuple[Any, ...]) -> bool:
    if result == ErrorCode.ITEROVER:
        return False
    if result < 0:
        raise error_for(result, _message())
    return True


def _text(result: Optional[bytes], func: Any, args: Tuple[Any, ...]) -> Optional[str]:
    return None if result is None else result.decode("utf-8", "replace")


# --- the table: (name, restype, argtypes, errcheck), in header order ---

_out_text = POINTER(c_void_p)  # char **out, freed with tg_free

#: (name, restype, argtypes, errcheck)
Signature = Tuple[str, Any, Tuple[Any, ...], Optional[Callable[..., Any]]]

SIGNATURES: Sequence[Signature] = (
    # versions and errors
    ("tg_version_string", c_char_p, (), _text),
    ("tg_version_number", c_int, (), None),
    ("tg_abi_version", c_int, (), None),
    ("tg_error_message", c_char_p, (), None),  # read raw by _message()
    ("tg_strerror", c_char_p, (c_int,), _text),
    ("tg_free", None, (c_void_p,), None),
    # graph
    ("tg_graph_open", c_int, (POINTER(GraphP), c_char_p), _status),
    ("tg_graph_open_store", c_int, (POINTER(GraphP), StoreP), _status),
    ("tg_graph_close", None, (GraphP,), None),
    ("tg_graph_revision", c_uint64, (GraphP,), None),
    ("tg_graph_set_option", c_int, (GraphP, c_int, c_int64), _status),
    ("tg_graph_store_stat", c_int, (POINTER(c_int64), GraphP, c_int), _status),
    ("tg_graph_verify", c_int, (GraphP,), _status),
    # sessions
    ("tg_session_operator", c_int, (POINTER(SessionP), GraphP), _status),
    ("tg_session_user", c_int, (POINTER(SessionP), GraphP, c_char_p), _status),
    ("tg_session_close", None, (SessionP,), None),
    # partners and users
    ("tg_partner_enroll", c_int,
     (SessionP, c_int, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p), _status),
    ("tg_partner_set_agreement", c_int, (SessionP, c_char_p, c_int), _status),
    ("tg_partner_add_tenant", c_int, (SessionP, c_char_p, c_char_p), _status),
    ("tg_partners", c_int, (POINTER(IterP), SessionP, c_int), _status),
    ("tg_partner_get", c_int, (_out_text, SessionP, c_char_p), _status),
    ("tg_user_add", c_int, (SessionP, c_char_p, c_char_p, c_uint), _status),
    ("tg_user_set_roles", c_int, (SessionP, c_char_p, c_uint), _status),
    ("tg_user_remove", c_int, (SessionP, c_char_p), _status),
    ("tg_user_roles", c_int, (POINTER(c_uint), SessionP, c_char_p), _status),
    ("tg_users", c_int, (POINTER(IterP), SessionP, c_char_p), _status),
    # partnership
    ("tg_invite_create", c_int, (POINTER(InviteP), SessionP), _status),
    ("tg_invite_link", c_char_p, (InviteP,), _text),
    ("tg_invite_email", c_char_p, (InviteP,), _text),
    ("tg_invite_expires", c_int64, (InviteP,), None),
    ("tg_invite_set_email", c_int, (InviteP, c_char_p), _status),
    ("tg_invite_free", None, (InviteP,), None),
    ("tg_partnership_accept", c_int, (SessionP, c_char_p), _status),
    ("tg_partnership_remove", c_int, (SessionP, c_char_p, c_uint), _status),
    ("tg_resellers", c_int, (POINTER(IterP), SessionP), _status),
    ("tg_providers", c_int, (POINTER(IterP), SessionP), _status),
    ("tg_resellers_json", c_int, (_out_text, SessionP), _status),
    ("tg_providers_json", c_int, (_out_text, SessionP), _status),
    # new customer
    ("tg_draft_new", c_int, (POINTER(DraftP), SessionP), _status),
    ("tg_draft_set", c_int, (DraftP, c_int, c_char_p), _status),
    ("tg_draft_get", c_char_p, (DraftP, c_int), _text),
    ("tg_draft_add_subscription", c_int, (DraftP, c_char_p, c_int), _status),
    ("tg_draft_review", c_int, (POINTER(ProblemsP), DraftP), _review),
    ("tg_draft_submit", c_int, (POINTER(ReceiptP), DraftP), _status),
    ("tg_draft_cancel", c_int, (DraftP,), _status),
    ("tg_draft_free", None, (DraftP,), None),
    ("tg_problems_count", c_size_t, (ProblemsP,), None),
    ("tg_problems_field", c_int, (ProblemsP, c_size_t), None),
    ("tg_problems_message", c_char_p, (ProblemsP, c_size_t), _text),
    ("tg_problems_free", None, (ProblemsP,), None),
    ("tg_receipt_customer_id", c_char_p, (ReceiptP,), _text),
    ("tg_receipt_admin_user", c_char_p, (ReceiptP,), _text),
    ("tg_receipt_password", c_char_p, (ReceiptP,), _text),
    ("tg_receipt_subscription_count", c_size_t, (ReceiptP,), None),
    ("tg_receipt_subscription_id", c_char_p, (ReceiptP, c_size_t), _text),
    ("tg_receipt_free", None, (ReceiptP,), None),
    ("tg_customer_verify_password", c_int, (SessionP, c_char_p, c_char_p), _status),
    # customers and subscriptions
    ("tg_customers", c_int, (POINTER(IterP), SessionP, c_char_p), _status),
    ("tg_customer_get", c_int, (_out_text, SessionP, c_char_p), _status),
    ("tg_customer_set_reseller", c_int, (SessionP, c_char_p, c_char_p), _status),
    ("tg_customer_remove", c_int, (SessionP, c_char_p), _status),
    ("tg_subscription_add", c_int,
     (_out_text, SessionP, c_char_p, c_char_p, c_int, c_char_p, c_char_p), _status),
    ("tg_subscription_set_reseller", c_int, (SessionP, c_char_p, c_char_p), _status),
    ("tg_subscription_set_support", c_int, (SessionP, c_char_p, c_char_p), _status),
    ("tg_subscription_set_status", c_int, (SessionP, c_char_p, c_int), _status),
    ("tg_subscriptions", c_int, (POINTER(IterP), SessionP, c_char_p), _status),
    ("tg_subscription_get", c_int, (_out_text, SessionP, c_char_p), _status),
    # the customers' own side (0.2): sign-in, more than one partner, multichannel
    ("tg_session_customer", c_int, (POINTER(SessionP), GraphP, c_char_p, c_char_p), _status),
    ("tg_customer_change_password", c_int, (GraphP, c_char_p, c_char_p, c_char_p), _status),
    ("tg_customer_user_add", c_int, (SessionP, c_char_p, c_char_p, c_uint), _status),
    ("tg_relationship_request", c_int, (POINTER(InviteP), SessionP, c_char_p), _status),
    ("tg_relationship_accept", c_int, (SessionP, c_char_p), _status),
    ("tg_relationships", c_int, (POINTER(IterP), SessionP), _status),
    ("tg_subscription_record", c_int,
     (_out_text, SessionP, c_int, c_char_p, c_int, c_int64), _status),
    ("tg_subscription_hire", c_int, (SessionP, c_char_p, c_char_p), _status),
    ("tg_subscription_move", c_int, (SessionP, c_char_p, c_char_p), _status),
    # decisions
    ("tg_check", c_int, (SessionP, c_int, c_char_p), _verdict),
    ("tg_explain", c_int, (_out_text, SessionP, c_int, c_char_p), _verdict),
    # the change feed (0.2)
    ("tg_changes", c_int, (POINTER(IterP), SessionP, c_uint64, c_size_t), _status),
    ("tg_graph_on_change", c_int, (GraphP, tg_change_hook, c_void_p), _status),
    # export and import (0.2)
    ("tg_export", c_int, (_out_text, SessionP), _status),
    ("tg_import", c_int, (SessionP, c_char_p), _status),
    # iteration
    ("tg_iter_next", c_int, (IterP, POINTER(c_char_p)), _step),
    ("tg_iter_count", c_size_t, (IterP,), None),
    ("tg_iter_free", None, (IterP,), None),
    # tiergraph/store.h: the built-in stores
    ("tg_store_init", c_int, (StoreP, c_uint), _status),
    ("tg_store_mem_new", c_int, (POINTER(StoreP),), _status),
    ("tg_store_file_new", c_int, (POINTER(StoreP), c_char_p), _status),
    ("tg_store_sqlite_new", c_int, (POINTER(StoreP), c_char_p), _status),
)


# --- argument checks, by C type ---

def _text_arg(value: Any) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.encode("utf-8")
    elif not isinstance(value, bytes):
        raise TypeError(f"expected str or None, got {type(value).__name__}")
    if b"\0" in value:
        raise InvalidArgument(ErrorCode.EINVAL, f"text {value!r} contains a NUL character")
    return bytes(value)


def _int_range(bits: int, signed: bool) -> Callable[[Any], int]:
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)

    def check(value: Any) -> int:
        if not isinstance(value, int):
            raise TypeError(f"expected int, got {type(value).__name__}")
        if not low <= value <= high:
            raise InvalidArgument(ErrorCode.EINVAL,
                                  f"{value} is out of range ({low}..{high})")
        return value

    return check


_ARG_CHECKS: Dict[Any, Callable[[Any], Any]] = {
    c_char_p: _text_arg,
    c_int: _int_range(8 * ctypes.sizeof(c_int), True),
    c_uint: _int_range(8 * ctypes.sizeof(c_uint), False),
    c_int64: _int_range(64, True),
    c_uint64: _int_range(64, False),
    c_size_t: _int_range(8 * ctypes.sizeof(c_size_t), False),
}


def _declare(name: str, restype: Any, argtypes: Tuple[Any, ...],
             errcheck: Optional[Callable[..., Any]]) -> Callable[..., Any]:
    """Declare one symbol and wrap it with the checks of its arguments."""
    try:
        cfunc = getattr(_lib, name)
    except AttributeError:
        return _missing(name)
    cfunc.restype = restype
    cfunc.argtypes = argtypes
    if errcheck is not None:
        cfunc.errcheck = errcheck
    checks = [(i, _ARG_CHECKS[t]) for i, t in enumerate(argtypes) if t in _ARG_CHECKS]
    if not checks:
        return cast(Callable[..., Any], cfunc)

    def call(*args: Any) -> Any:
        args_list = list(args)
        for i, check in checks:
            try:
                args_list[i] = check(args_list[i])
            except (TypeError, InvalidArgument) as exc:
                raise type(exc)(*_with_context(exc, name, i)) from None
        return cfunc(*args_list)

    call.__name__ = name
    return call


def _with_context(exc: Exception, name: str, index: int) -> Tuple[Any, ...]:
    where = f"{name}, argument {index + 1}"
    if isinstance(exc, InvalidArgument):
        return (exc.code, f"{where}: {exc.message}")
    return (f"{where}: {exc}",)


def _missing(name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        raise VersionMismatch(ErrorCode.EVERSION,
                              f"{name} is not in the loaded libtiergraph "
                              f"{C.tg_version_string()} ({library_path}); "
                              "it needs a newer release")

    call.__name__ = name
    return call


class _Functions:
    """The declared functions, as attributes named like the C symbols."""

    def __init__(self, table: Sequence[Signature]) -> None:
        for name, restype, argtypes, errcheck in table:
            setattr(self, name, _declare(name, restype, argtypes, errcheck))

    def __getattr__(self, name: str) -> Any:  # only reached for names not in the table
        raise AttributeError(f"{name} is not declared in tiergraph._api.SIGNATURES")


C: Any = _Functions(SIGNATURES)


def take_string(ptr: c_void_p) -> Optional[str]:
    """Copy a string the caller owns (``char **out``) and free it with tg_free."""
    if not ptr.value:
        return None
    try:
        return ctypes.string_at(ptr.value).decode("utf-8", "replace")
    finally:
        C.tg_free(ptr)


def check_abi(found: int) -> None:
    """Raise VersionMismatch unless the library's ABI major is the one of these bindings."""
    if found != _loader.ABI_VERSION:
        raise VersionMismatch(ErrorCode.EVERSION,
                              f"{library_path} has ABI {found}; these bindings were written "
                              f"for ABI {_loader.ABI_VERSION} (libtiergraph.so."
                              f"{_loader.ABI_VERSION})")


check_abi(C.tg_abi_version())
