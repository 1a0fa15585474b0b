/* record_agree.c - see record_agree.h. */
#include "record_agree.h"
#include "util/arena.h"
#include "util/intern.h"

#include "core/entity.h"
#include "json/record.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The first field in which two entities of a kind differ, or NULL. */
static const char *differs(tg__kind kind, const void *a, const void *b)
{
    const tg__kind_desc *d = tg__kind_describe(kind);
    for (size_t i = 0; i < d->nfields; i++) {
        const tg__field *f = &d->fields[i];
        const void *x = (const char *)a + f->offset, *y = (const char *)b + f->offset;
        bool same = true;
        switch (f->type) {
        case TG__F_STR:
        case TG__F_OPT_STR: same = same_str(*(char *const *)x, *(char *const *)y); break;
        case TG__F_INT:
        case TG__F_OPT_INT: same = *(const int *)x == *(const int *)y; break;
        case TG__F_I64:
        case TG__F_OPT_I64: same = *(const int64_t *)x == *(const int64_t *)y; break;
        case TG__F_BOOL: same = *(const bool *)x == *(const bool *)y; break;
        case TG__F_STRV:
        case TG__F_OPT_STRV: {
            const tg__strv *s = x, *t = y;
            same = s->n == t->n;
            for (size_t k = 0; same && k < s->n; k++) same = same_str(s->v[k], t->v[k]);
            break;
        }
        }
        if (!same) return f->name;
    }
    return NULL;
}

/* Where the new decoder's entities are packed: kept for the process (each entity
 * gives its strings and block back when freed). */
static tg__intern agree_pool;
static tg__arena agree_arena;

int record_decoders_agree(const char *key, size_t klen, const void *val, size_t vlen, int *rc_out,
                          char *why, size_t whylen)
{
    tg__kind k1 = TG__KIND_COUNT, k2 = TG__KIND_COUNT;
    void *e1 = NULL, *e2 = (void *)&k2; /* the new decoder must set *out to NULL on error */
    int rc1 = tg__record_decode(key, klen, val, vlen, &k1, &e1);
    char msg1[512];
    snprintf(msg1, sizeof(msg1), "%s", rc1 ? tg_error_message() : "");
    tg__record_scratch s = {0};
    int rc2 = tg__record_decode_packed(&s, &agree_pool, &agree_arena, key, klen, val, vlen, &k2, &e2);
    tg__record_scratch_free(&s);
    int ok = 0;
    if (rc_out) *rc_out = rc1;
    if (rc1 != rc2) {
        snprintf(why, whylen, "cJSON decoder %d (%s), new decoder %d (%s)", rc1, msg1, rc2,
                 rc2 ? tg_error_message() : "");
    } else if (rc1 && strcmp(msg1, tg_error_message()) != 0) {
        snprintf(why, whylen, "messages differ: '%s' and '%s'", msg1, tg_error_message());
    } else if (rc1 && e2 != NULL) {
        snprintf(why, whylen, "the new decoder failed but gave an entity");
    } else if (rc1 == 0 && k1 != k2) {
        snprintf(why, whylen, "kinds differ: %d and %d", (int)k1, (int)k2);
    } else if (rc1 == 0 && differs(k1, e1, e2)) {
        snprintf(why, whylen, "field '%s' differs", differs(k1, e1, e2));
    } else if (rc1 == 0 && !*(const uint32_t *)((const char *)e2 + tg__kind_describe(k2)->packed_offset)) {
        snprintf(why, whylen, "the new decoder's entity is not packed");
    } else {
        ok = 1;
    }
    if (rc1 == 0) tg__entity_free(k1, e1);
    if (rc2 == 0) tg__entity_free(k2, e2);
    return ok;
}
