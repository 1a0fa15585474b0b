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

/* The kind a store key names ("<prefix>/<id>") and where its id starts; TG_ECORRUPT
 * (with a message) for a key of no kind. */
int tg__record_kind_of_key(const char *key, size_t klen, tg__kind *kind, const char **id);

/* Scratch memory tg__record_decode_packed reuses from one record to the next:
 * zero it before the first, free it with tg__record_scratch_free. */
typedef struct tg__record_scratch {
    char *text; /* the record's strings, unescaped */
    size_t text_cap;
    char **ptrs; /* its lists of strings */
    size_t ptrs_cap;
} tg__record_scratch;

/* tg__record_decode without cJSON (src/json/record_decode.c): the same records
 * accepted, the same entity, the same errors, but *out is packed (tg__entity_pack,
 * its strings pooled in `pool`, its block from `arena`) and nothing is allocated
 * but it. TG_OK, TG_ECORRUPT or TG_ENOMEM. */
int tg__record_decode_packed(tg__record_scratch *s, struct tg__intern *pool,
                             struct tg__arena *arena, const char *key, size_t klen,
                             const void *val, size_t vlen, tg__kind *kind, void **out);
void tg__record_scratch_free(tg__record_scratch *s);

#endif
