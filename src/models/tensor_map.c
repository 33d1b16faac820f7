/* ia_tensor_map: named tensors, each in its own buffer. */
#include <stdlib.h>
#include <string.h>

#include "models/model_internal.h"

static ia_named_tensor *find(const ia_tensor_map *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return &m->v[i];
    return NULL;
}

ia_status ia_tensor_map_add(ia_tensor_map *m, const char *name, ia_dtype dtype, int ndim,
                            const int64_t *shape, ia_tensor **out, ia_error *err)
{
    ia_tensor t;
    ia_status st = ia_tensor_alloc(&t, dtype, ndim, shape, err);
    if (st != IA_OK)
        return st;
    ia_named_tensor *e = find(m, name);
    if (e) {
        ia_tensor_free(&e->t);
    } else {
        if (m->n == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 8;
            ia_named_tensor *v = realloc(m->v, cap * sizeof *v);
            if (!v) {
                ia_tensor_free(&t);
                return ia_error_set(err, IA_ERR_NOMEM, "out of memory for tensor '%s'", name);
            }
            m->v = v;
            m->cap = cap;
        }
        char *copy = strdup(name);
        if (!copy) {
            ia_tensor_free(&t);
            return ia_error_set(err, IA_ERR_NOMEM, "out of memory for tensor '%s'", name);
        }
        e = &m->v[m->n++];
        e->name = copy;
    }
    e->t = t;
    if (out)
        *out = &e->t;
    return IA_OK;
}

ia_status ia_tensor_map_add_copy(ia_tensor_map *m, const char *name, const ia_tensor *src,
                                 ia_dtype dtype, ia_error *err)
{
    ia_tensor *t;
    ia_status st = ia_tensor_map_add(m, name, dtype, src->ndim, src->shape, &t, err);
    if (st == IA_OK)
        st = ia_tensor_copy(src, t, err);
    return st;
}

const ia_tensor *ia_tensor_map_find(const ia_tensor_map *m, const char *name)
{
    const ia_named_tensor *e = find(m, name);
    return e ? &e->t : NULL;
}

void ia_tensor_map_free(ia_tensor_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].name);
        ia_tensor_free(&m->v[i].t);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}
