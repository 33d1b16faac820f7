/* The compatibility matrix written for people (a terminal table, Markdown,
 * an HTML page) and programs (JSON). The four states differ by words or
 * symbols in every format, never by colour alone, so a matrix printed
 * without colour, read by a screen reader or pasted into an issue still
 * says which cells failed. Reasons are long and repeat (every cell of a
 * backend this build lacks says so), so the terminal table numbers them
 * once under the table. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"

#define ANSI_GREEN "\x1b[32m"
#define ANSI_RED "\x1b[31m"
#define ANSI_GREY "\x1b[90m"
#define ANSI_DIM "\x1b[2m"
#define ANSI_RESET "\x1b[0m"

static const char *const state_keys[] = {
    [IA_CELL_OK] = "ok",
    [IA_CELL_FAILED] = "failed",
    [IA_CELL_UNSUPPORTED] = "unsupported",
    [IA_CELL_NOT_MEASURED] = "not_measured",
};

static const char *row_kind(const ia_matrix *m)
{
    return m->by == IA_MATRIX_BY_FAMILY ? "family" : "model";
}

static const ia_matrix_cell *cell_of(const ia_matrix *m, size_t r, size_t c)
{
    return &m->cells[r * m->columns + c];
}

/* "ok 12.3 ms (b1)"; for a family "2/3 ok, 12.3 ms (b1)". */
static void ok_summary(const ia_matrix *m, const ia_matrix_cell *cell, ia_strbuf *b)
{
    char num[32];
    if (m->by == IA_MATRIX_BY_FAMILY)
        ia_strbuf_printf(b, "%zu/%zu ok, ", cell->ok_models, cell->models);
    else
        ia_strbuf_puts(b, "ok ");
    if (isnan(cell->best_latency_ms)) {
        ia_strbuf_puts(b, "no latency");
        return;
    }
    ia_strbuf_printf(b, "%s ms", ia_report_fmt_num(cell->best_latency_ms, num));
    if (cell->best_batch_size > 0)
        ia_strbuf_printf(b, " (b%lld)", (long long)cell->best_batch_size);
}

/* The reason's first word: "oom" of "oom: CUDA out of memory". */
static void short_reason(const char *reason, char *out, size_t cap)
{
    size_t n = reason ? strcspn(reason, ":") : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, reason ? reason : "", n);
    out[n] = 0;
}

/* "failed: <reason>", without saying "failed" twice when the reason is a
 * 'failed' status's own ("failed: no CUDA backend"). */
static void failed_words(const char *reason, ia_strbuf *b)
{
    if (reason && strncmp(reason, "failed", 6) == 0)
        ia_strbuf_puts(b, reason);
    else
        ia_strbuf_printf(b, "failed%s%s", reason ? ": " : "", reason ? reason : "");
}

/* --------------------------------------------------------------- table */

/* Distinct reasons, numbered in the order the table meets them. */
typedef struct notes {
    const char **v;
    size_t n;
} notes;

static size_t note_number(notes *ns, const char *reason)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], reason) == 0)
            return i + 1;
    ns->v[ns->n++] = reason;
    return ns->n;
}

static void table_cell_text(const ia_matrix *m, const ia_matrix_cell *cell, notes *ns,
                            ia_strbuf *b)
{
    char word[40];
    switch (cell->state) {
    case IA_CELL_OK:
        ok_summary(m, cell, b);
        if (cell->simulated)
            ia_strbuf_puts(b, " (sim)");
        break;
    case IA_CELL_FAILED:
        short_reason(cell->reason, word, sizeof word);
        if (strcmp(word, "failed") == 0)
            *word = 0; /* "FAILED failed" says nothing more */
        ia_strbuf_printf(b, "FAILED%s%s", *word ? " " : "", word);
        break;
    case IA_CELL_UNSUPPORTED: ia_strbuf_puts(b, "unsupported"); break;
    case IA_CELL_NOT_MEASURED: ia_strbuf_puts(b, "-"); break;
    }
    if ((cell->state == IA_CELL_FAILED || cell->state == IA_CELL_UNSUPPORTED) && cell->reason)
        ia_strbuf_printf(b, " [%zu]", note_number(ns, cell->reason));
}

static const char *state_color(ia_chart_cell_state s)
{
    switch (s) {
    case IA_CELL_OK: return ANSI_GREEN;
    case IA_CELL_FAILED: return ANSI_RED;
    case IA_CELL_UNSUPPORTED: return ANSI_GREY;
    case IA_CELL_NOT_MEASURED: break;
    }
    return ANSI_DIM;
}

static ia_status write_table(const ia_matrix *m, bool color, ia_strbuf *out, ia_error *err)
{
    size_t n = m->rows * m->columns;
    char **texts = calloc(n + 1, sizeof *texts);
    size_t *width = calloc(m->columns + 1, sizeof *width);
    notes ns = {calloc(n + 1, sizeof(const char *)), 0};
    bool mem = texts && width && ns.v;
    for (size_t i = 0; mem && i < n; i++) {
        ia_strbuf t = {0};
        table_cell_text(m, &m->cells[i], &ns, &t);
        texts[i] = ia_strbuf_take(&t);
        mem = texts[i] != NULL;
    }
    if (mem) {
        /* Column 0 holds the row names; column c + 1 hardware c. */
        width[0] = strlen(row_kind(m));
        for (size_t r = 0; r < m->rows; r++)
            if (strlen(m->row_names[r]) > width[0])
                width[0] = strlen(m->row_names[r]);
        for (size_t c = 0; c < m->columns; c++) {
            width[c + 1] = strlen(m->column_names[c]);
            for (size_t r = 0; r < m->rows; r++)
                if (strlen(texts[r * m->columns + c]) > width[c + 1])
                    width[c + 1] = strlen(texts[r * m->columns + c]);
        }
        ia_strbuf_printf(out, "%-*s", (int)width[0], row_kind(m));
        for (size_t c = 0; c < m->columns; c++)
            ia_strbuf_printf(out, "  %-*s", c + 1 == m->columns ? 0 : (int)width[c + 1],
                             m->column_names[c]);
        ia_strbuf_puts(out, "\n");
        for (size_t r = 0; r < m->rows; r++) {
            ia_strbuf_printf(out, "%-*s", (int)width[0], m->row_names[r]);
            for (size_t c = 0; c < m->columns; c++) {
                const char *text = texts[r * m->columns + c];
                bool last = c + 1 == m->columns;
                /* Pad outside the colour codes: they take no column. */
                ia_strbuf_puts(out, "  ");
                if (color)
                    ia_strbuf_puts(out, state_color(cell_of(m, r, c)->state));
                ia_strbuf_puts(out, text);
                if (color)
                    ia_strbuf_puts(out, ANSI_RESET);
                if (!last)
                    ia_strbuf_printf(out, "%*s", (int)(width[c + 1] - strlen(text)), "");
            }
            ia_strbuf_puts(out, "\n");
        }
        if (m->rows == 0)
            ia_strbuf_puts(out, "(no model in the store has a result or a compatibility row)\n");
        for (size_t i = 0; i < ns.n; i++)
            ia_strbuf_printf(out, "[%zu] %s\n", i + 1, ns.v[i]);
        ia_strbuf_puts(out, "ok: measured, best p50 latency (else mean) and its batch size; "
                            "FAILED: tried and failed; unsupported: cannot run here; "
                            "-: not measured; (sim): simulated figures.\n");
    }
    for (size_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(width);
    free(ns.v);
    if (!mem)
        return ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    return IA_OK;
}

/* ------------------------------------------------------------ markdown */

static void markdown_cell(const ia_matrix *m, const ia_matrix_cell *cell, ia_strbuf *out)
{
    ia_strbuf text = {0};
    switch (cell->state) {
    case IA_CELL_OK:
        ia_strbuf_puts(out, "✅ ");
        ok_summary(m, cell, &text);
        if (cell->simulated)
            ia_strbuf_puts(&text, " (simulated)");
        break;
    case IA_CELL_FAILED:
        ia_strbuf_puts(out, "❌ ");
        failed_words(cell->reason, &text);
        break;
    case IA_CELL_UNSUPPORTED:
        ia_strbuf_puts(out, "⛔ ");
        ia_strbuf_printf(&text, "unsupported%s%s", cell->reason ? ": " : "",
                         cell->reason ? cell->reason : "");
        break;
    case IA_CELL_NOT_MEASURED: ia_strbuf_puts(&text, "· not measured"); break;
    }
    ia_report_put_md(out, text.data);
    if (text.failed)
        out->failed = true;
    ia_strbuf_free(&text);
}

static void write_markdown(const ia_matrix *m, ia_strbuf *out)
{
    ia_strbuf_printf(out, "| %s |", row_kind(m));
    for (size_t c = 0; c < m->columns; c++) {
        ia_strbuf_puts(out, " ");
        ia_report_put_md(out, m->column_names[c]);
        ia_strbuf_puts(out, " |");
    }
    ia_strbuf_puts(out, "\n| --- |");
    for (size_t c = 0; c < m->columns; c++)
        ia_strbuf_puts(out, " --- |");
    ia_strbuf_puts(out, "\n");
    for (size_t r = 0; r < m->rows; r++) {
        ia_strbuf_puts(out, "| ");
        ia_report_put_md(out, m->row_names[r]);
        ia_strbuf_puts(out, " |");
        for (size_t c = 0; c < m->columns; c++) {
            ia_strbuf_puts(out, " ");
            markdown_cell(m, cell_of(m, r, c), out);
            ia_strbuf_puts(out, " |");
        }
        ia_strbuf_puts(out, "\n");
    }
    if (m->rows == 0)
        ia_strbuf_puts(out, "\nNo model in the store has a result or a compatibility row.\n");
    ia_strbuf_puts(out, "\n✅ measured (best p50 latency, else mean, and its batch size) · "
                        "❌ tried and failed, with the reason · ⛔ unsupported here, with the "
                        "reason · · not measured\n");
}

/* ---------------------------------------------------------------- json */

static void json_num(ia_strbuf *b, double v)
{
    if (isnan(v) || isinf(v))
        ia_strbuf_puts(b, "null");
    else
        ia_strbuf_printf(b, "%.17g", v);
}

static void write_json(const ia_matrix *m, ia_strbuf *out)
{
    ia_strbuf_printf(out, "{\"by\": \"%s\", \"hardware\": [", row_kind(m));
    for (size_t c = 0; c < m->columns; c++) {
        if (c)
            ia_strbuf_puts(out, ", ");
        ia_strbuf_put_json(out, m->column_names[c]);
    }
    ia_strbuf_puts(out, "], \"rows\": [");
    for (size_t r = 0; r < m->rows; r++) {
        ia_strbuf_puts(out, r ? ",\n  {\"name\": " : "\n  {\"name\": ");
        ia_strbuf_put_json(out, m->row_names[r]);
        ia_strbuf_puts(out, ", \"cells\": {");
        for (size_t c = 0; c < m->columns; c++) {
            const ia_matrix_cell *cell = cell_of(m, r, c);
            bool ok = cell->state == IA_CELL_OK;
            if (c)
                ia_strbuf_puts(out, ", ");
            ia_strbuf_put_json(out, m->column_names[c]);
            ia_strbuf_printf(out, ": {\"state\": \"%s\", \"best_latency_ms\": ",
                             state_keys[cell->state]);
            json_num(out, ok ? cell->best_latency_ms : NAN);
            ia_strbuf_puts(out, ", \"batch_size\": ");
            if (ok && cell->best_batch_size > 0)
                ia_strbuf_printf(out, "%lld", (long long)cell->best_batch_size);
            else
                ia_strbuf_puts(out, "null");
            ia_strbuf_printf(out, ", \"simulated\": %s, \"reason\": ",
                             ok ? (cell->simulated ? "true" : "false") : "null");
            ia_strbuf_put_json(out, cell->reason);
            ia_strbuf_printf(out, ", \"ok_models\": %zu, \"models\": %zu}", cell->ok_models,
                             cell->models);
        }
        ia_strbuf_puts(out, "}}");
    }
    ia_strbuf_puts(out, m->rows ? "\n]}\n" : "]}\n");
}

/* ---------------------------------------------------------------- html */

/* The states as tags (words in a coloured frame, readable without the
 * colour); no emoji: system fonts on servers often lack them. */
static const char html_legend[] =
    "<p class=\"note\">Cells: <span class=\"tag ok\">ok</span> measured (best p50 latency, "
    "else mean, and its batch size; <span class=\"tag sim\">sim</span> when simulated) · "
    "<span class=\"tag bad\">failed</span> tried and failed, with the reason · "
    "<span class=\"tag\">unsupported</span> the registry or this build cannot run it · "
    "<i>not measured</i>: nobody tried.</p>\n";

/* A cell in plain words, for the chart's hover text. */
static void html_cell_words(const ia_matrix *m, const ia_matrix_cell *cell, ia_strbuf *b)
{
    switch (cell->state) {
    case IA_CELL_OK:
        ok_summary(m, cell, b);
        if (cell->simulated)
            ia_strbuf_puts(b, " (simulated)");
        break;
    case IA_CELL_FAILED: failed_words(cell->reason, b); break;
    case IA_CELL_UNSUPPORTED:
        ia_strbuf_printf(b, "unsupported%s%s", cell->reason ? ": " : "",
                         cell->reason ? cell->reason : "");
        break;
    case IA_CELL_NOT_MEASURED: ia_strbuf_puts(b, "not measured"); break;
    }
}

/* A table cell: the state as a tag, then the figure or the reason. The
 * column sorts by the best latency (data-v); cells without one sort last. */
static void html_table_cell(const ia_matrix *m, const ia_matrix_cell *cell, ia_strbuf *b)
{
    char num[32];
    ia_strbuf_printf(b, "<td data-state=\"%s\" data-v=\"", state_keys[cell->state]);
    if (cell->state == IA_CELL_OK && !isnan(cell->best_latency_ms))
        ia_strbuf_printf(b, "%.17g", cell->best_latency_ms);
    ia_strbuf_puts(b, "\">");
    switch (cell->state) {
    case IA_CELL_OK:
        ia_strbuf_puts(b, "<span class=\"tag ok\">ok</span> ");
        if (m->by == IA_MATRIX_BY_FAMILY)
            ia_strbuf_printf(b, "%zu/%zu, ", cell->ok_models, cell->models);
        if (isnan(cell->best_latency_ms))
            ia_strbuf_puts(b, "no latency");
        else
            ia_strbuf_printf(b, "%s ms", ia_report_fmt_num(cell->best_latency_ms, num));
        if (cell->best_batch_size > 0)
            ia_strbuf_printf(b, " (b%lld)", (long long)cell->best_batch_size);
        if (cell->simulated)
            ia_strbuf_puts(b, " <span class=\"tag sim\">sim</span>");
        break;
    case IA_CELL_FAILED:
        ia_strbuf_puts(b, "<span class=\"tag bad\">failed</span> ");
        if (cell->reason)
            ia_report_put_xml(b, strncmp(cell->reason, "failed: ", 8) == 0 ? cell->reason + 8
                                                                             : cell->reason);
        break;
    case IA_CELL_UNSUPPORTED:
        ia_strbuf_puts(b, "<span class=\"tag\">unsupported</span> ");
        ia_report_put_xml(b, cell->reason);
        break;
    case IA_CELL_NOT_MEASURED: ia_strbuf_puts(b, "<i class=\"note\">not measured</i>"); break;
    }
    ia_strbuf_puts(b, "</td>");
}

static ia_status write_html(const ia_matrix *m, ia_strbuf *out, ia_error *err)
{
    size_t n = m->rows * m->columns;
    ia_chart_cell *cells = calloc(n + 1, sizeof *cells);
    char **labels = calloc(n + 1, sizeof *labels);
    char **titles = calloc(n + 1, sizeof *titles);
    const char **headers = calloc(m->columns + 1, sizeof *headers);
    bool mem = cells && labels && titles && headers;
    char word[40];
    for (size_t i = 0; mem && i < n; i++) {
        const ia_matrix_cell *mc = &m->cells[i];
        ia_strbuf label = {0}, title = {0};
        switch (mc->state) {
        case IA_CELL_OK: {
            char num[32];
            if (m->by == IA_MATRIX_BY_FAMILY)
                ia_strbuf_printf(&label, "%zu/%zu ", mc->ok_models, mc->models);
            ia_strbuf_printf(&label, "%s ms%s", ia_report_fmt_num(mc->best_latency_ms, num),
                             mc->simulated ? " sim" : "");
            break;
        }
        case IA_CELL_FAILED:
            short_reason(mc->reason, word, sizeof word);
            ia_strbuf_puts(&label, *word ? word : "failed");
            break;
        case IA_CELL_UNSUPPORTED: ia_strbuf_puts(&label, "unsupported"); break;
        case IA_CELL_NOT_MEASURED: ia_strbuf_puts(&label, "-"); break;
        }
        ia_strbuf_printf(&title, "%s on %s: ", m->row_names[i / m->columns],
                         m->column_names[i % m->columns]);
        html_cell_words(m, mc, &title);
        labels[i] = ia_strbuf_take(&label);
        titles[i] = ia_strbuf_take(&title);
        mem = labels[i] && titles[i];
        cells[i] = (ia_chart_cell){mc->state, mc->state == IA_CELL_OK ? mc->best_latency_ms : NAN,
                                   labels[i], titles[i]};
    }
    ia_status st = IA_OK;
    if (mem) {
        char subtitle[160];
        snprintf(subtitle, sizeof subtitle, "%zu %s%s x %zu hardware, from the results store",
                 m->rows, m->by == IA_MATRIX_BY_FAMILY ? "famil" : "model",
                 m->by == IA_MATRIX_BY_FAMILY ? (m->rows == 1 ? "y" : "ies")
                                              : (m->rows == 1 ? "" : "s"),
                 m->columns);
        ia_html_begin(out, "Compatibility matrix", subtitle, 1);
        ia_strbuf_puts(out, html_legend);
        ia_chart chart = {.kind = IA_CHART_HEATMAP,
                          .id = m->by == IA_MATRIX_BY_FAMILY ? "matrix-by-family"
                                                             : "matrix-by-model",
                          .title = m->by == IA_MATRIX_BY_FAMILY ? "Model family x hardware"
                                                                : "Model x hardware",
                          .x_label = "hardware",
                          .y_label = row_kind(m),
                          .unit = "ms",
                          .categories = (const char *const *)m->column_names,
                          .category_count = m->columns,
                          .rows = (const char *const *)m->row_names,
                          .row_count = m->rows,
                          .cells = cells};
        ia_strbuf_puts(out, "<div class=\"chart\">");
        st = ia_chart_svg(&chart, out, err);
        ia_strbuf_puts(out, "</div>\n");
        headers[0] = row_kind(m);
        for (size_t c = 0; c < m->columns; c++)
            headers[c + 1] = m->column_names[c];
        bool *numeric = calloc(m->columns + 1, sizeof *numeric);
        for (size_t c = 1; numeric && c <= m->columns; c++)
            numeric[c] = true; /* hardware columns sort by best latency */
        ia_html_table_begin(out, "The same cells as a table (click a header to sort)", headers,
                            numeric, m->columns + 1);
        free(numeric);
        for (size_t r = 0; r < m->rows; r++) {
            ia_html_row_begin(out);
            ia_html_text_cell(out, m->row_names[r]);
            for (size_t c = 0; c < m->columns; c++)
                html_table_cell(m, cell_of(m, r, c), out);
            ia_html_row_end(out);
        }
        ia_html_table_end(out);
        ia_html_end(out, ia_report_generated_at_us());
    }
    for (size_t i = 0; i < n; i++) {
        free(labels ? labels[i] : NULL);
        free(titles ? titles[i] : NULL);
    }
    free(cells);
    free(labels);
    free(titles);
    free(headers);
    if (!mem)
        return ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    return st;
}

ia_status ia_matrix_write(const ia_matrix *matrix, ia_matrix_format format, bool color,
                          ia_strbuf *out, ia_error *err)
{
    if (!matrix || !out)
        return ia_error_set(err, IA_ERR_INVALID, "matrix: nothing to write");
    ia_status st = IA_OK;
    switch (format) {
    case IA_MATRIX_TABLE: st = write_table(matrix, color, out, err); break;
    case IA_MATRIX_MARKDOWN: write_markdown(matrix, out); break;
    case IA_MATRIX_JSON: write_json(matrix, out); break;
    case IA_MATRIX_HTML: st = write_html(matrix, out, err); break;
    default: return ia_error_set(err, IA_ERR_INVALID, "matrix: unknown format %d", (int)format);
    }
    if (st == IA_OK && out->failed)
        st = ia_error_set(err, IA_ERR_NOMEM, "matrix: out of memory");
    return st;
}
