/*
 * models: Hugging Face models run by our engine, and the registry of model
 * types.
 *
 * The registry lists the Hugging Face model types at large (transformers'
 * own list), each with its family, modality and whether we run it: native
 * (runs here), planned, or unsupported. A model type not native fails to
 * load with "model type X (family Y) is not supported yet", never with a
 * wrong answer.
 *
 * A model is a folder as save_pretrained writes it: config.json, the
 * weights (*.safetensors, sharded or not), tokenizer files,
 * preprocessor_config.json, generation_config.json. Its architecture is
 * chosen from config.json's model_type.
 *
 * Memory: registry entries are static. An ia_model is created by
 * ia_model_load and freed by ia_model_free; it owns its weights (mapped or
 * copied) and its scratch. An ia_tensor_map owns the tensors put into it.
 */
#ifndef IPFS_ACCELERATE_MODELS_H
#define IPFS_ACCELERATE_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------- registry */

typedef enum ia_model_status {
    IA_MODEL_NATIVE = 0, /* our engine runs it */
    IA_MODEL_PLANNED,    /* on the roadmap (a later issue names it) */
    IA_MODEL_UNSUPPORTED /* no plan to run it */
} ia_model_status;

typedef struct ia_model_type_info {
    const char *model_type; /* config.json's model_type: "bert", "llama", ... */
    const char *name;       /* as transformers names it: "BERT", "LLaMA", ... */
    /* "embedding", "text-generation", "text2text-generation",
     * "text-classification", "vision", "audio", "multimodal", ... */
    const char *family;
    const char *modality; /* "text", "vision", "audio", "multimodal", ... */
    ia_model_status status;
} ia_model_type_info;

size_t ia_model_types_count(void);
/* Entries sorted by model_type; NULL past the end. */
const ia_model_type_info *ia_model_type_at(size_t i);
/* The entry of model_type, or NULL when transformers has no such type. */
const ia_model_type_info *ia_model_type_find(const char *model_type);
/* "native", "planned", "unsupported". */
const char *ia_model_status_name(ia_model_status s);

/* ----------------------------------------------------------- tensor maps */

/* Named tensors: a model's inputs and outputs, named as in the golden
 * fixtures' reference.safetensors without their "input." / "output."
 * prefix ("input_ids", "last_hidden_state", "logits", "generated_ids"). */
typedef struct ia_named_tensor {
    char *name;
    ia_tensor t; /* its own buffer (ia_tensor_alloc) */
} ia_named_tensor;

typedef struct ia_tensor_map {
    ia_named_tensor *v;
    size_t n, cap;
} ia_tensor_map;

/* Adds a zero-filled tensor called name (replacing one of that name) and
 * returns it in *out (owned by the map). */
ia_status ia_tensor_map_add(ia_tensor_map *m, const char *name, ia_dtype dtype, int ndim,
                            const int64_t *shape, ia_tensor **out, ia_error *err);
/* Adds a copy of src (converted to dtype) called name. */
ia_status ia_tensor_map_add_copy(ia_tensor_map *m, const char *name, const ia_tensor *src,
                                 ia_dtype dtype, ia_error *err);
/* The tensor called name, or NULL. */
const ia_tensor *ia_tensor_map_find(const ia_tensor_map *m, const char *name);
void ia_tensor_map_free(ia_tensor_map *m);

/* ---------------------------------------------------------------- models */

typedef struct ia_model ia_model;

typedef struct ia_model_options {
    int threads; /* 0: the process's pool as configured (IA_NUM_THREADS) */
} ia_model_options;

/* Loads the model folder PATH. Errors name the file and the problem: a
 * folder without config.json or weights, a model type that is not native
 * ("model type 'whisper' (family audio) is not supported yet"), a config
 * with inconsistent sizes, a tensor missing or of the wrong shape (with the
 * expected and found shapes). */
ia_status ia_model_load(const char *path, const ia_model_options *opts, ia_model **out,
                        ia_error *err);
void ia_model_free(ia_model *m);

const ia_model_config *ia_model_config_get(const ia_model *m);
/* The folder the model was loaded from. */
const char *ia_model_path(const ia_model *m);
/* True when the weights were made by ia_model_synthesize (the file's
 * metadata says so): outputs then mean nothing but their timing. */
bool ia_model_weights_synthetic(const ia_model *m);

/* Presets: the architectures of well-known checkpoints, as their
 * config.json. */
typedef struct ia_model_preset {
    const char *name;        /* the Hub id: "bert-base-uncased", "Qwen/Qwen2-0.5B" */
    const char *family;      /* as in the registry */
    const char *config_json; /* the checkpoint's config.json */
} ia_model_preset;

size_t ia_model_presets_count(void);
const ia_model_preset *ia_model_preset_at(size_t i);
const ia_model_preset *ia_model_preset_find(const char *name);

/* Where the model NAME_OR_PATH lives, in dir: an existing folder as it is;
 * else a Hub id found in the local Hugging Face cache (HF_HUB_CACHE,
 * HF_HOME/hub or ~/.cache/huggingface/hub: the snapshot refs/main names);
 * else, for a preset, a folder of synthetic weights of its real shapes,
 * made once under IA_CACHE_DIR (default ~/.cache/ipfs-accelerate)
 * /synthetic/, with *synthetic set and a warning logged. */
ia_status ia_model_resolve(const char *name_or_path, char *dir, size_t size, bool *synthetic,
                           ia_error *err);

/* Writes DIR/model.safetensors: deterministic weights (from seed) of every
 * tensor the architecture asks for at load, in the shapes DIR/config.json
 * gives, marked as synthetic in the file's metadata. For benchmarking a
 * model whose real weights are not at hand. */
ia_status ia_model_synthesize(const char *dir, uint64_t seed, ia_error *err);
const ia_model_type_info *ia_model_type_get(const ia_model *m);

/* Runs the model on inputs (named as in the fixtures: input_ids,
 * attention_mask, token_type_ids, pixel_values, ...) and adds its outputs
 * to *outputs (last_hidden_state, pooler_output, logits, ...). Ids may be
 * I64 or I32; floats F32. Missing or misshapen inputs, and ids outside the
 * vocabulary, are errors that name the input. */
ia_status ia_model_forward(ia_model *m, const ia_tensor_map *inputs, ia_tensor_map *outputs,
                           ia_error *err);

/* Text generation (decoder-only models). */
typedef struct ia_generate_opts {
    int max_new_tokens;       /* 0: 20 */
    bool ignore_eos;          /* keep going past EOS (the fixtures do) */
    float temperature;        /* 0: greedy */
    int top_k;                /* 0: off */
    float top_p;              /* 0 or 1: off */
    float repetition_penalty; /* 0 or 1: off */
    uint64_t seed;            /* for sampling */
    /* Streaming: called with each new token of row 0; returning false stops. */
    bool (*on_token)(void *ctx, int64_t token);
    void *ctx;
} ia_generate_opts;

/* Generates from input_ids [B, S] (I64 or I32) with a KV cache (one
 * batched prefill, then one token per step), stopping at EOS
 * (config/generation_config eos_token_id) unless ignore_eos, or at
 * max_new_tokens. Adds "generated_ids" I64 [B, S + new] (prompt included,
 * as Hugging Face's generate returns it; rows that stopped early are padded
 * with pad_token_id, or EOS). A prompt longer than the context is an error. */
ia_status ia_model_generate(ia_model *m, const ia_tensor *input_ids, const ia_generate_opts *opts,
                            ia_tensor_map *out, ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
