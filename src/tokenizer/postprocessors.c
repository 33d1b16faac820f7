/*
 * Post-processors (tokenizers/src/processors/ in the Rust library): TemplateProcessing,
 * BertProcessing, RobertaProcessing, ByteLevel, Sequence, and the default
 * processing when there is none.
 *
 * Sequence ids: the Rust Encoding does not store a sequence id per token but
 * a map from sequence id to a token range, which merging shifts and joins
 * and get_sequence_ids() reads in a peculiar way (a map holding only key 1
 * gives every token sequence 0; a key with an empty range still counts).
 * To give the same per-token ids in every case (overflowing parts and empty
 * texts included), processing works on rs_enc, a copy of that model, and
 * turns it into per-token ids only at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

/* --- the Rust Encoding with its sequence ranges ---------------------------- */

/* Keys a sequence_ranges map can hold here. Rust's ByteLevel processor
 * numbers every encoding it is given, so after a template (in a Sequence)
 * keys past 1 occur; larger ones are clamped to the last. */
#define RS_KEYS 16

typedef struct rs_enc {
    ia_encoding t;      /* the tokens; t.overflowing stays empty */
    bool has[RS_KEYS]; /* the sequence_ranges keys present */
    size_t rb[RS_KEYS], re[RS_KEYS];
    struct rs_enc *over;
    size_t n_over;
} rs_enc;

static void rs_free(rs_enc *e)
{
    ia_encoding_free(&e->t);
    for (size_t i = 0; i < e->n_over; i++)
        rs_free(&e->over[i]);
    free(e->over);
    memset(e, 0, sizeof *e);
}

static ia_status nomem(ia_error *err)
{
    return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory in post-processing");
}

/* Takes src's arrays (src is left empty), overflowing ones included. */
static ia_status rs_from(ia_encoding *src, rs_enc *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    ia_encoding *over = src->overflowing;
    size_t n_over = src->n_overflowing;
    out->t = *src;
    out->t.overflowing = NULL;
    out->t.n_overflowing = 0;
    memset(src, 0, sizeof *src);
    ia_status st = IA_OK;
    if (n_over) {
        out->over = calloc(n_over, sizeof *out->over);
        if (!out->over)
            st = nomem(err);
    }
    for (size_t i = 0; i < n_over; i++) {
        if (st == IA_OK) {
            st = rs_from(&over[i], &out->over[i], err);
            if (st == IA_OK)
                out->n_over = i + 1;
        }
        ia_encoding_free(&over[i]);
    }
    free(over);
    if (st != IA_OK)
        rs_free(out);
    return st;
}

static ia_status rs_clone(const rs_enc *src, rs_enc *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    ia_status st = tk_encoding_init(&out->t, src->t.n, err);
    if (st == IA_OK)
        st = tk_encoding_append(&out->t, &src->t, err);
    memcpy(out->has, src->has, sizeof out->has);
    memcpy(out->rb, src->rb, sizeof out->rb);
    memcpy(out->re, src->re, sizeof out->re);
    if (st == IA_OK && src->n_over) {
        out->over = calloc(src->n_over, sizeof *out->over);
        if (!out->over)
            st = nomem(err);
        for (size_t i = 0; st == IA_OK && i < src->n_over; i++) {
            st = rs_clone(&src->over[i], &out->over[i], err);
            if (st == IA_OK)
                out->n_over = i + 1;
        }
    }
    if (st != IA_OK)
        rs_free(out);
    return st;
}

typedef struct rs_list {
    rs_enc *v;
    size_t n, cap;
} rs_list;

static void rs_list_free(rs_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        rs_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Appends *e (taken; left empty). */
static ia_status rs_list_take(rs_list *l, rs_enc *e, ia_error *err)
{
    ia_status st = tk_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v, err);
    if (st != IA_OK) {
        rs_free(e);
        return st;
    }
    l->v[l->n++] = *e;
    memset(e, 0, sizeof *e);
    return IA_OK;
}

static ia_status rs_merge(rs_enc *self, const rs_enc *pair, ia_error *err);

static ia_status push_merged(rs_list *l, const rs_enc *base, const rs_enc *other, ia_error *err)
{
    rs_enc n;
    ia_status st = rs_clone(base, &n, err);
    if (st != IA_OK)
        return st;
    st = rs_merge(&n, other, err);
    if (st != IA_OK) {
        rs_free(&n);
        return st;
    }
    return rs_list_take(l, &n, err);
}

/* Encoding::merge_with(pair, false). */
static ia_status rs_merge(rs_enc *self, const rs_enc *pair, ia_error *err)
{
    rs_list over = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; st == IA_OK && i < self->n_over; i++) {
        st = push_merged(&over, &self->over[i], pair, err);
        for (size_t j = 0; st == IA_OK && j < pair->n_over; j++)
            st = push_merged(&over, &self->over[i], &pair->over[j], err);
    }
    for (size_t j = 0; st == IA_OK && j < pair->n_over; j++)
        st = push_merged(&over, self, &pair->over[j], err);
    size_t base = self->t.n;
    if (st == IA_OK)
        st = tk_encoding_append(&self->t, &pair->t, err);
    if (st != IA_OK) {
        rs_list_free(&over);
        return st;
    }
    for (int k = 0; k < RS_KEYS; k++) {
        if (pair->has[k]) {
            self->has[k] = true;
            self->rb[k] = base + pair->rb[k];
            self->re[k] = base + pair->re[k];
        }
    }
    for (size_t i = 0; i < self->n_over; i++)
        rs_free(&self->over[i]);
    free(self->over);
    self->over = over.v;
    self->n_over = over.n;
    return IA_OK;
}

static void rs_set_sequence_id(rs_enc *e, int i)
{
    e->has[i] = true;
    e->rb[i] = 0;
    e->re[i] = e->t.n;
}

static void rs_set_type_ids(rs_enc *e, uint32_t type_id)
{
    for (size_t i = 0; i < e->t.n; i++)
        e->t.type_ids[i] = type_id;
}

/* Into the public form: get_sequence_ids() per token, recursively. */
static ia_status rs_to(rs_enc *src, ia_encoding *out, ia_error *err)
{
    ia_encoding *t = &src->t;
    int n_seq = 0;
    for (int k = 0; k < RS_KEYS; k++)
        n_seq += src->has[k];
    if (t->n == 0) {
        /* nothing to mark */
    } else if (n_seq == 0) {
        memset(t->sequence_ids, 0, t->n);
    } else {
        memset(t->sequence_ids, 0xFF, t->n); /* -1 */
        for (int s = 0; s < n_seq; s++) {
            size_t b = src->has[s] ? src->rb[s] : 0, e = src->has[s] ? src->re[s] : t->n;
            for (size_t i = b; i < e && i < t->n; i++)
                t->sequence_ids[i] = (int8_t)s;
        }
    }
    *out = *t;
    memset(t, 0, sizeof *t);
    ia_status st = IA_OK;
    if (src->n_over) {
        out->overflowing = calloc(src->n_over, sizeof *out->overflowing);
        if (!out->overflowing)
            st = nomem(err);
        for (size_t i = 0; st == IA_OK && i < src->n_over; i++) {
            st = rs_to(&src->over[i], &out->overflowing[i], err);
            if (st == IA_OK)
                out->n_overflowing = i + 1;
        }
    }
    rs_free(src);
    if (st != IA_OK)
        ia_encoding_free(out);
    return st;
}

/* --- the processors ---------------------------------------------------------- */

typedef struct special {
    char *name;
    size_t n;
    int32_t *ids;
    char **tokens;
} special;

typedef struct piece {
    bool is_sequence;
    int seq;         /* 0 (A) or 1 (B) */
    size_t special;  /* index in specials */
    uint32_t type_id;
} piece;

typedef enum pp_kind { PP_TEMPLATE, PP_BERT, PP_ROBERTA, PP_BYTE_LEVEL, PP_SEQUENCE } pp_kind;

struct tk_postprocessor {
    pp_kind kind;
    /* Bert, Roberta */
    char *sep, *cls;
    int32_t sep_id, cls_id;
    /* Roberta, ByteLevel */
    bool trim_offsets, add_prefix_space;
    /* Template */
    piece *single, *pair;
    size_t n_single, n_pair;
    special *specials;
    size_t n_specials;
    /* Sequence */
    tk_postprocessor **procs;
    size_t n_procs;
};

void tk_postprocessor_free(tk_postprocessor *p)
{
    if (!p)
        return;
    free(p->sep);
    free(p->cls);
    free(p->single);
    free(p->pair);
    for (size_t i = 0; i < p->n_specials; i++) {
        free(p->specials[i].name);
        free(p->specials[i].ids);
        for (size_t j = 0; j < p->specials[i].n; j++)
            free(p->specials[i].tokens[j]);
        free(p->specials[i].tokens);
    }
    free(p->specials);
    for (size_t i = 0; i < p->n_procs; i++)
        tk_postprocessor_free(p->procs[i]);
    free(p->procs);
    free(p);
}

size_t tk_postprocessor_added_tokens(const tk_postprocessor *p, bool is_pair)
{
    if (!p)
        return 0;
    switch (p->kind) {
    case PP_BERT:
        return is_pair ? 3 : 2;
    case PP_ROBERTA:
        return is_pair ? 4 : 2;
    case PP_BYTE_LEVEL:
        return 0;
    case PP_TEMPLATE: {
        const piece *v = is_pair ? p->pair : p->single;
        size_t n = is_pair ? p->n_pair : p->n_single, total = 0;
        for (size_t i = 0; i < n; i++)
            if (!v[i].is_sequence)
                total += p->specials[v[i].special].n;
        return total;
    }
    case PP_SEQUENCE: {
        size_t total = 0;
        for (size_t i = 0; i < p->n_procs; i++)
            total += tk_postprocessor_added_tokens(p->procs[i], is_pair);
        return total;
    }
    }
    return 0;
}

/* byte_level.rs process_offsets, on byte offsets: leading and trailing
 * whitespace of each token (the byte-level space U+0120 or real
 * White_Space) is cut from its offsets. The Rust library counts characters
 * on character offsets; a U+0120 stands for one space byte and a real
 * whitespace character for its own UTF-8 bytes, so moving by those bytes
 * gives the same character offsets after conversion. */
static bool is_trim_space(uint32_t cp)
{
    return cp == 0x120 || ia_unicode_is_whitespace(cp);
}

static size_t char_bytes(uint32_t cp)
{
    return cp == 0x120 ? 1 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static void process_offsets(ia_encoding *e, bool add_prefix_space)
{
    for (size_t i = 0; i < e->n; i++) {
        const char *s = e->tokens[i];
        size_t len = s ? e->token_lens[i] : 0;
        size_t lead = 0, lead_bytes = 0, pos = 0;
        uint32_t cp;
        while (pos < len) {
            int k = ia_utf8_decode(s + pos, len - pos, &cp);
            if (k <= 0 || !is_trim_space(cp))
                break;
            lead++;
            lead_bytes += char_bytes(cp);
            pos += (size_t)k;
        }
        /* Trailing: walk back over whole characters. */
        size_t trail = 0, trail_bytes = 0, end = len;
        while (end > 0) {
            size_t b = end - 1;
            while (b > 0 && ((uint8_t)s[b] & 0xC0) == 0x80)
                b--;
            int k = ia_utf8_decode(s + b, end - b, &cp);
            if (k <= 0 || (size_t)k != end - b || !is_trim_space(cp))
                break;
            trail++;
            trail_bytes += char_bytes(cp);
            end = b;
        }
        if (lead == 0 && trail == 0)
            continue;
        ia_span *o = &e->offsets[i];
        if (lead > 0) {
            bool is_first = i == 0 || o->begin == 0;
            if (is_first && add_prefix_space && lead == 1)
                lead_bytes = 0;
            uint64_t b = (uint64_t)o->begin + lead_bytes;
            o->begin = b < o->end ? (uint32_t)b : o->end;
        }
        if (trail > 0 && o->end >= trail_bytes) {
            uint32_t e2 = o->end - (uint32_t)trail_bytes;
            o->end = e2 > o->begin ? e2 : o->begin;
        }
    }
}

/* A token to put around a sequence. */
typedef struct extra {
    int32_t id;
    const char *token;
    uint32_t type_id;
} extra;

/* out = pre + e's tokens (type ids replaced by mid_type when >= 0) + post. */
static ia_status wrap(rs_enc *out, const extra *pre, size_t n_pre, const ia_encoding *e,
                      int64_t mid_type, const extra *post, size_t n_post, ia_error *err)
{
    memset(out, 0, sizeof *out);
    ia_status st = tk_encoding_init(&out->t, n_pre + e->n + n_post, err);
    for (size_t i = 0; st == IA_OK && i < n_pre; i++)
        st = tk_encoding_push(&out->t, pre[i].id, pre[i].token, (ia_span){0, 0},
                              pre[i].type_id, -1, -1, true, err);
    size_t at = out->t.n;
    if (st == IA_OK)
        st = tk_encoding_append(&out->t, e, err);
    if (st == IA_OK) {
        for (size_t i = at; i < out->t.n; i++) {
            out->t.special_tokens_mask[i] = 0;
            out->t.attention_mask[i] = 1;
            if (mid_type >= 0)
                out->t.type_ids[i] = (uint32_t)mid_type;
        }
    }
    for (size_t i = 0; st == IA_OK && i < n_post; i++)
        st = tk_encoding_push(&out->t, post[i].id, post[i].token, (ia_span){0, 0},
                              post[i].type_id, -1, -1, true, err);
    if (st != IA_OK)
        rs_free(out);
    return st;
}

/* Bert and Roberta: replaces *e by its wrapped form (and each overflowing
 * one), with the range of its own tokens under key seq. */
static ia_status wrap_with_overflowing(rs_enc *e, const extra *pre, size_t n_pre,
                                       int64_t mid_type, const extra *post, size_t n_post,
                                       int seq, ia_error *err)
{
    rs_enc out;
    ia_status st = wrap(&out, pre, n_pre, &e->t, mid_type, post, n_post, err);
    if (st != IA_OK)
        return st;
    out.has[seq] = true;
    out.rb[seq] = n_pre;
    out.re[seq] = out.t.n - n_post;
    if (e->n_over) {
        out.over = calloc(e->n_over, sizeof *out.over);
        if (!out.over)
            st = nomem(err);
        for (size_t i = 0; st == IA_OK && i < e->n_over; i++) {
            /* Overflowing parts are built from scratch: their own
             * overflowing ones are not kept. */
            st = wrap(&out.over[i], pre, n_pre, &e->over[i].t, mid_type, post, n_post, err);
            if (st == IA_OK) {
                out.n_over = i + 1;
                rs_enc *o = &out.over[i];
                o->has[seq] = true;
                o->rb[seq] = n_pre;
                o->re[seq] = o->t.n - n_post;
            }
        }
    }
    if (st != IA_OK) {
        rs_free(&out);
        return st;
    }
    rs_free(e);
    *e = out;
    return IA_OK;
}

static ia_status process_list(const tk_postprocessor *p, rs_list *l, bool add_special,
                              ia_error *err);

static ia_status process_bert(const tk_postprocessor *p, rs_list *l, bool add_special,
                              ia_error *err)
{
    if (!add_special)
        return IA_OK;
    extra cls = {p->cls_id, p->cls, 0}, sep0 = {p->sep_id, p->sep, 0},
          sep1 = {p->sep_id, p->sep, 1};
    ia_status st = IA_OK;
    for (size_t i = 0; i < l->n && st == IA_OK; i++) {
        if (i == 0)
            st = wrap_with_overflowing(&l->v[i], &cls, 1, -1, &sep0, 1, 0, err);
        else
            st = wrap_with_overflowing(&l->v[i], NULL, 0, -1, &sep1, 1, 1, err);
    }
    return st;
}

static ia_status process_roberta(const tk_postprocessor *p, rs_list *l, bool add_special,
                                 ia_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        if (p->trim_offsets) {
            process_offsets(&l->v[i].t, p->add_prefix_space);
            for (size_t j = 0; j < l->v[i].n_over; j++)
                process_offsets(&l->v[i].over[j].t, p->add_prefix_space);
        }
        rs_set_type_ids(&l->v[i], 0);
    }
    if (!add_special)
        return IA_OK;
    extra cls = {p->cls_id, p->cls, 0}, sep = {p->sep_id, p->sep, 0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < l->n && st == IA_OK; i++) {
        if (i == 0)
            st = wrap_with_overflowing(&l->v[i], &cls, 1, 0, &sep, 1, 0, err);
        else
            st = wrap_with_overflowing(&l->v[i], &sep, 1, 0, &sep, 1, 1, err);
    }
    return st;
}

static ia_status process_byte_level(const tk_postprocessor *p, rs_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (p->trim_offsets) {
            process_offsets(&l->v[i].t, p->add_prefix_space);
            for (size_t j = 0; j < l->v[i].n_over; j++)
                process_offsets(&l->v[i].over[j].t, p->add_prefix_space);
        }
        rs_set_sequence_id(&l->v[i], (int)(i < RS_KEYS ? i : RS_KEYS - 1));
    }
    return IA_OK;
}

static ia_status process_template(const tk_postprocessor *p, rs_list *l, bool add_special,
                                  ia_error *err)
{
    const piece *tpl = l->n == 2 ? p->pair : p->single;
    size_t n_tpl = l->n == 2 ? p->n_pair : p->n_single;
    rs_list out = {0};
    ia_status st = IA_OK;
    for (size_t k = 0; k < n_tpl && st == IA_OK; k++) {
        const piece *pc = &tpl[k];
        if (pc->is_sequence) {
            if ((size_t)pc->seq >= l->n) {
                st = ia_error_set(err, IA_ERR_INVALID,
                                  "tokenizer: the post-processor's template uses sequence B, "
                                  "but only one text was given");
                break;
            }
            rs_enc *e = &l->v[pc->seq];
            rs_set_type_ids(e, pc->type_id);
            rs_set_sequence_id(e, pc->seq);
            rs_enc c;
            st = rs_clone(e, &c, err);
            if (st == IA_OK)
                st = rs_list_take(&out, &c, err);
        } else if (add_special) {
            const special *sp = &p->specials[pc->special];
            rs_enc c;
            memset(&c, 0, sizeof c);
            st = tk_encoding_init(&c.t, sp->n, err);
            for (size_t j = 0; j < sp->n && st == IA_OK; j++)
                st = tk_encoding_push(&c.t, sp->ids[j], sp->tokens[j], (ia_span){0, 0},
                                      pc->type_id, -1, -1, true, err);
            if (st == IA_OK)
                st = rs_list_take(&out, &c, err);
            else
                rs_free(&c);
        }
    }
    if (st != IA_OK) {
        rs_list_free(&out);
        return st;
    }
    rs_list_free(l);
    *l = out;
    return IA_OK;
}

/* process_encodings of each processor. */
static ia_status process_list(const tk_postprocessor *p, rs_list *l, bool add_special,
                              ia_error *err)
{
    switch (p->kind) {
    case PP_BERT:
        return process_bert(p, l, add_special, err);
    case PP_ROBERTA:
        return process_roberta(p, l, add_special, err);
    case PP_BYTE_LEVEL:
        return process_byte_level(p, l);
    case PP_TEMPLATE:
        return process_template(p, l, add_special, err);
    case PP_SEQUENCE:
        for (size_t i = 0; i < p->n_procs; i++) {
            ia_status st = process_list(p->procs[i], l, add_special, err);
            if (st != IA_OK)
                return st;
        }
        return IA_OK;
    }
    return IA_OK;
}

ia_status tk_postprocessor_process(const tk_postprocessor *p, ia_encoding *a, ia_encoding *b,
                                   bool add_special_tokens, ia_encoding *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    rs_list l = {0};
    ia_status st = tk_grow((void **)&l.v, &l.cap, 2, sizeof *l.v, err);
    if (st == IA_OK) {
        st = rs_from(a, &l.v[0], err);
        if (st == IA_OK)
            l.n = 1;
    }
    if (st == IA_OK && b) {
        st = rs_from(b, &l.v[1], err);
        if (st == IA_OK)
            l.n = 2;
    }
    ia_encoding_free(a);
    if (b)
        ia_encoding_free(b);
    if (st != IA_OK) {
        rs_list_free(&l);
        return st;
    }

    rs_enc final;
    memset(&final, 0, sizeof final);
    if (!p) {
        /* The tokenizer's own default: one encoding stays as it is (no
         * sequence ranges); a pair is merged with ranges 0 and 1, but
         * without touching the overflowing parts. */
        if (l.n == 1) {
            final = l.v[0];
            memset(&l.v[0], 0, sizeof l.v[0]);
        } else {
            for (size_t i = 0; i < l.n && st == IA_OK; i++) {
                rs_set_sequence_id(&l.v[i], (int)i);
                st = rs_merge(&final, &l.v[i], err);
            }
        }
    } else {
        /* PostProcessor::process: sequence ids (overflowing parts too) and
         * type ids, the processor's process_encodings, then merge. */
        for (size_t i = 0; i < l.n; i++) {
            rs_set_sequence_id(&l.v[i], (int)i);
            for (size_t j = 0; j < l.v[i].n_over; j++)
                rs_set_sequence_id(&l.v[i].over[j], (int)i);
            rs_set_type_ids(&l.v[i], (uint32_t)i);
        }
        st = process_list(p, &l, add_special_tokens, err);
        for (size_t i = 0; i < l.n && st == IA_OK; i++)
            st = rs_merge(&final, &l.v[i], err);
    }
    rs_list_free(&l);
    if (st != IA_OK) {
        rs_free(&final);
        return st;
    }
    return rs_to(&final, out, err);
}

/* --- parsing ------------------------------------------------------------------ */

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

/* ["token", id] under key. */
static ia_status parse_token_pair(const tk_load *ld, const cJSON *v, const char *path,
                                  const char *key, char **tok, int32_t *id)
{
    const cJSON *a;
    ia_status st = tk_json_array(ld, v, path, key, true, &a);
    if (st != IA_OK)
        return st;
    char p[TK_PATH_MAX];
    tk_path_key(p, path, key);
    const cJSON *t = cJSON_GetArrayItem(a, 0), *n = cJSON_GetArrayItem(a, 1);
    if (cJSON_GetArraySize(a) != 2 || !cJSON_IsString(t) || !cJSON_IsNumber(n))
        return tk_json_fail(ld, IA_ERR_PARSE, p, "expected [\"token\", id]");
    double d = n->valuedouble;
    if (d < 0 || d > INT32_MAX || d != (double)(int32_t)d)
        return tk_json_fail(ld, IA_ERR_INVALID, p, "id %g is not a valid token id", d);
    *tok = dup_str(t->valuestring);
    if (!*tok)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
    *id = (int32_t)d;
    return IA_OK;
}

static ia_status parse_specials(const tk_load *ld, const cJSON *v, const char *path,
                                tk_postprocessor *p)
{
    const cJSON *map;
    ia_status st = tk_json_object(ld, v, path, "special_tokens", true, &map);
    if (st != IA_OK)
        return st;
    char mpath[TK_PATH_MAX];
    tk_path_key(mpath, path, "special_tokens");
    size_t n = (size_t)cJSON_GetArraySize(map);
    p->specials = calloc(n ? n : 1, sizeof *p->specials);
    if (!p->specials)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
    const cJSON *e;
    cJSON_ArrayForEach(e, map)
    {
        char ep[TK_PATH_MAX];
        tk_path_key(ep, mpath, e->string);
        special *sp = &p->specials[p->n_specials++];
        sp->name = dup_str(e->string);
        if (!sp->name)
            return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
        const cJSON *ids, *toks;
        st = tk_json_array(ld, e, ep, "ids", true, &ids);
        if (st == IA_OK)
            st = tk_json_array(ld, e, ep, "tokens", true, &toks);
        if (st != IA_OK)
            return st;
        size_t k = (size_t)cJSON_GetArraySize(ids);
        if ((size_t)cJSON_GetArraySize(toks) != k)
            return tk_json_fail(ld, IA_ERR_PARSE, ep,
                                "'ids' has %zu entries but 'tokens' has %d; they must match", k,
                                cJSON_GetArraySize(toks));
        sp->ids = calloc(k ? k : 1, sizeof *sp->ids);
        sp->tokens = calloc(k ? k : 1, sizeof *sp->tokens);
        if (!sp->ids || !sp->tokens)
            return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
        for (size_t j = 0; j < k; j++) {
            char ip[TK_PATH_MAX], ep2[TK_PATH_MAX];
            tk_path_key(ep2, ep, "ids");
            tk_path_index(ip, ep2, j);
            const cJSON *x = cJSON_GetArrayItem(ids, (int)j);
            if (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > INT32_MAX ||
                x->valuedouble != (double)(int32_t)x->valuedouble)
                return tk_json_fail(ld, IA_ERR_PARSE, ip, "expected a token id, found %s",
                                    tk_json_kind(x));
            sp->ids[j] = (int32_t)x->valuedouble;
            tk_path_key(ep2, ep, "tokens");
            tk_path_index(ip, ep2, j);
            const cJSON *t = cJSON_GetArrayItem(toks, (int)j);
            if (!cJSON_IsString(t))
                return tk_json_fail(ld, IA_ERR_PARSE, ip, "expected a string, found %s",
                                    tk_json_kind(t));
            sp->tokens[j] = dup_str(t->valuestring);
            if (!sp->tokens[j])
                return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
            sp->n = j + 1;
        }
        sp->n = k;
    }
    return IA_OK;
}

static ia_status parse_template(const tk_load *ld, const cJSON *v, const char *path,
                                const char *key, const tk_postprocessor *p, piece **out,
                                size_t *n_out)
{
    const cJSON *arr;
    ia_status st = tk_json_array(ld, v, path, key, true, &arr);
    if (st != IA_OK)
        return st;
    char tp[TK_PATH_MAX];
    tk_path_key(tp, path, key);
    size_t n = (size_t)cJSON_GetArraySize(arr);
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
    for (size_t i = 0; i < n; i++) {
        char ip[TK_PATH_MAX];
        tk_path_index(ip, tp, i);
        const cJSON *e = cJSON_GetArrayItem(arr, (int)i);
        const cJSON *seq = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "Sequence")
                                             : NULL;
        const cJSON *spt =
            cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "SpecialToken") : NULL;
        if (!seq == !spt)
            return tk_json_fail(ld, IA_ERR_PARSE, ip,
                                "expected {\"Sequence\": {...}} or {\"SpecialToken\": {...}}, "
                                "found %s",
                                tk_json_kind(e));
        piece *pc = &(*out)[i];
        char pp[TK_PATH_MAX];
        tk_path_key(pp, ip, seq ? "Sequence" : "SpecialToken");
        const cJSON *body = seq ? seq : spt;
        int64_t type_id;
        const char *id;
        st = tk_json_string(ld, body, pp, "id", true, NULL, &id);
        if (st == IA_OK)
            st = tk_json_int(ld, body, pp, "type_id", true, 0, 0, UINT32_MAX, &type_id);
        if (st != IA_OK)
            return st;
        pc->type_id = (uint32_t)type_id;
        if (seq) {
            pc->is_sequence = true;
            if (strcmp(id, "A") == 0) {
                pc->seq = 0;
            } else if (strcmp(id, "B") == 0) {
                pc->seq = 1;
            } else {
                char idp[TK_PATH_MAX];
                tk_path_key(idp, pp, "id");
                return tk_json_fail(ld, IA_ERR_PARSE, idp,
                                    "sequence id must be \"A\" or \"B\", found \"%s\"", id);
            }
        } else {
            size_t k = 0;
            while (k < p->n_specials && strcmp(p->specials[k].name, id) != 0)
                k++;
            if (k == p->n_specials) {
                char idp[TK_PATH_MAX];
                tk_path_key(idp, pp, "id");
                return tk_json_fail(ld, IA_ERR_PARSE, idp,
                                    "special token '%s' is not in special_tokens", id);
            }
            pc->special = k;
        }
        *n_out = i + 1;
    }
    *n_out = n;
    return IA_OK;
}

ia_status tk_postprocessor_parse(const tk_load *ld, const cJSON *v, const char *path,
                                 tk_postprocessor **out)
{
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    const char *type;
    ia_status st = tk_json_component_type(ld, v, path, &type);
    if (st != IA_OK)
        return st;
    tk_postprocessor *p = calloc(1, sizeof *p);
    if (!p)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "tokenizer: out of memory");
    if (strcmp(type, "BertProcessing") == 0 || strcmp(type, "RobertaProcessing") == 0) {
        bool roberta = type[0] == 'R';
        p->kind = roberta ? PP_ROBERTA : PP_BERT;
        st = parse_token_pair(ld, v, path, "sep", &p->sep, &p->sep_id);
        if (st == IA_OK)
            st = parse_token_pair(ld, v, path, "cls", &p->cls, &p->cls_id);
        if (st == IA_OK && roberta)
            st = tk_json_bool(ld, v, path, "trim_offsets", false, true, &p->trim_offsets);
        if (st == IA_OK && roberta)
            st = tk_json_bool(ld, v, path, "add_prefix_space", false, true,
                              &p->add_prefix_space);
    } else if (strcmp(type, "ByteLevel") == 0) {
        p->kind = PP_BYTE_LEVEL;
        st = tk_json_bool(ld, v, path, "trim_offsets", false, true, &p->trim_offsets);
        if (st == IA_OK)
            st = tk_json_bool(ld, v, path, "add_prefix_space", false, true,
                              &p->add_prefix_space);
    } else if (strcmp(type, "TemplateProcessing") == 0) {
        p->kind = PP_TEMPLATE;
        st = parse_specials(ld, v, path, p);
        if (st == IA_OK)
            st = parse_template(ld, v, path, "single", p, &p->single, &p->n_single);
        if (st == IA_OK)
            st = parse_template(ld, v, path, "pair", p, &p->pair, &p->n_pair);
    } else if (strcmp(type, "Sequence") == 0) {
        p->kind = PP_SEQUENCE;
        const cJSON *arr;
        st = tk_json_array(ld, v, path, "processors", true, &arr);
        char ap[TK_PATH_MAX];
        tk_path_key(ap, path, "processors");
        size_t n = st == IA_OK ? (size_t)cJSON_GetArraySize(arr) : 0;
        if (st == IA_OK) {
            p->procs = calloc(n ? n : 1, sizeof *p->procs);
            if (!p->procs)
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
            st = tk_postprocessor_parse(ld, e, ip, &p->procs[i]);
            if (st == IA_OK)
                p->n_procs = i + 1;
        }
    } else {
        st = tk_json_unknown_type(ld, path, "post_processor", type,
                                  "TemplateProcessing, BertProcessing, RobertaProcessing, "
                                  "ByteLevel, Sequence");
    }
    if (st != IA_OK) {
        tk_postprocessor_free(p);
        return st;
    }
    *out = p;
    return IA_OK;
}

