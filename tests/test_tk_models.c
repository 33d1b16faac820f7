/* The tokenizer models (BPE, WordPiece, Unigram, WordLevel) one pre-token
 * at a time, against the Rust library: the expected ids and offsets below
 * came from Hugging Face tokenizers 0.23.2 (npm "tokenizers", the native
 * Rust binding), encoding each word with a tokenizer.json that has the same
 * model and no normalizer, pre-tokenizer, post-processor or added tokens,
 * so the word is exactly what Rust's model saw. Rust reports offsets in the
 * original text, where a token inside a character covers the whole
 * character; the test widens our byte offsets the same way before
 * comparing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

static const char *fixtures(void)
{
    const char *d = getenv("IA_FIXTURES");
    return d && *d ? d : "tests/fixtures";
}

static void fixture_path(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s/tokenizers/%s", fixtures(), rel);
}

/* Parses the "model" of a tokenizer.json given as text. */
static ia_status model_from_text(const char *json, tk_model **out, ia_error *err)
{
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    tk_load ld = {"test.json", err};
    ia_status st = tk_model_parse(&ld, cJSON_GetObjectItemCaseSensitive(root, "model"), "model",
                                  out);
    cJSON_Delete(root);
    return st;
}

static tk_model *load_model(const char *rel)
{
    char path[1024];
    fixture_path(path, sizeof path, rel);
    char *data;
    ia_error err = {0};
    ia_status st = ia_file_read_all(path, 1 << 26, &data, NULL, &err);
    if (st != IA_OK)
        fail_msg("%s: %s", path, err.message);
    tk_model *m = NULL;
    st = model_from_text(data, &m, &err);
    free(data);
    if (st != IA_OK)
        fail_msg("%s: %s", rel, err.message);
    return m;
}

typedef struct model_case {
    const char *file;
    const char *word;
    const char *expected; /* "id:begin-end ..." (offsets widened), or "ERROR" */
} model_case;

static const model_case cases[] = {
    {"bytelevel_bpe.json", "hello", "72:0-1 262:1-3 303:3-5"},
    {"bytelevel_bpe.json", "\xc4""\xa0""world", "383:0-3 261:3-5 76:5-6 68:6-7"},
    {"bytelevel_bpe.json", "\xc4""\xa0""Hugging", "1240:0-3 1496:3-9"},
    {"bytelevel_bpe.json", "\xc4""\xa0""tokenization", "785:0-7 1410:7-14"},
    {"bytelevel_bpe.json", "ation", "397:0-5"},
    {"bytelevel_bpe.json", "\xc4""\xa0""the", "333:0-5"},
    {"bytelevel_bpe.json", "ing", "284:0-3"},
    {"bytelevel_bpe.json", "\xc4""\xa0""\xc3""\xb0""\xc5""\x81""\xc4""\xba""\xc4""\xa2""", "221:0-2 352:2-6 247:6-8 223:8-10"},
    {"bytelevel_bpe.json", "\xc4""\xa0""h\xc3""\x83""\xc2""\xa9""llo", "662:0-3 128:3-5 103:5-7 76:7-8 303:8-10"},
    {"bytelevel_bpe.json", "\xc4""\xa0""\xc3""\xa4""\xc2""\xb8""\xc4""\xb8""\xc3""\xa7""\xc4""\xb7""\xc4""\xae""", "221:0-2 161:2-4 117:4-6 245:6-8 164:8-10 244:10-12 235:12-14"},
    {"bytelevel_bpe.json", "\xc4""\x8a""\xc4""\x8a""", "199:0-2 199:2-4"},
    {"bytelevel_bpe.json", "\xc4""\xa0""\xc4""\xa0""\xc4""\xa0""\xc4""\xa0""", "444:0-8"},
    {"bytelevel_bpe.json", "1234567", "17:0-1 18:1-2 19:2-3 20:3-4 21:4-5 22:5-6 23:6-7"},
    {"bytelevel_bpe.json", "\xc4""\xa0""supercalifragilistic", "347:0-3 370:3-5 263:5-7 67:7-8 276:8-10 346:10-12 405:12-14 71:14-15 487:15-17 839:17-20 316:20-22"},
    {"bytelevel_bpe.json", "\xc4""\xa0""{", "820:0-3"},
    {"bytelevel_bpe.json", "();", "364:0-2 27:2-3"},
    {"bytelevel_bpe.json", "\xc4""\xa0""\xc3""\x83""\xc2""\xbc""ber", "221:0-2 128:2-4 121:4-6 1314:6-9"},
    {"bytelevel_bpe.json", "\xc4""\x89""", "198:0-2"},
    {"llama_bpe.json", "\xe2""\x96""\x81""Hello", "399:0-3 298:3-4 485:4-6 532:6-8"},
    {"llama_bpe.json", "\xe2""\x96""\x81""h\xc3""\xa9""llo", "1127:0-4 358:4-6 334:6-7 532:7-9"},
    {"llama_bpe.json", "\xe2""\x96""\x81""w\xc3""\xb6""rld", "768:0-4 360:4-6 340:6-7 334:7-8 326:8-9"},
    {"llama_bpe.json", "\xe2""\x96""\x81""\xf0""\x9f""\x98""\x80""", "399:0-3 243:3-7 162:3-7 155:3-7 131:3-7"},
    {"llama_bpe.json", "\xe2""\x96""\x81""\xe4""\xb8""\x96""\xe7""\x95""\x8c""", "399:0-3 231:3-6 187:3-6 153:3-6 234:6-9 152:6-9 143:6-9"},
    {"llama_bpe.json", "\xe2""\x96""\x81""the", "503:0-4 585:4-6"},
    {"llama_bpe.json", "\xe2""\x96""\x81""tokenization", "977:0-8 528:8-10 660:10-15"},
    {"llama_bpe.json", "\x0a""", "13:0-1"},
    {"llama_bpe.json", "\xe2""\x96""\x81""\xe2""\x96""\x81""\xe2""\x96""\x81""", "553:0-6 399:6-9"},
    {"llama_bpe.json", "12345", "275:0-1 276:1-2 277:2-3 278:3-4 279:4-5"},
    {"llama_bpe.json", "\xe2""\x96""\x81""supercalifragilistic", "815:0-6 487:6-8 781:8-11 331:11-12 328:12-13 340:13-14 628:14-16 695:16-18 902:18-21 542:21-23"},
    {"llama_bpe.json", "\xc3""\xa9""", "358:0-2"},
    {"llama_bpe.json", "\xc3""\xbc""", "198:0-2 191:0-2"},
    {"llama_bpe.json", "\xe2""\x96""\x81""def", "603:0-5 328:5-6"},
    {"llama_bpe.json", "()", "604:0-2"},
    {"llama_bpe.json", "\xe2""\x96""\x81""", "399:0-3"},
    {"unigram.json", "\xe2""\x96""\x81""Hello", "3:0-3 383:3-4 11:4-5 24:5-6 148:6-8"},
    {"unigram.json", "\xe2""\x96""\x81""h\xc3""\xa9""llo", "3:0-3 50:3-4 817:4-6 24:6-7 148:7-9"},
    {"unigram.json", "\xe2""\x96""\x81""the", "23:0-6"},
    {"unigram.json", "\xe2""\x96""\x81""tokenization", "3:0-3 192:3-8 22:8-9 274:9-10 113:10-15"},
    {"unigram.json", "\xe2""\x96""\x81""\xf0""\x9f""\x98""\x80""", "3:0-3 2:3-7"},
    {"unigram.json", "\xe2""\x96""\x81""\xe4""\xb8""\x96""\xe7""\x95""\x8c""", "3:0-3 2:3-9"},
    {"unigram.json", "12345", "73:0-1 48:1-2 86:2-3 137:3-4 232:4-5"},
    {"unigram.json", "\xe2""\x96""\x81""", "3:0-3"},
    {"unigram.json", "\xe2""\x96""\x81""\xe2""\x96""\x81""", "3:0-3 3:3-6"},
    {"unigram.json", "\xe2""\x96""\x81""supercalifragilistic", "3:0-3 7:3-4 340:4-6 30:6-8 20:8-9 42:9-11 22:11-12 27:12-13 38:13-14 18:14-15 34:15-16 22:16-17 24:17-18 292:18-21 146:21-23"},
    {"unigram.json", "\xc3""\xa9""", "817:0-2"},
    {"unigram.json", "\xe2""\x96""\x81""def", "46:0-6"},
    {"unigram.json", "();", "196:0-2 668:2-3"},
    {"unigram.json", "ABC", "136:0-1 275:1-2 106:2-3"},
    {"wordpiece.json", "hello", "354:0-2 209:2-3 344:3-5"},
    {"wordpiece.json", "world", "65:0-1 262:1-3 209:3-4 210:4-5"},
    {"wordpiece.json", "tokenization", "399:0-5 1195:5-12"},
    {"wordpiece.json", "unaffable", "465:0-2 201:2-3 1075:3-5 740:5-9"},
    {"wordpiece.json", "##", "1:0-2"},
    {"wordpiece.json", "[UNK]", "1:0-5"},
    {"wordpiece.json", "h\xc3""\xa9""llo", "1:0-6"},
    {"wordpiece.json", "\xe4""\xb8""\x96""", "1:0-3"},
    {"wordpiece.json", "\xf0""\x9f""\x98""\x80""", "1:0-4"},
    {"wordpiece.json", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1:0-101"},
    {"wordpiece.json", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "43:0-1 201:1-2 201:2-3 201:3-4 201:4-5 201:5-6 201:6-7 201:7-8 201:8-9 201:9-10 201:10-11 201:11-12 201:12-13 201:13-14 201:14-15 201:15-16 201:16-17 201:17-18 201:18-19 201:19-20 201:20-21 201:21-22 201:22-23 201:23-24 201:24-25 201:25-26 201:26-27 201:27-28 201:28-29 201:29-30 201:30-31 201:31-32 201:32-33 201:33-34 201:34-35 201:35-36 201:36-37 201:37-38 201:38-39 201:39-40 201:40-41 201:41-42 201:42-43 201:43-44 201:44-45 201:45-46 201:46-47 201:47-48 201:48-49 201:49-50 201:50-51 201:51-52 201:52-53 201:53-54 201:54-55 201:55-56 201:56-57 201:57-58 201:58-59 201:59-60 201:60-61 201:61-62 201:62-63 201:63-64 201:64-65 201:65-66 201:66-67 201:67-68 201:68-69 201:69-70 201:70-71 201:71-72 201:72-73 201:73-74 201:74-75 201:75-76 201:76-77 201:77-78 201:78-79 201:79-80 201:80-81 201:81-82 201:82-83 201:83-84 201:84-85 201:85-86 201:86-87 201:87-88 201:88-89 201:89-90 201:90-91 201:91-92 201:92-93 201:93-94 201:94-95 201:95-96 201:96-97 201:97-98 201:98-99 201:99-100"},
    {"wordpiece.json", "1234567", "21:0-1 219:1-2 220:2-3 212:3-4 224:4-5 230:5-6 226:6-7"},
    {"wordpiece.json", "def", "366:0-3"},
    {"wordpiece.json", "supercalifragilistic", "540:0-5 939:5-8 445:8-10 198:10-11 748:11-13 1396:13-16 410:16-18 316:18-20"},
    {"wordpiece.json", "the", "319:0-3"},
    {"models/bpe_prefix_suffix.json", "abc", "6:0-3"},
    {"models/bpe_prefix_suffix.json", "ab", "10:0-2"},
    {"models/bpe_prefix_suffix.json", "abab", "4:0-2 16:2-4"},
    {"models/bpe_prefix_suffix.json", "x", "0:0-1"},
    {"models/bpe_prefix_suffix.json", "axb", "1:0-1 0:1-2 9:2-3"},
    {"models/bpe_prefix_suffix.json", "ax", "1:0-1 0:1-2"},
    {"models/bpe_prefix_suffix.json", "cab", "14:0-1 16:1-3"},
    {"models/bpe_prefix_suffix.json", "abcabc", "4:0-2 3:2-3 15:3-5 5:5-6"},
    {"models/bpe_prefix_suffix.json", "a", "11:0-1"},
    {"models/bpe_prefix_suffix.json", "c", "13:0-1"},
    {"models/bpe_prefix_suffix.json", "ba", "7:0-1 12:1-2"},
    {"models/bpe_prefix_suffix.json", "bab", "7:0-1 16:1-3"},
    {"models/bpe_fuse_unk.json", "accb", "1:0-1 4:1-2 4:2-3 2:3-4"},
    {"models/bpe_fuse_unk.json", "cc", "4:0-1 4:1-2"},
    {"models/bpe_fuse_unk.json", "c", "4:0-1"},
    {"models/bpe_fuse_unk.json", "abxyab", "3:0-2 0:2-4 3:4-6"},
    {"models/bpe_fuse_unk.json", "xyz", "0:0-3"},
    {"models/bpe_fuse_unk.json", "abc", "5:0-3"},
    {"models/bpe_fuse_unk.json", "xabcx", "0:0-1 5:1-4 0:4-5"},
    {"models/bpe_fuse_unk.json", "\xc3""\xa9""", "0:0-2"},
    {"models/bpe_fuse_unk.json", "a\xc3""\xa9""b", "1:0-1 0:1-3 2:3-4"},
    {"models/bpe_nofuse_unk.json", "accb", "1:0-1 4:1-2 4:2-3 2:3-4"},
    {"models/bpe_nofuse_unk.json", "cc", "4:0-1 4:1-2"},
    {"models/bpe_nofuse_unk.json", "c", "4:0-1"},
    {"models/bpe_nofuse_unk.json", "abxyab", "3:0-2 0:2-3 0:3-4 3:4-6"},
    {"models/bpe_nofuse_unk.json", "xyz", "0:0-1 0:1-2 0:2-3"},
    {"models/bpe_nofuse_unk.json", "abc", "5:0-3"},
    {"models/bpe_nofuse_unk.json", "xabcx", "0:0-1 5:1-4 0:4-5"},
    {"models/bpe_nofuse_unk.json", "\xc3""\xa9""", "0:0-2"},
    {"models/bpe_no_unk.json", "axb", "2:0-2"},
    {"models/bpe_no_unk.json", "xab", "2:0-2"},
    {"models/bpe_no_unk.json", "abx", "2:0-2"},
    {"models/bpe_no_unk.json", "xyz", ""},
    {"models/bpe_no_unk.json", "abc", "4:0-3"},
    {"models/bpe_no_unk.json", "a\xc3""\xa9""bc", "4:0-3"},
    {"models/bpe_no_unk.json", "\xf0""\x9f""\x98""\x80""a", "0:0-4"},
    {"models/bpe_unk_missing.json", "ab", "2:0-2"},
    {"models/bpe_unk_missing.json", "abx", "ERROR"},
    {"models/bpe_byte_fallback.json", "\xc3""\xa9""", "10:0-2"},
    {"models/bpe_byte_fallback.json", "\xc3""\xbc""", "0:0-2"},
    {"models/bpe_byte_fallback.json", "a\xc3""\xa9""b", "11:0-3 2:3-4"},
    {"models/bpe_byte_fallback.json", "\xc3""\xbc""\xc3""\xbc""", "0:0-4"},
    {"models/bpe_byte_fallback.json", "\xc3""\xbc""\xc3""\xa9""\xc3""\xbc""", "0:0-2 10:2-4 0:4-6"},
    {"models/bpe_byte_fallback.json", "a\xe2""\x82""\xac""b", "1:0-1 6:1-4 7:1-4 8:1-4 2:4-5"},
    {"models/bpe_byte_fallback.json", "a\x0a""", "1:0-1 9:1-2"},
    {"models/bpe_byte_fallback.json", "\x0a""", "9:0-1"},
    {"models/bpe_byte_fallback.json", "x\xc3""\xa9""", "0:0-1 10:1-3"},
    {"models/bpe_byte_fallback.json", "ab", "3:0-2"},
    {"models/bpe_byte_fallback.json", "a\xc3""\xa9""", "11:0-3"},
    {"models/bpe_byte_fallback.json", "\xc3""\xa9""a", "10:0-2 1:2-3"},
    {"models/bpe_byte_fallback.json", "\xc3""\xbc""\xe2""\x82""\xac""\xc3""\xbc""", "6:0-2 7:0-2 8:2-5 0:2-7"},
    {"models/bpe_byte_fallback.json", "\xe2""\x82""\xac""\xc3""\xbc""", "6:0-3 7:0-3 8:0-3 0:3-5"},
    {"models/bpe_byte_fallback.json", "\xc3""\xbc""\xe2""\x82""\xac""", "6:0-2 7:0-2 8:2-5 0:2-5"},
    {"models/bpe_byte_fallback_nounk.json", "\xc3""\xa9""", "10:0-2"},
    {"models/bpe_byte_fallback_nounk.json", "\xc3""\xbc""", ""},
    {"models/bpe_byte_fallback_nounk.json", "a\xc3""\xbc""b", "3:0-3"},
    {"models/bpe_byte_fallback_nounk.json", "\xc3""\xbc""\xc3""\xa9""\xc3""\xbc""", "10:0-2"},
    {"models/bpe_ignore_merges.json", ".:.:", "0:0-4"},
    {"models/bpe_ignore_merges.json", "\xc4""\xa0""belirtilen", "1:0-12"},
    {"models/bpe_ignore_merges.json", "belirtilen", "8:0-10"},
    {"models/bpe_ignore_merges.json", ".:.:.:", "7:0-2 7:2-4 7:4-6"},
    {"models/bpe_ignore_merges.json", "irtilen", "5:0-7"},
    {"models/bpe_ignore_merges.json", "irtilenx", "15:0-5 14:5-7"},
    {"models/bpe_no_ignore_merges.json", ".:.:", "7:0-2 7:2-4"},
    {"models/bpe_no_ignore_merges.json", "\xc4""\xa0""belirtilen", "6:0-2 4:2-5 15:5-10 14:10-12"},
    {"models/bpe_no_ignore_merges.json", "belirtilen", "4:0-3 15:3-8 14:8-10"},
    {"models/bpe_no_ignore_merges.json", ".:.:.:", "7:0-2 7:2-4 7:4-6"},
    {"models/bpe_no_ignore_merges.json", "irtilen", "15:0-5 14:5-7"},
    {"models/bpe_dropout1.json", "unrelated", "0:0-1 1:1-2 2:2-3 3:3-4 4:4-5 5:5-6 6:6-7 3:7-8 7:8-9"},
    {"models/bpe_dropout1.json", "related", "2:0-1 3:1-2 4:2-3 5:3-4 6:4-5 3:5-6 7:6-7"},
    {"models/bpe_dropout0.json", "unrelated", "15:0-9"},
    {"models/bpe_dropout0.json", "related", "14:0-7"},
    {"models/bpe_ties.json", "aaaa", "3:0-4"},
    {"models/bpe_ties.json", "aaaaa", "1:0-2 2:2-5"},
    {"models/bpe_ties.json", "aaaaaaa", "3:0-4 2:4-7"},
    {"models/bpe_ties.json", "aba", "5:0-2 0:2-3"},
    {"models/bpe_ties.json", "ababa", "5:0-2 5:2-4 0:4-5"},
    {"models/bpe_ties.json", "abab", "5:0-2 5:2-4"},
    {"models/bpe_ties.json", "baab", "4:0-1 1:1-3 4:3-4"},
    {"models/bpe_ties.json", "aab", "1:0-2 4:2-3"},
    {"models/bpe_ties.json", "aabaa", "1:0-2 4:2-3 1:3-5"},
    {"models/bpe_dup_merges.json", "abc", "0:0-1 4:1-3"},
    {"models/bpe_dup_merges.json", "bca", "4:0-2 0:2-3"},
    {"models/bpe_dup_merges.json", "abcbc", "0:0-1 4:1-3 4:3-5"},
    {"models/bpe_version_merges.json", "abc", "0:0-1 4:1-3"},
    {"models/bpe_version_merges.json", "bca", "4:0-2 0:2-3"},
    {"models/bpe_version_merges.json", "abbc", "3:0-2 4:2-4"},
    {"models/bpe_notype.json", "ab", "2:0-2"},
    {"models/bpe_notype.json", "aab", "0:0-1 2:1-3"},
    {"models/bpe_notype.json", "ba", "1:0-1 0:1-2"},
    {"models/wordpiece_small.json", "banana", "1:0-2 2:2-4 2:4-6"},
    {"models/wordpiece_small.json", "nanana", "4:0-2 2:2-4 2:4-6"},
    {"models/wordpiece_small.json", "bananas", "0:0-7"},
    {"models/wordpiece_small.json", "ba", "1:0-2"},
    {"models/wordpiece_small.json", "b\xc3""\xa9""", "7:0-3"},
    {"models/wordpiece_small.json", "b\xc3""\xa9""\xc3""\xa9""", "7:0-3 8:3-5"},
    {"models/wordpiece_small.json", "unaffable", "0:0-9"},
    {"models/wordpiece_small.json", "unaffa", "9:0-2 10:2-5 6:5-6"},
    {"models/wordpiece_small.json", "b", "5:0-1"},
    {"models/wordpiece_small.json", "bana", "1:0-2 2:2-4"},
    {"models/wordpiece_small.json", "z", "0:0-1"},
    {"models/wordpiece_small.json", "bananaa", "0:0-7"},
    {"models/wordpiece_small.json", "ba\xc3""\xa9""", "1:0-2 8:2-4"},
    {"models/wordpiece_nounk.json", "ab", "0:0-1 1:1-2"},
    {"models/wordpiece_nounk.json", "abb", "0:0-1 1:1-2 1:2-3"},
    {"models/wordpiece_nounk.json", "c", "ERROR"},
    {"models/wordpiece_notype.json", "banana", "1:0-2 2:2-4 2:4-6"},
    {"models/wordpiece_notype.json", "nanana", "4:0-2 2:2-4 2:4-6"},
    {"models/wordlevel.json", "hello", "1:0-5"},
    {"models/wordlevel.json", "world", "2:0-5"},
    {"models/wordlevel.json", "h\xc3""\xa9""llo", "3:0-6"},
    {"models/wordlevel.json", "x", "0:0-1"},
    {"models/wordlevel.json", "Hello", "0:0-5"},
    {"models/wordlevel_nounk.json", "hello", "1:0-5"},
    {"models/wordlevel_nounk.json", "x", "ERROR"},
    {"models/wordlevel_notype.json", "hello", "1:0-5"},
    {"models/wordlevel_notype.json", "x", "0:0-1"},
    {"models/unigram_small.json", "abcdacdxx", "8:0-4 1:4-5 5:5-7 0:7-9"},
    {"models/unigram_small.json", "abcd", "8:0-4"},
    {"models/unigram_small.json", "a", "1:0-1"},
    {"models/unigram_small.json", "xx", "0:0-2"},
    {"models/unigram_small.json", "xaxbx", "0:0-1 1:1-2 0:2-3 2:3-4 0:4-5"},
    {"models/unigram_small.json", "dcba", "4:0-1 3:1-2 2:2-3 1:3-4"},
    {"models/unigram_small.json", "\xc3""\xa9""", "0:0-2"},
    {"models/unigram_small.json", "\xf0""\x9f""\x98""\x80""\xf0""\x9f""\x98""\x80""a", "0:0-8 1:8-9"},
    {"models/unigram_notype.json", "abcdacdxx", "8:0-4 1:4-5 5:5-7 0:7-9"},
    {"models/unigram_bytes.json", "ab", "3:0-2"},
    {"models/unigram_bytes.json", "aab", "1:0-1 3:1-3"},
    {"models/unigram_bytes.json", "xy", "5:0-1 9:1-2"},
    {"models/unigram_bytes.json", "\xc3""\xbc""", "7:0-2 8:0-2"},
    {"models/unigram_bytes.json", "\xc3""\xbc""\xc3""\xbc""", "7:0-4 8:0-4 7:0-4 8:0-4"},
    {"models/unigram_bytes.json", "a\xc3""\xbc""b", "1:0-1 7:1-3 8:1-3 2:3-4"},
    {"models/unigram_bytes.json", "\xe2""\x82""\xac""", "0:0-3"},
    {"models/unigram_bytes.json", "\xc3""\xa9""", "4:0-2"},
    {"models/unigram_bytes.json", "x\xc3""\xa9""", "5:0-1 4:1-3"},
    {"models/unigram_bytes.json", "yx", "9:0-1 5:1-2"},
    {"models/unigram_bytes.json", "<unk>", "0:0-5"},
    {"models/unigram_nobytes.json", "ab", "3:0-2"},
    {"models/unigram_nobytes.json", "aab", "1:0-1 3:1-3"},
    {"models/unigram_nobytes.json", "xy", "5:0-1 0:1-2"},
    {"models/unigram_nobytes.json", "\xc3""\xbc""", "0:0-2"},
    {"models/unigram_nobytes.json", "\xc3""\xbc""\xc3""\xbc""", "0:0-4"},
    {"models/unigram_nobytes.json", "a\xc3""\xbc""b", "1:0-1 0:1-3 2:3-4"},
    {"models/unigram_nobytes.json", "\xe2""\x82""\xac""", "0:0-3"},
    {"models/unigram_nobytes.json", "\xc3""\xa9""", "4:0-2"},
    {"models/unigram_nounk.json", "ab", "2:0-2"},
    {"models/unigram_nounk.json", "aab", "0:0-1 2:1-3"},
    {"models/unigram_nounk.json", "abc", "ERROR"},
    {"models/unigram_nounk.json", "c", "ERROR"},
    {"models/unigram_posscore.json", "xy", "1:0-1 2:1-2"},
    {"models/unigram_posscore.json", "x", "1:0-1"},
    {"models/unigram_posscore.json", "xyz", "1:0-1 2:1-2 4:2-3"},
    {"models/unigram_posscore.json", "zz", "4:0-1 4:1-2"},
};

/* The start of the character holding byte i, and the end of the one
 * holding byte i - 1. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static size_t char_end(const char *s, size_t len, size_t i)
{
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Tokenizes word and renders the result as the expected strings are. */
static ia_status run_case(const tk_model *m, const char *word, char *buf, size_t cap,
                          ia_error *err)
{
    tk_tokens t = {0};
    size_t len = strlen(word);
    ia_status st = m->ops->tokenize(m, word, len, &t, err);
    buf[0] = '\0';
    size_t k = 0;
    for (size_t i = 0; st == IA_OK && i < t.n; i++) {
        assert_true(t.v[i].begin <= t.v[i].end);
        assert_true(t.v[i].end <= len);
        /* Every id must have its string for the pipeline to look up. */
        assert_non_null(tk_vocab_token(m->vocab, t.v[i].id));
        size_t b = char_start(word, t.v[i].begin);
        size_t e = t.v[i].end > t.v[i].begin ? char_end(word, len, t.v[i].end) : b;
        k += (size_t)snprintf(buf + k, cap - k, "%s%d:%zu-%zu", i ? " " : "", t.v[i].id, b, e);
        assert_true(k < cap);
    }
    free(t.v);
    return st;
}

static void test_against_rust(void **state)
{
    (void)state;
    const char *loaded = NULL;
    tk_model *m = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const model_case *c = &cases[i];
        if (!loaded || strcmp(loaded, c->file) != 0) {
            tk_model_free(m);
            m = load_model(c->file);
            loaded = c->file;
        }
        /* Twice: the second may come from the BPE cache. */
        for (int round = 0; round < 2; round++) {
            char got[4096];
            ia_error err = {0};
            ia_status st = run_case(m, c->word, got, sizeof got, &err);
            if (strcmp(c->expected, "ERROR") == 0) {
                if (st == IA_OK)
                    fail_msg("%s '%s': expected an error, got '%s'", c->file, c->word, got);
                assert_true(strlen(err.message) > 0);
                continue;
            }
            if (st != IA_OK)
                fail_msg("%s '%s': %s", c->file, c->word, err.message);
            if (strcmp(got, c->expected) != 0)
                fail_msg("%s '%s' (round %d):\n  want %s\n  got  %s", c->file, c->word, round,
                         c->expected, got);
        }
    }
    tk_model_free(m);
}

static void test_model_names(void **state)
{
    (void)state;
    static const struct {
        const char *file, *name;
    } names[] = {
        {"models/bpe_notype.json", "BPE"},
        {"models/wordpiece_notype.json", "WordPiece"},
        {"models/wordlevel_notype.json", "WordLevel"},
        {"models/unigram_notype.json", "Unigram"},
        {"bytelevel_bpe.json", "BPE"},
        {"wordpiece.json", "WordPiece"},
        {"unigram.json", "Unigram"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        tk_model *m = load_model(names[i].file);
        assert_string_equal(m->ops->name, names[i].name);
        /* Only Unigram names its unk tokens by their text. */
        assert_int_equal(m->unk_from_text, strcmp(names[i].name, "Unigram") == 0);
        tk_model_free(m);
    }
    tk_model *m = load_model("unigram.json");
    assert_int_equal(m->unk_id, 2);
    tk_model_free(m);
    m = load_model("wordpiece.json");
    assert_int_equal(m->unk_id, 1);
    tk_model_free(m);
    m = load_model("bytelevel_bpe.json");
    assert_int_equal(m->unk_id, -1);
    tk_model_free(m);
}

/* --- bad input ----------------------------------------------------------------- */

static void expect_error(const char *model_json, ia_status want, const char *needle1,
                         const char *needle2)
{
    char json[2048];
    snprintf(json, sizeof json, "{\"model\": %s}", model_json);
    tk_model *m = NULL;
    ia_error err = {0};
    ia_status st = model_from_text(json, &m, &err);
    if (st == IA_OK) {
        tk_model_free(m);
        fail_msg("no error for %s", model_json);
    }
    assert_null(m);
    if (st != want)
        fail_msg("%s: status %s, want %s (%s)", model_json, ia_status_name(st),
                 ia_status_name(want), err.message);
    if (needle1 && !strstr(err.message, needle1))
        fail_msg("'%s' not in '%s'", needle1, err.message);
    if (needle2 && !strstr(err.message, needle2))
        fail_msg("'%s' not in '%s'", needle2, err.message);
}

static void test_bad_models(void **state)
{
    (void)state;
    /* Rust (0.23.2) refuses each of these too; see the comments. */
    /* "Merges text file invalid at line 4" */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},"
                 "\"merges\":[\"a b\",\"a b\",\"a b\",\"a b c\"]}",
                 IA_ERR_PARSE, "model.merges[3]", "a b c");
    /* "Token `z` out of vocabulary" */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[\"a b\",\"b z\"]}",
                 IA_ERR_INVALID, "model.merges[1]", "'z'");
    /* Rust panics here; the merged token must exist. */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1},\"merges\":[[\"a\",\"b\"]]}",
                 IA_ERR_INVALID, "model.merges[0]", "'ab'");
    /* "data did not match any variant of untagged enum MergeType" */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[[\"a\"]]}",
                 IA_ERR_PARSE, "model.merges[0]", NULL);
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},"
                 "\"merges\":[\"a b\",[\"a\",\"b\"]]}",
                 IA_ERR_PARSE, "model.merges[1]", NULL);
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[[\"a\",\"b\"],\"a b\"]}",
                 IA_ERR_PARSE, "model.merges[1]", NULL);
    /* "invalid type: string \"x\", expected u32" */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":\"x\"},\"merges\":[]}", IA_ERR_PARSE,
                 "model.vocab.a", NULL);
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":-1},\"merges\":[]}", IA_ERR_PARSE,
                 "model.vocab.a", NULL);
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":1.5},\"merges\":[]}", IA_ERR_PARSE,
                 "model.vocab.a", NULL);
    expect_error("{\"type\":\"BPE\",\"vocab\":[],\"merges\":[]}", IA_ERR_PARSE, "model.vocab",
                 NULL);
    /* "Missing vocab/merges" */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0}}", IA_ERR_PARSE, "merges", NULL);
    /* "Dropout should be between 0 and 1, inclusive" */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[],\"dropout\":1.5}",
                 IA_ERR_INVALID, "model.dropout", NULL);
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[],\"fuse_unk\":1}",
                 IA_ERR_PARSE, "model.fuse_unk", NULL);
    /* b shorter than the prefix: Rust would panic slicing it. */
    expect_error("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[\"a b\"],"
                 "\"continuing_subword_prefix\":\"###\"}",
                 IA_ERR_INVALID, "model.merges[0]", NULL);
    expect_error("{\"type\":\"Foo\",\"vocab\":{}}", IA_ERR_UNSUPPORTED, "model.type", "'Foo'");
    expect_error("{\"type\":7,\"vocab\":{}}", IA_ERR_PARSE, "model.type", NULL);
    expect_error("[]", IA_ERR_PARSE, "model", NULL);
    /* "missing field `unk_token`" */
    expect_error("{\"type\":\"WordPiece\",\"vocab\":{\"a\":0},\"continuing_subword_prefix\":\"##\","
                 "\"max_input_chars_per_word\":100}",
                 IA_ERR_PARSE, "unk_token", NULL);
    expect_error("{\"type\":\"WordPiece\",\"vocab\":{\"a\":0},\"unk_token\":\"a\","
                 "\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":-1}",
                 IA_ERR_INVALID, "model.max_input_chars_per_word", NULL);
    expect_error("{\"type\":\"WordLevel\",\"vocab\":{\"a\":0}}", IA_ERR_PARSE, "unk_token",
                 NULL);
    expect_error("{\"type\":\"WordLevel\",\"unk_token\":\"a\",\"vocab\":{\"a\":[]}}", IA_ERR_PARSE,
                 "model.vocab.a", NULL);
    /* "Unable to load vocab UnkIdNotInVocabulary" / EmptyVocabulary */
    expect_error("{\"type\":\"Unigram\",\"vocab\":[[\"a\",0]],\"unk_id\":3}", IA_ERR_INVALID,
                 "model.unk_id", NULL);
    expect_error("{\"type\":\"Unigram\",\"vocab\":[],\"unk_id\":0}", IA_ERR_INVALID,
                 "model.vocab", "empty");
    /* "invalid length 1, expected a tuple of size 2" */
    expect_error("{\"type\":\"Unigram\",\"vocab\":[[\"a\",0],[\"b\"]]}", IA_ERR_PARSE,
                 "model.vocab[1]", NULL);
    expect_error("{\"type\":\"Unigram\",\"vocab\":[[\"a\",\"x\"]]}", IA_ERR_PARSE,
                 "model.vocab[0]", NULL);
    expect_error("{\"type\":\"Unigram\",\"vocab\":{}}", IA_ERR_PARSE, "model.vocab", NULL);
}

/* Oddities Rust accepts: a token listed twice keeps its last id; two
 * tokens may share an id. */
static void test_vocab_duplicates(void **state)
{
    (void)state;
    tk_model *m = NULL;
    ia_error err = {0};
    assert_int_equal(model_from_text("{\"model\":{\"type\":\"WordLevel\",\"unk_token\":\"u\","
                                     "\"vocab\":{\"u\":0,\"a\":1,\"a\":2,\"b\":2}}}",
                                     &m, &err),
                     IA_OK);
    assert_int_equal(tk_vocab_find(m->vocab, "a", 1), 2);
    tk_tokens t = {0};
    assert_int_equal(m->ops->tokenize(m, "a", 1, &t, &err), IA_OK);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.v[0].id, 2);
    free(t.v);
    tk_model_free(m);
    /* Unigram: the trie finds the last id of a repeated piece. */
    assert_int_equal(model_from_text("{\"model\":{\"type\":\"Unigram\",\"unk_id\":0,"
                                     "\"vocab\":[[\"<unk>\",0],[\"a\",-1],[\"a\",-2]]}}",
                                     &m, &err),
                     IA_OK);
    memset(&t, 0, sizeof t);
    assert_int_equal(m->ops->tokenize(m, "aa", 2, &t, &err), IA_OK);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.v[0].id, 2);
    free(t.v);
    /* ... and both ids name the piece, as Rust's id_to_token does. */
    assert_string_equal(tk_vocab_token(m->vocab, 1), "a");
    assert_string_equal(tk_vocab_token(m->vocab, 2), "a");
    tk_model_free(m);
}

static void test_vocab_basics(void **state)
{
    (void)state;
    tk_vocab *v;
    ia_error err = {0};
    assert_int_equal(tk_vocab_create(0, &v, &err), IA_OK);
    assert_int_equal(tk_vocab_max_id(v), -1);
    assert_null(tk_vocab_token(v, 0));
    char tok[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(tok, sizeof tok, "tok%d", i);
        assert_int_equal(tk_vocab_add(v, tok, (size_t)n, i * 2, &err), IA_OK);
    }
    assert_int_equal(tk_vocab_add(v, "tok7", 4, 99999, &err), IA_ERR_INVALID);
    assert_int_equal(tk_vocab_find(v, "tok7", 4), 14);
    assert_string_equal(tk_vocab_token(v, 99999), "tok7");
    assert_int_equal(tk_vocab_add(v, "tok8", 4, 99999, &err), IA_ERR_INVALID);
    assert_string_equal(tk_vocab_token(v, 99999), "tok7"); /* first stays */
    assert_int_equal(tk_vocab_add(v, "x", 1, -1, &err), IA_ERR_UNSUPPORTED);
    assert_int_equal(tk_vocab_add(v, "x", 1, INT32_MAX, &err), IA_ERR_UNSUPPORTED);
    assert_int_equal(tk_vocab_add(v, "", 0, 1, &err), IA_OK);
    assert_int_equal(tk_vocab_count(v), 5001);
    assert_int_equal(tk_vocab_max_id(v), 99999);
    assert_int_equal(tk_vocab_max_len(v), 7);
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(tok, sizeof tok, "tok%d", i);
        assert_int_equal(tk_vocab_find(v, tok, (size_t)n), i * 2);
        assert_string_equal(tk_vocab_token(v, i * 2), tok);
        if (i > 0)
            assert_null(tk_vocab_token(v, i * 2 + 1)); /* holes stay holes */
    }
    assert_int_equal(tk_vocab_find(v, "", 0), 1);
    assert_string_equal(tk_vocab_token(v, 1), "");
    assert_int_equal(tk_vocab_find(v, "tok", 3), -1);
    assert_int_equal(tk_vocab_find(v, "tok70000", 8), -1);
    assert_null(tk_vocab_token(v, 1 << 20));
    tk_vocab_free(v);
}

/* --- legacy files ------------------------------------------------------------------- */

static void expect_tokens(const tk_model *m, const char *word, const char *want)
{
    char got[1024];
    ia_error err = {0};
    ia_status st = run_case(m, word, got, sizeof got, &err);
    if (st != IA_OK)
        fail_msg("'%s': %s", word, err.message);
    if (strcmp(got, want) != 0)
        fail_msg("'%s': want %s, got %s", word, want, got);
}

static void test_legacy_vocab_txt(void **state)
{
    (void)state;
    char path[1024];
    fixture_path(path, sizeof path, "legacy/vocab.txt");
    tk_model *m = NULL;
    ia_error err = {0};
    ia_status st = tk_model_wordpiece_from_vocab_txt(path, &m, &err);
    if (st != IA_OK)
        fail_msg("%s", err.message);
    assert_string_equal(m->ops->name, "WordPiece");
    /* From tokenizers 0.23.2: WordPiece.fromFile(vocab.txt). "hello" is
     * listed twice (ids 4 and 11): the last id wins. "foo  \r" is "foo". */
    assert_int_equal(tk_vocab_find(m->vocab, "hello", 5), 11);
    assert_int_equal(tk_vocab_find(m->vocab, "foo", 3), 10);
    expect_tokens(m, "hello", "11:0-5");
    expect_tokens(m, "worlds", "6:0-5 5:5-6");
    expect_tokens(m, "unaffable", "7:0-2 8:2-5 9:5-9");
    expect_tokens(m, "foo", "10:0-3");
    expect_tokens(m, "xyz", "1:0-3");
    expect_tokens(m, "una", "7:0-2 12:2-3");
    tk_model_free(m);

    fixture_path(path, sizeof path, "legacy/no-such-vocab.txt");
    m = NULL;
    st = tk_model_wordpiece_from_vocab_txt(path, &m, &err);
    assert_int_not_equal(st, IA_OK);
    assert_null(m);
    assert_non_null(strstr(err.message, "no-such-vocab.txt"));
}

static void test_legacy_bpe_files(void **state)
{
    (void)state;
    char vocab[1024], merges[1024];
    fixture_path(vocab, sizeof vocab, "legacy/vocab.json");
    fixture_path(merges, sizeof merges, "legacy/merges.txt");
    tk_model *m = NULL;
    ia_error err = {0};
    ia_status st = tk_model_bpe_from_files(vocab, merges, &m, &err);
    if (st != IA_OK)
        fail_msg("%s", err.message);
    assert_string_equal(m->ops->name, "BPE");
    /* From tokenizers 0.23.2: BPE.fromFile(vocab.json, merges.txt); the
     * non-number entry "note" is skipped; "x" (unknown, no unk) vanishes. */
    assert_int_equal(tk_vocab_count(m->vocab), 9);
    expect_tokens(m, "abc", "5:0-3");
    expect_tokens(m, "\xc4\xa0" "abc", "3:0-2 5:2-5");
    expect_tokens(m, "cab", "2:0-1 4:1-3");
    expect_tokens(m, "\xc4\xa0" "ab", "3:0-2 4:2-4");
    expect_tokens(m, "x", "");
    tk_model_free(m);

    /* Rust: "Merges text file invalid at line 2" (for each of the first
     * two: a line of three parts, and an empty line), "Token `z` out of
     * vocabulary". We name the file's own line numbers. */
    static const struct {
        const char *file, *needle;
    } bad[] = {
        {"legacy/merges_bad_line.txt", "line 3"},
        {"legacy/merges_empty_line.txt", "line 3"},
        {"legacy/merges_oov.txt", "'z'"},
        {"legacy/no-such-merges.txt", "no-such-merges.txt"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fixture_path(merges, sizeof merges, bad[i].file);
        m = NULL;
        st = tk_model_bpe_from_files(vocab, merges, &m, &err);
        assert_int_not_equal(st, IA_OK);
        assert_null(m);
        if (!strstr(err.message, bad[i].needle))
            fail_msg("'%s' not in '%s'", bad[i].needle, err.message);
    }
    fixture_path(merges, sizeof merges, "legacy/merges.txt");
    fixture_path(vocab, sizeof vocab, "legacy/vocab.txt"); /* not JSON */
    st = tk_model_bpe_from_files(vocab, merges, &m, &err);
    assert_int_equal(st, IA_ERR_PARSE);
}

/* With dropout between 0 and 1 Rust's result is random; ours is too, but
 * it must still be a segmentation of the word into vocabulary tokens. */
static void test_dropout_random(void **state)
{
    (void)state;
    tk_model *m = NULL;
    ia_error err = {0};
    assert_int_equal(
        model_from_text("{\"model\":{\"type\":\"BPE\",\"dropout\":0.5,\"vocab\":{\"u\":0,"
                        "\"n\":1,\"r\":2,\"e\":3,\"l\":4,\"a\":5,\"t\":6,\"d\":7,\"re\":8,"
                        "\"at\":9,\"ed\":10,\"un\":11,\"ated\":12,\"rel\":13,\"related\":14,"
                        "\"unrelated\":15},\"merges\":[\"r e\",\"a t\",\"e d\",\"u n\","
                        "\"at ed\",\"re l\",\"rel ated\",\"un related\"]}}",
                        &m, &err),
        IA_OK);
    bool whole = false, split = false;
    for (int i = 0; i < 200; i++) {
        tk_tokens t = {0};
        assert_int_equal(m->ops->tokenize(m, "unrelated", 9, &t, &err), IA_OK);
        assert_true(t.n >= 1 && t.n <= 9);
        size_t pos = 0;
        char joined[16] = "";
        for (size_t k = 0; k < t.n; k++) {
            assert_int_equal(t.v[k].begin, pos);
            pos = t.v[k].end;
            strcat(joined, tk_vocab_token(m->vocab, t.v[k].id));
        }
        assert_int_equal(pos, 9);
        assert_string_equal(joined, "unrelated");
        whole |= t.n == 1;
        split |= t.n > 1;
        free(t.v);
    }
    assert_true(split); /* 200 tries without one skipped merge would be a broken RNG */
    (void)whole;
    tk_model_free(m);
}

/* --- threads ------------------------------------------------------------------------ */

typedef struct thread_arg {
    const tk_model *m;
    const char *file;
    int failures;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    for (int round = 0; round < 30; round++) {
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            if (strcmp(cases[i].file, a->file) != 0)
                continue;
            char got[4096];
            ia_error err = {0};
            if (run_case(a->m, cases[i].word, got, sizeof got, &err) != IA_OK ||
                strcmp(got, cases[i].expected) != 0)
                a->failures++;
        }
    }
    return NULL;
}

/* Many threads share one model (and its BPE cache), as the pipeline's
 * batch encoding does. */
static void test_concurrent(void **state)
{
    (void)state;
    static const char *files[] = {"bytelevel_bpe.json", "llama_bpe.json", "unigram.json",
                                  "wordpiece.json"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        tk_model *m = load_model(files[f]);
        pthread_t th[6];
        thread_arg args[6];
        for (int i = 0; i < 6; i++) {
            args[i] = (thread_arg){m, files[f], 0};
            assert_int_equal(pthread_create(&th[i], NULL, thread_main, &args[i]), 0);
        }
        for (int i = 0; i < 6; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(args[i].failures, 0);
        }
        tk_model_free(m);
    }
}

/* Long words: past the cache limit and the stack buffers. */
static void test_long_words(void **state)
{
    (void)state;
    tk_model *m = load_model("bytelevel_bpe.json");
    size_t n = 5000;
    char *w = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        w[i] = "abcdefgh"[i % 8];
    w[n] = '\0';
    tk_tokens t = {0};
    ia_error err = {0};
    assert_int_equal(m->ops->tokenize(m, w, n, &t, &err), IA_OK);
    assert_true(t.n > 0);
    assert_int_equal(t.v[0].begin, 0);
    assert_int_equal(t.v[t.n - 1].end, n);
    for (size_t i = 1; i < t.n; i++)
        assert_int_equal(t.v[i].begin, t.v[i - 1].end);
    free(t.v);
    tk_model_free(m);

    m = load_model("unigram.json");
    memset(&t, 0, sizeof t);
    assert_int_equal(m->ops->tokenize(m, w, n, &t, &err), IA_OK);
    assert_int_equal(t.v[t.n - 1].end, n);
    free(t.v);
    tk_model_free(m);

    m = load_model("wordpiece.json");
    memset(&t, 0, sizeof t);
    assert_int_equal(m->ops->tokenize(m, w, n, &t, &err), IA_OK);
    assert_int_equal(t.n, 1); /* over max_input_chars_per_word: [UNK] */
    assert_int_equal(t.v[0].id, 1);
    free(t.v);
    tk_model_free(m);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocab_basics),
        cmocka_unit_test(test_against_rust),
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_bad_models),
        cmocka_unit_test(test_vocab_duplicates),
        cmocka_unit_test(test_legacy_vocab_txt),
        cmocka_unit_test(test_legacy_bpe_files),
        cmocka_unit_test(test_dropout_random),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_long_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
