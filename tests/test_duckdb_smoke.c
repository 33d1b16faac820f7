/* DuckDB is linked and works: an in-memory database answers a query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <duckdb.h>
#include <string.h>

#include "ipfs_accelerate/store.h"

static void test_in_memory_query(void **state)
{
    (void)state;
    duckdb_database db;
    duckdb_connection con;
    assert_int_equal(duckdb_open(NULL, &db), DuckDBSuccess);
    assert_int_equal(duckdb_connect(db, &con), DuckDBSuccess);
    duckdb_result result;
    assert_int_equal(duckdb_query(con, "SELECT sum(i) FROM range(1, 101) t(i)", &result), DuckDBSuccess);
    assert_int_equal(duckdb_row_count(&result), 1);
    assert_int_equal(duckdb_value_int64(&result, 0, 0), 5050);
    duckdb_destroy_result(&result);
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

static void test_engine_version(void **state)
{
    (void)state;
    const char *v = ia_store_engine_version();
    assert_non_null(v);
    assert_true(v[0] == 'v' && strchr(v, '.') != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_memory_query),
        cmocka_unit_test(test_engine_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
