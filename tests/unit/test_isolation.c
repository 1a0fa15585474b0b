/* test_isolation.c - authorization isolation, over many generated graphs: a
 * session never sees or touches a customer, subscription, user or partner it has
 * no relationship with, whatever the call.
 *
 * Each graph is built from a seed (printed; TG_ISOLATION_SEED=N repeats a run,
 * TG_ISOLATION_GRAPHS=N sets how many graphs) with random partners, users and
 * roles, partnerships, customers with and without resellers, subscriptions with
 * attributions and support contacts; then the customers' own side: some customers
 * sign in and add users, accept other partners' relationship requests (those
 * partners then order), record subscriptions bought elsewhere, hire and switch
 * partners; then partnerships removed, associations ended and changed, customers
 * and users removed. The test keeps its own model of the graph and of
 * "relationship", written from DOMAIN.md (and, where it is silent, from the
 * decisions in docs/rules.md), not from src/core/rules.c:
 *  - a customer: its seller of record; its associated reseller; a reseller that
 *    was associated with it once and so holds delegated admin (DOMAIN §3.5: those
 *    privileges stay; docs/rules.md: ending an association leaves them too); a
 *    partner whose relationship request it accepted (§6);
 *  - a subscription: a partner that sees its customer and is its partner of
 *    record, its support contact (a partner hired for one bought elsewhere too),
 *    the reseller it is attributed to, or the customer's associated reseller when
 *    the customer's seller sold it (docs/rules.md; §6: "each partner sees only the
 *    subscriptions where it is the partner of record");
 *  - a partner user: the operator, and the users of its own partner;
 *  - a partner: the operator, its own users, anyone for an indirect provider (the
 *    official list is public), and its partnered counterparts now;
 *  - a customer's user (its session, docs/rules.md §4): its own customer, its
 *    users, every subscription of it, the partners it works with (seller,
 *    associated reseller, accepted partners, delegated admins: tg_relationships)
 *    and those whose open relationship request it holds; nothing else. The
 *    functions of partner users answer it TG_EDENIED even for those.
 * A removed user's session, and the sessions of a removed customer's users, have
 * no relationship with anything.
 *
 * For every session, every object (and one that does not exist, the "ghost") and
 * every function that takes such an object: without a relationship the answer
 * must be exactly the ghost's (same code, same message but for the id) and nothing
 * may change (a relationship request, which a partner may send to a customer it
 * does not see yet, must have the ghost's effect); with one, a read must succeed
 * when the session's roles allow the view. Every list must be exactly what the
 * model says the session sees, and no JSON may name a customer or subscription
 * the session does not see. The change feed, export and import are the
 * operator's alone. */
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

#include <cjson/cJSON.h>
#include <tiergraph.h>

#include "draft_details.h"

#define MAXP 10
#define MAXU 32
#define MAXC 12
#define MAXS 64
#define MAXCU 24 /* customers' users */
#define MAXPEND 4 /* relationship requests nobody accepted */
#define NONE (-1)
#define OPERATOR (-1) /* "who" of the operator's session */
#define CU(k) (MAXU + (k)) /* "who" of customer user k's session */
#define T0 1700000000      /* the graphs' clock (TG_OPT_CLOCK) */
#define YEAR (366 * 86400)
#define CUSTOMER_PASSWORD "Isolation-2024"

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
    char id[40], admin[96], password[24]; /* the receipt's admin and temporary password */
    int seller, reseller;
    bool delegated[MAXP]; /* partners holding delegated admin: seller, every reseller ever, accepted */
    bool partners[MAXP];  /* partners whose relationship request it accepted */
    int admin_session;    /* its admin's customer user (index into cu), or NONE */
    bool removed;
} m_customer;

typedef struct m_sub {
    char id[40];
    /* partner indexes; attributed may be NONE; seller and support are NONE for one
     * bought elsewhere (recorded by its customer) until a partner is hired or it moves */
    int customer, seller, attributed, support;
    bool removed;
} m_sub;

typedef struct m_cuser {
    char id[96];
    int customer;
    bool ga;
    tg_session *s;
} m_cuser;

typedef struct m_pending {
    char link[512];
    int customer, partner;
} m_pending;

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
    m_cuser cu[MAXCU];
    int ncu;
    m_pending pend[MAXPEND];
    int npend;
    bool requested[MAXC][MAXP]; /* an open relationship request from the partner to the customer */
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

static bool is_customer_user(int who)
{
    return who >= MAXU;
}

static const m_cuser *cuser(const model *m, int who)
{
    return &m->cu[who - MAXU];
}

static int partner_of(const model *m, int who)
{
    if (who == OPERATOR || is_customer_user(who)) return NONE;
    return m->u[who].removed ? NONE : m->u[who].partner;
}

/* The customer of a customer user's session, or NONE (a partner's, or removed). */
static int customer_of(const model *m, int who)
{
    if (!is_customer_user(who)) return NONE;
    int c = cuser(m, who)->customer;
    return m->c[c].removed ? NONE : c;
}

static tg_session *session_of(const model *m, int who)
{
    return who == OPERATOR ? m->op : is_customer_user(who) ? cuser(m, who)->s : m->u[who].s;
}

static bool sees_customer(const model *m, int who, int ci)
{
    const m_customer *c = &m->c[ci];
    if (is_customer_user(who)) return customer_of(m, who) == ci;
    int p = partner_of(m, who);
    if (p == NONE || c->removed) return false;
    return p == c->seller || p == c->reseller || c->delegated[p] || c->partners[p];
}

static bool sees_subscription(const model *m, int who, int si)
{
    const m_sub *s = &m->s[si];
    const m_customer *c = &m->c[s->customer];
    int p = partner_of(m, who);
    if (s->removed || !sees_customer(m, who, s->customer)) return false;
    if (is_customer_user(who)) return true; /* the customer sees them all */
    return p == s->seller || p == s->support || p == s->attributed ||
           (p == c->reseller && c->seller == s->seller);
}

/* Users: the partners' (0..nu-1), then the customers' (nu..nu+ncu-1). A customer's
 * session has its own customer's users; partner sessions have only partner users. */
static bool sees_user(const model *m, int who, int ui)
{
    if (ui >= m->nu) return customer_of(m, who) != NONE && m->cu[ui - m->nu].customer == customer_of(m, who);
    if (m->u[ui].removed || is_customer_user(who)) return false;
    if (who == OPERATOR) return true;
    return partner_of(m, who) == m->u[ui].partner;
}

static bool partners_now(const model *m, int a, int b)
{
    return m->partnered[a][b] || m->partnered[b][a];
}

static bool works_with(const model *m, int ci, int p);

static bool sees_partner(const model *m, int who, int pi)
{
    if (who == OPERATOR) return true;
    if (is_customer_user(who)) {
        int c = customer_of(m, who);
        return c != NONE && (works_with(m, c, pi) || m->requested[c][pi]);
    }
    int p = partner_of(m, who);
    if (p == NONE) return false;
    return p == pi || m->p[pi].kind == TG_PARTNER_INDIRECT_PROVIDER || partners_now(m, p, pi);
}

/* The partners a customer works with (tg_relationships of its session): its
 * seller, its associated reseller, those it accepted, any holding delegated admin. */
static bool works_with(const model *m, int ci, int p)
{
    const m_customer *c = &m->c[ci];
    return p == c->seller || p == c->reseller || c->delegated[p] || c->partners[p];
}

/* The session's roles allow `action` at all (the role matrix is test_policy.c's). */
static bool may(const model *m, int who, tg_action action)
{
    return tg_check(session_of(m, who), action, NULL) == TG_OK;
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

static int add_sub_record(model *m, const char *id, int ci, int seller, int attributed, int support)
{
    int i = m->ns++;
    m_sub *s = &m->s[i];
    snprintf(s->id, sizeof(s->id), "%s", id);
    s->customer = ci;
    s->seller = seller;
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
    snprintf(c->admin, sizeof(c->admin), "%s", tg_receipt_admin_user(r));
    snprintf(c->password, sizeof(c->password), "%s", tg_receipt_password(r));
    c->seller = seller;
    c->reseller = reseller;
    c->admin_session = NONE;
    c->delegated[seller] = true;
    if (reseller != NONE) c->delegated[reseller] = true;
    for (int i = 0; i < nsubs; i++)
        add_sub_record(m, tg_receipt_subscription_id(r, i), ci, seller, reseller, seller);
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
    add_sub_record(m, id, ci, seller, attributed, support);
    tg_free(id);
}

/* ---- the customers' own side ---- */

/* A customer user changes its first password and signs in: a session kept open. */
static int sign_in(model *m, int ci, const char *name, const char *first_password, bool ga)
{
    int k = m->ncu++;
    m_cuser *u = &m->cu[k];
    snprintf(u->id, sizeof(u->id), "%s", name);
    u->customer = ci;
    u->ga = ga;
    MUST(m, tg_customer_change_password(m->g, name, first_password, CUSTOMER_PASSWORD));
    MUST(m, tg_session_customer(&u->s, m->g, name, CUSTOMER_PASSWORD));
    return k;
}

/* The customer's admin signs in, and adds a user (a Global admin or not) who signs in too. */
static void customer_signs_in(model *m, int ci)
{
    m_customer *c = &m->c[ci];
    c->admin_session = sign_in(m, ci, c->admin, c->password, true);
    if (below(m, 2)) return;
    char name[96];
    bool ga = below(m, 2);
    snprintf(name, sizeof(name), "user%d%s", m->ncu, strchr(c->admin, '@'));
    MUST(m, tg_customer_user_add(m->cu[c->admin_session].s, name, "Initial-Pass-1", ga ? TG_ROLE_GLOBAL_ADMIN : 0));
    sign_in(m, ci, name, "Initial-Pass-1", ga);
}

static tg_session *customer_admin(const model *m, int ci)
{
    return m->cu[m->c[ci].admin_session].s;
}

/* A provider or direct-bill partner that does not work with the customer, at random, or NONE. */
static int newcomer(model *m, int ci)
{
    int candidates[MAXP], n = 0;
    for (int p = 0; p < m->np; p++)
        if (m->p[p].kind != TG_PARTNER_INDIRECT_RESELLER && !works_with(m, ci, p)) candidates[n++] = p;
    return n ? candidates[below(m, n)] : NONE;
}

/* A partner's relationship request, accepted by the customer's admin; the partner
 * may then order for it. */
static void another_partner(model *m, int ci)
{
    int p = newcomer(m, ci);
    if (p == NONE) return;
    m_customer *c = &m->c[ci];
    tg_invite *inv;
    MUST(m, tg_relationship_request(&inv, ga(m, p), c->id));
    MUST(m, tg_relationship_accept(customer_admin(m, ci), tg_invite_link(inv)));
    tg_invite_free(inv);
    c->partners[p] = c->delegated[p] = true;
    if (below(m, 2) || m->ns >= MAXS) return;
    char *id = NULL;
    MUST(m, tg_subscription_add(&id, ga(m, p), c->id, "offer-azure", 3, NULL, NULL));
    add_sub_record(m, id, ci, p, NONE, p);
    tg_free(id);
}

/* A relationship request nobody accepts: its link is kept for other sessions to try. */
static void pending_request(model *m)
{
    int ci = below(m, m->nc), p = newcomer(m, ci);
    if (p == NONE || m->npend == MAXPEND) return;
    tg_invite *inv;
    MUST(m, tg_relationship_request(&inv, ga(m, p), m->c[ci].id));
    m_pending *r = &m->pend[m->npend++];
    snprintf(r->link, sizeof(r->link), "%s", tg_invite_link(inv));
    r->customer = ci;
    r->partner = p;
    m->requested[ci][p] = true;
    tg_invite_free(inv);
}

/* A partner the customer works with and that can sell (seller or accepted), at random. */
static int csp_partner_of(model *m, int ci)
{
    int candidates[MAXP], n = 0;
    for (int p = 0; p < m->np; p++)
        if (p == m->c[ci].seller || m->c[ci].partners[p]) candidates[n++] = p;
    return candidates[below(m, n)];
}

/* The admin records a subscription bought elsewhere, then perhaps hires a partner
 * for it or (without a term) moves it to one. */
static void bought_elsewhere(model *m, int ci)
{
    if (m->ns >= MAXS) return;
    char *id = NULL;
    int64_t term_end = below(m, 2) ? 0 : T0 + 2 * YEAR;
    MUST(m, tg_subscription_record(&id, customer_admin(m, ci), (tg_channel)(1 + below(m, 5)), "offer-ea",
                                   10, term_end));
    int si = add_sub_record(m, id, ci, NONE, NONE, NONE);
    tg_free(id);
    m_sub *s = &m->s[si];
    int p = csp_partner_of(m, ci);
    if (below(m, 2)) {
        MUST(m, tg_subscription_hire(customer_admin(m, ci), s->id, m->p[p].tenant));
        s->support = p;
    } else if (term_end == 0 && below(m, 2)) {
        MUST(m, tg_subscription_move(customer_admin(m, ci), s->id, m->p[p].tenant));
        s->seller = s->support = p;
    }
}

/* A year and more later, CSP subscriptions without attribution may move to
 * another partner the customer works with. */
static void csp_moves(model *m)
{
    MUST(m, tg_graph_set_option(m->g, TG_OPT_CLOCK, T0 + YEAR + 86400));
    for (int i = 0; i < m->ns; i++) {
        m_sub *s = &m->s[i];
        if (m->c[s->customer].admin_session == NONE || s->seller == NONE || s->attributed != NONE ||
            below(m, 3))
            continue;
        int p = csp_partner_of(m, s->customer);
        if (p == s->seller) continue;
        MUST(m, tg_subscription_move(customer_admin(m, s->customer), s->id, m->p[p].tenant));
        s->seller = s->support = p;
    }
}

static void customers_own_side(model *m)
{
    for (int ci = 0; ci < m->nc; ci++)
        if (below(m, 2)) customer_signs_in(m, ci);
    for (int ci = 0; ci < m->nc; ci++) {
        if (m->c[ci].admin_session == NONE) continue;
        for (int n = below(m, 3); n > 0; n--) another_partner(m, ci);
        for (int n = below(m, 3); n > 0; n--) bought_elsewhere(m, ci);
    }
    csp_moves(m);
    for (int n = 1 + below(m, 2); n > 0; n--) pending_request(m); /* open when the checks run */
}

/* Whether its seller may remove the customer once it suspends their
 * subscriptions: not while it works with other partners (§6), nor with
 * subscriptions its seller cannot suspend (another partner's, or bought elsewhere). */
static bool removable(const model *m, int ci)
{
    const m_customer *c = &m->c[ci];
    bool ok = !c->removed;
    for (int p = 0; p < m->np; p++) ok = ok && !c->partners[p];
    for (int i = 0; i < m->ns; i++)
        ok = ok && (m->s[i].customer != ci || m->s[i].removed || m->s[i].seller == c->seller);
    return ok;
}

/* A removable customer at random (half the time one whose users signed in, when
 * there is one: their sessions outlive it), or NONE. */
static int removable_customer(model *m)
{
    int candidates[MAXC], n = 0, signed_in = 0;
    for (int ci = 0; ci < m->nc; ci++)
        if (removable(m, ci)) candidates[n++] = ci;
    if (below(m, 2)) {
        for (int i = 0; i < n; i++)
            if (m->c[candidates[i]].admin_session != NONE) candidates[signed_in++] = candidates[i];
        if (signed_in) n = signed_in;
    }
    return n ? candidates[below(m, n)] : NONE;
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
        if (!m->nc || (ci = removable_customer(m)) == NONE) return;
        c = &m->c[ci];
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
    assert_int_equal(tg_graph_set_option(m->g, TG_OPT_CLOCK, T0), TG_OK);
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
    customers_own_side(m);
    for (int n = 2 + below(m, 6); n > 0; n--) random_event(m);
    assert_int_equal(tg_graph_verify(m->g), TG_OK);
}

static void free_graph(model *m)
{
    for (int i = 0; i < m->nu; i++) tg_session_close(m->u[i].s);
    for (int i = 0; i < m->ncu; i++) tg_session_close(m->cu[i].s);
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
static int p_subscription_unhire(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_subscription_hire(s, id, NULL);
}
static char probe_partner[40]; /* the partner to move subscriptions to, or hire */
static int p_subscription_move(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_subscription_move(s, id, probe_partner);
}
static int p_subscription_hire(tg_session *s, const char *id, char **json)
{
    (void)json;
    return tg_subscription_hire(s, id, probe_partner);
}
/* The request is written when it is sent: its effect is compared with the ghost's. */
static int p_relationship_request(tg_session *s, const char *id, char **json)
{
    tg_invite *inv = NULL;
    int rc = tg_relationship_request(&inv, s, id);
    if (rc == TG_OK && !inv) fail_msg("tg_relationship_request: TG_OK without a request");
    if (rc != TG_OK && inv) fail_msg("tg_relationship_request: refused with a request");
    tg_invite_free(inv);
    (void)json;
    return rc;
}

typedef enum kind { CUSTOMER, SUBSCRIPTION, USER, PARTNER } kind;
typedef bool (*relation_fn)(const model *m, int who, int object);

static bool own_partner(const model *m, int who, int pi)
{
    return who == OPERATOR || (partner_of(m, who) == pi && pi != NONE);
}

/* The partnership a provider's session could remove. */
static bool partnered_with(const model *m, int who, int pi)
{
    int p = partner_of(m, who);
    return p != NONE && m->partnered[p][pi];
}

typedef enum effect {
    READS,           /* changes nothing */
    WRITES,          /* a write: only tried without a relationship, where it must change nothing */
    WRITES_AS_GHOST, /* without a relationship: the same effect as on the ghost */
} effect;

typedef struct probe {
    const char *name;
    kind kind;
    probe_fn fn;
    effect effect;
    relation_fn related;
    tg_action view;   /* for a read: the action whose roles it needs (0: none) */
    bool partners_only; /* a customer's session is denied it, even on its own objects */
} probe;

static const probe probes[] = {
    {"tg_customer_get", CUSTOMER, p_customer_get, READS, sees_customer, TG_ACT_VIEW_CUSTOMER, false},
    {"tg_subscriptions", CUSTOMER, p_subscriptions, READS, sees_customer, TG_ACT_VIEW_SUBSCRIPTION, false},
    {"tg_customer_set_reseller", CUSTOMER, p_customer_unassociate, WRITES, sees_customer, 0, false},
    {"tg_customer_remove", CUSTOMER, p_customer_remove, WRITES, sees_customer, 0, false},
    {"tg_subscription_add", CUSTOMER, p_subscription_add, WRITES, sees_customer, 0, false},
    {"tg_relationship_request", CUSTOMER, p_relationship_request, WRITES_AS_GHOST, sees_customer, 0, false},
    {"tg_subscription_get", SUBSCRIPTION, p_subscription_get, READS, sees_subscription,
     TG_ACT_VIEW_SUBSCRIPTION, false},
    {"tg_subscription_set_reseller", SUBSCRIPTION, p_subscription_unattribute, WRITES, sees_subscription, 0, false},
    {"tg_subscription_set_support", SUBSCRIPTION, p_subscription_default_support, WRITES,
     sees_subscription, 0, false},
    {"tg_subscription_set_status", SUBSCRIPTION, p_subscription_suspend, WRITES, sees_subscription, 0, false},
    {"tg_subscription_hire", SUBSCRIPTION, p_subscription_unhire, WRITES, sees_subscription, 0, false},
    {"tg_subscription_move", SUBSCRIPTION, p_subscription_move, WRITES, sees_subscription, 0, false},
    {"tg_user_roles", USER, p_user_roles, READS, sees_user, 0, true},
    {"tg_user_set_roles", USER, p_user_set_roles, WRITES, sees_user, 0, false},
    {"tg_user_remove", USER, p_user_remove, WRITES, sees_user, 0, false},
    {"tg_partner_get", PARTNER, p_partner_get, READS, sees_partner, 0, true},
    {"tg_users", PARTNER, p_users, READS, own_partner, TG_ACT_USERS_MANAGE, true},
    {"tg_user_add", PARTNER, p_user_add, WRITES, sees_partner, 0, false},
    {"tg_partnership_remove", PARTNER, p_partnership_remove, WRITES, partnered_with, 0, false},
};

static const char *object_id(const model *m, kind k, int i)
{
    switch (k) {
    case CUSTOMER: return m->c[i].id;
    case SUBSCRIPTION: return m->s[i].id;
    case USER: return i < m->nu ? m->u[i].id : m->cu[i - m->nu].id;
    default: return m->p[i].tenant;
    }
}

static int object_count(const model *m, kind k)
{
    return k == CUSTOMER ? m->nc : k == SUBSCRIPTION ? m->ns : k == USER ? m->nu + m->ncu : m->np;
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
    return who == OPERATOR ? "the operator" : is_customer_user(who) ? cuser(m, who)->id : m->u[who].id;
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
    if (related && pr->effect != READS) return; /* a write it may make is another test's business */
    uint64_t revision = tg_graph_revision(m->g);
    answer real = ask(m, s, pr->fn, id);
    uint64_t writes = tg_graph_revision(m->g) - revision;
    if (pr->fn == p_relationship_request && real.rc == TG_OK) m->requested[object][partner_of(m, who)] = true;
    if (pr->effect != WRITES_AS_GHOST) assert_int_equal(writes, 0);
    if (!related) {
        revision = tg_graph_revision(m->g);
        answer ghost = ask(m, s, pr->fn, ghost_id);
        assert_answers_like_ghost(m, who, pr->name, &real, &ghost, id, ghost_id);
        if (tg_graph_revision(m->g) - revision != writes)
            fail_msg("graph seed %llu: %s, %s on '%s' it has no relationship with made %llu writes, "
                     "on an id that does not exist %llu", (unsigned long long)m->seed, who_name(m, who),
                     pr->name, id, (unsigned long long)writes,
                     (unsigned long long)(tg_graph_revision(m->g) - revision));
        return;
    }
    bool allowed = pr->partners_only ? !is_customer_user(who) : true;
    int want = allowed && (!pr->view || may(m, who, pr->view)) ? TG_OK : TG_EDENIED;
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

/* A customer's admin names a partner its customer does not work with, to move a
 * subscription to or to hire: refused like a tenant that does not exist, and
 * nothing changes. */
static void unrelated_partner_hired_or_moved_to(model *m, int who, tg_session *s)
{
    static const struct {
        const char *name;
        probe_fn fn;
    } calls[] = {{"tg_subscription_move to a partner", p_subscription_move},
                 {"tg_subscription_hire of a partner", p_subscription_hire}};
    int mine = customer_of(m, who);
    if (mine == NONE || !cuser(m, who)->ga) return;
    for (int si = 0; si < m->ns; si++) {
        if (m->s[si].customer != mine || m->s[si].removed) continue;
        for (int q = 0; q < m->np; q++) {
            if (works_with(m, mine, q)) continue;
            for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++) {
                uint64_t revision = tg_graph_revision(m->g);
                snprintf(probe_partner, sizeof(probe_partner), "%s", m->p[q].tenant);
                answer real = ask(m, s, calls[k].fn, m->s[si].id);
                snprintf(probe_partner, sizeof(probe_partner), "%s", GHOST_TENANT);
                answer ghost = ask(m, s, calls[k].fn, m->s[si].id);
                assert_answers_like_ghost(m, who, calls[k].name, &real, &ghost, m->p[q].tenant, GHOST_TENANT);
                assert_int_not_equal(real.rc, TG_OK);
                assert_int_equal(tg_graph_revision(m->g), revision);
            }
        }
    }
    snprintf(probe_partner, sizeof(probe_partner), "%s", m->p[0].tenant);
}

static int p_customer_user_add(tg_session *s, const char *name, char **json)
{
    (void)json;
    return tg_customer_user_add(s, name, "Initial-Pass-1", 0);
}

/* A user name of another customer, given to tg_customer_user_add: answered like a
 * name at the same domain that nobody has, and nothing changes. */
static void other_customers_user_names(model *m, int who, tg_session *s)
{
    for (int k = 0; k < m->ncu; k++) {
        const m_cuser *u = &m->cu[k];
        if (u->customer == customer_of(m, who)) continue; /* its own: another test's business */
        char ghost_name[128];
        snprintf(ghost_name, sizeof(ghost_name), "nobody-here%s", strchr(u->id, '@'));
        uint64_t revision = tg_graph_revision(m->g);
        answer real = ask(m, s, p_customer_user_add, u->id), ghost = ask(m, s, p_customer_user_add, ghost_name);
        assert_answers_like_ghost(m, who, "tg_customer_user_add", &real, &ghost, u->id, ghost_name);
        assert_int_not_equal(real.rc, TG_OK);
        assert_int_equal(tg_graph_revision(m->g), revision);
    }
}

/* A relationship request is accepted only by a Global admin of the customer it is
 * addressed to: anyone else is refused, and nothing changes. */
static void others_requests_refused(model *m, int who, tg_session *s)
{
    for (int r = 0; r < m->npend; r++) {
        if (customer_of(m, who) == m->pend[r].customer && cuser(m, who)->ga) continue;
        uint64_t revision = tg_graph_revision(m->g);
        int rc = tg_relationship_accept(s, m->pend[r].link);
        if (rc == TG_OK)
            fail_msg("graph seed %llu: %s accepted a relationship request addressed to customer %s",
                     (unsigned long long)m->seed, who_name(m, who), m->c[m->pend[r].customer].id);
        assert_int_equal(tg_graph_revision(m->g), revision);
        m->calls++;
    }
}

/* A document that would add a partner, if anyone but the operator could import. */
static const char import_doc[] =
    "{\"format\":\"tiergraph-export\",\"version\":1,\"partners\":[{\"tenant\":"
    "\"eeeeeeee-0000-4000-8000-000000000001\",\"kind\":3,\"partnerId\":\"9999991\",\"name\":"
    "\"Intruder\",\"domain\":\"intruder.example\",\"country\":\"US\",\"agreement\":true,"
    "\"tenants\":[]}]}";

/* The change feed, export and import are the operator's alone (docs/rules.md §7,
 * Partner Center JSON interop). */
static void operator_only(model *m, int who, tg_session *s)
{
    if (who == OPERATOR) return;
    uint64_t revision = tg_graph_revision(m->g);
    tg_iter *it = NULL;
    char *json = NULL;
    assert_int_equal(tg_changes(&it, s, 0, 0), TG_EDENIED);
    assert_null(it);
    assert_int_equal(tg_export(&json, s), TG_EDENIED);
    assert_null(json);
    assert_int_equal(tg_import(s, import_doc), TG_EDENIED);
    assert_int_equal(tg_graph_revision(m->g), revision);
    m->calls += 3;
}

/* Recording a subscription bought elsewhere is a customer's alone (its Global
 * admin's): partner users and the operator are refused, and so is the session of
 * a customer that is gone. */
static void customers_only(model *m, int who, tg_session *s)
{
    if (customer_of(m, who) != NONE) return;
    uint64_t revision = tg_graph_revision(m->g);
    char *id = NULL;
    int rc = tg_subscription_record(&id, s, TG_CHANNEL_DIRECT, "offer-x", 1, 0);
    if (is_customer_user(who))
        assert_int_not_equal(rc, TG_OK);
    else
        assert_int_equal(rc, TG_EDENIED);
    assert_null(id);
    assert_int_equal(tg_graph_revision(m->g), revision);
    m->calls++;
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

/* The ids of a listing in Partner Center's shape ({"items":[{"id":...}]}) are
 * exactly the expected partners. */
static bool listing_is(const char *json, const bool *expected, const model *m)
{
    cJSON *doc = cJSON_Parse(json);
    const cJSON *item;
    bool seen[MAXP] = {false}, ok = doc != NULL;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc, "items"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
        int found = -1;
        for (int i = 0; cJSON_IsString(id) && i < m->np; i++)
            if (strcmp(m->p[i].tenant, id->valuestring) == 0) found = i;
        if (found < 0 || !expected[found] || seen[found]) ok = false;
        if (found >= 0) seen[found] = true;
    }
    for (int i = 0; i < m->np; i++)
        if (expected[i] && !seen[i]) ok = false;
    cJSON_Delete(doc);
    return ok;
}

#define LISTING_IS(m, who, what, call, expected) \
    do { \
        char *json_ = NULL; \
        int rc_ = (call); \
        if (rc_ != TG_OK || !listing_is(json_, (expected), (m))) \
            fail_msg("graph seed %llu: %s: %s lists other than the model's (rc %d)", \
                     (unsigned long long)(m)->seed, who_name((m), (who)), (what), rc_); \
        tg_free(json_); \
    } while (0)

/* A customer's session: its own customer, every subscription of it, the partners
 * it works with, and no partner's list. A removed customer's: nothing. */
static void customer_lists_are_the_models(model *m, int who, tg_session *s)
{
    int mine = customer_of(m, who);
    bool expected[MAXS + MAXU];
    tg_iter *it = NULL;
    char *json = NULL;
    int rc = tg_customers(&it, s, NULL);
    if (mine == NONE || rc != TG_OK) {
        assert_int_not_equal(rc, TG_OK); /* a partner's call, or a removed customer */
        assert_null(it);
    } else {
        for (int i = 0; i < m->nc; i++) expected[i] = i == mine;
        if (!iter_is(it, expected, customer_name, m, m->nc))
            fail_msg("graph seed %llu: %s: tg_customers lists other customers", (unsigned long long)m->seed,
                     who_name(m, who));
    }
    if (mine == NONE) {
        assert_int_not_equal(tg_relationships(&it, s), TG_OK);
        assert_null(it);
        return;
    }
    for (int i = 0; i < m->ns; i++) expected[i] = m->s[i].customer == mine && !m->s[i].removed;
    LIST_IS(m, who, "tg_subscriptions", tg_subscriptions(&it_, s, m->c[mine].id), expected, sub_name, m->ns);
    for (int i = 0; i < m->np; i++) expected[i] = works_with(m, mine, i);
    LIST_IS(m, who, "tg_relationships", tg_relationships(&it_, s), expected, partner_name, m->np);
    /* Partners' lists are not a customer's business. */
    for (int p = 0; p < m->np; p++) assert_int_equal(tg_users(&it, s, m->p[p].tenant), TG_EDENIED);
    assert_int_equal(tg_resellers(&it, s), TG_EDENIED);
    assert_int_equal(tg_providers(&it, s), TG_EDENIED);
    assert_int_equal(tg_partners(&it, s, TG_PARTNER_INDIRECT_PROVIDER), TG_EDENIED);
    assert_null(it);
    assert_int_equal(tg_resellers_json(&json, s), TG_EDENIED);
    assert_int_equal(tg_providers_json(&json, s), TG_EDENIED);
    assert_null(json);
}

static void lists_are_the_models(model *m, int who, tg_session *s)
{
    if (who == OPERATOR) return;
    if (is_customer_user(who)) {
        customer_lists_are_the_models(m, who, s);
        return;
    }
    if (m->u[who].removed) return;
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
        if (provider) {
            LIST_IS(m, who, "tg_resellers", tg_resellers(&it_, s), expected, partner_name, m->np);
            LISTING_IS(m, who, "tg_resellers_json", tg_resellers_json(&json_, s), expected);
        } else {
            LIST_IS(m, who, "tg_providers", tg_providers(&it_, s), expected, partner_name, m->np);
            LISTING_IS(m, who, "tg_providers_json", tg_providers_json(&json_, s), expected);
        }
    }
    /* The customers it works with: those it sees. */
    tg_iter *it = NULL;
    int rc = tg_relationships(&it, s);
    tg_iter_free(it);
    if (rc == TG_OK) {
        for (int i = 0; i < m->nc; i++) expected[i] = sees_customer(m, who, i);
        LIST_IS(m, who, "tg_relationships", tg_relationships(&it_, s), expected, customer_name, m->nc);
    } else if (rc != TG_EDENIED || may(m, who, TG_ACT_VIEW_CUSTOMER)) {
        fail_msg("graph seed %llu: %s: tg_relationships answers %d", (unsigned long long)m->seed,
                 who_name(m, who), rc);
    }
    /* The official list: every provider, for any partner user. */
    for (int i = 0; i < m->np; i++) expected[i] = m->p[i].kind == TG_PARTNER_INDIRECT_PROVIDER;
    LIST_IS(m, who, "tg_partners", tg_partners(&it_, s, TG_PARTNER_INDIRECT_PROVIDER), expected,
            partner_name, m->np);
}

/* ------------------------------------------------------------------ */

static void check_session(model *m, int who)
{
    tg_session *s = session_of(m, who);
    for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++)
        for (int i = 0; i < object_count(m, probes[p].kind); i++) probe_object(m, who, s, &probes[p], i);
    for (int k = CUSTOMER; k <= PARTNER; k++)
        for (int i = 0; i < object_count(m, (kind)k); i++) check_every_action(m, who, s, (kind)k, i);
    if (partner_of(m, who) != NONE) unrelated_partner_as_argument(m, who, s);
    unrelated_partner_hired_or_moved_to(m, who, s);
    other_customers_user_names(m, who, s);
    others_requests_refused(m, who, s);
    operator_only(m, who, s);
    customers_only(m, who, s);
    lists_are_the_models(m, who, s);
}

static void check_graph(model *m)
{
    snprintf(probe_partner, sizeof(probe_partner), "%s", m->p[0].tenant);
    for (int who = OPERATOR; who < m->nu; who++) check_session(m, who);
    for (int k = 0; k < m->ncu; k++) check_session(m, CU(k));
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
    long calls = 0, customers = 0, subs = 0, users = 0, customer_users = 0, accepted = 0, orphans = 0;
    for (int i = 0; i < graphs; i++) {
        build_graph(m, seed + (uint64_t)i);
        check_graph(m);
        calls += m->calls;
        customers += m->nc;
        subs += m->ns;
        users += m->nu;
        customer_users += m->ncu;
        for (int c = 0; c < m->nc; c++)
            for (int p = 0; p < m->np; p++) accepted += m->c[c].partners[p];
        for (int k = 0; k < m->ncu; k++) orphans += m->c[m->cu[k].customer].removed;
        free_graph(m);
    }
    print_message("isolation: %ld calls over %ld customers, %ld subscriptions, %ld users, %ld customer "
                  "users (%ld of removed customers), %ld accepted relationships\n",
                  calls, customers, subs, users, customer_users, orphans, accepted);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_session_reaches_what_it_has_no_relationship_with),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
