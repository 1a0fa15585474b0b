/* crypto.c - tiergraph's secrets on top of libsodium: random GUIDs, temporary
 * passwords and invite tokens, BLAKE2b token hashes and Argon2id verifiers. */
#include "crypto.h"

#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "../util/error.h"

/* Callers size their buffers from crypto.h, so a libsodium whose constants grew
 * past ours must fail the build instead of overflowing at run time. */
static_assert(crypto_pwhash_STRBYTES <= TG__VERIFIER_MAX, "TG__VERIFIER_MAX too small");
static_assert(crypto_pwhash_argon2id_STRBYTES <= TG__VERIFIER_MAX, "TG__VERIFIER_MAX too small");
static_assert(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)
                  == TG__TOKEN_LEN + 1, "TG__TOKEN_LEN does not match 32 bytes of base64url");
static_assert(TG__TOKEN_HASH_LEN == 2 * 32, "TG__TOKEN_HASH_LEN is not BLAKE2b-256 in hex");

#define TOKEN_BYTES 32
#define TOKEN_HASH_BYTES 32

/* The classes leave out everything that reads alike in common fonts or that a
 * user might mistype: 0 O o, 1 l I i |, and symbols that need quoting in a shell,
 * JSON or CSV (quotes, backslash, backtick, space). Macros so the union below is
 * built at compile time from the same text as the exported arrays. */
#define UPPER "ABCDEFGHJKLMNPQRSTUVWXYZ"
#define LOWER "abcdefghjkmnpqrstuvwxyz"
#define DIGITS "23456789"
#define SYMBOLS "!#$%&*+-=?@^_"

const char tg__password_upper[] = UPPER;
const char tg__password_lower[] = LOWER;
const char tg__password_digits[] = DIGITS;
const char tg__password_symbols[] = SYMBOLS;

static const char password_alphabet[] = UPPER LOWER DIGITS SYMBOLS;
#define ALPHABET_LEN (sizeof(password_alphabet) - 1)
#define END_UPPER (sizeof(UPPER) - 1)
#define END_LOWER (END_UPPER + sizeof(LOWER) - 1)
#define END_DIGITS (END_LOWER + sizeof(DIGITS) - 1)

int tg__crypto_init(void)
{
    /* sodium_init() is itself idempotent and thread-safe: 0 = initialised now,
     * 1 = already initialised, -1 = failure (no usable random source). */
    if (sodium_init() < 0)
        return tg__err(TG_ERROR, "libsodium could not be initialised");
    return TG_OK;
}

void tg__guid_generate(char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    size_t i, o = 0;

    /* randombytes_buf works even if sodium_init failed (it falls back to the
     * system source and aborts rather than returning weak bytes). */
    (void)tg__crypto_init();
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant 10xx */

    for (i = 0; i < sizeof(b); i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0f];
    }
    out[o] = '\0';
}

int tg__password_generate(char **out)
{
    char *pw;
    int has_upper, has_lower, has_digit, has_symbol;
    size_t i;

    TG__ARG(out);
    *out = NULL;
    if (tg__crypto_init() != TG_OK)
        return TG_ERROR;

    pw = sodium_malloc(TG__PASSWORD_LEN + 1);
    if (pw == NULL)
        return tg__nomem();

    /* Draw every character uniformly from the whole alphabet and start over when
     * a class is missing: rejecting whole passwords keeps every valid password
     * equally likely, unlike forcing one character of each class into fixed or
     * random slots. About 83% of draws are accepted (16 characters, 68 symbols). The
     * password is built in place in guarded memory, so no copy needs wiping. */
    do {
        has_upper = has_lower = has_digit = has_symbol = 0;
        for (i = 0; i < TG__PASSWORD_LEN; i++) {
            uint32_t k = randombytes_uniform((uint32_t)ALPHABET_LEN);
            pw[i] = password_alphabet[k];
            /* The union is UPPER LOWER DIGITS SYMBOLS in order, so the index tells the class. */
            if (k < END_UPPER) has_upper = 1;
            else if (k < END_LOWER) has_lower = 1;
            else if (k < END_DIGITS) has_digit = 1;
            else has_symbol = 1;
        }
    } while (!(has_upper && has_lower && has_digit && has_symbol));
    pw[TG__PASSWORD_LEN] = '\0';

    *out = pw;
    return TG_OK;
}

int tg__token_generate(char **out)
{
    unsigned char raw[TOKEN_BYTES];
    char *tok;

    TG__ARG(out);
    *out = NULL;
    if (tg__crypto_init() != TG_OK)
        return TG_ERROR;

    tok = sodium_malloc(TG__TOKEN_LEN + 1);
    if (tok == NULL)
        return tg__nomem();

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(tok, TG__TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    /* The raw bytes are the token in another encoding: do not leave them on the stack. */
    sodium_memzero(raw, sizeof(raw));

    *out = tok;
    return TG_OK;
}

void tg__token_hash(char *out, const char *token, size_t len)
{
    unsigned char h[TOKEN_HASH_BYTES];

    (void)tg__crypto_init();
    /* A NULL token hashes as the empty string rather than crashing: the void
     * signature leaves no way to report it, and no real token is empty. */
    if (token == NULL)
        len = 0;
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(out, TG__TOKEN_HASH_LEN + 1, h, sizeof(h));
}

void tg__secret_free(char *secret)
{
    /* sodium_free wipes the region before unmapping it, and accepts NULL. */
    sodium_free(secret);
}

int tg__password_hash(char *out, const char *password, uint64_t opslimit, size_t memlimit)
{
    TG__ARG(out);
    TG__ARG(password);
    if (tg__crypto_init() != TG_OK)
        return TG_ERROR;

    /* Check the limits here so a bad option yields TG_EINVAL with a reason,
     * not the ENOMEM-like -1 that libsodium returns for everything. */
    if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN
        || opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX)
        return tg__err(TG_EINVAL, "Argon2id opslimit %llu is out of range [%u, %u]",
                       (unsigned long long)opslimit,
                       (unsigned)crypto_pwhash_argon2id_OPSLIMIT_MIN,
                       (unsigned)crypto_pwhash_argon2id_OPSLIMIT_MAX);
    if (memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN
        || memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX)
        return tg__err(TG_EINVAL, "Argon2id memlimit %zu is out of range [%zu, %zu]",
                       memlimit, (size_t)crypto_pwhash_argon2id_MEMLIMIT_MIN,
                       (size_t)crypto_pwhash_argon2id_MEMLIMIT_MAX);

    /* With valid limits the remaining failure is the memlimit-sized allocation. */
    if (crypto_pwhash_str_alg(out, password, strlen(password), opslimit, memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return tg__err(TG_ENOMEM, "out of memory computing an Argon2id verifier (memlimit %zu)",
                       memlimit);
    return TG_OK;
}

int tg__password_verify(const char *verifier, const char *password)
{
    static const char prefix[] = crypto_pwhash_argon2id_STRPREFIX;
    size_t n = 0;

    TG__ARG(verifier);
    TG__ARG(password);
    if (tg__crypto_init() != TG_OK)
        return TG_ERROR;

    while (n < TG__VERIFIER_MAX && verifier[n] != '\0') /* strnlen is not C11 */
        n++;
    /* Only accept what tg__password_hash writes: crypto_pwhash_str_verify would
     * also take weaker argon2i verifiers, and a verifier longer than the buffer
     * it is stored in cannot be one of ours. */
    if (strncmp(verifier, prefix, sizeof(prefix) - 1) != 0
        || n >= TG__VERIFIER_MAX)
        return tg__err(TG_EDENIED, "password verifier is not an Argon2id string");

    if (crypto_pwhash_str_verify(verifier, password, strlen(password)) != 0)
        return tg__err(TG_EDENIED, "password does not match");
    return TG_OK;
}
