/**
 * Guest test (runs inside the UML 6.1 kernel, see README.md): the rest of the XfrmClient API
 * an IKE/HA daemon relies on, against the real kernel and with traffic where it matters —
 * ALLOCSPI + UPDSA, user-requested EXPIRE, kernel-side dump filters, counts, policy lookup
 * by selector and by index, MIGRATE to new tunnel addresses, restore over live SAs, and what
 * a restore can and cannot protect on the inbound side.
 */
import { describe, expect, test } from 'vitest';
import { restore, snapshot } from '../../src/client/ha.js';
import { NetlinkKernelError } from '../../src/netlink/errors.js';
import { AF_INET, IPPROTO_AH, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, } from '../../src/xfrm/constants.js';
import { ipBatch, ping, statDelta, xfrmStat } from '../helpers/netns.js';
import { EventCollector, expectReadBack, hostSelector, idOf, installPair, is, KEYS, pairPolicies, pairStates, gcmTunnelSpec } from './esp-setup.js';
import { useNsPair } from './netns-pair.js';
let pair, ca, cb;
useNsPair((p) => ({ pair, ca, cb } = p));
const spec = gcmTunnelSpec;
async function list(c, filter = {}) {
    const out = [];
    for await (const s of c.listStates(filter))
        out.push(`${s.proto === IPPROTO_AH ? 'ah' : 'esp'}:${s.spi.toString(16)}`);
    return out.sort();
}
describe.sequential('SA life cycle', () => {
    test('allocSpi reserves an SPI in range (larval SA); NEWSA on it fails EEXIST; updateState fills it and traffic flows', async () => {
        const s = spec(0x81);
        const st = pairStates(pair, s);
        const larval = await ca.allocSpi({ saddr: pair.b.v4, daddr: pair.a.v4, proto: IPPROTO_ESP, min: 0x8100, max: 0x81ff, mode: XFRM_MODE_TUNNEL, reqid: 0x81 });
        expect(larval.spi).toBeGreaterThanOrEqual(0x8100);
        expect(larval.spi).toBeLessThanOrEqual(0x81ff);
        expect(larval.aead).toBeUndefined();
        // B's outbound SA / A's inbound SA use the SPI A allocated
        const aIn = { ...st.aIn, spi: larval.spi };
        const bOut = { ...st.bOut, spi: larval.spi };
        const dup = await ca.addState(aIn).then(() => undefined, (e) => e);
        expect(dup).toBeInstanceOf(NetlinkKernelError);
        expect(dup.code).toBe('EEXIST');
        await ca.updateState(aIn);
        expectReadBack(await ca.getState(idOf(aIn)), aIn);
        await ca.addState(st.aOut);
        await cb.addState(bOut);
        await cb.addState(st.bIn);
        const pols = pairPolicies(pair, s);
        for (const p of pols.a)
            await ca.addPolicy(p);
        for (const p of pols.b)
            await cb.addPolicy(p);
        const r = ping(pair.a.ns, pair.b.v4, { count: 3 });
        expect(r.received, r.output).toBe(3);
        expect((await ca.getState(idOf(aIn))).current.packets).toBe(3n);
    });
    test('expireState: a soft EXPIRE keeps the SA, a hard one deletes it; both are notified', async () => {
        const st = pairStates(pair, spec(0x82));
        await ca.addState(st.aOut);
        const ev = new EventCollector(ca, ['expire']);
        try {
            await ca.expireState(idOf(st.aOut), false);
            const soft = await ev.waitFor(is('expire', (e) => !e.hard), 3000, 'soft EXPIRE');
            expect(soft.state.spi).toBe(st.aOut.spi);
            expect((await ca.getState(idOf(st.aOut))).spi).toBe(st.aOut.spi);
            await ca.expireState(idOf(st.aOut), true);
            const hard = await ev.waitFor(is('expire', (e) => e.hard), 3000, 'hard EXPIRE');
            expect(hard.state.spi).toBe(st.aOut.spi);
            const gone = await ca.getState(idOf(st.aOut)).then(() => undefined, (e) => e);
            expect(gone.code).toBe('ESRCH');
        }
        finally {
            await ev.close();
        }
    });
    test('listStates filters in the kernel (proto, source prefix, destination prefix); countStates/countPolicies count', async () => {
        const esp4 = pairStates(pair, spec(0x83));
        const ah4 = pairStates(pair, spec(0x84, { proto: IPPROTO_AH, algs: { auth: { name: 'hmac(sha256)', key: KEYS.sha256, truncLen: 128 } } }));
        const esp6 = pairStates(pair, spec(0x85, { family: 'v6' }));
        for (const s of [esp4.aOut, esp4.aIn, ah4.aOut, esp6.aOut])
            await ca.addState(s);
        expect(await list(ca)).toEqual(['ah:8401', 'esp:8301', 'esp:8302', 'esp:8501']);
        expect(await list(ca, { proto: IPPROTO_AH })).toEqual(['ah:8401']);
        expect(await list(ca, { dst: { addr: pair.b.v4, prefixlen: 32 } })).toEqual(['ah:8401', 'esp:8301']);
        expect(await list(ca, { src: { addr: '192.0.2.0', prefixlen: 24 }, dst: { addr: pair.a.v4, prefixlen: 32 } })).toEqual(['esp:8302']);
        expect(await list(ca, { dst: { addr: '2001:db8::', prefixlen: 64 } })).toEqual(['esp:8501']);
        expect((await ca.countStates()).count).toBe(4);
        for (const p of pairPolicies(pair, spec(0x83)).a)
            await ca.addPolicy(p);
        const pc = await ca.countPolicies();
        expect(pc.counts).toMatchObject({ incnt: 1, outcnt: 1, fwdcnt: 0 });
    });
    test('getPolicy by selector and by index, deletePolicy by index', async () => {
        const pols = pairPolicies(pair, spec(0x86));
        for (const p of pols.a)
            await ca.addPolicy(p);
        const bySel = await ca.getPolicy({ selector: hostSelector(pair.a.v4, pair.b.v4), dir: XFRM_POLICY_OUT });
        expect(bySel.dir).toBe(XFRM_POLICY_OUT);
        expect(bySel.index & 7).toBe(XFRM_POLICY_OUT);
        expect(bySel.templates[0]).toMatchObject({ reqid: 0x86, mode: XFRM_MODE_TUNNEL, saddr: pair.a.v4, id: { daddr: pair.b.v4, proto: IPPROTO_ESP, spi: 0 } });
        const byIdx = await ca.getPolicy({ index: bySel.index, dir: XFRM_POLICY_OUT });
        expect(byIdx.selector).toEqual(bySel.selector);
        await ca.deletePolicy({ index: bySel.index, dir: XFRM_POLICY_OUT });
        const left = [];
        for await (const p of ca.listPolicies())
            left.push(p.dir);
        expect(left).toEqual([XFRM_POLICY_IN]);
    });
});
describe.sequential('MIGRATE', () => {
    test('migrate moves tunnel SAs and policy templates to new outer addresses; traffic then uses them', async () => {
        // second outer addresses on both ends (TEST-NET-2), with permanent neighbours
        ipBatch(['addr add 198.51.100.1/24 dev veth0', `neigh replace 198.51.100.2 lladdr ${pair.b.mac} dev veth0 nud permanent`], pair.a.ns);
        ipBatch(['addr add 198.51.100.2/24 dev veth0', `neigh replace 198.51.100.1 lladdr ${pair.a.mac} dev veth0 nud permanent`], pair.b.ns);
        const s = spec(0x87);
        const st = await installPair(ca, cb, pair, s);
        expect(ping(pair.a.ns, pair.b.v4, { count: 2 }).received).toBe(2);
        const move = (oldS, oldD, newS, newD) => ({
            oldSaddr: oldS, oldDaddr: oldD, newSaddr: newS, newDaddr: newD,
            proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reserved: 0, reqid: 0x87, oldFamily: AF_INET, newFamily: AF_INET,
        });
        const [A, B, A2, B2] = [pair.a.v4, pair.b.v4, '198.51.100.1', '198.51.100.2'];
        await ca.migrate({ selector: hostSelector(A, B), dir: XFRM_POLICY_OUT, migrations: [move(A, B, A2, B2)] });
        await ca.migrate({ selector: hostSelector(B, A), dir: XFRM_POLICY_IN, migrations: [move(B, A, B2, A2)] });
        await cb.migrate({ selector: hostSelector(B, A), dir: XFRM_POLICY_OUT, migrations: [move(B, A, B2, A2)] });
        await cb.migrate({ selector: hostSelector(A, B), dir: XFRM_POLICY_IN, migrations: [move(A, B, A2, B2)] });
        const moved = await ca.getState({ daddr: B2, spi: st.aOut.spi, proto: IPPROTO_ESP });
        expect({ saddr: moved.saddr, daddr: moved.daddr }).toEqual({ saddr: A2, daddr: B2 });
        expect(moved.replay.oseq).toBe(2); // the replay state moved with the SA
        const gone = await ca.getState(idOf(st.aOut)).then(() => undefined, (e) => e);
        expect(gone.code).toBe('ESRCH');
        const pol = await ca.getPolicy({ selector: hostSelector(A, B), dir: XFRM_POLICY_OUT });
        expect(pol.templates[0]).toMatchObject({ saddr: A2, id: { daddr: B2 } });
        const x0 = xfrmStat(pair.b.ns);
        const r = ping(pair.a.ns, pair.b.v4, { count: 3 });
        expect(r.received, r.output).toBe(3);
        expect((await cb.getState({ daddr: B2, spi: st.bIn.spi, proto: IPPROTO_ESP })).replay.seq).toBe(5);
        expect(statDelta(x0, xfrmStat(pair.b.ns))).toEqual({});
    });
});
describe.sequential('restore over live SAs, and the inbound side of a restore', () => {
    test("restore with existing: 'replace' reinstalls over live SAs (no flush); traffic flows, oseq continues above", async () => {
        const st = await installPair(ca, cb, pair, spec(0x88));
        expect(ping(pair.a.ns, pair.b.v4, { count: 3 }).received).toBe(3);
        const snapA = await snapshot(ca);
        const failed = await restore(ca, snapA, { outboundSeqMargin: 100 });
        expect(failed.every((r) => !r.ok && r.error instanceof NetlinkKernelError && r.error.code === 'EEXIST')).toBe(true);
        const res = await restore(ca, snapA, { outboundSeqMargin: 100, existing: 'replace' });
        expect(res.every((r) => r.ok)).toBe(true);
        expect((await ca.getReplayState(idOf(st.aOut))).replay.oseq).toBe(103);
        const x0 = xfrmStat(pair.b.ns);
        expect(ping(pair.a.ns, pair.b.v4, { count: 3 }).received).toBe(3);
        expect((await ca.getReplayState(idOf(st.aOut))).replay.oseq).toBe(106);
        expect(statDelta(x0, xfrmStat(pair.b.ns))).toEqual({});
    });
    test("limit of any snapshot restore: the restored inbound SA re-accepts sequence numbers received during the failover gap (even with inboundWindow 'closed')", async () => {
        const st = await installPair(ca, cb, pair, spec(0x89));
        expect(ping(pair.a.ns, pair.b.v4, { count: 3 }).received).toBe(3);
        const snapA = await snapshot(ca);
        const snapB = await snapshot(cb);
        // the gap: B receives 4..6 after its snapshot
        expect(ping(pair.a.ns, pair.b.v4, { count: 3 }).received).toBe(3);
        await cb.flushStates();
        const rb = await restore(cb, snapB, { outboundSeqMargin: 100, inboundWindow: 'closed' });
        expect(rb.every((r) => r.ok)).toBe(true);
        expect((await cb.getReplayState(idOf(st.bIn))).replay).toMatchObject({ seq: 3, bitmap: 0xffffffff });
        // A sender that reuses 4..6 (e.g. replayed packets; here A restored without margin) is accepted again
        await ca.flushStates();
        expect((await restore(ca, snapA, { outboundSeqMargin: 0 })).every((r) => r.ok)).toBe(true);
        const x0 = xfrmStat(pair.b.ns);
        const r = ping(pair.a.ns, pair.b.v4, { count: 3 });
        expect(r.received, r.output).toBe(3);
        expect((await cb.getState(idOf(st.bIn))).stats).toEqual({ replayWindow: 0, replay: 0, integrityFailed: 0 });
        expect(statDelta(x0, xfrmStat(pair.b.ns))).toEqual({});
        // ...whereas sequence numbers at or below the saved top are refused by the closed window
        await ca.setReplayState(idOf(st.aOut), { replay: { oseq: 0, seq: 0, bitmap: 0 } });
        const again = ping(pair.a.ns, pair.b.v4, { count: 2, wait: 0.5 });
        expect(again.received).toBe(0);
        expect((await cb.getState(idOf(st.bIn))).stats.replay).toBe(2);
    });
});
