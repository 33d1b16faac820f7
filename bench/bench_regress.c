/*
 * How well regression detection finds what it should and nothing else:
 * synthetic series whose truth is known (fixed seeds), run through our
 * detector (ia_detect_changes, defaults) and through the naive rule of the
 * framework we replace (a point more than 5% off the mean of the previous
 * 7 points), in the same run. Goals from issue 8; figures in
 * docs/regressions.md.
 *
 *   bench_regress [--quick] [--json] [--check] [--seed N]
 *
 * The series: 30 to 120 points around a level, Gaussian noise with a CV of
 * 1-10%, 1% of points thrown to 3x the level (heavy-tailed outliers), 2%
 * missing (NAN). Three kinds: stationary; one step of 2-30% up or down at
 * a point at least 10 from either end; a slow linear drift of 5-20% over
 * the whole series.
 *
 * What counts: a detection is a hit when it lies within 3 points of a true
 * step and moves the same way; the first such detection of a step is a
 * true positive, every other detection on a step or stationary series is a
 * false positive. Precision = TP / detections; recall = steps hit / steps,
 * overall and for steps of at least 3 noise sigmas (|step| >= 3 CV); the
 * false-alarm rate = stationary series with any detection / stationary
 * series. Drift series have no single true change point, so they count in
 * none of these: the share of them flagged at all is printed on its own.
 * The naive rule's consecutive flagged points count as one detection.
 *
 * --check exits 1 when our detector misses a goal: precision >= 0.95,
 * recall >= 0.9 for steps >= 3 sigmas, false alarms <= 1%.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze_internal.h"
#include "ipfs_accelerate/analyze.h"

#define MAX_POINTS 120
#define MAX_DETECTIONS 64
#define HIT_TOLERANCE 3
#define NAIVE_WINDOW 7
#define NAIVE_THRESHOLD 0.05

typedef enum series_kind { KIND_STATIONARY, KIND_STEP, KIND_DRIFT } series_kind;

typedef struct truth {
    series_kind kind;
    size_t n;
    double cv;
    size_t step_at; /* KIND_STEP: first point at the new level */
    double step;    /* KIND_STEP: relative size, signed; KIND_DRIFT: total drift */
} truth;

typedef struct detection {
    size_t index;
    int direction; /* +1 up, -1 down */
} detection;

typedef struct tally {
    const char *name;
    size_t tp, fp;
    size_t steps, steps_hit;
    size_t big_steps, big_hit; /* steps of at least 3 noise sigmas */
    size_t stationary, false_alarms;
    size_t drifts, drifts_flagged;
    double seconds;
} tally;

static uint64_t rng;

static double uniform(void)
{
    return ((double)(ia_analyze_rand_next(&rng) >> 11) + 0.5) / 9007199254740992.0;
}

static double gaussian(void)
{
    return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void generate(series_kind kind, double *v, truth *t)
{
    t->kind = kind;
    t->n = 30 + (size_t)(uniform() * 91); /* 30 .. 120 */
    t->cv = 0.01 + uniform() * 0.09;
    t->step = 0;
    t->step_at = 0;
    double sign = uniform() < 0.5 ? -1 : 1;
    if (kind == KIND_STEP) {
        t->step = sign * (0.02 + uniform() * 0.28);
        t->step_at = 10 + (size_t)(uniform() * (double)(t->n - 19)); /* 10 .. n-10 */
    } else if (kind == KIND_DRIFT) {
        t->step = sign * (0.05 + uniform() * 0.15);
    }
    double level = 10 + uniform() * 990;
    for (size_t i = 0; i < t->n; i++) {
        double at = level;
        if (kind == KIND_STEP && i >= t->step_at)
            at = level * (1 + t->step);
        else if (kind == KIND_DRIFT)
            at = level * (1 + t->step * (double)i / (double)(t->n - 1));
        double x = at * (1 + t->cv * gaussian());
        double u = uniform();
        if (u < 0.01)
            x = 3 * at;
        else if (u < 0.03)
            x = NAN;
        v[i] = x;
    }
}

static size_t detect_ours(const double *v, size_t n, detection *out)
{
    ia_series_point p[MAX_POINTS];
    for (size_t i = 0; i < n; i++)
        p[i] = (ia_series_point){v[i], NULL, 0};
    ia_change c[MAX_DETECTIONS];
    size_t count = 0;
    ia_error err;
    ia_change_options o = ia_change_options_default();
    if (ia_detect_changes(p, n, &o, c, MAX_DETECTIONS, &count, &err) != IA_OK) {
        fprintf(stderr, "bench_regress: %s\n", err.message);
        exit(2);
    }
    for (size_t i = 0; i < count; i++)
        out[i] = (detection){c[i].index, c[i].after > c[i].before ? 1 : -1};
    return count;
}

/* The rule we replace: flag a point more than 5% off the mean of the 7
 * measured points before it; a run of flagged points is one detection. */
static size_t detect_naive(const double *v, size_t n, detection *out)
{
    size_t count = 0;
    int previous = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue;
        double sum = 0;
        size_t have = 0;
        for (size_t j = i; j > 0 && have < NAIVE_WINDOW; j--) {
            if (!isnan(v[j - 1])) {
                sum += v[j - 1];
                have++;
            }
        }
        int flag = 0;
        if (have == NAIVE_WINDOW) {
            double off = v[i] / (sum / NAIVE_WINDOW) - 1;
            flag = off > NAIVE_THRESHOLD ? 1 : off < -NAIVE_THRESHOLD ? -1 : 0;
        }
        if (flag && flag != previous && count < MAX_DETECTIONS)
            out[count++] = (detection){i, flag};
        previous = flag;
    }
    return count;
}

static void score(tally *t, const truth *truth_of, const detection *d, size_t count)
{
    switch (truth_of->kind) {
    case KIND_DRIFT:
        t->drifts++;
        t->drifts_flagged += count > 0;
        return;
    case KIND_STATIONARY:
        t->stationary++;
        t->false_alarms += count > 0;
        t->fp += count;
        return;
    case KIND_STEP:
        break;
    }
    bool big = fabs(truth_of->step) >= 3 * truth_of->cv;
    int direction = truth_of->step > 0 ? 1 : -1;
    bool hit = false;
    for (size_t i = 0; i < count; i++) {
        size_t at = truth_of->step_at;
        size_t dist = d[i].index > at ? d[i].index - at : at - d[i].index;
        if (!hit && dist <= HIT_TOLERANCE && d[i].direction == direction) {
            hit = true;
            t->tp++;
        } else {
            t->fp++;
        }
    }
    t->steps++;
    t->steps_hit += hit;
    t->big_steps += big;
    t->big_hit += big && hit;
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : NAN;
}

static double precision_of(const tally *t)
{
    return ratio(t->tp, t->tp + t->fp);
}

int main(int argc, char **argv)
{
    bool quick = false, json = false, check = false;
    uint64_t seed = 8;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_regress [--quick] [--json] [--check] [--seed N]\n");
            return 2;
        }
    }
    /* Per kind; the stationary count sets how finely a 1% false-alarm rate
     * can be measured. */
    size_t per_kind[3] = {quick ? 400 : 2000, quick ? 400 : 2000, quick ? 100 : 500};
    tally ours = {.name = "e-divisive + Mann-Whitney"}, naive = {.name = "naive (5% off 7-point mean)"};
    rng = seed;
    double v[MAX_POINTS];
    detection d[MAX_DETECTIONS];
    for (int kind = 0; kind < 3; kind++) {
        for (size_t s = 0; s < per_kind[kind]; s++) {
            truth t;
            generate((series_kind)kind, v, &t);
            double t0 = now_s();
            size_t n = detect_ours(v, t.n, d);
            ours.seconds += now_s() - t0;
            score(&ours, &t, d, n);
            t0 = now_s();
            n = detect_naive(v, t.n, d);
            naive.seconds += now_s() - t0;
            score(&naive, &t, d, n);
        }
    }
    const tally *all[2] = {&ours, &naive};
    if (json) {
        printf("{\"seed\": %llu, \"series\": {\"stationary\": %zu, \"step\": %zu, \"drift\": %zu},"
               " \"hit_tolerance\": %d, \"detectors\": [",
               (unsigned long long)seed, per_kind[0], per_kind[1], per_kind[2], HIT_TOLERANCE);
        for (int i = 0; i < 2; i++) {
            const tally *t = all[i];
            printf("%s{\"name\": \"%s\", \"precision\": %.4f, \"recall\": %.4f,"
                   " \"recall_3sigma\": %.4f, \"false_alarm_rate\": %.4f,"
                   " \"drift_flagged\": %.4f, \"true_positives\": %zu, \"false_positives\": %zu,"
                   " \"seconds\": %.3f}",
                   i ? ", " : "", t->name, precision_of(t), ratio(t->steps_hit, t->steps),
                   ratio(t->big_hit, t->big_steps), ratio(t->false_alarms, t->stationary),
                   ratio(t->drifts_flagged, t->drifts), t->tp, t->fp, t->seconds);
        }
        printf("]}\n");
    } else {
        printf("bench_regress: %zu stationary, %zu step (2-30%%), %zu drift (5-20%%) series of"
               " 30-120 points, noise CV 1-10%%, 1%% outliers at 3x, 2%% missing; seed %llu\n",
               per_kind[0], per_kind[1], per_kind[2], (unsigned long long)seed);
        printf("hit: a detection within %d points of a true step, same direction; drift series"
               " count in neither precision nor recall (flagged share shown)\n\n",
               HIT_TOLERANCE);
        printf("%-28s %9s %7s %12s %12s %13s %8s\n", "detector", "precision", "recall",
               "recall>=3sd", "false alarms", "drift flagged", "time s");
        for (int i = 0; i < 2; i++) {
            const tally *t = all[i];
            printf("%-28s %9.3f %7.3f %12.3f %11.2f%% %12.1f%% %8.3f\n", t->name, precision_of(t),
                   ratio(t->steps_hit, t->steps), ratio(t->big_hit, t->big_steps),
                   100 * ratio(t->false_alarms, t->stationary),
                   100 * ratio(t->drifts_flagged, t->drifts), t->seconds);
        }
        printf("\ngoals (ours): precision >= 0.95, recall >= 0.90 for steps >= 3 sigmas,"
               " false alarms <= 1%%\n");
    }
    if (check) {
        bool ok = precision_of(&ours) >= 0.95 && ratio(ours.big_hit, ours.big_steps) >= 0.9 &&
                  ratio(ours.false_alarms, ours.stationary) <= 0.01;
        if (!ok) {
            fprintf(stderr, "bench_regress: a goal is missed\n");
            return 1;
        }
    }
    return 0;
}
