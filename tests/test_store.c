/* The results store: creation, migrations, writing, views, import, export,
 * checks, and the two promises about files shared between processes (a
 * second writer is refused with the holder's PID; kill -9 loses at most the
 * case in flight). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <duckdb.h>

#include "ipfs_accelerate/store.h"
#include "store/store_internal.h"

#define IA_STR_(x) #x
#define IA_STR(x) IA_STR_(x)

static char dir[256];

static void path_in(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ia_store_test.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int64_t query_int(ia_store *s, const char *sql)
{
    ia_store_table *t = NULL;
    ia_error err;
    assert_int_equal(ia_store_query(s, sql, &t, &err), IA_OK);
    assert_int_equal(t->rows, 1);
    int64_t v = t->cells[0] ? strtoll(t->cells[0], NULL, 10) : -1;
    ia_store_table_free(t);
    return v;
}

static ia_store *open_new(const char *name)
{
    char p[320];
    path_in(p, sizeof p, name);
    remove(p);
    ia_store *s = NULL;
    ia_error err;
    ia_status st = ia_store_open(p, false, &s, &err);
    if (st != IA_OK)
        fail_msg("%s", err.message);
    return s;
}

static ia_store_result result(const char *model, const char *hw, int64_t ts, double p50)
{
    ia_store_result r = ia_store_result_init();
    r.model = model;
    r.hardware = hw;
    r.batch_size = 1;
    r.seq_len = 128;
    r.precision = "fp32";
    r.timestamp_us = ts;
    r.latency_ms_p50 = p50;
    r.throughput_items_per_s = 1000.0 / p50;
    return r;
}

static void test_create_and_default_location(void **state)
{
    (void)state;
    ia_store *s = open_new("new.duckdb");
    assert_int_equal(ia_store_schema_version(s), IA_STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(s, "SELECT max(version) FROM schema_version"),
                     IA_STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(s, "SELECT count(*) FROM latest_performance"), 0);
    ia_store_close(s);

    assert_string_equal(ia_store_default_location("x.duckdb"), "x.duckdb");
    setenv("IA_DB", "env.duckdb", 1);
    assert_string_equal(ia_store_default_location(NULL), "env.duckdb");
    unsetenv("IA_DB");
    assert_string_equal(ia_store_default_location(NULL), "./benchmarks.duckdb");

    ia_error err;
    assert_int_equal(ia_store_open("postgresql://db/results", false, &s, &err),
                     IA_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "PostgreSQL stores are not supported yet"));
}

/* Writes a file at schema version 1 the way that build did, by hand. */
static void write_v1(const char *path, bool with_row)
{
    duckdb_database db;
    duckdb_connection con;
    assert_int_equal(duckdb_open(path, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    duckdb_result r;
    assert_int_equal(duckdb_query(con,
                                  "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY"
                                  " KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT"
                                  " NULL DEFAULT current_timestamp)",
                                  &r),
                     DuckDBSuccess);
    duckdb_destroy_result(&r);
    assert_int_equal(ia_store_migrations[0].version, 1);
    assert_int_equal(duckdb_query(con, ia_store_migrations[0].sql, &r), DuckDBSuccess);
    duckdb_destroy_result(&r);
    const char *fill = with_row ? "INSERT INTO schema_version (version, description) VALUES (1, 'v1');"
                                  "INSERT INTO models (model_name) VALUES ('bert');"
                                  "INSERT INTO hardware_platforms (hardware_name) VALUES ('cpu');"
                                  "INSERT INTO performance_results (model_id, hardware_id,"
                                  " batch_size, seq_len, precision, created_at, latency_ms_p50,"
                                  " content_hash) VALUES (1, 1, 1, 8, 'fp32', TIMESTAMP"
                                  " '2026-01-01 00:00:00', 5.0, 'h')"
                                : "INSERT INTO schema_version (version, description) VALUES (1, 'v1')";
    if (duckdb_query(con, fill, &r) != DuckDBSuccess)
        fail_msg("%s", duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void test_migrate_from_v1(void **state)
{
    (void)state;
    char p[320];
    path_in(p, sizeof p, "v1.duckdb");
    write_v1(p, true);
    ia_store *s = NULL;
    ia_error err;
    /* Read-only cannot migrate: it says how to. */
    assert_int_equal(ia_store_open(p, true, &s, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "needs upgrading"));
    assert_int_equal(ia_store_open(p, false, &s, &err), IA_OK);
    assert_int_equal(ia_store_schema_version(s), IA_STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(s, "SELECT count(*) FROM schema_version"), IA_STORE_SCHEMA_VERSION);
    /* The old row is kept and the new views see it. */
    assert_int_equal(query_int(s, "SELECT count(*) FROM latest_performance WHERE model = 'bert'"), 1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM test_results"), 0);
    ia_store_close(s);
}

static void test_refuse_newer(void **state)
{
    (void)state;
    ia_store *s = open_new("newer.duckdb");
    ia_store_close(s);
    char p[320];
    path_in(p, sizeof p, "newer.duckdb");
    duckdb_database db;
    duckdb_connection con;
    duckdb_result r;
    assert_int_equal(duckdb_open(p, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    assert_int_equal(duckdb_query(con,
                                  "INSERT INTO schema_version (version, description) VALUES (99, 'x')",
                                  &r),
                     DuckDBSuccess);
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    ia_error err;
    assert_int_equal(ia_store_open(p, false, &s, &err), IA_ERR_UNSUPPORTED);
    char want[128];
    snprintf(want, sizeof want, "was written by a newer ipfs-accelerate (schema 99, this one reads "
                                "up to %d)", IA_STORE_SCHEMA_VERSION);
    assert_non_null(strstr(err.message, want));
}

static void test_run_results_samples_views(void **state)
{
    (void)state;
    ia_store *s = open_new("runs.duckdb");
    ia_error err;
    ia_store_run_info info = {.git_commit = "abc123", .git_branch = "main",
                              .command_line = "ipfs-accelerate bench", .build_flags = "-O2",
                              .engine_version = "0.1.0", .hardware = "cpu",
                              .hw_json = "{\"cpu\":{}}"};
    int64_t run = 0;
    assert_int_equal(ia_store_begin_run(s, &info, &run, &err), IA_OK);
    assert_true(run > 0);
    const int64_t day = 86400LL * 1000000;
    const int64_t t0 = 1767225600LL * 1000000; /* 2026-01-01 */
    double samples[] = {10.0, 11.0, 12.0, 13.0};
    int64_t id1 = 0, id2 = 0, id3 = 0, again = 0;
    ia_store_result r = result("bert", "cpu", t0, 11.5);
    assert_int_equal(ia_store_add_result(s, run, &r, samples, 4, &id1, &err), IA_OK);
    r = result("bert", "cpu", t0 + day, 10.0); /* newer: the latest */
    assert_int_equal(ia_store_add_result(s, run, &r, samples, 3, &id2, &err), IA_OK);
    r = result("bert", "cuda", t0, 2.0);
    assert_int_equal(ia_store_add_result(s, run, &r, NULL, 0, &id3, &err), IA_OK);
    assert_true(id1 > 0 && id2 > id1 && id3 > id2);
    /* The same content again is stored once and answers the first id. */
    r = result("bert", "cpu", t0, 11.5);
    assert_int_equal(ia_store_add_result(s, run, &r, samples, 4, &again, &err), IA_OK);
    assert_int_equal(again, id1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_results"), 3);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_samples"), 7);

    ia_store_compat c = {.model = "bert", .hardware = "cuda", .precision = "fp16",
                         .batch_size = 1, .seq_len = 128, .status = "failed",
                         .error_type = "oom", .error_message = "out of memory"};
    assert_int_equal(ia_store_add_compat(s, run, &c, &err), IA_OK);
    c.status = "ok";
    c.error_type = c.error_message = NULL;
    assert_int_equal(ia_store_add_compat(s, run, &c, &err), IA_OK);
    assert_int_equal(ia_store_end_run(s, run, "completed", &err), IA_OK);

    /* Bad input is refused with the field's name. */
    r = result("bert", "cpu", t0, 1.0);
    r.weights_source = "made-up";
    assert_int_equal(ia_store_add_result(s, run, &r, NULL, 0, NULL, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "weights_source"));
    r.weights_source = "synthetic";
    r.is_simulated = true;
    assert_int_equal(ia_store_add_result(s, run, &r, NULL, 0, NULL, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "simulation_reason"));

    assert_int_equal(query_int(s, "SELECT count(*) FROM latest_performance"), 2);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT result_id FROM latest_performance WHERE hardware = 'cpu'");
    assert_int_equal(query_int(s, sql), id2);
    assert_int_equal(query_int(s, "SELECT round(speedup_vs_cpu) FROM cross_platform_performance"
                                  " WHERE hardware = 'cuda'"),
                     5);
    assert_int_equal(query_int(s, "SELECT count(*) FROM compatibility_matrix"), 1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM compatibility_matrix WHERE status = 'ok'"
                                  " AND error_type IS NULL"),
                     1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM test_runs WHERE status = 'completed'"
                                  " AND ended_at IS NOT NULL AND capability_id IS NOT NULL"),
                     1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_results WHERE run_id IS NULL"), 0);
    char report[512];
    int problems = -1;
    assert_int_equal(ia_store_check(s, report, sizeof report, &problems, &err), IA_OK);
    assert_int_equal(problems, 0);
    ia_store_close(s);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define LINE(model, ts, p50)                                                                   \
    "{\"model\":\"" model "\",\"hardware\":\"cpu\",\"batch_size\":1,\"seq_len\":8,"           \
    "\"precision\":\"fp32\",\"timestamp\":\"" ts "\",\"latency_ms_p50\":" p50                  \
    ",\"samples_ms\":[1,2,3]}\n"

static void test_import_duplicates_bad_line_export(void **state)
{
    (void)state;
    ia_store *s = open_new("import.duckdb");
    char good[320], bad[320], pq[320];
    path_in(good, sizeof good, "good.jsonl");
    path_in(bad, sizeof bad, "bad.jsonl");
    path_in(pq, sizeof pq, "out.parquet");
    write_text(good, LINE("a", "2026-01-01T00:00:00Z", "1.5") LINE("b", "2026-01-01T00:00:00Z", "2")
                         "\n" LINE("a", "2026-01-01T00:00:00Z", "1.5"));
    ia_store_import_stats st = {0};
    ia_error err;
    assert_int_equal(ia_store_import_jsonl(s, good, &st, &err), IA_OK);
    assert_int_equal(st.lines, 3);
    assert_int_equal(st.imported, 2);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(st.samples, 6);
    memset(&st, 0, sizeof st);
    assert_int_equal(ia_store_import_jsonl(s, good, &st, &err), IA_OK);
    assert_int_equal(st.imported, 0);
    assert_int_equal(st.duplicates, 3);

    write_text(bad, LINE("c", "2026-01-02T00:00:00Z", "1") "{\"model\":\"c\"}\n");
    assert_int_equal(ia_store_import_jsonl(s, bad, &st, &err), IA_ERR_PARSE);
    assert_non_null(strstr(err.message, "bad.jsonl:2: missing required field 'hardware'"));
    write_text(bad, LINE("c", "2026-01-02T00:00:00Z", "1") LINE("d", "not a time", "1"));
    assert_int_equal(ia_store_import_jsonl(s, bad, &st, &err), IA_ERR_PARSE);
    assert_non_null(strstr(err.message, "bad.jsonl:2: timestamp"));
    /* Nothing of a bad file stays. */
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_results"), 2);
    assert_int_equal(query_int(s, "SELECT count(*) FROM models WHERE model_name = 'c'"), 0);

    /* Round trip: export, read back through the engine. */
    assert_int_equal(ia_store_export(s, "performance_results", NULL, IA_STORE_FORMAT_PARQUET, pq,
                                     &err),
                     IA_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM read_parquet('%s') p JOIN performance_results r"
             " USING (result_id) WHERE p.content_hash = r.content_hash", pq);
    assert_int_equal(query_int(s, sql), 2);
    path_in(pq, sizeof pq, "out.csv");
    assert_int_equal(ia_store_export(s, NULL, "SELECT * FROM latest_performance",
                                     IA_STORE_FORMAT_CSV, pq, &err),
                     IA_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM read_csv('%s')", pq);
    assert_int_equal(query_int(s, sql), 2);
    assert_int_equal(ia_store_export(s, "no such; table", NULL, IA_STORE_FORMAT_CSV, pq, &err),
                     IA_ERR_INVALID);
    ia_store_close(s);
}

static void test_check_good_and_damaged(void **state)
{
    (void)state;
    char p[320];
    path_in(p, sizeof p, "damaged.duckdb");
    /* A file whose samples and findings tables lost their foreign keys to
     * results (written by another tool, say) and holds a sample and a
     * finding of no result. */
    remove(p);
    duckdb_database db;
    duckdb_connection con;
    duckdb_result r;
    assert_int_equal(duckdb_open(p, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    assert_int_equal(duckdb_query(con,
                                  "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY"
                                  " KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT"
                                  " NULL DEFAULT current_timestamp)",
                                  &r),
                     DuckDBSuccess);
    duckdb_destroy_result(&r);
    for (size_t i = 0; i < ia_store_migration_count; i++) {
        char *sql = strdup(ia_store_migrations[i].sql);
        char *fk = strstr(sql, "result_id BIGINT NOT NULL REFERENCES performance_results (result_id)");
        if (fk)
            memset(fk + strlen("result_id BIGINT NOT NULL"), ' ',
                   strlen(" REFERENCES performance_results (result_id)"));
        assert_int_equal(duckdb_query(con, sql, &r), DuckDBSuccess);
        duckdb_destroy_result(&r);
        free(sql);
    }
    assert_int_equal(duckdb_query(con,
                                  "INSERT INTO schema_version (version, description)"
                                  " SELECT v, 'step' FROM range(1, " IA_STR(IA_STORE_SCHEMA_VERSION)
                                  " + 1) t(v);"
                                  "INSERT INTO performance_samples VALUES (42, 0, 1.0);"
                                  "INSERT INTO models (model_name) VALUES ('bert');"
                                  "INSERT INTO hardware_platforms (hardware_name) VALUES ('cpu');"
                                  "INSERT INTO performance_regressions (model_id, hardware_id,"
                                  " batch_size, seq_len, precision, mode, metric, kind, severity,"
                                  " first_result_id, method) VALUES (1, 1, 1, 8, 'fp32',"
                                  " 'inference', 'latency_ms_p50', 'regression', 'minor', 42,"
                                  " 'change-point')",
                                  &r),
                     DuckDBSuccess);
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    ia_store *s;
    ia_error err;
    assert_int_equal(ia_store_open(p, false, &s, &err), IA_OK);
    char report[512];
    int problems = 0;
    assert_int_equal(ia_store_check(s, report, sizeof report, &problems, &err), IA_OK);
    assert_int_equal(problems, 2);
    assert_non_null(strstr(report, "1 samples that belong to no result"));
    assert_non_null(strstr(report, "1 regression findings whose model, hardware or first result"
                                   " is missing"));
    ia_store_close(s);

    /* A file that is not a database at all. */
    path_in(p, sizeof p, "garbage.duckdb");
    write_text(p, "this is not a database file, just some text that is long enough\n");
    assert_int_not_equal(ia_store_open(p, false, &s, &err), IA_OK);
    assert_non_null(strstr(err.message, "garbage.duckdb"));
}

static void test_second_writer_is_refused(void **state)
{
    (void)state;
    char p[320];
    path_in(p, sizeof p, "locked.duckdb");
    ia_store_close(open_new("locked.duckdb"));
    int ready[2], done[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(done), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        ia_store *s;
        if (ia_store_open(p, false, &s, NULL) != IA_OK)
            _exit(3);
        char c = 'r';
        if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
            _exit(4);
        ia_store_close(s);
        _exit(0);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    ia_store *s = NULL;
    ia_error err;
    ia_status st = ia_store_open(p, false, &s, &err);
    char want[400];
    snprintf(want, sizeof want, "database %s is in use by process %ld", p, (long)child);
    assert_int_equal(write(done[1], "x", 1), 1);
    int status = 0;
    waitpid(child, &status, 0);
    assert_int_not_equal(st, IA_OK);
    assert_string_equal(err.message, want);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* Once the holder is gone the file opens again. */
    assert_int_equal(ia_store_open(p, false, &s, &err), IA_OK);
    ia_store_close(s);
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
    close(done[1]);
}

/* DuckDB's file lock is per process: a second open of the same file in
 * this process is refused by our own table instead, except read-only
 * opens sharing a file. */
static void test_same_process_open_is_refused(void **state)
{
    (void)state;
    char p[320];
    path_in(p, sizeof p, "twice.duckdb");
    ia_store *writer = open_new("twice.duckdb");
    ia_store *again = NULL;
    ia_error err;
    assert_int_equal(ia_store_open(p, false, &again, &err), IA_ERR_IO);
    assert_null(again);
    assert_non_null(strstr(err.message, "already open in this process for writing"));
    assert_int_equal(ia_store_open(p, true, &again, &err), IA_ERR_IO);
    ia_store_close(writer);

    ia_store *r1 = NULL, *r2 = NULL;
    assert_int_equal(ia_store_open(p, true, &r1, &err), IA_OK);
    assert_int_equal(ia_store_open(p, true, &r2, &err), IA_OK);
    assert_int_equal(ia_store_open(p, false, &again, &err), IA_ERR_IO);
    assert_non_null(strstr(err.message, "already open in this process (read-only)"));
    ia_store_close(r1);
    ia_store_close(r2);
    assert_int_equal(ia_store_open(p, false, &again, &err), IA_OK);
    ia_store_close(again);
}

static void test_kill_9_loses_at_most_the_case_in_flight(void **state)
{
    (void)state;
    char p[320];
    path_in(p, sizeof p, "killed.duckdb");
    ia_store_close(open_new("killed.duckdb"));
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int round = 0; round < 3; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            close(fds[0]);
            ia_store *s;
            if (ia_store_open(p, false, &s, NULL) != IA_OK)
                _exit(3);
            double samples[64];
            for (int i = 0; i < 64; i++)
                samples[i] = 1.0 + i * 0.01;
            for (int64_t i = 0;; i++) {
                ia_store_result r = result("loop", "cpu", 1767225600LL * 1000000 + i, 1.0 + i);
                r.batch_size = round + 1;
                if (ia_store_add_result(s, 0, &r, samples, 64, NULL, NULL) != IA_OK)
                    _exit(5);
                /* Told only after the commit returned: the parent's count
                 * is a lower bound of what must survive. */
                if (write(fds[1], "c", 1) != 1)
                    _exit(6);
            }
        }
        close(fds[1]);
        /* Kill it while it writes: after its first commit, at a random
         * moment within the next 50-450 ms. */
        char first;
        assert_int_equal(read(fds[0], &first, 1), 1);
        struct timespec nap = {0, (50 + rand() % 400) * 1000000L};
        nanosleep(&nap, NULL);
        kill(child, SIGKILL);
        int status;
        waitpid(child, &status, 0);
        assert_true(WIFSIGNALED(status));
        long told = 1;
        char buf[256];
        ssize_t n;
        while ((n = read(fds[0], buf, sizeof buf)) > 0)
            told += n;
        close(fds[0]);

        ia_store *s;
        ia_error err;
        if (ia_store_open(p, false, &s, &err) != IA_OK)
            fail_msg("after kill -9: %s", err.message);
        char report[512];
        int problems = -1;
        assert_int_equal(ia_store_check(s, report, sizeof report, &problems, &err), IA_OK);
        assert_int_equal(problems, 0);
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM performance_results WHERE batch_size = %d",
                 round + 1);
        int64_t stored = query_int(s, sql);
        assert_true(stored >= told && stored <= told + 1);
        /* Every stored result has all its samples. */
        assert_int_equal(query_int(s, "SELECT count(*) FROM (SELECT result_id FROM"
                                      " performance_samples GROUP BY result_id"
                                      " HAVING count(*) <> 64)"),
                         0);
        ia_store_close(s);
    }
}

/* Writes a file at schema version 3, the last before findings: every step
 * up to 3 as that build ran them, and one result. */
static void write_v3(const char *path)
{
    remove(path);
    duckdb_database db;
    duckdb_connection con;
    assert_int_equal(duckdb_open(path, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    duckdb_result r;
    assert_int_equal(duckdb_query(con,
                                  "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY"
                                  " KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT"
                                  " NULL DEFAULT current_timestamp)",
                                  &r),
                     DuckDBSuccess);
    duckdb_destroy_result(&r);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ia_store_migrations[i].version, (int)i + 1);
        if (duckdb_query(con, ia_store_migrations[i].sql, &r) != DuckDBSuccess)
            fail_msg("%s", duckdb_result_error(&r));
        duckdb_destroy_result(&r);
    }
    if (duckdb_query(con,
                     "INSERT INTO schema_version (version, description) VALUES (1, 'a'), (2, 'b'),"
                     " (3, 'c');"
                     "INSERT INTO models (model_name) VALUES ('bert');"
                     "INSERT INTO hardware_platforms (hardware_name) VALUES ('cpu');"
                     "INSERT INTO performance_results (model_id, hardware_id, batch_size, seq_len,"
                     " precision, created_at, git_commit, latency_ms_p50, content_hash) VALUES"
                     " (1, 1, 1, 8, 'fp32', TIMESTAMP '2026-01-01 00:00:00', 'c0ffee', 5.0, 'h')",
                     &r) != DuckDBSuccess)
        fail_msg("%s", duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static ia_store_regression finding(int64_t first_result_id)
{
    ia_store_regression f = {
        .config = {.model = "bert", .hardware = "cpu", .precision = "fp32",
                   .mode = "inference", .batch_size = 1, .seq_len = 8},
        .metric = "latency_ms_p50", .kind = "regression", .severity = "major",
        .change_pct = 12.5, .p_value = 0.001, .before_value = 5.0, .after_value = 5.625,
        .first_result_id = first_result_id, .first_us = 0, .first_commit = NULL,
        .method = "change-point"};
    return f;
}

static void test_migrate_from_v3(void **state)
{
    (void)state;
    char p[320];
    path_in(p, sizeof p, "v3.duckdb");
    write_v3(p);
    ia_store *s = NULL;
    ia_error err;
    assert_int_equal(ia_store_open(p, true, &s, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "schema 3 needs upgrading"));
    assert_int_equal(ia_store_open(p, false, &s, &err), IA_OK);
    assert_int_equal(ia_store_schema_version(s), 4);
    assert_int_equal(query_int(s, "SELECT max(version) FROM schema_version"), 4);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_regressions"), 0);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_baselines"), 0);
    assert_int_equal(query_int(s, "SELECT count(*) FROM latest_performance WHERE model = 'bert'"), 1);

    /* The migrated store takes findings against its old results; a finding
     * without a time or commit of its own takes its first result's. */
    ia_store_regression f = finding(1);
    int64_t id = 0;
    bool is_new = false;
    assert_int_equal(ia_store_add_regression(s, &f, &id, &is_new, &err), IA_OK);
    assert_true(id > 0);
    assert_true(is_new);
    assert_int_equal(query_int(s, "SELECT count(*) FROM regressions_view WHERE model = 'bert'"
                                  " AND hardware = 'cpu' AND status = 'detected'"
                                  " AND first_commit = 'c0ffee'"
                                  " AND first_at = TIMESTAMP '2026-01-01 00:00:00'"),
                     1);
    size_t n = 0;
    assert_int_equal(ia_store_set_baselines(s, NULL, &n, &err), IA_OK);
    assert_int_equal(n, 1);
    char report[512];
    int problems = -1;
    assert_int_equal(ia_store_check(s, report, sizeof report, &problems, &err), IA_OK);
    assert_int_equal(problems, 0);
    ia_store_close(s);

    /* Reopened, it is at the current version and migrates nothing again. */
    assert_int_equal(ia_store_open(p, true, &s, &err), IA_OK);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_regressions"), 1);
    ia_store_close(s);
}

static void test_findings(void **state)
{
    (void)state;
    ia_store *s = open_new("findings.duckdb");
    ia_error err;
    const int64_t t0 = 1767225600LL * 1000000; /* 2026-01-01 */
    ia_store_result r = result("bert", "cpu", t0, 5.0);
    r.seq_len = 8;
    r.git_commit = "aaa111";
    int64_t first = 0;
    assert_int_equal(ia_store_add_result(s, 0, &r, NULL, 0, &first, &err), IA_OK);

    ia_store_regression f = finding(first);
    f.first_us = t0 + 1000000;
    f.first_commit = "bbb222";
    int64_t id = 0, again = 0;
    bool is_new = false;
    assert_int_equal(ia_store_add_regression(s, &f, &id, &is_new, &err), IA_OK);
    assert_true(is_new);
    /* The same finding again is the stored one, status kept. */
    assert_int_equal(ia_store_set_regression_status(s, id, "acknowledged", &err), IA_OK);
    assert_int_equal(ia_store_add_regression(s, &f, &again, &is_new, &err), IA_OK);
    assert_false(is_new);
    assert_int_equal(again, id);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM regressions_view WHERE regression_id = %lld AND status ="
             " 'acknowledged' AND updated_at IS NOT NULL AND first_commit = 'bbb222' AND"
             " first_at = TIMESTAMP '2026-01-01 00:00:01' AND change_pct = 12.5",
             (long long)id);
    assert_int_equal(query_int(s, sql), 1);
    /* Another method over the same result is another finding. */
    f.method = "baseline";
    f.p_value = NAN;
    assert_int_equal(ia_store_add_regression(s, &f, &again, &is_new, &err), IA_OK);
    assert_true(is_new);
    assert_true(again != id);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_regressions"
                                  " WHERE p_value IS NULL"),
                     1);

    /* Bad values are refused naming what is allowed. */
    assert_int_equal(ia_store_set_regression_status(s, id, "fixed", &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "detected, acknowledged, resolved, false_positive"));
    assert_non_null(strstr(err.message, "\"fixed\""));
    assert_int_equal(ia_store_set_regression_status(s, 999999, "resolved", &err),
                     IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no regression finding 999999"));
    f = finding(first);
    f.kind = "slower";
    assert_int_equal(ia_store_add_regression(s, &f, NULL, NULL, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "regression, improvement"));
    f = finding(first);
    f.severity = NULL;
    assert_int_equal(ia_store_add_regression(s, &f, NULL, NULL, &err), IA_ERR_INVALID);
    f = finding(first + 1000);
    assert_int_equal(ia_store_add_regression(s, &f, NULL, NULL, &err), IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no result"));
    f = finding(first);
    f.config.model = "gpt2";
    assert_int_equal(ia_store_add_regression(s, &f, NULL, NULL, &err), IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "gpt2"));
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_regressions"), 2);
    /* A failed call left no transaction open behind it. */
    assert_int_equal(ia_store_set_regression_status(s, id, "resolved", &err), IA_OK);

    char p[320];
    path_in(p, sizeof p, "findings.duckdb");
    ia_store_close(s);
    assert_int_equal(ia_store_open(p, true, &s, &err), IA_OK);
    assert_int_equal(ia_store_set_regression_status(s, id, "resolved", &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "read-only"));
    f = finding(first);
    assert_int_equal(ia_store_add_regression(s, &f, NULL, NULL, &err), IA_ERR_INVALID);
    ia_store_close(s);
}

static int64_t pinned(ia_store *s, const char *hardware, int64_t batch)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT b.result_id FROM performance_baselines b JOIN hardware_platforms h USING"
             " (hardware_id) WHERE h.hardware_name = '%s' AND b.batch_size = %lld",
             hardware, (long long)batch);
    return query_int(s, sql);
}

static void test_baselines(void **state)
{
    (void)state;
    ia_store *s = open_new("baselines.duckdb");
    ia_error err;
    const int64_t day = 86400LL * 1000000;
    const int64_t t0 = 1767225600LL * 1000000;
    int64_t old_cpu = 0, new_cpu = 0, cuda = 0, cpu_b4 = 0, newest_cpu = 0;
    ia_store_result r = result("bert", "cpu", t0 + day, 10.0);
    assert_int_equal(ia_store_add_result(s, 0, &r, NULL, 0, &new_cpu, &err), IA_OK);
    r = result("bert", "cpu", t0, 11.0); /* added later, but older */
    assert_int_equal(ia_store_add_result(s, 0, &r, NULL, 0, &old_cpu, &err), IA_OK);
    r = result("bert", "cuda", t0, 2.0);
    assert_int_equal(ia_store_add_result(s, 0, &r, NULL, 0, &cuda, &err), IA_OK);
    r = result("bert", "cpu", t0, 30.0);
    r.batch_size = 4;
    assert_int_equal(ia_store_add_result(s, 0, &r, NULL, 0, &cpu_b4, &err), IA_OK);

    size_t n = 0;
    assert_int_equal(ia_store_set_baselines(s, NULL, &n, &err), IA_OK);
    assert_int_equal(n, 3);
    assert_int_equal(pinned(s, "cpu", 1), new_cpu);
    assert_int_equal(pinned(s, "cuda", 1), cuda);
    assert_int_equal(pinned(s, "cpu", 4), cpu_b4);

    /* Setting again after a newer result replaces only what matches. */
    r = result("bert", "cpu", t0 + 2 * day, 9.0);
    assert_int_equal(ia_store_add_result(s, 0, &r, NULL, 0, &newest_cpu, &err), IA_OK);
    ia_store_config filter = {.hardware = "cpu", .batch_size = 1, .seq_len = -1};
    assert_int_equal(ia_store_set_baselines(s, &filter, &n, &err), IA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(pinned(s, "cpu", 1), newest_cpu);
    assert_int_equal(pinned(s, "cpu", 4), cpu_b4);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_baselines"), 3);

    /* A filter that matches nothing pins nothing. */
    filter = (ia_store_config){.model = "gpt2", .batch_size = -1, .seq_len = -1};
    assert_int_equal(ia_store_set_baselines(s, &filter, &n, &err), IA_OK);
    assert_int_equal(n, 0);

    filter = (ia_store_config){.model = "bert", .hardware = "cuda", .batch_size = -1,
                               .seq_len = -1};
    assert_int_equal(ia_store_clear_baselines(s, &filter, &n, &err), IA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM performance_baselines"), 2);
    filter = (ia_store_config){.precision = "fp32", .mode = "inference", .batch_size = 4,
                               .seq_len = 128};
    assert_int_equal(ia_store_clear_baselines(s, &filter, &n, &err), IA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(pinned(s, "cpu", 1), newest_cpu);

    char report[512];
    int problems = -1;
    assert_int_equal(ia_store_check(s, report, sizeof report, &problems, &err), IA_OK);
    assert_int_equal(problems, 0);
    char p[320];
    path_in(p, sizeof p, "baselines.duckdb");
    ia_store_close(s);
    assert_int_equal(ia_store_open(p, true, &s, &err), IA_OK);
    assert_int_equal(ia_store_set_baselines(s, NULL, &n, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "read-only"));
    assert_int_equal(ia_store_clear_baselines(s, NULL, &n, &err), IA_ERR_INVALID);
    ia_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_default_location),
        cmocka_unit_test(test_migrate_from_v1),
        cmocka_unit_test(test_refuse_newer),
        cmocka_unit_test(test_migrate_from_v3),
        cmocka_unit_test(test_findings),
        cmocka_unit_test(test_baselines),
        cmocka_unit_test(test_run_results_samples_views),
        cmocka_unit_test(test_import_duplicates_bad_line_export),
        cmocka_unit_test(test_check_good_and_damaged),
        cmocka_unit_test(test_second_writer_is_refused),
        cmocka_unit_test(test_same_process_open_is_refused),
        cmocka_unit_test(test_kill_9_loses_at_most_the_case_in_flight),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
