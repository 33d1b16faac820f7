/* The measurement method: statistics against values computed by hand (and
 * by NumPy's definitions), the measurement loop's stopping rules, and the
 * telemetry the kernel gives. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ipfs_accelerate/bench.h"

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-9 * (1 + fabs(want)))
        fail_msg("got %.12g, expected %.12g", got, want);
}

static void test_stats_one_to_ten(void **state)
{
    (void)state;
    const double v[10] = {7, 3, 10, 1, 5, 9, 2, 8, 6, 4}; /* 1..10, shuffled */
    ia_bench_stats s;
    ia_error err = {0};
    assert_int_equal(ia_bench_stats_compute(v, 10, &s, &err), IA_OK);
    assert_int_equal(s.n, 10);
    near(s.mean, 5.5);
    near(s.min, 1);
    near(s.max, 10);
    /* np.percentile(range(1, 11), [50, 90, 99]) = 5.5, 9.1, 9.91 */
    near(s.p50, 5.5);
    near(s.p90, 9.1);
    near(s.p99, 9.91);
    /* sample standard deviation: sqrt(82.5 / 9) */
    near(s.stddev, sqrt(82.5 / 9));
    near(s.cv, sqrt(82.5 / 9) / 5.5);
    assert_int_equal(s.outliers, 0);
}

static void test_outliers(void **state)
{
    (void)state;
    /* median 10.01, absolute deviations .11 .06 .03 .01 .01 .04 .09 19.99:
     * MAD 0.05; 30 scores 0.6745 * 19.99 / 0.05 = 269.7 > 3.5, the largest
     * other 0.6745 * 0.09 / 0.05 = 1.2. */
    const double v[8] = {10, 10.1, 9.9, 10.05, 9.95, 10.02, 9.98, 30};
    ia_bench_stats s;
    ia_error err = {0};
    assert_int_equal(ia_bench_stats_compute(v, 8, &s, &err), IA_OK);
    near(s.p50, 10.01);
    assert_int_equal(s.outliers, 1);
    /* all equal: MAD 0, no outlier, no spread */
    const double same[4] = {2, 2, 2, 2};
    assert_int_equal(ia_bench_stats_compute(same, 4, &s, &err), IA_OK);
    assert_int_equal(s.outliers, 0);
    near(s.stddev, 0);
    near(s.cv, 0);
    /* one sample */
    assert_int_equal(ia_bench_stats_compute(v, 1, &s, &err), IA_OK);
    near(s.p99, 10);
    near(s.stddev, 0);
}

static void test_stats_bad_input(void **state)
{
    (void)state;
    ia_bench_stats s;
    ia_error err = {0};
    assert_int_equal(ia_bench_stats_compute(NULL, 0, &s, &err), IA_ERR_INVALID);
    const double v[3] = {1, NAN, 2};
    assert_int_equal(ia_bench_stats_compute(v, 3, &s, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "sample 1"));
}

typedef struct counter {
    int calls;
    double sleep_s;
    int fail_at; /* 0: never */
} counter;

static ia_status tick(void *ctx, ia_error *err)
{
    counter *c = ctx;
    c->calls++;
    if (c->fail_at && c->calls == c->fail_at)
        return ia_error_set(err, IA_ERR_INTERNAL, "iteration %d failed", c->calls);
    struct timespec ts = {0, (long)(c->sleep_s * 1e9)};
    nanosleep(&ts, NULL);
    return IA_OK;
}

static void test_measure_rules(void **state)
{
    (void)state;
    ia_error err = {0};
    double *samples = NULL;
    size_t n = 0;
    /* both minimums: at least 5 samples and 20 ms of them */
    counter c = {.sleep_s = 0.002};
    ia_bench_method m = {.warmup = 2, .min_time_s = 0.02, .min_iters = 5, .max_iters = 1000};
    assert_int_equal(ia_bench_measure(&m, tick, &c, &samples, &n, &err), IA_OK);
    assert_true(n >= 5);
    assert_int_equal(c.calls, (int)n + 2); /* warm-up not among the samples */
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(samples[i] >= 1.9); /* ms: each slept 2 ms */
        total += samples[i];
    }
    assert_true(total >= 20 - 2);
    free(samples);
    /* the cap wins over the minimum time */
    c = (counter){.sleep_s = 0};
    m = (ia_bench_method){.min_time_s = 100, .min_iters = 3, .max_iters = 7};
    assert_int_equal(ia_bench_measure(&m, tick, &c, &samples, &n, &err), IA_OK);
    assert_int_equal(n, 7);
    free(samples);
    /* a timeout before the minimums: an error, the samples kept */
    c = (counter){.sleep_s = 0.01};
    m = (ia_bench_method){.min_time_s = 10, .min_iters = 1000, .timeout_s = 0.08};
    assert_int_equal(ia_bench_measure(&m, tick, &c, &samples, &n, &err), IA_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "timed out"));
    assert_true(n >= 1 && n < 1000);
    free(samples);
    /* a failing iteration stops the measurement with its error */
    c = (counter){.fail_at = 4};
    m = ia_bench_method_default(true);
    assert_int_equal(ia_bench_measure(&m, tick, &c, &samples, &n, &err), IA_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "iteration 4"));
    free(samples);
    /* a method that makes no sense */
    m = (ia_bench_method){.min_iters = 0};
    assert_int_equal(ia_bench_measure(&m, tick, &c, &samples, &n, &err), IA_ERR_INVALID);
    assert_null(samples);
}

static void test_telemetry(void **state)
{
    (void)state;
    int64_t rss = ia_bench_rss_bytes(), peak = ia_bench_rss_peak_bytes();
    assert_true(rss > 0);
    assert_true(peak >= rss);
    /* touching 64 MiB raises the peak by about that much */
    bool reset = ia_bench_rss_peak_reset();
    int64_t before = ia_bench_rss_peak_bytes();
    size_t big = 64u << 20;
    char *p = malloc(big);
    assert_non_null(p);
    memset(p, 1, big);
    int64_t after = ia_bench_rss_peak_bytes();
    free(p);
    assert_true(after - before >= (int64_t)(60u << 20) || !reset);
    ia_bench_energy e1, e2;
    ia_bench_energy_read(&e1);
    ia_bench_energy_read(&e2);
    double j = ia_bench_energy_used(&e1, &e2);
    if (e1.count == 0)
        assert_true(isnan(j)); /* absent, never invented */
    else
        assert_true(j >= 0);
    char gov[64];
    ia_bench_cpu_governor(gov, sizeof gov);
    assert_true(strlen(gov) < sizeof gov);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_one_to_ten), cmocka_unit_test(test_outliers),
        cmocka_unit_test(test_stats_bad_input), cmocka_unit_test(test_measure_rules),
        cmocka_unit_test(test_telemetry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
