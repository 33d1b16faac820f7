/*
 * analyze: what the benchmark history means. Regression detection finds
 * change points over a whole series (one configuration, one metric, over
 * time), confirms each with a Mann-Whitney U test between the segments (on
 * the raw samples where they are stored) and a minimum effect size; trend
 * analysis fits a Theil-Sen slope over timestamps with a confidence
 * interval. The statistics work on plain arrays; series.c reads them from
 * the results store.
 *
 * Nothing here invents a figure: a series too short to test says so (a
 * status, not a finding), and every finding carries its p-value.
 *
 * Memory: arrays passed in are borrowed. ia_detect_changes fills a caller
 * array; series loaded from the store are freed with ia_series_free.
 */
#ifndef IPFS_ACCELERATE_ANALYZE_H
#define IPFS_ACCELERATE_ANALYZE_H

#include <stdint.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- metrics */

typedef struct ia_metric_info {
    const char *name;       /* the store's column: "latency_ms_p50" */
    const char *label;      /* "latency p50" */
    const char *unit;       /* "ms" */
    bool higher_is_better;  /* throughput, tokens/s: true; latency, memory, energy: false */
    bool has_samples;       /* the raw per-iteration samples measure this metric */
} ia_metric_info;

size_t ia_metric_count(void);
const ia_metric_info *ia_metric_at(size_t i);
/* By name ("latency_ms_p50") or short alias ("latency", "throughput",
 * "tokens", "memory", "energy"); NULL when unknown. */
const ia_metric_info *ia_metric_find(const char *name);

/* ------------------------------------------------------------- statistics */

/* Two-sided Mann-Whitney U test of a against b (normal approximation with
 * tie and continuity corrections; exact distribution when both have at most
 * 10 values and no ties). Returns the p-value, 1 when either side is empty. */
double ia_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/* Median of v (copied, v untouched); NAN when n == 0. */
double ia_median(const double *v, size_t n);

/* --------------------------------------------------------- change points */

typedef struct ia_change_options {
    double min_effect;     /* smallest change that counts, as a fraction (0.05) */
    double alpha;          /* significance level of each test (0.01) */
    size_t min_segment;    /* fewest points on each side of a change (4) */
    unsigned permutations; /* for the change-point significance test (199) */
    uint64_t seed;         /* makes the permutation test repeatable */
} ia_change_options;

/* The defaults above. */
ia_change_options ia_change_options_default(void);

/* One point of a series: its value and, when stored, the raw samples it
 * summarises (NULL, 0 otherwise). */
typedef struct ia_series_point {
    double value;
    const double *samples;
    size_t sample_count;
} ia_series_point;

typedef struct ia_change {
    size_t index;      /* the first point after the change */
    double before;     /* median of the segment before */
    double after;      /* median of the segment after */
    double change_pct; /* 100 * (after - before) / before */
    double p_value;    /* Mann-Whitney U between the two segments */
} ia_change;

/* Finds the change points of points[0, n) (time order; NAN values are
 * skipped) that are significant, at least min_effect in size and at least
 * 1.5 robust noise sigmas of the point values (a smaller shift may be real,
 * but its place cannot be told), in index order. Writes up to cap changes
 * to out and their number (at most cap) to *count. Isolated outliers do
 * not make a change: each side must hold min_segment points. The method:
 * src/analyze/changepoint.c and docs/regressions.md. */
ia_status ia_detect_changes(const ia_series_point *points, size_t n,
                            const ia_change_options *options, ia_change *out, size_t cap,
                            size_t *count, ia_error *err);

/* --------------------------------------------------------------- trends */

typedef enum ia_trend_class {
    IA_TREND_STABLE,
    IA_TREND_IMPROVING,
    IA_TREND_DEGRADING,
    IA_TREND_VOLATILE,
    IA_TREND_TOO_SHORT /* fewer than 3 points: nothing can be said */
} ia_trend_class;

typedef struct ia_trend {
    size_t points;
    double slope_per_day;          /* Theil-Sen: median of pairwise slopes, units per day */
    double slope_lo, slope_hi;     /* its 95% confidence interval (Sen's method) */
    double intercept_median;       /* the series' median value */
    double change_pct_per_30d;     /* slope over 30 days relative to the median */
    double robust_cv;              /* 1.4826 * MAD / median of the residuals */
    ia_trend_class classification;
} ia_trend;

/* Fits the trend of y over t (Unix seconds, any order; NAN skipped).
 * min_effect (fraction per 30 days) separates stable from moving; a series
 * whose residual robust CV exceeds volatile_cv is volatile. */
ia_status ia_trend_fit(const double *t, const double *y, size_t n, bool higher_is_better,
                       double min_effect, double volatile_cv, ia_trend *out, ia_error *err);
const char *ia_trend_class_name(ia_trend_class c);

/* ---------------------------------------------------------------- series */

/* One configuration's history of one metric, oldest first. Simulated
 * results are left out: they were never measured. */
typedef struct ia_series {
    char *model, *hardware, *precision, *mode;
    int64_t batch_size, seq_len;
    const ia_metric_info *metric;
    size_t count;
    ia_series_point *points; /* value and raw samples (latency metrics) */
    double *times;           /* Unix seconds */
    int64_t *result_ids;
    char **commits;          /* NULL where unknown */
    double *sample_storage;  /* owns what points[i].samples point into */
} ia_series;

typedef struct ia_series_filter {
    const char *model;    /* NULL: all; else names containing it */
    const char *hardware; /* NULL: all; else this hardware */
    int64_t since_us;     /* 0: the whole history */
} ia_series_filter;

/* Every series of metric in the store that the filter keeps, sorted by
 * configuration. *skipped_simulated counts the simulated results left out. */
ia_status ia_series_load(ia_store *store, const ia_series_filter *filter,
                         const ia_metric_info *metric, ia_series **out, size_t *count,
                         size_t *skipped_simulated, ia_error *err);
void ia_series_free(ia_series *series, size_t count);

/* ------------------------------------------------------------- findings */

/* A change found in a series, or a latest result off its baseline. */
typedef struct ia_finding {
    char *model, *hardware, *precision, *mode;
    int64_t batch_size, seq_len;
    const ia_metric_info *metric;
    const char *kind;     /* "regression" or "improvement" */
    const char *severity; /* "minor", "major", "critical" */
    const char *method;   /* "change-point" or "baseline" */
    double change_pct, p_value, before, after;
    int64_t first_result_id; /* the first result after the change */
    int64_t first_us;
    char *first_commit;      /* NULL when unknown */
    /* Filled when the finding is stored: its id, whether it is new, and
     * its status ("detected", "acknowledged", ...). */
    int64_t id;
    bool is_new;
    char *status;
} ia_finding;

/* "minor" below twice the threshold, "major" below five times, else
 * "critical" (threshold and change as fractions). A change with no
 * relative size (NAN: the value before was 0) is "major". */
const char *ia_finding_severity(double change, double threshold);

/* Runs change-point detection over every series of each metric the filter
 * keeps. *analyzed counts the series long enough to test. */
ia_status ia_regress_detect(ia_store *store, const ia_series_filter *filter,
                            const ia_metric_info *const *metrics, size_t metric_count,
                            const ia_change_options *options, ia_finding **out, size_t *count,
                            size_t *analyzed, ia_error *err);

/* Compares the latest result of every configuration that has a baseline
 * (store.h, ia_store_set_baselines) with it: Mann-Whitney U on the raw
 * samples of the two results, and the effect size on the metric. Only
 * metrics measured by the samples (latency) are compared; *compared
 * counts the configurations. */
ia_status ia_regress_against_baseline(ia_store *store, const ia_series_filter *filter,
                                      const ia_change_options *options, ia_finding **out,
                                      size_t *count, size_t *compared, ia_error *err);

/* Stores each finding (ia_store_add_regression) and fills its id, is_new
 * and status. */
ia_status ia_findings_store(ia_store *store, ia_finding *findings, size_t count, ia_error *err);

void ia_findings_free(ia_finding *findings, size_t count);

/* ---------------------------------------------------------- notification */

/* POSTs body (JSON) to url with Content-Type application/json through
 * libcurl; a transport failure or an HTTP status outside 2xx is an error
 * naming the URL and the status. timeout_ms bounds the whole request. */
ia_status ia_webhook_post(const char *url, const char *body, long timeout_ms, ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
