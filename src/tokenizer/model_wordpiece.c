/* The WordPiece model (models/wordpiece): greedy longest-match-first. From
 * each position the longest vocabulary entry is taken (with the
 * continuing-subword prefix after the first piece); a word with a part no
 * entry covers, or longer than max_input_chars_per_word characters, becomes
 * one unk token over the whole word. */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef struct wordpiece_model {
    tk_model base;
    char *unk_token;
    char *prefix;
    size_t prefix_len;
    size_t max_chars;
    int32_t unk_id;     /* -1 when the unk token is not in the vocabulary */
    size_t max_tok_len; /* the longest vocabulary entry, in bytes */
} wordpiece_model;

static ia_status push_unk(const wordpiece_model *m, size_t len, tk_tokens *out, ia_error *err)
{
    if (m->unk_id < 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "WordPiece: the unk token '%s' is not in the vocabulary, so an "
                            "unknown word cannot be represented",
                            m->unk_token);
    return tk_tokens_push(out, m->unk_id, 0, len, err);
}

static ia_status wordpiece_tokenize(const tk_model *model, const char *s, size_t len,
                                    tk_tokens *out, ia_error *err)
{
    const wordpiece_model *m = (const wordpiece_model *)(const void *)model;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (chars > m->max_chars)
        return push_unk(m, len, out, err);

    /* Candidates after the first piece are prefix + s[start, end); they are
     * built in buf. */
    char stack[256];
    char *buf = stack;
    if (m->prefix_len + len > sizeof stack) {
        buf = malloc(m->prefix_len + len);
        if (!buf)
            return ia_error_set(err, IA_ERR_NOMEM, "WordPiece: out of memory");
    }
    memcpy(buf, m->prefix, m->prefix_len);
    size_t first = out->n;
    ia_status st = IA_OK;
    bool bad = false;
    size_t start = 0;
    while (start < len) {
        size_t pre = start > 0 ? m->prefix_len : 0;
        /* Nothing longer than the longest entry can match, so the search
         * starts there (on a character boundary): the same answer as
         * starting from the word's end, with fewer lookups. */
        if (m->max_tok_len < pre + 1) {
            bad = true;
            break;
        }
        size_t end = len;
        if (end - start > m->max_tok_len - pre) {
            end = start + (m->max_tok_len - pre);
            while (end > start && ((unsigned char)s[end] & 0xC0) == 0x80)
                end--;
        }
        int32_t id = -1;
        while (start < end) {
            if (pre) {
                memcpy(buf + pre, s + start, end - start);
                id = tk_vocab_find(m->base.vocab, buf, pre + end - start);
            } else {
                id = tk_vocab_find(m->base.vocab, s + start, end - start);
            }
            if (id >= 0)
                break;
            /* Back off by one character. */
            end--;
            while (end > start && ((unsigned char)s[end] & 0xC0) == 0x80)
                end--;
        }
        if (id < 0) {
            bad = true;
            break;
        }
        st = tk_tokens_push(out, id, start, end, err);
        if (st != IA_OK)
            break;
        start = end;
    }
    if (buf != stack)
        free(buf);
    if (st != IA_OK)
        return st;
    if (bad) {
        out->n = first;
        return push_unk(m, len, out, err);
    }
    return IA_OK;
}

static void wordpiece_free(tk_model *model)
{
    wordpiece_model *m = (wordpiece_model *)(void *)model;
    tk_vocab_free(m->base.vocab);
    free(m->unk_token);
    free(m->prefix);
    free(m);
}

static const tk_model_ops wordpiece_ops = {"WordPiece", wordpiece_tokenize, wordpiece_free};

ia_status tk_wordpiece_parse(const tk_load *ld, const cJSON *v, const char *path,
                             tk_model **out)
{
    *out = NULL;
    if (!cJSON_IsObject(v))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected an object, found %s",
                            tk_json_kind(v));
    wordpiece_model *m = calloc(1, sizeof *m);
    if (!m)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "WordPiece: out of memory");
    m->base.ops = &wordpiece_ops;
    const char *unk, *prefix;
    int64_t max_chars = 100;
    /* All four fields are required, as the Rust deserializer has them. */
    ia_status st = tk_json_string(ld, v, path, "unk_token", true, NULL, &unk);
    if (st == IA_OK)
        st = tk_json_string(ld, v, path, "continuing_subword_prefix", true, NULL, &prefix);
    if (st == IA_OK)
        st = tk_json_int(ld, v, path, "max_input_chars_per_word", true, 100, 0, INT64_MAX,
                         &max_chars);
    if (st == IA_OK)
        st = tk_vocab_parse_object(ld, v, path, "vocab", &m->base.vocab);
    if (st == IA_OK && (!(m->unk_token = strdup(unk)) || !(m->prefix = strdup(prefix))))
        st = ia_error_set(ld->err, IA_ERR_NOMEM, "WordPiece: out of memory");
    if (st != IA_OK) {
        wordpiece_free(&m->base);
        return st;
    }
    m->prefix_len = strlen(m->prefix);
    m->max_chars = (size_t)max_chars;
    m->unk_id = tk_vocab_find(m->base.vocab, m->unk_token, strlen(m->unk_token));
    m->base.unk_id = m->unk_id;
    m->max_tok_len = tk_vocab_max_len(m->base.vocab);
    *out = &m->base;
    return IA_OK;
}
