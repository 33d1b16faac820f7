/*
 * Runs and compatibility rows: small, one prepared statement each, every
 * call committed on its own. A run's hardware snapshot is kept as the JSON
 * text `hw --json` printed, so nothing is lost when that layout grows.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_internal.h"

static void bind_text(duckdb_prepared_statement st, idx_t i, const char *s)
{
    s ? duckdb_bind_varchar(st, i, s) : duckdb_bind_null(st, i);
}

/* Prepares sql, lets bind fill it, runs it; answers the first cell as an
 * integer in *out when out is not NULL. */
static ia_status run_prepared(ia_store *store, const char *what, const char *sql,
                              void (*bind)(duckdb_prepared_statement, const void *),
                              const void *ctx, int64_t *out, ia_error *err)
{
    duckdb_prepared_statement st;
    if (duckdb_prepare(store->con, sql, &st) != DuckDBSuccess) {
        ia_error_set(err, IA_ERR_INTERNAL, "%s: %s: %s", store->path, what,
                     duckdb_prepare_error(st));
        duckdb_destroy_prepare(&st);
        return IA_ERR_INTERNAL;
    }
    bind(st, ctx);
    duckdb_result res;
    ia_status rc = IA_OK;
    if (duckdb_execute_prepared(st, &res) != DuckDBSuccess)
        rc = ia_error_set(err, IA_ERR_IO, "%s: %s: %s", store->path, what,
                          duckdb_result_error(&res));
    else if (out)
        *out = duckdb_row_count(&res) ? duckdb_value_int64(&res, 0, 0) : 0;
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&st);
    return rc;
}

typedef struct run_ctx {
    const ia_store_run_info *info;
    const char *host;
    int64_t capability_id;
} run_ctx;

static void bind_capability(duckdb_prepared_statement st, const void *p)
{
    const run_ctx *c = p;
    bind_text(st, 1, c->info->hardware);
    bind_text(st, 2, c->host);
    bind_text(st, 3, c->info->hw_json);
}

static void bind_name(duckdb_prepared_statement st, const void *p)
{
    bind_text(st, 1, ((const run_ctx *)p)->info->hardware);
}

static void bind_run(duckdb_prepared_statement st, const void *p)
{
    const run_ctx *c = p;
    bind_text(st, 1, c->info->git_commit);
    bind_text(st, 2, c->info->git_branch);
    bind_text(st, 3, c->info->command_line);
    bind_text(st, 4, c->info->build_flags);
    bind_text(st, 5, c->info->engine_version);
    bind_text(st, 6, c->host);
    duckdb_bind_int64(st, 7, c->info->started_at_us);
    c->capability_id ? duckdb_bind_int64(st, 8, c->capability_id) : duckdb_bind_null(st, 8);
    bind_text(st, 9, c->info->cpu_governor && *c->info->cpu_governor ? c->info->cpu_governor
                                                                     : NULL);
    bind_text(st, 10, c->info->blas_kernel);
    bind_text(st, 11, c->info->cpu_isa);
}

ia_status ia_store_begin_run(ia_store *store, const ia_store_run_info *info, int64_t *run_id,
                             ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    char hostname[256] = "";
    run_ctx c = {info, info->host, 0};
    if (!c.host && gethostname(hostname, sizeof hostname - 1) == 0)
        c.host = hostname;
    ia_status rc = ia_store_exec(store, "beginning a run", "BEGIN TRANSACTION", err);
    if (rc != IA_OK)
        return rc;
    if (rc == IA_OK && info->hardware)
        rc = run_prepared(store, "adding the platform",
                          "INSERT INTO hardware_platforms (hardware_name) SELECT $1"
                          " WHERE $1 NOT IN (SELECT hardware_name FROM hardware_platforms)",
                          bind_name,
                          &c, NULL, err);
    if (rc == IA_OK && info->hw_json)
        rc = run_prepared(store, "storing the hardware snapshot",
                          "INSERT INTO hardware_capabilities (hardware_id, host, hw_json)"
                          " SELECT (SELECT hardware_id FROM hardware_platforms"
                          " WHERE hardware_name = $1), $2, $3 RETURNING capability_id",
                          bind_capability, &c, &c.capability_id, err);
    if (rc == IA_OK)
        rc = run_prepared(store, "beginning a run",
                          "INSERT INTO test_runs (git_commit, git_branch, command_line,"
                          " build_flags, engine_version, host, started_at, capability_id,"
                          " cpu_governor, blas_kernel, cpu_isa)"
                          " VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 = 0 THEN"
                          " CAST(current_timestamp AS TIMESTAMP) ELSE make_timestamp($7) END, $8,"
                          " $9, $10, $11)"
                          " RETURNING run_id",
                          bind_run, &c, run_id, err);
    if (rc == IA_OK)
        rc = ia_store_exec(store, "beginning a run", "COMMIT", err);
    if (rc != IA_OK)
        ia_store_rollback(store);
    return rc;
}

typedef struct end_ctx {
    int64_t run_id;
    const char *status;
} end_ctx;

static void bind_end(duckdb_prepared_statement st, const void *p)
{
    const end_ctx *c = p;
    duckdb_bind_varchar(st, 1, c->status);
    duckdb_bind_int64(st, 2, c->run_id);
}

ia_status ia_store_end_run(ia_store *store, int64_t run_id, const char *status, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    end_ctx c = {run_id, status ? status : "completed"};
    int64_t changed = 0;
    ia_status rc = run_prepared(store, "ending a run",
                                "UPDATE test_runs SET ended_at = CAST(current_timestamp AS"
                                " TIMESTAMP), status = $1 WHERE run_id = $2",
                                bind_end, &c, &changed, err);
    if (rc == IA_OK && changed != 1)
        return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: no run %lld", store->path,
                            (long long)run_id);
    return rc;
}

typedef struct compat_ctx {
    int64_t run_id;
    const ia_store_compat *row;
    const char *created_at; /* ISO 8601, or NULL for now */
} compat_ctx;

static void bind_compat_names(duckdb_prepared_statement st, const void *p)
{
    const compat_ctx *c = p;
    duckdb_bind_varchar(st, 1, c->row->model);
    duckdb_bind_varchar(st, 2, c->row->hardware);
}

static void bind_compat(duckdb_prepared_statement st, const void *p)
{
    const compat_ctx *c = p;
    c->run_id > 0 ? duckdb_bind_int64(st, 1, c->run_id) : duckdb_bind_null(st, 1);
    duckdb_bind_varchar(st, 2, c->row->model);
    duckdb_bind_varchar(st, 3, c->row->hardware);
    c->row->batch_size >= 0 ? duckdb_bind_int64(st, 4, c->row->batch_size) : duckdb_bind_null(st, 4);
    c->row->seq_len >= 0 ? duckdb_bind_int64(st, 5, c->row->seq_len) : duckdb_bind_null(st, 5);
    bind_text(st, 6, c->row->precision);
    duckdb_bind_varchar(st, 7, c->row->status);
    bind_text(st, 8, c->row->error_type);
    bind_text(st, 9, c->row->error_message);
    bind_text(st, 10, c->created_at);
}

ia_status ia_store_insert_compat(ia_store *store, int64_t run_id, const ia_store_compat *row,
                                 const char *created_at, ia_error *err)
{
    if (!row->model || !row->hardware || !row->status)
        return ia_error_set(err, IA_ERR_INVALID,
                            "a compatibility row needs a model, hardware and a status");
    compat_ctx c = {run_id, row, created_at};
    ia_status rc = run_prepared(store, "adding a compatibility row",
                                "INSERT INTO models (model_name) SELECT $1 WHERE $1 NOT IN"
                                " (SELECT model_name FROM models)",
                                bind_compat_names, &c, NULL, err);
    if (rc == IA_OK)
        rc = run_prepared(store, "adding a compatibility row",
                          "INSERT INTO hardware_platforms (hardware_name) SELECT $2 WHERE $2 NOT IN"
                          " (SELECT hardware_name FROM hardware_platforms) AND $1 IS NOT NULL",
                          bind_compat_names, &c, NULL, err);
    /* A row already stored with the same content and time is not added
     * again, so importing a history twice keeps one copy. */
    if (rc == IA_OK)
        rc = run_prepared(store, "adding a compatibility row",
                          "INSERT INTO hardware_compatibility (run_id, model_id, hardware_id,"
                          " batch_size, seq_len, precision, status, error_type, error_message,"
                          " created_at)"
                          " SELECT $1, m.model_id, h.hardware_id, $4, $5, $6, $7, $8, $9,"
                          " coalesce(CAST(CAST($10 AS TIMESTAMPTZ) AS TIMESTAMP),"
                          "  CAST(current_timestamp AS TIMESTAMP))"
                          " FROM models m, hardware_platforms h"
                          " WHERE m.model_name = $2 AND h.hardware_name = $3"
                          " AND ($10 IS NULL OR NOT EXISTS (SELECT 1 FROM hardware_compatibility x"
                          "  WHERE x.model_id = m.model_id AND x.hardware_id = h.hardware_id"
                          "  AND x.batch_size IS NOT DISTINCT FROM $4"
                          "  AND x.seq_len IS NOT DISTINCT FROM $5"
                          "  AND x.precision IS NOT DISTINCT FROM $6 AND x.status = $7"
                          "  AND x.error_type IS NOT DISTINCT FROM $8"
                          "  AND x.error_message IS NOT DISTINCT FROM $9"
                          "  AND x.created_at = CAST(CAST($10 AS TIMESTAMPTZ) AS TIMESTAMP)))",
                          bind_compat, &c, NULL, err);
    return rc;
}

ia_status ia_store_add_compat(ia_store *store, int64_t run_id, const ia_store_compat *row,
                              ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    ia_status rc = ia_store_exec(store, "adding a compatibility row", "BEGIN TRANSACTION", err);
    if (rc == IA_OK)
        rc = ia_store_insert_compat(store, run_id, row, NULL, err);
    if (rc == IA_OK)
        rc = ia_store_exec(store, "adding a compatibility row", "COMMIT", err);
    if (rc != IA_OK)
        ia_store_rollback(store);
    return rc;
}

typedef struct model_info_ctx {
    const char *model, *model_type, *family;
} model_info_ctx;

static void bind_model_info(duckdb_prepared_statement st, const void *p)
{
    const model_info_ctx *c = p;
    duckdb_bind_varchar(st, 1, c->model);
    bind_text(st, 2, c->model_type);
    bind_text(st, 3, c->family);
}

ia_status ia_store_set_model_info(ia_store *store, const char *model, const char *model_type,
                                  const char *model_family, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    if (!model || !*model)
        return ia_error_set(err, IA_ERR_INVALID, "model info needs a model name");
    model_info_ctx c = {model, model_type, model_family};
    /* What is known is kept: a NULL never erases a type recorded earlier. */
    return run_prepared(store, "recording the model's type",
                        "INSERT INTO models (model_name, model_type, model_family)"
                        " VALUES ($1, $2, $3) ON CONFLICT (model_name) DO UPDATE SET"
                        " model_type = coalesce(excluded.model_type, models.model_type),"
                        " model_family = coalesce(excluded.model_family, models.model_family)",
                        bind_model_info, &c, NULL, err);
}
