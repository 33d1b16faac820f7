/* IA_OP_ATTENTION: the check and the plain reference.
 *
 * Semantics (engine.h gives the shapes): for every batch b, query head h and
 * query i, the scores are s_j = scale * q . k_j (+ the additive mask) over the
 * keys j the masks leave visible, and the output is sum_j softmax(s)_j v_j.
 * Query head h reads key/value head h / (Hq / Hkv) (grouped-query).
 *
 * Which keys a query sees: its position is p = i + (Sk - Sq) (the queries are
 * the last Sq positions, as with a KV cache). Causal hides keys j > p; a
 * window w > 0 hides keys j < p - (w - 1), with or without causal (without,
 * keys after the query stay visible). A BOOL mask hides keys where it is
 * false; an additive F32 mask of -inf hides them too.
 *
 * A row that ends up with every key hidden (a fully padded sequence, Sq > Sk
 * with causal, an additive mask of -inf everywhere) has no softmax: PyTorch's
 * scaled_dot_product_attention returns NaN there. We define its output as
 * zeros, which is what models that avoid the NaN (Hugging Face's padding
 * handling) end up using, and what keeps a NaN from spreading through the
 * next layers. The CPU kernel gives the same zeros.
 *
 * A finite but huge negative additive mask (Hugging Face's finfo.min) is not
 * "hidden": such keys still count, as they do in PyTorch. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* Strides of the mask in [B, Hq, Sq, Sk] index space, 0 along broadcast
 * dimensions (NumPy broadcasting: the mask's dimensions align right). */
static void attention_mask_strides(const ia_tensor *mask, int64_t out[4])
{
    for (int d = 0; d < 4; d++) {
        int md = d - (4 - mask->ndim);
        out[d] = (md >= 0 && mask->shape[md] != 1) ? mask->stride[md] : 0;
    }
}

ia_status ia_check_attention(const ia_op *op, ia_error *err)
{
    const ia_tensor *q = op->src[0], *k = op->src[1], *v = op->src[2], *mask = op->src[3];
    const ia_tensor *dst = op->dst;
    const unsigned f32 = IA_DTYPE_BIT(IA_DTYPE_F32);
    ia_status st;
    if ((st = ia_check_tensor(op, err, "q (src0)", q, f32, 4, 4)) != IA_OK ||
        (st = ia_check_tensor(op, err, "k (src1)", k, f32, 4, 4)) != IA_OK ||
        (st = ia_check_tensor(op, err, "v (src2)", v, f32, 4, 4)) != IA_OK ||
        (st = ia_check_tensor(op, err, "dst", dst, f32, 4, 4)) != IA_OK)
        return st;

    char qs[96], ks[96], vs[96], ds[96], ms[96];
    ia_tensor_describe(q, qs, sizeof qs);
    ia_tensor_describe(k, ks, sizeof ks);
    ia_tensor_describe(v, vs, sizeof vs);
    ia_tensor_describe(dst, ds, sizeof ds);
    const int64_t B = q->shape[0], Hq = q->shape[1], Sq = q->shape[2], D = q->shape[3];
    const int64_t Hkv = k->shape[1], Sk = k->shape[2], Dv = v->shape[3];

    if (k->shape[0] != B || v->shape[0] != B)
        return ia_check_fail(op, err, "batch sizes differ: q (src0) %s, k (src1) %s, v (src2) %s",
                             qs, ks, vs);
    if (k->shape[3] != D)
        return ia_check_fail(op, err,
                             "q (src0) %s and k (src1) %s differ in head size (last dimension)",
                             qs, ks);
    if (v->shape[1] != Hkv || v->shape[2] != Sk)
        return ia_check_fail(op, err,
                             "k (src1) %s and v (src2) %s differ in heads or keys (dims 1, 2)", ks,
                             vs);
    if (Hkv < 1 || Hq % Hkv != 0)
        return ia_check_fail(op, err,
                             "q (src0) %s has %lld heads, not a multiple of k (src1) %s's %lld",
                             qs, (long long)Hq, ks, (long long)Hkv);
    if (dst->shape[0] != B || dst->shape[1] != Hq || dst->shape[2] != Sq || dst->shape[3] != Dv)
        return ia_check_fail(op, err, "dst is %s; expected [%lld, %lld, %lld, %lld] from q %s, v %s",
                             ds, (long long)B, (long long)Hq, (long long)Sq, (long long)Dv, qs, vs);
    if (mask) {
        st = ia_check_tensor(op, err, "mask (src3)", mask,
                             f32 | IA_DTYPE_BIT(IA_DTYPE_BOOL), 1, 4);
        if (st != IA_OK)
            return st;
        const int64_t full[4] = {B, Hq, Sq, Sk};
        for (int md = 0; md < mask->ndim; md++) {
            int64_t want = full[md + 4 - mask->ndim];
            if (mask->shape[md] != 1 && mask->shape[md] != want)
                return ia_check_fail(op, err,
                                     "mask (src3) %s does not broadcast to [B, Hq, Sq, Sk] = "
                                     "[%lld, %lld, %lld, %lld]",
                                     ia_tensor_describe(mask, ms, sizeof ms), (long long)B,
                                     (long long)Hq, (long long)Sq, (long long)Sk);
        }
    }
    if (op->p.attention.window < 0)
        return ia_check_fail(op, err, "window %d is negative", op->p.attention.window);
    if (!isfinite(op->p.attention.scale))
        return ia_check_fail(op, err, "scale is not finite");
    return IA_OK;
}

ia_status ia_ref_attention(const ia_op *op, ia_error *err)
{
    const ia_tensor *q = op->src[0], *k = op->src[1], *v = op->src[2], *mask = op->src[3];
    const ia_tensor *dst = op->dst;
    const int64_t B = q->shape[0], Hq = q->shape[1], Sq = q->shape[2], D = q->shape[3];
    const int64_t Hkv = k->shape[1], Sk = k->shape[2], Dv = v->shape[3];
    const int64_t group = Hq / Hkv;
    const double scale = op->p.attention.scale != 0 ? op->p.attention.scale : 1.0 / sqrt((double)D);
    const bool causal = op->p.attention.causal;
    const int64_t window = op->p.attention.window;
    int64_t ms[4] = {0, 0, 0, 0};
    if (mask)
        attention_mask_strides(mask, ms);

    double *score = malloc((size_t)(Sk > 0 ? Sk : 1) * sizeof *score);
    bool *visible = malloc((size_t)(Sk > 0 ? Sk : 1) * sizeof *visible);
    double *acc = malloc((size_t)(Dv > 0 ? Dv : 1) * sizeof *acc);
    if (!score || !visible || !acc) {
        free(score);
        free(visible);
        free(acc);
        return ia_error_set(err, IA_ERR_NOMEM, "attention reference: out of memory");
    }
    for (int64_t b = 0; b < B; b++) {
        for (int64_t h = 0; h < Hq; h++) {
            const int64_t hk = h / group;
            for (int64_t i = 0; i < Sq; i++) {
                const int64_t pos = i + (Sk - Sq);
                double max = -INFINITY;
                for (int64_t j = 0; j < Sk; j++) {
                    visible[j] = !(causal && j > pos) && !(window > 0 && j < pos - (window - 1));
                    if (!visible[j])
                        continue;
                    double s = 0;
                    for (int64_t d = 0; d < D; d++)
                        s += (double)ia_tensor_get_f32(q, (int64_t[]){b, h, i, d}) *
                             ia_tensor_get_f32(k, (int64_t[]){b, hk, j, d});
                    s *= scale;
                    if (mask) {
                        const char *m = (const char *)mask->data +
                                        (b * ms[0] + h * ms[1] + i * ms[2] + j * ms[3]) *
                                            (int64_t)ia_dtype_size(mask->dtype);
                        if (mask->dtype == IA_DTYPE_BOOL) {
                            visible[j] = *(const uint8_t *)m != 0;
                        } else {
                            float add;
                            memcpy(&add, m, sizeof add);
                            s += add;
                            visible[j] = s > -INFINITY;
                        }
                    }
                    score[j] = s;
                    if (visible[j] && s > max)
                        max = s;
                }
                for (int64_t e = 0; e < Dv; e++)
                    acc[e] = 0;
                double sum = 0;
                for (int64_t j = 0; j < Sk && max > -INFINITY; j++) {
                    if (!visible[j])
                        continue;
                    double p = exp(score[j] - max);
                    sum += p;
                    for (int64_t e = 0; e < Dv; e++)
                        acc[e] += p * ia_tensor_get_f32(v, (int64_t[]){b, hk, j, e});
                }
                /* Every key hidden: zeros (see the comment at the top). */
                for (int64_t e = 0; e < Dv; e++)
                    ia_tensor_set_f32(dst, (int64_t[]){b, h, i, e},
                                      sum > 0 ? (float)(acc[e] / sum) : 0.0f);
            }
        }
    }
    free(score);
    free(visible);
    free(acc);
    return IA_OK;
}
