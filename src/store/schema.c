/*
 * The schema and its migrations. ia_store_migrations is an ordered list of
 * steps; step N takes a store from version N-1 to N. A new file runs every
 * step; an older one runs the missing steps inside one transaction, so it is
 * either fully upgraded or left as it was; a newer one is refused, since
 * this build cannot know what the newer columns mean. Never edit a step that
 * has shipped: append a new one (docs/store.md, "Migrations").
 */
#include <stdio.h>

#include "store_internal.h"

/* Version 1: the dimensions, runs, results, samples and compatibility. */
static const char schema_v1[] =
    "CREATE SEQUENCE models_id_seq;"
    "CREATE SEQUENCE hardware_id_seq;"
    "CREATE SEQUENCE capability_id_seq;"
    "CREATE SEQUENCE run_id_seq;"
    "CREATE SEQUENCE result_id_seq;"
    "CREATE SEQUENCE compat_id_seq;"
    "CREATE TABLE models ("
    " model_id BIGINT PRIMARY KEY DEFAULT nextval('models_id_seq'),"
    " model_name VARCHAR NOT NULL UNIQUE,"
    " model_family VARCHAR, model_type VARCHAR, source VARCHAR,"
    " created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);"
    "CREATE TABLE hardware_platforms ("
    " hardware_id BIGINT PRIMARY KEY DEFAULT nextval('hardware_id_seq'),"
    " hardware_name VARCHAR NOT NULL UNIQUE,"
    " created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);"
    "CREATE TABLE hardware_capabilities ("
    " capability_id BIGINT PRIMARY KEY DEFAULT nextval('capability_id_seq'),"
    " hardware_id BIGINT REFERENCES hardware_platforms (hardware_id),"
    " host VARCHAR, captured_at TIMESTAMP NOT NULL DEFAULT current_timestamp,"
    " hw_json VARCHAR NOT NULL);"
    "CREATE TABLE test_runs ("
    " run_id BIGINT PRIMARY KEY DEFAULT nextval('run_id_seq'),"
    " git_commit VARCHAR, git_branch VARCHAR, command_line VARCHAR, build_flags VARCHAR,"
    " engine_version VARCHAR, host VARCHAR,"
    " started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP,"
    " status VARCHAR NOT NULL DEFAULT 'running',"
    " capability_id BIGINT REFERENCES hardware_capabilities (capability_id));"
    "CREATE TABLE performance_results ("
    " result_id BIGINT PRIMARY KEY DEFAULT nextval('result_id_seq'),"
    " run_id BIGINT REFERENCES test_runs (run_id),"
    " model_id BIGINT NOT NULL REFERENCES models (model_id),"
    " hardware_id BIGINT NOT NULL REFERENCES hardware_platforms (hardware_id),"
    " batch_size INTEGER NOT NULL CHECK (batch_size >= 1),"
    " seq_len INTEGER NOT NULL CHECK (seq_len >= 0),"
    " precision VARCHAR NOT NULL, mode VARCHAR NOT NULL DEFAULT 'inference',"
    " created_at TIMESTAMP NOT NULL, git_commit VARCHAR,"
    " iterations INTEGER, warmup INTEGER,"
    " latency_ms_mean DOUBLE, latency_ms_stddev DOUBLE, latency_ms_min DOUBLE,"
    " latency_ms_p50 DOUBLE, latency_ms_p90 DOUBLE, latency_ms_p99 DOUBLE, latency_ms_max DOUBLE,"
    " throughput_items_per_s DOUBLE, tokens_per_s DOUBLE, ttft_ms DOUBLE, tpot_ms DOUBLE,"
    " memory_peak_mb DOUBLE, energy_joules DOUBLE, power_watts DOUBLE, temperature_c DOUBLE,"
    " cv DOUBLE, outlier_count INTEGER,"
    " weights_source VARCHAR NOT NULL DEFAULT 'real'"
    "  CHECK (weights_source IN ('real', 'synthetic')),"
    " is_simulated BOOLEAN NOT NULL DEFAULT false, simulation_reason VARCHAR,"
    " content_hash VARCHAR NOT NULL,"
    " CHECK (NOT is_simulated OR simulation_reason IS NOT NULL));"
    "CREATE TABLE performance_samples ("
    " result_id BIGINT NOT NULL REFERENCES performance_results (result_id),"
    " iteration INTEGER NOT NULL, latency_ms DOUBLE NOT NULL,"
    " PRIMARY KEY (result_id, iteration));"
    "CREATE TABLE hardware_compatibility ("
    " compat_id BIGINT PRIMARY KEY DEFAULT nextval('compat_id_seq'),"
    " run_id BIGINT REFERENCES test_runs (run_id),"
    " model_id BIGINT NOT NULL REFERENCES models (model_id),"
    " hardware_id BIGINT NOT NULL REFERENCES hardware_platforms (hardware_id),"
    " batch_size INTEGER, seq_len INTEGER, precision VARCHAR,"
    " status VARCHAR NOT NULL, error_type VARCHAR, error_message VARCHAR,"
    " created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);";

/* Version 2: tests and conversions, and the views reports read. The latest
 * result per configuration is found by arg_max over a GROUP BY, which stays
 * fast over millions of rows where a window sort would not. */
static const char schema_v2[] =
    "CREATE SEQUENCE test_result_id_seq;"
    "CREATE SEQUENCE conversion_id_seq;"
    "CREATE TABLE test_results ("
    " test_result_id BIGINT PRIMARY KEY DEFAULT nextval('test_result_id_seq'),"
    " run_id BIGINT REFERENCES test_runs (run_id),"
    " model_id BIGINT REFERENCES models (model_id),"
    " hardware_id BIGINT REFERENCES hardware_platforms (hardware_id),"
    " test_name VARCHAR NOT NULL, status VARCHAR NOT NULL,"
    " duration_ms DOUBLE, message VARCHAR,"
    " created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);"
    "CREATE TABLE model_conversion_metrics ("
    " conversion_id BIGINT PRIMARY KEY DEFAULT nextval('conversion_id_seq'),"
    " run_id BIGINT REFERENCES test_runs (run_id),"
    " model_id BIGINT NOT NULL REFERENCES models (model_id),"
    " source_format VARCHAR NOT NULL, target_format VARCHAR NOT NULL,"
    " precision VARCHAR, duration_ms DOUBLE, source_size_mb DOUBLE, target_size_mb DOUBLE,"
    " max_abs_error DOUBLE, status VARCHAR NOT NULL, error_message VARCHAR,"
    " created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);"
    "CREATE VIEW latest_performance AS"
    " WITH latest AS ("
    "  SELECT arg_max(result_id, (created_at, result_id)) AS result_id"
    "  FROM performance_results"
    "  GROUP BY model_id, hardware_id, batch_size, seq_len, precision, mode)"
    " SELECT m.model_name AS model, h.hardware_name AS hardware, r.batch_size, r.seq_len,"
    "  r.precision, r.mode, r.created_at, r.latency_ms_p50, r.latency_ms_p90, r.latency_ms_p99,"
    "  r.throughput_items_per_s, r.tokens_per_s, r.ttft_ms, r.memory_peak_mb, r.energy_joules,"
    "  r.weights_source, r.is_simulated, r.result_id, r.run_id"
    " FROM latest JOIN performance_results r USING (result_id)"
    " JOIN models m ON m.model_id = r.model_id"
    " JOIN hardware_platforms h ON h.hardware_id = r.hardware_id;"
    "CREATE VIEW cross_platform_performance AS"
    " SELECT l.model, l.batch_size, l.seq_len, l.precision, l.mode, l.hardware,"
    "  l.latency_ms_p50, l.throughput_items_per_s,"
    "  c.latency_ms_p50 / nullif(l.latency_ms_p50, 0) AS speedup_vs_cpu"
    " FROM latest_performance l LEFT JOIN latest_performance c"
    "  ON c.hardware = 'cpu' AND c.model = l.model AND c.batch_size = l.batch_size"
    "  AND c.seq_len = l.seq_len AND c.precision = l.precision AND c.mode = l.mode;"
    "CREATE VIEW compatibility_matrix AS"
    " SELECT m.model_name AS model, h.hardware_name AS hardware, c.status, c.error_type,"
    "  c.error_message, c.created_at AS last_checked"
    " FROM hardware_compatibility c"
    " JOIN models m ON m.model_id = c.model_id"
    " JOIN hardware_platforms h ON h.hardware_id = c.hardware_id"
    " QUALIFY row_number() OVER (PARTITION BY c.model_id, c.hardware_id"
    "  ORDER BY c.created_at DESC, c.compat_id DESC) = 1;";

/* Version 3: what a run's figures depend on besides the code: the CPU
 * frequency governor, the BLAS kernel and our kernels' instruction set. */
static const char schema_v3[] =
    "ALTER TABLE test_runs ADD COLUMN cpu_governor VARCHAR;"
    "ALTER TABLE test_runs ADD COLUMN blas_kernel VARCHAR;"
    "ALTER TABLE test_runs ADD COLUMN cpu_isa VARCHAR;";

/* Version 4: what the regression analysis found and the results it compares
 * against. A finding is keyed by its series, method and first result, so a
 * second `regress` over the same history finds it stored and keeps the
 * status a person gave it. Baselines are one row per configuration; setting
 * one again replaces the pinned result. */
static const char schema_v4[] =
    "CREATE SEQUENCE regression_id_seq;"
    "CREATE TABLE performance_regressions ("
    " regression_id BIGINT PRIMARY KEY DEFAULT nextval('regression_id_seq'),"
    " model_id BIGINT NOT NULL REFERENCES models (model_id),"
    " hardware_id BIGINT NOT NULL REFERENCES hardware_platforms (hardware_id),"
    " batch_size INTEGER NOT NULL, seq_len INTEGER NOT NULL,"
    " precision VARCHAR NOT NULL, mode VARCHAR NOT NULL,"
    " metric VARCHAR NOT NULL,"
    " kind VARCHAR NOT NULL CHECK (kind IN ('regression', 'improvement')),"
    " severity VARCHAR NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),"
    " change_pct DOUBLE, p_value DOUBLE, before_value DOUBLE, after_value DOUBLE,"
    " first_result_id BIGINT NOT NULL REFERENCES performance_results (result_id),"
    " first_at TIMESTAMP, first_commit VARCHAR,"
    " method VARCHAR NOT NULL CHECK (method IN ('change-point', 'baseline')),"
    " status VARCHAR NOT NULL DEFAULT 'detected'"
    "  CHECK (status IN ('detected', 'acknowledged', 'resolved', 'false_positive')),"
    " detected_at TIMESTAMP NOT NULL DEFAULT current_timestamp,"
    " updated_at TIMESTAMP,"
    " UNIQUE (model_id, hardware_id, batch_size, seq_len, precision, mode, metric, method,"
    "  first_result_id));"
    "CREATE TABLE performance_baselines ("
    " model_id BIGINT NOT NULL REFERENCES models (model_id),"
    " hardware_id BIGINT NOT NULL REFERENCES hardware_platforms (hardware_id),"
    " batch_size INTEGER NOT NULL, seq_len INTEGER NOT NULL,"
    " precision VARCHAR NOT NULL, mode VARCHAR NOT NULL,"
    " result_id BIGINT NOT NULL REFERENCES performance_results (result_id),"
    " set_at TIMESTAMP NOT NULL DEFAULT current_timestamp,"
    " UNIQUE (model_id, hardware_id, batch_size, seq_len, precision, mode));"
    "CREATE VIEW regressions_view AS"
    " SELECT g.regression_id, m.model_name AS model, h.hardware_name AS hardware,"
    "  g.batch_size, g.seq_len, g.precision, g.mode, g.metric, g.kind, g.severity,"
    "  g.change_pct, g.p_value, g.before_value, g.after_value, g.first_result_id,"
    "  g.first_at, g.first_commit, g.method, g.status, g.detected_at, g.updated_at"
    " FROM performance_regressions g"
    " JOIN models m ON m.model_id = g.model_id"
    " JOIN hardware_platforms h ON h.hardware_id = g.hardware_id;";

const ia_store_migration ia_store_migrations[] = {
    {1, "results, samples, runs, hardware and compatibility", schema_v1},
    {2, "test results, conversion metrics and the report views", schema_v2},
    {3, "the measurement environment of a run", schema_v3},
    {4, "regression findings and baselines", schema_v4},
};
const size_t ia_store_migration_count = sizeof ia_store_migrations / sizeof ia_store_migrations[0];

_Static_assert(sizeof ia_store_migrations / sizeof ia_store_migrations[0] == IA_STORE_SCHEMA_VERSION,
               "one migration step per schema version");

static ia_status current_version(ia_store *store, int64_t *version, ia_error *err)
{
    int64_t has_table = 0;
    ia_status rc = ia_store_query_int(
        store,
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND table_name = 'schema_version'",
        0, &has_table, err);
    if (rc != IA_OK)
        return rc;
    if (!has_table) {
        int64_t tables = 0;
        rc = ia_store_query_int(store,
                                "SELECT count(*) FROM duckdb_tables() WHERE database_name ="
                                " current_database() AND NOT temporary",
                                0, &tables, err);
        if (rc != IA_OK)
            return rc;
        if (tables > 0)
            return ia_error_set(err, IA_ERR_INVALID,
                                "%s: not an ipfs-accelerate results store (it has tables but no "
                                "schema_version)",
                                store->path);
        *version = 0;
        return IA_OK;
    }
    return ia_store_query_int(store, "SELECT max(version) FROM schema_version", 0, version, err);
}

ia_status ia_store_migrate(ia_store *store, ia_error *err)
{
    int64_t version = 0;
    ia_status rc = current_version(store, &version, err);
    if (rc != IA_OK)
        return rc;
    if (version > IA_STORE_SCHEMA_VERSION)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s was written by a newer ipfs-accelerate (schema %lld, this one "
                            "reads up to %d); upgrade ipfs-accelerate",
                            store->path, (long long)version, IA_STORE_SCHEMA_VERSION);
    store->version = (int)version;
    if (version == IA_STORE_SCHEMA_VERSION)
        return IA_OK;
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID,
                            version == 0 ? "%s: not an ipfs-accelerate results store (empty)"
                                         : "%s: schema %lld needs upgrading; open it once for "
                                           "writing (e.g. 'db check') to migrate it",
                            store->path, (long long)version);
    if ((rc = ia_store_exec(store, "migration", "BEGIN TRANSACTION", err)) != IA_OK)
        return rc;
    if (version == 0)
        rc = ia_store_exec(store, "creating schema_version",
                           "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                           " description VARCHAR NOT NULL,"
                           " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)",
                           err);
    for (size_t i = 0; rc == IA_OK && i < ia_store_migration_count; i++) {
        const ia_store_migration *m = &ia_store_migrations[i];
        if (m->version <= version)
            continue;
        char what[96];
        snprintf(what, sizeof what, "migration to schema %d", m->version);
        rc = ia_store_exec(store, what, m->sql, err);
        if (rc != IA_OK)
            break;
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO schema_version (version, description) VALUES (%d, '%s')",
                 m->version, m->description);
        rc = ia_store_exec(store, what, sql, err);
    }
    if (rc == IA_OK)
        rc = ia_store_exec(store, "migration commit", "COMMIT", err);
    if (rc != IA_OK) {
        ia_store_rollback(store);
        return rc;
    }
    if (version > 0)
        ia_log_info("%s: migrated from schema %lld to %d", store->path, (long long)version,
                    IA_STORE_SCHEMA_VERSION);
    store->version = IA_STORE_SCHEMA_VERSION;
    return IA_OK;
}
