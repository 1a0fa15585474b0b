/**
 * @file tiergraph.h
 * The public API of tiergraph, the rulebook and system of record of the CSP
 * two-tier partner model (indirect providers, indirect resellers, customers,
 * subscriptions, partner users and roles).
 *
 * Conventions (see docs/design.md and docs/errors.md):
 *  - Functions return int: TG_OK (0) on success, a negative TG_E* code on error.
 *    Getters return their value directly and say so.
 *  - Out-parameters come first and are named `out`. On error *out is set to NULL.
 *  - Objects returned through `out` belong to the caller and are released with
 *    the type's own free function; strings with tg_free(). Every free function
 *    accepts NULL.
 *  - Strings are UTF-8 and NUL-terminated, at most 4096 bytes.
 *  - After an error, tg_error_message() gives a message for this thread.
 *  - A NULL handle or a malformed string argument is TG_EINVAL. A function that
 *    writes may also fail with TG_ENOMEM, or with the store's error (TG_EIO and
 *    the other storage codes); a refused or failed call changes nothing.
 *  - A session is resolved on every call: once its user has been removed, every
 *    call made with it is TG_EDENIED.
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

/**
 * @def TG_API
 * Marks an exported function of the library: default visibility with GCC and
 * Clang, dllexport/dllimport on Windows when TG_SHARED is defined.
 */
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

/**
 * @def TG_CALLBACK
 * The calling convention of callbacks the library calls (`__cdecl` on Windows,
 * nothing elsewhere). Declare storage slots and tg_store_emit functions with it.
 */
#if defined(_WIN32)
#  define TG_CALLBACK __cdecl
#else
#  define TG_CALLBACK
#endif

/**
 * @defgroup versions Versions
 * The release and the ABI, at compile time (macros) and at run time (functions).
 * See docs/abi.md.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Versions                                                            */
/* ------------------------------------------------------------------ */

/** The major release number of these headers. */
#define TG_VERSION_MAJOR 0
/** The minor release number of these headers. */
#define TG_VERSION_MINOR 2
/** The patch release number of these headers. */
#define TG_VERSION_PATCH 0
/** The release of these headers as MAJOR*10000 + MINOR*100 + PATCH. */
#define TG_VERSION_NUMBER (TG_VERSION_MAJOR * 10000 + TG_VERSION_MINOR * 100 + TG_VERSION_PATCH)
/** True when the headers are at least version maj.min.patch. */
#define TG_VERSION_CHECK(maj, min, patch) \
    (TG_VERSION_NUMBER >= ((maj) * 10000 + (min) * 100 + (patch)))
/** The ABI major: N in the library's SONAME, `libtiergraph.so.N`. */
#define TG_ABI_VERSION 1

/** The loaded library's version as text, "MAJOR.MINOR.PATCH". A static string,
 *  never NULL; do not free it. */
TG_API const char *tg_version_string(void);
/** The loaded library's version as MAJOR*10000 + MINOR*100 + PATCH (compare with
 *  TG_VERSION_NUMBER to learn whether it is at least the headers' release). */
TG_API int tg_version_number(void);
/** The ABI major of the loaded library; bindings compare it with the one they
 *  were written for (TG_ABI_VERSION of their headers). */
TG_API int tg_abi_version(void);
/** @} */

/**
 * @defgroup errors Errors
 * Pinned error codes and the per-thread message. See docs/errors.md.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Errors: pinned forever. Codes are only ever added, never renumbered. */
/* ------------------------------------------------------------------ */

/** What a function returns: TG_OK or a negative code. The values are pinned
 *  forever; codes are only ever added, so treat an unknown negative value as an
 *  error too (tg_strerror() names it "unknown error code"). */
typedef enum tg_error_code {
    TG_OK = 0,         /**< success */
    TG_ERROR = -1,     /**< unexpected internal error (libsodium could not start, for example) */
    TG_ENOMEM = -2,    /**< out of memory */
    TG_EINVAL = -3,    /**< an argument is invalid (NULL, length, format, range) */
    TG_ENOTFOUND = -4, /**< the object does not exist, or is not visible to the session */
    TG_EEXISTS = -5,   /**< the object already exists */
    TG_EDENIED = -6,   /**< the session's roles or partner kind do not allow the action */
    TG_ESTATE = -7,    /**< a rule of the graph forbids the action now */
    TG_ECONFIRM = -8,  /**< the action needs explicit confirmation flags */
    TG_EEXPIRED = -9,  /**< the token or invitation has expired */
    TG_EIO = -10,      /**< the store failed to read or write */
    TG_ECORRUPT = -11, /**< the store holds records that cannot be decoded */
    TG_EBUSY = -12,    /**< the store is held by another process */
    TG_EVERSION = -13, /**< a version (store vtable, ABI) is not supported */
    TG_ITEROVER = -14, /**< an iterator has no more items (not a failure) */
    TG_EPASSWORD_CHANGE = -15, /**< a password change is required (sign-in with a temporary password); since 0.2 */
    TG_ELOCKED = -16           /**< too many failed sign-ins: wait until the window passes; since 0.2 */
} tg_error_code;

/** The message of the last error on this thread: which argument, role or rule,
 *  in a sentence for people. Never NULL ("no error" before the first error); owned
 *  by the library and valid until the next call into the library on this thread.
 *  Read it right after a call failed: a successful call may leave the previous
 *  message in place. The wording may change between releases; test the code. */
TG_API const char *tg_error_message(void);
/** A static text naming an error code ("permission denied" for TG_EDENIED);
 *  "unknown error code" for a value this library does not know. Never NULL; do
 *  not free it. */
TG_API const char *tg_strerror(int code);
/** Free memory the library returned to the caller as `char *`: the JSON of
 *  tg_partner_get(), tg_customer_get() and tg_subscription_get(), the id of
 *  tg_subscription_add() and the text of tg_explain(). Never for handles, which
 *  have their own free functions. NULL is a no-op. */
TG_API void tg_free(void *ptr);
/** @} */

/**
 * @defgroup handles Handles
 * Opaque types: the caller holds pointers and frees each with its own function.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Handles                                                             */
/* ------------------------------------------------------------------ */

typedef struct tg_graph tg_graph;       /**< the graph and its store; thread-safe */
typedef struct tg_session tg_session;   /**< who acts: the operator or a partner user */
typedef struct tg_invite tg_invite;     /**< a partnership request with its one-time link */
typedef struct tg_draft tg_draft;       /**< a new-customer draft */
typedef struct tg_problems tg_problems; /**< the problems a draft review found */
typedef struct tg_receipt tg_receipt;   /**< a submitted customer's one-time credentials */
typedef struct tg_iter tg_iter;         /**< a snapshot list of ids */
typedef struct tg_store tg_store;       /**< a storage backend: see tiergraph/store.h */
/** @} */

/**
 * @defgroup graph Graph
 * Opening and closing a graph, its options, its store's statistics, its checks.
 * @{
 */
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
 * the store), TG_ECORRUPT, TG_EIO, TG_EVERSION, TG_ENOMEM, TG_ERROR. The caller
 * owns the graph: close it with tg_graph_close().
 */
TG_API int tg_graph_open(tg_graph **out, const char *uri);

/**
 * Open a graph over a custom storage backend (tiergraph/store.h), loading every
 * record it holds. On success the graph owns `store` and calls its `free` slot
 * at close; on failure the caller still owns it. The caller owns the graph: close
 * it with tg_graph_close().
 * Errors: TG_EVERSION (version 0), TG_EINVAL (NULL, or a required slot is NULL),
 * TG_ECORRUPT (a record cannot be decoded, the records break an invariant that
 * tg_graph_verify checks, or `load` returned a positive value),
 * TG_EIO or any other negative code `load` returned, TG_ENOMEM, TG_ERROR.
 */
TG_API int tg_graph_open_store(tg_graph **out, tg_store *store);

/** Close a graph and free its store. Sessions, drafts and iterators made from it
 *  must be freed first, and no other thread may be using it. NULL is a no-op. */
TG_API void tg_graph_close(tg_graph *graph);

/** Getter: the graph's revision, the number of writes committed over its life
 *  (each successful write adds one; a refused one adds nothing). 0 for NULL. */
TG_API uint64_t tg_graph_revision(const tg_graph *graph);

/** The options of tg_graph_set_option(). */
typedef enum tg_option {
    /** Argon2id cost of temporary-password verifiers: time (opslimit, 1 to 1000).
     *  Default: libsodium's "interactive" limit. */
    TG_OPT_ARGON2_OPSLIMIT = 1,
    /** Argon2id memory of temporary-password verifiers, in bytes (8192 to 4 GiB).
     *  Default: libsodium's "interactive" limit. */
    TG_OPT_ARGON2_MEMLIMIT = 2,
    /** Lifetime of partnership invitations, in seconds (60 s to 365 days; default
     *  7 days). Applies to invitations created afterwards. */
    TG_OPT_INVITE_LIFETIME = 3,
    /** A fixed clock for tests, in seconds since the epoch, up to 253402300799
     *  (9999-12-31T23:59:59Z); 0 = the system clock. */
    TG_OPT_CLOCK = 4,
    /** When writes reach the disk: a tg_durability value (default TG_DURABILITY_FULL).
     *  Refused with TG_EINVAL by stores without the setting ("mem:"). */
    TG_OPT_DURABILITY = 5,
    /** How many change events the feed keeps, the newest (0 to 2^63-1); older ones
     *  are deleted, from memory and from the store, by the next write. 0 (the
     *  default) keeps every event. Not stored: a reopened graph keeps every event
     *  it finds until this is set again. Since 0.2. */
    TG_OPT_CHANGE_RETENTION = 6
} tg_option;

/** The values of TG_OPT_DURABILITY. */
typedef enum tg_durability {
    TG_DURABILITY_OFF = 0,    /**< never flush: a crash of the machine may lose writes */
    TG_DURABILITY_NORMAL = 1, /**< flush at checkpoints: a crash of the machine may lose
                               *   the writes since the last one; a crash of the process
                               *   loses nothing */
    TG_DURABILITY_FULL = 2    /**< flush every write before it returns */
} tg_durability;

/** Set an option of the graph, for the calls that follow.
 *  Errors: TG_EINVAL (NULL graph, unknown option, value out of range, or
 *  TG_OPT_DURABILITY on a store without it); for TG_OPT_DURABILITY, the store's
 *  own error. */
TG_API int tg_graph_set_option(tg_graph *graph, tg_option option, int64_t value);

/** The statistics of tg_graph_store_stat(); a store keeps some or none of them. */
typedef enum tg_store_stat {
    TG_STAT_STORE_BYTES = 1,        /**< the store's size on disk, in bytes */
    TG_STAT_TAIL_DROPPED_BYTES = 2, /**< bytes of a torn tail dropped when the store was opened */
    TG_STAT_COMPACTIONS = 3,        /**< compactions since the store was opened */
    TG_STAT_RECORDS = 4             /**< live records in the store */
} tg_store_stat;

/** A statistic of the graph's store, through `out` (0 on error).
 *  Errors: TG_EINVAL (NULL, an unknown statistic, or one this store does not
 *  keep: "mem:" keeps none), or the store's own error. */
TG_API int tg_graph_store_stat(int64_t *out, tg_graph *graph, tg_store_stat what);

/** Check every invariant of the graph (references, indexes, rules, and each
 *  record's format as the library writes it: GUIDs, PartnerIDs, domains, UTF-8
 *  texts), from scratch. Returns TG_OK, TG_ECORRUPT with a message naming the
 *  first violation, or TG_EINVAL (NULL). */
TG_API int tg_graph_verify(tg_graph *graph);
/** @} */

/**
 * @defgroup sessions Sessions
 * Who acts: the platform operator, or a partner user with roles.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Sessions                                                            */
/* ------------------------------------------------------------------ */

/** A session of the platform operator (enrols partners, records agreements, adds
 *  partners' first users). The caller owns it: close it with tg_session_close(),
 *  before the graph. Errors: TG_EINVAL, TG_ENOMEM. */
TG_API int tg_session_operator(tg_session **out, tg_graph *graph);
/** A session of a partner user, acting with the user's roles as they are at each
 *  call. The caller owns it: close it with tg_session_close(), before the graph.
 *  Errors: TG_EINVAL, TG_ENOTFOUND (no such user), TG_ENOMEM. */
TG_API int tg_session_user(tg_session **out, tg_graph *graph, const char *user_id);
/** Close a session. Drafts made from it must be freed first. NULL is a no-op. */
TG_API void tg_session_close(tg_session *session);
/** @} */

/**
 * @defgroup partners Partners and users
 * Enrolment by the operator, agreements, tenants, and partner users with roles
 * (DOMAIN.md §1, §2).
 * @{
 */
/* ------------------------------------------------------------------ */
/* Partners and users (DOMAIN.md §1, §2)                               */
/* ------------------------------------------------------------------ */

/** The kinds of partner. */
typedef enum tg_partner_kind {
    TG_PARTNER_INDIRECT_PROVIDER = 1, /**< a distributor: sells through indirect resellers */
    TG_PARTNER_INDIRECT_RESELLER = 2, /**< sells with indirect providers; never creates
                                       *   customers or places orders itself */
    TG_PARTNER_DIRECT_BILL = 3        /**< a tier-1 partner that sells directly */
} tg_partner_kind;

/**
 * Enrol a partner (operator only). `tenant_id` is its CSP tenant (a GUID);
 * `partner_id` its numeric PartnerID (MPN ID, 1-10 digits); `name` at most 256
 * characters; `domain` its own domain (customers' billing emails may not use it);
 * `country` two letters.
 * Errors: TG_EINVAL (unknown kind, malformed argument), TG_EEXISTS (tenant,
 * PartnerID or domain taken), TG_EDENIED (not the operator).
 */
TG_API int tg_partner_enroll(tg_session *op, tg_partner_kind kind, const char *tenant_id,
                             const char *partner_id, const char *name, const char *domain,
                             const char *country);

/** Record whether the partner signed the partner agreement (MPA), non-zero for
 *  signed. Operator only. Without it a reseller can neither accept a partnership
 *  nor be given new business. Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_partner_set_agreement(tg_session *op, const char *tenant_id, int signed_agreement);

/** Add a corporate (non-CSP) tenant to a partner. A partner has exactly one CSP
 *  tenant, the one it was enrolled with. Operator only.
 *  Errors: TG_EINVAL (not a GUID), TG_ENOTFOUND (no such partner), TG_EEXISTS
 *  (the tenant is in use), TG_EDENIED. */
TG_API int tg_partner_add_tenant(tg_session *op, const char *partner_tenant_id,
                                 const char *tenant_id);

/** List partners of a kind: the operator sees every kind; partner users may list
 *  the official list of indirect providers. Yields CSP tenant ids through a new
 *  iterator the caller frees with tg_iter_free().
 *  Errors: TG_EINVAL (unknown kind), TG_EDENIED (a partner user asking for another
 *  kind). */
TG_API int tg_partners(tg_iter **out, tg_session *session, tg_partner_kind kind);

/**
 * A partner as JSON: {"tenantId","partnerId","mpnId","name","domain","country",
 * "kind","agreementSigned","tenants"}. Visible to the operator, the partner's own
 * users and its partners (and every indirect provider to everyone). The caller
 * owns the text: free it with tg_free().
 * Errors: TG_EINVAL, TG_ENOTFOUND (absent or not visible).
 */
TG_API int tg_partner_get(char **out, tg_session *session, const char *tenant_id);

/** The roles of partner users (DOMAIN.md §2); a user holds a bitwise OR of them. */
typedef enum tg_role {
    TG_ROLE_GLOBAL_ADMIN = 1 << 0,   /**< Global admin: everything but delegated admin */
    TG_ROLE_USER_ADMIN = 1 << 1,     /**< User management admin */
    TG_ROLE_ADMIN_AGENT = 1 << 2,    /**< Admin agent: the one role with delegated admin */
    TG_ROLE_SALES_AGENT = 1 << 3,    /**< Sales agent */
    TG_ROLE_HELPDESK_AGENT = 1 << 4, /**< Helpdesk agent */
    TG_ROLE_BILLING_ADMIN = 1 << 5   /**< Billing admin */
} tg_role;
/** Every role: the valid bits of a role set. */
#define TG_ROLE_ALL 0x3f

/**
 * Add a user to a partner with a set of roles (a bitwise OR of tg_role, not 0).
 * The operator may add users to any partner (the first Global admin); a partner's
 * Global admin or User management admin may add users to their own partner;
 * only a Global admin grants Global admin. `user_id` is unique across the graph.
 * Errors: TG_EINVAL (empty or unknown roles, a user id with blanks or longer than
 * 256 bytes), TG_ENOTFOUND (partner), TG_EEXISTS, TG_EDENIED.
 */
TG_API int tg_user_add(tg_session *session, const char *partner_tenant_id, const char *user_id,
                       unsigned int roles);
/** Replace a user's roles (same permissions as tg_user_add; granting or revoking
 *  Global admin needs Global admin). Open sessions of the user act with the new
 *  roles from their next call. Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_user_set_roles(tg_session *session, const char *user_id, unsigned int roles);
/** Remove a user (removing a Global admin needs Global admin). The user's open
 *  sessions are refused from then on (TG_EDENIED).
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_user_remove(tg_session *session, const char *user_id);
/** The roles of a user of the session's own partner (or any, for the operator),
 *  through `out` (0 on error). Errors: TG_EINVAL, TG_ENOTFOUND. */
TG_API int tg_user_roles(unsigned int *out, tg_session *session, const char *user_id);
/** The users of a partner, through a new iterator the caller frees with
 *  tg_iter_free(): for the operator, or users of that partner holding Global admin
 *  or User management admin. Errors: TG_EINVAL, TG_ENOTFOUND (no such partner, or
 *  another partner's), TG_EDENIED. */
TG_API int tg_users(tg_iter **out, tg_session *session, const char *partner_tenant_id);
/** @} */

/**
 * @defgroup partnership Partnership
 * Provider and reseller: the request with its one-time link, acceptance,
 * the two lists, removal (DOMAIN.md §3).
 * @{
 */
/* ------------------------------------------------------------------ */
/* Partnership: provider <-> reseller (DOMAIN.md §3)                   */
/* ------------------------------------------------------------------ */

/**
 * Create a partnership request of the session's indirect provider: an
 * unguessable single-use token with an expiry, a link personalised to the
 * provider carrying it, and an editable email that contains the link. Only a
 * hash of the token is stored. The caller owns the handle: free it with
 * tg_invite_free(), which wipes the token.
 * Errors: TG_EINVAL, TG_EDENIED (not a provider, or role), TG_ENOMEM.
 */
TG_API int tg_invite_create(tg_invite **out, tg_session *provider_session);
/** Getter: the invitation link, owned by the handle and valid until
 *  tg_invite_free(). NULL for NULL. */
TG_API const char *tg_invite_link(const tg_invite *invite);
/** Getter: the invitation email's current text (contains the link), owned by the
 *  handle and valid until the next tg_invite_set_email() or tg_invite_free().
 *  NULL for NULL. */
TG_API const char *tg_invite_email(const tg_invite *invite);
/** Getter: the invitation's expiry, in seconds since the epoch (0 for NULL). */
TG_API int64_t tg_invite_expires(const tg_invite *invite);
/** Replace the email text; the handle keeps its own copy. Refused with TG_EINVAL,
 *  text unchanged, when the new text does not contain the link exactly. */
TG_API int tg_invite_set_email(tg_invite *invite, const char *text);
/** Free an invitation handle, wiping the token, link and email. The invitation
 *  itself stays valid in the graph. NULL is a no-op. */
TG_API void tg_invite_free(tg_invite *invite);

/**
 * Accept a partnership request ("Authorize indirect provider"), by a Global admin
 * of an indirect reseller with a signed agreement. `link_or_token` is the link or
 * the bare token. The token is used up on success.
 * Errors: TG_EINVAL (malformed link or token), TG_EDENIED (not a reseller's Global
 * admin), TG_ENOTFOUND (no such invitation), TG_EEXPIRED,
 * TG_ESTATE (already used, agreement not signed), TG_EEXISTS (already partners).
 */
TG_API int tg_partnership_accept(tg_session *reseller_session, const char *link_or_token);

/** Flag of tg_partnership_remove(): the user answered "Yes" to the confirmation. */
#define TG_CONFIRM 0x1u
/** Flag of tg_partnership_remove(): the removal is made in good faith for a
 *  legitimate business purpose. */
#define TG_ATTEST_GOOD_FAITH 0x2u

/**
 * Remove a partnership, by a Global admin of the provider. Needs
 * TG_CONFIRM | TG_ATTEST_GOOD_FAITH. Customers keep their association, delegated
 * admin privileges stay, subscriptions keep their attribution; no new business
 * with the reseller until a new request is accepted. No notice is sent.
 * Errors: TG_EINVAL (unknown flag), TG_ECONFIRM (a flag missing; checked before
 * roles), TG_EDENIED, TG_ENOTFOUND (not partners).
 */
TG_API int tg_partnership_remove(tg_session *provider_session, const char *reseller_tenant_id,
                                 unsigned int flags);

/** The session's provider's indirect resellers (tenant ids), through a new
 *  iterator the caller frees with tg_iter_free().
 *  Errors: TG_EINVAL, TG_EDENIED (not a provider, or role). */
TG_API int tg_resellers(tg_iter **out, tg_session *provider_session);
/** The session's reseller's indirect providers (tenant ids), through a new
 *  iterator the caller frees with tg_iter_free().
 *  Errors: TG_EINVAL, TG_EDENIED (not a reseller, or role). */
TG_API int tg_providers(tg_iter **out, tg_session *reseller_session);

/**
 * The session's provider's indirect resellers as Partner Center returns them
 * (`GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf`):
 *
 *     {"totalCount":N,"items":[{"id":<tenant id>,"name":<name>,
 *      "relationshipType":"is_indirect_cloud_solution_provider_of","state":"Active",
 *      "mpnId":<PartnerID>,"location":<country>,
 *      "attributes":{"objectType":"PartnerRelationship"}}],
 *      "attributes":{"objectType":"Collection"}}
 *
 * The caller owns the text: free it with tg_free().
 * Errors: TG_EINVAL, TG_EDENIED (as tg_resellers()). Since 0.2.
 */
TG_API int tg_resellers_json(char **out, tg_session *provider_session);
/** The session's reseller's indirect providers, in the same shape with
 *  `"relationshipType":"is_indirect_reseller_of"` (`relationship_type=IsIndirectResellerOf`).
 *  The caller owns the text: free it with tg_free().
 *  Errors: TG_EINVAL, TG_EDENIED (as tg_providers()). Since 0.2. */
TG_API int tg_providers_json(char **out, tg_session *reseller_session);
/** @} */

/**
 * @defgroup new_customer New customer
 * The new-customer flow: draft, review, submit or cancel, and the receipt with
 * the one-time credentials (DOMAIN.md §4).
 * @{
 */
/* ------------------------------------------------------------------ */
/* New customer (DOMAIN.md §4)                                         */
/* ------------------------------------------------------------------ */

/** The fields of a new-customer draft (tg_draft_set()); all are required but the
 *  ones marked optional. */
typedef enum tg_field {
    TG_FIELD_COMPANY_NAME = 1,  /**< 2-255 characters; not only symbols, not a bare "LLC" */
    TG_FIELD_DOMAIN_PREFIX = 2, /**< `<prefix>.onmicrosoft.com`: 1-27 letters or digits, free */
    TG_FIELD_EMAIL = 3,         /**< billing contact; not at microsoft.com, the seller's or the reseller's domain */
    TG_FIELD_CULTURE = 4,       /**< as en-US */
    TG_FIELD_LANGUAGE = 5,      /**< as en, or en-US */
    TG_FIELD_ADDRESS_LINE1 = 6, /**< 1-200 characters */
    TG_FIELD_ADDRESS_LINE2 = 7, /**< optional, up to 200 characters */
    TG_FIELD_CITY = 8,          /**< 1-100 characters */
    TG_FIELD_STATE = 9,         /**< 1-100 characters */
    TG_FIELD_POSTAL_CODE = 10,  /**< 1-20 characters */
    TG_FIELD_COUNTRY = 11,      /**< two letters */
    TG_FIELD_FIRST_NAME = 12,   /**< contact first name, 1-50 characters */
    TG_FIELD_LAST_NAME = 13,    /**< contact last name, 1-50 characters */
    TG_FIELD_PHONE = 14,        /**< optional, up to 40 characters */
    TG_FIELD_RESELLER = 15,     /**< optional: tenant id of the indirect reseller to associate */
    /** optional: the customer's existing tenant id (e.g. a partner's corporate tenant),
     *  instead of a new tenant; subject to the resale ban (DOMAIN.md §6). Since 0.2. */
    TG_FIELD_TENANT = 16
} tg_field;

/** Start a new-customer draft for the session's provider or direct-bill partner.
 *  Nothing is written until tg_draft_submit(). The caller owns the draft: free it
 *  with tg_draft_free(), before the session it was made from is closed.
 *  Errors: TG_EINVAL, TG_EDENIED (a reseller, or role), TG_ENOMEM. */
TG_API int tg_draft_new(tg_draft **out, tg_session *session);
/** Set a field; NULL or "" clears it. The draft keeps its own copy. Values are
 *  checked by tg_draft_review(), not here.
 *  Errors: TG_EINVAL (unknown field, invalid UTF-8, longer than 4096 bytes),
 *  TG_ESTATE (the draft was submitted or cancelled). */
TG_API int tg_draft_set(tg_draft *draft, tg_field field, const char *value);
/** Getter: the current value of a field, owned by the draft and valid until the
 *  field changes or the draft is freed; NULL when unset or unknown. */
TG_API const char *tg_draft_get(const tg_draft *draft, tg_field field);
/** Add a subscription line: an offer id (at most 128 bytes) and a license count
 *  (1..1000000). Subscriptions are orders: submitting them needs a role that may
 *  place orders. Errors: TG_EINVAL, TG_ESTATE (submitted or cancelled). */
TG_API int tg_draft_add_subscription(tg_draft *draft, const char *offer_id, int quantity);
/**
 * Review the draft against every rule, reporting every problem together; nothing
 * is written. Returns TG_OK when clean and TG_EINVAL when problems exist; either
 * way `out` receives the list (empty when clean), which the caller frees with
 * tg_problems_free(). On any other error *out is NULL.
 * Errors: TG_EINVAL (problems; NULL), TG_EDENIED (the session may no longer
 * create customers), TG_ESTATE (submitted or cancelled), TG_ENOMEM.
 */
TG_API int tg_draft_review(tg_problems **out, tg_draft *draft);
/**
 * Submit: review again, then write the customer and its subscriptions all or
 * nothing. The caller owns the receipt, which carries the one-time admin
 * credentials: free it with tg_receipt_free(), which wipes them. The draft is
 * used up on success; after a refusal or failure it stays open, to fix and retry.
 * Errors: TG_EINVAL (review problems, including a domain taken meanwhile by
 * another writer), TG_EDENIED, TG_ESTATE (already submitted or cancelled), TG_EIO,
 * TG_ENOMEM.
 */
TG_API int tg_draft_submit(tg_receipt **out, tg_draft *draft);
/** Cancel: discard the whole operation; the draft can no longer be used (but must
 *  still be freed). Errors: TG_EINVAL, TG_ESTATE (already submitted or cancelled). */
TG_API int tg_draft_cancel(tg_draft *draft);
/** Free a draft, submitted, cancelled or not. NULL is a no-op. */
TG_API void tg_draft_free(tg_draft *draft);

/** Getter: the number of problems (0 for NULL). */
TG_API size_t tg_problems_count(const tg_problems *problems);
/** Getter: the field a problem is about (0 for the draft as a whole, or when
 *  index is out of range). */
TG_API tg_field tg_problems_field(const tg_problems *problems, size_t index);
/** Getter: a problem's message, owned by the list and valid until
 *  tg_problems_free(); NULL when index is out of range. */
TG_API const char *tg_problems_message(const tg_problems *problems, size_t index);
/** Free a problem list. NULL is a no-op. */
TG_API void tg_problems_free(tg_problems *problems);

/** Getter: the new customer's id (its tenant id, a GUID), owned by the receipt. */
TG_API const char *tg_receipt_customer_id(const tg_receipt *receipt);
/** Getter: the admin user name, `admin@<prefix>.onmicrosoft.com`, owned by the receipt. */
TG_API const char *tg_receipt_admin_user(const tg_receipt *receipt);
/** Getter: the temporary password, shown once: the first call returns it (owned
 *  by the receipt, valid until tg_receipt_free()), later calls return NULL and set
 *  a TG_ESTATE message. Only an Argon2id verifier of it is stored. */
TG_API const char *tg_receipt_password(tg_receipt *receipt);
/** Getter: the number of subscriptions created (0 for NULL). */
TG_API size_t tg_receipt_subscription_count(const tg_receipt *receipt);
/** Getter: a created subscription's id, in the order of the draft's lines, owned
 *  by the receipt; NULL when index is out of range. */
TG_API const char *tg_receipt_subscription_id(const tg_receipt *receipt, size_t index);
/** Free a receipt, wiping the credentials. NULL is a no-op. */
TG_API void tg_receipt_free(tg_receipt *receipt);

/** Check a customer admin's password against the stored Argon2id verifier
 *  (constant time). Operator only. Returns TG_OK or TG_EDENIED.
 *  Errors: TG_EINVAL, TG_ENOTFOUND.
 *  Deprecated since 0.2: customers sign in with tg_session_customer(). Kept for
 *  0.1 callers; it checks the current password of any customer user and shares
 *  the sign-in rate limit (a failure counts; TG_ELOCKED while locked out). */
TG_API int tg_customer_verify_password(tg_session *op, const char *admin_user,
                                       const char *password);
/** @} */

/**
 * @defgroup customers Customers and subscriptions
 * Existing customers and their subscriptions: lists, Partner Center JSON, the
 * reseller association, attribution, support contact, status, removal
 * (DOMAIN.md §4, §5).
 * @{
 */
/* ------------------------------------------------------------------ */
/* Customers and subscriptions (DOMAIN.md §4, §5)                      */
/* ------------------------------------------------------------------ */

/** The customers the session sees, optionally only those associated with
 *  `reseller_tenant_id` (NULL: all), through a new iterator the caller frees with
 *  tg_iter_free(). Errors: TG_EINVAL, TG_EDENIED (role). */
TG_API int tg_customers(tg_iter **out, tg_session *session, const char *reseller_tenant_id);
/** A customer in Partner Center's REST shape (camelCase). The caller owns the
 *  text: free it with tg_free().
 *  Errors: TG_EINVAL, TG_ENOTFOUND (absent or not visible), TG_EDENIED (role). */
TG_API int tg_customer_get(char **out, tg_session *session, const char *customer_id);
/** Associate an indirect reseller (an active partner of the seller, agreement
 *  signed) with a customer, granting it delegated admin; or end the association
 *  (NULL), which keeps the delegated admin. By the customer's partner of record.
 *  Errors: TG_EINVAL, TG_ENOTFOUND (customer not visible, or no such reseller),
 *  TG_EDENIED (not the partner of record, or role), TG_ESTATE (not an active
 *  partner: no new business). */
TG_API int tg_customer_set_reseller(tg_session *session, const char *customer_id,
                                    const char *reseller_tenant_id);
/** Remove a customer and its subscriptions, by its partner of record's Global
 *  admin or Admin agent. Refused with TG_ESTATE while it has a reseller
 *  association or an active subscription.
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED, TG_ESTATE. */
TG_API int tg_customer_remove(tg_session *session, const char *customer_id);

/** The states of a subscription. */
typedef enum tg_subscription_status {
    TG_SUB_ACTIVE = 1,    /**< in use; keeps its customer from being removed */
    TG_SUB_SUSPENDED = 2, /**< suspended */
    TG_SUB_DELETED = 3    /**< ended */
} tg_subscription_status;

/**
 * Add a subscription to an existing customer. The session's partner becomes its
 * partner of record. `reseller_partner_id` (optional) attributes it to an
 * indirect reseller by PartnerID; `support_tenant_id` (optional) names the
 * designated support contact, by default the seller. The new id is returned
 * through `out`; the caller owns it: free it with tg_free().
 * Errors: TG_EINVAL (offer, a license count outside 1..1000000, a non-numeric
 * PartnerID), TG_ENOTFOUND (customer not visible, unknown PartnerID), TG_EDENIED
 * (not the partner of record, a reseller, or role), TG_ESTATE (the PartnerID is
 * not an active reseller of the seller; a support contact without delegated admin).
 */
TG_API int tg_subscription_add(char **out, tg_session *session, const char *customer_id,
                               const char *offer_id, int quantity,
                               const char *reseller_partner_id, const char *support_tenant_id);
/** Set (or clear, with NULL) the reseller attributed on a subscription, by
 *  PartnerID. By the partner of record (an indirect provider).
 *  Errors: TG_EINVAL (non-numeric PartnerID), TG_ENOTFOUND (subscription not
 *  visible, unknown PartnerID), TG_EDENIED, TG_ESTATE (not an active reseller of
 *  the seller). */
TG_API int tg_subscription_set_reseller(tg_session *session, const char *subscription_id,
                                        const char *reseller_partner_id);
/** Set the designated support contact: the partner of record, or an indirect
 *  reseller with delegated admin over the customer and an active partnership
 *  (NULL: back to the partner of record).
 *  Errors: TG_EINVAL, TG_ENOTFOUND, TG_EDENIED, TG_ESTATE. */
TG_API int tg_subscription_set_support(tg_session *session, const char *subscription_id,
                                       const char *support_tenant_id);
/** Change a subscription's status, by its partner of record.
 *  Errors: TG_EINVAL (unknown status), TG_ENOTFOUND, TG_EDENIED. */
TG_API int tg_subscription_set_status(tg_session *session, const char *subscription_id,
                                      tg_subscription_status status);
/** The subscriptions of a customer that the session may see, through a new
 *  iterator the caller frees with tg_iter_free().
 *  Errors: TG_EINVAL, TG_ENOTFOUND (customer not visible), TG_EDENIED. */
TG_API int tg_subscriptions(tg_iter **out, tg_session *session, const char *customer_id);
/** A subscription in Partner Center's REST shape. The caller owns the text: free
 *  it with tg_free(). Errors: TG_EINVAL, TG_ENOTFOUND (absent or not visible),
 *  TG_EDENIED. */
TG_API int tg_subscription_get(char **out, tg_session *session, const char *subscription_id);
/** @} */

/**
 * @defgroup customers_side The customers' own side
 * Sign-in (DOMAIN.md §4), more than one partner and multichannel (§6). Since 0.2.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Customers' own side: sign-in (DOMAIN.md §4), more than one partner,  */
/* multichannel (§6). 0.2.                                             */
/* ------------------------------------------------------------------ */

/**
 * A customer's user signs in: the admin named on the receipt
 * (admin@<prefix>.onmicrosoft.com) or a user its Global admin added. User names
 * compare without case. The password is checked in constant time against the
 * stored Argon2id verifier.
 * With a valid temporary password the answer is TG_EPASSWORD_CHANGE and no
 * session: set a new password with tg_customer_change_password() first.
 * Failed attempts are counted per user name: after 5 failures within 15 minutes
 * every sign-in of that name is TG_ELOCKED for 15 minutes, even with the right
 * password (the clock is TG_OPT_CLOCK). A session of a customer's user may read
 * its own customer and subscriptions; its Global admin may also accept
 * relationship requests, record subscriptions bought elsewhere, hire or switch
 * partners and add users. Every other call answers TG_EDENIED.
 * Errors: TG_EINVAL, TG_EDENIED (unknown user or wrong password: one message for
 * both), TG_EPASSWORD_CHANGE, TG_ELOCKED.
 */
TG_API int tg_session_customer(tg_session **out, tg_graph *graph, const char *user_name,
                               const char *password);

/**
 * Change a customer user's password, proving the current (or temporary) one.
 * The new password has 8 to 256 characters, from at least 3 of the 4 classes
 * lower case, upper case, digits and symbols (any other character), no control
 * characters, and differs from the current one; otherwise TG_EINVAL naming the
 * rule. Afterwards the old password fails and the new one signs in.
 * Errors: TG_EINVAL, TG_EDENIED (as tg_session_customer), TG_ELOCKED, TG_ESTATE
 * (the password changed meanwhile).
 */
TG_API int tg_customer_change_password(tg_graph *graph, const char *user_name,
                                       const char *old_password, const char *new_password);

/**
 * Add a user to the session's customer, by its Global admin. `user_name` is
 * a name at the customer's own domain (name\@domain); `roles` is 0 (a user) or TG_ROLE_GLOBAL_ADMIN;
 * `password` is an initial password (rules as tg_customer_change_password) that
 * the user must change at first sign-in.
 * Errors: TG_EINVAL, TG_EDENIED, TG_EEXISTS.
 */
TG_API int tg_customer_user_add(tg_session *customer_session, const char *user_name,
                                const char *password, unsigned int roles);

/**
 * A partner's relationship request to an existing customer (multi-partner): a
 * single-use, expiring token in a link personalised to the partner, addressed to
 * that customer; only a hash of the token is stored. Read and free the handle
 * with the tg_invite_* functions. Sent by a provider or direct-bill partner
 * (Global admin, Admin agent, Sales agent). The customer need not be visible to
 * the partner yet: whether it exists is learnt only when it accepts.
 * Errors: TG_EINVAL (not a GUID), TG_EDENIED, TG_EEXISTS (already works with
 * it), TG_ESTATE (the resale ban).
 */
TG_API int tg_relationship_request(tg_invite **out, tg_session *partner_session,
                                   const char *customer_id);

/**
 * Accept a relationship request, by a Global admin of the customer it is
 * addressed to. The partner then sees the customer, holds delegated admin
 * privileges over it and may place orders for it; no existing subscription, its
 * partner of record or the customer's seller of record changes.
 * Errors: TG_EINVAL, TG_EDENIED (not a Global admin; addressed to another
 * customer), TG_ENOTFOUND, TG_EEXPIRED, TG_ESTATE (already used; the resale ban),
 * TG_EEXISTS (already works with that partner).
 */
TG_API int tg_relationship_accept(tg_session *customer_session, const char *link_or_token);

/**
 * Relationships: for a customer's session, the tenant ids of the partners it
 * works with (seller of record, associated reseller, partners whose requests it
 * accepted, any partner holding delegated admin privileges); for a partner user,
 * the ids of the customers it works with. Errors: TG_EINVAL, TG_EDENIED.
 */
TG_API int tg_relationships(tg_iter **out, tg_session *session);

/** Where a subscription recorded by its customer was bought (multichannel). */
typedef enum tg_channel {
    TG_CHANNEL_DIRECT = 1,     /**< directly from the platform (online) */
    TG_CHANNEL_EA = 2,         /**< Enterprise Agreement */
    TG_CHANNEL_OPEN = 3,       /**< Open licensing */
    TG_CHANNEL_ADVISOR = 4,    /**< through an advisor partner */
    TG_CHANNEL_THIRD_PARTY = 5 /**< another program or reseller */
} tg_channel;

/**
 * The customer's Global admin records a subscription bought elsewhere. It has no
 * partner of record and no support contact until a partner is hired.
 * `term_end` (seconds since the epoch) makes it license-based with a term; 0 means
 * it has no term. The new id is returned through `out`; free it with tg_free().
 * Errors: TG_EINVAL, TG_EDENIED.
 */
TG_API int tg_subscription_record(char **out, tg_session *customer_session, tg_channel channel,
                                  const char *offer_id, int quantity, int64_t term_end);

/**
 * The customer's Global admin hires a partner it works with to manage and support
 * a subscription bought elsewhere: the partner becomes its support contact, not its
 * partner of record. NULL ends the hire.
 * Errors: TG_EINVAL, TG_EDENIED, TG_ENOTFOUND, TG_ESTATE.
 */
TG_API int tg_subscription_hire(tg_session *customer_session, const char *subscription_id,
                                const char *partner_tenant_id);

/**
 * The customer's Global admin switches a subscription to another CSP partner it
 * works with (its seller of record or a partner whose request it accepted), which
 * becomes its partner of record and support contact; one bought elsewhere becomes
 * a CSP subscription. A license-based subscription is refused with TG_ESTATE
 * before its term ends: CSP subscriptions have a one-year term from their creation
 * (a moved one starts a new term), one bought elsewhere the term it was recorded
 * with. Errors: TG_EINVAL, TG_EDENIED, TG_ENOTFOUND, TG_ESTATE.
 */
TG_API int tg_subscription_move(tg_session *customer_session, const char *subscription_id,
                                const char *partner_tenant_id);

/** @} */

/**
 * @defgroup decisions Decisions
 * Ask before acting: the same decision the operations make (DOMAIN.md §2).
 * @{
 */
/* ------------------------------------------------------------------ */
/* Decisions                                                           */
/* ------------------------------------------------------------------ */

/** The actions of tg_check() and tg_explain(), one per row of the role matrix,
 *  with the object each takes. */
typedef enum tg_action {
    TG_ACT_VIEW_PARTNERS = 1,        /**< view resellers/providers lists (object: none) */
    TG_ACT_VIEW_CUSTOMER = 2,        /**< see a customer shared with the partner (object: customer) */
    TG_ACT_INVITE_SEND = 3,          /**< send a partnership request (object: none) */
    TG_ACT_INVITE_ACCEPT = 4,        /**< accept a partnership request (object: provider tenant) */
    TG_ACT_PARTNERSHIP_REMOVE = 5,   /**< remove a partnership (object: reseller tenant) */
    TG_ACT_CUSTOMER_CREATE = 6,      /**< create a customer (object: reseller tenant, optional) */
    TG_ACT_ORDER_PLACE = 7,          /**< add subscriptions / place orders (object: customer) */
    TG_ACT_SUBSCRIPTION_SET_RESELLER = 8, /**< set the reseller PartnerID (object: subscription) */
    TG_ACT_SUBSCRIPTION_SET_SUPPORT = 9,  /**< set the support contact (object: subscription) */
    TG_ACT_DELEGATED_ADMIN = 10,     /**< administer the customer's tenant (object: customer) */
    TG_ACT_USERS_MANAGE = 11,        /**< manage users and roles (object: user, optional) */
    TG_ACT_GLOBAL_ADMIN_GRANT = 12,  /**< grant or revoke Global admin (object: user, optional) */
    TG_ACT_BILLING_VIEW = 13,        /**< view billing (object: customer, optional) */
    TG_ACT_CUSTOMER_REMOVE = 14,     /**< remove a customer (object: customer) */
    TG_ACT_VIEW_SUBSCRIPTION = 15,   /**< see a subscription (object: subscription) */
    TG_ACT_PARTNER_ENROLL = 16,      /**< operator: enrol partners, record agreements */
    /* 0.2: more than one partner (DOMAIN.md §6) */
    TG_ACT_RELATIONSHIP_REQUEST = 17, /**< a partner asks to work with a customer (object: customer) */
    TG_ACT_RELATIONSHIP_ACCEPT = 18,  /**< customer: accept a relationship request (object: partner tenant) */
    TG_ACT_SUBSCRIPTION_RECORD = 19,  /**< customer: record a subscription bought elsewhere (object: customer) */
    TG_ACT_SUBSCRIPTION_HIRE = 20,    /**< customer: hire a partner to support one (object: subscription) */
    TG_ACT_SUBSCRIPTION_MOVE = 21,    /**< customer: switch one to another CSP partner (object: subscription) */
    TG_ACT_LAST_ = 21                 /**< not an action: the highest value */
} tg_action;

/**
 * May the session do `action` to `object_id` now? With object_id NULL the answer
 * covers the session's roles and partner kind only. Returns TG_OK, TG_EDENIED
 * (roles, kind, or no relationship to the object), TG_ESTATE (a rule forbids it
 * now), TG_ENOTFOUND (no such object), TG_EEXISTS (TG_ACT_INVITE_ACCEPT: already
 * partners), or TG_EINVAL. The message says why.
 */
TG_API int tg_check(tg_session *session, tg_action action, const char *object_id);
/** Why tg_check answers as it does, as one sentence. The caller owns the text:
 *  free it with tg_free(). Returns the same code tg_check would, with the text in
 *  *out either way (NULL only on TG_EINVAL or TG_ENOMEM). */
TG_API int tg_explain(char **out, tg_session *session, tg_action action, const char *object_id);
/** @} */

/**
 * @defgroup change_feed The change feed
 * One event per committed write, for the operator and the change hook (DOMAIN.md
 * §7). Since 0.2.
 *
 * Every committed write is one revision and one change event, written to the
 * store in the write's own transaction, so a reopened graph has its feed and
 * nothing acknowledged is lost. An event is a JSON object:
 *
 *     {"revision":12,"time":"2024-05-01T09:30:00Z",
 *      "actor":{"type":"user","id":"ga@p1","partner":"<tenant id>"},
 *      "action":"tg_partnership_remove",
 *      "objects":[{"type":"partnership","id":"<provider>/<reseller>","change":"delete"}]}
 *
 * "actor" is `{"type":"operator"}`, a partner user and its partner at the time, or
 * a customer's user and its customer
 * (`{"type":"customer","user":"<user name>","customer":"<customer id>"}`); "action" names the public function that made the
 * write ("tg_import" for an import); "objects" lists each record written, with
 * its kind ("partner", "user", "partnership", "invite", "customer",
 * "subscription", "customerUser") and "change" ("create", "update" or "delete").
 * Failed writes have no event.
 * @{
 */
/* ------------------------------------------------------------------ */
/* The change feed (DOMAIN.md §7). 0.2.                                */
/* ------------------------------------------------------------------ */

/**
 * The events after revision `since` (0: from the first), oldest first, at most
 * `limit` of them (0: no limit), through a new iterator the caller frees with
 * tg_iter_free(); tg_iter_next() yields each event's JSON. Only the operator reads
 * the feed: events name every partner's objects.
 * Errors: TG_EINVAL (NULL, or `since` above the graph's revision), TG_EDENIED
 * (not the operator), TG_EEXPIRED (events after `since` are no longer kept, see
 * TG_OPT_CHANGE_RETENTION; the message names the oldest revision still listed).
 */
TG_API int tg_changes(tg_iter **out, tg_session *op, uint64_t since, size_t limit);

/** A change hook: called once per committed write with its revision and event
 *  JSON (valid during the call), and the payload given to tg_graph_on_change(). */
typedef void(TG_CALLBACK *tg_change_hook)(tg_graph *graph, uint64_t revision, const char *event,
                                          void *payload);

/**
 * Set the graph's change hook, replacing the one before; NULL removes it. The
 * hook is called after the write's lock is released, never two at a time for a
 * graph, in revision order, so it may read and write the graph (a write made in
 * a hook gets its own event, delivered after the hook returns). When this
 * returns, the hook set before is not running on another thread and will not be
 * called again. See docs/threading.md. Errors: TG_EINVAL (NULL graph).
 */
TG_API int tg_graph_on_change(tg_graph *graph, tg_change_hook hook, void *payload);
/** @} */

/**
 * @defgroup interop Export and import
 * The whole graph as one JSON document, and Partner Center bodies into the graph.
 * Since 0.2.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Export and import (JSON). 0.2.                                      */
/* ------------------------------------------------------------------ */

/**
 * The whole graph as one JSON document (operator only): {"format":
 * "tiergraph-export","version":1,"partners":[...],"users":[...],
 * "partnerships":[...],"invites":[...],"customers":[...],"subscriptions":[...],
 * "customerUsers":[...]}, each record as the store keeps it, sorted by id, so the
 * same graph always exports the same bytes. Secrets appear only as they are kept:
 * Argon2id verifiers and invitation-token hashes. The change feed and the
 * revision are history, not the graph, and are not exported. The caller owns the
 * text: free it with tg_free(). Errors: TG_EINVAL, TG_EDENIED.
 */
TG_API int tg_export(char **out, tg_session *op);

/**
 * Import a JSON document into the graph (operator only), all or nothing: one
 * write, one revision, one store transaction, one change event ("tg_import").
 * The document is either a tg_export() document, or a Partner Center REST body
 * that maps onto the graph (request shapes in PascalCase and response shapes in
 * camelCase alike): a Customer, an Order (its line items become subscriptions),
 * a Subscription, or a Collection of Customers or Subscriptions; see
 * docs/design.md, "Export and import". Every record is checked as
 * tg_graph_verify() checks the graph. A customer brought with "userCredentials"
 * keeps only an Argon2id verifier of its password (computed before the write
 * lock is taken).
 * Errors, each leaving the graph and the store unchanged: TG_EINVAL (not JSON:
 * the message gives the byte offset, line and column; or a document or record
 * that does not map, naming it), TG_EEXISTS (a record that already exists, or
 * appears twice), TG_EDENIED, TG_EIO.
 */
TG_API int tg_import(tg_session *op, const char *json);
/** @} */

/**
 * @defgroup iteration Iteration
 * Snapshot lists of ids, valid while other threads write.
 * @{
 */
/* ------------------------------------------------------------------ */
/* Iteration                                                           */
/* ------------------------------------------------------------------ */

/** The next id through `out`, owned by the iterator and valid until
 *  tg_iter_free(). Returns TG_OK, TG_ITEROVER after the last id (not a failure),
 *  or TG_EINVAL (NULL). */
TG_API int tg_iter_next(tg_iter *iter, const char **out);
/** Getter: the number of ids in the snapshot, however many were read (0 for NULL). */
TG_API size_t tg_iter_count(const tg_iter *iter);
/** Free an iterator and its ids. NULL is a no-op. */
TG_API void tg_iter_free(tg_iter *iter);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* TIERGRAPH_H */
