/* CPU kernels of the elementwise ops: ADD and MUL with broadcasting, SCALE
 * and ACTIVATION.
 *
 * All four are one "map": dst = f(a[, b]) where a and b are seen with dst's
 * shape (broadcast dimensions have stride 0). The views are collapsed so
 * that contiguous tensors become one long row and the common broadcasts
 * ([B, S, H] + [H], [B, 1, S] * [B, H, 1]) become rows whose operands are
 * either contiguous or a repeated scalar. Rows (and blocks of long rows) are
 * shared among the pool's threads; each row runs a SIMD loop at the
 * backend's ISA when dst's and the operands' inner strides are 1 or 0, and a
 * scalar strided loop otherwise. Elementwise, so dst == src0 (in place) is
 * safe: each element is read before it is written, at the same place. */
#include "engine/cpu/simd.h"

enum {
    EW_ADD = 0,
    EW_MUL,
    EW_SCALE,
    EW_ACT, /* EW_ACT + ia_activation */
};

/* Long rows are cut into blocks so that one big contiguous tensor is still
 * shared among threads. */
#define EW_BLOCK 8192

typedef struct ew_job {
    int op;
    ia_cpu_isa isa;
    float s, c; /* SCALE's scale and bias */
    ia_view4 d, a, b;
    float *dp;
    const float *ap, *bp; /* bp NULL for unary ops */
    int64_t n, blocks;    /* inner length, blocks per row */
} ew_job;

/* ------------------------------------------------------------ scalar */

static inline float ew_act1(int act, float x)
{
    switch (act) {
    case IA_ACT_GELU_ERF: return 0.5f * x * erfcf(-x * 0.70710678118654752f);
    case IA_ACT_GELU_TANH: {
        float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
        return 0.5f * x * (1.0f + tanhf(u));
    }
    case IA_ACT_QUICK_GELU: return x * ia_sigmoidf(1.702f * x);
    case IA_ACT_SILU: return x * ia_sigmoidf(x);
    case IA_ACT_RELU: return x > 0.0f ? x : (x == x ? 0.0f : x);
    case IA_ACT_TANH: return tanhf(x);
    case IA_ACT_SIGMOID: return ia_sigmoidf(x);
    default: return x;
    }
}

IA_INLINE float ew1(int op, float a, float b, float s, float c)
{
    switch (op) {
    case EW_ADD: return a + b;
    case EW_MUL: return a * b;
    case EW_SCALE: return a * s + c;
    default: return ew_act1(op - EW_ACT, a);
    }
}

/* Any strides, any ISA: the fallback for odd layouts. */
static void ew_row_strided(const ew_job *j, float *d, int64_t sd, const float *a, int64_t sa,
                           const float *b, int64_t sb, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        d[i * sd] = ew1(j->op, a[i * sa], b ? b[i * sb] : 0.0f, j->s, j->c);
}

/* Contiguous dst; a and b contiguous (stride 1) or repeated (stride 0). The
 * op is a constant in each instantiation below, so the switch folds away. */
IA_INLINE void ew_row_portable_op(int op, const ew_job *j, float *d, const float *a, int64_t sa,
                                  const float *b, int64_t sb, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        d[i] = ew1(op, a[i * sa], b ? b[i * sb] : 0.0f, j->s, j->c);
}

static void ew_row_portable(const ew_job *j, float *d, const float *a, int64_t sa,
                            const float *b, int64_t sb, int64_t n)
{
    switch (j->op) {
    case EW_ADD: ew_row_portable_op(EW_ADD, j, d, a, sa, b, sb, n); break;
    case EW_MUL: ew_row_portable_op(EW_MUL, j, d, a, sa, b, sb, n); break;
    case EW_SCALE: ew_row_portable_op(EW_SCALE, j, d, a, sa, b, sb, n); break;
    default: ew_row_portable_op(j->op, j, d, a, sa, b, sb, n); break;
    }
}

#if IA_X86
/* -------------------------------------------------------------- AVX-512 */

IA_TARGET_AVX512 IA_INLINE __m512 ew16(int op, __m512 a, __m512 b, __m512 s, __m512 c)
{
    switch (op) {
    case EW_ADD: return _mm512_add_ps(a, b);
    case EW_MUL: return _mm512_mul_ps(a, b);
    case EW_SCALE: return _mm512_fmadd_ps(a, s, c);
    case EW_ACT + IA_ACT_GELU_ERF: return ia_gelu_erf16(a);
    case EW_ACT + IA_ACT_GELU_TANH: return ia_gelu_tanh16(a);
    case EW_ACT + IA_ACT_QUICK_GELU:
        return _mm512_mul_ps(a, ia_sigmoid16(_mm512_mul_ps(a, _mm512_set1_ps(1.702f))));
    case EW_ACT + IA_ACT_SILU: return _mm512_mul_ps(a, ia_sigmoid16(a));
    case EW_ACT + IA_ACT_RELU: return _mm512_max_ps(_mm512_setzero_ps(), a); /* keeps NaN */
    case EW_ACT + IA_ACT_TANH: return ia_tanh16(a);
    case EW_ACT + IA_ACT_SIGMOID: return ia_sigmoid16(a);
    default: return a;
    }
}

IA_TARGET_AVX512 IA_INLINE void ew_row16(int op, const ew_job *j, float *d, const float *a,
                                         int64_t sa, const float *b, int64_t sb, int64_t n)
{
    const __m512 s = _mm512_set1_ps(j->s), c = _mm512_set1_ps(j->c);
    const __m512 a0 = _mm512_set1_ps(a[0]), b0 = _mm512_set1_ps(b ? b[0] : 0.0f);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 va = sa ? _mm512_loadu_ps(a + i) : a0;
        __m512 vb = b && sb ? _mm512_loadu_ps(b + i) : b0;
        _mm512_storeu_ps(d + i, ew16(op, va, vb, s, c));
    }
    if (i < n) {
        __mmask16 m = ia_tail_mask16(n - i);
        __m512 va = sa ? _mm512_maskz_loadu_ps(m, a + i) : a0;
        __m512 vb = b && sb ? _mm512_maskz_loadu_ps(m, b + i) : b0;
        _mm512_mask_storeu_ps(d + i, m, ew16(op, va, vb, s, c));
    }
}

/* Every op a row kernel specialises, once for both ISAs: each case
 * instantiates the inlined row loop with op as a constant. */
#define IA_EW_OPS(X)                                                       \
    X(EW_ADD) X(EW_MUL) X(EW_SCALE) X(EW_ACT + IA_ACT_GELU_ERF)            \
    X(EW_ACT + IA_ACT_GELU_TANH) X(EW_ACT + IA_ACT_QUICK_GELU)             \
    X(EW_ACT + IA_ACT_SILU) X(EW_ACT + IA_ACT_RELU) X(EW_ACT + IA_ACT_TANH) \
    X(EW_ACT + IA_ACT_SIGMOID)

IA_TARGET_AVX512 static void ew_row_avx512(const ew_job *j, float *d, const float *a, int64_t sa,
                                           const float *b, int64_t sb, int64_t n)
{
    switch (j->op) {
#define IA_EW_CASE(OP) \
    case OP: ew_row16(OP, j, d, a, sa, b, sb, n); break;
    IA_EW_OPS(IA_EW_CASE)
#undef IA_EW_CASE
    default: ew_row16(EW_ACT + IA_ACT_NONE, j, d, a, sa, b, sb, n); break;
    }
}

/* ----------------------------------------------------------------- AVX2 */

IA_TARGET_AVX2 IA_INLINE __m256 ew8(int op, __m256 a, __m256 b, __m256 s, __m256 c)
{
    switch (op) {
    case EW_ADD: return _mm256_add_ps(a, b);
    case EW_MUL: return _mm256_mul_ps(a, b);
    case EW_SCALE: return _mm256_fmadd_ps(a, s, c);
    case EW_ACT + IA_ACT_GELU_ERF: return ia_gelu_erf8(a);
    case EW_ACT + IA_ACT_GELU_TANH: return ia_gelu_tanh8(a);
    case EW_ACT + IA_ACT_QUICK_GELU:
        return _mm256_mul_ps(a, ia_sigmoid8(_mm256_mul_ps(a, _mm256_set1_ps(1.702f))));
    case EW_ACT + IA_ACT_SILU: return _mm256_mul_ps(a, ia_sigmoid8(a));
    case EW_ACT + IA_ACT_RELU: return _mm256_max_ps(_mm256_setzero_ps(), a);
    case EW_ACT + IA_ACT_TANH: return ia_tanh8(a);
    case EW_ACT + IA_ACT_SIGMOID: return ia_sigmoid8(a);
    default: return a;
    }
}

IA_TARGET_AVX2 IA_INLINE void ew_row8(int op, const ew_job *j, float *d, const float *a,
                                      int64_t sa, const float *b, int64_t sb, int64_t n)
{
    const __m256 s = _mm256_set1_ps(j->s), c = _mm256_set1_ps(j->c);
    const __m256 a0 = _mm256_set1_ps(a[0]), b0 = _mm256_set1_ps(b ? b[0] : 0.0f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 va = sa ? _mm256_loadu_ps(a + i) : a0;
        __m256 vb = b && sb ? _mm256_loadu_ps(b + i) : b0;
        _mm256_storeu_ps(d + i, ew8(op, va, vb, s, c));
    }
    if (i < n) {
        __m256i m = ia_tail_mask8(n - i);
        __m256 va = sa ? _mm256_maskload_ps(a + i, m) : a0;
        __m256 vb = b && sb ? _mm256_maskload_ps(b + i, m) : b0;
        _mm256_maskstore_ps(d + i, m, ew8(op, va, vb, s, c));
    }
}

IA_TARGET_AVX2 static void ew_row_avx2(const ew_job *j, float *d, const float *a, int64_t sa,
                                       const float *b, int64_t sb, int64_t n)
{
    switch (j->op) {
#define IA_EW_CASE(OP) \
    case OP: ew_row8(OP, j, d, a, sa, b, sb, n); break;
    IA_EW_OPS(IA_EW_CASE)
#undef IA_EW_CASE
    default: ew_row8(EW_ACT + IA_ACT_NONE, j, d, a, sa, b, sb, n); break;
    }
}
#endif /* IA_X86 */

/* ---------------------------------------------------------------- driver */

static void ew_chunk(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const ew_job *j = ctx;
    const int64_t sd = j->d.stride[3], sa = j->a.stride[3], sb = j->b.stride[3];
    for (int64_t item = begin; item < end; item++) {
        int64_t row = item / j->blocks, i0 = (item % j->blocks) * EW_BLOCK;
        int64_t n = j->n - i0 < EW_BLOCK ? j->n - i0 : EW_BLOCK;
        float *d = j->dp + ia_view4_row_offset(&j->d, row) + i0 * sd;
        const float *a = j->ap + ia_view4_row_offset(&j->a, row) + i0 * sa;
        const float *b = j->bp ? j->bp + ia_view4_row_offset(&j->b, row) + i0 * sb : NULL;
        bool simple = sd == 1 && (sa == 0 || sa == 1) && (!b || sb == 0 || sb == 1);
        if (!simple) {
            ew_row_strided(j, d, sd, a, sa, b, sb, n);
            continue;
        }
        switch (j->isa) {
#if IA_X86
        case IA_CPU_ISA_AVX512: ew_row_avx512(j, d, a, sa, b, sb, n); break;
        case IA_CPU_ISA_AVX2: ew_row_avx2(j, d, a, sa, b, sb, n); break;
#endif
        default: ew_row_portable(j, d, a, sa, b, sb, n); break;
        }
    }
}

static ia_status ew_run(ia_cpu_ctx *cpu, const ia_op *op, int code, float s, float c)
{
    ew_job j = {.op = code, .isa = cpu->isa, .s = s, .c = c};
    const ia_tensor *a = op->src[0], *b = code <= EW_MUL ? op->src[1] : NULL;
    ia_view4 v[3];
    v[0] = ia_view4_of(op->dst);
    v[1] = ia_view4_broadcast(a, &v[0]);
    v[2] = b ? ia_view4_broadcast(b, &v[0]) : v[1];
    ia_view4_collapse(v, 3);
    j.d = v[0];
    j.a = v[1];
    j.b = v[2];
    j.dp = op->dst->data;
    j.ap = a->data;
    j.bp = b ? b->data : NULL;
    j.n = v[0].shape[3];
    if (j.n == 0 || ia_view4_rows(&v[0]) == 0)
        return IA_OK;
    j.blocks = (j.n + EW_BLOCK - 1) / EW_BLOCK;
    int64_t items = ia_view4_rows(&v[0]) * j.blocks;
    int64_t per_item = j.n < EW_BLOCK ? j.n : EW_BLOCK;
    int64_t grain = ia_grain_items(per_item, code >= EW_ACT + IA_ACT_GELU_ERF &&
                                                     code != EW_ACT + IA_ACT_RELU
                                                 ? IA_GRAIN_HEAVY
                                                 : IA_GRAIN_CHEAP);
    ia_threadpool_parallel_for(cpu->pool, items, grain, ew_chunk, &j);
    return IA_OK;
}

ia_status ia_cpu_add(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    (void)err;
    return ew_run(cpu, op, EW_ADD, 0, 0);
}

ia_status ia_cpu_mul(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    (void)err;
    return ew_run(cpu, op, EW_MUL, 0, 0);
}

ia_status ia_cpu_scale(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    (void)err;
    return ew_run(cpu, op, EW_SCALE, op->p.scale.scale, op->p.scale.bias);
}

ia_status ia_cpu_activation(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    (void)err;
    return ew_run(cpu, op, EW_ACT + (int)op->p.act, 0, 0);
}
