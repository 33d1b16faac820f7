/*
 * Regression findings and baselines (schema 4). The analysis layer decides
 * what a finding is; this file only keeps them: a finding is added once per
 * series, method and first result, so running `regress` again over the same
 * history does not duplicate it nor reset a status a person set. Baselines
 * pin, per configuration, the result later runs are compared with. Every
 * call is its own transaction.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"


/* Says which allowed value was expected when value is not one of them. */
static ia_status check_word(const char *field, const char *value, const char *const *allowed,
                            ia_error *err)
{
    char list[128] = "";
    for (size_t i = 0; allowed[i]; i++) {
        if (value && !strcmp(value, allowed[i]))
            return IA_OK;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", allowed[i]);
    }
    return ia_error_set(err, IA_ERR_INVALID, "a finding's %s must be one of %s (got \"%s\")",
                        field, list, value ? value : "(none)");
}

static const char *const kinds[] = {"regression", "improvement", NULL};
static const char *const severities[] = {"minor", "major", "critical", NULL};
static const char *const methods[] = {"change-point", "baseline", NULL};
static const char *const statuses[] = {"detected", "acknowledged", "resolved", "false_positive",
                                       NULL};

static ia_status validate_finding(const ia_store_regression *f, ia_error *err)
{
    const ia_store_config *c = &f->config;
    if (!c->model || !*c->model || !c->hardware || !*c->hardware || !c->precision ||
        !*c->precision)
        return ia_error_set(err, IA_ERR_INVALID,
                            "a finding needs its configuration's model, hardware and precision");
    if (c->batch_size < 1 || c->seq_len < 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "a finding needs its configuration's batch_size (>= 1) and seq_len "
                            "(>= 0); got %lld and %lld",
                            (long long)c->batch_size, (long long)c->seq_len);
    if (!f->metric || !*f->metric)
        return ia_error_set(err, IA_ERR_INVALID, "a finding needs its metric");
    if (f->first_result_id <= 0)
        return ia_error_set(err, IA_ERR_INVALID, "a finding needs its first result's id");
    ia_status rc = check_word("kind", f->kind, kinds, err);
    if (rc == IA_OK)
        rc = check_word("severity", f->severity, severities, err);
    if (rc == IA_OK)
        rc = check_word("method", f->method, methods, err);
    return rc;
}

ia_status ia_store_add_regression(ia_store *store, const ia_store_regression *finding,
                                  int64_t *id, bool *is_new, ia_error *err)
{
    const char *what = "recording a regression finding";
    ia_status rc = validate_finding(finding, err);
    if (rc != IA_OK)
        return rc;
    if ((rc = ia_store_begin_write(store, what, err)) != IA_OK)
        return rc;
    const ia_store_config *c = &finding->config;
    const char *mode = c->mode ? c->mode : "inference";
    ia_store_answer a = {0};
    const ia_store_param result_key[] = {COUNT(finding->first_result_id)};
    rc = ia_store_run(store, what, "SELECT count(*) FROM performance_results WHERE result_id = $1",
             result_key, 1, &a, err);
    if (rc == IA_OK && a.first == 0)
        rc = ia_error_set(err, IA_ERR_NOT_FOUND, "%s: %s: no result %lld", store->path, what,
                          (long long)finding->first_result_id);

    const ia_store_param key[] = {TEXT(c->model), TEXT(c->hardware), COUNT(c->batch_size),
                         COUNT(c->seq_len), TEXT(c->precision), TEXT(mode),
                         TEXT(finding->metric), TEXT(finding->method),
                         COUNT(finding->first_result_id)};
    if (rc == IA_OK)
        rc = ia_store_run(store, what,
                 "SELECT g.regression_id FROM performance_regressions g"
                 " JOIN models m ON m.model_id = g.model_id"
                 " JOIN hardware_platforms h ON h.hardware_id = g.hardware_id"
                 " WHERE m.model_name = $1 AND h.hardware_name = $2 AND g.batch_size = $3"
                 " AND g.seq_len = $4 AND g.precision = $5 AND g.mode = $6 AND g.metric = $7"
                 " AND g.method = $8 AND g.first_result_id = $9",
                 key, sizeof key / sizeof key[0], &a, err);
    bool added = false;
    if (rc == IA_OK && !a.has_row) {
        const ia_store_param row[] = {TEXT(c->model), TEXT(c->hardware), COUNT(c->batch_size),
                             COUNT(c->seq_len), TEXT(c->precision), TEXT(mode),
                             TEXT(finding->metric), TEXT(finding->method),
                             COUNT(finding->first_result_id), TEXT(finding->kind),
                             TEXT(finding->severity), VALUE(finding->change_pct),
                             VALUE(finding->p_value), VALUE(finding->before_value),
                             VALUE(finding->after_value),
                             COUNT(finding->first_us > 0 ? finding->first_us : -1),
                             TEXT(finding->first_commit)};
        /* Without a time of its own the finding takes its first result's. */
        rc = ia_store_run(store, what,
                 "INSERT INTO performance_regressions (model_id, hardware_id, batch_size,"
                 " seq_len, precision, mode, metric, method, first_result_id, kind, severity,"
                 " change_pct, p_value, before_value, after_value, first_at, first_commit)"
                 " SELECT m.model_id, h.hardware_id, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                 "  $12, $13, $14, $15,"
                 "  coalesce(make_timestamp(CAST($16 AS BIGINT)), r.created_at),"
                 "  coalesce($17, r.git_commit)"
                 " FROM models m, hardware_platforms h, performance_results r"
                 " WHERE m.model_name = $1 AND h.hardware_name = $2 AND r.result_id = $9"
                 " RETURNING regression_id",
                 row, sizeof row / sizeof row[0], &a, err);
        if (rc == IA_OK && !a.has_row)
            rc = ia_error_set(err, IA_ERR_NOT_FOUND,
                              "%s: %s: the store has no model \"%s\" or hardware \"%s\"",
                              store->path, what, c->model, c->hardware);
        added = true;
    }
    rc = ia_store_finish(store, what, rc, err);
    if (rc != IA_OK)
        return rc;
    if (id)
        *id = a.first;
    if (is_new)
        *is_new = added;
    return IA_OK;
}

ia_status ia_store_set_regression_status(ia_store *store, int64_t id, const char *status,
                                         ia_error *err)
{
    const char *what = "setting a finding's status";
    ia_status rc = check_word("status", status, statuses, err);
    if (rc != IA_OK)
        return rc;
    if ((rc = ia_store_begin_write(store, what, err)) != IA_OK)
        return rc;
    const ia_store_param p[] = {TEXT(status), COUNT(id)};
    ia_store_answer a = {0};
    rc = ia_store_run(store, what,
             "UPDATE performance_regressions SET status = $1,"
             " updated_at = CAST(current_timestamp AS TIMESTAMP) WHERE regression_id = $2",
             p, 2, &a, err);
    if (rc == IA_OK && a.changed == 0)
        rc = ia_error_set(err, IA_ERR_NOT_FOUND, "%s: no regression finding %lld", store->path,
                          (long long)id);
    return ia_store_finish(store, what, rc, err);
}

/* The filter's six parameters, $1..$6, in the order FILTER_SQL reads them. */
#define FILTER_PARAMS(f)                                                                      \
    TEXT((f) ? (f)->model : NULL), TEXT((f) ? (f)->hardware : NULL),                          \
        COUNT((f) ? (f)->batch_size : -1), COUNT((f) ? (f)->seq_len : -1),                    \
        TEXT((f) ? (f)->precision : NULL), TEXT((f) ? (f)->mode : NULL)

/* Matches a row t holding model_id, hardware_id and the configuration. */
#define FILTER_SQL(t)                                                                         \
    " ($1 IS NULL OR " t ".model_id IN (SELECT model_id FROM models WHERE model_name = $1))"  \
    " AND ($2 IS NULL OR " t ".hardware_id IN (SELECT hardware_id FROM hardware_platforms"    \
    "  WHERE hardware_name = $2))"                                                            \
    " AND ($3 IS NULL OR " t ".batch_size = $3) AND ($4 IS NULL OR " t ".seq_len = $4)"       \
    " AND ($5 IS NULL OR " t ".precision = $5) AND ($6 IS NULL OR " t ".mode = $6)"

ia_status ia_store_set_baselines(ia_store *store, const ia_store_config *filter, size_t *count,
                                 ia_error *err)
{
    const char *what = "setting baselines";
    ia_status rc = ia_store_begin_write(store, what, err);
    if (rc != IA_OK)
        return rc;
    const ia_store_param p[] = {FILTER_PARAMS(filter)};
    ia_store_answer a = {0};
    /* Replacing is a delete then an insert inside this call's transaction,
     * so a failure keeps the old pins. Every pinned configuration has a
     * result, so the insert re-pins all that the delete removed. The newest
     * result is chosen as latest_performance chooses it. */
    rc = ia_store_run(store, what, "DELETE FROM performance_baselines b WHERE" FILTER_SQL("b"), p,
             sizeof p / sizeof p[0], NULL, err);
    if (rc == IA_OK)
        rc = ia_store_run(store, what,
                 "INSERT INTO performance_baselines (model_id, hardware_id, batch_size, seq_len,"
                 " precision, mode, result_id)"
                 " SELECT r.model_id, r.hardware_id, r.batch_size, r.seq_len, r.precision,"
                 "  r.mode, arg_max(r.result_id, (r.created_at, r.result_id))"
                 " FROM performance_results r WHERE" FILTER_SQL("r")
                 " GROUP BY r.model_id, r.hardware_id, r.batch_size, r.seq_len, r.precision,"
                 "  r.mode",
                 p, sizeof p / sizeof p[0], &a, err);
    rc = ia_store_finish(store, what, rc, err);
    if (rc == IA_OK && count)
        *count = (size_t)a.changed;
    return rc;
}

ia_status ia_store_clear_baselines(ia_store *store, const ia_store_config *filter,
                                   size_t *count, ia_error *err)
{
    const char *what = "clearing baselines";
    ia_status rc = ia_store_begin_write(store, what, err);
    if (rc != IA_OK)
        return rc;
    const ia_store_param p[] = {FILTER_PARAMS(filter)};
    ia_store_answer a = {0};
    rc = ia_store_run(store, what, "DELETE FROM performance_baselines b WHERE" FILTER_SQL("b"), p,
             sizeof p / sizeof p[0], &a, err);
    rc = ia_store_finish(store, what, rc, err);
    if (rc == IA_OK && count)
        *count = (size_t)a.changed;
    return rc;
}
