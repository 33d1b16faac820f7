/* tk_nstr (NormalizedString with absolute alignments), patterns, splits and
 * the pre-tokenized string. Expected alignments came from the Rust library
 * (tokenizers 0.23.2 under node): a tokenizer.json with the normalizer and
 * a BPE model whose vocabulary is single characters, so each token is one
 * normalized character with its original offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

/* "c:b-e c:b-e ..." for each character of the normalized string. */
static void expect_aligned(const tk_nstr *ns, const char *text, const char *want)
{
    assert_string_equal(ns->s, text);
    assert_int_equal(ns->len, strlen(text));
    char got[1024];
    size_t o = 0;
    got[0] = '\0';
    for (size_t i = 0; i < ns->len;) {
        uint32_t cp;
        int k = ia_utf8_decode(ns->s + i, ns->len - i, &cp);
        assert_true(k > 0);
        for (int q = 1; q < k; q++) {
            assert_int_equal(ns->align[i + q].begin, ns->align[i].begin);
            assert_int_equal(ns->align[i + q].end, ns->align[i].end);
        }
        o += (size_t)snprintf(got + o, sizeof got - o, "%s%u-%u", o ? " " : "",
                              ns->align[i].begin, ns->align[i].end);
        i += (size_t)k;
    }
    assert_string_equal(got, want);
}

static void make(tk_nstr *ns, const char *s)
{
    ia_error err;
    assert_int_equal(tk_nstr_init(ns, s, 0, strlen(s), &err), IA_OK);
}

static void test_init_and_slice(void **state)
{
    (void)state;
    const char *text = "xx h\xC3\xA9llo";
    tk_nstr ns;
    ia_error err;
    assert_int_equal(tk_nstr_init(&ns, text, 3, strlen(text), &err), IA_OK);
    expect_aligned(&ns, "h\xC3\xA9llo", "3-4 4-6 6-7 7-8 8-9");
    assert_int_equal(ns.orig.begin, 3);
    assert_int_equal(ns.orig.end, 9);
    tk_nstr sl;
    assert_int_equal(tk_nstr_slice(&ns, 1, 4, &sl, &err), IA_OK);
    expect_aligned(&sl, "\xC3\xA9l", "4-6 6-7");
    assert_int_equal(sl.orig.begin, 4);
    assert_int_equal(sl.orig.end, 7);
    /* Not on a character boundary. */
    tk_nstr bad;
    assert_int_equal(tk_nstr_slice(&ns, 2, 4, &bad, &err), IA_ERR_INVALID);
    ia_span o = tk_nstr_to_original(&ns, 1, 3);
    assert_int_equal(o.begin, 4);
    assert_int_equal(o.end, 6);
    /* Empty ranges stay empty where they are (convert_offsets). */
    o = tk_nstr_to_original(&ns, 1, 1);
    assert_int_equal(o.begin, 4);
    assert_int_equal(o.end, 4);
    tk_nstr_free(&sl);
    tk_nstr_free(&ns);
}

static void test_normalize(void **state)
{
    (void)state;
    ia_error err;
    tk_nstr ns;
    /* NFKC of the ligature: both letters keep the ligature's range. */
    make(&ns, "\xEF\xAC\x81x");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFKC, &err), IA_OK);
    expect_aligned(&ns, "fix", "0-3 0-3 3-4");
    tk_nstr_free(&ns);
    /* NFC: a composition aligns with its starter only. */
    make(&ns, "e\xCC\x81x\xC3\xA9y");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFC, &err), IA_OK);
    expect_aligned(&ns, "\xC3\xA9x\xC3\xA9y", "0-1 3-4 4-6 6-7");
    tk_nstr_free(&ns);
    /* NFD. */
    make(&ns, "\xC3\xA9y");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFD, &err), IA_OK);
    expect_aligned(&ns, "e\xCC\x81y", "0-2 0-2 2-3");
    tk_nstr_free(&ns);
    /* NFC with reordering: a U+0301 U+0323 b -> U+1EA1 U+0301 b; the mark
     * takes the position of the one it moved past, as in Rust. */
    make(&ns, "a\xCC\x81\xCC\xA3" "b");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFC, &err), IA_OK);
    expect_aligned(&ns, "\xE1\xBA\xA1\xCC\x81" "b", "0-1 3-5 5-6");
    tk_nstr_free(&ns);
    /* NFD of a Hangul syllable and reordering. */
    make(&ns, "a\xCC\x81\xCC\xA3" "b\xEA\xB0\x81");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFD, &err), IA_OK);
    expect_aligned(&ns, "a\xCC\xA3\xCC\x81" "b\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",
                   "0-1 1-3 3-5 5-6 6-9 6-9 6-9");
    tk_nstr_free(&ns);
    /* NFC of Hangul jamo composes into one syllable. */
    make(&ns, "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFC, &err), IA_OK);
    expect_aligned(&ns, "\xEA\xB0\x81", "0-3");
    tk_nstr_free(&ns);
    /* NFKC of U+3300 (four katakana, one composed) then k. */
    make(&ns, "\xE3\x8C\x80k");
    assert_int_equal(tk_nstr_normalize(&ns, IA_UNICODE_NFKC, &err), IA_OK);
    expect_aligned(&ns, "\xE3\x82\xA2\xE3\x83\x91\xE3\x83\xBC\xE3\x83\x88k",
                   "0-3 0-3 0-3 0-3 3-4");
    tk_nstr_free(&ns);
}

static void test_lowercase(void **state)
{
    (void)state;
    ia_error err;
    tk_nstr ns;
    make(&ns, "\xC4\xB0x");
    assert_int_equal(tk_nstr_lowercase(&ns, &err), IA_OK);
    expect_aligned(&ns, "i\xCC\x87x", "0-2 0-2 2-3");
    tk_nstr_free(&ns);
    make(&ns, "HeLLo \xCE\xA3\xCE\x91");
    assert_int_equal(tk_nstr_lowercase(&ns, &err), IA_OK);
    expect_aligned(&ns, "hello \xCF\x83\xCE\xB1", "0-1 1-2 2-3 3-4 4-5 5-6 6-8 8-10");
    tk_nstr_free(&ns);
}

static void test_prepend_append_strip(void **state)
{
    (void)state;
    ia_error err;
    tk_nstr ns;
    make(&ns, "hi");
    assert_int_equal(tk_nstr_prepend(&ns, "\xE2\x96\x81", &err), IA_OK);
    expect_aligned(&ns, "\xE2\x96\x81hi", "0-1 0-1 1-2");
    assert_int_equal(tk_nstr_append(&ns, "!?", &err), IA_OK);
    expect_aligned(&ns, "\xE2\x96\x81hi!?", "0-1 0-1 1-2 1-2 1-2");
    tk_nstr_free(&ns);
    make(&ns, "  hi \xE3\x80\x80");
    assert_int_equal(tk_nstr_strip(&ns, true, true, &err), IA_OK);
    expect_aligned(&ns, "hi", "2-3 3-4");
    tk_nstr_free(&ns);
    make(&ns, "  hi ");
    assert_int_equal(tk_nstr_strip(&ns, false, true, &err), IA_OK);
    expect_aligned(&ns, "  hi", "0-1 1-2 2-3 3-4");
    tk_nstr_free(&ns);
    make(&ns, "   ");
    assert_int_equal(tk_nstr_strip(&ns, true, true, &err), IA_OK);
    expect_aligned(&ns, "", "");
    tk_nstr_free(&ns);
}

static bool not_a(uint32_t cp, const void *ctx)
{
    (void)ctx;
    return cp != 'a';
}

static uint32_t to_eacute(uint32_t cp, const void *ctx)
{
    (void)ctx;
    return cp == 'e' ? 0xE9 : cp;
}

static void test_filter_map(void **state)
{
    (void)state;
    ia_error err;
    tk_nstr ns;
    make(&ns, "aabca");
    assert_int_equal(tk_nstr_filter(&ns, not_a, NULL, &err), IA_OK);
    expect_aligned(&ns, "bc", "2-3 3-4");
    tk_nstr_free(&ns);
    make(&ns, "bee");
    assert_int_equal(tk_nstr_map(&ns, to_eacute, NULL, &err), IA_OK);
    expect_aligned(&ns, "b\xC3\xA9\xC3\xA9", "0-1 1-2 2-3");
    tk_nstr_free(&ns);
}

static void test_replace(void **state)
{
    (void)state;
    ia_error err;
    tk_nstr ns;
    ia_regex *re;
    assert_int_equal(ia_regex_compile(" {2,}", 0, &re, &err), IA_OK);
    tk_pattern p = {.kind = TK_PATTERN_REGEX, .re = re};
    make(&ns, "a   b  ");
    assert_int_equal(tk_nstr_replace(&ns, &p, "_", &err), IA_OK);
    /* The content aligns with the last character of the match. */
    expect_aligned(&ns, "a_b_", "0-1 3-4 4-5 6-7");
    tk_nstr_free(&ns);
    ia_regex_free(re);
    tk_pattern ps = {.kind = TK_PATTERN_STRING, .str = "ab", .str_len = 2};
    make(&ns, "abcab");
    assert_int_equal(tk_nstr_replace(&ns, &ps, "xyz", &err), IA_OK);
    expect_aligned(&ns, "xyzcxyz", "1-2 1-2 1-2 2-3 4-5 4-5 4-5");
    tk_nstr_free(&ns);
    /* Replace "a" with nothing, then prepend "xy". */
    tk_pattern pa = {.kind = TK_PATTERN_STRING, .str = "a", .str_len = 1};
    make(&ns, "abc");
    assert_int_equal(tk_nstr_replace(&ns, &pa, "", &err), IA_OK);
    assert_int_equal(tk_nstr_prepend(&ns, "xy", &err), IA_OK);
    expect_aligned(&ns, "xybc", "1-2 1-2 1-2 2-3");
    tk_nstr_free(&ns);
}

static bool is_dash(uint32_t cp, const void *ctx)
{
    (void)ctx;
    return cp == '-';
}

/* The splits of text as "b-e b-e ...", original offsets. */
static void expect_split(tk_split_behavior b, const tk_pattern *p, const char *want)
{
    ia_error err;
    tk_nstr ns;
    make(&ns, "the-final--countdown");
    tk_pretok pt = {0};
    assert_int_equal(tk_nstr_split(&ns, p, b, &pt, &err), IA_OK);
    char got[256];
    size_t o = 0;
    got[0] = '\0';
    for (size_t i = 0; i < pt.n; i++)
        o += (size_t)snprintf(got + o, sizeof got - o, "%s%u-%u", o ? " " : "",
                              pt.v[i].str.orig.begin, pt.v[i].str.orig.end);
    assert_string_equal(got, want);
    tk_pretok_free(&pt);
}

static void test_split_behaviors(void **state)
{
    (void)state;
    tk_pattern ps = {.kind = TK_PATTERN_STRING, .str = "-", .str_len = 1};
    tk_pattern pc = {.kind = TK_PATTERN_CHARS, .is_match = is_dash};
    const tk_pattern *pats[] = {&ps, &pc};
    for (int k = 0; k < 2; k++) {
        const tk_pattern *p = pats[k];
        expect_split(TK_SPLIT_REMOVED, p, "0-3 4-9 11-20");
        expect_split(TK_SPLIT_ISOLATED, p, "0-3 3-4 4-9 9-10 10-11 11-20");
        expect_split(TK_SPLIT_MERGED_WITH_PREVIOUS, p, "0-4 4-10 10-11 11-20");
        expect_split(TK_SPLIT_MERGED_WITH_NEXT, p, "0-3 3-9 9-10 10-20");
        expect_split(TK_SPLIT_CONTIGUOUS, p, "0-3 3-4 4-9 9-11 11-20");
    }
    /* Inverted: the words are the matches. */
    tk_pattern pi = {.kind = TK_PATTERN_CHARS, .is_match = is_dash, .invert = true};
    expect_split(TK_SPLIT_REMOVED, &pi, "3-4 9-10 10-11");
}

static void test_pattern_find(void **state)
{
    (void)state;
    ia_error err;
    ia_regex *re;
    assert_int_equal(ia_regex_compile("x*", 0, &re, &err), IA_OK);
    tk_pattern p = {.kind = TK_PATTERN_REGEX, .re = re};
    tk_match *m;
    size_t n;
    /* Empty matches: "axxb" -> a? The regex crates' find_iter gives (0,0)
     * (1,3) (4,4) [the empty one at 3 right after the match is skipped]. */
    assert_int_equal(tk_pattern_find(&p, "axxb", 4, &m, &n, &err), IA_OK);
    assert_int_equal(n, 5);
    assert_true(m[0].begin == 0 && m[0].end == 0 && m[0].is_match);
    assert_true(m[1].begin == 0 && m[1].end == 1 && !m[1].is_match);
    assert_true(m[2].begin == 1 && m[2].end == 3 && m[2].is_match);
    assert_true(m[3].begin == 3 && m[3].end == 4 && !m[3].is_match);
    assert_true(m[4].begin == 4 && m[4].end == 4 && m[4].is_match);
    free(m);
    assert_int_equal(tk_pattern_find(&p, "", 0, &m, &n, &err), IA_OK);
    assert_int_equal(n, 1);
    assert_false(m[0].is_match);
    free(m);
    ia_regex_free(re);
}

static ia_status split_on_space(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                                ia_error *err)
{
    size_t *seen = ctx;
    seen[index]++;
    tk_pattern p = {.kind = TK_PATTERN_STRING, .str = " ", .str_len = 1};
    return tk_nstr_split(str, &p, TK_SPLIT_REMOVED, out, err);
}

static void test_pretok_split(void **state)
{
    (void)state;
    ia_error err;
    const char *text = "ab cd  ef";
    tk_pretok pt = {0};
    tk_nstr a, b;
    assert_int_equal(tk_nstr_init(&a, text, 0, 2, &err), IA_OK);
    assert_int_equal(tk_nstr_init(&b, text, 2, 9, &err), IA_OK);
    assert_int_equal(tk_pretok_push(&pt, &a, &err), IA_OK);
    assert_int_equal(tk_pretok_push(&pt, &b, &err), IA_OK);
    pt.v[0].tokenized = true;
    assert_int_equal(tk_tokens_push(&pt.v[0].tokens, 7, 0, 2, &err), IA_OK);
    size_t seen[4] = {0};
    assert_int_equal(tk_pretok_split(&pt, split_on_space, seen, &err), IA_OK);
    /* The tokenized split stays; the empty pieces are dropped. */
    assert_int_equal(seen[0], 0);
    assert_int_equal(seen[1], 1);
    assert_int_equal(pt.n, 3);
    assert_true(pt.v[0].tokenized);
    assert_int_equal(pt.v[0].tokens.n, 1);
    assert_string_equal(pt.v[1].str.s, "cd");
    assert_int_equal(pt.v[1].str.orig.begin, 3);
    assert_string_equal(pt.v[2].str.s, "ef");
    assert_int_equal(pt.v[2].str.orig.begin, 7);
    tk_pretok_free(&pt);
}

static void test_transform_range(void **state)
{
    (void)state;
    ia_error err;
    tk_nstr ns;
    make(&ns, "abc");
    /* Replace b by XY (X replaces, Y inserted), at the start insert Z. */
    tk_change ch[] = {{'X', 0}, {'Y', 1}};
    assert_int_equal(tk_nstr_transform_range(&ns, 1, 2, ch, 2, 0, &err), IA_OK);
    expect_aligned(&ns, "aXYc", "0-1 1-2 1-2 2-3");
    tk_change ins[] = {{'Z', 1}, {'a', 0}};
    assert_int_equal(tk_nstr_transform_range(&ns, 0, 1, ins, 2, 0, &err), IA_OK);
    expect_aligned(&ns, "ZaXYc", "0-0 0-1 1-2 1-2 2-3");
    /* Removing: 'Q' replaces a and removes the next two. */
    tk_change rm[] = {{'Q', -2}};
    assert_int_equal(tk_nstr_transform_range(&ns, 1, 4, rm, 1, 0, &err), IA_OK);
    expect_aligned(&ns, "ZQc", "0-0 0-1 2-3");
    assert_int_equal(tk_nstr_transform_range(&ns, 2, 1, rm, 1, 0, &err), IA_ERR_INVALID);
    tk_nstr_free(&ns);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_slice),   cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_lowercase),        cmocka_unit_test(test_prepend_append_strip),
        cmocka_unit_test(test_filter_map),       cmocka_unit_test(test_replace),
        cmocka_unit_test(test_split_behaviors),  cmocka_unit_test(test_pattern_find),
        cmocka_unit_test(test_pretok_split),     cmocka_unit_test(test_transform_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
