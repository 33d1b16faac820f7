/* Fuzz target: tokenizer encode and decode on the four fixture tokenizers.
 *
 * The input is a header of three bytes, then the text:
 *   byte 0: bits 0-1 pick the tokenizer (wordpiece, bytelevel_bpe, llama_bpe,
 *           unigram); bit 2 adds special tokens; bit 3 skips special tokens
 *           when decoding; bit 4 makes a pair (the text is split at its first
 *           0xFF byte, a byte never valid in UTF-8); bit 5 converts offsets to
 *           characters; bit 6 turns truncation on; bit 7 turns padding on;
 *   byte 1: truncation's max_length (low 6 bits) and strategy (high 2);
 *   byte 2: stride (low 3 bits), fixed padding length (bits 3-6, 0: to the
 *           longest), and bit 7 for the left side in both.
 * Shorter inputs are the text alone with byte 0 = 0.
 *
 * The text may be invalid UTF-8: then encode must refuse it with
 * IA_ERR_INVALID. An accepted text must give an encoding that keeps the
 * header's promises: every id in the vocabulary, every token named, offsets
 * inside their own text (the pair's tokens in the pair; a token of sequence
 * -1 in either) and on UTF-8 boundaries, masks of 0 and 1, and the same for
 * each overflowing part. The
 * ids are then decoded, and so are up to 16 raw ids taken from the input
 * (out of range and negative ones included): decoding must succeed with
 * valid UTF-8. Truncation and padding are set before and put back after each
 * input, so inputs do not leak into each other. Nothing may crash, leak or
 * trip UBSan. How to run it: docs/fuzzing.md.
 *
 * The fixtures are found through IA_FIXTURES (the tests' variable) or beside
 * this source (tests/fixtures/tokenizers). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/tokenizer.h"
#include "ipfs_accelerate/unicode.h"

static const char *const fuzz_names[] = {"wordpiece", "bytelevel_bpe", "llama_bpe", "unigram"};
static ia_tokenizer *fuzz_toks[4];
static ia_truncation fuzz_trunc0[4];

static void fuzz_die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_tokenizer: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void fuzz_load(void)
{
    if (fuzz_toks[0])
        return;
    char dir[4096];
    const char *env = getenv("IA_FIXTURES");
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s/tokenizers", env);
    } else {
        /* CMake compiles with the absolute source path: fuzz/ -> the checkout */
        const char *file = __FILE__;
        const char *slash = strrchr(file, '/');
        int n = slash ? (int)(slash - file) : 1;
        snprintf(dir, sizeof dir, "%.*s/../tests/fixtures/tokenizers", n, slash ? file : ".");
    }
    for (int i = 0; i < 4; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.json", dir, fuzz_names[i]);
        ia_error err;
        if (ia_tokenizer_load(path, &fuzz_toks[i], &err) != IA_OK)
            fuzz_die("cannot load a fixture (set IA_FIXTURES to tests/fixtures)", err.message);
        ia_tokenizer_get_truncation(fuzz_toks[i], &fuzz_trunc0[i]);
    }
}

static bool fuzz_valid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int k = ia_utf8_decode(s + i, len - i, &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

static size_t fuzz_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static bool fuzz_boundary(const char *s, size_t len, uint32_t at)
{
    return at >= len || ((unsigned char)s[at] & 0xC0) != 0x80;
}

static void fuzz_check(const ia_tokenizer *tok, const ia_encoding *enc, const char *text, size_t len,
                       const char *pair, size_t pair_len, bool chars, int depth)
{
    const size_t vocab = ia_tokenizer_vocab_size(tok);
    if (enc->n && (!enc->ids || !enc->tokens || !enc->offsets || !enc->type_ids ||
                   !enc->attention_mask || !enc->special_tokens_mask))
        fuzz_die("an encoding with tokens lacks an array", NULL);
    for (size_t i = 0; i < enc->n; i++) {
        if (enc->ids[i] < 0 || (size_t)enc->ids[i] >= vocab)
            fuzz_die("an id outside the vocabulary", NULL);
        if (!enc->tokens[i] || !enc->token_lens)
            fuzz_die("a token without a string", NULL);
        if (strlen(enc->tokens[i]) > enc->token_lens[i] ||
            enc->tokens[i][enc->token_lens[i]] != '\0')
            fuzz_die("a token string whose length is not token_lens'", NULL);
        if (enc->attention_mask[i] > 1 || enc->special_tokens_mask[i] > 1)
            fuzz_die("a mask value other than 0 or 1", NULL);
        const ia_span o = enc->offsets[i];
        /* a token of sequence -1 is special or padding, or (as the Rust
         * library leaves it in a pair's overflowing parts) a token of either
         * text: then it only has to fit the longer one. In overflowing parts
         * the Rust library's sequence ids are not to be trusted at all (a
         * pair's tokens may say 0), so there every token gets that rule. */
        const int seq = depth > 0 ? -1 : enc->sequence_ids ? enc->sequence_ids[i] : 0;
        const size_t text_limit = chars ? fuzz_chars(text, len) : len;
        const size_t pair_limit = pair ? (chars ? fuzz_chars(pair, pair_len) : pair_len) : 0;
        const char *s = seq == 1 ? pair : text;
        const size_t n = seq == 1 ? pair_len : len;
        size_t limit = seq == 1 ? pair_limit : text_limit;
        if (seq < 0 && pair_limit > limit)
            limit = pair_limit;
        char what[160];
        snprintf(what, sizeof what, "token %zu of %zu (overflow depth %d, id %d, sequence %d): "
                 "[%u, %u) against a text of %zu %s", i, enc->n, depth, (int)enc->ids[i], seq,
                 (unsigned)o.begin, (unsigned)o.end, limit, chars ? "characters" : "bytes");
        if (o.begin > o.end || o.end > limit)
            fuzz_die("an offset outside its text", what);
        if (!chars && seq >= 0 && (!fuzz_boundary(s, n, o.begin) || !fuzz_boundary(s, n, o.end)))
            fuzz_die("a byte offset inside a UTF-8 sequence", what);
    }
    if (enc->n_overflowing && !enc->overflowing)
        fuzz_die("overflowing parts counted but absent", NULL);
    if (depth < 2)
        for (size_t i = 0; i < enc->n_overflowing; i++)
            fuzz_check(tok, &enc->overflowing[i], text, len, pair, pair_len, chars, depth + 1);
}

static void fuzz_decode(const ia_tokenizer *tok, const int32_t *ids, size_t n, bool skip)
{
    char *out = NULL;
    size_t out_len = 0;
    ia_error err;
    if (ia_tokenizer_decode(tok, ids, n, skip, &out, &out_len, &err) != IA_OK)
        fuzz_die("decode failed", err.message);
    if (!out || out[out_len] != '\0')
        fuzz_die("decode gave no NUL-terminated string", NULL);
    if (!fuzz_valid_utf8(out, out_len))
        fuzz_die("decode gave invalid UTF-8", NULL);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load();
    uint8_t h0 = 0, h1 = 0, h2 = 0;
    if (size >= 3) {
        h0 = data[0];
        h1 = data[1];
        h2 = data[2];
        data += 3;
        size -= 3;
    }
    const int which = h0 & 3;
    const bool add_special = h0 & 4, skip = h0 & 8, want_pair = h0 & 16, chars = h0 & 32;
    ia_tokenizer *tok = fuzz_toks[which];

    const char *text = (const char *)data;
    size_t len = size;
    const char *pair = NULL;
    size_t pair_len = 0;
    if (want_pair) {
        const char *sep = memchr(text, 0xFF, len);
        if (sep) {
            pair = sep + 1;
            pair_len = len - (size_t)(sep - text) - 1;
            len = (size_t)(sep - text);
        } else {
            pair = text + len; /* an empty pair */
        }
    }

    ia_error err;
    bool truncating = false, padding = false;
    if (h0 & 64) {
        ia_truncation t = {.enabled = true,
                           .max_length = h1 & 63,
                           .stride = h2 & 7,
                           .strategy = (ia_truncation_strategy)((h1 >> 6) % 3),
                           .left = h2 & 128};
        /* a refusal (stride too long for the length) is fine; it must say why */
        truncating = ia_tokenizer_set_truncation(tok, &t, &err) == IA_OK;
        if (!truncating && !memchr(err.message, '\0', sizeof err.message))
            fuzz_die("an unterminated error message", NULL);
    }
    if (h0 & 128) {
        ia_padding p = {.enabled = true,
                        .to_longest = ((h2 >> 3) & 15) == 0,
                        .length = (h2 >> 3) & 15,
                        .multiple_of = (h1 & 1) ? 8 : 0,
                        .left = h2 & 128,
                        .pad_id = 0,
                        .pad_type_id = 0,
                        .pad_token = "[PAD]"};
        padding = ia_tokenizer_set_padding(tok, &p, &err) == IA_OK;
    }

    const bool valid = fuzz_valid_utf8(text, len) && (!pair || fuzz_valid_utf8(pair, pair_len));
    ia_encoding enc;
    ia_status st = ia_tokenizer_encode(tok, text, len, pair, pair_len, add_special, &enc, &err);
    if (st == IA_OK) {
        if (!valid)
            fuzz_die("invalid UTF-8 was accepted", NULL);
        if (chars)
            ia_encoding_char_offsets(&enc, text, len, pair, pair_len);
        fuzz_check(tok, &enc, text, len, pair, pair_len, chars, 0);
        fuzz_decode(tok, enc.ids, enc.n, skip);
        ia_encoding_free(&enc);
    } else {
        if (!memchr(err.message, '\0', sizeof err.message))
            fuzz_die("an unterminated error message", NULL);
        if (!valid && st != IA_ERR_INVALID)
            fuzz_die("invalid UTF-8 refused with a status other than IA_ERR_INVALID", err.message);
        /* a valid text may still be refused by truncation (a pair too short
         * to cut), never for any other reason */
        if (valid && !truncating)
            fuzz_die("a valid text was refused", err.message);
        if (st == IA_ERR_INTERNAL)
            fuzz_die("IA_ERR_INTERNAL", err.message);
    }

    /* raw ids from the input: out of range and negative ones included */
    int32_t ids[16];
    size_t n_ids = size / 4 < 16 ? size / 4 : 16;
    if (n_ids)
        memcpy(ids, data, n_ids * 4);
    for (size_t i = 0; i < n_ids; i++)
        if (h1 & 2) /* mostly small ids, so some land in the vocabulary */
            ids[i] = (int32_t)((uint32_t)ids[i] % 2048u) - 16;
    fuzz_decode(tok, ids, n_ids, skip);

    if (truncating)
        ia_tokenizer_set_truncation(tok, &fuzz_trunc0[which], &err);
    if (padding) {
        ia_padding off = {.enabled = false};
        ia_tokenizer_set_padding(tok, &off, &err);
    }
    return 0;
}
