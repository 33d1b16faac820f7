/* Comparison with pinned baselines: the latest result of each configuration
 * against the result pinned by `baseline set`, on the raw samples of the
 * two (Mann-Whitney U) and on the effect size of their p50 latency. A pair
 * without samples on both sides cannot be tested and gives no finding. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/analyze.h"

static const char *cell(const ia_store_table *t, size_t r, size_t c)
{
    return t->cells[r * t->columns + c];
}

/* The samples of one result, oldest iteration first. */
static ia_status load_samples(ia_store *store, int64_t result_id, double **out, size_t *n,
                              ia_error *err)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT latency_ms FROM performance_samples WHERE result_id = %lld"
             " ORDER BY iteration",
             (long long)result_id);
    ia_store_table *t = NULL;
    ia_status rc = ia_store_query(store, sql, &t, err);
    if (rc != IA_OK)
        return rc;
    *n = t->rows;
    *out = t->rows ? malloc(t->rows * sizeof **out) : NULL;
    if (t->rows && !*out) {
        ia_store_table_free(t);
        return ia_error_set(err, IA_ERR_NOMEM, "baseline: out of memory");
    }
    for (size_t i = 0; i < t->rows; i++)
        (*out)[i] = strtod(cell(t, i, 0), NULL);
    ia_store_table_free(t);
    return IA_OK;
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

ia_status ia_regress_against_baseline(ia_store *store, const ia_series_filter *filter,
                                      const ia_change_options *options, ia_finding **out,
                                      size_t *count, size_t *compared, ia_error *err)
{
    *out = NULL;
    *count = 0;
    *compared = 0;
    const ia_metric_info *metric = ia_metric_find("latency_ms_p50");
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql,
                   "WITH latest AS (SELECT arg_max(result_id, (created_at, result_id))"
                   " AS result_id FROM performance_results WHERE NOT is_simulated"
                   " GROUP BY model_id, hardware_id, batch_size, seq_len, precision, mode)"
                   " SELECT m.model_name, h.hardware_name, b.batch_size, b.seq_len,"
                   " b.precision, b.mode, b.result_id, lr.result_id, br.latency_ms_p50,"
                   " lr.latency_ms_p50, epoch_us(lr.created_at), lr.git_commit"
                   " FROM performance_baselines b"
                   " JOIN performance_results br ON br.result_id = b.result_id"
                   " JOIN performance_results lr ON lr.model_id = b.model_id"
                   "  AND lr.hardware_id = b.hardware_id AND lr.batch_size = b.batch_size"
                   "  AND lr.seq_len = b.seq_len AND lr.precision = b.precision"
                   "  AND lr.mode = b.mode AND lr.result_id IN (SELECT result_id FROM latest)"
                   " JOIN models m ON m.model_id = b.model_id"
                   " JOIN hardware_platforms h ON h.hardware_id = b.hardware_id WHERE true");
    if (filter && filter->model && *filter->model) {
        ia_strbuf_puts(&sql, " AND contains(m.model_name, ");
        ia_store_put_literal(&sql, filter->model);
        ia_strbuf_puts(&sql, ")");
    }
    if (filter && filter->hardware && *filter->hardware) {
        ia_strbuf_puts(&sql, " AND h.hardware_name = ");
        ia_store_put_literal(&sql, filter->hardware);
    }
    ia_strbuf_puts(&sql, " ORDER BY 1, 2, 3, 4, 5, 6");
    if (sql.failed) {
        ia_strbuf_free(&sql);
        return ia_error_set(err, IA_ERR_NOMEM, "baseline: out of memory");
    }
    ia_store_table *t = NULL;
    ia_status rc = ia_store_query(store, sql.data, &t, err);
    ia_strbuf_free(&sql);
    if (rc != IA_OK)
        return rc;
    ia_finding *list = t->rows ? calloc(t->rows, sizeof *list) : NULL;
    if (t->rows && !list) {
        ia_store_table_free(t);
        return ia_error_set(err, IA_ERR_NOMEM, "baseline: out of memory");
    }
    size_t n = 0;
    for (size_t r = 0; r < t->rows && rc == IA_OK; r++) {
        int64_t base_id = strtoll(cell(t, r, 6), NULL, 10);
        int64_t last_id = strtoll(cell(t, r, 7), NULL, 10);
        (*compared)++;
        if (base_id == last_id || !cell(t, r, 8) || !cell(t, r, 9))
            continue; /* nothing newer than the baseline, or no figure */
        double before = strtod(cell(t, r, 8), NULL), after = strtod(cell(t, r, 9), NULL);
        double *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        rc = load_samples(store, base_id, &a, &na, err);
        if (rc == IA_OK)
            rc = load_samples(store, last_id, &b, &nb, err);
        double p = rc == IA_OK && na >= 2 && nb >= 2 ? ia_mann_whitney_p(a, na, b, nb) : NAN;
        free(a);
        free(b);
        if (rc != IA_OK || isnan(p) || before <= 0)
            continue;
        double change = after / before - 1;
        if (p >= options->alpha || fabs(change) < options->min_effect)
            continue;
        ia_finding *f = &list[n++];
        f->model = dup(cell(t, r, 0));
        f->hardware = dup(cell(t, r, 1));
        f->batch_size = strtoll(cell(t, r, 2), NULL, 10);
        f->seq_len = strtoll(cell(t, r, 3), NULL, 10);
        f->precision = dup(cell(t, r, 4));
        f->mode = dup(cell(t, r, 5));
        f->metric = metric;
        f->kind = change > 0 ? "regression" : "improvement"; /* latency: lower is better */
        f->severity = ia_finding_severity(change, options->min_effect);
        f->method = "baseline";
        f->change_pct = 100 * change;
        f->p_value = p;
        f->before = before;
        f->after = after;
        f->first_result_id = last_id;
        f->first_us = strtoll(cell(t, r, 10), NULL, 10);
        f->first_commit = dup(cell(t, r, 11));
        if (!f->model || !f->hardware || !f->precision || !f->mode)
            rc = ia_error_set(err, IA_ERR_NOMEM, "baseline: out of memory");
    }
    ia_store_table_free(t);
    if (rc != IA_OK) {
        ia_findings_free(list, n);
        return rc;
    }
    *out = list;
    *count = n;
    return IA_OK;
}
