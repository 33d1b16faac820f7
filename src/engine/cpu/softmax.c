/* CPU kernel of SOFTMAX over the last dimension, with scale, an additive F32
 * or BOOL mask, and causal / sliding-window masking.
 *
 * Rows are shared among the threads. Causal and window masks become a
 * visible column range [lo, hi) per row, so hidden columns cost nothing but
 * a zero store. Per row, three passes over a contiguous buffer (dst's row
 * itself when its inner stride is 1, else per-thread scratch copied out at
 * the end):
 *   1. z = x * scale + mask (BOOL false: -inf), and the maximum;
 *   2. e = exp(z - max), and the sum;
 *   3. e / sum.
 * Pass 1 is SIMD when x is contiguous and the mask is contiguous or one
 * value per row; otherwise it is a scalar strided loop, and passes 2 and 3
 * stay SIMD. A row with nothing visible (or only -inf) becomes zeros, not
 * NaN. Column j of a row is read before it is written, so dst == src0
 * works. */
#include <stdlib.h>

#include "engine/cpu/simd.h"

typedef struct sm_job {
    ia_cpu_isa isa;
    float scale;
    bool causal;
    int window;
    bool mask_bool;
    ia_view4 x, y, m;
    const float *xp;
    float *yp;
    const void *mp; /* NULL: no mask */
    int64_t sq, sk;
    void **scratch;
} sm_job;

/* Pass 1 for a contiguous row segment: mf (F32, contiguous) or mb (BOOL,
 * contiguous) or neither (add c). Returns the maximum. */
static float pass1_portable(float *z, const float *x, int64_t n, float scale, float c,
                            const float *mf, const uint8_t *mb)
{
    float mx = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        float v = mb && !mb[i] ? -INFINITY : x[i] * scale + (mf ? mf[i] : c);
        z[i] = v;
        mx = v > mx ? v : mx;
    }
    return mx;
}

static float pass2_portable(float *z, int64_t n, float mx)
{
    float sum = 0;
    for (int64_t i = 0; i < n; i++) {
        z[i] = expf(z[i] - mx);
        sum += z[i];
    }
    return sum;
}

static void pass3_portable(float *z, int64_t n, float inv)
{
    for (int64_t i = 0; i < n; i++)
        z[i] *= inv;
}

#if IA_X86
IA_TARGET_AVX512 static float pass1_avx512(float *z, const float *x, int64_t n, float scale,
                                           float c, const float *mf, const uint8_t *mb)
{
    const __m512 s = _mm512_set1_ps(scale), vc = _mm512_set1_ps(c), ninf = _mm512_set1_ps(-INFINITY);
    __m512 mx = ninf;
    for (int64_t i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(n - i);
        __m512 add = mf ? _mm512_maskz_loadu_ps(k, mf + i) : vc;
        __m512 v = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, x + i), s, add);
        if (mb) {
            __m512i keep = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(k, mb + i));
            v = _mm512_mask_mov_ps(v, _mm512_cmpeq_epi32_mask(keep, _mm512_setzero_si512()), ninf);
        }
        _mm512_mask_storeu_ps(z + i, k, v);
        mx = _mm512_mask_max_ps(mx, k, mx, v);
    }
    return _mm512_reduce_max_ps(mx);
}

IA_TARGET_AVX512 static float pass2_avx512(float *z, int64_t n, float mx)
{
    const __m512 m = _mm512_set1_ps(mx);
    __m512 sum = _mm512_setzero_ps();
    for (int64_t i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(n - i);
        __m512 e = ia_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, z + i), m));
        _mm512_mask_storeu_ps(z + i, k, e);
        sum = _mm512_mask_add_ps(sum, k, sum, e);
    }
    return _mm512_reduce_add_ps(sum);
}

IA_TARGET_AVX512 static void pass3_avx512(float *z, int64_t n, float inv)
{
    const __m512 v = _mm512_set1_ps(inv);
    for (int64_t i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(n - i);
        _mm512_mask_storeu_ps(z + i, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, z + i), v));
    }
}

IA_TARGET_AVX2 static float pass1_avx2(float *z, const float *x, int64_t n, float scale, float c,
                                       const float *mf, const uint8_t *mb)
{
    const __m256 s = _mm256_set1_ps(scale), vc = _mm256_set1_ps(c), ninf = _mm256_set1_ps(-INFINITY);
    __m256 mx = ninf;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 add = mf ? _mm256_loadu_ps(mf + i) : vc;
        __m256 v = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), s, add);
        if (mb) {
            __m256i keep = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(mb + i)));
            v = _mm256_blendv_ps(v, ninf, _mm256_castsi256_ps(_mm256_cmpeq_epi32(keep, _mm256_setzero_si256())));
        }
        _mm256_storeu_ps(z + i, v);
        mx = _mm256_max_ps(mx, v);
    }
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    float m1 = pass1_portable(z + i, x + i, n - i, scale, c, mf ? mf + i : NULL, mb ? mb + i : NULL);
    float m0 = _mm_cvtss_f32(h);
    return m0 > m1 ? m0 : m1;
}

IA_TARGET_AVX2 static float pass2_avx2(float *z, int64_t n, float mx)
{
    const __m256 m = _mm256_set1_ps(mx);
    __m256 sum = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 e = ia_exp8(_mm256_sub_ps(_mm256_loadu_ps(z + i), m));
        _mm256_storeu_ps(z + i, e);
        sum = _mm256_add_ps(sum, e);
    }
    if (i < n) {
        __m256i k = ia_tail_mask8(n - i);
        __m256 e = ia_exp8(_mm256_sub_ps(_mm256_maskload_ps(z + i, k), m));
        e = _mm256_and_ps(e, _mm256_castsi256_ps(k));
        _mm256_maskstore_ps(z + i, k, e);
        sum = _mm256_add_ps(sum, e);
    }
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}

IA_TARGET_AVX2 static void pass3_avx2(float *z, int64_t n, float inv)
{
    const __m256 v = _mm256_set1_ps(inv);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(z + i, _mm256_mul_ps(_mm256_loadu_ps(z + i), v));
    pass3_portable(z + i, n - i, inv);
}
#endif

static float pass1(ia_cpu_isa isa, float *z, const float *x, int64_t n, float scale, float c,
                   const float *mf, const uint8_t *mb)
{
#if IA_X86
    if (isa == IA_CPU_ISA_AVX512)
        return pass1_avx512(z, x, n, scale, c, mf, mb);
    if (isa == IA_CPU_ISA_AVX2)
        return pass1_avx2(z, x, n, scale, c, mf, mb);
#else
    (void)isa;
#endif
    return pass1_portable(z, x, n, scale, c, mf, mb);
}

static float pass2(ia_cpu_isa isa, float *z, int64_t n, float mx)
{
#if IA_X86
    if (isa == IA_CPU_ISA_AVX512)
        return pass2_avx512(z, n, mx);
    if (isa == IA_CPU_ISA_AVX2)
        return pass2_avx2(z, n, mx);
#else
    (void)isa;
#endif
    return pass2_portable(z, n, mx);
}

static void pass3(ia_cpu_isa isa, float *z, int64_t n, float inv)
{
#if IA_X86
    if (isa == IA_CPU_ISA_AVX512) {
        pass3_avx512(z, n, inv);
        return;
    }
    if (isa == IA_CPU_ISA_AVX2) {
        pass3_avx2(z, n, inv);
        return;
    }
#else
    (void)isa;
#endif
    pass3_portable(z, n, inv);
}

void ia_cpu_exp_array(ia_cpu_isa isa, const float *x, float *y, int64_t n)
{
    memcpy(y, x, (size_t)n * sizeof *y);
    (void)pass2(isa, y, n, 0.0f);
}

/* Pass 1 for any strides: x with stride sx, the mask with stride sm. */
static float pass1_strided(const sm_job *j, float *z, const float *x, int64_t sx,
                           const void *mask, int64_t sm, int64_t n)
{
    float mx = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        float v = x[i * sx] * j->scale;
        if (mask && j->mask_bool)
            v = ((const uint8_t *)mask)[i * sm] ? v : -INFINITY;
        else if (mask)
            v += ((const float *)mask)[i * sm];
        z[i] = v;
        mx = v > mx ? v : mx;
    }
    return mx;
}

static void sm_rows(void *ctx, int64_t begin, int64_t end, int thread)
{
    const sm_job *j = ctx;
    const int64_t sk = j->sk, sx = j->x.stride[3], sy = j->y.stride[3], sm = j->m.stride[3];
    const size_t msize = j->mask_bool ? 1 : 4;
    for (int64_t r = begin; r < end; r++) {
        const float *x = j->xp + ia_view4_row_offset(&j->x, r);
        float *y = j->yp + ia_view4_row_offset(&j->y, r);
        const char *m = j->mp ? (const char *)j->mp + ia_view4_row_offset(&j->m, r) * (int64_t)msize
                              : NULL;
        /* Visible columns [lo, hi): queries are the last sq of sk positions. */
        int64_t qpos = r % j->sq + sk - j->sq, lo = 0, hi = sk;
        if (j->causal && qpos + 1 < hi)
            hi = qpos + 1 > 0 ? qpos + 1 : 0;
        if (j->window > 0 && qpos - j->window + 1 > lo)
            lo = qpos - j->window + 1;
        if (m && sm == 0 && j->mask_bool) {
            if (!*(const uint8_t *)m)
                hi = lo; /* one BOOL for the whole row, false */
            m = NULL;    /* or true: no mask at all */
        }
        float *buf = sy == 1 ? y : (float *)j->scratch[thread];
        float mx = -INFINITY;
        if (lo < hi) {
            int64_t n = hi - lo;
            if (sx == 1 && (!m || sm == 0 || sm == 1)) {
                float c = m && sm == 0 ? *(const float *)m : 0.0f;
                const float *mf = m && sm == 1 && !j->mask_bool ? (const float *)m + lo : NULL;
                const uint8_t *mb = m && sm == 1 && j->mask_bool ? (const uint8_t *)m + lo : NULL;
                mx = pass1(j->isa, buf + lo, x + lo, n, j->scale, c, mf, mb);
            } else {
                const void *mseg = m ? m + lo * sm * (int64_t)msize : NULL;
                mx = pass1_strided(j, buf + lo, x + lo * sx, sx, mseg, sm, n);
            }
        }
        if (mx == -INFINITY) {
            lo = hi = 0; /* nothing visible: a row of zeros */
        } else {
            float sum = pass2(j->isa, buf + lo, hi - lo, mx);
            pass3(j->isa, buf + lo, hi - lo, 1.0f / sum);
        }
        if (sy == 1) {
            for (int64_t i = 0; i < lo; i++)
                y[i] = 0.0f;
            for (int64_t i = hi; i < sk; i++)
                y[i] = 0.0f;
        } else {
            for (int64_t i = 0; i < sk; i++)
                y[i * sy] = i >= lo && i < hi ? buf[i] : 0.0f;
        }
    }
}

ia_status ia_cpu_softmax(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    const ia_tensor *x = op->src[0], *mask = op->src[1];
    sm_job j = {.isa = cpu->isa, .scale = op->p.softmax.scale != 0.0f ? op->p.softmax.scale : 1.0f,
                .causal = op->p.softmax.causal, .window = op->p.softmax.window};
    j.x = ia_view4_of(x);
    j.y = ia_view4_of(op->dst);
    j.m = mask ? ia_view4_broadcast(mask, &j.x) : j.x;
    j.mask_bool = mask && mask->dtype == IA_DTYPE_BOOL;
    j.xp = x->data;
    j.yp = op->dst->data;
    j.mp = mask ? mask->data : NULL;
    j.sk = j.x.shape[3];
    j.sq = j.x.shape[2];
    int64_t rows = ia_view4_rows(&j.x);
    if (rows == 0 || j.sk == 0)
        return IA_OK;
    if (j.y.stride[3] != 1) {
        /* Every thread's row buffer is grown here, before the job, so that
         * workers never allocate. */
        for (int t = 0; t < cpu->scratch_count; t++)
            if (!ia_cpu_scratch(cpu, t, (size_t)j.sk * sizeof(float)))
                return ia_error_set(err, IA_ERR_NOMEM, "softmax: out of memory for a row buffer");
        j.scratch = cpu->scratch;
    }
    ia_threadpool_parallel_for(cpu->pool, rows, ia_grain_items(j.sk, IA_GRAIN_HEAVY), sm_rows, &j);
    return IA_OK;
}
