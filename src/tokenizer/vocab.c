/* token <-> id: an open-addressing hash table over token bytes kept in one
 * arena, and an id-indexed array back to the tokens. Lookups sit on the hot
 * path of every model (BPE asks for each merged pair's string, WordPiece for
 * each candidate prefix), so a find is one hash, usually one probe and one
 * memcmp, with no allocation. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

/* Ids index an array, so a file naming id 2,000,000,000 for a handful of
 * tokens must not make us allocate gigabytes; real vocabularies stay far
 * below this. */
#define TK_VOCAB_MAX_ID ((int32_t)1 << 26)

typedef struct slot {
    uint32_t hash; /* cached so most mismatches cost no memcmp */
    uint32_t len;
    uint32_t off;  /* into the arena; the slot is empty when id < 0 */
    int32_t id;
} slot;

struct tk_vocab {
    slot *slots;
    size_t mask;      /* slots - 1 (a power of two) */
    size_t count;
    char *arena;      /* tokens, each NUL-terminated */
    size_t arena_len, arena_cap;
    uint32_t *by_id;  /* id -> arena offset + 1 (0: no token) */
    size_t by_id_cap;
    int32_t max_id;
    size_t max_len;
};

/* A fast multiplicative hash reading 8 bytes at a time; tokens are short,
 * so the tail handling matters as much as the loop. */
static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t hash_bytes(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)len;
    while (len >= 8) {
        h = (h ^ rd64(p)) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    uint64_t t = 0;
    for (size_t i = 0; i < len; i++)
        t |= (uint64_t)p[i] << (8 * i);
    h = (h ^ t) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (uint32_t)h;
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 16;
    while (c < n)
        c *= 2;
    return c;
}

ia_status tk_vocab_create(size_t expected, tk_vocab **out, ia_error *err)
{
    *out = NULL;
    if (expected > ((size_t)1 << 28))
        expected = (size_t)1 << 28;
    tk_vocab *v = calloc(1, sizeof *v);
    if (!v)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a vocabulary");
    size_t n = pow2_at_least(expected * 2 + 1);
    v->slots = malloc(n * sizeof *v->slots);
    if (!v->slots) {
        free(v);
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a vocabulary");
    }
    for (size_t i = 0; i < n; i++)
        v->slots[i].id = -1;
    v->mask = n - 1;
    v->max_id = -1;
    *out = v;
    return IA_OK;
}

void tk_vocab_free(tk_vocab *v)
{
    if (!v)
        return;
    free(v->slots);
    free(v->arena);
    free(v->by_id);
    free(v);
}

static ia_status rehash(tk_vocab *v, ia_error *err)
{
    size_t n = (v->mask + 1) * 2;
    slot *s = malloc(n * sizeof *s);
    if (!s)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a vocabulary");
    for (size_t i = 0; i < n; i++)
        s[i].id = -1;
    for (size_t i = 0; i <= v->mask; i++) {
        slot *o = &v->slots[i];
        if (o->id < 0)
            continue;
        size_t j = o->hash & (n - 1);
        while (s[j].id >= 0)
            j = (j + 1) & (n - 1);
        s[j] = *o;
    }
    free(v->slots);
    v->slots = s;
    v->mask = n - 1;
    return IA_OK;
}

ia_status tk_vocab_add(tk_vocab *v, const char *token, size_t len, int32_t id, ia_error *err)
{
    if (id < 0 || id >= TK_VOCAB_MAX_ID)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "tokenizer: token id %ld is outside the supported range [0, %ld]",
                            (long)id, (long)TK_VOCAB_MAX_ID - 1);
    if (len > UINT32_MAX / 2)
        return ia_error_set(err, IA_ERR_INVALID, "tokenizer: token of %zu bytes is too long", len);
    /* Keep the load at most one half so probes stay short. */
    if ((v->count + 1) * 2 > v->mask + 1) {
        ia_status st = rehash(v, err);
        if (st != IA_OK)
            return st;
    }
    uint32_t h = hash_bytes(token, len);
    size_t j = h & v->mask;
    for (;; j = (j + 1) & v->mask) {
        slot *s = &v->slots[j];
        if (s->id < 0)
            break;
        if (s->hash == h && s->len == len && memcmp(v->arena + s->off, token, len) == 0) {
            /* id still maps back to the token (Unigram's id_to_token reads
             * its list, where a repeated piece keeps both ids). */
            if ((size_t)id >= v->by_id_cap) {
                size_t old = v->by_id_cap;
                if (tk_grow((void **)&v->by_id, &v->by_id_cap, (size_t)id + 1,
                            sizeof *v->by_id, NULL) == IA_OK)
                    memset(v->by_id + old, 0, (v->by_id_cap - old) * sizeof *v->by_id);
            }
            if ((size_t)id < v->by_id_cap && v->by_id[id] == 0) {
                v->by_id[id] = s->off + 1;
                if (id > v->max_id)
                    v->max_id = id;
            }
            return ia_error_set(err, IA_ERR_INVALID,
                                "tokenizer: token '%.*s' appears twice in the vocabulary (ids "
                                "%ld and %ld)",
                                (int)(len > 64 ? 64 : len), token, (long)s->id, (long)id);
        }
    }
    /* Room in the arena (offsets are 32-bit; 4 GiB of token text is far
     * beyond any vocabulary). */
    if (v->arena_len + len + 1 > UINT32_MAX)
        return ia_error_set(err, IA_ERR_UNSUPPORTED, "tokenizer: vocabulary text is too large");
    ia_status st = tk_grow((void **)&v->arena, &v->arena_cap, v->arena_len + len + 1, 1, err);
    if (st != IA_OK)
        return st;
    if ((size_t)id >= v->by_id_cap) {
        size_t old = v->by_id_cap;
        st = tk_grow((void **)&v->by_id, &v->by_id_cap, (size_t)id + 1, sizeof *v->by_id, err);
        if (st != IA_OK)
            return st;
        memset(v->by_id + old, 0, (v->by_id_cap - old) * sizeof *v->by_id);
    }
    uint32_t off = (uint32_t)v->arena_len;
    memcpy(v->arena + off, token, len);
    v->arena[off + len] = '\0';
    v->arena_len += len + 1;
    /* Two tokens with one id: the first keeps the id -> token direction. */
    if (v->by_id[id] == 0)
        v->by_id[id] = off + 1;
    if (id > v->max_id)
        v->max_id = id;
    slot *s = &v->slots[j];
    s->hash = h;
    s->len = (uint32_t)len;
    s->off = off;
    s->id = id;
    v->count++;
    if (len > v->max_len)
        v->max_len = len;
    return IA_OK;
}

int32_t tk_vocab_find(const tk_vocab *v, const char *token, size_t len)
{
    uint32_t h = hash_bytes(token, len);
    for (size_t j = h & v->mask;; j = (j + 1) & v->mask) {
        const slot *s = &v->slots[j];
        if (s->id < 0)
            return -1;
        if (s->hash == h && s->len == len && memcmp(v->arena + s->off, token, len) == 0)
            return s->id;
    }
}

const char *tk_vocab_token(const tk_vocab *v, int32_t id)
{
    if (id < 0 || (size_t)id >= v->by_id_cap || v->by_id[id] == 0)
        return NULL;
    return v->arena + (v->by_id[id] - 1);
}

size_t tk_vocab_count(const tk_vocab *v)
{
    return v->count;
}

int32_t tk_vocab_max_id(const tk_vocab *v)
{
    return v->max_id;
}

size_t tk_vocab_max_len(const tk_vocab *v)
{
    return v->max_len;
}

void tk_vocab_each(const tk_vocab *v,
                   void (*fn)(void *ctx, const char *token, size_t len, int32_t id), void *ctx)
{
    for (size_t j = 0; j <= v->mask; j++)
        if (v->slots[j].id >= 0)
            fn(ctx, v->arena + v->slots[j].off, v->slots[j].len, v->slots[j].id);
}

size_t tk_vocab_bytes(const tk_vocab *v)
{
    return v->arena_len;
}

ia_status tk_vocab_parse_object(const tk_load *ld, const cJSON *obj, const char *path,
                                const char *key, tk_vocab **out)
{
    *out = NULL;
    const cJSON *vo;
    ia_status st = tk_json_object(ld, obj, path, key, true, &vo);
    if (st != IA_OK)
        return st;
    char vpath[TK_PATH_MAX];
    tk_path_key(vpath, path, key);
    tk_vocab *v;
    st = tk_vocab_create((size_t)cJSON_GetArraySize(vo), &v, ld->err);
    if (st != IA_OK)
        return st;
    /* serde fills a HashMap in file order, so a repeated token ends with
     * its last id: walking backwards, the first one seen wins. cJSON keeps
     * the list's tail in child->prev. */
    const cJSON *head = vo->child;
    const cJSON *e = head ? head->prev : NULL;
    while (e) {
        char p[TK_PATH_MAX];
        tk_path_key(p, vpath, e->string ? e->string : "");
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) ||
            e->valuedouble != floor(e->valuedouble) || e->valuedouble < 0 ||
            e->valuedouble > (double)UINT32_MAX) {
            st = tk_json_fail(ld, IA_ERR_PARSE, p, "expected a token id (an integer >= 0), found %s",
                              tk_json_kind(e));
            break;
        }
        double d = e->valuedouble;
        if (d >= (double)TK_VOCAB_MAX_ID) {
            st = tk_json_fail(ld, IA_ERR_UNSUPPORTED, p,
                              "token id %.0f is above the supported maximum %ld", d,
                              (long)TK_VOCAB_MAX_ID - 1);
            break;
        }
        const char *tok = e->string ? e->string : "";
        size_t len = strlen(tok);
        if (tk_vocab_find(v, tok, len) < 0) {
            st = tk_vocab_add(v, tok, len, (int32_t)d, ld->err);
            if (st != IA_OK) {
                st = tk_json_fail(ld, st, p, "%s", ld->err ? ld->err->message : "cannot add token");
                break;
            }
        }
        if (e == head)
            break;
        e = e->prev;
    }
    if (st != IA_OK) {
        tk_vocab_free(v);
        return st;
    }
    *out = v;
    return IA_OK;
}
