/* date.c - calendar arithmetic without the C library's time zone (timegm is not
 * C11 or POSIX): days from a civil date and back, in the proleptic Gregorian calendar. */
#include "date.h"

#include <stdio.h>

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of year y, month m (1-12), day d. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t tg__add_years(int64_t when, int years)
{
    int64_t days = floor_div(when, 86400), secs = when - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    y += years;
    if (m == 2 && d == 29 && !is_leap(y)) d = 28;
    return days_from_civil(y, m, d) * 86400 + secs;
}

void tg__format_time(char buf[TG__TIME_TEXT], int64_t when)
{
    int64_t days = floor_div(when, 86400), secs = when - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, TG__TIME_TEXT, "%04lld-%02d-%02d %02d:%02d UTC", (long long)y, m, d,
             (int)(secs / 3600), (int)(secs / 60 % 60));
}
