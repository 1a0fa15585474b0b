/* version.c - the library's version and ABI numbers at run time. */
#include "tiergraph.h"

#define TG_STR2(x) #x
#define TG_STR(x) TG_STR2(x)

const char *tg_version_string(void)
{
    return TG_STR(TG_VERSION_MAJOR) "." TG_STR(TG_VERSION_MINOR) "." TG_STR(TG_VERSION_PATCH);
}

int tg_version_number(void)
{
    return TG_VERSION_NUMBER;
}

int tg_abi_version(void)
{
    return TG_ABI_VERSION;
}
