"""The exceptions of tiergraph: one class per pinned ``TG_E*`` code.

Every exception raised for a failed library call is a :class:`TiergraphError`
carrying ``.code`` (the pinned integer) and ``.message`` (the library's
``tg_error_message()``, read on the calling thread right after the call).
"""
from __future__ import annotations

from typing import Dict, Optional, Type

from .enums import ErrorCode


class TiergraphError(Exception):
    """A call into libtiergraph failed.

    ``code`` is the pinned ``TG_E*`` value (negative; an :class:`ErrorCode` when
    the bindings know it, else a plain int); ``message`` says what went wrong.
    """

    #: the code this class stands for (None: the base class, any code)
    code_of_class: Optional[int] = None

    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)
        self.code = _known(code)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self.code)}, {self.message!r})"


class InternalError(TiergraphError):
    """TG_ERROR: an unexpected internal error."""

    code_of_class = ErrorCode.ERROR


class OutOfMemory(TiergraphError, MemoryError):
    """TG_ENOMEM: the library ran out of memory."""

    code_of_class = ErrorCode.ENOMEM


class InvalidArgument(TiergraphError, ValueError):
    """TG_EINVAL: an argument is invalid (format, length, range), or a closed handle was used."""

    code_of_class = ErrorCode.EINVAL


class NotFound(TiergraphError, LookupError):
    """TG_ENOTFOUND: the object does not exist, or is not visible to the session."""

    code_of_class = ErrorCode.ENOTFOUND


class AlreadyExists(TiergraphError):
    """TG_EEXISTS: the object already exists."""

    code_of_class = ErrorCode.EEXISTS


class PermissionDenied(TiergraphError):
    """TG_EDENIED: the session's roles or partner kind do not allow the action."""

    code_of_class = ErrorCode.EDENIED


class RuleViolation(TiergraphError):
    """TG_ESTATE: a rule of the graph forbids the action now."""

    code_of_class = ErrorCode.ESTATE


class ConfirmationRequired(TiergraphError):
    """TG_ECONFIRM: the action needs explicit confirmation flags."""

    code_of_class = ErrorCode.ECONFIRM


class Expired(TiergraphError):
    """TG_EEXPIRED: the token or invitation has expired; or the change events asked
    for are no longer kept (Option.CHANGE_RETENTION)."""

    code_of_class = ErrorCode.EEXPIRED


class StorageError(TiergraphError):
    """TG_EIO: the store failed to read or write."""

    code_of_class = ErrorCode.EIO


class CorruptStore(TiergraphError):
    """TG_ECORRUPT: the store holds records that cannot be decoded (or verify found a violation)."""

    code_of_class = ErrorCode.ECORRUPT


class StoreBusy(TiergraphError):
    """TG_EBUSY: the store is held by another process."""

    code_of_class = ErrorCode.EBUSY


class VersionMismatch(TiergraphError):
    """TG_EVERSION: a version (store vtable, ABI, library release) is not supported."""

    code_of_class = ErrorCode.EVERSION


class PasswordChangeRequired(TiergraphError):
    """TG_EPASSWORD_CHANGE: the password is a temporary (or initial) one; no session was
    opened. Set a new one with Graph.change_customer_password, then sign in with it."""

    code_of_class = ErrorCode.EPASSWORD_CHANGE


class SignInLocked(TiergraphError):
    """TG_ELOCKED: too many failed sign-ins of this user name; every sign-in is refused,
    even with the right password, until the 15-minute window has passed."""

    code_of_class = ErrorCode.ELOCKED


class LibraryNotFound(ImportError):
    """libtiergraph could not be loaded; the message lists every place tried."""


_BY_CODE: Dict[int, Type[TiergraphError]] = {}
for _cls in (InternalError, OutOfMemory, InvalidArgument, NotFound, AlreadyExists,
             PermissionDenied, RuleViolation, ConfirmationRequired, Expired, StorageError,
             CorruptStore, StoreBusy, VersionMismatch, PasswordChangeRequired, SignInLocked):
    assert _cls.code_of_class is not None
    _BY_CODE[int(_cls.code_of_class)] = _cls


def _known(code: int) -> int:
    try:
        return ErrorCode(code)
    except ValueError:  # a code added by a newer library: keep the number
        return code


def error_for(code: int, message: str) -> TiergraphError:
    """The exception for a pinned code (the base class for codes these bindings do not know)."""
    return _BY_CODE.get(code, TiergraphError)(code, message)
