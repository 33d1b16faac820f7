/* IA_OP_ATTENTION on the CPU: fused, blocked attention with a running
 * ("online") softmax, after FlashAttention. ops_attention.c states the
 * semantics (fully masked rows give zeros); this file only has to match.
 *
 * Work items: (batch, key/value head, block of up to ATT_BQ query rows). The
 * rows of a block are the (query position, query head) pairs of one kv head,
 * query head fastest: row f is query f / G of head hk * G + f % G, for
 * G = Hq / Hkv. So grouped-query heads that share K and V are computed
 * together (K and V are read once for all G), a decode step (Sq = 1) still
 * gets G rows, and the rows of a block have nearly the same causal range.
 * Items are spread over the pool's threads. When there are fewer items than
 * threads and many keys (decode over a long cache with few kv heads), each
 * item's keys are also split into ranges run in parallel, and their partial
 * (O, m, l) merged after, as in flash-decoding.
 *
 * Per item, for each block of ATT_BK keys inside the union of its rows'
 * visible ranges (key blocks that causal or the window hide from every row
 * are never touched):
 *   S = (scale Q) K^T              scores of the block, in scratch
 *   hide keys outside each row's range, apply the BOOL / additive mask
 *   m' = max(m, rowmax S); P = exp(S - m'); l = l e^(m - m') + rowsum P
 *   O  = O e^(m - m') + P V        ATT_BQ x Dv accumulator, in scratch
 * and at the end dst = O / l (zeros where l = 0: no key was visible).
 * Nothing of size Sq x Sk exists; each thread's scratch (Q block, S block,
 * O block, packed K/V rows when their last stride is not 1) is sized from
 * D and Dv only, grown once through ia_cpu_scratch and reused.
 *
 * Layout of S: with more than ATT_DOT_ROWS rows, S is kept transposed,
 * [key][row] with 16 or 32 rows per key. The scores kernel then broadcasts
 * one element of a key row (read straight from K: no packing of K) against
 * 16 rows of Q^T, 8 keys at a time, with no horizontal sums; and the softmax
 * runs down the keys with a whole vector of rows in each instruction
 * (max, exp, sum and the range masks by vector compares). With few rows (a
 * decode step), S is [row][key] and each score is a SIMD dot product over D.
 *
 * exp: ia_exp16 / ia_exp8 of cpu/simd.h, shared with softmax and the
 * elementwise ops (tests/test_ops_attention.c measures it over [-87, 0]).
 * Below -87.3, where e^x is subnormal, it gives 0, so exp(-inf) = 0 exactly
 * (a fully masked block's P and alpha). The softmax only ever takes exp of
 * values <= 0. The portable path uses expf. */
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "engine/cpu/simd.h"
#include "engine/engine_internal.h"

enum {
    ATT_BQ = 32,      /* rows per item: at most two AVX-512 vectors of S^T */
    ATT_BK = 64,      /* keys per block */
    ATT_DOT_ROWS = 4, /* up to this many rows, S is [row][key] from dot products */
};

/* The ISA-specific pieces. S^T is [key][ldq] with ldq 16 or 32 lanes; the
 * O accumulator has rows ov floats apart. */
typedef struct att_kernels {
    /* st[c][r] = qt[:, r] . k[c] for r < ldq and c < nk rounded up to 8
     * (the extra keys repeat key nk - 1); qt is [D][ldq]. */
    void (*scores_t)(const float *qt, int64_t ldq, int64_t D, const float *k, int64_t kstride,
                     int64_t nk, float *st);
    /* s[r][c] = q[r] . k[c] for r < rows, c < nk; q is [rows][D]. */
    void (*scores_dot)(const float *q, int64_t rows, int64_t D, const float *k, int64_t kstride,
                       int64_t nk, float *s);
    /* The online softmax down st's columns, keys c < nk: unless
     * all_visible, key c is hidden from lane r outside [clo[r], chi[r]).
     * st becomes P; m and l are updated; alpha[r] = e^(m_old - m_new). */
    void (*softmax_t)(float *st, int64_t ldq, int64_t nk, const int32_t *clo, const int32_t *chi,
                      bool all_visible, float *m, float *l, float *alpha);
    /* One row of ATT_BK scores (hidden ones -inf, at least one not) becomes
     * P in place; returns e^(m_old - m_new). */
    float (*softmax_row)(float *s, float *m, float *l);
    /* o[r] = o[r] alpha[r] + sum_c P[r][c] v[c] for r < rows, c < nk, where
     * P[r][c] = p[r * prs + c * pcs]. */
    void (*pv)(const float *p, int64_t prs, int64_t pcs, const float *alpha, int64_t rows,
               int64_t nk, const float *v, int64_t vstride, int64_t Dv, float *o, int64_t ov);
} att_kernels;

/* ------------------------------------------------------------- portable */

static void att_scores_t_portable(const float *qt, int64_t ldq, int64_t D, const float *k,
                                  int64_t kstride, int64_t nk, float *st)
{
    for (int64_t c = 0; c < nk; c++) {
        float *sr = st + c * ldq;
        memset(sr, 0, (size_t)ldq * sizeof *sr);
        for (int64_t d = 0; d < D; d++) {
            const float kv = k[c * kstride + d], *qr = qt + d * ldq;
            for (int64_t r = 0; r < ldq; r++)
                sr[r] += kv * qr[r];
        }
    }
}

static void att_scores_dot_portable(const float *q, int64_t rows, int64_t D, const float *k,
                                    int64_t kstride, int64_t nk, float *s)
{
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < nk; c++) {
            float acc = 0;
            for (int64_t d = 0; d < D; d++)
                acc += q[r * D + d] * k[c * kstride + d];
            s[r * ATT_BK + c] = acc;
        }
}

static void att_softmax_t_portable(float *st, int64_t ldq, int64_t nk, const int32_t *clo,
                                   const int32_t *chi, bool all_visible, float *m, float *l,
                                   float *alpha)
{
    for (int64_t r = 0; r < ldq; r++) {
        float mx = -INFINITY;
        for (int64_t c = 0; c < nk; c++) {
            float *sc = st + c * ldq + r;
            if (!all_visible && (c < clo[r] || c >= chi[r]))
                *sc = -INFINITY;
            mx = *sc > mx ? *sc : mx;
        }
        const float mnew = mx > m[r] ? mx : m[r], msafe = mnew == -INFINITY ? 0 : mnew;
        float sum = 0;
        for (int64_t c = 0; c < nk; c++) {
            float *sc = st + c * ldq + r;
            *sc = expf(*sc - msafe);
            sum += *sc;
        }
        alpha[r] = expf(m[r] - msafe);
        l[r] = l[r] * alpha[r] + sum;
        m[r] = mnew;
    }
}

static float att_softmax_row_portable(float *s, float *m, float *l)
{
    float mx = -INFINITY;
    for (int c = 0; c < ATT_BK; c++)
        mx = s[c] > mx ? s[c] : mx;
    const float mnew = mx > *m ? mx : *m;
    float sum = 0;
    for (int c = 0; c < ATT_BK; c++) {
        s[c] = expf(s[c] - mnew);
        sum += s[c];
    }
    const float alpha = expf(*m - mnew);
    *l = *l * alpha + sum;
    *m = mnew;
    return alpha;
}

static void att_pv_portable(const float *p, int64_t prs, int64_t pcs, const float *alpha,
                            int64_t rows, int64_t nk, const float *v, int64_t vstride, int64_t Dv,
                            float *o, int64_t ov)
{
    for (int64_t r = 0; r < rows; r++) {
        float *orow = o + r * ov;
        for (int64_t e = 0; e < Dv; e++)
            orow[e] *= alpha[r];
        for (int64_t c = 0; c < nk; c++) {
            const float pc = p[r * prs + c * pcs], *vrow = v + c * vstride;
            if (pc == 0)
                continue;
            for (int64_t e = 0; e < Dv; e++)
                orow[e] += pc * vrow[e];
        }
    }
}

static const att_kernels att_portable = {
    att_scores_t_portable, att_scores_dot_portable, att_softmax_t_portable,
    att_softmax_row_portable, att_pv_portable,
};

#if IA_X86
/* ---------------------------------------------------------------- AVX-512 */

/* 8 keys x 32 rows (16 accumulators) or 8 keys x 16 rows per step. */
IA_TARGET_AVX512 static void att_scores_t_avx512(const float *qt, int64_t ldq, int64_t D,
                                                 const float *k, int64_t kstride, int64_t nk,
                                                 float *st)
{
    for (int64_t c0 = 0; c0 < nk; c0 += 8) {
        const float *kr[8];
        for (int c = 0; c < 8; c++)
            kr[c] = k + (c0 + c < nk ? c0 + c : nk - 1) * kstride;
        if (ldq == 32) {
            __m512 a[8][2];
            for (int c = 0; c < 8; c++)
                a[c][0] = a[c][1] = _mm512_setzero_ps();
            for (int64_t d = 0; d < D; d++) {
                const __m512 q0 = _mm512_load_ps(qt + d * 32), q1 = _mm512_load_ps(qt + d * 32 + 16);
                for (int c = 0; c < 8; c++) {
                    const __m512 b = _mm512_set1_ps(kr[c][d]);
                    a[c][0] = _mm512_fmadd_ps(b, q0, a[c][0]);
                    a[c][1] = _mm512_fmadd_ps(b, q1, a[c][1]);
                }
            }
            for (int c = 0; c < 8; c++) {
                _mm512_store_ps(st + (c0 + c) * 32, a[c][0]);
                _mm512_store_ps(st + (c0 + c) * 32 + 16, a[c][1]);
            }
        } else {
            __m512 a[8];
            for (int c = 0; c < 8; c++)
                a[c] = _mm512_setzero_ps();
            for (int64_t d = 0; d < D; d++) {
                const __m512 q0 = _mm512_load_ps(qt + d * 16);
                for (int c = 0; c < 8; c++)
                    a[c] = _mm512_fmadd_ps(_mm512_set1_ps(kr[c][d]), q0, a[c]);
            }
            for (int c = 0; c < 8; c++)
                _mm512_store_ps(st + (c0 + c) * 16, a[c]);
        }
    }
}

IA_TARGET_AVX512 static void att_scores_dot_avx512(const float *q, int64_t rows, int64_t D,
                                                   const float *k, int64_t kstride, int64_t nk,
                                                   float *s)
{
    const __mmask16 tail = (__mmask16)((1u << (D & 15)) - 1);
    const int64_t dfull = D & ~(int64_t)15;
    for (int64_t c = 0; c < nk; c++) {
        const float *kr = k + c * kstride;
        for (int64_t r = 0; r < rows; r++) {
            const float *qr = q + r * D;
            __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
            int64_t d = 0;
            for (; d + 32 <= dfull; d += 32) {
                a0 = _mm512_fmadd_ps(_mm512_loadu_ps(qr + d), _mm512_loadu_ps(kr + d), a0);
                a1 = _mm512_fmadd_ps(_mm512_loadu_ps(qr + d + 16), _mm512_loadu_ps(kr + d + 16), a1);
            }
            if (d < dfull)
                a0 = _mm512_fmadd_ps(_mm512_loadu_ps(qr + d), _mm512_loadu_ps(kr + d), a0);
            if (tail)
                a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail, qr + dfull),
                                     _mm512_maskz_loadu_ps(tail, kr + dfull), a1);
            s[r * ATT_BK + c] = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
        }
    }
}

IA_TARGET_AVX512 static void att_softmax_t_avx512(float *st, int64_t ldq, int64_t nk,
                                                  const int32_t *clo, const int32_t *chi,
                                                  bool all_visible, float *m, float *l,
                                                  float *alpha)
{
    const __m512 ninf = _mm512_set1_ps(-INFINITY);
    for (int64_t r0 = 0; r0 < ldq; r0 += 16) {
        float *sr = st + r0;
        __m512 mx = ninf;
        if (all_visible) {
            for (int64_t c = 0; c < nk; c++)
                mx = _mm512_max_ps(mx, _mm512_load_ps(sr + c * ldq));
        } else {
            const __m512i lo = _mm512_loadu_si512(clo + r0), hi = _mm512_loadu_si512(chi + r0);
            for (int64_t c = 0; c < nk; c++) {
                const __m512i cv = _mm512_set1_epi32((int)c);
                const __mmask16 vis = _mm512_cmp_epi32_mask(lo, cv, _MM_CMPINT_LE) &
                                      _mm512_cmp_epi32_mask(cv, hi, _MM_CMPINT_LT);
                const __m512 s = _mm512_mask_mov_ps(ninf, vis, _mm512_load_ps(sr + c * ldq));
                _mm512_store_ps(sr + c * ldq, s);
                mx = _mm512_max_ps(mx, s);
            }
        }
        const __m512 mold = _mm512_load_ps(m + r0), mnew = _mm512_max_ps(mold, mx);
        /* A lane that has seen no key keeps m = -inf: subtract 0 instead,
         * so its P and alpha are exp(-inf) = 0 rather than NaN. */
        const __m512 msafe = _mm512_mask_mov_ps(mnew, _mm512_cmp_ps_mask(mnew, ninf, _CMP_EQ_OQ),
                                                _mm512_setzero_ps());
        __m512 sum = _mm512_setzero_ps();
        for (int64_t c = 0; c < nk; c++) {
            const __m512 p = ia_exp16(_mm512_sub_ps(_mm512_load_ps(sr + c * ldq), msafe));
            _mm512_store_ps(sr + c * ldq, p);
            sum = _mm512_add_ps(sum, p);
        }
        const __m512 a = ia_exp16(_mm512_sub_ps(mold, msafe));
        _mm512_store_ps(l + r0, _mm512_fmadd_ps(_mm512_load_ps(l + r0), a, sum));
        _mm512_store_ps(m + r0, mnew);
        _mm512_store_ps(alpha + r0, a);
    }
}

IA_TARGET_AVX512 static float att_softmax_row_avx512(float *s, float *m, float *l)
{
    __m512 v[4];
    for (int c = 0; c < 4; c++)
        v[c] = _mm512_load_ps(s + 16 * c);
    const float bm = _mm512_reduce_max_ps(
        _mm512_max_ps(_mm512_max_ps(v[0], v[1]), _mm512_max_ps(v[2], v[3])));
    const float mnew = bm > *m ? bm : *m;
    const __m512 mv = _mm512_set1_ps(mnew);
    __m512 sum = _mm512_setzero_ps();
    for (int c = 0; c < 4; c++) {
        v[c] = ia_exp16(_mm512_sub_ps(v[c], mv));
        sum = _mm512_add_ps(sum, v[c]);
        _mm512_store_ps(s + 16 * c, v[c]);
    }
    const float alpha = expf(*m - mnew);
    *l = *l * alpha + _mm512_reduce_add_ps(sum);
    *m = mnew;
    return alpha;
}

/* O rows (padded to 32 columns) = O alpha + P V: 4 rows x 64 columns per
 * step, then 16-column steps (V's last one masked), then single rows. */
IA_TARGET_AVX512 static void att_pv_avx512(const float *p, int64_t prs, int64_t pcs,
                                           const float *alpha, int64_t rows, int64_t nk,
                                           const float *v, int64_t vstride, int64_t Dv, float *o,
                                           int64_t ov)
{
    int64_t r0 = 0;
    for (; r0 + 4 <= rows; r0 += 4) {
        const float *pr = p + r0 * prs;
        float *orow = o + r0 * ov;
        int64_t e0 = 0;
        for (; e0 + 64 <= Dv; e0 += 64) {
            __m512 acc[4][4];
            for (int r = 0; r < 4; r++) {
                const __m512 a = _mm512_set1_ps(alpha[r0 + r]);
                for (int c = 0; c < 4; c++)
                    acc[r][c] = _mm512_mul_ps(_mm512_load_ps(orow + r * ov + e0 + 16 * c), a);
            }
            for (int64_t j = 0; j < nk; j++) {
                const float *vr = v + j * vstride + e0;
                const __m512 v0 = _mm512_loadu_ps(vr), v1 = _mm512_loadu_ps(vr + 16),
                             v2 = _mm512_loadu_ps(vr + 32), v3 = _mm512_loadu_ps(vr + 48);
                for (int r = 0; r < 4; r++) {
                    const __m512 b = _mm512_set1_ps(pr[r * prs + j * pcs]);
                    acc[r][0] = _mm512_fmadd_ps(b, v0, acc[r][0]);
                    acc[r][1] = _mm512_fmadd_ps(b, v1, acc[r][1]);
                    acc[r][2] = _mm512_fmadd_ps(b, v2, acc[r][2]);
                    acc[r][3] = _mm512_fmadd_ps(b, v3, acc[r][3]);
                }
            }
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++)
                    _mm512_store_ps(orow + r * ov + e0 + 16 * c, acc[r][c]);
        }
        for (; e0 < Dv; e0 += 16) {
            const __mmask16 km = Dv - e0 >= 16 ? 0xffff : (__mmask16)((1u << (Dv - e0)) - 1);
            __m512 acc[4];
            for (int r = 0; r < 4; r++)
                acc[r] = _mm512_mul_ps(_mm512_load_ps(orow + r * ov + e0),
                                       _mm512_set1_ps(alpha[r0 + r]));
            for (int64_t j = 0; j < nk; j++) {
                const __m512 vv = _mm512_maskz_loadu_ps(km, v + j * vstride + e0);
                for (int r = 0; r < 4; r++)
                    acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(pr[r * prs + j * pcs]), vv, acc[r]);
            }
            for (int r = 0; r < 4; r++)
                _mm512_store_ps(orow + r * ov + e0, acc[r]);
        }
    }
    for (; r0 < rows; r0++) {
        const float *pr = p + r0 * prs;
        float *orow = o + r0 * ov;
        const __m512 a = _mm512_set1_ps(alpha[r0]);
        int64_t e0 = 0;
        for (; e0 + 64 <= Dv; e0 += 64) {
            __m512 acc[4];
            for (int c = 0; c < 4; c++)
                acc[c] = _mm512_mul_ps(_mm512_load_ps(orow + e0 + 16 * c), a);
            for (int64_t j = 0; j < nk; j++) {
                const __m512 b = _mm512_set1_ps(pr[j * pcs]);
                const float *vr = v + j * vstride + e0;
                for (int c = 0; c < 4; c++)
                    acc[c] = _mm512_fmadd_ps(b, _mm512_loadu_ps(vr + 16 * c), acc[c]);
            }
            for (int c = 0; c < 4; c++)
                _mm512_store_ps(orow + e0 + 16 * c, acc[c]);
        }
        for (; e0 < Dv; e0 += 16) {
            const __mmask16 km = Dv - e0 >= 16 ? 0xffff : (__mmask16)((1u << (Dv - e0)) - 1);
            __m512 acc = _mm512_mul_ps(_mm512_load_ps(orow + e0), a);
            for (int64_t j = 0; j < nk; j++)
                acc = _mm512_fmadd_ps(_mm512_set1_ps(pr[j * pcs]),
                                      _mm512_maskz_loadu_ps(km, v + j * vstride + e0), acc);
            _mm512_store_ps(orow + e0, acc);
        }
    }
}

static const att_kernels att_avx512 = {
    att_scores_t_avx512, att_scores_dot_avx512, att_softmax_t_avx512,
    att_softmax_row_avx512, att_pv_avx512,
};

/* ------------------------------------------------------------------- AVX2 */

IA_TARGET_AVX2 static inline float att_hsum256(__m256 v)
{
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

/* 4 keys x 16 rows per step (8 accumulators). */
IA_TARGET_AVX2 static void att_scores_t_avx2(const float *qt, int64_t ldq, int64_t D,
                                             const float *k, int64_t kstride, int64_t nk, float *st)
{
    for (int64_t r0 = 0; r0 < ldq; r0 += 16) {
        for (int64_t c0 = 0; c0 < nk; c0 += 4) {
            const float *kr[4];
            for (int c = 0; c < 4; c++)
                kr[c] = k + (c0 + c < nk ? c0 + c : nk - 1) * kstride;
            __m256 a[4][2];
            for (int c = 0; c < 4; c++)
                a[c][0] = a[c][1] = _mm256_setzero_ps();
            for (int64_t d = 0; d < D; d++) {
                const float *qr = qt + d * ldq + r0;
                const __m256 q0 = _mm256_load_ps(qr), q1 = _mm256_load_ps(qr + 8);
                for (int c = 0; c < 4; c++) {
                    const __m256 b = _mm256_broadcast_ss(kr[c] + d);
                    a[c][0] = _mm256_fmadd_ps(b, q0, a[c][0]);
                    a[c][1] = _mm256_fmadd_ps(b, q1, a[c][1]);
                }
            }
            for (int c = 0; c < 4; c++) {
                _mm256_store_ps(st + (c0 + c) * ldq + r0, a[c][0]);
                _mm256_store_ps(st + (c0 + c) * ldq + r0 + 8, a[c][1]);
            }
        }
    }
}

IA_TARGET_AVX2 static void att_scores_dot_avx2(const float *q, int64_t rows, int64_t D,
                                               const float *k, int64_t kstride, int64_t nk,
                                               float *s)
{
    const int64_t dfull = D & ~(int64_t)7;
    const __m256i tail = ia_tail_mask8(D - dfull);
    for (int64_t c = 0; c < nk; c++) {
        const float *kr = k + c * kstride;
        for (int64_t r = 0; r < rows; r++) {
            const float *qr = q + r * D;
            __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
            int64_t d = 0;
            for (; d + 16 <= dfull; d += 16) {
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(qr + d), _mm256_loadu_ps(kr + d), a0);
                a1 = _mm256_fmadd_ps(_mm256_loadu_ps(qr + d + 8), _mm256_loadu_ps(kr + d + 8), a1);
            }
            if (d < dfull)
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(qr + d), _mm256_loadu_ps(kr + d), a0);
            if (D > dfull)
                a1 = _mm256_fmadd_ps(_mm256_maskload_ps(qr + dfull, tail),
                                     _mm256_maskload_ps(kr + dfull, tail), a1);
            s[r * ATT_BK + c] = att_hsum256(_mm256_add_ps(a0, a1));
        }
    }
}

IA_TARGET_AVX2 static void att_softmax_t_avx2(float *st, int64_t ldq, int64_t nk,
                                              const int32_t *clo, const int32_t *chi,
                                              bool all_visible, float *m, float *l, float *alpha)
{
    const __m256 ninf = _mm256_set1_ps(-INFINITY);
    for (int64_t r0 = 0; r0 < ldq; r0 += 8) {
        float *sr = st + r0;
        __m256 mx = ninf;
        if (all_visible) {
            for (int64_t c = 0; c < nk; c++)
                mx = _mm256_max_ps(mx, _mm256_load_ps(sr + c * ldq));
        } else {
            const __m256i lo = _mm256_loadu_si256((const __m256i *)(clo + r0));
            const __m256i hi = _mm256_loadu_si256((const __m256i *)(chi + r0));
            for (int64_t c = 0; c < nk; c++) {
                const __m256i cv = _mm256_set1_epi32((int)c);
                const __m256i vis = _mm256_andnot_si256(_mm256_cmpgt_epi32(lo, cv),
                                                        _mm256_cmpgt_epi32(hi, cv));
                const __m256 s = _mm256_blendv_ps(ninf, _mm256_load_ps(sr + c * ldq),
                                                  _mm256_castsi256_ps(vis));
                _mm256_store_ps(sr + c * ldq, s);
                mx = _mm256_max_ps(mx, s);
            }
        }
        const __m256 mold = _mm256_load_ps(m + r0), mnew = _mm256_max_ps(mold, mx);
        const __m256 msafe = _mm256_blendv_ps(mnew, _mm256_setzero_ps(),
                                              _mm256_cmp_ps(mnew, ninf, _CMP_EQ_OQ));
        __m256 sum = _mm256_setzero_ps();
        for (int64_t c = 0; c < nk; c++) {
            const __m256 p = ia_exp8(_mm256_sub_ps(_mm256_load_ps(sr + c * ldq), msafe));
            _mm256_store_ps(sr + c * ldq, p);
            sum = _mm256_add_ps(sum, p);
        }
        const __m256 a = ia_exp8(_mm256_sub_ps(mold, msafe));
        _mm256_store_ps(l + r0, _mm256_fmadd_ps(_mm256_load_ps(l + r0), a, sum));
        _mm256_store_ps(m + r0, mnew);
        _mm256_store_ps(alpha + r0, a);
    }
}

IA_TARGET_AVX2 static float att_softmax_row_avx2(float *s, float *m, float *l)
{
    __m256 mx = _mm256_load_ps(s);
    for (int c = 8; c < ATT_BK; c += 8)
        mx = _mm256_max_ps(mx, _mm256_load_ps(s + c));
    __m128 x = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
    x = _mm_max_ps(x, _mm_movehl_ps(x, x));
    x = _mm_max_ss(x, _mm_movehdup_ps(x));
    const float bm = _mm_cvtss_f32(x);
    const float mnew = bm > *m ? bm : *m;
    const __m256 mv = _mm256_set1_ps(mnew);
    __m256 sum = _mm256_setzero_ps();
    for (int c = 0; c < ATT_BK; c += 8) {
        const __m256 e = ia_exp8(_mm256_sub_ps(_mm256_load_ps(s + c), mv));
        sum = _mm256_add_ps(sum, e);
        _mm256_store_ps(s + c, e);
    }
    const float alpha = expf(*m - mnew);
    *l = *l * alpha + att_hsum256(sum);
    *m = mnew;
    return alpha;
}

/* 4 rows x 16 columns per step (V's loads masked past Dv), then single rows
 * 32 columns at a time. */
IA_TARGET_AVX2 static void att_pv_avx2(const float *p, int64_t prs, int64_t pcs, const float *alpha,
                                       int64_t rows, int64_t nk, const float *v, int64_t vstride,
                                       int64_t Dv, float *o, int64_t ov)
{
    int64_t r0 = 0;
    for (; r0 + 4 <= rows; r0 += 4) {
        const float *pr = p + r0 * prs;
        float *orow = o + r0 * ov;
        for (int64_t e0 = 0; e0 < Dv; e0 += 16) {
            const int64_t left = Dv - e0;
            const __m256i m0 = ia_tail_mask8(left < 8 ? left : 8);
            const __m256i m1 = ia_tail_mask8(left < 8 ? 0 : left < 16 ? left - 8 : 8);
            __m256 acc[4][2];
            for (int r = 0; r < 4; r++) {
                const __m256 a = _mm256_broadcast_ss(alpha + r0 + r);
                acc[r][0] = _mm256_mul_ps(_mm256_load_ps(orow + r * ov + e0), a);
                acc[r][1] = _mm256_mul_ps(_mm256_load_ps(orow + r * ov + e0 + 8), a);
            }
            for (int64_t j = 0; j < nk; j++) {
                const float *vr = v + j * vstride + e0;
                const __m256 v0 = _mm256_maskload_ps(vr, m0), v1 = _mm256_maskload_ps(vr + 8, m1);
                for (int r = 0; r < 4; r++) {
                    const __m256 b = _mm256_broadcast_ss(pr + r * prs + j * pcs);
                    acc[r][0] = _mm256_fmadd_ps(b, v0, acc[r][0]);
                    acc[r][1] = _mm256_fmadd_ps(b, v1, acc[r][1]);
                }
            }
            for (int r = 0; r < 4; r++) {
                _mm256_store_ps(orow + r * ov + e0, acc[r][0]);
                _mm256_store_ps(orow + r * ov + e0 + 8, acc[r][1]);
            }
        }
    }
    for (; r0 < rows; r0++) {
        const float *pr = p + r0 * prs;
        float *orow = o + r0 * ov;
        const __m256 a = _mm256_broadcast_ss(alpha + r0);
        for (int64_t e0 = 0; e0 < Dv; e0 += 32) {
            __m256i mk[4];
            __m256 acc[4];
            for (int c = 0; c < 4; c++) {
                const int64_t left = Dv - e0 - 8 * c;
                mk[c] = ia_tail_mask8(left < 0 ? 0 : left < 8 ? left : 8);
                acc[c] = _mm256_mul_ps(_mm256_load_ps(orow + e0 + 8 * c), a);
            }
            for (int64_t j = 0; j < nk; j++) {
                const __m256 b = _mm256_broadcast_ss(pr + j * pcs);
                const float *vr = v + j * vstride + e0;
                for (int c = 0; c < 4; c++)
                    acc[c] = _mm256_fmadd_ps(b, _mm256_maskload_ps(vr + 8 * c, mk[c]), acc[c]);
            }
            for (int c = 0; c < 4; c++)
                _mm256_store_ps(orow + e0 + 8 * c, acc[c]);
        }
    }
}

static const att_kernels att_avx2 = {
    att_scores_t_avx2, att_scores_dot_avx2, att_softmax_t_avx2,
    att_softmax_row_avx2, att_pv_avx2,
};
#endif /* IA_X86 */

static const att_kernels *att_kernels_for(ia_cpu_isa isa)
{
#if IA_X86
    if (isa == IA_CPU_ISA_AVX512)
        return &att_avx512;
    if (isa == IA_CPU_ISA_AVX2)
        return &att_avx2;
#endif
    (void)isa;
    return &att_portable;
}

/* ------------------------------------------------------------- the driver */

typedef struct att_job {
    ia_cpu_ctx *cpu;
    const att_kernels *kern;
    const ia_tensor *q, *k, *v, *mask, *dst;
    int64_t Hkv, Sq, Sk, D, Dv, Dvp, group, rows, blocks; /* rows = G * Sq per kv head */
    float scale;
    bool causal;
    int64_t window;
    int64_t ms[4]; /* mask strides in [B, Hq, Sq, Sk] space, 0 when broadcast */
    size_t mask_esize;
    /* Split keys (decode with fewer items than threads): each item's keys
     * are cut in nsplit ranges whose partial O, m, l go to `partial` (in
     * thread 0's scratch, ahead of its working area) and are merged after. */
    int64_t nsplit, unit_floats;
    float *partial;
    size_t shared_bytes, scratch_bytes;
    /* Scratch layout, in floats from the start of a thread's working area. */
    size_t off_q, off_kp, off_vp, off_s, off_o, off_m, off_l, off_a;
    atomic_bool failed;
} att_job;

static size_t att_round16(size_t n) { return (n + 15) / 16 * 16; }

/* The rows of one item: where they read and write, and what they see. */
typedef struct att_rows {
    int64_t n, ldq;                 /* rows; lanes of S^T (16 or 32) */
    int64_t lo[ATT_BQ], hi[ATT_BQ]; /* row r sees keys [lo, hi) */
    int64_t maxlo, minhi;           /* every row sees [maxlo, minhi) */
    int64_t klo, khi;               /* no row sees a key outside [klo, khi) */
    bool dot, mask_shared;          /* S layout; every row reads one mask row */
    float *out[ATT_BQ];
    const char *mask[ATT_BQ];
} att_rows;

/* Where row f of kv head hk (query f / G of head hk * G + f % G) goes. */
static float *att_row_out(const att_job *j, int64_t b, int64_t hk, int64_t f)
{
    const ia_tensor *dst = j->dst;
    return (float *)dst->data + b * dst->stride[0] + (hk * j->group + f % j->group) * dst->stride[1] +
           (f / j->group) * dst->stride[2];
}

/* Finds the item's rows and packs scale * Q: [row][D] for the dot-product
 * path, else transposed [D][ldq] with zero lanes past the last row. */
static void att_rows_setup(const att_job *j, int64_t b, int64_t hk, int64_t rb, float *qp,
                           att_rows *rows)
{
    const ia_tensor *q = j->q;
    const int64_t first = rb * ATT_BQ, D = j->D;
    rows->n = j->rows - first < ATT_BQ ? j->rows - first : ATT_BQ;
    rows->ldq = rows->n <= 16 ? 16 : 32;
    rows->dot = rows->n <= ATT_DOT_ROWS;
    rows->maxlo = 0, rows->minhi = j->Sk, rows->klo = j->Sk, rows->khi = 0;
    rows->mask_shared = j->mask != NULL;
    if (!rows->dot)
        memset(qp, 0, (size_t)(D * rows->ldq) * sizeof *qp);
    for (int64_t r = 0; r < rows->n; r++) {
        const int64_t f = first + r, i = f / j->group, h = hk * j->group + f % j->group;
        const float *qrow = (const float *)q->data + b * q->stride[0] + h * q->stride[1] +
                            i * q->stride[2];
        if (rows->dot)
            for (int64_t d = 0; d < D; d++)
                qp[r * D + d] = qrow[d * q->stride[3]] * j->scale;
        else
            for (int64_t d = 0; d < D; d++)
                qp[d * rows->ldq + r] = qrow[d * q->stride[3]] * j->scale;
        rows->out[r] = att_row_out(j, b, hk, f);
        const int64_t pos = i + (j->Sk - j->Sq);
        int64_t hi = j->causal ? pos + 1 : j->Sk;
        int64_t lo = j->window > 0 ? pos - (j->window - 1) : 0;
        hi = hi < j->Sk ? hi : j->Sk;
        lo = lo > 0 ? lo : 0;
        hi = hi > lo ? hi : lo;
        rows->lo[r] = lo, rows->hi[r] = hi;
        rows->maxlo = lo > rows->maxlo ? lo : rows->maxlo;
        rows->minhi = hi < rows->minhi ? hi : rows->minhi;
        if (lo < hi) {
            rows->klo = lo < rows->klo ? lo : rows->klo;
            rows->khi = hi > rows->khi ? hi : rows->khi;
        }
        rows->mask[r] = j->mask ? (const char *)j->mask->data +
                                      (b * j->ms[0] + h * j->ms[1] + i * j->ms[2]) *
                                          (int64_t)j->mask_esize
                                : NULL;
        rows->mask_shared &= rows->mask[r] == rows->mask[0];
    }
}

/* Dot-product path: hides what row r must not see among keys [k0, k0 + nk)
 * of its score row and adds the mask. False when it sees none of them. */
static bool att_mask_row(const att_job *j, const att_rows *rows, int64_t r, int64_t k0,
                         int64_t nk, float *s)
{
    int64_t clo = rows->lo[r] - k0, chi = rows->hi[r] - k0;
    clo = clo > 0 ? clo : 0;
    chi = chi < nk ? chi : nk;
    if (clo >= chi)
        return false;
    for (int64_t c = 0; c < clo; c++)
        s[c] = -INFINITY;
    for (int64_t c = chi; c < ATT_BK; c++)
        s[c] = -INFINITY;
    if (!rows->mask[r])
        return true;
    const int64_t step = j->ms[3];
    bool any = false;
    if (j->mask->dtype == IA_DTYPE_BOOL) {
        const uint8_t *mb = (const uint8_t *)rows->mask[r] + k0 * step;
        for (int64_t c = clo; c < chi; c++) {
            if (!mb[c * step])
                s[c] = -INFINITY;
            else
                any = true;
        }
    } else {
        const float *mf = (const float *)rows->mask[r] + k0 * step;
        for (int64_t c = clo; c < chi; c++) {
            s[c] += mf[c * step];
            any |= s[c] > -INFINITY;
        }
    }
    return any;
}

/* Transposed path: applies the mask tensor to S^T of keys [k0, k0 + nk);
 * the ranges are the softmax kernel's job. A mask row shared by every row
 * (a key padding mask) is read once per key. */
static void att_mask_t(const att_job *j, const att_rows *rows, int64_t k0, int64_t nk, float *st)
{
    const int64_t step = j->ms[3], ldq = rows->ldq;
    const bool is_bool = j->mask->dtype == IA_DTYPE_BOOL;
    for (int64_t r0 = 0; r0 < rows->n; r0++) {
        const int64_t r1 = rows->mask_shared ? rows->n : r0 + 1;
        const uint8_t *mb = (const uint8_t *)rows->mask[r0] + k0 * step;
        const float *mf = (const float *)rows->mask[r0] + k0 * step;
        for (int64_t c = 0; c < nk; c++) {
            float *sc = st + c * ldq;
            if (is_bool) {
                if (!mb[c * step])
                    for (int64_t r = r0; r < r1; r++)
                        sc[r] = -INFINITY;
            } else {
                const float add = mf[c * step];
                for (int64_t r = r0; r < r1; r++)
                    sc[r] += add;
            }
        }
        if (rows->mask_shared)
            break;
    }
}

static void att_item(const att_job *j, int64_t unit, float *ws)
{
    const int64_t item = unit / j->nsplit, split = unit % j->nsplit;
    const att_kernels *kn = j->kern;
    const int64_t D = j->D, Dv = j->Dv, Dvp = j->Dvp;
    const int64_t rb = item % j->blocks, hk = item / j->blocks % j->Hkv,
                  b = item / j->blocks / j->Hkv;
    float *qp = ws + j->off_q, *kp = ws + j->off_kp, *vp = ws + j->off_vp, *s = ws + j->off_s;
    float *o = ws + j->off_o, *m = ws + j->off_m, *l = ws + j->off_l, *alpha = ws + j->off_a;
    att_rows rows;
    att_rows_setup(j, b, hk, rb, qp, &rows);
    const int64_t ldq = rows.ldq;
    for (int64_t r = 0; r < ldq; r++)
        m[r] = -INFINITY, l[r] = 0;
    memset(o, 0, (size_t)(rows.n * Dvp) * sizeof *o);

    const ia_tensor *k = j->k, *v = j->v;
    const float *kbase = (const float *)k->data + b * k->stride[0] + hk * k->stride[1];
    const float *vbase = (const float *)v->data + b * v->stride[0] + hk * v->stride[1];
    int64_t klo = rows.klo, khi = rows.khi;
    if (j->nsplit > 1) { /* this unit's share of the keys, whole blocks */
        int64_t chunk = (khi > klo ? khi - klo + j->nsplit - 1 : 0) / j->nsplit;
        chunk = (chunk + ATT_BK - 1) / ATT_BK * ATT_BK;
        klo = klo + split * chunk < khi ? klo + split * chunk : khi;
        khi = klo + chunk < khi ? klo + chunk : khi;
    }
    for (int64_t k0 = klo; k0 < khi; k0 += ATT_BK) {
        const int64_t nk = khi - k0 < ATT_BK ? khi - k0 : ATT_BK;
        const float *kb = kbase + k0 * k->stride[2];
        int64_t kstride = k->stride[2];
        if (k->stride[3] != 1) { /* gather rows: the kernels read a key's D values in order */
            for (int64_t c = 0; c < nk; c++)
                for (int64_t d = 0; d < D; d++)
                    kp[c * D + d] = kb[c * k->stride[2] + d * k->stride[3]];
            kb = kp;
            kstride = D;
        }
        int64_t prs, pcs; /* where P[r][c] is in s */
        if (rows.dot) {
            kn->scores_dot(qp, rows.n, D, kb, kstride, nk, s);
            for (int64_t r = 0; r < rows.n; r++) {
                float *sr = s + r * ATT_BK;
                alpha[r] = 1;
                if (att_mask_row(j, &rows, r, k0, nk, sr))
                    alpha[r] = kn->softmax_row(sr, &m[r], &l[r]);
                else /* sees none of these keys: contributes nothing */
                    memset(sr, 0, ATT_BK * sizeof *sr);
            }
            prs = ATT_BK, pcs = 1;
        } else {
            kn->scores_t(qp, ldq, D, kb, kstride, nk, s);
            if (j->mask)
                att_mask_t(j, &rows, k0, nk, s);
            int32_t clo[ATT_BQ] = {0}, chi[ATT_BQ] = {0};
            for (int64_t r = 0; r < rows.n; r++) {
                const int64_t a = rows.lo[r] - k0, z = rows.hi[r] - k0;
                clo[r] = (int32_t)(a < 0 ? 0 : a > nk ? nk : a);
                chi[r] = (int32_t)(z < 0 ? 0 : z > nk ? nk : z);
            }
            const bool all_visible = k0 >= rows.maxlo && k0 + nk <= rows.minhi;
            kn->softmax_t(s, ldq, nk, clo, chi, all_visible, m, l, alpha);
            prs = 1, pcs = ldq;
        }
        const float *vb = vbase + k0 * v->stride[2];
        int64_t vstride = v->stride[2];
        if (v->stride[3] != 1) {
            for (int64_t c = 0; c < nk; c++)
                for (int64_t e = 0; e < Dv; e++)
                    vp[c * Dv + e] = vb[c * v->stride[2] + e * v->stride[3]];
            vb = vp;
            vstride = Dv;
        }
        kn->pv(s, prs, pcs, alpha, rows.n, nk, vb, vstride, Dv, o, Dvp);
    }

    if (j->nsplit > 1) {
        float *u = j->partial + unit * j->unit_floats, *um = u + rows.n * Dvp, *ul = um + rows.n;
        memcpy(u, o, (size_t)(rows.n * Dvp) * sizeof *u);
        memcpy(um, m, (size_t)rows.n * sizeof *um);
        memcpy(ul, l, (size_t)rows.n * sizeof *ul);
        return;
    }
    const int64_t ostep = j->dst->stride[3];
    for (int64_t r = 0; r < rows.n; r++) {
        /* l == 0: no key was visible; the row's output is zeros. */
        const float inv = l[r] > 0 ? 1.0f / l[r] : 0.0f;
        for (int64_t e = 0; e < Dv; e++)
            rows.out[r][e * ostep] = o[r * Dvp + e] * inv;
    }
}

static void att_run(void *ctx, int64_t begin, int64_t end, int thread)
{
    att_job *j = ctx;
    const size_t skip = thread == 0 ? j->shared_bytes : 0; /* thread 0 holds `partial` */
    char *ws = ia_cpu_scratch(j->cpu, thread, skip + j->scratch_bytes);
    if (!ws) {
        atomic_store(&j->failed, true);
        return;
    }
    for (int64_t it = begin; it < end; it++)
        att_item(j, it, (float *)(ws + skip));
}

/* Merges the split partials of items [begin, end): the softmax of the union
 * is sum_s e^(m_s - M) O_s / sum_s e^(m_s - M) l_s with M = max_s m_s. */
static void att_merge(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const att_job *j = ctx;
    const int64_t n = j->rows, Dvp = j->Dvp, ostep = j->dst->stride[3];
    for (int64_t item = begin; item < end; item++) {
        const float *first = j->partial + item * j->nsplit * j->unit_floats;
        for (int64_t r = 0; r < n; r++) {
            float mx = -INFINITY, sum = 0;
            for (int64_t sp = 0; sp < j->nsplit; sp++) {
                const float ms = first[sp * j->unit_floats + n * Dvp + r];
                mx = ms > mx ? ms : mx;
            }
            float *out = att_row_out(j, item / j->Hkv, item % j->Hkv, r);
            for (int64_t e = 0; e < j->Dv; e++)
                out[e * ostep] = 0;
            if (mx == -INFINITY)
                continue; /* no key visible: zeros */
            for (int64_t sp = 0; sp < j->nsplit; sp++) {
                const float *u = first + sp * j->unit_floats;
                const float w = expf(u[n * Dvp + r] - mx);
                sum += w * u[n * Dvp + n + r];
                for (int64_t e = 0; e < j->Dv; e++)
                    out[e * ostep] += w * u[r * Dvp + e];
            }
            for (int64_t e = 0; e < j->Dv; e++)
                out[e * ostep] = sum > 0 ? out[e * ostep] / sum : 0.0f;
        }
    }
}

ia_status ia_cpu_attention(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    const ia_tensor *q = op->src[0], *k = op->src[1], *v = op->src[2];
    att_job j = {
        .cpu = cpu, .kern = att_kernels_for(cpu->isa),
        .q = q, .k = k, .v = v, .mask = op->src[3], .dst = op->dst,
        .Hkv = k->shape[1], .Sq = q->shape[2], .Sk = k->shape[2],
        .D = q->shape[3], .Dv = v->shape[3],
        .causal = op->p.attention.causal, .window = op->p.attention.window,
    };
    const int64_t B = q->shape[0];
    j.group = q->shape[1] / j.Hkv;
    j.rows = j.group * j.Sq;
    j.blocks = (j.rows + ATT_BQ - 1) / ATT_BQ;
    /* O rows padded to 32 columns: the AVX2 single-row step is 32 wide. */
    j.Dvp = (j.Dv + 31) / 32 * 32;
    j.scale = op->p.attention.scale != 0 ? op->p.attention.scale : 1.0f / sqrtf((float)j.D);
    if (j.mask) {
        for (int d = 0; d < 4; d++) {
            int md = d - (4 - j.mask->ndim);
            j.ms[d] = (md >= 0 && j.mask->shape[md] != 1) ? j.mask->stride[md] : 0;
        }
        j.mask_esize = ia_dtype_size(j.mask->dtype);
    }
    const int64_t items = B * j.Hkv * j.blocks;
    if (items == 0 || j.Dv == 0)
        return IA_OK;

    size_t off = 0;
    j.off_q = off, off += att_round16((size_t)(ATT_BQ * j.D));
    j.off_kp = off, off += att_round16((size_t)(j.D * ATT_BK));
    j.off_vp = off, off += att_round16((size_t)(j.Dv * ATT_BK));
    j.off_s = off, off += (size_t)(ATT_BQ * ATT_BK);
    j.off_o = off, off += (size_t)(ATT_BQ * j.Dvp);
    j.off_m = off, off += ATT_BQ;
    j.off_l = off, off += ATT_BQ;
    j.off_a = off, off += ATT_BQ;
    j.scratch_bytes = off * sizeof(float);
    /* Too few items for the threads (a decode step over few kv heads): split
     * the keys, in ranges of at least four blocks: shorter ones cost more in
     * hand-offs than they save (measured on a 16-core Xeon). */
    const int64_t threads = ia_threadpool_size(cpu->pool);
    j.nsplit = 1;
    if (j.blocks == 1 && items < threads && j.Sk >= 8 * ATT_BK) {
        const int64_t by_threads = (2 * threads + items - 1) / items;
        const int64_t by_keys = j.Sk / (4 * ATT_BK);
        j.nsplit = by_threads < by_keys ? by_threads : by_keys;
        j.unit_floats = (int64_t)att_round16((size_t)(j.rows * (j.Dvp + 2)));
        j.shared_bytes = (size_t)(items * j.nsplit * j.unit_floats) * sizeof(float);
    }
    /* Grown here, on the calling thread, so the workers only ever find
     * buffers of the right size (and a failure is reported, not lost). */
    for (int t = 0; t < cpu->scratch_count; t++)
        if (!ia_cpu_scratch(cpu, t, j.scratch_bytes + (t == 0 ? j.shared_bytes : 0)))
            return ia_error_set(err, IA_ERR_NOMEM,
                                "attention: out of memory for %zu bytes of scratch",
                                j.scratch_bytes + j.shared_bytes);
    j.partial = ia_cpu_scratch(cpu, 0, j.scratch_bytes + j.shared_bytes);
    atomic_init(&j.failed, false);
    ia_threadpool_parallel_for(cpu->pool, items * j.nsplit, 1, att_run, &j);
    if (atomic_load(&j.failed))
        return ia_error_set(err, IA_ERR_NOMEM, "attention: no scratch for a worker thread");
    if (j.nsplit > 1) /* a small merge is cheaper on this thread than another hand-off */
        ia_threadpool_parallel_for(cpu->pool, items,
                                   items * j.nsplit * j.rows * j.Dv < 65536 ? items : 1, att_merge,
                                   &j);
    return IA_OK;
}
