/* changeset.c - collecting the records of one write. */
#include "changeset.h"
#include "util/error.h"
#include "util/str.h"

#include <stdlib.h>

static int push(tg__changeset *cs, tg__kind kind, const char *id, void *next)
{
    if (cs->len == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 8;
        tg__change *p = realloc(cs->items, cap * sizeof(*p));
        if (!p) return tg__nomem();
        cs->items = p;
        cs->cap = cap;
    }
    char *copy = tg__strdup(id);
    if (!copy) return tg__nomem();
    cs->items[cs->len++] = (tg__change){kind, copy, next};
    return TG_OK;
}

int tg__cs_put(tg__changeset *cs, tg__kind kind, void *entity)
{
    if (!entity) return tg__nomem();
    int rc = push(cs, kind, tg__entity_id(kind, entity), entity);
    if (rc) tg__entity_free(kind, entity);
    return rc;
}

int tg__cs_del(tg__changeset *cs, tg__kind kind, const char *id)
{
    return push(cs, kind, id, NULL);
}

void tg__cs_free(tg__changeset *cs)
{
    for (size_t i = 0; i < cs->len; i++) {
        free(cs->items[i].id);
        tg__entity_free(cs->items[i].kind, cs->items[i].next);
    }
    free(cs->items);
    cs->items = NULL;
    cs->len = cs->cap = 0;
}
