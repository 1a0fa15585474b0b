/* customer_fx.h - what test_signin.c and test_multipartner.c share on top of the
 * fixture: a customer with its one-time credentials, a customer's signed-in
 * session, and a reload that opens a second graph over a copy of the store, as a
 * restart would. Include after <cmocka.h> and "fixture.h". */
#ifndef CUSTOMER_FX_H
#define CUSTOMER_FX_H

#include <stdio.h>
#include <string.h>

#define T0 1700000000 /* a fixed clock: 2023-11-14 22:13:20 UTC */
#define NEW_PASSWORD "Tiergraph-2024"

/* A customer made through the draft, with what its receipt showed once. */
typedef struct cust {
    char id[64];
    char admin[128];
    char password[64]; /* the temporary password */
    char sub[64];      /* its first subscription, if any */
} cust;

static inline void cust_make(fx *f, cust *c, const char *user, const char *prefix,
                             const char *reseller, int nsubs)
{
    tg_receipt *r = fx_customer_receipt(f, user, prefix, reseller, nsubs);
    snprintf(c->id, sizeof(c->id), "%s", tg_receipt_customer_id(r));
    snprintf(c->admin, sizeof(c->admin), "%s", tg_receipt_admin_user(r));
    snprintf(c->password, sizeof(c->password), "%s", tg_receipt_password(r));
    snprintf(c->sub, sizeof(c->sub), "%s", nsubs ? tg_receipt_subscription_id(r, 0) : "");
    tg_receipt_free(r);
}

/* The customer's admin changes its temporary password to NEW_PASSWORD and signs
 * in. The caller closes the session. */
static inline tg_session *cust_sign_in(fx *f, const cust *c)
{
    tg_session *s = NULL;
    int rc = tg_customer_change_password(f->g, c->admin, c->password, NEW_PASSWORD);
    if (rc) fail_msg("change password: %s", tg_error_message());
    rc = tg_session_customer(&s, f->g, c->admin, NEW_PASSWORD);
    if (rc) fail_msg("sign-in: %s", tg_error_message());
    return s;
}

static inline int reload_copy(void *ctx, const char *key, size_t klen, const void *val,
                              size_t vlen)
{
    tg_store *to = ctx;
    return to->put(to, key, klen, val, vlen);
}

/* A second graph over a copy of every record of the fixture's store: what it
 * shows is exactly what was stored. Close it with tg_graph_close(). */
static inline tg_graph *fx_reload(fx *f)
{
    tg_store *mem;
    tg_graph *g;
    assert_int_equal(tg_store_mem_new(&mem), TG_OK);
    assert_int_equal(mem->begin(mem), TG_OK);
    assert_int_equal(f->store->load(f->store, reload_copy, mem), TG_OK);
    assert_int_equal(mem->commit(mem), TG_OK);
    assert_int_equal(tg_graph_open_store(&g, mem), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_ARGON2_OPSLIMIT, 1), TG_OK);
    assert_int_equal(tg_graph_set_option(g, TG_OPT_ARGON2_MEMLIMIT, 8192), TG_OK);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    return g;
}

/* Whether the subscriptions of `customer` that `s` lists are exactly `want`
 * (n ids, any order). */
static inline int lists_exactly(tg_session *s, const char *customer, const char *const *want,
                                size_t n)
{
    tg_iter *it = NULL;
    if (tg_subscriptions(&it, s, customer) != TG_OK) return 0;
    int ok = tg_iter_count(it) == n; /* ids are distinct: n of them, each wanted */
    const char *id;
    while (ok && tg_iter_next(it, &id) == TG_OK) {
        int found = 0;
        for (size_t i = 0; i < n; i++) found |= strcmp(id, want[i]) == 0;
        ok = found;
    }
    tg_iter_free(it);
    return ok;
}

#endif
