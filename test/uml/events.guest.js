/**
 * Guest test (runs inside the UML 6.1 kernel, see README.md): XFRM events received through
 * XfrmClient.events() and caused by real kernel activity — lifetimes running out, traffic
 * hitting a policy without SA, replay-state changes and thresholds, NAT-T source-port
 * changes — plus the SA/policy notifications of the client's own requests.
 */
import { describe, expect, test } from 'vitest';
import { unlimitedLifetime } from '../../src/client/state.js';
import { NetlinkKernelError } from '../../src/netlink/errors.js';
import { IPPROTO_ESP, IPSEC_PROTO_ANY, UDP_ENCAP_ESPINUDP, XFRM_AE_CE, XFRM_AE_CR, XFRM_AE_CU, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_USERPOLICY_ACCEPT, } from '../../src/xfrm/constants.js';
import { ping, udpEncapSocket } from '../helpers/netns.js';
import { addr, EventCollector, hostSelector, idOf, installPair, is, pairPolicies, pairStates, sleep, gcmTunnelSpec } from './esp-setup.js';
import { useNsPair } from './netns-pair.js';
let pair, ca, cb;
useNsPair((p) => ({ pair, ca, cb } = p));
const spec = gcmTunnelSpec;
const noLimits = unlimitedLifetime();
async function expectGone(c, s) {
    const err = await c.getState(idOf(s)).then(() => undefined, (e) => e);
    expect(err, `SA ${s.spi.toString(16)} should be gone`).toBeInstanceOf(NetlinkKernelError);
    expect(err.code).toBe('ESRCH');
}
describe.sequential('EXPIRE', () => {
    test('soft then hard EXPIRE from add-time lifetimes (soft 1 s, hard 3 s); the SA is deleted after the hard one', async () => {
        const ev = new EventCollector(ca, ['expire']);
        try {
            const st = pairStates(pair, spec(0x61));
            const sa = { ...st.aOut, lifetime: { ...noLimits, softAddExpiresSeconds: 1n, hardAddExpiresSeconds: 3n } };
            const t0 = Date.now();
            await ca.addState(sa);
            const soft = await ev.waitFor(is('expire', (e) => !e.hard), 5000, 'soft EXPIRE');
            const tSoft = Date.now() - t0;
            const hard = await ev.waitFor(is('expire', (e) => e.hard), 6000, 'hard EXPIRE');
            const tHard = Date.now() - t0;
            expect(ev.events.findIndex((e) => e === soft)).toBeLessThan(ev.events.findIndex((e) => e === hard));
            for (const e of [soft, hard]) {
                expect({ spi: e.state.spi, daddr: e.state.daddr, saddr: e.state.saddr, proto: e.state.proto, reqid: e.state.reqid }).toEqual({
                    spi: sa.spi, daddr: sa.daddr, saddr: sa.saddr, proto: IPPROTO_ESP, reqid: 0x61,
                });
                expect(e.state.lifetime.softAddExpiresSeconds).toBe(1n);
                expect(e.state.lifetime.hardAddExpiresSeconds).toBe(3n);
            }
            // The SA timer first runs 1 s after the add and add_time has 1 s resolution: soft fires
            // 1-2 s after the add, hard at add_time + 3 s. (Hard is 2 s after soft, not 1 s: if the
            // first timer run is late by the whole soft-to-hard distance, xfrm_timer_handler goes
            // straight to the hard expiry without a soft one — seen under heavy host load.)
            expect(tSoft).toBeLessThan(3000);
            expect(tHard - tSoft).toBeGreaterThanOrEqual(600);
            expect(tHard).toBeLessThan(7000);
            await expectGone(ca, sa);
        }
        finally {
            await ev.close();
        }
    });
    test('soft then hard EXPIRE from packet limits hit by real traffic (soft 3, hard 5 packets)', async () => {
        const ev = new EventCollector(ca, ['expire']);
        try {
            const s = spec(0x62);
            const st = await installPair(ca, cb, pair, { ...s, aOut: { lifetime: { ...noLimits, softPacketLimit: 3n, hardPacketLimit: 5n } } });
            const r = ping(pair.a.ns, pair.b.v4, { count: 8, interval: 0.1, wait: 0.5 });
            // packets 1-5 go out; the check before the 6th finds the hard limit reached
            expect(r.transmitted).toBe(8);
            expect(r.received, r.output).toBe(5);
            const soft = await ev.waitFor(is('expire', (e) => !e.hard), 3000, 'soft EXPIRE');
            const hard = await ev.waitFor(is('expire', (e) => e.hard), 3000, 'hard EXPIRE');
            expect(soft.state.spi).toBe(st.aOut.spi);
            expect(hard.state.spi).toBe(st.aOut.spi);
            expect(soft.state.current.packets).toBe(3n);
            expect(hard.state.current.packets).toBe(5n);
            expect(ev.events.filter((e) => e.kind === 'expire').map((e) => e.hard)).toEqual([false, true]);
            await sleep(1200); // the hard-expired SA is removed by the next timer run
            await expectGone(ca, st.aOut);
        }
        finally {
            await ev.close();
        }
    });
});
describe.sequential('ACQUIRE', () => {
    test('traffic hitting an OUT policy with a template and no SA raises ACQUIRE; answering it with acquireSeq makes traffic flow', async () => {
        const s = spec(0x63);
        const st = pairStates(pair, s);
        const pols = pairPolicies(pair, s);
        const ev = new EventCollector(ca, ['acquire']);
        try {
            await ca.addPolicy(pols.a[0]); // A's OUT policy only
            const first = ping(pair.a.ns, pair.b.v4, { count: 1, wait: 0.5 });
            expect(first.received).toBe(0);
            const acq = await ev.waitFor(is('acquire'), 5000, 'ACQUIRE');
            expect(acq.acquire.seq).toBeGreaterThan(0);
            expect(acq.acquire.id).toEqual({ daddr: pair.b.v4, spi: 0, proto: IPPROTO_ESP });
            expect(acq.acquire.saddr).toBe(pair.a.v4);
            expect(acq.acquire.policy.dir).toBe(XFRM_POLICY_OUT);
            expect(acq.acquire.policy.sel).toEqual(hostSelector(pair.a.v4, pair.b.v4));
            // the flow that triggered it (ping's first packet; its protocol depends on ping)
            expect({ saddr: acq.acquire.sel.saddr, daddr: acq.acquire.sel.daddr }).toEqual({ saddr: pair.a.v4, daddr: pair.b.v4 });
            expect(acq.templates).toHaveLength(1);
            expect(acq.templates[0]).toMatchObject({
                id: { daddr: pair.b.v4, spi: 0, proto: IPPROTO_ESP },
                saddr: pair.a.v4,
                reqid: 0x63,
                mode: XFRM_MODE_TUNNEL,
                optional: 0,
            });
            // the kernel holds a larval SA carrying the acquire sequence
            const larval = [];
            for await (const x of ca.listStates())
                larval.push(x);
            expect(larval.map((x) => ({ spi: x.spi, acquireSeq: x.acquireSeq, reqid: x.reqid }))).toEqual([{ spi: 0, acquireSeq: acq.acquire.seq, reqid: 0x63 }]);
            // answer it like an IKE daemon: the outbound SA names the acquire seq and replaces the larval SA
            await ca.addState({ ...st.aOut, acquireSeq: acq.acquire.seq });
            await ca.addState(st.aIn);
            await ca.addPolicy(pols.a[1]);
            await cb.addState(st.bOut);
            await cb.addState(st.bIn);
            for (const p of pols.b)
                await cb.addPolicy(p);
            const states = [];
            for await (const x of ca.listStates())
                states.push(x.spi);
            expect(states.sort()).toEqual([st.aOut.spi, st.aIn.spi].sort());
            const r = ping(pair.a.ns, pair.b.v4, { count: 3 });
            expect(r.received, r.output).toBe(3);
        }
        finally {
            await ev.close();
        }
    });
});
describe.sequential('aevents (XFRMNLGRP_AEVENTS)', () => {
    test('setReplayState emits NEWAE with XFRM_AE_CU carrying the new replay state', async () => {
        const st = await installPair(ca, cb, pair, spec(0x64));
        const ev = new EventCollector(cb, ['aevents']);
        try {
            const replay = { oseq: 0, seq: 50, bitmap: 0x7 };
            await cb.setReplayState(idOf(st.bIn), { replay });
            const ae = await ev.waitFor(is('aevent', (e) => (e.id.flags & XFRM_AE_CU) !== 0), 3000, 'NEWAE XFRM_AE_CU');
            expect(ae.id.flags).toBe(XFRM_AE_CU);
            expect(ae.id.saId).toMatchObject({ daddr: pair.b.v4, spi: st.bIn.spi, proto: IPPROTO_ESP });
            expect(ae.ae.replay).toEqual(replay);
            expect((await cb.getReplayState(idOf(st.bIn))).replay).toEqual(replay);
        }
        finally {
            await ev.close();
        }
    });
    test('replay threshold 3 + traffic emits NEWAE with XFRM_AE_CR; thresholds read back (ETIMER in 100 ms units)', async () => {
        const st = await installPair(ca, cb, pair, spec(0x65, { common: { replayWindow: 32, replayThresh: 3, etimerThresh: 1000 } }));
        const ev = new EventCollector(cb, ['aevents']);
        try {
            const r = ping(pair.a.ns, pair.b.v4, { count: 8, interval: 0.05 });
            expect(r.received, r.output).toBe(8);
            const cr = await ev.waitFor(is('aevent', (e) => e.id.flags === XFRM_AE_CR && e.id.saId.spi === st.bIn.spi), 3000, 'NEWAE XFRM_AE_CR for the inbound SA');
            expect(cr.ae.replay.seq).toBeGreaterThanOrEqual(3);
            // B's outbound SA (the echo replies) reports its oseq the same way
            const crOut = await ev.waitFor(is('aevent', (e) => e.id.flags === XFRM_AE_CR && e.id.saId.spi === st.bOut.spi), 3000, 'NEWAE XFRM_AE_CR for the outbound SA');
            expect(crOut.ae.replay.oseq).toBeGreaterThanOrEqual(3);
            await sleep(200);
            // Later updates come as XFRM_AE_CR (difference ≥ threshold) or, once the SA's timer has
            // armed XFRM_TIME_DEFER, as XFRM_AE_CE (xfrm_replay_notify): both carry the replay state.
            const seen = ev
                .ofKind('aevent')
                .map((e) => ({ flags: e.id.flags, spi: e.id.saId.spi, seq: e.ae.replay?.seq, oseq: e.ae.replay?.oseq }));
            expect(seen.every((e) => e.flags === XFRM_AE_CR || e.flags === XFRM_AE_CE), JSON.stringify(seen)).toBe(true);
            // with 8 packets and a threshold of 3, each SA reports at least twice (at 3 and 6)
            expect(seen.filter((e) => e.spi === st.bIn.spi).length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
            expect(seen.filter((e) => e.spi === st.bOut.spi).length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
            const th = await cb.getReplayState(idOf(st.bIn), { thresholds: true });
            expect(th.replayThresh).toBe(3);
            expect(th.etimerThresh).toBe(100); // written 1000 jiffies, HZ=100 → 10 s → 100 × 100 ms
        }
        finally {
            await ev.close();
        }
    });
});
describe.sequential('MAPPING (NAT-T peer port change)', () => {
    for (const family of ['v4', 'v6']) {
        test(`${family === 'v4' ? 'IPv4' : 'IPv6'}: ESP-in-UDP arriving from a new source port raises MAPPING on the receiver`, async () => {
            const sockets = [await udpEncapSocket(pair.a.ns, 4500, { family }), await udpEncapSocket(pair.b.ns, 4500, { family })];
            const ev = new EventCollector(cb, ['mapping']);
            try {
                const zero = family === 'v4' ? '0.0.0.0' : '::';
                const e = { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: zero };
                const s = spec(family === 'v4' ? 0x66 : 0x67, { family, encap: { ab: e, ba: e } });
                const st = await installPair(ca, cb, pair, s);
                const r0 = ping(pair.a.ns, addr(pair.b, family), { count: 2 });
                expect(r0.received, r0.output).toBe(2);
                await sleep(100);
                expect(ev.ofKind('mapping')).toEqual([]); // same ports: no MAPPING
                // A's NAT "rebinds": its outbound SA now sends from UDP port 4501 (UPDSA copies encap on a VALID SA)
                await ca.updateState({ ...st.aOut, encap: { ...e, encapSport: 4501 } });
                expect((await ca.getState(idOf(st.aOut))).encap.encapSport).toBe(4501);
                const r1 = ping(pair.a.ns, addr(pair.b, family), { count: 2 });
                expect(r1.received, r1.output).toBe(2); // the kernel still accepts the packets
                const m = await ev.waitFor(is('mapping'), 3000, 'MAPPING');
                expect(m.mapping.id).toMatchObject({ daddr: addr(pair.b, family), spi: st.bIn.spi, proto: IPPROTO_ESP });
                expect(m.mapping.reqid).toBe(s.reqid);
                expect(m.mapping.oldSaddr).toBe(addr(pair.a, family));
                expect(m.mapping.oldSport).toBe(4500);
                expect(m.mapping.newSport).toBe(4501);
                if (family === 'v6')
                    expect(m.mapping.newSaddr).toBe(pair.a.v6);
                // (IPv4 newSaddr: see the failing test below)
                // the kernel leaves the SA alone; updating it is the daemon's job
                expect((await cb.getState(idOf(st.bIn))).encap.encapSport).toBe(4500);
            }
            finally {
                await ev.close();
                for (const s of sockets)
                    await s.close();
            }
        });
    }
});
describe.sequential('SA and policy notifications', () => {
    test('newsa, updsa, delsa, flushsa, newpolicy, updpolicy, delpolicy, flushpolicy, default-policy, in order and with their content', async () => {
        const s = spec(0x68);
        const st = pairStates(pair, s);
        const pols = pairPolicies(pair, s);
        const ev = new EventCollector(ca, ['sa', 'policy']);
        try {
            await ca.addState(st.aOut);
            await ca.updateState({ ...st.aOut, lifetime: { ...noLimits, softAddExpiresSeconds: 500n, hardAddExpiresSeconds: 600n } });
            await ca.deleteState(idOf(st.aOut));
            await ca.addState(st.aIn);
            await ca.flushStates();
            await ca.addPolicy(pols.a[0]);
            await ca.updatePolicy({ ...pols.a[0], priority: 7 });
            await ca.deletePolicy({ selector: pols.a[0].selector, dir: XFRM_POLICY_OUT });
            await ca.addPolicy(pols.a[1]);
            await ca.flushPolicies();
            await ca.setDefaultPolicy({ in: XFRM_USERPOLICY_ACCEPT, fwd: XFRM_USERPOLICY_ACCEPT, out: XFRM_USERPOLICY_ACCEPT });
            await ev.waitFor(is('default-policy'), 3000, 'default-policy');
            const kinds = ev.events.map((e) => e.kind);
            expect(kinds).toEqual(['newsa', 'updsa', 'delsa', 'newsa', 'flushsa', 'newpolicy', 'updpolicy', 'delpolicy', 'newpolicy', 'flushpolicy', 'default-policy']);
            const [newsa, updsa, delsa, , flushsa, newpol, updpol, delpol] = ev.events;
            expect(newsa.state).toMatchObject({ spi: st.aOut.spi, daddr: pair.b.v4, reqid: 0x68, aead: { name: 'rfc4106(gcm(aes))' } });
            expect(updsa.state.lifetime.hardAddExpiresSeconds).toBe(600n);
            expect(delsa.id).toMatchObject({ daddr: pair.b.v4, spi: st.aOut.spi, proto: IPPROTO_ESP });
            expect(delsa.state).toMatchObject({ spi: st.aOut.spi, saddr: pair.a.v4 });
            expect(flushsa.proto).toBe(IPSEC_PROTO_ANY);
            expect(newpol.policy).toMatchObject({ dir: XFRM_POLICY_OUT, selector: hostSelector(pair.a.v4, pair.b.v4) });
            expect(newpol.policy.templates[0]).toMatchObject({ reqid: 0x68, mode: XFRM_MODE_TUNNEL });
            expect(updpol.policy.priority).toBe(7);
            expect(delpol.policy).toMatchObject({ dir: XFRM_POLICY_OUT, priority: 7 });
            expect(ev.events[8].policy.dir).toBe(XFRM_POLICY_IN);
            expect(ev.events[10].defaults).toEqual({ in: XFRM_USERPOLICY_ACCEPT, fwd: XFRM_USERPOLICY_ACCEPT, out: XFRM_USERPOLICY_ACCEPT });
        }
        finally {
            await ev.close();
        }
    });
});
describe('regressions: library bugs found against the real kernel, now fixed', () => {
    test('IPv4 MAPPING: new_saddr is reported as the IPv4 address (6.1 leaves stack bytes in new_saddr[4..15])', async () => {
        const sockets = [await udpEncapSocket(pair.a.ns, 4500), await udpEncapSocket(pair.b.ns, 4500)];
        const ev = new EventCollector(cb, ['mapping']);
        try {
            const e = { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: '0.0.0.0' };
            await installPair(ca, cb, pair, spec(0x69, { encap: { ab: { ...e }, ba: e, abAtA: { ...e, encapSport: 4501 } } }));
            const r = ping(pair.a.ns, pair.b.v4, { count: 1 });
            expect(r.received, r.output).toBe(1);
            const m = await ev.waitFor(is('mapping'), 3000, 'MAPPING');
            expect(m.mapping.newSport).toBe(4501);
            // esp4 builds new_saddr in an uninitialised xfrm_address_t and sets only .a4; the library's
            // byte-preserving address codec then shows the garbage tail as an IPv6 address, e.g.
            // 'c000:201::6fe9:4460:0:0' (client/events.ts passes the raw struct through).
            expect(m.mapping.newSaddr).toBe(pair.a.v4);
        }
        finally {
            await ev.close();
            for (const s of sockets)
                await s.close();
        }
    });
});
