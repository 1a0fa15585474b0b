/* gen.h - the benchmark's graph, generated deterministically from its scale (the
 * number of customers). Everything else follows the reference proportions of
 * issue 7: per 1 000 000 customers, 50 indirect providers, 20 000 indirect
 * resellers, 3 000 000 subscriptions and 200 000 partner users.
 *
 * The model is indices only: who sells to whom, who is partnered with whom,
 * which roles a user holds. Tenant ids, PartnerIDs and user ids are derived from
 * the indices; customer and subscription ids are the ones tiergraph hands out,
 * recorded while the graph is built (bench_ids). The same model feeds the
 * tiergraph graph and the SQLite baseline, so both hold the same graph. */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_model {
    size_t customers, providers, resellers, users, subscriptions;
    size_t partners; /* providers + resellers: partner p < providers is a provider */
    /* customer k: its seller (a provider index) and its reseller (a partner index,
     * or SIZE_MAX for a customer the provider serves without a reseller) */
    uint32_t *seller, *reseller;
    uint32_t *first_sub; /* subscriptions of customer k: [first_sub[k], first_sub[k+1]) */
    /* customers of each partner (sold by a provider, associated with a reseller):
     * by_partner[by_partner_at[p] .. by_partner_at[p+1]) */
    uint32_t *by_partner, *by_partner_at;
} bench_model;

/* A small, fast, deterministic generator (splitmix64). */
uint64_t bench_rand(uint64_t *state);
/* Uniform in [0, n). */
size_t bench_below(uint64_t *state, size_t n);

int bench_model_make(bench_model *m, size_t customers, uint64_t seed);
void bench_model_free(bench_model *m);

/* The second provider of reseller r (its first is r % providers), or SIZE_MAX:
 * one reseller in three works with two providers. */
size_t bench_second_provider(const bench_model *m, size_t reseller);

/* Names, derived from indices. Each writes into buf (at least 64 bytes). */
void bench_partner_tenant(char *buf, size_t p);  /* a GUID */
void bench_partner_pid(char *buf, size_t p);     /* numeric PartnerID */
void bench_partner_name(char *buf, size_t p);    /* p12 / r345 */
void bench_user_id(char *buf, const bench_model *m, size_t u);
size_t bench_user_partner(const bench_model *m, size_t u);
unsigned int bench_user_roles(const bench_model *m, size_t u);

/* Ids handed out by tiergraph, kept in fixed-width slots. */
#define BENCH_ID_LEN 40
typedef struct bench_ids {
    char *text; /* n slots of BENCH_ID_LEN bytes */
    size_t n;
} bench_ids;

#define BENCH_ID(ids, i) ((ids)->text + (size_t)(i) * BENCH_ID_LEN)

#endif
