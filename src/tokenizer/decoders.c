/*
 * Decoders (tokenizers/src/decoders/ in the Rust library, with ByteLevel and
 * Metaspace from pre_tokenizers/ and Replace from normalizers/): each
 * decode_chain turns the list of token strings into the list of decoded
 * pieces, which the caller concatenates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef enum dec_kind {
    DEC_WORDPIECE,
    DEC_BYTE_LEVEL,
    DEC_METASPACE,
    DEC_BYTE_FALLBACK,
    DEC_FUSE,
    DEC_STRIP,
    DEC_REPLACE,
    DEC_BPE,
    DEC_CTC,
    DEC_SEQUENCE
} dec_kind;

struct tk_decoder {
    dec_kind kind;
    char *prefix;   /* WordPiece */
    bool cleanup;   /* WordPiece, CTC */
    uint32_t ch;    /* Metaspace replacement, Strip content */
    bool prepend;   /* Metaspace: prepend_scheme is not "never" */
    size_t start, stop; /* Strip */
    char *pattern;  /* Replace: the literal string, or NULL with re */
    ia_regex *re;
    char *content;  /* Replace */
    char *suffix;   /* BPEDecoder */
    char *pad, *delim; /* CTC */
    tk_decoder **subs; /* Sequence */
    size_t n_subs;
};

void tk_decoder_free(tk_decoder *d)
{
    if (!d)
        return;
    free(d->prefix);
    free(d->pattern);
    ia_regex_free(d->re);
    free(d->content);
    free(d->suffix);
    free(d->pad);
    free(d->delim);
    for (size_t i = 0; i < d->n_subs; i++)
        tk_decoder_free(d->subs[i]);
    free(d->subs);
    free(d);
}

static ia_status nomem(ia_error *err)
{
    return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory while decoding");
}

/* --- a growable string -------------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
    bool failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 32;
        while (c < b->n + n + 1)
            c *= 2;
        char *p = realloc(b->s, c);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = c;
    }
    if (n)
        memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_cp(sbuf *b, uint32_t cp)
{
    char u[4];
    int k = ia_utf8_encode(cp, u);
    sb_add(b, u, k > 0 ? (size_t)k : 0);
}

/* Pushes the buffer's string (taken) onto v. */
static ia_status sb_push(sbuf *b, tk_strvec *v, ia_error *err)
{
    sb_add(b, "", 0); /* makes sure there is a NUL-terminated buffer */
    if (b->failed) {
        free(b->s);
        memset(b, 0, sizeof *b);
        return nomem(err);
    }
    ia_status st = tk_strvec_push_owned(v, b->s, b->n, err);
    memset(b, 0, sizeof *b);
    return st;
}

/* str.replace(from, to) appended to b (from non-empty). */
static void sb_replace(sbuf *b, const char *s, size_t n, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    size_t i = 0, last = 0;
    while (fl && i + fl <= n) {
        if (memcmp(s + i, from, fl) == 0) {
            sb_add(b, s + last, i - last);
            sb_add(b, to, tl);
            i += fl;
            last = i;
        } else {
            i++;
        }
    }
    sb_add(b, s + last, n - last);
}

/* Rewrites *s (len *n, malloc'ed) with every `from` replaced by `to`. */
static ia_status replace_owned(char **s, size_t *n, const char *from, const char *to,
                               ia_error *err)
{
    if (!*from || !strstr(*s, from))
        return IA_OK;
    sbuf b = {0};
    sb_replace(&b, *s, *n, from, to);
    sb_add(&b, "", 0);
    if (b.failed) {
        free(b.s);
        return nomem(err);
    }
    free(*s);
    *s = b.s;
    *n = b.n;
    return IA_OK;
}

/* wordpiece.rs cleanup(): the replacements in their order. */
static ia_status wordpiece_cleanup(char **s, size_t *n, ia_error *err)
{
    static const char *const rules[][2] = {
        {" .", "."},    {" ?", "?"},     {" !", "!"},         {" ,", ","},
        {" ' ", "'"},   {" n't", "n't"}, {" 'm", "'m"},       {" do not", " don't"},
        {" 's", "'s"},  {" 've", "'ve"}, {" 're", "'re"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        ia_status st = replace_owned(s, n, rules[i][0], rules[i][1], err);
        if (st != IA_OK)
            return st;
    }
    return IA_OK;
}

/* String::from_utf8_lossy: each maximal invalid subpart becomes U+FFFD. */
static void sb_utf8_lossy(sbuf *b, const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            sb_add(b, (const char *)s + i, 1);
            i++;
            continue;
        }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            sb_cp(b, 0xFFFD);
            i++;
            continue;
        }
        size_t k = 1;
        bool ok = true;
        for (; k <= need; k++) {
            if (i + k >= n) {
                ok = false;
                break;
            }
            uint8_t x = s[i + k];
            uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
            if (x < l || x > h) {
                ok = false;
                break;
            }
        }
        if (ok) {
            sb_add(b, (const char *)s + i, need + 1);
            i += need + 1;
        } else {
            sb_cp(b, 0xFFFD);
            i += k; /* the lead byte and the valid continuation bytes seen */
        }
    }
}

/* --- the decoders --------------------------------------------------------------- */

static ia_status decode_wordpiece(const tk_decoder *d, tk_strvec *v, ia_error *err)
{
    size_t pl = strlen(d->prefix);
    for (size_t i = 0; i < v->n; i++) {
        if (i != 0) {
            sbuf b = {0};
            if (v->len[i] >= pl && memcmp(v->s[i], d->prefix, pl) == 0) {
                /* replacen(prefix, "", 1): the first occurrence is this one. */
                sb_add(&b, v->s[i] + pl, v->len[i] - pl);
            } else {
                sb_add(&b, " ", 1);
                sb_add(&b, v->s[i], v->len[i]);
            }
            sb_add(&b, "", 0);
            if (b.failed) {
                free(b.s);
                return nomem(err);
            }
            free(v->s[i]);
            v->s[i] = b.s;
            v->len[i] = b.n;
        }
        if (d->cleanup) {
            ia_status st = wordpiece_cleanup(&v->s[i], &v->len[i], err);
            if (st != IA_OK)
                return st;
        }
    }
    return IA_OK;
}

/* All tokens' characters mapped to bytes (a token with a character outside
 * the alphabet keeps its own bytes), then one lossy UTF-8 string. */
static ia_status decode_byte_level(tk_strvec *v, ia_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < v->n; i++)
        total += v->len[i];
    uint8_t *bytes = malloc(total ? total : 1);
    if (!bytes)
        return nomem(err);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        const char *s = v->s[i];
        size_t n = v->len[i], at = k, pos = 0;
        bool all = true;
        while (pos < n) {
            uint32_t cp;
            int m = ia_utf8_decode(s + pos, n - pos, &cp);
            int byte = m > 0 ? tk_byte_level_byte(cp) : -1;
            if (byte < 0) {
                all = false;
                break;
            }
            bytes[k++] = (uint8_t)byte;
            pos += (size_t)m;
        }
        if (!all) {
            k = at;
            memcpy(bytes + k, s, n);
            k += n;
        }
    }
    sbuf b = {0};
    sb_utf8_lossy(&b, bytes, k);
    free(bytes);
    tk_strvec_clear(v);
    return sb_push(&b, v, err);
}

static ia_status decode_metaspace(const tk_decoder *d, tk_strvec *v, ia_error *err)
{
    for (size_t i = 0; i < v->n; i++) {
        sbuf b = {0};
        const char *s = v->s[i];
        size_t n = v->len[i], pos = 0;
        while (pos < n) {
            uint32_t cp;
            int m = ia_utf8_decode(s + pos, n - pos, &cp);
            if (m <= 0) {
                sb_add(&b, s + pos, 1);
                pos++;
                continue;
            }
            if (cp == d->ch) {
                if (!(i == 0 && d->prepend))
                    sb_add(&b, " ", 1);
            } else {
                sb_add(&b, s + pos, (size_t)m);
            }
            pos += (size_t)m;
        }
        sb_add(&b, "", 0);
        if (b.failed) {
            free(b.s);
            return nomem(err);
        }
        free(v->s[i]);
        v->s[i] = b.s;
        v->len[i] = b.n;
    }
    return IA_OK;
}

/* "<0xXX>" as u8::from_str_radix reads XX (which takes a leading '+'). */
static int byte_token(const char *s, size_t n)
{
    if (n != 6 || memcmp(s, "<0x", 3) != 0 || s[5] != '>')
        return -1;
    int v = 0;
    size_t i = 3;
    if (s[3] == '+')
        i = 4;
    for (; i < 5; i++) {
        char c = s[i];
        int x = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (x < 0)
            return -1;
        v = v * 16 + x;
    }
    return v;
}

/* Whether s[0, n) is valid UTF-8 (String::from_utf8 succeeds). */
static bool valid_utf8(const uint8_t *s, size_t n)
{
    sbuf b = {0};
    sb_utf8_lossy(&b, s, n);
    bool ok = !b.failed && b.n == n && (n == 0 || memcmp(b.s, s, n) == 0);
    free(b.s);
    return ok;
}

static ia_status flush_bytes(uint8_t *bytes, size_t *nb, tk_strvec *out, ia_error *err)
{
    if (*nb == 0)
        return IA_OK;
    ia_status st = IA_OK;
    if (valid_utf8(bytes, *nb)) {
        st = tk_strvec_push(out, (const char *)bytes, *nb, err);
    } else {
        for (size_t i = 0; i < *nb && st == IA_OK; i++)
            st = tk_strvec_push(out, "\xEF\xBF\xBD", 3, err);
    }
    *nb = 0;
    return st;
}

static ia_status decode_byte_fallback(tk_strvec *v, ia_error *err)
{
    tk_strvec out = {0};
    uint8_t *bytes = malloc(v->n ? v->n : 1);
    if (!bytes)
        return nomem(err);
    size_t nb = 0;
    ia_status st = IA_OK;
    for (size_t i = 0; i < v->n && st == IA_OK; i++) {
        int b = byte_token(v->s[i], v->len[i]);
        if (b >= 0) {
            bytes[nb++] = (uint8_t)b;
            continue;
        }
        st = flush_bytes(bytes, &nb, &out, err);
        if (st == IA_OK) {
            st = tk_strvec_push_owned(&out, v->s[i], v->len[i], err);
            v->s[i] = NULL; /* taken (freed by push_owned on failure) */
        }
    }
    if (st == IA_OK)
        st = flush_bytes(bytes, &nb, &out, err);
    free(bytes);
    if (st != IA_OK) {
        tk_strvec_free(&out);
        return st;
    }
    tk_strvec_free(v);
    *v = out;
    return IA_OK;
}

static ia_status decode_fuse(tk_strvec *v, ia_error *err)
{
    sbuf b = {0};
    for (size_t i = 0; i < v->n; i++)
        sb_add(&b, v->s[i], v->len[i]);
    tk_strvec_clear(v);
    return sb_push(&b, v, err);
}

static ia_status decode_strip(const tk_decoder *d, tk_strvec *v, ia_error *err)
{
    (void)err;
    for (size_t i = 0; i < v->n; i++) {
        char *s = v->s[i];
        size_t n = v->len[i];
        /* Byte positions of each character. */
        size_t n_chars = 0;
        for (size_t p = 0; p < n; p++)
            if (((uint8_t)s[p] & 0xC0) != 0x80)
                n_chars++;
        size_t begin = 0, n_start = 0;
        while (n_start < d->start && begin < n) {
            uint32_t cp;
            int m = ia_utf8_decode(s + begin, n - begin, &cp);
            if (m <= 0 || cp != d->ch)
                break;
            begin += (size_t)m;
            n_start++;
        }
        size_t end = n, n_stop = 0, limit = n_chars - n_start;
        if (d->stop < limit)
            limit = d->stop;
        while (n_stop < limit && end > begin) {
            size_t b = end - 1;
            while (b > begin && ((uint8_t)s[b] & 0xC0) == 0x80)
                b--;
            uint32_t cp;
            int m = ia_utf8_decode(s + b, end - b, &cp);
            if (m <= 0 || cp != d->ch)
                break;
            end = b;
            n_stop++;
        }
        memmove(s, s + begin, end - begin);
        s[end - begin] = '\0';
        v->len[i] = end - begin;
    }
    return IA_OK;
}

/* Regex find_iter as the Rust library's onig wrapper walks it: an empty
 * match right where the previous match ended is skipped. */
static ia_status decode_replace(const tk_decoder *d, tk_strvec *v, ia_error *err)
{
    for (size_t i = 0; i < v->n; i++) {
        const char *s = v->s[i];
        size_t n = v->len[i];
        sbuf b = {0};
        if (d->pattern) {
            sb_replace(&b, s, n, d->pattern, d->content);
        } else {
            size_t pos = 0, last = 0;
            bool have_prev = false;
            size_t prev_end = 0;
            while (pos <= n) {
                size_t mb, me;
                ia_status st = ia_regex_find(d->re, s, n, pos, &mb, &me, err);
                if (st == IA_ERR_NOT_FOUND)
                    break;
                if (st != IA_OK) {
                    free(b.s);
                    return st;
                }
                if (mb == me && have_prev && mb == prev_end) {
                    /* Step one character and look again. */
                    if (mb >= n)
                        break;
                    uint32_t cp;
                    int m = ia_utf8_decode(s + mb, n - mb, &cp);
                    pos = mb + (size_t)(m > 0 ? m : 1);
                    continue;
                }
                sb_add(&b, s + last, mb - last);
                sb_add(&b, d->content, strlen(d->content));
                last = me;
                have_prev = true;
                prev_end = me;
                if (me > mb) {
                    pos = me;
                } else {
                    if (me >= n)
                        break;
                    uint32_t cp;
                    int m = ia_utf8_decode(s + me, n - me, &cp);
                    /* the text between stays unmatched and is copied later */
                    pos = me + (size_t)(m > 0 ? m : 1);
                }
            }
            sb_add(&b, s + last, n - last);
        }
        sb_add(&b, "", 0);
        if (b.failed) {
            free(b.s);
            return nomem(err);
        }
        free(v->s[i]);
        v->s[i] = b.s;
        v->len[i] = b.n;
    }
    return IA_OK;
}

/* The suffix becomes a space, except on the last token where it goes. */
static ia_status decode_bpe(const tk_decoder *d, tk_strvec *v, ia_error *err)
{
    for (size_t i = 0; i < v->n; i++) {
        ia_status st = replace_owned(&v->s[i], &v->len[i], d->suffix,
                                     i + 1 == v->n ? "" : " ", err);
        if (st != IA_OK)
            return st;
    }
    return IA_OK;
}

/* Consecutive duplicates merged, the pad token removed, cleanup and the word
 * delimiter as a space, empty results dropped. */
static ia_status decode_ctc(const tk_decoder *d, tk_strvec *v, ia_error *err)
{
    tk_strvec out = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < v->n && st == IA_OK; i++) {
        if (i > 0 && v->len[i] == v->len[i - 1] &&
            memcmp(v->s[i], v->s[i - 1], v->len[i]) == 0)
            continue;
        char *s = malloc(v->len[i] + 1);
        if (!s) {
            st = nomem(err);
            break;
        }
        memcpy(s, v->s[i], v->len[i] + 1);
        size_t n = v->len[i];
        st = replace_owned(&s, &n, d->pad, "", err);
        if (st == IA_OK && d->cleanup) {
            st = wordpiece_cleanup(&s, &n, err);
            if (st == IA_OK)
                st = replace_owned(&s, &n, d->delim, " ", err);
        }
        if (st != IA_OK || n == 0) {
            free(s);
            continue;
        }
        st = tk_strvec_push_owned(&out, s, n, err);
    }
    if (st != IA_OK) {
        tk_strvec_free(&out);
        return st;
    }
    tk_strvec_free(v);
    *v = out;
    return IA_OK;
}

ia_status tk_decoder_decode_chain(const tk_decoder *d, tk_strvec *tokens, ia_error *err)
{
    if (!d)
        return IA_OK;
    switch (d->kind) {
    case DEC_WORDPIECE:
        return decode_wordpiece(d, tokens, err);
    case DEC_BYTE_LEVEL:
        return decode_byte_level(tokens, err);
    case DEC_METASPACE:
        return decode_metaspace(d, tokens, err);
    case DEC_BYTE_FALLBACK:
        return decode_byte_fallback(tokens, err);
    case DEC_FUSE:
        return decode_fuse(tokens, err);
    case DEC_STRIP:
        return decode_strip(d, tokens, err);
    case DEC_REPLACE:
        return decode_replace(d, tokens, err);
    case DEC_BPE:
        return decode_bpe(d, tokens, err);
    case DEC_CTC:
        return decode_ctc(d, tokens, err);
    case DEC_SEQUENCE:
        for (size_t i = 0; i < d->n_subs; i++) {
            ia_status st = tk_decoder_decode_chain(d->subs[i], tokens, err);
            if (st != IA_OK)
                return st;
        }
        return IA_OK;
    }
    return IA_OK;
}

/* --- parsing -------------------------------------------------------------------- */

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

static ia_status get_str(const tk_load *ld, const cJSON *v, const char *path, const char *key,
                         bool required, const char *def, char **out)
{
    const char *s;
    ia_status st = tk_json_string(ld, v, path, key, required, def, &s);
    if (st != IA_OK)
        return st;
    *out = dup_str(s);
    if (!*out)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
    return IA_OK;
}

/* A Rust `char` field: a string of exactly one character. */
static ia_status get_char(const tk_load *ld, const cJSON *v, const char *path, const char *key,
                          bool required, const char *def, uint32_t *out)
{
    const char *s;
    ia_status st = tk_json_string(ld, v, path, key, required, def, &s);
    if (st != IA_OK)
        return st;
    size_t n = strlen(s);
    int m = n ? ia_utf8_decode(s, n, out) : 0;
    if (m <= 0 || (size_t)m != n) {
        char p[TK_PATH_MAX];
        tk_path_key(p, path, key);
        return tk_json_fail(ld, IA_ERR_PARSE, p, "expected a single character, found \"%s\"",
                            s);
    }
    return IA_OK;
}

static ia_status parse_metaspace(const tk_load *ld, const cJSON *v, const char *path,
                                 tk_decoder *d)
{
    ia_status st = get_char(ld, v, path, "replacement", false, "\xE2\x96\x81", &d->ch);
    if (st != IA_OK)
        return st;
    const char *scheme;
    st = tk_json_string(ld, v, path, "prepend_scheme", false, NULL, &scheme);
    if (st != IA_OK)
        return st;
    if (!scheme) {
        /* Files from before prepend_scheme: add_prefix_space decides. */
        bool add;
        st = tk_json_bool(ld, v, path, "add_prefix_space", false, true, &add);
        d->prepend = add;
        return st;
    }
    if (strcmp(scheme, "always") == 0 || strcmp(scheme, "first") == 0) {
        d->prepend = true;
    } else if (strcmp(scheme, "never") == 0) {
        d->prepend = false;
    } else {
        char p[TK_PATH_MAX];
        tk_path_key(p, path, "prepend_scheme");
        return tk_json_fail(ld, IA_ERR_PARSE, p,
                            "'%s' is not a prepend scheme (always, first, never)", scheme);
    }
    bool split;
    return tk_json_bool(ld, v, path, "split", false, true, &split);
}

static ia_status parse_replace(const tk_load *ld, const cJSON *v, const char *path,
                               tk_decoder *d)
{
    const cJSON *pat;
    ia_status st = tk_json_object(ld, v, path, "pattern", true, &pat);
    if (st == IA_OK)
        st = get_str(ld, v, path, "content", true, NULL, &d->content);
    if (st != IA_OK)
        return st;
    char pp[TK_PATH_MAX];
    tk_path_key(pp, path, "pattern");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(pat, "String");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(pat, "Regex");
    if (cJSON_IsString(s)) {
        d->pattern = dup_str(s->valuestring);
        if (!d->pattern)
            return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
        if (!*d->pattern)
            return tk_json_fail(ld, IA_ERR_UNSUPPORTED, pp, "an empty String pattern is not "
                                                            "supported");
        return IA_OK;
    }
    if (cJSON_IsString(r)) {
        ia_error rerr;
        st = ia_regex_compile(r->valuestring, 0, &d->re, &rerr);
        if (st != IA_OK)
            return tk_json_fail(ld, st, pp, "%s", rerr.message);
        return IA_OK;
    }
    return tk_json_fail(ld, IA_ERR_PARSE, pp,
                        "expected {\"String\": \"...\"} or {\"Regex\": \"...\"}");
}

ia_status tk_decoder_parse(const tk_load *ld, const cJSON *v, const char *path,
                           tk_decoder **out)
{
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    const char *type;
    ia_status st = tk_json_component_type(ld, v, path, &type);
    if (st != IA_OK)
        return st;
    tk_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
    if (strcmp(type, "WordPiece") == 0) {
        d->kind = DEC_WORDPIECE;
        st = get_str(ld, v, path, "prefix", false, "##", &d->prefix);
        if (st == IA_OK)
            st = tk_json_bool(ld, v, path, "cleanup", false, true, &d->cleanup);
    } else if (strcmp(type, "ByteLevel") == 0) {
        d->kind = DEC_BYTE_LEVEL;
    } else if (strcmp(type, "Metaspace") == 0) {
        d->kind = DEC_METASPACE;
        st = parse_metaspace(ld, v, path, d);
    } else if (strcmp(type, "ByteFallback") == 0) {
        d->kind = DEC_BYTE_FALLBACK;
    } else if (strcmp(type, "Fuse") == 0) {
        d->kind = DEC_FUSE;
    } else if (strcmp(type, "Strip") == 0) {
        d->kind = DEC_STRIP;
        int64_t a = 0, b = 0;
        st = get_char(ld, v, path, "content", true, NULL, &d->ch);
        if (st == IA_OK)
            st = tk_json_int(ld, v, path, "start", true, 0, 0, INT32_MAX, &a);
        if (st == IA_OK)
            st = tk_json_int(ld, v, path, "stop", true, 0, 0, INT32_MAX, &b);
        d->start = (size_t)a;
        d->stop = (size_t)b;
    } else if (strcmp(type, "Replace") == 0) {
        d->kind = DEC_REPLACE;
        st = parse_replace(ld, v, path, d);
    } else if (strcmp(type, "BPEDecoder") == 0) {
        d->kind = DEC_BPE;
        st = get_str(ld, v, path, "suffix", false, "</w>", &d->suffix);
    } else if (strcmp(type, "CTC") == 0) {
        d->kind = DEC_CTC;
        st = get_str(ld, v, path, "pad_token", false, "<pad>", &d->pad);
        if (st == IA_OK)
            st = get_str(ld, v, path, "word_delimiter_token", false, "|", &d->delim);
        if (st == IA_OK)
            st = tk_json_bool(ld, v, path, "cleanup", false, true, &d->cleanup);
    } else if (strcmp(type, "Sequence") == 0) {
        d->kind = DEC_SEQUENCE;
        const cJSON *arr;
        st = tk_json_array(ld, v, path, "decoders", true, &arr);
        char ap[TK_PATH_MAX];
        tk_path_key(ap, path, "decoders");
        size_t n = st == IA_OK ? (size_t)cJSON_GetArraySize(arr) : 0;
        if (st == IA_OK) {
            d->subs = calloc(n ? n : 1, sizeof *d->subs);
            if (!d->subs)
                st = ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
        }
        for (size_t i = 0; i < n && st == IA_OK; i++) {
            char ip[TK_PATH_MAX];
            tk_path_index(ip, ap, i);
            const cJSON *e = cJSON_GetArrayItem(arr, (int)i);
            if (!cJSON_IsObject(e)) {
                st = tk_json_fail(ld, IA_ERR_PARSE, ip, "expected an object, found %s",
                                  tk_json_kind(e));
                break;
            }
            st = tk_decoder_parse(ld, e, ip, &d->subs[i]);
            if (st == IA_OK)
                d->n_subs = i + 1;
        }
    } else {
        st = tk_json_unknown_type(ld, path, "decoder", type,
                                  "WordPiece, ByteLevel, Metaspace, ByteFallback, Fuse, Strip, "
                                  "Replace, BPEDecoder, CTC, Sequence");
    }
    if (st != IA_OK) {
        tk_decoder_free(d);
        return st;
    }
    *out = d;
    return IA_OK;
}

