/* Shared by all CPU kernels (elementwise, norm, softmax, rope, layout,
 * attention, ...): ISA attributes, vector exp / tanh / erfc approximations,
 * tail masks, and the 4-D row views that let one kernel serve every rank and
 * stride.
 *
 * The project is compiled without -march, so a function may use AVX2 or
 * AVX-512 only under IA_TARGET_AVX2 / IA_TARGET_AVX512, and only be called
 * when cpu->isa says the CPU has it. Helpers are always_inline so that they
 * take the attribute of the kernel they are inlined into.
 *
 * Approximations (measured in tests/test_ops_softmax.c,
 * tests/test_ops_attention.c and tests/test_ops_elementwise.c over dense
 * sweeps against double libm):
 *   exp   Cephes range reduction + degree-6 polynomial, about 2 ulp
 *         (relative error < 3e-7); inputs above 88 give exp(88), below
 *         -87.34 (where e^x would be subnormal) give exactly 0, so
 *         exp(-inf) = 0 (attention's fully masked blocks rely on it), NaN
 *         stays NaN.
 *   erfc  Numerical Recipes' erfcc Chebyshev fit on top of exp: fractional
 *         error < 1.2e-7 on [0, inf), so GELU (erf) is accurate to about
 *         2e-7 relative on both sides.
 *   tanh  odd Taylor polynomial below |x| < 0.4, 1 - 2 / (exp(2|x|) + 1)
 *         above; relative error < 1e-6. */
#ifndef IA_CPU_SIMD_H
#define IA_CPU_SIMD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#define IA_X86 1
#include <immintrin.h>
#define IA_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
/* Every AVX2 CPU has F16C (it came a generation earlier). */
#define IA_TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#else
#define IA_X86 0
#endif
#define IA_INLINE static inline __attribute__((always_inline))

/* Elements a parallel_for chunk should cover at least, so that tiny ops stay
 * on one thread and the hand-off cost (a few microseconds) stays small
 * against the work: cheap streaming ops need more, exp-heavy ones less. */
#define IA_GRAIN_CHEAP 32768
#define IA_GRAIN_HEAVY 8192

static inline int64_t ia_grain_items(int64_t per_item, int64_t elems)
{
    if (per_item < 1)
        per_item = 1;
    int64_t g = elems / per_item;
    return g < 1 ? 1 : g;
}

/* ------------------------------------------------------------ row views */

/* A tensor seen as 4-D with its dimensions right-aligned: missing outer
 * dimensions are size 1 with stride 0. Kernels loop over "rows" (the three
 * outer dimensions) and handle the innermost dimension with SIMD. */
typedef struct ia_view4 {
    int64_t shape[4];
    int64_t stride[4];
} ia_view4;

static inline ia_view4 ia_view4_of(const ia_tensor *t)
{
    ia_view4 v;
    int pad = 4 - t->ndim;
    for (int d = 0; d < 4; d++) {
        v.shape[d] = d < pad ? 1 : t->shape[d - pad];
        v.stride[d] = d < pad ? 0 : t->stride[d - pad];
    }
    return v;
}

/* t seen with the (right-aligned, 4-D) shape of out: dimensions where t has
 * size 1 and out more get stride 0 (NumPy broadcasting). */
static inline ia_view4 ia_view4_broadcast(const ia_tensor *t, const ia_view4 *out)
{
    ia_view4 v = ia_view4_of(t);
    for (int d = 0; d < 4; d++) {
        if (v.shape[d] == 1 && out->shape[d] != 1)
            v.stride[d] = 0;
        v.shape[d] = out->shape[d];
    }
    return v;
}

static inline int64_t ia_view4_rows(const ia_view4 *v)
{
    return v->shape[0] * v->shape[1] * v->shape[2];
}

/* Element offset of the first element of row r (rows of v's three outer
 * dimensions, in order). */
static inline int64_t ia_view4_row_offset(const ia_view4 *v, int64_t r)
{
    int64_t i2 = r % v->shape[2];
    r /= v->shape[2];
    int64_t i1 = r % v->shape[1];
    int64_t i0 = r / v->shape[1];
    return i0 * v->stride[0] + i1 * v->stride[1] + i2 * v->stride[2];
}

/* Simplifies n views of one shape for row loops: drops size-1 dimensions
 * and merges neighbours that are contiguous with each other in every view,
 * so a contiguous [B, S, H] becomes one long row and [B, S, H] + [H] rows
 * of H. Shapes stay equal across views. */
static inline void ia_view4_collapse(ia_view4 *v, int n)
{
    int64_t shape[4], stride[4][4];
    int k = 0;
    for (int d = 0; d < 4; d++) {
        if (v[0].shape[d] == 1)
            continue;
        bool merge = k > 0;
        for (int i = 0; i < n && merge; i++)
            merge = stride[i][k - 1] == v[i].stride[d] * v[0].shape[d];
        if (merge) {
            shape[k - 1] *= v[0].shape[d];
            for (int i = 0; i < n; i++)
                stride[i][k - 1] = v[i].stride[d];
            continue;
        }
        shape[k] = v[0].shape[d];
        for (int i = 0; i < n; i++)
            stride[i][k] = v[i].stride[d];
        k++;
    }
    for (int i = 0; i < n; i++) {
        for (int d = 0; d < 4; d++) {
            int s = d - (4 - k);
            v[i].shape[d] = s < 0 ? 1 : shape[s];
            v[i].stride[d] = s < 0 ? 0 : stride[i][s];
        }
    }
}

/* ------------------------------------------------------- scalar math */

static inline float ia_sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

/* --------------------------------------------------------- AVX-512 math */
#if IA_X86

/* Hot in softmax and attention, so every instruction counts: NaN needs no
 * test of its own, since max_ps / min_ps return their second operand when
 * either is NaN, so the clamps pass a NaN x through and it stays NaN to the
 * end (and is not below lo, so it is not zeroed). */
IA_TARGET_AVX512 IA_INLINE __m512 ia_exp16(__m512 x)
{
    const __m512 lo = _mm512_set1_ps(-87.33654475f);
    __m512 xc = _mm512_min_ps(_mm512_set1_ps(88.0f), _mm512_max_ps(lo, x));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(xc, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    /* r = x - n ln2, with ln2 in two parts so r keeps its low bits. */
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), xc);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    /* p 2^n (n is in [-126, 127] after the clamps), zeroed in the same
     * instruction where x < lo; NaN is "not less" and is kept. */
    return _mm512_maskz_scalef_ps(_mm512_cmp_ps_mask(x, lo, _CMP_NLT_UQ), p, n);
}

IA_TARGET_AVX512 IA_INLINE __m512 ia_sigmoid16(__m512 x)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_div_ps(one, _mm512_add_ps(one, ia_exp16(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

/* 0.5 x erfc(-x / sqrt 2), i.e. x Phi(x), from erfc(|z|) so that neither
 * side loses digits to cancellation. */
IA_TARGET_AVX512 IA_INLINE __m512 ia_gelu_erf16(__m512 x)
{
    __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f),
                             _mm512_fmadd_ps(z, _mm512_set1_ps(0.5f), _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(0.17087277f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.82215223f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.48851587f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.13520398f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.27886807f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.18628806f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.09678418f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.37409196f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.00002368f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.26551223f));
    __m512 erfc = _mm512_mul_ps(t, ia_exp16(_mm512_fnmadd_ps(z, z, p)));
    __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    __m512 two_phi = _mm512_mask_mov_ps(_mm512_sub_ps(_mm512_set1_ps(2.0f), erfc), neg, erfc);
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), two_phi);
}

/* 0.5 x (1 + tanh(u)) = x sigmoid(2u): one exp, no cancellation. */
IA_TARGET_AVX512 IA_INLINE __m512 ia_gelu_tanh16(__m512 x)
{
    __m512 x3 = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
    __m512 u = _mm512_mul_ps(_mm512_fmadd_ps(x3, _mm512_set1_ps(0.044715f), x),
                             _mm512_set1_ps(0.79788456080286536f));
    return _mm512_mul_ps(x, ia_sigmoid16(_mm512_add_ps(u, u)));
}

IA_TARGET_AVX512 IA_INLINE __m512 ia_tanh16(__m512 x)
{
    __m512 ax = _mm512_abs_ps(x), x2 = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(-0.00145583438705f);
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(0.00359212803657f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-0.00886323552990f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(0.02186948853616f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-0.05396825396825f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(0.13333333333333f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-0.33333333333333f));
    __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(p, x2), x, x);
    __m512 e = ia_exp16(_mm512_add_ps(ax, ax));
    __m512 big = _mm512_sub_ps(_mm512_set1_ps(1.0f),
                               _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(e, _mm512_set1_ps(1.0f))));
    /* Copy x's sign onto big (tanh is odd). */
    big = _mm512_castsi512_ps(_mm512_or_si512(
        _mm512_castps_si512(big),
        _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u))));
    return _mm512_mask_mov_ps(big, _mm512_cmp_ps_mask(ax, _mm512_set1_ps(0.4f), _CMP_LT_OQ), small);
}

/* ------------------------------------------------------------ AVX2 math */

IA_TARGET_AVX2 IA_INLINE __m256 ia_abs8(__m256 x)
{
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
}

/* As ia_exp16 (NaN passes through the clamps); 2^n from the exponent bits.
 * A NaN's n converts to 0x80000000, which gives the factor 1.0f: p stays
 * NaN. */
IA_TARGET_AVX2 IA_INLINE __m256 ia_exp8(__m256 x)
{
    const __m256 lo = _mm256_set1_ps(-87.33654475f);
    __m256 xc = _mm256_min_ps(_mm256_set1_ps(88.0f), _mm256_max_ps(lo, x));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(xc, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), xc);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    __m256 y = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    return _mm256_andnot_ps(_mm256_cmp_ps(x, lo, _CMP_LT_OQ), y);
}

IA_TARGET_AVX2 IA_INLINE __m256 ia_sigmoid8(__m256 x)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_div_ps(one, _mm256_add_ps(one, ia_exp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

IA_TARGET_AVX2 IA_INLINE __m256 ia_gelu_erf8(__m256 x)
{
    __m256 z = _mm256_mul_ps(ia_abs8(x), _mm256_set1_ps(0.70710678118654752f));
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f),
                             _mm256_fmadd_ps(z, _mm256_set1_ps(0.5f), _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_set1_ps(0.17087277f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.82215223f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.48851587f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.13520398f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.27886807f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.18628806f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.09678418f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.37409196f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.00002368f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.26551223f));
    __m256 erfc = _mm256_mul_ps(t, ia_exp8(_mm256_fnmadd_ps(z, z, p)));
    __m256 neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    __m256 two_phi = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(2.0f), erfc), erfc, neg);
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x), two_phi);
}

IA_TARGET_AVX2 IA_INLINE __m256 ia_gelu_tanh8(__m256 x)
{
    __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
    __m256 u = _mm256_mul_ps(_mm256_fmadd_ps(x3, _mm256_set1_ps(0.044715f), x),
                             _mm256_set1_ps(0.79788456080286536f));
    return _mm256_mul_ps(x, ia_sigmoid8(_mm256_add_ps(u, u)));
}

IA_TARGET_AVX2 IA_INLINE __m256 ia_tanh8(__m256 x)
{
    __m256 ax = ia_abs8(x), x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-0.00145583438705f);
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(0.00359212803657f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-0.00886323552990f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(0.02186948853616f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-0.05396825396825f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(0.13333333333333f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-0.33333333333333f));
    __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, x2), x, x);
    __m256 e = ia_exp8(_mm256_add_ps(ax, ax));
    __m256 big = _mm256_sub_ps(_mm256_set1_ps(1.0f),
                               _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, _mm256_set1_ps(1.0f))));
    big = _mm256_or_ps(big, _mm256_and_ps(x, _mm256_set1_ps(-0.0f)));
    return _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.4f), _CMP_LT_OQ));
}

/* Masks of lanes [0, n) for masked loads and stores: n in 0..8 for AVX2,
 * 0..16 for AVX-512. */
IA_TARGET_AVX2 IA_INLINE __m256i ia_tail_mask8(int64_t n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

IA_TARGET_AVX512 IA_INLINE __mmask16 ia_tail_mask16(int64_t n)
{
    return (__mmask16)((1u << n) - 1u);
}

#endif /* IA_X86 */

/* exp over an array at the given ISA, for the tests that measure the
 * approximation (defined in cpu/softmax.c). */
void ia_cpu_exp_array(ia_cpu_isa isa, const float *x, float *y, int64_t n);

/* Converts n elements (F32, F16 or BF16, every stride-th from src) to F32,
 * with SIMD at isa when stride is 1 (defined in cpu/norm.c). */
void ia_cpu_to_f32(ia_cpu_isa isa, ia_dtype dtype, const void *src, int64_t stride, float *out,
                   int64_t n);

/* EMBEDDING's data check, shared by the reference and the CPU kernel: every
 * id in [0, V), else IA_ERR_INVALID naming the id and V (ops_layout.c). */
ia_status ia_embedding_check_ids(const ia_op *op, ia_error *err);

#endif
