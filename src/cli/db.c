/* ipfs-accelerate db: query, export, import, back up and check the results
 * store. Everything goes through the store's interface (store.h), never
 * DuckDB directly, so a server backend can sit behind the same commands. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate db <subcommand> [--db FILE] [options]\n"
    "\n"
    "The results store: an embedded DuckDB file (schema: docs/store.md).\n"
    "\n"
    "Subcommands:\n"
    "  query   --sql SQL [--format table|markdown|csv|json|html]\n"
    "  export  (--table T | --sql SQL) --format parquet|csv|json --out FILE\n"
    "  import  FILE...          JSON lines, one result per line (or the Python\n"
    "                           framework's per-run files)\n"
    "  backup  --out FILE       a consistent copy of the store\n"
    "  check                    integrity; exit 1 on a problem\n"
    "  stats                    row counts, file size, schema version, time span\n"
    "\n"
    "Options:\n"
    "      --db FILE    the store (default: $IA_DB, else ./benchmarks.duckdb);\n"
    "                   postgresql:// URLs are not supported yet\n" IA_CLI_COMMON_HELP
    "\n"
    "'ipfs-accelerate db <subcommand> --help' describes a subcommand.\n"
    "Exit codes: 0 ok, 1 failure (or a problem found by check), 2 usage error.\n";

typedef struct db_args {
    const char *db, *sql, *table, *format, *out;
    int first_file; /* index in argv of the first positional argument */
} db_args;

enum { OPT_DB = 256, OPT_SQL, OPT_TABLE, OPT_FORMAT, OPT_OUT };

static const char *const sub_help[][2] = {
    {"query", "Usage: ipfs-accelerate db query [--db FILE] --sql SQL [--format FORMAT]\n\n"
              "Runs SQL against the store and prints the answer. Formats: table (default),\n"
              "markdown, csv, json (one object per line), html.\n"},
    {"export", "Usage: ipfs-accelerate db export [--db FILE] (--table T | --sql SQL)\n"
               "                                --format parquet|csv|json --out FILE\n\n"
               "Writes a table or a query's answer to FILE (json: one object per line).\n"},
    {"import", "Usage: ipfs-accelerate db import [--db FILE] FILE...\n\n"
               "Imports JSON-lines results (docs/store.md). Each file is one transaction:\n"
               "a bad line is reported as FILE:LINE and nothing of that file is kept.\n"
               "Results already stored (same content) are skipped and counted. A file\n"
    "holding one JSON object with \"batch_sizes\" is read as a per-run result of\n"
    "the Python framework this replaces: its rows are marked simulated.\n"},
    {"backup", "Usage: ipfs-accelerate db backup [--db FILE] --out FILE\n\n"
               "Checkpoints the store and copies it to FILE, which must not exist.\n"},
    {"check", "Usage: ipfs-accelerate db check [--db FILE]\n\n"
              "Checkpoints the store and checks the schema version, references and\n"
              "samples. Exit 1 and one line per problem on stderr when one is found.\n"},
    {"stats", "Usage: ipfs-accelerate db stats [--db FILE]\n\n"
              "Row counts per table, file size, schema version and the time span of the\n"
              "results.\n"},
};

static const char *find_sub_help(const char *sub)
{
    for (size_t i = 0; i < sizeof sub_help / sizeof sub_help[0]; i++)
        if (strcmp(sub_help[i][0], sub) == 0)
            return sub_help[i][1];
    return NULL;
}

/* Parses a subcommand's options; returns -1 to go on or an exit code. */
static int parse(const char *sub, int argc, char **argv, db_args *a)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"db", required_argument, 0, OPT_DB},
        {"sql", required_argument, 0, OPT_SQL},
        {"table", required_argument, 0, OPT_TABLE},
        {"format", required_argument, 0, OPT_FORMAT},
        {"out", required_argument, 0, OPT_OUT},
        {0, 0, 0, 0},
    };
    char name[32];
    snprintf(name, sizeof name, "db %s", sub);
    memset(a, 0, sizeof *a);
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        switch (opt) {
        case 'h':
            fputs(find_sub_help(sub), stdout);
            fputs("\nOptions:\n      --db FILE    the store (default: $IA_DB, else "
                  "./benchmarks.duckdb)\n" IA_CLI_COMMON_HELP, stdout);
            return IA_EXIT_OK;
        case OPT_DB: a->db = optarg; break;
        case OPT_SQL: a->sql = optarg; break;
        case OPT_TABLE: a->table = optarg; break;
        case OPT_FORMAT: a->format = optarg; break;
        case OPT_OUT: a->out = optarg; break;
        default:
            return ia_cli_option_error(name, opt, argv);
        }
    }
    a->first_file = optind;
    bool wants_files = strcmp(sub, "import") == 0;
    if (!wants_files && optind < argc)
        return ia_cli_usage_error(name, "unexpected argument '%s'", argv[optind]);
    bool sql_ok = !strcmp(sub, "query") || !strcmp(sub, "export");
    if (a->sql && !sql_ok)
        return ia_cli_usage_error(name, "--sql is not an option here");
    if (a->table && strcmp(sub, "export") != 0)
        return ia_cli_usage_error(name, "--table is not an option here");
    if (a->format && !sql_ok)
        return ia_cli_usage_error(name, "--format is not an option here");
    if (a->out && strcmp(sub, "export") != 0 && strcmp(sub, "backup") != 0)
        return ia_cli_usage_error(name, "--out is not an option here");
    return -1;
}

static int open_store(const char *sub, const db_args *a, bool read_only, ia_store **s)
{
    ia_error err;
    ia_error_clear(&err);
    if (ia_store_open(ia_store_default_location(a->db), read_only, s, &err) != IA_OK) {
        ia_log_error("db %s: %s", sub, err.message);
        return IA_EXIT_FAILURE;
    }
    return -1;
}


/* --- subcommands ------------------------------------------------------------- */

static int db_query(const db_args *a)
{
    static const char *const formats[] = {"table", "markdown", "csv", "json", "html"};
    const char *format = a->format ? a->format : "table";
    bool known = false;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        known = known || strcmp(formats[i], format) == 0;
    if (!known)
        return ia_cli_usage_error("db query", "unknown format '%s' (table, markdown, csv, json, html)",
                                  format);
    if (!a->sql)
        return ia_cli_usage_error("db query", "--sql is required");
    ia_store *s;
    int rc = open_store("query", a, true, &s);
    if (rc >= 0)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    ia_store_table *t = NULL;
    if (ia_store_query(s, a->sql, &t, &err) != IA_OK) {
        ia_log_error("db query: %s", err.message);
        ia_store_close(s);
        return IA_EXIT_FAILURE;
    }
    ia_cli_print_table(t, format);
    ia_store_table_free(t);
    ia_store_close(s);
    return IA_EXIT_OK;
}

static int db_export(const db_args *a)
{
    if (!a->table == !a->sql)
        return ia_cli_usage_error("db export", "give one of --table and --sql");
    if (!a->format || !a->out)
        return ia_cli_usage_error("db export", "--format and --out are required");
    ia_store_format f;
    if (strcmp(a->format, "parquet") == 0)
        f = IA_STORE_FORMAT_PARQUET;
    else if (strcmp(a->format, "csv") == 0)
        f = IA_STORE_FORMAT_CSV;
    else if (strcmp(a->format, "json") == 0)
        f = IA_STORE_FORMAT_JSON;
    else
        return ia_cli_usage_error("db export", "unknown format '%s' (parquet, csv, json)",
                                  a->format);
    ia_store *s;
    int rc = open_store("export", a, true, &s);
    if (rc >= 0)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    rc = IA_EXIT_OK;
    if (ia_store_export(s, a->table, a->sql, f, a->out, &err) != IA_OK) {
        ia_log_error("db export: %s", err.message);
        rc = IA_EXIT_FAILURE;
    } else {
        ia_log_info("db export: wrote %s", a->out);
    }
    ia_store_close(s);
    return rc;
}

static int db_import(const db_args *a, int argc, char **argv)
{
    if (a->first_file >= argc)
        return ia_cli_usage_error("db import", "name at least one FILE");
    ia_store *s;
    int rc = open_store("import", a, false, &s);
    if (rc >= 0)
        return rc;
    rc = IA_EXIT_OK;
    ia_store_import_stats total = {0};
    for (int i = a->first_file; i < argc; i++) {
        ia_store_import_stats st = {0};
        ia_error err;
        ia_error_clear(&err);
        if (ia_store_import_jsonl(s, argv[i], &st, &err) != IA_OK) {
            ia_log_error("db import: %s (nothing of this file was imported)", err.message);
            rc = IA_EXIT_FAILURE;
            continue;
        }
        total.lines += st.lines;
        total.imported += st.imported;
        total.duplicates += st.duplicates;
        total.samples += st.samples;
        total.compat_rows += st.compat_rows;
    }
    printf("imported %zu results (%zu samples) and %zu compatibility rows, skipped %zu "
           "duplicates, read %zu lines\n",
           total.imported, total.samples, total.compat_rows, total.duplicates, total.lines);
    ia_store_close(s);
    return rc;
}

static int db_backup(const db_args *a)
{
    if (!a->out)
        return ia_cli_usage_error("db backup", "--out is required");
    ia_store *s;
    int rc = open_store("backup", a, false, &s);
    if (rc >= 0)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    rc = IA_EXIT_OK;
    if (ia_store_backup(s, a->out, &err) != IA_OK) {
        ia_log_error("db backup: %s", err.message);
        rc = IA_EXIT_FAILURE;
    } else {
        ia_log_info("db backup: wrote %s", a->out);
    }
    ia_store_close(s);
    return rc;
}

static int db_check(const db_args *a)
{
    ia_store *s;
    int rc = open_store("check", a, false, &s);
    if (rc >= 0)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    char report[4096];
    int problems = 0;
    rc = IA_EXIT_OK;
    if (ia_store_check(s, report, sizeof report, &problems, &err) != IA_OK) {
        ia_log_error("db check: %s", err.message);
        rc = IA_EXIT_FAILURE;
    } else if (problems) {
        for (char *line = strtok(report, "\n"); line; line = strtok(NULL, "\n"))
            ia_log_error("db check: %s: %s", ia_store_path(s), line);
        rc = IA_EXIT_FAILURE;
    } else {
        printf("%s: ok (schema %d)\n", ia_store_path(s), ia_store_schema_version(s));
    }
    ia_store_close(s);
    return rc;
}

static int db_stats(const db_args *a)
{
    ia_store *s;
    int rc = open_store("stats", a, true, &s);
    if (rc >= 0)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    ia_store_table *t = NULL;
    rc = IA_EXIT_OK;
    if (ia_store_query(s,
                       "SELECT table_name AS \"table\", estimated_size AS rows FROM"
                       " duckdb_tables() WHERE database_name = current_database()"
                       " AND NOT temporary ORDER BY table_name",
                       &t, &err) != IA_OK) {
        ia_log_error("db stats: %s", err.message);
        ia_store_close(s);
        return IA_EXIT_FAILURE;
    }
    /* estimated_size can lag; count exactly, tables are few. */
    size_t n_tables = t->rows;
    char **names = calloc(n_tables ? n_tables : 1, sizeof *names);
    for (size_t i = 0; names && i < n_tables; i++)
        names[i] = strdup(t->cells[i * t->columns]);
    ia_store_table_free(t);
    struct stat sb;
    long long size = stat(ia_store_path(s), &sb) == 0 ? (long long)sb.st_size : -1;
    printf("file            %s\nsize_bytes      %lld\nschema_version  %d\n", ia_store_path(s),
           size, ia_store_schema_version(s));
    if (ia_store_query(s, "SELECT min(created_at), max(created_at) FROM performance_results", &t,
                       &err) == IA_OK) {
        printf("first_result    %s\nlast_result     %s\n", t->cells[0] ? t->cells[0] : "none",
               t->cells[1] ? t->cells[1] : "none");
        ia_store_table_free(t);
    }
    printf("\n%-26s %12s\n", "table", "rows");
    for (size_t i = 0; names && i < n_tables; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", names[i]);
        if (ia_store_query(s, sql, &t, &err) != IA_OK) {
            ia_log_error("db stats: %s", err.message);
            rc = IA_EXIT_FAILURE;
        } else {
            printf("%-26s %12s\n", names[i], t->cells[0]);
            ia_store_table_free(t);
        }
        free(names[i]);
    }
    free(names);
    ia_store_close(s);
    return rc;
}

static int run_db(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(help, stdout);
            return IA_EXIT_OK;
        }
        fputs(help, stderr);
        return IA_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!find_sub_help(sub))
        return ia_cli_usage_error("db", "unknown subcommand '%s'", sub);
    db_args a;
    int rc = parse(sub, argc - 1, argv + 1, &a);
    if (rc >= 0)
        return rc;
    if (strcmp(sub, "query") == 0)
        return db_query(&a);
    if (strcmp(sub, "export") == 0)
        return db_export(&a);
    if (strcmp(sub, "import") == 0)
        return db_import(&a, argc - 1, argv + 1);
    if (strcmp(sub, "backup") == 0)
        return db_backup(&a);
    if (strcmp(sub, "check") == 0)
        return db_check(&a);
    return db_stats(&a);
}

const ia_cli_command ia_cli_db = {"db", "query, import, export and check the results store",
                                  run_db};
