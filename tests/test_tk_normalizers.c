/* Normalizer components: each type with its options, parsed from JSON and
 * applied to a tk_nstr, against the normalized text and per-character
 * original offsets of the Rust library (tokenizers 0.23.2 under node: a
 * tokenizer.json with the normalizer and a BPE model whose vocabulary is
 * single characters, so each token is one normalized character). Also the
 * errors for bad values (with their JSON paths) and unknown types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

/* A small SentencePiece charsmap (darts-clone double array + replacements)
 * built for this test: "ｶﾞ"->"ガ", "Ａ"->"A", NBSP->" ", "①"->"1",
 * "ﬁ"->"fi", "x"->"", "e\u0301"->"é", "ｶ"->"カ". The Rust library's
 * results on it are below. */
#define CHARSMAP \
    "AAQAAAAEAAAAAAAAAAAAAAAAAAAOAACADQAAgAAAAAAGAACAAAAAAAAAAAAIAACAAAAAAAAAAAAK" \
    "AACAAAAAAAQAAIARAACAAAAAAAAAAAAAAAAAAAAAgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAABlmAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB48QEAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAACBGQIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIEB" \
    "AgAAAAAAnm0CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAJFAAgAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAttECAAAAAACghQIArKwCAAAAAACgjQIA" \
    "AAAAAAAAAAAAAAAAvvACAAAAAAChgQIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAvZACALzkAgAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMIUAwAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAzDQDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "4qwDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADvlAMAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAO+w" \
    "AwDjgqwAQQAgADEAZmkAAMOpAOOCqwA="

typedef struct ncase {
    const char *json; /* "@CM@" stands for CHARSMAP */
    const char *input;
    size_t input_len;
    const char *want;
    const char *aligns; /* original byte range of each normalized char */
} ncase;

static const ncase CASES[] = {
    {"{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":true}",
     "H\xc3\xa9llo\x09WORLD \xe4\xb8\xad\xe6\x96\x87\x00x\xe2\x80\x8b\xc2\xad!\xef\xbf\xbdZ", 31, "hello world  \xe4\xb8\xad  \xe6\x96\x87 x!z",
     "0-1 1-3 3-4 4-5 5-6 6-7 7-8 8-9 9-10 10-11 11-12 12-13 13-16 13-16 13-16 16-19 16-19 16-19 20-21 26-27 30-31"},
    {"{\"type\":\"BertNormalizer\",\"clean_text\":false,\"handle_chinese_chars\":true,\"strip_accents\":false,\"lowercase\":true}",
     "\xe4\xb8\xad""A\xc3\x89\x09", 7, " \xe4\xb8\xad a\xc3\xa9\x09",
     "0-3 0-3 0-3 3-4 4-6 6-7"},
    {"{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":false,\"strip_accents\":true,\"lowercase\":false}",
     "\xc3\x89""cole \xc4\xb0\xe1\xba\x9e", 12, "Ecole I\xe1\xba\x9e",
     "0-2 2-3 3-4 4-5 5-6 6-7 7-9 9-12"},
    {"{\"type\":\"NFC\"}",
     "e\xcc\x81x\xc3\xa9y\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", 16, "\xc3\xa9x\xc3\xa9y\xea\xb0\x81",
     "0-1 3-4 4-6 6-7 7-10"},
    {"{\"type\":\"NFD\"}",
     "\xc3\xa9\xea\xb0\x81\xe1\xb9\xa9", 8, "e\xcc\x81\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8s\xcc\xa3\xcc\x87",
     "0-2 0-2 2-5 2-5 2-5 5-8 5-8 5-8"},
    {"{\"type\":\"NFKC\"}",
     "\xef\xac\x81x\xe2\x91\xa0\xc2\xbd\xe3\x8c\x80k", 13, "fix11\xe2\x81\x84""2\xe3\x82\xa2\xe3\x83\x91\xe3\x83\xbc\xe3\x83\x88k",
     "0-3 0-3 3-4 4-7 7-9 7-9 7-9 9-12 9-12 9-12 9-12 12-13"},
    {"{\"type\":\"NFKD\"}",
     "\xef\xac\x81\xc3\xa9\xc2\xa0", 7, "fie\xcc\x81 ",
     "0-3 0-3 3-5 3-5 5-7"},
    {"{\"type\":\"Lowercase\"}",
     "\xc4\xb0STANBUL \xce\xa3\xce\x91\xce\xa3 \xe1\xba\x9e", 20, "i\xcc\x87stanbul \xcf\x83\xce\xb1\xcf\x83 \xc3\x9f",
     "0-2 0-2 2-3 3-4 4-5 5-6 6-7 7-8 8-9 9-10 10-12 12-14 14-16 16-17 17-20"},
    {"{\"type\":\"StripAccents\"}",
     "e\xcc\x81""a\xcc\x80\xcc\x81""b", 9, "eab",
     "0-1 3-4 8-9"},
    {"{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFD\"},{\"type\":\"StripAccents\"}]}",
     "\xc3\xa9t\xc3\xa9", 5, "ete",
     "0-2 2-3 3-5"},
    {"{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":false}",
     "  \xe3\x80\x80hi  ", 9, "hi  ",
     "5-6 6-7 7-8 8-9"},
    {"{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":true}",
     "\x09 hi there \x0a", 12, "hi there",
     "2-3 3-4 4-5 5-6 6-7 7-8 8-9 9-10"},
    {"{\"type\":\"Replace\",\"pattern\":{\"Regex\":\" {2,}\"},\"content\":\" \"}",
     "a   b    c d", 12, "a b c d",
     "0-1 3-4 4-5 8-9 9-10 10-11 11-12"},
    {"{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"\xe2\x96\x81\"}",
     " a b  ", 6, "\xe2\x96\x81""a\xe2\x96\x81""b\xe2\x96\x81\xe2\x96\x81",
     "0-1 1-2 2-3 3-4 4-5 5-6"},
    {"{\"type\":\"Prepend\",\"prepend\":\"\xe2\x96\x81\"}",
     "hi there", 8, "\xe2\x96\x81hi there",
     "0-1 0-1 1-2 2-3 3-4 4-5 5-6 6-7 7-8"},
    {"{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Prepend\",\"prepend\":\"\xe2\x96\x81\"},{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"\xe2\x96\x81\"}]}",
     "Hello world", 11, "\xe2\x96\x81Hello\xe2\x96\x81world",
     "0-1 0-1 1-2 2-3 3-4 4-5 5-6 6-7 7-8 8-9 9-10 10-11"},
    {"{\"type\":\"Nmt\"}",
     "a\x01""b\xe2\x80\x8b""c\x09""d\xc2\x85""e\xef\xbb\xbf", 15, "ab c d\xc2\x85""e ",
     "0-1 2-3 3-6 6-7 7-8 8-9 9-11 11-12 12-15"},
    {"{\"type\":\"ByteLevel\"}",
     "h\xc3\xa9 \xe4\xb8\xad", 7, "h\xc3\x83\xc2\xa9\xc4\xa0\xc3\xa4\xc2\xb8\xc5\x83",
     "0-1 1-3 1-3 3-4 4-7 4-7 4-7"},
    {"{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"@CM@\"}",
     "\xef\xbd\xb6\xef\xbe\x9ex\xef\xbc\xa1""b", 11, "\xe3\x82\xab\xef\xbe\x9e""Ab",
     "0-3 3-6 7-10 10-11"},
    {"{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"@CM@\"}",
     "a\xc2\xa0\xe2\x91\xa0\xef\xac\x81z", 10, "a 1fiz",
     "0-1 1-3 3-6 6-9 6-9 9-10"},
    {"{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"@CM@\"}",
     "e\xcc\x81y\xef\xbc\xa1\xcc\x81z\xef\xbd\xb6", 13, "\xc3\xa9yAz\xe3\x82\xab",
     "0-1 3-4 4-7 9-10 10-13"},
    {"{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Nmt\"},{\"type\":\"NFKC\"},{\"type\":\"Replace\",\"pattern\":{\"Regex\":\" {2,}\"},\"content\":\" \"}]}",
     "\xef\xac\x81  \xe2\x91\xa0\xe2\x80\x8b\xe2\x80\x8b x", 16, "fi 1 x",
     "0-3 0-3 4-5 5-8 14-15 15-16"},
    /* The Rust library's older character tables: marks, controls,
     * punctuation and \w. */
    {"{\"type\":\"StripAccents\"}",
     "\xe0\xa4\x95\xe0\xa4\xbf\xe0\xa4\x83x\xd2\x88\xe1\x9c\xb4", 15, "\xe0\xa4\x95x",
     "0-3 9-10"},
    {"{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":false,\"strip_accents\":true,\"lowercase\":false}",
     "\xe0\xa4\x95\xe0\xa4\xbf\xe0\xa4\x83x\xd2\x88\xe1\x9c\xb4\xdf\xbd\xee\x80\x80\xcd\xb8\xe2\x80\x8b\xc2\xad", 27, "\xe0\xa4\x95\xe0\xa4\xbf\xe0\xa4\x83x\xd2\x88\xdf\xbd\xcd\xb8",
     "0-3 3-6 6-9 9-10 10-12 15-17 20-22"},
    {"{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFD\"},{\"type\":\"Lowercase\"},{\"type\":\"NFC\"}]}",
     "\xe1\xba\x9b\xcc\xa3\xc3\x85\xe2\x84\xab\xe2\x84\xa6", 13, "\xe1\xba\x9b\xcc\xa3\xc3\xa5\xc3\xa5\xcf\x89",
     "0-3 3-5 5-7 7-10 10-13"},
    /* Characters newer than the Rust crate's normalization tables. */
    {"{\"type\":\"NFKC\"}",
     "a\xcd\x9e\xe1\xb7\xb6\xcc\x81\xcc\x96", 10, "a\xcd\x9e\xe1\xb7\xb6\xcc\x96\xcc\x81",
     "0-1 1-3 3-6 6-8 8-10"},
    {"{\"type\":\"NFKD\"}",
     "\xe3\x8b\xbf\xcc\x81x\xea\x9f\xb2", 9, "\xe3\x8b\xbf\xcc\x81x\xea\x9f\xb2",
     "0-3 3-5 5-6 6-9"},
    {"{\"type\":\"NFC\"}",
     "\xf0\x91\xa4\xb5\xf0\x91\xa4\xb0", 8, "\xf0\x91\xa4\xb5\xf0\x91\xa4\xb0",
     "0-4 4-8"},
};

static char *expand_json(const char *json)
{
    const char *at = strstr(json, "@CM@");
    size_t n = strlen(json) + (at ? strlen(CHARSMAP) : 0) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    if (!at) {
        memcpy(out, json, strlen(json) + 1);
        return out;
    }
    snprintf(out, n, "%.*s%s%s", (int)(at - json), json, CHARSMAP, at + 4);
    return out;
}

static ia_status parse(const char *json, tk_normalizer **out, ia_error *err)
{
    char *js = expand_json(json);
    cJSON *v = cJSON_Parse(js);
    free(js);
    assert_non_null(v);
    tk_load ld = {"tokenizer.json", err};
    ia_status st = tk_normalizer_parse(&ld, v, "normalizer", out);
    cJSON_Delete(v);
    return st;
}

static void aligns_of(const tk_nstr *ns, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ns->len;) {
        uint32_t cp;
        int k = ia_utf8_decode(ns->s + i, ns->len - i, &cp);
        assert_true(k > 0);
        o += (size_t)snprintf(buf + o, cap - o, "%s%u-%u", o ? " " : "", ns->align[i].begin,
                              ns->align[i].end);
        i += (size_t)k;
    }
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        const ncase *t = &CASES[c];
        ia_error err;
        tk_normalizer *n = NULL;
        if (parse(t->json, &n, &err) != IA_OK)
            fail_msg("case %zu: %s", c, err.message);
        tk_nstr ns;
        assert_int_equal(tk_nstr_init(&ns, t->input, 0, t->input_len, &err), IA_OK);
        if (tk_normalizer_apply(n, &ns, &err) != IA_OK)
            fail_msg("case %zu: %s", c, err.message);
        char got[2048];
        aligns_of(&ns, got, sizeof got);
        if (strcmp(ns.s, t->want) != 0 || strcmp(got, t->aligns) != 0)
            fail_msg("case %zu (%s):\n  text   %s\n  want   %s\n  aligns %s\n  want   %s", c,
                     t->json, ns.s, t->want, got, t->aligns);
        tk_nstr_free(&ns);
        tk_normalizer_free(n);
    }
}

static void test_offsets_in_a_slice(void **state)
{
    (void)state;
    /* A string standing for a piece of a longer input keeps absolute
     * offsets. */
    ia_error err;
    tk_normalizer *n = NULL;
    assert_int_equal(parse("{\"type\":\"NFKC\"}", &n, &err), IA_OK);
    const char *text = "ab \xEF\xAC\x81x";
    tk_nstr ns;
    assert_int_equal(tk_nstr_init(&ns, text, 3, strlen(text), &err), IA_OK);
    assert_int_equal(tk_normalizer_apply(n, &ns, &err), IA_OK);
    char got[256];
    aligns_of(&ns, got, sizeof got);
    assert_string_equal(ns.s, "fix");
    assert_string_equal(got, "3-6 3-6 6-7");
    tk_nstr_free(&ns);
    tk_normalizer_free(n);
}

static void test_legacy_bert(void **state)
{
    (void)state;
    ia_error err;
    tk_normalizer *n = NULL;
    tk_load ld = {"t.json", &err};
    /* What the legacy vocab.txt folder gets (tokenizer.c). */
    cJSON *bert = cJSON_Parse("{\"type\":\"BertNormalizer\",\"clean_text\":true,"
                              "\"handle_chinese_chars\":true,\"strip_accents\":null,"
                              "\"lowercase\":true}");
    assert_int_equal(tk_normalizer_parse(&ld, bert, "normalizer", &n), IA_OK);
    cJSON_Delete(bert);
    tk_nstr ns;
    const char *text = "H\xC3\xA9llo\tWORLD";
    assert_int_equal(tk_nstr_init(&ns, text, 0, strlen(text), &err), IA_OK);
    assert_int_equal(tk_normalizer_apply(n, &ns, &err), IA_OK);
    assert_string_equal(ns.s, "hello world");
    tk_nstr_free(&ns);
    tk_normalizer_free(n);
    /* null: no normalizer. */
    cJSON *v = cJSON_Parse("null");
    n = (tk_normalizer *)1;
    assert_int_equal(tk_normalizer_parse(&ld, v, "normalizer", &n), IA_OK);
    assert_null(n);
    cJSON_Delete(v);
}

static void expect_error(const char *json, ia_status st, const char *needle)
{
    ia_error err;
    tk_normalizer *n = NULL;
    ia_status got = parse(json, &n, &err);
    assert_null(n);
    if (got != st || !strstr(err.message, needle))
        fail_msg("%s: got %d '%s', want %d containing '%s'", json, (int)got, err.message,
                 (int)st, needle);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("{\"type\":\"Bogus\"}", IA_ERR_UNSUPPORTED,
                 "at normalizer.type: normalizer type 'Bogus' is not supported");
    expect_error("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFC\"},{\"type\":\"Nope\"}]}",
                 IA_ERR_UNSUPPORTED, "at normalizer.normalizers[1].type: normalizer type 'Nope'");
    expect_error("{\"type\":\"Strip\",\"strip_left\":true}", IA_ERR_PARSE,
                 "at normalizer: missing 'strip_right'");
    expect_error("{\"type\":\"Strip\",\"strip_left\":1,\"strip_right\":true}", IA_ERR_PARSE,
                 "normalizer.strip_left");
    expect_error("{\"type\":\"BertNormalizer\",\"clean_text\":true,\"lowercase\":true}",
                 IA_ERR_PARSE, "missing 'handle_chinese_chars'");
    expect_error("{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"(\"},\"content\":\"x\"}",
                 IA_ERR_PARSE, "at normalizer.pattern.Regex: regex");
    expect_error("{\"type\":\"Replace\",\"pattern\":{\"Glob\":\"*\"},\"content\":\"x\"}",
                 IA_ERR_PARSE, "at normalizer.pattern:");
    expect_error("{\"type\":\"Replace\",\"pattern\":{\"String\":\"a\"}}", IA_ERR_PARSE,
                 "missing 'content'");
    expect_error("{\"type\":\"Prepend\"}", IA_ERR_PARSE, "missing 'prepend'");
    expect_error("{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"\"}", IA_ERR_PARSE,
                 "at normalizer.precompiled_charsmap: cannot parse");
    expect_error("{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"!!!\"}", IA_ERR_PARSE,
                 "not valid base64");
    expect_error("{\"type\":\"Sequence\"}", IA_ERR_PARSE, "missing 'normalizers'");
    expect_error("[1]", IA_ERR_PARSE, "at normalizer: expected an object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_offsets_in_a_slice),
        cmocka_unit_test(test_legacy_bert),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
