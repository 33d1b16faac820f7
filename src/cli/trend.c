/* ipfs-accelerate trend: the slope of each configuration's history (Theil-Sen
 * over timestamps, with a confidence interval), classified stable,
 * improving, degrading or volatile. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/analyze.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate trend [--db FILE] [--metric M] [--since WHEN]\n"
    "                             [--model M] [--hardware H] [--threshold PCT]\n"
    "                             [--volatile PCT] [--format table|json|markdown]\n"
    "\n"
    "Fits each configuration's history of one metric with a Theil-Sen slope over\n"
    "the results' timestamps (not their order), with a 95% confidence interval,\n"
    "and classifies it: stable (the interval holds 0, or the change over 30 days\n"
    "is under the threshold), improving, degrading (by the metric's direction),\n"
    "volatile (the spread around the trend is over --volatile), or too short\n"
    "(under 3 results).\n"
    "\n"
    "Options:\n"
    "      --db FILE        the store (default: $IA_DB, else ./benchmarks.duckdb)\n"
    "      --metric M       latency (default), throughput, tokens, memory, energy,\n"
    "                       or a column name (latency_ms_p90, ...)\n"
    "      --since WHEN     only results from WHEN on (2026-11-01, 30d)\n"
    "      --model M        only models whose name contains M\n"
    "      --hardware H     only hardware H\n"
    "      --threshold PCT  change per 30 days below which a trend is stable (5%)\n"
    "      --volatile PCT   robust CV of the residuals above which it is volatile (10%)\n"
    "  -f, --format F       table (default), json, markdown\n"
    "      --json           the same as --format json\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error.\n";

enum { OPT_DB = 256, OPT_METRIC, OPT_SINCE, OPT_MODEL, OPT_HARDWARE, OPT_THRESHOLD,
       OPT_VOLATILE, OPT_JSON };

static void put_num(double v)
{
    if (isfinite(v))
        printf("%.6g", v);
    else
        fputs("null", stdout);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"db", required_argument, 0, OPT_DB},
        {"metric", required_argument, 0, OPT_METRIC},
        {"since", required_argument, 0, OPT_SINCE},
        {"model", required_argument, 0, OPT_MODEL},
        {"hardware", required_argument, 0, OPT_HARDWARE},
        {"threshold", required_argument, 0, OPT_THRESHOLD},
        {"volatile", required_argument, 0, OPT_VOLATILE},
        {"format", required_argument, 0, 'f'},
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    const char *db = NULL, *since = NULL, *format = "table";
    const ia_metric_info *metric = ia_metric_find("latency_ms_p50");
    ia_series_filter filter = {0};
    double threshold = 0.05, volatile_cv = 0.10;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT "f:", options, NULL)) != -1) {
        if (ia_cli_common_option(c))
            continue;
        switch (c) {
        case 'h': fputs(help, stdout); return IA_EXIT_OK;
        case OPT_DB: db = optarg; break;
        case OPT_METRIC:
            if (!(metric = ia_metric_find(optarg)))
                return ia_cli_usage_error("trend", "unknown metric '%s' (latency, throughput, "
                                                   "tokens, memory, energy, or a column)",
                                          optarg);
            break;
        case OPT_SINCE: since = optarg; break;
        case OPT_MODEL: filter.model = optarg; break;
        case OPT_HARDWARE: filter.hardware = optarg; break;
        case OPT_THRESHOLD:
        case OPT_VOLATILE:
            if (!ia_cli_parse_percent(optarg, c == OPT_THRESHOLD ? &threshold : &volatile_cv))
                return ia_cli_usage_error("trend", "'%s' is not a percentage (5%%)", optarg);
            break;
        case 'f': format = optarg; break;
        case OPT_JSON: format = "json"; break;
        default: return ia_cli_option_error("trend", c, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("trend", "unexpected argument '%s'", argv[optind]);
    bool json = strcmp(format, "json") == 0, markdown = strcmp(format, "markdown") == 0;
    if (!json && !markdown && strcmp(format, "table") != 0)
        return ia_cli_usage_error("trend", "unknown format '%s' (table, json, markdown)", format);
    if (since && !ia_cli_parse_since(since, &filter.since_us))
        return ia_cli_usage_error("trend", "--since '%s' is neither a date (2026-11-01) nor an "
                                           "age (30d, 12h)",
                                  since);

    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    ia_series *series = NULL;
    size_t n = 0, simulated = 0;
    if (ia_store_open(ia_store_default_location(db), true, &store, &err) != IA_OK ||
        ia_series_load(store, &filter, metric, &series, &n, &simulated, &err) != IA_OK) {
        ia_log_error("trend: %s", err.message);
        ia_store_close(store);
        return IA_EXIT_FAILURE;
    }
    if (simulated)
        ia_log_info("trend: %zu simulated results left out (they were not measured)", simulated);
    int code = IA_EXIT_OK;
    if (json)
        printf("{\"metric\": \"%s\", \"unit\": \"%s\", \"trends\": [", metric->name, metric->unit);
    else if (markdown)
        puts("| configuration | results | slope per day | 95% CI | change per 30 days | class |\n"
             "| --- | ---: | ---: | --- | ---: | --- |");
    else if (n)
        printf("%-56s %7s %14s %25s %10s  %s\n", "configuration", "results", "slope/day",
               "95% CI", "per 30 d", "class");
    for (size_t i = 0; i < n; i++) {
        const ia_series *x = &series[i];
        double *y = malloc((x->count ? x->count : 1) * sizeof *y);
        ia_trend t;
        if (!y) {
            code = IA_EXIT_FAILURE;
            ia_log_error("trend: out of memory");
            break;
        }
        for (size_t k = 0; k < x->count; k++)
            y[k] = x->points[k].value;
        ia_status rc = ia_trend_fit(x->times, y, x->count, metric->higher_is_better, threshold,
                                    volatile_cv, &t, &err);
        free(y);
        if (rc != IA_OK) {
            ia_log_error("trend: %s", err.message);
            code = IA_EXIT_FAILURE;
            break;
        }
        char config[256];
        snprintf(config, sizeof config, "%s / %s, batch %lld, seq %lld, %s", x->model,
                 x->hardware, (long long)x->batch_size, (long long)x->seq_len, x->precision);
        const char *cls = ia_trend_class_name(t.classification);
        if (json) {
            printf("%s\n {\"model\": ", i ? "," : "");
            ia_cli_put_json_string(x->model, strlen(x->model));
            fputs(", \"hardware\": ", stdout);
            ia_cli_put_json_string(x->hardware, strlen(x->hardware));
            printf(", \"batch_size\": %lld, \"seq_len\": %lld, \"precision\": ",
                   (long long)x->batch_size, (long long)x->seq_len);
            ia_cli_put_json_string(x->precision, strlen(x->precision));
            printf(", \"points\": %zu, \"slope_per_day\": ", t.points);
            put_num(t.slope_per_day);
            fputs(", \"slope_ci\": [", stdout);
            put_num(t.slope_lo);
            fputs(", ", stdout);
            put_num(t.slope_hi);
            fputs("], \"change_pct_per_30d\": ", stdout);
            put_num(t.change_pct_per_30d);
            fputs(", \"robust_cv\": ", stdout);
            put_num(t.robust_cv);
            printf(", \"classification\": \"%s\"}", cls);
        } else if (markdown) {
            printf("| %s | %zu | %.4g | [%.4g, %.4g] | %+.1f%% | %s |\n", config, t.points,
                   t.slope_per_day, t.slope_lo, t.slope_hi, t.change_pct_per_30d, cls);
        } else {
            printf("%-56s %7zu %14.4g [%11.4g, %11.4g] %+9.1f%%  %s\n", config, t.points,
                   t.slope_per_day, t.slope_lo, t.slope_hi, t.change_pct_per_30d, cls);
        }
    }
    if (json)
        puts("\n]}");
    else
        fprintf(stderr, "%zu series of %s (%s per day)\n", n, metric->name, metric->unit);
    ia_series_free(series, n);
    ia_store_close(store);
    return code;
}

const ia_cli_command ia_cli_trend = {
    "trend",
    "trends over the benchmark history: Theil-Sen slopes, stable or moving",
    run,
};
