/* The BERT family of encoders: bert, roberta, xlm-roberta, distilbert and
 * mpnet, with their sequence-classification heads.
 *
 * One template, post-norm layers (x = LN(x + attn(x)); x = LN(x + ffn(x))),
 * and the variants differ only in:
 *   - weight names (a table of spellings per naming scheme, below);
 *   - positions: BERT and DistilBERT count 0, 1, 2, ...; RoBERTa and MPNet
 *     number real tokens from padding_idx + 1 and give pads padding_idx
 *     (transformers' create_position_ids_from_input_ids);
 *   - token types: BERT and RoBERTa add token_type_embeddings;
 *   - MPNet adds a relative position bias, bucketed as T5's, shared by all
 *     layers, to the attention scores.
 *
 * Weights are bound once at load; q, k and v are fused into one [3A, H]
 * weight the model owns, so a layer runs one GEMM for them and attention
 * reads q, k and v as strided views of its output. A forward pass takes a
 * fixed set of buffers from the arena (one layer's worth, reused by every
 * layer), so its scratch does not grow with the number of layers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/model_internal.h"

/* ------------------------------------------------------------ names */

/* How a checkpoint spells a layer's weights (printf formats taking the
 * layer index; each names a Linear or LayerNorm without ".weight"). */
typedef struct bert_names {
    const char *word, *position, *token_type, *emb_norm;
    const char *q, *k, *v, *o, *attn_norm, *ffn_in, *ffn_out, *ffn_norm;
} bert_names;

static const bert_names names_bert = {
    .word = "embeddings.word_embeddings",
    .position = "embeddings.position_embeddings",
    .token_type = "embeddings.token_type_embeddings",
    .emb_norm = "embeddings.LayerNorm",
    .q = "encoder.layer.%d.attention.self.query",
    .k = "encoder.layer.%d.attention.self.key",
    .v = "encoder.layer.%d.attention.self.value",
    .o = "encoder.layer.%d.attention.output.dense",
    .attn_norm = "encoder.layer.%d.attention.output.LayerNorm",
    .ffn_in = "encoder.layer.%d.intermediate.dense",
    .ffn_out = "encoder.layer.%d.output.dense",
    .ffn_norm = "encoder.layer.%d.output.LayerNorm",
};

static const bert_names names_distilbert = {
    .word = "embeddings.word_embeddings",
    .position = "embeddings.position_embeddings",
    .emb_norm = "embeddings.LayerNorm",
    .q = "transformer.layer.%d.attention.q_lin",
    .k = "transformer.layer.%d.attention.k_lin",
    .v = "transformer.layer.%d.attention.v_lin",
    .o = "transformer.layer.%d.attention.out_lin",
    .attn_norm = "transformer.layer.%d.sa_layer_norm",
    .ffn_in = "transformer.layer.%d.ffn.lin1",
    .ffn_out = "transformer.layer.%d.ffn.lin2",
    .ffn_norm = "transformer.layer.%d.output_layer_norm",
};

static const bert_names names_mpnet = {
    .word = "embeddings.word_embeddings",
    .position = "embeddings.position_embeddings",
    .emb_norm = "embeddings.LayerNorm",
    .q = "encoder.layer.%d.attention.attn.q",
    .k = "encoder.layer.%d.attention.attn.k",
    .v = "encoder.layer.%d.attention.attn.v",
    .o = "encoder.layer.%d.attention.attn.o",
    .attn_norm = "encoder.layer.%d.attention.LayerNorm",
    .ffn_in = "encoder.layer.%d.intermediate.dense",
    .ffn_out = "encoder.layer.%d.output.dense",
    .ffn_norm = "encoder.layer.%d.output.LayerNorm",
};

/* MPNet's bucketing, as its modeling code calls it: 32 buckets and a
 * maximum distance of 128 whatever relative_attention_num_buckets says (the
 * config only sizes the table). */
#define MPNET_BUCKETS 32
#define MPNET_MAX_DISTANCE 128

/* ------------------------------------------------------------ state */

typedef enum bert_head {
    HEAD_NONE = 0,
    HEAD_POOLER_LINEAR, /* BERT: classifier(pooler_output) */
    HEAD_DENSE_TANH,    /* RoBERTa, XLM-R, MPNet: out_proj(tanh(dense(h[:, 0]))) */
    HEAD_DENSE_RELU,    /* DistilBERT: classifier(relu(pre_classifier(h[:, 0]))) */
} bert_head;

typedef struct bert_layer {
    ia_tensor qkv_w, qkv_b; /* fused [3A, H] and [3A] (F32), owned by the state */
    ia_tensor o_w, o_b, attn_norm_w, attn_norm_b;
    ia_tensor in_w, in_b, out_w, out_b, ffn_norm_w, ffn_norm_b;
} bert_layer;

typedef struct bert_state {
    int64_t hidden, heads, head_dim, attn_dim, inter, layers, max_pos, type_vocab, vocab;
    float eps;
    ia_activation act;
    int64_t padding_idx; /* -1: positions 0, 1, 2, ... */
    bool token_types;

    ia_tensor word, position, token_type, emb_norm_w, emb_norm_b;
    bert_layer *layer;
    ia_tensor rel_bias; /* MPNet: [buckets, heads] F32 */
    ia_tensor pool_w, pool_b;

    bert_head head;
    int64_t num_labels;
    ia_tensor cls_dense_w, cls_dense_b, cls_w, cls_b;
} bert_state;

static void bert_free_state(ia_model *m)
{
    bert_state *s = m->state;
    if (!s)
        return;
    free(s->layer);
    free(s);
    m->state = NULL;
}

/* ------------------------------------------------------------ loading */

/* The Linear and LayerNorm named by fmt with the layer's number. */
static ia_status get_linear(ia_model *m, ia_tensor *w, ia_tensor *b, bool bias_required,
                            int64_t out, int64_t in, const char *fmt, int layer, ia_error *err)
{
    char name[256];
    snprintf(name, sizeof name, fmt, layer);
    return ia_mw_linear(m, w, b, bias_required, out, in, name, err);
}

static ia_status get_norm(ia_model *m, ia_tensor *w, ia_tensor *b, int64_t n, const char *fmt,
                          int layer, ia_error *err)
{
    char name[256];
    snprintf(name, sizeof name, fmt, layer);
    return ia_mw_layer_norm(m, w, b, n, name, err);
}

/* q, k and v of layer l as one [3A, H] weight (their common dtype, or F32
 * when they differ) and one [3A] F32 bias. */
static ia_status get_fused_qkv(ia_model *m, bert_state *s, const bert_names *nm, int l,
                               bert_layer *ly, ia_error *err)
{
    const char *fmt[3] = {nm->q, nm->k, nm->v};
    ia_tensor w[3], b[3];
    ia_status st;
    for (int i = 0; i < 3; i++)
        if ((st = get_linear(m, &w[i], &b[i], true, s->attn_dim, s->hidden, fmt[i], l, err)) !=
            IA_OK)
            return st;
    return ia_mw_fuse(m, w, b, 3, &ly->qkv_w, &ly->qkv_b, err);
}

/* DistilBERT's sinusoidal table (create_sinusoidal_embeddings), for a
 * checkpoint that does not store it. */
static ia_status sinusoidal_table(bert_state *s, ia_model *m, ia_error *err)
{
    int64_t n = s->max_pos, d = s->hidden, shape[2] = {n, d};
    s->position = ia_tensor_make(IA_DTYPE_F32, 2, shape, NULL);
    float *t = ia_mw_alloc(m, ia_tensor_nbytes(&s->position));
    if (!t)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for position embeddings",
                            m->path);
    for (int64_t p = 0; p < n; p++)
        for (int64_t j = 0; j < d; j++) {
            double angle = (double)p / pow(10000.0, 2.0 * (double)(j / 2) / (double)d);
            t[p * d + j] = (float)(j % 2 == 0 ? sin(angle) : cos(angle));
        }
    s->position.data = t;
    return IA_OK;
}

/* Which sequence-classification head the checkpoint has: told by its
 * weights (at the root, outside the base model's prefix), or, when it has
 * none (weights being synthesized, or a head missing, which the loads then
 * name), the family's own. */
static bert_head choose_head(ia_model *m, unsigned flags)
{
    if (!ia_model_arch_is(m, "ForSequenceClassification"))
        return HEAD_NONE;
    if (ia_mw_has(m, "classifier.out_proj.weight"))
        return HEAD_DENSE_TANH;
    if (ia_mw_has(m, "pre_classifier.weight"))
        return HEAD_DENSE_RELU;
    if (ia_mw_has(m, "classifier.weight"))
        return HEAD_POOLER_LINEAR;
    return (flags & MV_DISTILBERT)                      ? HEAD_DENSE_RELU
           : (flags & (MV_POSITION_OFFSET | MV_MPNET)) ? HEAD_DENSE_TANH
                                                       : HEAD_POOLER_LINEAR;
}

/* The head's weights, [num_labels, H] as config.json says (transformers
 * refuses a checkpoint whose head has another size, too). */
static ia_status load_head(ia_model *m, bert_state *s, ia_error *err)
{
    int64_t H = s->hidden, L = s->num_labels, dense[2] = {H, H}, hb[1] = {H}, lw[2] = {L, H},
            lb[1] = {L};
    const char *dense_name = s->head == HEAD_DENSE_TANH ? "classifier.dense" : "pre_classifier";
    const char *out_name = s->head == HEAD_DENSE_TANH ? "classifier.out_proj" : "classifier";
    ia_status st;
    if (s->head != HEAD_POOLER_LINEAR &&
        ((st = ia_mw_get(m, &s->cls_dense_w, true, 2, dense, err, "%s.weight", dense_name)) !=
             IA_OK ||
         (st = ia_mw_get_f32(m, &s->cls_dense_b, true, 1, hb, err, "%s.bias", dense_name)) !=
             IA_OK))
        return st;
    if ((st = ia_mw_get(m, &s->cls_w, true, 2, lw, err, "%s.weight", out_name)) != IA_OK)
        return st;
    return ia_mw_get_f32(m, &s->cls_b, true, 1, lb, err, "%s.bias", out_name);
}

static ia_status bert_load(ia_model *m, ia_error *err)
{
    const ia_model_config *c = &m->cfg;
    unsigned flags = m->variant->flags;
    const bert_names *nm = (flags & MV_DISTILBERT) ? &names_distilbert
                           : (flags & MV_MPNET)    ? &names_mpnet
                                                   : &names_bert;
    if (c->hidden_size <= 0 || c->num_attention_heads <= 0 || c->head_dim <= 0 ||
        c->num_hidden_layers <= 0 || c->intermediate_size <= 0 || c->vocab_size <= 0 ||
        c->max_position_embeddings <= 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: hidden_size, num_attention_heads, "
                            "num_hidden_layers, intermediate_size, vocab_size and "
                            "max_position_embeddings must be positive",
                            m->path);
    const cJSON *pet = cJSON_GetObjectItemCaseSensitive(c->json, "position_embedding_type");
    if (cJSON_IsString(pet) && strcmp(pet->valuestring, "absolute") != 0)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s/config.json: position_embedding_type '%s' is not supported yet "
                            "(only 'absolute')",
                            m->path, pet->valuestring);

    bert_state *s = calloc(1, sizeof *s);
    if (!s)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    m->state = s;
    s->hidden = c->hidden_size;
    s->heads = c->num_attention_heads;
    s->head_dim = c->head_dim;
    s->attn_dim = s->heads * s->head_dim;
    s->inter = c->intermediate_size;
    s->layers = c->num_hidden_layers;
    s->max_pos = c->max_position_embeddings;
    s->vocab = c->vocab_size;
    s->eps = (float)c->layer_norm_eps;
    if (!ia_activation_from_name(c->hidden_act, &s->act))
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s/config.json: activation '%s' is not supported", m->path,
                            c->hidden_act);
    /* MPNet's padding_idx is fixed at 1 in its modeling code; RoBERTa's is
     * the config's pad token. */
    s->padding_idx = (flags & MV_MPNET)              ? 1
                     : (flags & MV_POSITION_OFFSET) ? (c->pad_token_id >= 0 ? c->pad_token_id : 1)
                                                    : -1;

    const char *prefixes[] = {"",
                              (flags & MV_DISTILBERT) ? "distilbert."
                              : (flags & MV_MPNET)    ? "mpnet."
                              : (flags & MV_POSITION_OFFSET) ? "roberta."
                                                             : "bert."};
    ia_status st = ia_mw_prefix(m, prefixes, 2, "embeddings.word_embeddings.weight", err);
    if (st != IA_OK)
        return st;

    int64_t H = s->hidden, A = s->attn_dim, I = s->inter;
    int64_t word_shape[2] = {s->vocab, H}, pos_shape[2] = {s->max_pos, H};
    if ((st = ia_mw_get(m, &s->word, true, 2, word_shape, err, "%s.weight", nm->word)) != IA_OK)
        return st;
    bool sinusoidal = false;
    if (flags & MV_DISTILBERT) {
        const cJSON *sin = cJSON_GetObjectItemCaseSensitive(c->json, "sinusoidal_pos_embds");
        sinusoidal = cJSON_IsTrue(sin);
    }
    if ((st = ia_mw_get(m, &s->position, !sinusoidal, 2, pos_shape, err, "%s.weight",
                        nm->position)) != IA_OK)
        return st;
    if (!s->position.data && (st = sinusoidal_table(s, m, err)) != IA_OK)
        return st;
    if (!(flags & MV_NO_TOKEN_TYPES) && nm->token_type && c->type_vocab_size > 0) {
        int64_t tt_shape[2] = {c->type_vocab_size, H};
        if ((st = ia_mw_get(m, &s->token_type, true, 2, tt_shape, err, "%s.weight",
                            nm->token_type)) != IA_OK)
            return st;
        s->token_types = true;
        s->type_vocab = c->type_vocab_size;
    }
    if ((st = get_norm(m, &s->emb_norm_w, &s->emb_norm_b, H, nm->emb_norm, 0, err)) != IA_OK)
        return st;

    s->layer = calloc((size_t)s->layers, sizeof *s->layer);
    if (!s->layer)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    for (int l = 0; l < (int)s->layers; l++) {
        bert_layer *ly = &s->layer[l];
        if ((st = get_fused_qkv(m, s, nm, l, ly, err)) != IA_OK ||
            (st = get_linear(m, &ly->o_w, &ly->o_b, true, H, A, nm->o, l, err)) != IA_OK ||
            (st = get_norm(m, &ly->attn_norm_w, &ly->attn_norm_b, H, nm->attn_norm, l, err)) !=
                IA_OK ||
            (st = get_linear(m, &ly->in_w, &ly->in_b, true, I, H, nm->ffn_in, l, err)) != IA_OK ||
            (st = get_linear(m, &ly->out_w, &ly->out_b, true, H, I, nm->ffn_out, l, err)) !=
                IA_OK ||
            (st = get_norm(m, &ly->ffn_norm_w, &ly->ffn_norm_b, H, nm->ffn_norm, l, err)) != IA_OK)
            return st;
    }
    if (flags & MV_MPNET) {
        const cJSON *nb =
            cJSON_GetObjectItemCaseSensitive(c->json, "relative_attention_num_buckets");
        int64_t buckets = cJSON_IsNumber(nb) ? (int64_t)nb->valuedouble : MPNET_BUCKETS;
        if (buckets < MPNET_BUCKETS)
            return ia_error_set(err, IA_ERR_INVALID,
                                "%s/config.json: relative_attention_num_buckets is %lld; MPNet's "
                                "attention uses %d buckets",
                                m->path, (long long)buckets, MPNET_BUCKETS);
        int64_t rb_shape[2] = {buckets, s->heads};
        if ((st = ia_mw_get_f32(m, &s->rel_bias, true, 2, rb_shape, err,
                                "encoder.relative_attention_bias.weight")) != IA_OK)
            return st;
    }

    /* The head first: BERT's classifies the pooler output, which must then be
     * there. A synthetic XModel gets the pooler transformers gives it. */
    const char *base = m->prefix;
    m->prefix = "";
    s->head = choose_head(m, flags);
    s->num_labels = ia_model_num_labels(m);
    st = s->head == HEAD_NONE ? IA_OK : load_head(m, s, err);
    m->prefix = base;
    if (st != IA_OK)
        return st;
    bool pooler = s->head == HEAD_POOLER_LINEAR ||
                  (m->synth && s->head == HEAD_NONE && !(flags & MV_DISTILBERT) &&
                   ia_model_arch_is(m, "Model"));
    int64_t pool_shape[2] = {H, H}, hb[1] = {H};
    if ((st = ia_mw_get(m, &s->pool_w, pooler, 2, pool_shape, err, "pooler.dense.weight")) !=
            IA_OK ||
        (st = ia_mw_get_f32(m, &s->pool_b, s->pool_w.data != NULL, 1, hb, err,
                            "pooler.dense.bias")) != IA_OK)
        return st;
    return IA_OK;
}

/* ------------------------------------------------------------ ops into buffers
 * The forward pass writes into buffers it took once (mo_*_into). */

static ia_status embed_into(ia_model *m, const ia_tensor *table, const ia_tensor *ids,
                            ia_tensor *y, ia_error *err)
{
    ia_op op = {.type = IA_OP_EMBEDDING, .src = {table, ids}, .dst = y};
    return mo_run(m, &op, err);
}

/* ------------------------------------------------------------ forward */

static int64_t id_at(const ia_tensor *t, int64_t b, int64_t i)
{
    const char *p = (const char *)t->data +
                    (b * t->stride[0] + i * t->stride[1]) * (int64_t)ia_dtype_size(t->dtype);
    return t->dtype == IA_DTYPE_I32 ? *(const int32_t *)p : *(const int64_t *)p;
}

/* Ids of input name all in [0, n), or an error naming the first that is not. */
static ia_status check_ids(const ia_tensor *t, const char *name, int64_t n, const char *what,
                           ia_error *err)
{
    for (int64_t b = 0; b < t->shape[0]; b++)
        for (int64_t i = 0; i < t->shape[1]; i++) {
            int64_t v = id_at(t, b, i);
            if (v < 0 || v >= n)
                return ia_error_set(err, IA_ERR_INVALID,
                                    "input '%s': %lld at [%lld, %lld] is outside the %s (0 to "
                                    "%lld)",
                                    name, (long long)v, (long long)b, (long long)i, what,
                                    (long long)n - 1);
        }
    return IA_OK;
}

/* Position ids [B, S] (I64): 0, 1, 2, ... or, with a padding_idx, RoBERTa's
 * padding_idx + 1 + the count of non-pad tokens so far (pads get
 * padding_idx). */
static ia_status positions(ia_model *m, const bert_state *s, const ia_tensor *ids,
                           ia_tensor *pos, ia_error *err)
{
    int64_t B = ids->shape[0], S = ids->shape[1], shape[2] = {B, S};
    ia_status st = mo_tensor(m, pos, IA_DTYPE_I64, 2, shape, err);
    if (st != IA_OK)
        return st;
    int64_t *p = pos->data, top = 0;
    for (int64_t b = 0; b < B; b++) {
        int64_t count = 0;
        for (int64_t i = 0; i < S; i++) {
            int64_t v;
            if (s->padding_idx < 0) {
                v = i;
            } else if (id_at(ids, b, i) == s->padding_idx) {
                v = s->padding_idx;
            } else {
                v = s->padding_idx + ++count;
            }
            p[b * S + i] = v;
            top = v > top ? v : top;
        }
    }
    if (top >= s->max_pos)
        return ia_error_set(err, IA_ERR_INVALID,
                            "input 'input_ids': %lld tokens need position %lld, but the model "
                            "has %lld positions (max_position_embeddings)",
                            (long long)S, (long long)top, (long long)s->max_pos);
    return IA_OK;
}

/* MPNet's relative position bucket of key j seen from query i
 * (relative_position_bucket with 32 buckets, max distance 128). The log is
 * taken in float, as PyTorch does on a float tensor, so the truncation
 * lands where it does there. */
static int64_t mpnet_bucket(int64_t i, int64_t j)
{
    int64_t n = i - j, ret = 0;
    const int64_t half = MPNET_BUCKETS / 2, exact = half / 2;
    if (n < 0) {
        ret += half;
        n = -n;
    }
    if (n < exact)
        return ret + n;
    float r = logf((float)n / (float)exact) / (float)log((double)MPNET_MAX_DISTANCE / exact) *
              (float)(half - exact);
    int64_t large = exact + (int64_t)r;
    return ret + (large < half - 1 ? large : half - 1);
}

/* What attention masks, built once per forward and read by every layer. */
typedef struct bert_mask {
    bool padded;     /* some attention_mask entry is 0 */
    ia_tensor keep;  /* BOOL [B, 1, 1, S], when padded */
    ia_tensor bias;  /* MPNet: the relative bias [1, heads, S, S] */
    ia_tensor pad;   /* MPNet, padded: additive [B, 1, 1, S], 0 or -inf */
    ia_tensor row;   /* MPNet, padded: bias + pad of one batch row [1, heads, S, S] */
} bert_mask;

/* The key padding mask (a BOOL keep mask, when anything is padded) and, for
 * MPNet, the relative bias. MPNet's bias and padding are not combined into
 * one [B, heads, S, S] mask (400 MB at batch 32 and 512 tokens): a padded
 * batch runs attention row by row with bias + that row's padding, one
 * [1, heads, S, S] buffer. */
static ia_status attention_mask(ia_model *m, const bert_state *s, const ia_tensor *am,
                                int64_t B, int64_t S, bert_mask *mk, ia_error *err)
{
    memset(mk, 0, sizeof *mk);
    for (int64_t b = 0; am && b < B && !mk->padded; b++)
        for (int64_t i = 0; i < S && !mk->padded; i++)
            mk->padded = id_at(am, b, i) == 0;
    ia_status st;
    int64_t Hh = s->heads, row_shape[4] = {1, Hh, S, S}, key_shape[4] = {B, 1, 1, S};
    if (mk->padded) {
        if ((st = mo_tensor(m, &mk->keep, IA_DTYPE_BOOL, 4, key_shape, err)) != IA_OK)
            return st;
        bool *k = mk->keep.data;
        for (int64_t b = 0; b < B; b++)
            for (int64_t i = 0; i < S; i++)
                k[b * S + i] = id_at(am, b, i) != 0;
    }
    if (!s->rel_bias.data)
        return IA_OK;
    if ((st = mo_tensor(m, &mk->bias, IA_DTYPE_F32, 4, row_shape, err)) != IA_OK)
        return st;
    float *v = mk->bias.data;
    const float *table = s->rel_bias.data;
    for (int64_t i = 0; i < S; i++)
        for (int64_t j = 0; j < S; j++) {
            int64_t bucket = mpnet_bucket(i, j);
            for (int64_t h = 0; h < Hh; h++)
                v[(h * S + i) * S + j] = table[bucket * Hh + h];
        }
    if (!mk->padded)
        return IA_OK;
    if ((st = mo_tensor(m, &mk->pad, IA_DTYPE_F32, 4, key_shape, err)) != IA_OK ||
        (st = mo_tensor(m, &mk->row, IA_DTYPE_F32, 4, row_shape, err)) != IA_OK)
        return st;
    float *pad = mk->pad.data;
    const bool *k = mk->keep.data;
    for (int64_t i = 0; i < B * S; i++)
        pad[i] = k[i] ? 0.0f : -INFINITY;
    return IA_OK;
}

/* Attention of q, k, v [B, heads, S, D] into ctx, masked as mk says. */
static ia_status attend(ia_model *m, const bert_mask *mk, const ia_tensor *q, const ia_tensor *k,
                        const ia_tensor *v, ia_tensor *ctx, ia_error *err)
{
    ia_status st;
    if (!mk->bias.data || !mk->padded) {
        const ia_tensor *mask = mk->bias.data ? &mk->bias : mk->padded ? &mk->keep : NULL;
        ia_op op = {.type = IA_OP_ATTENTION, .src = {q, k, v, mask}, .dst = ctx};
        return mo_run(m, &op, err);
    }
    ia_tensor row = mk->row; /* the buffer is rewritten for each batch row */
    for (int64_t b = 0; b < q->shape[0]; b++) {
        ia_tensor qb, kb, vb, cb, pb;
        if ((st = ia_tensor_view_slice(q, 0, b, 1, &qb, err)) != IA_OK ||
            (st = ia_tensor_view_slice(k, 0, b, 1, &kb, err)) != IA_OK ||
            (st = ia_tensor_view_slice(v, 0, b, 1, &vb, err)) != IA_OK ||
            (st = ia_tensor_view_slice(ctx, 0, b, 1, &cb, err)) != IA_OK ||
            (st = ia_tensor_view_slice(&mk->pad, 0, b, 1, &pb, err)) != IA_OK)
            return st;
        ia_op add = {.type = IA_OP_ADD, .src = {&mk->bias, &pb}, .dst = &row};
        ia_op op = {.type = IA_OP_ATTENTION, .src = {&qb, &kb, &vb, &row}, .dst = &cb};
        if ((st = mo_run(m, &add, err)) != IA_OK || (st = mo_run(m, &op, err)) != IA_OK)
            return st;
    }
    return IA_OK;
}

/* word + position (+ token type) embeddings, normalised, into x [B, S, H]. */
static ia_status embeddings(ia_model *m, const bert_state *s, const ia_tensor *ids,
                            const ia_tensor *tt, ia_tensor *x, ia_tensor *tmp, ia_error *err)
{
    ia_tensor pos;
    ia_status st;
    if ((st = embed_into(m, &s->word, ids, x, err)) != IA_OK ||
        (st = positions(m, s, ids, &pos, err)) != IA_OK ||
        (st = embed_into(m, &s->position, &pos, tmp, err)) != IA_OK ||
        (st = mo_add_into(m, x, tmp, x, err)) != IA_OK)
        return st;
    if (s->token_types) {
        if (tt) {
            if ((st = embed_into(m, &s->token_type, tt, tmp, err)) != IA_OK ||
                (st = mo_add_into(m, x, tmp, x, err)) != IA_OK)
                return st;
        } else {
            /* type 0 everywhere: one row, broadcast */
            ia_tensor zero, row;
            int64_t one[1] = {1}, row_shape[2] = {1, s->hidden};
            if ((st = mo_tensor(m, &zero, IA_DTYPE_I64, 1, one, err)) != IA_OK ||
                (st = mo_tensor(m, &row, IA_DTYPE_F32, 2, row_shape, err)) != IA_OK)
                return st;
            *(int64_t *)zero.data = 0;
            if ((st = embed_into(m, &s->token_type, &zero, &row, err)) != IA_OK ||
                (st = mo_add_into(m, x, &row, x, err)) != IA_OK)
                return st;
        }
    }
    return mo_layer_norm_into(m, x, &s->emb_norm_w, &s->emb_norm_b, s->eps, x, err);
}

/* One post-norm layer on x in place. */
static ia_status layer_forward(ia_model *m, const bert_state *s, const bert_layer *ly,
                               ia_tensor *x, ia_tensor *qkv, ia_tensor *ctx, ia_tensor *h1,
                               ia_tensor *inter, const bert_mask *mk, ia_error *err)
{
    int64_t A = s->attn_dim;
    ia_tensor q, k, v, qh, kh, vh, ch;
    ia_status st;
    if ((st = mo_linear_into(m, x, &ly->qkv_w, &ly->qkv_b, qkv, err)) != IA_OK ||
        (st = ia_tensor_view_slice(qkv, 2, 0, A, &q, err)) != IA_OK ||
        (st = ia_tensor_view_slice(qkv, 2, A, A, &k, err)) != IA_OK ||
        (st = ia_tensor_view_slice(qkv, 2, 2 * A, A, &v, err)) != IA_OK ||
        (st = mo_heads(&q, s->heads, s->head_dim, &qh, err)) != IA_OK ||
        (st = mo_heads(&k, s->heads, s->head_dim, &kh, err)) != IA_OK ||
        (st = mo_heads(&v, s->heads, s->head_dim, &vh, err)) != IA_OK ||
        (st = mo_heads(ctx, s->heads, s->head_dim, &ch, err)) != IA_OK)
        return st;
    if ((st = attend(m, mk, &qh, &kh, &vh, &ch, err)) != IA_OK ||
        (st = mo_linear_into(m, ctx, &ly->o_w, &ly->o_b, h1, err)) != IA_OK ||
        (st = mo_add_into(m, h1, x, h1, err)) != IA_OK ||
        (st = mo_layer_norm_into(m, h1, &ly->attn_norm_w, &ly->attn_norm_b, s->eps, h1, err)) != IA_OK ||
        (st = mo_linear_into(m, h1, &ly->in_w, &ly->in_b, inter, err)) != IA_OK ||
        (st = mo_act_inplace(m, inter, s->act, err)) != IA_OK ||
        (st = mo_linear_into(m, inter, &ly->out_w, &ly->out_b, x, err)) != IA_OK ||
        (st = mo_add_into(m, x, h1, x, err)) != IA_OK)
        return st;
    return mo_layer_norm_into(m, x, &ly->ffn_norm_w, &ly->ffn_norm_b, s->eps, x, err);
}

static ia_status bert_forward(ia_model *m, const ia_tensor_map *in, ia_tensor_map *out,
                              ia_error *err)
{
    const bert_state *s = m->state;
    const ia_tensor *ids, *am, *tt;
    int64_t any2[2] = {-1, -1};
    ia_status st = mo_input(in, "input_ids", true, true, 2, any2, &ids, err);
    if (st != IA_OK)
        return st;
    int64_t B = ids->shape[0], S = ids->shape[1], H = s->hidden;
    if (B < 1 || S < 1)
        return ia_error_set(err, IA_ERR_INVALID, "input 'input_ids' is empty ([%lld, %lld])",
                            (long long)B, (long long)S);
    int64_t bs[2] = {B, S};
    if ((st = mo_input(in, "attention_mask", false, true, 2, bs, &am, err)) != IA_OK ||
        (st = mo_input(in, "token_type_ids", false, true, 2, bs, &tt, err)) != IA_OK ||
        (st = check_ids(ids, "input_ids", s->vocab, "vocabulary", err)) != IA_OK)
        return st;
    if (tt && !s->token_types) {
        tt = NULL; /* DistilBERT and MPNet take none: ignored, as tokenizers emit them */
    } else if (tt && (st = check_ids(tt, "token_type_ids", s->type_vocab, "token types", err)) !=
                         IA_OK) {
        return st;
    }

    ia_tensor x, tmp, qkv, ctx, inter;
    bert_mask mask;
    int64_t xs[3] = {B, S, H}, qs[3] = {B, S, 3 * s->attn_dim}, cs[3] = {B, S, s->attn_dim},
            is[3] = {B, S, s->inter};
    if ((st = mo_tensor(m, &x, IA_DTYPE_F32, 3, xs, err)) != IA_OK ||
        (st = mo_tensor(m, &tmp, IA_DTYPE_F32, 3, xs, err)) != IA_OK ||
        (st = mo_tensor(m, &qkv, IA_DTYPE_F32, 3, qs, err)) != IA_OK ||
        (st = mo_tensor(m, &ctx, IA_DTYPE_F32, 3, cs, err)) != IA_OK ||
        (st = mo_tensor(m, &inter, IA_DTYPE_F32, 3, is, err)) != IA_OK ||
        (st = attention_mask(m, s, am, B, S, &mask, err)) != IA_OK ||
        (st = embeddings(m, s, ids, tt, &x, &tmp, err)) != IA_OK)
        return st;
    for (int64_t l = 0; l < s->layers; l++)
        if ((st = layer_forward(m, s, &s->layer[l], &x, &qkv, &ctx, &tmp, &inter,
                                &mask, err)) != IA_OK)
            return st;

    ia_tensor pooled = {0}, hidden, logits;
    bool want_pool = s->pool_w.data && (s->head == HEAD_NONE || s->head == HEAD_POOLER_LINEAR);
    if (want_pool &&
        (st = mo_token_dense(m, &x, 0, &s->pool_w, &s->pool_b, IA_ACT_TANH, &pooled, err)) != IA_OK)
        return st;
    switch (s->head) {
    case HEAD_NONE:
        if ((st = mo_output(out, "last_hidden_state", &x, err)) != IA_OK)
            return st;
        return want_pool ? mo_output(out, "pooler_output", &pooled, err) : IA_OK;
    case HEAD_POOLER_LINEAR:
        if ((st = mo_linear(m, &pooled, &s->cls_w, &s->cls_b, false, &logits, err)) != IA_OK)
            return st;
        break;
    case HEAD_DENSE_TANH:
    case HEAD_DENSE_RELU:
        if ((st = mo_token_dense(m, &x, 0, &s->cls_dense_w, &s->cls_dense_b,
                                    s->head == HEAD_DENSE_TANH ? IA_ACT_TANH : IA_ACT_RELU,
                                    &hidden, err)) != IA_OK ||
            (st = mo_linear(m, &hidden, &s->cls_w, &s->cls_b, false, &logits, err)) != IA_OK)
            return st;
        break;
    }
    return mo_output(out, "logits", &logits, err);
}

const ia_arch ia_arch_bert = {
    .name = "bert",
    .load = bert_load,
    .forward = bert_forward,
    .generate = NULL,
    .free_state = bert_free_state,
};
