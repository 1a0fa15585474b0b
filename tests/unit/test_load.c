/* test_load.c - opening a graph (src/api/load.c): records decoded on the opening
 * thread and indexed by a second one, a batch at a time, then verified in the order
 * they were loaded. A graph of more records than a few batches reopens to the same
 * state; a key handed out twice keeps its last record; a bad record, a broken
 * invariant or a failing store late in the load refuse the open, naming the first
 * bad record in load order, and leave nothing behind (ASan checks the leaks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/graph.h"
#include "fault_store.h"
#include "fixture.h"
#include "list_store.h"

/* ------------------------------------------------------------------ */
/* The graph: the fixture, 9 000 more users, customers                 */
/* ------------------------------------------------------------------ */

#define USERS 9000

typedef struct big {
    tg_store *mem;
    char *state; /* fx_state of the graph as it was built */
    list_store copy;
} big;

static int setup(void **state)
{
    big *b = calloc(1, sizeof(*b));
    assert_int_equal(tg_store_mem_new(&b->mem), TG_OK);
    fx *f = fx_build(fault_store_borrow(b->mem));
    char id[64];
    for (int i = 0; i < USERS; i++) {
        snprintf(id, sizeof(id), "load%04d@p1", i);
        assert_int_equal(tg_user_add(f->op, P1, id, TG_ROLE_SALES_AGENT), TG_OK);
    }
    fx_customer(f, "ga@p1", "loadone", R1, 3);
    fx_customer(f, "ga@d1", "loadtwo", NULL, 2);
    b->state = fx_state(f);
    fx_free(f);
    list_store_init(&b->copy);
    assert_int_equal(b->mem->load(b->mem, list_store_collect, &b->copy), TG_OK);
    assert_true(b->copy.n > 2 * 4096); /* more than two batches */
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    big *b = *state;
    list_store_free(&b->copy);
    b->mem->free(b->mem);
    free(b->state);
    free(b);
    return 0;
}

/* Open a graph on the records: its return code, the graph in *out when TG_OK. */
static int open_list(list_store *s, tg_graph **out)
{
    *out = (tg_graph *)s; /* anything but NULL: a refused open must set it to NULL */
    int rc = tg_graph_open_store(out, &s->base);
    if (rc) assert_null(*out);
    return rc;
}

static void a_large_graph_reopens_the_same(void **state)
{
    big *b = *state;
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_OK);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    fx *f = fx_adopt(g);
    char *again = fx_state(f);
    assert_string_equal(again, b->state);
    free(again);
    fx_free(f); /* the list store has no free slot: it stays this test's */
}

static void a_key_handed_out_twice_keeps_its_last_record(void **state)
{
    big *b = *state;
    /* User load0005@p1 again, late, with other roles. */
    list_store_insert(&b->copy, b->copy.n - 10, "user/load0005@p1",
           "{\"id\":\"load0005@p1\",\"partner\":\"" P1 "\",\"roles\":4}");
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_OK);
    const tg__user *u = tg__get(&g->t, TG__USER, "load0005@p1");
    assert_non_null(u);
    assert_int_equal(u->roles, 4);
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_graph_close(g);
}

static bool vec_has(const tg__vec *v, const void *e)
{
    for (size_t i = 0; v && i < v->len; i++)
        if (v->items[i] == e) return true;
    return false;
}

/* Where the record of the customer associated with R1 is in the copy. */
static size_t r1_customer(const big *b)
{
    size_t at = 0;
    while (at < b->copy.n && !(strncmp(b->copy.keys[at], "customer/", 9) == 0 &&
                               strstr(b->copy.vals[at], "\"reseller\":\"" R1 "\"")))
        at++;
    assert_true(at < b->copy.n);
    return at;
}

/* The customer associated with R1, handed out again late without its reseller
 * and R1's delegated admin privileges: only the last record's lists hold it. */
static void a_customer_handed_out_twice_is_in_its_last_records_lists_only(void **state)
{
    big *b = *state;
    size_t at = r1_customer(b);
    char *key = strdup(b->copy.keys[at]);
    cJSON *c = cJSON_Parse(b->copy.vals[at]);
    assert_non_null(c);
    cJSON *dap = cJSON_GetObjectItemCaseSensitive(c, "delegatedAdmins");
    assert_int_equal(cJSON_GetArraySize(dap), 2); /* its seller and R1 */
    cJSON_DeleteItemFromArray(dap, 1);
    assert_string_equal(cJSON_GetArrayItem(dap, 0)->valuestring, P1);
    cJSON_DeleteItemFromObjectCaseSensitive(c, "reseller");
    char *again = cJSON_PrintUnformatted(c);
    list_store_insert(&b->copy, b->copy.n - 10, key, again);
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_OK);
    const tg__customer *cu = tg__get(&g->t, TG__CUSTOMER, key + 9);
    assert_non_null(cu);
    assert_null(cu->reseller);
    assert_false(vec_has(tg__multi_get(&g->t.customers_with, R1), cu));
    assert_false(vec_has(tg__multi_get(&g->t.customers_dap_of, R1), cu));
    assert_true(vec_has(tg__multi_get(&g->t.customers_dap_of, P1), cu));
    assert_true(vec_has(tg__multi_get(&g->t.customers_sold_by, P1), cu));
    assert_int_equal(tg_graph_verify(g), TG_OK);
    tg_graph_close(g);
    cJSON_free(again);
    cJSON_Delete(c);
    free(key);
}

/* A reopened graph's resellers list their customers from the ids their lists keep
 * (src/util/map.h), in lists cut to their size (tg__tables_compact_lists); an id
 * that does not pack (upper case, here a customer handed out with one) is read from
 * its record, and every id comes out as it was stored. */
static void a_reopened_resellers_list_keeps_its_customers_ids(void **state)
{
    big *b = *state;
    size_t at = r1_customer(b);
    cJSON *c = cJSON_Parse(b->copy.vals[at]);
    assert_non_null(c);
    const char *upper = "ABCDEF00-0000-4000-8000-0000000000AB";
    cJSON_ReplaceItemInObjectCaseSensitive(c, "id", cJSON_CreateString(upper));
    cJSON_ReplaceItemInObjectCaseSensitive(c, "domain",
                                           cJSON_CreateString("upperco.onmicrosoft.com"));
    cJSON_ReplaceItemInObjectCaseSensitive(c, "adminUser",
                                           cJSON_CreateString("admin@upperco.onmicrosoft.com"));
    char *again = cJSON_PrintUnformatted(c), key[64];
    snprintf(key, sizeof(key), "customer/%s", upper);
    list_store_insert(&b->copy, b->copy.n - 10, key, again);
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_OK);
    assert_int_equal(tg_graph_verify(g), TG_OK);

    const tg__map *with = &g->t.customers_with;
    const tg__vec *v = tg__multi_get(with, R1);
    const tg__guid_bytes *ids = tg__multi_guids(with, v);
    assert_non_null(ids);
    assert_int_equal(v->len, 2);
    assert_int_equal(v->cap, v->len); /* compacted: no room beyond the items */
    char text[TG__GUID_TEXT];
    for (size_t i = 0; i < v->len; i++) {
        const tg__customer *cu = v->items[i];
        if (strcmp(cu->id, upper) == 0) {
            assert_false(tg__guid_is_packed(ids[i]));
            continue;
        }
        assert_true(tg__guid_is_packed(ids[i]));
        tg__guid_unpack(ids[i], text);
        assert_string_equal(text, cu->id);
    }
    /* A kept id out of step with its record is a broken graph, named by its reseller. */
    const tg__customer *first_item = v->items[0];
    unsigned char *kept = (unsigned char *)ids[strcmp(first_item->id, upper) == 0 ? 1 : 0];
    kept[3] ^= 0x10;
    assert_int_equal(tg_graph_verify(g), TG_ECORRUPT);
    MSG_HAS("keeps a stale customer id");
    MSG_HAS(R1);
    kept[3] ^= 0x10;
    assert_int_equal(tg_graph_verify(g), TG_OK);
    /* The compacted lists grow as any: their blocks go back to the tables' arena. */
    tg__tables *t = &g->t;
    const size_t in_use = t->list_arena.in_use;
    assert_int_equal(tg__multi_reserve(&t->customers_with, &t->list_arena, R1, 100), TG_OK);
    v = tg__multi_get(with, R1);
    assert_int_equal(v->len, 2);
    assert_int_equal(v->cap, 128); /* 2, doubled until 102 fit */
    const size_t item = sizeof(void *) + TG__GUID_BYTES;
    assert_int_equal(t->list_arena.in_use, in_use - 2 * item + 128 * item); /* the old came back */
    fx *f = fx_adopt(g);
    tg_iter *it = NULL;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@r1"), NULL), TG_OK);
    const char *id, *first = NULL, *second = NULL;
    assert_int_equal(tg_iter_next(it, &first), TG_OK);
    assert_int_equal(tg_iter_next(it, &second), TG_OK);
    assert_int_equal(tg_iter_next(it, &id), TG_ITEROVER);
    assert_string_equal(first, b->copy.keys[at] + 9); /* load order */
    assert_string_equal(second, upper);
    tg_iter_free(it);
    /* R1's list of those it administers out of step with its list of those
     * associated with it (no write does that today; the list must not care): each
     * still once, in the associated list's order. */
    tg__vec *dap = (tg__vec *)tg__multi_get(&t->customers_dap_of, R1);
    assert_non_null(dap);
    assert_int_equal(dap->len, 2);
    void *swap = dap->items[0];
    dap->items[0] = dap->items[1];
    dap->items[1] = swap;
    assert_int_equal(tg_customers(&it, fx_user(f, "ga@r1"), NULL), TG_OK);
    assert_int_equal(tg_iter_count(it), 2);
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    assert_string_equal(id, b->copy.keys[at] + 9);
    assert_int_equal(tg_iter_next(it, &id), TG_OK);
    assert_string_equal(id, upper);
    tg_iter_free(it);
    fx_free(f);
    cJSON_free(again);
    cJSON_Delete(c);
}

static void a_bad_record_late_refuses_the_open(void **state)
{
    big *b = *state;
    list_store_insert(&b->copy, 8500, "user/broken@p1", "{\"id\":\"broken@p1\",\"partner\":7}");
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_ECORRUPT);
    MSG_HAS("user/broken@p1");
}

static void the_first_broken_invariant_in_load_order_is_named(void **state)
{
    big *b = *state;
    /* Users of no partner: one early, one late (in the other thread's half). */
    list_store_insert(&b->copy, 8800, "user/late@ghost",
           "{\"id\":\"late@ghost\",\"partner\":\"60000000-0000-4000-8000-000000000099\",\"roles\":1}");
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_ECORRUPT);
    MSG_HAS("late@ghost");
    list_store_insert(&b->copy, 30, "user/early@ghost",
           "{\"id\":\"early@ghost\",\"partner\":\"60000000-0000-4000-8000-000000000099\",\"roles\":1}");
    assert_int_equal(open_list(&b->copy, &g), TG_ECORRUPT);
    MSG_HAS("early@ghost");
}

/* A record the library could never have written does not load, even when it
 * decodes and links: a partner whose tenant is not a GUID would be listed by
 * tg_partners and then refused by every call that takes its tenant (found by
 * fuzz_file_store; the rules are those an import applies, src/core/format.h). */
static void a_record_in_a_format_never_written_refuses_the_open(void **state)
{
    big *b = *state;
#define NOT_GUID "1000000p-0000-4000-8000-000000000001"
    list_store_insert(&b->copy, 8600, "partner/" NOT_GUID,
                      "{\"tenant\":\"" NOT_GUID "\",\"kind\":2,\"partnerId\":\"7777777\","
                      "\"name\":\"Odd\",\"domain\":\"odd.example\",\"country\":\"US\","
                      "\"agreement\":true,\"tenants\":[]}");
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_ECORRUPT);
    MSG_HAS(NOT_GUID);
    MSG_HAS("not a GUID");
#undef NOT_GUID
}

static void a_store_failing_late_refuses_the_open(void **state)
{
    big *b = *state;
    b->copy.fail_after = 8700;
    tg_graph *g;
    assert_int_equal(open_list(&b->copy, &g), TG_EIO);
    b->copy.fail_after = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_large_graph_reopens_the_same, setup, teardown),
        cmocka_unit_test_setup_teardown(a_key_handed_out_twice_keeps_its_last_record, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reopened_resellers_list_keeps_its_customers_ids, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_customer_handed_out_twice_is_in_its_last_records_lists_only,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_record_late_refuses_the_open, setup, teardown),
        cmocka_unit_test_setup_teardown(the_first_broken_invariant_in_load_order_is_named, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_record_in_a_format_never_written_refuses_the_open, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_store_failing_late_refuses_the_open, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
