/**
 * Guest test (see README.md): features of newer kernels than Debian's UML 6.1, run on every
 * guest kernel and skipped — with the reason in the test title — where the kernel lacks them.
 * Whether a feature is there is a FACT probed at load time in a scratch namespace (create an
 * xfrm link; add an SA with the attribute and read it back), cross-checked with the kernel
 * version: on a kernel that must have a feature (XFRM interfaces on >= 6.12, the kernel the
 * harness builds with CONFIG_XFRM_INTERFACE=y) a failed probe is a test failure, not a skip.
 *
 * - XFRM interfaces (`ip link add ipsec1 type xfrm dev veth0 if_id 42`): route-based ESP
 *   tunnel between the two namespaces, SAs and policies with `ifId` 42 through XfrmClient,
 *   pings over the interface, SA and interface counters move, traffic without the route stays
 *   outside the tunnel.
 * - XFRMA_SA_PCPU (per-CPU SAs): accepted with SA_DIR and read back where the kernel has it.
 * - HA snapshot/restore of ESN SAs that carry XFRMA_SA_DIR (6.10+): the restored SAs pass
 *   the kernel's direction checks of the replay state and traffic continues.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { XfrmClient, XfrmUnsupportedError } from '../../src/client/client.js';
import { restore, snapshot } from '../../src/client/ha.js';
import { template } from '../../src/client/policy.js';
import { NetlinkKernelError } from '../../src/netlink/errors.js';
import { IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT, XFRM_STATE_ESN } from '../../src/xfrm/constants.js';
import { ipBatch, ping, run, statDelta, xfrmStat } from '../helpers/netns.js';
import { idOf, pairPolicies, pairStates, resetSide, GCM } from './esp-setup.js';
import { useNsPair } from './netns-pair.js';
import { KERNEL_RELEASE, kernelAtLeast, skipNote } from './kernel.js';
/** Probe the features in a scratch namespace (removed afterwards). */
async function probeFeatures() {
    const ns = 'nlxprobe';
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    run(['ip', 'netns', 'add', ns]);
    try {
        const r = spawnSync('ip', ['-n', ns, 'link', 'add', 'xprobe', 'type', 'xfrm', 'dev', 'lo', 'if_id', '1'], { encoding: 'utf8' });
        const xfrmi = { ok: r.status === 0, detail: `ip link add ... type xfrm: ${(r.stderr || r.stdout || `status ${r.status}`).trim()}` };
        const c = XfrmClient.open({ netns: ns });
        let pcpu;
        try {
            const sa = {
                saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x9901, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 99, ...GCM,
                dir: XFRM_SA_DIR_OUT, pcpu: 0,
            };
            pcpu = await c.addState(sa).then(() => ({ ok: true, detail: '' }), (e) => ({
                ok: false,
                detail: e instanceof XfrmUnsupportedError ? `the kernel dropped ${e.fields.join(', ')} (read back without it)` : String(e),
            }));
        }
        finally {
            c.close();
        }
        return { xfrmi, pcpu };
    }
    finally {
        spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    }
}
const FEATURES = await probeFeatures();
const mustHaveXfrmi = kernelAtLeast(6, 12);
if (!FEATURES.xfrmi.ok)
    console.log(`newer-kernel.guest.ts: no XFRM interfaces on ${KERNEL_RELEASE}: ${FEATURES.xfrmi.detail}`);
if (!FEATURES.pcpu.ok)
    console.log(`newer-kernel.guest.ts: no XFRMA_SA_PCPU on ${KERNEL_RELEASE}: ${FEATURES.pcpu.detail}`);
let pair, ca, cb;
useNsPair((p) => ({ pair, ca, cb } = p));
/** A selector matching every IPv4 packet. */
function anyV4() {
    return {
        saddr: '0.0.0.0', daddr: '0.0.0.0', sport: 0, sportMask: 0, dport: 0, dportMask: 0,
        family: 2, prefixlenS: 0, prefixlenD: 0, proto: 0, ifindex: 0, user: 0,
    };
}
function linkStats(ns, dev) {
    const j = JSON.parse(run(['ip', '-n', ns, '-s', '-j', 'link', 'show', 'dev', dev]));
    return { tx: j[0].stats64.tx.packets, rx: j[0].stats64.rx.packets };
}
describe.sequential('kernel features newer than 6.1 (probed; skipped with the reason where absent)', () => {
    test(`XFRM interface support matches the kernel version (required on >= 6.12; this is ${KERNEL_RELEASE})`, () => {
        if (mustHaveXfrmi)
            expect(FEATURES.xfrmi, 'the 6.12 harness kernel is built with CONFIG_XFRM_INTERFACE=y').toMatchObject({ ok: true });
        else
            expect(typeof FEATURES.xfrmi.ok).toBe('boolean');
    });
    test.runIf(FEATURES.xfrmi.ok)(`XFRM interface (type xfrm, if_id 42): SAs and policies with ifId 42, route through ipsec1, pings, counters move${skipNote(FEATURES.xfrmi.ok, FEATURES.xfrmi.detail)}`, async () => {
        const IF_ID = 42;
        const inner = { a: '198.51.100.1', b: '198.51.100.2' };
        for (const [side, me, peer] of [
            [pair.a, inner.a, inner.b],
            [pair.b, inner.b, inner.a],
        ]) {
            ipBatch([
                `link add ipsec1 type xfrm dev ${side.dev} if_id ${IF_ID}`,
                `addr add ${me}/32 dev ipsec1`,
                'link set ipsec1 up',
                `route add ${peer}/32 dev ipsec1 src ${me}`,
            ], side.ns);
        }
        try {
            const base = (src, dst, spi) => ({
                saddr: src, daddr: dst, spi, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 142, selector: anyV4(), replayWindow: 32, ifId: IF_ID, ...GCM,
            });
            const ab = base(pair.a.v4, pair.b.v4, 0x14201);
            const ba = base(pair.b.v4, pair.a.v4, 0x14202);
            await ca.addState(ab);
            await ca.addState(ba);
            await cb.addState(ab);
            await cb.addState(ba);
            for (const [c, me, peer] of [
                [ca, pair.a.v4, pair.b.v4],
                [cb, pair.b.v4, pair.a.v4],
            ]) {
                const tmpl = (src, dst) => [template({ proto: IPPROTO_ESP, saddr: src, daddr: dst, reqid: 142, mode: XFRM_MODE_TUNNEL })];
                const pols = [
                    { selector: anyV4(), dir: XFRM_POLICY_OUT, templates: tmpl(me, peer), ifId: IF_ID },
                    { selector: anyV4(), dir: XFRM_POLICY_IN, templates: tmpl(peer, me), ifId: IF_ID },
                ];
                for (const p of pols)
                    await c.addPolicy(p);
            }
            // read back: the if_id is on the SAs and the policies
            expect((await ca.getState(idOf(ab))).ifId).toBe(IF_ID);
            const ifIds = [];
            for await (const pol of ca.listPolicies())
                ifIds.push(pol.ifId);
            expect(ifIds).toEqual([IF_ID, IF_ID]);
            const xa0 = xfrmStat(pair.a.ns);
            const xb0 = xfrmStat(pair.b.ns);
            const la0 = linkStats(pair.a.ns, 'ipsec1');
            const lb0 = linkStats(pair.b.ns, 'ipsec1');
            const p = ping(pair.a.ns, inner.b, { count: 3 });
            expect(p.received, p.output).toBe(3);
            // SA counters: 3 requests A→B, 3 replies B→A
            expect((await ca.getState(idOf(ab))).current.packets).toBe(3n);
            expect((await cb.getState(idOf(ab))).current.packets).toBe(3n);
            expect((await cb.getState(idOf(ba))).current.packets).toBe(3n);
            expect((await ca.getState(idOf(ba))).current.packets).toBe(3n);
            expect((await ca.getReplayState(idOf(ab))).replay).toMatchObject({ oseq: 3 });
            // interface counters: the inner packets went through ipsec1 on both sides
            const la1 = linkStats(pair.a.ns, 'ipsec1');
            const lb1 = linkStats(pair.b.ns, 'ipsec1');
            expect({ tx: la1.tx - la0.tx, rx: la1.rx - la0.rx }).toEqual({ tx: 3, rx: 3 });
            expect({ tx: lb1.tx - lb0.tx, rx: lb1.rx - lb0.rx }).toEqual({ tx: 3, rx: 3 });
            expect(statDelta(xa0, xfrmStat(pair.a.ns))).toEqual({});
            expect(statDelta(xb0, xfrmStat(pair.b.ns))).toEqual({});
            // traffic not routed into ipsec1 (the outer addresses) is outside the if_id policies:
            // it flows in clear text and the SAs do not count it
            const clear = ping(pair.a.ns, pair.b.v4, { count: 2 });
            expect(clear.received, clear.output).toBe(2);
            expect((await ca.getState(idOf(ab))).current.packets).toBe(3n);
            // the interface down: no route into the tunnel any more, nothing leaves through the SA
            ipBatch(['link set ipsec1 down'], pair.a.ns);
            const down = ping(pair.a.ns, inner.b, { count: 1, wait: 0.5 });
            expect(down.received, down.output).toBe(0);
            expect((await ca.getState(idOf(ab))).current.packets).toBe(3n);
        }
        finally {
            for (const side of [pair.a, pair.b])
                spawnSync('ip', ['-n', side.ns, 'link', 'del', 'ipsec1'], { stdio: 'ignore' });
        }
    });
    const hasSaDir = kernelAtLeast(6, 10);
    test.runIf(hasSaDir)(`HA snapshot/restore of ESN SAs with XFRMA_SA_DIR (OUT: no window/bitmap; IN: window 128): restored, dir kept, traffic continues${skipNote(hasSaDir, 'kernel < 6.10 has no SA_DIR')}`, async () => {
        const spec = { family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 110, spiAB: 0x11001, spiBA: 0x11002, algs: GCM, common: { flags: XFRM_STATE_ESN } };
        const st = pairStates(pair, spec);
        const outEsn = { bmpLen: 0, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 0, bmp: [] };
        const inEsn = { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] };
        const sas = {
            aOut: { ...st.aOut, dir: XFRM_SA_DIR_OUT, replayEsn: outEsn },
            aIn: { ...st.aIn, dir: XFRM_SA_DIR_IN, replayEsn: inEsn },
            bOut: { ...st.bOut, dir: XFRM_SA_DIR_OUT, replayEsn: outEsn },
            bIn: { ...st.bIn, dir: XFRM_SA_DIR_IN, replayEsn: inEsn },
        };
        await ca.addState(sas.aOut);
        await ca.addState(sas.aIn);
        await cb.addState(sas.bOut);
        await cb.addState(sas.bIn);
        const pols = pairPolicies(pair, spec);
        for (const p of pols.a)
            await ca.addPolicy(p);
        for (const p of pols.b)
            await cb.addPolicy(p);
        const p1 = ping(pair.a.ns, pair.b.v4, { count: 3 });
        expect(p1.received, p1.output).toBe(3);
        const snapA = await snapshot(ca);
        const snapB = await snapshot(cb);
        await ca.flushStates();
        await cb.flushStates();
        const MARGIN = 100;
        const results = [...(await restore(ca, snapA, { outboundSeqMargin: MARGIN })), ...(await restore(cb, snapB, { outboundSeqMargin: MARGIN }))];
        expect(results.filter((r) => !r.ok).map((r) => String(r.error))).toEqual([]);
        const aOut = await ca.getState(idOf(sas.aOut));
        const aIn = await ca.getState(idOf(sas.aIn));
        expect([aOut.dir, aIn.dir]).toEqual([XFRM_SA_DIR_OUT, XFRM_SA_DIR_IN]);
        expect(aOut.replayEsn).toMatchObject({ oseq: 3 + MARGIN, bmpLen: 0, replayWindow: 0 });
        expect(aIn.replayEsn).toMatchObject({ oseq: 0, seq: 3, replayWindow: 128 });
        const xa0 = xfrmStat(pair.a.ns);
        const xb0 = xfrmStat(pair.b.ns);
        const p2 = ping(pair.a.ns, pair.b.v4, { count: 3 });
        expect(p2.received, p2.output).toBe(3);
        expect(statDelta(xa0, xfrmStat(pair.a.ns))).toEqual({});
        expect(statDelta(xb0, xfrmStat(pair.b.ns))).toEqual({});
        expect((await cb.getState(idOf(sas.bIn))).replayEsn).toMatchObject({ seq: 3 + MARGIN + 3 });
    });
    test.runIf(FEATURES.pcpu.ok)(`XFRMA_SA_PCPU: accepted with SA_DIR and read back (GETSA, GETAE); rejected without SA_DIR${skipNote(FEATURES.pcpu.ok, FEATURES.pcpu.detail)}`, async () => {
        const sa = {
            saddr: pair.a.v4, daddr: pair.b.v4, spi: 0x3501, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 35, ...GCM,
            dir: XFRM_SA_DIR_OUT, pcpu: 0,
        };
        await ca.addState(sa);
        const back = await ca.getState(idOf(sa));
        expect([back.dir, back.pcpu]).toEqual([XFRM_SA_DIR_OUT, 0]);
        expect((await ca.getReplayState(idOf(sa))).pcpu).toBe(0);
        await resetSide(ca);
        const e = await ca.addState({ ...sa, dir: undefined }).then(() => undefined, (x) => x);
        expect(e).toBeInstanceOf(NetlinkKernelError);
        expect([e.code, e.extackMessage]).toEqual(['EINVAL', 'SA_PCPU only supported with SA_DIR']);
    });
});
