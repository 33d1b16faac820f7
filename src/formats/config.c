/*
 * Hugging Face config.json, parsed into typed values.
 *
 * A config names its model family (model_type) and gives only the values
 * that differ from that family's defaults, under the family's own spelling
 * (GPT-2's n_embd, T5's d_model, DistilBERT's dim, ...). So parsing is three
 * steps: read what the file says, under every spelling we know, checking each
 * value's type and bounds; fill what it does not say from the family's
 * defaults, which are those of the transformers config class (a missing key
 * means what transformers would make of it); derive what follows from the
 * rest (key/value heads, head size) and check that the whole is consistent.
 *
 * Composite models (CLIP, LLaVA, CLAP, X-CLIP) keep their language model in
 * text_config: the top-level fields the file lacks are taken from it, parsed
 * with its own family's defaults. The nested objects stay in cfg->json, with
 * every family-specific key, for the model code that needs them.
 *
 * Rotary embeddings come in two styles: top-level rope_theta with an optional
 * rope_scaling {"type"|"rope_type", "factor"} (most checkpoints on the Hub),
 * and transformers 5's rope_parameters {"rope_type", "rope_theta", ...}.
 * Both are read; when both are given, rope_scaling wins, as in transformers.
 *
 * JSON null means "not given" (transformers writes null for unset values),
 * except where transformers gives null a meaning of its own: a null
 * num_key_value_heads or head_dim is derived, a null sliding_window is none.
 */
#include "ipfs_accelerate/formats.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A size beyond 2^40 is a corrupt or hostile file, not a model. */
#define SIZE_LIMIT (INT64_C(1) << 40)
#define CONFIG_MAX_BYTES (16u << 20)

/* ------------------------------------------------------------- families */

enum {
    F_INTER_4X = 1 << 0,       /* intermediate size absent or null: 4 x hidden (GPT-2) */
    F_SLIDING_OPT_IN = 1 << 1, /* sliding_window applies only with use_sliding_window */
    F_T5_ACT = 1 << 2,         /* activation from feed_forward_proj ("gated-gelu") */
    F_NO_HIDDEN = 1 << 3,      /* convolutional: no single hidden size */
    F_UNTIED = 1 << 4,         /* tie_word_embeddings defaults to false */
    F_SU_LONGROPE = 1 << 5,    /* Phi-3: rope types "su" and "yarn" mean "longrope" */
};

enum { NO_TOKEN = -1 };

typedef struct family {
    const char *model_type;
    const char *text_family; /* composite models: the family of text_config */
    int64_t vocab, hidden, inter, layers, heads, kv_heads, head_dim, max_pos, type_vocab;
    double eps;
    const char *act;
    double rope_theta;       /* 0: the family has no rotary embeddings */
    double partial_rotary;   /* 0: 1 */
    int64_t sliding_window;
    int64_t bos, eos, pad;
    unsigned flags;
    /* The family's own spellings, tried before the common aliases. */
    const char *k_hidden, *k_layers, *k_heads, *k_inter, *k_max_pos, *k_act, *k_head_dim;
} family;

#define TOK(b, e, p) .bos = (b), .eos = (e), .pad = (p)
#define ENCODER_KEYS                                                                          \
    .k_layers = "encoder_layers", .k_heads = "encoder_attention_heads",                        \
    .k_inter = "encoder_ffn_dim"
#define NO_TOKENS TOK(NO_TOKEN, NO_TOKEN, NO_TOKEN)

/* Values from the transformers config classes. Where a class has no norm
 * epsilon, the one its modeling code uses (nn.LayerNorm's 1e-5, DistilBERT's
 * 1e-12). */
static const family families[] = {
    /* encoders */
    {.model_type = "bert", .vocab = 30522, .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .max_pos = 512, .type_vocab = 2, .eps = 1e-12, .act = "gelu",
     TOK(NO_TOKEN, NO_TOKEN, 0)},
    {.model_type = "roberta", .vocab = 50265, .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .max_pos = 512, .type_vocab = 2, .eps = 1e-12, .act = "gelu", TOK(0, 2, 1)},
    {.model_type = "xlm-roberta", .vocab = 30522, .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .max_pos = 512, .type_vocab = 2, .eps = 1e-12, .act = "gelu", TOK(0, 2, 1)},
    {.model_type = "distilbert", .vocab = 30522, .hidden = 768, .inter = 3072, .layers = 6,
     .heads = 12, .max_pos = 512, .eps = 1e-12, .act = "gelu", TOK(NO_TOKEN, NO_TOKEN, 0),
     .k_hidden = "dim", .k_layers = "n_layers", .k_heads = "n_heads", .k_inter = "hidden_dim",
     .k_act = "activation"},
    {.model_type = "mpnet", .vocab = 30527, .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .max_pos = 514, .eps = 1e-12, .act = "gelu", TOK(0, 2, 1)},
    {.model_type = "vit", .hidden = 768, .inter = 3072, .layers = 12, .heads = 12,
     .eps = 1e-12, .act = "gelu", NO_TOKENS},
    {.model_type = "deit", .hidden = 768, .inter = 3072, .layers = 12, .heads = 12,
     .eps = 1e-12, .act = "gelu", NO_TOKENS},
    {.model_type = "wav2vec2", .vocab = 32, .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .eps = 1e-5, .act = "gelu", TOK(1, 2, 0)},
    /* decoders */
    {.model_type = "gpt2", .vocab = 50257, .hidden = 768, .layers = 12, .heads = 12,
     .max_pos = 1024, .eps = 1e-5, .act = "gelu_new", TOK(50256, 50256, NO_TOKEN),
     .flags = F_INTER_4X},
    {.model_type = "opt", .vocab = 50272, .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .max_pos = 2048, .eps = 1e-5, .act = "relu", TOK(2, 2, 1)},
    {.model_type = "gpt_neox", .vocab = 50432, .hidden = 6144, .inter = 24576, .layers = 44,
     .heads = 64, .max_pos = 2048, .eps = 1e-5, .act = "gelu", .rope_theta = 10000,
     .partial_rotary = 0.25, TOK(0, 2, NO_TOKEN), .flags = F_UNTIED},
    {.model_type = "llama", .vocab = 32000, .hidden = 4096, .inter = 11008, .layers = 32,
     .heads = 32, .max_pos = 2048, .eps = 1e-6, .act = "silu", .rope_theta = 10000,
     TOK(1, 2, NO_TOKEN), .flags = F_UNTIED},
    {.model_type = "mistral", .vocab = 32000, .hidden = 4096, .inter = 14336, .layers = 32,
     .heads = 32, .kv_heads = 8, .max_pos = 4096 * 32, .eps = 1e-6, .act = "silu",
     .rope_theta = 10000, .sliding_window = 4096, TOK(1, 2, NO_TOKEN), .flags = F_UNTIED},
    {.model_type = "qwen2", .vocab = 151936, .hidden = 4096, .inter = 22016, .layers = 32,
     .heads = 32, .kv_heads = 32, .max_pos = 32768, .eps = 1e-6, .act = "silu",
     .rope_theta = 10000, .sliding_window = 4096, NO_TOKENS,
     .flags = F_UNTIED | F_SLIDING_OPT_IN},
    {.model_type = "qwen3", .vocab = 151936, .hidden = 4096, .inter = 22016, .layers = 32,
     .heads = 32, .kv_heads = 32, .head_dim = 128, .max_pos = 32768, .eps = 1e-6,
     .act = "silu", .rope_theta = 10000, .sliding_window = 4096, NO_TOKENS,
     .flags = F_UNTIED | F_SLIDING_OPT_IN},
    {.model_type = "phi3", .vocab = 32064, .hidden = 3072, .inter = 8192, .layers = 32,
     .heads = 32, .max_pos = 4096, .eps = 1e-5, .act = "silu", .rope_theta = 10000,
     .partial_rotary = 1.0, TOK(1, 32000, 32000), .flags = F_UNTIED | F_SU_LONGROPE},
    {.model_type = "gemma", .vocab = 256000, .hidden = 3072, .inter = 24576, .layers = 28,
     .heads = 16, .kv_heads = 16, .head_dim = 256, .max_pos = 8192, .eps = 1e-6,
     .act = "gelu_pytorch_tanh", .rope_theta = 10000, TOK(2, 1, 0)},
    /* encoder-decoders: the encoder's sizes */
    {.model_type = "t5", .vocab = 32128, .hidden = 512, .inter = 2048, .layers = 6, .heads = 8,
     .head_dim = 64, .eps = 1e-6, .act = "relu", TOK(NO_TOKEN, 1, 0), .flags = F_T5_ACT,
     .k_act = "feed_forward_proj", .k_head_dim = "d_kv"},
    {.model_type = "mt5", .vocab = 250112, .hidden = 512, .inter = 1024, .layers = 8,
     .heads = 6, .head_dim = 64, .eps = 1e-6, .act = "gated-gelu", TOK(NO_TOKEN, 1, 0),
     .flags = F_T5_ACT | F_UNTIED, .k_act = "feed_forward_proj", .k_head_dim = "d_kv"},
    {.model_type = "bart", .vocab = 50265, .hidden = 1024, .inter = 4096, .layers = 12,
     .heads = 16, .max_pos = 1024, .eps = 1e-5, .act = "gelu", TOK(0, 2, 1), ENCODER_KEYS},
    {.model_type = "whisper", .vocab = 51865, .hidden = 384, .inter = 1536, .layers = 4,
     .heads = 6, .max_pos = 1500, .eps = 1e-5, .act = "gelu", TOK(50256, 50256, 50256),
     ENCODER_KEYS, .k_max_pos = "max_source_positions"},
    {.model_type = "detr", .hidden = 256, .inter = 2048, .layers = 6, .heads = 8, .eps = 1e-5,
     .act = "relu", NO_TOKENS, ENCODER_KEYS},
    /* the towers of composite models, and the composites */
    {.model_type = "clip_text_model", .vocab = 49408, .hidden = 512, .inter = 2048,
     .layers = 12, .heads = 8, .max_pos = 77, .eps = 1e-5, .act = "quick_gelu",
     TOK(49406, 49407, 1)},
    {.model_type = "clip_vision_model", .hidden = 768, .inter = 3072, .layers = 12,
     .heads = 12, .eps = 1e-5, .act = "quick_gelu", NO_TOKENS},
    {.model_type = "xclip_text_model", .vocab = 49408, .hidden = 512, .inter = 2048,
     .layers = 12, .heads = 8, .max_pos = 77, .eps = 1e-5, .act = "quick_gelu",
     TOK(0, 2, 1)},
    {.model_type = "clap_text_model", .vocab = 50265, .hidden = 768, .inter = 3072,
     .layers = 12, .heads = 12, .max_pos = 514, .type_vocab = 1, .eps = 1e-12, .act = "gelu",
     TOK(0, 2, 1)},
    {.model_type = "clip", .text_family = "clip_text_model", NO_TOKENS},
    {.model_type = "xclip", .text_family = "xclip_text_model", NO_TOKENS},
    {.model_type = "clap", .text_family = "clap_text_model", NO_TOKENS},
    {.model_type = "llava", .text_family = "llama", NO_TOKENS},
    {.model_type = "llava_next", .text_family = "llama", NO_TOKENS},
    /* convolutional: sizes per stage, nothing to derive */
    {.model_type = "resnet", NO_TOKENS, .flags = F_NO_HIDDEN},
    {.model_type = "convnext", NO_TOKENS, .flags = F_NO_HIDDEN},
    {.model_type = "convnextv2", NO_TOKENS, .flags = F_NO_HIDDEN},
    {.model_type = "efficientnet", NO_TOKENS, .flags = F_NO_HIDDEN},
    {.model_type = "mobilenet_v2", NO_TOKENS, .flags = F_NO_HIDDEN},
    {.model_type = "regnet", NO_TOKENS, .flags = F_NO_HIDDEN},
};

static const family *family_find(const char *model_type)
{
    if (!model_type)
        return NULL;
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (strcmp(families[i].model_type, model_type) == 0)
            return &families[i];
    return NULL;
}

/* ---------------------------------------------------------- reading keys */

/* What one object (the top level or text_config) says, before defaults. */
enum {
    P_VOCAB = 1 << 0, P_HIDDEN = 1 << 1, P_INTER = 1 << 2, P_LAYERS = 1 << 3,
    P_HEADS = 1 << 4, P_KV = 1 << 5, P_HEAD_DIM = 1 << 6, P_MAX_POS = 1 << 7,
    P_TYPE_VOCAB = 1 << 8, P_EPS = 1 << 9, P_ACT = 1 << 10, P_ROPE_THETA = 1 << 11,
    P_PARTIAL = 1 << 12, P_ROPE_TYPE = 1 << 13, P_ROPE_FACTOR = 1 << 14, P_SLIDING = 1 << 15,
    P_TIE = 1 << 16, P_BOS = 1 << 17, P_EOS = 1 << 18, P_PAD = 1 << 19, P_DTYPE = 1 << 20,
};

typedef struct level {
    const char *file;   /* for messages */
    const char *prefix; /* "" or "text_config." */
    const cJSON *obj;
    ia_error *err;
    ia_model_config cfg;
    unsigned have;      /* P_*: given a value */
    unsigned nulled;    /* P_*: given as null */
    int use_sliding;    /* -1 absent, else the bool */
} level;

static const char *json_kind(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsNull(v))
        return "null";
    return "an unknown value";
}

/* The first of keys (NULL entries skipped) present with a non-null value.
 * *name gets its name; *nulled is set when one was present but null. */
static const cJSON *find_key(const cJSON *obj, const char *const *keys, size_t n,
                             const char **name, bool *nulled)
{
    *nulled = false;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i])
            continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, keys[i]);
        if (!v)
            continue;
        if (cJSON_IsNull(v)) {
            *nulled = true;
            continue;
        }
        *name = keys[i];
        return v;
    }
    return NULL;
}

static ia_status bad_type(level *lv, const char *key, const char *want, const cJSON *v)
{
    return ia_error_set(lv->err, IA_ERR_PARSE, "%s: key '%s%s' must be %s, found %s", lv->file,
                        lv->prefix, key, want, json_kind(v));
}

/* An integral JSON number into *out, within [min, SIZE_LIMIT]. */
static ia_status int_value(level *lv, const char *key, const cJSON *v, int64_t min, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return bad_type(lv, key, "an integer", v);
    double d = v->valuedouble;
    if (!isfinite(d) || d != floor(d))
        return ia_error_set(lv->err, IA_ERR_PARSE, "%s: key '%s%s' must be an integer, found %g",
                            lv->file, lv->prefix, key, d);
    if (d < (double)min)
        return ia_error_set(lv->err, IA_ERR_INVALID, "%s: key '%s%s' must be %s, found %g",
                            lv->file, lv->prefix, key,
                            min == 1 ? "positive" : min == 0 ? "zero or more" : "larger", d);
    if (d > (double)SIZE_LIMIT)
        return ia_error_set(lv->err, IA_ERR_INVALID,
                            "%s: key '%s%s' is %g, more than the %" PRId64
                            " this reader accepts (a corrupt file?)",
                            lv->file, lv->prefix, key, d, SIZE_LIMIT);
    *out = (int64_t)d;
    return IA_OK;
}

/* Reads a size under any of keys; bit is set in have (or nulled). */
static ia_status read_int(level *lv, const char *const *keys, size_t n, int64_t min,
                          unsigned bit, int64_t *out)
{
    const char *name = NULL;
    bool nulled;
    const cJSON *v = find_key(lv->obj, keys, n, &name, &nulled);
    if (!v) {
        if (nulled)
            lv->nulled |= bit;
        return IA_OK;
    }
    ia_status st = int_value(lv, name, v, min, out);
    if (st == IA_OK)
        lv->have |= bit;
    return st;
}
#define READ_INT(lv, min, bit, out, ...)                                                      \
    read_int(lv, (const char *const[]){__VA_ARGS__},                                           \
             sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *), min, bit, out)

/* A positive finite number. */
static ia_status number_value(level *lv, const char *key, const cJSON *v, double *out)
{
    if (!cJSON_IsNumber(v))
        return bad_type(lv, key, "a number", v);
    double d = v->valuedouble;
    if (!isfinite(d) || d <= 0)
        return ia_error_set(lv->err, IA_ERR_INVALID, "%s: key '%s%s' must be positive, found %g",
                            lv->file, lv->prefix, key, d);
    *out = d;
    return IA_OK;
}

static ia_status string_value(level *lv, const char *key, const cJSON *v, char *out, size_t cap)
{
    if (!cJSON_IsString(v))
        return bad_type(lv, key, "a string", v);
    size_t n = strlen(v->valuestring);
    if (n >= cap)
        return ia_error_set(lv->err, IA_ERR_INVALID,
                            "%s: key '%s%s' is %zu characters long, more than the %zu allowed",
                            lv->file, lv->prefix, key, n, cap - 1);
    memcpy(out, v->valuestring, n + 1);
    return IA_OK;
}

/* A token id: an integer, or a list of them (the first is kept; the list
 * stays in the JSON). Negative ids mean none, as some old configs write -1. */
static ia_status read_token(level *lv, const char *key, unsigned bit, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(lv->obj, key);
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    const char *want = "an integer or a list of integers";
    if (!cJSON_IsNumber(v) && !cJSON_IsArray(v))
        return bad_type(lv, key, want, v);
    const cJSON *first = cJSON_IsArray(v) ? v->child : v;
    const cJSON *item = first;
    for (; item; item = cJSON_IsArray(v) ? item->next : NULL) {
        if (!cJSON_IsNumber(item))
            return ia_error_set(lv->err, IA_ERR_PARSE,
                                "%s: key '%s%s' must be %s, found a list holding %s", lv->file,
                                lv->prefix, key, want, json_kind(item));
        double d = item->valuedouble;
        if (!isfinite(d) || d != floor(d))
            return ia_error_set(lv->err, IA_ERR_PARSE, "%s: key '%s%s' must be %s, found %g",
                                lv->file, lv->prefix, key, want, d);
        if (d > (double)SIZE_LIMIT)
            return ia_error_set(lv->err, IA_ERR_INVALID,
                                "%s: key '%s%s' holds %g, more than the %" PRId64
                                " this reader accepts",
                                lv->file, lv->prefix, key, d, SIZE_LIMIT);
    }
    *out = !first || first->valuedouble < 0 ? -1 : (int64_t)first->valuedouble;
    lv->have |= bit;
    return IA_OK;
}

static ia_status read_bool(level *lv, const char *key, bool *out, bool *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(lv->obj, key);
    *present = false;
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    if (!cJSON_IsBool(v))
        return bad_type(lv, key, "true or false", v);
    *out = cJSON_IsTrue(v);
    *present = true;
    return IA_OK;
}

/* T5's feed_forward_proj: "ACT" or "gated-ACT"; the dense activation is ACT,
 * and "gated-gelu" is "gelu_new" (transformers keeps that for old
 * checkpoints). */
static ia_status t5_activation(level *lv, const char *key, const char *proj, char *out,
                               size_t cap)
{
    const char *dash = strchr(proj, '-');
    const char *act = proj;
    if (dash) {
        if ((size_t)(dash - proj) != 5 || strncmp(proj, "gated", 5) != 0 || strchr(dash + 1, '-') ||
            !dash[1])
            return ia_error_set(lv->err, IA_ERR_INVALID,
                                "%s: key '%s%s' must be 'ACT' or 'gated-ACT' (as 'gated-gelu'), "
                                "found '%s'",
                                lv->file, lv->prefix, key, proj);
        act = dash + 1;
    }
    if (!act[0])
        return ia_error_set(lv->err, IA_ERR_INVALID, "%s: key '%s%s' is empty", lv->file,
                            lv->prefix, key);
    if (strcmp(proj, "gated-gelu") == 0)
        act = "gelu_new";
    if (strlen(act) >= cap)
        return ia_error_set(lv->err, IA_ERR_INVALID, "%s: key '%s%s' is too long ('%s')",
                            lv->file, lv->prefix, key, proj);
    snprintf(out, cap, "%s", act);
    return IA_OK;
}

/* A rope dict: rope_scaling or rope_parameters. transformers 5 may key it by
 * layer type ({"full_attention": {...}, "sliding_attention": {...}}): the
 * full-attention entry describes the model. */
static const cJSON *rope_dict(level *lv, const char *key, ia_status *st)
{
    *st = IA_OK;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(lv->obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsObject(v)) {
        *st = bad_type(lv, key, "an object", v);
        return NULL;
    }
    if (!cJSON_GetObjectItemCaseSensitive(v, "rope_type") &&
        !cJSON_GetObjectItemCaseSensitive(v, "type") &&
        !cJSON_GetObjectItemCaseSensitive(v, "rope_theta")) {
        const cJSON *full = cJSON_GetObjectItemCaseSensitive(v, "full_attention");
        if (cJSON_IsObject(full))
            return full;
    }
    return v;
}

/* A rope number: the first non-null `name` in the rope dicts, else the first
 * of the top-level spellings. *key gets the key as messages show it. */
static ia_status rope_number(level *lv, const cJSON *const dicts[2], const char *name,
                             const char *top0, const char *top1, double *out, bool *found,
                             char *key, size_t key_size)
{
    static const char *const dict_names[2] = {"rope_scaling.", "rope_parameters."};
    *found = false;
    for (int i = 0; i < 2; i++) {
        const cJSON *v = dicts[i] ? cJSON_GetObjectItemCaseSensitive(dicts[i], name) : NULL;
        if (v && !cJSON_IsNull(v)) {
            snprintf(key, key_size, "%s%s", dict_names[i], name);
            *found = true;
            return number_value(lv, key, v, out);
        }
    }
    const char *top[2] = {top0, top1};
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(lv->obj, top[i]);
        if (v && !cJSON_IsNull(v)) {
            snprintf(key, key_size, "%s", top[i]);
            *found = true;
            return number_value(lv, key, v, out);
        }
    }
    return IA_OK;
}

static ia_status read_rope(level *lv, const family *fam)
{
    ia_status st;
    const cJSON *scaling = rope_dict(lv, "rope_scaling", &st);
    if (st != IA_OK)
        return st;
    const cJSON *params = rope_dict(lv, "rope_parameters", &st);
    if (st != IA_OK)
        return st;
    const cJSON *const dicts[2] = {scaling, params};
    ia_model_config *c = &lv->cfg;
    char key[64];
    bool found;

    /* rotary_emb_base and rotary_pct are GPT-NeoX's spellings */
    if ((st = rope_number(lv, dicts, "rope_theta", "rope_theta", "rotary_emb_base",
                          &c->rope_theta, &found, key, sizeof key)) != IA_OK)
        return st;
    if (found)
        lv->have |= P_ROPE_THETA;
    if ((st = rope_number(lv, dicts, "partial_rotary_factor", "partial_rotary_factor",
                          "rotary_pct", &c->partial_rotary_factor, &found, key, sizeof key)) !=
        IA_OK)
        return st;
    if (found) {
        lv->have |= P_PARTIAL;
        if (c->partial_rotary_factor > 1)
            return ia_error_set(lv->err, IA_ERR_INVALID,
                                "%s: key '%s%s' must be at most 1 (the share of each head that "
                                "rotates), found %g",
                                lv->file, lv->prefix, key, c->partial_rotary_factor);
    }

    /* type and factor: from the scaling dict when there is one */
    const cJSON *d = scaling ? scaling : params;
    if (!d)
        return IA_OK;
    const char *dname = scaling ? "rope_scaling." : "rope_parameters.";
    const char *type_keys[] = {"rope_type", "type"};
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, type_keys[i]);
        if (!v || cJSON_IsNull(v))
            continue;
        snprintf(key, sizeof key, "%s%s", dname, type_keys[i]);
        if ((st = string_value(lv, key, v, c->rope_type, sizeof c->rope_type)) != IA_OK)
            return st;
        if (fam && (fam->flags & F_SU_LONGROPE) &&
            (strcmp(c->rope_type, "su") == 0 || strcmp(c->rope_type, "yarn") == 0))
            snprintf(c->rope_type, sizeof c->rope_type, "longrope");
        lv->have |= P_ROPE_TYPE;
        break;
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, "factor");
    if (v && !cJSON_IsNull(v)) {
        snprintf(key, sizeof key, "%sfactor", dname);
        if ((st = number_value(lv, key, v, &c->rope_scaling_factor)) != IA_OK)
            return st;
        lv->have |= P_ROPE_FACTOR;
    }
    return IA_OK;
}

/* Everything one object says, with no defaults yet. */
static ia_status read_level(level *lv, const family *fam)
{
    ia_model_config *c = &lv->cfg;
    const family none = {0};
    const family *f = fam ? fam : &none;
    ia_status st;

    if ((st = READ_INT(lv, 1, P_VOCAB, &c->vocab_size, "vocab_size")) != IA_OK ||
        (st = READ_INT(lv, 1, P_HIDDEN, &c->hidden_size, f->k_hidden, "hidden_size", "n_embd",
                       "d_model")) != IA_OK ||
        (st = READ_INT(lv, 1, P_INTER, &c->intermediate_size, f->k_inter, "intermediate_size",
                       "n_inner", "d_ff", "ffn_dim")) != IA_OK ||
        (st = READ_INT(lv, 1, P_LAYERS, &c->num_hidden_layers, f->k_layers, "num_hidden_layers",
                       "n_layer", "num_layers")) != IA_OK ||
        (st = READ_INT(lv, 1, P_HEADS, &c->num_attention_heads, f->k_heads,
                       "num_attention_heads", "n_head", "num_heads")) != IA_OK ||
        (st = READ_INT(lv, 1, P_KV, &c->num_key_value_heads, "num_key_value_heads",
                       "num_kv_heads")) != IA_OK ||
        (st = READ_INT(lv, 1, P_HEAD_DIM, &c->head_dim, f->k_head_dim, "head_dim")) != IA_OK ||
        (st = READ_INT(lv, 1, P_MAX_POS, &c->max_position_embeddings, f->k_max_pos,
                       "max_position_embeddings", "n_positions")) != IA_OK ||
        (st = READ_INT(lv, 0, P_TYPE_VOCAB, &c->type_vocab_size, "type_vocab_size")) != IA_OK ||
        (st = READ_INT(lv, 0, P_SLIDING, &c->sliding_window, "sliding_window")) != IA_OK)
        return st;

    const char *name = NULL;
    bool nulled;
    const char *eps_keys[] = {"layer_norm_eps", "rms_norm_eps", "layer_norm_epsilon"};
    const cJSON *v = find_key(lv->obj, eps_keys, 3, &name, &nulled);
    if (v) {
        if ((st = number_value(lv, name, v, &c->layer_norm_eps)) != IA_OK)
            return st;
        lv->have |= P_EPS;
    }

    const char *act_keys[] = {f->k_act, "hidden_act", "activation_function"};
    v = find_key(lv->obj, act_keys, 3, &name, &nulled);
    if (v) {
        if ((st = string_value(lv, name, v, c->hidden_act, sizeof c->hidden_act)) != IA_OK)
            return st;
        if ((f->flags & F_T5_ACT) && strcmp(name, "feed_forward_proj") == 0) {
            char proj[sizeof c->hidden_act];
            memcpy(proj, c->hidden_act, sizeof proj);
            if ((st = t5_activation(lv, name, proj, c->hidden_act, sizeof c->hidden_act)) !=
                IA_OK)
                return st;
        }
        lv->have |= P_ACT;
    }

    const char *dtype_keys[] = {"dtype", "torch_dtype"};
    v = find_key(lv->obj, dtype_keys, 2, &name, &nulled);
    if (v) {
        if ((st = string_value(lv, name, v, c->torch_dtype, sizeof c->torch_dtype)) != IA_OK)
            return st;
        if (strncmp(c->torch_dtype, "torch.", 6) == 0)
            memmove(c->torch_dtype, c->torch_dtype + 6, strlen(c->torch_dtype + 6) + 1);
        lv->have |= P_DTYPE;
    }

    bool present, b = false;
    if ((st = read_bool(lv, "tie_word_embeddings", &b, &present)) != IA_OK)
        return st;
    if (present) {
        c->tie_word_embeddings = b;
        lv->have |= P_TIE;
    }
    if ((st = read_bool(lv, "use_sliding_window", &b, &present)) != IA_OK)
        return st;
    lv->use_sliding = present ? b : -1;

    if ((st = read_token(lv, "bos_token_id", P_BOS, &c->bos_token_id)) != IA_OK ||
        (st = read_token(lv, "eos_token_id", P_EOS, &c->eos_token_id)) != IA_OK ||
        (st = read_token(lv, "pad_token_id", P_PAD, &c->pad_token_id)) != IA_OK)
        return st;
    return read_rope(lv, fam);
}

/* Fills what the object did not say from the family's defaults. */
static ia_status apply_defaults(level *lv, const family *fam)
{
    ia_model_config *c = &lv->cfg;
    unsigned have = lv->have;
    if (!(have & P_TIE))
        c->tie_word_embeddings = !(fam && (fam->flags & F_UNTIED));
    if (!fam)
        return IA_OK;
    if (!(have & P_VOCAB))
        c->vocab_size = fam->vocab;
    if (!(have & P_HIDDEN))
        c->hidden_size = fam->hidden;
    if (!(have & P_LAYERS))
        c->num_hidden_layers = fam->layers;
    if (!(have & P_HEADS))
        c->num_attention_heads = fam->heads;
    if (!(have & P_INTER)) /* absent or null */
        c->intermediate_size = (fam->flags & F_INTER_4X) ? 4 * c->hidden_size : fam->inter;
    if (!(have & P_KV) && !(lv->nulled & P_KV))
        c->num_key_value_heads = fam->kv_heads;
    if (!(have & P_HEAD_DIM) && !(lv->nulled & P_HEAD_DIM))
        c->head_dim = fam->head_dim;
    if (!(have & P_MAX_POS))
        c->max_position_embeddings = fam->max_pos;
    if (!(have & P_TYPE_VOCAB))
        c->type_vocab_size = fam->type_vocab;
    if (!(have & P_EPS))
        c->layer_norm_eps = fam->eps;
    if (!(have & P_ACT) && fam->act) {
        if (fam->flags & F_T5_ACT) {
            ia_status st = t5_activation(lv, "feed_forward_proj", fam->act, c->hidden_act,
                                         sizeof c->hidden_act);
            if (st != IA_OK)
                return st;
        } else {
            snprintf(c->hidden_act, sizeof c->hidden_act, "%s", fam->act);
        }
    }
    if (!(have & P_ROPE_THETA))
        c->rope_theta = fam->rope_theta;
    if (!(have & P_PARTIAL))
        c->partial_rotary_factor = fam->partial_rotary;
    if (!(have & P_SLIDING) && !(lv->nulled & P_SLIDING))
        c->sliding_window = fam->sliding_window;
    if ((fam->flags & F_SLIDING_OPT_IN) && lv->use_sliding != 1)
        c->sliding_window = 0;
    if (!(have & P_BOS))
        c->bos_token_id = fam->bos;
    if (!(have & P_EOS))
        c->eos_token_id = fam->eos;
    if (!(have & P_PAD))
        c->pad_token_id = fam->pad;
    return IA_OK;
}

static void level_init(level *lv, const char *file, const char *prefix, const cJSON *obj,
                       ia_error *err)
{
    memset(lv, 0, sizeof *lv);
    lv->file = file;
    lv->prefix = prefix;
    lv->obj = obj;
    lv->err = err;
    lv->cfg.bos_token_id = lv->cfg.eos_token_id = lv->cfg.pad_token_id = -1;
    lv->use_sliding = -1;
}

/* Copies into the top level every field it did not give itself. */
static void merge_text(level *top, const level *text)
{
    ia_model_config *c = &top->cfg;
    const ia_model_config *t = &text->cfg;
    unsigned have = top->have;
#define TAKE(bit, field)                                                                      \
    if (!(have & (bit)))                                                                       \
        c->field = t->field;
    TAKE(P_VOCAB, vocab_size)
    TAKE(P_HIDDEN, hidden_size)
    TAKE(P_INTER, intermediate_size)
    TAKE(P_LAYERS, num_hidden_layers)
    TAKE(P_HEADS, num_attention_heads)
    TAKE(P_KV, num_key_value_heads)
    TAKE(P_HEAD_DIM, head_dim)
    TAKE(P_MAX_POS, max_position_embeddings)
    TAKE(P_TYPE_VOCAB, type_vocab_size)
    TAKE(P_EPS, layer_norm_eps)
    TAKE(P_ROPE_THETA, rope_theta)
    TAKE(P_PARTIAL, partial_rotary_factor)
    TAKE(P_ROPE_FACTOR, rope_scaling_factor)
    TAKE(P_SLIDING, sliding_window)
    TAKE(P_TIE, tie_word_embeddings)
    TAKE(P_BOS, bos_token_id)
    TAKE(P_EOS, eos_token_id)
    TAKE(P_PAD, pad_token_id)
#undef TAKE
    if (!(have & P_ACT))
        memcpy(c->hidden_act, t->hidden_act, sizeof c->hidden_act);
    if (!(have & P_ROPE_TYPE))
        memcpy(c->rope_type, t->rope_type, sizeof c->rope_type);
    if (!(have & P_DTYPE))
        memcpy(c->torch_dtype, t->torch_dtype, sizeof c->torch_dtype);
}

/* Derived values, and the checks that need the whole. */
static ia_status finish(level *lv, const family *fam, const char *model_type)
{
    ia_model_config *c = &lv->cfg;
    if (c->hidden_size == 0 && !(fam && (fam->flags & F_NO_HIDDEN)))
        return ia_error_set(lv->err, IA_ERR_PARSE,
                            "%s: key 'hidden_size' is missing (nor n_embd, d_model or "
                            "text_config.hidden_size), and model_type '%s' has no default for it",
                            lv->file, model_type);
    if (c->partial_rotary_factor == 0)
        c->partial_rotary_factor = 1;
    if (c->rope_scaling_factor == 0)
        c->rope_scaling_factor = 1;
    if (!c->rope_type[0])
        snprintf(c->rope_type, sizeof c->rope_type, "default");
    if (c->num_key_value_heads == 0)
        c->num_key_value_heads = c->num_attention_heads;
    if (c->head_dim == 0 && c->num_attention_heads > 0) {
        if (c->hidden_size % c->num_attention_heads != 0)
            return ia_error_set(lv->err, IA_ERR_INVALID,
                                "%s: hidden_size must be divisible by num_attention_heads (got "
                                "%" PRId64 " and %" PRId64 ")",
                                lv->file, c->hidden_size, c->num_attention_heads);
        c->head_dim = c->hidden_size / c->num_attention_heads;
    }
    if (c->num_key_value_heads > 0 && c->num_attention_heads % c->num_key_value_heads != 0)
        return ia_error_set(lv->err, IA_ERR_INVALID,
                            "%s: num_attention_heads must be a multiple of num_key_value_heads "
                            "(got %" PRId64 " and %" PRId64 ")",
                            lv->file, c->num_attention_heads, c->num_key_value_heads);
    if (c->intermediate_size > SIZE_LIMIT)
        return ia_error_set(lv->err, IA_ERR_INVALID,
                            "%s: intermediate_size %" PRId64 " is more than the %" PRId64
                            " this reader accepts",
                            lv->file, c->intermediate_size, SIZE_LIMIT);
    return IA_OK;
}

/* "line L, column C" of a position in text. */
static void text_position(const char *text, const char *pos, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; p < pos; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static ia_status parse_document(const char *file_name, const cJSON *doc, ia_model_config *out,
                                ia_error *err)
{
    level top;
    level_init(&top, file_name, "", doc, err);
    ia_status st;

    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(doc, "model_type");
    if (!mt || cJSON_IsNull(mt))
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: key 'model_type' is missing: a Hugging Face config names its "
                            "model family there (\"bert\", \"llama\", ...)",
                            file_name);
    if ((st = string_value(&top, "model_type", mt, top.cfg.model_type,
                           sizeof top.cfg.model_type)) != IA_OK)
        return st;
    if (!top.cfg.model_type[0])
        return ia_error_set(err, IA_ERR_PARSE, "%s: key 'model_type' is empty", file_name);

    const cJSON *arch = cJSON_GetObjectItemCaseSensitive(doc, "architectures");
    if (arch && !cJSON_IsNull(arch)) {
        if (!cJSON_IsArray(arch))
            return bad_type(&top, "architectures", "a list of class names", arch);
        const cJSON *item;
        cJSON_ArrayForEach(item, arch) {
            if (!cJSON_IsString(item))
                return ia_error_set(err, IA_ERR_PARSE,
                                    "%s: key 'architectures' must be a list of class names, "
                                    "found a list holding %s",
                                    file_name, json_kind(item));
        }
        if (arch->child &&
            (st = string_value(&top, "architectures", arch->child, top.cfg.architecture,
                               sizeof top.cfg.architecture)) != IA_OK)
            return st;
    }

    const family *fam = family_find(top.cfg.model_type);
    if ((st = read_level(&top, fam)) != IA_OK)
        return st;

    const cJSON *text = cJSON_GetObjectItemCaseSensitive(doc, "text_config");
    if (text && cJSON_IsNull(text))
        text = NULL;
    if (text && !cJSON_IsObject(text))
        return bad_type(&top, "text_config", "an object", text);
    if (fam && !fam->text_family) {
        st = apply_defaults(&top, fam);
    } else if (text || fam) {
        /* A composite model (or an unknown one with a text_config): the top
         * level's own values win; its language model fills the rest. */
        level tl;
        static const cJSON empty = {.type = cJSON_Object};
        level_init(&tl, file_name, "text_config.", text ? text : &empty, err);
        const family *tfam = fam ? family_find(fam->text_family) : NULL;
        const cJSON *tmt = text ? cJSON_GetObjectItemCaseSensitive(text, "model_type") : NULL;
        if (tmt && !cJSON_IsNull(tmt)) {
            char name[64];
            if ((st = string_value(&tl, "model_type", tmt, name, sizeof name)) != IA_OK)
                return st;
            tfam = family_find(name);
        }
        if ((st = read_level(&tl, tfam)) != IA_OK || (st = apply_defaults(&tl, tfam)) != IA_OK)
            return st;
        merge_text(&top, &tl);
    } else {
        st = apply_defaults(&top, NULL);
    }
    if (st != IA_OK)
        return st;
    if ((st = finish(&top, fam, top.cfg.model_type)) != IA_OK)
        return st;
    *out = top.cfg;
    return IA_OK;
}

ia_status ia_model_config_parse(const char *file_name, const char *text, size_t len,
                                ia_model_config *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    if (!file_name)
        file_name = "config.json";
    size_t start = 0;
    while (start < len && (text[start] == ' ' || text[start] == '\t' || text[start] == '\n' ||
                           text[start] == '\r'))
        start++;
    if (start == len)
        return ia_error_set(err, IA_ERR_PARSE, "%s: the file is empty; expected a JSON object",
                            file_name);
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc) {
        int line, col;
        text_position(text, end && end >= text && end <= text + len ? end : text, &line, &col);
        return ia_error_set(err, IA_ERR_PARSE, "%s: invalid JSON at line %d, column %d", file_name,
                            line, col);
    }
    const char *p = end ? end : text + len;
    while (p < text + len && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    if (p < text + len) {
        int line, col;
        text_position(text, p, &line, &col);
        cJSON_Delete(doc);
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s: invalid JSON: unexpected text after the object at line %d, "
                            "column %d",
                            file_name, line, col);
    }
    if (!cJSON_IsObject(doc)) {
        ia_status st = ia_error_set(err, IA_ERR_PARSE,
                                    "%s: expected a JSON object at the top level, found %s",
                                    file_name, json_kind(doc));
        cJSON_Delete(doc);
        return st;
    }
    ia_status st = parse_document(file_name, doc, out, err);
    if (st != IA_OK) {
        cJSON_Delete(doc);
        memset(out, 0, sizeof *out);
        return st;
    }
    out->json = doc;
    return IA_OK;
}

ia_status ia_model_config_load(const char *path, ia_model_config *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    char file[4096];
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(path);
        int w = snprintf(file, sizeof file, "%s%sconfig.json", path,
                         n > 0 && path[n - 1] == '/' ? "" : "/");
        if (w < 0 || (size_t)w >= sizeof file)
            return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", path);
    } else {
        if (strlen(path) >= sizeof file)
            return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", path);
        snprintf(file, sizeof file, "%s", path);
    }
    char *text = NULL;
    size_t len = 0;
    ia_status st = ia_file_read_all(file, CONFIG_MAX_BYTES, &text, &len, err);
    if (st != IA_OK)
        return st;
    st = ia_model_config_parse(file, text, len, out, err);
    free(text);
    return st;
}

void ia_model_config_free(ia_model_config *cfg)
{
    if (!cfg)
        return;
    cJSON_Delete(cfg->json);
    cfg->json = NULL;
}
