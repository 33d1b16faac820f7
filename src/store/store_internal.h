/* What the store's files share: the open store and small helpers around
 * DuckDB's C API. Nothing outside src/store includes this (tests may). */
#ifndef IA_STORE_INTERNAL_H
#define IA_STORE_INTERNAL_H

#include <duckdb.h>

#include "ipfs_accelerate/store.h"

struct ia_store {
    duckdb_database db;
    duckdb_connection con;
    char *path;
    bool read_only;
    int version;
    int64_t last_result_id;    /* set by ia_store_stage_commit */
    int64_t last_sample_count; /* samples it stored */
    uint64_t dev, ino;         /* the file's identity, for the in-process guard */
    bool registered;           /* listed among the stores open in this process */
};

/* One bound parameter of ia_store_run; a NULL text, a negative count or a
 * NAN double binds SQL NULL, which is what "unknown" and "any" mean in the
 * store's API. */
typedef enum ia_store_param_kind {
    IA_STORE_PARAM_TEXT,
    IA_STORE_PARAM_INT,
    IA_STORE_PARAM_DOUBLE
} ia_store_param_kind;

typedef struct ia_store_param {
    ia_store_param_kind kind;
    const char *text;
    int64_t count;
    double value;
} ia_store_param;

#define TEXT(s) {IA_STORE_PARAM_TEXT, (s), 0, 0}
#define COUNT(n) {IA_STORE_PARAM_INT, NULL, (n), 0}
#define VALUE(v) {IA_STORE_PARAM_DOUBLE, NULL, 0, (v)}

typedef struct ia_store_answer {
    bool has_row;
    int64_t first;   /* the first cell of the first row, when has_row */
    int64_t changed; /* rows an INSERT, UPDATE or DELETE touched */
} ia_store_answer;

/* Prepares sql, binds params ($1, $2, ...), runs it; fills *out (optional). */
ia_status ia_store_run(ia_store *store, const char *what, const char *sql,
                       const ia_store_param *params, size_t count, ia_store_answer *out,
                       ia_error *err);

/* BEGIN for a write (a read-only store is refused, naming what); and its
 * end: COMMIT when rc is IA_OK, else ROLLBACK; returns the final status. */
ia_status ia_store_begin_write(ia_store *store, const char *what, ia_error *err);
ia_status ia_store_finish(ia_store *store, const char *what, ia_status rc, ia_error *err);

/* Adds one compatibility row inside the caller's transaction; created_at
 * (ISO 8601) dates it, NULL meaning now. A dated row identical to one
 * already stored is skipped. */
ia_status ia_store_insert_compat(ia_store *store, int64_t run_id, const ia_store_compat *row,
                                 const char *created_at, ia_error *err);

/* Runs sql; on failure fills err with "F: what: engine message". */
ia_status ia_store_exec(ia_store *store, const char *what, const char *sql, ia_error *err);

/* Runs sql, which must answer one integer (NULL reads as fallback). */
ia_status ia_store_query_int(ia_store *store, const char *sql, int64_t fallback, int64_t *out,
                             ia_error *err);

/* Rolls back a transaction after a failure; keeps err as it is. */
void ia_store_rollback(ia_store *store);

/* One migration step: the SQL that takes a store from version - 1 to
 * version. Steps are applied in order; later issues append steps. */
typedef struct ia_store_migration {
    int version;
    const char *description;
    const char *sql;
} ia_store_migration;

extern const ia_store_migration ia_store_migrations[];
extern const size_t ia_store_migration_count;

/* Brings the open store to IA_STORE_SCHEMA_VERSION (or refuses a newer one). */
ia_status ia_store_migrate(ia_store *store, ia_error *err);

/* Creates the connection's temporary staging tables for the bulk path. */
ia_status ia_store_stage_create(ia_store *store, ia_error *err);

/* Column kinds shared by the bulk path and the JSON-lines import. */
typedef enum ia_store_kind {
    IA_STORE_TEXT,
    IA_STORE_INT,
    IA_STORE_DOUBLE,
    IA_STORE_BOOL
} ia_store_kind;

typedef struct ia_store_column {
    const char *name;
    ia_store_kind kind;
    size_t offset; /* in ia_store_result */
} ia_store_column;

/* performance_results' measured columns, in staging-table order (after
 * `line`, `created_at_us`, `created_at_text`). */
extern const ia_store_column ia_store_result_columns[];
extern const size_t ia_store_result_column_count;

/* Moves the staged rows (stage, stage_samples) into the store: new models
 * and platforms, results whose content is not already there, their
 * samples. Must run inside the caller's transaction. */
ia_status ia_store_stage_commit(ia_store *store, int64_t run_id, size_t *imported,
                                size_t *duplicates, ia_error *err);

/* Appenders on the staging tables, for one batch inside a transaction. */
typedef struct ia_store_stage {
    duckdb_appender rows, samples;
} ia_store_stage;

ia_status ia_store_stage_open(ia_store *store, ia_store_stage *a, ia_error *err);
/* Flushes and frees the appenders; reports the first appender error. */
ia_status ia_store_stage_close(ia_store *store, ia_store_stage *a, ia_error *err);
/* Frees the appenders after a failed append, with its message in err. */
ia_status ia_store_stage_fail(ia_store *store, ia_store_stage *a, ia_error *err);
/* Stages one row numbered line; created_at_text (ISO 8601) replaces
 * r->timestamp_us when not NULL; samples (ms) count in the content hash and
 * are staged by the caller. */
duckdb_state ia_store_stage_append(duckdb_appender rows, int64_t line, const ia_store_result *r,
                                   const char *created_at_text, const double *samples, size_t n);
/* What the schema would refuse, said with the field's name. */
ia_status ia_store_result_validate(const ia_store_result *r, ia_error *err);

#endif
