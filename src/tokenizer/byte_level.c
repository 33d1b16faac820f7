/* GPT-2's byte alphabet (bytes_to_unicode): printable Latin-1 bytes stand for
 * themselves, the other 68 bytes for U+0100 onwards in byte order, so every
 * byte string becomes a string of printable characters. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "tokenizer/tokenizer_internal.h"

#define EXTRA_CHARS 68 /* bytes that are not printable */

static uint32_t byte_to_char[256];
static uint8_t char_to_byte[0x100 + EXTRA_CHARS];
static bool char_known[0x100 + EXTRA_CHARS];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static bool printable(unsigned b)
{
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

static void build_tables(void)
{
    unsigned extra = 0;
    for (unsigned b = 0; b < 256; b++) {
        uint32_t cp = printable(b) ? b : 0x100 + extra++;
        byte_to_char[b] = cp;
        char_to_byte[cp] = (uint8_t)b;
        char_known[cp] = true;
    }
}

uint32_t tk_byte_level_char(uint8_t b)
{
    pthread_once(&tables_once, build_tables);
    return byte_to_char[b];
}

int tk_byte_level_byte(uint32_t cp)
{
    pthread_once(&tables_once, build_tables);
    if (cp >= 0x100 + EXTRA_CHARS || !char_known[cp])
        return -1;
    return char_to_byte[cp];
}

ia_status ia_tokenizer_bytes_json(char **json, size_t *len, ia_error *err)
{
    static const char head[] =
        "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [], "
        "\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": "
        "false, \"trim_offsets\": true, \"use_regex\": true}, \"post_processor\": null, "
        "\"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": "
        "true, \"use_regex\": true}, \"model\": {\"type\": \"BPE\", \"dropout\": null, "
        "\"unk_token\": null, \"continuing_subword_prefix\": null, \"end_of_word_suffix\": null, "
        "\"fuse_unk\": false, \"byte_fallback\": false, \"vocab\": {";
    static const char tail[] = "}, \"merges\": []}}";
    size_t cap = sizeof head + sizeof tail + 256 * 16, n = 0;
    char *s = malloc(cap);
    if (!s)
        return ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory");
    n += (size_t)snprintf(s, cap, "%s", head);
    for (int b = 0; b < 256; b++) {
        char ch[4];
        uint32_t cp = tk_byte_level_char((uint8_t)b);
        int k = ia_utf8_encode(cp, ch);
        /* The alphabet is printable; only " and \\ need escaping in JSON. */
        bool esc = cp == '"' || cp == '\\';
        n += (size_t)snprintf(s + n, cap - n, "%s\"%s%.*s\": %d", b ? ", " : "", esc ? "\\" : "",
                              k, ch, b);
    }
    n += (size_t)snprintf(s + n, cap - n, "%s", tail);
    *json = s;
    if (len)
        *len = n;
    return IA_OK;
}
