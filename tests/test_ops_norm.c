/* LAYER_NORM, RMS_NORM (plain and 1 + w) and GROUP_NORM on every backend
 * against the reference: odd sizes, F32 / F16 / BF16 weights, strided
 * inputs and outputs, in place; a hand-computed case; rejected ops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "op_test_layouts.h"
#include "op_test_support.h"

static const ia_dtype weight_types[] = {IA_DTYPE_F32, IA_DTYPE_F16, IA_DTYPE_BF16};

static void test_layer_and_rms_norm(void **state)
{
    (void)state;
    static const struct {
        int ndim;
        int64_t shape[4];
    } shapes[] = {{2, {7, 33}}, {3, {2, 3, 129}}, {2, {1, 4097}}, {2, {5, 1}}, {1, {16}},
                  {4, {2, 2, 3, 31}}, {2, {300, 64}}};
    test_rng r;
    rng_seed(&r, 11);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        int nd = shapes[i].ndim;
        int64_t D = shapes[i].shape[nd - 1];
        /* An offset mean: the variance must not come from E[x^2] - mean^2. */
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, nd, shapes[i].shape, 2.0f, 4.0f);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, nd, shapes[i].shape, NULL);
        for (int wt = 0; wt < 3; wt++) {
            ia_tensor w = random_tensor(&r, weight_types[wt], 1, &D, -1.5f, 1.5f);
            ia_tensor b = random_tensor(&r, weight_types[wt], 1, &D, -0.5f, 0.5f);
            char label[96];
            for (int variant = 0; variant < 4; variant++) {
                ia_op ln = {.type = IA_OP_LAYER_NORM, .src = {&x, variant & 1 ? NULL : &w,
                                                              variant & 2 ? NULL : &b},
                            .dst = &d, .p.norm.eps = 1e-5f};
                snprintf(label, sizeof label, "layer_norm shape %zu weights %s variant %d", i,
                         ia_dtype_name(weight_types[wt]), variant);
                check_op_all_backends(&ln, 1e-11, label);
                if (variant == 0 && wt != 1)
                    check_op_layouts(&ln, 1e-11, true, label);
            }
            for (int variant = 0; variant < 3; variant++) {
                ia_op rms = {.type = IA_OP_RMS_NORM, .src = {&x, variant == 2 ? NULL : &w},
                             .dst = &d, .p.norm = {.eps = 1e-6f, .one_plus = variant == 1}};
                snprintf(label, sizeof label, "rms_norm shape %zu weights %s variant %d", i,
                         ia_dtype_name(weight_types[wt]), variant);
                check_op_all_backends(&rms, 1e-11, label);
                if (variant < 2 && wt == 2)
                    check_op_layouts(&rms, 1e-11, true, label);
            }
            ia_tensor_free(&w);
            ia_tensor_free(&b);
        }
        ia_tensor_free(&x);
    }
}

static void test_norm_strided_input(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 12);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 9, 33}, -1, 1), store;
    ia_tensor xt = transposed_copy(&x, &store); /* [2, 9, 33], inner stride 9 */
    ia_tensor w = random_tensor(&r, IA_DTYPE_BF16, 1, (int64_t[]){33}, -1, 1);
    ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 3, (int64_t[]){2, 9, 33}, NULL);
    ia_op ln = {.type = IA_OP_LAYER_NORM, .src = {&xt, &w}, .dst = &d, .p.norm.eps = 1e-5f};
    check_op_all_backends(&ln, 1e-11, "layer_norm of a transposed view");
    ia_op rms = {.type = IA_OP_RMS_NORM, .src = {&xt, &w}, .dst = &d, .p.norm.eps = 1e-5f};
    check_op_all_backends(&rms, 1e-11, "rms_norm of a transposed view");
    /* A strided weight: every other element of a [66] tensor. */
    ia_tensor w2 = random_tensor(&r, IA_DTYPE_F32, 1, (int64_t[]){66}, -1, 1);
    ia_tensor wv = w2;
    wv.shape[0] = 33;
    wv.stride[0] = 2;
    ln.src[1] = &wv;
    check_op_all_backends(&ln, 1e-11, "layer_norm with a strided weight");
    ia_tensor_free(&x);
    ia_tensor_free(&store);
    ia_tensor_free(&w);
    ia_tensor_free(&w2);
}

static void test_layer_norm_by_hand(void **state)
{
    (void)state;
    float xs[4] = {1, 2, 3, 4}, ws[4] = {1, 2, 1, 1}, bs[4] = {0, 0, 0, 1}, ys[4];
    ia_tensor x = ia_tensor_f32_1d(xs, 4), w = ia_tensor_f32_1d(ws, 4), b = ia_tensor_f32_1d(bs, 4);
    ia_tensor y = ia_tensor_f32_1d(ys, 4);
    ia_op ln = {.type = IA_OP_LAYER_NORM, .src = {&x, &w, &b}, .dst = &y, .p.norm.eps = 0.0f};
    ia_op rms = {.type = IA_OP_RMS_NORM, .src = {&x, &w}, .dst = &y, .p.norm = {.eps = 0.0f, .one_plus = true}};
    /* mean 2.5, variance 1.25; mean square 7.5 */
    double s = 1 / sqrt(1.25), q = 1 / sqrt(7.5);
    double want_ln[4] = {-1.5 * s, -0.5 * s * 2, 0.5 * s, 1.5 * s + 1};
    double want_rms[4] = {1 * q * 2, 2 * q * 3, 3 * q * 2, 4 * q * 2};
    test_backend list[8];
    int n = test_backends_create(list, 7);
    ia_error err;
    list[n].backend = ia_backend_reference_create(&err);
    snprintf(list[n].label, sizeof list[n].label, "reference");
    for (int i = 0; i <= n; i++) {
        assert_int_equal(ia_backend_compute(list[i].backend, &ln, &err), IA_OK);
        for (int k = 0; k < 4; k++)
            assert_float_equal(ys[k], want_ln[k], 1e-6);
        assert_int_equal(ia_backend_compute(list[i].backend, &rms, &err), IA_OK);
        for (int k = 0; k < 4; k++)
            assert_float_equal(ys[k], want_rms[k], 1e-6);
    }
    test_backends_free(list, n + 1);
}

static void test_group_norm(void **state)
{
    (void)state;
    static const struct {
        int ndim, groups;
        int64_t shape[4];
    } cases[] = {{3, 3, {2, 6, 7}},  {4, 8, {1, 32, 9, 9}}, {2, 2, {3, 4}},
                 {4, 1, {2, 4, 5, 7}}, {4, 4, {2, 4, 5, 7}}, {3, 2, {1, 4, 4099}}};
    test_rng r;
    rng_seed(&r, 13);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t C = cases[i].shape[1];
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, cases[i].ndim, cases[i].shape, -1, 3);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, cases[i].ndim, cases[i].shape, NULL);
        for (int wt = 0; wt < 3; wt++) {
            ia_tensor w = random_tensor(&r, weight_types[wt], 1, &C, -1, 1);
            ia_tensor b = random_tensor(&r, weight_types[wt], 1, &C, -1, 1);
            for (int variant = 0; variant < 2; variant++) {
                ia_op op = {.type = IA_OP_GROUP_NORM, .src = {&x, variant ? NULL : &w, variant ? NULL : &b},
                            .dst = &d, .p.norm = {.eps = 1e-6f, .groups = cases[i].groups}};
                char label[96];
                snprintf(label, sizeof label, "group_norm case %zu weights %s variant %d", i,
                         ia_dtype_name(weight_types[wt]), variant);
                check_op_all_backends(&op, 1e-11, label);
                if (wt == 0 && variant == 0)
                    check_op_layouts(&op, 1e-11, true, label);
            }
            ia_tensor_free(&w);
            ia_tensor_free(&b);
        }
        ia_tensor_free(&x);
    }
    /* A permuted input: [N, C, L] seen from an [N, L, C] buffer. */
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 8, 33}, -1, 1), store;
    ia_tensor xt = transposed_copy(&x, &store);
    ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 3, (int64_t[]){2, 8, 33}, NULL);
    ia_op op = {.type = IA_OP_GROUP_NORM, .src = {&xt}, .dst = &d, .p.norm = {.eps = 1e-5f, .groups = 4}};
    check_op_all_backends(&op, 1e-11, "group_norm of a permuted view");
    ia_tensor_free(&x);
    ia_tensor_free(&store);
}

static void test_rejected(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 14);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 6, 5}, -1, 1);
    ia_tensor d = zero_tensor(IA_DTYPE_F32, 3, (int64_t[]){2, 6, 5});
    ia_tensor w5 = random_tensor(&r, IA_DTYPE_F32, 1, (int64_t[]){5}, -1, 1);
    ia_tensor w6 = random_tensor(&r, IA_DTYPE_F32, 1, (int64_t[]){6}, -1, 1);
    ia_tensor wi = random_tensor(&r, IA_DTYPE_I32, 1, (int64_t[]){5}, 0, 3);
    ia_tensor wrong = zero_tensor(IA_DTYPE_F32, 3, (int64_t[]){2, 5, 6});

    ia_op op = {.type = IA_OP_GROUP_NORM, .src = {&x, &w6}, .dst = &d, .p.norm = {.eps = 1e-5f, .groups = 4}};
    check_op_rejected(&op, IA_ERR_INVALID, "groups not dividing C");
    op.p.norm.groups = 0;
    check_op_rejected(&op, IA_ERR_INVALID, "zero groups");
    op.p.norm.groups = 3;
    op.src[1] = &w5;
    check_op_rejected(&op, IA_ERR_INVALID, "group_norm weight of the wrong size");

    ia_op ln = {.type = IA_OP_LAYER_NORM, .src = {&x, &w6}, .dst = &d, .p.norm.eps = 1e-5f};
    check_op_rejected(&ln, IA_ERR_INVALID, "layer_norm weight of the wrong size");
    ln.src[1] = &wi;
    check_op_rejected(&ln, IA_ERR_INVALID, "layer_norm integer weight");
    ln.src[1] = &w5;
    ln.p.norm.eps = -1e-5f;
    check_op_rejected(&ln, IA_ERR_INVALID, "negative eps");
    ln.p.norm.eps = 1e-5f;
    ln.dst = &wrong;
    check_op_rejected(&ln, IA_ERR_INVALID, "layer_norm into a wrong dst shape");

    ia_op rms = {.type = IA_OP_RMS_NORM, .src = {&x, &w5, &w5}, .dst = &d, .p.norm.eps = 1e-5f};
    check_op_rejected(&rms, IA_ERR_INVALID, "rms_norm with a bias");
    rms.src[1] = rms.src[2] = NULL;
    rms.p.norm.one_plus = true;
    check_op_rejected(&rms, IA_ERR_INVALID, "rms_norm 1 + w without w");

    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    op.p.norm.groups = 4;
    op.src[1] = &w6;
    assert_int_equal(ia_backend_compute(ref, &op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "group_norm"));
    assert_non_null(strstr(err.message, "groups 4"));
    ia_backend_free(ref);
    ia_tensor_free(&x);
    ia_tensor_free(&d);
    ia_tensor_free(&w5);
    ia_tensor_free(&w6);
    ia_tensor_free(&wi);
    ia_tensor_free(&wrong);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer_and_rms_norm),
        cmocka_unit_test(test_norm_strided_input),
        cmocka_unit_test(test_layer_norm_by_hand),
        cmocka_unit_test(test_group_norm),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
