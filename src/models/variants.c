/* The model types our engine runs, each as its family template plus what it
 * overrides (MV_* flags, read by the template). A type listed here must be
 * "native" in the registry (tests/test_models_registry.c checks both ways). */
#include <string.h>

#include "models/model_internal.h"


static const ia_variant variants[] = {
    {"bert", &ia_arch_bert, 0},
    {"deit", &ia_arch_vit, MV_DEIT},
    {"distilbert", &ia_arch_bert, MV_DISTILBERT | MV_NO_TOKEN_TYPES},
    {"gemma", &ia_arch_decoder, MV_GEMMA},
    {"gpt2", &ia_arch_decoder, MV_GPT2},
    {"gpt_neox", &ia_arch_decoder, MV_GPT_NEOX},
    {"llama", &ia_arch_decoder, 0},
    {"mistral", &ia_arch_decoder, MV_SLIDING_WINDOW},
    {"mpnet", &ia_arch_bert, MV_MPNET | MV_NO_TOKEN_TYPES},
    {"opt", &ia_arch_decoder, MV_OPT},
    {"phi3", &ia_arch_decoder, MV_FUSED_QKV},
    {"qwen2", &ia_arch_decoder, MV_QKV_BIAS},
    {"qwen3", &ia_arch_decoder, MV_QK_NORM},
    {"roberta", &ia_arch_bert, MV_POSITION_OFFSET},
    {"vit", &ia_arch_vit, 0},
    {"xlm-roberta", &ia_arch_bert, MV_POSITION_OFFSET},
};

const ia_variant *ia_variant_find(const char *model_type)
{
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++)
        if (strcmp(variants[i].model_type, model_type) == 0)
            return &variants[i];
    return NULL;
}
