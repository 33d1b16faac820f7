/* IA_OP_CONV1D and IA_OP_CONV2D on the CPU. ops_conv.c states the semantics
 * (PyTorch's); a 1-D convolution runs as a 2-D one with H = Kh = 1.
 *
 * Method: im2col of a tile of output positions at a time, then a small GEMM
 * vectorised over the positions. Positions p = oy * Wout + ox are numbered
 * across rows, so a tile of small outputs (a 14 x 14 ViT patch grid) spans
 * several rows and the vectors stay full. A work item is (image n, group g,
 * tile of positions, block of output channels: all of the group's unless
 * that leaves a thread idle); items are spread over the pool's threads. An
 * item
 *   1. packs X[kk][c] = x[n, g*Cin_g + ci, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw]
 *      for kk = (ci, ky, kx) and (oy, ox) = position p0 + c, zeros where the
 *      tap falls in the padding;
 *   2. multiplies its output channels' weights W[co][kk] by X, 4 channels at a
 *      time (one at a time for the last few, so depthwise convolutions, with
 *      one channel per group, waste nothing), into a [4][columns] block;
 *   3. writes that block plus the bias to dst (any strides).
 * Tiles are as wide as keeps X under 256 KiB, so X stays in L2 while every
 * channel block reads it.
 *
 * The weights (F32, F16 or BF16, any strides) are converted once per call to
 * F32 and packed [group][4-channel tile][kk][4] (leftover channels [kk]),
 * into the calling thread's scratch ahead of its own working area, which the
 * other threads only read. Every buffer is ia_cpu_scratch: nothing is
 * allocated once the buffers have grown to a shape's size.
 *
 * The multiply could be the engine's matmul; these loops are used instead so
 * that grouped and depthwise convolutions, whose GEMMs are tiny, need no
 * per-group calls, and the im2col block never leaves the cache. */
#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CONV_X86 1
#endif

#include "engine/engine_internal.h"

enum {
    CONV_X_BYTES = 256 * 1024,    /* most bytes of an item's im2col block */
    CONV_MAX_TILE = 1024,         /* output columns per item, at most */
};

/* y[r][c] = sum_kk w[kk][r] x[kk][c] for 4 rows (or 1: w is then [kk]),
 * c < ncols (a multiple of the ISA's vector width). */
typedef struct conv_kernels {
    int64_t width; /* column granularity */
    void (*rows4)(const float *w, const float *x, int64_t kk, int64_t ldx, int64_t ncols,
                  float *y, int64_t ldy);
    void (*rows1)(const float *w, const float *x, int64_t kk, int64_t ldx, int64_t ncols,
                  float *y);
} conv_kernels;

static void conv_rows4_portable(const float *w, const float *x, int64_t kk, int64_t ldx,
                                int64_t ncols, float *y, int64_t ldy)
{
    for (int r = 0; r < 4; r++) {
        float *yr = y + r * ldy;
        memset(yr, 0, (size_t)ncols * sizeof *yr);
        for (int64_t k = 0; k < kk; k++) {
            const float wv = w[k * 4 + r], *xr = x + k * ldx;
            for (int64_t c = 0; c < ncols; c++)
                yr[c] += wv * xr[c];
        }
    }
}

static void conv_rows1_portable(const float *w, const float *x, int64_t kk, int64_t ldx,
                                int64_t ncols, float *y)
{
    memset(y, 0, (size_t)ncols * sizeof *y);
    for (int64_t k = 0; k < kk; k++) {
        const float wv = w[k], *xr = x + k * ldx;
        for (int64_t c = 0; c < ncols; c++)
            y[c] += wv * xr[c];
    }
}

static const conv_kernels conv_portable = {16, conv_rows4_portable, conv_rows1_portable};

#ifdef CONV_X86
#define CONV_T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
#define CONV_T256 __attribute__((target("avx2,fma")))

/* 4 rows x 32 columns per step (8 accumulators), then 16 columns. */
CONV_T512 static void conv_rows4_avx512(const float *w, const float *x, int64_t kk, int64_t ldx,
                                        int64_t ncols, float *y, int64_t ldy)
{
    int64_t c0 = 0;
    for (; c0 + 32 <= ncols; c0 += 32) {
        __m512 a[4][2];
        for (int r = 0; r < 4; r++)
            a[r][0] = a[r][1] = _mm512_setzero_ps();
        for (int64_t k = 0; k < kk; k++) {
            const float *xr = x + k * ldx + c0, *wk = w + k * 4;
            const __m512 x0 = _mm512_loadu_ps(xr), x1 = _mm512_loadu_ps(xr + 16);
            for (int r = 0; r < 4; r++) {
                const __m512 b = _mm512_set1_ps(wk[r]);
                a[r][0] = _mm512_fmadd_ps(b, x0, a[r][0]);
                a[r][1] = _mm512_fmadd_ps(b, x1, a[r][1]);
            }
        }
        for (int r = 0; r < 4; r++) {
            _mm512_storeu_ps(y + r * ldy + c0, a[r][0]);
            _mm512_storeu_ps(y + r * ldy + c0 + 16, a[r][1]);
        }
    }
    for (; c0 < ncols; c0 += 16) {
        /* Even and odd kk in separate accumulators: 8 chains, not 4. */
        __m512 a[4], b[4];
        for (int r = 0; r < 4; r++)
            a[r] = b[r] = _mm512_setzero_ps();
        int64_t k = 0;
        for (; k + 2 <= kk; k += 2) {
            const __m512 x0 = _mm512_loadu_ps(x + k * ldx + c0);
            const __m512 x1 = _mm512_loadu_ps(x + (k + 1) * ldx + c0);
            for (int r = 0; r < 4; r++) {
                a[r] = _mm512_fmadd_ps(_mm512_set1_ps(w[k * 4 + r]), x0, a[r]);
                b[r] = _mm512_fmadd_ps(_mm512_set1_ps(w[k * 4 + 4 + r]), x1, b[r]);
            }
        }
        if (k < kk) {
            const __m512 x0 = _mm512_loadu_ps(x + k * ldx + c0);
            for (int r = 0; r < 4; r++)
                a[r] = _mm512_fmadd_ps(_mm512_set1_ps(w[k * 4 + r]), x0, a[r]);
        }
        for (int r = 0; r < 4; r++)
            _mm512_storeu_ps(y + r * ldy + c0, _mm512_add_ps(a[r], b[r]));
    }
}

/* One row, 64 columns per step (4 accumulators), then 16. */
CONV_T512 static void conv_rows1_avx512(const float *w, const float *x, int64_t kk, int64_t ldx,
                                        int64_t ncols, float *y)
{
    int64_t c0 = 0;
    for (; c0 + 64 <= ncols; c0 += 64) {
        __m512 a[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                       _mm512_setzero_ps()};
        for (int64_t k = 0; k < kk; k++) {
            const __m512 b = _mm512_set1_ps(w[k]);
            for (int c = 0; c < 4; c++)
                a[c] = _mm512_fmadd_ps(b, _mm512_loadu_ps(x + k * ldx + c0 + 16 * c), a[c]);
        }
        for (int c = 0; c < 4; c++)
            _mm512_storeu_ps(y + c0 + 16 * c, a[c]);
    }
    for (; c0 < ncols; c0 += 16) {
        __m512 a = _mm512_setzero_ps();
        for (int64_t k = 0; k < kk; k++)
            a = _mm512_fmadd_ps(_mm512_set1_ps(w[k]), _mm512_loadu_ps(x + k * ldx + c0), a);
        _mm512_storeu_ps(y + c0, a);
    }
}

static const conv_kernels conv_avx512 = {16, conv_rows4_avx512, conv_rows1_avx512};

/* 4 rows x 16 columns per step (8 accumulators), then 8 columns. */
CONV_T256 static void conv_rows4_avx2(const float *w, const float *x, int64_t kk, int64_t ldx,
                                      int64_t ncols, float *y, int64_t ldy)
{
    int64_t c0 = 0;
    for (; c0 + 16 <= ncols; c0 += 16) {
        __m256 a[4][2];
        for (int r = 0; r < 4; r++)
            a[r][0] = a[r][1] = _mm256_setzero_ps();
        for (int64_t k = 0; k < kk; k++) {
            const float *xr = x + k * ldx + c0, *wk = w + k * 4;
            const __m256 x0 = _mm256_loadu_ps(xr), x1 = _mm256_loadu_ps(xr + 8);
            for (int r = 0; r < 4; r++) {
                const __m256 b = _mm256_broadcast_ss(wk + r);
                a[r][0] = _mm256_fmadd_ps(b, x0, a[r][0]);
                a[r][1] = _mm256_fmadd_ps(b, x1, a[r][1]);
            }
        }
        for (int r = 0; r < 4; r++) {
            _mm256_storeu_ps(y + r * ldy + c0, a[r][0]);
            _mm256_storeu_ps(y + r * ldy + c0 + 8, a[r][1]);
        }
    }
    for (; c0 < ncols; c0 += 8) {
        __m256 a[4], b[4];
        for (int r = 0; r < 4; r++)
            a[r] = b[r] = _mm256_setzero_ps();
        int64_t k = 0;
        for (; k + 2 <= kk; k += 2) {
            const __m256 x0 = _mm256_loadu_ps(x + k * ldx + c0);
            const __m256 x1 = _mm256_loadu_ps(x + (k + 1) * ldx + c0);
            for (int r = 0; r < 4; r++) {
                a[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + k * 4 + r), x0, a[r]);
                b[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + k * 4 + 4 + r), x1, b[r]);
            }
        }
        if (k < kk) {
            const __m256 x0 = _mm256_loadu_ps(x + k * ldx + c0);
            for (int r = 0; r < 4; r++)
                a[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + k * 4 + r), x0, a[r]);
        }
        for (int r = 0; r < 4; r++)
            _mm256_storeu_ps(y + r * ldy + c0, _mm256_add_ps(a[r], b[r]));
    }
}

CONV_T256 static void conv_rows1_avx2(const float *w, const float *x, int64_t kk, int64_t ldx,
                                      int64_t ncols, float *y)
{
    int64_t c0 = 0;
    for (; c0 + 32 <= ncols; c0 += 32) {
        __m256 a[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                       _mm256_setzero_ps()};
        for (int64_t k = 0; k < kk; k++) {
            const __m256 b = _mm256_broadcast_ss(w + k);
            for (int c = 0; c < 4; c++)
                a[c] = _mm256_fmadd_ps(b, _mm256_loadu_ps(x + k * ldx + c0 + 8 * c), a[c]);
        }
        for (int c = 0; c < 4; c++)
            _mm256_storeu_ps(y + c0 + 8 * c, a[c]);
    }
    for (; c0 < ncols; c0 += 8) {
        __m256 a = _mm256_setzero_ps();
        for (int64_t k = 0; k < kk; k++)
            a = _mm256_fmadd_ps(_mm256_broadcast_ss(w + k), _mm256_loadu_ps(x + k * ldx + c0), a);
        _mm256_storeu_ps(y + c0, a);
    }
}

static const conv_kernels conv_avx2 = {8, conv_rows4_avx2, conv_rows1_avx2};
#endif

/* ------------------------------------------------------------- the driver */

typedef struct conv_job {
    ia_cpu_ctx *cpu;
    const conv_kernels *kern;
    ia_tensor x, w, dst; /* as 4-D */
    const ia_tensor *bias;
    int64_t N, Cin, H, W, Cout, Kh, Kw, Hout, Wout;
    int64_t sh, sw, ph, pw, dh, dw, groups, cin_g, cout_g, kk;
    int64_t tw, tiles;           /* positions per tile (a multiple of kern->width) */
    int64_t coblock, coblocks;   /* output channels per item (a multiple of 4) */
    const float *wp;             /* packed weights, Cout * kk floats */
    size_t shared_bytes, thread_bytes;
    atomic_bool failed;
} conv_job;

/* A 1-D op's tensor seen as 2-D, with H = 1 (ops_conv.c does the same). */
static ia_tensor conv_view_2d(const ia_tensor *t)
{
    if (t->ndim == 4)
        return *t;
    ia_tensor r = *t;
    r.ndim = 4;
    r.shape[3] = t->shape[2];
    r.stride[3] = t->stride[2];
    r.shape[2] = 1;
    r.stride[2] = 0;
    return r;
}

static float conv_read(const ia_tensor *t, int64_t off)
{
    switch (t->dtype) {
    case IA_DTYPE_F16: return ia_f16_to_f32(((const uint16_t *)t->data)[off]);
    case IA_DTYPE_BF16: return ia_bf16_to_f32(((const uint16_t *)t->data)[off]);
    default: return ((const float *)t->data)[off];
    }
}

/* Weights to F32 in the kernels' order: per group, 4-channel tiles as
 * [kk][4], then the leftover channels as [kk]. */
static void conv_pack_weights(const conv_job *j, float *wp)
{
    const ia_tensor *w = &j->w;
    for (int64_t co = 0; co < j->Cout; co++) {
        const int64_t g = co / j->cout_g, local = co % j->cout_g;
        const int64_t full = j->cout_g / 4 * 4;
        float *dst = wp + g * j->cout_g * j->kk;
        int64_t step = 1;
        if (local < full) {
            dst += (local / 4) * 4 * j->kk + local % 4;
            step = 4;
        } else {
            dst += local * j->kk;
        }
        int64_t k = 0;
        for (int64_t ci = 0; ci < j->cin_g; ci++)
            for (int64_t ky = 0; ky < j->Kh; ky++)
                for (int64_t kx = 0; kx < j->Kw; kx++, k++)
                    dst[k * step] = conv_read(w, co * w->stride[0] + ci * w->stride[1] +
                                                     ky * w->stride[2] + kx * w->stride[3]);
    }
}

/* im2col of one tile of output positions p0 .. p0 + nvalid - 1 (p = oy *
 * Wout + ox, so a tile may span several short rows): X[kk][c] for c < ncols,
 * zeros past nvalid and where a tap falls in the padding. Each output row's
 * stretch of the tile is one run of input columns ix = base + c * sw. */
static void conv_pack_x(const conv_job *j, int64_t n, int64_t g, int64_t p0, int64_t nvalid,
                        int64_t ncols, float *X)
{
    const ia_tensor *x = &j->x;
    const int64_t xs = x->stride[3];
    int64_t k = 0;
    for (int64_t ci = 0; ci < j->cin_g; ci++) {
        const float *plane = (const float *)x->data + n * x->stride[0] +
                             (g * j->cin_g + ci) * x->stride[1];
        for (int64_t ky = 0; ky < j->Kh; ky++) {
            for (int64_t kx = 0; kx < j->Kw; kx++, k++) {
                float *row = X + k * j->tw;
                for (int64_t c0 = 0; c0 < nvalid;) {
                    const int64_t oy = (p0 + c0) / j->Wout, ox0 = (p0 + c0) % j->Wout;
                    const int64_t len = j->Wout - ox0 < nvalid - c0 ? j->Wout - ox0 : nvalid - c0;
                    float *seg = row + c0;
                    c0 += len;
                    const int64_t iy = oy * j->sh - j->ph + ky * j->dh;
                    if (iy < 0 || iy >= j->H) {
                        memset(seg, 0, (size_t)len * sizeof *seg);
                        continue;
                    }
                    /* Columns whose input ix = base + c * sw lies in [0, W). */
                    const int64_t base = ox0 * j->sw - j->pw + kx * j->dw;
                    int64_t lo = base >= 0 ? 0 : (-base + j->sw - 1) / j->sw;
                    int64_t hi = base >= j->W ? 0 : (j->W - base + j->sw - 1) / j->sw;
                    hi = hi < len ? hi : len;
                    lo = lo < hi ? lo : hi;
                    memset(seg, 0, (size_t)lo * sizeof *seg);
                    const float *src = plane + iy * x->stride[2];
                    if (xs == 1 && j->sw == 1)
                        memcpy(seg + lo, src + base + lo, (size_t)(hi - lo) * sizeof *seg);
                    else
                        for (int64_t c = lo; c < hi; c++)
                            seg[c] = src[(base + c * j->sw) * xs];
                    memset(seg + hi, 0, (size_t)(len - hi) * sizeof *seg);
                }
                memset(row + nvalid, 0, (size_t)(ncols - nvalid) * sizeof *row);
            }
        }
    }
}

static void conv_item(const conv_job *j, int64_t item, float *ws)
{
    const int64_t cb = item % j->coblocks, tile = item / j->coblocks % j->tiles;
    const int64_t g = item / j->coblocks / j->tiles % j->groups;
    const int64_t n = item / j->coblocks / j->tiles / j->groups;
    const int64_t npos = j->Hout * j->Wout, p0 = tile * j->tw;
    const int64_t nvalid = npos - p0 < j->tw ? npos - p0 : j->tw;
    const int64_t width = j->kern->width;
    const int64_t ncols = (nvalid + width - 1) / width * width;
    float *X = ws, *Y = ws + j->kk * j->tw;
    conv_pack_x(j, n, g, p0, nvalid, ncols, X);

    const int64_t co_lo = cb * j->coblock;
    const int64_t co_hi = co_lo + j->coblock < j->cout_g ? co_lo + j->coblock : j->cout_g;
    const int64_t full = j->cout_g / 4 * 4;
    const float *wg = j->wp + g * j->cout_g * j->kk;
    const ia_tensor *dst = &j->dst;
    for (int64_t c = co_lo; c < co_hi;) {
        const int64_t nr = c < full ? 4 : 1;
        if (nr == 4)
            j->kern->rows4(wg + c * j->kk, X, j->kk, j->tw, ncols, Y, j->tw);
        else
            j->kern->rows1(wg + c * j->kk, X, j->kk, j->tw, ncols, Y);
        for (int64_t r = 0; r < nr; r++) {
            const int64_t co = g * j->cout_g + c + r;
            const float b = j->bias ? conv_read(j->bias, co * j->bias->stride[0]) : 0.0f;
            const float *yr = Y + r * j->tw;
            float *plane = (float *)dst->data + n * dst->stride[0] + co * dst->stride[1];
            for (int64_t c0 = 0; c0 < nvalid;) { /* one output row's stretch at a time */
                const int64_t oy = (p0 + c0) / j->Wout, ox0 = (p0 + c0) % j->Wout;
                const int64_t len = j->Wout - ox0 < nvalid - c0 ? j->Wout - ox0 : nvalid - c0;
                float *out = plane + oy * dst->stride[2] + ox0 * dst->stride[3];
                for (int64_t x = 0; x < len; x++)
                    out[x * dst->stride[3]] = yr[c0 + x] + b;
                c0 += len;
            }
        }
        c += nr;
    }
}

static void conv_run(void *ctx, int64_t begin, int64_t end, int thread)
{
    conv_job *j = ctx;
    /* Thread 0's buffer starts with the packed weights (see the top). */
    const size_t skip = thread == 0 ? j->shared_bytes : 0;
    char *ws = ia_cpu_scratch(j->cpu, thread, skip + j->thread_bytes);
    if (!ws) {
        atomic_store(&j->failed, true);
        return;
    }
    for (int64_t it = begin; it < end; it++)
        conv_item(j, it, (float *)(ws + skip));
}

static ia_status conv_compute(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    conv_job j = {.cpu = cpu, .bias = op->src[2]};
    j.kern = &conv_portable;
#ifdef CONV_X86
    if (cpu->isa == IA_CPU_ISA_AVX512)
        j.kern = &conv_avx512;
    else if (cpu->isa == IA_CPU_ISA_AVX2)
        j.kern = &conv_avx2;
#endif
    j.x = conv_view_2d(op->src[0]);
    j.w = conv_view_2d(op->src[1]);
    j.dst = conv_view_2d(op->dst);
    if (op->type == IA_OP_CONV1D) {
        j.sh = j.dh = 1;
        j.ph = 0;
        j.sw = op->p.conv1d.stride ? op->p.conv1d.stride : 1;
        j.pw = op->p.conv1d.padding;
        j.dw = op->p.conv1d.dilation ? op->p.conv1d.dilation : 1;
        j.groups = op->p.conv1d.groups ? op->p.conv1d.groups : 1;
    } else {
        j.sh = op->p.conv2d.stride[0] ? op->p.conv2d.stride[0] : 1;
        j.sw = op->p.conv2d.stride[1] ? op->p.conv2d.stride[1] : 1;
        j.ph = op->p.conv2d.padding[0];
        j.pw = op->p.conv2d.padding[1];
        j.dh = op->p.conv2d.dilation[0] ? op->p.conv2d.dilation[0] : 1;
        j.dw = op->p.conv2d.dilation[1] ? op->p.conv2d.dilation[1] : 1;
        j.groups = op->p.conv2d.groups ? op->p.conv2d.groups : 1;
    }
    j.N = j.x.shape[0], j.Cin = j.x.shape[1], j.H = j.x.shape[2], j.W = j.x.shape[3];
    j.Cout = j.w.shape[0], j.Kh = j.w.shape[2], j.Kw = j.w.shape[3];
    j.Hout = j.dst.shape[2], j.Wout = j.dst.shape[3];
    j.cin_g = j.Cin / j.groups, j.cout_g = j.Cout / j.groups;
    j.kk = j.cin_g * j.Kh * j.Kw;
    if (j.N * j.Cout * j.Hout * j.Wout == 0)
        return IA_OK;

    const int64_t width = j.kern->width, npos = j.Hout * j.Wout;
    int64_t tw = CONV_X_BYTES / (int64_t)sizeof(float) / (j.kk > 0 ? j.kk : 1);
    tw = tw < CONV_MAX_TILE ? tw : CONV_MAX_TILE;
    tw = tw / width * width;
    tw = tw > width ? tw : width;
    const int64_t npos_r = (npos + width - 1) / width * width;
    j.tw = tw < npos_r ? tw : npos_r;
    j.tiles = (npos + j.tw - 1) / j.tw;
    /* Output channels are split only as far as it takes to give every thread
     * about four items: each split packs X again. */
    const int64_t base_items = j.N * j.groups * j.tiles;
    const int64_t want = 4 * (int64_t)ia_threadpool_size(cpu->pool);
    int64_t split = base_items >= want ? 1 : (want + base_items - 1) / base_items;
    split = split < (j.cout_g + 3) / 4 ? split : (j.cout_g + 3) / 4;
    j.coblock = ((j.cout_g + split - 1) / split + 3) / 4 * 4;
    j.coblocks = (j.cout_g + j.coblock - 1) / j.coblock;
    j.shared_bytes = ((size_t)(j.Cout * j.kk) * sizeof(float) + 63) / 64 * 64;
    j.thread_bytes = (size_t)((j.kk + 4) * j.tw) * sizeof(float);

    /* Grown here, on the calling thread, so the workers only find buffers of
     * the right size; then the weights are packed into thread 0's. */
    for (int t = 0; t < cpu->scratch_count; t++)
        if (!ia_cpu_scratch(cpu, t, j.thread_bytes + (t == 0 ? j.shared_bytes : 0)))
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for scratch",
                                ia_op_name(op->type));
    float *wp = ia_cpu_scratch(cpu, 0, j.thread_bytes + j.shared_bytes);
    conv_pack_weights(&j, wp);
    j.wp = wp;

    const int64_t items = base_items * j.coblocks;
    /* Enough work per chunk (about 64k multiply-adds) to pay for the hand-off. */
    const int64_t per_item = j.kk * j.tw * (j.cout_g < j.coblock ? j.cout_g : j.coblock);
    const int64_t grain = per_item >= 65536 ? 1 : 65536 / (per_item > 0 ? per_item : 1);
    atomic_init(&j.failed, false);
    ia_threadpool_parallel_for(cpu->pool, items, grain, conv_run, &j);
    if (atomic_load(&j.failed))
        return ia_error_set(err, IA_ERR_NOMEM, "%s: no scratch for a worker thread",
                            ia_op_name(op->type));
    return IA_OK;
}

ia_status ia_cpu_conv1d(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    return conv_compute(cpu, op, err);
}

ia_status ia_cpu_conv2d(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    return conv_compute(cpu, op, err);
}
