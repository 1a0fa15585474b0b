"""The new-customer draft (DOMAIN.md §4): set the details, review, submit or cancel."""
from __future__ import annotations

import ctypes
from typing import Any, List, NamedTuple, Optional, Union, cast, overload, TYPE_CHECKING

from ._api import C, ProblemsP, ReceiptP
from ._handle import Handle
from .enums import Field, enum_or_int
from .errors import RuleViolation
from .receipt import Receipt

if TYPE_CHECKING:
    from .session import Session


class Problem(NamedTuple):
    """One problem a review found: the field it is about (None: the draft as a whole)."""

    field: Optional[Union[Field, int]]
    message: str

    def __str__(self) -> str:
        return self.message


class _FieldValue:
    """A draft attribute backed by tg_draft_set / tg_draft_get (None or "" clears it)."""

    def __init__(self, field: Field) -> None:
        self.field = field

    @overload
    def __get__(self, draft: None, owner: type) -> "_FieldValue": ...

    @overload
    def __get__(self, draft: "Draft", owner: type) -> Optional[str]: ...

    def __get__(self, draft: Optional["Draft"], owner: type) -> Any:
        if draft is None:
            return self
        return draft.get(self.field)

    def __set__(self, draft: "Draft", value: Optional[str]) -> None:
        draft.set(self.field, value)


class Draft(Handle):
    """A new-customer draft of a provider's or direct-bill partner's session.

    Nothing is written until :meth:`submit`. Set fields as attributes
    (``draft.company_name = "Wingtip Toys"``), with :meth:`update` (keyword
    arguments named like the attributes) or :meth:`set`. As a context manager
    the draft is cancelled when the block raises, and freed when it ends::

        with session.new_customer(company_name="Wingtip Toys", ...) as draft:
            draft.add_subscription("office-365-e3", 25)
            receipt = draft.submit()
    """

    _kind = "draft"

    company_name = _FieldValue(Field.COMPANY_NAME)
    domain_prefix = _FieldValue(Field.DOMAIN_PREFIX)  #: -> <prefix>.onmicrosoft.com
    email = _FieldValue(Field.EMAIL)  #: the billing contact
    culture = _FieldValue(Field.CULTURE)  #: e.g. en-US
    language = _FieldValue(Field.LANGUAGE)  #: e.g. en
    address_line1 = _FieldValue(Field.ADDRESS_LINE1)
    address_line2 = _FieldValue(Field.ADDRESS_LINE2)
    city = _FieldValue(Field.CITY)
    state = _FieldValue(Field.STATE)
    postal_code = _FieldValue(Field.POSTAL_CODE)
    country = _FieldValue(Field.COUNTRY)  #: two letters
    first_name = _FieldValue(Field.FIRST_NAME)
    last_name = _FieldValue(Field.LAST_NAME)
    phone = _FieldValue(Field.PHONE)  #: optional
    reseller = _FieldValue(Field.RESELLER)  #: optional: the indirect reseller's tenant id
    #: optional (0.2): the customer's existing tenant id instead of a new tenant (a
    #: partner's corporate tenant, say); the resale ban applies
    tenant = _FieldValue(Field.TENANT)

    def __init__(self, ptr: Any, session: "Session") -> None:
        super().__init__(ptr, C.tg_draft_free, parent=session)

    def set(self, field: Union[Field, int], value: Optional[str]) -> None:
        """Set a field; None or "" clears it. Values are checked by :meth:`review`.
        Raises InvalidArgument (unknown field, longer than 4096 bytes) and
        RuleViolation (the draft was submitted or cancelled)."""
        C.tg_draft_set(self._handle, int(field), value)

    def get(self, field: Union[Field, int]) -> Optional[str]:
        """The current value of a field, or None when unset."""
        return cast(Optional[str], C.tg_draft_get(self._handle, int(field)))

    def update(self, **fields: Optional[str]) -> None:
        """Set several fields by attribute name: ``update(city="Redmond", state="WA")``.
        An unknown name raises TypeError before anything is set."""
        for name in fields:
            if not isinstance(getattr(type(self), name, None), _FieldValue):
                raise TypeError(f"a draft has no field {name!r}")
        for name, value in fields.items():
            setattr(self, name, value)

    def add_subscription(self, offer_id: str, quantity: int) -> None:
        """Add a subscription line: an offer id and a license count (1..1000000)."""
        C.tg_draft_add_subscription(self._handle, offer_id, quantity)

    def review(self) -> List[Problem]:
        """Every problem of the draft, reported together; empty when it may be
        submitted. Nothing is written. Raises RuleViolation once submitted or cancelled."""
        out = ProblemsP()
        try:
            C.tg_draft_review(ctypes.byref(out), self._handle)
            return [Problem(_field_of(C.tg_problems_field(out, i)),
                            C.tg_problems_message(out, i))
                    for i in range(C.tg_problems_count(out))]
        finally:
            C.tg_problems_free(out)

    def submit(self) -> Receipt:
        """Review again, then write the customer and its subscriptions, all or nothing.
        The draft is used up. Raises InvalidArgument (review problems, including a
        domain taken meanwhile), PermissionDenied, RuleViolation (already submitted
        or cancelled), StorageError."""
        out = ReceiptP()
        C.tg_draft_submit(ctypes.byref(out), self._handle)
        return Receipt(out)

    def cancel(self) -> None:
        """Discard the whole operation; the draft can no longer be used.
        Raises RuleViolation when it was already submitted or cancelled."""
        C.tg_draft_cancel(self._handle)

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is not None and not self.closed:
                try:
                    self.cancel()
                except RuleViolation:  # already submitted or cancelled: nothing to discard
                    pass
        finally:
            self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<tiergraph.Draft closed>"
        return f"<tiergraph.Draft {self.company_name!r}>"


def _field_of(value: int) -> Optional[Union[Field, int]]:
    return None if value == 0 else enum_or_int(Field, value)

