"""Subscriptions of existing customers (DOMAIN.md §5): attribution and support contact."""
from __future__ import annotations

from typing import Any, Dict, Optional, Union

from ._api import C
from ._calls import json_object, list_ids, owned_text
from .enums import SubscriptionStatus
from .iterator import Ids


class SubscriptionReadsMixin:
    """Reading subscriptions: partner sessions, and a customer's own session (all of its
    customer's subscriptions, whoever sold them)."""

    _handle: Any

    def subscriptions(self, customer_id: str) -> Ids:
        """The ids of a customer's subscriptions that the session may see."""
        return list_ids(self, C.tg_subscriptions, customer_id)

    def get_subscription(self, subscription_id: str) -> Dict[str, Any]:
        """A subscription in Partner Center's REST shape. Raises NotFound."""
        return json_object(C.tg_subscription_get, self._handle, subscription_id)


class SubscriptionsMixin(SubscriptionReadsMixin):
    """What partner sessions do to subscriptions."""

    def add_subscription(self, customer_id: str, offer_id: str, quantity: int, *,
                         reseller_partner_id: Optional[str] = None,
                         support_tenant_id: Optional[str] = None) -> str:
        """Add a subscription to an existing customer; returns its id. The session's
        partner becomes its partner of record. ``reseller_partner_id`` attributes it
        to an indirect reseller by PartnerID; ``support_tenant_id`` names the
        designated support contact (default: the seller).
        Raises InvalidArgument, NotFound, PermissionDenied, RuleViolation."""
        sid = owned_text(C.tg_subscription_add, self._handle, customer_id, offer_id, quantity,
                         reseller_partner_id, support_tenant_id)
        assert sid is not None
        return sid

    def set_subscription_reseller(self, subscription_id: str,
                                  reseller_partner_id: Optional[str]) -> None:
        """Set (or clear, with None) the reseller attributed on a subscription, by PartnerID."""
        C.tg_subscription_set_reseller(self._handle, subscription_id, reseller_partner_id)

    def set_subscription_support(self, subscription_id: str,
                                 support_tenant_id: Optional[str]) -> None:
        """Set the designated support contact (None: back to the partner of record)."""
        C.tg_subscription_set_support(self._handle, subscription_id, support_tenant_id)

    def set_subscription_status(self, subscription_id: str,
                                status: Union[SubscriptionStatus, int]) -> None:
        """Change a subscription's status (its partner of record)."""
        C.tg_subscription_set_status(self._handle, subscription_id, int(status))
