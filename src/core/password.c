/* password.c - a chosen password's rules: 8 to 256 characters from at least 3 of
 * the 4 classes lower case, upper case, digits and symbols. Every character that
 * is not an ASCII letter or digit counts as a symbol (accented letters too), so
 * no user is refused for writing in their own language; control characters are
 * refused, as they cannot be typed reliably. */
#include "password.h"
#include "util/error.h"
#include "util/str.h"

#include <string.h>

int tg__password_rules(const char *pw, const char *what)
{
    int rc = tg__check_text(pw, what);
    if (rc) return rc;
    size_t n = tg__utf8_length(pw);
    if (n < TG__PASSWORD_MIN || n > TG__PASSWORD_MAX)
        return tg__err(TG_EINVAL, "%s must be %d to %d characters long (it has %zu)", what,
                       TG__PASSWORD_MIN, TG__PASSWORD_MAX, n);
    bool lower = false, upper = false, digit = false, symbol = false;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return tg__err(TG_EINVAL, "%s must not contain control characters", what);
        if (*p >= 'a' && *p <= 'z') lower = true;
        else if (*p >= 'A' && *p <= 'Z') upper = true;
        else if (*p >= '0' && *p <= '9') digit = true;
        else symbol = true;
    }
    int classes = lower + upper + digit + symbol;
    if (classes < TG__PASSWORD_CLASSES)
        return tg__err(TG_EINVAL, "%s must mix at least %d of the 4 classes lower case, upper "
                                  "case, digits and symbols (it has %d)",
                       what, TG__PASSWORD_CLASSES, classes);
    return TG_OK;
}
