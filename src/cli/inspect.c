/* ipfs-accelerate inspect: what a model's files hold (every tensor, the
 * parameter count, the config's main values), validated in full, so a bad
 * download is caught here with a message that names the file rather than
 * halfway through loading a model. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/formats.h"

static const char help[] =
    "Usage: ipfs-accelerate inspect PATH [--json]\n"
    "\n"
    "Lists the tensors of a model's safetensors weights (name, dtype, shape and\n"
    "bytes, in file order), counts its parameters and bytes, and shows the main\n"
    "values of its config.json. PATH is a .safetensors file, a\n"
    "model.safetensors.index.json with its shards, or a model folder, whose\n"
    "config.json is read too when there is one. Every header and the config are\n"
    "validated in full: a bad file is an error that names the file and the\n"
    "problem.\n"
    "\n"
    "Options:\n"
    "      --json       one JSON object on stdout (layout: docs/inspect.md)\n" IA_CLI_COMMON_HELP
    "\n"
    "Exit codes: 0 ok, 1 a file is missing or invalid, 2 usage error.\n";

typedef struct summary {
    const char **files; /* distinct files, in the order their tensors come */
    size_t nfiles;
    uint64_t parameters, bytes;
} summary;

static int64_t entry_numel(const ia_safetensors_entry *e)
{
    int64_t n = 1;
    for (int d = 0; d < e->ndim; d++)
        if (__builtin_mul_overflow(n, e->shape[d], &n))
            return -1;
    return n;
}

/* The reader checked every shape against its byte range, so these sums fit;
 * the checks stay because a count is not worth a wrong answer. */
static ia_status summarize(const ia_safetensors *st, const char *path, summary *s, ia_error *err)
{
    memset(s, 0, sizeof *s);
    size_t count = ia_safetensors_count(st);
    s->files = calloc(count ? count : 1, sizeof *s->files);
    if (!s->files)
        return ia_error_set(err, IA_ERR_NOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < count; i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        int64_t n = entry_numel(e);
        if (n < 0 || __builtin_add_overflow(s->parameters, (uint64_t)n, &s->parameters) ||
            __builtin_add_overflow(s->bytes, e->nbytes, &s->bytes))
            return ia_error_set(err, IA_ERR_INVALID, "%s: tensor sizes overflow 64 bits", path);
        if (s->nfiles == 0 || strcmp(s->files[s->nfiles - 1], e->file) != 0) {
            bool seen = false;
            for (size_t f = 0; f < s->nfiles && !seen; f++)
                seen = strcmp(s->files[f], e->file) == 0;
            if (!seen)
                s->files[s->nfiles++] = e->file;
        }
    }
    /* A file that holds only metadata still is the file inspected. */
    struct stat sb;
    if (count == 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        s->files[s->nfiles++] = path;
    return IA_OK;
}

static const char *shape_text(const ia_safetensors_entry *e, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "[");
    for (int d = 0; d < e->ndim && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, "%s%" PRId64, d ? ", " : "", e->shape[d]);
    if (n < size)
        snprintf(buf + n, size - n, "]");
    return buf;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(uint64_t v, char *buf, size_t size)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < size)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static const char *human_bytes(uint64_t v, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double x = (double)v;
    int u = 0;
    while (x >= 1024 && u < 5) {
        x /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%" PRIu64 " B", v);
    else
        snprintf(buf, size, "%.1f %s", x, units[u]);
    return buf;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void print_config_text(const ia_model_config *c, const char *config_path)
{
    printf("\nconfig: %s\n", config_path);
#define ROW(key, fmt, ...) printf("  %-24s " fmt "\n", key, __VA_ARGS__)
    ROW("model_type", "%s", c->model_type);
    ROW("architecture", "%s", c->architecture[0] ? c->architecture : "-");
    ROW("hidden_size", "%" PRId64, c->hidden_size);
    ROW("num_hidden_layers", "%" PRId64, c->num_hidden_layers);
    ROW("num_attention_heads", "%" PRId64, c->num_attention_heads);
    ROW("num_key_value_heads", "%" PRId64, c->num_key_value_heads);
    ROW("head_dim", "%" PRId64, c->head_dim);
    ROW("intermediate_size", "%" PRId64, c->intermediate_size);
    ROW("vocab_size", "%" PRId64, c->vocab_size);
    ROW("max_position_embeddings", "%" PRId64, c->max_position_embeddings);
    if (c->rope_theta > 0)
        ROW("rope_theta", "%g", c->rope_theta);
    else
        ROW("rope_theta", "%s", "- (no rotary embeddings)");
    if (c->rope_theta > 0 && (strcmp(c->rope_type, "default") != 0 || c->rope_scaling_factor != 1))
        ROW("rope_scaling", "%s, factor %g", c->rope_type, c->rope_scaling_factor);
    if (c->partial_rotary_factor != 1)
        ROW("partial_rotary_factor", "%g", c->partial_rotary_factor);
    if (c->sliding_window > 0)
        ROW("sliding_window", "%" PRId64, c->sliding_window);
    ROW("layer_norm_eps", "%g", c->layer_norm_eps);
    ROW("hidden_act", "%s", c->hidden_act[0] ? c->hidden_act : "-");
    ROW("tie_word_embeddings", "%s", c->tie_word_embeddings ? "true" : "false");
    ROW("dtype", "%s", c->torch_dtype[0] ? c->torch_dtype : "-");
#undef ROW
}

static void print_text(const char *path, const ia_safetensors *st, const summary *s,
                       const ia_model_config *cfg, const char *config_path)
{
    size_t count = ia_safetensors_count(st);
    char a[64], b[64], c[64];
    printf("%s: %zu tensor%s in %zu file%s, %s parameters, %s bytes (%s)\n", path, count,
           count == 1 ? "" : "s", s->nfiles, s->nfiles == 1 ? "" : "s",
           grouped(s->parameters, a, sizeof a), grouped(s->bytes, b, sizeof b),
           human_bytes(s->bytes, c, sizeof c));
    if (s->nfiles > 1)
        for (size_t f = 0; f < s->nfiles; f++)
            printf("  %s\n", s->files[f]);

    if (count > 0) {
        int wname = 4, wdtype = 5, wshape = 5, wbytes = 5, wfile = 4;
        char shape[160], num[32];
        for (size_t i = 0; i < count; i++) {
            const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
            int n = (int)strlen(e->name);
            wname = n > wname ? n : wname;
            n = (int)strlen(ia_dtype_name(e->dtype));
            wdtype = n > wdtype ? n : wdtype;
            n = (int)strlen(shape_text(e, shape, sizeof shape));
            wshape = n > wshape ? n : wshape;
            n = (int)strlen(grouped(e->nbytes, num, sizeof num));
            wbytes = n > wbytes ? n : wbytes;
            n = (int)strlen(base_name(e->file));
            wfile = n > wfile ? n : wfile;
        }
        bool multi = s->nfiles > 1;
        printf("\n  %-*s  %-*s  %-*s  %*s%s%s\n", wname, "NAME", wdtype, "DTYPE", wshape, "SHAPE",
               wbytes, "BYTES", multi ? "  " : "", multi ? "FILE" : "");
        for (size_t i = 0; i < count; i++) {
            const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
            printf("  %-*s  %-*s  %-*s  %*s%s%s\n", wname, e->name, wdtype, ia_dtype_name(e->dtype),
                   wshape, shape_text(e, shape, sizeof shape), wbytes,
                   grouped(e->nbytes, num, sizeof num), multi ? "  " : "",
                   multi ? base_name(e->file) : "");
        }
    }
    if (cfg)
        print_config_text(cfg, config_path);
}

/* A value, or null where the config has none. */
static void add_int_or_null(cJSON *o, const char *key, int64_t v, int64_t none)
{
    if (v == none)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)v);
}

static void add_string_or_null(cJSON *o, const char *key, const char *v)
{
    if (v[0])
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *config_json(const ia_model_config *c, const char *config_path)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "file", config_path);
    cJSON_AddStringToObject(o, "model_type", c->model_type);
    add_string_or_null(o, "architecture", c->architecture);
    cJSON_AddNumberToObject(o, "hidden_size", (double)c->hidden_size);
    cJSON_AddNumberToObject(o, "num_hidden_layers", (double)c->num_hidden_layers);
    cJSON_AddNumberToObject(o, "num_attention_heads", (double)c->num_attention_heads);
    cJSON_AddNumberToObject(o, "num_key_value_heads", (double)c->num_key_value_heads);
    cJSON_AddNumberToObject(o, "head_dim", (double)c->head_dim);
    cJSON_AddNumberToObject(o, "intermediate_size", (double)c->intermediate_size);
    cJSON_AddNumberToObject(o, "vocab_size", (double)c->vocab_size);
    cJSON_AddNumberToObject(o, "max_position_embeddings", (double)c->max_position_embeddings);
    cJSON_AddNumberToObject(o, "type_vocab_size", (double)c->type_vocab_size);
    if (c->rope_theta > 0)
        cJSON_AddNumberToObject(o, "rope_theta", c->rope_theta);
    else
        cJSON_AddNullToObject(o, "rope_theta");
    cJSON_AddStringToObject(o, "rope_type", c->rope_type);
    cJSON_AddNumberToObject(o, "rope_scaling_factor", c->rope_scaling_factor);
    cJSON_AddNumberToObject(o, "partial_rotary_factor", c->partial_rotary_factor);
    add_int_or_null(o, "sliding_window", c->sliding_window, 0);
    cJSON_AddNumberToObject(o, "layer_norm_eps", c->layer_norm_eps);
    add_string_or_null(o, "hidden_act", c->hidden_act);
    cJSON_AddBoolToObject(o, "tie_word_embeddings", c->tie_word_embeddings);
    add_int_or_null(o, "bos_token_id", c->bos_token_id, -1);
    add_int_or_null(o, "eos_token_id", c->eos_token_id, -1);
    add_int_or_null(o, "pad_token_id", c->pad_token_id, -1);
    add_string_or_null(o, "dtype", c->torch_dtype);
    return o;
}

static char *render_json(const char *path, const ia_safetensors *st, const summary *s,
                         const ia_model_config *cfg, const char *config_path)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "path", path);
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (size_t f = 0; files && f < s->nfiles; f++)
        cJSON_AddItemToArray(files, cJSON_CreateString(s->files[f]));
    cJSON *tensors = cJSON_AddArrayToObject(o, "tensors");
    size_t count = ia_safetensors_count(st);
    for (size_t i = 0; tensors && i < count; i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        cJSON *t = cJSON_CreateObject();
        if (!t)
            break;
        cJSON_AddItemToArray(tensors, t);
        cJSON_AddStringToObject(t, "name", e->name);
        cJSON_AddStringToObject(t, "dtype", ia_dtype_name(e->dtype));
        cJSON *shape = cJSON_AddArrayToObject(t, "shape");
        for (int d = 0; shape && d < e->ndim; d++)
            cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)e->shape[d]));
        cJSON_AddNumberToObject(t, "bytes", (double)e->nbytes);
        cJSON_AddStringToObject(t, "file", e->file);
    }
    cJSON_AddNumberToObject(o, "parameters", (double)s->parameters);
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    if (cfg) {
        cJSON *c = config_json(cfg, config_path);
        if (c)
            cJSON_AddItemToObject(o, "config", c);
    } else {
        cJSON_AddNullToObject(o, "config");
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

static int run_inspect(int argc, char **argv)
{
    enum { OPT_JSON = 256 };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"json", no_argument, 0, OPT_JSON},
        {0, 0, 0, 0},
    };
    bool json = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":" IA_CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (ia_cli_common_option(opt))
            continue;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return IA_EXIT_OK;
        case OPT_JSON: json = true; break;
        default:
            return ia_cli_option_error("inspect", opt, argv);
        }
    }
    if (optind >= argc)
        return ia_cli_usage_error("inspect", "a model folder or file is required");
    if (optind + 1 < argc)
        return ia_cli_usage_error("inspect", "unexpected argument '%s'", argv[optind + 1]);
    const char *path = argv[optind];

    ia_error err;
    ia_error_clear(&err);
    ia_safetensors *st = NULL;
    if (ia_safetensors_open(path, &st, &err) != IA_OK) {
        ia_log_error("inspect: %s", err.message);
        return IA_EXIT_FAILURE;
    }

    /* A folder's config.json, when it has one; a bad one is an error. */
    ia_model_config cfg;
    memset(&cfg, 0, sizeof cfg);
    bool have_config = false;
    char config_path[4096] = "";
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(path);
        snprintf(config_path, sizeof config_path, "%s%sconfig.json", path,
                 n > 0 && path[n - 1] == '/' ? "" : "/");
        if (stat(config_path, &sb) == 0) {
            if (ia_model_config_load(config_path, &cfg, &err) != IA_OK) {
                ia_log_error("inspect: %s", err.message);
                ia_safetensors_close(st);
                return IA_EXIT_FAILURE;
            }
            have_config = true;
        } else {
            ia_log_info("inspect: %s has no config.json", path);
        }
    }

    int rc = IA_EXIT_OK;
    summary s;
    if (summarize(st, path, &s, &err) != IA_OK) {
        ia_log_error("inspect: %s", err.message);
        rc = IA_EXIT_FAILURE;
    } else if (json) {
        char *text = render_json(path, st, &s, have_config ? &cfg : NULL, config_path);
        if (text) {
            puts(text);
            free(text);
        } else {
            ia_log_error("inspect: out of memory writing JSON");
            rc = IA_EXIT_FAILURE;
        }
    } else {
        print_text(path, st, &s, have_config ? &cfg : NULL, config_path);
    }
    free(s.files);
    ia_model_config_free(&cfg);
    ia_safetensors_close(st);
    return rc;
}

const ia_cli_command ia_cli_inspect = {
    "inspect", "list a model's tensors, parameters and config", run_inspect};
