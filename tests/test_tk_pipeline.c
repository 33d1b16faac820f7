/* The whole tokenizer against Hugging Face: every row of the fixtures'
 * cases.json (ids, tokens, character offsets, decoding) for the four
 * tokenizers, pairs and the pipeline's settings, the legacy vocabulary
 * files, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "ipfs_accelerate/tokenizer.h"

static const char *const names[] = {"wordpiece", "bytelevel_bpe", "llama_bpe", "unigram"};

static char *fixture_path(const char *rel)
{
    const char *root = getenv("IA_FIXTURES");
    assert_non_null(root);
    size_t n = strlen(root) + strlen(rel) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", root, rel);
    return p;
}

static ia_tokenizer *load_fixture(const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, "tokenizers/%s.json", name);
    char *path = fixture_path(rel);
    ia_tokenizer *tok = NULL;
    ia_error err = {0};
    ia_status st = ia_tokenizer_load(path, &tok, &err);
    if (st != IA_OK)
        fail_msg("%s: %s", path, err.message);
    free(path);
    return tok;
}

static cJSON *load_cases(void)
{
    char *path = fixture_path("tokenizers/cases.json");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    cJSON *root = cJSON_Parse(data);
    assert_non_null(root);
    free(data);
    free(path);
    return root;
}

static void check_case(const ia_tokenizer *tok, const char *name, size_t row, const cJSON *c)
{
    const char *text = cJSON_GetObjectItem(c, "text")->valuestring;
    const cJSON *ids = cJSON_GetObjectItem(c, "ids");
    const cJSON *tokens = cJSON_GetObjectItem(c, "tokens");
    const cJSON *offsets = cJSON_GetObjectItem(c, "offsets");
    const char *decoded = cJSON_GetObjectItem(c, "decoded")->valuestring;

    ia_encoding e;
    ia_error err = {0};
    ia_status st = ia_tokenizer_encode(tok, text, strlen(text), NULL, 0, true, &e, &err);
    if (st != IA_OK)
        fail_msg("%s row %zu: %s", name, row, err.message);
    ia_encoding_char_offsets(&e, text, strlen(text), NULL, 0);
    size_t n = (size_t)cJSON_GetArraySize(ids);
    if (e.n != n)
        fail_msg("%s row %zu (%s): %zu tokens, expected %zu", name, row, text, e.n, n);
    for (size_t i = 0; i < n; i++) {
        int id = cJSON_GetArrayItem(ids, (int)i)->valueint;
        const char *t = cJSON_GetArrayItem(tokens, (int)i)->valuestring;
        const cJSON *o = cJSON_GetArrayItem(offsets, (int)i);
        unsigned b = (unsigned)cJSON_GetArrayItem(o, 0)->valueint;
        unsigned en = (unsigned)cJSON_GetArrayItem(o, 1)->valueint;
        if (e.ids[i] != id || strcmp(e.tokens[i], t) != 0 || e.offsets[i].begin != b ||
            e.offsets[i].end != en)
            fail_msg("%s row %zu (%s) token %zu: got %d '%s' (%u, %u), expected %d '%s' (%u, "
                     "%u)",
                     name, row, text, i, e.ids[i], e.tokens[i], e.offsets[i].begin,
                     e.offsets[i].end, id, t, b, en);
    }
    char *out = NULL;
    size_t out_len = 0;
    st = ia_tokenizer_decode(tok, e.ids, e.n, true, &out, &out_len, &err);
    if (st != IA_OK)
        fail_msg("%s row %zu decode: %s", name, row, err.message);
    if (strcmp(out, decoded) != 0)
        fail_msg("%s row %zu decode: got '%s', expected '%s'", name, row, out, decoded);
    assert_int_equal(out_len, strlen(out));
    free(out);
    ia_encoding_free(&e);
}

static void test_fixture_cases(void **state)
{
    (void)state;
    cJSON *cases = load_cases();
    size_t total = 0;
    for (size_t k = 0; k < 4; k++) {
        ia_tokenizer *tok = load_fixture(names[k]);
        const cJSON *rows = cJSON_GetObjectItem(cases, names[k]);
        assert_true(cJSON_GetArraySize(rows) >= 19);
        size_t row = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, rows) {
            check_case(tok, names[k], row++, c);
            total++;
        }
        ia_tokenizer_free(tok);
    }
    assert_int_equal(total, 76);
    cJSON_Delete(cases);
}

/* The batch gives what one-by-one encoding gives, on several threads. */
static void test_batch_equals_single(void **state)
{
    (void)state;
    cJSON *cases = load_cases();
    for (size_t k = 0; k < 4; k++) {
        ia_tokenizer *tok = load_fixture(names[k]);
        const cJSON *rows = cJSON_GetObjectItem(cases, names[k]);
        size_t n = (size_t)cJSON_GetArraySize(rows);
        const char **texts = calloc(n, sizeof *texts);
        size_t *lens = calloc(n, sizeof *lens);
        for (size_t i = 0; i < n; i++) {
            texts[i] = cJSON_GetObjectItem(cJSON_GetArrayItem(rows, (int)i), "text")->valuestring;
            lens[i] = strlen(texts[i]);
        }
        ia_encoding *out = calloc(n, sizeof *out);
        ia_error err = {0};
        assert_int_equal(ia_tokenizer_encode_batch(tok, n, texts, lens, NULL, NULL, true, 3,
                                                   out, &err),
                         IA_OK);
        for (size_t i = 0; i < n; i++) {
            ia_encoding one;
            assert_int_equal(
                ia_tokenizer_encode(tok, texts[i], lens[i], NULL, 0, true, &one, &err), IA_OK);
            assert_int_equal(one.n, out[i].n);
            assert_memory_equal(one.ids, out[i].ids, one.n * sizeof *one.ids);
            assert_memory_equal(one.offsets, out[i].offsets, one.n * sizeof *one.offsets);
            ia_encoding_free(&one);
            ia_encoding_free(&out[i]);
        }
        free(out);
        free(texts);
        free(lens);
        ia_tokenizer_free(tok);
    }
    cJSON_Delete(cases);
}

/* Pairs, truncation and padding on the Llama-style tokenizer, whose pair
 * template adds no special token; expected values from the Rust tokenizers
 * 0.23.2 (node binding) with the same settings. */
static void test_pair_truncation_padding(void **state)
{
    (void)state;
    ia_tokenizer *tok = load_fixture("llama_bpe");
    ia_encoding e;
    ia_error err = {0};
    const char *a = "Hello, world!", *b = "The quick brown fox";
    static const int32_t pair_ids[] = {399, 298, 485, 532, 486, 345, 484, 334, 326, 259, 1030,
                                       580, 542, 333, 641, 509, 345, 336, 606, 337, 346};
    assert_int_equal(ia_tokenizer_encode(tok, a, strlen(a), b, strlen(b), true, &e, &err),
                     IA_OK);
    assert_int_equal(e.n, 21);
    assert_memory_equal(e.ids, pair_ids, sizeof pair_ids);
    for (size_t i = 0; i < e.n; i++) {
        assert_int_equal(e.type_ids[i], i < 10 ? 0 : 1);
        assert_int_equal(e.special_tokens_mask[i], 0);
    }
    ia_encoding_free(&e);

    ia_truncation t = {.enabled = true, .max_length = 8, .strategy = IA_TRUNCATE_LONGEST_FIRST};
    assert_int_equal(ia_tokenizer_set_truncation(tok, &t, &err), IA_OK);
    ia_padding p = {.enabled = true, .to_longest = false, .length = 12, .pad_id = 0,
                    .pad_token = "<unk>"};
    assert_int_equal(ia_tokenizer_set_padding(tok, &p, &err), IA_OK);
    assert_int_equal(ia_tokenizer_encode(tok, a, strlen(a), b, strlen(b), true, &e, &err),
                     IA_OK);
    static const int32_t ids[] = {399, 298, 485, 532, 1030, 580, 542, 333, 0, 0, 0, 0};
    static const char *const tokens[] = {"\xe2\x96\x81", "H", "el", "lo",
                                         "\xe2\x96\x81The\xe2\x96\x81", "qu", "ic", "k",
                                         "<unk>", "<unk>", "<unk>", "<unk>"};
    static const uint32_t offsets[][2] = {{0, 1}, {0, 1}, {1, 3}, {3, 5}, {0, 4}, {4, 6},
                                          {6, 8}, {8, 9}, {0, 0}, {0, 0}, {0, 0}, {0, 0}};
    assert_int_equal(e.n, 12);
    assert_memory_equal(e.ids, ids, sizeof ids);
    for (size_t i = 0; i < 12; i++) {
        assert_string_equal(e.tokens[i], tokens[i]);
        assert_int_equal(e.attention_mask[i], i < 8);
        assert_int_equal(e.type_ids[i], i >= 4 && i < 8);
        assert_int_equal(e.word_ids[i], i < 8 ? 0 : -1);
        assert_int_equal(e.offsets[i].begin, offsets[i][0]);
        assert_int_equal(e.offsets[i].end, offsets[i][1]);
    }
    ia_encoding_free(&e);

    /* A stride not less than max_length is refused. */
    t.stride = 8;
    assert_int_equal(ia_tokenizer_set_truncation(tok, &t, &err), IA_ERR_INVALID);
    ia_tokenizer_free(tok);
}

/* One window of an expected encoding tree, in pre-order: depth, the
 * tokens (ids, type ids, character offsets, attention, special, sequence
 * and word ids; -1 for None) and how many overflowing windows follow. */
typedef struct window {
    int depth;
    size_t n;
    int32_t ids[8];
    uint32_t types[8];
    uint32_t offsets[8][2];
    uint8_t attention[8], special[8];
    int8_t seq[8];
    int32_t words[8];
    size_t n_over;
} window;

static void check_windows(const ia_encoding *e, int depth, const window *want, size_t n_want,
                          size_t *k)
{
    assert_true(*k < n_want);
    const window *w = &want[(*k)++];
    print_message("window %zu (depth %d)\n", *k - 1, depth);
    assert_int_equal(w->depth, depth);
    assert_int_equal(e->n, w->n);
    for (size_t i = 0; i < e->n; i++) {
        assert_int_equal(e->ids[i], w->ids[i]);
        assert_int_equal(e->type_ids[i], w->types[i]);
        assert_int_equal(e->offsets[i].begin, w->offsets[i][0]);
        assert_int_equal(e->offsets[i].end, w->offsets[i][1]);
        assert_int_equal(e->attention_mask[i], w->attention[i]);
        assert_int_equal(e->special_tokens_mask[i], w->special[i]);
        assert_int_equal(e->sequence_ids[i], w->seq[i]);
        assert_int_equal(e->word_ids[i], w->words[i]);
    }
    assert_int_equal(e->n_overflowing, w->n_over);
    for (size_t i = 0; i < e->n_overflowing; i++)
        check_windows(&e->overflowing[i], depth + 1, want, n_want, k);
}

/* The overflowing windows of a truncated pair (fuzz input ff 01 00 21 ff
 * c3 94: Unigram, "!" with "\xc3\x94", max_length 1, padding to a multiple
 * of 8): the Rust library's cross product of the two sequences' windows,
 * nested as it nests them, with offsets in characters in every window.
 * Expected values from the Rust tokenizers 0.23.2 (node binding). */
static void test_overflowing_pair_windows(void **state)
{
    (void)state;
    ia_tokenizer *tok = load_fixture("unigram");
    ia_error err = {0};
    ia_truncation t = {.enabled = true, .max_length = 1, .strategy = IA_TRUNCATE_LONGEST_FIRST};
    assert_int_equal(ia_tokenizer_set_truncation(tok, &t, &err), IA_OK);
    ia_padding p = {.enabled = true, .to_longest = true, .multiple_of = 8, .pad_id = 0,
                    .pad_token = "[PAD]"};
    assert_int_equal(ia_tokenizer_set_padding(tok, &p, &err), IA_OK);
    const char *a = "!", *b = "\xc3\x94";
    ia_encoding e;
    assert_int_equal(ia_tokenizer_encode(tok, a, strlen(a), b, strlen(b), true, &e, &err),
                     IA_OK);
    ia_encoding_char_offsets(&e, a, strlen(a), b, strlen(b));
#define PADS5 -1, -1, -1, -1, -1
    /* "_ ! _" (the text, then the pair's first window) and "_ ! O" */
    const window three[2] = {
        {.depth = 1, .n = 8, .ids = {3, 498, 3}, .types = {0, 0, 1}, .offsets = {{0, 1}, {0, 1}, {0, 1}},
         .attention = {1, 1, 1}, .special = {0, 0, 0, 1, 1, 1, 1, 1}, .seq = {0},
         .words = {0, 0, 0, PADS5}, .n_over = 1},
        {.depth = 2, .n = 8, .ids = {3, 498, 2}, .types = {0, 0, 1}, .offsets = {{0, 1}, {0, 1}, {0, 1}},
         .attention = {1, 1, 1}, .special = {0, 0, 0, 1, 1, 1, 1, 1}, .seq = {0},
         .words = {0, 0, 0, PADS5}, .n_over = 0},
    };
    window want[6] = {
        {.depth = 0, .n = 8, .ids = {3}, .types = {1}, .offsets = {{0, 1}}, .attention = {1},
         .special = {0, 1, 1, 1, 1, 1, 1, 1}, .seq = {1, -1, -1, PADS5},
         .words = {0, -1, -1, PADS5}, .n_over = 3},
        three[0],
        three[1],
        three[1],
        {.depth = 1, .n = 8, .ids = {2}, .types = {1}, .offsets = {{0, 1}}, .attention = {1},
         .special = {0, 1, 1, 1, 1, 1, 1, 1}, .seq = {-1, -1, -1, PADS5},
         .words = {0, -1, -1, PADS5}, .n_over = 1},
        three[1],
    };
#undef PADS5
    want[3].depth = 1;
    want[5].depth = 2;
    size_t k = 0;
    check_windows(&e, 0, want, 6, &k);
    assert_int_equal(k, 6);
    ia_encoding_free(&e);
    ia_tokenizer_free(tok);
}

/* Truncation first tokenizes only the words that reach max_length (from
 * the end on the left) and keeps them whole; word ids count from the first
 * word kept. Expected values from the Rust tokenizers 0.23.2. */
static void test_truncation_keeps_words(void **state)
{
    (void)state;
    ia_error err = {0};
    ia_encoding e;
    ia_tokenizer *tok = load_fixture("unigram");
    ia_truncation t = {.enabled = true, .max_length = 2, .strategy = IA_TRUNCATE_LONGEST_FIRST};
    assert_int_equal(ia_tokenizer_set_truncation(tok, &t, &err), IA_OK);
    const char *text = "a b c d e f g h";
    assert_int_equal(ia_tokenizer_encode(tok, text, strlen(text), NULL, 0, true, &e, &err),
                     IA_OK);
    /* "_a" "_" then "b": the second word is kept whole, the rest dropped */
    assert_int_equal(e.n, 2);
    assert_int_equal(e.ids[0], 101);
    assert_int_equal(e.ids[1], 3);
    assert_int_equal(e.n_overflowing, 1);
    assert_int_equal(e.overflowing[0].n, 1);
    assert_int_equal(e.overflowing[0].ids[0], 29);
    assert_int_equal(e.overflowing[0].word_ids[0], 1);
    assert_int_equal(e.overflowing[0].n_overflowing, 0);
    ia_encoding_free(&e);
    ia_tokenizer_free(tok);

    tok = load_fixture("wordpiece");
    t = (ia_truncation){.enabled = true, .max_length = 3, .stride = 1, .left = true};
    assert_int_equal(ia_tokenizer_set_truncation(tok, &t, &err), IA_OK);
    text = "the of and to in is was";
    assert_int_equal(ia_tokenizer_encode(tok, text, strlen(text), NULL, 0, true, &e, &err),
                     IA_OK);
    static const int32_t ids[] = {347, 65, 274}, words[] = {0, 1, 1};
    static const uint32_t offsets[][2] = {{17, 19}, {20, 21}, {21, 23}};
    assert_int_equal(e.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(e.ids[i], ids[i]);
        assert_int_equal(e.word_ids[i], words[i]);
        assert_int_equal(e.offsets[i].begin, offsets[i][0]);
        assert_int_equal(e.offsets[i].end, offsets[i][1]);
    }
    assert_int_equal(e.n_overflowing, 0);
    ia_encoding_free(&e);
    ia_tokenizer_free(tok);
}

/* Special tokens inside text are split out before normalisation; with
 * skip_special_tokens they leave the decoding. */
static void test_special_tokens_in_text(void **state)
{
    (void)state;
    ia_tokenizer *tok = load_fixture("bytelevel_bpe");
    const char *text = "a<|endoftext|>b <|endoftext|><|endoftext|>";
    ia_encoding e;
    ia_error err = {0};
    assert_int_equal(ia_tokenizer_encode(tok, text, strlen(text), NULL, 0, true, &e, &err),
                     IA_OK);
    size_t specials = 0;
    for (size_t i = 0; i < e.n; i++)
        if (e.ids[i] == 0) {
            specials++;
            assert_string_equal(e.tokens[i], "<|endoftext|>");
            assert_int_equal(e.offsets[i].end - e.offsets[i].begin, 13);
        }
    assert_int_equal(specials, 3);
    char *out = NULL;
    assert_int_equal(ia_tokenizer_decode(tok, e.ids, e.n, true, &out, NULL, &err), IA_OK);
    assert_string_equal(out, "ab ");
    free(out);
    assert_int_equal(ia_tokenizer_decode(tok, e.ids, e.n, false, &out, NULL, &err), IA_OK);
    assert_string_equal(out, text);
    free(out);
    ia_encoding_free(&e);
    assert_int_equal(ia_tokenizer_token_to_id(tok, "<|endoftext|>"), 0);
    assert_string_equal(ia_tokenizer_id_to_token(tok, 0), "<|endoftext|>");
    assert_null(ia_tokenizer_id_to_token(tok, 1000000));
    assert_int_equal(ia_tokenizer_token_to_id(tok, "no such token at all"), -1);
    assert_int_equal(ia_tokenizer_vocab_size(tok), 1500);
    ia_tokenizer_free(tok);
}

/* Invalid UTF-8 is refused with its offset, never encoded by guesswork. */
/* A Unigram unknown piece keeps its text, U+0000 included: the token's
 * string goes on past the NUL and token_lens says how far (as Rust gives
 * ["\u2581a", "\u0000", "b"] for "a\0b"). */
static void test_token_holding_nul(void **state)
{
    (void)state;
    ia_tokenizer *tok = load_fixture("unigram");
    ia_encoding e = {0};
    ia_error err = {0};
    assert_int_equal(ia_tokenizer_encode(tok, "a\0b", 3, NULL, 0, false, &e, &err), IA_OK);
    assert_int_equal(e.n, 3);
    assert_int_equal(e.token_lens[0], 4);
    assert_memory_equal(e.tokens[0], "\xe2\x96\x81" "a", 4);
    assert_int_equal(e.token_lens[1], 1);
    assert_memory_equal(e.tokens[1], "\0", 1);
    assert_int_equal(e.token_lens[2], 1);
    assert_string_equal(e.tokens[2], "b");
    ia_encoding_free(&e);
    ia_tokenizer_free(tok);
}

/* The byte tokenizer of synthetic models: any text, one id below 256 per
 * byte, and decoding gives the text back. */
static void test_bytes_tokenizer(void **state)
{
    (void)state;
    char *json = NULL;
    size_t len = 0;
    ia_error err = {0};
    assert_int_equal(ia_tokenizer_bytes_json(&json, &len, &err), IA_OK);
    ia_tokenizer *tok = NULL;
    assert_int_equal(ia_tokenizer_load_json(json, len, "bytes", &tok, &err), IA_OK);
    free(json);
    assert_int_equal(ia_tokenizer_vocab_size(tok), 256);
    static const char text[] = "Hello, \"w\\rld\" \xc3\xa9\xe4\xb8\xad \xf0\x9f\x91\x8d\t\n  x";
    ia_encoding e = {0};
    assert_int_equal(ia_tokenizer_encode(tok, text, sizeof text - 1, NULL, 0, true, &e, &err), IA_OK);
    assert_int_equal(e.n, sizeof text - 1);
    for (size_t i = 0; i < e.n; i++)
        assert_int_equal(e.ids[i], (unsigned char)text[i]);
    char *back = NULL;
    size_t blen = 0;
    assert_int_equal(ia_tokenizer_decode(tok, e.ids, e.n, false, &back, &blen, &err), IA_OK);
    assert_int_equal(blen, sizeof text - 1);
    assert_memory_equal(back, text, blen);
    free(back);
    ia_encoding_free(&e);
    ia_tokenizer_free(tok);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    ia_tokenizer *tok = load_fixture("wordpiece");
    static const char *const bad[] = {"ok\xff", "\xc3(", "abc\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "trunc\xe2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ia_encoding e;
        ia_error err = {0};
        assert_int_equal(ia_tokenizer_encode(tok, bad[i], strlen(bad[i]), NULL, 0, true, &e, &err),
                         IA_ERR_INVALID);
        assert_non_null(strstr(err.message, "not valid UTF-8"));
    }
    ia_tokenizer_free(tok);
}

static void expect_load_error(const char *json, ia_status status, const char *needle)
{
    ia_tokenizer *tok = NULL;
    ia_error err = {0};
    ia_status st = ia_tokenizer_load_json(json, strlen(json), "bad.json", &tok, &err);
    if (st != status)
        fail_msg("expected %s for %s, got %s: %s", ia_status_name(status), json,
                 ia_status_name(st), err.message);
    assert_null(tok);
    if (!strstr(err.message, needle))
        fail_msg("error '%s' lacks '%s'", err.message, needle);
    assert_non_null(strstr(err.message, "bad.json"));
}

static void test_bad_json(void **state)
{
    (void)state;
    expect_load_error("{\"model\": ", IA_ERR_PARSE, "not valid JSON");
    expect_load_error("[1, 2]", IA_ERR_PARSE, "object");
    expect_load_error("{\"normalizer\": null}", IA_ERR_PARSE, "missing 'model'");
    expect_load_error("{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, "
                      "\"unk_token\": \"a\"}, \"pre_tokenizer\": {\"type\": \"Nope\"}}",
                      IA_ERR_UNSUPPORTED, "'Nope'");
    expect_load_error("{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, "
                      "\"unk_token\": \"a\"}, \"added_tokens\": [{\"id\": 5, \"content\": 7}]}",
                      IA_ERR_PARSE, "added_tokens[0].content");
    expect_load_error("{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, "
                      "\"unk_token\": \"a\"}, \"truncation\": {\"max_length\": -3}}",
                      IA_ERR_INVALID, "truncation.max_length");
    expect_load_error("{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, "
                      "\"unk_token\": \"a\"}, \"padding\": {\"strategy\": 5}}",
                      IA_ERR_PARSE, "padding.strategy");
}

static void test_missing_files(void **state)
{
    (void)state;
    ia_tokenizer *tok = NULL;
    ia_error err = {0};
    assert_int_equal(ia_tokenizer_load("/nonexistent/tokenizer.json", &tok, &err), IA_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/tokenizer.json"));
    char *dir = fixture_path("hw"); /* a folder without any tokenizer file */
    assert_int_equal(ia_tokenizer_load(dir, &tok, &err), IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no tokenizer.json"));
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_cases),
        cmocka_unit_test(test_batch_equals_single),
        cmocka_unit_test(test_pair_truncation_padding),
        cmocka_unit_test(test_overflowing_pair_windows),
        cmocka_unit_test(test_truncation_keeps_words),
        cmocka_unit_test(test_special_tokens_in_text),
        cmocka_unit_test(test_token_holding_nul),
        cmocka_unit_test(test_bytes_tokenizer),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_missing_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
