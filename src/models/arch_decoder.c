/*
 * The decoder-only template: GPT-2, OPT, GPT-NeoX, and Llama with its
 * relatives (Mistral, Qwen2, Qwen3, Gemma, Phi-3), as one causal
 * transformer whose parts the variant (MV_* flags) and config.json choose:
 *
 *   embeddings   token table (Gemma: times sqrt(hidden) rounded to the
 *                table's dtype; OPT: project_in), plus learned positions
 *                (GPT-2 from 0, OPT from 2 over the attention mask's
 *                cumsum) or none (rotary in attention)
 *   each layer   norm (RMSNorm, Gemma's (1 + w), or LayerNorm), attention
 *                (q, k, v separate, fused one after another, or GPT-NeoX's
 *                per-head [q, k, v]; Qwen3's per-head RMSNorm on q and k;
 *                rotary on the first rotary_dim dims; grouped-query; a
 *                sliding window per layer), residual, norm, MLP (SwiGLU
 *                gate/up/down, Phi-3's fused gate_up, or fc1/act/fc2),
 *                residual; GPT-NeoX may run attention and MLP in parallel
 *                from the same input, OPT-350m normalises after the residual
 *   head         final norm, OPT's project_out, lm_head (tied or not)
 *
 * Rotary scaling: default and linear run as the engine's ROPE op; llama3,
 * longrope and yarn with frequency tables computed here at load, in
 * transformers' float32 arithmetic; dynamic is none within the context.
 *
 * Weights are bound once in load. A forward pass keeps the residual stream
 * in a buffer of the state and resets the arena after every layer, so the
 * scratch of a pass is that of one layer, whatever the depth. Generation
 * (generate.c for the bookkeeping) keeps a KV cache of the whole call,
 * [B, Hkv, T, D] per layer, filled by one batched prefill and then one
 * position per step; the logits are computed for the last position only.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/generate.h"
#include "models/model_internal.h"

enum qkv_layout {
    QKV_SEPARATE, /* q_proj, k_proj, v_proj */
    QKV_FUSED,    /* one projection: all q, then k, then v (Phi-3, GPT-2) */
    QKV_PER_HEAD  /* one projection laid out [heads, 3, head_dim] (GPT-NeoX) */
};

enum mlp_kind {
    MLP_GATED,       /* down(act(gate(x)) * up(x)) */
    MLP_GATED_FUSED, /* the same with gate and up in one [2I, hidden] weight (Phi-3) */
    MLP_PLAIN        /* down(act(up(x))): fc1/fc2, c_fc/c_proj, dense_h_to_4h/4h_to_h */
};

enum rope_kind {
    ROPE_NONE,
    ROPE_OP,   /* the engine's op: default and linear scaling */
    ROPE_TABLE /* our own inverse frequencies (llama3, longrope, yarn) */
};

typedef struct dec_layer {
    ia_tensor ln1_w, ln1_b, ln2_w, ln2_b;
    ia_tensor q_w, q_b, k_w, k_b, v_w, v_b; /* QKV_SEPARATE */
    ia_tensor qkv_w, qkv_b;                 /* fused layouts */
    ia_tensor q_norm, k_norm;               /* Qwen3 */
    ia_tensor o_w, o_b;
    ia_tensor gate_w, gate_b; /* MLP_GATED */
    ia_tensor up_w, up_b;     /* MLP_GATED_FUSED: gate_up */
    ia_tensor down_w, down_b;
    int window;  /* sliding window; 0 = none */
    float scale; /* attention scale; 0 = 1 / sqrt(head_dim) */
} dec_layer;

typedef struct dec_state {
    int64_t L, hidden, H, Hkv, D, inter, vocab;
    int64_t learned_positions; /* rows of the position table usable; 0 with rotary */
    int64_t position_offset;   /* OPT: 2 */
    bool opt_positions;        /* positions from the attention mask's cumsum (OPT) */
    enum qkv_layout qkv;
    enum mlp_kind mlp;
    bool layer_norm; /* LayerNorm; else RMSNorm */
    bool one_plus;   /* Gemma's RMSNorm (1 + w) */
    bool parallel;   /* GPT-NeoX: x + attn(ln1(x)) + mlp(ln2(x)) */
    bool post_norm;  /* OPT with do_layer_norm_before false */
    bool w_in_out;   /* GPT-2's Conv1D weights [in, out] */
    bool qk_norm;
    float eps;
    ia_activation act;
    enum rope_kind rope;
    int rotary_dim;
    float theta, rope_linear;
    float *inv_freq;      /* ROPE_TABLE: rotary_dim / 2 */
    float *inv_long;      /* longrope: the frequencies of calls reaching past long_after */
    int64_t long_after;
    float rope_mscale;    /* longrope, yarn: cos and sin times this; 0 = 1 */
    int64_t rope_context; /* dynamic scaling: identical to none up to here */
    float embed_scale;    /* Gemma; 0 = none */
    ia_tensor embed, pos_embed, proj_in, proj_out, final_w, final_b, lm_head;
    bool final_norm; /* OPT-350m has none */
    dec_layer *layers;
    /* per-pass buffers outside the arena (grown, never shrunk) */
    float *resid;
    size_t resid_cap;
    unsigned char *mask;
    size_t mask_cap;
    int64_t *positions;
    size_t positions_cap;
} dec_state;

/* A KV cache: per layer [B, Hkv, T, D], positions [0, past) filled. */
typedef struct dec_cache {
    ia_tensor *k, *v;
    float *data;
    int64_t past;
} dec_cache;

/* ------------------------------------------------------------------ config */

static const cJSON *jkey(const ia_model *m, const char *key)
{
    return m->cfg.json ? cJSON_GetObjectItemCaseSensitive(m->cfg.json, key) : NULL;
}

static bool jbool(const ia_model *m, const char *key, bool def)
{
    const cJSON *v = jkey(m, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/* The rope dict (rope_scaling, else transformers 5's rope_parameters; its
 * full_attention entry when keyed by layer type). */
static const cJSON *rope_dict(const ia_model *m)
{
    const cJSON *d = jkey(m, "rope_scaling");
    if (!cJSON_IsObject(d))
        d = jkey(m, "rope_parameters");
    if (!cJSON_IsObject(d))
        return NULL;
    const cJSON *full = cJSON_GetObjectItemCaseSensitive(d, "full_attention");
    if (cJSON_IsObject(full) && !cJSON_GetObjectItemCaseSensitive(d, "rope_type"))
        return full;
    return d;
}

static ia_status rope_number(const ia_model *m, const cJSON *d, const char *key, double *out,
                             ia_error *err)
{
    const cJSON *v = d ? cJSON_GetObjectItemCaseSensitive(d, key) : NULL;
    if (!cJSON_IsNumber(v))
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: rope type '%s' needs the number '%s' in its "
                            "rope_scaling (or rope_parameters)",
                            m->path, m->cfg.rope_type, key);
    *out = v->valuedouble;
    return IA_OK;
}

/* Llama 3's frequency-dependent scaling (_compute_llama3_parameters), in
 * float32 as transformers computes it. */
static ia_status llama3_frequencies(const ia_model *m, dec_state *s, ia_error *err)
{
    const cJSON *d = rope_dict(m);
    double factor = m->cfg.rope_scaling_factor, low = 0, high = 0, old_ctx = 0;
    ia_status st;
    if ((st = rope_number(m, d, "low_freq_factor", &low, err)) != IA_OK ||
        (st = rope_number(m, d, "high_freq_factor", &high, err)) != IA_OK ||
        (st = rope_number(m, d, "original_max_position_embeddings", &old_ctx, err)) != IA_OK)
        return st;
    if (!(high > low) || !(low > 0) || !(factor > 0))
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: llama3 rope scaling needs factor > 0 and "
                            "high_freq_factor > low_freq_factor > 0 (got %g, %g, %g)",
                            m->path, factor, high, low);
    int half = s->rotary_dim / 2;
    s->inv_freq = malloc((size_t)half * sizeof *s->inv_freq);
    if (!s->inv_freq)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    float low_wavelen = (float)(old_ctx / low), high_wavelen = (float)(old_ctx / high);
    for (int i = 0; i < half; i++) {
        float e = (float)(2 * i) / (float)s->rotary_dim;
        float inv = 1.0f / (float)pow((double)s->theta, (double)e);
        float wavelen = (float)(2 * M_PI) / inv;
        float scaled = wavelen > low_wavelen ? inv / (float)factor : inv;
        if (!(wavelen < high_wavelen) && !(wavelen > low_wavelen)) {
            float smooth = ((float)old_ctx / wavelen - (float)low) / (float)(high - low);
            scaled = (1 - smooth) * scaled / (float)factor + smooth * scaled;
        }
        s->inv_freq[i] = scaled;
    }
    return IA_OK;
}

/* original_max_position_embeddings: the rope dict's, else the config's,
 * else max_position_embeddings. */
static double original_context(const ia_model *m, const cJSON *d)
{
    const cJSON *o = d ? cJSON_GetObjectItemCaseSensitive(d, "original_max_position_embeddings")
                       : NULL;
    if (!cJSON_IsNumber(o))
        o = jkey(m, "original_max_position_embeddings");
    return cJSON_IsNumber(o) && o->valuedouble >= 1 ? o->valuedouble
                                                     : (double)m->cfg.max_position_embeddings;
}

/* A longrope factor list of rotary_dim / 2 numbers into 1 / (f * base^(2i/rd)). */
static ia_status longrope_list(const ia_model *m, const cJSON *d, const char *key, dec_state *s,
                               float **out, ia_error *err)
{
    int half = s->rotary_dim / 2;
    const cJSON *v = d ? cJSON_GetObjectItemCaseSensitive(d, key) : NULL;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != half)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: rope type 'longrope' needs '%s', a list of %d "
                            "numbers (rotary dimensions / 2)",
                            m->path, key, half);
    *out = malloc((size_t)half * sizeof **out);
    if (!*out)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (!cJSON_IsNumber(e) || !(e->valuedouble > 0))
            return ia_error_set(err, IA_ERR_INVALID,
                                "%s/config.json: '%s' must hold positive numbers", m->path, key);
        float shape = (float)(2 * i) / (float)s->rotary_dim;
        (*out)[i] = 1.0f / ((float)e->valuedouble * (float)pow((double)s->theta, (double)shape));
    }
    return IA_OK;
}

/* Phi-3's LongRoPE (_compute_longrope_parameters and transformers'
 * longrope_frequency_update): short factors while a call's positions stay
 * within original_max_position_embeddings, long factors for a call that
 * reaches past it; cos and sin scaled by the attention factor. */
static ia_status longrope_frequencies(const ia_model *m, dec_state *s, ia_error *err)
{
    const cJSON *d = rope_dict(m);
    double orig = original_context(m, d);
    const cJSON *f = d ? cJSON_GetObjectItemCaseSensitive(d, "factor") : NULL;
    const cJSON *af = d ? cJSON_GetObjectItemCaseSensitive(d, "attention_factor") : NULL;
    double factor = cJSON_IsNumber(f) ? f->valuedouble
                                      : (double)m->cfg.max_position_embeddings / orig;
    double attention = cJSON_IsNumber(af) ? af->valuedouble
                       : factor <= 1.0    ? 1.0
                                          : sqrt(1 + log(factor) / log(orig));
    s->rope_mscale = (float)attention;
    s->long_after = (int64_t)orig;
    ia_status st = longrope_list(m, d, "short_factor", s, &s->inv_freq, err);
    if (st == IA_OK)
        st = longrope_list(m, d, "long_factor", s, &s->inv_long, err);
    return st;
}

static double yarn_mscale(double scale, double mscale)
{
    return scale <= 1 ? 1.0 : 0.1 * mscale * log(scale) + 1.0;
}

/* The dimension whose wavelength makes num_rotations turns over the
 * original context (find_correction_dim). */
static double yarn_dim(double rotations, double dim, double base, double context)
{
    return dim * log(context / (rotations * 2 * M_PI)) / (2 * log(base));
}

/* YaRN (_compute_yarn_parameters): interpolated and extrapolated
 * frequencies blended by a linear ramp over the correction range, cos and
 * sin times the attention factor; float32 where transformers uses tensors. */
static ia_status yarn_frequencies(const ia_model *m, dec_state *s, ia_error *err)
{
    const cJSON *d = rope_dict(m);
    double orig = original_context(m, d);
    const cJSON *v = d ? cJSON_GetObjectItemCaseSensitive(d, "factor") : NULL;
    double factor = cJSON_IsNumber(v) ? v->valuedouble
                                      : (double)m->cfg.max_position_embeddings / orig;
    if (!(factor > 0) || orig <= 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: rope type 'yarn' needs a positive factor (got %g)",
                            m->path, factor);
#define YNUM(key, def)                                                                        \
    (d && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, key)) &&                          \
             cJSON_GetObjectItemCaseSensitive(d, key)->valuedouble != 0                        \
         ? cJSON_GetObjectItemCaseSensitive(d, key)->valuedouble                               \
         : (def))
    double mscale = YNUM("mscale", 0), mscale_all = YNUM("mscale_all_dim", 0);
    double beta_fast = YNUM("beta_fast", 32), beta_slow = YNUM("beta_slow", 1);
#undef YNUM
    const cJSON *af = d ? cJSON_GetObjectItemCaseSensitive(d, "attention_factor") : NULL;
    double attention = cJSON_IsNumber(af) ? af->valuedouble
                       : mscale != 0 && mscale_all != 0
                           ? yarn_mscale(factor, mscale) / yarn_mscale(factor, mscale_all)
                           : yarn_mscale(factor, 1);
    const cJSON *tr = d ? cJSON_GetObjectItemCaseSensitive(d, "truncate") : NULL;
    bool truncate = !cJSON_IsBool(tr) || cJSON_IsTrue(tr);
    double dim = s->rotary_dim, base = s->theta;
    double low = yarn_dim(beta_fast, dim, base, orig), high = yarn_dim(beta_slow, dim, base, orig);
    if (truncate) {
        low = floor(low);
        high = ceil(high);
    }
    low = low > 0 ? low : 0;
    high = high < dim - 1 ? high : dim - 1;
    if (low == high)
        high += 0.001; /* transformers' guard against a zero-width ramp */
    int half = s->rotary_dim / 2;
    s->inv_freq = malloc((size_t)half * sizeof *s->inv_freq);
    if (!s->inv_freq)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    for (int i = 0; i < half; i++) {
        float pos_freq = (float)pow(base, (double)((float)(2 * i) / (float)dim));
        float extra = 1.0f / pos_freq, inter = 1.0f / ((float)factor * pos_freq);
        float ramp = ((float)i - (float)low) / (float)(high - low);
        ramp = ramp < 0 ? 0 : ramp > 1 ? 1 : ramp;
        float keep = 1 - ramp; /* the extrapolation's share */
        s->inv_freq[i] = inter * (1 - keep) + extra * keep;
    }
    s->rope_mscale = (float)attention;
    return IA_OK;
}

static ia_status setup_rope(const ia_model *m, dec_state *s, ia_error *err)
{
    const ia_model_config *c = &m->cfg;
    s->rotary_dim = (int)((double)s->D * c->partial_rotary_factor);
    if (s->rotary_dim <= 0 || s->rotary_dim % 2 != 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: the rotary part of each head (head_dim %lld x "
                            "partial_rotary_factor %g = %d) must be even and positive",
                            m->path, (long long)s->D, c->partial_rotary_factor, s->rotary_dim);
    s->theta = c->rope_theta > 0 ? (float)c->rope_theta : 10000.0f;
    const char *t = c->rope_type;
    if (strcmp(t, "default") == 0 || strcmp(t, "") == 0) {
        s->rope = ROPE_OP;
    } else if (strcmp(t, "linear") == 0) {
        s->rope = ROPE_OP;
        s->rope_linear = (float)c->rope_scaling_factor;
    } else if (strcmp(t, "dynamic") == 0) {
        /* NTK scaling changes nothing until the sequence outgrows the
         * context it was trained for. */
        s->rope = ROPE_OP;
        s->rope_context = c->max_position_embeddings;
    } else if (strcmp(t, "llama3") == 0) {
        s->rope = ROPE_TABLE;
        return llama3_frequencies(m, s, err);
    } else if (strcmp(t, "longrope") == 0) {
        s->rope = ROPE_TABLE;
        return longrope_frequencies(m, s, err);
    } else if (strcmp(t, "yarn") == 0) {
        s->rope = ROPE_TABLE;
        return yarn_frequencies(m, s, err);
    } else {
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s/config.json: rope type '%s' is not supported yet (default, "
                            "linear, dynamic, llama3, longrope and yarn are)",
                            m->path, t);
    }
    return IA_OK;
}

/* Which layers slide: layer_types when given, else every layer (Mistral,
 * Phi-3) or those from max_window_layers on (Qwen2, Qwen3). */
static void setup_windows(const ia_model *m, dec_state *s)
{
    unsigned f = m->variant->flags;
    int64_t w = m->cfg.sliding_window;
    if (w <= 0 || !(f & (MV_SLIDING_WINDOW | MV_FUSED_QKV | MV_QKV_BIAS | MV_QK_NORM)))
        return;
    const cJSON *types = jkey(m, "layer_types");
    const cJSON *mwl = jkey(m, "max_window_layers");
    for (int64_t l = 0; l < s->L; l++) {
        bool slides;
        if (cJSON_IsArray(types)) {
            const cJSON *e = cJSON_GetArrayItem(types, (int)l);
            slides = cJSON_IsString(e) && strcmp(e->valuestring, "sliding_attention") == 0;
        } else if (f & (MV_QKV_BIAS | MV_QK_NORM)) {
            slides = l >= (cJSON_IsNumber(mwl) ? (int64_t)mwl->valuedouble : 28);
        } else {
            slides = true;
        }
        s->layers[l].window = slides ? (int)(w > INT32_MAX ? INT32_MAX : w) : 0;
    }
}

/* ----------------------------------------------------------------- weights */

/* Weight name (printf-style) under m->prefix; d1 == 0: 1-D. Norms and
 * biases (f32) are read as F32 copies. */
static ia_status wget(ia_model *m, ia_tensor *t, bool required, bool f32, int64_t d0, int64_t d1,
                      ia_error *err, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static ia_status wget(ia_model *m, ia_tensor *t, bool required, bool f32, int64_t d0, int64_t d1,
                      ia_error *err, const char *fmt, ...)
{
    char name[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    int64_t shape[2] = {d0, d1};
    int nd = d1 ? 2 : 1;
    return f32 ? ia_mw_get_f32(m, t, required, nd, shape, err, "%s", name)
               : ia_mw_get(m, t, required, nd, shape, err, "%s", name);
}

/* A weight outside the model's prefix (lm_head.weight, embed_out.weight). */
static ia_status wget_top(ia_model *m, ia_tensor *t, int64_t d0, int64_t d1, const char *name,
                          ia_error *err)
{
    const char *saved = m->prefix;
    m->prefix = "";
    ia_status st = wget(m, t, true, false, d0, d1, err, "%s", name);
    m->prefix = saved;
    return st;
}

#define L_ (long long)l

/* Llama and its relatives. */
static ia_status load_llama_layer(ia_model *m, dec_state *s, int64_t l, ia_error *err)
{
    dec_layer *y = &s->layers[l];
    unsigned f = m->variant->flags;
    int64_t E = s->hidden, H = s->H, K = s->Hkv, D = s->D, I = s->inter;
    bool qkv_bias = (f & MV_QKV_BIAS) || jbool(m, "attention_bias", false);
    bool o_bias = jbool(m, "attention_bias", false);
    bool mlp_bias = jbool(m, "mlp_bias", false);
    ia_status st;
    if ((st = wget(m, &y->ln1_w, true, true, E, 0, err, "layers.%lld.input_layernorm.weight", L_)) ||
        (st = wget(m, &y->ln2_w, true, true, E, 0, err,
                   "layers.%lld.post_attention_layernorm.weight", L_)) ||
        (st = wget(m, &y->o_w, true, false, E, H * D, err, "layers.%lld.self_attn.o_proj.weight",
                   L_)) ||
        (st = wget(m, &y->o_b, o_bias, true, E, 0, err, "layers.%lld.self_attn.o_proj.bias", L_)) ||
        (st = wget(m, &y->down_w, true, false, E, I, err, "layers.%lld.mlp.down_proj.weight", L_)) ||
        (st = wget(m, &y->down_b, mlp_bias, true, E, 0, err, "layers.%lld.mlp.down_proj.bias", L_)))
        return st;
    if (s->qkv == QKV_FUSED) {
        if ((st = wget(m, &y->qkv_w, true, false, (H + 2 * K) * D, E, err,
                       "layers.%lld.self_attn.qkv_proj.weight", L_)) ||
            (st = wget(m, &y->up_w, true, false, 2 * I, E, err,
                       "layers.%lld.mlp.gate_up_proj.weight", L_)))
            return st;
    } else {
        if ((st = wget(m, &y->q_w, true, false, H * D, E, err,
                       "layers.%lld.self_attn.q_proj.weight", L_)) ||
            (st = wget(m, &y->k_w, true, false, K * D, E, err,
                       "layers.%lld.self_attn.k_proj.weight", L_)) ||
            (st = wget(m, &y->v_w, true, false, K * D, E, err,
                       "layers.%lld.self_attn.v_proj.weight", L_)) ||
            (st = wget(m, &y->q_b, qkv_bias, true, H * D, 0, err,
                       "layers.%lld.self_attn.q_proj.bias", L_)) ||
            (st = wget(m, &y->k_b, qkv_bias, true, K * D, 0, err,
                       "layers.%lld.self_attn.k_proj.bias", L_)) ||
            (st = wget(m, &y->v_b, qkv_bias, true, K * D, 0, err,
                       "layers.%lld.self_attn.v_proj.bias", L_)) ||
            (st = wget(m, &y->gate_w, true, false, I, E, err, "layers.%lld.mlp.gate_proj.weight",
                       L_)) ||
            (st = wget(m, &y->up_w, true, false, I, E, err, "layers.%lld.mlp.up_proj.weight", L_)) ||
            (st = wget(m, &y->gate_b, mlp_bias, true, I, 0, err, "layers.%lld.mlp.gate_proj.bias",
                       L_)) ||
            (st = wget(m, &y->up_b, mlp_bias, true, I, 0, err, "layers.%lld.mlp.up_proj.bias", L_)))
            return st;
    }
    if (s->qk_norm &&
        ((st = wget(m, &y->q_norm, true, true, D, 0, err, "layers.%lld.self_attn.q_norm.weight",
                    L_)) ||
         (st = wget(m, &y->k_norm, true, true, D, 0, err, "layers.%lld.self_attn.k_norm.weight",
                    L_))))
        return st;
    return IA_OK;
}

static ia_status load_llama(ia_model *m, dec_state *s, ia_error *err)
{
    unsigned f = m->variant->flags;
    static const char *const prefixes[] = {"model.", ""};
    ia_status st = ia_mw_prefix(m, prefixes, 2, "embed_tokens.weight", err);
    if (st != IA_OK)
        return st;
    s->qkv = (f & MV_FUSED_QKV) ? QKV_FUSED : QKV_SEPARATE;
    s->mlp = (f & MV_FUSED_QKV) ? MLP_GATED_FUSED : MLP_GATED;
    s->qk_norm = (f & MV_QK_NORM) != 0;
    s->one_plus = (f & MV_GEMMA) != 0;
    s->final_norm = true;
    if ((st = wget(m, &s->embed, true, false, s->vocab, s->hidden, err, "embed_tokens.weight")) ||
        (st = wget(m, &s->final_w, true, true, s->hidden, 0, err, "norm.weight")))
        return st;
    if (f & MV_GEMMA) {
        /* transformers: normalizer = torch.tensor(hidden ** 0.5,
         * dtype=hidden_states.dtype), the dtype the model computes in. Ours
         * is F32 whatever the weights' dtype, as transformers' is when it
         * runs a BF16 checkpoint in float32; a BF16 pass would round this
         * to BF16 (45.25 for hidden 2048). */
        s->embed_scale = (float)sqrt((double)s->hidden);
    }
    if (m->cfg.tie_word_embeddings)
        s->lm_head = s->embed;
    else if ((st = wget_top(m, &s->lm_head, s->vocab, s->hidden, "lm_head.weight", err)))
        return st;
    for (int64_t l = 0; l < s->L; l++)
        if ((st = load_llama_layer(m, s, l, err)) != IA_OK)
            return st;
    return setup_rope(m, s, err);
}

static ia_status load_gpt2(ia_model *m, dec_state *s, ia_error *err)
{
    static const char *const prefixes[] = {"transformer.", ""};
    ia_status st = ia_mw_prefix(m, prefixes, 2, "wte.weight", err);
    if (st != IA_OK)
        return st;
    int64_t E = s->hidden, I = s->inter, P = m->cfg.max_position_embeddings;
    s->layer_norm = true;
    s->qkv = QKV_FUSED;
    s->mlp = MLP_PLAIN;
    s->w_in_out = true;
    s->learned_positions = P;
    s->final_norm = true;
    if ((st = wget(m, &s->embed, true, false, s->vocab, E, err, "wte.weight")) ||
        (st = wget(m, &s->pos_embed, true, false, P, E, err, "wpe.weight")) ||
        (st = wget(m, &s->final_w, true, true, E, 0, err, "ln_f.weight")) ||
        (st = wget(m, &s->final_b, true, true, E, 0, err, "ln_f.bias")))
        return st;
    if (m->cfg.tie_word_embeddings)
        s->lm_head = s->embed;
    else if ((st = wget_top(m, &s->lm_head, s->vocab, E, "lm_head.weight", err)))
        return st;
    bool scale_weights = jbool(m, "scale_attn_weights", true);
    bool by_layer = jbool(m, "scale_attn_by_inverse_layer_idx", false);
    for (int64_t l = 0; l < s->L; l++) {
        dec_layer *y = &s->layers[l];
        if ((st = wget(m, &y->ln1_w, true, true, E, 0, err, "h.%lld.ln_1.weight", L_)) ||
            (st = wget(m, &y->ln1_b, true, true, E, 0, err, "h.%lld.ln_1.bias", L_)) ||
            (st = wget(m, &y->ln2_w, true, true, E, 0, err, "h.%lld.ln_2.weight", L_)) ||
            (st = wget(m, &y->ln2_b, true, true, E, 0, err, "h.%lld.ln_2.bias", L_)) ||
            (st = wget(m, &y->qkv_w, true, false, E, 3 * E, err, "h.%lld.attn.c_attn.weight", L_)) ||
            (st = wget(m, &y->qkv_b, true, true, 3 * E, 0, err, "h.%lld.attn.c_attn.bias", L_)) ||
            (st = wget(m, &y->o_w, true, false, E, E, err, "h.%lld.attn.c_proj.weight", L_)) ||
            (st = wget(m, &y->o_b, true, true, E, 0, err, "h.%lld.attn.c_proj.bias", L_)) ||
            (st = wget(m, &y->up_w, true, false, E, I, err, "h.%lld.mlp.c_fc.weight", L_)) ||
            (st = wget(m, &y->up_b, true, true, I, 0, err, "h.%lld.mlp.c_fc.bias", L_)) ||
            (st = wget(m, &y->down_w, true, false, I, E, err, "h.%lld.mlp.c_proj.weight", L_)) ||
            (st = wget(m, &y->down_b, true, true, E, 0, err, "h.%lld.mlp.c_proj.bias", L_)))
            return st;
        float scale = scale_weights ? 1.0f / sqrtf((float)s->D) : 1.0f;
        y->scale = by_layer ? scale / (float)(l + 1) : scale;
    }
    return IA_OK;
}

static ia_status load_opt(ia_model *m, dec_state *s, ia_error *err)
{
    static const char *const prefixes[] = {"model.decoder.", "decoder.", ""};
    ia_status st = ia_mw_prefix(m, prefixes, 3, "embed_tokens.weight", err);
    if (st != IA_OK)
        return st;
    int64_t E = s->hidden, I = s->inter, P = m->cfg.max_position_embeddings;
    const cJSON *wp = jkey(m, "word_embed_proj_dim");
    int64_t W = cJSON_IsNumber(wp) && wp->valuedouble > 0 ? (int64_t)wp->valuedouble : E;
    bool before = jbool(m, "do_layer_norm_before", true);
    bool bias = jbool(m, "enable_bias", true);
    bool affine = jbool(m, "layer_norm_elementwise_affine", true);
    s->layer_norm = true;
    s->qkv = QKV_SEPARATE;
    s->mlp = MLP_PLAIN;
    s->post_norm = !before;
    s->learned_positions = P;
    s->position_offset = 2;
    s->opt_positions = true;
    if ((st = wget(m, &s->embed, true, false, s->vocab, W, err, "embed_tokens.weight")) ||
        (st = wget(m, &s->pos_embed, true, false, P + 2, E, err, "embed_positions.weight")))
        return st;
    if (W != E &&
        ((st = wget(m, &s->proj_in, true, false, E, W, err, "project_in.weight")) ||
         (st = wget(m, &s->proj_out, true, false, W, E, err, "project_out.weight"))))
        return st;
    s->final_norm = before && !jbool(m, "_remove_final_layer_norm", false);
    if (s->final_norm &&
        ((st = wget(m, &s->final_w, affine, true, E, 0, err, "final_layer_norm.weight")) ||
         (st = wget(m, &s->final_b, affine, true, E, 0, err, "final_layer_norm.bias"))))
        return st;
    if (m->cfg.tie_word_embeddings)
        s->lm_head = s->embed;
    else if ((st = wget_top(m, &s->lm_head, s->vocab, W, "lm_head.weight", err)))
        return st;
    for (int64_t l = 0; l < s->L; l++) {
        dec_layer *y = &s->layers[l];
        const char *a = "self_attn";
        if ((st = wget(m, &y->ln1_w, affine, true, E, 0, err, "layers.%lld.self_attn_layer_norm.weight", L_)) ||
            (st = wget(m, &y->ln1_b, affine, true, E, 0, err, "layers.%lld.self_attn_layer_norm.bias", L_)) ||
            (st = wget(m, &y->ln2_w, affine, true, E, 0, err, "layers.%lld.final_layer_norm.weight", L_)) ||
            (st = wget(m, &y->ln2_b, affine, true, E, 0, err, "layers.%lld.final_layer_norm.bias", L_)) ||
            (st = wget(m, &y->q_w, true, false, E, E, err, "layers.%lld.%s.q_proj.weight", L_, a)) ||
            (st = wget(m, &y->k_w, true, false, E, E, err, "layers.%lld.%s.k_proj.weight", L_, a)) ||
            (st = wget(m, &y->v_w, true, false, E, E, err, "layers.%lld.%s.v_proj.weight", L_, a)) ||
            (st = wget(m, &y->o_w, true, false, E, E, err, "layers.%lld.%s.out_proj.weight", L_, a)) ||
            (st = wget(m, &y->q_b, bias, true, E, 0, err, "layers.%lld.%s.q_proj.bias", L_, a)) ||
            (st = wget(m, &y->k_b, bias, true, E, 0, err, "layers.%lld.%s.k_proj.bias", L_, a)) ||
            (st = wget(m, &y->v_b, bias, true, E, 0, err, "layers.%lld.%s.v_proj.bias", L_, a)) ||
            (st = wget(m, &y->o_b, bias, true, E, 0, err, "layers.%lld.%s.out_proj.bias", L_, a)) ||
            (st = wget(m, &y->up_w, true, false, I, E, err, "layers.%lld.fc1.weight", L_)) ||
            (st = wget(m, &y->up_b, bias, true, I, 0, err, "layers.%lld.fc1.bias", L_)) ||
            (st = wget(m, &y->down_w, true, false, E, I, err, "layers.%lld.fc2.weight", L_)) ||
            (st = wget(m, &y->down_b, bias, true, E, 0, err, "layers.%lld.fc2.bias", L_)))
            return st;
    }
    return IA_OK;
}

static ia_status load_neox(ia_model *m, dec_state *s, ia_error *err)
{
    static const char *const prefixes[] = {"gpt_neox.", ""};
    ia_status st = ia_mw_prefix(m, prefixes, 2, "embed_in.weight", err);
    if (st != IA_OK)
        return st;
    int64_t E = s->hidden, I = s->inter, HD = s->H * s->D;
    if (s->Hkv != s->H)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: gpt_neox has as many key/value heads as query heads "
                            "(found %lld and %lld)",
                            m->path, (long long)s->Hkv, (long long)s->H);
    bool bias = jbool(m, "attention_bias", true);
    s->layer_norm = true;
    s->qkv = QKV_PER_HEAD;
    s->mlp = MLP_PLAIN;
    s->parallel = jbool(m, "use_parallel_residual", true);
    s->final_norm = true;
    if ((st = wget(m, &s->embed, true, false, s->vocab, E, err, "embed_in.weight")) ||
        (st = wget(m, &s->final_w, true, true, E, 0, err, "final_layer_norm.weight")) ||
        (st = wget(m, &s->final_b, true, true, E, 0, err, "final_layer_norm.bias")))
        return st;
    if (m->cfg.tie_word_embeddings)
        s->lm_head = s->embed;
    else if ((st = wget_top(m, &s->lm_head, s->vocab, E, "embed_out.weight", err)))
        return st;
    for (int64_t l = 0; l < s->L; l++) {
        dec_layer *y = &s->layers[l];
        if ((st = wget(m, &y->ln1_w, true, true, E, 0, err, "layers.%lld.input_layernorm.weight", L_)) ||
            (st = wget(m, &y->ln1_b, true, true, E, 0, err, "layers.%lld.input_layernorm.bias", L_)) ||
            (st = wget(m, &y->ln2_w, true, true, E, 0, err, "layers.%lld.post_attention_layernorm.weight", L_)) ||
            (st = wget(m, &y->ln2_b, true, true, E, 0, err, "layers.%lld.post_attention_layernorm.bias", L_)) ||
            (st = wget(m, &y->qkv_w, true, false, 3 * HD, E, err, "layers.%lld.attention.query_key_value.weight", L_)) ||
            (st = wget(m, &y->qkv_b, bias, true, 3 * HD, 0, err, "layers.%lld.attention.query_key_value.bias", L_)) ||
            (st = wget(m, &y->o_w, true, false, E, HD, err, "layers.%lld.attention.dense.weight", L_)) ||
            (st = wget(m, &y->o_b, bias, true, E, 0, err, "layers.%lld.attention.dense.bias", L_)) ||
            (st = wget(m, &y->up_w, true, false, I, E, err, "layers.%lld.mlp.dense_h_to_4h.weight", L_)) ||
            (st = wget(m, &y->up_b, true, true, I, 0, err, "layers.%lld.mlp.dense_h_to_4h.bias", L_)) ||
            (st = wget(m, &y->down_w, true, false, E, I, err, "layers.%lld.mlp.dense_4h_to_h.weight", L_)) ||
            (st = wget(m, &y->down_b, true, true, E, 0, err, "layers.%lld.mlp.dense_4h_to_h.bias", L_)))
            return st;
    }
    return setup_rope(m, s, err);
}
#undef L_

static void free_state(ia_model *m)
{
    dec_state *s = m->state;
    if (!s)
        return;
    free(s->layers);
    free(s->inv_freq);
    free(s->inv_long);
    free(s->resid);
    free(s->mask);
    free(s->positions);
    free(s);
    m->state = NULL;
}

static ia_status load(ia_model *m, ia_error *err)
{
    const ia_model_config *c = &m->cfg;
    unsigned f = m->variant->flags;
    dec_state *s = calloc(1, sizeof *s);
    if (!s)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    m->state = s;
    s->L = c->num_hidden_layers;
    s->hidden = c->hidden_size;
    s->H = c->num_attention_heads;
    s->Hkv = c->num_key_value_heads;
    s->D = c->head_dim;
    s->inter = c->intermediate_size;
    s->vocab = c->vocab_size;
    s->eps = (float)c->layer_norm_eps;
    if (s->vocab <= 0 || s->inter <= 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: vocab_size and intermediate_size must be positive "
                            "(found %lld and %lld)",
                            m->path, (long long)s->vocab, (long long)s->inter);
    if ((f & (MV_GPT2 | MV_OPT)) && s->H * s->D != s->hidden)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: hidden_size (%lld) must be num_attention_heads x "
                            "head_dim (%lld x %lld)",
                            m->path, (long long)s->hidden, (long long)s->H, (long long)s->D);
    /* Gemma names its MLP activation hidden_activation in some configs */
    const char *act = c->hidden_act;
    const cJSON *ha = (f & MV_GEMMA) ? jkey(m, "hidden_activation") : NULL;
    if (cJSON_IsString(ha))
        act = ha->valuestring;
    if (!ia_activation_from_name(act, &s->act))
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s/config.json: activation '%s' is not supported", m->path, act);
    s->layers = calloc((size_t)s->L, sizeof *s->layers);
    if (!s->layers)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    ia_status st;
    if (f & MV_GPT2)
        st = load_gpt2(m, s, err);
    else if (f & MV_OPT)
        st = load_opt(m, s, err);
    else if (f & MV_GPT_NEOX)
        st = load_neox(m, s, err);
    else
        st = load_llama(m, s, err);
    if (st != IA_OK)
        return st;
    setup_windows(m, s);
    return IA_OK;
}

/* ----------------------------------------------------------------- forward */

/* Grows *buf to hold bytes (64-byte aligned, contents dropped). */
static ia_status grow(void **buf, size_t *cap, size_t bytes, ia_error *err)
{
    if (bytes <= *cap)
        return IA_OK;
    free(*buf);
    size_t n = (bytes + 63) / 64 * 64;
    *buf = aligned_alloc(64, n);
    *cap = *buf ? n : 0;
    return *buf ? IA_OK : ia_error_set(err, IA_ERR_NOMEM, "decoder: out of memory (%zu bytes)", n);
}

static ia_status norm(ia_model *m, const dec_state *s, const ia_tensor *x, const ia_tensor *w,
                      const ia_tensor *b, ia_tensor *y, ia_error *err)
{
    return s->layer_norm ? mo_layer_norm(m, x, w, b, s->eps, y, err)
                         : mo_rms_norm(m, x, w, s->eps, s->one_plus, y, err);
}

/* Heads of x [B, S, N] (contiguous) from column col, head h at col + h *
 * hstride: a [B, heads, S, D] view. */
static ia_tensor head_view(const ia_tensor *x, int64_t col, int64_t heads, int64_t D,
                           int64_t hstride)
{
    ia_tensor v = *x;
    v.ndim = 4;
    v.shape[0] = x->shape[0];
    v.shape[1] = heads;
    v.shape[2] = x->shape[1];
    v.shape[3] = D;
    v.stride[0] = x->stride[0];
    v.stride[1] = hstride;
    v.stride[2] = x->stride[1];
    v.stride[3] = 1;
    v.data = (float *)x->data + col;
    return v;
}

/* Columns [col, col + n) of x [B, S, N]: a [B, S, n] view. */
static ia_tensor col_view(const ia_tensor *x, int64_t col, int64_t n)
{
    ia_tensor v = *x;
    v.shape[2] = n;
    v.data = (float *)x->data + col;
    return v;
}

/* Rotary embedding with our own inverse frequencies, in place on x [B, H,
 * S, D] (any strides), positions past + s: cos and sin per position as
 * transformers computes them in float32, then rotate-half. */
static void rope_table(const dec_state *s, ia_tensor *x, int64_t past)
{
    int64_t B = x->shape[0], H = x->shape[1], S = x->shape[2], half = s->rotary_dim / 2;
    /* longrope picks its table per call, from the last position + 1 */
    const float *inv = s->inv_long && past + S > s->long_after ? s->inv_long : s->inv_freq;
    float mscale = s->rope_mscale != 0 ? s->rope_mscale : 1.0f;
    float *base = x->data;
    for (int64_t si = 0; si < S; si++) {
        float pos = (float)(past + si);
        for (int64_t i = 0; i < half; i++) {
            float angle = pos * inv[i], c = cosf(angle) * mscale, sn = sinf(angle) * mscale;
            for (int64_t b = 0; b < B; b++) {
                for (int64_t h = 0; h < H; h++) {
                    float *p = base + b * x->stride[0] + h * x->stride[1] + si * x->stride[2];
                    float x0 = p[i * x->stride[3]], x1 = p[(i + half) * x->stride[3]];
                    p[i * x->stride[3]] = x0 * c - x1 * sn;
                    p[(i + half) * x->stride[3]] = x1 * c + x0 * sn;
                }
            }
        }
    }
}

static ia_status rope(ia_model *m, const dec_state *s, ia_tensor *x, int64_t past, ia_error *err)
{
    if (s->rope == ROPE_TABLE) {
        rope_table(s, x, past);
        return IA_OK;
    }
    ia_op op = {.type = IA_OP_ROPE, .src = {x}, .dst = x};
    op.p.rope.rotary_dim = s->rotary_dim;
    op.p.rope.theta = s->theta;
    op.p.rope.scaling = s->rope_linear;
    op.p.rope.position_offset = past;
    return mo_run(m, &op, err);
}

/* Qwen3: RMSNorm over each head of x [B, S, heads * D] into a new tensor. */
static ia_status head_norm(ia_model *m, const dec_state *s, const ia_tensor *x, int64_t heads,
                           const ia_tensor *w, ia_tensor *y, ia_error *err)
{
    int64_t shape[4] = {x->shape[0], x->shape[1], heads, s->D};
    ia_tensor x4, y4;
    ia_status st = ia_tensor_view_reshape(x, 4, shape, &x4, err);
    if (st == IA_OK)
        st = mo_rms_norm(m, &x4, w, s->eps, false, &y4, err);
    if (st == IA_OK)
        st = ia_tensor_view_reshape(&y4, 3, x->shape, y, err);
    return st;
}

static ia_status attention(ia_model *m, const dec_state *s, int64_t l, const ia_tensor *h,
                           const ia_tensor *mask, dec_cache *cache, int64_t past, ia_tensor *out,
                           ia_error *err)
{
    const dec_layer *y = &s->layers[l];
    int64_t H = s->H, K = s->Hkv, D = s->D, S = h->shape[1];
    ia_tensor q, k, v, qkv, qh, kh, vh;
    ia_status st;
    switch (s->qkv) {
    case QKV_SEPARATE:
        if ((st = mo_linear(m, h, &y->q_w, y->q_b.data ? &y->q_b : NULL, false, &q, err)) ||
            (st = mo_linear(m, h, &y->k_w, y->k_b.data ? &y->k_b : NULL, false, &k, err)) ||
            (st = mo_linear(m, h, &y->v_w, y->v_b.data ? &y->v_b : NULL, false, &v, err)))
            return st;
        if (s->qk_norm) {
            ia_tensor qn, kn;
            if ((st = head_norm(m, s, &q, H, &y->q_norm, &qn, err)) ||
                (st = head_norm(m, s, &k, K, &y->k_norm, &kn, err)))
                return st;
            q = qn;
            k = kn;
        }
        qh = head_view(&q, 0, H, D, D);
        kh = head_view(&k, 0, K, D, D);
        vh = head_view(&v, 0, K, D, D);
        break;
    case QKV_FUSED:
        if ((st = mo_linear(m, h, &y->qkv_w, y->qkv_b.data ? &y->qkv_b : NULL, s->w_in_out, &qkv,
                            err)))
            return st;
        qh = head_view(&qkv, 0, H, D, D);
        kh = head_view(&qkv, H * D, K, D, D);
        vh = head_view(&qkv, (H + K) * D, K, D, D);
        break;
    case QKV_PER_HEAD:
    default:
        if ((st = mo_linear(m, h, &y->qkv_w, y->qkv_b.data ? &y->qkv_b : NULL, false, &qkv, err)))
            return st;
        qh = head_view(&qkv, 0, H, D, 3 * D);
        kh = head_view(&qkv, D, H, D, 3 * D);
        vh = head_view(&qkv, 2 * D, H, D, 3 * D);
        break;
    }
    if (s->rope != ROPE_NONE &&
        ((st = rope(m, s, &qh, past, err)) || (st = rope(m, s, &kh, past, err))))
        return st;
    ia_tensor kall = kh, vall = vh;
    if (cache) {
        ia_tensor kd, vd;
        if ((st = ia_tensor_view_slice(&cache->k[l], 2, past, S, &kd, err)) ||
            (st = ia_tensor_view_slice(&cache->v[l], 2, past, S, &vd, err)) ||
            (st = mo_copy(m, &kh, &kd, err)) || (st = mo_copy(m, &vh, &vd, err)) ||
            (st = ia_tensor_view_slice(&cache->k[l], 2, 0, past + S, &kall, err)) ||
            (st = ia_tensor_view_slice(&cache->v[l], 2, 0, past + S, &vall, err)))
            return st;
    }
    ia_tensor a;
    if ((st = mo_attention(m, &qh, &kall, &vall, mask, y->scale, true, y->window, &a, err)))
        return st;
    return mo_linear(m, &a, &y->o_w, y->o_b.data ? &y->o_b : NULL, s->w_in_out, out, err);
}

static ia_status mlp(ia_model *m, const dec_state *s, const dec_layer *y, const ia_tensor *h,
                     ia_tensor *out, ia_error *err)
{
    ia_tensor g, u, a, p;
    ia_status st;
    const ia_tensor *ub = y->up_b.data ? &y->up_b : NULL;
    switch (s->mlp) {
    case MLP_GATED:
        if ((st = mo_linear(m, h, &y->gate_w, y->gate_b.data ? &y->gate_b : NULL, false, &g, err)) ||
            (st = mo_linear(m, h, &y->up_w, ub, false, &u, err)) ||
            (st = mo_act(m, &g, s->act, &a, err)) || (st = mo_mul(m, &a, &u, &p, err)))
            return st;
        break;
    case MLP_GATED_FUSED: {
        ia_tensor gu;
        if ((st = mo_linear(m, h, &y->up_w, ub, false, &gu, err)))
            return st;
        ia_tensor gv = col_view(&gu, 0, s->inter), uv = col_view(&gu, s->inter, s->inter);
        if ((st = mo_act(m, &gv, s->act, &a, err)) || (st = mo_mul(m, &a, &uv, &p, err)))
            return st;
        break;
    }
    case MLP_PLAIN:
    default:
        if ((st = mo_linear(m, h, &y->up_w, ub, s->w_in_out, &u, err)) ||
            (st = mo_act(m, &u, s->act, &p, err)))
            return st;
        break;
    }
    return mo_linear(m, &p, &y->down_w, y->down_b.data ? &y->down_b : NULL, s->w_in_out, out,
                     err);
}

/* One layer: x (the residual stream) in, the new stream in *out (arena). */
static ia_status layer(ia_model *m, const dec_state *s, int64_t l, const ia_tensor *x,
                       const ia_tensor *mask, dec_cache *cache, int64_t past, ia_tensor *out,
                       ia_error *err)
{
    const dec_layer *y = &s->layers[l];
    ia_tensor h, a, r, h2, f;
    ia_status st;
    if (s->post_norm) {
        /* OPT-350m: norms after each residual */
        if ((st = attention(m, s, l, x, mask, cache, past, &a, err)) ||
            (st = mo_add(m, x, &a, &r, err)) ||
            (st = norm(m, s, &r, &y->ln1_w, &y->ln1_b, &h, err)) ||
            (st = mlp(m, s, y, &h, &f, err)) || (st = mo_add(m, &h, &f, &r, err)))
            return st;
        return norm(m, s, &r, &y->ln2_w, &y->ln2_b, out, err);
    }
    if ((st = norm(m, s, x, &y->ln1_w, &y->ln1_b, &h, err)) ||
        (st = attention(m, s, l, &h, mask, cache, past, &a, err)))
        return st;
    if (s->parallel) {
        if ((st = norm(m, s, x, &y->ln2_w, &y->ln2_b, &h2, err)) ||
            (st = mlp(m, s, y, &h2, &f, err)) || (st = mo_add(m, &a, &f, &r, err)))
            return st;
        return mo_add(m, x, &r, out, err);
    }
    if ((st = mo_add(m, x, &a, &r, err)) || (st = norm(m, s, &r, &y->ln2_w, &y->ln2_b, &h2, err)) ||
        (st = mlp(m, s, y, &h2, &f, err)))
        return st;
    return mo_add(m, &r, &f, out, err);
}

static int64_t id_or_mask_at(const ia_tensor *t, int64_t b, int64_t s)
{
    const char *p = (const char *)t->data +
                    (b * t->stride[0] + s * t->stride[1]) * (int64_t)ia_dtype_size(t->dtype);
    if (t->dtype == IA_DTYPE_I32) {
        int32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    int64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The input embeddings of ids [B, S] (positions past + s) into *x. */
static ia_status embed(ia_model *m, dec_state *s, const ia_tensor *ids, const ia_tensor *amask,
                       int64_t past, ia_tensor *x, ia_error *err)
{
    int64_t B = ids->shape[0], S = ids->shape[1];
    ia_tensor e, t;
    ia_status st = mo_embedding(m, &s->embed, ids, &e, err);
    if (st != IA_OK)
        return st;
    if (s->embed_scale != 0) {
        if ((st = mo_scale(m, &e, s->embed_scale, &t, err)))
            return st;
        e = t;
    }
    if (s->proj_in.data) {
        if ((st = mo_linear(m, &e, &s->proj_in, NULL, false, &t, err)))
            return st;
        e = t;
    }
    if (!s->pos_embed.data) {
        *x = e;
        return IA_OK;
    }
    if ((st = grow((void **)&s->positions, &s->positions_cap,
                   (size_t)(B * S) * sizeof *s->positions, err)))
        return st;
    for (int64_t b = 0; b < B; b++) {
        int64_t cum = 0;
        for (int64_t i = 0; i < S; i++) {
            int64_t p = past + i;
            if (s->opt_positions && amask) {
                /* OPT: cumsum(mask) * mask - 1, padding at -1 */
                int64_t keep = id_or_mask_at(amask, b, i) != 0;
                cum += keep;
                p = cum * keep - 1;
            }
            s->positions[b * S + i] = p + s->position_offset;
        }
    }
    int64_t shape[2] = {B, S};
    ia_tensor pos = ia_tensor_make(IA_DTYPE_I64, 2, shape, s->positions), pe;
    if ((st = mo_embedding(m, &s->pos_embed, &pos, &pe, err)))
        return st;
    return mo_add(m, &e, &pe, x, err);
}

/* ids [B, S] at positions past.. through the model: logits [B, S, V], or
 * [B, 1, V] for the last position only. amask: optional [B, S] attention
 * mask (no cache then). The logits live in the arena. */
static ia_status run(ia_model *m, const ia_tensor *ids, const ia_tensor *amask, dec_cache *cache,
                     bool last_only, ia_tensor *logits, ia_error *err)
{
    dec_state *s = m->state;
    int64_t B = ids->shape[0], S = ids->shape[1], past = cache ? cache->past : 0;
    if (s->learned_positions && past + S > s->learned_positions)
        return ia_error_set(err, IA_ERR_INVALID,
                            "input_ids: %lld positions exceed the context of %lld "
                            "(max_position_embeddings)",
                            (long long)(past + S), (long long)s->learned_positions);
    if (s->rope_context && past + S > s->rope_context)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "input_ids: %lld positions exceed max_position_embeddings %lld, past "
                            "which dynamic rope scaling is not supported yet",
                            (long long)(past + S), (long long)s->rope_context);
    /* The key padding mask, kept outside the arena with the stream. */
    ia_tensor maskt, *mask = NULL;
    ia_status st;
    if (amask) {
        if ((st = grow((void **)&s->mask, &s->mask_cap, (size_t)(B * S), err)))
            return st;
        for (int64_t b = 0; b < B; b++)
            for (int64_t i = 0; i < S; i++)
                s->mask[b * S + i] = id_or_mask_at(amask, b, i) != 0;
        int64_t shape[4] = {B, 1, 1, S};
        maskt = ia_tensor_make(IA_DTYPE_BOOL, 4, shape, s->mask);
        mask = &maskt;
    }
    size_t n = (size_t)(B * S * s->hidden);
    if ((st = grow((void **)&s->resid, &s->resid_cap, n * sizeof(float), err)))
        return st;
    ia_tensor x;
    if ((st = embed(m, s, ids, amask, past, &x, err)))
        return st;
    int64_t shape[3] = {B, S, s->hidden};
    ia_tensor stream = ia_tensor_make(IA_DTYPE_F32, 3, shape, s->resid);
    for (int64_t l = 0; l < s->L; l++) {
        memcpy(s->resid, x.data, n * sizeof(float));
        ia_arena_reset(m->arena);
        if ((st = layer(m, s, l, &stream, mask, cache, past, &x, err)))
            return st;
    }
    memcpy(s->resid, x.data, n * sizeof(float));
    ia_arena_reset(m->arena);
    x = stream;
    if (last_only && S > 1) {
        ia_tensor lastv, c = {0};
        if ((st = ia_tensor_view_slice(&stream, 1, S - 1, 1, &lastv, err)) ||
            (st = mo_copy(m, &lastv, &c, err)))
            return st;
        x = c;
    }
    ia_tensor h;
    if (s->final_norm) {
        if ((st = norm(m, s, &x, &s->final_w, &s->final_b, &h, err)))
            return st;
        x = h;
    }
    if (s->proj_out.data) {
        if ((st = mo_linear(m, &x, &s->proj_out, NULL, false, &h, err)))
            return st;
        x = h;
    }
    return mo_linear(m, &x, &s->lm_head, NULL, false, logits, err);
}

static ia_status forward(ia_model *m, const ia_tensor_map *in, ia_tensor_map *out, ia_error *err)
{
    const ia_tensor *ids, *amask;
    int64_t any[2] = {-1, -1};
    ia_status st = mo_input(in, "input_ids", true, true, 2, any, &ids, err);
    if (st != IA_OK)
        return st;
    if (ids->shape[0] < 1 || ids->shape[1] < 1)
        return ia_error_set(err, IA_ERR_INVALID, "input 'input_ids' is empty");
    int64_t shape[2] = {ids->shape[0], ids->shape[1]};
    if ((st = mo_input(in, "attention_mask", false, true, 2, shape, &amask, err)))
        return st;
    ia_tensor logits;
    if ((st = run(m, ids, amask, NULL, false, &logits, err)))
        return st;
    return mo_output(out, "logits", &logits, err);
}

/* -------------------------------------------------------------- generation */

static ia_status cache_create(const dec_state *s, int64_t B, int64_t T, dec_cache *c,
                              ia_error *err)
{
    memset(c, 0, sizeof *c);
    size_t per = (size_t)(B * s->Hkv * T * s->D);
    if ((double)per * 2.0 * (double)s->L * sizeof(float) > (double)(SIZE_MAX / 2))
        return ia_error_set(err, IA_ERR_INVALID,
                            "generate: a KV cache of %lld rows x %lld positions is too large",
                            (long long)B, (long long)T);
    c->k = calloc((size_t)s->L * 2, sizeof *c->k);
    c->data = aligned_alloc(64, ((per * 2 * (size_t)s->L * sizeof(float)) + 63) / 64 * 64);
    if (!c->k || !c->data) {
        free(c->k);
        free(c->data);
        return ia_error_set(err, IA_ERR_NOMEM,
                            "generate: out of memory for the KV cache (%lld rows x %lld "
                            "positions)",
                            (long long)B, (long long)T);
    }
    c->v = c->k + s->L;
    int64_t shape[4] = {B, s->Hkv, T, s->D};
    for (int64_t l = 0; l < s->L; l++) {
        c->k[l] = ia_tensor_make(IA_DTYPE_F32, 4, shape, c->data + (size_t)(2 * l) * per);
        c->v[l] = ia_tensor_make(IA_DTYPE_F32, 4, shape, c->data + (size_t)(2 * l + 1) * per);
    }
    return IA_OK;
}

static void cache_free(dec_cache *c)
{
    free(c->k);
    free(c->data);
    memset(c, 0, sizeof *c);
}

static ia_status generate(ia_model *m, const ia_tensor *input_ids, const ia_generate_opts *opts,
                          ia_tensor_map *out, ia_error *err)
{
    dec_state *s = m->state;
    ia_gen g;
    ia_status st = ia_gen_start(m, input_ids, opts, &g, err);
    if (st != IA_OK)
        return st;
    int64_t context = s->learned_positions ? s->learned_positions : s->rope_context;
    if (context && g.T > context) {
        st = ia_error_set(err, IA_ERR_INVALID,
                          "generate: prompt of %lld tokens plus %lld new exceeds the context of "
                          "%lld",
                          (long long)g.S, (long long)g.max_new, (long long)context);
        ia_gen_end(&g);
        return st;
    }
    dec_cache cache;
    if ((st = cache_create(s, g.B, g.T, &cache, err)) != IA_OK) {
        ia_gen_end(&g);
        return st;
    }
    int64_t shape[2] = {g.B, g.S};
    ia_tensor prompt = ia_tensor_make(IA_DTYPE_I64, 2, shape, NULL), logits;
    /* the prompt, contiguous, as a [B, S] view of the sequences [B, T] */
    prompt.data = g.ids;
    prompt.stride[0] = g.T;
    ia_arena_reset(m->arena);
    st = run(m, &prompt, NULL, &cache, true, &logits, err);
    cache.past = g.S;
    while (st == IA_OK && ia_gen_push(&g, logits.data, g.vocab)) {
        ia_arena_reset(m->arena);
        st = run(m, &g.step_ids, NULL, &cache, true, &logits, err);
        cache.past++;
    }
    if (st == IA_OK)
        st = ia_gen_finish(&g, out, err);
    cache_free(&cache);
    ia_gen_end(&g);
    return st;
}

const ia_arch ia_arch_decoder = {"decoder", load, forward, generate, free_state};
