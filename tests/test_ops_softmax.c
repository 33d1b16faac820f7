/* SOFTMAX on every backend against the reference: scale, each mask kind
 * (additive F32 with -inf and large negatives, BOOL, broadcast shapes, one
 * value per row), causal with Sq < Sk and Sq == Sk, sliding window, fully
 * masked rows, strided inputs and outputs, in place; the vector exp's
 * error; rejected ops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cpu/simd.h"
#include "op_test_layouts.h"
#include "op_test_support.h"

#define BOUND 1e-12

static ia_op softmax_op(const ia_tensor *x, const ia_tensor *mask, ia_tensor *dst, float scale,
                        bool causal, int window)
{
    ia_op op = {.type = IA_OP_SOFTMAX, .src = {x, mask}, .dst = dst,
                .p.softmax = {.scale = scale, .causal = causal, .window = window}};
    return op;
}

static void test_plain_and_scaled(void **state)
{
    (void)state;
    static const struct {
        int nd;
        int64_t s[4];
    } shapes[] = {{1, {1}}, {1, {7}}, {2, {3, 33}}, {3, {2, 7, 129}}, {4, {2, 3, 5, 17}},
                  {2, {4, 4099}}, {2, {257, 64}}};
    test_rng r;
    rng_seed(&r, 21);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, shapes[i].nd, shapes[i].s, -6, 6);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, shapes[i].nd, shapes[i].s, NULL);
        for (int k = 0; k < 2; k++) {
            ia_op op = softmax_op(&x, NULL, &d, k ? 0.125f : 0.0f, false, 0);
            char label[64];
            snprintf(label, sizeof label, "softmax shape %zu scale %d", i, k);
            check_op_all_backends(&op, BOUND, label);
            if (k == 1 && i != 6)
                check_op_layouts(&op, BOUND, true, label);
        }
        ia_tensor_free(&x);
    }
}

/* Masks: F32 with -inf and finfo.min entries and BOOL, in several
 * broadcast shapes, for x [2, 3, 5, 37]. */
static void test_masks(void **state)
{
    (void)state;
    const int64_t xs[4] = {2, 3, 5, 37};
    static const struct {
        int nd;
        int64_t s[4];
    } mshapes[] = {{4, {2, 1, 1, 37}}, {4, {1, 1, 5, 37}}, {2, {5, 37}}, {4, {2, 3, 5, 37}},
                   {4, {2, 3, 5, 1}}, {1, {37}}, {0, {0}}};
    test_rng r;
    rng_seed(&r, 22);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 4, xs, -4, 4);
    ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 4, xs, NULL);
    for (size_t i = 0; i < sizeof mshapes / sizeof *mshapes; i++) {
        ia_tensor mf = random_tensor(&r, IA_DTYPE_F32, mshapes[i].nd, mshapes[i].s, -2, 2);
        ia_tensor mb = random_tensor(&r, IA_DTYPE_BOOL, mshapes[i].nd, mshapes[i].s, 0, 1);
        int64_t n = ia_tensor_numel(&mf);
        for (int64_t k = 0; k < n; k += 3)
            ((float *)mf.data)[k] = k % 2 ? -INFINITY : -3.4028234663852886e38f;
        for (int64_t k = 0; k < n; k += 4)
            ((uint8_t *)mb.data)[k] = 1; /* keep some columns in every row */
        for (int kind = 0; kind < 2; kind++) {
            for (int causal = 0; causal < 2; causal++) {
                ia_op op = softmax_op(&x, kind ? &mb : &mf, &d, 0.5f, causal, 0);
                char label[80];
                snprintf(label, sizeof label, "softmax %s mask shape %zu causal %d",
                         kind ? "BOOL" : "F32", i, causal);
                check_op_all_backends(&op, BOUND, label);
                if (causal == 0)
                    check_op_layouts(&op, BOUND, true, label);
            }
        }
        ia_tensor_free(&mf);
        ia_tensor_free(&mb);
    }
    /* A strided mask: a permuted view. */
    ia_tensor m = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){5, 37}, -2, 2), ms;
    ia_tensor mt = transposed_copy(&m, &ms);
    ia_op op = softmax_op(&x, &mt, &d, 1.0f, false, 0);
    check_op_all_backends(&op, BOUND, "softmax with a permuted mask");
    ia_tensor_free(&m);
    ia_tensor_free(&ms);
    ia_tensor_free(&x);
}

/* Causal (bottom-right: row i sees j <= i + Sk - Sq) and windows. */
static void test_causal_and_window(void **state)
{
    (void)state;
    static const int64_t sizes[][2] = {{5, 5}, {3, 11}, {1, 9}, {17, 40}, {6, 6}, {33, 129}};
    test_rng r;
    rng_seed(&r, 23);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        int64_t s[3] = {2, sizes[i][0], sizes[i][1]};
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, s, -3, 3);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 3, s, NULL);
        static const int windows[] = {0, 1, 3, 8};
        for (int c = 0; c < 2; c++) {
            for (int w = 0; w < 4; w++) {
                ia_op op = softmax_op(&x, NULL, &d, 0.3f, c, windows[w]);
                char label[80];
                snprintf(label, sizeof label, "softmax %lldx%lld causal %d window %d",
                         (long long)s[1], (long long)s[2], c, windows[w]);
                check_op_all_backends(&op, BOUND, label);
                if (i == 1)
                    check_op_layouts(&op, BOUND, true, label);
            }
        }
        ia_tensor_free(&x);
    }

    /* By hand: Sq 2, Sk 4, causal: row 0 sees columns 0..2, row 1 all. */
    float xs[8] = {0, 0, 0, 5, 0, 0, 0, 0}, ys[8];
    ia_tensor x = ia_tensor_f32_2d(xs, 2, 4), y = ia_tensor_f32_2d(ys, 2, 4);
    ia_op op = softmax_op(&x, NULL, &y, 0, true, 0);
    test_backend list[8];
    int n = test_backends_create(list, 7);
    ia_error err;
    list[n].backend = ia_backend_reference_create(&err);
    snprintf(list[n].label, sizeof list[n].label, "reference");
    for (int b = 0; b <= n; b++) {
        op.p.softmax.window = 0;
        assert_int_equal(ia_backend_compute(list[b].backend, &op, &err), IA_OK);
        const float want[8] = {1 / 3.0f, 1 / 3.0f, 1 / 3.0f, 0, 0.25f, 0.25f, 0.25f, 0.25f};
        for (int k = 0; k < 8; k++)
            assert_float_equal(ys[k], want[k], 1e-6);
        /* Window 2: row 0 (position 2) sees 1..2, row 1 (position 3) 2..3. */
        op.p.softmax.window = 2;
        assert_int_equal(ia_backend_compute(list[b].backend, &op, &err), IA_OK);
        const float want_w[8] = {0, 0.5f, 0.5f, 0, 0, 0, 0.5f, 0.5f};
        for (int k = 0; k < 8; k++)
            assert_float_equal(ys[k], want_w[k], 1e-6);
    }
    test_backends_free(list, n + 1);
}

/* Rows with nothing visible become zeros, not NaN. */
static void test_fully_masked_rows(void **state)
{
    (void)state;
    float xs[2 * 19], ms[2 * 19], ys[2 * 19];
    uint8_t bs[2 * 19];
    for (int i = 0; i < 38; i++) {
        xs[i] = (float)i * 0.1f;
        ms[i] = i < 19 ? -INFINITY : 0.0f;
        bs[i] = i >= 19;
    }
    ia_tensor x = ia_tensor_f32_2d(xs, 2, 19), y = ia_tensor_f32_2d(ys, 2, 19);
    ia_tensor mf = ia_tensor_f32_2d(ms, 2, 19);
    ia_tensor mb = ia_tensor_make(IA_DTYPE_BOOL, 2, (int64_t[]){2, 19}, bs);
    ia_tensor m1 = ia_tensor_make(IA_DTYPE_BOOL, 2, (int64_t[]){2, 1}, (uint8_t[]){0, 1});
    const ia_tensor *masks[3] = {&mf, &mb, &m1};
    test_backend list[8];
    int n = test_backends_create(list, 7);
    ia_error err;
    list[n].backend = ia_backend_reference_create(&err);
    snprintf(list[n].label, sizeof list[n].label, "reference");
    for (int b = 0; b <= n; b++) {
        for (int m = 0; m < 3; m++) {
            ia_op op = softmax_op(&x, masks[m], &y, 0, false, 0);
            assert_int_equal(ia_backend_compute(list[b].backend, &op, &err), IA_OK);
            double sum = 0;
            for (int i = 0; i < 19; i++) {
                assert_true(ys[i] == 0.0f);
                sum += ys[19 + i];
            }
            assert_float_equal(sum, 1.0, 1e-6);
        }
    }
    test_backends_free(list, n + 1);
}

static void test_strided_input(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 24);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 9, 33}, -3, 3), store;
    ia_tensor xt = transposed_copy(&x, &store);
    ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 3, (int64_t[]){2, 9, 33}, NULL);
    ia_op op = softmax_op(&xt, NULL, &d, 0.7f, true, 0);
    check_op_all_backends(&op, BOUND, "softmax of a permuted view");
    ia_tensor_free(&x);
    ia_tensor_free(&store);
}

/* The vector exp at every ISA this CPU has: relative error < 1e-6 over
 * [-87, 88], exp(-inf) = 0, NaN stays NaN. */
static void test_exp_accuracy(void **state)
{
    (void)state;
    const int64_t n = 1750001;
    float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    for (int64_t i = 0; i < n; i++)
        x[i] = -87.0f + (float)i * 1e-4f;
    static const ia_cpu_isa isas[] = {IA_CPU_ISA_PORTABLE, IA_CPU_ISA_AVX2, IA_CPU_ISA_AVX512};
    for (int k = 0; k < 3; k++) {
        ia_error err;
        ia_cpu_options o = {.isa = isas[k]};
        ia_backend *be = ia_backend_cpu_create(&o, &err);
        if (!be)
            continue; /* not on this CPU */
        ia_backend_free(be);
        ia_cpu_exp_array(isas[k], x, y, n);
        double worst = 0, at = 0;
        for (int64_t i = 0; i < n; i++) {
            double want = exp((double)x[i]), e = fabs(y[i] - want) / want;
            if (!(e <= worst)) {
                worst = e;
                at = x[i];
            }
        }
        print_message("exp %-8s worst relative error %.3g at x = %g\n", ia_cpu_isa_name(isas[k]),
                      worst, at);
        if (!(worst < 1e-6))
            fail_msg("exp at %s: relative error %.3g at x = %g", ia_cpu_isa_name(isas[k]), worst, at);
        float special[17] = {-INFINITY, NAN, -100.0f, 0.0f}, out[17];
        for (int i = 4; i < 17; i++)
            special[i] = 1.0f;
        ia_cpu_exp_array(isas[k], special, out, 17);
        assert_true(out[0] == 0.0f);
        assert_true(isnan(out[1]));
        assert_true(out[2] == 0.0f || out[2] < 1e-38f);
        assert_true(out[3] == 1.0f);
    }
    free(x);
    free(y);
}

static void test_rejected(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 25);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 5, 7}, -1, 1);
    ia_tensor d = zero_tensor(IA_DTYPE_F32, 3, (int64_t[]){2, 5, 7});
    ia_tensor m_bad = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){3, 7}, -1, 1);
    ia_tensor m_deep = random_tensor(&r, IA_DTYPE_F32, 4, (int64_t[]){1, 2, 5, 7}, -1, 1);
    ia_tensor m_int = random_tensor(&r, IA_DTYPE_I32, 1, (int64_t[]){7}, 0, 1);
    ia_tensor wrong = zero_tensor(IA_DTYPE_F32, 3, (int64_t[]){2, 7, 5});
    ia_op op = softmax_op(&x, &m_bad, &d, 1, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "mask [3, 7] for [2, 5, 7]");
    op.src[1] = &m_deep;
    check_op_rejected(&op, IA_ERR_INVALID, "mask of more dimensions");
    op.src[1] = &m_int;
    check_op_rejected(&op, IA_ERR_INVALID, "I32 mask");
    op = softmax_op(&x, NULL, &d, 1, true, -1);
    check_op_rejected(&op, IA_ERR_INVALID, "negative window");
    op = softmax_op(&x, NULL, &wrong, 1, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "wrong dst shape");
    op = softmax_op(&x, NULL, &d, INFINITY, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "infinite scale");
    ia_tensor_free(&x);
    ia_tensor_free(&d);
    ia_tensor_free(&m_bad);
    ia_tensor_free(&m_deep);
    ia_tensor_free(&m_int);
    ia_tensor_free(&wrong);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_scaled),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_causal_and_window),
        cmocka_unit_test(test_fully_masked_rows),
        cmocka_unit_test(test_strided_input),
        cmocka_unit_test(test_exp_accuracy),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
