/* bench_attention: the CPU backend's IA_OP_ATTENTION beside its peers,
 * measured in the same run.
 *
 * Shapes: B = 1, H = 12, D = 64 (BERT-base / GPT-2 heads): prefill at 128 and
 * 512 tokens, causal and not, and one decode step (Sq = 1 over 512 keys).
 * Peers: the engine's plain reference (seq 128 only: it is slow), and
 * PyTorch's scaled_dot_product_attention (the project's chosen peer) in a
 * python3 child with the same thread count, when `import torch` works. No
 * number is ever printed for a peer that did not run.
 *
 * Method: one warm-up run, then runs until at least 0.5 s and 10 runs have
 * passed; the figure is the median run. GFLOP/s counts 4 Sq Sk D H (the two
 * products), halved for causal prefill (half the scores are hidden).
 *
 *   bench_attention [--threads N] [--isa portable|avx2|avx512] [--json]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipfs_accelerate/engine.h"

typedef struct bench_case {
    const char *name;
    int64_t sq, sk;
    bool causal;
    bool with_reference;
    double ours_s, ref_s, torch_s; /* median seconds; < 0 when not run */
} bench_case;

enum { BENCH_B = 1, BENCH_H = 12, BENCH_D = 64 };

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median seconds of one op on be: a warm-up, then >= 0.5 s and >= 10 runs. */
static double bench_median(ia_backend *be, const ia_op *op)
{
    ia_error err;
    if (ia_backend_compute(be, op, &err) != IA_OK) {
        fprintf(stderr, "bench_attention: %s: %s\n", be->name, err.message);
        return -1;
    }
    enum { MAX_RUNS = 100000 };
    static double runs[MAX_RUNS];
    int n = 0;
    const double start = bench_now();
    while (n < MAX_RUNS && (n < 10 || bench_now() - start < 0.5)) {
        const double t0 = bench_now();
        ia_backend_compute(be, op, &err);
        runs[n++] = bench_now() - t0;
    }
    qsort(runs, (size_t)n, sizeof *runs, bench_cmp);
    return runs[n / 2];
}

static double bench_gflops(const bench_case *c, double seconds)
{
    double flops = 4.0 * (double)c->sq * (double)c->sk * BENCH_D * BENCH_H * BENCH_B;
    if (c->causal && c->sq > 1)
        flops /= 2;
    return seconds > 0 ? flops / seconds * 1e-9 : 0;
}

static void bench_fill(ia_tensor *t, uint64_t seed)
{
    float *p = t->data;
    for (int64_t i = 0; i < ia_tensor_numel(t); i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (float)((seed >> 40) / (double)(1ull << 24)) * 2.0f - 1.0f;
    }
}

static int bench_run_case(bench_case *c, ia_backend *cpu, ia_backend *ref)
{
    ia_error err;
    ia_tensor q, k, v, o;
    if (ia_tensor_alloc(&q, IA_DTYPE_F32, 4, (int64_t[]){BENCH_B, BENCH_H, c->sq, BENCH_D}, &err) ||
        ia_tensor_alloc(&k, IA_DTYPE_F32, 4, (int64_t[]){BENCH_B, BENCH_H, c->sk, BENCH_D}, &err) ||
        ia_tensor_alloc(&v, IA_DTYPE_F32, 4, (int64_t[]){BENCH_B, BENCH_H, c->sk, BENCH_D}, &err) ||
        ia_tensor_alloc(&o, IA_DTYPE_F32, 4, (int64_t[]){BENCH_B, BENCH_H, c->sq, BENCH_D}, &err)) {
        fprintf(stderr, "bench_attention: %s\n", err.message);
        return 1;
    }
    bench_fill(&q, 1);
    bench_fill(&k, 2);
    bench_fill(&v, 3);
    ia_op op = {.type = IA_OP_ATTENTION, .src = {&q, &k, &v}, .dst = &o};
    op.p.attention.causal = c->causal;
    c->ours_s = bench_median(cpu, &op);
    c->ref_s = c->with_reference ? bench_median(ref, &op) : -1;
    ia_tensor_free(&q);
    ia_tensor_free(&k);
    ia_tensor_free(&v);
    ia_tensor_free(&o);
    return c->ours_s < 0;
}

/* PyTorch in a child python3: the same shapes, threads and method. Fills
 * torch_s for the cases it measured; returns false when torch is absent. */
static bool bench_torch(bench_case *cases, int n, int threads)
{
    /* IA_PYTHON names the interpreter that has torch (Debian's python3-torch
     * lives in /usr/bin/python3, which a pyenv shim may hide). */
    const char *python = getenv("IA_PYTHON");
    if (!python || !*python || strchr(python, '\''))
        python = "python3";
    char probe[512];
    snprintf(probe, sizeof probe, "'%s' -c 'import torch' >/dev/null 2>&1", python);
    if (system(probe) != 0)
        return false;
    char cmd[6144];
    int len = snprintf(cmd, sizeof cmd,
        "'%s' - <<'EOF'\n"
        "import math, sys, time, torch\n"
        "import torch.nn.functional as F\n"
        "torch.set_num_threads(%d)\n"
        "def eager(q, k, v, is_causal):\n"
        "    # PyTorch before 2.0 has no fused SDPA: the eager attention of\n"
        "    # Hugging Face's models is the peer there.\n"
        "    s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])\n"
        "    if is_causal:\n"
        "        s = s.masked_fill(torch.ones(s.shape[-2:], dtype=torch.bool).triu(1), float('-inf'))\n"
        "    return torch.softmax(s, -1) @ v\n"
        "attn = getattr(F, 'scaled_dot_product_attention', eager)\n"
        "print('PyTorch', torch.__version__, 'fused SDPA' if attn is not eager else 'eager attention (no SDPA before 2.0)', file=sys.stderr)\n"
        "torch.manual_seed(0)\n"
        "def median(fn):\n"
        "    fn()\n"
        "    runs = []\n"
        "    start = time.perf_counter()\n"
        "    while len(runs) < 10 or time.perf_counter() - start < 0.5:\n"
        "        t0 = time.perf_counter(); fn(); runs.append(time.perf_counter() - t0)\n"
        "    runs.sort()\n"
        "    return runs[len(runs) // 2]\n"
        "for i, (sq, sk, causal) in enumerate([",
        python, threads);
    for (int i = 0; i < n; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, "(%lld, %lld, %s),",
                        (long long)cases[i].sq, (long long)cases[i].sk,
                        cases[i].causal && cases[i].sq > 1 ? "True" : "False");
    snprintf(cmd + len, sizeof cmd - (size_t)len,
        "]):\n"
        "    q = torch.rand(%d, %d, sq, %d) * 2 - 1\n"
        "    k = torch.rand(%d, %d, sk, %d) * 2 - 1\n"
        "    v = torch.rand(%d, %d, sk, %d) * 2 - 1\n"
        "    with torch.inference_mode():\n"
        "        t = median(lambda: attn(q, k, v, is_causal=causal))\n"
        "    print(i, t, flush=True)\n"
        "EOF\n",
        BENCH_B, BENCH_H, BENCH_D, BENCH_B, BENCH_H, BENCH_D, BENCH_B, BENCH_H, BENCH_D);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    int idx;
    double t;
    while (fscanf(p, "%d %lf", &idx, &t) == 2)
        if (idx >= 0 && idx < n)
            cases[idx].torch_s = t;
    pclose(p);
    return true;
}

static void bench_ms(char *buf, size_t size, double s)
{
    if (s < 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.3f", s * 1e3);
}

int main(int argc, char **argv)
{
    int threads = 0;
    bool json = false;
    ia_cpu_isa want_isa = IA_CPU_ISA_AUTO;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc) {
            const char *name = argv[++i];
            want_isa = strcmp(name, "portable") == 0 ? IA_CPU_ISA_PORTABLE
                       : strcmp(name, "avx2") == 0   ? IA_CPU_ISA_AVX2
                       : strcmp(name, "avx512") == 0 ? IA_CPU_ISA_AVX512
                                                     : IA_CPU_ISA_AUTO;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else {
            fprintf(stderr, "usage: %s [--threads N] [--isa portable|avx2|avx512] [--json]\n", argv[0]);
            return 2;
        }
    }
    if (threads <= 0)
        threads = ia_threadpool_default_threads();
    ia_error err;
    ia_threadpool *pool = ia_threadpool_create(threads, &err);
    ia_cpu_options opts = {.pool = pool, .isa = want_isa};
    ia_backend *cpu = pool ? ia_backend_cpu_create(&opts, &err) : NULL;
    ia_backend *ref = cpu ? ia_backend_reference_create(&err) : NULL;
    if (!ref) {
        fprintf(stderr, "bench_attention: %s\n", err.message);
        return 1;
    }

    bench_case cases[] = {
        {"prefill 128", 128, 128, false, true, 0, 0, -1},
        {"prefill 128 causal", 128, 128, true, true, 0, 0, -1},
        {"prefill 512", 512, 512, false, false, 0, 0, -1},
        {"prefill 512 causal", 512, 512, true, false, 0, 0, -1},
        {"decode 1x512", 1, 512, true, false, 0, 0, -1},
        {"decode 1x4096", 1, 4096, true, false, 0, 0, -1},
    };
    const int n = (int)(sizeof cases / sizeof *cases);
    int failed = 0;
    for (int i = 0; i < n; i++)
        failed |= bench_run_case(&cases[i], cpu, ref);
    const bool have_torch = bench_torch(cases, n, threads);
    const char *isa = ia_cpu_isa_name(ia_backend_cpu_isa(cpu));

    if (json) {
        printf("{\"bench\": \"attention\", \"threads\": %d, \"isa\": \"%s\", \"batch\": %d, "
               "\"heads\": %d, \"head_dim\": %d, \"torch\": %s, \"cases\": [",
               threads, isa, BENCH_B, BENCH_H, BENCH_D, have_torch ? "true" : "false");
        for (int i = 0; i < n; i++) {
            const bench_case *c = &cases[i];
            printf("%s\n  {\"name\": \"%s\", \"sq\": %lld, \"sk\": %lld, \"causal\": %s, "
                   "\"ours_ms\": %.6f, \"ours_gflops\": %.3f",
                   i ? "," : "", c->name, (long long)c->sq, (long long)c->sk,
                   c->causal ? "true" : "false", c->ours_s * 1e3, bench_gflops(c, c->ours_s));
            if (c->ref_s >= 0)
                printf(", \"reference_ms\": %.6f", c->ref_s * 1e3);
            if (c->torch_s >= 0)
                printf(", \"torch_ms\": %.6f, \"torch_gflops\": %.3f", c->torch_s * 1e3,
                       bench_gflops(c, c->torch_s));
            printf("}");
        }
        printf("\n]}\n");
        if (!have_torch)
            fprintf(stderr, "PyTorch: not installed (apt-get install python3-torch)\n");
    } else {
        printf("attention, B=%d H=%d D=%d, %d thread%s, cpu backend at %s; median of >= 10 runs "
               "and >= 0.5 s\n\n",
               BENCH_B, BENCH_H, BENCH_D, threads, threads == 1 ? "" : "s", isa);
        printf("%-20s %10s %8s %13s %11s %8s %9s\n", "case", "ours ms", "GFLOP/s", "reference ms",
               "PyTorch ms", "GFLOP/s", "PT / ours");
        for (int i = 0; i < n; i++) {
            const bench_case *c = &cases[i];
            char o[32], r[32], t[32], tg[32], ratio[32];
            bench_ms(o, sizeof o, c->ours_s);
            bench_ms(r, sizeof r, c->ref_s);
            bench_ms(t, sizeof t, c->torch_s);
            snprintf(tg, sizeof tg, "-");
            snprintf(ratio, sizeof ratio, "-");
            if (c->torch_s >= 0 && c->ours_s > 0) {
                snprintf(tg, sizeof tg, "%.1f", bench_gflops(c, c->torch_s));
                snprintf(ratio, sizeof ratio, "%.2f", c->torch_s / c->ours_s);
            }
            printf("%-20s %10s %8.1f %13s %11s %8s %9s\n", c->name, o, bench_gflops(c, c->ours_s),
                   r, t, tg, ratio);
        }
        if (have_torch)
            printf("\nPT / ours: PyTorch's median time over ours (above 1: ours is faster)\n");
        else
            printf("\nPyTorch: not installed (apt-get install python3-torch)\n");
    }
    ia_backend_free(ref);
    ia_backend_free(cpu);
    ia_threadpool_free(pool);
    return failed;
}
