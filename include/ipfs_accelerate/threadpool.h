/*
 * threadpool: persistent worker threads for the CPU kernels.
 *
 * One pool per process is the rule: ia_threadpool_global() creates it on first
 * use with ia_threadpool_default_threads() workers. A parallel_for splits
 * [0, n) into chunks of at least `grain` items that the workers (and the
 * calling thread, which takes part) claim with an atomic counter, and returns
 * when every chunk is done. Workers wait on a futex-style condition between
 * jobs and spin briefly first, so back-to-back small jobs (a decode step) pay
 * little for the hand-off.
 *
 * A pool runs one job at a time; a parallel_for issued from inside a job runs
 * serially on the calling thread rather than deadlocking.
 */
#ifndef IPFS_ACCELERATE_THREADPOOL_H
#define IPFS_ACCELERATE_THREADPOOL_H

#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ia_threadpool ia_threadpool;

/* thread is in [0, ia_threadpool_size(pool)): a stable index for per-thread
 * scratch. The function handles items [begin, end). */
typedef void (*ia_parallel_fn)(void *ctx, int64_t begin, int64_t end, int thread);

/* n_threads counts the calling thread; <= 0 means the default. */
ia_threadpool *ia_threadpool_create(int n_threads, ia_error *err);
void ia_threadpool_free(ia_threadpool *pool);
int ia_threadpool_size(const ia_threadpool *pool);

void ia_threadpool_parallel_for(ia_threadpool *pool, int64_t n, int64_t grain, ia_parallel_fn fn,
                                void *ctx);

/* IA_NUM_THREADS when set to a positive integer, else the CPUs this process
 * may use: the affinity mask and the cgroup quota (hw's effective_cpus). */
int ia_threadpool_default_threads(void);

/* The process-wide pool. ia_threadpool_set_global_threads replaces it (not
 * while a job runs on it). */
ia_threadpool *ia_threadpool_global(void);
ia_status ia_threadpool_set_global_threads(int n_threads, ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
