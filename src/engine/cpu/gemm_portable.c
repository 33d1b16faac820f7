/* Portable GEMM kernels: plain C that the compiler vectorises with whatever
 * the baseline ISA gives (SSE2 on x86-64 without -march), plus the generic
 * pieces the ISA kernels fall back on for odd strides.
 *
 * Tile 4 x 16 with KC = 256: the packed panel (16 KiB) fits any L1 of the
 * last decade; the compiler vectorises the 16-wide rows. */
#include <string.h>

#include "engine/cpu/gemm.h"

#define P_MR 4
#define P_NR 16

float ia_gemm_b_get(const ia_gemm_b *b, int64_t k, int64_t n)
{
    int64_t off = k * b->ks + n * b->ns;
    switch (b->dtype) {
    case IA_DTYPE_F16: return ia_f16_to_f32(((const uint16_t *)b->data)[off]);
    case IA_DTYPE_BF16: return ia_bf16_to_f32(((const uint16_t *)b->data)[off]);
    default: return ((const float *)b->data)[off];
    }
}

static inline float bits_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* F16 and BF16 to F32 without branches, so that the loops vectorise with
 * the baseline ISA (ten times the element-wise converters of tensor.c). F16:
 * the exponent and mantissa shifted into place read as a float 2^-112 too
 * small, normal or subnormal alike; a multiply by 2^112 is exact; infinities
 * and NaNs (exponent 31) get the all-ones exponent instead. */
void ia_gemm_convert_generic(const void *src, ia_dtype t, float *dst, int64_t n)
{
    const uint16_t *h = src;
    switch (t) {
    case IA_DTYPE_F16:
        for (int64_t i = 0; i < n; i++) {
            uint32_t em = h[i] & 0x7fffu, sign = (uint32_t)(h[i] & 0x8000u) << 16;
            float mag = bits_f32(em << 13) * 0x1p112f;
            uint32_t m;
            memcpy(&m, &mag, sizeof m);
            m = em >= 0x7c00u ? (em << 13) | 0x7f800000u : m;
            dst[i] = bits_f32(m | sign);
        }
        break;
    case IA_DTYPE_BF16:
        for (int64_t i = 0; i < n; i++)
            dst[i] = bits_f32((uint32_t)h[i] << 16);
        break;
    default: memcpy(dst, src, (size_t)n * sizeof(float)); break;
    }
}

/* n contiguous elements of B's storage from offset off, as floats. */
static void load_row(const ia_gemm_b *b, int64_t off, int64_t n, float *out)
{
    ia_gemm_convert_generic((const char *)b->data + off * (int64_t)ia_dtype_size(b->dtype), b->dtype,
                            out, n);
}

void ia_gemm_pack_b_generic(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                            int nr, float *dst)
{
    for (int64_t j0 = 0; j0 < nc; j0 += nr) {
        int64_t w = nc - j0 < nr ? nc - j0 : nr;
        float *panel = dst + j0 * kc;
        if (b->ns == 1) {
            /* Rows of the panel are contiguous in B. */
            for (int64_t k = 0; k < kc; k++) {
                load_row(b, (k0 + k) * b->ks + n0 + j0, w, panel + k * nr);
                for (int64_t j = w; j < nr; j++)
                    panel[k * nr + j] = 0.0f;
            }
        } else if (b->ks == 1) {
            /* A Linear weight: each column of the panel is a row of B.
             * Converted in chunks, then scattered with stride nr. */
            float tmp[256];
            for (int64_t j = 0; j < nr; j++) {
                if (j >= w) {
                    for (int64_t k = 0; k < kc; k++)
                        panel[k * nr + j] = 0.0f;
                    continue;
                }
                for (int64_t k = 0; k < kc; k += 256) {
                    int64_t len = kc - k < 256 ? kc - k : 256;
                    load_row(b, (n0 + j0 + j) * b->ns + k0 + k, len, tmp);
                    for (int64_t t = 0; t < len; t++)
                        panel[(k + t) * nr + j] = tmp[t];
                }
            }
        } else {
            for (int64_t k = 0; k < kc; k++)
                for (int64_t j = 0; j < nr; j++)
                    panel[k * nr + j] = j < w ? ia_gemm_b_get(b, k0 + k, n0 + j0 + j) : 0.0f;
        }
    }
}

void ia_gemm_store_tile(const float *acc, int64_t ld, float *c, int64_t ldc, int64_t c_cs, int mr,
                        int nr, const ia_gemm_epilogue *ep)
{
    for (int i = 0; i < mr; i++) {
        float *row = c + i * ldc;
        for (int j = 0; j < nr; j++) {
            float v = ep->alpha * acc[i * ld + j];
            if (ep->accumulate)
                v += row[j * c_cs];
            else if (ep->bias)
                v += ep->bias[j];
            row[j * c_cs] = v;
        }
    }
}

/* One row of A against B(., n0 .. n1). */
static void gemv_row(int64_t K, const float *a, const ia_gemm_b *b, int64_t n0, int64_t n1,
                     float *c, int64_t c_cs, float alpha, const float *bias)
{
    float tmp[256];
    if (b->ks == 1) {
        /* Each output is the dot product of a with one row of B. */
        for (int64_t n = n0; n < n1; n++) {
            float s[8] = {0};
            for (int64_t k = 0; k < K; k += 256) {
                int64_t len = K - k < 256 ? K - k : 256;
                load_row(b, n * b->ns + k, len, tmp);
                int64_t t = 0;
                for (; t + 8 <= len; t += 8)
                    for (int u = 0; u < 8; u++)
                        s[u] += a[k + t + u] * tmp[t + u];
                for (; t < len; t++)
                    s[0] += a[k + t] * tmp[t];
            }
            float sum = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
            c[n * c_cs] = alpha * sum + (bias ? bias[n] : 0.0f);
        }
        return;
    }
    /* Rows of B contiguous in n (ns == 1) or any strides: accumulate a chunk
     * of outputs over every k, reading B row by row. */
    float acc[256];
    for (int64_t j0 = n0; j0 < n1; j0 += 256) {
        int64_t w = n1 - j0 < 256 ? n1 - j0 : 256;
        memset(acc, 0, sizeof acc);
        for (int64_t k = 0; k < K; k++) {
            if (b->ns == 1)
                load_row(b, k * b->ks + j0, w, tmp);
            else
                for (int64_t j = 0; j < w; j++)
                    tmp[j] = ia_gemm_b_get(b, k, j0 + j);
            float ak = a[k];
            for (int64_t j = 0; j < w; j++)
                acc[j] += ak * tmp[j];
        }
        for (int64_t j = 0; j < w; j++)
            c[(j0 + j) * c_cs] = alpha * acc[j] + (bias ? bias[j0 + j] : 0.0f);
    }
}

/* Row by row: the portable path reads B m times, which only the odd
 * strides that reach it from the ISA kernels can afford. */
void ia_gemm_gemv_generic(int m, int64_t K, const float *a, int64_t lda, const ia_gemm_b *b,
                          int64_t n0, int64_t n1, float *c, int64_t ldc, int64_t c_cs, float alpha,
                          const float *bias)
{
    for (int i = 0; i < m; i++)
        gemv_row(K, a + i * lda, b, n0, n1, c + i * ldc, c_cs, alpha, bias);
}

static void portable_pack_b(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                            float *dst)
{
    ia_gemm_pack_b_generic(b, k0, kc, n0, nc, P_NR, dst);
}

static void portable_tile(int64_t kc, const float *a, int64_t lda, const float *bp, float *c,
                          int64_t ldc, int64_t c_cs, int mr, int nr, const ia_gemm_epilogue *ep)
{
    float acc[P_MR][P_NR];
    memset(acc, 0, sizeof acc);
    /* Rows past mr read row 0 again (harmless, never stored): the loop
     * keeps a fixed shape the compiler can vectorise. */
    const float *rows[P_MR];
    for (int i = 0; i < P_MR; i++)
        rows[i] = a + (i < mr ? i : 0) * lda;
    for (int64_t k = 0; k < kc; k++) {
        const float *bk = bp + k * P_NR;
        for (int i = 0; i < P_MR; i++) {
            float ai = rows[i][k];
            for (int j = 0; j < P_NR; j++)
                acc[i][j] += ai * bk[j];
        }
    }
    ia_gemm_store_tile(&acc[0][0], P_NR, c, ldc, c_cs, mr, nr, ep);
}

const ia_gemm_kernels ia_gemm_portable = {
    .name = "portable",
    .mr = P_MR,
    .nr = P_NR,
    .kc = 256,
    .pack_b = portable_pack_b,
    .tile = portable_tile,
    .gemv = ia_gemm_gemv_generic,
    .convert = ia_gemm_convert_generic,
};
