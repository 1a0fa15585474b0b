/* interop.c - the whole graph out and in, for the operator: tg_export, and tg_import
 * of an export or of Partner Center bodies, all or nothing, checked like
 * tg_graph_verify checks a graph before anything is written. */
#include "api/api.h"
#include "json/interop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tg_export(char **out, tg_session *op)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(op);
    tg__actor a;
    int rc = tg__enter(op, false, &a);
    if (rc) return rc;
    rc = a.is_operator ? tg__export_json(out, &op->graph->t)
                       : tg__err(TG_EDENIED, "denied: only the operator may export the graph");
    tg__leave(op);
    return rc;
}

/* ---- the formats of imported records ---- */

/* Whether s holds a character from lo to hi ('A'..'Z': a capital). */
static bool has_any(const char *s, char lo, char hi)
{
    for (; *s; s++)
        if (*s >= lo && *s <= hi) return true;
    return false;
}

static bool is_hex64(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == 64 && s[n] == '\0';
}

static bool guids(const tg__strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        if (!tg__is_guid(v->v[i])) return false;
    return true;
}

/* Every text of a record: valid UTF-8, not empty, not too long. */
static const char *bad_text(tg__kind kind, const void *e)
{
    const tg__kind_desc *d = tg__kind_describe(kind);
    for (size_t i = 0; i < d->nfields; i++) {
        const void *slot = (const char *)e + d->fields[i].offset;
        const tg__strv one = {(char **)slot, 1};
        const tg__ftype type = d->fields[i].type;
        const tg__strv *v = type == TG__F_STRV || type == TG__F_OPT_STRV ? slot
                            : type == TG__F_STR || type == TG__F_OPT_STR ? &one
                                                                         : NULL;
        for (size_t k = 0; v && k < v->n; k++) {
            const char *s = v->v[k];
            if (!s) continue; /* an absent optional text */
            size_t n = strlen(s);
            if (!n || n > TG__MAX_STRING || !tg__utf8_valid(s, n)) return d->fields[i].name;
        }
    }
    return NULL;
}

/* What the format of one record breaks, or NULL. References and uniqueness are
 * checked on the graph the records would make (check_graph). */
static const char *bad_format(tg__kind kind, const void *e)
{
    switch (kind) {
    case TG__PARTNER: {
        const tg__partner *p = e;
        if (!tg__is_guid(p->tenant) || !guids(&p->tenants)) return "a tenant id is not a GUID";
        if (p->kind < TG_PARTNER_INDIRECT_PROVIDER || p->kind > TG_PARTNER_DIRECT_BILL)
            return "unknown partner kind";
        if (!tg__is_partner_id(p->partner_id)) return "the PartnerID must be numeric";
        if (!tg__is_domain(p->domain) || has_any(p->domain, 'A', 'Z'))
            return "the domain is not a lower-case domain name";
        if (!tg__is_country(p->country) || has_any(p->country, 'a', 'z'))
            return "the country is not two capital letters";
        if (tg__utf8_length(p->name) > 256) return "the name is longer than 256 characters";
        return NULL;
    }
    case TG__USER: {
        const tg__user *u = e;
        if (strlen(u->id) > 256 || tg__has_blank(u->id))
            return "the user id has a blank or is too long";
        if (!u->roles || (u->roles & ~(unsigned int)TG_ROLE_ALL))
            return "the roles are not a set of TG_ROLE_* bits";
        return NULL;
    }
    case TG__PARTNERSHIP: {
        const tg__partnership *p = e;
        return tg__is_guid(p->provider) && tg__is_guid(p->reseller) ? NULL : "a tenant id is not a GUID";
    }
    case TG__INVITE: {
        const tg__invite *i = e;
        if (!is_hex64(i->hash)) return "the token hash is not 64 lower-case hex digits";
        if (!tg__is_guid(i->provider) || (i->used_by && !tg__is_guid(i->used_by)) ||
            (i->customer && !tg__is_guid(i->customer)))
            return "a tenant id is not a GUID";
        return NULL;
    }
    case TG__CUSTOMER: {
        const tg__customer *c = e;
        static const char suffix[] = ".onmicrosoft.com";
        size_t n = strlen(c->domain);
        if (!tg__is_guid(c->id) || !tg__is_guid(c->seller) || (c->reseller && !tg__is_guid(c->reseller)) ||
            !guids(&c->dap) || !guids(&c->partners))
            return "a tenant id is not a GUID";
        if (!tg__is_domain(c->domain) || has_any(c->domain, 'A', 'Z') || n <= sizeof(suffix) - 1 ||
            strcmp(c->domain + n - (sizeof(suffix) - 1), suffix) != 0)
            return "the domain is not <prefix>.onmicrosoft.com";
        if (!tg__is_email(c->email)) return "the billing email is not an email address";
        if (!tg__is_country(c->country) || has_any(c->country, 'a', 'z'))
            return "the country is not two capital letters";
        if (strncmp(c->admin_user, "admin@", 6) != 0 || strcmp(c->admin_user + 6, c->domain) != 0)
            return "the admin user is not admin@<domain>";
        if (strncmp(c->verifier, "$argon2id$", 10) != 0)
            return "the verifier is not an Argon2id verifier";
        return NULL;
    }
    case TG__SUBSCRIPTION: {
        const tg__subscription *s = e;
        /* Bought through CSP: a partner of record and a support contact. Bought
         * elsewhere and recorded by its customer: neither, or a hired partner. */
        bool csp = s->channel == TG__CHANNEL_CSP;
        if (!tg__is_guid(s->id) || !tg__is_guid(s->customer) || (csp && !tg__is_guid(s->seller)) ||
            ((csp || s->support) && !tg__is_guid(s->support)))
            return "an id is not a GUID";
        if (!csp && (s->channel < TG_CHANNEL_DIRECT || s->channel > TG_CHANNEL_THIRD_PARTY))
            return "unknown channel";
        if (!csp && (s->seller || s->reseller_pid))
            return "a subscription bought elsewhere has no partner of record or reseller";
        if (s->term_end < 0) return "the term end is negative";
        if (s->quantity < 1 || s->quantity > 1000000)
            return "the license count is not from 1 to 1000000";
        if (s->status < TG_SUB_ACTIVE || s->status > TG_SUB_DELETED) return "unknown status";
        if (s->reseller_pid && !tg__is_partner_id(s->reseller_pid))
            return "the reseller PartnerID must be numeric";
        if (strlen(s->offer) > 128) return "the offer id is longer than 128 bytes";
        return NULL;
    }
    case TG__CUSTOMER_USER: {
        const tg__customer_user *u = e;
        if (!tg__is_guid(u->customer)) return "the customer id is not a GUID";
        if (strlen(u->id) > 256 || tg__has_blank(u->id) || !strchr(u->id, '@'))
            return "the user name is not <name>@<domain>, or is too long";
        if (has_any(u->id, 'A', 'Z')) return "the user name is not in lower case";
        if (u->roles & ~(unsigned int)TG_ROLE_GLOBAL_ADMIN)
            return "the roles are neither 0 nor TG_ROLE_GLOBAL_ADMIN";
        if (strncmp(u->verifier, "$argon2id$", 10) != 0)
            return "the verifier is not an Argon2id verifier";
        return NULL;
    }
    default: return NULL;
    }
}

static int check_records(const tg__changeset *cs)
{
    for (size_t i = 0; i < cs->len; i++) {
        const tg__change *c = &cs->items[i];
        const char *prefix = tg__kind_describe(c->kind)->prefix, *field = bad_text(c->kind, c->next);
        if (field)
            return tg__err(TG_EINVAL, "import: %s '%.64s': '%s' is empty, too long or not UTF-8",
                           prefix, c->id, field);
        const char *why = bad_format(c->kind, c->next);
        if (why) return tg__err(TG_EINVAL, "import: %s '%.64s': %s", prefix, c->id, why);
    }
    return TG_OK;
}

/* ---- the graph the records would make ---- */

typedef struct scratch {
    tg__tables t; /* indexes only: the records belong to the graph and the change set */
    tg__kind kind;
    int rc;
} scratch;

static int scratch_add(scratch *s, tg__kind kind, void *e)
{
    if (tg__tables_reserve(&s->t, kind, e)) return s->rc = TG_ENOMEM;
    tg__tables_index(&s->t, kind, e);
    return TG_OK;
}

static int add_existing(void *ctx, const char *key, void *value)
{
    (void)key;
    scratch *s = ctx;
    return scratch_add(s, s->kind, value);
}

/* New ids, and every invariant of tg_graph_verify on the graph's records plus the
 * new ones, checked on scratch indexes before anything is written. */
static int check_graph(const tg__tables *t, const tg__changeset *cs)
{
    scratch s = {.rc = TG_OK};
    for (int k = 0; k < TG__KIND_COUNT && s.rc == TG_OK; k++) {
        s.kind = (tg__kind)k;
        tg__map_each(&t->by_id[k], add_existing, &s);
    }
    int rc = s.rc ? tg__nomem() : TG_OK;
    for (size_t i = 0; rc == TG_OK && i < cs->len; i++) {
        const tg__change *c = &cs->items[i];
        const char *prefix = tg__kind_describe(c->kind)->prefix;
        if (tg__get(t, c->kind, c->id))
            rc = tg__err(TG_EEXISTS, "import: %s '%.64s' already exists", prefix, c->id);
        else if (tg__get(&s.t, c->kind, c->id))
            rc = tg__err(TG_EEXISTS, "import: %s '%.64s' appears twice", prefix, c->id);
        else if (scratch_add(&s, c->kind, c->next))
            rc = tg__nomem();
    }
    if (rc == TG_OK && tg__tables_verify(&s.t) != TG_OK) {
        char why[512];
        snprintf(why, sizeof(why), "%s", tg_error_message());
        rc = tg__err(TG_EINVAL, "import: the records would not make a valid graph (%s)", why);
    }
    tg__tables_release(&s.t);
    return rc;
}

int tg_import(tg_session *op, const char *json)
{
    TG__ARG(op);
    TG__ARG(json);
    tg__actor a;
    int rc = tg__enter(op, false, &a);
    if (rc) return rc;
    tg_graph *g = op->graph;
    bool is_operator = a.is_operator;
    uint64_t ops = g->argon2_ops;
    size_t mem = g->argon2_mem;
    tg__leave(op);
    if (!is_operator) return tg__err(TG_EDENIED, "denied: only the operator may import");

    /* Parsing and the slow verifiers, before the write lock. */
    tg__import im;
    rc = tg__import_prepare(&im, json, ops, mem);
    if (rc == TG_OK) rc = tg__enter(op, true, &a);
    if (rc) {
        tg__import_free(&im);
        return rc;
    }
    tg__changeset cs = {0};
    if ((rc = tg__import_records(&cs, &im, &g->t, tg__now(g))) == TG_OK &&
        (rc = check_records(&cs)) == TG_OK && (rc = check_graph(&g->t, &cs)) == TG_OK && cs.len)
        rc = tg__commit(g, &cs);
    tg__cs_free(&cs);
    tg__leave(op);
    tg__import_free(&im);
    return rc;
}
