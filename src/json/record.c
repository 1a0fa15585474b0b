/* record.c - how entities are stored: one JSON object per record, written and
 * read over the kind table of src/core/entity.c. */
#include "record.h"
#include "util/error.h"
#include "util/str.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

cJSON *tg__record_to_json(tg__kind kind, const void *e)
{
    const tg__kind_desc *d = tg__kind_describe(kind);
    cJSON *o = cJSON_CreateObject();
    bool ok = o != NULL;
    for (size_t i = 0; i < d->nfields && ok; i++) {
        const tg__field *f = &d->fields[i];
        const void *slot = (const char *)e + f->offset;
        cJSON *v = NULL;
        switch (f->type) {
        case TG__F_STR:
        case TG__F_OPT_STR: {
            const char *s = *(char *const *)slot;
            if (!s) continue;
            v = cJSON_CreateString(s);
            break;
        }
        case TG__F_INT:
        case TG__F_OPT_INT: v = cJSON_CreateNumber(*(const int *)slot); break;
        case TG__F_I64:
        case TG__F_OPT_I64: v = cJSON_CreateNumber((double)*(const int64_t *)slot); break;
        case TG__F_BOOL: v = cJSON_CreateBool(*(const bool *)slot); break;
        case TG__F_STRV:
        case TG__F_OPT_STRV: {
            const tg__strv *sv = slot;
            v = cJSON_CreateArray();
            for (size_t k = 0; v && k < sv->n; k++) {
                cJSON *s = cJSON_CreateString(sv->v[k]);
                if (!s || !cJSON_AddItemToArray(v, s)) {
                    cJSON_Delete(s);
                    cJSON_Delete(v);
                    v = NULL;
                }
            }
            break;
        }
        }
        if (!v || !cJSON_AddItemToObject(o, f->name, v)) {
            cJSON_Delete(v);
            ok = false;
        }
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int tg__record_encode(tg__kind kind, const void *e, char **out, size_t *len)
{
    cJSON *o = tg__record_to_json(kind, e);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text) return tg__nomem();
    *out = text;
    *len = strlen(text);
    return TG_OK;
}

int tg__record_kind_of_key(const char *key, size_t klen, tg__kind *kind, const char **id)
{
    for (int k = 0; k < TG__KIND_COUNT; k++) {
        const char *p = tg__kind_describe((tg__kind)k)->prefix;
        size_t n = strlen(p);
        if (klen > n + 1 && memcmp(key, p, n) == 0 && key[n] == '/') {
            *kind = (tg__kind)k;
            *id = key + n + 1;
            return TG_OK;
        }
    }
    return tg__err(TG_ECORRUPT, "stored record '%.*s' has an unknown kind", (int)klen, key);
}

static int decode_field(const tg__field *f, const cJSON *v, void *slot)
{
    /* Fields added after 0.1 may be missing from older records: they stay zero. */
    bool optional = f->type == TG__F_OPT_INT || f->type == TG__F_OPT_I64 || f->type == TG__F_OPT_STRV;
    if (!v && optional) return TG_OK;
    switch (f->type) {
    case TG__F_STR:
    case TG__F_OPT_STR:
        if (!v) return f->type == TG__F_OPT_STR ? TG_OK : TG_ECORRUPT;
        if (!cJSON_IsString(v)) return TG_ECORRUPT;
        return (*(char **)slot = tg__strdup(v->valuestring)) ? TG_OK : tg__nomem();
    case TG__F_INT:
    case TG__F_OPT_INT:
        if (!cJSON_IsNumber(v) || v->valuedouble != (double)v->valueint) return TG_ECORRUPT;
        *(int *)slot = v->valueint;
        return TG_OK;
    case TG__F_I64:
    case TG__F_OPT_I64:
        /* whole seconds within what a double holds exactly; the range is checked
         * first, since converting a double beyond int64_t's range is undefined */
        if (!cJSON_IsNumber(v) || v->valuedouble > 9007199254740992.0 ||
            v->valuedouble < -9007199254740992.0 ||
            v->valuedouble != (double)(int64_t)v->valuedouble)
            return TG_ECORRUPT;
        *(int64_t *)slot = (int64_t)v->valuedouble;
        return TG_OK;
    case TG__F_BOOL:
        if (!cJSON_IsBool(v)) return TG_ECORRUPT;
        *(bool *)slot = cJSON_IsTrue(v);
        return TG_OK;
    case TG__F_STRV:
    case TG__F_OPT_STRV: {
        if (!cJSON_IsArray(v)) return TG_ECORRUPT;
        const cJSON *s;
        cJSON_ArrayForEach(s, v)
        {
            if (!cJSON_IsString(s)) return TG_ECORRUPT;
            if (tg__strv_add(slot, s->valuestring) != TG_OK) return TG_ENOMEM;
        }
        return TG_OK;
    }
    }
    return TG_ECORRUPT;
}

int tg__record_from_json(tg__kind kind, const cJSON *o, void **out, const char **bad_field)
{
    const tg__kind_desc *d = tg__kind_describe(kind);
    *out = NULL;
    *bad_field = NULL;
    void *e = tg__entity_new(kind);
    int rc = e ? TG_OK : tg__nomem();
    for (size_t i = 0; i < d->nfields && rc == TG_OK; i++) {
        const tg__field *f = &d->fields[i];
        rc = decode_field(f, cJSON_GetObjectItemCaseSensitive(o, f->name), (char *)e + f->offset);
        if (rc == TG_ECORRUPT) *bad_field = f->name;
    }
    if (rc) {
        tg__entity_free(kind, e);
        return rc;
    }
    *out = e;
    return TG_OK;
}

int tg__record_decode(const char *key, size_t klen, const void *val, size_t vlen,
                      tg__kind *kind, void **out)
{
    const char *id = key;
    int rc = tg__record_kind_of_key(key, klen, kind, &id);
    if (rc) return rc;
    cJSON *o = cJSON_ParseWithLength(val, vlen);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return tg__err(TG_ECORRUPT, "stored record '%.*s' is not a JSON object", (int)klen, key);
    }
    void *e = NULL;
    const char *bad = NULL;
    rc = tg__record_from_json(*kind, o, &e, &bad);
    if (rc == TG_ECORRUPT)
        tg__err(rc, "stored record '%.*s': field '%s' is missing or has the wrong type", (int)klen,
                key, bad);
    cJSON_Delete(o);
    size_t id_len = klen - (size_t)(id - key);
    if (rc == TG_OK && memchr(id, '\0', id_len))
        rc = tg__err(TG_ECORRUPT, "stored key contains a NUL byte");
    const char *eid = rc == TG_OK ? tg__entity_id(*kind, e) : NULL;
    if (rc == TG_OK && (strlen(eid) != id_len || memcmp(eid, id, id_len) != 0))
        rc = tg__err(TG_ECORRUPT, "stored record '%.*s' holds another id", (int)klen, key);
    if (rc) {
        tg__entity_free(*kind, e);
        return rc;
    }
    *out = e;
    return TG_OK;
}
