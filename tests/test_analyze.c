/* The statistics of src/analyze: the metric table, the Mann-Whitney U test,
 * change-point detection and Theil-Sen trends, on series whose truth is
 * known because the test builds them (a fixed-seed generator). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "analyze/analyze_internal.h"
#include "ipfs_accelerate/analyze.h"

/* ----------------------------------------------------------- generator */

static uint64_t rng_state;

static double uniform(void)
{
    return ((double)(ia_analyze_rand_next(&rng_state) >> 11) + 0.5) / 9007199254740992.0;
}

static double gaussian(void)
{
    return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

/* n points of level `before` then `after` from index `step`, noise CV cv. */
static void make_step(ia_series_point *p, size_t n, size_t step, double before, double after,
                      double cv, uint64_t seed)
{
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        double level = i < step ? before : after;
        p[i] = (ia_series_point){level * (1 + cv * gaussian()), NULL, 0};
    }
}

static size_t detect(const ia_series_point *p, size_t n, const ia_change_options *o,
                     ia_change *out, size_t cap)
{
    size_t count = 99;
    ia_error err = {0};
    assert_int_equal(ia_detect_changes(p, n, o, out, cap, &count, &err), IA_OK);
    return count;
}

/* -------------------------------------------------------------- metrics */

static void test_metric_table(void **state)
{
    (void)state;
    assert_int_equal(ia_metric_count(), 9);
    const ia_metric_info *lat = ia_metric_find("latency");
    assert_non_null(lat);
    assert_string_equal(lat->name, "latency_ms_p50");
    assert_true(lat->has_samples);
    assert_false(lat->higher_is_better);
    assert_ptr_equal(ia_metric_find("latency_ms_p50"), lat);
    assert_true(ia_metric_find("throughput")->higher_is_better);
    assert_string_equal(ia_metric_find("tokens")->name, "tokens_per_s");
    assert_true(ia_metric_find("tokens")->higher_is_better);
    assert_false(ia_metric_find("memory")->higher_is_better);
    assert_string_equal(ia_metric_find("energy")->name, "energy_joules");
    assert_false(ia_metric_find("ttft_ms")->higher_is_better);
    assert_false(ia_metric_find("latency_ms_p99")->has_samples);
    assert_null(ia_metric_find("latency_ms"));
    assert_null(ia_metric_find(NULL));
    assert_null(ia_metric_at(ia_metric_count()));
    for (size_t i = 0; i < ia_metric_count(); i++)
        assert_ptr_equal(ia_metric_find(ia_metric_at(i)->name), ia_metric_at(i));
}

/* ------------------------------------------------------------ statistics */

static void test_median(void **state)
{
    (void)state;
    double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2};
    assert_float_equal(ia_median(odd, 3), 3, 0);
    assert_float_equal(ia_median(even, 4), 2.5, 0);
    assert_float_equal(odd[0], 5, 0); /* untouched */
    assert_true(isnan(ia_median(odd, 0)));
}

static void test_mann_whitney_exact(void **state)
{
    (void)state;
    /* Complete separation of 5 and 5: U = 0, and only 1 of the C(10,5) =
     * 252 orderings is as extreme on each side: p = 2/252 = 0.0079365
     * (scipy.stats.mannwhitneyu gives the same with method "exact"). */
    double a[] = {1, 2, 3, 4, 5}, b[] = {6, 7, 8, 9, 10};
    assert_float_equal(ia_mann_whitney_p(a, 5, b, 5), 2.0 / 252, 1e-12);
    assert_float_equal(ia_mann_whitney_p(b, 5, a, 5), 2.0 / 252, 1e-12);
    /* scipy's documentation example (males vs females): U1 = 17, U2 = 3;
     * orderings of 5 and 4 with U <= 3 number 1 + 1 + 2 + 3 = 7 of
     * C(9,4) = 126, so p = 14/126 = 0.1111 (scipy: 0.1111111111111111). */
    double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
    assert_float_equal(ia_mann_whitney_p(males, 5, females, 4), 14.0 / 126, 1e-12);
    /* Three each, separated: 2 / C(6,3) = 0.1. */
    assert_float_equal(ia_mann_whitney_p(a, 3, b, 3), 0.1, 1e-12);
    /* Identical samples without ties between them are impossible; an
     * interleaving a < b < a < b ... is as central as it gets: p = 1. */
    double c[] = {1, 3, 5, 7}, d[] = {2, 4, 6, 8};
    assert_true(ia_mann_whitney_p(c, 4, d, 4) > 0.6);
}

static void test_mann_whitney_ties_and_normal(void **state)
{
    (void)state;
    /* Ties: a = {1,2,2,3}, b = {3,4,4,5}. Mid-ranks 1, 2.5, 2.5, 4.5 | 4.5,
     * 6.5, 6.5, 8: R_a = 10.5, U = 0.5, mean 8; tie term 3 groups of 2 ->
     * sum(t^3 - t) = 18; var = 16/12 (9 - 18/56) = 11.5714; z = (7.5 - 0.5)
     * / 3.40168 = 2.05781; p = erfc(z / sqrt 2) = 0.0396087 (by hand; the
     * same formula as scipy's method "asymptotic", use_continuity=True). */
    double a[] = {1, 2, 2, 3}, b[] = {3, 4, 4, 5};
    assert_float_equal(ia_mann_whitney_p(a, 4, b, 4), 0.03960870463975983, 1e-9);
    /* Above 10 values: the normal approximation. 1..20 against 21..40:
     * U = 0, mean 200, var = 400/12 * 41, z = 199.5 / 36.968 -> 6.7956e-8. */
    double lo[20], hi[20];
    for (int i = 0; i < 20; i++) {
        lo[i] = i + 1;
        hi[i] = i + 21;
    }
    assert_float_equal(ia_mann_whitney_p(lo, 20, hi, 20), 6.795615128173387e-08, 1e-12);
    /* 1..12 against 1.5..12.5: U = 66, mean 72, var = 144/12 * 25 = 300:
     * z = 5.5 / 17.3205, p = 0.750831884089117. */
    double x[12], y[12];
    for (int i = 0; i < 12; i++) {
        x[i] = i + 1;
        y[i] = i + 1.5;
    }
    assert_float_equal(ia_mann_whitney_p(x, 12, y, 12), 0.750831884089117, 1e-9);
    /* Empty sides and all-equal values: nothing to test. */
    assert_float_equal(ia_mann_whitney_p(a, 0, b, 4), 1, 0);
    assert_float_equal(ia_mann_whitney_p(a, 4, b, 0), 1, 0);
    double same[] = {7, 7, 7, 7};
    assert_float_equal(ia_mann_whitney_p(same, 4, same, 4), 1, 0);
}

/* ---------------------------------------------------------- change points */

static void test_step_found(void **state)
{
    (void)state;
    ia_series_point p[60];
    ia_change_options o = ia_change_options_default();
    for (uint64_t seed = 1; seed <= 10; seed++) {
        make_step(p, 60, 30, 100, 110, 0.02, seed);
        ia_change c[4];
        size_t n = detect(p, 60, &o, c, 4);
        assert_int_equal(n, 1);
        assert_in_range(c[0].index, 29, 31);
        assert_true(c[0].change_pct > 7 && c[0].change_pct < 13);
        assert_true(c[0].before > 97 && c[0].before < 103);
        assert_true(c[0].after > 107 && c[0].after < 113);
        assert_true(c[0].p_value < o.alpha);
    }
}

static void test_stationary_no_change(void **state)
{
    (void)state;
    ia_series_point p[120];
    ia_change_options o = ia_change_options_default();
    for (uint64_t seed = 100; seed < 140; seed++) {
        make_step(p, 120, 0, 100, 100, 0.03, seed);
        ia_change c[4];
        assert_int_equal(detect(p, 120, &o, c, 4), 0);
    }
    /* A constant series has nothing to find. */
    for (size_t i = 0; i < 40; i++)
        p[i] = (ia_series_point){5, NULL, 0};
    ia_change c[4];
    assert_int_equal(detect(p, 40, &o, c, 4), 0);
}

static void test_outliers_no_change(void **state)
{
    (void)state;
    ia_series_point p[60];
    ia_change_options o = ia_change_options_default();
    for (uint64_t seed = 200; seed < 210; seed++) {
        make_step(p, 60, 0, 100, 100, 0.02, seed);
        p[20].value = 300;
        p[21].value = 310; /* two wild outliers side by side */
        p[45].value = 290;
        ia_change c[4];
        assert_int_equal(detect(p, 60, &o, c, 4), 0);
    }
}

static void test_memory_improvement(void **state)
{
    (void)state;
    /* Peak memory falling 20%: an improvement for a lower-is-better metric,
     * reported as a negative change. */
    ia_series_point p[40];
    make_step(p, 40, 25, 2000, 1600, 0.01, 7);
    ia_change c[4];
    ia_change_options o = ia_change_options_default();
    assert_int_equal(detect(p, 40, &o, c, 4), 1);
    assert_in_range(c[0].index, 24, 26);
    assert_true(c[0].change_pct < -17 && c[0].change_pct > -23);
}

static void test_nan_points(void **state)
{
    (void)state;
    ia_series_point p[60];
    make_step(p, 60, 30, 100, 110, 0.02, 3);
    p[5].value = NAN;
    p[29].value = NAN;
    p[30].value = NAN;
    p[44].value = NAN;
    ia_change c[4];
    ia_change_options o = ia_change_options_default();
    assert_int_equal(detect(p, 60, &o, c, 4), 1);
    /* The index is the input's: the first measured point after the step. */
    assert_in_range(c[0].index, 28, 32);
    assert_false(isnan(p[c[0].index].value));
    /* All NAN: nothing. */
    for (size_t i = 0; i < 60; i++)
        p[i].value = NAN;
    assert_int_equal(detect(p, 60, &o, c, 4), 0);
}

static void test_raw_samples_used(void **state)
{
    (void)state;
    /* The point values step by 10%, but the raw samples behind them come
     * from one distribution: the samples decide, so there is no change.
     * Without the samples (or with one point missing them) the values
     * decide and the step is found. */
    enum { N = 40, S = 16 };
    ia_series_point p[N];
    double samples[S];
    for (int k = 0; k < S; k++)
        samples[k] = 100 + k; /* the same for every point */
    make_step(p, N, 20, 100, 110, 0.01, 11);
    ia_change_options o = ia_change_options_default();
    ia_change c[4];
    assert_int_equal(detect(p, N, &o, c, 4), 1);
    for (int i = 0; i < N; i++) {
        p[i].samples = samples;
        p[i].sample_count = S;
    }
    assert_int_equal(detect(p, N, &o, c, 4), 0);
    p[3].samples = NULL;
    p[3].sample_count = 0;
    assert_int_equal(detect(p, N, &o, c, 4), 1);

    /* And samples that do move confirm a step the values show. */
    static double before[S], after[S];
    for (int k = 0; k < S; k++) {
        before[k] = 100 + 0.1 * k;
        after[k] = 110 + 0.1 * k;
    }
    for (int i = 0; i < N; i++) {
        p[i].samples = i < 20 ? before : after;
        p[i].sample_count = S;
    }
    assert_int_equal(detect(p, N, &o, c, 4), 1);
    assert_int_equal(c[0].index, 20);
    assert_true(c[0].p_value < 1e-10); /* 320 samples each side, separated */
}

static void test_min_segment(void **state)
{
    (void)state;
    /* A step 3 points from the end: fewer than min_segment (4) after it. */
    ia_series_point p[40];
    make_step(p, 40, 37, 100, 150, 0.01, 5);
    ia_change_options o = ia_change_options_default();
    ia_change c[4];
    assert_int_equal(detect(p, 40, &o, c, 4), 0);
    /* Held for 6 points it is a change (E-divisive has less power near the
     * ends: a split of 36 + 4 is significant in some series, not all). */
    make_step(p, 40, 34, 100, 150, 0.01, 5);
    assert_int_equal(detect(p, 40, &o, c, 4), 1);
    assert_in_range(c[0].index, 33, 35);
    /* ... but not with min_segment 10. */
    o.min_segment = 10;
    assert_int_equal(detect(p, 40, &o, c, 4), 0);
    /* Every change found has min_segment valid points on each side. */
    o = ia_change_options_default();
    for (uint64_t seed = 50; seed < 80; seed++) {
        make_step(p, 40, 3 + (size_t)(seed % 34), 100, 70, 0.03, seed);
        size_t n = detect(p, 40, &o, c, 4);
        for (size_t k = 0; k < n; k++)
            assert_in_range(c[k].index, o.min_segment, 40 - o.min_segment);
    }
    /* Shorter than two segments: no test, no change, no error. */
    assert_int_equal(detect(p, 7, &o, c, 4), 0);
    o.min_segment = SIZE_MAX;
    assert_int_equal(detect(p, 40, &o, c, 4), 0);
}

static void test_zero_before(void **state)
{
    (void)state;
    /* Energy that was not measured as 0 and then is: no relative change,
     * so change_pct is NAN, reported because significant. */
    ia_series_point p[30];
    for (size_t i = 0; i < 30; i++)
        p[i] = (ia_series_point){i < 15 ? 0 : 5 + 0.01 * (double)i, NULL, 0};
    ia_change c[4];
    ia_change_options o = ia_change_options_default();
    assert_int_equal(detect(p, 30, &o, c, 4), 1);
    assert_int_equal(c[0].index, 15);
    assert_true(isnan(c[0].change_pct));
    assert_float_equal(c[0].before, 0, 0);
    for (size_t i = 0; i < 30; i++)
        p[i].value = 0;
    assert_int_equal(detect(p, 30, &o, c, 4), 0);
}

static void test_two_steps_and_determinism(void **state)
{
    (void)state;
    ia_series_point p[90];
    rng_state = 77;
    for (size_t i = 0; i < 90; i++) {
        double level = i < 30 ? 100 : i < 60 ? 120 : 95;
        p[i] = (ia_series_point){level * (1 + 0.02 * gaussian()), NULL, 0};
    }
    ia_change_options o = ia_change_options_default();
    ia_change a[4], b[4];
    size_t na = detect(p, 90, &o, a, 4), nb = detect(p, 90, &o, b, 4);
    assert_int_equal(na, 2);
    assert_int_equal(nb, 2);
    assert_memory_equal(a, b, 2 * sizeof a[0]);
    assert_in_range(a[0].index, 29, 31);
    assert_in_range(a[1].index, 59, 61);
    assert_true(a[0].change_pct > 0 && a[1].change_pct < 0);
    /* cap limits what is written. */
    assert_int_equal(detect(p, 90, &o, a, 1), 1);
    assert_int_equal(a[0].index, b[0].index);
}

static void test_long_series_fast(void **state)
{
    (void)state;
    enum { N = 10000 };
    ia_series_point *p = malloc(N * sizeof *p);
    assert_non_null(p);
    make_step(p, N, 6000, 100, 105, 0.03, 9);
    ia_change_options o = ia_change_options_default();
    ia_change c[8];
    clock_t t0 = clock();
    size_t n = detect(p, N, &o, c, 8);
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("10,000 points: %.3f s\n", seconds);
    assert_int_equal(n, 1);
    assert_in_range(c[0].index, 5990, 6010);
    /* Well under a second optimised; sanitizers slow it several times. */
    assert_true(seconds < 5);
    /* Asking for a million shuffles does not make it unbounded. */
    o.permutations = 1000000;
    t0 = clock();
    n = detect(p, N, &o, c, 8);
    seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("10,000 points, 1e6 permutations asked: %.3f s\n", seconds);
    assert_int_equal(n, 1);
    assert_true(seconds < 10);
    free(p);
}

static void test_bad_options(void **state)
{
    (void)state;
    ia_series_point p[10] = {{0}};
    ia_change c[1];
    size_t n;
    ia_error err = {0};
    ia_change_options o = ia_change_options_default();
    o.alpha = 0;
    assert_int_equal(ia_detect_changes(p, 10, &o, c, 1, &n, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "alpha"));
    o = ia_change_options_default();
    assert_int_equal(ia_detect_changes(p, 10, &o, c, 1, NULL, &err), IA_ERR_INVALID);
    /* Default options when NULL. */
    assert_int_equal(ia_detect_changes(p, 10, NULL, c, 1, &n, &err), IA_OK);
    assert_int_equal(n, 0);
}

/* ---------------------------------------------------------------- trends */

#define DAY 86400.0

static void fill_line(double *t, double *y, size_t n, double base, double per_day, double cv,
                      uint64_t seed)
{
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        /* Irregular times: half a day to a day and a half apart. */
        t[i] = 1.7e9 + (i ? (t[i - 1] - 1.7e9) : 0) + (i ? (0.5 + uniform()) * DAY : 0);
        double days = (t[i] - 1.7e9) / DAY;
        y[i] = (base + per_day * days) * (1 + cv * gaussian());
    }
}

static void test_trend_slope_recovered(void **state)
{
    (void)state;
    double t[40], y[40];
    fill_line(t, y, 40, 100, 0.5, 0.005, 21);
    ia_trend tr;
    ia_error err = {0};
    assert_int_equal(ia_trend_fit(t, y, 40, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.points, 40);
    assert_float_equal(tr.slope_per_day, 0.5, 0.05);
    assert_true(tr.slope_lo <= 0.5 && tr.slope_hi >= 0.5);
    assert_true(tr.slope_lo < tr.slope_per_day && tr.slope_hi > tr.slope_per_day);
    assert_true(tr.robust_cv < 0.02);
    /* Latency rising ~13% a month: degrading; as throughput: improving. */
    assert_int_equal(tr.classification, IA_TREND_DEGRADING);
    assert_int_equal(ia_trend_fit(t, y, 40, true, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.classification, IA_TREND_IMPROVING);
    assert_true(tr.change_pct_per_30d > 10 && tr.change_pct_per_30d < 16);
    /* The order of the input does not matter. */
    double t2[40], y2[40];
    for (size_t i = 0; i < 40; i++) {
        t2[i] = t[39 - i];
        y2[i] = y[39 - i];
    }
    ia_trend tr2;
    assert_int_equal(ia_trend_fit(t2, y2, 40, true, 0.05, 0.2, &tr2, &err), IA_OK);
    assert_float_equal(tr2.slope_per_day, tr.slope_per_day, 1e-12);
}

static void test_trend_classes(void **state)
{
    (void)state;
    double t[60], y[60];
    ia_trend tr;
    ia_error err = {0};
    /* Flat with 2% noise: stable. */
    fill_line(t, y, 60, 100, 0, 0.02, 31);
    assert_int_equal(ia_trend_fit(t, y, 60, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.classification, IA_TREND_STABLE);
    /* A real but tiny slope (1% a month) stays stable under a 5% effect. */
    fill_line(t, y, 60, 100, 100 * 0.01 / 30, 0.001, 32);
    assert_int_equal(ia_trend_fit(t, y, 60, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_true(tr.slope_lo > 0);
    assert_int_equal(tr.classification, IA_TREND_STABLE);
    /* Latency falling 1% a day: improving. */
    fill_line(t, y, 60, 100, -0.5, 0.01, 33);
    assert_int_equal(ia_trend_fit(t, y, 60, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.classification, IA_TREND_IMPROVING);
    /* 40% noise: volatile whatever the slope. */
    fill_line(t, y, 60, 100, -0.5, 0.4, 34);
    assert_int_equal(ia_trend_fit(t, y, 60, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.classification, IA_TREND_VOLATILE);
    assert_true(tr.robust_cv > 0.2);
    /* Two points, or three with one NAN: too short. */
    assert_int_equal(ia_trend_fit(t, y, 2, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.classification, IA_TREND_TOO_SHORT);
    assert_int_equal(tr.points, 2);
    y[1] = NAN;
    assert_int_equal(ia_trend_fit(t, y, 3, false, 0.05, 0.2, &tr, &err), IA_OK);
    assert_int_equal(tr.classification, IA_TREND_TOO_SHORT);
    assert_true(isnan(tr.slope_per_day));
    assert_string_equal(ia_trend_class_name(IA_TREND_STABLE), "stable");
    assert_string_equal(ia_trend_class_name(IA_TREND_IMPROVING), "improving");
    assert_string_equal(ia_trend_class_name(IA_TREND_DEGRADING), "degrading");
    assert_string_equal(ia_trend_class_name(IA_TREND_VOLATILE), "volatile");
    assert_string_equal(ia_trend_class_name(IA_TREND_TOO_SHORT), "too short");
    assert_int_equal(ia_trend_fit(t, y, 3, false, -1, 0.2, &tr, &err), IA_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metric_table),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_mann_whitney_exact),
        cmocka_unit_test(test_mann_whitney_ties_and_normal),
        cmocka_unit_test(test_step_found),
        cmocka_unit_test(test_stationary_no_change),
        cmocka_unit_test(test_outliers_no_change),
        cmocka_unit_test(test_memory_improvement),
        cmocka_unit_test(test_nan_points),
        cmocka_unit_test(test_raw_samples_used),
        cmocka_unit_test(test_min_segment),
        cmocka_unit_test(test_zero_before),
        cmocka_unit_test(test_two_steps_and_determinism),
        cmocka_unit_test(test_long_series_fast),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_trend_slope_recovered),
        cmocka_unit_test(test_trend_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
