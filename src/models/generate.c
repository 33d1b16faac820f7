/*
 * Text generation: ia_model_generate's checks, and the bookkeeping every
 * decoder shares (generate.h): the sequences, EOS and padding, the stop
 * rules and streaming. The architecture runs the model; sampling.c picks
 * the tokens.
 *
 * EOS and pad ids are read as Hugging Face's generate reads them: from
 * generation_config.json when the folder has one (its eos_token_id may be a
 * list: any of them ends a row), else from config.json; a missing pad id
 * falls back to the first EOS id. A row that ended keeps receiving the pad
 * id while the others go on, so every row has the same length.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/generate.h"

#define GENERATION_CONFIG_MAX_BYTES (1u << 20)

/* An id or a list of ids from v into g->eos; false when v holds none. */
static bool read_eos(const cJSON *v, ia_gen *g)
{
    g->neos = 0;
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble >= 0)
            g->eos[g->neos++] = (int64_t)v->valuedouble;
    } else if (cJSON_IsArray(v)) {
        for (const cJSON *e = v->child; e && g->neos < IA_GEN_MAX_EOS; e = e->next)
            if (cJSON_IsNumber(e) && e->valuedouble >= 0)
                g->eos[g->neos++] = (int64_t)e->valuedouble;
    }
    return g->neos > 0;
}

static int64_t read_id(const cJSON *v)
{
    if (cJSON_IsArray(v))
        v = v->child;
    return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (int64_t)v->valuedouble : -1;
}

static ia_status read_special_ids(const ia_model *m, ia_gen *g, ia_error *err)
{
    g->neos = 0;
    g->pad = -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/generation_config.json", m->path);
    FILE *f = fopen(path, "rb");
    bool have_eos = false, have_pad = false;
    if (f) {
        fclose(f);
        char *text = NULL;
        ia_status st = ia_file_read_all(path, GENERATION_CONFIG_MAX_BYTES, &text, NULL, err);
        if (st != IA_OK)
            return st;
        cJSON *doc = cJSON_Parse(text);
        free(text);
        if (!cJSON_IsObject(doc)) {
            cJSON_Delete(doc);
            return ia_error_set(err, IA_ERR_PARSE, "%s: not a JSON object", path);
        }
        have_eos = read_eos(cJSON_GetObjectItemCaseSensitive(doc, "eos_token_id"), g);
        g->pad = read_id(cJSON_GetObjectItemCaseSensitive(doc, "pad_token_id"));
        have_pad = g->pad >= 0;
        cJSON_Delete(doc);
    }
    if (!have_eos) {
        const cJSON *v = m->cfg.json ? cJSON_GetObjectItemCaseSensitive(m->cfg.json, "eos_token_id")
                                     : NULL;
        if (!read_eos(v, g) && m->cfg.eos_token_id >= 0)
            g->eos[g->neos++] = m->cfg.eos_token_id;
    }
    if (!have_pad)
        g->pad = m->cfg.pad_token_id;
    if (g->pad < 0)
        g->pad = g->neos ? g->eos[0] : 0;
    return IA_OK;
}

static int64_t id_at(const ia_tensor *t, int64_t b, int64_t s)
{
    const char *p = (const char *)t->data + (b * t->stride[0] + s * t->stride[1]) *
                                                (int64_t)ia_dtype_size(t->dtype);
    if (t->dtype == IA_DTYPE_I32) {
        int32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    int64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

ia_status ia_gen_start(ia_model *m, const ia_tensor *input_ids, const ia_generate_opts *opts,
                       ia_gen *g, ia_error *err)
{
    memset(g, 0, sizeof *g);
    if (opts)
        g->opts = *opts;
    if (g->opts.max_new_tokens == 0)
        g->opts.max_new_tokens = 20;
    g->B = input_ids->shape[0];
    g->S = input_ids->shape[1];
    g->max_new = g->opts.max_new_tokens;
    g->T = g->S + g->max_new;
    g->len = g->S;
    g->vocab = m->cfg.vocab_size;
    if (g->vocab <= 0 || g->vocab > INT32_MAX)
        return ia_error_set(err, IA_ERR_INVALID, "%s/config.json: vocab_size %lld is out of range",
                            m->path, (long long)g->vocab);
    ia_status st = read_special_ids(m, g, err);
    if (st != IA_OK)
        return st;
    if ((uint64_t)g->B * (uint64_t)g->T > (UINT64_C(1) << 40))
        return ia_error_set(err, IA_ERR_INVALID, "generate: %lld rows of %lld tokens is too many",
                            (long long)g->B, (long long)g->T);
    g->ids = malloc((size_t)(g->B * g->T) * sizeof *g->ids);
    g->step = malloc((size_t)g->B * sizeof *g->step);
    g->finished = calloc((size_t)g->B, sizeof *g->finished);
    g->scores = malloc((size_t)g->vocab * sizeof *g->scores);
    g->pairs = malloc((size_t)g->vocab * sizeof *g->pairs);
    g->seen = calloc((size_t)g->vocab, 1);
    if (!g->ids || !g->step || !g->finished || !g->scores || !g->pairs || !g->seen) {
        ia_gen_end(g);
        return ia_error_set(err, IA_ERR_NOMEM, "generate: out of memory");
    }
    for (int64_t b = 0; b < g->B; b++) {
        for (int64_t s = 0; s < g->S; s++) {
            int64_t id = id_at(input_ids, b, s);
            if (id < 0 || id >= g->vocab) {
                ia_gen_end(g);
                return ia_error_set(err, IA_ERR_INVALID,
                                    "input_ids: id %lld at [%lld, %lld] is outside the "
                                    "vocabulary of %lld",
                                    (long long)id, (long long)b, (long long)s,
                                    (long long)g->vocab);
            }
            g->ids[b * g->T + s] = id;
        }
    }
    int64_t shape[2] = {g->B, 1};
    g->step_ids = ia_tensor_make(IA_DTYPE_I64, 2, shape, g->step);
    ia_gen_seed(g, g->opts.seed);
    return IA_OK;
}

static bool is_eos(const ia_gen *g, int64_t id)
{
    for (int i = 0; i < g->neos; i++)
        if (g->eos[i] == id)
            return true;
    return false;
}

bool ia_gen_push(ia_gen *g, const float *logits, int64_t row_stride)
{
    bool all_done = true, go_on = true;
    for (int64_t b = 0; b < g->B; b++) {
        int64_t id = g->finished[b] ? g->pad : ia_gen_choose(g, logits + b * row_stride, b);
        if (b == 0 && !g->finished[0] && g->opts.on_token && !g->opts.on_token(g->opts.ctx, id))
            go_on = false;
        if (!g->opts.ignore_eos && is_eos(g, id))
            g->finished[b] = true;
        all_done = all_done && g->finished[b];
        g->ids[b * g->T + g->len] = id;
        g->step[b] = id;
    }
    g->len++;
    return go_on && !all_done && g->len < g->T;
}

ia_status ia_gen_finish(const ia_gen *g, ia_tensor_map *out, ia_error *err)
{
    int64_t shape[2] = {g->B, g->len};
    ia_tensor *t;
    ia_status st = ia_tensor_map_add(out, "generated_ids", IA_DTYPE_I64, 2, shape, &t, err);
    if (st != IA_OK)
        return st;
    for (int64_t b = 0; b < g->B; b++)
        memcpy((int64_t *)t->data + b * g->len, g->ids + b * g->T,
               (size_t)g->len * sizeof *g->ids);
    return IA_OK;
}

void ia_gen_end(ia_gen *g)
{
    free(g->ids);
    free(g->step);
    free(g->finished);
    free(g->scores);
    free(g->pairs);
    free(g->seen);
    memset(g, 0, sizeof *g);
}

ia_status ia_model_generate(ia_model *m, const ia_tensor *input_ids, const ia_generate_opts *opts,
                            ia_tensor_map *out, ia_error *err)
{
    if (!m || !input_ids || !out)
        return ia_error_set(err, IA_ERR_INVALID, "generate: model, input_ids and out are required");
    if (!m->variant->arch->generate)
        return ia_error_set(err, IA_ERR_UNSUPPORTED,
                            "%s: model type '%s' does not generate text (family %s)", m->path,
                            m->cfg.model_type, m->type ? m->type->family : "unknown");
    char d[96];
    if ((input_ids->dtype != IA_DTYPE_I64 && input_ids->dtype != IA_DTYPE_I32) ||
        input_ids->ndim != 2 || input_ids->shape[0] < 1 || input_ids->shape[1] < 1)
        return ia_error_set(err, IA_ERR_INVALID,
                            "generate: input_ids is %s; expected I64 or I32 [batch, tokens] with "
                            "at least one token",
                            ia_tensor_describe(input_ids, d, sizeof d));
    if (opts) {
        if (opts->max_new_tokens < 0)
            return ia_error_set(err, IA_ERR_INVALID,
                                "generate: max_new_tokens must not be negative (got %d)",
                                opts->max_new_tokens);
        if (!(opts->temperature >= 0) || opts->top_k < 0 || !(opts->top_p >= 0) ||
            opts->top_p > 1 || !(opts->repetition_penalty >= 0))
            return ia_error_set(err, IA_ERR_INVALID,
                                "generate: temperature (%g) and repetition_penalty (%g) must not "
                                "be negative, top_k (%d) neither, and top_p (%g) must be in "
                                "[0, 1]",
                                (double)opts->temperature, (double)opts->repetition_penalty,
                                opts->top_k, (double)opts->top_p);
    }
    return m->variant->arch->generate(m, input_ids, opts, out, err);
}
