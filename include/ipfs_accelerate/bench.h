/*
 * bench: the measurement method. A case (one model, hardware, batch size,
 * sequence length, precision) is run through warm-up iterations, then timed
 * iteration by iteration until both a minimum time and a minimum number of
 * iterations are reached (or a timeout or an iteration cap), as MLPerf's
 * LoadGen and hyperfine do; every sample is kept. The statistics are
 * computed from the samples here, and the telemetry (peak memory, energy,
 * the CPU frequency governor) is read from the kernel, never estimated: what
 * cannot be read is reported as absent (NaN or an empty string).
 *
 * Definitions (docs/bench.md): percentiles interpolate linearly between the
 * closest ranks (NumPy's default, "type 7"); the coefficient of variation is
 * the sample standard deviation over the mean; an outlier is a sample whose
 * modified z-score 0.6745 (x - median) / MAD exceeds 3.5 in absolute value
 * (Iglewicz and Hoaglin), none when the MAD is 0.
 *
 * Memory: ia_bench_measure returns a heap array of samples the caller
 * frees. Everything else is plain values.
 */
#ifndef IPFS_ACCELERATE_BENCH_H
#define IPFS_ACCELERATE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ia_bench_stats {
    size_t n;
    double mean, stddev, min, p50, p90, p99, max; /* in the samples' unit */
    double cv;                                    /* stddev / mean; NaN when mean is 0 */
    size_t outliers;                              /* by the modified z-score */
} ia_bench_stats;

/* The statistics of n samples (n >= 1; NaN samples are refused). */
ia_status ia_bench_stats_compute(const double *samples, size_t n, ia_bench_stats *out,
                                 ia_error *err);
/* The q-quantile (0 <= q <= 1) of sorted[0, n), type 7. */
double ia_bench_percentile(const double *sorted, size_t n, double q);

typedef struct ia_bench_method {
    int warmup;        /* iterations run and discarded first */
    double min_time_s; /* keep measuring until this much time has passed ... */
    int min_iters;     /* ... and at least this many iterations */
    int max_iters;     /* never more than this many (0: no cap) */
    double timeout_s;  /* give up after this long, warm-up included (0: none) */
} ia_bench_method;

/* The defaults: 3 warm-up iterations, at least 1 s and 10 iterations, at
 * most 100000, no timeout; --quick: 1 warm-up, 0.2 s and 3 iterations. */
ia_bench_method ia_bench_method_default(bool quick);

/* One iteration of a case; returns IA_OK or fails the measurement. */
typedef ia_status (*ia_bench_fn)(void *ctx, ia_error *err);

/* Runs the method over fn and returns the samples in milliseconds
 * (*samples, heap, *n of them). IA_ERR_UNSUPPORTED with "timed out after
 * S s" when the timeout passes before min_iters and min_time are met (the
 * samples taken so far are still returned). */
ia_status ia_bench_measure(const ia_bench_method *m, ia_bench_fn fn, void *ctx, double **samples,
                           size_t *n, ia_error *err);

/* Monotonic seconds. */
double ia_bench_now(void);

/* --- telemetry (Linux) ---------------------------------------------------- */

/* Resident set size now and its peak since the last reset, in bytes (from
 * /proc/self/status VmRSS and VmHWM); -1 when unreadable. */
int64_t ia_bench_rss_bytes(void);
int64_t ia_bench_rss_peak_bytes(void);
/* Resets the peak to the current RSS (writes 5 to /proc/self/clear_refs);
 * false when the kernel refuses, and the peak then covers the process's
 * whole life. */
bool ia_bench_rss_peak_reset(void);

/* Package energy counters (RAPL, /sys/class/powercap/intel-rapl:N/energy_uj,
 * AMD's too on Linux 5.11+): the sum of the packages' counters in joules,
 * wraparound handled by the difference function below. NaN when no counter
 * is readable (often root-only): never invented. */
typedef struct ia_bench_energy {
    int count;                 /* packages read; 0: energy unavailable */
    double joules[8];          /* per package, at the reading */
    double max_joules[8];      /* max_energy_range_uj, for wraparound */
} ia_bench_energy;

void ia_bench_energy_read(ia_bench_energy *e);
/* Joules used between two readings; NaN when unavailable. */
double ia_bench_energy_used(const ia_bench_energy *before, const ia_bench_energy *after);

/* The CPU frequency governor of CPU 0 ("performance", "powersave", ...),
 * "" when there is none to read (a VM often has none). */
void ia_bench_cpu_governor(char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
