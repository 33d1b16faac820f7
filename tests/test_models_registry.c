/* The registry of Hugging Face model types: its size and order, the look-up,
 * the native types with their families, and the documented value sets
 * (docs/models.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ipfs_accelerate/models.h"

static const char *const families[] = {
    "audio",           "embedding",            "multimodal",  "reinforcement-learning",
    "text-classification", "text-generation", "text2text-generation", "time-series",
    "vision",
};
static const char *const modalities[] = {"audio",       "multimodal", "other", "text",
                                         "time-series", "video",      "vision"};

/* Issue 5's native types and the family each must have. */
static const struct {
    const char *type, *family;
} natives[] = {
    {"bert", "embedding"},         {"roberta", "embedding"},       {"xlm-roberta", "embedding"},
    {"distilbert", "embedding"},   {"mpnet", "embedding"},         {"gpt2", "text-generation"},
    {"opt", "text-generation"},    {"llama", "text-generation"},   {"qwen2", "text-generation"},
    {"qwen3", "text-generation"},  {"mistral", "text-generation"}, {"gemma", "text-generation"},
    {"phi3", "text-generation"},   {"gpt_neox", "text-generation"}, {"vit", "vision"},
    {"deit", "vision"},
};
#define N_NATIVES (sizeof natives / sizeof natives[0])

static bool in_set(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, set[i]) == 0)
            return true;
    return false;
}

static void test_count_and_bounds(void **state)
{
    (void)state;
    size_t n = ia_model_types_count();
    assert_true(n >= 300);
    assert_non_null(ia_model_type_at(0));
    assert_non_null(ia_model_type_at(n - 1));
    assert_null(ia_model_type_at(n));
    assert_null(ia_model_type_at((size_t)-1));
}

static void test_sorted_unique_and_findable(void **state)
{
    (void)state;
    size_t n = ia_model_types_count();
    for (size_t i = 0; i < n; i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        assert_non_null(t->model_type);
        if (i > 0 && strcmp(ia_model_type_at(i - 1)->model_type, t->model_type) >= 0)
            fail_msg("not sorted or not unique at %zu: '%s' then '%s'", i,
                     ia_model_type_at(i - 1)->model_type, t->model_type);
        /* The look-up returns the table's own entry, for every type. */
        assert_ptr_equal(ia_model_type_find(t->model_type), t);
    }
}

static void test_natives(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_NATIVES; i++) {
        const ia_model_type_info *t = ia_model_type_find(natives[i].type);
        if (!t)
            fail_msg("native type '%s' is missing", natives[i].type);
        assert_int_equal(t->status, IA_MODEL_NATIVE);
        assert_string_equal(t->family, natives[i].family);
    }
    size_t native = 0;
    for (size_t i = 0; i < ia_model_types_count(); i++)
        native += ia_model_type_at(i)->status == IA_MODEL_NATIVE;
    assert_int_equal(native, N_NATIVES);
}

static void test_planned_and_unsupported(void **state)
{
    (void)state;
    static const struct {
        const char *type, *family, *modality;
    } planned[] = {
        {"t5", "text2text-generation", "text"}, {"whisper", "audio", "audio"},
        {"clip", "multimodal", "multimodal"},   {"llava", "multimodal", "multimodal"},
        {"deberta-v2", "embedding", "text"},    {"resnet", "vision", "vision"},
        {"mixtral", "text-generation", "text"},
    };
    for (size_t i = 0; i < sizeof planned / sizeof planned[0]; i++) {
        const ia_model_type_info *t = ia_model_type_find(planned[i].type);
        assert_non_null(t);
        assert_int_equal(t->status, IA_MODEL_PLANNED);
        assert_string_equal(t->family, planned[i].family);
        assert_string_equal(t->modality, planned[i].modality);
    }
    const ia_model_type_info *t = ia_model_type_find("mamba");
    assert_non_null(t);
    assert_int_equal(t->status, IA_MODEL_UNSUPPORTED);
    assert_string_equal(t->name, "Mamba");
    t = ia_model_type_find("videomae");
    assert_non_null(t);
    assert_string_equal(t->modality, "video");
}

static void test_unknown_types(void **state)
{
    (void)state;
    /* bert_cls is our fixture's name for BERT with a classification head:
     * its config.json says "bert". */
    static const char *const unknown[] = {"bert_cls", "BERT", "xlm_roberta", "", "a", "zzzz",
                                          "bert ", "gpt-2", "llama2"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        if (ia_model_type_find(unknown[i]))
            fail_msg("'%s' should be unknown", unknown[i]);
    assert_null(ia_model_type_find(NULL));
}

static void test_documented_values(void **state)
{
    (void)state;
    bool family_seen[sizeof families / sizeof families[0]] = {0};
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        if (!in_set(t->family, families, sizeof families / sizeof families[0]))
            fail_msg("%s: family '%s' is not documented", t->model_type, t->family);
        if (!in_set(t->modality, modalities, sizeof modalities / sizeof modalities[0]))
            fail_msg("%s: modality '%s' is not documented", t->model_type, t->modality);
        const char *s = ia_model_status_name(t->status);
        if (strcmp(s, "native") && strcmp(s, "planned") && strcmp(s, "unsupported"))
            fail_msg("%s: status %d", t->model_type, (int)t->status);
        assert_true(t->name && t->name[0]);
        /* The four text families take text. */
        if (strncmp(t->family, "text", 4) == 0 || strcmp(t->family, "embedding") == 0)
            assert_string_equal(t->modality, "text");
        for (size_t j = 0; j < sizeof families / sizeof families[0]; j++)
            family_seen[j] |= strcmp(t->family, families[j]) == 0;
    }
    /* Every documented family has a type: none is documented in vain. */
    for (size_t j = 0; j < sizeof families / sizeof families[0]; j++)
        if (!family_seen[j])
            fail_msg("no type of family '%s'", families[j]);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(ia_model_status_name(IA_MODEL_NATIVE), "native");
    assert_string_equal(ia_model_status_name(IA_MODEL_PLANNED), "planned");
    assert_string_equal(ia_model_status_name(IA_MODEL_UNSUPPORTED), "unsupported");
    assert_string_equal(ia_model_status_name((ia_model_status)42), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_and_bounds),
        cmocka_unit_test(test_sorted_unique_and_findable),
        cmocka_unit_test(test_natives),
        cmocka_unit_test(test_planned_and_unsupported),
        cmocka_unit_test(test_unknown_types),
        cmocka_unit_test(test_documented_values),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
