/* Shared by the engine's files: the per-op entry points behind the backends'
 * dispatch tables. Not a public interface.
 *
 * Every op has three functions, defined together in the file of its group
 * (src/engine/ops_<group>.c for the check and the reference,
 * src/engine/cpu/<group>.c for the CPU kernel):
 *   ia_check_<op>  validates the op's tensors and parameters (ia_op_check);
 *   ia_ref_<op>    the plain C reference: single thread, obvious loops;
 *   ia_cpu_<op>    the CPU backend's kernel: threads, SIMD, BLAS.
 * IA_ENGINE_OPS lists them once, so the tables cannot drift apart. */
#ifndef IA_ENGINE_INTERNAL_H
#define IA_ENGINE_INTERNAL_H

#include "ipfs_accelerate/engine.h"

#define IA_ENGINE_OPS(X)            \
    X(IA_OP_MATMUL, matmul)         \
    X(IA_OP_ADD, add)               \
    X(IA_OP_MUL, mul)               \
    X(IA_OP_SCALE, scale)           \
    X(IA_OP_LAYER_NORM, layer_norm) \
    X(IA_OP_RMS_NORM, rms_norm)     \
    X(IA_OP_GROUP_NORM, group_norm) \
    X(IA_OP_SOFTMAX, softmax)       \
    X(IA_OP_ACTIVATION, activation) \
    X(IA_OP_ATTENTION, attention)   \
    X(IA_OP_ROPE, rope)             \
    X(IA_OP_EMBEDDING, embedding)   \
    X(IA_OP_CONV1D, conv1d)         \
    X(IA_OP_CONV2D, conv2d)         \
    X(IA_OP_COPY, copy)             \
    X(IA_OP_CONCAT, concat)         \
    X(IA_OP_PAD, pad)

/* The CPU backend's state, passed to every ia_cpu_<op>. */
typedef struct ia_cpu_ctx {
    ia_threadpool *pool;
    ia_cpu_isa isa;   /* never AUTO */
    ia_cpu_gemm gemm;
    /* Per-thread scratch, grown on first need and kept: see ia_cpu_scratch. */
    int scratch_count;
    void **scratch;
    size_t *scratch_size;
} ia_cpu_ctx;

#define IA_DECLARE_OP(TYPE, name)                                   \
    ia_status ia_check_##name(const ia_op *op, ia_error *err);      \
    ia_status ia_ref_##name(const ia_op *op, ia_error *err);        \
    ia_status ia_cpu_##name(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err);
IA_ENGINE_OPS(IA_DECLARE_OP)
#undef IA_DECLARE_OP

/* A 64-byte aligned buffer of at least bytes for this thread index of the
 * pool, kept between calls (NULL when out of memory). Kernels use it for
 * packing and per-thread partial results, so a forward pass allocates nothing
 * once every buffer has reached its size. */
void *ia_cpu_scratch(ia_cpu_ctx *cpu, int thread, size_t bytes);

/* Helpers for checks: the message names the op and the tensor. */
ia_status ia_check_fail(const ia_op *op, ia_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* src[i] present, of one of the float dtypes allowed by mask (bit per
 * ia_dtype), with ndim in [min_dims, max_dims]. */
ia_status ia_check_tensor(const ia_op *op, ia_error *err, const char *what, const ia_tensor *t,
                          unsigned dtype_mask, int min_dims, int max_dims);
#define IA_DTYPE_BIT(t) (1u << (t))
#define IA_FLOAT_WEIGHTS (IA_DTYPE_BIT(IA_DTYPE_F32) | IA_DTYPE_BIT(IA_DTYPE_F16) | IA_DTYPE_BIT(IA_DTYPE_BF16))

/* Reads element i (in the tensor's own index order, honouring strides) of a
 * float tensor (F32, F16 or BF16) as float: for references and odd paths. */
float ia_tensor_get_f32(const ia_tensor *t, const int64_t *idx);
void ia_tensor_set_f32(const ia_tensor *t, const int64_t *idx, float v);

#endif
