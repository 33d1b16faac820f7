/*
 * tensor: typed, strided views of memory, up to four dimensions, and the
 * arenas that hold per-inference scratch.
 *
 * An ia_tensor is a small value: dtype, shape, strides (in elements) and a
 * data pointer. It does not own its memory. Memory comes from one of:
 *   - ia_tensor_alloc / ia_tensor_free: one 64-byte aligned heap buffer;
 *   - an ia_arena: scratch for one forward pass, reset between runs, so a
 *     pass allocates nothing once the arena has grown to its high-water mark;
 *   - a weights file mapped into memory (formats/safetensors.h), read-only.
 * A view (ia_tensor_view_*) shares its parent's memory and must not outlive it.
 *
 * Shapes are outermost first, as in PyTorch: a [batch, seq, hidden] tensor has
 * shape {batch, seq, hidden} and, when contiguous, strides
 * {seq * hidden, hidden, 1}.
 */
#ifndef IPFS_ACCELERATE_TENSOR_H
#define IPFS_ACCELERATE_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ia_dtype {
    IA_DTYPE_F32 = 0,
    IA_DTYPE_F16,
    IA_DTYPE_BF16,
    IA_DTYPE_F64,
    IA_DTYPE_I8,
    IA_DTYPE_U8,
    IA_DTYPE_I16,
    IA_DTYPE_I32,
    IA_DTYPE_I64,
    IA_DTYPE_BOOL,
    /* Block-quantized types go here: each has a block of ia_dtype_block_size
     * elements stored in ia_dtype_size bytes. */
    IA_DTYPE_COUNT
} ia_dtype;

/* Bytes per element (per block, for block-quantized types). */
size_t ia_dtype_size(ia_dtype t);
/* Elements per block: 1 for plain types. */
int ia_dtype_block_size(ia_dtype t);
/* The safetensors spelling: "F32", "F16", "BF16", "I64", "BOOL", ... */
const char *ia_dtype_name(ia_dtype t);
/* Parses a safetensors dtype name; false when unknown. */
bool ia_dtype_from_name(const char *name, ia_dtype *out);
bool ia_dtype_is_float(ia_dtype t);

#define IA_TENSOR_MAX_DIMS 4
#define IA_TENSOR_ALIGN 64

typedef struct ia_tensor {
    ia_dtype dtype;
    int ndim;                             /* 0 (scalar) to 4 */
    int64_t shape[IA_TENSOR_MAX_DIMS];    /* unused dimensions are 1 */
    int64_t stride[IA_TENSOR_MAX_DIMS];   /* in elements; unused are 0 */
    void *data;
} ia_tensor;

/* Describes a contiguous tensor over data (which may be NULL until set). */
ia_tensor ia_tensor_make(ia_dtype dtype, int ndim, const int64_t *shape, void *data);
/* Shorthands for contiguous F32 tensors. */
ia_tensor ia_tensor_f32_1d(float *data, int64_t n0);
ia_tensor ia_tensor_f32_2d(float *data, int64_t n0, int64_t n1);
ia_tensor ia_tensor_f32_3d(float *data, int64_t n0, int64_t n1, int64_t n2);
ia_tensor ia_tensor_f32_4d(float *data, int64_t n0, int64_t n1, int64_t n2, int64_t n3);

int64_t ia_tensor_numel(const ia_tensor *t);
/* Bytes spanned by the elements of a contiguous tensor. */
size_t ia_tensor_nbytes(const ia_tensor *t);
bool ia_tensor_is_contiguous(const ia_tensor *t);
bool ia_tensor_same_shape(const ia_tensor *a, const ia_tensor *b);
/* "[2, 7, 32] F32" into buf, for messages. */
const char *ia_tensor_describe(const ia_tensor *t, char *buf, size_t size);

/* A contiguous tensor in its own 64-byte aligned buffer, zero-filled.
 * Fails on absurd sizes (overflow, more than the address space). */
ia_status ia_tensor_alloc(ia_tensor *t, ia_dtype dtype, int ndim, const int64_t *shape,
                          ia_error *err);
void ia_tensor_free(ia_tensor *t);

/* Views share memory with their source. */
/* dims [start, start+len) of dimension dim. */
ia_status ia_tensor_view_slice(const ia_tensor *t, int dim, int64_t start, int64_t len,
                               ia_tensor *out, ia_error *err);
/* Reorders dimensions: out dim i is t's dim perm[i]. */
ia_status ia_tensor_view_permute(const ia_tensor *t, const int *perm, ia_tensor *out,
                                 ia_error *err);
/* A contiguous tensor seen with another shape of the same element count. */
ia_status ia_tensor_view_reshape(const ia_tensor *t, int ndim, const int64_t *shape,
                                 ia_tensor *out, ia_error *err);

/* Address of the element at index idx (ndim entries). */
void *ia_tensor_at(const ia_tensor *t, const int64_t *idx);

/* Converts n elements between float types (F32, F16, BF16): round to
 * nearest even, as PyTorch does. */
void ia_convert_f16_to_f32(const uint16_t *src, float *dst, size_t n);
void ia_convert_bf16_to_f32(const uint16_t *src, float *dst, size_t n);
void ia_convert_f32_to_f16(const float *src, uint16_t *dst, size_t n);
void ia_convert_f32_to_bf16(const float *src, uint16_t *dst, size_t n);
float ia_f16_to_f32(uint16_t h);
uint16_t ia_f32_to_f16(float f);
float ia_bf16_to_f32(uint16_t h);
uint16_t ia_f32_to_bf16(float f);

/* Copies src into dst, converting dtype (float types and integer types among
 * themselves) and honouring both tensors' strides. Shapes must match. */
ia_status ia_tensor_copy(const ia_tensor *src, ia_tensor *dst, ia_error *err);

/* ------------------------------------------------------------------ arenas */

/* Bump allocation from 64-byte aligned blocks. ia_arena_reset keeps the
 * memory, so the second run of the same forward pass allocates nothing; a run
 * that needed more than one block merges them into one at reset. */
typedef struct ia_arena ia_arena;

ia_arena *ia_arena_create(size_t initial_bytes);
void ia_arena_free(ia_arena *a);
/* NULL when out of memory. Never returns memory that overlaps a live
 * allocation of the same arena since its last reset. */
void *ia_arena_alloc(ia_arena *a, size_t bytes);
/* A contiguous tensor from the arena (not zero-filled). */
ia_status ia_arena_tensor(ia_arena *a, ia_tensor *t, ia_dtype dtype, int ndim,
                          const int64_t *shape, ia_error *err);
void ia_arena_reset(ia_arena *a);
/* Bytes in use since the last reset, and the blocks' total capacity. */
size_t ia_arena_used(const ia_arena *a);
size_t ia_arena_capacity(const ia_arena *a);
/* How many times the arena asked the system for memory: a forward pass that
 * allocates nothing after its first run leaves this unchanged. */
uint64_t ia_arena_system_allocations(const ia_arena *a);

#ifdef __cplusplus
}
#endif

#endif
