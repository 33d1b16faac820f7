/* Helpers shared by the platform probes (platform_cuda.c, platform_others.c):
 * message formatting, resolving a vendor library's symbols, opening the first
 * loadable soname of a list, and initialising a device. */
#include "hw_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* vsnprintf rather than snprintf: messages carry vendor strings of unknown
 * length, and cutting them short is acceptable, so the truncation warnings
 * gcc raises for snprintf would only be noise. */
void ia_hw_platform_format(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

void ia_hw_platform_append(char *dst, size_t size, const char *sep, const char *fmt, ...)
{
    size_t used = strlen(dst);
    size_t sep_len = used > 0 ? strlen(sep) : 0;
    if (used + sep_len + 1 >= size)
        return;
    memcpy(dst + used, sep, sep_len);
    used += sep_len;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst + used, size - used, fmt, ap);
    va_end(ap);
}

int ia_hw_resolve_symbols(ia_hw_source *src, void *lib, const ia_hw_symbol *syms, size_t count,
                          char *missing, size_t missing_size)
{
    int absent = 0;
    const char *first = NULL;
    for (size_t i = 0; i < count; i++) {
        void *sym = src->lib_symbol(src, lib, syms[i].name);
        /* POSIX guarantees object and function pointers share a
         * representation; memcpy keeps ISO C from objecting to the cast. */
        memcpy(syms[i].slot, &sym, sizeof sym);
        if (!sym && syms[i].required) {
            if (!first)
                first = syms[i].name;
            absent++;
        }
    }
    if (absent == 1)
        ia_hw_platform_format(missing, missing_size, "symbol %s not found", first);
    else if (absent > 1)
        ia_hw_platform_format(missing, missing_size,
                              "symbol %s not found (%d other required symbols missing too)",
                              first, absent - 1);
    return absent;
}

void *ia_hw_platform_open(ia_hw_source *src, const char *const *sonames, size_t count,
                          const char **opened, ia_error *broken)
{
    ia_error_clear(broken);
    for (size_t i = 0; i < count; i++) {
        ia_error err;
        ia_error_clear(&err);
        void *lib = src->lib_open(src, sonames[i], &err);
        if (lib) {
            *opened = sonames[i];
            return lib;
        }
        if (err.status != IA_OK && err.status != IA_ERR_NOT_FOUND && broken->status == IA_OK)
            *broken = err;
    }
    *opened = NULL;
    return NULL;
}

void ia_hw_device_init(ia_hw_device *d, int index)
{
    memset(d, 0, sizeof *d);
    d->index = index;
    d->compute_major = d->compute_minor = IA_HW_NO_VALUE;
    d->multiprocessors = IA_HW_NO_VALUE;
    d->power_limit_w = d->temperature_c = IA_HW_NO_VALUE;
    d->clock_sm_mhz = d->clock_mem_mhz = IA_HW_NO_VALUE;
    d->clock_sm_max_mhz = d->clock_mem_max_mhz = IA_HW_NO_VALUE;
}
