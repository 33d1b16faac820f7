/*
 * formats: reading Hugging Face model files. safetensors weights (one file,
 * or shards listed by model.safetensors.index.json) are mapped into memory
 * and validated in full before any tensor is handed out; config.json is
 * parsed into typed values with the defaults of each model family.
 *
 * Memory: an ia_safetensors owns its mappings; the tensors it returns point
 * into them and stay valid until ia_safetensors_close. An ia_model_config is
 * a plain value except for its cJSON tree, freed by ia_model_config_free.
 */
#ifndef IPFS_ACCELERATE_FORMATS_H
#define IPFS_ACCELERATE_FORMATS_H

#include <stdbool.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ safetensors */

typedef struct ia_safetensors ia_safetensors;

typedef struct ia_safetensors_entry {
    const char *name;     /* owned by the ia_safetensors */
    const char *file;     /* the file (shard) that holds it */
    ia_dtype dtype;
    int ndim;
    int64_t shape[IA_TENSOR_MAX_DIMS];
    uint64_t offset;      /* from the start of the data section */
    uint64_t nbytes;
} ia_safetensors_entry;

/* Opens PATH: a .safetensors file, a model.safetensors.index.json, or a
 * folder holding either. Validates every header: length bound, JSON,
 * dtype names, shape x dtype size equal to the byte range, ranges in bounds,
 * ordered and non-overlapping, all arithmetic overflow-checked. Errors name
 * the file and the tensor. Tensors of more than IA_TENSOR_MAX_DIMS
 * dimensions are refused by name. */
ia_status ia_safetensors_open(const char *path, ia_safetensors **out, ia_error *err);
void ia_safetensors_close(ia_safetensors *st);

size_t ia_safetensors_count(const ia_safetensors *st);
const ia_safetensors_entry *ia_safetensors_entry_at(const ia_safetensors *st, size_t i);
const ia_safetensors_entry *ia_safetensors_find(const ia_safetensors *st, const char *name);
/* The __metadata__ object's string values, by key; NULL when absent. */
const char *ia_safetensors_metadata(const ia_safetensors *st, const char *key);

/* A tensor viewing the mapped bytes (read-only memory: never write through
 * it). The data may be unaligned for its dtype: safetensors does not promise
 * alignment, so readers use memcpy or the conversion functions. */
ia_status ia_safetensors_tensor(const ia_safetensors *st, const char *name, ia_tensor *out,
                                ia_error *err);

/* Writes n contiguous tensors to PATH as safetensors, named names[i], in
 * that order (through a temporary file renamed over PATH). metadata, when
 * not NULL, is a NULL-terminated list of key, value strings for the
 * __metadata__ object. */
ia_status ia_safetensors_write(const char *path, const char *const *names,
                               const ia_tensor *tensors, size_t n, const char *const *metadata,
                               ia_error *err);
/* Parses only a header (the 8-byte length and the JSON that follows) held in
 * memory, as the fuzz target does; file_size bounds the data ranges. */
ia_status ia_safetensors_parse_header(const char *file_name, const uint8_t *bytes, size_t len,
                                      uint64_t file_size, ia_safetensors **out, ia_error *err);

/* ---------------------------------------------------------------- config */

typedef struct ia_model_config {
    char model_type[64];          /* "bert", "llama", ... */
    char architecture[96];        /* architectures[0], "" when absent */
    int64_t vocab_size;
    int64_t hidden_size;
    int64_t intermediate_size;
    int64_t num_hidden_layers;
    int64_t num_attention_heads;
    int64_t num_key_value_heads;  /* defaults to num_attention_heads */
    int64_t head_dim;             /* defaults to hidden_size / num_attention_heads */
    int64_t max_position_embeddings;
    int64_t type_vocab_size;
    double layer_norm_eps;        /* layer_norm_eps / rms_norm_eps / layer_norm_epsilon */
    char hidden_act[32];
    double rope_theta;            /* rope_theta or rope_parameters.rope_theta */
    double partial_rotary_factor; /* 1 unless set (rotary_pct for gpt_neox) */
    char rope_type[32];           /* "default", "linear", "llama3", ... */
    double rope_scaling_factor;   /* 1 unless set */
    int64_t sliding_window;       /* 0 when none */
    bool tie_word_embeddings;
    int64_t bos_token_id, eos_token_id, pad_token_id; /* -1 when absent */
    char torch_dtype[16];         /* "float32", ... ("" when absent) */
    struct cJSON *json;           /* the whole document, for family-specific keys */
} ia_model_config;

/* Reads config.json (PATH is the file or its folder). Unknown keys are
 * ignored; a key of the wrong type is an error naming the key; defaults are
 * those of the model family. */
ia_status ia_model_config_load(const char *path, ia_model_config *out, ia_error *err);
/* The same from text in memory; file_name is used in messages. */
ia_status ia_model_config_parse(const char *file_name, const char *text, size_t len,
                                ia_model_config *out, ia_error *err);
void ia_model_config_free(ia_model_config *cfg);

#ifdef __cplusplus
}
#endif

#endif
