/* The BPE model, as the Rust library's models/bpe (model.rs, word.rs):
 * a word starts as one symbol per character (with the continuing-subword
 * prefix on all but the first and the end-of-word suffix on the last), then
 * the lowest-ranked applicable merge is applied, leftmost first, until none
 * applies. A min-heap ordered by (rank, position) with lazy invalidation
 * makes that O(n log n) per word; since (rank, position) orders the heap's
 * entries totally, any correct heap pops them in the same order as Rust's,
 * so results, ties included, are the same.
 *
 * Words of under 256 bytes go through a word -> tokens cache, as Rust's
 * Cache. It is guarded by a reader/writer lock taken only with try-lock, as
 * Rust does: a busy cache is a miss, never a wait. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tokenizer/tokenizer_internal.h"

/* Cache slots (direct-mapped; a new word replaces the one in its slot).
 * Rust keeps the first 10,000 words and then stops adding; a larger cache
 * that keeps up with the text costs a few megabytes at most and, on
 * multi-megabyte inputs, more than doubles the model's speed. Results are
 * the same either way. */
#ifndef BPE_CACHE_SLOTS
#define BPE_CACHE_SLOTS 65536
#endif
#define BPE_CACHE_MAX_LEN 256 /* Rust caches words shorter than this (bytes) */
#define BPE_DIRECT_CPS 2048   /* code points with a direct id table */
#define BPE_STACK_SYMS 128

typedef struct merge_slot {
    uint64_t key; /* (left id << 32) | right id; EMPTY_KEY when free */
    uint32_t rank;
    int32_t new_id;
} merge_slot;

#define EMPTY_KEY UINT64_MAX

/* A cached word: its bytes, then its tokens' ids and byte lengths. */
typedef struct cache_entry {
    uint32_t hash;
    uint32_t len;
    uint32_t n;
    int32_t *ids;
    uint32_t *lens;
    char word[]; /* len bytes, then the arrays */
} cache_entry;

/* Slot i is guarded by lock i % BPE_CACHE_LOCKS: with one lock, threads
 * encoding a batch would all bounce its cache line on every word. */
#define BPE_CACHE_LOCKS 64

typedef union cache_lock {
    pthread_rwlock_t lock;
    char pad[128];
} cache_lock;

typedef struct bpe_model {
    tk_model base;
    merge_slot *merges;
    size_t merge_mask;
    char *unk_token; /* NULL when none */
    int32_t unk_id;  /* -1 when unk_token is NULL or not in the vocabulary */
    char *prefix, *suffix;
    size_t prefix_len, suffix_len;
    bool fuse_unk, byte_fallback, ignore_merges;
    double dropout; /* <= 0: none */
    int32_t byte_ids[256]; /* "<0xXX>" tokens, -1 when absent */
    /* Ids of single characters needing neither prefix nor suffix, by code
     * point: the common case, without hashing. -2 means not computed (a
     * character outside the table), -1 not in the vocabulary. */
    int32_t direct[BPE_DIRECT_CPS];
    /* The cache (NULL when disabled, i.e. with dropout). */
    cache_entry **cache;
    cache_lock *locks; /* BPE_CACHE_LOCKS of them */
    int nlocks;        /* initialised */
} bpe_model;

/* --- merges ---------------------------------------------------------------- */

/* Mixes both ids into the low bits the table's mask keeps. */
static inline size_t merge_hash(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDull;
    key ^= key >> 29;
    return (size_t)key;
}

static inline const merge_slot *merge_find(const bpe_model *m, int32_t a, int32_t b)
{
    uint64_t key = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
    for (size_t j = merge_hash(key) & m->merge_mask;; j = (j + 1) & m->merge_mask) {
        const merge_slot *s = &m->merges[j];
        if (s->key == key)
            return s;
        if (s->key == EMPTY_KEY)
            return NULL;
    }
}

/* Later merges of the same pair replace earlier ones, as collecting into
 * Rust's HashMap does. */
static void merge_put(bpe_model *m, int32_t a, int32_t b, uint32_t rank, int32_t new_id)
{
    uint64_t key = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
    for (size_t j = merge_hash(key) & m->merge_mask;; j = (j + 1) & m->merge_mask) {
        merge_slot *s = &m->merges[j];
        if (s->key == key || s->key == EMPTY_KEY) {
            s->key = key;
            s->rank = rank;
            s->new_id = new_id;
            return;
        }
    }
}

/* --- the word being merged -------------------------------------------------- */

typedef struct sym {
    int32_t c;
    int32_t prev, next;
    uint32_t len; /* bytes; 0 marks a symbol merged into its left neighbour */
} sym;

typedef struct qent {
    uint32_t rank;
    uint32_t pos;
    int32_t new_id;
} qent;

static inline bool qless(const qent *a, const qent *b)
{
    return a->rank < b->rank || (a->rank == b->rank && a->pos < b->pos);
}

/* A growable queue: the heap, or dropout's list of skipped entries. Short
 * words use a stack buffer that is always large enough (the initial pairs
 * plus two per merge); long ones start small and grow, so a multi-megabyte
 * word (a pipeline with no pre-tokenizer) costs memory in proportion to the
 * merges it has pending, not three times its length up front. */
typedef struct qbuf {
    qent *v;
    size_t n, cap;
    bool owned; /* v is malloc'ed */
} qbuf;

static bool q_grow(qbuf *q)
{
    size_t cap = q->cap ? q->cap * 2 : 64;
    qent *v = q->owned ? realloc(q->v, cap * sizeof *v) : malloc(cap * sizeof *v);
    if (!v)
        return false;
    if (!q->owned && q->n)
        memcpy(v, q->v, q->n * sizeof *v);
    q->v = v;
    q->cap = cap;
    q->owned = true;
    return true;
}

static inline bool heap_push(qbuf *q, qent e)
{
    if (q->n == q->cap && !q_grow(q))
        return false;
    qent *h = q->v;
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!qless(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
    return true;
}

static inline qent heap_pop(qbuf *q)
{
    qent *h = q->v;
    qent top = h[0];
    qent last = h[--q->n];
    size_t i = 0, cnt = q->n;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= cnt)
            break;
        size_t c = l;
        if (l + 1 < cnt && qless(&h[l + 1], &h[l]))
            c = l + 1;
        if (!qless(&h[c], &last))
            break;
        h[i] = h[c];
        i = c;
    }
    if (cnt > 0)
        h[i] = last;
    return top;
}

/* Dropout's randomness: a per-thread xorshift, seeded once per thread. */
static _Thread_local uint64_t rng_state;

static float rng_float(void)
{
    if (rng_state == 0) {
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        rng_state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
                    (uint64_t)(uintptr_t)&rng_state ^ 0x9E3779B97F4A7C15ull;
        if (rng_state == 0)
            rng_state = 1;
    }
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return (float)(x >> 40) * (1.0f / 16777216.0f);
}

static ia_status merge_nomem(ia_error *err)
{
    return ia_error_set(err, IA_ERR_NOMEM, "BPE: out of memory merging a word");
}

/* Word::merge_all. */
static ia_status merge_all(const bpe_model *m, sym *w, size_t n, qbuf *heap, qbuf *skip,
                           ia_error *err)
{
    heap->n = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        const merge_slot *ms = merge_find(m, w[i].c, w[i + 1].c);
        if (ms && !heap_push(heap, (qent){ms->rank, (uint32_t)i, ms->new_id}))
            return merge_nomem(err);
    }
    bool dropout = m->dropout > 0;
    float p = (float)m->dropout;
    while (heap->n > 0) {
        qent top = heap_pop(heap);
        if (dropout) {
            if (rng_float() < p) {
                if (skip->n == skip->cap && !q_grow(skip))
                    return merge_nomem(err);
                skip->v[skip->n++] = top;
                continue;
            }
            while (skip->n > 0)
                if (!heap_push(heap, skip->v[--skip->n]))
                    return merge_nomem(err);
        }
        sym *cur = &w[top.pos];
        if (cur->len == 0 || cur->next == -1)
            continue;
        size_t next_pos = (size_t)cur->next;
        sym right = w[next_pos];
        /* A stale entry: the pair at pos changed since it was queued. */
        const merge_slot *ms = merge_find(m, cur->c, right.c);
        if (!ms || ms->new_id != top.new_id)
            continue;
        cur->c = top.new_id;
        cur->len += right.len;
        cur->next = right.next;
        w[next_pos].len = 0;
        if (right.next > -1 && (size_t)right.next < n)
            w[right.next].prev = (int32_t)top.pos;
        if (cur->prev >= 0) {
            ms = merge_find(m, w[cur->prev].c, cur->c);
            if (ms && !heap_push(heap, (qent){ms->rank, (uint32_t)cur->prev, ms->new_id}))
                return merge_nomem(err);
        }
        if (cur->next >= 0 && (size_t)cur->next < n) {
            ms = merge_find(m, cur->c, w[cur->next].c);
            if (ms && !heap_push(heap, (qent){ms->rank, top.pos, ms->new_id}))
                return merge_nomem(err);
        }
    }
    return IA_OK;
}

/* Adds a symbol (Word::add: prev/next link the symbols in order). */
static inline void word_add(sym *w, size_t *n, int32_t c, uint32_t len)
{
    size_t i = (*n)++;
    w[i].c = c;
    w[i].len = len;
    w[i].prev = (int32_t)i - 1;
    w[i].next = -1;
    if (i > 0)
        w[i - 1].next = (int32_t)i;
}

static ia_status unk_missing(const bpe_model *m, ia_error *err)
{
    return ia_error_set(err, IA_ERR_INVALID,
                        "BPE: the unk token '%s' is not in the vocabulary, so an unknown "
                        "character cannot be represented",
                        m->unk_token);
}

/* The code point at s and its length. The pipeline hands models valid
 * UTF-8; anything else counts as one byte so a loop always advances. */
static inline size_t next_char(const char *s, size_t len, uint32_t *cp)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n = ia_utf8_decode(s, len, cp);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)n;
}

/* The id of one character's symbol, with the prefix and suffix the word
 * position asks for; -1 when not in the vocabulary. buf holds prefix + 4 +
 * suffix bytes. */
static int32_t char_id(const bpe_model *m, const char *c, size_t clen, uint32_t cp,
                       bool first, bool last, char *buf, const char **sym_s,
                       size_t *sym_len)
{
    bool pre = !first && m->prefix;
    bool suf = last && m->suffix;
    if (!pre && !suf) {
        *sym_s = c;
        *sym_len = clen;
        if (cp < BPE_DIRECT_CPS && m->direct[cp] != -2)
            return m->direct[cp];
        return tk_vocab_find(m->base.vocab, c, clen);
    }
    size_t k = 0;
    if (pre) {
        memcpy(buf, m->prefix, m->prefix_len);
        k = m->prefix_len;
    }
    memcpy(buf + k, c, clen);
    k += clen;
    if (suf) {
        memcpy(buf + k, m->suffix, m->suffix_len);
        k += m->suffix_len;
    }
    *sym_s = buf;
    *sym_len = k;
    return tk_vocab_find(m->base.vocab, buf, k);
}

/* BPE::merge_word into w (room for len symbols), *n symbols out. */
static ia_status merge_word(const bpe_model *m, const char *s, size_t len, sym *w, size_t *n,
                            qbuf *heap, qbuf *skip, char *buf, ia_error *err)
{
    *n = 0;
    bool have_unk = false;
    int32_t unk_c = -1;
    uint32_t unk_len = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t clen = next_char(s + i, len - i, &cp);
        bool first = i == 0, last = i + clen >= len;
        const char *ss;
        size_t sl;
        int32_t id = char_id(m, s + i, clen, cp, first, last, buf, &ss, &sl);
        if (id >= 0) {
            if (have_unk) {
                word_add(w, n, unk_c, unk_len);
                have_unk = false;
            }
            word_add(w, n, id, (uint32_t)clen);
        } else {
            bool done = false;
            if (m->byte_fallback) {
                bool all = true;
                for (size_t k = 0; k < sl; k++)
                    if (m->byte_ids[(unsigned char)ss[k]] < 0) {
                        all = false;
                        break;
                    }
                /* Rust adds one symbol of length 1 per byte of the symbol's
                 * string, prefix and suffix included, and leaves a pending
                 * unk pending. */
                if (all) {
                    for (size_t k = 0; k < sl; k++)
                        word_add(w, n, m->byte_ids[(unsigned char)ss[k]], 1);
                    done = true;
                }
            }
            if (!done && m->unk_token) {
                if (have_unk && m->fuse_unk) {
                    unk_len += (uint32_t)clen;
                } else {
                    if (have_unk)
                        word_add(w, n, unk_c, unk_len);
                    if (m->unk_id < 0)
                        return unk_missing(m, err);
                    have_unk = true;
                    unk_c = m->unk_id;
                    unk_len = (uint32_t)clen;
                }
            }
            /* Without an unk token (and no byte fallback) the character is
             * dropped, as in Rust. */
        }
        i += clen;
    }
    if (have_unk)
        word_add(w, n, unk_c, unk_len);
    return merge_all(m, w, *n, heap, skip, err);
}

/* --- cache ------------------------------------------------------------------- */

static inline uint32_t word_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        h = (h ^ v) * 0x100000001B3ull;
        h ^= h >> 32;
    }
    uint64_t t = 0;
    for (size_t k = 0; i + k < len; k++)
        t |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
    h = (h ^ t) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    return (uint32_t)h;
}

/* Copies a cached word's tokens to out; false on a miss (or a busy lock). */
static bool cache_get(bpe_model *m, const char *s, size_t len, uint32_t h, tk_tokens *out,
                      ia_status *st, ia_error *err)
{
    pthread_rwlock_t *lock = &m->locks[h % BPE_CACHE_LOCKS].lock;
    if (pthread_rwlock_tryrdlock(lock) != 0)
        return false;
    const cache_entry *e = m->cache[h & (BPE_CACHE_SLOTS - 1)];
    bool hit = e && e->hash == h && e->len == len && memcmp(e->word, s, len) == 0;
    if (hit) {
        *st = IA_OK;
        size_t need = out->n + e->n;
        if (need > out->cap)
            *st = tk_grow((void **)&out->v, &out->cap, need, sizeof *out->v, err);
        if (*st == IA_OK) {
            uint32_t pos = 0;
            for (uint32_t k = 0; k < e->n; k++) {
                tk_token *t = &out->v[out->n++];
                t->id = e->ids[k];
                t->begin = pos < len ? pos : (uint32_t)len;
                pos += e->lens[k];
                t->end = pos < len ? pos : (uint32_t)len;
            }
        }
    }
    pthread_rwlock_unlock(lock);
    return hit;
}

static void cache_put(bpe_model *m, const char *s, size_t len, uint32_t h, const sym *w,
                      size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += w[i].len != 0;
    size_t words = (len + sizeof(int32_t) - 1) / sizeof(int32_t);
    cache_entry *e = malloc(sizeof *e + words * sizeof(int32_t) + kept * 2 * sizeof(int32_t));
    if (!e)
        return; /* a cache that cannot grow just misses */
    e->hash = h;
    e->len = (uint32_t)len;
    e->n = (uint32_t)kept;
    memcpy(e->word, s, len);
    e->ids = (int32_t *)(void *)(e->word + words * sizeof(int32_t));
    e->lens = (uint32_t *)(e->ids + kept);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i].len != 0) {
            e->ids[k] = w[i].c;
            e->lens[k] = w[i].len;
            k++;
        }
    pthread_rwlock_t *lock = &m->locks[h % BPE_CACHE_LOCKS].lock;
    if (pthread_rwlock_trywrlock(lock) != 0) {
        free(e);
        return;
    }
    cache_entry **slot = &m->cache[h & (BPE_CACHE_SLOTS - 1)];
    cache_entry *old = *slot;
    *slot = e;
    pthread_rwlock_unlock(lock);
    free(old);
}

/* --- tokenize ------------------------------------------------------------------- */

static ia_status bpe_tokenize(const tk_model *model, const char *s, size_t len, tk_tokens *out,
                              ia_error *err)
{
    bpe_model *m = (bpe_model *)(void *)model;
    if (len == 0)
        return IA_OK;
    if (m->ignore_merges) {
        int32_t id = tk_vocab_find(m->base.vocab, s, len);
        if (id >= 0)
            return tk_tokens_push(out, id, 0, len, err);
    }
    bool cacheable = m->cache && len < BPE_CACHE_MAX_LEN;
    uint32_t h = 0;
    if (cacheable) {
        h = word_hash(s, len);
        ia_status st;
        if (cache_get(m, s, len, h, out, &st, err))
            return st;
    }

    /* Symbols: one per character, or with byte fallback one per byte of
     * each symbol's string, prefix and suffix included. */
    if (len >= ((size_t)1 << 31) / (1 + m->prefix_len + m->suffix_len))
        return ia_error_set(err, IA_ERR_UNSUPPORTED, "BPE: a word of %zu bytes is too long",
                            len);
    size_t maxsym = (m->byte_fallback ? len * (1 + m->prefix_len + m->suffix_len) : len) + 1;
    sym stack_w[BPE_STACK_SYMS];
    qent stack_q[3 * BPE_STACK_SYMS + 1];
    char stack_buf[128];
    sym *w = stack_w;
    qbuf heap = {stack_q, 0, sizeof stack_q / sizeof *stack_q, false};
    qbuf skip = {NULL, 0, 0, false};
    char *buf = stack_buf;
    void *block = NULL;
    size_t buflen = m->prefix_len + m->suffix_len + 4;
    if (maxsym > BPE_STACK_SYMS || buflen > sizeof stack_buf) {
        block = malloc(maxsym * sizeof(sym) + buflen);
        if (!block)
            return ia_error_set(err, IA_ERR_NOMEM, "BPE: out of memory for a word of %zu bytes",
                                len);
        w = block;
        buf = (char *)(w + maxsym);
        if (maxsym > BPE_STACK_SYMS)
            heap = (qbuf){NULL, 0, 0, false};
    }
    size_t n;
    ia_status st = merge_word(m, s, len, w, &n, &heap, &skip, buf, err);
    if (st == IA_OK) {
        size_t need = out->n + n;
        if (need > out->cap)
            st = tk_grow((void **)&out->v, &out->cap, need, sizeof *out->v, err);
    }
    if (st == IA_OK) {
        /* Offsets are running sums of the symbols' lengths, as
         * Word::get_offsets_iter computes them (so a dropped character
         * shifts what follows); clamped to the word for safety. */
        uint32_t pos = 0;
        for (size_t i = 0; i < n; i++) {
            if (w[i].len == 0)
                continue;
            tk_token *t = &out->v[out->n++];
            t->id = w[i].c;
            t->begin = pos < len ? pos : (uint32_t)len;
            pos += w[i].len;
            t->end = pos < len ? pos : (uint32_t)len;
        }
        if (cacheable)
            cache_put(m, s, len, h, w, n);
    }
    if (heap.owned)
        free(heap.v);
    if (skip.owned)
        free(skip.v);
    free(block);
    return st;
}

static void bpe_free(tk_model *model)
{
    bpe_model *m = (bpe_model *)(void *)model;
    if (m->cache) {
        for (size_t i = 0; i < BPE_CACHE_SLOTS; i++)
            free(m->cache[i]);
        free(m->cache);
    }
    for (int i = 0; i < m->nlocks; i++)
        pthread_rwlock_destroy(&m->locks[i].lock);
    free(m->locks);
    tk_vocab_free(m->base.vocab);
    free(m->merges);
    free(m->unk_token);
    free(m->prefix);
    free(m->suffix);
    free(m);
}

static const tk_model_ops bpe_ops = {"BPE", bpe_tokenize, bpe_free};

/* --- parsing --------------------------------------------------------------------- */

/* Reads an optional string field (absent or null: NULL). */
static ia_status opt_string(const tk_load *ld, const cJSON *v, const char *path, const char *key,
                            char **out)
{
    const char *s;
    *out = NULL;
    ia_status st = tk_json_string(ld, v, path, key, false, NULL, &s);
    if (st != IA_OK)
        return st;
    if (s && !(*out = strdup(s)))
        return ia_error_set(ld->err, IA_ERR_NOMEM, "BPE: out of memory");
    return IA_OK;
}

/* One merge: the two token strings of merges[i]. Legacy entries "a b" must
 * split on ' ' into exactly two parts. */
typedef struct merge_src {
    const char *a, *b;
    size_t alen, blen;
} merge_src;

static ia_status merge_lookup(const tk_load *ld, bpe_model *m, const char *mpath, size_t i,
                              const merge_src *ms, uint32_t rank, char **tmp, size_t *tmpcap)
{
    char p[TK_PATH_MAX];
    tk_path_index(p, mpath, i);
    tk_vocab *v = m->base.vocab;
    int32_t a = tk_vocab_find(v, ms->a, ms->alen);
    if (a < 0)
        return tk_json_fail(ld, IA_ERR_INVALID, p, "merge token '%.*s' is not in the vocabulary",
                            (int)ms->alen, ms->a);
    int32_t b = tk_vocab_find(v, ms->b, ms->blen);
    if (b < 0)
        return tk_json_fail(ld, IA_ERR_INVALID, p, "merge token '%.*s' is not in the vocabulary",
                            (int)ms->blen, ms->b);
    /* The merged token is a + b without its first prefix_len bytes (Rust
     * slices b[prefix_len..] without checking b starts with the prefix;
     * where that slice would panic we fail). */
    if (ms->blen < m->prefix_len)
        return tk_json_fail(ld, IA_ERR_INVALID, p,
                            "merge token '%.*s' is shorter than the continuing_subword_prefix",
                            (int)ms->blen, ms->b);
    size_t need = ms->alen + ms->blen - m->prefix_len;
    if (need + 1 > *tmpcap) {
        ia_status st = tk_grow((void **)tmp, tmpcap, need + 1, 1, ld->err);
        if (st != IA_OK)
            return st;
    }
    memcpy(*tmp, ms->a, ms->alen);
    memcpy(*tmp + ms->alen, ms->b + m->prefix_len, ms->blen - m->prefix_len);
    int32_t c = tk_vocab_find(v, *tmp, need);
    if (c < 0)
        return tk_json_fail(ld, IA_ERR_INVALID, p,
                            "the merged token '%.*s' is not in the vocabulary", (int)need, *tmp);
    merge_put(m, a, b, rank, c);
    return IA_OK;
}

static ia_status parse_merges(const tk_load *ld, bpe_model *m, const cJSON *arr,
                              const char *path)
{
    char mpath[TK_PATH_MAX];
    tk_path_key(mpath, path, "merges");
    size_t count = (size_t)cJSON_GetArraySize(arr);
    size_t slots = 16;
    while (slots < count * 2 + 2)
        slots *= 2;
    m->merges = malloc(slots * sizeof *m->merges);
    if (!m->merges)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "BPE: out of memory for %zu merges", count);
    for (size_t i = 0; i < slots; i++)
        m->merges[i].key = EMPTY_KEY;
    m->merge_mask = slots - 1;

    /* Both forms exist in the wild: ["a b", ...] (older files) and
     * [["a", "b"], ...]; serde accepts one form for the whole list. */
    bool legacy = arr->child && cJSON_IsString(arr->child);
    char *tmp = NULL;
    size_t tmpcap = 0;
    ia_status st = IA_OK;
    uint32_t rank = 0;
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        char p[TK_PATH_MAX];
        tk_path_index(p, mpath, i);
        merge_src ms;
        if (legacy) {
            if (!cJSON_IsString(e)) {
                st = tk_json_fail(ld, IA_ERR_PARSE, p,
                                  "expected a string \"a b\" like the other merges, found %s",
                                  tk_json_kind(e));
                break;
            }
            const char *s = e->valuestring;
            /* convert_merges_to_hashmap skips "#version" lines, which
             * do not count as ranks. */
            if (strncmp(s, "#version", 8) == 0)
                continue;
            const char *sp = strchr(s, ' ');
            if (!sp || strchr(sp + 1, ' ')) {
                st = tk_json_fail(ld, IA_ERR_PARSE, p,
                                  "a merge must be two tokens separated by one space, found "
                                  "'%.*s' (merge %lu)",
                                  64, s, (unsigned long)rank + 1);
                break;
            }
            ms.a = s;
            ms.alen = (size_t)(sp - s);
            ms.b = sp + 1;
            ms.blen = strlen(sp + 1);
        } else {
            if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
                !cJSON_IsString(e->child) || !cJSON_IsString(e->child->next)) {
                st = tk_json_fail(ld, IA_ERR_PARSE, p,
                                  "expected a pair of strings [\"a\", \"b\"], found %s",
                                  tk_json_kind(e));
                break;
            }
            ms.a = e->child->valuestring;
            ms.alen = strlen(ms.a);
            ms.b = e->child->next->valuestring;
            ms.blen = strlen(ms.b);
        }
        st = merge_lookup(ld, m, mpath, i, &ms, rank, &tmp, &tmpcap);
        if (st != IA_OK)
            break;
        rank++;
    }
    free(tmp);
    return st;
}

ia_status tk_bpe_parse(const tk_load *ld, const cJSON *v, const char *path, tk_model **out)
{
    *out = NULL;
    if (!cJSON_IsObject(v))
        return tk_json_fail(ld, IA_ERR_PARSE, path, "expected an object, found %s",
                            tk_json_kind(v));
    bpe_model *m = calloc(1, sizeof *m);
    if (!m)
        return ia_error_set(ld->err, IA_ERR_NOMEM, "BPE: out of memory");
    m->base.ops = &bpe_ops;
    m->unk_id = -1;

    const cJSON *merges;
    double dropout = -1;
    ia_status st = tk_json_array(ld, v, path, "merges", true, &merges);
    if (st == IA_OK)
        st = tk_vocab_parse_object(ld, v, path, "vocab", &m->base.vocab);
    if (st == IA_OK)
        st = tk_json_number(ld, v, path, "dropout", false, -1, &dropout);
    if (st == IA_OK && dropout != -1 && !(dropout >= 0 && dropout <= 1)) {
        char p[TK_PATH_MAX];
        tk_path_key(p, path, "dropout");
        st = tk_json_fail(ld, IA_ERR_INVALID, p, "dropout %g is not within [0, 1]", dropout);
    }
    m->dropout = dropout > 0 ? dropout : 0;
    if (st == IA_OK)
        st = opt_string(ld, v, path, "unk_token", &m->unk_token);
    if (st == IA_OK)
        st = opt_string(ld, v, path, "continuing_subword_prefix", &m->prefix);
    if (st == IA_OK)
        st = opt_string(ld, v, path, "end_of_word_suffix", &m->suffix);
    if (st == IA_OK)
        st = tk_json_bool(ld, v, path, "fuse_unk", false, false, &m->fuse_unk);
    if (st == IA_OK)
        st = tk_json_bool(ld, v, path, "byte_fallback", false, false, &m->byte_fallback);
    if (st == IA_OK)
        st = tk_json_bool(ld, v, path, "ignore_merges", false, false, &m->ignore_merges);
    if (st != IA_OK) {
        bpe_free(&m->base);
        return st;
    }
    m->prefix_len = m->prefix ? strlen(m->prefix) : 0;
    m->suffix_len = m->suffix ? strlen(m->suffix) : 0;
    st = parse_merges(ld, m, merges, path);
    if (st != IA_OK) {
        bpe_free(&m->base);
        return st;
    }

    if (m->unk_token)
        m->unk_id = tk_vocab_find(m->base.vocab, m->unk_token, strlen(m->unk_token));
    m->base.unk_id = m->unk_id;
    for (int b = 0; b < 256; b++) {
        char name[8];
        snprintf(name, sizeof name, "<0x%02X>", b);
        m->byte_ids[b] = tk_vocab_find(m->base.vocab, name, 6);
    }
    for (uint32_t cp = 0; cp < BPE_DIRECT_CPS; cp++) {
        char u[4];
        int ul = ia_utf8_encode(cp, u);
        m->direct[cp] = ul <= 0 ? -2 : tk_vocab_find(m->base.vocab, u, (size_t)ul);
    }
    /* Rust caches only without dropout (a random result cannot be reused). */
    if (m->dropout <= 0) {
        m->cache = calloc(BPE_CACHE_SLOTS, sizeof *m->cache);
        m->locks = calloc(BPE_CACHE_LOCKS, sizeof *m->locks);
        while (m->cache && m->locks && m->nlocks < BPE_CACHE_LOCKS &&
               pthread_rwlock_init(&m->locks[m->nlocks].lock, NULL) == 0)
            m->nlocks++;
        if (m->nlocks < BPE_CACHE_LOCKS) {
            /* No cache is slower, not wrong. */
            for (int i = 0; i < m->nlocks; i++)
                pthread_rwlock_destroy(&m->locks[i].lock);
            free(m->locks);
            free(m->cache);
            m->locks = NULL;
            m->cache = NULL;
            m->nlocks = 0;
        }
    }
    *out = &m->base;
    return IA_OK;
}
