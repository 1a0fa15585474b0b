"""A session: who acts, the platform operator or a partner user.

The session's methods live in one mixin per workflow (partners.py,
partnership.py, customers.py, subscriptions.py, relationships.py, multichannel.py,
decisions.py, feed.py), as the C functions live in one file per workflow under src/ops/. A
customer's own session (customer_session.py) takes the mixins open to customers.
"""
from __future__ import annotations

from typing import Any, Optional, TYPE_CHECKING

from ._api import C
from ._handle import Handle
from .customers import CustomersMixin
from .decisions import DecisionsMixin
from .feed import FeedMixin
from .partners import PartnersMixin
from .partnership import PartnershipMixin
from .relationships import RequestRelationshipMixin
from .subscriptions import SubscriptionsMixin

if TYPE_CHECKING:
    from .graph import Graph


class Session(Handle, PartnersMixin, PartnershipMixin, CustomersMixin, SubscriptionsMixin,
              RequestRelationshipMixin, DecisionsMixin, FeedMixin):
    """Made by :meth:`Graph.operator` or :meth:`Graph.user`; a customer's user signs in
    with :meth:`Graph.customer` (a :class:`CustomerSession`).

    The library resolves the user's roles and partner on every call, so a role
    change or a removal applies to open sessions at once. A session keeps its
    graph alive; closing it closes its drafts and iterators first. Sessions are
    cheap: make one per thread.
    """

    _kind = "session"

    def __init__(self, ptr: Any, graph: "Graph", user_id: Optional[str]) -> None:
        super().__init__(ptr, C.tg_session_close, parent=graph)
        self.graph = graph
        #: the partner user acting, or None for the operator
        self.user_id = user_id

    @property
    def is_operator(self) -> bool:
        """True for the platform operator's session."""
        return self.user_id is None

    def __repr__(self) -> str:
        who = "operator" if self.user_id is None else self.user_id
        return f"<tiergraph.Session {who}{' closed' if self.closed else ''}>"
