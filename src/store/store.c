/*
 * Opening and closing a store. The location picks the backend: a
 * postgresql:// URL is refused until that backend exists; anything else is a
 * DuckDB file. DuckDB takes an exclusive lock on the file for a writer and
 * names the holder's PID in its error; we turn that into "database F is in
 * use by process N" so a second runner stops instead of waiting or
 * corrupting the file. That lock is the operating system's, held per
 * process, so it cannot see a second open inside this process: a table of
 * the files open here refuses that too (read-only opens may share a file).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_internal.h"

const char *ia_store_default_location(const char *flag)
{
    if (flag && flag[0])
        return flag;
    const char *env = getenv("IA_DB");
    if (env && env[0])
        return env;
    return "./benchmarks.duckdb";
}

ia_status ia_store_exec(ia_store *store, const char *what, const char *sql, ia_error *err)
{
    duckdb_result res;
    if (duckdb_query(store->con, sql, &res) != DuckDBSuccess) {
        ia_error_set(err, IA_ERR_IO, "%s: %s: %s", store->path, what, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        return err ? err->status : IA_ERR_IO;
    }
    duckdb_destroy_result(&res);
    return IA_OK;
}

ia_status ia_store_query_int(ia_store *store, const char *sql, int64_t fallback, int64_t *out,
                             ia_error *err)
{
    duckdb_result res;
    if (duckdb_query(store->con, sql, &res) != DuckDBSuccess) {
        ia_error_set(err, IA_ERR_IO, "%s: %s", store->path, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        return IA_ERR_IO;
    }
    if (duckdb_row_count(&res) < 1 || duckdb_value_is_null(&res, 0, 0))
        *out = fallback;
    else
        *out = duckdb_value_int64(&res, 0, 0);
    duckdb_destroy_result(&res);
    return IA_OK;
}

void ia_store_rollback(ia_store *store)
{
    duckdb_result res;
    duckdb_query(store->con, "ROLLBACK", &res);
    duckdb_destroy_result(&res);
}

/* DuckDB's lock error reads "... Conflicting lock is held in /bin/x (PID 123)
 * by user u ..."; returns the PID or 0 when the message is not that. */
static long lock_holder_pid(const char *msg)
{
    if (!msg || !strstr(msg, "lock"))
        return 0;
    const char *p = strstr(msg, "PID ");
    if (!p)
        return 0;
    return strtol(p + 4, NULL, 10);
}

/* The stores open in this process, by file identity. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static ia_store *open_stores[64];

static bool same_file(const ia_store *s, const struct stat *st)
{
    return s->dev == (uint64_t)st->st_dev && s->ino == (uint64_t)st->st_ino;
}

/* Records s as open, unless its file is open here already by a writer (or
 * s is a writer and the file is open at all). */
static ia_status register_open(ia_store *s, ia_error *err)
{
    struct stat st;
    if (stat(s->path, &st) != 0)
        return IA_OK; /* an in-memory or vanished file: nothing to share */
    s->dev = (uint64_t)st.st_dev;
    s->ino = (uint64_t)st.st_ino;
    ia_status rc = IA_OK;
    pthread_mutex_lock(&open_lock);
    size_t free_slot = sizeof open_stores / sizeof open_stores[0];
    for (size_t i = 0; i < sizeof open_stores / sizeof open_stores[0]; i++) {
        const ia_store *o = open_stores[i];
        if (!o) {
            if (free_slot == sizeof open_stores / sizeof open_stores[0])
                free_slot = i;
        } else if (same_file(o, &st) && (!o->read_only || !s->read_only)) {
            rc = ia_error_set(err, IA_ERR_IO,
                              "database %s is already open in this process%s", s->path,
                              o->read_only ? " (read-only)" : " for writing");
        }
    }
    if (rc == IA_OK && free_slot < sizeof open_stores / sizeof open_stores[0]) {
        open_stores[free_slot] = s;
        s->registered = true;
    }
    pthread_mutex_unlock(&open_lock);
    return rc;
}

static void unregister_open(ia_store *s)
{
    if (!s->registered)
        return;
    pthread_mutex_lock(&open_lock);
    for (size_t i = 0; i < sizeof open_stores / sizeof open_stores[0]; i++)
        if (open_stores[i] == s)
            open_stores[i] = NULL;
    pthread_mutex_unlock(&open_lock);
}

ia_status ia_store_open(const char *location, bool read_only, ia_store **out, ia_error *err)
{
    *out = NULL;
    if (!location || !location[0])
        return ia_error_set(err, IA_ERR_INVALID, "no database location given");
    if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s: PostgreSQL stores are not supported yet; use a DuckDB file",
                            location);
    if (read_only) {
        /* DuckDB would say "database does not exist" in its own words. */
        FILE *f = fopen(location, "rb");
        if (!f)
            return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: %s", location, strerror(errno));
        fclose(f);
    }
    ia_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(location))) {
        free(s);
        return ia_error_set(err, IA_ERR_NOMEM, "out of memory opening %s", location);
    }
    s->read_only = read_only;
    /* An existing file is checked before DuckDB opens it; a new one is
     * recorded once DuckDB has created it. */
    ia_status shared = register_open(s, err);
    if (shared != IA_OK) {
        free(s->path);
        free(s);
        return shared;
    }
    duckdb_config config;
    if (duckdb_create_config(&config) != DuckDBSuccess) {
        ia_store_close(s);
        return ia_error_set(err, IA_ERR_INTERNAL, "%s: cannot create DuckDB configuration",
                            location);
    }
    duckdb_set_config(config, "access_mode", read_only ? "READ_ONLY" : "READ_WRITE");
    /* Results stay on this machine: no extension downloads behind our back. */
    duckdb_set_config(config, "autoinstall_known_extensions", "false");
    char *open_error = NULL;
    ia_status rc0 = IA_OK;
    duckdb_state st = duckdb_open_ext(location, &s->db, config, &open_error);
    duckdb_destroy_config(&config);
    if (st != DuckDBSuccess) {
        long pid = lock_holder_pid(open_error);
        if (pid > 0)
            ia_error_set(err, IA_ERR_IO, "database %s is in use by process %ld", location, pid);
        else
            ia_error_set(err, IA_ERR_IO, "%s: cannot open the database: %s", location,
                         open_error ? open_error : "unknown error");
        duckdb_free(open_error);
        unregister_open(s);
        free(s->path);
        free(s);
        return err ? err->status : IA_ERR_IO;
    }
    if (!s->registered && (rc0 = register_open(s, err)) != IA_OK) {
        ia_store_close(s);
        return rc0;
    }
    if (duckdb_connect(s->db, &s->con) != DuckDBSuccess) {
        duckdb_close(&s->db);
        unregister_open(s);
        free(s->path);
        free(s);
        return ia_error_set(err, IA_ERR_INTERNAL, "%s: cannot connect to the database", location);
    }
    /* Timestamps are stored in UTC whatever the machine's zone. */
    ia_status rc = ia_store_exec(s, "setting the time zone", "SET TimeZone = 'UTC'", err);
    if (rc == IA_OK)
        rc = ia_store_migrate(s, err);
    if (rc == IA_OK && !read_only)
        rc = ia_store_stage_create(s, err);
    if (rc != IA_OK) {
        ia_store_close(s);
        return rc;
    }
    *out = s;
    return IA_OK;
}

void ia_store_close(ia_store *store)
{
    if (!store)
        return;
    if (store->con)
        duckdb_disconnect(&store->con);
    if (store->db)
        duckdb_close(&store->db);
    unregister_open(store);
    free(store->path);
    free(store);
}

int ia_store_schema_version(const ia_store *store) { return store->version; }

const char *ia_store_path(const ia_store *store) { return store->path; }
