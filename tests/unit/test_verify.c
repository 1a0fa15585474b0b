/* test_verify.c - the invariants check (src/api/verify.c) split over threads, as the
 * open runs it: on a sound graph every split passes; on a graph broken by hand
 * (an index that lost a record, in a short vector and in a long one, a stale or
 * repeated entry, a unique index pointing elsewhere, a record that breaks a rule)
 * every split fails with TG_ECORRUPT and the message one thread gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/graph.h"
#include "fixture.h"

static const unsigned splits[] = {1, 2, 3, 7};

/* Every split agrees with one thread: `want` and, on failure, the same message. */
static void assert_verify(const tg_graph *g, int want, const char *mentions)
{
    char first[512] = "";
    for (size_t i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
        int rc = tg__tables_verify_threads(&g->t, splits[i]);
        if (rc != want)
            fail_msg("%u threads: expected %d, got %d (%s)", splits[i], want, rc, tg_error_message());
        if (want == TG_OK) continue;
        if (i == 0) {
            snprintf(first, sizeof(first), "%s", tg_error_message());
            if (mentions && !strstr(first, mentions)) fail_msg("'%s' does not mention '%s'", first, mentions);
        } else if (strcmp(first, tg_error_message()) != 0) {
            fail_msg("%u threads: '%s', one thread: '%s'", splits[i], tg_error_message(), first);
        }
    }
    assert_int_equal(tg__tables_verify(&g->t), want);
}

static tg__vec *vec_of(tg__map *m, const char *key)
{
    tg__vec *v = (tg__vec *)tg__multi_get(m, key);
    assert_non_null(v);
    return v;
}

/* The fixture with 40 customers of P1 for R1 (P1's and R1's vectors are long) and
 * two of D1, each with two subscriptions. */
static fx *graph(char ids[][64])
{
    fx *f;
    assert_int_equal(fx_setup((void **)&f), 0);
    char prefix[32];
    for (int i = 0; i < 42; i++) {
        snprintf(prefix, sizeof(prefix), "verify%02d", i);
        snprintf(ids[i], 64, "%s", fx_customer(f, i < 40 ? "ga@p1" : "ga@d1", prefix, i < 40 ? R1 : NULL, 2));
    }
    assert_verify(f->g, TG_OK, NULL);
    return f;
}

static void an_index_that_lost_a_record(void **state)
{
    (void)state;
    char ids[42][64];
    fx *f = graph(ids);
    tg__tables *t = &f->g->t;
    /* A long vector: one customer of P1 replaced by another, so the count stays. */
    tg__vec *sold = vec_of(&t->customers_sold_by, P1);
    assert_true(sold->len > 32);
    void *was = sold->items[3];
    sold->items[3] = sold->items[4];
    assert_verify(f->g, TG_ECORRUPT, "seller index disagrees");
    sold->items[3] = was;
    /* A short one: a customer's subscriptions. */
    tg__vec *subs = vec_of(&t->subscriptions_of, ids[41]);
    assert_int_equal(subs->len, 2);
    was = subs->items[0];
    subs->items[0] = subs->items[1];
    assert_verify(f->g, TG_ECORRUPT, "subscription index disagrees");
    subs->items[0] = was;
    assert_verify(f->g, TG_OK, NULL);
    fx_teardown((void **)&f);
}

static void a_stale_entry(void **state)
{
    (void)state;
    char ids[42][64];
    fx *f = graph(ids);
    tg__tables *t = &f->g->t;
    /* A customer of R1 listed twice: every record is found, the count is off. */
    tg__vec *with = vec_of(&t->customers_with, R1);
    assert_int_equal(tg__multi_reserve(&t->customers_with, &t->index_arena, R1, 1), TG_OK);
    tg__multi_add(&t->customers_with, R1, with->items[0]);
    assert_verify(f->g, TG_ECORRUPT, "stale");
    with->len--;
    assert_verify(f->g, TG_OK, NULL);
    fx_teardown((void **)&f);
}

static void a_unique_index_pointing_elsewhere(void **state)
{
    (void)state;
    char ids[42][64];
    fx *f = graph(ids);
    tg__tables *t = &f->g->t;
    const tg__customer *c = tg__get(t, TG__CUSTOMER, ids[20]), *other = tg__get(t, TG__CUSTOMER, ids[21]);
    assert_non_null(c);
    tg__map_put(&t->customer_by_domain, c->domain, (void *)other);
    assert_verify(f->g, TG_ECORRUPT, "domain index disagrees");
    tg__map_put(&t->customer_by_domain, c->domain, (void *)c);
    assert_verify(f->g, TG_OK, NULL);
    fx_teardown((void **)&f);
}

static void records_that_break_a_rule(void **state)
{
    (void)state;
    char ids[42][64];
    fx *f = graph(ids);
    tg__tables *t = &f->g->t;
    /* Two subscriptions without licenses, in different parts of the table: every
     * split reports the one a single pass meets first. */
    tg__map *subs = &t->by_id[TG__SUBSCRIPTION];
    size_t first = subs->cap, last = 0;
    for (size_t i = 0; i < subs->cap; i++) {
        if (!subs->slots[i].key) continue;
        if (first == subs->cap) first = i;
        last = i;
    }
    assert_true(first < last);
    ((tg__subscription *)subs->slots[last].value)->quantity = 0;
    assert_verify(f->g, TG_ECORRUPT, ((tg__subscription *)subs->slots[last].value)->id);
    ((tg__subscription *)subs->slots[first].value)->quantity = 0;
    assert_verify(f->g, TG_ECORRUPT, ((tg__subscription *)subs->slots[first].value)->id);
    ((tg__subscription *)subs->slots[first].value)->quantity = 1;
    ((tg__subscription *)subs->slots[last].value)->quantity = 1;
    /* An earlier kind wins over a later one: a user with no roles. */
    tg__user *u = (tg__user *)tg__get(t, TG__USER, "sa@p1");
    unsigned roles = u->roles;
    u->roles = 0;
    ((tg__subscription *)subs->slots[first].value)->quantity = 0;
    assert_verify(f->g, TG_ECORRUPT, "user with bad roles");
    u->roles = roles;
    ((tg__subscription *)subs->slots[first].value)->quantity = 1;
    assert_verify(f->g, TG_OK, NULL);
    fx_teardown((void **)&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_index_that_lost_a_record),
        cmocka_unit_test(a_stale_entry),
        cmocka_unit_test(a_unique_index_pointing_elsewhere),
        cmocka_unit_test(records_that_break_a_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
