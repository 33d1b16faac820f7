/* IA_OP_MATMUL: the check and the plain C reference.
 *
 * dst[..., M, N] = alpha * src0[..., M, K] x B + bias, B being src1 as
 * [..., N, K] (b_transposed, a Linear weight) or [..., K, N]. The batch
 * dimensions (all but the last two) are aligned from the right and broadcast
 * as in NumPy: a 2-D weight serves every batch of a 3-D input, and a
 * dimension of 1 on either side repeats. dst must have exactly the broadcast
 * shape. The CPU kernels are in cpu/matmul.c. */
#include <stdio.h>

#include "engine_internal.h"

/* The shape facts every matmul path needs, read once by the check. */
typedef struct mm_dims {
    int64_t M, N, K;
    int nbatch_dims;                      /* dst.ndim - 2 */
    int64_t batch[IA_TENSOR_MAX_DIMS];    /* dst's batch sizes */
} mm_dims;

/* Size of batch dimension d (0 = innermost batch dimension) of t, 1 when t
 * has fewer batch dimensions. */
static int64_t batch_size(const ia_tensor *t, int d)
{
    int dim = t->ndim - 3 - d;
    return dim >= 0 ? t->shape[dim] : 1;
}

static ia_status mm_dims_get(const ia_op *op, mm_dims *out, ia_error *err)
{
    const ia_tensor *a = op->src[0], *b = op->src[1], *bias = op->src[2], *dst = op->dst;
    ia_status st = ia_check_tensor(op, err, "src0", a, IA_DTYPE_BIT(IA_DTYPE_F32), 2, 4);
    if (st == IA_OK)
        st = ia_check_tensor(op, err, "src1", b, IA_FLOAT_WEIGHTS, 2, 4);
    if (st == IA_OK && bias)
        st = ia_check_tensor(op, err, "bias (src2)", bias, IA_FLOAT_WEIGHTS, 1, 1);
    if (st == IA_OK)
        st = ia_check_tensor(op, err, "dst", dst, IA_DTYPE_BIT(IA_DTYPE_F32), 2, 4);
    if (st != IA_OK)
        return st;
    if (op->src[3])
        return ia_check_fail(op, err, "src3 is set, but matmul takes at most src0, src1 and a bias");

    char da[80], db[80], dd[80];
    ia_tensor_describe(a, da, sizeof da);
    ia_tensor_describe(b, db, sizeof db);
    bool bt = op->p.matmul.b_transposed;
    int64_t M = a->shape[a->ndim - 2], K = a->shape[a->ndim - 1];
    int64_t bk = bt ? b->shape[b->ndim - 1] : b->shape[b->ndim - 2];
    int64_t N = bt ? b->shape[b->ndim - 2] : b->shape[b->ndim - 1];
    if (K != bk)
        return ia_check_fail(op, err, "src0 is %s but src1 is %s: K differs (%lld vs %lld)", da,
                             db, (long long)K, (long long)bk);

    mm_dims d = {.M = M, .N = N, .K = K};
    d.nbatch_dims = (a->ndim > b->ndim ? a->ndim : b->ndim) - 2;
    for (int i = 0; i < d.nbatch_dims; i++) {
        int64_t sa = batch_size(a, i), sb = batch_size(b, i);
        if (sa != sb && sa != 1 && sb != 1)
            return ia_check_fail(op, err,
                                 "src0 is %s and src1 is %s: their batch dimensions do not "
                                 "broadcast (%lld vs %lld)",
                                 da, db, (long long)sa, (long long)sb);
        d.batch[i] = sa > sb ? sa : sb;
    }
    if (bias && bias->shape[0] != N)
        return ia_check_fail(op, err, "bias is %s but src1 %s gives N = %lld columns",
                             ia_tensor_describe(bias, dd, sizeof dd), db, (long long)N);

    /* dst must be [batch..., M, N] exactly. */
    int64_t want[IA_TENSOR_MAX_DIMS];
    int nd = d.nbatch_dims + 2;
    for (int i = 0; i < d.nbatch_dims; i++)
        want[nd - 3 - i] = d.batch[i];
    want[nd - 2] = M;
    want[nd - 1] = N;
    bool same = dst->ndim == nd;
    for (int i = 0; same && i < nd; i++)
        same = dst->shape[i] == want[i];
    if (!same) {
        ia_tensor w = {.dtype = IA_DTYPE_F32, .ndim = nd};
        for (int i = 0; i < nd; i++)
            w.shape[i] = want[i];
        char dw[80];
        return ia_check_fail(op, err, "dst is %s but src0 %s x src1 %s gives %s",
                             ia_tensor_describe(dst, dd, sizeof dd), da, db,
                             ia_tensor_describe(&w, dw, sizeof dw));
    }
    *out = d;
    return IA_OK;
}

ia_status ia_check_matmul(const ia_op *op, ia_error *err)
{
    mm_dims d;
    return mm_dims_get(op, &d, err);
}

/* Index of t (ndim entries) for dst batch index bidx (innermost first) and
 * the given last two indices; broadcast dimensions of size 1 read index 0. */
static void operand_index(const ia_tensor *t, const int64_t *bidx, int64_t r, int64_t c,
                          int64_t *idx)
{
    for (int dim = 0; dim < t->ndim - 2; dim++) {
        int d = t->ndim - 3 - dim;
        idx[dim] = t->shape[dim] == 1 ? 0 : bidx[d];
    }
    idx[t->ndim - 2] = r;
    idx[t->ndim - 1] = c;
}

ia_status ia_ref_matmul(const ia_op *op, ia_error *err)
{
    mm_dims d;
    ia_status st = mm_dims_get(op, &d, err);
    if (st != IA_OK)
        return st;
    const ia_tensor *a = op->src[0], *b = op->src[1], *bias = op->src[2], *dst = op->dst;
    bool bt = op->p.matmul.b_transposed;
    double alpha = op->p.matmul.alpha != 0.0f ? op->p.matmul.alpha : 1.0;
    int64_t nbatch = 1;
    for (int i = 0; i < d.nbatch_dims; i++)
        nbatch *= d.batch[i];

    for (int64_t bi = 0; bi < nbatch; bi++) {
        int64_t bidx[IA_TENSOR_MAX_DIMS] = {0}, q = bi;
        for (int i = 0; i < d.nbatch_dims; i++) {
            bidx[i] = q % d.batch[i];
            q /= d.batch[i];
        }
        for (int64_t m = 0; m < d.M; m++) {
            for (int64_t n = 0; n < d.N; n++) {
                double s = 0;
                int64_t ia[IA_TENSOR_MAX_DIMS], ib[IA_TENSOR_MAX_DIMS];
                for (int64_t k = 0; k < d.K; k++) {
                    operand_index(a, bidx, m, k, ia);
                    if (bt)
                        operand_index(b, bidx, n, k, ib);
                    else
                        operand_index(b, bidx, k, n, ib);
                    s += (double)ia_tensor_get_f32(a, ia) * (double)ia_tensor_get_f32(b, ib);
                }
                s *= alpha;
                if (bias) {
                    int64_t in = n;
                    s += ia_tensor_get_f32(bias, &in);
                }
                int64_t id[IA_TENSOR_MAX_DIMS];
                operand_index(dst, bidx, m, n, id);
                ia_tensor_set_f32(dst, id, (float)s);
            }
        }
    }
    return IA_OK;
}
