/* The marks of each chart kind: grouped bars, lines (and time series with
 * change markers), and the heatmap of cell states. Each lays out its own
 * height from the input (labels that need rotating, legend rows, heatmap
 * rows), then draws on the axes and text helpers of chart.c.
 *
 * Every data mark has class "ia-mark" and a <title> child with its hover
 * text; missing values are gaps, never zeros. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

/* sin(40 degrees): the height a rotated label takes per unit of length. */
#define ROTATED_RISE 0.643
/* cos(40 degrees): the width it takes per unit of length. */
#define ROTATED_RUN 0.766
/* Rotated category labels are cut to this many characters. */
#define ROTATED_CHARS 18

static bool drawable(double v, bool log_scale)
{
    return isfinite(v) && (!log_scale || v > 0);
}

static const char *category_name(const ia_chart *c, size_t i)
{
    return c->categories && c->categories[i] ? c->categories[i] : "";
}

static const char *note_of(const ia_chart_series *s, size_t i)
{
    return s->notes ? s->notes[i] : NULL;
}

/* The hover text of a data point: "series / where: 12.3 ms", then the
 * extra words and the note on lines of their own. */
static void hover(ia_strbuf *b, const char *series, const char *where, double v,
                  const char *unit, const char *extra, const char *note)
{
    ia_strbuf t = {0};
    if (series && *series) {
        ia_strbuf_puts(&t, series);
        ia_strbuf_puts(&t, " / ");
    }
    ia_strbuf_puts(&t, where ? where : "");
    ia_strbuf_puts(&t, ": ");
    ia_chart_fmt_value(&t, v, unit);
    if (extra) {
        ia_strbuf_puts(&t, "\n");
        ia_strbuf_puts(&t, extra);
    }
    if (note && *note) {
        ia_strbuf_puts(&t, "\n");
        ia_strbuf_puts(&t, note);
    }
    if (t.failed)
        b->failed = true;
    else
        ia_chart_title_element(b, t.data ? t.data : "");
    ia_strbuf_free(&t);
}

static void attr(ia_strbuf *b, const char *name, double v)
{
    ia_strbuf_printf(b, " %s=\"", name);
    ia_chart_coord(b, v);
    ia_strbuf_puts(b, "\"");
}

static ia_chart_plot standard_plot(const ia_chart *c)
{
    return (ia_chart_plot){IA_CHART_MARGIN_LEFT, ia_chart_top(c),
                           IA_CHART_WIDTH - IA_CHART_MARGIN_LEFT - IA_CHART_MARGIN_RIGHT,
                           IA_CHART_PLOT_HEIGHT};
}

static double plot_y(const ia_chart_plot *p, const ia_chart_axis *a, double v)
{
    return p->top + p->height * (1 - ia_chart_axis_frac(a, v));
}

static double plot_x(const ia_chart_plot *p, const ia_chart_axis *a, double v)
{
    return p->left + p->width * ia_chart_axis_frac(a, v);
}

/* ------------------------------------------------------------------ bars */

ia_status ia_chart_draw_bars(const ia_chart *c, ia_strbuf *b, ia_error *err)
{
    (void)err;
    size_t nc = c->category_count, ns = c->series_count;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t s = 0; s < ns; s++)
        for (size_t i = 0; i < nc; i++) {
            double v = c->series[s].y[i];
            if (!drawable(v, c->log_y))
                continue;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    if (!(lo <= hi)) {
        ia_chart_write_empty(b, c);
        return IA_OK;
    }
    ia_chart_axis ya;
    if (c->log_y)
        ia_chart_axis_log(&ya, lo, hi);
    else {
        /* Bars start at zero, so zero is always on the axis. */
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
        if (lo == hi)
            hi = 1;
        ia_chart_axis_linear(&ya, lo, hi);
    }

    ia_chart_plot p = standard_plot(c);
    double slot = p.width / (double)nc;
    size_t longest = 0;
    for (size_t i = 0; i < nc; i++) {
        size_t len = ia_chart_text_len(category_name(c, i));
        longest = len > longest ? len : longest;
    }
    /* Labels that do not fit their slot are turned 40 degrees and cut; when
     * even turned labels would overlap, only every k-th is written. */
    bool rotate = (double)longest * IA_CHART_CHAR_W > slot - 4;
    size_t label_chars = rotate && longest > ROTATED_CHARS ? ROTATED_CHARS : longest;
    size_t every = 1;
    if (rotate && slot < 13)
        every = (size_t)ceil(13 / slot);
    double bottom = p.top + p.height;
    double labels_h = rotate ? 14 + (double)label_chars * IA_CHART_CHAR_W * ROTATED_RISE : 20;
    double y = bottom + labels_h;
    double x_label_y = y + 12;
    if (c->x_label && *c->x_label)
        y += IA_CHART_LINE_H;
    double legend_y = y + 4;
    double legend_h = ia_chart_legend(NULL, c, 16, legend_y, IA_CHART_WIDTH - 32);
    double height = legend_y + legend_h + 6;

    ia_chart_begin(b, c, IA_CHART_WIDTH, height, false);
    ia_chart_draw_y_axis(b, &p, &ya, c->y_label);
    double base = c->log_y ? bottom : plot_y(&p, &ya, 0);

    ia_strbuf_puts(b, "<g class=\"ia-x\"><line class=\"ia-axis\"");
    attr(b, "x1", p.left);
    attr(b, "x2", p.left + p.width);
    attr(b, "y1", base);
    attr(b, "y2", base);
    ia_strbuf_puts(b, "/>");
    for (size_t i = 0; i < nc; i += every) {
        const char *name = category_name(c, i);
        double cx = p.left + slot * ((double)i + 0.5);
        ia_strbuf_puts(b, "<text class=\"ia-tick\"");
        if (rotate) {
            ia_strbuf_puts(b, " text-anchor=\"end\" transform=\"translate(");
            ia_chart_coord(b, cx + 3);
            ia_strbuf_puts(b, " ");
            ia_chart_coord(b, bottom + 10);
            ia_strbuf_puts(b, ") rotate(-40)\">");
        } else {
            ia_strbuf_puts(b, " text-anchor=\"middle\"");
            attr(b, "x", cx);
            attr(b, "y", bottom + 16);
            ia_strbuf_puts(b, ">");
        }
        if (ia_chart_text(b, name, label_chars))
            ia_chart_title_element(b, name);
        ia_strbuf_puts(b, "</text>");
    }
    ia_strbuf_puts(b, "</g>\n<g class=\"ia-data\">");

    double bar_w = slot * 0.8 / (double)ns;
    for (size_t i = 0; i < nc; i++)
        for (size_t s = 0; s < ns; s++) {
            const ia_chart_series *se = &c->series[s];
            double v = se->y[i];
            if (!drawable(v, c->log_y))
                continue;
            double yv = plot_y(&p, &ya, v);
            double x = p.left + slot * (double)i + slot * 0.1 + bar_w * (double)s;
            ia_strbuf_puts(b, "<rect class=\"ia-mark ia-bar ");
            ia_chart_series_class(b, s);
            ia_strbuf_puts(b, "\"");
            attr(b, "x", x);
            attr(b, "y", fmin(yv, base));
            attr(b, "width", bar_w);
            attr(b, "height", fabs(base - yv));
            ia_strbuf_puts(b, ">");
            hover(b, se->name, category_name(c, i), v, c->unit, NULL, note_of(se, i));
            ia_strbuf_puts(b, "</rect>");
        }
    ia_strbuf_puts(b, "</g>\n");
    ia_chart_draw_x_label(b, &p, x_label_y, c->x_label);
    ia_chart_legend(b, c, 16, legend_y, IA_CHART_WIDTH - 32);
    ia_chart_end(b);
    return IA_OK;
}

/* ------------------------------------------------------- lines and time */

typedef struct line_ctx {
    const ia_chart *c;
    const ia_chart_plot *p;
    const ia_chart_axis *xa, *ya;
    bool time;
} line_ctx;

static bool point_ok(const line_ctx *l, const ia_chart_series *s, size_t i)
{
    return isfinite(s->x[i]) && drawable(s->y[i], l->c->log_y);
}

static bool is_marked(const line_ctx *l, const ia_chart_series *s, size_t i)
{
    return l->time && s->marked && s->marked[i];
}

/* A marked change that is an improvement: drawn in the "better" colour. */
static bool is_better(const ia_chart_series *s, size_t i)
{
    return s->improved && s->improved[i];
}

/* Where a point is, for its hover text: the time, or "batch size 8". */
static void point_where(const line_ctx *l, double x, ia_strbuf *t)
{
    if (l->time) {
        ia_chart_fmt_time(t, x);
        return;
    }
    if (l->c->x_label && *l->c->x_label) {
        ia_strbuf_puts(t, l->c->x_label);
        ia_strbuf_puts(t, " ");
    }
    /* x is a setting (batch 8, sequence 128), not a measurement: as many
     * digits as it has, not three significant ones. */
    char num[32];
    ia_chart_fmt_tick(x, 0, num);
    ia_strbuf_puts(t, num);
}

/* The pending piece of a line, drawn when it has two points or more: a
 * single point between gaps is shown by its marker alone. */
typedef struct segment {
    double *xy;
    size_t n;
} segment;

static void segment_flush(segment *sg, ia_strbuf *d)
{
    if (sg->n >= 2)
        for (size_t i = 0; i < sg->n; i++) {
            ia_strbuf_puts(d, i == 0 ? "M" : "L");
            ia_chart_coord(d, sg->xy[2 * i]);
            ia_strbuf_puts(d, " ");
            ia_chart_coord(d, sg->xy[2 * i + 1]);
        }
    sg->n = 0;
}

static void segment_add(segment *sg, double x, double y)
{
    sg->xy[2 * sg->n] = x;
    sg->xy[2 * sg->n + 1] = y;
    sg->n++;
}

/* Thinning keeps, of the consecutive points that fall in one pixel
 * column, the lowest and the highest (in their original order): the line
 * then covers the same extent at every column, so peaks and dips survive,
 * and a series can add at most two vertices per column. */
typedef struct column_bucket {
    bool open;
    double column;
    size_t lo_i, hi_i;
    double lo_x, lo_y, hi_x, hi_y;
} column_bucket;

static void bucket_flush(column_bucket *k, segment *sg)
{
    if (!k->open)
        return;
    if (k->lo_i == k->hi_i)
        segment_add(sg, k->lo_x, k->lo_y);
    else if (k->lo_i < k->hi_i) {
        segment_add(sg, k->lo_x, k->lo_y);
        segment_add(sg, k->hi_x, k->hi_y);
    } else {
        segment_add(sg, k->hi_x, k->hi_y);
        segment_add(sg, k->lo_x, k->lo_y);
    }
    k->open = false;
}

static void bucket_add(column_bucket *k, segment *sg, size_t i, double x, double y)
{
    double column = floor(x);
    if (k->open && column != k->column)
        bucket_flush(k, sg);
    if (!k->open) {
        *k = (column_bucket){true, column, i, i, x, y, x, y};
        return;
    }
    /* Pixel y grows downwards: the highest value has the smallest y. */
    if (y > k->lo_y) {
        k->lo_i = i;
        k->lo_x = x;
        k->lo_y = y;
    }
    if (y < k->hi_y) {
        k->hi_i = i;
        k->hi_x = x;
        k->hi_y = y;
    }
}

static ia_status draw_line_path(const line_ctx *l, size_t si, bool thin, ia_error *err,
                                ia_strbuf *b)
{
    const ia_chart_series *s = &l->c->series[si];
    if (s->count < 2)
        return IA_OK;
    segment sg = {malloc(2 * s->count * sizeof(double)), 0};
    if (!sg.xy)
        return ia_error_set(err, IA_ERR_NOMEM, "chart %s: out of memory for series %zu",
                            l->c->id, si);
    ia_strbuf d = {0};
    column_bucket k = {0};
    size_t shown = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (!point_ok(l, s, i)) {
            bucket_flush(&k, &sg);
            segment_flush(&sg, &d);
            continue;
        }
        shown++;
        double x = plot_x(l->p, l->xa, s->x[i]), y = plot_y(l->p, l->ya, s->y[i]);
        if (thin)
            bucket_add(&k, &sg, i, x, y);
        else
            segment_add(&sg, x, y);
    }
    bucket_flush(&k, &sg);
    segment_flush(&sg, &d);
    free(sg.xy);
    if (d.failed)
        b->failed = true;
    if (d.len > 0) {
        ia_strbuf_puts(b, "<path class=\"ia-mark ia-line ");
        ia_chart_series_class(b, si);
        ia_strbuf_puts(b, "\" d=\"");
        ia_strbuf_append(b, d.data, d.len);
        ia_strbuf_puts(b, "\"><title>");
        ia_chart_text(b, s->name, 0);
        ia_strbuf_printf(b, "%s%zu point%s%s</title></path>\n", s->name && *s->name ? ": " : "",
                         shown, shown == 1 ? "" : "s",
                         thin ? " (thinned to the lowest and highest per pixel column)" : "");
    }
    ia_strbuf_free(&d);
    return IA_OK;
}

static void draw_point(const line_ctx *l, size_t si, size_t i, ia_strbuf *b)
{
    const ia_chart_series *s = &l->c->series[si];
    double x = plot_x(l->p, l->xa, s->x[i]), y = plot_y(l->p, l->ya, s->y[i]);
    ia_strbuf where = {0};
    point_where(l, s->x[i], &where);
    if (where.failed)
        b->failed = true;
    bool marked = is_marked(l, s, i);
    if (marked) {
        /* A triangle, not a circle: the change reads without colour. */
        ia_strbuf_puts(b, is_better(s, i) ? "<path class=\"ia-mark ia-change ia-better\" d=\"M"
                                          : "<path class=\"ia-mark ia-change\" d=\"M");
        ia_chart_coord(b, x);
        ia_strbuf_puts(b, " ");
        ia_chart_coord(b, y - 7);
        ia_strbuf_puts(b, "L");
        ia_chart_coord(b, x + 6);
        ia_strbuf_puts(b, " ");
        ia_chart_coord(b, y + 4);
        ia_strbuf_puts(b, "L");
        ia_chart_coord(b, x - 6);
        ia_strbuf_puts(b, " ");
        ia_chart_coord(b, y + 4);
        ia_strbuf_puts(b, "Z\">");
    } else {
        ia_strbuf_puts(b, "<circle class=\"ia-mark ia-point ");
        ia_chart_series_class(b, si);
        ia_strbuf_puts(b, "\"");
        attr(b, "cx", x);
        attr(b, "cy", y);
        ia_strbuf_puts(b, " r=\"3\">");
    }
    hover(b, s->name, where.data ? where.data : "", s->y[i], l->c->unit,
          marked ? "change marked here" : NULL, note_of(s, i));
    ia_strbuf_puts(b, marked ? "</path>" : "</circle>");
    ia_strbuf_free(&where);
}

/* Change markers of a thinned series (and their rules) are kept to one per
 * pixel column, so their number is bounded like the line's. */
static bool same_column(double *last, double x)
{
    double column = floor(x);
    if (*last == column)
        return true;
    *last = column;
    return false;
}

static void draw_rules(const line_ctx *l, ia_strbuf *b)
{
    for (size_t si = 0; si < l->c->series_count; si++) {
        const ia_chart_series *s = &l->c->series[si];
        double last = NAN;
        for (size_t i = 0; i < s->count; i++) {
            if (!point_ok(l, s, i) || !is_marked(l, s, i))
                continue;
            double x = plot_x(l->p, l->xa, s->x[i]);
            if (same_column(&last, x))
                continue;
            ia_strbuf_puts(b, is_better(s, i) ? "<line class=\"ia-rule ia-better\""
                                              : "<line class=\"ia-rule\"");
            attr(b, "x1", x);
            attr(b, "x2", x);
            attr(b, "y1", l->p->top);
            attr(b, "y2", l->p->top + l->p->height);
            ia_strbuf_puts(b, "/>");
        }
    }
    ia_strbuf_puts(b, "\n");
}

ia_status ia_chart_draw_lines(const ia_chart *c, ia_strbuf *b, ia_error *err)
{
    bool time = c->kind == IA_CHART_TIME;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t s = 0; s < c->series_count; s++) {
        const ia_chart_series *se = &c->series[s];
        for (size_t i = 0; i < se->count; i++) {
            if (!isfinite(se->x[i]) || !drawable(se->y[i], c->log_y))
                continue;
            xlo = fmin(xlo, se->x[i]);
            xhi = fmax(xhi, se->x[i]);
            ylo = fmin(ylo, se->y[i]);
            yhi = fmax(yhi, se->y[i]);
        }
    }
    if (!(xlo <= xhi)) {
        ia_chart_write_empty(b, c);
        return IA_OK;
    }
    ia_chart_axis xa, ya;
    if (time) {
        /* One instant: half a day either side, so the axis has dates. */
        if (xlo == xhi) {
            xlo -= 43200;
            xhi += 43200;
        }
        ia_chart_axis_time(&xa, xlo, xhi);
    } else
        ia_chart_axis_linear(&xa, xlo, xhi);
    if (c->log_y)
        ia_chart_axis_log(&ya, ylo, yhi);
    else
        ia_chart_axis_linear(&ya, ylo, yhi);

    ia_chart_plot p = standard_plot(c);
    double bottom = p.top + p.height;
    double y = bottom + 22;
    double x_label_y = y + 10;
    if (c->x_label && *c->x_label)
        y += IA_CHART_LINE_H;
    double legend_y = y + 4;
    double legend_h = ia_chart_legend(NULL, c, 16, legend_y, IA_CHART_WIDTH - 32);
    double height = legend_y + legend_h + 6;

    ia_chart_begin(b, c, IA_CHART_WIDTH, height, false);
    ia_chart_draw_y_axis(b, &p, &ya, c->y_label);
    ia_chart_draw_x_axis(b, &p, &xa);
    line_ctx l = {c, &p, &xa, &ya, time};
    if (time)
        draw_rules(&l, b);
    ia_strbuf_puts(b, "<g class=\"ia-data\">");
    for (size_t si = 0; si < c->series_count; si++) {
        bool thin = c->series[si].count > IA_CHART_THIN_ABOVE;
        ia_status rc = draw_line_path(&l, si, thin, err, b);
        if (rc != IA_OK)
            return rc;
    }
    for (size_t si = 0; si < c->series_count; si++) {
        const ia_chart_series *s = &c->series[si];
        bool thin = s->count > IA_CHART_THIN_ABOVE;
        double last = NAN;
        for (size_t i = 0; i < s->count; i++) {
            if (!point_ok(&l, s, i))
                continue;
            if (thin && (!is_marked(&l, s, i) || same_column(&last, plot_x(&p, &xa, s->x[i]))))
                continue;
            draw_point(&l, si, i, b);
        }
    }
    ia_strbuf_puts(b, "</g>\n");
    ia_chart_draw_x_label(b, &p, x_label_y, c->x_label);
    ia_chart_legend(b, c, 16, legend_y, IA_CHART_WIDTH - 32);
    ia_chart_end(b);
    return IA_OK;
}

/* --------------------------------------------------------------- heatmap */

#define CELL_H 22.0
#define HEAT_SHADES 7
/* Row labels are cut to this many characters. */
#define ROW_CHARS 32
#define CELL_W_MAX 120.0
#define CELL_W_MIN 28.0

static const char *row_name(const ia_chart *c, size_t r)
{
    return c->rows && c->rows[r] ? c->rows[r] : "";
}

static const char *const state_class[] = {"ia-ok", "ia-failed", "ia-unsupported",
                                          "ia-not-measured"};
static const char *const state_words[] = {"measured", "failed", "unsupported",
                                          "not measured"};

typedef struct heat_scale {
    double lo, hi; /* over the OK cells' values (log10 of them on a log scale) */
    bool any, log;
} heat_scale;

static bool heat_value(const heat_scale *h, double v, double *out)
{
    if (!drawable(v, h->log))
        return false;
    *out = h->log ? log10(v) : v;
    return true;
}

/* The shade of a value, 0 (least) to 6 (most); -1 when it has none. */
static int heat_shade(const heat_scale *h, double v)
{
    double t;
    if (!h->any || !heat_value(h, v, &t))
        return -1;
    if (h->hi * 0.5 - h->lo * 0.5 <= 0)
        return HEAT_SHADES / 2;
    double f = (t * 0.5 - h->lo * 0.5) / (h->hi * 0.5 - h->lo * 0.5);
    int q = (int)floor(f * HEAT_SHADES);
    return q < 0 ? 0 : q >= HEAT_SHADES ? HEAT_SHADES - 1 : q;
}

static void rect(ia_strbuf *b, const char *cls, double x, double y, double w, double h)
{
    ia_strbuf_puts(b, "<rect");
    if (cls)
        ia_strbuf_printf(b, " class=\"%s\"", cls);
    attr(b, "x", x);
    attr(b, "y", y);
    attr(b, "width", w);
    attr(b, "height", h);
    ia_strbuf_puts(b, "/>");
}

/* What each state adds to its box: failed a cross, unsupported a hatch
 * over grey, not measured a dashed outline (by its CSS), so the states
 * differ without colour. */
static void state_shape(ia_strbuf *b, const ia_chart *c, ia_chart_cell_state st, int shade,
                        double x, double y, double w, double h)
{
    char cls[16];
    switch (st) {
    case IA_CELL_OK:
        if (shade < 0)
            snprintf(cls, sizeof cls, "qnone");
        else
            snprintf(cls, sizeof cls, "q%d", shade);
        rect(b, cls, x, y, w, h);
        break;
    case IA_CELL_FAILED: {
        /* A small cross at the left, clear of the label. */
        double cx = x + 4, cy = y + h / 2 - 4;
        rect(b, NULL, x, y, w, h);
        ia_strbuf_puts(b, "<path d=\"M");
        ia_chart_coord(b, cx);
        ia_strbuf_puts(b, " ");
        ia_chart_coord(b, cy);
        ia_strbuf_puts(b, "l8 8m0 -8l-8 8\"/>");
        break;
    }
    case IA_CELL_UNSUPPORTED:
        rect(b, "ia-base", x, y, w, h);
        ia_strbuf_puts(b, "<rect fill=\"url(#");
        ia_chart_text(b, c->id, 0);
        ia_strbuf_puts(b, "-hatch)\"");
        attr(b, "x", x);
        attr(b, "y", y);
        attr(b, "width", w);
        attr(b, "height", h);
        ia_strbuf_puts(b, "/>");
        break;
    case IA_CELL_NOT_MEASURED: rect(b, NULL, x, y, w, h); break;
    }
}

static void heat_cell(ia_strbuf *b, const ia_chart *c, const heat_scale *hs, size_t r,
                      size_t col, double x, double y, double w)
{
    const ia_chart_cell *cell = &c->cells[r * c->category_count + col];
    int shade = cell->state == IA_CELL_OK ? heat_shade(hs, cell->value) : -1;
    ia_strbuf_printf(b, "<g class=\"ia-mark ia-cell %s\">", state_class[cell->state]);

    ia_strbuf t = {0};
    ia_strbuf_puts(&t, row_name(c, r));
    ia_strbuf_puts(&t, " / ");
    ia_strbuf_puts(&t, category_name(c, col));
    ia_strbuf_puts(&t, ": ");
    if (cell->title)
        ia_strbuf_puts(&t, cell->title);
    else if (cell->label)
        ia_strbuf_puts(&t, cell->label);
    else if (cell->state == IA_CELL_OK && isfinite(cell->value))
        ia_chart_fmt_value(&t, cell->value, c->unit);
    else
        ia_strbuf_puts(&t, state_words[cell->state]);
    if (t.failed)
        b->failed = true;
    ia_chart_title_element(b, t.data ? t.data : "");
    ia_strbuf_free(&t);

    state_shape(b, c, cell->state, shade, x + 1, y + 1, w - 2, CELL_H - 2);

    ia_strbuf label = {0};
    if (cell->label)
        ia_strbuf_puts(&label, cell->label);
    else if (cell->state == IA_CELL_OK && isfinite(cell->value))
        ia_chart_fmt_value(&label, cell->value, NULL);
    if (label.len > 0) {
        /* A failed cell's label sits right of its cross. */
        double inset = cell->state == IA_CELL_FAILED ? 12 : 0;
        ia_strbuf_printf(b, "<text class=\"%s\" text-anchor=\"middle\"",
                         shade >= 4 ? "hi" : "lo");
        attr(b, "x", x + inset + (w - inset) / 2);
        attr(b, "y", y + 15);
        ia_strbuf_puts(b, ">");
        ia_chart_text(b, label.data, (size_t)((w - inset - 6) / IA_CHART_CHAR_W));
        ia_strbuf_puts(b, "</text>");
    }
    if (label.failed)
        b->failed = true;
    ia_strbuf_free(&label);
    ia_strbuf_puts(b, "</g>");
}

/* The key: the shade ramp with the values at its ends, then one swatch per
 * other state drawn like its cells. */
static void heat_legend(ia_strbuf *b, const ia_chart *c, const heat_scale *hs, double x,
                          double y)
{
    double cx = x;
    ia_strbuf_puts(b, "<g class=\"ia-legend\">");
    if (hs->any) {
        double lo = hs->log ? pow(10, hs->lo) : hs->lo, hi = hs->log ? pow(10, hs->hi) : hs->hi;
        ia_strbuf t = {0};
        ia_chart_fmt_value(&t, lo, c->unit);
        ia_strbuf_puts(b, "<text text-anchor=\"start\"");
        attr(b, "x", cx);
        attr(b, "y", y + 11);
        ia_strbuf_puts(b, ">");
        ia_chart_text(b, t.data ? t.data : "", 0);
        ia_strbuf_puts(b, "</text>");
        cx += (double)ia_chart_text_len(t.data) * IA_CHART_CHAR_W + 6;
        ia_strbuf_free(&t);
        for (int q = 0; q < HEAT_SHADES; q++) {
            char cls[8];
            snprintf(cls, sizeof cls, "q%d", q);
            rect(b, cls, cx, y, 12, 14);
            cx += 12;
        }
        cx += 6;
        ia_chart_fmt_value(&t, hi, c->unit);
        ia_strbuf_puts(b, "<text text-anchor=\"start\"");
        attr(b, "x", cx);
        attr(b, "y", y + 11);
        ia_strbuf_puts(b, ">");
        ia_chart_text(b, t.data ? t.data : "", 0);
        ia_strbuf_puts(b, "</text>");
        cx += (double)ia_chart_text_len(t.data) * IA_CHART_CHAR_W + 18;
        if (t.failed)
            b->failed = true;
        ia_strbuf_free(&t);
    }
    for (int st = IA_CELL_FAILED; st <= IA_CELL_NOT_MEASURED; st++) {
        ia_strbuf_printf(b, "<g class=\"%s\">", state_class[st]);
        state_shape(b, c, (ia_chart_cell_state)st, -1, cx, y, 22, 14);
        ia_strbuf_puts(b, "</g><text");
        attr(b, "x", cx + 26);
        attr(b, "y", y + 11);
        ia_strbuf_printf(b, ">%s</text>", state_words[st]);
        cx += 26 + (double)strlen(state_words[st]) * IA_CHART_CHAR_W + 14;
    }
    ia_strbuf_puts(b, "</g>\n");
}

ia_status ia_chart_draw_heatmap(const ia_chart *c, ia_strbuf *b, ia_error *err)
{
    (void)err;
    size_t rows = c->row_count, cols = c->category_count;
    if (rows == 0 || cols == 0) {
        ia_chart_write_empty(b, c);
        return IA_OK;
    }
    heat_scale hs = {INFINITY, -INFINITY, false, c->log_y};
    for (size_t i = 0; i < rows * cols; i++) {
        double t;
        if (c->cells[i].state != IA_CELL_OK || !heat_value(&hs, c->cells[i].value, &t))
            continue;
        hs.lo = fmin(hs.lo, t);
        hs.hi = fmax(hs.hi, t);
        hs.any = true;
    }

    size_t row_chars = 0;
    for (size_t r = 0; r < rows; r++) {
        size_t len = ia_chart_text_len(row_name(c, r));
        row_chars = len > row_chars ? len : row_chars;
    }
    if (row_chars > ROW_CHARS)
        row_chars = ROW_CHARS;
    double left = 12 + (double)row_chars * IA_CHART_CHAR_W;
    if (left < 60)
        left = 60;
    double cell_w = (IA_CHART_WIDTH - left - IA_CHART_MARGIN_RIGHT) / (double)cols;
    cell_w = cell_w > CELL_W_MAX ? CELL_W_MAX : cell_w < CELL_W_MIN ? CELL_W_MIN : cell_w;
    /* Many columns widen the chart rather than squeeze the cells: the svg
     * scales down and the browser's zoom brings them back. */
    size_t longest = 0;
    for (size_t j = 0; j < cols; j++) {
        size_t len = ia_chart_text_len(category_name(c, j));
        longest = len > longest ? len : longest;
    }
    bool rotate = (double)longest * IA_CHART_CHAR_W > cell_w - 4;
    size_t head_chars = rotate && longest > ROTATED_CHARS ? ROTATED_CHARS : longest;
    /* Turned headers lean right, past the last column: room for them. */
    double right = IA_CHART_MARGIN_RIGHT;
    if (rotate) {
        right = fmax(right, (double)head_chars * IA_CHART_CHAR_W * ROTATED_RUN - cell_w / 2 + 8);
        cell_w = (IA_CHART_WIDTH - left - right) / (double)cols;
        cell_w = cell_w > CELL_W_MAX ? CELL_W_MAX : cell_w < CELL_W_MIN ? CELL_W_MIN : cell_w;
    }
    double width = left + cell_w * (double)cols + right;
    if (width < IA_CHART_WIDTH)
        width = IA_CHART_WIDTH;
    double head_h = rotate ? 12 + (double)head_chars * IA_CHART_CHAR_W * ROTATED_RISE : 22;
    double top = ia_chart_top(c) + head_h;
    double bottom = top + CELL_H * (double)rows;
    double y = bottom + 8;
    double x_label_y = y + 10;
    if (c->x_label && *c->x_label)
        y += IA_CHART_LINE_H;
    double legend_y = y + 4;
    double height = legend_y + 14 + 10;

    ia_chart_begin(b, c, width, height, false);
    ia_strbuf_puts(b, "<defs><pattern id=\"");
    ia_chart_text(b, c->id, 0);
    ia_strbuf_puts(b, "-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                      "patternTransform=\"rotate(45)\"><line class=\"ia-hatch\" x1=\"0\" "
                      "y1=\"0\" x2=\"0\" y2=\"6\"/></pattern></defs>\n");

    ia_strbuf_puts(b, "<g class=\"ia-x\">");
    for (size_t j = 0; j < cols; j++) {
        const char *name = category_name(c, j);
        double cx = left + cell_w * ((double)j + 0.5);
        ia_strbuf_puts(b, "<text class=\"ia-tick\"");
        if (rotate) {
            ia_strbuf_puts(b, " text-anchor=\"start\" transform=\"translate(");
            ia_chart_coord(b, cx - 3);
            ia_strbuf_puts(b, " ");
            ia_chart_coord(b, top - 6);
            ia_strbuf_puts(b, ") rotate(-40)\">");
        } else {
            ia_strbuf_puts(b, " text-anchor=\"middle\"");
            attr(b, "x", cx);
            attr(b, "y", top - 8);
            ia_strbuf_puts(b, ">");
        }
        if (ia_chart_text(b, name, head_chars))
            ia_chart_title_element(b, name);
        ia_strbuf_puts(b, "</text>");
    }
    ia_strbuf_puts(b, "</g>\n");
    if (c->y_label && *c->y_label) {
        ia_strbuf_puts(b, "<text class=\"ia-axis-label\" text-anchor=\"start\" x=\"8\"");
        attr(b, "y", top - 8);
        ia_strbuf_puts(b, ">");
        if (ia_chart_text(b, c->y_label, (size_t)((left - 14) / IA_CHART_CHAR_W)))
            ia_chart_title_element(b, c->y_label);
        ia_strbuf_puts(b, "</text>\n");
    }

    ia_strbuf_puts(b, "<g class=\"ia-data\">");
    for (size_t r = 0; r < rows; r++) {
        double ry = top + CELL_H * (double)r;
        const char *name = row_name(c, r);
        ia_strbuf_puts(b, "<text class=\"ia-tick\" text-anchor=\"end\"");
        attr(b, "x", left - 6);
        attr(b, "y", ry + 15);
        ia_strbuf_puts(b, ">");
        if (ia_chart_text(b, name, row_chars))
            ia_chart_title_element(b, name);
        ia_strbuf_puts(b, "</text>");
        for (size_t j = 0; j < cols; j++)
            heat_cell(b, c, &hs, r, j, left + cell_w * (double)j, ry, cell_w);
        ia_strbuf_puts(b, "\n");
    }
    ia_strbuf_puts(b, "</g>\n");
    ia_chart_plot grid = {left, top, cell_w * (double)cols, bottom - top};
    ia_chart_draw_x_label(b, &grid, x_label_y, c->x_label);
    heat_legend(b, c, &hs, 16, legend_y);
    ia_chart_end(b);
    return IA_OK;
}
