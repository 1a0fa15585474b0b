/* gen.c - the benchmark's deterministic graph model (see gen.h). */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t bench_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

size_t bench_below(uint64_t *s, size_t n)
{
    return n ? (size_t)(bench_rand(s) % n) : 0;
}

static size_t at_least(size_t v, size_t min)
{
    return v < min ? min : v;
}

int bench_model_make(bench_model *m, size_t customers, uint64_t seed)
{
    memset(m, 0, sizeof(*m));
    m->customers = customers;
    m->providers = at_least(customers / 20000, 2);
    m->resellers = at_least(customers / 50, 4);
    m->partners = m->providers + m->resellers;
    m->users = at_least(customers / 5, 2 * m->partners);
    size_t P = m->providers, R = m->resellers, C = customers;
    m->seller = malloc(C * sizeof(uint32_t));
    m->reseller = malloc(C * sizeof(uint32_t));
    m->first_sub = malloc((C + 1) * sizeof(uint32_t));
    m->by_partner_at = calloc(m->partners + 1, sizeof(uint32_t));
    m->by_partner = malloc(2 * C * sizeof(uint32_t) + 1);
    if (!m->seller || !m->reseller || !m->first_sub || !m->by_partner_at || !m->by_partner) {
        bench_model_free(m);
        return -1;
    }
    uint64_t s = seed;
    uint32_t subs = 0;
    for (size_t k = 0; k < C; k++) {
        size_t p = bench_below(&s, P);
        m->seller[k] = (uint32_t)p;
        /* Four customers in five come through a reseller whose first provider is p. */
        if (bench_below(&s, 5) < 4) {
            size_t per = (R - p + P - 1) / P; /* resellers r < R with r % P == p */
            m->reseller[k] = (uint32_t)(P + p + P * bench_below(&s, per));
        } else {
            m->reseller[k] = UINT32_MAX;
        }
        m->first_sub[k] = subs;
        subs += (uint32_t)(1 + k % 5); /* 1 to 5, three on average */
    }
    m->first_sub[C] = subs;
    m->subscriptions = subs;
    /* Customers per partner, counting sort. */
    for (size_t k = 0; k < C; k++) {
        m->by_partner_at[m->seller[k] + 1]++;
        if (m->reseller[k] != UINT32_MAX) m->by_partner_at[m->reseller[k] + 1]++;
    }
    for (size_t p = 0; p < m->partners; p++) m->by_partner_at[p + 1] += m->by_partner_at[p];
    uint32_t *fill = malloc(m->partners * sizeof(uint32_t));
    if (!fill) {
        bench_model_free(m);
        return -1;
    }
    memcpy(fill, m->by_partner_at, m->partners * sizeof(uint32_t));
    for (size_t k = 0; k < C; k++) {
        m->by_partner[fill[m->seller[k]]++] = (uint32_t)k;
        if (m->reseller[k] != UINT32_MAX) m->by_partner[fill[m->reseller[k]]++] = (uint32_t)k;
    }
    free(fill);
    return 0;
}

void bench_model_free(bench_model *m)
{
    free(m->seller);
    free(m->reseller);
    free(m->first_sub);
    free(m->by_partner);
    free(m->by_partner_at);
    memset(m, 0, sizeof(*m));
}

size_t bench_second_provider(const bench_model *m, size_t r)
{
    if (r % 3 != 0 || m->providers < 2) return SIZE_MAX;
    return (r % m->providers + 1) % m->providers;
}

void bench_partner_tenant(char *buf, size_t p)
{
    uint64_t s = 0x7469657267726170ull ^ p, a = bench_rand(&s), b = bench_rand(&s);
    snprintf(buf, 64, "%08x-%04x-4%03x-8%03x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff, (unsigned)(b >> 48) & 0xfff,
             (unsigned long long)(b & 0xffffffffffffull));
}

void bench_partner_pid(char *buf, size_t p)
{
    snprintf(buf, 64, "%zu", 1000000 + p);
}

void bench_partner_name(char *buf, size_t p)
{
    snprintf(buf, 64, "n%zu", p);
}

size_t bench_user_partner(const bench_model *m, size_t u)
{
    return u % m->partners;
}

void bench_user_id(char *buf, const bench_model *m, size_t u)
{
    snprintf(buf, 64, "user%zu@n%zu.example", u / m->partners, bench_user_partner(m, u));
}

unsigned int bench_user_roles(const bench_model *m, size_t u)
{
    /* Every partner's first user is its Global admin; the others hold the
     * everyday roles, alone and in the pairs partners give. */
    static const unsigned int mix[] = {
        1u << 2,             /* Admin agent */
        1u << 3,             /* Sales agent */
        1u << 4,             /* Helpdesk agent */
        1u << 5,             /* Billing admin */
        1u << 1,             /* User management admin */
        (1u << 2) | (1u << 3),
        (1u << 3) | (1u << 4),
        (1u << 5) | (1u << 2),
        1u << 0,
    };
    size_t slot = u / m->partners;
    return slot == 0 ? 1u : mix[(slot - 1) % (sizeof(mix) / sizeof(mix[0]))];
}
