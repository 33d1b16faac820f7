/* Change points of one series: E-divisive as Apache Otava (formerly
 * Hunter) does it, then a confirmation of each candidate.
 *
 * 1. Candidates. Binary segmentation with the energy statistic of Matteson
 *    and James (E-divisive with exponent 1): for every split tau of a
 *    segment, Q(tau) = m n / (m + n) * (2/(m n) sum|x_i - y_j|
 *    - 1/C(m,2) sum|x_i - x_k| - 1/C(n,2) sum|y_j - y_k|), left part x of m
 *    points and right part y of n, both at least min_segment long. The
 *    statistic is computed on the mid-ranks of the segment's values rather
 *    than the values themselves: the test is then free of the noise's
 *    distribution, and a wild outlier (3x the level) weighs as one extreme
 *    rank instead of swamping every distance. The best split is kept when a
 *    permutation test finds it significant: the segment is shuffled
 *    `permutations` times (a generator seeded from options->seed and the
 *    segment's bounds, so the same input always gives the same answer),
 *    and p = (1 + shuffles whose best Q reaches the observed one) /
 *    (1 + permutations) must be below alpha. Both parts are then searched
 *    again.
 *
 *    Cost: one scan of a segment of L points is O(L log L): the distance
 *    sums are updated incrementally as tau moves right, with a Fenwick
 *    tree over the ranks for the sum of distances from the new point to
 *    the left part. The permutation test stops as soon as it can no longer
 *    reach alpha, and on long segments it runs at most as many shuffles as
 *    4 million point-scans allow (400 for 10,000 points; never fewer than
 *    2 / alpha). A 10,000-point series takes well under a second.
 *
 * 2. Confirmation. Each candidate is tested against its neighbours: a
 *    Mann-Whitney U test between the segment before it and the segment
 *    after it (bounded by the neighbouring candidates), on the raw samples
 *    when every point of both segments has them (they carry the
 *    within-run noise the point values hide) and on the point values
 *    otherwise, must give p < alpha; and the effect |after / before - 1|,
 *    on the medians of the point values, must be at least min_effect. The
 *    shift must also be at least 1.5 robust noise sigmas of the point
 *    values (1.4826 MAD about the segment medians): a smaller shift may be
 *    real, but its place cannot be told to within a few runs. The
 *    candidate that fails worst (highest p) is dropped and the others are
 *    tested again, since dropping one merges two segments, until every
 *    remaining one passes.
 *
 * NAN points are skipped (indices still refer to the input). A segment
 * whose median is 0 has no relative effect: its change_pct is NAN and the
 * change is reported when the test alone finds it significant (a value
 * leaving 0 is a change however small). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_internal.h"
#include "ipfs_accelerate/analyze.h"

ia_change_options ia_change_options_default(void)
{
    return (ia_change_options){
        .min_effect = 0.05,
        .alpha = 0.01,
        .min_segment = 4,
        .permutations = 199,
        .seed = 0x1a2b3c4d5e6f7081ULL,
    };
}

/* Scratch for the scans of one series, allocated once. */
typedef struct scan_work {
    size_t capacity;
    double *ranks;      /* mid-ranks of the segment being scanned */
    double *shuffled;   /* a permutation of them */
    size_t *order;      /* position of each value in sorted order */
    size_t *shuf_order; /* the same, permuted alongside shuffled */
    double *sorted;     /* the ranks in sorted order */
    double *prefix;     /* prefix sums of sorted */
    double *tree_sum;   /* Fenwick tree: sum of left values by sorted position */
    double *tree_cnt;   /* Fenwick tree: count of left values */
} scan_work;

static void work_free(scan_work *w)
{
    free(w->ranks);
    free(w->shuffled);
    free(w->order);
    free(w->shuf_order);
    free(w->sorted);
    free(w->prefix);
    free(w->tree_sum);
    free(w->tree_cnt);
}

static int work_alloc(scan_work *w, size_t n)
{
    memset(w, 0, sizeof *w);
    w->capacity = n;
    w->ranks = malloc(n * sizeof *w->ranks);
    w->shuffled = malloc(n * sizeof *w->shuffled);
    w->order = malloc(n * sizeof *w->order);
    w->shuf_order = malloc(n * sizeof *w->shuf_order);
    w->sorted = malloc(n * sizeof *w->sorted);
    w->prefix = malloc((n + 1) * sizeof *w->prefix);
    w->tree_sum = malloc((n + 1) * sizeof *w->tree_sum);
    w->tree_cnt = malloc((n + 1) * sizeof *w->tree_cnt);
    if (!w->ranks || !w->shuffled || !w->order || !w->shuf_order || !w->sorted || !w->prefix ||
        !w->tree_sum || !w->tree_cnt) {
        work_free(w);
        return -1;
    }
    return 0;
}

static void tree_add(double *tree, size_t n, size_t pos, double v)
{
    for (size_t i = pos + 1; i <= n; i += i & (~i + 1))
        tree[i] += v;
}

/* Sum of the first `count` positions. */
static double tree_prefix(const double *tree, size_t count)
{
    double s = 0;
    for (size_t i = count; i > 0; i -= i & (~i + 1))
        s += tree[i];
    return s;
}

/* The best split of v[0, n) (values whose sorted positions are pos[]) with
 * at least min_seg on each side: returns its Q and sets *best_tau (the size
 * of the left part). w->sorted and w->prefix describe the values in sorted
 * order. */
static double scan_best(const scan_work *w, const double *v, const size_t *pos, size_t n,
                        size_t min_seg, size_t *best_tau)
{
    const double *s = w->sorted, *prefix = w->prefix;
    double total = 0; /* sum over all pairs of |v_i - v_j| */
    for (size_t p = 0; p < n; p++)
        total += s[p] * (double)p - prefix[p];
    memset(w->tree_sum, 0, (n + 1) * sizeof *w->tree_sum);
    memset(w->tree_cnt, 0, (n + 1) * sizeof *w->tree_cnt);

    double within_left = 0, within_right = total, best = -INFINITY;
    *best_tau = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        double x = v[k];
        size_t p = pos[k];
        /* Distances from x to the left part (sorted positions below p hold
         * values <= x, above p values >= x) and to the whole segment. */
        double cnt_below = tree_prefix(w->tree_cnt, p), sum_below = tree_prefix(w->tree_sum, p);
        double cnt_left = (double)k, sum_left = tree_prefix(w->tree_sum, n);
        double to_left = x * cnt_below - sum_below + (sum_left - sum_below) -
                         x * (cnt_left - cnt_below);
        double to_all = x * (double)p - prefix[p] + (prefix[n] - prefix[p + 1]) -
                        x * (double)(n - p - 1);
        within_left += to_left;
        within_right -= to_all - to_left;
        tree_add(w->tree_cnt, n, p, 1);
        tree_add(w->tree_sum, n, p, x);

        size_t m = k + 1, r = n - m;
        if (m < min_seg || r < min_seg)
            continue;
        double between = total - within_left - within_right;
        double dm = (double)m, dr = (double)r;
        double e = 2 * between / (dm * dr);
        if (m > 1)
            e -= 2 * within_left / (dm * (dm - 1));
        if (r > 1)
            e -= 2 * within_right / (dr * (dr - 1));
        double q = dm * dr / (dm + dr) * e;
        if (q > best) {
            best = q;
            *best_tau = m;
        }
    }
    return best;
}

#define MAX_PERMUTATION_WORK 4e6

/* Tests segment x[lo, hi) for one change point: returns 1 and sets *tau
 * (absolute) when the best split is significant, 0 when not, -1 when out
 * of memory. */
static int segment_split(scan_work *w, const double *x, size_t lo, size_t hi,
                         const ia_change_options *o, size_t min_seg, size_t *tau)
{
    size_t n = hi - lo;
    if (n < 2 * min_seg)
        return 0;
    if (ia_analyze_ranks(x + lo, n, w->ranks, NULL) != 0)
        return -1;
    memcpy(w->sorted, w->ranks, n * sizeof *w->sorted);
    qsort(w->sorted, n, sizeof *w->sorted, ia_analyze_cmp_double);
    w->prefix[0] = 0;
    for (size_t i = 0; i < n; i++)
        w->prefix[i + 1] = w->prefix[i] + w->sorted[i];
    /* Sorted positions, distinct even for tied ranks: the tie's first free
     * slot, handed out in input order. */
    {
        size_t *next = w->shuf_order; /* borrowed as scratch: next free slot by rank */
        for (size_t i = 0; i < n; i++)
            next[i] = (size_t)-1;
        for (size_t i = 0; i < n; i++) {
            /* Ranks are mid-ranks: the tie group of rank r starts at the
             * first sorted index whose value is r; find it by bisection. */
            double r = w->ranks[i];
            size_t a = 0, b = n;
            while (a < b) {
                size_t mid = a + (b - a) / 2;
                if (w->sorted[mid] < r)
                    a = mid + 1;
                else
                    b = mid;
            }
            if (next[a] == (size_t)-1)
                next[a] = a;
            w->order[i] = next[a]++;
        }
    }
    size_t best_tau = 0;
    double observed = scan_best(w, w->ranks, w->order, n, min_seg, &best_tau);
    if (best_tau == 0)
        return 0;

    uint64_t state = o->seed ^ (0x9E3779B97F4A7C15ULL * (uint64_t)(lo + 1)) ^
                     ((uint64_t)hi << 32);
    memcpy(w->shuffled, w->ranks, n * sizeof *w->shuffled);
    memcpy(w->shuf_order, w->order, n * sizeof *w->shuf_order);
    /* Bound the work on long segments (MAX_PERMUTATION_WORK point-scans),
     * never below the shuffles needed to reach alpha at all. */
    unsigned shuffles = o->permutations;
    double affordable = MAX_PERMUTATION_WORK / (double)n, needed = ceil(2 / o->alpha);
    if ((double)shuffles > affordable)
        shuffles = (unsigned)(affordable > needed ? affordable : needed);
    if (shuffles > o->permutations)
        shuffles = o->permutations;
    unsigned reached = 0;
    double perms = (double)shuffles;
    for (unsigned k = 0; k < shuffles; k++) {
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = (size_t)(ia_analyze_rand_next(&state) % (uint64_t)(i + 1));
            double tv = w->shuffled[i];
            w->shuffled[i] = w->shuffled[j];
            w->shuffled[j] = tv;
            size_t tp = w->shuf_order[i];
            w->shuf_order[i] = w->shuf_order[j];
            w->shuf_order[j] = tp;
        }
        size_t ignored;
        /* A relative tolerance keeps rounding from deciding ties. */
        if (scan_best(w, w->shuffled, w->shuf_order, n, min_seg, &ignored) >=
            observed * (1 - 1e-12))
            reached++;
        if ((1.0 + reached) / (1.0 + perms) >= o->alpha)
            return 0; /* it can no longer be significant */
    }
    *tau = lo + best_tau;
    return 1;
}

/* The test between x-segments [a, b) and [b, c) of the valid points. */
typedef struct confirmation {
    double p, before, after, effect; /* effect: after / before - 1, NAN when before == 0 */
    bool passes;
} confirmation;

#define MIN_SHIFT_SIGMAS 1.5

static int confirm(const ia_series_point *points, const size_t *idx, const double *x, size_t a,
                   size_t b, size_t c, const ia_change_options *o, confirmation *out)
{
    bool samples = true;
    size_t na = 0, nb = 0;
    for (size_t i = a; i < c; i++) {
        const ia_series_point *pt = &points[idx[i]];
        if (!pt->samples || pt->sample_count == 0) {
            samples = false;
            break;
        }
        if (i < b)
            na += pt->sample_count;
        else
            nb += pt->sample_count;
    }
    if (!samples) {
        na = b - a;
        nb = c - b;
    }
    double *sa = malloc((na ? na : 1) * sizeof *sa);
    double *sb = malloc((nb ? nb : 1) * sizeof *sb);
    if (!sa || !sb) {
        free(sa);
        free(sb);
        return -1;
    }
    if (samples) {
        size_t ka = 0, kb = 0;
        for (size_t i = a; i < c; i++) {
            const ia_series_point *pt = &points[idx[i]];
            double *dst = i < b ? sa + ka : sb + kb;
            memcpy(dst, pt->samples, pt->sample_count * sizeof *dst);
            if (i < b)
                ka += pt->sample_count;
            else
                kb += pt->sample_count;
        }
    } else {
        memcpy(sa, x + a, na * sizeof *sa);
        memcpy(sb, x + b, nb * sizeof *sb);
    }
    out->p = ia_mann_whitney_p(sa, na, sb, nb);
    /* The effect is on the metric itself: the medians of the point values. */
    memcpy(sa, x + a, (b - a) * sizeof *sa);
    out->before = ia_analyze_median_sorting(sa, b - a);
    free(sa);
    free(sb);
    out->after = ia_median(x + b, c - b);
    if (isnan(out->p) || isnan(out->after))
        return -1;
    /* The noise: robust sigma of the point values about their segment's
     * median. A shift under MIN_SHIFT_SIGMAS of it is not reported: it may
     * be real, but where it happened cannot be told to within a few runs
     * (the error of a change's location grows as 1 / shift^2 in noise
     * units), and a finding names its first run. */
    double *dev = malloc((c - a) * sizeof *dev);
    if (!dev)
        return -1;
    for (size_t i = a; i < c; i++)
        dev[i - a] = fabs(x[i] - (i < b ? out->before : out->after));
    double sigma = 1.4826 * ia_analyze_median_sorting(dev, c - a);
    free(dev);
    bool significant =
        out->p < o->alpha && fabs(out->after - out->before) >= MIN_SHIFT_SIGMAS * sigma;
    if (out->before == 0) {
        out->effect = NAN;
        out->passes = significant && out->after != 0;
    } else {
        out->effect = out->after / out->before - 1;
        out->passes = significant && fabs(out->effect) >= o->min_effect;
    }
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

ia_status ia_detect_changes(const ia_series_point *points, size_t n,
                            const ia_change_options *options, ia_change *out, size_t cap,
                            size_t *count, ia_error *err)
{
    if (count)
        *count = 0;
    if (!count || (n > 0 && !points) || (cap > 0 && !out))
        return ia_error_set(err, IA_ERR_INVALID,
                            "change detection: points, out and count must not be NULL");
    ia_change_options o = options ? *options : ia_change_options_default();
    if (!(o.alpha > 0 && o.alpha < 1))
        return ia_error_set(err, IA_ERR_INVALID,
                            "change detection: alpha must be between 0 and 1 (got %g)", o.alpha);
    if (!(o.min_effect >= 0))
        return ia_error_set(err, IA_ERR_INVALID,
                            "change detection: min_effect must be 0 or more (got %g)",
                            o.min_effect);
    if (o.permutations == 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "change detection: permutations must be at least 1");
    size_t min_seg = o.min_segment ? o.min_segment : 1;

    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!idx || !x) {
        free(idx);
        free(x);
        return ia_error_set(err, IA_ERR_NOMEM, "change detection: out of memory (%zu points)", n);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(points[i].value)) {
            idx[m] = i;
            x[m++] = points[i].value;
        }
    }
    ia_status rc = IA_OK;
    size_t *cuts = NULL, ncuts = 0;
    size_t *stack = NULL;
    scan_work w;
    memset(&w, 0, sizeof w);
    if (min_seg > m / 2)
        goto done; /* too short to hold a change with min_segment on each side */

    /* At most one cut per min_segment points; segments waiting: one more. */
    size_t max_cuts = m / min_seg + 1;
    cuts = malloc(max_cuts * sizeof *cuts);
    stack = malloc(2 * (max_cuts + 1) * sizeof *stack);
    if (!cuts || !stack || work_alloc(&w, m) != 0) {
        rc = ia_error_set(err, IA_ERR_NOMEM, "change detection: out of memory (%zu points)", m);
        goto done;
    }
    size_t top = 0;
    stack[top++] = 0;
    stack[top++] = m;
    while (top > 0) {
        size_t hi = stack[--top], lo = stack[--top];
        size_t tau;
        int found = segment_split(&w, x, lo, hi, &o, min_seg, &tau);
        if (found < 0) {
            rc = ia_error_set(err, IA_ERR_NOMEM, "change detection: out of memory");
            goto done;
        }
        if (found == 0)
            continue;
        cuts[ncuts++] = tau;
        stack[top++] = lo;
        stack[top++] = tau;
        stack[top++] = tau;
        stack[top++] = hi;
    }
    qsort(cuts, ncuts, sizeof *cuts, cmp_size);

    /* Confirm, dropping the worst failure until all pass. */
    confirmation *conf = malloc((ncuts ? ncuts : 1) * sizeof *conf);
    if (!conf) {
        rc = ia_error_set(err, IA_ERR_NOMEM, "change detection: out of memory");
        goto done;
    }
    for (;;) {
        size_t worst = ncuts;
        for (size_t j = 0; j < ncuts; j++) {
            size_t a = j ? cuts[j - 1] : 0, c = j + 1 < ncuts ? cuts[j + 1] : m;
            if (confirm(points, idx, x, a, cuts[j], c, &o, &conf[j]) != 0) {
                free(conf);
                rc = ia_error_set(err, IA_ERR_NOMEM, "change detection: out of memory");
                goto done;
            }
            if (!conf[j].passes && (worst == ncuts || conf[j].p > conf[worst].p))
                worst = j;
        }
        if (worst == ncuts)
            break;
        memmove(cuts + worst, cuts + worst + 1, (ncuts - worst - 1) * sizeof *cuts);
        ncuts--;
    }
    for (size_t j = 0; j < ncuts && *count < cap; j++) {
        out[*count] = (ia_change){
            .index = idx[cuts[j]],
            .before = conf[j].before,
            .after = conf[j].after,
            .change_pct = 100 * conf[j].effect,
            .p_value = conf[j].p,
        };
        (*count)++;
    }
    free(conf);

done:
    work_free(&w);
    free(stack);
    free(cuts);
    free(idx);
    free(x);
    return rc;
}
