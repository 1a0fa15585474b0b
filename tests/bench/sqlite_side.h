/* sqlite_side.h - the baseline: the same graph in SQLite, with the schema and
 * indexes a competent developer would write for these checks and lists, and the
 * same decisions made with prepared statements (see sqlite_side.c). */
#ifndef BENCH_SQLITE_SIDE_H
#define BENCH_SQLITE_SIDE_H

#include "gen.h"

#include <stdbool.h>
#include <tiergraph.h>

typedef struct bench_sq bench_sq;

/* Build the model's graph in a new database at `path`, with the ids tiergraph
 * handed out for customers and subscriptions. NULL on failure (printed). */
bench_sq *bench_sq_build(const bench_model *m, const bench_ids *customers,
                         const bench_ids *subscriptions, const char *path);
/* May user `user_id` do `action` on `object` (NULL for none)? 1 yes, 0 no, -1 error. */
int bench_sq_check(bench_sq *q, const char *user_id, tg_action action, const char *object);
/* The ids a partner user may list, copied out as tg_customers / tg_subscriptions
 * do; the count, or -1. */
long bench_sq_customers(bench_sq *q, const char *user_id);
long bench_sq_subscriptions(bench_sq *q, const char *user_id, const char *customer_id);
void bench_sq_free(bench_sq *q);

#endif
