/*
 * hw: what hardware this process really has. Never simulated: what cannot be
 * found is reported absent, and what failed is reported with its message.
 *
 * Detection reads every fact through an ia_hw_source. The live source reads
 * /proc and /sys, executes CPUID and XGETBV, asks the kernel for the
 * affinity mask and opens vendor libraries with dlopen. A directory source
 * reads the same facts from a captured tree, so tests run detection against
 * fixtures of machines we do not have, and users can attach a capture
 * (`ipfs-accelerate hw --capture DIR`) to a bug report.
 *
 * Facts that are not files (CPUID leaves, XCR0, the affinity mask, auxv
 * hardware capabilities, uname, the AMX permission) appear to detection as
 * small text files under the virtual folder "/ia-probe/"; see
 * docs/hw-detection.md for their formats.
 *
 * Memory: ia_hw_detect allocates the report; ia_hw_report_free frees it and
 * everything in it. A source is created and freed by its creator.
 */
#ifndef IPFS_ACCELERATE_HW_H
#define IPFS_ACCELERATE_HW_H

#include <stdint.h>
#include <stdio.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- sources */

typedef struct ia_hw_source ia_hw_source;

struct ia_hw_source {
    /* Reads a whole file (an absolute path such as "/proc/cpuinfo" or
     * "/ia-probe/cpuid") into a NUL-terminated heap buffer. */
    ia_status (*read_file)(ia_hw_source *src, const char *path, char **data, size_t *len,
                           ia_error *err);
    /* Lists the names in a folder (no "." or ".."), sorted; *names is a heap
     * array of heap strings, freed with ia_hw_names_free. */
    ia_status (*list_dir)(ia_hw_source *src, const char *path, char ***names, size_t *count,
                          ia_error *err);
    /* Opens a vendor library by soname; NULL with err filled when it cannot.
     * The handle is closed with lib_close. */
    void *(*lib_open)(ia_hw_source *src, const char *soname, ia_error *err);
    void *(*lib_symbol)(ia_hw_source *src, void *lib, const char *name);
    void (*lib_close)(ia_hw_source *src, void *lib);
    void (*free)(ia_hw_source *src);
    void *ctx;
};

/* The running machine. */
ia_hw_source *ia_hw_source_live(ia_error *err);

/* A captured tree: ROOT/proc/..., ROOT/sys/..., ROOT/ia-probe/...
 * Vendor libraries are looked up only in lib_dir (may be NULL: none found). */
ia_hw_source *ia_hw_source_dir(const char *root, const char *lib_dir, ia_error *err);

/* Wraps inner so that every file it reads is also written under out_dir;
 * the result is a tree that ia_hw_source_dir can read back. Freeing the
 * recorder frees inner too. */
ia_hw_source *ia_hw_source_recorder(ia_hw_source *inner, const char *out_dir, ia_error *err);

void ia_hw_source_free(ia_hw_source *src);
void ia_hw_names_free(char **names, size_t count);

/* --------------------------------------------------------------- the report */

/* ISA features that matter for inference, named as Linux's cpuinfo does. */
typedef enum ia_cpu_feature {
    IA_CPU_SSE4_2,
    IA_CPU_AVX,
    IA_CPU_AVX2,
    IA_CPU_FMA,
    IA_CPU_F16C,
    IA_CPU_AVX512F,
    IA_CPU_AVX512BW,
    IA_CPU_AVX512VL,
    IA_CPU_AVX512_VNNI,
    IA_CPU_AVX512_BF16,
    IA_CPU_AVX512_FP16,
    IA_CPU_AVX_VNNI,
    IA_CPU_AMX_TILE,
    IA_CPU_AMX_INT8,
    IA_CPU_AMX_BF16,
    IA_CPU_ASIMD,
    IA_CPU_SVE,
    IA_CPU_ASIMDDP,
    IA_CPU_I8MM,
    IA_CPU_FEATURE_COUNT
} ia_cpu_feature;

const char *ia_cpu_feature_name(ia_cpu_feature f);

typedef struct ia_hw_cache {
    int level;             /* 1, 2, 3, ... */
    char type[16];         /* "Data", "Instruction", "Unified" */
    uint64_t size_bytes;   /* of one instance */
    int instances;         /* how many separate caches of this kind */
    int shared_by_cpus;    /* logical CPUs sharing one instance */
} ia_hw_cache;

#define IA_HW_MAX_CACHES 8
#define IA_HW_NO_VALUE (-1)

typedef struct ia_hw_cpu {
    char arch[16];         /* "x86_64", "aarch64" (uname machine) */
    char vendor[64];       /* "GenuineIntel", "AuthenticAMD", "ARM", ... */
    char model_name[128];
    /* x86: family, model, stepping. ARM: implementer, part, variant,
     * revision (from MIDR, as /proc/cpuinfo shows them). IA_HW_NO_VALUE when
     * unknown. */
    int family, model, stepping;
    int implementer, part, variant, revision;

    int logical_cores;     /* online logical CPUs */
    int physical_cores;    /* distinct (package, core) pairs */
    int packages;          /* sockets */
    int threads_per_core;
    bool smt;              /* more than one thread per core */

    int usable_cpus;       /* in this process's affinity mask */
    char usable_cpu_list[256]; /* "0-3,8" */
    double cgroup_cpu_quota; /* quota/period in CPUs; < 0 when unlimited */
    int effective_cpus;    /* min(usable, ceil(quota)): the threads worth running */

    int numa_nodes;

    int cache_count;
    ia_hw_cache caches[IA_HW_MAX_CACHES];

    double base_mhz, max_mhz; /* < 0 when unreadable */
    char frequency_source[32]; /* "cpufreq", "cpuid", "none" */

    bool features[IA_CPU_FEATURE_COUNT]; /* usable: CPU has it and the OS enabled it */
    bool amx_permission_requested; /* arch_prctl(ARCH_REQ_XCOMP_PERM) was attempted */
} ia_hw_cpu;

typedef struct ia_hw_memory {
    uint64_t total_bytes;        /* min(MemTotal, cgroup limit) */
    uint64_t available_bytes;    /* min(MemAvailable, cgroup limit - cgroup usage) */
    uint64_t host_total_bytes;   /* MemTotal */
    int64_t cgroup_limit_bytes;  /* < 0 when unlimited */
    uint64_t hugepages_total, hugepages_free, hugepage_size_bytes;
    char transparent_hugepages[16]; /* "always", "madvise", "never", "" */
} ia_hw_memory;

typedef enum ia_hw_status {
    IA_HW_AVAILABLE,   /* found and working */
    IA_HW_ABSENT,      /* library or device not found */
    IA_HW_ERROR,       /* found, but it failed: see message */
    IA_HW_UNSUPPORTED  /* cannot exist in this process (MPS off Apple, browser-only APIs) */
} ia_hw_status;

const char *ia_hw_status_name(ia_hw_status s);

typedef struct ia_hw_device {
    int index;
    char name[128];
    uint64_t memory_total_bytes;           /* 0 when unknown */
    int compute_major, compute_minor;      /* CUDA compute capability; -1 when n/a */
    int multiprocessors;                   /* SMs or CUs; -1 when unknown */
    char pci_bus_id[32];
    /* From NVML (or the vendor's management library); < 0 when unknown. */
    double power_limit_w;
    double temperature_c;
    int clock_sm_mhz, clock_mem_mhz, clock_sm_max_mhz, clock_mem_max_mhz;
} ia_hw_device;

typedef struct ia_hw_platform {
    char name[16];         /* "cuda", "rocm", "openvino", "qnn", "mps", "webgpu", "webnn" */
    ia_hw_status status;
    char library[256];     /* the library that was opened, or the ones looked for */
    char version[64];      /* driver or runtime version, "" when unknown */
    char message[512];     /* why absent, error, unsupported; notes when available */
    int device_count;
    ia_hw_device *devices;
} ia_hw_platform;

typedef struct ia_hw_report {
    ia_hw_cpu cpu;
    ia_hw_memory memory;
    int platform_count;
    ia_hw_platform *platforms;
    /* Problems met on the way (an unreadable file, garbage in a cgroup file),
     * each a sentence naming the file. Detection goes on after them. */
    int warning_count;
    char **warnings;
} ia_hw_report;

typedef struct ia_hw_options {
    bool skip_platforms; /* CPU and memory only: no vendor library is opened */
} ia_hw_options;

/* Detects everything. Fails only when nothing useful could be found (no
 * memory, no CPU count at all); smaller problems become warnings. */
ia_status ia_hw_detect(ia_hw_source *src, const ia_hw_options *opts, ia_hw_report **out,
                       ia_error *err);
void ia_hw_report_free(ia_hw_report *r);

/* The report as JSON text (heap, free()); the layout is in docs/hw-json.md. */
char *ia_hw_report_to_json(const ia_hw_report *r, bool pretty);

/* A human-readable report. */
void ia_hw_report_print(const ia_hw_report *r, FILE *out, bool color);

const ia_hw_platform *ia_hw_report_platform(const ia_hw_report *r, const char *name);

#ifdef __cplusplus
}
#endif

#endif
