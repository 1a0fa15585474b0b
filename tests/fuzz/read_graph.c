/* read_graph.c - read a graph through the API (read_graph.h). */
#include "read_graph.h"

#define REQUIRE(cond) FUZZ_REQUIRE("read_graph", cond)

/* A list that the session's roles or partner kind may refuse (TG_EDENIED). */
static void list_ids(tg_session *s, int (*fn)(tg_iter **, tg_session *))
{
    tg_iter *it = NULL;
    const char *id;
    int rc = fn(&it, s);
    REQUIRE(rc == TG_OK || (rc == TG_EDENIED && it == NULL));
    while (rc == TG_OK && tg_iter_next(it, &id) == TG_OK) REQUIRE(id && *id);
    tg_iter_free(it);
}

/* A listing in Partner Center's shape, or TG_EDENIED and no text. */
static void listing_json(tg_session *s, int (*fn)(char **, tg_session *))
{
    char *json = NULL;
    int rc = fn(&json, s);
    REQUIRE(rc == TG_OK ? json != NULL : rc == TG_EDENIED && json == NULL);
    tg_free(json);
}

static void read_customers(tg_session *s)
{
    tg_iter *customers = NULL, *subs = NULL;
    const char *cid, *sid;
    char *json = NULL;
    if (tg_customers(&customers, s, NULL) != TG_OK) return;
    while (tg_iter_next(customers, &cid) == TG_OK) {
        REQUIRE(tg_customer_get(&json, s, cid) == TG_OK);
        tg_free(json);
        if (tg_subscriptions(&subs, s, cid) != TG_OK) continue;
        while (tg_iter_next(subs, &sid) == TG_OK) {
            REQUIRE(tg_subscription_get(&json, s, sid) == TG_OK);
            tg_free(json);
        }
        tg_iter_free(subs);
    }
    tg_iter_free(customers);
}

static void read_as_user(tg_graph *g, const char *user_id)
{
    tg_session *s;
    REQUIRE(tg_session_user(&s, g, user_id) == TG_OK);
    read_customers(s);
    list_ids(s, tg_relationships);
    list_ids(s, tg_resellers);
    list_ids(s, tg_providers);
    listing_json(s, tg_resellers_json);
    listing_json(s, tg_providers_json);
    tg_session_close(s);
}

void fuzz_read_graph(tg_graph *g)
{
    tg_session *op;
    REQUIRE(tg_session_operator(&op, g) == TG_OK);
    for (int kind = TG_PARTNER_INDIRECT_PROVIDER; kind <= TG_PARTNER_DIRECT_BILL; kind++) {
        tg_iter *partners = NULL;
        REQUIRE(tg_partners(&partners, op, (tg_partner_kind)kind) == TG_OK);
        const char *tenant;
        while (tg_iter_next(partners, &tenant) == TG_OK) {
            char *json = NULL;
            REQUIRE(tg_partner_get(&json, op, tenant) == TG_OK);
            tg_free(json);
            tg_iter *users = NULL;
            REQUIRE(tg_users(&users, op, tenant) == TG_OK);
            const char *user_id;
            while (tg_iter_next(users, &user_id) == TG_OK) read_as_user(g, user_id);
            tg_iter_free(users);
        }
        tg_iter_free(partners);
    }
    tg_session_close(op);
}
