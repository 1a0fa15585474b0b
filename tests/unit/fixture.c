/* fixture.c - the standard graph of the unit tests (see fixture.h). */
#include <cjson/cJSON.h>

#include "fixture.h"
#include "fault_store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define MAX_SESSIONS 64

typedef struct fx_full {
    fx pub;
    char *names[MAX_SESSIONS];
    tg_session *sessions[MAX_SESSIONS];
    int n;
} fx_full;

static const char *roles[] = {"ga", "ua", "aa", "sa", "ha", "ba"};

static void enrol(fx *f, tg_partner_kind kind, const char *tenant, const char *pid,
                  const char *short_name, int sign)
{
    char domain[64], user[64];
    snprintf(domain, sizeof(domain), "%s.example", short_name);
    assert_int_equal(tg_partner_enroll(f->op, kind, tenant, pid, short_name, domain, "US"), TG_OK);
    if (sign) assert_int_equal(tg_partner_set_agreement(f->op, tenant, 1), TG_OK);
    for (int i = 0; i < 6; i++) {
        snprintf(user, sizeof(user), "%s@%s", roles[i], short_name);
        assert_int_equal(tg_user_add(f->op, tenant, user, 1u << i), TG_OK);
    }
}

fx *fx_adopt(tg_graph *g)
{
    fx_full *ff = calloc(1, sizeof(*ff));
    assert_non_null(ff);
    fx *f = &ff->pub;
    f->g = g;
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(f->g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
    assert_int_equal(tg_session_operator(&f->op, f->g), TG_OK);
    return f;
}

fx *fx_build(tg_store *store)
{
    tg_graph *g;
    assert_int_equal(tg_graph_open_store(&g, store), TG_OK);
    fx *f = fx_adopt(g);
    f->store = store;
    enrol(f, TG_PARTNER_INDIRECT_PROVIDER, P1, "1000001", "p1", 1);
    enrol(f, TG_PARTNER_INDIRECT_PROVIDER, P2, "1000002", "p2", 1);
    enrol(f, TG_PARTNER_INDIRECT_RESELLER, R1, R1_PID, "r1", 1);
    enrol(f, TG_PARTNER_INDIRECT_RESELLER, R2, R2_PID, "r2", 1);
    enrol(f, TG_PARTNER_INDIRECT_RESELLER, R3, R3_PID, "r3", 0);
    enrol(f, TG_PARTNER_DIRECT_BILL, D1, "3000001", "d1", 1);
    /* P1 <-> R1 */
    tg_invite *inv;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p1")), TG_OK);
    assert_int_equal(tg_partnership_accept(fx_user(f, "ga@r1"), tg_invite_link(inv)), TG_OK);
    tg_invite_free(inv);
    return f;
}

void fx_free(fx *f)
{
    fx_full *ff = (fx_full *)f;
    if (!ff) return;
    for (int i = 0; i < ff->n; i++) {
        tg_session_close(ff->sessions[i]);
        free(ff->names[i]);
    }
    tg_session_close(ff->pub.op);
    tg_graph_close(ff->pub.g);
    free(ff);
}

int fx_setup(void **state)
{
    tg_store *mem;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    tg_store *faulty = fault_store_new(mem);
    assert_non_null(faulty);
    *state = fx_build(faulty);
    return 0;
}

int fx_teardown(void **state)
{
    fx_free(*state);
    return 0;
}

tg_session *fx_user(fx *f, const char *user_id)
{
    fx_full *ff = (fx_full *)f;
    for (int i = 0; i < ff->n; i++)
        if (strcmp(ff->names[i], user_id) == 0) return ff->sessions[i];
    assert_true(ff->n < MAX_SESSIONS);
    assert_int_equal(tg_session_user(&ff->sessions[ff->n], f->g, user_id), TG_OK);
    ff->names[ff->n] = strdup(user_id);
    return ff->sessions[ff->n++];
}

void fx_fill_draft(tg_draft *d, const char *prefix)
{
    char company[96];
    snprintf(company, sizeof(company), "Company %s", prefix);
    assert_int_equal(tg_draft_set(d, TG_FIELD_COMPANY_NAME, company), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_DOMAIN_PREFIX, prefix), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_EMAIL, "billing@customer.example"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_CULTURE, "en-US"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_LANGUAGE, "en"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_ADDRESS_LINE1, "1 Main Street"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_CITY, "Redmond"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_STATE, "WA"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_POSTAL_CODE, "98052"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_COUNTRY, "US"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_FIRST_NAME, "Gena"), TG_OK);
    assert_int_equal(tg_draft_set(d, TG_FIELD_LAST_NAME, "Soto"), TG_OK);
}

tg_receipt *fx_customer_receipt(fx *f, const char *user, const char *prefix,
                                const char *reseller, int nsubs)
{
    tg_draft *d;
    tg_receipt *r;
    assert_int_equal(tg_draft_new(&d, fx_user(f, user)), TG_OK);
    fx_fill_draft(d, prefix);
    if (reseller) assert_int_equal(tg_draft_set(d, TG_FIELD_RESELLER, reseller), TG_OK);
    for (int i = 0; i < nsubs; i++)
        assert_int_equal(tg_draft_add_subscription(d, "offer-e3", i + 1), TG_OK);
    int rc = tg_draft_submit(&r, d);
    if (rc) fail_msg("submit: %s", tg_error_message());
    tg_draft_free(d);
    return r;
}

const char *fx_customer(fx *f, const char *user, const char *prefix, const char *reseller,
                        int nsubs)
{
    static char id[64];
    tg_receipt *r = fx_customer_receipt(f, user, prefix, reseller, nsubs);
    snprintf(id, sizeof(id), "%s", tg_receipt_customer_id(r));
    tg_receipt_free(r);
    return id;
}

typedef struct text {
    char *p;
    size_t len;
} text;

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    t->p = realloc(t->p, t->len + (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of an iterator, sorted (lists promise no order), NULL-terminated; frees it. */
static char **sorted_ids(tg_iter *it)
{
    size_t n = it ? tg_iter_count(it) : 0, i = 0;
    char **ids = calloc(n + 1, sizeof(char *));
    const char *id;
    while (it && i < n && tg_iter_next(it, &id) == TG_OK) ids[i++] = strdup(id);
    tg_iter_free(it);
    qsort(ids, i, sizeof(char *), by_text);
    return ids;
}

static void free_ids(char **ids)
{
    for (char **p = ids; *p; p++) free(*p);
    free(ids);
}

static void add_list(text *t, const char *title, int rc, tg_iter *it)
{
    char **ids = sorted_ids(it);
    add(t, "%s rc=%d:", title, rc);
    for (char **p = ids; *p; p++) add(t, " %s", *p);
    add(t, "\n");
    free_ids(ids);
}

char *fx_state(fx *f)
{
    static const char *admins[] = {"ga@p1", "ga@p2", "ga@r1", "ga@r2", "ga@r3", "ga@d1"};
    static const char *tenants[] = {P1, P2, R1, R2, R3, D1};
    text t = {0};
    tg_iter *it;
    int rc;
    add(&t, "revision %llu\n", (unsigned long long)tg_graph_revision(f->g));
    for (int i = 0; i < 6; i++) {
        tg_session *s = fx_user(f, admins[i]);
        add(&t, "== %s\n", admins[i]);
        rc = tg_resellers(&it, s);
        add_list(&t, "resellers", rc, it);
        rc = tg_providers(&it, s);
        add_list(&t, "providers", rc, it);
        rc = tg_users(&it, s, tenants[i]);
        add_list(&t, "users", rc, it);
        char *json = NULL;
        rc = tg_partner_get(&json, s, tenants[i]);
        add(&t, "partner rc=%d %s\n", rc, json ? json : "");
        tg_free(json);
        rc = tg_customers(&it, s, NULL);
        char **cids = sorted_ids(rc == TG_OK ? it : NULL);
        for (char **c = cids; *c; c++) {
            json = NULL;
            tg_customer_get(&json, s, *c);
            add(&t, "customer %s\n", json ? json : "?");
            tg_free(json);
            tg_iter *subs = NULL;
            int src = tg_subscriptions(&subs, s, *c);
            char **sids = sorted_ids(src == TG_OK ? subs : NULL);
            for (char **sid = sids; *sid; sid++) {
                json = NULL;
                tg_subscription_get(&json, s, *sid);
                add(&t, "  subscription %s\n", json ? json : "?");
                tg_free(json);
            }
            free_ids(sids);
        }
        free_ids(cids);
    }
    return t.p;
}

typedef struct dump {
    char **rows;
    size_t n;
} dump;

static int collect(void *ctx, const char *key, size_t klen, const void *val, size_t vlen)
{
    dump *d = ctx;
    d->rows = realloc(d->rows, (d->n + 1) * sizeof(char *));
    size_t len = klen + vlen + 2;
    char *row = malloc(len + 1);
    memcpy(row, key, klen);
    row[klen] = '=';
    memcpy(row + klen + 1, val, vlen);
    row[klen + 1 + vlen] = '\n';
    row[klen + 2 + vlen] = '\0';
    d->rows[d->n++] = row;
    return 0;
}

static char *store_text(fx *f, int with_events)
{
    dump d = {0};
    assert_int_equal(f->store->load(f->store, collect, &d), 0);
    if (d.n) qsort(d.rows, d.n, sizeof(char *), by_text); /* qsort(NULL, 0) is undefined */
    size_t kept = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (!with_events && strncmp(d.rows[i], "event/", 6) == 0) {
            free(d.rows[i]);
            continue;
        }
        d.rows[kept++] = d.rows[i];
    }
    text t = {0};
    add(&t, "%zu records\n", kept);
    for (size_t i = 0; i < kept; i++) {
        add(&t, "%s", d.rows[i]);
        free(d.rows[i]);
    }
    free(d.rows);
    return t.p;
}

char *fx_store_dump(fx *f)
{
    return store_text(f, 1);
}

char *fx_store_records(fx *f)
{
    return store_text(f, 0);
}

size_t fx_count(tg_iter *it)
{
    size_t n = tg_iter_count(it);
    tg_iter_free(it);
    return n;
}

int fx_has(tg_iter *it, const char *id)
{
    const char *x;
    int found = 0;
    while (tg_iter_next(it, &x) == TG_OK)
        if (strcmp(x, id) == 0) found = 1;
    tg_iter_free(it);
    return found;
}

const cJSON *fx_json_at(const cJSON *root, const char *path)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    const cJSON *o = root;
    for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
        o = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
    return o;
}

const char *fx_json_str(const cJSON *root, const char *path)
{
    const cJSON *o = fx_json_at(root, path);
    if (!cJSON_IsString(o)) fail_msg("\"%s\" is missing or not a string", path);
    return o->valuestring;
}
