/* Fuzz target: hardware detection over a machine made of fuzzer bytes.
 *
 * The input is split at NUL bytes into the contents of the files detection
 * reads (cpuinfo, the CPUID dump, XCR0, CPU lists, cgroup and meminfo files,
 * cache sizes, auxv, ...), served by an in-memory source; then the report is
 * built, printed and turned into JSON. Nothing may crash, leak or read out of
 * bounds, whatever the files hold. How to run it: docs/fuzzing.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw_internal.h"

/* The files the input fills, in order; the uname file comes first so the
 * fuzzer can reach both the x86 and the ARM paths. */
static const char *const paths[] = {
    "/ia-probe/uname",
    "/proc/cpuinfo",
    "/ia-probe/cpuid",
    "/ia-probe/xcr0",
    "/ia-probe/amx",
    "/ia-probe/affinity",
    "/ia-probe/auxv",
    "/sys/devices/system/cpu/online",
    "/sys/devices/system/cpu/cpu0/topology/physical_package_id",
    "/sys/devices/system/cpu/cpu0/topology/core_id",
    "/sys/devices/system/cpu/cpu1/topology/core_id",
    "/sys/devices/system/cpu/cpu0/cache/index0/level",
    "/sys/devices/system/cpu/cpu0/cache/index0/type",
    "/sys/devices/system/cpu/cpu0/cache/index0/size",
    "/sys/devices/system/cpu/cpu0/cache/index0/shared_cpu_list",
    "/sys/devices/system/cpu/cpu1/cache/index0/shared_cpu_list",
    "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
    "/sys/devices/system/node/online",
    "/proc/self/cgroup",
    "/proc/self/mountinfo",
    "/sys/fs/cgroup/cpu.max",
    "/sys/fs/cgroup/memory.max",
    "/sys/fs/cgroup/memory.current",
    "/sys/fs/cgroup/a/cpu.max",
    "/sys/fs/cgroup/a/memory.max",
    "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
    "/sys/fs/cgroup/cpu/cpu.cfs_period_us",
    "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    "/proc/meminfo",
    "/sys/kernel/mm/transparent_hugepage/enabled",
};
#define PATH_COUNT (sizeof paths / sizeof paths[0])

typedef struct memory_tree {
    const char *data[PATH_COUNT];
    size_t len[PATH_COUNT];
} memory_tree;

static ia_status mem_read(ia_hw_source *src, const char *path, char **data, size_t *len,
                          ia_error *err)
{
    memory_tree *t = src->ctx;
    for (size_t i = 0; i < PATH_COUNT; i++) {
        if (strcmp(paths[i], path) != 0 || !t->data[i])
            continue;
        char *copy = malloc(t->len[i] + 1);
        if (!copy)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
        memcpy(copy, t->data[i], t->len[i]);
        copy[t->len[i]] = '\0';
        *data = copy;
        if (len)
            *len = t->len[i];
        return IA_OK;
    }
    return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: No such file or directory", path);
}

/* Folders list the entries under them that some file path names. */
static ia_status mem_list(ia_hw_source *src, const char *path, char ***names, size_t *count,
                          ia_error *err)
{
    (void)src;
    size_t plen = strlen(path), n = 0;
    char **out = calloc(PATH_COUNT, sizeof *out);
    if (!out)
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < PATH_COUNT; i++) {
        if (strncmp(paths[i], path, plen) != 0 || paths[i][plen] != '/')
            continue;
        const char *name = paths[i] + plen + 1;
        size_t nlen = strcspn(name, "/");
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strlen(out[k]) == nlen && strncmp(out[k], name, nlen) == 0;
        if (!seen)
            out[n++] = strndup(name, nlen);
    }
    if (n == 0) {
        free(out);
        return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: No such file or directory", path);
    }
    *names = out;
    *count = n;
    return IA_OK;
}

static void *mem_lib_open(ia_hw_source *src, const char *soname, ia_error *err)
{
    (void)src;
    ia_error_set(err, IA_ERR_NOT_FOUND, "%s: not found", soname);
    return NULL;
}

static void mem_free(ia_hw_source *src) { (void)src; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memory_tree tree = {0};
    const char *p = (const char *)data, *end = p + size;
    for (size_t i = 0; i < PATH_COUNT && p < end; i++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
        if (n > 0) { /* an empty part stands for a missing file */
            tree.data[i] = p;
            tree.len[i] = n;
        }
        p += n + 1;
    }
    ia_hw_source src = {
        .read_file = mem_read,
        .list_dir = mem_list,
        .lib_open = mem_lib_open,
        .lib_symbol = ia_hw_dl_symbol,
        .lib_close = ia_hw_dl_close,
        .free = mem_free,
        .ctx = &tree,
    };
    ia_hw_report *r = NULL;
    ia_error err;
    ia_hw_options opts = {.skip_platforms = true};
    if (ia_hw_detect(&src, &opts, &r, &err) == IA_OK) {
        char *json = ia_hw_report_to_json(r, false);
        free(json);
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            ia_hw_report_print(r, sink, true);
            fclose(sink);
        }
        ia_hw_report_free(r);
    }
    return 0;
}
