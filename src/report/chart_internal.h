/* The chart writer's shared pieces (chart.c): axes and their ticks, text
 * that fits, the root element, legends. The kinds (chart_kinds.c) draw
 * their marks with them. Private to src/report (and its tests).
 *
 * Every coordinate is printed with one decimal and every label is chosen
 * from the input alone, so the same chart gives the same bytes (Markdown
 * reports are compared with golden files). */
#ifndef IA_CHART_INTERNAL_H
#define IA_CHART_INTERNAL_H

#include "report_internal.h"

/* The width of bar, line and time charts in viewBox units; the svg scales
 * to its container (width="100%"), so this fixes proportions, not pixels. */
#define IA_CHART_WIDTH 720.0
#define IA_CHART_MARGIN_LEFT 64.0
#define IA_CHART_MARGIN_RIGHT 16.0
#define IA_CHART_PLOT_HEIGHT 220.0
/* The average advance of an 11px system-ui glyph: text is measured by
 * counting characters, since the writer cannot ask a font. */
#define IA_CHART_CHAR_W 6.6
#define IA_CHART_LINE_H 18.0
#define IA_CHART_MAX_TICKS 7
#define IA_CHART_TICKS_CAP 32
/* Series classes s0..s7 (the Okabe-Ito palette); beyond, colours repeat
 * with a dash pattern d1..d3. */
#define IA_CHART_COLOURS 8
/* A line series with more points than this is thinned to the lowest and
 * highest point of each pixel column, and its points are not drawn one by
 * one (change markers still are). */
#define IA_CHART_THIN_ABOVE 640

typedef struct ia_chart_axis {
    double lo, hi;     /* the domain mapped onto the plot */
    bool log;          /* map log10(v); ticks are powers of ten */
    size_t tick_count;
    double ticks[IA_CHART_TICKS_CAP];
    char labels[IA_CHART_TICKS_CAP][32];
} ia_chart_axis;

typedef struct ia_chart_plot {
    double left, top, width, height;
} ia_chart_plot;

/* --- numbers and text ----------------------------------------------------- */

/* A coordinate with one decimal (non-finite values, which the kinds never
 * pass on purpose, print as 0 so the document stays valid). */
void ia_chart_coord(ia_strbuf *b, double v);
/* A tick label: compact (1.5k, 2M, 0.25), with the decimals step needs. */
void ia_chart_fmt_tick(double v, double step, char out[32]);
/* A value for hover text: 3 significant digits, then " unit" when given. */
void ia_chart_fmt_value(ia_strbuf *b, double v, const char *unit);
/* Unix seconds as "2026-11-27 14:03 UTC". */
void ia_chart_fmt_time(ia_strbuf *b, double seconds);
/* How many characters (code points) s shows; NULL is 0. */
size_t ia_chart_text_len(const char *s);
/* s escaped for XML, as valid UTF-8 (bad bytes become U+FFFD), cut to
 * max_chars characters with an ellipsis when longer (0: no limit); returns
 * whether it was cut. NULL is "". */
bool ia_chart_text(ia_strbuf *b, const char *s, size_t max_chars);
/* <title>text</title>, text escaped. */
void ia_chart_title_element(ia_strbuf *b, const char *text);
/* The series classes of series i: "s3", or "s1 d1" past the palette. */
void ia_chart_series_class(ia_strbuf *b, size_t i);

/* --- axes ----------------------------------------------------------------- */

/* A linear axis on nice ticks covering [lo, hi]. */
void ia_chart_axis_linear(ia_chart_axis *a, double lo, double hi);
/* A log axis on powers of ten covering [lo, hi] (both > 0). */
void ia_chart_axis_log(ia_chart_axis *a, double lo, double hi);
/* A time axis over [lo, hi] Unix seconds with ticks on calendar boundaries. */
void ia_chart_axis_time(ia_chart_axis *a, double lo, double hi);
/* Where v falls along the axis: 0 at lo, 1 at hi. */
double ia_chart_axis_frac(const ia_chart_axis *a, double v);
/* The y axis: grid lines, tick labels, the rotated label. */
void ia_chart_draw_y_axis(ia_strbuf *b, const ia_chart_plot *p, const ia_chart_axis *a,
                          const char *label);
/* The x axis line with a numeric or time axis's ticks and labels. */
void ia_chart_draw_x_axis(ia_strbuf *b, const ia_chart_plot *p, const ia_chart_axis *a);
/* A centred axis label at y. */
void ia_chart_draw_x_label(ia_strbuf *b, const ia_chart_plot *p, double y, const char *label);

/* --- the svg element ------------------------------------------------------ */

/* Opens <svg> of the given height (width is `width`), its <title>, the
 * <style> when standalone, and the title drawn above the plot. */
void ia_chart_begin(ia_strbuf *b, const ia_chart *c, double width, double height, bool empty);
void ia_chart_end(ia_strbuf *b);
/* The whole "no data" chart. */
void ia_chart_write_empty(ia_strbuf *b, const ia_chart *c);
/* Where the plot may start: below the title when there is one. */
double ia_chart_top(const ia_chart *c);

/* The legend of a chart's series, flowed in rows across width from (x, y);
 * returns its height. b NULL: only measures. Nothing for one series. */
double ia_chart_legend(ia_strbuf *b, const ia_chart *c, double x, double y, double width);

/* --- the kinds (chart_kinds.c); input already checked --------------------- */

ia_status ia_chart_draw_bars(const ia_chart *c, ia_strbuf *b, ia_error *err);
ia_status ia_chart_draw_lines(const ia_chart *c, ia_strbuf *b, ia_error *err);
ia_status ia_chart_draw_heatmap(const ia_chart *c, ia_strbuf *b, ia_error *err);

#endif
