#!/usr/bin/env node
/*
 * tokenizer_peer: the peers of bench_tokenizer, timed in node on the same
 * tokenizer.json and the same chunks. bench_tokenizer spawns it; it can also
 * run by hand.
 *
 *   node bench/tokenizer_peer.js --impl js|rust --tokenizer FILE.json
 *        --chunks FILE.jsonl [--warmup 1] [--reps 5] [--threads 1]
 *        [--node-modules deps/node/node_modules]
 *
 * --impl js: @huggingface/tokenizers, the pure-JS tokenizer that
 *   transformers.js 4.3.1 bundles (its AutoTokenizer builds this class), one
 *   encode() per chunk on node's one thread. It has no Nmt normalizer (the
 *   unigram fixture's first); that one is given as the two Replace
 *   normalizers it amounts to (delete some controls, map some spaces to ' '),
 *   which changes nothing in the ids.
 * --impl rust: the Rust tokenizers library's node binding, encodeBatch over
 *   all chunks on --threads threads (RAYON_NUM_THREADS).
 *
 * The chunks file has one JSON string per line. Prints one JSON line:
 * {"impl", "version", "supported", "chunks", "bytes", "tokens", "runs_s",
 * "median_s"} ("supported": false and "error" when it cannot run). Each run
 * encodes every chunk once, with special tokens; a warm-up run comes first.
 */
'use strict';

const fs = require('fs');
const path = require('path');

function parseArgs(argv) {
    const a = { impl: null, tokenizer: null, chunks: null, warmup: 1, reps: 5, threads: 1,
        nodeModules: process.env.IA_NODE_MODULES || path.join(__dirname, '..', 'deps', 'node', 'node_modules') };
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i], v = () => argv[++i];
        if (k === '--impl') a.impl = v();
        else if (k === '--tokenizer') a.tokenizer = v();
        else if (k === '--chunks') a.chunks = v();
        else if (k === '--warmup') a.warmup = Number(v());
        else if (k === '--reps') a.reps = Number(v());
        else if (k === '--threads') a.threads = Number(v());
        else if (k === '--node-modules') a.nodeModules = v();
        else fail(`unknown option '${k}'`, 2);
    }
    if (!['js', 'rust'].includes(a.impl) || !a.tokenizer || !a.chunks || !(a.reps >= 1) || !(a.warmup >= 0) || !(a.threads >= 1))
        fail('usage: tokenizer_peer.js --impl js|rust --tokenizer FILE --chunks FILE [--warmup N] [--reps N] [--threads N]', 2);
    return a;
}

function fail(msg, rc) {
    process.stderr.write(`tokenizer_peer: ${msg}\n`);
    process.exit(rc);
}

function report(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

function median(xs) {
    const s = [...xs].sort((x, y) => x - y);
    return s[Math.floor(s.length / 2)];
}

/* Nmt as Replace normalizers: the same code points as the Rust library's
 * do_nmt (normalizers/unicode.rs). */
function withoutNmt(n) {
    if (!n) return n;
    if (n.type === 'Nmt') {
        return { type: 'Sequence', normalizers: [
            { type: 'Replace', pattern: { Regex: '[\\u0001-\\u0008\\u000B\\u000E-\\u001F\\u007F\\u008F\\u009F]' }, content: '' },
            { type: 'Replace', pattern: { Regex: '[\\u0009\\u000A\\u000C\\u000D\\u1680\\u200B-\\u200F\\u2028\\u2029\\u2581\\uFEFF\\uFFFD]' }, content: ' ' },
        ] };
    }
    if (n.type === 'Sequence') return { ...n, normalizers: n.normalizers.map(withoutNmt) };
    return n;
}

function version(mod) {
    try {
        return JSON.parse(fs.readFileSync(path.join(mod, 'package.json'), 'utf8')).version;
    } catch (e) {
        return '?';
    }
}

async function main() {
    const a = parseArgs(process.argv.slice(2));
    const chunks = fs.readFileSync(a.chunks, 'utf8').split('\n').filter((l) => l.length).map((l) => JSON.parse(l));
    const bytes = chunks.reduce((n, c) => n + Buffer.byteLength(c, 'utf8'), 0);
    const base = { impl: a.impl, chunks: chunks.length, bytes };
    const now = () => Number(process.hrtime.bigint()) / 1e9;
    const runs = [];
    let tokens = -1;

    if (a.impl === 'js') {
        const mod = path.join(a.nodeModules, '@huggingface', 'tokenizers');
        base.version = `@huggingface/tokenizers ${version(mod)} (the tokenizer of transformers.js)`;
        let tok;
        try {
            const { Tokenizer } = require(mod);
            const json = JSON.parse(fs.readFileSync(a.tokenizer, 'utf8'));
            json.normalizer = withoutNmt(json.normalizer);
            tok = new Tokenizer(json, {});
        } catch (e) {
            report({ ...base, supported: false, error: String(e.message || e).slice(0, 300) });
            return 0;
        }
        const once = () => {
            let n = 0;
            for (const c of chunks) n += tok.encode(c).ids.length;
            return n;
        };
        for (let i = 0; i < a.warmup; i++) tokens = once();
        for (let i = 0; i < a.reps; i++) {
            const t0 = now();
            tokens = once();
            runs.push(now() - t0);
        }
    } else {
        /* rayon sizes its pool from the environment when first used */
        process.env.RAYON_NUM_THREADS = String(a.threads);
        process.env.TOKENIZERS_PARALLELISM = a.threads > 1 ? 'true' : 'false';
        const mod = path.join(a.nodeModules, 'tokenizers');
        base.version = `tokenizers ${version(mod)} (Rust, node binding), ${a.threads} thread${a.threads > 1 ? 's' : ''}`;
        let tok;
        try {
            tok = require(mod).Tokenizer.fromFile(a.tokenizer);
        } catch (e) {
            report({ ...base, supported: false, error: String(e.message || e).slice(0, 300) });
            return 0;
        }
        const once = async () => {
            const encs = await tok.encodeBatch(chunks);
            let n = 0;
            for (const e of encs) n += e.getLength();
            return n;
        };
        for (let i = 0; i < a.warmup; i++) tokens = await once();
        for (let i = 0; i < a.reps; i++) {
            const t0 = now();
            tokens = await once();
            runs.push(now() - t0);
        }
    }
    report({ ...base, supported: true, tokens, runs_s: runs, median_s: median(runs) });
    return 0;
}

main().then((rc) => process.exit(rc), (e) => fail(e.stack || String(e), 1));
