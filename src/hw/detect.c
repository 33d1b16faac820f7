/* ia_hw_detect: runs the detection stages in order over one source and owns
 * the report's memory. */
#include "hw_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const feature_names[IA_CPU_FEATURE_COUNT] = {
    [IA_CPU_SSE4_2] = "sse4_2",         [IA_CPU_AVX] = "avx",
    [IA_CPU_AVX2] = "avx2",             [IA_CPU_FMA] = "fma",
    [IA_CPU_F16C] = "f16c",             [IA_CPU_AVX512F] = "avx512f",
    [IA_CPU_AVX512BW] = "avx512bw",     [IA_CPU_AVX512VL] = "avx512vl",
    [IA_CPU_AVX512_VNNI] = "avx512_vnni", [IA_CPU_AVX512_BF16] = "avx512_bf16",
    [IA_CPU_AVX512_FP16] = "avx512_fp16", [IA_CPU_AVX_VNNI] = "avx_vnni",
    [IA_CPU_AMX_TILE] = "amx_tile",     [IA_CPU_AMX_INT8] = "amx_int8",
    [IA_CPU_AMX_BF16] = "amx_bf16",     [IA_CPU_ASIMD] = "asimd",
    [IA_CPU_SVE] = "sve",               [IA_CPU_ASIMDDP] = "asimddp",
    [IA_CPU_I8MM] = "i8mm",
};

const char *ia_cpu_feature_name(ia_cpu_feature f)
{
    return (unsigned)f < IA_CPU_FEATURE_COUNT ? feature_names[f] : "unknown";
}

const char *ia_hw_status_name(ia_hw_status s)
{
    switch (s) {
    case IA_HW_AVAILABLE: return "available";
    case IA_HW_ABSENT: return "absent";
    case IA_HW_ERROR: return "error";
    case IA_HW_UNSUPPORTED: return "unsupported";
    }
    return "unknown";
}

static bool is_x86(const char *arch)
{
    return strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0 || strcmp(arch, "i386") == 0;
}

static bool is_arm(const char *arch)
{
    return strcmp(arch, "aarch64") == 0 || strcmp(arch, "arm64") == 0 || strncmp(arch, "armv", 4) == 0;
}

typedef void (*platform_probe)(ia_hw_source *, ia_hw_platform *);

static const struct {
    const char *name;
    platform_probe probe;
} platforms[] = {
    {"cuda", ia_hw_detect_cuda},       {"rocm", ia_hw_detect_rocm},
    {"openvino", ia_hw_detect_openvino}, {"qnn", ia_hw_detect_qnn},
    {"mps", ia_hw_detect_mps},         {"webgpu", ia_hw_detect_browser},
    {"webnn", ia_hw_detect_browser},
};

ia_status ia_hw_detect(ia_hw_source *src, const ia_hw_options *opts, ia_hw_report **out,
                       ia_error *err)
{
    *out = NULL;
    ia_hw_report *r = calloc(1, sizeof *r);
    if (!r)
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory");
    ia_hw_cpu *cpu = &r->cpu;
    cpu->family = cpu->model = cpu->stepping = IA_HW_NO_VALUE;
    cpu->implementer = cpu->part = cpu->variant = cpu->revision = IA_HW_NO_VALUE;
    cpu->base_mhz = cpu->max_mhz = -1;

    char *uname = ia_hw_read(src, r, "/ia-probe/uname", false);
    ia_hw_copy(cpu->arch, sizeof cpu->arch, uname ? ia_hw_trim(uname) : "unknown");
    free(uname);

    if (is_x86(cpu->arch))
        ia_hw_detect_cpu_x86(src, r);
    else if (is_arm(cpu->arch))
        ia_hw_detect_cpu_arm(src, r);
    else
        ia_hw_warn(r, "CPU architecture %s: identity and features not detected", cpu->arch);
    ia_hw_detect_topology(src, r);
    ia_hw_detect_frequency(src, r);
    ia_hw_detect_cgroup_cpu(src, r);
    ia_hw_detect_memory(src, r);

    cpu->effective_cpus = cpu->usable_cpus;
    /* A quota above the usable CPUs changes nothing (and may not fit an int). */
    if (cpu->cgroup_cpu_quota > 0 && cpu->cgroup_cpu_quota < cpu->effective_cpus) {
        int quota_cpus = (int)ceil(cpu->cgroup_cpu_quota);
        if (quota_cpus < cpu->effective_cpus)
            cpu->effective_cpus = quota_cpus > 0 ? quota_cpus : 1;
    }

    if (cpu->logical_cores <= 0 && r->memory.host_total_bytes == 0) {
        ia_error_set(err, IA_ERR_IO,
                     "no CPU or memory information could be read (%d problems; first: %s)",
                     r->warning_count, r->warning_count ? r->warnings[0] : "none");
        ia_hw_report_free(r);
        return IA_ERR_IO;
    }

    if (!(opts && opts->skip_platforms)) {
        size_t n = sizeof platforms / sizeof platforms[0];
        r->platforms = calloc(n, sizeof *r->platforms);
        if (!r->platforms) {
            ia_hw_report_free(r);
            return ia_error_set(err, IA_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            ia_hw_platform *p = &r->platforms[r->platform_count++];
            ia_hw_copy(p->name, sizeof p->name, platforms[i].name);
            platforms[i].probe(src, p);
        }
    }
    *out = r;
    return IA_OK;
}

void ia_hw_report_free(ia_hw_report *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->platform_count; i++)
        free(r->platforms[i].devices);
    free(r->platforms);
    for (int i = 0; i < r->warning_count; i++)
        free(r->warnings[i]);
    free(r->warnings);
    free(r);
}

const ia_hw_platform *ia_hw_report_platform(const ia_hw_report *r, const char *name)
{
    for (int i = 0; i < r->platform_count; i++)
        if (strcmp(r->platforms[i].name, name) == 0)
            return &r->platforms[i];
    return NULL;
}
