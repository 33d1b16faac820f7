/* For the tests of the elementwise, norm, softmax, rope and layout ops: runs
 * an op with its destination written through strides and in place (dst ==
 * src0), on the reference and on every test backend, against the
 * reference's contiguous result. check_op_all_backends covers the plain
 * contiguous destination. Include after cmocka.h and op_test_support.h. */
#ifndef IA_OP_TEST_LAYOUTS_H
#define IA_OP_TEST_LAYOUTS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "op_test_support.h"

/* A float no kernel produces from the tests' inputs: marks storage that must
 * stay untouched. */
#define LAYOUT_SENTINEL 12345.5f

enum { LAYOUT_CONTIGUOUS, LAYOUT_PADDED, LAYOUT_REVERSED };

/* A view of t's shape and dtype over fresh storage: contiguous, padded (each
 * row and plane has 3 spare elements), or reversed (the first dimension is
 * the innermost in memory, so no inner stride is 1). Storage is filled with
 * the sentinel (F32) or zeros. */
static inline ia_tensor layout_view(const ia_tensor *t, int kind, ia_tensor *storage)
{
    ia_tensor v = *t;
    int64_t stride = 1;
    for (int k = 0; k < t->ndim; k++) {
        int d = kind == LAYOUT_REVERSED ? k : t->ndim - 1 - k;
        v.stride[d] = stride;
        stride = stride * t->shape[d] + (kind == LAYOUT_PADDED ? 3 : 0);
    }
    int64_t n = stride + 1;
    *storage = zero_tensor(t->dtype, 1, &n);
    if (t->dtype == IA_DTYPE_F32)
        for (int64_t i = 0; i < n; i++)
            ((float *)storage->data)[i] = LAYOUT_SENTINEL;
    v.data = storage->data;
    return v;
}

static inline int64_t count_sentinels(const ia_tensor *storage)
{
    int64_t c = 0, n = storage->shape[0];
    if (storage->dtype == IA_DTYPE_F32)
        for (int64_t i = 0; i < n; i++)
            c += ((float *)storage->data)[i] == LAYOUT_SENTINEL;
    return c;
}

static inline void layout_run_one(ia_backend *be, const char *be_label, const ia_op *op,
                                  const ia_tensor *want, int kind, bool inplace, double max_nmse,
                                  const char *label)
{
    ia_tensor storage;
    ia_tensor view = layout_view(op->dst, kind, &storage);
    ia_op o = *op;
    o.dst = &view;
    ia_error err;
    if (inplace) {
        if (ia_tensor_copy(op->src[0], &view, &err) != IA_OK)
            fail_msg("%s: %s", label, err.message);
        o.src[0] = &view;
    }
    int64_t before = count_sentinels(&storage);
    if (ia_backend_compute(be, &o, &err) != IA_OK)
        fail_msg("%s on %s (%s, layout %d): %s", label, be_label, inplace ? "in place" : "strided dst",
                 kind, err.message);
    double e = nmse(&view, want);
    if (!(e <= max_nmse))
        fail_msg("%s on %s (%s, layout %d): NMSE %.3g above %.3g", label, be_label,
                 inplace ? "in place" : "strided dst", kind, e, max_nmse);
    if (!inplace && storage.dtype == IA_DTYPE_F32 && count_sentinels(&storage) != before - ia_tensor_numel(&view))
        fail_msg("%s on %s (layout %d): wrote outside dst or missed elements", label, be_label, kind);
    ia_tensor_free(&storage);
}

/* Strided destinations always; in place too when inplace (src0 must have
 * dst's shape and dtype). */
static inline void check_op_layouts(const ia_op *op, double max_nmse, bool inplace, const char *label)
{
    ia_error err;
    ia_backend *ref = ia_backend_reference_create(&err);
    ia_tensor want = zero_tensor(op->dst->dtype, op->dst->ndim, op->dst->shape);
    ia_op r = *op;
    r.dst = &want;
    if (ia_backend_compute(ref, &r, &err) != IA_OK)
        fail_msg("%s: reference failed: %s", label, err.message);
    test_backend list[8];
    int n = test_backends_create(list, 7);
    list[n].backend = ref;
    snprintf(list[n].label, sizeof list[n].label, "reference");
    for (int i = 0; i <= n; i++) {
        for (int kind = LAYOUT_PADDED; kind <= LAYOUT_REVERSED; kind++)
            layout_run_one(list[i].backend, list[i].label, op, &want, kind, false, max_nmse, label);
        if (inplace)
            for (int kind = LAYOUT_CONTIGUOUS; kind <= LAYOUT_REVERSED; kind++)
                layout_run_one(list[i].backend, list[i].label, op, &want, kind, true, max_nmse, label);
    }
    test_backends_free(list, n + 1);
    ia_tensor_free(&want);
}

/* A copy of t (same shape, same values) stored with its last two
 * dimensions swapped, so its inner stride is not 1: a permuted view, as a
 * model makes with a transpose. The caller frees storage. */
static inline ia_tensor transposed_copy(const ia_tensor *t, ia_tensor *storage)
{
    ia_tensor s = *t;
    int a = t->ndim - 2, b = t->ndim - 1;
    s.shape[a] = t->shape[b];
    s.shape[b] = t->shape[a];
    *storage = zero_tensor(t->dtype, t->ndim, s.shape);
    ia_tensor v = *storage;
    v.shape[a] = storage->shape[b];
    v.shape[b] = storage->shape[a];
    v.stride[a] = storage->stride[b];
    v.stride[b] = storage->stride[a];
    ia_error err;
    if (ia_tensor_copy(t, &v, &err) != IA_OK)
        fail_msg("transposed_copy: %s", err.message);
    return v;
}

#endif
