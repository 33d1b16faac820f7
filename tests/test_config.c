/* config.json parsing: every fixture model, the values that matter for a
 * few families, both rope styles, family defaults, and each kind of bad
 * file with the message that names its problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipfs_accelerate/formats.h"

static const char *fixtures(void)
{
    const char *f = getenv("IA_FIXTURES");
    return f && *f ? f : "tests/fixtures";
}

static void load_model(const char *name, ia_model_config *cfg)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/models/%s", fixtures(), name);
    ia_error err;
    ia_error_clear(&err);
    ia_status st = ia_model_config_load(path, cfg, &err);
    if (st != IA_OK)
        fail_msg("%s: %s", name, err.message);
}

static ia_status parse(const char *text, ia_model_config *cfg, ia_error *err)
{
    ia_error_clear(err);
    return ia_model_config_parse("config.json", text, strlen(text), cfg, err);
}

static void parse_ok(const char *text, ia_model_config *cfg)
{
    ia_error err;
    if (parse(text, cfg, &err) != IA_OK)
        fail_msg("%s\n  in %s", err.message, text);
}

/* The parse fails and its message holds each of the given pieces. */
static void parse_fails(const char *text, ...)
{
    ia_model_config cfg;
    ia_error err;
    ia_status st = parse(text, &cfg, &err);
    if (st == IA_OK) {
        ia_model_config_free(&cfg);
        fail_msg("parsed, but should have failed: %s", text);
    }
    assert_null(cfg.json);
    va_list ap;
    va_start(ap, text);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(err.message, want))
            fail_msg("message '%s' lacks '%s'", err.message, want);
    va_end(ap);
}

static void test_every_fixture_parses(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/models", fixtures());
    DIR *d = opendir(dir);
    assert_non_null(d);
    int parsed = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s/config.json", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        ia_model_config cfg;
        ia_error err;
        ia_error_clear(&err);
        if (ia_model_config_load(path, &cfg, &err) != IA_OK)
            fail_msg("%s: %s", e->d_name, err.message);
        /* Every fixture is a tiny model: hidden 32 (the CLAP top level
         * too), with a JSON document kept and sane derived values. */
        assert_non_null(cfg.json);
        assert_true(cfg.model_type[0]);
        assert_true(cfg.architecture[0]);
        assert_int_equal(cfg.hidden_size, 32);
        assert_int_equal(cfg.intermediate_size, 37);
        assert_int_equal(cfg.num_hidden_layers, strcmp(cfg.model_type, "clap") == 0 ? 4 : 2);
        assert_int_equal(cfg.num_attention_heads, 4);
        assert_true(cfg.num_key_value_heads >= 1);
        assert_int_equal(cfg.head_dim, 8);
        assert_true(cfg.layer_norm_eps > 0 && cfg.layer_norm_eps < 1e-4);
        assert_true(cfg.hidden_act[0]);
        assert_string_equal(cfg.torch_dtype, "float32");
        assert_true(cfg.partial_rotary_factor > 0 && cfg.partial_rotary_factor <= 1);
        assert_true(cfg.rope_scaling_factor == 1.0);
        ia_model_config_free(&cfg);
        assert_null(cfg.json);
        parsed++;
    }
    closedir(d);
    assert_true(parsed >= 25);
}

static void test_bert(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("bert", &c);
    assert_string_equal(c.model_type, "bert");
    assert_string_equal(c.architecture, "BertModel");
    assert_int_equal(c.vocab_size, 99);
    assert_int_equal(c.hidden_size, 32);
    assert_int_equal(c.intermediate_size, 37);
    assert_int_equal(c.num_hidden_layers, 2);
    assert_int_equal(c.num_attention_heads, 4);
    assert_int_equal(c.num_key_value_heads, 4);
    assert_int_equal(c.head_dim, 8);
    assert_int_equal(c.max_position_embeddings, 64);
    assert_int_equal(c.type_vocab_size, 2);
    assert_true(c.layer_norm_eps == 1e-12);
    assert_string_equal(c.hidden_act, "gelu");
    assert_true(c.rope_theta == 0); /* absolute positions */
    assert_true(c.tie_word_embeddings);
    assert_int_equal(c.pad_token_id, 0);
    assert_int_equal(c.bos_token_id, -1); /* null in the file */
    assert_int_equal(c.eos_token_id, -1);
    ia_model_config_free(&c);
}

static void test_llama_rope_parameters(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("llama", &c);
    assert_string_equal(c.model_type, "llama");
    assert_string_equal(c.architecture, "LlamaForCausalLM");
    assert_int_equal(c.num_key_value_heads, 2);
    assert_int_equal(c.head_dim, 8);
    assert_true(c.rope_theta == 10000.0);
    assert_string_equal(c.rope_type, "default");
    assert_true(c.rope_scaling_factor == 1.0);
    assert_true(c.partial_rotary_factor == 1.0);
    assert_true(c.layer_norm_eps == 1e-6);
    assert_string_equal(c.hidden_act, "silu");
    assert_false(c.tie_word_embeddings);
    assert_int_equal(c.bos_token_id, 1);
    assert_int_equal(c.eos_token_id, 2);
    assert_int_equal(c.pad_token_id, -1);
    assert_int_equal(c.sliding_window, 0);
    /* the nested dict stays in the document */
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(c.json, "rope_parameters")));
    ia_model_config_free(&c);
}

static void test_gpt2_aliases(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("gpt2", &c);
    assert_int_equal(c.hidden_size, 32);         /* n_embd */
    assert_int_equal(c.num_hidden_layers, 2);    /* n_layer */
    assert_int_equal(c.num_attention_heads, 4);  /* n_head */
    assert_int_equal(c.intermediate_size, 37);   /* n_inner */
    assert_int_equal(c.max_position_embeddings, 64); /* n_positions */
    assert_true(c.layer_norm_eps == 1e-5);       /* layer_norm_epsilon */
    assert_string_equal(c.hidden_act, "gelu_new"); /* activation_function */
    assert_true(c.tie_word_embeddings);
    ia_model_config_free(&c);

    /* n_inner null: four times n_embd */
    parse_ok("{\"model_type\": \"gpt2\", \"n_embd\": 64, \"n_head\": 4, \"n_inner\": null}", &c);
    assert_int_equal(c.intermediate_size, 256);
    assert_int_equal(c.max_position_embeddings, 1024);
    assert_int_equal(c.vocab_size, 50257);
    assert_int_equal(c.eos_token_id, 50256);
    ia_model_config_free(&c);
}

static void test_gpt_neox_rotary(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("gpt_neox", &c);
    assert_true(c.partial_rotary_factor == 0.25);
    assert_true(c.rope_theta == 10000.0);
    assert_true(c.layer_norm_eps == 1e-5);
    ia_model_config_free(&c);

    /* the older spellings: rotary_pct and rotary_emb_base */
    parse_ok("{\"model_type\": \"gpt_neox\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"rotary_pct\": 0.5, \"rotary_emb_base\": 20000}",
             &c);
    assert_true(c.partial_rotary_factor == 0.5);
    assert_true(c.rope_theta == 20000.0);
    ia_model_config_free(&c);

    /* and the class default when neither is given */
    parse_ok("{\"model_type\": \"gpt_neox\", \"hidden_size\": 64, \"num_attention_heads\": 4}",
             &c);
    assert_true(c.partial_rotary_factor == 0.25);
    assert_true(c.rope_theta == 10000.0);
    ia_model_config_free(&c);
}

static void test_qwen_head_dim_and_window(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("qwen3", &c);
    assert_int_equal(c.head_dim, 8);
    assert_int_equal(c.num_key_value_heads, 2);
    assert_int_equal(c.sliding_window, 0);
    assert_true(c.tie_word_embeddings);
    ia_model_config_free(&c);

    /* qwen3's head_dim is its own, not hidden / heads */
    parse_ok("{\"model_type\": \"qwen3\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"num_key_value_heads\": 2, \"head_dim\": 32}",
             &c);
    assert_int_equal(c.head_dim, 32);
    ia_model_config_free(&c);
    /* and defaults to 128 when absent, like the class */
    parse_ok("{\"model_type\": \"qwen3\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"num_key_value_heads\": 4}",
             &c);
    assert_int_equal(c.head_dim, 128);
    ia_model_config_free(&c);

    /* qwen2: the window applies only with use_sliding_window */
    parse_ok("{\"model_type\": \"qwen2\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"num_key_value_heads\": 4, \"sliding_window\": 128}",
             &c);
    assert_int_equal(c.sliding_window, 0);
    assert_true(c.rope_theta == 10000.0);
    ia_model_config_free(&c);
    parse_ok("{\"model_type\": \"qwen2\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"num_key_value_heads\": 4, \"sliding_window\": 128, \"use_sliding_window\": true}",
             &c);
    assert_int_equal(c.sliding_window, 128);
    ia_model_config_free(&c);
}

static void test_mistral_sliding_window(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("mistral", &c);
    assert_int_equal(c.sliding_window, 4);
    assert_int_equal(c.num_key_value_heads, 2);
    ia_model_config_free(&c);

    parse_ok("{\"model_type\": \"mistral\", \"hidden_size\": 64, \"num_attention_heads\": 8}", &c);
    assert_int_equal(c.sliding_window, 4096); /* the class default */
    assert_int_equal(c.num_key_value_heads, 8);
    assert_int_equal(c.max_position_embeddings, 4096 * 32);
    ia_model_config_free(&c);
    /* null: no window, and null kv heads means all heads */
    parse_ok("{\"model_type\": \"mistral\", \"hidden_size\": 64, \"num_attention_heads\": 16,"
             " \"sliding_window\": null, \"num_key_value_heads\": null}",
             &c);
    assert_int_equal(c.sliding_window, 0);
    assert_int_equal(c.num_key_value_heads, 16);
    ia_model_config_free(&c);
}

static void test_other_families(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("t5", &c);
    assert_int_equal(c.hidden_size, 32);       /* d_model */
    assert_int_equal(c.intermediate_size, 37); /* d_ff */
    assert_int_equal(c.head_dim, 8);           /* d_kv */
    assert_true(c.layer_norm_eps == 1e-6);
    assert_string_equal(c.hidden_act, "relu");
    assert_int_equal(c.eos_token_id, 1);
    ia_model_config_free(&c);
    load_model("t5_gated", &c);
    assert_string_equal(c.hidden_act, "gelu_new"); /* gated-gelu */
    ia_model_config_free(&c);

    load_model("opt", &c);
    assert_int_equal(c.intermediate_size, 37); /* ffn_dim */
    assert_string_equal(c.hidden_act, "relu");
    assert_int_equal(cJSON_GetObjectItem(c.json, "word_embed_proj_dim")->valueint, 32);
    ia_model_config_free(&c);

    load_model("gemma", &c);
    assert_int_equal(c.num_key_value_heads, 1);
    assert_string_equal(c.hidden_act, "gelu_pytorch_tanh");
    ia_model_config_free(&c);

    load_model("phi3", &c);
    assert_true(c.layer_norm_eps == 1e-5);
    assert_int_equal(c.sliding_window, 0);
    ia_model_config_free(&c);

    load_model("whisper", &c);
    assert_int_equal(c.num_hidden_layers, 2);     /* encoder_layers */
    assert_int_equal(c.intermediate_size, 37);    /* encoder_ffn_dim */
    assert_int_equal(c.max_position_embeddings, 64); /* max_source_positions */
    assert_string_equal(c.hidden_act, "gelu");
    ia_model_config_free(&c);

    load_model("distilbert", &c);
    assert_int_equal(c.hidden_size, 32); /* dim */
    assert_int_equal(c.intermediate_size, 37);
    assert_true(c.layer_norm_eps == 1e-12);
    ia_model_config_free(&c);

    load_model("vit", &c);
    assert_int_equal(c.vocab_size, 0);
    assert_int_equal(cJSON_GetObjectItem(c.json, "image_size")->valueint, 32);
    assert_int_equal(cJSON_GetObjectItem(c.json, "patch_size")->valueint, 8);
    ia_model_config_free(&c);
}

static void test_clip_nested(void **state)
{
    (void)state;
    ia_model_config c;
    load_model("clip", &c);
    assert_string_equal(c.model_type, "clip");
    assert_string_equal(c.architecture, "CLIPModel");
    /* from text_config */
    assert_int_equal(c.vocab_size, 99);
    assert_int_equal(c.hidden_size, 32);
    assert_int_equal(c.num_attention_heads, 4);
    assert_int_equal(c.max_position_embeddings, 64);
    assert_string_equal(c.hidden_act, "quick_gelu");
    assert_true(c.layer_norm_eps == 1e-5);
    assert_int_equal(c.eos_token_id, 98);
    /* the towers stay in the document */
    const cJSON *vision = cJSON_GetObjectItem(c.json, "vision_config");
    assert_true(cJSON_IsObject(vision));
    assert_int_equal(cJSON_GetObjectItem(vision, "patch_size")->valueint, 8);
    ia_model_config_free(&c);

    load_model("llava", &c);
    assert_int_equal(c.vocab_size, 100);
    assert_int_equal(c.max_position_embeddings, 128);
    assert_int_equal(c.num_key_value_heads, 2);
    assert_true(c.rope_theta == 10000.0);
    assert_false(c.tie_word_embeddings);
    ia_model_config_free(&c);

    /* text_config defaults come from the text family: llava -> llama */
    parse_ok("{\"model_type\": \"llava\", \"text_config\": {\"hidden_size\": 64,"
             " \"num_attention_heads\": 4}}",
             &c);
    assert_int_equal(c.vocab_size, 32000);
    assert_true(c.layer_norm_eps == 1e-6);
    assert_string_equal(c.hidden_act, "silu");
    ia_model_config_free(&c);
    /* and a clip config without text_config gets CLIPTextConfig's */
    parse_ok("{\"model_type\": \"clip\"}", &c);
    assert_int_equal(c.hidden_size, 512);
    assert_int_equal(c.num_attention_heads, 8);
    assert_int_equal(c.max_position_embeddings, 77);
    ia_model_config_free(&c);
}

static void test_old_rope_style(void **state)
{
    (void)state;
    ia_model_config c;
    parse_ok("{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_attention_heads\": 32,"
             " \"num_key_value_heads\": 8, \"rope_theta\": 500000.0,"
             " \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
             " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
             " \"original_max_position_embeddings\": 8192}}",
             &c);
    assert_true(c.rope_theta == 500000.0);
    assert_string_equal(c.rope_type, "llama3");
    assert_true(c.rope_scaling_factor == 8.0);
    assert_int_equal(c.head_dim, 128);
    ia_model_config_free(&c);

    parse_ok("{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"rope_theta\": 1000000, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2}}",
             &c);
    assert_true(c.rope_theta == 1e6);
    assert_string_equal(c.rope_type, "linear");
    assert_true(c.rope_scaling_factor == 2.0);
    ia_model_config_free(&c);

    parse_ok("{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"rope_scaling\": null}",
             &c);
    assert_string_equal(c.rope_type, "default");
    assert_true(c.rope_scaling_factor == 1.0);
    ia_model_config_free(&c);

    /* transformers 5 per-layer-type dicts: the full-attention one */
    parse_ok("{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
             " \"rope_parameters\": {\"full_attention\": {\"rope_type\": \"linear\","
             " \"rope_theta\": 1e6, \"factor\": 4}, \"sliding_attention\": {\"rope_type\":"
             " \"default\", \"rope_theta\": 10000}}}",
             &c);
    assert_true(c.rope_theta == 1e6);
    assert_string_equal(c.rope_type, "linear");
    assert_true(c.rope_scaling_factor == 4.0);
    ia_model_config_free(&c);
}

static void test_defaults(void **state)
{
    (void)state;
    ia_model_config c;
    parse_ok("{\"model_type\": \"bert\"}", &c);
    assert_int_equal(c.vocab_size, 30522);
    assert_int_equal(c.hidden_size, 768);
    assert_int_equal(c.intermediate_size, 3072);
    assert_int_equal(c.num_hidden_layers, 12);
    assert_int_equal(c.num_attention_heads, 12);
    assert_int_equal(c.num_key_value_heads, 12);
    assert_int_equal(c.head_dim, 64);
    assert_int_equal(c.max_position_embeddings, 512);
    assert_int_equal(c.type_vocab_size, 2);
    assert_true(c.layer_norm_eps == 1e-12);
    assert_string_equal(c.hidden_act, "gelu");
    assert_string_equal(c.architecture, "");
    assert_string_equal(c.torch_dtype, "");
    assert_true(c.tie_word_embeddings);
    ia_model_config_free(&c);

    parse_ok("{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4}", &c);
    assert_true(c.rope_theta == 10000.0);
    assert_true(c.layer_norm_eps == 1e-6);
    assert_string_equal(c.hidden_act, "silu");
    assert_int_equal(c.num_key_value_heads, 4);
    assert_int_equal(c.head_dim, 16);
    assert_int_equal(c.intermediate_size, 11008);
    assert_false(c.tie_word_embeddings);
    assert_string_equal(c.rope_type, "default");
    assert_true(c.rope_scaling_factor == 1.0);
    assert_true(c.partial_rotary_factor == 1.0);
    ia_model_config_free(&c);

    parse_ok("{\"model_type\": \"qwen2\"}", &c);
    assert_true(c.rope_theta == 10000.0); /* the class default, not 1e6 */
    assert_int_equal(c.vocab_size, 151936);
    ia_model_config_free(&c);

    parse_ok("{\"model_type\": \"t5\", \"feed_forward_proj\": \"gated-silu\"}", &c);
    assert_string_equal(c.hidden_act, "silu");
    assert_int_equal(c.head_dim, 64);
    assert_true(c.layer_norm_eps == 1e-6);
    ia_model_config_free(&c);

    /* an unknown family: what it says, nothing invented; unknown keys ignored */
    parse_ok("{\"model_type\": \"frobnet\", \"hidden_size\": 48, \"num_attention_heads\": 6,"
             " \"frob_factor\": [1, \"x\", {}], \"torch_dtype\": \"torch.bfloat16\","
             " \"eos_token_id\": [7, 8]}",
             &c);
    assert_int_equal(c.head_dim, 8);
    assert_int_equal(c.num_hidden_layers, 0);
    assert_true(c.rope_theta == 0);
    assert_string_equal(c.torch_dtype, "bfloat16");
    assert_int_equal(c.eos_token_id, 7);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(c.json, "eos_token_id")));
    ia_model_config_free(&c);

    /* integral numbers written with a fraction part are integers */
    parse_ok("{\"model_type\": \"bert\", \"hidden_size\": 64.0, \"num_attention_heads\": 4}", &c);
    assert_int_equal(c.hidden_size, 64);
    ia_model_config_free(&c);
}

static void test_errors(void **state)
{
    (void)state;
    parse_fails("{\"model_type\": \"bert\", \"hidden_size\": \"32\"}", "config.json",
                "key 'hidden_size' must be an integer, found a string", NULL);
    parse_fails("{\"model_type\": \"bert\", \"hidden_size\": 1.5}", "config.json",
                "key 'hidden_size' must be an integer, found 1.5", NULL);
    parse_fails("{\"model_type\": \"bert\", \"hidden_size\": 30, \"num_attention_heads\": 4}",
                "config.json: hidden_size must be divisible by num_attention_heads (got 30 and 4)",
                NULL);
    parse_fails("{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
                " \"num_key_value_heads\": 3}",
                "config.json: num_attention_heads must be a multiple of num_key_value_heads "
                "(got 4 and 3)",
                NULL);
    parse_fails("{\"model_type\": \"bert\", \"hidden_size\": 32,", "config.json",
                "invalid JSON", "line 1", NULL);
    parse_fails("{\"model_type\": \"bert\"} trailing", "config.json", "invalid JSON", NULL);
    parse_fails("", "config.json", "empty", NULL);
    parse_fails("[1, 2]", "config.json", "expected a JSON object", "an array", NULL);
    parse_fails("{\"hidden_size\": 32}", "config.json", "'model_type' is missing", NULL);
    parse_fails("{\"model_type\": 3}", "key 'model_type' must be a string, found a number",
                NULL);
    parse_fails("{\"model_type\": \"bert\", \"hidden_size\": -32}", "config.json",
                "key 'hidden_size' must be positive, found -32", NULL);
    parse_fails("{\"model_type\": \"bert\", \"num_hidden_layers\": 0}",
                "key 'num_hidden_layers' must be positive", NULL);
    parse_fails("{\"model_type\": \"bert\", \"vocab_size\": 2e15}", "key 'vocab_size'",
                "more than", NULL);
    parse_fails("{\"model_type\": \"gpt2\", \"n_embd\": true}",
                "key 'n_embd' must be an integer, found a boolean", NULL);
    parse_fails("{\"model_type\": \"bert\", \"layer_norm_eps\": \"1e-12\"}",
                "key 'layer_norm_eps' must be a number, found a string", NULL);
    parse_fails("{\"model_type\": \"bert\", \"layer_norm_eps\": -1}",
                "key 'layer_norm_eps' must be positive", NULL);
    parse_fails("{\"model_type\": \"bert\", \"hidden_act\": 5}",
                "key 'hidden_act' must be a string, found a number", NULL);
    parse_fails("{\"model_type\": \"bert\", \"tie_word_embeddings\": 1}",
                "key 'tie_word_embeddings' must be true or false, found a number", NULL);
    parse_fails("{\"model_type\": \"llama\", \"rope_parameters\": {\"rope_theta\": \"big\"}}",
                "key 'rope_parameters.rope_theta' must be a number, found a string", NULL);
    parse_fails("{\"model_type\": \"llama\", \"rope_scaling\": 2}",
                "key 'rope_scaling' must be an object, found a number", NULL);
    parse_fails("{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"linear\","
                " \"factor\": 0}}",
                "key 'rope_scaling.factor' must be positive", NULL);
    parse_fails("{\"model_type\": \"gpt_neox\", \"rotary_pct\": 1.5}", "key 'rotary_pct'",
                "at most 1", NULL);
    parse_fails("{\"model_type\": \"llama\", \"eos_token_id\": [1, \"x\"]}",
                "key 'eos_token_id' must be an integer or a list of integers", NULL);
    parse_fails("{\"model_type\": \"llava\", \"text_config\": {\"hidden_size\": \"x\"}}",
                "key 'text_config.hidden_size' must be an integer, found a string", NULL);
    parse_fails("{\"model_type\": \"llava\", \"text_config\": []}",
                "key 'text_config' must be an object, found an array", NULL);
    parse_fails("{\"model_type\": \"frobnet\", \"num_attention_heads\": 4}",
                "key 'hidden_size' is missing", "frobnet", NULL);
    parse_fails("{\"model_type\": \"t5\", \"feed_forward_proj\": \"gelu-gated\"}",
                "key 'feed_forward_proj' must be 'ACT' or 'gated-ACT'", NULL);
    parse_fails("{\"model_type\": \"bert\", \"architectures\": \"BertModel\"}",
                "key 'architectures' must be a list of class names, found a string", NULL);

    /* a missing file names its path */
    ia_model_config c;
    ia_error err;
    ia_error_clear(&err);
    assert_int_equal(ia_model_config_load("/nonexistent/model", &c, &err), IA_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "/nonexistent/model"));
    /* a fixture folder without config.json */
    char path[1024];
    snprintf(path, sizeof path, "%s/models/whisper_features", fixtures());
    assert_int_not_equal(ia_model_config_load(path, &c, &err), IA_OK);
    assert_non_null(strstr(err.message, "config.json"));
    ia_model_config_free(&c); /* harmless on a failed load */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fixture_parses),
        cmocka_unit_test(test_bert),
        cmocka_unit_test(test_llama_rope_parameters),
        cmocka_unit_test(test_gpt2_aliases),
        cmocka_unit_test(test_gpt_neox_rotary),
        cmocka_unit_test(test_qwen_head_dim_and_window),
        cmocka_unit_test(test_mistral_sliding_window),
        cmocka_unit_test(test_other_families),
        cmocka_unit_test(test_clip_nested),
        cmocka_unit_test(test_old_rope_style),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
