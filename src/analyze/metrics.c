/* The metrics a series can follow: the result store's columns
 * (performance_results, src/store/schema.c) with the direction in which
 * each is better and whether the raw per-iteration samples measure it
 * (they are latencies, so only the latency percentiles qualify; the mean
 * and the tail percentiles are summaries of the same samples but their
 * shift is not what a rank test of the samples measures, so only p50
 * claims them). */
#include <string.h>

#include "ipfs_accelerate/analyze.h"

typedef struct metric_entry {
    ia_metric_info info;
    const char *alias; /* NULL where the column has no short name */
} metric_entry;

static const metric_entry METRICS[] = {
    {{"latency_ms_p50", "latency p50", "ms", false, true}, "latency"},
    {{"latency_ms_mean", "latency mean", "ms", false, false}, NULL},
    {{"latency_ms_p90", "latency p90", "ms", false, false}, NULL},
    {{"latency_ms_p99", "latency p99", "ms", false, false}, NULL},
    {{"throughput_items_per_s", "throughput", "items/s", true, false}, "throughput"},
    {{"tokens_per_s", "tokens/s", "tokens/s", true, false}, "tokens"},
    {{"ttft_ms", "time to first token", "ms", false, false}, NULL},
    {{"memory_peak_mb", "peak memory", "MB", false, false}, "memory"},
    {{"energy_joules", "energy", "J", false, false}, "energy"},
};

#define METRIC_COUNT (sizeof METRICS / sizeof METRICS[0])

size_t ia_metric_count(void)
{
    return METRIC_COUNT;
}

const ia_metric_info *ia_metric_at(size_t i)
{
    return i < METRIC_COUNT ? &METRICS[i].info : NULL;
}

const ia_metric_info *ia_metric_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < METRIC_COUNT; i++) {
        if (strcmp(METRICS[i].info.name, name) == 0 ||
            (METRICS[i].alias && strcmp(METRICS[i].alias, name) == 0))
            return &METRICS[i].info;
    }
    return NULL;
}
