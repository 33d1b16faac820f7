/*
 * tokenizer: Hugging Face tokenizers in C. Loads a tokenizer.json (or the
 * legacy files: BERT's vocab.txt, GPT-2's vocab.json with merges.txt) and
 * encodes and decodes exactly as the Rust `tokenizers` library does: added
 * tokens, normalizer, pre-tokenizer, model (WordPiece, BPE, Unigram,
 * WordLevel), post-processor and decoder, with offsets, type ids, masks,
 * truncation and padding.
 *
 * Text is UTF-8. Policy on invalid UTF-8 input: encoding refuses it with
 * IA_ERR_INVALID and the byte offset of the first bad sequence (the Rust
 * library only ever sees valid strings; guessing a repair would give ids that
 * no other tokenizer produces). Decoding never fails on odd ids: an id out of
 * the vocabulary is skipped, as the Rust library does, and byte-level tokens
 * that do not form UTF-8 are decoded with U+FFFD, as its lossy decoding does.
 *
 * Memory: ia_tokenizer_load* return a heap object freed by
 * ia_tokenizer_free. An ia_encoding's arrays belong to it and are freed by
 * ia_encoding_free; its token strings point into the tokenizer and live as
 * long as it does. A loaded tokenizer is immutable while encoding, so one may
 * serve many threads at once; ia_tokenizer_set_* calls must not race with
 * encoding.
 */
#ifndef IPFS_ACCELERATE_TOKENIZER_H
#define IPFS_ACCELERATE_TOKENIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ia_tokenizer ia_tokenizer;

/* A [begin, end) range in a text: bytes, or characters (code points) after
 * ia_encoding_char_offsets. */
typedef struct ia_span {
    uint32_t begin, end;
} ia_span;

typedef struct ia_encoding {
    size_t n;                     /* tokens */
    int32_t *ids;
    const char **tokens;          /* NUL-terminated, owned by the tokenizer */
    uint32_t *token_lens;         /* bytes of each token string: a token whose
                                     text holds U+0000 goes on past the NUL */
    ia_span *offsets;             /* bytes in the text the token came from */
    uint32_t *type_ids;
    uint8_t *attention_mask;      /* 1 for tokens, 0 for padding */
    uint8_t *special_tokens_mask; /* 1 for tokens the post-processor added */
    int32_t *word_ids;            /* -1 for special and padding tokens */
    int8_t *sequence_ids;         /* 0 first text, 1 pair, -1 special/pad */
    size_t n_overflowing;         /* truncation's leftovers, when asked for */
    struct ia_encoding *overflowing;
} ia_encoding;

/* Loads PATH: a tokenizer.json, or a folder holding tokenizer.json, or
 * (when it has none) vocab.txt (WordPiece, BERT's settings, lowercasing per
 * tokenizer_config.json's do_lower_case) or vocab.json with merges.txt
 * (GPT-2's byte-level BPE). Errors name the file and, for JSON, the path of
 * the bad value ("tokenizer.json: at model.merges[3]: ..."); an unknown
 * component type is named ("pre_tokenizer.type 'Foo' is not supported"). */
ia_status ia_tokenizer_load(const char *path, ia_tokenizer **out, ia_error *err);

/* The same from a tokenizer.json held in memory; origin names it in errors. */
ia_status ia_tokenizer_load_json(const char *json, size_t len, const char *origin,
                                 ia_tokenizer **out, ia_error *err);

void ia_tokenizer_free(ia_tokenizer *tok);

/* The tokenizer.json text (heap, free()) of a tokenizer with one token per
 * byte: GPT-2's byte-level alphabet as ids 0 to 255, no merges, no special
 * tokens. It tokenizes any text into ids below 256; synthetic models (whose
 * real tokenizer is not at hand) use it. */
ia_status ia_tokenizer_bytes_json(char **json, size_t *len, ia_error *err);

/* Encodes text (and pair, when not NULL) as Tokenizer.encode(text, pair,
 * add_special_tokens) does, with the tokenizer's truncation and padding.
 * *out is filled; free it with ia_encoding_free. Offsets of the pair's
 * tokens are in the pair's text. */
ia_status ia_tokenizer_encode(const ia_tokenizer *tok, const char *text, size_t len,
                              const char *pair, size_t pair_len, bool add_special_tokens,
                              ia_encoding *out, ia_error *err);

/* Encodes n texts (pairs NULL or n entries, a NULL entry for none) on up to
 * threads threads (0: one per core), padding to the longest when padding is
 * set to batch-longest. out has n entries. On failure nothing is left to
 * free and err names the index of the failing text. */
ia_status ia_tokenizer_encode_batch(const ia_tokenizer *tok, size_t n, const char *const *texts,
                                    const size_t *lens, const char *const *pairs,
                                    const size_t *pair_lens, bool add_special_tokens,
                                    unsigned threads, ia_encoding *out, ia_error *err);

void ia_encoding_free(ia_encoding *enc);

/* Rewrites enc's offsets (and its overflowing ones) from bytes to
 * characters, counting code points as Python's str does: the offsets
 * Hugging Face's Python API returns. text and pair are the encoded texts. */
void ia_encoding_char_offsets(ia_encoding *enc, const char *text, size_t len, const char *pair,
                              size_t pair_len);

/* Decodes ids to text as Tokenizer.decode(ids, skip_special_tokens) does.
 * *out is a NUL-terminated heap string (free()), *out_len its length. */
ia_status ia_tokenizer_decode(const ia_tokenizer *tok, const int32_t *ids, size_t n,
                              bool skip_special_tokens, char **out, size_t *out_len,
                              ia_error *err);

/* Vocabulary, added tokens included. */
size_t ia_tokenizer_vocab_size(const ia_tokenizer *tok);
/* The id of token, or -1. */
int32_t ia_tokenizer_token_to_id(const ia_tokenizer *tok, const char *token);
/* The token of id (owned by the tokenizer), or NULL. */
const char *ia_tokenizer_id_to_token(const ia_tokenizer *tok, int32_t id);

typedef enum ia_truncation_strategy {
    IA_TRUNCATE_LONGEST_FIRST,
    IA_TRUNCATE_ONLY_FIRST,
    IA_TRUNCATE_ONLY_SECOND
} ia_truncation_strategy;

typedef struct ia_truncation {
    bool enabled;
    size_t max_length;
    size_t stride;
    ia_truncation_strategy strategy;
    bool left; /* direction: cut from the left instead of the right */
} ia_truncation;

typedef struct ia_padding {
    bool enabled;
    bool to_longest;     /* batch-longest; otherwise fixed length */
    size_t length;       /* for fixed */
    size_t multiple_of;  /* 0: none */
    bool left;           /* pad on the left */
    int32_t pad_id;
    uint32_t pad_type_id;
    const char *pad_token; /* copied by the setter */
} ia_padding;

/* The settings tokenizer.json gave (or none), which these replace. */
void ia_tokenizer_get_truncation(const ia_tokenizer *tok, ia_truncation *out);
ia_status ia_tokenizer_set_truncation(ia_tokenizer *tok, const ia_truncation *t, ia_error *err);
void ia_tokenizer_get_padding(const ia_tokenizer *tok, ia_padding *out);
ia_status ia_tokenizer_set_padding(ia_tokenizer *tok, const ia_padding *p, ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
