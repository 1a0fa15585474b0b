/* export.c - the whole graph as one JSON document (tg_export): every record as the
 * store keeps it, kinds in table order, records sorted by id, so that the same
 * graph always gives the same bytes and an import of them gives the same graph. */
#include "interop.h"
#include "record.h"
#include "util/error.h"
#include "util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const char *id;
    const void *e;
} entry;

typedef struct collected {
    entry *items;
    size_t n;
    tg__kind kind;
} collected;

static int collect(void *ctx, const char *key, void *value)
{
    (void)key;
    collected *c = ctx;
    c->items[c->n++] = (entry){tg__entity_id(c->kind, value), value};
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->id, ((const entry *)b)->id);
}

/* The records of one kind, sorted, as a new array. */
static cJSON *kind_array(const tg__tables *t, tg__kind kind)
{
    const tg__map *m = &t->by_id[kind];
    collected c = {calloc(m->count ? m->count : 1, sizeof(entry)), 0, kind};
    cJSON *arr = c.items ? cJSON_CreateArray() : NULL;
    if (arr) {
        tg__map_each(m, collect, &c);
        qsort(c.items, c.n, sizeof(entry), by_id);
    }
    for (size_t i = 0; arr && i < c.n; i++) {
        cJSON *rec = tg__record_to_json(kind, c.items[i].e);
        if (!rec || !cJSON_AddItemToArray(arr, rec)) {
            cJSON_Delete(rec);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    free(c.items);
    return arr;
}

int tg__export_json(char **out, const tg__tables *t)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "format", TG__EXPORT_FORMAT) &&
              cJSON_AddNumberToObject(o, "version", TG__EXPORT_VERSION);
    for (int k = 0; ok && k < TG__KIND_COUNT; k++) {
        char name[64];
        snprintf(name, sizeof(name), "%ss", tg__kind_describe((tg__kind)k)->prefix);
        cJSON *arr = kind_array(t, (tg__kind)k);
        ok = arr && cJSON_AddItemToObject(o, name, arr);
        if (!ok) cJSON_Delete(arr);
    }
    *out = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return *out ? TG_OK : tg__nomem();
}
