/*
 * report: what the results store holds, shown to people. Reports (summary,
 * performance, hardware, models, compatibility, timing, regressions) are
 * written as one self-contained HTML page, GitHub Markdown with SVG charts
 * beside it, or JSON; the compatibility matrix crosses models (or model
 * families) with hardware. Charts come from our own small SVG writer.
 *
 * Nothing here measures or predicts: every figure is read from the store,
 * and a figure the store marks simulated or synthetic says so where it is
 * shown.
 *
 * Memory: the caller owns every ia_strbuf passed in and every input array;
 * the functions only append to the buffer. An ia_matrix is created by
 * ia_matrix_build and freed by ia_matrix_free.
 */
#ifndef IPFS_ACCELERATE_REPORT_H
#define IPFS_ACCELERATE_REPORT_H

#include <stdint.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- charts */

typedef enum ia_chart_kind {
    IA_CHART_BARS,    /* grouped bars: one group per category, one bar per series */
    IA_CHART_LINES,   /* numeric x (batch size, ...), one line per series */
    IA_CHART_TIME,    /* x is Unix time in seconds; markers on chosen points */
    IA_CHART_HEATMAP  /* rows x columns of cells, each with a state */
} ia_chart_kind;

/* The four states of a heatmap cell; each looks different (colour and
 * pattern, not colour alone). */
typedef enum ia_chart_cell_state {
    IA_CELL_OK,           /* measured: value sets the shade */
    IA_CELL_FAILED,       /* tried and failed */
    IA_CELL_UNSUPPORTED,  /* the registry or the engine says it cannot run */
    IA_CELL_NOT_MEASURED  /* nobody tried */
} ia_chart_cell_state;

typedef struct ia_chart_cell {
    ia_chart_cell_state state;
    double value;      /* IA_CELL_OK: the figure shaded (NAN: unshaded) */
    const char *label; /* short text inside the cell ("12.3 ms", "failed"); may be NULL */
    const char *title; /* hover text; may be NULL (label is used) */
} ia_chart_cell;

typedef struct ia_chart_series {
    const char *name;     /* legend text */
    const double *x;      /* LINES and TIME: x of each point; BARS: NULL */
    const double *y;      /* BARS: one value per category; NAN is missing (a gap, never 0) */
    size_t count;         /* BARS: must equal category_count */
    const bool *marked;   /* TIME: points drawn as change markers; may be NULL */
    const bool *improved; /* TIME: marked points that are improvements (drawn in the
                           * "better" colour, not the alarm one); may be NULL */
    const char *const *notes; /* per-point hover text added to the value; may be NULL */
} ia_chart_series;

typedef struct ia_chart {
    ia_chart_kind kind;
    const char *id;      /* unique in the page: the svg's id (letters, digits, '-') */
    const char *title;   /* drawn above the plot and as the svg's <title> */
    const char *x_label; /* with its unit: "batch size", "time (UTC)" */
    const char *y_label; /* with its unit: "latency p50 (ms)" */
    const char *unit;    /* appended to values in hover text: "ms"; may be NULL */
    bool log_y;          /* logarithmic y axis (values <= 0 are gaps) */
    /* BARS: the groups along x. HEATMAP: the columns. */
    const char *const *categories;
    size_t category_count;
    /* BARS, LINES, TIME. */
    const ia_chart_series *series;
    size_t series_count;
    /* HEATMAP: row labels and cells[row * category_count + column]. */
    const char *const *rows;
    size_t row_count;
    const ia_chart_cell *cells;
    /* true: a file of its own (xmlns and its own <style>); false: inline in
     * a page that includes ia_chart_css() once. */
    bool standalone;
} ia_chart;

/* Appends the chart's <svg> element to out. Bad input (a series whose count
 * does not match, no id) is IA_ERR_INVALID; empty data is a small chart that
 * says "no data". */
ia_status ia_chart_svg(const ia_chart *chart, ia_strbuf *out, ia_error *err);

/* The CSS inline charts need (light and dark themes), for a page's <style>. */
const char *ia_chart_css(void);

/* "Nice" axis ticks covering [lo, hi]: at most max_ticks values on a 1-2-5
 * step, written to ticks; returns how many. */
size_t ia_chart_nice_ticks(double lo, double hi, size_t max_ticks, double *ticks);

/* ---------------------------------------------------- compatibility matrix */

typedef enum ia_matrix_by {
    IA_MATRIX_BY_MODEL, /* one row per model in the store */
    IA_MATRIX_BY_FAMILY /* one row per model family (registry families) */
} ia_matrix_by;

typedef struct ia_matrix_cell {
    ia_chart_cell_state state;
    double best_latency_ms; /* IA_CELL_OK: the lowest p50 (else mean) over its cases */
    int64_t best_batch_size; /* the batch size of that case */
    bool simulated;         /* IA_CELL_OK: every figure behind it is simulated */
    char *reason;           /* FAILED / UNSUPPORTED: why (may be NULL otherwise) */
    size_t ok_models, models; /* BY_FAMILY: models measured OK / models in the row */
} ia_matrix_cell;

typedef struct ia_matrix {
    ia_matrix_by by;
    size_t rows, columns;
    char **row_names;    /* models or families */
    char **column_names; /* hardware */
    ia_matrix_cell *cells; /* cells[row * columns + column] */
} ia_matrix;

/* Crosses what the store holds (latest results, latest compatibility rows)
 * with the registry: rows are the models (or families) in the store,
 * columns the hardware in the store plus this build's backends. Filters
 * (NULL: all) keep rows whose model name contains model_filter and columns
 * equal to hardware. */
ia_status ia_matrix_build(ia_store *store, ia_matrix_by by, const char *model_filter,
                          const char *hardware, ia_matrix **out, ia_error *err);
void ia_matrix_free(ia_matrix *matrix);

typedef enum ia_matrix_format {
    IA_MATRIX_TABLE,    /* aligned text for a terminal (colour when asked) */
    IA_MATRIX_MARKDOWN, /* a GitHub table */
    IA_MATRIX_JSON,
    IA_MATRIX_HTML      /* a whole self-contained page */
} ia_matrix_format;

ia_status ia_matrix_write(const ia_matrix *matrix, ia_matrix_format format, bool color,
                          ia_strbuf *out, ia_error *err);

/* --------------------------------------------------------------- reports */

typedef enum ia_report_type {
    IA_REPORT_SUMMARY,
    IA_REPORT_PERFORMANCE,
    IA_REPORT_HARDWARE,
    IA_REPORT_MODELS,
    IA_REPORT_COMPATIBILITY,
    IA_REPORT_TIMING,
    IA_REPORT_REGRESSIONS
} ia_report_type;

typedef enum ia_report_format {
    IA_REPORT_HTML,
    IA_REPORT_MARKDOWN,
    IA_REPORT_JSON
} ia_report_format;

typedef struct ia_report_options {
    ia_report_type type;
    ia_report_format format;
    const char *model;     /* NULL: all; else models whose name contains it */
    const char *hardware;  /* NULL: all; else this hardware only */
    int64_t since_us;      /* 0: all history; else results at or after (Unix us) */
    /* Markdown: the folder the SVG charts are written to (NULL: no charts)
     * and how the report links to it (relative to the report's own file). */
    const char *assets_dir;
    const char *assets_link;
    int64_t generated_at_us; /* the report's date; 0: SOURCE_DATE_EPOCH when set, else now */
    const char *db_label;    /* how the report names its store (a file name) */
} ia_report_options;

/* "summary", ... and back; ia_report_type_parse returns false when unknown. */
const char *ia_report_type_name(ia_report_type type);
bool ia_report_type_parse(const char *name, ia_report_type *type);

/* Writes the report to out (and, for Markdown, the charts to assets_dir). */
ia_status ia_report_write(ia_store *store, const ia_report_options *options, ia_strbuf *out,
                          ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
