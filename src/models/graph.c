/* The ops architectures are written with: each takes its inputs, allocates
 * its result from the model's arena and runs one engine op on the model's
 * backend, so a forward pass reads as a list of layer steps. */
#include <stdio.h>
#include <string.h>

#include "models/model_internal.h"

ia_status mo_run(ia_model *m, ia_op *op, ia_error *err)
{
    return ia_backend_compute(m->be, op, err);
}

ia_status mo_linear_into(ia_model *m, const ia_tensor *x, const ia_tensor *w, const ia_tensor *b,
                         ia_tensor *y, ia_error *err)
{
    ia_op op = {.type = IA_OP_MATMUL, .src = {x, w, b && b->data ? b : NULL}, .dst = y};
    op.p.matmul.b_transposed = true;
    return mo_run(m, &op, err);
}

ia_status mo_layer_norm_into(ia_model *m, const ia_tensor *x, const ia_tensor *w,
                             const ia_tensor *b, float eps, ia_tensor *y, ia_error *err)
{
    ia_op op = {.type = IA_OP_LAYER_NORM, .src = {x, w && w->data ? w : NULL,
                                                  b && b->data ? b : NULL}, .dst = y};
    op.p.norm.eps = eps;
    return mo_run(m, &op, err);
}

ia_status mo_add_into(ia_model *m, const ia_tensor *a, const ia_tensor *b, ia_tensor *y,
                      ia_error *err)
{
    ia_op op = {.type = IA_OP_ADD, .src = {a, b}, .dst = y};
    return mo_run(m, &op, err);
}

ia_status mo_act_inplace(ia_model *m, ia_tensor *x, ia_activation act, ia_error *err)
{
    ia_op op = {.type = IA_OP_ACTIVATION, .src = {x}, .dst = x};
    op.p.act = act;
    return mo_run(m, &op, err);
}

ia_status mo_tensor(ia_model *m, ia_tensor *t, ia_dtype dtype, int ndim, const int64_t *shape,
                    ia_error *err)
{
    return ia_arena_tensor(m->arena, t, dtype, ndim, shape, err);
}

/* A contiguous version of x: x itself, or a copy in the arena. */
static ia_status contiguous(ia_model *m, const ia_tensor *x, ia_tensor *out, ia_error *err)
{
    if (ia_tensor_is_contiguous(x)) {
        *out = *x;
        return IA_OK;
    }
    memset(out, 0, sizeof *out);
    return mo_copy(m, x, out, err);
}

ia_status mo_linear(ia_model *m, const ia_tensor *x, const ia_tensor *w, const ia_tensor *b,
                    bool w_in_out, ia_tensor *y, ia_error *err)
{
    ia_tensor xc;
    ia_status st = contiguous(m, x, &xc, err);
    if (st != IA_OK)
        return st;
    int64_t shape[IA_TENSOR_MAX_DIMS];
    memcpy(shape, xc.shape, sizeof shape);
    shape[xc.ndim - 1] = w_in_out ? w->shape[1] : w->shape[0];
    st = mo_tensor(m, y, IA_DTYPE_F32, xc.ndim, shape, err);
    if (st != IA_OK)
        return st;
    ia_op op = {.type = IA_OP_MATMUL, .src = {&xc, w, b}, .dst = y};
    op.p.matmul.b_transposed = !w_in_out;
    return mo_run(m, &op, err);
}

static ia_status unary(ia_model *m, ia_op *op, const ia_tensor *x, ia_tensor *y, ia_error *err)
{
    ia_status st = mo_tensor(m, y, IA_DTYPE_F32, x->ndim, x->shape, err);
    if (st != IA_OK)
        return st;
    op->dst = y;
    return mo_run(m, op, err);
}

ia_status mo_layer_norm(ia_model *m, const ia_tensor *x, const ia_tensor *w, const ia_tensor *b,
                        float eps, ia_tensor *y, ia_error *err)
{
    ia_op op = {.type = IA_OP_LAYER_NORM, .src = {x, w && w->data ? w : NULL,
                                                  b && b->data ? b : NULL}};
    op.p.norm.eps = eps;
    return unary(m, &op, x, y, err);
}

ia_status mo_rms_norm(ia_model *m, const ia_tensor *x, const ia_tensor *w, float eps,
                      bool one_plus, ia_tensor *y, ia_error *err)
{
    ia_op op = {.type = IA_OP_RMS_NORM, .src = {x, w && w->data ? w : NULL}};
    op.p.norm.eps = eps;
    op.p.norm.one_plus = one_plus;
    return unary(m, &op, x, y, err);
}

ia_status mo_act(ia_model *m, const ia_tensor *x, ia_activation act, ia_tensor *y,
                 ia_error *err)
{
    ia_op op = {.type = IA_OP_ACTIVATION, .src = {x}};
    op.p.act = act;
    return unary(m, &op, x, y, err);
}

ia_status mo_scale(ia_model *m, const ia_tensor *x, float scale, ia_tensor *y, ia_error *err)
{
    ia_op op = {.type = IA_OP_SCALE, .src = {x}};
    op.p.scale.scale = scale;
    return unary(m, &op, x, y, err);
}

/* NumPy broadcasting of a and b, aligned on their last dimensions. */
static ia_status binary(ia_model *m, ia_op_type type, const ia_tensor *a, const ia_tensor *b,
                        ia_tensor *y, ia_error *err)
{
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    int64_t shape[IA_TENSOR_MAX_DIMS];
    for (int i = 0; i < nd; i++) {
        int ia = a->ndim - nd + i, ib = b->ndim - nd + i;
        int64_t da = ia >= 0 ? a->shape[ia] : 1, db = ib >= 0 ? b->shape[ib] : 1;
        if (da != db && da != 1 && db != 1) {
            char sa[64], sb[64];
            return ia_error_set(err, IA_ERR_INVALID, "%s: shapes %s and %s do not broadcast",
                                ia_op_name(type), ia_tensor_describe(a, sa, sizeof sa),
                                ia_tensor_describe(b, sb, sizeof sb));
        }
        shape[i] = da == 1 ? db : da;
    }
    ia_status st = mo_tensor(m, y, IA_DTYPE_F32, nd, shape, err);
    if (st != IA_OK)
        return st;
    ia_op op = {.type = type, .src = {a, b}, .dst = y};
    return mo_run(m, &op, err);
}

ia_status mo_add(ia_model *m, const ia_tensor *a, const ia_tensor *b, ia_tensor *y,
                 ia_error *err)
{
    return binary(m, IA_OP_ADD, a, b, y, err);
}

ia_status mo_mul(ia_model *m, const ia_tensor *a, const ia_tensor *b, ia_tensor *y,
                 ia_error *err)
{
    return binary(m, IA_OP_MUL, a, b, y, err);
}

ia_status mo_embedding(ia_model *m, const ia_tensor *table, const ia_tensor *ids, ia_tensor *y,
                       ia_error *err)
{
    if (ids->ndim >= IA_TENSOR_MAX_DIMS)
        return ia_error_set(err, IA_ERR_INVALID, "embedding: ids of %d dimensions", ids->ndim);
    int64_t shape[IA_TENSOR_MAX_DIMS];
    memcpy(shape, ids->shape, sizeof shape);
    shape[ids->ndim] = table->shape[1];
    ia_status st = mo_tensor(m, y, IA_DTYPE_F32, ids->ndim + 1, shape, err);
    if (st != IA_OK)
        return st;
    ia_op op = {.type = IA_OP_EMBEDDING, .src = {table, ids}, .dst = y};
    return mo_run(m, &op, err);
}

ia_status mo_heads(const ia_tensor *x, int64_t heads, int64_t head_dim, ia_tensor *view,
                   ia_error *err)
{
    if (x->ndim != 3 || x->shape[2] != heads * head_dim)
        return ia_error_set(err, IA_ERR_INVALID,
                            "attention heads: expected [B, S, %lld x %lld], found %d dimensions "
                            "of last size %lld",
                            (long long)heads, (long long)head_dim, x->ndim,
                            (long long)x->shape[x->ndim - 1]);
    /* [B, S, H*D] with its own strides (x may be a slice of a fused qkv) */
    *view = *x;
    view->ndim = 4;
    view->shape[0] = x->shape[0];
    view->shape[1] = heads;
    view->shape[2] = x->shape[1];
    view->shape[3] = head_dim;
    view->stride[0] = x->stride[0];
    view->stride[1] = head_dim * x->stride[2];
    view->stride[2] = x->stride[1];
    view->stride[3] = x->stride[2];
    return IA_OK;
}

ia_status mo_attention(ia_model *m, const ia_tensor *q, const ia_tensor *k, const ia_tensor *v,
                       const ia_tensor *mask, float scale, bool causal, int window,
                       ia_tensor *y, ia_error *err)
{
    int64_t B = q->shape[0], H = q->shape[1], S = q->shape[2], Dv = v->shape[3];
    int64_t shape[3] = {B, S, H * Dv};
    ia_status st = mo_tensor(m, y, IA_DTYPE_F32, 3, shape, err);
    if (st != IA_OK)
        return st;
    ia_tensor dst; /* y seen as [B, H, S, Dv] */
    st = mo_heads(y, H, Dv, &dst, err);
    if (st != IA_OK)
        return st;
    ia_op op = {.type = IA_OP_ATTENTION, .src = {q, k, v, mask}, .dst = &dst};
    op.p.attention.scale = scale;
    op.p.attention.causal = causal;
    op.p.attention.window = window;
    return mo_run(m, &op, err);
}

ia_status mo_copy(ia_model *m, const ia_tensor *src, ia_tensor *dst, ia_error *err)
{
    if (!dst->data) {
        ia_status st = mo_tensor(m, dst, dst->ndim ? dst->dtype : src->dtype, src->ndim,
                                 src->shape, err);
        if (st != IA_OK)
            return st;
    }
    ia_op op = {.type = IA_OP_COPY, .src = {src}, .dst = dst};
    return mo_run(m, &op, err);
}

ia_status mo_output(ia_tensor_map *out, const char *name, const ia_tensor *t, ia_error *err)
{
    return ia_tensor_map_add_copy(out, name, t, t->dtype, err);
}

ia_status mo_input(const ia_tensor_map *in, const char *name, bool required, bool integer,
                   int ndim, const int64_t *shape, const ia_tensor **out, ia_error *err)
{
    *out = ia_tensor_map_find(in, name);
    if (!*out)
        return required ? ia_error_set(err, IA_ERR_INVALID, "input '%s' is missing", name)
                        : IA_OK;
    const ia_tensor *t = *out;
    bool is_int = t->dtype == IA_DTYPE_I64 || t->dtype == IA_DTYPE_I32;
    if (integer ? !is_int : t->dtype != IA_DTYPE_F32)
        return ia_error_set(err, IA_ERR_INVALID, "input '%s' is %s; expected %s", name,
                            ia_dtype_name(t->dtype), integer ? "I64 or I32" : "F32");
    bool ok = t->ndim == ndim;
    for (int i = 0; ok && i < ndim; i++)
        ok = shape[i] < 0 || shape[i] == t->shape[i];
    if (!ok) {
        char found[64], want[128];
        size_t o = (size_t)snprintf(want, sizeof want, "[");
        for (int i = 0; i < ndim && o < sizeof want; i++)
            o += (size_t)(shape[i] < 0
                              ? snprintf(want + o, sizeof want - o, "%s*", i ? ", " : "")
                              : snprintf(want + o, sizeof want - o, "%s%lld", i ? ", " : "",
                                         (long long)shape[i]));
        if (o < sizeof want)
            snprintf(want + o, sizeof want - o, "]");
        return ia_error_set(err, IA_ERR_INVALID, "input '%s' is %s; expected shape %s", name,
                            ia_tensor_describe(t, found, sizeof found), want);
    }
    return IA_OK;
}

ia_status mo_token_dense(ia_model *m, const ia_tensor *x, int64_t token, const ia_tensor *w,
                         const ia_tensor *b, ia_activation act, ia_tensor *y, ia_error *err)
{
    ia_tensor row;
    ia_status st = ia_tensor_view_slice(x, 1, token, 1, &row, err);
    if (st != IA_OK)
        return st;
    /* [B, 1, H] seen as [B, H] with x's strides */
    row.ndim = 2;
    row.shape[1] = x->shape[2];
    row.stride[1] = x->stride[2];
    row.shape[2] = 1;
    row.stride[2] = 0;
    if ((st = mo_linear(m, &row, w, b, false, y, err)) != IA_OK)
        return st;
    return act == IA_ACT_NONE ? IA_OK : mo_act_inplace(m, y, act, err);
}
