/* Growable arrays and the owned-string list the pipeline passes around. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

ia_status tk_grow(void **v, size_t *cap, size_t need, size_t elem, ia_error *err)
{
    if (need <= *cap)
        return IA_OK;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: array of %zu items is too large",
                                need);
        c *= 2;
    }
    if (c > SIZE_MAX / elem)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: array of %zu items is too large", c);
    void *p = realloc(*v, c * elem);
    if (!p)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for %zu items", c);
    *v = p;
    *cap = c;
    return IA_OK;
}

ia_status tk_strvec_push_owned(tk_strvec *v, char *s, size_t len, ia_error *err)
{
    size_t cap = v->cap;
    ia_status st = tk_grow((void **)&v->s, &cap, v->n + 1, sizeof *v->s, err);
    if (st == IA_OK) {
        size_t cap2 = v->cap;
        st = tk_grow((void **)&v->len, &cap2, v->n + 1, sizeof *v->len, err);
    }
    if (st != IA_OK) {
        free(s);
        return st;
    }
    v->cap = cap;
    v->s[v->n] = s;
    v->len[v->n] = len;
    v->n++;
    return IA_OK;
}

ia_status tk_strvec_push(tk_strvec *v, const char *s, size_t len, ia_error *err)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory");
    memcpy(copy, s, len);
    copy[len] = '\0';
    return tk_strvec_push_owned(v, copy, len, err);
}

void tk_strvec_clear(tk_strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->s[i]);
    v->n = 0;
}

void tk_strvec_free(tk_strvec *v)
{
    tk_strvec_clear(v);
    free(v->s);
    free(v->len);
    memset(v, 0, sizeof *v);
}
