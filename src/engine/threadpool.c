/* A persistent pool for data-parallel loops.
 *
 * A job lives on the caller's stack and is published under the mutex with a
 * new generation number; workers spin on the generation for a short while (a
 * decode step issues many small jobs back to back, and a sleeping worker
 * takes tens of microseconds to wake) and then sleep on a condition
 * variable. Chunks are claimed with the job's own atomic counter, so uneven
 * chunks balance themselves; the caller works too. A worker takes a reference
 * to the job under the mutex; the caller withdraws the job once every item is
 * done and returns only when no worker still holds it, so a late worker can
 * never claim items of a job that is gone. */
#include "ipfs_accelerate/threadpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/hw.h"

#define SPIN_ITERATIONS 20000

typedef struct job {
    ia_parallel_fn fn;
    void *ctx;
    int64_t n, chunk;
    _Atomic int64_t next;      /* next item to claim */
    _Atomic int64_t remaining; /* items not yet finished */
    _Atomic int holders;       /* workers holding a reference */
} job;

struct ia_threadpool {
    int size; /* workers + the caller */
    pthread_t *threads;
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    job *current; /* NULL between jobs */
    _Atomic uint64_t generation;
    _Atomic int busy;          /* a job is running: nested calls run serially */
    bool stopping;
};

typedef struct worker_arg {
    ia_threadpool *pool;
    int index;
} worker_arg;

/* Claims and runs chunks until the range is exhausted. */
static void run_chunks(ia_threadpool *pool, job *j, int thread)
{
    for (;;) {
        int64_t begin = atomic_fetch_add(&j->next, j->chunk);
        if (begin >= j->n)
            return;
        int64_t end = begin + j->chunk < j->n ? begin + j->chunk : j->n;
        j->fn(j->ctx, begin, end, thread);
        if (atomic_fetch_sub(&j->remaining, end - begin) == end - begin) {
            pthread_mutex_lock(&pool->lock);
            pthread_cond_broadcast(&pool->done);
            pthread_mutex_unlock(&pool->lock);
        }
    }
}

static void *worker_main(void *p)
{
    worker_arg *arg = p;
    ia_threadpool *pool = arg->pool;
    int index = arg->index;
    free(arg);
    uint64_t seen = 0;
    for (;;) {
        uint64_t gen = atomic_load(&pool->generation);
        for (int spin = 0; gen == seen && spin < SPIN_ITERATIONS; spin++) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
            gen = atomic_load(&pool->generation);
        }
        pthread_mutex_lock(&pool->lock);
        while (atomic_load(&pool->generation) == seen && !pool->stopping)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->stopping) {
            pthread_mutex_unlock(&pool->lock);
            return NULL;
        }
        seen = atomic_load(&pool->generation);
        job *j = pool->current;
        if (j)
            atomic_fetch_add(&j->holders, 1);
        pthread_mutex_unlock(&pool->lock);
        if (!j)
            continue;
        run_chunks(pool, j, index);
        if (atomic_fetch_sub(&j->holders, 1) == 1) {
            pthread_mutex_lock(&pool->lock);
            pthread_cond_broadcast(&pool->done);
            pthread_mutex_unlock(&pool->lock);
        }
    }
}

ia_threadpool *ia_threadpool_create(int n_threads, ia_error *err)
{
    if (n_threads <= 0)
        n_threads = ia_threadpool_default_threads();
    if (n_threads > 1024)
        n_threads = 1024;
    ia_threadpool *pool = calloc(1, sizeof *pool);
    if (!pool) {
        ia_error_set(err, IA_ERR_NOMEM, "threadpool: out of memory");
        return NULL;
    }
    pool->size = n_threads;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->done, NULL);
    pool->threads = calloc((size_t)n_threads, sizeof *pool->threads);
    if (!pool->threads) {
        ia_threadpool_free(pool);
        ia_error_set(err, IA_ERR_NOMEM, "threadpool: out of memory");
        return NULL;
    }
    for (int i = 1; i < n_threads; i++) {
        worker_arg *arg = malloc(sizeof *arg);
        if (arg) {
            arg->pool = pool;
            arg->index = i;
        }
        if (!arg || pthread_create(&pool->threads[i], NULL, worker_main, arg) != 0) {
            free(arg);
            pool->size = i; /* the workers started so far are joined by free */
            ia_threadpool_free(pool);
            ia_error_set(err, IA_ERR_INTERNAL, "threadpool: cannot start thread %d of %d", i,
                         n_threads);
            return NULL;
        }
    }
    return pool;
}

void ia_threadpool_free(ia_threadpool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 1; i < pool->size && pool->threads; i++)
        pthread_join(pool->threads[i], NULL);
    free(pool->threads);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->done);
    free(pool);
}

int ia_threadpool_size(const ia_threadpool *pool) { return pool->size; }

void ia_threadpool_parallel_for(ia_threadpool *pool, int64_t n, int64_t grain, ia_parallel_fn fn,
                                void *ctx)
{
    if (n <= 0)
        return;
    if (grain < 1)
        grain = 1;
    /* Serial when there is one thread, too little work to share, or when
     * called from inside a job (thread index 0 is then reused: callers of a
     * nested loop must not rely on it for exclusive scratch). */
    int expected = 0;
    if (pool->size == 1 || n <= grain || !atomic_compare_exchange_strong(&pool->busy, &expected, 1)) {
        fn(ctx, 0, n, 0);
        return;
    }
    /* About four chunks per thread balance uneven work without much
     * contention on the counter. */
    int64_t chunk = (n + (int64_t)pool->size * 4 - 1) / ((int64_t)pool->size * 4);
    if (chunk < grain)
        chunk = grain;
    job j = {.fn = fn, .ctx = ctx, .n = n, .chunk = chunk};
    atomic_init(&j.next, 0);
    atomic_init(&j.remaining, n);
    atomic_init(&j.holders, 0);
    pthread_mutex_lock(&pool->lock);
    pool->current = &j;
    atomic_fetch_add(&pool->generation, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    run_chunks(pool, &j, 0);
    for (int spin = 0; atomic_load(&j.remaining) > 0 && spin < SPIN_ITERATIONS; spin++) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    pthread_mutex_lock(&pool->lock);
    while (atomic_load(&j.remaining) > 0)
        pthread_cond_wait(&pool->done, &pool->lock);
    pool->current = NULL;
    while (atomic_load(&j.holders) > 0)
        pthread_cond_wait(&pool->done, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
    atomic_store(&pool->busy, 0);
}

int ia_threadpool_default_threads(void)
{
    const char *env = getenv("IA_NUM_THREADS");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (*end == '\0' && n > 0 && n <= 1024)
            return (int)n;
        ia_log_warn("IA_NUM_THREADS=%s is not a thread count from 1 to 1024; ignored", env);
    }
    ia_error err;
    ia_hw_source *src = ia_hw_source_live(&err);
    ia_hw_report *r = NULL;
    ia_hw_options opts = {.skip_platforms = true};
    int n = 1;
    if (src && ia_hw_detect(src, &opts, &r, &err) == IA_OK && r->cpu.effective_cpus > 0)
        n = r->cpu.effective_cpus;
    else
        ia_log_warn("threadpool: cannot tell how many CPUs are usable (%s); using 1 thread",
                    err.message);
    ia_hw_report_free(r);
    ia_hw_source_free(src);
    return n;
}

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static ia_threadpool *global_pool;

ia_threadpool *ia_threadpool_global(void)
{
    pthread_mutex_lock(&global_lock);
    if (!global_pool) {
        ia_error err;
        global_pool = ia_threadpool_create(0, &err);
        if (!global_pool)
            ia_log_error("%s", err.message);
    }
    ia_threadpool *pool = global_pool;
    pthread_mutex_unlock(&global_lock);
    return pool;
}

ia_status ia_threadpool_set_global_threads(int n_threads, ia_error *err)
{
    ia_threadpool *pool = ia_threadpool_create(n_threads, err);
    if (!pool)
        return err ? err->status : IA_ERR_INTERNAL;
    pthread_mutex_lock(&global_lock);
    ia_threadpool *old = global_pool;
    global_pool = pool;
    pthread_mutex_unlock(&global_lock);
    ia_threadpool_free(old);
    return IA_OK;
}
