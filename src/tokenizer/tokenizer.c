/*
 * The tokenizer: loading tokenizer.json (or the legacy vocabulary files),
 * the added vocabulary, and the pipeline the Rust library runs for
 * Tokenizer::encode and Tokenizer::decode:
 *
 *   added tokens split out of the raw text (non-normalized ones), the rest
 *   normalized, normalized added tokens split out, pre-tokenization, the
 *   model on each piece, the pieces' tokens mapped back to input offsets,
 *   truncation, post-processing, padding.
 *
 * Added tokens are matched leftmost-longest, as the Rust library's
 * Aho-Corasick automaton does, through a byte trie.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipfs_accelerate/threadpool.h"
#include "tokenizer/tokenizer_internal.h"

/* tokenizer.json files of the largest models are tens of megabytes. */
#define TOKENIZER_FILE_MAX ((size_t)1 << 30)

typedef struct added_token {
    char *content;
    size_t len;
    int32_t id;
    bool single_word, lstrip, rstrip, normalized, special;
} added_token;

/* A byte trie over added-token contents; node 0 is the root. */
typedef struct trie_node {
    int32_t child;   /* first child, -1 none */
    int32_t sibling; /* next sibling, -1 none */
    int32_t token;   /* index in added when a content ends here, else -1 */
    uint8_t byte;
} trie_node;

typedef struct trie {
    trie_node *nodes;
    size_t n, cap;
    bool first_byte[256]; /* bytes some content starts with: a fast skip */
} trie;

/* Token strings that are not any vocabulary entry (an added token matched
 * with the spaces lstrip/rstrip took, a Unigram unknown piece), each kept
 * once, in a hash set, for the tokenizer's life. */
typedef struct interned {
    uint64_t hash;
    size_t len;
    char s[];
} interned;

typedef struct intern_set {
    pthread_mutex_t lock;
    interned **slots; /* open addressing, power-of-two size */
    size_t n, cap;
} intern_set;

struct ia_tokenizer {
    char *origin;
    tk_normalizer *normalizer;
    tk_pretokenizer *pretokenizer;
    tk_model *model;
    tk_postprocessor *postprocessor;
    tk_decoder *decoder;

    added_token *added;
    size_t n_added;
    tk_vocab *added_by_content; /* content -> index in added */
    int32_t *added_by_id;       /* id -> index in added, -1; max_added_id + 1 entries */
    int32_t max_added_id;
    trie raw_trie;              /* tokens with normalized false */
    trie normalized_trie;       /* tokens with normalized true, normalized contents */

    ia_truncation truncation;
    ia_padding padding;
    char *pad_token;

    intern_set interned;
};

/* --- the added-token trie ---------------------------------------------------- */

static ia_status trie_node_new(trie *t, uint8_t byte, int32_t *out, ia_error *err)
{
    ia_status st = tk_grow((void **)&t->nodes, &t->cap, t->n + 1, sizeof *t->nodes, err);
    if (st != IA_OK)
        return st;
    t->nodes[t->n] = (trie_node){.child = -1, .sibling = -1, .token = -1, .byte = byte};
    *out = (int32_t)t->n++;
    return IA_OK;
}

static ia_status trie_init(trie *t, ia_error *err)
{
    memset(t, 0, sizeof *t);
    int32_t root;
    return trie_node_new(t, 0, &root, err);
}

static ia_status trie_add(trie *t, const char *s, size_t len, int32_t token, ia_error *err)
{
    if (len == 0)
        return IA_OK;
    int32_t node = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = (uint8_t)s[i];
        int32_t c = t->nodes[node].child;
        while (c >= 0 && t->nodes[c].byte != b)
            c = t->nodes[c].sibling;
        if (c < 0) {
            ia_status st = trie_node_new(t, b, &c, err);
            if (st != IA_OK)
                return st;
            t->nodes[c].sibling = t->nodes[node].child;
            t->nodes[node].child = c;
        }
        node = c;
    }
    /* The first token with a content wins, as the Rust map keeps one id. */
    if (t->nodes[node].token < 0)
        t->nodes[node].token = token;
    t->first_byte[(uint8_t)s[0]] = true;
    return IA_OK;
}

/* The longest content starting at s[at]; returns its token index or -1. */
static int32_t trie_longest(const trie *t, const char *s, size_t len, size_t at, size_t *end)
{
    int32_t node = 0, best = -1;
    for (size_t i = at; i < len; i++) {
        int32_t c = t->nodes[node].child;
        while (c >= 0 && t->nodes[c].byte != (uint8_t)s[i])
            c = t->nodes[c].sibling;
        if (c < 0)
            break;
        node = c;
        if (t->nodes[node].token >= 0) {
            best = t->nodes[node].token;
            *end = i + 1;
        }
    }
    return best;
}

/* --- splitting out added tokens ------------------------------------------------ */

/* The character before s[at] / at s[at] as a code point (0 when none). */
static uint32_t char_before(const char *s, size_t at)
{
    size_t i = at;
    while (i > 0 && ((uint8_t)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return 0;
    i--;
    uint32_t cp = 0;
    return ia_utf8_decode(s + i, at - i, &cp) > 0 ? cp : 0;
}

static uint32_t char_at(const char *s, size_t len, size_t at)
{
    uint32_t cp = 0;
    return ia_utf8_decode(s + at, len - at, &cp) > 0 ? cp : 0;
}

/* Rust regex's \w: alphabetic, marks, decimal digits, connector punctuation
 * and the joiners. Letter numbers stand in for the rest of Alphabetic. */
static bool is_word_char(uint32_t cp)
{
    if (cp == 0)
        return false;
    if (cp == 0x200C || cp == 0x200D)
        return true;
    ia_ucat c = ia_unicode_category(cp);
    return ia_unicode_is_letter(cp) || ia_unicode_is_mark(cp) || c == IA_UCAT_Nd ||
           c == IA_UCAT_Nl || c == IA_UCAT_Pc;
}

typedef struct extract_ctx {
    const ia_tokenizer *tok;
    const trie *trie;
    bool normalize; /* run the normalizer on each piece first */
} extract_ctx;

/* Pushes str[begin, end) as a split; with token >= 0 it is that added
 * token, already tokenized. */
static ia_status push_piece(const tk_nstr *str, size_t begin, size_t end, int32_t token,
                            tk_pretok *out, ia_error *err)
{
    if (begin == end)
        return IA_OK;
    size_t index = out->n;
    ia_status st = tk_pretok_push_slice(out, str, begin, end, err);
    if (st != IA_OK)
        return st;
    if (token >= 0) {
        tk_split *sp = &out->v[index];
        sp->tokenized = true;
        st = tk_tokens_push(&sp->tokens, token, 0, sp->str.len, err);
    }
    return st;
}

/* AddedVocabulary::split_with_indices over one piece. The token pushed
 * carries the added token's index; the caller maps it to the id. */
static ia_status extract_added(void *vctx, size_t index, tk_nstr *str, tk_pretok *out,
                               ia_error *err)
{
    (void)index;
    const extract_ctx *ctx = vctx;
    const ia_tokenizer *tok = ctx->tok;
    ia_status st = IA_OK;
    if (ctx->normalize && tok->normalizer) {
        st = tk_normalizer_apply(tok->normalizer, str, err);
        if (st != IA_OK) {
            tk_nstr_free(str);
            return st;
        }
    }
    const char *s = str->s;
    size_t len = str->len, start_offset = 0;
    const trie *t = ctx->trie;
    for (size_t i = 0; i < len && st == IA_OK;) {
        size_t stop = 0;
        int32_t k = t->first_byte[(uint8_t)s[i]] ? trie_longest(t, s, len, i, &stop) : -1;
        if (k < 0) {
            i++;
            continue;
        }
        size_t start = i;
        i = stop;
        const added_token *a = &tok->added[k];
        if (a->single_word) {
            bool start_space = start == 0 || !is_word_char(char_before(s, start));
            bool stop_space = stop == len || !is_word_char(char_at(s, len, stop));
            if (!start_space || !stop_space)
                continue;
        }
        if (a->lstrip) {
            size_t ns = start;
            while (ns > 0) {
                size_t p = ns;
                while (p > 0 && ((uint8_t)s[p - 1] & 0xC0) == 0x80)
                    p--;
                if (p == 0)
                    break;
                p--;
                if (!ia_unicode_is_whitespace(char_at(s, len, p)))
                    break;
                ns = p;
            }
            start = ns > start_offset ? ns : start_offset;
        }
        if (a->rstrip) {
            while (stop < len) {
                uint32_t cp = 0;
                int n = ia_utf8_decode(s + stop, len - stop, &cp);
                if (n <= 0 || !ia_unicode_is_whitespace(cp))
                    break;
                stop += (size_t)n;
            }
            i = stop;
        }
        if (start_offset < start)
            st = push_piece(str, start_offset, start, -1, out, err);
        if (st == IA_OK)
            st = push_piece(str, start, stop, k, out, err);
        start_offset = stop;
    }
    if (st == IA_OK && start_offset < len)
        st = push_piece(str, start_offset, len, -1, out, err);
    tk_nstr_free(str);
    return st;
}

/* --- encoding one sequence ------------------------------------------------------ */

static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static const char *intern(const ia_tokenizer *ctok, const char *s, size_t len, ia_error *err)
{
    intern_set *set = &((ia_tokenizer *)ctok)->interned; /* the one mutable part */
    uint64_t h = hash_text(s, len);
    const char *found = NULL;
    pthread_mutex_lock(&set->lock);
    if (set->n * 2 >= set->cap) { /* keep the load under one half */
        size_t cap = set->cap ? set->cap * 2 : 64;
        interned **slots = calloc(cap, sizeof *slots);
        if (slots) {
            for (size_t i = 0; i < set->cap; i++) {
                interned *e = set->slots[i];
                if (!e)
                    continue;
                size_t j = e->hash & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = e;
            }
            free(set->slots);
            set->slots = slots;
            set->cap = cap;
        }
    }
    if (set->n * 2 < set->cap) {
        size_t j = h & (set->cap - 1);
        for (; set->slots[j]; j = (j + 1) & (set->cap - 1)) {
            interned *e = set->slots[j];
            if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
                found = e->s;
                break;
            }
        }
        if (!found) {
            interned *e = malloc(sizeof *e + len + 1);
            if (e) {
                e->hash = h;
                e->len = len;
                memcpy(e->s, s, len);
                e->s[len] = '\0';
                set->slots[j] = e;
                set->n++;
                found = e->s;
            }
        }
    }
    pthread_mutex_unlock(&set->lock);
    if (!found)
        ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory");
    return found;
}

/* PreTokenizedString::into_encoding of the splits [lo, hi): each split's
 * tokens with their input offsets; the word id is the split's index among
 * those kept. */
static ia_status splits_to_encoding(const ia_tokenizer *tok, tk_pretok *pt, size_t lo,
                                    size_t hi, uint32_t type_id, int8_t sequence_id,
                                    ia_encoding *out, ia_error *err)
{
    size_t total = 0;
    for (size_t i = lo; i < hi; i++)
        total += pt->v[i].tokens.n;
    ia_status st = tk_encoding_init(out, total, err);
    for (size_t i = lo; i < hi && st == IA_OK; i++) {
        tk_split *sp = &pt->v[i];
        for (size_t j = 0; j < sp->tokens.n && st == IA_OK; j++) {
            tk_token t = sp->tokens.v[j];
            ia_span off = tk_nstr_to_original(&sp->str, t.begin, t.end);
            const char *text;
            size_t text_len = 0;
            int32_t id = t.id;
            if (sp->tokenized) {
                /* An added token: its one token holds the index in added. */
                const added_token *a = &tok->added[t.id];
                id = a->id;
                text_len = sp->str.len;
                if (sp->str.len == a->len && memcmp(sp->str.s, a->content, a->len) == 0)
                    text = a->content;
                else
                    text = intern(tok, sp->str.s, sp->str.len, err);
            } else if (tok->model->unk_from_text && t.id == tok->model->unk_id) {
                /* Unigram names an unknown piece by its text, not "<unk>":
                 * text of the input, which may hold U+0000. */
                text_len = t.end - t.begin;
                text = intern(tok, sp->str.s + t.begin, text_len, err);
            } else {
                text = tk_vocab_token(tok->model->vocab, t.id);
                text_len = text ? strlen(text) : 0;
            }
            if (!text && err && err->status == IA_ERR_NOMEM)
                return IA_ERR_NOMEM; /* intern said so in err */
            if (!text)
                return ia_error_set(err, IA_ERR_INTERNAL,
                                    "%s: the model produced id %d, which has no token",
                                    tok->origin, t.id);
            st = tk_encoding_push_n(out, id, text, text_len, off, type_id, (int32_t)(i - lo),
                                    sequence_id, false, err);
        }
    }
    return st;
}

static ia_status encode_sequence(const ia_tokenizer *tok, const char *text, size_t len,
                                 uint32_t type_id, ia_encoding *out, ia_error *err)
{
    size_t bad = 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)text[i] < 0x80) { /* ASCII runs need no decoding */
            i++;
            continue;
        }
        uint32_t cp;
        int n = ia_utf8_decode(text + i, len - i, &cp);
        if (n <= 0) {
            bad = i + 1;
            break;
        }
        i += (size_t)n;
    }
    if (bad)
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: the %s is not valid UTF-8 (bad byte 0x%02X at offset %zu)",
                            type_id ? "pair text" : "text", (uint8_t)text[bad - 1], bad - 1);

    tk_pretok pt = {0};
    tk_nstr whole = {0};
    ia_status st = tk_nstr_init(&whole, text, 0, len, err);
    if (st == IA_OK)
        st = tk_pretok_push(&pt, &whole, err);
    tk_nstr_free(&whole);

    /* Added tokens come out as splits whose one token holds the index in
     * tok->added (mapped to the id in splits_to_encoding). */
    extract_ctx raw = {tok, &tok->raw_trie, false};
    extract_ctx normalized = {tok, &tok->normalized_trie, true};
    if (st == IA_OK)
        st = tk_pretok_split(&pt, extract_added, &raw, err);
    if (st == IA_OK)
        st = tk_pretok_split(&pt, extract_added, &normalized, err);
    if (st == IA_OK && tok->pretokenizer)
        st = tk_pretokenizer_apply(tok->pretokenizer, &pt, err);
    /* With truncation on, the Rust library (0.23) tokenizes the splits only
     * until max_length tokens are reached (from the end when truncating on
     * the left) and drops the splits past that point; the truncation
     * proper, with its stride and overflowing windows, then runs on what is
     * left. Added tokens count, but the check only follows a split the
     * model tokenized, so with max_length 0 the first such split is kept.
     * Under only_second the text is not cut this way, the pair always is
     * (so only_first can refuse a pair it would not have to cut). Word ids
     * count the kept splits. */
    const ia_truncation *t = &tok->truncation;
    bool cut = t->enabled && !(t->strategy == IA_TRUNCATE_ONLY_SECOND && type_id == 0);
    size_t lo = 0, hi = pt.n, count = 0;
    for (size_t k = 0; k < pt.n && st == IA_OK; k++) {
        size_t i = cut && t->left ? pt.n - 1 - k : k;
        tk_split *sp = &pt.v[i];
        if (sp->tokenized) { /* an added token's one token */
            count += sp->tokens.n;
            continue;
        }
        st = tok->model->ops->tokenize(tok->model, sp->str.s, sp->str.len, &sp->tokens, err);
        count += sp->tokens.n;
        if (st == IA_OK && cut && count >= t->max_length) {
            if (t->left)
                lo = i;
            else
                hi = i + 1;
            break;
        }
    }
    if (st == IA_OK)
        st = splits_to_encoding(tok, &pt, lo, hi, type_id, (int8_t)type_id, out, err);
    tk_pretok_free(&pt);
    if (st != IA_OK)
        ia_encoding_free(out);
    return st;
}

/* --- truncation, post-processing, padding ------------------------------------------ */

static ia_status truncate_pair(const ia_tokenizer *tok, ia_encoding *a, ia_encoding *b,
                               bool add_special, ia_error *err)
{
    const ia_truncation *t = &tok->truncation;
    if (!t->enabled)
        return IA_OK;
    size_t max_len = t->max_length;
    size_t added = tok->postprocessor ? tk_postprocessor_added_tokens(tok->postprocessor, b)
                                      : 0;
    if (add_special && added > 0) {
        /* The Rust library subtracts without a check: below the added count
         * the length wraps around to one that truncates nothing. */
        if (added > max_len)
            return IA_OK;
        max_len -= added;
    }
    if (max_len == 0) {
        ia_status st = tk_encoding_truncate(a, 0, t->stride, t->left, err);
        if (st == IA_OK && b)
            st = tk_encoding_truncate(b, 0, t->stride, t->left, err);
        return st;
    }
    size_t total = a->n + (b ? b->n : 0);
    if (total <= max_len)
        return IA_OK;
    size_t to_remove = total - max_len;
    if (t->strategy == IA_TRUNCATE_LONGEST_FIRST) {
        if (!b)
            return tk_encoding_truncate(a, total - to_remove, t->stride, t->left, err);
        size_t n1 = a->n, n2 = b->n;
        bool swap = n1 > n2;
        if (swap) {
            size_t x = n1;
            n1 = n2;
            n2 = x;
        }
        n2 = n1 > max_len ? n1 : (n1 > max_len - n1 ? n1 : max_len - n1);
        if (n1 + n2 > max_len) {
            n1 = max_len / 2;
            n2 = n1 + max_len % 2;
        }
        if (swap) {
            size_t x = n1;
            n1 = n2;
            n2 = x;
        }
        ia_status st = tk_encoding_truncate(a, n1, t->stride, t->left, err);
        return st == IA_OK ? tk_encoding_truncate(b, n2, t->stride, t->left, err) : st;
    }
    ia_encoding *target = t->strategy == IA_TRUNCATE_ONLY_FIRST ? a : b;
    if (!target)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s: truncation only_second needs a pair, and none was given",
                            tok->origin);
    if (target->n <= to_remove)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s: the sequence to truncate (%zu tokens) is too short to reach "
                            "max_length %zu",
                            tok->origin, target->n, t->max_length);
    return tk_encoding_truncate(target, target->n - to_remove, t->stride, t->left, err);
}

static size_t padded_length(const ia_padding *p, size_t longest)
{
    size_t len = p->to_longest ? longest : p->length;
    if (p->multiple_of > 0 && len % p->multiple_of)
        len += p->multiple_of - len % p->multiple_of;
    return len;
}

/* The overflowing windows of a pair encoded without a post-processor: in
 * the Rust library most of them hold no sequence range for sequence 0, and
 * get_sequence_ids() then says 0 for every token, padding included; those
 * are the windows none of whose tokens (padding aside) reads -1: one that
 * holds range 0 has tokens of the pair outside it. Run after padding: the
 * padding of the others then reads 0 as well. */
static void zero_pad_unranged_windows(ia_encoding *e)
{
    for (size_t w = 0; w < e->n_overflowing; w++) {
        ia_encoding *o = &e->overflowing[w];
        bool ranged = false;
        for (size_t i = 0; i < o->n && !ranged; i++)
            ranged = o->attention_mask[i] && o->sequence_ids[i] < 0;
        if (!ranged)
            for (size_t i = 0; i < o->n; i++)
                if (!o->attention_mask[i])
                    o->sequence_ids[i] = 0;
        zero_pad_unranged_windows(o);
    }
}

static ia_status pad_one(const ia_tokenizer *tok, ia_encoding *e, size_t len, bool is_pair,
                         ia_error *err)
{
    const ia_padding *p = &tok->padding;
    ia_status st = tk_encoding_pad(e, len, p->pad_id, p->pad_type_id, tok->pad_token, p->left,
                                   err);
    /* A lone text without a post-processor has no sequence ranges in the
     * Rust encoding, so its padding, too, reports sequence 0. */
    if (st == IA_OK && !tok->postprocessor && !is_pair)
        tk_encoding_zero_pad_sequence_ids(e);
    else if (st == IA_OK && !tok->postprocessor)
        zero_pad_unranged_windows(e);
    return st;
}

/* Encode without padding: what encode and encode_batch share. */
static ia_status encode_unpadded(const ia_tokenizer *tok, const char *text, size_t len,
                                 const char *pair, size_t pair_len, bool add_special,
                                 ia_encoding *out, ia_error *err)
{
    memset(out, 0, sizeof *out);
    ia_encoding a = {0}, b = {0};
    ia_status st = encode_sequence(tok, text, len, 0, &a, err);
    if (st == IA_OK && pair)
        st = encode_sequence(tok, pair, pair_len, 1, &b, err);
    if (st == IA_OK)
        st = truncate_pair(tok, &a, pair ? &b : NULL, add_special, err);
    if (st != IA_OK) {
        ia_encoding_free(&a);
        ia_encoding_free(&b);
        return st;
    }
    return tk_postprocessor_process(tok->postprocessor, &a, pair ? &b : NULL, add_special, out,
                                    err);
}

ia_status ia_tokenizer_encode(const ia_tokenizer *tok, const char *text, size_t len,
                              const char *pair, size_t pair_len, bool add_special_tokens,
                              ia_encoding *out, ia_error *err)
{
    ia_status st = encode_unpadded(tok, text, len, pair, pair_len, add_special_tokens, out, err);
    if (st == IA_OK && tok->padding.enabled) {
        st = pad_one(tok, out, padded_length(&tok->padding, out->n), pair != NULL, err);
        if (st != IA_OK)
            ia_encoding_free(out);
    }
    return st;
}

typedef struct batch_job {
    const ia_tokenizer *tok;
    const char *const *texts;
    const size_t *lens;
    const char *const *pairs;
    const size_t *pair_lens;
    bool add_special;
    ia_encoding *out;
    ia_status *status;
    ia_error *errors;
} batch_job;

static void batch_run(void *vjob, int64_t begin, int64_t end, int thread)
{
    (void)thread;
    batch_job *job = vjob;
    for (int64_t i = begin; i < end; i++) {
        const char *pair = job->pairs ? job->pairs[i] : NULL;
        size_t pair_len = pair ? job->pair_lens[i] : 0;
        job->status[i] = encode_unpadded(job->tok, job->texts[i], job->lens[i], pair, pair_len,
                                         job->add_special, &job->out[i], &job->errors[i]);
    }
}

ia_status ia_tokenizer_encode_batch(const ia_tokenizer *tok, size_t n, const char *const *texts,
                                    const size_t *lens, const char *const *pairs,
                                    const size_t *pair_lens, bool add_special_tokens,
                                    unsigned threads, ia_encoding *out, ia_error *err)
{
    if (n == 0)
        return IA_OK;
    ia_status *status = calloc(n, sizeof *status);
    ia_error *errors = calloc(n, sizeof *errors);
    if (!status || !errors) {
        free(status);
        free(errors);
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a batch of %zu", n);
    }
    batch_job job = {tok, texts, lens, pairs, pair_lens, add_special_tokens, out, status, errors};
    ia_threadpool *own = NULL;
    ia_threadpool *pool = NULL;
    if (threads == 0) {
        pool = ia_threadpool_global();
    } else if (threads > 1) {
        own = ia_threadpool_create((int)threads, err);
        if (!own) {
            free(status);
            free(errors);
            return err ? err->status : IA_ERR_INTERNAL;
        }
        pool = own;
    }
    if (pool)
        ia_threadpool_parallel_for(pool, (int64_t)n, 1, batch_run, &job);
    else
        batch_run(&job, 0, (int64_t)n, 0);
    ia_threadpool_free(own);

    ia_status st = IA_OK;
    for (size_t i = 0; i < n && st == IA_OK; i++)
        if (status[i] != IA_OK) {
            st = ia_error_set(err, status[i], "text %zu of the batch: %s", i,
                              errors[i].message);
        }
    if (st == IA_OK && tok->padding.enabled) {
        size_t longest = 0;
        for (size_t i = 0; i < n; i++)
            longest = out[i].n > longest ? out[i].n : longest;
        size_t target = padded_length(&tok->padding, longest);
        for (size_t i = 0; i < n && st == IA_OK; i++)
            st = pad_one(tok, &out[i], target, pairs && pairs[i], err);
    }
    if (st != IA_OK)
        for (size_t i = 0; i < n; i++)
            if (status[i] == IA_OK)
                ia_encoding_free(&out[i]);
    free(status);
    free(errors);
    return st;
}

/* --- decoding --------------------------------------------------------------------- */

static const added_token *added_of_id(const ia_tokenizer *tok, int32_t id)
{
    if (id < 0 || id > tok->max_added_id)
        return NULL;
    int32_t k = tok->added_by_id[id];
    return k >= 0 ? &tok->added[k] : NULL;
}

const char *ia_tokenizer_id_to_token(const ia_tokenizer *tok, int32_t id)
{
    const added_token *a = added_of_id(tok, id);
    return a ? a->content : tk_vocab_token(tok->model->vocab, id);
}

int32_t ia_tokenizer_token_to_id(const ia_tokenizer *tok, const char *token)
{
    size_t len = strlen(token);
    int32_t k = tk_vocab_find(tok->added_by_content, token, len);
    if (k >= 0)
        return tok->added[k].id;
    return tk_vocab_find(tok->model->vocab, token, len);
}

size_t ia_tokenizer_vocab_size(const ia_tokenizer *tok)
{
    /* get_vocab(true).len(): the model's tokens plus the added ones it lacks. */
    size_t n = tk_vocab_count(tok->model->vocab);
    for (size_t i = 0; i < tok->n_added; i++)
        if (tk_vocab_find(tok->model->vocab, tok->added[i].content, tok->added[i].len) < 0)
            n++;
    return n;
}

static bool is_special_content(const ia_tokenizer *tok, const char *s, size_t len)
{
    int32_t k = tk_vocab_find(tok->added_by_content, s, len);
    return k >= 0 && tok->added[k].special;
}

ia_status ia_tokenizer_decode(const ia_tokenizer *tok, const int32_t *ids, size_t n,
                              bool skip_special_tokens, char **out, size_t *out_len,
                              ia_error *err)
{
    *out = NULL;
    tk_strvec tokens = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < n && st == IA_OK; i++) {
        const char *t = ia_tokenizer_id_to_token(tok, ids[i]);
        if (!t)
            continue; /* as the Rust library: unknown ids are dropped */
        size_t len = strlen(t);
        if (skip_special_tokens && is_special_content(tok, t, len))
            continue;
        st = tk_strvec_push(&tokens, t, len, err);
    }
    if (st == IA_OK && tok->decoder)
        st = tk_decoder_decode_chain(tok->decoder, &tokens, err);
    size_t total = 0;
    for (size_t i = 0; i < tokens.n; i++)
        total += tokens.len[i] + 1;
    char *s = st == IA_OK ? malloc(total + 1) : NULL;
    if (st == IA_OK && !s)
        st = ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory decoding %zu ids", n);
    if (st == IA_OK) {
        size_t k = 0;
        for (size_t i = 0; i < tokens.n; i++) {
            if (!tok->decoder && i > 0)
                s[k++] = ' ';
            memcpy(s + k, tokens.s[i], tokens.len[i]);
            k += tokens.len[i];
        }
        s[k] = '\0';
        *out = s;
        if (out_len)
            *out_len = k;
    }
    tk_strvec_free(&tokens);
    return st;
}

/* --- settings ------------------------------------------------------------------------ */

void ia_tokenizer_get_truncation(const ia_tokenizer *tok, ia_truncation *out)
{
    *out = tok->truncation;
}

ia_status ia_tokenizer_set_truncation(ia_tokenizer *tok, const ia_truncation *t, ia_error *err)
{
    if (t->enabled && t->stride >= t->max_length && t->max_length > 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "tokenizer: truncation stride (%zu) must be less than max_length "
                            "(%zu)",
                            t->stride, t->max_length);
    tok->truncation = *t;
    return IA_OK;
}

void ia_tokenizer_get_padding(const ia_tokenizer *tok, ia_padding *out)
{
    *out = tok->padding;
    out->pad_token = tok->pad_token;
}

ia_status ia_tokenizer_set_padding(ia_tokenizer *tok, const ia_padding *p, ia_error *err)
{
    char *token = strdup(p->pad_token ? p->pad_token : "[PAD]");
    if (!token)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory");
    free(tok->pad_token);
    tok->pad_token = token;
    tok->padding = *p;
    tok->padding.pad_token = token;
    return IA_OK;
}

/* --- loading -------------------------------------------------------------------------- */

void ia_tokenizer_free(ia_tokenizer *tok)
{
    if (!tok)
        return;
    tk_normalizer_free(tok->normalizer);
    tk_pretokenizer_free(tok->pretokenizer);
    tk_model_free(tok->model);
    tk_postprocessor_free(tok->postprocessor);
    tk_decoder_free(tok->decoder);
    for (size_t i = 0; i < tok->n_added; i++)
        free(tok->added[i].content);
    free(tok->added);
    tk_vocab_free(tok->added_by_content);
    free(tok->added_by_id);
    free(tok->raw_trie.nodes);
    free(tok->normalized_trie.nodes);
    free(tok->pad_token);
    for (size_t i = 0; i < tok->interned.cap; i++)
        free(tok->interned.slots[i]);
    free(tok->interned.slots);
    pthread_mutex_destroy(&tok->interned.lock);
    free(tok->origin);
    free(tok);
}

static ia_tokenizer *tokenizer_new(const char *origin, ia_error *err)
{
    ia_tokenizer *tok = calloc(1, sizeof *tok);
    if (tok)
        tok->origin = strdup(origin);
    if (!tok || !tok->origin) {
        free(tok);
        ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", origin);
        return NULL;
    }
    pthread_mutex_init(&tok->interned.lock, NULL);
    tok->max_added_id = -1;
    tok->padding.pad_token = NULL;
    return tok;
}

static ia_status add_token(ia_tokenizer *tok, const char *content, int32_t id, bool special,
                           bool single_word, bool lstrip, bool rstrip, bool normalized,
                           ia_error *err)
{
    size_t cap = tok->n_added;
    ia_status st = tk_grow((void **)&tok->added, &cap, tok->n_added + 1, sizeof *tok->added,
                           err);
    if (st != IA_OK)
        return st;
    char *copy = strdup(content);
    if (!copy)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", tok->origin);
    tok->added[tok->n_added++] = (added_token){copy,   strlen(copy), id,     single_word,
                                               lstrip, rstrip,       normalized, special};
    return IA_OK;
}

/* After the added tokens are read: the lookup maps and the two tries. */
static ia_status index_added_tokens(ia_tokenizer *tok, ia_error *err)
{
    ia_status st = tk_vocab_create(tok->n_added + 1, &tok->added_by_content, err);
    for (size_t i = 0; i < tok->n_added && st == IA_OK; i++) {
        added_token *a = &tok->added[i];
        if (a->id > tok->max_added_id)
            tok->max_added_id = a->id;
        /* A repeated content keeps its first entry. */
        ia_error ignored;
        (void)tk_vocab_add(tok->added_by_content, a->content, a->len, (int32_t)i, &ignored);
    }
    if (st != IA_OK)
        return st;
    tok->added_by_id = malloc(((size_t)tok->max_added_id + 1) * sizeof *tok->added_by_id + 1);
    if (!tok->added_by_id)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", tok->origin);
    for (int32_t i = 0; i <= tok->max_added_id; i++)
        tok->added_by_id[i] = -1;
    for (size_t i = 0; i < tok->n_added; i++)
        tok->added_by_id[tok->added[i].id] = (int32_t)i;

    st = trie_init(&tok->raw_trie, err);
    if (st == IA_OK)
        st = trie_init(&tok->normalized_trie, err);
    /* Special tokens are matched before the others, as the Rust library
     * chains them first. */
    for (int pass = 0; pass < 2 && st == IA_OK; pass++) {
        for (size_t i = 0; i < tok->n_added && st == IA_OK; i++) {
            added_token *a = &tok->added[i];
            if (a->special != (pass == 0))
                continue;
            if (!a->normalized) {
                st = trie_add(&tok->raw_trie, a->content, a->len, (int32_t)i, err);
                continue;
            }
            tk_nstr ns = {0};
            st = tk_nstr_init(&ns, a->content, 0, a->len, err);
            if (st == IA_OK && tok->normalizer)
                st = tk_normalizer_apply(tok->normalizer, &ns, err);
            if (st == IA_OK)
                st = trie_add(&tok->normalized_trie, ns.s, ns.len, (int32_t)i, err);
            tk_nstr_free(&ns);
        }
    }
    return st;
}

static ia_status parse_added_tokens(ia_tokenizer *tok, const tk_load *ld, const cJSON *root)
{
    const cJSON *arr;
    ia_status st = tk_json_array(ld, root, "", "added_tokens", false, &arr);
    if (st != IA_OK || !arr)
        return st;
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        char path[TK_PATH_MAX];
        tk_path_index(path, "added_tokens", i++);
        const char *content;
        int64_t id;
        bool special, single_word, lstrip, rstrip, normalized;
        st = tk_json_int(ld, item, path, "id", true, 0, 0, INT32_MAX, &id);
        if (st == IA_OK)
            st = tk_json_string(ld, item, path, "content", true, NULL, &content);
        if (st == IA_OK)
            st = tk_json_bool(ld, item, path, "special", false, false, &special);
        if (st == IA_OK)
            st = tk_json_bool(ld, item, path, "single_word", false, false, &single_word);
        if (st == IA_OK)
            st = tk_json_bool(ld, item, path, "lstrip", false, false, &lstrip);
        if (st == IA_OK)
            st = tk_json_bool(ld, item, path, "rstrip", false, false, &rstrip);
        if (st == IA_OK)
            st = tk_json_bool(ld, item, path, "normalized", false, !special, &normalized);
        if (st != IA_OK)
            return st;
        if (!*content)
            continue; /* the Rust library ignores empty tokens */
        if ((size_t)id > (size_t)4 * (tk_vocab_max_id(tok->model->vocab) + 1) + (1u << 20))
            return tk_json_fail(ld, IA_ERR_INVALID, path,
                                "id %lld is far beyond the vocabulary (a corrupt file?)",
                                (long long)id);
        st = add_token(tok, content, (int32_t)id, special, single_word, lstrip, rstrip,
                       normalized, ld->err);
        if (st != IA_OK)
            return st;
    }
    return IA_OK;
}

static ia_status parse_truncation(ia_tokenizer *tok, const tk_load *ld, const cJSON *root)
{
    const cJSON *t;
    ia_status st = tk_json_object(ld, root, "", "truncation", false, &t);
    if (st != IA_OK || !t)
        return st;
    int64_t max_len, stride;
    const char *strategy, *direction;
    st = tk_json_int(ld, t, "truncation", "max_length", true, 0, 0, INT32_MAX, &max_len);
    if (st == IA_OK)
        st = tk_json_int(ld, t, "truncation", "stride", false, 0, 0, INT32_MAX, &stride);
    if (st == IA_OK)
        st = tk_json_string(ld, t, "truncation", "strategy", false, "LongestFirst", &strategy);
    if (st == IA_OK)
        st = tk_json_string(ld, t, "truncation", "direction", false, "Right", &direction);
    if (st != IA_OK)
        return st;
    ia_truncation tr = {.enabled = true, .max_length = (size_t)max_len, .stride = (size_t)stride};
    if (!strcmp(strategy, "LongestFirst"))
        tr.strategy = IA_TRUNCATE_LONGEST_FIRST;
    else if (!strcmp(strategy, "OnlyFirst"))
        tr.strategy = IA_TRUNCATE_ONLY_FIRST;
    else if (!strcmp(strategy, "OnlySecond"))
        tr.strategy = IA_TRUNCATE_ONLY_SECOND;
    else
        return tk_json_fail(ld, IA_ERR_PARSE, "truncation.strategy",
                            "unknown strategy '%s' (LongestFirst, OnlyFirst, OnlySecond)",
                            strategy);
    if (!strcmp(direction, "Left"))
        tr.left = true;
    else if (strcmp(direction, "Right"))
        return tk_json_fail(ld, IA_ERR_PARSE, "truncation.direction",
                            "unknown direction '%s' (Left, Right)", direction);
    return ia_tokenizer_set_truncation(tok, &tr, ld->err);
}

static ia_status parse_padding(ia_tokenizer *tok, const tk_load *ld, const cJSON *root)
{
    const cJSON *p;
    ia_status st = tk_json_object(ld, root, "", "padding", false, &p);
    if (st != IA_OK || !p)
        return st;
    ia_padding pad = {.enabled = true, .to_longest = true};
    const cJSON *strategy = cJSON_GetObjectItemCaseSensitive(p, "strategy");
    if (cJSON_IsObject(strategy)) {
        int64_t fixed;
        st = tk_json_int(ld, strategy, "padding.strategy", "Fixed", true, 0, 0, INT32_MAX,
                         &fixed);
        if (st != IA_OK)
            return st;
        pad.to_longest = false;
        pad.length = (size_t)fixed;
    } else if (strategy && !cJSON_IsNull(strategy) &&
               !(cJSON_IsString(strategy) && !strcmp(strategy->valuestring, "BatchLongest"))) {
        return tk_json_fail(ld, IA_ERR_PARSE, "padding.strategy",
                            "expected \"BatchLongest\" or {\"Fixed\": N}, found %s",
                            tk_json_kind(strategy));
    }
    const char *direction, *pad_token;
    int64_t multiple, pad_id, pad_type_id;
    st = tk_json_string(ld, p, "padding", "direction", false, "Right", &direction);
    if (st == IA_OK)
        st = tk_json_int(ld, p, "padding", "pad_to_multiple_of", false, 0, 0, INT32_MAX,
                         &multiple);
    if (st == IA_OK)
        st = tk_json_int(ld, p, "padding", "pad_id", false, 0, 0, INT32_MAX, &pad_id);
    if (st == IA_OK)
        st = tk_json_int(ld, p, "padding", "pad_type_id", false, 0, 0, UINT32_MAX, &pad_type_id);
    if (st == IA_OK)
        st = tk_json_string(ld, p, "padding", "pad_token", false, "[PAD]", &pad_token);
    if (st != IA_OK)
        return st;
    if (!strcmp(direction, "Left"))
        pad.left = true;
    else if (strcmp(direction, "Right"))
        return tk_json_fail(ld, IA_ERR_PARSE, "padding.direction",
                            "unknown direction '%s' (Left, Right)", direction);
    pad.multiple_of = (size_t)multiple;
    pad.pad_id = (int32_t)pad_id;
    pad.pad_type_id = (uint32_t)pad_type_id;
    pad.pad_token = pad_token;
    return ia_tokenizer_set_padding(tok, &pad, ld->err);
}

/* The components of a parsed tokenizer.json document. */
static ia_status load_document(ia_tokenizer *tok, const tk_load *ld, const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return tk_json_fail(ld, IA_ERR_PARSE, "", "expected a JSON object at the top, found %s",
                            tk_json_kind(root));
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(root, "model");
    if (!model || cJSON_IsNull(model))
        return tk_json_fail(ld, IA_ERR_PARSE, "", "missing 'model'");
    ia_status st = tk_model_parse(ld, model, "model", &tok->model);
    if (st == IA_OK)
        st = tk_normalizer_parse(ld, cJSON_GetObjectItemCaseSensitive(root, "normalizer"),
                                 "normalizer", &tok->normalizer);
    if (st == IA_OK)
        st = tk_pretokenizer_parse(ld, cJSON_GetObjectItemCaseSensitive(root, "pre_tokenizer"),
                                   "pre_tokenizer", &tok->pretokenizer);
    if (st == IA_OK)
        st = tk_postprocessor_parse(ld,
                                    cJSON_GetObjectItemCaseSensitive(root, "post_processor"),
                                    "post_processor", &tok->postprocessor);
    if (st == IA_OK)
        st = tk_decoder_parse(ld, cJSON_GetObjectItemCaseSensitive(root, "decoder"), "decoder",
                              &tok->decoder);
    if (st == IA_OK)
        st = parse_added_tokens(tok, ld, root);
    if (st == IA_OK)
        st = parse_truncation(tok, ld, root);
    if (st == IA_OK)
        st = parse_padding(tok, ld, root);
    if (st == IA_OK)
        st = index_added_tokens(tok, ld->err);
    return st;
}

ia_status ia_tokenizer_load_json(const char *json, size_t len, const char *origin,
                                 ia_tokenizer **out, ia_error *err)
{
    *out = NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root) {
        size_t at = end && end >= json ? (size_t)(end - json) : 0;
        size_t line = 1;
        for (size_t i = 0; i < at && i < len; i++)
            line += json[i] == '\n';
        return ia_error_set(err, IA_ERR_PARSE, "%s: not valid JSON (near byte %zu, line %zu)",
                            origin, at, line);
    }
    ia_tokenizer *tok = tokenizer_new(origin, err);
    ia_status st = tok ? IA_OK : IA_ERR_NOMEM;
    tk_load ld = {origin, err};
    if (st == IA_OK)
        st = load_document(tok, &ld, root);
    cJSON_Delete(root);
    if (st != IA_OK) {
        ia_tokenizer_free(tok);
        return st;
    }
    *out = tok;
    return IA_OK;
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static ia_status load_file(const char *path, ia_tokenizer **out, ia_error *err)
{
    char *data = NULL;
    size_t len = 0;
    ia_status st = ia_file_read_all(path, TOKENIZER_FILE_MAX, &data, &len, err);
    if (st != IA_OK)
        return st;
    st = ia_tokenizer_load_json(data, len, path, out, err);
    free(data);
    return st;
}

/* The components the Hugging Face converters give the legacy files, as
 * tokenizer.json fragments parsed by the same code. */
static ia_status parse_fragment(ia_tokenizer *tok, const char *origin, const char *json,
                                ia_error *err)
{
    cJSON *root = cJSON_Parse(json);
    if (!root)
        return ia_error_set(err, IA_ERR_INTERNAL, "%s: bad built-in fragment", origin);
    tk_load ld = {origin, err};
    ia_status st = tk_normalizer_parse(&ld, cJSON_GetObjectItemCaseSensitive(root, "normalizer"),
                                       "normalizer", &tok->normalizer);
    if (st == IA_OK)
        st = tk_pretokenizer_parse(&ld, cJSON_GetObjectItemCaseSensitive(root, "pre_tokenizer"),
                                   "pre_tokenizer", &tok->pretokenizer);
    if (st == IA_OK)
        st = tk_postprocessor_parse(
            &ld, cJSON_GetObjectItemCaseSensitive(root, "post_processor"), "post_processor",
            &tok->postprocessor);
    if (st == IA_OK)
        st = tk_decoder_parse(&ld, cJSON_GetObjectItemCaseSensitive(root, "decoder"), "decoder",
                              &tok->decoder);
    cJSON_Delete(root);
    return st;
}

/* do_lower_case from tokenizer_config.json beside vocab.txt (default true,
 * as BertTokenizer's). */
static bool bert_lowercase(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tokenizer_config.json", dir);
    char *data = NULL;
    if (ia_file_read_all(path, 1 << 20, &data, NULL, NULL) != IA_OK)
        return true;
    cJSON *root = cJSON_Parse(data);
    free(data);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "do_lower_case");
    bool lower = cJSON_IsBool(v) ? cJSON_IsTrue(v) : true;
    cJSON_Delete(root);
    return lower;
}

static ia_status load_wordpiece_dir(const char *dir, const char *vocab, ia_tokenizer **out,
                                    ia_error *err)
{
    ia_tokenizer *tok = tokenizer_new(vocab, err);
    if (!tok)
        return IA_ERR_NOMEM;
    ia_status st = tk_model_wordpiece_from_vocab_txt(vocab, &tok->model, err);
    static const char *const specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    int32_t cls = -1, sep = -1;
    for (size_t i = 0; i < 5 && st == IA_OK; i++) {
        int32_t id = tk_vocab_find(tok->model->vocab, specials[i], strlen(specials[i]));
        if (id < 0)
            continue;
        cls = i == 2 ? id : cls;
        sep = i == 3 ? id : sep;
        st = add_token(tok, specials[i], id, true, false, false, false, false, err);
    }
    if (st == IA_OK && (cls < 0 || sep < 0))
        st = ia_error_set(err, IA_ERR_PARSE, "%s: has no [CLS] or no [SEP] token", vocab);
    if (st == IA_OK) {
        char json[1024];
        bool lower = bert_lowercase(dir);
        snprintf(json, sizeof json,
                 "{\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,"
                 "\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":%s},"
                 "\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                 "\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",%d],"
                 "\"cls\":[\"[CLS]\",%d]},"
                 "\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}}",
                 lower ? "true" : "false", sep, cls);
        st = parse_fragment(tok, vocab, json, err);
    }
    if (st == IA_OK)
        st = index_added_tokens(tok, err);
    if (st != IA_OK) {
        ia_tokenizer_free(tok);
        return st;
    }
    *out = tok;
    return IA_OK;
}

static ia_status load_bpe_dir(const char *vocab, const char *merges, ia_tokenizer **out,
                              ia_error *err)
{
    ia_tokenizer *tok = tokenizer_new(vocab, err);
    if (!tok)
        return IA_ERR_NOMEM;
    ia_status st = tk_model_bpe_from_files(vocab, merges, &tok->model, err);
    if (st == IA_OK) {
        const char *eot = "<|endoftext|>";
        int32_t id = tk_vocab_find(tok->model->vocab, eot, strlen(eot));
        if (id >= 0)
            st = add_token(tok, eot, id, true, false, false, false, false, err);
    }
    if (st == IA_OK)
        st = parse_fragment(tok, vocab,
                            "{\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
                            "\"trim_offsets\":true,\"use_regex\":true},"
                            "\"post_processor\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
                            "\"trim_offsets\":false,\"use_regex\":true},"
                            "\"decoder\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
                            "\"trim_offsets\":true,\"use_regex\":true}}",
                            err);
    if (st == IA_OK)
        st = index_added_tokens(tok, err);
    if (st != IA_OK) {
        ia_tokenizer_free(tok);
        return st;
    }
    *out = tok;
    return IA_OK;
}

ia_status ia_tokenizer_load(const char *path, ia_tokenizer **out, ia_error *err)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ia_error_set(err, IA_ERR_IO, "%s: no such file or folder", path);
    if (!S_ISDIR(sb.st_mode))
        return load_file(path, out, err);

    char file[4096], other[4096];
    snprintf(file, sizeof file, "%s/tokenizer.json", path);
    if (is_file(file))
        return load_file(file, out, err);
    snprintf(file, sizeof file, "%s/vocab.txt", path);
    if (is_file(file))
        return load_wordpiece_dir(path, file, out, err);
    snprintf(file, sizeof file, "%s/vocab.json", path);
    snprintf(other, sizeof other, "%s/merges.txt", path);
    if (is_file(file) && is_file(other))
        return load_bpe_dir(file, other, out, err);
    return ia_error_set(err, IA_ERR_NOT_FOUND,
                        "%s: no tokenizer.json, vocab.txt, or vocab.json with merges.txt in this "
                        "folder",
                        path);
}
