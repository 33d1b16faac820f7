/* ipfs-accelerate hw: the hardware report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "ipfs_accelerate/hw.h"

static const char help[] =
    "Usage: ipfs-accelerate hw [--json] [--capture DIR] [--from DIR] [--no-platforms]\n"
    "\n"
    "Detects the hardware this process can really use: CPU identity, cores,\n"
    "affinity and cgroup quota, caches, ISA features (checked against what the\n"
    "OS enables), memory and cgroup limits, and accelerators (CUDA, ROCm,\n"
    "OpenVINO, QNN) through their own libraries, opened at run time. Nothing is\n"
    "simulated: a platform that is not there is reported absent.\n"
    "\n"
    "Options:\n"
    "      --json          the report as JSON on stdout (layout: docs/hw-json.md)\n"
    "      --capture DIR   also copy every file and probe detection read into DIR,\n"
    "                      for a bug report or a test fixture\n"
    "      --from DIR      detect from a capture made with --capture instead of\n"
    "                      this machine (vendor libraries are not opened)\n"
    "      --no-platforms  CPU and memory only; open no vendor library\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok (absent accelerators are not a failure), 1 detection\n"
    "failed, 2 usage error.\n";

static int run_hw(int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_CAPTURE, OPT_FROM, OPT_NO_PLATFORMS };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"json", no_argument, 0, OPT_JSON},
        {"capture", required_argument, 0, OPT_CAPTURE},
        {"from", required_argument, 0, OPT_FROM},
        {"no-platforms", no_argument, 0, OPT_NO_PLATFORMS},
        {0, 0, 0, 0},
    };
    bool json = false;
    const char *capture = NULL, *from = NULL;
    ia_hw_options hw_opts = {0};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_CAPTURE: capture = optarg; break;
        case OPT_FROM: from = optarg; break;
        case OPT_NO_PLATFORMS: hw_opts.skip_platforms = true; break;
        default:
            return ia_cli_option_error("hw", opt, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("hw", "unexpected argument '%s'", argv[optind]);
    if (capture && from)
        return ia_cli_usage_error("hw", "--capture and --from cannot be combined");

    ia_error err;
    ia_error_clear(&err);
    ia_hw_source *src = from ? ia_hw_source_dir(from, NULL, &err) : ia_hw_source_live(&err);
    if (src && capture) {
        ia_hw_source *rec = ia_hw_source_recorder(src, capture, &err);
        if (!rec)
            ia_hw_source_free(src);
        src = rec;
    }
    if (!src) {
        ia_log_error("hw: %s", err.message);
        return IA_EXIT_FAILURE;
    }
    ia_hw_report *report = NULL;
    ia_status st = ia_hw_detect(src, &hw_opts, &report, &err);
    ia_hw_source_free(src);
    if (st != IA_OK) {
        ia_log_error("hw: %s", err.message);
        return IA_EXIT_FAILURE;
    }
    for (int i = 0; i < report->warning_count; i++)
        ia_log_info("hw: %s", report->warnings[i]);
    int rc = IA_EXIT_OK;
    if (json) {
        char *text = ia_hw_report_to_json(report, true);
        if (text) {
            puts(text);
            free(text);
        } else {
            ia_log_error("hw: out of memory writing JSON");
            rc = IA_EXIT_FAILURE;
        }
    } else {
        ia_hw_report_print(report, stdout, ia_color_enabled(STDOUT_FILENO));
    }
    if (capture && ia_log_get_level() >= IA_LOG_WARN)
        fprintf(stderr, "hw: capture written to %s\n", capture);
    ia_hw_report_free(report);
    return rc;
}

const ia_cli_command ia_cli_hw = {"hw", "detect the hardware: CPU, memory, accelerators", run_hw};
