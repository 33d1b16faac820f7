/*
 * ia_encoding building and the Encoding operations of the Rust library
 * (tokenizers/src/tokenizer/encoding.rs): merge, truncate with stride and
 * direction, pad, and the byte -> character offset conversion the Python
 * API shows.
 *
 * Storage: an encoding built here keeps its nine per-token arrays with room
 * for at least cap_for(n) tokens (a power of two from 8 up), so a push only
 * reallocates when n reaches such a power and ia_encoding needs no capacity
 * field. Every array of an encoding therefore comes from this file
 * (tk_encoding_init, _push, _append, _truncate, _pad); nobody else may put
 * arrays of their own into one. The token strings are not owned.
 *
 * Each token also has an origin, kept out of the public struct: the text it
 * came from (0 the text, 1 the pair, -1 none), as encoding set it. The
 * public sequence_ids are the Rust library's get_sequence_ids(), which in
 * the overflowing parts of a pair need not say where a token came from, and
 * ia_encoding_char_offsets must know it. The origins live in the block that
 * holds sequence_ids: [capacity][sequence ids][origins], sequence_ids
 * pointing just past the capacity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

/* The room an encoding of n tokens is guaranteed to have. */
static size_t cap_for(size_t n)
{
    if (n == 0)
        return 0;
    size_t c = 8;
    while (c < n && c <= SIZE_MAX / 2)
        c *= 2;
    return c < n ? n : c;
}

static ia_status nomem(ia_error *err, size_t n)
{
    return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for an encoding of %zu tokens",
                        n);
}

/* The block behind sequence_ids: its capacity, and where the origins are. */
#define SEQ_HEADER sizeof(size_t)

static size_t seq_cap(const ia_encoding *e)
{
    size_t cap = 0;
    if (e->sequence_ids)
        memcpy(&cap, (const char *)e->sequence_ids - SEQ_HEADER, sizeof cap);
    return cap;
}

static int8_t *origins(const ia_encoding *e)
{
    return e->sequence_ids ? e->sequence_ids + seq_cap(e) : NULL;
}

static void seq_free(ia_encoding *e)
{
    if (e->sequence_ids)
        free((char *)e->sequence_ids - SEQ_HEADER);
}

/* Resizes every array to hold cap tokens (cap >= e->n). */
static ia_status resize(ia_encoding *e, size_t cap, ia_error *err)
{
    if (cap == 0)
        return IA_OK;
    if (cap > SIZE_MAX / sizeof(ia_span))
        return nomem(err, cap);
#define TK_RESIZE(field)                                                                          \
    do {                                                                                          \
        void *p_ = realloc((void *)e->field, cap * sizeof *e->field);                             \
        if (!p_)                                                                                  \
            return nomem(err, cap);                                                               \
        memcpy(&e->field, &p_, sizeof p_);                                                        \
    } while (0)
    TK_RESIZE(ids);
    TK_RESIZE(tokens);
    TK_RESIZE(token_lens);
    TK_RESIZE(offsets);
    TK_RESIZE(type_ids);
    TK_RESIZE(attention_mask);
    TK_RESIZE(special_tokens_mask);
    TK_RESIZE(word_ids);
#undef TK_RESIZE
    size_t old = seq_cap(e);
    char *base = e->sequence_ids ? (char *)e->sequence_ids - SEQ_HEADER : NULL;
    char *p = realloc(base, SEQ_HEADER + 2 * cap);
    if (!p)
        return nomem(err, cap);
    /* the origins follow the sequence ids: move them to the new end */
    memmove(p + SEQ_HEADER + cap, p + SEQ_HEADER + old, e->n);
    memcpy(p, &cap, sizeof cap);
    e->sequence_ids = (int8_t *)(p + SEQ_HEADER);
    return IA_OK;
}

ia_status tk_encoding_init(ia_encoding *e, size_t cap, ia_error *err)
{
    memset(e, 0, sizeof *e);
    ia_status st = resize(e, cap_for(cap), err);
    if (st != IA_OK)
        ia_encoding_free(e);
    return st;
}

ia_status tk_encoding_reserve(ia_encoding *e, size_t cap, ia_error *err)
{
    if (cap <= cap_for(e->n))
        return IA_OK;
    return resize(e, cap_for(cap), err);
}

/* Room for `more` tokens past n. */
static ia_status grow(ia_encoding *e, size_t more, ia_error *err)
{
    if (more > SIZE_MAX - e->n)
        return nomem(err, SIZE_MAX);
    size_t need = e->n + more;
    if (need <= cap_for(e->n))
        return IA_OK;
    return resize(e, cap_for(need), err);
}

ia_status tk_encoding_push(ia_encoding *e, int32_t id, const char *token, ia_span offset,
                           uint32_t type_id, int32_t word_id, int8_t sequence_id, bool special,
                           ia_error *err)
{
    return tk_encoding_push_n(e, id, token, token ? strlen(token) : 0, offset, type_id, word_id,
                              sequence_id, special, err);
}

ia_status tk_encoding_push_n(ia_encoding *e, int32_t id, const char *token, size_t token_len,
                             ia_span offset, uint32_t type_id, int32_t word_id,
                             int8_t sequence_id, bool special, ia_error *err)
{
    if (token_len > UINT32_MAX)
        return ia_error_set(err, IA_ERR_INVALID, "tokenizer: a token of %zu bytes", token_len);
    ia_status st = grow(e, 1, err);
    if (st != IA_OK)
        return st;
    size_t i = e->n++;
    e->ids[i] = id;
    e->tokens[i] = token;
    e->token_lens[i] = (uint32_t)token_len;
    e->offsets[i] = offset;
    e->type_ids[i] = type_id;
    e->attention_mask[i] = 1;
    e->special_tokens_mask[i] = special ? 1 : 0;
    e->word_ids[i] = word_id;
    e->sequence_ids[i] = sequence_id;
    origins(e)[i] = sequence_id;
    return IA_OK;
}

void ia_encoding_free(ia_encoding *enc)
{
    if (!enc)
        return;
    free(enc->ids);
    free((void *)enc->tokens);
    free(enc->token_lens);
    free(enc->offsets);
    free(enc->type_ids);
    free(enc->attention_mask);
    free(enc->special_tokens_mask);
    free(enc->word_ids);
    seq_free(enc);
    for (size_t i = 0; i < enc->n_overflowing; i++)
        ia_encoding_free(&enc->overflowing[i]);
    free(enc->overflowing);
    memset(enc, 0, sizeof *enc);
}

/* Appends src's tokens [begin, end) to dst (overflowing untouched). */
static ia_status append_range(ia_encoding *dst, const ia_encoding *src, size_t begin, size_t end,
                              ia_error *err)
{
    size_t k = end - begin;
    if (k == 0)
        return IA_OK;
    ia_status st = grow(dst, k, err);
    if (st != IA_OK)
        return st;
    size_t at = dst->n;
    memcpy(dst->ids + at, src->ids + begin, k * sizeof *dst->ids);
    memcpy((void *)(dst->tokens + at), src->tokens + begin, k * sizeof *dst->tokens);
    memcpy(dst->token_lens + at, src->token_lens + begin, k * sizeof *dst->token_lens);
    memcpy(dst->offsets + at, src->offsets + begin, k * sizeof *dst->offsets);
    memcpy(dst->type_ids + at, src->type_ids + begin, k * sizeof *dst->type_ids);
    memcpy(dst->attention_mask + at, src->attention_mask + begin, k);
    memcpy(dst->special_tokens_mask + at, src->special_tokens_mask + begin, k);
    memcpy(dst->word_ids + at, src->word_ids + begin, k * sizeof *dst->word_ids);
    memcpy(dst->sequence_ids + at, src->sequence_ids + begin, k);
    memcpy(origins(dst) + at, origins(src) + begin, k);
    dst->n += k;
    return IA_OK;
}

/* A deep copy of src (its overflowing ones included) into *out. */
static ia_status clone(ia_encoding *out, const ia_encoding *src, ia_error *err)
{
    ia_status st = tk_encoding_init(out, src->n, err);
    if (st == IA_OK)
        st = append_range(out, src, 0, src->n, err);
    if (st == IA_OK && src->n_overflowing) {
        out->overflowing = calloc(src->n_overflowing, sizeof *out->overflowing);
        if (!out->overflowing)
            st = nomem(err, src->n_overflowing);
        for (size_t i = 0; st == IA_OK && i < src->n_overflowing; i++) {
            st = clone(&out->overflowing[i], &src->overflowing[i], err);
            if (st == IA_OK)
                out->n_overflowing = i + 1;
        }
    }
    if (st != IA_OK)
        ia_encoding_free(out);
    return st;
}

/* A growing list of encodings (the new overflowing list being built). */
typedef struct enc_list {
    ia_encoding *v;
    size_t n, cap;
} enc_list;

static void enc_list_free(enc_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ia_encoding_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Pushes clone(base) merged with other. */
static ia_status merge_with(ia_encoding *self, const ia_encoding *pair, ia_error *err);

static ia_status push_merged(enc_list *l, const ia_encoding *base, const ia_encoding *other,
                             ia_error *err)
{
    ia_status st = tk_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v, err);
    if (st != IA_OK)
        return st;
    ia_encoding *n = &l->v[l->n];
    st = clone(n, base, err);
    if (st != IA_OK)
        return st;
    st = merge_with(n, other, err);
    if (st != IA_OK) {
        ia_encoding_free(n);
        return st;
    }
    l->n++;
    return IA_OK;
}

/* Encoding::merge_with(pair, growing_offsets = false): the overflowing
 * combinations are built exactly as the Rust library does, nesting
 * included: each of ours with pair (and with each of pair's overflowing
 * ones), then the whole of us with each of pair's overflowing ones. */
static ia_status merge_with(ia_encoding *self, const ia_encoding *pair, ia_error *err)
{
    enc_list over = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; st == IA_OK && i < self->n_overflowing; i++) {
        st = push_merged(&over, &self->overflowing[i], pair, err);
        for (size_t j = 0; st == IA_OK && j < pair->n_overflowing; j++)
            st = push_merged(&over, &self->overflowing[i], &pair->overflowing[j], err);
    }
    for (size_t j = 0; st == IA_OK && j < pair->n_overflowing; j++)
        st = push_merged(&over, self, &pair->overflowing[j], err);
    if (st == IA_OK)
        st = append_range(self, pair, 0, pair->n, err);
    if (st != IA_OK) {
        enc_list_free(&over);
        return st;
    }
    for (size_t i = 0; i < self->n_overflowing; i++)
        ia_encoding_free(&self->overflowing[i]);
    free(self->overflowing);
    self->overflowing = over.v;
    self->n_overflowing = over.n;
    if (!over.n) {
        free(over.v);
        self->overflowing = NULL;
    }
    return IA_OK;
}

ia_status tk_encoding_append(ia_encoding *dst, const ia_encoding *src, ia_error *err)
{
    return merge_with(dst, src, err);
}

/* A new encoding holding e's tokens [begin, end), no overflowing. */
static ia_status slice(ia_encoding *out, const ia_encoding *e, size_t begin, size_t end,
                       ia_error *err)
{
    ia_status st = tk_encoding_init(out, end - begin, err);
    if (st == IA_OK)
        st = append_range(out, e, begin, end, err);
    if (st != IA_OK)
        ia_encoding_free(out);
    return st;
}

ia_status tk_encoding_truncate(ia_encoding *e, size_t max_len, size_t stride, bool left,
                               ia_error *err)
{
    size_t len = e->n;
    if (max_len >= len)
        return IA_OK;
    if (max_len == 0) {
        /* The whole encoding (with its overflowing ones) becomes the one
         * overflowing part of an empty encoding. */
        ia_encoding *o = malloc(sizeof *o);
        if (!o)
            return nomem(err, 1);
        *o = *e;
        memset(e, 0, sizeof *e);
        e->overflowing = o;
        e->n_overflowing = 1;
        return IA_OK;
    }
    if (stride >= max_len)
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: truncation stride %zu must be less than the length %zu "
                            "kept",
                            stride, max_len);
    size_t step = max_len - stride;
    /* The windows, in the order the Rust library lists them. */
    size_t n_parts = 0, cap = 0;
    size_t (*parts)[2] = NULL;
    ia_status st = IA_OK;
    if (!left) {
        for (size_t start = 0; start < len; start += step) {
            size_t stop = start + max_len < len ? start + max_len : len;
            st = tk_grow((void **)&parts, &cap, n_parts + 1, sizeof *parts, err);
            if (st != IA_OK)
                break;
            parts[n_parts][0] = start;
            parts[n_parts][1] = stop;
            n_parts++;
            if (stop == len)
                break;
        }
    } else {
        /* stops len-1, len-1-step, ... (then +1) until a window reaches 0. */
        for (size_t s = len; s > 0;) {
            size_t stop = s; /* (s - 1) + 1 */
            size_t start = stop < max_len ? 0 : stop - max_len;
            if (start < stop) {
                st = tk_grow((void **)&parts, &cap, n_parts + 1, sizeof *parts, err);
                if (st != IA_OK)
                    break;
                parts[n_parts][0] = start;
                parts[n_parts][1] = stop;
                n_parts++;
                if (start == 0)
                    break;
            }
            if (s <= step)
                break;
            s -= step;
        }
    }
    ia_encoding out = {0};
    if (st == IA_OK)
        st = slice(&out, e, parts[0][0], parts[0][1], err);
    if (st == IA_OK && n_parts > 1) {
        out.overflowing = calloc(n_parts - 1, sizeof *out.overflowing);
        if (!out.overflowing)
            st = nomem(err, n_parts - 1);
        for (size_t i = 1; st == IA_OK && i < n_parts; i++) {
            st = slice(&out.overflowing[i - 1], e, parts[i][0], parts[i][1], err);
            if (st == IA_OK)
                out.n_overflowing = i;
        }
    }
    free(parts);
    if (st != IA_OK) {
        ia_encoding_free(&out);
        return st;
    }
    /* The old overflowing ones are dropped, as `*self = new_encoding` does. */
    ia_encoding_free(e);
    *e = out;
    return IA_OK;
}

ia_status tk_encoding_pad(ia_encoding *e, size_t target_len, int32_t pad_id,
                          uint32_t pad_type_id, const char *pad_token, bool left, ia_error *err)
{
    for (size_t i = 0; i < e->n_overflowing; i++) {
        ia_status st = tk_encoding_pad(&e->overflowing[i], target_len, pad_id, pad_type_id,
                                       pad_token, left, err);
        if (st != IA_OK)
            return st;
    }
    if (e->n >= target_len)
        return IA_OK;
    size_t k = target_len - e->n;
    ia_status st = grow(e, k, err);
    if (st != IA_OK)
        return st;
    size_t at = e->n;
    uint32_t pad_len = pad_token ? (uint32_t)strnlen(pad_token, UINT32_MAX) : 0;
    if (left) {
        size_t n = e->n;
        memmove(e->ids + k, e->ids, n * sizeof *e->ids);
        memmove((void *)(e->tokens + k), e->tokens, n * sizeof *e->tokens);
        memmove(e->token_lens + k, e->token_lens, n * sizeof *e->token_lens);
        memmove(e->offsets + k, e->offsets, n * sizeof *e->offsets);
        memmove(e->type_ids + k, e->type_ids, n * sizeof *e->type_ids);
        memmove(e->attention_mask + k, e->attention_mask, n);
        memmove(e->special_tokens_mask + k, e->special_tokens_mask, n);
        memmove(e->word_ids + k, e->word_ids, n * sizeof *e->word_ids);
        memmove(e->sequence_ids + k, e->sequence_ids, n);
        memmove(origins(e) + k, origins(e), n);
        at = 0;
    }
    for (size_t i = at; i < at + k; i++) {
        e->ids[i] = pad_id;
        e->tokens[i] = pad_token;
        e->token_lens[i] = pad_len;
        e->offsets[i] = (ia_span){0, 0};
        e->type_ids[i] = pad_type_id;
        e->attention_mask[i] = 0;
        e->special_tokens_mask[i] = 1;
        e->word_ids[i] = -1;
        e->sequence_ids[i] = -1;
        origins(e)[i] = -1;
    }
    e->n += k;
    return IA_OK;
}

/* --- byte -> character offsets --------------------------------------------- */

/* BytesToCharOffsetConverter: map[b] is the index of the character holding
 * byte b, for b < len. */
typedef struct char_map {
    const char *s;
    size_t len;
    uint32_t *map; /* NULL when it could not be allocated: count instead */
} char_map;

static void char_map_init(char_map *m, const char *s, size_t len)
{
    m->s = s;
    m->len = s ? len : 0;
    m->map = m->len ? malloc(m->len * sizeof *m->map) : NULL;
    if (!m->map)
        return;
    uint32_t c = 0;
    for (size_t b = 0; b < m->len; b++) {
        if (b > 0 && ((uint8_t)s[b] & 0xC0) != 0x80)
            c++;
        m->map[b] = c;
    }
}

static uint32_t char_at(const char_map *m, size_t b)
{
    if (m->map)
        return m->map[b];
    uint32_t c = 0;
    for (size_t i = 1; i <= b; i++)
        if (((uint8_t)m->s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* convert(): both ends inside the text map directly; an end at (or past)
 * the text's end maps from the byte before it; a start at or past the end
 * leaves the offsets as they are (as the Rust library's unwrap_or does). */
static ia_span char_convert(const char_map *m, ia_span o)
{
    if (o.begin >= m->len)
        return o;
    uint32_t start = char_at(m, o.begin);
    if (o.end < m->len)
        return (ia_span){start, char_at(m, o.end)};
    uint32_t last = o.end >= 1 && o.end - 1 < m->len ? char_at(m, o.end - 1) : start + 1;
    return (ia_span){start, last + 1};
}

/* By each token's origin, not its sequence id: see the top of this file. */
static void convert_all(ia_encoding *enc, const char_map *text, const char_map *pair)
{
    const int8_t *from = origins(enc);
    for (size_t i = 0; i < enc->n; i++) {
        int8_t s = from[i];
        if (s == 0)
            enc->offsets[i] = char_convert(text, enc->offsets[i]);
        else if (s == 1)
            enc->offsets[i] = char_convert(pair, enc->offsets[i]);
    }
    for (size_t i = 0; i < enc->n_overflowing; i++)
        convert_all(&enc->overflowing[i], text, pair);
}

void ia_encoding_char_offsets(ia_encoding *enc, const char *text, size_t len, const char *pair,
                              size_t pair_len)
{
    if (!enc)
        return;
    char_map t, p;
    char_map_init(&t, text, len);
    char_map_init(&p, pair, pair_len);
    convert_all(enc, &t, &p);
    free(t.map);
    free(p.map);
}

void tk_encoding_zero_pad_sequence_ids(ia_encoding *e)
{
    for (size_t i = 0; i < e->n; i++)
        if (!e->attention_mask[i])
            e->sequence_ids[i] = 0;
    for (size_t i = 0; i < e->n_overflowing; i++)
        tk_encoding_zero_pad_sequence_ids(&e->overflowing[i]);
}
