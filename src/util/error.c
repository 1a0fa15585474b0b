/* error.c - pinned error texts and the per-thread last error message. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_message[512];

int tg__err(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof(last_message), fmt, ap);
    va_end(ap);
    return code;
}

void tg__err_clear(void)
{
    last_message[0] = '\0';
}

int tg__nomem(void)
{
    return tg__err(TG_ENOMEM, "out of memory");
}

const char *tg_error_message(void)
{
    return last_message[0] ? last_message : "no error";
}

const char *tg_strerror(int code)
{
    switch (code) {
    case TG_OK: return "success";
    case TG_ERROR: return "internal error";
    case TG_ENOMEM: return "out of memory";
    case TG_EINVAL: return "invalid argument";
    case TG_ENOTFOUND: return "not found";
    case TG_EEXISTS: return "already exists";
    case TG_EDENIED: return "permission denied";
    case TG_ESTATE: return "not allowed by the rules now";
    case TG_ECONFIRM: return "explicit confirmation required";
    case TG_EEXPIRED: return "expired";
    case TG_EIO: return "storage I/O error";
    case TG_ECORRUPT: return "storage is corrupt";
    case TG_EBUSY: return "storage is held by another process";
    case TG_EVERSION: return "unsupported version";
    case TG_ITEROVER: return "no more items";
    case TG_EPASSWORD_CHANGE: return "a password change is required";
    case TG_ELOCKED: return "too many failed sign-ins";
    default: return "unknown error code";
    }
}
