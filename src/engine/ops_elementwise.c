/* Elementwise ops (ADD, MUL, SCALE, ACTIVATION): checks, the plain C
 * references, and the activation names of Hugging Face configs. */
#include <math.h>
#include <string.h>

#include "engine_internal.h"

/* ------------------------------------------------------ activation names */

static const struct {
    const char *name;
    ia_activation act;
} act_names[] = {
    /* The first name of each activation is the one ia_activation_name gives. */
    {"none", IA_ACT_NONE},
    {"gelu", IA_ACT_GELU_ERF},
    {"gelu_pytorch_tanh", IA_ACT_GELU_TANH},
    {"quick_gelu", IA_ACT_QUICK_GELU},
    {"silu", IA_ACT_SILU},
    {"relu", IA_ACT_RELU},
    {"tanh", IA_ACT_TANH},
    {"sigmoid", IA_ACT_SIGMOID},
    /* Aliases found in config.json files. */
    {"gelu_new", IA_ACT_GELU_TANH},
    {"gelu_fast", IA_ACT_GELU_TANH},
    {"swish", IA_ACT_SILU},
    {"linear", IA_ACT_NONE},
    {"identity", IA_ACT_NONE},
};

const char *ia_activation_name(ia_activation a)
{
    for (size_t i = 0; i < sizeof act_names / sizeof *act_names; i++)
        if (act_names[i].act == a)
            return act_names[i].name;
    return "unknown";
}

bool ia_activation_from_name(const char *name, ia_activation *out)
{
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof act_names / sizeof *act_names; i++) {
        if (strcmp(act_names[i].name, name) == 0) {
            *out = act_names[i].act;
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- checks */

#define F32_ONLY IA_DTYPE_BIT(IA_DTYPE_F32)

/* dst must have exactly this shape. */
static ia_status check_dst_shape(const ia_op *op, ia_error *err, int ndim, const int64_t *shape)
{
    ia_tensor want = ia_tensor_make(op->dst->dtype, ndim, shape, NULL);
    if (!ia_tensor_same_shape(&want, op->dst)) {
        char a[96], b[96];
        return ia_check_fail(op, err, "dst is %s, expected %s",
                             ia_tensor_describe(op->dst, a, sizeof a),
                             ia_tensor_describe(&want, b, sizeof b));
    }
    return IA_OK;
}

static ia_status check_binary(const ia_op *op, ia_error *err)
{
    ia_status st;
    if ((st = ia_check_tensor(op, err, "src0", op->src[0], F32_ONLY, 0, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "src1", op->src[1], F32_ONLY, 0, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, F32_ONLY, 0, IA_TENSOR_MAX_DIMS)))
        return st;
    const ia_tensor *a = op->src[0], *b = op->src[1];
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    int64_t shape[IA_TENSOR_MAX_DIMS];
    for (int k = 0; k < nd; k++) {
        int64_t da = k < a->ndim ? a->shape[a->ndim - 1 - k] : 1;
        int64_t db = k < b->ndim ? b->shape[b->ndim - 1 - k] : 1;
        if (da != db && da != 1 && db != 1) {
            char sa[96], sb[96];
            return ia_check_fail(op, err,
                                 "src0 %s and src1 %s do not broadcast (sizes %lld and %lld "
                                 "in dimension %d from the right)",
                                 ia_tensor_describe(a, sa, sizeof sa),
                                 ia_tensor_describe(b, sb, sizeof sb), (long long)da,
                                 (long long)db, k + 1);
        }
        shape[nd - 1 - k] = da == 1 ? db : da;
    }
    return check_dst_shape(op, err, nd, shape);
}

static ia_status check_unary(const ia_op *op, ia_error *err)
{
    ia_status st;
    if ((st = ia_check_tensor(op, err, "src0", op->src[0], F32_ONLY, 0, IA_TENSOR_MAX_DIMS)) ||
        (st = ia_check_tensor(op, err, "dst", op->dst, F32_ONLY, 0, IA_TENSOR_MAX_DIMS)))
        return st;
    return check_dst_shape(op, err, op->src[0]->ndim, op->src[0]->shape);
}

ia_status ia_check_add(const ia_op *op, ia_error *err) { return check_binary(op, err); }
ia_status ia_check_mul(const ia_op *op, ia_error *err) { return check_binary(op, err); }

ia_status ia_check_scale(const ia_op *op, ia_error *err)
{
    if (!isfinite(op->p.scale.scale) || !isfinite(op->p.scale.bias))
        return ia_check_fail(op, err, "scale %g and bias %g must be finite",
                             (double)op->p.scale.scale, (double)op->p.scale.bias);
    return check_unary(op, err);
}

ia_status ia_check_activation(const ia_op *op, ia_error *err)
{
    if ((unsigned)op->p.act >= IA_ACT_COUNT)
        return ia_check_fail(op, err, "activation %d does not exist", (int)op->p.act);
    return check_unary(op, err);
}

/* ------------------------------------------------------------ references */

/* Visits every index of an ndim-D shape, last dimension fastest. */
static bool next_index(int ndim, const int64_t *shape, int64_t *idx)
{
    for (int d = ndim - 1; d >= 0; d--) {
        if (++idx[d] < shape[d])
            return true;
        idx[d] = 0;
    }
    return false;
}

/* idx of dst mapped to a broadcast source: trailing dimensions aligned,
 * size-1 dimensions pinned to 0. */
static void source_index(const ia_tensor *s, const ia_tensor *dst, const int64_t *idx,
                         int64_t *out)
{
    for (int d = 0; d < s->ndim; d++) {
        int dd = d + dst->ndim - s->ndim;
        out[d] = s->shape[d] == 1 ? 0 : idx[dd];
    }
}

static double act_ref(ia_activation act, double x)
{
    switch (act) {
    case IA_ACT_GELU_ERF: return 0.5 * x * erfc(-x / sqrt(2.0));
    case IA_ACT_GELU_TANH:
        return 0.5 * x * (1.0 + tanh(sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    case IA_ACT_QUICK_GELU: return x / (1.0 + exp(-1.702 * x));
    case IA_ACT_SILU: return x / (1.0 + exp(-x));
    case IA_ACT_RELU: return x > 0 ? x : (isnan(x) ? x : 0.0);
    case IA_ACT_TANH: return tanh(x);
    case IA_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
    default: return x;
    }
}

/* One loop for all four ops: kind 0 add, 1 mul, 2 scale, 3 activation. */
static ia_status ref_map(const ia_op *op, int kind)
{
    const ia_tensor *dst = op->dst, *a = op->src[0], *b = kind < 2 ? op->src[1] : NULL;
    if (ia_tensor_numel(dst) == 0)
        return IA_OK;
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0}, ia[IA_TENSOR_MAX_DIMS], ib[IA_TENSOR_MAX_DIMS];
    do {
        source_index(a, dst, idx, ia);
        double x = ia_tensor_get_f32(a, ia), y;
        if (b) {
            source_index(b, dst, idx, ib);
            double w = ia_tensor_get_f32(b, ib);
            y = kind == 0 ? x + w : x * w;
        } else if (kind == 2) {
            y = x * op->p.scale.scale + op->p.scale.bias;
        } else {
            y = act_ref(op->p.act, x);
        }
        ia_tensor_set_f32(dst, idx, (float)y);
    } while (next_index(dst->ndim, dst->shape, idx));
    return IA_OK;
}

ia_status ia_ref_add(const ia_op *op, ia_error *err)
{
    (void)err;
    return ref_map(op, 0);
}

ia_status ia_ref_mul(const ia_op *op, ia_error *err)
{
    (void)err;
    return ref_map(op, 1);
}

ia_status ia_ref_scale(const ia_op *op, ia_error *err)
{
    (void)err;
    return ref_map(op, 2);
}

ia_status ia_ref_activation(const ia_op *op, ia_error *err)
{
    (void)err;
    return ref_map(op, 3);
}
