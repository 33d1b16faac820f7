/* Whole-file reads and writes, the way the rest of the code wants them:
 * bounded, NUL-terminated, and with errors that name the path. */
#include "ipfs_accelerate/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ia_status ia_file_read_all(const char *path, size_t max_bytes, char **data_out, size_t *len_out,
                           ia_error *err)
{
    *data_out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return ia_error_set(err, errno == ENOENT ? IA_ERR_NOT_FOUND : IA_ERR_IO, "%s: %s", path,
                            strerror(errno));
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > max_bytes) {
                free(buf);
                close(fd);
                return ia_error_set(err, IA_ERR_INVALID, "%s: larger than the %zu bytes allowed",
                                    path, max_bytes);
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                close(fd);
                return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(buf);
            close(fd);
            return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(saved));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (len > max_bytes) {
        free(buf);
        return ia_error_set(err, IA_ERR_INVALID, "%s: larger than the %zu bytes allowed", path,
                            max_bytes);
    }
    buf[len] = '\0';
    *data_out = buf;
    if (len_out)
        *len_out = len;
    return IA_OK;
}

ia_status ia_dir_create_all(const char *path, ia_error *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return ia_error_set(err, IA_ERR_INVALID, "%s: path empty or too long", path);
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return ia_error_set(err, IA_ERR_IO, "%s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return ia_error_set(err, IA_ERR_IO, "%s: %s", buf, strerror(errno));
    return IA_OK;
}

ia_status ia_file_write_all(const char *path, const void *data, size_t len, ia_error *err)
{
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char dir[4096];
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", path);
        memcpy(dir, path, n);
        dir[n] = '\0';
        ia_status st = ia_dir_create_all(dir, err);
        if (st != IA_OK)
            return st;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            close(fd);
            return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(saved));
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0)
        return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(errno));
    return IA_OK;
}
