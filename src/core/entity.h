/* entity.h - the records of the graph. Once in the graph an entity is immutable:
 * a write builds a new one (tg__entity_clone) and the change set swaps it in. */
#ifndef TG_ENTITY_H
#define TG_ENTITY_H

#include "tiergraph.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tg__intern;
struct tg__arena;

typedef enum tg__kind {
    TG__PARTNER,
    TG__USER,
    TG__PARTNERSHIP,
    TG__INVITE,
    TG__CUSTOMER,
    TG__SUBSCRIPTION,
    TG__CUSTOMER_USER,
    TG__KIND_COUNT
} tg__kind;

/* A list of owned strings. */
typedef struct tg__strv {
    char **v;
    size_t n;
} tg__strv;

bool tg__strv_has(const tg__strv *s, const char *x);
int tg__strv_add(tg__strv *s, const char *x); /* TG_OK or TG_ENOMEM; keeps duplicates out */
void tg__strv_free(tg__strv *s);

typedef struct tg__partner {
    char *tenant; /* CSP tenant: the key */
    tg_partner_kind kind;
    char *partner_id; /* PartnerID (MPN ID), numeric text */
    char *name, *domain, *country;
    bool agreement; /* partner agreement (MPA) signed */
    tg__strv tenants; /* corporate (non-CSP) tenants */
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
} tg__partner;

typedef struct tg__user {
    char *id;
    char *partner; /* the partner's CSP tenant */
    unsigned int roles;
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
} tg__user;

typedef struct tg__partnership {
    char *key; /* "<provider>/<reseller>" */
    char *provider, *reseller;
    int64_t since;
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
} tg__partnership;

typedef struct tg__invite {
    char *hash; /* BLAKE2b of the token: the key; the token itself is never stored */
    char *provider;
    int64_t created, expires;
    char *used_by; /* the reseller that accepted, or NULL while open */
    char *customer; /* a relationship request: the customer it is addressed to; the
                     * requesting partner is `provider`. NULL for a partnership request. */
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
} tg__invite;

typedef struct tg__customer {
    /* What a check or a list reads first, in the struct's first cache line. */
    char *id;       /* its tenant id */
    char *seller;   /* partner of record of the customer (provider or direct-bill) */
    char *reseller; /* associated indirect reseller, or NULL */
    tg__strv dap;   /* partners holding delegated admin privileges */
    tg__strv partners; /* partners whose relationship request it accepted (also in dap) */
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
    bool must_change_password;
    char *domain; /* <prefix>.onmicrosoft.com, lower case */
    char *company, *email, *culture, *language;
    char *line1, *line2, *city, *state, *postal, *country, *first, *last, *phone;
    char *admin_user;
    char *verifier; /* Argon2id verifier of the admin's password */
    int64_t created;
} tg__customer;

/* A user of a customer other than the admin of the receipt (whose credentials
 * live in the customer record). */
typedef struct tg__customer_user {
    char *id; /* the user name, lower case: <name>@<the customer's domain> */
    char *customer;
    unsigned int roles; /* TG_ROLE_GLOBAL_ADMIN or 0 */
    char *verifier;     /* Argon2id verifier of its password */
    bool must_change_password;
    int64_t created;
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
} tg__customer_user;

/* Where a subscription was bought: through its partner of record in CSP, or,
 * recorded by its customer, through a tg_channel. */
#define TG__CHANNEL_CSP 0

typedef struct tg__subscription {
    char *id;
    char *customer;
    char *seller;       /* partner of record (tenant); NULL when bought elsewhere */
    char *support;      /* designated support contact (tenant); NULL when bought
                         * elsewhere and no partner is hired */
    char *reseller_pid; /* attributed reseller's PartnerID, or NULL */
    char *offer;
    int64_t created;
    int64_t term_end; /* end of a license-based term; 0: none recorded */
    int quantity;
    tg_subscription_status status;
    int channel;      /* TG__CHANNEL_CSP or a tg_channel */
    uint32_t packed; /* packed (tg__entity_pack): the size of its block; 0: not packed */
} tg__subscription;

/* The key of an entity inside its kind (tenant, id, hash...). */
const char *tg__entity_id(tg__kind kind, const void *e);
/* The store key: "<kind>/<id>". Caller frees. NULL on ENOMEM. */
char *tg__store_key(tg__kind kind, const char *id);
/* A zeroed entity of a kind. NULL on ENOMEM. */
void *tg__entity_new(tg__kind kind);
void tg__entity_free(tg__kind kind, void *e);
/* Whether e is packed into a block of an arena's chunks (not from malloc): its
 * memory goes with the arena's release (tg__arena_release), its pooled strings
 * with their pool's (tg__intern_drop), and it needs no tg__entity_free then. */
bool tg__entity_in_arena(tg__kind kind, const void *e);
/* A deep copy, to be changed and put back through a change set. NULL on ENOMEM. */
void *tg__entity_clone(tg__kind kind, const void *e);
/* The same entity in one block of `arena` (src/util/arena.h): the struct, then its lists' pointers, then
 * its strings, the id first. Entities enter the tables packed (the commit and the
 * load do it): a table then costs one allocation per entity, not twenty, and a
 * lookup finds the key and the fields it compares next to each other. The
 * fields the kind table marks `pooled` (the partners a record names, and other
 * strings many records repeat) point into `pool` instead (src/util/intern.h):
 * two packed entities name the same partner exactly when their pointers are
 * equal (tg__same_tenant). A packed entity is immutable: change a clone
 * (tg__entity_clone gives an unpacked one). NULL on ENOMEM; `e` stays the
 * caller's. Packing and freeing packed entities change the pool: only under the
 * graph's write lock, or while a graph is opened or closed. */
void *tg__entity_pack(struct tg__intern *pool, struct tg__arena *arena, tg__kind kind,
                      const void *e);
/* Whether `a` and `b`, pooled fields of two entities (or NULL), say the same:
 * when both entities are packed (`packed`), by pointer alone, without reading
 * either string; otherwise as text. The checks' inner comparison. */
static inline bool tg__same_pooled(const char *a, const char *b, bool packed)
{
    if (a == b) return true;
    if (packed || !a || !b) return false;
    return strcmp(a, b) == 0;
}
/* Whether list `v` holds `x` (as tg__same_pooled). */
static inline bool tg__strv_has_pooled(const tg__strv *v, const char *x, bool packed)
{
    for (size_t i = 0; i < v->n; i++)
        if (tg__same_pooled(v->v[i], x, packed)) return true;
    return false;
}
/* Where a packed entity's own id starts: right after its struct of `size` bytes
 * (tg__entity_pack: [struct][id][pad][list pointers][other strings]). */
#define TG__PACKED_HEAD(size) (((size) + 7) & ~(size_t)7)
/* Ask the CPU for a packed entity of `size` bytes (its struct) and its id before
 * they are needed: a list walks records scattered over the heap, and fetching
 * several at once rather than one after the other is most of its speed. */
static inline void tg__prefetch_packed(const void *e, size_t size)
{
#if defined(__GNUC__)
    __builtin_prefetch(e);
    __builtin_prefetch((const char *)e + TG__PACKED_HEAD(size));
#else
    (void)e, (void)size;
#endif
}
/* Ask the CPU for the cache line at p. */
static inline void tg__prefetch(const void *p)
{
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}
/* The id of a packed customer, found without reading its struct: a list that
 * only copies ids then waits for one cache line a record, not two. Every entity
 * of a graph's tables is packed (the commit and the open pack them). */
static inline const char *tg__customer_packed_id(const tg__customer *c)
{
    const char *id = (const char *)c + TG__PACKED_HEAD(sizeof(tg__customer));
    assert(c->packed && c->id == id);
    return id;
}
#define TG__PREFETCH_AHEAD 8

/* Record encoding (src/json/record.c): JSON text for the store, and back. */
int tg__record_encode(tg__kind kind, const void *e, char **out, size_t *len);
/* Decode a stored record; the kind comes from the key's prefix. TG_ECORRUPT on bad input. */
int tg__record_decode(const char *key, size_t klen, const void *val, size_t vlen,
                      tg__kind *kind, void **out);


/* The shape of each kind, one table, so free, clone, encode and decode are
 * written once (src/core/entity.c, src/json/record.c). */
typedef enum tg__ftype { TG__F_STR, TG__F_OPT_STR, TG__F_INT, TG__F_I64, TG__F_BOOL, TG__F_STRV,
                        /* Fields added after 0.1: a record written before them loads
                         * with 0 or an empty list. */
                        TG__F_OPT_INT, TG__F_OPT_I64, TG__F_OPT_STRV } tg__ftype;

typedef struct tg__field {
    const char *name;
    tg__ftype type;
    size_t offset;
    bool pooled; /* packed, the string (or each of the list's) is the tables' pooled copy */
} tg__field;

typedef struct tg__kind_desc {
    const char *prefix; /* store key prefix, also the JSON "type" */
    size_t size;
    size_t id_offset; /* offset of the char * key field */
    size_t packed_offset; /* offset of its uint32_t packed */
    const tg__field *fields;
    size_t nfields;
} tg__kind_desc;

const tg__kind_desc *tg__kind_describe(tg__kind kind);
#endif
