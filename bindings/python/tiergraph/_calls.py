"""The shapes of call that sessions share: lists of ids and Partner Center JSON."""
from __future__ import annotations

import ctypes
import json
from typing import Any, Callable, Dict, Optional

from ._api import IterP, take_string
from .iterator import Ids


def list_ids(session: Any, cfunc: Callable[..., int], *args: Any) -> Ids:
    """Call a list function (``tg_iter **out, tg_session *, ...``) and wrap its snapshot."""
    out = IterP()
    cfunc(ctypes.byref(out), session._handle, *args)
    return Ids(out, session)


def owned_text(cfunc: Callable[..., int], *args: Any) -> Optional[str]:
    """Call a function returning ``char **out`` the caller frees; returns its copy."""
    out = ctypes.c_void_p()
    try:
        cfunc(ctypes.byref(out), *args)
    finally:
        # On error *out is NULL; freeing in `finally` also covers an answer with text.
        text = take_string(out)
    return text


def json_object(cfunc: Callable[..., int], *args: Any) -> Dict[str, Any]:
    """Call a ``*_get`` function and parse its JSON."""
    text = owned_text(cfunc, *args)
    assert text is not None
    result: Dict[str, Any] = json.loads(text)
    return result
