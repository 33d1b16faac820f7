/* ipfs-accelerate: dispatches to one command per file. New commands are added
 * to the table below and nowhere else. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"

static const ia_cli_command *const commands[] = {
    &ia_cli_baseline,
    &ia_cli_bench,
    &ia_cli_classify,
    &ia_cli_db,
    &ia_cli_embed,
    &ia_cli_generate,
    &ia_cli_hw,
    &ia_cli_infer,
    &ia_cli_inspect,
    &ia_cli_matrix,
    &ia_cli_models,
    &ia_cli_regress,
    &ia_cli_report,
    &ia_cli_tokenize,
    &ia_cli_trend,
    &ia_cli_version,
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: ipfs-accelerate [options] <command> [command options]\n"
            "\n"
            "Hardware-aware model acceleration and benchmarking.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n"
                 "Options:\n" IA_CLI_COMMON_HELP
                 "      --version    print version and build details, then exit\n"
                 "\n"
                 "'ipfs-accelerate <command> --help' describes a command.\n"
                 "Exit codes: 0 ok, 1 failure, 2 usage error. Logs go to stderr, data to stdout.\n"
                 "NO_COLOR=1 turns colour off.\n");
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    /* "+" stops at the first non-option: the command and its own options. */
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+:" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        switch (opt) {
        case 'h':
            print_help(stdout);
            return IA_EXIT_OK;
        case 'V':
            optind = 0;
            return ia_cli_version.run(1, (char *[]){"version", NULL});
        default:
            return ia_cli_option_error(NULL, opt, argv);
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return IA_EXIT_USAGE;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        if (optind + 1 < argc) {
            char *topic = argv[optind + 1];
            for (size_t i = 0; i < COMMAND_COUNT; i++)
                if (strcmp(commands[i]->name, topic) == 0) {
                    optind = 0;
                    return commands[i]->run(2, (char *[]){topic, "--help", NULL});
                }
            return ia_cli_usage_error(NULL, "unknown command '%s'", topic);
        }
        print_help(stdout);
        return IA_EXIT_OK;
    }
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp(commands[i]->name, name) == 0) {
            int first = optind;
            optind = 0; /* restart getopt for the command's own options */
            return commands[i]->run(argc - first, argv + first);
        }
    }
    return ia_cli_usage_error(NULL, "unknown command '%s'", name);
}
