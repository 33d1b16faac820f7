/* Pre-tokenizer components: each type with its options, against the
 * splits (normalized text and original byte offsets) the Rust library
 * gives (tokenizers 0.23.2 under node: a tokenizer.json with the
 * pre-tokenizer and a BPE model whose vocabulary is single characters; the
 * tokens of each word make up a split). Also errors for bad values and
 * unknown types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef struct pcase {
    const char *json;
    const char *input;
    size_t input_len;
    const char *want; /* "split@begin-end|..." */
} pcase;

static const pcase CASES[] = {
    {"{\"type\":\"BertPreTokenizer\"}",
     "Hello, world!  Don't\xe3\x80\x80stop\xe2\x80\x94now \xc2\xbfqu\xc3\xa9\x3f", 41,
     "Hello@0-5|,@5-6|world@7-12|!@12-13|Don@15-18|'@18-19|t@19-20|stop@23-27|\xe2\x80\x94@27-30|now@30-33|\xc2\xbf@34-36|qu\xc3\xa9@36-40|\x3f@40-41"},
    {"{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}",
     "Hello  world\x0a\x0a  x", 17,
     "Hello@0-5|\xc4\xa0@5-6|\xc4\xa0world@6-12|\xc4\x8a\xc4\x8a\xc4\xa0@12-15|\xc4\xa0x@15-17"},
    {"{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true}",
     "Hello  world\x0a\x0a  x", 17,
     "\xc4\xa0Hello@0-5|\xc4\xa0@5-6|\xc4\xa0world@6-12|\xc4\x8a\xc4\x8a\xc4\xa0@12-15|\xc4\xa0x@15-17"},
    {"{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":false}",
     " I'm 12 caf\xc3\xa9s! \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 \xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 don't", 50,
     "\xc4\xa0I@0-2|'m@2-4|\xc4\xa0""12@4-7|\xc4\xa0""caf\xc3\x83\xc2\xa9s@7-14|!@14-15|\xc4\xa0\xc3\xb0\xc5\x81\xc4\xb3\xc2\xa8\xc3\xa2\xc4\xa2\xc4\xaf\xc3\xb0\xc5\x81\xc4\xb3\xc2\xa9\xc3\xa2\xc4\xa2\xc4\xaf\xc3\xb0\xc5\x81\xc4\xb3\xc2\xa7@15-34|\xc4\xa0\xc3\xa4\xc2\xb8\xc5\x83\xc3\xa6\xc4\xb8\xc4\xa9\xc3\xa5\xc5\x83\xc4\xb9@34-44|\xc4\xa0""don@44-48|'t@48-50"},
    {"{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}",
     "a b\xc3\xa9", 5,
     "a\xc4\xa0""b\xc3\x83\xc2\xa9@0-5"},
    {"{\"type\":\"Metaspace\",\"replacement\":\"\xe2\x96\x81\",\"prepend_scheme\":\"always\",\"split\":true}",
     "Hey   friend! \xc3\xa9t\xc3\xa9", 19,
     "\xe2\x96\x81Hey@0-3|\xe2\x96\x81@3-4|\xe2\x96\x81@4-5|\xe2\x96\x81""friend!@5-13|\xe2\x96\x81\xc3\xa9t\xc3\xa9@13-19"},
    {"{\"type\":\"Metaspace\",\"replacement\":\"\xe2\x96\x81\",\"prepend_scheme\":\"never\",\"split\":true}",
     "Hey friend", 10,
     "Hey@0-3|\xe2\x96\x81""friend@3-10"},
    {"{\"type\":\"Metaspace\",\"replacement\":\"\xe2\x96\x81\",\"prepend_scheme\":\"first\",\"split\":false}",
     "Hey friend", 10,
     "\xe2\x96\x81Hey\xe2\x96\x81""friend@0-10"},
    {"{\"type\":\"Metaspace\",\"replacement\":\"\xe2\x96\x81\",\"add_prefix_space\":true}",
     " Hey", 4,
     "\xe2\x96\x81Hey@0-4"},
    {"{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},{\"type\":\"Metaspace\",\"replacement\":\"\xe2\x96\x81\",\"prepend_scheme\":\"first\",\"split\":true}]}",
     "  hello world", 13,
     "hello@2-7|world@8-13"},
    {"{\"type\":\"Whitespace\"}",
     "Hey man!! How's it_going\x3f caf\xc3\xa9 \xd9\xa3\xd9\xa4x", 37,
     "Hey@0-3|man@4-7|!!@7-9|How@10-13|'@13-14|s@14-15|it_going@16-24|\x3f@24-25|caf\xc3\xa9@26-31|\xd9\xa3\xd9\xa4x@32-37"},
    {"{\"type\":\"WhitespaceSplit\"}",
     "  Hey\x09man!!\xc2\xa0x  ", 16,
     "Hey@2-5|man!!@6-11|x@13-14"},
    {"{\"type\":\"Punctuation\"}",
     "Hey, you... \xc2\xbfok\x3f", 17,
     "Hey@0-3|,@3-4| you@4-8|.@8-9|.@9-10|.@10-11| @11-12|\xc2\xbf@12-14|ok@14-16|\x3f@16-17"},
    {"{\"type\":\"Punctuation\",\"behavior\":\"MergedWithPrevious\"}",
     "Hey, you...ok", 13,
     "Hey,@0-4| you.@4-9|.@9-10|.@10-11|ok@11-13"},
    {"{\"type\":\"Digits\",\"individual_digits\":true}",
     "a123b\xd9\xa3\xc2\xbd", 9,
     "a@0-1|1@1-2|2@2-3|3@3-4|b@4-5|\xd9\xa3@5-7|\xc2\xbd@7-9"},
    {"{\"type\":\"Digits\",\"individual_digits\":false}",
     "a123b\xd9\xa3\xc2\xbd""4", 10,
     "a@0-1|123@1-4|b@4-5|\xd9\xa3\xc2\xbd""4@5-10"},
    {"{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"Removed\",\"invert\":false}",
     "the-final--countdown", 20,
     "the@0-3|final@4-9|countdown@11-20"},
    {"{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"Isolated\",\"invert\":false}",
     "the-final--countdown", 20,
     "the@0-3|-@3-4|final@4-9|-@9-10|-@10-11|countdown@11-20"},
    {"{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"MergedWithPrevious\",\"invert\":false}",
     "the-final--countdown", 20,
     "the-@0-4|final-@4-10|-@10-11|countdown@11-20"},
    {"{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"MergedWithNext\",\"invert\":false}",
     "the-final--countdown", 20,
     "the@0-3|-final@3-9|-@9-10|-countdown@10-20"},
    {"{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"Contiguous\",\"invert\":false}",
     "the-final--countdown", 20,
     "the@0-3|-@3-4|final@4-9|--@9-11|countdown@11-20"},
    {"{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\s+\"},\"behavior\":\"Removed\",\"invert\":true}",
     "a  b c", 6,
     "  @1-3| @4-5"},
    {"{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(\x3fi:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]\x3f\\\\p{L}+|\\\\p{N}{1,3}| \x3f[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(\x3f!\\\\S)|\\\\s+\"},\"behavior\":\"Isolated\",\"invert\":false}",
     "I'M 12345 ok!!\x0a\x0a  hi", 20,
     "I@0-1|'M@1-3| @3-4|123@4-7|45@7-9| ok@9-12|!!\x0a\x0a@12-16| @16-17| hi@17-20"},
    {"{\"type\":\"CharDelimiterSplit\",\"delimiter\":\"x\"}",
     "axbxxc", 6,
     "a@0-1|b@2-3|c@5-6"},
    {"{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},{\"type\":\"Digits\",\"individual_digits\":true},{\"type\":\"Punctuation\",\"behavior\":\"Isolated\"}]}",
     "ab12,3 x!", 9,
     "ab@0-2|1@2-3|2@3-4|,@4-5|3@5-6|x@7-8|!@8-9"},
    /* The Rust library's older character tables: marks, controls,
     * punctuation and \w. */
    {"{\"type\":\"BertPreTokenizer\"}",
     "a\xe2\xb9\x83""b\xe1\x99\xad""c\xe1\x84\x9c""9d\xc2\xa7""e\xcb\x82""f", 20,
     "a\xe2\xb9\x83""b@0-5|\xe1\x99\xad@5-8|c\xe1\x84\x9c""9d@8-14|\xc2\xa7@14-16|e\xcb\x82""f@16-20"},
    {"{\"type\":\"Whitespace\"}",
     "a\xe2\x80\x8d""b \xe2\x85\xa3x\xe2\x92\xb6! \xc2\xb2", 17,
     "a\xe2\x80\x8d""b@0-5|\xe2\x85\xa3x\xe2\x92\xb6@6-13|!@13-14|\xc2\xb2@15-17"},
    {"{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}",
     "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 \xe4\xb8\xad\xe6\x96\x87  x", 21,
     "\xc3\xb0\xc5\x81\xc4\xb3\xc2\xa8\xc3\xa2\xc4\xa2\xc4\xaf\xc3\xb0\xc5\x81\xc4\xb3\xc2\xa9@0-11|\xc4\xa0\xc3\xa4\xc2\xb8\xc5\x83\xc3\xa6\xc4\xb8\xc4\xa9@11-18|\xc4\xa0@18-19|\xc4\xa0x@19-21"},
};

static ia_status parse(const char *json, tk_pretokenizer **out, ia_error *err)
{
    cJSON *v = cJSON_Parse(json);
    assert_non_null(v);
    tk_load ld = {"tokenizer.json", err};
    ia_status st = tk_pretokenizer_parse(&ld, v, "pre_tokenizer", out);
    cJSON_Delete(v);
    return st;
}

static void describe(const tk_pretok *pt, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pt->n; i++) {
        const tk_nstr *s = &pt->v[i].str;
        ia_span sp = tk_nstr_to_original(s, 0, s->len);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s@%u-%u", i ? "|" : "", s->s, sp.begin,
                              sp.end);
    }
}

static void run(const tk_pretokenizer *p, const char *input, size_t len, char *got, size_t cap)
{
    ia_error err;
    tk_pretok pt = {0};
    tk_nstr ns;
    assert_int_equal(tk_nstr_init(&ns, input, 0, len, &err), IA_OK);
    assert_int_equal(tk_pretok_push(&pt, &ns, &err), IA_OK);
    if (tk_pretokenizer_apply(p, &pt, &err) != IA_OK)
        fail_msg("apply: %s", err.message);
    describe(&pt, got, cap);
    tk_pretok_free(&pt);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        const pcase *t = &CASES[c];
        ia_error err;
        tk_pretokenizer *p = NULL;
        if (parse(t->json, &p, &err) != IA_OK)
            fail_msg("case %zu: %s", c, err.message);
        char got[4096];
        run(p, t->input, t->input_len, got, sizeof got);
        if (strcmp(got, t->want) != 0)
            fail_msg("case %zu (%s):\n  got  %s\n  want %s", c, t->json, got, t->want);
        tk_pretokenizer_free(p);
    }
}

/* Tokenized splits are left alone, and "first" looks at the original
 * offset, so a split after an added token gets no prefix. */
static void test_tokenized_and_first(void **state)
{
    (void)state;
    ia_error err;
    tk_pretokenizer *p = NULL;
    assert_int_equal(parse("{\"type\":\"Metaspace\",\"replacement\":\"_\","
                           "\"prepend_scheme\":\"first\",\"split\":true}",
                           &p, &err),
                     IA_OK);
    const char *text = "<s>a b";
    tk_pretok pt = {0};
    tk_nstr a, b;
    assert_int_equal(tk_nstr_init(&a, text, 0, 3, &err), IA_OK);
    assert_int_equal(tk_nstr_init(&b, text, 3, 6, &err), IA_OK);
    assert_int_equal(tk_pretok_push(&pt, &a, &err), IA_OK);
    assert_int_equal(tk_pretok_push(&pt, &b, &err), IA_OK);
    pt.v[0].tokenized = true;
    assert_int_equal(tk_pretokenizer_apply(p, &pt, &err), IA_OK);
    char got[256];
    describe(&pt, got, sizeof got);
    assert_string_equal(got, "<s>@0-3|a@3-4|_b@4-6");
    tk_pretok_free(&pt);
    tk_pretokenizer_free(p);
}

static void test_legacy(void **state)
{
    (void)state;
    ia_error err;
    tk_pretokenizer *p = NULL;
    char got[512];
    tk_load ld = {"t.json", &err};
    /* What the legacy vocab.txt and GPT-2 folders get (tokenizer.c). */
    cJSON *bert = cJSON_Parse("{\"type\":\"BertPreTokenizer\"}");
    assert_int_equal(tk_pretokenizer_parse(&ld, bert, "pre_tokenizer", &p), IA_OK);
    cJSON_Delete(bert);
    run(p, "Hi, you", 7, got, sizeof got);
    assert_string_equal(got, "Hi@0-2|,@2-3|you@4-7");
    tk_pretokenizer_free(p);
    cJSON *bl = cJSON_Parse("{\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
                            "\"trim_offsets\":true,\"use_regex\":true}");
    assert_int_equal(tk_pretokenizer_parse(&ld, bl, "pre_tokenizer", &p), IA_OK);
    cJSON_Delete(bl);
    run(p, "Hi you", 6, got, sizeof got);
    assert_string_equal(got, "Hi@0-2|\xC4\xA0you@2-6");
    tk_pretokenizer_free(p);
    cJSON *v = cJSON_Parse("null");
    p = (tk_pretokenizer *)1;
    assert_int_equal(tk_pretokenizer_parse(&ld, v, "pre_tokenizer", &p), IA_OK);
    assert_null(p);
    cJSON_Delete(v);
}

static void expect_error(const char *json, ia_status st, const char *needle)
{
    ia_error err;
    tk_pretokenizer *p = NULL;
    ia_status got = parse(json, &p, &err);
    assert_null(p);
    if (got != st || !strstr(err.message, needle))
        fail_msg("%s: got %d '%s', want %d containing '%s'", json, (int)got, err.message,
                 (int)st, needle);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("{\"type\":\"UnicodeScripts\"}", IA_ERR_UNSUPPORTED,
                 "at pre_tokenizer.type: pre-tokenizer type 'UnicodeScripts' is not supported");
    expect_error("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Whitespace\"},{}]}",
                 IA_ERR_PARSE, "at pre_tokenizer.pretokenizers[1]: missing 'type'");
    expect_error("{\"type\":\"ByteLevel\",\"add_prefix_space\":true}", IA_ERR_PARSE,
                 "missing 'trim_offsets'");
    expect_error("{\"type\":\"ByteLevel\",\"add_prefix_space\":\"yes\",\"trim_offsets\":true}",
                 IA_ERR_PARSE, "at pre_tokenizer.add_prefix_space: expected a boolean");
    expect_error("{\"type\":\"Metaspace\"}", IA_ERR_PARSE, "missing 'replacement'");
    expect_error("{\"type\":\"Metaspace\",\"replacement\":\"ab\"}", IA_ERR_PARSE,
                 "at pre_tokenizer.replacement: expected a single character");
    expect_error("{\"type\":\"Metaspace\",\"replacement\":\"_\",\"prepend_scheme\":\"sometimes\"}",
                 IA_ERR_PARSE, "at pre_tokenizer.prepend_scheme: unknown prepend scheme");
    expect_error("{\"type\":\"Metaspace\",\"replacement\":\"_\",\"add_prefix_space\":false}",
                 IA_ERR_PARSE, "add_prefix_space does not match declared prepend_scheme");
    expect_error("{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"invert\":false}",
                 IA_ERR_PARSE, "missing 'behavior'");
    expect_error("{\"type\":\"Split\",\"pattern\":{\"String\":\"-\"},\"behavior\":\"Sideways\","
                 "\"invert\":false}",
                 IA_ERR_PARSE, "at pre_tokenizer.behavior: unknown behavior 'Sideways'");
    expect_error("{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(?<=a)b\"},\"behavior\":\"Isolated\","
                 "\"invert\":false}",
                 IA_ERR_UNSUPPORTED, "at pre_tokenizer.pattern.Regex:");
    expect_error("{\"type\":\"Digits\"}", IA_ERR_PARSE, "missing 'individual_digits'");
    expect_error("{\"type\":\"CharDelimiterSplit\",\"delimiter\":\"ab\"}", IA_ERR_PARSE,
                 "at pre_tokenizer.delimiter");
    expect_error("{\"type\":\"Sequence\"}", IA_ERR_PARSE, "missing 'pretokenizers'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_tokenized_and_first),
        cmocka_unit_test(test_legacy),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
