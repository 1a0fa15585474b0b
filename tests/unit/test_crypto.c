/* test_crypto.c - unit tests of src/crypto: GUID format, password alphabet and
 * distribution, invite tokens and their hashes, Argon2id verifiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "util/error.h"
#include "util/str.h"

/* Characters that read alike in common fonts; none may appear in a password. */
static const char lookalikes[] = "0O1lIi|o";

/* Every character that can appear in a temporary password, and only those. */
static char alphabet[128];

static void build_alphabet(void)
{
    alphabet[0] = '\0';
    strcat(alphabet, tg__password_upper);
    strcat(alphabet, tg__password_lower);
    strcat(alphabet, tg__password_digits);
    strcat(alphabet, tg__password_symbols);
}

static int is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Clear this thread's error message so a test sees only what its call recorded. */
static void clear_error(void)
{
    (void)tg__err(TG_OK, "%s", "");
}

/* ---- GUIDs ---------------------------------------------------------- */

static void test_guid_format(void **state)
{
    char g[TG__GUID_LEN + 1];
    int round;
    (void)state;

    for (round = 0; round < 200; round++) {
        size_t i;
        memset(g, 'X', sizeof(g));
        tg__guid_generate(g);
        assert_int_equal(strlen(g), TG__GUID_LEN);
        for (i = 0; i < TG__GUID_LEN; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                assert_int_equal(g[i], '-');
            else
                assert_true(is_lower_hex(g[i]));
        }
        assert_int_equal(g[14], '4');           /* version 4 */
        assert_non_null(strchr("89ab", g[19])); /* RFC 4122 variant */
        assert_true(tg__is_guid(g));
    }
}

static void test_guid_distinct(void **state)
{
    char a[TG__GUID_LEN + 1], b[TG__GUID_LEN + 1];
    (void)state;

    tg__guid_generate(a);
    tg__guid_generate(b);
    assert_string_not_equal(a, b);
}

/* ---- Temporary passwords -------------------------------------------- */

static void test_password_alphabet_has_no_lookalikes(void **state)
{
    const char *p;
    (void)state;

    build_alphabet();
    assert_int_equal(strlen(tg__password_upper), 24);
    assert_int_equal(strlen(tg__password_lower), 23);
    assert_int_equal(strlen(tg__password_digits), 8);
    assert_int_equal(strlen(tg__password_symbols), 13);
    assert_null(strpbrk(alphabet, lookalikes));
    /* Nothing that needs quoting in a shell, JSON or CSV. */
    assert_null(strpbrk(alphabet, "\"'\\` ,;|"));
    for (p = tg__password_upper; *p; p++) assert_true(*p >= 'A' && *p <= 'Z');
    for (p = tg__password_lower; *p; p++) assert_true(*p >= 'a' && *p <= 'z');
    for (p = tg__password_digits; *p; p++) assert_true(*p >= '2' && *p <= '9');
    for (p = tg__password_symbols; *p; p++)
        assert_true(*p > ' ' && *p < 0x7f && !((*p >= 'A' && *p <= 'Z')
                    || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')));
    /* No character twice: a duplicate would double its probability. */
    for (p = alphabet; *p; p++)
        assert_ptr_equal(strchr(alphabet, *p), p);
}

static void test_password_shape(void **state)
{
    int round;
    (void)state;

    build_alphabet();
    for (round = 0; round < 500; round++) {
        char *pw = NULL;
        size_t i;

        assert_int_equal(tg__password_generate(&pw), TG_OK);
        assert_non_null(pw);
        assert_int_equal(strlen(pw), TG__PASSWORD_LEN);
        assert_int_equal(TG__PASSWORD_LEN, 16);
        for (i = 0; i < TG__PASSWORD_LEN; i++)
            assert_non_null(strchr(alphabet, pw[i]));
        assert_non_null(strpbrk(pw, tg__password_upper));
        assert_non_null(strpbrk(pw, tg__password_lower));
        assert_non_null(strpbrk(pw, tg__password_digits));
        assert_non_null(strpbrk(pw, tg__password_symbols));
        assert_null(strpbrk(pw, lookalikes));
        tg__secret_free(pw);
    }
}

static void test_password_null_out(void **state)
{
    (void)state;
    assert_int_equal(tg__password_generate(NULL), TG_EINVAL);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_password_distinct(void **state)
{
    enum { N = 1000 };
    char **pws = calloc(N, sizeof(*pws));
    size_t i;
    (void)state;

    assert_non_null(pws);
    for (i = 0; i < N; i++)
        assert_int_equal(tg__password_generate(&pws[i]), TG_OK);
    qsort(pws, N, sizeof(*pws), cmp_str);
    for (i = 1; i < N; i++)
        assert_string_not_equal(pws[i - 1], pws[i]);
    for (i = 0; i < N; i++)
        tg__secret_free(pws[i]);
    free(pws);
}

/* Sum over the subsets S of the classes in `mask` of (-1)^|S| ((n - |S|) / n)^k,
 * where |S| counts characters: the probability (inclusion-exclusion) that k
 * uniform draws from n characters hit every class in `mask`. */
/* x^k without libm: the standalone build links no -lm. */
static double ipow(double x, int k)
{
    double r = 1.0;
    while (k-- > 0)
        r *= x;
    return r;
}

static double p_all_classes(const size_t size[4], unsigned mask, size_t n, int k)
{
    double p = 0.0;
    unsigned s;

    for (s = 0; s < 16; s++) {
        size_t missing = 0;
        int sign = 1, c;
        if ((s & ~mask) != 0)
            continue;
        for (c = 0; c < 4; c++)
            if (s & (1u << c)) {
                missing += size[c];
                sign = -sign;
            }
        p += sign * ipow((double)(n - missing) / (double)n, k);
    }
    return p;
}

/* Every character is drawn uniformly and whole passwords missing a class are
 * redrawn, so a character's expected count is exactly computable: for c in class
 * K, E[count] = M * 16 * P(first = c | valid), with
 * P(first = c and valid) = 1/n * P(the other 15 cover every class but K).
 * Characters of small classes come out more frequent than those of large ones
 * (digits +15%, symbols +1%, letters -3% against the plain mean): that is what
 * requiring every class costs, not a bias of the generator.
 *
 * Bounds: a count is a sum of M independent per-password counts with variance
 * below their mean, so sigma <= sqrt(E) ~ 69 for E ~ 4700. The check allows
 * 8 sigma (about 12% of E): a false failure has probability below 1e-13 per
 * character, while a byte % 68 modulo bias (-20% for the last 16 characters),
 * a lost character, or forcing the classes instead of redrawing (digits back at
 * the plain mean, 15% low) still fails. The brief's looser "within 30% of the mean
 * of all characters" is checked too. */
static void test_password_distribution(void **state)
{
    enum { M = 20000 };
    const char *cls[4] = { tg__password_upper, tg__password_lower,
                           tg__password_digits, tg__password_symbols };
    size_t size[4], n = 0, counts[256] = { 0 }, total = 0;
    double p_valid, mean;
    int c, m;
    (void)state;

    build_alphabet();
    for (c = 0; c < 4; c++) {
        size[c] = strlen(cls[c]);
        n += size[c];
    }
    assert_int_equal(n, strlen(alphabet));

    for (m = 0; m < M; m++) {
        char *pw = NULL;
        const char *p;
        assert_int_equal(tg__password_generate(&pw), TG_OK);
        for (p = pw; *p; p++) {
            counts[(unsigned char)*p]++;
            total++;
        }
        tg__secret_free(pw);
    }
    assert_int_equal(total, (size_t)M * TG__PASSWORD_LEN);

    p_valid = p_all_classes(size, 0xf, n, TG__PASSWORD_LEN);
    mean = (double)total / (double)n;
    for (c = 0; c < 4; c++) {
        double p_first = p_all_classes(size, 0xf & ~(1u << c), n, TG__PASSWORD_LEN - 1)
                         / (double)n;
        double expected = (double)M * TG__PASSWORD_LEN * p_first / p_valid;
        const char *p;

        for (p = cls[c]; *p; p++) {
            double got = (double)counts[(unsigned char)*p];
            double dev = got - expected, dmean = got > mean ? got - mean : mean - got;
            /* |dev| > 8 sqrt(expected), squared to avoid libm */
            if (got == 0 || dev * dev > 64.0 * expected || dmean > 0.30 * mean)
                fail_msg("character '%c' drawn %.0f times, expected %.1f (mean %.1f)",
                         *p, got, expected, mean);
        }
    }
    /* Nothing outside the alphabet was ever drawn. */
    for (c = 1; c < 256; c++)
        if (counts[c] != 0)
            assert_non_null(strchr(alphabet, c));
}

/* ---- Invite tokens -------------------------------------------------- */

static int is_base64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || c == '-' || c == '_';
}

static void test_token_format(void **state)
{
    int round;
    (void)state;

    for (round = 0; round < 200; round++) {
        char *tok = NULL;
        size_t i;
        assert_int_equal(tg__token_generate(&tok), TG_OK);
        assert_non_null(tok);
        assert_int_equal(strlen(tok), TG__TOKEN_LEN);
        for (i = 0; i < TG__TOKEN_LEN; i++)
            assert_true(is_base64url(tok[i]));
        tg__secret_free(tok);
    }
    assert_int_equal(tg__token_generate(NULL), TG_EINVAL);
}

static void test_token_decodes_to_32_bytes(void **state)
{
    char *tok = NULL;
    unsigned char bin[64];
    size_t bin_len = 0;
    (void)state;

    assert_int_equal(tg__token_generate(&tok), TG_OK);
    assert_int_equal(sodium_base642bin(bin, sizeof(bin), tok, strlen(tok), NULL, &bin_len,
                                       NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    assert_int_equal(bin_len, 32);
    tg__secret_free(tok);
}

static void test_token_distinct(void **state)
{
    enum { N = 200 };
    char *toks[N];
    size_t i;
    (void)state;

    for (i = 0; i < N; i++)
        assert_int_equal(tg__token_generate(&toks[i]), TG_OK);
    qsort(toks, N, sizeof(*toks), cmp_str);
    for (i = 1; i < N; i++)
        assert_string_not_equal(toks[i - 1], toks[i]);
    for (i = 0; i < N; i++)
        tg__secret_free(toks[i]);
}

static void test_token_hash(void **state)
{
    char *a = NULL, *b = NULL;
    char ha[TG__TOKEN_HASH_LEN + 1], ha2[TG__TOKEN_HASH_LEN + 1], hb[TG__TOKEN_HASH_LEN + 1];
    size_t i;
    (void)state;

    assert_int_equal(tg__token_generate(&a), TG_OK);
    assert_int_equal(tg__token_generate(&b), TG_OK);
    tg__token_hash(ha, a, strlen(a));
    tg__token_hash(ha2, a, strlen(a));
    tg__token_hash(hb, b, strlen(b));

    assert_int_equal(strlen(ha), TG__TOKEN_HASH_LEN);
    for (i = 0; i < TG__TOKEN_HASH_LEN; i++)
        assert_true(is_lower_hex(ha[i]));
    assert_string_equal(ha, ha2);      /* deterministic */
    assert_string_not_equal(ha, hb);   /* different tokens, different hashes */
    assert_null(strstr(ha, a));        /* the hash does not reveal the token */
    tg__secret_free(a);
    tg__secret_free(b);
}

/* Expected values from python3: hashlib.blake2b(data, digest_size=32).hexdigest(). */
static void test_token_hash_known_answer(void **state)
{
    static const char input[] = "tiergraph invite token";
    char h[TG__TOKEN_HASH_LEN + 1];
    (void)state;

    tg__token_hash(h, input, strlen(input));
    assert_string_equal(h, "5eccebcf44ba84a59c47459bfa88cb2ffdca12c18762e1542891237da4a2333b");
    /* Only `len` bytes count, not the rest of the string. */
    tg__token_hash(h, "abcdef", 3);
    assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    tg__token_hash(h, "", 0);
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

/* ---- Argon2id verifiers --------------------------------------------- */

#define OPS_MIN ((uint64_t)crypto_pwhash_argon2id_OPSLIMIT_MIN)
#define MEM_MIN ((size_t)crypto_pwhash_argon2id_MEMLIMIT_MIN)

static void test_argon2id_hash_and_verify(void **state)
{
    static const char password[] = "Kx7#mPq2@vWz9!rT";
    char v[TG__VERIFIER_MAX];
    (void)state;

    memset(v, 0, sizeof(v));
    assert_int_equal(tg__password_hash(v, password, OPS_MIN, MEM_MIN), TG_OK);
    assert_true(strncmp(v, "$argon2id$", 10) == 0);
    assert_true(strlen(v) < TG__VERIFIER_MAX);
    assert_null(strstr(v, password));
    assert_null(strstr(v, "Kx7#mP")); /* not even a part of it */

    assert_int_equal(tg__password_verify(v, password), TG_OK);

    clear_error();
    assert_int_equal(tg__password_verify(v, "Kx7#mPq2@vWz9!rU"), TG_EDENIED);
    assert_string_equal(tg_error_message(), "password does not match");
    assert_int_equal(tg__password_verify(v, ""), TG_EDENIED);
    assert_int_equal(tg__password_verify(v, "Kx7#mPq2@vWz9!r"), TG_EDENIED);
}

static void test_argon2id_salted(void **state)
{
    static const char password[] = "same password";
    char v1[TG__VERIFIER_MAX], v2[TG__VERIFIER_MAX];
    (void)state;

    assert_int_equal(tg__password_hash(v1, password, OPS_MIN, MEM_MIN), TG_OK);
    assert_int_equal(tg__password_hash(v2, password, OPS_MIN, MEM_MIN), TG_OK);
    assert_string_not_equal(v1, v2);
    assert_int_equal(tg__password_verify(v1, password), TG_OK);
    assert_int_equal(tg__password_verify(v2, password), TG_OK);
}

static void test_argon2id_limits(void **state)
{
    char v[TG__VERIFIER_MAX];
    const char *msg;
    (void)state;

    clear_error();
    assert_int_equal(tg__password_hash(v, "pw", OPS_MIN - 1, MEM_MIN), TG_EINVAL);
    msg = tg_error_message();
    assert_true(strlen(msg) > 0);
    assert_string_not_equal(msg, "no error");
    assert_non_null(strstr(msg, "opslimit"));

    clear_error();
    assert_int_equal(tg__password_hash(v, "pw", OPS_MIN, MEM_MIN - 1), TG_EINVAL);
    msg = tg_error_message();
    assert_true(strlen(msg) > 0);
    assert_string_not_equal(msg, "no error");
    assert_non_null(strstr(msg, "memlimit"));

    assert_int_equal(tg__password_hash(v, "pw", 0, 0), TG_EINVAL);
}

static void test_argon2id_null_args(void **state)
{
    char v[TG__VERIFIER_MAX];
    (void)state;

    assert_int_equal(tg__password_hash(NULL, "pw", OPS_MIN, MEM_MIN), TG_EINVAL);
    assert_int_equal(tg__password_hash(v, NULL, OPS_MIN, MEM_MIN), TG_EINVAL);
    assert_int_equal(tg__password_hash(v, "pw", OPS_MIN, MEM_MIN), TG_OK);
    assert_int_equal(tg__password_verify(NULL, "pw"), TG_EINVAL);
    assert_int_equal(tg__password_verify(v, NULL), TG_EINVAL);
}

static void test_argon2id_rejects_other_verifiers(void **state)
{
    char v[crypto_pwhash_STRBYTES];
    char bad[TG__VERIFIER_MAX + 16];
    (void)state;

    /* An argon2i verifier that libsodium itself would accept. */
    assert_int_equal(crypto_pwhash_str_alg(v, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                           crypto_pwhash_argon2i_MEMLIMIT_MIN,
                                           crypto_pwhash_ALG_ARGON2I13), 0);
    assert_int_equal(crypto_pwhash_str_verify(v, "pw", 2), 0);
    assert_int_equal(tg__password_verify(v, "pw"), TG_EDENIED);

    assert_int_equal(tg__password_verify("", "pw"), TG_EDENIED);
    assert_int_equal(tg__password_verify("pw", "pw"), TG_EDENIED);
    assert_int_equal(tg__password_verify("$argon2id$", ""), TG_EDENIED);

    /* Longer than any verifier tg__password_hash can write. */
    memset(bad, 'a', sizeof(bad) - 1);
    bad[sizeof(bad) - 1] = '\0';
    memcpy(bad, "$argon2id$", 10);
    assert_int_equal(tg__password_verify(bad, "pw"), TG_EDENIED);
}

static void test_secret_free_null(void **state)
{
    (void)state;
    tg__secret_free(NULL); /* must not crash */
    assert_int_equal(tg__crypto_init(), TG_OK);
    assert_int_equal(tg__crypto_init(), TG_OK); /* idempotent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guid_format),
        cmocka_unit_test(test_guid_distinct),
        cmocka_unit_test(test_password_alphabet_has_no_lookalikes),
        cmocka_unit_test(test_password_shape),
        cmocka_unit_test(test_password_null_out),
        cmocka_unit_test(test_password_distinct),
        cmocka_unit_test(test_password_distribution),
        cmocka_unit_test(test_token_format),
        cmocka_unit_test(test_token_decodes_to_32_bytes),
        cmocka_unit_test(test_token_distinct),
        cmocka_unit_test(test_token_hash),
        cmocka_unit_test(test_token_hash_known_answer),
        cmocka_unit_test(test_argon2id_hash_and_verify),
        cmocka_unit_test(test_argon2id_salted),
        cmocka_unit_test(test_argon2id_limits),
        cmocka_unit_test(test_argon2id_null_args),
        cmocka_unit_test(test_argon2id_rejects_other_verifiers),
        cmocka_unit_test(test_secret_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
