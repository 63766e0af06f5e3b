/** Records and states shared by the Live HA suites (pure: no kernel). */
import { Duplex } from 'node:stream';
import { StreamHaLink } from '../../src/ha/link.js';
import { completePolicy, template } from '../../src/client/policy.js';
import { anySelector, completeState } from '../../src/client/state.js';
import { AF_INET, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT, XFRM_STATE_ESN } from '../../src/xfrm/constants.js';
/** A 20-byte AEAD key whose hex form is easy to find in text: `abababab…` / `cdcdcd…`. */
export const KEY_A = new Uint8Array(20).fill(0xab);
/** Hex of {@link KEY_A}, what must never appear in an error message. */
export const KEY_A_HEX = 'ab'.repeat(20);
/** An ESP SA with a legacy replay state (window 32). */
export function legacySa(spi, over = {}) {
    return completeState({
        saddr: '192.0.2.1',
        daddr: '192.0.2.2',
        spi,
        proto: IPPROTO_ESP,
        aead: { name: 'rfc4106(gcm(aes))', key: KEY_A, icvLen: 128 },
        replayWindow: 32,
        replay: { oseq: 1000, seq: 900, bitmap: 0xffffffff },
        current: { bytes: 1000n, packets: 10n, addTime: 1700000000n, useTime: 0n },
        ...over,
    });
}
/** An ESP SA with ESN (window 128). */
export function esnSa(spi, over = {}) {
    return completeState({
        saddr: '192.0.2.1',
        daddr: '192.0.2.2',
        spi,
        proto: IPPROTO_ESP,
        flags: XFRM_STATE_ESN,
        aead: { name: 'rfc4106(gcm(aes))', key: KEY_A, icvLen: 128 },
        replayWindow: 0,
        replayEsn: { bmpLen: 4, oseq: 0xfffffff0, seq: 50, oseqHi: 2, seqHi: 1, replayWindow: 128, bmp: [0xffffffff, 0, 0, 0] },
        current: { bytes: 1000n, packets: 10n, addTime: 1700000000n, useTime: 0n },
        ...over,
    });
}
/** An outbound ESN SA and an inbound legacy SA. */
export const OUT = XFRM_SA_DIR_OUT;
/** `XFRM_SA_DIR_IN`. */
export const IN = XFRM_SA_DIR_IN;
/** A tunnel policy. */
export function policy(dir = XFRM_POLICY_OUT, index = 0, dport = 0) {
    const sel = { ...anySelector(AF_INET), daddr: '198.51.100.0', prefixlenD: 24, dport, dportMask: dport ? 0xffff : 0 };
    return completePolicy({
        selector: sel,
        dir,
        index,
        templates: [template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', mode: XFRM_MODE_TUNNEL, reqid: 1 })],
    });
}
export { XFRM_POLICY_IN, XFRM_POLICY_OUT };
/** A stream builder: numbers records and stamps the epoch. */
export class Stream {
    epoch;
    seq = 0;
    constructor(epoch = 'e1') {
        this.epoch = epoch;
    }
    next(r) {
        return { ...r, seq: ++this.seq, epoch: this.epoch };
    }
    /** A complete full state (full-begin … full-end) of these SAs and policies. */
    full(sas, policies = [], thresh = 100) {
        return [
            this.next({ type: 'full-begin', takenAt: 1_000 }),
            ...sas.map((sa) => this.next({ type: 'full-sa', sa, replayThresh: thresh, etimerThresh: 10 })),
            ...policies.map((p) => this.next({ type: 'full-policy', policy: p })),
            this.next({ type: 'full-end', sas: sas.length, policies: policies.length }),
        ];
    }
}
/**
 * Two connected in-memory {@link StreamHaLink}s (publisher side receives acks, standby side
 * records), over a pair of cross-wired Duplex streams: what TLS would carry, without sockets.
 */
export function linkPair(session = 1) {
    let a;
    let b;
    const make = (peer) => new Duplex({
        // Like a socket: when the peer ends, this side ends too (close completes on both).
        allowHalfOpen: false,
        read() { },
        write(chunk, _enc, cb) {
            peer().push(chunk);
            cb();
        },
        final(cb) {
            peer().push(null);
            cb();
        },
    });
    a = make(() => b);
    b = make(() => a);
    return { pub: new StreamHaLink(a, { receives: 'ack', session }), standby: new StreamHaLink(b, { receives: 'record', session }) };
}
/** Resolve after `ms` milliseconds. */
export const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));
/** Wait until `cond` holds (polling every 5 ms), or fail naming `what`. */
export async function until(cond, what, ms = 5000) {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await settle(5);
    }
}
/**
 * A {@link linkPair} whose publisher side sends nothing until `open()`: a standby too slow to
 * read, while the publisher's queue fills.
 */
export function gatedLinkPair(session = 1) {
    const { pub, standby } = linkPair(session);
    let open;
    const gate = new Promise((res) => (open = res));
    const realSend = pub.send.bind(pub);
    pub.send = async (m) => {
        await gate;
        return realSend(m);
    };
    return { pub, standby, open };
}
