"""A customer's own session (DOMAIN.md §4 first sign-in, §6): one of its users, signed in
with a password. Made by :meth:`Graph.customer`."""
from __future__ import annotations

from typing import Any, Optional, Union, TYPE_CHECKING

from ._api import C
from ._handle import Handle
from .customers import CustomerReadsMixin
from .decisions import DecisionsMixin
from .enums import Role
from .multichannel import MultichannelMixin
from .relationships import AcceptRelationshipMixin
from .subscriptions import SubscriptionReadsMixin

if TYPE_CHECKING:
    from .graph import Graph


class CustomerSession(Handle, CustomerReadsMixin, SubscriptionReadsMixin,
                      AcceptRelationshipMixin, MultichannelMixin, DecisionsMixin):
    """A signed-in user of a customer.

    Every user reads its own customer and all of its subscriptions, whoever sold
    them (``customers()``, ``get_customer``, ``subscriptions``, ``get_subscription``,
    ``relationships()``, ``check``/``may``/``explain``). Its Global admins also add
    users, accept relationship requests, record subscriptions bought elsewhere, hire
    a partner for them and move subscriptions to another partner. The library refuses
    a customer's session every partner operation, so this class has none of them.
    As with partner sessions, the session is resolved on every call: once its
    customer is removed, every call raises PermissionDenied.
    """

    _kind = "session"

    def __init__(self, ptr: Any, graph: "Graph", user_name: str) -> None:
        super().__init__(ptr, C.tg_session_close, parent=graph)
        self.graph = graph
        #: the user name it signed in with (names compare without case)
        self.user_name = user_name
        self._customer_id: Optional[str] = None

    @property
    def customer_id(self) -> str:
        """The id of the session's customer (the one customer ``customers()`` lists)."""
        if self._customer_id is None:
            ids = list(self.customers())
            assert len(ids) == 1, f"a customer's session lists {len(ids)} customers"
            self._customer_id = ids[0]
        return self._customer_id

    def add_user(self, user_name: str, password: str, roles: Union[Role, int] = 0) -> None:
        """Add a user to the session's customer (its Global admin). ``user_name`` is at
        the customer's own domain (``ann@<prefix>.onmicrosoft.com``); ``roles`` is 0 (a
        user who reads) or ``Role.GLOBAL_ADMIN``; ``password`` is an initial password
        (the rules of a new one) that the user changes at first sign-in. Raises
        InvalidArgument (name, password or roles), PermissionDenied, AlreadyExists."""
        C.tg_customer_user_add(self._handle, user_name, password, int(roles))

    def __repr__(self) -> str:
        return f"<tiergraph.CustomerSession {self.user_name}{' closed' if self.closed else ''}>"
