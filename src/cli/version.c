/* ipfs-accelerate version: what this build is, for bug reports and for the
 * benchmark results that record it. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/store.h"

static const char help[] =
    "Usage: ipfs-accelerate version [--json]\n"
    "\n"
    "Prints the version, git commit, compiler, build flags, enabled backends and\n"
    "the results store's database engine.\n"
    "\n"
    "Options:\n"
    "      --json       one JSON object on stdout\n" IA_CLI_COMMON_HELP;

static int run_version(int argc, char **argv)
{
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"json", no_argument, 0, 'j'},
        {0, 0, 0, 0},
    };
    bool json = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case 'j':
            json = true;
            break;
        default:
            return ia_cli_option_error("version", opt, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("version", "unexpected argument '%s'", argv[optind]);

    const ia_build_info *b = ia_build_info_get();
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "version", b->version);
        cJSON_AddStringToObject(o, "git_commit", b->git_commit);
        cJSON_AddStringToObject(o, "compiler", b->compiler);
        cJSON_AddStringToObject(o, "build_type", b->build_type);
        cJSON_AddStringToObject(o, "c_flags", b->c_flags);
        cJSON_AddStringToObject(o, "backends", b->backends);
        cJSON_AddStringToObject(o, "store_engine", "duckdb");
        cJSON_AddStringToObject(o, "store_engine_version", ia_store_engine_version());
        char *text = cJSON_Print(o);
        cJSON_Delete(o);
        if (!text)
            return IA_EXIT_FAILURE;
        puts(text);
        free(text);
    } else {
        printf("ipfs-accelerate %s\n"
               "commit:    %s\n"
               "compiler:  %s\n"
               "build:     %s, flags: %s\n"
               "backends:  %s\n"
               "store:     DuckDB %s\n",
               b->version, b->git_commit, b->compiler, b->build_type,
               b->c_flags[0] ? b->c_flags : "(none)", b->backends, ia_store_engine_version());
    }
    return IA_EXIT_OK;
}

const ia_cli_command ia_cli_version = {"version", "print version and build details", run_version};
