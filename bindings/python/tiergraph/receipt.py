"""A submitted customer's receipt: its ids and the one-time admin credentials."""
from __future__ import annotations

from typing import Any, Optional, Tuple, cast

from ._api import C
from ._handle import Handle


class Receipt(Handle):
    """What :meth:`Draft.submit` returns.

    ``customer_id``, ``admin_user`` and ``subscription_ids`` are copied when the
    receipt is made and stay readable after :meth:`close`. The temporary
    ``password`` is shown once, as in C: the first read returns it, every later
    read returns None. Closing the receipt (or leaving its with block) wipes the
    library's copy; the ``str`` you read is Python's and cannot be wiped.
    """

    _kind = "receipt"

    def __init__(self, ptr: Any) -> None:
        # Self-contained in C: it outlives the draft, session and graph it came from.
        super().__init__(ptr, C.tg_receipt_free)
        self.customer_id: str = C.tg_receipt_customer_id(ptr)
        self.admin_user: str = C.tg_receipt_admin_user(ptr)
        count = C.tg_receipt_subscription_count(ptr)
        self.subscription_ids: Tuple[str, ...] = tuple(
            C.tg_receipt_subscription_id(ptr, i) for i in range(count))

    @property
    def password(self) -> Optional[str]:
        """The temporary admin password: the first read returns it, later reads None
        (and so does a read after close)."""
        if self.closed:
            return None
        return cast(Optional[str], C.tg_receipt_password(self._handle))

    def __repr__(self) -> str:
        # Never the password: a repr ends up in logs.
        return f"<tiergraph.Receipt customer {self.customer_id}, admin {self.admin_user}>"
