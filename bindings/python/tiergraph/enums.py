"""The pinned numbers of include/tiergraph.h as Python enums.

The values are the C enumerators' and never change (docs/abi.md); a newer
library may add values, which the bindings pass through as plain ints.
"""
from __future__ import annotations

import enum
from typing import Type, TypeVar, Union


class ErrorCode(enum.IntEnum):
    """tg_error_code: what a failed call returns."""

    OK = 0
    ERROR = -1
    ENOMEM = -2
    EINVAL = -3
    ENOTFOUND = -4
    EEXISTS = -5
    EDENIED = -6
    ESTATE = -7
    ECONFIRM = -8
    EEXPIRED = -9
    EIO = -10
    ECORRUPT = -11
    EBUSY = -12
    EVERSION = -13
    ITEROVER = -14
    EPASSWORD_CHANGE = -15  #: since 0.2
    ELOCKED = -16  #: since 0.2


class PartnerKind(enum.IntEnum):
    """tg_partner_kind."""

    INDIRECT_PROVIDER = 1
    INDIRECT_RESELLER = 2
    DIRECT_BILL = 3


class Role(enum.IntFlag):
    """tg_role: a user holds one or more (combine with ``|``)."""

    GLOBAL_ADMIN = 1 << 0
    USER_ADMIN = 1 << 1  # "User management admin"
    ADMIN_AGENT = 1 << 2
    SALES_AGENT = 1 << 3
    HELPDESK_AGENT = 1 << 4
    BILLING_ADMIN = 1 << 5


#: every role at once (TG_ROLE_ALL)
ROLE_ALL = Role(0x3F)


class Field(enum.IntEnum):
    """tg_field: the fields of a new-customer draft (0 in a problem: the draft as a whole)."""

    COMPANY_NAME = 1
    DOMAIN_PREFIX = 2
    EMAIL = 3
    CULTURE = 4
    LANGUAGE = 5
    ADDRESS_LINE1 = 6
    ADDRESS_LINE2 = 7
    CITY = 8
    STATE = 9
    POSTAL_CODE = 10
    COUNTRY = 11
    FIRST_NAME = 12
    LAST_NAME = 13
    PHONE = 14
    RESELLER = 15
    TENANT = 16  #: since 0.2: an existing tenant instead of a new one (the resale ban applies)


class SubscriptionStatus(enum.IntEnum):
    """tg_subscription_status."""

    ACTIVE = 1
    SUSPENDED = 2
    DELETED = 3


class Action(enum.IntEnum):
    """tg_action: what Session.check / may / explain ask about."""

    VIEW_PARTNERS = 1
    VIEW_CUSTOMER = 2
    INVITE_SEND = 3
    INVITE_ACCEPT = 4
    PARTNERSHIP_REMOVE = 5
    CUSTOMER_CREATE = 6
    ORDER_PLACE = 7
    SUBSCRIPTION_SET_RESELLER = 8
    SUBSCRIPTION_SET_SUPPORT = 9
    DELEGATED_ADMIN = 10
    USERS_MANAGE = 11
    GLOBAL_ADMIN_GRANT = 12
    BILLING_VIEW = 13
    CUSTOMER_REMOVE = 14
    VIEW_SUBSCRIPTION = 15
    PARTNER_ENROLL = 16
    # 0.2: more than one partner, multichannel (DOMAIN.md §6)
    RELATIONSHIP_REQUEST = 17
    RELATIONSHIP_ACCEPT = 18
    SUBSCRIPTION_RECORD = 19
    SUBSCRIPTION_HIRE = 20
    SUBSCRIPTION_MOVE = 21


#: the highest action these bindings know (TG_ACT_LAST_ of their headers); a newer
#: library may know more, this one answers InvalidArgument above it
ACTION_LAST = Action.SUBSCRIPTION_MOVE


class Option(enum.IntEnum):
    """tg_option: what Graph.set_option sets."""

    ARGON2_OPSLIMIT = 1
    ARGON2_MEMLIMIT = 2
    INVITE_LIFETIME = 3
    CLOCK = 4
    DURABILITY = 5
    CHANGE_RETENTION = 6  # since 0.2: how many change events the feed keeps (0: all)


class Durability(enum.IntEnum):
    """tg_durability: values of Option.DURABILITY."""

    OFF = 0
    NORMAL = 1
    FULL = 2


class StoreStat(enum.IntEnum):
    """tg_store_stat: what Graph.store_stat reports."""

    STORE_BYTES = 1
    TAIL_DROPPED_BYTES = 2
    COMPACTIONS = 3
    RECORDS = 4


class Channel(enum.IntEnum):
    """tg_channel: where a subscription its customer records was bought (since 0.2)."""

    DIRECT = 1  #: directly from the platform (online)
    EA = 2  #: Enterprise Agreement
    OPEN = 3  #: Open licensing
    ADVISOR = 4  #: through an advisor partner
    THIRD_PARTY = 5  #: another program or reseller


class RemoveFlag(enum.IntFlag):
    """The flags of tg_partnership_remove (both are required)."""

    CONFIRM = 0x1
    ATTEST_GOOD_FAITH = 0x2


E = TypeVar("E", bound=enum.IntEnum)


def enum_or_int(kind: Type[E], value: int) -> Union[E, int]:
    """``kind(value)``, or the plain int for a value a newer library added."""
    try:
        return kind(value)
    except ValueError:
        return value
