/* ipfs-accelerate generate: text generation with a decoder model, streamed
 * to stdout as the tokens come. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/tokenizer.h"

static const char help[] =
    "Usage: ipfs-accelerate generate --model MODEL --prompt TEXT [--max-new-tokens N]\n"
    "                                [--temperature T] [--top-k K] [--top-p P]\n"
    "                                [--repetition-penalty R] [--seed S] [--ignore-eos]\n"
    "                                [--tokenizer FILE] [--json]\n"
    "\n"
    "Continues TEXT with a text-generation model (gpt2, opt, llama, qwen2, qwen3,\n"
    "mistral, gemma, phi3, gpt_neox), printing the new text to stdout as it is\n"
    "made. Greedy by default; --temperature above 0 samples (with --top-k, --top-p\n"
    "and --seed). It stops at the end-of-sequence token or after N new tokens.\n"
    "MODEL is a folder, a Hugging Face id in the local cache, or a preset (models\n"
    "--presets). Timing (time to first token, tokens/s) goes to stderr.\n"
    "\n"
    "Options:\n"
    "      --model MODEL           the model\n"
    "      --prompt TEXT           the text to continue\n"
    "      --max-new-tokens N      at most N new tokens (64)\n"
    "      --temperature T         0 (greedy, the default) or above: sampling\n"
    "      --top-k K               sample among the K likeliest tokens (0: all)\n"
    "      --top-p P               sample among the likeliest tokens holding P of\n"
    "                              the probability (1: all)\n"
    "      --repetition-penalty R  divide the scores of tokens already seen by R (1: off)\n"
    "      --seed S                seed of the sampling (0)\n"
    "      --ignore-eos            go on past the end-of-sequence token\n"
    "      --tokenizer FILE        a tokenizer.json (default: the model folder's)\n"
    "      --json                  no streaming: one JSON object at the end with the\n"
    "                              text, the token ids and the timing\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a failure, 2 usage error.\n";

typedef struct stream {
    const ia_tokenizer *tok;
    bool print;
    int32_t *ids;
    size_t n, cap;
    size_t printed; /* bytes of the decoded text already written */
    double start, first;
} stream;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Each new token: decode all new ids and write what is new, holding back a
 * tail that is still an incomplete character (U+FFFD at the end). */
static bool on_token(void *ctx, int64_t token)
{
    stream *s = ctx;
    if (s->n == 0)
        s->first = now_s();
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        int32_t *v = realloc(s->ids, cap * sizeof *v);
        if (!v)
            return false;
        s->ids = v;
        s->cap = cap;
    }
    s->ids[s->n++] = (int32_t)token;
    if (!s->print)
        return true;
    char *text = NULL;
    size_t len = 0;
    ia_error err;
    ia_error_clear(&err);
    if (ia_tokenizer_decode(s->tok, s->ids, s->n, true, &text, &len, &err) != IA_OK)
        return true;
    bool partial = len >= 3 && memcmp(text + len - 3, "\xEF\xBF\xBD", 3) == 0;
    if (!partial && len > s->printed) {
        fwrite(text + s->printed, 1, len - s->printed, stdout);
        fflush(stdout);
        s->printed = len;
    }
    free(text);
    return true;
}

static int run_generate(int argc, char **argv)
{
    enum { OPT_MODEL = 256, OPT_PROMPT, OPT_NEW, OPT_TEMP, OPT_TOPK, OPT_TOPP, OPT_REP,
           OPT_SEED, OPT_EOS, OPT_TOKENIZER, OPT_JSON };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"model", required_argument, 0, OPT_MODEL},
        {"prompt", required_argument, 0, OPT_PROMPT},
        {"max-new-tokens", required_argument, 0, OPT_NEW},
        {"temperature", required_argument, 0, OPT_TEMP},
        {"top-k", required_argument, 0, OPT_TOPK},
        {"top-p", required_argument, 0, OPT_TOPP},
        {"repetition-penalty", required_argument, 0, OPT_REP},
        {"seed", required_argument, 0, OPT_SEED},
        {"ignore-eos", no_argument, 0, OPT_EOS},
        {"tokenizer", required_argument, 0, OPT_TOKENIZER},
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    const char *model = NULL, *prompt = NULL, *tokenizer = NULL;
    ia_generate_opts g = {.max_new_tokens = 64};
    bool json = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        char *end = NULL;
        double x = 0;
        if (opt >= OPT_NEW && opt <= OPT_SEED) {
            x = strtod(optarg, &end);
            const char *name = "";
            for (const struct option *o = options; o->name; o++)
                if (o->val == opt)
                    name = o->name;
            if (!*optarg || *end)
                return ia_cli_usage_error("generate", "--%s takes a number, not '%s'", name,
                                          optarg);
        }
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_MODEL: model = optarg; break;
        case OPT_PROMPT: prompt = optarg; break;
        case OPT_TOKENIZER: tokenizer = optarg; break;
        case OPT_EOS: g.ignore_eos = true; break;
        case OPT_JSON: json = true; break;
        case OPT_NEW:
            if (x < 1 || x > 1000000 || x != (int)x)
                return ia_cli_usage_error("generate", "--max-new-tokens takes 1 to 1000000");
            g.max_new_tokens = (int)x;
            break;
        case OPT_TEMP:
            if (!(x >= 0 && x <= 100))
                return ia_cli_usage_error("generate", "--temperature takes 0 to 100");
            g.temperature = (float)x;
            break;
        case OPT_TOPK:
            if (x < 0 || x != (int)x)
                return ia_cli_usage_error("generate", "--top-k takes a count >= 0");
            g.top_k = (int)x;
            break;
        case OPT_TOPP:
            if (!(x > 0 && x <= 1))
                return ia_cli_usage_error("generate", "--top-p takes a number in (0, 1]");
            g.top_p = (float)x;
            break;
        case OPT_REP:
            if (!(x > 0))
                return ia_cli_usage_error("generate", "--repetition-penalty takes a number > 0");
            g.repetition_penalty = (float)x;
            break;
        case OPT_SEED:
            if (x < 0 || x != (double)(uint64_t)x)
                return ia_cli_usage_error("generate", "--seed takes an integer >= 0");
            g.seed = (uint64_t)x;
            break;
        default:
            return ia_cli_option_error("generate", opt, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("generate", "unexpected argument '%s' (the text goes in "
                                              "--prompt)", argv[optind]);
    if (!model || !prompt)
        return ia_cli_usage_error("generate", "--model and --prompt are required");

    ia_model *m = NULL;
    ia_tokenizer *tok = NULL;
    int rc = ia_cli_open_model("generate", model, tokenizer, &m, &tok);
    if (rc != IA_EXIT_OK)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    ia_encoding enc = {0};
    ia_tensor_map out = {0};
    ia_tensor ids = {0};
    stream s = {.tok = tok, .print = !json};
    ia_status st = ia_tokenizer_encode(tok, prompt, strlen(prompt), NULL, 0, true, &enc, &err);
    if (st == IA_OK && enc.n == 0)
        st = ia_error_set(&err, IA_ERR_INVALID, "the prompt gives no tokens");
    if (st == IA_OK) {
        const int64_t shape[2] = {1, (int64_t)enc.n};
        st = ia_tensor_alloc(&ids, IA_DTYPE_I64, 2, shape, &err);
        for (size_t i = 0; st == IA_OK && i < enc.n; i++)
            ((int64_t *)ids.data)[i] = enc.ids[i];
    }
    if (st == IA_OK) {
        if (ia_model_weights_synthetic(m))
            ia_log_warn("generate: %s has synthetic weights: the text means nothing", model);
        g.on_token = on_token;
        g.ctx = &s;
        s.start = now_s();
        st = ia_model_generate(m, &ids, &g, &out, &err);
    }
    double end = now_s();
    if (st != IA_OK) {
        ia_log_error("generate: %s", err.message);
        rc = IA_EXIT_FAILURE;
    } else {
        double ttft = s.n ? (s.first - s.start) * 1e3 : 0;
        double rate = s.n > 1 ? (double)(s.n - 1) / (end - s.first) : 0;
        if (json) {
            char *text = NULL;
            size_t len = 0;
            if (ia_tokenizer_decode(tok, s.ids, s.n, true, &text, &len, &err) != IA_OK) {
                ia_log_error("generate: %s", err.message);
                rc = IA_EXIT_FAILURE;
            } else {
                printf("{\"model\":");
                ia_cli_put_json_string(model, strlen(model));
                printf(",\"weights\":\"%s\",\"prompt\":",
                       ia_model_weights_synthetic(m) ? "synthetic" : "real");
                ia_cli_put_json_string(prompt, strlen(prompt));
                printf(",\"text\":");
                ia_cli_put_json_string(text, len);
                printf(",\"prompt_tokens\":%zu,\"new_tokens\":%zu,\"ids\":[", enc.n, s.n);
                for (size_t i = 0; i < s.n; i++)
                    printf("%s%d", i ? "," : "", s.ids[i]);
                printf("],\"ttft_ms\":%.3f,\"tokens_per_s\":%.3f}\n", ttft, rate);
                free(text);
            }
        } else {
            putchar('\n');
            ia_log_info("generate: %zu prompt tokens, %zu new; first token after %.1f ms, "
                        "then %.1f tokens/s",
                        enc.n, s.n, ttft, rate);
        }
    }
    free(s.ids);
    ia_tensor_free(&ids);
    ia_encoding_free(&enc);
    ia_tensor_map_free(&out);
    ia_tokenizer_free(tok);
    ia_model_free(m);
    return rc;
}

const ia_cli_command ia_cli_generate = {"generate", "continue a text with a decoder model",
                                        run_generate};
