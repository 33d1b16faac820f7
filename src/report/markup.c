/* Escaping for the three languages reports are written in, and the way
 * reports print numbers and times, so every format shows the same figure
 * the same way. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"

void ia_report_put_xml(ia_strbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        /* Control characters other than tab and newline are not allowed in
         * XML at all: shown as U+FFFD rather than making the page invalid. */
        if (!rep && (unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
            rep = "\xEF\xBF\xBD";
        if (rep) {
            ia_strbuf_append(b, run, (size_t)(p - run));
            ia_strbuf_puts(b, rep);
            run = p + 1;
        }
    }
    ia_strbuf_puts(b, run);
}

void ia_report_put_md(ia_strbuf *b, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == '\n' || c == '\r' || c == '\t')
            ia_strbuf_puts(b, " ");
        else if (strchr("|\\*_`<>[]", c)) {
            char esc[3] = {'\\', c, 0};
            ia_strbuf_puts(b, esc);
        } else
            ia_strbuf_append(b, p, 1);
    }
}

const char *ia_report_fmt_num(double v, char out[32])
{
    if (isnan(v)) {
        snprintf(out, 32, "n/a");
        return out;
    }
    double a = fabs(v);
    /* Whole numbers (batch sizes, counts) print as such: "8", not "8.00". */
    if (a >= 100 || v == floor(v))
        snprintf(out, 32, "%.0f", v);
    else if (a >= 10)
        snprintf(out, 32, "%.1f", v);
    else if (a >= 1)
        snprintf(out, 32, "%.2f", v);
    else
        snprintf(out, 32, "%.3g", v);
    return out;
}

const char *ia_report_fmt_time(int64_t us, char out[32])
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(out, 32, "?");
    return out;
}

int64_t ia_report_generated_at_us(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long s = epoch && *epoch ? strtoll(epoch, &end, 10) : -1;
    if (s >= 0 && end && *end == 0)
        return (int64_t)s * 1000000;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

int ia_report_cmp_hardware(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    bool xc = strcmp(x, "cpu") == 0, yc = strcmp(y, "cpu") == 0;
    if (xc != yc)
        return xc ? -1 : 1;
    return strcmp(x, y);
}
