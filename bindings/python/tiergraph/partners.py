"""Partners and their users (DOMAIN.md §1, §2): what a session does to them."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Union

from ._api import C
from ._calls import json_object, list_ids
from .enums import PartnerKind, Role
from .iterator import Ids


class PartnersMixin:
    """Enrolment (operator), agreements, corporate tenants, partner profiles, users and roles."""

    _handle: Any

    def enroll(self, kind: Union[PartnerKind, int], tenant_id: str, *, partner_id: str,
               name: str, domain: str, country: str) -> None:
        """Enrol a partner (operator only). ``tenant_id`` is its CSP tenant (a GUID),
        ``partner_id`` its numeric PartnerID (1-10 digits), ``domain`` its own domain,
        ``country`` two letters.

        Raises InvalidArgument, AlreadyExists (tenant, PartnerID or domain taken),
        PermissionDenied.
        """
        C.tg_partner_enroll(self._handle, int(kind), tenant_id, partner_id, name, domain,
                            country)

    def set_agreement(self, tenant_id: str, signed: bool = True) -> None:
        """Record whether the partner signed the partner agreement (operator only)."""
        C.tg_partner_set_agreement(self._handle, tenant_id, 1 if signed else 0)

    def add_tenant(self, partner_tenant_id: str, tenant_id: str) -> None:
        """Add a corporate (non-CSP) tenant to a partner (operator only).
        Raises AlreadyExists when the tenant is in use anywhere."""
        C.tg_partner_add_tenant(self._handle, partner_tenant_id, tenant_id)

    def partners(self, kind: Union[PartnerKind, int]) -> Ids:
        """The CSP tenant ids of the partners of a kind (the operator: any kind;
        partner users: the official list of indirect providers)."""
        return list_ids(self, C.tg_partners, int(kind))

    def get_partner(self, tenant_id: str) -> Dict[str, Any]:
        """A partner's profile: tenantId, partnerId, mpnId, name, domain, country, kind,
        agreementSigned, tenants. Raises NotFound when absent or not visible."""
        return json_object(C.tg_partner_get, self._handle, tenant_id)

    def add_user(self, partner_tenant_id: str, user_id: str, roles: Union[Role, int]) -> None:
        """Add a user to a partner with one or more roles (``Role.SALES_AGENT | ...``).
        Only a Global admin grants Global admin. Raises InvalidArgument (no or unknown
        roles), NotFound, AlreadyExists (user ids are unique across the graph),
        PermissionDenied."""
        C.tg_user_add(self._handle, partner_tenant_id, user_id, int(roles))

    def set_roles(self, user_id: str, roles: Union[Role, int]) -> None:
        """Replace a user's roles (granting or revoking Global admin needs Global admin)."""
        C.tg_user_set_roles(self._handle, user_id, int(roles))

    def remove_user(self, user_id: str) -> None:
        """Remove a user; their open sessions are refused from their next call on."""
        C.tg_user_remove(self._handle, user_id)

    def roles(self, user_id: str) -> Role:
        """The roles of a user of the session's own partner (any user, for the operator)."""
        out = ctypes.c_uint()
        C.tg_user_roles(ctypes.byref(out), self._handle, user_id)
        return Role(out.value)

    def users(self, partner_tenant_id: str) -> Ids:
        """The user ids of a partner (the operator, or its Global / User management admins)."""
        return list_ids(self, C.tg_users, partner_tenant_id)
