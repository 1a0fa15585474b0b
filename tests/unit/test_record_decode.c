/* test_record_decode.c - the record decoder without cJSON (src/json/record_decode.c)
 * against the one with it: records of every kind as tiergraph writes them, every
 * field type, escapes and surrogates, white space, key order, fields added after 0.1
 * left out, cJSON's quirks, malformed records, every prefix of a record and every
 * byte of one changed. Each case must get the same code, message and entity from
 * both (tests/common/record_agree.c); a refused record yields no entity, and opening
 * a store that holds one fails with TG_ECORRUPT and no graph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/entity.h"
#include "json/record.h"
#include "util/arena.h"
#include "util/intern.h"
#include "list_store.h"
#include "record_agree.h"
#include "tiergraph/store.h"

#define T1 "10000000-0000-4000-8000-000000000001"
#define T2 "20000000-0000-4000-8000-000000000002"
#define C1 "c0000000-0000-4000-8000-000000000001"
#define S1 "50000000-0000-4000-8000-000000000001"
#define HASH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define VERIFIER "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"

/* One record of each kind as tiergraph writes it, every optional field present. */
static const struct {
    const char *key, *val;
} full[] = {
    {"partner/" T1, "{\"tenant\":\"" T1 "\",\"kind\":1,\"partnerId\":\"1000001\",\"name\":\"Prov\","
                    "\"domain\":\"p1.example\",\"country\":\"US\",\"agreement\":true,"
                    "\"tenants\":[\"" T2 "\",\"30000000-0000-4000-8000-000000000003\"]}"},
    {"user/ga@p1", "{\"id\":\"ga@p1\",\"partner\":\"" T1 "\",\"roles\":1}"},
    {"partnership/" T1 "/" T2,
     "{\"key\":\"" T1 "/" T2 "\",\"provider\":\"" T1 "\",\"reseller\":\"" T2 "\",\"since\":1700000000}"},
    {"invite/" HASH, "{\"hash\":\"" HASH "\",\"provider\":\"" T1 "\",\"created\":1700000000,"
                     "\"expires\":1700604800,\"usedBy\":\"" T2 "\",\"customer\":\"" C1 "\"}"},
    {"customer/" C1,
     "{\"id\":\"" C1 "\",\"domain\":\"contoso.onmicrosoft.com\",\"company\":\"Contoso\","
     "\"email\":\"a@contoso.example\",\"culture\":\"en-US\",\"language\":\"en\",\"line1\":\"1 Main St\","
     "\"line2\":\"Suite 2\",\"city\":\"Redmond\",\"state\":\"WA\",\"postalCode\":\"98052\","
     "\"country\":\"US\",\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"phone\":\"+1 425 555 0100\","
     "\"seller\":\"" T1 "\",\"reseller\":\"" T2 "\",\"delegatedAdmins\":[\"" T1 "\",\"" T2 "\"],"
     "\"adminUser\":\"admin@contoso.onmicrosoft.com\",\"verifier\":\"" VERIFIER "\","
     "\"mustChangePassword\":true,\"created\":1700000000,\"partners\":[\"" T2 "\"]}"},
    {"subscription/" S1, "{\"id\":\"" S1 "\",\"customer\":\"" C1 "\",\"offer\":\"O365_E3\","
                         "\"quantity\":25,\"status\":1,\"seller\":\"" T1 "\","
                         "\"resellerPartnerId\":\"2000001\",\"support\":\"" T2 "\","
                         "\"created\":1700000000,\"channel\":0,\"termEnd\":1731536000}"},
    {"customerUser/bob@contoso.onmicrosoft.com",
     "{\"id\":\"bob@contoso.onmicrosoft.com\",\"customer\":\"" C1 "\",\"roles\":0,"
     "\"verifier\":\"" VERIFIER "\",\"mustChangePassword\":false,\"created\":1700000000}"},
};
#define NFULL (sizeof(full) / sizeof(full[0]))

static void agree_n(const char *key, const void *val, size_t vlen, int want_rc)
{
    char why[1024];
    int rc;
    if (!record_decoders_agree(key, strlen(key), val, vlen, &rc, why, sizeof(why)))
        fail_msg("%s: %.*s: %s", key, (int)(vlen < 200 ? vlen : 200), (const char *)val, why);
    if (want_rc != 1 && rc != want_rc)
        fail_msg("%s: %.*s: expected %d, both gave %d (%s)", key, (int)(vlen < 200 ? vlen : 200),
                 (const char *)val, want_rc, rc, tg_error_message());
}

/* Both decoders agree on key/val and return want_rc (1: whatever they return). */
static void agree(const char *key, const char *val, int want_rc)
{
    agree_n(key, val, strlen(val), want_rc);
}

static void records_of_every_kind(void **state)
{
    (void)state;
    for (size_t i = 0; i < NFULL; i++) agree(full[i].key, full[i].val, TG_OK);
    /* The decoded entity is what was written: the encoder gives the same text back. */
    for (size_t i = 0; i < NFULL; i++) {
        tg__record_scratch s = {0};
        tg__intern pool = {0};
        tg__arena arena = {0};
        tg__kind kind;
        void *e;
        assert_int_equal(tg__record_decode_packed(&s, &pool, &arena, full[i].key,
                                                  strlen(full[i].key), full[i].val,
                                                  strlen(full[i].val), &kind, &e),
                         TG_OK);
        char *text;
        size_t len;
        assert_int_equal(tg__record_encode(kind, e, &text, &len), TG_OK);
        assert_string_equal(text, full[i].val);
        free(text);
        tg__entity_free(kind, e);
        assert_int_equal(tg__intern_count(&pool), 0);
        tg__arena_release(&arena);
        tg__intern_free(&pool);
        tg__record_scratch_free(&s);
    }
}

static void fields_added_after_0_1_may_be_absent(void **state)
{
    (void)state;
    agree("invite/" HASH, "{\"hash\":\"" HASH "\",\"provider\":\"" T1 "\",\"created\":1,\"expires\":2}", TG_OK);
    agree("subscription/" S1, "{\"id\":\"" S1 "\",\"customer\":\"" C1 "\",\"offer\":\"o\",\"quantity\":1,"
                              "\"status\":1,\"seller\":\"" T1 "\",\"support\":\"" T1 "\",\"created\":0}", TG_OK);
    agree("subscription/" S1, "{\"id\":\"" S1 "\",\"customer\":\"" C1 "\",\"offer\":\"o\",\"quantity\":1,"
                              "\"status\":1,\"created\":0,\"channel\":2}", TG_OK);
    /* Required fields may not: one missing of each type. */
    agree("user/u", "{\"id\":\"u\",\"roles\":1}", TG_ECORRUPT);                     /* string */
    agree("user/u", "{\"id\":\"u\",\"partner\":\"p\"}", TG_ECORRUPT);               /* int */
    agree("partnership/a/b", "{\"key\":\"a/b\",\"provider\":\"a\",\"reseller\":\"b\"}", TG_ECORRUPT); /* i64 */
    agree("partner/t", "{\"tenant\":\"t\",\"kind\":1,\"partnerId\":\"1\",\"name\":\"n\",\"domain\":\"d\","
                       "\"country\":\"US\",\"tenants\":[]}", TG_ECORRUPT);          /* bool */
    agree("partner/t", "{\"tenant\":\"t\",\"kind\":1,\"partnerId\":\"1\",\"name\":\"n\",\"domain\":\"d\","
                       "\"country\":\"US\",\"agreement\":false}", TG_ECORRUPT);     /* list */
    /* null is never a value, even of an optional field */
    agree("invite/h", "{\"hash\":\"h\",\"provider\":\"p\",\"created\":1,\"expires\":2,\"usedBy\":null}", TG_ECORRUPT);
    agree("subscription/s", "{\"id\":\"s\",\"customer\":\"c\",\"offer\":\"o\",\"quantity\":1,\"status\":1,"
                            "\"created\":0,\"termEnd\":null}", TG_ECORRUPT);
}

static void wrong_types_are_refused(void **state)
{
    (void)state;
    const char *user[] = {
        "{\"id\":\"u\",\"partner\":7,\"roles\":1}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":\"1\"}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":true}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":[1]}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":{}}",
        "{\"id\":[\"u\"],\"partner\":\"p\",\"roles\":1}",
        "{\"id\":\"u\",\"partner\":{\"p\":1},\"roles\":1}",
    };
    for (size_t i = 0; i < sizeof(user) / sizeof(user[0]); i++) agree("user/u", user[i], TG_ECORRUPT);
    const char *partner = "{\"tenant\":\"t\",\"kind\":1,\"partnerId\":\"1\",\"name\":\"n\",\"domain\":\"d\","
                          "\"country\":\"US\",\"agreement\":%s,\"tenants\":%s}";
    const char *bools[] = {"true", "false", "1", "0", "\"true\"", "null", "tru", "falsey", "[]"};
    const char *lists[] = {"[]", "[\"a\"]", "[\"a\",\"b\",\"a\"]", "[\"a\",1]", "[[\"a\"]]", "\"a\"",
                           "{}", "[null]", "[\"a\",\"b\",\"c\",\"b\",\"a\",\"d\"]", "[ ]", "[,]",
                           "[\"a\",]", "[\"a\" \"b\"]"};
    char buf[512];
    for (size_t b = 0; b < sizeof(bools) / sizeof(bools[0]); b++)
        for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
            snprintf(buf, sizeof(buf), partner, bools[b], lists[l]);
            agree("partner/t", buf, 1);
        }
}

static void numbers_as_cjson_reads_them(void **state)
{
    (void)state;
    const char *nums[] = {
        "0", "-0", "1", "-1", "007", "1.0", "1.5", "-1.5", "1e2", "1E2", "1e+2", "1e-2", "1.e2",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
        "9007199254740992", "9007199254740993", "-9007199254740992", "-9007199254740993",
        "1e300", "1e400", "-1e400", "123456789012345", "1234567890123456", "12345678901234567890",
        "0.0000001", "1e", "1e+", "-", "--1", "+1", "1-2", "1.2.3", ".5", "0x10", "1,5", "Infinity",
        "NaN", "-Infinity", "1 ", " 1", "1\t",
        /* 63 and 64 number characters */
        "100000000000000000000000000000000000000000000000000000000000000",
        "1000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001",
        "000000000000000000000000000000000000000000000000000000000000001",
    };
    char buf[512];
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        /* an int field, an int64 field, and a field nobody reads */
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"partner\":\"p\",\"roles\":%s}", nums[i]);
        agree("user/u", buf, 1);
        snprintf(buf, sizeof(buf),
                 "{\"key\":\"a/b\",\"provider\":\"a\",\"reseller\":\"b\",\"since\":%s}", nums[i]);
        agree("partnership/a/b", buf, 1);
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":%s}", nums[i]);
        agree("user/u", buf, 1);
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":[%s,%s]}", nums[i],
                 nums[i]);
        agree("user/u", buf, 1);
    }
}

static void strings_escapes_and_surrogates(void **state)
{
    (void)state;
    const char *strs[] = {
        "plain", "", "a\\\"b", "a\\\\b", "a\\/b", "\\b\\f\\n\\r\\t",
        "\\u00e9t\\u00E9", "\\u20ac", "\\u0041\\u0042", "\\ud83d\\ude00", "\\uD83D\\uDE00x",
        "\\ud83d", "\\ud83dx", "\\ud83d\\u0041", "\\ud83d\\ud83d", "\\ude00", "\\udbff\\udfff",
        "\\u0000", "a\\u0000b", "\\uZZZZ", "\\u00G1", "\\u12", "\\u", "\\", "\\q", "\\x41", "\\U0041",
        "\\u12\\\"ab", "\\uAAA\\\\", "\\u00e", "é€😀", "\x01\x1f", "tab\there", "\xff\xfe",
        "\\ud800\\udc00", "\\u0080\\u07ff\\u0800\\uffff", "\\udc00", "\\udfff", "\\ud800", "\\udbffx",
        "\\ud7ff", "\\ue000", "\\ud800\\udbff", "\\ud800\\ue000",
    };
    char buf[512];
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        /* as a value of a string field, of a list, of an unknown field, and as a name */
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"partner\":\"%s\",\"roles\":1}", strs[i]);
        agree("user/u", buf, 1);
        snprintf(buf, sizeof(buf),
                 "{\"tenant\":\"t\",\"kind\":1,\"partnerId\":\"1\",\"name\":\"n\",\"domain\":\"d\","
                 "\"country\":\"US\",\"agreement\":true,\"tenants\":[\"%s\",\"x\",\"%s\"]}",
                 strs[i], strs[i]);
        agree("partner/t", buf, 1);
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"z\":\"%s\"}", strs[i]);
        agree("user/u", buf, 1);
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"%s\":\"q\",\"partner\":\"p\",\"roles\":1}", strs[i]);
        agree("user/u", buf, 1);
        snprintf(buf, sizeof(buf), "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"%s\":1}", strs[i]);
        agree("user/u", buf, 1);
    }
    /* An escaped id must still match the key. */
    agree("user/ab", "{\"id\":\"\\u0061b\",\"partner\":\"p\",\"roles\":1}", TG_OK);
    agree("user/ab", "{\"id\":\"a\\u0000b\",\"partner\":\"p\",\"roles\":1}", TG_ECORRUPT);
    /* Names end at a NUL too: "roles\u0000x" is "roles". */
    agree("user/u", "{\"id\":\"u\",\"partner\":\"p\",\"roles\\u0000x\":1}", TG_OK);
    /* Raw NUL bytes inside a string and inside a name. */
    static const char nul_value[] = "{\"id\":\"u\",\"partner\":\"p\0q\",\"roles\":1}";
    agree_n("user/u", nul_value, sizeof(nul_value) - 1, TG_OK);
    static const char nul_name[] = "{\"id\":\"u\",\"partner\":\"p\",\"roles\0z\":1}";
    agree_n("user/u", nul_name, sizeof(nul_name) - 1, TG_OK);
}

static void white_space_order_and_duplicates(void **state)
{
    (void)state;
    const char *docs[] = {
        " \t\r\n{ \"id\" : \"u\" ,\n\"partner\"\t:\"p\",\"roles\":1 } ",
        "\x01{\x1f\"id\"\x02:\"u\",\"partner\":\"p\",\"roles\":1}",
        "{\"roles\":1,\"partner\":\"p\",\"id\":\"u\"}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"roles\":2}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"roles\":\"x\"}",
        "{\"id\":\"u\",\"partner\":null,\"partner\":\"p\",\"roles\":1}",
        "{\"id\":\"u\",\"x\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"partner\":\"p\",\"roles\":1}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1} trailing garbage",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1}}",
        "\xEF\xBB\xBF{\"id\":\"u\",\"partner\":\"p\",\"roles\":1}",
        "\xEF\xBB\xBF \xEF\xBB\xBF{\"id\":\"u\",\"partner\":\"p\",\"roles\":1}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,}",
        "{,\"id\":\"u\",\"partner\":\"p\",\"roles\":1}",
        "{\"id\":\"u\" \"partner\":\"p\",\"roles\":1}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\"1}",
        "{\"id\":\"u\",\"partner\":\"p\",roles:1}",
        "{'id':'u','partner':'p','roles':1}",
        "[{\"id\":\"u\",\"partner\":\"p\",\"roles\":1}]",
        "\"{\\\"id\\\":\\\"u\\\"}\"", "", " ", "{", "}", "{}", "{ }", "null", "[]", "1",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":[1 2]}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":[}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":nul}",
        "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":True}",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) agree("user/u", docs[i], 1);
    /* Another id than the key's, and keys of no kind. */
    agree("user/v", "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1}", TG_ECORRUPT);
    agree("user/u", "{\"id\":\"uu\",\"partner\":\"p\",\"roles\":1}", TG_ECORRUPT);
    agree("widget/u", "{}", TG_ECORRUPT);
    agree("user", "{}", TG_ECORRUPT);
    agree("user/", "{}", TG_ECORRUPT);
    agree("customerUser/u", "{\"id\":\"u\"}", TG_ECORRUPT);
}

static void nesting_stops_at_1000(void **state)
{
    (void)state;
    for (int depth = 997; depth <= 1002; depth++) {
        for (int arrays = 0; arrays <= 1; arrays++) {
            size_t n = 80 + 7 * (size_t)depth;
            char *doc = malloc(n);
            size_t k = (size_t)snprintf(doc, n, "{\"id\":\"u\",\"partner\":\"p\",\"roles\":1,\"x\":");
            /* the record itself is one level: depth - 1 more */
            for (int i = 1; i < depth; i++) k += (size_t)snprintf(doc + k, n - k, arrays ? "[" : "{\"a\":");
            doc[k++] = '1';
            for (int i = 1; i < depth; i++) doc[k++] = arrays ? ']' : '}';
            doc[k++] = '}';
            doc[k] = '\0';
            agree("user/u", doc, depth <= 1000 ? TG_OK : TG_ECORRUPT);
            free(doc);
        }
    }
}

/* Every prefix of each record, and each record with every byte replaced by each of a
 * set of bytes that matter to a JSON parser. */
static void cut_and_damaged_records(void **state)
{
    (void)state;
    static const unsigned char bytes[] = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', 0, 1, 'u',
                                          '0', '9', '-', 'e', '.', 'n', 't', 'f', 'x', 0x7f, 0xff};
    for (size_t r = 0; r < NFULL; r++) {
        const char *key = full[r].key, *val = full[r].val;
        size_t len = strlen(val);
        for (size_t n = 0; n < len; n++) agree_n(key, val, n, n < len ? TG_ECORRUPT : TG_OK);
        unsigned char *copy = malloc(len);
        for (size_t at = 0; at < len; at++) {
            for (size_t b = 0; b < sizeof(bytes); b++) {
                memcpy(copy, val, len);
                copy[at] = bytes[b];
                agree_n(key, copy, len, 1);
            }
        }
        free(copy);
    }
}

static void a_refused_record_opens_no_graph(void **state)
{
    (void)state;
    const char *bad[] = {"{\"id\":\"u\",\"partner\":\"p\",\"roles\":\"1\"}",
                         "{\"id\":\"u\",\"partner\":\"\\ud83d\",\"roles\":1}", "{\"id\":\"u\""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        list_store s;
        list_store_init(&s);
        list_store_insert(&s, 0, "user/u", bad[i]);
        tg_graph *g = (tg_graph *)&s;
        assert_int_equal(tg_graph_open_store(&g, &s.base), TG_ECORRUPT);
        assert_null(g);
        assert_non_null(strstr(tg_error_message(), "user/u"));
        list_store_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_of_every_kind),
        cmocka_unit_test(fields_added_after_0_1_may_be_absent),
        cmocka_unit_test(wrong_types_are_refused),
        cmocka_unit_test(numbers_as_cjson_reads_them),
        cmocka_unit_test(strings_escapes_and_surrogates),
        cmocka_unit_test(white_space_order_and_duplicates),
        cmocka_unit_test(nesting_stops_at_1000),
        cmocka_unit_test(cut_and_damaged_records),
        cmocka_unit_test(a_refused_record_opens_no_graph),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
