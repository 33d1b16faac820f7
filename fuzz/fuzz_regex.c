/* Fuzz target: the regex engine of the Split pre-tokenizer.
 *
 * The input is a flags byte (bit 0: compile with IA_REGEX_ICASE), then the
 * pattern up to the first NUL byte, then the text (all of the rest, NULs
 * included; with no NUL the text is empty). The pattern is compiled with a
 * small step budget so slow patterns end quickly, and all matches are found
 * from left to right as a tokenizer's split loop does: after an empty match
 * the search goes on one code point (or one invalid byte) further. Nothing
 * may crash, leak or trip UBSan; a refused pattern must leave no regex and
 * name a parse or unsupported error; every match must lie inside the text at
 * or after where the search began. How to run it: docs/fuzzing.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/regex.h"
#include "ipfs_accelerate/unicode.h"

#define STEP_LIMIT 100000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1u) ? IA_REGEX_ICASE : 0u;
    const char *rest = (const char *)data + 1;
    size_t rest_len = size - 1;
    const char *nul = memchr(rest, '\0', rest_len);
    size_t pat_len = nul ? (size_t)(nul - rest) : rest_len;
    char *pattern = malloc(pat_len + 1);
    if (!pattern)
        return 0;
    memcpy(pattern, rest, pat_len);
    pattern[pat_len] = '\0';
    const char *text = nul ? nul + 1 : rest + rest_len;
    size_t len = nul ? rest_len - pat_len - 1 : 0;

    ia_regex *re = (ia_regex *)1; /* the compiler must set it to NULL on failure */
    ia_error err;
    ia_error_clear(&err);
    ia_status st = ia_regex_compile(pattern, flags, &re, &err);
    free(pattern);
    if (st != IA_OK) {
        if (re || (st != IA_ERR_PARSE && st != IA_ERR_UNSUPPORTED && st != IA_ERR_NOMEM) ||
            !memchr(err.message, '\0', sizeof err.message))
            abort();
        return 0;
    }
    if (!re)
        abort();
    ia_regex_set_step_limit(re, STEP_LIMIT);

    size_t pos = 0;
    for (;;) {
        size_t b = SIZE_MAX, e = SIZE_MAX;
        st = ia_regex_find(re, text, len, pos, &b, &e, &err);
        if (st != IA_OK) {
            /* no more matches, or the budget or stack limit ran out */
            if (st != IA_ERR_NOT_FOUND && st != IA_ERR_INVALID && st != IA_ERR_NOMEM)
                abort();
            break;
        }
        if (b < pos || e < b || e > len)
            abort();
        if (e == b) {
            if (e >= len)
                break;
            uint32_t cp;
            int k = ia_utf8_decode(text + e, len - e, &cp);
            pos = e + (size_t)(k > 0 ? k : 1);
        } else {
            pos = e;
        }
    }
    ia_regex_free(re);
    return 0;
}
