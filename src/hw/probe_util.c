/* Small helpers every detection stage uses: reading through the source with
 * warnings, parsing sysfs values, CPU lists and "key : value" files. */
#include "hw_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ia_hw_warn(ia_hw_report *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char **grown = realloc(r->warnings, (size_t)(r->warning_count + 1) * sizeof *grown);
    if (!grown)
        return;
    r->warnings = grown;
    char *copy = strdup(msg);
    if (copy)
        r->warnings[r->warning_count++] = copy;
    ia_log_debug("hw: %s", msg);
}

char *ia_hw_read(ia_hw_source *src, ia_hw_report *r, const char *path, bool quiet_if_missing)
{
    char *data = NULL;
    ia_error err;
    ia_error_clear(&err);
    ia_status st = src->read_file(src, path, &data, NULL, &err);
    if (st == IA_OK)
        return data;
    if (!(st == IA_ERR_NOT_FOUND && quiet_if_missing))
        ia_hw_warn(r, "%s", err.message);
    return NULL;
}

bool ia_hw_read_i64(ia_hw_source *src, ia_hw_report *r, const char *path, int64_t *out)
{
    char *text = ia_hw_read(src, r, path, true);
    if (!text)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    bool ok = end != text && errno == 0;
    while (ok && *end && isspace((unsigned char)*end))
        end++;
    ok = ok && *end == '\0';
    if (ok)
        *out = v;
    else
        ia_hw_warn(r, "%s: expected an integer, found \"%.40s\"", path, ia_hw_trim(text));
    free(text);
    return ok;
}

int ia_hw_parse_cpu_list(const char *text, unsigned char *bitmap, int max_cpus)
{
    memset(bitmap, 0, (size_t)(max_cpus + 7) / 8);
    int count = 0;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return 0;
    for (;;) {
        char *end;
        if (!isdigit((unsigned char)*p))
            return -1;
        long lo = strtol(p, &end, 10), hi = lo;
        p = end;
        if (*p == '-') {
            p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            hi = strtol(p, &end, 10);
            p = end;
        }
        if (lo < 0 || hi < lo || hi >= max_cpus)
            return -1;
        for (long c = lo; c <= hi; c++) {
            if (!(bitmap[c / 8] & (1u << (c % 8)))) {
                bitmap[c / 8] |= (unsigned char)(1u << (c % 8));
                count++;
            }
        }
        if (*p == ',') {
            p++;
            continue;
        }
        while (isspace((unsigned char)*p))
            p++;
        return *p == '\0' ? count : -1;
    }
}

bool ia_hw_field(const char *text, const char *key, char *value, size_t value_size)
{
    size_t klen = strlen(key);
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (strncmp(line, key, klen) != 0)
            continue;
        const char *p = line + klen;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != ':')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, "\n");
        if (n >= value_size)
            n = value_size - 1;
        memcpy(value, p, n);
        value[n] = '\0';
        ia_hw_trim(value);
        return true;
    }
    return false;
}

void ia_hw_copy(char *dst, size_t dst_size, const char *src)
{
    if (dst_size == 0)
        return;
    size_t n = strlen(src);
    if (n >= dst_size)
        n = dst_size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

char *ia_hw_trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t start = 0;
    while (s[start] && isspace((unsigned char)s[start]))
        start++;
    if (start)
        memmove(s, s + start, n - start + 1);
    return s;
}
