/* The compatibility and regression sections. Compatibility comes from the
 * matrix (matrix.c): a heatmap and the same cells as a table, by family and
 * by model. Regressions are read from the store when an analysis has stored
 * them; otherwise the report says that none was stored, never "none found". */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *const state_words[] = {
    [IA_CELL_OK] = "ok",
    [IA_CELL_FAILED] = "failed",
    [IA_CELL_UNSUPPORTED] = "unsupported",
    [IA_CELL_NOT_MEASURED] = "not measured",
};

/* A cell in a few words, the same in the chart and the table. */
static void cell_label(const ia_matrix *m, const ia_matrix_cell *cell, char *out, size_t cap)
{
    char num[32];
    if (cell->state != IA_CELL_OK) {
        snprintf(out, cap, "%s", state_words[cell->state]);
        return;
    }
    if (m->by == IA_MATRIX_BY_FAMILY)
        snprintf(out, cap, "%zu/%zu ok, %s ms%s", cell->ok_models, cell->models,
                 ia_report_fmt_num(cell->best_latency_ms, num), cell->simulated ? " (sim)" : "");
    else
        snprintf(out, cap, "%s ms%s", ia_report_fmt_num(cell->best_latency_ms, num),
                 cell->simulated ? " (sim)" : "");
}

static void matrix_section(ia_rp_ctx *c, const ia_matrix *m, const char *id, const char *what)
{
    size_t n = m->rows * m->columns;
    ia_chart_cell *cells = calloc(n ? n : 1, sizeof *cells);
    char (*labels)[96] = calloc(n ? n : 1, sizeof *labels);
    char (*titles)[512] = calloc(n ? n : 1, sizeof *titles);
    if (!cells || !labels || !titles) {
        c->doc->failed = true;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ia_matrix_cell *mc = &m->cells[i];
        cell_label(m, mc, labels[i], sizeof labels[i]);
        snprintf(titles[i], sizeof titles[i], "%s on %s: %s%s%s%s",
                 m->row_names[i / m->columns], m->column_names[i % m->columns], labels[i],
                 mc->state == IA_CELL_OK ? " (best p50, batch " : "",
                 mc->state == IA_CELL_OK ? "" : (mc->reason ? ": " : ""),
                 mc->state == IA_CELL_OK ? "" : (mc->reason ? mc->reason : ""));
        if (mc->state == IA_CELL_OK)
            snprintf(titles[i] + strlen(titles[i]), sizeof titles[i] - strlen(titles[i]),
                     "%lld)", (long long)mc->best_batch_size);
        cells[i] = (ia_chart_cell){mc->state, mc->best_latency_ms, labels[i], titles[i]};
    }
    char title[128];
    snprintf(title, sizeof title, "Compatibility, %s x hardware", what);
    ia_chart chart = {.kind = IA_CHART_HEATMAP, .id = id, .title = title,
                      .x_label = "hardware", .y_label = what, .unit = "ms",
                      .categories = (const char *const *)m->column_names,
                      .category_count = m->columns,
                      .rows = (const char *const *)m->row_names, .row_count = m->rows,
                      .cells = cells};
    ia_doc_chart(c->doc, &chart);

    /* The same cells as a table: the first column names the row. */
    ia_doc_column *cols = calloc(m->columns + 1, sizeof *cols);
    if (!cols) {
        c->doc->failed = true;
        goto done;
    }
    cols[0] = (ia_doc_column){what, what, NULL, false};
    for (size_t k = 0; k < m->columns; k++)
        cols[k + 1] = (ia_doc_column){m->column_names[k], m->column_names[k], NULL, false};
    char key[64];
    snprintf(key, sizeof key, "compatibility_by_%s", what);
    ia_doc_table *t = ia_doc_table_begin(c->doc, key, NULL, cols, m->columns + 1);
    for (size_t r = 0; r < m->rows; r++) {
        ia_doc_cell_text(c->doc, t, m->row_names[r]);
        for (size_t k = 0; k < m->columns; k++)
            ia_doc_cell_text(c->doc, t, labels[r * m->columns + k]);
    }
    free(cols);
done:
    free(cells);
    free(labels);
    free(titles);
}

static void failures_table(ia_rp_ctx *c)
{
    static const ia_doc_column cols[] = {
        {"model", "model", NULL, false},
        {"hardware", "hardware", NULL, false},
        {"status", "status", NULL, false},
        {"error_type", "error", NULL, false},
        {"error_message", "reason", NULL, false},
        {"last_checked", "checked", NULL, false},
    };
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "SELECT model, hardware, status, error_type, error_message,"
                         " epoch_us(last_checked) FROM compatibility_matrix"
                         " WHERE status <> 'ok'");
    if (c->opt->model && *c->opt->model) {
        ia_strbuf_puts(&sql, " AND contains(model, ");
        ia_store_put_literal(&sql, c->opt->model);
        ia_strbuf_puts(&sql, ")");
    }
    ia_strbuf_puts(&sql, " ORDER BY model, hardware");
    ia_store_table *q = NULL;
    c->rc = sql.failed ? ia_error_set(c->err, IA_ERR_NOMEM, "report: out of memory")
                       : ia_store_query(c->store, sql.data, &q, c->err);
    ia_strbuf_free(&sql);
    if (c->rc != IA_OK)
        return;
    if (q->rows == 0) {
        ia_doc_note(c->doc, "No failure is recorded: every case tried ran.");
    } else {
        ia_doc_table *t = ia_doc_table_begin(c->doc, "failures", "Cases that could not run, "
                                                                 "with the reason",
                                             cols, sizeof cols / sizeof cols[0]);
        for (size_t r = 0; r < q->rows; r++) {
            for (size_t k = 0; k < 5; k++)
                ia_doc_cell_text(c->doc, t, q->cells[r * q->columns + k]);
            char when[32];
            const char *us = q->cells[r * q->columns + 5];
            ia_doc_cell_text(c->doc, t, us ? ia_report_fmt_time(strtoll(us, NULL, 10), when) : "");
        }
    }
    ia_store_table_free(q);
}

void ia_rp_compat_sections(ia_rp_ctx *c, bool detailed)
{
    if (!detailed) /* the compatibility report's own title says it */
        ia_doc_heading(c->doc, 2, "Compatibility");
    ia_doc_text(c->doc, "Each cell is one of four states: ok (measured, with its best p50 "
                        "latency), failed (tried, with the reason), unsupported (the engine or "
                        "its registry cannot run it) and not measured (nobody tried).");
    for (int pass = 0; pass < (detailed ? 2 : 1) && c->rc == IA_OK; pass++) {
        ia_matrix_by by = pass == 0 ? IA_MATRIX_BY_FAMILY : IA_MATRIX_BY_MODEL;
        ia_matrix *m = NULL;
        c->rc = ia_matrix_build(c->store, by, c->opt->model, c->opt->hardware, &m, c->err);
        if (c->rc != IA_OK)
            return;
        if (detailed)
            ia_doc_heading(c->doc, 3, pass == 0 ? "By model family" : "By model");
        matrix_section(c, m, pass == 0 ? "compat-by-family" : "compat-by-model",
                       pass == 0 ? "family" : "model");
        ia_matrix_free(m);
    }
    if (detailed && c->rc == IA_OK) {
        ia_doc_heading(c->doc, 3, "Failures");
        failures_table(c);
    }
}

void ia_rp_regression_sections(ia_rp_ctx *c)
{
    ia_doc_heading(c->doc, 2, "Regressions");
    if (!c->data->has_regressions) {
        ia_doc_note(c->doc, "No regression finding is stored in this database: either "
                            "ipfs-accelerate regress has not analysed it or it found nothing. "
                            "This is not a statement that nothing regressed.");
        return;
    }
    ia_store_table *q = NULL;
    c->rc = ia_store_query(c->store,
                           "SELECT regression_id AS id, status, kind, severity, model, hardware,"
                           " batch_size, seq_len, precision, metric, change_pct, p_value,"
                           " first_at AS first_bad_at, first_commit AS first_bad_commit, method"
                           " FROM regressions_view ORDER BY status = 'detected' DESC,"
                           " kind DESC, abs(change_pct) DESC, regression_id",
                           &q, c->err);
    if (c->rc != IA_OK)
        return;
    if (q->rows == 0) {
        ia_doc_note(c->doc, "The stored regression analysis found no change.");
    } else {
        ia_doc_column *cols = calloc(q->columns ? q->columns : 1, sizeof *cols);
        if (!cols) {
            c->doc->failed = true;
        } else {
            for (size_t k = 0; k < q->columns; k++)
                cols[k] = (ia_doc_column){q->names[k], q->names[k], NULL, q->numeric[k]};
            ia_doc_table *t = ia_doc_table_begin(c->doc, "regressions",
                                                 "Findings of the regression analysis "
                                                 "(ipfs-accelerate regress), active first",
                                                 cols, q->columns);
            for (size_t r = 0; r < q->rows; r++)
                for (size_t k = 0; k < q->columns; k++) {
                    const char *v = q->cells[r * q->columns + k];
                    if (q->numeric[k])
                        ia_doc_cell_num(c->doc, t, v ? strtod(v, NULL) : NAN);
                    else
                        ia_doc_cell_text(c->doc, t, v);
                }
            free(cols);
        }
    }
    ia_store_table_free(q);
}
