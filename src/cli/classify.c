/* ipfs-accelerate classify: the labels a classification model gives a text
 * or an image, with their probabilities. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/image.h"
#include "ipfs_accelerate/models.h"
#include "ipfs_accelerate/tokenizer.h"

static const char help[] =
    "Usage: ipfs-accelerate classify --model MODEL [--top K] [--tokenizer FILE] [--json]\n"
    "                                INPUT...\n"
    "\n"
    "Classifies each INPUT with a classification model: a text for a text\n"
    "classifier (a *ForSequenceClassification checkpoint of bert, roberta,\n"
    "xlm-roberta, distilbert, mpnet), an image file (PNG or JPEG) for an image\n"
    "classifier (vit, deit: *ForImageClassification). Images go through the\n"
    "model's preprocessor_config.json (or transformers' defaults for its type,\n"
    "at the config's image_size). Prints the K likeliest labels (config.json's\n"
    "id2label) with their probabilities; --json prints one object per input:\n"
    "  {\"input\": ..., \"labels\": [{\"label\": ..., \"id\": N, \"score\": P}, ...],\n"
    "   \"weights\": \"real\"}\n"
    "\n"
    "Options:\n"
    "      --model MODEL     the model (folder, Hugging Face id in the cache, preset)\n"
    "      --top K           how many labels to show (5)\n"
    "      --tokenizer FILE  a tokenizer.json for text models (default: the model's)\n"
    "      --json            JSON lines on stdout\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a failure, 2 usage error.\n";

/* config.json's id2label[id], or "LABEL_<id>" as transformers names them. */
static const char *label_of(const ia_model_config *cfg, int id, char *buf, size_t size)
{
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(cfg->json, "id2label");
    char key[24];
    snprintf(key, sizeof key, "%d", id);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(map, key);
    if (cJSON_IsString(v))
        return v->valuestring;
    snprintf(buf, size, "LABEL_%d", id);
    return buf;
}

/* Prints the top k of row's softmax. */
static void print_row(const ia_model *m, const char *input, const float *logits, int n, int k,
                      bool json)
{
    double mx = -INFINITY, sum = 0;
    for (int i = 0; i < n; i++)
        mx = logits[i] > mx ? logits[i] : mx;
    for (int i = 0; i < n; i++)
        sum += exp(logits[i] - mx);
    bool *used = calloc((size_t)n, 1);
    if (json) {
        printf("{\"input\":");
        ia_cli_put_json_string(input, strlen(input));
        printf(",\"labels\":[");
    } else {
        printf("%s\n", input);
    }
    for (int r = 0; r < k && r < n && used; r++) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!used[i] && (best < 0 || logits[i] > logits[best]))
                best = i;
        used[best] = true;
        char buf[32];
        const char *label = label_of(ia_model_config_get(m), best, buf, sizeof buf);
        double p = exp(logits[best] - mx) / sum;
        if (json) {
            printf("%s{\"label\":", r ? "," : "");
            ia_cli_put_json_string(label, strlen(label));
            printf(",\"id\":%d,\"score\":%.6f}", best, p);
        } else {
            printf("  %6.2f%%  %s\n", 100 * p, label);
        }
    }
    if (json)
        printf("],\"weights\":\"%s\"}\n", ia_model_weights_synthetic(m) ? "synthetic" : "real");
    free(used);
}

/* pixel_values for the image at path, by the model's processor. */
static ia_status image_inputs(const ia_model *m, const char *path, ia_tensor_map *in,
                              ia_error *err)
{
    const ia_model_config *cfg = ia_model_config_get(m);
    ia_image_processor p;
    ia_status st = ia_image_processor_load(ia_model_path(m), cfg->model_type, &p, err);
    if (st == IA_ERR_NOT_FOUND) {
        /* no preprocessor_config.json: transformers' defaults at the
         * model's own image size */
        ia_image_processor_defaults(&p, cfg->model_type);
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(cfg->json, "image_size");
        if (cJSON_IsNumber(size) && size->valueint > 0) {
            p.size_height = p.size_width = size->valueint;
            p.size_shortest_edge = 0;
            p.do_center_crop = false;
        }
        ia_error_clear(err);
        st = IA_OK;
    }
    ia_image img = {0};
    ia_tensor pixels = {0};
    if (st == IA_OK)
        st = ia_image_load(path, &img, err);
    if (st == IA_OK)
        st = ia_image_processor_apply(&p, &img, 1, &pixels, err);
    if (st == IA_OK)
        st = ia_tensor_map_add_copy(in, "pixel_values", &pixels, IA_DTYPE_F32, err);
    ia_tensor_free(&pixels);
    ia_image_free(&img);
    return st;
}

static ia_status text_inputs(const ia_tokenizer *tok, const char *text, ia_tensor_map *in,
                             ia_error *err)
{
    ia_encoding e = {0};
    ia_status st = ia_tokenizer_encode(tok, text, strlen(text), NULL, 0, true, &e, err);
    if (st != IA_OK)
        return st;
    const int64_t shape[2] = {1, (int64_t)(e.n ? e.n : 1)};
    ia_tensor *ids, *mask;
    st = ia_tensor_map_add(in, "input_ids", IA_DTYPE_I64, 2, shape, &ids, err);
    if (st == IA_OK)
        st = ia_tensor_map_add(in, "attention_mask", IA_DTYPE_I64, 2, shape, &mask, err);
    for (size_t i = 0; st == IA_OK && i < e.n; i++) {
        ((int64_t *)ids->data)[i] = e.ids[i];
        ((int64_t *)mask->data)[i] = 1;
    }
    ia_encoding_free(&e);
    return st;
}

static int run_classify(int argc, char **argv)
{
    enum { OPT_MODEL = 256, OPT_TOP, OPT_TOKENIZER, OPT_JSON };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"model", required_argument, 0, OPT_MODEL},
        {"top", required_argument, 0, OPT_TOP},
        {"tokenizer", required_argument, 0, OPT_TOKENIZER},
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    const char *model = NULL, *tokenizer = NULL;
    long top = 5;
    bool json = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        char *end = NULL;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_MODEL: model = optarg; break;
        case OPT_TOKENIZER: tokenizer = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_TOP:
            top = strtol(optarg, &end, 10);
            if (!*optarg || *end || top < 1 || top > 100000)
                return ia_cli_usage_error("classify", "--top takes a count from 1, not '%s'",
                                          optarg);
            break;
        default:
            return ia_cli_option_error("classify", opt, argv);
        }
    }
    if (!model)
        return ia_cli_usage_error("classify", "--model is required");
    if (optind >= argc)
        return ia_cli_usage_error("classify", "give at least one text or image to classify");

    /* The model first, to know whether its inputs are images or texts. */
    ia_model *m = NULL;
    int rc = ia_cli_open_model("classify", model, NULL, &m, NULL);
    if (rc != IA_EXIT_OK)
        return rc;
    const ia_model_type_info *type = ia_model_type_get(m);
    bool images = type && strcmp(type->family, "vision") == 0;
    ia_tokenizer *tok = NULL;
    if (!images) {
        ia_model_free(m);
        rc = ia_cli_open_model("classify", model, tokenizer, &m, &tok);
        if (rc != IA_EXIT_OK)
            return rc;
    }
    ia_error err;
    ia_error_clear(&err);
    if (!json && ia_model_weights_synthetic(m))
        printf("weights: synthetic (made for benchmarking: the labels mean nothing)\n");
    for (int a = optind; a < argc && rc == IA_EXIT_OK; a++) {
        ia_tensor_map in = {0}, out = {0};
        ia_status st = images ? image_inputs(m, argv[a], &in, &err)
                              : text_inputs(tok, argv[a], &in, &err);
        if (st == IA_OK)
            st = ia_model_forward(m, &in, &out, &err);
        const ia_tensor *logits = st == IA_OK ? ia_tensor_map_find(&out, "logits") : NULL;
        if (st == IA_OK && (!logits || logits->ndim != 2))
            st = ia_error_set(&err, IA_ERR_UNSUPPORTED,
                              "%s: the checkpoint has no classification head (model type %s: "
                              "its weights hold no classifier)",
                              model, ia_model_config_get(m)->model_type);
        if (st == IA_OK)
            print_row(m, argv[a], logits->data, (int)logits->shape[1], (int)top, json);
        if (st != IA_OK) {
            ia_log_error("classify: %s", err.message);
            rc = IA_EXIT_FAILURE;
        }
        ia_tensor_map_free(&in);
        ia_tensor_map_free(&out);
    }
    ia_tokenizer_free(tok);
    ia_model_free(m);
    return rc;
}

const ia_cli_command ia_cli_classify = {"classify", "label a text or an image with a classifier",
                                        run_classify};
