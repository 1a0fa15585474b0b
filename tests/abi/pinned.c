/*
 * abi.pinned_values: every enumerator and flag of the public headers keeps the
 * value it was released with (docs/abi.md). Compiled, not run: a renumbered
 * value fails to compile. New values are appended here when they are released;
 * a line is never changed or removed within an ABI major.
 *
 * abidiff (abi.abidiff) sees only the enums that an exported function's
 * signature reaches; tg_error_code and tg_role are passed as int and unsigned
 * int, so they are pinned here.
 */
#include <tiergraph.h>
#include <tiergraph/store.h>

#define TG_PIN(name, value) _Static_assert((name) == (value), #name " is pinned to " #value)

/* tg_error_code */
TG_PIN(TG_OK, 0);
TG_PIN(TG_ERROR, -1);
TG_PIN(TG_ENOMEM, -2);
TG_PIN(TG_EINVAL, -3);
TG_PIN(TG_ENOTFOUND, -4);
TG_PIN(TG_EEXISTS, -5);
TG_PIN(TG_EDENIED, -6);
TG_PIN(TG_ESTATE, -7);
TG_PIN(TG_ECONFIRM, -8);
TG_PIN(TG_EEXPIRED, -9);
TG_PIN(TG_EIO, -10);
TG_PIN(TG_ECORRUPT, -11);
TG_PIN(TG_EBUSY, -12);
TG_PIN(TG_EVERSION, -13);
TG_PIN(TG_ITEROVER, -14);
TG_PIN(TG_EPASSWORD_CHANGE, -15); /* 0.2 */
TG_PIN(TG_ELOCKED, -16);          /* 0.2 */

/* tg_option */
TG_PIN(TG_OPT_ARGON2_OPSLIMIT, 1);
TG_PIN(TG_OPT_ARGON2_MEMLIMIT, 2);
TG_PIN(TG_OPT_INVITE_LIFETIME, 3);
TG_PIN(TG_OPT_CLOCK, 4);
TG_PIN(TG_OPT_DURABILITY, 5); /* 0.2 */
TG_PIN(TG_OPT_CHANGE_RETENTION, 6); /* 0.2: the change feed */

/* tg_durability (0.2) */
TG_PIN(TG_DURABILITY_OFF, 0);
TG_PIN(TG_DURABILITY_NORMAL, 1);
TG_PIN(TG_DURABILITY_FULL, 2);

/* tg_store_stat (0.2) */
TG_PIN(TG_STAT_STORE_BYTES, 1);
TG_PIN(TG_STAT_TAIL_DROPPED_BYTES, 2);
TG_PIN(TG_STAT_COMPACTIONS, 3);
TG_PIN(TG_STAT_RECORDS, 4);

/* tg_partner_kind */
TG_PIN(TG_PARTNER_INDIRECT_PROVIDER, 1);
TG_PIN(TG_PARTNER_INDIRECT_RESELLER, 2);
TG_PIN(TG_PARTNER_DIRECT_BILL, 3);

/* tg_role */
TG_PIN(TG_ROLE_GLOBAL_ADMIN, 1 << 0);
TG_PIN(TG_ROLE_USER_ADMIN, 1 << 1);
TG_PIN(TG_ROLE_ADMIN_AGENT, 1 << 2);
TG_PIN(TG_ROLE_SALES_AGENT, 1 << 3);
TG_PIN(TG_ROLE_HELPDESK_AGENT, 1 << 4);
TG_PIN(TG_ROLE_BILLING_ADMIN, 1 << 5);

/* tg_field */
TG_PIN(TG_FIELD_COMPANY_NAME, 1);
TG_PIN(TG_FIELD_DOMAIN_PREFIX, 2);
TG_PIN(TG_FIELD_EMAIL, 3);
TG_PIN(TG_FIELD_CULTURE, 4);
TG_PIN(TG_FIELD_LANGUAGE, 5);
TG_PIN(TG_FIELD_ADDRESS_LINE1, 6);
TG_PIN(TG_FIELD_ADDRESS_LINE2, 7);
TG_PIN(TG_FIELD_CITY, 8);
TG_PIN(TG_FIELD_STATE, 9);
TG_PIN(TG_FIELD_POSTAL_CODE, 10);
TG_PIN(TG_FIELD_COUNTRY, 11);
TG_PIN(TG_FIELD_FIRST_NAME, 12);
TG_PIN(TG_FIELD_LAST_NAME, 13);
TG_PIN(TG_FIELD_PHONE, 14);
TG_PIN(TG_FIELD_RESELLER, 15);
TG_PIN(TG_FIELD_TENANT, 16); /* 0.2 */

/* tg_channel (0.2) */
TG_PIN(TG_CHANNEL_DIRECT, 1);
TG_PIN(TG_CHANNEL_EA, 2);
TG_PIN(TG_CHANNEL_OPEN, 3);
TG_PIN(TG_CHANNEL_ADVISOR, 4);
TG_PIN(TG_CHANNEL_THIRD_PARTY, 5);

/* tg_subscription_status */
TG_PIN(TG_SUB_ACTIVE, 1);
TG_PIN(TG_SUB_SUSPENDED, 2);
TG_PIN(TG_SUB_DELETED, 3);

/* tg_action */
TG_PIN(TG_ACT_VIEW_PARTNERS, 1);
TG_PIN(TG_ACT_VIEW_CUSTOMER, 2);
TG_PIN(TG_ACT_INVITE_SEND, 3);
TG_PIN(TG_ACT_INVITE_ACCEPT, 4);
TG_PIN(TG_ACT_PARTNERSHIP_REMOVE, 5);
TG_PIN(TG_ACT_CUSTOMER_CREATE, 6);
TG_PIN(TG_ACT_ORDER_PLACE, 7);
TG_PIN(TG_ACT_SUBSCRIPTION_SET_RESELLER, 8);
TG_PIN(TG_ACT_SUBSCRIPTION_SET_SUPPORT, 9);
TG_PIN(TG_ACT_DELEGATED_ADMIN, 10);
TG_PIN(TG_ACT_USERS_MANAGE, 11);
TG_PIN(TG_ACT_GLOBAL_ADMIN_GRANT, 12);
TG_PIN(TG_ACT_BILLING_VIEW, 13);
TG_PIN(TG_ACT_CUSTOMER_REMOVE, 14);
TG_PIN(TG_ACT_VIEW_SUBSCRIPTION, 15);
TG_PIN(TG_ACT_PARTNER_ENROLL, 16);
TG_PIN(TG_ACT_RELATIONSHIP_REQUEST, 17); /* 0.2 */
TG_PIN(TG_ACT_RELATIONSHIP_ACCEPT, 18);
TG_PIN(TG_ACT_SUBSCRIPTION_RECORD, 19);
TG_PIN(TG_ACT_SUBSCRIPTION_HIRE, 20);
TG_PIN(TG_ACT_SUBSCRIPTION_MOVE, 21);

/* Grow as values are added: only their lower bounds are pinned. */
_Static_assert(TG_ACT_LAST_ >= TG_ACT_SUBSCRIPTION_MOVE, "TG_ACT_LAST_ is the highest action");
_Static_assert((TG_ROLE_ALL & 0x3f) == 0x3f, "TG_ROLE_ALL holds every role");

/* Flags and versions. */
TG_PIN(TG_CONFIRM, 0x1u);
TG_PIN(TG_ATTEST_GOOD_FAITH, 0x2u);
TG_PIN(TG_ABI_VERSION, 1);
_Static_assert(TG_STORE_VERSION >= 2, "TG_STORE_VERSION only goes up");
/* The vtable's version-1 slots keep their offsets; version 2 appended two. */
#include <stddef.h>
_Static_assert(offsetof(tg_store, load) == sizeof(void *), "tg_store layout (v1)");
_Static_assert(offsetof(tg_store, free) == 7 * sizeof(void *), "tg_store layout (v1)");
_Static_assert(offsetof(tg_store, set_option) == 8 * sizeof(void *), "tg_store layout (v2)");
_Static_assert(offsetof(tg_store, stat) == 9 * sizeof(void *), "tg_store layout (v2)");
