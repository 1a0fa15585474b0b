/* store.c - the storage vtable's initialiser and the checks made before attaching a backend. */
#include "store.h"
#include "../util/error.h"

#include <stddef.h>
#include <string.h>

int tg_store_init(tg_store *store, unsigned int version)
{
    TG__ARG(store);
    if (version == 0 || version > TG_STORE_VERSION)
        return tg__err(TG_EVERSION, "store version %u is not supported: this library knows versions 1 to %u",
                       version, (unsigned int)TG_STORE_VERSION);
    /* A version-1 struct ends before the version-2 slots: never write past it. */
    size_t size = version == 1 ? offsetof(tg_store, set_option) : sizeof(*store);
    memset(store, 0, size);
    store->version = version;
    return TG_OK;
}

int tg__store_validate(const tg_store *store)
{
    TG__ARG(store);
    if (store->version == 0)
        return tg__err(TG_EVERSION, "store version 0 is not valid: initialise it with "
                                    "TG_STORE_INIT or tg_store_init()");
    /* Only version 1 slots are required; see store.h for slots added later. */
#define REQUIRE(slot) \
    do { \
        if (store->slot == NULL) \
            return tg__err(TG_EINVAL, "store slot '%s' is NULL: it is required", #slot); \
    } while (0)
    REQUIRE(load);
    REQUIRE(begin);
    REQUIRE(put);
    REQUIRE(del);
    REQUIRE(commit);
    REQUIRE(rollback);
#undef REQUIRE
    return TG_OK; /* free is optional */
}
