/* ipfs-accelerate regress: change points over the whole benchmark history,
 * confirmed by Mann-Whitney U and a minimum effect size, stored as findings
 * people can acknowledge or resolve; CI-friendly exit codes and formats. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ipfs_accelerate/analyze.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate regress [--db FILE] [--since WHEN] [--metric M]...\n"
    "                               [--threshold [M=]PCT]... [--alpha P]\n"
    "                               [--model M] [--hardware H] [--against-baseline]\n"
    "                               [--fail-on regression|never] [--webhook URL]\n"
    "                               [--format table|json|markdown|github]\n"
    "       ipfs-accelerate regress ack|resolve|false-positive ID [--db FILE]\n"
    "       ipfs-accelerate regress list [--db FILE] [--status S] [--format F]\n"
    "\n"
    "Finds performance changes in the benchmark history: change points over\n"
    "each configuration's whole series (one metric at a time), each confirmed\n"
    "by a Mann-Whitney U test between the segments (on the raw samples where\n"
    "they are stored) and a minimum effect size. Findings are stored in the\n"
    "database (performance_regressions) with status detected; ack, resolve and\n"
    "false-positive change it. docs/regressions.md explains the method.\n"
    "\n"
    "Options:\n"
    "      --db FILE          the store (default: $IA_DB, else ./benchmarks.duckdb)\n"
    "      --since WHEN       only results from WHEN on (2026-11-01, 30d, 12h);\n"
    "                         default: the whole history\n"
    "      --metric M         latency, throughput, tokens, memory, energy, or a\n"
    "                         column (latency_ms_p90, ttft_ms, ...); repeatable;\n"
    "                         default: latency, throughput, tokens, memory, energy\n"
    "      --threshold [M=]PCT  smallest change that counts (default 5%); with M=\n"
    "                         for one metric only (memory=10%)\n"
    "      --alpha P          significance level of the tests (default 0.01)\n"
    "      --model M          only models whose name contains M\n"
    "      --hardware H       only hardware H\n"
    "      --against-baseline compare each configuration's latest result with its\n"
    "                         baseline ('ipfs-accelerate baseline set') instead\n"
    "      --fail-on KIND     regression: exit 1 when an unacknowledged regression\n"
    "                         is found (for CI); never (default)\n"
    "      --webhook URL      POST the new findings as JSON to URL\n"
    "  -f, --format F         table (default), json, markdown, github (workflow\n"
    "                         annotations and a job summary, appended to\n"
    "                         $GITHUB_STEP_SUMMARY when set)\n"
    "      --json             the same as --format json\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok (no regression, or --fail-on never), 1 a regression with\n"
    "--fail-on regression, or a failure, 2 usage error.\n";

enum { OPT_DB = 256, OPT_SINCE, OPT_METRIC, OPT_THRESHOLD, OPT_ALPHA, OPT_MODEL, OPT_HARDWARE,
       OPT_BASELINE, OPT_FAIL_ON, OPT_WEBHOOK, OPT_JSON, OPT_STATUS };

enum { MAX_METRICS = 16 };

typedef struct regress_args {
    const char *db, *since, *model, *hardware, *fail_on, *webhook, *format, *status;
    const ia_metric_info *metrics[MAX_METRICS];
    double thresholds[MAX_METRICS]; /* per metric; NAN: the default */
    size_t metric_count;
    double threshold, alpha;
    bool against_baseline;
} regress_args;

static bool add_metric(regress_args *a, const ia_metric_info *m)
{
    for (size_t i = 0; i < a->metric_count; i++)
        if (a->metrics[i] == m)
            return true;
    if (a->metric_count == MAX_METRICS)
        return false;
    a->thresholds[a->metric_count] = NAN;
    a->metrics[a->metric_count++] = m;
    return true;
}

static int parse_threshold(regress_args *a, const char *text)
{
    const char *eq = strchr(text, '=');
    if (!eq) {
        if (!ia_cli_parse_percent(text, &a->threshold))
            return ia_cli_usage_error("regress", "--threshold '%s' is not a percentage (5%%)",
                                      text);
        return -1;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - text), text);
    const ia_metric_info *m = ia_metric_find(name);
    double f;
    if (!m)
        return ia_cli_usage_error("regress", "--threshold: unknown metric '%s'", name);
    if (!ia_cli_parse_percent(eq + 1, &f))
        return ia_cli_usage_error("regress", "--threshold '%s' is not a percentage (5%%)",
                                  eq + 1);
    if (!add_metric(a, m))
        return ia_cli_usage_error("regress", "too many metrics");
    for (size_t i = 0; i < a->metric_count; i++)
        if (a->metrics[i] == m)
            a->thresholds[i] = f;
    return -1;
}

/* Parses options from optind on; returns -1 to go on, else an exit code. */
static int parse(int argc, char **argv, regress_args *a)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"db", required_argument, 0, OPT_DB},
        {"since", required_argument, 0, OPT_SINCE},
        {"metric", required_argument, 0, OPT_METRIC},
        {"threshold", required_argument, 0, OPT_THRESHOLD},
        {"alpha", required_argument, 0, OPT_ALPHA},
        {"model", required_argument, 0, OPT_MODEL},
        {"hardware", required_argument, 0, OPT_HARDWARE},
        {"against-baseline", no_argument, 0, OPT_BASELINE},
        {"fail-on", required_argument, 0, OPT_FAIL_ON},
        {"webhook", required_argument, 0, OPT_WEBHOOK},
        {"format", required_argument, 0, 'f'},
        {"json", no_argument, 0, OPT_JSON},
        {"status", required_argument, 0, OPT_STATUS},
        {0, 0, 0, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT "f:", options, NULL)) != -1) {
        if (ia_cli_common_option(c))
            continue;
        char *end = NULL;
        switch (c) {
        case 'h': fputs(help, stdout); return IA_EXIT_OK;
        case OPT_DB: a->db = optarg; break;
        case OPT_SINCE: a->since = optarg; break;
        case OPT_METRIC: {
            const ia_metric_info *m = ia_metric_find(optarg);
            if (!m) {
                fprintf(stderr, "ipfs-accelerate regress: unknown metric '%s'; one of:", optarg);
                for (size_t i = 0; i < ia_metric_count(); i++)
                    fprintf(stderr, " %s", ia_metric_at(i)->name);
                fputs("\n", stderr);
                return IA_EXIT_USAGE;
            }
            if (!add_metric(a, m))
                return ia_cli_usage_error("regress", "too many metrics");
            break;
        }
        case OPT_THRESHOLD: {
            int rc = parse_threshold(a, optarg);
            if (rc >= 0)
                return rc;
            break;
        }
        case OPT_ALPHA:
            a->alpha = strtod(optarg, &end);
            if (end == optarg || *end || !(a->alpha > 0 && a->alpha < 1))
                return ia_cli_usage_error("regress", "--alpha '%s' is not in (0, 1)", optarg);
            break;
        case OPT_MODEL: a->model = optarg; break;
        case OPT_HARDWARE: a->hardware = optarg; break;
        case OPT_BASELINE: a->against_baseline = true; break;
        case OPT_FAIL_ON: a->fail_on = optarg; break;
        case OPT_WEBHOOK: a->webhook = optarg; break;
        case 'f': a->format = optarg; break;
        case OPT_JSON: a->format = "json"; break;
        case OPT_STATUS: a->status = optarg; break;
        default: return ia_cli_option_error("regress", c, argv);
        }
    }
    if (strcmp(a->fail_on, "regression") != 0 && strcmp(a->fail_on, "never") != 0)
        return ia_cli_usage_error("regress", "--fail-on '%s': regression or never", a->fail_on);
    static const char *const formats[] = {"table", "json", "markdown", "github"};
    bool known = false;
    for (size_t i = 0; i < 4; i++)
        known |= strcmp(a->format, formats[i]) == 0;
    if (!known)
        return ia_cli_usage_error("regress", "unknown format '%s' (table, json, markdown, github)",
                                  a->format);
    return -1;
}

/* ------------------------------------------------------------- printing */

static void put_json_num(ia_strbuf *b, double v)
{
    if (isfinite(v))
        ia_strbuf_printf(b, "%.6g", v);
    else
        ia_strbuf_puts(b, "null");
}

static const char *iso_time(int64_t us, char out[32])
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "?");
    return out;
}

static void put_finding_json(ia_strbuf *b, const ia_finding *f)
{
    char when[32];
    ia_strbuf_puts(b, "{\"model\": ");
    ia_strbuf_put_json(b, f->model);
    ia_strbuf_puts(b, ", \"hardware\": ");
    ia_strbuf_put_json(b, f->hardware);
    ia_strbuf_printf(b, ", \"batch_size\": %lld, \"seq_len\": %lld, \"precision\": ",
                     (long long)f->batch_size, (long long)f->seq_len);
    ia_strbuf_put_json(b, f->precision);
    ia_strbuf_puts(b, ", \"mode\": ");
    ia_strbuf_put_json(b, f->mode);
    ia_strbuf_puts(b, ", \"metric\": ");
    ia_strbuf_put_json(b, f->metric->name);
    ia_strbuf_printf(b, ", \"kind\": \"%s\", \"change_pct\": ", f->kind);
    put_json_num(b, f->change_pct);
    ia_strbuf_puts(b, ", \"p_value\": ");
    put_json_num(b, f->p_value);
    ia_strbuf_puts(b, ", \"before\": ");
    put_json_num(b, f->before);
    ia_strbuf_puts(b, ", \"after\": ");
    put_json_num(b, f->after);
    ia_strbuf_printf(b, ", \"first_bad_timestamp\": \"%s\", \"first_bad_commit\": ",
                     iso_time(f->first_us, when));
    ia_strbuf_put_json(b, f->first_commit);
    ia_strbuf_printf(b, ", \"first_bad_result_id\": %lld, \"severity\": \"%s\", \"method\": "
                        "\"%s\", \"id\": %lld, \"status\": ",
                     (long long)f->first_result_id, f->severity, f->method, (long long)f->id);
    ia_strbuf_put_json(b, f->status);
    ia_strbuf_printf(b, ", \"new\": %s}", f->is_new ? "true" : "false");
}

/* Findings that still count: not acknowledged, resolved or dismissed. */
static bool active(const ia_finding *f)
{
    return !f->status || strcmp(f->status, "detected") == 0;
}

static void print_json(const ia_finding *v, size_t n, size_t analyzed)
{
    ia_strbuf b = {0};
    for (int pass = 0; pass < 2; pass++) {
        const char *kind = pass == 0 ? "regression" : "improvement";
        ia_strbuf_printf(&b, "%s\"%ss\": [", pass == 0 ? "{" : ", ", kind);
        const char *sep = "";
        for (size_t i = 0; i < n; i++) {
            if (strcmp(v[i].kind, kind) != 0)
                continue;
            ia_strbuf_printf(&b, "%s\n  ", sep);
            put_finding_json(&b, &v[i]);
            sep = ",";
        }
        ia_strbuf_puts(&b, "]");
    }
    ia_strbuf_printf(&b, ", \"series_analyzed\": %zu}\n", analyzed);
    fputs(b.data ? b.data : "", stdout);
    ia_strbuf_free(&b);
}

static const char *config_text(const ia_finding *f, char *out, size_t cap)
{
    snprintf(out, cap, "%s / %s, batch %lld, seq %lld, %s%s%s", f->model, f->hardware,
             (long long)f->batch_size, (long long)f->seq_len, f->precision,
             strcmp(f->mode, "inference") ? ", " : "", strcmp(f->mode, "inference") ? f->mode : "");
    return out;
}

static void print_table(FILE *out, const ia_finding *v, size_t n, size_t analyzed, bool markdown)
{
    bool color = !markdown && out == stdout && ia_color_enabled(STDOUT_FILENO);
    if (markdown)
        fputs("| kind | severity | configuration | metric | change | p | first bad | commit | id | status |\n"
             "| --- | --- | --- | --- | ---: | ---: | --- | --- | ---: | --- |\n", out);
    else if (n)
        fprintf(out, "%-11s %-8s %-50s %-22s %8s %9s %-20s %-10s %5s %s\n", "kind", "severity",
               "configuration", "metric", "change", "p", "first bad", "commit", "id", "status");
    size_t regressions = 0;
    for (size_t i = 0; i < n; i++) {
        const ia_finding *f = &v[i];
        char config[256], when[32];
        config_text(f, config, sizeof config);
        bool bad = strcmp(f->kind, "regression") == 0;
        regressions += bad && active(f);
        char status[48];
        snprintf(status, sizeof status, "%s%s", f->status ? f->status : "detected",
                 f->is_new ? " (new)" : "");
        if (markdown)
            fprintf(out, "| %s | %s | %s | %s | %+.1f%% | %.2g | %s | %s | %lld | %s |\n", f->kind,
                   f->severity, config, f->metric->name, f->change_pct, f->p_value,
                   iso_time(f->first_us, when), f->first_commit ? f->first_commit : "",
                   (long long)f->id, status);
        else
            fprintf(out, "%s%-11s%s %-8s %-50s %-22s %+7.1f%% %9.2g %-20s %-10s %5lld %s\n",
                   color ? (bad ? "\033[31m" : "\033[32m") : "", f->kind, color ? "\033[0m" : "",
                   f->severity, config, f->metric->name, f->change_pct, f->p_value,
                   iso_time(f->first_us, when), f->first_commit ? f->first_commit : "-",
                   (long long)f->id, status);
    }
    fprintf(out, "%s%zu series analysed: %zu finding%s, %zu unacknowledged regression%s.\n",
           markdown ? "\n" : "", analyzed, n, n == 1 ? "" : "s", regressions,
           regressions == 1 ? "" : "s");
}

/* GitHub Actions: an annotation per finding, then a Markdown job summary
 * appended to $GITHUB_STEP_SUMMARY (or printed when it is not set). */
static void print_github(const ia_finding *v, size_t n, size_t analyzed)
{
    for (size_t i = 0; i < n; i++) {
        const ia_finding *f = &v[i];
        char config[256], when[32];
        printf("::%s title=Performance %s (%s)::%s: %s %+.1f%% (p=%.2g) from %s%s%s\n",
               strcmp(f->kind, "regression") == 0 && active(f) ? "error" : "notice", f->kind,
               f->severity, config_text(f, config, sizeof config), f->metric->name,
               f->change_pct, f->p_value, iso_time(f->first_us, when),
               f->first_commit ? ", commit " : "", f->first_commit ? f->first_commit : "");
    }
    const char *summary = getenv("GITHUB_STEP_SUMMARY");
    FILE *out = summary && *summary ? fopen(summary, "a") : NULL;
    if (summary && *summary && !out)
        ia_log_warn("regress: cannot append to $GITHUB_STEP_SUMMARY (%s); printing the summary",
                    summary);
    fputs("## Performance regressions\n\n", out ? out : stdout);
    print_table(out ? out : stdout, v, n, analyzed, true);
    if (out)
        fclose(out);
}

/* ------------------------------------------------------------- actions */

static ia_status post_webhook(const char *url, const char *db, const ia_finding *v, size_t n,
                              size_t *posted, ia_error *err)
{
    ia_strbuf b = {0};
    ia_strbuf_printf(&b, "{\"source\": \"ipfs-accelerate\", \"version\": \"%s\", \"database\": ",
                     ia_build_info_get()->version);
    ia_strbuf_put_json(&b, db);
    ia_strbuf_puts(&b, ", \"new_findings\": [");
    *posted = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].is_new)
            continue;
        ia_strbuf_puts(&b, *posted ? ", " : "");
        put_finding_json(&b, &v[i]);
        (*posted)++;
    }
    ia_strbuf_puts(&b, "]}");
    ia_status rc = IA_OK;
    if (b.failed)
        rc = ia_error_set(err, IA_ERR_NOMEM, "regress: out of memory");
    else if (*posted)
        rc = ia_webhook_post(url, b.data, 10000, err);
    ia_strbuf_free(&b);
    return rc;
}

static int analyze(regress_args *a)
{
    ia_series_filter filter = {a->model, a->hardware, 0};
    if (a->since && !ia_cli_parse_since(a->since, &filter.since_us))
        return ia_cli_usage_error("regress", "--since '%s' is neither a date (2026-11-01) nor an "
                                             "age (30d, 12h)",
                                  a->since);
    if (a->metric_count == 0) {
        static const char *const defaults[] = {"latency_ms_p50", "throughput_items_per_s",
                                               "tokens_per_s", "memory_peak_mb",
                                               "energy_joules"};
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
            add_metric(a, ia_metric_find(defaults[i]));
    }
    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    const char *location = ia_store_default_location(a->db);
    if (ia_store_open(location, false, &store, &err) != IA_OK) {
        ia_log_error("regress: %s", err.message);
        return IA_EXIT_FAILURE;
    }
    ia_finding *all = NULL;
    size_t n = 0, analyzed = 0;
    ia_status rc = IA_OK;
    ia_change_options base = ia_change_options_default();
    base.alpha = a->alpha;
    if (a->against_baseline) {
        base.min_effect = a->threshold;
        rc = ia_regress_against_baseline(store, &filter, &base, &all, &n, &analyzed, &err);
    } else {
        for (size_t m = 0; m < a->metric_count && rc == IA_OK; m++) {
            ia_change_options opt = base;
            opt.min_effect = isnan(a->thresholds[m]) ? a->threshold : a->thresholds[m];
            ia_finding *found = NULL;
            size_t count = 0, series = 0;
            rc = ia_regress_detect(store, &filter, &a->metrics[m], 1, &opt, &found, &count,
                                   &series, &err);
            analyzed += series;
            if (rc != IA_OK)
                break;
            ia_finding *grown = count ? realloc(all, (n + count) * sizeof *all) : all;
            if (count && !grown) {
                ia_findings_free(found, count);
                rc = ia_error_set(&err, IA_ERR_NOMEM, "regress: out of memory");
                break;
            }
            all = grown;
            if (count)
                memcpy(all + n, found, count * sizeof *all);
            n += count;
            free(found); /* its contents now belong to all */
        }
    }
    if (rc == IA_OK)
        rc = ia_findings_store(store, all, n, &err);
    int code = IA_EXIT_OK;
    if (rc != IA_OK) {
        ia_log_error("regress: %s", err.message);
        code = IA_EXIT_FAILURE;
    } else {
        if (strcmp(a->format, "json") == 0)
            print_json(all, n, analyzed);
        else if (strcmp(a->format, "github") == 0)
            print_github(all, n, analyzed);
        else
            print_table(stdout, all, n, analyzed, strcmp(a->format, "markdown") == 0);
        size_t posted = 0;
        if (a->webhook) {
            if (post_webhook(a->webhook, location, all, n, &posted, &err) != IA_OK) {
                ia_log_error("regress: webhook: %s", err.message);
                code = IA_EXIT_FAILURE;
            } else {
                ia_log_info("regress: webhook: %zu new finding%s posted", posted,
                            posted == 1 ? "" : "s");
            }
        }
        if (code == IA_EXIT_OK && strcmp(a->fail_on, "regression") == 0)
            for (size_t i = 0; i < n; i++)
                if (strcmp(all[i].kind, "regression") == 0 && active(&all[i]))
                    code = IA_EXIT_FAILURE;
    }
    ia_findings_free(all, n);
    ia_store_close(store);
    return code;
}

static int set_status(const char *sub, int argc, char **argv, regress_args *a)
{
    static const char *const statuses[][2] = {
        {"ack", "acknowledged"}, {"resolve", "resolved"}, {"false-positive", "false_positive"}};
    const char *status = NULL;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(sub, statuses[i][0]) == 0)
            status = statuses[i][1];
    if (optind + 1 != argc)
        return ia_cli_usage_error("regress", "%s takes one finding ID", sub);
    char *end = NULL;
    long long id = strtoll(argv[optind], &end, 10);
    if (end == argv[optind] || *end || id <= 0)
        return ia_cli_usage_error("regress", "'%s' is not a finding ID", argv[optind]);
    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    if (ia_store_open(ia_store_default_location(a->db), false, &store, &err) != IA_OK ||
        ia_store_set_regression_status(store, id, status, &err) != IA_OK) {
        ia_log_error("regress %s: %s", sub, err.message);
        ia_store_close(store);
        return IA_EXIT_FAILURE;
    }
    ia_store_close(store);
    printf("finding %lld: %s\n", id, status);
    return IA_EXIT_OK;
}

static int list(regress_args *a)
{
    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "SELECT * FROM regressions_view");
    if (a->status) {
        ia_strbuf_puts(&sql, " WHERE status = ");
        ia_store_put_literal(&sql, a->status);
    }
    ia_strbuf_puts(&sql, " ORDER BY 1");
    ia_store_table *t = NULL;
    int code = IA_EXIT_OK;
    if (ia_store_open(ia_store_default_location(a->db), true, &store, &err) != IA_OK ||
        ia_store_query(store, sql.data, &t, &err) != IA_OK) {
        ia_log_error("regress list: %s", err.message);
        code = IA_EXIT_FAILURE;
    } else {
        ia_cli_print_table(t, strcmp(a->format, "github") == 0 ? "markdown" : a->format);
        fprintf(stderr, "%zu finding%s\n", t->rows, t->rows == 1 ? "" : "s");
    }
    ia_store_table_free(t);
    ia_strbuf_free(&sql);
    ia_store_close(store);
    return code;
}

static int run(int argc, char **argv)
{
    regress_args a = {.fail_on = "never", .format = "table", .threshold = 0.05, .alpha = 0.01};
    const char *sub = NULL;
    if (argc > 1 && argv[1][0] != '-') {
        sub = argv[1];
        argc--;
        argv++;
    }
    int rc = parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (!sub) {
        if (optind < argc)
            return ia_cli_usage_error("regress", "unexpected argument '%s'", argv[optind]);
        return analyze(&a);
    }
    if (strcmp(sub, "list") == 0) {
        if (optind < argc)
            return ia_cli_usage_error("regress", "unexpected argument '%s'", argv[optind]);
        return list(&a);
    }
    if (strcmp(sub, "ack") == 0 || strcmp(sub, "resolve") == 0 ||
        strcmp(sub, "false-positive") == 0)
        return set_status(sub, argc, argv, &a);
    return ia_cli_usage_error("regress", "unknown subcommand '%s' (ack, resolve, "
                                         "false-positive, list)",
                              sub);
}

const ia_cli_command ia_cli_regress = {
    "regress",
    "find performance regressions in the benchmark history (CI exit codes)",
    run,
};
