/* ipfs-accelerate tokenize: encodes texts (or decodes ids) with a Hugging Face
 * tokenizer.json or the legacy vocabulary files, as the Rust tokenizers
 * library would, so a user can see exactly what a model will be fed. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/tokenizer.h"
#include "ipfs_accelerate/unicode.h"

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

/* Decodes the JSON string literal at *p (which points at its quote) into a
 * heap buffer; unlike cJSON it keeps \u0000, which texts may hold. Returns
 * false on bad syntax or a lone surrogate. */
static bool parse_json_string(const char **p, char **out, size_t *len)
{
    const char *s = *p;
    if (*s != '"')
        return false;
    s++;
    size_t cap = 64, n = 0;
    char *buf = malloc(cap);
    while (buf && *s && *s != '"') {
        if (n + 4 >= cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                break;
            buf = grown;
        }
        if (*s != '\\') {
            buf[n++] = *s++;
            continue;
        }
        s++;
        char c = *s++;
        const char *simple = strchr("\"\\/bfnrt", c);
        if (c && simple) {
            buf[n++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            continue;
        }
        if (c != 'u')
            break;
        unsigned cp = 0;
        for (int k = 0; k < 4; k++, s++) {
            char h = *s;
            unsigned d = h >= '0' && h <= '9'   ? (unsigned)(h - '0')
                         : h >= 'a' && h <= 'f' ? (unsigned)(h - 'a' + 10)
                         : h >= 'A' && h <= 'F' ? (unsigned)(h - 'A' + 10)
                                                : 16;
            if (d == 16)
                goto fail;
            cp = cp * 16 + d;
        }
        if (cp >= 0xD800 && cp < 0xDC00) { /* a high surrogate needs its low half */
            unsigned lo = 0;
            if (s[0] != '\\' || s[1] != 'u' || sscanf(s + 2, "%4x", &lo) != 1 || lo < 0xDC00 ||
                lo > 0xDFFF)
                goto fail;
            s += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp < 0xE000) {
            goto fail;
        }
        n += (size_t)ia_utf8_encode(cp, buf + n);
    }
    if (!buf || *s != '"')
        goto fail;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    *p = s + 1;
    return true;
fail:
    free(buf);
    return false;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* One --input line: "text" or ["text", "pair"]. */
static bool parse_input_line(const char *line, char **text, size_t *len, char **pair,
                             size_t *pair_len)
{
    *text = *pair = NULL;
    const char *s = skip_space(line);
    bool array = *s == '[';
    if (array)
        s = skip_space(s + 1);
    if (!parse_json_string(&s, text, len))
        return false;
    s = skip_space(s);
    if (array && *s == ',') {
        s = skip_space(s + 1);
        if (!parse_json_string(&s, pair, pair_len))
            return false;
        s = skip_space(s);
    }
    if (array && *s++ != ']')
        return false;
    return *skip_space(s) == '\0';
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
        if (*skip_space(line) == '\0')
            continue;
        char *text, *pair;
        size_t len = 0, pair_len = 0;
        if (!parse_input_line(line, &text, &len, &pair, &pair_len)) {
            ia_log_error("%s:%zu: expected a JSON string or an array [text, pair]", path,
                         lineno);
            rc = IA_EXIT_FAILURE;
        } else if (!inputs_add(in, text, len, pair, pair_len)) {
            ia_log_error("%s: out of memory", path);
            rc = IA_EXIT_FAILURE;
        }
        free(text);
        free(pair);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* Writes s[0, len) as a JSON string; NUL and other controls escaped. */
static void put_json_string(const char *s, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putchar('\\');
            putchar(c);
        } else if (c == '\n') {
            fputs("\\n", stdout);
        } else if (c == '\t') {
            fputs("\\t", stdout);
        } else if (c == '\r') {
            fputs("\\r", stdout);
        } else if (c < 0x20 || c == 0x7F) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void put_json_ints(const char *key, const void *v, size_t n, int kind)
{
    printf(",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        long x = kind == 0   ? ((const int32_t *)v)[i]
                 : kind == 1 ? (long)((const uint32_t *)v)[i]
                             : ((const uint8_t *)v)[i];
        printf(i ? ",%ld" : "%ld", x);
    }
    putchar(']');
}

static void print_json(const ia_tokenizer *tok, const ia_encoding *e, const options *o)
{
    fputs("{\"ids\":[", stdout);
    for (size_t i = 0; i < e->n; i++)
        printf(i ? ",%d" : "%d", e->ids[i]);
    fputs("],\"tokens\":[", stdout);
    for (size_t i = 0; i < e->n; i++) {
        if (i)
            putchar(',');
        put_json_string(e->tokens[i], strlen(e->tokens[i]));
    }
    fputs("],\"offsets\":[", stdout);
    for (size_t i = 0; i < e->n; i++)
        printf(i ? ",[%u,%u]" : "[%u,%u]", e->offsets[i].begin, e->offsets[i].end);
    putchar(']');
    put_json_ints("type_ids", e->type_ids, e->n, 1);
    put_json_ints("attention_mask", e->attention_mask, e->n, 2);
    put_json_ints("special_tokens_mask", e->special_tokens_mask, e->n, 2);
    if (o->decoded) {
        char *text = NULL;
        size_t len = 0;
        ia_error err = {0};
        if (ia_tokenizer_decode(tok, e->ids, e->n, true, &text, &len, &err) == IA_OK) {
            fputs(",\"decoded\":", stdout);
            put_json_string(text, len);
        } else {
            ia_log_error("decode: %s", err.message);
        }
        free(text);
    }
    fputs("}\n", stdout);
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
    size_t len = 0;
    ia_error err = {0};
    ia_status st = ia_tokenizer_decode(tok, ids, n, o->skip_special, &text, &len, &err);
    free(ids);
    if (st != IA_OK) {
        ia_log_error("%s", err.message);
        return IA_EXIT_FAILURE;
    }
    if (o->json) {
        fputs("{\"text\":", stdout);
        put_json_string(text, len);
        fputs("}\n", stdout);
    } else {
        fwrite(text, 1, len, stdout);
        putchar('\n');
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
