/*
 * The models layer's inside.
 *
 *   registry.c        the model types of transformers, with family and status
 *   tensor_map.c      ia_tensor_map, the named inputs and outputs
 *   model.c           loading a folder: config, weights, the architecture
 *   weights.c         finding weights by name, with shape checks
 *   graph.c           the ops architectures are written with (mo_*), run on
 *                     the model's backend with tensors from its arena
 *   arch_*.c          one file per architecture family (a template), each
 *                     exporting an ia_arch; variants.c lists the model types
 *                     that run natively and what each overrides
 *
 * An architecture reads its family's keys from cfg (and cfg.json for the
 * rest), binds and checks its weights in load, and computes in forward with
 * the mo_* helpers. Scratch comes from m->arena, reset at the start of every
 * forward; outputs are copied into the caller's ia_tensor_map.
 */
#ifndef IA_MODEL_INTERNAL_H
#define IA_MODEL_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/engine.h"
#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/tensor.h"

typedef struct ia_arch ia_arch;

/* A model type we run natively: the family template and the variant's
 * overrides (flags the template reads; MV_* below). */
typedef struct ia_variant {
    const char *model_type;
    const ia_arch *arch;
    unsigned flags;
} ia_variant;

/* Variant flags. Encoders (arch_bert.c). */
enum {
    MV_POSITION_OFFSET = 1u << 0, /* RoBERTa: positions from padding_idx + 1 over real tokens */
    MV_NO_TOKEN_TYPES = 1u << 1,  /* DistilBERT, MPNet: no token_type embeddings */
    MV_DISTILBERT = 1u << 2,      /* DistilBERT's weight names and layout */
    MV_MPNET = 1u << 3,           /* MPNet's relative position bias */
    MV_DEIT = 1u << 4,            /* DeiT: a distillation token after [CLS] */
};

/* Decoder flags (arch_decoder.c). */
enum {
    MV_QKV_BIAS = 1u << 8,        /* Qwen2: biases on q, k, v */
    MV_QK_NORM = 1u << 9,         /* Qwen3: RMSNorm on q and k per head */
    MV_SLIDING_WINDOW = 1u << 10, /* Mistral: config.sliding_window */
    MV_GEMMA = 1u << 11,          /* (1 + w) RMSNorm, embeddings * sqrt(hidden), tanh GELU */
    MV_FUSED_QKV = 1u << 12,      /* Phi-3: qkv_proj and gate_up_proj */
    MV_GPT_NEOX = 1u << 13,       /* partial rotary, parallel residual, fused qkv per head */
    MV_OPT = 1u << 14,            /* learned positions offset by 2, LayerNorm, ReLU */
    MV_GPT2 = 1u << 15,           /* Conv1D weights [in, out], learned positions, lm_head = wte */
};

/* Whether config.json's architectures[0] ends with suffix
 * ("ForSequenceClassification"). */
bool ia_model_arch_is(const ia_model *m, const char *suffix);
/* The classes of a classification head: the size of id2label, else
 * num_labels, else transformers' default of 2. */
int64_t ia_model_num_labels(const ia_model *m);

/* The variant of model_type, or NULL when we do not run it (variants.c). */
const ia_variant *ia_variant_find(const char *model_type);

/* The family templates. */
extern const ia_arch ia_arch_bert;    /* arch_bert.c: bert, roberta, xlm-roberta, distilbert, mpnet */
extern const ia_arch ia_arch_vit;     /* arch_vit.c: vit, deit */
extern const ia_arch ia_arch_decoder; /* arch_decoder.c: gpt2, opt, llama and its relatives */

struct ia_arch {
    const char *name; /* the family template: "bert", "vit", "decoder" */
    /* Reads the family's config keys, binds and checks the weights (all of
     * them, before any forward), sets m->state. */
    ia_status (*load)(ia_model *m, ia_error *err);
    /* One forward pass: inputs by name, outputs added to out. */
    ia_status (*forward)(ia_model *m, const ia_tensor_map *in, ia_tensor_map *out,
                         ia_error *err);
    /* Text generation; NULL when the family does not generate. */
    ia_status (*generate)(ia_model *m, const ia_tensor *input_ids, const ia_generate_opts *opts,
                          ia_tensor_map *out, ia_error *err);
    void (*free_state)(ia_model *m);
};

/* A weight copied out of the mapping (unaligned data, or converted). */
typedef struct ia_weight_buf {
    void *data;
} ia_weight_buf;

struct ia_model {
    char *path;                     /* the folder */
    ia_model_config cfg;
    const ia_model_type_info *type; /* the registry's entry */
    const ia_variant *variant;
    ia_safetensors *weights;
    ia_backend *be;                 /* the CPU backend */
    ia_arena *arena;                /* scratch of one forward, reset before each */
    void *state;                    /* the architecture's */
    const char *prefix;             /* weight name prefix found by ia_mw_prefix ("", "bert.", ...) */
    ia_weight_buf *bufs;
    size_t nbufs, bufs_cap;
    bool synthetic;         /* the weights file says ia_model_synthesize made it */
    struct ia_synth *synth; /* set while ia_model_synthesize runs the architecture's load */
};

/* --- weights.c --------------------------------------------------------------- */

/* Picks the first of candidates (e.g. "", "bert.", "model.") for which
 * prefix + probe is a tensor of the checkpoint; m->prefix is set to it.
 * Fails naming the probe when none is. */
ia_status ia_mw_prefix(ia_model *m, const char *const *candidates, size_t n, const char *probe,
                       ia_error *err);

/* The weight m->prefix + name (printf-style), checked to have ndim
 * dimensions of the given shape (-1 in shape: any size). Float weights keep
 * F32, F16 or BF16 (matmul takes all three); other dtypes are refused. The
 * tensor is aligned: mapped bytes when their alignment allows, else a copy
 * the model owns. When required is false and the tensor is absent, out->data
 * is NULL and IA_OK is returned. Errors: "model.safetensors: tensor
 * 'encoder.layer.0.attention.self.query.weight' is missing" and "... has
 * shape [32, 16], expected [32, 32]". */
ia_status ia_mw_get(ia_model *m, ia_tensor *out, bool required, int ndim, const int64_t *shape,
                    ia_error *err, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* The same, converted to an F32 copy (norm weights and biases the ops read
 * as F32). */
ia_status ia_mw_get_f32(ia_model *m, ia_tensor *out, bool required, int ndim,
                        const int64_t *shape, ia_error *err, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* A Linear called name: weight [out, in] as stored, bias [out] as F32
 * (absent when not bias_required and the checkpoint has none). */
ia_status ia_mw_linear(ia_model *m, ia_tensor *w, ia_tensor *b, bool bias_required, int64_t out,
                       int64_t in, const char *name, ia_error *err);
/* A LayerNorm called name: weight and bias [n], F32. */
ia_status ia_mw_layer_norm(ia_model *m, ia_tensor *w, ia_tensor *b, int64_t n, const char *name,
                           ia_error *err);
/* n Linears of the same input size as one: their weights stacked by rows
 * into *fw (their common dtype, F32 when they differ) and their biases into
 * one F32 *fb (absent when none has a bias; zeros for those without), in
 * buffers the model owns. So q, k and v run as one GEMM. */
ia_status ia_mw_fuse(ia_model *m, const ia_tensor *w, const ia_tensor *b, int n, ia_tensor *fw,
                     ia_tensor *fb, ia_error *err);
/* An aligned, zeroed buffer the model frees (tables computed at load);
 * NULL when out of memory. */
void *ia_mw_alloc(ia_model *m, size_t bytes);

/* Whether m->prefix + name is a tensor of the checkpoint. */
bool ia_mw_has(const ia_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Synthesis (ia_model_synthesize): while m->synth is set, ia_mw_get makes
 * each required weight instead of reading it (deterministic values from the
 * seed and the name; every dimension must be known), optional ones are
 * absent, and ia_mw_prefix takes its first candidate. The weights made are
 * listed in order for writing. */
typedef struct ia_synth {
    uint64_t seed;
    char **names;
    ia_tensor *tensors;
    size_t n, cap;
} ia_synth;

/* --- graph.c: ops on the model's backend ------------------------------------------
 * Each allocates its result from m->arena (contiguous F32) and runs the op.
 * NULL optional arguments are absent. */

ia_status mo_tensor(ia_model *m, ia_tensor *t, ia_dtype dtype, int ndim, const int64_t *shape,
                    ia_error *err);
/* y[..., N] = x[..., K] W^T + b, W [N, K] (a Linear) or, with w_in_out,
 * W [K, N] (GPT-2's Conv1D). */
ia_status mo_linear(ia_model *m, const ia_tensor *x, const ia_tensor *w, const ia_tensor *b,
                    bool w_in_out, ia_tensor *y, ia_error *err);
ia_status mo_layer_norm(ia_model *m, const ia_tensor *x, const ia_tensor *w, const ia_tensor *b,
                        float eps, ia_tensor *y, ia_error *err);
ia_status mo_rms_norm(ia_model *m, const ia_tensor *x, const ia_tensor *w, float eps,
                      bool one_plus, ia_tensor *y, ia_error *err);
ia_status mo_act(ia_model *m, const ia_tensor *x, ia_activation act, ia_tensor *y,
                 ia_error *err);
ia_status mo_add(ia_model *m, const ia_tensor *a, const ia_tensor *b, ia_tensor *y,
                 ia_error *err);
ia_status mo_mul(ia_model *m, const ia_tensor *a, const ia_tensor *b, ia_tensor *y,
                 ia_error *err);
ia_status mo_scale(ia_model *m, const ia_tensor *x, float scale, ia_tensor *y, ia_error *err);
/* Rows of table [V, D] for ids (I32 or I64, any shape); an id outside
 * [0, V) is an error naming it. */
ia_status mo_embedding(ia_model *m, const ia_tensor *table, const ia_tensor *ids, ia_tensor *y,
                       ia_error *err);
/* x [B, S, H * D] seen as [B, H, S, D] (a strided view, no copy). */
ia_status mo_heads(const ia_tensor *x, int64_t heads, int64_t head_dim, ia_tensor *view,
                   ia_error *err);
/* Attention of q [B, Hq, Sq, D] (views allowed) over k, v [B, Hkv, Sk, D];
 * mask optional (additive F32 or BOOL keep, broadcastable to
 * [B, Hq, Sq, Sk]); y comes back as [B, Sq, Hq * Dv], heads merged. */
ia_status mo_attention(ia_model *m, const ia_tensor *q, const ia_tensor *k, const ia_tensor *v,
                       const ia_tensor *mask, float scale, bool causal, int window,
                       ia_tensor *y, ia_error *err);
/* dst = src (any strides; dst allocated contiguous when dst->data is NULL). */
ia_status mo_copy(ia_model *m, const ia_tensor *src, ia_tensor *dst, ia_error *err);
/* Runs an op as given (dst already allocated). */
ia_status mo_run(ia_model *m, ia_op *op, ia_error *err);
/* The same ops into a destination the caller took (a forward pass that
 * reuses its buffers layer after layer): y = x W^T + b (W [N, K]),
 * LayerNorm, a + b, and an activation in place. */
ia_status mo_linear_into(ia_model *m, const ia_tensor *x, const ia_tensor *w, const ia_tensor *b,
                         ia_tensor *y, ia_error *err);
ia_status mo_layer_norm_into(ia_model *m, const ia_tensor *x, const ia_tensor *w,
                             const ia_tensor *b, float eps, ia_tensor *y, ia_error *err);
ia_status mo_add_into(ia_model *m, const ia_tensor *a, const ia_tensor *b, ia_tensor *y,
                      ia_error *err);
ia_status mo_act_inplace(ia_model *m, ia_tensor *x, ia_activation act, ia_error *err);
/* act(x[:, token] W^T + b) as [B, N] (a pooler or a classifier on one
 * token of x [B, S, H]); act IA_ACT_NONE for none. */
ia_status mo_token_dense(ia_model *m, const ia_tensor *x, int64_t token, const ia_tensor *w,
                         const ia_tensor *b, ia_activation act, ia_tensor *y, ia_error *err);

/* Adds t to out under name (a copy, F32 or as t's dtype). */
ia_status mo_output(ia_tensor_map *out, const char *name, const ia_tensor *t, ia_error *err);
/* The input called name, checked: ndim dimensions (shape entries -1 are
 * free), dtype one of the float or integer kinds asked. Errors name the
 * input and what was expected. */
ia_status mo_input(const ia_tensor_map *in, const char *name, bool required, bool integer,
                   int ndim, const int64_t *shape, const ia_tensor **out, ia_error *err);

#endif
