/* Running one prepared statement with bound parameters, and the
 * transaction around a write: what every small write of the store shares. */
#include <math.h>

#include "store_internal.h"

ia_status ia_store_run(ia_store *store, const char *what, const char *sql,
                       const ia_store_param *params, size_t count, ia_store_answer *out,
                       ia_error *err)
{
    duckdb_prepared_statement st;
    if (duckdb_prepare(store->con, sql, &st) != DuckDBSuccess) {
        ia_error_set(err, IA_ERR_INTERNAL, "%s: %s: %s", store->path, what,
                     duckdb_prepare_error(st));
        duckdb_destroy_prepare(&st);
        return IA_ERR_INTERNAL;
    }
    for (size_t i = 0; i < count; i++) {
        const ia_store_param *p = &params[i];
        idx_t at = i + 1;
        if (p->kind == IA_STORE_PARAM_TEXT && p->text)
            duckdb_bind_varchar(st, at, p->text);
        else if (p->kind == IA_STORE_PARAM_INT && p->count >= 0)
            duckdb_bind_int64(st, at, p->count);
        else if (p->kind == IA_STORE_PARAM_DOUBLE && !isnan(p->value))
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

ia_status ia_store_begin_write(ia_store *store, const char *what, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only; %s needs a writable store",
                            store->path, what);
    return ia_store_exec(store, what, "BEGIN TRANSACTION", err);
}

ia_status ia_store_finish(ia_store *store, const char *what, ia_status rc, ia_error *err)
{
    if (rc == IA_OK)
        rc = ia_store_exec(store, what, "COMMIT", err);
    if (rc != IA_OK)
        ia_store_rollback(store);
    return rc;
}
