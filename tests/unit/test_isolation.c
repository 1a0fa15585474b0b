/* test_isolation.c - authorization isolation, over many generated graphs: a
 * session never sees or touches a customer, subscription, user or partner it has
 * no relationship with, whatever the call.
 *
 * Each graph is built from a seed (printed; TG_ISOLATION_SEED=N repeats a run,
 * TG_ISOLATION_GRAPHS=N sets how many graphs) with random partners, users and
 * roles, partnerships, customers with and without resellers, subscriptions with
 * attributions and support contacts, then partnerships removed, associations
 * ended and changed, customers and users removed. The test keeps its own model of
 * the graph and of "relationship", written from DOMAIN.md (and, where it is
 * silent, from the decisions in docs/rules.md), not from src/core/rules.c:
 *  - a customer: its seller of record; its associated reseller; a reseller that
 *    was associated with it once and so holds delegated admin (DOMAIN §3.5: those
 *    privileges stay; docs/rules.md: ending an association leaves them too);
 *  - a subscription: a partner that sees its customer and is its partner of
 *    record, its support contact, the reseller it is attributed to, or the
 *    customer's associated reseller when the customer's seller sold it (docs/rules.md);
 *  - a user: the operator, and the users of its own partner;
 *  - a partner: the operator, its own users, anyone for an indirect provider (the
 *    official list is public), and its partnered counterparts now.
 * A removed user's session has no relationship with anything.
 *
 * For every session, every object (and one that does not exist, the "ghost") and
 * every function that takes such an object: without a relationship the answer
 * must be exactly the ghost's (same code, same message but for the id) and nothing
 * may change; with one, a read must succeed when the session's roles allow the
 * view. Every list must be exactly what the model says the session sees, and no
 * JSON may name a customer or subscription the session does not see. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <tiergraph.h>

#include "draft_details.h"

#define MAXP 10
#define MAXU 32
#define MAXC 12
#define MAXS 40
#define NONE (-1)
#define OPERATOR (-1) /* "who" of the operator's session */

#define GHOST_TENANT "ffffffff-ffff-4fff-8fff-fffffffffff0"
#define GHOST_CUSTOMER "ffffffff-ffff-4fff-8fff-fffffffffff1"
#define GHOST_SUBSCRIPTION "ffffffff-ffff-4fff-8fff-fffffffffff2"
#define GHOST_USER "ghost@nowhere"

typedef struct m_partner {
    char tenant[40], pid[16];
    tg_partner_kind kind;
    bool agreement;
    int ga; /* index of its first Global admin */
} m_partner;

typedef struct m_user {
    char id[32];
    int partner;
    unsigned roles;
    bool removed;
    tg_session *s;
} m_user;

typedef struct m_customer {
    char id[40];
    int seller, reseller;
    bool delegated[MAXP]; /* partners holding delegated admin: seller, every reseller ever */
    bool removed;
} m_customer;

typedef struct m_sub {
    char id[40];
    int customer, seller, attributed, support; /* partner indexes; attributed may be NONE */
    bool removed;
} m_sub;

typedef struct model {
    uint64_t seed, rng;
    tg_graph *g;
    tg_session *op;
    m_partner p[MAXP];
    int np;
    m_user u[MAXU];
    int nu;
    bool partnered[MAXP][MAXP]; /* [provider][reseller] */
    m_customer c[MAXC];
    int nc;
    m_sub s[MAXS];
    int ns;
    long calls;
} model;

static uint64_t rnd(model *m)
{
    /* splitmix64: a seed gives the same graph on every machine */
    uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int below(model *m, int n)
{
    return (int)(rnd(m) % (uint64_t)n);
}

#define MUST(m, call) \
    do { \
        int rc_ = (call); \
        if (rc_ != TG_OK) \
            fail_msg("graph seed %llu: %s: %d %s", (unsigned long long)(m)->seed, #call, rc_, \
                     tg_error_message()); \
    } while (0)

/* ------------------------------------------------------------------ */
/* The relationship model                                              */
/* ------------------------------------------------------------------ */

static int partner_of(const model *m, int who)
{
    return who == OPERATOR ? NONE : m->u[who].removed ? NONE : m->u[who].partner;
}

static bool sees_customer(const model *m, int who, int ci)
{
    const m_customer *c = &m->c[ci];
    int p = partner_of(m, who);
    if (p == NONE || c->removed) return false;
    return p == c->seller || p == c->reseller || c->delegated[p];
}

static bool sees_subscription(const model *m, int who, int si)
{
    const m_sub *s = &m->s[si];
    const m_customer *c = &m->c[s->customer];
    int p = partner_of(m, who);
    if (s->removed || !sees_customer(m, who, s->customer)) return false;
    return p == s->seller || p == s->support || p == s->attributed ||
           (p == c->reseller && c->seller == s->seller);
}

static bool sees_user(const model *m, int who, int ui)
{
    if (m->u[ui].removed) return false;
    if (who == OPERATOR) return true;
    return partner_of(m, who) == m->u[ui].partner;
}

static bool partners_now(const model *m, int a, int b)
{
    return m->partnered[a][b] || m->partnered[b][a];
}

static bool sees_partner(const model *m, int who, int pi)
{
    if (who == OPERATOR) return true;
    int p = partner_of(m, who);
    if (p == NONE) return false;
    return p == pi || m->p[pi].kind == TG_PARTNER_INDIRECT_PROVIDER || partners_now(m, p, pi);
}

/* The session's roles allow `action` at all (the role matrix is test_policy.c's). */
static bool may(const model *m, int who, tg_action action)
{
    const tg_session *s = who == OPERATOR ? m->op : m->u[who].s;
    return tg_check((tg_session *)s, action, NULL) == TG_OK;
}

/* ------------------------------------------------------------------ */
/* Building a graph                                                    */
/* ------------------------------------------------------------------ */

static int add_partner(model *m, tg_partner_kind kind, bool agreement)
{
    int i = m->np++;
    m_partner *p = &m->p[i];
    p->kind = kind;
    p->agreement = agreement;
    snprintf(p->tenant, sizeof(p->tenant), "%08x-0000-4000-8000-%012x", 0xa0000000u + (unsigned)kind,
             (unsigned)i);
    snprintf(p->pid, sizeof(p->pid), "7%d%05d", (int)kind, i);
    char name[16], domain[32];
    snprintf(name, sizeof(name), "partner%d", i);
    snprintf(domain, sizeof(domain), "partner%d.example", i);
    MUST(m, tg_partner_enroll(m->op, kind, p->tenant, p->pid, name, domain, "US"));
    if (agreement) MUST(m, tg_partner_set_agreement(m->op, p->tenant, 1));
    return i;
}

static int add_user(model *m, tg_session *by, int partner, unsigned roles)
{
    int i = m->nu++;
    m_user *u = &m->u[i];
    snprintf(u->id, sizeof(u->id), "u%d-%d@g", partner, i);
    u->partner = partner;
    u->roles = roles;
    MUST(m, tg_user_add(by, m->p[partner].tenant, u->id, roles));
    MUST(m, tg_session_user(&u->s, m->g, u->id));
    return i;
}

static tg_session *ga(const model *m, int partner)
{
    return m->u[m->p[partner].ga].s;
}

static void partner_up(model *m, int provider, int reseller)
{
    tg_invite *inv;
    MUST(m, tg_invite_create(&inv, ga(m, provider)));
    MUST(m, tg_partnership_accept(ga(m, reseller), tg_invite_link(inv)));
    tg_invite_free(inv);
    m->partnered[provider][reseller] = true;
}

static int add_sub_record(model *m, const char *id, int ci, int attributed, int support)
{
    int i = m->ns++;
    m_sub *s = &m->s[i];
    snprintf(s->id, sizeof(s->id), "%s", id);
    s->customer = ci;
    s->seller = m->c[ci].seller;
    s->attributed = attributed;
    s->support = support;
    return i;
}

static void add_customer(model *m, int seller, int reseller, int nsubs)
{
    int ci = m->nc++;
    m_customer *c = &m->c[ci];
    tg_draft *d;
    MUST(m, tg_draft_new(&d, ga(m, seller)));
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "iso%dc%d", (int)(m->seed % 100000), ci);
    MUST(m, draft_fill_valid(d, prefix, 0));
    if (reseller != NONE) MUST(m, tg_draft_set(d, TG_FIELD_RESELLER, m->p[reseller].tenant));
    for (int i = 0; i < nsubs; i++) MUST(m, tg_draft_add_subscription(d, "offer-e3", 1 + i));
    tg_receipt *r;
    MUST(m, tg_draft_submit(&r, d));
    snprintf(c->id, sizeof(c->id), "%s", tg_receipt_customer_id(r));
    c->seller = seller;
    c->reseller = reseller;
    c->delegated[seller] = true;
    if (reseller != NONE) c->delegated[reseller] = true;
    for (int i = 0; i < nsubs; i++) add_sub_record(m, tg_receipt_subscription_id(r, i), ci, reseller, seller);
    tg_receipt_free(r);
    tg_draft_free(d);
}

/* A reseller the seller may do new business with now, at random, or NONE. */
static int active_reseller_of(model *m, int seller)
{
    int candidates[MAXP], n = 0;
    for (int r = 0; r < m->np; r++)
        if (m->partnered[seller][r] && m->p[r].agreement) candidates[n++] = r;
    return n ? candidates[below(m, n)] : NONE;
}

/* A subscription added to an existing customer, attributed and supported at random
 * among what the rules allow (the model says what they allow). */
static void add_subscription(model *m, int ci)
{
    const m_customer *c = &m->c[ci];
    int seller = c->seller, attributed = NONE, support = seller;
    if (m->p[seller].kind == TG_PARTNER_INDIRECT_PROVIDER && below(m, 2))
        attributed = active_reseller_of(m, seller);
    int r = active_reseller_of(m, seller);
    if (r != NONE && c->delegated[r] && below(m, 2)) support = r;
    char *id = NULL;
    MUST(m, tg_subscription_add(&id, ga(m, seller), c->id, "offer-e5", 2,
                                attributed == NONE ? NULL : m->p[attributed].pid,
                                support == seller ? NULL : m->p[support].tenant));
    add_sub_record(m, id, ci, attributed, support);
    tg_free(id);
}

/* Changes after the fact: what DOMAIN §3.5 and the association rules keep. */
static void random_event(model *m)
{
    int ci = m->nc ? below(m, m->nc) : 0;
    m_customer *c = &m->c[ci];
    switch (below(m, 5)) {
    case 0: /* a partnership ends */
        for (int p = 0; p < m->np; p++)
            for (int r = 0; r < m->np; r++)
                if (m->partnered[p][r] && below(m, 3) == 0) {
                    MUST(m, tg_partnership_remove(ga(m, p), m->p[r].tenant,
                                                  TG_CONFIRM | TG_ATTEST_GOOD_FAITH));
                    m->partnered[p][r] = false;
                    return;
                }
        return;
    case 1: /* an association ends, or moves to another active reseller */
        if (!m->nc || c->removed) return;
        if (below(m, 2)) {
            MUST(m, tg_customer_set_reseller(ga(m, c->seller), c->id, NULL));
            c->reseller = NONE;
        } else {
            int r = m->p[c->seller].kind == TG_PARTNER_INDIRECT_PROVIDER ? active_reseller_of(m, c->seller)
                                                                        : NONE;
            if (r == NONE) return;
            MUST(m, tg_customer_set_reseller(ga(m, c->seller), c->id, m->p[r].tenant));
            c->reseller = r;
            c->delegated[r] = true;
        }
        return;
    case 2: /* a customer goes: association ended, subscriptions suspended, removed */
        if (!m->nc || c->removed) return;
        if (c->reseller != NONE) MUST(m, tg_customer_set_reseller(ga(m, c->seller), c->id, NULL));
        c->reseller = NONE;
        for (int i = 0; i < m->ns; i++)
            if (m->s[i].customer == ci && !m->s[i].removed)
                MUST(m, tg_subscription_set_status(ga(m, c->seller), m->s[i].id, TG_SUB_SUSPENDED));
        MUST(m, tg_customer_remove(ga(m, c->seller), c->id));
        c->removed = true;
        for (int i = 0; i < m->ns; i++)
            if (m->s[i].customer == ci) m->s[i].removed = true;
        return;
    case 3: { /* a user goes (its session stays open) */
        int ui = below(m, m->nu);
        m_user *u = &m->u[ui];
        if (u->removed || ui == m->p[u->partner].ga) return;
        MUST(m, tg_user_remove(ga(m, u->partner), u->id));
        u->removed = true;
        return;
    }
    default: /* a new partnership (or one renewed) */
        for (int p = 0; p < m->np; p++)
            for (int r = 0; r < m->np; r++)
                if (m->p[p].kind == TG_PARTNER_INDIRECT_PROVIDER &&
                    m->p[r].kind == TG_PARTNER_INDIRECT_RESELLER && m->p[r].agreement &&
                    !m->partnered[p][r] && below(m, 3) == 0) {
                    partner_up(m, p, r);
                    return;
                }
        return;
    }
}

static void build_graph(model *m, uint64_t seed)
{
    memset(m, 0, sizeof(*m));
    m->seed = m->rng = seed;
    assert_int_equal(tg_graph_open(&m->g, "mem:"), TG_OK);
    assert_int_equal(tg_graph_set_option(m->g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(m->g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
    assert_int_equal(tg_session_operator(&m->op, m->g), TG_OK);
    int providers = 2 + below(m, 2), resellers = 2 + below(m, 3), direct = 1 + below(m, 2);
    for (int i = 0; i < providers; i++) add_partner(m, TG_PARTNER_INDIRECT_PROVIDER, true);
    for (int i = 0; i < resellers; i++) add_partner(m, TG_PARTNER_INDIRECT_RESELLER, below(m, 5) != 0);
    for (int i = 0; i < direct; i++) add_partner(m, TG_PARTNER_DIRECT_BILL, true);
    for (int p = 0; p < m->np; p++) {
        m->p[p].ga = add_user(m, m->op, p, TG_ROLE_GLOBAL_ADMIN);
        for (int k = below(m, 3); k > 0; k--) add_user(m, ga(m, p), p, 1u + (unsigned)below(m, TG_ROLE_ALL));
    }
    for (int p = 0; p < m->np; p++)
        for (int r = 0; r < m->np; r++)
            if (m->p[p].kind == TG_PARTNER_INDIRECT_PROVIDER &&
                m->p[r].kind == TG_PARTNER_INDIRECT_RESELLER && m->p[r].agreement && below(m, 2))
                partner_up(m, p, r);
    for (int n = 3 + below(m, MAXC - 5); n > 0; n--) {
        int seller;
        do seller = below(m, m->np);
        while (m->p[seller].kind == TG_PARTNER_INDIRECT_RESELLER);
        int reseller = m->p[seller].kind == TG_PARTNER_INDIRECT_PROVIDER && below(m, 3)
                           ? active_reseller_of(m, seller)
                           : NONE;
        add_customer(m, seller, reseller, below(m, 3));
    }
    for (int n = below(m, 8); n > 0 && m->ns < MAXS; n--) add_subscription(m, below(m, m->nc));
    for (int n = 2 + below(m, 6); n > 0; n--) random_event(m);
    assert_int_equal(tg_graph_verify(m->g), TG_OK);
}

static void free_graph(model *m)
{
    for (int i = 0; i < m->nu; i++) tg_session_close(m->u[i].s);
    tg_session_close(m->op);
    tg_graph_close(m->g);
}

/* ------------------------------------------------------------------ */
/* Probes: one call with an object id; the answer and its text          */
/* ------------------------------------------------------------------ */

typedef struct answer {
    int rc;
    char text[1024]; /* the JSON or the error message */
} answer;

typedef int (*probe_fn)(tg_session *s, const char *id, char **json);

static int p_customer_get(tg_session *s, const char *id, char **json)
{
    return tg_customer_get(json, s, id);
}
static int p_subscriptions(tg_session *s, const char *id, char **json)
{
    tg_iter *it = NULL;
    (void)json;
    int rc = tg_subscriptions(&it, s, id);
    tg_iter_free(it);
    return rc;
}
static int p_customer_unassociate(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_customer_set_reseller(s, id, NULL);
}
static int p_customer_remove(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_customer_remove(s, id);
}
static int p_subscription_add(tg_session *s, const char *id, char **json)
{
    return tg_subscription_add(json, s, id, "offer-x", 1, NULL, NULL);
}
static int p_subscription_get(tg_session *s, const char *id, char **json)
{
    return tg_subscription_get(json, s, id);
}
static int p_subscription_unattribute(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_subscription_set_reseller(s, id, NULL);
}
static int p_subscription_default_support(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_subscription_set_support(s, id, NULL);
}
static int p_subscription_suspend(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_subscription_set_status(s, id, TG_SUB_SUSPENDED);
}
static int p_user_roles(tg_session *s, const char *id, char **json)
{
    unsigned roles;
    (void)json;
    return tg_user_roles(&roles, s, id);
}
static int p_user_set_roles(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_user_set_roles(s, id, TG_ROLE_HELPDESK_AGENT);
}
static int p_user_remove(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_user_remove(s, id);
}
static int p_partner_get(tg_session *s, const char *id, char **json)
{
    return tg_partner_get(json, s, id);
}
static int p_users(tg_session *s, const char *id, char **json)
{
    tg_iter *it = NULL;
    (void)json;
    int rc = tg_users(&it, s, id);
    tg_iter_free(it);
    return rc;
}
static int p_user_add(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_user_add(s, id, "intruder@nowhere", TG_ROLE_SALES_AGENT);
}
static int p_partnership_remove(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_partnership_remove(s, id, TG_CONFIRM | TG_ATTEST_GOOD_FAITH);
}

typedef enum kind { CUSTOMER, SUBSCRIPTION, USER, PARTNER } kind;
typedef bool (*relation_fn)(const model *m, int who, int object);

static bool own_partner(const model *m, int who, int pi)
{
    return who == OPERATOR || partner_of(m, who) == pi;
}

/* The partnership a provider's session could remove. */
static bool partnered_with(const model *m, int who, int pi)
{
    int p = partner_of(m, who);
    return p != NONE && m->partnered[p][pi];
}

typedef struct probe {
    const char *name;
    kind kind;
    probe_fn fn;
    bool writes;
    relation_fn related;
    tg_action view; /* for a read: the action whose roles it needs (0: none) */
} probe;

static const probe probes[] = {
    {"tg_customer_get", CUSTOMER, p_customer_get, false, sees_customer, TG_ACT_VIEW_CUSTOMER},
    {"tg_subscriptions", CUSTOMER, p_subscriptions, false, sees_customer, TG_ACT_VIEW_SUBSCRIPTION},
    {"tg_customer_set_reseller", CUSTOMER, p_customer_unassociate, true, sees_customer, 0},
    {"tg_customer_remove", CUSTOMER, p_customer_remove, true, sees_customer, 0},
    {"tg_subscription_add", CUSTOMER, p_subscription_add, true, sees_customer, 0},
    {"tg_subscription_get", SUBSCRIPTION, p_subscription_get, false, sees_subscription,
     TG_ACT_VIEW_SUBSCRIPTION},
    {"tg_subscription_set_reseller", SUBSCRIPTION, p_subscription_unattribute, true, sees_subscription, 0},
    {"tg_subscription_set_support", SUBSCRIPTION, p_subscription_default_support, true,
     sees_subscription, 0},
    {"tg_subscription_set_status", SUBSCRIPTION, p_subscription_suspend, true, sees_subscription, 0},
    {"tg_user_roles", USER, p_user_roles, false, sees_user, 0},
    {"tg_user_set_roles", USER, p_user_set_roles, true, sees_user, 0},
    {"tg_user_remove", USER, p_user_remove, true, sees_user, 0},
    {"tg_partner_get", PARTNER, p_partner_get, false, sees_partner, 0},
    {"tg_users", PARTNER, p_users, false, own_partner, TG_ACT_USERS_MANAGE},
    {"tg_user_add", PARTNER, p_user_add, true, sees_partner, 0},
    {"tg_partnership_remove", PARTNER, p_partnership_remove, true, partnered_with, 0},
};

static const char *object_id(const model *m, kind k, int i)
{
    switch (k) {
    case CUSTOMER: return m->c[i].id;
    case SUBSCRIPTION: return m->s[i].id;
    case USER: return m->u[i].id;
    default: return m->p[i].tenant;
    }
}

static int object_count(const model *m, kind k)
{
    return k == CUSTOMER ? m->nc : k == SUBSCRIPTION ? m->ns : k == USER ? m->nu : m->np;
}

static const char *ghost_of(kind k)
{
    static const char *const ghosts[] = {GHOST_CUSTOMER, GHOST_SUBSCRIPTION, GHOST_USER, GHOST_TENANT};
    return ghosts[k];
}

static const relation_fn kind_relation[] = {sees_customer, sees_subscription, sees_user, sees_partner};

/* The text with every `from` replaced by `to`. */
static void replace_all(char *out, size_t size, const char *text, const char *from, const char *to)
{
    size_t used = 0, flen = strlen(from), tlen = strlen(to);
    out[0] = '\0';
    while (*text && used + 1 < size) {
        if (flen && strncmp(text, from, flen) == 0 && used + tlen < size) {
            memcpy(out + used, to, tlen);
            used += tlen;
            text += flen;
        } else {
            out[used++] = *text++;
        }
    }
    out[used] = '\0';
}

static answer ask(model *m, tg_session *s, probe_fn fn, const char *id)
{
    answer a;
    char *json = NULL;
    m->calls++;
    a.rc = fn(s, id, &json);
    snprintf(a.text, sizeof(a.text), "%s", a.rc == TG_OK && json ? json : a.rc ? tg_error_message() : "");
    tg_free(json);
    return a;
}

static const char *who_name(const model *m, int who)
{
    return who == OPERATOR ? "the operator" : m->u[who].id;
}

/* Without a relationship: exactly the ghost's answer, and nothing changed. */
static void assert_answers_like_ghost(model *m, int who, const char *call, const answer *real,
                                      const answer *ghost, const char *id, const char *ghost_id)
{
    char expected[1024];
    replace_all(expected, sizeof(expected), ghost->text, ghost_id, id);
    if (real->rc != ghost->rc || strcmp(real->text, expected) != 0)
        fail_msg("graph seed %llu: %s, %s on '%s' it has no relationship with: %d '%s'; on an id "
                 "that does not exist: %d '%s'",
                 (unsigned long long)m->seed, who_name(m, who), call, id, real->rc, real->text,
                 ghost->rc, ghost->text);
}

/* Every customer or subscription id named in a JSON answer is one the session sees. */
static void assert_json_names_only_visible(model *m, int who, const char *call, const char *json)
{
    for (int i = 0; i < m->nc; i++)
        if (strstr(json, m->c[i].id) && !sees_customer(m, who, i))
            fail_msg("graph seed %llu: %s: %s names customer %s it does not see", (unsigned long long)m->seed,
                     who_name(m, who), call, m->c[i].id);
    for (int i = 0; i < m->ns; i++)
        if (strstr(json, m->s[i].id) && !sees_subscription(m, who, i))
            fail_msg("graph seed %llu: %s: %s names subscription %s it does not see",
                     (unsigned long long)m->seed, who_name(m, who), call, m->s[i].id);
}

static void probe_object(model *m, int who, tg_session *s, const probe *pr, int object)
{
    const char *id = object_id(m, pr->kind, object), *ghost_id = ghost_of(pr->kind);
    bool related = pr->related(m, who, object);
    if (related && pr->writes) return; /* a write it may make is another test's business */
    uint64_t revision = tg_graph_revision(m->g);
    answer real = ask(m, s, pr->fn, id);
    assert_int_equal(tg_graph_revision(m->g), revision);
    if (!related) {
        answer ghost = ask(m, s, pr->fn, ghost_id);
        assert_answers_like_ghost(m, who, pr->name, &real, &ghost, id, ghost_id);
        return;
    }
    int want = !pr->view || may(m, who, pr->view) ? TG_OK : TG_EDENIED;
    if (real.rc != want)
        fail_msg("graph seed %llu: %s, %s on '%s' it has a relationship with: %d '%s', not %d",
                 (unsigned long long)m->seed, who_name(m, who), pr->name, id, real.rc, real.text, want);
    if (real.rc == TG_OK) assert_json_names_only_visible(m, who, pr->name, real.text);
}

/* tg_check and tg_explain, every action, on an object without a relationship. A
 * reseller tenant as the object of "create a customer" is the one documented
 * exception (docs/rules.md: an existing but unpartnered reseller is TG_ESTATE). */
static int p_check_action; /* the action p_check asks about */
static int p_check(tg_session *s, const char *id, char **json)
{
    int rc = tg_check(s, (tg_action)p_check_action, id);
    char *why = NULL;
    int rc2 = tg_explain(&why, s, (tg_action)p_check_action, id);
    assert_int_equal(rc2, rc);
    *json = why; /* compared like a message */
    return TG_OK;
}

static void check_every_action(model *m, int who, tg_session *s, kind k, int object)
{
    if (kind_relation[k](m, who, object)) return;
    const char *id = object_id(m, k, object), *ghost_id = ghost_of(k);
    for (int action = 1; action <= TG_ACT_LAST_; action++) {
        if (k == PARTNER && action == TG_ACT_CUSTOMER_CREATE) continue;
        /* A relationship request to a partner's CSP tenant is refused by the resale ban
         * (DOMAIN.md §6), whose message must name the rule: documented in docs/rules.md. */
        if (k == PARTNER && action == TG_ACT_RELATIONSHIP_REQUEST) continue;
        p_check_action = action;
        answer real = ask(m, s, p_check, id), ghost = ask(m, s, p_check, ghost_id);
        char call[64];
        snprintf(call, sizeof(call), "tg_check/tg_explain of action %d", action);
        assert_answers_like_ghost(m, who, call, &real, &ghost, id, ghost_id);
    }
}

/* A partner the session cannot see, named as the reseller, attribution or support
 * contact of a customer it sells: refused, and nothing changes. */
static void unrelated_partner_as_argument(model *m, int who, tg_session *s)
{
    int mine = NONE;
    for (int i = 0; i < m->nc && mine == NONE; i++)
        if (!m->c[i].removed && m->c[i].seller == partner_of(m, who)) mine = i;
    if (mine == NONE) return;
    for (int q = 0; q < m->np; q++) {
        if (sees_partner(m, who, q)) continue;
        uint64_t revision = tg_graph_revision(m->g);
        char *id = NULL;
        assert_int_not_equal(tg_customer_set_reseller(s, m->c[mine].id, m->p[q].tenant), TG_OK);
        assert_int_not_equal(tg_subscription_add(&id, s, m->c[mine].id, "o", 1, m->p[q].pid, NULL), TG_OK);
        assert_int_not_equal(tg_subscription_add(&id, s, m->c[mine].id, "o", 1, NULL, m->p[q].tenant), TG_OK);
        assert_null(id);
        assert_int_equal(tg_graph_revision(m->g), revision);
        m->calls += 3;
    }
}

/* ------------------------------------------------------------------ */
/* Lists: exactly what the model says                                  */
/* ------------------------------------------------------------------ */

static bool iter_is(tg_iter *it, const bool *expected, const char *(*name)(const model *, int),
                    const model *m, int n)
{
    bool seen[MAXS + MAXU] = {false}, ok = true;
    const char *id;
    while (tg_iter_next(it, &id) == TG_OK) {
        int found = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(name(m, i), id) == 0) found = i;
        if (found < 0 || !expected[found] || seen[found]) ok = false;
        if (found >= 0) seen[found] = true;
    }
    for (int i = 0; i < n; i++)
        if (expected[i] && !seen[i]) ok = false;
    tg_iter_free(it);
    return ok;
}

static const char *customer_name(const model *m, int i)
{
    return m->c[i].id;
}
static const char *sub_name(const model *m, int i)
{
    return m->s[i].id;
}
static const char *user_name(const model *m, int i)
{
    return m->u[i].id;
}
static const char *partner_name(const model *m, int i)
{
    return m->p[i].tenant;
}

#define LIST_IS(m, who, what, call, expected, name, n) \
    do { \
        tg_iter *it_ = NULL; \
        int rc_ = (call); \
        if (rc_ != TG_OK || !iter_is(it_, (expected), (name), (m), (n))) \
            fail_msg("graph seed %llu: %s: %s lists other than the model's (rc %d)", \
                     (unsigned long long)(m)->seed, who_name((m), (who)), (what), rc_); \
    } while (0)

static void lists_are_the_models(model *m, int who, tg_session *s)
{
    if (who == OPERATOR || m->u[who].removed) return;
    int mine = partner_of(m, who);
    bool expected[MAXS + MAXU];
    if (may(m, who, TG_ACT_VIEW_CUSTOMER)) {
        for (int i = 0; i < m->nc; i++) expected[i] = sees_customer(m, who, i);
        LIST_IS(m, who, "tg_customers", tg_customers(&it_, s, NULL), expected, customer_name, m->nc);
        for (int r = 0; r < m->np; r++) {
            for (int i = 0; i < m->nc; i++) expected[i] = sees_customer(m, who, i) && m->c[i].reseller == r;
            LIST_IS(m, who, "tg_customers by reseller", tg_customers(&it_, s, m->p[r].tenant), expected,
                    customer_name, m->nc);
        }
    }
    for (int c = 0; c < m->nc; c++) {
        if (!sees_customer(m, who, c) || !may(m, who, TG_ACT_VIEW_SUBSCRIPTION)) continue;
        for (int i = 0; i < m->ns; i++) expected[i] = m->s[i].customer == c && sees_subscription(m, who, i);
        LIST_IS(m, who, "tg_subscriptions", tg_subscriptions(&it_, s, m->c[c].id), expected, sub_name, m->ns);
    }
    if (may(m, who, TG_ACT_USERS_MANAGE)) {
        for (int i = 0; i < m->nu; i++) expected[i] = sees_user(m, who, i);
        LIST_IS(m, who, "tg_users", tg_users(&it_, s, m->p[mine].tenant), expected, user_name, m->nu);
    }
    if (may(m, who, TG_ACT_VIEW_PARTNERS) && m->p[mine].kind != TG_PARTNER_DIRECT_BILL) {
        bool provider = m->p[mine].kind == TG_PARTNER_INDIRECT_PROVIDER;
        for (int i = 0; i < m->np; i++) expected[i] = provider ? m->partnered[mine][i] : m->partnered[i][mine];
        if (provider)
            LIST_IS(m, who, "tg_resellers", tg_resellers(&it_, s), expected, partner_name, m->np);
        else
            LIST_IS(m, who, "tg_providers", tg_providers(&it_, s), expected, partner_name, m->np);
    }
    /* The official list: every provider, for any partner user. */
    for (int i = 0; i < m->np; i++) expected[i] = m->p[i].kind == TG_PARTNER_INDIRECT_PROVIDER;
    LIST_IS(m, who, "tg_partners", tg_partners(&it_, s, TG_PARTNER_INDIRECT_PROVIDER), expected,
            partner_name, m->np);
}

/* ------------------------------------------------------------------ */

static void check_graph(model *m)
{
    for (int who = OPERATOR; who < m->nu; who++) {
        tg_session *s = who == OPERATOR ? m->op : m->u[who].s;
        for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++)
            for (int i = 0; i < object_count(m, probes[p].kind); i++) probe_object(m, who, s, &probes[p], i);
        for (int k = CUSTOMER; k <= PARTNER; k++)
            for (int i = 0; i < object_count(m, (kind)k); i++) check_every_action(m, who, s, (kind)k, i);
        if (who != OPERATOR && !m->u[who].removed) unrelated_partner_as_argument(m, who, s);
        lists_are_the_models(m, who, s);
    }
    assert_int_equal(tg_graph_verify(m->g), TG_OK);
}

static uint64_t env_number(const char *name, uint64_t fallback)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 10) : fallback;
}

static void no_session_reaches_what_it_has_no_relationship_with(void **state)
{
    (void)state;
    uint64_t seed = env_number("TG_ISOLATION_SEED", (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16));
    int graphs = (int)env_number("TG_ISOLATION_GRAPHS", 25);
    print_message("isolation: seed %llu over %d graphs (TG_ISOLATION_SEED=%llu repeats it)\n",
                  (unsigned long long)seed, graphs, (unsigned long long)seed);
    model *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    long calls = 0, customers = 0, subs = 0, users = 0;
    for (int i = 0; i < graphs; i++) {
        build_graph(m, seed + (uint64_t)i);
        check_graph(m);
        calls += m->calls;
        customers += m->nc;
        subs += m->ns;
        users += m->nu;
        free_graph(m);
    }
    print_message("isolation: %ld calls over %ld customers, %ld subscriptions, %ld users\n", calls,
                  customers, subs, users);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_session_reaches_what_it_has_no_relationship_with),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
