/* error.c - pinned error texts and the per-thread last error message. */
#include "error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_message[512];

/* Messages are formatted when the error happens, and a denied permission check
 * is an error: vsnprintf's general machinery (locale, stream emulation) would
 * cost more than the check itself. So the conversions the library's messages use
 * get a formatter of their own: %s with an optional precision (.N or .*), %d,
 * %u, %x with optional zero padding and width, and the z, l and ll lengths.
 * Any other format goes to vsnprintf. */
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether every conversion of fmt is one the fast formatter knows. */
static bool fast_format_ok(const char *f)
{
    for (; *f; f++) {
        if (*f != '%') continue;
        if (*++f == '%') continue;
        while (is_digit(*f)) f++; /* a 0 flag and a width */
        if (*f == '.') {
            if (*++f == '*') f++;
            else while (is_digit(*f)) f++;
        }
        if (*f == 'z') f++;
        else if (*f == 'l' && *++f == 'l') f++;
        if (*f != 's' && *f != 'd' && *f != 'u' && *f != 'x') return false;
    }
    return true;
}

typedef struct out {
    char *p, *end; /* end: the last byte, kept for the NUL */
} out;

static void put(out *o, const char *s, size_t n)
{
    size_t room = (size_t)(o->end - o->p);
    if (n > room) n = room;
    memcpy(o->p, s, n);
    o->p += n;
}

static void put_number(out *o, uint64_t v, bool negative, unsigned base, size_t width, char pad)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[sizeof(digits) - ++n] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative && pad == '0') { /* -0042: the sign, then the zeros */
        put(o, "-", 1);
        if (width) width--;
    } else if (negative) { /* "  -42": the sign counts as a digit */
        digits[sizeof(digits) - ++n] = '-';
    }
    for (size_t i = n; i < width; i++) put(o, &pad, 1);
    put(o, digits + sizeof(digits) - n, n);
}

static void format_fast(char *buf, size_t size, const char *f, va_list ap)
{
    out o = {buf, buf + size - 1};
    while (*f) {
        const char *lit = f;
        while (*f && *f != '%') f++;
        put(&o, lit, (size_t)(f - lit));
        if (!*f) break;
        if (*++f == '%') {
            put(&o, "%", 1);
            f++;
            continue;
        }
        char pad = *f == '0' ? '0' : ' ';
        size_t width = 0, precision = SIZE_MAX;
        while (is_digit(*f)) width = width * 10 + (size_t)(*f++ - '0');
        if (*f == '.') {
            precision = 0;
            if (*++f == '*') {
                int p = va_arg(ap, int);
                precision = p < 0 ? SIZE_MAX : (size_t)p;
                f++;
            } else {
                while (is_digit(*f)) precision = precision * 10 + (size_t)(*f++ - '0');
            }
        }
        int length = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
        if (*f == 'z') length = 3, f++;
        else if (*f == 'l') length = *++f == 'l' ? (f++, 2) : 1;
        char conv = *f++;
        if (conv == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            put(&o, s, strnlen(s, precision));
            continue;
        }
        uint64_t v;
        bool negative = false;
        if (conv == 'd') {
            int64_t x = length == 0 ? va_arg(ap, int) : length == 1 ? va_arg(ap, long)
                      : length == 2 ? va_arg(ap, long long) : (int64_t)va_arg(ap, size_t);
            negative = x < 0;
            v = negative ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        } else {
            v = length == 0 ? va_arg(ap, unsigned) : length == 1 ? va_arg(ap, unsigned long)
              : length == 2 ? va_arg(ap, unsigned long long) : va_arg(ap, size_t);
        }
        put_number(&o, v, negative, conv == 'x' ? 16 : 10, width, pad);
    }
    *o.p = '\0';
}

int tg__err(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (fast_format_ok(fmt))
        format_fast(last_message, sizeof(last_message), fmt, ap);
    else
        vsnprintf(last_message, sizeof(last_message), fmt, ap);
    va_end(ap);
    return code;
}

void tg__err_clear(void)
{
    last_message[0] = '\0';
}

int tg__nomem(void)
{
    return tg__err(TG_ENOMEM, "out of memory");
}

const char *tg_error_message(void)
{
    return last_message[0] ? last_message : "no error";
}

const char *tg_strerror(int code)
{
    switch (code) {
    case TG_OK: return "success";
    case TG_ERROR: return "internal error";
    case TG_ENOMEM: return "out of memory";
    case TG_EINVAL: return "invalid argument";
    case TG_ENOTFOUND: return "not found";
    case TG_EEXISTS: return "already exists";
    case TG_EDENIED: return "permission denied";
    case TG_ESTATE: return "not allowed by the rules now";
    case TG_ECONFIRM: return "explicit confirmation required";
    case TG_EEXPIRED: return "expired";
    case TG_EIO: return "storage I/O error";
    case TG_ECORRUPT: return "storage is corrupt";
    case TG_EBUSY: return "storage is held by another process";
    case TG_EVERSION: return "unsupported version";
    case TG_ITEROVER: return "no more items";
    case TG_EPASSWORD_CHANGE: return "a password change is required";
    case TG_ELOCKED: return "too many failed sign-ins";
    default: return "unknown error code";
    }
}
