/*
 * engine: the operations models are built from, and the backends that run
 * them.
 *
 * An operation is a plain description, an ia_op: its type, up to four source
 * tensors, one destination tensor and its parameters. A backend is a small
 * table of functions (after ggml's backends): `supports` says whether it can
 * run an op, `compute` runs it. So the CPU backend and, later, the CUDA one
 * implement the same ops, and one test runs every op on every backend against
 * the plain C reference.
 *
 * Memory: ops never allocate their destination: the caller passes dst with
 * its shape and memory set (ia_tensor_alloc or an arena). Backends keep their
 * own scratch, grown on first use and reused, so that a forward pass
 * allocates nothing after its first run. Backends are created and freed by
 * their creator.
 *
 * Threads: the CPU backend runs on an ia_threadpool (engine/threadpool.h);
 * one pool per process is the rule (ia_threadpool_global).
 */
#ifndef IPFS_ACCELERATE_ENGINE_H
#define IPFS_ACCELERATE_ENGINE_H

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/tensor.h"
#include "ipfs_accelerate/threadpool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ia_op_type {
    /* dst[..., M, N] = alpha * src0[..., M, K] x B + bias, where B is src1
     * [..., N, K] when b_transposed (a Linear weight, the usual case) or
     * [..., K, N] otherwise (GPT-2's Conv1D weight, attention's V). src1's
     * batch dimensions broadcast (a 2-D weight serves every batch). src2 is
     * the optional bias [N]. src1 may be F32, F16 or BF16. */
    IA_OP_MATMUL = 0,
    /* dst = src0 + src1, dst = src0 * src1, with NumPy broadcasting. */
    IA_OP_ADD,
    IA_OP_MUL,
    /* dst = src0 * scalar + bias (params.scale). */
    IA_OP_SCALE,
    /* Over the last dimension: (x - mean) / sqrt(var + eps) * w + b.
     * src1 weight and src2 bias are optional. */
    IA_OP_LAYER_NORM,
    /* Over the last dimension: x / sqrt(mean(x^2) + eps) * w, or * (1 + w)
     * with params.norm.one_plus (Gemma). src1 weight optional. */
    IA_OP_RMS_NORM,
    /* src0 [N, C, ...] in params.norm.groups groups; src1 weight [C], src2
     * bias [C], both optional. */
    IA_OP_GROUP_NORM,
    /* Over the last dimension of src0 [..., Sq, Sk] after scaling by
     * params.softmax.scale (1 when 0) and masking: src1, optional, is an
     * additive F32 mask or a BOOL mask (true = keep) broadcastable to src0;
     * params.softmax.causal and .window mask as in IA_OP_ATTENTION. */
    IA_OP_SOFTMAX,
    /* dst = act(src0), params.act. */
    IA_OP_ACTIVATION,
    /* Scaled dot-product attention. src0 q [B, Hq, Sq, D], src1 k
     * [B, Hkv, Sk, D], src2 v [B, Hkv, Sk, Dv], Hq a multiple of Hkv
     * (grouped-query); dst [B, Hq, Sq, Dv]. src3, optional, is an additive
     * F32 or BOOL (true = keep) mask broadcastable to [B, Hq, Sq, Sk], such as
     * a key padding mask [B, 1, 1, Sk]. Causal: query i sees key j when
     * j <= i + (Sk - Sq) (queries are the last Sq positions, as with a KV
     * cache). Window w > 0 also hides keys more than w - 1 positions before
     * the query. Computed in blocks with a running softmax: no Sq x Sk matrix
     * per head is materialised. Any strides. */
    IA_OP_ATTENTION,
    /* Rotary position embedding of src0 [B, H, S, D], any strides, into dst
     * (may be src0 itself). The first params.rope.rotary_dim dimensions are
     * rotated, the rest copied. Positions: src1 I32/I64 [S] or [B, S], or,
     * without src1, params.rope.position_offset + s. */
    IA_OP_ROPE,
    /* dst[..., D] = src0[src1[...], :]; src0 the table [V, D] (F32, F16 or
     * BF16), src1 I32/I64 ids. An id outside [0, V) is an error. */
    IA_OP_EMBEDDING,
    /* src0 [N, Cin, L], src1 weight [Cout, Cin / groups, K], src2 bias
     * [Cout] optional; dst [N, Cout, Lout]. */
    IA_OP_CONV1D,
    /* src0 [N, Cin, H, W], src1 [Cout, Cin / groups, Kh, Kw], src2 bias. */
    IA_OP_CONV2D,
    /* dst = src0 with dst's strides: materialises permutes, transposes and
     * slices (views of src0), and converts dtypes. */
    IA_OP_COPY,
    /* dst = src0, src1[, src2, src3] joined along params.concat.dim. */
    IA_OP_CONCAT,
    /* dst = src0 padded with params.pad.value: pad.before[d] and pad.after[d]
     * elements on each side of dimension d. */
    IA_OP_PAD,
    IA_OP_COUNT
} ia_op_type;

const char *ia_op_name(ia_op_type t);

typedef enum ia_activation {
    IA_ACT_NONE = 0,
    IA_ACT_GELU_ERF,  /* 0.5 x (1 + erf(x / sqrt 2)) */
    IA_ACT_GELU_TANH, /* the tanh approximation ("gelu_new", "gelu_pytorch_tanh") */
    IA_ACT_QUICK_GELU, /* x sigmoid(1.702 x) */
    IA_ACT_SILU,
    IA_ACT_RELU,
    IA_ACT_TANH,
    IA_ACT_SIGMOID,
    IA_ACT_COUNT
} ia_activation;

const char *ia_activation_name(ia_activation a);
/* Hugging Face hidden_act names: "gelu", "gelu_new", "gelu_pytorch_tanh",
 * "quick_gelu", "silu", "swish", "relu", "tanh", "sigmoid". */
bool ia_activation_from_name(const char *name, ia_activation *out);

#define IA_OP_MAX_SRC 4

typedef struct ia_op {
    ia_op_type type;
    const ia_tensor *src[IA_OP_MAX_SRC]; /* unused or absent: NULL */
    ia_tensor *dst;
    union {
        struct {
            bool b_transposed;
            float alpha; /* 0 means 1 */
        } matmul;
        struct {
            float scale, bias;
        } scale;
        struct {
            float eps;
            bool one_plus; /* RMSNorm with (1 + w) */
            int groups;    /* GroupNorm */
        } norm;
        struct {
            float scale; /* 0 means 1 */
            bool causal;
            int window;
        } softmax;
        ia_activation act;
        struct {
            float scale; /* 0 means 1 / sqrt(D) */
            bool causal;
            int window; /* sliding window; 0 = none */
        } attention;
        struct {
            int rotary_dim;      /* 0 means D */
            float theta;         /* base, e.g. 10000 */
            float scaling;       /* linear position scaling; 0 means 1 */
            bool interleaved;    /* GPT-J pairs (2i, 2i+1) instead of rotate-half */
            int64_t position_offset;
        } rope;
        struct {
            int stride, padding, dilation, groups; /* 0 means 1 for stride, dilation, groups */
        } conv1d;
        struct {
            int stride[2], padding[2], dilation[2], groups;
        } conv2d;
        struct {
            int dim;
        } concat;
        struct {
            int64_t before[IA_TENSOR_MAX_DIMS], after[IA_TENSOR_MAX_DIMS];
            float value;
        } pad;
    } p;
} ia_op;

/* Checks an op's tensors against its type: dtypes, ranks, shapes, sizes of
 * dst. Backends call it first; messages name the op and the tensors. */
ia_status ia_op_check(const ia_op *op, ia_error *err);

/* -------------------------------------------------------------- backends */

typedef struct ia_backend ia_backend;

struct ia_backend {
    const char *name; /* "cpu", "cuda" */
    bool (*supports)(ia_backend *be, const ia_op *op);
    ia_status (*compute)(ia_backend *be, const ia_op *op, ia_error *err);
    void (*free)(ia_backend *be);
    void *ctx;
};

/* Runs op on be after ia_op_check; IA_ERR_UNSUPPORTED when be cannot. */
ia_status ia_backend_compute(ia_backend *be, const ia_op *op, ia_error *err);
void ia_backend_free(ia_backend *be);

/* Which instruction set the CPU kernels use. AUTO picks the best the CPU and
 * OS support (from hw); the others force a path, for tests and benchmarks,
 * and fail when the CPU lacks it. */
typedef enum ia_cpu_isa {
    IA_CPU_ISA_AUTO = 0,
    IA_CPU_ISA_PORTABLE,
    IA_CPU_ISA_AVX2,   /* AVX2 + FMA */
    IA_CPU_ISA_AVX512, /* AVX-512 F/BW/VL */
} ia_cpu_isa;

/* Which GEMM serves IA_OP_MATMUL: AUTO chooses per shape (the choice rules
 * are in src/engine/cpu/matmul.c with the measurements behind them). */
typedef enum ia_cpu_gemm {
    IA_CPU_GEMM_AUTO = 0,
    IA_CPU_GEMM_OWN,  /* our kernels at the chosen ISA */
    IA_CPU_GEMM_BLAS, /* OpenBLAS sgemm (F32 weights; others are converted) */
} ia_cpu_gemm;

typedef struct ia_cpu_options {
    ia_threadpool *pool; /* NULL: ia_threadpool_global() */
    ia_cpu_isa isa;
    ia_cpu_gemm gemm;
} ia_cpu_options;

ia_backend *ia_backend_cpu_create(const ia_cpu_options *opts, ia_error *err);
/* The ISA the backend settled on (never AUTO). */
ia_cpu_isa ia_backend_cpu_isa(const ia_backend *be);
const char *ia_cpu_isa_name(ia_cpu_isa isa);

/* The plain C reference of every op: single-threaded, obvious loops, double
 * accumulation where it matters. Tests compare backends against it. */
ia_backend *ia_backend_reference_create(ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
