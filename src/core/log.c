/* Logging to stderr, with levels set once by the command line (-v, -q).
 * The level is read far more often than written, so an atomic suffices. */
#include "ipfs_accelerate/core.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic int log_level = IA_LOG_WARN;

void ia_log_set_level(ia_log_level level) { atomic_store(&log_level, (int)level); }

ia_log_level ia_log_get_level(void) { return (ia_log_level)atomic_load(&log_level); }

bool ia_color_enabled(int fd)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0] != '\0')
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fd) == 1;
}

void ia_log(ia_log_level level, const char *fmt, ...)
{
    if ((int)level > atomic_load(&log_level))
        return;
    static const char *const names[] = {"error", "warning", "info", "debug"};
    static const char *const colors[] = {"\033[31m", "\033[33m", "\033[36m", "\033[2m"};
    bool color = ia_color_enabled(STDERR_FILENO);

    /* One fprintf per line so lines from several threads do not interleave. */
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s%s:%s %s\n", color ? colors[level] : "", names[level], color ? "\033[0m" : "",
            line);
}
