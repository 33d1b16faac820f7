/* tk_trie: the byte trie the models walk to find vocabulary entries that
 * start at a position (Unigram: every one, for Viterbi; WordPiece: the
 * longest). Edges live in one open-addressing table keyed by
 * (node << 8 | byte), sized up front from the entries' total bytes so it
 * never rehashes; the root's 256 edges are a direct table. The lookups are
 * inline in tokenizer_internal.h. */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

static ia_status nomem(ia_error *err)
{
    return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a vocabulary trie");
}

ia_status tk_trie_init(tk_trie *t, size_t total_bytes, ia_error *err)
{
    memset(t, 0, sizeof *t);
    for (int b = 0; b < 256; b++)
        t->root_child[b] = -1;
    size_t slots = 16;
    while (slots < total_bytes * 2 + 2) {
        if (slots > SIZE_MAX / 2 / sizeof *t->edges)
            return nomem(err);
        slots *= 2;
    }
    t->edges = malloc(slots * sizeof *t->edges);
    t->value = malloc(16 * sizeof *t->value);
    if (!t->edges || !t->value) {
        tk_trie_free(t);
        return nomem(err);
    }
    for (size_t k = 0; k < slots; k++)
        t->edges[k].key = UINT64_MAX;
    t->edge_mask = slots - 1;
    t->edge_room = slots / 2; /* keeps the table at most half full */
    t->nodes_cap = 16;
    t->nodes = 1;
    t->value[0] = -1;
    return IA_OK;
}

void tk_trie_free(tk_trie *t)
{
    if (!t)
        return;
    free(t->edges);
    free(t->value);
    memset(t, 0, sizeof *t);
}

ia_status tk_trie_insert(tk_trie *t, const char *s, size_t len, int32_t value, ia_error *err)
{
    int32_t node = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        int32_t c = tk_trie_child(t, node, b);
        if (c < 0) {
            if (t->nodes >= (size_t)INT32_MAX || (node != 0 && t->edge_room == 0))
                return ia_error_set(err, IA_ERR_INVALID,
                                    "tokenizer: vocabulary trie is over its planned size");
            ia_status st =
                tk_grow((void **)&t->value, &t->nodes_cap, t->nodes + 1, sizeof *t->value, err);
            if (st != IA_OK)
                return st;
            c = (int32_t)t->nodes++;
            t->value[c] = -1;
            if (node == 0) {
                t->root_child[b] = c;
            } else {
                uint64_t key = ((uint64_t)(uint32_t)node << 8) | b;
                size_t j = tk_trie_hash(key) & t->edge_mask;
                while (t->edges[j].key != UINT64_MAX)
                    j = (j + 1) & t->edge_mask;
                t->edges[j].key = key;
                t->edges[j].child = c;
                t->edge_room--;
            }
        }
        node = c;
    }
    t->value[node] = value;
    return IA_OK;
}
