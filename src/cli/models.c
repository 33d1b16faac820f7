/* ipfs-accelerate models: the registry of Hugging Face model types, so a user
 * can see before downloading anything whether a model type runs here. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipfs_accelerate/core.h"
#include "ipfs_accelerate/models.h"

static const char help[] =
    "Usage: ipfs-accelerate models [--family F] [--modality M] [--status S] [--json]\n"
    "       ipfs-accelerate models --presets [--json]\n"
    "\n"
    "Lists the Hugging Face model types (config.json's \"model_type\") that\n"
    "transformers knows, sorted by model type, with:\n"
    "  family    what the model is for, from the transformers auto classes that\n"
    "            list it: embedding (encoder-only text models), text-generation,\n"
    "            text2text-generation, text-classification, vision, audio,\n"
    "            multimodal, time-series, reinforcement-learning\n"
    "  modality  its input: text, vision, video, audio, multimodal, time-series,\n"
    "            other\n"
    "  status    native (our engine runs it), planned, or unsupported\n"
    "  name      the name transformers gives it\n"
    "A model whose type is not native is refused at load, never run wrongly.\n"
    "The table comes from src/models/model_types.tsv (docs/models.md).\n"
    "\n"
    "Options:\n"
    "      --family F    only the types of family F\n"
    "      --modality M  only the types of modality M\n"
    "      --status S    only the types of status S (native, planned, unsupported)\n"
    "      --json        one JSON array on stdout, of objects {\"model_type\",\n"
    "                    \"name\", \"family\", \"modality\", \"status\"}\n"
    "      --presets     list the presets instead: well-known checkpoints whose\n"
    "                    architecture (config.json) is built in, so --model NAME\n"
    "                    works anywhere: a local Hugging Face cache copy is used\n"
    "                    when there is one, otherwise synthetic weights of the\n"
    "                    real shapes (for benchmarking; outputs say so); with\n"
    "                    --json, objects {\"name\", \"model_type\", \"family\",\n"
    "                    \"layers\", \"hidden_size\"}\n" IA_CLI_COMMON_HELP
    "\n"
    "The count of listed types per status goes to stderr (not with -q).\n"
    "Exit codes: 0 ok (also when no type matches), 2 usage error (an unknown\n"
    "family, modality or status: the message lists the valid ones).\n";

/* The field of an entry a filter looks at. */
typedef const char *(*field_fn)(const ia_model_type_info *t);
static const char *field_family(const ia_model_type_info *t) { return t->family; }
static const char *field_modality(const ia_model_type_info *t) { return t->modality; }
static const char *field_status(const ia_model_type_info *t)
{
    return ia_model_status_name(t->status);
}

/* True when some entry has value in field; otherwise writes the values the
 * registry has, sorted and comma-separated, into valid. */
static bool value_known(field_fn field, const char *value, char *valid, size_t cap)
{
    const char *seen[64];
    size_t n_seen = 0;
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const char *v = field(ia_model_type_at(i));
        if (strcmp(v, value) == 0)
            return true;
        size_t j = 0;
        while (j < n_seen && strcmp(seen[j], v) != 0)
            j++;
        if (j == n_seen && n_seen < sizeof seen / sizeof seen[0])
            seen[n_seen++] = v;
    }
    /* Insertion sort: a handful of values. */
    for (size_t i = 1; i < n_seen; i++)
        for (size_t j = i; j > 0 && strcmp(seen[j - 1], seen[j]) > 0; j--) {
            const char *tmp = seen[j];
            seen[j] = seen[j - 1];
            seen[j - 1] = tmp;
        }
    size_t len = 0;
    valid[0] = '\0';
    for (size_t i = 0; i < n_seen && len < cap; i++)
        len += (size_t)snprintf(valid + len, cap - len, "%s%s", i ? ", " : "", seen[i]);
    return false;
}

typedef struct filter {
    const char *family, *modality, *status;
} filter;

static bool matches(const filter *f, const ia_model_type_info *t)
{
    return (!f->family || strcmp(f->family, t->family) == 0) &&
           (!f->modality || strcmp(f->modality, t->modality) == 0) &&
           (!f->status || strcmp(f->status, ia_model_status_name(t->status)) == 0);
}

static int print_json(const filter *f)
{
    fputs("[", stdout);
    bool first = true;
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        if (!matches(f, t))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "model_type", t->model_type);
        cJSON_AddStringToObject(o, "name", t->name);
        cJSON_AddStringToObject(o, "family", t->family);
        cJSON_AddStringToObject(o, "modality", t->modality);
        cJSON_AddStringToObject(o, "status", ia_model_status_name(t->status));
        char *text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!text) {
            ia_log_error("models: out of memory writing JSON");
            return IA_EXIT_FAILURE;
        }
        /* One object per line: the array stays easy to grep and diff. */
        printf("%s\n  %s", first ? "" : ",", text);
        free(text);
        first = false;
    }
    fputs(first ? "]\n" : "\n]\n", stdout);
    return IA_EXIT_OK;
}

static void print_table(const filter *f)
{
    int w_type = (int)strlen("model_type"), w_family = (int)strlen("family");
    int w_modality = (int)strlen("modality"), w_status = (int)strlen("unsupported");
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        if (!matches(f, t))
            continue;
        int n = (int)strlen(t->model_type);
        w_type = n > w_type ? n : w_type;
        n = (int)strlen(t->family);
        w_family = n > w_family ? n : w_family;
        n = (int)strlen(t->modality);
        w_modality = n > w_modality ? n : w_modality;
    }
    printf("%-*s  %-*s  %-*s  %-*s  %s\n", w_type, "model_type", w_family, "family", w_modality,
           "modality", w_status, "status", "name");
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        if (matches(f, t))
            printf("%-*s  %-*s  %-*s  %-*s  %s\n", w_type, t->model_type, w_family, t->family,
                   w_modality, t->modality, w_status, ia_model_status_name(t->status), t->name);
    }
}

/* The presets, with each one's model type and hidden size and layers. */
static int print_presets(bool json)
{
    if (json)
        printf("[");
    else
        printf("%-40s %-12s %-16s %s\n", "name", "model_type", "family", "layers x hidden");
    for (size_t i = 0; i < ia_model_presets_count(); i++) {
        const ia_model_preset *p = ia_model_preset_at(i);
        ia_model_config cfg;
        ia_error err;
        ia_error_clear(&err);
        if (ia_model_config_parse(p->name, p->config_json, strlen(p->config_json), &cfg, &err) !=
            IA_OK) {
            ia_log_error("models: preset %s: %s", p->name, err.message);
            return IA_EXIT_FAILURE;
        }
        if (json)
            printf("%s\n{\"name\":\"%s\",\"model_type\":\"%s\",\"family\":\"%s\","
                   "\"layers\":%lld,\"hidden_size\":%lld}",
                   i ? "," : "", p->name, cfg.model_type, p->family,
                   (long long)cfg.num_hidden_layers, (long long)cfg.hidden_size);
        else
            printf("%-40s %-12s %-16s %lld x %lld\n", p->name, cfg.model_type, p->family,
                   (long long)cfg.num_hidden_layers, (long long)cfg.hidden_size);
        ia_model_config_free(&cfg);
    }
    if (json)
        printf("\n]\n");
    return IA_EXIT_OK;
}

static int run_models(int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_FAMILY, OPT_MODALITY, OPT_STATUS, OPT_PRESETS };
    static const struct option options[] = {
        IA_CLI_COMMON_LONG,
        {"json", no_argument, 0, OPT_JSON},
        {"family", required_argument, 0, OPT_FAMILY},
        {"modality", required_argument, 0, OPT_MODALITY},
        {"status", required_argument, 0, OPT_STATUS},
        {"presets", no_argument, 0, OPT_PRESETS},
        {0, 0, 0, 0},
    };
    bool json = false, presets = false;
    filter f = {0};
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
        case OPT_FAMILY: f.family = optarg; break;
        case OPT_MODALITY: f.modality = optarg; break;
        case OPT_STATUS: f.status = optarg; break;
        case OPT_PRESETS: presets = true; break;
        default:
            return ia_cli_option_error("models", opt, argv);
        }
    }
    if (optind < argc)
        return ia_cli_usage_error("models", "unexpected argument '%s'", argv[optind]);
    if (presets && (f.family || f.modality || f.status))
        return ia_cli_usage_error("models", "--presets takes no --family, --modality or --status");
    if (presets)
        return print_presets(json);

    static const struct {
        const char *option;
        field_fn field;
    } checks[] = {{"family", field_family}, {"modality", field_modality}, {"status", field_status}};
    const char *given[] = {f.family, f.modality, f.status};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        char valid[256];
        if (given[i] && !value_known(checks[i].field, given[i], valid, sizeof valid))
            return ia_cli_usage_error("models", "unknown %s '%s' (valid: %s)", checks[i].option,
                                      given[i], valid);
    }

    int rc = IA_EXIT_OK;
    if (json)
        rc = print_json(&f);
    else
        print_table(&f);

    size_t count[3] = {0}, total = 0;
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        if (matches(&f, t) && (unsigned)t->status < 3) {
            count[t->status]++;
            total++;
        }
    }
    if (rc == IA_EXIT_OK && ia_log_get_level() >= IA_LOG_WARN)
        fprintf(stderr, "models: %zu model types: %zu native, %zu planned, %zu unsupported\n",
                total, count[IA_MODEL_NATIVE], count[IA_MODEL_PLANNED],
                count[IA_MODEL_UNSUPPORTED]);
    return rc;
}

const ia_cli_command ia_cli_models = {
    "models", "list the Hugging Face model types and whether they run here", run_models};
