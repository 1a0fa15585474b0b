/* sqlite.h (internal) - what the tests may ask of a "sqlite:" store beyond the vtable. */
#ifndef TG_STORE_SQLITE_H
#define TG_STORE_SQLITE_H

#include "tiergraph/store.h"

/* The PRAGMA synchronous now in force on `store`, which must come from
 * tg_store_sqlite_new(): 0 OFF, 1 NORMAL, 2 FULL. Lets a test see that
 * TG_OPT_DURABILITY reached SQLite, which no write can show without a power cut.
 * Errors: TG_EINVAL (NULL), TG_EIO. */
int tg__sqlite_synchronous(int *out, tg_store *store);

#endif
