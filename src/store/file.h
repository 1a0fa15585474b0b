/* file.h (internal) - knobs of the "file:" backend that tests turn. */
#ifndef TG_FILE_STORE_H
#define TG_FILE_STORE_H

#include "tiergraph/store.h"

#include <stdint.h>

/* Compact only journals of at least `bytes` (default 64 KiB), so that tests can
 * make compaction happen often; 0 compacts after every commit. `store` must come
 * from tg_store_file_new(). */
void tg__file_store_set_compact_min(tg_store *store, uint64_t bytes);

#endif
