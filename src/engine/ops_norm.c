/* Normalisations (LAYER_NORM, RMS_NORM, GROUP_NORM): checks and the plain C
 * references, with double accumulators. */
#include <math.h>

#include "engine_internal.h"

#define F32_ONLY IA_DTYPE_BIT(IA_DTYPE_F32)

/* An optional per-feature weight or bias: absent, or 1-D of n elements. */
static ia_status check_param(const ia_op *op, ia_error *err, const char *what, const ia_tensor *t,
                             int64_t n, const char *dim_name)
{
    if (!t)
        return IA_OK;
    ia_status st = ia_check_tensor(op, err, what, t, IA_FLOAT_WEIGHTS, 1, 1);
    if (st != IA_OK)
        return st;
    if (t->shape[0] != n) {
        char a[96];
        return ia_check_fail(op, err, "%s is %s, expected [%lld] (the %s)", what,
                             ia_tensor_describe(t, a, sizeof a), (long long)n, dim_name);
    }
    return IA_OK;
}

/* src0 F32 with min_dims..4 dimensions, dst F32 of src0's shape, eps >= 0. */
static ia_status check_common(const ia_op *op, ia_error *err, int min_dims)
{
    ia_status st;
    if ((st = ia_check_tensor(op, err, "src0", op->src[0], F32_ONLY, min_dims, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, F32_ONLY, min_dims, IA_TENSOR_MAX_DIMS)))
        return st;
    if (!ia_tensor_same_shape(op->src[0], op->dst)) {
        char a[96], b[96];
        return ia_check_fail(op, err, "dst is %s, expected src0's shape %s",
                             ia_tensor_describe(op->dst, a, sizeof a),
                             ia_tensor_describe(op->src[0], b, sizeof b));
    }
    if (!(op->p.norm.eps >= 0.0f) || !isfinite(op->p.norm.eps))
        return ia_check_fail(op, err, "eps %g must be finite and >= 0", (double)op->p.norm.eps);
    if (op->src[3])
        return ia_check_fail(op, err, "src3 is given but this op takes at most three sources");
    return IA_OK;
}

ia_status ia_check_layer_norm(const ia_op *op, ia_error *err)
{
    ia_status st = check_common(op, err, 1);
    if (st != IA_OK)
        return st;
    int64_t d = op->src[0]->shape[op->src[0]->ndim - 1];
    if ((st = check_param(op, err, "src1 (weight)", op->src[1], d, "last dimension of src0")) ||
        (st = check_param(op, err, "src2 (bias)", op->src[2], d, "last dimension of src0")))
        return st;
    return IA_OK;
}

ia_status ia_check_rms_norm(const ia_op *op, ia_error *err)
{
    ia_status st = check_common(op, err, 1);
    if (st != IA_OK)
        return st;
    int64_t d = op->src[0]->shape[op->src[0]->ndim - 1];
    if ((st = check_param(op, err, "src1 (weight)", op->src[1], d, "last dimension of src0")))
        return st;
    if (op->src[2])
        return ia_check_fail(op, err, "src2 is given but RMSNorm has no bias");
    if (op->p.norm.one_plus && !op->src[1])
        return ia_check_fail(op, err, "one_plus (1 + w) needs the weight src1");
    return IA_OK;
}

ia_status ia_check_group_norm(const ia_op *op, ia_error *err)
{
    ia_status st = check_common(op, err, 2);
    if (st != IA_OK)
        return st;
    int64_t c = op->src[0]->shape[1];
    int g = op->p.norm.groups;
    if (g <= 0 || c % g != 0) {
        char a[96];
        return ia_check_fail(op, err, "groups %d must be positive and divide the %lld channels of src0 %s",
                             g, (long long)c, ia_tensor_describe(op->src[0], a, sizeof a));
    }
    if ((st = check_param(op, err, "src1 (weight)", op->src[1], c, "channels of src0")) ||
        (st = check_param(op, err, "src2 (bias)", op->src[2], c, "channels of src0")))
        return st;
    return IA_OK;
}

/* ------------------------------------------------------------ references */

static float param_at(const ia_tensor *t, int64_t i, float absent)
{
    if (!t)
        return absent;
    int64_t idx[1] = {i};
    return ia_tensor_get_f32(t, idx);
}

/* Visits the rows (every index but the last dimension's) of t. */
static bool next_row(const ia_tensor *t, int64_t *idx)
{
    for (int d = t->ndim - 2; d >= 0; d--) {
        if (++idx[d] < t->shape[d])
            return true;
        idx[d] = 0;
    }
    return false;
}

static ia_status ref_last_dim(const ia_op *op, bool rms)
{
    const ia_tensor *x = op->src[0], *y = op->dst;
    if (ia_tensor_numel(x) == 0)
        return IA_OK;
    int last = x->ndim - 1;
    int64_t n = x->shape[last];
    bool one_plus = rms && op->p.norm.one_plus;
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0};
    do {
        double sum = 0, sq = 0;
        for (idx[last] = 0; idx[last] < n; idx[last]++)
            sum += ia_tensor_get_f32(x, idx);
        double mean = rms ? 0.0 : sum / (double)n;
        for (idx[last] = 0; idx[last] < n; idx[last]++) {
            double v = ia_tensor_get_f32(x, idx) - mean;
            sq += v * v;
        }
        double rstd = 1.0 / sqrt(sq / (double)n + op->p.norm.eps);
        /* Read the whole row before writing it: dst may be src0. */
        for (idx[last] = 0; idx[last] < n; idx[last]++) {
            double w = param_at(op->src[1], idx[last], 1.0f);
            if (one_plus)
                w += 1.0;
            double b = rms ? 0.0 : param_at(op->src[2], idx[last], 0.0f);
            double v = (ia_tensor_get_f32(x, idx) - mean) * rstd * w + b;
            ia_tensor_set_f32(y, idx, (float)v);
        }
        idx[last] = 0;
    } while (next_row(x, idx));
    return IA_OK;
}

ia_status ia_ref_layer_norm(const ia_op *op, ia_error *err)
{
    (void)err;
    return ref_last_dim(op, false);
}

ia_status ia_ref_rms_norm(const ia_op *op, ia_error *err)
{
    (void)err;
    return ref_last_dim(op, true);
}

/* One group's three passes over channels [c0, c1) of sample n: pass 0
 * sums, pass 1 sums squared deviations, pass 2 writes the output. */
typedef struct group_ref {
    const ia_op *op;
    double mean, rstd, sum, sq;
    int pass;
} group_ref;

static void group_visit(group_ref *g, int64_t n, int64_t c0, int64_t c1)
{
    const ia_tensor *x = g->op->src[0];
    int64_t A = x->ndim > 2 ? x->shape[2] : 1, B = x->ndim > 3 ? x->shape[3] : 1;
    for (int64_t c = c0; c < c1; c++) {
        double w = param_at(g->op->src[1], c, 1.0f), b = param_at(g->op->src[2], c, 0.0f);
        for (int64_t a = 0; a < A; a++) {
            for (int64_t e = 0; e < B; e++) {
                int64_t idx[IA_TENSOR_MAX_DIMS] = {n, c, a, e};
                double v = ia_tensor_get_f32(x, idx);
                if (g->pass == 0)
                    g->sum += v;
                else if (g->pass == 1)
                    g->sq += (v - g->mean) * (v - g->mean);
                else
                    ia_tensor_set_f32(g->op->dst, idx, (float)((v - g->mean) * g->rstd * w + b));
            }
        }
    }
}

ia_status ia_ref_group_norm(const ia_op *op, ia_error *err)
{
    (void)err;
    const ia_tensor *x = op->src[0];
    int64_t N = x->shape[0], C = x->shape[1], G = op->p.norm.groups, cg = C / G;
    int64_t count = cg * (x->ndim > 2 ? x->shape[2] : 1) * (x->ndim > 3 ? x->shape[3] : 1);
    if (count == 0)
        return IA_OK;
    for (int64_t n = 0; n < N; n++) {
        for (int64_t g = 0; g < G; g++) {
            group_ref r = {.op = op};
            group_visit(&r, n, g * cg, (g + 1) * cg);
            r.mean = r.sum / (double)count;
            r.pass = 1;
            group_visit(&r, n, g * cg, (g + 1) * cg);
            r.rstd = 1.0 / sqrt(r.sq / (double)count + op->p.norm.eps);
            r.pass = 2;
            group_visit(&r, n, g * cg, (g + 1) * cg);
        }
    }
    return IA_OK;
}
