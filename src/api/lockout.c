/* lockout.c - the failed sign-ins of each customer user name, in memory. */
#include "lockout.h"
#include "util/date.h"
#include "util/error.h"
#include "util/map.h"
#include "util/str.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Past this many names, names whose window has passed are forgotten, so that
 * guessing at made-up names cannot grow the table without end. */
#define PRUNE_AT 1024

typedef struct entry {
    char *name; /* lower case: the map's key */
    int failures;
    int64_t window_start; /* the first failure counted in the current window */
    int64_t locked_until; /* 0 when not locked */
} entry;

struct tg__lockout {
    pthread_mutex_t lock;
    tg__map names; /* name -> entry */
};

tg__lockout *tg__lockout_new(void)
{
    tg__lockout *l = calloc(1, sizeof(*l));
    if (l && pthread_mutex_init(&l->lock, NULL)) {
        free(l);
        return NULL;
    }
    return l;
}

static void entry_free(entry *e)
{
    if (!e) return;
    free(e->name);
    free(e);
}

static int free_entry(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    entry_free(value);
    return 0;
}

void tg__lockout_free(tg__lockout *l)
{
    if (!l) return;
    tg__map_each(&l->names, free_entry, NULL);
    tg__map_free(&l->names);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static bool key_of(char *out, const char *name)
{
    size_t n = strlen(name);
    if (n > 320) return false;
    memcpy(out, name, n + 1);
    tg__str_lower(out);
    return true;
}

int tg__lockout_check(tg__lockout *l, const char *name, int64_t now)
{
    char key[321];
    if (!key_of(key, name)) return TG_OK;
    pthread_mutex_lock(&l->lock);
    const entry *e = tg__map_get(&l->names, key);
    int64_t until = e && now < e->locked_until ? e->locked_until : 0;
    pthread_mutex_unlock(&l->lock);
    if (!until) return TG_OK;
    char when[TG__TIME_TEXT];
    tg__format_time(when, until);
    return tg__err(TG_ELOCKED, "'%s' is locked out after too many failed sign-ins, until %s",
                   name, when);
}

/* Forget every name whose window and lock are over. Called with the lock held. */
static void prune(tg__lockout *l, int64_t now)
{
    entry **old = malloc(l->names.count * sizeof(*old));
    size_t n = 0;
    if (!old) return;
    for (size_t i = 0; i < l->names.cap; i++) {
        entry *e = l->names.slots[i].key ? l->names.slots[i].value : NULL;
        if (e && now >= e->locked_until && now - e->window_start >= TG__SIGNIN_WINDOW) old[n++] = e;
    }
    for (size_t i = 0; i < n; i++) {
        tg__map_del(&l->names, old[i]->name);
        entry_free(old[i]);
    }
    free(old);
}

void tg__lockout_fail(tg__lockout *l, const char *name, int64_t now)
{
    char key[321];
    if (!key_of(key, name)) return;
    pthread_mutex_lock(&l->lock);
    entry *e = tg__map_get(&l->names, key);
    if (!e) {
        if (l->names.count >= PRUNE_AT) prune(l, now);
        e = calloc(1, sizeof(*e));
        if (e && (!(e->name = tg__strdup(key)) || tg__map_reserve(&l->names, 1))) {
            entry_free(e);
            e = NULL;
        }
        if (e) {
            e->window_start = now;
            tg__map_put(&l->names, e->name, e);
        }
    }
    if (e) {
        if (now - e->window_start >= TG__SIGNIN_WINDOW) {
            e->window_start = now; /* a new window */
            e->failures = 0;
        }
        if (++e->failures >= TG__SIGNIN_MAX_FAILURES) {
            e->locked_until = now + TG__SIGNIN_WINDOW;
            e->failures = 0;
            e->window_start = now;
        }
    }
    pthread_mutex_unlock(&l->lock);
}

void tg__lockout_clear(tg__lockout *l, const char *name)
{
    char key[321];
    if (!key_of(key, name)) return;
    pthread_mutex_lock(&l->lock);
    entry_free(tg__map_del(&l->names, key));
    pthread_mutex_unlock(&l->lock);
}
