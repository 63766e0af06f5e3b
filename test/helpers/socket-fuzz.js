/**
 * Mutated kernel datagrams fed through the real {@link NetlinkSocket} and {@link Subscription}
 * code on the fake kernel (issue 10, "feed mutated replies and notifications through the real
 * socket and subscription code"): as replies to pending requests, as dump parts, and as
 * multicast notifications. Deterministic for a seed. Used by test/socket/socket-fuzz.test.ts
 * (a few thousand inputs) and by the `npm run fuzz` harness (millions).
 *
 * What counts as a failure (each is listed in {@link SocketFuzzReport.failures}):
 * - an exception that escapes to the event loop (`uncaughtException`/`unhandledRejection`
 *   while the run is going);
 * - a request, batch or dump that settles with anything but a value or a {@link NetlinkError};
 * - a request or dump that does not settle once the fake kernel has sent its real answer
 *   (it would time out: `timeoutMs` is short, and a timeout is a failure here);
 * - a subscription that rejects with anything but a {@link NetlinkError}, or that stops
 *   yielding before the sentinel notification sent after the mutated ones;
 * - counters that do not add up (datagrams read ≠ datagrams sent, events yielded ≠
 *   `received`, requests left in flight).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_HDRLEN, NetlinkError } from '../../src/netlink/index.js';
import { NetlinkSocket, subscribe } from '../../src/socket/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import { xfrmFamily } from '../../src/xfrm/index.js';
import { prng } from './hex.js';
import { newPolicy } from '../socket/xfrm-builders.js';
/**
 * Every `recv` datagram of the fixtures (kernel answers and notifications), as seeds. Reads
 * the `.hex` files itself (`recv <hex>` lines), so that it also works outside vitest
 * (fixtures.ts needs `__dirname`).
 */
export function fixtureSeeds(root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures')) {
    const out = [];
    const walk = (dir) => {
        for (const name of readdirSync(dir).sort()) {
            const path = join(dir, name);
            if (statSync(path).isDirectory())
                walk(path);
            else if (name.endsWith('.hex')) {
                for (const line of readFileSync(path, 'utf8').split('\n')) {
                    const m = /^recv\s+([0-9a-fA-F]+)\s*(?:#.*)?$/.exec(line.trim());
                    if (m && m[1].length % 2 === 0 && m[1].length >= 2 * NLMSG_HDRLEN)
                        out.push(Uint8Array.from(Buffer.from(m[1], 'hex')));
                }
            }
        }
    };
    walk(root);
    return out;
}
const BOUNDARY32 = [0, 1, 15, 16, 17, 19, 20, 0x7fffffff, 0x80000000, 0x80000010, 0x80000013, 0xfffffff0, 0xffffffff];
const BOUNDARY16 = [0, 1, 3, 4, 5, 0x7fff, 0x8000, 0xfffc, 0xffff];
const TYPES = [1, 2, 3, 4, 15, 16, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x26, 0x27, 0xffff];
function pick(rand, xs) {
    return xs[Math.floor(rand() * xs.length)];
}
/**
 * Mutate a copy of `seed` (1–3 mutations): `nlmsg_len`/`nlmsg_type`/`nlmsg_flags`/`seq`/`pid`
 * of a message header, `nla_len`/`nla_type` words, bit flips, boundary values, truncation,
 * extension, and splices with another seed. `seq`/`pid` are set to `target` first (so the
 * datagram reaches the request it is meant for) unless a mutation changes them again.
 */
export function mutateDatagram(rand, seed, seeds, target) {
    let b = seed.slice();
    const le = true;
    if (target !== undefined && b.length >= NLMSG_HDRLEN) {
        const v = new DataView(b.buffer);
        // Aim every message whose header is found at the usual places.
        let off = 0;
        while (off + NLMSG_HDRLEN <= b.length) {
            v.setUint32(off + 8, target.seq, le);
            v.setUint32(off + 12, target.pid, le);
            if (target.flags !== undefined)
                v.setUint16(off + 6, v.getUint16(off + 6, le) | target.flags, le);
            const len = v.getUint32(off, le);
            if (len < NLMSG_HDRLEN)
                break;
            off += (len + 3) & ~3;
        }
    }
    const n = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) {
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const hdr = b.length >= NLMSG_HDRLEN;
        const at4 = () => (b.length >= 4 ? Math.floor(rand() * (b.length >> 2)) * 4 : 0);
        switch (Math.floor(rand() * 12)) {
            case 0: // nlmsg_len
                if (hdr)
                    v.setUint32(0, rand() < 0.6 ? pick(rand, BOUNDARY32) : (b.length + Math.floor(rand() * 9) - 4) >>> 0, le);
                break;
            case 1: // nlmsg_type
                if (hdr)
                    v.setUint16(4, rand() < 0.8 ? pick(rand, TYPES) : Math.floor(rand() * 0x10000), le);
                break;
            case 2: // nlmsg_flags (DUMP_INTR, MULTI, ACK_TLVS, CAPPED…)
                if (hdr)
                    v.setUint16(6, Math.floor(rand() * 0x10000) & (rand() < 0.5 ? 0x0332 : 0xffff), le);
                break;
            case 3: // seq
                if (hdr)
                    v.setUint32(8, rand() < 0.5 ? (v.getUint32(8, le) + 1) >>> 0 : pick(rand, BOUNDARY32), le);
                break;
            case 4: // pid
                if (hdr)
                    v.setUint32(12, rand() < 0.5 ? 0 : pick(rand, BOUNDARY32), le);
                break;
            case 5: // an nla_len / nla_type / u32 word
                if (b.length >= 4) {
                    const o = at4();
                    if (rand() < 0.5)
                        v.setUint16(o, pick(rand, BOUNDARY16), le);
                    else if (rand() < 0.5)
                        v.setUint16(o + 2, (v.getUint16(o + 2, le) ^ (1 << Math.floor(rand() * 16))) & 0xffff, le);
                    else
                        v.setUint32(o, pick(rand, BOUNDARY32), le);
                }
                break;
            case 6: // bit flips
                for (let i = 0, m = 1 + Math.floor(rand() * 8); i < m && b.length > 0; i++) {
                    const o = Math.floor(rand() * b.length);
                    b[o] = b[o] ^ (1 << Math.floor(rand() * 8));
                }
                break;
            case 7: // truncation
                b = b.slice(0, Math.floor(rand() * b.length));
                break;
            case 8: {
                // extension with garbage
                const extra = new Uint8Array(1 + Math.floor(rand() * 64));
                for (let i = 0; i < extra.length; i++)
                    extra[i] = Math.floor(rand() * 256);
                const c = new Uint8Array(b.length + extra.length);
                c.set(b);
                c.set(extra, b.length);
                b = c;
                break;
            }
            case 9: {
                // splice: a prefix of this one, a suffix of another
                const other = pick(rand, seeds);
                const cut = Math.floor(rand() * (b.length + 1));
                const from = Math.floor(rand() * (other.length + 1));
                const c = new Uint8Array(cut + other.length - from);
                c.set(b.subarray(0, cut));
                c.set(other.subarray(from), cut);
                b = c;
                break;
            }
            case 10: {
                // two datagrams' messages in one (the kernel packs dumps so)
                const other = pick(rand, seeds);
                const pad = (4 - (b.length & 3)) & 3;
                const c = new Uint8Array(b.length + pad + other.length);
                c.set(b);
                c.set(other, b.length + pad);
                b = c;
                break;
            }
            default: // a byte set to a boundary value
                if (b.length > 0)
                    b[Math.floor(rand() * b.length)] = pick(rand, [0, 0x7f, 0x80, 0xff]);
        }
    }
    return b;
}
const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const describeError = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : `non-error ${String(e)}`);
const turn = () => new Promise((r) => setImmediate(r));
/** A raw request of a type XFRM does not know: the fake kernel lets it through unanswered. */
const RAW_REQUEST = { type: 0x7ff, payload: new Uint8Array(4) };
const GETPOLICY_DUMP = { type: 'XFRM_MSG_GETPOLICY', body: null, attrs: [] };
const SENTINEL_TYPE = 0x7fe;
/**
 * Feed `iterations` mutated datagrams through a real {@link NetlinkSocket} (as replies to
 * pending requests and batch requests, and as parts of dumps) and a real {@link Subscription}
 * (as notifications), on the fake kernel, and check that everything settles typed and the
 * counters add up. Never throws for what it finds: it reports.
 *
 * @example
 * ```ts
 * const r = await fuzzSocketAndSubscription({ seed: 1, iterations: 100_000 });
 * if (r.failures.length > 0) console.error(r.failures);
 * ```
 */
export async function fuzzSocketAndSubscription(opts) {
    const started = performance.now();
    const rand = prng(opts.seed);
    const seeds = opts.seeds ?? fixtureSeeds();
    if (seeds.length === 0)
        throw new Error('fuzzSocketAndSubscription: no seed datagrams');
    const maxFailures = opts.maxFailures ?? 20;
    const report = {
        seed: opts.seed,
        inputs: 0,
        requests: { sent: 0, ok: 0, typedError: 0, lostToOverrun: 0 },
        dumps: { run: 0, ok: 0, typedError: 0, yielded: 0 },
        notifications: { injected: 0, events: 0, overruns: 0, typedError: 0 },
        reopened: 0,
        failures: [],
        elapsedMs: 0,
    };
    let iteration = 0;
    let current = new Uint8Array(0);
    const fail = (where, what, input = current) => {
        if (report.failures.length < maxFailures)
            report.failures.push({ where, iteration, what, input: hex(input) });
    };
    const onUncaught = (e) => fail('uncaught', describeError(e));
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const kernel = new FakeKernel({
        family: xfrmFamily,
        handler: () => undefined, // every answer is injected by hand
        enforceRcvbuf: false,
        asyncIo: opts.asyncIo ?? false,
    });
    let transport;
    let sock;
    let injectedToSock = 0;
    const openSock = () => {
        transport = kernel.socket();
        sock = NetlinkSocket.open({ family: xfrmFamily, transport, timeoutMs: 2000 });
        injectedToSock = 0;
    };
    let subTransport;
    let sub;
    let injectedToSub = 0;
    let yieldedBySub = 0;
    const openSub = () => {
        subTransport = kernel.socket();
        sub = subscribe({ family: xfrmFamily, groups: [1], transport: subTransport });
        injectedToSub = 0;
        yieldedBySub = 0;
    };
    openSock();
    openSub();
    const checkSockCounters = async () => {
        // A consumer may have its answer (an error) before the rest of its conversation is read
        // (a dump discards up to its NLMSG_DONE): let the socket catch up first.
        for (let i = 0; i < 100 && !sock.closed && (transport.queued > 0 || sock.inFlight > 0); i++)
            await turn();
        if (sock.closed)
            return;
        if (sock.stats.datagrams !== injectedToSock) {
            fail('counters', `socket read ${sock.stats.datagrams} datagrams of ${injectedToSock} sent to it`, new Uint8Array(0));
        }
        if (sock.inFlight !== 0)
            fail('counters', `${sock.inFlight} requests still in flight after every answer`, new Uint8Array(0));
    };
    const deliverToSock = (bytes, pid = 0) => {
        transport.deliver(bytes, { pid });
        injectedToSock++;
    };
    const lastRequest = () => kernel.requests[kernel.requests.length - 1];
    try {
        while (iteration < opts.iterations) {
            const r = rand();
            // The fake kernel logs every request and datagram sent: keep only this round's
            // (millions of inputs would otherwise fill the memory).
            kernel.requests.length = 0;
            transport.sent.length = 0;
            if (sock.closed) {
                report.reopened++;
                openSock();
            }
            if (sub.closed) {
                report.reopened++;
                openSub();
            }
            if (r < 0.45) {
                // ---- requests: up to 32 at once, each gets one mutated answer, then its real ACK
                const n = Math.min(1 + Math.floor(rand() * 32), opts.iterations - iteration);
                const pending = [];
                for (let i = 0; i < n; i++) {
                    const msg = rand() < 0.5 ? RAW_REQUEST : newPolicy(Math.floor(rand() * 1000));
                    const p = sock.request(msg).then((v) => (Array.isArray(v) ? 'ok' : `resolved with ${typeof v}`), (e) => e);
                    const req = lastRequest();
                    const input = mutateDatagram(rand, pick(rand, seeds), seeds, rand() < 0.85 ? { seq: req.header.seq, pid: sock.portId } : undefined);
                    current = input;
                    deliverToSock(input, rand() < 0.05 ? 4242 : 0);
                    pending.push({ p, req, input, iteration: iteration++ });
                    report.requests.sent++;
                    report.inputs++;
                }
                for (const x of pending) {
                    // Now and then the ACK is dropped for want of room: the kernel reports ENOBUFS
                    // instead, and the request must fail with NetlinkProtocolError('overrun'). (The
                    // kernel answers inside sendmsg, so a missing answer is known lost at once.)
                    if (rand() < 0.03)
                        transport.deliver(kernel.overrun());
                    else
                        deliverToSock(kernel.ack(x.req));
                }
                for (const x of pending) {
                    const out = await x.p;
                    current = x.input;
                    if (out === 'ok')
                        report.requests.ok++;
                    else if (out instanceof NetlinkError) {
                        report.requests.typedError++;
                        if (out.reason === 'overrun')
                            report.requests.lostToOverrun++;
                        if (out.reason === 'timeout')
                            fail('request', 'did not settle after its ACK (timeout)');
                    }
                    else
                        fail('request', typeof out === 'string' ? out : describeError(out));
                }
                await checkSockCounters();
            }
            else if (r < 0.55) {
                // ---- a batch of 2-6 requests (one chunk, one ACK at the end): mutated answers in between
                const n = Math.min(2 + Math.floor(rand() * 5), opts.iterations - iteration);
                const before = kernel.requests.length;
                const p = sock.batch(Array.from({ length: n }, () => newPolicy(Math.floor(rand() * 1000)))).then((v) => v, (e) => e);
                await turn();
                const reqs = kernel.requests.slice(before);
                const inputs = [];
                for (const req of reqs) {
                    const input = mutateDatagram(rand, pick(rand, seeds), seeds, rand() < 0.85 ? { seq: req.header.seq, pid: sock.portId } : undefined);
                    current = input;
                    inputs.push(input);
                    deliverToSock(input);
                    iteration++;
                    report.inputs++;
                }
                if (reqs.length > 0)
                    deliverToSock(kernel.ack(reqs[reqs.length - 1]));
                const out = await p;
                current = inputs[0] ?? new Uint8Array(0);
                report.requests.sent += reqs.length;
                if (Array.isArray(out)) {
                    for (const res of out) {
                        if (res.ok)
                            report.requests.ok++;
                        else if (res.error instanceof NetlinkError)
                            report.requests.typedError++;
                        else
                            fail('batch', `result error not typed: ${describeError(res.error)}`);
                    }
                    if (out.length !== n)
                        fail('batch', `${out.length} results for ${n} requests`);
                }
                else if (out instanceof NetlinkError) {
                    report.requests.typedError += reqs.length;
                    if (out.reason === 'timeout')
                        fail('batch', 'did not settle after its ACK (timeout)');
                }
                else
                    fail('batch', describeError(out));
                if (reqs.length === 0 && iteration < opts.iterations)
                    iteration++; // nothing sent: do not loop for ever
                await checkSockCounters();
            }
            else if (r < 0.75) {
                // ---- a dump: 1-4 mutated parts, then the real NLMSG_DONE
                report.dumps.run++;
                const requestsBefore = kernel.requests.length;
                const it = sock.dump(GETPOLICY_DUMP);
                let yielded = 0;
                const p = (async () => {
                    for await (const _ of it)
                        yielded++;
                })().then(() => 'ok', (e) => e);
                // One dump at a time per socket: one whose consumer already got an error may still be
                // reading its NLMSG_DONE (queued, not yet read); this one starts after it.
                for (let i = 0; i < 100 && kernel.requests.length === requestsBefore; i++)
                    await turn();
                if (kernel.requests.length === requestsBefore) {
                    fail('dump', 'did not start: the previous dump never ended');
                    break;
                }
                const req = lastRequest();
                const parts = Math.min(1 + Math.floor(rand() * 4), opts.iterations - iteration);
                const inputs = [];
                for (let i = 0; i < parts; i++) {
                    const target = rand() < 0.9 ? { seq: req.header.seq, pid: sock.portId, flags: rand() < 0.9 ? NLM_F_MULTI : NLM_F_MULTI | NLM_F_DUMP_INTR } : undefined;
                    const input = mutateDatagram(rand, pick(rand, seeds), seeds, target);
                    inputs.push(input);
                    deliverToSock(input);
                    iteration++;
                    report.inputs++;
                }
                deliverToSock(kernel.done(req));
                const out = await p;
                current = inputs[0] ?? new Uint8Array(0);
                report.dumps.yielded += yielded;
                if (out === 'ok')
                    report.dumps.ok++;
                else if (out instanceof NetlinkError) {
                    report.dumps.typedError++;
                    if (out.reason === 'timeout')
                        fail('dump', 'did not settle after its NLMSG_DONE (timeout)');
                }
                else
                    fail('dump', describeError(out));
                await checkSockCounters();
            }
            else {
                // ---- notifications: 1-32 mutated ones, then a sentinel the subscription must reach
                const n = Math.min(1 + Math.floor(rand() * 32), opts.iterations - iteration);
                const inputs = [];
                for (let i = 0; i < n; i++) {
                    const input = mutateDatagram(rand, pick(rand, seeds), seeds, rand() < 0.7 ? { seq: 0, pid: 0 } : undefined);
                    inputs.push(input);
                    subTransport.deliver(input, { pid: rand() < 0.05 ? 4242 : 0, groups: 1 });
                    injectedToSub++;
                    if (rand() < 0.03)
                        subTransport.deliver(kernel.overrun());
                    iteration++;
                    report.inputs++;
                    report.notifications.injected++;
                }
                const magic = new Uint8Array(16);
                new DataView(magic.buffer).setFloat64(0, rand(), true);
                new DataView(magic.buffer).setUint32(8, iteration, true);
                subTransport.deliver(kernel.encode([{ type: SENTINEL_TYPE, flags: 0, seq: 0, pid: 0, payload: magic }]), { groups: 1 });
                injectedToSub++;
                current = inputs[inputs.length - 1] ?? new Uint8Array(0);
                for (;;) {
                    let res;
                    try {
                        res = await sub.next();
                    }
                    catch (e) {
                        if (e instanceof NetlinkError)
                            report.notifications.typedError++;
                        else
                            fail('subscription', describeError(e));
                        break;
                    }
                    if (res.done) {
                        fail('subscription', 'ended before the sentinel');
                        break;
                    }
                    const ev = res.value;
                    if (ev.type === 'overrun') {
                        report.notifications.overruns++;
                        continue;
                    }
                    yieldedBySub++;
                    report.notifications.events++;
                    if (ev.type === SENTINEL_TYPE && ev.payload && hex(ev.payload) === hex(magic))
                        break;
                }
                if (!sub.closed) {
                    if (sub.stats.datagrams !== injectedToSub)
                        fail('counters', `subscription read ${sub.stats.datagrams} of ${injectedToSub} datagrams`, new Uint8Array(0));
                    if (sub.stats.received !== yieldedBySub)
                        fail('counters', `subscription received ${sub.stats.received} but yielded ${yieldedBySub}`, new Uint8Array(0));
                }
            }
        }
    }
    finally {
        // Let anything scheduled by the last inputs run before the listeners go.
        await turn();
        await turn();
        process.off('uncaughtException', onUncaught);
        process.off('unhandledRejection', onUncaught);
        sock.close();
        sub.close();
    }
    report.elapsedMs = performance.now() - started;
    return report;
}
/** The fixtures root next to this file (for callers that load seeds themselves). */
export const SOCKET_FUZZ_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
