/* Fuzz target: a file handed to `db import` (JSON lines of results and
 * compatibility rows, or the Python framework's per-run JSON), imported into
 * one store that lives for the whole run. Nothing may crash or leak; an
 * import either keeps the whole file or nothing of it (the result count
 * moves only on success); a refusal names the file and is never
 * IA_ERR_INTERNAL; and every so often the store must pass its own integrity
 * check, so no input can leave it damaged. How to run it: docs/fuzzing.md. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipfs_accelerate/store.h"

static ia_store *store;
static char dir[64], input[96];

/* Removes the files at exit. The store itself is left open: closing
 * DuckDB from an atexit handler races its own teardown. */
static void remove_files(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/fuzz.duckdb", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/fuzz.duckdb.wal", dir);
    unlink(path);
    unlink(input);
    rmdir(dir);
}

static void open_store(void)
{
    snprintf(dir, sizeof dir, "/tmp/ia-fuzz-import-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char path[128];
    snprintf(path, sizeof path, "%s/fuzz.duckdb", dir);
    snprintf(input, sizeof input, "%s/input.jsonl", dir);
    ia_error err;
    if (ia_store_open(path, false, &store, &err) != IA_OK) {
        fprintf(stderr, "fuzz_store_import: %s\n", err.message);
        abort();
    }
    atexit(remove_files);
}

static int64_t count(const char *sql)
{
    ia_store_table *t = NULL;
    ia_error err;
    if (ia_store_query(store, sql, &t, &err) != IA_OK || t->rows != 1 || !t->cells[0])
        abort();
    int64_t n = strtoll(t->cells[0], NULL, 10);
    ia_store_table_free(t);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned runs;
    if (!store)
        open_store();
    ia_error err;
    if (ia_file_write_all(input, data, size, &err) != IA_OK)
        abort();
    int64_t before = count("SELECT count(*) FROM performance_results");
    int64_t compat_before = count("SELECT count(*) FROM hardware_compatibility");
    ia_store_import_stats stats = {0};
    ia_status rc = ia_store_import_jsonl(store, input, &stats, &err);
    int64_t after = count("SELECT count(*) FROM performance_results");
    int64_t compat_after = count("SELECT count(*) FROM hardware_compatibility");
    if (rc == IA_OK) {
        if (after - before != (int64_t)stats.imported)
            abort();
    } else {
        if (rc == IA_ERR_INTERNAL || after != before || compat_after != compat_before ||
            !strstr(err.message, input))
            abort();
    }
    if (++runs % 64 == 1) { /* the first input too, so the replay checks */
        char report[4096];
        int problems = 0;
        if (ia_store_check(store, report, sizeof report, &problems, &err) != IA_OK ||
            problems) {
            fprintf(stderr, "fuzz_store_import: the store is damaged: %s\n", report);
            abort();
        }
    }
    return 0;
}
