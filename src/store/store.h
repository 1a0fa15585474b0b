/* store.h (internal) - checks the core makes on a storage vtable before using it. */
#ifndef TG_STORE_INTERNAL_H
#define TG_STORE_INTERNAL_H

#include "tiergraph/store.h"

/*
 * Check a backend before the core attaches it: TG_OK, TG_EINVAL (NULL store or a
 * required slot is NULL, with a message naming the slot) or TG_EVERSION (version 0).
 *
 * Versions newer than TG_STORE_VERSION are accepted: the struct only grows at its
 * end, so the slots this library knows sit at the same offsets, and it never reads
 * past them.
 *
 * The rule for slots added after version 1: validation cannot require them (an
 * older backend does not have them, and reading them would read past its struct),
 * so the core calls a slot added in version N only when
 * `store->version >= N && store->slot != NULL`, and falls back otherwise.
 */
int tg__store_validate(const tg_store *store);

/* True when the backend has `slot`, a slot added in store version `n`. */
#define TG__STORE_HAS(store, n, slot) ((store)->version >= (n) && (store)->slot != NULL)

#endif
