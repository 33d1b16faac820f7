/* Writing a safetensors file: the JSON header (tensors in the order given,
 * data_offsets packed back to back, padded with spaces to 8 bytes as the
 * format's own writer does), then the data, into a temporary file renamed
 * over PATH, so a failed write never leaves half a file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ipfs_accelerate/formats.h"

ia_status ia_safetensors_write(const char *path, const char *const *names,
                               const ia_tensor *tensors, size_t n, const char *const *metadata,
                               ia_error *err)
{
    cJSON *hdr = cJSON_CreateObject();
    if (!hdr)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    uint64_t offset = 0;
    ia_status st = IA_OK;
    if (metadata && metadata[0]) {
        cJSON *meta = cJSON_AddObjectToObject(hdr, "__metadata__");
        for (size_t i = 0; meta && metadata[i] && metadata[i + 1]; i += 2)
            cJSON_AddStringToObject(meta, metadata[i], metadata[i + 1]);
        if (!meta)
            st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    }
    for (size_t i = 0; i < n && st == IA_OK; i++) {
        const ia_tensor *t = &tensors[i];
        if (!ia_tensor_is_contiguous(t)) {
            st = ia_error_set(err, IA_ERR_INVALID, "%s: tensor '%s' is not contiguous", path,
                              names[i]);
            break;
        }
        if (cJSON_GetObjectItemCaseSensitive(hdr, names[i])) {
            st = ia_error_set(err, IA_ERR_INVALID, "%s: tensor '%s' is named twice", path,
                              names[i]);
            break;
        }
        cJSON *e = cJSON_AddObjectToObject(hdr, names[i]);
        cJSON *shape = e ? cJSON_AddArrayToObject(e, "shape") : NULL;
        cJSON *offs = e ? cJSON_AddArrayToObject(e, "data_offsets") : NULL;
        uint64_t bytes = ia_tensor_nbytes(t);
        if (!e || !shape || !offs || !cJSON_AddStringToObject(e, "dtype", ia_dtype_name(t->dtype))) {
            st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
            break;
        }
        for (int d = 0; d < t->ndim; d++)
            cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)t->shape[d]));
        cJSON_AddItemToArray(offs, cJSON_CreateNumber((double)offset));
        cJSON_AddItemToArray(offs, cJSON_CreateNumber((double)(offset + bytes)));
        offset += bytes;
    }
    char *json = st == IA_OK ? cJSON_PrintUnformatted(hdr) : NULL;
    cJSON_Delete(hdr);
    if (st != IA_OK)
        return st;
    if (!json)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    size_t jlen = strlen(json), padded = (jlen + 7) / 8 * 8;

    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        free(json);
        return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", path);
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        free(json);
        return ia_error_set(err, IA_ERR_IO, "%s: %s", tmp, strerror(errno));
    }
    unsigned char len8[8];
    for (int b = 0; b < 8; b++)
        len8[b] = (unsigned char)((uint64_t)padded >> (8 * b));
    bool ok = fwrite(len8, 1, 8, f) == 8 && fwrite(json, 1, jlen, f) == jlen;
    for (size_t k = jlen; ok && k < padded; k++)
        ok = fputc(' ', f) != EOF;
    for (size_t i = 0; ok && i < n; i++) {
        size_t bytes = ia_tensor_nbytes(&tensors[i]);
        ok = bytes == 0 || fwrite(tensors[i].data, 1, bytes, f) == bytes;
    }
    free(json);
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok || rename(tmp, path) != 0) {
        if (ok)
            saved = errno;
        remove(tmp);
        return ia_error_set(err, IA_ERR_IO, "%s: %s", path, strerror(saved));
    }
    return IA_OK;
}
