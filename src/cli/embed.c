/* ipfs-accelerate embed: sentence embeddings from an encoder model, as JSON
 * vectors, one line per text. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/tokenizer.h"

static const char help[] =
    "Usage: ipfs-accelerate embed --model MODEL [--pooling mean|cls] [--normalize]\n"
    "                             [--tokenizer FILE] TEXT...\n"
    "\n"
    "Embeds each TEXT with an encoder model (bert, roberta, xlm-roberta,\n"
    "distilbert, mpnet) and prints one JSON object per text, on its own line:\n"
    "  {\"text\": ..., \"tokens\": N, \"dims\": D, \"embedding\": [...],\n"
    "   \"pooling\": \"mean\", \"normalized\": false, \"weights\": \"real\"}\n"
    "The texts run as one batch, padded to the longest and cut to the model's\n"
    "context. MODEL is a folder, a Hugging Face id in the local cache, or a preset\n"
    "(models --presets); \"weights\" says \"synthetic\" when the weights were made\n"
    "for benchmarking.\n"
    "\n"
    "Options:\n"
    "      --model MODEL     the model\n"
    "      --pooling P       mean (of the tokens, padding excluded; the default, as\n"
    "                        sentence-transformers models use) or cls (the first token)\n"
    "      --normalize       scale each vector to length 1\n"
    "      --tokenizer FILE  a tokenizer.json (default: the model folder's)\n"
    "      --json            accepted for habit: the output is always JSON\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a failure, 2 usage error.\n";

/* input_ids and attention_mask [n, longest] from the batch's encodings. */
static ia_status batch_inputs(const ia_encoding *enc, size_t n, ia_tensor_map *in,
                              ia_error *err)
{
    size_t longest = 0;
    for (size_t i = 0; i < n; i++)
        if (enc[i].n > longest)
            longest = enc[i].n;
    const int64_t shape[2] = {(int64_t)n, (int64_t)(longest ? longest : 1)};
    ia_tensor *ids, *mask;
    ia_status st = ia_tensor_map_add(in, "input_ids", IA_DTYPE_I64, 2, shape, &ids, err);
    if (st == IA_OK)
        st = ia_tensor_map_add(in, "attention_mask", IA_DTYPE_I64, 2, shape, &mask, err);
    for (size_t i = 0; st == IA_OK && i < n; i++)
        for (size_t j = 0; j < enc[i].n; j++) {
            ((int64_t *)ids->data)[i * shape[1] + j] = enc[i].ids[j];
            ((int64_t *)mask->data)[i * shape[1] + j] = enc[i].attention_mask[j];
        }
    return st;
}

static int run_embed(int argc, char **argv)
{
    enum { OPT_MODEL = 256, OPT_POOLING, OPT_NORMALIZE, OPT_TOKENIZER, OPT_JSON };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"model", required_argument, 0, OPT_MODEL},
        {"pooling", required_argument, 0, OPT_POOLING},
        {"normalize", no_argument, 0, OPT_NORMALIZE},
        {"tokenizer", required_argument, 0, OPT_TOKENIZER},
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    const char *model = NULL, *tokenizer = NULL;
    bool mean = true, normalize = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_MODEL: model = optarg; break;
        case OPT_TOKENIZER: tokenizer = optarg; break;
        case OPT_NORMALIZE: normalize = true; break;
        case OPT_JSON: break;
        case OPT_POOLING:
            if (strcmp(optarg, "mean") == 0)
                mean = true;
            else if (strcmp(optarg, "cls") == 0)
                mean = false;
            else
                return ia_cli_usage_error("embed", "--pooling is mean or cls, not '%s'", optarg);
            break;
        default:
            return ia_cli_option_error("embed", opt, argv);
        }
    }
    if (!model)
        return ia_cli_usage_error("embed", "--model is required");
    if (optind >= argc)
        return ia_cli_usage_error("embed", "give at least one TEXT to embed");
    size_t n = (size_t)(argc - optind);
    const char *const *texts = (const char *const *)argv + optind;

    ia_model *m = NULL;
    ia_tokenizer *tok = NULL;
    int rc = ia_cli_open_model("embed", model, tokenizer, &m, &tok);
    if (rc != IA_EXIT_OK)
        return rc;
    ia_error err;
    ia_error_clear(&err);
    const ia_model_config *cfg = ia_model_config_get(m);
    /* Pad to the longest; cut to the context (RoBERTa-style positions
     * start past the padding index). */
    ia_padding pad;
    ia_tokenizer_get_padding(tok, &pad);
    pad.enabled = true;
    pad.to_longest = true;
    ia_truncation trunc;
    ia_tokenizer_get_truncation(tok, &trunc);
    int64_t context = cfg->max_position_embeddings;
    const char *mt = cfg->model_type;
    if ((!strcmp(mt, "roberta") || !strcmp(mt, "xlm-roberta") || !strcmp(mt, "mpnet")) &&
        cfg->pad_token_id >= 0)
        context -= cfg->pad_token_id + 1;
    if (!trunc.enabled && context > 0) {
        trunc.enabled = true;
        trunc.max_length = (size_t)context;
    }
    ia_encoding *enc = calloc(n, sizeof *enc);
    size_t *lens = calloc(n, sizeof *lens);
    ia_tensor_map in = {0}, out = {0};
    ia_status st = enc && lens ? IA_OK : ia_error_set(&err, IA_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == IA_OK && i < n; i++)
        lens[i] = strlen(texts[i]);
    if (st == IA_OK)
        st = ia_tokenizer_set_padding(tok, &pad, &err);
    if (st == IA_OK)
        st = ia_tokenizer_set_truncation(tok, &trunc, &err);
    if (st == IA_OK)
        st = ia_tokenizer_encode_batch(tok, n, texts, lens, NULL, NULL, true, 0, enc, &err);
    bool encoded = st == IA_OK;
    if (st == IA_OK)
        st = batch_inputs(enc, n, &in, &err);
    if (st == IA_OK)
        st = ia_model_forward(m, &in, &out, &err);
    const ia_tensor *h = st == IA_OK ? ia_tensor_map_find(&out, "last_hidden_state") : NULL;
    if (st == IA_OK && !h) {
        const ia_model_type_info *t = ia_model_type_get(m);
        st = ia_error_set(&err, IA_ERR_UNSUPPORTED,
                          "%s: model type %s (family %s) gives no hidden states to embed%s",
                          model, mt, t ? t->family : "?",
                          ia_tensor_map_find(&out, "logits") ? " (it returns logits)" : "");
    }
    if (st == IA_OK) {
        int64_t S = h->shape[1], D = h->shape[2];
        const float *hd = h->data;
        double *v = malloc((size_t)D * sizeof *v);
        if (!v)
            st = ia_error_set(&err, IA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; st == IA_OK && i < n; i++) {
            size_t count = 0;
            memset(v, 0, (size_t)D * sizeof *v);
            for (int64_t s = 0; s < (mean ? S : 1); s++) {
                if (mean && ((size_t)s >= enc[i].n || !enc[i].attention_mask[s]))
                    continue;
                for (int64_t d = 0; d < D; d++)
                    v[d] += hd[((int64_t)i * S + s) * D + d];
                count++;
            }
            double norm = 0;
            for (int64_t d = 0; d < D; d++) {
                v[d] /= count ? (double)count : 1.0;
                norm += v[d] * v[d];
            }
            norm = sqrt(norm);
            printf("{\"text\":");
            ia_cli_put_json_string(texts[i], lens[i]);
            size_t real = 0;
            for (size_t k = 0; k < enc[i].n; k++)
                real += enc[i].attention_mask[k];
            printf(",\"tokens\":%zu,\"dims\":%lld,\"embedding\":[", real, (long long)D);
            for (int64_t d = 0; d < D; d++)
                printf("%s%.7g", d ? "," : "", normalize && norm > 0 ? v[d] / norm : v[d]);
            printf("],\"pooling\":\"%s\",\"normalized\":%s,\"weights\":\"%s\"}\n",
                   mean ? "mean" : "cls", normalize ? "true" : "false",
                   ia_model_weights_synthetic(m) ? "synthetic" : "real");
        }
        free(v);
    }
    if (st != IA_OK) {
        ia_log_error("embed: %s", err.message);
        rc = IA_EXIT_FAILURE;
    }
    for (size_t i = 0; encoded && i < n; i++)
        ia_encoding_free(&enc[i]);
    free(enc);
    free(lens);
    ia_tensor_map_free(&in);
    ia_tensor_map_free(&out);
    ia_tokenizer_free(tok);
    ia_model_free(m);
    return rc;
}

const ia_cli_command ia_cli_embed = {"embed", "sentence embeddings from an encoder model",
                                     run_embed};
