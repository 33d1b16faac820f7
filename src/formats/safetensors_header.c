/* safetensors: Hugging Face's weights format, read in place.
 *
 * A file is an 8-byte little-endian header length N, N bytes of JSON naming
 * each tensor's dtype, shape and byte range [begin, end) within the data
 * section (which starts at 8 + N), then the data section. The file is mapped
 * read-only and tensors point into the mapping, so opening a checkpoint of
 * any size costs one header parse.
 *
 * Everything is checked before the first tensor is handed out, because a bad
 * header would otherwise surface as an out-of-bounds read inside a kernel. The
 * checks follow the reference implementation (the Rust crate): header length
 * bound, UTF-8 JSON object, known dtypes, shape x dtype size equal to the
 * byte range, ranges sorted by begin packed back to back from 0 and covering
 * the data section exactly, no duplicate names, __metadata__ of strings.
 *
 * Numbers: cJSON stores them as doubles, which round above 2^53 and cannot
 * tell 1.0 from 1. So a pass over the raw text records every number token
 * first, each cJSON number node is tied to its token (both are in document
 * order), and shapes and offsets are read from the text, exactly.
 *
 * Data is not aligned: safetensors promises no alignment (a header length
 * that is not a multiple of 8 shifts every tensor), so users of a tensor's
 * data read it with memcpy or the conversion functions. */
#include "formats/safetensors_internal.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference implementation's bound: a longer header is not a real one,
 * and parsing it would cost gigabytes of cJSON nodes. */
#define MAX_HEADER_BYTES 100000000u
#define NAME_SHOWN IA_SAFETENSORS_NAME_SHOWN

/* ----------------------------------------------------------------- lexing */

typedef struct number_token {
    uint32_t off, len; /* a header is at most 10^8 bytes */
} number_token;

typedef struct header_ctx {
    const char *file;
    const char *text; /* a NUL-terminated copy: cJSON reads past lengths */
    size_t len;
    number_token *tokens;
    size_t ntokens, cap;
} header_ctx;

/* Length of the UTF-8 sequence at s, or 0 when it is not valid UTF-8
 * (overlong forms and surrogates included, as Rust's from_utf8 refuses). */
static size_t utf8_sequence(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > avail)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static bool is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* One pass over the raw header: UTF-8, no control bytes, no \u0000 (cJSON
 * would cut a name there, so two different names could become one), and
 * the position of every number outside strings. */
static ia_status scan_header(header_ctx *h, ia_error *err)
{
    const unsigned char *s = (const unsigned char *)h->text;
    bool in_string = false;
    size_t i = 0;
    while (i < h->len) {
        unsigned c = s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: the header holds a control byte 0x%02x at byte %zu; a "
                                "safetensors header is JSON text",
                                h->file, c, i);
        if (c >= 0x80) {
            size_t n = utf8_sequence(s + i, h->len - i);
            if (n == 0)
                return ia_error_set(err, IA_ERR_PARSE,
                                    "%s: the header is not valid UTF-8 (byte %zu)", h->file, i);
            i += n;
            continue;
        }
        if (in_string) {
            if (c == '\\' && i + 1 < h->len) {
                if (s[i + 1] == 'u' && i + 5 < h->len && memcmp(s + i + 2, "0000", 4) == 0)
                    return ia_error_set(err, IA_ERR_PARSE,
                                        "%s: the header holds \\u0000 in a string (byte %zu); "
                                        "names cannot contain NUL",
                                        h->file, i);
                /* The escaped byte, when ASCII, cannot end the string; a
                 * non-ASCII one is left to the UTF-8 check (cJSON refuses it). */
                i += s[i + 1] < 0x80 ? 2 : 1;
                continue;
            }
            in_string = c != '"';
            i++;
            continue;
        }
        if (c == '"') {
            in_string = true;
            i++;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i < h->len && is_number_char((char)s[i]))
                i++;
            if (h->ntokens == h->cap) {
                size_t cap = h->cap ? h->cap * 2 : 64;
                number_token *grown = realloc(h->tokens, cap * sizeof *grown);
                if (!grown)
                    return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", h->file);
                h->tokens = grown;
                h->cap = cap;
            }
            h->tokens[h->ntokens++] = (number_token){(uint32_t)start, (uint32_t)(i - start)};
            continue;
        }
        i++;
    }
    return IA_OK;
}

/* Ties each number node to its token by storing the token's index in the
 * node's valueint (we own the tree; the double value is never used). Siblings
 * are walked in a loop, so recursion is as deep as the nesting, which cJSON
 * bounds (CJSON_NESTING_LIMIT). */
static bool tie_numbers(cJSON *node, const header_ctx *h, size_t *next)
{
    for (; node; node = node->next) {
        if (cJSON_IsNumber(node)) {
            if (*next >= h->ntokens)
                return false;
            node->valueint = (int)(*next)++;
        } else if (node->child && !tie_numbers(node->child, h, next)) {
            return false;
        }
    }
    return true;
}

static const char *json_kind(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    return "an unknown JSON value";
}

/* Reads a number node as an integer in [0, max], from its text. On failure
 * writes the reason ("is 1.5, not a non-negative integer") into why. */
static bool read_integer(const header_ctx *h, const cJSON *node, uint64_t max, uint64_t *out,
                         char *why, size_t why_size)
{
    if (!cJSON_IsNumber(node)) {
        snprintf(why, why_size, "is %s, not a non-negative integer", json_kind(node));
        return false;
    }
    if (node->valueint < 0 || (size_t)node->valueint >= h->ntokens) {
        snprintf(why, why_size, "could not be read (internal error)");
        return false;
    }
    const number_token *t = &h->tokens[node->valueint];
    const char *s = h->text + t->off;
    int shown = t->len > 40 ? 40 : (int)t->len;
    const char *more = t->len > 40 ? "..." : "";
    uint64_t v = 0;
    for (uint32_t k = 0; k < t->len; k++) {
        if (s[k] < '0' || s[k] > '9') {
            snprintf(why, why_size, "is %.*s%s, not a non-negative integer", shown, s, more);
            return false;
        }
        unsigned d = (unsigned)(s[k] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            snprintf(why, why_size, "is %.*s%s, too large for 64 bits", shown, s, more);
            return false;
        }
        v = v * 10 + d;
    }
    if (v > max) {
        snprintf(why, why_size, "is %.*s%s, larger than %" PRIu64, shown, s, more, max);
        return false;
    }
    *out = v;
    return true;
}

/* ----------------------------------------------------------------- entries */

/* Names the reference format knows but this engine cannot hold: refused as
 * unsupported rather than as garbage. */
static const char *const known_unsupported[] = {
    "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64",
};

static const char *shape_text(const int64_t *shape, int ndim, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "[");
    for (int d = 0; d < ndim && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, d ? ", %" PRId64 : "%" PRId64, shape[d]);
    if (n < size)
        snprintf(buf + n, size - n, "]");
    return buf;
}

static ia_status push_entry(ia_safetensors *st, const ia_safetensors_item *item, ia_error *err)
{
    if (st->count == st->entries_cap) {
        size_t cap = st->entries_cap ? st->entries_cap * 2 : 32;
        ia_safetensors_item *grown = realloc(st->entries, cap * sizeof *grown);
        if (!grown)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", st->path);
        st->entries = grown;
        st->entries_cap = cap;
    }
    st->entries[st->count++] = *item;
    return IA_OK;
}

static ia_status parse_entry(ia_safetensors *st, size_t file, const header_ctx *h,
                             const cJSON *item, uint64_t data_len, ia_error *err)
{
    const char *f = h->file, *name = item->string;
    if (!cJSON_IsObject(item))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' is %s; expected an object with dtype, shape and "
                            "data_offsets",
                            f, NAME_SHOWN, name, json_kind(item));
    const cJSON *dtype = NULL, *shape = NULL, *offsets = NULL;
    for (const cJSON *c = item->child; c; c = c->next) {
        const cJSON **slot = strcmp(c->string, "dtype") == 0          ? &dtype
                             : strcmp(c->string, "shape") == 0        ? &shape
                             : strcmp(c->string, "data_offsets") == 0 ? &offsets
                                                                      : NULL;
        if (!slot)
            continue; /* other keys carry nothing we read; the reference ignores them too */
        if (*slot)
            return ia_error_set(err, IA_ERR_PARSE, "%s: tensor '%.*s' has '%s' twice", f,
                                NAME_SHOWN, name, c->string);
        *slot = c;
    }
    const char *missing = !dtype ? "dtype" : !shape ? "shape" : !offsets ? "data_offsets" : NULL;
    if (missing)
        return ia_error_set(err, IA_ERR_PARSE, "%s: tensor '%.*s' has no %s", f, NAME_SHOWN, name,
                            missing);

    ia_safetensors_item e;
    memset(&e, 0, sizeof e);
    e.file = file;
    if (!cJSON_IsString(dtype))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' has a dtype that is %s; expected a name such as "
                            "\"F32\"",
                            f, NAME_SHOWN, name, json_kind(dtype));
    if (!ia_dtype_from_name(dtype->valuestring, &e.pub.dtype)) {
        bool known = false;
        for (size_t k = 0; k < sizeof known_unsupported / sizeof *known_unsupported; k++)
            known |= strcmp(dtype->valuestring, known_unsupported[k]) == 0;
        return ia_error_set(err, known ? IA_ERR_UNSUPPORTED : IA_ERR_PARSE,
                            "%s: tensor '%.*s' has dtype '%.40s', which %s (supported: F64 F32 "
                            "F16 BF16 I64 I32 I16 I8 U8 BOOL)",
                            f, NAME_SHOWN, name, dtype->valuestring,
                            known ? "this engine does not support" : "is not a safetensors dtype");
    }

    if (!cJSON_IsArray(shape))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' has a shape that is %s; expected an array of sizes",
                            f, NAME_SHOWN, name, json_kind(shape));
    int ndim = cJSON_GetArraySize(shape);
    if (ndim > IA_TENSOR_MAX_DIMS)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s: tensor '%.*s' has %d dimensions; at most %d are supported", f,
                            NAME_SHOWN, name, ndim, IA_TENSOR_MAX_DIMS);
    e.pub.ndim = ndim;
    /* The product of the non-zero sizes must fit in int64, so that neither
     * the element count nor any stride overflows later, even when a zero
     * size makes the tensor empty. */
    uint64_t nonzero = 1;
    bool empty = false;
    char why[96];
    int d = 0;
    for (const cJSON *v = shape->child; v; v = v->next, d++) {
        uint64_t size;
        if (!read_integer(h, v, INT64_MAX, &size, why, sizeof why))
            return ia_error_set(err, IA_ERR_PARSE, "%s: tensor '%.*s': shape[%d] %s", f,
                                NAME_SHOWN, name, d, why);
        e.pub.shape[d] = (int64_t)size;
        if (size == 0) {
            empty = true;
        } else if (nonzero > INT64_MAX / size) {
            char buf[128];
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: tensor '%.*s' has shape %s, more elements than 64 bits can "
                                "count",
                                f, NAME_SHOWN, name,
                                shape_text(e.pub.shape, d + 1, buf, sizeof buf));
        } else {
            nonzero *= size;
        }
    }
    uint64_t numel = empty ? 0 : nonzero;
    for (int k = ndim; k < IA_TENSOR_MAX_DIMS; k++)
        e.pub.shape[k] = 1;

    if (!cJSON_IsArray(offsets) || cJSON_GetArraySize(offsets) != 2)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' has data_offsets that are %s; expected [begin, "
                            "end]",
                            f, NAME_SHOWN, name,
                            cJSON_IsArray(offsets) ? "not two numbers" : json_kind(offsets));
    uint64_t range[2];
    for (int k = 0; k < 2; k++) {
        if (!read_integer(h, cJSON_GetArrayItem(offsets, k), UINT64_MAX, &range[k], why,
                          sizeof why))
            return ia_error_set(err, IA_ERR_PARSE, "%s: tensor '%.*s': data_offsets[%d] %s", f,
                                NAME_SHOWN, name, k, why);
    }
    if (range[0] > range[1])
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' has data_offsets [%" PRIu64 ", %" PRIu64
                            "] that end before they begin",
                            f, NAME_SHOWN, name, range[0], range[1]);
    size_t esize = ia_dtype_size(e.pub.dtype);
    char sbuf[128];
    if (numel > UINT64_MAX / esize)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' of shape %s holds more bytes than 64 bits can "
                            "count",
                            f, NAME_SHOWN, name, shape_text(e.pub.shape, ndim, sbuf, sizeof sbuf));
    uint64_t nbytes = numel * esize;
    if (range[1] - range[0] != nbytes)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' is %s %s, %" PRIu64 " bytes, but its data_offsets "
                            "[%" PRIu64 ", %" PRIu64 "] span %" PRIu64 " bytes",
                            f, NAME_SHOWN, name, dtype->valuestring,
                            shape_text(e.pub.shape, ndim, sbuf, sizeof sbuf), nbytes, range[0],
                            range[1], range[1] - range[0]);
    if (range[1] > data_len)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: tensor '%.*s' ends at byte %" PRIu64 " of the data section, "
                            "which holds only %" PRIu64 " bytes (file truncated?)",
                            f, NAME_SHOWN, name, range[1], data_len);
    e.pub.offset = range[0];
    e.pub.nbytes = nbytes;
    e.pub.file = st->files[file].path;
    e.pub.name = strdup(name);
    if (!e.pub.name)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", f);
    ia_status s = push_entry(st, &e, err);
    if (s != IA_OK)
        free((char *)e.pub.name);
    return s;
}

static int cmp_item_ptr_name(const void *a, const void *b)
{
    const ia_safetensors_item *x = *(const ia_safetensors_item *const *)a;
    const ia_safetensors_item *y = *(const ia_safetensors_item *const *)b;
    int c = strcmp(x->pub.name, y->pub.name);
    if (c)
        return c;
    return x->file < y->file ? -1 : x->file > y->file;
}

/* Data order; a name breaks ties between empty tensors at one offset, so
 * the order does not depend on qsort. */
static int cmp_item_offset(const void *a, const void *b)
{
    const ia_safetensors_item *x = a, *y = b;
    if (x->pub.offset != y->pub.offset)
        return x->pub.offset < y->pub.offset ? -1 : 1;
    if (x->pub.nbytes != y->pub.nbytes)
        return x->pub.nbytes < y->pub.nbytes ? -1 : 1;
    return strcmp(x->pub.name, y->pub.name);
}

/* One file's entries (from first on): names unique, then ranges packed
 * back to back from 0 up to the end of the data section. */
static ia_status check_file_entries(ia_safetensors *st, size_t first, const char *f,
                                    uint64_t data_len, ia_error *err)
{
    size_t n = st->count - first;
    /* entries is NULL until the first tensor: no offset may be added to it */
    ia_safetensors_item *items = n ? st->entries + first : NULL;
    if (n > 1) {
        const ia_safetensors_item **sorted = malloc(n * sizeof *sorted);
        if (!sorted)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", f);
        for (size_t i = 0; i < n; i++)
            sorted[i] = &items[i];
        qsort(sorted, n, sizeof *sorted, cmp_item_ptr_name);
        for (size_t i = 1; i < n; i++) {
            if (strcmp(sorted[i - 1]->pub.name, sorted[i]->pub.name) == 0) {
                ia_status s = ia_error_set(err, IA_ERR_PARSE,
                                           "%s: tensor '%.*s' appears twice in the header", f,
                                           NAME_SHOWN, sorted[i]->pub.name);
                free(sorted);
                return s;
            }
        }
        free(sorted);
        qsort(items, n, sizeof *items, cmp_item_offset);
    }
    uint64_t pos = 0;
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const ia_safetensors_entry *e = &items[i].pub;
        if (e->offset != pos) {
            bool gap = e->offset > pos;
            uint64_t amount = gap ? e->offset - pos : pos - e->offset;
            if (!prev)
                return ia_error_set(err, IA_ERR_PARSE,
                                    "%s: tensor '%.*s' starts at byte %" PRIu64 ", but the data "
                                    "section starts at 0 (a gap of %" PRIu64 " bytes; tensors "
                                    "must be packed back to back)",
                                    f, NAME_SHOWN, e->name, e->offset, amount);
            if (gap)
                return ia_error_set(err, IA_ERR_PARSE,
                                    "%s: tensor '%.*s' starts at byte %" PRIu64 ", but the "
                                    "previous tensor '%.*s' ends at %" PRIu64 " (a gap of %" PRIu64
                                    " bytes; tensors must be packed back to back)",
                                    f, NAME_SHOWN, e->name, e->offset, NAME_SHOWN, prev, pos,
                                    amount);
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: tensor '%.*s' starts at byte %" PRIu64 ", but the previous "
                                "tensor '%.*s' ends at %" PRIu64 " (overlap)",
                                f, NAME_SHOWN, e->name, e->offset, NAME_SHOWN, prev, pos);
        }
        pos = e->offset + e->nbytes;
        prev = e->name;
    }
    if (pos != data_len) {
        if (!prev)
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: the header lists no tensors, but %" PRIu64 " bytes of data "
                                "follow it",
                                f, data_len);
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: the last tensor '%.*s' ends at byte %" PRIu64 " of the data "
                            "section, but the section holds %" PRIu64 " bytes (%" PRIu64
                            " bytes belong to no tensor)",
                            f, NAME_SHOWN, prev, pos, data_len, data_len - pos);
    }
    return IA_OK;
}

static ia_status parse_metadata(ia_safetensors *st, size_t file, const char *f, const cJSON *m,
                                ia_error *err)
{
    if (!cJSON_IsObject(m))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: __metadata__ is %s; expected an object of strings", f,
                            json_kind(m));
    for (const cJSON *c = m->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: __metadata__ value '%.*s' is %s; metadata values must be "
                                "strings",
                                f, NAME_SHOWN, c->string, json_kind(c));
        ia_status s = ia_safetensors_add_meta(st, file, c->string, c->valuestring, err);
        if (s != IA_OK)
            return s;
    }
    return IA_OK;
}

static uint64_t read_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = (v << 8) | p[k];
    return v;
}

ia_status ia_safetensors_parse_file_header(ia_safetensors *st, size_t file, const uint8_t *bytes,
                                           size_t len, uint64_t file_size, ia_error *err)
{
    const char *f = st->files[file].path;
    if (len < 8 || file_size < 8)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: the file is %" PRIu64 " bytes, too short for safetensors (which "
                            "starts with an 8-byte header length)",
                            f, len < file_size ? (uint64_t)len : file_size);
    uint64_t n = read_le64(bytes);
    if (n > MAX_HEADER_BYTES)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: the header length field says %" PRIu64 " bytes, more than the "
                            "%u a safetensors header may have: not a safetensors file, or a "
                            "damaged one",
                            f, n, MAX_HEADER_BYTES);
    if (n > file_size - 8)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: the header length field says %" PRIu64 " bytes, but only %" PRIu64
                            " bytes follow it (file truncated?)",
                            f, n, file_size - 8);
    if (n > len - 8)
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: the header length field says %" PRIu64 " bytes, but only %zu "
                            "were given",
                            f, n, len - 8);

    header_ctx h = {.file = f, .len = (size_t)n};
    char *text = malloc((size_t)n + 1);
    if (!text)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for a %" PRIu64 "-byte header",
                            f, n);
    memcpy(text, bytes + 8, (size_t)n);
    text[n] = '\0';
    h.text = text;
    cJSON *root = NULL;
    ia_status s = scan_header(&h, err);
    if (s != IA_OK)
        goto done;
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text, (size_t)n, &end, false);
    if (!root) {
        size_t at = end && end >= text && end <= text + n ? (size_t)(end - text) : 0;
        char near[24];
        size_t k = 0;
        for (; k + 1 < sizeof near && at + k < n; k++)
            near[k] = text[at + k] >= 0x20 && text[at + k] < 0x7f ? text[at + k] : '.';
        near[k] = '\0';
        s = ia_error_set(err, IA_ERR_PARSE,
                         "%s: the header is not valid JSON (at byte %zu of %" PRIu64 ": '%s')", f,
                         at, n, near);
        goto done;
    }
    for (const char *p = end; p < text + n; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            s = ia_error_set(err, IA_ERR_PARSE,
                             "%s: the header has text after its JSON object (at byte %zu)", f,
                             (size_t)(p - text));
            goto done;
        }
    }
    if (!cJSON_IsObject(root)) {
        s = ia_error_set(err, IA_ERR_PARSE, "%s: the header is %s, not a JSON object", f,
                         json_kind(root));
        goto done;
    }
    size_t tied = 0;
    if (!tie_numbers(root, &h, &tied) || tied != h.ntokens) {
        s = ia_error_set(err, IA_ERR_INTERNAL,
                         "%s: the header's numbers could not be matched to its text", f);
        goto done;
    }

    uint64_t data_len = file_size - 8 - n;
    st->files[file].data_len = data_len;
    st->files[file].data = st->files[file].map ? (const uint8_t *)st->files[file].map + 8 + n
                                               : NULL;
    size_t first = st->count;
    bool seen_meta = false;
    for (const cJSON *item = root->child; item && s == IA_OK; item = item->next) {
        if (strcmp(item->string, "__metadata__") == 0) {
            if (seen_meta)
                s = ia_error_set(err, IA_ERR_PARSE, "%s: __metadata__ appears twice", f);
            else
                s = parse_metadata(st, file, f, item, err);
            seen_meta = true;
            continue;
        }
        s = parse_entry(st, file, &h, item, data_len, err);
    }
    if (s == IA_OK)
        s = check_file_entries(st, first, f, data_len, err);
done:
    cJSON_Delete(root);
    free(h.tokens);
    free(text);
    return s;
}
