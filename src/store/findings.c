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

/* One bound parameter; NULL text, a negative count or a NAN double is SQL
 * NULL, which is what "unknown" and "any" mean in the store's API. */
typedef enum param_kind { PARAM_TEXT, PARAM_INT, PARAM_DOUBLE } param_kind;

typedef struct param {
    param_kind kind;
    const char *text;
    int64_t count;
    double value;
} param;

#define TEXT(s) {PARAM_TEXT, (s), 0, 0}
#define COUNT(n) {PARAM_INT, NULL, (n), 0}
#define VALUE(v) {PARAM_DOUBLE, NULL, 0, (v)}

typedef struct answer {
    bool has_row;
    int64_t first;   /* the first cell of the first row, when has_row */
    int64_t changed; /* rows an INSERT, UPDATE or DELETE touched */
} answer;

static ia_status run(ia_store *store, const char *what, const char *sql, const param *params,
                     size_t count, answer *out, ia_error *err)
{
    duckdb_prepared_statement st;
    if (duckdb_prepare(store->con, sql, &st) != DuckDBSuccess) {
        ia_error_set(err, IA_ERR_INTERNAL, "%s: %s: %s", store->path, what,
                     duckdb_prepare_error(st));
        duckdb_destroy_prepare(&st);
        return IA_ERR_INTERNAL;
    }
    for (size_t i = 0; i < count; i++) {
        const param *p = &params[i];
        idx_t at = i + 1;
        if (p->kind == PARAM_TEXT && p->text)
            duckdb_bind_varchar(st, at, p->text);
        else if (p->kind == PARAM_INT && p->count >= 0)
            duckdb_bind_int64(st, at, p->count);
        else if (p->kind == PARAM_DOUBLE && !isnan(p->value))
            duckdb_bind_double(st, at, p->value);
        else
            duckdb_bind_null(st, at);
    }
    duckdb_result res;
    ia_status rc = IA_OK;
    if (duckdb_execute_prepared(st, &res) != DuckDBSuccess) {
        rc = ia_error_set(err, IA_ERR_IO, "%s: %s: %s", store->path, what,
                          duckdb_result_error(&res));
    } else if (out) {
        out->has_row = duckdb_row_count(&res) > 0 && duckdb_column_count(&res) > 0;
        out->first = out->has_row ? duckdb_value_int64(&res, 0, 0) : 0;
        out->changed = (int64_t)duckdb_rows_changed(&res);
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&st);
    return rc;
}

static ia_status begin(ia_store *store, const char *what, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only; %s needs a writable store",
                            store->path, what);
    return ia_store_exec(store, what, "BEGIN TRANSACTION", err);
}

static ia_status finish(ia_store *store, const char *what, ia_status rc, ia_error *err)
{
    if (rc == IA_OK)
        rc = ia_store_exec(store, what, "COMMIT", err);
    if (rc != IA_OK)
        ia_store_rollback(store);
    return rc;
}

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
    if ((rc = begin(store, what, err)) != IA_OK)
        return rc;
    const ia_store_config *c = &finding->config;
    const char *mode = c->mode ? c->mode : "inference";
    answer a = {0};
    const param result_key[] = {COUNT(finding->first_result_id)};
    rc = run(store, what, "SELECT count(*) FROM performance_results WHERE result_id = $1",
             result_key, 1, &a, err);
    if (rc == IA_OK && a.first == 0)
        rc = ia_error_set(err, IA_ERR_NOT_FOUND, "%s: %s: no result %lld", store->path, what,
                          (long long)finding->first_result_id);

    const param key[] = {TEXT(c->model), TEXT(c->hardware), COUNT(c->batch_size),
                         COUNT(c->seq_len), TEXT(c->precision), TEXT(mode),
                         TEXT(finding->metric), TEXT(finding->method),
                         COUNT(finding->first_result_id)};
    if (rc == IA_OK)
        rc = run(store, what,
                 "SELECT g.regression_id FROM performance_regressions g"
                 " JOIN models m ON m.model_id = g.model_id"
                 " JOIN hardware_platforms h ON h.hardware_id = g.hardware_id"
                 " WHERE m.model_name = $1 AND h.hardware_name = $2 AND g.batch_size = $3"
                 " AND g.seq_len = $4 AND g.precision = $5 AND g.mode = $6 AND g.metric = $7"
                 " AND g.method = $8 AND g.first_result_id = $9",
                 key, sizeof key / sizeof key[0], &a, err);
    bool added = false;
    if (rc == IA_OK && !a.has_row) {
        const param row[] = {TEXT(c->model), TEXT(c->hardware), COUNT(c->batch_size),
                             COUNT(c->seq_len), TEXT(c->precision), TEXT(mode),
                             TEXT(finding->metric), TEXT(finding->method),
                             COUNT(finding->first_result_id), TEXT(finding->kind),
                             TEXT(finding->severity), VALUE(finding->change_pct),
                             VALUE(finding->p_value), VALUE(finding->before_value),
                             VALUE(finding->after_value),
                             COUNT(finding->first_us > 0 ? finding->first_us : -1),
                             TEXT(finding->first_commit)};
        /* Without a time of its own the finding takes its first result's. */
        rc = run(store, what,
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
    rc = finish(store, what, rc, err);
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
    if ((rc = begin(store, what, err)) != IA_OK)
        return rc;
    const param p[] = {TEXT(status), COUNT(id)};
    answer a = {0};
    rc = run(store, what,
             "UPDATE performance_regressions SET status = $1,"
             " updated_at = CAST(current_timestamp AS TIMESTAMP) WHERE regression_id = $2",
             p, 2, &a, err);
    if (rc == IA_OK && a.changed == 0)
        rc = ia_error_set(err, IA_ERR_NOT_FOUND, "%s: no regression finding %lld", store->path,
                          (long long)id);
    return finish(store, what, rc, err);
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
    ia_status rc = begin(store, what, err);
    if (rc != IA_OK)
        return rc;
    const param p[] = {FILTER_PARAMS(filter)};
    answer a = {0};
    /* Replacing is a delete then an insert inside this call's transaction,
     * so a failure keeps the old pins. Every pinned configuration has a
     * result, so the insert re-pins all that the delete removed. The newest
     * result is chosen as latest_performance chooses it. */
    rc = run(store, what, "DELETE FROM performance_baselines b WHERE" FILTER_SQL("b"), p,
             sizeof p / sizeof p[0], NULL, err);
    if (rc == IA_OK)
        rc = run(store, what,
                 "INSERT INTO performance_baselines (model_id, hardware_id, batch_size, seq_len,"
                 " precision, mode, result_id)"
                 " SELECT r.model_id, r.hardware_id, r.batch_size, r.seq_len, r.precision,"
                 "  r.mode, arg_max(r.result_id, (r.created_at, r.result_id))"
                 " FROM performance_results r WHERE" FILTER_SQL("r")
                 " GROUP BY r.model_id, r.hardware_id, r.batch_size, r.seq_len, r.precision,"
                 "  r.mode",
                 p, sizeof p / sizeof p[0], &a, err);
    rc = finish(store, what, rc, err);
    if (rc == IA_OK && count)
        *count = (size_t)a.changed;
    return rc;
}

ia_status ia_store_clear_baselines(ia_store *store, const ia_store_config *filter,
                                   size_t *count, ia_error *err)
{
    const char *what = "clearing baselines";
    ia_status rc = begin(store, what, err);
    if (rc != IA_OK)
        return rc;
    const param p[] = {FILTER_PARAMS(filter)};
    answer a = {0};
    rc = run(store, what, "DELETE FROM performance_baselines b WHERE" FILTER_SQL("b"), p,
             sizeof p / sizeof p[0], &a, err);
    rc = finish(store, what, rc, err);
    if (rc == IA_OK && count)
        *count = (size_t)a.changed;
    return rc;
}
