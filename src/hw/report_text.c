/* The report for people: aligned "label  value" lines, grouped, with the
 * platforms' status coloured when the terminal allows. */
#include "hw_internal.h"

#include <stdio.h>

static void human_bytes(uint64_t bytes, char *out, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(out, size, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
}

static const char *status_color(ia_hw_status s, bool color)
{
    if (!color)
        return "";
    switch (s) {
    case IA_HW_AVAILABLE: return "\033[32m";
    case IA_HW_ERROR: return "\033[31m";
    default: return "\033[2m";
    }
}

void ia_hw_report_print(const ia_hw_report *r, FILE *out, bool color)
{
    const ia_hw_cpu *c = &r->cpu;
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    char a[32], b[32];

    fprintf(out, "%sCPU%s\n", bold, reset);
    fprintf(out, "  %-18s %s\n", "model", c->model_name[0] ? c->model_name : "(unknown)");
    fprintf(out, "  %-18s %s, %s\n", "vendor, arch", c->vendor[0] ? c->vendor : "(unknown)", c->arch);
    if (c->family != IA_HW_NO_VALUE)
        fprintf(out, "  %-18s family %d, model %d, stepping %d\n", "signature", c->family, c->model,
                c->stepping);
    if (c->part != IA_HW_NO_VALUE)
        fprintf(out, "  %-18s implementer %#x, part %#x, variant %d, revision %d\n", "MIDR",
                c->implementer, c->part, c->variant, c->revision);
    fprintf(out, "  %-18s %d logical, %d physical, %d socket%s, %d thread%s per core\n", "cores",
            c->logical_cores, c->physical_cores, c->packages, c->packages == 1 ? "" : "s",
            c->threads_per_core, c->threads_per_core == 1 ? "" : "s");
    fprintf(out, "  %-18s %d (%s)", "usable CPUs", c->usable_cpus, c->usable_cpu_list);
    if (c->cgroup_cpu_quota > 0)
        fprintf(out, ", cgroup quota %.2f CPUs", c->cgroup_cpu_quota);
    fprintf(out, " -> %d worth running\n", c->effective_cpus);
    fprintf(out, "  %-18s %d\n", "NUMA nodes", c->numa_nodes);
    for (int i = 0; i < c->cache_count; i++) {
        const ia_hw_cache *k = &c->caches[i];
        char label[32];
        snprintf(label, sizeof label, "L%d %s", k->level,
                 k->type[0] == 'D' ? "data" : k->type[0] == 'I' ? "instruction" : "");
        human_bytes(k->size_bytes, a, sizeof a);
        fprintf(out, "  %-18s %s x %d (shared by %d CPU%s)\n", label, a, k->instances,
                k->shared_by_cpus, k->shared_by_cpus == 1 ? "" : "s");
    }
    if (c->base_mhz > 0 || c->max_mhz > 0) {
        fprintf(out, "  %-18s", "frequency");
        if (c->base_mhz > 0)
            fprintf(out, " base %.0f MHz", c->base_mhz);
        if (c->max_mhz > 0)
            fprintf(out, " max %.0f MHz", c->max_mhz);
        fprintf(out, " (%s)\n", c->frequency_source);
    } else {
        fprintf(out, "  %-18s not exposed by this system\n", "frequency");
    }
    fprintf(out, "  %-18s", "features");
    int shown = 0;
    for (int i = 0; i < IA_CPU_FEATURE_COUNT; i++)
        if (c->features[i])
            fprintf(out, "%s%s", shown++ ? " " : " ", ia_cpu_feature_name((ia_cpu_feature)i));
    fprintf(out, "%s\n", shown ? "" : " (none of those that matter for inference)");

    const ia_hw_memory *m = &r->memory;
    fprintf(out, "\n%sMemory%s\n", bold, reset);
    human_bytes(m->total_bytes, a, sizeof a);
    human_bytes(m->available_bytes, b, sizeof b);
    fprintf(out, "  %-18s %s total, %s available\n", "usable", a, b);
    if (m->cgroup_limit_bytes >= 0) {
        human_bytes(m->host_total_bytes, a, sizeof a);
        human_bytes((uint64_t)m->cgroup_limit_bytes, b, sizeof b);
        fprintf(out, "  %-18s %s on the host, cgroup limit %s%s\n", "limits", a, b,
                (uint64_t)m->cgroup_limit_bytes < m->host_total_bytes ? " (the tighter)" : "");
    }
    human_bytes(m->hugepage_size_bytes, a, sizeof a);
    fprintf(out, "  %-18s %llu of %llu free (%s pages); transparent: %s\n", "huge pages",
            (unsigned long long)m->hugepages_free, (unsigned long long)m->hugepages_total, a,
            m->transparent_hugepages[0] ? m->transparent_hugepages : "unknown");

    if (r->platform_count) {
        fprintf(out, "\n%sAccelerators%s\n", bold, reset);
        for (int i = 0; i < r->platform_count; i++) {
            const ia_hw_platform *p = &r->platforms[i];
            fprintf(out, "  %-10s %s%-11s%s", p->name, status_color(p->status, color),
                    ia_hw_status_name(p->status), reset);
            if (p->version[0])
                fprintf(out, " %s", p->version);
            if (p->message[0])
                fprintf(out, " %s%s", p->version[0] ? "- " : "", p->message);
            fprintf(out, "\n");
            for (int d = 0; d < p->device_count; d++) {
                const ia_hw_device *dev = &p->devices[d];
                fprintf(out, "    [%d] %s", dev->index, dev->name);
                if (dev->memory_total_bytes) {
                    human_bytes(dev->memory_total_bytes, a, sizeof a);
                    fprintf(out, ", %s", a);
                }
                if (dev->compute_major >= 0)
                    fprintf(out, ", compute %d.%d", dev->compute_major, dev->compute_minor);
                if (dev->multiprocessors > 0)
                    fprintf(out, ", %d SMs", dev->multiprocessors);
                if (dev->power_limit_w > 0)
                    fprintf(out, ", %.0f W limit", dev->power_limit_w);
                if (dev->temperature_c >= 0)
                    fprintf(out, ", %.0f C", dev->temperature_c);
                fprintf(out, "\n");
            }
        }
    }
    if (r->warning_count) {
        fprintf(out, "\n%sProblems met%s\n", bold, reset);
        for (int i = 0; i < r->warning_count; i++)
            fprintf(out, "  - %s\n", r->warnings[i]);
    }
}
