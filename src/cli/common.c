/* Options and messages shared by every command. */
#include "cli.h"

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
