/* record_decode.c - a stored record decoded straight into one packed entity, without
 * a cJSON tree: opening a graph decodes millions of records, and cJSON cost about
 * thirty allocations each.
 *
 * It accepts exactly what tg__record_decode (cJSON 1.7's parser, then the kind
 * table) accepts and decodes it to the same entity, quirks included, since records
 * already on disk must keep opening: any byte <= 0x20 is white space, a UTF-8 BOM
 * may lead, whatever follows the object is ignored, the first of duplicate names
 * counts, strings keep raw control bytes and end at their first NUL (also one from
 * \u0000, or from a \u escape with a bad hex digit, which cJSON reads as 0), the
 * escape after a \u escape may run into the closing quote, numbers are whatever
 * strtod reads of the run of characters 0-9 + - e E . (of any length, as cJSON reads
 * them since the fix of CVE-2023-26819: Debian's 1.7.15-1+deb12u3, upstream 1.7.18),
 * and nesting stops at 1000. tests/unit/test_record_decode.c and the record fuzzer
 * hold it to the cJSON this library is linked with. */
#include "record.h"
#include "util/arena.h"
#include "util/intern.h"
#include "util/error.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NESTING_LIMIT 1000 /* cJSON's CJSON_NESTING_LIMIT */
#define MAX_FIELDS 32      /* more than any kind has */

/* What a field's first occurrence held. */
typedef enum vtype { V_ABSENT, V_NULL, V_FALSE, V_TRUE, V_NUMBER, V_STRING, V_ARRAY, V_OBJECT } vtype;

typedef struct value {
    vtype type;
    bool strings_only; /* V_ARRAY: every element a string */
    double number;
    const char *string; /* V_STRING: in the scratch text, NUL-terminated */
    size_t first, n;    /* V_ARRAY of strings: s->ptrs[first .. first + n) */
} value;

typedef struct parser {
    const unsigned char *in;
    size_t len, pos;
    unsigned depth;
    tg__record_scratch *s;
    size_t text_len;  /* bytes of s->text in use */
    size_t nptrs;     /* entries of s->ptrs in use */
    bool nomem;
} parser;

static void skip_space(parser *p)
{
    while (p->pos < p->len && p->in[p->pos] <= 32) p->pos++;
}

static bool at(const parser *p, unsigned char c)
{
    return p->pos < p->len && p->in[p->pos] == c;
}

/* cJSON's parse_hex4: 0 for any bad digit. */
static unsigned hex4(const unsigned char *h)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = h[i];
        if (c >= '0' && c <= '9')
            v = v * 16 + (unsigned)(c - '0');
        else if (c >= 'A' && c <= 'F')
            v = v * 16 + 10 + (unsigned)(c - 'A');
        else if (c >= 'a' && c <= 'f')
            v = v * 16 + 10 + (unsigned)(c - 'a');
        else
            return 0;
    }
    return v;
}

/* A \u escape (one, or a surrogate pair) at in[i..end) to UTF-8 at *out: the escape's
 * length, or 0 when cJSON refuses it. */
static size_t utf16_escape(const unsigned char *in, size_t i, size_t end, char **out)
{
    if (end - i < 6) return 0;
    unsigned long cp = hex4(in + i + 2);
    size_t used = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return 0;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        size_t j = i + 6;
        if (end - j < 6 || in[j] != '\\' || in[j + 1] != 'u') return 0;
        unsigned low = hex4(in + j + 2);
        if (low < 0xDC00 || low > 0xDFFF) return 0;
        cp = 0x10000 + (((cp & 0x3FF) << 10) | (low & 0x3FF));
        used = 12;
    }
    unsigned char *o = (unsigned char *)*out;
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | (cp >> 6));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | (cp >> 12));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | (cp >> 18));
        *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *out = (char *)o;
    return used;
}

/* The string at p->pos (its opening quote), unescaped into the scratch text. */
static bool parse_string(parser *p, const char **out)
{
    const unsigned char *in = p->in;
    if (!at(p, '"')) return false;
    size_t start = p->pos + 1, end = start;
    /* Its end: the first quote not escaped by a backslash. */
    const unsigned char *q = memchr(in + start, '"', p->len - start);
    if (!q) return false;
    end = (size_t)(q - in);
    bool plain = memchr(in + start, '\\', end - start) == NULL;
    if (!plain) {
        end = start;
        while (end < p->len && in[end] != '"') {
            if (in[end] == '\\') {
                if (end + 1 >= p->len) return false;
                end++;
            }
            end++;
        }
        if (end >= p->len) return false;
    }
    /* The text never outgrows the record: a string takes no more bytes than its
     * quoted form (tg__record_decode_packed reserves the record's length). */
    if (p->s->text_cap - p->text_len < end - start + 2) return false;
    char *o = p->s->text + p->text_len, *first = o;
    if (plain) {
        memcpy(o, in + start, end - start);
        o += end - start;
    } else {
        /* As cJSON does: escapes are taken as they come, even when a \u escape's
         * length carries the next one into the closing quote. */
        size_t i = start;
        while (i < end) {
            if (in[i] != '\\') {
                *o++ = (char)in[i++];
                continue;
            }
            size_t used = 2;
            switch (in[i + 1]) {
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case '"':
            case '\\':
            case '/': *o++ = (char)in[i + 1]; break;
            case 'u':
                if (!(used = utf16_escape(in, i, end, &o))) return false;
                break;
            default: return false;
            }
            i += used;
        }
    }
    *o++ = '\0';
    p->text_len = (size_t)(o - p->s->text);
    p->pos = end + 1;
    *out = first;
    return true;
}

/* cJSON's parse_number: strtod over the whole run of the characters 0-9 + - e E .,
 * with '.' swapped for the locale's decimal point, as cJSON does. */
static bool parse_number(parser *p, double *out)
{
    size_t n = 0;
    bool simple = true; /* -?[0-9]+: read exactly without strtod */
    for (; p->pos + n < p->len; n++) {
        unsigned char c = p->in[p->pos + n];
        if (c >= '0' && c <= '9') continue;
        if (!(c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.')) break;
        if (!(c == '-' && n == 0)) simple = false;
    }
    const unsigned char *num = p->in + p->pos;
    size_t digits = n - (num[0] == '-');
    if (simple && digits >= 1 && digits <= 15) { /* below 2^53: exact, as strtod's */
        double v = 0;
        for (size_t i = n - digits; i < n; i++) v = v * 10 + (num[i] - '0');
        *out = num[0] == '-' ? -v : v;
        p->pos += n;
        return true;
    }
    char small[64], *buf = n < sizeof(small) ? small : malloc(n + 1);
    if (!buf) {
        p->nomem = true;
        return false;
    }
    memcpy(buf, num, n);
    buf[n] = '\0';
    const char point = localeconv()->decimal_point[0];
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '.') buf[i] = point;
    char *after;
    double v = strtod(buf, &after);
    size_t used = (size_t)(after - buf);
    if (buf != small) free(buf);
    if (used == 0) return false;
    *out = v;
    p->pos += used;
    return true;
}

static bool parse_value(parser *p, value *v);

static bool enter(parser *p)
{
    if (p->depth >= NESTING_LIMIT) return false;
    p->depth++;
    return true;
}

/* An array; its strings collected in s->ptrs when `v` is given. */
static bool parse_array(parser *p, value *v)
{
    if (!enter(p)) return false;
    p->pos++; /* '[' */
    if (v) {
        v->strings_only = true;
        v->first = p->nptrs;
        v->n = 0;
    }
    skip_space(p);
    if (!at(p, ']')) {
        for (;;) {
            skip_space(p);
            value e = {.type = V_ABSENT};
            if (!parse_value(p, &e)) return false;
            if (v && e.type != V_STRING) v->strings_only = false;
            if (v && v->strings_only) {
                if (p->nptrs == p->s->ptrs_cap) {
                    size_t cap = p->s->ptrs_cap ? p->s->ptrs_cap * 2 : 64;
                    char **ptrs = realloc(p->s->ptrs, cap * sizeof(*ptrs));
                    if (!ptrs) {
                        p->nomem = true;
                        return false;
                    }
                    p->s->ptrs = ptrs;
                    p->s->ptrs_cap = cap;
                }
                p->s->ptrs[p->nptrs++] = (char *)e.string;
                v->n++;
            }
            skip_space(p);
            if (!at(p, ',')) break;
            p->pos++;
        }
        if (!at(p, ']')) return false;
    }
    p->pos++;
    p->depth--;
    if (v) v->type = V_ARRAY;
    return true;
}

/* An object, its members' names looked up in `fields`: the first occurrence of each
 * field's name is kept in vals[i]. Unknown members are read and dropped. */
static bool parse_object(parser *p, const tg__field *fields, size_t nfields, value *vals)
{
    if (!enter(p)) return false;
    p->pos++; /* '{' */
    skip_space(p);
    size_t hint = 0; /* records are written in the table's order: try the next field first */
    if (!at(p, '}')) {
        for (;;) {
            skip_space(p);
            size_t f = nfields;
            const char *want = hint < nfields ? fields[hint].name : NULL;
            size_t wn = want ? strlen(want) : 0;
            if (want && p->len - p->pos >= wn + 2 && p->in[p->pos] == '"' &&
                memcmp(p->in + p->pos + 1, want, wn) == 0 && p->in[p->pos + 1 + wn] == '"') {
                /* The name as written: no escape, nothing to unescape or compare again. */
                p->pos += wn + 2;
                f = hint;
            } else {
                const char *name;
                if (!parse_string(p, &name)) return false;
                for (size_t i = 0; i < nfields && f == nfields; i++)
                    if (strcmp(name, fields[i].name) == 0) f = i;
            }
            skip_space(p);
            if (!at(p, ':')) return false;
            p->pos++;
            skip_space(p);
            value dropped, *v = f < nfields && vals[f].type == V_ABSENT ? &vals[f] : &dropped;
            if (f < nfields) hint = f + 1;
            if (!parse_value(p, v)) return false;
            skip_space(p);
            if (!at(p, ',')) break;
            p->pos++;
        }
        if (!at(p, '}')) return false;
    }
    p->pos++;
    p->depth--;
    return true;
}

static bool literal(parser *p, const char *word, size_t n)
{
    if (p->len - p->pos < n || memcmp(p->in + p->pos, word, n) != 0) return false;
    p->pos += n;
    return true;
}

static bool parse_value(parser *p, value *v)
{
    if (p->pos >= p->len) return false;
    v->type = V_ABSENT;
    switch (p->in[p->pos]) {
    case 'n': v->type = V_NULL; return literal(p, "null", 4);
    case 'f': v->type = V_FALSE; return literal(p, "false", 5);
    case 't': v->type = V_TRUE; return literal(p, "true", 4);
    case '"': v->type = V_STRING; return parse_string(p, &v->string);
    case '[': return parse_array(p, v);
    case '{': v->type = V_OBJECT; return parse_object(p, NULL, 0, NULL);
    default:
        if (p->in[p->pos] == '-' || (p->in[p->pos] >= '0' && p->in[p->pos] <= '9')) {
            v->type = V_NUMBER;
            return parse_number(p, &v->number);
        }
        return false;
    }
}

/* cJSON's valueint: the double saturated to int, else truncated. */
static int int_of(double d)
{
    if (d >= INT_MAX) return INT_MAX;
    if (d <= (double)INT_MIN) return INT_MIN;
    return (int)d;
}

static bool is_optional(tg__ftype t)
{
    return t == TG__F_OPT_INT || t == TG__F_OPT_I64 || t == TG__F_OPT_STRV;
}

/* One field into the scratch entity, as record.c's decode_field does from cJSON. */
static int set_field(parser *p, const tg__field *f, const value *v, void *slot)
{
    if (v->type == V_ABSENT && (is_optional(f->type) || f->type == TG__F_OPT_STR)) return TG_OK;
    switch (f->type) {
    case TG__F_STR:
    case TG__F_OPT_STR:
        if (v->type != V_STRING) return TG_ECORRUPT;
        *(const char **)slot = v->string;
        return TG_OK;
    case TG__F_INT:
    case TG__F_OPT_INT:
        if (v->type != V_NUMBER || v->number != (double)int_of(v->number)) return TG_ECORRUPT;
        *(int *)slot = int_of(v->number);
        return TG_OK;
    case TG__F_I64:
    case TG__F_OPT_I64:
        if (v->type != V_NUMBER || v->number > 9007199254740992.0 ||
            v->number < -9007199254740992.0 || v->number != (double)(int64_t)v->number)
            return TG_ECORRUPT;
        *(int64_t *)slot = (int64_t)v->number;
        return TG_OK;
    case TG__F_BOOL:
        if (v->type != V_TRUE && v->type != V_FALSE) return TG_ECORRUPT;
        *(bool *)slot = v->type == V_TRUE;
        return TG_OK;
    case TG__F_STRV:
    case TG__F_OPT_STRV: {
        if (v->type != V_ARRAY || !v->strings_only) return TG_ECORRUPT;
        /* tg__strv_add keeps the first of equal strings: do the same, in place. */
        char **from = v->n ? p->s->ptrs + v->first : NULL;
        size_t n = 0;
        for (size_t i = 0; i < v->n; i++) {
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++) dup = strcmp(from[k], from[i]) == 0;
            if (!dup) from[n++] = from[i];
        }
        tg__strv *sv = slot;
        sv->v = n ? from : NULL;
        sv->n = n;
        return TG_OK;
    }
    }
    return TG_ECORRUPT;
}

int tg__record_decode_packed(tg__record_scratch *s, tg__intern *pool, tg__arena *arena,
                             const char *key, size_t klen, const void *val, size_t vlen,
                             tg__kind *kind, void **out)
{
    *out = NULL;
    const char *id = key;
    int rc = tg__record_kind_of_key(key, klen, kind, &id);
    if (rc) return rc;
    const tg__kind_desc *d = tg__kind_describe(*kind);
    if (vlen > SIZE_MAX - 2) return tg__nomem();
    if (s->text_cap < vlen + 2) {
        char *text = realloc(s->text, vlen + 2);
        if (!text) return tg__nomem();
        s->text = text;
        s->text_cap = vlen + 2;
    }
    parser p = {.in = val, .len = vlen, .s = s};
    value vals[MAX_FIELDS] = {{.type = V_ABSENT}};
    /* cJSON skips a UTF-8 BOM (in a buffer of at least five bytes), then spaces. */
    if (vlen >= 5 && memcmp(val, "\xEF\xBB\xBF", 3) == 0) p.pos = 3;
    skip_space(&p);
    if (!at(&p, '{') || !parse_object(&p, d->fields, d->nfields, vals)) {
        if (p.nomem) return tg__nomem();
        return tg__err(TG_ECORRUPT, "stored record '%.*s' is not a JSON object", (int)klen, key);
    }
    union {
        tg__partner partner;
        tg__user user;
        tg__partnership partnership;
        tg__invite invite;
        tg__customer customer;
        tg__subscription subscription;
        tg__customer_user customer_user;
    } e;
    memset(&e, 0, sizeof(e));
    for (size_t i = 0; i < d->nfields; i++) {
        if (set_field(&p, &d->fields[i], &vals[i], (char *)&e + d->fields[i].offset) != TG_OK)
            return tg__err(TG_ECORRUPT,
                           "stored record '%.*s': field '%s' is missing or has the wrong type",
                           (int)klen, key, d->fields[i].name);
    }
    size_t id_len = klen - (size_t)(id - key);
    if (memchr(id, '\0', id_len)) return tg__err(TG_ECORRUPT, "stored key contains a NUL byte");
    const char *eid = tg__entity_id(*kind, &e);
    if (strlen(eid) != id_len || memcmp(eid, id, id_len) != 0)
        return tg__err(TG_ECORRUPT, "stored record '%.*s' holds another id", (int)klen, key);
    if (!(*out = tg__entity_pack(pool, arena, *kind, &e))) return tg__nomem();
    return TG_OK;
}

void tg__record_scratch_free(tg__record_scratch *s)
{
    free(s->text);
    free(s->ptrs);
    memset(s, 0, sizeof(*s));
}
