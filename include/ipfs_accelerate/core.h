/*
 * core: status codes, error reports, logging, small file helpers and the
 * build's own description of itself. Every other layer stands on this one.
 *
 * Errors: a function that can fail returns an ia_status and, when given a
 * non-NULL ia_error, fills it with a message a person can act on. The error
 * is a fixed-size value owned by the caller; nothing in it needs freeing.
 *
 * Memory: the creator frees. Functions that return heap memory say so and
 * name the function that frees it (plain free() unless stated otherwise).
 */
#ifndef IPFS_ACCELERATE_CORE_H
#define IPFS_ACCELERATE_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ia_status {
    IA_OK = 0,
    IA_ERR_IO,          /* a file or device could not be read or written */
    IA_ERR_PARSE,       /* input was malformed */
    IA_ERR_INVALID,     /* an argument or value is out of its domain */
    IA_ERR_NOMEM,       /* an allocation failed */
    IA_ERR_UNSUPPORTED, /* the request is valid but not supported here */
    IA_ERR_NOT_FOUND,   /* the thing asked for does not exist */
    IA_ERR_INTERNAL     /* a library we call failed in an unexpected way */
} ia_status;

#define IA_ERROR_MESSAGE_MAX 512

typedef struct ia_error {
    ia_status status;
    char message[IA_ERROR_MESSAGE_MAX];
} ia_error;

/* Fills err (when non-NULL) and returns status, so callers can write
 * `return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(errno));`. */
ia_status ia_error_set(ia_error *err, ia_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ia_error_clear(ia_error *err);
const char *ia_status_name(ia_status status);

/* Logging goes to stderr; data goes to stdout. */
typedef enum ia_log_level {
    IA_LOG_ERROR = 0,
    IA_LOG_WARN,
    IA_LOG_INFO,
    IA_LOG_DEBUG
} ia_log_level;

void ia_log_set_level(ia_log_level level);
ia_log_level ia_log_get_level(void);
void ia_log(ia_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define ia_log_error(...) ia_log(IA_LOG_ERROR, __VA_ARGS__)
#define ia_log_warn(...) ia_log(IA_LOG_WARN, __VA_ARGS__)
#define ia_log_info(...) ia_log(IA_LOG_INFO, __VA_ARGS__)
#define ia_log_debug(...) ia_log(IA_LOG_DEBUG, __VA_ARGS__)

/* True when colour may be written to the stream: it is a terminal, NO_COLOR
 * is unset or empty, and TERM is not "dumb". */
bool ia_color_enabled(int fd);

/* Reads a whole file into a NUL-terminated heap buffer (free()). Files in
 * /proc and /sys report size 0, so this reads until EOF. Refuses files over
 * max_bytes with IA_ERR_INVALID. *len_out (optional) excludes the NUL. */
ia_status ia_file_read_all(const char *path, size_t max_bytes, char **data_out, size_t *len_out,
                           ia_error *err);

/* Writes len bytes to path, creating parent folders as needed. */
ia_status ia_file_write_all(const char *path, const void *data, size_t len, ia_error *err);

/* Creates a folder and its parents (mkdir -p). */
ia_status ia_dir_create_all(const char *path, ia_error *err);

/* A growing text buffer for writers that build a document (reports, SVG).
 * Appends never fail visibly: on out of memory the buffer is marked failed,
 * keeps what it had, and later appends do nothing; check `failed` once at
 * the end. data is NUL-terminated (or NULL while empty). */
typedef struct ia_strbuf {
    char *data;
    size_t len, cap;
    bool failed;
} ia_strbuf;

void ia_strbuf_append(ia_strbuf *b, const char *s, size_t n);
void ia_strbuf_puts(ia_strbuf *b, const char *s);
void ia_strbuf_printf(ia_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string, quotes included (control characters
 * escaped); NULL appends null. */
void ia_strbuf_put_json(ia_strbuf *b, const char *s);
/* Takes the text (heap, the caller frees; "" when empty, NULL when failed)
 * and empties the buffer. */
char *ia_strbuf_take(ia_strbuf *b);
void ia_strbuf_free(ia_strbuf *b);

/* What this build is: filled in at build time. Strings are static. */
typedef struct ia_build_info {
    const char *version;     /* "0.1.0" */
    const char *git_commit;  /* short hash, with "-dirty" when modified; "unknown" outside git */
    const char *git_branch;  /* "main"; "" on a detached HEAD or outside git */
    const char *compiler;    /* "GNU 12.2.0" */
    const char *build_type;  /* "Release", "Debug", ... */
    const char *c_flags;     /* the flags the library was compiled with */
    const char *backends;    /* "cpu" or "cpu cuda" */
} ia_build_info;

const ia_build_info *ia_build_info_get(void);

#ifdef __cplusplus
}
#endif

#endif
