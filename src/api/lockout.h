/* lockout.h - failed customer sign-ins, counted per user name, to slow down
 * password guessing: after TG__SIGNIN_MAX_FAILURES failures within
 * TG__SIGNIN_WINDOW seconds the name is locked out for TG__SIGNIN_WINDOW seconds.
 * Kept in memory only (docs/design.md says why); thread-safe on its own lock, so
 * sign-ins need not take the graph's write lock to count. */
#ifndef TG_LOCKOUT_H
#define TG_LOCKOUT_H

#include <stdint.h>

#define TG__SIGNIN_MAX_FAILURES 5
#define TG__SIGNIN_WINDOW (15 * 60)

typedef struct tg__lockout tg__lockout;

tg__lockout *tg__lockout_new(void); /* NULL on ENOMEM */
void tg__lockout_free(tg__lockout *l);

/* TG_OK, or TG_ELOCKED (with its message) while `name` is locked out at `now`. */
int tg__lockout_check(tg__lockout *l, const char *name, int64_t now);
/* Count a failed attempt of `name` at `now` (best effort: without memory it is not counted). */
void tg__lockout_fail(tg__lockout *l, const char *name, int64_t now);
/* Forget the failures of `name` (after a successful check of its password). */
void tg__lockout_clear(tg__lockout *l, const char *name);

#endif
