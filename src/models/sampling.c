/*
 * Choosing the next token from a row of logits, as Hugging Face's generate
 * does: the repetition penalty (a processor, so greedy search applies it
 * too), then, when sampling, the warpers in their order (temperature,
 * top-k, top-p) and a draw from the softmax. Greedy takes the first
 * maximum, as torch.argmax does.
 *
 * The draw uses our own generator, xoshiro256** seeded by splitmix64, so a
 * seed gives the same tokens on every machine (PyTorch's multinomial cannot
 * be reproduced outside PyTorch anyway). Scratch is the ia_gen's, allocated
 * once per call: no allocation per token.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/generate.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void ia_gen_seed(ia_gen *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        g->rng[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next_u64(uint64_t s[4])
{
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

/* Uniform in [0, 1) with 53 random bits. */
static double uniform(uint64_t s[4])
{
    return (double)(next_u64(s) >> 11) * 0x1.0p-53;
}

/* RepetitionPenaltyLogitsProcessor: every id of the row so far (prompt
 * included), once however often it occurs, divided by the penalty when
 * positive and multiplied when negative. */
static void repetition_penalty(ia_gen *g, float *x, int64_t b)
{
    const int64_t *row = g->ids + b * g->T;
    float p = g->opts.repetition_penalty;
    for (int64_t i = 0; i < g->len; i++) {
        int64_t id = row[i];
        if (g->seen[id])
            continue;
        g->seen[id] = 1;
        x[id] = x[id] < 0 ? x[id] * p : x[id] / p;
    }
    for (int64_t i = 0; i < g->len; i++)
        g->seen[row[i]] = 0;
}

static int64_t argmax(const float *x, int64_t n)
{
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++)
        if (x[i] > x[best] || (isnan(x[i]) && !isnan(x[best])))
            best = i;
    return best;
}

/* The k-th largest of v[0..n) (k in [1, n]), by quickselect; v is reordered. */
static float kth_largest(float *v, int64_t n, int64_t k)
{
    int64_t lo = 0, hi = n - 1, want = k - 1;
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] > pivot)
                i++;
            while (v[j] < pivot)
                j--;
            if (i <= j) {
                float t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return v[want];
    }
    return v[want];
}

/* Ascending by score, ties by id, as a total order for qsort. */
static int by_score(const void *a, const void *b)
{
    const struct ia_gen_pair *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* TopKLogitsWarper: scores below the k-th largest become -inf (ties at the
 * threshold stay). */
static void top_k(ia_gen *g, float *x)
{
    int64_t V = g->vocab, k = g->opts.top_k < V ? g->opts.top_k : V;
    float *tmp = (float *)g->pairs; /* V floats fit in V pairs */
    memcpy(tmp, x, (size_t)V * sizeof *tmp);
    float kth = kth_largest(tmp, V, k);
    for (int64_t i = 0; i < V; i++)
        if (x[i] < kth)
            x[i] = -INFINITY;
}

/* TopPLogitsWarper: sorted ascending, the tokens whose cumulative
 * probability stays at or below 1 - top_p go, the most likely one always
 * stays. */
static void top_p(ia_gen *g, float *x)
{
    int64_t V = g->vocab, n = 0;
    for (int64_t i = 0; i < V; i++)
        if (x[i] != -INFINITY)
            g->pairs[n++] = (struct ia_gen_pair){x[i], (int32_t)i};
    if (n <= 1)
        return;
    qsort(g->pairs, (size_t)n, sizeof *g->pairs, by_score);
    float mx = g->pairs[n - 1].score;
    double total = 0;
    for (int64_t i = 0; i < n; i++)
        total += exp((double)g->pairs[i].score - mx);
    float cum = 0, limit = 1.0f - g->opts.top_p;
    for (int64_t i = 0; i < n - 1; i++) {
        cum += (float)(exp((double)g->pairs[i].score - mx) / total);
        if (cum > limit)
            break;
        x[g->pairs[i].id] = -INFINITY;
    }
}

/* A draw from softmax(x). */
static int64_t sample(ia_gen *g, const float *x)
{
    int64_t V = g->vocab, best = argmax(x, V);
    float mx = x[best];
    if (!isfinite(mx))
        return best;
    double total = 0;
    for (int64_t i = 0; i < V; i++)
        total += exp((double)x[i] - mx);
    double u = uniform(g->rng) * total, acc = 0;
    int64_t last = best;
    for (int64_t i = 0; i < V; i++) {
        if (x[i] == -INFINITY)
            continue;
        acc += exp((double)x[i] - mx);
        last = i;
        if (u < acc)
            return i;
    }
    return last; /* rounding left u at the very end */
}

int64_t ia_gen_choose(ia_gen *g, const float *logits, int64_t b)
{
    const ia_generate_opts *o = &g->opts;
    bool penalty = o->repetition_penalty > 0 && o->repetition_penalty != 1.0f;
    bool sampling = o->temperature > 0;
    if (!penalty && !sampling)
        return argmax(logits, g->vocab);
    float *x = g->scores;
    memcpy(x, logits, (size_t)g->vocab * sizeof *x);
    if (penalty)
        repetition_penalty(g, x, b);
    if (!sampling)
        return argmax(x, g->vocab);
    if (o->temperature != 1.0f)
        for (int64_t i = 0; i < g->vocab; i++)
            x[i] /= o->temperature;
    if (o->top_k > 0)
        top_k(g, x);
    if (o->top_p > 0 && o->top_p < 1)
        top_p(g, x);
    return sample(g, x);
}
