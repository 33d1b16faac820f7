/*
 * tk_nstr: the Rust library's NormalizedString, with alignments kept
 * absolute (each normalized byte maps to the input byte range of the
 * character it came from), so a slice keeps its parent's alignments as they
 * are. Also Pattern::find_matches, NormalizedString::split and
 * PreTokenizedString::split.
 *
 * Every whole-string operation runs as one linear pass of a transformation
 * builder (tx_*) that follows NormalizedString::transform_range's rules: a
 * character replacing an old one (change <= 0) takes that old character's
 * alignment and consumes it (and -change more); an inserted character
 * (change 1) takes the alignment of the byte before the cursor, or an empty
 * range at the string's start. Operations that only drop or keep
 * characters (filter, strip, replace) use skip/copy steps that give the
 * same alignments as the Rust library's change lists without building them.
 */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

/* Bytes of the UTF-8 character starting with byte c (text is valid). */
static inline size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Decodes the valid UTF-8 character at s; *n gets its length. */
static inline uint32_t u8dec(const char *p, size_t *n)
{
    const unsigned char *s = (const unsigned char *)p;
    if (s[0] < 0x80) {
        *n = 1;
        return s[0];
    }
    if (s[0] < 0xE0) {
        *n = 2;
        return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (s[0] < 0xF0) {
        *n = 3;
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    *n = 4;
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
           ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

static ia_status nomem(ia_error *err)
{
    return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory in normalized string");
}

/* Room for need bytes (plus the NUL) and need alignments. */
static ia_status nstr_reserve(tk_nstr *ns, size_t need, ia_error *err)
{
    if (need <= ns->cap && ns->s)
        return IA_OK;
    size_t c = ns->cap ? ns->cap : 16;
    while (c < need)
        c *= 2;
    if (ns->borrowed) { /* the arena's copy cannot grow: move to the heap */
        char *s = malloc(c + 1);
        ia_span *a = malloc(c * sizeof *a);
        if (!s || !a) {
            free(s);
            free(a);
            return nomem(err);
        }
        memcpy(s, ns->s, ns->len + 1);
        memcpy(a, ns->align, ns->len * sizeof *a);
        ns->s = s;
        ns->align = a;
        ns->cap = c;
        ns->borrowed = false;
        return IA_OK;
    }
    char *s = realloc(ns->s, c + 1);
    if (!s)
        return nomem(err);
    ns->s = s;
    ia_span *a = realloc(ns->align, c * sizeof *a);
    if (!a)
        return nomem(err);
    ns->align = a;
    ns->cap = c;
    return IA_OK;
}

ia_status tk_nstr_init(tk_nstr *ns, const char *input, size_t begin, size_t end, ia_error *err)
{
    memset(ns, 0, sizeof *ns);
    if (end < begin || end > UINT32_MAX)
        return ia_error_set(err, IA_ERR_INVALID, "tokenizer: bad text range [%zu, %zu)", begin,
                            end);
    size_t len = end - begin;
    ia_status st = nstr_reserve(ns, len, err);
    if (st != IA_OK) {
        tk_nstr_free(ns);
        return st;
    }
    memcpy(ns->s, input + begin, len);
    ns->s[len] = '\0';
    ns->len = len;
    for (size_t i = 0; i < len;) {
        size_t n = u8len((unsigned char)ns->s[i]);
        if (n > len - i)
            n = len - i;
        ia_span a = {(uint32_t)(begin + i), (uint32_t)(begin + i + n)};
        for (size_t k = 0; k < n; k++)
            ns->align[i + k] = a;
        i += n;
    }
    ns->orig.begin = (uint32_t)begin;
    ns->orig.end = (uint32_t)end;
    return IA_OK;
}

void tk_nstr_free(tk_nstr *ns)
{
    if (!ns)
        return;
    if (!ns->borrowed) {
        free(ns->s);
        free(ns->align);
    }
    memset(ns, 0, sizeof *ns);
}

void tk_nstr_move(tk_nstr *dst, tk_nstr *src)
{
    if (dst == src)
        return;
    tk_nstr_free(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

/* --- the transformation builder ------------------------------------------- */

typedef struct tx {
    tk_nstr *ns;
    size_t begin, end; /* the normalized range being replaced */
    size_t pos;        /* cursor in the old text: Rust's `offset` */
    char *s;
    ia_span *al;
    size_t n, cap;
} tx;

static ia_status tx_room(tx *t, size_t more, ia_error *err)
{
    if (t->n + more <= t->cap)
        return IA_OK;
    size_t c = t->cap ? t->cap : 16;
    while (c < t->n + more)
        c *= 2;
    char *s = realloc(t->s, c + 1);
    if (!s)
        return nomem(err);
    t->s = s;
    ia_span *a = realloc(t->al, c * sizeof *a);
    if (!a)
        return nomem(err);
    t->al = a;
    t->cap = c;
    return IA_OK;
}

static ia_status tx_begin(tx *t, tk_nstr *ns, size_t begin, size_t end, size_t hint,
                          ia_error *err)
{
    memset(t, 0, sizeof *t);
    t->ns = ns;
    t->begin = begin;
    t->end = end;
    t->pos = begin;
    return tx_room(t, hint ? hint : 1, err);
}

static void tx_abort(tx *t)
{
    free(t->s);
    free(t->al);
    t->s = NULL;
    t->al = NULL;
}

/* Drops the next k old characters (initial_offset, or chars removed by a
 * negative change). */
static void tx_skip_chars(tx *t, size_t k)
{
    while (k-- > 0 && t->pos < t->end)
        t->pos += u8len((unsigned char)t->ns->s[t->pos]);
}

/* Keeps old bytes [pos, pos + nbytes) unchanged: each char replaced by
 * itself, change 0. */
static ia_status tx_copy(tx *t, size_t nbytes, ia_error *err)
{
    ia_status st = tx_room(t, nbytes, err);
    if (st != IA_OK)
        return st;
    memcpy(t->s + t->n, t->ns->s + t->pos, nbytes);
    memcpy(t->al + t->n, t->ns->align + t->pos, nbytes * sizeof *t->al);
    t->n += nbytes;
    t->pos += nbytes;
    return IA_OK;
}

/* One (char, change) of transform_range. */
static ia_status tx_push(tx *t, uint32_t cp, long change, ia_error *err)
{
    ia_status st = tx_room(t, 4, err);
    if (st != IA_OK)
        return st;
    const tk_nstr *ns = t->ns;
    ia_span a;
    if (change > 0) {
        if (t->pos < 1)
            a = (ia_span){ns->orig.begin, ns->orig.begin};
        else
            a = ns->align[t->pos - 1];
    } else {
        if (t->pos >= ns->len)
            return ia_error_set(err, IA_ERR_INTERNAL,
                                "tokenizer: transformation replaces a character past the end "
                                "of the normalized string (byte %zu of %zu)",
                                t->pos, ns->len);
        a = ns->align[t->pos];
        tx_skip_chars(t, 1 + (size_t)(-change));
    }
    int k = ia_utf8_encode(cp, t->s + t->n);
    if (k <= 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: transformation gives invalid code point U+%04X",
                            (unsigned)cp);
    for (int i = 0; i < k; i++)
        t->al[t->n + (size_t)i] = a;
    t->n += (size_t)k;
    return IA_OK;
}

/* Splices the built text over [begin, end) of the string. */
static ia_status tx_end(tx *t, ia_error *err)
{
    tk_nstr *ns = t->ns;
    if (t->begin == 0 && t->end == ns->len) {
        if (!ns->borrowed) {
            free(ns->s);
            free(ns->align);
        }
        ns->borrowed = false;
        ns->s = t->s;
        ns->align = t->al;
        ns->len = t->n;
        ns->cap = t->cap;
        ns->s[ns->len] = '\0';
        t->s = NULL;
        t->al = NULL;
        return IA_OK;
    }
    size_t tail = ns->len - t->end;
    size_t nlen = t->begin + t->n + tail;
    ia_status st = nstr_reserve(ns, nlen, err);
    if (st != IA_OK) {
        tx_abort(t);
        return st;
    }
    memmove(ns->s + t->begin + t->n, ns->s + t->end, tail);
    memmove(ns->align + t->begin + t->n, ns->align + t->end, tail * sizeof *ns->align);
    memcpy(ns->s + t->begin, t->s, t->n);
    memcpy(ns->align + t->begin, t->al, t->n * sizeof *ns->align);
    ns->len = nlen;
    ns->s[nlen] = '\0';
    tx_abort(t);
    return IA_OK;
}

static bool on_boundary(const tk_nstr *ns, size_t i)
{
    return i == 0 || i == ns->len ||
           (i < ns->len && ((unsigned char)ns->s[i] & 0xC0) != 0x80);
}

ia_status tk_nstr_transform_range(tk_nstr *ns, size_t nbegin, size_t nend,
                                  const tk_change *changes, size_t n, size_t initial_removed,
                                  ia_error *err)
{
    if (nbegin > nend || nend > ns->len || !on_boundary(ns, nbegin) || !on_boundary(ns, nend))
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: bad normalized range [%zu, %zu) of %zu bytes", nbegin,
                            nend, ns->len);
    tx t;
    ia_status st = tx_begin(&t, ns, nbegin, nend, n * 2 + 1, err);
    if (st != IA_OK)
        return st;
    tx_skip_chars(&t, initial_removed);
    for (size_t i = 0; i < n && st == IA_OK; i++)
        st = tx_push(&t, changes[i].cp, changes[i].change, err);
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

/* The normalized range NormalizedString::transform works on:
 * convert_offsets(Original(..)), which starts at the first character with a
 * non-empty alignment. Returns false when Rust would do nothing (an empty
 * normalized string standing for a non-empty original). */
static bool whole_range(const tk_nstr *ns, size_t *b, size_t *e)
{
    if (ns->orig.begin == ns->orig.end) {
        *b = *e = 0;
        return true;
    }
    if (ns->len == 0)
        return false;
    size_t i = 0;
    while (i < ns->len && ns->align[i].begin == ns->align[i].end)
        i++;
    *b = i;
    *e = ns->len;
    return true;
}

ia_status tk_nstr_transform(tk_nstr *ns, const tk_change *changes, size_t n,
                            size_t initial_removed, ia_error *err)
{
    size_t b, e;
    if (!whole_range(ns, &b, &e))
        return IA_OK;
    return tk_nstr_transform_range(ns, b, e, changes, n, initial_removed, err);
}

/* --- slices and offsets ------------------------------------------------------ */

ia_span tk_nstr_to_original(const tk_nstr *ns, size_t nbegin, size_t nend)
{
    /* convert_offsets returns an empty target unchanged, in this string's
     * own referential (its "empty string gives the whole original" branch
     * comes after that test and is never reached). */
    if (nbegin >= nend || nend > ns->len) {
        size_t p = ns->orig.begin + (nbegin < nend ? nend : nbegin);
        if (p > ns->orig.end)
            p = ns->orig.end;
        return (ia_span){(uint32_t)p, (uint32_t)p};
    }
    return (ia_span){ns->align[nbegin].begin, ns->align[nend - 1].end};
}

ia_status tk_nstr_slice(const tk_nstr *ns, size_t nbegin, size_t nend, tk_nstr *out,
                        ia_error *err)
{
    memset(out, 0, sizeof *out);
    if (nbegin > nend || nend > ns->len || !on_boundary(ns, nbegin) || !on_boundary(ns, nend))
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: bad slice [%zu, %zu) of %zu bytes", nbegin, nend,
                            ns->len);
    size_t len = nend - nbegin;
    ia_status st = nstr_reserve(out, len, err);
    if (st != IA_OK) {
        tk_nstr_free(out);
        return st;
    }
    memcpy(out->s, ns->s + nbegin, len);
    out->s[len] = '\0';
    memcpy(out->align, ns->align + nbegin, len * sizeof *out->align);
    out->len = len;
    out->orig = tk_nstr_to_original(ns, nbegin, nend);
    return IA_OK;
}

/* --- operations --------------------------------------------------------------- */

/* Hangul syllables compose arithmetically (Unicode 15.0, section 3.12). */
enum {
    HG_S = 0xAC00, HG_L = 0x1100, HG_V = 0x1161, HG_T = 0x11A7,
    HG_LCOUNT = 19, HG_VCOUNT = 21, HG_TCOUNT = 28, HG_SCOUNT = 19 * 21 * 28
};

/* The generated table's primary composites (unicode_tables.c). */
uint32_t ia_ucd_compose(uint32_t a, uint32_t b);

static uint32_t compose_pair(uint32_t a, uint32_t b)
{
    if (a >= HG_L && a < HG_L + HG_LCOUNT && b >= HG_V && b < HG_V + HG_VCOUNT)
        return HG_S + ((a - HG_L) * HG_VCOUNT + (b - HG_V)) * HG_TCOUNT;
    if (a >= HG_S && a < HG_S + HG_SCOUNT && (a - HG_S) % HG_TCOUNT == 0 && b > HG_T &&
        b < HG_T + HG_TCOUNT)
        return a + (b - HG_T);
    return ia_ucd_compose(a, b);
}

typedef struct npiece {
    uint32_t cp;
    unsigned ccc;
    long change;
} npiece;

typedef struct pvec {
    npiece *v;
    size_t n, cap;
} pvec;

static ia_status ppush(pvec *p, npiece x, ia_error *err)
{
    if (p->n == p->cap) {
        ia_status st = tk_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v, err);
        if (st != IA_OK)
            return st;
    }
    p->v[p->n++] = x;
    return IA_OK;
}

/* Characters the Rust crate unicode_normalization_alignments (older
 * tables than ours) does not know: ones our Unicode 15 tables decompose or
 * give a nonzero combining class, assigned after the crate's Unicode 9.0
 * (IA_UCOMPAT_UNDECOMPOSED, generated from the UCD; tests/unicode_compat.js
 * checks it against the Rust library). The crate leaves them alone and
 * gives them class 0 (so they are not reordered and block reordering); the
 * normalization keeps them as they are, as starters nothing composes with. */
static bool rust_undecomposed(uint32_t c)
{
    return ia_unicode_rust_compat(c, IA_UCOMPAT_UNDECOMPOSED);
}

/* The generated table's decompositions (unicode_tables.c). */
const uint32_t *ia_ucd_decomposition(uint32_t cp, size_t *len, bool *compat);

/* Whether cp's full decomposition goes through a compatibility mapping. */
static bool has_compat(uint32_t cp)
{
    size_t n = 0;
    bool compat = false;
    const uint32_t *d = ia_ucd_decomposition(cp, &n, &compat);
    if (!d)
        return false;
    if (compat)
        return true;
    for (size_t i = 0; i < n; i++)
        if (has_compat(d[i]))
            return true;
    return false;
}

/* True when cp is left alone by the form whatever surrounds it: a starter
 * (class 0, not a mark, not a conjoining jamo, so nothing before it
 * composes with it) that does not decompose, or, for NFC and NFKC, a
 * primary composite whose canonical pair composes back to it. */
static bool quick_stable(uint32_t cp, ia_unicode_form form)
{
    if (cp >= 0x1100 && cp <= 0x11FF)
        return false; /* conjoining jamo */
    if (cp >= HG_S && cp < HG_S + HG_SCOUNT)
        return form == IA_UNICODE_NFC || form == IA_UNICODE_NFKC;
    if (ia_unicode_combining_class(cp) != 0 || ia_unicode_is_mark(cp))
        return false;
    size_t n = 0;
    bool compat = false;
    const uint32_t *d = ia_ucd_decomposition(cp, &n, &compat);
    if (!d)
        return true;
    if (form == IA_UNICODE_NFD || form == IA_UNICODE_NFKD)
        return false;
    if (compat) /* kept by NFC, changed by NFKC */
        return form == IA_UNICODE_NFC;
    if (n != 2 || compose_pair(d[0], d[1]) != cp)
        return false;
    return form == IA_UNICODE_NFC || !has_compat(d[0]);
}

/* Appends the full decomposition of cp (canonical, or compatibility too
 * when compat), every piece with its class; the first piece gets change 0
 * (it replaces cp) and the others change 1 (inserted after it), as the Rust
 * crate's decomposition iterator reports them. Mappings nest a few deep. */
static ia_status decompose_char(pvec *p, uint32_t cp, bool compat, bool *first, ia_error *err)
{
    if (cp >= HG_S && cp < HG_S + HG_SCOUNT) {
        uint32_t s = cp - HG_S;
        uint32_t parts[3] = {HG_L + s / (HG_VCOUNT * HG_TCOUNT),
                             HG_V + (s % (HG_VCOUNT * HG_TCOUNT)) / HG_TCOUNT,
                             HG_T + s % HG_TCOUNT};
        size_t n = s % HG_TCOUNT ? 3 : 2;
        for (size_t i = 0; i < n; i++) {
            ia_status st = ppush(p, (npiece){parts[i], 0, *first ? 0 : 1}, err);
            if (st != IA_OK)
                return st;
            *first = false;
        }
        return IA_OK;
    }
    size_t n = 0;
    bool is_compat = false;
    const uint32_t *d = ia_ucd_decomposition(cp, &n, &is_compat);
    if (!d || (is_compat && !compat)) {
        ia_status st =
            ppush(p, (npiece){cp, ia_unicode_combining_class(cp), *first ? 0 : 1}, err);
        *first = false;
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        ia_status st = decompose_char(p, d[i], compat, first, err);
        if (st != IA_OK)
            return st;
    }
    return IA_OK;
}

/* Appends the normalization of the segment s[0, len) to p: decomposition,
 * canonical ordering (a stable sort of each run of non-starters by class;
 * pieces move with their changes) and, for NFC and NFKC, composition, where
 * each composition adds the absorbed piece's change minus one to the
 * starter's. The segment holds no fixed character. */
static ia_status normalize_segment(ia_unicode_form form, const char *s, size_t len, pvec *p,
                                   ia_error *err)
{
    bool compat = form == IA_UNICODE_NFKC || form == IA_UNICODE_NFKD;
    size_t base = p->n;
    for (size_t i = 0; i < len;) {
        size_t k;
        uint32_t cp = u8dec(s + i, &k);
        bool first = true;
        ia_status st = decompose_char(p, cp, compat, &first, err);
        if (st != IA_OK)
            return st;
        i += k;
    }
    npiece *v = p->v + base;
    size_t n = p->n - base;
    for (size_t i = 1; i < n; i++) {
        npiece c = v[i];
        if (c.ccc == 0)
            continue;
        size_t j = i;
        while (j > 0 && v[j - 1].ccc > c.ccc) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = c;
    }
    if (!(form == IA_UNICODE_NFC || form == IA_UNICODE_NFKC) || n == 0)
        return IA_OK;
    size_t starter = 0, w = 1;
    bool have_starter = v[0].ccc == 0;
    unsigned last = v[0].ccc;
    for (size_t i = 1; i < n; i++) {
        npiece c = v[i];
        bool unblocked = last < c.ccc || last == 0;
        uint32_t comp = unblocked && have_starter ? compose_pair(v[starter].cp, c.cp) : 0;
        if (comp && rust_undecomposed(comp))
            comp = 0; /* the crate knows neither way of writing it */
        if (comp) {
            v[starter].cp = comp;
            v[starter].ccc = ia_unicode_combining_class(comp);
            v[starter].change += c.change - 1;
            continue;
        }
        if (c.ccc == 0) {
            starter = w;
            have_starter = true;
        }
        last = c.ccc;
        v[w++] = c;
    }
    p->n = base + w;
    return IA_OK;
}

/* Whether the pieces p spell s[0, len) unchanged. */
static bool segment_same(const char *s, size_t len, const pvec *p)
{
    size_t i = 0, q = 0;
    for (; q < p->n && i < len; q++) {
        size_t k;
        if (u8dec(s + i, &k) != p->v[q].cp || p->v[q].change != 0)
            return false;
        i += k;
    }
    return q == p->n && i == len;
}

/* NormalizedString::nfd and friends, with the changes the Rust crate
 * unicode_normalization_alignments reports. The text is cut into segments
 * normalized on their own: a character stable under the form (see
 * quick_stable) is a starter nothing before it reaches, and a fixed one
 * (the crate does not know it) stays as it is and splits the text; so a
 * segment is a run of unstable characters with the stable one before it,
 * with which they may compose. Everything else is copied as it is. */
ia_status tk_nstr_normalize(tk_nstr *ns, ia_unicode_form form, ia_error *err)
{
    size_t b, e;
    if (!whole_range(ns, &b, &e) || b == e)
        return IA_OK;
    tx t;
    bool started = false;
    pvec p = {0};
    ia_status st = IA_OK;
    size_t prev = SIZE_MAX; /* the previous character, when stable */
    for (size_t i = b; i < e && st == IA_OK;) {
        if ((unsigned char)ns->s[i] < 0x80) {
            prev = i++;
            continue;
        }
        size_t k;
        uint32_t cp = u8dec(ns->s + i, &k);
        if (rust_undecomposed(cp) || quick_stable(cp, form)) {
            prev = rust_undecomposed(cp) ? SIZE_MAX : i;
            i += k;
            continue;
        }
        size_t sb = prev != SIZE_MAX ? prev : i, se = i + k;
        while (se < e && (unsigned char)ns->s[se] >= 0x80) {
            uint32_t next = u8dec(ns->s + se, &k);
            if (rust_undecomposed(next) || quick_stable(next, form))
                break;
            se += k;
        }
        p.n = 0;
        st = normalize_segment(form, ns->s + sb, se - sb, &p, err);
        if (st == IA_OK && !segment_same(ns->s + sb, se - sb, &p)) {
            if (!started) {
                st = tx_begin(&t, ns, b, e, (e - b) + 16, err);
                started = st == IA_OK;
            }
            if (st == IA_OK)
                st = tx_copy(&t, sb - t.pos, err);
            for (size_t q = 0; q < p.n && st == IA_OK; q++)
                st = tx_push(&t, p.v[q].cp, p.v[q].change, err);
        }
        prev = SIZE_MAX;
        i = se;
    }
    free(p.v);
    if (!started)
        return st;
    if (st == IA_OK)
        st = tx_copy(&t, e - t.pos, err);
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

ia_status tk_nstr_lowercase(tk_nstr *ns, ia_error *err)
{
    size_t b, e;
    if (!whole_range(ns, &b, &e) || b == e)
        return IA_OK;
    /* In place while each character keeps its byte length (ASCII and most
     * scripts): same alignments as the Rust change list (c, 0). */
    size_t i = b;
    while (i < e) {
        unsigned char c = (unsigned char)ns->s[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                ns->s[i] = (char)(c + 32);
            i++;
            continue;
        }
        size_t k;
        uint32_t cp = u8dec(ns->s + i, &k);
        uint32_t lo[3];
        size_t m = ia_unicode_to_lower(cp, lo);
        if (m == 1) {
            char buf[4];
            int kk = ia_utf8_encode(lo[0], buf);
            if ((size_t)kk == k) {
                memcpy(ns->s + i, buf, k);
                i += k;
                continue;
            }
        }
        break;
    }
    if (i >= e)
        return IA_OK;
    tx t;
    ia_status st = tx_begin(&t, ns, b, e, (e - b) + 16, err);
    if (st == IA_OK && i > b)
        st = tx_copy(&t, i - b, err);
    while (st == IA_OK && t.pos < e) {
        size_t k;
        uint32_t cp = u8dec(ns->s + t.pos, &k);
        uint32_t lo[3];
        size_t m = ia_unicode_to_lower(cp, lo);
        for (size_t q = 0; q < m && st == IA_OK; q++)
            st = tx_push(&t, lo[q], q > 0 ? 1 : 0, err);
    }
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

ia_status tk_nstr_filter(tk_nstr *ns, bool (*keep)(uint32_t cp, const void *ctx),
                         const void *ctx, ia_error *err)
{
    size_t b, e;
    if (!whole_range(ns, &b, &e) || b == e)
        return IA_OK;
    /* Find the first dropped character; nothing to do without one. */
    size_t i = b;
    while (i < e) {
        size_t k;
        uint32_t cp = u8dec(ns->s + i, &k);
        if (!keep(cp, ctx))
            break;
        i += k;
    }
    if (i >= e)
        return IA_OK;
    tx t;
    ia_status st = tx_begin(&t, ns, b, e, e - b, err);
    if (st == IA_OK && i > b)
        st = tx_copy(&t, i - b, err);
    while (st == IA_OK && t.pos < e) {
        size_t k;
        uint32_t cp = u8dec(ns->s + t.pos, &k);
        if (keep(cp, ctx))
            st = tx_copy(&t, k, err);
        else
            t.pos += k;
    }
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

ia_status tk_nstr_map(tk_nstr *ns, uint32_t (*map)(uint32_t cp, const void *ctx),
                      const void *ctx, ia_error *err)
{
    size_t b, e;
    if (!whole_range(ns, &b, &e) || b == e)
        return IA_OK;
    size_t i = b;
    while (i < e) {
        size_t k;
        uint32_t cp = u8dec(ns->s + i, &k);
        uint32_t m = map(cp, ctx);
        if (m != cp) {
            char buf[4];
            int kk = ia_utf8_encode(m, buf);
            if (kk <= 0 || (size_t)kk != k)
                break;
            memcpy(ns->s + i, buf, k);
        }
        i += k;
    }
    if (i >= e)
        return IA_OK;
    tx t;
    ia_status st = tx_begin(&t, ns, b, e, (e - b) + 16, err);
    if (st == IA_OK && i > b)
        st = tx_copy(&t, i - b, err);
    while (st == IA_OK && t.pos < e) {
        size_t k;
        uint32_t cp = u8dec(ns->s + t.pos, &k);
        st = tx_push(&t, map(cp, ctx), 0, err);
    }
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

ia_status tk_nstr_prepend(tk_nstr *ns, const char *s, ia_error *err)
{
    size_t slen = strlen(s);
    if (ns->len == 0 || slen == 0)
        return IA_OK;
    size_t k;
    uint32_t next = u8dec(ns->s, &k);
    /* transform_range(0..len(next), [(s0, 0), (s1, 1).., (next, 1)]) */
    tx t;
    ia_status st = tx_begin(&t, ns, 0, k, slen + k, err);
    size_t q = 0;
    for (size_t i = 0; i < slen && st == IA_OK;) {
        size_t kk;
        uint32_t cp = u8dec(s + i, &kk);
        st = tx_push(&t, cp, q++ == 0 ? 0 : 1, err);
        i += kk;
    }
    if (st == IA_OK)
        st = tx_push(&t, next, 1, err);
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

ia_status tk_nstr_append(tk_nstr *ns, const char *s, ia_error *err)
{
    size_t slen = strlen(s);
    if (ns->len == 0 || slen == 0)
        return IA_OK;
    size_t last = ns->len - 1;
    while (last > 0 && ((unsigned char)ns->s[last] & 0xC0) == 0x80)
        last--;
    size_t k;
    uint32_t prev = u8dec(ns->s + last, &k);
    tx t;
    ia_status st = tx_begin(&t, ns, last, ns->len, slen + k, err);
    if (st == IA_OK)
        st = tx_push(&t, prev, 0, err);
    for (size_t i = 0; i < slen && st == IA_OK;) {
        size_t kk;
        uint32_t cp = u8dec(s + i, &kk);
        st = tx_push(&t, cp, 1, err);
        i += kk;
    }
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

ia_status tk_nstr_strip(tk_nstr *ns, bool left, bool right, ia_error *err)
{
    size_t lb = 0, re = ns->len;
    if (left) {
        while (lb < ns->len) {
            size_t k;
            uint32_t cp = u8dec(ns->s + lb, &k);
            if (!ia_unicode_is_whitespace(cp))
                break;
            lb += k;
        }
    }
    if (right) {
        while (re > 0) {
            size_t p = re - 1;
            while (p > 0 && ((unsigned char)ns->s[p] & 0xC0) == 0x80)
                p--;
            size_t k;
            uint32_t cp = u8dec(ns->s + p, &k);
            if (!ia_unicode_is_whitespace(cp))
                break;
            re = p;
        }
    }
    if (lb == 0 && re == ns->len)
        return IA_OK;
    size_t b, e;
    if (!whole_range(ns, &b, &e))
        return IA_OK;
    if (re < lb)
        re = lb; /* all whitespace */
    /* Leading spaces are the initial offset, trailing ones the last kept
     * character's negative change: both just vanish. */
    tx t;
    ia_status st = tx_begin(&t, ns, b, e, re - lb + 1, err);
    if (st == IA_OK && lb > b)
        t.pos = lb;
    if (st == IA_OK && re > t.pos)
        st = tx_copy(&t, re - t.pos, err);
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

/* --- patterns ------------------------------------------------------------------ */

typedef struct mvec {
    tk_match *v;
    size_t n, cap;
} mvec;

static ia_status mpush(mvec *m, size_t b, size_t e, bool is_match, ia_error *err)
{
    ia_status st = tk_grow((void **)&m->v, &m->cap, m->n + 1, sizeof *m->v, err);
    if (st != IA_OK)
        return st;
    m->v[m->n++] = (tk_match){b, e, is_match};
    return IA_OK;
}

/* Non-overlapping matches of needle, as Regex::new(escape(s)). */
static ia_status find_string(const tk_pattern *p, const char *s, size_t len, mvec *m,
                             ia_error *err)
{
    size_t prev = 0, i = 0;
    ia_status st = IA_OK;
    while (i + p->str_len <= len && st == IA_OK) {
        const char *hit = memchr(s + i, (unsigned char)p->str[0], len - i - p->str_len + 1);
        if (!hit)
            break;
        size_t at = (size_t)(hit - s);
        if (memcmp(hit, p->str, p->str_len) != 0) {
            i = at + 1;
            continue;
        }
        if (at > prev)
            st = mpush(m, prev, at, false, err);
        if (st == IA_OK)
            st = mpush(m, at, at + p->str_len, true, err);
        prev = i = at + p->str_len;
    }
    if (st == IA_OK && prev != len)
        st = mpush(m, prev, len, false, err);
    return st;
}

/* find_iter with the regex crates' rule for empty matches: one right
 * after the previous match is skipped and the search moves a character. */
static ia_status find_regex(const tk_pattern *p, const char *s, size_t len, mvec *m,
                            ia_error *err)
{
    size_t prev = 0, at = 0;
    bool have_last = false;
    size_t last_end = 0;
    ia_status st = IA_OK;
    while (at <= len) {
        size_t mb, me;
        st = ia_regex_find(p->re, s, len, at, &mb, &me, err);
        if (st == IA_ERR_NOT_FOUND) {
            st = IA_OK;
            break;
        }
        if (st != IA_OK)
            return st;
        if (mb == me && have_last && last_end == me) {
            if (at >= len)
                break;
            at += u8len((unsigned char)s[at]);
            continue;
        }
        if (prev != mb)
            st = mpush(m, prev, mb, false, err);
        if (st == IA_OK)
            st = mpush(m, mb, me, true, err);
        if (st != IA_OK)
            return st;
        prev = me;
        have_last = true;
        last_end = me;
        if (me == mb) {
            if (me >= len)
                break;
            at = me + u8len((unsigned char)s[me]);
        } else {
            at = me;
        }
    }
    if (prev != len)
        st = mpush(m, prev, len, false, err);
    return st;
}

static ia_status find_chars(const tk_pattern *p, const char *s, size_t len, mvec *m,
                            ia_error *err)
{
    size_t last = 0;
    ia_status st = IA_OK;
    for (size_t i = 0; i < len && st == IA_OK;) {
        size_t k;
        uint32_t cp = u8dec(s + i, &k);
        if (p->is_match(cp, p->ctx)) {
            if (last < i)
                st = mpush(m, last, i, false, err);
            if (st == IA_OK)
                st = mpush(m, i, i + k, true, err);
            last = i + k;
        }
        i += k;
    }
    if (st == IA_OK && len > last)
        st = mpush(m, last, len, false, err);
    return st;
}

ia_status tk_pattern_find(const tk_pattern *p, const char *s, size_t len, tk_match **out,
                          size_t *n, ia_error *err)
{
    *out = NULL;
    *n = 0;
    mvec m = {0};
    ia_status st;
    if (len == 0) {
        st = mpush(&m, 0, 0, false, err);
    } else if (p->kind == TK_PATTERN_STRING) {
        if (p->str_len == 0)
            st = mpush(&m, 0, len, false, err);
        else
            st = find_string(p, s, len, &m, err);
    } else if (p->kind == TK_PATTERN_REGEX) {
        st = find_regex(p, s, len, &m, err);
    } else {
        st = find_chars(p, s, len, &m, err);
    }
    if (st != IA_OK) {
        free(m.v);
        return st;
    }
    if (p->invert)
        for (size_t i = 0; i < m.n; i++)
            m.v[i].is_match = !m.v[i].is_match;
    *out = m.v;
    *n = m.n;
    return IA_OK;
}

ia_status tk_nstr_replace(tk_nstr *ns, const tk_pattern *p, const char *content, ia_error *err)
{
    tk_match *m;
    size_t n;
    ia_status st = tk_pattern_find(p, ns->s, ns->len, &m, &n, err);
    if (st != IA_OK)
        return st;
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = m[i].is_match;
    if (!any) {
        free(m);
        return IA_OK;
    }
    /* Each match is transform_range(match, content as inserts, removed =
     * the match's chars): its chars are skipped, then content takes the
     * alignment of the byte before the cursor. One pass does them all. */
    size_t clen = strlen(content);
    tx t;
    st = tx_begin(&t, ns, 0, ns->len, ns->len + 16, err);
    for (size_t i = 0; i < n && st == IA_OK; i++) {
        if (!m[i].is_match) {
            st = tx_copy(&t, m[i].end - m[i].begin, err);
            continue;
        }
        t.pos = m[i].end;
        for (size_t q = 0; q < clen && st == IA_OK;) {
            size_t k;
            uint32_t cp = u8dec(content + q, &k);
            st = tx_push(&t, cp, 1, err);
            q += k;
        }
    }
    free(m);
    if (st != IA_OK) {
        tx_abort(&t);
        return st;
    }
    return tx_end(&t, err);
}

/* --- splits -------------------------------------------------------------------- */

ia_status tk_tokens_push(tk_tokens *t, int32_t id, size_t begin, size_t end, ia_error *err)
{
    ia_status st = tk_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v, err);
    if (st != IA_OK)
        return st;
    t->v[t->n++] = (tk_token){id, (uint32_t)begin, (uint32_t)end};
    return IA_OK;
}

ia_status tk_pretok_push(tk_pretok *pt, tk_nstr *str, ia_error *err)
{
    ia_status st = tk_grow((void **)&pt->v, &pt->cap, pt->n + 1, sizeof *pt->v, err);
    if (st != IA_OK) {
        tk_nstr_free(str);
        return st;
    }
    tk_split *sp = &pt->v[pt->n++];
    memset(sp, 0, sizeof *sp);
    tk_nstr_move(&sp->str, str);
    return IA_OK;
}

/* The arena of a pre-tokenized string: blocks of split buffers, freed
 * with it. */
struct tk_arena_block {
    tk_arena_block *next;
    size_t used, cap;
    _Alignas(8) unsigned char data[];
};

/* Blocks start small and double: a first block much larger than a short
 * text needs made glibc trim and refault its per-thread heaps on every
 * encode (batches on two threads ran slower than one thread). */
enum { ARENA_BLOCK_MIN = 2048 };

static void *arena_alloc(tk_pretok *pt, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    tk_arena_block *b = pt->arena;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK_MIN ? size : ARENA_BLOCK_MIN;
        if (b && cap < b->cap * 2 && b->cap * 2 <= (size_t)1 << 26)
            cap = b->cap * 2; /* fewer, larger blocks for long texts */
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = pt->arena;
        b->used = 0;
        b->cap = cap;
        pt->arena = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

ia_status tk_pretok_new_nstr(tk_pretok *pt, size_t cap, tk_nstr *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    if (cap > (SIZE_MAX - 16) / (sizeof(ia_span) + 1))
        return nomem(err);
    ia_span *a = arena_alloc(pt, cap * sizeof *a + cap + 1);
    if (!a)
        return nomem(err);
    out->align = a;
    out->s = (char *)(a + cap);
    out->s[0] = '\0';
    out->cap = cap;
    out->borrowed = true;
    return IA_OK;
}

ia_status tk_pretok_push_slice(tk_pretok *pt, const tk_nstr *ns, size_t nbegin, size_t nend,
                               ia_error *err)
{
    if (nbegin > nend || nend > ns->len || !on_boundary(ns, nbegin) || !on_boundary(ns, nend))
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: bad slice [%zu, %zu) of %zu bytes", nbegin, nend,
                            ns->len);
    size_t len = nend - nbegin;
    tk_nstr piece;
    ia_status st = tk_pretok_new_nstr(pt, len, &piece, err);
    if (st != IA_OK)
        return st;
    memcpy(piece.s, ns->s + nbegin, len);
    piece.s[len] = '\0';
    memcpy(piece.align, ns->align + nbegin, len * sizeof *piece.align);
    piece.len = len;
    piece.orig = tk_nstr_to_original(ns, nbegin, nend);
    return tk_pretok_push(pt, &piece, err);
}

static void split_free(tk_split *sp)
{
    tk_nstr_free(&sp->str);
    free(sp->tokens.v);
    memset(sp, 0, sizeof *sp);
}

void tk_pretok_free(tk_pretok *pt)
{
    if (!pt)
        return;
    for (size_t i = 0; i < pt->n; i++)
        split_free(&pt->v[i]);
    free(pt->v);
    while (pt->arena) {
        tk_arena_block *next = pt->arena->next;
        free(pt->arena);
        pt->arena = next;
    }
    memset(pt, 0, sizeof *pt);
}

ia_status tk_pretok_split(tk_pretok *pt, tk_split_fn fn, void *ctx, ia_error *err)
{
    /* The new splits may be borrowed from the old ones' arena: it goes to
     * the new list (behind the blocks the new splits fill). */
    tk_pretok out = {0};
    ia_status st = IA_OK;
    size_t i = 0;
    for (; i < pt->n && st == IA_OK; i++) {
        tk_split *sp = &pt->v[i];
        if (sp->tokenized) {
            st = tk_grow((void **)&out.v, &out.cap, out.n + 1, sizeof *out.v, err);
            if (st == IA_OK) {
                out.v[out.n++] = *sp;
                memset(sp, 0, sizeof *sp);
            }
            continue;
        }
        size_t from = out.n;
        tk_nstr s = sp->str;
        memset(&sp->str, 0, sizeof sp->str);
        st = fn(ctx, i, &s, &out, err);
        tk_nstr_free(&s);
        /* Drop the empty pieces. */
        size_t w = from;
        for (size_t r = from; r < out.n; r++) {
            if (out.v[r].str.len == 0 && !out.v[r].tokenized)
                split_free(&out.v[r]);
            else
                out.v[w++] = out.v[r];
        }
        out.n = w;
    }
    if (st != IA_OK) {
        tk_pretok_free(&out);
        tk_pretok_free(pt);
        return st;
    }
    tk_arena_block **tail = &out.arena;
    while (*tail)
        tail = &(*tail)->next;
    *tail = pt->arena;
    pt->arena = NULL;
    tk_pretok_free(pt);
    *pt = out;
    return IA_OK;
}

ia_status tk_nstr_split(tk_nstr *ns, const tk_pattern *p, tk_split_behavior behavior,
                        tk_pretok *out, ia_error *err)
{
    tk_match *m;
    size_t n;
    ia_status st = tk_pattern_find(p, ns->s, ns->len, &m, &n, err);
    if (st != IA_OK) {
        tk_nstr_free(ns);
        return st;
    }
    /* Rewrite m in place into the pieces to keep; is_match then means
     * "remove". */
    size_t w = 0;
    switch (behavior) {
    case TK_SPLIT_REMOVED:
        w = n;
        break;
    case TK_SPLIT_ISOLATED:
        for (size_t i = 0; i < n; i++)
            m[i].is_match = false;
        w = n;
        break;
    case TK_SPLIT_CONTIGUOUS: {
        bool prev = false;
        for (size_t i = 0; i < n; i++) {
            bool im = m[i].is_match;
            if (im == prev && w > 0) {
                m[w - 1].end = m[i].end;
            } else {
                m[w] = m[i];
                m[w++].is_match = false;
            }
            prev = im;
        }
        break;
    }
    case TK_SPLIT_MERGED_WITH_PREVIOUS: {
        bool prev = false;
        for (size_t i = 0; i < n; i++) {
            bool im = m[i].is_match;
            if (im && !prev && w > 0) {
                m[w - 1].end = m[i].end;
            } else {
                m[w] = m[i];
                m[w++].is_match = false;
            }
            prev = im;
        }
        break;
    }
    case TK_SPLIT_MERGED_WITH_NEXT: {
        /* Built from the back, like the Rust fold over the reversed list. */
        bool prev = false;
        size_t r = n; /* pieces live in m[r, n) */
        for (size_t i = n; i-- > 0;) {
            tk_match cur = m[i];
            if (cur.is_match && !prev && r < n) {
                m[r].begin = cur.begin;
            } else {
                m[--r] = cur;
                m[r].is_match = false;
            }
            prev = cur.is_match;
        }
        memmove(m, m + r, (n - r) * sizeof *m);
        w = n - r;
        break;
    }
    default:
        free(m);
        tk_nstr_free(ns);
        return ia_error_set(err, IA_ERR_INVALID, "tokenizer: unknown split behavior %d",
                            (int)behavior);
    }
    for (size_t i = 0; i < w && st == IA_OK; i++) {
        if (m[i].is_match)
            continue;
        tk_nstr piece;
        if (m[i].begin == 0 && m[i].end == ns->len && w == 1) {
            ia_span o = tk_nstr_to_original(ns, 0, ns->len);
            piece = *ns; /* the whole string: no copy */
            piece.orig = o;
            memset(ns, 0, sizeof *ns);
            st = tk_pretok_push(out, &piece, err);
        } else {
            st = tk_pretok_push_slice(out, ns, m[i].begin, m[i].end, err);
        }
    }
    free(m);
    tk_nstr_free(ns);
    return st;
}
