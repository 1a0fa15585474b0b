/* sqlite_side.c - the SQLite baseline (see sqlite_side.h).
 *
 * The schema, as one would write it for these questions: every lookup the checks
 * and lists make is a primary key or an index, the tables that are only probed by
 * key are WITHOUT ROWID (clustered on their key), and every statement is prepared
 * once and reused. The database is a file with a page cache larger than it, so
 * that after loading every read is served from memory, as tiergraph's are.
 *
 *   partners(tenant PK, kind, pid UNIQUE)
 *   users(id PK, partner, roles)                 users_by_partner(partner)
 *   partnerships(provider, reseller, PK both)    partnerships_by_reseller(reseller)
 *   customers(id PK, seller, reseller)           customers_by_seller, customers_by_reseller
 *   dap(customer, partner, PK both)              dap_by_partner(partner)
 *   subscriptions(id PK, customer, seller, reseller_pid, support, status)
 *                                                subscriptions_by_customer(customer)
 *
 * A check is one statement that joins the user, its partner and the object, and
 * the same role matrix and visibility rules as tiergraph's (DOMAIN.md §2-§4)
 * applied to the row in C. */
#include "sqlite_side.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_USER, ST_CUSTOMER, ST_SUBSCRIPTION, ST_ACTIVE_SUBS, ST_LIST_CUSTOMERS,
       ST_LIST_SUBSCRIPTIONS, ST_COUNT };

static const char *const sql[ST_COUNT] = {
    [ST_USER] = "SELECT u.roles, p.kind, u.partner FROM users u JOIN partners p ON p.tenant = u.partner "
                "WHERE u.id = ?1",
    [ST_CUSTOMER] =
        "SELECT u.roles, p.kind, c.id IS NOT NULL, c.seller = u.partner, c.reseller = u.partner, "
        "EXISTS(SELECT 1 FROM dap d WHERE d.customer = ?2 AND d.partner = u.partner) "
        "FROM users u JOIN partners p ON p.tenant = u.partner "
        "LEFT JOIN customers c ON c.id = ?2 WHERE u.id = ?1",
    [ST_SUBSCRIPTION] =
        "SELECT u.roles, p.kind, s.id IS NOT NULL, "
        "c.seller = u.partner OR c.reseller = u.partner OR "
        "EXISTS(SELECT 1 FROM dap d WHERE d.customer = c.id AND d.partner = u.partner), "
        "s.seller = u.partner OR s.support = u.partner OR s.reseller_pid = p.pid OR "
        "(c.reseller = u.partner AND c.seller = s.seller) "
        "FROM users u JOIN partners p ON p.tenant = u.partner "
        "LEFT JOIN subscriptions s ON s.id = ?2 LEFT JOIN customers c ON c.id = s.customer "
        "WHERE u.id = ?1",
    [ST_ACTIVE_SUBS] = "SELECT EXISTS(SELECT 1 FROM subscriptions WHERE customer = ?1 AND status = 1)",
    [ST_LIST_CUSTOMERS] = "SELECT id FROM customers WHERE seller = ?1 UNION "
                          "SELECT id FROM customers WHERE reseller = ?1 UNION "
                          "SELECT customer FROM dap WHERE partner = ?1",
    [ST_LIST_SUBSCRIPTIONS] =
        "SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer "
        "JOIN partners p ON p.tenant = ?2 WHERE s.customer = ?1 AND "
        "(s.seller = ?2 OR s.support = ?2 OR s.reseller_pid = p.pid OR "
        "(c.reseller = ?2 AND c.seller = s.seller))",
};

struct bench_sq {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    char *ids; /* the list's copies, like a tg_iter's */
    size_t cap;
};

/* The role matrix of DOMAIN.md §2 for the actions the bench checks:
 * roles that may, and partner kinds (bit 1 << kind) it is open to. */
#define GA TG_ROLE_GLOBAL_ADMIN
#define UA TG_ROLE_USER_ADMIN
#define AA TG_ROLE_ADMIN_AGENT
#define SA TG_ROLE_SALES_AGENT
#define HA TG_ROLE_HELPDESK_AGENT
#define BA TG_ROLE_BILLING_ADMIN
#define ANY 0xe
#define SELLERS ((1u << TG_PARTNER_INDIRECT_PROVIDER) | (1u << TG_PARTNER_DIRECT_BILL))
static const struct { unsigned roles, kinds; } matrix[TG_ACT_LAST_ + 1] = {
    [TG_ACT_VIEW_PARTNERS] = {GA | UA | AA | SA, ANY},
    [TG_ACT_VIEW_CUSTOMER] = {GA | UA | AA | SA, ANY},
    [TG_ACT_ORDER_PLACE] = {GA | AA | SA | HA | BA, SELLERS},
    [TG_ACT_DELEGATED_ADMIN] = {AA, ANY},
    [TG_ACT_USERS_MANAGE] = {GA | UA, ANY},
    [TG_ACT_BILLING_VIEW] = {GA | AA | BA, ANY},
    [TG_ACT_CUSTOMER_REMOVE] = {GA | AA, SELLERS},
    [TG_ACT_VIEW_SUBSCRIPTION] = {GA | UA | AA | SA | HA | BA, ANY},
};

static int fail(bench_sq *q, const char *what)
{
    fprintf(stderr, "bench: sqlite: %s: %s\n", what, q->db ? sqlite3_errmsg(q->db) : "?");
    return -1;
}

static int exec(bench_sq *q, const char *s)
{
    return sqlite3_exec(q->db, s, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(q, s);
}

static int insert_partners_and_users(bench_sq *q, const bench_model *m)
{
    sqlite3_stmt *ip, *iu, *ips;
    if (sqlite3_prepare_v2(q->db, "INSERT INTO partners VALUES (?1, ?2, ?3)", -1, &ip, NULL) ||
        sqlite3_prepare_v2(q->db, "INSERT INTO users VALUES (?1, ?2, ?3)", -1, &iu, NULL) ||
        sqlite3_prepare_v2(q->db, "INSERT INTO partnerships VALUES (?1, ?2)", -1, &ips, NULL))
        return fail(q, "prepare");
    char a[64], b[64];
    int rc = 0;
    for (size_t p = 0; !rc && p < m->partners; p++) {
        bench_partner_tenant(a, p);
        bench_partner_pid(b, p);
        sqlite3_bind_text(ip, 1, a, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ip, 2, p < m->providers ? TG_PARTNER_INDIRECT_PROVIDER
                                                 : TG_PARTNER_INDIRECT_RESELLER);
        sqlite3_bind_text(ip, 3, b, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(ip) != SQLITE_DONE || sqlite3_reset(ip);
    }
    for (size_t u = 0; !rc && u < m->users; u++) {
        bench_user_id(a, m, u);
        bench_partner_tenant(b, bench_user_partner(m, u));
        sqlite3_bind_text(iu, 1, a, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(iu, 2, b, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(iu, 3, (int)bench_user_roles(m, u));
        rc = sqlite3_step(iu) != SQLITE_DONE || sqlite3_reset(iu);
    }
    for (size_t r = 0; !rc && r < m->resellers; r++) {
        size_t providers[2] = {r % m->providers, bench_second_provider(m, r)};
        for (int i = 0; !rc && i < 2 && providers[i] != SIZE_MAX; i++) {
            bench_partner_tenant(a, providers[i]);
            bench_partner_tenant(b, m->providers + r);
            sqlite3_bind_text(ips, 1, a, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ips, 2, b, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(ips) != SQLITE_DONE || sqlite3_reset(ips);
        }
    }
    sqlite3_finalize(ip);
    sqlite3_finalize(iu);
    sqlite3_finalize(ips);
    return rc ? fail(q, "insert partners") : 0;
}

static int insert_customers(bench_sq *q, const bench_model *m, const bench_ids *customers,
                            const bench_ids *subscriptions)
{
    sqlite3_stmt *ic, *id, *is;
    if (sqlite3_prepare_v2(q->db, "INSERT INTO customers VALUES (?1, ?2, ?3)", -1, &ic, NULL) ||
        sqlite3_prepare_v2(q->db, "INSERT INTO dap VALUES (?1, ?2)", -1, &id, NULL) ||
        sqlite3_prepare_v2(q->db, "INSERT INTO subscriptions VALUES (?1, ?2, ?3, ?4, ?5, 1)", -1,
                           &is, NULL))
        return fail(q, "prepare");
    char seller[64], reseller[64], pid[64];
    int rc = 0;
    for (size_t k = 0; !rc && k < m->customers; k++) {
        const char *cid = BENCH_ID(customers, k);
        bool has = m->reseller[k] != UINT32_MAX;
        bench_partner_tenant(seller, m->seller[k]);
        if (has) {
            bench_partner_tenant(reseller, m->reseller[k]);
            bench_partner_pid(pid, m->reseller[k]);
        }
        sqlite3_bind_text(ic, 1, cid, -1, SQLITE_STATIC);
        sqlite3_bind_text(ic, 2, seller, -1, SQLITE_STATIC);
        if (has)
            sqlite3_bind_text(ic, 3, reseller, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ic, 3);
        rc = sqlite3_step(ic) != SQLITE_DONE || sqlite3_reset(ic);
        /* Delegated admin: the seller, and the reseller it was associated with. */
        for (int i = 0; !rc && i < 1 + has; i++) {
            sqlite3_bind_text(id, 1, cid, -1, SQLITE_STATIC);
            sqlite3_bind_text(id, 2, i ? reseller : seller, -1, SQLITE_STATIC);
            rc = sqlite3_step(id) != SQLITE_DONE || sqlite3_reset(id);
        }
        for (uint32_t s = m->first_sub[k]; !rc && s < m->first_sub[k + 1]; s++) {
            sqlite3_bind_text(is, 1, BENCH_ID(subscriptions, s), -1, SQLITE_STATIC);
            sqlite3_bind_text(is, 2, cid, -1, SQLITE_STATIC);
            sqlite3_bind_text(is, 3, seller, -1, SQLITE_STATIC);
            if (has)
                sqlite3_bind_text(is, 4, pid, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(is, 4);
            sqlite3_bind_text(is, 5, seller, -1, SQLITE_STATIC);
            rc = sqlite3_step(is) != SQLITE_DONE || sqlite3_reset(is);
        }
    }
    sqlite3_finalize(ic);
    sqlite3_finalize(id);
    sqlite3_finalize(is);
    return rc ? fail(q, "insert customers") : 0;
}

bench_sq *bench_sq_build(const bench_model *m, const bench_ids *customers,
                         const bench_ids *subscriptions, const char *path)
{
    bench_sq *q = calloc(1, sizeof(*q));
    if (!q) return NULL;
    remove(path);
    if (sqlite3_open(path, &q->db) != SQLITE_OK) {
        fail(q, path);
        bench_sq_free(q);
        return NULL;
    }
    /* Loaded in bulk without a journal, as one would; served in WAL mode after. */
    int rc = exec(q, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                     "PRAGMA cache_size=-4000000; PRAGMA temp_store=MEMORY") ||
             exec(q, "CREATE TABLE partners(tenant TEXT PRIMARY KEY, kind INT NOT NULL, "
                     "pid TEXT NOT NULL UNIQUE) WITHOUT ROWID;"
                     "CREATE TABLE users(id TEXT PRIMARY KEY, partner TEXT NOT NULL, "
                     "roles INT NOT NULL) WITHOUT ROWID;"
                     "CREATE TABLE partnerships(provider TEXT, reseller TEXT, "
                     "PRIMARY KEY(provider, reseller)) WITHOUT ROWID;"
                     "CREATE TABLE customers(id TEXT PRIMARY KEY, seller TEXT NOT NULL, "
                     "reseller TEXT) WITHOUT ROWID;"
                     "CREATE TABLE dap(customer TEXT, partner TEXT, "
                     "PRIMARY KEY(customer, partner)) WITHOUT ROWID;"
                     "CREATE TABLE subscriptions(id TEXT PRIMARY KEY, customer TEXT NOT NULL, "
                     "seller TEXT, reseller_pid TEXT, support TEXT, status INT NOT NULL) "
                     "WITHOUT ROWID;") ||
             exec(q, "BEGIN") || insert_partners_and_users(q, m) ||
             insert_customers(q, m, customers, subscriptions) ||
             exec(q, "CREATE INDEX users_by_partner ON users(partner);"
                     "CREATE INDEX partnerships_by_reseller ON partnerships(reseller);"
                     "CREATE INDEX customers_by_seller ON customers(seller);"
                     "CREATE INDEX customers_by_reseller ON customers(reseller);"
                     "CREATE INDEX dap_by_partner ON dap(partner);"
                     "CREATE INDEX subscriptions_by_customer ON subscriptions(customer);") ||
             exec(q, "COMMIT") || exec(q, "ANALYZE") ||
             exec(q, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
    for (int i = 0; !rc && i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(q->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i], NULL))
            rc = fail(q, sql[i]);
    if (rc) {
        bench_sq_free(q);
        return NULL;
    }
    return q;
}

/* The role matrix, then the row's facts. */
static int decide(const bench_sq *q, tg_action action, sqlite3_stmt *st, bool object)
{
    (void)q;
    unsigned roles = (unsigned)sqlite3_column_int(st, 0);
    unsigned kind = (unsigned)sqlite3_column_int(st, 1);
    if (!(matrix[action].roles & roles) || !(matrix[action].kinds & (1u << kind))) return 0;
    if (!object) return 1;
    if (!sqlite3_column_int(st, 2)) return 0; /* no such object */
    if (action == TG_ACT_VIEW_SUBSCRIPTION)
        return sqlite3_column_int(st, 3) && sqlite3_column_int(st, 4);
    bool seller = sqlite3_column_int(st, 3), reseller = sqlite3_column_int(st, 4),
         dap = sqlite3_column_int(st, 5);
    if (!seller && !reseller && !dap) return 0; /* not visible */
    switch (action) {
    case TG_ACT_ORDER_PLACE: return seller;
    case TG_ACT_DELEGATED_ADMIN: return dap;
    case TG_ACT_CUSTOMER_REMOVE: return seller && sqlite3_column_type(st, 4) == SQLITE_NULL ? 2 : 0;
    default: return 1;
    }
}

int bench_sq_check(bench_sq *q, const char *user_id, tg_action action, const char *object)
{
    int which = !object ? ST_USER
                : action == TG_ACT_VIEW_SUBSCRIPTION ? ST_SUBSCRIPTION
                                                     : ST_CUSTOMER;
    sqlite3_stmt *st = q->st[which];
    sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
    if (object) sqlite3_bind_text(st, 2, object, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), answer = 0;
    if (rc == SQLITE_ROW) answer = decide(q, action, st, object != NULL);
    else if (rc != SQLITE_DONE) answer = -1;
    sqlite3_reset(st);
    if (answer == 2) { /* removal: only without a reseller and without active subscriptions */
        sqlite3_stmt *a = q->st[ST_ACTIVE_SUBS];
        sqlite3_bind_text(a, 1, object, -1, SQLITE_STATIC);
        answer = sqlite3_step(a) == SQLITE_ROW ? !sqlite3_column_int(a, 0) : -1;
        sqlite3_reset(a);
    }
    return answer;
}

/* Copy the first column of every row out, as a tg_iter holds its ids. */
static long copy_rows(bench_sq *q, sqlite3_stmt *st)
{
    long n = 0;
    size_t used = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0) + 1;
        if (used + len > q->cap) {
            size_t cap = q->cap ? 2 * q->cap : 1 << 16;
            while (cap < used + len) cap *= 2;
            char *p = realloc(q->ids, cap);
            if (!p) return -1;
            q->ids = p;
            q->cap = cap;
        }
        memcpy(q->ids + used, id, len);
        used += len;
        n++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* The partner (into tenant) of a user who may do `action`; 0, or -1 when it may not. */
static int user_partner(bench_sq *q, const char *user_id, tg_action action, char *tenant)
{
    sqlite3_stmt *st = q->st[ST_USER];
    sqlite3_bind_text(st, 1, user_id, -1, SQLITE_STATIC);
    bool ok = sqlite3_step(st) == SQLITE_ROW && decide(q, action, st, false) == 1;
    if (ok) snprintf(tenant, 64, "%s", (const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return ok ? 0 : -1;
}

long bench_sq_customers(bench_sq *q, const char *user_id)
{
    char tenant[64];
    if (user_partner(q, user_id, TG_ACT_VIEW_CUSTOMER, tenant)) return -1;
    sqlite3_stmt *st = q->st[ST_LIST_CUSTOMERS];
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    return copy_rows(q, st);
}

long bench_sq_subscriptions(bench_sq *q, const char *user_id, const char *customer_id)
{
    char tenant[64];
    /* The statement's conditions are the visibility rules of a subscription, which
     * only hold for partners that see its customer. */
    if (user_partner(q, user_id, TG_ACT_VIEW_SUBSCRIPTION, tenant)) return -1;
    sqlite3_stmt *st = q->st[ST_LIST_SUBSCRIPTIONS];
    sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
    return copy_rows(q, st);
}

void bench_sq_free(bench_sq *q)
{
    if (!q) return;
    for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(q->st[i]);
    sqlite3_close(q->db);
    free(q->ids);
    free(q);
}
