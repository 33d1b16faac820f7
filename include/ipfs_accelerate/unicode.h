/*
 * tokenizer/unicode: the Unicode foundation for the tokenizers: general
 * categories, the White_Space property, UTF-8 decoding and encoding, and the
 * four normalisation forms (NFC, NFD, NFKC, NFKD).
 *
 * Every table comes from the Unicode Character Database (Debian's
 * unicode-data package, Unicode 15.0) through scripts/gen_unicode_tables.py,
 * run at build time; none is typed by hand. ia_unicode_version() names the
 * version.
 *
 * Memory: ia_unicode_normalize returns heap buffers the caller frees with
 * free(). Everything else is pure and thread-safe.
 */
#ifndef IPFS_ACCELERATE_UNICODE_H
#define IPFS_ACCELERATE_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* General categories, in the order of the Unicode standard's table. */
typedef enum ia_ucat {
    IA_UCAT_Lu, IA_UCAT_Ll, IA_UCAT_Lt, IA_UCAT_Lm, IA_UCAT_Lo,
    IA_UCAT_Mn, IA_UCAT_Mc, IA_UCAT_Me,
    IA_UCAT_Nd, IA_UCAT_Nl, IA_UCAT_No,
    IA_UCAT_Pc, IA_UCAT_Pd, IA_UCAT_Ps, IA_UCAT_Pe, IA_UCAT_Pi, IA_UCAT_Pf, IA_UCAT_Po,
    IA_UCAT_Sm, IA_UCAT_Sc, IA_UCAT_Sk, IA_UCAT_So,
    IA_UCAT_Zs, IA_UCAT_Zl, IA_UCAT_Zp,
    IA_UCAT_Cc, IA_UCAT_Cf, IA_UCAT_Cs, IA_UCAT_Co, IA_UCAT_Cn,
    IA_UCAT_COUNT
} ia_ucat;

/* The largest code point. */
#define IA_UNICODE_MAX 0x10FFFFu

/* The category of cp; IA_UCAT_Cn for unassigned code points and for values
 * above IA_UNICODE_MAX. */
ia_ucat ia_unicode_category(uint32_t cp);
/* The two-letter name ("Lu"); "??" for values out of the enum. */
const char *ia_unicode_category_name(ia_ucat cat);
/* Canonical combining class (0 for starters). */
unsigned ia_unicode_combining_class(uint32_t cp);

bool ia_unicode_is_letter(uint32_t cp);      /* L* */
bool ia_unicode_is_number(uint32_t cp);      /* N* */
bool ia_unicode_is_punctuation(uint32_t cp); /* P* */
bool ia_unicode_is_mark(uint32_t cp);        /* M* */
/* The White_Space property (PropList.txt), as Rust's char::is_whitespace,
 * which Hugging Face's tokenizers use. */
bool ia_unicode_is_whitespace(uint32_t cp);

/* Character classes of the Rust tokenizers library that come from crates
 * with tables older than ours, rebuilt from the UCD by a rule (the code
 * points assigned by the crate's Unicode version whose category in that
 * version is in a set; see scripts/gen_unicode_tables.py and
 * docs/tokenizers.md). tests/unicode_compat.js checks each against the
 * Rust library over every code point. */
typedef enum ia_ucompat {
    /* unicode_categories is_mark_nonspacing (Unicode 8.0 Mn): what
     * BertNormalizer's strip_accents drops */
    IA_UCOMPAT_BERT_MN = 1 << 0,
    /* unicode_normalization_alignments is_combining_mark (9.0 M*): what
     * the StripAccents normalizer drops */
    IA_UCOMPAT_MARK = 1 << 1,
    /* unicode_categories is_other (8.0 Cc, Cf, Co): what BertNormalizer's
     * clean_text drops, besides its own rules for NUL, tab, LF, CR and
     * U+FFFD */
    IA_UCOMPAT_OTHER = 1 << 2,
    /* char::is_ascii_punctuation || unicode_categories is_punctuation (8.0
     * P*): what the Punctuation and BERT pre-tokenizers split off */
    IA_UCOMPAT_PUNCT = 1 << 3,
    /* Decomposed or given a nonzero combining class by our tables but
     * unknown to unicode_normalization_alignments (assigned after 9.0): the
     * Rust normalisers leave it alone as a starter */
    IA_UCOMPAT_UNDECOMPOSED = 1 << 4
} ia_ucompat;

/* Whether cp is in any of the classes in flags (IA_UCOMPAT_* or-ed);
 * false above IA_UNICODE_MAX. */
bool ia_unicode_rust_compat(uint32_t cp, unsigned flags);

/* Rust's char::to_lowercase: the simple lowercase mapping of
 * UnicodeData.txt overridden by SpecialCasing.txt's unconditional ones, so
 * U+0130 gives "i" U+0307 and capital sigma always gives small sigma (no
 * final-sigma rule). Writes the mapping's code points to out and returns
 * their number (1 to 3); a character without a mapping gives itself. */
size_t ia_unicode_to_lower(uint32_t cp, uint32_t out[3]);

/* "15.0.0": the UCD version the tables were generated from. */
const char *ia_unicode_version(void);

/* Decodes one code point from the len bytes at s. Returns the bytes consumed
 * (1 to 4) and stores the code point in *cp; returns 0 when len is 0, and -1
 * when the bytes do not start a valid UTF-8 sequence: a stray continuation
 * byte, a truncated sequence, an overlong form, a surrogate (U+D800..DFFF)
 * or a value above U+10FFFF. *cp is left alone unless it succeeds. */
int ia_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Whether s[0, len) is entirely valid UTF-8 (as ia_utf8_decode defines it). */
bool ia_utf8_valid(const char *s, size_t len);

/* Encodes cp into out (room for 4 bytes, no NUL written). Returns the bytes
 * written (1 to 4), or 0 when cp is a surrogate or above U+10FFFF. */
int ia_utf8_encode(uint32_t cp, char out[4]);

typedef enum ia_unicode_form {
    IA_UNICODE_NFC,
    IA_UNICODE_NFD,
    IA_UNICODE_NFKC,
    IA_UNICODE_NFKD
} ia_unicode_form;

/* Normalises len bytes of UTF-8 at in (which need not be NUL-terminated) to
 * the form given, by the Unicode standard's algorithm (UAX #15): full
 * decomposition (Hangul syllables arithmetically), canonical ordering, and
 * for NFC/NFKC canonical composition with the composition exclusions and the
 * blocked-character rule.
 *
 * On success *out is a NUL-terminated heap buffer (free()) and *out_len its
 * length without the NUL. When map_out is not NULL, *map_out is a heap
 * array (free()) of *out_len + 1 entries: for each output byte, the offset
 * in `in` of the first byte of the input character it derives from (a
 * composed character maps to its first, starter, character); the last entry
 * is len. Invalid UTF-8 gives IA_ERR_INVALID with the byte offset in the
 * message, and nothing to free. */
ia_status ia_unicode_normalize(ia_unicode_form form, const char *in, size_t len, char **out,
                               size_t *out_len, size_t **map_out, ia_error *err);

#ifdef __cplusplus
}
#endif

#endif
