/* Finding a model's weights by name in its safetensors, with the checks
 * that turn a wrong checkpoint into a message instead of a wrong answer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model_internal.h"

#define MW_NAME_MAX 512

static void shape_text(char *buf, size_t size, int ndim, const int64_t *shape)
{
    size_t o = 0;
    o += (size_t)snprintf(buf + o, size - o, "[");
    for (int i = 0; i < ndim && o < size; i++) {
        if (shape[i] < 0)
            o += (size_t)snprintf(buf + o, size - o, "%s*", i ? ", " : "");
        else
            o += (size_t)snprintf(buf + o, size - o, "%s%lld", i ? ", " : "", (long long)shape[i]);
    }
    if (o < size)
        snprintf(buf + o, size - o, "]");
}

static const char *file_of(const ia_model *m, const ia_safetensors_entry *e)
{
    const char *f = e && e->file ? e->file : m->path;
    const char *slash = strrchr(f, '/');
    return slash ? slash + 1 : f;
}

ia_status ia_mw_prefix(ia_model *m, const char *const *candidates, size_t n, const char *probe,
                       ia_error *err)
{
    char name[MW_NAME_MAX];
    if (m->synth && n > 0) {
        m->prefix = candidates[0];
        return IA_OK;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s%s", candidates[i], probe);
        if (ia_safetensors_find(m->weights, name)) {
            m->prefix = candidates[i];
            return IA_OK;
        }
    }
    return ia_error_set(err, IA_ERR_NOT_FOUND,
                        "%s: the weights hold no tensor '%s' (with or without a prefix such as "
                        "'%s'): not a %s checkpoint?",
                        m->path, probe, n > 1 ? candidates[1] : "", m->cfg.model_type);
}

bool ia_mw_has(const ia_model *m, const char *fmt, ...)
{
    char rel[MW_NAME_MAX], name[MW_NAME_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    snprintf(name, sizeof name, "%s%s", m->prefix ? m->prefix : "", rel);
    if (m->synth) {
        for (size_t i = 0; i < m->synth->n; i++)
            if (strcmp(m->synth->names[i], name) == 0)
                return true;
        return false;
    }
    return ia_safetensors_find(m->weights, name) != NULL;
}

/* Keeps a copied buffer for the model's lifetime. */
static ia_status keep(ia_model *m, void *data, ia_error *err)
{
    if (m->nbufs == m->bufs_cap) {
        size_t cap = m->bufs_cap ? m->bufs_cap * 2 : 64;
        ia_weight_buf *v = realloc(m->bufs, cap * sizeof *v);
        if (!v) {
            free(data);
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for weights", m->path);
        }
        m->bufs = v;
        m->bufs_cap = cap;
    }
    m->bufs[m->nbufs++].data = data;
    return IA_OK;
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Makes (or finds again) the synthetic weight called name: uniform values
 * in [-0.05, 0.05), and 1 + that for a norm's 1-D weight, from the seed and
 * the name (FNV-1a), so a weight does not depend on the order of others. */
static ia_status synth_get(ia_model *m, const char *name, bool required, int ndim,
                           const int64_t *shape, ia_tensor *out, ia_error *err)
{
    ia_synth *s = m->synth;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0) {
            *out = s->tensors[i];
            return IA_OK;
        }
    if (!required)
        return IA_OK;
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 0)
            return ia_error_set(err, IA_ERR_INTERNAL,
                                "synthesizing %s: dimension %d of tensor '%s' is not fixed by "
                                "config.json",
                                m->path, i, name);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **names = realloc(s->names, cap * sizeof *names);
        if (names)
            s->names = names;
        ia_tensor *ts = names ? realloc(s->tensors, cap * sizeof *ts) : NULL;
        if (!ts)
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", m->path);
        s->tensors = ts;
        s->cap = cap;
    }
    ia_tensor t = ia_tensor_make(IA_DTYPE_F32, ndim, shape, NULL);
    size_t bytes = ia_tensor_nbytes(&t);
    float *data = aligned_alloc(IA_TENSOR_ALIGN, (bytes + IA_TENSOR_ALIGN) / IA_TENSOR_ALIGN *
                                                     IA_TENSOR_ALIGN);
    char *copy = data ? strdup(name) : NULL;
    if (!copy) {
        free(data);
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for tensor '%s'", m->path,
                            name);
    }
    ia_status st = keep(m, data, err);
    if (st != IA_OK) {
        free(copy);
        return st;
    }
    uint64_t x = s->seed;
    for (const char *p = name; *p; p++)
        x = (x ^ (unsigned char)*p) * 0x100000001B3ull;
    bool norm = ndim == 1 && (strstr(name, "norm") || strstr(name, "Norm") ||
                              strstr(name, "ln_")) && strstr(name, "weight");
    for (int64_t i = 0, n = ia_tensor_numel(&t); i < n; i++) {
        float u = (float)((double)(splitmix64(&x) >> 11) * (1.0 / 9007199254740992.0)) * 0.1f -
                  0.05f;
        data[i] = norm ? 1.0f + u : u;
    }
    t.data = data;
    s->names[s->n] = copy;
    s->tensors[s->n++] = t;
    *out = t;
    return IA_OK;
}

static ia_status get(ia_model *m, ia_tensor *out, bool required, int ndim, const int64_t *shape,
                     bool to_f32, ia_error *err, const char *fmt, va_list ap)
{
    char rel[MW_NAME_MAX], name[MW_NAME_MAX];
    memset(out, 0, sizeof *out);
    vsnprintf(rel, sizeof rel, fmt, ap);
    snprintf(name, sizeof name, "%s%s", m->prefix ? m->prefix : "", rel);
    if (m->synth)
        return synth_get(m, name, required, ndim, shape, out, err);
    const ia_safetensors_entry *e = ia_safetensors_find(m->weights, name);
    if (!e) {
        if (!required)
            return IA_OK;
        return ia_error_set(err, IA_ERR_NOT_FOUND, "%s: tensor '%s' is missing (model type %s)",
                            m->path, name, m->cfg.model_type);
    }
    bool ok = e->ndim == ndim;
    for (int i = 0; ok && i < ndim; i++)
        ok = shape[i] < 0 || shape[i] == e->shape[i];
    if (!ok) {
        char want[128], found[128];
        shape_text(want, sizeof want, ndim, shape);
        shape_text(found, sizeof found, e->ndim, e->shape);
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s: tensor '%s' has shape %s, expected %s from config.json",
                            file_of(m, e), name, found, want);
    }
    if (e->dtype != IA_DTYPE_F32 && e->dtype != IA_DTYPE_F16 && e->dtype != IA_DTYPE_BF16)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s: tensor '%s' is %s; weights must be F32, F16 or BF16",
                            file_of(m, e), name, ia_dtype_name(e->dtype));
    ia_tensor mapped;
    ia_status st = ia_safetensors_tensor(m->weights, name, &mapped, err);
    if (st != IA_OK)
        return st;
    size_t esize = ia_dtype_size(mapped.dtype);
    if (!to_f32 && (uintptr_t)mapped.data % esize == 0) {
        *out = mapped; /* read in place from the mapping */
        return IA_OK;
    }
    ia_dtype dt = to_f32 ? IA_DTYPE_F32 : mapped.dtype;
    ia_tensor copy = ia_tensor_make(dt, mapped.ndim, mapped.shape, NULL);
    size_t bytes = ia_tensor_nbytes(&copy);
    void *data = aligned_alloc(IA_TENSOR_ALIGN, (bytes + IA_TENSOR_ALIGN - 1) / IA_TENSOR_ALIGN *
                                                    IA_TENSOR_ALIGN + IA_TENSOR_ALIGN);
    if (!data)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for tensor '%s'", m->path, name);
    st = keep(m, data, err);
    if (st != IA_OK)
        return st;
    copy.data = data;
    if (dt == mapped.dtype) {
        memcpy(data, mapped.data, bytes); /* memcpy reads unaligned bytes safely */
    } else {
        /* ia_tensor_copy reads elements typed: bring unaligned data to an
         * aligned place first when needed. */
        if ((uintptr_t)mapped.data % esize != 0) {
            size_t src_bytes = ia_tensor_nbytes(&mapped);
            void *tmp = malloc(src_bytes ? src_bytes : 1);
            if (!tmp)
                return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for tensor '%s'",
                                    m->path, name);
            memcpy(tmp, mapped.data, src_bytes);
            ia_tensor aligned = mapped;
            aligned.data = tmp;
            st = ia_tensor_copy(&aligned, &copy, err);
            free(tmp);
        } else {
            st = ia_tensor_copy(&mapped, &copy, err);
        }
        if (st != IA_OK)
            return st;
    }
    *out = copy;
    return IA_OK;
}

ia_status ia_mw_get(ia_model *m, ia_tensor *out, bool required, int ndim, const int64_t *shape,
                    ia_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ia_status st = get(m, out, required, ndim, shape, false, err, fmt, ap);
    va_end(ap);
    return st;
}

ia_status ia_mw_get_f32(ia_model *m, ia_tensor *out, bool required, int ndim,
                        const int64_t *shape, ia_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ia_status st = get(m, out, required, ndim, shape, true, err, fmt, ap);
    va_end(ap);
    return st;
}

void *ia_mw_alloc(ia_model *m, size_t bytes)
{
    size_t rounded = (bytes + IA_TENSOR_ALIGN - 1) / IA_TENSOR_ALIGN * IA_TENSOR_ALIGN;
    void *p = aligned_alloc(IA_TENSOR_ALIGN, rounded ? rounded : IA_TENSOR_ALIGN);
    if (!p || keep(m, p, NULL) != IA_OK)
        return NULL; /* keep frees p when it fails */
    memset(p, 0, rounded ? rounded : IA_TENSOR_ALIGN);
    return p;
}

ia_status ia_mw_linear(ia_model *m, ia_tensor *w, ia_tensor *b, bool bias_required, int64_t out,
                       int64_t in, const char *name, ia_error *err)
{
    int64_t ws[2] = {out, in}, bs[1] = {out};
    ia_status st = ia_mw_get(m, w, true, 2, ws, err, "%s.weight", name);
    if (st == IA_OK)
        st = ia_mw_get_f32(m, b, bias_required, 1, bs, err, "%s.bias", name);
    return st;
}

ia_status ia_mw_layer_norm(ia_model *m, ia_tensor *w, ia_tensor *b, int64_t n, const char *name,
                           ia_error *err)
{
    int64_t sh[1] = {n};
    ia_status st = ia_mw_get_f32(m, w, true, 1, sh, err, "%s.weight", name);
    if (st == IA_OK)
        st = ia_mw_get_f32(m, b, true, 1, sh, err, "%s.bias", name);
    return st;
}

ia_status ia_mw_fuse(ia_model *m, const ia_tensor *w, const ia_tensor *b, int n, ia_tensor *fw,
                     ia_tensor *fb, ia_error *err)
{
    int64_t rows = 0, in = w[0].shape[1];
    ia_dtype dt = w[0].dtype;
    bool any_bias = false;
    for (int i = 0; i < n; i++) {
        if (w[i].ndim != 2 || w[i].shape[1] != in)
            return ia_error_set(err, IA_ERR_INTERNAL, "%s: fusing weights of other widths",
                                m->path);
        rows += w[i].shape[0];
        if (w[i].dtype != dt)
            dt = IA_DTYPE_F32;
        any_bias = any_bias || (b && b[i].data);
    }
    int64_t wshape[2] = {rows, in}, bshape[1] = {rows};
    *fw = ia_tensor_make(dt, 2, wshape, NULL);
    memset(fb, 0, sizeof *fb);
    if (!(fw->data = ia_mw_alloc(m, ia_tensor_nbytes(fw))))
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for fused weights", m->path);
    if (any_bias) {
        *fb = ia_tensor_make(IA_DTYPE_F32, 1, bshape, NULL);
        if (!(fb->data = ia_mw_alloc(m, ia_tensor_nbytes(fb))))
            return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for fused biases",
                                m->path);
    }
    for (int i = 0, at = 0; i < n; at += (int)w[i].shape[0], i++) {
        ia_tensor part;
        ia_status st = ia_tensor_view_slice(fw, 0, at, w[i].shape[0], &part, err);
        if (st == IA_OK)
            st = ia_tensor_copy(&w[i], &part, err);
        if (st != IA_OK)
            return st;
        if (any_bias && b[i].data)
            memcpy((float *)fb->data + at, b[i].data, (size_t)w[i].shape[0] * sizeof(float));
    }
    return IA_OK;
}
