/* Building a report document: blocks appended in reading order. Allocation
 * failures mark the document failed instead of returning at every call; the
 * writers refuse a failed document. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static char *dup_or_fail(ia_doc *d, const char *s)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        d->failed = true;
    return c;
}

static char *vformat(ia_doc *d, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    else
        d->failed = true;
    va_end(again);
    return s;
}

static ia_doc_block *add_block(ia_doc *d, ia_doc_block_kind kind)
{
    if (d->failed)
        return NULL;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        ia_doc_block *grown = realloc(d->blocks, cap * sizeof *grown);
        if (!grown) {
            d->failed = true;
            return NULL;
        }
        d->blocks = grown;
        d->cap = cap;
    }
    ia_doc_block *b = &d->blocks[d->count++];
    *b = (ia_doc_block){.kind = kind};
    return b;
}

void ia_doc_init(ia_doc *d, const char *title, const char *subtitle)
{
    *d = (ia_doc){0};
    ia_error_clear(&d->error);
    d->title = dup_or_fail(d, title);
    d->subtitle = dup_or_fail(d, subtitle);
}

static void free_table(ia_doc_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->filled; i++)
        free(t->cells[i].text);
    free(t->cells);
    for (size_t i = 0; i < t->column_count; i++) {
        free((char *)t->columns[i].key);
        free((char *)t->columns[i].header);
        free((char *)t->columns[i].unit);
    }
    free(t->columns);
    free(t->key);
    free(t->caption);
    free(t);
}

void ia_doc_free(ia_doc *d)
{
    for (size_t i = 0; i < d->count; i++) {
        ia_doc_block *b = &d->blocks[i];
        free(b->text);
        free(b->value);
        free(b->key);
        free(b->svg_inline);
        free(b->svg_file);
        free_table(b->table);
    }
    free(d->blocks);
    free(d->title);
    free(d->subtitle);
    *d = (ia_doc){0};
}

void ia_doc_heading(ia_doc *d, int level, const char *text)
{
    ia_doc_block *b = add_block(d, IA_DOC_HEADING);
    if (b) {
        b->level = level;
        b->text = dup_or_fail(d, text);
    }
}

static void add_text(ia_doc *d, ia_doc_block_kind kind, const char *fmt, va_list ap)
{
    ia_doc_block *b = add_block(d, kind);
    if (b)
        b->text = vformat(d, fmt, ap);
}

void ia_doc_text(ia_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_text(d, IA_DOC_TEXT, fmt, ap);
    va_end(ap);
}

void ia_doc_note(ia_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_text(d, IA_DOC_NOTE, fmt, ap);
    va_end(ap);
}

void ia_doc_fact(ia_doc *d, const char *key, const char *label, const char *fmt, ...)
{
    ia_doc_block *b = add_block(d, IA_DOC_FACT);
    if (!b)
        return;
    b->key = dup_or_fail(d, key);
    b->text = dup_or_fail(d, label);
    va_list ap;
    va_start(ap, fmt);
    b->value = vformat(d, fmt, ap);
    va_end(ap);
}

ia_doc_table *ia_doc_table_begin(ia_doc *d, const char *key, const char *caption,
                                 const ia_doc_column *columns, size_t count)
{
    ia_doc_block *b = add_block(d, IA_DOC_TABLE);
    if (!b)
        return NULL;
    ia_doc_table *t = calloc(1, sizeof *t);
    ia_doc_column *cols = calloc(count, sizeof *cols);
    if (!t || !cols) {
        free(t);
        free(cols);
        d->failed = true;
        return NULL;
    }
    /* Columns may be named after data that is freed before the document is
     * written (hardware names): each text is copied. */
    for (size_t i = 0; i < count; i++)
        cols[i] = (ia_doc_column){dup_or_fail(d, columns[i].key),
                                  dup_or_fail(d, columns[i].header),
                                  dup_or_fail(d, columns[i].unit), columns[i].numeric};
    t->columns = cols;
    t->column_count = count;
    t->key = dup_or_fail(d, key);
    t->caption = dup_or_fail(d, caption);
    b->table = t;
    return t;
}

/* Appends one cell; a row counts once its last cell is in. */
static void add_cell(ia_doc *d, ia_doc_table *t, ia_doc_cell c)
{
    if (!t || d->failed) {
        free(c.text);
        return;
    }
    if (t->filled == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16 * t->column_count;
        ia_doc_cell *grown = realloc(t->cells, cap * sizeof *grown);
        if (!grown) {
            free(c.text);
            d->failed = true;
            return;
        }
        t->cells = grown;
        t->cap = cap;
    }
    t->cells[t->filled++] = c;
    t->row_count = t->filled / t->column_count;
}

void ia_doc_cell_text(ia_doc *d, ia_doc_table *t, const char *text)
{
    add_cell(d, t, (ia_doc_cell){dup_or_fail(d, text ? text : ""), NAN});
}

void ia_doc_cell_num(ia_doc *d, ia_doc_table *t, double v)
{
    add_cell(d, t, (ia_doc_cell){NULL, v});
}

void ia_doc_chart(ia_doc *d, const ia_chart *chart)
{
    ia_doc_block *b = add_block(d, IA_DOC_CHART);
    if (!b)
        return;
    b->text = dup_or_fail(d, chart->title);
    b->key = dup_or_fail(d, chart->id);
    ia_strbuf inline_svg = {0}, file_svg = {0};
    ia_chart own = *chart;
    own.standalone = false;
    ia_status rc = ia_chart_svg(&own, &inline_svg, &d->error);
    own.standalone = true;
    if (rc == IA_OK)
        rc = ia_chart_svg(&own, &file_svg, &d->error);
    b->svg_inline = ia_strbuf_take(&inline_svg);
    b->svg_file = ia_strbuf_take(&file_svg);
    if (rc != IA_OK || !b->svg_inline || !b->svg_file)
        d->failed = true;
    b->chart_empty = b->svg_inline && strstr(b->svg_inline, "class=\"ia-chart ia-empty\"") != NULL;
    d->charts++;
}

ia_status ia_doc_status(const ia_doc *d, ia_error *err)
{
    if (!d->failed)
        return IA_OK;
    if (d->error.status != IA_OK)
        return ia_error_set(err, d->error.status, "%s", d->error.message);
    return ia_error_set(err, IA_ERR_NOMEM, "report: out of memory");
}
