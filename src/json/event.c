/* event.c - change events as JSON (see event.h and docs/design.md, "The change feed"). */
#include "event.h"
#include "core/feed.h"
#include "util/error.h"
#include "util/str.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static cJSON *actor_json(const tg__actor *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    bool ok;
    if (!a) {
        ok = cJSON_AddStringToObject(o, "type", "unknown");
    } else if (a->is_operator) {
        ok = cJSON_AddStringToObject(o, "type", "operator");
    } else if (a->customer) {
        /* A customer's user: the admin of the receipt or a user its Global admin added. */
        ok = cJSON_AddStringToObject(o, "type", "customer") &&
             cJSON_AddStringToObject(o, "user", a->customer_user) &&
             cJSON_AddStringToObject(o, "customer", a->customer->id);
    } else {
        ok = cJSON_AddStringToObject(o, "type", "user") &&
             cJSON_AddStringToObject(o, "id", a->user->id) &&
             cJSON_AddStringToObject(o, "partner", a->partner->tenant);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *object_json(const tg__tables *t, const tg__change *c)
{
    const char *change = !c->next ? "delete" : tg__get(t, c->kind, c->id) ? "update" : "create";
    cJSON *o = cJSON_CreateObject();
    if (o && cJSON_AddStringToObject(o, "type", tg__kind_describe(c->kind)->prefix) &&
        cJSON_AddStringToObject(o, "id", c->id) && cJSON_AddStringToObject(o, "change", change))
        return o;
    cJSON_Delete(o);
    return NULL;
}

int tg__event_encode(char **out, size_t *len, const tg__tables *t, const tg__changeset *cs,
                     const tg__actor *actor, const char *action, uint64_t revision, int64_t time)
{
    char when[32];
    tg__time_iso(when, sizeof(when), time);
    cJSON *o = cJSON_CreateObject(), *who = actor_json(actor), *objects = NULL;
    bool ok = o && who && cJSON_AddNumberToObject(o, "revision", (double)revision) &&
              cJSON_AddStringToObject(o, "time", when) && cJSON_AddItemToObject(o, "actor", who);
    if (!ok) cJSON_Delete(who); /* not in o yet */
    ok = ok && cJSON_AddStringToObject(o, "action", action ? action : "unknown") &&
         (objects = cJSON_AddArrayToObject(o, "objects"));
    for (size_t i = 0; ok && i < cs->len; i++) {
        cJSON *item = object_json(t, &cs->items[i]);
        ok = item && cJSON_AddItemToArray(objects, item);
        if (!ok) cJSON_Delete(item);
    }
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text) return tg__nomem();
    *out = text;
    *len = strlen(text);
    return TG_OK;
}

int tg__event_decode(const char *key, size_t klen, const void *val, size_t vlen,
                     uint64_t *revision, char **json)
{
    const size_t plen = strlen(TG__EVENT_PREFIX);
    uint64_t from_key = 0;
    bool ok = klen == plen + 20;
    for (size_t i = plen; ok && i < klen; i++) {
        ok = key[i] >= '0' && key[i] <= '9' && from_key <= (UINT64_MAX - 9) / 10;
        from_key = from_key * 10 + (uint64_t)(key[i] - '0');
    }
    if (!ok || from_key == 0)
        return tg__err(TG_ECORRUPT, "stored event key '%.*s' is not \"event/\" and 20 digits",
                       (int)klen, key);
    cJSON *o = cJSON_ParseWithLength(val, vlen);
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "revision");
    ok = cJSON_IsObject(o) && cJSON_IsNumber(r) && r->valuedouble == (double)from_key &&
         cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "action"));
    cJSON_Delete(o);
    if (!ok)
        return tg__err(TG_ECORRUPT, "stored event '%.*s' is not an event of revision %" PRIu64,
                       (int)klen, key, from_key);
    if (!(*json = tg__strndup(val, vlen))) return tg__nomem();
    *revision = from_key;
    return TG_OK;
}
