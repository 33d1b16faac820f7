/* GPT-2's byte alphabet (bytes_to_unicode): printable Latin-1 bytes stand for
 * themselves, the other 68 bytes for U+0100 onwards in byte order, so every
 * byte string becomes a string of printable characters. */
#include <pthread.h>

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
