/* ipfs-accelerate tokenize: encodes texts (or decodes ids) with a Hugging Face
 * tokenizer.json or the legacy vocabulary files, as the Rust tokenizers
 * library would, so a user can see exactly what a model will be fed. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/tokenizer.h"

static const char help[] =
    "Usage: ipfs-accelerate tokenize --tokenizer FILE|DIR [options] [TEXT...]\n"
    "       ipfs-accelerate tokenize --tokenizer FILE|DIR --decode ID,ID,... [--skip-special]\n"
    "\n"
    "Encodes each TEXT (or each line of --input) with a Hugging Face tokenizer,\n"
    "exactly as the Rust tokenizers library does: ids, tokens and offsets. FILE\n"
    "is a tokenizer.json; DIR holds tokenizer.json, or the legacy vocab.txt\n"
    "(BERT) or vocab.json with merges.txt (GPT-2). Texts must be UTF-8: invalid\n"
    "UTF-8 is refused with the byte offset of the first bad sequence.\n"
    "\n"
    "Options:\n"
    "      --tokenizer P    the tokenizer.json file or a folder holding it\n"
    "      --pair TEXT      encode each text together with this second text\n"
    "      --input F        read texts from F ('-' for stdin): one JSON string per\n"
    "                       line, or a JSON array [text, pair]\n"
    "      --no-special     do not add the post-processor's special tokens\n"
    "      --offsets K      char (default: code points, as Hugging Face's Python\n"
    "                       API) or byte\n"
    "      --decoded        add the decoding of the ids (special tokens skipped)\n"
    "      --threads N      encode --input lines on N threads (default: all cores)\n"
    "      --decode IDS     decode comma-separated ids instead of encoding\n"
    "      --skip-special   with --decode: leave special tokens out\n"
    "      --json           one JSON object per input on its own line:\n"
    "                       {\"ids\", \"tokens\", \"offsets\", \"type_ids\",\n"
    "                       \"attention_mask\", \"special_tokens_mask\"}\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a tokenizer or input problem, 2 usage error.\n";

typedef struct options {
    const char *tokenizer;
    const char *pair;
    const char *input;
    const char *decode;
    bool no_special, byte_offsets, decoded, skip_special, json;
    unsigned threads;
} options;

/* The texts to encode, owned. */
typedef struct inputs {
    char **texts, **pairs;
    size_t *lens, *pair_lens;
    size_t n, cap;
} inputs;

static void inputs_free(inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(in->texts[i]);
        free(in->pairs[i]);
    }
    free(in->texts);
    free(in->pairs);
    free(in->lens);
    free(in->pair_lens);
}

static bool inputs_add(inputs *in, const char *text, size_t len, const char *pair,
                       size_t pair_len)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        char **t = realloc(in->texts, cap * sizeof *t);
        if (t)
            in->texts = t;
        char **p = realloc(in->pairs, cap * sizeof *p);
        if (p)
            in->pairs = p;
        size_t *l = realloc(in->lens, cap * sizeof *l);
        if (l)
            in->lens = l;
        size_t *pl = realloc(in->pair_lens, cap * sizeof *pl);
        if (pl)
            in->pair_lens = pl;
        if (!t || !p || !l || !pl)
            return false;
        in->cap = cap;
    }
    char *tc = malloc(len + 1);
    char *pc = pair ? malloc(pair_len + 1) : NULL;
    if (!tc || (pair && !pc)) {
        free(tc);
        free(pc);
        return false;
    }
    memcpy(tc, text, len);
    tc[len] = '\0';
    if (pc) {
        memcpy(pc, pair, pair_len);
        pc[pair_len] = '\0';
    }
    in->texts[in->n] = tc;
    in->lens[in->n] = len;
    in->pairs[in->n] = pc;
    in->pair_lens[in->n] = pair_len;
    in->n++;
    return true;
}

/* Reads --input: one JSON string, or [text, pair], per line. */
static int read_input(const char *path, inputs *in)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        ia_log_error("%s: %s", path, strerror(errno));
        return IA_EXIT_FAILURE;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int rc = IA_EXIT_OK;
    while (rc == IA_EXIT_OK && (got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (got == 0)
            continue;
        cJSON *v = cJSON_ParseWithLength(line, (size_t)got);
        const cJSON *text = v, *pair = NULL;
        if (cJSON_IsArray(v)) {
            text = cJSON_GetArrayItem(v, 0);
            pair = cJSON_GetArrayItem(v, 1);
        }
        if (!cJSON_IsString(text) || (pair && !cJSON_IsString(pair)) ||
            (cJSON_IsArray(v) && cJSON_GetArraySize(v) > 2)) {
            ia_log_error("%s:%zu: expected a JSON string or an array [text, pair]", path,
                         lineno);
            rc = IA_EXIT_FAILURE;
        } else if (!inputs_add(in, text->valuestring, strlen(text->valuestring),
                               pair ? pair->valuestring : NULL,
                               pair ? strlen(pair->valuestring) : 0)) {
            ia_log_error("%s: out of memory", path);
            rc = IA_EXIT_FAILURE;
        }
        cJSON_Delete(v);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

static cJSON *int_array(const int32_t *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n && a; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
    return a;
}

static void print_json(const ia_tokenizer *tok, const ia_encoding *e, const options *o)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddItemToObject(obj, "ids", int_array(e->ids, e->n));
    cJSON *tokens = cJSON_AddArrayToObject(obj, "tokens");
    cJSON *offsets = cJSON_AddArrayToObject(obj, "offsets");
    cJSON *types = cJSON_AddArrayToObject(obj, "type_ids");
    cJSON *mask = cJSON_AddArrayToObject(obj, "attention_mask");
    cJSON *special = cJSON_AddArrayToObject(obj, "special_tokens_mask");
    for (size_t i = 0; i < e->n; i++) {
        cJSON_AddItemToArray(tokens, cJSON_CreateString(e->tokens[i]));
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(e->offsets[i].begin));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(e->offsets[i].end));
        cJSON_AddItemToArray(offsets, pair);
        cJSON_AddItemToArray(types, cJSON_CreateNumber(e->type_ids[i]));
        cJSON_AddItemToArray(mask, cJSON_CreateNumber(e->attention_mask[i]));
        cJSON_AddItemToArray(special, cJSON_CreateNumber(e->special_tokens_mask[i]));
    }
    if (o->decoded) {
        char *text = NULL;
        ia_error err = {0};
        if (ia_tokenizer_decode(tok, e->ids, e->n, true, &text, NULL, &err) == IA_OK)
            cJSON_AddStringToObject(obj, "decoded", text);
        else
            ia_log_error("decode: %s", err.message);
        free(text);
    }
    char *s = cJSON_PrintUnformatted(obj);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(obj);
}

static void print_table(const ia_encoding *e, const char *text, bool byte_offsets)
{
    printf("%s\n", text);
    printf("  %5s  %8s  %-12s  %s\n", "index", "id", byte_offsets ? "bytes" : "chars", "token");
    for (size_t i = 0; i < e->n; i++) {
        char span[32];
        snprintf(span, sizeof span, "[%u, %u)", e->offsets[i].begin, e->offsets[i].end);
        printf("  %5zu  %8d  %-12s  %s%s\n", i, e->ids[i], span, e->tokens[i],
               e->special_tokens_mask[i] ? "  (special)" : "");
    }
}

static int run_decode(const ia_tokenizer *tok, const options *o)
{
    size_t n = 0, cap = 16;
    int32_t *ids = malloc(cap * sizeof *ids);
    const char *p = o->decode;
    while (ids && *p) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 0 || v > INT32_MAX || (*end && *end != ',')) {
            free(ids);
            return ia_cli_usage_error("tokenize", "--decode wants ids like 12,7,5, not '%s'",
                                      o->decode);
        }
        if (n == cap) {
            int32_t *grown = realloc(ids, (cap *= 2) * sizeof *ids);
            if (!grown)
                break;
            ids = grown;
        }
        ids[n++] = (int32_t)v;
        p = *end ? end + 1 : end;
    }
    if (!ids) {
        ia_log_error("out of memory");
        return IA_EXIT_FAILURE;
    }
    char *text = NULL;
    ia_error err = {0};
    ia_status st = ia_tokenizer_decode(tok, ids, n, o->skip_special, &text, NULL, &err);
    free(ids);
    if (st != IA_OK) {
        ia_log_error("%s", err.message);
        return IA_EXIT_FAILURE;
    }
    if (o->json) {
        cJSON *obj = cJSON_CreateObject();
        cJSON_AddStringToObject(obj, "text", text);
        char *s = cJSON_PrintUnformatted(obj);
        puts(s ? s : "{}");
        free(s);
        cJSON_Delete(obj);
    } else {
        puts(text);
    }
    free(text);
    return IA_EXIT_OK;
}

static int run_encode(const ia_tokenizer *tok, const options *o, inputs *in)
{
    ia_encoding *out = calloc(in->n ? in->n : 1, sizeof *out);
    if (!out) {
        ia_log_error("out of memory");
        return IA_EXIT_FAILURE;
    }
    ia_error err = {0};
    ia_status st = ia_tokenizer_encode_batch(tok, in->n, (const char *const *)in->texts,
                                             in->lens, (const char *const *)in->pairs,
                                             in->pair_lens, !o->no_special, o->threads, out,
                                             &err);
    if (st != IA_OK) {
        ia_log_error("%s", err.message);
        free(out);
        return IA_EXIT_FAILURE;
    }
    for (size_t i = 0; i < in->n; i++) {
        if (!o->byte_offsets)
            ia_encoding_char_offsets(&out[i], in->texts[i], in->lens[i], in->pairs[i],
                                     in->pair_lens[i]);
        if (o->json)
            print_json(tok, &out[i], o);
        else
            print_table(&out[i], in->texts[i], o->byte_offsets);
        ia_encoding_free(&out[i]);
    }
    free(out);
    return IA_EXIT_OK;
}

static int tokenize_main(int argc, char **argv)
{
    enum { OPT_TOKENIZER = 256, OPT_PAIR, OPT_INPUT, OPT_NO_SPECIAL, OPT_OFFSETS, OPT_DECODED,
           OPT_THREADS, OPT_DECODE, OPT_SKIP_SPECIAL, OPT_JSON };
    static const struct option longopts[] = {
        {"tokenizer", required_argument, 0, OPT_TOKENIZER},
        {"pair", required_argument, 0, OPT_PAIR},
        {"input", required_argument, 0, OPT_INPUT},
        {"no-special", no_argument, 0, OPT_NO_SPECIAL},
        {"offsets", required_argument, 0, OPT_OFFSETS},
        {"decoded", no_argument, 0, OPT_DECODED},
        {"threads", required_argument, 0, OPT_THREADS},
        {"decode", required_argument, 0, OPT_DECODE},
        {"skip-special", no_argument, 0, OPT_SKIP_SPECIAL},
        {"json", no_argument, 0, OPT_JSON},
        IA_CLI_COMMON_LONG,
        {0, 0, 0, 0}};
    options o = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_TOKENIZER: o.tokenizer = optarg; break;
        case OPT_PAIR: o.pair = optarg; break;
        case OPT_INPUT: o.input = optarg; break;
        case OPT_NO_SPECIAL: o.no_special = true; break;
        case OPT_DECODED: o.decoded = true; break;
        case OPT_DECODE: o.decode = optarg; break;
        case OPT_SKIP_SPECIAL: o.skip_special = true; break;
        case OPT_JSON: o.json = true; break;
        case OPT_OFFSETS:
            if (!strcmp(optarg, "byte"))
                o.byte_offsets = true;
            else if (strcmp(optarg, "char"))
                return ia_cli_usage_error("tokenize", "--offsets is char or byte, not '%s'",
                                          optarg);
            break;
        case OPT_THREADS: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1024)
                return ia_cli_usage_error("tokenize", "--threads wants 1 to 1024, not '%s'",
                                          optarg);
            o.threads = (unsigned)v;
            break;
        }
        default:
            if (ia_cli_common_option(opt))
                break;
            return ia_cli_option_error("tokenize", opt, argv);
        }
    }
    if (!o.tokenizer)
        return ia_cli_usage_error("tokenize", "--tokenizer FILE|DIR is required");
    if (o.decode && (o.input || optind < argc || o.pair))
        return ia_cli_usage_error("tokenize", "--decode takes no texts, --input or --pair");
    if (!o.decode && !o.input && optind >= argc)
        return ia_cli_usage_error("tokenize", "give a TEXT, --input FILE or --decode IDS");

    ia_tokenizer *tok = NULL;
    ia_error err = {0};
    if (ia_tokenizer_load(o.tokenizer, &tok, &err) != IA_OK) {
        ia_log_error("%s", err.message);
        return IA_EXIT_FAILURE;
    }
    int rc;
    if (o.decode) {
        rc = run_decode(tok, &o);
    } else {
        inputs in = {0};
        rc = o.input ? read_input(o.input, &in) : IA_EXIT_OK;
        for (int i = optind; i < argc && rc == IA_EXIT_OK; i++)
            if (!inputs_add(&in, argv[i], strlen(argv[i]), o.pair,
                            o.pair ? strlen(o.pair) : 0)) {
                ia_log_error("out of memory");
                rc = IA_EXIT_FAILURE;
            }
        if (rc == IA_EXIT_OK)
            rc = run_encode(tok, &o, &in);
        inputs_free(&in);
    }
    ia_tokenizer_free(tok);
    return rc;
}

const ia_cli_command ia_cli_tokenize = {
    .name = "tokenize",
    .summary = "encode texts or decode ids with a Hugging Face tokenizer",
    .run = tokenize_main,
};
