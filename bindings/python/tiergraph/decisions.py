"""Decisions: may this session do that action to that object now, and why?"""
from __future__ import annotations

import ctypes
from typing import Any, NamedTuple, Optional, Union

from ._api import C, _message, take_string
from .enums import Action, ErrorCode
from .errors import error_for


class Explanation(NamedTuple):
    """What :meth:`Session.explain` answers: the verdict and its reason, one sentence."""

    allowed: bool
    code: ErrorCode  #: OK, EDENIED (roles, kind, relationship), ESTATE (a rule) or ENOTFOUND
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


class DecisionsMixin:
    """tg_check and tg_explain: the very decision the operations make."""

    _handle: Any

    def check(self, action: Union[Action, int], object_id: Optional[str] = None) -> None:
        """Return if the session may do ``action`` to ``object_id`` now; otherwise raise
        PermissionDenied, RuleViolation or NotFound carrying the reason. With no
        object the answer covers the session's roles and partner kind only."""
        code = C.tg_check(self._handle, int(action), object_id)
        if code != ErrorCode.OK:
            raise error_for(code, _message())

    def may(self, action: Union[Action, int], object_id: Optional[str] = None) -> bool:
        """True if the session may do ``action`` to ``object_id`` now."""
        return bool(C.tg_check(self._handle, int(action), object_id) == ErrorCode.OK)

    def explain(self, action: Union[Action, int],
                object_id: Optional[str] = None) -> Explanation:
        """Why :meth:`check` answers as it does: the verdict and one sentence."""
        out = ctypes.c_void_p()
        try:
            code = C.tg_explain(ctypes.byref(out), self._handle, int(action), object_id)
        finally:
            reason = take_string(out)
        return Explanation(code == ErrorCode.OK, ErrorCode(code), reason or "")
