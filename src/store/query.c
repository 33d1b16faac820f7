/*
 * Reading a store out: any SQL answered as a table of text (the CLI formats
 * it), exports through DuckDB's COPY (Parquet is built into the engine, so
 * this works offline), and backups as a checkpointed copy of the file.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_internal.h"

void ia_store_table_free(ia_store_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->columns; i++)
        free(t->names ? t->names[i] : NULL);
    for (size_t i = 0; t->cells && i < t->rows * t->columns; i++)
        free(t->cells[i]);
    free(t->names);
    free(t->cells);
    free(t->numeric);
    free(t);
}

static bool is_numeric(duckdb_type t)
{
    switch (t) {
    case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT: case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT: case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT: case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_FLOAT: case DUCKDB_TYPE_DOUBLE: case DUCKDB_TYPE_DECIMAL:
        return true;
    default:
        return false;
    }
}

/* The types duckdb_value_varchar renders; others (TIMESTAMPTZ, lists,
 * structs, ...) come back empty from it and need DuckDB's own cast. */
static bool renders_as_text(duckdb_type t)
{
    switch (t) {
    case DUCKDB_TYPE_BOOLEAN: case DUCKDB_TYPE_VARCHAR: case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIME: case DUCKDB_TYPE_TIMESTAMP:
        return true;
    default:
        return is_numeric(t);
    }
}

/* Re-runs a query with every column cast to text by DuckDB itself; keeps
 * res when the query cannot be wrapped (not a SELECT). */
static void recast_to_text(ia_store *store, const char *sql, duckdb_result *res)
{
    size_t len = strlen(sql);
    while (len && (sql[len - 1] == ';' || sql[len - 1] == ' ' || sql[len - 1] == '\n'))
        len--;
    char *wrapped = malloc(len + 64);
    if (!wrapped)
        return;
    snprintf(wrapped, len + 64, "SELECT COLUMNS(*)::VARCHAR FROM (%.*s) AS q", (int)len, sql);
    duckdb_result again;
    if (duckdb_query(store->con, wrapped, &again) == DuckDBSuccess) {
        duckdb_destroy_result(res);
        *res = again;
    } else {
        duckdb_destroy_result(&again);
    }
    free(wrapped);
}

ia_status ia_store_query(ia_store *store, const char *sql, ia_store_table **out, ia_error *err)
{
    *out = NULL;
    duckdb_result res;
    if (duckdb_query(store->con, sql, &res) != DuckDBSuccess) {
        ia_error_set(err, IA_ERR_INVALID, "%s: %s", store->path, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        return IA_ERR_INVALID;
    }
    bool numeric[256] = {0}, recast = false;
    idx_t ncol = duckdb_column_count(&res);
    for (idx_t c = 0; c < ncol; c++) {
        duckdb_type ty = duckdb_column_type(&res, c);
        if (c < 256)
            numeric[c] = is_numeric(ty);
        recast = recast || !renders_as_text(ty);
    }
    if (recast)
        recast_to_text(store, sql, &res);
    ia_store_table *t = calloc(1, sizeof *t);
    if (!t) {
        duckdb_destroy_result(&res);
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory reading a query's answer");
    }
    t->columns = duckdb_column_count(&res);
    t->rows = duckdb_row_count(&res);
    t->names = calloc(t->columns ? t->columns : 1, sizeof *t->names);
    t->numeric = calloc(t->columns ? t->columns : 1, sizeof *t->numeric);
    size_t cells = t->rows * t->columns;
    t->cells = calloc(cells ? cells : 1, sizeof *t->cells);
    bool oom = !t->names || !t->numeric || !t->cells;
    for (size_t c = 0; !oom && c < t->columns; c++) {
        t->names[c] = strdup(duckdb_column_name(&res, c));
        t->numeric[c] = c < 256 && numeric[c];
        oom = !t->names[c];
    }
    for (size_t r = 0; !oom && r < t->rows; r++)
        for (size_t c = 0; !oom && c < t->columns; c++) {
            if (duckdb_value_is_null(&res, c, r))
                continue;
            char *v = duckdb_value_varchar(&res, c, r);
            t->cells[r * t->columns + c] = strdup(v ? v : "");
            duckdb_free(v);
            oom = !t->cells[r * t->columns + c];
        }
    duckdb_destroy_result(&res);
    if (oom) {
        ia_store_table_free(t);
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory reading a query's answer");
    }
    *out = t;
    return IA_OK;
}

/* Writes s as a single-quoted SQL literal into buf. */
static bool quote_literal(char *buf, size_t cap, const char *s)
{
    size_t n = 0;
    if (cap < 3)
        return false;
    buf[n++] = '\'';
    for (; *s; s++) {
        if (n + 3 >= cap)
            return false;
        if (*s == '\'')
            buf[n++] = '\'';
        buf[n++] = *s;
    }
    buf[n++] = '\'';
    buf[n] = 0;
    return true;
}

static bool is_identifier(const char *s)
{
    if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z')))
            return false;
    return true;
}

ia_status ia_store_export(ia_store *store, const char *table, const char *sql,
                          ia_store_format format, const char *out_path, ia_error *err)
{
    if ((table == NULL) == (sql == NULL))
        return ia_error_set(err, IA_ERR_INVALID, "export needs a table or a query, not both");
    if (table && !is_identifier(table))
        return ia_error_set(err, IA_ERR_INVALID, "'%s' is not a table name", table);
    char path[1200];
    if (!quote_literal(path, sizeof path, out_path))
        return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", out_path);
    const char *fmt = format == IA_STORE_FORMAT_PARQUET ? "FORMAT parquet"
                      : format == IA_STORE_FORMAT_CSV   ? "FORMAT csv, HEADER true"
                                                        : "FORMAT json";
    size_t cap = strlen(sql ? sql : table) + sizeof path + 128;
    char *copy = malloc(cap);
    if (!copy)
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory");
    if (table)
        snprintf(copy, cap, "COPY \"%s\" TO %s (%s)", table, path, fmt);
    else
        snprintf(copy, cap, "COPY (%s) TO %s (%s)", sql, path, fmt);
    duckdb_result res;
    ia_status rc = IA_OK;
    if (duckdb_query(store->con, copy, &res) != DuckDBSuccess)
        rc = ia_error_set(err, IA_ERR_IO, "%s: export to %s: %s", store->path, out_path,
                          duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    free(copy);
    return rc;
}

ia_status ia_store_backup(ia_store *store, const char *out_path, ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: a backup opens the store for writing",
                            store->path);
    /* After a checkpoint the file holds everything and the WAL is empty;
     * we hold the write lock, so nobody changes it while we copy. */
    ia_status rc = ia_store_exec(store, "checkpoint before backup", "FORCE CHECKPOINT", err);
    if (rc != IA_OK)
        return rc;
    int in = open(store->path, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ia_error_set(err, IA_ERR_IO, "%s: %s", store->path, strerror(errno));
    int out = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        rc = ia_error_set(err, IA_ERR_IO, "%s: %s", out_path, strerror(errno));
        close(in);
        return rc;
    }
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0) {
                rc = ia_error_set(err, IA_ERR_IO, "%s: %s", out_path, strerror(errno));
                break;
            }
            done += w;
        }
        if (rc != IA_OK)
            break;
    }
    if (n < 0 && rc == IA_OK)
        rc = ia_error_set(err, IA_ERR_IO, "%s: %s", store->path, strerror(errno));
    if (rc == IA_OK && fsync(out) != 0)
        rc = ia_error_set(err, IA_ERR_IO, "%s: %s", out_path, strerror(errno));
    close(in);
    if (close(out) != 0 && rc == IA_OK)
        rc = ia_error_set(err, IA_ERR_IO, "%s: %s", out_path, strerror(errno));
    if (rc != IA_OK)
        unlink(out_path);
    return rc;
}

void ia_store_put_literal(ia_strbuf *b, const char *s)
{
    ia_strbuf_puts(b, "'");
    for (const char *p = s ? s : ""; *p; p++)
        ia_strbuf_puts(b, *p == '\'' ? "''" : (char[2]){*p, 0});
    ia_strbuf_puts(b, "'");
}
