/* Presets, synthetic weights and model resolution: every preset's config
 * parses and names a native type; every native fixture's config can be
 * given synthetic weights that load, run, say they are synthetic and
 * depend only on the seed; names resolve to folders, the Hugging Face
 * cache and presets in that order. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/models.h"

static char tmpdir[] = "/tmp/ia-test-presets-XXXXXX";

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_presets_parse(void **state)
{
    (void)state;
    assert_true(ia_model_presets_count() >= 11);
    for (size_t i = 0; i < ia_model_presets_count(); i++) {
        const ia_model_preset *p = ia_model_preset_at(i);
        ia_model_config cfg;
        ia_error err = {0};
        if (ia_model_config_parse(p->name, p->config_json, strlen(p->config_json), &cfg, &err) !=
            IA_OK)
            fail_msg("preset %s: %s", p->name, err.message);
        const ia_model_type_info *t = ia_model_type_find(cfg.model_type);
        assert_non_null(t);
        if (t->status != IA_MODEL_NATIVE)
            fail_msg("preset %s: model type %s is not native", p->name, cfg.model_type);
        assert_true(ia_model_preset_find(p->name) == p);
        ia_model_config_free(&cfg);
    }
    assert_null(ia_model_preset_find("no-such/model"));
}

static bool same_file(const char *a, const char *b)
{
    char *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    ia_error err = {0};
    assert_int_equal(ia_file_read_all(a, 1 << 28, &x, &nx, &err), IA_OK);
    assert_int_equal(ia_file_read_all(b, 1 << 28, &y, &ny, &err), IA_OK);
    bool same = nx == ny && memcmp(x, y, nx) == 0;
    free(x);
    free(y);
    return same;
}

/* Synthetic weights for the fixture config of name, with seed, in
 * tmpdir/name-seed-tag; returns the folder. */
static void synthesize(const char *name, uint64_t seed, const char *tag, char *dir, size_t size)
{
    char src[4200], *text = NULL;
    snprintf(src, sizeof src, "%s/models/%s/config.json", getenv("IA_FIXTURES"), name);
    ia_error err = {0};
    assert_int_equal(ia_file_read_all(src, 1 << 20, &text, NULL, &err), IA_OK);
    snprintf(dir, size, "%s/%s-%llu-%s", tmpdir, name, (unsigned long long)seed, tag);
    char cfg[4200];
    snprintf(cfg, sizeof cfg, "%s/config.json", dir);
    assert_int_equal(ia_file_write_all(cfg, text, strlen(text), &err), IA_OK);
    free(text);
    if (ia_model_synthesize(dir, seed, &err) != IA_OK)
        fail_msg("synthesize %s: %s", name, err.message);
}

static void test_synthetic_weights(void **state)
{
    (void)state;
    static const char *const names[] = {"bert", "bert_cls", "roberta", "xlm_roberta",
                                        "distilbert", "mpnet", "vit", "deit", "gpt2", "opt",
                                        "llama", "qwen2", "qwen3", "mistral", "gemma", "phi3",
                                        "gpt_neox"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char dir[2300], again[2300], other[2300];
        synthesize(names[i], 1, "a", dir, sizeof dir);
        ia_model *m = NULL;
        ia_error err = {0};
        if (ia_model_load(dir, NULL, &m, &err) != IA_OK)
            fail_msg("load synthetic %s: %s", names[i], err.message);
        assert_true(ia_model_weights_synthetic(m));
        /* one forward on the fixture's own inputs' shapes: input_ids or pixels */
        ia_tensor_map in = {0}, out = {0};
        ia_tensor *t;
        const ia_model_config *cfg = ia_model_config_get(m);
        if (strcmp(names[i], "vit") == 0 || strcmp(names[i], "deit") == 0) {
            const int64_t shape[4] = {1, 3, 32, 32};
            assert_int_equal(ia_tensor_map_add(&in, "pixel_values", IA_DTYPE_F32, 4, shape, &t,
                                               &err), IA_OK);
        } else {
            const int64_t shape[2] = {1, 5};
            assert_int_equal(ia_tensor_map_add(&in, "input_ids", IA_DTYPE_I64, 2, shape, &t, &err),
                             IA_OK);
            for (int k = 0; k < 5; k++)
                ((int64_t *)t->data)[k] = (k * 7 + 3) % cfg->vocab_size;
        }
        if (ia_model_forward(m, &in, &out, &err) != IA_OK)
            fail_msg("forward synthetic %s: %s", names[i], err.message);
        assert_true(out.n > 0);
        ia_tensor_map_free(&in);
        ia_tensor_map_free(&out);
        ia_model_free(m);
        /* the same seed gives the same file; another seed another */
        char a[2400], b[2400];
        snprintf(a, sizeof a, "%s/model.safetensors", dir);
        synthesize(names[i], 1, "b", again, sizeof again);
        snprintf(b, sizeof b, "%s/model.safetensors", again);
        assert_true(same_file(a, b));
        synthesize(names[i], 2, "a", other, sizeof other);
        snprintf(b, sizeof b, "%s/model.safetensors", other);
        assert_false(same_file(a, b));
    }
}

static void test_resolve(void **state)
{
    (void)state;
    char dir[4096];
    bool synthetic = true;
    ia_error err = {0};
    /* a folder is itself */
    assert_int_equal(ia_model_resolve(tmpdir, dir, sizeof dir, &synthetic, &err), IA_OK);
    assert_string_equal(dir, tmpdir);
    assert_false(synthetic);
    /* the Hugging Face cache: the snapshot refs/main names */
    char hub[2200], snap[2400], p[2600];
    snprintf(hub, sizeof hub, "%s/hub", tmpdir);
    snprintf(snap, sizeof snap, "%s/models--someorg--tiny-bert/snapshots/abc123", hub);
    assert_int_equal(ia_dir_create_all(snap, &err), IA_OK);
    snprintf(p, sizeof p, "%s/config.json", snap);
    assert_int_equal(ia_file_write_all(p, "{}", 2, &err), IA_OK);
    snprintf(p, sizeof p, "%s/models--someorg--tiny-bert/refs/main", hub);
    assert_int_equal(ia_file_write_all(p, "abc123\n", 7, &err), IA_OK);
    setenv("HF_HUB_CACHE", hub, 1);
    assert_int_equal(ia_model_resolve("someorg/tiny-bert", dir, sizeof dir, &synthetic, &err),
                     IA_OK);
    assert_string_equal(dir, snap);
    assert_false(synthetic);
    /* unknown names, and names that try to leave the cache */
    static const char *const bad[] = {"someorg/absent", "../etc", "a/../../b", "/abs/path-absent",
                                      "a/b/c"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(ia_model_resolve(bad[i], dir, sizeof dir, &synthetic, &err),
                         IA_ERR_NOT_FOUND);
        assert_non_null(strstr(err.message, "not a preset"));
    }
    /* a preset already synthesized in IA_CACHE_DIR is used as it is */
    char made[2400];
    snprintf(made, sizeof made, "%s/ia/synthetic/Qwen_Qwen2-0.5B", tmpdir);
    assert_int_equal(ia_dir_create_all(made, &err), IA_OK);
    snprintf(p, sizeof p, "%s/model.safetensors", made);
    assert_int_equal(ia_file_write_all(p, "x", 1, &err), IA_OK);
    snprintf(p, sizeof p, "%s/ia", tmpdir);
    setenv("IA_CACHE_DIR", p, 1);
    assert_int_equal(ia_model_resolve("Qwen/Qwen2-0.5B", dir, sizeof dir, &synthetic, &err),
                     IA_OK);
    assert_string_equal(dir, made);
    assert_true(synthetic);
    unsetenv("HF_HUB_CACHE");
    unsetenv("IA_CACHE_DIR");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets_parse),
        cmocka_unit_test(test_synthetic_weights),
        cmocka_unit_test(test_resolve),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
