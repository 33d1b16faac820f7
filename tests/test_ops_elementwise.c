/* ADD, MUL (broadcasting), SCALE and ACTIVATION on every backend against the
 * reference; the activations' vector approximations measured over a dense
 * sweep; known values; the Hugging Face activation names; rejected ops. */
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

static ia_op binary_op(ia_op_type type, const ia_tensor *a, const ia_tensor *b, ia_tensor *dst)
{
    ia_op op = {.type = type, .src = {a, b}, .dst = dst};
    return op;
}

typedef struct bcase {
    int na, nb, nd;
    int64_t a[4], b[4], d[4];
} bcase;

static void test_add_mul_broadcast(void **state)
{
    (void)state;
    static const bcase cases[] = {
        {3, 1, 3, {2, 7, 33}, {33}, {2, 7, 33}},             /* [B, S, H] + [H] */
        {3, 3, 3, {3, 1, 17}, {3, 5, 1}, {3, 5, 17}},         /* [B, 1, S] * [B, H, 1] */
        {0, 1, 1, {0}, {129}, {129}},                         /* scalar and vector */
        {1, 2, 2, {1}, {4, 7}, {4, 7}},
        {4, 3, 4, {2, 3, 4, 5}, {3, 1, 5}, {2, 3, 4, 5}},
        {1, 1, 1, {4097}, {4097}, {4097}},                    /* one long row, tails */
        {2, 2, 2, {3, 20001}, {3, 20001}, {3, 20001}},        /* blocks across threads */
        {2, 2, 2, {129, 1}, {1, 1}, {129, 1}},
        {4, 4, 4, {2, 1, 7, 1}, {1, 3, 1, 9}, {2, 3, 7, 9}},
    };
    test_rng r;
    rng_seed(&r, 1);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const bcase *c = &cases[i];
        ia_tensor a = random_tensor(&r, IA_DTYPE_F32, c->na, c->a, -2, 2);
        ia_tensor b = random_tensor(&r, IA_DTYPE_F32, c->nb, c->b, -2, 2);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, c->nd, c->d, NULL);
        for (int t = 0; t < 2; t++) {
            ia_op op = binary_op(t ? IA_OP_MUL : IA_OP_ADD, &a, &b, &d);
            char label[64];
            snprintf(label, sizeof label, "%s case %zu", t ? "mul" : "add", i);
            check_op_all_backends(&op, 1e-14, label);
            check_op_layouts(&op, 1e-14, ia_tensor_same_shape(&a, &d), label);
            /* Operands swapped: the broadcast one first. */
            op = binary_op(t ? IA_OP_MUL : IA_OP_ADD, &b, &a, &d);
            check_op_all_backends(&op, 1e-14, label);
        }
        ia_tensor_free(&a);
        ia_tensor_free(&b);
    }
}

static void test_add_strided_inputs(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 2);
    ia_tensor a = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 7, 33}, -1, 1), sa;
    ia_tensor b = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){7, 33}, -1, 1), sb;
    ia_tensor at = transposed_copy(&a, &sa); /* [2, 7, 33] with inner stride 7 */
    ia_tensor bt = transposed_copy(&b, &sb); /* [7, 33] with inner stride 7 */
    ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 3, (int64_t[]){2, 7, 33}, NULL);
    ia_op op = binary_op(IA_OP_ADD, &at, &b, &d);
    check_op_all_backends(&op, 1e-14, "add permuted src0");
    check_op_layouts(&op, 1e-14, true, "add permuted src0");
    op = binary_op(IA_OP_MUL, &a, &bt, &d);
    check_op_all_backends(&op, 1e-14, "mul by a permuted src1");
    op = binary_op(IA_OP_MUL, &at, &bt, &d);
    check_op_all_backends(&op, 1e-14, "mul of two permuted views");
    ia_tensor_free(&a);
    ia_tensor_free(&b);
    ia_tensor_free(&sa);
    ia_tensor_free(&sb);
}

static void test_scale(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 3);
    int64_t shapes[][3] = {{1, 1, 1}, {2, 7, 33}, {1, 3, 129}};
    for (int i = 0; i < 3; i++) {
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 3, shapes[i], -3, 3);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 3, shapes[i], NULL);
        ia_op op = {.type = IA_OP_SCALE, .src = {&x}, .dst = &d, .p.scale = {.scale = 0.125f, .bias = -0.5f}};
        check_op_all_backends(&op, 1e-14, "scale");
        check_op_layouts(&op, 1e-14, true, "scale");
        ia_tensor_free(&x);
    }
}

static void test_activations_random(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 4);
    int64_t shapes[][2] = {{3, 257}, {1, 7}, {33, 1}};
    for (int act = 0; act < IA_ACT_COUNT; act++) {
        for (int i = 0; i < 3; i++) {
            ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 2, shapes[i], -8, 8);
            ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 2, shapes[i], NULL);
            ia_op op = {.type = IA_OP_ACTIVATION, .src = {&x}, .dst = &d, .p.act = (ia_activation)act};
            char label[64];
            snprintf(label, sizeof label, "activation %s", ia_activation_name((ia_activation)act));
            check_op_all_backends(&op, 1e-12, label);
            if (i == 0)
                check_op_layouts(&op, 1e-12, true, label);
            ia_tensor_free(&x);
        }
    }
}

static double act_exact(ia_activation a, double x)
{
    switch (a) {
    case IA_ACT_GELU_ERF: return 0.5 * x * erfc(-x / sqrt(2.0));
    case IA_ACT_GELU_TANH: return 0.5 * x * (1 + tanh(sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
    case IA_ACT_QUICK_GELU: return x / (1 + exp(-1.702 * x));
    case IA_ACT_SILU: return x / (1 + exp(-x));
    case IA_ACT_RELU: return x > 0 ? x : 0;
    case IA_ACT_TANH: return tanh(x);
    case IA_ACT_SIGMOID: return 1 / (1 + exp(-x));
    default: return x;
    }
}

/* Every backend's activation over a dense sweep of [-12, 12] and some large
 * values: |error| <= 1e-6 max(1, |y|), i.e. 1e-6 absolute near zero and
 * relative beyond; tanh and sigmoid also relative error <= 1e-6 on the
 * sweep. Prints the worst errors of each approximation. */
static void test_activation_accuracy(void **state)
{
    (void)state;
    const int64_t n = 240001 + 6;
    ia_tensor x = zero_tensor(IA_DTYPE_F32, 1, &n), y = zero_tensor(IA_DTYPE_F32, 1, &n);
    float *xv = x.data;
    for (int64_t i = 0; i < n - 6; i++)
        xv[i] = -12.0f + (float)i * 1e-4f;
    const float big[6] = {-100.0f, -50.0f, -20.0f, 20.0f, 50.0f, 1e4f};
    memcpy(xv + n - 6, big, sizeof big);
    test_backend list[8];
    int nb = test_backends_create(list, 8);
    for (int act = 1; act < IA_ACT_COUNT; act++) {
        for (int b = 0; b < nb; b++) {
            if (strstr(list[b].label, "/blas"))
                continue; /* the same kernels as /own */
            ia_op op = {.type = IA_OP_ACTIVATION, .src = {&x}, .dst = &y, .p.act = (ia_activation)act};
            ia_error err;
            if (ia_backend_compute(list[b].backend, &op, &err) != IA_OK)
                fail_msg("%s", err.message);
            double worst = 0, at = 0, worst_rel = 0, at_rel = 0;
            for (int64_t i = 0; i < n; i++) {
                double want = act_exact((ia_activation)act, xv[i]), got = ((float *)y.data)[i];
                double e = fabs(got - want) / fmax(1.0, fabs(want));
                if (!(e <= worst)) {
                    worst = e;
                    at = xv[i];
                }
                /* Relative error over the sweep, where the value is normal. */
                double rel = fabs(got - want) / fabs(want);
                if (i < n - 6 && fabs(want) > 1e-30 && !(rel <= worst_rel)) {
                    worst_rel = rel;
                    at_rel = xv[i];
                }
            }
            print_message("%-18s %-18s error %.3g at x = %g, relative %.3g at x = %g\n",
                          ia_activation_name((ia_activation)act), list[b].label, worst, at,
                          worst_rel, at_rel);
            /* Relative accuracy is asked of tanh and sigmoid only: the GELUs'
             * and SiLU's far negative tails are tiny values whose relative
             * error comes from rounding x itself (as in PyTorch). */
            bool rel_matters = act == IA_ACT_TANH || act == IA_ACT_SIGMOID;
            if (!(worst <= 1e-6) || (rel_matters && !(worst_rel <= 1e-6)))
                fail_msg("%s on %s: error %.3g at x = %g, relative %.3g at x = %g",
                         ia_activation_name((ia_activation)act), list[b].label, worst, at,
                         worst_rel, at_rel);
        }
    }
    test_backends_free(list, nb);
    ia_tensor_free(&x);
    ia_tensor_free(&y);
}

static void test_activation_known_values(void **state)
{
    (void)state;
    static const struct {
        ia_activation act;
        float x;
        double want;
    } known[] = {
        {IA_ACT_GELU_ERF, 1.0f, 0.8413447460685429},  {IA_ACT_GELU_ERF, -1.0f, -0.15865525393145707},
        {IA_ACT_GELU_TANH, 1.0f, 0.8411919906082768}, {IA_ACT_GELU_TANH, -2.0f, -0.04540230591222},
        {IA_ACT_SILU, 1.0f, 0.7310585786300049},      {IA_ACT_SILU, -3.0f, -0.14227761953270035},
        {IA_ACT_QUICK_GELU, 1.0f, 0.8457957659328212}, {IA_ACT_RELU, -0.5f, 0.0},
        {IA_ACT_RELU, 2.5f, 2.5},                      {IA_ACT_TANH, 0.5f, 0.46211715726000974},
        {IA_ACT_TANH, 1e-5f, 9.999999999666667e-06},   {IA_ACT_SIGMOID, 0.0f, 0.5},
        {IA_ACT_SIGMOID, 2.0f, 0.8807970779778823},    {IA_ACT_NONE, -7.25f, -7.25},
    };
    test_backend list[8];
    int nb = test_backends_create(list, 8);
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    list[nb].backend = ref;
    snprintf(list[nb].label, sizeof list[nb].label, "reference");
    for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
        /* 19 copies so the SIMD body and the tail both see the value. */
        float xs[19], ys[19];
        for (int i = 0; i < 19; i++)
            xs[i] = known[k].x;
        ia_tensor x = ia_tensor_f32_1d(xs, 19), y = ia_tensor_f32_1d(ys, 19);
        ia_op op = {.type = IA_OP_ACTIVATION, .src = {&x}, .dst = &y, .p.act = known[k].act};
        for (int b = 0; b <= nb; b++) {
            if (ia_backend_compute(list[b].backend, &op, &err) != IA_OK)
                fail_msg("%s", err.message);
            for (int i = 0; i < 19; i++)
                if (!(fabs(ys[i] - known[k].want) <= 1e-6 * fmax(1e-3, fabs(known[k].want))))
                    fail_msg("%s(%g) on %s = %.9g, want %.9g", ia_activation_name(known[k].act),
                             (double)known[k].x, list[b].label, (double)ys[i], known[k].want);
        }
    }
    test_backends_free(list, nb + 1);
}

static void test_activation_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        ia_activation act;
    } hf[] = {
        {"gelu", IA_ACT_GELU_ERF},         {"gelu_new", IA_ACT_GELU_TANH},
        {"gelu_pytorch_tanh", IA_ACT_GELU_TANH}, {"gelu_fast", IA_ACT_GELU_TANH},
        {"quick_gelu", IA_ACT_QUICK_GELU}, {"silu", IA_ACT_SILU},
        {"swish", IA_ACT_SILU},            {"relu", IA_ACT_RELU},
        {"tanh", IA_ACT_TANH},             {"sigmoid", IA_ACT_SIGMOID},
    };
    for (size_t i = 0; i < sizeof hf / sizeof *hf; i++) {
        ia_activation a = IA_ACT_COUNT;
        assert_true(ia_activation_from_name(hf[i].name, &a));
        assert_int_equal(a, hf[i].act);
    }
    for (int a = 0; a < IA_ACT_COUNT; a++) {
        ia_activation back = IA_ACT_COUNT;
        assert_true(ia_activation_from_name(ia_activation_name((ia_activation)a), &back));
        assert_int_equal(back, a);
    }
    ia_activation a;
    assert_false(ia_activation_from_name("gelu_10", &a));
    assert_false(ia_activation_from_name("GELU", &a));
    assert_false(ia_activation_from_name(NULL, &a));
}

static void test_rejected(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 5);
    ia_tensor a = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){3, 4}, -1, 1);
    ia_tensor b = random_tensor(&r, IA_DTYPE_F32, 1, (int64_t[]){5}, -1, 1);
    ia_tensor h = random_tensor(&r, IA_DTYPE_F16, 1, (int64_t[]){4}, -1, 1);
    ia_tensor d = zero_tensor(IA_DTYPE_F32, 2, (int64_t[]){3, 4});
    ia_tensor wrong = zero_tensor(IA_DTYPE_F32, 2, (int64_t[]){4, 3});
    ia_op op = binary_op(IA_OP_ADD, &a, &b, &d);
    check_op_rejected(&op, IA_ERR_INVALID, "[3, 4] + [5]");
    op = binary_op(IA_OP_MUL, &a, &a, &wrong);
    check_op_rejected(&op, IA_ERR_INVALID, "mul into a wrong dst shape");
    op = binary_op(IA_OP_ADD, &a, &h, &d);
    check_op_rejected(&op, IA_ERR_INVALID, "add of an F16 tensor");
    op = binary_op(IA_OP_ADD, &a, NULL, &d);
    check_op_rejected(&op, IA_ERR_INVALID, "add without src1");
    ia_op act = {.type = IA_OP_ACTIVATION, .src = {&a}, .dst = &d, .p.act = IA_ACT_COUNT};
    check_op_rejected(&act, IA_ERR_INVALID, "activation out of range");
    act.p.act = IA_ACT_SILU;
    act.dst = &wrong;
    check_op_rejected(&act, IA_ERR_INVALID, "activation into a wrong dst shape");
    ia_op sc = {.type = IA_OP_SCALE, .src = {&a}, .dst = &d, .p.scale = {.scale = NAN}};
    check_op_rejected(&sc, IA_ERR_INVALID, "scale by NaN");

    /* The message names the op and both shapes. */
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    op = binary_op(IA_OP_ADD, &a, &b, &d);
    assert_int_equal(ia_backend_compute(ref, &op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "add"));
    assert_non_null(strstr(err.message, "[3, 4]"));
    assert_non_null(strstr(err.message, "[5]"));
    ia_backend_free(ref);
    ia_tensor_free(&a);
    ia_tensor_free(&b);
    ia_tensor_free(&h);
    ia_tensor_free(&d);
    ia_tensor_free(&wrong);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_mul_broadcast),
        cmocka_unit_test(test_add_strided_inputs),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_activations_random),
        cmocka_unit_test(test_activation_accuracy),
        cmocka_unit_test(test_activation_known_values),
        cmocka_unit_test(test_activation_names),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
