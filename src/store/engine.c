/* The database engine behind the store: DuckDB, through its C API. */
#include <duckdb.h>

#include "ipfs_accelerate/store.h"

const char *ia_store_engine_version(void) { return duckdb_library_version(); }
