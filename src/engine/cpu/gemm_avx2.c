/* AVX2 + FMA GEMM kernels (with F16C for F16 weights), enabled per function
 * with target attributes; the CPU backend calls them only when hw reports
 * AVX2 and FMA.
 *
 * Micro-kernel 6 x 16: twelve ymm accumulators, two ymm of B and one
 * broadcast fill fifteen of the sixteen registers; twelve FMA chains cover a
 * 4 to 5 cycle latency on two FMA ports (90% of the AVX2 peak on one Zen 5
 * core at 128 x 768 x 768). KC = 256 keeps a packed panel (256 x 16 floats =
 * 16 KiB) in any L1 of 32 KiB or more. Packing and the GEMV follow the
 * AVX-512 file (8 x 8 transposes, conversion in registers); tails go
 * through small buffers, AVX2 having no masked 16-bit loads. */
#include <immintrin.h>
#include <string.h>

#include "engine/cpu/gemm.h"

#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

#define NR 16
#define MR 6

/* 8 elements of B storage at p as F32. */
INLINE AVX2 __m256 load8(const void *p, ia_dtype t)
{
    switch (t) {
    case IA_DTYPE_F16:
        return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
    case IA_DTYPE_BF16:
        return _mm256_castsi256_ps(
            _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
    default:
        return _mm256_loadu_ps(p);
    }
}

/* n < 8 elements, the rest zero, through a buffer. */
static float elem(const void *p, ia_dtype t, int64_t i)
{
    switch (t) {
    case IA_DTYPE_F16: return ia_f16_to_f32(((const uint16_t *)p)[i]);
    case IA_DTYPE_BF16: return ia_bf16_to_f32(((const uint16_t *)p)[i]);
    default: return ((const float *)p)[i];
    }
}

INLINE AVX2 __m256 load8_n(const void *p, ia_dtype t, int64_t n)
{
    if (n >= 8)
        return load8(p, t);
    float tmp[8] = {0};
    for (int64_t i = 0; i < n; i++)
        tmp[i] = elem(p, t, i);
    return _mm256_loadu_ps(tmp);
}

/* ------------------------------------------------------------- packing */

INLINE AVX2 void transpose8(__m256 r[8])
{
    __m256 t[8], u[8];
    for (int j = 0; j < 4; j++) {
        t[2 * j] = _mm256_unpacklo_ps(r[2 * j], r[2 * j + 1]);
        t[2 * j + 1] = _mm256_unpackhi_ps(r[2 * j], r[2 * j + 1]);
    }
    for (int q = 0; q < 2; q++) {
        u[4 * q + 0] = _mm256_shuffle_ps(t[4 * q + 0], t[4 * q + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * q + 1] = _mm256_shuffle_ps(t[4 * q + 0], t[4 * q + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[4 * q + 2] = _mm256_shuffle_ps(t[4 * q + 1], t[4 * q + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * q + 3] = _mm256_shuffle_ps(t[4 * q + 1], t[4 * q + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    /* u[4q + c], 128-bit lane L: rows 4q..4q+3 of column 4L + c. */
    for (int c = 0; c < 4; c++) {
        r[c] = _mm256_permute2f128_ps(u[c], u[4 + c], 0x20);
        r[4 + c] = _mm256_permute2f128_ps(u[c], u[4 + c], 0x31);
    }
}

INLINE AVX2 void pack_rows(const ia_gemm_b *b, ia_dtype t, int64_t k0, int64_t kc, int64_t n0,
                           int64_t nc, float *dst)
{
    int64_t es = (int64_t)ia_dtype_size(t);
    for (int64_t j0 = 0; j0 < nc; j0 += NR) {
        float *panel = dst + j0 * kc;
        for (int h = 0; h < NR; h += 8) {
            int64_t rows = nc - j0 - h;
            const char *base = (const char *)b->data + ((n0 + j0 + h) * b->ns + k0) * es;
            for (int64_t k = 0; k < kc; k += 8) {
                __m256 r[8];
                int64_t cnt = kc - k < 8 ? kc - k : 8;
                for (int i = 0; i < 8; i++)
                    r[i] = i < rows ? load8_n(base + (i * b->ns + k) * es, t, cnt) : _mm256_setzero_ps();
                transpose8(r);
                for (int64_t i = 0; i < cnt; i++)
                    _mm256_store_ps(panel + (k + i) * NR + h, r[i]);
            }
        }
    }
}

INLINE AVX2 void pack_cols(const ia_gemm_b *b, ia_dtype t, int64_t k0, int64_t kc, int64_t n0,
                           int64_t nc, float *dst)
{
    int64_t es = (int64_t)ia_dtype_size(t);
    for (int64_t j0 = 0; j0 < nc; j0 += NR) {
        float *panel = dst + j0 * kc;
        int64_t w = nc - j0;
        const char *base = (const char *)b->data + (k0 * b->ks + n0 + j0) * es;
        for (int64_t k = 0; k < kc; k++) {
            const char *p = base + k * b->ks * es;
            _mm256_store_ps(panel + k * NR, load8_n(p, t, w));
            _mm256_store_ps(panel + k * NR + 8, w > 8 ? load8_n(p + 8 * es, t, w - 8) : _mm256_setzero_ps());
        }
    }
}

AVX2 static void avx2_pack_b(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                             float *dst)
{
    if (b->ks == 1) {
        switch (b->dtype) {
        case IA_DTYPE_F16: pack_rows(b, IA_DTYPE_F16, k0, kc, n0, nc, dst); return;
        case IA_DTYPE_BF16: pack_rows(b, IA_DTYPE_BF16, k0, kc, n0, nc, dst); return;
        default: pack_rows(b, IA_DTYPE_F32, k0, kc, n0, nc, dst); return;
        }
    }
    if (b->ns == 1) {
        switch (b->dtype) {
        case IA_DTYPE_F16: pack_cols(b, IA_DTYPE_F16, k0, kc, n0, nc, dst); return;
        case IA_DTYPE_BF16: pack_cols(b, IA_DTYPE_BF16, k0, kc, n0, nc, dst); return;
        default: pack_cols(b, IA_DTYPE_F32, k0, kc, n0, nc, dst); return;
        }
    }
    ia_gemm_pack_b_generic(b, k0, kc, n0, nc, NR, dst);
}

/* -------------------------------------------------------- micro-kernel */

INLINE AVX2 void tile_mr(const int R, int64_t kc, const float *a, int64_t lda, const float *bp,
                         float *c, int64_t ldc, int64_t c_cs, int nr, const ia_gemm_epilogue *ep)
{
    /* C's lines are fetched while the k loop runs: a C too large for L3
     * (2048 x 3072) otherwise stalls the stores of every tile on DRAM. */
    if (c_cs == 1)
#pragma GCC unroll 8
        for (int i = 0; i < R; i++) {
            __builtin_prefetch(c + i * ldc, 1, 3);
            __builtin_prefetch(c + i * ldc + NR - 1, 1, 3);
        }
    __m256 acc[MR][2];
#pragma GCC unroll 8
    for (int i = 0; i < R; i++)
        acc[i][0] = acc[i][1] = _mm256_setzero_ps();
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; k++) {
        __m256 b0 = _mm256_load_ps(bp + k * NR), b1 = _mm256_load_ps(bp + k * NR + 8);
#pragma GCC unroll 8
        for (int i = 0; i < R; i++) {
            __m256 ai = _mm256_broadcast_ss(a + i * lda + k);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
    if (c_cs == 1 && nr == NR) {
        __m256 alpha = _mm256_set1_ps(ep->alpha);
        __m256 bias0 = _mm256_setzero_ps(), bias1 = _mm256_setzero_ps();
        if (!ep->accumulate && ep->bias) {
            bias0 = _mm256_loadu_ps(ep->bias);
            bias1 = _mm256_loadu_ps(ep->bias + 8);
        }
#pragma GCC unroll 8
        for (int i = 0; i < R; i++) {
            float *ci = c + i * ldc;
            __m256 add0 = ep->accumulate ? _mm256_loadu_ps(ci) : bias0;
            __m256 add1 = ep->accumulate ? _mm256_loadu_ps(ci + 8) : bias1;
            _mm256_storeu_ps(ci, _mm256_fmadd_ps(acc[i][0], alpha, add0));
            _mm256_storeu_ps(ci + 8, _mm256_fmadd_ps(acc[i][1], alpha, add1));
        }
        return;
    }
    /* A partial or strided tile: through memory. */
    float tmp[MR * NR];
#pragma GCC unroll 8
    for (int i = 0; i < R; i++) {
        _mm256_storeu_ps(tmp + i * NR, acc[i][0]);
        _mm256_storeu_ps(tmp + i * NR + 8, acc[i][1]);
    }
    ia_gemm_store_tile(tmp, NR, c, ldc, c_cs, R, nr, ep);
}

#define TILE_CASE(n) \
    case n: tile_mr(n, kc, a, lda, bp, c, ldc, c_cs, nr, ep); return;

AVX2 static void avx2_tile(int64_t kc, const float *a, int64_t lda, const float *bp, float *c,
                           int64_t ldc, int64_t c_cs, int mr, int nr, const ia_gemm_epilogue *ep)
{
    switch (mr) {
        TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6)
    default: return;
    }
}

/* ---------------------------------------------------------------- GEMV */

INLINE AVX2 float hsum8(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* Rows of a Linear weight against the M rows of A: R weight rows at a
 * time (4, or 2 when M > 2, to stay within sixteen registers), each weight
 * element loaded and converted once for M FMAs. */
INLINE AVX2 void gemv_rows(const int M, ia_dtype t, int64_t K, const float *a, int64_t lda,
                           const ia_gemm_b *b, int64_t n0, int64_t n1, float *c, int64_t ldc,
                           int64_t c_cs, float alpha, const float *bias)
{
    const int R = M <= 2 ? 4 : 2;
    int64_t es = (int64_t)ia_dtype_size(t), rs = b->ns * es;
    const char *base = b->data;
    int64_t K8 = K / 8 * 8;
    for (int64_t n = n0; n < n1; n += R) {
        int rows = n1 - n < R ? (int)(n1 - n) : R;
        const char *r[4];
        for (int j = 0; j < R; j++)
            r[j] = base + (n + (j < rows ? j : 0)) * rs;
        __m256 acc[4][IA_GEMV_MAX_M];
#pragma GCC unroll 4
        for (int j = 0; j < R; j++)
#pragma GCC unroll 4
            for (int i = 0; i < M; i++)
                acc[j][i] = _mm256_setzero_ps();
        for (int64_t k = 0; k < K8; k += 8) {
            __m256 av[IA_GEMV_MAX_M];
#pragma GCC unroll 4
            for (int i = 0; i < M; i++)
                av[i] = _mm256_loadu_ps(a + i * lda + k);
#pragma GCC unroll 4
            for (int j = 0; j < R; j++) {
                __m256 w = load8(r[j] + k * es, t);
#pragma GCC unroll 4
                for (int i = 0; i < M; i++)
                    acc[j][i] = _mm256_fmadd_ps(av[i], w, acc[j][i]);
            }
        }
        for (int j = 0; j < rows; j++)
            for (int i = 0; i < M; i++) {
                float s = hsum8(acc[j][i]);
                for (int64_t k = K8; k < K; k++)
                    s += a[i * lda + k] * elem(r[j], t, k);
                c[i * ldc + (n + j) * c_cs] = alpha * s + (bias ? bias[n + j] : 0.0f);
            }
    }
}

/* B [K, N]: rows streamed whole, four at a time, into accumulators y in
 * memory, dst itself when unit-stride (see the AVX-512 file for why). */
INLINE AVX2 void gemv_cols(const int M, ia_dtype t, int64_t K, const float *a, int64_t lda,
                           const ia_gemm_b *b, int64_t n0, int64_t n1, float *c, int64_t ldc,
                           int64_t c_cs, float alpha, const float *bias)
{
    enum { CHUNK = 1024 };
    float stack[IA_GEMV_MAX_M * CHUNK];
    int64_t es = (int64_t)ia_dtype_size(t), rs = b->ks * es;
    int64_t step = c_cs == 1 ? n1 - n0 : CHUNK;
    int64_t ahead = rs > 0 ? 4 * rs * ((32768 + 4 * rs - 1) / (4 * rs)) : 32768;
    for (int64_t j0 = n0; j0 < n1; j0 += step) {
        int64_t w = n1 - j0 < step ? n1 - j0 : step, w8 = w / 8 * 8;
        float *y[IA_GEMV_MAX_M];
        for (int i = 0; i < M; i++)
            y[i] = c_cs == 1 ? c + i * ldc + j0 : stack + i * CHUNK;
        const char *col = (const char *)b->data + j0 * es;
        for (int64_t k = 0; k < K; k += 4) {
            int rows = K - k < 4 ? (int)(K - k) : 4;
            const char *r[4];
            float as[IA_GEMV_MAX_M][4];
            for (int u = 0; u < 4; u++) {
                r[u] = col + (k + (u < rows ? u : 0)) * rs;
                for (int i = 0; i < M; i++)
                    as[i][u] = u < rows ? a[i * lda + k + u] : 0.0f;
            }
            for (int64_t v = 0; v < w8; v += 8) {
                __m256 x[4];
#pragma GCC unroll 4
                for (int u = 0; u < 4; u++) {
                    __builtin_prefetch(r[u] + v * es + ahead, 0, 0);
                    x[u] = u < rows ? load8(r[u] + v * es, t) : _mm256_setzero_ps();
                }
#pragma GCC unroll 4
                for (int i = 0; i < M; i++) {
                    __m256 acc = k == 0 ? _mm256_setzero_ps() : _mm256_loadu_ps(y[i] + v);
#pragma GCC unroll 4
                    for (int u = 0; u < 4; u++)
                        acc = _mm256_fmadd_ps(_mm256_set1_ps(as[i][u]), x[u], acc);
                    _mm256_storeu_ps(y[i] + v, acc);
                }
            }
            for (int64_t v = w8; v < w; v++)
                for (int i = 0; i < M; i++) {
                    float acc = k == 0 ? 0.0f : y[i][v];
                    for (int u = 0; u < rows; u++)
                        acc += as[i][u] * elem(r[u], t, v);
                    y[i][v] = acc;
                }
        }
        for (int i = 0; i < M; i++)
            for (int64_t v = 0; v < w; v++)
                c[i * ldc + (j0 + v) * c_cs] = alpha * y[i][v] + (bias ? bias[j0 + v] : 0.0f);
    }
}

#define GEMV_DTYPES(fn, M)                                                                \
    switch (b->dtype) {                                                                   \
    case IA_DTYPE_F16: fn(M, IA_DTYPE_F16, K, a, lda, b, n0, n1, c, ldc, c_cs, alpha, bias); return; \
    case IA_DTYPE_BF16: fn(M, IA_DTYPE_BF16, K, a, lda, b, n0, n1, c, ldc, c_cs, alpha, bias); return; \
    default: fn(M, IA_DTYPE_F32, K, a, lda, b, n0, n1, c, ldc, c_cs, alpha, bias); return; \
    }
#define GEMV_ROWS(fn)                  \
    switch (m) {                       \
    case 1: GEMV_DTYPES(fn, 1)         \
    case 2: GEMV_DTYPES(fn, 2)         \
    case 3: GEMV_DTYPES(fn, 3)         \
    default: GEMV_DTYPES(fn, 4)        \
    }

AVX2 static void avx2_gemv(int m, int64_t K, const float *a, int64_t lda, const ia_gemm_b *b,
                           int64_t n0, int64_t n1, float *c, int64_t ldc, int64_t c_cs, float alpha,
                           const float *bias)
{
    if (b->ks == 1)
        GEMV_ROWS(gemv_rows)
    if (b->ns == 1)
        GEMV_ROWS(gemv_cols)
    ia_gemm_gemv_generic(m, K, a, lda, b, n0, n1, c, ldc, c_cs, alpha, bias);
}

/* ------------------------------------------------------------- convert */

INLINE AVX2 void convert_t(const void *src, ia_dtype t, float *dst, int64_t n)
{
    int64_t es = (int64_t)ia_dtype_size(t), i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, load8((const char *)src + i * es, t));
    for (; i < n; i++)
        dst[i] = elem(src, t, i);
}

AVX2 static void avx2_convert(const void *src, ia_dtype t, float *dst, int64_t n)
{
    switch (t) {
    case IA_DTYPE_F16: convert_t(src, IA_DTYPE_F16, dst, n); return;
    case IA_DTYPE_BF16: convert_t(src, IA_DTYPE_BF16, dst, n); return;
    default: convert_t(src, IA_DTYPE_F32, dst, n); return;
    }
}

const ia_gemm_kernels ia_gemm_avx2 = {
    .name = "avx2",
    .mr = MR,
    .nr = NR,
    .kc = 256,
    .pack_b = avx2_pack_b,
    .tile = avx2_tile,
    .gemv = avx2_gemv,
    .convert = avx2_convert,
};
