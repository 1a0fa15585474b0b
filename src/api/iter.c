/* iter.c - snapshot lists of ids handed to callers. */
#include "api.h"

#include <stdlib.h>

struct tg_iter {
    char **ids;
    size_t len, cap, pos;
};

tg_iter *tg__iter_new(void)
{
    return calloc(1, sizeof(tg_iter));
}

int tg__iter_add(tg_iter *it, const char *id)
{
    if (it->len == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 16;
        char **p = realloc(it->ids, cap * sizeof(*p));
        if (!p) return tg__nomem();
        it->ids = p;
        it->cap = cap;
    }
    if (!(it->ids[it->len] = tg__strdup(id))) return tg__nomem();
    it->len++;
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
    *out = it->ids[it->pos++];
    return TG_OK;
}

size_t tg_iter_count(const tg_iter *it)
{
    return it ? it->len : 0;
}

void tg_iter_free(tg_iter *it)
{
    if (!it) return;
    for (size_t i = 0; i < it->len; i++) free(it->ids[i]);
    free(it->ids);
    free(it);
}
