/* What the kernel says about a case: resident memory (/proc/self/status),
 * package energy (RAPL through powercap), the frequency governor. Nothing
 * here guesses: an unreadable value is reported absent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/bench.h"

/* A "Key:   N kB" line of /proc/self/status, in bytes; -1 when absent. */
static int64_t status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    size_t k = strlen(key);
    int64_t v = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, k) == 0 && line[k] == ':') {
            long long kb;
            if (sscanf(line + k + 1, "%lld", &kb) == 1)
                v = (int64_t)kb * 1024;
            break;
        }
    }
    fclose(f);
    return v;
}

int64_t ia_bench_rss_bytes(void)
{
    return status_kb("VmRSS");
}

int64_t ia_bench_rss_peak_bytes(void)
{
    return status_kb("VmHWM");
}

bool ia_bench_rss_peak_reset(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    bool ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

static bool read_double(const char *path, double *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fscanf(f, "%lf", out) == 1;
    fclose(f);
    return ok;
}

void ia_bench_energy_read(ia_bench_energy *e)
{
    memset(e, 0, sizeof *e);
    for (int pkg = 0; pkg < 8; pkg++) {
        char path[128];
        double uj, max_uj;
        snprintf(path, sizeof path, "/sys/class/powercap/intel-rapl:%d/energy_uj", pkg);
        if (!read_double(path, &uj))
            break;
        snprintf(path, sizeof path, "/sys/class/powercap/intel-rapl:%d/max_energy_range_uj", pkg);
        if (!read_double(path, &max_uj))
            max_uj = 0;
        e->joules[e->count] = uj * 1e-6;
        e->max_joules[e->count] = max_uj * 1e-6;
        e->count++;
    }
}

double ia_bench_energy_used(const ia_bench_energy *before, const ia_bench_energy *after)
{
    if (before->count == 0 || before->count != after->count)
        return NAN;
    double sum = 0;
    for (int i = 0; i < before->count; i++) {
        double d = after->joules[i] - before->joules[i];
        if (d < 0) /* the counter wrapped */
            d += before->max_joules[i];
        if (d < 0)
            return NAN;
        sum += d;
    }
    return sum;
}

void ia_bench_cpu_governor(char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
    if (!f)
        return;
    if (fgets(out, (int)size, f))
        out[strcspn(out, "\n")] = '\0';
    else
        out[0] = '\0';
    fclose(f);
}
