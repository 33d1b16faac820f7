/* ipfs-accelerate report: what the results store holds, as one
 * self-contained HTML page, Markdown with SVG charts beside it, or JSON. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/report.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate report [--db FILE] [--type TYPE] [--format FORMAT]\n"
    "                              [--out FILE] [--assets DIR] [--model M]\n"
    "                              [--hardware H] [--since WHEN]\n"
    "\n"
    "Reports what the results store holds: which hardware, how fast, how sure.\n"
    "\n"
    "Types:\n"
    "  summary        the fastest hardware per model, charts, compatibility (default)\n"
    "  performance    latest results of every configuration, charts, history\n"
    "  hardware       each platform, the machine behind it, the runs\n"
    "  models         each model: family, hardware, best latency and throughput\n"
    "  compatibility  the matrix by family and by model, and the failures\n"
    "  timing         p50/p90/p99, throughput, memory, energy with the method's\n"
    "                 settings and the environment of every run\n"
    "  regressions    stored regression findings and the history of each configuration\n"
    "\n"
    "Options:\n"
    "      --db FILE       the store (default: $IA_DB, else ./benchmarks.duckdb)\n"
    "  -t, --type TYPE     one of the types above\n"
    "  -f, --format F      html (default: one self-contained page), markdown, json\n"
    "      --json          the same as --format json\n"
    "  -o, --out FILE      write to FILE instead of standard output\n"
    "      --assets DIR    markdown: write the charts as SVG files into DIR and link\n"
    "                      them (default with --out R.md: R-charts/ beside it;\n"
    "                      without --out and --assets the charts are left out)\n"
    "      --model M       only models whose name contains M\n"
    "      --hardware H    only hardware H (cpu, cuda, ...)\n"
    "      --since WHEN    only results from WHEN on: a date (2026-11-01), a UTC time\n"
    "                      (2026-11-01T12:00Z) or an age (30d, 12h, 2w)\n" IA_CLI_COMMON_HELP
    "\n"
    "The date printed in the report is now, or SOURCE_DATE_EPOCH when set.\n"
    "Exit codes: 0 ok, 1 failure (no store, a query failed, a file not written),\n"
    "2 usage error.\n";

enum { OPT_DB = 256, OPT_ASSETS, OPT_MODEL, OPT_HARDWARE, OPT_SINCE, OPT_JSON };

/* The default chart folder of a Markdown report R.md: R-charts beside it. */
static char *default_assets(const char *out)
{
    size_t n = strlen(out);
    const char *dot = strrchr(out, '.');
    const char *slash = strrchr(out, '/');
    if (dot && (!slash || dot > slash))
        n = (size_t)(dot - out);
    char *dir = malloc(n + sizeof "-charts");
    if (dir)
        snprintf(dir, n + sizeof "-charts", "%.*s-charts", (int)n, out);
    return dir;
}

/* How the report links its chart folder: relative to the report's own
 * folder when the charts are inside it, else the folder as given. */
static const char *assets_link(const char *out, const char *assets)
{
    const char *slash = out ? strrchr(out, '/') : NULL;
    if (!slash)
        return assets;
    size_t dir_len = (size_t)(slash - out) + 1;
    if (strncmp(assets, out, dir_len) == 0)
        return assets + dir_len;
    return assets;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"db", required_argument, 0, OPT_DB},
        {"type", required_argument, 0, 't'},
        {"format", required_argument, 0, 'f'},
        {"json", no_argument, 0, OPT_JSON},
        {"out", required_argument, 0, 'o'},
        {"assets", required_argument, 0, OPT_ASSETS},
        {"model", required_argument, 0, OPT_MODEL},
        {"hardware", required_argument, 0, OPT_HARDWARE},
        {"since", required_argument, 0, OPT_SINCE},
        {0, 0, 0, 0},
    };
    const char *db = NULL, *type = "summary", *format = "html", *out = NULL, *assets = NULL,
               *since = NULL;
    ia_report_options opt = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT "t:f:o:", options, NULL)) != -1) {
        if (ia_cli_common_option(c))
            continue;
        switch (c) {
        case 'h': fputs(help, stdout); return IA_EXIT_OK;
        case OPT_DB: db = optarg; break;
        case 't': type = optarg; break;
        case 'f': format = optarg; break;
        case OPT_JSON: format = "json"; break;
        case 'o': out = optarg; break;
        case OPT_ASSETS: assets = optarg; break;
        case OPT_MODEL: opt.model = optarg; break;
        case OPT_HARDWARE: opt.hardware = optarg; break;
        case OPT_SINCE: since = optarg; break;
        default: return ia_cli_option_error("report", c, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (!ia_report_type_parse(type, &opt.type))
        return ia_cli_usage_error("report", "unknown report type '%s' (summary, performance, "
                                            "hardware, models, compatibility, timing, "
                                            "regressions)",
                                  type);
    if (strcmp(format, "html") == 0)
        opt.format = IA_REPORT_HTML;
    else if (strcmp(format, "markdown") == 0 || strcmp(format, "md") == 0)
        opt.format = IA_REPORT_MARKDOWN;
    else if (strcmp(format, "json") == 0)
        opt.format = IA_REPORT_JSON;
    else
        return ia_cli_usage_error("report", "unknown format '%s' (html, markdown, json)", format);
    if (assets && opt.format != IA_REPORT_MARKDOWN)
        return ia_cli_usage_error("report", "--assets is for --format markdown (HTML holds its "
                                            "charts inline)");
    if (since && !ia_cli_parse_since(since, &opt.since_us))
        return ia_cli_usage_error("report", "--since '%s' is neither a date (2026-11-01) nor an "
                                            "age (30d, 12h)",
                                  since);

    char *own_assets = NULL;
    if (opt.format == IA_REPORT_MARKDOWN && !assets && out) {
        own_assets = default_assets(out);
        assets = own_assets;
    }
    opt.assets_dir = assets;
    opt.assets_link = assets ? assets_link(out, assets) : NULL;

    const char *location = ia_store_default_location(db);
    char *label_copy = strdup(location);
    opt.db_label = label_copy ? basename(label_copy) : location;
    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    ia_strbuf text = {0};
    int code = IA_EXIT_FAILURE;
    if (ia_store_open(location, true, &store, &err) != IA_OK) {
        ia_log_error("report: %s", err.message);
    } else if (ia_report_write(store, &opt, &text, &err) != IA_OK) {
        ia_log_error("report: %s", err.message);
    } else if (out) {
        if (ia_file_write_all(out, text.data, text.len, &err) != IA_OK)
            ia_log_error("report: %s", err.message);
        else {
            ia_log_info("report: wrote %s%s%s", out, assets ? " and its charts in " : "",
                        assets ? assets : "");
            code = IA_EXIT_OK;
        }
    } else if (fwrite(text.data, 1, text.len, stdout) != text.len || fflush(stdout) != 0) {
        ia_log_error("report: writing to standard output failed");
    } else {
        code = IA_EXIT_OK;
    }
    ia_strbuf_free(&text);
    ia_store_close(store);
    free(label_copy);
    free(own_assets);
    return code;
}

const ia_cli_command ia_cli_report = {
    "report",
    "reports with charts: summary, performance, hardware, models, timing, ...",
    run,
};
