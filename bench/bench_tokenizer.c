/* bench_tokenizer: our tokenizer's encode throughput beside its peers,
 * measured in the same run on the same text.
 *
 * For each fixture tokenizer (tests/fixtures/tokenizers/{wordpiece,
 * bytelevel_bpe, llama_bpe, unigram}.json) a multi-megabyte text is encoded
 * in chunks of about 1 KB (cut after the first newline past 1,024 bytes), with
 * special tokens:
 *   - ours, one thread: ia_tokenizer_encode on each chunk in turn;
 *   - ours, batched: ia_tokenizer_encode_batch over all chunks on --threads
 *     threads (default 2);
 *   - transformers.js: the pure-JS tokenizer transformers.js 4.3.1 bundles
 *     (@huggingface/tokenizers 0.2.0), one encode per chunk, in a node child
 *     (bench/tokenizer_peer.js); the project's chosen peer;
 *   - the Rust tokenizers library (node binding 0.23.2), encodeBatch on 1 and
 *     on --threads threads, in node children too: the library we match.
 * Token counts are summed on every side: ours must equal Rust's (the run
 * fails otherwise); transformers.js's is shown beside ours (it is not exact
 * to Rust on every text). No number is printed for a peer that did not run.
 *
 * The text is made here, deterministically from --seed: English prose from a
 * word list (two thirds), source code (one fifth) and sentences in twelve
 * other languages with some emoji; or --text FILE. It is written once as one
 * JSON string per chunk to a temporary file that every peer reads, so all
 * sides encode the same chunks.
 *
 * Method: --warmup runs (default 1) then --reps runs (default 5) of the whole
 * text on each side; the median run is reported. MB/s is 10^6 bytes of UTF-8
 * input per second; ratio is ours over the peer's throughput (above 1: ours
 * is faster).
 *
 *   bench_tokenizer [--mb 4] [--seed 1] [--text FILE] [--reps 5] [--warmup 1]
 *                   [--threads 2] [--only NAME[,NAME]] [--no-peers] [--json]
 *
 * Environment: IA_FIXTURES (tests/fixtures, default beside this source),
 * IA_NODE (node binary, default `node`), IA_NODE_MODULES (default
 * deps/node/node_modules, installed by scripts/bootstrap.sh).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, popen */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipfs_accelerate/tokenizer.h"

#define BENCH_CHUNK 1024u
#define BENCH_MAX_REPS 101

static const char *const bench_names[] = {"wordpiece", "bytelevel_bpe", "llama_bpe", "unigram"};
enum { BENCH_N_TOK = 4 };

typedef struct bench_text {
    char *data;
    size_t len, cap;
    size_t n;          /* chunks */
    const char **texts;
    size_t *lens;
} bench_text;

typedef struct bench_peer {
    bool ran;
    double median_s;
    long long tokens;
    char version[160];
    char error[200];
} bench_peer;

typedef struct bench_row {
    const char *name;
    bool ok;
    long long tokens;          /* ours */
    double one_s, batch_s;     /* medians */
    bench_peer js, rust1, rustn;
} bench_row;

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double bench_median(double *runs, int n)
{
    qsort(runs, (size_t)n, sizeof *runs, bench_cmp);
    return runs[n / 2];
}

/* ---- the text ----------------------------------------------------------- */

static uint64_t bench_rng = 1;

static uint32_t bench_rand(void)
{
    bench_rng = bench_rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(bench_rng >> 33);
}

static size_t bench_pick(size_t n)
{
    return (size_t)bench_rand() % n;
}

/* Zipf-like: low indexes (the common words) far more often. */
static size_t bench_pick_skewed(size_t n)
{
    double r = (double)bench_rand() / 2147483648.0;
    return (size_t)(r * r * r * (double)n) % n;
}

static bool bench_put(bench_text *t, const char *s, size_t len)
{
    if (t->len + len + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1u << 20;
        while (cap < t->len + len + 1)
            cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p)
            return false;
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, len);
    t->len += len;
    t->data[t->len] = '\0';
    return true;
}

static bool bench_puts(bench_text *t, const char *s)
{
    return bench_put(t, s, strlen(s));
}

static const char *const bench_words[] = {
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had",
    "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if",
    "more", "when", "will", "would", "who", "so", "no", "she", "other", "its", "may", "these",
    "about", "some", "time", "them", "could", "into", "than", "only", "new", "people", "first",
    "after", "also", "most", "any", "over", "such", "through", "between", "under", "however",
    "license", "software", "distribution", "copyright", "permission", "conditions", "warranty",
    "model", "tokenizer", "network", "language", "attention", "training", "sequence", "vocabulary",
    "government", "development", "university", "information", "important", "international",
    "nevertheless", "understanding", "responsibility", "characteristics", "implementation",
    "unbelievably", "photosynthesis", "counterintuitive", "misunderstanding", "électricité",
    "naïve", "résumé", "café", "Zürich", "García", "Dvořák", "Kraków", "Hugging", "Face", "GPT-2",
    "BERT", "don't", "it's", "we're", "they've", "I'll", "she'd", "1,024", "3.14", "2026", "42%",
    "$19.99", "e-mail", "well-known", "state-of-the-art", "(see", "below)", "\"quoted\"", "etc.",
};

static const char *const bench_code[] = {
    "#include <stdio.h>\n#include <stdlib.h>\n\n",
    "static int parse_header(const char *buf, size_t len, struct header *out)\n{\n",
    "    for (size_t i = 0; i < len; i++) {\n        if (buf[i] == '\\n')\n            lines++;\n    }\n",
    "    if (!ptr) {\n        fprintf(stderr, \"out of memory: %zu bytes\\n\", size);\n        return -1;\n    }\n",
    "    return (x << 3) ^ (y >> 2) | mask[idx & 0xff];\n}\n\n",
    "def tokenize(self, text: str, max_length: int = 512) -> list[int]:\n",
    "    \"\"\"Split text into tokens and map them to ids.\"\"\"\n",
    "    ids = [self.vocab.get(t, self.unk_id) for t in text.split()]\n    return ids[:max_length]\n\n",
    "class Encoder(nn.Module):\n    def __init__(self, d_model=768, n_heads=12):\n        super().__init__()\n",
    "        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=0.1)\n",
    "const result = await fetch(`${baseUrl}/api/v1/items?limit=${limit}`);\n",
    "export function merge(a, b) { return { ...a, ...b, updatedAt: Date.now() }; }\n",
    "fn main() -> Result<(), Box<dyn std::error::Error>> {\n    let v: Vec<u32> = (0..10).collect();\n",
    "SELECT id, name, COUNT(*) AS n FROM users WHERE created_at > '2024-01-01' GROUP BY id;\n",
    "{\"model\": {\"type\": \"BPE\", \"dropout\": null, \"vocab\": {\"hello\": 0, \"world\": 1}}}\n",
    "<div class=\"container\"><a href=\"https://example.com/path?q=1&amp;r=2\">link</a></div>\n",
    "    x_train, x_test = train_test_split(data, test_size=0.2, random_state=42)\n",
    "if [[ -f \"$config\" ]]; then\n  source \"$config\"\nfi\n",
    "\tmatrix[i][j] += alpha * a[i][k] * b[k][j];  // inner loop\n",
    "    assert_eq!(tokens.len(), 17, \"unexpected length: {:?}\", tokens);\n",
};

static const char *const bench_intl[] = {
    "Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung aller staatlichen Gewalt. ",
    "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience. ",
    "Todos los seres humanos nacen libres e iguales en dignidad y derechos, y dotados como están de razón y conciencia. ",
    "Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью. ",
    "Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα δικαιώματα. ",
    "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。",
    "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。",
    "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다. 인간은 천부적으로 이성과 양심을 부여받았으며 ",
    "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء. ",
    "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता प्राप्त है। ",
    "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ ",
    "כל בני האדם נולדו בני חורין ושווים בערכם ובזכויותיהם. כולם חוננו בתבונה ובמצפון. ",
    "Nice work 👍🏽 — see you at the café ☕️ 🇫🇷 👨‍👩‍👧‍👦 ",
};

static bool bench_sentence(bench_text *t)
{
    size_t n = 6 + bench_pick(18);
    for (size_t i = 0; i < n; i++) {
        const char *w = bench_words[bench_pick_skewed(sizeof bench_words / sizeof *bench_words)];
        char buf[64];
        snprintf(buf, sizeof buf, "%s", w);
        if (i == 0 && buf[0] >= 'a' && buf[0] <= 'z')
            buf[0] = (char)(buf[0] - 'a' + 'A');
        if (i && !bench_puts(t, " "))
            return false;
        if (!bench_puts(t, buf))
            return false;
        if (i + 1 < n && bench_pick(9) == 0 && !bench_puts(t, ","))
            return false;
    }
    static const char *const ends[] = {". ", ". ", ". ", "? ", "! ", "; "};
    return bench_puts(t, ends[bench_pick(6)]);
}

static bool bench_make_text(bench_text *t, size_t target)
{
    while (t->len < target) {
        unsigned k = bench_pick(100);
        if (k < 65) {
            size_t n = 3 + bench_pick(6);
            for (size_t i = 0; i < n; i++)
                if (!bench_sentence(t))
                    return false;
        } else if (k < 85) {
            size_t n = 2 + bench_pick(6);
            for (size_t i = 0; i < n; i++)
                if (!bench_puts(t, bench_code[bench_pick(sizeof bench_code / sizeof *bench_code)]))
                    return false;
        } else {
            size_t n = 1 + bench_pick(4);
            for (size_t i = 0; i < n; i++)
                if (!bench_puts(t, bench_intl[bench_pick(sizeof bench_intl / sizeof *bench_intl)]))
                    return false;
        }
        if (!bench_puts(t, bench_pick(3) ? "\n\n" : "\n"))
            return false;
    }
    return true;
}

/* Chunks of about BENCH_CHUNK bytes: up to the first newline past it, or cut
 * at 2 x BENCH_CHUNK on a UTF-8 boundary when a line is longer. */
static bool bench_chunk(bench_text *t)
{
    size_t cap = t->len / BENCH_CHUNK + 2;
    t->texts = malloc(cap * sizeof *t->texts);
    t->lens = malloc(cap * sizeof *t->lens);
    if (!t->texts || !t->lens)
        return false;
    size_t pos = 0;
    while (pos < t->len) {
        size_t end = pos + BENCH_CHUNK;
        if (end >= t->len) {
            end = t->len;
        } else {
            const char *nl = memchr(t->data + end, '\n', t->len - end);
            size_t limit = pos + 2 * BENCH_CHUNK < t->len ? pos + 2 * BENCH_CHUNK : t->len;
            if (nl && (size_t)(nl - t->data) < limit) {
                end = (size_t)(nl - t->data) + 1;
            } else {
                end = limit;
                while (end < t->len && ((unsigned char)t->data[end] & 0xC0) == 0x80)
                    end++;
            }
        }
        if (t->n == cap) {
            cap *= 2;
            const char **tx = realloc(t->texts, cap * sizeof *tx);
            size_t *ln = tx ? realloc(t->lens, cap * sizeof *ln) : NULL;
            if (tx)
                t->texts = tx;
            if (!ln)
                return false;
            t->lens = ln;
        }
        t->texts[t->n] = t->data + pos;
        t->lens[t->n] = end - pos;
        t->n++;
        pos = end;
    }
    return true;
}

/* One JSON string per chunk, for the node peers. */
static bool bench_write_chunks(const bench_text *t, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        fputc('"', f);
        for (size_t k = 0; k < t->lens[i]; k++) {
            unsigned char c = (unsigned char)t->texts[i][k];
            if (c == '"' || c == '\\')
                fprintf(f, "\\%c", c);
            else if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
        fputs("\"\n", f);
    }
    return fclose(f) == 0;
}

/* ---- ours --------------------------------------------------------------- */

static bool bench_ours_one(const ia_tokenizer *tok, const bench_text *t, long long *tokens)
{
    long long n = 0;
    for (size_t i = 0; i < t->n; i++) {
        ia_encoding enc;
        ia_error err;
        if (ia_tokenizer_encode(tok, t->texts[i], t->lens[i], NULL, 0, true, &enc, &err) != IA_OK) {
            fprintf(stderr, "bench_tokenizer: chunk %zu: %s\n", i, err.message);
            return false;
        }
        n += (long long)enc.n;
        ia_encoding_free(&enc);
    }
    *tokens = n;
    return true;
}

static bool bench_ours_batch(const ia_tokenizer *tok, const bench_text *t, unsigned threads,
                             ia_encoding *out, long long *tokens)
{
    ia_error err;
    if (ia_tokenizer_encode_batch(tok, t->n, t->texts, t->lens, NULL, NULL, true, threads, out,
                                  &err) != IA_OK) {
        fprintf(stderr, "bench_tokenizer: batch: %s\n", err.message);
        return false;
    }
    long long n = 0;
    for (size_t i = 0; i < t->n; i++) {
        n += (long long)out[i].n;
        ia_encoding_free(&out[i]);
    }
    *tokens = n;
    return true;
}

/* ---- peers -------------------------------------------------------------- */

/* The number after "key": in a flat JSON line, or -1. */
static double bench_json_number(const char *line, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    return p ? strtod(p + strlen(pat), NULL) : -1;
}

static void bench_json_string(const char *line, const char *key, char *out, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(line, pat);
    size_t n = 0;
    if (p) {
        p += strlen(pat);
        while (*p && *p != '"' && n + 1 < size) {
            if (*p == '\\' && p[1]) {
                p++;
                out[n++] = (*p == 'n' || *p == 't' || *p == 'r') ? ' ' : *p;
                p++;
                continue;
            }
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

/* Copies src into dst (size bytes), cut to fit, always terminated. */
static void bench_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool bench_safe_path(const char *s)
{
    return s && !strchr(s, '\'');
}

static void bench_run_peer(bench_peer *peer, const char *node, const char *script, const char *impl,
                           unsigned threads, const char *tokenizer, const char *chunks, int warmup,
                           int reps)
{
    memset(peer, 0, sizeof *peer);
    if (!bench_safe_path(node) || !bench_safe_path(script) || !bench_safe_path(tokenizer) ||
        !bench_safe_path(chunks)) {
        snprintf(peer->error, sizeof peer->error, "a path holds a single quote");
        return;
    }
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' '%s' --impl %s --threads %u --tokenizer '%s' --chunks '%s' --warmup %d "
             "--reps %d 2>&1",
             node, script, impl, threads, tokenizer, chunks, warmup, reps);
    FILE *p = popen(cmd, "r");
    if (!p) {
        snprintf(peer->error, sizeof peer->error, "could not start %s", node);
        return;
    }
    static char line[1 << 16];
    char last[512] = "";
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "{\"impl\"", 7) == 0) {
            bench_json_string(line, "version", peer->version, sizeof peer->version);
            if (strstr(line, "\"supported\":true")) {
                peer->ran = true;
                peer->tokens = (long long)bench_json_number(line, "tokens");
                peer->median_s = bench_json_number(line, "median_s");
            } else {
                bench_json_string(line, "error", peer->error, sizeof peer->error);
            }
        } else {
            bench_copy(last, sizeof last, line);
        }
    }
    int rc = pclose(p);
    if (!peer->ran && !peer->error[0]) {
        last[strcspn(last, "\n")] = '\0';
        char code[32];
        snprintf(code, sizeof code, " (exit %d)", WIFEXITED(rc) ? WEXITSTATUS(rc) : rc);
        bench_copy(peer->error, sizeof peer->error - strlen(code), last[0] ? last : "no output");
        strcat(peer->error, code);
    }
}

/* ---- main --------------------------------------------------------------- */

static void bench_usage(FILE *f)
{
    fputs("Usage: bench_tokenizer [--mb 4] [--seed 1] [--text FILE] [--reps 5] [--warmup 1]\n"
          "                       [--threads 2] [--only NAME[,NAME]] [--no-peers] [--json]\n"
          "\n"
          "Encode throughput of the four fixture tokenizers on a ~1 KB-chunked text: ours on one\n"
          "thread and batched on --threads, transformers.js's tokenizer and the Rust tokenizers\n"
          "library (node) on the same chunks. Median of --reps runs after --warmup runs.\n"
          "Environment: IA_FIXTURES, IA_NODE (node binary), IA_NODE_MODULES.\n",
          f);
}

static char *bench_dirname_of_source(void)
{
    /* CMake compiles with the absolute source path, so __FILE__ finds the
     * checkout: bench/ -> its parent. */
    char *s = strdup(__FILE__);
    if (!s)
        return NULL;
    char *slash = strrchr(s, '/');
    if (!slash) {
        free(s);
        return strdup(".");
    }
    *slash = '\0';
    return s;
}

static void bench_rate(char *buf, size_t size, double v, bool ok)
{
    if (!ok || v <= 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.2f", v);
}

int main(int argc, char **argv)
{
    double mb = 4;
    unsigned long seed = 1;
    int reps = 5, warmup = 1;
    unsigned threads = 2;
    bool json = false, peers = true;
    const char *text_file = NULL, *only = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const bool has = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            bench_usage(stdout);
            return 0;
        } else if (strcmp(a, "--mb") == 0 && has) {
            mb = atof(argv[++i]);
        } else if (strcmp(a, "--seed") == 0 && has) {
            seed = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(a, "--text") == 0 && has) {
            text_file = argv[++i];
        } else if (strcmp(a, "--reps") == 0 && has) {
            reps = atoi(argv[++i]);
        } else if (strcmp(a, "--warmup") == 0 && has) {
            warmup = atoi(argv[++i]);
        } else if (strcmp(a, "--threads") == 0 && has) {
            threads = (unsigned)atoi(argv[++i]);
        } else if (strcmp(a, "--only") == 0 && has) {
            only = argv[++i];
        } else if (strcmp(a, "--no-peers") == 0) {
            peers = false;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else {
            fprintf(stderr, "bench_tokenizer: unknown or incomplete option '%s'\n", a);
            bench_usage(stderr);
            return 2;
        }
    }
    if (mb <= 0 || mb > 1024 || reps < 1 || reps > BENCH_MAX_REPS || warmup < 0 || threads < 1) {
        fprintf(stderr, "bench_tokenizer: --mb in (0, 1024], --reps in [1, %d], --warmup >= 0, "
                        "--threads >= 1\n", BENCH_MAX_REPS);
        return 2;
    }

    char *srcdir = bench_dirname_of_source();
    if (!srcdir)
        return 1;
    char fixtures[4096], script[4096];
    const char *env_fix = getenv("IA_FIXTURES");
    if (env_fix && *env_fix)
        snprintf(fixtures, sizeof fixtures, "%s/tokenizers", env_fix);
    else
        snprintf(fixtures, sizeof fixtures, "%s/../tests/fixtures/tokenizers", srcdir);
    snprintf(script, sizeof script, "%s/tokenizer_peer.js", srcdir);
    free(srcdir);
    const char *node = getenv("IA_NODE");
    if (!node || !*node)
        node = "node";

    /* the text and its chunks */
    bench_text t = {0};
    ia_error err;
    if (text_file) {
        char *data;
        size_t len;
        if (ia_file_read_all(text_file, (size_t)1 << 30, &data, &len, &err) != IA_OK) {
            fprintf(stderr, "bench_tokenizer: %s\n", err.message);
            return 1;
        }
        t.data = data;
        t.len = t.cap = len;
    } else {
        bench_rng = seed * 2654435761u + 1;
        if (!bench_make_text(&t, (size_t)(mb * 1e6))) {
            fprintf(stderr, "bench_tokenizer: out of memory making the text\n");
            return 1;
        }
    }
    if (!bench_chunk(&t)) {
        fprintf(stderr, "bench_tokenizer: out of memory\n");
        return 1;
    }
    char dir[] = "/tmp/bench_tokenizer.XXXXXX";
    char chunks[256];
    if (!mkdtemp(dir)) {
        perror("bench_tokenizer: mkdtemp");
        return 1;
    }
    snprintf(chunks, sizeof chunks, "%s/chunks.jsonl", dir);
    if (!bench_write_chunks(&t, chunks)) {
        fprintf(stderr, "bench_tokenizer: cannot write %s\n", chunks);
        return 1;
    }

    ia_encoding *batch_out = calloc(t.n, sizeof *batch_out);
    if (!batch_out)
        return 1;
    bench_row rows[BENCH_N_TOK];
    int n_rows = 0, failed = 0;
    for (int k = 0; k < BENCH_N_TOK; k++) {
        if (only && !strstr(only, bench_names[k]))
            continue;
        bench_row *r = &rows[n_rows++];
        memset(r, 0, sizeof *r);
        r->name = bench_names[k];
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.json", fixtures, r->name);
        ia_tokenizer *tok = NULL;
        if (ia_tokenizer_load(path, &tok, &err) != IA_OK) {
            fprintf(stderr, "bench_tokenizer: %s\n", err.message);
            failed = 1;
            continue;
        }
        if (!json)
            fprintf(stderr, "bench_tokenizer: %s ...\n", r->name);
        double runs[BENCH_MAX_REPS];
        bool ok = true;
        long long tokens = 0, tokens_b = 0;
        for (int i = 0; i < warmup && ok; i++)
            ok = bench_ours_one(tok, &t, &tokens);
        for (int i = 0; i < reps && ok; i++) {
            double t0 = bench_now();
            ok = bench_ours_one(tok, &t, &tokens);
            runs[i] = bench_now() - t0;
        }
        if (ok)
            r->one_s = bench_median(runs, reps);
        for (int i = 0; i < warmup && ok; i++)
            ok = bench_ours_batch(tok, &t, threads, batch_out, &tokens_b);
        for (int i = 0; i < reps && ok; i++) {
            double t0 = bench_now();
            ok = bench_ours_batch(tok, &t, threads, batch_out, &tokens_b);
            runs[i] = bench_now() - t0;
        }
        if (ok)
            r->batch_s = bench_median(runs, reps);
        ia_tokenizer_free(tok);
        if (ok && tokens != tokens_b) {
            fprintf(stderr, "bench_tokenizer: %s: one at a time gave %lld tokens, the batch %lld\n",
                    r->name, tokens, tokens_b);
            ok = false;
        }
        r->ok = ok;
        r->tokens = tokens;
        if (!ok) {
            failed = 1;
            continue;
        }
        if (peers) {
            bench_run_peer(&r->js, node, script, "js", 1, path, chunks, warmup, reps);
            bench_run_peer(&r->rust1, node, script, "rust", 1, path, chunks, warmup, reps);
            bench_run_peer(&r->rustn, node, script, "rust", threads, path, chunks, warmup, reps);
            if (r->rust1.ran && r->rust1.tokens != r->tokens) {
                fprintf(stderr, "bench_tokenizer: %s: ours gave %lld tokens, the Rust library %lld\n",
                        r->name, r->tokens, r->rust1.tokens);
                failed = 1;
            }
        }
    }
    unlink(chunks);
    rmdir(dir);
    free(batch_out);

    const double mbytes = (double)t.len / 1e6;
    if (json) {
        printf("{\"bench\": \"tokenizer\", \"bytes\": %zu, \"chunks\": %zu, \"threads\": %u, "
               "\"reps\": %d, \"rows\": [",
               t.len, t.n, threads, reps);
        for (int i = 0; i < n_rows; i++) {
            const bench_row *r = &rows[i];
            printf("%s\n  {\"name\": \"%s\", \"ok\": %s, \"tokens\": %lld, \"ours_1t_s\": %.6f, "
                   "\"ours_batch_s\": %.6f",
                   i ? "," : "", r->name, r->ok ? "true" : "false", r->tokens, r->one_s,
                   r->batch_s);
            const bench_peer *ps[] = {&r->js, &r->rust1, &r->rustn};
            const char *keys[] = {"transformers_js", "rust_1t", "rust_batch"};
            for (int p = 0; p < 3; p++)
                if (ps[p]->ran)
                    printf(", \"%s_s\": %.6f, \"%s_tokens\": %lld", keys[p], ps[p]->median_s,
                           keys[p], ps[p]->tokens);
            printf("}");
        }
        printf("\n]}\n");
    } else {
        printf("tokenizer encode, %.2f MB in %zu chunks of ~1 KB, special tokens on; median of %d "
               "runs after %d warm-up\n\n",
               mbytes, t.n, reps, warmup);
        printf("%-14s %9s | %7s %7s | %7s | %7s %6s %6s | %7s %6s | %7s %6s\n", "", "tokens",
               "ours 1T", "", "ours", "tf.js", "ours/", "tokens", "Rust 1T", "ours/", "Rust", "ours/");
        printf("%-14s %9s | %7s %7s | %7s | %7s %6s %6s | %7s %6s | %7s %6s\n", "tokenizer", "(ours)",
               "MB/s", "Mtok/s", "batch", "MB/s", "tf.js", "differ", "MB/s", "Rust", "batch", "Rust");
        for (int i = 0; i < n_rows; i++) {
            const bench_row *r = &rows[i];
            char o1[32], otk[32], ob[32], js[32], rjs[32], jd[32], r1[32], rr1[32], rn[32], rrn[32];
            bench_rate(o1, sizeof o1, r->one_s > 0 ? mbytes / r->one_s : 0, r->ok);
            bench_rate(otk, sizeof otk, r->one_s > 0 ? (double)r->tokens / r->one_s / 1e6 : 0, r->ok);
            bench_rate(ob, sizeof ob, r->batch_s > 0 ? mbytes / r->batch_s : 0, r->ok);
            bench_rate(js, sizeof js, r->js.median_s > 0 ? mbytes / r->js.median_s : 0, r->js.ran);
            bench_rate(rjs, sizeof rjs, r->one_s > 0 ? r->js.median_s / r->one_s : 0, r->js.ran && r->ok);
            if (r->js.ran)
                snprintf(jd, sizeof jd, "%+.2f%%", r->tokens ? 100.0 * (double)(r->js.tokens - r->tokens) / (double)r->tokens : 0.0);
            else
                snprintf(jd, sizeof jd, "-");
            bench_rate(r1, sizeof r1, r->rust1.median_s > 0 ? mbytes / r->rust1.median_s : 0, r->rust1.ran);
            bench_rate(rr1, sizeof rr1, r->one_s > 0 ? r->rust1.median_s / r->one_s : 0, r->rust1.ran && r->ok);
            bench_rate(rn, sizeof rn, r->rustn.median_s > 0 ? mbytes / r->rustn.median_s : 0, r->rustn.ran);
            bench_rate(rrn, sizeof rrn, r->batch_s > 0 ? r->rustn.median_s / r->batch_s : 0, r->rustn.ran && r->ok);
            printf("%-14s %9lld | %7s %7s | %7s | %7s %6s %6s | %7s %6s | %7s %6s\n", r->name,
                   r->tokens, o1, otk, ob, js, rjs, jd, r1, rr1, rn, rrn);
        }
        printf("\nours 1T: ia_tokenizer_encode per chunk; ours batch: ia_tokenizer_encode_batch on %u "
               "threads.\n", threads);
        printf("tf.js: transformers.js's tokenizer, one encode per chunk (node, one thread); "
               "\"differ\": its token count against ours.\n");
        printf("Rust 1T / Rust batch: tokenizers (Rust) encodeBatch on 1 / %u threads, through its "
               "node binding.\n", threads);
        bool rust_ran = false;
        for (int i = 0; i < n_rows; i++)
            rust_ran |= rows[i].rust1.ran;
        printf("ours/X: X's median time over ours (above 1: ours is faster).%s\n",
               !rust_ran ? "" : failed ? " Ours and Rust do NOT agree in token count everywhere: see stderr."
                                       : " Ours and Rust agree in token count.");
        bool said = false;
        for (int i = 0; i < n_rows && peers; i++) {
            const bench_peer *ps[] = {&rows[i].js, &rows[i].rust1, &rows[i].rustn};
            for (int p = 0; p < 3; p++) {
                if (!ps[p]->ran && rows[i].ok && ps[p]->error[0]) {
                    printf("%s: a peer did not run: %s\n", rows[i].name, ps[p]->error);
                    said = true;
                }
            }
        }
        for (int i = 0; i < n_rows && !said; i++) {
            if (rows[i].js.ran) {
                printf("peers: %s; %s\n", rows[i].js.version, rows[i].rust1.version);
                break;
            }
        }
        if (!peers)
            printf("peers: not run (--no-peers)\n");
    }
    free(t.data);
    free(t.texts);
    free(t.lens);
    return failed;
}
