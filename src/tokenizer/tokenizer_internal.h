/*
 * The tokenizer layer's inside: the pieces tokenizer.c assembles into the
 * Hugging Face pipeline, each in its own file.
 *
 *   tk_json.c         reading tokenizer.json values, errors with JSON paths
 *   nstr.c            tk_nstr: a normalized string aligned with the original
 *                     (Rust's NormalizedString), tk_pattern, tk_pretok
 *   byte_level.c      the GPT-2 byte <-> character alphabet
 *   normalizers.c     normalizer components
 *   pretokenizers.c   pre-tokenizer components
 *   vocab.c           token <-> id maps
 *   trie.c            the byte trie WordPiece and Unigram walk over their vocabularies
 *   model_*.c         WordPiece, BPE, Unigram, WordLevel; models.c parses
 *   encoding.c        ia_encoding building, merging, truncation, padding
 *   postprocessors.c  post-processor components
 *   decoders.c        decoder components
 *   tokenizer.c       loading, added tokens, the encode and decode pipeline
 *
 * Offsets inside the pipeline are bytes. Every tk_nstr keeps, for each byte
 * of its normalized text, the byte range of the original input character it
 * came from, absolute in the whole input, so slices never need shifting.
 */
#ifndef IA_TOKENIZER_INTERNAL_H
#define IA_TOKENIZER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/regex.h"
#include "ipfs_accelerate/tokenizer.h"
#include "ipfs_accelerate/unicode.h"

/* --- tk_json.c: reading tokenizer.json --------------------------------------
 * Every parser receives the JSON path of the value it reads ("model",
 * "normalizer.normalizers[2]") and reports problems through tk_json_fail,
 * which writes "FILE: at PATH: message". */

#define TK_PATH_MAX 256

typedef struct tk_load {
    const char *file; /* names the source in messages */
    ia_error *err;
} tk_load;

/* out = parent + "." + key (or key alone when parent is ""). */
void tk_path_key(char out[TK_PATH_MAX], const char *parent, const char *key);
/* out = parent + "[i]". */
void tk_path_index(char out[TK_PATH_MAX], const char *parent, size_t i);

ia_status tk_json_fail(const tk_load *ld, ia_status st, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "a string", "an object", "null", ... */
const char *tk_json_kind(const cJSON *v);

/* Value readers. obj is the object at path; key is looked up in it. When
 * the key is absent or null: a required one fails ("missing 'key'"),
 * otherwise *out = def. A present value of the wrong type fails naming the
 * type wanted and found. */
ia_status tk_json_string(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                         bool required, const char *def, const char **out);
ia_status tk_json_bool(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                       bool required, bool def, bool *out);
/* An integral number within [min, max]. */
ia_status tk_json_int(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                      bool required, int64_t def, int64_t min, int64_t max, int64_t *out);
ia_status tk_json_number(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                         bool required, double def, double *out);
/* The array or object under key (required ones fail when absent);
 * *out NULL when optional and absent or null. */
ia_status tk_json_array(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                        bool required, const cJSON **out);
ia_status tk_json_object(const tk_load *ld, const cJSON *obj, const char *path, const char *key,
                         bool required, const cJSON **out);
/* Checks v (at path) is an object with a string "type"; *type gets it. */
ia_status tk_json_component_type(const tk_load *ld, const cJSON *v, const char *path,
                                 const char **type);
/* IA_ERR_UNSUPPORTED: "at PATH.type: <what> type 'T' is not supported
 * (supported: <list>)". */
ia_status tk_json_unknown_type(const tk_load *ld, const char *path, const char *what,
                               const char *type, const char *supported);

/* --- small growable arrays ------------------------------------------------- */

/* Grows *v (elements of size elem) to hold at least need; IA_ERR_NOMEM on
 * overflow or failure. */
ia_status tk_grow(void **v, size_t *cap, size_t need, size_t elem, ia_error *err);

/* A list of owned strings (the decoders' working list). */
typedef struct tk_strvec {
    char **s;    /* each NUL-terminated, malloc'ed */
    size_t *len;
    size_t n, cap;
} tk_strvec;

ia_status tk_strvec_push(tk_strvec *v, const char *s, size_t len, ia_error *err);
/* Takes ownership of s (malloc'ed, NUL-terminated). */
ia_status tk_strvec_push_owned(tk_strvec *v, char *s, size_t len, ia_error *err);
void tk_strvec_clear(tk_strvec *v); /* frees the strings, keeps the arrays */
void tk_strvec_free(tk_strvec *v);

/* --- nstr.c: normalized strings ----------------------------------------------
 * The Rust library's NormalizedString with absolute alignments. */

typedef struct tk_nstr {
    char *s;        /* normalized UTF-8, NUL-terminated */
    size_t len, cap;
    ia_span *align; /* len entries: input byte range of each byte's source character */
    ia_span orig;   /* the input range this string stands for */
    /* s and align live in a tk_pretok's arena (the splits of a pre-tokenized
     * string, made by the thousand): they are this string's own, but never
     * freed on their own, and moved to the heap when the string grows. */
    bool borrowed;
} tk_nstr;

/* One character of a transformation, as in NormalizedString::transform:
 * change 1 inserts cp, 0 replaces the next old character with cp, -n
 * replaces it and removes the n old characters after it. */
typedef struct tk_change {
    uint32_t cp;
    int32_t change;
} tk_change;

/* A string standing for input[begin, end) (valid UTF-8), not yet changed. */
ia_status tk_nstr_init(tk_nstr *ns, const char *input, size_t begin, size_t end, ia_error *err);
void tk_nstr_free(tk_nstr *ns);
/* Moves src into dst (dst freed first); src left empty. */
void tk_nstr_move(tk_nstr *dst, tk_nstr *src);

/* NormalizedString::transform_range over normalized bytes [nbegin, nend):
 * initial_removed old characters at its start are dropped first. */
ia_status tk_nstr_transform_range(tk_nstr *ns, size_t nbegin, size_t nend,
                                  const tk_change *changes, size_t n, size_t initial_removed,
                                  ia_error *err);
ia_status tk_nstr_transform(tk_nstr *ns, const tk_change *changes, size_t n,
                            size_t initial_removed, ia_error *err);

/* The part for normalized bytes [nbegin, nend) (on character boundaries). */
ia_status tk_nstr_slice(const tk_nstr *ns, size_t nbegin, size_t nend, tk_nstr *out,
                        ia_error *err);
/* Input byte range of normalized bytes [nbegin, nend), as
 * convert_offsets(Range::Normalized) does (an empty range maps to an empty
 * range at its place; the empty string maps to its whole orig). */
ia_span tk_nstr_to_original(const tk_nstr *ns, size_t nbegin, size_t nend);

/* The NormalizedString operations the components use. */
ia_status tk_nstr_normalize(tk_nstr *ns, ia_unicode_form form, ia_error *err);
ia_status tk_nstr_lowercase(tk_nstr *ns, ia_error *err);
ia_status tk_nstr_filter(tk_nstr *ns, bool (*keep)(uint32_t cp, const void *ctx),
                         const void *ctx, ia_error *err);
ia_status tk_nstr_map(tk_nstr *ns, uint32_t (*map)(uint32_t cp, const void *ctx),
                      const void *ctx, ia_error *err);
ia_status tk_nstr_prepend(tk_nstr *ns, const char *s, ia_error *err);
ia_status tk_nstr_append(tk_nstr *ns, const char *s, ia_error *err);
ia_status tk_nstr_strip(tk_nstr *ns, bool left, bool right, ia_error *err);

/* Rust's Pattern: a string, a regex, or a character predicate. Matches
 * cover the whole text, alternating matched and unmatched pieces. */
typedef struct tk_pattern {
    enum { TK_PATTERN_STRING, TK_PATTERN_REGEX, TK_PATTERN_CHARS } kind;
    const char *str; /* TK_PATTERN_STRING */
    size_t str_len;
    const ia_regex *re; /* TK_PATTERN_REGEX */
    bool (*is_match)(uint32_t cp, const void *ctx); /* TK_PATTERN_CHARS */
    const void *ctx;
    bool invert; /* Split's invert: matched and unmatched swap */
} tk_pattern;

typedef struct tk_match {
    size_t begin, end;
    bool is_match;
} tk_match;

/* find_matches: *out (free()) holds *n pieces covering s[0, len). */
ia_status tk_pattern_find(const tk_pattern *p, const char *s, size_t len, tk_match **out,
                          size_t *n, ia_error *err);

typedef enum tk_split_behavior {
    TK_SPLIT_REMOVED,
    TK_SPLIT_ISOLATED,
    TK_SPLIT_MERGED_WITH_PREVIOUS,
    TK_SPLIT_MERGED_WITH_NEXT,
    TK_SPLIT_CONTIGUOUS
} tk_split_behavior;

ia_status tk_nstr_replace(tk_nstr *ns, const tk_pattern *p, const char *content, ia_error *err);

/* --- nstr.c: the pre-tokenized string (PreTokenizedString) ----------------- */

/* A token a model produced: begin/end are bytes of the split's normalized
 * text. */
typedef struct tk_token {
    int32_t id;
    uint32_t begin, end;
} tk_token;

typedef struct tk_tokens {
    tk_token *v;
    size_t n, cap;
} tk_tokens;

ia_status tk_tokens_push(tk_tokens *t, int32_t id, size_t begin, size_t end, ia_error *err);

typedef struct tk_split {
    tk_nstr str;
    bool tokenized;   /* tokens hold the model's (or an added token's) result */
    tk_tokens tokens;
} tk_split;

typedef struct tk_arena_block tk_arena_block;

typedef struct tk_pretok {
    tk_split *v;
    size_t n, cap;
    tk_arena_block *arena; /* the buffers of its borrowed splits */
} tk_pretok;

/* Appends a split taking ownership of *str (left empty). */
ia_status tk_pretok_push(tk_pretok *pt, tk_nstr *str, ia_error *err);
/* Appends ns[nbegin, nend) (on character boundaries) as a split, copied
 * into pt's arena: tk_nstr_slice without an allocation of its own. */
ia_status tk_pretok_push_slice(tk_pretok *pt, const tk_nstr *ns, size_t nbegin, size_t nend,
                               ia_error *err);
/* An empty string (len 0) with room for cap bytes, borrowed from pt's
 * arena, for a split built byte by byte and then pushed to pt. */
ia_status tk_pretok_new_nstr(tk_pretok *pt, size_t cap, tk_nstr *out, ia_error *err);
void tk_pretok_free(tk_pretok *pt);

/* PreTokenizedString::split: each untokenized split is handed (owned) to fn
 * with its index among the splits, and replaced by what fn pushes to out
 * (with tk_pretok_push); tokenized splits stay as they are. Empty splits are
 * dropped, as the Rust library does. */
typedef ia_status (*tk_split_fn)(void *ctx, size_t index, tk_nstr *str, tk_pretok *out,
                                 ia_error *err);
ia_status tk_pretok_split(tk_pretok *pt, tk_split_fn fn, void *ctx, ia_error *err);

/* NormalizedString::split(pattern, behavior) pushed onto out; ns is
 * consumed (freed). */
ia_status tk_nstr_split(tk_nstr *ns, const tk_pattern *p, tk_split_behavior behavior,
                        tk_pretok *out, ia_error *err);

/* --- byte_level.c: GPT-2's byte alphabet ----------------------------------- */

/* The printable code point standing for byte b (bytes_to_unicode). */
uint32_t tk_byte_level_char(uint8_t b);
/* The byte a code point stands for, or -1 when it is not in the alphabet. */
int tk_byte_level_byte(uint32_t cp);

/* --- normalizers.c, pretokenizers.c ---------------------------------------- */

typedef struct tk_normalizer tk_normalizer;
typedef struct tk_pretokenizer tk_pretokenizer;

/* v is the value at path; JSON null gives *out = NULL (no component). */
ia_status tk_normalizer_parse(const tk_load *ld, const cJSON *v, const char *path,
                              tk_normalizer **out);
ia_status tk_normalizer_apply(const tk_normalizer *n, tk_nstr *ns, ia_error *err);
void tk_normalizer_free(tk_normalizer *n);

ia_status tk_pretokenizer_parse(const tk_load *ld, const cJSON *v, const char *path,
                                tk_pretokenizer **out);
ia_status tk_pretokenizer_apply(const tk_pretokenizer *p, tk_pretok *pt, ia_error *err);
void tk_pretokenizer_free(tk_pretokenizer *p);

/* --- vocab.c: token <-> id --------------------------------------------------- */

typedef struct tk_vocab tk_vocab;

ia_status tk_vocab_create(size_t expected, tk_vocab **out, ia_error *err);
void tk_vocab_free(tk_vocab *v);
/* Adds token (len bytes, copied) with id (>= 0). A token already present
 * keeps its first id and IA_ERR_INVALID is returned (callers decide); id
 * then still maps back to the token if it had none. */
ia_status tk_vocab_add(tk_vocab *v, const char *token, size_t len, int32_t id, ia_error *err);
/* The id of token, or -1. */
int32_t tk_vocab_find(const tk_vocab *v, const char *token, size_t len);
/* The token of id (NUL-terminated, owned by v), or NULL. */
const char *tk_vocab_token(const tk_vocab *v, int32_t id);
size_t tk_vocab_count(const tk_vocab *v);  /* tokens held */
int32_t tk_vocab_max_id(const tk_vocab *v); /* -1 when empty */
size_t tk_vocab_max_len(const tk_vocab *v); /* the longest token's bytes */
/* Calls fn for every (token, id) pair a find would answer. */
void tk_vocab_each(const tk_vocab *v,
                   void (*fn)(void *ctx, const char *token, size_t len, int32_t id), void *ctx);
size_t tk_vocab_bytes(const tk_vocab *v); /* the tokens' total bytes */
/* A tokenizer.json vocabulary object {"token": id, ...} at path (key under
 * obj), as serde reads it into a HashMap: a token listed twice keeps its
 * last id. */
ia_status tk_vocab_parse_object(const tk_load *ld, const cJSON *obj, const char *path,
                                const char *key, tk_vocab **out);

/* --- trie.c: a byte trie over vocabulary entries ----------------------------
 * Node 0 is the root; each node holds a value (an id), or -1. */

typedef struct tk_trie_edge {
    uint64_t key; /* node << 8 | byte; UINT64_MAX: free */
    int32_t child;
} tk_trie_edge;

typedef struct tk_trie {
    int32_t root_child[256];
    tk_trie_edge *edges;
    size_t edge_mask, edge_room;
    int32_t *value; /* by node */
    size_t nodes, nodes_cap;
} tk_trie;

/* An empty trie for entries of total_bytes bytes in all (inserting more
 * fails). */
ia_status tk_trie_init(tk_trie *t, size_t total_bytes, ia_error *err);
void tk_trie_free(tk_trie *t);
/* Adds s[0, len) with value (an entry inserted again takes the new value). */
ia_status tk_trie_insert(tk_trie *t, const char *s, size_t len, int32_t value, ia_error *err);

static inline size_t tk_trie_hash(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDull;
    key ^= key >> 29;
    return (size_t)key;
}

/* The node below node by byte b, or -1. */
static inline int32_t tk_trie_child(const tk_trie *t, int32_t node, unsigned char b)
{
    if (node == 0)
        return t->root_child[b];
    uint64_t key = ((uint64_t)(uint32_t)node << 8) | b;
    for (size_t j = tk_trie_hash(key) & t->edge_mask;; j = (j + 1) & t->edge_mask) {
        if (t->edges[j].key == key)
            return t->edges[j].child;
        if (t->edges[j].key == UINT64_MAX)
            return -1;
    }
}

/* --- models ---------------------------------------------------------------- */

typedef struct tk_model tk_model;

typedef struct tk_model_ops {
    const char *name; /* "BPE", "WordPiece", "Unigram", "WordLevel" */
    /* Tokenizes one pre-token s[0, len) (valid UTF-8, never empty),
     * appending to out with offsets in s. Must be safe to call from many
     * threads at once. */
    ia_status (*tokenize)(const tk_model *m, const char *s, size_t len, tk_tokens *out,
                          ia_error *err);
    void (*free)(tk_model *m);
} tk_model_ops;

struct tk_model {
    const tk_model_ops *ops;
    tk_vocab *vocab; /* the model's vocabulary, owned by the model */
    /* Rust's Unigram names an unk token by the text it covers ("É"), not
     * by its vocabulary entry ("<unk>"): when unk_from_text is true, a
     * token whose id is unk_id takes its string from the split's text
     * [begin, end). False for the other models (their unk tokens are named
     * by the vocabulary). */
    bool unk_from_text;
    int32_t unk_id;
};

ia_status tk_model_parse(const tk_load *ld, const cJSON *v, const char *path, tk_model **out);
void tk_model_free(tk_model *m);
/* The model files' own parsers, which tk_model_parse dispatches to: v is the
 * model object at path (its "type", when present, already checked). */
ia_status tk_bpe_parse(const tk_load *ld, const cJSON *v, const char *path, tk_model **out);
ia_status tk_wordpiece_parse(const tk_load *ld, const cJSON *v, const char *path,
                             tk_model **out);
ia_status tk_unigram_parse(const tk_load *ld, const cJSON *v, const char *path, tk_model **out);
ia_status tk_wordlevel_parse(const tk_load *ld, const cJSON *v, const char *path,
                             tk_model **out);
/* Legacy files: BERT's vocab.txt (WordPiece, "[UNK]", "##", 100) and
 * GPT-2's vocab.json with merges.txt (byte-level BPE, no unk). */
ia_status tk_model_wordpiece_from_vocab_txt(const char *path, tk_model **out, ia_error *err);
ia_status tk_model_bpe_from_files(const char *vocab_json, const char *merges_txt,
                                  tk_model **out, ia_error *err);

/* --- encoding.c ---------------------------------------------------------------
 * ia_encoding is also the pipeline's working form. */

/* An empty encoding with room for cap tokens. */
ia_status tk_encoding_init(ia_encoding *e, size_t cap, ia_error *err);
ia_status tk_encoding_reserve(ia_encoding *e, size_t cap, ia_error *err);
/* Appends one token; its string's length is strlen(token). */
ia_status tk_encoding_push(ia_encoding *e, int32_t id, const char *token, ia_span offset,
                           uint32_t type_id, int32_t word_id, int8_t sequence_id,
                           bool special, ia_error *err);
/* The same with the string's length given (a token may hold U+0000). */
ia_status tk_encoding_push_n(ia_encoding *e, int32_t id, const char *token, size_t token_len,
                             ia_span offset, uint32_t type_id, int32_t word_id,
                             int8_t sequence_id, bool special, ia_error *err);
/* Appends src's tokens (and overflowing ones, pairwise, as Encoding::merge
 * does) to dst. */
ia_status tk_encoding_append(ia_encoding *dst, const ia_encoding *src, ia_error *err);
/* Encoding::truncate: keeps max_len tokens from the direction's end; the rest
 * goes to overflowing windows of max_len with stride tokens of overlap. */
ia_status tk_encoding_truncate(ia_encoding *e, size_t max_len, size_t stride, bool left,
                               ia_error *err);
/* Encoding::pad to target_len. */
ia_status tk_encoding_pad(ia_encoding *e, size_t target_len, int32_t pad_id,
                          uint32_t pad_type_id, const char *pad_token, bool left,
                          ia_error *err);
/* Padding tokens get sequence id -1, as when the Rust Encoding has sequence
 * ranges. Without them (a single text and no post-processor) the Rust library
 * reports 0 for every token, padding included: call this after
 * tk_encoding_pad in that case (sets 0 on tokens with attention 0, in the
 * overflowing ones too). */
void tk_encoding_zero_pad_sequence_ids(ia_encoding *e);

/* --- postprocessors.c, decoders.c --------------------------------------------- */

typedef struct tk_postprocessor tk_postprocessor;
typedef struct tk_decoder tk_decoder;

ia_status tk_postprocessor_parse(const tk_load *ld, const cJSON *v, const char *path,
                                 tk_postprocessor **out);
void tk_postprocessor_free(tk_postprocessor *p);
/* Tokens the processor adds (added_tokens(is_pair)), for truncation. */
size_t tk_postprocessor_added_tokens(const tk_postprocessor *p, bool is_pair);
/* PostProcessor::process: a (and b, or NULL) become *out. p may be NULL:
 * the default processing (sequence ids, then merge). a and b are consumed
 * (freed) whatever the result. */
ia_status tk_postprocessor_process(const tk_postprocessor *p, ia_encoding *a, ia_encoding *b,
                                   bool add_special_tokens, ia_encoding *out, ia_error *err);

ia_status tk_decoder_parse(const tk_load *ld, const cJSON *v, const char *path,
                           tk_decoder **out);
void tk_decoder_free(tk_decoder *d);
/* decode_chain: rewrites tokens in place into the decoded pieces, which the
 * caller concatenates. */
ia_status tk_decoder_decode_chain(const tk_decoder *d, tk_strvec *tokens, ia_error *err);

#endif
