/* Shared by the op tests: random tensors, the error measure, and running one
 * op on every backend (and every ISA this CPU has) against the reference. */
#ifndef IA_OP_TEST_SUPPORT_H
#define IA_OP_TEST_SUPPORT_H

#include <stdint.h>

#include "ipfs_accelerate/engine.h"

/* Deterministic random numbers (xorshift64*). */
typedef struct test_rng {
    uint64_t state;
} test_rng;
void rng_seed(test_rng *r, uint64_t seed);
float rng_uniform(test_rng *r, float lo, float hi);
int64_t rng_int(test_rng *r, int64_t lo, int64_t hi); /* inclusive */

/* A contiguous tensor (ia_tensor_alloc; free with ia_tensor_free) filled with
 * uniform values in [lo, hi) (float dtypes) or integers in [lo, hi] (integer
 * dtypes; BOOL gets 0/1). */
ia_tensor random_tensor(test_rng *r, ia_dtype dtype, int ndim, const int64_t *shape, float lo,
                        float hi);
ia_tensor zero_tensor(ia_dtype dtype, int ndim, const int64_t *shape);

/* sum((a - b)^2) / max(sum(b^2), tiny), over every element, any strides. */
double nmse(const ia_tensor *a, const ia_tensor *b);
double max_abs_diff(const ia_tensor *a, const ia_tensor *b);

/* The backends under test: the CPU backend at every ISA this machine has
 * (portable always), each with GEMM "own" and "blas" where it matters. */
typedef struct test_backend {
    ia_backend *backend;
    char label[48]; /* "cpu/avx512/own" */
} test_backend;
int test_backends_create(test_backend *out, int max); /* returns the count */
void test_backends_free(test_backend *list, int n);

/* Runs op (with op->dst describing the destination's shape and dtype; its
 * data is ignored) on the reference and on every test backend, each into a
 * fresh contiguous destination, and fails the test when a backend errs or
 * its NMSE against the reference exceeds max_nmse. label names the case in
 * the failure message. Returns the worst NMSE seen. */
double check_op_all_backends(const ia_op *op, double max_nmse, const char *label);

/* Like check_op_all_backends but expects every backend, the reference
 * included, to refuse the op with this status. */
void check_op_rejected(const ia_op *op, ia_status expected, const char *label);

#endif
