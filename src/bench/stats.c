/* The statistics of a case's samples (definitions in ipfs_accelerate/bench.h
 * and docs/bench.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/bench.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

double ia_bench_percentile(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return NAN;
    if (q <= 0)
        return sorted[0];
    if (q >= 1)
        return sorted[n - 1];
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

ia_status ia_bench_stats_compute(const double *samples, size_t n, ia_bench_stats *out,
                                 ia_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return ia_error_set(err, IA_ERR_INVALID, "statistics of no samples");
    double *s = malloc(n * sizeof *s);
    double *dev = malloc(n * sizeof *dev);
    if (!s || !dev) {
        free(s);
        free(dev);
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory for %zu samples", n);
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(samples[i])) {
            free(s);
            free(dev);
            return ia_error_set(err, IA_ERR_INVALID, "sample %zu is not a number", i);
        }
        s[i] = samples[i];
        sum += s[i];
    }
    qsort(s, n, sizeof *s, cmp_double);
    out->n = n;
    out->mean = sum / (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (s[i] - out->mean) * (s[i] - out->mean);
    out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
    out->cv = out->mean != 0 ? out->stddev / out->mean : NAN;
    out->min = s[0];
    out->max = s[n - 1];
    out->p50 = ia_bench_percentile(s, n, 0.50);
    out->p90 = ia_bench_percentile(s, n, 0.90);
    out->p99 = ia_bench_percentile(s, n, 0.99);
    /* Modified z-scores against the median absolute deviation. */
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(s[i] - out->p50);
    qsort(dev, n, sizeof *dev, cmp_double);
    double mad = ia_bench_percentile(dev, n, 0.5);
    if (mad > 0)
        for (size_t i = 0; i < n; i++)
            if (fabs(0.6745 * (s[i] - out->p50) / mad) > 3.5)
                out->outliers++;
    free(s);
    free(dev);
    return IA_OK;
}
