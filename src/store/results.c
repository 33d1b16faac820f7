/*
 * Writing results. Every result, one from the runner or a million from an
 * import, takes the same road: rows are appended with DuckDB's appender to
 * temporary staging tables (fast, no per-row SQL), then one set of INSERT ...
 * SELECT statements moves them into the store, creating missing models and
 * platforms, giving ids from the sequences and skipping rows whose content
 * (every measured column and the samples) is already stored. The caller's
 * transaction makes the whole batch, samples included, commit or vanish.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_internal.h"

#define COL(name, kind) {#name, IA_STORE_##kind, offsetof(ia_store_result, name)}
const ia_store_column ia_store_result_columns[] = {
    COL(model, TEXT),
    COL(hardware, TEXT),
    COL(batch_size, INT),
    COL(seq_len, INT),
    COL(precision, TEXT),
    COL(mode, TEXT),
    COL(git_commit, TEXT),
    COL(iterations, INT),
    COL(warmup, INT),
    COL(latency_ms_mean, DOUBLE),
    COL(latency_ms_stddev, DOUBLE),
    COL(latency_ms_min, DOUBLE),
    COL(latency_ms_p50, DOUBLE),
    COL(latency_ms_p90, DOUBLE),
    COL(latency_ms_p99, DOUBLE),
    COL(latency_ms_max, DOUBLE),
    COL(throughput_items_per_s, DOUBLE),
    COL(tokens_per_s, DOUBLE),
    COL(ttft_ms, DOUBLE),
    COL(tpot_ms, DOUBLE),
    COL(memory_peak_mb, DOUBLE),
    COL(energy_joules, DOUBLE),
    COL(power_watts, DOUBLE),
    COL(temperature_c, DOUBLE),
    COL(cv, DOUBLE),
    COL(outlier_count, INT),
    COL(weights_source, TEXT),
    COL(is_simulated, BOOL),
    COL(simulation_reason, TEXT),
};
#undef COL
const size_t ia_store_result_column_count =
    sizeof ia_store_result_columns / sizeof ia_store_result_columns[0];

ia_store_result ia_store_result_init(void)
{
    ia_store_result r = {0};
    r.batch_size = r.seq_len = -1;
    r.iterations = r.warmup = r.outlier_count = -1;
    r.latency_ms_mean = r.latency_ms_stddev = r.latency_ms_min = r.latency_ms_p50 = NAN;
    r.latency_ms_p90 = r.latency_ms_p99 = r.latency_ms_max = NAN;
    r.throughput_items_per_s = r.tokens_per_s = r.ttft_ms = r.tpot_ms = NAN;
    r.memory_peak_mb = r.energy_joules = r.power_watts = r.temperature_c = r.cv = NAN;
    return r;
}

static const char *kind_sql(ia_store_kind k)
{
    switch (k) {
    case IA_STORE_TEXT: return "VARCHAR";
    case IA_STORE_INT: return "BIGINT";
    case IA_STORE_DOUBLE: return "DOUBLE";
    case IA_STORE_BOOL: return "BOOLEAN";
    }
    return "VARCHAR";
}

/* Appends s to buf (cap 8 KiB is ample for our fixed column lists). */
static void cat(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s", s);
}

ia_status ia_store_stage_create(ia_store *store, ia_error *err)
{
    char sql[4096] = "CREATE TEMP TABLE IF NOT EXISTS stage (line BIGINT, created_at_us BIGINT,"
                     " created_at_text VARCHAR";
    for (size_t i = 0; i < ia_store_result_column_count; i++) {
        cat(sql, sizeof sql, ", ");
        cat(sql, sizeof sql, ia_store_result_columns[i].name);
        cat(sql, sizeof sql, " ");
        cat(sql, sizeof sql, kind_sql(ia_store_result_columns[i].kind));
    }
    cat(sql, sizeof sql, ", content_hash VARCHAR);CREATE TEMP TABLE IF NOT EXISTS stage_samples (line BIGINT,"
                         " iteration BIGINT, latency_ms DOUBLE)");
    return ia_store_exec(store, "creating the staging tables", sql, err);
}

/* The content that makes two results the same: every measured column, the
 * time as given, and the samples, hashed here (two 64-bit FNV-1a lanes)
 * rather than in SQL, where casting 30 columns to text for md5 cost more
 * than everything else in a bulk insert. */
typedef struct content_hash {
    uint64_t a, b;
} content_hash;

static void hash_bytes(content_hash *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ c[i]) * 0x100000001b3ULL;
        h->b = (h->b ^ c[i]) * 0x100000001b3ULL;
    }
}

static void hash_result(const ia_store_result *r, int64_t ts_us, const char *ts_text,
                        const double *samples, size_t n, char out[33])
{
    content_hash h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    for (size_t i = 0; i < ia_store_result_column_count; i++) {
        const ia_store_column *c = &ia_store_result_columns[i];
        const char *field = (const char *)r + c->offset;
        unsigned char tag = (unsigned char)i;
        if (c->kind == IA_STORE_TEXT) {
            const char *v = *(const char *const *)(const void *)field;
            if (!v && !strcmp(c->name, "mode"))
                v = "inference";
            if (!v && !strcmp(c->name, "weights_source"))
                v = "real";
            hash_bytes(&h, &tag, 1);
            if (v)
                hash_bytes(&h, v, strlen(v) + 1);
        } else if (c->kind == IA_STORE_DOUBLE) {
            double v;
            memcpy(&v, field, sizeof v);
            if (isnan(v))
                continue; /* NULL: the tag alone is absent */
            if (v == 0)
                v = 0; /* -0 and 0 are the same value */
            hash_bytes(&h, &tag, 1);
            hash_bytes(&h, &v, sizeof v);
        } else if (c->kind == IA_STORE_INT) {
            int64_t v;
            memcpy(&v, field, sizeof v);
            if (v < 0)
                continue;
            hash_bytes(&h, &tag, 1);
            hash_bytes(&h, &v, sizeof v);
        } else {
            hash_bytes(&h, &tag, 1);
            hash_bytes(&h, field, 1);
        }
    }
    unsigned char tag = 0xFE;
    hash_bytes(&h, &tag, 1);
    if (ts_text)
        hash_bytes(&h, ts_text, strlen(ts_text) + 1);
    else
        hash_bytes(&h, &ts_us, sizeof ts_us);
    tag = 0xFF;
    hash_bytes(&h, &tag, 1);
    for (size_t i = 0; i < n; i++)
        hash_bytes(&h, &samples[i], sizeof samples[i]);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.a, (unsigned long long)h.b);
}

ia_status ia_store_stage_commit(ia_store *store, int64_t run_id, size_t *imported,
                                size_t *duplicates, ia_error *err)
{
    ia_status rc = ia_store_exec(
        store, "adding models",
        "INSERT INTO models (model_name) SELECT DISTINCT model FROM stage"
        " WHERE model NOT IN (SELECT model_name FROM models);"
        "INSERT INTO hardware_platforms (hardware_name) SELECT DISTINCT hardware FROM stage"
        " WHERE hardware NOT IN (SELECT hardware_name FROM hardware_platforms)",
        err);
    if (rc != IA_OK)
        return rc;
    char sql[8192] =
        "CREATE OR REPLACE TEMP TABLE stage_keyed AS"
        " WITH d AS (SELECT st.* REPLACE (coalesce(mode, 'inference') AS mode,"
        "  coalesce(weights_source, 'real') AS weights_source,"
        "  coalesce(is_simulated, false) AS is_simulated),"
        "  coalesce(make_timestamp(st.created_at_us),"
        "  CAST(CAST(st.created_at_text AS TIMESTAMPTZ) AS TIMESTAMP)) AS created_at"
        "  FROM stage st WHERE content_hash NOT IN (SELECT content_hash FROM performance_results)"
        "  QUALIFY row_number() OVER (PARTITION BY content_hash ORDER BY line) = 1)"
        " SELECT nextval('result_id_seq') AS result_id, d.* FROM d";
    if ((rc = ia_store_exec(store, "staging results", sql, err)) != IA_OK)
        return rc;

    char cols[2048] = "", vals[2048] = "";
    for (size_t i = 2; i < ia_store_result_column_count; i++) { /* after model, hardware */
        cat(cols, sizeof cols, ", ");
        cat(cols, sizeof cols, ia_store_result_columns[i].name);
        cat(vals, sizeof vals, ", k.");
        cat(vals, sizeof vals, ia_store_result_columns[i].name);
    }
    char run[32] = "NULL";
    if (run_id > 0)
        snprintf(run, sizeof run, "%lld", (long long)run_id);
    snprintf(sql, sizeof sql,
             "INSERT INTO performance_results (result_id, run_id, model_id, hardware_id,"
             " created_at, content_hash%s)"
             " SELECT k.result_id, %s, m.model_id, h.hardware_id, k.created_at, k.content_hash%s"
             " FROM stage_keyed k JOIN models m ON m.model_name = k.model"
             " JOIN hardware_platforms h ON h.hardware_name = k.hardware;"
             "INSERT INTO performance_samples (result_id, iteration, latency_ms)"
             " SELECT k.result_id, ss.iteration, ss.latency_ms FROM stage_samples ss"
             " JOIN stage_keyed k USING (line)",
             cols, run, vals);
    if ((rc = ia_store_exec(store, "storing results", sql, err)) != IA_OK)
        return rc;
    int64_t staged = 0, kept = 0;
    if ((rc = ia_store_query_int(store, "SELECT count(*) FROM stage", 0, &staged, err)) != IA_OK ||
        (rc = ia_store_query_int(store, "SELECT count(*) FROM stage_keyed", 0, &kept, err)) != IA_OK)
        return rc;
    /* A duplicate keeps the id of the copy already stored; looking for it
     * scans every stored hash, so only when nothing new was kept. */
    if ((rc = ia_store_query_int(store, "SELECT max(result_id) FROM stage_keyed", 0,
                                 &store->last_result_id, err)) != IA_OK)
        return rc;
    if (kept == 0 && staged > 0 &&
        (rc = ia_store_query_int(store,
                                 "SELECT max(r.result_id) FROM performance_results r"
                                 " WHERE r.content_hash IN (SELECT content_hash FROM stage)",
                                 0, &store->last_result_id, err)) != IA_OK)
        return rc;
    if ((rc = ia_store_query_int(store,
                                 "SELECT count(*) FROM stage_samples JOIN stage_keyed USING (line)",
                                 0, &store->last_sample_count, err)) != IA_OK)
        return rc;
    if (imported)
        *imported += (size_t)kept;
    if (duplicates)
        *duplicates += (size_t)(staged - kept);
    return ia_store_exec(store, "clearing the staging tables",
                         "DELETE FROM stage; DELETE FROM stage_samples; DROP TABLE stage_keyed",
                         err);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* What the schema would refuse, said with the field's name. */
ia_status ia_store_result_validate(const ia_store_result *r, ia_error *err)
{
    if (!r->model || !r->model[0])
        return ia_error_set(err, IA_ERR_INVALID, "result without a model");
    if (!r->hardware || !r->hardware[0])
        return ia_error_set(err, IA_ERR_INVALID, "result without hardware");
    if (!r->precision || !r->precision[0])
        return ia_error_set(err, IA_ERR_INVALID, "result without a precision");
    if (r->batch_size < 1)
        return ia_error_set(err, IA_ERR_INVALID, "batch_size must be at least 1 (got %lld)",
                            (long long)r->batch_size);
    if (r->seq_len < 0)
        return ia_error_set(err, IA_ERR_INVALID, "seq_len must be 0 or more (got %lld)",
                            (long long)r->seq_len);
    if (r->weights_source && strcmp(r->weights_source, "real") != 0 &&
        strcmp(r->weights_source, "synthetic") != 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "weights_source must be 'real' or 'synthetic' (got '%s')",
                            r->weights_source);
    if (r->is_simulated && (!r->simulation_reason || !r->simulation_reason[0]))
        return ia_error_set(err, IA_ERR_INVALID, "a simulated result needs a simulation_reason");
    return IA_OK;
}

/* Appends one staged row; created_at_text is for imports (ISO 8601). */
duckdb_state ia_store_stage_append(duckdb_appender app, int64_t line, const ia_store_result *r,
                                   const char *created_at_text, const double *samples, size_t n)
{
    int64_t ts = r->timestamp_us ? r->timestamp_us : now_us();
    duckdb_append_int64(app, line);
    if (created_at_text) {
        duckdb_append_null(app);
        duckdb_append_varchar(app, created_at_text);
    } else {
        duckdb_append_int64(app, ts);
        duckdb_append_null(app);
    }
    for (size_t i = 0; i < ia_store_result_column_count; i++) {
        const ia_store_column *c = &ia_store_result_columns[i];
        const char *field = (const char *)r + c->offset;
        switch (c->kind) {
        case IA_STORE_TEXT: {
            const char *s = *(const char *const *)(const void *)field;
            s ? duckdb_append_varchar(app, s) : duckdb_append_null(app);
            break;
        }
        case IA_STORE_INT: {
            int64_t v;
            memcpy(&v, field, sizeof v);
            v >= 0 ? duckdb_append_int64(app, v) : duckdb_append_null(app);
            break;
        }
        case IA_STORE_DOUBLE: {
            double v;
            memcpy(&v, field, sizeof v);
            isnan(v) ? duckdb_append_null(app) : duckdb_append_double(app, v);
            break;
        }
        case IA_STORE_BOOL: {
            bool v;
            memcpy(&v, field, sizeof v);
            duckdb_append_bool(app, v);
            break;
        }
        }
    }
    char hash[33];
    hash_result(r, ts, created_at_text, samples, n, hash);
    duckdb_append_varchar(app, hash);
    return duckdb_appender_end_row(app);
}

ia_status ia_store_stage_open(ia_store *store, ia_store_stage *a, ia_error *err)
{
    a->rows = a->samples = NULL;
    if (duckdb_appender_create_ext(store->con, "temp", "main", "stage", &a->rows) != DuckDBSuccess ||
        duckdb_appender_create_ext(store->con, "temp", "main", "stage_samples", &a->samples) !=
            DuckDBSuccess) {
        ia_error_set(err, IA_ERR_INTERNAL, "%s: cannot open the staging appender: %s",
                     store->path, a->rows ? duckdb_appender_error(a->rows) : "unknown");
        duckdb_appender_destroy(&a->rows);
        duckdb_appender_destroy(&a->samples);
        return IA_ERR_INTERNAL;
    }
    return IA_OK;
}

ia_status ia_store_stage_close(ia_store *store, ia_store_stage *a, ia_error *err)
{
    ia_status rc = IA_OK;
    if (duckdb_appender_close(a->rows) != DuckDBSuccess)
        rc = ia_error_set(err, IA_ERR_IO, "%s: staging results: %s", store->path,
                          duckdb_appender_error(a->rows));
    else if (duckdb_appender_close(a->samples) != DuckDBSuccess)
        rc = ia_error_set(err, IA_ERR_IO, "%s: staging samples: %s", store->path,
                          duckdb_appender_error(a->samples));
    duckdb_appender_destroy(&a->rows);
    duckdb_appender_destroy(&a->samples);
    return rc;
}

ia_status ia_store_stage_fail(ia_store *store, ia_store_stage *a, ia_error *err)
{
    ia_status rc = ia_error_set(err, IA_ERR_IO, "%s: staging: %s", store->path,
                                duckdb_appender_error(a->rows));
    duckdb_appender_destroy(&a->rows);
    duckdb_appender_destroy(&a->samples);
    return rc;
}

ia_status ia_store_add_results_bulk(ia_store *store, int64_t run_id,
                                    const ia_store_result *results, size_t count, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    for (size_t i = 0; i < count; i++) {
        ia_status rc = ia_store_result_validate(&results[i], err);
        if (rc != IA_OK)
            return rc;
    }
    ia_status rc = ia_store_exec(store, "bulk insert", "BEGIN TRANSACTION", err);
    if (rc != IA_OK)
        return rc;
    ia_store_stage a;
    if ((rc = ia_store_stage_open(store, &a, err)) != IA_OK) {
        ia_store_rollback(store);
        return rc;
    }
    for (size_t i = 0; i < count; i++)
        if (ia_store_stage_append(a.rows, (int64_t)i, &results[i], NULL, NULL, 0) != DuckDBSuccess) {
            rc = ia_store_stage_fail(store, &a, err);
            ia_store_rollback(store);
            return rc;
        }
    rc = ia_store_stage_close(store, &a, err);
    if (rc == IA_OK)
        rc = ia_store_stage_commit(store, run_id, NULL, NULL, err);
    if (rc == IA_OK)
        rc = ia_store_exec(store, "bulk insert commit", "COMMIT", err);
    if (rc != IA_OK)
        ia_store_rollback(store);
    return rc;
}

ia_status ia_store_add_result(ia_store *store, int64_t run_id, const ia_store_result *result,
                              const double *samples_ms, size_t sample_count, int64_t *result_id,
                              ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    ia_status rc = ia_store_result_validate(result, err);
    if (rc != IA_OK)
        return rc;
    if ((rc = ia_store_exec(store, "adding a result", "BEGIN TRANSACTION", err)) != IA_OK)
        return rc;
    ia_store_stage a;
    if ((rc = ia_store_stage_open(store, &a, err)) != IA_OK) {
        ia_store_rollback(store);
        return rc;
    }
    if (ia_store_stage_append(a.rows, 0, result, NULL, samples_ms, sample_count) != DuckDBSuccess) {
        rc = ia_store_stage_fail(store, &a, err);
        ia_store_rollback(store);
        return rc;
    }
    for (size_t i = 0; i < sample_count; i++) {
        duckdb_append_int64(a.samples, 0);
        duckdb_append_int64(a.samples, (int64_t)i);
        duckdb_append_double(a.samples, samples_ms[i]);
        if (duckdb_appender_end_row(a.samples) != DuckDBSuccess) {
            rc = ia_store_stage_fail(store, &a, err);
            ia_store_rollback(store);
            return rc;
        }
    }
    rc = ia_store_stage_close(store, &a, err);
    if (rc == IA_OK)
        rc = ia_store_stage_commit(store, run_id, NULL, NULL, err);
    int64_t id = store->last_result_id;
    if (rc == IA_OK)
        rc = ia_store_exec(store, "adding a result", "COMMIT", err);
    if (rc != IA_OK) {
        ia_store_rollback(store);
        return rc;
    }
    if (result_id)
        *result_id = id;
    return IA_OK;
}
