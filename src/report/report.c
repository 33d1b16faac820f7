/* ia_report_write: reads the store once, builds the chosen report as a
 * document, writes it in the chosen format. Each report type is a list of
 * sections; the sections themselves live in report_sections.c,
 * report_compat.c and report_charts.c. */
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

static const char *const type_names[] = {
    [IA_REPORT_SUMMARY] = "summary",         [IA_REPORT_PERFORMANCE] = "performance",
    [IA_REPORT_HARDWARE] = "hardware",       [IA_REPORT_MODELS] = "models",
    [IA_REPORT_COMPATIBILITY] = "compatibility", [IA_REPORT_TIMING] = "timing",
    [IA_REPORT_REGRESSIONS] = "regressions",
};

static const char *const type_titles[] = {
    [IA_REPORT_SUMMARY] = "Benchmark summary",
    [IA_REPORT_PERFORMANCE] = "Performance",
    [IA_REPORT_HARDWARE] = "Hardware",
    [IA_REPORT_MODELS] = "Models",
    [IA_REPORT_COMPATIBILITY] = "Compatibility",
    [IA_REPORT_TIMING] = "Timing details",
    [IA_REPORT_REGRESSIONS] = "Regressions and history",
};

const char *ia_report_type_name(ia_report_type type)
{
    return (size_t)type < sizeof type_names / sizeof type_names[0] ? type_names[type] : "?";
}

bool ia_report_type_parse(const char *name, ia_report_type *type)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(name, type_names[i]) == 0) {
            *type = (ia_report_type)i;
            return true;
        }
    return false;
}

/* "benchmarks.duckdb: 120 results, 2026-11-01 to 2026-11-27; model bert" */
static void subtitle(const ia_report_options *opt, const ia_rp_data *d, ia_strbuf *b)
{
    char a[32], z[32];
    ia_strbuf_printf(b, "%s: ", opt->db_label ? opt->db_label : "results store");
    if (d->result_count == 0)
        ia_strbuf_puts(b, "no results");
    else
        ia_strbuf_printf(b, "%lld result%s, %s to %s", (long long)d->result_count,
                         d->result_count == 1 ? "" : "s", ia_report_fmt_time(d->first_us, a),
                         ia_report_fmt_time(d->last_us, z));
    if (opt->model && *opt->model)
        ia_strbuf_printf(b, "; models containing \"%s\"", opt->model);
    if (opt->hardware && *opt->hardware)
        ia_strbuf_printf(b, "; hardware %s", opt->hardware);
    if (opt->since_us > 0)
        ia_strbuf_printf(b, "; since %s", ia_report_fmt_time(opt->since_us, a));
}

static void build(ia_rp_ctx *c)
{
    ia_doc *doc = c->doc;
    if (c->data->result_count == 0)
        ia_doc_note(doc, "The store holds no results%s. Run `ipfs-accelerate bench` (or `make "
                         "run`) to measure, or `ipfs-accelerate db import` to load results.",
                    (c->opt->model || c->opt->hardware || c->opt->since_us) ? " that match the "
                                                                              "filters"
                                                                            : "");
    switch (c->opt->type) {
    case IA_REPORT_SUMMARY:
        ia_rp_facts(c);
        ia_doc_heading(doc, 2, "Fastest hardware per model");
        ia_rp_fastest_table(c);
        ia_rp_chart_latency_by_hardware(c, "latency-by-hardware");
        ia_rp_chart_throughput_by_batch(c, "throughput-by-batch");
        ia_rp_compat_sections(c, false);
        ia_rp_regression_sections(c);
        ia_rp_chart_findings(c, "finding", 4);
        break;
    case IA_REPORT_PERFORMANCE:
        ia_rp_facts(c);
        ia_rp_chart_latency_by_hardware(c, "latency-by-hardware");
        ia_rp_chart_throughput_by_batch(c, "throughput-by-batch");
        ia_doc_heading(doc, 2, "Latest results");
        ia_rp_latest_table(c);
        ia_doc_heading(doc, 2, "History");
        ia_rp_chart_histories(c, "history", 6);
        break;
    case IA_REPORT_HARDWARE:
        ia_rp_hardware_sections(c);
        ia_doc_heading(doc, 2, "Runs");
        ia_rp_runs_table(c);
        break;
    case IA_REPORT_MODELS:
        ia_rp_models_table(c);
        ia_rp_chart_throughput_by_batch(c, "throughput-by-batch");
        break;
    case IA_REPORT_COMPATIBILITY:
        ia_rp_compat_sections(c, true);
        break;
    case IA_REPORT_TIMING:
        ia_rp_timing_tables(c);
        ia_doc_heading(doc, 2, "Runs and their environment");
        ia_rp_runs_table(c);
        break;
    case IA_REPORT_REGRESSIONS:
        ia_rp_regression_sections(c);
        ia_rp_chart_findings(c, "finding", 12);
        ia_doc_heading(doc, 2, "History");
        ia_rp_chart_histories(c, "history", 6);
        break;
    }
}

ia_status ia_report_write(ia_store *store, const ia_report_options *opt, ia_strbuf *out,
                          ia_error *err)
{
    if ((size_t)opt->type >= sizeof type_names / sizeof type_names[0])
        return ia_error_set(err, IA_ERR_INVALID, "report: unknown report type %d", (int)opt->type);
    int64_t now = opt->generated_at_us ? opt->generated_at_us : ia_report_generated_at_us();
    ia_rp_data data;
    ia_status rc = ia_rp_data_load(store, opt, &data, err);
    if (rc != IA_OK)
        return rc;
    ia_strbuf sub = {0};
    subtitle(opt, &data, &sub);
    ia_doc doc;
    ia_doc_init(&doc, type_titles[opt->type], sub.data);
    ia_strbuf_free(&sub);
    ia_rp_ctx ctx = {store, opt, &data, &doc, err, IA_OK};
    build(&ctx);
    rc = ctx.rc;
    if (rc == IA_OK) {
        switch (opt->format) {
        case IA_REPORT_HTML:
            rc = ia_doc_write_html(&doc, now, out, err);
            break;
        case IA_REPORT_MARKDOWN:
            rc = ia_doc_write_markdown(&doc, now, opt->assets_dir, opt->assets_link, out, err);
            break;
        case IA_REPORT_JSON:
            rc = ia_doc_write_json(&doc, ia_report_type_name(opt->type), now, out, err);
            break;
        }
    }
    ia_doc_free(&doc);
    ia_rp_data_free(&data);
    return rc;
}
