/* The GEMM kernels behind IA_OP_MATMUL on the CPU, one table per ISA.
 *
 * The driver (matmul.c) blocks the problem after BLIS: for each block of
 * rows of B (kc) it packs B a panel of nr columns at a time (converting
 * F16/BF16 to F32 and transposing a Linear weight on the way), then sweeps
 * the rows of A past it in micro-tiles of mr x nr that stay in registers.
 * A is read in place when its rows are unit-stride in k (activations are),
 * else copied into a row-major block first. Each table gives the tile sizes,
 * the packer, the micro-kernel, the GEMV for decode and small batches, and a
 * converter; the driver owns threads, scratch and the choice of path.
 *
 * Private to src/engine/cpu: the matmul files and their tests. */
#ifndef IA_CPU_GEMM_H
#define IA_CPU_GEMM_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine_internal.h"

/* The B operand as the kernels see it: element (k, n) lies at
 * data + (k * ks + n * ns) elements of dtype (F32, F16 or BF16). A Linear
 * weight [N, K] has ks = 1; a [K, N] matrix has ns = 1. */
typedef struct ia_gemm_b {
    const void *data;
    ia_dtype dtype;
    int64_t ks, ns;
} ia_gemm_b;

/* What a micro-kernel does with its finished tile:
 *   c = alpha * acc + c          when accumulate (a later block of k);
 *   c = alpha * acc + bias[n]    otherwise, bias being NULL for none.
 * bias points at the tile's first column. */
typedef struct ia_gemm_epilogue {
    float alpha;
    const float *bias;
    bool accumulate;
} ia_gemm_epilogue;

typedef struct ia_gemm_kernels {
    const char *name;
    int mr, nr;     /* register tile: rows of A, columns of B */
    int kc;         /* k block (see the ISA's file for why this size) */
    /* Packs B(k0 .. k0+kc, n0 .. n0+nc) as ceil(nc / nr) panels, each kc rows
     * of nr floats, the last panel's missing columns zero. */
    void (*pack_b)(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t nc, float *dst);
    /* The tile c[mr x nr] (mr <= the table's mr, nr <= its nr) from the
     * mr rows of a (unit stride in k, rows lda apart) and one packed panel.
     * c's rows are ldc apart and its columns c_cs apart (any value). */
    void (*tile)(int64_t kc, const float *a, int64_t lda, const float *bp, float *c, int64_t ldc,
                 int64_t c_cs, int mr, int nr, const ia_gemm_epilogue *ep);
    /* Decode and small batches, m <= IA_GEMV_MAX_M rows:
     *   c[i * ldc + n * c_cs] = alpha * sum_k a[i * lda + k] B(k, n) + bias[n]
     * for i < m and n in [n0, n1), streaming B once for all m rows and
     * converting F16/BF16 in registers. bias (NULL for none) is indexed by n. */
    void (*gemv)(int m, int64_t K, const float *a, int64_t lda, const ia_gemm_b *b, int64_t n0,
                 int64_t n1, float *c, int64_t ldc, int64_t c_cs, float alpha, const float *bias);
    /* n contiguous elements of a float dtype (F32, F16, BF16) as F32: the
     * BLAS path's weight conversion. */
    void (*convert)(const void *src, ia_dtype t, float *dst, int64_t n);
} ia_gemm_kernels;

/* Up to this many rows of A go through the GEMV rather than the packed GEMM:
 * packing (transposing) B costs as much as reading it, which a few rows of
 * arithmetic do not repay. */
#define IA_GEMV_MAX_M 4

extern const ia_gemm_kernels ia_gemm_portable;
extern const ia_gemm_kernels ia_gemm_avx2;
extern const ia_gemm_kernels ia_gemm_avx512;

/* The portable pieces the ISA kernels fall back on for odd strides. */
void ia_gemm_pack_b_generic(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                            int nr, float *dst);
void ia_gemm_gemv_generic(int m, int64_t K, const float *a, int64_t lda, const ia_gemm_b *b,
                          int64_t n0, int64_t n1, float *c, int64_t ldc, int64_t c_cs, float alpha,
                          const float *bias);
/* Stores an mr x nr tile held as acc[i * ld + j] through the epilogue. */
void ia_gemm_store_tile(const float *acc, int64_t ld, float *c, int64_t ldc, int64_t c_cs, int mr,
                        int nr, const ia_gemm_epilogue *ep);
void ia_gemm_convert_generic(const void *src, ia_dtype t, float *dst, int64_t n);
/* Element (k, n) of B as float. */
float ia_gemm_b_get(const ia_gemm_b *b, int64_t k, int64_t n);

#endif
