/* Loading a model folder: config.json, the registry's verdict on its model
 * type, the weights, the backend and the architecture; and running it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "models/model_internal.h"


/* What the folder holds instead of safetensors weights, for the message. */
static const char *other_weights(const char *dir)
{
    static const char *const names[] = {"pytorch_model.bin", "pytorch_model.bin.index.json",
                                        "tf_model.h5", "model.onnx", "flax_model.msgpack"};
    char p[4096];
    struct stat sb;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (stat(p, &sb) == 0)
            return names[i];
    }
    return NULL;
}

static bool has_safetensors(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        found = (n > 12 && strcmp(e->d_name + n - 12, ".safetensors") == 0) ||
                strcmp(e->d_name, "model.safetensors.index.json") == 0;
    }
    closedir(d);
    return found;
}

/* Sizes config.json must have, whatever the family (vocab_size is the text
 * families' to check). */
static ia_status check_config(const char *dir, const ia_model_config *c, ia_error *err)
{
    struct {
        const char *key;
        int64_t v;
    } need[] = {{"hidden_size", c->hidden_size},
                {"num_hidden_layers", c->num_hidden_layers},
                {"num_attention_heads", c->num_attention_heads}};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (need[i].v <= 0)
            return ia_error_set(err, IA_ERR_INVALID,
                                "%s/config.json: %s must be positive (found %lld)", dir,
                                need[i].key, (long long)need[i].v);
    if (c->num_key_value_heads <= 0 || c->num_attention_heads % c->num_key_value_heads != 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: num_attention_heads (%lld) must be a multiple of "
                            "num_key_value_heads (%lld)",
                            dir, (long long)c->num_attention_heads,
                            (long long)c->num_key_value_heads);
    if (c->head_dim <= 0)
        return ia_error_set(err, IA_ERR_INVALID,
                            "%s/config.json: hidden_size must be divisible by num_attention_heads "
                            "(got %lld and %lld), or head_dim given",
                            dir, (long long)c->hidden_size, (long long)c->num_attention_heads);
    return IA_OK;
}

/* The steps every model takes before its weights: the folder, config.json,
 * the registry's verdict, the sizes; then the backend and the scratch. */
static ia_status model_open(const char *path, ia_model **out, ia_error *err)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ia_error_set(err, IA_ERR_NOT_FOUND,
                            "%s: not a model folder (a folder holding config.json and "
                            "*.safetensors)",
                            path);
    ia_model *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        free(m);
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    }
    ia_status st = ia_model_config_load(path, &m->cfg, err);
    if (st == IA_OK) {
        m->type = ia_model_type_find(m->cfg.model_type);
        m->variant = ia_variant_find(m->cfg.model_type);
        if (!m->variant && m->type)
            st = ia_error_set(err, IA_ERR_UNSUPPORTED,
                              "%s: model type '%s' (family %s) is not supported yet (%s)", path,
                              m->cfg.model_type, m->type->family,
                              ia_model_status_name(m->type->status));
        else if (!m->variant)
            st = ia_error_set(err, IA_ERR_UNSUPPORTED,
                              "%s: model type '%s' is not a Hugging Face model type we know "
                              "(ipfs-accelerate models lists them)",
                              path, m->cfg.model_type);
    }
    if (st == IA_OK)
        st = check_config(path, &m->cfg, err);
    if (st == IA_OK) {
        ia_cpu_options cpu = {0};
        m->be = ia_backend_cpu_create(&cpu, err);
        if (!m->be)
            st = err && err->status ? err->status : IA_ERR_INTERNAL;
    }
    if (st == IA_OK && !(m->arena = ia_arena_create(1u << 20)))
        st = ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory for scratch", path);
    if (st != IA_OK) {
        ia_model_free(m);
        return st;
    }
    *out = m;
    return IA_OK;
}

ia_status ia_model_load(const char *path, const ia_model_options *opts, ia_model **out,
                        ia_error *err)
{
    (void)opts;
    ia_model *m = NULL;
    ia_status st = model_open(path, &m, err);
    if (st != IA_OK)
        return st;
    if (!has_safetensors(path)) {
        const char *other = other_weights(path);
        st = other ? ia_error_set(err, IA_ERR_UNSUPPORTED,
                                  "%s: the weights are in %s; only safetensors weights are "
                                  "read (convert them with save_pretrained(safe_serialization="
                                  "True))",
                                  path, other)
                   : ia_error_set(err, IA_ERR_NOT_FOUND,
                                  "%s: no weights (model.safetensors or "
                                  "model.safetensors.index.json)",
                                  path);
    }
    if (st == IA_OK)
        st = ia_safetensors_open(path, &m->weights, err);
    if (st == IA_OK) {
        const char *w = ia_safetensors_metadata(m->weights, "weights");
        m->synthetic = w && strcmp(w, "synthetic") == 0;
        st = m->variant->arch->load(m, err);
    }
    if (st != IA_OK) {
        ia_model_free(m);
        return st;
    }
    *out = m;
    return IA_OK;
}

ia_status ia_model_synthesize(const char *dir, uint64_t seed, ia_error *err)
{
    ia_model *m = NULL;
    ia_status st = model_open(dir, &m, err);
    if (st != IA_OK)
        return st;
    ia_synth s = {.seed = seed};
    m->synth = &s;
    st = m->variant->arch->load(m, err);
    if (st == IA_OK) {
        char path[4200], seed_text[32];
        snprintf(path, sizeof path, "%s/model.safetensors", dir);
        snprintf(seed_text, sizeof seed_text, "%llu", (unsigned long long)seed);
        const char *meta[] = {"format", "pt", "weights", "synthetic", "seed", seed_text, NULL};
        st = ia_safetensors_write(path, (const char *const *)s.names, s.tensors, s.n, meta, err);
    }
    for (size_t i = 0; i < s.n; i++)
        free(s.names[i]);
    free(s.names);
    free(s.tensors);
    m->synth = NULL;
    ia_model_free(m);
    return st;
}

void ia_model_free(ia_model *m)
{
    if (!m)
        return;
    if (m->state && m->variant && m->variant->arch->free_state)
        m->variant->arch->free_state(m);
    for (size_t i = 0; i < m->nbufs; i++)
        free(m->bufs[i].data);
    free(m->bufs);
    ia_arena_free(m->arena);
    ia_backend_free(m->be);
    ia_safetensors_close(m->weights);
    ia_model_config_free(&m->cfg);
    free(m->path);
    free(m);
}

const ia_model_config *ia_model_config_get(const ia_model *m)
{
    return &m->cfg;
}

bool ia_model_arch_is(const ia_model *m, const char *suffix)
{
    size_t n = strlen(m->cfg.architecture), k = strlen(suffix);
    return n >= k && strcmp(m->cfg.architecture + n - k, suffix) == 0;
}

int64_t ia_model_num_labels(const ia_model *m)
{
    const cJSON *id2label = cJSON_GetObjectItemCaseSensitive(m->cfg.json, "id2label");
    if (cJSON_IsObject(id2label) && cJSON_GetArraySize(id2label) > 0)
        return cJSON_GetArraySize(id2label);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(m->cfg.json, "num_labels");
    return cJSON_IsNumber(n) && n->valuedouble >= 1 ? (int64_t)n->valuedouble : 2;
}

const char *ia_model_path(const ia_model *m)
{
    return m->path;
}

bool ia_model_weights_synthetic(const ia_model *m)
{
    return m->synthetic;
}

const ia_model_type_info *ia_model_type_get(const ia_model *m)
{
    return m->type;
}

ia_status ia_model_forward(ia_model *m, const ia_tensor_map *inputs, ia_tensor_map *outputs,
                           ia_error *err)
{
    ia_arena_reset(m->arena);
    return m->variant->arch->forward(m, inputs, outputs, err);
}
