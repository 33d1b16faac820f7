#!/usr/bin/env node
/*
 * unicode_compat: the Rust-compatibility character sets that
 * scripts/gen_unicode_tables.py derives from the UCD (category in the
 * crate's Unicode version, DerivedAge, a few documented category changes)
 * against the Rust `tokenizers` library itself (its node binding,
 * tokenizers@0.23.2), over every code point but the surrogates.
 *
 * Our side is tests/unicode_compat_dump.c: one line per set, "NAME RANGES"
 * (RANGES: comma-separated hex "LO-HI", or "-" for an empty set). The Rust
 * side is measured by running its components on batches of strings:
 *
 *   mark       StripAccents on "a" + c: c is dropped
 *              (unicode_normalization_alignments is_combining_mark).
 *   bert_mn    BertNormalizer (strip_accents only) on "a" + c: c is dropped
 *              (NFD, then unicode_categories is_mark_nonspacing). Only the
 *              code points Rust's NFD leaves alone can be seen; the others
 *              never reach the filter and are not compared.
 *   other      BertNormalizer (clean_text only) on "a" + c: c is dropped
 *              (unicode_categories is_other). NUL, U+FFFD, tab, LF and CR
 *              have rules of their own in bert.rs and are not compared.
 *   punct      Punctuation pre-tokenizer on "a" c "a" ...: c is a piece of
 *              its own (char::is_ascii_punctuation || is_punctuation).
 *   undecomposed
 *              code points that our Unicode 15.0 tables decompose (NFKD) or
 *              give a nonzero combining class ("normalizing", also dumped)
 *              but Rust's normalizer knows neither way: its NFKD leaves c
 *              alone, and c reorders with neither U+0334 (class 1) after
 *              it nor U+0345 (class 240) before it. The set must equal
 *              normalizing minus what Rust knows, and Rust must know
 *              nothing outside normalizing.
 *
 * Every differing code point is printed (up to --show per set, then a
 * count). Exit 0 when every set agrees, 1 when one differs or a run fails,
 * 2 on a usage error.
 *
 *   node tests/unicode_compat.js --dump build/tests/unicode_compat_dump
 *        [--node-modules deps/node/node_modules] [--show 40]
 *   node tests/unicode_compat.js --measure [--node-modules DIR]
 *        (print Rust's sets in the dump's format, to study them)
 */
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');

const MAX = 0x10ffff;
const CHUNK = 1 << 15; /* code points per call */

function usage(msg) {
    process.stderr.write(`unicode_compat: ${msg}\n` +
        'usage: unicode_compat.js --dump PATH [--node-modules DIR] [--show N] | --measure\n');
    process.exit(2);
}

function parseArgs(argv) {
    const a = { dump: null, measure: false, show: 40,
        nodeModules: path.join(__dirname, '..', 'deps', 'node', 'node_modules') };
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i];
        const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${k} needs a value`));
        if (k === '--dump') a.dump = val();
        else if (k === '--node-modules') a.nodeModules = val();
        else if (k === '--show') a.show = parseInt(val(), 10);
        else if (k === '--measure') a.measure = true;
        else usage(`unknown argument ${k}`);
    }
    if (!a.dump && !a.measure) usage('--dump or --measure is required');
    if (!(a.show >= 0)) usage('--show needs a number');
    return a;
}

/* Every code point but the surrogates. */
function allCodePoints() {
    const out = [];
    for (let c = 0; c <= MAX; c++) if (c < 0xd800 || c > 0xdfff) out.push(c);
    return out;
}

const str = (c) => String.fromCodePoint(c);

/* The code points of cps that `norm` drops from "a" + c. Batched: the
 * string "a" c1 "a" c2 ... is normalised at once and read back item by
 * item; each c is either kept, dropped, or (clean_text) turned into a
 * space, and "a" itself is never dropped. ASCII code points, which could
 * be confused with the "a" separators, go one call each. */
function measureDropped(norm, cps) {
    const dropped = new Set();
    const ascii = cps.filter((c) => c < 0x80);
    for (const c of ascii) {
        const out = norm.normalizeString('a' + str(c));
        if (out === 'a') dropped.add(c);
        else if (out.codePointAt(0) !== 0x61 || [...out].length !== 2) {
            throw new Error(`unexpected output for U+${hex(c)}: ${JSON.stringify(out)}`);
        }
    }
    const rest = cps.filter((c) => c >= 0x80);
    for (let i = 0; i < rest.length; i += CHUNK) {
        const part = rest.slice(i, i + CHUNK);
        const out = [...norm.normalizeString(part.map((c) => 'a' + str(c)).join(''))];
        let p = 0;
        for (const c of part) {
            if (out[p] !== 'a') throw new Error(`batch out of step at U+${hex(c)}`);
            p++;
            if (p < out.length && out[p] !== 'a') p++; /* kept (or a space) */
            else dropped.add(c);
        }
        if (p !== out.length) throw new Error(`batch out of step after U+${hex(part[part.length - 1])}`);
    }
    return dropped;
}

/* The code points of cps that the Punctuation pre-tokenizer isolates in
 * "a" c "a": in a batch "a" c1 "a" c2 "a" ..., such a c is a piece of its
 * own and any other is merged with the "a"s around it. */
function measurePunct(pre, cps) {
    const punct = new Set();
    for (let i = 0; i < cps.length; i += CHUNK) {
        const part = cps.slice(i, i + CHUNK).filter((c) => c !== 0x61);
        const pieces = pre.preTokenizeString('a' + part.map((c) => str(c) + 'a').join(''));
        for (const [s] of pieces) {
            const chars = [...s];
            if (chars.length === 1 && s !== 'a') punct.add(s.codePointAt(0));
        }
    }
    return punct;
}

/* Normalises SEP item SEP item ... at once and returns the items' outputs.
 * SEP (U+0001) is a starter nothing decomposes to, so each item is
 * normalised as if alone. */
function normalizeItems(norm, items) {
    const SEP = '\u0001';
    const out = [];
    for (let i = 0; i < items.length; i += CHUNK) {
        const part = items.slice(i, i + CHUNK);
        const res = norm.normalizeString(SEP + part.join(SEP)).split(SEP);
        if (res.length !== part.length + 1 || res[0] !== '') throw new Error('separator lost in a batch');
        for (let k = 1; k < res.length; k++) out.push(res[k]);
    }
    return out;
}

/* What Rust's normalizer knows: code points its NFKD changes, or that it
 * gives a nonzero combining class (measured by canonical reordering). Also
 * returns the set its NFD leaves alone, for bert_mn. */
function measureNormalization(tk, cps) {
    const nfdStable = new Set();
    const known = new Set();
    const items = cps.filter((c) => c !== 1).map(str);
    const nfd = normalizeItems(tk.nfdNormalizer(), items);
    const nfkd = normalizeItems(tk.nfkdNormalizer(), items);
    const stable = [];
    items.forEach((s, i) => {
        const c = s.codePointAt(0);
        if (nfd[i] === s) nfdStable.add(c);
        if (nfkd[i] !== s) known.add(c);
        else stable.push(c);
    });
    /* U+0001, the separator, is a control: Rust leaves it alone. */
    nfdStable.add(1);
    /* c 0334 reorders when c's class is over 1; 0345 c when it is 1..239. */
    const after = normalizeItems(tk.nfdNormalizer(), stable.map((c) => str(c) + '\u0334'));
    const before = normalizeItems(tk.nfdNormalizer(), stable.map((c) => '\u0345' + str(c)));
    stable.forEach((c, i) => {
        if (after[i] !== str(c) + '\u0334' || before[i] !== '\u0345' + str(c)) known.add(c);
    });
    return { known, nfdStable };
}

function hex(c) {
    return c.toString(16).toUpperCase().padStart(4, '0');
}

function toRanges(set) {
    const s = [...set].sort((x, y) => x - y);
    const out = [];
    for (const c of s) {
        if (out.length && out[out.length - 1][1] === c - 1) out[out.length - 1][1] = c;
        else out.push([c, c]);
    }
    return out.length ? out.map(([lo, hi]) => `${hex(lo)}-${hex(hi)}`).join(',') : '-';
}

function fromRanges(text) {
    const set = new Set();
    if (text === '-') return set;
    for (const r of text.split(',')) {
        const m = /^([0-9A-F]+)-([0-9A-F]+)$/.exec(r);
        if (!m) throw new Error(`bad range ${r}`);
        for (let c = parseInt(m[1], 16); c <= parseInt(m[2], 16); c++) set.add(c);
    }
    return set;
}

function measureAll(tk) {
    const cps = allCodePoints();
    const t0 = Date.now();
    const norm = measureNormalization(tk, cps);
    const sets = {
        mark: measureDropped(tk.stripAccentsNormalizer(), cps),
        bert_mn: measureDropped(tk.bertNormalizer({ cleanText: false, handleChineseChars: false,
            stripAccents: true, lowercase: false }), cps.filter((c) => norm.nfdStable.has(c))),
        other: measureDropped(tk.bertNormalizer({ cleanText: true, handleChineseChars: false,
            stripAccents: false, lowercase: false }), cps),
        punct: measurePunct(tk.punctuationPreTokenizer(), cps),
    };
    return { sets, norm, ms: Date.now() - t0 };
}

/* Compares one set over the code points in `domain` (all when null). */
function compare(name, ours, rust, domain, show) {
    const onlyOurs = [], onlyRust = [];
    for (let c = 0; c <= MAX; c++) {
        if ((c >= 0xd800 && c <= 0xdfff) || (domain && !domain(c))) continue;
        const o = ours.has(c), r = rust.has(c);
        if (o && !r) onlyOurs.push(c);
        else if (r && !o) onlyRust.push(c);
    }
    const n = onlyOurs.length + onlyRust.length;
    if (!n) {
        console.log(`ok   ${name}: ${ours.size} code points`);
        return 0;
    }
    console.log(`FAIL ${name}: ${n} code points differ`);
    const list = (label, v) => {
        if (!v.length) return;
        const shown = v.slice(0, show).map((c) => `U+${hex(c)}`).join(' ');
        console.log(`    ${label} (${v.length}): ${shown}${v.length > show ? ' ...' : ''}`);
    };
    list('in ours only', onlyOurs);
    list('in Rust only', onlyRust);
    return 1;
}

function main() {
    const a = parseArgs(process.argv.slice(2));
    let tk;
    try {
        tk = require(path.join(a.nodeModules, 'tokenizers'));
    } catch (e) {
        process.stderr.write(`unicode_compat: skipped: the tokenizers binding is not in ${a.nodeModules}: ${e.message}\n`);
        return 77;
    }
    if (a.measure) {
        const m = measureAll(tk);
        for (const [name, set] of Object.entries(m.sets)) console.log(`${name} ${toRanges(set)}`);
        console.log(`known ${toRanges(m.norm.known)}`);
        return 0;
    }
    const run = spawnSync(a.dump, [], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.error || run.status !== 0) {
        console.log(`FAIL: ${a.dump} failed: ${run.error ? run.error.message : run.stderr}`);
        return 1;
    }
    const ours = {};
    for (const line of run.stdout.split('\n')) {
        if (!line) continue;
        const sp = line.indexOf(' ');
        ours[line.slice(0, sp)] = fromRanges(line.slice(sp + 1));
    }
    const want = ['mark', 'bert_mn', 'other', 'punct', 'undecomposed', 'normalizing'];
    const missing = want.filter((n) => !ours[n]);
    if (missing.length) {
        console.log(`FAIL: the dump has no ${missing.join(', ')}`);
        return 1;
    }
    const m = measureAll(tk);
    let bad = 0;
    bad += compare('mark (StripAccents)', ours.mark, m.sets.mark, null, a.show);
    bad += compare('bert_mn (BertNormalizer strip_accents)', ours.bert_mn, m.sets.bert_mn,
        (c) => m.norm.nfdStable.has(c), a.show);
    const bertOwn = new Set([0x0, 0x9, 0xa, 0xd, 0xfffd]);
    bad += compare('other (BertNormalizer clean_text)', ours.other, m.sets.other, (c) => !bertOwn.has(c), a.show);
    bad += compare('punct (Punctuation pre-tokenizer)', ours.punct, m.sets.punct, null, a.show);
    /* What Rust does not know of what we normalise. */
    const unknown = new Set([...ours.normalizing].filter((c) => !m.norm.known.has(c)));
    bad += compare('undecomposed (NFD/NFKD, combining classes)', ours.undecomposed, unknown, null, a.show);
    const beyond = new Set([...m.norm.known].filter((c) => !ours.normalizing.has(c)));
    bad += compare('Rust normalises only what we do', new Set(), beyond, null, a.show);
    console.log(`${bad ? 'FAIL' : 'ok'}: ${want.length - 1} sets over U+0000..U+10FFFF ` +
        `(${m.ms} ms in the Rust library)`);
    return bad ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
