/* Ops: names, validation and dispatch to a backend. */
#include "engine_internal.h"

#include <stdio.h>
#include <string.h>

const char *ia_op_name(ia_op_type t)
{
#define IA_OP_NAME(TYPE, name) \
    case TYPE: return #name;
    switch (t) {
        IA_ENGINE_OPS(IA_OP_NAME)
    case IA_OP_COUNT: break;
    }
#undef IA_OP_NAME
    return "unknown";
}

ia_status ia_op_check(const ia_op *op, ia_error *err)
{
    if (!op->dst || !op->dst->data)
        return ia_check_fail(op, err, "no destination tensor");
#define IA_OP_CHECK(TYPE, name) \
    case TYPE: return ia_check_##name(op, err);
    switch (op->type) {
        IA_ENGINE_OPS(IA_OP_CHECK)
    case IA_OP_COUNT: break;
    }
#undef IA_OP_CHECK
    return ia_error_set(err, IA_ERR_INVALID, "op type %d does not exist", (int)op->type);
}

ia_status ia_check_fail(const ia_op *op, ia_error *err, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ia_error_set(err, IA_ERR_INVALID, "%s: %s", ia_op_name(op->type), msg);
}

ia_status ia_check_tensor(const ia_op *op, ia_error *err, const char *what, const ia_tensor *t,
                          unsigned dtype_mask, int min_dims, int max_dims)
{
    if (!t || !t->data)
        return ia_check_fail(op, err, "%s is missing", what);
    if (!(dtype_mask & IA_DTYPE_BIT(t->dtype)))
        return ia_check_fail(op, err, "%s has dtype %s, which this op does not take", what,
                             ia_dtype_name(t->dtype));
    if (t->ndim < min_dims || t->ndim > max_dims)
        return ia_check_fail(op, err, "%s has %d dimensions (expected %d to %d)", what, t->ndim,
                             min_dims, max_dims);
    return IA_OK;
}

ia_status ia_backend_compute(ia_backend *be, const ia_op *op, ia_error *err)
{
    ia_status st = ia_op_check(op, err);
    if (st != IA_OK)
        return st;
    if (be->supports && !be->supports(be, op))
        return ia_error_set(err, IA_ERR_UNSUPPORTED, "the %s backend does not run %s", be->name,
                            ia_op_name(op->type));
    return be->compute(be, op, err);
}

void ia_backend_free(ia_backend *be)
{
    if (be && be->free)
        be->free(be);
}

float ia_tensor_get_f32(const ia_tensor *t, const int64_t *idx)
{
    const void *p = ia_tensor_at(t, idx);
    switch (t->dtype) {
    case IA_DTYPE_F32: { float v; memcpy(&v, p, 4); return v; }
    case IA_DTYPE_F16: { uint16_t v; memcpy(&v, p, 2); return ia_f16_to_f32(v); }
    case IA_DTYPE_BF16: { uint16_t v; memcpy(&v, p, 2); return ia_bf16_to_f32(v); }
    default: return 0.0f;
    }
}

void ia_tensor_set_f32(const ia_tensor *t, const int64_t *idx, float v)
{
    void *p = ia_tensor_at(t, idx);
    switch (t->dtype) {
    case IA_DTYPE_F32: memcpy(p, &v, 4); break;
    case IA_DTYPE_F16: { uint16_t h = ia_f32_to_f16(v); memcpy(p, &h, 2); break; }
    case IA_DTYPE_BF16: { uint16_t h = ia_f32_to_bf16(v); memcpy(p, &h, 2); break; }
    default: break;
    }
}
