/* Bad model folders and bad inputs: each gives an error that names the file
 * or the input and the problem, never a crash or a wrong answer. Built on
 * the BERT fixture (tests/fixtures/models/bert), copied into a temporary
 * folder and spoiled one way at a time. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipfs_accelerate/formats.h"
#include "ipfs_accelerate/models.h"

static char tmpdir[] = "/tmp/ia-test-models-XXXXXX";
static char fixture[2048];

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
    const char *root = getenv("IA_FIXTURES");
    if (!root || !mkdtemp(tmpdir))
        return -1;
    snprintf(fixture, sizeof fixture, "%s/models/bert", root);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A fresh folder under tmpdir holding the fixture's config.json (with
 * replace, when not NULL, substituted for its first occurrence of find). */
static void make_dir(char *dir, size_t size, const char *name, const char *find,
                     const char *replace)
{
    snprintf(dir, size, "%s/%s", tmpdir, name);
    assert_int_equal(mkdir(dir, 0777), 0);
    char p[4200], *text = NULL;
    snprintf(p, sizeof p, "%s/config.json", fixture);
    ia_error err = {0};
    assert_int_equal(ia_file_read_all(p, 1 << 20, &text, NULL, &err), IA_OK);
    char *at = find ? strstr(text, find) : NULL;
    if (find)
        assert_non_null(at);
    snprintf(p, sizeof p, "%s/config.json", dir);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (at) {
        fwrite(text, 1, (size_t)(at - text), f);
        fputs(replace, f);
        fputs(at + strlen(find), f);
    } else {
        fputs(text, f);
    }
    fclose(f);
    free(text);
}

/* dir/model.safetensors: the fixture's weights, without the tensor called
 * drop, and with the tensor called reshape seen with its two dimensions
 * swapped. */
static void write_weights(const char *dir, const char *drop, const char *reshape)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/model.safetensors", fixture);
    ia_safetensors *st = NULL;
    ia_error err = {0};
    assert_int_equal(ia_safetensors_open(p, &st, &err), IA_OK);
    size_t n = ia_safetensors_count(st), k = 0;
    const char **names = calloc(n, sizeof *names);
    ia_tensor *ts = calloc(n, sizeof *ts);
    for (size_t i = 0; i < n; i++) {
        const ia_safetensors_entry *e = ia_safetensors_entry_at(st, i);
        if (drop && strcmp(e->name, drop) == 0)
            continue;
        ia_tensor mapped;
        assert_int_equal(ia_safetensors_tensor(st, e->name, &mapped, &err), IA_OK);
        assert_int_equal(ia_tensor_alloc(&ts[k], mapped.dtype, mapped.ndim, mapped.shape, &err),
                         IA_OK);
        memcpy(ts[k].data, mapped.data, ia_tensor_nbytes(&mapped));
        if (reshape && strcmp(e->name, reshape) == 0) {
            assert_int_equal(ts[k].ndim, 2);
            int64_t shape[2] = {ts[k].shape[1], ts[k].shape[0]};
            void *data = ts[k].data;
            ts[k] = ia_tensor_make(ts[k].dtype, 2, shape, data);
        }
        names[k++] = e->name;
    }
    snprintf(p, sizeof p, "%s/model.safetensors", dir);
    assert_int_equal(ia_safetensors_write(p, names, ts, k, NULL, &err), IA_OK);
    for (size_t i = 0; i < k; i++)
        ia_tensor_free(&ts[i]);
    free(ts);
    free(names);
    ia_safetensors_close(st);
}

/* Loading dir fails with status want and a message holding every string
 * given (NULL-terminated). */
static void expect_load_error(const char *dir, ia_status want, ...)
{
    ia_model *m = NULL;
    ia_error err = {0};
    ia_status st = ia_model_load(dir, NULL, &m, &err);
    printf("  %s -> %s\n", dir, err.message);
    assert_int_equal(st, want);
    assert_null(m);
    va_list ap;
    va_start(ap, want);
    for (const char *s; (s = va_arg(ap, const char *));)
        if (!strstr(err.message, s))
            fail_msg("message '%s' lacks '%s'", err.message, s);
    va_end(ap);
}

static void test_not_a_folder(void **state)
{
    (void)state;
    char dir[2200];
    snprintf(dir, sizeof dir, "%s/absent", tmpdir);
    expect_load_error(dir, IA_ERR_NOT_FOUND, "absent", "not a model folder", NULL);
}

static void test_no_config(void **state)
{
    (void)state;
    char dir[2200];
    snprintf(dir, sizeof dir, "%s/noconfig", tmpdir);
    assert_int_equal(mkdir(dir, 0777), 0);
    ia_model *m = NULL;
    ia_error err = {0};
    assert_int_not_equal(ia_model_load(dir, NULL, &m, &err), IA_OK);
    assert_non_null(strstr(err.message, "config.json"));
}

static void test_no_weights(void **state)
{
    (void)state;
    char dir[2200];
    make_dir(dir, sizeof dir, "noweights", NULL, NULL);
    expect_load_error(dir, IA_ERR_NOT_FOUND, "no weights", "model.safetensors", NULL);
    write_text(dir, "pytorch_model.bin", "not really");
    expect_load_error(dir, IA_ERR_UNSUPPORTED, "pytorch_model.bin", "safetensors", NULL);
}

static void test_unsupported_type(void **state)
{
    (void)state;
    char dir[2200];
    make_dir(dir, sizeof dir, "whisperish", "\"model_type\": \"bert\"",
             "\"model_type\": \"whisper\"");
    expect_load_error(dir, IA_ERR_UNSUPPORTED, "whisper", "not supported yet", "audio", NULL);
    make_dir(dir, sizeof dir, "madeup", "\"model_type\": \"bert\"",
             "\"model_type\": \"no_such_model\"");
    expect_load_error(dir, IA_ERR_UNSUPPORTED, "no_such_model", NULL);
}

static void test_inconsistent_config(void **state)
{
    (void)state;
    char dir[2200];
    make_dir(dir, sizeof dir, "badsizes", "\"hidden_size\": 32", "\"hidden_size\": 30");
    write_weights(dir, NULL, NULL);
    expect_load_error(dir, IA_ERR_INVALID, "hidden_size", "30", NULL);
}

static void test_missing_tensor(void **state)
{
    (void)state;
    char dir[2200];
    make_dir(dir, sizeof dir, "missing", NULL, NULL);
    write_weights(dir, "encoder.layer.1.attention.self.key.weight", NULL);
    expect_load_error(dir, IA_ERR_NOT_FOUND, "encoder.layer.1.attention.self.key.weight",
                      "missing", NULL);
}

static void test_wrong_shape(void **state)
{
    (void)state;
    char dir[2200];
    make_dir(dir, sizeof dir, "reshaped", NULL, NULL);
    write_weights(dir, NULL, "encoder.layer.0.intermediate.dense.weight");
    expect_load_error(dir, IA_ERR_INVALID, "encoder.layer.0.intermediate.dense.weight",
                      "[32, 37]", "[37, 32]", NULL);
}

static void test_ids_out_of_range(void **state)
{
    (void)state;
    ia_model *m = NULL;
    ia_error err = {0};
    assert_int_equal(ia_model_load(fixture, NULL, &m, &err), IA_OK);
    ia_tensor_map in = {0}, out = {0};
    ia_tensor *ids;
    const int64_t shape[2] = {1, 3};
    assert_int_equal(ia_tensor_map_add(&in, "input_ids", IA_DTYPE_I64, 2, shape, &ids, &err),
                     IA_OK);
    int64_t *v = ids->data;
    v[0] = 1;
    v[1] = 4000;
    v[2] = 2;
    assert_int_not_equal(ia_model_forward(m, &in, &out, &err), IA_OK);
    printf("  ids out of range -> %s\n", err.message);
    assert_non_null(strstr(err.message, "4000"));
    /* and an input of the wrong kind */
    ia_tensor_map_free(&in);
    assert_int_equal(ia_tensor_map_add(&in, "input_ids", IA_DTYPE_F32, 2, shape, NULL, &err),
                     IA_OK);
    assert_int_not_equal(ia_model_forward(m, &in, &out, &err), IA_OK);
    assert_non_null(strstr(err.message, "input_ids"));
    ia_tensor_map_free(&in);
    ia_tensor_map_free(&out);
    ia_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_a_folder),
        cmocka_unit_test(test_no_config),
        cmocka_unit_test(test_no_weights),
        cmocka_unit_test(test_unsupported_type),
        cmocka_unit_test(test_inconsistent_config),
        cmocka_unit_test(test_missing_tensor),
        cmocka_unit_test(test_wrong_shape),
        cmocka_unit_test(test_ids_out_of_range),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
