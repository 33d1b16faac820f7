/* IA_OP_MATMUL on the CPU: plans the product, picks a path and runs it on
 * the thread pool.
 *
 * Paths:
 *   OWN, M <= IA_GEMV_MAX_M (decode, small batches): the ISA's GEMV streams
 *     the weight once for all rows, converting F16/BF16 in registers;
 *     threads split N.
 *   OWN, larger M: the blocked GEMM of gemm.h; threads take tiles of C.
 *   BLAS: cblas_sgemm per batch on the calling thread (OpenBLAS has its own
 *     threads); F16/BF16 weights are converted into scratch first, odd
 *     strides are copied, the bias is written into C before a beta = 1 call.
 *
 * Batches: a weight shared by every batch (stride 0) with A and C whose
 * batches follow one another row after row is folded into one tall product
 * (a [B, S, K] activation times a Linear weight is one [B*S, K] x [K, N]),
 * which turns a batch of decode steps into a GEMM. Other batches are tasks of
 * their own.
 *
 * Scratch (ia_cpu_scratch) is sized and claimed on the calling thread before
 * the parallel loop, so a failed allocation is an error, not a crash, and a
 * second call of the same shape allocates nothing. Thread 0's buffer also
 * holds what all threads share (the bias as F32). A matmul issued from inside
 * another parallel job runs serially on thread 0's scratch: that job must not
 * be using it. */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cpu/gemm.h"

/* --------------------------------------------------------------- the plan */

typedef struct mm_plan {
    ia_cpu_ctx *cpu;
    const ia_gemm_kernels *kr;
    int64_t M, N, K;
    int nbd;             /* batch dimensions of dst, innermost first */
    int64_t bsz[2];
    int64_t nbatch;
    const float *a;
    int64_t a_rs, a_cs, a_bs[2];
    ia_gemm_b b;
    int64_t b_bs[2];     /* 0 where src1 is broadcast */
    float *c;
    int64_t c_rs, c_cs, c_bs[2];
    const float *bias;   /* F32, unit stride, or NULL */
    float alpha;
    /* The task grid: batch x M blocks x N blocks. */
    int64_t kc, mb, nb, mt, nt;
    size_t shared_floats;  /* at the front of thread 0's scratch: the bias, */
    size_t bias_floats;    /* then the GEMV's partial sums */
    size_t thread_floats;  /* each thread's own */
    int64_t kb, kt;        /* GEMV split over k: rows per part, parts (0: none) */
    /* BLAS: how each operand is passed, and whether it is used in place. */
    bool ta, tb, a_ok, b_ok, c_ok;
    int64_t lda, ldb, ldc;
} mm_plan;

/* Stride of operand t along dst's batch dimension d (0 = innermost), 0 when
 * t lacks it or broadcasts it. */
static int64_t batch_stride(const ia_tensor *t, int d)
{
    int dim = t->ndim - 3 - d;
    return dim >= 0 && t->shape[dim] != 1 ? t->stride[dim] : 0;
}

static void batch_offsets(const mm_plan *p, int64_t bi, int64_t *ao, int64_t *bo, int64_t *co)
{
    *ao = *bo = *co = 0;
    for (int d = 0; d < p->nbd; d++) {
        int64_t i = bi % p->bsz[d];
        bi /= p->bsz[d];
        *ao += i * p->a_bs[d];
        *bo += i * p->b_bs[d];
        *co += i * p->c_bs[d];
    }
}

/* Whether the batches of an operand continue its rows: batch after batch,
 * each M rows rs apart. *rs_out is the row stride of the folded operand. */
static bool rows_fold(int64_t M, int64_t rs, const int64_t *bs, const int64_t *bsz, int nbd,
                      int64_t *rs_out)
{
    int64_t rows = M;
    bool first = true;
    for (int d = 0; d < nbd; d++) {
        if (bsz[d] == 1)
            continue;
        if (first && M == 1)
            rs = bs[d]; /* one row: its stride is free to choose */
        first = false;
        if (bs[d] != rows * rs)
            return false;
        rows *= bsz[d];
    }
    *rs_out = rs;
    return true;
}

static void plan_make(ia_cpu_ctx *cpu, const ia_op *op, mm_plan *p)
{
    const ia_tensor *a = op->src[0], *b = op->src[1], *dst = op->dst;
    bool bt = op->p.matmul.b_transposed;
    memset(p, 0, sizeof *p);
    p->cpu = cpu;
    p->kr = cpu->isa == IA_CPU_ISA_AVX512 ? &ia_gemm_avx512
          : cpu->isa == IA_CPU_ISA_AVX2   ? &ia_gemm_avx2
                                          : &ia_gemm_portable;
    p->M = a->shape[a->ndim - 2];
    p->K = a->shape[a->ndim - 1];
    p->N = dst->shape[dst->ndim - 1];
    p->a = a->data;
    p->a_rs = a->stride[a->ndim - 2];
    p->a_cs = a->stride[a->ndim - 1];
    p->b.data = b->data;
    p->b.dtype = b->dtype;
    p->b.ks = bt ? b->stride[b->ndim - 1] : b->stride[b->ndim - 2];
    p->b.ns = bt ? b->stride[b->ndim - 2] : b->stride[b->ndim - 1];
    p->c = dst->data;
    p->c_rs = dst->stride[dst->ndim - 2];
    p->c_cs = dst->stride[dst->ndim - 1];
    p->alpha = op->p.matmul.alpha != 0.0f ? op->p.matmul.alpha : 1.0f;
    p->nbd = dst->ndim - 2;
    p->nbatch = 1;
    bool b_shared = true;
    for (int d = 0; d < 2; d++) {
        p->bsz[d] = 1;
        if (d >= p->nbd)
            continue;
        p->bsz[d] = dst->shape[dst->ndim - 3 - d];
        p->a_bs[d] = batch_stride(a, d);
        p->b_bs[d] = batch_stride(b, d);
        p->c_bs[d] = batch_stride(dst, d);
        p->nbatch *= p->bsz[d];
        if (p->bsz[d] > 1 && p->b_bs[d] != 0)
            b_shared = false;
    }
    int64_t ars, crs;
    if (p->nbatch > 1 && b_shared && rows_fold(p->M, p->a_rs, p->a_bs, p->bsz, p->nbd, &ars) &&
        rows_fold(p->M, p->c_rs, p->c_bs, p->bsz, p->nbd, &crs)) {
        p->M *= p->nbatch;
        p->a_rs = ars;
        p->c_rs = crs;
        p->nbatch = 1;
        p->nbd = 0;
        p->bsz[0] = p->bsz[1] = 1;
    }
}

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

/* ------------------------------------------------------------ own: GEMM */

/* Rows of the task grid: M blocks up to this many rows. Each M block packs
 * its own copy of B, which costs about 8 / rows of the compute (a 16 x 16
 * transpose per 256 elements against 2 * rows flops per element), so blocks
 * stay tall; the N split feeds the threads. */
#define MM_MAX_MB 256
/* Columns of C per chunk of a task: 256 x 256 floats of C and 256 x KC of
 * A (256 KiB each) share a 1 MiB L2 from one block of k to the next. */
#define MM_NC 256

static void gemm_grid(mm_plan *p, int threads)
{
    const ia_gemm_kernels *kr = p->kr;
    int64_t nkb = ceil_div(p->K, kr->kc);
    p->kc = round_up(ceil_div(p->K, nkb), 4);
    p->mt = ceil_div(p->M, MM_MAX_MB);
    int64_t panels = ceil_div(p->N, kr->nr);
    /* Two tasks per thread let a fast thread take up a slow one's slack
     * without making tasks so narrow that B panels are not reused. */
    int64_t want = 2 * (int64_t)threads;
    int64_t per = p->nbatch * p->mt;
    p->nt = per >= want ? 1 : ceil_div(want, per);
    if (p->nt > panels)
        p->nt = panels;
    p->nb = ceil_div(panels, p->nt) * kr->nr;
    p->nt = ceil_div(p->N, p->nb);
    /* Too few tasks still (short, narrow products): split M further. */
    int64_t mblocks = ceil_div(p->M, kr->mr);
    if (p->nbatch * p->mt * p->nt < threads && p->mt < mblocks) {
        p->mt = ceil_div(threads, p->nbatch * p->nt);
        if (p->mt > mblocks)
            p->mt = mblocks;
    }
    p->mb = round_up(ceil_div(p->M, p->mt), kr->mr);
    p->mt = ceil_div(p->M, p->mb);
    p->thread_floats = (size_t)(p->kc * kr->nr);
    if (p->a_cs != 1)
        p->thread_floats += (size_t)(p->mb * (p->kc + 16));
}

/* Prefetches part `part` of `parts` of the storage of B(k0 .. k0+kc,
 * n0 .. n0+w) into L2, so that the next panel's packing, which would wait on
 * memory, finds it there; spread over the tiles of the current panel, the
 * loads overlap with their arithmetic (5% on the 9 MiB BERT FFN weights, one
 * thread). */
static void prefetch_panel(const ia_gemm_b *b, int64_t k0, int64_t kc, int64_t n0, int64_t w,
                           int64_t part, int64_t parts)
{
    /* Runs: rows of a Linear weight (ks == 1) or of a [K, N] matrix. */
    bool rows_k = b->ks == 1;
    if (!rows_k && b->ns != 1)
        return;
    int64_t es = (int64_t)ia_dtype_size(b->dtype);
    int64_t runs = rows_k ? w : kc, len = (rows_k ? kc : w) * es;
    int64_t stride = (rows_k ? b->ns : b->ks) * es;
    const char *first = (const char *)b->data + (k0 * b->ks + n0 * b->ns) * es;
    int64_t from = runs * part / parts, to = runs * (part + 1) / parts;
    for (int64_t r = from; r < to; r++)
        for (int64_t off = 0; off < len; off += 64)
            __builtin_prefetch(first + r * stride + off, 0, 2);
}

/* One task: rows [m0, m1) and columns [n0, n1) of batch bi, in chunks of
 * MM_NC columns. For each chunk and block of k, each panel of B is packed
 * just before the sweep of A's rows that uses it, so it is written to and
 * read from L1; A's block (at most MM_MAX_MB x kc) and the chunk of C (at
 * most MM_MAX_MB x MM_NC) stay in L2 from one block of k to the next. */
static void gemm_block(const mm_plan *p, int64_t bi, int64_t m0, int64_t m1, int64_t n0,
                       int64_t n1, float *scratch)
{
    const ia_gemm_kernels *kr = p->kr;
    int64_t ao, bo, co;
    batch_offsets(p, bi, &ao, &bo, &co);
    const float *a = p->a + ao;
    float *c = p->c + co;
    ia_gemm_b b = p->b;
    b.data = (const char *)b.data + bo * (int64_t)ia_dtype_size(b.dtype);
    float *bpack = scratch;
    float *apack = scratch + p->kc * kr->nr;
    int mr = kr->mr, nr = kr->nr;
    int64_t tiles = (m1 - m0 + mr - 1) / mr;

    for (int64_t jc = n0; jc < n1; jc += MM_NC) {
        int64_t jend = jc + MM_NC < n1 ? jc + MM_NC : n1;
        for (int64_t pc = 0; pc < p->K; pc += p->kc) {
            int64_t kc = p->K - pc < p->kc ? p->K - pc : p->kc;
            const float *ap = a + m0 * p->a_rs + pc;
            int64_t lda = p->a_rs;
            if (p->a_cs != 1) {
                /* A strided in k (a permuted view): copy the block to rows
                 * of unit stride, padded against cache aliasing. */
                lda = p->kc + 16;
                for (int64_t i = 0; i < m1 - m0; i++)
                    for (int64_t k = 0; k < kc; k++)
                        apack[i * lda + k] = a[(m0 + i) * p->a_rs + (pc + k) * p->a_cs];
                ap = apack;
            }
            for (int64_t jr = jc; jr < jend; jr += nr) {
                int w = (int)(jend - jr < nr ? jend - jr : nr);
                kr->pack_b(&b, pc, kc, jr, w, bpack);
                ia_gemm_epilogue ep = {
                    .alpha = p->alpha,
                    .bias = p->bias ? p->bias + jr : NULL,
                    .accumulate = pc > 0,
                };
                /* The panel packed next: the next columns of the chunk,
                 * else its first columns in the next block of k, else the
                 * next chunk's first panel. */
                int64_t pn = jr + nr, pk = pc, pend = jend;
                if (pn >= jend) {
                    pn = jc, pk = pc + kc;
                    if (pk >= p->K)
                        pn = jend, pk = 0, pend = jend + MM_NC < n1 ? jend + MM_NC : n1;
                }
                int64_t pkc = p->K - pk < p->kc ? p->K - pk : p->kc;
                int64_t pw = pend - pn < nr ? pend - pn : nr;
                for (int64_t ir = m0; ir < m1; ir += mr) {
                    int h = (int)(m1 - ir < mr ? m1 - ir : mr);
                    if (pn < n1)
                        prefetch_panel(&b, pk, pkc, pn, pw, (ir - m0) / mr, tiles);
                    kr->tile(kc, ap + (ir - m0) * lda, lda, bpack, c + ir * p->c_rs + jr * p->c_cs,
                             p->c_rs, p->c_cs, h, w, &ep);
                }
            }
        }
    }
}

/* This thread's part of the scratch claimed in ia_cpu_matmul. */
static float *thread_scratch(const mm_plan *p, int thread)
{
    float *base = ia_cpu_scratch(p->cpu, thread, 0);
    return base && thread == 0 ? base + p->shared_floats : base;
}

/* Tasks run M block first, so that threads working at the same time read
 * the same columns of B (one copy in L3). */
static void gemm_task(void *ctx, int64_t begin, int64_t end, int thread)
{
    const mm_plan *p = ctx;
    float *scratch = thread_scratch(p, thread);
    for (int64_t t = begin; t < end; t++) {
        int64_t mi = t % p->mt, ni = (t / p->mt) % p->nt, bi = t / (p->nt * p->mt);
        int64_t m0 = mi * p->mb, n0 = ni * p->nb;
        int64_t m1 = m0 + p->mb < p->M ? m0 + p->mb : p->M;
        int64_t n1 = n0 + p->nb < p->N ? n0 + p->nb : p->N;
        gemm_block(p, bi, m0, m1, n0, n1, scratch);
    }
}

/* ------------------------------------------------------------ own: GEMV */

/* A [K, N] weight (ns == 1) for a single product is split over k rather
 * than n: each thread then streams one contiguous block of rows, and the
 * parts' sums are added at the end (an N split reads short runs of every
 * row). Parts of at least 64 rows, two per thread for balance. */
#define MM_GEMV_MIN_KPART 64

static void gemv_grid(mm_plan *p, int threads)
{
    p->kt = 0;
    if (p->nbatch == 1 && p->b.ns == 1 && p->b.ks != 1 && p->a_cs == 1 && threads > 1 &&
        p->K >= 2 * MM_GEMV_MIN_KPART) {
        p->kt = 2 * (int64_t)threads;
        if (p->kt > p->K / MM_GEMV_MIN_KPART)
            p->kt = p->K / MM_GEMV_MIN_KPART;
        p->kb = round_up(ceil_div(p->K, p->kt), 4);
        p->kt = ceil_div(p->K, p->kb);
        p->shared_floats = (size_t)(p->kt * p->M * round_up(p->N, 16));
        p->thread_floats = 0;
        return;
    }
    /* About four column chunks per thread, 16-aligned: enough to balance,
     * few enough that each chunk streams long runs of the weight. */
    p->nb = round_up(ceil_div(p->N, 4 * (int64_t)threads), 16);
    if (p->nb < 64)
        p->nb = 64;
    p->nt = ceil_div(p->N, p->nb);
    p->mt = 1;
    p->thread_floats = p->a_cs != 1 ? (size_t)(p->M * round_up(p->K, 16)) : 0;
}

static void gemv_task(void *ctx, int64_t begin, int64_t end, int thread)
{
    const mm_plan *p = ctx;
    for (int64_t t = begin; t < end; t++) {
        int64_t ni = t % p->nt, bi = t / p->nt;
        int64_t n0 = ni * p->nb, n1 = n0 + p->nb < p->N ? n0 + p->nb : p->N;
        int64_t ao, bo, co;
        batch_offsets(p, bi, &ao, &bo, &co);
        const float *a = p->a + ao;
        int64_t lda = p->a_rs;
        if (p->a_cs != 1) {
            /* The GEMV wants unit-stride rows: copy them (M x K, small). */
            float *rows = thread_scratch(p, thread);
            lda = round_up(p->K, 16);
            for (int64_t i = 0; i < p->M; i++)
                for (int64_t k = 0; k < p->K; k++)
                    rows[i * lda + k] = a[i * p->a_rs + k * p->a_cs];
            a = rows;
        }
        ia_gemm_b b = p->b;
        b.data = (const char *)b.data + bo * (int64_t)ia_dtype_size(b.dtype);
        p->kr->gemv((int)p->M, p->K, a, lda, &b, n0, n1, p->c + co, p->c_rs, p->c_cs, p->alpha,
                    p->bias);
    }
}

/* One part of the k split: rows [k0, k0 + kb) into its own partial sums. */
static void gemv_ktask(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const mm_plan *p = ctx;
    int64_t ldp = round_up(p->N, 16);
    float *parts = (float *)ia_cpu_scratch(p->cpu, 0, 0) + p->bias_floats;
    for (int64_t t = begin; t < end; t++) {
        int64_t k0 = t * p->kb, k1 = k0 + p->kb < p->K ? k0 + p->kb : p->K;
        ia_gemm_b b = p->b;
        b.data = (const char *)b.data + k0 * b.ks * (int64_t)ia_dtype_size(b.dtype);
        p->kr->gemv((int)p->M, k1 - k0, p->a + k0, p->a_rs, &b, 0, p->N, parts + t * p->M * ldp,
                    ldp, 1, 1.0f, NULL);
    }
}

static void gemv_ksum(const mm_plan *p)
{
    int64_t ldp = round_up(p->N, 16);
    const float *parts = (const float *)ia_cpu_scratch(p->cpu, 0, 0) + p->bias_floats;
    for (int64_t i = 0; i < p->M; i++) {
        float *c = p->c + i * p->c_rs;
        const float *first = parts + i * ldp;
        for (int64_t n = 0; n < p->N; n++) {
            float s = first[n];
            for (int64_t t = 1; t < p->kt; t++)
                s += first[t * p->M * ldp + n];
            c[n * p->c_cs] = p->alpha * s + (p->bias ? p->bias[n] : 0.0f);
        }
    }
}

/* ----------------------------------------------------------------- BLAS */

/* How BLAS can read a rows x cols matrix with these strides: row-major
 * (NoTrans) or its transpose, with leading dimension *ld; false when it must
 * be copied first. Strides along a dimension of size 1 are free. */
static bool blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, bool *trans, int64_t *ld)
{
    if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= cols)) {
        *trans = false;
        *ld = rows <= 1 || rs < 1 ? (cols > 1 ? cols : 1) : rs;
        return true;
    }
    if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= rows)) {
        *trans = true;
        *ld = cols <= 1 || cs < 1 ? (rows > 1 ? rows : 1) : cs;
        return true;
    }
    return false;
}

/* Decides how each operand reaches BLAS and how much scratch the copies
 * need (thread 0's own part). */
static void blas_grid(mm_plan *p)
{
    int64_t M = p->M, N = p->N, K = p->K;
    bool tc;
    p->a_ok = blas_layout(M, K, p->a_rs, p->a_cs, &p->ta, &p->lda);
    p->b_ok = p->b.dtype == IA_DTYPE_F32 && blas_layout(K, N, p->b.ks, p->b.ns, &p->tb, &p->ldb);
    p->c_ok = blas_layout(M, N, p->c_rs, p->c_cs, &tc, &p->ldc) && !tc;
    p->thread_floats = (size_t)((p->a_ok ? 0 : round_up(M * K, 16)) +
                                (p->b_ok ? 0 : round_up(K * N, 16)) + (p->c_ok ? 0 : M * N));
}

static void run_blas(const mm_plan *p)
{
    int64_t M = p->M, N = p->N, K = p->K;
    float *s = thread_scratch(p, 0);
    float *a_copy = s, *b_copy = a_copy + (p->a_ok ? 0 : round_up(M * K, 16));
    float *c_copy = b_copy + (p->b_ok ? 0 : round_up(K * N, 16));
    int64_t b_done = 0;
    for (int64_t bi = 0; bi < p->nbatch; bi++) {
        int64_t ao, bo, co;
        batch_offsets(p, bi, &ao, &bo, &co);
        const float *a = p->a + ao;
        float *c = p->c + co;
        ia_gemm_b b = p->b;
        b.data = (const char *)b.data + bo * (int64_t)ia_dtype_size(b.dtype);
        bool ta = p->ta, tb = p->tb;
        int64_t lda = p->lda, ldb = p->ldb;
        if (!p->a_ok) {
            float *t = a_copy;
            for (int64_t i = 0; i < M; i++)
                for (int64_t k = 0; k < K; k++)
                    t[i * K + k] = a[i * p->a_rs + k * p->a_cs];
            a = t, ta = false, lda = K > 0 ? K : 1;
        }
        const float *bm = b.data;
        if (!p->b_ok) {
            /* Converted as [N, K] (Trans) when a Linear weight, else [K, N],
             * a run at a time when runs are contiguous; a weight shared by
             * the batches is converted once. */
            tb = b.ks == 1;
            bm = b_copy, ldb = tb ? (K > 0 ? K : 1) : (N > 0 ? N : 1);
            if (bi == 0 || bo != b_done) {
                int64_t es = (int64_t)ia_dtype_size(b.dtype);
                if (tb)
                    for (int64_t n = 0; n < N; n++)
                        p->kr->convert((const char *)b.data + n * b.ns * es, b.dtype, b_copy + n * K, K);
                else if (b.ns == 1)
                    for (int64_t k = 0; k < K; k++)
                        p->kr->convert((const char *)b.data + k * b.ks * es, b.dtype, b_copy + k * N, N);
                else
                    for (int64_t k = 0; k < K; k++)
                        for (int64_t n = 0; n < N; n++)
                            b_copy[k * N + n] = ia_gemm_b_get(&b, k, n);
                b_done = bo;
            }
        }
        float *cm = p->c_ok ? c : c_copy;
        int64_t ldcm = p->c_ok ? p->ldc : N;
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++)
                cm[i * ldcm + j] = p->bias ? p->bias[j] : 0.0f;
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    (blasint)M, (blasint)N, (blasint)K, p->alpha, a, (blasint)lda, bm, (blasint)ldb,
                    p->bias ? 1.0f : 0.0f, cm, (blasint)ldcm);
        if (!p->c_ok)
            for (int64_t i = 0; i < M; i++)
                for (int64_t j = 0; j < N; j++)
                    c[i * p->c_rs + j * p->c_cs] = cm[i * ldcm + j];
    }
}

/* ---------------------------------------------------------------- entry */

/* AUTO's rule, from measurements on the development machine (2 cores of an
 * AMD Zen 5 under KVM, 2 threads, OpenBLAS 0.3.21 with its own kernel
 * choice, Cooperlake; F32 Linear weights unless noted; time of BLAS / time
 * of ours, the fastest of >= 15 runs; bench/bench_matmul and
 * docs/performance.md have the method):
 *
 *   M x K x N               avx512   avx2   portable
 *   1 x 768 x 2304            6.2     5.9     2.0     GEMV vs OpenBLAS's
 *   1 x 768 x 2304 F16       15.7    18.6     2.1     packed GEMM at M = 1
 *   4 x 768 x 768             7.2     4.4     0.75
 *   8 x 768 x 768             1.7     0.94    0.40
 *   32 x 768 x 768            1.2     0.74    0.19
 *   128 x 768 x 768           1.0-1.2 0.63    0.12
 *   128 x 768 x 768 F16       1.4     0.86    0.28    BLAS converts first
 *   1024 x 1024 x 1024        0.97-1.02 0.58  0.10
 *   2048 x 768 x 3072         1.02    -       -
 *   12 x [128 x 64 x 128]     3.7     1.9     0.16    batches, per call
 *
 * So: the GEMV for M <= IA_GEMV_MAX_M everywhere; with AVX-512 our GEMM
 * everywhere (parity or better on every shape tried); with AVX2 or the
 * portable kernels OpenBLAS for single products (at AVX2 it runs at least
 * its Haswell kernel, on a par with ours, and AVX-512 where the CPU has it),
 * but ours for AVX2 batches, which BLAS would run one small call at a time.
 * Keeping to our pool where we are not slower also keeps OpenBLAS's threads
 * from spinning against ours on a small machine. */
static bool use_blas(const ia_cpu_ctx *cpu, const mm_plan *p)
{
    if (cpu->gemm != IA_CPU_GEMM_AUTO)
        return cpu->gemm == IA_CPU_GEMM_BLAS;
    if (p->M <= IA_GEMV_MAX_M)
        return false;
    switch (cpu->isa) {
    case IA_CPU_ISA_AVX512: return false;
    case IA_CPU_ISA_AVX2: return p->nbatch == 1;
    default: return true;
    }
}

ia_status ia_cpu_matmul(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    mm_plan p;
    plan_make(cpu, op, &p);
    if (p.M == 0 || p.N == 0 || p.nbatch == 0)
        return IA_OK;
    const ia_tensor *bias = op->src[2];
    int threads = ia_threadpool_size(cpu->pool);
    bool blas = use_blas(cpu, &p);
    bool gemv = !blas && p.M <= IA_GEMV_MAX_M;
    if (p.K > 0) {
        if (blas)
            blas_grid(&p);
        else if (gemv)
            gemv_grid(&p, threads);
        else
            gemm_grid(&p, threads);
    }
    /* The bias as unit-stride F32: used in place when it is, else
     * converted into the shared scratch. */
    if (bias && (bias->dtype != IA_DTYPE_F32 || bias->stride[0] != 1))
        p.bias_floats = (size_t)round_up(p.N, 16);
    p.shared_floats += p.bias_floats;
    for (int t = (blas || p.K == 0) ? 0 : threads - 1; t >= 0; t--) {
        size_t floats = p.thread_floats + (t == 0 ? p.shared_floats : 0);
        if (floats && !ia_cpu_scratch(cpu, t, floats * sizeof(float)))
            return ia_error_set(err, IA_ERR_NOMEM, "matmul: out of memory for %zu bytes of scratch",
                                floats * sizeof(float));
    }
    if (bias && p.bias_floats) {
        float *bf = ia_cpu_scratch(cpu, 0, 0);
        for (int64_t n = 0; n < p.N; n++)
            bf[n] = ia_tensor_get_f32(bias, &n);
        p.bias = bf;
    } else if (bias) {
        p.bias = bias->data;
    }

    if (p.K == 0) {
        for (int64_t bi = 0; bi < p.nbatch; bi++) {
            int64_t ao, bo, co;
            batch_offsets(&p, bi, &ao, &bo, &co);
            for (int64_t i = 0; i < p.M; i++)
                for (int64_t j = 0; j < p.N; j++)
                    p.c[co + i * p.c_rs + j * p.c_cs] = p.bias ? p.bias[j] : 0.0f;
        }
        return IA_OK;
    }
    if (blas) {
        run_blas(&p);
        return IA_OK;
    }
    if (gemv && p.kt) {
        ia_threadpool_parallel_for(cpu->pool, p.kt, 1, gemv_ktask, &p);
        gemv_ksum(&p);
    } else if (gemv) {
        ia_threadpool_parallel_for(cpu->pool, p.nbatch * p.nt, 1, gemv_task, &p);
    } else
        ia_threadpool_parallel_for(cpu->pool, p.nbatch * p.mt * p.nt, 1, gemm_task, &p);
    return IA_OK;
}
