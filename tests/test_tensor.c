/* Tensors, views, conversions and arenas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/tensor.h"

static void test_dtypes(void **state)
{
    (void)state;
    for (int i = 0; i < IA_DTYPE_COUNT; i++) {
        ia_dtype back;
        assert_true(ia_dtype_from_name(ia_dtype_name((ia_dtype)i), &back));
        assert_int_equal(back, i);
        assert_true(ia_dtype_size((ia_dtype)i) >= 1);
    }
    ia_dtype t;
    assert_false(ia_dtype_from_name("F8_E4M3", &t));
    assert_int_equal(ia_dtype_size(IA_DTYPE_BF16), 2);
    assert_true(ia_dtype_is_float(IA_DTYPE_F16));
    assert_false(ia_dtype_is_float(IA_DTYPE_I64));
}

static void test_views(void **state)
{
    (void)state;
    float data[2 * 3 * 4];
    for (int i = 0; i < 24; i++)
        data[i] = (float)i;
    ia_tensor t = ia_tensor_f32_3d(data, 2, 3, 4);
    assert_true(ia_tensor_is_contiguous(&t));
    assert_int_equal(ia_tensor_numel(&t), 24);
    assert_int_equal(t.stride[0], 12);

    ia_tensor s;
    ia_error err;
    assert_int_equal(ia_tensor_view_slice(&t, 1, 1, 2, &s, &err), IA_OK);
    assert_int_equal(s.shape[1], 2);
    assert_false(ia_tensor_is_contiguous(&s));
    assert_true(*(float *)ia_tensor_at(&s, (int64_t[]){1, 1, 3}) == 1 * 12 + 2 * 4 + 3);
    assert_int_equal(ia_tensor_view_slice(&t, 1, 2, 2, &s, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "outside dimension 1"));

    ia_tensor p;
    assert_int_equal(ia_tensor_view_permute(&t, (int[]){2, 0, 1}, &p, &err), IA_OK);
    assert_int_equal(p.shape[0], 4);
    assert_true(*(float *)ia_tensor_at(&p, (int64_t[]){3, 1, 2}) == 1 * 12 + 2 * 4 + 3);
    assert_int_equal(ia_tensor_view_permute(&t, (int[]){0, 0, 1}, &p, &err), IA_ERR_INVALID);

    ia_tensor r;
    assert_int_equal(ia_tensor_view_reshape(&t, 2, (int64_t[]){6, 4}, &r, &err), IA_OK);
    assert_int_equal(ia_tensor_view_reshape(&t, 2, (int64_t[]){5, 4}, &r, &err), IA_ERR_INVALID);
    assert_int_equal(ia_tensor_view_reshape(&s, 2, (int64_t[]){4, 4}, &r, &err), IA_ERR_INVALID);
    char buf[64];
    assert_string_equal(ia_tensor_describe(&t, buf, sizeof buf), "[2, 3, 4] F32");
}

static void test_alloc_refuses_absurd_sizes(void **state)
{
    (void)state;
    ia_tensor t;
    ia_error err;
    assert_int_equal(ia_tensor_alloc(&t, IA_DTYPE_F32, 2, (int64_t[]){INT64_MAX / 2, 4}, &err),
                     IA_ERR_INVALID);
    assert_int_equal(ia_tensor_alloc(&t, IA_DTYPE_F32, 1, (int64_t[]){-1}, &err), IA_ERR_INVALID);
    assert_int_equal(ia_tensor_alloc(&t, IA_DTYPE_F32, 5, (int64_t[]){1, 1, 1, 1, 1}, &err),
                     IA_ERR_INVALID);
    assert_int_equal(ia_tensor_alloc(&t, IA_DTYPE_BF16, 2, (int64_t[]){3, 5}, &err), IA_OK);
    assert_int_equal((uintptr_t)t.data % IA_TENSOR_ALIGN, 0);
    assert_int_equal(((uint16_t *)t.data)[14], 0);
    ia_tensor_free(&t);
}

/* Every F16 value converts to F32 and back unchanged (NaNs stay NaNs). */
static void test_f16_round_trip(void **state)
{
    (void)state;
    for (uint32_t h = 0; h < 65536; h++) {
        float f = ia_f16_to_f32((uint16_t)h);
        if (isnan(f)) {
            assert_true(isnan(ia_f16_to_f32(ia_f32_to_f16(f))));
            continue;
        }
        assert_int_equal(ia_f32_to_f16(f), h);
    }
}

static void test_f16_rounding(void **state)
{
    (void)state;
    assert_true(ia_f16_to_f32(0x3c00) == 1.0f);
    assert_true(ia_f16_to_f32(0x0001) == ldexpf(1, -24)); /* smallest subnormal */
    assert_true(ia_f16_to_f32(0x7bff) == 65504.0f);
    assert_int_equal(ia_f32_to_f16(65520.0f), 0x7c00);  /* rounds up to infinity */
    assert_int_equal(ia_f32_to_f16(65519.0f), 0x7bff);
    /* 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to even. */
    assert_int_equal(ia_f32_to_f16(1.0f + ldexpf(1, -11)), 0x3c00);
    assert_int_equal(ia_f32_to_f16(1.0f + 3 * ldexpf(1, -11)), 0x3c02);
    assert_int_equal(ia_f32_to_f16(ldexpf(1, -25)), 0x0000);     /* half the smallest: to even 0 */
    assert_int_equal(ia_f32_to_f16(ldexpf(1.5f, -25)), 0x0001);
    assert_int_equal(ia_f32_to_f16(-0.0f), 0x8000);
    assert_int_equal(ia_f32_to_f16(INFINITY), 0x7c00);
}

static void test_bf16(void **state)
{
    (void)state;
    assert_true(ia_bf16_to_f32(0x3f80) == 1.0f);
    assert_int_equal(ia_f32_to_bf16(1.0f), 0x3f80);
    /* 1 + 2^-8 is halfway between two bf16 values: ties to even (1.0). */
    assert_int_equal(ia_f32_to_bf16(1.0f + ldexpf(1, -8)), 0x3f80);
    assert_int_equal(ia_f32_to_bf16(1.0f + 3 * ldexpf(1, -8)), 0x3f82);
    assert_true(isnan(ia_bf16_to_f32(ia_f32_to_bf16(NAN))));
    for (uint32_t h = 0; h < 65536; h += 7) {
        float f = ia_bf16_to_f32((uint16_t)h);
        if (!isnan(f))
            assert_int_equal(ia_f32_to_bf16(f), h);
    }
}

static void test_copy_converts_and_follows_strides(void **state)
{
    (void)state;
    float src[6] = {1, 2, 3, 4, 5, 6.5f};
    ia_tensor s = ia_tensor_f32_2d(src, 2, 3), st;
    ia_error err;
    ia_tensor_view_permute(&s, (int[]){1, 0}, &st, &err); /* [3, 2] transpose */
    uint16_t out[6];
    ia_tensor d = ia_tensor_make(IA_DTYPE_F16, 2, (int64_t[]){3, 2}, out);
    assert_int_equal(ia_tensor_copy(&st, &d, &err), IA_OK);
    const float want[6] = {1, 4, 2, 5, 3, 6.5f};
    for (int i = 0; i < 6; i++)
        assert_true(ia_f16_to_f32(out[i]) == want[i]);
    int64_t ids[3];
    ia_tensor di = ia_tensor_make(IA_DTYPE_I64, 1, (int64_t[]){3}, ids);
    int32_t src_i[3] = {-5, 0, 70000};
    ia_tensor si = ia_tensor_make(IA_DTYPE_I32, 1, (int64_t[]){3}, src_i);
    assert_int_equal(ia_tensor_copy(&si, &di, &err), IA_OK);
    assert_int_equal(ids[0], -5);
    assert_int_equal(ids[2], 70000);
    ia_tensor wrong = ia_tensor_make(IA_DTYPE_I64, 1, (int64_t[]){2}, ids);
    assert_int_equal(ia_tensor_copy(&si, &wrong, &err), IA_ERR_INVALID);
}

/* The same sequence of allocations twice: the second run asks the system for
 * nothing, even when the first needed several blocks. */
static void test_arena_second_run_allocates_nothing(void **state)
{
    (void)state;
    ia_arena *a = ia_arena_create(1024);
    assert_non_null(a);
    const size_t sizes[] = {100, 3000, 17, 64, 70000, 5};
    for (int run = 0; run < 3; run++) {
        uint64_t before = ia_arena_system_allocations(a);
        void *ptrs[6];
        for (int i = 0; i < 6; i++) {
            ptrs[i] = ia_arena_alloc(a, sizes[i]);
            assert_non_null(ptrs[i]);
            assert_int_equal((uintptr_t)ptrs[i] % IA_TENSOR_ALIGN, 0);
            memset(ptrs[i], i, sizes[i]);
        }
        for (int i = 0; i < 6; i++) /* no allocation overlapped another */
            assert_int_equal(((unsigned char *)ptrs[i])[sizes[i] - 1], i);
        if (run > 0)
            assert_int_equal(ia_arena_system_allocations(a), before);
        ia_arena_reset(a);
        assert_int_equal(ia_arena_used(a), 0);
    }
    ia_tensor t;
    ia_error err;
    assert_int_equal(ia_arena_tensor(a, &t, IA_DTYPE_F32, 2, (int64_t[]){7, 9}, &err), IA_OK);
    assert_int_equal(ia_arena_tensor(a, &t, IA_DTYPE_F32, 2, (int64_t[]){INT64_MAX, 9}, &err),
                     IA_ERR_INVALID);
    ia_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dtypes),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_alloc_refuses_absurd_sizes),
        cmocka_unit_test(test_f16_round_trip),
        cmocka_unit_test(test_f16_rounding),
        cmocka_unit_test(test_bf16),
        cmocka_unit_test(test_copy_converts_and_follows_strides),
        cmocka_unit_test(test_arena_second_run_allocates_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
