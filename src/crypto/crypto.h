/* crypto.h - every secret of tiergraph comes from here: libsodium's random source
 * for ids, temporary passwords and invite tokens; Argon2id verifiers; token hashes. */
#ifndef TG_CRYPTO_H
#define TG_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define TG__GUID_LEN 36           /* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
#define TG__PASSWORD_LEN 16       /* temporary passwords */
#define TG__TOKEN_LEN 43          /* 32 random bytes, base64url without padding */
#define TG__TOKEN_HASH_LEN 64     /* BLAKE2b-256 as lower-case hex */
#define TG__VERIFIER_MAX 128      /* crypto_pwhash_STRBYTES */

/* Initialise libsodium once (idempotent, thread-safe). TG_OK or TG_ERROR. */
int tg__crypto_init(void);

/* A random version-4 GUID, lower case, into out[TG__GUID_LEN + 1]. */
void tg__guid_generate(char *out);

/* A temporary password: TG__PASSWORD_LEN characters from the look-alike-free
 * alphabet, at least one upper, lower, digit and symbol, each drawn without bias
 * (randombytes_uniform), in guarded memory (sodium_malloc). Free with
 * tg__secret_free(). TG_OK or TG_ENOMEM. */
int tg__password_generate(char **out);

/* The alphabet classes of temporary passwords (no look-alikes: 0 O o 1 l I |). */
extern const char tg__password_upper[];
extern const char tg__password_lower[];
extern const char tg__password_digits[];
extern const char tg__password_symbols[];

/* An invite token: 32 random bytes as base64url (no padding), in guarded memory.
 * Free with tg__secret_free(). TG_OK or TG_ENOMEM. */
int tg__token_generate(char **out);

/* BLAKE2b-256 of a token as lower-case hex into out[TG__TOKEN_HASH_LEN + 1]. */
void tg__token_hash(char *out, const char *token, size_t len);

/* Wipe and free memory from tg__password_generate / tg__token_generate. NULL ok. */
void tg__secret_free(char *secret);

/* An Argon2id verifier of `password` into out[TG__VERIFIER_MAX]: the algorithm,
 * its cost and salt are stored in the string. Slow by design: never call it
 * under the graph's write lock. TG_OK, TG_EINVAL (limits) or TG_ENOMEM. */
int tg__password_hash(char *out, const char *password, uint64_t opslimit, size_t memlimit);

/* Constant-time check of a password against a verifier: TG_OK or TG_EDENIED. */
int tg__password_verify(const char *verifier, const char *password);

#endif
