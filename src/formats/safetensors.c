/* safetensors: the reader that holds one or more mapped files (a single
 * .safetensors, or the shards a model.safetensors.index.json lists), the
 * name index over their tensors, and the public API. One file's header is
 * validated by safetensors_header.c; the format and the checks are described
 * there and in docs/safetensors.md.
 *
 * Shards: the index maps each tensor to a shard file, which must be a plain
 * name in the index's own folder (an index from the Hub must not make us open
 * ../../etc/passwd). Each shard is opened once and validated in full; then the
 * index and the shards must agree exactly: every listed tensor is in the shard
 * named for it, and every tensor of a shard is listed. The union is exposed
 * in shard order (shard names sorted, which is their numbering), then data
 * order within a shard. */
#include "formats/safetensors_internal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_SHOWN IA_SAFETENSORS_NAME_SHOWN
/* An index is a small JSON file: a name per tensor. */
#define MAX_INDEX_BYTES (64u << 20)

static int cmp_item_ptr_name(const void *a, const void *b)
{
    const ia_safetensors_item *x = *(const ia_safetensors_item *const *)a;
    const ia_safetensors_item *y = *(const ia_safetensors_item *const *)b;
    int c = strcmp(x->pub.name, y->pub.name);
    if (c)
        return c;
    return x->file < y->file ? -1 : x->file > y->file;
}

/* -------------------------------------------------------- building a reader */

ia_safetensors *ia_safetensors_create(const char *path)
{
    ia_safetensors *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->path = strdup(path);
    if (!st->path) {
        free(st);
        return NULL;
    }
    return st;
}

static ia_status push_file(ia_safetensors *st, const char *path, size_t *index, ia_error *err)
{
    if (st->nfiles == st->files_cap) {
        size_t cap = st->files_cap ? st->files_cap * 2 : 4;
        ia_safetensors_file *grown = realloc(st->files, cap * sizeof *grown);
        if (!grown)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
        st->files = grown;
        st->files_cap = cap;
    }
    ia_safetensors_file *f = &st->files[st->nfiles];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    if (!f->path)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    *index = st->nfiles++;
    return IA_OK;
}

ia_status ia_safetensors_add_file(ia_safetensors *st, const char *path, ia_error *err)
{
    size_t index = 0;
    ia_status s = push_file(st, path, &index, err);
    if (s != IA_OK)
        return s;
    ia_safetensors_file *f = &st->files[index];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ia_error_set(err, errno == ENOENT ? IA_ERR_NOT_FOUND : IA_ERR_IO, "%s: %s", path,
                            strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int saved = errno;
        close(fd);
        return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(saved));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return ia_error_set(err, IA_ERR_IO, "%s: not a regular file", path);
    }
    uint64_t size = (uint64_t)sb.st_size;
    if (size < 8) {
        close(fd);
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: the file is %" PRIu64 " bytes, too short for safetensors (which "
                            "starts with an 8-byte header length)",
                            path, size);
    }
    if (size > SIZE_MAX) {
        close(fd);
        return ia_error_set(err, IA_ERR_UNSUPPORTED, "%s: too large to map on this system", path);
    }
    void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    int saved = errno;
    close(fd); /* the mapping keeps the file */
    if (map == MAP_FAILED)
        return ia_error_set(err, IA_ERR_IO, "%s: cannot map the file: %s", path, strerror(saved));
    f->map = map;
    f->map_len = (size_t)size;
    return ia_safetensors_parse_file_header(st, index, map, (size_t)size, size, err);
}

ia_status ia_safetensors_add_meta(ia_safetensors *st, size_t file, const char *key,
                                  const char *value, ia_error *err)
{
    if (st->nmeta == st->meta_cap) {
        size_t cap = st->meta_cap ? st->meta_cap * 2 : 8;
        ia_safetensors_meta *grown = realloc(st->meta, cap * sizeof *grown);
        if (!grown)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", st->path);
        st->meta = grown;
        st->meta_cap = cap;
    }
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", st->path);
    }
    st->meta[st->nmeta] = (ia_safetensors_meta){k, v, file, st->nmeta};
    st->nmeta++;
    return IA_OK;
}

static int cmp_meta(const void *a, const void *b)
{
    const ia_safetensors_meta *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *meta_source(const ia_safetensors *st, size_t file)
{
    return file == IA_SAFETENSORS_NO_FILE ? st->path : st->files[file].path;
}

ia_status ia_safetensors_finish(ia_safetensors *st, ia_error *err)
{
    if (st->count > 0) {
        st->by_name = malloc(st->count * sizeof *st->by_name);
        if (!st->by_name)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", st->path);
        for (size_t i = 0; i < st->count; i++)
            st->by_name[i] = &st->entries[i];
        qsort(st->by_name, st->count, sizeof *st->by_name, cmp_item_ptr_name);
        /* Each file's names are already unique: a repeat is across shards. */
        for (size_t i = 1; i < st->count; i++) {
            const ia_safetensors_item *a = st->by_name[i - 1], *b = st->by_name[i];
            if (strcmp(a->pub.name, b->pub.name) == 0)
                return ia_error_set(err, IA_ERR_PARSE, "%s: tensor '%.*s' is in both %s and %s",
                                    st->path, NAME_SHOWN, a->pub.name, a->pub.file, b->pub.file);
        }
    }
    if (st->nmeta > 1)
        qsort(st->meta, st->nmeta, sizeof *st->meta, cmp_meta);
    /* A file's keys are adjacent in a group of equal keys (seq follows the
     * files), so comparing neighbours finds a key repeated in one file. */
    for (size_t i = 1; i < st->nmeta; i++) {
        const ia_safetensors_meta *a = &st->meta[i - 1], *b = &st->meta[i];
        if (a->file == b->file && strcmp(a->key, b->key) == 0)
            return ia_error_set(err, IA_ERR_PARSE, "%s: __metadata__ key '%.*s' appears twice",
                                meta_source(st, b->file), NAME_SHOWN, b->key);
    }
    size_t kept = 0;
    for (size_t i = 0; i < st->nmeta; i++) {
        ia_safetensors_meta *m = &st->meta[i];
        if (kept > 0 && strcmp(st->meta[kept - 1].key, m->key) == 0) {
            free(m->key);
            free(m->value);
            continue;
        }
        st->meta[kept++] = *m;
    }
    st->nmeta = kept;
    return IA_OK;
}

static int cmp_name_item(const void *key, const void *elem)
{
    const ia_safetensors_item *it = *(const ia_safetensors_item *const *)elem;
    return strcmp((const char *)key, it->pub.name);
}

const ia_safetensors_item *ia_safetensors_lookup(const ia_safetensors *st, const char *name)
{
    if (!st || !name || !st->by_name)
        return NULL;
    const ia_safetensors_item *const *hit =
        bsearch(name, st->by_name, st->count, sizeof *st->by_name, cmp_name_item);
    return hit ? *hit : NULL;
}

/* ------------------------------------------------------ folders and shards */

static ia_status ia_safetensors_open_file(const char *path, ia_safetensors **out, ia_error *err)
{
    ia_safetensors *st = ia_safetensors_create(path);
    if (!st)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    ia_status s = ia_safetensors_add_file(st, path, err);
    if (s == IA_OK)
        s = ia_safetensors_finish(st, err);
    if (s != IA_OK) {
        ia_safetensors_close(st);
        return s;
    }
    *out = st;
    return IA_OK;
}

/* Shard names come from a file we did not write: only a plain name in the
 * index's own folder may be opened, never a path out of it. */
static bool plain_file_name(const char *s)
{
    return s[0] && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/') &&
           !strchr(s, '\\');
}

/* dir (its first dir_len bytes) + "/" + name, in a new string (free()). */
static char *join_path(const char *dir, size_t dir_len, const char *name)
{
    size_t n = strlen(name);
    char *p = malloc(dir_len + n + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dir_len);
    size_t k = dir_len;
    if (k > 0 && p[k - 1] != '/')
        p[k++] = '/';
    memcpy(p + k, name, n + 1);
    return p;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The index and the shards agree exactly: each listed tensor is in the shard
 * named for it, once, and each shard's tensor is listed. */
static ia_status check_weight_map(const ia_safetensors *st, const cJSON *map, size_t prefix_len,
                                  ia_error *err)
{
    bool *listed = calloc(st->count ? st->count : 1, sizeof *listed);
    if (!listed)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", st->path);
    ia_status s = IA_OK;
    for (const cJSON *c = map->child; c && s == IA_OK; c = c->next) {
        const ia_safetensors_item *it = ia_safetensors_lookup(st, c->string);
        if (!it) {
            const char *shard_path = c->valuestring;
            for (size_t k = 0; k < st->nfiles; k++)
                if (strcmp(st->files[k].path + prefix_len, c->valuestring) == 0)
                    shard_path = st->files[k].path;
            s = ia_error_set(err, IA_ERR_PARSE,
                             "%s: tensor '%.*s' is listed in %s but missing from the shard",
                             shard_path, NAME_SHOWN, c->string, st->path);
            break;
        }
        size_t i = (size_t)(it - st->entries);
        if (listed[i]) {
            s = ia_error_set(err, IA_ERR_PARSE, "%s: tensor '%.*s' appears twice in weight_map",
                             st->path, NAME_SHOWN, c->string);
            break;
        }
        listed[i] = true;
        if (strcmp(st->files[it->file].path + prefix_len, c->valuestring) != 0)
            s = ia_error_set(err, IA_ERR_PARSE,
                             "%s: weight_map puts tensor '%.*s' in %s, but it is in %s",
                             st->path, NAME_SHOWN, c->string, c->valuestring, it->pub.file);
    }
    for (size_t i = 0; i < st->count && s == IA_OK; i++) {
        if (!listed[i])
            s = ia_error_set(err, IA_ERR_PARSE,
                             "%s: tensor '%.*s' is in the shard but not in the weight_map of %s",
                             st->entries[i].pub.file, NAME_SHOWN, st->entries[i].pub.name,
                             st->path);
    }
    free(listed);
    return s;
}

/* Opens each shard named in map once, in name order, with the index's
 * string metadata first (so it wins over the shards' __metadata__). */
static ia_status open_shards(ia_safetensors *st, const cJSON *meta, const cJSON *map,
                             size_t prefix_len, ia_error *err)
{
    const char *path = st->path;
    size_t n = 0;
    for (const cJSON *c = map->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: weight_map gives tensor '%.*s' a shard that is not a string",
                                path, NAME_SHOWN, c->string);
        if (!plain_file_name(c->valuestring))
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: weight_map puts tensor '%.*s' in '%.*s', which is not a plain "
                                "file name in the index's folder (no '/' or '..')",
                                path, NAME_SHOWN, c->string, NAME_SHOWN, c->valuestring);
        n++;
    }
    if (n == 0)
        return ia_error_set(err, IA_ERR_PARSE, "%s: weight_map lists no tensors", path);
    for (const cJSON *c = meta ? meta->child : NULL; c; c = c->next) {
        /* total_size and the like are numbers: only strings are metadata here */
        if (cJSON_IsString(c)) {
            ia_status s = ia_safetensors_add_meta(st, IA_SAFETENSORS_NO_FILE, c->string,
                                                  c->valuestring, err);
            if (s != IA_OK)
                return s;
        }
    }
    const char **names = malloc(n * sizeof *names);
    if (!names)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    n = 0;
    for (const cJSON *c = map->child; c; c = c->next)
        names[n++] = c->valuestring;
    qsort(names, n, sizeof *names, cmp_str_ptr);
    ia_status s = IA_OK;
    for (size_t i = 0; i < n && s == IA_OK; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
            continue;
        char *shard = join_path(path, prefix_len, names[i]);
        if (!shard) {
            s = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
            break;
        }
        struct stat sb;
        if (stat(shard, &sb) != 0 && errno == ENOENT) {
            const char *example = "";
            for (const cJSON *c = map->child; c && !example[0]; c = c->next)
                if (strcmp(c->valuestring, names[i]) == 0)
                    example = c->string;
            s = ia_error_set(err, IA_ERR_NOT_FOUND,
                             "%s: missing shard: %s puts tensor '%.*s' in it, but the file does "
                             "not exist",
                             shard, path, NAME_SHOWN, example);
        } else {
            s = ia_safetensors_add_file(st, shard, err);
        }
        free(shard);
    }
    free(names);
    return s;
}

static ia_status ia_safetensors_open_index(const char *path, ia_safetensors **out, ia_error *err)
{
    char *text = NULL;
    size_t len = 0;
    ia_status s = ia_file_read_all(path, MAX_INDEX_BYTES, &text, &len, err);
    if (s != IA_OK)
        return s;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    ia_safetensors *st = NULL;
    const cJSON *meta = NULL, *map = NULL;
    if (!root) {
        size_t at = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        s = ia_error_set(err, IA_ERR_PARSE, "%s: not valid JSON (at byte %zu)", path, at);
        goto done;
    }
    if (!cJSON_IsObject(root)) {
        s = ia_error_set(err, IA_ERR_PARSE,
                         "%s: expected a JSON object with a weight_map, not a JSON value of "
                         "another kind",
                         path);
        goto done;
    }
    meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");
    if (meta && !cJSON_IsObject(meta) && !cJSON_IsNull(meta)) {
        s = ia_error_set(err, IA_ERR_PARSE, "%s: metadata is not an object", path);
        goto done;
    }
    map = cJSON_GetObjectItemCaseSensitive(root, "weight_map");
    if (!cJSON_IsObject(map)) {
        s = ia_error_set(err, IA_ERR_PARSE,
                         "%s: %s; a sharded checkpoint's index maps each tensor to its shard file",
                         path, map ? "weight_map is not an object" : "there is no weight_map");
        goto done;
    }
    st = ia_safetensors_create(path);
    if (!st) {
        s = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
        goto done;
    }
    const char *slash = strrchr(path, '/');
    size_t prefix_len = slash ? (size_t)(slash - path) + 1 : 0;
    s = open_shards(st, cJSON_IsObject(meta) ? meta : NULL, map, prefix_len, err);
    if (s == IA_OK)
        s = ia_safetensors_finish(st, err);
    if (s == IA_OK)
        s = check_weight_map(st, map, prefix_len, err);
done:
    cJSON_Delete(root);
    free(text);
    if (s != IA_OK) {
        ia_safetensors_close(st);
        return s;
    }
    *out = st;
    return IA_OK;
}

static ia_status ia_safetensors_open_dir(const char *dir, ia_safetensors **out, ia_error *err)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *single = join_path(dir, n, "model.safetensors");
    char *index = join_path(dir, n, "model.safetensors.index.json");
    ia_status s;
    struct stat sb;
    if (!single || !index)
        s = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", dir);
    else if (stat(single, &sb) == 0)
        s = ia_safetensors_open_file(single, out, err);
    else if (stat(index, &sb) == 0)
        s = ia_safetensors_open_index(index, out, err);
    else
        s = ia_error_set(err, IA_ERR_NOT_FOUND,
                         "%s: holds neither model.safetensors nor model.safetensors.index.json",
                         dir);
    free(single);
    free(index);
    return s;
}

/* ------------------------------------------------------------- public API */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

ia_status ia_safetensors_open(const char *path, ia_safetensors **out, ia_error *err)
{
    if (!out || !path)
        return ia_error_set(err, IA_ERR_INVALID, "ia_safetensors_open: path and out are required");
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ia_error_set(err, errno == ENOENT ? IA_ERR_NOT_FOUND : IA_ERR_IO, "%s: %s", path,
                            strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return ia_safetensors_open_dir(path, out, err);
    if (ends_with(path, ".json"))
        return ia_safetensors_open_index(path, out, err);
    return ia_safetensors_open_file(path, out, err);
}

ia_status ia_safetensors_parse_header(const char *file_name, const uint8_t *bytes, size_t len,
                                      uint64_t file_size, ia_safetensors **out, ia_error *err)
{
    if (!out || !file_name || (!bytes && len > 0))
        return ia_error_set(err, IA_ERR_INVALID,
                            "ia_safetensors_parse_header: file_name, bytes and out are required");
    *out = NULL;
    ia_safetensors *st = ia_safetensors_create(file_name);
    if (!st)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", file_name);
    size_t index = 0;
    ia_status s = push_file(st, file_name, &index, err);
    if (s == IA_OK)
        s = ia_safetensors_parse_file_header(st, index, bytes, len, file_size, err);
    if (s == IA_OK)
        s = ia_safetensors_finish(st, err);
    if (s != IA_OK) {
        ia_safetensors_close(st);
        return s;
    }
    *out = st;
    return IA_OK;
}

void ia_safetensors_close(ia_safetensors *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->count; i++)
        free((char *)st->entries[i].pub.name);
    for (size_t i = 0; i < st->nmeta; i++) {
        free(st->meta[i].key);
        free(st->meta[i].value);
    }
    for (size_t i = 0; i < st->nfiles; i++) {
        if (st->files[i].map)
            munmap(st->files[i].map, st->files[i].map_len);
        free(st->files[i].path);
    }
    free(st->entries);
    free(st->by_name);
    free(st->meta);
    free(st->files);
    free(st->path);
    free(st);
}

size_t ia_safetensors_count(const ia_safetensors *st) { return st ? st->count : 0; }

const ia_safetensors_entry *ia_safetensors_entry_at(const ia_safetensors *st, size_t i)
{
    return st && i < st->count ? &st->entries[i].pub : NULL;
}

const ia_safetensors_entry *ia_safetensors_find(const ia_safetensors *st, const char *name)
{
    const ia_safetensors_item *it = ia_safetensors_lookup(st, name);
    return it ? &it->pub : NULL;
}

static int cmp_key_meta(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const ia_safetensors_meta *)elem)->key);
}

const char *ia_safetensors_metadata(const ia_safetensors *st, const char *key)
{
    if (!st || !key || st->nmeta == 0)
        return NULL;
    const ia_safetensors_meta *m = bsearch(key, st->meta, st->nmeta, sizeof *st->meta,
                                           cmp_key_meta);
    return m ? m->value : NULL;
}

ia_status ia_safetensors_tensor(const ia_safetensors *st, const char *name, ia_tensor *out,
                                ia_error *err)
{
    if (!st || !name || !out)
        return ia_error_set(err, IA_ERR_INVALID, "ia_safetensors_tensor: arguments are required");
    const ia_safetensors_item *it = ia_safetensors_lookup(st, name);
    if (!it)
        return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: no tensor named '%.*s'", st->path,
                            NAME_SHOWN, name);
    const ia_safetensors_file *f = &st->files[it->file];
    if (!f->data)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s: only the header was parsed (from memory), so tensor '%.*s' has "
                            "no data to view",
                            f->path, NAME_SHOWN, name);
    /* The mapping is read-only; the tensor type has no const, its users
     * are told never to write through it. */
    *out = ia_tensor_make(it->pub.dtype, it->pub.ndim, it->pub.shape,
                          (void *)(uintptr_t)(f->data + it->pub.offset));
    return IA_OK;
}
