/* The report layer's shared pieces: escaping for each output language, the
 * HTML page shell every page uses, and model families. Private to
 * src/report (and its tests). */
#ifndef IA_REPORT_INTERNAL_H
#define IA_REPORT_INTERNAL_H

#include <stdint.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/report.h"

/* --- escaping (markup.c) --------------------------------------------------- */

/* s with & < > " ' escaped, for XML/HTML text and attribute values. NULL is "". */
void ia_report_put_xml(ia_strbuf *b, const char *s);
/* s for a Markdown table cell: | and \ escaped, newlines as spaces, and the
 * characters Markdown would format (* _ ` < [ ]) escaped. NULL is "". */
void ia_report_put_md(ia_strbuf *b, const char *s);
/* A number the way reports show it: 3 significant digits ("12.3", "0.0451",
 * "1234"), "n/a" for NAN. out holds at least 32 bytes. */
const char *ia_report_fmt_num(double v, char out[32]);
/* qsort order of hardware names (const char *): "cpu" first, the baseline
 * every other platform is read against, then by name. */
int ia_report_cmp_hardware(const void *a, const void *b);
/* The date a report or page prints: SOURCE_DATE_EPOCH (reproducible builds'
 * convention) when set, so the same store gives the same bytes; else now. */
int64_t ia_report_generated_at_us(void);
/* Unix microseconds as "2026-11-27 14:03 UTC" (minutes) into out[32]. */
const char *ia_report_fmt_time(int64_t us, char out[32]);

/* --- the HTML page (html_page.c) ------------------------------------------ */

/* Opens a self-contained page: doctype, <head> with the title, the page and
 * chart CSS (light and dark themes, phone widths) and the table-sorting
 * script; then <body data-charts="N"> (N: how many charts the page will
 * hold; the browser test checks it) and a header with the title and the
 * subtitle (may be NULL). */
void ia_html_begin(ia_strbuf *b, const char *title, const char *subtitle, size_t chart_count);
/* Closes the page, with a footer naming the generator and generated_at_us. */
void ia_html_end(ia_strbuf *b, int64_t generated_at_us);
/* Sortable tables: <table class="ia-sortable"> with a caption; a header
 * cell per column (numeric columns sort by number); then rows of cells.
 * ia_html_num_cell writes data-v with the raw number so sorting is exact. */
void ia_html_table_begin(ia_strbuf *b, const char *caption, const char *const *headers,
                         const bool *numeric, size_t columns);
void ia_html_row_begin(ia_strbuf *b);
void ia_html_text_cell(ia_strbuf *b, const char *text);
void ia_html_num_cell(ia_strbuf *b, double v, const char *unit);
void ia_html_row_end(ia_strbuf *b);
void ia_html_table_end(ia_strbuf *b);

/* --- what a report reads (report_data.c) ---------------------------------- */

/* One stored result: one configuration measured once. Unknown figures are
 * NAN, unknown counts -1, unknown texts NULL. */
typedef struct ia_rp_result {
    int64_t id, run_id, timestamp_us;
    char *model, *hardware, *precision, *mode, *git_commit, *weights_source,
        *simulation_reason;
    int64_t batch_size, seq_len, iterations, warmup, outliers, samples, history;
    double mean, stddev, min, p50, p90, p99, max, throughput, tokens_per_s, ttft, tpot,
        memory_mb, energy_j, power_w, cv;
    double p50_ci_low, p50_ci_high; /* the median's 95% interval from the samples; NAN */
    bool simulated;
} ia_rp_result;

/* One benchmark run and the environment it measured in. */
typedef struct ia_rp_run {
    int64_t id, started_us, results;
    char *git_commit, *git_branch, *engine_version, *host, *status, *hardware,
        *cpu_governor, *blas_kernel, *cpu_isa, *cpu_name;
    int64_t cpu_cores;
    double memory_gb;
} ia_rp_run;

/* One point of a configuration's history. */
typedef struct ia_rp_point {
    int64_t timestamp_us, result_id;
    double value;
    char *git_commit;
    char *finding; /* the stored findings starting here ("regression +10.2%"), or NULL */
    bool improvement; /* ... and they are all improvements */
} ia_rp_point;

typedef struct ia_rp_data {
    ia_rp_result *latest; /* the newest result of each configuration, sorted */
    size_t latest_count;
    ia_rp_run *runs;      /* newest first */
    size_t run_count;
    int64_t result_count, model_count, hardware_count, simulated_count, synthetic_count;
    int64_t first_us, last_us; /* 0 when empty */
    bool has_regressions;      /* a performance_regressions table exists */
} ia_rp_data;

/* Reads what reports show, with the options' filters. */
ia_status ia_rp_data_load(ia_store *store, const ia_report_options *opt, ia_rp_data *data,
                          ia_error *err);
void ia_rp_data_free(ia_rp_data *data);
/* The history (oldest first) of one metric (a column name from analyze.h's
 * metrics; latency_ms_p50 falls back on the mean) of the configuration r
 * belongs to, filtered like the data. */
ia_status ia_rp_history(ia_store *store, const ia_report_options *opt, const ia_rp_result *r,
                        const char *metric, ia_rp_point **points, size_t *count, ia_error *err);
void ia_rp_history_free(ia_rp_point *points, size_t count);
/* The run's environment in one line ("AMD EPYC, 2 cores, 24 GB; OpenBLAS
 * Cooperlake; avx512; governor performance"). */
void ia_rp_run_environment(const ia_rp_run *run, ia_strbuf *b);
/* The lowest latency figure a result has: p50, else the mean. */
double ia_rp_latency(const ia_rp_result *r);

/* --- a report as a document (doc.c), written by render_*.c ---------------- */

/* A report is built once as a list of blocks (headings, paragraphs, facts,
 * tables, charts) and written in each format from that list, so the HTML,
 * the Markdown and the JSON cannot disagree. */
typedef enum ia_doc_block_kind {
    IA_DOC_HEADING,
    IA_DOC_TEXT,
    IA_DOC_NOTE,
    IA_DOC_FACT,
    IA_DOC_TABLE,
    IA_DOC_CHART
} ia_doc_block_kind;

typedef struct ia_doc_column {
    const char *key;    /* the JSON name: "latency_ms_p50" */
    const char *header; /* what people read: "p50" */
    const char *unit;   /* "ms"; may be NULL */
    bool numeric;
} ia_doc_column;

typedef struct ia_doc_cell {
    char *text; /* NULL for a number */
    double num; /* NAN: unknown */
} ia_doc_cell;

typedef struct ia_doc_table {
    char *key, *caption;
    ia_doc_column *columns;
    size_t column_count, row_count; /* whole rows only */
    size_t filled, cap;             /* cells written, cells allocated */
    ia_doc_cell *cells;             /* row-major */
    bool grouped;       /* long tables group rows by their first column */
} ia_doc_table;

typedef struct ia_doc_block {
    ia_doc_block_kind kind;
    int level;          /* heading: 2 or 3 */
    char *text;         /* heading, text, note; a fact's label; a chart's title */
    char *value;        /* a fact's value */
    char *key;          /* a fact's or chart's JSON/file name */
    char *svg_inline;   /* chart: for a page */
    char *svg_file;     /* chart: a file of its own */
    bool chart_empty;
    ia_doc_table *table;
} ia_doc_block;

typedef struct ia_doc {
    char *title, *subtitle;
    ia_doc_block *blocks;
    size_t count, cap;
    size_t charts;
    bool failed; /* out of memory or a chart error (error holds it) */
    ia_error error;
} ia_doc;

void ia_doc_init(ia_doc *d, const char *title, const char *subtitle);
void ia_doc_free(ia_doc *d);
void ia_doc_heading(ia_doc *d, int level, const char *text);
void ia_doc_text(ia_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ia_doc_note(ia_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ia_doc_fact(ia_doc *d, const char *key, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Starts a table; cells follow row by row with ia_doc_cell_*. */
ia_doc_table *ia_doc_table_begin(ia_doc *d, const char *key, const char *caption,
                                 const ia_doc_column *columns, size_t count);
void ia_doc_cell_text(ia_doc *d, ia_doc_table *t, const char *text);
void ia_doc_cell_num(ia_doc *d, ia_doc_table *t, double v);
/* Renders the chart now (inline and standalone). */
void ia_doc_chart(ia_doc *d, const ia_chart *chart);

/* IA_OK, or why the document could not be built (writers check it first). */
ia_status ia_doc_status(const ia_doc *d, ia_error *err);

/* Writers: a whole page; Markdown with charts written as assets_dir/<id>.svg
 * and linked as assets_link/<id>.svg; a JSON object. */
ia_status ia_doc_write_html(const ia_doc *d, int64_t generated_at_us, ia_strbuf *out,
                            ia_error *err);
ia_status ia_doc_write_markdown(const ia_doc *d, int64_t generated_at_us,
                                const char *assets_dir, const char *assets_link, ia_strbuf *out,
                                ia_error *err);
ia_status ia_doc_write_json(const ia_doc *d, const char *report, int64_t generated_at_us,
                            ia_strbuf *out, ia_error *err);

/* Rows a table shows before it is grouped (HTML) or cut (Markdown). */
#define IA_DOC_LONG_TABLE 200

/* --- report sections (report_*.c) ----------------------------------------- */

/* What every section builder gets. */
typedef struct ia_rp_ctx {
    ia_store *store;
    const ia_report_options *opt;
    ia_rp_data *data;
    ia_doc *doc;
    ia_error *err; /* set when a query fails; the builder then stops */
    ia_status rc;
} ia_rp_ctx;

/* Charts (report_charts.c): latency by hardware for each model; throughput
 * against batch size; the history of the configurations measured most often
 * (up to max_series charts). */
void ia_rp_chart_latency_by_hardware(ia_rp_ctx *c, const char *id);
void ia_rp_chart_throughput_by_batch(ia_rp_ctx *c, const char *id);
void ia_rp_chart_histories(ia_rp_ctx *c, const char *id_prefix, size_t max_charts);
/* The history of each stored finding's configuration and metric, with its
 * marker (up to max_charts, regressions first). */
void ia_rp_chart_findings(ia_rp_ctx *c, const char *id_prefix, size_t max_charts);

/* Sections (report_sections.c, report_compat.c). */
void ia_rp_facts(ia_rp_ctx *c);
void ia_rp_fastest_table(ia_rp_ctx *c);
void ia_rp_latest_table(ia_rp_ctx *c);
void ia_rp_hardware_sections(ia_rp_ctx *c);
void ia_rp_runs_table(ia_rp_ctx *c);
void ia_rp_models_table(ia_rp_ctx *c);
void ia_rp_timing_tables(ia_rp_ctx *c);
void ia_rp_compat_sections(ia_rp_ctx *c, bool detailed);
void ia_rp_regression_sections(ia_rp_ctx *c);

/* --- model families (family.c) -------------------------------------------- */

/* The registry family of a model stored under name with model_type (NULL
 * when the store does not know it): the registry's family for model_type;
 * else a preset's family; else guessed from the name (the longest registry
 * model_type that begins the name's last path component, case and '-'/'_'
 * ignored), with *guessed set; else "unknown". Returns a static string. */
const char *ia_report_model_family(const char *name, const char *model_type, bool *guessed);

#endif
