/* ipfs-accelerate bench: models x hardware x batch sizes x sequence lengths
 * x precisions, each case measured by the method of ipfs_accelerate/bench.h
 * (docs/bench.md). A case that cannot run becomes a row with its reason and
 * the run goes on. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ipfs_accelerate/bench.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/engine.h"
#include "ipfs_accelerate/hw.h"
#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate bench --models M1,M2 [--hardware cpu[,cuda]]\n"
    "                             [--batch-sizes 1,8] [--seq-lens 128] [--precision fp32]\n"
    "                             [--new-tokens N] [--mode inference] [--min-time S]\n"
    "                             [--min-iters N] [--warmup N] [--timeout S] [--quick]\n"
    "                             [--db F] [--json]\n"
    "\n"
    "Measures every combination of the models, hardware, batch sizes, sequence\n"
    "lengths and precisions given. Each case: warm-up iterations, then timed ones\n"
    "until both --min-time and --min-iters are reached (docs/bench.md); the\n"
    "latency percentiles, throughput, the case's peak memory growth and, where the\n"
    "kernel lets us read it, energy. Text-generation models generate --new-tokens\n"
    "tokens after a prompt of the sequence length and report the time to the first\n"
    "token and the decode rate. A case that cannot run (a model type we do not run,\n"
    "absent hardware, a precision not supported, a timeout, no memory) is reported\n"
    "with its reason and the run goes on. Models are folders, Hugging Face ids in\n"
    "the local cache, or presets (models --presets; synthetic weights without a\n"
    "local copy, said so in the results).\n"
    "\n"
    "Options:\n"
    "      --models LIST       comma-separated models (required)\n"
    "      --hardware LIST     cpu (default), cuda\n"
    "      --batch-sizes LIST  batch sizes (1)\n"
    "      --seq-lens LIST     sequence lengths, or prompt lengths (128)\n"
    "      --precision LIST    fp32 (default); fp16, bf16 are reported unsupported\n"
    "      --new-tokens N      tokens to generate per case for text generation (64)\n"
    "      --mode MODE         inference (the only mode today)\n"
    "      --min-time S        seconds of samples at least (1; quick 0.2)\n"
    "      --min-iters N       samples at least (10; quick 3)\n"
    "      --warmup N          warm-up iterations (3; quick 1)\n"
    "      --timeout S         give up a case after S seconds (300)\n"
    "      --quick             the quick method, and 8 new tokens\n"
    "      --db F              the results store (default $IA_DB, else\n"
    "                          ./benchmarks.duckdb): every case is committed there as\n"
    "                          it finishes, with its samples (docs/store.md)\n"
    "      --json              one JSON object per case on stdout, instead of the table\n"
    IA_CLI_COMMON_HELP
    "\n"
    "A progress line goes to stderr on a terminal. Exit codes: 0 when the run\n"
    "completed (cases that could not run included), 1 on a failure of the run\n"
    "itself, 2 usage error.\n";

/* OpenBLAS names the kernel it chose (the library is linked by ours). */
char *openblas_get_corename(void);

/* A comma-separated list, split in place. */
typedef struct list {
    char *v[64];
    int n;
} list;

static bool split(char *s, list *l)
{
    l->n = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        if (l->n == 64)
            return false;
        l->v[l->n++] = tok;
    }
    return l->n > 0;
}

static bool positive_ints(const list *l, long *out)
{
    for (int i = 0; i < l->n; i++) {
        char *end;
        out[i] = strtol(l->v[i], &end, 10);
        if (!*l->v[i] || *end || out[i] < 1 || out[i] > 1000000)
            return false;
    }
    return true;
}

typedef struct bench_case {
    const char *model, *hardware, *precision;
    long batch, seq;
    const char *status; /* "ok", "unsupported", "timeout", "out_of_memory", "failed" */
    char reason[IA_ERROR_MESSAGE_MAX];
    ia_bench_stats lat;
    int iterations, warmup;
    double throughput, memory_mb, energy_j, ttft_ms, tokens_per_s;
    bool generation, synthetic;
    double *samples; /* ms, per iteration */
    size_t nsamples;
} bench_case;

/* What one iteration runs. */
typedef struct iter_ctx {
    ia_model *m;
    ia_tensor_map in, out;
    const ia_tensor *ids;
    ia_generate_opts gen;
    bool generation;
    double t_start, t_first, t_last;
    int tokens;
    double *ttft, *rate; /* per iteration, for the medians */
    size_t nmeas, cap;
} iter_ctx;

static bool on_token(void *ctx, int64_t token)
{
    (void)token;
    iter_ctx *c = ctx;
    double now = ia_bench_now();
    if (c->tokens++ == 0)
        c->t_first = now;
    c->t_last = now;
    return true;
}

static ia_status one_iteration(void *vctx, ia_error *err)
{
    iter_ctx *c = vctx;
    ia_tensor_map_free(&c->out);
    if (!c->generation)
        return ia_model_forward(c->m, &c->in, &c->out, err);
    c->tokens = 0;
    c->t_start = ia_bench_now();
    ia_status st = ia_model_generate(c->m, c->ids, &c->gen, &c->out, err);
    if (st == IA_OK && c->nmeas < c->cap && c->tokens > 0) {
        c->ttft[c->nmeas] = (c->t_first - c->t_start) * 1e3;
        c->rate[c->nmeas] = c->tokens > 1 && c->t_last > c->t_first
                                ? (double)(c->tokens - 1) / (c->t_last - c->t_first)
                                : NAN;
        c->nmeas++;
    }
    return st;
}

static double median_of(double *v, size_t n)
{
    ia_bench_stats s;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[k++] = v[i];
    return k && ia_bench_stats_compute(v, k, &s, NULL) == IA_OK ? s.p50 : NAN;
}

static const char *failure_kind(ia_status st)
{
    return st == IA_ERR_UNSUPPORTED ? "unsupported" : st == IA_ERR_NOMEM ? "out_of_memory"
                                                                          : "failed";
}

/* Random inputs of the case's shape for the model's family. */
static ia_status make_inputs(ia_model *m, const bench_case *bc, iter_ctx *c, ia_error *err)
{
    const ia_model_config *cfg = ia_model_config_get(m);
    const ia_model_type_info *t = ia_model_type_get(m);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    if (t && strcmp(t->family, "vision") == 0) {
        /* config.json's image_size: a number, or [height, width] */
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg->json, "image_size");
        if (cJSON_IsArray(v))
            v = cJSON_GetArrayItem(v, 0);
        int64_t size = cJSON_IsNumber(v) && v->valuedouble >= 1 ? (int64_t)v->valuedouble : 224;
        const int64_t shape[4] = {bc->batch, 3, size, size};
        ia_tensor *px;
        ia_status st = ia_tensor_map_add(&c->in, "pixel_values", IA_DTYPE_F32, 4, shape, &px, err);
        for (int64_t i = 0; st == IA_OK && i < ia_tensor_numel(px); i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            ((float *)px->data)[i] = (float)((x >> 40) & 0xFFFF) / 32768.0f - 1.0f;
        }
        return st;
    }
    const int64_t shape[2] = {bc->batch, bc->seq};
    ia_tensor *ids, *mask;
    ia_status st = ia_tensor_map_add(&c->in, "input_ids", IA_DTYPE_I64, 2, shape, &ids, err);
    if (st == IA_OK && !c->generation)
        st = ia_tensor_map_add(&c->in, "attention_mask", IA_DTYPE_I64, 2, shape, &mask, err);
    for (int64_t i = 0; st == IA_OK && i < bc->batch * bc->seq; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        ((int64_t *)ids->data)[i] = (int64_t)((x >> 33) % (uint64_t)cfg->vocab_size);
        if (!c->generation)
            ((int64_t *)mask->data)[i] = 1;
    }
    c->ids = ids;
    return st;
}

static void run_case(ia_model *m, const ia_bench_method *method, int new_tokens, bench_case *bc)
{
    ia_error err;
    ia_error_clear(&err);
    const ia_model_type_info *t = ia_model_type_get(m);
    iter_ctx c = {.m = m};
    c.generation = t && strcmp(t->family, "text-generation") == 0;
    bc->generation = c.generation;
    bc->synthetic = ia_model_weights_synthetic(m);
    c.gen = (ia_generate_opts){.max_new_tokens = new_tokens, .ignore_eos = true,
                               .on_token = on_token, .ctx = &c};
    c.cap = (size_t)(method->max_iters > 0 ? method->max_iters : 100000) +
            (size_t)method->warmup;
    if (c.generation && (!(c.ttft = calloc(c.cap, sizeof *c.ttft)) ||
                         !(c.rate = calloc(c.cap, sizeof *c.rate)))) {
        bc->status = "out_of_memory";
        snprintf(bc->reason, sizeof bc->reason, "out of memory");
        free(c.ttft);
        return;
    }
    ia_status st = make_inputs(m, bc, &c, &err);
    int64_t rss0 = ia_bench_rss_bytes();
    bool peak_reset = ia_bench_rss_peak_reset();
    ia_bench_energy e0, e1;
    ia_bench_energy_read(&e0);
    double *samples = NULL;
    size_t n = 0;
    if (st == IA_OK)
        st = ia_bench_measure(method, one_iteration, &c, &samples, &n, &err);
    ia_bench_energy_read(&e1);
    int64_t peak = ia_bench_rss_peak_bytes();
    if (st == IA_OK && ia_bench_stats_compute(samples, n, &bc->lat, &err) == IA_OK) {
        bc->status = "ok";
        bc->iterations = (int)n;
        bc->warmup = method->warmup;
        bc->throughput = bc->lat.mean > 0 ? (double)bc->batch / (bc->lat.mean / 1e3) : NAN;
        bc->memory_mb = peak_reset && peak >= rss0 && rss0 >= 0 ? (double)(peak - rss0) / 1048576
                                                                  : NAN;
        bc->energy_j = ia_bench_energy_used(&e0, &e1);
        bc->ttft_ms = NAN;
        bc->tokens_per_s = NAN;
        if (c.generation) {
            /* the warm-up iterations come first in the per-iteration lists */
            size_t skip = (size_t)method->warmup < c.nmeas ? (size_t)method->warmup : 0;
            bc->ttft_ms = median_of(c.ttft + skip, c.nmeas - skip);
            bc->tokens_per_s = median_of(c.rate + skip, c.nmeas - skip) * (double)bc->batch;
        }
    } else {
        bc->status = strstr(err.message, "timed out") ? "timeout" : failure_kind(err.status);
        snprintf(bc->reason, sizeof bc->reason, "%s", err.message);
    }
    bc->samples = samples;
    bc->nsamples = n;
    free(c.ttft);
    free(c.rate);
    ia_tensor_map_free(&c.in);
    ia_tensor_map_free(&c.out);
}

static void json_number(const char *key, double v)
{
    if (isnan(v) || isinf(v))
        printf(",\"%s\":null", key);
    else
        printf(",\"%s\":%.6g", key, v);
}

static void print_json(const bench_case *bc)
{
    printf("{\"model\":");
    ia_cli_put_json_string(bc->model, strlen(bc->model));
    printf(",\"hardware\":\"%s\",\"batch_size\":%ld,\"seq_len\":%ld,\"precision\":\"%s\","
           "\"mode\":\"inference\",\"status\":\"%s\"",
           bc->hardware, bc->batch, bc->seq, bc->precision, bc->status);
    if (strcmp(bc->status, "ok") != 0) {
        /* the same keys as a measured case, null: readers need no second shape */
        printf(",\"latency_ms_p50\":null,\"latency_ms_p90\":null,\"latency_ms_p99\":null,"
               "\"throughput_items_per_s\":null,\"memory_peak_mb\":null,\"ttft_ms\":null,"
               "\"tokens_per_s\":null,\"weights\":null,\"reason\":");
        ia_cli_put_json_string(bc->reason, strlen(bc->reason));
        printf("}\n");
        fflush(stdout);
        return;
    }
    json_number("latency_ms_p50", bc->lat.p50);
    json_number("latency_ms_p90", bc->lat.p90);
    json_number("latency_ms_p99", bc->lat.p99);
    json_number("latency_ms_mean", bc->lat.mean);
    json_number("latency_ms_min", bc->lat.min);
    json_number("latency_ms_max", bc->lat.max);
    json_number("latency_ms_stddev", bc->lat.stddev);
    json_number("cv", bc->lat.cv);
    printf(",\"outliers\":%zu,\"iterations\":%d,\"warmup\":%d", bc->lat.outliers, bc->iterations,
           bc->warmup);
    json_number("throughput_items_per_s", bc->throughput);
    json_number("memory_peak_mb", bc->memory_mb);
    json_number("energy_joules", bc->energy_j);
    json_number("ttft_ms", bc->ttft_ms);
    json_number("tokens_per_s", bc->tokens_per_s);
    printf(",\"weights\":\"%s\"}\n", bc->synthetic ? "synthetic" : "real");
    fflush(stdout);
}

static void print_table(const bench_case *cases, int n)
{
    int w = 5; /* the model column fits the longest name */
    for (int i = 0; i < n; i++)
        if ((int)strlen(cases[i].model) > w)
            w = (int)strlen(cases[i].model);
    printf("%-*s %-5s %5s %5s %-5s %-12s %9s %9s %9s %10s %8s %9s %s\n", w, "model", "hw",
           "batch", "seq", "prec", "status", "p50 ms", "p90 ms", "p99 ms", "items/s", "mem MB",
           "tok/s", "weights");
    for (int i = 0; i < n; i++) {
        const bench_case *b = &cases[i];
        printf("%-*s %-5s %5ld %5ld %-5s %-12s", w, b->model, b->hardware, b->batch, b->seq,
               b->precision, b->status);
        if (strcmp(b->status, "ok") == 0)
            printf(" %9.2f %9.2f %9.2f %10.2f %8.1f %9.1f %s\n", b->lat.p50, b->lat.p90,
                   b->lat.p99, b->throughput, b->memory_mb,
                   isnan(b->tokens_per_s) ? 0.0 : b->tokens_per_s,
                   b->synthetic ? "synthetic" : "real");
        else
            printf("  %s\n", b->reason);
    }
}

/* Commits one case to the store: a result with its samples when it ran,
 * and a compatibility row either way. */
static ia_status store_case(ia_store *store, int64_t run_id, const bench_case *bc, ia_error *err)
{
    bool ok = strcmp(bc->status, "ok") == 0;
    if (ok) {
        ia_store_result r = ia_store_result_init();
        r.model = bc->model;
        r.hardware = bc->hardware;
        r.batch_size = bc->batch;
        r.seq_len = bc->seq;
        r.precision = bc->precision;
        r.git_commit = ia_build_info_get()->git_commit;
        r.iterations = bc->iterations;
        r.warmup = bc->warmup;
        r.latency_ms_mean = bc->lat.mean;
        r.latency_ms_stddev = bc->lat.stddev;
        r.latency_ms_min = bc->lat.min;
        r.latency_ms_p50 = bc->lat.p50;
        r.latency_ms_p90 = bc->lat.p90;
        r.latency_ms_p99 = bc->lat.p99;
        r.latency_ms_max = bc->lat.max;
        r.cv = bc->lat.cv;
        r.outlier_count = (int64_t)bc->lat.outliers;
        r.throughput_items_per_s = bc->throughput;
        r.tokens_per_s = bc->tokens_per_s;
        r.ttft_ms = bc->ttft_ms;
        r.tpot_ms = bc->tokens_per_s > 0 ? 1e3 * (double)bc->batch / bc->tokens_per_s : NAN;
        r.memory_peak_mb = bc->memory_mb;
        r.energy_joules = bc->energy_j;
        r.weights_source = bc->synthetic ? "synthetic" : "real";
        ia_status st = ia_store_add_result(store, run_id, &r, bc->samples, bc->nsamples, NULL,
                                           err);
        if (st != IA_OK)
            return st;
    }
    ia_store_compat c = {.model = bc->model, .hardware = bc->hardware,
                         .precision = bc->precision, .batch_size = bc->batch,
                         .seq_len = bc->seq,
                         .status = ok ? "ok"
                                   : strcmp(bc->status, "out_of_memory") == 0 ? "oom"
                                                                               : bc->status,
                         .error_type = ok ? NULL : bc->status,
                         .error_message = ok ? NULL : bc->reason};
    return ia_store_add_compat(store, run_id, &c, err);
}

static int run_bench(int argc, char **argv)
{
    enum { OPT_MODELS = 256, OPT_HW, OPT_BATCH, OPT_SEQ, OPT_PREC, OPT_NEW, OPT_MODE,
           OPT_MINTIME, OPT_MINITERS, OPT_WARMUP, OPT_TIMEOUT, OPT_QUICK, OPT_JSON, OPT_DB };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"models", required_argument, 0, OPT_MODELS},
        {"hardware", required_argument, 0, OPT_HW},
        {"batch-sizes", required_argument, 0, OPT_BATCH},
        {"seq-lens", required_argument, 0, OPT_SEQ},
        {"precision", required_argument, 0, OPT_PREC},
        {"new-tokens", required_argument, 0, OPT_NEW},
        {"mode", required_argument, 0, OPT_MODE},
        {"min-time", required_argument, 0, OPT_MINTIME},
        {"min-iters", required_argument, 0, OPT_MINITERS},
        {"warmup", required_argument, 0, OPT_WARMUP},
        {"timeout", required_argument, 0, OPT_TIMEOUT},
        {"quick", no_argument, 0, OPT_QUICK},
        {"json", no_argument, 0, OPT_JSON},
        {"db", required_argument, 0, OPT_DB},
        {0, 0, 0, 0},
    };
    const char *db = NULL;
    char *models = NULL, hw_default[] = "cpu", batch_default[] = "1", seq_default[] = "128",
         prec_default[] = "fp32";
    char *hw = hw_default, *batches = batch_default, *seqs = seq_default, *precs = prec_default;
    double min_time = -1, timeout = 300;
    long min_iters = -1, warmup = -1, new_tokens = -1;
    bool quick = false, json = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        char *end = NULL;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_MODELS: models = optarg; break;
        case OPT_HW: hw = optarg; break;
        case OPT_BATCH: batches = optarg; break;
        case OPT_SEQ: seqs = optarg; break;
        case OPT_PREC: precs = optarg; break;
        case OPT_QUICK: quick = true; break;
        case OPT_JSON: json = true; break;
        case OPT_DB: db = optarg; break;
        case OPT_MODE:
            if (strcmp(optarg, "inference") != 0)
                return ia_cli_usage_error("bench", "--mode is inference (training is not "
                                                   "measured), not '%s'", optarg);
            break;
        case OPT_MINTIME:
        case OPT_TIMEOUT: {
            double v = strtod(optarg, &end);
            if (!*optarg || *end || !(v >= 0) || v > 1e6)
                return ia_cli_usage_error("bench", "--%s takes seconds >= 0, not '%s'",
                                          opt == OPT_MINTIME ? "min-time" : "timeout", optarg);
            *(opt == OPT_MINTIME ? &min_time : &timeout) = v;
            break;
        }
        case OPT_MINITERS:
        case OPT_WARMUP:
        case OPT_NEW: {
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < (opt == OPT_WARMUP ? 0 : 1) || v > 1000000)
                return ia_cli_usage_error("bench", "--%s takes a count, not '%s'",
                                          opt == OPT_MINITERS ? "min-iters"
                                          : opt == OPT_WARMUP ? "warmup"
                                                              : "new-tokens",
                                          optarg);
            *(opt == OPT_MINITERS ? &min_iters : opt == OPT_WARMUP ? &warmup : &new_tokens) = v;
            break;
        }
        default:
            return ia_cli_option_error("bench", opt, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("bench", "unexpected argument '%s'", argv[optind]);
    list lm, lh, lb, ls, lp;
    long bv[64], sv[64];
    if (!models || !split(models, &lm))
        return ia_cli_usage_error("bench", "--models is required (a comma-separated list)");
    if (!split(hw, &lh) || !split(precs, &lp))
        return ia_cli_usage_error("bench", "--hardware and --precision take lists");
    if (!split(batches, &lb) || !positive_ints(&lb, bv))
        return ia_cli_usage_error("bench", "--batch-sizes takes positive integers");
    if (!split(seqs, &ls) || !positive_ints(&ls, sv))
        return ia_cli_usage_error("bench", "--seq-lens takes positive integers");
    for (int i = 0; i < lh.n; i++)
        if (strcmp(lh.v[i], "cpu") && strcmp(lh.v[i], "cuda"))
            return ia_cli_usage_error("bench", "unknown hardware '%s' (cpu, cuda)", lh.v[i]);
    for (int i = 0; i < lp.n; i++)
        if (strcmp(lp.v[i], "fp32") && strcmp(lp.v[i], "fp16") && strcmp(lp.v[i], "bf16") &&
            strcmp(lp.v[i], "int8"))
            return ia_cli_usage_error("bench", "unknown precision '%s' (fp32, fp16, bf16, int8)",
                                      lp.v[i]);
    ia_bench_method method = ia_bench_method_default(quick);
    if (min_time >= 0)
        method.min_time_s = min_time;
    if (min_iters > 0)
        method.min_iters = (int)min_iters;
    if (warmup >= 0)
        method.warmup = (int)warmup;
    method.timeout_s = timeout;
    int ntok = new_tokens > 0 ? (int)new_tokens : quick ? 8 : 64;

    ia_error err;
    ia_error_clear(&err);
    ia_hw_options hw_opts = {0};
    ia_hw_report *report = NULL;
    ia_hw_source *src = ia_hw_source_live(&err);
    if (!src || ia_hw_detect(src, &hw_opts, &report, &err) != IA_OK) {
        ia_hw_source_free(src);
        ia_log_error("bench: hardware detection: %s", err.message);
        return IA_EXIT_FAILURE;
    }
    ia_hw_source_free(src);

    /* The store first: a run that cannot record its results does not start. */
    ia_store *store = NULL;
    int64_t run_id = 0;
    char command[2048] = "";
    for (int i = 0; i < argc; i++) {
        size_t used = strlen(command);
        snprintf(command + used, sizeof command - used, "%s%s", i ? " " : "ipfs-accelerate ",
                 argv[i]);
    }
    char *hw_json = ia_hw_report_to_json(report, false);
    const ia_build_info *build = ia_build_info_get();
    char governor[64];
    ia_bench_cpu_governor(governor, sizeof governor);
    const char *isa = NULL;
    ia_backend *cpu = ia_backend_cpu_create(&(ia_cpu_options){0}, &err);
    if (cpu)
        isa = ia_cpu_isa_name(ia_backend_cpu_isa(cpu));
    ia_store_run_info run = {.git_commit = build->git_commit,
                             .git_branch = *build->git_branch ? build->git_branch : NULL,
                             .command_line = command,
                             .build_flags = build->c_flags, .engine_version = build->version,
                             .hardware = "cpu", .hw_json = hw_json, .cpu_governor = governor,
                             .blas_kernel = openblas_get_corename(), .cpu_isa = isa};
    ia_status sst = ia_store_open(ia_store_default_location(db), false, &store, &err);
    if (sst == IA_OK)
        sst = ia_store_begin_run(store, &run, &run_id, &err);
    free(hw_json);
    ia_backend_free(cpu);
    if (sst != IA_OK) {
        ia_log_error("bench: %s", err.message);
        ia_store_close(store);
        ia_hw_report_free(report);
        return IA_EXIT_FAILURE;
    }
    size_t stored = 0;

    int total = lm.n * lh.n * lb.n * ls.n * lp.n, done = 0;
    bench_case *cases = calloc((size_t)total, sizeof *cases);
    if (!cases) {
        ia_hw_report_free(report);
        ia_log_error("bench: out of memory");
        return IA_EXIT_FAILURE;
    }
    bool progress = isatty(STDERR_FILENO) && ia_log_get_level() >= IA_LOG_WARN;
    for (int mi = 0; mi < lm.n; mi++) {
        ia_model *m = NULL;
        char dir[4096];
        bool synthetic = false;
        ia_error lerr;
        ia_error_clear(&lerr);
        ia_status lst = ia_model_resolve(lm.v[mi], dir, sizeof dir, &synthetic, &lerr);
        if (lst == IA_OK)
            lst = ia_model_load(dir, NULL, &m, &lerr);
        /* The store learns what the model is, so reports can group by family. */
        const ia_model_type_info *type = m ? ia_model_type_get(m) : NULL;
        /* A vision model reads images: a sequence length means nothing to it,
         * so it is measured once, recorded with seq_len 0. */
        bool images = type && strcmp(type->family, "vision") == 0;
        int seq_count = images ? 1 : ls.n;
        if (store && type &&
            ia_store_set_model_info(store, lm.v[mi], type->model_type, type->family, &err) != IA_OK) {
            ia_log_error("bench: recording the model's type: %s", err.message);
            sst = err.status;
        }
        for (int hi = 0; hi < lh.n; hi++)
            for (int pi = 0; pi < lp.n; pi++)
                for (int bi = 0; bi < lb.n; bi++)
                    for (int si = 0; si < seq_count; si++) {
                        bench_case *bc = &cases[done++];
                        *bc = (bench_case){.model = lm.v[mi], .hardware = lh.v[hi],
                                           .precision = lp.v[pi], .batch = bv[bi],
                                           .seq = images ? 0 : sv[si]};
                        if (progress)
                            fprintf(stderr, "\r\033[K[%d/%d] %s %s batch %ld seq %ld %s", done,
                                    total, bc->model, bc->hardware, bc->batch, bc->seq,
                                    bc->precision);
                        const ia_hw_platform *p =
                            strcmp(bc->hardware, "cuda") == 0
                                ? ia_hw_report_platform(report, "cuda")
                                : NULL;
                        if (lst != IA_OK) {
                            bc->status = failure_kind(lst);
                            snprintf(bc->reason, sizeof bc->reason, "%s", lerr.message);
                        } else if (strcmp(bc->hardware, "cuda") == 0) {
                            bc->status = "unsupported";
                            snprintf(bc->reason, sizeof bc->reason, "%s",
                                     p && p->status == IA_HW_AVAILABLE
                                         ? "cuda is present, but this build has no CUDA "
                                           "backend yet"
                                         : "cuda is absent on this machine");
                        } else if (strcmp(bc->precision, "fp32") != 0) {
                            bc->status = "unsupported";
                            snprintf(bc->reason, sizeof bc->reason,
                                     "precision %s is not supported yet (fp32 only)",
                                     bc->precision);
                        } else {
                            run_case(m, &method, ntok, bc);
                        }
                        if (json)
                            print_json(bc);
                        if (store_case(store, run_id, bc, &err) != IA_OK) {
                            ia_log_error("bench: storing a case: %s", err.message);
                            sst = err.status;
                        } else {
                            stored++;
                        }
                    }
        ia_model_free(m);
    }
    if (progress)
        fprintf(stderr, "\r\033[K");
    if (!json)
        print_table(cases, done);
    if (ia_store_end_run(store, run_id, sst == IA_OK ? "completed" : "failed", &err) != IA_OK)
        ia_log_error("bench: %s", err.message);
    else
        ia_log_info("bench: %zu cases stored in %s (run %lld)", stored, ia_store_path(store),
                    (long long)run_id);
    ia_store_close(store);
    for (int i = 0; i < total; i++)
        free(cases[i].samples);
    free(cases);
    ia_hw_report_free(report);
    return sst == IA_OK ? IA_EXIT_OK : IA_EXIT_FAILURE;
}

const ia_cli_command ia_cli_bench = {"bench", "measure models across hardware, batch sizes and "
                                              "sequence lengths",
                                     run_bench};
