/* SOFTMAX over the last dimension: the check and the plain C reference.
 *
 * Semantics shared with the CPU kernel: z = x * scale + mask (an additive
 * F32 mask, or BOOL where false hides the column); causal hides column j of
 * row i of [.., Sq, Sk] when j > i + Sk - Sq (queries are the last Sq of Sk
 * positions, bottom-right aligned as with a KV cache); window w > 0 hides
 * columns more than w - 1 before the query's position. A row with nothing
 * visible, or only -inf, is all zeros rather than NaN. */
#include <math.h>
#include <stdlib.h>

#include "engine_internal.h"

ia_status ia_check_softmax(const ia_op *op, ia_error *err)
{
    ia_status st;
    const ia_tensor *x = op->src[0], *m = op->src[1];
    if ((st = ia_check_tensor(op, err, "src0", x, IA_DTYPE_BIT(IA_DTYPE_F32), 1, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, IA_DTYPE_BIT(IA_DTYPE_F32), 1, IA_TENSOR_MAX_DIMS)))
        return st;
    char a[96], b[96];
    if (!ia_tensor_same_shape(x, op->dst))
        return ia_check_fail(op, err, "dst is %s, expected src0's shape %s",
                             ia_tensor_describe(op->dst, a, sizeof a), ia_tensor_describe(x, b, sizeof b));
    if (m) {
        st = ia_check_tensor(op, err, "src1 (mask)", m,
                             IA_DTYPE_BIT(IA_DTYPE_F32) | IA_DTYPE_BIT(IA_DTYPE_BOOL), 0, x->ndim);
        if (st != IA_OK)
            return st;
        for (int d = 0; d < m->ndim; d++) {
            int64_t want = x->shape[d + x->ndim - m->ndim];
            if (m->shape[d] != 1 && m->shape[d] != want)
                return ia_check_fail(op, err, "mask src1 %s does not broadcast to src0 %s",
                                     ia_tensor_describe(m, a, sizeof a),
                                     ia_tensor_describe(x, b, sizeof b));
        }
    }
    if (op->src[2] || op->src[3])
        return ia_check_fail(op, err, "takes src0 and an optional mask src1 only");
    if (!isfinite(op->p.softmax.scale))
        return ia_check_fail(op, err, "scale %g is not finite", (double)op->p.softmax.scale);
    if (op->p.softmax.window < 0)
        return ia_check_fail(op, err, "window %d is negative", op->p.softmax.window);
    return IA_OK;
}

ia_status ia_ref_softmax(const ia_op *op, ia_error *err)
{
    (void)err;
    const ia_tensor *x = op->src[0], *m = op->src[1], *y = op->dst;
    int last = x->ndim - 1;
    int64_t sk = x->shape[last], sq = x->ndim > 1 ? x->shape[last - 1] : 1;
    if (ia_tensor_numel(x) == 0)
        return IA_OK;
    double scale = op->p.softmax.scale != 0.0f ? op->p.softmax.scale : 1.0;
    int window = op->p.softmax.window;
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0}, midx[IA_TENSOR_MAX_DIMS];
    for (;;) {
        int64_t qpos = (x->ndim > 1 ? idx[last - 1] : 0) + sk - sq;
        /* z for every column, -inf where hidden; read before any write. */
        double mx = -INFINITY, sum = 0;
        double *z = NULL;
        double zbuf[256];
        z = sk <= 256 ? zbuf : malloc((size_t)sk * sizeof *z);
        if (!z)
            return ia_error_set(err, IA_ERR_NOMEM, "softmax: out of memory");
        for (idx[last] = 0; idx[last] < sk; idx[last]++) {
            int64_t j = idx[last];
            double v = ia_tensor_get_f32(x, idx) * scale;
            bool hidden = (op->p.softmax.causal && j > qpos) || (window > 0 && j <= qpos - window);
            if (m) {
                for (int d = 0; d < m->ndim; d++)
                    midx[d] = m->shape[d] == 1 ? 0 : idx[d + x->ndim - m->ndim];
                const void *p = ia_tensor_at(m, midx);
                if (m->dtype == IA_DTYPE_BOOL)
                    hidden = hidden || !*(const uint8_t *)p;
                else
                    v += ia_tensor_get_f32(m, midx);
            }
            z[j] = hidden ? -INFINITY : v;
            if (z[j] > mx)
                mx = z[j];
        }
        for (int64_t j = 0; j < sk; j++) {
            z[j] = mx == -INFINITY ? 0.0 : exp(z[j] - mx);
            sum += z[j];
        }
        for (idx[last] = 0; idx[last] < sk; idx[last]++)
            ia_tensor_set_f32(y, idx, sum > 0 ? (float)(z[idx[last]] / sum) : 0.0f);
        if (z != zbuf)
            free(z);
        /* Next row. */
        idx[last] = 0;
        int d = last - 1;
        for (; d >= 0; d--) {
            if (++idx[d] < x->shape[d])
                break;
            idx[d] = 0;
        }
        if (d < 0)
            return IA_OK;
    }
}
