/* IA_OP_ATTENTION on every CPU ISA against the reference: odd sizes and
 * tails, grouped-query heads, causal with a KV cache (Sq < Sk), sliding
 * windows, BOOL and additive masks, strided q/k/v views, fully masked rows;
 * the exp approximation's error; rejected shapes; and scratch that does not
 * grow on a second run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/cpu/simd.h"
#include "engine/engine_internal.h"
#include "op_test_support.h"

/* F32 kernels against a double reference: a few ulps of relative error. */
#define ATT_NMSE 1e-10

typedef enum mask_kind {
    MASK_NONE,
    MASK_KEY_PADDING, /* BOOL [B, 1, 1, Sk] */
    MASK_ADD_2D,      /* F32 [1, 1, Sq, Sk] */
    MASK_ADD_FULL,    /* F32 [B, Hq, Sq, Sk] */
    MASK_BOOL_ROWS,   /* BOOL [B, 1, Sq, Sk] with some rows all false */
    MASK_ADD_NEGINF,  /* F32 [B, 1, Sq, Sk] with -inf entries and whole -inf rows */
} mask_kind;

typedef struct att_case {
    int64_t B, Hq, Hkv, Sq, Sk, D, Dv;
    bool causal;
    int window;
    float scale;
    mask_kind mask;
    bool strided; /* q, k, v as permuted views of [B, S, H, D] */
} att_case;

/* A [B, H, S, D] tensor, contiguous or a view of a contiguous [B, S, H, D]
 * one (the layout a QKV projection leaves); *storage owns the memory. */
static ia_tensor make_qkv(test_rng *rng, int64_t B, int64_t H, int64_t S, int64_t D, bool strided,
                          ia_tensor *storage)
{
    ia_error err;
    if (!strided) {
        *storage = random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){B, H, S, D}, -1, 1);
        return *storage;
    }
    *storage = random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){B, S, H, D}, -1, 1);
    ia_tensor view;
    if (ia_tensor_view_permute(storage, (const int[]){0, 2, 1, 3}, &view, &err) != IA_OK)
        fail_msg("%s", err.message);
    return view;
}

static ia_tensor make_mask(test_rng *rng, const att_case *c)
{
    const int64_t B = c->B, H = c->Hq, Sq = c->Sq, Sk = c->Sk;
    ia_tensor m;
    switch (c->mask) {
    case MASK_KEY_PADDING: {
        m = zero_tensor(IA_DTYPE_BOOL, 4, (int64_t[]){B, 1, 1, Sk});
        uint8_t *p = m.data;
        for (int64_t b = 0; b < B; b++) { /* batch b keeps its first len keys */
            int64_t len = b == 0 ? Sk : rng_int(rng, 1, Sk);
            for (int64_t j = 0; j < Sk; j++)
                p[b * Sk + j] = j < len;
        }
        return m;
    }
    case MASK_ADD_2D:
        return random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){1, 1, Sq, Sk}, -3, 3);
    case MASK_ADD_FULL:
        return random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){B, H, Sq, Sk}, -3, 3);
    case MASK_BOOL_ROWS: {
        m = random_tensor(rng, IA_DTYPE_BOOL, 4, (int64_t[]){B, 1, Sq, Sk}, 0, 1);
        uint8_t *p = m.data;
        for (int64_t r = 0; r < B * Sq; r += 3) /* every third row hides every key */
            memset(p + r * Sk, 0, (size_t)Sk);
        return m;
    }
    case MASK_ADD_NEGINF: {
        m = random_tensor(rng, IA_DTYPE_F32, 4, (int64_t[]){B, 1, Sq, Sk}, -2, 2);
        float *p = m.data;
        for (int64_t r = 0; r < B * Sq; r++)
            for (int64_t j = 0; j < Sk; j++)
                if (r % 4 == 1 || rng_int(rng, 0, 2) == 0)
                    p[r * Sk + j] = -INFINITY;
        return m;
    }
    case MASK_NONE: break;
    }
    return (ia_tensor){0};
}

static void run_case(test_rng *rng, const att_case *c)
{
    ia_tensor qs, ks, vs;
    ia_tensor q = make_qkv(rng, c->B, c->Hq, c->Sq, c->D, c->strided, &qs);
    ia_tensor k = make_qkv(rng, c->B, c->Hkv, c->Sk, c->D, c->strided, &ks);
    ia_tensor v = make_qkv(rng, c->B, c->Hkv, c->Sk, c->Dv, c->strided, &vs);
    ia_tensor mask = make_mask(rng, c);
    ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, 4, (int64_t[]){c->B, c->Hq, c->Sq, c->Dv}, NULL);
    ia_op op = {.type = IA_OP_ATTENTION, .src = {&q, &k, &v, c->mask ? &mask : NULL}, .dst = &dst};
    op.p.attention.causal = c->causal;
    op.p.attention.window = c->window;
    op.p.attention.scale = c->scale;
    char label[160];
    snprintf(label, sizeof label,
             "B%lld Hq%lld Hkv%lld Sq%lld Sk%lld D%lld Dv%lld causal%d window%d mask%d strided%d",
             (long long)c->B, (long long)c->Hq, (long long)c->Hkv, (long long)c->Sq,
             (long long)c->Sk, (long long)c->D, (long long)c->Dv, c->causal, c->window, c->mask,
             c->strided);
    check_op_all_backends(&op, ATT_NMSE, label);
    ia_tensor_free(&qs);
    ia_tensor_free(&ks);
    ia_tensor_free(&vs);
    if (c->mask)
        ia_tensor_free(&mask);
}

/* Random shapes from the sizes that exercise the blocks' tails. */
static void test_random_shapes(void **state)
{
    (void)state;
    static const int64_t seqs[] = {1, 7, 33, 129, 200};
    static const int64_t dims[] = {8, 32, 64, 80, 128};
    static const int64_t ratios[] = {1, 2, 4};
    test_rng rng;
    rng_seed(&rng, 11);
    int done = 0;
    while (done < 32) {
        att_case c = {
            .B = rng_int(&rng, 1, 2),
            .Sq = seqs[rng_int(&rng, 0, 4)],
            .Sk = seqs[rng_int(&rng, 0, 4)],
            .D = dims[rng_int(&rng, 0, 4)],
            .causal = rng_int(&rng, 0, 1),
            .mask = (mask_kind)rng_int(&rng, 0, 5),
            .strided = rng_int(&rng, 0, 1),
        };
        const int64_t ratio = ratios[rng_int(&rng, 0, 2)];
        c.Hkv = rng_int(&rng, 1, 8 / ratio);
        c.Hq = c.Hkv * ratio;
        c.Dv = rng_int(&rng, 0, 3) ? c.D : dims[rng_int(&rng, 0, 4)];
        if (c.Sq > c.Sk && c.causal)
            c.Sq = c.Sk; /* Sq > Sk under causal is covered by test_fully_masked */
        if (rng_int(&rng, 0, 3) == 0)
            c.window = (int)rng_int(&rng, 1, 40);
        /* Keep the reference's work (and the test's time) bounded. */
        if (c.B * c.Hq * c.Sq * c.Sk * (c.D + c.Dv) > 8000000)
            continue;
        run_case(&rng, &c);
        done++;
    }
}

/* The cases named in the design, each once. */
static void test_named_cases(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 5);
    const att_case cases[] = {
        /* KV cache: a chunk of 7 and 33 new queries over 200 keys, causal. */
        {.B = 1, .Hq = 4, .Hkv = 2, .Sq = 7, .Sk = 200, .D = 64, .Dv = 64, .causal = true},
        {.B = 2, .Hq = 2, .Hkv = 2, .Sq = 33, .Sk = 129, .D = 32, .Dv = 32, .causal = true,
         .mask = MASK_KEY_PADDING},
        /* Decode: one query, GQA 4 (dot-product path) and 8 (packed path). */
        {.B = 2, .Hq = 8, .Hkv = 2, .Sq = 1, .Sk = 200, .D = 128, .Dv = 128, .causal = true,
         .mask = MASK_KEY_PADDING, .strided = true},
        {.B = 1, .Hq = 8, .Hkv = 1, .Sq = 1, .Sk = 129, .D = 80, .Dv = 80},
        /* Decode over a long cache with fewer kv heads than threads: the keys
         * are split between threads (when the pool has more than one) and
         * merged, with padding, windows and rows that see nothing. */
        {.B = 1, .Hq = 4, .Hkv = 1, .Sq = 1, .Sk = 700, .D = 64, .Dv = 64, .causal = true,
         .mask = MASK_KEY_PADDING},
        {.B = 1, .Hq = 8, .Hkv = 1, .Sq = 2, .Sk = 520, .D = 32, .Dv = 48, .causal = true,
         .window = 300, .strided = true},
        {.B = 1, .Hq = 1, .Hkv = 1, .Sq = 3, .Sk = 600, .D = 16, .Dv = 16,
         .mask = MASK_BOOL_ROWS},
        /* Sliding window with and without causal, Sq < Sk. */
        {.B = 1, .Hq = 2, .Hkv = 1, .Sq = 129, .Sk = 200, .D = 32, .Dv = 32, .causal = true,
         .window = 16},
        {.B = 1, .Hq = 1, .Hkv = 1, .Sq = 33, .Sk = 129, .D = 8, .Dv = 8, .window = 70},
        /* Additive masks, both broadcast shapes, with an explicit scale. */
        {.B = 2, .Hq = 3, .Hkv = 3, .Sq = 33, .Sk = 33, .D = 64, .Dv = 64, .scale = 0.3f,
         .mask = MASK_ADD_2D, .strided = true},
        {.B = 2, .Hq = 4, .Hkv = 1, .Sq = 7, .Sk = 129, .D = 64, .Dv = 32,
         .mask = MASK_ADD_FULL},
        /* Dv unlike D and not a multiple of 16. */
        {.B = 1, .Hq = 2, .Hkv = 1, .Sq = 65, .Sk = 70, .D = 24, .Dv = 40, .causal = true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_case(&rng, &cases[i]);
}

/* Rows with no visible key are zeros on every backend, the reference
 * included: BOOL rows all false, -inf rows, causal with Sq > Sk. */
static void test_fully_masked(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 9);
    const att_case cases[] = {
        {.B = 2, .Hq = 4, .Hkv = 2, .Sq = 13, .Sk = 70, .D = 32, .Dv = 32, .mask = MASK_BOOL_ROWS},
        {.B = 2, .Hq = 2, .Hkv = 1, .Sq = 9, .Sk = 33, .D = 16, .Dv = 16, .mask = MASK_ADD_NEGINF},
        {.B = 1, .Hq = 2, .Hkv = 2, .Sq = 40, .Sk = 7, .D = 32, .Dv = 32, .causal = true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_case(&rng, &cases[i]);

    /* And the zeros themselves, on each CPU ISA: causal, Sq = 5 > Sk = 2, so
     * queries 0..2 (positions -3..-1) see nothing. */
    ia_tensor q = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 1, 5, 8}, -1, 1);
    ia_tensor k = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 1, 2, 8}, -1, 1);
    ia_tensor v = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 1, 2, 8}, 1, 2);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, 4, (int64_t[]){1, 1, 5, 8});
    ia_op op = {.type = IA_OP_ATTENTION, .src = {&q, &k, &v}, .dst = &dst};
    op.p.attention.causal = true;
    test_backend list[8];
    int n = test_backends_create(list, 8);
    for (int b = 0; b < n; b++) {
        ia_error err;
        for (int64_t i = 0; i < 40; i++)
            ((float *)dst.data)[i] = NAN;
        assert_int_equal(ia_backend_compute(list[b].backend, &op, &err), IA_OK);
        const float *o = dst.data;
        for (int64_t i = 0; i < 3 * 8; i++)
            assert_true(o[i] == 0.0f);
        for (int64_t i = 3 * 8; i < 5 * 8; i++)
            assert_true(o[i] >= 1.0f && o[i] <= 2.0f); /* a mean of v's values */
    }
    test_backends_free(list, n);
    ia_tensor_free(&q);
    ia_tensor_free(&k);
    ia_tensor_free(&v);
    ia_tensor_free(&dst);
}

/* The vector exp the kernels use (cpu/simd.h's, shared with softmax):
 * relative error under 1e-6 over the softmax's range, exact 0 for -inf and
 * far below the range, and 1 for 0. */
static void test_exp_accuracy(void **state)
{
    (void)state;
    enum { N = 200003 };
    static float x[N], y[N];
    for (int i = 0; i < N; i++)
        x[i] = -87.0f * (float)i / (N - 1);
    x[N - 1] = -INFINITY;
    x[N - 2] = -1e30f;
    static const ia_cpu_isa isas[] = {IA_CPU_ISA_PORTABLE, IA_CPU_ISA_AVX2, IA_CPU_ISA_AVX512};
    for (size_t k = 0; k < 3; k++) {
        ia_error err;
        ia_cpu_options opts = {.isa = isas[k]};
        ia_backend *be = ia_backend_cpu_create(&opts, &err);
        if (!be)
            continue; /* this CPU lacks the ISA */
        ia_backend_free(be);
        ia_cpu_exp_array(isas[k], x, y, N);
        double worst = 0;
        for (int i = 0; i < N - 2; i++) {
            double want = exp((double)x[i]);
            double rel = fabs(y[i] - want) / want;
            if (rel > worst)
                worst = rel;
        }
        printf("exp on %s: max relative error %.3g over [-87, 0]\n", ia_cpu_isa_name(isas[k]), worst);
        assert_true(worst < 1e-6);
        assert_true(y[0] == 1.0f);
        assert_true(y[N - 1] == 0.0f && y[N - 2] == 0.0f);
    }
}

static void test_rejected(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 3);
    ia_tensor q = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 3, 4, 8}, -1, 1);
    ia_tensor k = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 2, 5, 8}, -1, 1);
    ia_tensor v = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 2, 5, 8}, -1, 1);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, 4, (int64_t[]){1, 3, 4, 8});
    ia_op op = {.type = IA_OP_ATTENTION, .src = {&q, &k, &v}, .dst = &dst};
    check_op_rejected(&op, IA_ERR_INVALID, "Hq 3 not a multiple of Hkv 2");

    ia_tensor q4 = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 4, 4, 16}, -1, 1);
    ia_tensor dst4 = zero_tensor(IA_DTYPE_F32, 4, (int64_t[]){1, 4, 4, 8});
    op.src[0] = &q4;
    op.dst = &dst4;
    check_op_rejected(&op, IA_ERR_INVALID, "D of q 16, of k 8");

    ia_tensor q4b = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 4, 4, 8}, -1, 1);
    op.src[0] = &q4b;
    ia_tensor bad_mask = zero_tensor(IA_DTYPE_BOOL, 4, (int64_t[]){1, 1, 1, 4});
    op.src[3] = &bad_mask;
    check_op_rejected(&op, IA_ERR_INVALID, "mask [1, 1, 1, 4] against Sk 5");
    ia_tensor i32_mask = zero_tensor(IA_DTYPE_I32, 4, (int64_t[]){1, 1, 1, 5});
    op.src[3] = &i32_mask;
    check_op_rejected(&op, IA_ERR_INVALID, "I32 mask");
    op.src[3] = NULL;

    ia_tensor dst_bad = zero_tensor(IA_DTYPE_F32, 4, (int64_t[]){1, 4, 5, 8});
    op.dst = &dst_bad;
    check_op_rejected(&op, IA_ERR_INVALID, "dst with Sk rows");

    ia_error err;
    op.dst = &dst4;
    assert_int_equal(ia_op_check(&op, &err), IA_OK);
    ia_tensor vb = random_tensor(&rng, IA_DTYPE_F32, 4, (int64_t[]){1, 2, 6, 8}, -1, 1);
    op.src[2] = &vb;
    assert_int_equal(ia_op_check(&op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "attention"));
    assert_non_null(strstr(err.message, "v (src2)"));

    ia_tensor *all[] = {&q, &k, &v, &dst, &q4, &dst4, &q4b, &bad_mask, &i32_mask, &dst_bad, &vb};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        ia_tensor_free(all[i]);
}

/* A big attention twice on one CPU backend: the second run finds every
 * per-thread scratch buffer big enough, so none is replaced or grown (the
 * backend's ia_cpu_ctx is visible to tests through engine_internal.h). */
static void test_scratch_reused(void **state)
{
    (void)state;
    test_rng rng;
    rng_seed(&rng, 21);
    const int64_t shape[4] = {1, 4, 512, 64};
    ia_tensor q = random_tensor(&rng, IA_DTYPE_F32, 4, shape, -1, 1);
    ia_tensor k = random_tensor(&rng, IA_DTYPE_F32, 4, shape, -1, 1);
    ia_tensor v = random_tensor(&rng, IA_DTYPE_F32, 4, shape, -1, 1);
    ia_tensor d1 = zero_tensor(IA_DTYPE_F32, 4, shape), d2 = zero_tensor(IA_DTYPE_F32, 4, shape);
    ia_op op = {.type = IA_OP_ATTENTION, .src = {&q, &k, &v}, .dst = &d1};
    op.p.attention.causal = true;
    ia_error err;
    ia_backend *be = ia_backend_cpu_create(NULL, &err);
    assert_non_null(be);
    const ia_cpu_ctx *cpu = be->ctx;
    assert_int_equal(ia_backend_compute(be, &op, &err), IA_OK);

    enum { MAXT = 256 };
    void *ptr[MAXT];
    size_t size[MAXT];
    const int n = cpu->scratch_count < MAXT ? cpu->scratch_count : MAXT;
    for (int t = 0; t < n; t++) {
        ptr[t] = cpu->scratch[t];
        size[t] = cpu->scratch_size[t];
        assert_true(size[t] > 0); /* every thread's buffer is sized before the job */
    }
    op.dst = &d2;
    assert_int_equal(ia_backend_compute(be, &op, &err), IA_OK);
    for (int t = 0; t < n; t++) {
        assert_ptr_equal(cpu->scratch[t], ptr[t]);
        assert_int_equal(cpu->scratch_size[t], size[t]);
    }
    /* Same input, same blocks: the same bits. */
    assert_memory_equal(d1.data, d2.data, ia_tensor_nbytes(&d1));
    ia_backend_free(be);
    ia_tensor *all[] = {&q, &k, &v, &d1, &d2};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        ia_tensor_free(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_accuracy),     cmocka_unit_test(test_named_cases),
        cmocka_unit_test(test_fully_masked),     cmocka_unit_test(test_random_shapes),
        cmocka_unit_test(test_rejected),         cmocka_unit_test(test_scratch_reused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
