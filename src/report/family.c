/* Model families for the compatibility matrix: which registry family a
 * stored model belongs to. The store knows a model's model_type only when a
 * benchmark loaded its config.json; imported history has bare names, so the
 * family is then guessed from the name and the guess is marked as such.
 *
 * The guess: the name's last path component ("Qwen/Qwen2-0.5B" ->
 * "qwen2-0.5b"), lowercased with '-', '.' and '_' treated alike (Hub
 * names write "Qwen2.5-VL" for the type qwen2_5_vl), is matched
 * against every registry model_type that begins it; the longest wins. A
 * match must end on a word boundary, so "vit" matches "vit-base" but not
 * "vitdet-base": the next character is the end, a character that is not a
 * letter or digit, or a digit after a model_type ending in a letter (a
 * version number: "llama2-7b" is llama). A longer type always wins, so
 * "xlm-roberta-base" is xlm-roberta, not xlm. */
#include <ctype.h>
#include <string.h>

#include "ipfs_accelerate/models.h"
#include "report_internal.h"

static char fold(char c)
{
    return c == '-' || c == '.' ? '_' : (char)tolower((unsigned char)c);
}

/* How well type begins component: its length on a boundary, else 0. */
static size_t prefix_match(const char *component, const char *type)
{
    size_t n = 0;
    for (; type[n]; n++)
        if (!component[n] || fold(component[n]) != fold(type[n]))
            return 0;
    unsigned char next = (unsigned char)component[n];
    if (next == 0 || !isalnum(next))
        return n;
    if (isdigit(next) && n > 0 && isalpha((unsigned char)type[n - 1]))
        return n;
    return 0;
}

static const ia_model_type_info *guess_type(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *component = slash ? slash + 1 : name;
    const ia_model_type_info *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < ia_model_types_count(); i++) {
        const ia_model_type_info *t = ia_model_type_at(i);
        size_t len = prefix_match(component, t->model_type);
        if (len > best_len) {
            best = t;
            best_len = len;
        }
    }
    return best;
}

const char *ia_report_model_family(const char *name, const char *model_type, bool *guessed)
{
    if (guessed)
        *guessed = false;
    const ia_model_type_info *t = model_type ? ia_model_type_find(model_type) : NULL;
    if (t && t->family)
        return t->family;
    const ia_model_preset *p = name ? ia_model_preset_find(name) : NULL;
    if (p && p->family)
        return p->family;
    t = name ? guess_type(name) : NULL;
    if (t && t->family) {
        if (guessed)
            *guessed = true;
        return t->family;
    }
    return "unknown";
}
