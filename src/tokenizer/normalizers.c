/*
 * Normalizer components (the Rust library's src/normalizers): each one
 * rewrites a tk_nstr with the NormalizedString operations of nstr.c, so
 * alignments follow exactly the change lists the Rust code produces.
 */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef enum nkind {
    N_BERT,
    N_NFC,
    N_NFD,
    N_NFKC,
    N_NFKD,
    N_LOWERCASE,
    N_STRIP_ACCENTS,
    N_STRIP,
    N_REPLACE,
    N_PREPEND,
    N_APPEND,
    N_PRECOMPILED,
    N_NMT,
    N_BYTE_LEVEL,
    N_SEQUENCE
} nkind;

struct tk_normalizer {
    nkind kind;
    /* BertNormalizer */
    bool clean_text, chinese, strip_accents, lowercase;
    /* Strip */
    bool left, right;
    /* Replace, Prepend (the Rust library has no Append normalizer; N_APPEND
     * is kept for symmetry but no JSON type names it) */
    tk_pattern pat;
    ia_regex *re;
    char *str;     /* the pattern string, or Prepend/Append's text */
    char *content; /* Replace */
    /* Precompiled: darts-clone double array and the NUL-separated
     * replacement strings it indexes */
    uint32_t *trie;
    size_t trie_n;
    char *repl;
    size_t repl_len;
    /* Sequence */
    tk_normalizer **seq;
    size_t nseq;
};

static const char SUPPORTED[] =
    "BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Strip, Replace, Prepend, "
    "Append, Precompiled, Nmt, ByteLevel, Sequence";

void tk_normalizer_free(tk_normalizer *n)
{
    if (!n)
        return;
    ia_regex_free(n->re);
    free(n->str);
    free(n->content);
    free(n->trie);
    free(n->repl);
    for (size_t i = 0; i < n->nseq; i++)
        tk_normalizer_free(n->seq[i]);
    free(n->seq);
    free(n);
}

static tk_normalizer *alloc_normalizer(nkind kind, ia_error *err)
{
    tk_normalizer *n = calloc(1, sizeof *n);
    if (!n) {
        ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a normalizer");
        return NULL;
    }
    n->kind = kind;
    return n;
}

static char *dup_str(const char *s)
{
    size_t len = strlen(s);
    char *d = malloc(len + 1);
    if (d)
        memcpy(d, s, len + 1);
    return d;
}

/* --- character classes -------------------------------------------------------- */

/* The Rust library's character classes come from crates with tables older
 * than ours: BertNormalizer's is_mark_nonspacing and is_other from the
 * unicode_categories crate, StripAccents' mark test from the normalisation
 * crate (which also holds Mc and Me). The generated tables rebuild them from
 * the UCD (ia_unicode_rust_compat, IA_UCOMPAT_*); tests/unicode_compat.js
 * checks them against the Rust library over every code point. */

/* bert.rs is_chinese_char: the CJK ideograph blocks. */
static bool is_chinese(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
           (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

static bool is_other(uint32_t c)
{
    return ia_unicode_rust_compat(c, IA_UCOMPAT_OTHER);
}

/* bert.rs do_clean_text: drop NUL, U+FFFD and controls other than \t \n \r. */
static bool bert_keep(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x80)
        return c >= 0x20 ? c != 0x7F : (c == '\t' || c == '\n' || c == '\r');
    if (c == 0xFFFD)
        return false;
    return !is_other(c);
}

static uint32_t bert_space(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x80) /* White_Space in ASCII: \t \n \v \f \r and the space */
        return (c >= 0x09 && c <= 0x0D) ? ' ' : c;
    return ia_unicode_is_whitespace(c) ? ' ' : c;
}

/* StripAccents' filter. */
static bool not_mark(uint32_t c, const void *ctx)
{
    (void)ctx;
    return !ia_unicode_rust_compat(c, IA_UCOMPAT_MARK);
}

/* BertNormalizer's strip_accents filter. */
static bool not_bert_mn(uint32_t c, const void *ctx)
{
    (void)ctx;
    return !ia_unicode_rust_compat(c, IA_UCOMPAT_BERT_MN);
}

/* unicode.rs do_nmt. */
static bool nmt_keep(uint32_t c, const void *ctx)
{
    (void)ctx;
    return !((c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || c == 0x7F ||
             c == 0x8F || c == 0x9F);
}

static uint32_t nmt_map(uint32_t c, const void *ctx)
{
    (void)ctx;
    switch (c) {
    case 0x9: case 0xA: case 0xC: case 0xD: case 0x1680: case 0x2028: case 0x2029:
    case 0x2581: case 0xFEFF: case 0xFFFD:
        return ' ';
    default:
        return (c >= 0x200B && c <= 0x200F) ? ' ' : c;
    }
}

/* --- change lists --------------------------------------------------------------- */

typedef struct cvec {
    tk_change *v;
    size_t n, cap;
} cvec;

static ia_status cpush(cvec *c, uint32_t cp, int32_t change, ia_error *err)
{
    if (c->n == c->cap) {
        ia_status st = tk_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v, err);
        if (st != IA_OK)
            return st;
    }
    c->v[c->n++] = (tk_change){cp, change};
    return IA_OK;
}

static inline uint32_t dec(const char *s, size_t len, size_t *k)
{
    uint32_t cp = 0;
    int n = ia_utf8_decode(s, len, &cp);
    *k = n > 0 ? (size_t)n : 1;
    return cp;
}

/* bert.rs do_handle_chinese_chars: (' ', 0), (c, 1), (' ', 1) around each
 * ideograph, so both spaces share its alignment. */
static ia_status bert_chinese(tk_nstr *ns, ia_error *err)
{
    bool any = false;
    for (size_t i = 0; i < ns->len && !any;) {
        size_t k;
        uint32_t cp = dec(ns->s + i, ns->len - i, &k);
        any = is_chinese(cp);
        i += k;
    }
    if (!any)
        return IA_OK;
    cvec c = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < ns->len && st == IA_OK;) {
        size_t k;
        uint32_t cp = dec(ns->s + i, ns->len - i, &k);
        if (is_chinese(cp)) {
            st = cpush(&c, ' ', 0, err);
            if (st == IA_OK)
                st = cpush(&c, cp, 1, err);
            if (st == IA_OK)
                st = cpush(&c, ' ', 1, err);
        } else {
            st = cpush(&c, cp, 0, err);
        }
        i += k;
    }
    if (st == IA_OK)
        st = tk_nstr_transform(ns, c.v, c.n, 0, err);
    free(c.v);
    return st;
}

/* byte_level.rs normalizer: every byte becomes its alphabet character, the
 * first of each character replacing it, the others inserted. */
static ia_status byte_level(tk_nstr *ns, ia_error *err)
{
    if (ns->len == 0)
        return IA_OK;
    cvec c = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < ns->len && st == IA_OK;) {
        size_t k;
        dec(ns->s + i, ns->len - i, &k);
        for (size_t q = 0; q < k && st == IA_OK; q++)
            st = cpush(&c, tk_byte_level_char((uint8_t)ns->s[i + q]), q > 0 ? 1 : 0, err);
        i += k;
    }
    if (st == IA_OK)
        st = tk_nstr_transform(ns, c.v, c.n, 0, err);
    free(c.v);
    return st;
}

/* --- Precompiled (SentencePiece's precompiled_charsmap) ------------------------ */

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64 with optional padding; *out (free()). */
static bool b64decode(const char *s, unsigned char **out, size_t *out_len)
{
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == '=')
        len--;
    unsigned char *o = malloc(len * 3 / 4 + 3);
    if (!o)
        return false;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) {
            free(o);
            return false;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (bits >= 6) { /* a lone trailing character carries no byte */
        free(o);
        return false;
    }
    *out = o;
    *out_len = n;
    return true;
}

/* darts-clone unit accessors, as the spm_precompiled crate reads them. */
static inline bool u_has_leaf(uint32_t u) { return (u >> 8) & 1u; }
static inline uint32_t u_value(uint32_t u) { return u & 0x7FFFFFFFu; }
static inline uint32_t u_label(uint32_t u) { return u & (0x80000000u | 0xFFu); }
static inline uint32_t u_offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

/* Precompiled::transform: the replacement under the FIRST (shortest) key
 * that is a prefix of chunk, as the crate does; NULL when none. */
static const char *pc_transform(const tk_normalizer *n, const char *chunk, size_t len,
                                size_t *out_len)
{
    if (n->trie_n == 0)
        return NULL;
    size_t pos = 0;
    pos ^= u_offset(n->trie[0]);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)chunk[i];
        if (c == 0)
            break;
        pos ^= c;
        if (pos >= n->trie_n)
            return NULL;
        uint32_t u = n->trie[pos];
        if (u_label(u) != c)
            return NULL;
        pos ^= u_offset(u);
        if (u_has_leaf(u)) {
            if (pos >= n->trie_n)
                return NULL;
            size_t at = u_value(n->trie[pos]);
            if (at > n->repl_len)
                return NULL;
            const char *r = n->repl + at;
            size_t e = at;
            while (e < n->repl_len && n->repl[e] != '\0')
                e++;
            *out_len = e - at;
            return r;
        }
    }
    return NULL;
}

/* Grapheme_Cluster_Break, approximated from the general category and a few
 * ranges (no full UAX #29 table is at hand): Extend = Mn, Me, ZWNJ, the
 * halfwidth voiced marks U+FF9E/F, emoji modifiers and tags; SpacingMark =
 * Mc (less the UAX #29 exceptions) and Thai/Lao AM; Control = Cc, Zl, Zp
 * and Cf but ZWJ/ZWNJ; Hangul L/V/T/LV/LVT; regional indicators;
 * Extended_Pictographic ~ So and the emoji blocks. Not handled: Prepend
 * characters (rare; here they end up with the cluster before them) and
 * the Indic conjunct rule of Unicode 15.1 (GB9c). The Rust code uses the
 * unicode-segmentation crate's extended clusters; only clusters under six
 * bytes whose prefix is in the charsmap are affected by a difference. */
enum gcb { G_OTHER, G_CR, G_LF, G_CONTROL, G_EXTEND, G_ZWJ, G_SPACING, G_L, G_V, G_T, G_LV,
           G_LVT, G_RI, G_PICT };

static enum gcb gcb_of(uint32_t c)
{
    if (c == '\r')
        return G_CR;
    if (c == '\n')
        return G_LF;
    if (c == 0x200D)
        return G_ZWJ;
    if (c == 0x200C || c == 0xFF9E || c == 0xFF9F || (c >= 0x1F3FB && c <= 0x1F3FF) ||
        (c >= 0xE0020 && c <= 0xE007F))
        return G_EXTEND;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0xA960 && c <= 0xA97C))
        return G_L;
    if ((c >= 0x1160 && c <= 0x11A7) || (c >= 0xD7B0 && c <= 0xD7C6))
        return G_V;
    if ((c >= 0x11A8 && c <= 0x11FF) || (c >= 0xD7CB && c <= 0xD7FB))
        return G_T;
    if (c >= 0xAC00 && c <= 0xD7A3)
        return (c - 0xAC00) % 28 == 0 ? G_LV : G_LVT;
    if (c >= 0x1F1E6 && c <= 0x1F1FF)
        return G_RI;
    if (c == 0x0E33 || c == 0x0EB3)
        return G_SPACING; /* Thai and Lao AM: letters that are SpacingMark */
    /* Spacing marks UAX #29 leaves out of SpacingMark (Myanmar, Tai Tham,
     * Tai Viet and Ahom vowel signs): they start a new cluster. */
    if (c == 0x102B || c == 0x102C || c == 0x1038 || (c >= 0x1062 && c <= 0x1064) ||
        (c >= 0x1067 && c <= 0x106D) || c == 0x1083 || (c >= 0x1087 && c <= 0x108C) ||
        c == 0x108F || (c >= 0x109A && c <= 0x109C) || c == 0x1A61 || c == 0x1A63 ||
        c == 0x1A64 || c == 0xAA7B || c == 0xAA7D || c == 0x11720 || c == 0x11721)
        return G_OTHER;
    switch (ia_unicode_category(c)) {
    case IA_UCAT_Mn:
    case IA_UCAT_Me:
        return G_EXTEND;
    case IA_UCAT_Mc:
        return G_SPACING;
    case IA_UCAT_Cc:
    case IA_UCAT_Zl:
    case IA_UCAT_Zp:
    case IA_UCAT_Cf:
        return G_CONTROL;
    case IA_UCAT_So:
        return G_PICT;
    default:
        break;
    }
    if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF))
        return G_PICT;
    return G_OTHER;
}

/* End of the cluster starting at s[i]. */
static size_t grapheme_end(const char *s, size_t len, size_t i)
{
    size_t k;
    uint32_t cp = dec(s + i, len - i, &k);
    enum gcb prev = gcb_of(cp);
    bool pict_seq = prev == G_PICT; /* ExtPict Extend* so far */
    int ri = prev == G_RI ? 1 : 0;
    i += k;
    while (i < len) {
        cp = dec(s + i, len - i, &k);
        enum gcb g = gcb_of(cp);
        bool join;
        if (prev == G_CR)
            join = g == G_LF;
        else if (prev == G_LF || prev == G_CONTROL || g == G_CR || g == G_LF || g == G_CONTROL)
            join = false;
        else if (prev == G_L)
            join = g == G_L || g == G_V || g == G_LV || g == G_LVT || g == G_EXTEND ||
                   g == G_ZWJ || g == G_SPACING;
        else if ((prev == G_LV || prev == G_V) && (g == G_V || g == G_T))
            join = true;
        else if ((prev == G_LVT || prev == G_T) && g == G_T)
            join = true;
        else if (g == G_EXTEND || g == G_ZWJ || g == G_SPACING)
            join = true;
        else if (prev == G_ZWJ && g == G_PICT && pict_seq)
            join = true;
        else if (prev == G_RI && g == G_RI && ri % 2 == 1)
            join = true;
        else
            join = false;
        if (!join)
            break;
        if (g == G_RI)
            ri++;
        if (g != G_EXTEND && g != G_ZWJ && g != G_PICT)
            pict_seq = false;
        if (g == G_PICT && prev != G_ZWJ)
            pict_seq = false;
        prev = g;
        i += k;
    }
    return i;
}

static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* precompiled.rs replace(): the replacement's characters each replace one
 * (change 0); when it is longer than what it replaces, its last extra
 * characters become insertions (1); when shorter, the last change so far
 * (possibly a previous character's) removes the difference. With nothing
 * before it, a removal at the very start is lost, as in Rust. */
static ia_status push_norm(cvec *c, const char *r, size_t rlen, size_t old_count,
                           ia_error *err)
{
    long new_count = 0;
    ia_status st = IA_OK;
    for (size_t i = 0; i < rlen && st == IA_OK; new_count++) {
        size_t k;
        uint32_t cp = dec(r + i, rlen - i, &k);
        st = cpush(c, cp, 0, err);
        i += k;
    }
    if (st != IA_OK)
        return st;
    long diff = new_count - (long)old_count;
    if (diff > 0) {
        for (size_t i = 0; i < (size_t)diff && i < c->n; i++)
            c->v[c->n - 1 - i].change = 1;
    } else if (diff < 0 && c->n > 0) {
        c->v[c->n - 1].change += (int32_t)diff;
    }
    return IA_OK;
}

static ia_status precompiled(const tk_normalizer *n, tk_nstr *ns, ia_error *err)
{
    cvec c = {0};
    bool modified = false;
    ia_status st = IA_OK;
    const char *s = ns->s;
    for (size_t i = 0; i < ns->len && st == IA_OK;) {
        size_t ge = grapheme_end(s, ns->len, i);
        size_t rlen;
        const char *r;
        if (ge - i < 6 && (r = pc_transform(n, s + i, ge - i, &rlen)) != NULL) {
            modified = true;
            st = push_norm(&c, r, rlen, count_chars(s + i, ge - i), err);
            i = ge;
            continue;
        }
        while (i < ge && st == IA_OK) {
            size_t k;
            uint32_t cp = dec(s + i, ns->len - i, &k);
            r = pc_transform(n, s + i, k, &rlen);
            if (r) {
                modified = true;
                st = push_norm(&c, r, rlen, 1, err);
            } else {
                st = cpush(&c, cp, 0, err);
            }
            i += k;
        }
    }
    if (st == IA_OK && modified)
        st = tk_nstr_transform(ns, c.v, c.n, 0, err);
    free(c.v);
    return st;
}

static ia_status parse_precompiled(const tk_load *ld, const cJSON *v, const char *path,
                                   tk_normalizer *n)
{
    const char *b64;
    ia_status st = tk_json_string(ld, v, path, "precompiled_charsmap", true, NULL, &b64);
    if (st != IA_OK)
        return st;
    char p[TK_PATH_MAX];
    tk_path_key(p, path, "precompiled_charsmap");
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (!b64decode(b64, &bytes, &len))
        return tk_json_fail(ld, IA_ERR_PARSE, p, "not valid base64");
    uint32_t trie_size = 0;
    if (len >= 4)
        trie_size = (uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) |
                    ((uint32_t)bytes[3] << 24);
    if (len < 4 || trie_size > len - 4 || trie_size % 4 != 0) {
        free(bytes);
        return tk_json_fail(ld, IA_ERR_PARSE, p,
                            "cannot parse the precompiled charsmap (%zu bytes)", len);
    }
    n->trie_n = trie_size / 4;
    n->repl_len = len - 4 - trie_size;
    n->trie = malloc((n->trie_n ? n->trie_n : 1) * sizeof *n->trie);
    n->repl = malloc(n->repl_len + 1);
    if (!n->trie || !n->repl) {
        free(bytes);
        return tk_json_fail(ld, IA_ERR_NOMEM, p, "out of memory");
    }
    for (size_t i = 0; i < n->trie_n; i++) {
        const unsigned char *b = bytes + 4 + 4 * i;
        n->trie[i] = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
                     ((uint32_t)b[3] << 24);
    }
    memcpy(n->repl, bytes + 4 + trie_size, n->repl_len);
    n->repl[n->repl_len] = '\0';
    free(bytes);
    /* The replacements must be UTF-8 (the crate checks it too). */
    for (size_t i = 0; i < n->repl_len;) {
        if (n->repl[i] == '\0') {
            i++;
            continue;
        }
        uint32_t cp;
        int k = ia_utf8_decode(n->repl + i, n->repl_len - i, &cp);
        if (k <= 0)
            return tk_json_fail(ld, IA_ERR_PARSE, p,
                                "the charsmap's normalized strings are not UTF-8 (byte %zu)", i);
        i += (size_t)k;
    }
    return IA_OK;
}

/* --- parsing ---------------------------------------------------------------------- */

/* {"String": s} or {"Regex": r} at path; String patterns are escaped
 * regexes in the Rust library, which only matters for the empty string
 * (it matches everywhere): that one becomes the empty regex. */
static ia_status parse_pattern(const tk_load *ld, const cJSON *obj, const char *path,
                               tk_pattern *pat, ia_regex **re, char **str)
{
    const cJSON *pv;
    ia_status st = tk_json_object(ld, obj, path, "pattern", true, &pv);
    if (st != IA_OK)
        return st;
    char p[TK_PATH_MAX];
    tk_path_key(p, path, "pattern");
    const char *s = NULL, *r = NULL;
    if ((st = tk_json_string(ld, pv, p, "String", false, NULL, &s)) != IA_OK ||
        (st = tk_json_string(ld, pv, p, "Regex", false, NULL, &r)) != IA_OK)
        return st;
    if (!s && !r)
        return tk_json_fail(ld, IA_ERR_PARSE, p, "expected {\"String\": ...} or {\"Regex\": ...}");
    memset(pat, 0, sizeof *pat);
    if (s && *s) {
        *str = dup_str(s);
        if (!*str)
            return tk_json_fail(ld, IA_ERR_NOMEM, p, "out of memory");
        pat->kind = TK_PATTERN_STRING;
        pat->str = *str;
        pat->str_len = strlen(*str);
        return IA_OK;
    }
    const char *src = s ? "" : r;
    ia_error rerr;
    st = ia_regex_compile(src, 0, re, &rerr);
    if (st != IA_OK) {
        char rp[TK_PATH_MAX];
        tk_path_key(rp, p, "Regex");
        return tk_json_fail(ld, st, rp, "%s", rerr.message);
    }
    pat->kind = TK_PATTERN_REGEX;
    pat->re = *re;
    return IA_OK;
}

static ia_status parse_one(const tk_load *ld, const cJSON *v, const char *path,
                           tk_normalizer **out)
{
    const char *type;
    ia_status st = tk_json_component_type(ld, v, path, &type);
    if (st != IA_OK)
        return st;
    static const struct {
        const char *name;
        nkind kind;
    } kinds[] = {{"BertNormalizer", N_BERT}, {"NFC", N_NFC}, {"NFD", N_NFD},
                 {"NFKC", N_NFKC}, {"NFKD", N_NFKD}, {"Lowercase", N_LOWERCASE},
                 {"StripAccents", N_STRIP_ACCENTS}, {"Strip", N_STRIP},
                 {"Replace", N_REPLACE}, {"Prepend", N_PREPEND},
                 {"Precompiled", N_PRECOMPILED}, {"Nmt", N_NMT}, {"ByteLevel", N_BYTE_LEVEL},
                 {"Sequence", N_SEQUENCE}};
    int found = -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, type) == 0)
            found = (int)i;
    if (found < 0)
        return tk_json_unknown_type(ld, path, "normalizer", type, SUPPORTED);
    tk_normalizer *n = alloc_normalizer(kinds[found].kind, ld->err);
    if (!n)
        return IA_ERR_NOMEM;
    switch (n->kind) {
    case N_BERT: {
        bool sa_set = false, sa = false;
        const cJSON *sav = cJSON_GetObjectItemCaseSensitive(v, "strip_accents");
        if ((st = tk_json_bool(ld, v, path, "clean_text", true, true, &n->clean_text)) ||
            (st = tk_json_bool(ld, v, path, "handle_chinese_chars", true, true, &n->chinese)) ||
            (st = tk_json_bool(ld, v, path, "lowercase", true, true, &n->lowercase)) ||
            (st = tk_json_bool(ld, v, path, "strip_accents", false, false, &sa)))
            break;
        sa_set = sav && !cJSON_IsNull(sav);
        n->strip_accents = sa_set ? sa : n->lowercase;
        break;
    }
    case N_STRIP:
        if ((st = tk_json_bool(ld, v, path, "strip_left", true, false, &n->left)) == IA_OK)
            st = tk_json_bool(ld, v, path, "strip_right", true, false, &n->right);
        break;
    case N_REPLACE: {
        const char *content;
        st = tk_json_string(ld, v, path, "content", true, NULL, &content);
        if (st == IA_OK)
            st = parse_pattern(ld, v, path, &n->pat, &n->re, &n->str);
        if (st == IA_OK && !(n->content = dup_str(content)))
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
        break;
    }
    case N_PREPEND:
    case N_APPEND: {
        const char *key = n->kind == N_PREPEND ? "prepend" : "append", *s;
        st = tk_json_string(ld, v, path, key, true, NULL, &s);
        if (st == IA_OK && !(n->str = dup_str(s)))
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
        break;
    }
    case N_PRECOMPILED:
        st = parse_precompiled(ld, v, path, n);
        break;
    case N_SEQUENCE: {
        const cJSON *arr;
        st = tk_json_array(ld, v, path, "normalizers", true, &arr);
        if (st != IA_OK)
            break;
        size_t cnt = (size_t)cJSON_GetArraySize(arr);
        n->seq = calloc(cnt ? cnt : 1, sizeof *n->seq);
        if (!n->seq) {
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
            break;
        }
        char ap[TK_PATH_MAX];
        tk_path_key(ap, path, "normalizers");
        const cJSON *it;
        size_t i = 0;
        cJSON_ArrayForEach(it, arr)
        {
            char ip[TK_PATH_MAX];
            tk_path_index(ip, ap, i++);
            tk_normalizer *child = NULL;
            if (cJSON_IsNull(it)) {
                st = tk_json_fail(ld, IA_ERR_PARSE, ip, "expected an object, found null");
                break;
            }
            st = parse_one(ld, it, ip, &child);
            if (st != IA_OK)
                break;
            n->seq[n->nseq++] = child;
        }
        break;
    }
    default:
        break;
    }
    if (st != IA_OK) {
        tk_normalizer_free(n);
        return st;
    }
    *out = n;
    return IA_OK;
}

ia_status tk_normalizer_parse(const tk_load *ld, const cJSON *v, const char *path,
                              tk_normalizer **out)
{
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    return parse_one(ld, v, path, out);
}

/* --- applying ------------------------------------------------------------------------ */

/* BertNormalizer on ASCII text with no character clean_text drops: every
 * step then maps one byte to one byte (whitespace to a space, A-Z to a-z;
 * NFD, marks and CJK have nothing to do), so the bytes change in place and
 * the alignments stay. Most text fed to BERT models takes this path. */
static bool bert_ascii_in_place(const tk_normalizer *n, tk_nstr *ns)
{
    for (size_t i = 0; i < ns->len; i++) {
        unsigned char c = (unsigned char)ns->s[i];
        if (c >= 0x7F || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
            return false;
    }
    for (size_t i = 0; i < ns->len; i++) {
        unsigned char c = (unsigned char)ns->s[i];
        if (n->clean_text && (c == '\t' || c == '\n' || c == '\r'))
            c = ' ';
        if (n->lowercase && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        ns->s[i] = (char)c;
    }
    return true;
}

ia_status tk_normalizer_apply(const tk_normalizer *n, tk_nstr *ns, ia_error *err)
{
    if (!n)
        return IA_OK;
    ia_status st = IA_OK;
    switch (n->kind) {
    case N_BERT:
        if (bert_ascii_in_place(n, ns))
            return IA_OK;
        if (n->clean_text) {
            st = tk_nstr_filter(ns, bert_keep, NULL, err);
            if (st == IA_OK)
                st = tk_nstr_map(ns, bert_space, NULL, err);
        }
        if (st == IA_OK && n->chinese)
            st = bert_chinese(ns, err);
        if (st == IA_OK && n->strip_accents) {
            st = tk_nstr_normalize(ns, IA_UNICODE_NFD, err);
            if (st == IA_OK)
                st = tk_nstr_filter(ns, not_bert_mn, NULL, err);
        }
        if (st == IA_OK && n->lowercase)
            st = tk_nstr_lowercase(ns, err);
        return st;
    case N_NFC:
        return tk_nstr_normalize(ns, IA_UNICODE_NFC, err);
    case N_NFD:
        return tk_nstr_normalize(ns, IA_UNICODE_NFD, err);
    case N_NFKC:
        return tk_nstr_normalize(ns, IA_UNICODE_NFKC, err);
    case N_NFKD:
        return tk_nstr_normalize(ns, IA_UNICODE_NFKD, err);
    case N_LOWERCASE:
        return tk_nstr_lowercase(ns, err);
    case N_STRIP_ACCENTS:
        return tk_nstr_filter(ns, not_mark, NULL, err);
    case N_STRIP:
        return tk_nstr_strip(ns, n->left, n->right, err);
    case N_REPLACE:
        return tk_nstr_replace(ns, &n->pat, n->content, err);
    case N_PREPEND:
        return tk_nstr_prepend(ns, n->str, err);
    case N_APPEND:
        return tk_nstr_append(ns, n->str, err);
    case N_PRECOMPILED:
        return precompiled(n, ns, err);
    case N_NMT:
        st = tk_nstr_filter(ns, nmt_keep, NULL, err);
        if (st == IA_OK)
            st = tk_nstr_map(ns, nmt_map, NULL, err);
        return st;
    case N_BYTE_LEVEL:
        return byte_level(ns, err);
    case N_SEQUENCE:
        for (size_t i = 0; i < n->nseq && st == IA_OK; i++)
            st = tk_normalizer_apply(n->seq[i], ns, err);
        return st;
    }
    return ia_error_set(err, IA_ERR_INTERNAL, "tokenizer: unknown normalizer kind %d",
                        (int)n->kind);
}
