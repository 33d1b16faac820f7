/* AVX-512 GEMM kernels (F, BW, VL, DQ with FMA), enabled per function with
 * target attributes: the project builds without -march, and the CPU backend
 * calls these only when hw reports the ISA.
 *
 * Micro-kernel 8 x 32 (MR_MAX x NR): two zmm of B (32 columns) per k, one
 * broadcast of A per row, sixteen accumulators: twice the chains that cover
 * Zen 5's 4-cycle FMA latency on its two 512-bit pipes. 12 x 32 and 14 x 32
 * were tried (one thread, 128 x 768 x {768, 3072}, 3072 x 768): no faster,
 * and 8 divides the usual sequence lengths, so no row tail. A is read in
 * place: each row is a unit-stride stream whose broadcasts hit L1 after the
 * first touch of a line. C's lines are prefetched before the k loop.
 *
 * Blocking (Zen 5: 48 KiB L1d, 1 MiB L2 per core): KC = 256 keeps one packed
 * B panel (KC x 32 floats = 32 KiB) in L1 while the rows of A's block (at
 * most 256 x KC, 256 KiB) stream past it from L2 (matmul.c packs each panel
 * just before its sweep). KC from 128 to 512 measured within 3%.
 *
 * B is packed transposed for a Linear weight by 16 x 16 register transposes,
 * F16/BF16 converted on the way. The decode GEMV reads the weight in place,
 * converts in registers and prefetches the stream ahead. */
#include <immintrin.h>
#include <string.h>

#include "engine/cpu/gemm.h"

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

#define NR 32
/* How far ahead the GEMV prefetches a streamed weight, in bytes: measured
 * on weights from DRAM (one thread, F16, 1 x 768 x 2304): 20 GB/s without,
 * 23 at 2 KiB, 25 at 4 KiB, 33 at 8 KiB (F32's rate), less beyond. */
#define GEMV_PREFETCH 8192
/* The same for a [K, N] weight, whose rows are read four at a time: whole
 * groups of four rows, at least this far ahead (one thread from DRAM, F16
 * 1 x 3072 x 768: 17.5 GB/s without, 20 at 8 KiB, 24 at 16, 28 at 32, 27 at
 * 64). */
#define GEMV_PREFETCH_COLS 32768
#ifndef MR_MAX
#define MR_MAX 8
#endif

/* --------------------------------------------------------------- loads */

/* 16 elements of B storage from p (element offset already applied) as F32;
 * mask selects which lanes are read (the others are zero and not touched). */
INLINE AVX512 __m512 load16(const void *p, ia_dtype t, __mmask16 m)
{
    switch (t) {
    case IA_DTYPE_F16:
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
    case IA_DTYPE_BF16:
        return _mm512_castsi512_ps(
            _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, p)), 16));
    default:
        return _mm512_maskz_loadu_ps(m, p);
    }
}

INLINE AVX512 __m512 load16_full(const void *p, ia_dtype t)
{
    switch (t) {
    case IA_DTYPE_F16:
        return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
    case IA_DTYPE_BF16:
        return _mm512_castsi512_ps(
            _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p)), 16));
    default:
        return _mm512_loadu_ps(p);
    }
}

static __mmask16 mask_n(int64_t n) { return n >= 16 ? 0xFFFF : n <= 0 ? 0 : (__mmask16)((1u << n) - 1); }

/* ------------------------------------------------------------- packing */

/* o[t] = column t of the 16 x 16 block whose rows are r[0..15]. */
INLINE AVX512 void transpose16(__m512 r[16])
{
    __m512 t[16], u[16];
    for (int j = 0; j < 8; j++) {
        t[2 * j] = _mm512_unpacklo_ps(r[2 * j], r[2 * j + 1]);
        t[2 * j + 1] = _mm512_unpackhi_ps(r[2 * j], r[2 * j + 1]);
    }
    for (int q = 0; q < 4; q++) {
        u[4 * q + 0] = _mm512_shuffle_ps(t[4 * q + 0], t[4 * q + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * q + 1] = _mm512_shuffle_ps(t[4 * q + 0], t[4 * q + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[4 * q + 2] = _mm512_shuffle_ps(t[4 * q + 1], t[4 * q + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * q + 3] = _mm512_shuffle_ps(t[4 * q + 1], t[4 * q + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    /* u[4q + c] holds, in 128-bit lane L, rows 4q..4q+3 of column 4L + c:
     * a 4 x 4 transpose of lanes finishes each column. */
    for (int c = 0; c < 4; c++) {
        __m512 x0 = _mm512_shuffle_f32x4(u[c], u[4 + c], _MM_SHUFFLE(1, 0, 1, 0));
        __m512 x1 = _mm512_shuffle_f32x4(u[c], u[4 + c], _MM_SHUFFLE(3, 2, 3, 2));
        __m512 x2 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], _MM_SHUFFLE(1, 0, 1, 0));
        __m512 x3 = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], _MM_SHUFFLE(3, 2, 3, 2));
        r[c] = _mm512_shuffle_f32x4(x0, x2, _MM_SHUFFLE(2, 0, 2, 0));
        r[4 + c] = _mm512_shuffle_f32x4(x0, x2, _MM_SHUFFLE(3, 1, 3, 1));
        r[8 + c] = _mm512_shuffle_f32x4(x1, x3, _MM_SHUFFLE(2, 0, 2, 0));
        r[12 + c] = _mm512_shuffle_f32x4(x1, x3, _MM_SHUFFLE(3, 1, 3, 1));
    }
}

/* A Linear weight (ks == 1): panel column j is row n0 + j of B. Sixteen
 * rows at a time are read 16 k wide and transposed in registers. */
INLINE AVX512 void pack_rows(const ia_gemm_b *b, ia_dtype t, int64_t k0, int64_t kc, int64_t n0,
                             int64_t nc, float *dst)
{
    size_t es = ia_dtype_size(t);
    for (int64_t j0 = 0; j0 < nc; j0 += NR) {
        float *panel = dst + j0 * kc;
        for (int h = 0; h < NR; h += 16) {
            int64_t rows = nc - j0 - h; /* rows of B present in this half */
            const char *base = (const char *)b->data + ((n0 + j0 + h) * b->ns + k0) * (int64_t)es;
            for (int64_t k = 0; k < kc; k += 16) {
                __m512 r[16];
                int64_t cnt = kc - k < 16 ? kc - k : 16;
                __mmask16 m = mask_n(cnt);
                for (int i = 0; i < 16; i++) {
                    const char *p = base + (i * b->ns + k) * (int64_t)es;
                    if (i >= rows)
                        r[i] = _mm512_setzero_ps();
                    else if (cnt == 16)
                        r[i] = load16_full(p, t);
                    else
                        r[i] = load16(p, t, m);
                }
                transpose16(r);
                for (int64_t i = 0; i < cnt; i++)
                    _mm512_store_ps(panel + (k + i) * NR + h, r[i]);
            }
        }
    }
}

/* A [K, N] matrix (ns == 1): panel rows are runs of B's rows. */
INLINE AVX512 void pack_cols(const ia_gemm_b *b, ia_dtype t, int64_t k0, int64_t kc, int64_t n0,
                             int64_t nc, float *dst)
{
    size_t es = ia_dtype_size(t);
    for (int64_t j0 = 0; j0 < nc; j0 += NR) {
        float *panel = dst + j0 * kc;
        __mmask16 m0 = mask_n(nc - j0), m1 = mask_n(nc - j0 - 16);
        const char *base = (const char *)b->data + (k0 * b->ks + n0 + j0) * (int64_t)es;
        for (int64_t k = 0; k < kc; k++) {
            const char *p = base + k * b->ks * (int64_t)es;
            _mm512_store_ps(panel + k * NR, load16(p, t, m0));
            _mm512_store_ps(panel + k * NR + 16, load16(p + 16 * es, t, m1));
        }
    }
}

AVX512 static void avx512_pack_b(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
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

/* MR is a constant at every call, so the row loops unroll and the
 * accumulators live in registers. */
INLINE AVX512 void tile_mr(const int MR, int64_t kc, const float *a, int64_t lda, const float *bp,
                           float *c, int64_t ldc, int64_t c_cs, int nr, const ia_gemm_epilogue *ep)
{
    /* C's lines are fetched while the k loop runs: a C too large for L3
     * (2048 x 3072) otherwise stalls the stores of every tile on DRAM. */
    if (c_cs == 1)
#pragma GCC unroll 16
        for (int i = 0; i < MR; i++) {
            __builtin_prefetch(c + i * ldc, 1, 3);
            __builtin_prefetch(c + i * ldc + NR - 1, 1, 3);
        }
    __m512 acc[MR_MAX][2];
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm512_setzero_ps();
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; k++) {
        __m512 b0 = _mm512_load_ps(bp + k * NR), b1 = _mm512_load_ps(bp + k * NR + 16);
#pragma GCC unroll 16
        for (int i = 0; i < MR; i++) {
            __m512 ai = _mm512_set1_ps(a[i * lda + k]);
            acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
    __m512 alpha = _mm512_set1_ps(ep->alpha);
    if (c_cs == 1) {
        __mmask16 m0 = mask_n(nr), m1 = mask_n(nr - 16);
        __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
        if (!ep->accumulate && ep->bias) {
            bias0 = _mm512_maskz_loadu_ps(m0, ep->bias);
            bias1 = _mm512_maskz_loadu_ps(m1, ep->bias + 16);
        }
#pragma GCC unroll 16
        for (int i = 0; i < MR; i++) {
            float *ci = c + i * ldc;
            __m512 add0 = bias0, add1 = bias1;
            if (ep->accumulate) {
                add0 = _mm512_maskz_loadu_ps(m0, ci);
                add1 = _mm512_maskz_loadu_ps(m1, ci + 16);
            }
            _mm512_mask_storeu_ps(ci, m0, _mm512_fmadd_ps(acc[i][0], alpha, add0));
            _mm512_mask_storeu_ps(ci + 16, m1, _mm512_fmadd_ps(acc[i][1], alpha, add1));
        }
        return;
    }
    /* A strided destination: through memory, element by element. */
    float tmp[MR_MAX * NR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
        _mm512_storeu_ps(tmp + i * NR, acc[i][0]);
        _mm512_storeu_ps(tmp + i * NR + 16, acc[i][1]);
    }
    ia_gemm_store_tile(tmp, NR, c, ldc, c_cs, MR, nr, ep);
}

#define TILE_CASE(n) \
    case n: tile_mr(n, kc, a, lda, bp, c, ldc, c_cs, nr, ep); return;

AVX512 static void avx512_tile(int64_t kc, const float *a, int64_t lda, const float *bp, float *c,
                               int64_t ldc, int64_t c_cs, int mr, int nr, const ia_gemm_epilogue *ep)
{
    switch (mr) {
        TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6) TILE_CASE(7)
#if MR_MAX >= 8
        TILE_CASE(8)
#endif
#if MR_MAX >= 10
        TILE_CASE(9) TILE_CASE(10)
#endif
#if MR_MAX >= 12
        TILE_CASE(11) TILE_CASE(12)
#endif
#if MR_MAX >= 14
        TILE_CASE(13) TILE_CASE(14)
#endif
    default: return;
    }
}

/* ---------------------------------------------------------------- GEMV */

/* Dot products with rows of a Linear weight: four weight rows at a time
 * against the M rows of A, so each weight element is loaded and converted
 * once for M FMAs. At M = 1 the k loop is unrolled twice for eight FMA
 * chains: four would cap an L2-resident F16 weight at one FMA per cycle. */
INLINE AVX512 void gemv_rows(const int M, ia_dtype t, int64_t K, const float *a, int64_t lda,
                             const ia_gemm_b *b, int64_t n0, int64_t n1, float *c, int64_t ldc,
                             int64_t c_cs, float alpha, const float *bias)
{
    const int U = M == 1 ? 2 : 1;
    int64_t es = (int64_t)ia_dtype_size(t), rs = b->ns * es;
    const char *base = b->data;
    for (int64_t n = n0; n < n1; n += 4) {
        int rows = n1 - n < 4 ? (int)(n1 - n) : 4;
        /* Past the last row, row 0 is read again and its sums dropped. */
        const char *r[4];
        for (int j = 0; j < 4; j++)
            r[j] = base + (n + (j < rows ? j : 0)) * rs;
        __m512 acc[4][IA_GEMV_MAX_M * 2];
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
#pragma GCC unroll 8
            for (int i = 0; i < M * U; i++)
                acc[j][i] = _mm512_setzero_ps();
        int64_t k = 0;
        for (; k + 16 * U <= K; k += 16 * U) {
#pragma GCC unroll 2
            for (int u = 0; u < U; u++) {
                __m512 av[IA_GEMV_MAX_M];
#pragma GCC unroll 4
                for (int i = 0; i < M; i++)
                    av[i] = _mm512_loadu_ps(a + i * lda + k + 16 * u);
#pragma GCC unroll 4
                for (int j = 0; j < 4; j++) {
                    __builtin_prefetch(r[j] + (k + 16 * u) * es + GEMV_PREFETCH, 0, 0);
                    __m512 w = load16_full(r[j] + (k + 16 * u) * es, t);
#pragma GCC unroll 4
                    for (int i = 0; i < M; i++)
                        acc[j][i * U + u] = _mm512_fmadd_ps(av[i], w, acc[j][i * U + u]);
                }
            }
        }
        for (; k < K; k += 16) {
            __mmask16 m = mask_n(K - k);
            __m512 av[IA_GEMV_MAX_M];
#pragma GCC unroll 4
            for (int i = 0; i < M; i++)
                av[i] = _mm512_maskz_loadu_ps(m, a + i * lda + k);
#pragma GCC unroll 4
            for (int j = 0; j < 4; j++) {
                __m512 w = load16(r[j] + k * es, t, m);
#pragma GCC unroll 4
                for (int i = 0; i < M; i++)
                    acc[j][i * U] = _mm512_fmadd_ps(av[i], w, acc[j][i * U]);
            }
        }
        for (int j = 0; j < rows; j++)
            for (int i = 0; i < M; i++) {
                __m512 sum = U == 2 ? _mm512_add_ps(acc[j][2 * i], acc[j][2 * i + 1]) : acc[j][i];
                c[i * ldc + (n + j) * c_cs] =
                    alpha * _mm512_reduce_add_ps(sum) + (bias ? bias[n + j] : 0.0f);
            }
    }
}

/* B [K, N] (ns == 1): rows of B are streamed whole, four at a time, into
 * accumulators y kept in memory (L1 for a few thousand columns): the weight
 * is read as one contiguous block, which the prefetchers follow at DRAM
 * speed, where column chunks read short runs far apart (13 GB/s against 45
 * for 1 x 768 x 2304 from DRAM). y is dst itself when unit-stride, else a
 * chunk on the stack. */
INLINE AVX512 void gemv_cols(const int M, ia_dtype t, int64_t K, const float *a, int64_t lda,
                             const ia_gemm_b *b, int64_t n0, int64_t n1, float *c, int64_t ldc,
                             int64_t c_cs, float alpha, const float *bias)
{
    enum { CHUNK = 1024 };
    float stack[IA_GEMV_MAX_M * CHUNK];
    int64_t es = (int64_t)ia_dtype_size(t), rs = b->ks * es;
    int64_t step = c_cs == 1 ? n1 - n0 : CHUNK;
    for (int64_t j0 = n0; j0 < n1; j0 += step) {
        int64_t w = n1 - j0 < step ? n1 - j0 : step;
        float *y[IA_GEMV_MAX_M];
        for (int i = 0; i < M; i++)
            y[i] = c_cs == 1 ? c + i * ldc + j0 : stack + i * CHUNK;
        const char *col = (const char *)b->data + j0 * es;
        int64_t ahead = rs > 0 ? 4 * rs * ((GEMV_PREFETCH_COLS + 4 * rs - 1) / (4 * rs))
                               : GEMV_PREFETCH_COLS;
        for (int64_t k = 0; k < K; k += 4) {
            int rows = K - k < 4 ? (int)(K - k) : 4;
            const char *r[4];
            __m512 ak[IA_GEMV_MAX_M][4];
            for (int u = 0; u < 4; u++) {
                /* Rows past K read as zeros (never loaded). */
                r[u] = col + (k + (u < rows ? u : 0)) * rs;
#pragma GCC unroll 4
                for (int i = 0; i < M; i++)
                    ak[i][u] = _mm512_set1_ps(u < rows ? a[i * lda + k + u] : 0.0f);
            }
            for (int64_t v = 0; v < w; v += 16) {
                __mmask16 m = mask_n(w - v);
                __m512 x[4];
#pragma GCC unroll 4
                for (int u = 0; u < 4; u++) {
                    __builtin_prefetch(r[u] + v * es + ahead, 0, 0);
                    x[u] = u >= rows     ? _mm512_setzero_ps()
                         : m == 0xFFFF ? load16_full(r[u] + v * es, t)
                                       : load16(r[u] + v * es, t, m);
                }
#pragma GCC unroll 4
                for (int i = 0; i < M; i++) {
                    __m512 acc = k == 0 ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(m, y[i] + v);
#pragma GCC unroll 4
                    for (int u = 0; u < 4; u++)
                        acc = _mm512_fmadd_ps(ak[i][u], x[u], acc);
                    _mm512_mask_storeu_ps(y[i] + v, m, acc);
                }
            }
        }
        /* y = alpha * y + bias, into dst. */
        __m512 va = _mm512_set1_ps(alpha);
        for (int i = 0; i < M; i++)
            for (int64_t v = 0; v < w; v += 16) {
                __mmask16 m = mask_n(w - v);
                __m512 add = bias ? _mm512_maskz_loadu_ps(m, bias + j0 + v) : _mm512_setzero_ps();
                __m512 out = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, y[i] + v), va, add);
                if (c_cs == 1) {
                    _mm512_mask_storeu_ps(y[i] + v, m, out);
                } else {
                    float tmp[16];
                    _mm512_storeu_ps(tmp, out);
                    for (int64_t j = 0; j < 16 && v + j < w; j++)
                        c[i * ldc + (j0 + v + j) * c_cs] = tmp[j];
                }
            }
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

AVX512 static void avx512_gemv(int m, int64_t K, const float *a, int64_t lda, const ia_gemm_b *b,
                               int64_t n0, int64_t n1, float *c, int64_t ldc, int64_t c_cs,
                               float alpha, const float *bias)
{
    if (b->ks == 1)
        GEMV_ROWS(gemv_rows)
    if (b->ns == 1)
        GEMV_ROWS(gemv_cols)
    ia_gemm_gemv_generic(m, K, a, lda, b, n0, n1, c, ldc, c_cs, alpha, bias);
}

/* ------------------------------------------------------------- convert */

INLINE AVX512 void convert_t(const void *src, ia_dtype t, float *dst, int64_t n)
{
    int64_t es = (int64_t)ia_dtype_size(t), i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dst + i, load16_full((const char *)src + i * es, t));
    if (i < n)
        _mm512_mask_storeu_ps(dst + i, mask_n(n - i), load16((const char *)src + i * es, t, mask_n(n - i)));
}

AVX512 static void avx512_convert(const void *src, ia_dtype t, float *dst, int64_t n)
{
    switch (t) {
    case IA_DTYPE_F16: convert_t(src, IA_DTYPE_F16, dst, n); return;
    case IA_DTYPE_BF16: convert_t(src, IA_DTYPE_BF16, dst, n); return;
    default: convert_t(src, IA_DTYPE_F32, dst, n); return;
    }
}

const ia_gemm_kernels ia_gemm_avx512 = {
    .name = "avx512",
    .mr = MR_MAX,
    .nr = NR,
    .kc = 256,
    .pack_b = avx512_pack_b,
    .tile = avx512_tile,
    .gemv = avx512_gemv,
    .convert = avx512_convert,
};
