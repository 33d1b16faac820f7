/* The compatibility matrix (src/report/matrix*.c, family.c): model families
 * from the registry, presets and names; the four cell states and their
 * reasons from a store built here; the newer of a result and a failure
 * winning; families aggregated; the filters; and the four output formats
 * (JSON parsed back with cJSON, the Markdown's rows, the table's colours,
 * the HTML page's chart and table). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/report.h"
#include "ipfs_accelerate/store.h"
#include "report/report_internal.h"

static char dir[256];
static ia_store *store;

static int64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static const int64_t day_us = 86400LL * 1000000;

static void add_result(const char *model, const char *hw, int64_t batch, double p50, double mean,
                       int64_t ts, bool simulated)
{
    ia_store_result r = ia_store_result_init();
    r.model = model;
    r.hardware = hw;
    r.batch_size = batch;
    r.seq_len = 128;
    r.precision = "fp32";
    r.timestamp_us = ts;
    r.latency_ms_p50 = p50;
    r.latency_ms_mean = mean;
    r.is_simulated = simulated;
    r.simulation_reason = simulated ? "imported from the old framework" : NULL;
    ia_error err;
    if (ia_store_add_result(store, 0, &r, NULL, 0, NULL, &err) != IA_OK)
        fail_msg("add_result %s: %s", model, err.message);
}

static void add_compat(const char *model, const char *hw, const char *status, const char *msg)
{
    ia_store_compat c = {.model = model, .hardware = hw, .precision = "fp32", .batch_size = 1,
                         .seq_len = 128, .status = status, .error_message = msg};
    ia_error err;
    if (ia_store_add_compat(store, 0, &c, &err) != IA_OK)
        fail_msg("add_compat %s: %s", model, err.message);
}

/* The store every matrix test reads (see each test for what it checks). */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ia_matrix_test.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[320];
    snprintf(path, sizeof path, "%s/m.duckdb", dir);
    ia_error err;
    if (ia_store_open(path, false, &store, &err) != IA_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    int64_t now = now_us(), old = now - 400 * day_us;
    /* Two batch sizes: the best is the lower p50 with its batch size. */
    add_result("bert-base-uncased", "cpu", 1, 10.0, 11.0, old, false);
    add_result("bert-base-uncased", "cpu", 4, 8.25, 9.0, old, false);
    /* Simulated only; and a result without p50 (the mean stands in). */
    add_result("m-sim", "cpu", 1, 30.5, 31.0, old, true);
    add_result("m-mean", "cpu", 2, NAN, 20.0, old, false);
    ia_store_set_model_info(store, "m-sim", "bert", NULL, &err);
    ia_store_set_model_info(store, "m-mean", "bert", NULL, &err);
    /* A failure newer than the result wins... */
    add_result("gpt2", "cpu", 1, 50.0, 51.0, old, false);
    add_compat("gpt2", "cpu", "oom", "out of memory");
    /* ...and a result newer than the failure wins. */
    add_compat("Qwen/Qwen2-0.5B", "cpu", "failed", "crashed");
    add_result("Qwen/Qwen2-0.5B", "cpu", 1, 40.0, 41.0, now + day_us, false);
    /* Two failures in one family on one hardware. */
    add_compat("gpt2", "cuda", "oom", "out of memory");
    add_compat("gpt2-medium", "cuda", "timeout", "took over 600 s");
    /* A planned model type: unsupported by the registry where nobody tried;
     * a recorded unsupported row keeps its own reason. */
    add_compat("openai/whisper-tiny", "cuda", "unsupported", "no audio on cuda yet");
    ia_store_set_model_info(store, "openai/whisper-tiny", "whisper", NULL, &err);
    /* A failure superseded by a later 'ok' check, and no result. */
    add_compat("distilbert-base-uncased", "cpu", "failed", "old bug");
    add_compat("distilbert-base-uncased", "cpu", "ok", NULL);
    /* Hardware this build has no backend for, measured by someone. */
    add_result("my_model", "webgpu", 1, 5.0, 5.5, old, false);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ia_store_close(store);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static ia_matrix *build(ia_matrix_by by, const char *model, const char *hw)
{
    ia_matrix *m = NULL;
    ia_error err;
    if (ia_matrix_build(store, by, model, hw, &m, &err) != IA_OK)
        fail_msg("ia_matrix_build: %s", err.message);
    return m;
}

static size_t row_of(const ia_matrix *m, const char *name)
{
    for (size_t r = 0; r < m->rows; r++)
        if (strcmp(m->row_names[r], name) == 0)
            return r;
    fail_msg("no row %s", name);
    return 0;
}

static size_t col_of(const ia_matrix *m, const char *name)
{
    for (size_t c = 0; c < m->columns; c++)
        if (strcmp(m->column_names[c], name) == 0)
            return c;
    fail_msg("no column %s", name);
    return 0;
}

static const ia_matrix_cell *cell(const ia_matrix *m, const char *row, const char *col)
{
    return &m->cells[row_of(m, row) * m->columns + col_of(m, col)];
}

static bool has_backend(const char *hw)
{
    char list[128];
    snprintf(list, sizeof list, " %s ", ia_build_info_get()->backends);
    char want[64];
    snprintf(want, sizeof want, " %s ", hw);
    return strstr(list, want) != NULL;
}

/* ------------------------------------------------------------ families */

static void test_family_from_type_preset_and_name(void **state)
{
    (void)state;
    bool guessed = true;
    const ia_model_type_info *bert = ia_model_type_find("bert");
    assert_non_null(bert);
    assert_string_equal(ia_report_model_family("x", "bert", &guessed), bert->family);
    assert_false(guessed);

    const ia_model_preset *preset = ia_model_preset_find("bert-base-uncased");
    assert_non_null(preset);
    assert_string_equal(ia_report_model_family("bert-base-uncased", NULL, &guessed),
                        preset->family);
    assert_false(guessed);

    const char *vit = ia_model_type_find("vit")->family;
    assert_string_equal(ia_report_model_family("google/vit-base-patch16-224", NULL, &guessed),
                        vit);

    assert_string_equal(ia_report_model_family("openai/whisper-tiny", NULL, &guessed),
                        ia_model_type_find("whisper")->family);
    assert_true(guessed);
    assert_string_equal(ia_report_model_family("Qwen/Qwen2-0.5B", NULL, &guessed),
                        ia_model_type_find("qwen2")->family);
    assert_string_equal(ia_report_model_family("llava-hf/llava-v1.6", NULL, &guessed),
                        ia_model_type_find("llava")->family);
    assert_true(guessed);

    assert_string_equal(ia_report_model_family("my-model", NULL, &guessed), "unknown");
    assert_false(guessed);
    /* A type the registry does not know falls back to the name. */
    assert_string_equal(ia_report_model_family("gpt2-medium", "no-such-type", &guessed),
                        ia_model_type_find("gpt2")->family);
    assert_true(guessed);
    assert_string_equal(ia_report_model_family(NULL, NULL, NULL), "unknown");
}

static void test_family_word_boundary(void **state)
{
    (void)state;
    bool guessed;
    /* "vitdet" is a type of its own, not vit followed by "det". */
    const char *vitdet = ia_model_type_find("vitdet")->family;
    assert_string_equal(ia_report_model_family("org/VitDet-base", NULL, &guessed), vitdet);
    /* A type must end on a word boundary: "bertweet-x" is not bert. */
    const ia_model_type_info *bertweet = ia_model_type_find("bertweet");
    const char *fam = ia_report_model_family("bertweet-x", NULL, &guessed);
    if (bertweet)
        assert_string_equal(fam, bertweet->family);
    else
        assert_string_equal(fam, "unknown");
    /* '_' and '-' alike; a version number after a letter is a boundary. */
    assert_string_equal(ia_report_model_family("meta/LLAMA2-7b", NULL, &guessed),
                        ia_model_type_find("llama")->family);
    assert_string_equal(ia_report_model_family("xlm_roberta_base", NULL, &guessed),
                        ia_model_type_find("xlm-roberta")->family);
    assert_string_equal(ia_report_model_family("zzz-unheard-of", NULL, &guessed), "unknown");
}

/* -------------------------------------------------------------- matrix */

static void test_rows_and_columns(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, NULL, NULL);
    assert_int_equal(m->by, IA_MATRIX_BY_MODEL);
    const char *rows[] = {"Qwen/Qwen2-0.5B", "bert-base-uncased", "distilbert-base-uncased",
                          "gpt2", "gpt2-medium", "m-mean", "m-sim", "my_model",
                          "openai/whisper-tiny"};
    assert_int_equal(m->rows, sizeof rows / sizeof rows[0]);
    for (size_t r = 0; r < m->rows; r++)
        assert_string_equal(m->row_names[r], rows[r]);
    /* cpu first, then by name; the store's hardware and the build's backends. */
    assert_string_equal(m->column_names[0], "cpu");
    for (size_t c = 2; c < m->columns; c++)
        assert_true(strcmp(m->column_names[c - 1], m->column_names[c]) < 0);
    col_of(m, "cuda");
    col_of(m, "webgpu");
    ia_matrix_free(m);
}

static void test_ok_cells(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, NULL, NULL);
    const ia_matrix_cell *c = cell(m, "bert-base-uncased", "cpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_float_equal(c->best_latency_ms, 8.25, 1e-9);
    assert_int_equal(c->best_batch_size, 4);
    assert_false(c->simulated);
    assert_null(c->reason);

    c = cell(m, "m-sim", "cpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_true(c->simulated);

    c = cell(m, "m-mean", "cpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_float_equal(c->best_latency_ms, 20.0, 1e-9);
    assert_int_equal(c->best_batch_size, 2);
    ia_matrix_free(m);
}

static void test_failed_unsupported_not_measured(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, NULL, NULL);
    /* The failure is newer than the result. */
    const ia_matrix_cell *c = cell(m, "gpt2", "cpu");
    assert_int_equal(c->state, IA_CELL_FAILED);
    assert_string_equal(c->reason, "oom: out of memory");
    /* The result is newer than the failure. */
    c = cell(m, "Qwen/Qwen2-0.5B", "cpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_float_equal(c->best_latency_ms, 40.0, 1e-9);

    c = cell(m, "gpt2-medium", "cuda");
    assert_int_equal(c->state, IA_CELL_FAILED);
    assert_string_equal(c->reason, "timeout: took over 600 s");

    /* A recorded unsupported row, and the registry where nobody tried. */
    c = cell(m, "openai/whisper-tiny", "cuda");
    assert_int_equal(c->state, IA_CELL_UNSUPPORTED);
    assert_string_equal(c->reason, "no audio on cuda yet");
    c = cell(m, "openai/whisper-tiny", "cpu");
    assert_int_equal(c->state, IA_CELL_UNSUPPORTED);
    assert_string_equal(c->reason, "model type whisper is planned, not yet run by this engine");

    /* The latest check said ok, and nothing was measured. */
    c = cell(m, "distilbert-base-uncased", "cpu");
    assert_int_equal(c->state, IA_CELL_NOT_MEASURED);
    assert_null(c->reason);
    c = cell(m, "my_model", "cpu");
    assert_int_equal(c->state, IA_CELL_NOT_MEASURED);

    /* webgpu is no backend here but someone measured there: not measured. */
    c = cell(m, "bert-base-uncased", "webgpu");
    assert_int_equal(c->state, IA_CELL_NOT_MEASURED);
    c = cell(m, "my_model", "webgpu");
    assert_int_equal(c->state, IA_CELL_OK);
    /* cuda: nothing measured there; unsupported unless this build has it. */
    c = cell(m, "bert-base-uncased", "cuda");
    if (has_backend("cuda")) {
        assert_int_equal(c->state, IA_CELL_NOT_MEASURED);
    } else {
        assert_int_equal(c->state, IA_CELL_UNSUPPORTED);
        assert_string_equal(c->reason, "this build has no cuda backend");
    }
    ia_matrix_free(m);
}

static void test_filters(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, "gpt2", "cpu");
    assert_int_equal(m->rows, 2);
    assert_string_equal(m->row_names[0], "gpt2");
    assert_string_equal(m->row_names[1], "gpt2-medium");
    assert_int_equal(m->columns, 1);
    assert_string_equal(m->column_names[0], "cpu");
    /* gpt2-medium was only tried on cuda. */
    assert_int_equal(m->cells[1].state, IA_CELL_NOT_MEASURED);
    ia_matrix_free(m);

    /* A hardware nobody has: a column of its own, unsupported here. */
    m = build(IA_MATRIX_BY_MODEL, "bert-base", "tpu-test");
    assert_int_equal(m->rows, 2); /* bert-base-uncased, distilbert-base-uncased */
    assert_int_equal(m->columns, 1);
    assert_int_equal(m->cells[0].state, IA_CELL_UNSUPPORTED);
    assert_string_equal(m->cells[0].reason, "this build has no tpu-test backend");
    ia_matrix_free(m);

    m = build(IA_MATRIX_BY_MODEL, "nothing-like-this", NULL);
    assert_int_equal(m->rows, 0);
    assert_true(m->columns >= 1);
    ia_matrix_free(m);
}

static void test_by_family(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_FAMILY, NULL, NULL);
    assert_int_equal(m->by, IA_MATRIX_BY_FAMILY);
    const char *embedding = ia_model_type_find("bert")->family;
    const char *textgen = ia_model_type_find("gpt2")->family;
    const char *audio = ia_model_type_find("whisper")->family;
    /* Sorted, "unknown" (my_model) last. */
    assert_string_equal(m->row_names[m->rows - 1], "unknown");
    for (size_t r = 1; r + 1 < m->rows; r++)
        assert_true(strcmp(m->row_names[r - 1], m->row_names[r]) < 0);

    /* bert-base-uncased, distilbert-base-uncased, m-mean, m-sim. */
    const ia_matrix_cell *c = cell(m, embedding, "cpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_int_equal(c->models, 4);
    assert_int_equal(c->ok_models, 3);
    assert_float_equal(c->best_latency_ms, 8.25, 1e-9);
    assert_int_equal(c->best_batch_size, 4);
    assert_false(c->simulated);

    /* gpt2 failed on cpu but Qwen2 ran: the family is OK there. */
    c = cell(m, textgen, "cpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_int_equal(c->models, 3);
    assert_int_equal(c->ok_models, 1);
    assert_float_equal(c->best_latency_ms, 40.0, 1e-9);
    /* On cuda two failed: the first reason and how many more. */
    c = cell(m, textgen, "cuda");
    assert_int_equal(c->state, IA_CELL_FAILED);
    assert_string_equal(c->reason, "oom: out of memory (+1 more)");

    c = cell(m, audio, "cpu");
    assert_int_equal(c->state, IA_CELL_UNSUPPORTED);
    assert_non_null(c->reason);

    c = cell(m, "unknown", "cpu");
    assert_int_equal(c->state, IA_CELL_NOT_MEASURED);
    c = cell(m, "unknown", "webgpu");
    assert_int_equal(c->state, IA_CELL_OK);
    assert_int_equal(c->ok_models, 1);
    ia_matrix_free(m);
}

/* ------------------------------------------------------------- formats */

static char *write_matrix(const ia_matrix *m, ia_matrix_format f, bool color)
{
    ia_strbuf b = {0};
    ia_error err;
    if (ia_matrix_write(m, f, color, &b, &err) != IA_OK)
        fail_msg("ia_matrix_write: %s", err.message);
    char *s = ia_strbuf_take(&b);
    assert_non_null(s);
    return s;
}

static const cJSON *json_cell(const cJSON *root, const char *row, const char *hw)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "rows"))
    {
        const cJSON *name = cJSON_GetObjectItem(r, "name");
        if (cJSON_IsString(name) && strcmp(name->valuestring, row) == 0)
            return cJSON_GetObjectItem(cJSON_GetObjectItem(r, "cells"), hw);
    }
    fail_msg("no row %s in the JSON", row);
    return NULL;
}

static void test_json(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, NULL, NULL);
    char *text = write_matrix(m, IA_MATRIX_JSON, false);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "by")->valuestring, "model");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "hardware")), m->columns);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "rows")), m->rows);

    const cJSON *c = json_cell(root, "bert-base-uncased", "cpu");
    assert_string_equal(cJSON_GetObjectItem(c, "state")->valuestring, "ok");
    assert_float_equal(cJSON_GetObjectItem(c, "best_latency_ms")->valuedouble, 8.25, 1e-9);
    assert_int_equal(cJSON_GetObjectItem(c, "batch_size")->valueint, 4);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(c, "simulated")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "reason")));

    c = json_cell(root, "gpt2", "cpu");
    assert_string_equal(cJSON_GetObjectItem(c, "state")->valuestring, "failed");
    assert_string_equal(cJSON_GetObjectItem(c, "reason")->valuestring, "oom: out of memory");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "best_latency_ms")));

    c = json_cell(root, "openai/whisper-tiny", "cuda");
    assert_string_equal(cJSON_GetObjectItem(c, "state")->valuestring, "unsupported");
    c = json_cell(root, "my_model", "cpu");
    assert_string_equal(cJSON_GetObjectItem(c, "state")->valuestring, "not_measured");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "batch_size")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "simulated")));
    cJSON_Delete(root);
    free(text);
    ia_matrix_free(m);

    m = build(IA_MATRIX_BY_FAMILY, NULL, NULL);
    text = write_matrix(m, IA_MATRIX_JSON, false);
    root = cJSON_Parse(text);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "by")->valuestring, "family");
    c = json_cell(root, ia_model_type_find("bert")->family, "cpu");
    assert_int_equal(cJSON_GetObjectItem(c, "ok_models")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(c, "models")->valueint, 4);
    cJSON_Delete(root);
    free(text);
    ia_matrix_free(m);
}

static void test_markdown(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, NULL, "cpu");
    char *text = write_matrix(m, IA_MATRIX_MARKDOWN, false);
    assert_non_null(strstr(text, "| model | cpu |\n| --- | --- |\n"));
    assert_non_null(strstr(text, "| bert-base-uncased | ✅ ok 8.25 ms (b4) |\n"));
    assert_non_null(strstr(text, "| gpt2 | ❌ failed: oom: out of memory |\n"));
    assert_non_null(strstr(text, "| openai/whisper-tiny | ⛔ unsupported: model type whisper is "
                                 "planned, not yet run by this engine |\n"));
    assert_non_null(strstr(text, "| my\\_model | · not measured |\n"));
    assert_non_null(strstr(text, "| m-sim | ✅ ok 30.5 ms (b1) (simulated) |\n"));
    /* One line per row, plus the header, the rule and the legend. */
    size_t pipes = 0;
    for (const char *p = text; (p = strstr(p, "\n| ")) != NULL; p++)
        pipes++;
    assert_int_equal(pipes, m->rows + 1);
    assert_non_null(strstr(text, "not measured\n"));
    free(text);
    ia_matrix_free(m);
}

static void test_table(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_MODEL, NULL, "cpu");
    char *plain = write_matrix(m, IA_MATRIX_TABLE, false);
    assert_null(strchr(plain, '\x1b'));
    assert_non_null(strstr(plain, "ok 8.25 ms (b4)"));
    assert_non_null(strstr(plain, "FAILED oom [1]"));
    assert_non_null(strstr(plain, "[1] oom: out of memory\n"));
    assert_non_null(strstr(plain, "unsupported [2]"));
    assert_non_null(strstr(plain, "ok 30.5 ms (b1) (sim)"));
    assert_non_null(strstr(plain, "\nmy_model                 -\n"));
    assert_non_null(strstr(plain, "-: not measured"));
    char *color = write_matrix(m, IA_MATRIX_TABLE, true);
    assert_non_null(strstr(color, "\x1b[32mok 8.25 ms (b4)\x1b[0m"));
    assert_non_null(strstr(color, "\x1b[31mFAILED oom [1]\x1b[0m"));
    assert_non_null(strstr(color, "\x1b[90munsupported [2]\x1b[0m"));
    assert_non_null(strstr(color, "\x1b[2m-\x1b[0m"));
    free(plain);
    free(color);
    ia_matrix_free(m);
}

static void test_html(void **state)
{
    (void)state;
    ia_matrix *m = build(IA_MATRIX_BY_FAMILY, NULL, NULL);
    char *text = write_matrix(m, IA_MATRIX_HTML, false);
    assert_true(strncmp(text, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(text, "data-charts=\"1\""));
    assert_non_null(strstr(text, "<svg"));
    assert_non_null(strstr(text, "id=\"matrix-by-family\""));
    assert_non_null(strstr(text, "table class=\"ia-sortable\""));
    assert_non_null(strstr(text, "<td data-state=\"failed\" data-v=\"\">"));
    assert_non_null(strstr(text, "<td data-state=\"unsupported\" data-v=\"\">"));
    assert_non_null(strstr(text, "<td data-state=\"not_measured\" data-v=\"\">"));
    assert_non_null(strstr(text, "oom: out of memory (+1 more)"));
    /* Hardware columns sort by the best latency, which OK cells carry. */
    assert_non_null(strstr(text, "<th data-type=\"number\">cpu</th>"));
    assert_non_null(strstr(text, "<td data-state=\"ok\" data-v=\""));
    assert_null(strstr(text, "<td data-state=\"ok\" data-v=\"\">"));
    assert_non_null(strstr(text, "</html>\n"));
    free(text);
    ia_matrix_free(m);

    /* An empty matrix still makes a whole page. */
    m = build(IA_MATRIX_BY_MODEL, "nothing-like-this", NULL);
    text = write_matrix(m, IA_MATRIX_HTML, false);
    assert_non_null(strstr(text, "</html>\n"));
    free(text);
    ia_matrix_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_from_type_preset_and_name),
        cmocka_unit_test(test_family_word_boundary),
        cmocka_unit_test(test_rows_and_columns),
        cmocka_unit_test(test_ok_cells),
        cmocka_unit_test(test_failed_unsupported_not_measured),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_by_family),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_html),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
