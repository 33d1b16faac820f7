/* A report document as one JSON object: its facts, every table as an array
 * of objects keyed by column (numbers as numbers, unknown as null), the
 * charts by id and title, and the notes. Nothing is cut: JSON is where a
 * long table is read whole. */
#include <math.h>
#include <stdlib.h>

#include "report_internal.h"

/* A fact's value as a number when it is one, else as a string. */
static void put_value(ia_strbuf *b, const char *s)
{
    char *end = NULL;
    double v = s && *s ? strtod(s, &end) : NAN;
    if (end && *end == 0 && isfinite(v))
        ia_strbuf_puts(b, s);
    else
        ia_strbuf_put_json(b, s);
}

static void put_number(ia_strbuf *b, double v)
{
    if (isfinite(v))
        ia_strbuf_printf(b, "%.17g", v);
    else
        ia_strbuf_puts(b, "null");
}

static void write_table(ia_strbuf *b, const ia_doc_table *t)
{
    ia_strbuf_put_json(b, t->key);
    ia_strbuf_puts(b, ": {\"caption\": ");
    ia_strbuf_put_json(b, t->caption);
    ia_strbuf_puts(b, ", \"units\": {");
    const char *sep = "";
    for (size_t c = 0; c < t->column_count; c++) {
        if (!t->columns[c].unit)
            continue;
        ia_strbuf_puts(b, sep);
        ia_strbuf_put_json(b, t->columns[c].key);
        ia_strbuf_puts(b, ": ");
        ia_strbuf_put_json(b, t->columns[c].unit);
        sep = ", ";
    }
    ia_strbuf_puts(b, "}, \"rows\": [");
    for (size_t r = 0; r < t->row_count; r++) {
        ia_strbuf_puts(b, r ? ",\n    {" : "\n    {");
        for (size_t c = 0; c < t->column_count; c++) {
            const ia_doc_cell *cell = &t->cells[r * t->column_count + c];
            ia_strbuf_puts(b, c ? ", " : "");
            ia_strbuf_put_json(b, t->columns[c].key);
            ia_strbuf_puts(b, ": ");
            if (cell->text)
                ia_strbuf_put_json(b, cell->text);
            else
                put_number(b, cell->num);
        }
        ia_strbuf_puts(b, "}");
    }
    ia_strbuf_puts(b, "]}");
}

ia_status ia_doc_write_json(const ia_doc *d, const char *report, int64_t generated_at_us,
                            ia_strbuf *out, ia_error *err)
{
    ia_status rc = ia_doc_status(d, err);
    if (rc != IA_OK)
        return rc;
    char when[32];
    ia_strbuf_puts(out, "{\"report\": ");
    ia_strbuf_put_json(out, report);
    ia_strbuf_puts(out, ", \"title\": ");
    ia_strbuf_put_json(out, d->title);
    ia_strbuf_puts(out, ", \"subtitle\": ");
    ia_strbuf_put_json(out, d->subtitle);
    ia_strbuf_puts(out, ", \"generated_at\": ");
    ia_strbuf_put_json(out, ia_report_fmt_time(generated_at_us, when));
    ia_strbuf_printf(out, ", \"generator\": \"ipfs-accelerate %s\",\n \"facts\": {",
                     ia_build_info_get()->version);
    const char *sep = "";
    for (size_t i = 0; i < d->count; i++) {
        const ia_doc_block *b = &d->blocks[i];
        if (b->kind != IA_DOC_FACT)
            continue;
        ia_strbuf_puts(out, sep);
        ia_strbuf_put_json(out, b->key);
        ia_strbuf_puts(out, ": ");
        put_value(out, b->value);
        sep = ", ";
    }
    ia_strbuf_puts(out, "},\n \"tables\": {");
    sep = "\n  ";
    for (size_t i = 0; i < d->count; i++) {
        if (d->blocks[i].kind != IA_DOC_TABLE)
            continue;
        ia_strbuf_puts(out, sep);
        write_table(out, d->blocks[i].table);
        sep = ",\n  ";
    }
    ia_strbuf_puts(out, "},\n \"charts\": [");
    sep = "";
    for (size_t i = 0; i < d->count; i++) {
        const ia_doc_block *b = &d->blocks[i];
        if (b->kind != IA_DOC_CHART)
            continue;
        ia_strbuf_puts(out, sep);
        ia_strbuf_puts(out, "{\"id\": ");
        ia_strbuf_put_json(out, b->key);
        ia_strbuf_puts(out, ", \"title\": ");
        ia_strbuf_put_json(out, b->text);
        ia_strbuf_printf(out, ", \"empty\": %s}", b->chart_empty ? "true" : "false");
        sep = ", ";
    }
    ia_strbuf_puts(out, "],\n \"notes\": [");
    sep = "";
    for (size_t i = 0; i < d->count; i++) {
        const ia_doc_block *b = &d->blocks[i];
        if (b->kind != IA_DOC_NOTE)
            continue;
        ia_strbuf_puts(out, sep);
        ia_strbuf_put_json(out, b->text);
        sep = ", ";
    }
    ia_strbuf_puts(out, "]}\n");
    if (out->failed)
        return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
    return IA_OK;
}
