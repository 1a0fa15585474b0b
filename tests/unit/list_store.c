/* list_store.c - see list_store.h. */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include "list_store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

void list_store_add(list_store *s, const char *key, size_t klen, const char *val, size_t vlen)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->keys = realloc(s->keys, s->cap * sizeof(*s->keys));
        s->vals = realloc(s->vals, s->cap * sizeof(*s->vals));
        assert_non_null(s->keys);
        assert_non_null(s->vals);
    }
    s->keys[s->n] = strndup(key, klen);
    s->vals[s->n] = strndup(val, vlen);
    assert_non_null(s->keys[s->n]);
    assert_non_null(s->vals[s->n]);
    s->n++;
}

void list_store_insert(list_store *s, size_t at, const char *key, const char *val)
{
    assert_true(at <= s->n);
    list_store_add(s, key, strlen(key), val, strlen(val));
    char *k = s->keys[s->n - 1], *v = s->vals[s->n - 1];
    memmove(&s->keys[at + 1], &s->keys[at], (s->n - 1 - at) * sizeof(char *));
    memmove(&s->vals[at + 1], &s->vals[at], (s->n - 1 - at) * sizeof(char *));
    s->keys[at] = k;
    s->vals[at] = v;
}

int TG_CALLBACK list_store_collect(void *ctx, const char *key, size_t klen, const void *val,
                                   size_t vlen)
{
    list_store_add(ctx, key, klen, val, vlen);
    return 0;
}

static int TG_CALLBACK list_load(tg_store *self, tg_store_emit emit, void *ctx)
{
    list_store *s = (list_store *)self;
    for (size_t i = 0; i < s->n; i++) {
        if (s->fail_after && i == s->fail_after) return TG_EIO;
        int rc = emit(ctx, s->keys[i], strlen(s->keys[i]), s->vals[i], strlen(s->vals[i]));
        if (rc) return rc;
    }
    return TG_OK;
}

static int TG_CALLBACK refuse(tg_store *self)
{
    (void)self;
    return TG_EIO;
}

static int TG_CALLBACK refuse_put(tg_store *self, const char *key, size_t klen, const void *val,
                                  size_t vlen)
{
    (void)self, (void)key, (void)klen, (void)val, (void)vlen;
    return TG_EIO;
}

static int TG_CALLBACK refuse_del(tg_store *self, const char *key, size_t klen)
{
    (void)self, (void)key, (void)klen;
    return TG_EIO;
}

static int TG_CALLBACK rollback(tg_store *self)
{
    (void)self;
    return TG_OK;
}

void list_store_init(list_store *s)
{
    memset(s, 0, sizeof(*s));
    assert_int_equal(tg_store_init(&s->base, TG_STORE_VERSION), TG_OK);
    s->base.load = list_load;
    s->base.begin = refuse;
    s->base.put = refuse_put;
    s->base.del = refuse_del;
    s->base.commit = refuse;
    s->base.rollback = rollback;
}

void list_store_free(list_store *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->keys[i]);
        free(s->vals[i]);
    }
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof(*s));
}
