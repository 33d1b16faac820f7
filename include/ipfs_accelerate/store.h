/*
 * store: where benchmark results live. The results store itself (schema,
 * migrations, queries) arrives with the benchmark runner; for now this layer
 * only says which database engine the build links, so `version` and bug
 * reports can name it. Callers never see DuckDB's own types.
 */
#ifndef IPFS_ACCELERATE_STORE_H
#define IPFS_ACCELERATE_STORE_H

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of DuckDB, the engine behind the results store ("v1.5.6"). */
const char *ia_store_engine_version(void);

#ifdef __cplusplus
}
#endif

#endif
