/* Error reports: a status plus a message a person can act on. */
#include "ipfs_accelerate/core.h"

#include <stdio.h>
#include <string.h>

ia_status ia_error_set(ia_error *err, ia_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

void ia_error_clear(ia_error *err)
{
    if (err) {
        err->status = IA_OK;
        err->message[0] = '\0';
    }
}

const char *ia_status_name(ia_status status)
{
    switch (status) {
    case IA_OK: return "ok";
    case IA_ERR_IO: return "io error";
    case IA_ERR_PARSE: return "parse error";
    case IA_ERR_INVALID: return "invalid";
    case IA_ERR_NOMEM: return "out of memory";
    case IA_ERR_UNSUPPORTED: return "unsupported";
    case IA_ERR_NOT_FOUND: return "not found";
    case IA_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}
