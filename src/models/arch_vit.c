/* Vision transformers: vit and deit (and their image-classification heads).
 *
 * The image is cut into patches by a convolution whose kernel and stride
 * are the patch size; [CLS] (and, for DeiT, a distillation token) goes in
 * front, learned position embeddings are added, and pre-norm layers follow
 * (x += attn(LN(x)); x += mlp(LN(x))), then a final LayerNorm. The pooler,
 * when the checkpoint has one, is act(dense(h[:, 0])).
 *
 * Position embeddings are learned for one image size, so pixel_values must
 * have config.image_size (no interpolation). As in arch_bert.c, q, k and v
 * are fused into one weight at load and the forward pass reuses one layer's
 * worth of buffers from the arena for every layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/model_internal.h"

typedef enum vit_head {
    VIT_HEAD_NONE = 0,
    VIT_HEAD_CLS,     /* ForImageClassification: classifier(h[:, 0]) */
    /* DeiT WithTeacher: (cls_classifier(h[:, 0]) + distillation_classifier(h[:, 1])) / 2 */
    VIT_HEAD_TEACHER,
} vit_head;

typedef struct vit_layer {
    ia_tensor norm1_w, norm1_b, qkv_w, qkv_b, o_w, o_b, norm2_w, norm2_b;
    ia_tensor in_w, in_b, out_w, out_b;
} vit_layer;

typedef struct vit_state {
    int64_t hidden, heads, head_dim, attn_dim, inter, layers, channels;
    int64_t image[2], patch[2], grid[2];
    int64_t tokens;  /* [CLS] (+ distillation) */
    int64_t seq;     /* tokens + patches */
    float eps;
    bool qkv_bias; /* config qkv_bias: q, k, v have biases (absent ones read as zeros) */
    ia_activation act, pool_act;

    ia_tensor proj_w, proj_b, cls, dist, pos;
    vit_layer *layer;
    ia_tensor norm_w, norm_b, pool_w, pool_b;

    vit_head head;
    ia_tensor cls_w, cls_b, dist_w, dist_b;
} vit_state;

static void vit_free_state(ia_model *m)
{
    vit_state *s = m->state;
    if (!s)
        return;
    free(s->layer);
    free(s);
    m->state = NULL;
}

/* ------------------------------------------------------------ config */

/* An int or an [h, w] pair (image_size, patch_size), default when absent. */
static ia_status int_pair(const ia_model *m, const char *key, int64_t def, int64_t out[2],
                          ia_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m->cfg.json, key);
    if (!v || cJSON_IsNull(v)) {
        out[0] = out[1] = def;
    } else if (cJSON_IsNumber(v)) {
        out[0] = out[1] = (int64_t)v->valuedouble;
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
               cJSON_IsNumber(cJSON_GetArrayItem(v, 0)) &&
               cJSON_IsNumber(cJSON_GetArrayItem(v, 1))) {
        out[0] = (int64_t)cJSON_GetArrayItem(v, 0)->valuedouble;
        out[1] = (int64_t)cJSON_GetArrayItem(v, 1)->valuedouble;
    } else {
        return ia_error_set(err, IA_ERR_PARSE,
                            "%s/config.json: %s must be a number or a [height, width] pair",
                            m->path, key);
    }
    if (out[0] <= 0 || out[1] <= 0)
        return ia_error_set(err, IA_ERR_INVALID, "%s/config.json: %s must be positive", m->path,
                            key);
    return IA_OK;
}

/* ------------------------------------------------------------ loading */

/* query, key and value of layer l as one [3A, H] weight (their common
 * dtype, or F32) and one [3A] F32 bias (none when qkv_bias is false and
 * the checkpoint has none). */
static ia_status get_fused_qkv(ia_model *m, vit_state *s, int l, vit_layer *ly, ia_error *err)
{
    static const char *const which[3] = {"query", "key", "value"};
    ia_tensor w[3], b[3];
    ia_status st;
    for (int i = 0; i < 3; i++) {
        char name[128];
        snprintf(name, sizeof name, "encoder.layer.%d.attention.attention.%s", l, which[i]);
        if ((st = ia_mw_linear(m, &w[i], &b[i], s->qkv_bias, s->attn_dim, s->hidden, name, err)) !=
            IA_OK)
            return st;
    }
    return ia_mw_fuse(m, w, b, 3, &ly->qkv_w, &ly->qkv_b, err);
}

/* Image-classification heads, outside the base model's prefix. */
static ia_status load_head(ia_model *m, vit_state *s, ia_error *err)
{
    bool teacher = ia_model_arch_is(m, "ForImageClassificationWithTeacher");
    if (!teacher && !ia_model_arch_is(m, "ForImageClassification"))
        return IA_OK;
    const char *base = m->prefix;
    m->prefix = "";
    int64_t L = ia_model_num_labels(m), w2[2] = {L, s->hidden}, b1[1] = {L};
    ia_status st;
    if (teacher) {
        s->head = VIT_HEAD_TEACHER;
        if ((st = ia_mw_get(m, &s->cls_w, true, 2, w2, err, "cls_classifier.weight")) == IA_OK &&
            (st = ia_mw_get_f32(m, &s->cls_b, true, 1, b1, err, "cls_classifier.bias")) == IA_OK &&
            (st = ia_mw_get(m, &s->dist_w, true, 2, w2, err, "distillation_classifier.weight")) ==
                IA_OK)
            st = ia_mw_get_f32(m, &s->dist_b, true, 1, b1, err, "distillation_classifier.bias");
    } else {
        s->head = VIT_HEAD_CLS;
        if ((st = ia_mw_get(m, &s->cls_w, true, 2, w2, err, "classifier.weight")) == IA_OK)
            st = ia_mw_get_f32(m, &s->cls_b, true, 1, b1, err, "classifier.bias");
    }
    m->prefix = base;
    return st;
}

static ia_status vit_load(ia_model *m, ia_error *err)
{
    const ia_model_config *c = &m->cfg;
    bool deit = m->variant->flags & MV_DEIT;
    if (c->intermediate_size <= 0)
        return ia_error_set(err, IA_ERR_INVALID, "%s/config.json: intermediate_size must be "
                            "positive", m->path);
    vit_state *s = calloc(1, sizeof *s);
    if (!s)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    m->state = s;
    s->hidden = c->hidden_size;
    s->heads = c->num_attention_heads;
    s->head_dim = c->head_dim;
    s->attn_dim = s->heads * s->head_dim;
    s->inter = c->intermediate_size;
    s->layers = c->num_hidden_layers;
    s->eps = (float)c->layer_norm_eps;
    s->tokens = deit ? 2 : 1;
    const cJSON *qb = cJSON_GetObjectItemCaseSensitive(c->json, "qkv_bias");
    s->qkv_bias = !cJSON_IsFalse(qb);
    if (!ia_activation_from_name(c->hidden_act, &s->act))
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s/config.json: activation '%s' is not supported", m->path,
                            c->hidden_act);
    const cJSON *pa = cJSON_GetObjectItemCaseSensitive(c->json, "pooler_act");
    const char *pool_act = cJSON_IsString(pa) ? pa->valuestring : "tanh";
    if (!ia_activation_from_name(pool_act, &s->pool_act))
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s/config.json: pooler_act '%s' is not supported", m->path, pool_act);
    int64_t ch[2];
    ia_status st;
    if ((st = int_pair(m, "image_size", 224, s->image, err)) != IA_OK ||
        (st = int_pair(m, "patch_size", 16, s->patch, err)) != IA_OK ||
        (st = int_pair(m, "num_channels", 3, ch, err)) != IA_OK)
        return st;
    s->channels = ch[0];
    for (int a = 0; a < 2; a++) {
        s->grid[a] = s->image[a] / s->patch[a];
        if (s->grid[a] < 1)
            return ia_error_set(err, IA_ERR_INVALID,
                                "%s/config.json: patch_size %lld is larger than image_size %lld",
                                m->path, (long long)s->patch[a], (long long)s->image[a]);
    }
    s->seq = s->tokens + s->grid[0] * s->grid[1];

    const char *prefixes[] = {"", deit ? "deit." : "vit."};
    if ((st = ia_mw_prefix(m, prefixes, 2, "embeddings.cls_token", err)) != IA_OK)
        return st;
    int64_t H = s->hidden, A = s->attn_dim, I = s->inter;
    int64_t proj[4] = {H, s->channels, s->patch[0], s->patch[1]}, hb[1] = {H};
    int64_t tok[3] = {1, 1, H}, pos[3] = {1, s->seq, H};
    if ((st = ia_mw_get(m, &s->proj_w, true, 4, proj, err,
                        "embeddings.patch_embeddings.projection.weight")) != IA_OK ||
        (st = ia_mw_get_f32(m, &s->proj_b, true, 1, hb, err,
                            "embeddings.patch_embeddings.projection.bias")) != IA_OK ||
        (st = ia_mw_get_f32(m, &s->cls, true, 3, tok, err, "embeddings.cls_token")) != IA_OK ||
        (deit && (st = ia_mw_get_f32(m, &s->dist, true, 3, tok, err,
                                     "embeddings.distillation_token")) != IA_OK) ||
        (st = ia_mw_get_f32(m, &s->pos, true, 3, pos, err, "embeddings.position_embeddings")) !=
            IA_OK)
        return st;

    s->layer = calloc((size_t)s->layers, sizeof *s->layer);
    if (!s->layer)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
    for (int l = 0; l < (int)s->layers; l++) {
        vit_layer *ly = &s->layer[l];
        char n1[96], n2[96], o[96], in[96], out[96];
        snprintf(n1, sizeof n1, "encoder.layer.%d.layernorm_before", l);
        snprintf(n2, sizeof n2, "encoder.layer.%d.layernorm_after", l);
        snprintf(o, sizeof o, "encoder.layer.%d.attention.output.dense", l);
        snprintf(in, sizeof in, "encoder.layer.%d.intermediate.dense", l);
        snprintf(out, sizeof out, "encoder.layer.%d.output.dense", l);
        if ((st = ia_mw_layer_norm(m, &ly->norm1_w, &ly->norm1_b, H, n1, err)) != IA_OK ||
            (st = get_fused_qkv(m, s, l, ly, err)) != IA_OK ||
            (st = ia_mw_linear(m, &ly->o_w, &ly->o_b, true, H, A, o, err)) != IA_OK ||
            (st = ia_mw_layer_norm(m, &ly->norm2_w, &ly->norm2_b, H, n2, err)) != IA_OK ||
            (st = ia_mw_linear(m, &ly->in_w, &ly->in_b, true, I, H, in, err)) != IA_OK ||
            (st = ia_mw_linear(m, &ly->out_w, &ly->out_b, true, H, I, out, err)) != IA_OK)
            return st;
    }
    /* The pooler when the checkpoint has one; a synthetic ViTModel or
     * DeiTModel gets the one transformers gives them. */
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(c->json, "pooler_output_size");
    int64_t P = cJSON_IsNumber(ps) ? (int64_t)ps->valuedouble : H, pool[2] = {P, H}, pb[1] = {P};
    bool pooler = m->synth && ia_model_arch_is(m, "Model");
    if ((st = ia_mw_layer_norm(m, &s->norm_w, &s->norm_b, H, "layernorm", err)) != IA_OK ||
        (st = ia_mw_get(m, &s->pool_w, pooler, 2, pool, err, "pooler.dense.weight")) != IA_OK ||
        (st = ia_mw_get_f32(m, &s->pool_b, s->pool_w.data != NULL, 1, pb, err,
                            "pooler.dense.bias")) != IA_OK)
        return st;
    return load_head(m, s, err);
}

/* ------------------------------------------------------------ forward */

/* Patches, [CLS] (and distillation) tokens and positions into x [B, T, H]. */
static ia_status embeddings(ia_model *m, const vit_state *s, const ia_tensor *px, ia_tensor *x,
                            ia_error *err)
{
    int64_t B = px->shape[0], H = s->hidden, N = s->grid[0] * s->grid[1];
    int64_t pshape[4] = {B, H, s->grid[0], s->grid[1]};
    ia_tensor patches, flat, seq_view, slot;
    ia_status st = mo_tensor(m, &patches, IA_DTYPE_F32, 4, pshape, err);
    if (st != IA_OK)
        return st;
    ia_op conv = {.type = IA_OP_CONV2D, .src = {px, &s->proj_w, s->proj_b.data ? &s->proj_b : NULL},
                  .dst = &patches};
    conv.p.conv2d.stride[0] = (int)s->patch[0];
    conv.p.conv2d.stride[1] = (int)s->patch[1];
    int64_t fshape[3] = {B, H, N};
    const int perm[3] = {0, 2, 1};
    if ((st = mo_run(m, &conv, err)) != IA_OK ||
        (st = ia_tensor_view_reshape(&patches, 3, fshape, &flat, err)) != IA_OK ||
        (st = ia_tensor_view_permute(&flat, perm, &seq_view, err)) != IA_OK ||
        (st = ia_tensor_view_slice(x, 1, s->tokens, N, &slot, err)) != IA_OK ||
        (st = mo_copy(m, &seq_view, &slot, err)) != IA_OK)
        return st;
    float *xd = x->data;
    for (int64_t b = 0; b < B; b++) {
        memcpy(xd + b * s->seq * H, s->cls.data, (size_t)H * sizeof(float));
        if (s->dist.data)
            memcpy(xd + (b * s->seq + 1) * H, s->dist.data, (size_t)H * sizeof(float));
    }
    return mo_add_into(m, x, &s->pos, x, err);
}

static ia_status layer_forward(ia_model *m, const vit_state *s, const vit_layer *ly,
                               ia_tensor *x, ia_tensor *t, ia_tensor *qkv, ia_tensor *ctx,
                               ia_tensor *inter, ia_error *err)
{
    int64_t A = s->attn_dim;
    ia_tensor q, k, v, qh, kh, vh, ch;
    ia_status st;
    if ((st = mo_layer_norm_into(m, x, &ly->norm1_w, &ly->norm1_b, s->eps, t, err)) != IA_OK ||
        (st = mo_linear_into(m, t, &ly->qkv_w, &ly->qkv_b, qkv, err)) != IA_OK ||
        (st = ia_tensor_view_slice(qkv, 2, 0, A, &q, err)) != IA_OK ||
        (st = ia_tensor_view_slice(qkv, 2, A, A, &k, err)) != IA_OK ||
        (st = ia_tensor_view_slice(qkv, 2, 2 * A, A, &v, err)) != IA_OK ||
        (st = mo_heads(&q, s->heads, s->head_dim, &qh, err)) != IA_OK ||
        (st = mo_heads(&k, s->heads, s->head_dim, &kh, err)) != IA_OK ||
        (st = mo_heads(&v, s->heads, s->head_dim, &vh, err)) != IA_OK ||
        (st = mo_heads(ctx, s->heads, s->head_dim, &ch, err)) != IA_OK)
        return st;
    ia_op op = {.type = IA_OP_ATTENTION, .src = {&qh, &kh, &vh}, .dst = &ch};
    if ((st = mo_run(m, &op, err)) != IA_OK ||
        (st = mo_linear_into(m, ctx, &ly->o_w, &ly->o_b, t, err)) != IA_OK ||
        (st = mo_add_into(m, x, t, x, err)) != IA_OK ||
        (st = mo_layer_norm_into(m, x, &ly->norm2_w, &ly->norm2_b, s->eps, t, err)) != IA_OK ||
        (st = mo_linear_into(m, t, &ly->in_w, &ly->in_b, inter, err)) != IA_OK ||
        (st = mo_act_inplace(m, inter, s->act, err)) != IA_OK ||
        (st = mo_linear_into(m, inter, &ly->out_w, &ly->out_b, t, err)) != IA_OK)
        return st;
    return mo_add_into(m, x, t, x, err);
}

static ia_status vit_forward(ia_model *m, const ia_tensor_map *in, ia_tensor_map *out,
                             ia_error *err)
{
    const vit_state *s = m->state;
    const ia_tensor *px;
    int64_t want[4] = {-1, s->channels, -1, -1};
    ia_status st = mo_input(in, "pixel_values", true, false, 4, want, &px, err);
    if (st != IA_OK)
        return st;
    if (px->shape[2] != s->image[0] || px->shape[3] != s->image[1])
        return ia_error_set(err, IA_ERR_INVALID,
                            "input 'pixel_values' is %lld x %lld pixels; the model takes %lld x "
                            "%lld (config.json's image_size; resize the image first)",
                            (long long)px->shape[2], (long long)px->shape[3],
                            (long long)s->image[0], (long long)s->image[1]);
    int64_t B = px->shape[0], T = s->seq, H = s->hidden;
    if (B < 1)
        return ia_error_set(err, IA_ERR_INVALID, "input 'pixel_values' holds no image");
    const ia_tensor *pxc = px;
    ia_tensor pcopy = {0};
    if (!ia_tensor_is_contiguous(px)) {
        if ((st = mo_copy(m, px, &pcopy, err)) != IA_OK)
            return st;
        pxc = &pcopy;
    }

    ia_tensor x, t, qkv, ctx, inter;
    int64_t xs[3] = {B, T, H}, qs[3] = {B, T, 3 * s->attn_dim}, cs[3] = {B, T, s->attn_dim},
            is[3] = {B, T, s->inter};
    if ((st = mo_tensor(m, &x, IA_DTYPE_F32, 3, xs, err)) != IA_OK ||
        (st = mo_tensor(m, &t, IA_DTYPE_F32, 3, xs, err)) != IA_OK ||
        (st = mo_tensor(m, &qkv, IA_DTYPE_F32, 3, qs, err)) != IA_OK ||
        (st = mo_tensor(m, &ctx, IA_DTYPE_F32, 3, cs, err)) != IA_OK ||
        (st = mo_tensor(m, &inter, IA_DTYPE_F32, 3, is, err)) != IA_OK ||
        (st = embeddings(m, s, pxc, &x, err)) != IA_OK)
        return st;
    for (int64_t l = 0; l < s->layers; l++)
        if ((st = layer_forward(m, s, &s->layer[l], &x, &t, &qkv, &ctx, &inter, err)) != IA_OK)
            return st;
    if ((st = mo_layer_norm_into(m, &x, &s->norm_w, &s->norm_b, s->eps, &x, err)) != IA_OK)
        return st;

    ia_tensor y, y2;
    switch (s->head) {
    case VIT_HEAD_NONE:
        if ((st = mo_output(out, "last_hidden_state", &x, err)) != IA_OK || !s->pool_w.data)
            return st;
        if ((st = mo_token_dense(m, &x, 0, &s->pool_w, &s->pool_b, s->pool_act, &y, err)) != IA_OK)
            return st;
        return mo_output(out, "pooler_output", &y, err);
    case VIT_HEAD_CLS:
        if ((st = mo_token_dense(m, &x, 0, &s->cls_w, &s->cls_b, IA_ACT_NONE, &y, err)) != IA_OK)
            return st;
        return mo_output(out, "logits", &y, err);
    case VIT_HEAD_TEACHER:
        if ((st = mo_token_dense(m, &x, 0, &s->cls_w, &s->cls_b, IA_ACT_NONE, &y, err)) != IA_OK ||
            (st = mo_token_dense(m, &x, 1, &s->dist_w, &s->dist_b, IA_ACT_NONE, &y2, err)) != IA_OK ||
            (st = mo_add_into(m, &y, &y2, &y, err)) != IA_OK)
            return st;
        ia_op half = {.type = IA_OP_SCALE, .src = {&y}, .dst = &y};
        half.p.scale.scale = 0.5f;
        if ((st = mo_run(m, &half, err)) != IA_OK)
            return st;
        return mo_output(out, "logits", &y, err);
    }
    return IA_OK;
}

const ia_arch ia_arch_vit = {
    .name = "vit",
    .load = vit_load,
    .forward = vit_forward,
    .generate = NULL,
    .free_state = vit_free_state,
};
