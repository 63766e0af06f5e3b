/**
 * Shared setup of the guest test files: fixed keys, a pair of SAs (A→B and B→A) installed on
 * both namespaces with matching policies, read-back comparison, event collection.
 * Not a test file itself (the guest config only runs `*.guest.ts`).
 */
import { expect } from 'vitest';
import { template } from '../../src/client/policy.js';
import { completeState, stateToAttrs, stateToUsersaInfo } from '../../src/client/state.js';
import { xfrmMessageToJson } from '../../src/xfrm/json.js';
import { AF_INET, AF_INET6, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, } from '../../src/xfrm/constants.js';
/** Deterministic key bytes: `n` bytes starting at `seed`. */
export function key(n, seed) {
    return Uint8Array.from({ length: n }, (_, i) => (seed + i * 7) & 0xff);
}
/** Fixed keys used by every guest test. */
export const KEYS = {
    aes128: key(16, 0x10),
    sha256: key(32, 0x20),
    sha1: key(20, 0x30),
    /** AES-128 key + 4-byte salt for rfc4106(gcm(aes)). */
    gcm128: key(20, 0x40),
    /** ChaCha20 key + 4-byte salt for rfc7539esp(chacha20,poly1305). */
    chacha: key(36, 0x50),
};
/** Address of a side in the chosen family. */
export function addr(side, family) {
    return family === 'v4' ? side.v4 : side.v6;
}
/** A selector for exactly `src` → `dst` (all protocols). */
export function hostSelector(src, dst) {
    const v6 = src.includes(':');
    const plen = v6 ? 128 : 32;
    return {
        saddr: src,
        daddr: dst,
        sport: 0,
        sportMask: 0,
        dport: 0,
        dportMask: 0,
        family: v6 ? AF_INET6 : AF_INET,
        prefixlenS: plen,
        prefixlenD: plen,
        proto: 0,
        ifindex: 0,
        user: 0,
    };
}
/** The four SA copies of a pair: `aOut` (A→B in A), `bIn` (A→B in B), `bOut`, `aIn`. */
/** AES-GCM (rfc4106, 128-bit ICV): the algorithm of every test that is not about algorithms. */
export const GCM = { aead: { name: 'rfc4106(gcm(aes))', key: KEYS.gcm128, icvLen: 128 } };
/** An IPv4 ESP tunnel pair with GCM and a legacy window of 32; SPIs derived from `reqid`. */
export function gcmTunnelSpec(reqid, extra = {}) {
    return {
        family: 'v4',
        proto: IPPROTO_ESP,
        mode: XFRM_MODE_TUNNEL,
        reqid,
        spiAB: (reqid << 8) | 1,
        spiBA: (reqid << 8) | 2,
        algs: GCM,
        common: { replayWindow: 32 },
        ...extra,
    };
}
/** The SA inputs of a pair. */
export function pairStates(pair, spec) {
    const a = addr(pair.a, spec.family);
    const b = addr(pair.b, spec.family);
    const base = (src, dst, spi) => ({
        saddr: src,
        daddr: dst,
        spi,
        proto: spec.proto,
        mode: spec.mode,
        reqid: spec.reqid,
        selector: hostSelector(src, dst),
        ...spec.algs,
        ...spec.common,
    });
    const ab = base(a, b, spec.spiAB);
    const ba = base(b, a, spec.spiBA);
    const encAB = spec.encap ? { encap: spec.encap.ab } : {};
    const encABatA = spec.encap ? { encap: spec.encap.abAtA ?? spec.encap.ab } : {};
    const encBA = spec.encap ? { encap: spec.encap.ba } : {};
    return {
        aOut: { ...ab, ...encABatA, ...spec.aOut },
        bIn: { ...ab, ...encAB },
        bOut: { ...ba, ...encBA },
        aIn: { ...ba, ...encBA },
    };
}
/** The policies of one side (OUT towards the peer, IN from it). */
export function pairPolicies(pair, spec) {
    const a = addr(pair.a, spec.family);
    const b = addr(pair.b, spec.family);
    const tmpl = (src, dst, optional) => template({ proto: spec.proto, saddr: src, daddr: dst, reqid: spec.reqid, mode: spec.mode, optional });
    const pol = (src, dst, dir, extra = {}) => ({
        selector: hostSelector(src, dst),
        dir,
        templates: [tmpl(src, dst, dir === XFRM_POLICY_IN && (spec.optional ?? false))],
        ...extra,
    });
    return {
        a: [pol(a, b, XFRM_POLICY_OUT, spec.aOutPolicy), pol(b, a, XFRM_POLICY_IN)],
        b: [pol(b, a, XFRM_POLICY_OUT), pol(a, b, XFRM_POLICY_IN)],
    };
}
/** Install the four SAs and the policies of a pair. */
export async function installPair(ca, cb, pair, spec) {
    const st = pairStates(pair, spec);
    await ca.addState(st.aOut);
    await ca.addState(st.aIn);
    await cb.addState(st.bOut);
    await cb.addState(st.bIn);
    if (!spec.noPolicies) {
        const pols = pairPolicies(pair, spec);
        for (const p of pols.a)
            await ca.addPolicy(p);
        for (const p of pols.b)
            await cb.addPolicy(p);
    }
    return st;
}
/** Remove every SA and policy of one side. */
export async function resetSide(c) {
    await c.flushPolicies();
    await c.flushStates();
}
/** The identity of an SA input, for getState/getReplayState. */
export function idOf(s) {
    return { daddr: s.daddr, spi: s.spi, proto: s.proto, ...(s.mark ? { mark: s.mark } : {}) };
}
/** The fields of a read-back SA that correspond to the ones written. */
const COMPARED = [
    'family', 'saddr', 'daddr', 'spi', 'proto', 'mode', 'reqid', 'flags', 'replayWindow', 'selector', 'lifetime',
    'auth', 'crypt', 'aead', 'comp', 'encap', 'replay', 'replayEsn', 'mark', 'outputMark', 'ifId', 'tfcpad',
];
/**
 * Expect `got` (from getState) to equal `written` in every field written plus the defaults
 * `completeState` filled in. `adjust` lets a test state a documented difference (e.g. the
 * kernel's default truncation of an `XFRMA_ALG_AUTH` algorithm).
 */
export function expectReadBack(got, written, adjust = {}) {
    const want = { ...completeState(written), ...adjust };
    const pick = (s, keys) => {
        const o = {};
        for (const k of keys)
            if (s[k] !== undefined)
                o[k] = k === 'auth' || k === 'crypt' || k === 'aead' ? plainAlg(s[k]) : s[k];
        return o;
    };
    // compare the written fields; fields the kernel adds by itself (e.g. replay state of an SA
    // written without one) are compared only when written
    const keys = COMPARED.filter((k) => want[k] !== undefined);
    expect(pick(got, keys)).toEqual(pick(want, keys));
}
function plainAlg(a) {
    const o = { ...a };
    if (o.key instanceof Uint8Array)
        o.key = Buffer.from(o.key).toString('hex');
    return o;
}
/** Collects events of a stream in the background; `waitFor` resolves with the first match. */
export class EventCollector {
    events = [];
    stream;
    wake;
    done = false;
    failure;
    constructor(client, groups) {
        this.stream = client.events(groups);
        void this.pump();
    }
    async pump() {
        try {
            for (;;) {
                const r = await this.stream.next();
                if (r.done)
                    break;
                this.events.push(r.value);
                this.wake?.();
            }
        }
        catch (e) {
            this.failure = e;
        }
        finally {
            this.done = true;
            this.wake?.();
        }
    }
    /** The first event (already received or arriving within `timeoutMs`) that satisfies `pred`. */
    async waitFor(pred, timeoutMs = 5000, what = 'event') {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const hit = this.events.find(pred);
            if (hit)
                return hit;
            if (this.failure)
                throw this.failure;
            if (this.done)
                throw new Error(`event stream ended while waiting for ${what}`);
            const left = deadline - Date.now();
            if (left <= 0) {
                throw new Error(`no ${what} within ${timeoutMs} ms; got: ${this.events.map((e) => e.kind).join(', ') || 'nothing'}`);
            }
            await new Promise((resolve) => {
                const t = setTimeout(resolve, left);
                this.wake = () => {
                    clearTimeout(t);
                    resolve();
                };
            });
            this.wake = undefined;
        }
    }
    /** Events of a kind received so far. */
    ofKind(kind) {
        return this.events.filter((e) => e.kind === kind);
    }
    /** Forget the events received so far. */
    clear() {
        this.events.length = 0;
    }
    /** Close the subscription socket. */
    async close() {
        await this.stream.return();
    }
}
/** Type guard factory: `is('expire', e => e.hard)`. */
export function is(kind, extra = () => true) {
    return (e) => e.kind === kind && extra(e);
}
/** Sleep. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * A snapshot as versions before the larval skip wrote it: every state given, larval ones
 * included, each as the keys-shown JSON form of its `XFRM_MSG_NEWSA`.
 */
export function olderSnapshot(states) {
    return {
        version: 1,
        takenAt: new Date().toISOString(),
        states: states.map((x) => ({
            sa: xfrmMessageToJson({ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(x), attrs: stateToAttrs(x, true) }, { showKeys: true }),
        })),
    };
}
