/*
 * store: where benchmark results live. A store is one database (today an
 * embedded DuckDB file; later a shared PostgreSQL server behind the same
 * functions) holding test runs, measured results with their raw samples,
 * compatibility rows and hardware snapshots. Its schema is created and
 * upgraded by versioned migrations (docs/store.md). The layer also says which
 * database engine the build links, so `version` and bug reports can name it.
 * Callers never see DuckDB's own types.
 *
 * Memory: ia_store_open creates a store, ia_store_close frees it. Tables
 * returned by ia_store_query are freed with ia_store_table_free. Strings
 * passed in are copied; nothing returned points into the caller's data.
 *
 * Durability: every write call is its own transaction, committed before it
 * returns, so a process killed at any moment loses at most the call in
 * flight. A second process that opens the same file for writing is refused
 * with "database F is in use by process N"; a second open of the file in
 * the same process (unless both are read-only) with "database F is already
 * open in this process".
 */
#ifndef IPFS_ACCELERATE_STORE_H
#define IPFS_ACCELERATE_STORE_H

#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of DuckDB, the engine behind the results store ("v1.5.6"). */
const char *ia_store_engine_version(void);

/* The schema version this build writes and the newest it reads. */
#define IA_STORE_SCHEMA_VERSION 4

typedef struct ia_store ia_store;

/* Where the store lives: flag (--db) when given, else $IA_DB when set and
 * not empty, else "./benchmarks.duckdb". Returns a static or borrowed string. */
const char *ia_store_default_location(const char *flag);

/* Opens (creating when absent and not read_only) the store at location: a
 * file path, or a postgresql:// URL (refused: not supported yet). Migrates an
 * older schema inside one transaction; refuses a newer one. */
ia_status ia_store_open(const char *location, bool read_only, ia_store **out, ia_error *err);
void ia_store_close(ia_store *store);

/* The schema version recorded in the open store. */
int ia_store_schema_version(const ia_store *store);

/* --- writing: what the benchmark runner calls ------------------------------ */

typedef struct ia_store_run_info {
    const char *git_commit;     /* may be NULL */
    const char *git_branch;     /* may be NULL */
    const char *command_line;   /* may be NULL */
    const char *build_flags;    /* may be NULL */
    const char *engine_version; /* ours, e.g. "0.1.0 (abc123)"; may be NULL */
    const char *host;           /* may be NULL: the host name is used */
    int64_t started_at_us;      /* Unix time in microseconds; 0: now */
    const char *hardware;       /* platform name the run measured ("cpu"); may be NULL */
    const char *hw_json;        /* the `hw --json` snapshot; may be NULL */
    const char *cpu_governor;   /* "performance", ...; NULL or "" when there is none */
    const char *blas_kernel;    /* OpenBLAS's kernel ("Cooperlake"); may be NULL */
    const char *cpu_isa;        /* our CPU kernels' instruction set ("avx512"); may be NULL */
} ia_store_run_info;

/* Records a run's start; *run_id receives its id. */
ia_status ia_store_begin_run(ia_store *store, const ia_store_run_info *info, int64_t *run_id,
                             ia_error *err);
/* Records a run's end time and status ("completed", "failed", "interrupted"). */
ia_status ia_store_end_run(ia_store *store, int64_t run_id, const char *status, ia_error *err);

/* One measured case. Doubles set to NAN and counts set to -1 are stored as
 * NULL (unknown, never invented). Times in ms, memory in MB. */
typedef struct ia_store_result {
    const char *model;     /* required: model id or path */
    const char *hardware;  /* required: "cpu", "cuda", ... */
    int64_t batch_size;    /* required, >= 1 */
    int64_t seq_len;       /* required, >= 0 */
    const char *precision; /* required: "fp32", ... */
    const char *mode;      /* "inference" when NULL */
    int64_t timestamp_us;  /* Unix time in microseconds; 0: now */
    const char *git_commit; /* may be NULL */
    int64_t iterations, warmup;
    double latency_ms_mean, latency_ms_stddev, latency_ms_min, latency_ms_p50, latency_ms_p90,
        latency_ms_p99, latency_ms_max;
    double throughput_items_per_s, tokens_per_s, ttft_ms, tpot_ms;
    double memory_peak_mb, energy_joules, power_watts, temperature_c, cv;
    int64_t outlier_count;
    const char *weights_source;    /* "real" or "synthetic"; "real" when NULL */
    bool is_simulated;
    const char *simulation_reason; /* required when is_simulated */
} ia_store_result;

/* An ia_store_result with every optional field unknown (NAN, -1, NULL). */
ia_store_result ia_store_result_init(void);

/* Adds one result and its raw per-iteration times (ms) in one transaction.
 * run_id may be 0 (no run). *result_id (optional) receives the new id. */
ia_status ia_store_add_result(ia_store *store, int64_t run_id, const ia_store_result *result,
                              const double *samples_ms, size_t sample_count, int64_t *result_id,
                              ia_error *err);

/* Adds many results without samples in one transaction through the bulk
 * path (DuckDB's appender): for imports and the store benchmark. */
ia_status ia_store_add_results_bulk(ia_store *store, int64_t run_id,
                                    const ia_store_result *results, size_t count, ia_error *err);

/* A case that could not run: status "unsupported", "oom", "timeout",
 * "failed", or "ok" for a case that ran. */
typedef struct ia_store_compat {
    const char *model, *hardware, *precision; /* precision may be NULL */
    int64_t batch_size, seq_len;              /* -1: unknown */
    const char *status;
    const char *error_type;    /* may be NULL */
    const char *error_message; /* may be NULL */
} ia_store_compat;

ia_status ia_store_add_compat(ia_store *store, int64_t run_id, const ia_store_compat *row,
                              ia_error *err);

/* Records what a model is (config.json's model_type and the registry's
 * family) in the models table, adding the model when new. A NULL leaves
 * what was recorded before. */
ia_status ia_store_set_model_info(ia_store *store, const char *model, const char *model_type,
                                  const char *model_family, ia_error *err);

/* --- regression findings and baselines (schema 4) ------------------------ */

/* A configuration; in filters a NULL text or a count of -1 matches any. */
typedef struct ia_store_config {
    const char *model, *hardware, *precision, *mode;
    int64_t batch_size, seq_len;
} ia_store_config;

/* A finding of the regression analysis. */
typedef struct ia_store_regression {
    ia_store_config config;   /* all fields set */
    const char *metric;       /* "latency_ms_p50", ... */
    const char *kind;         /* "regression" or "improvement" */
    const char *severity;     /* "minor", "major", "critical" */
    double change_pct, p_value, before_value, after_value;
    int64_t first_result_id;  /* the first result after the change */
    int64_t first_us;         /* its time (Unix us) */
    const char *first_commit; /* its git commit; may be NULL */
    const char *method;       /* "change-point" or "baseline" */
} ia_store_regression;

/* Records a finding (status "detected") unless the same configuration,
 * metric, method and first result is already stored; *id receives the
 * finding's id and *is_new whether it was added now. */
ia_status ia_store_add_regression(ia_store *store, const ia_store_regression *finding,
                                  int64_t *id, bool *is_new, ia_error *err);

/* Sets a finding's status: "detected", "acknowledged", "resolved" or
 * "false_positive"; an unknown id is IA_ERR_NOT_FOUND. */
ia_status ia_store_set_regression_status(ia_store *store, int64_t id, const char *status,
                                         ia_error *err);

/* Pins the latest result of every configuration matching filter as its
 * baseline (replacing an earlier one); *count receives how many. */
ia_status ia_store_set_baselines(ia_store *store, const ia_store_config *filter, size_t *count,
                                 ia_error *err);
/* Removes the baselines of the matching configurations. */
ia_status ia_store_clear_baselines(ia_store *store, const ia_store_config *filter,
                                   size_t *count, ia_error *err);

/* --- reading --------------------------------------------------------------- */

/* A query's answer as text: cells[row * columns + col] is NULL for SQL NULL. */
typedef struct ia_store_table {
    size_t columns, rows;
    char **names;
    char **cells;
    bool *numeric; /* per column: right-align and leave unquoted in JSON */
} ia_store_table;

ia_status ia_store_query(ia_store *store, const char *sql, ia_store_table **out, ia_error *err);

/* Appends s to b as an SQL string literal (quotes doubled), for callers
 * that put a user's text into a query for ia_store_query. */
void ia_store_put_literal(ia_strbuf *b, const char *s);
void ia_store_table_free(ia_store_table *table);

typedef enum ia_store_format {
    IA_STORE_FORMAT_PARQUET,
    IA_STORE_FORMAT_CSV,
    IA_STORE_FORMAT_JSON /* JSON lines */
} ia_store_format;

/* Writes a table (when table is set) or a query's answer to out_path. */
ia_status ia_store_export(ia_store *store, const char *table, const char *sql,
                          ia_store_format format, const char *out_path, ia_error *err);

/* Copies the whole store, consistent, to out_path (which must not exist). */
ia_status ia_store_backup(ia_store *store, const char *out_path, ia_error *err);

typedef struct ia_store_import_stats {
    size_t lines, imported, duplicates, samples;
    size_t compat_rows; /* lines that were compatibility rows */
} ia_store_import_stats;

/* Imports a JSON-lines file (docs/store.md) in one transaction: a bad line
 * is an error naming path:line and nothing of the file is kept. Adds to
 * *stats. */
ia_status ia_store_import_jsonl(ia_store *store, const char *path, ia_store_import_stats *stats,
                                ia_error *err);

/* Checks integrity: the engine's checkpoint, the schema version, every
 * reference resolvable, every sample owned by a result. Problems are
 * appended to report (one per line, NUL-terminated, truncated at cap) and
 * counted in *problems; the status is IA_OK when the checks could run. */
ia_status ia_store_check(ia_store *store, char *report, size_t cap, int *problems,
                         ia_error *err);

/* The file behind the store ("" for a server). */
const char *ia_store_path(const ia_store *store);

#ifdef __cplusplus
}
#endif

#endif
