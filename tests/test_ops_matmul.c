/* IA_OP_MATMUL on every CPU ISA x {own kernels, OpenBLAS} against the
 * reference: odd sizes and tails, both weight layouts, F16/BF16 weights,
 * bias and alpha, batches with broadcasting, strided operands and
 * destinations, decode shapes; and the shapes the check must refuse.
 *
 * The bound: every path accumulates in F32 while the reference sums in
 * double, so a product of K terms carries a rounding error of about
 * sqrt(K) * 2^-24 of its magnitude (blocked sums grow no faster), an NMSE of
 * about K * 2^-48 ~ 1e-11 at K = 3072. F16/BF16 weights and biases convert
 * to F32 exactly, so they meet the same bound. 1e-10 leaves a margin of ten
 * for unlucky sums, while a wrong index, a missed tail or a lost bias gives
 * an NMSE near 1e-3 or above. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/cpu/gemm.h"
#include "op_test_support.h"

#define F32_BOUND 1e-10

typedef struct mm_case {
    int nda, ndb;
    int64_t sa[4], sb[4]; /* src0 and src1 shapes as stored */
    ia_dtype bdtype;
    bool bt;
    bool bias;
    ia_dtype bias_dtype;
    float alpha;
} mm_case;

/* dst's shape for a case: broadcast batch dimensions, then M and N. */
static int dst_shape(const mm_case *c, int64_t *out)
{
    int nd = c->nda > c->ndb ? c->nda : c->ndb;
    for (int i = 0; i < nd - 2; i++) {
        int da = c->nda - 3 - i, db = c->ndb - 3 - i;
        int64_t a = da >= 0 ? c->sa[da] : 1, b = db >= 0 ? c->sb[db] : 1;
        out[nd - 3 - i] = a > b ? a : b;
    }
    out[nd - 2] = c->sa[c->nda - 2];
    out[nd - 1] = c->bt ? c->sb[c->ndb - 2] : c->sb[c->ndb - 1];
    return nd;
}

static int64_t case_n(const mm_case *c) { return c->bt ? c->sb[c->ndb - 2] : c->sb[c->ndb - 1]; }

/* Runs one case with contiguous operands, seeded by its own label. */
static void run_case(const mm_case *c, const char *label)
{
    test_rng r;
    rng_seed(&r, 1 + strlen(label) * 7919 + (uint64_t)c->sa[c->nda - 1]);
    ia_tensor a = random_tensor(&r, IA_DTYPE_F32, c->nda, c->sa, -1, 1);
    ia_tensor b = random_tensor(&r, c->bdtype, c->ndb, c->sb, -1, 1);
    int64_t n = case_n(c);
    ia_tensor bias = random_tensor(&r, c->bias_dtype, 1, &n, -2, 2);
    int64_t ds[4];
    int nd = dst_shape(c, ds);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, nd, ds);
    ia_op op = {.type = IA_OP_MATMUL, .src = {&a, &b, c->bias ? &bias : NULL}, .dst = &dst};
    op.p.matmul.b_transposed = c->bt;
    op.p.matmul.alpha = c->alpha;
    check_op_all_backends(&op, F32_BOUND, label);
    ia_tensor_free(&a);
    ia_tensor_free(&b);
    ia_tensor_free(&bias);
    ia_tensor_free(&dst);
}

static mm_case case_2d(int64_t M, int64_t K, int64_t N, bool bt)
{
    mm_case c = {.nda = 2, .ndb = 2, .sa = {M, K}, .bdtype = IA_DTYPE_F32, .bt = bt,
                 .bias_dtype = IA_DTYPE_F32};
    c.sb[0] = bt ? N : K;
    c.sb[1] = bt ? K : N;
    return c;
}

/* Every M, N, K from sizes that hit full tiles, tails and single rows. */
static void test_sizes(void **state)
{
    (void)state;
    static const int64_t sizes[] = {1, 7, 33, 129};
    char label[96];
    int i = 0;
    for (int m = 0; m < 4; m++)
        for (int k = 0; k < 4; k++)
            for (int n = 0; n < 4; n++, i++) {
                bool bt = (i % 2) == 0;
                mm_case c = case_2d(sizes[m], sizes[k], sizes[n], bt);
                c.bias = (i % 3) == 0;
                snprintf(label, sizeof label, "%lldx%lldx%lld%s%s", (long long)sizes[m],
                         (long long)sizes[k], (long long)sizes[n], bt ? " bt" : "",
                         c.bias ? " bias" : "");
                run_case(&c, label);
            }
    /* Sizes around the register tiles (8/14 x 32, 6 x 16, 4 x 16) and the
     * k blocks (256, 384), both layouts. */
    static const int64_t odd[][3] = {{2, 17, 31}, {6, 64, 16}, {8, 100, 32}, {14, 257, 33},
                                     {15, 385, 65}, {64, 513, 96}, {97, 31, 200}, {3, 1, 5}};
    for (size_t j = 0; j < sizeof odd / sizeof *odd; j++)
        for (int bt = 0; bt < 2; bt++) {
            mm_case c = case_2d(odd[j][0], odd[j][1], odd[j][2], bt);
            c.bias = bt;
            snprintf(label, sizeof label, "odd %lldx%lldx%lld%s", (long long)odd[j][0],
                     (long long)odd[j][1], (long long)odd[j][2], bt ? " bt" : "");
            run_case(&c, label);
        }
}

/* A BERT-base projection, once: several k blocks and many tiles per thread. */
static void test_big(void **state)
{
    (void)state;
    mm_case c = case_2d(128, 768, 768, true);
    c.bias = true;
    run_case(&c, "128x768x768 bt bias");
}

static void test_weight_dtypes(void **state)
{
    (void)state;
    static const ia_dtype types[] = {IA_DTYPE_F16, IA_DTYPE_BF16};
    char label[96];
    for (int t = 0; t < 2; t++)
        for (int bt = 0; bt < 2; bt++) {
            for (int s = 0; s < 3; s++) {
                static const int64_t shapes[][3] = {{33, 70, 47}, {1, 300, 130}, {5, 31, 257}};
                mm_case c = case_2d(shapes[s][0], shapes[s][1], shapes[s][2], bt);
                c.bdtype = types[t];
                c.bias = s != 1;
                c.bias_dtype = types[1 - t];
                snprintf(label, sizeof label, "%s weight %lldx%lldx%lld%s", ia_dtype_name(types[t]),
                         (long long)shapes[s][0], (long long)shapes[s][1], (long long)shapes[s][2],
                         bt ? " bt" : "");
                run_case(&c, label);
            }
        }
}

static void test_alpha_bias(void **state)
{
    (void)state;
    mm_case c = case_2d(19, 45, 70, true);
    c.alpha = 0.125f;
    c.bias = true;
    run_case(&c, "alpha 0.125 with bias");
    c = case_2d(1, 64, 50, false);
    c.alpha = -3.0f;
    run_case(&c, "decode alpha -3");
    c = case_2d(20, 300, 40, false); /* two k blocks: alpha on each */
    c.alpha = 0.5f;
    c.bias = true;
    c.bias_dtype = IA_DTYPE_BF16;
    run_case(&c, "alpha 0.5, k blocks, bf16 bias");
    /* K = 0: the sum is empty and dst is the bias. */
    c = case_2d(3, 0, 9, true);
    c.bias = true;
    run_case(&c, "K = 0");
}

static void test_batched(void **state)
{
    (void)state;
    /* A 2-D weight for a 3-D input: folded into one tall product. */
    mm_case c = {.nda = 3, .ndb = 2, .sa = {2, 7, 33}, .sb = {40, 33}, .bdtype = IA_DTYPE_F32,
                 .bt = true, .bias = true, .bias_dtype = IA_DTYPE_F32};
    run_case(&c, "[2,7,33] x [40,33]^T");
    /* Equal batches, a weight per batch (attention's scores and context). */
    c = (mm_case){.nda = 3, .ndb = 3, .sa = {3, 17, 40}, .sb = {3, 40, 9}, .bdtype = IA_DTYPE_F32};
    run_case(&c, "[3,17,40] x [3,40,9]");
    c = (mm_case){.nda = 4, .ndb = 4, .sa = {2, 3, 9, 16}, .sb = {2, 3, 35, 16},
                  .bdtype = IA_DTYPE_F32, .bt = true, .alpha = 0.25f};
    run_case(&c, "[2,3,9,16] x [2,3,35,16]^T");
    /* Broadcast on either side, 4-D. */
    c = (mm_case){.nda = 4, .ndb = 4, .sa = {2, 3, 5, 16}, .sb = {1, 3, 16, 8}, .bdtype = IA_DTYPE_F16};
    run_case(&c, "[2,3,5,16] x [1,3,16,8]");
    c = (mm_case){.nda = 4, .ndb = 3, .sa = {2, 3, 5, 16}, .sb = {1, 16, 40}, .bdtype = IA_DTYPE_BF16,
                  .bias = true, .bias_dtype = IA_DTYPE_F32};
    run_case(&c, "[2,3,5,16] x [1,16,40]");
    c = (mm_case){.nda = 4, .ndb = 4, .sa = {1, 3, 6, 20}, .sb = {2, 1, 20, 33}, .bdtype = IA_DTYPE_F32};
    run_case(&c, "[1,3,6,20] x [2,1,20,33]");
    /* Decode steps: one row per batch, per-batch weights (not folded) and a
     * shared weight (folded into M = 4). */
    c = (mm_case){.nda = 3, .ndb = 3, .sa = {4, 1, 64}, .sb = {4, 48, 64}, .bdtype = IA_DTYPE_F32,
                  .bt = true};
    run_case(&c, "[4,1,64] x [4,48,64]^T");
    c = (mm_case){.nda = 3, .ndb = 2, .sa = {4, 1, 64}, .sb = {64, 48}, .bdtype = IA_DTYPE_F16};
    run_case(&c, "[4,1,64] x [64,48]");
}

/* Decode shapes, M = 1, with the real GPT-2 sizes once each; small batches. */
static void test_decode(void **state)
{
    (void)state;
    static const ia_dtype types[] = {IA_DTYPE_F32, IA_DTYPE_F16, IA_DTYPE_BF16};
    char label[96];
    for (int t = 0; t < 3; t++) {
        mm_case c = case_2d(1, 768, 2304, true);
        c.bdtype = types[t];
        c.bias = true;
        snprintf(label, sizeof label, "decode 1x768x2304 %s bt", ia_dtype_name(types[t]));
        run_case(&c, label);
        c = case_2d(1, 3072, 768, t != 1);
        c.bdtype = types[t];
        snprintf(label, sizeof label, "decode 1x3072x768 %s%s", ia_dtype_name(types[t]),
                 t != 1 ? " bt" : "");
        run_case(&c, label);
        /* Small batches through the same path: two to five rows. */
        for (int64_t m = 2; m <= 5; m++) {
            c = case_2d(m, 130, 70, (m % 2) == 0);
            c.bdtype = types[t];
            c.bias = m != 3;
            snprintf(label, sizeof label, "small batch %lldx130x70 %s%s", (long long)m,
                     ia_dtype_name(types[t]), c.bt ? " bt" : "");
            run_case(&c, label);
        }
        for (int64_t k = 1; k <= 67; k += 11) {
            c = case_2d(1, k, 19 + k, (k % 2) == 1);
            c.bdtype = types[t];
            c.bias = true;
            snprintf(label, sizeof label, "decode 1x%lldx%lld %s", (long long)k,
                     (long long)(19 + k), ia_dtype_name(types[t]));
            run_case(&c, label);
        }
    }
}

/* A permuted or sliced src0 or src1: inner strides other than 1. */
static void test_strided_sources(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 42);
    ia_error err;
    char label[64];
    for (int64_t M = 1; M <= 40; M += 39) {
        /* src0 [M, K] as the transpose of a [K, M] buffer: a_cs = M. */
        int64_t K = 37, N = 45;
        int64_t sat[2] = {K, M}, sb[2] = {N, K}, sd[2] = {M, N};
        ia_tensor at = random_tensor(&r, IA_DTYPE_F32, 2, sat, -1, 1);
        ia_tensor b = random_tensor(&r, IA_DTYPE_F32, 2, sb, -1, 1);
        ia_tensor dst = zero_tensor(IA_DTYPE_F32, 2, sd);
        ia_tensor a, bv;
        int perm[2] = {1, 0};
        assert_int_equal(ia_tensor_view_permute(&at, perm, &a, &err), IA_OK);
        ia_op op = {.type = IA_OP_MATMUL, .src = {&a, &b}, .dst = &dst};
        op.p.matmul.b_transposed = true;
        snprintf(label, sizeof label, "permuted src0, M = %lld", (long long)M);
        check_op_all_backends(&op, F32_BOUND, label);
        /* The same weight seen transposed: [K, N] with ns = K, not bt. */
        assert_int_equal(ia_tensor_view_permute(&b, perm, &bv, &err), IA_OK);
        op.src[1] = &bv;
        op.p.matmul.b_transposed = false;
        snprintf(label, sizeof label, "permuted src0 and src1, M = %lld", (long long)M);
        check_op_all_backends(&op, F32_BOUND, label);
        ia_tensor_free(&at);
        ia_tensor_free(&b);
        ia_tensor_free(&dst);
    }
    /* Attention's layout: [B, S, H, D] seen as [B, H, S, D] (unit inner
     * stride, odd batch strides), times a slice of a wider weight. */
    int64_t sq[4] = {2, 9, 3, 16}, sw[2] = {30, 20}, sd[4] = {2, 3, 9, 12};
    ia_tensor q = random_tensor(&r, IA_DTYPE_F32, 4, sq, -1, 1);
    ia_tensor w = random_tensor(&r, IA_DTYPE_BF16, 2, sw, -1, 1);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, 4, sd);
    ia_tensor qv, wv, wv2;
    int perm[4] = {0, 2, 1, 3};
    assert_int_equal(ia_tensor_view_permute(&q, perm, &qv, &err), IA_OK);
    assert_int_equal(ia_tensor_view_slice(&w, 0, 5, 12, &wv, &err), IA_OK);  /* [12, 20] */
    assert_int_equal(ia_tensor_view_slice(&wv, 1, 2, 16, &wv2, &err), IA_OK); /* [12, 16] */
    ia_op op = {.type = IA_OP_MATMUL, .src = {&qv, &wv2}, .dst = &dst};
    op.p.matmul.b_transposed = true;
    check_op_all_backends(&op, F32_BOUND, "permuted 4-D src0, sliced bf16 weight");
    ia_tensor_free(&q);
    ia_tensor_free(&w);
    ia_tensor_free(&dst);
}

/* dst as a strided view: check_op_all_backends writes contiguous
 * destinations, so this runs each backend itself. */
static void check_strided_dst(const ia_op *op, ia_tensor *view, const char *label)
{
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    ia_tensor want = zero_tensor(IA_DTYPE_F32, view->ndim, view->shape);
    ia_op r = *op;
    r.dst = &want;
    assert_int_equal(ia_backend_compute(ref, &r, &err), IA_OK);
    test_backend list[8];
    int n = test_backends_create(list, 8);
    for (int i = 0; i < n; i++) {
        ia_op o = *op;
        o.dst = view;
        if (ia_backend_compute(list[i].backend, &o, &err) != IA_OK)
            fail_msg("%s on %s: %s", label, list[i].label, err.message);
        double e = nmse(view, &want);
        if (!(e <= F32_BOUND))
            fail_msg("%s on %s: NMSE %.3g", label, list[i].label, e);
    }
    test_backends_free(list, n);
    ia_tensor_free(&want);
    ia_backend_free(ref);
}

static void test_strided_dst(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 7);
    ia_error err;
    char label[64];
    for (int i = 0; i < 4; i++) {
        /* M = 1 (GEMV) and 50 (GEMM), each with both weight layouts. */
        int64_t M = i < 2 ? 1 : 50, K = 70, N = 41;
        bool bt = i % 2 == 0;
        int64_t sa[2] = {M, K}, sb[2] = {bt ? N : K, bt ? K : N}, sbuf[2] = {N, M}, sn[1] = {N};
        ia_tensor a = random_tensor(&r, IA_DTYPE_F32, 2, sa, -1, 1);
        ia_tensor b = random_tensor(&r, IA_DTYPE_F16, 2, sb, -1, 1);
        ia_tensor bias = random_tensor(&r, IA_DTYPE_F32, 1, sn, -1, 1);
        ia_tensor buf = zero_tensor(IA_DTYPE_F32, 2, sbuf), view;
        int perm[2] = {1, 0};
        assert_int_equal(ia_tensor_view_permute(&buf, perm, &view, &err), IA_OK); /* [M, N], cs = M */
        ia_op op = {.type = IA_OP_MATMUL, .src = {&a, &b, &bias}, .dst = &view};
        op.p.matmul.b_transposed = bt;
        op.p.matmul.alpha = 2.0f;
        snprintf(label, sizeof label, "transposed dst, M = %lld%s", (long long)M, bt ? " bt" : "");
        check_strided_dst(&op, &view, label);
        ia_tensor_free(&a);
        ia_tensor_free(&b);
        ia_tensor_free(&bias);
        ia_tensor_free(&buf);
    }
    /* A column slice of a wider buffer: rows 100 apart, unit inner stride. */
    int64_t sa[3] = {2, 33, 40}, sb[2] = {40, 64}, sbuf[3] = {2, 33, 100};
    ia_tensor a = random_tensor(&r, IA_DTYPE_F32, 3, sa, -1, 1);
    ia_tensor b = random_tensor(&r, IA_DTYPE_F32, 2, sb, -1, 1);
    ia_tensor buf = zero_tensor(IA_DTYPE_F32, 3, sbuf), view;
    assert_int_equal(ia_tensor_view_slice(&buf, 2, 10, 64, &view, &err), IA_OK);
    ia_op op = {.type = IA_OP_MATMUL, .src = {&a, &b}, .dst = &view};
    check_strided_dst(&op, &view, "dst slice of a wider buffer");
    ia_tensor_free(&a);
    ia_tensor_free(&b);
    ia_tensor_free(&buf);
}

/* Shapes the check refuses, and the message a person reads. */
static void test_rejected(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 3);
    int64_t sa[3] = {2, 7, 32}, sb[2] = {48, 30}, sd[3] = {2, 7, 48}, s47[1] = {47}, sdw[3] = {2, 7, 40};
    ia_tensor a = random_tensor(&r, IA_DTYPE_F32, 3, sa, -1, 1);
    ia_tensor b = random_tensor(&r, IA_DTYPE_F16, 2, sb, -1, 1);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, 3, sd);
    ia_op op = {.type = IA_OP_MATMUL, .src = {&a, &b}, .dst = &dst};
    op.p.matmul.b_transposed = true;
    check_op_rejected(&op, IA_ERR_INVALID, "K mismatch");
    ia_error err;
    assert_int_equal(ia_op_check(&op, &err), IA_ERR_INVALID);
    assert_string_equal(err.message,
                        "matmul: src0 is [2, 7, 32] F32 but src1 is [48, 30] F16: K differs (32 vs 30)");

    int64_t sb2[2] = {48, 32};
    ia_tensor w = random_tensor(&r, IA_DTYPE_F32, 2, sb2, -1, 1);
    ia_tensor bias = random_tensor(&r, IA_DTYPE_F32, 1, s47, -1, 1);
    op.src[1] = &w;
    op.src[2] = &bias;
    check_op_rejected(&op, IA_ERR_INVALID, "bias length");
    assert_int_equal(ia_op_check(&op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "bias is [47] F32"));

    ia_tensor wrong = zero_tensor(IA_DTYPE_F32, 3, sdw);
    op.src[2] = NULL;
    op.dst = &wrong;
    check_op_rejected(&op, IA_ERR_INVALID, "dst shape");
    assert_int_equal(ia_op_check(&op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "gives [2, 7, 48] F32"));

    /* Batches that do not broadcast: [2, 7, 32] x [3, 48, 32]^T. */
    int64_t sb3[3] = {3, 48, 32};
    ia_tensor w3 = random_tensor(&r, IA_DTYPE_F32, 3, sb3, -1, 1);
    op.src[1] = &w3;
    op.dst = &dst;
    check_op_rejected(&op, IA_ERR_INVALID, "batch mismatch");

    /* An F16 activation is not taken (src0 must be F32). */
    ia_tensor a16 = random_tensor(&r, IA_DTYPE_F16, 3, sa, -1, 1);
    op.src[0] = &a16;
    op.src[1] = &w;
    check_op_rejected(&op, IA_ERR_INVALID, "F16 src0");

    ia_tensor_free(&a);
    ia_tensor_free(&a16);
    ia_tensor_free(&b);
    ia_tensor_free(&w);
    ia_tensor_free(&w3);
    ia_tensor_free(&bias);
    ia_tensor_free(&dst);
    ia_tensor_free(&wrong);
}

/* The AUTO choice, at every ISA this CPU has, on shapes from each side of
 * its rule (GEMV, GEMM, batches). */
static void test_auto(void **state)
{
    (void)state;
    static const ia_cpu_isa isas[] = {IA_CPU_ISA_PORTABLE, IA_CPU_ISA_AVX2, IA_CPU_ISA_AVX512};
    static const mm_case cases[] = {
        {.nda = 2, .ndb = 2, .sa = {1, 50}, .sb = {70, 50}, .bdtype = IA_DTYPE_F16, .bt = true},
        {.nda = 2, .ndb = 2, .sa = {40, 50}, .sb = {70, 50}, .bdtype = IA_DTYPE_F32, .bt = true,
         .bias = true, .bias_dtype = IA_DTYPE_F32},
        {.nda = 3, .ndb = 3, .sa = {3, 9, 20}, .sb = {3, 20, 11}, .bdtype = IA_DTYPE_BF16},
    };
    test_rng r;
    rng_seed(&r, 11);
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    for (size_t i = 0; i < sizeof isas / sizeof *isas; i++) {
        ia_cpu_options o = {.isa = isas[i], .gemm = IA_CPU_GEMM_AUTO};
        ia_backend *be = ia_backend_cpu_create(&o, &err);
        if (!be)
            continue; /* this CPU lacks the ISA */
        for (size_t j = 0; j < sizeof cases / sizeof *cases; j++) {
            const mm_case *c = &cases[j];
            ia_tensor a = random_tensor(&r, IA_DTYPE_F32, c->nda, c->sa, -1, 1);
            ia_tensor b = random_tensor(&r, c->bdtype, c->ndb, c->sb, -1, 1);
            int64_t n = case_n(c), ds[4];
            ia_tensor bias = random_tensor(&r, IA_DTYPE_F32, 1, &n, -1, 1);
            int nd = dst_shape(c, ds);
            ia_tensor want = zero_tensor(IA_DTYPE_F32, nd, ds), got = zero_tensor(IA_DTYPE_F32, nd, ds);
            ia_op op = {.type = IA_OP_MATMUL, .src = {&a, &b, c->bias ? &bias : NULL}, .dst = &want};
            op.p.matmul.b_transposed = c->bt;
            assert_int_equal(ia_backend_compute(ref, &op, &err), IA_OK);
            op.dst = &got;
            if (ia_backend_compute(be, &op, &err) != IA_OK)
                fail_msg("auto at %s, case %zu: %s", ia_cpu_isa_name(isas[i]), j, err.message);
            double e = nmse(&got, &want);
            if (!(e <= F32_BOUND))
                fail_msg("auto at %s, case %zu: NMSE %.3g", ia_cpu_isa_name(isas[i]), j, e);
            ia_tensor_free(&a);
            ia_tensor_free(&b);
            ia_tensor_free(&bias);
            ia_tensor_free(&want);
            ia_tensor_free(&got);
        }
        ia_backend_free(be);
    }
    ia_backend_free(ref);
}

/* The kernels' F16/BF16 converters (the BLAS path's weight conversion, the
 * portable packing) against tensor.c's, on every bit pattern. */
static void test_convert(void **state)
{
    (void)state;
    static uint16_t h[65536];
    static float got[65536];
    for (int i = 0; i < 65536; i++)
        h[i] = (uint16_t)i;
    const ia_gemm_kernels *tables[] = {&ia_gemm_portable, &ia_gemm_avx2, &ia_gemm_avx512};
    static const ia_cpu_isa isas[] = {IA_CPU_ISA_PORTABLE, IA_CPU_ISA_AVX2, IA_CPU_ISA_AVX512};
    for (int t = 0; t < 3; t++) {
        ia_error err;
        ia_cpu_options o = {.isa = isas[t]};
        ia_backend *be = ia_backend_cpu_create(&o, &err);
        if (!be)
            continue;
        ia_backend_free(be);
        for (int bf = 0; bf < 2; bf++) {
            /* An odd count exercises the tails. */
            tables[t]->convert(h, bf ? IA_DTYPE_BF16 : IA_DTYPE_F16, got, 65533);
            for (int i = 0; i < 65533; i++) {
                float want = bf ? ia_bf16_to_f32(h[i]) : ia_f16_to_f32(h[i]);
                if (memcmp(&want, &got[i], sizeof want) != 0 && !(want != want && got[i] != got[i]))
                    fail_msg("%s %s 0x%04x: %g, expected %g", tables[t]->name, bf ? "bf16" : "f16",
                             i, (double)got[i], (double)want);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_big),
        cmocka_unit_test(test_weight_dtypes),
        cmocka_unit_test(test_alpha_bias),
        cmocka_unit_test(test_batched),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_strided_sources),
        cmocka_unit_test(test_strided_dst),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_auto),
        cmocka_unit_test(test_convert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
