"""Customers (DOMAIN.md §4): the new-customer flow, lists, Partner Center JSON, removal."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Optional

from ._api import C, DraftP
from ._calls import json_object, list_ids
from .draft import Draft
from .iterator import Ids


class CustomerReadsMixin:
    """Reading customers: partner sessions, and a customer's own session (its customer only)."""

    _handle: Any

    def customers(self, reseller_tenant_id: Optional[str] = None) -> Ids:
        """The ids of the customers the session sees, optionally only those associated
        with an indirect reseller."""
        return list_ids(self, C.tg_customers, reseller_tenant_id)

    def get_customer(self, customer_id: str) -> Dict[str, Any]:
        """A customer in Partner Center's REST shape. Raises NotFound when absent or
        not visible (the two cannot be told apart, by design)."""
        return json_object(C.tg_customer_get, self._handle, customer_id)


class CustomersMixin(CustomerReadsMixin):
    """What partner sessions do to customers."""

    def new_customer(self, **fields: Optional[str]) -> Draft:
        """Start a new-customer draft (a provider's or direct-bill partner's session),
        optionally setting fields by name (``company_name=...``, see :class:`Draft`).
        Use it in a with block: it is cancelled if the block raises.
        Raises PermissionDenied, TypeError (unknown field name)."""
        out = DraftP()
        C.tg_draft_new(ctypes.byref(out), self._handle)
        draft = Draft(out, self)  # type: ignore[arg-type]
        try:
            draft.update(**fields)
        except BaseException:
            draft.close()
            raise
        return draft

    def set_customer_reseller(self, customer_id: str, reseller_tenant_id: Optional[str]) -> None:
        """Associate an indirect reseller (an active partner of the seller) with a
        customer, or end the association (None)."""
        C.tg_customer_set_reseller(self._handle, customer_id, reseller_tenant_id)

    def remove_customer(self, customer_id: str) -> None:
        """Remove a customer, by its seller of record. Raises RuleViolation while it
        has a reseller association or an active subscription."""
        C.tg_customer_remove(self._handle, customer_id)

    def verify_password(self, admin_user: str, password: str) -> None:
        """Deprecated since 0.2 (sign in with Graph.customer instead): check a customer
        user's current password (operator only). Returns when it matches; raises
        PermissionDenied when it does not (or the session is not the operator's: the
        message says which), NotFound for an unknown admin, SignInLocked while the
        name is locked. A failure counts towards the lockout."""
        C.tg_customer_verify_password(self._handle, admin_user, password)
