/* list_store.h - a test backend that hands out a list of records, as they are, to
 * the open, and refuses every write: for tests of how a graph loads what a store
 * holds (bad records, keys twice, a load failing half-way). Test code only. */
#ifndef LIST_STORE_H
#define LIST_STORE_H

#include "tiergraph/store.h"

#include <stddef.h>

typedef struct list_store {
    tg_store base; /* load emits the records in order; begin, put, del, commit: TG_EIO */
    char **keys, **vals;
    size_t n, cap;
    size_t fail_after; /* when non-zero, load fails with TG_EIO after this many */
} list_store;

void list_store_init(list_store *s);
/* Append a record (copied); asserts. */
void list_store_add(list_store *s, const char *key, size_t klen, const char *val, size_t vlen);
/* Put a record (copied) at position `at`, the later ones moving up; asserts. */
void list_store_insert(list_store *s, size_t at, const char *key, const char *val);
/* A tg_store_emit that appends what it is given to the list_store `ctx`. */
int TG_CALLBACK list_store_collect(void *ctx, const char *key, size_t klen, const void *val,
                                   size_t vlen);
void list_store_free(list_store *s);

#endif
