/* badinput.c - the bad-input test (issue 8; docs/hardening.md, "Bad input").
 *
 * Every public function of include/tiergraph.h and include/tiergraph/store.h is
 * called with each of its parameters hostile in turn (NULL, empty, 1 MiB, invalid
 * UTF-8, control characters, malformed GUIDs and PartnerIDs, enumerators and counts
 * out of range, handles the library can tell are used up) and every other parameter
 * valid, each call on a fresh standard graph (tests/unit/fixture.h). The calls and
 * the answer each must give are generated from the headers by gen_badinput.py, so a
 * new function or parameter cannot be forgotten: it fails this test until it has an
 * entry. Run in the asan preset, LeakSanitizer also fails it on any leak.
 *
 *   test_badinput              every function, then the coverage count
 *   test_badinput --coverage   the coverage count only
 *   BADINPUT_ONLY=tg_user_add test_badinput    one function (a cmocka filter)
 *
 * Not covered, because the library cannot detect it and the call is undefined
 * behaviour (tiergraph.h says which handle must outlive which): a handle used after
 * its free function (tg_invite_free, tg_draft_free, tg_receipt_free, tg_iter_free,
 * tg_problems_free, tg_session_close, tg_graph_close), a session or draft used after
 * its graph was closed, a draft used after its session was closed, a tg_store that
 * is not a tg_store, strings that are not NUL-terminated, and pointers that point
 * nowhere. What the library does detect is tested: a session whose user was removed
 * (TG_EDENIED), a customer's session whose customer was removed (TG_EDENIED), a draft
 * submitted or cancelled (TG_ESTATE) or made by a user since removed (TG_EDENIED), an
 * invitation link used or expired, a receipt's password read twice, an iterator read
 * to its end. */
#define _GNU_SOURCE /* strcasestr */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "badinput.h"
#include "fault_store.h"
#include "tmpdir.h"
#include "util/error.h"

#define SENTINEL "bad input test: no message was set by this call"

char bi_poison_byte;
const char *bi_mib, *bi_over, *bi_import_json;
int bi_failures;
static size_t calls_made;
static char *scratch_dir;

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

static void report(bi *c, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (c->param[0])
        print_error("FAIL %s(%s = %s): %s\n", c->fn, c->param, c->label, what);
    else
        print_error("FAIL %s(%s): %s\n", c->fn, c->label, what);
    bi_failures++;
}

static const char *code_name(int code)
{
    static const char *names[] = {"TG_OK", "TG_ERROR", "TG_ENOMEM", "TG_EINVAL", "TG_ENOTFOUND",
                                  "TG_EEXISTS", "TG_EDENIED", "TG_ESTATE", "TG_ECONFIRM",
                                  "TG_EEXPIRED", "TG_EIO", "TG_ECORRUPT", "TG_EBUSY",
                                  "TG_EVERSION", "TG_ITEROVER", "TG_EPASSWORD_CHANGE",
                                  "TG_ELOCKED"};
    return code <= 0 && code > -(int)(sizeof(names) / sizeof(names[0])) ? names[-code] : "(unknown)";
}

/* ------------------------------------------------------------------ */
/* The state a call must not change                                    */
/* ------------------------------------------------------------------ */

static char *file_graph_dump(bi *c)
{
    fx view = {.g = c->fg, .store = c->fstore};
    return fx_store_dump(&view);
}

static void snapshot(bi *c)
{
    c->rev = tg_graph_revision(c->g);
    c->dump = fx_store_dump(c->f);
    if (c->fg) {
        c->frev = tg_graph_revision(c->fg);
        c->fdump = file_graph_dump(c);
    }
}

static void check_verifies(bi *c)
{
    char msg[512];
    int rc = tg_graph_verify(c->g);
    if (rc != TG_OK) {
        snprintf(msg, sizeof(msg), "%s", tg_error_message());
        report(c, "the graph no longer verifies: %s (%s)", code_name(rc), msg);
    }
}

static void check_unchanged(bi *c)
{
    uint64_t rev = tg_graph_revision(c->g);
    if (rev != c->rev)
        report(c, "the revision moved from %llu to %llu", (unsigned long long)c->rev,
               (unsigned long long)rev);
    char *dump = fx_store_dump(c->f);
    if (strcmp(dump, c->dump) != 0) report(c, "the store's records changed");
    free(dump);
    if (c->fg) {
        if (tg_graph_revision(c->fg) != c->frev) report(c, "the file graph's revision moved");
        dump = file_graph_dump(c);
        if (strcmp(dump, c->fdump) != 0) report(c, "the file store's records changed");
        free(dump);
    }
    check_verifies(c);
}

/* ------------------------------------------------------------------ */
/* The checks                                                          */
/* ------------------------------------------------------------------ */

int bi_message_says(bi *c, const char *text)
{
    (void)c;
    return strcasestr(tg_error_message(), text) != NULL;
}

void bi_refused(bi *c, int rc, int code, const char *says)
{
    char msg[600];
    snprintf(msg, sizeof(msg), "%s", tg_error_message());
    if (rc != code)
        report(c, "expected %s, got %s (message: %s)", code_name(code), code_name(rc), msg);
    if (strcmp(msg, SENTINEL) == 0)
        report(c, "no message was set");
    else if (strcmp(msg, "no error") == 0 || strlen(msg) < 10 ||
             strcmp(msg, tg_strerror(code)) == 0 || strcmp(msg, tg_strerror(rc)) == 0)
        report(c, "the message is not specific: '%s'", msg);
    else if (says && !strcasestr(msg, says))
        report(c, "the message '%s' does not say '%s'", msg, says);
    check_unchanged(c);
}

void bi_accepted(bi *c, int rc, int code)
{
    if (rc != code)
        report(c, "expected %s, got %s (message: %s)", code_name(code), code_name(rc),
               tg_error_message());
    check_verifies(c);
}

void bi_returns(bi *c, int ok, const char *what)
{
    if (!ok) report(c, "expected %s", what);
    check_unchanged(c);
}

void bi_noop(bi *c)
{
    if (strcmp(tg_error_message(), SENTINEL) != 0)
        report(c, "a no-op set the message '%s'", tg_error_message());
    check_unchanged(c);
}

void bi_done(bi *c)
{
    check_verifies(c);
}

void bi_check(bi *c, int ok, const char *what)
{
    if (!ok) report(c, "expected %s", what);
}

/* ------------------------------------------------------------------ */
/* The fixture of one call                                             */
/* ------------------------------------------------------------------ */

#define OK(call) \
    do { \
        int rc_ = (call); \
        if (rc_ != TG_OK) fail_msg("fixture: %s: %d (%s)", #call, rc_, tg_error_message()); \
    } while (0)

/* A customer of P1's (by ga@p1) whose admin changed the temporary password to
 * BI_PASSWORD and signed in; the receipt is kept when `keep` is given. */
static void customer(bi *c, const char *prefix, const char *reseller, int nsubs, char *id,
                     char *admin, size_t admin_len, tg_session **session, tg_receipt **keep)
{
    tg_receipt *r = fx_customer_receipt(c->f, "ga@p1", prefix, reseller, nsubs);
    snprintf(id, 40, "%s", tg_receipt_customer_id(r));
    snprintf(admin, admin_len, "%s", tg_receipt_admin_user(r));
    char temp[128];
    snprintf(temp, sizeof(temp), "%s", tg_receipt_password(r));
    if (nsubs) snprintf(c->s1, sizeof(c->s1), "%s", tg_receipt_subscription_id(r, 0));
    if (keep)
        *keep = r;
    else
        tg_receipt_free(r);
    OK(tg_customer_change_password(c->g, admin, temp, BI_PASSWORD));
    OK(tg_session_customer(session, c->g, admin, BI_PASSWORD));
}

static tg_session *user(bi *c, const char *id)
{
    return fx_user(c->f, id);
}

/* The requests: an open partnership request, a used one, an expired one, and a
 * relationship request to C1. */
static void requests(bi *c)
{
    tg_invite *inv;
    OK(tg_invite_create(&c->inv, c->ga_p2));
    c->inv_link = tg_invite_link(c->inv);
    OK(tg_invite_create(&inv, c->ga_p2));
    snprintf(c->used_link, sizeof(c->used_link), "%s", tg_invite_link(inv));
    tg_invite_free(inv);
    OK(tg_partnership_accept(c->ga_r1, c->used_link));
    OK(tg_graph_set_option(c->g, TG_OPT_CLOCK, 1000000000)); /* 2001: long gone */
    OK(tg_invite_create(&inv, c->ga_p2));
    snprintf(c->expired_link, sizeof(c->expired_link), "%s", tg_invite_link(inv));
    tg_invite_free(inv);
    OK(tg_graph_set_option(c->g, TG_OPT_CLOCK, 0));
    OK(tg_relationship_request(&c->rel, c->ga_p2, c->c1));
    c->rel_link = tg_invite_link(c->rel);
}

static void drafts(bi *c)
{
    OK(tg_draft_new(&c->draft, c->ga_p1));
    fx_fill_draft(c->draft, "bidraft");
    OK(tg_draft_new(&c->draft_submitted, c->ga_p1));
    fx_fill_draft(c->draft_submitted, "bisubmitted");
    OK(tg_draft_add_subscription(c->draft_submitted, "offer-e3", 2));
    OK(tg_draft_submit(&c->receipt, c->draft_submitted));
    OK(tg_draft_new(&c->draft_cancelled, c->ga_p1));
    OK(tg_draft_cancel(c->draft_cancelled));
    OK(tg_draft_new(&c->draft_bad, c->ga_p1));
    assert_int_equal(tg_draft_review(&c->problems, c->draft_bad), TG_EINVAL);
    assert_true(tg_problems_count(c->problems) > 0);
}

static int TG_CALLBACK dummy_load(tg_store *s, tg_store_emit emit, void *ctx)
{
    (void)s, (void)emit, (void)ctx;
    return 0;
}
static int TG_CALLBACK dummy_op(tg_store *s)
{
    (void)s;
    return 0;
}
static int TG_CALLBACK dummy_put(tg_store *s, const char *k, size_t kl, const void *v, size_t vl)
{
    (void)s, (void)k, (void)kl, (void)v, (void)vl;
    return 0;
}
static int TG_CALLBACK dummy_del(tg_store *s, const char *k, size_t kl)
{
    (void)s, (void)k, (void)kl;
    return 0;
}

/* A complete store of version 2 that stores nothing (nothing to free). */
static void dummy_store(tg_store *s)
{
    *s = (tg_store)TG_STORE_INIT;
    s->load = dummy_load;
    s->begin = s->commit = s->rollback = dummy_op;
    s->put = dummy_put;
    s->del = dummy_del;
}

bi *bi_begin(const char *fn, const char *param, const char *label, int flags)
{
    bi *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    c->fn = fn;
    c->param = param;
    c->label = label;
    tg_store *mem;
    OK(tg_store_mem_new(&mem));
    c->f = fx_build(fault_store_new(mem));
    c->g = c->f->g;
    c->op = c->f->op;
    c->ga_p1 = user(c, "ga@p1");
    c->sa_p1 = user(c, "sa@p1");
    c->ha_p1 = user(c, "ha@p1");
    c->ga_p2 = user(c, "ga@p2");
    c->ga_r1 = user(c, "ga@r1");
    c->ga_r2 = user(c, "ga@r2");

    /* A user who made a draft, then was removed. */
    OK(tg_user_add(c->op, P1, "gone@p1", TG_ROLE_GLOBAL_ADMIN));
    OK(tg_session_user(&c->gone, c->g, "gone@p1"));
    OK(tg_draft_new(&c->draft_orphan, c->gone));
    fx_fill_draft(c->draft_orphan, "biorphan");
    OK(tg_user_remove(c->op, "gone@p1"));

    /* C1, its users and its subscriptions; C2; a third customer, removed. */
    customer(c, "bic1", R1, 1, c->c1, c->c1_admin, sizeof(c->c1_admin), &c->cust, NULL);
    snprintf(c->c1_domain, sizeof(c->c1_domain), "bic1.onmicrosoft.com");
    char name[128];
    snprintf(name, sizeof(name), "user@%s", c->c1_domain);
    OK(tg_customer_user_add(c->cust, name, "Us3r-Passw0rd", 0));
    OK(tg_customer_change_password(c->g, name, "Us3r-Passw0rd", BI_PASSWORD));
    OK(tg_session_customer(&c->cust_user, c->g, name, BI_PASSWORD));
    char *id;
    OK(tg_subscription_record(&id, c->cust, TG_CHANNEL_EA, "offer-ea", 10, 0));
    snprintf(c->s_ea, sizeof(c->s_ea), "%s", id);
    tg_free(id);
    char c2_admin[128], c3[40];
    customer(c, "bic2", NULL, 0, c->c2, c2_admin, sizeof(c2_admin), &c->cust2, NULL);
    customer(c, "bic3", NULL, 0, c3, c->gone_cust_admin, sizeof(c->gone_cust_admin),
             &c->gone_cust, &c->receipt_shown);
    OK(tg_customer_remove(c->ga_p1, c3));

    requests(c);
    drafts(c);
    const char *item;
    OK(tg_partners(&c->iter, c->op, TG_PARTNER_INDIRECT_PROVIDER));
    OK(tg_partners(&c->iter_done, c->op, TG_PARTNER_INDIRECT_PROVIDER));
    while (tg_iter_next(c->iter_done, &item) == TG_OK) continue;
    dummy_store(&c->scratch_store);

    if (flags & BI_FILE) {
        const char *path = bi_path(c, "file-graph.tg");
        unlink(path);
        OK(tg_store_file_new(&c->fstore, path));
        OK(tg_graph_open_store(&c->fg, c->fstore));
        OK(tg_graph_set_option(c->fg, TG_OPT_DURABILITY, TG_DURABILITY_OFF));
    }
    snapshot(c);
    tg__err(TG_OK, "%s", SENTINEL);
    return c;
}

void bi_end(bi *c)
{
    calls_made++;
    tg_draft_free(c->draft);
    tg_draft_free(c->draft_submitted);
    tg_draft_free(c->draft_cancelled);
    tg_draft_free(c->draft_orphan);
    tg_draft_free(c->draft_bad);
    tg_problems_free(c->problems);
    tg_receipt_free(c->receipt);
    tg_receipt_free(c->receipt_shown);
    tg_invite_free(c->inv);
    tg_invite_free(c->rel);
    tg_iter_free(c->iter);
    tg_iter_free(c->iter_done);
    tg_session_close(c->gone);
    tg_session_close(c->cust);
    tg_session_close(c->cust_user);
    tg_session_close(c->cust2);
    tg_session_close(c->gone_cust);
    if (c->loose_store) c->loose_store->free(c->loose_store);
    fx_free(c->f);
    tg_graph_close(c->fg);
    for (size_t i = 0; i < c->nstrings; i++) free(c->strings[i]);
    free(c->strings);
    free(c->dump);
    free(c->fdump);
    free(c);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

static const char *keep(bi *c, char *s)
{
    assert_non_null(s);
    c->strings = realloc(c->strings, (c->nstrings + 1) * sizeof(char *));
    assert_non_null(c->strings);
    c->strings[c->nstrings++] = s;
    return s;
}

const char *bi_cat(bi *c, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    assert_non_null(s);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return keep(c, s);
}

const char *bi_cut(bi *c, const char *s, size_t n)
{
    size_t len = strlen(s);
    return keep(c, strndup(s, len > n ? len - n : 0));
}

const char *bi_repeat(bi *c, char ch, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, ch, n);
    s[n] = '\0';
    return keep(c, s);
}

const char *bi_repeat_utf8(bi *c, const char *seq, size_t n)
{
    size_t len = strlen(seq);
    char *s = malloc(n * len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) memcpy(s + i * len, seq, len);
    s[n * len] = '\0';
    return keep(c, s);
}

const char *bi_upper(bi *c, const char *s)
{
    char *u = strdup(s);
    assert_non_null(u);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    return keep(c, u);
}

const char *bi_path(bi *c, const char *name)
{
    return bi_cat(c, bi_cat(c, scratch_dir, "/"), name);
}

const char *bi_email(bi *c)
{
    return bi_cat(c, tg_invite_email(c->inv), "\nRegards,\nPartner Two\n");
}

const char *bi_new_customer_user(bi *c)
{
    return bi_cat(c, "bob@", c->c1_domain);
}

const char *bi_export(bi *c)
{
    char *json;
    OK(tg_export(&json, c->op));
    const char *copy = keep(c, strdup(json));
    tg_free(json);
    return copy;
}

const char *bi_import_json_with(bi *c, const char *from, const char *to)
{
    const char *doc = bi_import_json;
    size_t lf = strlen(from), lt = strlen(to), n = 0;
    for (const char *p = strstr(doc, from); p; p = strstr(p + lf, from)) n++;
    assert_true(n > 0);
    char *s = malloc(strlen(doc) + n * lt + 1), *o = s;
    assert_non_null(s);
    for (const char *p = doc, *hit; (hit = strstr(p, from)) != NULL || *p; p = hit + lf) {
        if (!hit) {
            strcpy(o, p);
            o += strlen(p);
            break;
        }
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, to, lt);
        o += lt;
    }
    *o = '\0';
    return keep(c, s);
}

void *bi_lib_string(bi *c)
{
    char *json;
    OK(tg_partner_get(&json, c->op, P1));
    return json;
}

tg_store *bi_loose_store(bi *c)
{
    OK(tg_store_mem_new(&c->loose_store));
    return c->loose_store;
}

tg_graph *bi_loose_graph(bi *c)
{
    (void)c;
    tg_graph *g;
    OK(tg_graph_open(&g, "mem:"));
    return g;
}

tg_session *bi_loose_session(bi *c)
{
    tg_session *s;
    OK(tg_session_operator(&s, c->g));
    return s;
}

tg_invite *bi_loose_invite(bi *c)
{
    tg_invite *inv;
    OK(tg_invite_create(&inv, c->ga_p1));
    return inv;
}

tg_draft *bi_loose_draft(bi *c)
{
    tg_draft *d;
    OK(tg_draft_new(&d, c->ga_p1));
    fx_fill_draft(d, "biloose");
    return d;
}

tg_problems *bi_loose_problems(bi *c)
{
    tg_problems *p;
    assert_int_equal(tg_draft_review(&p, c->draft_bad), TG_EINVAL);
    return p;
}

tg_receipt *bi_loose_receipt(bi *c)
{
    tg_receipt *r = c->receipt;
    c->receipt = NULL;
    return r;
}

tg_iter *bi_loose_iter(bi *c)
{
    tg_iter *it;
    OK(tg_partners(&it, c->op, TG_PARTNER_INDIRECT_PROVIDER));
    return it;
}

void bi_store_free(tg_store *s)
{
    if (s) s->free(s);
}

tg_store *bi_store_v0(bi *c)
{
    dummy_store(&c->bad_store);
    c->bad_store.version = 0;
    return &c->bad_store;
}

tg_store *bi_store_no_load(bi *c)
{
    dummy_store(&c->bad_store);
    c->bad_store.load = NULL;
    return &c->bad_store;
}

tg_store *bi_store_no_commit(bi *c)
{
    dummy_store(&c->bad_store);
    c->bad_store.commit = NULL;
    return &c->bad_store;
}

void bi_late_clock(bi *c)
{
    int64_t now = 253402300799; /* what the call set */
    tg_invite *inv = NULL;
    int rc = tg_invite_create(&inv, c->ga_p1);
    bi_check(c, rc == TG_OK && tg_invite_expires(inv) > now, "an invitation expiring after the clock");
    tg_invite_free(inv);
    for (int i = 0; i < 5; i++)
        bi_check(c, tg_customer_verify_password(c->op, c->c1_admin, "Wrong-Passw0rd") == TG_EDENIED,
                 "a wrong password refused");
    tg_session *s = NULL;
    bi_check(c, tg_session_customer(&s, c->g, c->c1_admin, BI_PASSWORD) == TG_ELOCKED,
             "a sign-in locked out after 5 failures");
    tg_session_close(s);
    tg_receipt *r = NULL;
    rc = tg_draft_add_subscription(c->draft, "offer-late", 1);
    if (rc == TG_OK) rc = tg_draft_submit(&r, c->draft);
    bi_check(c, rc == TG_OK, "a customer and its subscription created at the clock");
    if (r) {
        char *json = NULL;
        bi_check(c, tg_subscription_get(&json, c->ga_p1, tg_receipt_subscription_id(r, 0)) == TG_OK,
                 "its subscription read back");
        tg_free(json);
        tg_receipt_free(r);
    }
    bi_check(c, tg_subscription_move(c->cust, c->s1, P2) == TG_ESTATE, "a switch refused");
}

void bi_read_subscription(bi *c, const char *id)
{
    char *json = NULL;
    bi_check(c, tg_subscription_get(&json, c->cust, id) == TG_OK, "the subscription read back");
    tg_free(json);
    json = NULL;
    bi_check(c, tg_export(&json, c->op) == TG_OK, "the graph exported");
    tg_free(json);
}

void bi_feed_after_write(bi *c)
{
    bi_check(c, tg_partner_set_agreement(c->op, R3, 1) == TG_OK, "a write");
    tg_iter *it = NULL;
    bi_check(c, tg_changes(&it, c->op, 0, 0) == TG_OK && tg_iter_count(it) == tg_graph_revision(c->g),
             "every event still listed");
    tg_iter_free(it);
}

void TG_CALLBACK bi_hook(tg_graph *graph, uint64_t revision, const char *event, void *payload)
{
    (void)graph, (void)revision, (void)event, (void)payload;
}

/* ------------------------------------------------------------------ */
/* The tests                                                           */
/* ------------------------------------------------------------------ */

static char *make_string(size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, 'x', n);
    s[n] = '\0';
    return s;
}

/* tg_import's valid document: the export of a graph that has just N9 and its user. */
static char *make_import_json(void)
{
    tg_graph *g;
    tg_session *op;
    char *json;
    OK(tg_graph_open(&g, "mem:"));
    OK(tg_session_operator(&op, g));
    OK(tg_partner_enroll(op, TG_PARTNER_INDIRECT_RESELLER, N9, N9_PID, "Ninth Reseller",
                         "n9.example", "US"));
    OK(tg_user_add(op, N9, "ga@n9", TG_ROLE_GLOBAL_ADMIN));
    OK(tg_export(&json, op));
    tg_session_close(op);
    tg_graph_close(g);
    char *copy = strdup(json);
    tg_free(json);
    return copy;
}

static int group_setup(void **state)
{
    (void)state;
    bi_mib = make_string(1u << 20);
    bi_over = make_string(4097);
    bi_import_json = make_import_json();
    scratch_dir = tmpdir_new();
    /* A relative path a hostile value makes lands here, not in the build tree. */
    if (chdir(scratch_dir) != 0) return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free((char *)bi_mib);
    free((char *)bi_over);
    free((char *)bi_import_json);
    tmpdir_remove(scratch_dir);
    print_message("bad input: %zu calls\n", calls_made);
    return 0;
}

static void exercise(void **state)
{
    const bi_function *f = *state;
    if (!f->run) fail_msg("%s (%s) is not exercised: %s", f->name, f->header, f->why);
    int before = bi_failures;
    int calls = f->run();
    if (bi_failures != before)
        fail_msg("%s: %d wrong answer(s) in %d calls (above)", f->name, bi_failures - before, calls);
}

/* The TG_API declarations of a header, counted here as abi.version_script counts
 * them (a line that starts with TG_API), independently of gen_badinput.py. */
static int declared(const char *header)
{
    char path[4096], line[4096];
    snprintf(path, sizeof(path), "%s/%s", TG_SOURCE_DIR, header);
    FILE *fp = fopen(path, "r");
    if (!fp) fail_msg("cannot read %s", path);
    int n = 0;
    while (fgets(line, sizeof(line), fp)) {
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (strncmp(p, "TG_API", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) n++;
    }
    fclose(fp);
    return n;
}

/* Every function of each header is exercised: "bad input: N/N functions of H". */
static void coverage(void **state)
{
    (void)state;
    static const char *headers[] = {"include/tiergraph.h", "include/tiergraph/store.h"};
    int ok = 1;
    for (size_t h = 0; h < sizeof(headers) / sizeof(headers[0]); h++) {
        int total = 0, exercised = 0;
        for (size_t i = 0; i < bi_nfunctions; i++) {
            if (strcmp(bi_functions[i].header, headers[h]) != 0) continue;
            total++;
            if (bi_functions[i].run)
                exercised++;
            else
                print_error("not exercised: %s: %s\n", bi_functions[i].name, bi_functions[i].why);
        }
        int decl = declared(headers[h]);
        print_message("bad input: %d/%d functions of %s\n", exercised, decl, headers[h]);
        if (total != decl) {
            print_error("%s declares %d TG_API functions; gen_badinput.py read %d\n", headers[h],
                        decl, total);
            ok = 0;
        }
        if (exercised != decl) ok = 0;
    }
    assert_true(ok);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--coverage") == 0) {
        const struct CMUnitTest only[] = {cmocka_unit_test(coverage)};
        return cmocka_run_group_tests_name("badinput coverage", only, NULL, NULL);
    }
    struct CMUnitTest *tests = calloc(bi_nfunctions + 1, sizeof(*tests));
    assert_non_null(tests);
    for (size_t i = 0; i < bi_nfunctions; i++)
        tests[i] = (struct CMUnitTest){.name = bi_functions[i].name,
                                       .test_func = exercise,
                                       .initial_state = (void *)&bi_functions[i]};
    tests[bi_nfunctions] = (struct CMUnitTest){.name = "coverage", .test_func = coverage};
    const char *only = getenv("BADINPUT_ONLY");
    if (only && *only) cmocka_set_test_filter(only);
    int failed = _cmocka_run_group_tests("badinput", tests, bi_nfunctions + 1, group_setup,
                                         group_teardown);
    free(tests);
    return failed;
}
