/* fuzz_file_store.c - libFuzzer target: the whole "file:" store. The input bytes
 * (as they are, and resealed: reseal.h) become a journal file that tg_graph_open
 * opens. Either it refuses with TG_ECORRUPT and a message, or the graph it opens
 * passes tg_graph_verify, can be read through the API (read_graph.h), takes one
 * more write, and reopens to the same revision, still verified. Any broken
 * promise aborts. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "read_graph.h"
#include "reseal.h"
#include "tiergraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REQUIRE(cond) FUZZ_REQUIRE("fuzz_file_store", cond)

/* A scratch directory, made once, in memory when /dev/shm is there (the store
 * flushes), and "file:" + the journal in it. */
static char dir[4096];
static char uri[4200];

static void scratch_remove(void)
{
    unlink(uri + 5);
    rmdir(dir);
}

static void scratch_init(void)
{
    if (uri[0]) return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/tiergraph-fuzz-XXXXXX", base && *base ? base : "/tmp");
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(uri, sizeof(uri), "file:%s/journal.tg", dir);
    atexit(scratch_remove);
}

static void write_journal(const uint8_t *data, size_t size)
{
    FILE *f = fopen(uri + 5, "wb");
    REQUIRE(f != NULL);
    REQUIRE(size == 0 || fwrite(data, 1, size, f) == size);
    REQUIRE(fclose(f) == 0);
}

static void open_journal(const uint8_t *data, size_t size)
{
    write_journal(data, size);
    tg_graph *g = NULL;
    int rc = tg_graph_open(&g, uri);
    if (rc != TG_OK) {
        REQUIRE(rc == TG_ECORRUPT && g == NULL);
        REQUIRE(strcmp(tg_error_message(), "no error") != 0);
        return;
    }
    REQUIRE(tg_graph_verify(g) == TG_OK);
    fuzz_read_graph(g);
    /* One more write lands after what was kept (a torn tail is gone). */
    REQUIRE(tg_graph_set_option(g, TG_OPT_DURABILITY, TG_DURABILITY_OFF) == TG_OK);
    uint64_t revision = tg_graph_revision(g);
    tg_session *op;
    REQUIRE(tg_session_operator(&op, g) == TG_OK);
    rc = tg_partner_enroll(op, TG_PARTNER_DIRECT_BILL, "7fffffff-0000-4000-8000-00000000000f",
                           "9876543210", "Fuzz", "fuzz.invalid", "US");
    REQUIRE(rc == TG_OK || rc == TG_EEXISTS);
    if (rc == TG_OK) revision++;
    REQUIRE(tg_graph_revision(g) == revision);
    tg_session_close(op);
    tg_graph_close(g);
    REQUIRE(tg_graph_open(&g, uri) == TG_OK);
    REQUIRE(tg_graph_revision(g) == revision);
    REQUIRE(tg_graph_verify(g) == TG_OK);
    tg_graph_close(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scratch_init();
    open_journal(data, size);
    size_t n;
    uint8_t *resealed = fuzz_reseal(data, size, &n);
    if (resealed && (n != size || memcmp(resealed, data, size) != 0)) open_journal(resealed, n);
    free(resealed);
    unlink(uri + 5);
    return 0;
}
