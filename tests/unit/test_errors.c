/* test_errors.c - pinned error codes and their texts, the per-thread error message,
 * version numbers, and NULL-tolerant free functions (tiergraph.h conventions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>

#include "fixture.h"
#include "util/date.h"
#include "util/error.h"
#include "util/str.h"
#include <tiergraph.h>

/* ------------------------------------------------------------------ */
/* tiergraph.h "Errors: pinned forever"                                */
/* ------------------------------------------------------------------ */

/* Every code keeps its literal value forever: bindings hard-code them. */
static void error_codes_have_pinned_values(void **state)
{
    (void)state;
    assert_int_equal(TG_OK, 0);
    assert_int_equal(TG_ERROR, -1);
    assert_int_equal(TG_ENOMEM, -2);
    assert_int_equal(TG_EINVAL, -3);
    assert_int_equal(TG_ENOTFOUND, -4);
    assert_int_equal(TG_EEXISTS, -5);
    assert_int_equal(TG_EDENIED, -6);
    assert_int_equal(TG_ESTATE, -7);
    assert_int_equal(TG_ECONFIRM, -8);
    assert_int_equal(TG_EEXPIRED, -9);
    assert_int_equal(TG_EIO, -10);
    assert_int_equal(TG_ECORRUPT, -11);
    assert_int_equal(TG_EBUSY, -12);
    assert_int_equal(TG_EVERSION, -13);
    assert_int_equal(TG_ITEROVER, -14);
    assert_int_equal(TG_EPASSWORD_CHANGE, -15);
    assert_int_equal(TG_ELOCKED, -16);
}

/* tg_strerror names every code with its own non-empty static text. */
static void strerror_texts_are_distinct_and_static(void **state)
{
    (void)state;
    const char *text[17];
    for (int i = 0; i < 17; i++) {
        int code = -i; /* TG_OK .. TG_ELOCKED */
        text[i] = tg_strerror(code);
        assert_non_null(text[i]);
        assert_true(strlen(text[i]) > 0);
        assert_string_not_equal(text[i], tg_strerror(1000)); /* not the unknown-code text */
    }
    for (int i = 0; i < 17; i++)
        for (int k = i + 1; k < 17; k++)
            if (strcmp(text[i], text[k]) == 0)
                fail_msg("codes %d and %d share the text '%s'", -i, -k, text[i]);
    /* Static: the same storage and the same text on every call, whatever happens between. */
    tg_graph *g = NULL;
    assert_int_equal(tg_graph_open(&g, "nope:"), TG_EINVAL);
    for (int i = 0; i < 17; i++) {
        assert_ptr_equal(tg_strerror(-i), text[i]);
        assert_true(strlen(text[i]) > 0);
    }
}

/* Unknown codes still get a text, and never the text of success. */
static void strerror_of_unknown_code_is_not_null(void **state)
{
    (void)state;
    const int unknown[] = {1, 42, -17, -1000, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        const char *t = tg_strerror(unknown[i]);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
        assert_string_not_equal(t, tg_strerror(TG_OK));
    }
}

/* tg_error_message is never NULL: before any error, after an error, after success,
 * and names what went wrong after an error. */
static void error_message_is_never_null(void **state)
{
    (void)state;
    assert_non_null(tg_error_message());
    tg_graph *g = NULL;
    assert_int_equal(tg_graph_open(&g, "nope:"), TG_EINVAL);
    assert_null(g);
    assert_non_null(tg_error_message());
    assert_non_null(strstr(tg_error_message(), "nope:"));
    assert_int_equal(tg_graph_open(&g, "mem:"), TG_OK);
    assert_non_null(tg_error_message());
    assert_int_equal(tg_check(NULL, TG_ACT_VIEW_PARTNERS, NULL), TG_EINVAL);
    assert_non_null(tg_error_message());
    assert_true(strlen(tg_error_message()) > 0);
    tg_graph_close(g);
}

typedef struct thread_report {
    char before[512]; /* the message the new thread sees before any error of its own */
    char after[512];  /* its message after its own error */
    int rc;
} thread_report;

static void *other_thread(void *arg)
{
    thread_report *r = arg;
    const char *m = tg_error_message();
    snprintf(r->before, sizeof(r->before), "%s", m ? m : "(null)");
    tg_graph *g = NULL;
    r->rc = tg_graph_open(&g, "other-thread-scheme:");
    m = tg_error_message();
    snprintf(r->after, sizeof(r->after), "%s", m ? m : "(null)");
    return NULL;
}

/* tiergraph.h "After an error, tg_error_message() gives a message for this thread":
 * an error in another thread neither changes this thread's message nor sees it. */
/* tg__err formats the conversions messages use itself (src/util/error.c): it must
 * write exactly what snprintf writes, truncation included. */
#define SAME_AS_SNPRINTF(...)                                                           \
    do {                                                                                \
        char want[512];                                                                 \
        snprintf(want, sizeof(want), __VA_ARGS__);                                      \
        assert_int_equal(tg__err(TG_EINVAL, __VA_ARGS__), TG_EINVAL);                   \
        assert_string_equal(tg_error_message(), want);                                  \
    } while (0)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-overflow"
static void messages_are_formatted_as_snprintf_would(void **state)
{
    (void)state;
    char big[700];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    const char *null_text = NULL;
    SAME_AS_SNPRINTF("plain text, no conversions");
    SAME_AS_SNPRINTF("100%% sure: %s and %s", "one", "two");
    SAME_AS_SNPRINTF("%d %d %d %d", 0, -1, INT_MAX, INT_MIN);
    SAME_AS_SNPRINTF("%u %x %x", UINT_MAX, 0u, 0xbeefu);
    SAME_AS_SNPRINTF("%zu %zu", (size_t)0, SIZE_MAX);
    SAME_AS_SNPRINTF("%lld %lld %llu", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
    SAME_AS_SNPRINTF("%ld %lu", LONG_MIN, ULONG_MAX);
    SAME_AS_SNPRINTF("[%02d] [%02d] [%04lld] [%5d] [%03d]", 7, 123, -42LL, -3, -5);
    SAME_AS_SNPRINTF("%.3s|%.64s|%.*s|%.*s", "abcdef", "short", 2, "xyz", 0, "none");
    SAME_AS_SNPRINTF("at end %s", "");
    SAME_AS_SNPRINTF("%s", null_text);
    SAME_AS_SNPRINTF("truncated: %s", big);
    SAME_AS_SNPRINTF("%s%s", big, "tail");
    SAME_AS_SNPRINTF("%.500s then %d", big, 12345);
    SAME_AS_SNPRINTF("widths to the end %s %0480d", "x", 7);
    /* A conversion the fast path does not know goes to vsnprintf. */
    SAME_AS_SNPRINTF("%5.2f%% %c %-4s|", 3.14159, 'q', "ab");
}
#pragma GCC diagnostic pop

static void error_message_is_per_thread(void **state)
{
    (void)state;
    tg_graph *g = NULL;
    assert_int_equal(tg_graph_open(&g, "this-thread-scheme:"), TG_EINVAL);
    char mine[512];
    snprintf(mine, sizeof(mine), "%s", tg_error_message());
    assert_non_null(strstr(mine, "this-thread-scheme:"));

    thread_report r;
    memset(&r, 0, sizeof(r));
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, other_thread, &r), 0);
    assert_int_equal(pthread_join(t, NULL), 0);

    assert_int_equal(r.rc, TG_EINVAL);
    assert_null(strstr(r.before, "this-thread-scheme:"));
    assert_non_null(strstr(r.after, "other-thread-scheme:"));
    assert_string_equal(tg_error_message(), mine);
    assert_null(strstr(tg_error_message(), "other-thread-scheme:"));
}

/* ------------------------------------------------------------------ */
/* tiergraph.h "Versions"                                              */
/* ------------------------------------------------------------------ */

static void version_functions_agree_with_macros(void **state)
{
    (void)state;
    assert_int_equal(tg_version_number(), TG_VERSION_NUMBER);
    assert_int_equal(TG_VERSION_NUMBER,
                     TG_VERSION_MAJOR * 10000 + TG_VERSION_MINOR * 100 + TG_VERSION_PATCH);
    assert_int_equal(tg_abi_version(), TG_ABI_VERSION);

    const char *v = tg_version_string();
    assert_non_null(v);
    int maj = -1, min = -1, patch = -1, used = -1;
    assert_int_equal(sscanf(v, "%d.%d.%d%n", &maj, &min, &patch, &used), 3);
    assert_int_equal((size_t)used, strlen(v)); /* nothing after MAJOR.MINOR.PATCH */
    assert_int_equal(maj, TG_VERSION_MAJOR);
    assert_int_equal(min, TG_VERSION_MINOR);
    assert_int_equal(patch, TG_VERSION_PATCH);
    assert_ptr_equal(tg_version_string(), v); /* static */
}

static void version_check_macro_compares_versions(void **state)
{
    (void)state;
    assert_true(TG_VERSION_CHECK(TG_VERSION_MAJOR, TG_VERSION_MINOR, TG_VERSION_PATCH));
    assert_true(TG_VERSION_CHECK(0, 0, 0));
    assert_false(TG_VERSION_CHECK(TG_VERSION_MAJOR, TG_VERSION_MINOR, TG_VERSION_PATCH + 1));
    assert_false(TG_VERSION_CHECK(TG_VERSION_MAJOR, TG_VERSION_MINOR + 1, 0));
    assert_false(TG_VERSION_CHECK(TG_VERSION_MAJOR + 1, 0, 0));
    if (TG_VERSION_PATCH > 0)
        assert_true(TG_VERSION_CHECK(TG_VERSION_MAJOR, TG_VERSION_MINOR, TG_VERSION_PATCH - 1));
    if (TG_VERSION_MINOR > 0)
        assert_true(TG_VERSION_CHECK(TG_VERSION_MAJOR, TG_VERSION_MINOR - 1, 99));
    if (TG_VERSION_MAJOR > 0) assert_true(TG_VERSION_CHECK(TG_VERSION_MAJOR - 1, 99, 99));
}

/* ------------------------------------------------------------------ */
/* tiergraph.h "Every free function accepts NULL"                      */
/* ------------------------------------------------------------------ */

static void free_functions_accept_null(void **state)
{
    (void)state;
    tg_graph *g = NULL;
    assert_int_equal(tg_graph_open(&g, "bad:"), TG_EINVAL);
    char before[512];
    snprintf(before, sizeof(before), "%s", tg_error_message());
    tg_free(NULL);
    tg_invite_free(NULL);
    tg_draft_free(NULL);
    tg_problems_free(NULL);
    tg_receipt_free(NULL);
    tg_iter_free(NULL);
    tg_session_close(NULL);
    tg_graph_close(NULL);
    /* No-ops: no error was recorded either. */
    assert_string_equal(tg_error_message(), before);
}

/* The free functions also release real objects (ASan reports leaks otherwise). */
static void free_functions_release_objects(void **state)
{
    fx *f = *state;
    tg_invite *inv = NULL;
    assert_int_equal(tg_invite_create(&inv, fx_user(f, "ga@p1")), TG_OK);
    tg_invite_free(inv);
    tg_draft *d = NULL;
    assert_int_equal(tg_draft_new(&d, fx_user(f, "ga@p1")), TG_OK);
    tg_problems *pr = NULL;
    assert_int_equal(tg_draft_review(&pr, d), TG_EINVAL);
    assert_non_null(pr);
    assert_true(tg_problems_count(pr) > 0);
    tg_problems_free(pr);
    tg_draft_free(d);
    tg_iter *it = NULL;
    assert_int_equal(tg_resellers(&it, fx_user(f, "ga@p1")), TG_OK);
    tg_iter_free(it);
    char *json = NULL;
    assert_int_equal(tg_partner_get(&json, fx_user(f, "ga@p1"), P1), TG_OK);
    tg_free(json);
    tg_session *s = NULL;
    assert_int_equal(tg_session_user(&s, f->g, "ga@d1"), TG_OK);
    tg_session_close(s);
}

/* An id argument that must be a GUID: exactly 36 bytes, hex digits of either
 * case, dashes at 8, 13, 18 and 23; anything else is TG_EINVAL, and no byte past
 * a shorter string's end is read (ASan would say). */
static void guid_ids_are_recognised_exactly(void **state)
{
    (void)state;
    assert_true(tg__is_guid("0123abcd-ef01-2345-6789-abcdef012345"));
    assert_true(tg__is_guid("0123ABCD-EF01-2345-6789-ABCDEF012345"));
    assert_true(tg__is_guid("0123aBcD-eF01-2345-6789-AbCdEf012345"));
    const char *bad[] = {
        "",
        "0123abcd-ef01-2345-6789-abcdef01234",   /* 35 bytes */
        "0123abcd-ef01-2345-6789-abcdef0123456", /* 37 */
        "0123abcd0ef01-2345-6789-abcdef012345",  /* no dash at 8 */
        "0123abcd-ef01-2345-6789-abcdef01234-",  /* a dash where a digit goes */
        "0123abcd-ef01-2345-6789-abcdef01234g",  /* not hex */
        "0123abcd-ef01-2345-6789-abcdef01234\x80",
        "-123abcd-ef01-2345-6789-abcdef012345",
        "0123abcd-ef01-2345-6789-abcdef01 345",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        assert_false(tg__is_guid(bad[i]));
        assert_int_equal(tg__check_guid(bad[i], "customer id"), TG_EINVAL);
    }
    assert_false(tg__is_guid(NULL));
    assert_int_equal(tg__check_guid(NULL, "customer id"), TG_EINVAL);
    /* A short string at the very end of a heap block: its NUL is the last byte. */
    char *shortid = malloc(9);
    assert_non_null(shortid);
    memcpy(shortid, "0123abcd", 9);
    assert_false(tg__is_guid(shortid));
    free(shortid);
    assert_int_equal(tg__check_guid("0123abcd-ef01-2345-6789-abcdef01234g", "customer id"),
                     TG_EINVAL);
    assert_non_null(strstr(tg_error_message(), "is not a GUID"));
}

/* Times in messages (a lockout's end, a term's end) print any year whole: past
 * 9999 and before year 1 too, never cut short. */
static void times_in_messages_print_any_year(void **state)
{
    (void)state;
    char buf[TG__TIME_TEXT];
    tg__format_time(buf, 0);
    assert_string_equal(buf, "1970-01-01 00:00 UTC");
    tg__format_time(buf, 1731622380); /* 2024-11-14 22:13 */
    assert_string_equal(buf, "2024-11-14 22:13 UTC");
    tg__format_time(buf, 253402300800); /* the first second of year 10000 */
    assert_string_equal(buf, "10000-01-01 00:00 UTC");
    tg__format_time(buf, -62135596800); /* the first of year 1 */
    assert_string_equal(buf, "0001-01-01 00:00 UTC");
    tg__format_time(buf, INT64_MAX / 2);
    assert_true(strlen(buf) > 20 && strcmp(buf + strlen(buf) - 4, " UTC") == 0);
    tg__format_time(buf, INT64_MIN / 2);
    assert_true(buf[0] == '-' && strcmp(buf + strlen(buf) - 4, " UTC") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* tiergraph.h: pinned error codes and texts */
        cmocka_unit_test(error_codes_have_pinned_values),
        cmocka_unit_test(times_in_messages_print_any_year),
        cmocka_unit_test(strerror_texts_are_distinct_and_static),
        cmocka_unit_test(strerror_of_unknown_code_is_not_null),
        /* tiergraph.h: the per-thread error message */
        cmocka_unit_test(error_message_is_never_null),
        cmocka_unit_test(error_message_is_per_thread),
        cmocka_unit_test(messages_are_formatted_as_snprintf_would),
        /* tiergraph.h: versions */
        cmocka_unit_test(version_functions_agree_with_macros),
        cmocka_unit_test(version_check_macro_compares_versions),
        /* tiergraph.h: free functions */
        cmocka_unit_test(free_functions_accept_null),
        cmocka_unit_test(guid_ids_are_recognised_exactly),
        cmocka_unit_test_setup_teardown(free_functions_release_objects, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
