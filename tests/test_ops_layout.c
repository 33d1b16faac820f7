/* EMBEDDING, COPY, CONCAT and PAD on every backend against the reference:
 * F32 / F16 / BF16 tables, bad ids, permutes and transposes with odd sizes,
 * dtype conversions, strided sources and destinations; rejected ops. */
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

/* ------------------------------------------------------------- embedding */

static void test_embedding(void **state)
{
    (void)state;
    static const ia_dtype tables[] = {IA_DTYPE_F32, IA_DTYPE_F16, IA_DTYPE_BF16};
    static const struct {
        ia_dtype dt;
        int nd;
        int64_t s[3];
    } ids_cases[] = {{IA_DTYPE_I32, 2, {2, 7}}, {IA_DTYPE_I64, 1, {5}}, {IA_DTYPE_I64, 0, {0}},
                     {IA_DTYPE_I32, 3, {2, 1, 3}}};
    test_rng r;
    rng_seed(&r, 41);
    for (int t = 0; t < 3; t++) {
        ia_tensor table = random_tensor(&r, tables[t], 2, (int64_t[]){50, 33}, -1, 1);
        for (size_t i = 0; i < sizeof ids_cases / sizeof *ids_cases; i++) {
            ia_tensor ids = random_tensor(&r, ids_cases[i].dt, ids_cases[i].nd, ids_cases[i].s, 0, 49);
            int64_t ds[4];
            for (int d = 0; d < ids.ndim; d++)
                ds[d] = ids.shape[d];
            ds[ids.ndim] = 33;
            ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, ids.ndim + 1, ds, NULL);
            ia_op op = {.type = IA_OP_EMBEDDING, .src = {&table, &ids}, .dst = &dst};
            char label[64];
            snprintf(label, sizeof label, "embedding %s ids case %zu", ia_dtype_name(tables[t]), i);
            check_op_all_backends(&op, 0, label);
            check_op_layouts(&op, 0, false, label);
            ia_tensor_free(&ids);
        }
        /* A transposed table view. */
        ia_tensor store, tt = transposed_copy(&table, &store);
        ia_tensor ids = random_tensor(&r, IA_DTYPE_I32, 1, (int64_t[]){9}, 0, 49);
        ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, 2, (int64_t[]){9, 33}, NULL);
        ia_op op = {.type = IA_OP_EMBEDDING, .src = {&tt, &ids}, .dst = &dst};
        check_op_all_backends(&op, 0, "embedding from a transposed table");
        ia_tensor_free(&ids);
        ia_tensor_free(&store);
        ia_tensor_free(&table);
    }
}

static void test_embedding_bad_id(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 42);
    ia_tensor table = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){50, 8}, -1, 1);
    ia_tensor dst = zero_tensor(IA_DTYPE_F32, 2, (int64_t[]){4, 8});
    static const int64_t bad[] = {50, -1, 1000000};
    for (int k = 0; k < 3; k++) {
        int64_t ids_v[4] = {1, 2, bad[k], 3};
        ia_tensor ids = ia_tensor_make(IA_DTYPE_I64, 1, (int64_t[]){4}, ids_v);
        ia_op op = {.type = IA_OP_EMBEDDING, .src = {&table, &ids}, .dst = &dst};
        check_op_rejected(&op, IA_ERR_INVALID, "embedding bad id");
        test_backend list[8];
        int n = test_backends_create(list, 7);
        ia_error err;
        list[n].backend = ia_backend_reference_create(&err);
        snprintf(list[n].label, sizeof list[n].label, "reference");
        char id[32];
        snprintf(id, sizeof id, "id %lld", (long long)bad[k]);
        for (int b = 0; b <= n; b++) {
            assert_int_equal(ia_backend_compute(list[b].backend, &op, &err), IA_ERR_INVALID);
            if (!strstr(err.message, id) || !strstr(err.message, "50") || !strstr(err.message, "embedding"))
                fail_msg("%s: message \"%s\" does not name %s and 50", list[b].label, err.message, id);
        }
        test_backends_free(list, n + 1);
    }
    ia_tensor_free(&table);
    ia_tensor_free(&dst);
}

/* ------------------------------------------------------------------ copy */

/* Copies a permuted view of a random [a, b, c, d] tensor into a contiguous
 * destination, for every permutation given. */
static void test_copy_permutes(void **state)
{
    (void)state;
    static const int perms[][4] = {{0, 2, 1, 3}, {0, 1, 3, 2}, {3, 2, 1, 0}, {1, 0, 3, 2},
                                   {0, 3, 1, 2}, {2, 0, 3, 1}, {0, 1, 2, 3}};
    static const int64_t shapes[][4] = {{2, 7, 3, 33}, {1, 3, 67, 129}, {3, 1, 9, 1}};
    test_rng r;
    rng_seed(&r, 43);
    for (int s = 0; s < 3; s++) {
        for (size_t p = 0; p < sizeof perms / sizeof *perms; p++) {
            for (int dt = 0; dt < 2; dt++) {
                ia_dtype t = dt ? IA_DTYPE_F16 : IA_DTYPE_F32;
                ia_tensor x = random_tensor(&r, t, 4, shapes[s], -5, 5), v;
                ia_error err;
                assert_int_equal(ia_tensor_view_permute(&x, perms[p], &v, &err), IA_OK);
                ia_tensor dst = ia_tensor_make(t, 4, v.shape, NULL);
                ia_op op = {.type = IA_OP_COPY, .src = {&v}, .dst = &dst};
                char label[64];
                snprintf(label, sizeof label, "copy %s shape %d perm %zu", ia_dtype_name(t), s, p);
                check_op_all_backends(&op, 0, label);
                if (s == 0)
                    check_op_layouts(&op, 0, false, label);
                ia_tensor_free(&x);
            }
        }
    }
    /* A big transpose that is shared among threads. */
    ia_tensor x = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){300, 257}, -1, 1), v;
    ia_error err;
    assert_int_equal(ia_tensor_view_permute(&x, (int[]){1, 0}, &v, &err), IA_OK);
    ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, 2, v.shape, NULL);
    ia_op op = {.type = IA_OP_COPY, .src = {&v}, .dst = &dst};
    check_op_all_backends(&op, 0, "copy a 300x257 transpose");
    /* A contiguous tensor into a transposed destination. */
    check_op_layouts(&op, 0, false, "copy into transposed storage");
    ia_tensor_free(&x);
}

static void test_copy_conversions(void **state)
{
    (void)state;
    static const struct {
        ia_dtype from, to;
    } pairs[] = {{IA_DTYPE_F32, IA_DTYPE_F16}, {IA_DTYPE_F32, IA_DTYPE_BF16}, {IA_DTYPE_F16, IA_DTYPE_F32},
                 {IA_DTYPE_BF16, IA_DTYPE_F32}, {IA_DTYPE_F16, IA_DTYPE_BF16}, {IA_DTYPE_I32, IA_DTYPE_I64},
                 {IA_DTYPE_I64, IA_DTYPE_I32}, {IA_DTYPE_I64, IA_DTYPE_F32}, {IA_DTYPE_BOOL, IA_DTYPE_F32},
                 {IA_DTYPE_I32, IA_DTYPE_I32}};
    static const int64_t shapes[][3] = {{2, 7, 33}, {1, 1, 4099}, {3, 5, 1}};
    test_rng r;
    rng_seed(&r, 44);
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
        for (int s = 0; s < 3; s++) {
            ia_tensor x = random_tensor(&r, pairs[p].from, 3, shapes[s], -100, 100);
            ia_tensor dst = ia_tensor_make(pairs[p].to, 3, shapes[s], NULL);
            ia_op op = {.type = IA_OP_COPY, .src = {&x}, .dst = &dst};
            char label[64];
            snprintf(label, sizeof label, "copy %s to %s shape %d", ia_dtype_name(pairs[p].from),
                     ia_dtype_name(pairs[p].to), s);
            check_op_all_backends(&op, 0, label);
            check_op_layouts(&op, 0, false, label);
            /* From a permuted source too. */
            ia_tensor store, xt = transposed_copy(&x, &store);
            op.src[0] = &xt;
            check_op_all_backends(&op, 0, label);
            ia_tensor_free(&store);
            ia_tensor_free(&x);
        }
    }
    /* Rounding to nearest even at the halfway points, and NaN. */
    float xs[6] = {1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f, NAN, -0.0f};
    ia_tensor x = ia_tensor_f32_1d(xs, 6);
    for (int t = 0; t < 2; t++) {
        ia_tensor dst = ia_tensor_make(t ? IA_DTYPE_BF16 : IA_DTYPE_F16, 1, (int64_t[]){6}, NULL);
        ia_op op = {.type = IA_OP_COPY, .src = {&x}, .dst = &dst};
        check_op_all_backends(&op, 0, t ? "F32 to BF16 halfway cases" : "F32 to F16 halfway cases");
    }
}

/* ---------------------------------------------------------------- concat */

static void test_concat(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 45);
    static const int64_t base[4] = {2, 3, 5, 7};
    for (int dim = -1; dim < 4; dim++) {
        for (int n = 2; n <= 4; n++) {
            ia_tensor src[4], store[4] = {0};
            const ia_tensor *srcs[4] = {NULL};
            int64_t total = 0, s[4];
            int d = dim < 0 ? 3 : dim;
            for (int i = 0; i < n; i++) {
                memcpy(s, base, sizeof s);
                s[d] = 1 + i * 2; /* 1, 3, 5, 7 */
                total += s[d];
                ia_tensor t = random_tensor(&r, IA_DTYPE_F32, 4, s, -1, 1);
                src[i] = i == 1 ? transposed_copy(&t, &store[i]) : t;
                if (i == 1)
                    ia_tensor_free(&t);
                srcs[i] = &src[i];
            }
            memcpy(s, base, sizeof s);
            s[d] = total;
            ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, 4, s, NULL);
            ia_op op = {.type = IA_OP_CONCAT, .src = {srcs[0], srcs[1], srcs[2], srcs[3]}, .dst = &dst,
                        .p.concat.dim = dim};
            char label[64];
            snprintf(label, sizeof label, "concat of %d along %d", n, dim);
            check_op_all_backends(&op, 0, label);
            if (n == 3)
                check_op_layouts(&op, 0, false, label);
            for (int i = 0; i < n; i++)
                ia_tensor_free(i == 1 ? &store[i] : &src[i]);
        }
    }
    /* The KV-cache step: [1, 2, 9, 8] and one new position, F16. */
    ia_tensor a = random_tensor(&r, IA_DTYPE_F16, 4, (int64_t[]){1, 2, 9, 8}, -1, 1);
    ia_tensor b = random_tensor(&r, IA_DTYPE_F16, 4, (int64_t[]){1, 2, 1, 8}, -1, 1);
    ia_tensor dst = ia_tensor_make(IA_DTYPE_F16, 4, (int64_t[]){1, 2, 10, 8}, NULL);
    ia_op op = {.type = IA_OP_CONCAT, .src = {&a, &b}, .dst = &dst, .p.concat.dim = 2};
    check_op_all_backends(&op, 0, "concat F16 along the sequence");
    ia_tensor_free(&a);
    ia_tensor_free(&b);
}

/* ------------------------------------------------------------------- pad */

static void test_pad(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 46);
    static const struct {
        int nd;
        int64_t s[4], before[4], after[4];
    } cases[] = {
        {3, {3, 5, 7}, {1, 0, 2}, {2, 3, 0}},
        {1, {7}, {3}, {1}},
        {4, {2, 3, 4, 5}, {0, 0, 1, 1}, {0, 0, 1, 1}},
        {2, {4, 33}, {0, 0}, {0, 0}},
        {2, {1, 129}, {2, 0}, {0, 31}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ia_tensor x = random_tensor(&r, IA_DTYPE_F32, cases[i].nd, cases[i].s, -1, 1);
        int64_t ds[4];
        for (int d = 0; d < cases[i].nd; d++)
            ds[d] = cases[i].s[d] + cases[i].before[d] + cases[i].after[d];
        ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, cases[i].nd, ds, NULL);
        ia_op op = {.type = IA_OP_PAD, .src = {&x}, .dst = &dst, .p.pad.value = -1.5f};
        memcpy(op.p.pad.before, cases[i].before, sizeof op.p.pad.before);
        memcpy(op.p.pad.after, cases[i].after, sizeof op.p.pad.after);
        char label[64];
        snprintf(label, sizeof label, "pad case %zu", i);
        check_op_all_backends(&op, 0, label);
        check_op_layouts(&op, 0, false, label);
        if (cases[i].nd >= 2) {
            ia_tensor store, xt = transposed_copy(&x, &store);
            op.src[0] = &xt;
            check_op_all_backends(&op, 0, label);
            ia_tensor_free(&store);
        }
        ia_tensor_free(&x);
    }
}

/* -------------------------------------------------------------- rejected */

static void test_rejected(void **state)
{
    (void)state;
    test_rng r;
    rng_seed(&r, 47);
    ia_tensor a = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){3, 4}, -1, 1);
    ia_tensor b = random_tensor(&r, IA_DTYPE_F32, 2, (int64_t[]){2, 5}, -1, 1);
    ia_tensor h = random_tensor(&r, IA_DTYPE_F16, 2, (int64_t[]){3, 4}, -1, 1);
    ia_tensor d = zero_tensor(IA_DTYPE_F32, 2, (int64_t[]){6, 4});
    ia_tensor di = zero_tensor(IA_DTYPE_I32, 2, (int64_t[]){3, 4});
    ia_tensor d34 = zero_tensor(IA_DTYPE_F32, 2, (int64_t[]){3, 4});
    ia_tensor d43 = zero_tensor(IA_DTYPE_F32, 2, (int64_t[]){4, 3});

    ia_op op = {.type = IA_OP_CONCAT, .src = {&a, &b}, .dst = &d, .p.concat.dim = 0};
    check_op_rejected(&op, IA_ERR_INVALID, "concat shape mismatch");
    op.src[1] = &h;
    check_op_rejected(&op, IA_ERR_INVALID, "concat dtype mismatch");
    op.src[1] = &a;
    op.p.concat.dim = 2;
    check_op_rejected(&op, IA_ERR_INVALID, "concat dim out of range");
    op.p.concat.dim = 0;
    op.src[1] = NULL;
    check_op_rejected(&op, IA_ERR_INVALID, "concat of one source");
    op.src[1] = &a;
    op.src[3] = &a;
    check_op_rejected(&op, IA_ERR_INVALID, "concat with src3 but no src2");

    ia_op cp = {.type = IA_OP_COPY, .src = {&a}, .dst = &di};
    check_op_rejected(&cp, IA_ERR_INVALID, "copy float to integer");
    cp.dst = &d43;
    check_op_rejected(&cp, IA_ERR_INVALID, "copy shape mismatch");

    ia_op pad = {.type = IA_OP_PAD, .src = {&a}, .dst = &d34};
    pad.p.pad.before[0] = -1;
    pad.p.pad.after[0] = 1;
    check_op_rejected(&pad, IA_ERR_INVALID, "negative padding");
    pad.p.pad.before[0] = 1;
    check_op_rejected(&pad, IA_ERR_INVALID, "pad dst shape");

    ia_tensor ids = random_tensor(&r, IA_DTYPE_I32, 1, (int64_t[]){3}, 0, 2);
    ia_tensor idsf = random_tensor(&r, IA_DTYPE_F32, 1, (int64_t[]){3}, 0, 2);
    ia_op emb = {.type = IA_OP_EMBEDDING, .src = {&a, &ids}, .dst = &d43};
    check_op_rejected(&emb, IA_ERR_INVALID, "embedding dst shape");
    emb.src[1] = &idsf;
    emb.dst = &d34;
    check_op_rejected(&emb, IA_ERR_INVALID, "embedding float ids");

    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    op.src[1] = &b;
    op.src[3] = NULL;
    assert_int_equal(ia_backend_compute(ref, &op, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "concat"));
    assert_non_null(strstr(err.message, "[2, 5]"));
    ia_backend_free(ref);
    ia_tensor_free(&a);
    ia_tensor_free(&b);
    ia_tensor_free(&h);
    ia_tensor_free(&d);
    ia_tensor_free(&di);
    ia_tensor_free(&d34);
    ia_tensor_free(&d43);
    ia_tensor_free(&ids);
    ia_tensor_free(&idsf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedding),
        cmocka_unit_test(test_embedding_bad_id),
        cmocka_unit_test(test_copy_permutes),
        cmocka_unit_test(test_copy_conversions),
        cmocka_unit_test(test_concat),
        cmocka_unit_test(test_pad),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
