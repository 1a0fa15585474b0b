/* fuzz_import.c - libFuzzer target: the input is tg_import's JSON, imported by the
 * operator into a fresh "mem:" graph holding the Partner Center samples' partners
 * (import_base.h), so that both export documents and Partner Center bodies map.
 * Either:
 *  - it is refused with TG_EINVAL or TG_EEXISTS and a message, and nothing is
 *    written: the same revision, the same export, and no put, delete or commit
 *    reached the store; or
 *  - it is imported as one write (one revision and one "tg_import" event, or
 *    nothing at all for a document without records), the graph passes
 *    tg_graph_verify and can be read through the API (read_graph.h), and the
 *    round trip holds: its export imported into an empty graph exports the same
 *    bytes, and imported again into the same graph is refused (TG_EEXISTS),
 *    changing nothing.
 * Any broken promise aborts, which libFuzzer reports as a crash. */
#include "fault_store.h"
#include "import_base.h"
#include "read_graph.h"
#include "tiergraph.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond) FUZZ_REQUIRE("fuzz_import", cond)

typedef struct graph {
    tg_graph *g;
    tg_store *store; /* a fault store over "mem:" that never fails: it counts */
    tg_session *op;
} graph;

static graph graph_new(void)
{
    graph x;
    tg_store *mem;
    REQUIRE(tg_store_mem_new(&mem) == TG_OK);
    REQUIRE((x.store = fault_store_new(mem)) != NULL);
    REQUIRE(tg_graph_open_store(&x.g, x.store) == TG_OK);
    REQUIRE(import_graph_options(x.g) == TG_OK);
    REQUIRE(tg_session_operator(&x.op, x.g) == TG_OK);
    return x;
}

static void graph_free(graph *x)
{
    tg_session_close(x->op);
    tg_graph_close(x->g);
}

static char *export_of(const graph *x)
{
    char *json = NULL;
    REQUIRE(tg_export(&json, x->op) == TG_OK && json != NULL);
    return json;
}

/* The base, as the export of a graph built once. */
static char *base_document(void)
{
    static char *doc;
    if (doc) return doc;
    graph x = graph_new();
    REQUIRE(import_base_build(x.g) == TG_OK);
    doc = export_of(&x);
    graph_free(&x);
    return doc;
}

/* What a refused import must leave as it was. */
typedef struct snapshot {
    uint64_t revision;
    int puts, dels, commits;
    char *export;
} snapshot;

static snapshot take(const graph *x)
{
    return (snapshot){tg_graph_revision(x->g), fault_store_puts(x->store), fault_store_dels(x->store),
                      fault_store_commits(x->store), export_of(x)};
}

static void unchanged(const graph *x, snapshot *s)
{
    REQUIRE(tg_graph_revision(x->g) == s->revision);
    REQUIRE(fault_store_puts(x->store) == s->puts && fault_store_dels(x->store) == s->dels &&
            fault_store_commits(x->store) == s->commits);
    char *now = export_of(x);
    REQUIRE(strcmp(now, s->export) == 0);
    tg_free(now);
    REQUIRE(tg_graph_verify(x->g) == TG_OK);
    tg_free(s->export);
}

static void refused_cleanly(int rc, const graph *x, snapshot *s)
{
    REQUIRE(rc == TG_EINVAL || rc == TG_EEXISTS);
    const char *msg = tg_error_message();
    REQUIRE(msg && *msg && strcmp(msg, "no error") != 0);
    unchanged(x, s);
}

/* The one event of the import: revision `revision`, by the operator, "tg_import". */
static void one_import_event(const graph *x, uint64_t revision)
{
    tg_iter *it = NULL;
    const char *event;
    REQUIRE(tg_changes(&it, x->op, revision - 1, 0) == TG_OK);
    REQUIRE(tg_iter_count(it) == 1 && tg_iter_next(it, &event) == TG_OK);
    REQUIRE(strstr(event, "\"action\":\"tg_import\"") != NULL);
    REQUIRE(strstr(event, "\"actor\":{\"type\":\"operator\"}") != NULL);
    tg_iter_free(it);
}

/* Export -> import into an empty graph -> export: the same bytes. */
static void round_trip(graph *x)
{
    char *first = export_of(x);
    graph empty = graph_new();
    REQUIRE(tg_import(empty.op, first) == TG_OK);
    REQUIRE(tg_graph_verify(empty.g) == TG_OK);
    char *second = export_of(&empty);
    if (strcmp(first, second) != 0) {
        fprintf(stderr, "fuzz_import: export -> import -> export differs:\n%s\n%s\n", first, second);
        abort();
    }
    tg_free(second);
    graph_free(&empty);
    /* Every record of it is already there. */
    snapshot s = take(x);
    int rc = tg_import(x->op, first);
    REQUIRE(rc == TG_EEXISTS);
    refused_cleanly(rc, x, &s);
    tg_free(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *base = base_document();
    char *text = malloc(size + 1);
    REQUIRE(text != NULL);
    if (size) memcpy(text, data, size);
    text[size] = '\0';
    graph x = graph_new();
    REQUIRE(tg_import(x.op, base) == TG_OK);
    snapshot s = take(&x);
    int rc = tg_import(x.op, text);
    if (rc != TG_OK) {
        refused_cleanly(rc, &x, &s);
    } else {
        uint64_t revision = tg_graph_revision(x.g);
        if (revision == s.revision) {
            unchanged(&x, &s); /* a document without records */
        } else {
            REQUIRE(revision == s.revision + 1 && fault_store_commits(x.store) == s.commits + 1);
            one_import_event(&x, revision);
            tg_free(s.export);
        }
        REQUIRE(tg_graph_verify(x.g) == TG_OK);
        fuzz_read_graph(x.g);
        round_trip(&x);
    }
    graph_free(&x);
    free(text);
    return 0;
}
