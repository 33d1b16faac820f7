/* Tensors: dtypes, shapes and strides, views, aligned allocation, copies with
 * dtype conversion, and the F16/BF16 conversions. */
#include "ipfs_accelerate/tensor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    size_t size;
    bool is_float;
} dtypes[IA_DTYPE_COUNT] = {
    [IA_DTYPE_F32] = {"F32", 4, true},  [IA_DTYPE_F16] = {"F16", 2, true},
    [IA_DTYPE_BF16] = {"BF16", 2, true}, [IA_DTYPE_F64] = {"F64", 8, true},
    [IA_DTYPE_I8] = {"I8", 1, false},   [IA_DTYPE_U8] = {"U8", 1, false},
    [IA_DTYPE_I16] = {"I16", 2, false}, [IA_DTYPE_I32] = {"I32", 4, false},
    [IA_DTYPE_I64] = {"I64", 8, false}, [IA_DTYPE_BOOL] = {"BOOL", 1, false},
};

size_t ia_dtype_size(ia_dtype t) { return (unsigned)t < IA_DTYPE_COUNT ? dtypes[t].size : 0; }
int ia_dtype_block_size(ia_dtype t) { (void)t; return 1; }
const char *ia_dtype_name(ia_dtype t) { return (unsigned)t < IA_DTYPE_COUNT ? dtypes[t].name : "?"; }
bool ia_dtype_is_float(ia_dtype t) { return (unsigned)t < IA_DTYPE_COUNT && dtypes[t].is_float; }

bool ia_dtype_from_name(const char *name, ia_dtype *out)
{
    for (int i = 0; i < IA_DTYPE_COUNT; i++) {
        if (strcmp(dtypes[i].name, name) == 0) {
            *out = (ia_dtype)i;
            return true;
        }
    }
    return false;
}

ia_tensor ia_tensor_make(ia_dtype dtype, int ndim, const int64_t *shape, void *data)
{
    ia_tensor t;
    memset(&t, 0, sizeof t);
    t.dtype = dtype;
    t.ndim = ndim;
    for (int d = 0; d < IA_TENSOR_MAX_DIMS; d++)
        t.shape[d] = d < ndim ? shape[d] : 1;
    /* Unsigned, so an absurd shape (checked by the caller) cannot overflow
     * into undefined behaviour here. */
    uint64_t stride = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        t.stride[d] = (int64_t)stride;
        stride *= (uint64_t)t.shape[d];
    }
    t.data = data;
    return t;
}

ia_tensor ia_tensor_f32_1d(float *data, int64_t n0)
{
    return ia_tensor_make(IA_DTYPE_F32, 1, (int64_t[]){n0}, data);
}
ia_tensor ia_tensor_f32_2d(float *data, int64_t n0, int64_t n1)
{
    return ia_tensor_make(IA_DTYPE_F32, 2, (int64_t[]){n0, n1}, data);
}
ia_tensor ia_tensor_f32_3d(float *data, int64_t n0, int64_t n1, int64_t n2)
{
    return ia_tensor_make(IA_DTYPE_F32, 3, (int64_t[]){n0, n1, n2}, data);
}
ia_tensor ia_tensor_f32_4d(float *data, int64_t n0, int64_t n1, int64_t n2, int64_t n3)
{
    return ia_tensor_make(IA_DTYPE_F32, 4, (int64_t[]){n0, n1, n2, n3}, data);
}

int64_t ia_tensor_numel(const ia_tensor *t)
{
    uint64_t n = 1; /* unsigned: a shape from a caller's mistake wraps, never traps */
    for (int d = 0; d < t->ndim; d++)
        n *= (uint64_t)t->shape[d];
    return (int64_t)n;
}

size_t ia_tensor_nbytes(const ia_tensor *t)
{
    return (size_t)ia_tensor_numel(t) * ia_dtype_size(t->dtype);
}

bool ia_tensor_is_contiguous(const ia_tensor *t)
{
    int64_t stride = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (t->shape[d] != 1 && t->stride[d] != stride)
            return false;
        stride *= t->shape[d];
    }
    return true;
}

bool ia_tensor_same_shape(const ia_tensor *a, const ia_tensor *b)
{
    if (a->ndim != b->ndim)
        return false;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d])
            return false;
    return true;
}

const char *ia_tensor_describe(const ia_tensor *t, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "[");
    for (int d = 0; d < t->ndim && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    if (n < size)
        snprintf(buf + n, size - n, "] %s", ia_dtype_name(t->dtype));
    return buf;
}

/* Element count and bytes of a shape, or false on overflow or a negative
 * dimension: sizes come from files, so they are checked before use. */
static bool shape_bytes(ia_dtype dtype, int ndim, const int64_t *shape, size_t *bytes)
{
    uint64_t n = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0)
            return false;
        if (shape[d] != 0 && n > UINT64_MAX / (uint64_t)shape[d])
            return false;
        n *= (uint64_t)shape[d];
    }
    uint64_t size = ia_dtype_size(dtype);
    if (size == 0 || (n != 0 && n > (uint64_t)(SIZE_MAX / 2) / size))
        return false;
    *bytes = (size_t)(n * size);
    return true;
}

ia_status ia_tensor_alloc(ia_tensor *t, ia_dtype dtype, int ndim, const int64_t *shape,
                          ia_error *err)
{
    memset(t, 0, sizeof *t);
    if (ndim < 0 || ndim > IA_TENSOR_MAX_DIMS)
        return ia_error_set(err, IA_ERR_INVALID, "tensor: %d dimensions (at most %d)", ndim,
                            IA_TENSOR_MAX_DIMS);
    size_t bytes;
    if (!shape_bytes(dtype, ndim, shape, &bytes))
        return ia_error_set(err, IA_ERR_INVALID, "tensor: shape too large or negative");
    size_t rounded = (bytes + IA_TENSOR_ALIGN - 1) / IA_TENSOR_ALIGN * IA_TENSOR_ALIGN;
    void *data = aligned_alloc(IA_TENSOR_ALIGN, rounded ? rounded : IA_TENSOR_ALIGN);
    if (!data)
        return ia_error_set(err, IA_ERR_NOMEM, "tensor: out of memory for %zu bytes", bytes);
    memset(data, 0, rounded);
    *t = ia_tensor_make(dtype, ndim, shape, data);
    return IA_OK;
}

void ia_tensor_free(ia_tensor *t)
{
    if (t) {
        free(t->data);
        t->data = NULL;
    }
}

ia_status ia_tensor_view_slice(const ia_tensor *t, int dim, int64_t start, int64_t len,
                               ia_tensor *out, ia_error *err)
{
    if (dim < 0 || dim >= t->ndim)
        return ia_error_set(err, IA_ERR_INVALID, "slice: dimension %d of a %d-D tensor", dim,
                            t->ndim);
    if (start < 0 || len < 0 || start > t->shape[dim] || len > t->shape[dim] - start)
        return ia_error_set(err, IA_ERR_INVALID,
                            "slice: [%lld, %lld) outside dimension %d of size %lld",
                            (long long)start, (long long)(start + len), dim,
                            (long long)t->shape[dim]);
    *out = *t;
    out->shape[dim] = len;
    out->data = (char *)t->data + start * t->stride[dim] * (int64_t)ia_dtype_size(t->dtype);
    return IA_OK;
}

ia_status ia_tensor_view_permute(const ia_tensor *t, const int *perm, ia_tensor *out,
                                 ia_error *err)
{
    bool used[IA_TENSOR_MAX_DIMS] = {false};
    ia_tensor r = *t;
    for (int d = 0; d < t->ndim; d++) {
        int p = perm[d];
        if (p < 0 || p >= t->ndim || used[p])
            return ia_error_set(err, IA_ERR_INVALID, "permute: not a permutation of %d dimensions",
                                t->ndim);
        used[p] = true;
        r.shape[d] = t->shape[p];
        r.stride[d] = t->stride[p];
    }
    *out = r;
    return IA_OK;
}

ia_status ia_tensor_view_reshape(const ia_tensor *t, int ndim, const int64_t *shape,
                                 ia_tensor *out, ia_error *err)
{
    if (!ia_tensor_is_contiguous(t))
        return ia_error_set(err, IA_ERR_INVALID, "reshape: the tensor is not contiguous");
    if (ndim < 0 || ndim > IA_TENSOR_MAX_DIMS)
        return ia_error_set(err, IA_ERR_INVALID, "reshape: %d dimensions", ndim);
    ia_tensor r = ia_tensor_make(t->dtype, ndim, shape, t->data);
    if (ia_tensor_numel(&r) != ia_tensor_numel(t)) {
        char a[96], b[96];
        return ia_error_set(err, IA_ERR_INVALID, "reshape: %s has not the element count of %s",
                            ia_tensor_describe(&r, a, sizeof a), ia_tensor_describe(t, b, sizeof b));
    }
    *out = r;
    return IA_OK;
}

void *ia_tensor_at(const ia_tensor *t, const int64_t *idx)
{
    int64_t off = 0;
    for (int d = 0; d < t->ndim; d++)
        off += idx[d] * t->stride[d];
    return (char *)t->data + off * (int64_t)ia_dtype_size(t->dtype);
}

/* ------------------------------------------------------ float conversions */

float ia_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { /* subnormal: renormalise */
            int shift = 0;
            while (!(mant & 0x400)) {
                mant <<= 1;
                shift++;
            }
            bits = sign | (uint32_t)(127 - 15 + 1 - shift) << 23 | (mant & 0x3ff) << 13;
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000u | mant << 13;
    } else {
        bits = sign | (exp + 127 - 15) << 23 | mant << 13;
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t ia_f32_to_f16(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, 4);
    uint32_t sign = (bits >> 16) & 0x8000, exp = (bits >> 23) & 0xff, mant = bits & 0x7fffff;
    if (exp == 0xff) /* inf or NaN (keep NaN quiet and non-zero) */
        return (uint16_t)(sign | 0x7c00 | (mant ? 0x200 | (mant >> 13) : 0));
    int e = (int)exp - 127 + 15;
    if (e >= 0x1f)
        return (uint16_t)(sign | 0x7c00);
    if (e <= 0) {
        if (e < -10)
            return (uint16_t)sign;
        mant |= 0x800000;
        int shift = 14 - e;
        uint32_t half = mant >> shift, rem = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1)))
            half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = sign | (uint32_t)e << 10 | mant >> 13, rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1)))
        half++; /* may carry into the exponent, which is still right */
    return (uint16_t)half;
}

float ia_bf16_to_f32(uint16_t h)
{
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t ia_f32_to_bf16(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7fffffff) > 0x7f800000)
        return (uint16_t)((bits >> 16) | 0x40); /* quiet NaN */
    bits += 0x7fff + ((bits >> 16) & 1);
    return (uint16_t)(bits >> 16);
}

void ia_convert_f16_to_f32(const uint16_t *src, float *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = ia_f16_to_f32(src[i]);
}
void ia_convert_bf16_to_f32(const uint16_t *src, float *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = ia_bf16_to_f32(src[i]);
}
void ia_convert_f32_to_f16(const float *src, uint16_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = ia_f32_to_f16(src[i]);
}
void ia_convert_f32_to_bf16(const float *src, uint16_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = ia_f32_to_bf16(src[i]);
}

/* ------------------------------------------------------------------ copy */

/* Element reads and writes through double (floats) or int64 (integers):
 * exact for every value these types hold except I64 beyond 2^53 into floats. */
static double load_f(const void *p, ia_dtype t)
{
    switch (t) {
    case IA_DTYPE_F32: { float v; memcpy(&v, p, 4); return v; }
    case IA_DTYPE_F16: { uint16_t v; memcpy(&v, p, 2); return ia_f16_to_f32(v); }
    case IA_DTYPE_BF16: { uint16_t v; memcpy(&v, p, 2); return ia_bf16_to_f32(v); }
    case IA_DTYPE_F64: { double v; memcpy(&v, p, 8); return v; }
    case IA_DTYPE_I8: return *(const int8_t *)p;
    case IA_DTYPE_U8: return *(const uint8_t *)p;
    case IA_DTYPE_BOOL: return *(const uint8_t *)p != 0;
    case IA_DTYPE_I16: { int16_t v; memcpy(&v, p, 2); return v; }
    case IA_DTYPE_I32: { int32_t v; memcpy(&v, p, 4); return v; }
    case IA_DTYPE_I64: { int64_t v; memcpy(&v, p, 8); return (double)v; }
    default: return 0;
    }
}

static int64_t load_i(const void *p, ia_dtype t)
{
    switch (t) {
    case IA_DTYPE_I8: return *(const int8_t *)p;
    case IA_DTYPE_U8: return *(const uint8_t *)p;
    case IA_DTYPE_BOOL: return *(const uint8_t *)p != 0;
    case IA_DTYPE_I16: { int16_t v; memcpy(&v, p, 2); return v; }
    case IA_DTYPE_I32: { int32_t v; memcpy(&v, p, 4); return v; }
    case IA_DTYPE_I64: { int64_t v; memcpy(&v, p, 8); return v; }
    default: return (int64_t)load_f(p, t);
    }
}

static void store(void *p, ia_dtype t, double f, int64_t i, bool from_int)
{
    switch (t) {
    case IA_DTYPE_F32: { float v = from_int ? (float)i : (float)f; memcpy(p, &v, 4); break; }
    case IA_DTYPE_F16: { uint16_t v = ia_f32_to_f16(from_int ? (float)i : (float)f); memcpy(p, &v, 2); break; }
    case IA_DTYPE_BF16: { uint16_t v = ia_f32_to_bf16(from_int ? (float)i : (float)f); memcpy(p, &v, 2); break; }
    case IA_DTYPE_F64: { double v = from_int ? (double)i : f; memcpy(p, &v, 8); break; }
    case IA_DTYPE_I8: *(int8_t *)p = (int8_t)(from_int ? i : (int64_t)f); break;
    case IA_DTYPE_U8: *(uint8_t *)p = (uint8_t)(from_int ? i : (int64_t)f); break;
    case IA_DTYPE_BOOL: *(uint8_t *)p = from_int ? i != 0 : f != 0; break;
    case IA_DTYPE_I16: { int16_t v = (int16_t)(from_int ? i : (int64_t)f); memcpy(p, &v, 2); break; }
    case IA_DTYPE_I32: { int32_t v = (int32_t)(from_int ? i : (int64_t)f); memcpy(p, &v, 4); break; }
    case IA_DTYPE_I64: { int64_t v = from_int ? i : (int64_t)f; memcpy(p, &v, 8); break; }
    default: break;
    }
}

ia_status ia_tensor_copy(const ia_tensor *src, ia_tensor *dst, ia_error *err)
{
    if (!ia_tensor_same_shape(src, dst)) {
        char a[96], b[96];
        return ia_error_set(err, IA_ERR_INVALID, "copy: %s into %s: shapes differ",
                            ia_tensor_describe(src, a, sizeof a), ia_tensor_describe(dst, b, sizeof b));
    }
    size_t ss = ia_dtype_size(src->dtype), ds = ia_dtype_size(dst->dtype);
    bool same = src->dtype == dst->dtype;
    bool ints = !ia_dtype_is_float(src->dtype);
    int64_t n = ia_tensor_numel(src);
    if (same && ia_tensor_is_contiguous(src) && ia_tensor_is_contiguous(dst)) {
        memmove(dst->data, src->data, (size_t)n * ss);
        return IA_OK;
    }
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0};
    for (int64_t k = 0; k < n; k++) {
        const char *sp = (const char *)src->data;
        char *dp = (char *)dst->data;
        for (int d = 0; d < src->ndim; d++) {
            sp += idx[d] * src->stride[d] * (int64_t)ss;
            dp += idx[d] * dst->stride[d] * (int64_t)ds;
        }
        if (same)
            memcpy(dp, sp, ss);
        else if (ints)
            store(dp, dst->dtype, 0, load_i(sp, src->dtype), true);
        else
            store(dp, dst->dtype, load_f(sp, src->dtype), 0, false);
        for (int d = src->ndim - 1; d >= 0; d--) {
            if (++idx[d] < src->shape[d])
                break;
            idx[d] = 0;
        }
    }
    return IA_OK;
}
