/* The Unigram model (models/unigram/model.rs, encode_optimized): the best
 * segmentation by total piece score, found by one left-to-right pass over
 * character boundaries. From each boundary a trie walk finds every piece
 * that starts there; a character no single piece covers may be the unk
 * piece, scored min_score - 10. Runs of unk pieces become one token, and
 * with byte_fallback a string the vocabulary lacks becomes its "<0xXX>"
 * bytes.
 *
 * Ties keep the first candidate found, as Rust does: earlier start
 * positions first, then shorter pieces, then the unk piece. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

#define K_UNK_PENALTY 10.0

typedef struct unigram_model {
    tk_model base;
    size_t n;       /* pieces; ids are 0..n-1 */
    double *scores; /* by id */
    double min_score;
    int32_t unk_id; /* -1: none */
    bool byte_fallback;
    int32_t byte_ids[256];
    tk_trie trie; /* the pieces; a node's value is the piece id ending there */
} unigram_model;

typedef struct best {
    double score;
    int32_t start; /* -1: no path ends here yet */
    int32_t id;
} best;

static ia_status missing_unk(ia_error *err)
{
    return ia_error_set(err, IA_ERR_INVALID,
                        "Unigram: a character no piece covers needs the unk piece, but the "
                        "model has no unk_id");
}

/* Appends the token(s) for the piece string s[b, e) (a fused run of unk
 * pieces or one piece), as Unigram::tokenize does. */
static ia_status emit(const unigram_model *m, const char *s, size_t b, size_t e, int32_t id,
                      tk_tokens *out, ia_error *err)
{
    if (id < 0)
        id = tk_vocab_find(m->base.vocab, s + b, e - b);
    if (id >= 0)
        return tk_tokens_push(out, id, b, e, err);
    if (m->byte_fallback) {
        bool all = true;
        for (size_t k = b; k < e; k++)
            if (m->byte_ids[(unsigned char)s[k]] < 0) {
                all = false;
                break;
            }
        if (all) {
            /* Every byte token spans the whole string, as in Rust. */
            for (size_t k = b; k < e; k++) {
                ia_status st = tk_tokens_push(out, m->byte_ids[(unsigned char)s[k]], b, e, err);
                if (st != IA_OK)
                    return st;
            }
            return IA_OK;
        }
    }
    if (m->unk_id < 0)
        return missing_unk(err);
    return tk_tokens_push(out, m->unk_id, b, e, err);
}

static ia_status unigram_tokenize(const tk_model *model, const char *s, size_t len,
                                  tk_tokens *out, ia_error *err)
{
    const unigram_model *m = (const unigram_model *)(const void *)model;
    if (len == 0)
        return IA_OK;
    if (len >= (size_t)INT32_MAX)
        return ia_error_set(err, IA_ERR_UNSUPPORTED, "Unigram: a word of %zu bytes is too long",
                            len);
    best stack[128];
    best *bp = stack;
    if (len + 1 > sizeof stack / sizeof *stack) {
        bp = malloc((len + 1) * sizeof *bp);
        if (!bp)
            return ia_error_set(err, IA_ERR_NOMEM, "Unigram: out of memory for %zu bytes", len);
    }
    for (size_t i = 0; i <= len; i++) {
        bp[i].score = 0.0;
        bp[i].start = -1;
        bp[i].id = 0;
    }
    double unk_score = m->min_score - K_UNK_PENALTY;
    ia_status st = IA_OK;
    size_t at = 0;
    while (at < len) {
        double here = bp[at].score;
        unsigned char c0 = (unsigned char)s[at];
        size_t mblen = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
        if (mblen > len - at)
            mblen = len - at;
        bool single = false;
        int32_t node = 0;
        for (size_t k = at; k < len; k++) {
            node = tk_trie_child(&m->trie, node, (unsigned char)s[k]);
            if (node < 0)
                break;
            int32_t id = m->trie.value[node];
            if (id < 0)
                continue;
            size_t end = k + 1;
            double cand = m->scores[id] + here;
            best *t = &bp[end];
            if (t->start < 0 || cand > t->score) {
                t->score = cand;
                t->start = (int32_t)at;
                t->id = id;
            }
            if (end - at == mblen)
                single = true;
        }
        if (!single) {
            best *t = &bp[at + mblen];
            double cand = unk_score + here;
            if (t->start < 0 || cand > t->score) {
                if (m->unk_id < 0) {
                    st = missing_unk(err);
                    break;
                }
                t->score = cand;
                t->start = (int32_t)at;
                t->id = m->unk_id;
            }
        }
        at += mblen;
    }
    if (st == IA_OK) {
        /* Walk the best path back from the end through the start links,
         * pushing its pieces (id -1 for a run of unk pieces, resolved
         * below), then put them in order. */
        size_t first = out->n;
        size_t e = len;
        while (e > 0 && st == IA_OK) {
            size_t b = (size_t)bp[e].start;
            int32_t id = bp[e].id;
            if (id == m->unk_id) {
                /* A run of unk pieces fuses into one string. */
                while (b > 0 && bp[b].id == m->unk_id && bp[b].start >= 0)
                    b = (size_t)bp[b].start;
                st = tk_tokens_push(out, -1, b, e, err);
            } else {
                st = tk_tokens_push(out, id, b, e, err);
            }
            e = b;
        }
        if (st == IA_OK) {
            /* Reverse into order, then resolve the fused strings. */
            size_t n = out->n - first;
            for (size_t i = 0; i < n / 2; i++) {
                tk_token tmp = out->v[first + i];
                out->v[first + i] = out->v[first + n - 1 - i];
                out->v[first + n - 1 - i] = tmp;
            }
            bool simple = true;
            for (size_t i = first; i < out->n; i++)
                if (out->v[i].id < 0) {
                    simple = false;
                    break;
                }
            if (!simple) {
                /* Copy the path aside and re-emit it (emit may add several
                 * byte tokens for one string). */
                tk_token *path = malloc(n * sizeof *path);
                if (!path) {
                    st = ia_error_set(err, IA_ERR_NOMEM, "Unigram: out of memory");
                } else {
                    memcpy(path, out->v + first, n * sizeof *path);
                    out->n = first;
                    for (size_t i = 0; i < n && st == IA_OK; i++)
                        st = emit(m, s, path[i].begin, path[i].end, path[i].id, out, err);
                    free(path);
                }
            }
        }
        if (st != IA_OK)
            out->n = first;
    }
    if (bp != stack)
        free(bp);
    return st;
}

static void unigram_free(tk_model *model)
{
    unigram_model *m = (unigram_model *)(void *)model;
    tk_vocab_free(m->base.vocab);
    free(m->scores);
    tk_trie_free(&m->trie);
    free(m);
}

static const tk_model_ops unigram_ops = {"Unigram", unigram_tokenize, unigram_free};

ia_status tk_unigram_parse(const tk_load *ld, const cJSON *v, const char *path, tk_model **out)
{
    *out = NULL;
    if (!cJSON_IsObject(v))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected an object, found %s",
                            tk_json_kind(v));
    const cJSON *vocab;
    ia_status st = tk_json_array(ld, v, path, "vocab", true, &vocab);
    if (st != IA_OK)
        return st;
    int64_t unk_id = -1;
    bool byte_fallback = false;
    st = tk_json_int(ld, v, path, "unk_id", false, -1, 0, INT32_MAX, &unk_id);
    if (st == IA_OK)
        st = tk_json_bool(ld, v, path, "byte_fallback", false, false, &byte_fallback);
    if (st != IA_OK)
        return st;
    char vpath[TK_PATH_MAX];
    tk_path_key(vpath, path, "vocab");
    size_t n = (size_t)cJSON_GetArraySize(vocab);
    if (unk_id >= 0 && n == 0)
        return tk_json_fail(ld, IA_ERR_INVALID, vpath,
                            "the vocabulary is empty but at least the unk piece is needed");
    if (unk_id >= 0 && (size_t)unk_id >= n) {
        char p[TK_PATH_MAX];
        tk_path_key(p, path, "unk_id");
        return tk_json_fail(ld, IA_ERR_INVALID, p,
                            "unk_id %lld is not below the vocabulary size %zu",
                            (long long)unk_id, n);
    }

    unigram_model *m = calloc(1, sizeof *m);
    if (!m)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "Unigram: out of memory");
    m->base.ops = &unigram_ops;
    m->base.unk_from_text = unk_id >= 0;
    m->base.unk_id = (int32_t)unk_id;
    m->n = n;
    m->unk_id = (int32_t)unk_id;
    m->byte_fallback = byte_fallback;
    m->min_score = INFINITY;
    /* Pieces, in order; their total bytes bound the trie's edges. */
    const cJSON **items = malloc((n ? n : 1) * sizeof *items);
    m->scores = malloc((n ? n : 1) * sizeof *m->scores);
    if (!items || !m->scores) {
        free(items);
        unigram_free(&m->base);
        return ia_error_set(ld->err, IA_ERR_NOMEM, "Unigram: out of memory");
    }
    size_t total = 0, i = 0;
    for (const cJSON *e = vocab->child; e; e = e->next, i++) {
        char p[TK_PATH_MAX];
        tk_path_index(p, vpath, i);
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 || !cJSON_IsString(e->child) ||
            !cJSON_IsNumber(e->child->next) || !isfinite(e->child->next->valuedouble)) {
            st = tk_json_fail(ld, IA_ERR_PARSE, p,
                              "expected a pair [piece, score] (a string and a number), found %s",
                              tk_json_kind(e));
            break;
        }
        items[i] = e;
        m->scores[i] = e->child->next->valuedouble;
        if (m->scores[i] < m->min_score)
            m->min_score = m->scores[i];
        total += strlen(e->child->valuestring);
    }
    if (st == IA_OK)
        st = tk_vocab_create(n, &m->base.vocab, ld->err);
    if (st == IA_OK)
        st = tk_trie_init(&m->trie, total, ld->err);
    /* Backwards, so a piece listed twice finds its last id (Rust's
     * token_to_ids is filled in order); the earlier id still maps back to
     * the piece, as Rust's id_to_token reads the list. */
    for (size_t k = n; k-- > 0 && st == IA_OK;) {
        const char *piece = items[k]->child->valuestring;
        size_t pl = strlen(piece);
        if (tk_vocab_find(m->base.vocab, piece, pl) >= 0) {
            (void)tk_vocab_add(m->base.vocab, piece, pl, (int32_t)k, NULL);
            continue;
        }
        st = tk_vocab_add(m->base.vocab, piece, pl, (int32_t)k, ld->err);
        if (st == IA_OK)
            st = tk_trie_insert(&m->trie, piece, pl, (int32_t)k, ld->err);
    }
    free(items);
    if (st != IA_OK) {
        unigram_free(&m->base);
        return st;
    }
    for (int b = 0; b < 256; b++) {
        char name[8];
        snprintf(name, sizeof name, "<0x%02X>", b);
        m->byte_ids[b] = tk_vocab_find(m->base.vocab, name, 6);
    }
    *out = &m->base;
    return IA_OK;
}
