/* Host errno values to WASI errno values. */
#include <errno.h>

#include "wasi_types.h"

uint16_t wasi_errno_from_host(int host_errno)
{
    if (host_errno == 0)
        return WASI_ESUCCESS;
#define WASI_ERRNO_MAP_(name, host)                                       \
    if ((host) != 0 && host_errno == (host))                              \
        return WASI_E##name;
    WASI_ERRNOS(WASI_ERRNO_MAP_)
#undef WASI_ERRNO_MAP_
    return WASI_EIO;
}
