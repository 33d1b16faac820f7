#!/usr/bin/env python3
"""Generates the Unicode tables for src/tokenizer/unicode.c.

Usage: gen_unicode_tables.py UCD_DIR OUTPUT.c

Reads, from the Unicode Character Database in UCD_DIR (Debian's unicode-data
package installs it in /usr/share/unicode):
  UnicodeData.txt               general category, canonical combining class,
                                decomposition mappings (canonical and
                                compatibility)
  DerivedNormalizationProps.txt Full_Composition_Exclusion
  PropList.txt                  White_Space
  DerivedAge.txt                the version each code point was assigned in
and writes one C source holding:
  - a two-level table (256-code-point blocks, identical blocks stored once)
    mapping each code point to a property record: category, combining class,
    White_Space, and the Rust-compatibility flags (see COMPAT_FLAGS below);
  - a two-level table mapping each code point to its one-level decomposition
    (an offset into one array of code points), with the compatibility flag;
  - the sorted table of primary composites (first, second -> composite).
The tables are reached only through the functions declared at the top of the
output, which src/tokenizer/unicode.c declares too, and through
ia_unicode_rust_compat (ipfs_accelerate/unicode.h), defined in the output.
Standard library only.
"""
import os
import sys

CATEGORIES = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
              "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So",
              "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"]
NCP = 0x110000
BLOCK = 256

# The Rust tokenizers library takes some character classes from crates whose
# tables are older than our UCD. Each class is rebuilt here by a rule: the
# code points assigned by the crate's Unicode version (DerivedAge.txt) whose
# general category in that version is in a given set. tests/unicode_compat.js
# checks every flag against the Rust library over every code point.
#
# The crates' versions, found by that comparison (the version before or
# after gives dozens to hundreds of differences in the mark and
# punctuation classes):
UNICODE_CATEGORIES_VERSION = (8, 0)  # unicode_categories 0.1.1 (bert.rs, punctuation)
NORMALIZATION_VERSION = (9, 0)  # unicode-normalization-alignments 0.1.12

# The category a code point had before a later version changed it, for the
# rule "category in version V": (first, last, old category, version of the
# change, new category). The UCD keeps only the current category, so these
# few are listed by hand: every change between 8.0 and 15.0 that moves a
# code point assigned by 9.0 into or out of a class below (compared with the
# General_Category lists of each version; the other changes since 8.0 are
# Georgian Lo -> Ll, U+10D0.., in 11.0, and U+11A07..11A08, assigned in 10.0).
# The test checks each at the crates' versions.
CATEGORY_CHANGES = [
    (0x1734, 0x1734, "Mn", (14, 0), "Mc"),    # HANUNOO SIGN PAMUDPOD
    (0x1885, 0x1886, "Lo", (9, 0), "Mn"),     # MONGOLIAN LETTER ALI GALI BALUDA..
    (0xA9BD, 0xA9BD, "Mc", (12, 0), "Mn"),    # JAVANESE CONSONANT SIGN KERET
    (0x111C9, 0x111C9, "Po", (11, 0), "Mn"),  # SHARADA SANDHI MARK
    (0x1CF2, 0x1CF3, "Mc", (12, 0), "Lo"),    # VEDIC SIGN ARDHAVISARGA..
    (0x166D, 0x166D, "Po", (12, 0), "So"),    # CANADIAN SYLLABICS CHI SIGN
]

# The flags, as IA_UCOMPAT_* in include/ipfs_accelerate/unicode.h.
#   BERT_MN       unicode_categories is_mark_nonspacing: Mn in 8.0
#                 (BertNormalizer's strip_accents)
#   MARK          unicode_normalization_alignments is_combining_mark: Mn, Mc
#                 or Me in 9.0 (StripAccents)
#   OTHER         unicode_categories is_other: Cc, Cf or Co in 8.0 (the
#                 crate has no unassigned code points; BertNormalizer's
#                 clean_text)
#   PUNCT         char::is_ascii_punctuation (ASCII P* and S*) or
#                 unicode_categories is_punctuation: P* in 8.0 (the
#                 Punctuation and BERT pre-tokenizers)
#   UNDECOMPOSED  what our tables decompose (canonically or not) or give a
#                 nonzero combining class, assigned after 9.0: the
#                 normalisation crate leaves it alone as a starter
COMPAT_FLAGS = ["BERT_MN", "MARK", "OTHER", "PUNCT", "UNDECOMPOSED"]


def fail(msg):
    sys.stderr.write("gen_unicode_tables.py: error: %s\n" % msg)
    sys.exit(1)


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    yield line
    except OSError as e:
        fail("%s: %s (install Debian's unicode-data: run scripts/bootstrap.sh)" % (path, e.strerror))


def parse_range(field):
    field = field.strip()
    if ".." in field:
        a, b = field.split("..")
        return int(a, 16), int(b, 16)
    return int(field, 16), int(field, 16)


def read_property(path, name):
    out = set()
    for line in read_lines(path):
        fields = [x.strip() for x in line.split(";")]
        if len(fields) >= 2 and fields[1] == name:
            lo, hi = parse_range(fields[0])
            out.update(range(lo, hi + 1))
    if not out:
        fail("%s: no code point has %s" % (path, name))
    return out


def read_ages(path):
    """Returns a list: the (major, minor) version each code point was
    assigned in, None for unassigned ones."""
    age = [None] * NCP
    for line in read_lines(path):
        fields = [x.strip() for x in line.split(";")]
        if len(fields) < 2:
            fail("%s: malformed line: %s" % (path, line))
        lo, hi = parse_range(fields[0])
        ver = tuple(int(x) for x in fields[1].split("."))
        for cp in range(lo, hi + 1):
            age[cp] = ver
    if age[0x41] is None:
        fail("%s: no age for U+0041" % path)
    return age


def compat_flags(cat, ccc, decomp, age):
    """The Rust-compatibility flags of every code point (see COMPAT_FLAGS)."""
    changed = {}
    for lo, hi, old, ver, new in CATEGORY_CHANGES:
        for cp in range(lo, hi + 1):
            if CATEGORIES[cat[cp]] != new:
                fail("U+%04X: CATEGORY_CHANGES says %s, UnicodeData.txt %s" %
                     (cp, new, CATEGORIES[cat[cp]]))
            changed[cp] = (old, ver)

    def category_in(cp, ver):
        """cp's category in version ver; None when not yet assigned."""
        if age[cp] is None or age[cp] > ver:
            return None
        if cp in changed and ver < changed[cp][1]:
            return changed[cp][0]
        return CATEGORIES[cat[cp]]

    bit = {name: 1 << i for i, name in enumerate(COMPAT_FLAGS)}
    flags = [0] * NCP
    for cp in range(NCP):
        f = 0
        old = category_in(cp, UNICODE_CATEGORIES_VERSION)
        if old == "Mn":
            f |= bit["BERT_MN"]
        if old in ("Cc", "Cf", "Co"):
            f |= bit["OTHER"]
        if (old and old[0] == "P") or (cp < 0x80 and CATEGORIES[cat[cp]][0] in "PS"):
            f |= bit["PUNCT"]
        norm = category_in(cp, NORMALIZATION_VERSION)
        if norm and norm[0] == "M":
            f |= bit["MARK"]
        if norm is None and (cp in decomp or ccc[cp] != 0):
            f |= bit["UNDECOMPOSED"]
        flags[cp] = f
    return flags


def flag_names(f):
    names = ["IA_UCOMPAT_" + n for i, n in enumerate(COMPAT_FLAGS) if f & (1 << i)]
    return " | ".join(names) if names else "0"


def two_level(values, name, ctype):
    """Splits values (one per code point) into blocks; returns C text."""
    blocks = {}
    order = []
    index = []
    for b in range(NCP // BLOCK):
        blk = tuple(values[b * BLOCK:(b + 1) * BLOCK])
        if blk not in blocks:
            blocks[blk] = len(order)
            order.append(blk)
        index.append(blocks[blk])
    itype = "uint8_t" if len(order) <= 256 else "uint16_t"
    lines = ["static const %s %s_index[%d] = {" % (itype, name, len(index))]
    for i in range(0, len(index), 16):
        lines.append("    " + ", ".join(str(x) for x in index[i:i + 16]) + ",")
    lines.append("};")
    lines.append("static const %s %s_blocks[%d] = {" % (ctype, name, len(order) * BLOCK))
    for blk in order:
        for i in range(0, BLOCK, 16):
            lines.append("    " + ", ".join(str(x) for x in blk[i:i + 16]) + ",")
    lines.append("};")
    size = len(index) * (1 if itype == "uint8_t" else 2)
    size += len(order) * BLOCK * (1 if ctype == "uint8_t" else 2)
    return "\n".join(lines), len(order), size


def main():
    if len(sys.argv) != 3:
        fail("usage: gen_unicode_tables.py UCD_DIR OUTPUT.c")
    ucd, out_path = sys.argv[1], sys.argv[2]

    cat = [CATEGORIES.index("Cn")] * NCP
    ccc = [0] * NCP
    decomp = {}  # cp -> (compat, [cps])
    lower = {}  # cp -> [cps]: char::to_lowercase
    first = None
    for line in read_lines(os.path.join(ucd, "UnicodeData.txt")):
        f = line.split(";")
        if len(f) != 15:
            fail("UnicodeData.txt: malformed line: %s" % line)
        cp = int(f[0], 16)
        if f[2] not in CATEGORIES:
            fail("UnicodeData.txt: unknown category %s" % f[2])
        c, k = CATEGORIES.index(f[2]), int(f[3])
        if f[1].endswith(", First>"):
            first = cp
            continue
        lo = first if f[1].endswith(", Last>") else cp
        first = None
        for x in range(lo, cp + 1):
            cat[x] = c
            ccc[x] = k
        if f[13] and lo == cp:
            lower[cp] = [int(f[13], 16)]
        if f[5]:
            parts = f[5].split()
            compat = parts[0].startswith("<")
            if compat:
                parts = parts[1:]
            decomp[cp] = (compat, [int(p, 16) for p in parts])

    # SpecialCasing.txt's unconditional lowercase mappings override the
    # simple ones, as Rust's char::to_lowercase does ("İ" -> "i̇").
    for line in read_lines(os.path.join(ucd, "SpecialCasing.txt")):
        f = [x.strip() for x in line.split("#")[0].split(";")]
        if len(f) < 4:
            fail("SpecialCasing.txt: malformed line: %s" % line)
        if len(f) >= 5 and f[4]:
            continue  # conditional (Final_Sigma, language-specific)
        cp = int(f[0], 16)
        low = [int(x, 16) for x in f[1].split()]
        if low != [cp]:
            lower[cp] = low
        elif cp in lower:
            del lower[cp]
    if any(len(v) > 3 for v in lower.values()):
        fail("a lowercase mapping longer than 3 code points")

    excluded = read_property(os.path.join(ucd, "DerivedNormalizationProps.txt"),
                             "Full_Composition_Exclusion")
    white = read_property(os.path.join(ucd, "PropList.txt"), "White_Space")
    # The version, from the first line: "# PropList-15.0.0.txt".
    with open(os.path.join(ucd, "PropList.txt"), encoding="utf-8") as f:
        head = f.readline().strip()
    if not (head.startswith("# PropList-") and head.endswith(".txt")):
        fail("PropList.txt: no version on its first line")
    version = head[len("# PropList-"):-len(".txt")]
    flags = compat_flags(cat, ccc, decomp, read_ages(os.path.join(ucd, "DerivedAge.txt")))

    # Property records: (category, ccc, white space, compatibility flags).
    records = {}
    rec_list = []
    props = [0] * NCP
    for cp in range(NCP):
        r = (cat[cp], ccc[cp], 1 if cp in white else 0, flags[cp])
        if r not in records:
            records[r] = len(rec_list)
            rec_list.append(r)
        props[cp] = records[r]
    if len(rec_list) > 256:
        fail("more than 256 property records")

    # Decompositions: one array; entry = header (length | compat << 8), cps.
    data = [0]  # offset 0 means "none"
    doff = [0] * NCP
    for cp in sorted(decomp):
        compat, cps = decomp[cp]
        doff[cp] = len(data)
        data.append(len(cps) | (0x100 if compat else 0))
        data.extend(cps)
    if len(data) > 0xFFFF:
        fail("decomposition data over 65535 entries")

    comps = []
    for cp in sorted(decomp):
        compat, cps = decomp[cp]
        if not compat and len(cps) == 2 and cp not in excluded:
            comps.append((cps[0], cps[1], cp))
    comps.sort()

    props_c, props_blocks, props_size = two_level(props, "ucd_props", "uint8_t")
    dec_c, dec_blocks, dec_size = two_level(doff, "ucd_decomp", "uint16_t")

    o = []
    o.append("/* Generated by scripts/gen_unicode_tables.py from %s; do not edit. */" % ucd)
    o.append("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n")
    o.append('#include "ipfs_accelerate/unicode.h"\n')
    o.append("unsigned ia_ucd_props(uint32_t cp, unsigned *ccc, bool *white_space);")
    o.append("const uint32_t *ia_ucd_decomposition(uint32_t cp, size_t *len, bool *compat);")
    o.append("uint32_t ia_ucd_compose(uint32_t a, uint32_t b);")
    o.append("size_t ia_ucd_table_bytes(void);")
    o.append("size_t ia_ucd_to_lower(uint32_t cp, uint32_t out[3]);")
    o.append("const char *ia_ucd_version(void);\n")
    o.append('const char *ia_ucd_version(void) { return "%s"; }\n' % version)
    o.append("/* %d property records; %d distinct blocks of %d (%d bytes). */" %
             (len(rec_list), props_blocks, NCP // BLOCK, props_size))
    o.append("static const struct { uint8_t cat, ccc, ws, compat; } ucd_records[%d] = {" %
             len(rec_list))
    for c, k, w, f in rec_list:
        o.append("    {IA_UCAT_%s, %d, %d, %s}," % (CATEGORIES[c], k, w, flag_names(f)))
    o.append("};")
    o.append(props_c)
    o.append("/* The compatibility flags of ASCII, the common case, at hand. */")
    o.append("static const uint8_t ucd_compat_ascii[128] = {")
    for i in range(0, 128, 16):
        o.append("    " + ", ".join(str(f) for f in flags[i:i + 16]) + ",")
    o.append("};")
    o.append("\n/* %d decompositions in %d entries; %d distinct blocks (%d bytes). */" %
             (len(decomp), len(data), dec_blocks, dec_size))
    o.append("static const uint32_t ucd_decomp_data[%d] = {" % len(data))
    for i in range(0, len(data), 12):
        o.append("    " + ", ".join("0x%X" % x for x in data[i:i + 12]) + ",")
    o.append("};")
    o.append(dec_c)
    o.append("\n/* %d primary composites, sorted by (first, second). */" % len(comps))
    o.append("static const uint32_t ucd_compositions[%d][3] = {" % len(comps))
    for a, b, c in comps:
        o.append("    {0x%X, 0x%X, 0x%X}," % (a, b, c))
    o.append("};")
    o.append("\n/* %d lowercase mappings, sorted: cp, count, up to 3 cps. */" % len(lower))
    o.append("static const uint32_t ucd_lower[%d][5] = {" % max(1, len(lower)))
    for cp in sorted(lower):
        v = lower[cp] + [0] * (3 - len(lower[cp]))
        o.append("    {0x%X, %d, 0x%X, 0x%X, 0x%X}," % (cp, len(lower[cp]), v[0], v[1], v[2]))
    o.append("};")
    o.append("""
size_t ia_ucd_to_lower(uint32_t cp, uint32_t out[3])
{
    size_t lo = 0, hi = sizeof ucd_lower / sizeof ucd_lower[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ucd_lower[mid][0] < cp)
            lo = mid + 1;
        else if (ucd_lower[mid][0] == cp) {
            size_t n = ucd_lower[mid][1];
            for (size_t i = 0; i < n; i++)
                out[i] = ucd_lower[mid][2 + i];
            return n;
        } else
            hi = mid;
    }
    out[0] = cp;
    return 1;
}""")
    o.append("""
static unsigned ucd_record(uint32_t cp)
{
    if (cp >= 0x110000u)
        cp = 0x10FFFF; /* a noncharacter: Cn, no flags */
    return ucd_props_blocks[(size_t)ucd_props_index[cp >> 8] * 256u + (cp & 255u)];
}

/* Defined here rather than in unicode.c: the tokenizers ask it for every
 * character, and ASCII, most of their input, is answered from one small
 * array. */
bool ia_unicode_rust_compat(uint32_t cp, unsigned flags)
{
    if (cp < 0x80)
        return (ucd_compat_ascii[cp] & flags) != 0;
    return cp < 0x110000u && (ucd_records[ucd_record(cp)].compat & flags) != 0;
}

unsigned ia_ucd_props(uint32_t cp, unsigned *ccc, bool *white_space)
{
    unsigned r = ucd_record(cp);
    if (ccc)
        *ccc = ucd_records[r].ccc;
    if (white_space)
        *white_space = ucd_records[r].ws != 0;
    return ucd_records[r].cat;
}

const uint32_t *ia_ucd_decomposition(uint32_t cp, size_t *len, bool *compat)
{
    if (cp >= 0x110000u)
        return NULL;
    unsigned off = ucd_decomp_blocks[(size_t)ucd_decomp_index[cp >> 8] * 256u + (cp & 255u)];
    if (off == 0)
        return NULL;
    *len = ucd_decomp_data[off] & 0xFFu;
    *compat = (ucd_decomp_data[off] & 0x100u) != 0;
    return &ucd_decomp_data[off + 1];
}

uint32_t ia_ucd_compose(uint32_t a, uint32_t b)
{
    size_t lo = 0, hi = sizeof ucd_compositions / sizeof ucd_compositions[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const uint32_t *e = ucd_compositions[mid];
        if (e[0] < a || (e[0] == a && e[1] < b))
            lo = mid + 1;
        else if (e[0] == a && e[1] == b)
            return e[2];
        else
            hi = mid;
    }
    return 0;
}

size_t ia_ucd_table_bytes(void)
{
    return sizeof ucd_records + sizeof ucd_props_index + sizeof ucd_props_blocks +
           sizeof ucd_decomp_data + sizeof ucd_decomp_index + sizeof ucd_decomp_blocks +
           sizeof ucd_compositions + sizeof ucd_lower + sizeof ucd_compat_ascii;
}""")
    text = "\n".join(o) + "\n"
    tmp = out_path + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_path)
    sys.stderr.write("gen_unicode_tables.py: %s: %d records, %d+%d blocks, %d decompositions, "
                     "%d composites, %d bytes of tables\n" %
                     (out_path, len(rec_list), props_blocks, dec_blocks, len(decomp), len(comps),
                      props_size + dec_size + 4 * len(data) + 12 * len(comps) + 4 * len(rec_list)))


if __name__ == "__main__":
    main()
