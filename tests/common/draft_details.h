/* draft_details.h - valid new-customer details for tests that cannot assert with
 * CMocka (threads, fuzz targets, the seed generator). */
#ifndef DRAFT_DETAILS_H
#define DRAFT_DETAILS_H

#include <tiergraph.h>

/* Fill `d` with valid details for <prefix>.onmicrosoft.com, leaving out the field
 * `left_out` (0: none; TG_FIELD_DOMAIN_PREFIX leaves out the prefix). Returns TG_OK
 * or the first failing tg_draft_set's code. */
int draft_fill_valid(tg_draft *d, const char *prefix, tg_field left_out);

#endif
