/* The WordLevel model (models/wordlevel): a pre-token is one token when the
 * vocabulary has it, the unk token otherwise. */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef struct wordlevel_model {
    tk_model base;
    char *unk_token;
    int32_t unk_id; /* -1 when the unk token is not in the vocabulary */
} wordlevel_model;

static ia_status wordlevel_tokenize(const tk_model *model, const char *s, size_t len,
                                    tk_tokens *out, ia_error *err)
{
    const wordlevel_model *m = (const wordlevel_model *)(const void *)model;
    int32_t id = tk_vocab_find(m->base.vocab, s, len);
    if (id < 0)
        id = m->unk_id;
    /* Rust fails only when a word is unknown and the unk token is too. */
    if (id < 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "WordLevel: '%.*s' is not in the vocabulary and neither is the unk "
                            "token '%s'",
                            (int)(len > 64 ? 64 : len), s, m->unk_token);
    return tk_tokens_push(out, id, 0, len, err);
}

static void wordlevel_free(tk_model *model)
{
    wordlevel_model *m = (wordlevel_model *)(void *)model;
    tk_vocab_free(m->base.vocab);
    free(m->unk_token);
    free(m);
}

static const tk_model_ops wordlevel_ops = {"WordLevel", wordlevel_tokenize, wordlevel_free};

ia_status tk_wordlevel_parse(const tk_load *ld, const cJSON *v, const char *path,
                             tk_model **out)
{
    *out = NULL;
    if (!cJSON_IsObject(v))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected an object, found %s",
                            tk_json_kind(v));
    wordlevel_model *m = calloc(1, sizeof *m);
    if (!m)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "WordLevel: out of memory");
    m->base.ops = &wordlevel_ops;
    const char *unk;
    /* Both fields are required, as the Rust deserializer has them. */
    ia_status st = tk_json_string(ld, v, path, "unk_token", true, NULL, &unk);
    if (st == IA_OK)
        st = tk_vocab_parse_object(ld, v, path, "vocab", &m->base.vocab);
    if (st == IA_OK && !(m->unk_token = strdup(unk)))
        st = ia_error_set(ld->err, IA_ERR_NOMEM, "WordLevel: out of memory");
    if (st != IA_OK) {
        wordlevel_free(&m->base);
        return st;
    }
    m->unk_id = tk_vocab_find(m->base.vocab, m->unk_token, strlen(m->unk_token));
    m->base.unk_id = m->unk_id;
    *out = &m->base;
    return IA_OK;
}
