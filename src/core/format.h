/* format.h - the format of one record, as the library writes it: what an import
 * refuses (TG_EINVAL) and what an open or tg_graph_verify calls corruption
 * (TG_ECORRUPT). A record the library could never have written must not load:
 * every id a list hands out must be one the calls that take it accept (a partner
 * whose tenant is not a GUID would be listed but could not be read). References
 * between records and uniqueness are checked elsewhere (src/api/verify.c). */
#ifndef TG_CORE_FORMAT_H
#define TG_CORE_FORMAT_H

#include "core/entity.h"

/* The name of the first text field of e that is empty, too long or not UTF-8, or NULL. */
const char *tg__record_bad_text(tg__kind kind, const void *e);
/* What the format of e breaks (ids not GUIDs, a domain, a country...), or NULL. */
const char *tg__record_bad_format(tg__kind kind, const void *e);

#endif
