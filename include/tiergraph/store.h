/**
 * @file tiergraph/store.h
 * For people who write a storage backend, and the constructors of the built-in ones.
 *
 * A backend sees opaque records: key -> bytes. The core encodes its records and
 * calls the backend inside one transaction per write. The struct is versioned:
 * it only grows at its end, with a bump of TG_STORE_VERSION. See docs/backends.md.
 */
#ifndef TIERGRAPH_STORE_H
#define TIERGRAPH_STORE_H

#include "../tiergraph.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup store Storage backends
 * The versioned storage vtable, and the built-in backends behind the URIs of
 * tg_graph_open().
 * @{
 */

/** The version of struct tg_store these headers describe: set it in `version`
 *  (TG_STORE_INIT and tg_store_init() do). */
#define TG_STORE_VERSION 2

/**
 * Called by `load` once per stored record. Return 0 to go on; a non-zero return
 * stops the load, and `load` must return that value. `key` and `val` are the
 * backend's and need live only during the call.
 */
typedef int(TG_CALLBACK *tg_store_emit)(void *ctx, const char *key, size_t klen,
                                        const void *val, size_t vlen);

/**
 * The storage vtable. A backend embeds it as its first member and fills every
 * required slot. All slots return 0 on success or a negative TG_E* code
 * (TG_EIO for I/O failures). The core calls them from one thread at a time.
 */
struct tg_store {
    unsigned int version; /**< TG_STORE_VERSION the backend was built with; 0 is rejected */
    /* version 1 */
    /** required: emit every committed record, in any order, once each */
    int(TG_CALLBACK *load)(tg_store *self, tg_store_emit emit, void *ctx);
    /** required: start a transaction; one at a time */
    int(TG_CALLBACK *begin)(tg_store *self);
    /** required: write a record in the open transaction (insert or overwrite) */
    int(TG_CALLBACK *put)(tg_store *self, const char *key, size_t klen, const void *val,
                          size_t vlen);
    /** required: delete a record in the open transaction (absent keys are not an error) */
    int(TG_CALLBACK *del)(tg_store *self, const char *key, size_t klen);
    /** required: make the transaction's writes durable and visible; all or nothing */
    int(TG_CALLBACK *commit)(tg_store *self);
    /** required: discard the open transaction's writes */
    int(TG_CALLBACK *rollback)(tg_store *self);
    /** optional: release the backend (called once, by tg_graph_close) */
    void(TG_CALLBACK *free)(tg_store *self);
    /* version 2 */
    /** optional: set a store option (TG_OPT_DURABILITY with a tg_durability value);
     *  return TG_EINVAL, with a message, for an option or value the backend lacks */
    int(TG_CALLBACK *set_option)(tg_store *self, int option, int64_t value);
    /** optional: report a statistic (a tg_store_stat) through `out`; return TG_EINVAL
     *  for one the backend does not keep */
    int(TG_CALLBACK *stat)(tg_store *self, int what, int64_t *out);
    /* later versions only append below this line */
};

/** Static initialiser: `my_backend b = { TG_STORE_INIT };` when tg_store is the first member,
 *  or `tg_store s = TG_STORE_INIT;`. */
#define TG_STORE_INIT {TG_STORE_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/** Zero a tg_store and set its version, for callers who cannot use TG_STORE_INIT
 *  (bindings). Only the slots of `version` are written, so a struct laid out for
 *  an older version is safe to pass with that version. The caller owns `store`.
 *  Errors: TG_EINVAL (NULL), TG_EVERSION (0 or newer than this library). */
TG_API int tg_store_init(tg_store *store, unsigned int version);

/** A new, empty in-memory store (what "mem:" opens). The caller owns it: free it
 *  with its own `free` slot, or hand it to tg_graph_open_store().
 *  Errors: TG_EINVAL (NULL), TG_ENOMEM. */
TG_API int tg_store_mem_new(tg_store **out);

/**
 * A new journal store on the file at `path` (what "file:PATH" opens), created when
 * absent. The file is locked for this process until the store is freed: a second
 * opener gets TG_EBUSY. Nothing is read until `load`. See docs/backends.md.
 * The caller owns the store, as for tg_store_mem_new().
 * Errors: TG_EINVAL, TG_EBUSY, TG_EIO, TG_ENOMEM.
 */
TG_API int tg_store_file_new(tg_store **out, const char *path);

/**
 * A new SQLite store on the database at `path` (what "sqlite:PATH" opens), created
 * when absent; one table, WAL, held exclusively: a second opener gets TG_EBUSY.
 * The caller owns the store, as for tg_store_mem_new().
 * Errors: TG_EINVAL, TG_EBUSY, TG_EIO, TG_ENOMEM, and TG_EVERSION when this library
 * was built without SQLite (TG_WITH_SQLITE=OFF).
 */
TG_API int tg_store_sqlite_new(tg_store **out, const char *path);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* TIERGRAPH_STORE_H */
