/* Arenas: bump allocation for one forward pass's scratch. A pass that
 * outgrows the first block gets more blocks; at reset they are merged into
 * one block of the total size, so from the second run on the pass is served
 * from a single block with no call to the system allocator. */
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/tensor.h"

typedef struct arena_block {
    struct arena_block *next;
    size_t capacity, used;
    unsigned char *data;
} arena_block;

struct ia_arena {
    arena_block *head; /* the block being filled; older ones follow */
    size_t used_total;
    uint64_t system_allocations;
};

static size_t round_up(size_t n) { return (n + IA_TENSOR_ALIGN - 1) / IA_TENSOR_ALIGN * IA_TENSOR_ALIGN; }

static arena_block *block_new(ia_arena *a, size_t capacity)
{
    capacity = round_up(capacity ? capacity : IA_TENSOR_ALIGN);
    arena_block *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    b->data = aligned_alloc(IA_TENSOR_ALIGN, capacity);
    if (!b->data) {
        free(b);
        return NULL;
    }
    b->capacity = capacity;
    b->used = 0;
    b->next = NULL;
    a->system_allocations++;
    return b;
}

static void blocks_free(arena_block *b)
{
    while (b) {
        arena_block *next = b->next;
        free(b->data);
        free(b);
        b = next;
    }
}

ia_arena *ia_arena_create(size_t initial_bytes)
{
    ia_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (initial_bytes && !(a->head = block_new(a, initial_bytes))) {
        free(a);
        return NULL;
    }
    return a;
}

void ia_arena_free(ia_arena *a)
{
    if (!a)
        return;
    blocks_free(a->head);
    free(a);
}

void *ia_arena_alloc(ia_arena *a, size_t bytes)
{
    if (bytes > SIZE_MAX / 2)
        return NULL;
    size_t need = round_up(bytes ? bytes : 1);
    arena_block *b = a->head;
    if (!b || b->capacity - b->used < need) {
        size_t grow = b ? b->capacity * 2 : 0;
        arena_block *nb = block_new(a, need > grow ? need : grow);
        if (!nb)
            return NULL;
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used_total += need;
    return p;
}

ia_status ia_arena_tensor(ia_arena *a, ia_tensor *t, ia_dtype dtype, int ndim,
                          const int64_t *shape, ia_error *err)
{
    ia_tensor probe = ia_tensor_make(dtype, ndim, shape, NULL);
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0 || (shape[d] && n > INT64_MAX / 16 / shape[d]))
            return ia_error_set(err, IA_ERR_INVALID, "arena: shape too large or negative");
        n *= shape[d];
    }
    void *data = ia_arena_alloc(a, (size_t)n * ia_dtype_size(dtype));
    if (!data)
        return ia_error_set(err, IA_ERR_NOMEM, "arena: out of memory");
    probe.data = data;
    *t = probe;
    return IA_OK;
}

void ia_arena_reset(ia_arena *a)
{
    if (a->head && a->head->next) {
        /* Several blocks: replace them by one that holds them all. */
        size_t total = 0;
        for (arena_block *b = a->head; b; b = b->next)
            total += b->capacity;
        arena_block *merged = block_new(a, total);
        if (merged) {
            blocks_free(a->head);
            a->head = merged;
        }
    }
    for (arena_block *b = a->head; b; b = b->next)
        b->used = 0;
    a->used_total = 0;
}

size_t ia_arena_used(const ia_arena *a) { return a->used_total; }

size_t ia_arena_capacity(const ia_arena *a)
{
    size_t total = 0;
    for (arena_block *b = a->head; b; b = b->next)
        total += b->capacity;
    return total;
}

uint64_t ia_arena_system_allocations(const ia_arena *a) { return a->system_allocations; }
