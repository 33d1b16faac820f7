/*
 * The results store under load: append 1M results through the bulk path
 * (rows/s), then time the two queries reports run most: the latest result
 * per configuration (the latest_performance view) and a 30-day series for
 * one configuration. Goals from issue 6; figures in docs/performance.md.
 *
 *   build/bench/bench_store [ROWS] [FILE [keep]]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipfs_accelerate/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of runs of sql, in ms. */
static double time_query(ia_store *s, const char *sql, size_t *rows)
{
    double t[7];
    for (int i = 0; i < 7; i++) {
        ia_store_table *tab = NULL;
        ia_error err;
        double t0 = now_s();
        if (ia_store_query(s, sql, &tab, &err) != IA_OK) {
            fprintf(stderr, "bench_store: %s\n", err.message);
            exit(1);
        }
        t[i] = (now_s() - t0) * 1e3;
        *rows = tab->rows;
        ia_store_table_free(tab);
    }
    qsort(t, 7, sizeof t[0], cmp_double);
    return t[3];
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    char path[256];
    snprintf(path, sizeof path, "%s", argc > 2 ? argv[2] : "/tmp/bench_store.duckdb");
    char wal[300];
    snprintf(wal, sizeof wal, "%s.wal", path);
    remove(path);
    remove(wal);

    ia_store *s;
    ia_error err;
    if (ia_store_open(path, false, &s, &err) != IA_OK) {
        fprintf(stderr, "bench_store: %s\n", err.message);
        return 1;
    }
    /* 20 models x 4 platforms x 3 batch sizes x 2 precisions = 480
     * configurations; 1M results spread over the 90 days ending now are
     * one per configuration about every hour, ~700 of each in 30 days. */
    static const char *models[20] = {"bert-base", "gpt2", "vit-base", "whisper-tiny", "t5-small",
                                     "roberta", "distilbert", "llama-1b", "clip", "wav2vec2",
                                     "mistral-7b", "phi-2", "bart", "deit", "resnet50",
                                     "convnext", "albert", "electra", "xlnet", "opt-125m"};
    static const char *hws[4] = {"cpu", "cuda", "rocm", "openvino"};
    static const char *precs[2] = {"fp32", "fp16"};
    int64_t now_us = (int64_t)time(NULL) * 1000000;
    int64_t step_us = (int64_t)(90LL * 86400 * 1000000 / (rows / 480 + 1)); /* ~90 days */
    /* Phase 1: the whole history in one bulk transaction (an import).
     * Phase 2: ten more batches of 10k into the full store, each its own
     * transaction, which pay for the duplicate check against 1M rows. */
    const size_t extra = 100000, extra_batch = 10000;
    ia_store_result *batch = malloc((rows > extra_batch ? rows : extra_batch) * sizeof *batch);
    if (!batch)
        return 1;
    double append_s = 0, extra_s = 0;
    for (int phase = 0; phase < 2; phase++) {
        size_t total = phase == 0 ? rows : extra, chunk = phase == 0 ? rows : extra_batch;
        double t0 = now_s();
        for (size_t done = 0; done < total;) {
            size_t n = total - done < chunk ? total - done : chunk;
            for (size_t i = 0; i < n; i++) {
                size_t k = done + i + (phase ? rows : 0), cfg = k % 480, when = k / 480;
                ia_store_result r = ia_store_result_init();
                r.model = models[cfg % 20];
                r.hardware = hws[(cfg / 20) % 4];
                r.batch_size = 1 << (cfg / 80 % 3) * 2;
                r.precision = precs[cfg / 240];
                r.seq_len = 128;
                r.timestamp_us = now_us - (int64_t)when * step_us + (phase ? 1 : 0);
                r.iterations = 100;
                r.warmup = 10;
                r.latency_ms_p50 = 1.0 + (double)(k % 997) * 0.01;
                r.latency_ms_p90 = r.latency_ms_p50 * 1.1;
                r.latency_ms_p99 = r.latency_ms_p50 * 1.3;
                r.throughput_items_per_s = 1000.0 / r.latency_ms_p50;
                r.memory_peak_mb = 100 + (double)(k % 50);
                batch[i] = r;
            }
            if (ia_store_add_results_bulk(s, 0, batch, n, &err) != IA_OK) {
                fprintf(stderr, "bench_store: %s\n", err.message);
                return 1;
            }
            done += n;
        }
        *(phase == 0 ? &append_s : &extra_s) = now_s() - t0;
    }
    free(batch);
    double rate = (double)rows / append_s;

    size_t latest_rows = 0, series_rows = 0;
    double latest_ms = time_query(s, "SELECT * FROM latest_performance", &latest_rows);
    double series_ms = time_query(
        s,
        "SELECT date_trunc('day', r.created_at) AS day, avg(r.latency_ms_p50) AS p50,"
        " min(r.latency_ms_p50) AS best, count(*) AS n"
        " FROM performance_results r JOIN models m USING (model_id)"
        " JOIN hardware_platforms h USING (hardware_id)"
        " WHERE m.model_name = 'bert-base' AND h.hardware_name = 'cpu' AND r.batch_size = 1"
        " AND r.seq_len = 128 AND r.precision = 'fp32'"
        " AND r.created_at >= now()::TIMESTAMP - INTERVAL 30 DAY"
        " GROUP BY ALL ORDER BY day",
        &series_rows);
    ia_store_close(s);

    printf("store benchmark: %zu + %zu results, DuckDB %s, %ld CPUs online\n\n", rows, extra,
           ia_store_engine_version(), sysconf(_SC_NPROCESSORS_ONLN));
    printf("%-34s %14s %14s %5s\n", "measure", "value", "goal", "met");
    double extra_rate = (double)extra / extra_s;
    printf("%-34s %12.0f/s %12s/s %5s\n", "append 1M, one bulk transaction", rate, ">= 200000",
           rate >= 200000 ? "yes" : "no");
    printf("%-34s %12.0f/s %12s   %5s\n", "then 10 x 10k into the full store", extra_rate, "-",
           "-");
    printf("%-34s %11.1f ms %11s ms %5s\n", "SELECT * FROM latest_performance", latest_ms, "<= 50",
           latest_ms <= 50 ? "yes" : "no");
    printf("%-34s %11.1f ms %11s ms %5s\n", "30-day series, one configuration", series_ms,
           "<= 50", series_ms <= 50 ? "yes" : "no");
    printf("\n(latest_performance: %zu rows; series: %zu days; median of 7 runs)\n", latest_rows,
           series_rows);
    if (argc <= 3 || strcmp(argv[3], "keep") != 0) {
        remove(path);
        remove(wal);
    }
    return 0;
}
