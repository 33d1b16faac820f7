/* A report document as one self-contained HTML page. Long tables are
 * grouped by their first column into collapsed sections, so a store with
 * thousands of configurations still gives a page a browser opens quickly. */
#include <string.h>

#include "report_internal.h"

static void table_head(ia_strbuf *b, const ia_doc_table *t, const char *caption)
{
    const char *headers[64];
    bool numeric[64];
    size_t n = t->column_count < 64 ? t->column_count : 64;
    for (size_t i = 0; i < n; i++) {
        headers[i] = t->columns[i].header;
        numeric[i] = t->columns[i].numeric;
    }
    ia_html_table_begin(b, caption, headers, numeric, n);
}

static void table_rows(ia_strbuf *b, const ia_doc_table *t, size_t from, size_t to)
{
    size_t n = t->column_count < 64 ? t->column_count : 64;
    for (size_t r = from; r < to; r++) {
        ia_html_row_begin(b);
        for (size_t c = 0; c < n; c++) {
            const ia_doc_cell *cell = &t->cells[r * t->column_count + c];
            if (cell->text)
                ia_html_text_cell(b, cell->text);
            else
                ia_html_num_cell(b, cell->num, t->columns[c].unit);
        }
        ia_html_row_end(b);
    }
}

static const char *group_of(const ia_doc_table *t, size_t row)
{
    const char *s = t->cells[row * t->column_count].text;
    return s ? s : "";
}

static void write_table(ia_strbuf *b, const ia_doc_table *t)
{
    if (t->row_count <= IA_DOC_LONG_TABLE || !t->grouped || t->column_count == 0) {
        table_head(b, t, t->caption);
        table_rows(b, t, 0, t->row_count);
        ia_html_table_end(b);
        return;
    }
    /* Rows arrive sorted by their first column: one collapsed section per
     * value, each its own sortable table. */
    ia_strbuf_puts(b, "<p class=\"note\">");
    ia_report_put_xml(b, t->caption);
    ia_strbuf_printf(b, ": %zu rows, grouped by %s; open a group to see its rows.</p>\n",
                     t->row_count, t->columns[0].header);
    for (size_t start = 0; start < t->row_count;) {
        size_t end = start + 1;
        while (end < t->row_count && strcmp(group_of(t, end), group_of(t, start)) == 0)
            end++;
        ia_strbuf_puts(b, "<details><summary>");
        ia_report_put_xml(b, group_of(t, start));
        ia_strbuf_printf(b, " (%zu)</summary>\n", end - start);
        table_head(b, t, NULL);
        table_rows(b, t, start, end);
        ia_html_table_end(b);
        ia_strbuf_puts(b, "</details>\n");
        start = end;
    }
}

ia_status ia_doc_write_html(const ia_doc *d, int64_t generated_at_us, ia_strbuf *out,
                            ia_error *err)
{
    ia_status rc = ia_doc_status(d, err);
    if (rc != IA_OK)
        return rc;
    ia_html_begin(out, d->title, d->subtitle, d->charts);
    for (size_t i = 0; i < d->count; i++) {
        const ia_doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case IA_DOC_HEADING:
            ia_strbuf_printf(out, "<h%d>", b->level);
            ia_report_put_xml(out, b->text);
            ia_strbuf_printf(out, "</h%d>\n", b->level);
            break;
        case IA_DOC_TEXT:
        case IA_DOC_NOTE:
            ia_strbuf_puts(out, b->kind == IA_DOC_NOTE ? "<p class=\"note\">" : "<p>");
            ia_report_put_xml(out, b->text);
            ia_strbuf_puts(out, "</p>\n");
            break;
        case IA_DOC_FACT:
            if (i == 0 || d->blocks[i - 1].kind != IA_DOC_FACT)
                ia_strbuf_puts(out, "<div class=\"cards\">\n");
            ia_strbuf_puts(out, "<div class=\"card\"><b>");
            ia_report_put_xml(out, b->value);
            ia_strbuf_puts(out, "</b><span>");
            ia_report_put_xml(out, b->text);
            ia_strbuf_puts(out, "</span></div>\n");
            if (i + 1 == d->count || d->blocks[i + 1].kind != IA_DOC_FACT)
                ia_strbuf_puts(out, "</div>\n");
            break;
        case IA_DOC_TABLE:
            write_table(out, b->table);
            break;
        case IA_DOC_CHART:
            ia_strbuf_puts(out, "<figure class=\"chart\">");
            ia_strbuf_puts(out, b->svg_inline);
            ia_strbuf_puts(out, "</figure>\n");
            break;
        }
    }
    ia_html_end(out, generated_at_us);
    if (out->failed)
        return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
    return IA_OK;
}
