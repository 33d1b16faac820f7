#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "op_test_support.h"

void rng_seed(test_rng *r, uint64_t seed) { r->state = seed * 0x9E3779B97F4A7C15ull + 1; }

static uint64_t rng_next(test_rng *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 0x2545F4914F6CDD1Dull;
}

float rng_uniform(test_rng *r, float lo, float hi)
{
    return lo + (hi - lo) * (float)((rng_next(r) >> 40) / (double)(1ull << 24));
}

int64_t rng_int(test_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

ia_tensor zero_tensor(ia_dtype dtype, int ndim, const int64_t *shape)
{
    ia_tensor t;
    ia_error err;
    if (ia_tensor_alloc(&t, dtype, ndim, shape, &err) != IA_OK)
        fail_msg("%s", err.message);
    return t;
}

ia_tensor random_tensor(test_rng *r, ia_dtype dtype, int ndim, const int64_t *shape, float lo,
                        float hi)
{
    ia_tensor t = zero_tensor(dtype, ndim, shape);
    int64_t n = ia_tensor_numel(&t);
    for (int64_t i = 0; i < n; i++) {
        switch (dtype) {
        case IA_DTYPE_F32: ((float *)t.data)[i] = rng_uniform(r, lo, hi); break;
        case IA_DTYPE_F16: ((uint16_t *)t.data)[i] = ia_f32_to_f16(rng_uniform(r, lo, hi)); break;
        case IA_DTYPE_BF16: ((uint16_t *)t.data)[i] = ia_f32_to_bf16(rng_uniform(r, lo, hi)); break;
        case IA_DTYPE_I32: ((int32_t *)t.data)[i] = (int32_t)rng_int(r, (int64_t)lo, (int64_t)hi); break;
        case IA_DTYPE_I64: ((int64_t *)t.data)[i] = rng_int(r, (int64_t)lo, (int64_t)hi); break;
        case IA_DTYPE_BOOL: ((uint8_t *)t.data)[i] = (uint8_t)rng_int(r, 0, 1); break;
        default: fail_msg("random_tensor: dtype %s not handled", ia_dtype_name(dtype));
        }
    }
    return t;
}

/* Visits every index of t's shape. */
static bool next_index(const ia_tensor *t, int64_t *idx)
{
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (++idx[d] < t->shape[d])
            return true;
        idx[d] = 0;
    }
    return false;
}

static float get(const ia_tensor *t, const int64_t *idx)
{
    const void *p = ia_tensor_at(t, idx);
    switch (t->dtype) {
    case IA_DTYPE_F32: { float v; memcpy(&v, p, 4); return v; }
    case IA_DTYPE_F16: { uint16_t v; memcpy(&v, p, 2); return ia_f16_to_f32(v); }
    case IA_DTYPE_BF16: { uint16_t v; memcpy(&v, p, 2); return ia_bf16_to_f32(v); }
    case IA_DTYPE_I32: { int32_t v; memcpy(&v, p, 4); return (float)v; }
    case IA_DTYPE_I64: { int64_t v; memcpy(&v, p, 8); return (float)v; }
    case IA_DTYPE_BOOL: return *(const uint8_t *)p;
    default: return NAN;
    }
}

double nmse(const ia_tensor *a, const ia_tensor *b)
{
    if (ia_tensor_numel(b) == 0)
        return 0;
    double num = 0, den = 0;
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0};
    do {
        double x = get(a, idx), y = get(b, idx);
        if (isnan(x) != isnan(y))
            return INFINITY;
        if (!isnan(x)) {
            num += (x - y) * (x - y);
            den += y * y;
        }
    } while (next_index(b, idx));
    return num / (den > 1e-30 ? den : 1e-30);
}

double max_abs_diff(const ia_tensor *a, const ia_tensor *b)
{
    double worst = 0;
    if (ia_tensor_numel(b) == 0)
        return 0;
    int64_t idx[IA_TENSOR_MAX_DIMS] = {0};
    do {
        double d = fabs((double)get(a, idx) - get(b, idx));
        if (d > worst || isnan(d))
            worst = d;
    } while (next_index(b, idx));
    return worst;
}

int test_backends_create(test_backend *out, int max)
{
    static const ia_cpu_isa isas[] = {IA_CPU_ISA_PORTABLE, IA_CPU_ISA_AVX2, IA_CPU_ISA_AVX512};
    static const ia_cpu_gemm gemms[] = {IA_CPU_GEMM_OWN, IA_CPU_GEMM_BLAS};
    int n = 0;
    for (size_t i = 0; i < sizeof isas / sizeof *isas; i++) {
        for (size_t g = 0; g < sizeof gemms / sizeof *gemms && n < max; g++) {
            ia_error err;
            ia_cpu_options opts = {.isa = isas[i], .gemm = gemms[g]};
            ia_backend *be = ia_backend_cpu_create(&opts, &err);
            if (!be) {
                if (err.status != IA_ERR_UNSUPPORTED)
                    fail_msg("%s", err.message);
                break; /* this CPU lacks the ISA: print once, below */
            }
            out[n].backend = be;
            snprintf(out[n].label, sizeof out[n].label, "cpu/%s/%s", ia_cpu_isa_name(isas[i]),
                     gemms[g] == IA_CPU_GEMM_OWN ? "own" : "blas");
            n++;
        }
    }
    return n;
}

void test_backends_free(test_backend *list, int n)
{
    for (int i = 0; i < n; i++)
        ia_backend_free(list[i].backend);
}

static ia_tensor fresh_dst(const ia_op *op)
{
    ia_tensor t = zero_tensor(op->dst->dtype, op->dst->ndim, op->dst->shape);
    /* NaN in float outputs shows any element a kernel forgot to write. */
    if (t.dtype == IA_DTYPE_F32)
        for (int64_t i = 0; i < ia_tensor_numel(&t); i++)
            ((float *)t.data)[i] = NAN;
    return t;
}

double check_op_all_backends(const ia_op *op, double max_nmse, const char *label)
{
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    ia_op r = *op;
    ia_tensor want = fresh_dst(op);
    r.dst = &want;
    if (ia_backend_compute(ref, &r, &err) != IA_OK)
        fail_msg("%s: reference failed: %s", label, err.message);

    test_backend list[8];
    int n = test_backends_create(list, 8);
    double worst = 0;
    for (int i = 0; i < n; i++) {
        ia_op o = *op;
        ia_tensor got = fresh_dst(op);
        o.dst = &got;
        if (ia_backend_compute(list[i].backend, &o, &err) != IA_OK)
            fail_msg("%s on %s: %s", label, list[i].label, err.message);
        double e = nmse(&got, &want);
        if (!(e <= max_nmse))
            fail_msg("%s on %s: NMSE %.3g above %.3g (max abs diff %.3g)", label, list[i].label, e,
                     max_nmse, max_abs_diff(&got, &want));
        if (e > worst)
            worst = e;
        ia_tensor_free(&got);
    }
    test_backends_free(list, n);
    ia_tensor_free(&want);
    ia_backend_free(ref);
    return worst;
}

void check_op_rejected(const ia_op *op, ia_status expected, const char *label)
{
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    ia_status st = ia_backend_compute(ref, op, &err);
    if (st != expected)
        fail_msg("%s: reference gave status %d (%s), expected %d", label, st, err.message, expected);
    test_backend list[8];
    int n = test_backends_create(list, 8);
    for (int i = 0; i < n; i++) {
        st = ia_backend_compute(list[i].backend, op, &err);
        if (st != expected)
            fail_msg("%s on %s: status %d (%s), expected %d", label, list[i].label, st, err.message,
                     expected);
    }
    test_backends_free(list, n);
    ia_backend_free(ref);
}
