/**
 * Guest test (runs inside the UML 6.1 kernel, see README.md): every algorithm kind and mode
 * the project supports, installed through XfrmClient in two namespaces, read back EQUAL to
 * what was written, and carrying real pings between the namespaces with zero errors.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { XfrmUnsupportedError } from '../../src/client/client.js';
import { NetlinkKernelError } from '../../src/netlink/errors.js';
import { IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP, UDP_ENCAP_ESPINUDP, XFRM_MODE_BEET, XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL, XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT, XFRM_STATE_ESN, } from '../../src/xfrm/constants.js';
import { ping, run, statDelta, udpEncapSocket, xfrmStat } from '../helpers/netns.js';
import { addr, expectReadBack, idOf, installPair, KEYS, pairStates, resetSide, GCM } from './esp-setup.js';
import { useNsPair } from './netns-pair.js';
import { kernelAtLeast, skipNote } from './kernel.js';
let pair, ca, cb;
useNsPair((p) => ({ pair, ca, cb } = p));
const CBC_SHA256 = {
    crypt: { name: 'cbc(aes)', key: KEYS.aes128 },
    auth: { name: 'hmac(sha256)', key: KEYS.sha256, truncLen: 128 },
};
const CHACHA = { aead: { name: 'rfc7539esp(chacha20,poly1305)', key: KEYS.chacha, icvLen: 128 } };
const cases = [
    {
        name: 'ESP cbc(aes) + hmac(sha256)/128 (XFRMA_ALG_AUTH_TRUNC), transport, IPv4, lifetime limits',
        spec: {
            family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TRANSPORT, reqid: 11, spiAB: 0x1101, spiBA: 0x1102, algs: CBC_SHA256,
            common: {
                replayWindow: 32,
                lifetime: {
                    softByteLimit: 1n << 40n, hardByteLimit: 1n << 41n, softPacketLimit: 1n << 30n, hardPacketLimit: 1n << 31n,
                    softAddExpiresSeconds: 3000n, hardAddExpiresSeconds: 3600n, softUseExpiresSeconds: 0n, hardUseExpiresSeconds: 0n,
                },
            },
        },
        replay: true,
    },
    {
        name: 'ESP cbc(aes) + hmac(sha1) without truncLen (XFRMA_ALG_AUTH), tunnel, IPv6',
        spec: {
            family: 'v6', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 12, spiAB: 0x1201, spiBA: 0x1202,
            algs: { crypt: { name: 'cbc(aes)', key: KEYS.aes128 }, auth: { name: 'hmac(sha1)', key: KEYS.sha1 } },
            common: { replayWindow: 32 },
        },
        // XFRMA_ALG_AUTH means "the algorithm's default ICV" (96 bits for hmac(sha1)); the
        // kernel always answers with XFRMA_ALG_AUTH_TRUNC too, and the model keeps the richer one.
        adjust: { auth: { name: 'hmac(sha1)', key: KEYS.sha1, truncLen: 96 } },
        replay: true,
    },
    {
        name: 'ESP rfc4106(gcm(aes)) ICV 128, tunnel, IPv4',
        spec: { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 13, spiAB: 0x1301, spiBA: 0x1302, algs: GCM, common: { replayWindow: 32 } },
        replay: true,
    },
    {
        name: 'ESP rfc7539esp(chacha20,poly1305) ICV 128, transport, IPv6',
        spec: { family: 'v6', proto: IPPROTO_ESP, mode: XFRM_MODE_TRANSPORT, reqid: 14, spiAB: 0x1401, spiBA: 0x1402, algs: CHACHA, common: { replayWindow: 32 } },
        replay: true,
    },
    {
        name: 'AH hmac(sha256)/128, transport, IPv4',
        spec: {
            family: 'v4', proto: IPPROTO_AH, mode: XFRM_MODE_TRANSPORT, reqid: 15, spiAB: 0x1501, spiBA: 0x1502,
            algs: { auth: { name: 'hmac(sha256)', key: KEYS.sha256, truncLen: 128 } }, common: { replayWindow: 32 },
        },
        replay: true,
    },
    {
        name: 'AH hmac(sha256)/128, tunnel, IPv6',
        spec: {
            family: 'v6', proto: IPPROTO_AH, mode: XFRM_MODE_TUNNEL, reqid: 16, spiAB: 0x1601, spiBA: 0x1602,
            algs: { auth: { name: 'hmac(sha256)', key: KEYS.sha256, truncLen: 128 } }, common: { replayWindow: 32 },
        },
        replay: true,
    },
    {
        name: 'IPComp deflate, tunnel, IPv4 (compressed 1000-byte and uncompressed small packets)',
        spec: { family: 'v4', proto: IPPROTO_COMP, mode: XFRM_MODE_TUNNEL, reqid: 17, spiAB: 0x1701, spiBA: 0x1702, algs: { comp: 'deflate' }, optional: true },
        pings: [{ count: 3, size: 1000, pattern: 'aa' }, { count: 3 }],
    },
    {
        name: 'IPComp deflate, tunnel, IPv6 (compressed 1000-byte and uncompressed small packets)',
        spec: { family: 'v6', proto: IPPROTO_COMP, mode: XFRM_MODE_TUNNEL, reqid: 18, spiAB: 0x1801, spiBA: 0x1802, algs: { comp: 'deflate' }, optional: true },
        pings: [{ count: 3, size: 1000, pattern: 'aa' }, { count: 3 }],
    },
    {
        name: 'ESP rfc4106(gcm(aes)), BEET, IPv4',
        spec: { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_BEET, reqid: 19, spiAB: 0x1901, spiBA: 0x1902, algs: GCM, common: { replayWindow: 32 } },
        replay: true,
    },
    {
        name: 'ESP cbc(aes) + hmac(sha256), BEET, IPv6',
        spec: { family: 'v6', proto: IPPROTO_ESP, mode: XFRM_MODE_BEET, reqid: 20, spiAB: 0x2001, spiBA: 0x2002, algs: CBC_SHA256, common: { replayWindow: 32 } },
        replay: true,
    },
    {
        name: 'ESP ESN, replay window 128 (bmpLen 4), cbc(aes) + hmac(sha256), tunnel, IPv4',
        spec: {
            family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 21, spiAB: 0x2101, spiBA: 0x2102, algs: CBC_SHA256,
            common: { flags: XFRM_STATE_ESN, replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } },
        },
        replay: true,
    },
    {
        name: 'ESP ESN, replay window 256 (bmpLen 8), rfc4106(gcm(aes)), transport, IPv6',
        spec: {
            family: 'v6', proto: IPPROTO_ESP, mode: XFRM_MODE_TRANSPORT, reqid: 22, spiAB: 0x2201, spiBA: 0x2202, algs: GCM,
            common: { flags: XFRM_STATE_ESN, replayEsn: { bmpLen: 8, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 256, bmp: [0, 0, 0, 0, 0, 0, 0, 0] } },
        },
        replay: true,
    },
    {
        name: 'AH ESN, replay window 128, hmac(sha256)/128, transport, IPv4',
        spec: {
            family: 'v4', proto: IPPROTO_AH, mode: XFRM_MODE_TRANSPORT, reqid: 23, spiAB: 0x2301, spiBA: 0x2302,
            algs: { auth: { name: 'hmac(sha256)', key: KEYS.sha256, truncLen: 128 } },
            common: { flags: XFRM_STATE_ESN, replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } },
        },
        replay: true,
    },
    {
        name: 'ESP tunnel with TFC padding (tfcpad 200), IPv4',
        spec: { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 24, spiAB: 0x2401, spiBA: 0x2402, algs: GCM, common: { replayWindow: 32, tfcpad: 200 } },
        replay: true,
    },
];
/** Install, read back the four copies, ping, check counters; returns the installed inputs. */
async function exercise(c) {
    const st = await installPair(ca, cb, pair, c.spec);
    for (const [client, input] of [
        [ca, st.aOut],
        [ca, st.aIn],
        [cb, st.bOut],
        [cb, st.bIn],
    ]) {
        expectReadBack(await client.getState(idOf(input)), input, c.adjust);
    }
    const x0 = { a: xfrmStat(pair.a.ns), b: xfrmStat(pair.b.ns) };
    const pings = c.pings ?? [{ count: 3 }];
    let sent = 0;
    for (const p of pings) {
        const r = ping(pair.a.ns, addr(pair.b, c.spec.family), p);
        expect(r.received, r.output).toBe(p.count);
        sent += p.count;
    }
    const aOut = await ca.getState(idOf(st.aOut));
    const bIn = await cb.getState(idOf(st.bIn));
    const bOut = await cb.getState(idOf(st.bOut));
    const aIn = await ca.getState(idOf(st.aIn));
    for (const s of [aOut, bIn, bOut, aIn]) {
        expect(s.stats, `stats of SPI ${s.spi.toString(16)}`).toEqual({ replayWindow: 0, replay: 0, integrityFailed: 0 });
    }
    // Every packet passes the outbound SAs. IPComp: packets below the compression threshold
    // (or that do not shrink) are sent as plain IP-in-IP and decapsulated by the kernel's
    // automatic tunnel SA, so the inbound IPComp SA may count fewer.
    for (const s of [aOut, bOut])
        expect(s.current.packets, `packets through outbound SPI ${s.spi.toString(16)}`).toBe(BigInt(sent));
    for (const s of [bIn, aIn]) {
        if (c.spec.proto === IPPROTO_COMP)
            expect(s.current.packets, `packets through inbound CPI ${s.spi.toString(16)}`).toBeGreaterThanOrEqual(3n);
        else
            expect(s.current.packets, `packets through inbound SPI ${s.spi.toString(16)}`).toBe(BigInt(sent));
    }
    if (c.replay) {
        const ra = await ca.getReplayState(idOf(st.aOut));
        const rb = await cb.getReplayState(idOf(st.bIn));
        const oseq = ra.replayEsn ? ra.replayEsn.oseq : ra.replay.oseq;
        const seq = rb.replayEsn ? rb.replayEsn.seq : rb.replay.seq;
        expect(oseq, 'last sequence number sent by A').toBe(sent);
        expect(seq, 'highest sequence number received by B').toBe(sent);
    }
    // /proc/net/xfrm_stat holds only error counters: none may move.
    expect(statDelta(x0.a, xfrmStat(pair.a.ns)), 'xfrm_stat delta in A').toEqual({});
    expect(statDelta(x0.b, xfrmStat(pair.b.ns)), 'xfrm_stat delta in B').toEqual({});
    return st;
}
describe.sequential('algorithms and modes: install, read back equal, carry pings', () => {
    for (const c of cases)
        test(c.name, () => exercise(c));
});
describe.sequential('NAT-T (UDP_ENCAP_ESPINUDP 4500/4500)', () => {
    let sockets = [];
    afterAll(async () => {
        for (const s of sockets)
            await s.close();
    });
    const encap = (v6) => ({ encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: v6 ? '::' : '0.0.0.0' });
    for (const family of ['v4', 'v6']) {
        test(`ESP-in-UDP, tunnel, ${family === 'v4' ? 'IPv4' : 'IPv6'}, UDP_ENCAP sockets with per-socket bypass policies`, async () => {
            sockets = [
                await udpEncapSocket(pair.a.ns, 4500, { family }),
                await udpEncapSocket(pair.b.ns, 4500, { family }),
            ];
            try {
                const e = encap(family === 'v6');
                await exercise({
                    name: 'natt',
                    spec: { family, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 31, spiAB: 0x3101, spiBA: 0x3102, algs: CBC_SHA256, common: { replayWindow: 32 }, encap: { ab: e, ba: e } },
                    replay: true,
                });
            }
            finally {
                for (const s of sockets.splice(0))
                    await s.close();
            }
        });
    }
    test('without a socket bypass, a host-to-host IN policy drops the outer UDP/4500 packet (XfrmInTmplMismatch), as KERNELS.md says', async () => {
        sockets = [await udpEncapSocket(pair.a.ns, 4500, { bypass: false }), await udpEncapSocket(pair.b.ns, 4500, { bypass: false })];
        try {
            const e = encap(false);
            const st = await installPair(ca, cb, pair, {
                family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 32, spiAB: 0x3201, spiBA: 0x3202, algs: CBC_SHA256, common: { replayWindow: 32 }, encap: { ab: e, ba: e },
            });
            const x0 = xfrmStat(pair.b.ns);
            const r = ping(pair.a.ns, pair.b.v4, { count: 2, wait: 0.5 });
            expect(r.received, r.output).toBe(0);
            expect(statDelta(x0, xfrmStat(pair.b.ns))).toEqual({ XfrmInTmplMismatch: 2 });
            // A did encapsulate them; B never decapsulated them
            expect((await ca.getState(idOf(st.aOut))).current.packets).toBe(2n);
            expect((await cb.getState(idOf(st.bIn))).current.packets).toBe(0n);
        }
        finally {
            for (const s of sockets.splice(0))
                await s.close();
        }
    });
});
describe.sequential('marks, output mark, if_id, SA direction (feature-detected by read-back)', () => {
    test('mark on the outbound SA and policy: only marked traffic is protected; the output mark steers the tunnel route lookup', async () => {
        const spec = {
            family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 41, spiAB: 0x4101, spiBA: 0x4102, algs: GCM, common: { replayWindow: 32 },
            aOut: { mark: { v: 0x10, m: 0xff }, outputMark: { value: 0x77, mask: 0xff } },
            aOutPolicy: { mark: { v: 0x10, m: 0xff } },
        };
        const st = await exercise({ name: 'mark', spec: { ...spec }, pings: [{ count: 3, mark: 0x10 }], replay: true });
        // Unmarked traffic does not match A's OUT policy: it leaves in clear text and B's IN policy drops it.
        const x0 = xfrmStat(pair.b.ns);
        const plain = ping(pair.a.ns, pair.b.v4, { count: 2, wait: 0.5 });
        expect(plain.received, plain.output).toBe(0);
        expect(statDelta(x0, xfrmStat(pair.b.ns))).toEqual({ XfrmInTmplMismatch: 2 });
        // The output mark 0x77 is used for the outer route lookup: a rule that prohibits that mark
        // breaks exactly the protected traffic (the sender gets EACCES).
        run(['ip', '-n', pair.a.ns, 'rule', 'add', 'fwmark', '0x77/0xff', 'prohibit']);
        try {
            const blocked = ping(pair.a.ns, pair.b.v4, { count: 2, mark: 0x10, wait: 0.5 });
            expect(blocked.received, blocked.output).toBe(0);
        }
        finally {
            run(['ip', '-n', pair.a.ns, 'rule', 'del', 'fwmark', '0x77/0xff', 'prohibit']);
        }
        const again = ping(pair.a.ns, pair.b.v4, { count: 2, mark: 0x10 });
        expect(again.received, again.output).toBe(2);
        expect((await ca.getState(idOf(st.aOut))).current.packets).toBe(5n);
    });
    test('if_id: accepted and read back by 6.1 (no XFRM interfaces in this UML build, so no traffic)', async () => {
        const st = pairStates(pair, { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 42, spiAB: 0x4201, spiBA: 0x4202, algs: GCM });
        const sa = { ...st.aOut, ifId: 7 };
        await ca.addState(sa); // addState reads back and throws XfrmUnsupportedError if if_id was dropped
        const back = await ca.getState(idOf(sa));
        expect(back.ifId).toBe(7);
        expectReadBack(back, sa);
        const ae = await ca.getReplayState(idOf(sa));
        expect(ae.ifId).toBe(7);
    });
    // XFRMA_SA_DIR appeared in 6.10: older kernels drop it silently, newer ones validate and echo it.
    const hasSaDir = kernelAtLeast(6, 10);
    test.skipIf(hasSaDir)(`XFRMA_SA_DIR is silently ignored by 6.1: addState detects it by read-back, throws XfrmUnsupportedError and removes the SA${skipNote(!hasSaDir, 'kernel >= 6.10 validates SA_DIR')}`, async () => {
        const st = pairStates(pair, { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 43, spiAB: 0x4301, spiBA: 0x4302, algs: GCM });
        const err = await ca.addState({ ...st.aIn, dir: XFRM_SA_DIR_IN }).then(() => undefined, (e) => e);
        expect(err).toBeInstanceOf(XfrmUnsupportedError);
        expect(err.fields).toEqual(['dir']);
        const gone = await ca.getState(idOf(st.aIn)).then(() => undefined, (e) => e);
        expect(gone).toBeInstanceOf(NetlinkKernelError);
        expect(gone.code).toBe('ESRCH');
        // the same SA without dir installs fine
        await ca.addState(st.aIn);
        expect((await ca.getState(idOf(st.aIn))).dir).toBeUndefined();
    });
    test.runIf(hasSaDir)(`XFRMA_SA_DIR (6.10+): accepted, read back (GETSA, GETAE) and enforced by verify_replay/verify_newsa_info and on traffic${skipNote(hasSaDir, 'kernel < 6.10 has no SA_DIR')}`, async () => {
        const spec = { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 43, spiAB: 0x4301, spiBA: 0x4302, algs: GCM };
        const st = pairStates(pair, spec);
        const rejected = async (sa) => {
            const e = await ca.addState(sa).then(() => undefined, (x) => x);
            expect(e).toBeInstanceOf(NetlinkKernelError);
            const gone = await ca.getState(idOf(sa)).then(() => undefined, (x) => x);
            expect(gone.code).toBe('ESRCH');
            return e;
        };
        // accepted and echoed
        const inSa = { ...st.aIn, dir: XFRM_SA_DIR_IN, replayWindow: 32 };
        await ca.addState(inSa);
        const backIn = await ca.getState(idOf(inSa));
        expect(backIn.dir).toBe(XFRM_SA_DIR_IN);
        expectReadBack(backIn, inSa);
        expect((await ca.getReplayState(idOf(inSa))).dir).toBe(XFRM_SA_DIR_IN);
        const outSa = { ...st.aOut, dir: XFRM_SA_DIR_OUT, replay: { oseq: 41, seq: 0, bitmap: 0 } };
        await ca.addState(outSa);
        const backOut = await ca.getState(idOf(outSa));
        expect(backOut.dir).toBe(XFRM_SA_DIR_OUT);
        expect(backOut.replay).toEqual({ oseq: 41, seq: 0, bitmap: 0 });
        await resetSide(ca);
        // enforced at creation (XFRM-ABI.md §7.3): an OUT SA carries no inbound replay state ...
        let e = await rejected({ ...st.aOut, dir: XFRM_SA_DIR_OUT, replay: { oseq: 0, seq: 5, bitmap: 0 } });
        expect([e.code, e.errno, e.extackMessage]).toEqual(['EINVAL', 22, 'Replay seq and bitmap should be 0 for output SA']);
        e = await rejected({ ...st.aOut, dir: XFRM_SA_DIR_OUT, replayWindow: 32 });
        expect([e.code, e.extackMessage]).toEqual(['EINVAL', 'Replay window should be 0 for output SA']);
        const esn = { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] };
        e = await rejected({ ...st.aOut, dir: XFRM_SA_DIR_OUT, flags: XFRM_STATE_ESN, replayEsn: { ...esn, replayWindow: 0, bmpLen: 0, bmp: [], seq: 9 } });
        expect([e.code, e.extackMessage]).toEqual(['EINVAL', 'Replay seq and seq_hi should be 0 for output SA']);
        // (non-ESN with XFRMA_REPLAY_ESN_VAL: the bitmap-window mode)
        e = await rejected({ ...st.aOut, dir: XFRM_SA_DIR_OUT, replayEsn: { ...esn, replayWindow: 0, bmpLen: 0, bmp: [], oseq: 0xffffffff } });
        expect([e.code, e.extackMessage]).toEqual(['EINVAL', 'Replay oseq should be less than 0xFFFFFFFF in non-ESN mode for output SA']);
        // ... and an IN SA no outbound sequence numbers
        e = await rejected({ ...st.aIn, dir: XFRM_SA_DIR_IN, flags: XFRM_STATE_ESN, replayEsn: { ...esn, oseq: 3 } });
        expect([e.code, e.extackMessage]).toEqual(['EINVAL', 'Replay oseq and oseq_hi should be 0 for input SA']);
        // out of range: strict U8 policy 1..2
        e = await rejected({ ...st.aIn, dir: 3 });
        expect(e.code).toBe('ERANGE');
        // enforced on traffic: an SA whose direction contradicts its use drops packets and counts
        // XfrmInStateDirError / XfrmOutStateDirError
        const good = await installPair(ca, cb, pair, {
            ...spec,
            aOut: { dir: XFRM_SA_DIR_OUT },
        });
        // (installPair added all four without dir except aOut; redo B's inbound copy as IN)
        await cb.deleteState(idOf(good.bIn));
        await cb.addState({ ...good.bIn, dir: XFRM_SA_DIR_IN, replayWindow: 32 });
        const ok = ping(pair.a.ns, pair.b.v4, { count: 2 });
        expect(ok.received, ok.output).toBe(2);
        // B's copy of A→B marked OUT: B finds it for the SPI but refuses to decapsulate
        await cb.deleteState(idOf(good.bIn));
        await cb.addState({ ...good.bIn, dir: XFRM_SA_DIR_OUT });
        let x0 = xfrmStat(pair.b.ns);
        const inDrop = ping(pair.a.ns, pair.b.v4, { count: 2, wait: 0.5 });
        expect(inDrop.received, inDrop.output).toBe(0);
        expect(statDelta(x0, xfrmStat(pair.b.ns))).toMatchObject({ XfrmInStateDirError: 2 });
        // A's outbound SA marked IN: the output path finds it and refuses it
        await ca.deleteState(idOf(good.aOut));
        await ca.addState({ ...good.aOut, dir: XFRM_SA_DIR_IN });
        x0 = xfrmStat(pair.a.ns);
        const outDrop = ping(pair.a.ns, pair.b.v4, { count: 2, wait: 0.5 });
        expect(outDrop.received, outDrop.output).toBe(0);
        expect(statDelta(x0, xfrmStat(pair.a.ns)).XfrmOutStateDirError ?? 0).toBeGreaterThanOrEqual(1);
    });
});
describe('regressions: library bugs found against the real kernel, now fixed', () => {
    test('IPv6 SA with NAT-T: XFRMA_ENCAP encap_oa reads back in the SA family (2001:db8:: must not become 32.1.13.184)', async () => {
        const e = { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: '2001:db8::' };
        const st = pairStates(pair, { family: 'v6', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 51, spiAB: 0x5101, spiBA: 0x5102, algs: GCM, encap: { ab: e, ba: e } });
        await ca.addState(st.aOut);
        const back = await ca.getState(idOf(st.aOut));
        // src/client/state.ts stateFromMessage copies XFRMA_ENCAP as decoded without the SA's
        // family, and the address codec shows 16 bytes whose bytes 4-15 are zero in IPv4 notation.
        expect(back.encap).toEqual(e);
    });
});
