/* The thread pool: every item runs exactly once, jobs back to back leave no
 * straggler behind, nested loops run serially, and the thread count follows
 * IA_NUM_THREADS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/threadpool.h"

typedef struct counts {
    _Atomic int *hits;
    _Atomic int64_t calls;
    int max_thread;
    int size;
    bool bad_thread;
} counts;

static void count_items(void *p, int64_t begin, int64_t end, int thread)
{
    counts *c = p;
    atomic_fetch_add(&c->calls, 1);
    if (thread < 0 || thread >= c->size)
        c->bad_thread = true;
    for (int64_t i = begin; i < end; i++)
        atomic_fetch_add(&c->hits[i], 1);
}

static void check_each_once(ia_threadpool *pool, int64_t n, int64_t grain)
{
    counts c = {.hits = calloc((size_t)(n ? n : 1), sizeof(_Atomic int)), .size = ia_threadpool_size(pool)};
    ia_threadpool_parallel_for(pool, n, grain, count_items, &c);
    for (int64_t i = 0; i < n; i++)
        assert_int_equal(atomic_load(&c.hits[i]), 1);
    assert_false(c.bad_thread);
    free(c.hits);
}

static void test_every_item_once(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 4; threads++) {
        ia_error err;
        ia_threadpool *pool = ia_threadpool_create(threads, &err);
        assert_non_null(pool);
        assert_int_equal(ia_threadpool_size(pool), threads);
        const int64_t sizes[] = {0, 1, 2, 7, 33, 129, 1000, 100003};
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
            check_each_once(pool, sizes[k], 1);
            check_each_once(pool, sizes[k], 64);
        }
        ia_threadpool_free(pool);
    }
}

/* Many tiny jobs in a row: a worker still finishing job k must never claim
 * items of job k+1 with job k's function. */
static void test_back_to_back_jobs(void **state)
{
    (void)state;
    ia_error err;
    ia_threadpool *pool = ia_threadpool_create(4, &err);
    _Atomic int hits[16];
    counts c = {.hits = hits, .size = 4};
    for (int round = 0; round < 20000; round++) {
        for (int i = 0; i < 16; i++)
            atomic_store(&hits[i], 0);
        ia_threadpool_parallel_for(pool, 16, 1, count_items, &c);
        for (int i = 0; i < 16; i++)
            if (atomic_load(&hits[i]) != 1)
                fail_msg("round %d item %d ran %d times", round, i, atomic_load(&hits[i]));
    }
    ia_threadpool_free(pool);
}

typedef struct nested {
    ia_threadpool *pool;
    _Atomic int64_t total;
} nested;

static void inner(void *p, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    nested *n = p;
    atomic_fetch_add(&n->total, end - begin);
}

static void outer(void *p, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    nested *n = p;
    for (int64_t i = begin; i < end; i++)
        ia_threadpool_parallel_for(n->pool, 10, 1, inner, n);
}

static void test_nested_runs_serially(void **state)
{
    (void)state;
    ia_error err;
    nested n = {.pool = ia_threadpool_create(3, &err)};
    ia_threadpool_parallel_for(n.pool, 50, 1, outer, &n);
    assert_int_equal(atomic_load(&n.total), 500);
    ia_threadpool_free(n.pool);
}

static void test_default_threads_from_env(void **state)
{
    (void)state;
    setenv("IA_NUM_THREADS", "3", 1);
    assert_int_equal(ia_threadpool_default_threads(), 3);
    setenv("IA_NUM_THREADS", "zero", 1);
    int fallback = ia_threadpool_default_threads();
    assert_true(fallback >= 1);
    unsetenv("IA_NUM_THREADS");
    assert_int_equal(ia_threadpool_default_threads(), fallback);
    ia_error err;
    assert_int_equal(ia_threadpool_set_global_threads(2, &err), IA_OK);
    assert_int_equal(ia_threadpool_size(ia_threadpool_global()), 2);
    check_each_once(ia_threadpool_global(), 1000, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_once),
        cmocka_unit_test(test_back_to_back_jobs),
        cmocka_unit_test(test_nested_runs_serially),
        cmocka_unit_test(test_default_threads_from_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
