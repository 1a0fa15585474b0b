"""More than one partner (DOMAIN.md §6): a partner's relationship request to an existing
customer, the customer's acceptance, and who works with whom."""
from __future__ import annotations

import ctypes
from typing import Any

from ._api import C, InviteP
from ._calls import list_ids
from .iterator import Ids
from .partnership import Invite


class RelationshipsMixin:
    """Who works with whom: partner sessions and customers' sessions alike."""

    _handle: Any

    def relationships(self) -> Ids:
        """For a customer's session, the tenant ids of the partners it works with (seller
        of record, associated reseller, partners whose requests it accepted, any partner
        holding delegated admin); for a partner user, the ids of the customers it works
        with. Raises PermissionDenied (a role that sees no customers)."""
        return list_ids(self, C.tg_relationships)


class RequestRelationshipMixin(RelationshipsMixin):
    """What a partner session does to start working with an existing customer."""

    def request_relationship(self, customer_id: str) -> Invite:
        """Ask to work with an existing customer: an :class:`Invite` whose single-use
        link only that customer's Global admin can accept (``accept_relationship`` of a
        customer's session). Sent by an indirect provider or direct-bill partner
        (Global admin, Admin agent, Sales agent). Whether the customer exists is not
        told here. Raises InvalidArgument (not a GUID), PermissionDenied, AlreadyExists
        (already works with it), RuleViolation (the resale ban)."""
        out = InviteP()
        C.tg_relationship_request(ctypes.byref(out), self._handle, customer_id)
        return Invite(out)


class AcceptRelationshipMixin(RelationshipsMixin):
    """What a customer's session does with a partner's relationship request."""

    def accept_relationship(self, link_or_token: str) -> None:
        """Accept a relationship request addressed to the session's customer (its Global
        admin). The partner then sees the customer, holds delegated admin over it and may
        place orders for it; no existing subscription changes hands. Raises
        InvalidArgument (malformed), NotFound (no such request), Expired, RuleViolation
        (already used; the resale ban), AlreadyExists (already works with that
        partner), PermissionDenied (not a Global admin; addressed to another customer)."""
        C.tg_relationship_accept(self._handle, link_or_token)
