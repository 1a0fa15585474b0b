/* changeset.h - the records one write puts and deletes. Built by an operation,
 * committed to the store in one transaction, then applied to the tables. */
#ifndef TG_CHANGESET_H
#define TG_CHANGESET_H

#include "entity.h"

typedef struct tg__change {
    tg__kind kind;
    char *id;   /* the entity's id */
    void *next; /* the new entity, or NULL to delete */
} tg__change;

typedef struct tg__changeset {
    tg__change *items;
    size_t len, cap;
} tg__changeset;

/* Put an entity (the change set owns it from now on, even when this fails). */
int tg__cs_put(tg__changeset *cs, tg__kind kind, void *entity);
/* Delete the entity of a kind with this id. */
int tg__cs_del(tg__changeset *cs, tg__kind kind, const char *id);
/* Free whatever the change set still owns. */
void tg__cs_free(tg__changeset *cs);

#endif
