/* test_corruption.c - damage a "file:" journal at many offsets (flip a bit, cut it
 * short, cut it and append garbage) and open it. Every outcome must be either a
 * clean open of a valid prefix (the records of the first k commits, exactly, and a
 * graph that passes tg_graph_verify) or TG_ECORRUPT naming a byte; never a crash,
 * never a wrong graph. Where the outcome is certain, it is pinned:
 *  - a cut leaves the longest whole prefix; a cut plus garbage too;
 *  - a flip in the header, or in any commit but the last, is TG_ECORRUPT;
 *  - a flip in the last commit drops that commit (it cannot be told from a torn write).
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "store/file.h"
#include "tmpdir.h"

#define HEADER 16
#define MAX_FRAMES 256

typedef struct journal {
    char *dir;
    char path[4096];
    unsigned char *bytes; /* the undamaged journal */
    size_t len;
    size_t bound[MAX_FRAMES + 1]; /* bound[k]: the end of the k-th commit; bound[0] = HEADER */
    size_t frames;
    char *dump[MAX_FRAMES + 1]; /* the store's records after k commits */
} journal;

typedef struct outcome {
    int rc;
    uint64_t revision;
    char *dump;
    int verified;
} outcome;

/* Open the journal as it is on disk now. */
static outcome open_now(journal *j)
{
    outcome o = {0};
    tg_store *s;
    o.rc = tg_store_file_new(&s, j->path);
    if (o.rc) return o;
    tg_graph *g;
    o.rc = tg_graph_open_store(&g, s);
    if (o.rc) {
        s->free(s);
        return o;
    }
    fx *f = fx_adopt(g);
    f->store = s;
    o.revision = tg_graph_revision(g);
    o.dump = fx_store_dump(f);
    o.verified = tg_graph_verify(g) == TG_OK;
    fx_free(f);
    return o;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int setup(void **state)
{
    journal *j = calloc(1, sizeof(*j));
    j->dir = tmpdir_new();
    snprintf(j->path, sizeof(j->path), "%s", tmpdir_path(j->dir, "graph.tg"));

    /* A journal of a few dozen commits of every kind, never compacted. */
    tg_store *s;
    assert_int_equal(tg_store_file_new(&s, j->path), TG_OK);
    tg__file_store_set_compact_min(s, UINT64_MAX);
    fx *f = fx_build(s);
    char cid[64];
    snprintf(cid, sizeof(cid), "%s", fx_customer(f, "ga@p1", "contoso", R1, 2));
    fx_customer(f, "ga@d1", "fabrikam", NULL, 1);
    assert_int_equal(tg_customer_set_reseller(fx_user(f, "ga@p1"), cid, NULL), TG_OK);
    assert_int_equal(tg_partnership_remove(fx_user(f, "ga@p1"), R1,
                                           TG_CONFIRM | TG_ATTEST_GOOD_FAITH),
                     TG_OK);
    uint64_t revision = tg_graph_revision(f->g);
    fx_free(f);

    j->bytes = file_read(j->path, &j->len);
    assert_non_null(j->bytes);
    j->bound[0] = HEADER;
    while (j->bound[j->frames] < j->len) {
        size_t at = j->bound[j->frames];
        assert_true(j->frames < MAX_FRAMES);
        j->bound[++j->frames] = at + 8 + le32(j->bytes + at + 4) + 16;
    }
    assert_int_equal(j->bound[j->frames], j->len);
    assert_int_equal(j->frames, revision); /* one frame per commit */

    /* The truth for each prefix: open exactly the first k commits. */
    for (size_t k = 0; k <= j->frames; k++) {
        file_write(j->path, j->bytes, j->bound[k]);
        outcome o = open_now(j);
        assert_int_equal(o.rc, TG_OK);
        assert_int_equal(o.revision, k);
        assert_true(o.verified);
        j->dump[k] = o.dump;
    }
    *state = j;
    return 0;
}

static int teardown(void **state)
{
    journal *j = *state;
    for (size_t k = 0; k <= j->frames; k++) free(j->dump[k]);
    free(j->bytes);
    tmpdir_remove(j->dir);
    free(j);
    return 0;
}

/* The number of whole commits in the first `len` bytes. */
static size_t whole_commits(const journal *j, size_t len)
{
    size_t k = 0;
    while (k < j->frames && j->bound[k + 1] <= len) k++;
    return k;
}

/* The number of commits whose bytes `bytes[0..len)` holds unchanged. */
static size_t intact_commits(const journal *j, const unsigned char *bytes, size_t len)
{
    size_t k = 0;
    while (k < j->frames && j->bound[k + 1] <= len &&
           memcmp(bytes, j->bytes, j->bound[k + 1]) == 0)
        k++;
    return k;
}

/* The commit whose frame holds byte `at` (0 for the header). */
static size_t frame_of(const journal *j, size_t at)
{
    size_t k = 1;
    while (k <= j->frames && j->bound[k] <= at) k++;
    return at < HEADER ? 0 : k;
}

/* Check an outcome: a clean open must be exactly a valid prefix. `expect` is the
 * pinned revision, or -1 for "TG_ECORRUPT", or -2 for "either". */
static void judge(journal *j, outcome o, long expect, const char *what, size_t at)
{
    if (o.rc == TG_OK) {
        if (o.revision > j->frames || strcmp(o.dump, j->dump[o.revision]) != 0)
            fail_msg("%s at %zu: opened a graph that is no prefix (revision %llu)", what, at,
                     (unsigned long long)o.revision);
        if (!o.verified) fail_msg("%s at %zu: the graph fails tg_graph_verify", what, at);
        if (expect == -1) fail_msg("%s at %zu: opened, expected TG_ECORRUPT", what, at);
        if (expect >= 0 && o.revision != (uint64_t)expect)
            fail_msg("%s at %zu: opened revision %llu, expected %ld", what, at,
                     (unsigned long long)o.revision, expect);
    } else {
        if (o.rc != TG_ECORRUPT)
            fail_msg("%s at %zu: %s (%d), expected a clean open or TG_ECORRUPT", what, at,
                     tg_error_message(), o.rc);
        if (!strstr(tg_error_message(), "byte "))
            fail_msg("%s at %zu: the message names no byte: %s", what, at, tg_error_message());
        if (expect >= 0) fail_msg("%s at %zu: TG_ECORRUPT, expected revision %ld", what, at, expect);
    }
    free(o.dump);
}

/* The offsets to damage: every byte of the header and around each frame boundary,
 * and a sweep across the rest. */
static int chosen(const journal *j, size_t at)
{
    if (at < HEADER + 12 || at % 13 == 0) return 1;
    for (size_t k = 1; k <= j->frames; k++)
        if (at + 3 >= j->bound[k] && at <= j->bound[k] + 12) return 1;
    return 0;
}

static void flipping_a_bit_anywhere(void **state)
{
    journal *j = *state;
    size_t tried = 0;
    unsigned char *copy = malloc(j->len);
    for (size_t at = 0; at < j->len; at++) {
        if (!chosen(j, at)) continue;
        memcpy(copy, j->bytes, j->len);
        copy[at] ^= (unsigned char)(1u << (at % 8));
        file_write(j->path, copy, j->len);
        size_t k = frame_of(j, at);
        long expect = k == 0 ? -1 : k < j->frames ? -1 : (long)j->frames - 1;
        judge(j, open_now(j), expect, "flip", at);
        tried++;
    }
    free(copy);
    print_message("flipped a bit at %zu offsets of %zu bytes (%zu commits)\n", tried, j->len,
                  j->frames);
}

static void cutting_it_short_anywhere(void **state)
{
    journal *j = *state;
    size_t tried = 0;
    for (size_t at = 0; at < j->len; at++) {
        if (!chosen(j, at)) continue;
        file_write(j->path, j->bytes, at);
        judge(j, open_now(j), (long)whole_commits(j, at), "cut", at);
        tried++;
    }
    print_message("cut the journal at %zu offsets\n", tried);
}

static void cutting_and_appending_garbage_anywhere(void **state)
{
    journal *j = *state;
    size_t tried = 0;
    unsigned char *copy = malloc(j->len + 64);
    uint32_t seed = 12345;
    for (size_t at = 0; at < j->len; at++) {
        if (!chosen(j, at)) continue;
        size_t extra = 1 + at % 64;
        memcpy(copy, j->bytes, at);
        for (size_t i = 0; i < extra; i++) {
            seed = seed * 1103515245u + 12345u;
            copy[at + i] = (unsigned char)(seed >> 16);
        }
        /* Sometimes garbage that starts like a frame. */
        if (at % 3 == 0 && extra >= 8) memcpy(copy + at, "TGF\001\377\377\000\000", 8);
        file_write(j->path, copy, at + extra);
        /* Inside the header, garbage makes it no journal's; after it, a torn tail. The
         * garbage may by chance complete the cut frame (one byte missing: 1 in 256), so
         * the expected prefix is the longest one the written bytes hold intact. */
        long expect = at < HEADER ? -2 : (long)intact_commits(j, copy, at + extra);
        judge(j, open_now(j), expect, "garbage", at);
        tried++;
    }
    free(copy);
    print_message("appended garbage at %zu offsets\n", tried);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flipping_a_bit_anywhere),
        cmocka_unit_test(cutting_it_short_anywhere),
        cmocka_unit_test(cutting_and_appending_garbage_anywhere),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
