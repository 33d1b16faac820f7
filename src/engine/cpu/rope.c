/* CPU kernel of ROPE. The threads share the (batch, position) pairs: each
 * computes its position's cos and sin once (sincosf of the float angle,
 * see src/engine/ops_rope.c for how the angles match transformers) into
 * per-thread scratch, then rotates that position in every head. Rows whose
 * inner stride is 1 rotate with SIMD: rotate-half as two half-rows, and
 * interleaved as x * cos + swap_pairs(x) * (-sin, +sin). Other strides take
 * a scalar loop. Each pair is loaded before it is stored, so dst == src0
 * works; the dimensions past rotary_dim are copied unless in place. */
#include "engine/cpu/simd.h"

typedef struct rope_job {
    ia_cpu_isa isa;
    bool interleaved;
    int64_t B, H, S, D, rd;
    ia_view4 x, y;
    const float *xp;
    float *yp;
    const ia_tensor *pos;
    int64_t offset;
    const float *inv_freq;
    void **scratch;
    size_t table_offset; /* bytes before the tables in each scratch buffer */
} rope_job;

/* Rotation of one contiguous row by tables c and s. Rotate-half: c and s
 * have rd/2 entries. Interleaved: c and s have rd entries, c duplicated
 * per pair and s as (-sin, +sin). */
static void rotate_portable(bool interleaved, float *y, const float *x, int64_t rd,
                            const float *c, const float *s)
{
    int64_t h = rd / 2;
    for (int64_t i = 0; i < h; i++) {
        int64_t i0 = interleaved ? 2 * i : i, i1 = interleaved ? 2 * i + 1 : i + h;
        float cc = interleaved ? c[2 * i] : c[i], ss = interleaved ? s[2 * i + 1] : s[i];
        float x0 = x[i0], x1 = x[i1];
        y[i0] = x0 * cc - x1 * ss;
        y[i1] = x1 * cc + x0 * ss;
    }
}

#if IA_X86
IA_TARGET_AVX512 static void rotate_avx512(bool interleaved, float *y, const float *x, int64_t rd,
                                           const float *c, const float *s)
{
    if (interleaved) {
        for (int64_t i = 0; i < rd; i += 16) {
            __mmask16 k = rd - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(rd - i);
            __m512 v = _mm512_maskz_loadu_ps(k, x + i);
            __m512 sw = _mm512_permute_ps(v, 0xB1); /* (x1, x0) per pair */
            __m512 r = _mm512_fmadd_ps(sw, _mm512_maskz_loadu_ps(k, s + i),
                                       _mm512_mul_ps(v, _mm512_maskz_loadu_ps(k, c + i)));
            _mm512_mask_storeu_ps(y + i, k, r);
        }
        return;
    }
    int64_t h = rd / 2;
    for (int64_t i = 0; i < h; i += 16) {
        __mmask16 k = h - i >= 16 ? (__mmask16)0xffff : ia_tail_mask16(h - i);
        __m512 x0 = _mm512_maskz_loadu_ps(k, x + i), x1 = _mm512_maskz_loadu_ps(k, x + h + i);
        __m512 cc = _mm512_maskz_loadu_ps(k, c + i), ss = _mm512_maskz_loadu_ps(k, s + i);
        __m512 y0 = _mm512_fnmadd_ps(x1, ss, _mm512_mul_ps(x0, cc));
        __m512 y1 = _mm512_fmadd_ps(x0, ss, _mm512_mul_ps(x1, cc));
        _mm512_mask_storeu_ps(y + i, k, y0);
        _mm512_mask_storeu_ps(y + h + i, k, y1);
    }
}

IA_TARGET_AVX2 static void rotate_avx2(bool interleaved, float *y, const float *x, int64_t rd,
                                       const float *c, const float *s)
{
    int64_t i = 0;
    if (interleaved) {
        for (; i + 8 <= rd; i += 8) {
            __m256 v = _mm256_loadu_ps(x + i);
            __m256 sw = _mm256_permute_ps(v, 0xB1);
            __m256 r = _mm256_fmadd_ps(sw, _mm256_loadu_ps(s + i),
                                       _mm256_mul_ps(v, _mm256_loadu_ps(c + i)));
            _mm256_storeu_ps(y + i, r);
        }
        rotate_portable(true, y + i, x + i, rd - i, c + i, s + i);
        return;
    }
    int64_t h = rd / 2;
    for (; i + 8 <= h; i += 8) {
        __m256 x0 = _mm256_loadu_ps(x + i), x1 = _mm256_loadu_ps(x + h + i);
        __m256 cc = _mm256_loadu_ps(c + i), ss = _mm256_loadu_ps(s + i);
        _mm256_storeu_ps(y + i, _mm256_fnmadd_ps(x1, ss, _mm256_mul_ps(x0, cc)));
        _mm256_storeu_ps(y + h + i, _mm256_fmadd_ps(x0, ss, _mm256_mul_ps(x1, cc)));
    }
    for (; i < h; i++) {
        float x0 = x[i], x1 = x[h + i];
        y[i] = x0 * c[i] - x1 * s[i];
        y[h + i] = x1 * c[i] + x0 * s[i];
    }
}
#endif

static void rotate_strided(bool interleaved, float *y, int64_t sy, const float *x, int64_t sx,
                           int64_t rd, const float *c, const float *s)
{
    int64_t h = rd / 2;
    for (int64_t i = 0; i < h; i++) {
        int64_t i0 = interleaved ? 2 * i : i, i1 = interleaved ? 2 * i + 1 : i + h;
        float cc = interleaved ? c[2 * i] : c[i], ss = interleaved ? s[2 * i + 1] : s[i];
        float x0 = x[i0 * sx], x1 = x[i1 * sx];
        y[i0 * sy] = x0 * cc - x1 * ss;
        y[i1 * sy] = x1 * cc + x0 * ss;
    }
}

static int64_t position_of(const rope_job *j, int64_t b, int64_t s)
{
    if (!j->pos)
        return j->offset + s;
    const ia_tensor *p = j->pos;
    int64_t off = p->ndim == 1 ? s * p->stride[0] : b * p->stride[0] + s * p->stride[1];
    if (p->dtype == IA_DTYPE_I32)
        return ((const int32_t *)p->data)[off];
    return ((const int64_t *)p->data)[off];
}

static void rope_items(void *ctx, int64_t begin, int64_t end, int thread)
{
    const rope_job *j = ctx;
    const int64_t half = j->rd / 2, n = j->interleaved ? j->rd : half;
    float *c = (float *)((char *)j->scratch[thread] + j->table_offset), *s = c + n;
    const int64_t sx = j->x.stride[3], sy = j->y.stride[3];
    for (int64_t item = begin; item < end; item++) {
        int64_t b = item / j->S, si = item % j->S;
        float p = (float)position_of(j, b, si);
        for (int64_t i = 0; i < half; i++) {
            float sn, cs;
            sincosf(p * j->inv_freq[i], &sn, &cs);
            if (j->interleaved) {
                c[2 * i] = c[2 * i + 1] = cs;
                s[2 * i] = -sn;
                s[2 * i + 1] = sn;
            } else {
                c[i] = cs;
                s[i] = sn;
            }
        }
        for (int64_t h = 0; h < j->H; h++) {
            const float *x = j->xp + b * j->x.stride[0] + h * j->x.stride[1] + si * j->x.stride[2];
            float *y = j->yp + b * j->y.stride[0] + h * j->y.stride[1] + si * j->y.stride[2];
            if (sx == 1 && sy == 1) {
                switch (j->isa) {
#if IA_X86
                case IA_CPU_ISA_AVX512: rotate_avx512(j->interleaved, y, x, j->rd, c, s); break;
                case IA_CPU_ISA_AVX2: rotate_avx2(j->interleaved, y, x, j->rd, c, s); break;
#endif
                default: rotate_portable(j->interleaved, y, x, j->rd, c, s); break;
                }
            } else {
                rotate_strided(j->interleaved, y, sy, x, sx, j->rd, c, s);
            }
            if (x != y || sx != sy)
                for (int64_t i = j->rd; i < j->D; i++)
                    y[i * sy] = x[i * sx];
        }
    }
}

ia_status ia_cpu_rope(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err)
{
    const ia_tensor *x = op->src[0];
    rope_job j = {.isa = cpu->isa, .interleaved = op->p.rope.interleaved, .pos = op->src[1],
                  .offset = op->p.rope.position_offset};
    j.B = x->shape[0];
    j.H = x->shape[1];
    j.S = x->shape[2];
    j.D = x->shape[3];
    j.rd = op->p.rope.rotary_dim ? op->p.rope.rotary_dim : j.D;
    j.x = ia_view4_of(x);
    j.y = ia_view4_of(op->dst);
    j.xp = x->data;
    j.yp = op->dst->data;
    if (j.B * j.S == 0 || j.H == 0 || j.D == 0)
        return IA_OK;
    /* Scratch: inv_freq (thread 0 only, computed here), then each thread's
     * cos and sin tables (rd floats each). */
    int64_t half = j.rd / 2;
    j.table_offset = ((size_t)half * sizeof(float) + 63) / 64 * 64;
    size_t bytes = j.table_offset + 2 * (size_t)j.rd * sizeof(float);
    for (int t = 0; t < cpu->scratch_count; t++)
        if (!ia_cpu_scratch(cpu, t, bytes))
            return ia_error_set(err, IA_ERR_NOMEM, "rope: out of memory for tables");
    j.scratch = cpu->scratch;
    float *inv = cpu->scratch[0];
    float scaling = op->p.rope.scaling != 0.0f ? op->p.rope.scaling : 1.0f;
    for (int64_t i = 0; i < half; i++) {
        float e = (float)(2 * i) / (float)j.rd;
        inv[i] = (1.0f / (float)pow((double)op->p.rope.theta, (double)e)) / scaling;
    }
    j.inv_freq = inv;
    int64_t per_item = j.H * j.D + 8 * half; /* a sincosf costs about 8 elements */
    ia_threadpool_parallel_for(cpu->pool, j.B * j.S, ia_grain_items(per_item, IA_GRAIN_CHEAP),
                               rope_items, &j);
    return IA_OK;
}
