/*
 * tokenizer/regex: a small backtracking regular-expression engine over UTF-8
 * for the Split pre-tokenizer of Hugging Face tokenizers (whose Rust library
 * uses Oniguruma). It covers the subset the GPT-2, Llama-3 and Qwen2 style
 * patterns use, with Perl/Oniguruma leftmost-first semantics.
 *
 * Syntax:
 *   literals, escapes \t \n \r \f \v \a \e \0 \xHH \x{H..} \uHHHH and any
 *     escaped punctuation (\\ \' \. \( ...);
 *   .  (any code point but \n);
 *   classes [...] [^...] with ranges, and inside them \s \S \d \D \w \W
 *     \p{..} \P{..} and the escapes above;
 *   \s \S (White_Space property, ia_unicode_is_whitespace, as Oniguruma's
 *     Unicode \s), \d \D (Nd), \w \W (L, M, Nd, Pc);
 *   \p{X} \P{X} \p{^X} for the general categories: one letter (L M N P S Z C)
 *     or two letters (Lu, Nd, ...), plus the long names Letter, Mark,
 *     Number, Punctuation, Symbol, Separator, Other, and Any;
 *   groups (...), (?:...), (?i:...), (?-i:...), and (?i) (?-i) for the rest
 *     of the enclosing group; alternation |;
 *   quantifiers * + ? {n} {n,} {n,m}, greedy, or lazy with a trailing ?;
 *   lookahead (?=...) (?!...), atomic as in Perl;
 *   anchors ^ $ (line anchors as in Oniguruma's Ruby syntax: ^ at the start
 *     or after \n, $ at the end or before \n), \A \z (text start and end).
 * Not supported (a compile error names them): lookbehind, backreferences,
 * named groups, possessive quantifiers, atomic groups, scripts in \p{..}.
 *
 * Case-insensitive matching uses simple one-to-one case mapping for ASCII,
 * Latin-1, Latin Extended-A, basic Greek and basic Cyrillic (plus U+017F and
 * the Kelvin and Angstrom signs); other scripts match case-sensitively and
 * no multi-character folding (such as sharp s to "ss") is done.
 *
 * Limits: nesting depth 200, counted repetition up to 1000, programs up to
 * 200000 instructions, lookahead nesting follows group nesting. Matching
 * spends at most a step budget per ia_regex_find call (default 10 million,
 * see ia_regex_set_step_limit) and then fails with IA_ERR_INVALID rather than
 * hang on catastrophic backtracking. Invalid UTF-8 bytes in the text are taken
 * one byte at a time as a non-character that only ., negated classes and
 * negated escapes match.
 *
 * A compiled regex is immutable while matching, so one ia_regex may serve
 * several threads at once (except ia_regex_set_step_limit).
 */
#ifndef IPFS_ACCELERATE_REGEX_H
#define IPFS_ACCELERATE_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfs_accelerate/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ia_regex ia_regex;

/* Flags for ia_regex_compile. */
#define IA_REGEX_ICASE 1u /* the whole pattern case-insensitive, as (?i) */

/* Compiles the NUL-terminated pattern. On success *re is a heap object to
 * free with ia_regex_free. A bad pattern gives IA_ERR_PARSE with the byte
 * offset and problem in err ("regex: unclosed group at offset 12"); an
 * unsupported construct gives IA_ERR_UNSUPPORTED; *re is then NULL. */
ia_status ia_regex_compile(const char *pattern, unsigned flags, ia_regex **re, ia_error *err);

/* Finds the leftmost-first match in text[0, len) that starts at or after
 * byte offset start. On a match returns IA_OK with the byte offsets
 * [*match_begin, *match_end); with no match returns IA_ERR_NOT_FOUND and
 * leaves err alone. IA_ERR_INVALID when the step budget or backtrack stack
 * limit runs out (err says which) or start > len; IA_ERR_NOMEM. */
ia_status ia_regex_find(const ia_regex *re, const char *text, size_t len, size_t start,
                        size_t *match_begin, size_t *match_end, ia_error *err);

/* Sets the step budget of one ia_regex_find call (0 restores the default). */
void ia_regex_set_step_limit(ia_regex *re, uint64_t steps);

void ia_regex_free(ia_regex *re);

#ifdef __cplusplus
}
#endif

#endif
