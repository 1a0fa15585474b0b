/* tg_side.h - the benchmark graph in tiergraph, built through the public API as
 * an application would: enrolment, users, partnership requests accepted by the
 * resellers' Global admins, customers through the draft flow. */
#ifndef BENCH_TG_SIDE_H
#define BENCH_TG_SIDE_H

#include "gen.h"

#include <stdbool.h>
#include <tiergraph.h>

typedef struct bench_tg {
    tg_graph *g;
    tg_session *op;
    tg_session **admin; /* per partner: the session of its Global admin */
    tg_session **admin2; /* the same, for the second thread that builds customers */
    bench_ids customers, subscriptions; /* as tiergraph handed them out */
} bench_tg;

/* Build the model's graph on a new store at `uri` ("mem:", "file:PATH"). The
 * Argon2id cost is the minimum; the change feed keeps its latest 10 000 events. */
int bench_tg_build(bench_tg *b, const bench_model *m, const char *uri, bool progress);
/* Open a session of user u. */
tg_session *bench_tg_user(const bench_tg *b, const bench_model *m, size_t u);
/* Create customer k of the model through the draft flow, by its seller's Global
 * admin, and record its subscriptions' ids. A k past the model's customers makes
 * an extra customer with one subscription. Its id goes to id_out (BENCH_ID_LEN
 * bytes) unless NULL. Returns the tiergraph code. */
int bench_tg_customer(bench_tg *b, const bench_model *m, size_t k, char *id_out);
void bench_tg_free(bench_tg *b, const bench_model *m);

#endif
