/* iter.c - snapshot lists of ids handed to callers. The ids are copied into one
 * growing buffer, not one allocation each: a list costs a copy per item and a
 * few allocations in all (tests/bench measures the time per item). */
#include "api.h"

#include <stdlib.h>
#include <string.h>

struct tg_iter {
    char *text;     /* the ids, each NUL-terminated, one after the other */
    size_t used, room;
    size_t *at;     /* where each id starts in text */
    size_t len, cap, pos;
};

tg_iter *tg__iter_new(void)
{
    return calloc(1, sizeof(tg_iter));
}

static int grow(void **p, size_t *cap, size_t need, size_t unit, size_t first)
{
    size_t cap2 = *cap ? *cap : first;
    while (cap2 < need) cap2 *= 2;
    void *q = realloc(*p, cap2 * unit);
    if (!q) return tg__nomem();
    *p = q;
    *cap = cap2;
    return TG_OK;
}

int tg__iter_add(tg_iter *it, const char *id)
{
    size_t n = strlen(id) + 1;
    if (it->len == it->cap && grow((void **)&it->at, &it->cap, it->len + 1, sizeof(size_t), 16))
        return TG_ENOMEM;
    if (it->used + n > it->room && grow((void **)&it->text, &it->room, it->used + n, 1, 1024))
        return TG_ENOMEM;
    memcpy(it->text + it->used, id, n);
    it->at[it->len++] = it->used;
    it->used += n;
    return TG_OK;
}

int tg__iter_finish(tg_iter **out, tg_iter *it, int rc)
{
    if (rc) {
        tg_iter_free(it);
        return rc;
    }
    *out = it;
    return TG_OK;
}

int tg_iter_next(tg_iter *it, const char **out)
{
    TG__ARG(out);
    *out = NULL;
    TG__ARG(it);
    if (it->pos >= it->len) return TG_ITEROVER;
    *out = it->text + it->at[it->pos++];
    return TG_OK;
}

size_t tg_iter_count(const tg_iter *it)
{
    return it ? it->len : 0;
}

void tg_iter_free(tg_iter *it)
{
    if (!it) return;
    free(it->text);
    free(it->at);
    free(it);
}
