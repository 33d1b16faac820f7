/* The CPU backend: dispatches each op to its kernel, with the ISA chosen
 * once from hw's detection (or forced by the caller), the process's thread
 * pool, and per-thread scratch that is kept between ops. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "ipfs_accelerate/hw.h"

const char *ia_cpu_isa_name(ia_cpu_isa isa)
{
    switch (isa) {
    case IA_CPU_ISA_AUTO: return "auto";
    case IA_CPU_ISA_PORTABLE: return "portable";
    case IA_CPU_ISA_AVX2: return "avx2";
    case IA_CPU_ISA_AVX512: return "avx512";
    }
    return "unknown";
}

/* What this CPU and OS allow, from hw (features count only when the OS
 * saves their registers). */
static void detect_isas(bool *avx2, bool *avx512)
{
    *avx2 = *avx512 = false;
    ia_error err;
    ia_hw_source *src = ia_hw_source_live(&err);
    ia_hw_report *r = NULL;
    ia_hw_options opts = {.skip_platforms = true};
    if (src && ia_hw_detect(src, &opts, &r, &err) == IA_OK) {
        const bool *f = r->cpu.features;
        /* F16C comes with every AVX2 CPU, but the F16 weight paths use it,
         * so it is required rather than assumed. */
        *avx2 = f[IA_CPU_AVX2] && f[IA_CPU_FMA] && f[IA_CPU_F16C];
        *avx512 = *avx2 && f[IA_CPU_AVX512F] && f[IA_CPU_AVX512BW] && f[IA_CPU_AVX512VL];
    }
    ia_hw_report_free(r);
    ia_hw_source_free(src);
}

static bool cpu_supports(ia_backend *be, const ia_op *op)
{
    (void)be;
    return (unsigned)op->type < IA_OP_COUNT;
}

static ia_status cpu_compute(ia_backend *be, const ia_op *op, ia_error *err)
{
    ia_cpu_ctx *cpu = be->ctx;
#define IA_CPU_CASE(TYPE, name) \
    case TYPE: return ia_cpu_##name(cpu, op, err);
    switch (op->type) {
        IA_ENGINE_OPS(IA_CPU_CASE)
    case IA_OP_COUNT: break;
    }
#undef IA_CPU_CASE
    return ia_error_set(err, IA_ERR_UNSUPPORTED, "cpu: op %d", (int)op->type);
}

static void cpu_free(ia_backend *be)
{
    ia_cpu_ctx *cpu = be->ctx;
    for (int i = 0; i < cpu->scratch_count; i++)
        free(cpu->scratch[i]);
    free(cpu->scratch);
    free(cpu->scratch_size);
    free(cpu);
    free(be);
}

void *ia_cpu_scratch(ia_cpu_ctx *cpu, int thread, size_t bytes)
{
    if (thread < 0 || thread >= cpu->scratch_count)
        return NULL;
    if (cpu->scratch_size[thread] >= bytes)
        return cpu->scratch[thread];
    size_t size = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, size);
    if (!p)
        return NULL;
    free(cpu->scratch[thread]);
    cpu->scratch[thread] = p;
    cpu->scratch_size[thread] = size;
    return p;
}

ia_backend *ia_backend_cpu_create(const ia_cpu_options *opts, ia_error *err)
{
    ia_cpu_options o = opts ? *opts : (ia_cpu_options){0};
    if (!o.pool)
        o.pool = ia_threadpool_global();
    if (!o.pool) {
        ia_error_set(err, IA_ERR_INTERNAL, "cpu backend: no thread pool");
        return NULL;
    }
    bool avx2, avx512;
    detect_isas(&avx2, &avx512);
    ia_cpu_isa isa = o.isa;
    if (isa == IA_CPU_ISA_AUTO)
        isa = avx512 ? IA_CPU_ISA_AVX512 : avx2 ? IA_CPU_ISA_AVX2 : IA_CPU_ISA_PORTABLE;
    if ((isa == IA_CPU_ISA_AVX512 && !avx512) || (isa == IA_CPU_ISA_AVX2 && !avx2)) {
        ia_error_set(err, IA_ERR_UNSUPPORTED,
                     "cpu backend: this CPU (or its OS) does not support %s; see `ipfs-accelerate hw`",
                     ia_cpu_isa_name(isa));
        return NULL;
    }
    ia_backend *be = calloc(1, sizeof *be);
    ia_cpu_ctx *cpu = calloc(1, sizeof *cpu);
    int n = ia_threadpool_size(o.pool);
    if (be && cpu) {
        cpu->scratch = calloc((size_t)n, sizeof *cpu->scratch);
        cpu->scratch_size = calloc((size_t)n, sizeof *cpu->scratch_size);
    }
    if (!be || !cpu || !cpu->scratch || !cpu->scratch_size) {
        if (cpu) {
            free(cpu->scratch);
            free(cpu->scratch_size);
        }
        free(cpu);
        free(be);
        ia_error_set(err, IA_ERR_NOMEM, "out of memory");
        return NULL;
    }
    cpu->pool = o.pool;
    cpu->isa = isa;
    cpu->gemm = o.gemm;
    cpu->scratch_count = n;
    be->name = "cpu";
    be->supports = cpu_supports;
    be->compute = cpu_compute;
    be->free = cpu_free;
    be->ctx = cpu;
    return be;
}

ia_cpu_isa ia_backend_cpu_isa(const ia_backend *be)
{
    return ((const ia_cpu_ctx *)be->ctx)->isa;
}
