/* tg_side.c - the benchmark graph in tiergraph (see tg_side.h). */
#include "tg_side.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(what)                                                                   \
    do {                                                                             \
        fprintf(stderr, "bench: %s: %s\n", what, tg_error_message());               \
        return -1;                                                                   \
    } while (0)

static int ids_alloc(bench_ids *ids, size_t n)
{
    ids->n = n;
    ids->text = calloc(n ? n : 1, BENCH_ID_LEN);
    return ids->text ? 0 : -1;
}

static int enrol(bench_tg *b, const bench_model *m)
{
    char tenant[64], pid[64], name[64], domain[80];
    for (size_t p = 0; p < m->partners; p++) {
        bench_partner_tenant(tenant, p);
        bench_partner_pid(pid, p);
        bench_partner_name(name, p);
        snprintf(domain, sizeof(domain), "%s.example", name);
        tg_partner_kind kind =
            p < m->providers ? TG_PARTNER_INDIRECT_PROVIDER : TG_PARTNER_INDIRECT_RESELLER;
        if (tg_partner_enroll(b->op, kind, tenant, pid, name, domain, "US")) FAIL("enrol");
        if (tg_partner_set_agreement(b->op, tenant, 1)) FAIL("agreement");
    }
    char user[64];
    for (size_t u = 0; u < m->users; u++) {
        bench_partner_tenant(tenant, bench_user_partner(m, u));
        bench_user_id(user, m, u);
        if (tg_user_add(b->op, tenant, user, bench_user_roles(m, u))) FAIL("user");
    }
    b->admin = calloc(m->partners, sizeof(*b->admin));
    if (!b->admin) return -1;
    for (size_t p = 0; p < m->partners; p++) /* user p is partner p's first: its Global admin */
        if (!(b->admin[p] = bench_tg_user(b, m, p))) return -1;
    return 0;
}

static int partner(bench_tg *b, size_t provider, size_t reseller_partner)
{
    tg_invite *inv;
    if (tg_invite_create(&inv, b->admin[provider])) FAIL("invite");
    int rc = tg_partnership_accept(b->admin[reseller_partner], tg_invite_link(inv));
    tg_invite_free(inv);
    if (rc) FAIL("accept");
    return 0;
}

static int partnerships(bench_tg *b, const bench_model *m)
{
    for (size_t r = 0; r < m->resellers; r++) {
        if (partner(b, r % m->providers, m->providers + r)) return -1;
        size_t second = bench_second_provider(m, r);
        if (second != SIZE_MAX && partner(b, second, m->providers + r)) return -1;
    }
    return 0;
}

static const char *const offers[] = {
    "CFQ7TTC0LH18:0001", "CFQ7TTC0LF8R:0001", "CFQ7TTC0LHSF:0001",
    "CFQ7TTC0MM8R:0002", "CFQ7TTC0LCHC:0002",
};

static int customer_as(bench_tg *b, tg_session **admin, const bench_model *m, size_t k,
                       char *id_out);

int bench_tg_customer(bench_tg *b, const bench_model *m, size_t k, char *id_out)
{
    return customer_as(b, b->admin, m, k, id_out);
}

static int customer_as(bench_tg *b, tg_session **admin, const bench_model *m, size_t k,
                       char *id_out)
{
    static const struct { tg_field f; const char *v; } fields[] = {
        {TG_FIELD_EMAIL, "billing@customer.example"}, {TG_FIELD_CULTURE, "en-US"},
        {TG_FIELD_LANGUAGE, "en"}, {TG_FIELD_ADDRESS_LINE1, "1 Microsoft Way"},
        {TG_FIELD_CITY, "Redmond"}, {TG_FIELD_STATE, "WA"}, {TG_FIELD_POSTAL_CODE, "98052"},
        {TG_FIELD_COUNTRY, "US"}, {TG_FIELD_FIRST_NAME, "Gena"}, {TG_FIELD_LAST_NAME, "Soto"},
    };
    char text[64];
    tg_draft *d;
    tg_receipt *r = NULL;
    /* Past the model's customers: one subscription, sold by provider k % P with its
     * first reseller. */
    bool extra = k >= m->customers;
    size_t seller = extra ? k % m->providers : m->seller[k];
    size_t reseller = extra ? m->providers + k % m->providers : m->reseller[k];
    int rc = tg_draft_new(&d, admin[seller]);
    if (rc) return rc;
    snprintf(text, sizeof(text), "Contoso %zu Ltd", k);
    rc = tg_draft_set(d, TG_FIELD_COMPANY_NAME, text);
    snprintf(text, sizeof(text), "contoso%zu", k);
    if (!rc) rc = tg_draft_set(d, TG_FIELD_DOMAIN_PREFIX, text);
    for (size_t i = 0; !rc && i < sizeof(fields) / sizeof(fields[0]); i++)
        rc = tg_draft_set(d, fields[i].f, fields[i].v);
    if (!rc && reseller != UINT32_MAX) {
        bench_partner_tenant(text, reseller);
        rc = tg_draft_set(d, TG_FIELD_RESELLER, text);
    }
    size_t subs = extra ? 1 : m->first_sub[k + 1] - m->first_sub[k];
    for (size_t i = 0; !rc && i < subs; i++)
        rc = tg_draft_add_subscription(d, offers[(k + i) % 5], (int)(1 + (k + i) % 25));
    if (!rc) rc = tg_draft_submit(&r, d);
    tg_draft_free(d);
    if (rc) return rc;
    if (id_out) snprintf(id_out, BENCH_ID_LEN, "%s", tg_receipt_customer_id(r));
    if (!extra)
        for (size_t i = 0; i < tg_receipt_subscription_count(r); i++)
            snprintf(BENCH_ID(&b->subscriptions, m->first_sub[k] + i), BENCH_ID_LEN, "%s",
                     tg_receipt_subscription_id(r, i));
    tg_receipt_free(r);
    return TG_OK;
}

typedef struct builder {
    bench_tg *b;
    tg_session **admin;
    const bench_model *m;
    size_t first, step;
    bool progress;
    int rc;
} builder;

static void *build_customers(void *arg)
{
    builder *w = arg;
    for (size_t k = w->first; k < w->m->customers; k += w->step) {
        if (customer_as(w->b, w->admin, w->m, k, BENCH_ID(&w->b->customers, k))) {
            fprintf(stderr, "bench: customer %zu: %s\n", k, tg_error_message());
            w->rc = -1;
            return NULL;
        }
        if (w->progress && k && k % 100000 == 0) fprintf(stderr, "  ... %zu customers\n", k);
    }
    return NULL;
}

int bench_tg_build(bench_tg *b, const bench_model *m, const char *uri, bool progress)
{
    memset(b, 0, sizeof(*b));
    if (tg_graph_open(&b->g, uri)) FAIL(uri);
    /* The lowest Argon2id cost libsodium allows: the bench measures the graph, and
     * bench.c prices the default cost separately. */
    if (tg_graph_set_option(b->g, TG_OPT_ARGON2_OPSLIMIT, 1) ||
        tg_graph_set_option(b->g, TG_OPT_ARGON2_MEMLIMIT, 8192) ||
        tg_graph_set_option(b->g, TG_OPT_CHANGE_RETENTION, 10000))
        FAIL("options");
    if (strncmp(uri, "file:", 5) == 0 &&
        tg_graph_set_option(b->g, TG_OPT_DURABILITY, TG_DURABILITY_OFF))
        FAIL("durability");
    if (tg_session_operator(&b->op, b->g)) FAIL("operator");
    if (ids_alloc(&b->customers, m->customers) || ids_alloc(&b->subscriptions, m->subscriptions))
        return -1;
    if (enrol(b, m) || partnerships(b, m)) return -1;
    /* Customers from two threads, as an application serving several users would:
     * the Argon2id verifier and the random ids are made outside the graph's lock. */
    b->admin2 = calloc(m->partners, sizeof(*b->admin2));
    if (!b->admin2) return -1;
    for (size_t p = 0; p < m->partners; p++)
        if (!(b->admin2[p] = bench_tg_user(b, m, p))) return -1;
    builder half[2] = {{b, b->admin, m, 0, 2, progress, 0}, {b, b->admin2, m, 1, 2, false, 0}};
    pthread_t t;
    if (pthread_create(&t, NULL, build_customers, &half[1])) return -1;
    build_customers(&half[0]);
    pthread_join(t, NULL);
    return half[0].rc || half[1].rc ? -1 : 0;
}

tg_session *bench_tg_user(const bench_tg *b, const bench_model *m, size_t u)
{
    char user[64];
    tg_session *s;
    bench_user_id(user, m, u);
    if (tg_session_user(&s, b->g, user)) {
        fprintf(stderr, "bench: session %s: %s\n", user, tg_error_message());
        return NULL;
    }
    return s;
}

void bench_tg_free(bench_tg *b, const bench_model *m)
{
    for (size_t p = 0; b->admin && p < m->partners; p++) tg_session_close(b->admin[p]);
    for (size_t p = 0; b->admin2 && p < m->partners; p++) tg_session_close(b->admin2[p]);
    free(b->admin);
    free(b->admin2);
    tg_session_close(b->op);
    tg_graph_close(b->g);
    free(b->customers.text);
    free(b->subscriptions.text);
    memset(b, 0, sizeof(*b));
}
