/* Memory: what the machine has (/proc/meminfo) and what this process may use
 * (the cgroup limit), plus huge page availability. */
#include "hw_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A meminfo field in kB (or a bare count for HugePages_*). */
static bool meminfo_value(const char *meminfo, const char *key, uint64_t *out)
{
    char value[64];
    if (!ia_hw_field(meminfo, key, value, sizeof value))
        return false;
    char *end;
    unsigned long long v = strtoull(value, &end, 10);
    if (end == value)
        return false;
    *out = strstr(end, "kB") ? v << 10 : v;
    return true;
}

void ia_hw_detect_memory(ia_hw_source *src, ia_hw_report *r)
{
    ia_hw_memory *m = &r->memory;
    m->cgroup_limit_bytes = -1;
    char *meminfo = ia_hw_read(src, r, "/proc/meminfo", false);
    if (meminfo) {
        if (!meminfo_value(meminfo, "MemTotal", &m->host_total_bytes))
            ia_hw_warn(r, "/proc/meminfo: no MemTotal line");
        if (!meminfo_value(meminfo, "MemAvailable", &m->available_bytes))
            meminfo_value(meminfo, "MemFree", &m->available_bytes); /* kernels before 3.14 */
        meminfo_value(meminfo, "HugePages_Total", &m->hugepages_total);
        meminfo_value(meminfo, "HugePages_Free", &m->hugepages_free);
        meminfo_value(meminfo, "Hugepagesize", &m->hugepage_size_bytes);
        free(meminfo);
    }
    m->total_bytes = m->host_total_bytes;

    int64_t limit, room;
    if (ia_hw_cgroup_memory(src, r, &limit, &room) && limit >= 0) {
        m->cgroup_limit_bytes = limit;
        if (m->total_bytes == 0 || (uint64_t)limit < m->total_bytes)
            m->total_bytes = (uint64_t)limit;
        if (room >= 0 && (uint64_t)room < m->available_bytes)
            m->available_bytes = (uint64_t)room;
    }
    if (m->available_bytes > m->total_bytes)
        m->available_bytes = m->total_bytes;

    /* "always [madvise] never": the bracketed word is the mode. */
    char *thp = ia_hw_read(src, r, "/sys/kernel/mm/transparent_hugepage/enabled", true);
    if (thp) {
        char *open = strchr(thp, '['), *close = open ? strchr(open, ']') : NULL;
        if (open && close) {
            *close = '\0';
            ia_hw_copy(m->transparent_hugepages, sizeof m->transparent_hugepages, open + 1);
        }
        free(thp);
    }
}
