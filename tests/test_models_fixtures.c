/* Every golden fixture of a model type we run (tests/fixtures/models/NAME,
 * made by Hugging Face transformers; README.md there): its
 * reference.safetensors inputs through ia_model_forward (and
 * ia_model_generate, greedy with 12 new tokens past EOS, where the fixture
 * has generated_ids), every output compared: floats within 1e-4 absolute,
 * ids exactly. A fixture whose model type is not native is listed as not
 * run; one that is native must pass. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/models.h"
#include "models/model_internal.h"

#define TOLERANCE 1e-4

static double value_at(const ia_tensor *t, int64_t i)
{
    switch (t->dtype) {
    case IA_DTYPE_F32: {
        float v;
        memcpy(&v, (const char *)t->data + i * 4, 4);
        return v;
    }
    case IA_DTYPE_I64: {
        int64_t v;
        memcpy(&v, (const char *)t->data + i * 8, 8);
        return (double)v;
    }
    case IA_DTYPE_I32: {
        int32_t v;
        memcpy(&v, (const char *)t->data + i * 4, 4);
        return v;
    }
    default:
        return NAN;
    }
}

/* Returns 0 when ours matches ref (printing the worst error), 1 otherwise. */
static int compare(const char *fixture, const char *name, const ia_tensor *ours,
                   const ia_tensor *ref)
{
    char a[96], b[96];
    if (!ours) {
        printf("  %s: output '%s' was not produced\n", fixture, name);
        return 1;
    }
    if (!ia_tensor_same_shape(ours, ref)) {
        printf("  %s: output '%s' is %s, the reference %s\n", fixture, name,
               ia_tensor_describe(ours, a, sizeof a), ia_tensor_describe(ref, b, sizeof b));
        return 1;
    }
    bool ids = ref->dtype == IA_DTYPE_I64 || ref->dtype == IA_DTYPE_I32;
    double worst = 0;
    int64_t at = 0, n = ia_tensor_numel(ref);
    for (int64_t i = 0; i < n; i++) {
        double d = fabs(value_at(ours, i) - value_at(ref, i));
        if (!(d <= worst)) { /* NaN counts as the worst */
            worst = isnan(d) ? INFINITY : d;
            at = i;
        }
    }
    bool ok = ids ? worst == 0 : worst <= TOLERANCE;
    printf("  %s: %-26s %s max abs error %.3g%s\n", fixture, name,
           ia_tensor_describe(ref, b, sizeof b), worst, ok ? "" : "  <- FAILS");
    if (!ok)
        printf("    at element %lld: ours %.6g, reference %.6g\n", (long long)at,
               value_at(ours, at), value_at(ref, at));
    return ok ? 0 : 1;
}

/* Runs one fixture; returns the number of failures (0 when not native). */
static int run_fixture(const char *root, const char *name, int *ran)
{
    char dir[4096], ref_path[4096];
    int k1 = snprintf(dir, sizeof dir, "%s/%s", root, name);
    int k2 = snprintf(ref_path, sizeof ref_path, "%s/reference.safetensors", dir);
    if (k1 < 0 || k2 < 0 || (size_t)k1 >= sizeof dir || (size_t)k2 >= sizeof ref_path)
        fail_msg("fixture path too long: %s/%s", root, name);
    ia_error err = {0};
    ia_model_config cfg;
    char cfg_path[4200];
    snprintf(cfg_path, sizeof cfg_path, "%s/config.json", dir);
    FILE *f = fopen(cfg_path, "rb");
    if (!f) {
        printf("  %s: not a model (no config.json: a feature-extractor fixture)\n", name);
        return 0;
    }
    fclose(f);
    if (ia_model_config_load(dir, &cfg, &err) != IA_OK) {
        printf("  %s: %s\n", name, err.message);
        return 1;
    }
    bool native = ia_variant_find(cfg.model_type) != NULL;
    ia_model_config_free(&cfg);
    if (!native) {
        printf("  %s: not run (model type not native)\n", name);
        return 0;
    }
    (*ran)++;
    ia_model *m = NULL;
    if (ia_model_load(dir, NULL, &m, &err) != IA_OK) {
        printf("  %s: load failed: %s\n", name, err.message);
        return 1;
    }
    ia_safetensors *ref = NULL;
    assert_int_equal(ia_safetensors_open(ref_path, &ref, &err), IA_OK);
    ia_tensor_map in = {0}, out = {0};
    int fails = 0;
    for (size_t i = 0; i < ia_safetensors_count(ref); i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(ref, i);
        if (strncmp(e->name, "input.", 6) != 0)
            continue;
        ia_tensor t;
        assert_int_equal(ia_safetensors_tensor(ref, e->name, &t, &err), IA_OK);
        assert_int_equal(ia_tensor_map_add(&in, e->name + 6, t.dtype, t.ndim, t.shape, NULL, &err),
                         IA_OK);
        /* the mapping may be unaligned: copy the bytes */
        memcpy((void *)ia_tensor_map_find(&in, e->name + 6)->data, t.data, ia_tensor_nbytes(&t));
    }
    ia_status st = ia_model_forward(m, &in, &out, &err);
    if (st == IA_OK && ia_safetensors_find(ref, "output.generated_ids")) {
        ia_generate_opts g = {.max_new_tokens = 12, .ignore_eos = true};
        st = ia_model_generate(m, ia_tensor_map_find(&in, "input_ids"), &g, &out, &err);
    }
    if (st != IA_OK) {
        printf("  %s: run failed: %s\n", name, err.message);
        fails++;
    }
    for (size_t i = 0; st == IA_OK && i < ia_safetensors_count(ref); i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(ref, i);
        if (strncmp(e->name, "output.", 7) != 0)
            continue;
        ia_tensor mapped, t;
        assert_int_equal(ia_safetensors_tensor(ref, e->name, &mapped, &err), IA_OK);
        assert_int_equal(ia_tensor_alloc(&t, mapped.dtype, mapped.ndim, mapped.shape, &err), IA_OK);
        memcpy(t.data, mapped.data, ia_tensor_nbytes(&t));
        fails += compare(name, e->name + 7, ia_tensor_map_find(&out, e->name + 7), &t);
        ia_tensor_free(&t);
    }
    ia_tensor_map_free(&in);
    ia_tensor_map_free(&out);
    ia_safetensors_close(ref);
    ia_model_free(m);
    return fails;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden_fixtures(void **state)
{
    (void)state;
    const char *fixtures = getenv("IA_FIXTURES");
    assert_non_null(fixtures);
    char root[2048];
    int k = snprintf(root, sizeof root, "%s/models", fixtures);
    if (k < 0 || (size_t)k >= sizeof root)
        fail_msg("IA_FIXTURES is too long");
    DIR *d = opendir(root);
    assert_non_null(d);
    char *names[128];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 128;)
        if (e->d_name[0] != '.' && strcmp(e->d_name, "README.md") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int fails = 0, ran = 0;
    for (size_t i = 0; i < n; i++) {
        fails += run_fixture(root, names[i], &ran);
        free(names[i]);
    }
    printf("%d native fixtures run, %d failures\n", ran, fails);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
