/* str.c - small string helpers: copies, UTF-8 checks, formats of ids. */
#include "str.h"
#include "error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__SSE2__) && defined(__x86_64__)
#define TG_GUID_SSE2 1 /* 64-bit lanes out of SSE registers need x86-64 */
#include <emmintrin.h>
#endif

char *tg__strdup(const char *s)
{
    return s ? tg__strndup(s, strlen(s)) : NULL;
}

char *tg__strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *tg__sprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (p) vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

bool tg__streq(const char *a, const char *b)
{
    if (a == b) return true; /* pooled strings (util/intern.h), NULL and NULL */
    if (!a || !b) return false;
    return strcmp(a, b) == 0;
}

bool tg__strieq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    return *a == *b;
}

void tg__str_lower(char *s)
{
    for (; s && *s; s++) *s = (char)tolower((unsigned char)*s);
}

bool tg__utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            /* ASCII, the usual case for ids: eight bytes at a time. */
            uint64_t w;
            while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull))) i += 8;
            if (i < len && s[i] < 0x80) i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
        else return false;
        if (n > len - i - 1) return false; /* truncated sequence */
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false; /* overlong */
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

size_t tg__utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int tg__check_text(const char *s, const char *what)
{
    if (!s) return tg__err(TG_EINVAL, "%s is NULL", what);
    size_t len = strnlen(s, TG__MAX_STRING + 1);
    if (len == 0) return tg__err(TG_EINVAL, "%s is empty", what);
    if (len > TG__MAX_STRING)
        return tg__err(TG_EINVAL, "%s is longer than %d bytes", what, TG__MAX_STRING);
    if (!tg__utf8_valid(s, len)) return tg__err(TG_EINVAL, "%s is not valid UTF-8", what);
    return TG_OK;
}

int tg__check_guid(const char *s, const char *what)
{
    if (s && tg__is_guid(s)) return TG_OK; /* a GUID is valid text: every check passes at once */
    int rc = tg__check_text(s, what);
    if (rc) return rc;
    if (!tg__is_guid(s))
        return tg__err(TG_EINVAL, "%s '%s' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                       what, s);
    return TG_OK;
}

int tg__check_user_id(const char *user_id)
{
    int rc = tg__check_text(user_id, "user id");
    if (rc) return rc;
    if (strlen(user_id) > 256) return tg__err(TG_EINVAL, "user id is longer than 256 bytes");
    if (tg__has_blank(user_id)) return tg__err(TG_EINVAL, "user id contains a blank");
    return TG_OK;
}

bool tg__has_blank(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= ' ') return true;
    return false;
}

/* What each byte of a GUID may be: a hex digit (H), or at 8, 13, 18 and 23 a dash (D). */
enum { H = 1, D = 2 };
static const unsigned char guid_class[256] = {
    ['0'] = H, ['1'] = H, ['2'] = H, ['3'] = H, ['4'] = H, ['5'] = H, ['6'] = H, ['7'] = H,
    ['8'] = H, ['9'] = H, ['a'] = H, ['b'] = H, ['c'] = H, ['d'] = H, ['e'] = H, ['f'] = H,
    ['A'] = H, ['B'] = H, ['C'] = H, ['D'] = H, ['E'] = H, ['F'] = H, ['-'] = D,
};
static const unsigned char guid_want[36] = {
    H, H, H, H, H, H, H, H, D, H, H, H, H, D, H, H, H, H,
    D, H, H, H, H, D, H, H, H, H, H, H, H, H, H, H, H, H,
};

bool tg__is_guid(const char *s)
{
    /* Every check and list tests its id with this: a table per byte and no branch
     * per byte (the digits of ids are random, and a branch on each mispredicts
     * half the time). The length first, so that no byte past a NUL is read. */
    if (!s || strnlen(s, 37) != 36) return false;
    unsigned bad = 0;
    for (int i = 0; i < 36; i++) bad |= guid_class[(unsigned char)s[i]] ^ guid_want[i];
    return bad == 0;
}

/* Where each of the sixteen bytes' two hex digits stand in the text. */
static const unsigned char guid_at[TG__GUID_BYTES] = {0,  2,  4,  6,  9,  11, 14, 16,
                                                      19, 21, 24, 26, 28, 30, 32, 34};

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1; /* upper case too: it would not unpack to the same text */
}

bool tg__guid_pack(const char *s, unsigned char out[TG__GUID_BYTES])
{
    memset(out, 0xff, TG__GUID_BYTES);
    if (!tg__is_guid(s)) return false;
    unsigned char g[TG__GUID_BYTES];
    for (int i = 0; i < TG__GUID_BYTES; i++) {
        int hi = hex_value((unsigned char)s[guid_at[i]]);
        int lo = hex_value((unsigned char)s[guid_at[i] + 1]);
        if (hi < 0 || lo < 0) return false;
        g[i] = (unsigned char)(hi << 4 | lo);
    }
    if (!tg__guid_is_packed(g)) return false; /* all ff: the mark stands for it */
    memcpy(out, g, TG__GUID_BYTES);
    return true;
}

bool tg__guid_is_packed(const unsigned char g[TG__GUID_BYTES])
{
    uint64_t a, b;
    memcpy(&a, g, 8);
    memcpy(&b, g + 8, 8);
    return (a & b) != UINT64_MAX;
}

void tg__guid_unpack_pairs(const unsigned char g[TG__GUID_BYTES], char out[TG__GUID_TEXT])
{
    /* Two digits a byte from one table, each copied as a pair: a list unpacks an id
     * an item, and a digit at a time was a fifth of a reseller's list. */
    static const char pairs[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                                "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                                "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
                                "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                                "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                                "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
                                "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    for (int i = 0; i < TG__GUID_BYTES; i++) memcpy(out + guid_at[i], pairs + 2 * g[i], 2);
    out[8] = out[13] = out[18] = out[23] = '-';
    out[36] = '\0';
}

#if TG_GUID_SSE2
/* Sixteen digits 0-15 as their lower-case hex characters. */
static inline __m128i hex_digits(__m128i n)
{
    const __m128i letters =
        _mm_and_si128(_mm_cmpgt_epi8(n, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
    return _mm_add_epi8(_mm_add_epi8(n, _mm_set1_epi8('0')), letters);
}

static inline void put32(char *out, uint64_t w)
{
    uint32_t h = (uint32_t)w;
    memcpy(out, &h, 4);
}
#endif

void tg__guid_unpack(const unsigned char g[TG__GUID_BYTES], char out[TG__GUID_TEXT])
{
#if TG_GUID_SSE2
    /* A list unpacks an id an item: all 32 digits at once (SSE2, which every
     * x86-64 has), written as four words and the dashes; 9 -> 2.6 ns an id. */
    const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)g), low = _mm_set1_epi8(0x0f);
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(b, 4), low), lo = _mm_and_si128(b, low);
    const __m128i d0 = hex_digits(_mm_unpacklo_epi8(hi, lo)); /* bytes 0-7, high digit first */
    const __m128i d1 = hex_digits(_mm_unpackhi_epi8(hi, lo)); /* bytes 8-15 */
    const uint64_t w0 = (uint64_t)_mm_cvtsi128_si64(d0);
    const uint64_t w1 = (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(d0, 8));
    const uint64_t w2 = (uint64_t)_mm_cvtsi128_si64(d1);
    const uint64_t w3 = (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(d1, 8));
    memcpy(out, &w0, 8); /* x86 is little-endian: the first digit goes first */
    out[8] = '-';
    put32(out + 9, w1);
    out[13] = '-';
    put32(out + 14, w1 >> 32);
    out[18] = '-';
    put32(out + 19, w2);
    out[23] = '-';
    put32(out + 24, w2 >> 32);
    memcpy(out + 28, &w3, 8);
    out[36] = '\0';
#else
    tg__guid_unpack_pairs(g, out);
#endif
}

bool tg__is_partner_id(const char *s)
{
    size_t n = s ? strnlen(s, 11) : 0;
    if (n < 1 || n > 10) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool tg__is_country(const char *s)
{
    return s && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) && s[2] == '\0' &&
           ((unsigned char)s[0] < 0x80) && ((unsigned char)s[1] < 0x80);
}

bool tg__is_domain(const char *s)
{
    if (!s) return false;
    size_t n = strnlen(s, 254), label = 0, labels = 0;
    if (n == 0 || n > 253) return false;
    for (size_t i = 0; i <= n; i++) {
        char c = s[i];
        if (c == '.' || c == '\0') {
            if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-') return false;
            labels++;
            label = 0;
        } else if (isalnum((unsigned char)c) && (unsigned char)c < 0x80) {
            label++;
        } else if (c == '-') {
            label++;
        } else {
            return false;
        }
    }
    return labels >= 2;
}

bool tg__is_email(const char *s)
{
    if (!s) return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || at - s > 64) return false;
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c >= 0x7f || strchr("()<>,;:\\\"[]", c)) return false;
    }
    if (s[0] == '.' || at[-1] == '.' || strstr(s, "..")) return false;
    return tg__is_domain(at + 1);
}

void tg__time_iso(char *out, size_t len, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    out[0] = '\0';
    if (gmtime_r(&tt, &tm)) strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        *out = *out * 10 + (s[i] - '0');
    }
    return true;
}

bool tg__time_parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    if (!s || strnlen(s, 20) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
    const char *p = s + 19;
    if (*p == '.') {
        do p++;
        while (*p >= '0' && *p <= '9');
        if (p == s + 20) return false;
    }
    int sign = 0;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
    } else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) && p[3] == ':' &&
               digits(p + 4, 2, &om) && p[6] == '\0' && oh < 24 && om < 60) {
        sign = *p == '+' ? 1 : -1;
    } else {
        return false;
    }
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    *out = t - sign * (oh * 3600 + om * 60);
    return true;
}

static void buf_grow(tg__buf *b, size_t need)
{
    if (b->failed || b->len + need + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + need + 1) cap *= 2;
    char *p = realloc(b->ptr, cap);
    if (!p) { b->failed = true; return; }
    b->ptr = p;
    b->cap = cap;
}

void tg__buf_puts(tg__buf *b, const char *s)
{
    size_t n = strlen(s);
    buf_grow(b, n);
    if (b->failed) return;
    memcpy(b->ptr + b->len, s, n + 1);
    b->len += n;
}

void tg__buf_printf(tg__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = true; return; }
    buf_grow(b, (size_t)n);
    if (b->failed) return;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *tg__buf_detach(tg__buf *b)
{
    if (!b->ptr && !b->failed) buf_grow(b, 0);
    if (b->failed) { tg__buf_free(b); return NULL; }
    char *p = b->ptr;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void tg__buf_free(tg__buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
