/* A small backtracking regex engine over UTF-8 (see ipfs_accelerate/regex.h).
 *
 * The pattern is parsed into a tree, the tree is compiled into a program for
 * a backtracking machine (RE2's "backtrack" / Pike's instruction set), and the
 * machine runs with an explicit heap stack, so matching does not recurse
 * except into lookahead, whose nesting the parser bounds. */
#include "ipfs_accelerate/regex.h"

#include <stdlib.h>
#include <string.h>

#include "ipfs_accelerate/unicode.h"

#define RX_MAX_DEPTH 200
#define RX_MAX_REPEAT 1000
#define RX_MAX_PROG 200000u
#define RX_DEFAULT_STEPS 10000000ull
#define RX_MAX_STACK (1u << 24)
#define RX_BADCP 0xFFFFFFFFu
#define RX_INF (-1)
#define RX_RESTORE UINT32_MAX

/* --- case mapping (simple, limited scripts; see the header) ---------------- */

static uint32_t rx_lower(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x178)
            return 0xFF;
        if (c == 0x17F)
            return 's';
        if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149)
            return c;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c;
        if (c < 0x139 || (c >= 0x14A && c <= 0x177))
            return (c & 1) ? c : c + 1;
        return c;
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;
    if (c == 0x3C2)
        return 0x3C3;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c == 0x212A)
        return 'k';
    if (c == 0x212B)
        return 0xE5;
    return c;
}

/* The uppercase partner of a lowercase l (l itself when there is none). */
static uint32_t rx_upper(uint32_t l)
{
    if (l >= 'a' && l <= 'z')
        return l - 32;
    if (l >= 0xE0 && l <= 0xFE && l != 0xF7)
        return l - 32;
    if (l == 0xFF)
        return 0x178;
    if (l >= 0x100 && l <= 0x17F) {
        if (l == 0x130 || l == 0x131 || l == 0x138 || l == 0x149 || l == 0x17F)
            return l;
        if ((l >= 0x139 && l <= 0x148) || (l >= 0x179 && l <= 0x17E))
            return (l & 1) ? l : l - 1;
        if (l < 0x139 || (l >= 0x14A && l <= 0x177))
            return (l & 1) ? l - 1 : l;
        return l;
    }
    if (l >= 0x3B1 && l <= 0x3CB && l != 0x3C2)
        return l - 32;
    if (l >= 0x430 && l <= 0x44F)
        return l - 32;
    if (l >= 0x450 && l <= 0x45F)
        return l - 80;
    return l;
}

/* --- character classes ------------------------------------------------------ */

enum { CI_RANGE, CI_CATS, CI_SPACE };

typedef struct rx_item {
    uint8_t kind;
    bool neg;
    uint32_t lo, hi;
    uint32_t mask; /* bit per ia_ucat */
} rx_item;

typedef struct rx_class {
    rx_item *items;
    size_t n, cap;
    bool neg;
    /* class_match's answer for each ASCII character, without and with
     * icase, filled once the pattern is compiled: most text is ASCII, and
     * the general test asks the Unicode tables item by item. */
    uint64_t ascii[2][2];
} rx_class;

static bool item_match(const rx_item *it, uint32_t c)
{
    bool r;
    switch (it->kind) {
    case CI_RANGE:
        return c >= it->lo && c <= it->hi;
    case CI_CATS:
        r = c != RX_BADCP && ((it->mask >> (unsigned)ia_unicode_category(c)) & 1u);
        break;
    default:
        r = c != RX_BADCP && ia_unicode_is_whitespace(c);
        break;
    }
    return it->neg ? !r : r;
}

static bool class_has(const rx_class *cl, uint32_t c)
{
    for (size_t i = 0; i < cl->n; i++)
        if (item_match(&cl->items[i], c))
            return true;
    return false;
}

static bool class_match(const rx_class *cl, uint32_t c, bool icase)
{
    bool r = class_has(cl, c);
    if (!r && icase && c != RX_BADCP) {
        uint32_t l = rx_lower(c), u = rx_upper(l);
        r = (l != c && class_has(cl, l)) || (u != c && u != l && class_has(cl, u));
        if (!r) {
            uint32_t extra = l == 's' ? 0x17F : l == 'k' ? 0x212A : l == 0xE5 ? 0x212B
                           : l == 0x3C3 ? 0x3C2 : 0;
            r = extra && extra != c && class_has(cl, extra);
        }
    }
    return cl->neg ? !r : r;
}

static void class_fill_ascii(rx_class *cl)
{
    memset(cl->ascii, 0, sizeof cl->ascii);
    for (int icase = 0; icase < 2; icase++)
        for (uint32_t c = 0; c < 128; c++)
            if (class_match(cl, c, icase != 0))
                cl->ascii[icase][c >> 6] |= 1ull << (c & 63);
}

static inline bool class_match_fast(const rx_class *cl, uint32_t c, bool icase)
{
    if (c < 128)
        return (cl->ascii[icase][c >> 6] >> (c & 63)) & 1u;
    return class_match(cl, c, icase);
}

/* --- the program ------------------------------------------------------------ */

enum { I_CHAR, I_ANY, I_CLASS, I_SPLIT, I_JMP, I_MATCH, I_BOL, I_EOL, I_BOT, I_EOT, I_LOOK,
       I_MARK, I_CHECK };

typedef struct rx_inst {
    uint8_t op;
    bool icase;
    bool neg;
    uint32_t x, y;
} rx_inst;

struct ia_regex {
    rx_inst *prog;
    size_t n, cap;
    rx_class *classes;
    size_t nclasses, ccap;
    size_t nslots;
    uint64_t step_limit;
};

/* --- the tree --------------------------------------------------------------- */

enum { N_EMPTY, N_CHAR, N_ANY, N_CLASS, N_CAT, N_ALT, N_REPEAT, N_LOOK, N_BOL, N_EOL, N_BOT,
       N_EOT };

typedef struct rx_node {
    int type;
    bool icase, neg, greedy;
    uint32_t cp;
    int min, max;
    size_t cls;
    struct rx_node *kids, *last, *next; /* children, and the next sibling */
    struct rx_node *all;                /* every node, for freeing */
} rx_node;

typedef struct rx_parser {
    const char *p;
    size_t pos, len;
    ia_regex *re;
    ia_error *err;
    ia_status st;
    rx_node *all;
    int depth;
} rx_parser;

static void perr(rx_parser *ps, ia_status st, size_t off, const char *what)
{
    if (ps->st == IA_OK)
        ps->st = ia_error_set(ps->err, st, "regex: %s at offset %zu", what, off);
}

static rx_node *node_new(rx_parser *ps, int type)
{
    rx_node *n = calloc(1, sizeof *n);
    if (!n) {
        if (ps->st == IA_OK)
            ps->st = ia_error_set(ps->err, IA_ERR_NOMEM, "regex: out of memory");
        return NULL;
    }
    n->type = type;
    n->all = ps->all;
    ps->all = n;
    return n;
}

static void node_add(rx_node *parent, rx_node *kid)
{
    if (parent->last)
        parent->last->next = kid;
    else
        parent->kids = kid;
    parent->last = kid;
}

static size_t class_new(rx_parser *ps)
{
    ia_regex *re = ps->re;
    if (re->nclasses == re->ccap) {
        size_t cap = re->ccap ? re->ccap * 2 : 8;
        rx_class *c = realloc(re->classes, cap * sizeof *c);
        if (!c) {
            perr(ps, IA_ERR_NOMEM, ps->pos, "out of memory");
            return SIZE_MAX;
        }
        re->classes = c;
        re->ccap = cap;
    }
    memset(&re->classes[re->nclasses], 0, sizeof re->classes[0]);
    return re->nclasses++;
}

static bool class_add(rx_parser *ps, size_t ci, rx_item it)
{
    rx_class *cl = &ps->re->classes[ci];
    if (cl->n == cl->cap) {
        size_t cap = cl->cap ? cl->cap * 2 : 4;
        rx_item *items = realloc(cl->items, cap * sizeof *items);
        if (!items) {
            perr(ps, IA_ERR_NOMEM, ps->pos, "out of memory");
            return false;
        }
        cl->items = items;
        cl->cap = cap;
    }
    cl->items[cl->n++] = it;
    return true;
}

/* Reads one code point of the pattern at ps->pos. */
static bool pat_cp(rx_parser *ps, uint32_t *cp)
{
    int k = ia_utf8_decode(ps->p + ps->pos, ps->len - ps->pos, cp);
    if (k <= 0) {
        perr(ps, IA_ERR_PARSE, ps->pos, k == 0 ? "unexpected end of pattern" : "invalid UTF-8");
        return false;
    }
    ps->pos += (size_t)k;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static uint32_t cats_mask(const char *name, size_t n)
{
    static const struct { const char *name; const char *letter; } longs[] = {
        {"Letter", "L"}, {"Mark", "M"}, {"Number", "N"}, {"Punctuation", "P"},
        {"Symbol", "S"}, {"Separator", "Z"}, {"Other", "C"}};
    if (n == 3 && memcmp(name, "Any", 3) == 0)
        return (1u << IA_UCAT_COUNT) - 1u;
    if (n == 2 && (memcmp(name, "L&", 2) == 0 || memcmp(name, "LC", 2) == 0))
        return (1u << IA_UCAT_Lu) | (1u << IA_UCAT_Ll) | (1u << IA_UCAT_Lt);
    for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++)
        if (strlen(longs[i].name) == n && memcmp(longs[i].name, name, n) == 0)
            return cats_mask(longs[i].letter, 1);
    uint32_t mask = 0;
    for (int c = 0; c < IA_UCAT_COUNT; c++) {
        const char *cn = ia_unicode_category_name((ia_ucat)c);
        if ((n == 1 && cn[0] == name[0]) || (n == 2 && cn[0] == name[0] && cn[1] == name[1]))
            mask |= 1u << c;
    }
    return mask;
}

/* Parses an escape; ps->pos is just after the backslash at offset `at`.
 * Returns 0 with *cp for a literal, 1 with *item for a class-like escape,
 * 2 with *cp = N_BOT / N_EOT for \A \z (outside classes), -1 on error. */
static int parse_escape(rx_parser *ps, size_t at, bool in_class, uint32_t *cp, rx_item *item)
{
    if (ps->pos >= ps->len) {
        perr(ps, IA_ERR_PARSE, at, "trailing backslash");
        return -1;
    }
    char c = ps->p[ps->pos];
    memset(item, 0, sizeof *item);
    switch (c) {
    case 't': ps->pos++; *cp = '\t'; return 0;
    case 'n': ps->pos++; *cp = '\n'; return 0;
    case 'r': ps->pos++; *cp = '\r'; return 0;
    case 'f': ps->pos++; *cp = '\f'; return 0;
    case 'v': ps->pos++; *cp = '\v'; return 0;
    case 'a': ps->pos++; *cp = 7; return 0;
    case 'e': ps->pos++; *cp = 27; return 0;
    case '0': ps->pos++; *cp = 0; return 0;
    case 's': case 'S':
        ps->pos++;
        item->kind = CI_SPACE;
        item->neg = c == 'S';
        return 1;
    case 'd': case 'D':
        ps->pos++;
        item->kind = CI_CATS;
        item->mask = 1u << IA_UCAT_Nd;
        item->neg = c == 'D';
        return 1;
    case 'w': case 'W':
        ps->pos++;
        item->kind = CI_CATS;
        item->mask = cats_mask("L", 1) | cats_mask("M", 1) | (1u << IA_UCAT_Nd) | (1u << IA_UCAT_Pc);
        item->neg = c == 'W';
        return 1;
    case 'p': case 'P': {
        ps->pos++;
        if (ps->pos >= ps->len || ps->p[ps->pos] != '{') {
            perr(ps, IA_ERR_PARSE, at, "expected { after \\p");
            return -1;
        }
        size_t b = ++ps->pos;
        while (ps->pos < ps->len && ps->p[ps->pos] != '}')
            ps->pos++;
        if (ps->pos >= ps->len) {
            perr(ps, IA_ERR_PARSE, at, "unclosed property name");
            return -1;
        }
        size_t e = ps->pos++;
        bool neg = c == 'P';
        if (b < e && ps->p[b] == '^') {
            neg = !neg;
            b++;
        }
        uint32_t mask = e > b ? cats_mask(ps->p + b, e - b) : 0;
        if (!mask) {
            perr(ps, IA_ERR_UNSUPPORTED, at, "unknown or unsupported property name");
            return -1;
        }
        item->kind = CI_CATS;
        item->mask = mask;
        item->neg = neg;
        return 1;
    }
    case 'x': {
        ps->pos++;
        uint32_t v = 0;
        if (ps->pos < ps->len && ps->p[ps->pos] == '{') {
            ps->pos++;
            int digits = 0;
            while (ps->pos < ps->len && hexval(ps->p[ps->pos]) >= 0 && digits < 8) {
                v = v * 16 + (uint32_t)hexval(ps->p[ps->pos++]);
                digits++;
            }
            if (!digits || ps->pos >= ps->len || ps->p[ps->pos] != '}' || v > IA_UNICODE_MAX) {
                perr(ps, IA_ERR_PARSE, at, "invalid \\x{...} escape");
                return -1;
            }
            ps->pos++;
        } else {
            int digits = 0;
            while (ps->pos < ps->len && hexval(ps->p[ps->pos]) >= 0 && digits < 2) {
                v = v * 16 + (uint32_t)hexval(ps->p[ps->pos++]);
                digits++;
            }
            if (!digits) {
                perr(ps, IA_ERR_PARSE, at, "invalid \\x escape");
                return -1;
            }
        }
        *cp = v;
        return 0;
    }
    case 'u': {
        ps->pos++;
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) {
            if (ps->pos >= ps->len || hexval(ps->p[ps->pos]) < 0) {
                perr(ps, IA_ERR_PARSE, at, "invalid \\u escape");
                return -1;
            }
            v = v * 16 + (uint32_t)hexval(ps->p[ps->pos++]);
        }
        *cp = v;
        return 0;
    }
    case 'A': case 'z':
        if (!in_class) {
            ps->pos++;
            *cp = c == 'A' ? N_BOT : N_EOT;
            return 2;
        }
        break;
    default:
        break;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        perr(ps, IA_ERR_UNSUPPORTED, at, "unknown or unsupported escape");
        return -1;
    }
    return pat_cp(ps, cp) ? 0 : -1;
}

/* Parses [...]; ps->pos is just after the '[' at offset `at`. */
static rx_node *parse_class(rx_parser *ps, size_t at, bool icase)
{
    size_t ci = class_new(ps);
    if (ci == SIZE_MAX)
        return NULL;
    if (ps->pos < ps->len && ps->p[ps->pos] == '^') {
        ps->re->classes[ci].neg = true;
        ps->pos++;
    }
    bool first = true;
    for (;;) {
        if (ps->pos >= ps->len) {
            perr(ps, IA_ERR_PARSE, at, "unclosed character class");
            return NULL;
        }
        char c = ps->p[ps->pos];
        if (c == ']' && !first) {
            ps->pos++;
            break;
        }
        first = false;
        if (c == '[') {
            perr(ps, IA_ERR_UNSUPPORTED, ps->pos, "nested character class");
            return NULL;
        }
        if (c == '&' && ps->pos + 1 < ps->len && ps->p[ps->pos + 1] == '&') {
            perr(ps, IA_ERR_UNSUPPORTED, ps->pos, "class intersection");
            return NULL;
        }
        size_t el = ps->pos;
        uint32_t lo;
        rx_item item;
        if (c == '\\') {
            ps->pos++;
            int k = parse_escape(ps, el, true, &lo, &item);
            if (k < 0)
                return NULL;
            if (k == 1) {
                if (!class_add(ps, ci, item))
                    return NULL;
                continue;
            }
        } else if (!pat_cp(ps, &lo)) {
            return NULL;
        }
        uint32_t hi = lo;
        if (ps->pos + 1 < ps->len && ps->p[ps->pos] == '-' && ps->p[ps->pos + 1] != ']') {
            size_t dash = ps->pos++;
            if (ps->p[ps->pos] == '\\') {
                size_t e2 = ps->pos++;
                int k = parse_escape(ps, e2, true, &hi, &item);
                if (k < 0)
                    return NULL;
                if (k != 0) {
                    perr(ps, IA_ERR_PARSE, dash, "invalid range end in character class");
                    return NULL;
                }
            } else if (!pat_cp(ps, &hi)) {
                return NULL;
            }
            if (hi < lo) {
                perr(ps, IA_ERR_PARSE, el, "invalid range (end before start) in character class");
                return NULL;
            }
        }
        memset(&item, 0, sizeof item);
        item.kind = CI_RANGE;
        item.lo = lo;
        item.hi = hi;
        if (!class_add(ps, ci, item))
            return NULL;
    }
    rx_node *n = node_new(ps, N_CLASS);
    if (n) {
        n->cls = ci;
        n->icase = icase;
    }
    return n;
}

static rx_node *parse_alt(rx_parser *ps, bool icase, size_t open);

/* Tries to read {n}, {n,}, {n,m} or {,m} at ps->pos; false (pos unchanged)
 * when the text there is not an interval. Sets ps->st on bad counts. */
static bool parse_interval(rx_parser *ps, int *min, int *max)
{
    size_t at = ps->pos, i = at + 1;
    long a = -1, b = -1;
    bool comma = false;
    while (i < ps->len && ps->p[i] >= '0' && ps->p[i] <= '9') {
        a = (a < 0 ? 0 : a) * 10 + (ps->p[i++] - '0');
        if (a > 100000)
            a = 100000;
    }
    if (i < ps->len && ps->p[i] == ',') {
        comma = true;
        i++;
        while (i < ps->len && ps->p[i] >= '0' && ps->p[i] <= '9') {
            b = (b < 0 ? 0 : b) * 10 + (ps->p[i++] - '0');
            if (b > 100000)
                b = 100000;
        }
    }
    if (i >= ps->len || ps->p[i] != '}' || (a < 0 && b < 0))
        return false;
    ps->pos = i + 1;
    if (a < 0)
        a = 0;
    if (!comma)
        b = a;
    if (a > RX_MAX_REPEAT || b > RX_MAX_REPEAT) {
        perr(ps, IA_ERR_UNSUPPORTED, at, "repeat count above 1000");
        return true;
    }
    if (b >= 0 && b < a) {
        perr(ps, IA_ERR_PARSE, at, "invalid repeat range (max below min)");
        return true;
    }
    *min = (int)a;
    *max = b < 0 ? RX_INF : (int)b;
    return true;
}

static rx_node *parse_group(rx_parser *ps, bool *icase)
{
    size_t at = ps->pos++;
    bool gi = *icase;
    int type = N_CAT;
    bool neg = false;
    if (ps->pos < ps->len && ps->p[ps->pos] == '?') {
        ps->pos++;
        char c = ps->pos < ps->len ? ps->p[ps->pos] : '\0';
        if (c == ':') {
            ps->pos++;
        } else if (c == '=' || c == '!') {
            ps->pos++;
            type = N_LOOK;
            neg = c == '!';
        } else if (c == '<' && ps->pos + 1 < ps->len &&
                   (ps->p[ps->pos + 1] == '=' || ps->p[ps->pos + 1] == '!')) {
            perr(ps, IA_ERR_UNSUPPORTED, at, "lookbehind is not supported");
            return NULL;
        } else if (c == '<' || c == 'P' || c == '\'') {
            perr(ps, IA_ERR_UNSUPPORTED, at, "named groups are not supported");
            return NULL;
        } else if (c == '>') {
            perr(ps, IA_ERR_UNSUPPORTED, at, "atomic groups are not supported");
            return NULL;
        } else {
            bool on = true, any = false;
            while (ps->pos < ps->len && ps->p[ps->pos] != ':' && ps->p[ps->pos] != ')') {
                char f = ps->p[ps->pos];
                if (f == '-' && on) {
                    on = false;
                } else if (f == 'i') {
                    gi = on;
                    any = true;
                } else if (f == 'm' || f == 'x' || f == 's') {
                    perr(ps, IA_ERR_UNSUPPORTED, ps->pos, "only the i option is supported");
                    return NULL;
                } else {
                    perr(ps, IA_ERR_PARSE, at, "unknown group syntax");
                    return NULL;
                }
                ps->pos++;
            }
            if (ps->pos >= ps->len) {
                perr(ps, IA_ERR_PARSE, at, "unclosed group");
                return NULL;
            }
            if (!any) {
                perr(ps, IA_ERR_PARSE, at, "unknown group syntax");
                return NULL;
            }
            if (ps->p[ps->pos] == ')') { /* (?i): the rest of the enclosing group */
                ps->pos++;
                *icase = gi;
                return node_new(ps, N_EMPTY);
            }
            ps->pos++;
        }
    }
    if (++ps->depth > RX_MAX_DEPTH) {
        perr(ps, IA_ERR_UNSUPPORTED, at, "groups nested too deeply");
        return NULL;
    }
    rx_node *body = parse_alt(ps, gi, at);
    ps->depth--;
    if (!body)
        return NULL;
    if (ps->pos >= ps->len || ps->p[ps->pos] != ')') {
        perr(ps, IA_ERR_PARSE, at, "unclosed group");
        return NULL;
    }
    ps->pos++;
    if (type == N_LOOK) {
        rx_node *n = node_new(ps, N_LOOK);
        if (!n)
            return NULL;
        n->neg = neg;
        node_add(n, body);
        return n;
    }
    return body;
}

static rx_node *parse_atom(rx_parser *ps, bool *icase)
{
    size_t at = ps->pos;
    char c = ps->p[ps->pos];
    rx_node *n;
    switch (c) {
    case '(':
        return parse_group(ps, icase);
    case '[':
        ps->pos++;
        return parse_class(ps, at, *icase);
    case '.':
        ps->pos++;
        return node_new(ps, N_ANY);
    case '^':
        ps->pos++;
        return node_new(ps, N_BOL);
    case '$':
        ps->pos++;
        return node_new(ps, N_EOL);
    case '*': case '+': case '?':
        perr(ps, IA_ERR_PARSE, at, "quantifier without a target");
        return NULL;
    case '{': {
        int mn, mx;
        if (parse_interval(ps, &mn, &mx)) {
            perr(ps, IA_ERR_PARSE, at, "quantifier without a target");
            return NULL;
        }
        break;
    }
    case '\\': {
        ps->pos++;
        uint32_t cp;
        rx_item item;
        int k = parse_escape(ps, at, false, &cp, &item);
        if (k < 0)
            return NULL;
        if (k == 2)
            return node_new(ps, (int)cp);
        if (k == 1) {
            size_t ci = class_new(ps);
            if (ci == SIZE_MAX || !class_add(ps, ci, item))
                return NULL;
            n = node_new(ps, N_CLASS);
            if (n)
                n->cls = ci;
            return n;
        }
        n = node_new(ps, N_CHAR);
        if (n) {
            n->icase = *icase;
            n->cp = *icase ? rx_lower(cp) : cp;
        }
        return n;
    }
    default:
        break;
    }
    uint32_t cp;
    if (!pat_cp(ps, &cp))
        return NULL;
    n = node_new(ps, N_CHAR);
    if (n) {
        n->icase = *icase;
        n->cp = *icase ? rx_lower(cp) : cp;
    }
    return n;
}

static rx_node *parse_seq(rx_parser *ps, bool *icase)
{
    rx_node *seq = node_new(ps, N_CAT);
    if (!seq)
        return NULL;
    while (ps->pos < ps->len && ps->p[ps->pos] != '|' && ps->p[ps->pos] != ')') {
        rx_node *atom = parse_atom(ps, icase);
        if (!atom)
            return NULL;
        for (;;) {
            if (ps->pos >= ps->len)
                break;
            size_t qat = ps->pos;
            char q = ps->p[ps->pos];
            int mn, mx;
            if (q == '*') {
                mn = 0, mx = RX_INF, ps->pos++;
            } else if (q == '+') {
                mn = 1, mx = RX_INF, ps->pos++;
            } else if (q == '?') {
                mn = 0, mx = 1, ps->pos++;
            } else if (q == '{' && parse_interval(ps, &mn, &mx)) {
                if (ps->st != IA_OK)
                    return NULL;
            } else {
                break;
            }
            bool greedy = true;
            if (ps->pos < ps->len && ps->p[ps->pos] == '?') {
                greedy = false;
                ps->pos++;
            } else if (ps->pos < ps->len && ps->p[ps->pos] == '+' && q != '{') {
                perr(ps, IA_ERR_UNSUPPORTED, qat, "possessive quantifiers are not supported");
                return NULL;
            }
            rx_node *r = node_new(ps, N_REPEAT);
            if (!r)
                return NULL;
            r->min = mn;
            r->max = mx;
            r->greedy = greedy;
            node_add(r, atom);
            atom = r;
        }
        node_add(seq, atom);
    }
    return seq;
}

static rx_node *parse_alt(rx_parser *ps, bool icase, size_t open)
{
    (void)open;
    rx_node *alt = node_new(ps, N_ALT);
    if (!alt)
        return NULL;
    for (;;) {
        rx_node *seq = parse_seq(ps, &icase);
        if (!seq)
            return NULL;
        node_add(alt, seq);
        if (ps->pos < ps->len && ps->p[ps->pos] == '|') {
            ps->pos++;
            continue;
        }
        return alt;
    }
}

/* --- compilation ------------------------------------------------------------ */

static bool nullable(const rx_node *n)
{
    const rx_node *k;
    switch (n->type) {
    case N_CHAR: case N_ANY: case N_CLASS:
        return false;
    case N_CAT:
        for (k = n->kids; k; k = k->next)
            if (!nullable(k))
                return false;
        return true;
    case N_ALT:
        for (k = n->kids; k; k = k->next)
            if (nullable(k))
                return true;
        return false;
    case N_REPEAT:
        return n->min == 0 || nullable(n->kids);
    default:
        return true;
    }
}

typedef struct rx_comp {
    ia_regex *re;
    ia_error *err;
    ia_status st;
} rx_comp;

static uint32_t emit(rx_comp *c, uint8_t op, uint32_t x, uint32_t y)
{
    ia_regex *re = c->re;
    if (c->st != IA_OK)
        return 0;
    if (re->n >= RX_MAX_PROG) {
        c->st = ia_error_set(c->err, IA_ERR_UNSUPPORTED,
                             "regex: pattern too large (more than %u instructions)", RX_MAX_PROG);
        return 0;
    }
    if (re->n == re->cap) {
        size_t cap = re->cap ? re->cap * 2 : 64;
        rx_inst *p = realloc(re->prog, cap * sizeof *p);
        if (!p) {
            c->st = ia_error_set(c->err, IA_ERR_NOMEM, "regex: out of memory");
            return 0;
        }
        re->prog = p;
        re->cap = cap;
    }
    rx_inst *in = &re->prog[re->n];
    memset(in, 0, sizeof *in);
    in->op = op;
    in->x = x;
    in->y = y;
    return (uint32_t)re->n++;
}

#define CUR(c) ((uint32_t)(c)->re->n)

static void compile_node(rx_comp *c, const rx_node *n)
{
    const rx_node *k;
    uint32_t i;
    if (c->st != IA_OK)
        return;
    switch (n->type) {
    case N_EMPTY:
        break;
    case N_CHAR:
        i = emit(c, I_CHAR, n->cp, 0);
        if (c->st == IA_OK)
            c->re->prog[i].icase = n->icase;
        break;
    case N_ANY:
        emit(c, I_ANY, 0, 0);
        break;
    case N_CLASS:
        i = emit(c, I_CLASS, (uint32_t)n->cls, 0);
        if (c->st == IA_OK)
            c->re->prog[i].icase = n->icase;
        break;
    case N_BOL: emit(c, I_BOL, 0, 0); break;
    case N_EOL: emit(c, I_EOL, 0, 0); break;
    case N_BOT: emit(c, I_BOT, 0, 0); break;
    case N_EOT: emit(c, I_EOT, 0, 0); break;
    case N_CAT:
        for (k = n->kids; k; k = k->next)
            compile_node(c, k);
        break;
    case N_ALT: {
        uint32_t jmps = UINT32_MAX;
        for (k = n->kids; k; k = k->next) {
            if (!k->next) {
                compile_node(c, k);
                break;
            }
            uint32_t s = emit(c, I_SPLIT, 0, 0);
            if (c->st != IA_OK)
                return;
            c->re->prog[s].x = s + 1;
            compile_node(c, k);
            uint32_t j = emit(c, I_JMP, jmps, 0);
            if (c->st != IA_OK)
                return;
            jmps = j;
            c->re->prog[s].y = CUR(c);
        }
        if (c->st != IA_OK)
            return;
        while (jmps != UINT32_MAX) {
            uint32_t next = c->re->prog[jmps].x;
            c->re->prog[jmps].x = CUR(c);
            jmps = next;
        }
        break;
    }
    case N_REPEAT: {
        for (int r = 0; r < n->min && c->st == IA_OK; r++)
            compile_node(c, n->kids);
        if (n->max == RX_INF) {
            bool nul = nullable(n->kids);
            uint32_t l = emit(c, I_SPLIT, 0, 0);
            uint32_t slot = (uint32_t)c->re->nslots;
            if (nul) {
                c->re->nslots++;
                emit(c, I_MARK, slot, 0);
            }
            compile_node(c, n->kids);
            if (nul)
                emit(c, I_CHECK, slot, 0);
            emit(c, I_JMP, l, 0);
            if (c->st != IA_OK)
                return;
            c->re->prog[l].x = n->greedy ? l + 1 : CUR(c);
            c->re->prog[l].y = n->greedy ? CUR(c) : l + 1;
        } else {
            /* x{0,k}: nested optionals, each skipping to the end. Splits are
             * chained through y until the end is known. */
            uint32_t chain = UINT32_MAX;
            for (int r = n->min; r < n->max && c->st == IA_OK; r++) {
                uint32_t s = emit(c, I_SPLIT, 0, chain);
                chain = s;
                compile_node(c, n->kids);
            }
            if (c->st != IA_OK)
                return;
            while (chain != UINT32_MAX) {
                rx_inst *s = &c->re->prog[chain];
                uint32_t next = s->y;
                s->x = n->greedy ? chain + 1 : CUR(c);
                s->y = n->greedy ? CUR(c) : chain + 1;
                chain = next;
            }
        }
        break;
    }
    case N_LOOK: {
        uint32_t l = emit(c, I_LOOK, 0, 0);
        compile_node(c, n->kids);
        emit(c, I_MATCH, 0, 0);
        if (c->st != IA_OK)
            return;
        c->re->prog[l].neg = n->neg;
        c->re->prog[l].x = CUR(c);
        break;
    }
    default:
        break;
    }
}

void ia_regex_free(ia_regex *re)
{
    if (!re)
        return;
    for (size_t i = 0; i < re->nclasses; i++)
        free(re->classes[i].items);
    free(re->classes);
    free(re->prog);
    free(re);
}

ia_status ia_regex_compile(const char *pattern, unsigned flags, ia_regex **re_out, ia_error *err)
{
    if (!re_out)
        return ia_error_set(err, IA_ERR_INVALID, "regex: NULL argument");
    *re_out = NULL;
    if (!pattern)
        return ia_error_set(err, IA_ERR_INVALID, "regex: NULL argument");
    ia_regex *re = calloc(1, sizeof *re);
    if (!re)
        return ia_error_set(err, IA_ERR_NOMEM, "regex: out of memory");
    re->step_limit = RX_DEFAULT_STEPS;
    rx_parser ps = {.p = pattern, .len = strlen(pattern), .re = re, .err = err, .st = IA_OK};
    rx_node *root = parse_alt(&ps, (flags & IA_REGEX_ICASE) != 0, 0);
    if (root && ps.pos < ps.len) /* parse_alt stops only at an unmatched ')' */
        perr(&ps, IA_ERR_PARSE, ps.pos, "unmatched )");
    ia_status st = ps.st;
    if (st == IA_OK) {
        rx_comp c = {.re = re, .err = err, .st = IA_OK};
        compile_node(&c, root);
        emit(&c, I_MATCH, 0, 0);
        st = c.st;
    }
    for (size_t i = 0; st == IA_OK && i < re->nclasses; i++)
        class_fill_ascii(&re->classes[i]);
    while (ps.all) {
        rx_node *next = ps.all->all;
        free(ps.all);
        ps.all = next;
    }
    if (st != IA_OK) {
        ia_regex_free(re);
        return st;
    }
    *re_out = re;
    return IA_OK;
}

void ia_regex_set_step_limit(ia_regex *re, uint64_t steps)
{
    if (re)
        re->step_limit = steps ? steps : RX_DEFAULT_STEPS;
}

/* --- matching --------------------------------------------------------------- */

typedef struct rx_bt {
    uint32_t pc; /* RX_RESTORE: restore slot to pos */
    uint32_t slot;
    size_t pos;
} rx_bt;

typedef struct rx_exec {
    const ia_regex *re;
    const char *t;
    size_t len;
    size_t *slots;
    rx_bt *stack;
    size_t n, cap;
    uint64_t steps;
    int fail; /* 1 budget, 2 stack limit, 3 out of memory */
} rx_exec;

static inline size_t rx_dec(const char *t, size_t len, size_t pos, uint32_t *c)
{
    int k = ia_utf8_decode(t + pos, len - pos, c);
    if (k <= 0) {
        *c = RX_BADCP;
        return 1;
    }
    return (size_t)k;
}

static bool push(rx_exec *x, uint32_t pc, uint32_t slot, size_t pos)
{
    if (x->n == x->cap) {
        if (x->cap >= RX_MAX_STACK) {
            x->fail = 2;
            return false;
        }
        size_t cap = x->cap ? x->cap * 2 : 256;
        rx_bt *s = realloc(x->stack, cap * sizeof *s);
        if (!s) {
            x->fail = 3;
            return false;
        }
        x->stack = s;
        x->cap = cap;
    }
    x->stack[x->n++] = (rx_bt){pc, slot, pos};
    return true;
}

/* Runs from pc at pos: 1 match (*end set), 0 no match, -1 x->fail set. */
static int run(rx_exec *x, uint32_t pc, size_t pos, size_t *end)
{
    const ia_regex *re = x->re;
    const char *t = x->t;
    size_t len = x->len, base = x->n;
    uint64_t limit = re->step_limit;
    for (;;) {
        if (++x->steps > limit) {
            x->fail = 1;
            return -1;
        }
        const rx_inst *in = &re->prog[pc];
        uint32_t c;
        size_t k;
        switch (in->op) {
        case I_CHAR:
            if (pos >= len)
                goto fail;
            k = rx_dec(t, len, pos, &c);
            if ((in->icase ? rx_lower(c) : c) != in->x)
                goto fail;
            pos += k;
            pc++;
            continue;
        case I_ANY:
            if (pos >= len)
                goto fail;
            k = rx_dec(t, len, pos, &c);
            if (c == '\n')
                goto fail;
            pos += k;
            pc++;
            continue;
        case I_CLASS:
            if (pos >= len)
                goto fail;
            k = rx_dec(t, len, pos, &c);
            if (!class_match_fast(&re->classes[in->x], c, in->icase))
                goto fail;
            pos += k;
            pc++;
            continue;
        case I_SPLIT:
            if (!push(x, in->y, 0, pos))
                return -1;
            pc = in->x;
            continue;
        case I_JMP:
            pc = in->x;
            continue;
        case I_MATCH:
            *end = pos;
            x->n = base; /* lookahead is atomic: drop its choices */
            return 1;
        case I_BOL:
            if (pos != 0 && t[pos - 1] != '\n')
                goto fail;
            pc++;
            continue;
        case I_EOL:
            if (pos != len && t[pos] != '\n')
                goto fail;
            pc++;
            continue;
        case I_BOT:
            if (pos != 0)
                goto fail;
            pc++;
            continue;
        case I_EOT:
            if (pos != len)
                goto fail;
            pc++;
            continue;
        case I_LOOK: {
            size_t e;
            int r = run(x, pc + 1, pos, &e);
            if (r < 0)
                return -1;
            if ((r == 1) == in->neg)
                goto fail;
            pc = in->x;
            continue;
        }
        case I_MARK:
            if (!push(x, RX_RESTORE, in->x, x->slots[in->x]))
                return -1;
            x->slots[in->x] = pos;
            pc++;
            continue;
        case I_CHECK:
            if (x->slots[in->x] == pos) /* an empty iteration: stop looping */
                goto fail;
            pc++;
            continue;
        default:
            goto fail;
        }
    fail:
        for (;;) {
            if (x->n == base)
                return 0;
            rx_bt *b = &x->stack[--x->n];
            if (b->pc == RX_RESTORE) {
                x->slots[b->slot] = b->pos;
                continue;
            }
            pc = b->pc;
            pos = b->pos;
            break;
        }
    }
}

ia_status ia_regex_find(const ia_regex *re, const char *text, size_t len, size_t start,
                        size_t *match_begin, size_t *match_end, ia_error *err)
{
    if (!re || (!text && len) || !match_begin || !match_end)
        return ia_error_set(err, IA_ERR_INVALID, "regex find: NULL argument");
    if (start > len)
        return ia_error_set(err, IA_ERR_INVALID, "regex find: start %zu beyond the text (%zu bytes)",
                            start, len);
    if (!text)
        text = "";
    rx_exec x = {.re = re, .t = text, .len = len};
    if (re->nslots) {
        x.slots = calloc(re->nslots, sizeof *x.slots);
        if (!x.slots)
            return ia_error_set(err, IA_ERR_NOMEM, "regex find: out of memory");
    }
    ia_status st = IA_ERR_NOT_FOUND;
    for (size_t s = start;;) {
        size_t e;
        int r = run(&x, 0, s, &e);
        if (r == 1) {
            *match_begin = s;
            *match_end = e;
            st = IA_OK;
            break;
        }
        if (r < 0) {
            if (x.fail == 1)
                st = ia_error_set(err, IA_ERR_INVALID,
                                  "regex find: step budget of %llu exhausted (catastrophic "
                                  "backtracking?) near offset %zu",
                                  (unsigned long long)re->step_limit, s);
            else if (x.fail == 2)
                st = ia_error_set(err, IA_ERR_INVALID,
                                  "regex find: backtrack stack limit reached near offset %zu", s);
            else
                st = ia_error_set(err, IA_ERR_NOMEM, "regex find: out of memory");
            break;
        }
        if (s >= len)
            break;
        uint32_t c;
        s += rx_dec(text, len, s, &c);
    }
    free(x.slots);
    free(x.stack);
    return st;
}
