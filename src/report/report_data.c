/* What a report reads from the store: the newest result of every
 * configuration, the runs with their environment, counts, and on demand the
 * history of one configuration. Everything goes through ia_store_query, so
 * the report layer never sees the database engine's types; filters are
 * written into the SQL as quoted literals. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/analyze.h"
#include "report_internal.h"

/* The WHERE clause every query shares (over m.model_name, h.hardware_name,
 * r.created_at). */
static void put_filters(ia_strbuf *b, const ia_report_options *opt)
{
    ia_strbuf_puts(b, " WHERE true");
    if (opt->model && *opt->model) {
        ia_strbuf_puts(b, " AND contains(m.model_name, ");
        ia_store_put_literal(b, opt->model);
        ia_strbuf_puts(b, ")");
    }
    if (opt->hardware && *opt->hardware) {
        ia_strbuf_puts(b, " AND h.hardware_name = ");
        ia_store_put_literal(b, opt->hardware);
    }
    if (opt->since_us > 0)
        ia_strbuf_printf(b, " AND r.created_at >= make_timestamp(%lld)", (long long)opt->since_us);
}

static ia_status run_query(ia_store *store, ia_strbuf *sql, ia_store_table **out, ia_error *err)
{
    if (sql->failed) {
        ia_strbuf_free(sql);
        return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
    }
    ia_status rc = ia_store_query(store, sql->data, out, err);
    ia_strbuf_free(sql);
    return rc;
}

static const char *cell(const ia_store_table *t, size_t row, size_t col)
{
    return t->cells[row * t->columns + col];
}

static char *text_at(const ia_store_table *t, size_t row, size_t col)
{
    const char *s = cell(t, row, col);
    return s ? strdup(s) : NULL;
}

static double num_at(const ia_store_table *t, size_t row, size_t col)
{
    const char *s = cell(t, row, col);
    return s ? strtod(s, NULL) : NAN;
}

static int64_t int_at(const ia_store_table *t, size_t row, size_t col, int64_t unknown)
{
    const char *s = cell(t, row, col);
    return s ? strtoll(s, NULL, 10) : unknown;
}

/* The columns of a result, in the order fill_result reads them. */
#define RESULT_COLUMNS                                                                        \
    "r.result_id, r.run_id, epoch_us(r.created_at), m.model_name, h.hardware_name,"          \
    " r.precision, r.mode, r.git_commit, r.weights_source, r.simulation_reason,"             \
    " r.batch_size, r.seq_len, r.iterations, r.warmup, r.outlier_count,"                     \
    " r.latency_ms_mean, r.latency_ms_stddev, r.latency_ms_min, r.latency_ms_p50,"           \
    " r.latency_ms_p90, r.latency_ms_p99, r.latency_ms_max, r.throughput_items_per_s,"       \
    " r.tokens_per_s, r.ttft_ms, r.tpot_ms, r.memory_peak_mb, r.energy_joules,"              \
    " r.power_watts, r.cv, r.is_simulated"

static void fill_result(const ia_store_table *t, size_t i, ia_rp_result *r)
{
    size_t c = 0;
    r->id = int_at(t, i, c++, 0);
    r->run_id = int_at(t, i, c++, 0);
    r->timestamp_us = int_at(t, i, c++, 0);
    r->model = text_at(t, i, c++);
    r->hardware = text_at(t, i, c++);
    r->precision = text_at(t, i, c++);
    r->mode = text_at(t, i, c++);
    r->git_commit = text_at(t, i, c++);
    r->weights_source = text_at(t, i, c++);
    r->simulation_reason = text_at(t, i, c++);
    r->batch_size = int_at(t, i, c++, -1);
    r->seq_len = int_at(t, i, c++, -1);
    r->iterations = int_at(t, i, c++, -1);
    r->warmup = int_at(t, i, c++, -1);
    r->outliers = int_at(t, i, c++, -1);
    double *figures[] = {&r->mean, &r->stddev, &r->min, &r->p50, &r->p90,
                         &r->p99, &r->max, &r->throughput, &r->tokens_per_s, &r->ttft,
                         &r->tpot, &r->memory_mb, &r->energy_j, &r->power_w, &r->cv};
    for (size_t k = 0; k < sizeof figures / sizeof figures[0]; k++)
        *figures[k] = num_at(t, i, c++);
    const char *sim = cell(t, i, c++);
    r->simulated = sim && strcmp(sim, "true") == 0;
    r->samples = int_at(t, i, c++, 0);
    r->history = int_at(t, i, c++, 1);
    r->p50_ci_low = num_at(t, i, c++);
    r->p50_ci_high = num_at(t, i, c++);
}

static void free_result(ia_rp_result *r)
{
    free(r->model);
    free(r->hardware);
    free(r->precision);
    free(r->mode);
    free(r->git_commit);
    free(r->weights_source);
    free(r->simulation_reason);
}

/* Whether the store holds regression findings: the table exists from schema
 * 4 on, and holds rows once `regress` found something. */
static bool has_regressions(ia_store *store)
{
    ia_store_table *t = NULL;
    bool has = ia_store_query(store,
                              "SELECT count(*) FROM duckdb_tables() WHERE table_name ="
                              " 'performance_regressions' AND database_name = current_database()",
                              &t, NULL) == IA_OK &&
               t->rows && t->cells[0] && strcmp(t->cells[0], "0") != 0;
    ia_store_table_free(t);
    t = NULL;
    has = has && ia_store_query(store, "SELECT count(*) FROM performance_regressions", &t,
                                NULL) == IA_OK &&
          t->rows && t->cells[0] && strcmp(t->cells[0], "0") != 0;
    ia_store_table_free(t);
    return has;
}

static ia_status load_latest(ia_store *store, const ia_report_options *opt, ia_rp_data *d,
                             ia_error *err)
{
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "WITH f AS (SELECT r.* FROM performance_results r"
                         " JOIN models m USING (model_id) JOIN hardware_platforms h"
                         " USING (hardware_id)");
    put_filters(&sql, opt);
    ia_strbuf_puts(&sql, "), latest AS (SELECT arg_max(result_id, (created_at, result_id))"
                         " AS result_id, count(*) AS history FROM f GROUP BY model_id,"
                         " hardware_id, batch_size, seq_len, precision, mode),"
                         /* The median's 95% confidence interval from the raw
                          * samples by order statistics (Conover): ranks
                          * n/2 -+ 0.98 sqrt(n), from 6 samples on. */
                         " s AS (SELECT result_id, count(*) AS n, list_sort(list(latency_ms))"
                         "  AS v FROM performance_samples WHERE result_id IN"
                         "  (SELECT result_id FROM latest) GROUP BY result_id)"
                         " SELECT " RESULT_COLUMNS ", coalesce(s.n, 0), latest.history,"
                         " CASE WHEN s.n >= 6 THEN s.v[greatest(1, CAST(floor(s.n / 2"
                         "  - 0.98 * sqrt(s.n)) AS BIGINT))] END,"
                         " CASE WHEN s.n >= 6 THEN s.v[least(s.n, CAST(ceil(s.n / 2 + 1"
                         "  + 0.98 * sqrt(s.n)) AS BIGINT))] END"
                         " FROM latest JOIN performance_results r USING (result_id)"
                         " JOIN models m USING (model_id) JOIN hardware_platforms h"
                         " USING (hardware_id) LEFT JOIN s USING (result_id)"
                         " ORDER BY m.model_name, h.hardware_name, r.batch_size, r.seq_len,"
                         " r.precision, r.mode");
    ia_store_table *t = NULL;
    ia_status rc = run_query(store, &sql, &t, err);
    if (rc != IA_OK)
        return rc;
    d->latest = t->rows ? calloc(t->rows, sizeof *d->latest) : NULL;
    if (t->rows && !d->latest) {
        ia_store_table_free(t);
        return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
    }
    for (size_t i = 0; i < t->rows; i++)
        fill_result(t, i, &d->latest[i]);
    d->latest_count = t->rows;
    ia_store_table_free(t);
    return IA_OK;
}

static ia_status load_counts(ia_store *store, const ia_report_options *opt, ia_rp_data *d,
                             ia_error *err)
{
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "SELECT count(*), count(DISTINCT r.model_id),"
                         " count(DISTINCT r.hardware_id), count(*) FILTER (r.is_simulated),"
                         " count(*) FILTER (r.weights_source = 'synthetic'),"
                         " epoch_us(min(r.created_at)), epoch_us(max(r.created_at))"
                         " FROM performance_results r JOIN models m USING (model_id)"
                         " JOIN hardware_platforms h USING (hardware_id)");
    put_filters(&sql, opt);
    ia_store_table *t = NULL;
    ia_status rc = run_query(store, &sql, &t, err);
    if (rc != IA_OK)
        return rc;
    d->result_count = int_at(t, 0, 0, 0);
    d->model_count = int_at(t, 0, 1, 0);
    d->hardware_count = int_at(t, 0, 2, 0);
    d->simulated_count = int_at(t, 0, 3, 0);
    d->synthetic_count = int_at(t, 0, 4, 0);
    d->first_us = int_at(t, 0, 5, 0);
    d->last_us = int_at(t, 0, 6, 0);
    d->has_regressions = has_regressions(store);
    ia_store_table_free(t);
    return IA_OK;
}

static ia_status load_runs(ia_store *store, const ia_report_options *opt, ia_rp_data *d,
                           ia_error *err)
{
    /* The runs that produced a result the filters keep, newest first, with
     * the machine they ran on from their hardware snapshot. */
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "WITH used AS (SELECT r.run_id, count(*) AS results"
                         " FROM performance_results r JOIN models m USING (model_id)"
                         " JOIN hardware_platforms h USING (hardware_id)");
    put_filters(&sql, opt);
    ia_strbuf_puts(&sql, " GROUP BY r.run_id)"
                         " SELECT t.run_id, epoch_us(t.started_at), used.results, t.git_commit,"
                         " t.git_branch, t.engine_version, t.host, t.status, hp.hardware_name,"
                         " t.cpu_governor, t.blas_kernel, t.cpu_isa,"
                         " json_extract_string(c.hw_json, '$.cpu.model_name'),"
                         " TRY_CAST(json_extract(c.hw_json, '$.cpu.logical_cores') AS BIGINT),"
                         " TRY_CAST(json_extract(c.hw_json, '$.memory.total_bytes') AS DOUBLE)"
                         "  / 1e9"
                         " FROM test_runs t JOIN used USING (run_id)"
                         " LEFT JOIN hardware_capabilities c USING (capability_id)"
                         " LEFT JOIN hardware_platforms hp ON hp.hardware_id = c.hardware_id"
                         " ORDER BY t.started_at DESC, t.run_id DESC");
    ia_store_table *t = NULL;
    ia_status rc = run_query(store, &sql, &t, err);
    if (rc != IA_OK)
        return rc;
    d->runs = t->rows ? calloc(t->rows, sizeof *d->runs) : NULL;
    if (t->rows && !d->runs) {
        ia_store_table_free(t);
        return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
    }
    for (size_t i = 0; i < t->rows; i++) {
        ia_rp_run *r = &d->runs[i];
        size_t c = 0;
        r->id = int_at(t, i, c++, 0);
        r->started_us = int_at(t, i, c++, 0);
        r->results = int_at(t, i, c++, 0);
        char **texts[] = {&r->git_commit, &r->git_branch, &r->engine_version, &r->host,
                          &r->status, &r->hardware, &r->cpu_governor, &r->blas_kernel,
                          &r->cpu_isa, &r->cpu_name};
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
            *texts[k] = text_at(t, i, c++);
        r->cpu_cores = int_at(t, i, c++, -1);
        r->memory_gb = num_at(t, i, c++);
    }
    d->run_count = t->rows;
    ia_store_table_free(t);
    return IA_OK;
}

ia_status ia_rp_data_load(ia_store *store, const ia_report_options *opt, ia_rp_data *d,
                          ia_error *err)
{
    *d = (ia_rp_data){0};
    ia_status rc = load_counts(store, opt, d, err);
    if (rc == IA_OK)
        rc = load_latest(store, opt, d, err);
    if (rc == IA_OK)
        rc = load_runs(store, opt, d, err);
    if (rc != IA_OK)
        ia_rp_data_free(d);
    return rc;
}

void ia_rp_data_free(ia_rp_data *d)
{
    for (size_t i = 0; i < d->latest_count; i++)
        free_result(&d->latest[i]);
    free(d->latest);
    for (size_t i = 0; i < d->run_count; i++) {
        ia_rp_run *r = &d->runs[i];
        char *texts[] = {r->git_commit, r->git_branch, r->engine_version, r->host, r->status,
                         r->hardware, r->cpu_governor, r->blas_kernel, r->cpu_isa, r->cpu_name};
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
            free(texts[k]);
    }
    free(d->runs);
    *d = (ia_rp_data){0};
}

ia_status ia_rp_history(ia_store *store, const ia_report_options *opt, const ia_rp_result *res,
                        const char *metric, ia_rp_point **points, size_t *count, ia_error *err)
{
    *points = NULL;
    *count = 0;
    /* The metric names a column: only the known ones may go into the SQL. */
    const ia_metric_info *info = ia_metric_find(metric);
    if (!info || strcmp(info->name, metric) != 0)
        return ia_error_set(err, IA_ERR_INVALID, "report: unknown metric '%s'", metric);
    bool latency = strcmp(metric, "latency_ms_p50") == 0;
    ia_strbuf sql = {0};
    /* A finding of the regression analysis on this metric that starts at a
     * point marks it on the chart. */
    ia_strbuf_puts(&sql, "SELECT epoch_us(r.created_at), ");
    if (latency)
        ia_strbuf_puts(&sql, "coalesce(r.latency_ms_p50, r.latency_ms_mean)");
    else
        ia_strbuf_printf(&sql, "r.%s", metric);
    ia_strbuf_puts(&sql, ", r.git_commit, r.result_id,");
    if (has_regressions(store)) {
        const char *match = latency ? "latency_ms_mean" : metric;
        ia_strbuf_printf(&sql, " (SELECT string_agg(g.kind || ' ' || printf('%%+.1f%%%%',"
                               " g.change_pct), '; ') FROM performance_regressions g"
                               " WHERE g.first_result_id = r.result_id AND g.metric IN"
                               " ('%s', '%s') AND g.status <> 'false_positive'),"
                               " (SELECT bool_and(g.kind = 'improvement') FROM"
                               " performance_regressions g WHERE g.first_result_id = r.result_id"
                               " AND g.metric IN ('%s', '%s') AND g.status <> 'false_positive')",
                         metric, match, metric, match);
    } else {
        ia_strbuf_puts(&sql, " NULL, NULL");
    }
    ia_strbuf_puts(&sql, " FROM performance_results r JOIN models m USING (model_id)"
                         " JOIN hardware_platforms h USING (hardware_id)");
    put_filters(&sql, opt);
    ia_strbuf_puts(&sql, " AND m.model_name = ");
    ia_store_put_literal(&sql, res->model);
    ia_strbuf_puts(&sql, " AND h.hardware_name = ");
    ia_store_put_literal(&sql, res->hardware);
    ia_strbuf_printf(&sql, " AND r.batch_size = %lld AND r.seq_len = %lld AND r.precision = ",
                     (long long)res->batch_size, (long long)res->seq_len);
    ia_store_put_literal(&sql, res->precision);
    ia_strbuf_puts(&sql, " AND r.mode = ");
    ia_store_put_literal(&sql, res->mode);
    ia_strbuf_puts(&sql, " ORDER BY r.created_at, r.result_id");
    ia_store_table *t = NULL;
    ia_status rc = run_query(store, &sql, &t, err);
    if (rc != IA_OK)
        return rc;
    if (t->rows) {
        *points = calloc(t->rows, sizeof **points);
        if (!*points) {
            ia_store_table_free(t);
            return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
        }
    }
    for (size_t i = 0; i < t->rows; i++) {
        (*points)[i].timestamp_us = int_at(t, i, 0, 0);
        (*points)[i].value = num_at(t, i, 1);
        (*points)[i].git_commit = text_at(t, i, 2);
        (*points)[i].result_id = int_at(t, i, 3, 0);
        (*points)[i].finding = text_at(t, i, 4);
        const char *better = cell(t, i, 5);
        (*points)[i].improvement = better && strcmp(better, "true") == 0;
    }
    *count = t->rows;
    ia_store_table_free(t);
    return IA_OK;
}

void ia_rp_history_free(ia_rp_point *points, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(points[i].git_commit);
        free(points[i].finding);
    }
    free(points);
}

void ia_rp_run_environment(const ia_rp_run *r, ia_strbuf *b)
{
    size_t start = b->len;
    const char *sep = "";
#define ITEM(...)                                                                             \
    do {                                                                                      \
        ia_strbuf_puts(b, sep);                                                               \
        ia_strbuf_printf(b, __VA_ARGS__);                                                     \
        sep = "; ";                                                                           \
    } while (0)
    if (r->cpu_name) {
        ITEM("%s", r->cpu_name);
        if (r->cpu_cores > 0)
            ia_strbuf_printf(b, ", %lld cores", (long long)r->cpu_cores);
        if (!isnan(r->memory_gb))
            ia_strbuf_printf(b, ", %.0f GB", r->memory_gb);
    }
    if (r->blas_kernel)
        ITEM("OpenBLAS %s", r->blas_kernel);
    if (r->cpu_isa)
        ITEM("kernels %s", r->cpu_isa);
    if (r->cpu_governor)
        ITEM("governor %s", r->cpu_governor);
#undef ITEM
    if (b->len == start)
        ia_strbuf_puts(b, "not recorded");
}

double ia_rp_latency(const ia_rp_result *r)
{
    return isnan(r->p50) ? r->mean : r->p50;
}
