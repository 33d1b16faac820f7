/* Sources over captured trees: the directory source reads a capture (tests,
 * bug reports); the recorder writes one while detection runs live. */
#include "hw_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dir_ctx {
    char root[4096];
    char lib_dir[4096]; /* "" when no library can be found */
} dir_ctx;

static ia_status root_path(const char *root, const char *path, char *out, size_t out_size,
                           ia_error *err)
{
    /* A capture is a tree of its own: nothing may climb out of it. */
    size_t len = strlen(path);
    bool climbs = strstr(path, "/../") != NULL || (len >= 3 && strcmp(path + len - 3, "/..") == 0);
    if (path[0] != '/' || climbs)
        return ia_error_set(err, IA_ERR_INVALID, "%s: not a plain absolute path", path);
    int n = snprintf(out, out_size, "%s%s", root, path);
    if (n < 0 || (size_t)n >= out_size)
        return ia_error_set(err, IA_ERR_INVALID, "%s%s: path too long", root, path);
    return IA_OK;
}

static ia_status dir_read_file(ia_hw_source *src, const char *path, char **data, size_t *len,
                               ia_error *err)
{
    dir_ctx *ctx = src->ctx;
    char full[8192];
    ia_status st = root_path(ctx->root, path, full, sizeof full, err);
    if (st != IA_OK)
        return st;
    return ia_file_read_all(full, IA_HW_MAX_FILE, data, len, err);
}

static ia_status dir_list_dir(ia_hw_source *src, const char *path, char ***names, size_t *count,
                              ia_error *err)
{
    dir_ctx *ctx = src->ctx;
    char full[8192];
    ia_status st = root_path(ctx->root, path, full, sizeof full, err);
    if (st != IA_OK)
        return st;
    return ia_hw_list_real_dir(full, names, count, err);
}

static void *dir_lib_open(ia_hw_source *src, const char *soname, ia_error *err)
{
    dir_ctx *ctx = src->ctx;
    if (ctx->lib_dir[0] == '\0' || strchr(soname, '/')) {
        ia_error_set(err, IA_ERR_NOT_FOUND, "%s: not found", soname);
        return NULL;
    }
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", ctx->lib_dir, soname);
    return ia_hw_dlopen_path(full, soname, err);
}

static void dir_free(ia_hw_source *src)
{
    free(src->ctx);
    free(src);
}

ia_hw_source *ia_hw_source_dir(const char *root, const char *lib_dir, ia_error *err)
{
    if (strlen(root) >= sizeof((dir_ctx *)0)->root ||
        (lib_dir && strlen(lib_dir) >= sizeof((dir_ctx *)0)->lib_dir)) {
        ia_error_set(err, IA_ERR_INVALID, "%s: path too long", root);
        return NULL;
    }
    ia_hw_source *src = calloc(1, sizeof *src);
    dir_ctx *ctx = calloc(1, sizeof *ctx);
    if (!src || !ctx) {
        free(src);
        free(ctx);
        ia_error_set(err, IA_ERR_NOMEM, "out of memory");
        return NULL;
    }
    ia_hw_copy(ctx->root, sizeof ctx->root, root);
    /* "DIR/" and "DIR" name the same tree. */
    size_t n = strlen(ctx->root);
    while (n > 1 && ctx->root[n - 1] == '/')
        ctx->root[--n] = '\0';
    if (lib_dir)
        ia_hw_copy(ctx->lib_dir, sizeof ctx->lib_dir, lib_dir);
    src->ctx = ctx;
    src->read_file = dir_read_file;
    src->list_dir = dir_list_dir;
    src->lib_open = dir_lib_open;
    src->lib_symbol = ia_hw_dl_symbol;
    src->lib_close = ia_hw_dl_close;
    src->free = dir_free;
    return src;
}

/* ------------------------------------------------------------ the recorder */

typedef struct recorder_ctx {
    ia_hw_source *inner;
    char out_dir[4096];
} recorder_ctx;

/* Detection needs only the cgroup mounts; the other lines of mountinfo name
 * the user's folders and disks, which a capture meant for a bug report should
 * not carry. */
static ia_status write_cgroup_mounts(const char *path, const char *mountinfo, ia_error *err)
{
    size_t len = strlen(mountinfo);
    char *kept = malloc(len + 1);
    if (!kept)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    size_t n = 0;
    for (const char *line = mountinfo; *line;) {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t)(end - line) + 1 : strlen(line);
        const char *fstype = strstr(line, " - cgroup");
        if (fstype && fstype < line + line_len) {
            memcpy(kept + n, line, line_len);
            n += line_len;
        }
        line += line_len;
    }
    ia_status st = ia_file_write_all(path, kept, n, err);
    free(kept);
    return st;
}

static ia_status recorder_read_file(ia_hw_source *src, const char *path, char **data, size_t *len,
                                    ia_error *err)
{
    recorder_ctx *ctx = src->ctx;
    size_t n = 0;
    ia_status st = ctx->inner->read_file(ctx->inner, path, data, &n, err);
    if (len)
        *len = n;
    if (st != IA_OK)
        return st;
    char full[8192];
    ia_error werr;
    ia_status wst = root_path(ctx->out_dir, path, full, sizeof full, &werr);
    if (wst == IA_OK && strcmp(path, "/proc/self/mountinfo") == 0)
        wst = write_cgroup_mounts(full, *data, &werr);
    else if (wst == IA_OK)
        wst = ia_file_write_all(full, *data, n, &werr);
    if (wst != IA_OK)
        ia_log_warn("capture: %s", werr.message);
    return IA_OK;
}

/* A listing is replayed from the folders that exist in the capture, so each
 * listed entry that is itself a folder is created there, even if detection
 * reads nothing inside it. */
static ia_status recorder_list_dir(ia_hw_source *src, const char *path, char ***names,
                                   size_t *count, ia_error *err)
{
    recorder_ctx *ctx = src->ctx;
    ia_status st = ctx->inner->list_dir(ctx->inner, path, names, count, err);
    if (st != IA_OK)
        return st;
    for (size_t i = 0; i < *count; i++) {
        char child[8192], full[8192];
        snprintf(child, sizeof child, "%s/%s", path, (*names)[i]);
        char **sub;
        size_t sub_count;
        ia_error ignored;
        if (ctx->inner->list_dir(ctx->inner, child, &sub, &sub_count, &ignored) != IA_OK)
            continue;
        ia_hw_names_free(sub, sub_count);
        if (root_path(ctx->out_dir, child, full, sizeof full, &ignored) == IA_OK &&
            ia_dir_create_all(full, &ignored) != IA_OK)
            ia_log_warn("capture: %s", ignored.message);
    }
    return IA_OK;
}

static void *recorder_lib_open(ia_hw_source *src, const char *soname, ia_error *err)
{
    recorder_ctx *ctx = src->ctx;
    return ctx->inner->lib_open(ctx->inner, soname, err);
}

static void *recorder_lib_symbol(ia_hw_source *src, void *lib, const char *name)
{
    recorder_ctx *ctx = src->ctx;
    return ctx->inner->lib_symbol(ctx->inner, lib, name);
}

static void recorder_lib_close(ia_hw_source *src, void *lib)
{
    recorder_ctx *ctx = src->ctx;
    ctx->inner->lib_close(ctx->inner, lib);
}

static void recorder_free(ia_hw_source *src)
{
    recorder_ctx *ctx = src->ctx;
    ia_hw_source_free(ctx->inner);
    free(ctx);
    free(src);
}

ia_hw_source *ia_hw_source_recorder(ia_hw_source *inner, const char *out_dir, ia_error *err)
{
    if (strlen(out_dir) >= sizeof((recorder_ctx *)0)->out_dir) {
        ia_error_set(err, IA_ERR_INVALID, "%s: path too long", out_dir);
        return NULL;
    }
    if (ia_dir_create_all(out_dir, err) != IA_OK)
        return NULL;
    ia_hw_source *src = calloc(1, sizeof *src);
    recorder_ctx *ctx = calloc(1, sizeof *ctx);
    if (!src || !ctx) {
        free(src);
        free(ctx);
        ia_error_set(err, IA_ERR_NOMEM, "out of memory");
        return NULL;
    }
    ctx->inner = inner;
    ia_hw_copy(ctx->out_dir, sizeof ctx->out_dir, out_dir);
    src->ctx = ctx;
    src->read_file = recorder_read_file;
    src->list_dir = recorder_list_dir;
    src->lib_open = recorder_lib_open;
    src->lib_symbol = recorder_lib_symbol;
    src->lib_close = recorder_lib_close;
    src->free = recorder_free;
    return src;
}
