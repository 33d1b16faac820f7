/* Options and messages shared by every command. */
/* strptime and timegm need _GNU_SOURCE, which the build defines. */
#include "cli.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>

#include "ipfs_accelerate/core.h"

bool ia_cli_common_option(int opt)
{
    switch (opt) {
    case 'v':
        if (ia_log_get_level() < IA_LOG_DEBUG)
            ia_log_set_level(ia_log_get_level() + 1);
        return true;
    case 'q':
        ia_log_set_level(IA_LOG_ERROR);
        return true;
    default:
        return false;
    }
}

int ia_cli_usage_error(const char *command, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "ipfs-accelerate%s%s: %s\nTry 'ipfs-accelerate%s%s --help'.\n",
            command ? " " : "", command ? command : "", msg, command ? " " : "",
            command ? command : "");
    return IA_EXIT_USAGE;
}

int ia_cli_option_error(const char *command, int opt, char **argv)
{
    if (opt == ':')
        return ia_cli_usage_error(command, "option '%s' needs a value", argv[optind - 1]);
    if (optopt)
        return ia_cli_usage_error(command, "unknown option '-%c'", optopt);
    return ia_cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
}

void ia_cli_put_json_string(const char *s, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putchar('\\');
            putchar(c);
        } else if (c == '\n') {
            fputs("\\n", stdout);
        } else if (c == '\t') {
            fputs("\\t", stdout);
        } else if (c == '\r') {
            fputs("\\r", stdout);
        } else if (c < 0x20 || c == 0x7F) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

bool ia_cli_parse_percent(const char *text, double *fraction)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v) || (*end && strcmp(end, "%") != 0))
        return false;
    double f = *end == '%' || v >= 1 ? v / 100 : v;
    if (!(f > 0 && f < 10))
        return false;
    *fraction = f;
    return true;
}

bool ia_cli_parse_since(const char *text, int64_t *since_us)
{
    char *end = NULL;
    long long n = strtoll(text, &end, 10);
    int64_t seconds = 0;
    if (isdigit((unsigned char)text[0]) && end[0] && !end[1]) {
        switch (end[0]) {
        case 'm': seconds = 60; break;
        case 'h': seconds = 3600; break;
        case 'd': seconds = 86400; break;
        case 'w': seconds = 7 * 86400; break;
        default: break;
        }
    }
    if (seconds) {
        if (n > INT64_MAX / 1000000 / seconds)
            return false;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        *since_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000 -
                    (int64_t)n * seconds * 1000000;
        return true;
    }
    /* A date, optionally with a time; always UTC (a trailing Z is allowed). */
    struct tm tm = {0};
    const char *rest = strptime(text, "%Y-%m-%d", &tm);
    if (!rest)
        return false;
    if (*rest == 'T' || *rest == ' ') {
        const char *t = strptime(rest + 1, "%H:%M:%S", &tm);
        if (!t)
            t = strptime(rest + 1, "%H:%M", &tm);
        if (!t)
            return false;
        rest = t;
    }
    if (*rest == 'Z')
        rest++;
    if (*rest)
        return false;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *since_us = (int64_t)t * 1000000;
    return true;
}
