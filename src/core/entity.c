/* entity.c - the table that describes each kind of record, and the generic
 * free and clone written over it. */
#include "entity.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/intern.h"
#include "util/str.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static_assert(sizeof(tg_partner_kind) == sizeof(int), "enums are stored as int");
static_assert(sizeof(tg_subscription_status) == sizeof(int), "enums are stored as int");

#define F(T, name, type, member) {name, type, offsetof(T, member), false}
/* A pooled field (tg__entity_pack): a partner named, or a value many records repeat. */
#define P(T, name, type, member) {name, type, offsetof(T, member), true}

static const tg__field partner_fields[] = {
    P(tg__partner, "tenant", TG__F_STR, tenant),
    F(tg__partner, "kind", TG__F_INT, kind),
    P(tg__partner, "partnerId", TG__F_STR, partner_id),
    F(tg__partner, "name", TG__F_STR, name),
    F(tg__partner, "domain", TG__F_STR, domain),
    P(tg__partner, "country", TG__F_STR, country),
    F(tg__partner, "agreement", TG__F_BOOL, agreement),
    F(tg__partner, "tenants", TG__F_STRV, tenants),
};
static const tg__field user_fields[] = {
    F(tg__user, "id", TG__F_STR, id),
    P(tg__user, "partner", TG__F_STR, partner),
    F(tg__user, "roles", TG__F_INT, roles),
};
static const tg__field partnership_fields[] = {
    F(tg__partnership, "key", TG__F_STR, key),
    P(tg__partnership, "provider", TG__F_STR, provider),
    P(tg__partnership, "reseller", TG__F_STR, reseller),
    F(tg__partnership, "since", TG__F_I64, since),
};
static const tg__field invite_fields[] = {
    F(tg__invite, "hash", TG__F_STR, hash),
    P(tg__invite, "provider", TG__F_STR, provider),
    F(tg__invite, "created", TG__F_I64, created),
    F(tg__invite, "expires", TG__F_I64, expires),
    P(tg__invite, "usedBy", TG__F_OPT_STR, used_by),
    P(tg__invite, "customer", TG__F_OPT_STR, customer),
};
static const tg__field customer_fields[] = {
    F(tg__customer, "id", TG__F_STR, id),
    F(tg__customer, "domain", TG__F_STR, domain),
    F(tg__customer, "company", TG__F_STR, company),
    F(tg__customer, "email", TG__F_STR, email),
    P(tg__customer, "culture", TG__F_STR, culture),
    P(tg__customer, "language", TG__F_STR, language),
    F(tg__customer, "line1", TG__F_STR, line1),
    F(tg__customer, "line2", TG__F_OPT_STR, line2),
    F(tg__customer, "city", TG__F_STR, city),
    F(tg__customer, "state", TG__F_STR, state),
    F(tg__customer, "postalCode", TG__F_STR, postal),
    P(tg__customer, "country", TG__F_STR, country),
    F(tg__customer, "firstName", TG__F_STR, first),
    F(tg__customer, "lastName", TG__F_STR, last),
    F(tg__customer, "phone", TG__F_OPT_STR, phone),
    P(tg__customer, "seller", TG__F_STR, seller),
    P(tg__customer, "reseller", TG__F_OPT_STR, reseller),
    P(tg__customer, "delegatedAdmins", TG__F_STRV, dap),
    F(tg__customer, "adminUser", TG__F_STR, admin_user),
    F(tg__customer, "verifier", TG__F_STR, verifier),
    F(tg__customer, "mustChangePassword", TG__F_BOOL, must_change_password),
    F(tg__customer, "created", TG__F_I64, created),
    P(tg__customer, "partners", TG__F_OPT_STRV, partners),
};
static const tg__field customer_user_fields[] = {
    F(tg__customer_user, "id", TG__F_STR, id),
    P(tg__customer_user, "customer", TG__F_STR, customer),
    F(tg__customer_user, "roles", TG__F_INT, roles),
    F(tg__customer_user, "verifier", TG__F_STR, verifier),
    F(tg__customer_user, "mustChangePassword", TG__F_BOOL, must_change_password),
    F(tg__customer_user, "created", TG__F_I64, created),
};
static const tg__field subscription_fields[] = {
    F(tg__subscription, "id", TG__F_STR, id),
    P(tg__subscription, "customer", TG__F_STR, customer),
    P(tg__subscription, "offer", TG__F_STR, offer),
    F(tg__subscription, "quantity", TG__F_INT, quantity),
    F(tg__subscription, "status", TG__F_INT, status),
    P(tg__subscription, "seller", TG__F_OPT_STR, seller),
    P(tg__subscription, "resellerPartnerId", TG__F_OPT_STR, reseller_pid),
    P(tg__subscription, "support", TG__F_OPT_STR, support),
    F(tg__subscription, "created", TG__F_I64, created),
    F(tg__subscription, "channel", TG__F_OPT_INT, channel),
    F(tg__subscription, "termEnd", TG__F_OPT_I64, term_end),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const tg__kind_desc kinds[TG__KIND_COUNT] = {
    [TG__PARTNER] = {"partner", sizeof(tg__partner), offsetof(tg__partner, tenant), offsetof(tg__partner, packed), partner_fields, N(partner_fields)},
    [TG__USER] = {"user", sizeof(tg__user), offsetof(tg__user, id), offsetof(tg__user, packed), user_fields, N(user_fields)},
    [TG__PARTNERSHIP] = {"partnership", sizeof(tg__partnership), offsetof(tg__partnership, key), offsetof(tg__partnership, packed), partnership_fields, N(partnership_fields)},
    [TG__INVITE] = {"invite", sizeof(tg__invite), offsetof(tg__invite, hash), offsetof(tg__invite, packed), invite_fields, N(invite_fields)},
    [TG__CUSTOMER] = {"customer", sizeof(tg__customer), offsetof(tg__customer, id), offsetof(tg__customer, packed), customer_fields, N(customer_fields)},
    [TG__SUBSCRIPTION] = {"subscription", sizeof(tg__subscription), offsetof(tg__subscription, id), offsetof(tg__subscription, packed), subscription_fields, N(subscription_fields)},
    [TG__CUSTOMER_USER] = {"customerUser", sizeof(tg__customer_user), offsetof(tg__customer_user, id), offsetof(tg__customer_user, packed), customer_user_fields, N(customer_user_fields)},
};

const tg__kind_desc *tg__kind_describe(tg__kind kind)
{
    return (unsigned)kind < TG__KIND_COUNT ? &kinds[kind] : NULL;
}

bool tg__strv_has(const tg__strv *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0) return true;
    return false;
}

int tg__strv_add(tg__strv *s, const char *x)
{
    if (tg__strv_has(s, x)) return TG_OK;
    char **v = realloc(s->v, (s->n + 1) * sizeof(*v));
    if (!v) return tg__nomem();
    s->v = v;
    if (!(s->v[s->n] = tg__strdup(x))) return tg__nomem();
    s->n++;
    return TG_OK;
}

void tg__strv_free(tg__strv *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

const char *tg__entity_id(tg__kind kind, const void *e)
{
    return *(char *const *)((const char *)e + kinds[kind].id_offset);
}

char *tg__store_key(tg__kind kind, const char *id)
{
    return tg__sprintf("%s/%s", kinds[kind].prefix, id);
}

static uint32_t *packed_flag(const tg__kind_desc *d, const void *e)
{
    return (uint32_t *)((char *)e + d->packed_offset);
}

/* Give back the pooled strings of a packed entity. */
static void unref_pooled(const tg__kind_desc *d, const void *e)
{
    for (size_t i = 0; i < d->nfields; i++) {
        if (!d->fields[i].pooled) continue;
        const void *slot = (const char *)e + d->fields[i].offset;
        if (d->fields[i].type == TG__F_STR || d->fields[i].type == TG__F_OPT_STR) {
            tg__intern_unref(*(char *const *)slot);
        } else {
            const tg__strv *sv = slot;
            for (size_t k = 0; k < sv->n; k++) tg__intern_unref(sv->v[k]);
        }
    }
}

void tg__entity_free(tg__kind kind, void *e)
{
    if (!e) return;
    const tg__kind_desc *d = &kinds[kind];
    uint32_t packed = *packed_flag(d, e);
    if (packed) { /* its own strings live in its block */
        unref_pooled(d, e);
        tg__arena_free(e, packed);
        return;
    }
    for (size_t i = 0; i < d->nfields; i++) {
        void *slot = (char *)e + d->fields[i].offset;
        if (d->fields[i].type == TG__F_STR || d->fields[i].type == TG__F_OPT_STR)
            free(*(char **)slot);
        else if (d->fields[i].type == TG__F_STRV || d->fields[i].type == TG__F_OPT_STRV)
            tg__strv_free(slot);
    }
    free(e);
}

bool tg__entity_in_arena(tg__kind kind, const void *e)
{
    const uint32_t packed = *packed_flag(&kinds[kind], e);
    return packed && packed <= TG__ARENA_MAX_BLOCK;
}

void *tg__entity_clone(tg__kind kind, const void *e)
{
    const tg__kind_desc *d = &kinds[kind];
    char *c = malloc(d->size);
    if (!c) return NULL;
    memcpy(c, e, d->size);
    *packed_flag(d, c) = 0;
    bool ok = true;
    /* First detach every owned pointer, so a failure half-way frees only copies. */
    for (size_t i = 0; i < d->nfields; i++) {
        void *slot = c + d->fields[i].offset;
        if (d->fields[i].type == TG__F_STR || d->fields[i].type == TG__F_OPT_STR)
            *(char **)slot = NULL;
        else if (d->fields[i].type == TG__F_STRV || d->fields[i].type == TG__F_OPT_STRV)
            memset(slot, 0, sizeof(tg__strv));
    }
    for (size_t i = 0; i < d->nfields && ok; i++) {
        const void *from = (const char *)e + d->fields[i].offset;
        void *slot = c + d->fields[i].offset;
        if (d->fields[i].type == TG__F_STR || d->fields[i].type == TG__F_OPT_STR) {
            const char *s = *(char *const *)from;
            if (s && !(*(char **)slot = tg__strdup(s))) ok = false;
        } else if (d->fields[i].type == TG__F_STRV || d->fields[i].type == TG__F_OPT_STRV) {
            const tg__strv *sv = from;
            for (size_t k = 0; k < sv->n && ok; k++)
                if (tg__strv_add(slot, sv->v[k]) != TG_OK) ok = false;
        }
    }
    if (!ok) {
        tg__entity_free(kind, c);
        return NULL;
    }
    return c;
}

void *tg__entity_new(tg__kind kind)
{
    return calloc(1, kinds[kind].size);
}

static bool is_str(tg__ftype t)
{
    return t == TG__F_STR || t == TG__F_OPT_STR;
}

static bool is_strv(tg__ftype t)
{
    return t == TG__F_STRV || t == TG__F_OPT_STRV;
}

/* Copy a string to *at, advance it, and return the copy (NULL stays NULL). */
static char *place(char **at, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *copy = memcpy(*at, s, n);
    *at += n;
    return copy;
}

/* A string of the packed entity: the pool's copy for a pooled field, else its
 * own copy at *at. False on ENOMEM. */
static bool put_string(tg__intern *pool, tg__arena *arena, bool pooled, char **at, const char *s,
                       char **to)
{
    if (!pooled || !s) {
        *to = place(at, s);
        return true;
    }
    return (*to = (char *)tg__intern_ref(pool, arena, s)) != NULL;
}

void *tg__entity_pack(tg__intern *pool, tg__arena *arena, tg__kind kind, const void *e)
{
    const tg__kind_desc *d = &kinds[kind];
    const size_t head = TG__PACKED_HEAD(d->size);
    size_t ptrs = 0, text = 0;
    for (size_t i = 0; i < d->nfields; i++) {
        const void *from = (const char *)e + d->fields[i].offset;
        const bool own = !d->fields[i].pooled;
        if (is_str(d->fields[i].type)) {
            const char *s = *(char *const *)from;
            if (s && own) text += strlen(s) + 1;
        } else if (is_strv(d->fields[i].type)) {
            const tg__strv *sv = from;
            ptrs += sv->n * sizeof(char *);
            for (size_t k = 0; k < sv->n && own; k++) text += strlen(sv->v[k]) + 1;
        }
    }
    /* [struct][id][pad][list pointers][other strings]: the id right after the
     * struct, where tg__prefetch_packed finds it without reading the struct (a
     * pooled id, a partner's tenant, lives in the pool instead). */
    bool pooled_id = false;
    for (size_t i = 0; i < d->nfields; i++)
        if (d->fields[i].offset == d->id_offset) pooled_id = d->fields[i].pooled;
    const size_t idlen = pooled_id ? 0 : strlen(tg__entity_id(kind, e)) + 1;
    const size_t lists = (head + idlen + 7) & ~(size_t)7;
    const size_t size = lists + ptrs + text - idlen;
    if (size > UINT32_MAX) {
        tg__err(TG_ENOMEM, "a record of %zu bytes is too large", size);
        return NULL;
    }
    char *p = tg__arena_alloc(arena, size);
    if (!p) return NULL;
    memcpy(p, e, d->size);
    *packed_flag(d, p) = (uint32_t)size;
    /* Detach every string first, so that a failure half-way gives back only what
     * was taken. */
    for (size_t i = 0; i < d->nfields; i++) {
        void *slot = p + d->fields[i].offset;
        if (is_str(d->fields[i].type)) *(char **)slot = NULL;
        else if (is_strv(d->fields[i].type)) ((tg__strv *)slot)->n = 0;
    }
    char *at = p + head, **vec = (char **)(p + lists);
    bool ok = true;
    if (!pooled_id) *(char **)(p + d->id_offset) = place(&at, tg__entity_id(kind, e));
    at = p + lists + ptrs;
    for (size_t i = 0; i < d->nfields && ok; i++) {
        const tg__field *f = &d->fields[i];
        if (f->offset == d->id_offset && !pooled_id) continue;
        const char *from = (const char *)e + f->offset;
        if (is_str(f->type)) {
            ok = put_string(pool, arena, f->pooled, &at, *(char *const *)from,
                            (char **)(p + f->offset));
        } else if (is_strv(f->type)) {
            const tg__strv *sv = (const tg__strv *)from;
            tg__strv *to = (tg__strv *)(p + f->offset);
            to->v = sv->n ? vec : NULL;
            for (size_t k = 0; k < sv->n && ok; k++, to->n++)
                ok = put_string(pool, arena, f->pooled, &at, sv->v[k], vec++);
            if (!ok) to->n--; /* the one that failed holds nothing */
        }
    }
    if (!ok) {
        unref_pooled(d, p);
        tg__arena_free(p, size);
        return NULL;
    }
    return p;
}
