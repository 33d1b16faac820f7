/* CPU kernels of LAYER_NORM, RMS_NORM and GROUP_NORM.
 *
 * Weights and biases (F32, F16 or BF16, any stride) are converted once per
 * op to contiguous F32 in the calling thread's scratch, so the row loops
 * only see floats. Layer and RMS norm share rows of the last dimension among
 * the threads; group norm shares (sample, group) pairs. A contiguous row is
 * reduced with SIMD (two accumulators, two passes: the mean, then the
 * squared deviations, which is steadier than E[x^2] - mean^2) and written
 * with one fused pass; rows with other strides take a scalar loop. Every
 * output element depends on its input element and the row's statistics
 * only, and the statistics are complete before the first write, so
 * dst == src0 works. */
#include "engine/cpu/simd.h"

/* ------------------------------------------------------- F32 conversion */

#if IA_X86
IA_TARGET_AVX512 static void to_f32_f16_avx512(const uint16_t *s, float *out, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(s + i))));
    for (; i < n; i++)
        out[i] = ia_f16_to_f32(s[i]);
}

IA_TARGET_AVX2 static void to_f32_f16_avx2(const uint16_t *s, float *out, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + i))));
    for (; i < n; i++)
        out[i] = ia_f16_to_f32(s[i]);
}
#endif

void ia_cpu_to_f32(ia_cpu_isa isa, ia_dtype dtype, const void *src, int64_t stride, float *out,
                   int64_t n)
{
    if (dtype == IA_DTYPE_F32) {
        const float *s = src;
        for (int64_t i = 0; i < n; i++)
            out[i] = s[i * stride];
        return;
    }
    const uint16_t *s = src;
    if (dtype == IA_DTYPE_BF16) {
        /* A shift: the compiler vectorises this at every ISA. */
        for (int64_t i = 0; i < n; i++) {
            uint32_t bits = (uint32_t)s[i * stride] << 16;
            memcpy(out + i, &bits, 4);
        }
        return;
    }
#if IA_X86
    if (stride == 1 && isa == IA_CPU_ISA_AVX512) {
        to_f32_f16_avx512(s, out, n);
        return;
    }
    if (stride == 1 && isa == IA_CPU_ISA_AVX2) {
        to_f32_f16_avx2(s, out, n);
        return;
    }
#else
    (void)isa;
#endif
    for (int64_t i = 0; i < n; i++)
        out[i] = ia_f16_to_f32(s[i * stride]);
}

/* -------------------------------------------------------- row functions */

/* Row statistics and output, for one row of n elements with strides sx
 * (input) and sy (output):
 *   row_sum:   sum of x, or with m given (dev), sum of (x - m)^2
 *   row_out:   y = (x - m) * r * w + b, where w and b are per element
 *              (pointers) or, when NULL, the scalars ws and bs. */
typedef struct row_out_args {
    float m, r;
    const float *w, *b;
    float ws, bs;
} row_out_args;

static double row_sum_scalar(const float *x, int64_t sx, int64_t n, bool dev, float m)
{
    double acc = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = dev ? (double)x[i * sx] - m : x[i * sx];
        acc += dev ? v * v : v;
    }
    return acc;
}

static void row_out_scalar(float *y, int64_t sy, const float *x, int64_t sx, int64_t n,
                           const row_out_args *a)
{
    for (int64_t i = 0; i < n; i++) {
        float w = a->w ? a->w[i] : a->ws, b = a->b ? a->b[i] : a->bs;
        y[i * sy] = (x[i * sx] - a->m) * a->r * w + b;
    }
}

#if IA_X86
IA_TARGET_AVX512 static double row_sum_avx512(const float *x, int64_t n, bool dev, float m)
{
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    const __m512 vm = _mm512_set1_ps(dev ? m : 0.0f);
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 a = _mm512_sub_ps(_mm512_loadu_ps(x + i), vm);
        __m512 b = _mm512_sub_ps(_mm512_loadu_ps(x + i + 16), vm);
        acc0 = dev ? _mm512_fmadd_ps(a, a, acc0) : _mm512_add_ps(acc0, a);
        acc1 = dev ? _mm512_fmadd_ps(b, b, acc1) : _mm512_add_ps(acc1, b);
    }
    for (; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(n - i);
        __m512 a = _mm512_maskz_sub_ps(k, _mm512_maskz_loadu_ps(k, x + i), vm);
        acc0 = dev ? _mm512_fmadd_ps(a, a, acc0) : _mm512_add_ps(acc0, a);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}

IA_TARGET_AVX512 static void row_out_avx512(float *y, const float *x, int64_t n,
                                            const row_out_args *a)
{
    const __m512 m = _mm512_set1_ps(a->m), r = _mm512_set1_ps(a->r);
    const __m512 ws = _mm512_set1_ps(a->ws), bs = _mm512_set1_ps(a->bs);
    for (int64_t i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(n - i);
        __m512 t = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i), m), r);
        __m512 w = a->w ? _mm512_maskz_loadu_ps(k, a->w + i) : ws;
        __m512 b = a->b ? _mm512_maskz_loadu_ps(k, a->b + i) : bs;
        _mm512_mask_storeu_ps(y + i, k, _mm512_fmadd_ps(t, w, b));
    }
}

IA_TARGET_AVX2 IA_INLINE float hsum8(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

IA_TARGET_AVX2 static double row_sum_avx2(const float *x, int64_t n, bool dev, float m)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    const __m256 vm = _mm256_set1_ps(dev ? m : 0.0f);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 a = _mm256_sub_ps(_mm256_loadu_ps(x + i), vm);
        __m256 b = _mm256_sub_ps(_mm256_loadu_ps(x + i + 8), vm);
        acc0 = dev ? _mm256_fmadd_ps(a, a, acc0) : _mm256_add_ps(acc0, a);
        acc1 = dev ? _mm256_fmadd_ps(b, b, acc1) : _mm256_add_ps(acc1, b);
    }
    double tail = 0;
    for (; i < n; i++) {
        double v = (double)x[i] - (dev ? m : 0.0f);
        tail += dev ? v * v : v;
    }
    return hsum8(_mm256_add_ps(acc0, acc1)) + tail;
}

IA_TARGET_AVX2 static void row_out_avx2(float *y, const float *x, int64_t n,
                                        const row_out_args *a)
{
    const __m256 m = _mm256_set1_ps(a->m), r = _mm256_set1_ps(a->r);
    const __m256 ws = _mm256_set1_ps(a->ws), bs = _mm256_set1_ps(a->bs);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 t = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), m), r);
        __m256 w = a->w ? _mm256_loadu_ps(a->w + i) : ws;
        __m256 b = a->b ? _mm256_loadu_ps(a->b + i) : bs;
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(t, w, b));
    }
    row_out_args rest = *a;
    rest.w = a->w ? a->w + i : NULL;
    rest.b = a->b ? a->b + i : NULL;
    row_out_scalar(y + i, 1, x + i, 1, n - i, &rest);
}
#endif

static double row_sum(ia_cpu_isa isa, const float *x, int64_t sx, int64_t n, bool dev, float m)
{
#if IA_X86
    if (sx == 1 && isa == IA_CPU_ISA_AVX512)
        return row_sum_avx512(x, n, dev, m);
    if (sx == 1 && isa == IA_CPU_ISA_AVX2)
        return row_sum_avx2(x, n, dev, m);
#else
    (void)isa;
#endif
    return row_sum_scalar(x, sx, n, dev, m);
}

static void row_out(ia_cpu_isa isa, float *y, int64_t sy, const float *x, int64_t sx, int64_t n,
                    const row_out_args *a)
{
#if IA_X86
    if (sx == 1 && sy == 1 && isa == IA_CPU_ISA_AVX512) {
        row_out_avx512(y, x, n, a);
        return;
    }
    if (sx == 1 && sy == 1 && isa == IA_CPU_ISA_AVX2) {
        row_out_avx2(y, x, n, a);
        return;
    }
#else
    (void)isa;
#endif
    row_out_scalar(y, sy, x, sx, n, a);
}

/* ------------------------------------------------- weights into scratch */

/* The optional 1-D weight t as contiguous F32 (plus one when one_plus):
 * the tensor's own memory when it is already that, else converted into
 * buf. NULL when t is absent. */
static const float *weights_f32(ia_cpu_isa isa, const ia_tensor *t, float *buf, bool one_plus)
{
    if (!t)
        return NULL;
    int64_t n = t->shape[0];
    if (t->dtype == IA_DTYPE_F32 && (t->stride[0] == 1 || n == 1) && !one_plus)
        return t->data;
    ia_cpu_to_f32(isa, t->dtype, t->data, t->stride[0], buf, n);
    if (one_plus)
        for (int64_t i = 0; i < n; i++)
            buf[i] = 1.0f + buf[i];
    return buf;
}

static ia_status scratch_weights(ia_cpu_ctx *cpu, const ia_op *op, int64_t n, float **w,
                                 float **b, ia_error *err)
{
    size_t half = ((size_t)n * sizeof(float) + 63) / 64 * 64;
    char *s = ia_cpu_scratch(cpu, 0, 2 * half);
    if (!s)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for weights",
                            ia_op_name(op->type));
    *w = (float *)s;
    *b = (float *)(s + half);
    return IA_OK;
}

/* ------------------------------------------------- layer and RMS norm */

typedef struct norm_job {
    ia_cpu_isa isa;
    bool rms;
    float eps;
    ia_view4 x, y;
    const float *xp;
    float *yp;
    const float *w, *b;
    int64_t n;
} norm_job;

static void norm_rows(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const norm_job *j = ctx;
    const int64_t n = j->n, sx = j->x.stride[3], sy = j->y.stride[3];
    for (int64_t r = begin; r < end; r++) {
        const float *x = j->xp + ia_view4_row_offset(&j->x, r);
        float *y = j->yp + ia_view4_row_offset(&j->y, r);
        row_out_args a = {.w = j->w, .b = j->b, .ws = 1.0f, .bs = 0.0f};
        if (j->rms) {
            double ms = row_sum(j->isa, x, sx, n, true, 0.0f) / (double)n;
            a.r = 1.0f / sqrtf((float)ms + j->eps);
        } else {
            a.m = (float)(row_sum(j->isa, x, sx, n, false, 0.0f) / (double)n);
            double var = row_sum(j->isa, x, sx, n, true, a.m) / (double)n;
            a.r = 1.0f / sqrtf((float)var + j->eps);
        }
        row_out(j->isa, y, sy, x, sx, n, &a);
    }
}

static ia_status norm_run(ia_cpu_ctx *cpu, const ia_op *op, bool rms, ia_error *err)
{
    norm_job j = {.isa = cpu->isa, .rms = rms, .eps = op->p.norm.eps};
    j.x = ia_view4_of(op->src[0]);
    j.y = ia_view4_of(op->dst);
    j.xp = op->src[0]->data;
    j.yp = op->dst->data;
    j.n = j.x.shape[3];
    int64_t rows = ia_view4_rows(&j.x);
    if (j.n == 0 || rows == 0)
        return IA_OK;
    float *wbuf = NULL, *bbuf = NULL;
    ia_status st = scratch_weights(cpu, op, j.n, &wbuf, &bbuf, err);
    if (st != IA_OK)
        return st;
    j.w = weights_f32(cpu->isa, op->src[1], wbuf, rms && op->p.norm.one_plus);
    j.b = rms ? NULL : weights_f32(cpu->isa, op->src[2], bbuf, false);
    ia_threadpool_parallel_for(cpu->pool, rows, ia_grain_items(j.n, IA_GRAIN_CHEAP), norm_rows, &j);
    return IA_OK;
}

ia_status ia_cpu_layer_norm(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    return norm_run(cpu, op, false, err);
}

ia_status ia_cpu_rms_norm(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    return norm_run(cpu, op, true, err);
}

/* ------------------------------------------------------------ group norm */

/* src0 [N, C, A, B] (A and B are 1 for lower ranks): a channel is A rows of
 * B elements. */
typedef struct group_job {
    ia_cpu_isa isa;
    float eps;
    int64_t groups, cg;
    int64_t shape[4], sx[4], sy[4];
    const float *xp;
    float *yp;
    const float *w, *b;
} group_job;

static void group_view(const ia_tensor *t, int64_t *shape, int64_t *stride)
{
    for (int d = 0; d < 4; d++) {
        shape[d] = d < t->ndim ? t->shape[d] : 1;
        stride[d] = d < t->ndim ? t->stride[d] : 0;
    }
}

static void group_items(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const group_job *j = ctx;
    const int64_t A = j->shape[2], B = j->shape[3];
    const double count = (double)(j->cg * A * B);
    for (int64_t item = begin; item < end; item++) {
        int64_t n = item / j->groups, c0 = (item % j->groups) * j->cg;
        const float *xg = j->xp + n * j->sx[0];
        float *yg = j->yp + n * j->sy[0];
        double sum = 0;
        for (int64_t c = c0; c < c0 + j->cg; c++)
            for (int64_t a = 0; a < A; a++)
                sum += row_sum(j->isa, xg + c * j->sx[1] + a * j->sx[2], j->sx[3], B, false, 0);
        float mean = (float)(sum / count);
        double dev = 0;
        for (int64_t c = c0; c < c0 + j->cg; c++)
            for (int64_t a = 0; a < A; a++)
                dev += row_sum(j->isa, xg + c * j->sx[1] + a * j->sx[2], j->sx[3], B, true, mean);
        float rstd = 1.0f / sqrtf((float)(dev / count) + j->eps);
        for (int64_t c = c0; c < c0 + j->cg; c++) {
            row_out_args ra = {.m = mean, .r = rstd, .ws = j->w ? j->w[c] : 1.0f,
                               .bs = j->b ? j->b[c] : 0.0f};
            for (int64_t a = 0; a < A; a++)
                row_out(j->isa, yg + c * j->sy[1] + a * j->sy[2], j->sy[3],
                        xg + c * j->sx[1] + a * j->sx[2], j->sx[3], B, &ra);
        }
    }
}

ia_status ia_cpu_group_norm(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    group_job j = {.isa = cpu->isa, .eps = op->p.norm.eps, .groups = op->p.norm.groups};
    group_view(op->src[0], j.shape, j.sx);
    int64_t unused[4];
    group_view(op->dst, unused, j.sy);
    j.cg = j.shape[1] / j.groups;
    j.xp = op->src[0]->data;
    j.yp = op->dst->data;
    int64_t items = j.shape[0] * j.groups, per_item = j.cg * j.shape[2] * j.shape[3];
    if (items == 0 || per_item == 0)
        return IA_OK;
    float *wbuf = NULL, *bbuf = NULL;
    ia_status st = scratch_weights(cpu, op, j.shape[1], &wbuf, &bbuf, err);
    if (st != IA_OK)
        return st;
    j.w = weights_f32(cpu->isa, op->src[1], wbuf, false);
    j.b = weights_f32(cpu->isa, op->src[2], bbuf, false);
    ia_threadpool_parallel_for(cpu->pool, items, ia_grain_items(per_item, IA_GRAIN_CHEAP),
                               group_items, &j);
    return IA_OK;
}
