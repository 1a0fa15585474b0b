/* mem.c - the "mem:" backend: committed records in a hash map, a transaction's
 * writes buffered in a second map until commit. Nothing survives free. */
#include "store.h"
#include "../util/error.h"
#include "../util/map.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One allocation holds the record, its NUL-terminated key and then its value bytes. */
typedef struct mem_record {
    bool deleted; /* a pending delete (only in the pending map) */
    size_t klen, vlen;
    unsigned char *val; /* points into this allocation, after the key */
    char key[];
} mem_record;

typedef struct mem_store {
    tg_store base; /* first: the core sees a tg_store */
    tg__map records; /* committed: key -> mem_record */
    tg__map pending; /* the open transaction's writes: key -> mem_record (last write wins) */
    bool in_txn;
} mem_store;

static mem_record *record_new(const char *key, size_t klen, const void *val, size_t vlen,
                              bool deleted)
{
    if (klen > SIZE_MAX / 2 || vlen > SIZE_MAX / 2 - sizeof(mem_record) - klen - 1) return NULL;
    mem_record *r = malloc(sizeof(*r) + klen + 1 + vlen);
    if (!r) return NULL;
    r->deleted = deleted;
    r->klen = klen;
    r->vlen = vlen;
    memcpy(r->key, key, klen);
    r->key[klen] = '\0';
    r->val = (unsigned char *)r->key + klen + 1;
    if (vlen) memcpy(r->val, val, vlen);
    return r;
}

static int free_record(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    free(value);
    return 0;
}

static int check_key(const char *key, size_t klen)
{
    if (key == NULL) return tg__err(TG_EINVAL, "store key is NULL");
    if (memchr(key, '\0', klen))
        return tg__err(TG_EINVAL, "store key contains a NUL byte");
    return TG_OK;
}

/* Buffer one write. All allocation happens here, so that commit cannot fail. */
static int stage(mem_store *m, const char *key, size_t klen, const void *val, size_t vlen,
                 bool deleted)
{
    if (!m->in_txn)
        return tg__err(TG_ERROR, "mem store: %s outside a transaction", deleted ? "del" : "put");
    int rc = check_key(key, klen);
    if (rc != TG_OK) return rc;
    if (val == NULL && vlen > 0) return tg__err(TG_EINVAL, "store value is NULL");

    mem_record *r = record_new(key, klen, val, vlen, deleted);
    if (!r) return tg__nomem();
    mem_record *prev = tg__map_get(&m->pending, r->key);
    if (!prev) {
        /* A new pending key may become a new committed key: make room in both maps now.
         * Committed count cannot change during the transaction, so room for every
         * pending key is enough. */
        if (tg__map_reserve(&m->pending, 1) != TG_OK ||
            tg__map_reserve(&m->records, m->pending.count + 1) != TG_OK) {
            free(r);
            return TG_ENOMEM;
        }
    }
    tg__map_put(&m->pending, r->key, r); /* replaces prev's key pointer with r's */
    free(prev);
    return TG_OK;
}

static int TG_CALLBACK mem_put(tg_store *self, const char *key, size_t klen, const void *val,
                               size_t vlen)
{
    return stage((mem_store *)self, key, klen, val, vlen, false);
}

static int TG_CALLBACK mem_del(tg_store *self, const char *key, size_t klen)
{
    return stage((mem_store *)self, key, klen, NULL, 0, true);
}

static int TG_CALLBACK mem_begin(tg_store *self)
{
    mem_store *m = (mem_store *)self;
    if (m->in_txn) return tg__err(TG_ERROR, "mem store: begin while a transaction is open");
    m->in_txn = true;
    return TG_OK;
}

static void discard_pending(mem_store *m)
{
    tg__map_each(&m->pending, free_record, NULL);
    tg__map_free(&m->pending);
    m->in_txn = false;
}

/* Move one pending write into the committed map; never allocates (room was reserved). */
static int apply_one(void *ctx, const char *key, void *value)
{
    tg__map *records = ctx;
    mem_record *r = value;
    if (r->deleted) {
        free(tg__map_del(records, key));
        free(r);
    } else {
        free(tg__map_put(records, r->key, r)); /* the map now holds r's key */
    }
    return 0;
}

static int TG_CALLBACK mem_commit(tg_store *self)
{
    mem_store *m = (mem_store *)self;
    if (!m->in_txn) return tg__err(TG_ERROR, "mem store: commit outside a transaction");
    tg__map_each(&m->pending, apply_one, &m->records);
    tg__map_free(&m->pending); /* the records moved or were freed */
    m->in_txn = false;
    return TG_OK;
}

/* Rolling back with no open transaction is a no-op, so the core may always
 * roll back after a failed begin, put, del or commit. */
static int TG_CALLBACK mem_rollback(tg_store *self)
{
    discard_pending((mem_store *)self);
    return TG_OK;
}

typedef struct emit_ctx {
    tg_store_emit emit;
    void *ctx;
} emit_ctx;

static int emit_one(void *ctx, const char *key, void *value)
{
    emit_ctx *e = ctx;
    mem_record *r = value;
    (void)key;
    return e->emit(e->ctx, r->key, r->klen, r->val, r->vlen);
}

static int TG_CALLBACK mem_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    TG__ARG(emit);
    emit_ctx e = {emit, ctx};
    return tg__map_each(&((mem_store *)self)->records, emit_one, &e);
}

static void TG_CALLBACK mem_free(tg_store *self)
{
    mem_store *m = (mem_store *)self;
    if (!m) return;
    discard_pending(m);
    tg__map_each(&m->records, free_record, NULL);
    tg__map_free(&m->records);
    free(m);
}

int tg_store_mem_new(tg_store **out)
{
    TG__ARG(out);
    *out = NULL;
    mem_store *m = calloc(1, sizeof(*m));
    if (!m) return tg__nomem();
    m->base.version = TG_STORE_VERSION;
    m->base.load = mem_load;
    m->base.begin = mem_begin;
    m->base.put = mem_put;
    m->base.del = mem_del;
    m->base.commit = mem_commit;
    m->base.rollback = mem_rollback;
    m->base.free = mem_free;
    *out = &m->base;
    return TG_OK;
}
