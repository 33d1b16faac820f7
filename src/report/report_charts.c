/* The charts reports draw from the latest results: latency by hardware for
 * each model, throughput against batch size, and configurations' history.
 * Each chart shows a bounded number of models or series and says so when
 * it leaves some out, so a store of thousands of configurations still gives
 * charts a person can read. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/analyze.h"
#include "report_internal.h"

enum { MAX_MODELS = 20, MAX_HARDWARE = 8, MAX_LINES = 8 };

/* Distinct values of a text field over the latest results, in order of
 * first appearance (the results are sorted by model, then hardware). */
static size_t distinct(const ia_rp_data *d, size_t field_offset, const char **out, size_t cap,
                       size_t *total)
{
    size_t n = 0;
    *total = 0;
    for (size_t i = 0; i < d->latest_count; i++) {
        const char *v = *(char *const *)((const char *)&d->latest[i] + field_offset);
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], v) == 0;
        if (seen)
            continue;
        (*total)++;
        if (n < cap)
            out[n++] = v;
    }
    return n;
}

static int64_t smallest_batch(const ia_rp_data *d, const char *model)
{
    int64_t best = -1;
    for (size_t i = 0; i < d->latest_count; i++)
        if (strcmp(d->latest[i].model, model) == 0 && !isnan(ia_rp_latency(&d->latest[i])) &&
            (best < 0 || d->latest[i].batch_size < best))
            best = d->latest[i].batch_size;
    return best;
}

void ia_rp_chart_latency_by_hardware(ia_rp_ctx *c, const char *id)
{
    const ia_rp_data *d = c->data;
    const char *models[MAX_MODELS], *hardware[MAX_HARDWARE];
    size_t model_total, hw_total;
    size_t nm = distinct(d, offsetof(ia_rp_result, model), models, MAX_MODELS, &model_total);
    size_t nh = distinct(d, offsetof(ia_rp_result, hardware), hardware, MAX_HARDWARE, &hw_total);
    qsort(hardware, nh, sizeof hardware[0], ia_report_cmp_hardware);
    double values[MAX_HARDWARE][MAX_MODELS];
    char note_text[MAX_HARDWARE][MAX_MODELS][96];
    const char *notes[MAX_HARDWARE][MAX_MODELS];
    double lo = INFINITY, hi = 0;
    for (size_t h = 0; h < nh; h++)
        for (size_t m = 0; m < nm; m++) {
            values[h][m] = NAN;
            notes[h][m] = NULL;
            int64_t batch = smallest_batch(d, models[m]);
            for (size_t i = 0; i < d->latest_count; i++) {
                const ia_rp_result *r = &d->latest[i];
                double v = ia_rp_latency(r);
                if (strcmp(r->model, models[m]) || strcmp(r->hardware, hardware[h]) ||
                    r->batch_size != batch || isnan(v) || v >= values[h][m])
                    continue;
                values[h][m] = v;
                snprintf(note_text[h][m], sizeof note_text[h][m],
                         "batch %lld, seq %lld, %s%s", (long long)r->batch_size,
                         (long long)r->seq_len, r->precision,
                         r->simulated ? ", simulated" : "");
                notes[h][m] = note_text[h][m];
            }
            if (!isnan(values[h][m])) {
                lo = fmin(lo, values[h][m]);
                hi = fmax(hi, values[h][m]);
            }
        }
    ia_chart_series series[MAX_HARDWARE];
    for (size_t h = 0; h < nh; h++)
        series[h] = (ia_chart_series){.name = hardware[h], .y = values[h], .count = nm,
                                      .notes = notes[h]};
    ia_chart chart = {
        .kind = IA_CHART_BARS,
        .id = id,
        .title = "Latency by hardware (p50 at each model's smallest batch size; lower is better)",
        .x_label = "model",
        .y_label = "latency p50 (ms)",
        .unit = "ms",
        .log_y = hi > 0 && lo > 0 && hi / lo > 100,
        .categories = models,
        .category_count = nm,
        .series = series,
        .series_count = nh,
    };
    ia_doc_chart(c->doc, &chart);
    if (model_total > nm || hw_total > nh)
        ia_doc_note(c->doc, "The chart shows %zu of %zu models and %zu of %zu hardware platforms; "
                            "the tables list them all (narrow with --model or --hardware).",
                    nm, model_total, nh, hw_total);
}

/* A line of the throughput chart: one model, hardware, sequence length,
 * precision and mode across batch sizes. */
typedef struct line {
    const ia_rp_result *first;
    double x[64], y[64];
    size_t count;
} line;

static bool same_line(const ia_rp_result *a, const ia_rp_result *b)
{
    return strcmp(a->model, b->model) == 0 && strcmp(a->hardware, b->hardware) == 0 &&
           a->seq_len == b->seq_len && strcmp(a->precision, b->precision) == 0 &&
           strcmp(a->mode, b->mode) == 0;
}

void ia_rp_chart_throughput_by_batch(ia_rp_ctx *c, const char *id)
{
    const ia_rp_data *d = c->data;
    line *lines = calloc(MAX_LINES, sizeof *lines);
    if (!lines) {
        c->doc->failed = true;
        return;
    }
    size_t n = 0, qualifying = 0;
    /* Results are sorted so that one line's points are adjacent. */
    for (size_t i = 0; i < d->latest_count;) {
        size_t j = i;
        size_t points = 0;
        while (j < d->latest_count && same_line(&d->latest[i], &d->latest[j])) {
            points += !isnan(d->latest[j].throughput);
            j++;
        }
        if (points >= 2) {
            qualifying++;
            if (n < MAX_LINES) {
                line *l = &lines[n++];
                l->first = &d->latest[i];
                for (size_t k = i; k < j && l->count < 64; k++)
                    if (!isnan(d->latest[k].throughput)) {
                        l->x[l->count] = (double)d->latest[k].batch_size;
                        l->y[l->count++] = d->latest[k].throughput;
                    }
            }
        }
        i = j;
    }
    char names[MAX_LINES][160];
    ia_chart_series series[MAX_LINES];
    for (size_t k = 0; k < n; k++) {
        const ia_rp_result *r = lines[k].first;
        snprintf(names[k], sizeof names[k], "%s / %s, seq %lld, %s", r->model, r->hardware,
                 (long long)r->seq_len, r->precision);
        series[k] = (ia_chart_series){.name = names[k], .x = lines[k].x, .y = lines[k].y,
                                      .count = lines[k].count};
    }
    ia_chart chart = {
        .kind = IA_CHART_LINES,
        .id = id,
        .title = "Throughput against batch size (higher is better)",
        .x_label = "batch size",
        .y_label = "throughput (items/s)",
        .unit = "items/s",
        .series = series,
        .series_count = n,
    };
    ia_doc_chart(c->doc, &chart);
    if (qualifying == 0 && d->latest_count > 0)
        ia_doc_note(c->doc, "No configuration was measured at two batch sizes or more, so there "
                            "is no line to draw.");
    else if (qualifying > n)
        ia_doc_note(c->doc, "The chart shows %zu of the %zu configurations measured at several "
                            "batch sizes (narrow with --model or --hardware).",
                    n, qualifying);
    free(lines);
}

/* One configuration's history of one metric as a time chart, with a marker
 * at each point a stored finding starts. */
static void history_chart(ia_rp_ctx *c, const char *id, const ia_rp_result *r,
                          const ia_metric_info *metric)
{
    ia_rp_point *points = NULL;
    size_t count = 0;
    c->rc = ia_rp_history(c->store, c->opt, r, metric->name, &points, &count, c->err);
    if (c->rc != IA_OK)
        return;
    size_t cap = count ? count : 1;
    double *x = calloc(cap, sizeof *x), *y = calloc(cap, sizeof *y);
    const char **notes = calloc(cap, sizeof *notes);
    char (*note_text)[160] = calloc(cap, sizeof *note_text);
    bool *marked = calloc(cap, sizeof *marked), *improved = calloc(cap, sizeof *improved);
    if (!x || !y || !notes || !note_text || !marked || !improved) {
        c->doc->failed = true;
    } else {
        for (size_t i = 0; i < count; i++) {
            const ia_rp_point *p = &points[i];
            x[i] = (double)p->timestamp_us / 1e6;
            y[i] = p->value;
            marked[i] = p->finding != NULL;
            improved[i] = p->improvement;
            snprintf(note_text[i], sizeof note_text[i], "%s%s%s%s",
                     p->git_commit ? "commit " : "", p->git_commit ? p->git_commit : "",
                     p->finding && p->git_commit ? "; " : "", p->finding ? p->finding : "");
            notes[i] = note_text[i];
        }
        char title[320], y_label[96];
        snprintf(title, sizeof title, "%s / %s, batch %lld, seq %lld, %s: %s over time",
                 r->model, r->hardware, (long long)r->batch_size, (long long)r->seq_len,
                 r->precision, metric->label);
        snprintf(y_label, sizeof y_label, "%s (%s)", metric->label, metric->unit);
        ia_chart_series s = {.name = metric->label, .x = x, .y = y, .count = count,
                             .marked = marked, .improved = improved, .notes = notes};
        ia_chart chart = {.kind = IA_CHART_TIME, .id = id, .title = title,
                          .x_label = "time (UTC)", .y_label = y_label, .unit = metric->unit,
                          .series = &s, .series_count = 1};
        ia_doc_chart(c->doc, &chart);
    }
    free(x);
    free(y);
    free(notes);
    free(note_text);
    free(marked);
    free(improved);
    ia_rp_history_free(points, count);
}

static int cmp_history(const void *a, const void *b)
{
    const ia_rp_result *x = *(const ia_rp_result *const *)a, *y = *(const ia_rp_result *const *)b;
    if (x->history != y->history)
        return x->history < y->history ? 1 : -1;
    return x < y ? -1 : x > y;
}

void ia_rp_chart_histories(ia_rp_ctx *c, const char *id_prefix, size_t max_charts)
{
    const ia_rp_data *d = c->data;
    const ia_rp_result **pick = calloc(d->latest_count ? d->latest_count : 1, sizeof *pick);
    if (!pick) {
        c->doc->failed = true;
        return;
    }
    /* Configurations measured more than once whose latency is known. */
    size_t n = 0;
    for (size_t i = 0; i < d->latest_count; i++)
        if (d->latest[i].history >= 2 && !isnan(ia_rp_latency(&d->latest[i])))
            pick[n++] = &d->latest[i];
    qsort(pick, n, sizeof *pick, cmp_history);
    if (n == 0)
        ia_doc_note(c->doc, "No configuration's latency was measured more than once: a history "
                            "needs two results or more of the same model, hardware, batch size, "
                            "sequence length, precision and mode.");
    const ia_metric_info *latency = ia_metric_find("latency_ms_p50");
    for (size_t k = 0; k < n && k < max_charts && c->rc == IA_OK; k++) {
        char id[64];
        snprintf(id, sizeof id, "%s-%zu", id_prefix, k + 1);
        history_chart(c, id, pick[k], latency);
    }
    if (n > max_charts)
        ia_doc_note(c->doc, "%zu configurations have a latency history; the %zu measured most "
                            "often are drawn (narrow with --model or --hardware to see others).",
                    n, max_charts);
    free(pick);
}

void ia_rp_chart_findings(ia_rp_ctx *c, const char *id_prefix, size_t max_charts)
{
    if (!c->data->has_regressions)
        return;
    /* One chart per configuration and metric with a finding that still
     * matters, regressions first. */
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "SELECT model, hardware, batch_size, seq_len, precision, mode, metric"
                         " FROM regressions_view WHERE status IN ('detected', 'acknowledged')");
    if (c->opt->model && *c->opt->model) {
        ia_strbuf_puts(&sql, " AND contains(model, ");
        ia_store_put_literal(&sql, c->opt->model);
        ia_strbuf_puts(&sql, ")");
    }
    if (c->opt->hardware && *c->opt->hardware) {
        ia_strbuf_puts(&sql, " AND hardware = ");
        ia_store_put_literal(&sql, c->opt->hardware);
    }
    ia_strbuf_printf(&sql, " GROUP BY ALL ORDER BY bool_or(kind = 'regression') DESC,"
                           " max(abs(change_pct)) DESC, model, hardware LIMIT %zu",
                     max_charts);
    ia_store_table *t = NULL;
    c->rc = sql.failed ? ia_error_set(c->err, IA_ERR_NOMEM, "report: out of memory")
                       : ia_store_query(c->store, sql.data, &t, c->err);
    ia_strbuf_free(&sql);
    if (c->rc != IA_OK)
        return;
    for (size_t i = 0; i < t->rows && c->rc == IA_OK; i++) {
        const char *const *row = (const char *const *)&t->cells[i * t->columns];
        const ia_metric_info *metric = row[6] ? ia_metric_find(row[6]) : NULL;
        if (!metric || !row[0] || !row[1] || !row[4] || !row[5])
            continue;
        ia_rp_result r = {.model = (char *)row[0], .hardware = (char *)row[1],
                          .batch_size = strtoll(row[2], NULL, 10),
                          .seq_len = strtoll(row[3], NULL, 10), .precision = (char *)row[4],
                          .mode = (char *)row[5]};
        char id[64];
        snprintf(id, sizeof id, "%s-%zu", id_prefix, i + 1);
        history_chart(c, id, &r, metric);
    }
    ia_store_table_free(t);
}
