/* CPU topology from sysfs: online logical CPUs, cores, sockets and SMT, the
 * CPUs this process may run on, NUMA nodes, caches and clock frequencies. */
#include "hw_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYS_CPU "/sys/devices/system/cpu"

static bool cpu_is_set(const unsigned char *bitmap, int cpu)
{
    return bitmap[cpu / 8] & (1u << (cpu % 8));
}

static void detect_caches(ia_hw_source *src, ia_hw_report *r, const unsigned char *online);

/* Online CPUs as a bitmap; from sysfs, else from cpuinfo's processor lines. */
static int online_cpus(ia_hw_source *src, ia_hw_report *r, unsigned char *bitmap)
{
    char *online = ia_hw_read(src, r, SYS_CPU "/online", false);
    int n = -1;
    if (online) {
        n = ia_hw_parse_cpu_list(online, bitmap, IA_HW_MAX_CPUS);
        if (n <= 0)
            ia_hw_warn(r, SYS_CPU "/online: not a CPU list (\"%.40s\")", ia_hw_trim(online));
        free(online);
    }
    if (n > 0)
        return n;
    char *cpuinfo = ia_hw_read(src, r, "/proc/cpuinfo", true);
    n = 0;
    memset(bitmap, 0, IA_HW_MAX_CPUS / 8);
    for (const char *p = cpuinfo; p && (p = strstr(p, "processor")) != NULL; p++) {
        if (p != cpuinfo && p[-1] != '\n')
            continue;
        const char *colon = strchr(p, ':');
        if (!colon)
            break;
        int id = atoi(colon + 1);
        if (id >= 0 && id < IA_HW_MAX_CPUS && !cpu_is_set(bitmap, id)) {
            bitmap[id / 8] |= (unsigned char)(1u << (id % 8));
            n++;
        }
    }
    free(cpuinfo);
    return n;
}

void ia_hw_detect_topology(ia_hw_source *src, ia_hw_report *r)
{
    ia_hw_cpu *cpu = &r->cpu;
    unsigned char *bitmap = calloc(1, IA_HW_MAX_CPUS / 8);
    if (!bitmap)
        return;
    cpu->logical_cores = online_cpus(src, r, bitmap);

    /* Physical cores are the distinct (package, core) pairs. */
    int pairs_cap = cpu->logical_cores > 0 ? cpu->logical_cores : 1;
    int64_t(*pairs)[2] = calloc((size_t)pairs_cap, sizeof *pairs);
    int64_t *packages = calloc((size_t)pairs_cap, sizeof *packages);
    int npairs = 0, npackages = 0;
    bool topology_ok = pairs && packages && cpu->logical_cores > 0;
    for (int c = 0; topology_ok && c < IA_HW_MAX_CPUS; c++) {
        if (!cpu_is_set(bitmap, c))
            continue;
        char path[128];
        int64_t pkg = 0, core = 0;
        snprintf(path, sizeof path, SYS_CPU "/cpu%d/topology/physical_package_id", c);
        bool ok = ia_hw_read_i64(src, r, path, &pkg);
        snprintf(path, sizeof path, SYS_CPU "/cpu%d/topology/core_id", c);
        ok = ok && ia_hw_read_i64(src, r, path, &core);
        if (!ok) {
            topology_ok = false;
            break;
        }
        bool seen = false;
        for (int i = 0; i < npairs && !seen; i++)
            seen = pairs[i][0] == pkg && pairs[i][1] == core;
        if (!seen && npairs < pairs_cap) {
            pairs[npairs][0] = pkg;
            pairs[npairs][1] = core;
            npairs++;
        }
        seen = false;
        for (int i = 0; i < npackages && !seen; i++)
            seen = packages[i] == pkg;
        if (!seen && npackages < pairs_cap)
            packages[npackages++] = pkg;
    }
    if (topology_ok) {
        cpu->physical_cores = npairs;
        cpu->packages = npackages;
    } else if (cpu->logical_cores > 0) {
        ia_hw_warn(r, "CPU topology unreadable in sysfs; counting each logical CPU as a core");
        cpu->physical_cores = cpu->logical_cores;
        cpu->packages = 1;
    }
    free(pairs);
    free(packages);
    if (cpu->physical_cores > 0)
        cpu->threads_per_core = (cpu->logical_cores + cpu->physical_cores - 1) / cpu->physical_cores;
    cpu->smt = cpu->threads_per_core > 1;

    detect_caches(src, r, bitmap);

    /* The CPUs this process may use: the affinity mask. */
    char *affinity = ia_hw_read(src, r, "/ia-probe/affinity", false);
    int usable = affinity ? ia_hw_parse_cpu_list(affinity, bitmap, IA_HW_MAX_CPUS) : -1;
    if (usable > 0) {
        cpu->usable_cpus = usable;
        ia_hw_copy(cpu->usable_cpu_list, sizeof cpu->usable_cpu_list, ia_hw_trim(affinity));
    } else {
        if (affinity)
            ia_hw_warn(r, "/ia-probe/affinity: %s; assuming every online CPU is usable",
                       ia_hw_trim(affinity));
        cpu->usable_cpus = cpu->logical_cores;
    }
    free(affinity);

    /* NUMA: a kernel without NUMA support has one node and no node folder. */
    char *nodes = ia_hw_read(src, r, "/sys/devices/system/node/online", true);
    cpu->numa_nodes = 1;
    if (nodes) {
        unsigned char node_map[IA_HW_MAX_CPUS / 8];
        int n = ia_hw_parse_cpu_list(nodes, node_map, IA_HW_MAX_CPUS);
        if (n > 0)
            cpu->numa_nodes = n;
        else
            ia_hw_warn(r, "/sys/devices/system/node/online: not a node list; assuming one node");
        free(nodes);
    }
    free(bitmap);
}

/* "48K", "32768K", "2M", or plain bytes. */
static bool parse_size(const char *text, uint64_t *bytes)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text)
        return false;
    switch (toupper((unsigned char)*end)) {
    case 'K': v <<= 10; break;
    case 'M': v <<= 20; break;
    case 'G': v <<= 30; break;
    case '\0': case '\n': break;
    default: return false;
    }
    *bytes = v;
    return true;
}

/* Caches of cpu0. Instances are counted over all online CPUs: each CPU that
 * is the lowest of its own sharing group stands for one instance, which needs
 * no table of the groups seen and no limit on their number. */
static void detect_caches(ia_hw_source *src, ia_hw_report *r, const unsigned char *online)
{
    ia_hw_cpu *cpu = &r->cpu;
    char **names = NULL;
    size_t count = 0;
    ia_error err;
    if (src->list_dir(src, SYS_CPU "/cpu0/cache", &names, &count, &err) != IA_OK) {
        if (err.status != IA_ERR_NOT_FOUND)
            ia_hw_warn(r, "%s", err.message);
        return;
    }
    for (size_t i = 0; i < count && cpu->cache_count < IA_HW_MAX_CACHES; i++) {
        if (strncmp(names[i], "index", 5) != 0)
            continue;
        ia_hw_cache cache = {0};
        char path[256];
        int64_t level;
        snprintf(path, sizeof path, SYS_CPU "/cpu0/cache/%s/level", names[i]);
        if (!ia_hw_read_i64(src, r, path, &level))
            continue;
        cache.level = (int)level;
        snprintf(path, sizeof path, SYS_CPU "/cpu0/cache/%s/type", names[i]);
        char *type = ia_hw_read(src, r, path, false);
        ia_hw_copy(cache.type, sizeof cache.type, type ? ia_hw_trim(type) : "Unknown");
        free(type);
        snprintf(path, sizeof path, SYS_CPU "/cpu0/cache/%s/size", names[i]);
        char *size = ia_hw_read(src, r, path, false);
        if (!size || !parse_size(ia_hw_trim(size), &cache.size_bytes)) {
            if (size)
                ia_hw_warn(r, "%s: not a size (\"%.20s\")", path, size);
            free(size);
            continue;
        }
        free(size);

        unsigned char *group = malloc(IA_HW_MAX_CPUS / 8);
        int instances = 0;
        for (int c = 0; group && c < IA_HW_MAX_CPUS; c++) {
            if (!cpu_is_set(online, c))
                continue;
            snprintf(path, sizeof path, SYS_CPU "/cpu%d/cache/%s/shared_cpu_list", c, names[i]);
            char *shared = ia_hw_read(src, r, path, true);
            if (!shared)
                continue;
            int n = ia_hw_parse_cpu_list(shared, group, IA_HW_MAX_CPUS);
            free(shared);
            if (n <= 0)
                continue;
            if (c == 0)
                cache.shared_by_cpus = n;
            /* Linux drops offline CPUs from the list; a capture may not. */
            int lowest = 0;
            while (lowest < IA_HW_MAX_CPUS && !(cpu_is_set(group, lowest) && cpu_is_set(online, lowest)))
                lowest++;
            if (lowest == c)
                instances++;
        }
        free(group);
        cache.instances = instances > 0 ? instances : 1;
        if (cache.shared_by_cpus == 0)
            cache.shared_by_cpus = 1;
        cpu->caches[cpu->cache_count++] = cache;
    }
    ia_hw_names_free(names, count);
}

/* Base and maximum clocks: cpufreq where the kernel exposes it, else CPUID
 * leaf 0x16 (already read by the x86 stage), else unknown. */
void ia_hw_detect_frequency(ia_hw_source *src, ia_hw_report *r)
{
    ia_hw_cpu *cpu = &r->cpu;
    int64_t khz;
    bool found = false;
    if (ia_hw_read_i64(src, r, SYS_CPU "/cpu0/cpufreq/cpuinfo_max_freq", &khz) && khz > 0) {
        cpu->max_mhz = (double)khz / 1000.0;
        found = true;
    }
    if (ia_hw_read_i64(src, r, SYS_CPU "/cpu0/cpufreq/base_frequency", &khz) && khz > 0) {
        cpu->base_mhz = (double)khz / 1000.0;
        found = true;
    }
    if (found)
        ia_hw_copy(cpu->frequency_source, sizeof cpu->frequency_source, "cpufreq");
    else if (cpu->frequency_source[0] == '\0')
        ia_hw_copy(cpu->frequency_source, sizeof cpu->frequency_source, "none");
}
