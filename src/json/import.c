/* import.c - documents into records (tg_import): parsing, with the place of a
 * syntax error, and tiergraph's own export documents. Partner Center bodies are
 * mapped by pc_import.c. */
#include "interop.h"
#include "record.h"
#include "util/error.h"
#include "util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tg__import_prepare(tg__import *im, const char *json, uint64_t opslimit, size_t memlimit)
{
    *im = (tg__import){0};
    const char *end = NULL;
    if (!(im->doc = cJSON_ParseWithOpts(json, &end, true))) {
        size_t at = end && end >= json ? (size_t)(end - json) : 0, line = 1, column = 1;
        for (size_t i = 0; i < at; i++) {
            column = json[i] == '\n' ? 1 : column + 1;
            line += json[i] == '\n';
        }
        return tg__err(TG_EINVAL, "import: not valid JSON: syntax error at byte %zu (line %zu, "
                                  "column %zu); nothing was imported", at, line, column);
    }
    if (!cJSON_IsObject(im->doc))
        return tg__err(TG_EINVAL, "import: the document is not a JSON object; nothing was imported");
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(im->doc, "format");
    if (!format) return tg__pc_verifiers(im, opslimit, memlimit);
    if (!cJSON_IsString(format) || strcmp(format->valuestring, TG__EXPORT_FORMAT) != 0)
        return tg__err(TG_EINVAL, "import: \"format\" must be \"" TG__EXPORT_FORMAT "\"; nothing "
                                  "was imported");
    im->is_export = true;
    return TG_OK;
}

void tg__import_free(tg__import *im)
{
    cJSON_Delete(im->doc);
    for (size_t i = 0; i < im->nverifiers; i++) free(im->verifiers[i]);
    free(im->verifiers);
    *im = (tg__import){0};
}

/* The kind whose array a top-level member holds ("partners" -> partner), or -1. */
static int kind_of_member(const char *name)
{
    for (int k = 0; k < TG__KIND_COUNT; k++) {
        const char *p = tg__kind_describe((tg__kind)k)->prefix;
        size_t n = strlen(p);
        if (strncmp(name, p, n) == 0 && strcmp(name + n, "s") == 0) return k;
    }
    return -1;
}

static bool is_field(tg__kind kind, const char *name)
{
    const tg__kind_desc *d = tg__kind_describe(kind);
    for (size_t i = 0; i < d->nfields; i++)
        if (strcmp(d->fields[i].name, name) == 0) return true;
    return false;
}

/* One record of an export: an object of the kind's fields, nothing else. */
static int export_record(tg__changeset *cs, tg__kind kind, const char *array, int i,
                         const cJSON *rec)
{
    if (!cJSON_IsObject(rec))
        return tg__err(TG_EINVAL, "import: %s[%d] is not an object", array, i);
    const cJSON *m;
    cJSON_ArrayForEach(m, rec)
    {
        if (!is_field(kind, m->string))
            return tg__err(TG_EINVAL, "import: %s[%d] has an unknown field '%s'", array, i,
                           m->string);
    }
    void *e;
    const char *bad;
    int rc = tg__record_from_json(kind, rec, &e, &bad);
    if (rc == TG_ECORRUPT)
        return tg__err(TG_EINVAL, "import: %s[%d]: field '%s' is missing or has the wrong type",
                       array, i, bad);
    return rc ? rc : tg__cs_put(cs, kind, e);
}

static int export_records(tg__changeset *cs, const cJSON *doc)
{
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "version");
    if (!cJSON_IsNumber(version) || version->valuedouble != TG__EXPORT_VERSION)
        return tg__err(TG_EINVAL, "import: only version %d of \"" TG__EXPORT_FORMAT "\" can be "
                                  "read", TG__EXPORT_VERSION);
    const cJSON *m;
    bool seen[TG__KIND_COUNT] = {false};
    cJSON_ArrayForEach(m, doc)
    {
        if (strcmp(m->string, "format") == 0 || strcmp(m->string, "version") == 0) continue;
        int k = kind_of_member(m->string);
        if (k < 0) return tg__err(TG_EINVAL, "import: unknown member '%s'", m->string);
        if (!cJSON_IsArray(m)) return tg__err(TG_EINVAL, "import: '%s' is not an array", m->string);
        if (seen[k]) return tg__err(TG_EINVAL, "import: '%s' appears twice", m->string);
        seen[k] = true;
    }
    /* Kinds in table order, so the change set (and the change event) is too. */
    for (int k = 0; k < TG__KIND_COUNT; k++) {
        char name[64];
        snprintf(name, sizeof(name), "%ss", tg__kind_describe((tg__kind)k)->prefix);
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, name), *rec;
        int i = 0, rc;
        cJSON_ArrayForEach(rec, arr)
        {
            if ((rc = export_record(cs, (tg__kind)k, name, i++, rec))) return rc;
        }
    }
    return TG_OK;
}

int tg__import_records(tg__changeset *cs, const tg__import *im, const tg__tables *t, int64_t now)
{
    return im->is_export ? export_records(cs, im->doc) : tg__pc_records(cs, im, t, now);
}
