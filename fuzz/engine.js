/**
 * The fuzz loop: input i of a run is a pure function of (seed, i) — a seed datagram, a second
 * one for splices, a byte order and a stack of mutations — so a run can be split across
 * workers by index and any input replayed alone. Every call of a library function is timed
 * (one over {@link RunOptions.hangMs}, also at the fastest of three reruns, is a `hang`
 * finding; the harness's own checks do not count); memory is sampled
 * between batches. Findings are grouped by signature; each keeps its first input and a count.
 */
import { performance } from 'node:perf_hooks';
import { CLASSES, checkInput, placeInMarkedBuffer } from './oracle.js';
import { mix32, Rng } from './rng.js';
import { loadSeeds } from './corpus.js';
import { mutate } from './mutate.js';
import { walk } from './structure.js';
import { socketChecks } from './socket-target.js';
let seedCache;
/** The seed corpus (cached per directory). */
export function seedsOf(dir) {
    if (seedCache?.dir !== dir)
        seedCache = { dir, seeds: loadSeeds(dir) };
    if (seedCache.seeds.length === 0)
        throw new Error(`no fixtures found under ${dir}`);
    return seedCache.seeds;
}
/** Input `index` of the run with `seed`. */
export function generate(seeds, seed, index, ops = []) {
    const rng = new Rng(mix32(seed, index));
    const s = rng.pick(seeds);
    const other = rng.pick(seeds);
    const le = rng.chance(0.95);
    // A few inputs are the seeds themselves: the corpus must pass every check unmutated.
    const bytes = rng.chance(0.02) ? s.bytes.slice() : mutate(rng, s.bytes, other.bytes, le, ops);
    return { index, bytes, le, origin: `${s.origin} + [${ops.join(', ')}]${le ? '' : ' (big-endian)'}`, rng };
}
/** Seed of the random choices the checks make for input `index` (which codec, which offset). */
export function checkSeed(seed, index) {
    return mix32(seed ^ 0x5bd1e995, index);
}
/** Run all checks on bytes; returns the findings (no timing). */
export function runChecks(bytes, le, rng) {
    return runChecksFull(bytes, le, rng).findings;
}
/** {@link runChecks}, also saying whether the datagram decoder accepted the input. */
export function runChecksFull(bytes, le, rng) {
    const placed = placeInMarkedBuffer(bytes);
    // Typed errors are the normal outcome of most inputs: do not pay for their stack traces
    // (the oracle turns them back on to describe an untyped error).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        const c = checkInput(placed, le, rng, walk(placed, le));
        return { findings: c.findings, decoded: c.decoded, maxCallMs: c.maxCallMs, maxCallTarget: c.maxCallTarget };
    }
    finally {
        Error.stackTraceLimit = limit;
    }
}
/** Run inputs `start, start + stride, …` of the run `seed`. */
export function runFuzz(opts) {
    const seeds = seedsOf(opts.fixturesDir);
    const stride = opts.stride ?? 1;
    const hangMs = opts.hangMs ?? 100;
    const maxInputs = opts.inputs ?? Infinity;
    const deadline = opts.seconds !== undefined ? performance.now() + opts.seconds * 1000 : Infinity;
    const bySig = new Map();
    const ops = {};
    const mem0 = process.memoryUsage();
    const res = {
        seed: opts.seed,
        inputs: 0,
        elapsedMs: 0,
        findings: [],
        slowest: { index: -1, ms: 0, origin: '' },
        slowestCall: { index: -1, ms: 0, target: '' },
        accepted: 0,
        heapStart: mem0.heapUsed,
        heapMax: mem0.heapUsed,
        rssStart: mem0.rss,
        rssMax: mem0.rss,
        ops,
        socketInputs: 0,
    };
    const t0 = performance.now();
    let lastProgress = t0;
    const record = (f, inp) => {
        const r = bySig.get(f.signature);
        if (r)
            r.count++;
        else
            bySig.set(f.signature, { ...f, index: inp.index, hex: Buffer.from(inp.bytes).toString('hex'), le: inp.le, origin: inp.origin, count: 1 });
    };
    for (let index = opts.start ?? 0; res.inputs < maxInputs; index += stride) {
        if ((res.inputs & 63) === 0) {
            const now = performance.now();
            if (now > deadline)
                break;
            if (now - lastProgress > 1000) {
                lastProgress = now;
                opts.onProgress?.(res.inputs, bySig.size);
            }
            if ((res.inputs & 4095) === 0) {
                const m = process.memoryUsage();
                res.heapMax = Math.max(res.heapMax, m.heapUsed);
                res.rssMax = Math.max(res.rssMax, m.rss);
                if (m.rss - res.rssStart > 1024 * 1024 * 1024) {
                    record({ cls: 'memory', target: 'run', signature: 'memory|run|rss', detail: `rss grew by ${((m.rss - res.rssStart) / 2 ** 20).toFixed(0)} MiB` }, { index, bytes: new Uint8Array(0), le: true, origin: '(whole run)', rng: new Rng(0) });
                }
            }
        }
        if (opts.heartbeat)
            Atomics.store(opts.heartbeat, opts.heartbeatSlot ?? 0, index);
        const opList = [];
        const inp = generate(seeds, opts.seed, index, opList);
        for (const o of opList)
            ops[o] = (ops[o] ?? 0) + 1;
        const rngState = new Rng(checkSeed(opts.seed, index));
        const t = performance.now();
        const { findings, decoded, maxCallMs, maxCallTarget } = runChecksFull(inp.bytes, inp.le, rngState);
        const ms = performance.now() - t;
        res.inputs++;
        if (ms > res.slowest.ms)
            res.slowest = { index, ms, origin: inp.origin };
        if (maxCallMs > res.slowestCall.ms)
            res.slowestCall = { index, ms: maxCallMs, target: maxCallTarget };
        if (maxCallMs > hangMs) {
            // Up to three times more, to tell a real hang from a GC pause, a first (unoptimised)
            // run of a code path, or a busy machine: the fastest of the reruns decides.
            let best = Infinity;
            for (let k = 0; k < 3 && best > hangMs; k++) {
                best = Math.min(best, runChecksFull(inp.bytes, inp.le, new Rng(checkSeed(opts.seed, index))).maxCallMs);
            }
            if (best > hangMs) {
                record({ cls: 'hang', target: maxCallTarget, signature: `hang|${maxCallTarget}|>${hangMs}ms`, detail: `one call of ${maxCallTarget} took ${maxCallMs.toFixed(0)} ms, and at best ${best.toFixed(0)} ms when run again` }, inp);
            }
        }
        if (decoded)
            res.accepted++;
        for (const f of findings)
            record(f, inp);
    }
    res.elapsedMs = performance.now() - t0;
    res.findings = [...bySig.values()];
    return res;
}
/**
 * {@link runFuzz} in chunks, feeding every `socketEvery`-th input also through the socket and
 * subscription code ({@link socketChecks}, asynchronous) between chunks.
 */
export async function runFuzzAll(opts) {
    const every = opts.socketEvery ?? 0;
    if (!every)
        return runFuzz(opts);
    const seeds = seedsOf(opts.fixturesDir);
    const stride = opts.stride ?? 1;
    const t0 = performance.now();
    const total = opts.inputs ?? Infinity;
    const parts = [];
    let next = opts.start ?? 0;
    let done = 0;
    const CHUNK = 2048;
    while (done < total) {
        const left = opts.seconds !== undefined ? opts.seconds - (performance.now() - t0) / 1000 : undefined;
        if (left !== undefined && left <= 0)
            break;
        const n = Math.min(CHUNK, total - done);
        const r = runFuzz({ ...opts, start: next, inputs: n, ...(left !== undefined ? { seconds: left } : {}), onProgress: (d, f) => opts.onProgress?.(done + d, f) });
        // Socket targets for the sampled indices of this chunk.
        const bySig = new Map(r.findings.map((f) => [f.signature, f]));
        for (let k = 0; k < r.inputs; k++) {
            const index = next + k * stride;
            if (index % every !== 0)
                continue;
            const inp = generate(seeds, opts.seed, index);
            if (!inp.le)
                continue; // sockets read in host order
            if (opts.heartbeat)
                Atomics.store(opts.heartbeat, opts.heartbeatSlot ?? 0, index);
            r.socketInputs++;
            for (const f of await socketChecks(inp.bytes)) {
                const g = bySig.get(f.signature);
                if (g)
                    g.count++;
                else {
                    const rec = { ...f, index, hex: Buffer.from(inp.bytes).toString('hex'), le: true, origin: inp.origin, count: 1 };
                    bySig.set(f.signature, rec);
                    r.findings.push(rec);
                }
            }
        }
        parts.push(r);
        done += r.inputs;
        next += r.inputs * stride;
        if (r.inputs < n)
            break;
    }
    const m = mergeResults(parts);
    m.elapsedMs = performance.now() - t0;
    return m;
}
/** Merge worker results. */
export function mergeResults(rs) {
    const out = { ...rs[0], findings: [], ops: {} };
    const bySig = new Map();
    out.inputs = 0;
    out.accepted = 0;
    out.socketInputs = 0;
    for (const r of rs) {
        out.inputs += r.inputs;
        out.socketInputs += r.socketInputs;
        out.accepted += r.accepted;
        out.elapsedMs = Math.max(out.elapsedMs, r.elapsedMs);
        if (r.slowest.ms > out.slowest.ms)
            out.slowest = r.slowest;
        if (r.slowestCall.ms > out.slowestCall.ms)
            out.slowestCall = r.slowestCall;
        out.heapMax = Math.max(out.heapMax, r.heapMax);
        out.rssMax = Math.max(out.rssMax, r.rssMax);
        for (const [k, v] of Object.entries(r.ops))
            out.ops[k] = (out.ops[k] ?? 0) + v;
        for (const f of r.findings) {
            const g = bySig.get(f.signature);
            if (!g)
                bySig.set(f.signature, { ...f });
            else {
                g.count += f.count;
                if (f.index < g.index)
                    Object.assign(g, { ...f, count: g.count });
            }
        }
    }
    out.findings = [...bySig.values()].sort((a, b) => CLASSES.indexOf(a.cls) - CLASSES.indexOf(b.cls) || a.index - b.index);
    return out;
}
/**
 * Shrink an input while it still produces the finding `signature` (delta debugging: drop
 * chunks from half the input down to single bytes, then zero bytes). Bounded in attempts.
 */
export function minimize(hex, le, signature, rngSeed, maxTries = 4000) {
    let best = Uint8Array.from(Buffer.from(hex, 'hex'));
    let tries = 0;
    const still = (b) => {
        tries++;
        try {
            // The codec targets are chosen by the input's own random draws: replay those first.
            return [rngSeed, 1, 2, 3].some((s) => runChecks(b, le, new Rng(s)).some((f) => f.signature === signature));
        }
        catch {
            return false;
        }
    };
    if (!still(best))
        return hex; // depends on the random codec choice of the original run
    // First whole attributes and messages, fixing the lengths that enclose them (removing raw
    // chunks alone rarely keeps a datagram well-formed enough to reach the same code).
    for (let changed = true; changed && tries < maxTries;) {
        changed = false;
        const l = walk(best, le);
        const units = [
            ...l.attrs.map((a) => ({ off: a.off, len: Math.min((a.len + 3) & ~3, best.length - a.off), parents: a.parents })),
            ...l.msgs.map((m) => ({ off: m.off, len: Math.min((m.len + 3) & ~3, best.length - m.off), parents: m.parents })),
        ].sort((x, y) => y.len - x.len);
        for (const u of units) {
            if (tries >= maxTries)
                break;
            const cand = new Uint8Array(best.length - u.len);
            cand.set(best.subarray(0, u.off), 0);
            cand.set(best.subarray(u.off + u.len), u.off);
            const v = new DataView(cand.buffer);
            for (const c of u.parents) {
                if (c.width === 4)
                    v.setUint32(c.lenOff, Math.max(0, v.getUint32(c.lenOff, le) - u.len), le);
                else
                    v.setUint16(c.lenOff, Math.max(0, v.getUint16(c.lenOff, le) - u.len), le);
            }
            if (still(cand)) {
                best = cand;
                changed = true;
                break;
            }
        }
    }
    for (let chunk = best.length >> 1; chunk >= 1 && tries < maxTries; chunk >>= 1) {
        for (let i = 0; i + chunk <= best.length && tries < maxTries;) {
            const cand = new Uint8Array(best.length - chunk);
            cand.set(best.subarray(0, i), 0);
            cand.set(best.subarray(i + chunk), i);
            if (still(cand))
                best = cand;
            else
                i += chunk;
        }
    }
    for (let i = 0; i < best.length && tries < maxTries; i++) {
        if (best[i] === 0)
            continue;
        const cand = best.slice();
        cand[i] = 0;
        if (still(cand))
            best = cand;
    }
    return Buffer.from(best).toString('hex');
}
export { CLASSES };
