/* unicode_compat_dump: prints the Rust-compatibility character sets of the
 * generated Unicode tables (ia_unicode_rust_compat) for
 * tests/unicode_compat.js, which measures the same sets in the Rust library.
 * One line per set, "NAME RANGES": comma-separated hex "LO-HI", "-" when
 * empty. Also "normalizing": what our own tables change under NFKD or give a
 * nonzero combining class, the universe "undecomposed" is taken from. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipfs_accelerate/unicode.h"

typedef bool (*member_fn)(uint32_t cp, unsigned arg);

static bool compat(uint32_t cp, unsigned flag)
{
    return ia_unicode_rust_compat(cp, flag);
}

/* Whether NFKD changes cp, or cp has a nonzero combining class. Exits on an
 * allocation failure (the dump would be wrong otherwise). */
static bool normalizing(uint32_t cp, unsigned unused)
{
    (void)unused;
    if (ia_unicode_combining_class(cp) != 0)
        return true;
    char in[4], *out = NULL;
    size_t out_len = 0;
    int n = ia_utf8_encode(cp, in);
    ia_error err = {0};
    if (ia_unicode_normalize(IA_UNICODE_NFKD, in, (size_t)n, &out, &out_len, NULL, &err) != IA_OK) {
        fprintf(stderr, "unicode_compat_dump: normalize U+%04X failed\n", (unsigned)cp);
        exit(1);
    }
    bool changed = out_len != (size_t)n;
    for (size_t i = 0; !changed && i < out_len; i++)
        changed = out[i] != in[i];
    free(out);
    return changed;
}

static void print_set(const char *name, member_fn member, unsigned arg)
{
    printf("%s ", name);
    bool any = false;
    uint32_t lo = 0;
    bool open = false;
    for (uint32_t cp = 0; cp <= IA_UNICODE_MAX + 1; cp++) {
        bool in = cp <= IA_UNICODE_MAX && !(cp >= 0xD800 && cp <= 0xDFFF) && member(cp, arg);
        if (cp >= 0xD800 && cp <= 0xDFFF)
            in = open; /* surrogates neither end nor start a range */
        if (in && !open) {
            lo = cp;
            open = true;
        } else if (!in && open) {
            printf("%s%04X-%04X", any ? "," : "", (unsigned)lo, (unsigned)(cp - 1));
            any = true;
            open = false;
        }
    }
    printf("%s\n", any ? "" : "-");
}

int main(void)
{
    print_set("mark", compat, IA_UCOMPAT_MARK);
    print_set("bert_mn", compat, IA_UCOMPAT_BERT_MN);
    print_set("other", compat, IA_UCOMPAT_OTHER);
    print_set("punct", compat, IA_UCOMPAT_PUNCT);
    print_set("undecomposed", compat, IA_UCOMPAT_UNDECOMPOSED);
    print_set("normalizing", normalizing, 0);
    return ferror(stdout) ? 1 : 0;
}
