/* fuzz_api.c - libFuzzer target: the input is a sequence of API calls by random
 * sessions (the byte language is in fuzz_api.h) on a fresh "mem:" graph holding
 * the unit tests' standard partners and users. After every call:
 *  - tg_graph_verify passes;
 *  - the answer is a known code, and an error comes with a message;
 *  - a refused call changed nothing (same revision), a successful write made
 *    exactly one revision, a read none;
 *  - what a list shows can be read and is allowed by tg_check, for the same session.
 * Any broken promise aborts, which libFuzzer reports as a crash. */
#include "draft_details.h"
#include "fuzz_api.h"
#include "tiergraph.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz_api: %s:%d: %s (last message: %s)\n", __FILE__, __LINE__, \
                    #cond, tg_error_message()); \
            abort(); \
        } \
    } while (0)

#define MAX_OPS 200
#define MAX_SESSIONS 64
#define MAX_CUSTOMERS 32
#define MAX_SUBS 64
#define MAX_LINKS 8
#define START_CLOCK 1700000000

static const char *const partner_tenants[] = {
    "10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002",
    "20000000-0000-4000-8000-000000000001", "20000000-0000-4000-8000-000000000002",
    "20000000-0000-4000-8000-000000000003", "30000000-0000-4000-8000-000000000001",
    "40000000-0000-4000-8000-000000000000", "40000000-0000-4000-8000-000000000001",
    "40000000-0000-4000-8000-000000000002", "40000000-0000-4000-8000-000000000003",
    "40000000-0000-4000-8000-000000000004", "40000000-0000-4000-8000-000000000005",
    "40000000-0000-4000-8000-000000000006", "40000000-0000-4000-8000-000000000007",
    "7fffffff-ffff-4fff-8fff-ffffffffffff", /* FUZZ_GHOST: nobody's */
};
/* PartnerIDs by the same index; the ghost's is not even numeric. */
static const char *const partner_ids[] = {
    "1000001", "1000002", "2000001", "2000002", "2000003", "3000001", "4000000", "4000001",
    "4000002", "4000003", "4000004", "4000005", "4000006", "4000007", "12ab",
};
#define NPARTNERS 15
static const char *const short_names[] = {"p1", "p2", "r1", "r2", "r3", "d1"};
static const char *const role_names[] = {"ga", "ua", "aa", "sa", "ha", "ba"};
#define NUSERS (36 + 12)

typedef struct customer {
    char id[40], admin[96], password[64];
} customer;

typedef struct run {
    const uint8_t *p, *end;
    tg_graph *g;
    tg_session *sessions[MAX_SESSIONS];
    int nsessions;
    char users[NUSERS][32];
    customer customers[MAX_CUSTOMERS];
    int ncustomers;
    char subs[MAX_SUBS][40];
    int nsubs;
    char links[MAX_LINKS][512];
    int nlinks;
    int64_t clock;
} run;

static uint8_t next(run *r)
{
    return r->p < r->end ? *r->p++ : 0;
}

static tg_session *pick_session(run *r)
{
    return r->sessions[next(r) % r->nsessions];
}

static const char *pick_partner(run *r)
{
    return partner_tenants[next(r) % NPARTNERS];
}

static const char *pick_partner_or_none(run *r)
{
    int i = next(r) % (NPARTNERS + 1);
    return i == FUZZ_NONE ? NULL : partner_tenants[i];
}

static const char *pick_pid_or_none(run *r)
{
    int i = next(r) % (NPARTNERS + 1);
    return i == FUZZ_NONE ? NULL : partner_ids[i];
}

static const char *pick_user(run *r)
{
    return r->users[next(r) % NUSERS];
}

static customer *pick_customer(run *r)
{
    static customer ghost = {"7fffffff-0000-4000-8000-00000000c0de", "admin@ghost.onmicrosoft.com",
                             "nothing"};
    int i = next(r) % (r->ncustomers + 1);
    return i < r->ncustomers ? &r->customers[i] : &ghost;
}

static const char *pick_subscription(run *r)
{
    int i = next(r) % (r->nsubs + 1);
    return i < r->nsubs ? r->subs[i] : "7fffffff-0000-4000-8000-0000000005b5";
}

static const char *pick_link(run *r)
{
    static const char *const bad[] = {"not a link", "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                      "https://x.invalid/?token=%%%"};
    int i = next(r) % (r->nlinks + 3);
    return i < r->nlinks ? r->links[i] : bad[i - r->nlinks];
}

static void remember_subscription(run *r, const char *id)
{
    if (r->nsubs < MAX_SUBS) snprintf(r->subs[r->nsubs++], sizeof(r->subs[0]), "%s", id);
}

/* ------------------------------------------------------------------ */
/* The standard graph, built with plain calls (the CMocka fixture asserts) */
/* ------------------------------------------------------------------ */

static void build(run *r)
{
    REQUIRE(tg_graph_open(&r->g, "mem:") == TG_OK);
    REQUIRE(tg_graph_set_option(r->g, TG_OPT_ARGON2_OPSLIMIT, 1) == TG_OK);
    REQUIRE(tg_graph_set_option(r->g, TG_OPT_ARGON2_MEMLIMIT, 8192) == TG_OK);
    r->clock = START_CLOCK;
    REQUIRE(tg_graph_set_option(r->g, TG_OPT_CLOCK, r->clock) == TG_OK);
    REQUIRE(tg_session_operator(&r->sessions[0], r->g) == TG_OK);
    r->nsessions = 1;
    static const tg_partner_kind kinds[] = {
        TG_PARTNER_INDIRECT_PROVIDER, TG_PARTNER_INDIRECT_PROVIDER, TG_PARTNER_INDIRECT_RESELLER,
        TG_PARTNER_INDIRECT_RESELLER, TG_PARTNER_INDIRECT_RESELLER, TG_PARTNER_DIRECT_BILL};
    for (int p = 0; p < 6; p++) {
        char domain[32];
        snprintf(domain, sizeof(domain), "%s.example", short_names[p]);
        REQUIRE(tg_partner_enroll(r->sessions[0], kinds[p], partner_tenants[p], partner_ids[p],
                                  short_names[p], domain, "US") == TG_OK);
        if (p != FUZZ_R3) REQUIRE(tg_partner_set_agreement(r->sessions[0], partner_tenants[p], 1) == TG_OK);
        for (int role = 0; role < 6; role++) {
            char *name = r->users[6 * p + role];
            snprintf(name, sizeof(r->users[0]), "%s@%s", role_names[role], short_names[p]);
            REQUIRE(tg_user_add(r->sessions[0], partner_tenants[p], name, 1u << role) == TG_OK);
            REQUIRE(tg_session_user(&r->sessions[r->nsessions++], r->g, name) == TG_OK);
        }
    }
    for (int i = 36; i < NUSERS; i++) snprintf(r->users[i], sizeof(r->users[0]), "u%d@x", i - 36);
    tg_invite *inv;
    REQUIRE(tg_invite_create(&inv, r->sessions[FUZZ_USER(FUZZ_P1, FUZZ_GA)]) == TG_OK);
    REQUIRE(tg_partnership_accept(r->sessions[FUZZ_USER(FUZZ_R1, FUZZ_GA)], tg_invite_link(inv)) == TG_OK);
    tg_invite_free(inv);
}

static void tear_down(run *r)
{
    for (int i = 0; i < r->nsessions; i++) tg_session_close(r->sessions[i]);
    tg_graph_close(r->g);
}

/* ------------------------------------------------------------------ */
/* Operations. Each returns the library's answer and says through       */
/* *writes how many revisions a success makes (-1: zero or one).         */
/* ------------------------------------------------------------------ */

static int op_enroll(run *r, int *writes)
{
    tg_session *s = pick_session(r);
    tg_partner_kind kind = (tg_partner_kind)(next(r) % 4); /* 0 is not a kind */
    int i = FUZZ_NEW0 + next(r) % 8;
    char domain[32];
    snprintf(domain, sizeof(domain), "e%d.example", i);
    *writes = 1;
    return tg_partner_enroll(s, kind, partner_tenants[i], partner_ids[i], "New partner", domain, "DE");
}

static int op_add_tenant(run *r, int *writes)
{
    tg_session *s = pick_session(r);
    const char *partner = pick_partner(r);
    uint8_t which = next(r);
    char fresh[40];
    snprintf(fresh, sizeof(fresh), "60000000-0000-4000-8000-0000000000%02x", which);
    const char *tenant = which % 3 == 0   ? partner_tenants[which % NPARTNERS]
                         : which % 3 == 1 ? pick_customer(r)->id
                                          : fresh;
    *writes = 1;
    return tg_partner_add_tenant(s, partner, tenant);
}

static int op_invite(run *r, int *writes)
{
    tg_invite *inv = NULL;
    *writes = 1;
    int rc = tg_invite_create(&inv, pick_session(r));
    if (rc == TG_OK) {
        REQUIRE(strstr(tg_invite_email(inv), tg_invite_link(inv)) != NULL);
        snprintf(r->links[r->nlinks % MAX_LINKS], sizeof(r->links[0]), "%s", tg_invite_link(inv));
        if (r->nlinks < MAX_LINKS) r->nlinks++;
    }
    tg_invite_free(inv);
    return rc;
}

/* Valid details but the field left out, then the reseller (unless left out). */
static int fill_draft(tg_draft *d, const char *prefix, const char *reseller, tg_field left_out)
{
    int rc = draft_fill_valid(d, prefix, left_out);
    if (rc == TG_OK && reseller && left_out != TG_FIELD_RESELLER)
        rc = tg_draft_set(d, TG_FIELD_RESELLER, reseller);
    return rc;
}

static int op_draft(run *r, int *writes)
{
    tg_session *s = pick_session(r);
    char prefix[16];
    snprintf(prefix, sizeof(prefix), "f%d", next(r) % 24);
    const char *reseller = pick_partner_or_none(r);
    tg_field left_out = (tg_field)(next(r) % 16);
    int nsubs = next(r) % 4, quantity = next(r) % 4;
    uint8_t finish = next(r);
    *writes = 0;
    tg_draft *d = NULL;
    int rc = tg_draft_new(&d, s);
    if (rc != TG_OK) return rc;
    rc = fill_draft(d, prefix, reseller, left_out);
    for (int i = 0; rc == TG_OK && i < nsubs; i++) {
        int q = tg_draft_add_subscription(d, "offer-e3", quantity);
        REQUIRE(quantity == 0 ? q == TG_EINVAL : q == TG_OK);
    }
    if (rc != TG_OK) {
        tg_draft_free(d);
        return rc;
    }
    tg_problems *problems = NULL;
    int reviewed = tg_draft_review(&problems, d);
    REQUIRE(problems != NULL);
    REQUIRE((reviewed == TG_OK) == (tg_problems_count(problems) == 0));
    for (size_t i = 0; i < tg_problems_count(problems); i++)
        REQUIRE(tg_problems_message(problems, i) != NULL);
    tg_problems_free(problems);
    if (finish % 3 == 0) {
        REQUIRE(tg_draft_cancel(d) == TG_OK);
        REQUIRE(tg_draft_set(d, TG_FIELD_CITY, "Paris") == TG_ESTATE);
        rc = TG_OK;
    } else if (finish % 3 == 1) {
        rc = reviewed;
    } else {
        tg_receipt *receipt = NULL;
        *writes = 1;
        rc = tg_draft_submit(&receipt, d);
        /* Nothing changed since the review: submit agrees with it. */
        REQUIRE((rc == TG_OK) == (reviewed == TG_OK));
        if (rc == TG_OK) {
            REQUIRE(tg_receipt_subscription_count(receipt) == (size_t)(quantity ? nsubs : 0));
            const char *password = tg_receipt_password(receipt);
            REQUIRE(password && tg_receipt_password(receipt) == NULL);
            if (r->ncustomers < MAX_CUSTOMERS) {
                customer *c = &r->customers[r->ncustomers++];
                snprintf(c->id, sizeof(c->id), "%s", tg_receipt_customer_id(receipt));
                snprintf(c->admin, sizeof(c->admin), "%s", tg_receipt_admin_user(receipt));
                snprintf(c->password, sizeof(c->password), "%s", password);
            }
            for (size_t i = 0; i < tg_receipt_subscription_count(receipt); i++)
                remember_subscription(r, tg_receipt_subscription_id(receipt, i));
        }
        tg_receipt_free(receipt);
    }
    tg_draft_free(d);
    return rc;
}

static int op_sub_add(run *r, int *writes)
{
    tg_session *s = pick_session(r);
    const char *cid = pick_customer(r)->id;
    int quantity = next(r) % 5;
    const char *pid = pick_pid_or_none(r), *support = pick_partner_or_none(r);
    char *id = NULL;
    *writes = 1;
    int rc = tg_subscription_add(&id, s, cid, "offer-e5", quantity, pid, support);
    REQUIRE((rc == TG_OK) == (id != NULL));
    if (id) remember_subscription(r, id);
    tg_free(id);
    return rc;
}

static int op_check(run *r, int *writes)
{
    tg_session *s = pick_session(r);
    tg_action action = (tg_action)(next(r) % (TG_ACT_LAST_ + 2));
    uint8_t kind = next(r) % 5;
    const char *object = kind == 1   ? pick_customer(r)->id
                         : kind == 2 ? pick_subscription(r)
                         : kind == 3 ? pick_user(r)
                         : kind == 4 ? pick_partner(r)
                                     : NULL;
    *writes = 0;
    int rc = tg_check(s, action, object);
    char *why = NULL;
    REQUIRE(tg_explain(&why, s, action, object) == rc);
    REQUIRE(why != NULL || rc == TG_EINVAL);
    tg_free(why);
    return rc;
}

/* Every listed customer and subscription can be read, and tg_check agrees. */
static int op_read(run *r, int *writes)
{
    tg_session *s = pick_session(r);
    const char *filter = pick_partner_or_none(r);
    *writes = 0;
    tg_iter *customers = NULL;
    int rc = tg_customers(&customers, s, filter);
    REQUIRE(rc == TG_OK || rc == TG_EDENIED);
    const char *cid;
    while (customers && tg_iter_next(customers, &cid) == TG_OK) {
        char *json = NULL;
        REQUIRE(tg_customer_get(&json, s, cid) == TG_OK && strstr(json, cid));
        tg_free(json);
        REQUIRE(tg_check(s, TG_ACT_VIEW_CUSTOMER, cid) == TG_OK);
        tg_iter *subs = NULL;
        REQUIRE(tg_subscriptions(&subs, s, cid) == TG_OK);
        const char *sid;
        while (tg_iter_next(subs, &sid) == TG_OK) {
            REQUIRE(tg_subscription_get(&json, s, sid) == TG_OK && strstr(json, cid));
            tg_free(json);
            REQUIRE(tg_check(s, TG_ACT_VIEW_SUBSCRIPTION, sid) == TG_OK);
        }
        tg_iter_free(subs);
    }
    tg_iter_free(customers);
    tg_iter *it = NULL;
    REQUIRE(tg_resellers(&it, s) == TG_OK || it == NULL);
    tg_iter_free(it);
    REQUIRE(tg_providers(&it, s) == TG_OK || it == NULL);
    tg_iter_free(it);
    REQUIRE(tg_partners(&it, s, TG_PARTNER_INDIRECT_PROVIDER) == TG_OK || it == NULL);
    tg_iter_free(it);
    return rc;
}

static int op_session(run *r, int *writes)
{
    tg_session *s = NULL;
    *writes = 0;
    int rc = tg_session_user(&s, r->g, pick_user(r));
    REQUIRE((rc == TG_OK) == (s != NULL));
    if (s && r->nsessions < MAX_SESSIONS)
        r->sessions[r->nsessions++] = s;
    else
        tg_session_close(s);
    return rc;
}

static int op_password(run *r, int *writes)
{
    const customer *c = pick_customer(r);
    bool right = next(r) & 1;
    *writes = 0;
    int rc = tg_customer_verify_password(r->sessions[0], c->admin, right ? c->password : "Wrong-pass-1");
    REQUIRE(rc != TG_OK || right); /* a wrong password never passes */
    return rc;
}

static int one_operation(run *r, int *writes)
{
    uint8_t op = next(r) % FUZZ_OP_COUNT;
    *writes = 1;
    switch (op) {
    case FUZZ_OP_ENROLL: return op_enroll(r, writes);
    case FUZZ_OP_AGREEMENT: {
        tg_session *s = pick_session(r);
        const char *p = pick_partner(r);
        return tg_partner_set_agreement(s, p, next(r) & 1);
    }
    case FUZZ_OP_ADD_TENANT: return op_add_tenant(r, writes);
    case FUZZ_OP_USER_ADD: {
        tg_session *s = pick_session(r);
        const char *p = pick_partner(r), *u = pick_user(r);
        return tg_user_add(s, p, u, next(r) % 0x41); /* 0 and 0x40 are invalid */
    }
    case FUZZ_OP_USER_SET_ROLES: {
        tg_session *s = pick_session(r);
        const char *u = pick_user(r);
        *writes = -1; /* the same roles again write nothing */
        return tg_user_set_roles(s, u, next(r) % 0x41);
    }
    case FUZZ_OP_USER_REMOVE: {
        tg_session *s = pick_session(r);
        return tg_user_remove(s, pick_user(r));
    }
    case FUZZ_OP_INVITE: return op_invite(r, writes);
    case FUZZ_OP_ACCEPT: {
        tg_session *s = pick_session(r);
        return tg_partnership_accept(s, pick_link(r));
    }
    case FUZZ_OP_PARTNERSHIP_REMOVE: {
        tg_session *s = pick_session(r);
        const char *p = pick_partner(r);
        return tg_partnership_remove(s, p, next(r) % 5);
    }
    case FUZZ_OP_DRAFT: return op_draft(r, writes);
    case FUZZ_OP_SUB_ADD: return op_sub_add(r, writes);
    case FUZZ_OP_SUB_STATUS: {
        tg_session *s = pick_session(r);
        const char *id = pick_subscription(r);
        return tg_subscription_set_status(s, id, (tg_subscription_status)(next(r) % 4));
    }
    case FUZZ_OP_SUB_RESELLER: {
        tg_session *s = pick_session(r);
        const char *id = pick_subscription(r);
        return tg_subscription_set_reseller(s, id, pick_pid_or_none(r));
    }
    case FUZZ_OP_SUB_SUPPORT: {
        tg_session *s = pick_session(r);
        const char *id = pick_subscription(r);
        return tg_subscription_set_support(s, id, pick_partner_or_none(r));
    }
    case FUZZ_OP_CUSTOMER_RESELLER: {
        tg_session *s = pick_session(r);
        const char *id = pick_customer(r)->id;
        return tg_customer_set_reseller(s, id, pick_partner_or_none(r));
    }
    case FUZZ_OP_CUSTOMER_REMOVE: {
        tg_session *s = pick_session(r);
        return tg_customer_remove(s, pick_customer(r)->id);
    }
    case FUZZ_OP_CHECK: return op_check(r, writes);
    case FUZZ_OP_READ: return op_read(r, writes);
    case FUZZ_OP_CLOCK:
        *writes = 0;
        r->clock += (int64_t)next(r) * 86400;
        return tg_graph_set_option(r->g, TG_OPT_CLOCK, r->clock);
    case FUZZ_OP_SESSION: return op_session(r, writes);
    default: return op_password(r, writes);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static run r;
    static int trace = -1; /* FUZZ_API_TRACE=1: print each operation's answer */
    if (trace < 0) trace = getenv("FUZZ_API_TRACE") != NULL;
    memset(&r, 0, sizeof(r));
    r.p = data;
    r.end = data + size;
    build(&r);
    for (int n = 0; n < MAX_OPS && r.p < r.end; n++) {
        uint64_t before = tg_graph_revision(r.g);
        int writes = 0;
        uint8_t op = r.p < r.end ? *r.p % FUZZ_OP_COUNT : 0;
        int rc = one_operation(&r, &writes);
        if (trace) fprintf(stderr, "op %d: %d (%s)\n", op, rc, rc ? tg_error_message() : "ok");
        uint64_t after = tg_graph_revision(r.g);
        /* A pinned code (tg_strerror names it), never TG_ITEROVER from a write. */
        REQUIRE(rc <= TG_OK && rc != TG_ITEROVER &&
                strcmp(tg_strerror(rc), tg_strerror(-1000)) != 0);
        REQUIRE(rc == TG_OK || strcmp(tg_error_message(), "no error") != 0);
        if (rc != TG_OK || writes == 0)
            REQUIRE(after == before);
        else if (writes == 1)
            REQUIRE(after == before + 1);
        else
            REQUIRE(after == before || after == before + 1);
        if (tg_graph_verify(r.g) != TG_OK) {
            fprintf(stderr, "fuzz_api: after operation %d: %s\n", n, tg_error_message());
            abort();
        }
    }
    tear_down(&r);
    return 0;
}
