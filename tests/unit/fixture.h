/* fixture.h - a standard two-tier graph for the unit tests, on a fault-injecting
 * store over "mem:", with one user per role in every partner. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <tiergraph.h>
#include <tiergraph/store.h>

/* Tenants. P1 is partnered with R1; R2 signed but not partnered; R3 never signed. */
#define P1 "10000000-0000-4000-8000-000000000001" /* indirect provider, PartnerID 1000001, p1.example */
#define P2 "10000000-0000-4000-8000-000000000002" /* indirect provider, PartnerID 1000002, p2.example */
#define R1 "20000000-0000-4000-8000-000000000001" /* indirect reseller, PartnerID 2000001, r1.example */
#define R2 "20000000-0000-4000-8000-000000000002" /* indirect reseller, PartnerID 2000002, r2.example */
#define R3 "20000000-0000-4000-8000-000000000003" /* indirect reseller, PartnerID 2000003, unsigned */
#define D1 "30000000-0000-4000-8000-000000000001" /* direct-bill, PartnerID 3000001, d1.example */
#define R1_PID "2000001"
#define R2_PID "2000002"
#define R3_PID "2000003"

/* Users: "<role>@<partner>", role one of ga ua aa sa ha ba, partner one of
 * p1 p2 r1 r2 r3 d1; e.g. "ga@p1" is P1's Global admin, "ha@r1" R1's Helpdesk agent. */

typedef struct fx {
    tg_graph *g;
    tg_store *store; /* the fault store the graph owns: see fault_store.h */
    tg_session *op;
} fx;

/* The standard graph over `store`, which the graph then owns; asserts. */
fx *fx_build(tg_store *store);
/* A fixture over a graph opened elsewhere (e.g. reopened from a file); writes nothing
 * but the cheap Argon2id options. fx_free() closes the graph. */
fx *fx_adopt(tg_graph *g);
/* Close the fixture's sessions and its graph. NULL is a no-op. */
void fx_free(fx *f);

/* CMocka setup/teardown: *state becomes a fx * over a fault store over "mem:". */
int fx_setup(void **state);
int fx_teardown(void **state);

/* A session of a fixture user, owned by the fixture (closed at teardown). */
tg_session *fx_user(fx *f, const char *user_id);

/* Fill a draft with valid details for <prefix>.onmicrosoft.com. */
void fx_fill_draft(tg_draft *d, const char *prefix);
/* Create a customer through the draft flow as `user`, optionally for `reseller`,
 * with `nsubs` subscriptions; asserts success. Returns the customer id in a
 * static buffer (copy it if you need two). */
const char *fx_customer(fx *f, const char *user, const char *prefix, const char *reseller,
                        int nsubs);
/* The same, handing over the receipt (one-time credentials); free it with tg_receipt_free(). */
tg_receipt *fx_customer_receipt(fx *f, const char *user, const char *prefix,
                                const char *reseller, int nsubs);

/* Everything observable through the API, as text: revision, partner lists,
 * customers and subscriptions (as JSON) seen by each partner's Global admin.
 * Lists are sorted, so the text of a graph does not change when it is reloaded. */
char *fx_state(fx *f);
/* Every record of the store, sorted, as text. */
char *fx_store_dump(fx *f);
/* The same without the change events ("event/..." records): the graph's records. */
char *fx_store_records(fx *f);

/* Assertions shared by the tests (they expand to CMocka calls, so include
 * <cmocka.h> before using them). */

/* `call` fails with exactly `code` and writes nothing (the revision stays). */
#define REFUSED(f, call, code) \
    do { \
        uint64_t rev_ = tg_graph_revision((f)->g); \
        assert_int_equal((call), (code)); \
        assert_int_equal(tg_graph_revision((f)->g), rev_); \
    } while (0)

/* The last error message of this thread mentions `word`. */
#define MSG_HAS(word) \
    do { \
        if (!strstr(tg_error_message(), (word))) \
            fail_msg("message '%s' does not mention '%s'", tg_error_message(), (word)); \
    } while (0)

/* JSON answers (include <cjson/cJSON.h> first): the item at a dotted path
 * ("billingProfile.defaultAddress.city"), names compared exactly, or NULL; and the
 * string there, failing the test when it is absent or not a string. */
#ifdef cJSON__h
const cJSON *fx_json_at(const cJSON *root, const char *path);
const char *fx_json_str(const cJSON *root, const char *path);
#endif

/* Count the ids of an iterator and free it. */
size_t fx_count(tg_iter *it);
/* Whether an iterator holds id (frees it). */
int fx_has(tg_iter *it, const char *id);

#endif
