/**
 * `npm run fuzz` entry (bundled by fuzz/run.mjs). Flags:
 *   --seed N        replay a run (default: a fresh random seed, printed)
 *   --inputs N      stop after N inputs in total          --seconds S   stop after S seconds
 *   --workers N     worker threads (default: 2, or 1 on a single CPU)
 *   --replay I      run input I of --seed alone and print everything about it
 *   --hex HEX       run the checks on these bytes (a reproducer) and print the findings
 *   --hang-ms MS    per-input time that counts as a hang (default 100)
 *   --socket-every N  also feed every N-th input through the socket, dump and subscription
 *                   code on the fake kernel (default 64; 0 = never)
 *   --no-minimize   do not shrink reproducers      --json FILE   also write the result as JSON
 * Exit status: 0 without findings, 1 with findings, 2 for bad usage.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CLASSES, checkSeed, generate, mergeResults, minimize, runChecks, runFuzzAll, seedsOf } from './engine.js';
import { Rng } from './rng.js';
import { walk } from './structure.js';
import { socketChecks } from './socket-target.js';
function usage(msg) {
    process.stderr.write(`fuzz: ${msg}\nusage: npm run fuzz -- [--seed N] [--inputs N | --seconds S] [--workers N] [--replay I] [--hex HEX] [--hang-ms MS] [--socket-every N] [--no-minimize] [--json FILE]\n`);
    process.exit(2);
}
function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--'))
            usage(`unexpected argument ${a}`);
        const k = a.slice(2);
        if (k === 'no-minimize')
            out[k] = true;
        else if (['seed', 'inputs', 'seconds', 'workers', 'replay', 'hex', 'hang-ms', 'json', 'fixtures', 'socket-every'].includes(k)) {
            const v = argv[++i];
            if (v === undefined)
                usage(`${a} needs a value`);
            out[k] = v;
        }
        else
            usage(`unknown flag ${a}`);
    }
    return out;
}
function num(v, what) {
    if (v === undefined)
        return undefined;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isFinite(n) || n < 0)
        usage(`${what}: expected a number, got ${String(v)}`);
    return n;
}
async function runWorker(job) {
    const hb = new Int32Array(job.heartbeat);
    const res = await runFuzzAll({
        socketEvery: job.socketEvery,
        seed: job.seed,
        fixturesDir: job.fixturesDir,
        start: job.start,
        stride: job.stride,
        hangMs: job.hangMs,
        heartbeat: hb,
        heartbeatSlot: job.slot,
        ...(job.inputs !== undefined ? { inputs: job.inputs } : {}),
        ...(job.seconds !== undefined ? { seconds: job.seconds } : {}),
        onProgress: (done, findings) => parentPort.postMessage({ kind: 'progress', done, findings }),
    });
    parentPort.postMessage({ kind: 'done', res });
}
/** Run the workers; a worker stuck on one input for 10 s is a hard hang: it is replaced and the input recorded. */
async function runParallel(seed, fixturesDir, workers, inputs, seconds, hangMs, socketEvery) {
    const heartbeat = new SharedArrayBuffer(4 * workers);
    const hb = new Int32Array(heartbeat);
    const done = new Array(workers).fill(0);
    const results = [];
    const hardHangs = [];
    const t0 = Date.now();
    const seeds = seedsOf(fixturesDir);
    let lastPrint = Date.now();
    const perWorker = inputs !== undefined ? Math.ceil(inputs / workers) : undefined;
    const start = (slot, first, budget) => new Promise((resolve) => {
        const job = { seed, fixturesDir, start: first, stride: workers, hangMs, heartbeat, slot, socketEvery };
        if (budget !== undefined)
            job.inputs = budget;
        if (seconds !== undefined)
            job.seconds = Math.max(0, seconds - (Date.now() - t0) / 1000);
        Atomics.store(hb, slot, first);
        const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
        const base = done[slot];
        let last = first;
        let lastChange = Date.now();
        const timer = setInterval(() => {
            const cur = Atomics.load(hb, slot);
            if (cur !== last) {
                last = cur;
                lastChange = Date.now();
            }
            else if (Date.now() - lastChange > 10_000) {
                clearInterval(timer);
                void w.terminate();
                const inp = generate(seeds, seed, cur);
                hardHangs.push({ cls: 'hang', target: 'checkInput', signature: 'hang|checkInput|stuck 10 s', detail: 'one input ran for more than 10 s (worker terminated)', index: cur, hex: Buffer.from(inp.bytes).toString('hex'), le: inp.le, origin: inp.origin, count: 1 });
                const used = (cur - first) / workers + 1;
                void start(slot, cur + workers, budget !== undefined ? budget - used : undefined).then(resolve);
            }
        }, 1000);
        w.on('message', (m) => {
            if (m.kind === 'progress') {
                done[slot] = base + m.done;
                if (Date.now() - lastPrint > 5000) {
                    lastPrint = Date.now();
                    const total = done.reduce((a, b) => a + b, 0);
                    process.stderr.write(`  … ${total} inputs, ${((Date.now() - t0) / 1000).toFixed(0)} s, ${(total / ((Date.now() - t0) / 1000)).toFixed(0)} inputs/s\n`);
                }
            }
            else if (m.kind === 'done') {
                clearInterval(timer);
                results.push(m.res);
                resolve();
            }
        });
        w.on('error', (e) => {
            clearInterval(timer);
            process.stderr.write(`fuzz: worker ${slot} died: ${e.stack ?? String(e)}\n`);
            resolve();
        });
    });
    await Promise.all(Array.from({ length: workers }, (_, slot) => start(slot, slot, perWorker)));
    const merged = mergeResults(results);
    merged.findings.push(...hardHangs);
    merged.elapsedMs = Date.now() - t0;
    return merged;
}
function report(r, workers, doMinimize) {
    const s = (r.elapsedMs / 1000).toFixed(1);
    const out = [];
    out.push('');
    out.push(`seed ${r.seed}: ${r.inputs} inputs in ${s} s = ${Math.round(r.inputs / (r.elapsedMs / 1000))} inputs/s (${workers} worker${workers > 1 ? 's' : ''})`);
    out.push(`  also through the socket, dump and subscription code on the fake kernel: ${r.socketInputs} inputs`);
    out.push(`  decoded without error: ${r.accepted} (${((100 * r.accepted) / Math.max(1, r.inputs)).toFixed(1)} %); the rest were refused with a typed error or a finding`);
    const counts = CLASSES.map((c) => {
        const fs = r.findings.filter((f) => f.cls === c);
        return `${c} ${fs.length}${fs.length ? ` (${fs.reduce((a, f) => a + f.count, 0)} inputs)` : ''}`;
    });
    out.push(`  findings by class (distinct signatures): ${counts.join(', ')}`);
    out.push(`  slowest call of a library function: ${r.slowestCall.ms.toFixed(2)} ms, ${r.slowestCall.target} on input #${r.slowestCall.index}`);
    out.push(`  slowest input (all checks, harness included): #${r.slowest.index} ${r.slowest.ms.toFixed(2)} ms (${r.slowest.origin})`);
    out.push(`  memory: heapUsed ${(r.heapStart / 2 ** 20).toFixed(0)} → max ${(r.heapMax / 2 ** 20).toFixed(0)} MiB, rss ${(r.rssStart / 2 ** 20).toFixed(0)} → max ${(r.rssMax / 2 ** 20).toFixed(0)} MiB (per worker)`);
    process.stdout.write(out.join('\n') + '\n');
    for (const f of r.findings) {
        const min = doMinimize && f.cls !== 'hang' && f.cls !== 'memory' ? minimize(f.hex, f.le, f.signature, checkSeed(r.seed, f.index)) : f.hex;
        f.minimal = min;
        process.stdout.write(`\n[${f.cls}] ${f.target}: ${f.signature.split('|').slice(2).join('|')}\n` +
            `  ${f.count} input(s); first #${f.index} from ${f.origin}\n` +
            `  ${f.detail.split('\n').join('\n  ')}\n` +
            `  reproduce: npm run fuzz -- --seed ${r.seed} --replay ${f.index}\n` +
            `  minimal (${min.length / 2} bytes${f.le ? '' : ', big-endian'}): ${min.length > 600 ? min.slice(0, 600) + '…' : min}\n`);
    }
    process.stdout.write(`\n${r.findings.length === 0 ? 'no findings' : `${r.findings.length} finding(s)`}; replay this run: npm run fuzz -- --seed ${r.seed} --inputs ${r.inputs}\n`);
}
async function replay(seed, fixturesDir, index) {
    const seeds = seedsOf(fixturesDir);
    const inp = generate(seeds, seed, index);
    process.stdout.write(`input #${index} of seed ${seed}: ${inp.bytes.length} bytes${inp.le ? '' : ' (big-endian)'}\n  from ${inp.origin}\n  ${Buffer.from(inp.bytes).toString('hex')}\n`);
    const fs = runChecks(inp.bytes, inp.le, new Rng(checkSeed(seed, index)));
    if (inp.le)
        fs.push(...(await socketChecks(inp.bytes)));
    showFindings(fs, inp.bytes, inp.le);
}
function showFindings(fs, bytes, le) {
    const l = walk(bytes, le);
    process.stdout.write(`  layout: ${l.msgs.length} message(s), ${l.attrs.length} attribute(s), ${l.keys.length} key region(s)\n`);
    if (!fs.length)
        process.stdout.write('  no findings\n');
    for (const f of fs)
        process.stdout.write(`  [${f.cls}] ${f.target}: ${f.signature}\n    ${f.detail.split('\n').join('\n    ')}\n`);
    process.exitCode = fs.length ? 1 : 0;
}
async function main() {
    const args = parseArgs(process.argv.slice(2));
    const fixturesDir = typeof args.fixtures === 'string' ? args.fixtures : join(process.cwd(), 'fixtures');
    const seed = num(args.seed, '--seed') ?? randomBytes(4).readUInt32LE(0);
    const hangMs = num(args['hang-ms'], '--hang-ms') ?? 100;
    if (typeof args.hex === 'string') {
        const le = true;
        const b = Uint8Array.from(Buffer.from(args.hex.replace(/\s+/g, ''), 'hex'));
        process.stdout.write(`${b.length} bytes\n`);
        // The lower-level targets (struct codecs, offsets) are random draws: try 16 of them.
        const all = new Map();
        for (let s = 1; s <= 16; s++)
            for (const f of runChecks(b, le, new Rng(s)))
                if (!all.has(f.signature))
                    all.set(f.signature, f);
        for (const f of await socketChecks(b))
            all.set(f.signature, f);
        return showFindings([...all.values()], b, le);
    }
    if (args.replay !== undefined)
        return replay(seed, fixturesDir, num(args.replay, '--replay'));
    let inputs = num(args.inputs, '--inputs');
    const seconds = num(args.seconds, '--seconds') ?? (inputs === undefined ? 60 : undefined);
    const workers = Math.max(1, Math.floor(num(args.workers, '--workers') ?? Math.min(2, availableParallelism())));
    if (inputs !== undefined)
        inputs = Math.floor(inputs);
    process.stdout.write(`netlink-xfrm fuzz: seed ${seed}, ${seedsOf(fixturesDir).length} seed datagrams, ${inputs ?? '∞'} inputs, ${seconds ?? '∞'} s, ${workers} worker(s)\n`);
    const socketEvery = Math.floor(num(args['socket-every'], '--socket-every') ?? 64);
    const r = await runParallel(seed, fixturesDir, workers, inputs, seconds, hangMs, socketEvery);
    report(r, workers, !args['no-minimize']);
    if (typeof args.json === 'string')
        writeFileSync(args.json, JSON.stringify(r, null, 2) + '\n');
    process.exitCode = r.findings.length ? 1 : 0;
}
if (isMainThread) {
    main().catch((e) => {
        process.stderr.write(`fuzz: ${e.stack ?? String(e)}\n`);
        process.exit(2);
    });
}
else {
    void runWorker(workerData);
}
