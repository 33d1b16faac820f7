/* Helpers shared by the statistics of src/analyze (not public): sorting,
 * order statistics, ranks and the normal distribution. Arrays passed in
 * are borrowed; functions that sort say so. */
#ifndef IA_ANALYZE_INTERNAL_H
#define IA_ANALYZE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* qsort comparator for doubles (NAN-free input). */
int ia_analyze_cmp_double(const void *a, const void *b);

/* Median of v, sorting v in place; NAN when n == 0. */
double ia_analyze_median_sorting(double *v, size_t n);

/* Median absolute deviation of v around center (v untouched; NAN when n == 0
 * or out of memory). Unscaled: multiply by 1.4826 for a normal sigma. */
double ia_analyze_mad(const double *v, size_t n, double center);

/* Mid-ranks (1-based; tied values share the mean of their ranks) of v into
 * ranks. *tie_term (optional) receives sum(t^3 - t) over the tie groups.
 * Returns 0, or -1 when out of memory. */
int ia_analyze_ranks(const double *v, size_t n, double *ranks, double *tie_term);

/* P(Z > z) for a standard normal Z, through erfc for accuracy in the tail. */
double ia_analyze_normal_sf(double z);

/* A small, fast and repeatable generator (splitmix64): the same seed gives
 * the same stream on every platform. */
uint64_t ia_analyze_rand_next(uint64_t *state);

#endif
