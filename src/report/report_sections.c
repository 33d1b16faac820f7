/* The sections of the reports that are tables of results: the facts at the
 * top, the fastest hardware per model, the latest results, hardware, runs,
 * models, timing. Every figure is the stored one; a simulated figure or one
 * measured on synthetic weights is labelled as such in the same row. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* How far a figure can be trusted, in one word: measured on real weights,
 * on synthetic weights (timing only), or simulated (not measured at all). */
static const char *provenance(const ia_rp_result *r)
{
    if (r->simulated)
        return "simulated";
    return r->weights_source && strcmp(r->weights_source, "synthetic") == 0 ? "synthetic weights"
                                                                            : "measured";
}

static double cv_percent(const ia_rp_result *r)
{
    if (!isnan(r->cv))
        return r->cv * 100;
    if (!isnan(r->stddev) && !isnan(r->mean) && r->mean > 0)
        return r->stddev / r->mean * 100;
    return NAN;
}

/* Half the width of the median's 95% interval, relative to the median, in
 * %: how far the p50 may be off. NAN without enough samples. */
static double ci_half_percent(const ia_rp_result *r)
{
    double mid = ia_rp_latency(r);
    if (isnan(r->p50_ci_low) || isnan(r->p50_ci_high) || !(mid > 0))
        return NAN;
    return (r->p50_ci_high - r->p50_ci_low) / 2 / mid * 100;
}

static double num_or_nan(int64_t v)
{
    return v < 0 ? NAN : (double)v;
}

/* The cells that name a configuration: model, hardware, batch, seq, precision. */
static void config_cells(ia_rp_ctx *c, ia_doc_table *t, const ia_rp_result *r)
{
    ia_doc_cell_text(c->doc, t, r->model);
    ia_doc_cell_text(c->doc, t, r->hardware);
    ia_doc_cell_num(c->doc, t, (double)r->batch_size);
    ia_doc_cell_num(c->doc, t, (double)r->seq_len);
    ia_doc_cell_text(c->doc, t, r->precision);
}

/* The CPU's latency for the same configuration, for speedups. */
static double cpu_latency(const ia_rp_data *d, const ia_rp_result *r)
{
    for (size_t i = 0; i < d->latest_count; i++) {
        const ia_rp_result *c = &d->latest[i];
        if (strcmp(c->hardware, "cpu") == 0 && strcmp(c->model, r->model) == 0 &&
            c->batch_size == r->batch_size && c->seq_len == r->seq_len &&
            strcmp(c->precision, r->precision) == 0 && strcmp(c->mode, r->mode) == 0)
            return ia_rp_latency(c);
    }
    return NAN;
}

void ia_rp_facts(ia_rp_ctx *c)
{
    const ia_rp_data *d = c->data;
    char a[32];
    ia_doc_fact(c->doc, "results", "results", "%lld", (long long)d->result_count);
    ia_doc_fact(c->doc, "configurations", "configurations", "%zu", d->latest_count);
    ia_doc_fact(c->doc, "models", "models", "%lld", (long long)d->model_count);
    ia_doc_fact(c->doc, "hardware", "hardware platforms", "%lld", (long long)d->hardware_count);
    ia_doc_fact(c->doc, "runs", "benchmark runs", "%zu", d->run_count);
    if (d->result_count)
        ia_doc_fact(c->doc, "latest", "latest result", "%s", ia_report_fmt_time(d->last_us, a));
    if (d->simulated_count)
        ia_doc_fact(c->doc, "simulated", "simulated (not measured)", "%lld",
                    (long long)d->simulated_count);
    if (d->synthetic_count)
        ia_doc_fact(c->doc, "synthetic", "on synthetic weights", "%lld",
                    (long long)d->synthetic_count);
    if (d->simulated_count)
        ia_doc_note(c->doc, "%lld result%s imported from a framework that simulated its "
                            "figures: labelled simulated wherever they appear, they are not "
                            "measurements.",
                    (long long)d->simulated_count, d->simulated_count == 1 ? " was" : "s were");
}

void ia_rp_fastest_table(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"hardware", "fastest hardware", NULL, false},
        {"batch_size", "batch", NULL, true},
        {"seq_len", "seq", NULL, true},
        {"precision", "precision", NULL, false},
        {"latency_ms_p50", "latency p50", "ms", true},
        {"p50_ci95_half_percent", "p50 ±95% CI", "%", true},
        {"throughput_items_per_s", "throughput", "items/s", true},
        {"speedup_vs_cpu", "vs CPU", "x", true},
        {"cv_percent", "CV", "%", true},
        {"samples", "samples", NULL, true},
        {"provenance", "figures", NULL, false},
    };
    const ia_rp_data *d = c->data;
    ia_doc_table *t = ia_doc_table_begin(c->doc, "fastest", "The fastest hardware for each "
                                                            "model, at its smallest batch size",
                                         cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < d->latest_count;) {
        size_t j = i;
        const ia_rp_result *best = NULL;
        int64_t batch = -1;
        for (; j < d->latest_count && strcmp(d->latest[j].model, d->latest[i].model) == 0; j++)
            if (!isnan(ia_rp_latency(&d->latest[j])) &&
                (batch < 0 || d->latest[j].batch_size < batch))
                batch = d->latest[j].batch_size;
        for (size_t k = i; k < j; k++) {
            const ia_rp_result *r = &d->latest[k];
            if (r->batch_size == batch && !isnan(ia_rp_latency(r)) &&
                (!best || ia_rp_latency(r) < ia_rp_latency(best)))
                best = r;
        }
        i = j;
        if (!best)
            continue;
        config_cells(c, t, best);
        ia_doc_cell_num(c->doc, t, ia_rp_latency(best));
        ia_doc_cell_num(c->doc, t, ci_half_percent(best));
        ia_doc_cell_num(c->doc, t, best->throughput);
        ia_doc_cell_num(c->doc, t, cpu_latency(d, best) / ia_rp_latency(best));
        ia_doc_cell_num(c->doc, t, cv_percent(best));
        ia_doc_cell_num(c->doc, t, (double)best->samples);
        ia_doc_cell_text(c->doc, t, provenance(best));
    }
    if (d->latest_count)
        ia_doc_note(c->doc, "Latency is the median (p50), or the mean where only a mean was "
                            "stored. How sure: the p50's 95%% confidence interval from the raw "
                            "samples (order statistics; 6 samples or more), as a share of the "
                            "p50, and the CV, the coefficient of variation of the timed "
                            "iterations (lower is steadier).");
}

void ia_rp_latest_table(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"hardware", "hardware", NULL, false},
        {"batch_size", "batch", NULL, true},
        {"seq_len", "seq", NULL, true},
        {"precision", "precision", NULL, false},
        {"mode", "mode", NULL, false},
        {"latency_ms_p50", "p50", "ms", true},
        {"latency_ms_p90", "p90", "ms", true},
        {"throughput_items_per_s", "throughput", "items/s", true},
        {"tokens_per_s", "tokens/s", NULL, true},
        {"memory_peak_mb", "memory", "MB", true},
        {"cv_percent", "CV", "%", true},
        {"provenance", "figures", NULL, false},
        {"measured_at", "measured", NULL, false},
    };
    const ia_rp_data *d = c->data;
    ia_doc_table *t = ia_doc_table_begin(c->doc, "latest", "The latest result of every "
                                                           "configuration",
                                         cols, sizeof cols / sizeof cols[0]);
    if (t)
        t->grouped = true;
    for (size_t i = 0; i < d->latest_count; i++) {
        const ia_rp_result *r = &d->latest[i];
        char when[32];
        config_cells(c, t, r);
        ia_doc_cell_text(c->doc, t, r->mode);
        ia_doc_cell_num(c->doc, t, ia_rp_latency(r));
        ia_doc_cell_num(c->doc, t, r->p90);
        ia_doc_cell_num(c->doc, t, r->throughput);
        ia_doc_cell_num(c->doc, t, r->tokens_per_s);
        ia_doc_cell_num(c->doc, t, r->memory_mb);
        ia_doc_cell_num(c->doc, t, cv_percent(r));
        ia_doc_cell_text(c->doc, t, provenance(r));
        ia_doc_cell_text(c->doc, t, ia_report_fmt_time(r->timestamp_us, when));
    }
}

/* The newest run that measured on this hardware, for its environment. */
static const ia_rp_run *latest_run_on(const ia_rp_data *d, const char *hardware)
{
    for (size_t i = 0; i < d->run_count; i++)
        if (d->runs[i].hardware && strcmp(d->runs[i].hardware, hardware) == 0)
            return &d->runs[i];
    return NULL;
}

void ia_rp_hardware_sections(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"batch_size", "batch", NULL, true},
        {"seq_len", "seq", NULL, true},
        {"precision", "precision", NULL, false},
        {"latency_ms_p50", "latency p50", "ms", true},
        {"throughput_items_per_s", "throughput", "items/s", true},
        {"speedup_vs_cpu", "vs CPU", "x", true},
        {"provenance", "figures", NULL, false},
    };
    const ia_rp_data *d = c->data;
    ia_rp_chart_latency_by_hardware(c, "latency-by-hardware");
    /* Results are sorted by model first: collect each platform's rows. */
    const char *hardware[256];
    size_t nh = 0;
    for (size_t i = 0; i < d->latest_count && nh < 256; i++) {
        bool seen = false;
        for (size_t k = 0; k < nh && !seen; k++)
            seen = strcmp(hardware[k], d->latest[i].hardware) == 0;
        if (!seen)
            hardware[nh++] = d->latest[i].hardware;
    }
    for (size_t h = 0; h < nh; h++) {
        ia_doc_heading(c->doc, 2, hardware[h]);
        const ia_rp_run *run = latest_run_on(d, hardware[h]);
        if (run) {
            ia_strbuf env = {0};
            char when[32];
            ia_rp_run_environment(run, &env);
            ia_doc_text(c->doc, "Last measured in run %lld on %s (host %s): %s.",
                        (long long)run->id, ia_report_fmt_time(run->started_us, when),
                        run->host ? run->host : "unknown", env.data ? env.data : "");
            ia_strbuf_free(&env);
        } else {
            ia_doc_note(c->doc, "No run with a hardware snapshot measured %s: its results were "
                                "imported, so the machine behind them is not known.",
                        hardware[h]);
        }
        char key[300], caption[300];
        snprintf(key, sizeof key, "hardware:%s", hardware[h]);
        snprintf(caption, sizeof caption, "The latest results on %s", hardware[h]);
        ia_doc_table *t = ia_doc_table_begin(c->doc, key, caption, cols,
                                             sizeof cols / sizeof cols[0]);
        for (size_t i = 0; i < d->latest_count; i++) {
            const ia_rp_result *r = &d->latest[i];
            if (strcmp(r->hardware, hardware[h]) != 0)
                continue;
            ia_doc_cell_text(c->doc, t, r->model);
            ia_doc_cell_num(c->doc, t, (double)r->batch_size);
            ia_doc_cell_num(c->doc, t, (double)r->seq_len);
            ia_doc_cell_text(c->doc, t, r->precision);
            ia_doc_cell_num(c->doc, t, ia_rp_latency(r));
            ia_doc_cell_num(c->doc, t, r->throughput);
            ia_doc_cell_num(c->doc, t, cpu_latency(d, r) / ia_rp_latency(r));
            ia_doc_cell_text(c->doc, t, provenance(r));
        }
    }
}

void ia_rp_runs_table(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"run_id", "run", NULL, true},
        {"started_at", "started", NULL, false},
        {"host", "host", NULL, false},
        {"hardware", "hardware", NULL, false},
        {"git_commit", "commit", NULL, false},
        {"git_branch", "branch", NULL, false},
        {"engine_version", "engine", NULL, false},
        {"environment", "environment", NULL, false},
        {"results", "results", NULL, true},
        {"status", "status", NULL, false},
    };
    const ia_rp_data *d = c->data;
    if (d->run_count == 0) {
        ia_doc_note(c->doc, "No benchmark run produced these results: they were imported "
                            "(db import), which records no run environment.");
        return;
    }
    ia_doc_table *t = ia_doc_table_begin(c->doc, "runs", "Benchmark runs, newest first", cols,
                                         sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < d->run_count; i++) {
        const ia_rp_run *r = &d->runs[i];
        char when[32];
        ia_strbuf env = {0};
        ia_rp_run_environment(r, &env);
        ia_doc_cell_num(c->doc, t, (double)r->id);
        ia_doc_cell_text(c->doc, t, ia_report_fmt_time(r->started_us, when));
        ia_doc_cell_text(c->doc, t, r->host);
        ia_doc_cell_text(c->doc, t, r->hardware);
        ia_doc_cell_text(c->doc, t, r->git_commit);
        ia_doc_cell_text(c->doc, t, r->git_branch);
        ia_doc_cell_text(c->doc, t, r->engine_version);
        ia_doc_cell_text(c->doc, t, env.data);
        ia_doc_cell_num(c->doc, t, (double)r->results);
        ia_doc_cell_text(c->doc, t, r->status);
        ia_strbuf_free(&env);
    }
}

/* model_type of each stored model, as the bench recorded it (or NULL). */
static const char *model_type_of(const ia_store_table *types, const char *model)
{
    for (size_t i = 0; types && i < types->rows; i++)
        if (types->cells[i * 2] && strcmp(types->cells[i * 2], model) == 0)
            return types->cells[i * 2 + 1];
    return NULL;
}

void ia_rp_models_table(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"family", "family", NULL, false},
        {"hardware", "hardware", NULL, false},
        {"configurations", "configurations", NULL, true},
        {"best_latency_ms", "best latency", "ms", true},
        {"best_latency_hardware", "on", NULL, false},
        {"best_throughput", "best throughput", "items/s", true},
        {"best_throughput_hardware", "on", NULL, false},
        {"provenance", "figures", NULL, false},
    };
    const ia_rp_data *d = c->data;
    ia_store_table *types = NULL;
    c->rc = ia_store_query(c->store, "SELECT model_name, model_type FROM models", &types, c->err);
    if (c->rc != IA_OK)
        return;
    ia_doc_table *t = ia_doc_table_begin(c->doc, "models", "Every model measured", cols,
                                         sizeof cols / sizeof cols[0]);
    bool any_guess = false;
    for (size_t i = 0; i < d->latest_count;) {
        size_t j = i;
        const ia_rp_result *fast = NULL, *wide = NULL;
        ia_strbuf hw = {0};
        bool any_simulated = false, any_synthetic = false, any_measured = false;
        for (; j < d->latest_count && strcmp(d->latest[j].model, d->latest[i].model) == 0; j++) {
            const ia_rp_result *r = &d->latest[j];
            if (j == i || strcmp(r->hardware, d->latest[j - 1].hardware) != 0)
                ia_strbuf_printf(&hw, "%s%s", j == i ? "" : ", ", r->hardware);
            if (!isnan(ia_rp_latency(r)) && (!fast || ia_rp_latency(r) < ia_rp_latency(fast)))
                fast = r;
            if (!isnan(r->throughput) && (!wide || r->throughput > wide->throughput))
                wide = r;
            const char *p = provenance(r);
            any_simulated |= strcmp(p, "simulated") == 0;
            any_synthetic |= strcmp(p, "synthetic weights") == 0;
            any_measured |= strcmp(p, "measured") == 0;
        }
        bool guessed = false;
        const char *model = d->latest[i].model;
        const char *family = ia_report_model_family(model, model_type_of(types, model), &guessed);
        char family_text[96];
        snprintf(family_text, sizeof family_text, "%s%s", family, guessed ? " (guessed)" : "");
        any_guess |= guessed;
        char prov[64];
        snprintf(prov, sizeof prov, "%s%s%s%s%s", any_measured ? "measured" : "",
                 any_measured && (any_synthetic || any_simulated) ? ", " : "",
                 any_synthetic ? "synthetic weights" : "",
                 any_synthetic && any_simulated ? ", " : "", any_simulated ? "simulated" : "");
        ia_doc_cell_text(c->doc, t, model);
        ia_doc_cell_text(c->doc, t, family_text);
        ia_doc_cell_text(c->doc, t, hw.data);
        ia_doc_cell_num(c->doc, t, (double)(j - i));
        ia_doc_cell_num(c->doc, t, fast ? ia_rp_latency(fast) : NAN);
        ia_doc_cell_text(c->doc, t, fast ? fast->hardware : "");
        ia_doc_cell_num(c->doc, t, wide ? wide->throughput : NAN);
        ia_doc_cell_text(c->doc, t, wide ? wide->hardware : "");
        ia_doc_cell_text(c->doc, t, prov);
        ia_strbuf_free(&hw);
        i = j;
    }
    if (any_guess)
        ia_doc_note(c->doc, "A family marked (guessed) comes from the model's name: the store "
                            "does not record its model type (results imported, not benchmarked "
                            "here).");
    ia_store_table_free(types);
}

void ia_rp_timing_tables(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"hardware", "hardware", NULL, false},
        {"batch_size", "batch", NULL, true},
        {"seq_len", "seq", NULL, true},
        {"precision", "precision", NULL, false},
        {"latency_ms_p50", "p50", "ms", true},
        {"p50_ci95_low", "p50 CI low", "ms", true},
        {"p50_ci95_high", "p50 CI high", "ms", true},
        {"latency_ms_p90", "p90", "ms", true},
        {"latency_ms_p99", "p99", "ms", true},
        {"latency_ms_mean", "mean", "ms", true},
        {"latency_ms_stddev", "sd", "ms", true},
        {"cv_percent", "CV", "%", true},
        {"throughput_items_per_s", "throughput", "items/s", true},
        {"tokens_per_s", "tokens/s", NULL, true},
        {"ttft_ms", "TTFT", "ms", true},
        {"memory_peak_mb", "memory", "MB", true},
        {"energy_joules", "energy", "J", true},
        {"warmup", "warmup", NULL, true},
        {"iterations", "iterations", NULL, true},
        {"samples", "samples", NULL, true},
        {"outliers", "outliers", NULL, true},
        {"provenance", "figures", NULL, false},
        {"run_id", "run", NULL, true},
        {"git_commit", "commit", NULL, false},
    };
    const ia_rp_data *d = c->data;
    ia_doc_text(c->doc, "For each model, hardware and batch size, the latest result: latency "
                        "percentiles from the timed iterations, the p50's 95%% confidence "
                        "interval from the raw samples (order statistics, 6 samples or more), "
                        "the settings they were measured "
                        "with (warmup and timed iterations, outliers flagged by the method), and "
                        "the run whose environment is listed below.");
    ia_doc_table *t = ia_doc_table_begin(c->doc, "timing", "Timing of every configuration", cols,
                                         sizeof cols / sizeof cols[0]);
    if (t)
        t->grouped = true;
    for (size_t i = 0; i < d->latest_count; i++) {
        const ia_rp_result *r = &d->latest[i];
        config_cells(c, t, r);
        ia_doc_cell_num(c->doc, t, r->p50);
        ia_doc_cell_num(c->doc, t, r->p50_ci_low);
        ia_doc_cell_num(c->doc, t, r->p50_ci_high);
        ia_doc_cell_num(c->doc, t, r->p90);
        ia_doc_cell_num(c->doc, t, r->p99);
        ia_doc_cell_num(c->doc, t, r->mean);
        ia_doc_cell_num(c->doc, t, r->stddev);
        ia_doc_cell_num(c->doc, t, cv_percent(r));
        ia_doc_cell_num(c->doc, t, r->throughput);
        ia_doc_cell_num(c->doc, t, r->tokens_per_s);
        ia_doc_cell_num(c->doc, t, r->ttft);
        ia_doc_cell_num(c->doc, t, r->memory_mb);
        ia_doc_cell_num(c->doc, t, r->energy_j);
        ia_doc_cell_num(c->doc, t, num_or_nan(r->warmup));
        ia_doc_cell_num(c->doc, t, num_or_nan(r->iterations));
        ia_doc_cell_num(c->doc, t, (double)r->samples);
        ia_doc_cell_num(c->doc, t, num_or_nan(r->outliers));
        ia_doc_cell_text(c->doc, t, provenance(r));
        ia_doc_cell_num(c->doc, t, r->run_id > 0 ? (double)r->run_id : NAN);
        ia_doc_cell_text(c->doc, t, r->git_commit);
    }
}
