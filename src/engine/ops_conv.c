/* IA_OP_CONV1D and IA_OP_CONV2D: the checks and the plain references.
 *
 * PyTorch's Conv1d / Conv2d (cross-correlation, zero padding):
 *   dst[n, co, oy, ox] = bias[co] + sum over ci in co's group, ky, kx of
 *       w[co, ci, ky, kx] * x[n, g * Cin/groups + ci, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw]
 * with Hout = (H + 2 ph - dh (Kh - 1) - 1) / sh + 1 (and likewise W).
 * Stride, dilation and groups of 0 mean 1. The input and dst are F32; the
 * weight and the bias may be F32, F16 or BF16. A 1-D convolution is the 2-D
 * one with H = Kh = 1, which is how both references and kernels treat it. */
#include <stdlib.h>

#include "engine_internal.h"

/* One convolution in 2-D terms, for the check and the reference. */
typedef struct conv_geom {
    int64_t N, Cin, H, W, Cout, Kh, Kw, Hout, Wout;
    int64_t sh, sw, ph, pw, dh, dw, groups;
} conv_geom;

/* Reads the op's parameters (0 -> 1 where engine.h says so). */
static void conv_params(const ia_op *op, conv_geom *g)
{
    if (op->type == IA_OP_CONV1D) {
        g->sh = g->dh = 1;
        g->ph = 0;
        g->sw = op->p.conv1d.stride ? op->p.conv1d.stride : 1;
        g->pw = op->p.conv1d.padding;
        g->dw = op->p.conv1d.dilation ? op->p.conv1d.dilation : 1;
        g->groups = op->p.conv1d.groups ? op->p.conv1d.groups : 1;
    } else {
        g->sh = op->p.conv2d.stride[0] ? op->p.conv2d.stride[0] : 1;
        g->sw = op->p.conv2d.stride[1] ? op->p.conv2d.stride[1] : 1;
        g->ph = op->p.conv2d.padding[0];
        g->pw = op->p.conv2d.padding[1];
        g->dh = op->p.conv2d.dilation[0] ? op->p.conv2d.dilation[0] : 1;
        g->dw = op->p.conv2d.dilation[1] ? op->p.conv2d.dilation[1] : 1;
        g->groups = op->p.conv2d.groups ? op->p.conv2d.groups : 1;
    }
}

/* Output size along one axis, or -1 when the (padded) input is shorter than
 * the dilated kernel. */
static int64_t conv_out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dil)
{
    int64_t span = dil * (k - 1) + 1;
    if (in + 2 * pad < span)
        return -1;
    return (in + 2 * pad - span) / stride + 1;
}

static ia_status conv_check(const ia_op *op, ia_error *err, int rank)
{
    const ia_tensor *x = op->src[0], *w = op->src[1], *bias = op->src[2], *dst = op->dst;
    const unsigned f32 = IA_DTYPE_BIT(IA_DTYPE_F32);
    const int nd = rank + 2;
    ia_status st;
    if ((st = ia_check_tensor(op, err, "input (src0)", x, f32, nd, nd)) != IA_OK ||
        (st = ia_check_tensor(op, err, "weight (src1)", w, IA_FLOAT_WEIGHTS, nd, nd)) != IA_OK ||
        (st = ia_check_tensor(op, err, "dst", dst, f32, nd, nd)) != IA_OK)
        return st;
    if (bias && (st = ia_check_tensor(op, err, "bias (src2)", bias, IA_FLOAT_WEIGHTS, 1, 1)) != IA_OK)
        return st;

    int raw_stride[2], raw_pad[2], raw_dil[2], raw_groups;
    if (rank == 1) {
        raw_stride[0] = raw_stride[1] = op->p.conv1d.stride;
        raw_pad[0] = raw_pad[1] = op->p.conv1d.padding;
        raw_dil[0] = raw_dil[1] = op->p.conv1d.dilation;
        raw_groups = op->p.conv1d.groups;
    } else {
        for (int a = 0; a < 2; a++) {
            raw_stride[a] = op->p.conv2d.stride[a];
            raw_pad[a] = op->p.conv2d.padding[a];
            raw_dil[a] = op->p.conv2d.dilation[a];
        }
        raw_groups = op->p.conv2d.groups;
    }
    for (int a = 0; a < 2; a++)
        if (raw_stride[a] < 0 || raw_pad[a] < 0 || raw_dil[a] < 0)
            return ia_check_fail(op, err, "stride %d, padding %d, dilation %d: none may be negative",
                                 raw_stride[a], raw_pad[a], raw_dil[a]);
    if (raw_groups < 0)
        return ia_check_fail(op, err, "groups %d is negative", raw_groups);

    conv_geom g;
    conv_params(op, &g);
    char xs[96], ws[96], ds[96], bs[96];
    ia_tensor_describe(x, xs, sizeof xs);
    ia_tensor_describe(w, ws, sizeof ws);
    ia_tensor_describe(dst, ds, sizeof ds);
    const int64_t Cin = x->shape[1], Cout = w->shape[0];
    if (Cin % g.groups != 0 || Cout % g.groups != 0)
        return ia_check_fail(op, err,
                             "groups %lld does not divide the input (src0) %s's %lld channels and "
                             "the weight (src1) %s's %lld outputs",
                             (long long)g.groups, xs, (long long)Cin, ws, (long long)Cout);
    if (w->shape[1] != Cin / g.groups)
        return ia_check_fail(op, err,
                             "weight (src1) %s should have Cin / groups = %lld / %lld = %lld "
                             "input channels (dim 1)",
                             ws, (long long)Cin, (long long)g.groups, (long long)(Cin / g.groups));
    if (bias && bias->shape[0] != Cout)
        return ia_check_fail(op, err, "bias (src2) %s should have %lld elements (Cout)",
                             ia_tensor_describe(bias, bs, sizeof bs), (long long)Cout);
    int64_t want[4] = {x->shape[0], Cout, 0, 0};
    for (int a = 0; a < rank; a++) {
        int64_t in = x->shape[2 + a], kk = w->shape[2 + a];
        int64_t s = rank == 1 ? g.sw : a == 0 ? g.sh : g.sw;
        int64_t p = rank == 1 ? g.pw : a == 0 ? g.ph : g.pw;
        int64_t d = rank == 1 ? g.dw : a == 0 ? g.dh : g.dw;
        want[2 + a] = conv_out_size(in, kk, s, p, d);
        if (kk < 1 || want[2 + a] < 1)
            return ia_check_fail(op, err,
                                 "the kernel %s (dilation %lld) is larger than the input %s "
                                 "padded by %lld",
                                 ws, (long long)d, xs, (long long)p);
    }
    for (int a = 0; a < nd; a++)
        if (dst->shape[a] != want[a]) {
            ia_tensor expect = ia_tensor_make(IA_DTYPE_F32, nd, want, NULL);
            char es[96];
            return ia_check_fail(op, err, "dst is %s; input %s and weight %s give %s", ds, xs, ws,
                                 ia_tensor_describe(&expect, es, sizeof es));
        }
    return IA_OK;
}

ia_status ia_check_conv1d(const ia_op *op, ia_error *err) { return conv_check(op, err, 1); }
ia_status ia_check_conv2d(const ia_op *op, ia_error *err) { return conv_check(op, err, 2); }

/* Views a checked 1-D op's tensors as 2-D ones (H = Kh = 1) so that one
 * reference serves both. */
static ia_tensor conv_as_2d(const ia_tensor *t)
{
    if (t->ndim == 4)
        return *t;
    ia_tensor r = *t;
    r.ndim = 4;
    r.shape[3] = t->shape[2];
    r.stride[3] = t->stride[2];
    r.shape[2] = 1;
    r.stride[2] = 0;
    return r;
}

static ia_status conv_reference(const ia_op *op)
{
    const ia_tensor x = conv_as_2d(op->src[0]), w = conv_as_2d(op->src[1]), dst = conv_as_2d(op->dst);
    const ia_tensor *bias = op->src[2];
    conv_geom g;
    conv_params(op, &g);
    const int64_t cin_g = w.shape[1], cout_g = w.shape[0] / g.groups;
    for (int64_t n = 0; n < dst.shape[0]; n++)
        for (int64_t co = 0; co < dst.shape[1]; co++) {
            const int64_t grp = co / cout_g;
            const double b = bias ? ia_tensor_get_f32(bias, (int64_t[]){co}) : 0.0;
            for (int64_t oy = 0; oy < dst.shape[2]; oy++)
                for (int64_t ox = 0; ox < dst.shape[3]; ox++) {
                    double acc = b;
                    for (int64_t ci = 0; ci < cin_g; ci++)
                        for (int64_t ky = 0; ky < w.shape[2]; ky++) {
                            int64_t iy = oy * g.sh - g.ph + ky * g.dh;
                            if (iy < 0 || iy >= x.shape[2])
                                continue;
                            for (int64_t kx = 0; kx < w.shape[3]; kx++) {
                                int64_t ix = ox * g.sw - g.pw + kx * g.dw;
                                if (ix < 0 || ix >= x.shape[3])
                                    continue;
                                acc += (double)ia_tensor_get_f32(&w, (int64_t[]){co, ci, ky, kx}) *
                                       ia_tensor_get_f32(&x, (int64_t[]){n, grp * cin_g + ci, iy, ix});
                            }
                        }
                    ia_tensor_set_f32(&dst, (int64_t[]){n, co, oy, ox}, (float)acc);
                }
        }
    return IA_OK;
}

ia_status ia_ref_conv1d(const ia_op *op, ia_error *err)
{
    (void)err;
    return conv_reference(op);
}

ia_status ia_ref_conv2d(const ia_op *op, ia_error *err)
{
    (void)err;
    return conv_reference(op);
}
