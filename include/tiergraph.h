/*
 * tiergraph.h - the public API of tiergraph, the rulebook and system of record
 * of the CSP two-tier partner model (indirect providers, indirect resellers,
 * customers, subscriptions, partner users and roles).
 *
 * Conventions (see docs/design.md):
 *  - Functions return int: TG_OK (0) on success, a negative TG_E* code on error.
 *    Getters return their value directly and say so.
 *  - Out-parameters come first and are named `out`. On error *out is set to NULL.
 *  - Objects returned through `out` belong to the caller and are released with
 *    the type's own free function; strings with tg_free(). Every free function
 *    accepts NULL.
 *  - Strings are UTF-8 and NUL-terminated.
 *  - After an error, tg_error_message() gives a message for this thread.
 *  - Handles other than tg_graph belong to one thread at a time; a tg_graph may be
 *    shared by threads (docs/threading.md).
 */
#ifndef TIERGRAPH_H
#define TIERGRAPH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(TG_SHARED)
#  ifdef TG_BUILDING
#    define TG_API __declspec(dllexport)
#  else
#    define TG_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define TG_API __attribute__((visibility("default")))
#else
#  define TG_API
#endif

/* The calling convention of callbacks the library calls. */
#if defined(_WIN32)
#  define TG_CALLBACK __cdecl
#else
#  define TG_CALLBACK
#endif

/* ------------------------------------------------------------------ */
/* Versions                                                            */
/* ------------------------------------------------------------------ */

#define TG_VERSION_MAJOR 0
#define TG_VERSION_MINOR 2
#define TG_VERSION_PATCH 0
#define TG_VERSION_NUMBER (TG_VERSION_MAJOR * 10000 + TG_VERSION_MINOR * 100 + TG_VERSION_PATCH)
/* True when the headers are at least version maj.min.patch. */
#define TG_VERSION_CHECK(maj, min, patch) \
    (TG_VERSION_NUMBER >= ((maj) * 10000 + (min) * 100 + (patch)))
/* The ABI major: the library's SONAME is libtiergraph.so.<TG_ABI_VERSION>. */
#define TG_ABI_VERSION 1

/** The library's version as text, "MAJOR.MINOR.PATCH". Static; never NULL. */
TG_API const char *tg_version_string(void);
/** The library's version as MAJOR*10000 + MINOR*100 + PATCH. */
TG_API int tg_version_number(void);
/** The ABI major of the running library; bindings compare it with their own. */
TG_API int tg_abi_version(void);

/* ------------------------------------------------------------------ */
/* Errors: pinned forever. Codes are only ever added, never renumbered. */
/* ------------------------------------------------------------------ */

typedef enum tg_error_code {
    TG_OK = 0,
    TG_ERROR = -1,     /* unexpected internal error */
    TG_ENOMEM = -2,    /* out of memory */
    TG_EINVAL = -3,    /* an argument is invalid (NULL, length, format, range) */
    TG_ENOTFOUND = -4, /* the object does not exist, or is not visible to the session */
    TG_EEXISTS = -5,   /* the object already exists */
    TG_EDENIED = -6,   /* the session's roles or partner kind do not allow the action */
    TG_ESTATE = -7,    /* a rule of the graph forbids the action now */
    TG_ECONFIRM = -8,  /* the action needs explicit confirmation flags */
    TG_EEXPIRED = -9,  /* the token or invitation has expired */
    TG_EIO = -10,      /* the store failed to read or write */
    TG_ECORRUPT = -11, /* the store holds records that cannot be decoded */
    TG_EBUSY = -12,    /* the store is held by another process */
    TG_EVERSION = -13, /* a version (store vtable, ABI) is not supported */
    TG_ITEROVER = -14  /* an iterator has no more items (not a failure) */
} tg_error_code;

/** The message of the last error on this thread. Never NULL; valid until the
 *  next call into the library on this thread. */
TG_API const char *tg_error_message(void);
/** A static text naming an error code. Never NULL. */
TG_API const char *tg_strerror(int code);
/** Free memory the library returned to the caller (strings, JSON). NULL is a no-op. */
TG_API void tg_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Handles                                                             */
/* ------------------------------------------------------------------ */

typedef struct tg_graph tg_graph;       /* the graph and its store; thread-safe */
typedef struct tg_session tg_session;   /* who acts: the operator or a partner user */
typedef struct tg_invite tg_invite;     /* a partnership request with its one-time link */
typedef struct tg_draft tg_draft;       /* a new-customer draft */
typedef struct tg_problems tg_problems; /* the problems a draft review found */
typedef struct tg_receipt tg_receipt;   /* a submitted customer's one-time credentials */
typedef struct tg_iter tg_iter;         /* a snapshot list of ids */
typedef struct tg_store tg_store;       /* a storage backend: see tiergraph/store.h */

/* ------------------------------------------------------------------ */
/* Graph                                                               */
/* ------------------------------------------------------------------ */

/**
 * Open a graph. `uri` names the store:
 *  - "file:PATH"   the embedded default: an append-only, checksummed journal,
 *                  durable when a write returns (docs/backends.md);
 *  - "sqlite:PATH" a SQLite database (when built with TG_WITH_SQLITE);
 *  - "mem:"        nothing survives close.
 * A torn tail left by a crash after the last complete write is dropped (see
 * TG_STAT_TAIL_DROPPED_BYTES); damage before it is TG_ECORRUPT with the byte offset.
 * Errors: TG_EINVAL (unknown scheme, empty path), TG_EBUSY (another process holds
 * the store), TG_ECORRUPT, TG_EIO, TG_EVERSION, TG_ENOMEM. Free with tg_graph_close().
 */
TG_API int tg_graph_open(tg_graph **out, const char *uri);

/**
 * Open a graph over a custom storage backend (tiergraph/store.h). On success the
 * graph owns `store` and calls its `free` slot at close; on failure the caller
 * still owns it. Errors: TG_EVERSION (version 0), TG_EINVAL (a required slot
 * is NULL), TG_ECORRUPT, TG_EIO.
 */
TG_API int tg_graph_open_store(tg_graph **out, tg_store *store);

/** Close a graph and its store. Sessions, drafts and iterators made from it
 *  must be freed first. NULL is a no-op. */
TG_API void tg_graph_close(tg_graph *graph);

/** The graph's revision: the number of writes committed over its life. */
TG_API uint64_t tg_graph_revision(const tg_graph *graph);

typedef enum tg_option {
    /* Argon2id cost of temporary-password verifiers: time (opslimit, >= 1)
     * and memory in bytes (memlimit, >= 8192). Defaults: libsodium's
     * "interactive" limits. */
    TG_OPT_ARGON2_OPSLIMIT = 1,
    TG_OPT_ARGON2_MEMLIMIT = 2,
    /* Lifetime of partnership invitations, in seconds (default 7 days). */
    TG_OPT_INVITE_LIFETIME = 3,
    /* A fixed clock for tests, in seconds since the epoch; 0 = the system clock. */
    TG_OPT_CLOCK = 4,
    /* When writes reach the disk: a tg_durability value (default TG_DURABILITY_FULL).
     * Refused with TG_EINVAL by stores without the setting ("mem:"). */
    TG_OPT_DURABILITY = 5,
    /* How many change events the feed keeps, the newest; older ones are deleted,
     * from memory and from the store, by the next write. 0 (the default) keeps
     * every event. */
    TG_OPT_CHANGE_RETENTION = 6
} tg_option;

typedef enum tg_durability {
    TG_DURABILITY_OFF = 0,    /* never flush: a crash of the machine may lose writes */
    TG_DURABILITY_NORMAL = 1, /* flush at checkpoints: a crash of the machine may lose
                               * the writes since the last one; a crash of the process
                               * loses nothing */
    TG_DURABILITY_FULL = 2    /* flush every write before it returns */
} tg_durability;

/** Set an option. Errors: TG_EINVAL (unknown option or value out of range). */
TG_API int tg_graph_set_option(tg_graph *graph, tg_option option, int64_t value);

typedef enum tg_store_stat {
    TG_STAT_STORE_BYTES = 1,        /* the store's size on disk, in bytes */
    TG_STAT_TAIL_DROPPED_BYTES = 2, /* bytes of a torn tail dropped when the store was opened */
    TG_STAT_COMPACTIONS = 3,        /* compactions since the store was opened */
    TG_STAT_RECORDS = 4             /* live records in the store */
} tg_store_stat;

/** A statistic of the graph's store, through `out`.
 *  Errors: TG_EINVAL (NULL, or a statistic this store does not keep). */
TG_API int tg_graph_store_stat(int64_t *out, tg_graph *graph, tg_store_stat what);

/** Check every invariant of the graph (references, indexes, rules).
 *  Returns TG_OK or TG_ECORRUPT with a message naming the first violation. */
TG_API int tg_graph_verify(tg_graph *graph);

/* ------------------------------------------------------------------ */
/* Sessions                                                            */
/* ------------------------------------------------------------------ */

/** A session of the platform operator (enrols partners, records agreements). */
TG_API int tg_session_operator(tg_session **out, tg_graph *graph);
/** A session of a partner user. Errors: TG_EINVAL, TG_ENOTFOUND (no such user). */
TG_API int tg_session_user(tg_session **out, tg_graph *graph, const char *user_id);
/** Close a session. NULL is a no-op. */
TG_API void tg_session_close(tg_session *session);

/* ------------------------------------------------------------------ */
/* Partners and users (DOMAIN.md §1, §2)                               */
/* ------------------------------------------------------------------ */

typedef enum tg_partner_kind {
    TG_PARTNER_INDIRECT_PROVIDER = 1,
    TG_PARTNER_INDIRECT_RESELLER = 2,
    TG_PARTNER_DIRECT_BILL = 3
} tg_partner_kind;

/**
 * Enrol a partner (operator only). `tenant_id` is its CSP tenant (a GUID);
 * `partner_id` its numeric PartnerID (MPN ID, 1-10 digits); `domain` its own
 * domain (customers' billing emails may not use it); `country` two letters.
 * Errors: TG_EINVAL, TG_EEXISTS (tenant, PartnerID or domain taken), TG_EDENIED.
 */
TG_API int tg_partner_enroll(tg_session *op, tg_partner_kind kind, const char *tenant_id,
                             const char *partner_id, const char *name, const char *domain,
                             const char *country);

/** Record whether the partner signed the partner agreement (MPA). Operator only.
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_partner_set_agreement(tg_session *op, const char *tenant_id, int signed_agreement);

/** Add a corporate (non-CSP) tenant to a partner. A partner has exactly one CSP
 *  tenant, the one it was enrolled with. Operator only.
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EEXISTS, TG_EDENIED. */
TG_API int tg_partner_add_tenant(tg_session *op, const char *partner_tenant_id,
                                 const char *tenant_id);

/** List partners of a kind: the operator sees every kind; partner users may list
 *  the official list of indirect providers. Yields CSP tenant ids.
 *  Errors: TG_EINVAL, TG_EDENIED. */
TG_API int tg_partners(tg_iter **out, tg_session *session, tg_partner_kind kind);

/**
 * A partner as JSON: {"tenantId","partnerId","mpnId","name","domain","country",
 * "kind","agreementSigned","tenants"}. Visible to the operator, the partner's own
 * users and its partners. Free with tg_free(). Errors: TG_EINVAL, TG_ENOTFOUND.
 */
TG_API int tg_partner_get(char **out, tg_session *session, const char *tenant_id);

typedef enum tg_role {
    TG_ROLE_GLOBAL_ADMIN = 1 << 0,
    TG_ROLE_USER_ADMIN = 1 << 1, /* User management admin */
    TG_ROLE_ADMIN_AGENT = 1 << 2,
    TG_ROLE_SALES_AGENT = 1 << 3,
    TG_ROLE_HELPDESK_AGENT = 1 << 4,
    TG_ROLE_BILLING_ADMIN = 1 << 5
} tg_role;
#define TG_ROLE_ALL 0x3f

/**
 * Add a user to a partner with a set of roles (a bitwise OR of tg_role, not 0).
 * The operator may add users to any partner (the first Global admin); a partner's
 * Global admin or User management admin may add users to their own partner;
 * only a Global admin grants Global admin. `user_id` is unique across the graph.
 * Errors: TG_EINVAL, TG_ENOTFOUND (partner), TG_EEXISTS, TG_EDENIED.
 */
TG_API int tg_user_add(tg_session *session, const char *partner_tenant_id, const char *user_id,
                       unsigned int roles);
/** Replace a user's roles (same permissions as tg_user_add; granting or revoking
 *  Global admin needs Global admin). Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_user_set_roles(tg_session *session, const char *user_id, unsigned int roles);
/** Remove a user (removing a Global admin needs Global admin).
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_user_remove(tg_session *session, const char *user_id);
/** The roles of a user of the session's own partner (or any, for the operator),
 *  through `out`. Errors: TG_EINVAL, TG_ENOTFOUND. */
TG_API int tg_user_roles(unsigned int *out, tg_session *session, const char *user_id);
/** The users of a partner: the operator, or users of that partner holding Global
 *  admin or User management admin. Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_users(tg_iter **out, tg_session *session, const char *partner_tenant_id);

/* ------------------------------------------------------------------ */
/* Partnership: provider <-> reseller (DOMAIN.md §3)                   */
/* ------------------------------------------------------------------ */

/**
 * Create a partnership request of the session's indirect provider: an
 * unguessable single-use token with an expiry, a link personalised to the
 * provider carrying it, and an editable email that contains the link. Only a
 * hash of the token is stored. Free with tg_invite_free(), which wipes the token.
 * Errors: TG_EINVAL, TG_EDENIED (not a provider, or role).
 */
TG_API int tg_invite_create(tg_invite **out, tg_session *provider_session);
/** The invitation link. Valid until tg_invite_free(). */
TG_API const char *tg_invite_link(const tg_invite *invite);
/** The invitation email's current text (contains the link). */
TG_API const char *tg_invite_email(const tg_invite *invite);
/** The invitation's expiry, in seconds since the epoch. */
TG_API int64_t tg_invite_expires(const tg_invite *invite);
/** Replace the email text. Refused with TG_EINVAL, text unchanged, when the new
 *  text does not contain the link exactly. */
TG_API int tg_invite_set_email(tg_invite *invite, const char *text);
/** Free an invitation handle, wiping the token. The invitation stays valid. */
TG_API void tg_invite_free(tg_invite *invite);

/**
 * Accept a partnership request ("Authorize indirect provider"), by a Global admin
 * of an indirect reseller with a signed agreement. `link_or_token` is the link or
 * the bare token. The token is used up on success.
 * Errors: TG_EINVAL, TG_EDENIED, TG_ENOTFOUND (no such invitation), TG_EEXPIRED,
 * TG_ESTATE (already used, agreement not signed), TG_EEXISTS (already partners).
 */
TG_API int tg_partnership_accept(tg_session *reseller_session, const char *link_or_token);

/* Flags of tg_partnership_remove: both are required. */
#define TG_CONFIRM 0x1u           /* the user answered "Yes" */
#define TG_ATTEST_GOOD_FAITH 0x2u /* made in good faith for a legitimate business purpose */

/**
 * Remove a partnership, by a Global admin of the provider. Needs
 * TG_CONFIRM | TG_ATTEST_GOOD_FAITH. Customers keep their association, delegated
 * admin privileges stay, subscriptions keep their attribution; no new business
 * with the reseller until a new request is accepted. No notice is sent.
 * Errors: TG_EINVAL, TG_ECONFIRM, TG_EDENIED, TG_ENOTFOUND (not partners).
 */
TG_API int tg_partnership_remove(tg_session *provider_session, const char *reseller_tenant_id,
                                 unsigned int flags);

/** The session's provider's indirect resellers (tenant ids). Errors: TG_EDENIED. */
TG_API int tg_resellers(tg_iter **out, tg_session *provider_session);
/** The session's reseller's indirect providers (tenant ids). Errors: TG_EDENIED. */
TG_API int tg_providers(tg_iter **out, tg_session *reseller_session);

/**
 * The session's provider's indirect resellers as Partner Center returns them
 * (GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf):
 * {"totalCount":N,"items":[{"id":<tenant id>,"name","relationshipType":
 * "is_indirect_cloud_solution_provider_of","state":"Active","mpnId":<PartnerID>,
 * "location":<country>,"attributes":{"objectType":"PartnerRelationship"}}],
 * "attributes":{"objectType":"Collection"}}. Free with tg_free().
 * Errors: TG_EINVAL, TG_EDENIED (as tg_resellers).
 */
TG_API int tg_resellers_json(char **out, tg_session *provider_session);
/** The session's reseller's indirect providers, in the same shape with
 *  "relationshipType":"is_indirect_reseller_of" (relationship_type=IsIndirectResellerOf).
 *  Free with tg_free(). Errors: TG_EINVAL, TG_EDENIED (as tg_providers). */
TG_API int tg_providers_json(char **out, tg_session *reseller_session);

/* ------------------------------------------------------------------ */
/* New customer (DOMAIN.md §4)                                         */
/* ------------------------------------------------------------------ */

typedef enum tg_field {
    TG_FIELD_COMPANY_NAME = 1,
    TG_FIELD_DOMAIN_PREFIX = 2, /* -> <prefix>.onmicrosoft.com */
    TG_FIELD_EMAIL = 3,         /* billing contact */
    TG_FIELD_CULTURE = 4,       /* e.g. en-US */
    TG_FIELD_LANGUAGE = 5,      /* e.g. en */
    TG_FIELD_ADDRESS_LINE1 = 6,
    TG_FIELD_ADDRESS_LINE2 = 7,
    TG_FIELD_CITY = 8,
    TG_FIELD_STATE = 9,
    TG_FIELD_POSTAL_CODE = 10,
    TG_FIELD_COUNTRY = 11, /* two letters */
    TG_FIELD_FIRST_NAME = 12,
    TG_FIELD_LAST_NAME = 13,
    TG_FIELD_PHONE = 14,   /* optional */
    TG_FIELD_RESELLER = 15 /* optional: tenant id of the indirect reseller to associate */
} tg_field;

/** Start a new-customer draft for the session's provider or direct-bill partner.
 *  Nothing is written until tg_draft_submit(). Free with tg_draft_free(), before
 *  the session it was made from is closed.
 *  Errors: TG_EINVAL, TG_EDENIED. */
TG_API int tg_draft_new(tg_draft **out, tg_session *session);
/** Set a field; NULL or "" clears it. Values are checked by tg_draft_review().
 *  Errors: TG_EINVAL (unknown field, invalid UTF-8, longer than 4096 bytes),
 *  TG_ESTATE (the draft was submitted or cancelled). */
TG_API int tg_draft_set(tg_draft *draft, tg_field field, const char *value);
/** The current value of a field, or NULL when unset. */
TG_API const char *tg_draft_get(const tg_draft *draft, tg_field field);
/** Add a subscription line: an offer id and a license count (1..1000000).
 *  Errors: TG_EINVAL, TG_ESTATE. */
TG_API int tg_draft_add_subscription(tg_draft *draft, const char *offer_id, int quantity);
/**
 * Review the draft against every rule, reporting every problem together; nothing
 * is written. `out` always receives the list (empty when clean); free it with
 * tg_problems_free(). Returns TG_OK when clean, TG_EINVAL when problems exist.
 */
TG_API int tg_draft_review(tg_problems **out, tg_draft *draft);
/**
 * Submit: review again, then write the customer and its subscriptions all or
 * nothing. The receipt carries the one-time admin credentials; free it with
 * tg_receipt_free(), which wipes them. The draft is used up.
 * Errors: TG_EINVAL (review problems, including a domain taken meanwhile by
 * another writer), TG_EDENIED, TG_ESTATE (already submitted or cancelled), TG_EIO.
 */
TG_API int tg_draft_submit(tg_receipt **out, tg_draft *draft);
/** Cancel: discard the whole operation; the draft can no longer be used. */
TG_API int tg_draft_cancel(tg_draft *draft);
/** Free a draft. NULL is a no-op. */
TG_API void tg_draft_free(tg_draft *draft);

/** Number of problems. */
TG_API size_t tg_problems_count(const tg_problems *problems);
/** The field a problem is about (0 for the draft as a whole). */
TG_API tg_field tg_problems_field(const tg_problems *problems, size_t index);
/** A problem's message, or NULL when index is out of range. */
TG_API const char *tg_problems_message(const tg_problems *problems, size_t index);
/** Free a problem list. NULL is a no-op. */
TG_API void tg_problems_free(tg_problems *problems);

/** The new customer's id (its tenant id). */
TG_API const char *tg_receipt_customer_id(const tg_receipt *receipt);
/** The admin user name, admin@<prefix>.onmicrosoft.com. */
TG_API const char *tg_receipt_admin_user(const tg_receipt *receipt);
/** The temporary password, shown once: the first call returns it (valid until
 *  tg_receipt_free), later calls return NULL. */
TG_API const char *tg_receipt_password(tg_receipt *receipt);
/** Number of subscriptions created. */
TG_API size_t tg_receipt_subscription_count(const tg_receipt *receipt);
/** A created subscription's id, or NULL when index is out of range. */
TG_API const char *tg_receipt_subscription_id(const tg_receipt *receipt, size_t index);
/** Free a receipt, wiping the credentials. NULL is a no-op. */
TG_API void tg_receipt_free(tg_receipt *receipt);

/** Check a customer admin's password against the stored Argon2id verifier
 *  (constant time). Operator only. Returns TG_OK or TG_EDENIED.
 *  Errors: TG_EINVAL, TG_ENOTFOUND. */
TG_API int tg_customer_verify_password(tg_session *op, const char *admin_user,
                                       const char *password);

/* ------------------------------------------------------------------ */
/* Customers and subscriptions (DOMAIN.md §4, §5)                      */
/* ------------------------------------------------------------------ */

/** The customers the session sees, optionally only those associated with
 *  `reseller_tenant_id`. Errors: TG_EINVAL, TG_EDENIED. */
TG_API int tg_customers(tg_iter **out, tg_session *session, const char *reseller_tenant_id);
/** A customer in Partner Center's REST shape (camelCase). Free with tg_free().
 *  Errors: TG_EINVAL, TG_ENOTFOUND (absent or not visible). */
TG_API int tg_customer_get(char **out, tg_session *session, const char *customer_id);
/** Associate an indirect reseller (an active partner of the seller) with a
 *  customer, or end the association (NULL). Errors: TG_EINVAL, TG_ENOTFOUND,
 *  TG_EDENIED, TG_ESTATE. */
TG_API int tg_customer_set_reseller(tg_session *session, const char *customer_id,
                                    const char *reseller_tenant_id);
/** Remove a customer, by its seller of record. Refused with TG_ESTATE while it
 *  has a reseller association or an active subscription.
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED, TG_ESTATE. */
TG_API int tg_customer_remove(tg_session *session, const char *customer_id);

typedef enum tg_subscription_status {
    TG_SUB_ACTIVE = 1,
    TG_SUB_SUSPENDED = 2,
    TG_SUB_DELETED = 3
} tg_subscription_status;

/**
 * Add a subscription to an existing customer. The session's partner becomes its
 * partner of record. `reseller_partner_id` (optional) attributes it to an
 * indirect reseller by PartnerID; `support_tenant_id` (optional) names the
 * designated support contact, by default the seller. The new id is returned
 * through `out`; free it with tg_free().
 * Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED, TG_ESTATE.
 */
TG_API int tg_subscription_add(char **out, tg_session *session, const char *customer_id,
                               const char *offer_id, int quantity,
                               const char *reseller_partner_id, const char *support_tenant_id);
/** Set (or clear, with NULL) the reseller attributed on a subscription, by
 *  PartnerID. Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED, TG_ESTATE. */
TG_API int tg_subscription_set_reseller(tg_session *session, const char *subscription_id,
                                        const char *reseller_partner_id);
/** Set the designated support contact (NULL: back to the partner of record).
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED, TG_ESTATE. */
TG_API int tg_subscription_set_support(tg_session *session, const char *subscription_id,
                                       const char *support_tenant_id);
/** Change a subscription's status. Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_subscription_set_status(tg_session *session, const char *subscription_id,
                                      tg_subscription_status status);
/** The subscriptions of a customer that the session may see.
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_subscriptions(tg_iter **out, tg_session *session, const char *customer_id);
/** A subscription in Partner Center's REST shape. Free with tg_free().
 *  Errors: TG_EINVAL, TG_ENOTFOUND. */
TG_API int tg_subscription_get(char **out, tg_session *session, const char *subscription_id);

/* ------------------------------------------------------------------ */
/* Decisions                                                           */
/* ------------------------------------------------------------------ */

typedef enum tg_action {
    TG_ACT_VIEW_PARTNERS = 1,        /* view resellers/providers lists (object: none) */
    TG_ACT_VIEW_CUSTOMER = 2,        /* see a customer shared with the partner (object: customer) */
    TG_ACT_INVITE_SEND = 3,          /* send a partnership request (object: none) */
    TG_ACT_INVITE_ACCEPT = 4,        /* accept a partnership request (object: provider tenant) */
    TG_ACT_PARTNERSHIP_REMOVE = 5,   /* remove a partnership (object: reseller tenant) */
    TG_ACT_CUSTOMER_CREATE = 6,      /* create a customer (object: reseller tenant, optional) */
    TG_ACT_ORDER_PLACE = 7,          /* add subscriptions / place orders (object: customer) */
    TG_ACT_SUBSCRIPTION_SET_RESELLER = 8, /* set the reseller PartnerID (object: subscription) */
    TG_ACT_SUBSCRIPTION_SET_SUPPORT = 9,  /* set the support contact (object: subscription) */
    TG_ACT_DELEGATED_ADMIN = 10,     /* administer the customer's tenant (object: customer) */
    TG_ACT_USERS_MANAGE = 11,        /* manage users and roles (object: user, optional) */
    TG_ACT_GLOBAL_ADMIN_GRANT = 12,  /* grant or revoke Global admin (object: user, optional) */
    TG_ACT_BILLING_VIEW = 13,        /* view billing (object: customer, optional) */
    TG_ACT_CUSTOMER_REMOVE = 14,     /* remove a customer (object: customer) */
    TG_ACT_VIEW_SUBSCRIPTION = 15,   /* see a subscription (object: subscription) */
    TG_ACT_PARTNER_ENROLL = 16,      /* operator: enrol partners, record agreements */
    TG_ACT_LAST_ = 16                /* not an action: the highest value */
} tg_action;

/**
 * May the session do `action` to `object_id` now? With object_id NULL the answer
 * covers the session's roles and partner kind only. Returns TG_OK, TG_EDENIED
 * (roles, kind, or no relationship to the object), TG_ESTATE (a rule forbids it
 * now), TG_ENOTFOUND (no such object), or TG_EINVAL.
 */
TG_API int tg_check(tg_session *session, tg_action action, const char *object_id);
/** Why tg_check answers as it does, as one sentence. Free with tg_free().
 *  Returns the same code tg_check would, with the text in *out either way
 *  (NULL only on TG_EINVAL or TG_ENOMEM). */
TG_API int tg_explain(char **out, tg_session *session, tg_action action, const char *object_id);

/* ------------------------------------------------------------------ */
/* The change feed (DOMAIN.md §7)                                      */
/* ------------------------------------------------------------------ */

/*
 * Every committed write is one revision and one change event, written to the
 * store in the write's own transaction, so a reopened graph has its feed and
 * nothing acknowledged is lost. An event is a JSON object:
 *
 *   {"revision":12,"time":"2024-05-01T09:30:00Z",
 *    "actor":{"type":"user","id":"ga@p1","partner":"<tenant id>"},
 *    "action":"tg_partnership_remove",
 *    "objects":[{"type":"partnership","id":"<provider>/<reseller>","change":"delete"}]}
 *
 * "actor" is {"type":"operator"} or a partner user and its partner at the time;
 * "action" names the public function that made the write ("tg_import" for an
 * import); "objects" lists each record written, with its kind ("partner",
 * "user", "partnership", "invite", "customer", "subscription") and "change"
 * ("create", "update" or "delete"). Failed writes have no event.
 */

/**
 * The events after revision `since` (0: from the first), oldest first, at most
 * `limit` of them (0: no limit); tg_iter_next yields each event's JSON. Only the
 * operator reads the feed: events name every partner's objects.
 * Errors: TG_EINVAL (NULL, or `since` above the graph's revision), TG_EDENIED
 * (not the operator), TG_EEXPIRED (events after `since` are no longer kept, see
 * TG_OPT_CHANGE_RETENTION; the message names the oldest revision still listed).
 */
TG_API int tg_changes(tg_iter **out, tg_session *op, uint64_t since, size_t limit);

/** A change hook: called once per committed write with its revision and event
 *  JSON (valid during the call), and the payload given to tg_graph_on_change. */
typedef void(TG_CALLBACK *tg_change_hook)(tg_graph *graph, uint64_t revision, const char *event,
                                          void *payload);

/**
 * Set the graph's change hook, replacing the one before; NULL removes it. The
 * hook is called after the write's lock is released, never two at a time for a
 * graph, in revision order, so it may read and write the graph (a write made in
 * a hook gets its own event, delivered after the hook returns). When this
 * returns, the hook set before is not running on another thread and will not be
 * called again. See docs/threading.md. Errors: TG_EINVAL.
 */
TG_API int tg_graph_on_change(tg_graph *graph, tg_change_hook hook, void *payload);

/* ------------------------------------------------------------------ */
/* Export and import (JSON)                                            */
/* ------------------------------------------------------------------ */

/**
 * The whole graph as one JSON document (operator only): {"format":
 * "tiergraph-export","version":1,"partners":[...],"users":[...],
 * "partnerships":[...],"invites":[...],"customers":[...],"subscriptions":[...]},
 * each record as the store keeps it, sorted by id, so the same graph always
 * exports the same bytes. Secrets appear only as they are kept: Argon2id
 * verifiers and invitation-token hashes. The change feed and the revision are
 * history, not the graph, and are not exported. Free with tg_free().
 * Errors: TG_EINVAL, TG_EDENIED.
 */
TG_API int tg_export(char **out, tg_session *op);

/**
 * Import a JSON document into the graph (operator only), all or nothing: one
 * write, one revision, one store transaction, one change event ("tg_import").
 * The document is either a tg_export() document, or a Partner Center REST body
 * that maps onto the graph (request shapes in PascalCase and response shapes in
 * camelCase alike): a Customer, an Order (its line items become subscriptions),
 * a Subscription, or a Collection of Customers or Subscriptions; see
 * docs/design.md, "Import". Every record is checked as tg_graph_verify checks
 * the graph. A customer brought with "userCredentials" keeps only an Argon2id
 * verifier of its password (computed before the write lock is taken).
 * Errors, each leaving the graph and the store unchanged: TG_EINVAL (not JSON:
 * the message gives the byte offset, line and column; or a document or record
 * that does not map, naming it), TG_EEXISTS (a record that already exists, or
 * appears twice), TG_EDENIED, TG_EIO.
 */
TG_API int tg_import(tg_session *op, const char *json);

/* ------------------------------------------------------------------ */
/* Iteration                                                           */
/* ------------------------------------------------------------------ */

/** The next id, valid until tg_iter_free(). Returns TG_OK or TG_ITEROVER. */
TG_API int tg_iter_next(tg_iter *iter, const char **out);
/** Number of ids in the snapshot. */
TG_API size_t tg_iter_count(const tg_iter *iter);
/** Free an iterator. NULL is a no-op. */
TG_API void tg_iter_free(tg_iter *iter);

#ifdef __cplusplus
}
#endif

#endif /* TIERGRAPH_H */
