/* test_journal_fast.c - the two-thread journal reader (src/store/journal_fast.c)
 * against tg__jnl_read: a whole journal, small and large enough for the second
 * thread, reads to the same ops in the same order, each shown to `ahead` first; a
 * damaged frame (early, in the middle, last), a torn tail, a malformed op in an
 * intact frame, a foreign header are TG__JNL_NOT_WHOLE; the callback's error comes
 * back as it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/journal.h"
#include "tiergraph.h"

typedef struct journal {
    unsigned char *p;
    size_t len, cap;
    size_t *frames; /* where each frame starts */
    size_t nframes;
} journal;

static void append(journal *j, const void *bytes, size_t n)
{
    if (j->len + n > j->cap) {
        j->cap = (j->len + n) * 2;
        j->p = realloc(j->p, j->cap);
        assert_non_null(j->p);
    }
    memcpy(j->p + j->len, bytes, n);
    j->len += n;
}

/* A journal of `frames` commits of a few puts and deletes each, about `value` bytes
 * a record. */
static journal make(size_t frames, size_t value)
{
    journal j = {0};
    append(&j, tg__jnl_header, TG__JNL_HEADER_LEN);
    j.frames = calloc(frames ? frames : 1, sizeof(size_t));
    tg__bytes f = {0};
    char key[64], *val = malloc(value + 1);
    memset(val, 'v', value);
    for (size_t i = 0; i < frames; i++) {
        assert_int_equal(tg__frame_begin(&f), TG_OK);
        for (size_t k = 0; k < 1 + i % 4; k++) {
            snprintf(key, sizeof(key), "customer/%zu", (i * 7 + k) % 5000);
            if ((i + k) % 5 == 4)
                assert_int_equal(tg__frame_op(&f, TG__OP_DEL, key, strlen(key), NULL, 0), TG_OK);
            else
                assert_int_equal(tg__frame_op(&f, TG__OP_PUT, key, strlen(key), val, value - i % 7), TG_OK);
        }
        assert_int_equal(tg__frame_seal(&f), TG_OK);
        j.frames[j.nframes++] = j.len;
        append(&j, f.p, f.len);
    }
    tg__bytes_free(&f);
    free(val);
    return j;
}

static void journal_free(journal *j)
{
    free(j->p);
    free(j->frames);
}

typedef struct seen {
    size_t n, cap, *at;
    size_t shown, cap_shown;
    const char **shown_keys; /* keys passed to `ahead`, in order */
    int fail_at;             /* when > 0, the op of this number returns TG_EIO */
} seen;

static int on_op(void *ctx, int type, const char *key, size_t klen, const unsigned char *val,
                 size_t vlen, size_t at, size_t oplen)
{
    seen *s = ctx;
    (void)type, (void)klen, (void)val, (void)vlen, (void)oplen;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->at = realloc(s->at, s->cap * sizeof(*s->at));
        assert_non_null(s->at);
    }
    /* An op is shown to `ahead` before it is reported (when `ahead` is used). */
    if (s->shown_keys) {
        assert_true(s->shown > s->n);
        assert_ptr_equal(s->shown_keys[s->n], key);
    }
    s->at[s->n++] = at;
    if (s->fail_at && (int)s->n == s->fail_at) return TG_EIO;
    return 0;
}

static void on_ahead(void *ctx, const char *key, size_t klen)
{
    seen *s = ctx;
    (void)klen;
    if (s->shown == s->cap_shown) {
        s->cap_shown = s->cap_shown ? s->cap_shown * 2 : 256;
        s->shown_keys = realloc(s->shown_keys, s->cap_shown * sizeof(*s->shown_keys));
        assert_non_null(s->shown_keys);
    }
    s->shown_keys[s->shown++] = key;
}

static void seen_free(seen *s)
{
    free(s->at);
    free(s->shown_keys);
}

/* Both readers on j: the same ops when it is whole, else TG__JNL_NOT_WHOLE. */
static void agree(const journal *j, int want_fast)
{
    seen slow = {0}, fast = {0};
    size_t slow_end = 0, fast_end = 0;
    (void)tg__jnl_read(j->p, j->len, on_op, &slow, &slow_end);
    int rc = tg__jnl_read_fast(j->p, j->len, on_op, on_ahead, &fast, &fast_end);
    assert_int_equal(rc, want_fast);
    if (rc == TG_OK) {
        assert_int_equal(fast_end, j->len);
        assert_int_equal(slow_end, j->len);
        assert_int_equal(fast.n, slow.n);
        assert_memory_equal(fast.at, slow.at, fast.n * sizeof(size_t));
    }
    seen_free(&slow);
    seen_free(&fast);
}

static void whole_journals_read_alike(void **state)
{
    (void)state;
    journal j = {0};
    append(&j, tg__jnl_header, TG__JNL_HEADER_LEN); /* a header and no frame */
    agree(&j, TG_OK);
    journal_free(&j);
    size_t sizes[] = {1, 2, 100, 3000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        j = make(sizes[i], 200);
        agree(&j, TG_OK);
        journal_free(&j);
    }
    /* Large enough for the second thread (4 MiB and more). */
    j = make(12000, 600);
    assert_true(j.len > (6u << 20));
    agree(&j, TG_OK);
    journal_free(&j);
}

static void damage_is_not_whole(void **state)
{
    (void)state;
    journal j = make(12000, 600);
    size_t which[] = {0, 1, j.nframes / 2, j.nframes - 1};
    for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
        /* A payload byte: the hash fails (the shape is intact). */
        size_t at = j.frames[which[i]] + TG__FRAME_HEAD + TG__OP_HEAD + 3;
        j.p[at] ^= 0x40;
        agree(&j, TG__JNL_NOT_WHOLE);
        j.p[at] ^= 0x40;
        /* The hash itself. */
        size_t end = which[i] + 1 < j.nframes ? j.frames[which[i] + 1] : j.len;
        j.p[end - 1] ^= 1;
        agree(&j, TG__JNL_NOT_WHOLE);
        j.p[end - 1] ^= 1;
        /* The magic. */
        j.p[j.frames[which[i]]] ^= 1;
        agree(&j, TG__JNL_NOT_WHOLE);
        j.p[j.frames[which[i]]] ^= 1;
    }
    agree(&j, TG_OK);
    /* A torn tail: the last frame cut short, or a few bytes of a next one. */
    size_t len = j.len;
    j.len = len - 5;
    agree(&j, TG__JNL_NOT_WHOLE);
    j.len = len;
    append(&j, "TGF\1\0\0", 6);
    agree(&j, TG__JNL_NOT_WHOLE);
    j.len = len;
    /* Not a journal. */
    j.p[0] = 'X';
    agree(&j, TG__JNL_NOT_WHOLE);
    journal_free(&j);
}

static void a_malformed_op_in_an_intact_frame_is_not_whole(void **state)
{
    (void)state;
    /* An op claiming a key longer than its frame, sealed with a correct hash. */
    journal j = {0};
    append(&j, tg__jnl_header, TG__JNL_HEADER_LEN);
    tg__bytes f = {0};
    assert_int_equal(tg__frame_begin(&f), TG_OK);
    assert_int_equal(tg__frame_op(&f, TG__OP_PUT, "user/a", 6, "{}", 2), TG_OK);
    f.p[TG__FRAME_HEAD + 1] = 200; /* klen */
    assert_int_equal(tg__frame_seal(&f), TG_OK);
    append(&j, f.p, f.len);
    tg__bytes_free(&f);
    size_t end;
    seen s = {0};
    assert_int_equal(tg__jnl_read(j.p, j.len, on_op, &s, &end), TG_ECORRUPT);
    assert_int_equal(tg__jnl_read_fast(j.p, j.len, on_op, NULL, &s, &end), TG__JNL_NOT_WHOLE);
    assert_int_equal(s.n, 0);
    seen_free(&s);
    journal_free(&j);
}

static void the_callbacks_error_comes_back(void **state)
{
    (void)state;
    journal j = make(12000, 600);
    seen s = {.fail_at = 5000};
    size_t end;
    assert_int_equal(tg__jnl_read_fast(j.p, j.len, on_op, NULL, &s, &end), TG_EIO);
    assert_int_equal(s.n, 5000);
    seen_free(&s);
    journal_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_journals_read_alike),
        cmocka_unit_test(damage_is_not_whole),
        cmocka_unit_test(a_malformed_op_in_an_intact_frame_is_not_whole),
        cmocka_unit_test(the_callbacks_error_comes_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
