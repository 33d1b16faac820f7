/* The measurement loop: warm-up, then timed iterations until the minimum
 * time and count are both met. */
#include <stdlib.h>
#include <time.h>

#include "ipfs_accelerate/bench.h"

double ia_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

ia_bench_method ia_bench_method_default(bool quick)
{
    if (quick)
        return (ia_bench_method){.warmup = 1, .min_time_s = 0.2, .min_iters = 3,
                                 .max_iters = 100000};
    return (ia_bench_method){.warmup = 3, .min_time_s = 1.0, .min_iters = 10,
                             .max_iters = 100000};
}

ia_status ia_bench_measure(const ia_bench_method *m, ia_bench_fn fn, void *ctx, double **samples,
                           size_t *n, ia_error *err)
{
    *samples = NULL;
    *n = 0;
    if (m->min_iters < 1 || m->warmup < 0 || m->min_time_s < 0 || m->timeout_s < 0 ||
        (m->max_iters > 0 && m->max_iters < m->min_iters))
        return ia_error_set(err, IA_ERR_INVALID,
                            "bench method: warm-up %d, min iterations %d, max %d, min time %g s, "
                            "timeout %g s do not make a method",
                            m->warmup, m->min_iters, m->max_iters, m->min_time_s, m->timeout_s);
    double start = ia_bench_now();
    for (int i = 0; i < m->warmup; i++) {
        ia_status st = fn(ctx, err);
        if (st != IA_OK)
            return st;
        if (m->timeout_s > 0 && ia_bench_now() - start > m->timeout_s)
            return ia_error_set(err, IA_ERR_UNSUPPORTED, "timed out after %g s (in warm-up)",
                                m->timeout_s);
    }
    size_t cap = 64, count = 0;
    double *v = malloc(cap * sizeof *v);
    if (!v)
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory for samples");
    double measured_from = ia_bench_now();
    ia_status st = IA_OK;
    for (;;) {
        double now = ia_bench_now();
        bool enough = count >= (size_t)m->min_iters && now - measured_from >= m->min_time_s;
        if (enough || (m->max_iters > 0 && count >= (size_t)m->max_iters))
            break;
        if (m->timeout_s > 0 && now - start > m->timeout_s) {
            st = ia_error_set(err, IA_ERR_UNSUPPORTED, "timed out after %g s (%zu samples)",
                              m->timeout_s, count);
            break;
        }
        if (count == cap) {
            double *w = realloc(v, 2 * cap * sizeof *w);
            if (!w) {
                st = ia_error_set(err, IA_ERR_NOMEM, "out of memory for samples");
                break;
            }
            v = w;
            cap *= 2;
        }
        double t0 = ia_bench_now();
        st = fn(ctx, err);
        double t1 = ia_bench_now();
        if (st != IA_OK)
            break;
        v[count++] = (t1 - t0) * 1e3;
    }
    *samples = v;
    *n = count;
    return st;
}
