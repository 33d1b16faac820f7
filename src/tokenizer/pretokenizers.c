/*
 * Pre-tokenizer components (the Rust library's src/pre_tokenizers): each
 * splits the pre-tokenized string's untokenized splits with
 * tk_pretok_split and tk_nstr_split, and ByteLevel also rewrites every
 * split into GPT-2's byte alphabet. Regexes are compiled once, at parse
 * time.
 */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef enum pkind {
    P_BERT,
    P_BYTE_LEVEL,
    P_METASPACE,
    P_WHITESPACE,
    P_WHITESPACE_SPLIT,
    P_PUNCTUATION,
    P_DIGITS,
    P_SPLIT,
    P_CHAR_DELIMITER,
    P_SEQUENCE
} pkind;

typedef enum prepend_scheme { PREPEND_ALWAYS, PREPEND_FIRST, PREPEND_NEVER } prepend_scheme;

struct tk_pretokenizer {
    pkind kind;
    /* ByteLevel */
    bool add_prefix_space, trim_offsets, use_regex;
    /* Metaspace */
    uint32_t replacement;
    char rep[5]; /* replacement as UTF-8 */
    prepend_scheme scheme;
    bool split;
    /* Punctuation, Split */
    tk_split_behavior behavior;
    /* Digits */
    bool individual;
    /* CharDelimiterSplit */
    uint32_t delimiter;
    /* ByteLevel, Whitespace, Split */
    ia_regex *re;
    tk_pattern pat;
    char *str;
    /* Sequence */
    tk_pretokenizer **seq;
    size_t nseq;
};

static const char SUPPORTED[] = "BertPreTokenizer, ByteLevel, Metaspace, Whitespace, "
                                "WhitespaceSplit, Punctuation, Digits, Split, "
                                "CharDelimiterSplit, Sequence";

/* GPT-2's pattern, byte_level.rs. */
static const char GPT2_RE[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

void tk_pretokenizer_free(tk_pretokenizer *p)
{
    if (!p)
        return;
    ia_regex_free(p->re);
    free(p->str);
    for (size_t i = 0; i < p->nseq; i++)
        tk_pretokenizer_free(p->seq[i]);
    free(p->seq);
    free(p);
}

static tk_pretokenizer *alloc_pre(pkind kind, ia_error *err)
{
    tk_pretokenizer *p = calloc(1, sizeof *p);
    if (!p) {
        ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a pre-tokenizer");
        return NULL;
    }
    p->kind = kind;
    return p;
}

/* --- character classes -------------------------------------------------------- */

static bool is_ws(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0D);
    return ia_unicode_is_whitespace(c);
}

static bool is_punc(uint32_t c, const void *ctx);

/* BertPreTokenizer in one pass: its whitespace split (Removed) then its
 * punctuation split (Isolated) leave the runs of other characters and each
 * punctuation character alone. */
static ia_status bert_split(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                            ia_error *err)
{
    (void)ctx;
    (void)index;
    ia_status st = IA_OK;
    size_t n = str->len, start = 0;
    bool in_run = false;
    for (size_t i = 0; i <= n && st == IA_OK;) {
        int cls = -1; /* -1 end or whitespace, 0 other, 1 punctuation */
        size_t k = 1;
        if (i < n) {
            unsigned char c = (unsigned char)str->s[i];
            if (c < 0x80) { /* most text: no decoding, no table */
                cls = is_ws(c, NULL) ? -1 : is_punc(c, NULL) ? 1 : 0;
            } else {
                uint32_t cp = 0;
                int kk = ia_utf8_decode(str->s + i, n - i, &cp);
                k = kk > 0 ? (size_t)kk : 1;
                cls = is_ws(cp, NULL) ? -1 : is_punc(cp, NULL) ? 1 : 0;
            }
        }
        if (in_run && cls != 0) {
            st = tk_pretok_push_slice(out, str, start, i, err);
            in_run = false;
        }
        if (st == IA_OK && cls == 1) {
            st = tk_pretok_push_slice(out, str, i, i + k, err);
        } else if (cls == 0 && !in_run) {
            in_run = true;
            start = i;
        }
        i += k;
    }
    tk_nstr_free(str);
    return st;
}

/* char::is_ascii_punctuation || is_punctuation, the latter from the
 * unicode_categories crate, whose tables are older than ours: generated from
 * the UCD (IA_UCOMPAT_PUNCT), checked against the Rust library by
 * tests/unicode_compat.js. */
static bool is_punc(uint32_t c, const void *ctx)
{
    (void)ctx;
    return ia_unicode_rust_compat(c, IA_UCOMPAT_PUNCT);
}

/* char::is_numeric: Nd, Nl, No. */
static bool is_numeric(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x80)
        return c >= '0' && c <= '9';
    return ia_unicode_is_number(c);
}

/* Oniguruma's Unicode \w (UTS #18 "word"): Alphabetic, marks, decimal
 * digits, connector punctuation and Join_Control. Alphabetic is taken as
 * the letters, Nl and the circled/squared/negative letters (the symbols
 * with Other_Alphabetic); the few Other_Alphabetic characters outside
 * those are missed. */
static bool is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    if (c == 0x200C || c == 0x200D || (c >= 0x24B6 && c <= 0x24E9) ||
        (c >= 0x1F130 && c <= 0x1F149) || (c >= 0x1F150 && c <= 0x1F169) ||
        (c >= 0x1F170 && c <= 0x1F189))
        return true;
    ia_ucat k = ia_unicode_category(c);
    return k <= IA_UCAT_Lo || k == IA_UCAT_Mn || k == IA_UCAT_Mc || k == IA_UCAT_Me ||
           k == IA_UCAT_Nd || k == IA_UCAT_Nl || k == IA_UCAT_Pc;
}

/* Whitespace: the splits are the matches of \w+|[^\w\s]+ (runs of word
 * characters, runs of other non-space characters); the spaces between go.
 * Scanned directly rather than with the regex, whose \w lacks
 * Join_Control and Nl. */
static ia_status whitespace_split(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                                  ia_error *err)
{
    (void)ctx;
    (void)index;
    ia_status st = IA_OK;
    size_t i = 0, n = str->len;
    int run = -1; /* -1 none, 0 word, 1 other */
    size_t start = 0;
    while (st == IA_OK) {
        int cls = -1;
        size_t k = 1;
        if (i < n) {
            uint32_t cp = 0;
            int kk = ia_utf8_decode(str->s + i, n - i, &cp);
            k = kk > 0 ? (size_t)kk : 1;
            cls = ia_unicode_is_whitespace(cp) ? -1 : is_word(cp) ? 0 : 1;
        }
        if (cls != run) {
            if (run >= 0)
                st = tk_pretok_push_slice(out, str, start, i, err);
            run = cls;
            start = i;
        }
        if (i >= n)
            break;
        i += k;
    }
    tk_nstr_free(str);
    return st;
}

static bool is_char(uint32_t c, const void *ctx)
{
    return c == *(const uint32_t *)ctx;
}

/* --- the split callbacks --------------------------------------------------------- */

typedef struct split_ctx {
    const tk_pretokenizer *p;
    const tk_pattern *pat;
    tk_split_behavior behavior;
} split_ctx;

static ia_status split_with(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                            ia_error *err)
{
    (void)index;
    const split_ctx *c = ctx;
    return tk_nstr_split(str, c->pat, c->behavior, out, err);
}

static ia_status split_pattern(tk_pretok *pt, const tk_pattern *pat, tk_split_behavior b,
                               ia_error *err)
{
    split_ctx c = {NULL, pat, b};
    return tk_pretok_split(pt, split_with, &c, err);
}

static ia_status split_chars(tk_pretok *pt, bool (*fn)(uint32_t, const void *),
                             const void *fctx, bool invert, tk_split_behavior b, ia_error *err)
{
    tk_pattern pat = {.kind = TK_PATTERN_CHARS, .is_match = fn, .ctx = fctx, .invert = invert};
    return split_pattern(pt, &pat, b, err);
}

/* byte_level.rs's normalize step for ns[b, e): each byte becomes its
 * alphabet character; the first of a character's bytes replaces it and the
 * others are inserted, so all of them keep the character's alignment.
 * Built straight into a new string (the split's slice and its mapping in
 * one step). */
static ia_status byte_level_piece(const tk_nstr *ns, size_t b, size_t e, tk_pretok *pt,
                                  ia_error *err)
{
    tk_nstr piece, *out = &piece;
    ia_status st = tk_pretok_new_nstr(pt, (e - b) * 2, out, err);
    if (st != IA_OK)
        return st;
    size_t o = 0;
    for (size_t i = b; i < e;) {
        unsigned char lead = (unsigned char)ns->s[i];
        size_t k = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        if (k > e - i)
            k = e - i;
        ia_span a = ns->align[i];
        for (size_t q = 0; q < k; q++) {
            uint32_t cp = tk_byte_level_char((uint8_t)ns->s[i + q]);
            /* The alphabet is below U+0144: one or two bytes. */
            if (cp < 0x80) {
                out->s[o] = (char)cp;
                out->align[o++] = a;
            } else {
                out->s[o] = (char)(0xC0 | (cp >> 6));
                out->s[o + 1] = (char)(0x80 | (cp & 0x3F));
                out->align[o] = a;
                out->align[o + 1] = a;
                o += 2;
            }
        }
        i += k;
    }
    out->s[o] = '\0';
    out->len = o;
    out->orig = tk_nstr_to_original(ns, b, e);
    return tk_pretok_push(pt, out, err);
}

/* ByteLevel: the optional prefix space, the GPT-2 split (Isolated), and
 * every piece into the byte alphabet. */
static ia_status byte_level_split(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                                  ia_error *err)
{
    (void)index;
    const tk_pretokenizer *p = ctx;
    ia_status st = IA_OK;
    if (p->add_prefix_space && !(str->len > 0 && str->s[0] == ' '))
        st = tk_nstr_prepend(str, " ", err);
    tk_match *m = NULL;
    size_t n = 1;
    if (st == IA_OK && p->use_regex)
        st = tk_pattern_find(&p->pat, str->s, str->len, &m, &n, err);
    for (size_t i = 0; i < n && st == IA_OK; i++) {
        size_t b = m ? m[i].begin : 0, e = m ? m[i].end : str->len;
        if (b == e)
            continue; /* empty splits are dropped anyway */
        st = byte_level_piece(str, b, e, out, err);
    }
    free(m);
    tk_nstr_free(str);
    return st;
}

/* Metaspace: spaces become the replacement, the prefix per the scheme,
 * then a split before each replacement. */
static ia_status metaspace_split(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                                 ia_error *err)
{
    (void)index;
    const tk_pretokenizer *p = ctx;
    uint32_t space = ' ';
    tk_pattern sp = {.kind = TK_PATTERN_CHARS, .is_match = is_char, .ctx = &space};
    ia_status st = tk_nstr_replace(str, &sp, p->rep, err);
    if (st != IA_OK)
        return st;
    size_t rl = strlen(p->rep);
    bool starts = str->len >= rl && memcmp(str->s, p->rep, rl) == 0;
    /* "first": only the split that begins the input (its original offset
     * is 0), as metaspace.rs checks offsets_original().0 == 0. */
    bool prepend = !starts && (p->scheme == PREPEND_ALWAYS ||
                               (p->scheme == PREPEND_FIRST && str->orig.begin == 0));
    if (prepend && (st = tk_nstr_prepend(str, p->rep, err)) != IA_OK)
        return st;
    if (!p->split)
        return tk_pretok_push(out, str, err);
    tk_pattern rp = {.kind = TK_PATTERN_CHARS, .is_match = is_char, .ctx = &p->replacement};
    return tk_nstr_split(str, &rp, TK_SPLIT_MERGED_WITH_NEXT, out, err);
}

ia_status tk_pretokenizer_apply(const tk_pretokenizer *p, tk_pretok *pt, ia_error *err)
{
    if (!p)
        return IA_OK;
    ia_status st = IA_OK;
    switch (p->kind) {
    case P_BERT:
        return tk_pretok_split(pt, bert_split, NULL, err);
    case P_BYTE_LEVEL:
        return tk_pretok_split(pt, byte_level_split, (void *)p, err);
    case P_METASPACE:
        return tk_pretok_split(pt, metaspace_split, (void *)p, err);
    case P_WHITESPACE:
        return tk_pretok_split(pt, whitespace_split, NULL, err);
    case P_SPLIT:
        return split_pattern(pt, &p->pat, p->behavior, err);
    case P_WHITESPACE_SPLIT:
        return split_chars(pt, is_ws, NULL, false, TK_SPLIT_REMOVED, err);
    case P_PUNCTUATION:
        return split_chars(pt, is_punc, NULL, false, p->behavior, err);
    case P_DIGITS:
        return split_chars(pt, is_numeric, NULL, false,
                           p->individual ? TK_SPLIT_ISOLATED : TK_SPLIT_CONTIGUOUS, err);
    case P_CHAR_DELIMITER:
        return split_chars(pt, is_char, &p->delimiter, false, TK_SPLIT_REMOVED, err);
    case P_SEQUENCE:
        for (size_t i = 0; i < p->nseq && st == IA_OK; i++)
            st = tk_pretokenizer_apply(p->seq[i], pt, err);
        return st;
    }
    return ia_error_set(err, IA_ERR_INTERNAL, "tokenizer: unknown pre-tokenizer kind %d",
                        (int)p->kind);
}

/* --- parsing ------------------------------------------------------------------------ */

static ia_status compile(const char *src, ia_regex **re, tk_pattern *pat, ia_error *err)
{
    ia_status st = ia_regex_compile(src, 0, re, err);
    if (st != IA_OK)
        return st;
    memset(pat, 0, sizeof *pat);
    pat->kind = TK_PATTERN_REGEX;
    pat->re = *re;
    return IA_OK;
}

/* A string holding exactly one character (serde's char). */
static ia_status json_char(const tk_load *ld, const cJSON *v, const char *path, const char *key,
                           uint32_t *out)
{
    const char *s;
    ia_status st = tk_json_string(ld, v, path, key, true, NULL, &s);
    if (st != IA_OK)
        return st;
    size_t len = strlen(s);
    uint32_t cp = 0;
    int k = ia_utf8_decode(s, len, &cp);
    if (k <= 0 || (size_t)k != len) {
        char p[TK_PATH_MAX];
        tk_path_key(p, path, key);
        return tk_json_fail(ld, IA_ERR_PARSE, p, "expected a single character, found \"%s\"", s);
    }
    *out = cp;
    return IA_OK;
}

static ia_status parse_behavior(const tk_load *ld, const cJSON *v, const char *path,
                                bool required, tk_split_behavior *out)
{
    const char *s;
    ia_status st = tk_json_string(ld, v, path, "behavior", required, "Isolated", &s);
    if (st != IA_OK)
        return st;
    static const struct {
        const char *pascal, *snake;
        tk_split_behavior b;
    } names[] = {{"Removed", "removed", TK_SPLIT_REMOVED},
                 {"Isolated", "isolated", TK_SPLIT_ISOLATED},
                 {"MergedWithPrevious", "merged_with_previous", TK_SPLIT_MERGED_WITH_PREVIOUS},
                 {"MergedWithNext", "merged_with_next", TK_SPLIT_MERGED_WITH_NEXT},
                 {"Contiguous", "contiguous", TK_SPLIT_CONTIGUOUS}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].pascal) == 0 || strcmp(s, names[i].snake) == 0) {
            *out = names[i].b;
            return IA_OK;
        }
    char p[TK_PATH_MAX];
    tk_path_key(p, path, "behavior");
    return tk_json_fail(ld, IA_ERR_PARSE, p,
                        "unknown behavior '%s' (expected Removed, Isolated, MergedWithPrevious, "
                        "MergedWithNext or Contiguous)",
                        s);
}

/* Split's {"String": s} or {"Regex": r}. A String is an escaped regex in
 * the Rust library; it is searched literally here, except the empty one,
 * which as a regex matches everywhere. */
static ia_status parse_split_pattern(const tk_load *ld, const cJSON *v, const char *path,
                                     tk_pretokenizer *p)
{
    const cJSON *pv;
    ia_status st = tk_json_object(ld, v, path, "pattern", true, &pv);
    if (st != IA_OK)
        return st;
    char pp[TK_PATH_MAX];
    tk_path_key(pp, path, "pattern");
    const char *s = NULL, *r = NULL;
    if ((st = tk_json_string(ld, pv, pp, "String", false, NULL, &s)) != IA_OK ||
        (st = tk_json_string(ld, pv, pp, "Regex", false, NULL, &r)) != IA_OK)
        return st;
    if (!s && !r)
        return tk_json_fail(ld, IA_ERR_PARSE, pp,
                            "expected {\"String\": ...} or {\"Regex\": ...}");
    if (s && *s) {
        size_t n = strlen(s);
        p->str = malloc(n + 1);
        if (!p->str)
            return tk_json_fail(ld, IA_ERR_NOMEM, pp, "out of memory");
        memcpy(p->str, s, n + 1);
        memset(&p->pat, 0, sizeof p->pat);
        p->pat.kind = TK_PATTERN_STRING;
        p->pat.str = p->str;
        p->pat.str_len = n;
        return IA_OK;
    }
    ia_error rerr;
    st = compile(s ? "" : r, &p->re, &p->pat, &rerr);
    if (st != IA_OK) {
        char rp[TK_PATH_MAX];
        tk_path_key(rp, pp, "Regex");
        return tk_json_fail(ld, st, rp, "%s", rerr.message);
    }
    return IA_OK;
}

static ia_status parse_one(const tk_load *ld, const cJSON *v, const char *path,
                           tk_pretokenizer **out);

static ia_status parse_metaspace(const tk_load *ld, const cJSON *v, const char *path,
                                 tk_pretokenizer *p)
{
    ia_status st = json_char(ld, v, path, "replacement", &p->replacement);
    if (st != IA_OK)
        return st;
    int n = ia_utf8_encode(p->replacement, p->rep);
    p->rep[n > 0 ? n : 0] = '\0';
    const char *scheme;
    if ((st = tk_json_string(ld, v, path, "prepend_scheme", false, NULL, &scheme)) != IA_OK ||
        (st = tk_json_bool(ld, v, path, "split", false, true, &p->split)) != IA_OK)
        return st;
    p->scheme = PREPEND_ALWAYS;
    if (scheme) {
        if (strcmp(scheme, "first") == 0) {
            p->scheme = PREPEND_FIRST;
        } else if (strcmp(scheme, "never") == 0) {
            p->scheme = PREPEND_NEVER;
        } else if (strcmp(scheme, "always") != 0) {
            char sp[TK_PATH_MAX];
            tk_path_key(sp, path, "prepend_scheme");
            return tk_json_fail(ld, IA_ERR_PARSE, sp,
                                "unknown prepend scheme '%s' (expected first, never or always)",
                                scheme);
        }
    }
    /* The legacy key: false means "never", and contradicts another
     * declared scheme (metaspace.rs rejects that too). */
    const cJSON *aps = cJSON_GetObjectItemCaseSensitive(v, "add_prefix_space");
    if (aps && !cJSON_IsNull(aps)) {
        bool b;
        if ((st = tk_json_bool(ld, v, path, "add_prefix_space", true, true, &b)) != IA_OK)
            return st;
        if (!b) {
            if (p->scheme != PREPEND_NEVER) {
                char ap[TK_PATH_MAX];
                tk_path_key(ap, path, "add_prefix_space");
                return tk_json_fail(ld, IA_ERR_PARSE, ap,
                                    "add_prefix_space does not match declared prepend_scheme");
            }
            p->scheme = PREPEND_NEVER;
        }
    }
    return IA_OK;
}

static ia_status parse_one(const tk_load *ld, const cJSON *v, const char *path,
                           tk_pretokenizer **out)
{
    const char *type;
    ia_status st = tk_json_component_type(ld, v, path, &type);
    if (st != IA_OK)
        return st;
    static const struct {
        const char *name;
        pkind kind;
    } kinds[] = {{"BertPreTokenizer", P_BERT},        {"ByteLevel", P_BYTE_LEVEL},
                 {"Metaspace", P_METASPACE},          {"Whitespace", P_WHITESPACE},
                 {"WhitespaceSplit", P_WHITESPACE_SPLIT}, {"Punctuation", P_PUNCTUATION},
                 {"Digits", P_DIGITS},                {"Split", P_SPLIT},
                 {"CharDelimiterSplit", P_CHAR_DELIMITER}, {"Sequence", P_SEQUENCE}};
    int found = -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, type) == 0)
            found = (int)i;
    if (found < 0)
        return tk_json_unknown_type(ld, path, "pre-tokenizer", type, SUPPORTED);
    tk_pretokenizer *p = alloc_pre(kinds[found].kind, ld->err);
    if (!p)
        return IA_ERR_NOMEM;
    switch (p->kind) {
    case P_BYTE_LEVEL:
        if ((st = tk_json_bool(ld, v, path, "add_prefix_space", true, true,
                               &p->add_prefix_space)) != IA_OK ||
            (st = tk_json_bool(ld, v, path, "trim_offsets", true, true, &p->trim_offsets)) !=
                IA_OK ||
            (st = tk_json_bool(ld, v, path, "use_regex", false, true, &p->use_regex)) != IA_OK)
            break;
        if (p->use_regex && (st = compile(GPT2_RE, &p->re, &p->pat, ld->err)) != IA_OK)
            st = tk_json_fail(ld, st, path, "compiling the GPT-2 pattern failed");
        break;
    case P_METASPACE:
        st = parse_metaspace(ld, v, path, p);
        break;
    case P_PUNCTUATION:
        st = parse_behavior(ld, v, path, false, &p->behavior);
        break;
    case P_DIGITS:
        st = tk_json_bool(ld, v, path, "individual_digits", true, false, &p->individual);
        break;
    case P_SPLIT: {
        bool invert = false;
        if ((st = parse_behavior(ld, v, path, true, &p->behavior)) != IA_OK ||
            (st = tk_json_bool(ld, v, path, "invert", true, false, &invert)) != IA_OK ||
            (st = parse_split_pattern(ld, v, path, p)) != IA_OK)
            break;
        p->pat.invert = invert;
        break;
    }
    case P_CHAR_DELIMITER:
        st = json_char(ld, v, path, "delimiter", &p->delimiter);
        break;
    case P_SEQUENCE: {
        const cJSON *arr;
        if ((st = tk_json_array(ld, v, path, "pretokenizers", true, &arr)) != IA_OK)
            break;
        size_t cnt = (size_t)cJSON_GetArraySize(arr);
        p->seq = calloc(cnt ? cnt : 1, sizeof *p->seq);
        if (!p->seq) {
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
            break;
        }
        char ap[TK_PATH_MAX];
        tk_path_key(ap, path, "pretokenizers");
        const cJSON *it;
        size_t i = 0;
        cJSON_ArrayForEach(it, arr)
        {
            char ip[TK_PATH_MAX];
            tk_path_index(ip, ap, i++);
            tk_pretokenizer *child = NULL;
            if ((st = parse_one(ld, it, ip, &child)) != IA_OK)
                break;
            p->seq[p->nseq++] = child;
        }
        break;
    }
    default:
        break;
    }
    if (st != IA_OK) {
        tk_pretokenizer_free(p);
        return st;
    }
    *out = p;
    return IA_OK;
}

ia_status tk_pretokenizer_parse(const tk_load *ld, const cJSON *v, const char *path,
                                tk_pretokenizer **out)
{
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    return parse_one(ld, v, path, out);
}

