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
    "      --word-ids       with --json: add \"word_ids\" and \"sequence_ids\" (null\n"
    "                       for special and padding tokens, as the Python API)\n"
    "      --threads N      encode --input lines on N threads (default: all cores)\n"
    "      --truncate N     truncate to N tokens (special tokens included); what is\n"
    "                       cut off is printed too, as overflowing windows\n"
    "      --stride N       with --truncate: tokens each overflowing window repeats\n"
    "                       from the one before (less than N; default 0)\n"
    "      --truncation-strategy S\n"
    "                       longest_first (default), only_first or only_second\n"
    "      --truncation-side S  right (default: cut the end) or left\n"
    "      --pad            pad to the longest encoding of the batch\n"
    "      --pad-to N       pad to N tokens (fixed length)\n"
    "      --pad-multiple N with --pad or --pad-to: round the length up to a\n"
    "                       multiple of N\n"
    "      --padding-side S right (default) or left\n"
    "                       (the tokenizer.json's truncation and padding apply\n"
    "                       unless these replace them; padding keeps its pad\n"
    "                       token and id, or uses [PAD] and 0)\n"
    "      --decode IDS     decode comma-separated ids instead of encoding\n"
    "      --skip-special   with --decode: leave special tokens out\n"
    "      --json           one JSON object per input on its own line:\n"
    "                       {\"ids\", \"tokens\", \"offsets\", \"type_ids\",\n"
    "                       \"attention_mask\", \"special_tokens_mask\"}, and\n"
    "                       \"overflowing\": [objects like it] when truncation\n"
    "                       left windows\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a tokenizer or input problem, 2 usage error.\n";

typedef struct options {
    const char *tokenizer;
    const char *pair;
    const char *input;
    const char *decode;
    bool no_special, byte_offsets, decoded, skip_special, json, word_ids;
    unsigned threads;
    /* Truncation and padding as given; unset ones keep the tokenizer's. */
    long truncate, stride, pad_to, pad_multiple; /* -1: not given */
    int strategy;                                /* -1 or an ia_truncation_strategy */
    int truncation_left, padding_left;           /* -1, 0 or 1 */
    bool pad;
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

/* The members of one encoding's object; its overflowing windows nest as
 * objects of the same members (each with its own "decoded" when asked). */
static void print_json_fields(const ia_tokenizer *tok, const ia_encoding *e, const options *o)
{
    fputs("\"ids\":[", stdout);
    for (size_t i = 0; i < e->n; i++)
        printf(i ? ",%d" : "%d", e->ids[i]);
    fputs("],\"tokens\":[", stdout);
    for (size_t i = 0; i < e->n; i++) {
        if (i)
            putchar(',');
        ia_cli_put_json_string(e->tokens[i], e->token_lens[i]);
    }
    fputs("],\"offsets\":[", stdout);
    for (size_t i = 0; i < e->n; i++)
        printf(i ? ",[%u,%u]" : "[%u,%u]", e->offsets[i].begin, e->offsets[i].end);
    putchar(']');
    put_json_ints("type_ids", e->type_ids, e->n, 1);
    put_json_ints("attention_mask", e->attention_mask, e->n, 2);
    put_json_ints("special_tokens_mask", e->special_tokens_mask, e->n, 2);
    if (o->word_ids) {
        fputs(",\"word_ids\":[", stdout);
        for (size_t i = 0; i < e->n; i++) {
            if (e->word_ids[i] < 0)
                fputs(i ? ",null" : "null", stdout);
            else
                printf(i ? ",%d" : "%d", e->word_ids[i]);
        }
        fputs("],\"sequence_ids\":[", stdout);
        for (size_t i = 0; i < e->n; i++) {
            if (e->sequence_ids[i] < 0)
                fputs(i ? ",null" : "null", stdout);
            else
                printf(i ? ",%d" : "%d", e->sequence_ids[i]);
        }
        putchar(']');
    }
    if (o->decoded) {
        char *text = NULL;
        size_t len = 0;
        ia_error err = {0};
        if (ia_tokenizer_decode(tok, e->ids, e->n, true, &text, &len, &err) == IA_OK) {
            fputs(",\"decoded\":", stdout);
            ia_cli_put_json_string(text, len);
        } else {
            ia_log_error("decode: %s", err.message);
        }
        free(text);
    }
    if (e->n_overflowing) {
        fputs(",\"overflowing\":[", stdout);
        for (size_t i = 0; i < e->n_overflowing; i++) {
            fputs(i ? ",{" : "{", stdout);
            print_json_fields(tok, &e->overflowing[i], o);
            putchar('}');
        }
        putchar(']');
    }
}

static void print_json(const ia_tokenizer *tok, const ia_encoding *e, const options *o)
{
    putchar('{');
    print_json_fields(tok, e, o);
    fputs("}\n", stdout);
}

static void print_tokens(const ia_encoding *e, bool byte_offsets)
{
    printf("  %5s  %8s  %-12s  %s\n", "index", "id", byte_offsets ? "bytes" : "chars", "token");
    for (size_t i = 0; i < e->n; i++) {
        char span[32];
        snprintf(span, sizeof span, "[%u, %u)", e->offsets[i].begin, e->offsets[i].end);
        printf("  %5zu  %8d  %-12s  %s%s\n", i, e->ids[i], span, e->tokens[i],
               e->special_tokens_mask[i] ? "  (special)" : "");
    }
}

/* The encoding, then its overflowing windows (and theirs) in the order
 * --json nests them, each headed by its path ("overflowing 2.1"). */
static void print_overflowing(const ia_encoding *e, bool byte_offsets, const char *path)
{
    for (size_t i = 0; i < e->n_overflowing; i++) {
        char sub[256];
        int n = snprintf(sub, sizeof sub, "%s%s%zu", path, *path ? "." : "", i + 1);
        if (n < 0 || (size_t)n >= sizeof sub)
            return; /* windows nested past any real use: the path no longer fits */
        printf("overflowing %s\n", sub);
        print_tokens(&e->overflowing[i], byte_offsets);
        print_overflowing(&e->overflowing[i], byte_offsets, sub);
    }
}

static void print_table(const ia_encoding *e, const char *text, bool byte_offsets)
{
    printf("%s\n", text);
    print_tokens(e, byte_offsets);
    print_overflowing(e, byte_offsets, "");
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
        ia_cli_put_json_string(text, len);
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

/* Puts the truncation and padding options over the tokenizer.json's. The
 * stride, strategy and sides alone change a truncation the file turned on
 * (a refusal then is the file's problem: exit 1); without one, they need
 * --truncate. */
static int apply_settings(ia_tokenizer *tok, const options *o)
{
    ia_error err = {0};
    ia_truncation t;
    ia_tokenizer_get_truncation(tok, &t);
    bool trunc_opts = o->stride >= 0 || o->strategy >= 0 || o->truncation_left >= 0;
    if (o->truncate >= 0 || (trunc_opts && t.enabled)) {
        if (o->truncate >= 0) {
            t.enabled = true;
            t.max_length = (size_t)o->truncate;
        }
        if (o->stride >= 0)
            t.stride = (size_t)o->stride;
        if (o->strategy >= 0)
            t.strategy = (ia_truncation_strategy)o->strategy;
        if (o->truncation_left >= 0)
            t.left = o->truncation_left;
        if (ia_tokenizer_set_truncation(tok, &t, &err) != IA_OK) {
            ia_log_error("%s", err.message);
            return IA_EXIT_FAILURE;
        }
    } else if (trunc_opts) {
        return ia_cli_usage_error("tokenize", "--stride, --truncation-strategy and "
                                              "--truncation-side need --truncate (the "
                                              "tokenizer truncates nothing)");
    }
    ia_padding p;
    ia_tokenizer_get_padding(tok, &p);
    bool pad_opts = o->pad_multiple >= 0 || o->padding_left >= 0;
    if (o->pad || o->pad_to >= 0 || (pad_opts && p.enabled)) {
        if (!p.enabled) /* the Rust library's PaddingParams::default() */
            p = (ia_padding){.pad_id = 0, .pad_type_id = 0, .pad_token = "[PAD]"};
        p.enabled = true;
        if (o->pad) {
            p.to_longest = true;
        } else if (o->pad_to >= 0) {
            p.to_longest = false;
            p.length = (size_t)o->pad_to;
        }
        if (o->pad_multiple >= 0)
            p.multiple_of = (size_t)o->pad_multiple;
        if (o->padding_left >= 0)
            p.left = o->padding_left;
        if (ia_tokenizer_set_padding(tok, &p, &err) != IA_OK) {
            ia_log_error("%s", err.message);
            return IA_EXIT_FAILURE;
        }
    } else if (pad_opts) {
        return ia_cli_usage_error("tokenize", "--pad-multiple and --padding-side need --pad or "
                                              "--pad-to (the tokenizer pads nothing)");
    }
    return IA_EXIT_OK;
}

static int tokenize_main(int argc, char **argv)
{
    enum { OPT_TOKENIZER = 256, OPT_PAIR, OPT_INPUT, OPT_NO_SPECIAL, OPT_OFFSETS, OPT_DECODED,
           OPT_THREADS, OPT_DECODE, OPT_SKIP_SPECIAL, OPT_JSON, OPT_TRUNCATE, OPT_STRIDE,
           OPT_STRATEGY, OPT_TRUNC_SIDE, OPT_PAD, OPT_PAD_TO, OPT_PAD_MULTIPLE, OPT_PAD_SIDE, OPT_WORD_IDS };
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
        {"truncate", required_argument, 0, OPT_TRUNCATE},
        {"stride", required_argument, 0, OPT_STRIDE},
        {"truncation-strategy", required_argument, 0, OPT_STRATEGY},
        {"truncation-side", required_argument, 0, OPT_TRUNC_SIDE},
        {"pad", no_argument, 0, OPT_PAD},
        {"pad-to", required_argument, 0, OPT_PAD_TO},
        {"pad-multiple", required_argument, 0, OPT_PAD_MULTIPLE},
        {"padding-side", required_argument, 0, OPT_PAD_SIDE},
        {"word-ids", no_argument, 0, OPT_WORD_IDS},
        IA_CLI_COMMON_LONG,
        {0, 0, 0, 0}};
    options o = {.truncate = -1, .stride = -1, .pad_to = -1, .pad_multiple = -1,
                 .strategy = -1, .truncation_left = -1, .padding_left = -1};
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
        case OPT_TRUNCATE:
        case OPT_STRIDE:
        case OPT_PAD_TO:
        case OPT_PAD_MULTIPLE: {
            static const char *const names[] = {"--truncate", "--stride", "--pad-to",
                                                "--pad-multiple"};
            int k = opt - OPT_TRUNCATE;
            if (opt >= OPT_PAD_TO)
                k = 2 + (opt - OPT_PAD_TO);
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            /* the Rust library keeps lengths in 32 bits in its JSON too */
            if (end == optarg || *end || errno || v < 0 || v > INT32_MAX ||
                (opt == OPT_PAD_MULTIPLE && v == 0))
                return ia_cli_usage_error("tokenize", "%s wants a number from %d, not '%s'",
                                          names[k], opt == OPT_PAD_MULTIPLE ? 1 : 0, optarg);
            long *dst = opt == OPT_TRUNCATE ? &o.truncate
                        : opt == OPT_STRIDE ? &o.stride
                        : opt == OPT_PAD_TO ? &o.pad_to
                                            : &o.pad_multiple;
            *dst = v;
            break;
        }
        case OPT_STRATEGY:
            if (!strcmp(optarg, "longest_first"))
                o.strategy = IA_TRUNCATE_LONGEST_FIRST;
            else if (!strcmp(optarg, "only_first"))
                o.strategy = IA_TRUNCATE_ONLY_FIRST;
            else if (!strcmp(optarg, "only_second"))
                o.strategy = IA_TRUNCATE_ONLY_SECOND;
            else
                return ia_cli_usage_error("tokenize",
                                          "--truncation-strategy is longest_first, only_first "
                                          "or only_second, not '%s'",
                                          optarg);
            break;
        case OPT_TRUNC_SIDE:
        case OPT_PAD_SIDE: {
            int left = !strcmp(optarg, "left") ? 1 : !strcmp(optarg, "right") ? 0 : -1;
            if (left < 0)
                return ia_cli_usage_error("tokenize", "%s is left or right, not '%s'",
                                          opt == OPT_TRUNC_SIDE ? "--truncation-side"
                                                                : "--padding-side",
                                          optarg);
            *(opt == OPT_TRUNC_SIDE ? &o.truncation_left : &o.padding_left) = left;
            break;
        }
        case OPT_PAD: o.pad = true; break;
        case OPT_WORD_IDS: o.word_ids = true; break;
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
    if (o.pad && o.pad_to >= 0)
        return ia_cli_usage_error("tokenize", "--pad and --pad-to exclude each other");
    if (o.decode && (o.truncate >= 0 || o.stride >= 0 || o.strategy >= 0 ||
                     o.truncation_left >= 0 || o.pad || o.pad_to >= 0 || o.pad_multiple >= 0 ||
                     o.padding_left >= 0))
        return ia_cli_usage_error("tokenize", "--decode takes no truncation or padding options");
    if (o.truncate >= 0 && o.stride >= o.truncate && o.truncate > 0)
        return ia_cli_usage_error("tokenize", "--stride %ld must be less than --truncate %ld",
                                  o.stride, o.truncate);

    ia_tokenizer *tok = NULL;
    ia_error err = {0};
    if (ia_tokenizer_load(o.tokenizer, &tok, &err) != IA_OK) {
        ia_log_error("%s", err.message);
        return IA_EXIT_FAILURE;
    }
    int rc = apply_settings(tok, &o);
    if (rc != IA_EXIT_OK) {
        /* nothing more to do */
    } else if (o.decode) {
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
