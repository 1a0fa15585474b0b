/* fuzz_journal.c - libFuzzer target: the "file:" journal reader, tg__jnl_read, on
 * the input bytes as they are and resealed (reseal.h). Whatever the bytes, the
 * reader must answer TG_OK or TG_ECORRUPT (with the offset in its message), report
 * only well-formed ops lying inside the intact part, in order, and answer the same
 * way twice; the two-thread reader must read a whole journal to the same ops and
 * refuse any other. Any broken promise aborts, which libFuzzer reports as a crash. */
#include "reseal.h"
#include "store/journal.h"
#include "tiergraph.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz_journal: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

typedef struct reading {
    const uint8_t *data;
    size_t size;
    size_t next_at; /* ops come in journal order, never overlapping */
    size_t ops;
} reading;

static int check_op(void *ctx, int type, const char *key, size_t klen, const unsigned char *val,
                    size_t vlen, size_t at, size_t oplen)
{
    reading *r = ctx;
    REQUIRE(type == TG__OP_PUT || type == TG__OP_DEL);
    REQUIRE(at >= TG__JNL_HEADER_LEN + TG__FRAME_HEAD && at >= r->next_at);
    REQUIRE(oplen == TG__OP_HEAD + klen + vlen && oplen <= r->size - at);
    REQUIRE(klen > 0 && memchr(key, '\0', klen) == NULL);
    REQUIRE(type == TG__OP_PUT || vlen == 0);
    REQUIRE((const uint8_t *)key == r->data + at + TG__OP_HEAD && val == (const uint8_t *)key + klen);
    /* tg__op_decode reads the op back the same way. */
    int t2;
    const char *k2;
    const unsigned char *v2;
    size_t kl2, vl2;
    tg__op_decode(r->data, at, &t2, &k2, &kl2, &v2, &vl2);
    REQUIRE(t2 == type && k2 == key && kl2 == klen && v2 == val && vl2 == vlen);
    r->next_at = at + oplen;
    r->ops++;
    return 0;
}

static int read_journal(const uint8_t *data, size_t size, reading *r, size_t *end)
{
    *r = (reading){.data = data, .size = size};
    *end = (size_t)-1;
    return tg__jnl_read(data, size, check_op, r, end);
}

static void check_reader(const uint8_t *data, size_t size)
{
    reading r;
    size_t end;
    int rc = read_journal(data, size, &r, &end);
    if (rc == TG_OK) {
        REQUIRE(end <= size);
        REQUIRE(end == 0 || end >= TG__JNL_HEADER_LEN);
        REQUIRE(r.next_at + TG__FRAME_TAIL <= end || r.ops == 0);
        /* A journal without its header is either empty or a header cut short. */
        if (end == 0) REQUIRE(size < TG__JNL_HEADER_LEN && memcmp(data, tg__jnl_header, size) == 0);
    } else {
        REQUIRE(rc == TG_ECORRUPT || rc == TG_ENOMEM);
        REQUIRE(rc == TG_ENOMEM || strstr(tg_error_message(), "byte ") != NULL);
    }
    /* The same bytes, the same answer. */
    reading again;
    size_t end2;
    int rc2 = read_journal(data, size, &again, &end2);
    REQUIRE(rc2 == rc && again.ops == r.ops && (rc != TG_OK || end2 == end));
}

/* The two-thread reader (tg__jnl_read_fast) agrees with tg__jnl_read: it reads a
 * whole journal (every frame intact, up to the end) to the same ops, and answers
 * TG__JNL_NOT_WHOLE for anything else. */
typedef struct op_list {
    size_t n, cap;
    size_t *at;
} op_list;

static int list_op(void *ctx, int type, const char *key, size_t klen, const unsigned char *val,
                   size_t vlen, size_t at, size_t oplen)
{
    op_list *l = ctx;
    (void)type, (void)key, (void)klen, (void)val, (void)vlen, (void)oplen;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        size_t *p = realloc(l->at, cap * sizeof(*p));
        if (!p) return TG_ENOMEM;
        l->at = p;
        l->cap = cap;
    }
    l->at[l->n++] = at;
    return 0;
}

static void check_fast_reader(const uint8_t *data, size_t size)
{
    op_list slow = {0}, fast = {0};
    size_t slow_end, fast_end;
    int slow_rc = tg__jnl_read(data, size, list_op, &slow, &slow_end);
    int fast_rc = tg__jnl_read_fast(data, size, list_op, NULL, &fast, &fast_end);
    if (fast_rc != TG_ENOMEM && slow_rc != TG_ENOMEM) {
        bool whole = slow_rc == TG_OK && slow_end == size && size >= TG__JNL_HEADER_LEN;
        REQUIRE(fast_rc == (whole ? TG_OK : TG__JNL_NOT_WHOLE));
        if (whole) {
            REQUIRE(fast_end == size && fast.n == slow.n);
            REQUIRE(fast.n == 0 || memcmp(fast.at, slow.at, fast.n * sizeof(size_t)) == 0);
        }
    }
    free(slow.at);
    free(fast.at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_reader(data, size);
    check_fast_reader(data, size);
    size_t n;
    uint8_t *resealed = fuzz_reseal(data, size, &n);
    if (resealed) {
        check_reader(resealed, n);
        check_fast_reader(resealed, n);
    }
    free(resealed);
    return 0;
}
