/* The "model" of a tokenizer.json: which kind it is, and the legacy files
 * (BERT's vocab.txt, GPT-2's vocab.json + merges.txt) turned into the same
 * models. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

#define MODEL_TYPES "BPE, WordPiece, WordLevel, Unigram"
/* Vocabulary files beyond this are not vocabularies. */
#define LEGACY_MAX_BYTES ((size_t)1 << 30)

typedef ia_status (*model_parse_fn)(const tk_load *, const cJSON *, const char *, tk_model **);

/* Old tokenizer.json files have no model "type"; Rust then tries BPE,
 * WordPiece, WordLevel and Unigram in turn and keeps the first that
 * deserializes. BPE needs "merges"; WordPiece needs
 * "continuing_subword_prefix" and "max_input_chars_per_word" (WordLevel's
 * fields are a subset of its); Unigram's vocab is a list of pairs. */
static model_parse_fn infer_type(const cJSON *v, const char **name)
{
    const cJSON *vocab = cJSON_GetObjectItemCaseSensitive(v, "vocab");
    if (cJSON_GetObjectItemCaseSensitive(v, "merges")) {
        *name = "BPE";
        return tk_bpe_parse;
    }
    if (cJSON_IsArray(vocab)) {
        *name = "Unigram";
        return tk_unigram_parse;
    }
    if (cJSON_GetObjectItemCaseSensitive(v, "continuing_subword_prefix") &&
        cJSON_GetObjectItemCaseSensitive(v, "max_input_chars_per_word")) {
        *name = "WordPiece";
        return tk_wordpiece_parse;
    }
    *name = "WordLevel";
    return tk_wordlevel_parse;
}

ia_status tk_model_parse(const tk_load *ld, const cJSON *v, const char *path, tk_model **out)
{
    *out = NULL;
    if (!cJSON_IsObject(v))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected a model object, found %s",
                            tk_json_kind(v));
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "type");
    model_parse_fn fn;
    const char *name;
    if (!t || cJSON_IsNull(t)) {
        fn = infer_type(v, &name);
    } else {
        ia_status st = tk_json_component_type(ld, v, path, &name);
        if (st != IA_OK)
            return st;
        if (strcmp(name, "BPE") == 0)
            fn = tk_bpe_parse;
        else if (strcmp(name, "WordPiece") == 0)
            fn = tk_wordpiece_parse;
        else if (strcmp(name, "WordLevel") == 0)
            fn = tk_wordlevel_parse;
        else if (strcmp(name, "Unigram") == 0)
            fn = tk_unigram_parse;
        else
            return tk_json_unknown_type(ld, path, "model", name, MODEL_TYPES);
    }
    return fn(ld, v, path, out);
}

void tk_model_free(tk_model *m)
{
    if (m)
        m->ops->free(m);
}

/* --- legacy files ------------------------------------------------------------ */

/* The next line of buf (BufRead::lines: split on '\n', a "\r\n" ending
 * loses its '\r', and a final newline does not start an empty line).
 * Returns false at the end. */
static bool next_line(const char *buf, size_t len, size_t *pos, const char **line,
                      size_t *line_len)
{
    if (*pos >= len)
        return false;
    const char *s = buf + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - s) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    if (nl && n > 0 && s[n - 1] == '\r')
        n--;
    *line = s;
    *line_len = n;
    return true;
}

/* str::trim_end: drops trailing White_Space characters. */
static size_t trim_end(const char *s, size_t len)
{
    while (len > 0) {
        size_t b = len - 1;
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        uint32_t cp;
        if (ia_utf8_decode(s + b, len - b, &cp) <= 0 || !ia_unicode_is_whitespace(cp))
            break;
        len = b;
    }
    return len;
}

/* A cJSON string copy of s[0, len) (cJSON wants NUL-terminated keys). */
static char *dup_n(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

ia_status tk_model_wordpiece_from_vocab_txt(const char *path, tk_model **out, ia_error *err)
{
    *out = NULL;
    char *data;
    size_t len;
    ia_status st = ia_file_read_all(path, LEGACY_MAX_BYTES, &data, &len, err);
    if (st != IA_OK)
        return st;
    cJSON *model = cJSON_CreateObject();
    cJSON *vocab = cJSON_CreateObject();
    if (!model || !vocab || !cJSON_AddStringToObject(model, "type", "WordPiece") ||
        !cJSON_AddStringToObject(model, "unk_token", "[UNK]") ||
        !cJSON_AddStringToObject(model, "continuing_subword_prefix", "##") ||
        !cJSON_AddNumberToObject(model, "max_input_chars_per_word", 100)) {
        st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
        goto done;
    }
    cJSON_AddItemToObject(model, "vocab", vocab);
    vocab = NULL; /* owned by model now */
    const cJSON *vo = cJSON_GetObjectItemCaseSensitive(model, "vocab");
    size_t pos = 0, lineno = 0;
    const char *line;
    size_t ll;
    /* WordPiece::read_file: the token of line i (trimmed at its end) gets
     * id i; a token listed twice keeps its last id. */
    while (next_line(data, len, &pos, &line, &ll)) {
        if (!ia_utf8_valid(line, ll)) {
            st = ia_error_set(err, IA_ERR_PARSE, "%s: line %zu is not valid UTF-8", path,
                              lineno + 1);
            goto done;
        }
        ll = trim_end(line, ll);
        if (memchr(line, '\0', ll)) {
            st = ia_error_set(err, IA_ERR_UNSUPPORTED, "%s: line %zu holds a NUL byte", path,
                              lineno + 1);
            goto done;
        }
        char *tok = dup_n(line, ll);
        cJSON *num = cJSON_CreateNumber((double)lineno);
        if (!tok || !num) {
            free(tok);
            cJSON_Delete(num);
            st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
            goto done;
        }
        cJSON_AddItemToObject((cJSON *)vo, tok, num);
        free(tok);
        lineno++;
    }
    tk_load ld = {path, err};
    st = tk_wordpiece_parse(&ld, model, "", out);
done:
    cJSON_Delete(vocab);
    cJSON_Delete(model);
    free(data);
    return st;
}

/* Checks one merges.txt line's tokens (and their merge) are in vocab, as
 * BPE's builder does, so the message can name the file and line. */
static ia_status check_merge(const char *merges_txt, size_t lineno, const tk_vocab *vocab,
                             const char *a, size_t al, const char *b, size_t bl, ia_error *err)
{
    const char *missing = NULL;
    size_t ml = 0;
    if (tk_vocab_find(vocab, a, al) < 0) {
        missing = a;
        ml = al;
    } else if (tk_vocab_find(vocab, b, bl) < 0) {
        missing = b;
        ml = bl;
    }
    if (missing)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s: line %zu: merge token '%.*s' is not in the vocabulary",
                            merges_txt, lineno, (int)ml, missing);
    char *ab = malloc(al + bl + 1);
    if (!ab)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", merges_txt);
    memcpy(ab, a, al);
    memcpy(ab + al, b, bl);
    ia_status st = IA_OK;
    if (tk_vocab_find(vocab, ab, al + bl) < 0)
        st = ia_error_set(err, IA_ERR_INVALID,
                          "%s: line %zu: the merged token '%.*s' is not in the vocabulary",
                          merges_txt, lineno, (int)(al + bl), ab);
    free(ab);
    return st;
}

ia_status tk_model_bpe_from_files(const char *vocab_json, const char *merges_txt,
                                  tk_model **out, ia_error *err)
{
    *out = NULL;
    char *vdata = NULL, *mdata = NULL;
    size_t vlen, mlen;
    cJSON *parsed = NULL, *model = NULL;
    tk_vocab *check = NULL;
    ia_status st = ia_file_read_all(vocab_json, LEGACY_MAX_BYTES, &vdata, &vlen, err);
    if (st != IA_OK)
        return st;
    st = ia_file_read_all(merges_txt, LEGACY_MAX_BYTES, &mdata, &mlen, err);
    if (st != IA_OK)
        goto done;
    parsed = cJSON_ParseWithLength(vdata, vlen);
    if (!parsed || !cJSON_IsObject(parsed)) {
        st = ia_error_set(err, IA_ERR_PARSE,
                          "%s: expected a JSON object of token -> id (GPT-2's vocab.json)",
                          vocab_json);
        goto done;
    }
    model = cJSON_CreateObject();
    cJSON *vocab = cJSON_CreateObject();
    cJSON *merges = cJSON_CreateArray();
    if (!model || !vocab || !merges) {
        cJSON_Delete(vocab);
        cJSON_Delete(merges);
        st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", vocab_json);
        goto done;
    }
    cJSON_AddItemToObject(model, "vocab", vocab);
    cJSON_AddItemToObject(model, "merges", merges);
    /* BPE::read_file keeps the entries whose value is a number and skips
     * others; a number that is not an unsigned integer is an error. */
    for (cJSON *e = parsed->child; e; e = e->next) {
        if (!cJSON_IsNumber(e))
            continue;
        double d = e->valuedouble;
        if (d < 0 || d != (double)(long long)d) {
            st = ia_error_set(err, IA_ERR_PARSE, "%s: the id of '%s' is not an integer >= 0",
                              vocab_json, e->string);
            goto done;
        }
        cJSON *num = cJSON_CreateNumber(d);
        if (!num) {
            st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", vocab_json);
            goto done;
        }
        cJSON_AddItemToObject(vocab, e->string, num);
    }
    /* A lookup table for checking the merges line by line. */
    tk_load vld = {vocab_json, err};
    st = tk_vocab_parse_object(&vld, model, "", "vocab", &check);
    if (st != IA_OK)
        goto done;
    size_t pos = 0, lineno = 0;
    const char *line;
    size_t ll;
    while (next_line(mdata, mlen, &pos, &line, &ll)) {
        lineno++;
        if (!ia_utf8_valid(line, ll)) {
            st = ia_error_set(err, IA_ERR_PARSE, "%s: line %zu is not valid UTF-8", merges_txt,
                              lineno);
            goto done;
        }
        if (ll >= 8 && memcmp(line, "#version", 8) == 0)
            continue;
        const char *sp = memchr(line, ' ', ll);
        if (!sp || memchr(sp + 1, ' ', ll - (size_t)(sp + 1 - line)) ||
            memchr(line, '\0', ll)) {
            st = ia_error_set(err, IA_ERR_PARSE,
                              "%s: line %zu: expected two tokens separated by one space, found "
                              "'%.*s'",
                              merges_txt, lineno, (int)(ll > 80 ? 80 : ll), line);
            goto done;
        }
        char *a = dup_n(line, (size_t)(sp - line));
        char *b = dup_n(sp + 1, ll - (size_t)(sp + 1 - line));
        cJSON *pair = cJSON_CreateArray();
        cJSON *ja = a ? cJSON_CreateString(a) : NULL;
        cJSON *jb = b ? cJSON_CreateString(b) : NULL;
        if (!a || !b || !pair || !ja || !jb) {
            cJSON_Delete(pair);
            cJSON_Delete(ja);
            cJSON_Delete(jb);
            free(a);
            free(b);
            st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", merges_txt);
            goto done;
        }
        st = check_merge(merges_txt, lineno, check, a, strlen(a), b, strlen(b), err);
        free(a);
        free(b);
        cJSON_AddItemToArray(pair, ja);
        cJSON_AddItemToArray(pair, jb);
        cJSON_AddItemToArray(merges, pair);
        if (st != IA_OK)
            goto done;
    }
    tk_load ld = {vocab_json, err};
    st = tk_bpe_parse(&ld, model, "", out);
done:
    tk_vocab_free(check);
    cJSON_Delete(model);
    cJSON_Delete(parsed);
    free(vdata);
    free(mdata);
    return st;
}
