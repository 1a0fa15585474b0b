/* interop.c - the whole graph out and in, for the operator: tg_export, and tg_import
 * of an export or of Partner Center bodies, all or nothing, checked like
 * tg_graph_verify checks a graph before anything is written. */
#include "api/api.h"
#include "core/format.h"
#include "json/interop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tg_export(char **out, tg_session *op)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(op);
    tg__actor a;
    int rc = tg__enter(op, false, &a);
    if (rc) return rc;
    rc = a.is_operator ? tg__export_json(out, &op->graph->t)
                       : tg__err(TG_EDENIED, "denied: only the operator may export the graph");
    tg__leave(op);
    return rc;
}

static int check_records(const tg__changeset *cs)
{
    for (size_t i = 0; i < cs->len; i++) {
        const tg__change *c = &cs->items[i];
        const char *prefix = tg__kind_describe(c->kind)->prefix, *field = tg__record_bad_text(c->kind, c->next);
        if (field)
            return tg__err(TG_EINVAL, "import: %s '%.64s': '%s' is empty, too long or not UTF-8",
                           prefix, c->id, field);
        const char *why = tg__record_bad_format(c->kind, c->next);
        if (why) return tg__err(TG_EINVAL, "import: %s '%.64s': %s", prefix, c->id, why);
    }
    return TG_OK;
}

/* ---- the graph the records would make ---- */

typedef struct scratch {
    tg__tables t; /* indexes only: the records belong to the graph and the change set */
    tg__kind kind;
    int rc;
} scratch;

static int scratch_add(scratch *s, tg__kind kind, void *e)
{
    if (tg__tables_reserve(&s->t, kind, e)) return s->rc = TG_ENOMEM;
    tg__tables_index(&s->t, kind, e);
    return TG_OK;
}

static int add_existing(void *ctx, const char *key, void *value)
{
    (void)key;
    scratch *s = ctx;
    return scratch_add(s, s->kind, value);
}

/* New ids, and every invariant of tg_graph_verify on the graph's records plus the
 * new ones, checked on scratch indexes before anything is written. */
static int check_graph(const tg__tables *t, const tg__changeset *cs)
{
    scratch s = {.rc = TG_OK};
    for (int k = 0; k < TG__KIND_COUNT && s.rc == TG_OK; k++) {
        s.kind = (tg__kind)k;
        tg__map_each(&t->by_id[k], add_existing, &s);
    }
    int rc = s.rc ? tg__nomem() : TG_OK;
    for (size_t i = 0; rc == TG_OK && i < cs->len; i++) {
        const tg__change *c = &cs->items[i];
        const char *prefix = tg__kind_describe(c->kind)->prefix;
        if (tg__get(t, c->kind, c->id))
            rc = tg__err(TG_EEXISTS, "import: %s '%.64s' already exists", prefix, c->id);
        else if (tg__get(&s.t, c->kind, c->id))
            rc = tg__err(TG_EEXISTS, "import: %s '%.64s' appears twice", prefix, c->id);
        else if (scratch_add(&s, c->kind, c->next))
            rc = tg__nomem();
    }
    if (rc == TG_OK && tg__tables_verify(&s.t) != TG_OK) {
        char why[512];
        snprintf(why, sizeof(why), "%s", tg_error_message());
        rc = tg__err(TG_EINVAL, "import: the records would not make a valid graph (%s)", why);
    }
    tg__tables_release(&s.t);
    return rc;
}

int tg_import(tg_session *op, const char *json)
{
    TG__ARG(op);
    TG__ARG(json);
    tg__actor a;
    int rc = tg__enter(op, false, &a);
    if (rc) return rc;
    tg_graph *g = op->graph;
    bool is_operator = a.is_operator;
    uint64_t ops = g->argon2_ops;
    size_t mem = g->argon2_mem;
    tg__leave(op);
    if (!is_operator) return tg__err(TG_EDENIED, "denied: only the operator may import");

    /* Parsing and the slow verifiers, before the write lock. */
    tg__import im;
    rc = tg__import_prepare(&im, json, ops, mem);
    if (rc == TG_OK) rc = tg__enter(op, true, &a);
    if (rc) {
        tg__import_free(&im);
        return rc;
    }
    tg__changeset cs = {0};
    if ((rc = tg__import_records(&cs, &im, &g->t, tg__now(g))) == TG_OK &&
        (rc = check_records(&cs)) == TG_OK && (rc = check_graph(&g->t, &cs)) == TG_OK && cs.len)
        rc = tg__commit(g, &cs);
    tg__cs_free(&cs);
    tg__leave(op);
    tg__import_free(&im);
    return rc;
}
