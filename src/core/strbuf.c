/* A growing text buffer (core.h). Failure is sticky so that a writer of
 * hundreds of appends checks once, at the end. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/core.h"

static bool reserve(ia_strbuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
        b->failed = true;
        return false;
    }
    b->data = grown;
    b->cap = cap;
    return true;
}

void ia_strbuf_append(ia_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void ia_strbuf_puts(ia_strbuf *b, const char *s)
{
    ia_strbuf_append(b, s, strlen(s));
}

void ia_strbuf_printf(ia_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *ia_strbuf_take(ia_strbuf *b)
{
    if (b->failed) {
        ia_strbuf_free(b);
        return NULL;
    }
    char *s = b->data ? b->data : calloc(1, 1);
    *b = (ia_strbuf){0};
    return s;
}

void ia_strbuf_free(ia_strbuf *b)
{
    free(b->data);
    *b = (ia_strbuf){0};
}

void ia_strbuf_put_json(ia_strbuf *b, const char *s)
{
    if (!s) {
        ia_strbuf_puts(b, "null");
        return;
    }
    ia_strbuf_puts(b, "\"");
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        ia_strbuf_append(b, run, (size_t)(p - run));
        switch (c) {
        case '"': ia_strbuf_puts(b, "\\\""); break;
        case '\\': ia_strbuf_puts(b, "\\\\"); break;
        case '\n': ia_strbuf_puts(b, "\\n"); break;
        case '\t': ia_strbuf_puts(b, "\\t"); break;
        case '\r': ia_strbuf_puts(b, "\\r"); break;
        default: ia_strbuf_printf(b, "\\u%04x", c); break;
        }
        run = p + 1;
    }
    ia_strbuf_puts(b, run);
    ia_strbuf_puts(b, "\"");
}
