"""Multichannel (DOMAIN.md §6): subscriptions a customer bought elsewhere, the partner it
hires to support them, and switching a subscription to another partner after its term."""
from __future__ import annotations

import datetime
from typing import Any, Optional, Union

from ._api import C
from ._calls import owned_text
from .enums import Channel, ErrorCode
from .errors import InvalidArgument

#: a moment: seconds since the epoch, or a datetime with a time zone
Moment = Union[int, datetime.datetime]


def epoch_seconds(moment: Optional[Moment]) -> int:
    """Seconds since the epoch of ``moment``; 0 for None. A naive datetime is refused:
    its local-time guess would shift the term by hours."""
    if moment is None:
        return 0
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidArgument(ErrorCode.EINVAL,
                                  f"{moment!r} has no time zone: give it one "
                                  "(datetime.timezone.utc) or pass seconds since the epoch")
        return int(moment.timestamp())
    if isinstance(moment, bool) or not isinstance(moment, int):
        raise TypeError(f"expected int, datetime or None, got {type(moment).__name__}")
    return moment


class MultichannelMixin:
    """What a customer's Global admin does with subscriptions bought elsewhere."""

    _handle: Any

    def record_subscription(self, channel: Union[Channel, int], offer_id: str, quantity: int,
                            *, term_end: Optional[Moment] = None) -> str:
        """Record a subscription bought elsewhere (``Channel.EA``, ...); returns its id.
        It has no partner of record and no support contact until a partner is hired.
        ``term_end`` (seconds since the epoch or an aware datetime) makes it
        license-based with a term; None: no term. Raises InvalidArgument,
        PermissionDenied (not the customer's Global admin)."""
        sid = owned_text(C.tg_subscription_record, self._handle, int(channel), offer_id,
                         quantity, epoch_seconds(term_end))
        assert sid is not None
        return sid

    def hire_partner(self, subscription_id: str, partner_tenant_id: Optional[str]) -> None:
        """Hire a partner the customer works with to manage and support a subscription
        bought elsewhere: it becomes the support contact, not the partner of record.
        None ends the hire. Raises RuleViolation (a CSP subscription; a partner it does
        not work with), NotFound, PermissionDenied, InvalidArgument."""
        C.tg_subscription_hire(self._handle, subscription_id, partner_tenant_id)

    def move_subscription(self, subscription_id: str, partner_tenant_id: str) -> None:
        """Switch a subscription to another CSP partner the customer works with, which
        becomes its partner of record and support contact (one bought elsewhere becomes
        a CSP subscription, with a new one-year term). A license-based subscription
        moves only once its term has ended: RuleViolation before, naming the date.
        Raises NotFound, PermissionDenied, InvalidArgument too."""
        C.tg_subscription_move(self._handle, subscription_id, partner_tenant_id)
