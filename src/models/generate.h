/*
 * Text generation's model-independent half (generate.c): the sequences
 * being generated, the choice of each next token from the logits (Hugging
 * Face's logits processors in their order, greedy or seeded sampling), EOS
 * and the stop rules. An architecture's generate runs the model (prefill,
 * then one token per step with its KV cache) and hands each step's logits
 * to ia_gen_push.
 */
#ifndef IA_MODELS_GENERATE_H
#define IA_MODELS_GENERATE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/model_internal.h"

#define IA_GEN_MAX_EOS 16

typedef struct ia_gen {
    ia_generate_opts opts; /* defaults filled in */
    int64_t B, S;          /* rows, prompt length */
    int64_t max_new;       /* new tokens at most */
    int64_t T;             /* S + max_new: the longest a sequence gets */
    int64_t len;           /* current length of every row (prompt included) */
    int64_t vocab;
    int64_t *ids;          /* [B, T]: prompt, then the tokens chosen */
    int64_t *step;         /* [B]: the tokens of the last step, the next step's input */
    ia_tensor step_ids;    /* step seen as an I64 [B, 1] tensor */
    bool *finished;        /* [B] */
    int64_t eos[IA_GEN_MAX_EOS];
    int neos;
    int64_t pad;
    uint64_t rng[4];       /* xoshiro256** state, from opts.seed */
    /* sampling scratch, allocated once per call: vocab entries each */
    float *scores;
    struct ia_gen_pair {
        float score;
        int32_t id;
    } *pairs;
    unsigned char *seen;
} ia_gen;

/* Checks the prompt (I64 or I32 [B, S], ids within the vocabulary) and the
 * options, reads the EOS and pad ids (generation_config.json, else
 * config.json), and allocates what the whole call needs. */
ia_status ia_gen_start(ia_model *m, const ia_tensor *input_ids, const ia_generate_opts *opts,
                       ia_gen *g, ia_error *err);
/* Chooses each row's next token from logits (row b at logits + b *
 * row_stride, vocab floats), appends it, and says whether to go on: false
 * once every row is finished, max_new tokens are out, or on_token asked to
 * stop. g->step_ids then holds the tokens just chosen. */
bool ia_gen_push(ia_gen *g, const float *logits, int64_t row_stride);
/* Adds "generated_ids" I64 [B, len] to out. */
ia_status ia_gen_finish(const ia_gen *g, ia_tensor_map *out, ia_error *err);
void ia_gen_end(ia_gen *g);

/* sampling.c: the token of row b from its logits (vocab floats), after
 * the repetition penalty, then greedy, or temperature, top-k and top-p and
 * a draw from the seeded generator; as Hugging Face's processors apply
 * them, in their order. */
int64_t ia_gen_choose(ia_gen *g, const float *logits, int64_t b);
void ia_gen_seed(ia_gen *g, uint64_t seed);

#endif
