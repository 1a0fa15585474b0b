/* iter.c - snapshot lists of ids handed to callers. The ids are copied into one
 * growing buffer, not one allocation each: a list costs a copy per item and a
 * few allocations in all (tests/bench measures the time per item). A short list
 * (a customer's subscriptions) fits in the iterator itself: one allocation. */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#define INLINE_IDS 8
#define INLINE_TEXT (INLINE_IDS * 40) /* eight GUIDs */

struct tg_iter {
    char *text;     /* the ids, each NUL-terminated, one after the other */
    size_t used, room;
    size_t *at;     /* where each id starts in text */
    size_t len, cap, pos;
    size_t at_inline[INLINE_IDS]; /* text and at, until a list outgrows them */
    char text_inline[INLINE_TEXT];
};

tg_iter *tg__iter_new(void)
{
    tg_iter *it = malloc(sizeof(tg_iter));
    if (!it) return NULL;
    *it = (tg_iter){.text = it->text_inline, .room = INLINE_TEXT, .at = it->at_inline,
                    .cap = INLINE_IDS};
    return it;
}

/* Make room for `need` units in *p (starting inline, then on the heap). */
static int grow(void **p, size_t *cap, size_t need, size_t unit, const void *inline_buf)
{
    size_t cap2 = *cap * 2;
    while (cap2 < need) cap2 *= 2;
    void *q = *p == inline_buf ? malloc(cap2 * unit) : realloc(*p, cap2 * unit);
    if (!q) return tg__nomem();
    if (*p == inline_buf) memcpy(q, *p, *cap * unit);
    *p = q;
    *cap = cap2;
    return TG_OK;
}

int tg__iter_reserve(tg_iter *it, size_t ids, size_t bytes)
{
    if (it->len + ids > it->cap &&
        grow((void **)&it->at, &it->cap, it->len + ids, sizeof(size_t), it->at_inline))
        return TG_ENOMEM;
    if (it->used + bytes > it->room &&
        grow((void **)&it->text, &it->room, it->used + bytes, 1, it->text_inline))
        return TG_ENOMEM;
    return TG_OK;
}

int tg__iter_add(tg_iter *it, const char *id)
{
    size_t n = strlen(id) + 1;
    if (tg__iter_reserve(it, 1, n)) return TG_ENOMEM;
    memcpy(it->text + it->used, id, n);
    it->at[it->len++] = it->used;
    it->used += n;
    return TG_OK;
}

int tg__iter_add_guid(tg_iter *it, const unsigned char guid[TG__GUID_BYTES])
{
    if (tg__iter_reserve(it, 1, TG__GUID_TEXT)) return TG_ENOMEM;
    tg__guid_unpack(guid, it->text + it->used);
    it->at[it->len++] = it->used;
    it->used += TG__GUID_TEXT;
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
    if (it->text != it->text_inline) free(it->text);
    if (it->at != it->at_inline) free(it->at);
    free(it);
}
