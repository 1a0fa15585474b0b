/* record.h - one entity as a JSON object over the kind table: the shape records
 * have in the store and in an export (src/json/record.c). */
#ifndef TG_RECORD_H
#define TG_RECORD_H

#include "core/entity.h"

#include <cjson/cJSON.h>

/* The object of an entity; NULL on ENOMEM. */
cJSON *tg__record_to_json(tg__kind kind, const void *e);
/* An entity from its object. TG_OK, TG_ECORRUPT (field `*bad_field` is missing
 * or has the wrong type; no message set) or TG_ENOMEM. */
int tg__record_from_json(tg__kind kind, const cJSON *o, void **out, const char **bad_field);

#endif
