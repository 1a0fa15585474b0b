/* partnership.c - provider <-> reseller (DOMAIN.md §3): the request with its
 * one-time link, acceptance by the reseller's Global admin, the two lists, and
 * removal with confirmation and attestation. */
#include "api/api.h"
#include "crypto/crypto.h"
#include "json/partner_center.h"
#include "ops.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINK_BASE "https://partner.tiergraph.invalid/indirect-reseller/authorize"

struct tg_invite {
    char *token; /* the only copy of the token in clear: guarded memory, wiped on free */
    char *link;  /* carries the token: guarded as well */
    char *email; /* carries the link: guarded as well */
    int64_t expires;
};

/* A copy of secret text in guarded memory (wiped by tg__secret_free). */
static char *secret_dup(const char *s)
{
    size_t n = strlen(s);
    char *p = sodium_malloc(n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

static char *secret_printf(size_t cap, const char *fmt, ...)
{
    char *p = sodium_malloc(cap);
    if (!p) return NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) {
        sodium_free(p);
        return NULL;
    }
    return p;
}

void tg_invite_free(tg_invite *inv)
{
    if (!inv) return;
    tg__secret_free(inv->token);
    tg__secret_free(inv->link);
    tg__secret_free(inv->email);
    free(inv);
}

/* A request with a one-time link, sent by the session's partner: a partnership
 * request (customer NULL) or a relationship request addressed to a customer. */
int tg__request_create(tg_invite **out, tg_session *s, const tg__request_kind *k,
                       const char *customer, const char *name)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(s);
    /* The token and its hash are made before the write lock is taken. */
    tg_invite *inv = calloc(1, sizeof(*inv));
    char hash[TG__TOKEN_HASH_LEN + 1];
    if (!inv || tg__token_generate(&inv->token)) {
        tg_invite_free(inv);
        return tg__nomem();
    }
    tg__token_hash(hash, inv->token, strlen(inv->token));

    tg__actor a;
    int rc = tg__enter_as(s, true, &a, name);
    if (rc) {
        tg_invite_free(inv);
        return rc;
    }
    tg_graph *g = s->graph;
    if ((rc = tg__decide(&g->t, &a, k->action, customer)) == TG_OK) {
        tg__invite *rec = tg__entity_new(TG__INVITE);
        if (rec) {
            rec->hash = tg__strdup(hash);
            rec->provider = tg__strdup(a.partner->tenant);
            rec->customer = customer ? tg__strdup(customer) : NULL;
            rec->created = tg__now(g);
            rec->expires = rec->created + g->invite_lifetime;
            inv->expires = rec->expires;
        }
        inv->link = secret_printf(512, "%s?%s=%s&token=%s", k->link_base, k->party,
                                  a.partner->tenant, inv->token);
        char when[32] = "";
        time_t t = (time_t)inv->expires;
        struct tm tm;
        if (gmtime_r(&t, &tm)) strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
        inv->email = inv->link ? secret_printf(
                                     2048,
                                     "Hello,\n\n%s (PartnerID %s) %s\n\nTo accept, a Global "
                                     "admin of your organisation signs in and follows this "
                                     "link:\n\n%s\n\nThe link works once and expires on %s.\n",
                                     a.partner->name, a.partner->partner_id, k->offer, inv->link,
                                     when)
                               : NULL;
        if (!rec || !rec->hash || !rec->provider || (customer && !rec->customer) || !inv->link ||
            !inv->email) {
            tg__entity_free(TG__INVITE, rec);
            rc = tg__nomem();
        } else {
            rc = tg__commit_put(g, TG__INVITE, rec);
        }
    }
    tg__leave(s);
    if (rc) {
        tg_invite_free(inv);
        return rc;
    }
    *out = inv;
    return TG_OK;
}

int tg_invite_create(tg_invite **out, tg_session *s)
{
    static const tg__request_kind partnership = {
        TG_ACT_INVITE_SEND, LINK_BASE, "provider",
        "invites your organisation to become one of its indirect resellers in the Cloud "
        "Solution Provider program."};
    return tg__request_create(out, s, &partnership, NULL, __func__);
}

const char *tg_invite_link(const tg_invite *inv)
{
    return inv ? inv->link : NULL;
}

const char *tg_invite_email(const tg_invite *inv)
{
    return inv ? inv->email : NULL;
}

int64_t tg_invite_expires(const tg_invite *inv)
{
    return inv ? inv->expires : 0;
}

static bool is_token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

/* The text holds the link whole: not cut short, and not run on into more token
 * characters, which would make a different token. */
static bool keeps_link(const char *text, const char *link)
{
    size_t n = strlen(link);
    for (const char *p = strstr(text, link); p; p = strstr(p + 1, link))
        if (!is_token_char(p[n])) return true;
    return false;
}

int tg_invite_set_email(tg_invite *inv, const char *text)
{
    TG__ARG(inv);
    int rc = tg__check_text(text, "email text");
    if (rc) return rc;
    if (!keeps_link(text, inv->link))
        return tg__err(TG_EINVAL, "the email text must keep the personalised link unchanged");
    char *copy = secret_dup(text);
    if (!copy) return tg__nomem();
    tg__secret_free(inv->email);
    inv->email = copy;
    return TG_OK;
}

/* The token inside a link ("...token=<t>[&...]") or a bare token, checked for shape. */
static int token_of(const char *link_or_token, char *out)
{
    const char *p = strstr(link_or_token, "token=");
    p = p ? p + 6 : link_or_token;
    size_t n = strcspn(p, "&#");
    if (n != TG__TOKEN_LEN)
        return tg__err(TG_EINVAL, "the invitation link or token is malformed");
    for (size_t i = 0; i < n; i++)
        if (!is_token_char(p[i])) return tg__err(TG_EINVAL, "the invitation link or token is malformed");
    memcpy(out, p, n);
    out[n] = '\0';
    return TG_OK;
}

int tg__request_token_hash(char *hash, const char *link_or_token)
{
    char token[TG__TOKEN_LEN + 1];
    int rc = tg__check_text(link_or_token, "link or token");
    if (rc || (rc = token_of(link_or_token, token))) return rc;
    tg__token_hash(hash, token, strlen(token));
    sodium_memzero(token, sizeof(token));
    return TG_OK;
}

int tg__request_open(const tg__invite *inv, int64_t now)
{
    if (inv->used_by) return tg__err(TG_ESTATE, "this invitation has already been used");
    if (now >= inv->expires)
        return tg__err(TG_EEXPIRED, "this invitation expired; ask the %s for a new one",
                       inv->customer ? "partner" : "provider");
    return TG_OK;
}

tg__invite *tg__request_used(const tg__invite *inv, const char *by)
{
    tg__invite *used = tg__entity_clone(TG__INVITE, inv);
    if (used && !(used->used_by = tg__strdup(by))) {
        tg__entity_free(TG__INVITE, used);
        used = NULL;
    }
    return used;
}

int tg_partnership_accept(tg_session *s, const char *link_or_token)
{
    TG__ARG(s);
    char hash[TG__TOKEN_HASH_LEN + 1];
    int rc = tg__request_token_hash(hash, link_or_token);
    if (rc) return rc;

    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    const tg__invite *inv = tg__get(&g->t, TG__INVITE, hash);
    if ((rc = tg__decide(&g->t, &a, TG_ACT_INVITE_ACCEPT, NULL)) != TG_OK) {
    } else if (!inv || inv->customer) { /* a relationship request is not for resellers */
        rc = tg__err(TG_ENOTFOUND, "no such partnership invitation");
    } else if ((rc = tg__request_open(inv, tg__now(g))) == TG_OK) {
        rc = tg__decide(&g->t, &a, TG_ACT_INVITE_ACCEPT, inv->provider);
    }
    if (rc == TG_OK) {
        tg__changeset cs = {0};
        tg__invite *used = tg__request_used(inv, a.partner->tenant);
        tg__partnership *p = tg__entity_new(TG__PARTNERSHIP);
        if (p) {
            p->provider = tg__strdup(inv->provider);
            p->reseller = tg__strdup(a.partner->tenant);
            p->key = tg__partnership_key(inv->provider, a.partner->tenant);
            p->since = tg__now(g);
            if (!p->provider || !p->reseller || !p->key) {
                tg__entity_free(TG__PARTNERSHIP, p);
                p = NULL;
            }
        }
        rc = tg__cs_put(&cs, TG__INVITE, used);
        if (rc == TG_OK) rc = tg__cs_put(&cs, TG__PARTNERSHIP, p);
        else tg__entity_free(TG__PARTNERSHIP, p);
        if (rc == TG_OK) rc = tg__commit(g, &cs);
        tg__cs_free(&cs);
    }
    tg__leave(s);
    return rc;
}

int tg_partnership_remove(tg_session *s, const char *reseller_tenant_id, unsigned int flags)
{
    TG__ARG(s);
    int rc = tg__check_guid(reseller_tenant_id, "reseller tenant id");
    if (rc) return rc;
    if (flags & ~(TG_CONFIRM | TG_ATTEST_GOOD_FAITH))
        return tg__err(TG_EINVAL, "unknown flags 0x%x", flags);
    if (!(flags & TG_CONFIRM))
        return tg__err(TG_ECONFIRM, "removing a partnership needs explicit confirmation "
                                    "(TG_CONFIRM: the answer \"Yes\")");
    if (!(flags & TG_ATTEST_GOOD_FAITH))
        return tg__err(TG_ECONFIRM, "removing a partnership needs the attestation that it is made "
                                    "in good faith for a legitimate business purpose "
                                    "(TG_ATTEST_GOOD_FAITH)");
    tg__actor a;
    if ((rc = tg__enter(s, true, &a))) return rc;
    tg_graph *g = s->graph;
    if ((rc = tg__decide(&g->t, &a, TG_ACT_PARTNERSHIP_REMOVE, reseller_tenant_id)) == TG_OK) {
        /* Only the partnership goes: customers, their association, delegated admin
         * privileges and subscription attributions stay as they are (§3.5). */
        const tg__partnership *p = tg__partnership_find(&g->t, a.partner->tenant, reseller_tenant_id);
        rc = tg__commit_del(g, TG__PARTNERSHIP, p->key);
    }
    tg__leave(s);
    return rc;
}

/* The session's partner's partnerships on one side (its resellers, or its
 * providers), once the actor may see them; NULL when there are none. */
static int partnerships_of(const tg__tables *t, const tg__actor *a, bool resellers,
                           const tg__vec **out)
{
    tg_partner_kind want = resellers ? TG_PARTNER_INDIRECT_PROVIDER : TG_PARTNER_INDIRECT_RESELLER;
    int rc = tg__decide(t, a, TG_ACT_VIEW_PARTNERS, NULL);
    if (rc == TG_OK && a->partner->kind != want)
        rc = tg__err(TG_EDENIED, "denied: only a partner of kind '%s' has %s", tg__kind_name(want),
                     resellers ? "indirect resellers" : "indirect providers");
    *out = rc ? NULL
              : tg__multi_get(resellers ? &t->resellers_of : &t->providers_of, a->partner->tenant);
    return rc;
}

/* What a listing makes of the partnerships: ids, or Partner Center's collection. */
typedef int (*listing)(void *out, const tg__tables *t, const tg__vec *v, bool resellers);

/* Make a listing of the session's partnerships on one side, under the read lock. */
static int list(void *out, tg_session *s, bool resellers, listing make)
{
    TG__ARG(s);
    tg__actor a;
    int rc = tg__enter(s, false, &a);
    if (rc) return rc;
    const tg__vec *v = NULL;
    rc = partnerships_of(&s->graph->t, &a, resellers, &v);
    if (rc == TG_OK) rc = make(out, &s->graph->t, v, resellers);
    tg__leave(s);
    return rc;
}

/* The other side of each partnership, as ids. */
static int ids(void *out, const tg__tables *t, const tg__vec *v, bool resellers)
{
    (void)t;
    tg_iter *it = tg__iter_new();
    int rc = it ? TG_OK : tg__nomem();
    for (size_t i = 0; v && rc == TG_OK && i < v->len; i++) {
        const tg__partnership *p = v->items[i];
        rc = tg__iter_add(it, resellers ? p->reseller : p->provider);
    }
    return tg__iter_finish(out, it, rc);
}

/* The other side of each partnership, as Partner Center's relationship collection. */
static int relationships(void *out, const tg__tables *t, const tg__vec *v, bool resellers)
{
    return tg__pc_relationships(out, t, v, resellers);
}

int tg_resellers(tg_iter **out, tg_session *s)
{
    TG__ARG(out);
    *out = NULL;
    return list(out, s, true, ids);
}

int tg_providers(tg_iter **out, tg_session *s)
{
    TG__ARG(out);
    *out = NULL;
    return list(out, s, false, ids);
}

int tg_resellers_json(char **out, tg_session *s)
{
    TG__ARG(out);
    *out = NULL;
    return list(out, s, true, relationships);
}

int tg_providers_json(char **out, tg_session *s)
{
    TG__ARG(out);
    *out = NULL;
    return list(out, s, false, relationships);
}
