/* Trends: a Theil-Sen line over time, with Sen's confidence interval.
 *
 * The slope is the median of the slopes of every pair of points with
 * distinct timestamps, in units per day, so irregular runs (three in a day,
 * then none for a week) weigh by the time between them and not by their
 * order. Theil-Sen tolerates up to 29% of wild points, which a benchmark
 * history has (a busy machine, a cold cache).
 *
 * The 95% interval is Sen's: with N pairwise slopes sorted and
 * C = 1.96 sqrt(var S), where var S = (n(n-1)(2n+5) - sum over tie groups
 * of the values of t(t-1)(2t+5)) / 18 is the variance of Kendall's S under
 * no trend, the bounds are the slopes of rank (N - C)/2 and (N + C)/2 + 1.
 * Above MAX_PAIRS pairs a fixed, evenly spread sample of pairs stands in
 * for all of them (ranks scaled), keeping long histories fast.
 *
 * The residuals' robust CV (1.4826 MAD / |median|) says how noisy the series
 * is around its line; above volatile_cv the line means little, so the
 * series is "volatile" whatever its slope. Otherwise it is "stable" when
 * the interval holds 0 (no evidence of a slope) or the slope moves it by
 * less than min_effect per 30 days, and else improving or degrading by the
 * slope's sign and the metric's direction. */
#include <math.h>
#include <stdlib.h>

#include "analyze/analyze_internal.h"
#include "ipfs_accelerate/analyze.h"

#define MAX_PAIRS 2000000u
#define SECONDS_PER_DAY 86400.0
#define Z_975 1.959963984540054

const char *ia_trend_class_name(ia_trend_class c)
{
    switch (c) {
    case IA_TREND_STABLE:
        return "stable";
    case IA_TREND_IMPROVING:
        return "improving";
    case IA_TREND_DEGRADING:
        return "degrading";
    case IA_TREND_VOLATILE:
        return "volatile";
    case IA_TREND_TOO_SHORT:
        return "too short";
    }
    return "unknown";
}

/* Value at a 1-based, possibly fractional rank of sorted v[0, n): clamped,
 * rounded to the nearest rank. */
static double at_rank(const double *v, size_t n, double rank)
{
    double r = floor(rank + 0.5);
    if (r < 1)
        r = 1;
    if (r > (double)n)
        r = (double)n;
    return v[(size_t)r - 1];
}

static ia_trend too_short(size_t points)
{
    return (ia_trend){
        .points = points,
        .slope_per_day = NAN,
        .slope_lo = NAN,
        .slope_hi = NAN,
        .intercept_median = NAN,
        .change_pct_per_30d = NAN,
        .robust_cv = NAN,
        .classification = IA_TREND_TOO_SHORT,
    };
}

ia_status ia_trend_fit(const double *t, const double *y, size_t n, bool higher_is_better,
                       double min_effect, double volatile_cv, ia_trend *out, ia_error *err)
{
    if (!out || (n > 0 && (!t || !y)))
        return ia_error_set(err, IA_ERR_INVALID, "trend: t, y and out must not be NULL");
    if (!(min_effect >= 0) || !(volatile_cv > 0))
        return ia_error_set(err, IA_ERR_INVALID,
                            "trend: min_effect must be >= 0 and volatile_cv > 0 (got %g and %g)",
                            min_effect, volatile_cv);
    double *days = malloc((n ? n : 1) * sizeof *days);
    double *vals = malloc((n ? n : 1) * sizeof *vals);
    if (!days || !vals) {
        free(days);
        free(vals);
        return ia_error_set(err, IA_ERR_NOMEM, "trend: out of memory (%zu points)", n);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(t[i]) && isfinite(y[i])) {
            days[m] = t[i] / SECONDS_PER_DAY;
            vals[m++] = y[i];
        }
    }
    ia_status rc = IA_OK;
    double *slopes = NULL, *work = NULL;
    *out = too_short(m);
    if (m < 3)
        goto done;

    /* Sample every stride-th pair when there are too many. */
    double all_pairs = (double)m * (double)(m - 1) / 2;
    size_t stride = all_pairs > MAX_PAIRS ? (size_t)ceil(all_pairs / MAX_PAIRS) : 1;
    size_t cap = (size_t)(all_pairs / (double)stride) + 1;
    slopes = malloc(cap * sizeof *slopes);
    work = malloc(m * sizeof *work);
    if (!slopes || !work) {
        rc = ia_error_set(err, IA_ERR_NOMEM, "trend: out of memory (%zu points)", m);
        goto done;
    }
    size_t ns = 0, pair = 0;
    for (size_t i = 0; i < m; i++) {
        for (size_t j = i + 1; j < m; j++, pair++) {
            if (pair % stride != 0 || ns >= cap)
                continue;
            if (days[j] != days[i])
                slopes[ns++] = (vals[j] - vals[i]) / (days[j] - days[i]);
        }
    }
    if (ns == 0)
        goto done; /* every run at the same instant: no slope to speak of */
    qsort(slopes, ns, sizeof *slopes, ia_analyze_cmp_double);
    double slope = ns % 2 ? slopes[ns / 2] : 0.5 * (slopes[ns / 2 - 1] + slopes[ns / 2]);

    /* Kendall's S variance, with the correction for tied values. */
    for (size_t i = 0; i < m; i++)
        work[i] = vals[i];
    qsort(work, m, sizeof *work, ia_analyze_cmp_double);
    double dn = (double)m, ties = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && work[j] == work[i])
            j++;
        double g = (double)(j - i);
        ties += g * (g - 1) * (2 * g + 5);
        i = j;
    }
    double var_s = (dn * (dn - 1) * (2 * dn + 5) - ties) / 18;
    /* C is in units of all pairs; scale it to the slopes we kept. */
    double c = Z_975 * sqrt(var_s > 0 ? var_s : 0) * (double)ns / all_pairs;
    double lo = at_rank(slopes, ns, ((double)ns - c) / 2);
    double hi = at_rank(slopes, ns, ((double)ns + c) / 2 + 1);

    double median = ia_analyze_median_sorting(work, m);
    /* Residuals about the line through the median of y - slope * t. */
    for (size_t i = 0; i < m; i++)
        work[i] = vals[i] - slope * days[i];
    double intercept = ia_median(work, m);
    for (size_t i = 0; i < m; i++)
        work[i] -= intercept;
    double mad = ia_analyze_mad(work, m, 0);
    double robust_cv = median != 0 ? 1.4826 * mad / fabs(median) : (mad == 0 ? 0 : INFINITY);
    double pct30 = median != 0 ? 100 * slope * 30 / fabs(median) : NAN;

    out->slope_per_day = slope;
    out->slope_lo = lo;
    out->slope_hi = hi;
    out->intercept_median = median;
    out->change_pct_per_30d = pct30;
    out->robust_cv = robust_cv;
    if (robust_cv > volatile_cv)
        out->classification = IA_TREND_VOLATILE;
    else if ((lo <= 0 && hi >= 0) || slope == 0 ||
             (!isnan(pct30) && fabs(pct30) < min_effect * 100))
        out->classification = IA_TREND_STABLE;
    else
        out->classification =
            (slope > 0) == higher_is_better ? IA_TREND_IMPROVING : IA_TREND_DEGRADING;

done:
    free(days);
    free(vals);
    free(slopes);
    free(work);
    return rc;
}
