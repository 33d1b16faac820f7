/* The command line: one file per subcommand, each exposing one ia_cli_command.
 * Exit codes are the contract every command keeps: 0 ok, 1 failure, 2 usage. */
#ifndef IA_CLI_H
#define IA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { IA_EXIT_OK = 0, IA_EXIT_FAILURE = 1, IA_EXIT_USAGE = 2 };

typedef struct ia_cli_command {
    const char *name;
    const char *summary; /* one line, for the command list */
    /* argv[0] is the command's name; options follow. */
    int (*run)(int argc, char **argv);
} ia_cli_command;

extern const ia_cli_command ia_cli_baseline;
extern const ia_cli_command ia_cli_bench;
extern const ia_cli_command ia_cli_classify;
extern const ia_cli_command ia_cli_db;
extern const ia_cli_command ia_cli_embed;
extern const ia_cli_command ia_cli_generate;
extern const ia_cli_command ia_cli_hw;
extern const ia_cli_command ia_cli_infer;
extern const ia_cli_command ia_cli_inspect;
extern const ia_cli_command ia_cli_matrix;
extern const ia_cli_command ia_cli_models;
extern const ia_cli_command ia_cli_regress;
extern const ia_cli_command ia_cli_report;
extern const ia_cli_command ia_cli_tokenize;
extern const ia_cli_command ia_cli_trend;
extern const ia_cli_command ia_cli_version;

/* Options every command accepts; ia_cli_common_option handles one of them
 * inside a command's getopt_long loop and returns true when it did. */
#define IA_CLI_COMMON_SHORT "hvq"
#define IA_CLI_COMMON_LONG                                                                     \
    {"help", no_argument, 0, 'h'}, {"verbose", no_argument, 0, 'v'},                           \
        {"quiet", no_argument, 0, 'q'}
#define IA_CLI_COMMON_HELP                                                                     \
    "  -h, --help       show this help and exit\n"                                             \
    "  -v, --verbose    more log lines on stderr (repeat for debug)\n"                         \
    "  -q, --quiet      errors only on stderr\n"

bool ia_cli_common_option(int opt);

/* Reports what getopt_long returned for a bad option (opt is '?' or ':');
 * returns 2. command is NULL for the top level. */
int ia_cli_option_error(const char *command, int opt, char **argv);

/* Reports a usage error on stderr with a pointer to --help; returns 2. */
int ia_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses a --since value: an ISO date or time ("2026-11-01",
 * "2026-11-01T12:00:00Z") or an age before now ("30d", "12h", "2w", "90m").
 * Returns false when it is neither. */
bool ia_cli_parse_since(const char *text, int64_t *since_us);

/* Parses a percentage: "5%", "5" and "0.05" all mean five percent (a bare
 * number of 1 or more is read as percent). *fraction receives 0.05; false
 * when it is not a number in (0, 1000%). */
bool ia_cli_parse_percent(const char *text, double *fraction);

/* Writes s[0, len) to stdout as a JSON string; NUL and other controls
 * escaped. */
void ia_cli_put_json_string(const char *s, size_t len);

struct ia_store_table;
/* Prints a store's answer on stdout as format: "table" (aligned),
 * "markdown", "csv", "json" (one object per line) or "html". */
void ia_cli_print_table(const struct ia_store_table *t, const char *format);

struct ia_model;
struct ia_tokenizer;
/* Opens MODEL (folder, Hub id in the Hugging Face cache, or preset) and,
 * when tok is not NULL, its tokenizer: tokenizer_path when given, else the
 * one in the model's folder. Errors are logged with the command's name;
 * returns an exit code. */
int ia_cli_open_model(const char *command, const char *model, const char *tokenizer_path,
                      struct ia_model **m, struct ia_tokenizer **tok);

#endif
