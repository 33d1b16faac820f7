/* The regex engine: each feature, each compile error, the step budget, and
 * an oracle comparison against node's JavaScript RegExp for the GPT-2 and
 * Llama-3 (and Qwen2) pre-tokenizer patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipfs_accelerate/regex.h"
#include "ipfs_accelerate/unicode.h"

/* All matches of pat in text, as the pieces joined by '/'. Empty matches
 * advance one code point. */
static char *split_all(const char *pat, unsigned flags, const char *text, size_t len)
{
    ia_regex *re = NULL;
    ia_error err;
    ia_status st = ia_regex_compile(pat, flags, &re, &err);
    if (st != IA_OK)
        fail_msg("compile %s: %s", pat, err.message);
    size_t cap = 2 * len + 64, n = 0, pieces = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    size_t pos = 0;
    for (;;) {
        size_t b, e;
        st = ia_regex_find(re, text, len, pos, &b, &e, &err);
        if (st == IA_ERR_NOT_FOUND)
            break;
        if (st != IA_OK)
            fail_msg("find %s: %s", pat, err.message);
        if (n + (e - b) + 2 >= cap) {
            cap = 2 * cap + (e - b);
            out = realloc(out, cap);
            assert_non_null(out);
        }
        if (pieces++)
            out[n++] = '/';
        memcpy(out + n, text + b, e - b);
        n += e - b;
        out[n] = '\0';
        if (e == b) {
            if (e >= len)
                break;
            uint32_t cp;
            int k = ia_utf8_decode(text + e, len - e, &cp);
            pos = e + (size_t)(k > 0 ? k : 1);
        } else {
            pos = e;
        }
    }
    ia_regex_free(re);
    return out;
}

static void check_split_f(const char *pat, unsigned flags, const char *text, const char *want)
{
    char *got = split_all(pat, flags, text, strlen(text));
    if (strcmp(got, want) != 0) {
        print_error("pattern %s on \"%s\": got \"%s\", want \"%s\"\n", pat, text, got, want);
        free(got);
        fail();
    }
    free(got);
}

#define check_split(pat, text, want) check_split_f(pat, 0, text, want)

static void test_literals_and_escapes(void **state)
{
    (void)state;
    check_split("a\\.b", "axb a.b", "a.b");
    check_split("\\r\\n", "x\r\ny\n\r\n", "\r\n/\r\n");
    check_split("\\t", "a\tb", "\t");
    check_split("\\\\", "a\\b", "\\");
    check_split("\\'s", "it's", "'s");
    check_split("\\x41\\x{e9}\\u00e8", "A\xc3\xa9\xc3\xa8", "A\xc3\xa9\xc3\xa8");
    check_split("\xc3\xa9+", "caf\xc3\xa9\xc3\xa9!", "\xc3\xa9\xc3\xa9");
    check_split("a{x", "a{x", "a{x"); /* not an interval: literal brace */
    check_split(".", "a\n\xe6\x97\xa5", "a/\xe6\x97\xa5");
    check_split("", "ab", "//"); /* empty matches at 0, 1 and 2 */
}

static void test_classes(void **state)
{
    (void)state;
    check_split("[a-c]+", "xxabcd", "abc");
    check_split("[^a-c]+", "xxabcd", "xx/d");
    check_split("[\\s\\d]+", "a 1\t2b", " 1\t2");
    check_split("[\\p{Lu}]+", "abCDe\xc3\x89", "CD/\xc3\x89");
    check_split("[^\\s\\p{L}\\p{N}]+", "a, b!? 3%", ",/!?/%");
    check_split("[\\P{L}]+", "ab12c", "12");
    check_split("[]a]+", "x]a]", "]a]");
    check_split("[a-]+", "b-a-", "-a-");
    check_split("[\\S]+", "ab cd", "ab/cd");
    check_split("[\\w]+", "ab_1 \xc3\xa9", "ab_1/\xc3\xa9");
    check_split("[\\x{4e00}-\\x{9fff}]+", "a\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac");
}

static void test_properties(void **state)
{
    (void)state;
    /* \s is White_Space: U+3000, U+0085 and U+00A0 are, U+200B is not. */
    check_split("\\s+", "a\xe3\x80\x80\xc2\x85\xc2\xa0" "b\xe2\x80\x8b", "\xe3\x80\x80\xc2\x85\xc2\xa0");
    check_split("\\S+", "ab \xe2\x80\x8b", "ab/\xe2\x80\x8b");
    check_split("\\d+", "x\xd9\xa1\xd9\xa2" "3\xc2\xbd", "\xd9\xa1\xd9\xa2" "3"); /* Nd, not No */
    check_split("\\D+", "12ab3", "ab");
    check_split("\\w+", "a_b-c", "a_b/c");
    check_split("\\W+", "a_b-c", "-");
    check_split("\\p{N}+", "x\xc2\xbd" "2\xe2\x85\xa0", "\xc2\xbd" "2\xe2\x85\xa0"); /* No, Nd, Nl */
    check_split("\\p{L}+", "ab1\xe6\x97\xa5", "ab/\xe6\x97\xa5");
    check_split("\\p{Lu}", "aBc", "B");
    check_split("\\p{Ll}+", "aBc", "a/c");
    check_split("\\p{P}+", "a,.!b(", ",.!/(");
    check_split("\\p{S}+", "a+$\xe2\x82\xac", "+$\xe2\x82\xac");
    check_split("\\p{M}", "e\xcc\x81", "\xcc\x81");
    check_split("\\p{Z}+", "a \xe3\x80\x80\tb", " \xe3\x80\x80");
    check_split("\\p{C}+", "a\t\x01" "b", "\t\x01");
    check_split("\\P{L}+", "ab12c", "12");
    check_split("\\p{^L}+", "ab12c", "12");
    check_split("\\p{Letter}+", "ab12c", "ab/c");
    check_split("\\p{Nd}+", "1\xc2\xbd", "1");
}

static void test_groups_and_alternation(void **state)
{
    (void)state;
    check_split("a|ab", "ab", "a"); /* leftmost-first, not longest */
    check_split("ab|a", "ab a", "ab/a");
    check_split("(ab)+", "ababa", "abab");
    check_split("(?:ab|cd)+", "xabcdab", "abcdab");
    check_split("x(a|b|c)y", "xby xdy", "xby");
    check_split("(?i:'s|'ll)", "it'S we'Ll 's", "'S/'Ll/'s");
    check_split("(?i:\xc3\xa9t\xc3\xa9)", "\xc3\x89T\xc3\x89 \xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89/\xc3\xa9t\xc3\xa9");
    check_split("(?i:[a-c]+)", "xAbCd", "AbC");
    check_split("(?i:\xd0\xb4\xd0\xb0)", "\xd0\x94\xd0\x90", "\xd0\x94\xd0\x90"); /* Cyrillic */
    check_split("a(?i)b|c", "aB C c", "aB/C/c");
    check_split("(?i)a(?-i:b)", "AB Ab", "Ab");
    check_split_f("ab", IA_REGEX_ICASE, "AB", "AB");
}

static void test_quantifiers(void **state)
{
    (void)state;
    check_split("a*", "baa", "/aa/");
    check_split("a+", "baab", "aa");
    check_split("ba?", "b ba", "b/ba");
    check_split("a{2}", "aaaaa", "aa/aa");
    check_split("a{2,}", "a aaa", "aaa");
    check_split("a{1,3}", "aaaaa", "aaa/aa");
    check_split("a{,2}b", "aaab", "aab");
    check_split("\\p{N}{1,3}", "1234567", "123/456/7");
    check_split("a+?", "aaa", "a/a/a");
    check_split("a{2,3}?", "aaaaa", "aa/aa");
    check_split("<.*?>", "<a><b>", "<a>/<b>");
    check_split("<.*>", "<a><b>", "<a><b>");
    check_split("a??b", "ab", "ab");
    check_split("(a*)*b", "aaab", "aaab"); /* empty loop bodies terminate */
    check_split("(a|)*c", "aac", "aac");
    check_split("(?:)*x", "x", "x");
    check_split("(a?)+?b", "ab", "ab");
}

static void test_lookahead_and_anchors(void **state)
{
    (void)state;
    check_split("\\s+(?!\\S)|\\s+", "a   b  ", "  / /  ");
    check_split("a(?=b)", "ac ab", "a");
    check_split("a(?!b)", "ab ac", "a");
    check_split("(?=(a+))a", "aa", "a/a");
    check_split("^a", "aba\na", "a/a");
    check_split("a$", "a\nba", "a/a");
    check_split("\\Aa", "aa", "a");
    check_split("a\\z", "a\na", "a");
}

static void test_offsets_and_bad_text(void **state)
{
    (void)state;
    ia_regex *re;
    ia_error err;
    assert_int_equal(ia_regex_compile("b+", 0, &re, &err), IA_OK);
    size_t b = 99, e = 99;
    assert_int_equal(ia_regex_find(re, "abba", 4, 0, &b, &e, &err), IA_OK);
    assert_int_equal(b, 1);
    assert_int_equal(e, 3);
    assert_int_equal(ia_regex_find(re, "abba", 4, 2, &b, &e, &err), IA_OK);
    assert_int_equal(b, 2);
    assert_int_equal(ia_regex_find(re, "abba", 4, 3, &b, &e, &err), IA_ERR_NOT_FOUND);
    assert_int_equal(ia_regex_find(re, "abba", 4, 5, &b, &e, &err), IA_ERR_INVALID);
    assert_int_equal(ia_regex_find(re, NULL, 0, 0, &b, &e, &err), IA_ERR_NOT_FOUND);
    ia_regex_free(re);
    /* Invalid UTF-8 bytes are single non-characters. */
    check_split(".", "a\xff" "b", "a/\xff/b");
    check_split("\\P{L}", "a\xff" "b", "\xff");
    check_split("\\p{L}+", "a\xff" "b", "a/b");
    check_split("[^a]", "a\xc3" "b", "\xc3/b");
    ia_regex_free(NULL);
}

static void test_step_budget(void **state)
{
    (void)state;
    ia_regex *re;
    ia_error err;
    assert_int_equal(ia_regex_compile("(a+)+b", 0, &re, &err), IA_OK);
    const char *text = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    size_t b, e;
    assert_int_equal(ia_regex_find(re, text, strlen(text), 0, &b, &e, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "step budget"));
    ia_regex_set_step_limit(re, 1000);
    assert_int_equal(ia_regex_find(re, text, strlen(text), 0, &b, &e, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "step budget of 1000"));
    ia_regex_set_step_limit(re, 0);
    assert_int_equal(ia_regex_find(re, "aab", 3, 0, &b, &e, &err), IA_OK);
    ia_regex_free(re);

    /* Long inputs within the default budget. */
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[n] = '\0';
    assert_int_equal(ia_regex_compile("\\s+(?!\\S)|\\s+", 0, &re, &err), IA_OK);
    assert_int_equal(ia_regex_find(re, big, n, 0, &b, &e, &err), IA_OK);
    assert_int_equal(b, 0);
    assert_int_equal(e, n);
    ia_regex_free(re);
    free(big);
}

static void expect_compile_error(const char *pat, ia_status st, const char *msg)
{
    ia_regex *re = (ia_regex *)1;
    ia_error err;
    memset(&err, 0, sizeof err);
    ia_status got = ia_regex_compile(pat, 0, &re, &err);
    if (got != st || strstr(err.message, msg) == NULL) {
        print_error("pattern \"%s\": got %d \"%s\", want %d \"%s\"\n", pat, (int)got, err.message,
                    (int)st, msg);
        fail();
    }
    assert_null(re);
}

static void test_compile_errors(void **state)
{
    (void)state;
    expect_compile_error("ab(cd", IA_ERR_PARSE, "regex: unclosed group at offset 2");
    expect_compile_error("(?:a|(b)", IA_ERR_PARSE, "regex: unclosed group at offset 0");
    expect_compile_error("(?=a", IA_ERR_PARSE, "unclosed group at offset 0");
    expect_compile_error("a)", IA_ERR_PARSE, "regex: unmatched ) at offset 1");
    expect_compile_error("x[ab", IA_ERR_PARSE, "regex: unclosed character class at offset 1");
    expect_compile_error("[^", IA_ERR_PARSE, "unclosed character class at offset 0");
    expect_compile_error("*a", IA_ERR_PARSE, "quantifier without a target at offset 0");
    expect_compile_error("a|+", IA_ERR_PARSE, "quantifier without a target at offset 2");
    expect_compile_error("{2}", IA_ERR_PARSE, "quantifier without a target at offset 0");
    expect_compile_error("a{3,2}", IA_ERR_PARSE, "invalid repeat range (max below min) at offset 1");
    expect_compile_error("a{1001}", IA_ERR_UNSUPPORTED, "repeat count above 1000 at offset 1");
    expect_compile_error("[z-a]", IA_ERR_PARSE, "invalid range (end before start) in character class at offset 1");
    expect_compile_error("[a-\\s]", IA_ERR_PARSE, "invalid range end in character class at offset 2");
    expect_compile_error("ab\\", IA_ERR_PARSE, "trailing backslash at offset 2");
    expect_compile_error("\\q", IA_ERR_UNSUPPORTED, "unknown or unsupported escape at offset 0");
    expect_compile_error("a\\1", IA_ERR_UNSUPPORTED, "unknown or unsupported escape at offset 1");
    expect_compile_error("\\p{Xx}", IA_ERR_UNSUPPORTED, "unknown or unsupported property name at offset 0");
    expect_compile_error("\\p{Han}", IA_ERR_UNSUPPORTED, "unsupported property name");
    expect_compile_error("\\pL", IA_ERR_PARSE, "expected { after \\p at offset 0");
    expect_compile_error("\\p{L", IA_ERR_PARSE, "unclosed property name at offset 0");
    expect_compile_error("\\xZZ", IA_ERR_PARSE, "invalid \\x escape at offset 0");
    expect_compile_error("\\x{110000}", IA_ERR_PARSE, "invalid \\x{...} escape at offset 0");
    expect_compile_error("\\u12", IA_ERR_PARSE, "invalid \\u escape at offset 0");
    expect_compile_error("a(?<=b)", IA_ERR_UNSUPPORTED, "lookbehind is not supported at offset 1");
    expect_compile_error("(?<!b)", IA_ERR_UNSUPPORTED, "lookbehind is not supported at offset 0");
    expect_compile_error("(?<n>a)", IA_ERR_UNSUPPORTED, "named groups are not supported at offset 0");
    expect_compile_error("(?>a)", IA_ERR_UNSUPPORTED, "atomic groups are not supported at offset 0");
    expect_compile_error("(?x)a", IA_ERR_UNSUPPORTED, "only the i option is supported at offset 2");
    expect_compile_error("(?%a)", IA_ERR_PARSE, "unknown group syntax at offset 0");
    expect_compile_error("(?i", IA_ERR_PARSE, "unclosed group at offset 0");
    expect_compile_error("a++", IA_ERR_UNSUPPORTED, "possessive quantifiers are not supported at offset 1");
    expect_compile_error("[[a]]", IA_ERR_UNSUPPORTED, "nested character class at offset 1");
    expect_compile_error("[a&&b]", IA_ERR_UNSUPPORTED, "class intersection at offset 2");
    expect_compile_error("a\xff", IA_ERR_PARSE, "invalid UTF-8 at offset 1");
    expect_compile_error("[a\xc3]", IA_ERR_PARSE, "invalid UTF-8 at offset 2");

    char deep[1024];
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        deep[n++] = '(';
    deep[n++] = 'a';
    for (int i = 0; i < 300; i++)
        deep[n++] = ')';
    deep[n] = '\0';
    expect_compile_error(deep, IA_ERR_UNSUPPORTED, "groups nested too deeply at offset 200");

    /* Counted repetition that would blow up the program. */
    expect_compile_error("(((a{1000}){1000}){1000})", IA_ERR_UNSUPPORTED, "pattern too large");

    ia_error err;
    ia_regex *re;
    assert_int_equal(ia_regex_compile(NULL, 0, &re, &err), IA_ERR_INVALID);
    assert_int_equal(ia_regex_compile("a", 0, NULL, &err), IA_ERR_INVALID);
}

/* --- the oracle: node's RegExp with the 'gu' flags ------------------------- */

static const char GPT2[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
static const char LLAMA3[] =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/* Qwen2: as Llama-3 but single digits. */
static const char QWEN2[] =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
static const char QWEN2_JS[] =
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
    "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/* Llama-3 for JavaScript, which lacks (?i:...) modifiers in node 20. */
static const char LLAMA3_JS[] =
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
    "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

static const char *const FRAGMENTS[] = {
    "Hello", " world", "'s", "'S", "'ll", "'LL", "'Re", "'ve", "'m", "'d", "'t", "don't", "I'M",
    "caf\xc3\xa9", " na\xc3\xafve", "e\xcc\x81", "\xcc\x81", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
    "\xe4\xb8\xad\xe6\x96\x87", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", " \xf0\x9f\x98\x80", "  ", "   ", "\r\n", "\n\n", "\n", "\r",
    "\t", "   \r\n  ", " \n ", "12345678", "3.14", " 42", "\xd9\xa1\xd9\xa2\xd9\xa3", "\xc2\xbd",
    "x\xc2\xb2", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1",
    "\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa", "!!!", "...", " $100", "\xe2\x82\xac", "\xc2\xa0",
    "\xe3\x80\x80", "a", "Z", "_", "-", "''", "'", " '", "(x)", "\xe3\x80\x82", "\xed\x95\x9c\xea\xb8\x80",
    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82", "\xe2\x80\x8b", "\xc3\x89T\xc3\x89", "\x01", "<|end|>",
};

#define N_ORACLE 400

/* Deterministic strings: fixed edge cases, then random joins of fragments. */
static char *oracle_string(int i)
{
    static const char *const fixed[] = {"", " ", "a", "a   ", "   a", "\r\n\r\n", " \r\n", "'s'S'",
                                        "1234567890123", "hello  world\r\n  next"};
    size_t nf = sizeof fixed / sizeof fixed[0];
    if ((size_t)i < nf)
        return strdup(fixed[i]);
    uint64_t s = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
    char *buf = malloc(512);
    size_t n = 0;
    s ^= s >> 29;
    int count = 1 + (int)((s >> 7) % 9);
    for (int k = 0; k < count; k++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        const char *f = FRAGMENTS[(s >> 33) % (sizeof FRAGMENTS / sizeof FRAGMENTS[0])];
        size_t fl = strlen(f);
        memcpy(buf + n, f, fl);
        n += fl;
    }
    buf[n] = '\0';
    return buf;
}

static char *our_offsets(const ia_regex *re, const char *text)
{
    size_t len = strlen(text), cap = 64, n = 0, pos = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (;;) {
        size_t b, e;
        ia_error err;
        ia_status st = ia_regex_find(re, text, len, pos, &b, &e, &err);
        if (st == IA_ERR_NOT_FOUND)
            break;
        if (st != IA_OK)
            fail_msg("find: %s", err.message);
        if (n + 48 >= cap)
            out = realloc(out, cap *= 2);
        n += (size_t)snprintf(out + n, cap - n, "%s%zu,%zu", n ? ";" : "", b, e);
        if (e == b) {
            if (e >= len)
                break;
            uint32_t cp;
            int k = ia_utf8_decode(text + e, len - e, &cp);
            e += (size_t)(k > 0 ? k : 1);
        }
        pos = e;
    }
    return out;
}

static void write_hex(FILE *f, const char *s)
{
    fputc('x', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fprintf(f, "%02x", *p);
    fputc('\n', f);
}

static const char NODE_SCRIPT[] =
    "const fs=require('fs');\n"
    "const lines=fs.readFileSync(process.argv[2],'utf8').split('\\n');\n"
    "const dec=h=>Buffer.from(h.slice(1),'hex').toString('utf8');\n"
    "let p=dec(lines[0]).replace(/\\\\s/g,'\\\\p{White_Space}').replace(/\\\\S/g,'\\\\P{White_Space}');\n"
    "const re=new RegExp(p,'gu');\n"
    "const out=[];\n"
    "for(let i=1;i<lines.length;i++){\n"
    "  if(!lines[i].startsWith('x'))continue;\n"
    "  const s=dec(lines[i]);const r=[];\n"
    "  for(const m of s.matchAll(re)){const b=Buffer.byteLength(s.slice(0,m.index));\n"
    "    r.push(b+','+(b+Buffer.byteLength(m[0])));}\n"
    "  out.push('=' + r.join(';'));}\n"
    "process.stdout.write(out.join('\\n')+'\\n');\n";

static bool have_node(void)
{
    FILE *p = popen("node --version 2>/dev/null", "r");
    if (!p)
        return false;
    char buf[64];
    bool ok = fgets(buf, sizeof buf, p) != NULL && buf[0] == 'v';
    return pclose(p) == 0 && ok;
}

static void oracle_compare(const char *pat, const char *js_pat)
{
    char dir[] = "/tmp/ia_regex_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char script[64], input[64], cmd[256];
    snprintf(script, sizeof script, "%s/split.js", dir);
    snprintf(input, sizeof input, "%s/input.txt", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fputs(NODE_SCRIPT, f);
    fclose(f);
    f = fopen(input, "w");
    assert_non_null(f);
    write_hex(f, js_pat);
    for (int i = 0; i < N_ORACLE; i++) {
        char *s = oracle_string(i);
        write_hex(f, s);
        free(s);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "node %s %s", script, input);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);

    ia_regex *re;
    ia_error err;
    if (ia_regex_compile(pat, 0, &re, &err) != IA_OK)
        fail_msg("compile: %s", err.message);
    static char line[1 << 16];
    int mismatches = 0, lines = 0;
    for (int i = 0; i < N_ORACLE; i++) {
        if (!fgets(line, sizeof line, p))
            break;
        lines++;
        line[strcspn(line, "\n")] = '\0';
        char *s = oracle_string(i);
        char *ours = our_offsets(re, s);
        if (line[0] != '=' || strcmp(line + 1, ours) != 0) {
            if (mismatches++ < 10) {
                print_error("mismatch on string %d \"", i);
                for (const unsigned char *q = (const unsigned char *)s; *q; q++)
                    print_error(*q >= 0x20 && *q < 0x7f ? "%c" : "\\x%02x", *q);
                print_error("\": ours %s, node %s\n", ours, line);
            }
        }
        free(ours);
        free(s);
    }
    ia_regex_free(re);
    int rc = pclose(p);
    unlink(script);
    unlink(input);
    rmdir(dir);
    assert_int_equal(rc, 0);
    assert_int_equal(lines, N_ORACLE);
    assert_int_equal(mismatches, 0);
}

static void test_oracle_node(void **state)
{
    (void)state;
    if (!have_node()) {
        print_message("skipping the node oracle: node is not on PATH\n");
        skip();
    }
    oracle_compare(GPT2, GPT2);
    oracle_compare(LLAMA3, LLAMA3_JS);
    oracle_compare(QWEN2, QWEN2_JS);
}

/* Sanity checks of the pre-tokenizer patterns that need no node. */
static void test_tokenizer_patterns(void **state)
{
    (void)state;
    check_split(GPT2, "Hello world's  test 12345!\r\n", "Hello/ world/'s/ / test/ 12345/!/\r\n");
    check_split(LLAMA3, "I'M 12345 caf\xc3\xa9!!\r\n\r\n  x", "I/'M/ /123/45/ caf\xc3\xa9/!!\r\n\r\n/ / x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_escapes),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_groups_and_alternation),
        cmocka_unit_test(test_quantifiers),
        cmocka_unit_test(test_lookahead_and_anchors),
        cmocka_unit_test(test_offsets_and_bad_text),
        cmocka_unit_test(test_step_budget),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_tokenizer_patterns),
        cmocka_unit_test(test_oracle_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
