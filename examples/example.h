/*
 * example.h - what the workflow examples share: stop at the first unexpected
 * result with the library's message, show an expected refusal, and set up the
 * cast every example starts from (a provider, a reseller and their admins).
 */
#ifndef TG_EXAMPLE_H
#define TG_EXAMPLE_H

#include <tiergraph.h>

/* The cast: an indirect provider (a distributor) and an indirect reseller. */
#define PROVIDER "11111111-1111-4111-8111-111111111111" /* Contoso Distribution */
#define PROVIDER_PID "4847383"
#define RESELLER "22222222-2222-4222-8222-222222222222" /* Fabrikam */
#define RESELLER_PID "5123456"
#define PROVIDER_ADMIN "ana@contoso-dist.example" /* Global admin + Admin agent */
#define RESELLER_ADMIN "raj@fabrikam.example"     /* Global admin + Admin agent */

typedef struct ex_cast {
    tg_graph *graph;
    tg_session *op;       /* the platform operator */
    tg_session *provider; /* PROVIDER_ADMIN */
    tg_session *reseller; /* RESELLER_ADMIN */
} ex_cast;

/* `rc` must be TG_OK; otherwise print what failed, the code and the library's
 * message for this thread, and exit(1). */
void ex_check(int rc, const char *what);
/* `rc` must be exactly `expected` (a refusal the example demonstrates): print it
 * with the library's message. Anything else, success included, exits 1. */
void ex_refused(int rc, int expected, const char *what);
/* `condition` must hold; otherwise print `what` and exit(1). */
void ex_require(int condition, const char *what);
/* `text` (JSON, a message) must contain `needle`. */
void ex_require_text(const char *text, const char *needle, const char *what);

/* Print an iterator's ids after a title, then free it. */
void ex_print_list(const char *title, tg_iter *it);
/* Whether an iterator holds `id`; frees it. */
int ex_list_has(tg_iter *it, const char *id);

/* Open the graph (argv[1], default "mem:") and an operator session, with a cheap
 * Argon2id cost so that the example runs fast (never do that in production). */
void ex_open(ex_cast *c, int argc, char **argv);
/* Enrol the provider and the reseller (agreement signed), add their Global
 * admins and open their sessions. */
void ex_enrol(ex_cast *c);
/* The partnership: the provider invites, the reseller's Global admin accepts. */
void ex_partner(ex_cast *c);
/* A value for a field of a new-customer draft. */
typedef struct ex_detail {
    tg_field field;
    const char *value;
} ex_detail;

/* Set each field of `details` in the draft (values are checked by the review). */
void ex_fill_draft(tg_draft *d, const ex_detail *details, size_t n);
/* A new customer sold by the provider, associated with `reseller` (or none),
 * without subscriptions, through the draft flow of new_customer.c. Writes its id into `id` (at least 37 bytes). */
void ex_customer(ex_cast *c, const char *company, const char *domain_prefix,
                 const char *reseller, char *id);
/* Verify the graph, close every session and the graph. */
void ex_close(ex_cast *c);

#endif
