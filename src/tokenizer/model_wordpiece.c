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
    int32_t unk_id;      /* -1 when the unk token is not in the vocabulary */
    tk_trie trie;        /* the vocabulary; a node's value is its entry's id */
    int32_t prefix_node; /* the node of the prefix, where later pieces start; -1: none */
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

    /* From each position, the longest entry (after the first piece: the
     * longest with the prefix) ending on a character boundary, found by one
     * walk down the trie: the entry the Rust library's search from the
     * word's end, one character at a time, finds first. */
    size_t first = out->n;
    for (size_t start = 0; start < len;) {
        int32_t node = start > 0 ? m->prefix_node : 0, id = -1;
        size_t end = start;
        for (size_t k = start; k < len && node >= 0; k++) {
            node = tk_trie_child(&m->trie, node, (unsigned char)s[k]);
            if (node >= 0 && m->trie.value[node] >= 0 &&
                (k + 1 == len || ((unsigned char)s[k + 1] & 0xC0) != 0x80)) {
                id = m->trie.value[node];
                end = k + 1;
            }
        }
        if (id < 0) {
            out->n = first;
            return push_unk(m, len, out, err);
        }
        ia_status st = tk_tokens_push(out, id, start, end, err);
        if (st != IA_OK)
            return st;
        start = end;
    }
    return IA_OK;
}

static void wordpiece_free(tk_model *model)
{
    wordpiece_model *m = (wordpiece_model *)(void *)model;
    tk_vocab_free(m->base.vocab);
    tk_trie_free(&m->trie);
    free(m->unk_token);
    free(m->prefix);
    free(m);
}

typedef struct trie_build {
    tk_trie *trie;
    ia_status st;
    ia_error *err;
} trie_build;

static void trie_add(void *ctx, const char *token, size_t len, int32_t id)
{
    trie_build *b = ctx;
    if (b->st == IA_OK)
        b->st = tk_trie_insert(b->trie, token, len, id, b->err);
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
    trie_build b = {&m->trie, IA_OK, ld->err};
    st = tk_trie_init(&m->trie, tk_vocab_bytes(m->base.vocab), ld->err);
    if (st == IA_OK) {
        tk_vocab_each(m->base.vocab, trie_add, &b);
        st = b.st;
    }
    if (st != IA_OK) {
        wordpiece_free(&m->base);
        return st;
    }
    m->prefix_node = 0;
    for (size_t i = 0; i < m->prefix_len && m->prefix_node >= 0; i++)
        m->prefix_node = tk_trie_child(&m->trie, m->prefix_node, (unsigned char)m->prefix[i]);
    *out = &m->base;
    return IA_OK;
}
