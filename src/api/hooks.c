/* hooks.c - delivering change events to the graph's hook (see hooks.h). One thread
 * at a time delivers; events queue in revision order under the write lock, so the
 * hook sees them in that order whichever thread delivers. The hook is called with
 * no lock held, so it may read and write the graph. */
#include "api.h"
#include "hooks.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct tg__note {
    tg__note *next;
    uint64_t revision;
    char json[]; /* NUL-terminated */
};

struct tg__hooks {
    pthread_mutex_t lock; /* guards everything below; never held while a hook runs */
    pthread_cond_t idle;  /* signalled when a call of the hook returns */
    tg_change_hook hook;
    void *payload;
    unsigned long generation; /* bumped by every tg_graph_on_change */
    tg__note *head, *tail;
    bool delivering;        /* a thread is in the delivery loop */
    pthread_t deliverer;    /* that thread */
    bool calling;           /* the deliverer is inside a hook call */
    unsigned long calling_generation;
};

int tg__hooks_new(tg__hooks **out)
{
    tg__hooks *h = calloc(1, sizeof(*h));
    if (!h) return tg__nomem();
    if (pthread_mutex_init(&h->lock, NULL)) {
        free(h);
        return tg__err(TG_ERROR, "cannot create the change hook's lock");
    }
    if (pthread_cond_init(&h->idle, NULL)) {
        pthread_mutex_destroy(&h->lock);
        free(h);
        return tg__err(TG_ERROR, "cannot create the change hook's condition");
    }
    *out = h;
    return TG_OK;
}

void tg__note_free(tg__note *note)
{
    free(note);
}

void tg__hooks_free(tg__hooks *h)
{
    if (!h) return;
    while (h->head) {
        tg__note *n = h->head;
        h->head = n->next;
        tg__note_free(n);
    }
    pthread_cond_destroy(&h->idle);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

int tg__hooks_prepare(tg__hooks *h, uint64_t revision, const char *json, size_t len,
                      tg__note **out)
{
    *out = NULL;
    pthread_mutex_lock(&h->lock);
    bool wanted = h->hook != NULL;
    pthread_mutex_unlock(&h->lock);
    if (!wanted) return TG_OK;
    tg__note *n = malloc(sizeof(*n) + len + 1);
    if (!n) return tg__nomem();
    n->next = NULL;
    n->revision = revision;
    memcpy(n->json, json, len);
    n->json[len] = '\0';
    *out = n;
    return TG_OK;
}

void tg__hooks_queue(tg__hooks *h, tg__note *note)
{
    if (!note) return;
    pthread_mutex_lock(&h->lock);
    if (h->tail)
        h->tail->next = note;
    else
        h->head = note;
    h->tail = note;
    pthread_mutex_unlock(&h->lock);
}

void tg__hooks_deliver(tg_graph *g)
{
    tg__hooks *h = g->hooks;
    pthread_mutex_lock(&h->lock);
    if (h->delivering || !h->head) {
        pthread_mutex_unlock(&h->lock);
        return;
    }
    h->delivering = true;
    h->deliverer = pthread_self();
    while (h->head) {
        tg__note *n = h->head;
        if (!(h->head = n->next)) h->tail = NULL;
        tg_change_hook hook = h->hook;
        void *payload = h->payload;
        if (hook) {
            h->calling = true;
            h->calling_generation = h->generation;
            pthread_mutex_unlock(&h->lock);
            hook(g, n->revision, n->json, payload);
            pthread_mutex_lock(&h->lock);
            h->calling = false;
            pthread_cond_broadcast(&h->idle);
        }
        tg__note_free(n);
    }
    h->delivering = false;
    pthread_mutex_unlock(&h->lock);
}

int tg_graph_on_change(tg_graph *g, tg_change_hook hook, void *payload)
{
    TG__ARG(g);
    tg__hooks *h = g->hooks;
    pthread_mutex_lock(&h->lock);
    h->hook = hook;
    h->payload = hook ? payload : NULL;
    unsigned long generation = ++h->generation;
    /* Once this returns, the hook set before is not running on another thread
     * and will not be called again, so its payload may be freed. From inside a
     * hook call (the deliverer's own thread) there is nothing to wait for. */
    while (h->calling && h->calling_generation < generation &&
           !pthread_equal(h->deliverer, pthread_self()))
        pthread_cond_wait(&h->idle, &h->lock);
    pthread_mutex_unlock(&h->lock);
    return TG_OK;
}
