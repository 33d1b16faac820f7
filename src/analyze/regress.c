/* Regression detection over the store: every series of every metric asked
 * for goes through change-point detection (changepoint.c); each change
 * becomes a finding, a regression or an improvement by the metric's
 * direction. Findings are stored so that people can acknowledge or resolve
 * them and reports can show them. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/analyze.h"

const char *ia_finding_severity(double change, double threshold)
{
    if (isnan(change))
        return "major";
    double a = fabs(change);
    if (threshold <= 0)
        threshold = 0.05;
    return a < 2 * threshold ? "minor" : a < 5 * threshold ? "major" : "critical";
}

/* A growing array of findings. */
typedef struct finding_list {
    ia_finding *v;
    size_t n, cap;
} finding_list;

static ia_finding *list_add(finding_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        ia_finding *grown = realloc(l->v, cap * sizeof *grown);
        if (!grown)
            return NULL;
        l->v = grown;
        l->cap = cap;
    }
    ia_finding *f = &l->v[l->n++];
    *f = (ia_finding){0};
    return f;
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Fills a finding's configuration and result from series x at point i. */
static bool describe(ia_finding *f, const ia_series *x, size_t i, const ia_change *c,
                     const char *method, double threshold)
{
    f->model = dup(x->model);
    f->hardware = dup(x->hardware);
    f->precision = dup(x->precision);
    f->mode = dup(x->mode);
    f->batch_size = x->batch_size;
    f->seq_len = x->seq_len;
    f->metric = x->metric;
    bool worse = x->metric->higher_is_better ? c->after < c->before : c->after > c->before;
    f->kind = worse ? "regression" : "improvement";
    f->severity = ia_finding_severity(c->change_pct / 100, threshold);
    f->method = method;
    f->change_pct = c->change_pct;
    f->p_value = c->p_value;
    f->before = c->before;
    f->after = c->after;
    f->first_result_id = x->result_ids[i];
    f->first_us = (int64_t)llround(x->times[i] * 1e6);
    f->first_commit = dup(x->commits[i]);
    return f->model && f->hardware && f->precision && f->mode &&
           (!x->commits[i] || f->first_commit);
}

ia_status ia_regress_detect(ia_store *store, const ia_series_filter *filter,
                            const ia_metric_info *const *metrics, size_t metric_count,
                            const ia_change_options *options, ia_finding **out, size_t *count,
                            size_t *analyzed, ia_error *err)
{
    *out = NULL;
    *count = 0;
    *analyzed = 0;
    finding_list list = {0};
    ia_status rc = IA_OK;
    enum { MAX_CHANGES = 64 };
    ia_change changes[MAX_CHANGES];
    for (size_t m = 0; m < metric_count && rc == IA_OK; m++) {
        ia_series *series = NULL;
        size_t n = 0;
        rc = ia_series_load(store, filter, metrics[m], &series, &n, NULL, err);
        for (size_t s = 0; s < n && rc == IA_OK; s++) {
            const ia_series *x = &series[s];
            size_t found = 0;
            if (x->count >= 2 * options->min_segment)
                (*analyzed)++;
            rc = ia_detect_changes(x->points, x->count, options, changes, MAX_CHANGES, &found,
                                   err);
            for (size_t k = 0; k < found && rc == IA_OK; k++) {
                ia_finding *f = list_add(&list);
                if (!f || !describe(f, x, changes[k].index, &changes[k], "change-point",
                                    options->min_effect))
                    rc = ia_error_set(err, IA_ERR_NOMEM, "regress: out of memory");
            }
        }
        ia_series_free(series, n);
    }
    if (rc != IA_OK) {
        ia_findings_free(list.v, list.n);
        return rc;
    }
    *out = list.v;
    *count = list.n;
    return IA_OK;
}

ia_status ia_findings_store(ia_store *store, ia_finding *findings, size_t count, ia_error *err)
{
    for (size_t i = 0; i < count; i++) {
        ia_finding *f = &findings[i];
        ia_store_regression r = {
            .config = {f->model, f->hardware, f->precision, f->mode, f->batch_size, f->seq_len},
            .metric = f->metric->name,
            .kind = f->kind,
            .severity = f->severity,
            .change_pct = f->change_pct,
            .p_value = f->p_value,
            .before_value = f->before,
            .after_value = f->after,
            .first_result_id = f->first_result_id,
            .first_us = f->first_us,
            .first_commit = f->first_commit,
            .method = f->method,
        };
        ia_status rc = ia_store_add_regression(store, &r, &f->id, &f->is_new, err);
        if (rc != IA_OK)
            return rc;
        /* Its status: new findings are "detected"; an old one keeps what
         * people said of it. */
        char sql[128];
        snprintf(sql, sizeof sql,
                 "SELECT status FROM performance_regressions WHERE regression_id = %lld",
                 (long long)f->id);
        ia_store_table *t = NULL;
        if ((rc = ia_store_query(store, sql, &t, err)) != IA_OK)
            return rc;
        free(f->status);
        f->status = dup(t->rows && t->cells[0] ? t->cells[0] : "detected");
        ia_store_table_free(t);
        if (!f->status)
            return ia_error_set(err, IA_ERR_NOMEM, "regress: out of memory");
    }
    return IA_OK;
}

void ia_findings_free(ia_finding *findings, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(findings[i].model);
        free(findings[i].hardware);
        free(findings[i].precision);
        free(findings[i].mode);
        free(findings[i].first_commit);
        free(findings[i].status);
    }
    free(findings);
}
