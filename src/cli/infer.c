/* ipfs-accelerate infer: runs a model on tensors read from a safetensors
 * file and writes its outputs to another, under the names the golden
 * fixtures use, so a model can be checked against Hugging Face's own
 * outputs from the command line (--compare). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/models.h"

static const char help[] =
    "Usage: ipfs-accelerate infer --model MODEL --input IN.safetensors --output OUT.safetensors\n"
    "                             [--max-new-tokens N] [--ignore-eos]\n"
    "                             [--compare REF.safetensors] [--tolerance T] [--json]\n"
    "\n"
    "Runs MODEL on the tensors of IN named input.<name> (input_ids,\n"
    "attention_mask, token_type_ids, pixel_values, ...) and writes what it returns\n"
    "to OUT as output.<name> (last_hidden_state, pooler_output, logits, ...): the\n"
    "layout of the golden fixtures' reference.safetensors. MODEL is a folder\n"
    "(config.json and safetensors weights), a Hugging Face id found in the local\n"
    "Hugging Face cache, or a preset (models --presets), which without a local\n"
    "copy runs on synthetic weights of its real shapes (the output says so).\n"
    "With --max-new-tokens N a text-generation\n"
    "model also generates N tokens greedily after the prompt (output.generated_ids,\n"
    "prompt included), stopping at EOS unless --ignore-eos.\n"
    "\n"
    "Options:\n"
    "      --model MODEL       the model folder, Hub id or preset\n"
    "      --input FILE        the input tensors (input.<name>)\n"
    "      --output FILE       where to write the outputs (output.<name>)\n"
    "      --max-new-tokens N  generate N tokens (text-generation models)\n"
    "      --ignore-eos        keep generating past the end-of-sequence token\n"
    "      --compare FILE      compare every output with FILE's output.<name>:\n"
    "                          floats within --tolerance, ids exactly; exit 1 when\n"
    "                          one differs or is missing\n"
    "      --tolerance T       largest absolute error --compare accepts (1e-4)\n"
    "      --json              print the outputs (and comparisons) as JSON on stdout\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a failure (or a --compare mismatch), 2 usage error.\n";

static double element(const ia_tensor *t, int64_t i)
{
    switch (t->dtype) {
    case IA_DTYPE_F32: {
        float v;
        memcpy(&v, (const char *)t->data + i * 4, 4);
        return v;
    }
    case IA_DTYPE_I64: {
        int64_t v;
        memcpy(&v, (const char *)t->data + i * 8, 8);
        return (double)v;
    }
    case IA_DTYPE_I32: {
        int32_t v;
        memcpy(&v, (const char *)t->data + i * 4, 4);
        return v;
    }
    default:
        return NAN;
    }
}

/* The input.<name> tensors of path, copied (the mapping may be unaligned). */
static ia_status read_inputs(const char *path, ia_tensor_map *in, ia_error *err)
{
    ia_safetensors *st = NULL;
    ia_status s = ia_safetensors_open(path, &st, err);
    for (size_t i = 0; s == IA_OK && i < ia_safetensors_count(st); i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        if (strncmp(e->name, "input.", 6) != 0)
            continue;
        ia_tensor mapped, *t;
        s = ia_safetensors_tensor(st, e->name, &mapped, err);
        if (s == IA_OK)
            s = ia_tensor_map_add(in, e->name + 6, mapped.dtype, mapped.ndim, mapped.shape, &t,
                                  err);
        if (s == IA_OK)
            memcpy(t->data, mapped.data, ia_tensor_nbytes(&mapped));
    }
    if (s == IA_OK && in->n == 0)
        s = ia_error_set(err, IA_ERR_INVALID,
                         "%s: no tensor named input.<name> (input.input_ids, "
                         "input.pixel_values, ...)",
                         path);
    ia_safetensors_close(st);
    return s;
}

/* Compares the outputs with ref's output.<name>; returns the mismatches. */
static int compare(const ia_tensor_map *out, const char *ref_path, double tol, bool json,
                   ia_error *err, int *failed_to_read)
{
    ia_safetensors *st = NULL;
    if (ia_safetensors_open(ref_path, &st, err) != IA_OK) {
        *failed_to_read = 1;
        return 0;
    }
    int bad = 0;
    bool first = true;
    if (json)
        printf(",\"compare\":[");
    for (size_t i = 0; i < ia_safetensors_count(st); i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        if (strncmp(e->name, "output.", 7) != 0)
            continue;
        const char *name = e->name + 7;
        const ia_tensor *ours = ia_tensor_map_find(out, name);
        ia_tensor ref;
        double worst = INFINITY;
        const char *problem = NULL;
        if (ia_safetensors_tensor(st, e->name, &ref, err) != IA_OK)
            problem = "unreadable in the reference";
        else if (!ours)
            problem = "not produced";
        else if (!ia_tensor_same_shape(ours, &ref))
            problem = "of another shape";
        else {
            worst = 0;
            void *copy = malloc(ia_tensor_nbytes(&ref) + 1);
            if (!copy) {
                problem = "out of memory";
            } else {
                memcpy(copy, ref.data, ia_tensor_nbytes(&ref));
                ref.data = copy;
                for (int64_t k = 0, n = ia_tensor_numel(&ref); k < n; k++) {
                    double d = fabs(element(ours, k) - element(&ref, k));
                    if (!(d <= worst))
                        worst = isnan(d) ? INFINITY : d;
                }
                free(copy);
            }
        }
        bool ids = ref.dtype == IA_DTYPE_I64 || ref.dtype == IA_DTYPE_I32;
        bool ok = !problem && (ids ? worst == 0 : worst <= tol);
        bad += !ok;
        if (json)
            printf("%s{\"name\":\"%s\",\"max_abs_error\":%.6g,\"ok\":%s%s%s%s}", first ? "" : ",",
                   name, isinf(worst) ? -1.0 : worst, ok ? "true" : "false",
                   problem ? ",\"problem\":\"" : "", problem ? problem : "", problem ? "\"" : "");
        else if (problem)
            printf("compare %-24s %s\n", name, problem);
        else
            printf("compare %-24s max abs error %.3g  %s\n", name, worst, ok ? "ok" : "DIFFERS");
        first = false;
    }
    if (json)
        printf("]");
    ia_safetensors_close(st);
    return bad;
}

static int run_infer(int argc, char **argv)
{
    enum { OPT_MODEL = 256, OPT_INPUT, OPT_OUTPUT, OPT_NEW, OPT_EOS, OPT_COMPARE, OPT_TOL,
           OPT_JSON };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"model", required_argument, 0, OPT_MODEL},
        {"input", required_argument, 0, OPT_INPUT},
        {"output", required_argument, 0, OPT_OUTPUT},
        {"max-new-tokens", required_argument, 0, OPT_NEW},
        {"ignore-eos", no_argument, 0, OPT_EOS},
        {"compare", required_argument, 0, OPT_COMPARE},
        {"tolerance", required_argument, 0, OPT_TOL},
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    const char *model = NULL, *input = NULL, *output = NULL, *ref = NULL;
    long new_tokens = 0;
    double tol = 1e-4;
    bool ignore_eos = false, json = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        char *end = NULL;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_MODEL: model = optarg; break;
        case OPT_INPUT: input = optarg; break;
        case OPT_OUTPUT: output = optarg; break;
        case OPT_COMPARE: ref = optarg; break;
        case OPT_EOS: ignore_eos = true; break;
        case OPT_JSON: json = true; break;
        case OPT_NEW:
            new_tokens = strtol(optarg, &end, 10);
            if (!*optarg || *end || new_tokens < 0 || new_tokens > 1000000)
                return ia_cli_usage_error("infer", "--max-new-tokens takes a count from 0 to "
                                                   "1000000, not '%s'", optarg);
            break;
        case OPT_TOL:
            tol = strtod(optarg, &end);
            if (!*optarg || *end || !(tol >= 0))
                return ia_cli_usage_error("infer", "--tolerance takes a number >= 0, not '%s'",
                                          optarg);
            break;
        default:
            return ia_cli_option_error("infer", opt, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("infer", "unexpected argument '%s'", argv[optind]);
    if (!model || !input || !output)
        return ia_cli_usage_error("infer", "--model, --input and --output are required");

    ia_error err;
    ia_error_clear(&err);
    ia_tensor_map in = {0}, out = {0};
    ia_model *m = NULL;
    char dir[4096];
    bool synthetic = false;
    ia_status st = ia_model_resolve(model, dir, sizeof dir, &synthetic, &err);
    if (st == IA_OK)
        st = ia_model_load(dir, NULL, &m, &err);
    if (st == IA_OK)
        st = read_inputs(input, &in, &err);
    if (st == IA_OK)
        st = ia_model_forward(m, &in, &out, &err);
    if (st == IA_OK && new_tokens > 0) {
        const ia_tensor *ids = ia_tensor_map_find(&in, "input_ids");
        ia_generate_opts g = {.max_new_tokens = (int)new_tokens, .ignore_eos = ignore_eos};
        st = ids ? ia_model_generate(m, ids, &g, &out, &err)
                 : ia_error_set(&err, IA_ERR_INVALID, "%s: --max-new-tokens needs input.input_ids",
                                input);
    }
    if (st == IA_OK) {
        const char **names = malloc((out.n ? out.n : 1) * sizeof *names);
        ia_tensor *ts = malloc((out.n ? out.n : 1) * sizeof *ts);
        char (*full)[128] = malloc((out.n ? out.n : 1) * sizeof *full);
        if (!names || !ts || !full) {
            st = ia_error_set(&err, IA_ERR_NOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < out.n; i++) {
                snprintf(full[i], sizeof full[i], "output.%s", out.v[i].name);
                names[i] = full[i];
                ts[i] = out.v[i].t;
            }
            const char *meta[] = {"producer", "ipfs-accelerate infer", "weights",
                                  ia_model_weights_synthetic(m) ? "synthetic" : "real", NULL};
            st = ia_safetensors_write(output, names, ts, out.n, meta, &err);
        }
        free(names);
        free(ts);
        free(full);
    }
    int code = IA_EXIT_OK;
    if (st != IA_OK) {
        ia_log_error("infer: %s", err.message);
        code = IA_EXIT_FAILURE;
    } else {
        if (json) {
            printf("{\"model\":\"%s\",\"weights\":\"%s\",\"outputs\":[", model,
                   ia_model_weights_synthetic(m) ? "synthetic" : "real");
            for (size_t i = 0; i < out.n; i++) {
                printf("%s{\"name\":\"%s\",\"dtype\":\"%s\",\"shape\":[", i ? "," : "",
                       out.v[i].name, ia_dtype_name(out.v[i].t.dtype));
                for (int d = 0; d < out.v[i].t.ndim; d++)
                    printf("%s%lld", d ? "," : "", (long long)out.v[i].t.shape[d]);
                printf("]}");
            }
            printf("]");
        } else {
            if (ia_model_weights_synthetic(m))
                printf("weights: synthetic (made for benchmarking: the outputs mean nothing)\n");
            for (size_t i = 0; i < out.n; i++) {
                char desc[96];
                printf("output.%-24s %s\n", out.v[i].name,
                       ia_tensor_describe(&out.v[i].t, desc, sizeof desc));
            }
        }
        if (ref) {
            int unreadable = 0;
            int bad = compare(&out, ref, tol, json, &err, &unreadable);
            if (unreadable) {
                ia_log_error("infer: %s", err.message);
                code = IA_EXIT_FAILURE;
            } else if (bad) {
                ia_log_error("infer: %d output%s differ%s from %s", bad, bad == 1 ? "" : "s",
                             bad == 1 ? "s" : "", ref);
                code = IA_EXIT_FAILURE;
            }
        }
        if (json)
            printf("}\n");
    }
    ia_tensor_map_free(&in);
    ia_tensor_map_free(&out);
    ia_model_free(m);
    return code;
}

const ia_cli_command ia_cli_infer = {"infer", "run a model on tensors from a safetensors file",
                                     run_infer};
