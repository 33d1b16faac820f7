/* Unicode categories, UTF-8 and normalisation, checked against Python's
 * unicodedata (for categories) and the UCD's own NormalizationTest.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipfs_accelerate/unicode.h"

/* The UCD folder: $IA_UNICODE_DATA_DIR, or where Debian's unicode-data puts it. */
static const char *ucd_dir(void)
{
    const char *env = getenv("IA_UNICODE_DATA_DIR");
    if (env && *env)
        return env;
    if (access("/usr/share/unicode/UnicodeData.txt", R_OK) == 0)
        return "/usr/share/unicode";
    return "/usr/share/unicode-data";
}

static const char *python(void)
{
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* Runs a Python program and returns its whole stdout (free()), or NULL. */
static char *run_python(const char *program, size_t *len_out)
{
    char path[] = "/tmp/ia_test_unicode_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    size_t plen = strlen(program);
    if (write(fd, program, plen) != (ssize_t)plen) {
        close(fd);
        unlink(path);
        return NULL;
    }
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s '%s'", python(), path, ucd_dir());
    FILE *p = popen(cmd, "r");
    if (!p) {
        unlink(path);
        return NULL;
    }
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int rc = pclose(p);
    unlink(path);
    if (!buf || rc != 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

/* Prints unicodedata's version, a newline, then two characters per code
 * point: its category, or "--" for code points assigned after that version
 * (DerivedAge.txt), which Python cannot know. */
static const char category_program[] =
    "import os, sys, unicodedata\n"
    "pv = tuple(int(x) for x in unicodedata.unidata_version.split('.'))[:2]\n"
    "newer = set()\n"
    "for line in open(os.path.join(sys.argv[1], 'DerivedAge.txt'), encoding='utf-8'):\n"
    "    line = line.split('#')[0].strip()\n"
    "    if not line: continue\n"
    "    r, a = [x.strip() for x in line.split(';')]\n"
    "    if tuple(int(x) for x in a.split('.')) > pv:\n"
    "        lo, _, hi = r.partition('..')\n"
    "        newer.update(range(int(lo, 16), int(hi or lo, 16) + 1))\n"
    "out = [unicodedata.unidata_version, '\\n']\n"
    "for cp in range(0x110000):\n"
    "    out.append('--' if cp in newer else unicodedata.category(chr(cp)))\n"
    "sys.stdout.write(''.join(out))\n";

static void test_categories(void **state)
{
    (void)state;
    size_t len = 0;
    char *exp = run_python(category_program, &len);
    if (!exp) {
        print_message("skipped: %s could not list unicodedata's categories\n", python());
        skip();
    }
    char *nl = strchr(exp, '\n');
    assert_non_null(nl);
    *nl = '\0';
    const char *cats = nl + 1;
    assert_int_equal(len - (size_t)(cats - exp), 2 * 0x110000);
    /* A Python newer than our tables knows code points that are Cn here. */
    bool python_newer = strverscmp(exp, ia_unicode_version()) > 0;
    size_t newer = 0, bad = 0;
    for (uint32_t cp = 0; cp <= IA_UNICODE_MAX; cp++) {
        const char *e = cats + 2 * (size_t)cp;
        ia_ucat cat = ia_unicode_category(cp);
        if (e[0] == '-' || (python_newer && cat == IA_UCAT_Cn)) {
            newer++;
            continue;
        }
        const char *got = ia_unicode_category_name(cat);
        if (got[0] != e[0] || got[1] != e[1]) {
            if (bad++ < 10)
                print_message("U+%04X: got %s, unicodedata %.2s\n", (unsigned)cp, got, e);
        }
    }
    print_message("categories: tables %s, unicodedata %s; %zu code points assigned in only "
                  "one of them not compared\n",
                  ia_unicode_version(), exp, newer);
    free(exp);
    assert_int_equal(bad, 0);
}

static void test_properties(void **state)
{
    (void)state;
    assert_string_equal(ia_unicode_version(), "15.0.0");
    assert_int_equal(ia_unicode_category('A'), IA_UCAT_Lu);
    assert_int_equal(ia_unicode_category(0x1F600), IA_UCAT_So);
    assert_int_equal(ia_unicode_category(0x4E00), IA_UCAT_Lo);
    assert_int_equal(ia_unicode_category(0xD800), IA_UCAT_Cs);
    assert_int_equal(ia_unicode_category(0xE000), IA_UCAT_Co);
    assert_int_equal(ia_unicode_category(0x110000), IA_UCAT_Cn);
    assert_int_equal(ia_unicode_category(0xFFFFFFFFu), IA_UCAT_Cn);
    assert_string_equal(ia_unicode_category_name(IA_UCAT_Zs), "Zs");
    assert_string_equal(ia_unicode_category_name((ia_ucat)99), "??");
    assert_int_equal(ia_unicode_combining_class(0x0301), 230);
    assert_int_equal(ia_unicode_combining_class('a'), 0);
    assert_true(ia_unicode_is_letter(0x00E9));
    assert_true(ia_unicode_is_number(0x0663));
    assert_true(ia_unicode_is_number(0x2167));
    assert_true(ia_unicode_is_punctuation(0x3001));
    assert_true(ia_unicode_is_mark(0x0301));
    assert_false(ia_unicode_is_letter('1'));
    /* White_Space, as Rust's char::is_whitespace. */
    static const uint32_t ws[] = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                                  0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        assert_true(ia_unicode_is_whitespace(ws[i]));
    static const uint32_t not_ws[] = {0x00, 0x1C, 0x1F, 'a', 0x180E, 0x200B, 0xFEFF, 0x110000};
    for (size_t i = 0; i < sizeof not_ws / sizeof not_ws[0]; i++)
        assert_false(ia_unicode_is_whitespace(not_ws[i]));
    size_t count = 0;
    for (uint32_t cp = 0; cp <= IA_UNICODE_MAX; cp++)
        count += ia_unicode_is_whitespace(cp);
    assert_int_equal(count, 25);
}

static void test_utf8(void **state)
{
    (void)state;
    char buf[4];
    for (uint32_t cp = 0; cp <= IA_UNICODE_MAX; cp++) {
        int n = ia_utf8_encode(cp, buf);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            assert_int_equal(n, 0);
            continue;
        }
        assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
        uint32_t back = 0;
        assert_int_equal(ia_utf8_decode(buf, (size_t)n, &back), n);
        assert_int_equal(back, cp);
        if (n > 1) /* truncated */
            assert_int_equal(ia_utf8_decode(buf, (size_t)n - 1, &back), -1);
    }
    assert_int_equal(ia_utf8_encode(0x110000, buf), 0);
    uint32_t cp = 7;
    assert_int_equal(ia_utf8_decode("", 0, &cp), 0);
    static const char *const bad[] = {
        "\x80",             /* stray continuation */
        "\xBF",             /* stray continuation */
        "\xC0\x80",         /* overlong NUL */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\xAF",     /* overlong '/' */
        "\xF0\x8F\xBF\xBF", /* overlong U+FFFF */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xED\xBF\xBF",     /* surrogate U+DFFF */
        "\xF4\x90\x80\x80", /* U+110000 */
        "\xF5\x80\x80\x80", /* lead byte above F4 */
        "\xFF",             /* never valid */
        "\xC3\x28",         /* bad continuation */
        "\xE2\x28\xA1",     /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ia_utf8_decode(bad[i], strlen(bad[i]), &cp), -1);
        assert_int_equal(cp, 7);
    }
}

/* Normalises in (NUL-terminated) and compares with want. */
static void check_norm(ia_unicode_form form, const char *in, const char *want)
{
    char *out = NULL;
    size_t out_len = 0;
    ia_error err;
    assert_int_equal(ia_unicode_normalize(form, in, strlen(in), &out, &out_len, NULL, &err), IA_OK);
    assert_int_equal(out_len, strlen(want));
    assert_string_equal(out, want);
    free(out);
}

static void test_normalize_basic(void **state)
{
    (void)state;
    check_norm(IA_UNICODE_NFC, "", "");
    check_norm(IA_UNICODE_NFC, "e\xCC\x81", "\xC3\xA9");             /* e + acute -> é */
    check_norm(IA_UNICODE_NFD, "\xC3\xA9", "e\xCC\x81");
    check_norm(IA_UNICODE_NFKC, "\xEF\xAC\x81", "fi");               /* U+FB01 ligature */
    check_norm(IA_UNICODE_NFC, "\xEF\xAC\x81", "\xEF\xAC\x81");
    check_norm(IA_UNICODE_NFD, "\xEA\xB0\x81", "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"); /* 각 */
    check_norm(IA_UNICODE_NFC, "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", "\xEA\xB0\x81");
    check_norm(IA_UNICODE_NFC, "\xCC\x81" "a", "\xCC\x81" "a");      /* leading mark */
    check_norm(IA_UNICODE_NFKD, "\xE2\x91\xA0", "1");                /* circled 1 */

    /* The map: each output byte to the first byte of its input character. */
    const char in[] = "xe\xCC\x81\xEF\xAC\x81";
    char *out = NULL;
    size_t out_len = 0, *map = NULL;
    ia_error err;
    assert_int_equal(ia_unicode_normalize(IA_UNICODE_NFKC, in, sizeof in - 1, &out, &out_len, &map,
                                          &err),
                     IA_OK);
    assert_string_equal(out, "x\xC3\xA9" "fi");
    assert_int_equal(out_len, 5);
    static const size_t want[] = {0, 1, 1, 4, 4, sizeof in - 1};
    for (size_t i = 0; i <= out_len; i++)
        assert_int_equal(map[i], want[i]);
    free(out);
    free(map);
}

/* ia_unicode_to_lower against Rust's char::to_lowercase. */
static void test_to_lower(void **state)
{
    (void)state;
    uint32_t out[3];
    assert_int_equal(ia_unicode_to_lower('A', out), 1);
    assert_int_equal(out[0], 'a');
    assert_int_equal(ia_unicode_to_lower(0x130, out), 2); /* I with dot above */
    assert_int_equal(out[0], 0x69);
    assert_int_equal(out[1], 0x307);
    assert_int_equal(ia_unicode_to_lower(0x3A3, out), 1); /* capital sigma: never final */
    assert_int_equal(out[0], 0x3C3);
    assert_int_equal(ia_unicode_to_lower(0x1E9E, out), 1); /* capital sharp s */
    assert_int_equal(out[0], 0xDF);
    assert_int_equal(ia_unicode_to_lower(0x2160, out), 1); /* Roman numeral one (Nl) */
    assert_int_equal(out[0], 0x2170);
    assert_int_equal(ia_unicode_to_lower('7', out), 1);
    assert_int_equal(out[0], '7');
    assert_int_equal(ia_unicode_to_lower(0x4E00, out), 1);
    assert_int_equal(out[0], 0x4E00);
    assert_int_equal(ia_unicode_to_lower(0xE9, out), 1);
    assert_int_equal(out[0], 0xE9);
}

static void test_normalize_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *offset;
    } cases[] = {
        {"ab\xFF", "byte offset 2"},
        {"\xC0\x80", "byte offset 0"},
        {"\xC3\xA9\xED\xA0\x80", "byte offset 2"},
        {"abc\xE2\x82", "byte offset 3"},
        {"\xF4\x90\x80\x80", "byte offset 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = (char *)1;
        size_t out_len = 9, *map = (size_t *)1;
        ia_error err;
        assert_int_equal(ia_unicode_normalize(IA_UNICODE_NFC, cases[i].s, strlen(cases[i].s), &out,
                                              &out_len, &map, &err),
                         IA_ERR_INVALID);
        assert_null(out);
        assert_null(map);
        assert_non_null(strstr(err.message, cases[i].offset));
    }
}

/* --- the conformance test (NormalizationTest.txt) -------------------------- */

static const char normtest_program[] =
    "import bz2, os, sys\n"
    "p = os.path.join(sys.argv[1], 'NormalizationTest.txt')\n"
    "data = open(p, 'rb').read() if os.path.exists(p) else bz2.open(p + '.bz2').read()\n"
    "sys.stdout.buffer.write(data)\n";

typedef struct col {
    char s[256];
    size_t len;
} col;

static bool parse_col(const char *field, const char *end, col *c)
{
    c->len = 0;
    const char *p = field;
    while (p < end) {
        char *e;
        unsigned long cp = strtoul(p, &e, 16);
        if (e == p)
            break;
        if (c->len + 4 >= sizeof c->s)
            return false;
        int n = ia_utf8_encode((uint32_t)cp, c->s + c->len);
        if (n == 0)
            return false;
        c->len += (size_t)n;
        p = e;
        while (p < end && *p == ' ')
            p++;
    }
    return true;
}

static size_t failures;

static void expect(ia_unicode_form form, const col *src, const col *want, size_t line)
{
    static const char *const names[] = {"NFC", "NFD", "NFKC", "NFKD"};
    char *out = NULL;
    size_t out_len = 0;
    ia_error err;
    ia_status st = ia_unicode_normalize(form, src->s, src->len, &out, &out_len, NULL, &err);
    if (st != IA_OK || out_len != want->len || memcmp(out, want->s, out_len) != 0) {
        if (failures++ < 10)
            print_message("NormalizationTest.txt line %zu: %s of %zu bytes differs\n", line,
                          names[form], src->len);
    }
    free(out);
}

static void test_normalization_conformance(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = run_python(normtest_program, &len);
    if (!text) {
        print_message("skipped: NormalizationTest.txt not readable in %s\n", ucd_dir());
        skip();
    }
    unsigned char *part1 = calloc(0x110000, 1);
    assert_non_null(part1);
    size_t lines = 0, lineno = 0;
    int part = -1;
    failures = 0;
    for (char *p = text; *p;) {
        char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        lineno++;
        if (*p == '@') {
            part = (int)strtol(p + 5, NULL, 10);
        } else if (*p != '#' && eol > p) {
            col c[5];
            const char *f = p;
            for (int i = 0; i < 5; i++) {
                const char *semi = memchr(f, ';', (size_t)(eol - f));
                assert_non_null(semi);
                assert_true(parse_col(f, semi, &c[i]));
                f = semi + 1;
            }
            if (part == 1) {
                uint32_t cp;
                assert_true(ia_utf8_decode(c[0].s, c[0].len, &cp) == (int)c[0].len);
                part1[cp] = 1;
            }
            for (int i = 0; i < 3; i++) {
                expect(IA_UNICODE_NFC, &c[i], &c[1], lineno);
                expect(IA_UNICODE_NFD, &c[i], &c[2], lineno);
            }
            for (int i = 3; i < 5; i++) {
                expect(IA_UNICODE_NFC, &c[i], &c[3], lineno);
                expect(IA_UNICODE_NFD, &c[i], &c[4], lineno);
            }
            for (int i = 0; i < 5; i++) {
                expect(IA_UNICODE_NFKC, &c[i], &c[3], lineno);
                expect(IA_UNICODE_NFKD, &c[i], &c[4], lineno);
            }
            lines++;
        }
        p = *eol ? eol + 1 : eol;
    }
    free(text);
    /* Part 1's rule: every code point it does not list is its own normal form. */
    size_t identity = 0;
    for (uint32_t cp = 0; cp <= IA_UNICODE_MAX; cp++) {
        if (part1[cp] || (cp >= 0xD800 && cp <= 0xDFFF))
            continue;
        col c;
        c.len = (size_t)ia_utf8_encode(cp, c.s);
        for (int f = IA_UNICODE_NFC; f <= IA_UNICODE_NFKD; f++)
            expect((ia_unicode_form)f, &c, &c, 0);
        identity++;
    }
    free(part1);
    print_message("NormalizationTest.txt: %zu lines, %zu unlisted code points, %zu failures\n",
                  lines, identity, failures);
    assert_true(lines > 10000);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_normalize_basic),
        cmocka_unit_test(test_normalize_invalid),
        cmocka_unit_test(test_to_lower),
        cmocka_unit_test(test_normalization_conformance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
