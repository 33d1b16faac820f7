/* Fuzz target: a safetensors file held in memory (the 8-byte header length,
 * the JSON header, the data), parsed by ia_safetensors_parse_header as a file
 * of the input's size. Nothing may crash, leak or read out of bounds; and
 * what the parser accepts must hold what it promises: entries packed back to
 * back in data order up to the end of the data section, each shape x dtype
 * size equal to its byte range, every name found again by lookup. A refusal
 * must name the file, and never be IA_ERR_INTERNAL. How to run it: docs/fuzzing.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/formats.h"

#define FILE_NAME "fuzz.safetensors"

static void check_accepted(const ia_safetensors *st, const uint8_t *data, size_t size)
{
    uint64_t header_len = 0;
    for (int k = 7; k >= 0; k--)
        header_len = (header_len << 8) | data[k];
    uint64_t data_len = size - 8 - header_len; /* accepted, so no wrap */
    uint64_t pos = 0;
    size_t n = ia_safetensors_count(st);
    for (size_t i = 0; i < n; i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        if (!e || e->ndim < 0 || e->ndim > IA_TENSOR_MAX_DIMS || e->offset != pos)
            abort();
        uint64_t bytes = ia_dtype_size(e->dtype);
        for (int d = 0; d < e->ndim; d++) {
            if (e->shape[d] < 0 || __builtin_mul_overflow(bytes, (uint64_t)e->shape[d], &bytes))
                abort();
        }
        if (bytes != e->nbytes || ia_safetensors_find(st, e->name) != e)
            abort();
        ia_tensor t;
        ia_error err;
        if (ia_safetensors_tensor(st, e->name, &t, &err) == IA_OK) /* no mapping to view */
            abort();
        (void)ia_safetensors_metadata(st, e->name);
        pos += e->nbytes;
    }
    if (pos != data_len || ia_safetensors_entry_at(st, n) != NULL)
        abort();
    (void)ia_safetensors_metadata(st, "format");
    (void)ia_safetensors_metadata(st, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ia_safetensors *st = NULL;
    ia_error err;
    ia_error_clear(&err);
    ia_status s = ia_safetensors_parse_header(FILE_NAME, data, size, size, &st, &err);
    if (s != IA_OK) {
        /* INTERNAL would mean the number scan and cJSON disagreed */
        if (st || s == IA_ERR_INTERNAL || err.status != s ||
            !memchr(err.message, '\0', sizeof err.message) ||
            strncmp(err.message, FILE_NAME ": ", sizeof FILE_NAME + 1) != 0)
            abort();
        return 0;
    }
    check_accepted(st, data, size);
    ia_safetensors_close(st);
    return 0;
}
