/* Presets: the architectures of well-known checkpoints, kept as their
 * config.json (as the Hugging Face Hub serves them), so `--model
 * bert-base-uncased` means something on a machine that has never downloaded
 * it: ia_model_resolve uses a local Hugging Face cache copy when there is
 * one, and otherwise synthetic weights of the real shapes, for
 * benchmarking, marked as such everywhere they are used. (The image
 * classifiers keep their 1000 ImageNet classes as num_labels, without the
 * label names.)
 *
 * And the resolution itself: folder, then Hugging Face cache, then preset. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipfs_accelerate/tokenizer.h"
#include "models/model_internal.h"

static const ia_model_preset presets[] = {
    {"bert-base-uncased", "embedding",
     "{\"architectures\": [\"BertForMaskedLM\"], \"attention_probs_dropout_prob\": 0.1, "
     "\"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.1, \"hidden_size\": 768, "
     "\"initializer_range\": 0.02, \"intermediate_size\": 3072, \"layer_norm_eps\": 1e-12, "
     "\"max_position_embeddings\": 512, \"model_type\": \"bert\", \"num_attention_heads\": 12, "
     "\"num_hidden_layers\": 12, \"pad_token_id\": 0, \"position_embedding_type\": "
     "\"absolute\", \"type_vocab_size\": 2, \"use_cache\": true, \"vocab_size\": 30522}"},
    {"distilbert-base-uncased", "embedding",
     "{\"activation\": \"gelu\", \"architectures\": [\"DistilBertForMaskedLM\"], "
     "\"attention_dropout\": 0.1, \"dim\": 768, \"dropout\": 0.1, \"hidden_dim\": 3072, "
     "\"initializer_range\": 0.02, \"max_position_embeddings\": 512, \"model_type\": "
     "\"distilbert\", \"n_heads\": 12, \"n_layers\": 6, \"pad_token_id\": 0, \"qa_dropout\": 0.1, "
     "\"seq_classif_dropout\": 0.2, \"sinusoidal_pos_embds\": false, \"tie_weights_\": true, "
     "\"vocab_size\": 30522}"},
    {"facebook/deit-tiny-patch16-224", "vision",
     "{\"architectures\": [\"ViTForImageClassification\"], \"attention_probs_dropout_prob\": "
     "0.0, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.0, \"hidden_size\": 192, "
     "\"image_size\": 224, \"initializer_range\": 0.02, \"intermediate_size\": 768, "
     "\"layer_norm_eps\": 1e-12, \"model_type\": \"vit\", \"num_attention_heads\": 3, "
     "\"num_channels\": 3, \"num_hidden_layers\": 12, \"num_labels\": 1000, \"patch_size\": 16, "
     "\"qkv_bias\": true}"},
    {"facebook/opt-125m", "text-generation",
     "{\"_remove_final_layer_norm\": false, \"activation_dropout\": 0.0, "
     "\"activation_function\": \"relu\", \"architectures\": [\"OPTForCausalLM\"], "
     "\"attention_dropout\": 0.0, \"bos_token_id\": 2, \"do_layer_norm_before\": true, "
     "\"dropout\": 0.1, \"eos_token_id\": 2, \"ffn_dim\": 3072, \"hidden_size\": 768, "
     "\"init_std\": 0.02, \"layerdrop\": 0.0, \"max_position_embeddings\": 2048, "
     "\"model_type\": \"opt\", \"num_attention_heads\": 12, \"num_hidden_layers\": 12, "
     "\"pad_token_id\": 1, \"use_cache\": true, \"vocab_size\": 50272, "
     "\"word_embed_proj_dim\": 768}"},
    {"google/vit-base-patch16-224", "vision",
     "{\"architectures\": [\"ViTForImageClassification\"], \"attention_probs_dropout_prob\": "
     "0.0, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.0, \"hidden_size\": 768, "
     "\"image_size\": 224, \"initializer_range\": 0.02, \"intermediate_size\": 3072, "
     "\"layer_norm_eps\": 1e-12, \"model_type\": \"vit\", \"num_attention_heads\": 12, "
     "\"num_channels\": 3, \"num_hidden_layers\": 12, \"num_labels\": 1000, \"patch_size\": 16, "
     "\"qkv_bias\": true}"},
    {"gpt2", "text-generation",
     "{\"activation_function\": \"gelu_new\", \"architectures\": [\"GPT2LMHeadModel\"], "
     "\"attn_pdrop\": 0.1, \"bos_token_id\": 50256, \"embd_pdrop\": 0.1, \"eos_token_id\": "
     "50256, \"initializer_range\": 0.02, \"layer_norm_epsilon\": 1e-05, \"model_type\": "
     "\"gpt2\", \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 12, "
     "\"n_positions\": 1024, \"resid_pdrop\": 0.1, \"vocab_size\": 50257}"},
    {"Qwen/Qwen2-0.5B", "text-generation",
     "{\"architectures\": [\"Qwen2ForCausalLM\"], \"attention_dropout\": 0.0, "
     "\"bos_token_id\": 151643, \"eos_token_id\": 151643, \"hidden_act\": \"silu\", "
     "\"hidden_size\": 896, \"initializer_range\": 0.02, \"intermediate_size\": 4864, "
     "\"max_position_embeddings\": 131072, \"max_window_layers\": 24, \"model_type\": "
     "\"qwen2\", \"num_attention_heads\": 14, \"num_hidden_layers\": 24, "
     "\"num_key_value_heads\": 2, \"rms_norm_eps\": 1e-06, \"rope_theta\": 1000000.0, "
     "\"sliding_window\": 131072, \"tie_word_embeddings\": true, \"torch_dtype\": "
     "\"bfloat16\", \"use_cache\": true, \"use_sliding_window\": false, \"vocab_size\": "
     "151936}"},
    {"Qwen/Qwen3-0.6B", "text-generation",
     "{\"architectures\": [\"Qwen3ForCausalLM\"], \"attention_bias\": false, "
     "\"attention_dropout\": 0.0, \"bos_token_id\": 151643, \"eos_token_id\": 151645, "
     "\"head_dim\": 128, \"hidden_act\": \"silu\", \"hidden_size\": 1024, "
     "\"initializer_range\": 0.02, \"intermediate_size\": 3072, \"max_position_embeddings\": "
     "40960, \"max_window_layers\": 28, \"model_type\": \"qwen3\", \"num_attention_heads\": "
     "16, \"num_hidden_layers\": 28, \"num_key_value_heads\": 8, \"rms_norm_eps\": 1e-06, "
     "\"rope_scaling\": null, \"rope_theta\": 1000000, \"sliding_window\": null, "
     "\"tie_word_embeddings\": true, \"torch_dtype\": \"bfloat16\", \"use_cache\": true, "
     "\"use_sliding_window\": false, \"vocab_size\": 151936}"},
    {"roberta-base", "embedding",
     "{\"architectures\": [\"RobertaForMaskedLM\"], \"attention_probs_dropout_prob\": 0.1, "
     "\"bos_token_id\": 0, \"eos_token_id\": 2, \"hidden_act\": \"gelu\", "
     "\"hidden_dropout_prob\": 0.1, \"hidden_size\": 768, \"initializer_range\": 0.02, "
     "\"intermediate_size\": 3072, \"layer_norm_eps\": 1e-05, \"max_position_embeddings\": "
     "514, \"model_type\": \"roberta\", \"num_attention_heads\": 12, \"num_hidden_layers\": 12, "
     "\"pad_token_id\": 1, \"type_vocab_size\": 1, \"vocab_size\": 50265}"},
    {"sentence-transformers/all-MiniLM-L6-v2", "embedding",
     "{\"architectures\": [\"BertModel\"], \"attention_probs_dropout_prob\": 0.1, "
     "\"gradient_checkpointing\": false, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": "
     "0.1, \"hidden_size\": 384, \"initializer_range\": 0.02, \"intermediate_size\": 1536, "
     "\"layer_norm_eps\": 1e-12, \"max_position_embeddings\": 512, \"model_type\": \"bert\", "
     "\"num_attention_heads\": 12, \"num_hidden_layers\": 6, \"pad_token_id\": 0, "
     "\"position_embedding_type\": \"absolute\", \"type_vocab_size\": 2, \"use_cache\": true, "
     "\"vocab_size\": 30522}"},
    {"TinyLlama/TinyLlama-1.1B-Chat-v1.0", "text-generation",
     "{\"architectures\": [\"LlamaForCausalLM\"], \"attention_bias\": false, "
     "\"bos_token_id\": 1, \"eos_token_id\": 2, \"hidden_act\": \"silu\", \"hidden_size\": "
     "2048, \"initializer_range\": 0.02, \"intermediate_size\": 5632, "
     "\"max_position_embeddings\": 2048, \"model_type\": \"llama\", \"num_attention_heads\": "
     "32, \"num_hidden_layers\": 22, \"num_key_value_heads\": 4, \"pretraining_tp\": 1, "
     "\"rms_norm_eps\": 1e-05, \"rope_scaling\": null, \"rope_theta\": 10000.0, "
     "\"tie_word_embeddings\": false, \"torch_dtype\": \"bfloat16\", \"use_cache\": true, "
     "\"vocab_size\": 32000}"},
    {"xlm-roberta-base", "embedding",
     "{\"architectures\": [\"XLMRobertaForMaskedLM\"], \"attention_probs_dropout_prob\": 0.1, "
     "\"bos_token_id\": 0, \"eos_token_id\": 2, \"hidden_act\": \"gelu\", "
     "\"hidden_dropout_prob\": 0.1, \"hidden_size\": 768, \"initializer_range\": 0.02, "
     "\"intermediate_size\": 3072, \"layer_norm_eps\": 1e-05, \"max_position_embeddings\": "
     "514, \"model_type\": \"xlm-roberta\", \"num_attention_heads\": 12, "
     "\"num_hidden_layers\": 12, \"output_past\": true, \"pad_token_id\": 1, "
     "\"position_embedding_type\": \"absolute\", \"type_vocab_size\": 1, \"vocab_size\": "
     "250002}"},
};

size_t ia_model_presets_count(void)
{
    return sizeof presets / sizeof *presets;
}

const ia_model_preset *ia_model_preset_at(size_t i)
{
    return i < ia_model_presets_count() ? &presets[i] : NULL;
}

const ia_model_preset *ia_model_preset_find(const char *name)
{
    for (size_t i = 0; i < ia_model_presets_count(); i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A hub id is "name" or "org/name" of [A-Za-z0-9._-]: nothing a path trick
 * could hide in ("..", a leading "/", "~"). */
static bool hub_id_ok(const char *id)
{
    size_t slashes = 0;
    if (!*id || *id == '.' || *id == '-')
        return false;
    for (const char *p = id; *p; p++) {
        if (*p == '/') {
            if (++slashes > 1 || p[1] == '.' || p[1] == '\0')
                return false;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-')) {
            return false;
        }
    }
    return strstr(id, "..") == NULL;
}

/* The Hugging Face hub cache: HF_HUB_CACHE, HF_HOME/hub, or
 * XDG_CACHE_HOME/huggingface/hub, or ~/.cache/huggingface/hub. */
static bool hf_cache_dir(char *out, size_t size)
{
    const char *v;
    if ((v = getenv("HF_HUB_CACHE")) && *v)
        return (size_t)snprintf(out, size, "%s", v) < size;
    if ((v = getenv("HF_HOME")) && *v)
        return (size_t)snprintf(out, size, "%s/hub", v) < size;
    if ((v = getenv("XDG_CACHE_HOME")) && *v)
        return (size_t)snprintf(out, size, "%s/huggingface/hub", v) < size;
    if ((v = getenv("HOME")) && *v)
        return (size_t)snprintf(out, size, "%s/.cache/huggingface/hub", v) < size;
    return false;
}

/* The snapshot of id in the hub cache that refs/main names (or the only or
 * last one), holding config.json. */
static bool find_in_hf_cache(const char *id, char *dir, size_t size)
{
    char cache[2048], repo[3072], ref[3200], rev[128] = "";
    if (!hf_cache_dir(cache, sizeof cache))
        return false;
    size_t o = (size_t)snprintf(repo, sizeof repo, "%s/models--", cache);
    for (const char *p = id; *p && o + 3 < sizeof repo; p++) {
        if (*p == '/') {
            repo[o++] = '-';
            repo[o++] = '-';
        } else {
            repo[o++] = *p;
        }
    }
    repo[o] = '\0';
    snprintf(ref, sizeof ref, "%s/refs/main", repo);
    FILE *f = fopen(ref, "r");
    if (f) {
        if (!fgets(rev, sizeof rev, f))
            rev[0] = '\0';
        fclose(f);
        rev[strcspn(rev, "\r\n")] = '\0';
    }
    if (!rev[0]) { /* no refs/main: the last snapshot by name */
        snprintf(ref, sizeof ref, "%s/snapshots", repo);
        DIR *d = opendir(ref);
        if (!d)
            return false;
        for (struct dirent *e; (e = readdir(d));) {
            size_t n = strlen(e->d_name);
            if (e->d_name[0] != '.' && n < sizeof rev && strcmp(e->d_name, rev) > 0)
                memcpy(rev, e->d_name, n + 1);
        }
        closedir(d);
    }
    if (!rev[0] || strchr(rev, '/'))
        return false;
    char cfg[4200];
    if ((size_t)snprintf(dir, size, "%s/snapshots/%s", repo, rev) >= size)
        return false;
    snprintf(cfg, sizeof cfg, "%s/config.json", dir);
    return is_file(cfg);
}

/* ipfs-accelerate's own cache: IA_CACHE_DIR, XDG_CACHE_HOME/ipfs-accelerate
 * or ~/.cache/ipfs-accelerate. */
static bool ia_cache_dir(char *out, size_t size)
{
    const char *v;
    if ((v = getenv("IA_CACHE_DIR")) && *v)
        return (size_t)snprintf(out, size, "%s", v) < size;
    if ((v = getenv("XDG_CACHE_HOME")) && *v)
        return (size_t)snprintf(out, size, "%s/ipfs-accelerate", v) < size;
    if ((v = getenv("HOME")) && *v)
        return (size_t)snprintf(out, size, "%s/.cache/ipfs-accelerate", v) < size;
    return false;
}

ia_status ia_model_resolve(const char *name_or_path, char *dir, size_t size, bool *synthetic,
                           ia_error *err)
{
    *synthetic = false;
    if (is_dir(name_or_path)) {
        if ((size_t)snprintf(dir, size, "%s", name_or_path) >= size)
            return ia_error_set(err, IA_ERR_INVALID, "%s: path too long", name_or_path);
        return IA_OK;
    }
    if (hub_id_ok(name_or_path) && find_in_hf_cache(name_or_path, dir, size))
        return IA_OK;
    const ia_model_preset *p = ia_model_preset_find(name_or_path);
    if (!p)
        return ia_error_set(err, IA_ERR_NOT_FOUND,
                            "%s: not a model folder, not in the Hugging Face cache, and not a "
                            "preset (ipfs-accelerate models --presets lists them)",
                            name_or_path);
    char cache[2048];
    if (!ia_cache_dir(cache, sizeof cache))
        return ia_error_set(err, IA_ERR_NOT_FOUND,
                            "%s: no cache folder for synthetic weights (set IA_CACHE_DIR)",
                            name_or_path);
    char safe[256];
    snprintf(safe, sizeof safe, "%s", name_or_path);
    for (char *c = safe; *c; c++)
        if (*c == '/')
            *c = '_';
    if ((size_t)snprintf(dir, size, "%s/synthetic/%s", cache, safe) >= size)
        return ia_error_set(err, IA_ERR_INVALID, "%s: cache path too long", cache);
    *synthetic = true;
    char weights[4200];
    snprintf(weights, sizeof weights, "%s/model.safetensors", dir);
    if (is_file(weights))
        return IA_OK; /* made before */
    ia_status st = ia_dir_create_all(dir, err);
    char cfg[4200];
    snprintf(cfg, sizeof cfg, "%s/config.json", dir);
    if (st == IA_OK)
        st = ia_file_write_all(cfg, p->config_json, strlen(p->config_json), err);
    /* A byte-level tokenizer (ids 0 to 255), so text commands run too: the
     * real one comes only with the checkpoint. */
    char *tok = NULL;
    size_t tok_len = 0;
    char tok_path[4200];
    snprintf(tok_path, sizeof tok_path, "%s/tokenizer.json", dir);
    if (st == IA_OK)
        st = ia_tokenizer_bytes_json(&tok, &tok_len, err);
    if (st == IA_OK)
        st = ia_file_write_all(tok_path, tok, tok_len, err);
    free(tok);
    if (st == IA_OK) {
        ia_log_warn("%s: no local copy (not in the Hugging Face cache): making synthetic "
                    "weights of its shapes, and a tokenizer of one token per byte, in %s; its "
                    "outputs mean nothing but their timing",
                    name_or_path, dir);
        st = ia_model_synthesize(dir, 1, err);
    }
    return st;
}
