/* badinput.h - the harness of the bad-input test (docs/hardening.md, "Bad input").
 *
 * gen_badinput.py writes one function per public function (badinput_calls.c); each
 * makes every call on a fresh fixture (bi_begin), checks the answer with one of the
 * bi_refused/bi_accepted/bi_returns/bi_noop checks, and frees it all (bi_end). */
#ifndef BADINPUT_H
#define BADINPUT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tiergraph.h>
#include <tiergraph/store.h>

#include "fixture.h"

/* A partner the fixture lacks: the valid values of enrolment and of new tenants. */
#define N9 "90000000-0000-4000-8000-000000000009"
#define N9_PID "9000009"
/* The password of the fixture's customer users once changed from the temporary one. */
#define BI_PASSWORD "Bi-Passw0rd!"

/* The answer of tg_store_sqlite_new to a well-formed path: TG_EVERSION without SQLite. */
#ifdef TG_WITH_SQLITE
#define BI_SQLITE(code) (code)
#else
#define BI_SQLITE(code) TG_EVERSION
#endif

/* "MAJOR.MINOR.PATCH" of these headers, for tg_version_string. */
#define BI_STR_(x) #x
#define BI_STR(x) BI_STR_(x)
#define BI_VERSION_TEXT BI_STR(TG_VERSION_MAJOR) "." BI_STR(TG_VERSION_MINOR) "." BI_STR(TG_VERSION_PATCH)

/* bi_begin's flags: also open c->fg, a graph over a "file:" store (statistics, durability). */
#define BI_FILE 1

/* An out-parameter's value before the call, to see that a refusal clears it. */
extern char bi_poison_byte;
#define BI_POISON(T) ((T)(void *)&bi_poison_byte)

/* Hostile strings made once: 1 MiB of 'x', and 4097 bytes of 'x' (one past the limit). */
extern const char *bi_mib, *bi_over;
/* A tg_export() document of a graph with one partner, N9: what tg_import takes. */
extern const char *bi_import_json;

typedef struct bi {
    fx *f;
    tg_graph *g;               /* the fixture's graph (f->g) */
    tg_graph *fg;              /* with BI_FILE: a graph over a "file:" store */
    tg_store *fstore;          /* its store */
    /* Partner users (owned by the fixture) and the operator. */
    tg_session *op, *ga_p1, *sa_p1, *ha_p1, *ga_p2, *ga_r1, *ga_r2;
    tg_session *gone;          /* a Global admin of P1's, the user since removed */
    /* Customers of P1 (by ga@p1): C1 with reseller R1 and subscription s1 (P1 its
     * partner of record), and s_ea, bought elsewhere (EA) and recorded by C1; C2 with
     * neither; a third one, removed. */
    char c1[40], c2[40], s1[40], s_ea[40];
    char c1_admin[128], c1_domain[96], gone_cust_admin[128];
    tg_session *cust;          /* C1's admin (a Global admin), signed in */
    tg_session *cust_user;     /* a user of C1's without a role, signed in */
    tg_session *cust2;         /* C2's admin, signed in */
    tg_session *gone_cust;     /* the removed customer's admin, signed in before */
    /* Requests: a partnership request of P2's (open), its link; the link of one R1
     * accepted (used) and of one that expired; a relationship request of P2's to C1. */
    tg_invite *inv, *rel;
    const char *inv_link, *rel_link;
    char used_link[512], expired_link[512];
    /* Drafts of ga@p1: filled and open; submitted; cancelled; made by `gone` before its
     * user was removed; empty (so with problems). */
    tg_draft *draft, *draft_submitted, *draft_cancelled, *draft_orphan, *draft_bad;
    tg_problems *problems;     /* draft_bad's review */
    tg_receipt *receipt;       /* draft_submitted's: one subscription, password not read */
    tg_receipt *receipt_shown; /* the removed customer's: its password read once */
    tg_iter *iter;             /* the indirect providers (2), unread */
    tg_iter *iter_done;        /* the same, read to the end */
    tg_store scratch_store;    /* for tg_store_init */
    tg_store bad_store;        /* for tg_graph_open_store's hostile stores */
    /* Objects made for a valid call that takes them over (free functions, open_store). */
    tg_store *loose_store;
    /* Strings made for this call (bi_cat ...), freed by bi_end. */
    char **strings;
    size_t nstrings;
    /* The call, and the state before it. */
    const char *fn, *param, *label;
    uint64_t rev, frev;
    char *dump, *fdump;
} bi;

/* A generated function per public function: the calls it made. */
typedef struct bi_function {
    const char *name;
    const char *header;  /* "include/tiergraph.h" */
    int (*run)(void);    /* NULL: not exercised, see `why` */
    const char *why;
} bi_function;
extern const bi_function bi_functions[];
extern const size_t bi_nfunctions;

/* A fresh fixture for one call of `fn` with `param` = `label` (param "" for the
 * valid call), its state recorded, and this thread's error message set to a sentinel. */
bi *bi_begin(const char *fn, const char *param, const char *label, int flags);
void bi_end(bi *c);

/* The checks. Each failure is reported with the call and counted (bi_failures). */
/* Failed with `code`, a message of its own (not the sentinel, not "no error", not
 * just tg_strerror's text) containing `says` (any case) unless NULL, and nothing
 * changed: revision, store records, and the graph still verifies. */
void bi_refused(bi *c, int rc, int code, const char *says);
/* Answered `code` (a value the function documents as valid); the graph verifies. */
void bi_accepted(bi *c, int rc, int code);
/* A getter's answer: `ok` holds; nothing changed. */
void bi_returns(bi *c, int ok, const char *what);
/* A void function did nothing: nothing changed, and no message was set. */
void bi_noop(bi *c);
/* A valid void call: the graph still verifies. */
void bi_done(bi *c);
/* Any other condition about the call. */
void bi_check(bi *c, int ok, const char *what);
extern int bi_failures;

/* Whether this thread's message contains `text` (any case). */
int bi_message_says(bi *c, const char *text);

/* Values for the calls: strings owned by `c` (freed by bi_end). */
const char *bi_cat(bi *c, const char *a, const char *b);
const char *bi_cut(bi *c, const char *s, size_t n);     /* s without its last n bytes */
const char *bi_repeat(bi *c, char ch, size_t n);
const char *bi_repeat_utf8(bi *c, const char *seq, size_t n);
const char *bi_upper(bi *c, const char *s);
const char *bi_path(bi *c, const char *name);           /* in the test's scratch directory */
const char *bi_email(bi *c);                            /* c->inv's email, edited */
const char *bi_new_customer_user(bi *c);                /* a free name at C1's domain */
const char *bi_export(bi *c);                           /* the fixture as tg_export() gives it */
const char *bi_import_json_with(bi *c, const char *from, const char *to);

/* Objects a valid call takes over. */
void *bi_lib_string(bi *c);  /* text the library allocated (tg_partner_get) */
tg_store *bi_loose_store(bi *c);
tg_graph *bi_loose_graph(bi *c);
tg_session *bi_loose_session(bi *c);
tg_invite *bi_loose_invite(bi *c);
tg_draft *bi_loose_draft(bi *c);
tg_problems *bi_loose_problems(bi *c);
tg_receipt *bi_loose_receipt(bi *c);
tg_iter *bi_loose_iter(bi *c);
void bi_store_free(tg_store *s);
/* Stores the library must refuse (bi_begin made them; nothing to free). */
tg_store *bi_store_v0(bi *c);
tg_store *bi_store_no_load(bi *c);
tg_store *bi_store_no_commit(bi *c);
/* What follows from an accepted value. After the clock was set on c->g: an invitation
 * expires after it, sign-ins lock out, a customer with a subscription is made, and a
 * switch is refused for its term. A subscription `id` (C1's) reads back and exports. */
void bi_late_clock(bi *c);
void bi_read_subscription(bi *c, const char *id);
/* After a retention was set on c->g: a write, and the feed still reads from the start. */
void bi_feed_after_write(bi *c);
/* A change hook that does nothing. */
void TG_CALLBACK bi_hook(tg_graph *graph, uint64_t revision, const char *event, void *payload);

#endif
