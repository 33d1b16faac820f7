/* ipfs-accelerate matrix: the compatibility matrix, models (or model
 * families) x hardware, each cell ok, failed, unsupported or not measured. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ipfs_accelerate/report.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate matrix [--db FILE] [--by model|family]\n"
    "                              [--format table|markdown|json|html]\n"
    "                              [--model M] [--hardware H] [--out FILE]\n"
    "\n"
    "The compatibility matrix: every model in the store (or every model family)\n"
    "against every hardware in the store and this build's backends. A cell is\n"
    "  ok           measured: the best p50 latency (else mean) and its batch size\n"
    "  failed       tried and failed (oom, timeout, failed), with the reason\n"
    "  unsupported  the registry does not run the model type natively, this\n"
    "               build has no such backend, or a run recorded it unsupported\n"
    "  not measured nobody tried\n"
    "When a result and a failure both exist, the newer one wins.\n"
    "\n"
    "Options:\n"
    "      --db FILE       the store (default: $IA_DB, else ./benchmarks.duckdb)\n"
    "      --by WHAT       model (default): one row per model; family: one row per\n"
    "                      registry family (guessed from the name when the store\n"
    "                      has no model type)\n"
    "  -f, --format F      table (default), markdown, json, html (a whole page)\n"
    "      --model M       only models whose name contains M\n"
    "      --hardware H    only the column of hardware H\n"
    "  -o, --out FILE      write to FILE instead of standard output\n" IA_CLI_COMMON_HELP
    "\n"
    "Colour (table on a terminal only) follows NO_COLOR.\n"
    "Exit codes: 0 ok, 1 failure (no store, a query failed, a file not written),\n"
    "2 usage error.\n";

enum { OPT_DB = 256, OPT_BY, OPT_MODEL, OPT_HARDWARE };

static bool parse_format(const char *name, ia_matrix_format *format)
{
    static const struct {
        const char *name;
        ia_matrix_format format;
    } formats[] = {
        {"table", IA_MATRIX_TABLE}, {"markdown", IA_MATRIX_MARKDOWN}, {"md", IA_MATRIX_MARKDOWN},
        {"json", IA_MATRIX_JSON},   {"html", IA_MATRIX_HTML},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0) {
            *format = formats[i].format;
            return true;
        }
    return false;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"db", required_argument, 0, OPT_DB},
        {"by", required_argument, 0, OPT_BY},
        {"format", required_argument, 0, 'f'},
        {"model", required_argument, 0, OPT_MODEL},
        {"hardware", required_argument, 0, OPT_HARDWARE},
        {"out", required_argument, 0, 'o'},
        {0, 0, 0, 0},
    };
    const char *db = NULL, *by_name = "model", *format_name = "table", *model = NULL,
               *hardware = NULL, *out = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT "f:o:", options, NULL)) != -1) {
        if (ia_cli_common_option(c))
            continue;
        switch (c) {
        case 'h': fputs(help, stdout); return IA_EXIT_OK;
        case OPT_DB: db = optarg; break;
        case OPT_BY: by_name = optarg; break;
        case 'f': format_name = optarg; break;
        case OPT_MODEL: model = optarg; break;
        case OPT_HARDWARE: hardware = optarg; break;
        case 'o': out = optarg; break;
        default: return ia_cli_option_error("matrix", c, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("matrix", "unexpected argument '%s'", argv[optind]);
    ia_matrix_by by;
    if (strcmp(by_name, "model") == 0)
        by = IA_MATRIX_BY_MODEL;
    else if (strcmp(by_name, "family") == 0)
        by = IA_MATRIX_BY_FAMILY;
    else
        return ia_cli_usage_error("matrix", "unknown --by '%s' (model, family)", by_name);
    ia_matrix_format format;
    if (!parse_format(format_name, &format))
        return ia_cli_usage_error("matrix", "unknown format '%s' (table, markdown, json, html)",
                                  format_name);
    if (hardware && !*hardware)
        return ia_cli_usage_error("matrix", "--hardware needs a name (cpu, cuda, ...)");
    /* Colour only where a person reads it: never in a file or a pipe. */
    bool color = format == IA_MATRIX_TABLE && !out && ia_color_enabled(STDOUT_FILENO);

    ia_error err;
    ia_error_clear(&err);
    ia_store *store = NULL;
    ia_matrix *matrix = NULL;
    ia_strbuf text = {0};
    int code = IA_EXIT_FAILURE;
    if (ia_store_open(ia_store_default_location(db), true, &store, &err) != IA_OK ||
        ia_matrix_build(store, by, model, hardware, &matrix, &err) != IA_OK ||
        ia_matrix_write(matrix, format, color, &text, &err) != IA_OK) {
        ia_log_error("matrix: %s", err.message);
    } else if (out) {
        if (ia_file_write_all(out, text.data, text.len, &err) != IA_OK) {
            ia_log_error("matrix: %s", err.message);
        } else {
            ia_log_info("matrix: wrote %s", out);
            code = IA_EXIT_OK;
        }
    } else if (fwrite(text.data, 1, text.len, stdout) != text.len || fflush(stdout) != 0) {
        ia_log_error("matrix: writing to standard output failed");
    } else {
        code = IA_EXIT_OK;
    }
    ia_strbuf_free(&text);
    ia_matrix_free(matrix);
    ia_store_close(store);
    return code;
}

const ia_cli_command ia_cli_matrix = {
    "matrix",
    "the compatibility matrix: models or families x hardware",
    run,
};
