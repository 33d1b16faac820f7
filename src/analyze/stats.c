/* The statistics the detectors share: medians, the median absolute
 * deviation, mid-ranks, the normal tail, a repeatable generator, and the
 * two-sided Mann-Whitney U test.
 *
 * Mann-Whitney U: with no ties and both samples of at most 10 values the
 * p-value comes from the exact null distribution of U (the count of
 * orderings, built by the recurrence f(u; m, n) = f(u - n; m - 1, n) +
 * f(u; m, n - 1)); otherwise from the normal approximation with the tie
 * correction of the variance and a continuity correction of 0.5, which is
 * what scipy.stats.mannwhitneyu(..., alternative="two-sided") does with
 * method "exact" and "asymptotic" respectively. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_internal.h"
#include "ipfs_accelerate/analyze.h"

#define EXACT_MAX 10

int ia_analyze_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ia_analyze_median_sorting(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, ia_analyze_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double ia_median(const double *v, size_t n)
{
    if (n == 0 || !v)
        return NAN;
    double *copy = malloc(n * sizeof *copy);
    if (!copy)
        return NAN;
    memcpy(copy, v, n * sizeof *copy);
    double m = ia_analyze_median_sorting(copy, n);
    free(copy);
    return m;
}

double ia_analyze_mad(const double *v, size_t n, double center)
{
    if (n == 0)
        return NAN;
    double *dev = malloc(n * sizeof *dev);
    if (!dev)
        return NAN;
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(v[i] - center);
    double m = ia_analyze_median_sorting(dev, n);
    free(dev);
    return m;
}

typedef struct indexed_value {
    double value;
    size_t index;
} indexed_value;

static int cmp_indexed(const void *a, const void *b)
{
    const indexed_value *x = a, *y = b;
    if (x->value != y->value)
        return (x->value > y->value) - (x->value < y->value);
    /* Equal values keep input order so the ranks are repeatable. */
    return (x->index > y->index) - (x->index < y->index);
}

int ia_analyze_ranks(const double *v, size_t n, double *ranks, double *tie_term)
{
    if (tie_term)
        *tie_term = 0;
    if (n == 0)
        return 0;
    indexed_value *s = malloc(n * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        s[i] = (indexed_value){v[i], i};
    qsort(s, n, sizeof *s, cmp_indexed);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && s[j].value == s[i].value)
            j++;
        double mid = 0.5 * ((double)(i + 1) + (double)j); /* mean of ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            ranks[s[k].index] = mid;
        double t = (double)(j - i);
        if (tie_term && j - i > 1)
            *tie_term += t * t * t - t;
        i = j;
    }
    free(s);
    return 0;
}

double ia_analyze_normal_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

uint64_t ia_analyze_rand_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* P(U <= u) under the null for samples of m and n distinct values: the
 * number of arrangements with that U over C(m + n, m). NAN when out of
 * memory. */
static double exact_cdf(size_t m, size_t n, size_t u)
{
    /* f(a, b, k): arrangements of a values of one sample and b of the other
     * with U = k (U <= a b <= m n). On the heap: up to 97 KB, too much for
     * the small stacks of worker threads. */
    size_t ks = m * n + 1;
    double *f = calloc((m + 1) * (n + 1) * ks, sizeof *f);
    if (!f)
        return NAN;
#define F(a, b, k) f[((a) * (n + 1) + (b)) * ks + (k)]
    for (size_t a = 0; a <= m; a++) {
        for (size_t b = 0; b <= n; b++) {
            if (a == 0 || b == 0) {
                F(a, b, 0) = 1;
                continue;
            }
            for (size_t k = 0; k <= a * b; k++) {
                /* The largest value belongs to the first sample (it then
                 * beats all b of the other) or to the second. */
                double from_a = k >= b ? F(a - 1, b, k - b) : 0;
                F(a, b, k) = from_a + F(a, b - 1, k);
            }
        }
    }
    double below = 0, total = 0;
    for (size_t k = 0; k < ks; k++) {
        total += F(m, n, k);
        if (k <= u)
            below += F(m, n, k);
    }
#undef F
    free(f);
    return below / total;
}

double ia_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
    if (na == 0 || nb == 0 || !a || !b)
        return 1.0;
    size_t n = na + nb;
    double *all = malloc(n * sizeof *all);
    double *ranks = malloc(n * sizeof *ranks);
    if (!all || !ranks) {
        free(all);
        free(ranks);
        return NAN;
    }
    memcpy(all, a, na * sizeof *a);
    memcpy(all + na, b, nb * sizeof *b);
    double tie_term = 0;
    int rc = ia_analyze_ranks(all, n, ranks, &tie_term);
    double rank_sum = 0;
    for (size_t i = 0; i < na && rc == 0; i++)
        rank_sum += ranks[i];
    free(all);
    free(ranks);
    if (rc != 0)
        return NAN;

    double m1 = (double)na, m2 = (double)nb, total = (double)n;
    double u1 = rank_sum - m1 * (m1 + 1) / 2;
    double u2 = m1 * m2 - u1;
    double p;
    if (tie_term == 0 && na <= EXACT_MAX && nb <= EXACT_MAX) {
        /* U is symmetric about its mean: twice the lower tail of the smaller. */
        double u_min = u1 < u2 ? u1 : u2;
        p = 2 * exact_cdf(na, nb, (size_t)llround(u_min));
    } else {
        double mean = m1 * m2 / 2;
        double var = m1 * m2 / 12 * ((total + 1) - tie_term / (total * (total - 1)));
        if (!(var > 0))
            return 1.0; /* every value equal: nothing tells the samples apart */
        double z = (fabs(u1 - mean) - 0.5) / sqrt(var);
        p = z > 0 ? 2 * ia_analyze_normal_sf(z) : 1.0;
    }
    return p > 1 ? 1 : p;
}
