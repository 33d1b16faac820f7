/*
 * JSON-lines import: one result per line (docs/store.md, "Import format").
 * A file is one transaction: every line is checked and staged first, and a
 * bad line names FILE:LINE and leaves the store as it was. Rows whose
 * content is already stored are skipped and counted, so importing the same
 * history twice is harmless.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ipfs_accelerate/unicode.h"
#include "store_internal.h"

#define IMPORT_MAX_BYTES ((size_t)4 << 30)

static const ia_store_column *find_column(const char *name)
{
    for (size_t i = 0; i < ia_store_result_column_count; i++)
        if (strcmp(ia_store_result_columns[i].name, name) == 0)
            return &ia_store_result_columns[i];
    return NULL;
}

/* Fills r from one parsed line; *timestamp and *samples point into obj. */
static ia_status parse_line(const cJSON *obj, ia_store_result *r, const char **timestamp,
                            const cJSON **samples, ia_error *err)
{
    if (!cJSON_IsObject(obj))
        return ia_error_set(err, IA_ERR_PARSE, "not a JSON object");
    *r = ia_store_result_init();
    *timestamp = NULL;
    *samples = NULL;
    for (const cJSON *f = obj->child; f; f = f->next) {
        if (strcmp(f->string, "timestamp") == 0) {
            if (!cJSON_IsString(f))
                return ia_error_set(err, IA_ERR_PARSE, "timestamp must be an ISO 8601 string");
            *timestamp = f->valuestring;
            continue;
        }
        if (strcmp(f->string, "samples_ms") == 0) {
            if (!cJSON_IsArray(f) && !cJSON_IsNull(f))
                return ia_error_set(err, IA_ERR_PARSE, "samples_ms must be an array of numbers");
            for (const cJSON *x = f->child; x; x = x->next)
                if (!cJSON_IsNumber(x) || x->valuedouble < 0)
                    return ia_error_set(err, IA_ERR_PARSE,
                                        "samples_ms must hold numbers of 0 or more");
            *samples = f;
            continue;
        }
        const ia_store_column *c = find_column(f->string);
        if (!c)
            return ia_error_set(err, IA_ERR_PARSE, "unknown field '%s'", f->string);
        if (cJSON_IsNull(f))
            continue; /* the init values mean NULL */
        char *field = (char *)r + c->offset;
        switch (c->kind) {
        case IA_STORE_TEXT:
            if (!cJSON_IsString(f))
                return ia_error_set(err, IA_ERR_PARSE, "%s must be a string", f->string);
            memcpy(field, &f->valuestring, sizeof f->valuestring);
            break;
        case IA_STORE_INT: {
            double d = f->valuedouble;
            if (!cJSON_IsNumber(f) || d != floor(d) || d < 0 || d > 2147483647.0)
                return ia_error_set(err, IA_ERR_PARSE, "%s must be a whole number of 0 or more",
                                    f->string);
            int64_t v = (int64_t)d;
            memcpy(field, &v, sizeof v);
            break;
        }
        case IA_STORE_DOUBLE:
            if (!cJSON_IsNumber(f))
                return ia_error_set(err, IA_ERR_PARSE, "%s must be a number", f->string);
            memcpy(field, &f->valuedouble, sizeof f->valuedouble);
            break;
        case IA_STORE_BOOL: {
            if (!cJSON_IsBool(f))
                return ia_error_set(err, IA_ERR_PARSE, "%s must be true or false", f->string);
            bool v = cJSON_IsTrue(f);
            memcpy(field, &v, sizeof v);
            break;
        }
        }
    }
    static const char *const required[] = {"model", "hardware", "batch_size", "seq_len",
                                           "precision", "timestamp"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!cJSON_GetObjectItemCaseSensitive(obj, required[i]) ||
            cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj, required[i])))
            return ia_error_set(err, IA_ERR_PARSE, "missing required field '%s'", required[i]);
    return ia_store_result_validate(r, err);
}

static const char *string_or_null(const cJSON *obj, const char *key, bool *bad)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!f || cJSON_IsNull(f))
        return NULL;
    if (!cJSON_IsString(f))
        *bad = true;
    return cJSON_IsString(f) ? f->valuestring : NULL;
}

/* A line with "status" records whether a case could run (a compatibility
 * row, docs/store.md): model, hardware, status and timestamp, optionally
 * batch_size, seq_len, precision, error_type, error_message. */
static ia_status import_compat_line(ia_store *store, const cJSON *obj, ia_error *err)
{
    static const char *const known[] = {"model", "hardware", "status", "timestamp",
                                        "batch_size", "seq_len", "precision", "error_type",
                                        "error_message"};
    for (const cJSON *f = obj->child; f; f = f->next) {
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0] && !ok; i++)
            ok = strcmp(f->string, known[i]) == 0;
        if (!ok)
            return ia_error_set(err, IA_ERR_PARSE,
                                "unknown field '%s' in a compatibility line (a line with "
                                "\"status\")",
                                f->string);
    }
    bool bad = false;
    ia_store_compat row = {
        .model = string_or_null(obj, "model", &bad),
        .hardware = string_or_null(obj, "hardware", &bad),
        .precision = string_or_null(obj, "precision", &bad),
        .status = string_or_null(obj, "status", &bad),
        .error_type = string_or_null(obj, "error_type", &bad),
        .error_message = string_or_null(obj, "error_message", &bad),
        .batch_size = -1,
        .seq_len = -1,
    };
    const char *timestamp = string_or_null(obj, "timestamp", &bad);
    if (bad)
        return ia_error_set(err, IA_ERR_PARSE, "model, hardware, status, timestamp, precision, "
                                               "error_type and error_message must be strings");
    if (!row.model || !*row.model || !row.hardware || !*row.hardware || !timestamp)
        return ia_error_set(err, IA_ERR_PARSE,
                            "a compatibility line needs model, hardware, status and timestamp");
    static const char *const statuses[] = {"ok", "unsupported", "oom", "timeout", "failed"};
    bool known_status = false;
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        known_status |= strcmp(row.status, statuses[i]) == 0;
    if (!known_status)
        return ia_error_set(err, IA_ERR_PARSE,
                            "status '%s' is not one of ok, unsupported, oom, timeout, failed",
                            row.status);
    int64_t *counts[] = {&row.batch_size, &row.seq_len};
    const char *names[] = {"batch_size", "seq_len"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, names[i]);
        if (!f || cJSON_IsNull(f))
            continue;
        if (!cJSON_IsNumber(f) || f->valuedouble != floor(f->valuedouble) ||
            f->valuedouble < 0 || f->valuedouble > 2147483647.0)
            return ia_error_set(err, IA_ERR_PARSE, "%s must be a whole number of 0 or more",
                                names[i]);
        *counts[i] = (int64_t)f->valuedouble;
    }
    return ia_store_insert_compat(store, 0, &row, timestamp, err);
}

/* A result line may say what its model is ("model_type", "model_family");
 * recorded in the models table, then removed so the rest reads as a result. */
static ia_status take_model_info(ia_store *store, cJSON *obj, ia_error *err)
{
    cJSON *type = cJSON_DetachItemFromObjectCaseSensitive(obj, "model_type");
    cJSON *family = cJSON_DetachItemFromObjectCaseSensitive(obj, "model_family");
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(obj, "model");
    ia_status rc = IA_OK;
    if ((type && !cJSON_IsString(type) && !cJSON_IsNull(type)) ||
        (family && !cJSON_IsString(family) && !cJSON_IsNull(family)))
        rc = ia_error_set(err, IA_ERR_PARSE, "model_type and model_family must be strings");
    else if ((cJSON_IsString(type) || cJSON_IsString(family)) && cJSON_IsString(model))
        rc = ia_store_set_model_info(store, model->valuestring,
                                     cJSON_IsString(type) ? type->valuestring : NULL,
                                     cJSON_IsString(family) ? family->valuestring : NULL, err);
    cJSON_Delete(type);
    cJSON_Delete(family);
    return rc;
}

/* Stages every line of text; returns the first bad line's error. */
static ia_status stage_lines(ia_store *store, const char *path, char *text, size_t *lines,
                             size_t *samples, size_t *compat_rows, double **buf, size_t *cap,
                             ia_error *err)
{
    ia_store_stage a;
    ia_status rc = ia_store_stage_open(store, &a, err);
    if (rc != IA_OK)
        return rc;
    size_t line_no = 0;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        line_no++;
        const char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (*p == 0) { /* blank lines are allowed */
            line = next;
            continue;
        }
        /* The store keeps text as UTF-8 and the engine refuses anything
         * else deep inside a bulk append: say which line instead. */
        if (!ia_utf8_valid(p, strlen(p))) {
            ia_store_stage_fail(store, &a, NULL);
            return ia_error_set(err, IA_ERR_PARSE, "%s:%zu: not valid UTF-8", path, line_no);
        }
        cJSON *obj = cJSON_Parse(p);
        ia_store_result r;
        const char *timestamp = NULL;
        const cJSON *sarr = NULL;
        ia_error line_err;
        ia_error_clear(&line_err);
        bool compat = false;
        if (!obj)
            rc = ia_error_set(&line_err, IA_ERR_PARSE, "not valid JSON");
        else if (cJSON_IsObject(obj) && cJSON_GetObjectItemCaseSensitive(obj, "status")) {
            compat = true;
            rc = import_compat_line(store, obj, &line_err);
        } else if (cJSON_IsObject(obj) && (rc = take_model_info(store, obj, &line_err)) == IA_OK)
            rc = parse_line(obj, &r, &timestamp, &sarr, &line_err);
        else if (!cJSON_IsObject(obj))
            rc = ia_error_set(&line_err, IA_ERR_PARSE, "not a JSON object");
        if (compat && rc == IA_OK) {
            cJSON_Delete(obj);
            (*lines)++;
            (*compat_rows)++;
            line = next;
            continue;
        }
        size_t n = 0;
        for (const cJSON *x = rc == IA_OK && sarr ? sarr->child : NULL; x; x = x->next) {
            if (n == *cap) {
                size_t grown = *cap ? *cap * 2 : 64;
                double *more = realloc(*buf, grown * sizeof *more);
                if (!more) {
                    cJSON_Delete(obj);
                    ia_store_stage_fail(store, &a, NULL);
                    return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
                }
                *buf = more;
                *cap = grown;
            }
            (*buf)[n++] = x->valuedouble;
        }
        if (rc == IA_OK && ia_store_stage_append(a.rows, (int64_t)line_no, &r, timestamp, *buf,
                                                 n) != DuckDBSuccess) {
            cJSON_Delete(obj);
            return ia_store_stage_fail(store, &a, err);
        }
        int64_t it = 0;
        for (const cJSON *x = rc == IA_OK && sarr ? sarr->child : NULL; x; x = x->next) {
            duckdb_append_int64(a.samples, (int64_t)line_no);
            duckdb_append_int64(a.samples, it++);
            duckdb_append_double(a.samples, x->valuedouble);
            if (duckdb_appender_end_row(a.samples) != DuckDBSuccess) {
                cJSON_Delete(obj);
                return ia_store_stage_fail(store, &a, err);
            }
        }
        cJSON_Delete(obj);
        if (rc != IA_OK) {
            duckdb_appender_destroy(&a.rows);
            duckdb_appender_destroy(&a.samples);
            return ia_error_set(err, rc, "%s:%zu: %s", path, line_no, line_err.message);
        }
        (*lines)++;
        *samples += (size_t)it;
        line = next;
    }
    return ia_store_stage_close(store, &a, err);
}

/* The Python framework we replace wrote one JSON object per run
 * (benchmark_<model>_<hardware>_<time>.json): model_path, hardware_key,
 * timestamp, and batch_sizes {"N": {throughput, latency_ms,
 * memory_usage_mb, success}}. Each successful batch size becomes one of our
 * lines. What does not map (docs/store.md): the sequence length and the
 * precision, never recorded there (stored as 0 and "unknown"), samples and
 * percentiles (its latency_ms is a mean); and since that framework largely
 * simulated its figures, every row is marked is_simulated with the reason.
 * Failed batch sizes are skipped. Returns NULL when text is not such a
 * file; *bad names a field that is there but wrong. */
static char *python_run_to_lines(const char *text, const char **bad)
{
    *bad = NULL;
    cJSON *doc = cJSON_Parse(text);
    const cJSON *sizes = cJSON_GetObjectItemCaseSensitive(doc, "batch_sizes");
    if (!cJSON_IsObject(doc) || !cJSON_IsObject(sizes)) {
        cJSON_Delete(doc);
        return NULL;
    }
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(doc, "model_path");
    if (!cJSON_IsString(model))
        model = cJSON_GetObjectItemCaseSensitive(doc, "model_key");
    const cJSON *hw = cJSON_GetObjectItemCaseSensitive(doc, "hardware_key");
    if (!cJSON_IsString(hw))
        hw = cJSON_GetObjectItemCaseSensitive(doc, "hardware");
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(doc, "timestamp");
    *bad = !cJSON_IsString(model) ? "model_path" : !cJSON_IsString(hw) ? "hardware_key"
                                                  : !cJSON_IsString(ts) ? "timestamp"
                                                                        : NULL;
    size_t cap = 4096, n = 0;
    char *out = *bad ? NULL : malloc(cap);
    for (const cJSON *b = out ? sizes->child : NULL; b && out; b = b->next) {
        const cJSON *ok = cJSON_GetObjectItemCaseSensitive(b, "success");
        if (!cJSON_IsTrue(ok))
            continue;
        char *end;
        long batch = strtol(b->string, &end, 10);
        cJSON *line = cJSON_CreateObject();
        char hw_lower[64];
        snprintf(hw_lower, sizeof hw_lower, "%s", hw->valuestring);
        for (char *c = hw_lower; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        cJSON_AddStringToObject(line, "model", model->valuestring);
        cJSON_AddStringToObject(line, "hardware", hw_lower);
        cJSON_AddNumberToObject(line, "batch_size", *end ? -1 : (double)batch);
        cJSON_AddNumberToObject(line, "seq_len", 0);
        cJSON_AddStringToObject(line, "precision", "unknown");
        cJSON_AddStringToObject(line, "timestamp", ts->valuestring);
        static const char *const map[][2] = {{"latency_ms", "latency_ms_mean"},
                                             {"throughput", "throughput_items_per_s"},
                                             {"memory_usage_mb", "memory_peak_mb"}};
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, map[i][0]);
            if (v)
                cJSON_AddItemToObject(line, map[i][1], cJSON_Duplicate(v, true));
        }
        cJSON_AddTrueToObject(line, "is_simulated");
        cJSON_AddStringToObject(line, "simulation_reason",
                                "imported from the Python framework's per-run JSON: not measured "
                                "by ipfs-accelerate (that framework largely simulated its "
                                "figures; sequence length and precision were not recorded)");
        char *s = cJSON_PrintUnformatted(line);
        cJSON_Delete(line);
        size_t k = s ? strlen(s) : 0;
        if (s && n + k + 2 > cap) {
            cap = (n + k + 2) * 2;
            char *more = realloc(out, cap);
            if (!more) {
                free(out);
                out = NULL;
            } else {
                out = more;
            }
        }
        if (!s || !out) {
            free(s);
            free(out);
            out = NULL;
            break;
        }
        memcpy(out + n, s, k);
        out[n + k] = '\n';
        n += k + 1;
        free(s);
    }
    if (out)
        out[n] = '\0';
    cJSON_Delete(doc);
    return out;
}

ia_status ia_store_import_jsonl(ia_store *store, const char *path, ia_store_import_stats *stats,
                                ia_error *err)
{
    if (store->read_only)
        return ia_error_set(err, IA_ERR_INVALID, "%s: opened read-only", store->path);
    char *text = NULL;
    ia_status rc = ia_file_read_all(path, IMPORT_MAX_BYTES, &text, NULL, err);
    if (rc != IA_OK)
        return rc;
    /* A whole-file JSON object with batch_sizes: the Python framework's
     * per-run result, converted to our lines. */
    const char *first = text + strspn(text, " \t\r\n");
    if (*first == '{' && strstr(first, "\"batch_sizes\"")) {
        const char *bad = NULL;
        char *lines_text = python_run_to_lines(first, &bad);
        if (bad) {
            free(text);
            return ia_error_set(err, IA_ERR_PARSE,
                                "%s: a per-run result of the Python framework without a usable "
                                "'%s'",
                                path, bad);
        }
        if (lines_text) {
            free(text);
            text = lines_text;
        }
    }
    if ((rc = ia_store_exec(store, "import", "BEGIN TRANSACTION", err)) != IA_OK) {
        free(text);
        return rc;
    }
    size_t lines = 0, samples = 0, imported = 0, duplicates = 0;
    double *buf = NULL;
    size_t cap = 0;
    size_t compat_rows = 0;
    rc = stage_lines(store, path, text, &lines, &samples, &compat_rows, &buf, &cap, err);
    free(buf);
    free(text);
    int64_t bad_line = 0;
    if (rc == IA_OK)
        rc = ia_store_query_int(store,
                                "SELECT min(line) FROM stage WHERE created_at_text IS NOT NULL"
                                " AND TRY_CAST(created_at_text AS TIMESTAMPTZ) IS NULL",
                                0, &bad_line, err);
    if (rc == IA_OK && bad_line > 0)
        rc = ia_error_set(err, IA_ERR_PARSE, "%s:%lld: timestamp is not ISO 8601", path,
                          (long long)bad_line);
    if (rc == IA_OK)
        rc = ia_store_stage_commit(store, 0, &imported, &duplicates, err);
    if (rc == IA_OK)
        rc = ia_store_exec(store, "import commit", "COMMIT", err);
    if (rc != IA_OK) {
        ia_store_rollback(store);
        /* The staging tables are temporary and not transactional for us:
         * empty them so the next batch starts clean. */
        ia_error keep = err ? *err : (ia_error){0};
        ia_store_exec(store, "clearing", "DELETE FROM stage; DELETE FROM stage_samples", NULL);
        if (err)
            *err = keep;
        return rc;
    }
    if (stats) {
        stats->lines += lines;
        stats->imported += imported;
        stats->duplicates += duplicates;
        stats->samples += (size_t)store->last_sample_count;
        stats->compat_rows += compat_rows;
    }
    return IA_OK;
}
