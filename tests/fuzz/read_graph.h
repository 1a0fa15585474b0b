/* read_graph.h - read a graph through the API the way the fuzz targets check it
 * (fuzz_file_store, fuzz_import): whatever a list shows must be readable. Any
 * broken promise aborts, which libFuzzer reports as a crash. */
#ifndef READ_GRAPH_H
#define READ_GRAPH_H

#include <tiergraph.h>

#include <stdio.h>
#include <stdlib.h>

/* Abort, naming the target, the place and the library's last message. */
#define FUZZ_REQUIRE(target, cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s: %s:%d: %s (last message: %s)\n", (target), __FILE__, __LINE__, \
                    #cond, tg_error_message()); \
            abort(); \
        } \
    } while (0)

/* The operator lists every kind of partner and reads each profile and user list;
 * each partner user lists the customers it sees and reads each, with the
 * subscriptions it sees; and lists its relationships, and its resellers or
 * providers in both shapes, when its roles and kind allow. */
void fuzz_read_graph(tg_graph *g);

#endif
