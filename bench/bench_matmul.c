/* bench_matmul: IA_OP_MATMUL through the CPU backend against OpenBLAS's
 * cblas_sgemm on the same shapes, in the same run, beside this CPU's fp32
 * peak measured with an FMA loop.
 *
 * Shapes (M x K x N, weights as Linear [N, K], so BLAS gets CblasTrans on B):
 * BERT-base prefill at seq 128 and GPT-2 decode steps, the decode also with
 * F16 weights (OpenBLAS has no F16 GEMM: its F32 time is the peer there).
 * Method: warm-up, then repeat until at least --min-time seconds and 20
 * iterations have passed; the median iteration is reported. The machine may
 * be shared: compare ratios, which both sides of a run share.
 *
 *   bench_matmul [--threads N] [--json] [--min-time SECONDS] [--cold] [--kn]
 *
 * --cold cycles through copies of each weight adding up to 128 MiB, so that
 * weights come from DRAM, as in a model larger than the caches. --kn stores
 * the weights [K, N] (GPT-2's Conv1D layout; CblasNoTrans for BLAS).
 *
 * OpenBLAS picks its kernel from OPENBLAS_CORETYPE when set; the kernel it
 * ran is printed (docs/performance.md). */
#include <cblas.h>
#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipfs_accelerate/engine.h"

/* Not in every cblas.h; OpenBLAS exports them. */
char *openblas_get_corename(void);
char *openblas_get_config(void);
void openblas_set_num_threads(int n);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef void (*bench_fn)(void *ctx);

/* Median seconds per call of fn after a warm-up. */
static double time_median(bench_fn fn, void *ctx, double min_time)
{
    double t0 = now();
    int warm = 0;
    while (warm < 3 || now() - t0 < 0.05) {
        fn(ctx);
        warm++;
    }
    size_t cap = 1024, n = 0;
    double *times = malloc(cap * sizeof *times);
    double start = now();
    while (n < 20 || now() - start < min_time) {
        double a = now();
        fn(ctx);
        double b = now();
        if (n == cap) {
            cap *= 2;
            times = realloc(times, cap * sizeof *times);
        }
        times[n++] = b - a;
    }
    qsort(times, n, sizeof *times, cmp_double);
    double med = n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
    free(times);
    return med;
}

/* ------------------------------------------------------------- fp32 peak */

#define PEAK_ITERS 20000000L

/* Twelve independent FMA chains, named so that they stay in registers: more
 * than latency x ports (4 x 2 on Zen 5), so the loop runs at the FMA units'
 * throughput. The empty asm keeps the compiler from folding the chains. */
#define FMA12(V, FMA)                                                                        \
    do {                                                                                   \
        c0 = FMA(c0, x, y), c1 = FMA(c1, x, y), c2 = FMA(c2, x, y), c3 = FMA(c3, x, y);    \
        c4 = FMA(c4, x, y), c5 = FMA(c5, x, y), c6 = FMA(c6, x, y), c7 = FMA(c7, x, y);    \
        c8 = FMA(c8, x, y), c9 = FMA(c9, x, y), c10 = FMA(c10, x, y), c11 = FMA(c11, x, y); \
        __asm__ volatile("" : "+" V(c0), "+" V(c1), "+" V(c2), "+" V(c3), "+" V(c4),         \
                         "+" V(c5), "+" V(c6), "+" V(c7), "+" V(c8), "+" V(c9), "+" V(c10), \
                         "+" V(c11));                                                      \
    } while (0)

__attribute__((target("avx512f"))) static double fma_loop_avx512(long iters)
{
    __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    __m512 c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x,
           c10 = x, c11 = x;
    for (long it = 0; it < iters; it++)
        FMA12("v", _mm512_fmadd_ps);
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                             _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
    volatile float sink = _mm512_reduce_add_ps(s);
    (void)sink;
    return (double)iters * 12 * 16 * 2;
}

__attribute__((target("avx2,fma"))) static double fma_loop_avx2(long iters)
{
    __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    __m256 c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x,
           c10 = x, c11 = x;
    for (long it = 0; it < iters; it++)
        FMA12("x", _mm256_fmadd_ps);
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                             _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    volatile float sink = out[0];
    (void)sink;
    return (double)iters * 12 * 8 * 2;
}

static bool has_avx512;

typedef struct peak_arg {
    pthread_barrier_t *start;
    double flops, t0, t1;
} peak_arg;

/* Each thread times itself: the caller, one more thread than there are
 * cores, may run late after the barrier. */
static void *peak_thread(void *p)
{
    peak_arg *arg = p;
    pthread_barrier_wait(arg->start);
    arg->t0 = now();
    arg->flops = has_avx512 ? fma_loop_avx512(PEAK_ITERS) : fma_loop_avx2(PEAK_ITERS);
    arg->t1 = now();
    return NULL;
}

/* GFLOP/s of n threads at once: plain threads released together by a
 * barrier, so none starts late. */
static double peak_once(int n)
{
    if (n > 256)
        n = 256;
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n + 1);
    pthread_t tid[256];
    peak_arg args[256];
    for (int i = 0; i < n; i++) {
        args[i].start = &start;
        pthread_create(&tid[i], NULL, peak_thread, &args[i]);
    }
    pthread_barrier_wait(&start);
    double total = 0, t0 = 1e300, t1 = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(tid[i], NULL);
        total += args[i].flops;
        t0 = args[i].t0 < t0 ? args[i].t0 : t0;
        t1 = args[i].t1 > t1 ? args[i].t1 : t1;
    }
    double gflops = total / (t1 - t0) * 1e-9;
    pthread_barrier_destroy(&start);
    return gflops;
}

/* The best of three tries on one core and on n: the clock ramps up and the
 * machine may be shared. Run before OpenBLAS's threads exist or after they
 * have gone to sleep (they spin for a while after each call, which would
 * take a core from the FMA loop). */
static void measure_peak(int n, double *one, double *all)
{
    *one = *all = 0;
    for (int i = 0; i < 3; i++) {
        double g1 = peak_once(1), gn = peak_once(n);
        *one = g1 > *one ? g1 : *one;
        *all = gn > *all ? gn : *all;
    }
}

/* ---------------------------------------------------------------- cases */

typedef struct shape {
    const char *name;
    int64_t M, K, N;
    ia_dtype wtype;
} shape;

static const shape shapes[] = {
    {"bert qkv/out", 128, 768, 768, IA_DTYPE_F32},
    {"bert ffn up", 128, 768, 3072, IA_DTYPE_F32},
    {"bert ffn down", 128, 3072, 768, IA_DTYPE_F32},
    {"gpt2 qkv", 1, 768, 2304, IA_DTYPE_F32},
    {"gpt2 mlp up", 1, 768, 3072, IA_DTYPE_F32},
    {"gpt2 mlp down", 1, 3072, 768, IA_DTYPE_F32},
    {"gpt2 qkv", 1, 768, 2304, IA_DTYPE_F16},
    {"gpt2 mlp up", 1, 768, 3072, IA_DTYPE_F16},
    {"gpt2 mlp down", 1, 3072, 768, IA_DTYPE_F16},
    {"gpt2 qkv", 1, 768, 2304, IA_DTYPE_BF16},
};

/* With --cold, each call takes the next of `copies` copies of the weight,
 * together larger than L3, so that the weight comes from DRAM as in a model
 * whose weights do not fit in cache. */
typedef struct op_ctx {
    ia_backend *be;
    ia_op op;
    ia_tensor *w;
    int copies, next;
} op_ctx;

static void run_op(void *ctx)
{
    op_ctx *c = ctx;
    c->op.src[1] = &c->w[c->next++ % c->copies];
    ia_error err;
    if (ia_backend_compute(c->be, &c->op, &err) != IA_OK) {
        fprintf(stderr, "bench_matmul: %s\n", err.message);
        exit(1);
    }
}

typedef struct blas_ctx {
    int64_t M, K, N;
    bool kn;
    const float *a;
    ia_tensor *w;
    int copies, next;
    float *c;
} blas_ctx;

static void run_blas(void *ctx)
{
    blas_ctx *b = ctx;
    const float *w = b->w[b->next++ % b->copies].data;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, b->kn ? CblasNoTrans : CblasTrans, (blasint)b->M,
                (blasint)b->N, (blasint)b->K, 1.0f, b->a, (blasint)b->K, w,
                (blasint)(b->kn ? b->N : b->K), 0.0f, b->c, (blasint)b->N);
}

/* Bytes the weight copies of --cold add up to: four times this machine
 * kind's 32 MiB L3. */
#define COLD_BYTES (128ll << 20)

static void fill(float *p, int64_t n, unsigned seed)
{
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (float)(seed >> 8) / 16777216.0f - 0.5f;
    }
}

static ia_backend *make_backend(ia_threadpool *pool, ia_cpu_gemm gemm)
{
    ia_error err;
    ia_cpu_options o = {.pool = pool, .gemm = gemm};
    ia_backend *be = ia_backend_cpu_create(&o, &err);
    if (!be) {
        fprintf(stderr, "bench_matmul: %s\n", err.message);
        exit(1);
    }
    return be;
}

int main(int argc, char **argv)
{
    int threads = 0;
    bool json = false, cold = false, kn = false;
    double min_time = 0.5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--cold"))
            cold = true;
        else if (!strcmp(argv[i], "--kn"))
            kn = true;
        else if (!strcmp(argv[i], "--min-time") && i + 1 < argc)
            min_time = atof(argv[++i]);
        else {
            fprintf(stderr,
                    "usage: bench_matmul [--threads N] [--json] [--min-time SECONDS] [--cold] "
                    "[--kn]\n");
            return 2;
        }
    }
    ia_error err;
    if (threads > 0 && ia_threadpool_set_global_threads(threads, &err) != IA_OK) {
        fprintf(stderr, "bench_matmul: %s\n", err.message);
        return 1;
    }
    ia_threadpool *pool = ia_threadpool_global();
    threads = ia_threadpool_size(pool);
    __builtin_cpu_init();
    has_avx512 = __builtin_cpu_supports("avx512f");
    double peak1, peak;
    measure_peak(threads, &peak1, &peak);
    openblas_set_num_threads(threads);

    ia_backend *own = make_backend(pool, IA_CPU_GEMM_OWN);
    ia_backend *autob = make_backend(pool, IA_CPU_GEMM_AUTO);
    const char *coretype = getenv("OPENBLAS_CORETYPE");

    if (json)
        printf("{\"threads\": %d, \"isa\": \"%s\", \"peak_gflops_1core\": %.1f, "
               "\"peak_gflops\": %.1f, \"openblas_core\": \"%s\", \"openblas_config\": \"%s\", "
               "\"openblas_coretype_env\": \"%s\", \"min_time_s\": %.2f, \"cold\": %s, "
               "\"weight_layout\": \"%s\", \"results\": [",
               threads, ia_cpu_isa_name(ia_backend_cpu_isa(own)), peak1, peak,
               openblas_get_corename(), openblas_get_config(), coretype ? coretype : "", min_time,
               cold ? "true" : "false", kn ? "KN" : "NK");
    else {
        printf("threads %d, our ISA %s; fp32 FMA peak %.0f GFLOP/s on one core, %.0f on %d "
               "threads\n", threads, ia_cpu_isa_name(ia_backend_cpu_isa(own)), peak1, peak,
               threads);
        printf("OpenBLAS: kernel %s (OPENBLAS_CORETYPE=%s); %s\n", openblas_get_corename(),
               coretype ? coretype : "unset", openblas_get_config());
        printf("median of >= 20 runs and >= %.2f s each; GFLOP/s = 2MNK / time; ratio = "
               "OpenBLAS time / ours; weights %s, stored %s\n\n", min_time,
               cold ? "cold (copies over 128 MiB, from DRAM)" : "warm (one copy, in cache when it fits)",
               kn ? "[K, N] (Conv1D, not transposed)" : "[N, K] (Linear, b_transposed)");
        printf("%-14s %-16s %-5s | %9s %7s %5s | %9s %7s %5s | %9s %7s | %6s %6s\n", "shape",
               "M x K x N", "W", "auto us", "GF/s", "peak", "own us", "GF/s", "peak", "blas us",
               "GF/s", "auto/b", "own/b");
    }
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const shape *sh = &shapes[s];
        int64_t sa[2] = {sh->M, sh->K}, sc[2] = {sh->M, sh->N};
        int64_t sw[2] = {kn ? sh->K : sh->N, kn ? sh->N : sh->K};
        int copies = 1;
        if (cold)
            copies = (int)((COLD_BYTES + sh->N * sh->K * 2 - 1) / (sh->N * sh->K * 2));
        ia_tensor a, c, *w32 = calloc((size_t)copies, sizeof *w32), *w = calloc((size_t)copies, sizeof *w);
        if (ia_tensor_alloc(&a, IA_DTYPE_F32, 2, sa, &err) != IA_OK ||
            ia_tensor_alloc(&c, IA_DTYPE_F32, 2, sc, &err) != IA_OK) {
            fprintf(stderr, "bench_matmul: %s\n", err.message);
            return 1;
        }
        for (int i = 0; i < copies; i++) {
            if (ia_tensor_alloc(&w32[i], IA_DTYPE_F32, 2, sw, &err) != IA_OK ||
                ia_tensor_alloc(&w[i], sh->wtype, 2, sw, &err) != IA_OK) {
                fprintf(stderr, "bench_matmul: %s\n", err.message);
                return 1;
            }
            if (i == 0)
                fill(w32[0].data, sh->N * sh->K, 2);
            else
                memcpy(w32[i].data, w32[0].data, ia_tensor_nbytes(&w32[0]));
            ia_tensor_copy(&w32[i], &w[i], &err);
        }
        fill(a.data, sh->M * sh->K, 1);
        op_ctx oc = {.op = {.type = IA_OP_MATMUL, .src = {&a, &w[0]}, .dst = &c}, .w = w,
                     .copies = copies};
        oc.op.p.matmul.b_transposed = !kn;
        oc.be = autob;
        double t_auto = time_median(run_op, &oc, min_time);
        oc.be = own;
        double t_own = time_median(run_op, &oc, min_time);
        blas_ctx bc = {.M = sh->M, .K = sh->K, .N = sh->N, .kn = kn, .a = a.data, .w = w32,
                       .copies = copies, .c = c.data};
        double t_blas = time_median(run_blas, &bc, min_time);
        double flops = 2.0 * sh->M * sh->K * sh->N;
        double g_auto = flops / t_auto * 1e-9, g_own = flops / t_own * 1e-9,
               g_blas = flops / t_blas * 1e-9;
        char dims[40];
        snprintf(dims, sizeof dims, "%lldx%lldx%lld", (long long)sh->M, (long long)sh->K,
                 (long long)sh->N);
        if (json)
            printf("%s\n  {\"shape\": \"%s\", \"M\": %lld, \"K\": %lld, \"N\": %lld, "
                   "\"weight\": \"%s\", \"auto_us\": %.2f, \"own_us\": %.2f, \"blas_f32_us\": %.2f, "
                   "\"auto_gflops\": %.1f, \"own_gflops\": %.1f, \"blas_gflops\": %.1f, "
                   "\"auto_over_blas\": %.3f, \"own_over_blas\": %.3f}",
                   s ? "," : "", sh->name, (long long)sh->M, (long long)sh->K, (long long)sh->N,
                   ia_dtype_name(sh->wtype), t_auto * 1e6, t_own * 1e6, t_blas * 1e6, g_auto, g_own,
                   g_blas, t_blas / t_auto, t_blas / t_own);
        else
            printf("%-14s %-16s %-5s | %9.1f %7.1f %4.0f%% | %9.1f %7.1f %4.0f%% | %9.1f %7.1f | "
                   "%5.2fx %5.2fx\n",
                   sh->name, dims, ia_dtype_name(sh->wtype), t_auto * 1e6, g_auto,
                   100 * g_auto / peak, t_own * 1e6, g_own, 100 * g_own / peak, t_blas * 1e6,
                   g_blas, t_blas / t_auto, t_blas / t_own);
        fflush(stdout);
        ia_tensor_free(&a);
        ia_tensor_free(&c);
        for (int i = 0; i < copies; i++) {
            ia_tensor_free(&w32[i]);
            ia_tensor_free(&w[i]);
        }
        free(w32);
        free(w);
    }
    if (json)
        printf("\n]}\n");
    else
        printf("\nW: weight dtype (OpenBLAS always runs F32). Goals: own/blas >= 0.95 on the "
               "prefill shapes, >= 2 on the decode shapes.\n");
    ia_backend_free(own);
    ia_backend_free(autob);
    return 0;
}
