/* error.h - the per-thread last error message behind tg_error_message(). */
#ifndef TG_ERROR_H
#define TG_ERROR_H

#include "tiergraph.h"

/* Record `code` with a printf-style message for this thread; returns `code` so a
 * function can `return tg__err(TG_EINVAL, "...")`. */
int tg__err(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Forget this thread's message, so that code which cannot set one (a third-party
 * store) is not blamed for an older one. */
void tg__err_clear(void);

/* Record an out-of-memory error. Returns TG_ENOMEM. */
int tg__nomem(void);

/* Check a pointer argument: TG_EINVAL naming it when NULL, else TG_OK. */
#define TG__ARG(p) \
    do { \
        if ((p) == NULL) return tg__err(TG_EINVAL, "%s: argument '%s' is NULL", __func__, #p); \
    } while (0)

#endif
