/* sqlite.c - the "sqlite:" backend over Debian's libsqlite3 (TG_WITH_SQLITE). */
#include "store.h"
#include "../util/error.h"

#ifndef TG_WITH_SQLITE

int tg_store_sqlite_new(tg_store **out, const char *path)
{
    TG__ARG(out);
    *out = NULL;
    (void)path;
    return tg__err(TG_EVERSION, "this tiergraph was built without SQLite (TG_WITH_SQLITE=OFF)");
}

#else
#error "the SQLite backend is being written"
#endif
