/* The registry of Hugging Face model types.
 *
 * The data is a table in the source tree, src/models/model_types.tsv, taken
 * from transformers' own lists (its header says which version, and
 * docs/models.md how families are chosen). The build turns it into one
 * static array, sorted by model_type in strcmp order, so a look-up is a
 * binary search and the entries live as long as the process. The generator
 * (scripts/gen_model_types.py) refuses a table with a duplicate type or a
 * family, modality or status outside the documented sets; the tests check
 * the order and the native types again from here. */
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/models.h"

/* Defined in the generated model_types.c: the table and its length. */
const ia_model_type_info *ia_model_types_table(size_t *count);

size_t ia_model_types_count(void)
{
    size_t n;
    ia_model_types_table(&n);
    return n;
}

const ia_model_type_info *ia_model_type_at(size_t i)
{
    size_t n;
    const ia_model_type_info *t = ia_model_types_table(&n);
    return i < n ? &t[i] : NULL;
}

static int compare_type(const void *key, const void *entry)
{
    return strcmp(key, ((const ia_model_type_info *)entry)->model_type);
}

const ia_model_type_info *ia_model_type_find(const char *model_type)
{
    if (!model_type)
        return NULL;
    size_t n;
    const ia_model_type_info *t = ia_model_types_table(&n);
    return bsearch(model_type, t, n, sizeof *t, compare_type);
}

const char *ia_model_status_name(ia_model_status s)
{
    switch (s) {
    case IA_MODEL_NATIVE: return "native";
    case IA_MODEL_PLANNED: return "planned";
    case IA_MODEL_UNSUPPORTED: return "unsupported";
    }
    return "unknown"; /* a value cast from outside the enum */
}
