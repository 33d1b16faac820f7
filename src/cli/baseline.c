/* ipfs-accelerate baseline: pin, show and clear the result each
 * configuration is compared with by `regress --against-baseline`. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate baseline set|show|clear [--db FILE] [--model M]\n"
    "                                [--hardware H] [--batch-size N] [--seq-len N]\n"
    "                                [--precision P] [--mode M] [--json]\n"
    "\n"
    "  set    pins the latest result of every matching configuration as its\n"
    "         baseline (replacing an earlier one)\n"
    "  show   lists the baselines with their figures\n"
    "  clear  removes the baselines of the matching configurations\n"
    "\n"
    "Without filters every configuration matches. --model matches exactly here\n"
    "(a configuration is one model). 'regress --against-baseline' compares each\n"
    "configuration's latest result with its baseline.\n"
    "\n"
    "Options:\n"
    "      --db FILE        the store (default: $IA_DB, else ./benchmarks.duckdb)\n"
    "      --model M, --hardware H, --batch-size N, --seq-len N, --precision P,\n"
    "      --mode M         the configurations to act on\n"
    "      --json           show: one JSON object per baseline\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error.\n";

enum { OPT_DB = 256, OPT_MODEL, OPT_HARDWARE, OPT_BATCH, OPT_SEQ, OPT_PRECISION, OPT_MODE,
       OPT_JSON };

static bool parse_count(const char *text, int64_t *out)
{
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || v < 0)
        return false;
    *out = v;
    return true;
}

static void put_filter(ia_strbuf *b, const char *column, const char *value)
{
    if (!value)
        return;
    ia_strbuf_printf(b, " AND %s = ", column);
    ia_store_put_literal(b, value);
}

static int show(ia_store *store, const ia_store_config *f, bool json)
{
    ia_strbuf sql = {0};
    ia_strbuf_puts(&sql, "SELECT m.model_name AS model, h.hardware_name AS hardware,"
                         " b.batch_size, b.seq_len, b.precision, b.mode, b.result_id,"
                         " r.latency_ms_p50, r.throughput_items_per_s, r.memory_peak_mb,"
                         " r.git_commit, r.created_at AS measured_at, b.set_at"
                         " FROM performance_baselines b JOIN performance_results r USING"
                         " (result_id) JOIN models m ON m.model_id = b.model_id"
                         " JOIN hardware_platforms h ON h.hardware_id = b.hardware_id"
                         " WHERE true");
    put_filter(&sql, "m.model_name", f->model);
    put_filter(&sql, "h.hardware_name", f->hardware);
    put_filter(&sql, "b.precision", f->precision);
    put_filter(&sql, "b.mode", f->mode);
    if (f->batch_size >= 0)
        ia_strbuf_printf(&sql, " AND b.batch_size = %lld", (long long)f->batch_size);
    if (f->seq_len >= 0)
        ia_strbuf_printf(&sql, " AND b.seq_len = %lld", (long long)f->seq_len);
    ia_strbuf_puts(&sql, " ORDER BY 1, 2, 3, 4, 5, 6");
    ia_error err;
    ia_error_clear(&err);
    ia_store_table *t = NULL;
    if (ia_store_query(store, sql.data, &t, &err) != IA_OK) {
        ia_strbuf_free(&sql);
        ia_log_error("baseline show: %s", err.message);
        return IA_EXIT_FAILURE;
    }
    ia_strbuf_free(&sql);
    ia_cli_print_table(t, json ? "json" : "table");
    fprintf(stderr, "%zu baseline%s\n", t->rows, t->rows == 1 ? "" : "s");
    ia_store_table_free(t);
    return IA_EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"db", required_argument, 0, OPT_DB},
        {"model", required_argument, 0, OPT_MODEL},
        {"hardware", required_argument, 0, OPT_HARDWARE},
        {"batch-size", required_argument, 0, OPT_BATCH},
        {"seq-len", required_argument, 0, OPT_SEQ},
        {"precision", required_argument, 0, OPT_PRECISION},
        {"mode", required_argument, 0, OPT_MODE},
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
    if (sub) {
        argc--;
        argv++;
    }
    const char *db = NULL;
    bool json = false;
    ia_store_config f = {NULL, NULL, NULL, NULL, -1, -1};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(c))
            continue;
        switch (c) {
        case 'h': fputs(help, stdout); return IA_EXIT_OK;
        case OPT_DB: db = optarg; break;
        case OPT_MODEL: f.model = optarg; break;
        case OPT_HARDWARE: f.hardware = optarg; break;
        case OPT_PRECISION: f.precision = optarg; break;
        case OPT_MODE: f.mode = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_BATCH:
        case OPT_SEQ:
            if (!parse_count(optarg, c == OPT_BATCH ? &f.batch_size : &f.seq_len))
                return ia_cli_usage_error("baseline", "'%s' is not a whole number", optarg);
            break;
        default: return ia_cli_option_error("baseline", c, argv);
        }
    }
    if (!sub)
        return ia_cli_usage_error("baseline", "give set, show or clear");
    if (optind < argc)
        return ia_cli_usage_error("baseline", "unexpected argument '%s'", argv[optind]);
    bool setting = strcmp(sub, "set") == 0, clearing = strcmp(sub, "clear") == 0;
    if (!setting && !clearing && strcmp(sub, "show") != 0)
        return ia_cli_usage_error("baseline", "unknown subcommand '%s' (set, show, clear)", sub);
    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    if (ia_store_open(ia_store_default_location(db), !setting && !clearing, &store, &err) !=
        IA_OK) {
        ia_log_error("baseline %s: %s", sub, err.message);
        return IA_EXIT_FAILURE;
    }
    int code = IA_EXIT_OK;
    size_t count = 0;
    if (setting || clearing) {
        ia_status rc = setting ? ia_store_set_baselines(store, &f, &count, &err)
                               : ia_store_clear_baselines(store, &f, &count, &err);
        if (rc != IA_OK) {
            ia_log_error("baseline %s: %s", sub, err.message);
            code = IA_EXIT_FAILURE;
        } else {
            printf("%s %zu baseline%s\n", setting ? "set" : "cleared", count,
                   count == 1 ? "" : "s");
            if (setting && count == 0)
                ia_log_warn("baseline set: no stored result matches");
        }
    } else {
        code = show(store, &f, json);
    }
    ia_store_close(store);
    return code;
}

const ia_cli_command ia_cli_baseline = {
    "baseline",
    "pin, show and clear the results regress --against-baseline compares with",
    run,
};
