/*
 * Runs, compatibility rows and what a model is: small writes, one prepared
 * statement each (ia_store_run), every call committed on its own. A run's
 * hardware snapshot is kept as the JSON text `hw --json` printed, so nothing
 * is lost when that layout grows.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_internal.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

ia_status ia_store_begin_run(ia_store *store, const ia_store_run_info *info, int64_t *run_id,
                             ia_error *err)
{
    char hostname[256] = "";
    const char *host = info->host;
    if (!host && gethostname(hostname, sizeof hostname - 1) == 0)
        host = hostname;
    const char *what = "beginning a run";
    ia_status rc = ia_store_begin_write(store, what, err);
    if (rc != IA_OK)
        return rc;
    ia_store_answer capability = {0};
    if (info->hardware) {
        const ia_store_param name[] = {TEXT(info->hardware)};
        rc = ia_store_run(store, "adding the platform",
                          "INSERT INTO hardware_platforms (hardware_name) SELECT $1"
                          " WHERE $1 NOT IN (SELECT hardware_name FROM hardware_platforms)",
                          name, LEN(name), NULL, err);
    }
    if (rc == IA_OK && info->hw_json) {
        const ia_store_param snapshot[] = {TEXT(info->hardware), TEXT(host), TEXT(info->hw_json)};
        rc = ia_store_run(store, "storing the hardware snapshot",
                          "INSERT INTO hardware_capabilities (hardware_id, host, hw_json)"
                          " SELECT (SELECT hardware_id FROM hardware_platforms"
                          " WHERE hardware_name = $1), $2, $3 RETURNING capability_id",
                          snapshot, LEN(snapshot), &capability, err);
    }
    if (rc == IA_OK) {
        const char *governor =
            info->cpu_governor && *info->cpu_governor ? info->cpu_governor : NULL;
        const ia_store_param run[] = {
            TEXT(info->git_commit),   TEXT(info->git_branch),  TEXT(info->command_line),
            TEXT(info->build_flags),  TEXT(info->engine_version), TEXT(host),
            COUNT(info->started_at_us), COUNT(capability.has_row ? capability.first : -1),
            TEXT(governor),           TEXT(info->blas_kernel), TEXT(info->cpu_isa)};
        ia_store_answer id = {0};
        rc = ia_store_run(store, what,
                          "INSERT INTO test_runs (git_commit, git_branch, command_line,"
                          " build_flags, engine_version, host, started_at, capability_id,"
                          " cpu_governor, blas_kernel, cpu_isa)"
                          " VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 = 0 THEN"
                          " CAST(current_timestamp AS TIMESTAMP) ELSE make_timestamp($7) END, $8,"
                          " $9, $10, $11)"
                          " RETURNING run_id",
                          run, LEN(run), &id, err);
        *run_id = id.first;
    }
    return ia_store_finish(store, what, rc, err);
}

ia_status ia_store_end_run(ia_store *store, int64_t run_id, const char *status, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    const ia_store_param end[] = {TEXT(status ? status : "completed"), COUNT(run_id)};
    ia_store_answer a = {0};
    ia_status rc = ia_store_run(store, "ending a run",
                                "UPDATE test_runs SET ended_at = CAST(current_timestamp AS"
                                " TIMESTAMP), status = $1 WHERE run_id = $2",
                                end, LEN(end), &a, err);
    if (rc == IA_OK && a.changed != 1)
        return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: no run %lld", store->path,
                            (long long)run_id);
    return rc;
}

ia_status ia_store_insert_compat(ia_store *store, int64_t run_id, const ia_store_compat *row,
                                 const char *created_at, ia_error *err)
{
    if (!row->model || !row->hardware || !row->status)
        return ia_error_set(err, IA_ERR_INVALID,
                            "a compatibility row needs a model, hardware and a status");
    const char *what = "adding a compatibility row";
    const ia_store_param names[] = {TEXT(row->model), TEXT(row->hardware)};
    ia_status rc = ia_store_run(store, what,
                                "INSERT INTO models (model_name) SELECT $1 WHERE $1 NOT IN"
                                " (SELECT model_name FROM models)",
                                names, 1, NULL, err);
    if (rc == IA_OK)
        rc = ia_store_run(store, what,
                          "INSERT INTO hardware_platforms (hardware_name) SELECT $2 WHERE $2 NOT IN"
                          " (SELECT hardware_name FROM hardware_platforms) AND $1 IS NOT NULL",
                          names, LEN(names), NULL, err);
    /* A row already stored with the same content and time is not added
     * again, so importing a history twice keeps one copy. */
    const ia_store_param fields[] = {
        COUNT(run_id > 0 ? run_id : -1), TEXT(row->model),     TEXT(row->hardware),
        COUNT(row->batch_size),          COUNT(row->seq_len),  TEXT(row->precision),
        TEXT(row->status),               TEXT(row->error_type), TEXT(row->error_message),
        TEXT(created_at)};
    if (rc == IA_OK)
        rc = ia_store_run(store, what,
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
                          fields, LEN(fields), NULL, err);
    return rc;
}

ia_status ia_store_add_compat(ia_store *store, int64_t run_id, const ia_store_compat *row,
                              ia_error *err)
{
    const char *what = "adding a compatibility row";
    ia_status rc = ia_store_begin_write(store, what, err);
    if (rc != IA_OK)
        return rc;
    rc = ia_store_insert_compat(store, run_id, row, NULL, err);
    return ia_store_finish(store, what, rc, err);
}

ia_status ia_store_set_model_info(ia_store *store, const char *model, const char *model_type,
                                  const char *model_family, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    if (!model || !*model)
        return ia_error_set(err, IA_ERR_INVALID, "model info needs a model name");
    const ia_store_param info[] = {TEXT(model), TEXT(model_type), TEXT(model_family)};
    /* What is known is kept: a NULL never erases a type recorded earlier. */
    return ia_store_run(store, "recording the model's type",
                        "INSERT INTO models (model_name, model_type, model_family)"
                        " VALUES ($1, $2, $3) ON CONFLICT (model_name) DO UPDATE SET"
                        " model_type = coalesce(excluded.model_type, models.model_type),"
                        " model_family = coalesce(excluded.model_family, models.model_family)",
                        info, LEN(info), NULL, err);
}
