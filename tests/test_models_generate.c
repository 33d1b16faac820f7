/*
 * Decoders and generation beyond the golden fixtures (which check one
 * prompt, greedy, against transformers): batched rows against the same rows
 * alone, attention masks against unpadded runs, EOS lists and padding,
 * streaming and its stop, sampling's determinism and its processors, the
 * context limit of learned positions, Llama 3, YaRN and LongRoPE scaling at
 * unit factors against plain rotary, no arena growth per token, and the errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipfs_accelerate/models.h"
#include "models/generate.h"
#include "models/model_internal.h"

static const char *fixture(const char *name)
{
    static char path[4096];
    const char *root = getenv("IA_FIXTURES");
    assert_non_null(root);
    snprintf(path, sizeof path, "%s/models/%s", root, name);
    return path;
}

static ia_model *load(const char *dir)
{
    ia_model *m = NULL;
    ia_error err = {0};
    if (ia_model_load(dir, NULL, &m, &err) != IA_OK)
        fail_msg("load %s: %s", dir, err.message);
    return m;
}

static ia_tensor ids_tensor(int64_t *data, int64_t B, int64_t S)
{
    int64_t shape[2] = {B, S};
    return ia_tensor_make(IA_DTYPE_I64, 2, shape, data);
}

/* Greedy (or opts) generation; returns the generated_ids row-major in a
 * malloc'd array, its length per row in *len. */
static int64_t *gen(ia_model *m, int64_t *ids, int64_t B, int64_t S, const ia_generate_opts *o,
                    int64_t *len)
{
    ia_tensor t = ids_tensor(ids, B, S);
    ia_tensor_map out = {0};
    ia_error err = {0};
    if (ia_model_generate(m, &t, o, &out, &err) != IA_OK)
        fail_msg("generate: %s", err.message);
    const ia_tensor *g = ia_tensor_map_find(&out, "generated_ids");
    assert_non_null(g);
    assert_int_equal(g->shape[0], B);
    *len = g->shape[1];
    int64_t *r = malloc((size_t)(B * *len) * sizeof *r);
    memcpy(r, g->data, (size_t)(B * *len) * sizeof *r);
    ia_tensor_map_free(&out);
    return r;
}

/* logits [B, S, V] of a forward pass, malloc'd. */
static float *logits_of(ia_model *m, int64_t *ids, int64_t B, int64_t S, const int64_t *mask)
{
    ia_tensor_map in = {0}, out = {0};
    ia_error err = {0};
    int64_t shape[2] = {B, S};
    ia_tensor *t;
    assert_int_equal(ia_tensor_map_add(&in, "input_ids", IA_DTYPE_I64, 2, shape, &t, &err), IA_OK);
    memcpy(t->data, ids, (size_t)(B * S) * sizeof *ids);
    if (mask) {
        assert_int_equal(ia_tensor_map_add(&in, "attention_mask", IA_DTYPE_I64, 2, shape, &t, &err),
                         IA_OK);
        memcpy(t->data, mask, (size_t)(B * S) * sizeof *mask);
    }
    if (ia_model_forward(m, &in, &out, &err) != IA_OK)
        fail_msg("forward: %s", err.message);
    const ia_tensor *l = ia_tensor_map_find(&out, "logits");
    assert_non_null(l);
    size_t n = (size_t)ia_tensor_numel(l);
    float *r = malloc(n * sizeof *r);
    memcpy(r, l->data, n * sizeof *r);
    ia_tensor_map_free(&in);
    ia_tensor_map_free(&out);
    return r;
}

static double max_diff(const float *a, const float *b, size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (!(d <= worst))
            worst = d;
    }
    return worst;
}

static int64_t prompt_a[9] = {5, 17, 42, 8, 93, 11, 64, 3, 27};
static int64_t prompt_b[9] = {71, 2, 9, 56, 14, 88, 30, 45, 6};

/* Two rows at once give what each gives alone: the batch shares nothing. */
static void batch_matches_rows(const char *name)
{
    ia_model *m = load(fixture(name));
    ia_generate_opts o = {.max_new_tokens = 10, .ignore_eos = true};
    int64_t both[18], la, lb, l2;
    memcpy(both, prompt_a, sizeof prompt_a);
    memcpy(both + 9, prompt_b, sizeof prompt_b);
    int64_t *a = gen(m, prompt_a, 1, 9, &o, &la);
    int64_t *b = gen(m, prompt_b, 1, 9, &o, &lb);
    int64_t *ab = gen(m, both, 2, 9, &o, &l2);
    assert_int_equal(la, 19);
    assert_int_equal(l2, 19);
    assert_memory_equal(ab, a, 19 * sizeof *a);
    assert_memory_equal(ab + 19, b, 19 * sizeof *b);
    /* I32 ids give the same */
    int32_t a32[9];
    for (int i = 0; i < 9; i++)
        a32[i] = (int32_t)prompt_a[i];
    int64_t shape[2] = {1, 9};
    ia_tensor t32 = ia_tensor_make(IA_DTYPE_I32, 2, shape, a32);
    ia_tensor_map out = {0};
    ia_error err = {0};
    assert_int_equal(ia_model_generate(m, &t32, &o, &out, &err), IA_OK);
    assert_memory_equal(ia_tensor_map_find(&out, "generated_ids")->data, a, 19 * sizeof *a);
    ia_tensor_map_free(&out);
    /* the KV cache path gives the forward pass's argmax over the whole sequence */
    float *lg = logits_of(m, a, 1, 18, NULL);
    int64_t V = ia_model_config_get(m)->vocab_size;
    for (int64_t s = 8; s < 18; s++) {
        int64_t best = 0;
        for (int64_t v = 1; v < V; v++)
            if (lg[s * V + v] > lg[s * V + best])
                best = v;
        assert_int_equal(best, a[s + 1]);
    }
    free(lg);
    free(a);
    free(b);
    free(ab);
    ia_model_free(m);
}

static void test_batch_llama(void **state)
{
    (void)state;
    batch_matches_rows("llama");
}

static void test_batch_gpt2(void **state)
{
    (void)state;
    batch_matches_rows("gpt2");
}

static void test_batch_mistral(void **state)
{
    (void)state;
    batch_matches_rows("mistral"); /* sliding window 4 over the cache */
}

static void test_batch_neox(void **state)
{
    (void)state;
    batch_matches_rows("gpt_neox");
}

/* Right padding: the real positions' logits are those of the unpadded
 * prompt. Left padding too for OPT, whose positions come from the mask. */
static void padded_matches(const char *name, bool left)
{
    ia_model *m = load(fixture(name));
    int64_t V = ia_model_config_get(m)->vocab_size;
    int64_t ids[18], mask[18];
    memcpy(ids, prompt_a, sizeof prompt_a);
    for (int i = 0; i < 9; i++)
        mask[i] = 1;
    /* row 1: prompt_b's first 6 tokens, padded with 3 */
    for (int i = 0; i < 9; i++) {
        int real = left ? i - 3 : i;
        bool pad = left ? i < 3 : i >= 6;
        ids[9 + i] = pad ? 0 : prompt_b[real];
        mask[9 + i] = pad ? 0 : 1;
    }
    float *both = logits_of(m, ids, 2, 9, mask);
    float *a = logits_of(m, prompt_a, 1, 9, NULL);
    float *b = logits_of(m, prompt_b, 1, 6, NULL);
    assert_true(max_diff(both, a, (size_t)(9 * V)) < 1e-5);
    const float *row1 = both + 9 * V + (left ? 3 * V : 0);
    double d = max_diff(row1, b, (size_t)(6 * V));
    if (!(d < 1e-5))
        fail_msg("%s: padded row differs from the unpadded one by %g", name, d);
    free(both);
    free(a);
    free(b);
    ia_model_free(m);
}

static void test_mask_right_llama(void **state)
{
    (void)state;
    padded_matches("llama", false);
}

static void test_mask_right_gpt2(void **state)
{
    (void)state;
    padded_matches("gpt2", false);
}

static void test_mask_left_opt(void **state)
{
    (void)state;
    padded_matches("opt", true);
}

/* A model folder in /tmp: the fixture's config and weights with our own
 * generation_config.json (and config.json edits). */
static char *scratch_model(const char *name, const char *gen_config, const char *config_edit)
{
    static char dir[256];
    snprintf(dir, sizeof dir, "/tmp/ia_gen_test_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char src[4200], dst[4200];
    snprintf(src, sizeof src, "%s/model.safetensors", fixture(name));
    snprintf(dst, sizeof dst, "%s/model.safetensors", dir);
    assert_int_equal(symlink(src, dst), 0);
    snprintf(src, sizeof src, "%s/config.json", fixture(name));
    char *text = NULL;
    ia_error err = {0};
    assert_int_equal(ia_file_read_all(src, 1 << 20, &text, NULL, &err), IA_OK);
    if (config_edit) {
        /* inserted after the opening brace */
        char *brace = strchr(text, '{');
        assert_non_null(brace);
        size_t n = strlen(text) + strlen(config_edit) + 1;
        char *edited = malloc(n);
        snprintf(edited, n, "{%s%s", config_edit, brace + 1);
        free(text);
        text = edited;
    }
    snprintf(dst, sizeof dst, "%s/config.json", dir);
    assert_int_equal(ia_file_write_all(dst, text, strlen(text), &err), IA_OK);
    free(text);
    if (gen_config) {
        snprintf(dst, sizeof dst, "%s/generation_config.json", dir);
        assert_int_equal(ia_file_write_all(dst, gen_config, strlen(gen_config), &err), IA_OK);
    }
    return dir;
}

static void remove_scratch(const char *dir)
{
    const char *files[] = {"model.safetensors", "config.json", "generation_config.json"};
    char p[512];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* An EOS list from generation_config.json ends each row at its first EOS;
 * a finished row is padded with pad_token_id while the other goes on. */
static void test_eos_list_and_padding(void **state)
{
    (void)state;
    ia_model *m = load(fixture("llama"));
    ia_generate_opts o = {.max_new_tokens = 10, .ignore_eos = true};
    int64_t la, lb;
    int64_t *a = gen(m, prompt_a, 1, 9, &o, &la);
    int64_t *b = gen(m, prompt_b, 1, 9, &o, &lb);
    ia_model_free(m);
    /* row a ends at its 3rd new token; row b at its 6th unless a token of b
     * before it is a's third */
    int64_t eos_a = a[11], eos_b = b[14];
    int stop_b = 6;
    for (int i = 0; i < 6; i++)
        if (b[9 + i] == eos_a || b[9 + i] == eos_b) {
            stop_b = i + 1;
            break;
        }
    int stop_a = 3;
    for (int i = 0; i < 3; i++)
        if (a[9 + i] == eos_a || a[9 + i] == eos_b) {
            stop_a = i + 1;
            break;
        }
    char gc[256];
    snprintf(gc, sizeof gc, "{\"eos_token_id\": [%lld, %lld], \"pad_token_id\": 77}",
             (long long)eos_a, (long long)eos_b);
    char *dir = scratch_model("llama", gc, NULL);
    m = load(dir);
    int64_t both[18], l2;
    memcpy(both, prompt_a, sizeof prompt_a);
    memcpy(both + 9, prompt_b, sizeof prompt_b);
    o.ignore_eos = false;
    int64_t *ab = gen(m, both, 2, 9, &o, &l2);
    int longest = stop_a > stop_b ? stop_a : stop_b;
    assert_int_equal(l2, 9 + longest);
    for (int i = 0; i < longest; i++) {
        assert_int_equal(ab[9 + i], i < stop_a ? a[9 + i] : 77);
        assert_int_equal(ab[l2 + 9 + i], i < stop_b ? b[9 + i] : 77);
    }
    free(ab);
    /* one row: stops right at its EOS */
    int64_t *a2 = gen(m, prompt_a, 1, 9, &o, &l2);
    assert_int_equal(l2, 9 + stop_a);
    assert_int_equal(a2[l2 - 1], a[l2 - 1]);
    free(a2);
    ia_model_free(m);
    remove_scratch(dir);
    free(a);
    free(b);
}

typedef struct stream {
    int64_t got[64];
    int n, stop_after;
    ia_model *m;
    uint64_t allocs[64];
} stream;

static bool on_token(void *ctx, int64_t token)
{
    stream *s = ctx;
    s->allocs[s->n] = ia_arena_system_allocations(s->m->arena);
    s->got[s->n++] = token;
    return s->n != s->stop_after;
}

/* Streaming gets row 0's tokens in order; returning false stops. No step
 * after the first two asks the system for scratch. */
static void test_streaming(void **state)
{
    (void)state;
    ia_model *m = load(fixture("qwen2"));
    stream s = {.m = m, .stop_after = -1};
    ia_generate_opts o = {.max_new_tokens = 12, .ignore_eos = true, .on_token = on_token,
                          .ctx = &s};
    int64_t len;
    int64_t *a = gen(m, prompt_a, 1, 9, &o, &len);
    assert_int_equal(len, 21);
    assert_int_equal(s.n, 12);
    for (int i = 0; i < 12; i++)
        assert_int_equal(s.got[i], a[9 + i]);
    for (int i = 3; i < 12; i++)
        assert_int_equal(s.allocs[i], s.allocs[2]);
    free(a);
    stream s2 = {.m = m, .stop_after = 5};
    o.ctx = &s2;
    a = gen(m, prompt_a, 1, 9, &o, &len);
    assert_int_equal(len, 14);
    assert_int_equal(s2.n, 5);
    free(a);
    ia_model_free(m);
}

/* Sampling: a seed gives the same tokens, top_k 1 is greedy, the
 * repetition penalty changes what greedy picks as HF's processor says. */
static void test_sampling(void **state)
{
    (void)state;
    ia_model *m = load(fixture("gemma"));
    int64_t V = ia_model_config_get(m)->vocab_size;
    ia_generate_opts greedy = {.max_new_tokens = 12, .ignore_eos = true};
    ia_generate_opts o = {.max_new_tokens = 12, .ignore_eos = true, .temperature = 1.5f,
                          .seed = 42};
    int64_t l1, l2, l3, l4;
    int64_t *g = gen(m, prompt_a, 1, 9, &greedy, &l1);
    int64_t *s1 = gen(m, prompt_a, 1, 9, &o, &l2);
    int64_t *s2 = gen(m, prompt_a, 1, 9, &o, &l3);
    assert_memory_equal(s1, s2, (size_t)l2 * sizeof *s1);
    bool differs = false;
    for (uint64_t seed = 1; seed < 6 && !differs; seed++) {
        o.seed = seed;
        int64_t *s3 = gen(m, prompt_a, 1, 9, &o, &l4);
        differs = memcmp(s3, s1, (size_t)l4 * sizeof *s3) != 0;
        free(s3);
    }
    assert_true(differs);
    o.top_k = 1;
    int64_t *k1 = gen(m, prompt_a, 1, 9, &o, &l4);
    assert_memory_equal(k1, g, (size_t)l1 * sizeof *g);
    free(k1);
    o.top_k = 0;
    o.top_p = 1e-6f; /* only the most likely token survives */
    int64_t *p1 = gen(m, prompt_a, 1, 9, &o, &l4);
    assert_memory_equal(p1, g, (size_t)l1 * sizeof *g);
    free(p1);
    /* the repetition penalty on the prompt's tokens, by hand */
    float *lg = logits_of(m, prompt_a, 1, 9, NULL);
    float *last = lg + 8 * V, pen = 3.0f;
    for (int i = 0; i < 9; i++) {
        int64_t id = prompt_a[i];
        bool dup = false;
        for (int j = 0; j < i; j++)
            dup = dup || prompt_a[j] == id;
        if (!dup)
            last[id] = last[id] < 0 ? last[id] * pen : last[id] / pen;
    }
    int64_t best = 0;
    for (int64_t v = 1; v < V; v++)
        if (last[v] > last[best])
            best = v;
    ia_generate_opts rp = {.max_new_tokens = 1, .ignore_eos = true, .repetition_penalty = pen};
    int64_t *r = gen(m, prompt_a, 1, 9, &rp, &l4);
    assert_int_equal(l4, 10);
    assert_int_equal(r[9], best);
    free(r);
    free(lg);
    free(g);
    free(s1);
    free(s2);
    ia_model_free(m);
}

/* Draw frequencies of sampling.c against the probabilities the warpers
 * leave: softmax at temperature 1, top-k 2, top-p 0.75 (the least likely
 * token goes: its cumulative 0.1 is <= 0.25), temperature 0.5 (squared
 * probabilities, renormalised). */
static void draws(const ia_generate_opts *o, const double *want)
{
    enum { V = 4, N = 40000 };
    float logits[V];
    const double p[V] = {0.1, 0.2, 0.3, 0.4};
    for (int i = 0; i < V; i++)
        logits[i] = (float)log(p[i]);
    float scores[V];
    struct ia_gen_pair pairs[V];
    unsigned char seen[V] = {0};
    int64_t ids[1] = {0};
    ia_gen g = {.opts = *o, .vocab = V, .T = 1, .len = 0, .ids = ids, .scores = scores,
                .pairs = pairs, .seen = seen};
    ia_gen_seed(&g, 7);
    int count[V] = {0};
    for (int i = 0; i < N; i++) {
        int64_t t = ia_gen_choose(&g, logits, 0);
        assert_true(t >= 0 && t < V);
        count[t]++;
    }
    for (int i = 0; i < V; i++)
        if (fabs((double)count[i] / N - want[i]) > 0.01)
            fail_msg("token %d drawn %.4f of the time, expected %.4f", i, (double)count[i] / N,
                     want[i]);
}

static void test_sampling_distribution(void **state)
{
    (void)state;
    ia_generate_opts o = {.temperature = 1};
    draws(&o, (const double[]){0.1, 0.2, 0.3, 0.4});
    o.top_k = 2;
    draws(&o, (const double[]){0, 0, 3.0 / 7, 4.0 / 7});
    o.top_k = 0;
    o.top_p = 0.75f;
    draws(&o, (const double[]){0, 2.0 / 9, 3.0 / 9, 4.0 / 9});
    o.top_p = 0;
    o.temperature = 0.5f;
    draws(&o, (const double[]){1.0 / 30, 4.0 / 30, 9.0 / 30, 16.0 / 30});
}

/* Llama 3 and YaRN scaling with factor 1 rotate as plain rotary does. */
static void test_llama3_rope(void **state)
{
    (void)state;
    char *dir = scratch_model("llama", NULL,
                              "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 1.0, "
                              "\"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                              "\"original_max_position_embeddings\": 16},");
    ia_model *m = load(dir);
    ia_model *plain = load(fixture("llama"));
    int64_t V = ia_model_config_get(m)->vocab_size;
    float *a = logits_of(m, prompt_a, 1, 9, NULL), *b = logits_of(plain, prompt_a, 1, 9, NULL);
    assert_true(max_diff(a, b, (size_t)(9 * V)) < 1e-5);
    free(a);
    free(b);
    ia_model_free(m);
    remove_scratch(dir);
    /* YaRN at factor 1 neither interpolates nor scales */
    dir = scratch_model("llama", NULL,
                        "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 1.0, "
                        "\"original_max_position_embeddings\": 16},");
    m = load(dir);
    a = logits_of(m, prompt_a, 1, 9, NULL);
    b = logits_of(plain, prompt_a, 1, 9, NULL);
    assert_true(max_diff(a, b, (size_t)(9 * V)) < 1e-5);
    free(a);
    free(b);
    ia_model_free(m);
    remove_scratch(dir);
    /* llama3 at factor 8: the low frequencies change, and so do the logits */
    dir = scratch_model("llama", NULL,
                        "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, "
                        "\"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                        "\"original_max_position_embeddings\": 16},");
    m = load(dir);
    a = logits_of(m, prompt_a, 1, 9, NULL);
    b = logits_of(plain, prompt_a, 1, 9, NULL);
    assert_true(max_diff(a, b, (size_t)(9 * V)) > 1e-4); /* 6.9e-4 */
    free(a);
    free(b);
    ia_model_free(m);
    ia_model_free(plain);
    remove_scratch(dir);
}

/* LongRoPE with unit factors and attention factor rotates as plain rotary
 * does, on both sides of original_max_position_embeddings; without its
 * long factors it is refused. */
static void test_longrope(void **state)
{
    (void)state;
    char *dir = scratch_model("phi3", NULL,
                              "\"original_max_position_embeddings\": 12, \"rope_scaling\": "
                              "{\"type\": \"longrope\", \"attention_factor\": 1.0, "
                              "\"short_factor\": [1, 1, 1, 1], \"long_factor\": [1, 1, 1, 1]},");
    ia_model *m = load(dir);
    ia_model *plain = load(fixture("phi3"));
    int64_t V = ia_model_config_get(m)->vocab_size;
    float *a = logits_of(m, prompt_a, 1, 9, NULL), *b = logits_of(plain, prompt_a, 1, 9, NULL);
    assert_true(max_diff(a, b, (size_t)(9 * V)) < 1e-5);
    free(a);
    free(b);
    ia_generate_opts o = {.max_new_tokens = 8, .ignore_eos = true};
    int64_t l1, l2;
    int64_t *g1 = gen(m, prompt_a, 1, 9, &o, &l1), *g2 = gen(plain, prompt_a, 1, 9, &o, &l2);
    assert_memory_equal(g1, g2, (size_t)l1 * sizeof *g1);
    free(g1);
    free(g2);
    ia_model_free(m);
    ia_model_free(plain);
    remove_scratch(dir);
    dir = scratch_model("phi3", NULL,
                        "\"original_max_position_embeddings\": 12, \"rope_scaling\": "
                        "{\"type\": \"longrope\", \"short_factor\": [1, 1, 1, 1]},");
    ia_error err = {0};
    assert_int_equal(ia_model_load(dir, NULL, &m, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "long_factor"));
    remove_scratch(dir);
}

static void test_errors(void **state)
{
    (void)state;
    ia_error err = {0};
    ia_tensor_map out = {0};
    ia_model *m = load(fixture("gpt2"));
    ia_tensor t = ids_tensor(prompt_a, 1, 9);
    ia_generate_opts o = {.max_new_tokens = 56, .ignore_eos = true};
    assert_int_equal(ia_model_generate(m, &t, &o, &out, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "prompt of 9 tokens plus 56 new exceeds the context of 64"));
    o.max_new_tokens = 55; /* 64 exactly fits */
    assert_int_equal(ia_model_generate(m, &t, &o, &out, &err), IA_OK);
    assert_int_equal(ia_tensor_map_find(&out, "generated_ids")->shape[1], 64);
    int64_t bad[2] = {3, 99};
    ia_tensor tb = ids_tensor(bad, 1, 2);
    assert_int_equal(ia_model_generate(m, &tb, &o, &out, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "id 99"));
    float f[2] = {1, 2};
    int64_t shape[2] = {1, 2};
    ia_tensor tf = ia_tensor_make(IA_DTYPE_F32, 2, shape, f);
    assert_int_equal(ia_model_generate(m, &tf, &o, &out, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "input_ids"));
    o.top_p = 2;
    assert_int_equal(ia_model_generate(m, &t, &o, &out, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "top_p"));
    ia_model_free(m);
    m = load(fixture("bert"));
    o.top_p = 0;
    assert_int_equal(ia_model_generate(m, &t, &o, &out, &err), IA_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "does not generate"));
    ia_model_free(m);
    ia_tensor_map_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_llama),
        cmocka_unit_test(test_batch_gpt2),
        cmocka_unit_test(test_batch_mistral),
        cmocka_unit_test(test_batch_neox),
        cmocka_unit_test(test_mask_right_llama),
        cmocka_unit_test(test_mask_right_gpt2),
        cmocka_unit_test(test_mask_left_opt),
        cmocka_unit_test(test_eos_list_and_padding),
        cmocka_unit_test(test_streaming),
        cmocka_unit_test(test_sampling),
        cmocka_unit_test(test_sampling_distribution),
        cmocka_unit_test(test_llama3_rope),
        cmocka_unit_test(test_longrope),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
