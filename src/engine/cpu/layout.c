/* CPU kernels of COPY, CONCAT, PAD and EMBEDDING.
 *
 * COPY is the engine of all four. Both tensors are seen as 4-D and
 * collapsed (contiguous neighbours merged), then one of:
 *   rows:      same dtype, both inner strides 1: memmove of row blocks;
 *   transpose: same 4-byte dtype, src contiguous along one dimension and
 *              dst along another (a permute or transpose being
 *              materialised): 32x32 tiles, 8x8 AVX transposes inside them
 *              at AVX2 / AVX-512, so both sides stream cache lines;
 *   strided:   same dtype, other strides: a typed strided loop per row;
 *   convert:   F32 <-> F16 / BF16, both inner strides 1: SIMD conversion
 *              (F16C at AVX2, AVX-512F), round to nearest even;
 *   generic:   other conversions and layouts: ia_tensor_copy on each row.
 * Rows, row blocks or tiles are shared among the pool's threads.
 * CONCAT copies each source into its slice of dst; PAD copies src into the
 * interior and fills the border rows; EMBEDDING checks every id, then
 * converts one table row per id. */
#include "engine/cpu/simd.h"

enum { COPY_ROWS, COPY_TRANSPOSE, COPY_STRIDED, COPY_CONVERT, COPY_GENERIC };

#define COPY_BLOCK 16384 /* elements per row block */
#define COPY_TILE 32

typedef struct copy_job {
    int mode;
    ia_cpu_isa isa;
    ia_view4 d, s;
    char *dp;
    const char *sp;
    ia_dtype dt, st;
    int64_t des, ses; /* element sizes in bytes */
    int64_t n, blocks;
    /* transpose: the plane (p: src contiguous, q: dst contiguous), the two
     * other dimensions o[0], o[1], and the tile counts. */
    int p, q, o[2];
    int64_t tiles_p, tiles_q;
} copy_job;

/* ---------------------------------------------------- row conversions */

static void f32_to_bf16_row(const float *s, uint16_t *d, int64_t n)
{
    /* Branch-free round to nearest even (NaN kept quiet), as
     * ia_f32_to_bf16, so the compiler vectorises it. */
    for (int64_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, s + i, 4);
        uint32_t rounded = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
        uint32_t nan = ((b >> 16) | 0x40u) & 0xffffu;
        d[i] = (uint16_t)((b & 0x7fffffffu) > 0x7f800000u ? nan : rounded);
    }
}

#if IA_X86
IA_TARGET_AVX512 static void f32_to_f16_avx512(const float *s, uint16_t *d, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(d + i),
                            _mm512_cvtps_ph(_mm512_loadu_ps(s + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    for (; i < n; i++)
        d[i] = ia_f32_to_f16(s[i]);
}

IA_TARGET_AVX2 static void f32_to_f16_avx2(const float *s, uint16_t *d, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(d + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(s + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    for (; i < n; i++)
        d[i] = ia_f32_to_f16(s[i]);
}

/* d[c * ds + r] = s[r * ss + c] for an 8x8 block of 4-byte elements. */
IA_TARGET_AVX2 static void transpose8x8(const float *s, int64_t ss, float *d, int64_t ds)
{
    __m256 r[8], t[8], u[8];
    for (int k = 0; k < 8; k++)
        r[k] = _mm256_loadu_ps(s + k * ss);
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
        t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
    }
    for (int k = 0; k < 8; k += 4) {
        u[k] = _mm256_shuffle_ps(t[k], t[k + 2], 0x44);
        u[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], 0xEE);
        u[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], 0x44);
        u[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], 0xEE);
    }
    for (int k = 0; k < 4; k++) {
        _mm256_storeu_ps(d + k * ds, _mm256_permute2f128_ps(u[k], u[k + 4], 0x20));
        _mm256_storeu_ps(d + (k + 4) * ds, _mm256_permute2f128_ps(u[k], u[k + 4], 0x31));
    }
}
#endif

static void convert_row(const copy_job *j, char *d, const char *s, int64_t n)
{
    if (j->dt == IA_DTYPE_F32) {
        ia_cpu_to_f32(j->isa, j->st, s, 1, (float *)d, n);
        return;
    }
    const float *f = (const float *)s;
    uint16_t *h = (uint16_t *)d;
    if (j->dt == IA_DTYPE_BF16) {
        f32_to_bf16_row(f, h, n);
        return;
    }
#if IA_X86
    if (j->isa == IA_CPU_ISA_AVX512) {
        f32_to_f16_avx512(f, h, n);
        return;
    }
    if (j->isa == IA_CPU_ISA_AVX2) {
        f32_to_f16_avx2(f, h, n);
        return;
    }
#endif
    ia_convert_f32_to_f16(f, h, (size_t)n);
}

static void strided_row(char *d, int64_t ds, const char *s, int64_t ss, int64_t n, int64_t es)
{
    switch (es) {
#define IA_STRIDED(T)                                 \
    {                                                 \
        T *dd = (T *)d;                               \
        const T *sv = (const T *)s;                   \
        for (int64_t i = 0; i < n; i++)               \
            dd[i * ds] = sv[i * ss];                  \
        return;                                       \
    }
    case 1: IA_STRIDED(uint8_t)
    case 2: IA_STRIDED(uint16_t)
    case 4: IA_STRIDED(uint32_t)
    case 8: IA_STRIDED(uint64_t)
#undef IA_STRIDED
    default:
        for (int64_t i = 0; i < n; i++)
            memcpy(d + i * ds * es, s + i * ss * es, (size_t)es);
    }
}

/* One 32x32 tile of the transpose plane: dst[i dP + j] = src[i + j sQ]. */
static void transpose_tile(const copy_job *j, uint32_t *d, const uint32_t *s, int64_t np, int64_t nq)
{
    const int64_t dp = j->d.stride[j->p], sq = j->s.stride[j->q];
    int64_t i0 = 0;
#if IA_X86
    if (j->isa != IA_CPU_ISA_PORTABLE) {
        for (; i0 + 8 <= np; i0 += 8) {
            int64_t j0 = 0;
            for (; j0 + 8 <= nq; j0 += 8)
                transpose8x8((const float *)(s + i0 + j0 * sq), sq, (float *)(d + i0 * dp + j0), dp);
            for (int64_t i = i0; i < i0 + 8; i++)
                for (int64_t jj = j0; jj < nq; jj++)
                    d[i * dp + jj] = s[i + jj * sq];
        }
    }
#endif
    for (int64_t i = i0; i < np; i++)
        for (int64_t jj = 0; jj < nq; jj++)
            d[i * dp + jj] = s[i + jj * sq];
}

static void copy_items(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const copy_job *j = ctx;
    const int64_t ds = j->d.stride[3], ss = j->s.stride[3];
    for (int64_t item = begin; item < end; item++) {
        if (j->mode == COPY_TRANSPOSE) {
            int64_t tq = item % j->tiles_q, rest = item / j->tiles_q;
            int64_t tp = rest % j->tiles_p, outer = rest / j->tiles_p;
            int64_t i1 = outer % j->d.shape[j->o[1]], i0 = outer / j->d.shape[j->o[1]];
            int64_t p0 = tp * COPY_TILE, q0 = tq * COPY_TILE;
            int64_t doff = i0 * j->d.stride[j->o[0]] + i1 * j->d.stride[j->o[1]] +
                           p0 * j->d.stride[j->p] + q0 * j->d.stride[j->q];
            int64_t soff = i0 * j->s.stride[j->o[0]] + i1 * j->s.stride[j->o[1]] +
                           p0 * j->s.stride[j->p] + q0 * j->s.stride[j->q];
            int64_t np = j->d.shape[j->p] - p0, nq = j->d.shape[j->q] - q0;
            transpose_tile(j, (uint32_t *)j->dp + doff, (const uint32_t *)j->sp + soff,
                           np < COPY_TILE ? np : COPY_TILE, nq < COPY_TILE ? nq : COPY_TILE);
            continue;
        }
        int64_t row = item / j->blocks, e0 = (item % j->blocks) * COPY_BLOCK;
        int64_t n = j->n - e0 < COPY_BLOCK ? j->n - e0 : COPY_BLOCK;
        char *d = j->dp + (ia_view4_row_offset(&j->d, row) + e0 * ds) * j->des;
        const char *s = j->sp + (ia_view4_row_offset(&j->s, row) + e0 * ss) * j->ses;
        switch (j->mode) {
        case COPY_ROWS: memmove(d, s, (size_t)(n * j->des)); break;
        case COPY_STRIDED: strided_row(d, ds, s, ss, n, j->des); break;
        case COPY_CONVERT: convert_row(j, d, s, n); break;
        default: {
            ia_tensor sv = {.dtype = j->st, .ndim = 1, .shape = {n, 1, 1, 1}, .stride = {ss}, .data = (void *)s};
            ia_tensor dv = {.dtype = j->dt, .ndim = 1, .shape = {n, 1, 1, 1}, .stride = {ds}, .data = d};
            ia_error e;
            (void)ia_tensor_copy(&sv, &dv, &e); /* shapes match: cannot fail */
        }
        }
    }
}

/* Picks the transpose plane: p where src is contiguous, q where dst is. */
static bool find_plane(copy_job *j)
{
    j->p = j->q = -1;
    for (int k = 0; k < 4; k++) {
        if (j->d.shape[k] == 1)
            continue;
        if (j->s.stride[k] == 1 && j->p < 0)
            j->p = k;
        if (j->d.stride[k] == 1 && j->q < 0)
            j->q = k;
    }
    if (j->p < 0 || j->q < 0 || j->p == j->q)
        return false;
    int m = 0;
    for (int k = 0; k < 4; k++)
        if (k != j->p && k != j->q)
            j->o[m++] = k;
    return true;
}

static void copy_run(ia_cpu_ctx *cpu, const ia_tensor *src, const ia_tensor *dst)
{
    copy_job j = {.isa = cpu->isa, .dt = dst->dtype, .st = src->dtype};
    ia_view4 v[2] = {ia_view4_of(dst), ia_view4_of(src)};
    ia_view4_collapse(v, 2);
    j.d = v[0];
    j.s = v[1];
    j.dp = dst->data;
    j.sp = src->data;
    j.des = (int64_t)ia_dtype_size(j.dt);
    j.ses = (int64_t)ia_dtype_size(j.st);
    j.n = j.d.shape[3];
    int64_t rows = ia_view4_rows(&j.d);
    if (rows == 0 || j.n == 0)
        return;
    bool inner = j.d.stride[3] == 1 && j.s.stride[3] == 1;
    bool halves = j.dt == IA_DTYPE_F16 || j.dt == IA_DTYPE_BF16;
    bool shalves = j.st == IA_DTYPE_F16 || j.st == IA_DTYPE_BF16;
    if (j.dt == j.st)
        j.mode = inner ? COPY_ROWS : j.des == 4 && find_plane(&j) ? COPY_TRANSPOSE : COPY_STRIDED;
    else if (inner && ((j.st == IA_DTYPE_F32 && halves) || (shalves && j.dt == IA_DTYPE_F32)))
        j.mode = COPY_CONVERT;
    else
        j.mode = COPY_GENERIC;
    int64_t items, grain;
    if (j.mode == COPY_TRANSPOSE) {
        j.tiles_p = (j.d.shape[j.p] + COPY_TILE - 1) / COPY_TILE;
        j.tiles_q = (j.d.shape[j.q] + COPY_TILE - 1) / COPY_TILE;
        items = j.d.shape[j.o[0]] * j.d.shape[j.o[1]] * j.tiles_p * j.tiles_q;
        grain = ia_grain_items(COPY_TILE * COPY_TILE, IA_GRAIN_CHEAP);
    } else {
        j.blocks = (j.n + COPY_BLOCK - 1) / COPY_BLOCK;
        items = rows * j.blocks;
        int64_t per = j.n < COPY_BLOCK ? j.n : COPY_BLOCK;
        grain = ia_grain_items(per, j.mode == COPY_GENERIC ? IA_GRAIN_HEAVY / 4 : 2 * IA_GRAIN_CHEAP);
    }
    ia_threadpool_parallel_for(cpu->pool, items, grain, copy_items, &j);
}

ia_status ia_cpu_copy(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    (void)err;
    copy_run(cpu, op->src[0], op->dst);
    return IA_OK;
}

ia_status ia_cpu_concat(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    int dim = op->p.concat.dim < 0 ? op->p.concat.dim + op->dst->ndim : op->p.concat.dim;
    int64_t off = 0;
    for (int i = 0; i < IA_OP_MAX_SRC && op->src[i]; i++) {
        ia_tensor part;
        ia_status st = ia_tensor_view_slice(op->dst, dim, off, op->src[i]->shape[dim], &part, err);
        if (st != IA_OK)
            return st;
        copy_run(cpu, op->src[i], &part);
        off += op->src[i]->shape[dim];
    }
    return IA_OK;
}

/* ----------------------------------------------------------------- pad */

typedef struct pad_job {
    ia_view4 d;
    float *dp;
    float value;
    int64_t lo[4], hi[4]; /* the interior [lo, hi) per (right-aligned) dimension */
} pad_job;

/* Fills every element of a dst row outside the interior. */
static void pad_rows(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const pad_job *j = ctx;
    const int64_t n = j->d.shape[3], sd = j->d.stride[3];
    for (int64_t r = begin; r < end; r++) {
        int64_t i2 = r % j->d.shape[2], i1 = r / j->d.shape[2] % j->d.shape[1];
        int64_t i0 = r / j->d.shape[2] / j->d.shape[1];
        bool inside = i0 >= j->lo[0] && i0 < j->hi[0] && i1 >= j->lo[1] && i1 < j->hi[1] &&
                      i2 >= j->lo[2] && i2 < j->hi[2];
        float *d = j->dp + ia_view4_row_offset(&j->d, r);
        for (int64_t i = 0; i < n; i++)
            if (!inside || i < j->lo[3] || i >= j->hi[3])
                d[i * sd] = j->value;
    }
}

ia_status ia_cpu_pad(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    const ia_tensor *src = op->src[0];
    pad_job j = {.d = ia_view4_of(op->dst), .dp = op->dst->data, .value = op->p.pad.value};
    ia_tensor interior = *op->dst;
    int pad = 4 - src->ndim;
    for (int d = 0; d < 4; d++) {
        j.lo[d] = d < pad ? 0 : op->p.pad.before[d - pad];
        j.hi[d] = d < pad ? 1 : j.lo[d] + src->shape[d - pad];
        if (d >= pad) {
            ia_tensor cut;
            ia_status st = ia_tensor_view_slice(&interior, d - pad, j.lo[d], src->shape[d - pad],
                                                &cut, err);
            if (st != IA_OK)
                return st;
            interior = cut;
        }
    }
    int64_t rows = ia_view4_rows(&j.d);
    if (rows > 0 && j.d.shape[3] > 0)
        ia_threadpool_parallel_for(cpu->pool, rows, ia_grain_items(j.d.shape[3], 2 * IA_GRAIN_CHEAP),
                                   pad_rows, &j);
    copy_run(cpu, src, &interior);
    return IA_OK;
}

/* ----------------------------------------------------------- embedding */

typedef struct embed_job {
    ia_cpu_isa isa;
    const ia_tensor *table, *ids, *dst;
    int64_t D;
} embed_job;

static void embed_items(void *ctx, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    const embed_job *j = ctx;
    const ia_tensor *ids = j->ids, *t = j->table, *dst = j->dst;
    const int64_t es = (int64_t)ia_dtype_size(t->dtype), sd = dst->stride[dst->ndim - 1];
    for (int64_t k = begin; k < end; k++) {
        /* Unravel k over ids' shape: the same index addresses ids and the
         * leading dimensions of dst. */
        int64_t rest = k, ioff = 0, doff = 0;
        for (int d = ids->ndim - 1; d >= 0; d--) {
            int64_t i = rest % ids->shape[d];
            rest /= ids->shape[d];
            ioff += i * ids->stride[d];
            doff += i * dst->stride[d];
        }
        int64_t id = ids->dtype == IA_DTYPE_I32 ? ((const int32_t *)ids->data)[ioff]
                                                : ((const int64_t *)ids->data)[ioff];
        const char *row = (const char *)t->data + id * t->stride[0] * es;
        float *d = (float *)dst->data + doff;
        if (sd == 1) {
            ia_cpu_to_f32(j->isa, t->dtype, row, t->stride[1], d, j->D);
        } else {
            for (int64_t e = 0; e < j->D; e++) {
                float v;
                ia_cpu_to_f32(IA_CPU_ISA_PORTABLE, t->dtype, row + e * t->stride[1] * es, 1, &v, 1);
                d[e * sd] = v;
            }
        }
    }
}

ia_status ia_cpu_embedding(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    ia_status st = ia_embedding_check_ids(op, err);
    if (st != IA_OK)
        return st;
    embed_job j = {.isa = cpu->isa, .table = op->src[0], .ids = op->src[1], .dst = op->dst,
                   .D = op->src[0]->shape[1]};
    int64_t n = ia_tensor_numel(j.ids);
    if (n > 0 && j.D > 0)
        ia_threadpool_parallel_for(cpu->pool, n, ia_grain_items(j.D, IA_GRAIN_CHEAP), embed_items, &j);
    return IA_OK;
}
