/* fault_store.c - a store wrapper that fails chosen calls with TG_EIO (see fault_store.h). */
#include "fault_store.h"
#include "util/error.h"

#include <stdlib.h>

typedef struct fault_store {
    tg_store base; /* first: the core sees a tg_store */
    tg_store *inner;
    int owns_inner;
    int put_countdown; /* the put that makes it reach 0 fails; 0 = off */
    int fail_commit, fail_begin, fail_load;
    int puts, dels, commits;
} fault_store;

static int TG_CALLBACK fs_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    fault_store *f = (fault_store *)self;
    if (f->fail_load) return tg__err(TG_EIO, "fault store: injected load failure");
    return f->inner->load(f->inner, emit, ctx);
}

static int TG_CALLBACK fs_begin(tg_store *self)
{
    fault_store *f = (fault_store *)self;
    if (f->fail_begin) return tg__err(TG_EIO, "fault store: injected begin failure");
    return f->inner->begin(f->inner);
}

static int TG_CALLBACK fs_put(tg_store *self, const char *key, size_t klen, const void *val,
                              size_t vlen)
{
    fault_store *f = (fault_store *)self;
    if (f->put_countdown > 0 && --f->put_countdown == 0)
        return tg__err(TG_EIO, "fault store: injected put failure");
    int rc = f->inner->put(f->inner, key, klen, val, vlen);
    if (rc == TG_OK) f->puts++;
    return rc;
}

static int TG_CALLBACK fs_del(tg_store *self, const char *key, size_t klen)
{
    fault_store *f = (fault_store *)self;
    int rc = f->inner->del(f->inner, key, klen);
    if (rc == TG_OK) f->dels++;
    return rc;
}

static int TG_CALLBACK fs_commit(tg_store *self)
{
    fault_store *f = (fault_store *)self;
    if (f->fail_commit) return tg__err(TG_EIO, "fault store: injected commit failure");
    int rc = f->inner->commit(f->inner);
    if (rc == TG_OK) f->commits++;
    return rc;
}

static int TG_CALLBACK fs_rollback(tg_store *self)
{
    fault_store *f = (fault_store *)self;
    return f->inner->rollback(f->inner);
}

static void TG_CALLBACK fs_free(tg_store *self)
{
    fault_store *f = (fault_store *)self;
    if (!f) return;
    if (f->owns_inner && f->inner->free) f->inner->free(f->inner);
    free(f);
}

static tg_store *fault_store_make(tg_store *inner, int owns_inner)
{
    if (!inner) return NULL;
    fault_store *f = calloc(1, sizeof(*f));
    if (!f) return NULL;
    f->base.version = TG_STORE_VERSION;
    f->base.load = fs_load;
    f->base.begin = fs_begin;
    f->base.put = fs_put;
    f->base.del = fs_del;
    f->base.commit = fs_commit;
    f->base.rollback = fs_rollback;
    f->base.free = fs_free;
    f->inner = inner;
    f->owns_inner = owns_inner;
    return &f->base;
}

tg_store *fault_store_new(tg_store *inner)
{
    return fault_store_make(inner, 1);
}

tg_store *fault_store_borrow(tg_store *inner)
{
    return fault_store_make(inner, 0);
}

void fault_store_fail_put(tg_store *s, int n)
{
    ((fault_store *)s)->put_countdown = n > 0 ? n : 0;
}

void fault_store_fail_commit(tg_store *s, int on)
{
    ((fault_store *)s)->fail_commit = on;
}

void fault_store_fail_begin(tg_store *s, int on)
{
    ((fault_store *)s)->fail_begin = on;
}

void fault_store_fail_load(tg_store *s, int on)
{
    ((fault_store *)s)->fail_load = on;
}

int fault_store_puts(const tg_store *s)
{
    return ((const fault_store *)s)->puts;
}

int fault_store_dels(const tg_store *s)
{
    return ((const fault_store *)s)->dels;
}

int fault_store_commits(const tg_store *s)
{
    return ((const fault_store *)s)->commits;
}
