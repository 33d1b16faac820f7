/* ROPE on every backend against the reference: rotate-half and interleaved,
 * partial rotary_dim, theta, linear scaling, positions from I32 [S], I64
 * [B, S] or the offset, strided inputs and outputs, in place; hand-computed
 * cases; rejected ops. */
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

#define BOUND 1e-12

static ia_op rope_op(const ia_tensor *x, const ia_tensor *pos, ia_tensor *dst, int rd, float theta,
                     float scaling, bool interleaved, int64_t offset)
{
    ia_op op = {.type = IA_OP_ROPE, .src = {x, pos}, .dst = dst,
                .p.rope = {.rotary_dim = rd, .theta = theta, .scaling = scaling,
                           .interleaved = interleaved, .position_offset = offset}};
    return op;
}

/* x = [1, 2, 3, 4] at position 1, theta 10000: inv_freq = [1, 0.01]. */
static void test_by_hand(void **state)
{
    (void)state;
    float xs[4] = {1, 2, 3, 4}, ys[4];
    ia_tensor x = ia_tensor_f32_4d(xs, 1, 1, 1, 4), y = ia_tensor_f32_4d(ys, 1, 1, 1, 4);
    double c1 = cos(1.0), s1 = sin(1.0), c2 = cos(0.01f), s2 = sin(0.01f);
    /* rotate-half pairs (0, 2) at angle 1 and (1, 3) at 0.01 */
    const double half[4] = {1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + 1 * s1, 4 * c2 + 2 * s2};
    /* interleaved pairs (0, 1) at angle 1 and (2, 3) at 0.01 */
    const double inter[4] = {1 * c1 - 2 * s1, 2 * c1 + 1 * s1, 3 * c2 - 4 * s2, 4 * c2 + 3 * s2};
    /* rotary_dim 2: only (0, 1) at angle 1, the rest copied */
    const double part[4] = {1 * c1 - 2 * s1, 2 * c1 + 1 * s1, 3, 4};
    /* linear scaling 4 at position 4: the same angles as position 1 */
    test_backend list[8];
    int n = test_backends_create(list, 7);
    ia_error err;
    list[n].backend = ia_backend_reference_create(&err);
    snprintf(list[n].label, sizeof list[n].label, "reference");
    for (int b = 0; b <= n; b++) {
        struct {
            ia_op op;
            const double *want;
        } cases[4] = {
            {rope_op(&x, NULL, &y, 0, 10000, 0, false, 1), half},
            {rope_op(&x, NULL, &y, 4, 10000, 1, true, 1), inter},
            {rope_op(&x, NULL, &y, 2, 10000, 0, false, 1), part},
            {rope_op(&x, NULL, &y, 0, 10000, 4, false, 4), half},
        };
        for (int c = 0; c < 4; c++) {
            if (ia_backend_compute(list[b].backend, &cases[c].op, &err) != IA_OK)
                fail_msg("%s", err.message);
            for (int k = 0; k < 4; k++)
                if (!(fabs(ys[k] - cases[c].want[k]) < 2e-6))
                    fail_msg("case %d on %s: element %d is %.8g, want %.8g", c, list[b].label, k,
                             (double)ys[k], cases[c].want[k]);
        }
    }
    test_backends_free(list, n + 1);
}

static void test_random(void **state)
{
    (void)state;
    static const struct {
        int64_t shape[4];
        int rd;
    } cases[] = {{{2, 3, 7, 64}, 0}, {{1, 2, 5, 64}, 32}, {{2, 1, 9, 6}, 4}, {{1, 4, 1, 128}, 0},
                 {{1, 2, 3, 34}, 34}, {{3, 2, 33, 80}, 20}};
    test_rng r;
    rng_seed(&r, 31);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const int64_t *s = cases[i].shape;
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 4, s, -2, 2);
        ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 4, s, NULL);
        ia_tensor p32 = random_tensor(&r, IA_DTYPE_I32, 1, &s[2], 0, 4000);
        ia_tensor p64 = random_tensor(&r, IA_DTYPE_I64, 2, (int64_t[]){s[0], s[2]}, 0, 70000);
        for (int v = 0; v < 8; v++) {
            bool inter = v & 1;
            const ia_tensor *pos = (v >> 1) == 1 ? &p32 : (v >> 1) == 2 ? &p64 : NULL;
            float theta = v >= 4 ? 500000.0f : 10000.0f, scaling = v == 6 ? 2.0f : 0.0f;
            ia_op op = rope_op(&x, pos, &d, cases[i].rd, theta, scaling, inter, v == 7 ? 1000 : 0);
            char label[80];
            snprintf(label, sizeof label, "rope case %zu variant %d", i, v);
            check_op_all_backends(&op, BOUND, label);
            if (v < 4 && i < 3)
                check_op_layouts(&op, BOUND, true, label);
        }
        ia_tensor_free(&x);
        ia_tensor_free(&p32);
        ia_tensor_free(&p64);
    }
}

/* [B, S, H, D] permuted to [B, H, S, D], as q from a projection is. */
static void test_permuted_input(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 32);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 4, (int64_t[]){2, 7, 3, 64}, -1, 1), xp;
    ia_error err;
    assert_int_equal(ia_tensor_view_permute(&x, (int[]){0, 2, 1, 3}, &xp, &err), IA_OK);
    ia_tensor d = ia_tensor_make(IA_DTYPE_F32, 4, (int64_t[]){2, 3, 7, 64}, NULL);
    for (int inter = 0; inter < 2; inter++) {
        ia_op op = rope_op(&xp, NULL, &d, 0, 10000, 0, inter, 5);
        check_op_all_backends(&op, BOUND, "rope of a permuted view");
    }
    /* And with inner stride != 1. */
    ia_tensor store, xt = transposed_copy(&x, &store);
    ia_tensor d2 = ia_tensor_make(IA_DTYPE_F32, 4, (int64_t[]){2, 7, 3, 64}, NULL);
    ia_op op = rope_op(&xt, NULL, &d2, 32, 10000, 0, true, 0);
    check_op_all_backends(&op, BOUND, "rope with inner stride 3");
    ia_tensor_free(&x);
    ia_tensor_free(&store);
}

/* The angles are float(pos) * inv_freq in float, as transformers computes
 * them: at position 100000 a double angle would differ by far more than
 * 1e-4 after the cos. */
static void test_float_angles(void **state)
{
    (void)state;
    float xs[128], ys[128];
    for (int i = 0; i < 128; i++)
        xs[i] = i < 64 ? 1.0f : 0.0f;
    ia_tensor x = ia_tensor_f32_4d(xs, 1, 1, 1, 128), y = ia_tensor_f32_4d(ys, 1, 1, 1, 128);
    ia_op op = rope_op(&x, NULL, &y, 0, 10000, 0, false, 100000);
    test_backend list[8];
    int n = test_backends_create(list, 7);
    ia_error err;
    list[n].backend = ia_backend_reference_create(&err);
    snprintf(list[n].label, sizeof list[n].label, "reference");
    for (int b = 0; b <= n; b++) {
        assert_int_equal(ia_backend_compute(list[b].backend, &op, &err), IA_OK);
        for (int i = 0; i < 64; i++) {
            float inv = 1.0f / (float)pow(10000.0, (double)((float)(2 * i) / 128.0f));
            float angle = 100000.0f * inv;
            assert_float_equal(ys[i], cos((double)angle), 2e-6);
            assert_float_equal(ys[64 + i], sin((double)angle), 2e-6);
        }
    }
    test_backends_free(list, n + 1);
}

static void test_rejected(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 33);
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 4, (int64_t[]){1, 2, 5, 8}, -1, 1);
    ia_tensor x3 = random_tensor(&r, IA_DTYPE_F32, 3, (int64_t[]){2, 5, 8}, -1, 1);
    ia_tensor d = zero_tensor(IA_DTYPE_F32, 4, (int64_t[]){1, 2, 5, 8});
    ia_tensor d3 = zero_tensor(IA_DTYPE_F32, 3, (int64_t[]){2, 5, 8});
    ia_tensor pos_bad = random_tensor(&r, IA_DTYPE_I32, 1, (int64_t[]){4}, 0, 9);
    ia_tensor pos_f = random_tensor(&r, IA_DTYPE_F32, 1, (int64_t[]){5}, 0, 9);
    ia_op op = rope_op(&x, NULL, &d, 5, 10000, 0, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "odd rotary_dim");
    op = rope_op(&x, NULL, &d, 10, 10000, 0, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "rotary_dim above D");
    op = rope_op(&x, NULL, &d, 0, 0, 0, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "theta 0");
    op = rope_op(&x, NULL, &d, 0, 10000, -1, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "negative scaling");
    op = rope_op(&x, &pos_bad, &d, 0, 10000, 0, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "positions of the wrong length");
    op = rope_op(&x, &pos_f, &d, 0, 10000, 0, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "F32 positions");
    op = rope_op(&x3, NULL, &d3, 0, 10000, 0, false, 0);
    check_op_rejected(&op, IA_ERR_INVALID, "3-D src0");

    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    op = rope_op(&x, NULL, &d, 5, 10000, 0, false, 0);
    assert_int_equal(ia_backend_compute(ref, &op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "rotary_dim 5"));
    ia_backend_free(ref);
    ia_tensor_free(&x);
    ia_tensor_free(&x3);
    ia_tensor_free(&d);
    ia_tensor_free(&d3);
    ia_tensor_free(&pos_bad);
    ia_tensor_free(&pos_f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_permuted_input),
        cmocka_unit_test(test_float_angles),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
