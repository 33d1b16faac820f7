/* Series from the results store: one configuration's history of one metric,
 * oldest first, with each result's raw samples when the metric is a latency
 * the samples measure. Read through ia_store_query (text cells), so this
 * layer never sees the database engine's types. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/analyze.h"

/* The filter's WHERE clause over results of metric column; simulated
 * selects the simulated results instead of the measured ones. */
static void put_where(ia_strbuf *b, const ia_series_filter *f, const char *column, bool simulated)
{
    ia_strbuf_printf(b, " WHERE r.is_simulated = %s AND r.%s IS NOT NULL",
                     simulated ? "true" : "false", column);
    if (f && f->model && *f->model) {
        ia_strbuf_puts(b, " AND contains(m.model_name, ");
        ia_store_put_literal(b, f->model);
        ia_strbuf_puts(b, ")");
    }
    if (f && f->hardware && *f->hardware) {
        ia_strbuf_puts(b, " AND h.hardware_name = ");
        ia_store_put_literal(b, f->hardware);
    }
    if (f && f->since_us > 0)
        ia_strbuf_printf(b, " AND r.created_at >= make_timestamp(%lld)", (long long)f->since_us);
}

static ia_status query(ia_store *store, ia_strbuf *sql, ia_store_table **t, ia_error *err)
{
    if (sql->failed) {
        ia_strbuf_free(sql);
        return ia_error_set(err, IA_ERR_NOMEM, "series: out of memory");
    }
    ia_status rc = ia_store_query(store, sql->data, t, err);
    ia_strbuf_free(sql);
    return rc;
}

static const char *cell(const ia_store_table *t, size_t r, size_t c)
{
    return t->cells[r * t->columns + c];
}

static bool same_config(const ia_store_table *t, size_t a, size_t b)
{
    for (size_t c = 0; c < 6; c++) {
        const char *x = cell(t, a, c), *y = cell(t, b, c);
        if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
            return false;
    }
    return true;
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Where each result's samples go: result ids sorted, with their point. */
typedef struct id_slot {
    int64_t result_id;
    ia_series_point *point;
} id_slot;

static int cmp_slot(const void *a, const void *b)
{
    int64_t x = ((const id_slot *)a)->result_id, y = ((const id_slot *)b)->result_id;
    return (x > y) - (x < y);
}

/* Reads the samples of every result in the series and points each point at
 * its own; the storage belongs to the first series. */
static ia_status attach_samples(ia_store *store, const ia_series_filter *f,
                                const ia_metric_info *metric, ia_series *series, size_t count,
                                ia_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += series[i].count;
    if (total == 0)
        return IA_OK;
    id_slot *slots = calloc(total, sizeof *slots);
    if (!slots)
        return ia_error_set(err, IA_ERR_NOMEM, "series: out of memory");
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < series[i].count; j++)
            slots[k++] = (id_slot){series[i].result_ids[j], &series[i].points[j]};
    qsort(slots, total, sizeof *slots, cmp_slot);

    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "SELECT s.result_id, s.latency_ms FROM performance_samples s"
                         " JOIN performance_results r USING (result_id)"
                         " JOIN models m USING (model_id) JOIN hardware_platforms h"
                         " USING (hardware_id)");
    put_where(&sql, f, metric->name, false);
    ia_strbuf_puts(&sql, " ORDER BY s.result_id, s.iteration");
    ia_store_table *t = NULL;
    ia_status rc = query(store, &sql, &t, err);
    if (rc != IA_OK) {
        free(slots);
        return rc;
    }
    double *storage = t->rows ? malloc(t->rows * sizeof *storage) : NULL;
    if (t->rows && !storage) {
        ia_store_table_free(t);
        free(slots);
        return ia_error_set(err, IA_ERR_NOMEM, "series: out of memory");
    }
    for (size_t r = 0; r < t->rows;) {
        int64_t id = strtoll(cell(t, r, 0), NULL, 10);
        size_t start = r;
        while (r < t->rows && strtoll(cell(t, r, 0), NULL, 10) == id) {
            storage[r] = strtod(cell(t, r, 1), NULL);
            r++;
        }
        id_slot key = {id, NULL};
        id_slot *slot = bsearch(&key, slots, total, sizeof *slots, cmp_slot);
        if (slot) {
            slot->point->samples = storage + start;
            slot->point->sample_count = r - start;
        }
    }
    series[0].sample_storage = storage;
    ia_store_table_free(t);
    free(slots);
    return IA_OK;
}

ia_status ia_series_load(ia_store *store, const ia_series_filter *f, const ia_metric_info *metric,
                         ia_series **out, size_t *count, size_t *skipped_simulated,
                         ia_error *err)
{
    *out = NULL;
    *count = 0;
    if (skipped_simulated)
        *skipped_simulated = 0;
    ia_strbuf sql = {0};
    ia_strbuf_printf(&sql, "SELECT m.model_name, h.hardware_name, r.batch_size, r.seq_len,"
                           " r.precision, r.mode, epoch_us(r.created_at), r.result_id,"
                           " r.git_commit, r.%s FROM performance_results r"
                           " JOIN models m USING (model_id) JOIN hardware_platforms h"
                           " USING (hardware_id)",
                     metric->name);
    put_where(&sql, f, metric->name, false);
    ia_strbuf_puts(&sql, " ORDER BY m.model_name, h.hardware_name, r.batch_size, r.seq_len,"
                         " r.precision, r.mode, r.created_at, r.result_id");
    ia_store_table *t = NULL;
    ia_status rc = query(store, &sql, &t, err);
    if (rc != IA_OK)
        return rc;

    size_t n = 0;
    for (size_t r = 0; r < t->rows; r++)
        n += r == 0 || !same_config(t, r - 1, r);
    ia_series *series = n ? calloc(n, sizeof *series) : NULL;
    if (n && !series) {
        ia_store_table_free(t);
        return ia_error_set(err, IA_ERR_NOMEM, "series: out of memory");
    }
    size_t s = 0;
    for (size_t r = 0; r < t->rows && rc == IA_OK; s++) {
        size_t end = r + 1;
        while (end < t->rows && same_config(t, r, end))
            end++;
        ia_series *x = &series[s];
        size_t len = end - r;
        x->model = dup(cell(t, r, 0));
        x->hardware = dup(cell(t, r, 1));
        x->batch_size = strtoll(cell(t, r, 2), NULL, 10);
        x->seq_len = strtoll(cell(t, r, 3), NULL, 10);
        x->precision = dup(cell(t, r, 4));
        x->mode = dup(cell(t, r, 5));
        x->metric = metric;
        x->points = calloc(len, sizeof *x->points);
        x->times = calloc(len, sizeof *x->times);
        x->result_ids = calloc(len, sizeof *x->result_ids);
        x->commits = calloc(len, sizeof *x->commits);
        if (!x->model || !x->hardware || !x->precision || !x->mode || !x->points || !x->times ||
            !x->result_ids || !x->commits) {
            rc = ia_error_set(err, IA_ERR_NOMEM, "series: out of memory");
            break;
        }
        for (size_t i = 0; i < len; i++) {
            x->times[i] = (double)strtoll(cell(t, r + i, 6), NULL, 10) / 1e6;
            x->result_ids[i] = strtoll(cell(t, r + i, 7), NULL, 10);
            x->commits[i] = dup(cell(t, r + i, 8));
            x->points[i].value = strtod(cell(t, r + i, 9), NULL);
        }
        x->count = len;
        r = end;
    }
    ia_store_table_free(t);
    if (rc == IA_OK && metric->has_samples)
        rc = attach_samples(store, f, metric, series, n, err);
    if (rc == IA_OK && skipped_simulated) {
        ia_strbuf q = {0};
        ia_strbuf_printf(&q, "SELECT count(*) FROM performance_results r JOIN models m"
                             " USING (model_id) JOIN hardware_platforms h USING (hardware_id)");
        put_where(&q, f, metric->name, true);
        ia_store_table *c = NULL;
        rc = query(store, &q, &c, err);
        if (rc == IA_OK) {
            *skipped_simulated = c->rows ? (size_t)strtoll(cell(c, 0, 0), NULL, 10) : 0;
            ia_store_table_free(c);
        }
    }
    if (rc != IA_OK) {
        ia_series_free(series, n);
        return rc;
    }
    *out = series;
    *count = n;
    return IA_OK;
}

void ia_series_free(ia_series *series, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        ia_series *x = &series[i];
        free(x->model);
        free(x->hardware);
        free(x->precision);
        free(x->mode);
        for (size_t j = 0; x->commits && j < x->count; j++)
            free(x->commits[j]);
        free(x->commits);
        free(x->points);
        free(x->times);
        free(x->result_ids);
        free(x->sample_storage);
    }
    free(series);
}
