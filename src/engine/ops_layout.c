/* Layout ops (EMBEDDING, COPY, CONCAT, PAD): checks and the plain C
 * references, which lean on ia_tensor_copy and views. */
#include <math.h>
#include <stdio.h>

#include "engine/cpu/simd.h"
#include "engine_internal.h"

static ia_status check_same_shape(const ia_op *op, ia_error *err, const ia_tensor *want)
{
    if (!ia_tensor_same_shape(want, op->dst)) {
        char a[96], b[96];
        return ia_check_fail(op, err, "dst is %s, expected %s",
                             ia_tensor_describe(op->dst, a, sizeof a),
                             ia_tensor_describe(want, b, sizeof b));
    }
    return IA_OK;
}

/* --------------------------------------------------------------- embedding */

ia_status ia_check_embedding(const ia_op *op, ia_error *err)
{
    ia_status st;
    const ia_tensor *table = op->src[0], *ids = op->src[1];
    if ((st = ia_check_tensor(op, err, "src0 (table)", table, IA_FLOAT_WEIGHTS, 2, 2)) ||
        (st = ia_check_tensor(op, err, "src1 (ids)", ids,
                              IA_DTYPE_BIT(IA_DTYPE_I32) | IA_DTYPE_BIT(IA_DTYPE_I64), 0,
                              IA_TENSOR_MAX_DIMS - 1)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, IA_DTYPE_BIT(IA_DTYPE_F32), 1,
                              IA_TENSOR_MAX_DIMS)))
        return st;
    if (op->src[2] || op->src[3])
        return ia_check_fail(op, err, "takes the table src0 and the ids src1 only");
    int64_t shape[IA_TENSOR_MAX_DIMS];
    for (int d = 0; d < ids->ndim; d++)
        shape[d] = ids->shape[d];
    shape[ids->ndim] = table->shape[1];
    ia_tensor want = ia_tensor_make(IA_DTYPE_F32, ids->ndim + 1, shape, NULL);
    return check_same_shape(op, err, &want);
}

/* The id at flat index k (row-major over ids' shape) */
static int64_t id_at(const ia_tensor *ids, int64_t k, int64_t *idx)
{
    for (int d = ids->ndim - 1; d >= 0; d--) {
        idx[d] = k % ids->shape[d];
        k /= ids->shape[d];
    }
    const void *p = ia_tensor_at(ids, idx);
    return ids->dtype == IA_DTYPE_I32 ? *(const int32_t *)p : *(const int64_t *)p;
}

/* Every id must be in [0, V): checked before anything is written. Shared
 * with the CPU kernel (declared in cpu/simd.h). */
ia_status ia_embedding_check_ids(const ia_op *op, ia_error *err)
{
    const ia_tensor *ids = op->src[1];
    int64_t V = op->src[0]->shape[0], n = ia_tensor_numel(ids), idx[IA_TENSOR_MAX_DIMS];
    for (int64_t k = 0; k < n; k++) {
        int64_t id = id_at(ids, k, idx);
        if (id < 0 || id >= V)
            return ia_check_fail(op, err,
                                 "id %lld (element %lld of src1) is outside the vocabulary of "
                                 "%lld entries [0, %lld)",
                                 (long long)id, (long long)k, (long long)V, (long long)V);
    }
    return IA_OK;
}

ia_status ia_ref_embedding(const ia_op *op, ia_error *err)
{
    ia_status st = ia_embedding_check_ids(op, err);
    if (st != IA_OK)
        return st;
    const ia_tensor *table = op->src[0], *ids = op->src[1];
    int64_t n = ia_tensor_numel(ids), D = table->shape[1], idx[IA_TENSOR_MAX_DIMS];
    for (int64_t k = 0; k < n; k++) {
        int64_t id = id_at(ids, k, idx);
        for (int64_t e = 0; e < D; e++) {
            int64_t tidx[2] = {id, e};
            idx[ids->ndim] = e;
            ia_tensor_set_f32(op->dst, idx, ia_tensor_get_f32(table, tidx));
        }
    }
    return IA_OK;
}

/* -------------------------------------------------------------------- copy */

ia_status ia_check_copy(const ia_op *op, ia_error *err)
{
    const ia_tensor *s = op->src[0], *d = op->dst;
    const unsigned any = (1u << IA_DTYPE_COUNT) - 1;
    ia_status st;
    if ((st = ia_check_tensor(op, err, "src0", s, any, 0, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", d, any, 0, IA_TENSOR_MAX_DIMS)))
        return st;
    if (op->src[1] || op->src[2] || op->src[3])
        return ia_check_fail(op, err, "takes src0 only");
    /* Float to integer would truncate, and is undefined for NaN and values
     * out of range: no model needs it. */
    if (ia_dtype_is_float(s->dtype) && !ia_dtype_is_float(d->dtype))
        return ia_check_fail(op, err, "converting %s to %s (float to integer) is not supported",
                             ia_dtype_name(s->dtype), ia_dtype_name(d->dtype));
    return check_same_shape(op, err, s);
}

ia_status ia_ref_copy(const ia_op *op, ia_error *err)
{
    return ia_tensor_copy(op->src[0], op->dst, err);
}

/* ------------------------------------------------------------------ concat */

/* The number of sources (2 to 4) and the dimension, made non-negative. */
static int concat_sources(const ia_op *op, int *dim)
{
    int n = 0;
    while (n < IA_OP_MAX_SRC && op->src[n])
        n++;
    int nd = op->src[0] ? op->src[0]->ndim : 0;
    *dim = op->p.concat.dim < 0 ? op->p.concat.dim + nd : op->p.concat.dim;
    return n;
}

ia_status ia_check_concat(const ia_op *op, ia_error *err)
{
    int dim, n = concat_sources(op, &dim);
    if (n < 2)
        return ia_check_fail(op, err, "needs at least src0 and src1");
    for (int i = n; i < IA_OP_MAX_SRC; i++)
        if (op->src[i])
            return ia_check_fail(op, err, "src%d is given after a missing src%d", i, n);
    const unsigned any = (1u << IA_DTYPE_COUNT) - 1;
    const ia_tensor *s0 = op->src[0];
    ia_status st;
    if ((st = ia_check_tensor(op, err, "src0", s0, any, 1, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, IA_DTYPE_BIT(s0->dtype), 1, IA_TENSOR_MAX_DIMS)))
        return st;
    if (dim < 0 || dim >= s0->ndim)
        return ia_check_fail(op, err, "dim %d is outside the %d dimensions of the sources",
                             op->p.concat.dim, s0->ndim);
    int64_t shape[IA_TENSOR_MAX_DIMS];
    for (int d = 0; d < s0->ndim; d++)
        shape[d] = d == dim ? 0 : s0->shape[d];
    for (int i = 0; i < n; i++) {
        const ia_tensor *s = op->src[i];
        char what[16], a[96], b[96];
        snprintf(what, sizeof what, "src%d", i);
        if ((st = ia_check_tensor(op, err, what, s, IA_DTYPE_BIT(s0->dtype), s0->ndim, s0->ndim)))
            return st;
        for (int d = 0; d < s0->ndim; d++)
            if (d != dim && s->shape[d] != s0->shape[d])
                return ia_check_fail(op, err, "src%d %s and src0 %s differ outside dim %d", i,
                                     ia_tensor_describe(s, a, sizeof a),
                                     ia_tensor_describe(s0, b, sizeof b), dim);
        shape[dim] += s->shape[dim];
    }
    ia_tensor want = ia_tensor_make(s0->dtype, s0->ndim, shape, NULL);
    return check_same_shape(op, err, &want);
}

ia_status ia_ref_concat(const ia_op *op, ia_error *err)
{
    int dim, n = concat_sources(op, &dim);
    int64_t off = 0;
    for (int i = 0; i < n; i++) {
        ia_tensor part;
        ia_status st = ia_tensor_view_slice(op->dst, dim, off, op->src[i]->shape[dim], &part, err);
        if (st == IA_OK)
            st = ia_tensor_copy(op->src[i], &part, err);
        if (st != IA_OK)
            return st;
        off += op->src[i]->shape[dim];
    }
    return IA_OK;
}

/* --------------------------------------------------------------------- pad */

ia_status ia_check_pad(const ia_op *op, ia_error *err)
{
    const ia_tensor *s = op->src[0];
    const unsigned f32 = IA_DTYPE_BIT(IA_DTYPE_F32);
    ia_status st;
    if ((st = ia_check_tensor(op, err, "src0", s, f32, 1, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, f32, 1, IA_TENSOR_MAX_DIMS)))
        return st;
    if (op->src[1] || op->src[2] || op->src[3])
        return ia_check_fail(op, err, "takes src0 only");
    int64_t shape[IA_TENSOR_MAX_DIMS];
    for (int d = 0; d < IA_TENSOR_MAX_DIMS; d++) {
        int64_t b = op->p.pad.before[d], a = op->p.pad.after[d];
        if (d >= s->ndim && (a || b))
            return ia_check_fail(op, err, "padding given for dimension %d of a %d-D src0", d, s->ndim);
        if (b < 0 || a < 0)
            return ia_check_fail(op, err, "padding %lld before and %lld after dimension %d must not "
                                          "be negative",
                                 (long long)b, (long long)a, d);
        if (d < s->ndim)
            shape[d] = s->shape[d] + b + a;
    }
    ia_tensor want = ia_tensor_make(IA_DTYPE_F32, s->ndim, shape, NULL);
    return check_same_shape(op, err, &want);
}

ia_status ia_ref_pad(const ia_op *op, ia_error *err)
{
    (void)err;
    const ia_tensor *s = op->src[0], *d = op->dst;
    if (ia_tensor_numel(d) == 0)
        return IA_OK;
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0}, sidx[IA_TENSOR_MAX_DIMS];
    for (;;) {
        bool inside = true;
        for (int k = 0; k < d->ndim; k++) {
            sidx[k] = idx[k] - op->p.pad.before[k];
            inside = inside && sidx[k] >= 0 && sidx[k] < s->shape[k];
        }
        ia_tensor_set_f32(d, idx, inside ? ia_tensor_get_f32(s, sidx) : op->p.pad.value);
        int k = d->ndim - 1;
        for (; k >= 0; k--) {
            if (++idx[k] < d->shape[k])
                break;
            idx[k] = 0;
        }
        if (k < 0)
            return IA_OK;
    }
}
