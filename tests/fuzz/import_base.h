/* import_base.h - the graph fuzz_import imports each input into, and that
 * make_seeds builds its export seeds against: the partners of the Partner Center
 * samples (/work/shared/fixtures/partner-center/), so that the samples' bodies map
 * onto it, and the customer its order samples name. */
#ifndef IMPORT_BASE_H
#define IMPORT_BASE_H

#include <tiergraph.h>

/* An indirect provider (made up: the samples never name theirs), and the two
 * indirect resellers of retrieve-a-list-of-indirect-resellers.response.json,
 * partnered with it, agreements signed; a Global admin each. */
#define BASE_PROVIDER "11111111-1111-4111-8111-111111111111"
#define BASE_PROVIDER_PID "1100001"
#define BASE_FIRSTUP "484e548c-f5f3-4528-93a9-c16c6373cb59"
#define BASE_FIRSTUP_PID "4847383"
#define BASE_RELECLOUD "b01b1487-b36e-4e6d-9b5e-0b58974c4b28"
#define BASE_RELECLOUD_PID "4847433"
/* The customer of the order samples, sold by the provider for First Up. */
#define BASE_ORDER_CUSTOMER "c501c3c4-d776-40ef-9ecf-9cefb59442c1"
/* The graphs' clock (TG_OPT_CLOCK), so that imports without dates are repeatable. */
#define BASE_CLOCK 1700000000

/* Cheap Argon2id (the fuzzer hashes every Partner Center customer's password) and
 * the fixed clock. Returns TG_OK or the first failing option's code. */
int import_graph_options(tg_graph *g);

/* Build the base on an empty graph (options set). Returns TG_OK or the first
 * failing call's code, with its message. */
int import_base_build(tg_graph *g);

#endif
