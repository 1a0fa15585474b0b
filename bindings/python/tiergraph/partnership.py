"""Provider <-> reseller partnerships (DOMAIN.md §3): the invitation and its one-time link."""
from __future__ import annotations

import ctypes
import datetime
from typing import Any, Dict, cast

from ._api import C, InviteP
from ._calls import json_object, list_ids
from ._handle import Handle
from .enums import RemoveFlag
from .iterator import Ids


class Invite(Handle):
    """A partnership request of an indirect provider: a single-use link with an expiry
    and an editable email carrying it.

    The token lives in the library's guarded memory and is wiped by :meth:`close`
    (or a with block); the invitation itself stays valid after that. Strings read
    from it (``link``, ``email``) are ordinary Python strings, which Python cannot
    wipe: drop them when done.
    """

    _kind = "invite"

    def __init__(self, ptr: Any) -> None:
        # Self-contained in C: it outlives the session and graph it came from.
        super().__init__(ptr, C.tg_invite_free)

    @property
    def link(self) -> str:
        """The invitation link (personalised to the provider, carrying the token)."""
        return cast(str, C.tg_invite_link(self._handle))

    @property
    def email(self) -> str:
        """The invitation email's text, which contains the link.

        Setting it raises InvalidArgument, text unchanged, unless the new text
        contains the link exactly."""
        return cast(str, C.tg_invite_email(self._handle))

    @email.setter
    def email(self, text: str) -> None:
        C.tg_invite_set_email(self._handle, text)

    @property
    def expires(self) -> int:
        """The expiry, in seconds since the epoch."""
        return int(C.tg_invite_expires(self._handle))

    @property
    def expires_at(self) -> datetime.datetime:
        """The expiry as an aware UTC datetime."""
        return datetime.datetime.fromtimestamp(self.expires, datetime.timezone.utc)

    def __repr__(self) -> str:
        return "<tiergraph.Invite closed>" if self.closed else \
            f"<tiergraph.Invite expires {self.expires_at.isoformat()}>"


class PartnershipMixin:
    """What provider and reseller sessions do about their partnerships."""

    _handle: Any

    def invite(self) -> Invite:
        """Create a partnership request (an indirect provider's Global admin, User
        management admin, Admin agent or Sales agent). Raises PermissionDenied."""
        out = InviteP()
        C.tg_invite_create(ctypes.byref(out), self._handle)
        return Invite(out)

    def accept(self, link_or_token: str) -> None:
        """Accept a partnership request: a Global admin of an indirect reseller with a
        signed agreement. Raises InvalidArgument (malformed), NotFound (no such
        invitation), Expired, RuleViolation (already used, agreement not signed),
        AlreadyExists (already partners), PermissionDenied."""
        C.tg_partnership_accept(self._handle, link_or_token)

    def remove_partnership(self, reseller_tenant_id: str, *, confirm: bool = False,
                           attest_good_faith: bool = False) -> None:
        """Remove a partnership (the provider's Global admin). Both ``confirm`` (the
        user answered "Yes") and ``attest_good_faith`` (made in good faith for a
        legitimate business purpose) are required, else ConfirmationRequired.

        Customers keep their association, delegated admin privileges stay,
        subscriptions keep their attribution; no new business with the reseller
        until a new request is accepted. Raises NotFound when not partners.
        """
        flags = (RemoveFlag.CONFIRM if confirm else 0) | \
            (RemoveFlag.ATTEST_GOOD_FAITH if attest_good_faith else 0)
        C.tg_partnership_remove(self._handle, reseller_tenant_id, int(flags))

    def resellers(self) -> Ids:
        """The tenant ids of the session's provider's indirect resellers."""
        return list_ids(self, C.tg_resellers)

    def providers(self) -> Ids:
        """The tenant ids of the session's reseller's indirect providers."""
        return list_ids(self, C.tg_providers)

    def resellers_json(self) -> Dict[str, Any]:
        """The session's provider's indirect resellers as Partner Center returns them
        (``GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf``):
        ``{"totalCount", "items": [{"id", "name", "relationshipType":
        "is_indirect_cloud_solution_provider_of", "state", "mpnId", "location",
        "attributes"}], "attributes"}``. Raises PermissionDenied (as :meth:`resellers`)."""
        return json_object(C.tg_resellers_json, self._handle)

    def providers_json(self) -> Dict[str, Any]:
        """The session's reseller's indirect providers, in the same shape with
        ``"relationshipType": "is_indirect_reseller_of"``. Raises PermissionDenied (as
        :meth:`providers`)."""
        return json_object(C.tg_providers_json, self._handle)
