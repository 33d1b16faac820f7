/* bench_models: whole models on our engine beside PyTorch running the same
 * architecture on the same weights and inputs, measured in the same run.
 *
 * Models: BERT-base (bert-base-uncased's config.json) and GPT-2 124M
 * (gpt2's), from the presets (ia_model_preset_find, the configs as the Hub
 * serves them), with synthetic weights (ia_model_synthesize) in a temporary
 * folder: the real shapes, meaningless values, fp32.
 *
 *   - BERT: input_ids [B, --seq] of seeded random ids, attention_mask all
 *     ones; a warm-up forward, then forwards until --min-time seconds and 3
 *     runs have passed; the median forward, at each of --batches.
 *   - GPT-2: a --prompt token seeded prompt, greedy ia_model_generate of --new
 *     tokens with ignore_eos, each token timestamped by on_token; prefill is
 *     the time to the first token, decode the tokens 2..N over their time;
 *     medians of --runs generations after a warm-up one.
 *
 * The peer is bench/models_peer.py: plain PyTorch (no transformers) that
 * reads the same model.safetensors and the inputs this program writes,
 * once per --peer-threads setting (torch.set_num_threads, with OpenBLAS on
 * --peer-blas-threads threads), with the same method; the faster setting
 * of each case is the peer. OMP_WAIT_POLICY=PASSIVE: torch's OpenMP
 * workers otherwise spin between ops and starve OpenBLAS's threads (BERT
 * batch 1 with 2 torch threads: 370 ms instead of 81). Its outputs must agree with ours (BERT's
 * last_hidden_state within 1e-3, GPT-2's generated ids exactly), or the run
 * fails: a benchmark of a wrong computation is worthless.
 *
 *   bench_models [--batches 1,8] [--seq 128] [--min-time 2] [--runs 5] [--new 64]
 *                [--prompt 16] [--seed 1] [--only bert|gpt2] [--threads N]
 *                [--peer-threads 1,2] [--peer-blas-threads 2] [--no-peer] [--keep] [--json]
 *
 * Environment: IA_PYTHON (the interpreter with torch; default
 * /usr/bin/python3, Debian's python3-torch), TMPDIR.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, popen */
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipfs_accelerate/engine.h"
#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/models.h"

/* OpenBLAS, linked with the library: which kernel it picked. */
char *openblas_get_corename(void);

#define BENCH_MAX_BATCHES 8
#define BENCH_MAX_SETTINGS 4
#define BENCH_MAX_RUNS 1000
#define BENCH_BERT_TOL 1e-3

typedef struct bench_opts {
    int batches[BENCH_MAX_BATCHES], nbatches;
    int seq, runs, new_tokens, prompt, threads, peer_blas_threads;
    int peer_threads[BENCH_MAX_SETTINGS], nsettings;
    double min_time;
    unsigned long long seed;
    bool bert, gpt2, peer, keep, json;
} bench_opts;

/* One PyTorch setting's figures (< 0: not measured). */
typedef struct bench_peer {
    int torch_threads;
    bool ran;
    char info[256];
    char error[640];
    double bert_s[BENCH_MAX_BATCHES];
    double prefill_s, decode_tok_s;
    double bert_diff[BENCH_MAX_BATCHES]; /* max abs diff against ours; < 0: not compared */
    int ids_equal;                       /* 1, 0, or -1: not compared */
} bench_peer;

typedef struct bench_results {
    double bert_s[BENCH_MAX_BATCHES];
    int bert_runs[BENCH_MAX_BATCHES];
    float *bert_out[BENCH_MAX_BATCHES]; /* our last_hidden_state, [B, S, H] */
    int64_t bert_numel[BENCH_MAX_BATCHES];
    double prefill_s, decode_tok_s;
    int64_t *gpt2_ids; /* ours, [1, prompt + new] */
    int64_t gpt2_len;
    bench_peer peers[BENCH_MAX_SETTINGS];
    int npeers;
} bench_results;

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp);
    return v[n / 2];
}

static uint64_t bench_rng(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* "1,8" into v (at most max positive entries); false when malformed. */
static bool bench_parse_list(const char *s, int *v, int *n, int max)
{
    *n = 0;
    while (*s) {
        char *end;
        long x = strtol(s, &end, 10);
        if (end == s || x < 1 || x > 4096 || *n == max)
            return false;
        v[(*n)++] = (int)x;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return false;
    }
    return *n > 0;
}

/* ---- the models ---------------------------------------------------------- */

/* DIR/NAME holding the preset's config.json and synthetic weights. */
static bool bench_make_model(const char *dir, const char *name, const char *preset,
                             unsigned long long seed, char *out, size_t size)
{
    const ia_model_preset *p = ia_model_preset_find(preset);
    if (!p) {
        fprintf(stderr, "bench_models: no preset '%s'\n", preset);
        return false;
    }
    snprintf(out, size, "%s/%s", dir, name);
    char cfg[4200];
    snprintf(cfg, sizeof cfg, "%s/config.json", out);
    ia_error err;
    if (ia_dir_create_all(out, &err) != IA_OK ||
        ia_file_write_all(cfg, p->config_json, strlen(p->config_json), &err) != IA_OK ||
        ia_model_synthesize(out, seed, &err) != IA_OK) {
        fprintf(stderr, "bench_models: %s: %s\n", preset, err.message);
        return false;
    }
    return true;
}

/* Seeded ids in [lo, vocab) as an I64 [rows, cols] tensor. */
static bool bench_ids(ia_tensor *t, int64_t rows, int64_t cols, int64_t lo, int64_t vocab,
                      uint64_t seed)
{
    ia_error err;
    if (ia_tensor_alloc(t, IA_DTYPE_I64, 2, (int64_t[]){rows, cols}, &err) != IA_OK) {
        fprintf(stderr, "bench_models: %s\n", err.message);
        return false;
    }
    int64_t *p = t->data;
    for (int64_t i = 0; i < rows * cols; i++)
        p[i] = lo + (int64_t)(bench_rng(&seed) % (uint64_t)(vocab - lo));
    return true;
}

/* ---- ours ------------------------------------------------------------------ */

static bool bench_bert_ours(ia_model *m, const ia_tensor *ids, double min_time, double *median_s,
                            int *runs_out, float **out, int64_t *numel)
{
    ia_error err;
    ia_tensor_map in = {0}, res = {0};
    ia_tensor *mask;
    bool ok = ia_tensor_map_add_copy(&in, "input_ids", ids, IA_DTYPE_I64, &err) == IA_OK &&
              ia_tensor_map_add(&in, "attention_mask", IA_DTYPE_I64, 2, ids->shape, &mask,
                                &err) == IA_OK;
    if (ok) {
        for (int64_t i = 0; i < ia_tensor_numel(mask); i++)
            ((int64_t *)mask->data)[i] = 1;
        ok = ia_model_forward(m, &in, &res, &err) == IA_OK; /* warm-up */
    }
    static double runs[BENCH_MAX_RUNS];
    int n = 0;
    const double start = bench_now();
    while (ok && n < BENCH_MAX_RUNS && (n < 3 || bench_now() - start < min_time)) {
        const double t0 = bench_now();
        ok = ia_model_forward(m, &in, &res, &err) == IA_OK;
        runs[n++] = bench_now() - t0;
    }
    const ia_tensor *h = ok ? ia_tensor_map_find(&res, "last_hidden_state") : NULL;
    if (ok && !h) {
        ok = false;
        snprintf(err.message, sizeof err.message, "no last_hidden_state among the outputs");
    }
    if (ok) {
        *numel = ia_tensor_numel(h);
        *out = malloc((size_t)*numel * sizeof **out);
        ia_tensor dst = ia_tensor_make(IA_DTYPE_F32, h->ndim, h->shape, *out);
        ok = *out && ia_tensor_copy(h, &dst, &err) == IA_OK;
    }
    if (ok) {
        *median_s = bench_median(runs, n);
        *runs_out = n;
    } else {
        fprintf(stderr, "bench_models: BERT forward: %s\n", err.message);
    }
    ia_tensor_map_free(&in);
    ia_tensor_map_free(&res);
    return ok;
}

typedef struct bench_stamps {
    double t[BENCH_MAX_RUNS];
    int n;
} bench_stamps;

static bool bench_on_token(void *ctx, int64_t token)
{
    (void)token;
    bench_stamps *s = ctx;
    if (s->n < BENCH_MAX_RUNS)
        s->t[s->n++] = bench_now();
    return true;
}

static bool bench_gpt2_ours(ia_model *m, const ia_tensor *prompt, const bench_opts *o,
                            bench_results *r)
{
    static bench_stamps st;
    ia_generate_opts g = {.max_new_tokens = o->new_tokens, .ignore_eos = true,
                          .on_token = bench_on_token, .ctx = &st};
    double prefill[BENCH_MAX_RUNS], decode[BENCH_MAX_RUNS];
    int n = 0;
    ia_error err;
    for (int run = -1; run < o->runs; run++) { /* run -1: the warm-up */
        ia_tensor_map out = {0};
        st.n = 0;
        const double t0 = bench_now();
        if (ia_model_generate(m, prompt, &g, &out, &err) != IA_OK) {
            fprintf(stderr, "bench_models: GPT-2 generate: %s\n", err.message);
            ia_tensor_map_free(&out);
            return false;
        }
        const ia_tensor *ids = ia_tensor_map_find(&out, "generated_ids");
        if (!ids || st.n != o->new_tokens || ids->shape[1] != o->prompt + o->new_tokens) {
            fprintf(stderr, "bench_models: GPT-2 generate gave %d tokens, expected %d\n", st.n,
                    o->new_tokens);
            ia_tensor_map_free(&out);
            return false;
        }
        if (run >= 0) {
            prefill[n] = st.t[0] - t0;
            decode[n] = st.n > 1 ? (st.n - 1) / (st.t[st.n - 1] - st.t[0]) : 0;
            n++;
        }
        free(r->gpt2_ids);
        r->gpt2_len = ids->shape[1];
        r->gpt2_ids = malloc((size_t)r->gpt2_len * sizeof *r->gpt2_ids);
        if (r->gpt2_ids)
            memcpy(r->gpt2_ids, ids->data, (size_t)r->gpt2_len * sizeof *r->gpt2_ids);
        ia_tensor_map_free(&out);
        if (!r->gpt2_ids)
            return false;
    }
    r->prefill_s = bench_median(prefill, n);
    r->decode_tok_s = bench_median(decode, n);
    return true;
}

/* ---- the peer -------------------------------------------------------------- */

static double bench_json_number(const char *line, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(line, pat);
    return p ? strtod(p + strlen(pat), NULL) : -1;
}

static void bench_json_string(const char *line, const char *key, char *out, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(line, pat);
    size_t n = 0;
    if (p)
        for (p += strlen(pat); *p && *p != '"' && n + 1 < size; p++)
            out[n++] = *p;
    out[n] = '\0';
}

/* src into dst (size bytes), cut to fit. */
static void bench_copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static char *bench_source_dir(void)
{
    /* CMake compiles with the absolute source path: the script is beside it. */
    char *s = strdup(__FILE__);
    char *slash = s ? strrchr(s, '/') : NULL;
    if (slash)
        *slash = '\0';
    return s;
}

/* The peer's outputs against ours. */
static void bench_compare(bench_peer *p, const char *path, const bench_opts *o,
                          const bench_results *r)
{
    ia_safetensors *st;
    ia_error err;
    if (ia_safetensors_open(path, &st, &err) != IA_OK) {
        snprintf(p->error, sizeof p->error, "%s", err.message);
        return;
    }
    for (int i = 0; o->bert && i < o->nbatches; i++) {
        char name[32];
        snprintf(name, sizeof name, "bert_b%d", o->batches[i]);
        ia_tensor t;
        if (!r->bert_out[i] || ia_safetensors_tensor(st, name, &t, &err) != IA_OK ||
            t.dtype != IA_DTYPE_F32 || ia_tensor_numel(&t) != r->bert_numel[i])
            continue;
        double worst = 0;
        for (int64_t k = 0; k < r->bert_numel[i]; k++) {
            float v;
            memcpy(&v, (const char *)t.data + k * 4, 4); /* the mapping may be unaligned */
            double d = fabs((double)v - (double)r->bert_out[i][k]);
            if (!(d <= worst)) /* NaN counts as the worst */
                worst = isnan(d) ? INFINITY : d;
        }
        p->bert_diff[i] = worst;
    }
    ia_tensor t;
    if (o->gpt2 && r->gpt2_ids && ia_safetensors_tensor(st, "gpt2_ids", &t, &err) == IA_OK &&
        t.dtype == IA_DTYPE_I64) {
        p->ids_equal = ia_tensor_numel(&t) == r->gpt2_len &&
                       memcmp(t.data, r->gpt2_ids, (size_t)r->gpt2_len * sizeof(int64_t)) == 0;
    }
    ia_safetensors_close(st);
}

static void bench_run_peer(bench_peer *p, const char *python, const char *script,
                           const char *dir, const char *bert_dir, const char *gpt2_dir,
                           const bench_opts *o, const bench_results *r)
{
    char batches[128] = "", out[4200], cmd[16384];
    for (int i = 0, n = 0; i < o->nbatches; i++)
        n += snprintf(batches + n, sizeof batches - (size_t)n, "%s%d", i ? "," : "",
                      o->batches[i]);
    snprintf(out, sizeof out, "%s/peer_t%d.safetensors", dir, p->torch_threads);
    int len = snprintf(cmd, sizeof cmd,
                       "env OPENBLAS_NUM_THREADS=%d OMP_WAIT_POLICY=PASSIVE '%s' '%s' "
                       "--inputs '%s/inputs.safetensors' "
                       "--out '%s' --torch-threads %d --batches %s --min-time %g --runs %d "
                       "--new %d",
                       o->peer_blas_threads, python, script, dir, out, p->torch_threads, batches,
                       o->min_time, o->runs, o->new_tokens);
    if (o->bert)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " --bert '%s'", bert_dir);
    if (o->gpt2)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " --gpt2 '%s'", gpt2_dir);
    snprintf(cmd + len, sizeof cmd - (size_t)len, " 2>&1");
    FILE *f = popen(cmd, "r");
    if (!f) {
        snprintf(p->error, sizeof p->error, "could not start %s", python);
        return;
    }
    char line[4096], last[256] = "";
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "{\"info\"", 7) == 0) {
            bench_json_string(line, "info", p->info, sizeof p->info);
        } else if (strncmp(line, "{\"case\": \"bert\"", 15) == 0) {
            int b = (int)bench_json_number(line, "batch");
            for (int i = 0; i < o->nbatches; i++)
                if (o->batches[i] == b)
                    p->bert_s[i] = bench_json_number(line, "median_s");
        } else if (strncmp(line, "{\"case\": \"gpt2\"", 15) == 0) {
            p->prefill_s = bench_json_number(line, "prefill_s");
            p->decode_tok_s = bench_json_number(line, "decode_tok_s");
        } else {
            bench_copy(last, sizeof last, line);
        }
    }
    int rc = pclose(f);
    last[strcspn(last, "\n")] = '\0';
    if (rc != 0) {
        snprintf(p->error, sizeof p->error, "exit %d: %s", WIFEXITED(rc) ? WEXITSTATUS(rc) : rc,
                 last[0] ? last : "no output");
        return;
    }
    p->ran = true;
    bench_compare(p, out, o, r);
    unlink(out);
}

/* ---- the report ------------------------------------------------------------ */

/* The peer setting with the lowest time (or highest rate) for a figure. */
typedef double (*bench_pick_fn)(const bench_peer *p, int i);

static double pick_bert(const bench_peer *p, int i)
{
    return p->bert_s[i];
}

static double pick_prefill(const bench_peer *p, int i)
{
    (void)i;
    return p->prefill_s;
}

static double pick_decode(const bench_peer *p, int i)
{
    (void)i;
    return p->decode_tok_s;
}

static const bench_peer *bench_best(const bench_results *r, bench_pick_fn fn, int i, bool higher)
{
    const bench_peer *best = NULL;
    for (int k = 0; k < r->npeers; k++) {
        const bench_peer *p = &r->peers[k];
        double v = p->ran ? fn(p, i) : -1;
        if (v > 0 && (!best || (higher ? v > fn(best, i) : v < fn(best, i))))
            best = p;
    }
    return best;
}

typedef struct bench_row {
    char name[48];
    const char *unit;
    double ours, peer; /* ms or tok/s; peer < 0: none */
    int peer_threads;
    double ratio;      /* ours over the peer, in the unit's terms */
    const char *goal;  /* "<= 0.80", ">= 1.50" or NULL */
    bool met;
} bench_row;

static int bench_rows(const bench_opts *o, const bench_results *r, bench_row *rows)
{
    int n = 0;
    for (int i = 0; o->bert && i < o->nbatches; i++) {
        bench_row *w = &rows[n++];
        const bench_peer *p = bench_best(r, pick_bert, i, false);
        snprintf(w->name, sizeof w->name, "BERT-base b%d s%d", o->batches[i], o->seq);
        w->unit = "ms";
        w->ours = r->bert_s[i] * 1e3;
        w->peer = p ? p->bert_s[i] * 1e3 : -1;
        w->peer_threads = p ? p->torch_threads : 0;
        w->ratio = p ? w->ours / w->peer : -1;
        w->goal = o->batches[i] == 1 ? "<= 0.80" : NULL;
        w->met = p && w->ratio <= 0.80;
    }
    if (o->gpt2) {
        bench_row *w = &rows[n++];
        const bench_peer *p = bench_best(r, pick_prefill, 0, false);
        snprintf(w->name, sizeof w->name, "GPT-2 prefill %d", o->prompt);
        w->unit = "ms";
        w->ours = r->prefill_s * 1e3;
        w->peer = p ? p->prefill_s * 1e3 : -1;
        w->peer_threads = p ? p->torch_threads : 0;
        w->ratio = p ? w->ours / w->peer : -1;
        w->goal = NULL;
        w = &rows[n++];
        p = bench_best(r, pick_decode, 0, true);
        snprintf(w->name, sizeof w->name, "GPT-2 decode b1 (%d new)", o->new_tokens);
        w->unit = "tok/s";
        w->ours = r->decode_tok_s;
        w->peer = p ? p->decode_tok_s : -1;
        w->peer_threads = p ? p->torch_threads : 0;
        w->ratio = p ? w->ours / w->peer : -1;
        w->goal = ">= 1.50";
        w->met = p && w->ratio >= 1.50;
    }
    return n;
}

/* Whether every peer that ran agreed with ours; prints why not. */
static bool bench_agree(const bench_opts *o, const bench_results *r, FILE *f, bool print)
{
    bool ok = true;
    for (int k = 0; k < r->npeers; k++) {
        const bench_peer *p = &r->peers[k];
        if (!p->ran)
            continue;
        for (int i = 0; o->bert && i < o->nbatches; i++) {
            bool good = p->bert_diff[i] >= 0 && p->bert_diff[i] <= BENCH_BERT_TOL;
            ok = ok && good;
            if (print && p->bert_diff[i] >= 0)
                fprintf(f, "agreement, torch threads %d: BERT b%d last_hidden_state max abs "
                           "diff %.3g (limit %g): %s\n",
                        p->torch_threads, o->batches[i], p->bert_diff[i], BENCH_BERT_TOL,
                        good ? "agree" : "DIFFER");
            else if (print)
                fprintf(f, "agreement, torch threads %d: BERT b%d: no output to compare\n",
                        p->torch_threads, o->batches[i]);
        }
        if (o->gpt2) {
            ok = ok && p->ids_equal == 1;
            if (print)
                fprintf(f, "agreement, torch threads %d: GPT-2 generated ids (%lld): %s\n",
                        p->torch_threads, (long long)r->gpt2_len,
                        p->ids_equal == 1   ? "equal"
                        : p->ids_equal == 0 ? "DIFFER"
                                            : "no output to compare");
        }
    }
    return ok;
}

static void bench_print(const bench_opts *o, const bench_results *r, const char *isa, int threads)
{
    const char *coretype = getenv("OPENBLAS_CORETYPE");
    printf("models, fp32, synthetic weights (seed %llu) of bert-base-uncased and gpt2\n", o->seed);
    printf("ours: %d thread%s, cpu backend %s; OpenBLAS (linked) kernel %s (OPENBLAS_CORETYPE "
           "%s)\n",
           threads, threads == 1 ? "" : "s", isa, openblas_get_corename(),
           coretype ? coretype : "unset");
    for (int k = 0; k < r->npeers; k++) {
        const bench_peer *p = &r->peers[k];
        if (p->ran)
            printf("peer, torch threads %d: %s (OPENBLAS_NUM_THREADS=%d, "
                   "OMP_WAIT_POLICY=PASSIVE)\n",
                   p->torch_threads,
                   p->info, o->peer_blas_threads);
        else
            printf("peer, torch threads %d: did not run: %s\n", p->torch_threads, p->error);
    }
    if (o->bert)
        printf("method: BERT, the median forward over >= %.1f s and >= 3 runs after a warm-up\n",
               o->min_time);
    if (o->gpt2)
        printf("method: GPT-2, medians of %d greedy generations of %d tokens after a warm-up\n",
               o->runs, o->new_tokens);
    printf("\n");

    bench_row rows[BENCH_MAX_BATCHES + 2];
    int n = bench_rows(o, r, rows);
    printf("%-26s %6s %10s %10s %7s %9s %9s %5s\n", "case", "unit", "ours", "PyTorch",
           "(torch", "ours/PT", "goal", "met");
    printf("%-26s %6s %10s %10s %7s %9s %9s %5s\n", "", "", "", "", "thr.)", "", "", "");
    for (int i = 0; i < n; i++) {
        const bench_row *w = &rows[i];
        char peer[32] = "-", thr[16] = "-", ratio[32] = "-";
        if (w->peer > 0) {
            snprintf(peer, sizeof peer, "%.2f", w->peer);
            snprintf(thr, sizeof thr, "%d", w->peer_threads);
            snprintf(ratio, sizeof ratio, "%.2f", w->ratio);
        }
        printf("%-26s %6s %10.2f %10s %7s %9s %9s %5s\n", w->name, w->unit, w->ours, peer, thr,
               ratio, w->goal ? w->goal : "-",
               !w->goal || w->peer <= 0 ? "-" : w->met ? "yes" : "NO");
    }
    printf("\nours/PT: our figure over PyTorch's, in the row's unit (ms: below 1 ours is faster; "
           "tok/s: above 1 ours is faster); PyTorch: the faster of its settings\n");
    for (int k = 0; k < r->npeers; k++) {
        const bench_peer *p = &r->peers[k];
        if (!p->ran)
            continue;
        printf("PyTorch, torch threads %d:", p->torch_threads);
        for (int i = 0; o->bert && i < o->nbatches; i++)
            printf(" BERT b%d %.2f ms;", o->batches[i], p->bert_s[i] * 1e3);
        if (o->gpt2)
            printf(" GPT-2 prefill %.2f ms, decode %.2f tok/s", p->prefill_s * 1e3,
                   p->decode_tok_s);
        printf("\n");
    }
    bench_agree(o, r, stdout, true);
}

static void bench_print_json(const bench_opts *o, const bench_results *r, const char *isa,
                             int threads, bool agree)
{
    const char *coretype = getenv("OPENBLAS_CORETYPE");
    printf("{\"bench\": \"models\", \"seed\": %llu, \"threads\": %d, \"isa\": \"%s\", "
           "\"openblas_core\": \"%s\", \"openblas_coretype_env\": \"%s\", \"seq\": %d, "
           "\"prompt\": %d, \"new_tokens\": %d, \"agree\": %s,\n \"peers\": [",
           o->seed, threads, isa, openblas_get_corename(), coretype ? coretype : "", o->seq,
           o->prompt, o->new_tokens, agree ? "true" : "false");
    for (int k = 0; k < r->npeers; k++) {
        const bench_peer *p = &r->peers[k];
        printf("%s\n  {\"torch_threads\": %d, \"openblas_threads\": %d, \"ran\": %s, "
               "\"info\": \"%s\"",
               k ? "," : "", p->torch_threads, o->peer_blas_threads, p->ran ? "true" : "false",
               p->info);
        for (int i = 0; p->ran && o->bert && i < o->nbatches; i++)
            printf(", \"bert_b%d_ms\": %.4f, \"bert_b%d_max_abs_diff\": %.3g", o->batches[i],
                   p->bert_s[i] * 1e3, o->batches[i], p->bert_diff[i]);
        if (p->ran && o->gpt2)
            printf(", \"gpt2_prefill_ms\": %.4f, \"gpt2_decode_tok_s\": %.3f, "
                   "\"gpt2_ids_equal\": %s",
                   p->prefill_s * 1e3, p->decode_tok_s, p->ids_equal == 1 ? "true" : "false");
        printf("}");
    }
    printf("],\n \"cases\": [");
    bench_row rows[BENCH_MAX_BATCHES + 2];
    int n = bench_rows(o, r, rows);
    for (int i = 0; i < n; i++) {
        const bench_row *w = &rows[i];
        printf("%s\n  {\"name\": \"%s\", \"unit\": \"%s\", \"ours\": %.4f", i ? "," : "", w->name,
               w->unit, w->ours);
        if (w->peer > 0)
            printf(", \"torch\": %.4f, \"torch_threads\": %d, \"ratio\": %.4f", w->peer,
                   w->peer_threads, w->ratio);
        if (w->goal)
            printf(", \"goal\": \"%s\", \"met\": %s", w->goal,
                   w->peer <= 0 ? "null" : w->met ? "true" : "false");
        printf("}");
    }
    printf("\n]}\n");
}

/* ---- main ------------------------------------------------------------------ */

static void bench_usage(FILE *f)
{
    fputs("Usage: bench_models [--batches 1,8] [--seq 128] [--min-time 2] [--runs 5] [--new 64]\n"
          "                    [--prompt 16] [--seed 1] [--only bert|gpt2] [--threads N]\n"
          "                    [--peer-threads 1,2] [--peer-blas-threads 2] [--no-peer] [--keep]\n"
          "                    [--json]\n"
          "\n"
          "BERT-base forward latency and GPT-2 greedy decode on synthetic weights of the real\n"
          "shapes, beside PyTorch (bench/models_peer.py) on the same weights and inputs; the\n"
          "outputs must agree. Environment: IA_PYTHON (default /usr/bin/python3), TMPDIR.\n",
          f);
}

static bool bench_parse(int argc, char **argv, bench_opts *o, int *rc)
{
    *o = (bench_opts){.batches = {1, 8}, .nbatches = 2, .seq = 128, .runs = 5,
                      .new_tokens = 64, .prompt = 16, .peer_blas_threads = 2,
                      .peer_threads = {1, 2}, .nsettings = 2, .min_time = 2.0, .seed = 1,
                      .bert = true, .gpt2 = true, .peer = true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool ok = true;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            bench_usage(stdout);
            *rc = 0;
            return false;
        } else if (strcmp(a, "--no-peer") == 0) {
            o->peer = false;
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (i + 1 >= argc) {
            ok = false;
        } else {
            const char *v = argv[++i];
            int *dst = strcmp(a, "--seq") == 0                 ? &o->seq
                       : strcmp(a, "--runs") == 0              ? &o->runs
                       : strcmp(a, "--new") == 0               ? &o->new_tokens
                       : strcmp(a, "--prompt") == 0            ? &o->prompt
                       : strcmp(a, "--threads") == 0           ? &o->threads
                       : strcmp(a, "--peer-blas-threads") == 0 ? &o->peer_blas_threads
                                                               : NULL;
            if (dst) {
                ok = (*dst = atoi(v)) >= 1;
            } else if (strcmp(a, "--batches") == 0) {
                ok = bench_parse_list(v, o->batches, &o->nbatches, BENCH_MAX_BATCHES);
            } else if (strcmp(a, "--peer-threads") == 0) {
                ok = bench_parse_list(v, o->peer_threads, &o->nsettings, BENCH_MAX_SETTINGS);
            } else if (strcmp(a, "--only") == 0) {
                o->bert = strcmp(v, "bert") == 0;
                o->gpt2 = strcmp(v, "gpt2") == 0;
                ok = o->bert || o->gpt2;
            } else if (strcmp(a, "--min-time") == 0) {
                o->min_time = atof(v);
                ok = o->min_time >= 0;
            } else if (strcmp(a, "--seed") == 0) {
                o->seed = strtoull(v, NULL, 10);
            } else {
                ok = false;
            }
        }
        if (!ok) {
            fprintf(stderr, "bench_models: bad or incomplete option '%s'\n", a);
            bench_usage(stderr);
            *rc = 2;
            return false;
        }
    }
    if (o->runs > BENCH_MAX_RUNS / 2 || o->new_tokens > BENCH_MAX_RUNS || o->seq > 512 ||
        o->prompt + o->new_tokens > 1024) {
        fprintf(stderr, "bench_models: --runs at most %d, --new at most %d, --seq at most 512, "
                        "--prompt + --new at most 1024 (the models' positions)\n",
                BENCH_MAX_RUNS / 2, BENCH_MAX_RUNS);
        *rc = 2;
        return false;
    }
    return true;
}

static void bench_cleanup(const char *dir, bool keep)
{
    if (keep) {
        fprintf(stderr, "bench_models: kept %s\n", dir);
        return;
    }
    static const char *const files[] = {"bert/config.json", "bert/model.safetensors",
                                        "gpt2/config.json", "gpt2/model.safetensors",
                                        "inputs.safetensors"};
    char p[4200];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/bert", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/gpt2", dir);
    rmdir(p);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    bench_opts o;
    int rc = 0;
    if (!bench_parse(argc, argv, &o, &rc))
        return rc;
    ia_error err;
    if (o.threads > 0 && ia_threadpool_set_global_threads(o.threads, &err) != IA_OK) {
        fprintf(stderr, "bench_models: %s\n", err.message);
        return 1;
    }
    const char *python = getenv("IA_PYTHON");
    if (!python || !*python)
        python = "/usr/bin/python3";
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/bench_models.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *srcdir = bench_source_dir();
    char script[4200];
    snprintf(script, sizeof script, "%s/models_peer.py", srcdir ? srcdir : ".");
    free(srcdir);
    if (strchr(dir, '\'') || strchr(script, '\'') || strchr(python, '\'')) {
        fprintf(stderr, "bench_models: TMPDIR, IA_PYTHON and the source path must not hold a "
                        "single quote\n");
        return 2;
    }
    if (!mkdtemp(dir)) {
        perror("bench_models: mkdtemp");
        return 1;
    }

    bench_results r;
    memset(&r, 0, sizeof r);
    ia_model *bert = NULL, *gpt2 = NULL;
    ia_tensor bert_ids[BENCH_MAX_BATCHES] = {{0}}, prompt = {0};
    char bert_dir[4200], gpt2_dir[4200];
    bool ok = true;
    if (!o.json)
        fprintf(stderr, "bench_models: synthesizing weights in %s ...\n", dir);
    if (o.bert) {
        ok = bench_make_model(dir, "bert", "bert-base-uncased", o.seed, bert_dir,
                              sizeof bert_dir);
        if (ok && ia_model_load(bert_dir, NULL, &bert, &err) != IA_OK) {
            fprintf(stderr, "bench_models: %s\n", err.message);
            ok = false;
        }
        for (int i = 0; ok && i < o.nbatches; i++)
            /* ids from 1000: ordinary word pieces, past [PAD], [UNK], [CLS] and the unused */
        ok = bench_ids(&bert_ids[i], o.batches[i], o.seq, 1000,
                           ia_model_config_get(bert)->vocab_size, o.seed * 1000 + (uint64_t)i);
    }
    if (ok && o.gpt2) {
        ok = bench_make_model(dir, "gpt2", "gpt2", o.seed, gpt2_dir, sizeof gpt2_dir);
        if (ok && ia_model_load(gpt2_dir, NULL, &gpt2, &err) != IA_OK) {
            fprintf(stderr, "bench_models: %s\n", err.message);
            ok = false;
        }
        ok = ok && bench_ids(&prompt, 1, o.prompt, 0, ia_model_config_get(gpt2)->vocab_size,
                             o.seed * 1000 + 999);
    }
    if (ok) { /* the inputs, for the peer */
        const char *names[BENCH_MAX_BATCHES + 1];
        ia_tensor ts[BENCH_MAX_BATCHES + 1];
        char bufs[BENCH_MAX_BATCHES][32];
        size_t n = 0;
        for (int i = 0; o.bert && i < o.nbatches; i++) {
            snprintf(bufs[i], sizeof bufs[i], "bert_ids_b%d", o.batches[i]);
            names[n] = bufs[i];
            ts[n++] = bert_ids[i];
        }
        if (o.gpt2) {
            names[n] = "gpt2_prompt";
            ts[n++] = prompt;
        }
        char path[4200];
        snprintf(path, sizeof path, "%s/inputs.safetensors", dir);
        if (ia_safetensors_write(path, names, ts, n, NULL, &err) != IA_OK) {
            fprintf(stderr, "bench_models: %s\n", err.message);
            ok = false;
        }
    }

    for (int i = 0; ok && o.bert && i < o.nbatches; i++) {
        if (!o.json)
            fprintf(stderr, "bench_models: ours, BERT-base batch %d ...\n", o.batches[i]);
        ok = bench_bert_ours(bert, &bert_ids[i], o.min_time, &r.bert_s[i], &r.bert_runs[i],
                             &r.bert_out[i], &r.bert_numel[i]);
    }
    if (ok && o.gpt2) {
        if (!o.json)
            fprintf(stderr, "bench_models: ours, GPT-2 ...\n");
        ok = bench_gpt2_ours(gpt2, &prompt, &o, &r);
    }
    /* Our models' memory goes back before PyTorch loads its copies. */
    const bool bert_synthetic = bert && ia_model_weights_synthetic(bert);
    const bool gpt2_synthetic = gpt2 && ia_model_weights_synthetic(gpt2);
    ia_model_free(bert);
    ia_model_free(gpt2);

    char probe[4400];
    snprintf(probe, sizeof probe, "'%s' -c 'import torch, numpy' >/dev/null 2>&1", python);
    bool have_torch = ok && o.peer && system(probe) == 0, peer_failed = false;
    for (int k = 0; have_torch && k < o.nsettings; k++) {
        bench_peer *p = &r.peers[r.npeers++];
        memset(p, 0, sizeof *p);
        p->torch_threads = o.peer_threads[k];
        p->ids_equal = -1;
        for (int i = 0; i < BENCH_MAX_BATCHES; i++)
            p->bert_s[i] = p->bert_diff[i] = -1;
        p->prefill_s = p->decode_tok_s = -1;
        if (!o.json)
            fprintf(stderr, "bench_models: PyTorch, torch threads %d ...\n", p->torch_threads);
        bench_run_peer(p, python, script, dir, bert_dir, gpt2_dir, &o, &r);
        if (!p->ran) /* torch is there, so a peer that fails is a failure to see */
            fprintf(stderr, "bench_models: the PyTorch peer failed: %s\n", p->error);
        peer_failed = peer_failed || !p->ran;
    }
    bench_cleanup(dir, o.keep);

    if (ok) {
        const int threads = ia_threadpool_size(ia_threadpool_global());
        ia_cpu_options copts = {0};
        ia_backend *be = ia_backend_cpu_create(&copts, &err);
        const char *isa = be ? ia_cpu_isa_name(ia_backend_cpu_isa(be)) : "?";
        const bool agree = bench_agree(&o, &r, stderr, false);
        if (o.json) {
            bench_print_json(&o, &r, isa, threads, agree);
        } else {
            bench_print(&o, &r, isa, threads);
            if (!have_torch && o.peer)
                printf("PyTorch: not run (%s cannot import torch and numpy: apt-get install "
                       "python3-torch)\n",
                       python);
            if ((o.bert && !bert_synthetic) || (o.gpt2 && !gpt2_synthetic))
                printf("warning: the weights are not marked synthetic\n");
        }
        ia_backend_free(be);
        if (!agree) {
            fprintf(stderr, "bench_models: ours and PyTorch do not agree (see above): the "
                            "figures are of a wrong computation\n");
            ok = false;
        }
    }
    for (int i = 0; i < BENCH_MAX_BATCHES; i++) {
        ia_tensor_free(&bert_ids[i]);
        free(r.bert_out[i]);
    }
    ia_tensor_free(&prompt);
    free(r.gpt2_ids);
    return ok && !peer_failed ? 0 : 1;
}
