/* date.h - calendar arithmetic on times in seconds since the epoch (UTC). */
#ifndef TG_DATE_H
#define TG_DATE_H

#include <stdint.h>

/* The last second a fixed clock (TG_OPT_CLOCK) may read, 9999-12-31T23:59:59Z: times
 * computed from it (an invitation's expiry, a lockout, a one-year term) stay far
 * from int64_t's end and print as four-digit years. */
#define TG__CLOCK_MAX INT64_C(253402300799)

/* The same time of day and date `years` later; 29 February becomes 28 February
 * in a year without it. */
int64_t tg__add_years(int64_t when, int years);

/* "YYYY-MM-DD HH:MM UTC" into buf, of TG__TIME_TEXT bytes: room for any year an
 * int64_t of seconds reaches, signed and past 9999. */
#define TG__TIME_TEXT 48
void tg__format_time(char buf[TG__TIME_TEXT], int64_t when);

#endif
