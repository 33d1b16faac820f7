/* ROPE (rotary position embedding): the check and the plain C reference.
 *
 * The angles follow Hugging Face transformers' float32 arithmetic, since
 * models are compared with it at 1e-4: inv_freq[i] = 1 / theta^(2i / rd)
 * with the exponent and the power rounded to float (torch.arange(0, rd, 2)
 * / rd, then base ** that), divided by the linear scaling factor as
 * _compute_linear_scaling_rope_parameters does (inv_freq /= factor), and
 * angle = float(pos) * inv_freq[i], one float product. The CPU kernel
 * computes the same angles in the same way; only sin, cos and the rotation
 * differ (double here, float there). Pairs: rotate-half (NeoX, Llama) takes
 * (i, i + rd/2); interleaved (GPT-J) takes (2i, 2i + 1). */
#include <math.h>

#include "engine_internal.h"

ia_status ia_check_rope(const ia_op *op, ia_error *err)
{
    ia_status st;
    const ia_tensor *x = op->src[0], *pos = op->src[1];
    const unsigned f32 = IA_DTYPE_BIT(IA_DTYPE_F32);
    if ((st = ia_check_tensor(op, err, "src0", x, f32, 4, 4)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, f32, 4, 4)))
        return st;
    char a[96], b[96];
    if (!ia_tensor_same_shape(x, op->dst))
        return ia_check_fail(op, err, "dst is %s, expected src0's shape %s",
                             ia_tensor_describe(op->dst, a, sizeof a), ia_tensor_describe(x, b, sizeof b));
    int64_t D = x->shape[3], rd = op->p.rope.rotary_dim ? op->p.rope.rotary_dim : D;
    if (rd <= 0 || rd > D || rd % 2 != 0)
        return ia_check_fail(op, err, "rotary_dim %lld must be even and in (0, %lld], the last "
                                      "dimension of src0 %s",
                             (long long)rd, (long long)D, ia_tensor_describe(x, a, sizeof a));
    if (!(op->p.rope.theta > 0.0f) || !isfinite(op->p.rope.theta))
        return ia_check_fail(op, err, "theta %g must be positive and finite", (double)op->p.rope.theta);
    if (!(op->p.rope.scaling >= 0.0f) || !isfinite(op->p.rope.scaling))
        return ia_check_fail(op, err, "scaling %g must be positive (or 0 for none)",
                             (double)op->p.rope.scaling);
    if (pos) {
        st = ia_check_tensor(op, err, "src1 (positions)", pos,
                             IA_DTYPE_BIT(IA_DTYPE_I32) | IA_DTYPE_BIT(IA_DTYPE_I64), 1, 2);
        if (st != IA_OK)
            return st;
        bool ok = pos->ndim == 1 ? pos->shape[0] == x->shape[2]
                                 : pos->shape[0] == x->shape[0] && pos->shape[1] == x->shape[2];
        if (!ok)
            return ia_check_fail(op, err, "positions src1 %s must be [S] or [B, S] for src0 %s [B, H, S, D]",
                                 ia_tensor_describe(pos, a, sizeof a), ia_tensor_describe(x, b, sizeof b));
    }
    if (op->src[2] || op->src[3])
        return ia_check_fail(op, err, "takes src0 and optional positions src1 only");
    return IA_OK;
}

ia_status ia_ref_rope(const ia_op *op, ia_error *err)
{
    (void)err;
    const ia_tensor *x = op->src[0], *pos = op->src[1], *y = op->dst;
    int64_t B = x->shape[0], H = x->shape[1], S = x->shape[2], D = x->shape[3];
    int64_t rd = op->p.rope.rotary_dim ? op->p.rope.rotary_dim : D, half = rd / 2;
    float scaling = op->p.rope.scaling != 0.0f ? op->p.rope.scaling : 1.0f;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t s = 0; s < S; s++) {
            int64_t p = op->p.rope.position_offset + s;
            if (pos) {
                int64_t pidx[2] = {pos->ndim == 1 ? s : b, s};
                const void *pp = ia_tensor_at(pos, pidx);
                p = pos->dtype == IA_DTYPE_I32 ? *(const int32_t *)pp : *(const int64_t *)pp;
            }
            for (int64_t h = 0; h < H; h++) {
                int64_t idx[4] = {b, h, s, 0};
                /* Each pair is read before it is written: dst may be src0. */
                for (int64_t i = 0; i < half; i++) {
                    float e = (float)(2 * i) / (float)rd;
                    float inv = (1.0f / (float)pow((double)op->p.rope.theta, (double)e)) / scaling;
                    float angle = (float)p * inv;
                    double c = cos((double)angle), sn = sin((double)angle);
                    int64_t i0 = op->p.rope.interleaved ? 2 * i : i;
                    int64_t i1 = op->p.rope.interleaved ? 2 * i + 1 : i + half;
                    idx[3] = i0;
                    double x0 = ia_tensor_get_f32(x, idx);
                    idx[3] = i1;
                    double x1 = ia_tensor_get_f32(x, idx);
                    idx[3] = i0;
                    ia_tensor_set_f32(y, idx, (float)(x0 * c - x1 * sn));
                    idx[3] = i1;
                    ia_tensor_set_f32(y, idx, (float)(x1 * c + x0 * sn));
                }
                for (idx[3] = rd; idx[3] < D; idx[3]++)
                    ia_tensor_set_f32(y, idx, ia_tensor_get_f32(x, idx));
            }
        }
    }
    return IA_OK;
}
