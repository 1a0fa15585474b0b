/* str.h - small string helpers: copies, UTF-8 checks, formats of ids. */
#ifndef TG_STR_H
#define TG_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest string any public function accepts, in bytes. */
#define TG__MAX_STRING 4096

char *tg__strdup(const char *s);                 /* NULL on NULL or ENOMEM */
char *tg__strndup(const char *s, size_t n);
char *tg__sprintf(const char *fmt, ...)          /* NULL on ENOMEM */
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
bool tg__streq(const char *a, const char *b);    /* NULL-safe */
bool tg__strieq(const char *a, const char *b);   /* ASCII case-insensitive, NULL-safe */
void tg__str_lower(char *s);                      /* ASCII lower-case in place */

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool tg__utf8_valid(const char *s, size_t len);
/* Number of code points of valid UTF-8. */
size_t tg__utf8_length(const char *s);

/* A string argument a public function accepts: not NULL, not empty, valid UTF-8,
 * at most TG__MAX_STRING bytes. Returns TG_OK or TG_EINVAL with a message naming `what`. */
int tg__check_text(const char *s, const char *what);
/* A tenant or customer id argument: tg__check_text, then a GUID (docs/errors.md: a
 * tenant id that is not a GUID is TG_EINVAL, whether or not it could exist). */
int tg__check_guid(const char *s, const char *what);
/* A partner user's id argument: tg__check_text, at most 256 bytes, no blanks or
 * control characters (tg_user_add). TG_OK or TG_EINVAL. */
int tg__check_user_id(const char *user_id);

/* Formats. */
bool tg__has_blank(const char *s);        /* a byte <= ' ': a blank or a control character */
bool tg__is_guid(const char *s);          /* 8-4-4-4-12 hex */
bool tg__is_partner_id(const char *s);    /* 1-10 ASCII digits */
bool tg__is_country(const char *s);       /* two ASCII letters */
bool tg__is_domain(const char *s);        /* labels of [A-Za-z0-9-], dots, a TLD */
bool tg__is_email(const char *s);         /* local@domain */

/* A GUID's text in 16 bytes, for lists that keep their items' ids together
 * (src/util/map.h). Only the canonical lower-case form packs, the one text that
 * unpacks back to itself; any other id (upper case, not a GUID) gets a mark, 16
 * bytes of 0xff, which says "read the id from the record" (tg__guid_is_packed is
 * false). So does ffffffff-ffff-ffff-ffff-ffffffffffff itself. */
#define TG__GUID_BYTES 16
#define TG__GUID_TEXT 37 /* 36 characters and the NUL */
bool tg__guid_pack(const char *s, unsigned char out[TG__GUID_BYTES]); /* false: the mark */
bool tg__guid_is_packed(const unsigned char g[TG__GUID_BYTES]);        /* not the mark */
void tg__guid_unpack(const unsigned char g[TG__GUID_BYTES], char out[TG__GUID_TEXT]);
/* The same from a table of digit pairs: what tg__guid_unpack is without SSE2
 * (x86-64), kept callable so that tests check it on every machine. */
void tg__guid_unpack_pairs(const unsigned char g[TG__GUID_BYTES], char out[TG__GUID_TEXT]);

/* A time (seconds since the epoch) as ISO 8601 UTC, "2017-04-10T23:02:26Z", into
 * out[len] (len >= 21; "" when the time cannot be represented). */
void tg__time_iso(char *out, size_t len, int64_t t);
/* The time of an ISO 8601 date-time, "2017-04-10T16:02:25.983-07:00" or with "Z",
 * in seconds since the epoch (fractions dropped). False when it is not one. */
bool tg__time_parse_iso(const char *s, int64_t *out);

/* A growable byte buffer for building text. */
typedef struct tg__buf {
    char *ptr;
    size_t len, cap;
    bool failed; /* an allocation failed: the content is incomplete */
} tg__buf;

void tg__buf_puts(tg__buf *b, const char *s);
void tg__buf_printf(tg__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
char *tg__buf_detach(tg__buf *b); /* the NUL-terminated text, or NULL if failed */
void tg__buf_free(tg__buf *b);

#endif
