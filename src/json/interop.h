/* interop.h - the graph as one JSON document, and documents into records: tiergraph's
 * own export (export.c, import.c) and Partner Center REST bodies (pc_import.c). */
#ifndef TG_INTEROP_H
#define TG_INTEROP_H

#include "core/changeset.h"
#include "core/graph.h"

#include <cjson/cJSON.h>

#define TG__EXPORT_FORMAT "tiergraph-export"
#define TG__EXPORT_VERSION 1

/* The export document of the tables: every record of every kind, sorted by id. */
int tg__export_json(char **out, const tg__tables *t);

/* A document being imported. */
typedef struct tg__import {
    cJSON *doc;
    bool is_export;   /* a tg_export document; otherwise a Partner Center body */
    char **verifiers; /* Partner Center customers' Argon2id verifiers, in document order */
    size_t nverifiers;
} tg__import;

/* Step 1, without any lock: parse `json` (TG_EINVAL with the byte offset, line and
 * column when it is not JSON), tell which document it is, and compute the slow
 * Argon2id verifiers of the Partner Center customers in it. */
int tg__import_prepare(tg__import *im, const char *json, uint64_t opslimit, size_t memlimit);
/* Step 2, under the write lock: the document's records into `cs`, with what
 * Partner Center bodies leave out taken from the graph `t` (partners of record,
 * support contacts); records without a date get `now`. TG_EINVAL names what does
 * not map. */
int tg__import_records(tg__changeset *cs, const tg__import *im, const tg__tables *t, int64_t now);
void tg__import_free(tg__import *im);

/* Partner Center bodies (pc_import.c): those tg__import_prepare and
 * tg__import_records hand on. */
int tg__pc_verifiers(tg__import *im, uint64_t opslimit, size_t memlimit);
int tg__pc_records(tg__changeset *cs, const tg__import *im, const tg__tables *t, int64_t now);

#endif
