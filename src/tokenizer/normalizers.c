/*
 * Normalizer components (the Rust library's src/normalizers): each one
 * rewrites a tk_nstr with the NormalizedString operations of nstr.c, so
 * alignments follow exactly the change lists the Rust code produces.
 */
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

typedef enum nkind {
    N_BERT,
    N_NFC,
    N_NFD,
    N_NFKC,
    N_NFKD,
    N_LOWERCASE,
    N_STRIP_ACCENTS,
    N_STRIP,
    N_REPLACE,
    N_PREPEND,
    N_APPEND,
    N_PRECOMPILED,
    N_NMT,
    N_BYTE_LEVEL,
    N_SEQUENCE
} nkind;

struct tk_normalizer {
    nkind kind;
    /* BertNormalizer */
    bool clean_text, chinese, strip_accents, lowercase;
    /* Strip */
    bool left, right;
    /* Replace, Prepend (the Rust library has no Append normalizer; N_APPEND
     * is kept for symmetry but no JSON type names it) */
    tk_pattern pat;
    ia_regex *re;
    char *str;     /* the pattern string, or Prepend/Append's text */
    char *content; /* Replace */
    /* Precompiled: darts-clone double array and the NUL-separated
     * replacement strings it indexes */
    uint32_t *trie;
    size_t trie_n;
    char *repl;
    size_t repl_len;
    /* Sequence */
    tk_normalizer **seq;
    size_t nseq;
};

static const char SUPPORTED[] =
    "BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Strip, Replace, Prepend, "
    "Append, Precompiled, Nmt, ByteLevel, Sequence";

void tk_normalizer_free(tk_normalizer *n)
{
    if (!n)
        return;
    ia_regex_free(n->re);
    free(n->str);
    free(n->content);
    free(n->trie);
    free(n->repl);
    for (size_t i = 0; i < n->nseq; i++)
        tk_normalizer_free(n->seq[i]);
    free(n->seq);
    free(n);
}

static tk_normalizer *alloc_normalizer(nkind kind, ia_error *err)
{
    tk_normalizer *n = calloc(1, sizeof *n);
    if (!n) {
        ia_error_set(err, IA_ERR_NOMEM, "tokenizer: out of memory for a normalizer");
        return NULL;
    }
    n->kind = kind;
    return n;
}

static char *dup_str(const char *s)
{
    size_t len = strlen(s);
    char *d = malloc(len + 1);
    if (d)
        memcpy(d, s, len + 1);
    return d;
}

/* --- character classes -------------------------------------------------------- */

/* The Rust library's character classes come from crates with tables older
 * than ours: BertNormalizer's is_mark_nonspacing and is_other from the
 * unicode_categories crate (its "other" has no unassigned code points),
 * StripAccents' mark test from another table that also holds many Mc and
 * the Me characters. These sets were measured from tokenizers 0.23.2 over
 * every code point: StripAccents on "a" + c (RUST_MN), BertNormalizer's
 * strip_accents (RUST_BERT_MN) and clean_text (RUST_OTHER, without the
 * private use planes, which is_other adds). */
static const uint32_t RUST_BERT_MN[266][2] = {
    {0x300, 0x36F}, {0x483, 0x487}, {0x591, 0x5BD}, {0x5BF, 0x5BF}, {0x5C1, 0x5C2},
    {0x5C4, 0x5C5}, {0x5C7, 0x5C7}, {0x610, 0x61A}, {0x64B, 0x65F}, {0x670, 0x670},
    {0x6D6, 0x6DC}, {0x6DF, 0x6E4}, {0x6E7, 0x6E8}, {0x6EA, 0x6ED}, {0x711, 0x711},
    {0x730, 0x74A}, {0x7A6, 0x7B0}, {0x7EB, 0x7F3}, {0x816, 0x819}, {0x81B, 0x823},
    {0x825, 0x827}, {0x829, 0x82D}, {0x859, 0x85B}, {0x8E3, 0x902}, {0x93A, 0x93A},
    {0x93C, 0x93C}, {0x941, 0x948}, {0x94D, 0x94D}, {0x951, 0x957}, {0x962, 0x963},
    {0x981, 0x981}, {0x9BC, 0x9BC}, {0x9C1, 0x9C4}, {0x9CD, 0x9CD}, {0x9E2, 0x9E3},
    {0xA01, 0xA02}, {0xA3C, 0xA3C}, {0xA41, 0xA42}, {0xA47, 0xA48}, {0xA4B, 0xA4D},
    {0xA51, 0xA51}, {0xA70, 0xA71}, {0xA75, 0xA75}, {0xA81, 0xA82}, {0xABC, 0xABC},
    {0xAC1, 0xAC5}, {0xAC7, 0xAC8}, {0xACD, 0xACD}, {0xAE2, 0xAE3}, {0xB01, 0xB01},
    {0xB3C, 0xB3C}, {0xB3F, 0xB3F}, {0xB41, 0xB44}, {0xB4D, 0xB4D}, {0xB56, 0xB56},
    {0xB62, 0xB63}, {0xB82, 0xB82}, {0xBC0, 0xBC0}, {0xBCD, 0xBCD}, {0xC00, 0xC00},
    {0xC3E, 0xC40}, {0xC46, 0xC48}, {0xC4A, 0xC4D}, {0xC55, 0xC56}, {0xC62, 0xC63},
    {0xC81, 0xC81}, {0xCBC, 0xCBC}, {0xCBF, 0xCBF}, {0xCC6, 0xCC6}, {0xCCC, 0xCCD},
    {0xCE2, 0xCE3}, {0xD01, 0xD01}, {0xD41, 0xD44}, {0xD4D, 0xD4D}, {0xD62, 0xD63},
    {0xDCA, 0xDCA}, {0xDD2, 0xDD4}, {0xDD6, 0xDD6}, {0xE31, 0xE31}, {0xE34, 0xE3A},
    {0xE47, 0xE4E}, {0xEB1, 0xEB1}, {0xEB4, 0xEB9}, {0xEBB, 0xEBC}, {0xEC8, 0xECD},
    {0xF18, 0xF19}, {0xF35, 0xF35}, {0xF37, 0xF37}, {0xF39, 0xF39}, {0xF71, 0xF7E},
    {0xF80, 0xF84}, {0xF86, 0xF87}, {0xF8D, 0xF97}, {0xF99, 0xFBC}, {0xFC6, 0xFC6},
    {0x102D, 0x1030}, {0x1032, 0x1037}, {0x1039, 0x103A}, {0x103D, 0x103E}, {0x1058, 0x1059},
    {0x105E, 0x1060}, {0x1071, 0x1074}, {0x1082, 0x1082}, {0x1085, 0x1086}, {0x108D, 0x108D},
    {0x109D, 0x109D}, {0x135D, 0x135F}, {0x1712, 0x1714}, {0x1732, 0x1734}, {0x1752, 0x1753},
    {0x1772, 0x1773}, {0x17B4, 0x17B5}, {0x17B7, 0x17BD}, {0x17C6, 0x17C6}, {0x17C9, 0x17D3},
    {0x17DD, 0x17DD}, {0x180B, 0x180D}, {0x18A9, 0x18A9}, {0x1920, 0x1922}, {0x1927, 0x1928},
    {0x1932, 0x1932}, {0x1939, 0x193B}, {0x1A17, 0x1A18}, {0x1A1B, 0x1A1B}, {0x1A56, 0x1A56},
    {0x1A58, 0x1A5E}, {0x1A60, 0x1A60}, {0x1A62, 0x1A62}, {0x1A65, 0x1A6C}, {0x1A73, 0x1A7C},
    {0x1A7F, 0x1A7F}, {0x1AB0, 0x1ABD}, {0x1B00, 0x1B03}, {0x1B34, 0x1B34}, {0x1B36, 0x1B3A},
    {0x1B3C, 0x1B3C}, {0x1B42, 0x1B42}, {0x1B6B, 0x1B73}, {0x1B80, 0x1B81}, {0x1BA2, 0x1BA5},
    {0x1BA8, 0x1BA9}, {0x1BAB, 0x1BAD}, {0x1BE6, 0x1BE6}, {0x1BE8, 0x1BE9}, {0x1BED, 0x1BED},
    {0x1BEF, 0x1BF1}, {0x1C2C, 0x1C33}, {0x1C36, 0x1C37}, {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE0},
    {0x1CE2, 0x1CE8}, {0x1CED, 0x1CED}, {0x1CF4, 0x1CF4}, {0x1CF8, 0x1CF9}, {0x1DC0, 0x1DF5},
    {0x1DFC, 0x1DFF}, {0x20D0, 0x20DC}, {0x20E1, 0x20E1}, {0x20E5, 0x20F0}, {0x2CEF, 0x2CF1},
    {0x2D7F, 0x2D7F}, {0x2DE0, 0x2DFF}, {0x302A, 0x302D}, {0x3099, 0x309A}, {0xA66F, 0xA66F},
    {0xA674, 0xA67D}, {0xA69E, 0xA69F}, {0xA6F0, 0xA6F1}, {0xA802, 0xA802}, {0xA806, 0xA806},
    {0xA80B, 0xA80B}, {0xA825, 0xA826}, {0xA8C4, 0xA8C4}, {0xA8E0, 0xA8F1}, {0xA926, 0xA92D},
    {0xA947, 0xA951}, {0xA980, 0xA982}, {0xA9B3, 0xA9B3}, {0xA9B6, 0xA9B9}, {0xA9BC, 0xA9BC},
    {0xA9E5, 0xA9E5}, {0xAA29, 0xAA2E}, {0xAA31, 0xAA32}, {0xAA35, 0xAA36}, {0xAA43, 0xAA43},
    {0xAA4C, 0xAA4C}, {0xAA7C, 0xAA7C}, {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4}, {0xAAB7, 0xAAB8},
    {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1}, {0xAAEC, 0xAAED}, {0xAAF6, 0xAAF6}, {0xABE5, 0xABE5},
    {0xABE8, 0xABE8}, {0xABED, 0xABED}, {0xFB1E, 0xFB1E}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0x101FD, 0x101FD}, {0x102E0, 0x102E0}, {0x10376, 0x1037A}, {0x10A01, 0x10A03},
    {0x10A05, 0x10A06}, {0x10A0C, 0x10A0F}, {0x10A38, 0x10A3A}, {0x10A3F, 0x10A3F},
    {0x10AE5, 0x10AE6}, {0x11001, 0x11001}, {0x11038, 0x11046}, {0x1107F, 0x11081},
    {0x110B3, 0x110B6}, {0x110B9, 0x110BA}, {0x11100, 0x11102}, {0x11127, 0x1112B},
    {0x1112D, 0x11134}, {0x11173, 0x11173}, {0x11180, 0x11181}, {0x111B6, 0x111BE},
    {0x111CA, 0x111CC}, {0x1122F, 0x11231}, {0x11234, 0x11234}, {0x11236, 0x11237},
    {0x112DF, 0x112DF}, {0x112E3, 0x112EA}, {0x11300, 0x11301}, {0x1133C, 0x1133C},
    {0x11340, 0x11340}, {0x11366, 0x1136C}, {0x11370, 0x11374}, {0x114B3, 0x114B8},
    {0x114BA, 0x114BA}, {0x114BF, 0x114C0}, {0x114C2, 0x114C3}, {0x115B2, 0x115B5},
    {0x115BC, 0x115BD}, {0x115BF, 0x115C0}, {0x115DC, 0x115DD}, {0x11633, 0x1163A},
    {0x1163D, 0x1163D}, {0x1163F, 0x11640}, {0x116AB, 0x116AB}, {0x116AD, 0x116AD},
    {0x116B0, 0x116B5}, {0x116B7, 0x116B7}, {0x1171D, 0x1171F}, {0x11722, 0x11725},
    {0x11727, 0x1172B}, {0x16AF0, 0x16AF4}, {0x16B30, 0x16B36}, {0x16F8F, 0x16F92},
    {0x1BC9D, 0x1BC9E}, {0x1D167, 0x1D169}, {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B},
    {0x1D1AA, 0x1D1AD}, {0x1D242, 0x1D244}, {0x1DA00, 0x1DA36}, {0x1DA3B, 0x1DA6C},
    {0x1DA75, 0x1DA75}, {0x1DA84, 0x1DA84}, {0x1DA9B, 0x1DA9F}, {0x1DAA1, 0x1DAAF},
    {0x1E8D0, 0x1E8D6}, {0xE0100, 0xE01EF},
};

static const uint32_t RUST_MN[250][2] = {
    {0x300, 0x36F}, {0x483, 0x489}, {0x591, 0x5BD}, {0x5BF, 0x5BF}, {0x5C1, 0x5C2},
    {0x5C4, 0x5C5}, {0x5C7, 0x5C7}, {0x610, 0x61A}, {0x64B, 0x65F}, {0x670, 0x670},
    {0x6D6, 0x6DC}, {0x6DF, 0x6E4}, {0x6E7, 0x6E8}, {0x6EA, 0x6ED}, {0x711, 0x711},
    {0x730, 0x74A}, {0x7A6, 0x7B0}, {0x7EB, 0x7F3}, {0x816, 0x819}, {0x81B, 0x823},
    {0x825, 0x827}, {0x829, 0x82D}, {0x859, 0x85B}, {0x8D4, 0x8E1}, {0x8E3, 0x903},
    {0x93A, 0x93C}, {0x93E, 0x94F}, {0x951, 0x957}, {0x962, 0x963}, {0x981, 0x983},
    {0x9BC, 0x9BC}, {0x9BE, 0x9C4}, {0x9C7, 0x9C8}, {0x9CB, 0x9CD}, {0x9D7, 0x9D7},
    {0x9E2, 0x9E3}, {0xA01, 0xA03}, {0xA3C, 0xA3C}, {0xA3E, 0xA42}, {0xA47, 0xA48},
    {0xA4B, 0xA4D}, {0xA51, 0xA51}, {0xA70, 0xA71}, {0xA75, 0xA75}, {0xA81, 0xA83},
    {0xABC, 0xABC}, {0xABE, 0xAC5}, {0xAC7, 0xAC9}, {0xACB, 0xACD}, {0xAE2, 0xAE3},
    {0xB01, 0xB03}, {0xB3C, 0xB3C}, {0xB3E, 0xB44}, {0xB47, 0xB48}, {0xB4B, 0xB4D},
    {0xB56, 0xB57}, {0xB62, 0xB63}, {0xB82, 0xB82}, {0xBBE, 0xBC2}, {0xBC6, 0xBC8},
    {0xBCA, 0xBCD}, {0xBD7, 0xBD7}, {0xC00, 0xC03}, {0xC3E, 0xC44}, {0xC46, 0xC48},
    {0xC4A, 0xC4D}, {0xC55, 0xC56}, {0xC62, 0xC63}, {0xC81, 0xC83}, {0xCBC, 0xCBC},
    {0xCBE, 0xCC4}, {0xCC6, 0xCC8}, {0xCCA, 0xCCD}, {0xCD5, 0xCD6}, {0xCE2, 0xCE3},
    {0xD01, 0xD03}, {0xD3E, 0xD44}, {0xD46, 0xD48}, {0xD4A, 0xD4D}, {0xD57, 0xD57},
    {0xD62, 0xD63}, {0xD82, 0xD83}, {0xDCA, 0xDCA}, {0xDCF, 0xDD4}, {0xDD6, 0xDD6},
    {0xDD8, 0xDDF}, {0xDF2, 0xDF3}, {0xE31, 0xE31}, {0xE34, 0xE3A}, {0xE47, 0xE4E},
    {0xEB1, 0xEB1}, {0xEB4, 0xEB9}, {0xEBB, 0xEBC}, {0xEC8, 0xECD}, {0xF18, 0xF19},
    {0xF35, 0xF35}, {0xF37, 0xF37}, {0xF39, 0xF39}, {0xF3E, 0xF3F}, {0xF71, 0xF84},
    {0xF86, 0xF87}, {0xF8D, 0xF97}, {0xF99, 0xFBC}, {0xFC6, 0xFC6}, {0x102B, 0x103E},
    {0x1056, 0x1059}, {0x105E, 0x1060}, {0x1062, 0x1064}, {0x1067, 0x106D}, {0x1071, 0x1074},
    {0x1082, 0x108D}, {0x108F, 0x108F}, {0x109A, 0x109D}, {0x135D, 0x135F}, {0x1712, 0x1714},
    {0x1732, 0x1734}, {0x1752, 0x1753}, {0x1772, 0x1773}, {0x17B4, 0x17D3}, {0x17DD, 0x17DD},
    {0x180B, 0x180D}, {0x1885, 0x1886}, {0x18A9, 0x18A9}, {0x1920, 0x192B}, {0x1930, 0x193B},
    {0x1A17, 0x1A1B}, {0x1A55, 0x1A5E}, {0x1A60, 0x1A7C}, {0x1A7F, 0x1A7F}, {0x1AB0, 0x1ABE},
    {0x1B00, 0x1B04}, {0x1B34, 0x1B44}, {0x1B6B, 0x1B73}, {0x1B80, 0x1B82}, {0x1BA1, 0x1BAD},
    {0x1BE6, 0x1BF3}, {0x1C24, 0x1C37}, {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE8}, {0x1CED, 0x1CED},
    {0x1CF2, 0x1CF4}, {0x1CF8, 0x1CF9}, {0x1DC0, 0x1DF5}, {0x1DFB, 0x1DFF}, {0x20D0, 0x20F0},
    {0x2CEF, 0x2CF1}, {0x2D7F, 0x2D7F}, {0x2DE0, 0x2DFF}, {0x302A, 0x302F}, {0x3099, 0x309A},
    {0xA66F, 0xA672}, {0xA674, 0xA67D}, {0xA69E, 0xA69F}, {0xA6F0, 0xA6F1}, {0xA802, 0xA802},
    {0xA806, 0xA806}, {0xA80B, 0xA80B}, {0xA823, 0xA827}, {0xA880, 0xA881}, {0xA8B4, 0xA8C5},
    {0xA8E0, 0xA8F1}, {0xA926, 0xA92D}, {0xA947, 0xA953}, {0xA980, 0xA983}, {0xA9B3, 0xA9C0},
    {0xA9E5, 0xA9E5}, {0xAA29, 0xAA36}, {0xAA43, 0xAA43}, {0xAA4C, 0xAA4D}, {0xAA7B, 0xAA7D},
    {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4}, {0xAAB7, 0xAAB8}, {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1},
    {0xAAEB, 0xAAEF}, {0xAAF5, 0xAAF6}, {0xABE3, 0xABEA}, {0xABEC, 0xABED}, {0xFB1E, 0xFB1E},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0x101FD, 0x101FD}, {0x102E0, 0x102E0},
    {0x10376, 0x1037A}, {0x10A01, 0x10A03}, {0x10A05, 0x10A06}, {0x10A0C, 0x10A0F},
    {0x10A38, 0x10A3A}, {0x10A3F, 0x10A3F}, {0x10AE5, 0x10AE6}, {0x11000, 0x11002},
    {0x11038, 0x11046}, {0x1107F, 0x11082}, {0x110B0, 0x110BA}, {0x11100, 0x11102},
    {0x11127, 0x11134}, {0x11173, 0x11173}, {0x11180, 0x11182}, {0x111B3, 0x111C0},
    {0x111CA, 0x111CC}, {0x1122C, 0x11237}, {0x1123E, 0x1123E}, {0x112DF, 0x112EA},
    {0x11300, 0x11303}, {0x1133C, 0x1133C}, {0x1133E, 0x11344}, {0x11347, 0x11348},
    {0x1134B, 0x1134D}, {0x11357, 0x11357}, {0x11362, 0x11363}, {0x11366, 0x1136C},
    {0x11370, 0x11374}, {0x11435, 0x11446}, {0x114B0, 0x114C3}, {0x115AF, 0x115B5},
    {0x115B8, 0x115C0}, {0x115DC, 0x115DD}, {0x11630, 0x11640}, {0x116AB, 0x116B7},
    {0x1171D, 0x1172B}, {0x11C2F, 0x11C36}, {0x11C38, 0x11C3F}, {0x11C92, 0x11CA7},
    {0x11CA9, 0x11CB6}, {0x16AF0, 0x16AF4}, {0x16B30, 0x16B36}, {0x16F51, 0x16F7E},
    {0x16F8F, 0x16F92}, {0x1BC9D, 0x1BC9E}, {0x1D165, 0x1D169}, {0x1D16D, 0x1D172},
    {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B}, {0x1D1AA, 0x1D1AD}, {0x1D242, 0x1D244},
    {0x1DA00, 0x1DA36}, {0x1DA3B, 0x1DA6C}, {0x1DA75, 0x1DA75}, {0x1DA84, 0x1DA84},
    {0x1DA9B, 0x1DA9F}, {0x1DAA1, 0x1DAAF}, {0x1E000, 0x1E006}, {0x1E008, 0x1E018},
    {0x1E01B, 0x1E021}, {0x1E023, 0x1E024}, {0x1E026, 0x1E02A}, {0x1E8D0, 0x1E8D6},
    {0x1E944, 0x1E94A}, {0xE0100, 0xE01EF},
};

static const uint32_t RUST_OTHER[22][2] = {
    {0x1, 0x8}, {0xB, 0xC}, {0xE, 0x1F}, {0x7F, 0x9F}, {0xAD, 0xAD}, {0x600, 0x605},
    {0x61C, 0x61C}, {0x6DD, 0x6DD}, {0x70F, 0x70F}, {0x180E, 0x180E}, {0x200B, 0x200F},
    {0x202A, 0x202E}, {0x2060, 0x2064}, {0x2066, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB},
    {0xFFFD, 0xFFFD}, {0x110BD, 0x110BD}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

static bool in_ranges(const uint32_t (*r)[2], size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c < r[mid][0])
            hi = mid;
        else if (c > r[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* bert.rs is_chinese_char: the CJK ideograph blocks. */
static bool is_chinese(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
           (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

static bool is_other(uint32_t c)
{
    if ((c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) ||
        (c >= 0x100000 && c <= 0x10FFFD))
        return true; /* private use */
    return in_ranges(RUST_OTHER, sizeof RUST_OTHER / sizeof RUST_OTHER[0], c);
}

/* bert.rs do_clean_text: drop NUL, U+FFFD and controls other than \t \n \r. */
static bool bert_keep(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x80)
        return c >= 0x20 ? c != 0x7F : (c == '\t' || c == '\n' || c == '\r');
    if (c == 0xFFFD)
        return false;
    return !is_other(c);
}

static uint32_t bert_space(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x80) /* White_Space in ASCII: \t \n \v \f \r and the space */
        return (c >= 0x09 && c <= 0x0D) ? ' ' : c;
    return ia_unicode_is_whitespace(c) ? ' ' : c;
}

/* StripAccents' filter. */
static bool not_mark(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x300)
        return true;
    return !in_ranges(RUST_MN, sizeof RUST_MN / sizeof RUST_MN[0], c);
}

/* BertNormalizer's strip_accents filter. */
static bool not_bert_mn(uint32_t c, const void *ctx)
{
    (void)ctx;
    if (c < 0x300)
        return true;
    return !in_ranges(RUST_BERT_MN, sizeof RUST_BERT_MN / sizeof RUST_BERT_MN[0], c);
}

/* unicode.rs do_nmt. */
static bool nmt_keep(uint32_t c, const void *ctx)
{
    (void)ctx;
    return !((c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || c == 0x7F ||
             c == 0x8F || c == 0x9F);
}

static uint32_t nmt_map(uint32_t c, const void *ctx)
{
    (void)ctx;
    switch (c) {
    case 0x9: case 0xA: case 0xC: case 0xD: case 0x1680: case 0x2028: case 0x2029:
    case 0x2581: case 0xFEFF: case 0xFFFD:
        return ' ';
    default:
        return (c >= 0x200B && c <= 0x200F) ? ' ' : c;
    }
}

/* --- change lists --------------------------------------------------------------- */

typedef struct cvec {
    tk_change *v;
    size_t n, cap;
} cvec;

static ia_status cpush(cvec *c, uint32_t cp, int32_t change, ia_error *err)
{
    if (c->n == c->cap) {
        ia_status st = tk_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v, err);
        if (st != IA_OK)
            return st;
    }
    c->v[c->n++] = (tk_change){cp, change};
    return IA_OK;
}

static inline uint32_t dec(const char *s, size_t len, size_t *k)
{
    uint32_t cp = 0;
    int n = ia_utf8_decode(s, len, &cp);
    *k = n > 0 ? (size_t)n : 1;
    return cp;
}

/* bert.rs do_handle_chinese_chars: (' ', 0), (c, 1), (' ', 1) around each
 * ideograph, so both spaces share its alignment. */
static ia_status bert_chinese(tk_nstr *ns, ia_error *err)
{
    bool any = false;
    for (size_t i = 0; i < ns->len && !any;) {
        size_t k;
        uint32_t cp = dec(ns->s + i, ns->len - i, &k);
        any = is_chinese(cp);
        i += k;
    }
    if (!any)
        return IA_OK;
    cvec c = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < ns->len && st == IA_OK;) {
        size_t k;
        uint32_t cp = dec(ns->s + i, ns->len - i, &k);
        if (is_chinese(cp)) {
            st = cpush(&c, ' ', 0, err);
            if (st == IA_OK)
                st = cpush(&c, cp, 1, err);
            if (st == IA_OK)
                st = cpush(&c, ' ', 1, err);
        } else {
            st = cpush(&c, cp, 0, err);
        }
        i += k;
    }
    if (st == IA_OK)
        st = tk_nstr_transform(ns, c.v, c.n, 0, err);
    free(c.v);
    return st;
}

/* byte_level.rs normalizer: every byte becomes its alphabet character, the
 * first of each character replacing it, the others inserted. */
static ia_status byte_level(tk_nstr *ns, ia_error *err)
{
    if (ns->len == 0)
        return IA_OK;
    cvec c = {0};
    ia_status st = IA_OK;
    for (size_t i = 0; i < ns->len && st == IA_OK;) {
        size_t k;
        dec(ns->s + i, ns->len - i, &k);
        for (size_t q = 0; q < k && st == IA_OK; q++)
            st = cpush(&c, tk_byte_level_char((uint8_t)ns->s[i + q]), q > 0 ? 1 : 0, err);
        i += k;
    }
    if (st == IA_OK)
        st = tk_nstr_transform(ns, c.v, c.n, 0, err);
    free(c.v);
    return st;
}

/* --- Precompiled (SentencePiece's precompiled_charsmap) ------------------------ */

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64 with optional padding; *out (free()). */
static bool b64decode(const char *s, unsigned char **out, size_t *out_len)
{
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == '=')
        len--;
    unsigned char *o = malloc(len * 3 / 4 + 3);
    if (!o)
        return false;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) {
            free(o);
            return false;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (bits >= 6) { /* a lone trailing character carries no byte */
        free(o);
        return false;
    }
    *out = o;
    *out_len = n;
    return true;
}

/* darts-clone unit accessors, as the spm_precompiled crate reads them. */
static inline bool u_has_leaf(uint32_t u) { return (u >> 8) & 1u; }
static inline uint32_t u_value(uint32_t u) { return u & 0x7FFFFFFFu; }
static inline uint32_t u_label(uint32_t u) { return u & (0x80000000u | 0xFFu); }
static inline uint32_t u_offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

/* Precompiled::transform: the replacement under the FIRST (shortest) key
 * that is a prefix of chunk, as the crate does; NULL when none. */
static const char *pc_transform(const tk_normalizer *n, const char *chunk, size_t len,
                                size_t *out_len)
{
    if (n->trie_n == 0)
        return NULL;
    size_t pos = 0;
    pos ^= u_offset(n->trie[0]);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)chunk[i];
        if (c == 0)
            break;
        pos ^= c;
        if (pos >= n->trie_n)
            return NULL;
        uint32_t u = n->trie[pos];
        if (u_label(u) != c)
            return NULL;
        pos ^= u_offset(u);
        if (u_has_leaf(u)) {
            if (pos >= n->trie_n)
                return NULL;
            size_t at = u_value(n->trie[pos]);
            if (at > n->repl_len)
                return NULL;
            const char *r = n->repl + at;
            size_t e = at;
            while (e < n->repl_len && n->repl[e] != '\0')
                e++;
            *out_len = e - at;
            return r;
        }
    }
    return NULL;
}

/* Grapheme_Cluster_Break, approximated from the general category and a few
 * ranges (no full UAX #29 table is at hand): Extend = Mn, Me, ZWNJ, the
 * halfwidth voiced marks U+FF9E/F, emoji modifiers and tags; SpacingMark =
 * Mc (less the UAX #29 exceptions) and Thai/Lao AM; Control = Cc, Zl, Zp
 * and Cf but ZWJ/ZWNJ; Hangul L/V/T/LV/LVT; regional indicators;
 * Extended_Pictographic ~ So and the emoji blocks. Not handled: Prepend
 * characters (rare; here they end up with the cluster before them) and
 * the Indic conjunct rule of Unicode 15.1 (GB9c). The Rust code uses the
 * unicode-segmentation crate's extended clusters; only clusters under six
 * bytes whose prefix is in the charsmap are affected by a difference. */
enum gcb { G_OTHER, G_CR, G_LF, G_CONTROL, G_EXTEND, G_ZWJ, G_SPACING, G_L, G_V, G_T, G_LV,
           G_LVT, G_RI, G_PICT };

static enum gcb gcb_of(uint32_t c)
{
    if (c == '\r')
        return G_CR;
    if (c == '\n')
        return G_LF;
    if (c == 0x200D)
        return G_ZWJ;
    if (c == 0x200C || c == 0xFF9E || c == 0xFF9F || (c >= 0x1F3FB && c <= 0x1F3FF) ||
        (c >= 0xE0020 && c <= 0xE007F))
        return G_EXTEND;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0xA960 && c <= 0xA97C))
        return G_L;
    if ((c >= 0x1160 && c <= 0x11A7) || (c >= 0xD7B0 && c <= 0xD7C6))
        return G_V;
    if ((c >= 0x11A8 && c <= 0x11FF) || (c >= 0xD7CB && c <= 0xD7FB))
        return G_T;
    if (c >= 0xAC00 && c <= 0xD7A3)
        return (c - 0xAC00) % 28 == 0 ? G_LV : G_LVT;
    if (c >= 0x1F1E6 && c <= 0x1F1FF)
        return G_RI;
    if (c == 0x0E33 || c == 0x0EB3)
        return G_SPACING; /* Thai and Lao AM: letters that are SpacingMark */
    /* Spacing marks UAX #29 leaves out of SpacingMark (Myanmar, Tai Tham,
     * Tai Viet and Ahom vowel signs): they start a new cluster. */
    if (c == 0x102B || c == 0x102C || c == 0x1038 || (c >= 0x1062 && c <= 0x1064) ||
        (c >= 0x1067 && c <= 0x106D) || c == 0x1083 || (c >= 0x1087 && c <= 0x108C) ||
        c == 0x108F || (c >= 0x109A && c <= 0x109C) || c == 0x1A61 || c == 0x1A63 ||
        c == 0x1A64 || c == 0xAA7B || c == 0xAA7D || c == 0x11720 || c == 0x11721)
        return G_OTHER;
    switch (ia_unicode_category(c)) {
    case IA_UCAT_Mn:
    case IA_UCAT_Me:
        return G_EXTEND;
    case IA_UCAT_Mc:
        return G_SPACING;
    case IA_UCAT_Cc:
    case IA_UCAT_Zl:
    case IA_UCAT_Zp:
    case IA_UCAT_Cf:
        return G_CONTROL;
    case IA_UCAT_So:
        return G_PICT;
    default:
        break;
    }
    if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF))
        return G_PICT;
    return G_OTHER;
}

/* End of the cluster starting at s[i]. */
static size_t grapheme_end(const char *s, size_t len, size_t i)
{
    size_t k;
    uint32_t cp = dec(s + i, len - i, &k);
    enum gcb prev = gcb_of(cp);
    bool pict_seq = prev == G_PICT; /* ExtPict Extend* so far */
    int ri = prev == G_RI ? 1 : 0;
    i += k;
    while (i < len) {
        cp = dec(s + i, len - i, &k);
        enum gcb g = gcb_of(cp);
        bool join;
        if (prev == G_CR)
            join = g == G_LF;
        else if (prev == G_LF || prev == G_CONTROL || g == G_CR || g == G_LF || g == G_CONTROL)
            join = false;
        else if (prev == G_L)
            join = g == G_L || g == G_V || g == G_LV || g == G_LVT || g == G_EXTEND ||
                   g == G_ZWJ || g == G_SPACING;
        else if ((prev == G_LV || prev == G_V) && (g == G_V || g == G_T))
            join = true;
        else if ((prev == G_LVT || prev == G_T) && g == G_T)
            join = true;
        else if (g == G_EXTEND || g == G_ZWJ || g == G_SPACING)
            join = true;
        else if (prev == G_ZWJ && g == G_PICT && pict_seq)
            join = true;
        else if (prev == G_RI && g == G_RI && ri % 2 == 1)
            join = true;
        else
            join = false;
        if (!join)
            break;
        if (g == G_RI)
            ri++;
        if (g != G_EXTEND && g != G_ZWJ && g != G_PICT)
            pict_seq = false;
        if (g == G_PICT && prev != G_ZWJ)
            pict_seq = false;
        prev = g;
        i += k;
    }
    return i;
}

static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* precompiled.rs replace(): the replacement's characters each replace one
 * (change 0); when it is longer than what it replaces, its last extra
 * characters become insertions (1); when shorter, the last change so far
 * (possibly a previous character's) removes the difference. With nothing
 * before it, a removal at the very start is lost, as in Rust. */
static ia_status push_norm(cvec *c, const char *r, size_t rlen, size_t old_count,
                           ia_error *err)
{
    long new_count = 0;
    ia_status st = IA_OK;
    for (size_t i = 0; i < rlen && st == IA_OK; new_count++) {
        size_t k;
        uint32_t cp = dec(r + i, rlen - i, &k);
        st = cpush(c, cp, 0, err);
        i += k;
    }
    if (st != IA_OK)
        return st;
    long diff = new_count - (long)old_count;
    if (diff > 0) {
        for (size_t i = 0; i < (size_t)diff && i < c->n; i++)
            c->v[c->n - 1 - i].change = 1;
    } else if (diff < 0 && c->n > 0) {
        c->v[c->n - 1].change += (int32_t)diff;
    }
    return IA_OK;
}

static ia_status precompiled(const tk_normalizer *n, tk_nstr *ns, ia_error *err)
{
    cvec c = {0};
    bool modified = false;
    ia_status st = IA_OK;
    const char *s = ns->s;
    for (size_t i = 0; i < ns->len && st == IA_OK;) {
        size_t ge = grapheme_end(s, ns->len, i);
        size_t rlen;
        const char *r;
        if (ge - i < 6 && (r = pc_transform(n, s + i, ge - i, &rlen)) != NULL) {
            modified = true;
            st = push_norm(&c, r, rlen, count_chars(s + i, ge - i), err);
            i = ge;
            continue;
        }
        while (i < ge && st == IA_OK) {
            size_t k;
            uint32_t cp = dec(s + i, ns->len - i, &k);
            r = pc_transform(n, s + i, k, &rlen);
            if (r) {
                modified = true;
                st = push_norm(&c, r, rlen, 1, err);
            } else {
                st = cpush(&c, cp, 0, err);
            }
            i += k;
        }
    }
    if (st == IA_OK && modified)
        st = tk_nstr_transform(ns, c.v, c.n, 0, err);
    free(c.v);
    return st;
}

static ia_status parse_precompiled(const tk_load *ld, const cJSON *v, const char *path,
                                   tk_normalizer *n)
{
    const char *b64;
    ia_status st = tk_json_string(ld, v, path, "precompiled_charsmap", true, NULL, &b64);
    if (st != IA_OK)
        return st;
    char p[TK_PATH_MAX];
    tk_path_key(p, path, "precompiled_charsmap");
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (!b64decode(b64, &bytes, &len))
        return tk_json_fail(ld, IA_ERR_PARSE, p, "not valid base64");
    uint32_t trie_size = 0;
    if (len >= 4)
        trie_size = (uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) |
                    ((uint32_t)bytes[3] << 24);
    if (len < 4 || trie_size > len - 4 || trie_size % 4 != 0) {
        free(bytes);
        return tk_json_fail(ld, IA_ERR_PARSE, p,
                            "cannot parse the precompiled charsmap (%zu bytes)", len);
    }
    n->trie_n = trie_size / 4;
    n->repl_len = len - 4 - trie_size;
    n->trie = malloc((n->trie_n ? n->trie_n : 1) * sizeof *n->trie);
    n->repl = malloc(n->repl_len + 1);
    if (!n->trie || !n->repl) {
        free(bytes);
        return tk_json_fail(ld, IA_ERR_NOMEM, p, "out of memory");
    }
    for (size_t i = 0; i < n->trie_n; i++) {
        const unsigned char *b = bytes + 4 + 4 * i;
        n->trie[i] = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
                     ((uint32_t)b[3] << 24);
    }
    memcpy(n->repl, bytes + 4 + trie_size, n->repl_len);
    n->repl[n->repl_len] = '\0';
    free(bytes);
    /* The replacements must be UTF-8 (the crate checks it too). */
    for (size_t i = 0; i < n->repl_len;) {
        if (n->repl[i] == '\0') {
            i++;
            continue;
        }
        uint32_t cp;
        int k = ia_utf8_decode(n->repl + i, n->repl_len - i, &cp);
        if (k <= 0)
            return tk_json_fail(ld, IA_ERR_PARSE, p,
                                "the charsmap's normalized strings are not UTF-8 (byte %zu)", i);
        i += (size_t)k;
    }
    return IA_OK;
}

/* --- parsing ---------------------------------------------------------------------- */

/* {"String": s} or {"Regex": r} at path; String patterns are escaped
 * regexes in the Rust library, which only matters for the empty string
 * (it matches everywhere): that one becomes the empty regex. */
static ia_status parse_pattern(const tk_load *ld, const cJSON *obj, const char *path,
                               tk_pattern *pat, ia_regex **re, char **str)
{
    const cJSON *pv;
    ia_status st = tk_json_object(ld, obj, path, "pattern", true, &pv);
    if (st != IA_OK)
        return st;
    char p[TK_PATH_MAX];
    tk_path_key(p, path, "pattern");
    const char *s = NULL, *r = NULL;
    if ((st = tk_json_string(ld, pv, p, "String", false, NULL, &s)) != IA_OK ||
        (st = tk_json_string(ld, pv, p, "Regex", false, NULL, &r)) != IA_OK)
        return st;
    if (!s && !r)
        return tk_json_fail(ld, IA_ERR_PARSE, p, "expected {\"String\": ...} or {\"Regex\": ...}");
    memset(pat, 0, sizeof *pat);
    if (s && *s) {
        *str = dup_str(s);
        if (!*str)
            return tk_json_fail(ld, IA_ERR_NOMEM, p, "out of memory");
        pat->kind = TK_PATTERN_STRING;
        pat->str = *str;
        pat->str_len = strlen(*str);
        return IA_OK;
    }
    const char *src = s ? "" : r;
    ia_error rerr;
    st = ia_regex_compile(src, 0, re, &rerr);
    if (st != IA_OK) {
        char rp[TK_PATH_MAX];
        tk_path_key(rp, p, "Regex");
        return tk_json_fail(ld, st, rp, "%s", rerr.message);
    }
    pat->kind = TK_PATTERN_REGEX;
    pat->re = *re;
    return IA_OK;
}

static ia_status parse_one(const tk_load *ld, const cJSON *v, const char *path,
                           tk_normalizer **out)
{
    const char *type;
    ia_status st = tk_json_component_type(ld, v, path, &type);
    if (st != IA_OK)
        return st;
    static const struct {
        const char *name;
        nkind kind;
    } kinds[] = {{"BertNormalizer", N_BERT}, {"NFC", N_NFC}, {"NFD", N_NFD},
                 {"NFKC", N_NFKC}, {"NFKD", N_NFKD}, {"Lowercase", N_LOWERCASE},
                 {"StripAccents", N_STRIP_ACCENTS}, {"Strip", N_STRIP},
                 {"Replace", N_REPLACE}, {"Prepend", N_PREPEND},
                 {"Precompiled", N_PRECOMPILED}, {"Nmt", N_NMT}, {"ByteLevel", N_BYTE_LEVEL},
                 {"Sequence", N_SEQUENCE}};
    int found = -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, type) == 0)
            found = (int)i;
    if (found < 0)
        return tk_json_unknown_type(ld, path, "normalizer", type, SUPPORTED);
    tk_normalizer *n = alloc_normalizer(kinds[found].kind, ld->err);
    if (!n)
        return IA_ERR_NOMEM;
    switch (n->kind) {
    case N_BERT: {
        bool sa_set = false, sa = false;
        const cJSON *sav = cJSON_GetObjectItemCaseSensitive(v, "strip_accents");
        if ((st = tk_json_bool(ld, v, path, "clean_text", true, true, &n->clean_text)) ||
            (st = tk_json_bool(ld, v, path, "handle_chinese_chars", true, true, &n->chinese)) ||
            (st = tk_json_bool(ld, v, path, "lowercase", true, true, &n->lowercase)) ||
            (st = tk_json_bool(ld, v, path, "strip_accents", false, false, &sa)))
            break;
        sa_set = sav && !cJSON_IsNull(sav);
        n->strip_accents = sa_set ? sa : n->lowercase;
        break;
    }
    case N_STRIP:
        if ((st = tk_json_bool(ld, v, path, "strip_left", true, false, &n->left)) == IA_OK)
            st = tk_json_bool(ld, v, path, "strip_right", true, false, &n->right);
        break;
    case N_REPLACE: {
        const char *content;
        st = tk_json_string(ld, v, path, "content", true, NULL, &content);
        if (st == IA_OK)
            st = parse_pattern(ld, v, path, &n->pat, &n->re, &n->str);
        if (st == IA_OK && !(n->content = dup_str(content)))
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
        break;
    }
    case N_PREPEND:
    case N_APPEND: {
        const char *key = n->kind == N_PREPEND ? "prepend" : "append", *s;
        st = tk_json_string(ld, v, path, key, true, NULL, &s);
        if (st == IA_OK && !(n->str = dup_str(s)))
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
        break;
    }
    case N_PRECOMPILED:
        st = parse_precompiled(ld, v, path, n);
        break;
    case N_SEQUENCE: {
        const cJSON *arr;
        st = tk_json_array(ld, v, path, "normalizers", true, &arr);
        if (st != IA_OK)
            break;
        size_t cnt = (size_t)cJSON_GetArraySize(arr);
        n->seq = calloc(cnt ? cnt : 1, sizeof *n->seq);
        if (!n->seq) {
            st = tk_json_fail(ld, IA_ERR_NOMEM, path, "out of memory");
            break;
        }
        char ap[TK_PATH_MAX];
        tk_path_key(ap, path, "normalizers");
        const cJSON *it;
        size_t i = 0;
        cJSON_ArrayForEach(it, arr)
        {
            char ip[TK_PATH_MAX];
            tk_path_index(ip, ap, i++);
            tk_normalizer *child = NULL;
            if (cJSON_IsNull(it)) {
                st = tk_json_fail(ld, IA_ERR_PARSE, ip, "expected an object, found null");
                break;
            }
            st = parse_one(ld, it, ip, &child);
            if (st != IA_OK)
                break;
            n->seq[n->nseq++] = child;
        }
        break;
    }
    default:
        break;
    }
    if (st != IA_OK) {
        tk_normalizer_free(n);
        return st;
    }
    *out = n;
    return IA_OK;
}

ia_status tk_normalizer_parse(const tk_load *ld, const cJSON *v, const char *path,
                              tk_normalizer **out)
{
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return IA_OK;
    return parse_one(ld, v, path, out);
}

/* --- applying ------------------------------------------------------------------------ */

/* BertNormalizer on ASCII text with no character clean_text drops: every
 * step then maps one byte to one byte (whitespace to a space, A-Z to a-z;
 * NFD, marks and CJK have nothing to do), so the bytes change in place and
 * the alignments stay. Most text fed to BERT models takes this path. */
static bool bert_ascii_in_place(const tk_normalizer *n, tk_nstr *ns)
{
    for (size_t i = 0; i < ns->len; i++) {
        unsigned char c = (unsigned char)ns->s[i];
        if (c >= 0x7F || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
            return false;
    }
    for (size_t i = 0; i < ns->len; i++) {
        unsigned char c = (unsigned char)ns->s[i];
        if (n->clean_text && (c == '\t' || c == '\n' || c == '\r'))
            c = ' ';
        if (n->lowercase && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        ns->s[i] = (char)c;
    }
    return true;
}

ia_status tk_normalizer_apply(const tk_normalizer *n, tk_nstr *ns, ia_error *err)
{
    if (!n)
        return IA_OK;
    ia_status st = IA_OK;
    switch (n->kind) {
    case N_BERT:
        if (bert_ascii_in_place(n, ns))
            return IA_OK;
        if (n->clean_text) {
            st = tk_nstr_filter(ns, bert_keep, NULL, err);
            if (st == IA_OK)
                st = tk_nstr_map(ns, bert_space, NULL, err);
        }
        if (st == IA_OK && n->chinese)
            st = bert_chinese(ns, err);
        if (st == IA_OK && n->strip_accents) {
            st = tk_nstr_normalize(ns, IA_UNICODE_NFD, err);
            if (st == IA_OK)
                st = tk_nstr_filter(ns, not_bert_mn, NULL, err);
        }
        if (st == IA_OK && n->lowercase)
            st = tk_nstr_lowercase(ns, err);
        return st;
    case N_NFC:
        return tk_nstr_normalize(ns, IA_UNICODE_NFC, err);
    case N_NFD:
        return tk_nstr_normalize(ns, IA_UNICODE_NFD, err);
    case N_NFKC:
        return tk_nstr_normalize(ns, IA_UNICODE_NFKC, err);
    case N_NFKD:
        return tk_nstr_normalize(ns, IA_UNICODE_NFKD, err);
    case N_LOWERCASE:
        return tk_nstr_lowercase(ns, err);
    case N_STRIP_ACCENTS:
        return tk_nstr_filter(ns, not_mark, NULL, err);
    case N_STRIP:
        return tk_nstr_strip(ns, n->left, n->right, err);
    case N_REPLACE:
        return tk_nstr_replace(ns, &n->pat, n->content, err);
    case N_PREPEND:
        return tk_nstr_prepend(ns, n->str, err);
    case N_APPEND:
        return tk_nstr_append(ns, n->str, err);
    case N_PRECOMPILED:
        return precompiled(n, ns, err);
    case N_NMT:
        st = tk_nstr_filter(ns, nmt_keep, NULL, err);
        if (st == IA_OK)
            st = tk_nstr_map(ns, nmt_map, NULL, err);
        return st;
    case N_BYTE_LEVEL:
        return byte_level(ns, err);
    case N_SEQUENCE:
        for (size_t i = 0; i < n->nseq && st == IA_OK; i++)
            st = tk_normalizer_apply(n->seq[i], ns, err);
        return st;
    }
    return ia_error_set(err, IA_ERR_INTERNAL, "tokenizer: unknown normalizer kind %d",
                        (int)n->kind);
}
