/* Unicode categories, UTF-8 and normalisation (UAX #15) over the tables that
 * scripts/gen_unicode_tables.py generates into the build folder. */
#include "ipfs_accelerate/unicode.h"

#include <stdlib.h>
#include <string.h>

/* Defined in the generated unicode_tables.c. */
unsigned ia_ucd_props(uint32_t cp, unsigned *ccc, bool *white_space);
const uint32_t *ia_ucd_decomposition(uint32_t cp, size_t *len, bool *compat);
uint32_t ia_ucd_compose(uint32_t a, uint32_t b);
const char *ia_ucd_version(void);
size_t ia_ucd_to_lower(uint32_t cp, uint32_t out[3]);

size_t ia_unicode_to_lower(uint32_t cp, uint32_t out[3])
{
    if (cp < 0x80) {
        out[0] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        return 1;
    }
    return ia_ucd_to_lower(cp, out);
}

/* --- properties ------------------------------------------------------------ */

ia_ucat ia_unicode_category(uint32_t cp)
{
    if (cp > IA_UNICODE_MAX)
        return IA_UCAT_Cn;
    return (ia_ucat)ia_ucd_props(cp, NULL, NULL);
}

const char *ia_unicode_category_name(ia_ucat cat)
{
    static const char names[][3] = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl",
                                    "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc",
                                    "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"};
    _Static_assert(sizeof names / sizeof names[0] == IA_UCAT_COUNT, "one name per category");
    if ((unsigned)cat >= IA_UCAT_COUNT)
        return "??";
    return names[cat];
}

unsigned ia_unicode_combining_class(uint32_t cp)
{
    unsigned ccc = 0;
    if (cp <= IA_UNICODE_MAX)
        ia_ucd_props(cp, &ccc, NULL);
    return ccc;
}

bool ia_unicode_is_letter(uint32_t cp)
{
    ia_ucat c = ia_unicode_category(cp);
    return c >= IA_UCAT_Lu && c <= IA_UCAT_Lo;
}

bool ia_unicode_is_number(uint32_t cp)
{
    ia_ucat c = ia_unicode_category(cp);
    return c >= IA_UCAT_Nd && c <= IA_UCAT_No;
}

bool ia_unicode_is_punctuation(uint32_t cp)
{
    ia_ucat c = ia_unicode_category(cp);
    return c >= IA_UCAT_Pc && c <= IA_UCAT_Po;
}

bool ia_unicode_is_mark(uint32_t cp)
{
    ia_ucat c = ia_unicode_category(cp);
    return c >= IA_UCAT_Mn && c <= IA_UCAT_Me;
}

bool ia_unicode_is_whitespace(uint32_t cp)
{
    bool ws = false;
    if (cp <= IA_UNICODE_MAX)
        ia_ucd_props(cp, NULL, &ws);
    return ws;
}

/* ia_unicode_rust_compat is defined in the generated unicode_tables.c, next
 * to its tables. */

const char *ia_unicode_version(void)
{
    return ia_ucd_version();
}

/* --- UTF-8 ----------------------------------------------------------------- */

bool ia_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = ia_utf8_decode(s + i, len - i, &cp);
        if (n <= 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

int ia_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned b0 = u[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    int n;
    uint32_t v, min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2, v = b0 & 0x1Fu, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3, v = b0 & 0x0Fu, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4, v = b0 & 0x07u, min = 0x10000;
    } else {
        return -1; /* continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (len < (size_t)n)
        return -1;
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0u) != 0x80u)
            return -1;
        v = (v << 6) | (u[i] & 0x3Fu);
    }
    if (v < min || v > IA_UNICODE_MAX || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = v;
    return n;
}

int ia_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0u | (cp >> 6));
        out[1] = (char)(0x80u | (cp & 0x3Fu));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0u | (cp >> 12));
        out[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (char)(0x80u | (cp & 0x3Fu));
        return 3;
    }
    if (cp > IA_UNICODE_MAX)
        return 0;
    out[0] = (char)(0xF0u | (cp >> 18));
    out[1] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
    out[2] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
    out[3] = (char)(0x80u | (cp & 0x3Fu));
    return 4;
}

/* --- normalisation --------------------------------------------------------- */

/* Hangul syllables (Unicode 15.0, section 3.12). */
enum {
    HANGUL_S = 0xAC00, HANGUL_L = 0x1100, HANGUL_V = 0x1161, HANGUL_T = 0x11A7,
    HANGUL_LCOUNT = 19, HANGUL_VCOUNT = 21, HANGUL_TCOUNT = 28,
    HANGUL_NCOUNT = HANGUL_VCOUNT * HANGUL_TCOUNT,
    HANGUL_SCOUNT = HANGUL_LCOUNT * HANGUL_NCOUNT
};

/* A code point with the input offset it derives from. */
typedef struct uchar {
    uint32_t cp;
    uint32_t ccc;
    size_t src;
} uchar;

typedef struct ubuf {
    uchar *v;
    size_t n, cap;
} ubuf;

static bool ubuf_push(ubuf *b, uint32_t cp, size_t src)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        uchar *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return false;
        b->v = v, b->cap = cap;
    }
    b->v[b->n].cp = cp;
    b->v[b->n].ccc = ia_unicode_combining_class(cp);
    b->v[b->n].src = src;
    b->n++;
    return true;
}

/* Appends the full decomposition of cp. Mappings nest at most a few deep. */
static bool decompose(ubuf *b, uint32_t cp, bool compat, size_t src)
{
    if (cp >= HANGUL_S && cp < HANGUL_S + HANGUL_SCOUNT) {
        uint32_t s = cp - HANGUL_S;
        if (!ubuf_push(b, HANGUL_L + s / HANGUL_NCOUNT, src) ||
            !ubuf_push(b, HANGUL_V + (s % HANGUL_NCOUNT) / HANGUL_TCOUNT, src))
            return false;
        if (s % HANGUL_TCOUNT != 0 && !ubuf_push(b, HANGUL_T + s % HANGUL_TCOUNT, src))
            return false;
        return true;
    }
    size_t n = 0;
    bool is_compat = false;
    const uint32_t *d = ia_ucd_decomposition(cp, &n, &is_compat);
    if (!d || (is_compat && !compat))
        return ubuf_push(b, cp, src);
    for (size_t i = 0; i < n; i++)
        if (!decompose(b, d[i], compat, src))
            return false;
    return true;
}

/* Canonical ordering: a stable sort of each run of non-starters by class. */
static void canonical_order(ubuf *b)
{
    for (size_t i = 1; i < b->n; i++) {
        uchar c = b->v[i];
        if (c.ccc == 0)
            continue;
        size_t j = i;
        while (j > 0 && b->v[j - 1].ccc > c.ccc) {
            b->v[j] = b->v[j - 1];
            j--;
        }
        b->v[j] = c;
    }
}

static uint32_t compose_pair(uint32_t a, uint32_t b)
{
    if (a >= HANGUL_L && a < HANGUL_L + HANGUL_LCOUNT && b >= HANGUL_V &&
        b < HANGUL_V + HANGUL_VCOUNT)
        return HANGUL_S + ((a - HANGUL_L) * HANGUL_VCOUNT + (b - HANGUL_V)) * HANGUL_TCOUNT;
    if (a >= HANGUL_S && a < HANGUL_S + HANGUL_SCOUNT && (a - HANGUL_S) % HANGUL_TCOUNT == 0 &&
        b > HANGUL_T && b < HANGUL_T + HANGUL_TCOUNT)
        return a + (b - HANGUL_T);
    return ia_ucd_compose(a, b);
}

/* Canonical composition: a character combines with the last starter unless
 * a character between them has a class of 0 or one not below its own. */
static void canonical_compose(ubuf *b)
{
    if (b->n == 0)
        return;
    size_t starter = 0, out = 1;
    unsigned last = b->v[0].ccc ? 256u : 0u; /* no starter yet: nothing combines */
    for (size_t i = 1; i < b->n; i++) {
        uchar c = b->v[i];
        bool unblocked = last < c.ccc || last == 0;
        uint32_t comp = unblocked ? compose_pair(b->v[starter].cp, c.cp) : 0;
        if (comp) {
            b->v[starter].cp = comp;
            b->v[starter].ccc = ia_unicode_combining_class(comp);
            continue;
        }
        if (c.ccc == 0)
            starter = out;
        last = c.ccc;
        b->v[out++] = c;
    }
    b->n = out;
}

ia_status ia_unicode_normalize(ia_unicode_form form, const char *in, size_t len, char **out,
                               size_t *out_len, size_t **map_out, ia_error *err)
{
    if (!out || !out_len || (!in && len > 0))
        return ia_error_set(err, IA_ERR_INVALID, "unicode normalize: NULL argument");
    if (form != IA_UNICODE_NFC && form != IA_UNICODE_NFD && form != IA_UNICODE_NFKC &&
        form != IA_UNICODE_NFKD)
        return ia_error_set(err, IA_ERR_INVALID, "unicode normalize: unknown form %d", (int)form);
    *out = NULL;
    *out_len = 0;
    if (map_out)
        *map_out = NULL;
    bool compat = form == IA_UNICODE_NFKC || form == IA_UNICODE_NFKD;
    bool comp = form == IA_UNICODE_NFC || form == IA_UNICODE_NFKC;

    ubuf b = {0};
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = ia_utf8_decode(in + i, len - i, &cp);
        if (n <= 0) {
            free(b.v);
            return ia_error_set(err, IA_ERR_INVALID,
                                "unicode normalize: invalid UTF-8 at byte offset %zu (0x%02X)", i,
                                (unsigned)(unsigned char)in[i]);
        }
        if (!decompose(&b, cp, compat, i)) {
            free(b.v);
            return ia_error_set(err, IA_ERR_NOMEM, "unicode normalize: out of memory");
        }
        i += (size_t)n;
    }
    canonical_order(&b);
    if (comp)
        canonical_compose(&b);

    size_t cap = b.n * 4 + 1;
    char *s = malloc(cap);
    size_t *map = map_out ? malloc(cap * sizeof *map) : NULL;
    if (!s || (map_out && !map)) {
        free(s);
        free(map);
        free(b.v);
        return ia_error_set(err, IA_ERR_NOMEM, "unicode normalize: out of memory");
    }
    size_t o = 0;
    for (size_t i = 0; i < b.n; i++) {
        int n = ia_utf8_encode(b.v[i].cp, s + o);
        for (int k = 0; map && k < n; k++)
            map[o + (size_t)k] = b.v[i].src;
        o += (size_t)n;
    }
    s[o] = '\0';
    if (map)
        map[o] = len;
    free(b.v);
    *out = s;
    *out_len = o;
    if (map_out)
        *map_out = map;
    return IA_OK;
}
