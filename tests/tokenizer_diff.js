#!/usr/bin/env node
/*
 * tokenizer_diff: our tokenizer (the CLI) against the Rust `tokenizers`
 * library (its node binding, tokenizers@0.23.2) on strings neither was tested
 * on.
 *
 * A seeded generator makes thousands of strings: words in many scripts
 * (Latin with accents, Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai, CJK,
 * Hangul, kana), emoji (ZWJ sequences, skin tones, flags, keycaps, tags),
 * stacked combining marks, every tokenizer's special tokens inside the text,
 * whitespace runs (tabs, newlines, U+3000, U+00A0...), long numbers in many
 * digit sets, code, control characters, ligatures and compatibility forms,
 * very long words; some as pairs. Only code points assigned in Unicode 15.0
 * are used (our tables are 15.0; Rust's may be newer, and an unassigned code
 * point's category is then a version question, not a bug).
 *
 * For each fixture tokenizer the CLI runs once over all strings
 * (`tokenize --json --decoded --input FILE`) and the Rust library encodes the
 * same batch; ids, tokens, offsets (code points on both sides: the node
 * binding returns them as Python does), type ids, masks and the decoded text
 * (skip_special_tokens) must agree. The first mismatches are printed in detail
 * (--show), the first few of each tokenizer also cut down to a small string
 * that still mismatches in the same field (--minimize: chunks of code points
 * are dropped while the mismatch stays), then "N strings x 4 tokenizers: M
 * mismatches".
 *
 * Truncation mode (--trunc-count N, N cases per tokenizer): short texts of
 * mixed scripts, most as pairs, under truncation (max_length 0..8, stride
 * 0..3 below it, longest_first/only_first/only_second, right or left), with
 * and without special tokens, some with fixed padding (a length, maybe a
 * multiple). The cases come in groups of one setting, one CLI run each
 * (`tokenize --truncate ... --json`), against the Rust library with the same
 * setting; the whole encoding is compared (word and sequence ids too, with
 * --word-ids), every overflowing window (nested ones included, in order)
 * too. Where the Rust library refuses a case (a
 * sequence too short for only_first/only_second) ours must refuse it too
 * (checked alone, a few per group); where it would panic (a stride not below
 * a sequence's share of max_length: an assert that aborts the process) the
 * case is predicted from the lengths and skipped, ours must refuse it.
 * Exit 0 when all agree, 1 on a mismatch or a failed run, 2 on a usage
 * error.
 *
 *   node tests/tokenizer_diff.js --cli build/ipfs-accelerate
 *        [--fixtures tests/fixtures/tokenizers] [--seed 1] [--count 3000]
 *        [--only NAME[,NAME]] [--show 8] [--minimize 4] [--dump FILE.jsonl]
 *        [--trunc-count 300] [--trunc-only]
 *        [--max-age 9.0] [--no-nul] [--node-modules DIR]
 *   node tests/tokenizer_diff.js --generate --seed 7 --count 20   (print strings)
 *
 * Also a module: require('./tokenizer_diff.js').generate(seed, count, opts)
 * gives the strings (gpt2_encoder_test.js uses it).
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

/* ---- seeded generator -------------------------------------------------- */

/* mulberry32: small, fast, and the same sequence on every machine. */
function makeRng(seed) {
    let a = seed >>> 0;
    const next = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const rng = {
        next,
        int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), /* inclusive */
        pick: (arr) => arr[Math.floor(next() * arr.length)],
        chance: (p) => next() < p,
    };
    return rng;
}

const cp = (c) => String.fromCodePoint(c);

/* Inclusive ranges, every code point assigned in Unicode 15.0 (checked
 * against UnicodeData.txt: no gaps inside any range listed). */
const SCRIPTS = {
    latin: [[0x41, 0x5a], [0x61, 0x7a]],
    latin_accented: [[0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x17f], [0x1e00, 0x1eff]],
    greek: [[0x391, 0x3a1], [0x3a3, 0x3a9], [0x3ac, 0x3ce]],
    cyrillic: [[0x400, 0x45f], [0x490, 0x4ff]],
    armenian: [[0x531, 0x556], [0x561, 0x587]],
    hebrew: [[0x5d0, 0x5ea], [0x5b0, 0x5bd]],
    arabic: [[0x621, 0x64a], [0x64b, 0x652], [0x660, 0x669], [0x671, 0x6d3]],
    devanagari: [[0x905, 0x939], [0x93c, 0x94d], [0x958, 0x96f]],
    bengali: [[0x995, 0x9a8], [0x9aa, 0x9b0]],
    thai: [[0xe01, 0xe3a], [0xe40, 0xe5b]],
    georgian: [[0x10d0, 0x10fa]],
    cjk: [[0x4e00, 0x9fff]],
    cjk_ext_b: [[0x20000, 0x2a6df]],
    cjk_compat: [[0xf900, 0xfa6d]],
    hangul: [[0xac00, 0xd7a3]],
    hangul_jamo: [[0x1100, 0x1112], [0x1161, 0x1175], [0x11a8, 0x11c2]],
    hiragana: [[0x3041, 0x3096], [0x309b, 0x309e]],
    katakana: [[0x30a1, 0x30fa], [0x30fc, 0x30fe]],
    halfwidth_kana: [[0xff66, 0xff9f]],
    fullwidth: [[0xff01, 0xff5e]],
    math_alnum: [[0x1d400, 0x1d454], [0x1d7ce, 0x1d7ff]],
    ethiopic: [[0x1200, 0x1248]],
    tamil: [[0xb85, 0xb8a], [0xb8e, 0xb90], [0xbbe, 0xbc2], [0xbcd, 0xbcd]],
};
const SCRIPT_NAMES = Object.keys(SCRIPTS);

function fromRanges(rng, ranges) {
    let total = 0;
    for (const [lo, hi] of ranges) total += hi - lo + 1;
    let k = Math.floor(rng.next() * total);
    for (const [lo, hi] of ranges) {
        if (k <= hi - lo) return cp(lo + k);
        k -= hi - lo + 1;
    }
    return cp(ranges[0][0]);
}

const WORDS = ('the of and to in is was for that with as on by at from his her are this be had not ' +
    'have which one you were all their but an has they been more would there its when who what ' +
    'Hello World tokenizer encoding decoding unaffable running jumped quickly résumé naïve café ' +
    'façade coöperate Zürich Ångström São Paulo Kraków Dvořák Straße Ελληνικά Москва 東京 서울 ' +
    'transformers attention embedding HuggingFace GPT BERT LLaMA T5 don\'t I\'m we\'ll they\'ve ' +
    'it\'s she\'d you\'re O\'Neil rock\'n\'roll e-mail co-operate state-of-the-art').split(' ');

const SPECIAL_EXTRAS = ['<s>', '</s>', '<unk>', '<pad>', '[CLS]', '[SEP]', '[MASK]', '[PAD]', '[UNK]',
    '<|endoftext|>', '<0x41>', '<0x0A>', '<mask>', '<|im_start|>', '[cls]', '<S>', '< s >', '<s', 's>'];

const EMOJI_BASE = [0x1f600, 0x1f603, 0x1f923, 0x1f60d, 0x1f914, 0x1f44d, 0x1f44b, 0x1f64f, 0x1f4aa,
    0x1f680, 0x1f525, 0x2764, 0x2728, 0x1f389, 0x1f436, 0x1f431, 0x1f98a, 0x1f984, 0x1f355, 0x1f37a,
    0x1f30d, 0x1f308, 0x2600, 0x2601, 0x26a1, 0x1f4bb, 0x1f4f1, 0x1f4a9, 0x1f47b, 0x1f916, 0x1f917,
    0x1f99c, 0x1fae0, 0x1f9d1, 0x1f468, 0x1f469, 0x1f467, 0x1f466, 0x1f3c3, 0x1f937, 0x1f926, 0x2705,
    0x274c, 0x1f6a8, 0x1f1fa, 0x00a9, 0x00ae, 0x2122, 0x1f170, 0x1f3f3, 0x1f3f4];
const SKIN = [0x1f3fb, 0x1f3fc, 0x1f3fd, 0x1f3fe, 0x1f3ff];
const ZWJ_SEQS = ['\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', '\u{1F469}\u200D\u{1F4BB}',
    '\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u{1F441}\uFE0F\u200D\u{1F5E8}\uFE0F', '\u{1F9D1}\u{1F3FD}\u200D\u{1F91D}\u200D\u{1F9D1}\u{1F3FB}',
    '\u2764\uFE0F\u200D\u{1F525}', '\u{1F43B}\u200D\u2744\uFE0F', '\u{1F3F4}\u200D\u2620\uFE0F',
    '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', '1\uFE0F\u20E3', '#\uFE0F\u20E3'];
const FLAGS = ['US', 'FR', 'JP', 'DE', 'IN', 'BR', 'CN', 'KR', 'UA', 'EU', 'ZZ'];

const COMBINING = [[0x300, 0x36f], [0x483, 0x489], [0x591, 0x5bd], [0x64b, 0x65f], [0x93c, 0x93c],
    [0x94d, 0x94d], [0xe31, 0xe31], [0xe34, 0xe3a], [0xe47, 0xe4e], [0x1ab0, 0x1abe], [0x1dc0, 0x1df9],
    [0x20d0, 0x20f0], [0x3099, 0x309a], [0xfe20, 0xfe2f], [0x1d165, 0x1d169]];

const WHITESPACE = [' ', ' ', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', '\u3000', '\u00a0', '\u2009',
    '\u200a', '\u2002', '\u2003', '\u202f', '\u205f', '\u1680', '\u2028', '\u2029', '\u000b', '\u000c',
    '\u0085', '\u200b', '\u200c', '\u200d', '\ufeff', '\u180e', '\u2060', '\u00ad'];

const DIGIT_SETS = [[0x30, 0x39], [0x660, 0x669], [0x6f0, 0x6f9], [0x966, 0x96f], [0xe50, 0xe59],
    [0xff10, 0xff19], [0x1d7ce, 0x1d7d7], [0x2080, 0x2089], [0x2460, 0x2473], [0x2160, 0x216b]];
const NUMBER_EXTRAS = ['\u00b2', '\u00b3', '\u00b9', '\u2070', '\u2074', '\u00bd', '\u00bc', '\u00be',
    '\u2153', '\u215e', '\u2189', '\u3007', '\u4e00\u4e8c\u4e09', '\u216b', '\u2781'];

const CODE = ['#include <stdio.h>', 'int main(void) { return 0; }', 'def f(x):\n    return x**2',
    'for (size_t i = 0; i < n; ++i) {', '    if (a != b && c <= d) x += 1;', 'const y = a ?? b?.c;',
    'fn main() -> Result<(), Box<dyn Error>> {', 'SELECT * FROM t WHERE id = 42;', '{"key": [1, 2.5e-3, null]}',
    '<div class="x">&amp;&lt;</div>', 'x <<= 3; y >>>= 1; z = a->b;', 'std::vector<int> v{1,2,3};',
    'import numpy as np\nnp.zeros((3, 4))', 'if __name__ == "__main__":', '$ ls -la | grep "\\.c$"',
    'https://huggingface.co/docs/tokenizers?x=1&y=%20#frag', 'user.name+tag@example.co.uk',
    'C:\\Users\\me\\file.txt', '/usr/share/common-licenses/GPL-3', '   \t  indented();', '/* comment */ // line',
    '@decorator\nclass A(B, metaclass=M): pass', "print(f'{x!r:>10}')", '0x7fffffff 0b1010 1e100 3.14159',
    'a==b!==c===d', '...', '--flag=value', '__init__', 'camelCaseIdentifier', 'snake_case_name_2'];

const CONTROL = [[0x0, 0x8], [0xe, 0x1f], [0x7f, 0x9f]];

const COMPAT = ['\ufb00', '\ufb01', '\ufb02', '\ufb03', '\ufb04', '\ufb05', '\ufb06', '\u01c4', '\u01c5',
    '\u01c6', '\u0132', '\u0133', '\u0149', '\u1e9e', '\u00df', '\u0130', '\u0131', '\u03a3', '\u03c2',
    '\u338f', '\u337f', '\u2122', '\u2103', '\u212b', '\u212a', '\u2126', '\ufe4f', '\u2026', '\u3392',
    '\u32ff', '\uff76\uff9e', '\u30f4', '\u1f88', '\u0390', '\u1e9b\u0323', '\u00c5', 'A\u030a', '\u2fa1d',
    '\u{1d11e}', '\u{10400}', '\u{10428}', '\ufdfa', '\u0fb3\u0f71\u0f80', '\u00aa', '\u00b5', '\u017f',
    '\ufb13', '\u0587', '\u0345', '\u1e9e\u00df', '\u24b6', '\u249c', '\u2474', '\u3250', '\u00bd'];

const PUNCT = ['.', ',', '!', '?', ';', ':', '"', "'", '(', ')', '[', ']', '{', '}', '-', '_', '/', '\\',
    '@', '#', '$', '%', '^', '&', '*', '+', '=', '<', '>', '|', '~', '`', '\u00ab', '\u00bb', '\u201e',
    '\u201c', '\u201d', '\u2018', '\u2019', '\u2014', '\u2013', '\u2026', '\u00b7', '\u00bf', '\u00a1',
    '\u3001', '\u3002', '\u300c', '\u300d', '\u060c', '\u061b', '\u061f', '\u0964', '\u00a7', '\u00b6',
    '\u2020', '\u203d', '\u2e2e', '\uff01', '\uff1f', '\u00a3', '\u20ac', '\u00a5', '\u20b9', '\u2248'];

const MISC = ['\ufffd', '\ufffc', '\ue000', '\uf8ff', '\u{f0000}', '\u200e', '\u200f', '\u202a', '\u202e',
    '\u2066', '\u2069', '\u061c', '\u034f', '\ufe0f', '\ufe0e', '\u{e0001}', '\u{e0020}', '\u00ad', '\u2061'];

/* Pieces: each a generator for one kind of text; the kind's name is recorded
 * with every string so a summary can say which kinds mismatch. */
function makePieces(specials) {
    return {
        word: (r) => {
            const w = r.pick(WORDS);
            const c = r.next();
            return c < 0.15 ? w.toUpperCase() : c < 0.3 ? w[0].toUpperCase() + w.slice(1) : w;
        },
        script: (r) => {
            const name = r.pick(SCRIPT_NAMES);
            let s = '';
            const words = r.int(1, 4);
            for (let w = 0; w < words; w++) {
                if (w) s += r.chance(0.8) ? ' ' : r.pick(['', '\u3000', '\u00a0', '\n']);
                const n = r.int(1, 10);
                for (let i = 0; i < n; i++) s += fromRanges(r, SCRIPTS[name]);
            }
            return s;
        },
        emoji: (r) => {
            let s = '';
            const n = r.int(1, 4);
            for (let i = 0; i < n; i++) {
                const k = r.next();
                if (k < 0.35) {
                    s += cp(r.pick(EMOJI_BASE));
                    if (r.chance(0.3)) s += cp(r.pick(SKIN));
                    if (r.chance(0.2)) s += '\ufe0f';
                } else if (k < 0.6) {
                    s += r.pick(ZWJ_SEQS);
                } else if (k < 0.8) {
                    const f = r.pick(FLAGS);
                    s += cp(0x1f1e6 + f.charCodeAt(0) - 65) + cp(0x1f1e6 + f.charCodeAt(1) - 65);
                } else if (k < 0.9) {
                    /* a ZWJ chain of random people with skin tones */
                    const m = r.int(2, 4);
                    for (let j = 0; j < m; j++) {
                        if (j) s += '\u200d';
                        s += cp(r.pick([0x1f468, 0x1f469, 0x1f9d1, 0x1f467, 0x1f466]));
                        if (r.chance(0.5)) s += cp(r.pick(SKIN));
                    }
                } else {
                    s += cp(0x1f1e6 + r.int(0, 25)); /* a lone regional indicator */
                }
                if (r.chance(0.3)) s += ' ';
            }
            return s;
        },
        combining: (r) => {
            let s = r.chance(0.7) ? r.pick('aeiouAEIOUnsxyz') : fromRanges(r, SCRIPTS[r.pick(SCRIPT_NAMES)]);
            if (r.chance(0.05)) s = r.chance(0.5) ? ' ' : ''; /* marks at the start or after a space */
            const n = r.int(1, 9);
            for (let i = 0; i < n; i++) s += fromRanges(r, COMBINING);
            if (r.chance(0.5)) s += r.pick(WORDS);
            return s;
        },
        jamo: (r) => { /* conjoining jamo that NFC/NFKC compose into syllables */
            let s = '';
            const n = r.int(1, 4);
            for (let i = 0; i < n; i++) {
                s += cp(r.int(0x1100, 0x1112)) + cp(r.int(0x1161, 0x1175));
                if (r.chance(0.5)) s += cp(r.int(0x11a8, 0x11c2));
            }
            return s;
        },
        special: (r) => {
            const t = r.chance(0.8) ? r.pick(specials) : r.pick(SPECIAL_EXTRAS);
            const k = r.next();
            if (k < 0.3) return t;
            if (k < 0.5) return r.pick(WORDS) + t + r.pick(WORDS);
            if (k < 0.65) return t + t;
            if (k < 0.8) return ' ' + t + ' ';
            if (k < 0.9) return t.toUpperCase();
            return t + r.pick(WHITESPACE) + t;
        },
        whitespace: (r) => {
            let s = '';
            const n = r.int(1, 6);
            for (let i = 0; i < n; i++) s += r.pick(WHITESPACE);
            return s;
        },
        number: (r) => {
            const k = r.next();
            if (k < 0.5) {
                let s = r.chance(0.15) ? '-' : '';
                const n = r.chance(0.3) ? r.int(12, 60) : r.int(1, 10);
                const set = r.chance(0.7) ? DIGIT_SETS[0] : r.pick(DIGIT_SETS);
                for (let i = 0; i < n; i++) s += fromRanges(r, [set]);
                if (r.chance(0.3)) s += r.pick(['.', ',', '/', ':']) + r.int(0, 999999);
                return s;
            }
            if (k < 0.7) return r.int(0, 999).toLocaleString('en-US') + ',' + String(r.int(100, 999)) + '.' + r.int(0, 99);
            if (k < 0.85) return r.pick(NUMBER_EXTRAS) + (r.chance(0.5) ? String(r.int(0, 99)) : '');
            return (r.next() * 1e6).toExponential(r.int(0, 8));
        },
        code: (r) => r.pick(CODE),
        control: (r) => {
            let s = r.chance(0.5) ? r.pick(WORDS) : '';
            const n = r.int(1, 3);
            for (let i = 0; i < n; i++) s += fromRanges(r, CONTROL);
            if (r.chance(0.5)) s += r.pick(WORDS);
            return s;
        },
        compat: (r) => {
            let s = '';
            const n = r.int(1, 4);
            for (let i = 0; i < n; i++) s += r.pick(COMPAT) + (r.chance(0.4) ? r.pick(WORDS) : '');
            return s;
        },
        punct: (r) => {
            let s = '';
            const n = r.int(1, 6);
            for (let i = 0; i < n; i++) s += r.pick(PUNCT);
            return r.chance(0.5) ? r.pick(WORDS) + s + (r.chance(0.5) ? r.pick(WORDS) : '') : s;
        },
        longword: (r) => {
            const n = r.pick([50, 99, 100, 101, 150, 300]);
            if (r.chance(0.4)) return r.pick('ab\u00e9z').repeat(n);
            let s = '';
            for (let i = 0; i < n; i++) s += fromRanges(r, r.chance(0.8) ? SCRIPTS.latin : SCRIPTS[r.pick(SCRIPT_NAMES)]);
            return s;
        },
        misc: (r) => r.pick(MISC) + (r.chance(0.5) ? r.pick(WORDS) : ''),
        apostrophe: (r) => r.pick(["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "\u2019s", "''", "'"]) + (r.chance(0.5) ? ' ' + r.pick(WORDS) : ''),
    };
}

/* Kinds by weight: words and scripts most often, everything else often
 * enough to appear hundreds of times in the default run. */
const KIND_WEIGHTS = [['word', 14], ['script', 12], ['emoji', 6], ['combining', 5], ['jamo', 2],
    ['special', 7], ['whitespace', 7], ['number', 6], ['code', 5], ['control', 3], ['compat', 5],
    ['punct', 6], ['longword', 1], ['misc', 3], ['apostrophe', 3]];

function pickKind(r) {
    let total = 0;
    for (const [, w] of KIND_WEIGHTS) total += w;
    let k = r.next() * total;
    for (const [name, w] of KIND_WEIGHTS) {
        if ((k -= w) < 0) return name;
    }
    return 'word';
}

/* Strings first looked at by hand: edges the random part may rarely hit. */
const FIXED = ['', ' ', '  ', '\n', '\t\t', '\u3000', '\u00a0', ' a', 'a ', ' a ', '<s>', '</s>', '[CLS]',
    '<|endoftext|>', '<s></s>', 'a<s>b', ' <s> ', '<unk>', '[UNK]', '\u{1F600}', 'e\u0301', '\u0301',
    '\u0130stanbul', '\ufb01', 'Hello, world!', 'A\u030a\u212b\u00c5', '\u0000', 'a\u0000b', '\ufeffBOM',
    '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', 'x'.repeat(101), '1234567890'.repeat(5), "I'm here. You'LL see",
    '\u4e2d\u6587\u5b57', '\ud55c\uad6d\uc5b4', '\u0645\u0631\u062d\u0628\u0627', '\u0928\u092e\u0938\u094d\u0924\u0947',
    '\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35', '   leading and trailing   ', '\r\n\r\n', '<0x41><0x0A>'];

/* Code points assigned after Unicode version `age` ("9.0"), from the UCD's
 * DerivedAge.txt: a filter for runs that leave out what only newer tables
 * know (the Rust library's normalization tables are older than ours). */
function newerThan(age, file = '/usr/share/unicode/DerivedAge.txt') {
    const want = age.split('.').map(Number);
    const newer = (v) => { const x = v.split('.').map(Number); return x[0] > want[0] || (x[0] === want[0] && x[1] > want[1]); };
    const ranges = [];
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = /^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*([0-9.]+)/.exec(line);
        if (m && newer(m[3])) ranges.push([parseInt(m[1], 16), parseInt(m[2] || m[1], 16)]);
    }
    return (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi);
}

/* generate(seed, count, opts) -> [{text, pair?, kinds: [..]}]. opts.specials:
 * the special tokens to insert (default: those of the fixtures and some
 * lookalikes); opts.pairs: the share of entries with a pair (default 0.2);
 * opts.fixed: start with the hand-picked edge strings (default true);
 * opts.maxAge: leave out code points newer than this Unicode version. */
function generate(seed, count, opts = {}) {
    const r = makeRng(seed);
    const specials = opts.specials && opts.specials.length ? opts.specials : SPECIAL_EXTRAS;
    const pieces = makePieces(specials);
    const pairShare = opts.pairs === undefined ? 0.2 : opts.pairs;
    const out = [];
    if (opts.fixed !== false) {
        for (const t of FIXED) {
            if (out.length >= count) break;
            if (opts.exclude && opts.exclude.some((x) => t.includes(x))) continue;
            out.push({ text: t, kinds: ['fixed'] });
        }
    }
    const one = (kinds) => {
        const long = r.chance(0.02);
        const n = long ? r.int(60, 300) : r.int(1, 10);
        let s = '';
        for (let i = 0; i < n; i++) {
            const kind = pickKind(r);
            if (!kinds.includes(kind)) kinds.push(kind);
            if (i) {
                const k = r.next();
                s += k < 0.7 ? ' ' : k < 0.85 ? '' : r.pick(WHITESPACE);
            }
            s += pieces[kind](r);
        }
        if (opts.exclude) for (const x of opts.exclude) s = s.split(x).join('');
        return s;
    };
    while (out.length < count) {
        const kinds = [];
        const e = { text: one(kinds), kinds };
        if (r.chance(pairShare)) e.pair = r.chance(0.05) ? '' : one(kinds);
        out.push(e);
    }
    if (opts.maxAge) { /* drop what Unicode opts.maxAge did not have */
        const isNew = newerThan(opts.maxAge);
        const keep = (t) => [...t].filter((c) => !isNew(c.codePointAt(0))).join('');
        for (const e of out) {
            e.text = keep(e.text);
            if (e.pair !== undefined) e.pair = keep(e.pair);
        }
    }
    return out;
}

/* ---- comparison -------------------------------------------------------- */

function parseArgs(argv) {
    const a = { seed: 1, count: 3000, truncCount: 0, truncOnly: false, show: 8, minimize: 4, maxAge: null, only: null, fixtures: null, cli: null, dump: null,
        nodeModules: process.env.IA_NODE_MODULES || path.join(__dirname, '..', 'deps', 'node', 'node_modules'),
        generate: false };
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i];
        const v = () => {
            if (i + 1 >= argv.length) usage(`${k} needs a value`);
            return argv[++i];
        };
        if (k === '--seed') a.seed = Number(v());
        else if (k === '--count') a.count = Number(v());
        else if (k === '--show') a.show = Number(v());
        else if (k === '--minimize') a.minimize = Number(v());
        else if (k === '--max-age') a.maxAge = v();
        else if (k === '--no-nul') a.noNul = true;
        else if (k === '--only') a.only = v().split(',');
        else if (k === '--fixtures') a.fixtures = v();
        else if (k === '--cli') a.cli = v();
        else if (k === '--dump') a.dump = v();
        else if (k === '--node-modules') a.nodeModules = v();
        else if (k === '--generate') a.generate = true;
        else if (k === '--trunc-count') a.truncCount = Number(v());
        else if (k === '--trunc-only') a.truncOnly = true;
        else if (k === '--help' || k === '-h') usage(null);
        else usage(`unknown option '${k}'`);
    }
    if (!Number.isInteger(a.seed) || !Number.isInteger(a.count) || a.count < 1) usage('--seed and --count take integers (count >= 1)');
    if (!Number.isInteger(a.truncCount) || a.truncCount < 0) usage('--trunc-count takes an integer >= 0');
    if (a.truncOnly && !a.truncCount) usage('--trunc-only needs --trunc-count N');
    if (!a.generate && !a.cli) usage('--cli PATH is needed');
    a.fixtures = a.fixtures || process.env.IA_FIXTURES_TOKENIZERS ||
        (process.env.IA_FIXTURES ? path.join(process.env.IA_FIXTURES, 'tokenizers') : path.join(__dirname, 'fixtures', 'tokenizers'));
    return a;
}

function usage(msg) {
    const text = fs.readFileSync(__filename, 'utf8').split('\n');
    const from = text.findIndex((l) => l.includes('node tests/tokenizer_diff.js --cli'));
    /* the usage lines of the header comment */
    if (msg) process.stderr.write(`tokenizer_diff: ${msg}\n`);
    (msg ? process.stderr : process.stdout).write('Usage:\n' + text.slice(from, from + 8).map((l) => l.replace(/^ \*/, '')).join('\n') + '\n');
    process.exit(msg ? 2 : 0);
}

/* How a string looks in a report: JSON (escapes control and odd spaces),
 * cut in the middle when long. */
function show(s, max = 240) {
    let j = JSON.stringify(s);
    j = j.replace(/[\u0080-\u009f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g,
        (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    return j.length > max ? j.slice(0, max / 2) + ` ...(${j.length} chars)... ` + j.slice(-max / 2) : j;
}

/* JSON with marks, format characters and odd spaces escaped, so that two
 * strings that look alike show how they differ. */
function esc(v) {
    return JSON.stringify(v).replace(/[\p{M}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u0080-\u009f]/gu, (c) => {
        if (c === ' ') return c;
        const x = c.codePointAt(0);
        return x > 0xffff ? `\\u{${x.toString(16)}}` : '\\u' + x.toString(16).padStart(4, '0');
    });
}

function firstDiff(a, b) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
        if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
    }
    return -1;
}

/* Columns of tokens around position i on both sides. */
function window(ours, ref, i) {
    const lo = Math.max(0, i - 3);
    const hi = Math.min(Math.max(ours.ids.length, ref.ids.length), i + 5);
    const cell = (e, k) => (k < e.ids.length ? `${e.ids[k]}:${esc(e.tokens[k])}@${JSON.stringify(e.offsets[k])}` : '-');
    const lines = [];
    for (let k = lo; k < hi; k++) lines.push(`      ${k === i ? '>' : ' '}${String(k).padStart(4)}  ours ${cell(ours, k).padEnd(36)} rust ${cell(ref, k)}`);
    return lines.join('\n');
}

const FIELDS = ['ids', 'tokens', 'offsets', 'type_ids', 'attention_mask', 'special_tokens_mask', 'decoded'];

function compare(ours, ref) {
    const bad = [];
    for (const f of FIELDS) {
        if (JSON.stringify(ours[f]) !== JSON.stringify(ref[f])) bad.push(f);
    }
    return bad;
}

async function referenceRun(tok, entries) {
    const out = [];
    /* encode() per entry, a slice at a time: the binding's encodeBatch takes
     * no pairs, and encode runs off the main thread anyway */
    const chunk = 256;
    for (let i = 0; i < entries.length; i += chunk) {
        const part = entries.slice(i, i + chunk);
        const encs = await Promise.all(part.map((e) => (e.pair !== undefined ? tok.encode(e.text, e.pair) : tok.encode(e.text))));
        const decoded = await tok.decodeBatch(encs.map((e) => e.getIds()), true);
        encs.forEach((e, k) => out.push({
            ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets(), type_ids: e.getTypeIds(),
            attention_mask: e.getAttentionMask(), special_tokens_mask: e.getSpecialTokensMask(), decoded: decoded[k],
        }));
    }
    return out;
}

function oursRun(cli, file, inputFile, n) {
    const res = spawnSync(cli, ['tokenize', '--tokenizer', file, '--json', '--decoded', '--input', inputFile],
        { maxBuffer: 1 << 30, encoding: 'utf8' });
    if (res.error) return { error: `could not run ${cli}: ${res.error.message}` };
    if (res.status !== 0) return { error: `exit ${res.status}: ${(res.stderr || '').trim().split('\n').slice(0, 5).join(' | ')}` };
    const lines = res.stdout.split('\n').filter((l) => l.length);
    if (lines.length !== n) return { error: `${lines.length} output lines for ${n} inputs; stderr: ${(res.stderr || '').trim().slice(0, 400)}` };
    const out = [];
    for (let i = 0; i < n; i++) {
        try {
            out.push(JSON.parse(lines[i]));
        } catch (e) {
            return { error: `output line ${i + 1} is not JSON (${e.message}): ${lines[i].slice(0, 200)}` };
        }
    }
    return { out };
}

function inputLine(e) {
    return JSON.stringify(e.pair !== undefined ? [e.text, e.pair] : e.text);
}

/* Cuts entry down while ours and Rust still differ in field: drops chunks of
 * code points (halving the chunk size when no cut keeps the mismatch), all
 * the candidates of a round in one CLI batch. */
async function minimize(cli, file, tok, entry, field, tmp) {
    const key = (e) => JSON.stringify(e);
    let cur = { text: [...entry.text], pair: entry.pair !== undefined ? [...entry.pair] : undefined };
    const asEntry = (c) => (c.pair !== undefined ? { text: c.text.join(''), pair: c.pair.join('') } : { text: c.text.join('') });
    const inputFile = path.join(tmp, 'min.jsonl');
    const firstFailing = async (cands) => {
        const es = cands.map(asEntry);
        fs.writeFileSync(inputFile, es.map(inputLine).join('\n') + '\n');
        const ours = oursRun(cli, file, inputFile, es.length);
        if (ours.error) return -1;
        const ref = await referenceRun(tok, es);
        for (let i = 0; i < es.length; i++) {
            if (key(ours.out[i][field]) !== key(ref[i][field])) return i;
        }
        return -1;
    };
    if (cur.pair !== undefined) { /* without the pair at all? */
        if ((await firstFailing([{ text: cur.text }])) === 0) cur = { text: cur.text };
    }
    for (let round = 0; round < 400; round++) {
        let progressed = false;
        for (const part of ['text', 'pair']) {
            if (cur[part] === undefined || !cur[part].length) continue;
            for (let k = Math.ceil(cur[part].length / 2); k >= 1; k = Math.floor(k / 2)) {
                const cands = [];
                for (let i = 0; i < cur[part].length; i += k) {
                    const c = { ...cur };
                    c[part] = cur[part].slice(0, i).concat(cur[part].slice(i + k));
                    cands.push(c);
                }
                const at = await firstFailing(cands);
                if (at >= 0) {
                    cur = cands[at];
                    progressed = true;
                    break;
                }
            }
        }
        if (!progressed) break;
    }
    return asEntry(cur);
}

function specialsOf(fixtures, names) {
    const set = new Set();
    for (const n of names) {
        const j = JSON.parse(fs.readFileSync(path.join(fixtures, n + '.json'), 'utf8'));
        const added = (j.added_tokens || []).map((t) => t.content);
        /* all of a small list; a sample of a long one (llama's 259 byte tokens) */
        added.filter((t, i) => added.length <= 12 || i < 4 || i % 37 === 0).forEach((t) => set.add(t));
    }
    return [...set];
}

/* ---- truncation mode --------------------------------------------------- */

/* Kinds of short text for the truncation cases: a few tokens to a few dozen,
 * so that max_length 0..8 cuts them in every way. */
const TRUNC_KINDS = ['word', 'word', 'script', 'emoji', 'combining', 'special', 'punct', 'number',
    'whitespace', 'compat', 'apostrophe', 'jamo'];
const STRATEGIES = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' };

function shortText(r, pieces) {
    const n = r.int(0, 4);
    let s = '';
    for (let i = 0; i < n; i++) {
        if (i && r.chance(0.7)) s += ' ';
        s += pieces[r.pick(TRUNC_KINDS)](r);
    }
    return s;
}

function pickSetting(r) {
    const ml = r.int(0, 8);
    return {
        ml,
        stride: ml > 0 ? r.int(0, Math.min(3, ml - 1)) : 0,
        strategy: r.pick(['longest_first', 'longest_first', 'only_first', 'only_second']),
        left: r.chance(0.35),
        special: r.chance(0.6),
        pad: r.chance(0.3) ? { to: r.int(0, 12), multiple: r.chance(0.4) ? r.int(1, 8) : 0, left: r.chance(0.3) } : null,
    };
}

function settingArgs(t) {
    const args = ['--truncate', String(t.ml), '--stride', String(t.stride), '--truncation-strategy', t.strategy,
        '--truncation-side', t.left ? 'left' : 'right'];
    if (!t.special) args.push('--no-special');
    if (t.pad) {
        args.push('--pad-to', String(t.pad.to), '--padding-side', t.pad.left ? 'left' : 'right');
        if (t.pad.multiple) args.push('--pad-multiple', String(t.pad.multiple));
    }
    return args;
}

function settingName(t) {
    return settingArgs(t).join(' ');
}

/* Would the Rust library's truncate_encodings reach Encoding::truncate's
 * assert (stride < max_len) and abort? na, nb: the sequences' lengths after
 * its pre-cut (nb undefined without a pair); added: the special tokens the
 * post-processor adds. Mirrors tokenizers/src/utils/truncation.rs. */
function predictPanic(t, na, nb, added) {
    if (added > t.ml) return false; /* max_length - added wraps: nothing is cut */
    const max = t.ml - added;
    if (max === 0 || na + (nb || 0) <= max) return false;
    const hits = (target, len) => target > 0 && target < len && t.stride >= target;
    if (t.strategy === 'longest_first') {
        if (nb === undefined) return hits(max, na);
        let n1 = na, n2 = nb;
        const swap = n1 > n2;
        if (swap) [n1, n2] = [n2, n1];
        n2 = n1 > max ? n1 : Math.max(n1, max - n1);
        if (n1 + n2 > max) {
            n1 = Math.floor(max / 2);
            n2 = n1 + (max % 2);
        }
        if (swap) [n1, n2] = [n2, n1];
        return hits(n1, na) || hits(n2, nb);
    }
    const len = t.strategy === 'only_first' ? na : nb;
    const toRemove = na + (nb || 0) - max;
    if (len === undefined || len <= toRemove) return false; /* an error, not a panic */
    return hits(len - toRemove, len);
}

/* A sequence's length after the pre-cut: the tokens of all the windows of
 * it alone, truncated with stride 0 (disjoint windows) and no specials. */
async function precutLength(probe, t, text) {
    probe.setTruncation(t.ml, { stride: 0, strategy: 'LongestFirst', direction: t.left ? 'left' : 'right' });
    const e = await probe.encode(text, null, { addSpecialTokens: false });
    const count = (x) => x.getIds().length + x.getOverflowing().reduce((n, o) => n + count(o), 0);
    return count(e);
}

function refObject(e) {
    return {
        ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets(), type_ids: e.getTypeIds(),
        attention_mask: e.getAttentionMask(), special_tokens_mask: e.getSpecialTokensMask(),
        word_ids: e.getWordIds().map((w) => (w === undefined ? null : w)),
        sequence_ids: e.getSequenceIds().map((w) => (w === undefined ? null : w)),
        overflowing: e.getOverflowing().map(refObject),
    };
}

/* Differences between our object and Rust's, overflowing windows included:
 * a list of "overflowing[1].overflowing[0].ids" like paths. */
function compareDeep(ours, ref, where = '', out = []) {
    for (const f of compare(ours, ref)) if (f !== 'decoded') out.push(where + f);
    for (const f of ['word_ids', 'sequence_ids']) {
        if (JSON.stringify(ours[f]) !== JSON.stringify(ref[f])) out.push(where + f);
    }
    const oo = ours.overflowing || [], ro = ref.overflowing;
    if (oo.length !== ro.length) out.push(`${where}overflowing (ours ${oo.length} windows, rust ${ro.length})`);
    for (let i = 0; i < Math.min(oo.length, ro.length); i++) compareDeep(oo[i], ro[i], `${where}overflowing[${i}].`, out);
    return out;
}

function brief(e) {
    const one = (x) => `${JSON.stringify(x.ids)} ${esc(x.tokens)} ${JSON.stringify(x.offsets)} types ${JSON.stringify(x.type_ids)}` +
        ` att ${JSON.stringify(x.attention_mask)} special ${JSON.stringify(x.special_tokens_mask)}` +
        ` words ${JSON.stringify(x.word_ids)} seq ${JSON.stringify(x.sequence_ids)}`;
    const lines = [];
    const walk = (x, depth) => {
        lines.push('        ' + '  '.repeat(depth) + one(x));
        for (const o of x.overflowing || []) {
            if (lines.length > 12) return;
            walk(o, depth + 1);
        }
    };
    walk(e, 0);
    return lines.join('\n');
}

/* Runs the truncation cases of every tokenizer; returns [cases compared,
 * mismatches, failures]. */
async function truncationMode(a, tk, names, tmp) {
    const per = 12; /* cases per setting: one CLI run */
    let compared = 0, refused = 0, panics = 0, mismatches = 0, failures = 0, shown = 0;
    for (const name of names) {
        const file = path.join(a.fixtures, name + '.json');
        const r = makeRng(a.seed * 7919 + names.indexOf(name) + 1);
        const pieces = makePieces(specialsOf(a.fixtures, [name]));
        const rt = tk.Tokenizer.fromFile(file), probe = tk.Tokenizer.fromFile(file), plain = tk.Tokenizer.fromFile(file);
        const addedSingle = (await plain.encode('')).getIds().length;
        const addedPair = (await plain.encode('', '')).getIds().length;
        let bad = 0, done = 0;
        for (let g = 0; done < a.truncCount; g++) {
            const t = pickSetting(r);
            const cases = [];
            for (let k = 0; k < per && done < a.truncCount; k++, done++) {
                cases.push(r.chance(0.85) ? { text: shortText(r, pieces), pair: shortText(r, pieces) } : { text: shortText(r, pieces) });
            }
            rt.setTruncation(t.ml, { stride: t.stride, strategy: STRATEGIES[t.strategy], direction: t.left ? 'left' : 'right' });
            if (t.pad) {
                const opts = { maxLength: t.pad.to, direction: t.pad.left ? 'left' : 'right', padId: 0, padTypeId: 0, padToken: '[PAD]' };
                if (t.pad.multiple) opts.padToMultipleOf = t.pad.multiple;
                rt.setPadding(opts);
            } else {
                rt.disablePadding();
            }
            const ok = [], refuse = [];
            for (const c of cases) {
                const na = await precutLength(probe, t, c.text);
                const nb = c.pair !== undefined ? await precutLength(probe, t, c.pair) : undefined;
                const added = t.special ? (c.pair !== undefined ? addedPair : addedSingle) : 0;
                if (predictPanic(t, na, nb, added)) {
                    panics++;
                    refuse.push([c, 'would abort the Rust library (stride not below the length kept)']);
                    continue;
                }
                try {
                    const e = await rt.encode(c.text, c.pair !== undefined ? c.pair : null, { addSpecialTokens: t.special });
                    ok.push([c, refObject(e)]);
                } catch (err) {
                    refused++;
                    refuse.push([c, String(err.message || err)]);
                }
            }
            const args = settingArgs(t);
            /* what the Rust library refuses, ours must refuse: a few alone */
            for (const [c, why] of refuse.slice(0, 3)) {
                const f = path.join(tmp, 'trunc-one.jsonl');
                fs.writeFileSync(f, inputLine(c) + '\n');
                const res = spawnSync(a.cli, ['tokenize', '--tokenizer', file, '--json', '--input', f, ...args], { encoding: 'utf8' });
                if (res.status !== 1) {
                    bad++;
                    if (shown++ < a.show) {
                        console.log(`MISMATCH ${name} truncation [${settingName(t)}]: rust refuses (${why}), ours exits ${res.status}`);
                        console.log(`    input: ${esc(c.pair !== undefined ? [c.text, c.pair] : c.text)}`);
                    }
                }
            }
            if (!ok.length) continue;
            const input = path.join(tmp, 'trunc.jsonl');
            fs.writeFileSync(input, ok.map(([c]) => inputLine(c)).join('\n') + '\n');
            const res = spawnSync(a.cli, ['tokenize', '--tokenizer', file, '--json', '--word-ids', '--input', input, ...args],
                { maxBuffer: 1 << 30, encoding: 'utf8' });
            const lines = (res.stdout || '').split('\n').filter((l) => l.length);
            if (res.status !== 0 || lines.length !== ok.length) {
                failures++;
                console.log(`FAIL ${name} truncation [${settingName(t)}]: exit ${res.status}, ${lines.length} lines for ${ok.length} inputs: ` +
                    (res.stderr || '').trim().split('\n').slice(0, 3).join(' | '));
                continue;
            }
            for (let i = 0; i < ok.length; i++) {
                compared++;
                const [c, ref] = ok[i];
                const ours = JSON.parse(lines[i]);
                const diffs = compareDeep(ours, ref);
                if (!diffs.length) continue;
                bad++;
                if (shown++ < a.show) {
                    console.log(`MISMATCH ${name} truncation [${settingName(t)}]: ${diffs.slice(0, 4).join(', ')}${diffs.length > 4 ? ', ...' : ''}`);
                    console.log(`    input: ${esc(c.pair !== undefined ? [c.text, c.pair] : c.text)}`);
                    console.log(`      ours\n${brief(ours)}\n      rust\n${brief(ref)}`);
                }
            }
        }
        console.log(`${name} truncation: ${a.truncCount - bad}/${a.truncCount} cases agree`);
        mismatches += bad;
    }
    console.log(`truncation: ${a.truncCount} cases x ${names.length} tokenizers: ${compared} encodings compared ` +
        `(overflowing windows included), ${refused} refused by both, ${panics} predicted Rust aborts; ` +
        `${mismatches} mismatches${failures ? `, ${failures} failed runs` : ''} (seed ${a.seed})`);
    return [mismatches, failures];
}

async function main() {
    const a = parseArgs(process.argv.slice(2));
    const all = ['wordpiece', 'bytelevel_bpe', 'llama_bpe', 'unigram'];
    const names = a.only || all;
    for (const n of names) {
        if (!all.includes(n)) usage(`--only: '${n}' is none of ${all.join(', ')}`);
    }
    const entries = generate(a.seed, a.count, { specials: specialsOf(a.fixtures, all), maxAge: a.maxAge,
        exclude: a.noNul ? ['\u0000'] : undefined });
    if (a.generate) {
        for (const e of entries) process.stdout.write(JSON.stringify(e.pair !== undefined ? [e.text, e.pair] : e.text) + '\n');
        return 0;
    }
    let tk;
    try {
        tk = require(path.join(a.nodeModules, 'tokenizers'));
    } catch (e) {
        process.stderr.write(`tokenizer_diff: the Rust tokenizers binding is not in ${a.nodeModules} (run scripts/bootstrap.sh): ${e.message}\n`);
        return 77;
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tkdiff-'));
    const input = a.dump || path.join(tmp, 'input.jsonl');
    fs.writeFileSync(input, entries.map(inputLine).join('\n') + '\n');

    let mismatches = 0, failures = 0, shown = 0;
    const byTok = {}, byField = {}, byKind = {};
    for (const name of a.truncOnly ? [] : names) {
        const file = path.join(a.fixtures, name + '.json');
        const t0 = Date.now();
        const ours = oursRun(a.cli, file, input, entries.length);
        const t1 = Date.now();
        const rustTok = tk.Tokenizer.fromFile(file);
        const ref = await referenceRun(rustTok, entries);
        const t2 = Date.now();
        if (ours.error) {
            failures++;
            console.log(`FAIL ${name}: our CLI failed on the batch: ${ours.error}`);
            continue;
        }
        let bad = 0;
        const toMinimize = [];
        for (let i = 0; i < entries.length; i++) {
            const fields = compare(ours.out[i], ref[i]);
            if (!fields.length) continue;
            bad++;
            if (toMinimize.length < a.minimize) toMinimize.push([i, fields[0]]);
            fields.forEach((f) => { byField[f] = (byField[f] || 0) + 1; });
            entries[i].kinds.forEach((k) => { byKind[k] = (byKind[k] || 0) + 1; });
            if (shown++ < a.show) {
                const e = entries[i];
                console.log(`MISMATCH ${name} #${i} [${e.kinds.join(',')}] fields: ${fields.join(', ')}`);
                console.log(`    text: ${show(e.text)}`);
                if (e.pair !== undefined) console.log(`    pair: ${show(e.pair)}`);
                const tokField = fields.find((f) => f !== 'decoded');
                if (tokField) {
                    const at = firstDiff(ours.out[i][tokField] || [], ref[i][tokField]);
                    console.log(`    first difference in ${tokField} at token ${at} (ours ${(ours.out[i].ids || []).length} tokens, rust ${ref[i].ids.length}):`);
                    console.log(window(ours.out[i], ref[i], at));
                }
                if (fields.includes('decoded')) console.log(`    decoded: ours ${show(ours.out[i].decoded)}\n             rust ${show(ref[i].decoded)}`);
            }
        }
        byTok[name] = bad;
        mismatches += bad;
        console.log(`${name}: ${entries.length - bad}/${entries.length} agree (ours ${t1 - t0} ms for the batch, rust ${t2 - t1} ms)`);
        const seen = new Set();
        for (const [i, field] of toMinimize) {
            const m = await minimize(a.cli, file, rustTok, entries[i], field, tmp);
            const id = JSON.stringify(m);
            if (seen.has(id)) continue;
            seen.add(id);
            const [o] = oursRun(a.cli, file, (fs.writeFileSync(path.join(tmp, 'one.jsonl'), inputLine(m) + '\n'), path.join(tmp, 'one.jsonl')), 1).out || [null];
            const [r] = await referenceRun(rustTok, [m]);
            const line = (who, e) => `      ${who} ids ${JSON.stringify(e.ids)} tokens ${esc(e.tokens)} offsets ${JSON.stringify(e.offsets)}` +
                (o.decoded !== r.decoded ? ` decoded ${esc(e.decoded)}` : '');
            console.log(`  minimized ${name} #${i} (${field}): ${esc(m.pair !== undefined ? [m.text, m.pair] : m.text)}` +
                (o ? '\n' + line('ours', o) + '\n' + line('rust', r) : ' (our CLI failed on it alone)'));
        }
    }
    if (mismatches) {
        console.log('mismatches by field: ' + Object.entries(byField).map(([k, v]) => `${k} ${v}`).join(', '));
        console.log('strings with a mismatch, by the kinds of text in them: ' +
            Object.entries(byKind).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', '));
        if (!a.dump) console.log(`(rerun with --seed ${a.seed} --count ${a.count} --dump FILE to keep the inputs)`);
    }
    if (!a.truncOnly) console.log(`${entries.length} strings x ${names.length} tokenizers: ${mismatches} mismatches` +
        (failures ? `, ${failures} failed runs` : '') + ` (seed ${a.seed}${a.maxAge ? ', code points of Unicode ' + a.maxAge + ' only' : ''}${a.noNul ? ', no U+0000' : ''})`);
    if (a.truncCount) {
        const [m, f] = await truncationMode(a, tk, names, tmp);
        mismatches += m;
        failures += f;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    return mismatches || failures ? 1 : 0;
}

module.exports = { generate, makeRng, SPECIAL_EXTRAS };

if (require.main === module) {
    main().then((rc) => process.exit(rc), (e) => {
        process.stderr.write(`tokenizer_diff: ${e.stack || e}\n`);
        process.exit(1);
    });
}
