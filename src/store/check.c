/*
 * Integrity checks: the engine's own (a checkpoint reads and rewrites every
 * changed block and fails on a damaged one) and ours, which DuckDB's
 * constraints should make impossible but a file written by another tool or
 * a bug could still hold: the schema version, references that resolve,
 * samples that belong to a result, values in their domain.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

typedef struct check_sql {
    const char *problem;
    const char *sql; /* counts offending rows */
} check_sql;

static const check_sql checks[] = {
    {"results whose model is missing",
     "SELECT count(*) FROM performance_results WHERE model_id NOT IN (SELECT model_id FROM models)"},
    {"results whose hardware is missing",
     "SELECT count(*) FROM performance_results WHERE hardware_id NOT IN"
     " (SELECT hardware_id FROM hardware_platforms)"},
    {"results whose run is missing",
     "SELECT count(*) FROM performance_results WHERE run_id IS NOT NULL AND run_id NOT IN"
     " (SELECT run_id FROM test_runs)"},
    {"samples that belong to no result",
     "SELECT count(*) FROM performance_samples WHERE result_id NOT IN"
     " (SELECT result_id FROM performance_results)"},
    {"compatibility rows whose model or hardware is missing",
     "SELECT count(*) FROM hardware_compatibility WHERE model_id NOT IN (SELECT model_id FROM"
     " models) OR hardware_id NOT IN (SELECT hardware_id FROM hardware_platforms)"},
    {"runs whose hardware snapshot is missing",
     "SELECT count(*) FROM test_runs WHERE capability_id IS NOT NULL AND capability_id NOT IN"
     " (SELECT capability_id FROM hardware_capabilities)"},
    {"regression findings whose model, hardware or first result is missing",
     "SELECT count(*) FROM performance_regressions WHERE model_id NOT IN (SELECT model_id FROM"
     " models) OR hardware_id NOT IN (SELECT hardware_id FROM hardware_platforms)"
     " OR first_result_id NOT IN (SELECT result_id FROM performance_results)"},
    {"baselines whose result is missing or of another configuration",
     "SELECT count(*) FROM performance_baselines b LEFT JOIN performance_results r USING"
     " (result_id) WHERE r.result_id IS NULL OR r.model_id <> b.model_id"
     " OR r.hardware_id <> b.hardware_id OR r.batch_size <> b.batch_size"
     " OR r.seq_len <> b.seq_len OR r.precision <> b.precision OR r.mode <> b.mode"},
    {"results with a negative latency or throughput",
     "SELECT count(*) FROM performance_results WHERE latency_ms_p50 < 0 OR latency_ms_min < 0"
     " OR throughput_items_per_s < 0"},
    {"simulated results without a reason",
     "SELECT count(*) FROM performance_results WHERE is_simulated AND simulation_reason IS NULL"},
};

static void note(char *report, size_t cap, int *problems, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void note(char *report, size_t cap, int *problems, const char *fmt, ...)
{
    (*problems)++;
    size_t len = cap ? strlen(report) : 0;
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(report + len, cap - len, fmt, ap);
    va_end(ap);
}

ia_status ia_store_check(ia_store *store, char *report, size_t cap, int *problems, ia_error *err)
{
    *problems = 0;
    if (cap)
        report[0] = 0;
    if (!store->read_only) {
        ia_status rc = ia_store_exec(store, "checkpoint", "FORCE CHECKPOINT", err);
        if (rc != IA_OK) {
            note(report, cap, problems, "checkpoint failed: %s\n", err ? err->message : "");
            ia_error_clear(err);
        }
    }
    int64_t version = 0;
    ia_status rc = ia_store_query_int(store, "SELECT max(version) FROM schema_version", 0,
                                      &version, err);
    if (rc != IA_OK)
        return rc;
    if (version != IA_STORE_SCHEMA_VERSION)
        note(report, cap, problems, "schema version is %lld, expected %d\n", (long long)version,
             IA_STORE_SCHEMA_VERSION);
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        int64_t n = 0;
        if ((rc = ia_store_query_int(store, checks[i].sql, 0, &n, err)) != IA_OK)
            return rc;
        if (n > 0)
            note(report, cap, problems, "%lld %s\n", (long long)n, checks[i].problem);
    }
    return IA_OK;
}
