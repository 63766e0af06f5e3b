/**
 * The publisher against the fake XFRM kernel (test/cli/fake-xfrm.ts sends the kernel's
 * notifications, and aevents when traffic crosses an SA's replay threshold): a standby's
 * mirror fed by the stream must equal the kernel's tables.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { stateToAttrs, stateToUsersaInfo } from '../../src/client/state.js';
import { HaMirror } from '../../src/ha/mirror.js';
import { HaPublisher } from '../../src/ha/publisher.js';
import { fakeXfrm } from '../cli/fake-xfrm.js';
import { esnSa, gatedLinkPair, legacySa, linkPair, policy, settle, until, XFRM_POLICY_IN, XFRM_POLICY_OUT } from './fixtures.js';
const cleanups = [];
afterEach(async () => {
    for (const c of cleanups.splice(0).reverse())
        await c();
});
function rig() {
    const f = fakeXfrm();
    const subs = [];
    const client = XfrmClient.open({
        transport: f.kernel.socket(),
        eventTransport: () => {
            const s = f.kernel.socket();
            subs.push(s);
            return s;
        },
    });
    cleanups.push(() => client.close());
    return { f, client, subs, add: (sa) => client.addState(sa) };
}
async function start(r, o = {}) {
    const events = [];
    const pub = await HaPublisher.start(r.client, { replayThresh: 8, timerThreshMs: 500, ...o, onEvent: (e) => events.push(e) });
    cleanups.push(() => pub.close());
    return { pub, events };
}
/** A standby: reads the link, applies every record to a mirror, acks, and keeps the records. */
function standby(link, mirror = new HaMirror()) {
    const out = { mirror, records: [], errors: [] };
    void (async () => {
        try {
            for await (const m of link) {
                if (m.kind !== 'record')
                    continue;
                out.records.push(m.record);
                mirror.apply(m.record);
                await link.send({ kind: 'ack', seq: m.record.seq });
            }
        }
        catch (e) {
            out.errors.push(e);
        }
    })();
    return out;
}
function attach(pub, session = 1, mirror) {
    const { pub: pl, standby: sl } = linkPair(session);
    cleanups.push(() => sl.close());
    pub.attach(pl);
    return { ...standby(sl, mirror), link: pl };
}
describe('HaPublisher', () => {
    test('a session starts with a full state equal to the kernel (keys included); thresholds are set on valid SAs only', async () => {
        const r = rig();
        await r.add(esnSa(0x100));
        await r.add(legacySa(0x101, { daddr: '192.0.2.3' }));
        await r.client.addPolicy(policy(XFRM_POLICY_OUT));
        const larval = await r.client.allocSpi({ saddr: '192.0.2.9', daddr: '192.0.2.1', proto: 50, min: 0x200, max: 0x2ff });
        const { pub, events } = await start(r, { replayThresh: 8, timerThreshMs: 500 });
        const s = attach(pub);
        await until(() => s.mirror.complete, 'a committed full state');
        expect(s.records.slice(0, 2).map((x) => x.type)).toEqual(['resync', 'full-begin']);
        expect(s.records[0]).toMatchObject({ type: 'resync', reason: 'start', seq: 1, epoch: pub.epoch });
        const sas = s.mirror.sas();
        expect(sas.map((e) => e.id.spi).sort()).toEqual([0x100, 0x101, larval.spi].sort());
        const esn = s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 });
        expect(Buffer.from(esn.sa.aead.key).equals(Buffer.from(esnSa(0x100).aead.key))).toBe(true);
        expect(s.mirror.policies()).toHaveLength(1);
        // NEWAE with the thresholds on the two valid SAs (HZ probed once: 250 here), never on the larval one.
        await until(() => pub.stats().thresholdsSet === 2, 'thresholds on both SAs');
        const newae = r.f.seen.filter((m) => m.type === 'XFRM_MSG_NEWAE');
        expect(new Set(newae.map((m) => (m.type === 'XFRM_MSG_NEWAE' ? m.body.saId.spi : 0)))).toEqual(new Set([0x100, 0x101]));
        expect(pub.stats().hz).toBe(250);
        for (const spi of [0x100, 0x101]) {
            const sa = [...r.f.sad.values()].find((x) => x.body.id.spi === spi);
            expect(sa.replayThresh).toBe(8);
            expect(sa.etimerJiffies).toBe(125); // 500 ms at HZ 250
        }
        // The CU aevents those NEWAEs triggered reach the standby with the thresholds in force (100 ms units).
        await until(() => s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.replayThresh === 8, 'counters with thresholds');
        expect(s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 }).etimerThresh).toBe(5);
        expect(events.filter((e) => e.kind === 'threshold-error')).toEqual([]);
    });
    test('an SA added after the subscription but missing from the dump is still mirrored (subscribe before dump)', async () => {
        const r = rig();
        const other = XfrmClient.open({ transport: r.f.kernel.socket() });
        cleanups.push(() => other.close());
        // Add the SA after the SAD dump, before the SPD dump: only the subscription can see it.
        const real = r.client.listPolicies.bind(r.client);
        r.client.listPolicies = ((...a) => {
            const it = real(...a);
            return (async function* () {
                await other.addState(esnSa(0x300));
                yield* it;
            })();
        });
        const { pub } = await start(r);
        const s = attach(pub);
        await until(() => s.mirror.sa({ daddr: '192.0.2.2', spi: 0x300, proto: 50 }) !== undefined, 'the SA from the event');
        expect(r.subs).toHaveLength(1);
        expect([...r.subs[0].groups].sort()).toEqual([2, 3, 4, 5]); // expire, sa, policy, aevents
    });
    test('changes stream in order: SAs added (thresholds set), rekeyed, deleted; policies added and deleted; flushes', async () => {
        const r = rig();
        await r.add(esnSa(0x100));
        const { pub } = await start(r);
        const s = attach(pub);
        await until(() => s.mirror.complete, 'full state');
        await r.add(esnSa(0x110));
        await r.client.addPolicy(policy(XFRM_POLICY_IN));
        await until(() => s.mirror.sas().length === 2 && s.mirror.policies().length === 1, 'added SA and policy');
        await until(() => r.f.sad.get('192.0.2.2/272/50')?.replayThresh === 8, 'thresholds on the later SA');
        await r.client.deleteState({ daddr: '192.0.2.2', spi: 0x100, proto: 50 });
        await r.client.deletePolicy({ selector: policy(XFRM_POLICY_IN).selector, dir: XFRM_POLICY_IN });
        await until(() => s.mirror.sas().length === 1 && s.mirror.policies().length === 0, 'deletes');
        expect(s.mirror.sas()[0].id.spi).toBe(0x110);
        await r.client.addPolicy(policy(XFRM_POLICY_OUT));
        await r.add(legacySa(0x120));
        await until(() => s.mirror.sas().length === 2 && s.mirror.policies().length === 1, 're-added');
        await r.client.flushStates();
        await r.client.flushPolicies();
        await until(() => s.mirror.sas().length === 0 && s.mirror.policies().length === 0, 'flushes');
        expect(s.errors).toEqual([]);
        const types = s.records.map((x) => x.type);
        expect(types).toContain('sa-add');
        expect(types).toContain('sa-delete');
        expect(types).toContain('policy-add');
        expect(types).toContain('policy-delete');
        // Every record follows the previous one.
        for (let i = 1; i < s.records.length; i++)
            expect(s.records[i].seq).toBe(s.records[i - 1].seq + 1);
    });
    test('traffic: an aevent per threshold crossed; the mirror knows the counters within one threshold', async () => {
        const r = rig();
        await r.add(legacySa(0x100, { replay: { oseq: 0, seq: 0, bitmap: 0 } }));
        const { pub } = await start(r, { replayThresh: 8 });
        const s = attach(pub);
        await until(() => s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.replayThresh === 8, 'thresholds');
        for (let i = 0; i < 100; i++)
            r.f.traffic('192.0.2.2', 0x100, 50, { out: 1 });
        await until(() => (s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.sa.replay?.oseq ?? 0) > 100 - 8, 'the last aevent');
        const oseq = s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 }).sa.replay.oseq;
        expect(oseq).toBeGreaterThan(100 - 8);
        expect(oseq).toBeLessThanOrEqual(100);
    });
    test('a slow standby costs one pending counters record per SA: updates coalesce, the newest wins', async () => {
        const r = rig();
        await r.add(legacySa(0x100, { replay: { oseq: 0, seq: 0, bitmap: 0 } }));
        await r.add(legacySa(0x101, { daddr: '192.0.2.3', replay: { oseq: 0, seq: 0, bitmap: 0 } }));
        const { pub } = await start(r, { replayThresh: 1 });
        // Nothing goes out until open(): the standby is too slow.
        const { pub: pl, standby: sl, open } = gatedLinkPair();
        cleanups.push(() => sl.close());
        pub.attach(pl);
        await settle(30);
        await until(() => pub.stats().thresholdsSet === 2, 'thresholds');
        const before = pub.stats().events;
        for (let i = 0; i < 500; i++) {
            r.f.traffic('192.0.2.2', 0x100, 50, { out: 1 });
            r.f.traffic('192.0.2.3', 0x101, 50, { inn: 1 });
        }
        // All 1,000 aevents read by the publisher (it gives the event loop a turn every 256).
        await until(() => pub.stats().events >= before + 1000, 'the aevents read');
        const backlog = pub.stats().sessions[0].backlog;
        // The full state (resync, begin, 2 SAs, end) + at most one counters record per SA.
        expect(backlog).toBeLessThanOrEqual(5 + 2);
        const s = standby(sl);
        open();
        await until(() => s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.sa.replay?.oseq === 500, 'newest counters of SA 1');
        await until(() => s.mirror.sa({ daddr: '192.0.2.3', spi: 0x101, proto: 50 })?.sa.replay?.seq === 500, 'newest counters of SA 2');
        expect(s.records.filter((x) => x.type === 'counters').length).toBeLessThanOrEqual(6);
    });
    test('records pile up past the bound: the queue is dropped and the session restarts from a full state (resync backlog)', async () => {
        const r = rig();
        const { pub, events } = await start(r, { maxBacklog: 10 });
        const { pub: pl, standby: sl, open } = gatedLinkPair();
        cleanups.push(() => sl.close());
        pub.attach(pl);
        // Churn: the model stays small while the records about it pile up.
        for (let i = 0; i < 30; i++) {
            await r.client.addPolicy(policy(XFRM_POLICY_OUT, 0, 7));
            await r.client.deletePolicy({ selector: policy(XFRM_POLICY_OUT, 0, 7).selector, dir: XFRM_POLICY_OUT });
        }
        await r.client.addPolicy(policy(XFRM_POLICY_OUT, 0, 9));
        await until(() => events.some((e) => e.kind === 'resync' && e.reason === 'backlog'), 'the backlog resync');
        // Bounded: never more than the bound plus a full state.
        expect(pub.stats().sessions[0].backlog).toBeLessThanOrEqual(10 + 4);
        const s = standby(sl);
        open();
        await until(() => s.mirror.complete && s.mirror.policies().length === 1, 'the one remaining policy after the restart');
        expect(s.records.some((x) => x.type === 'resync' && x.reason === 'backlog')).toBe(true);
        expect(s.errors).toEqual([]);
    });
    test('an overrun: resync (overrun) in the stream, a new dump, a new full state; the mirror ends equal to the kernel', async () => {
        const r = rig();
        await r.add(esnSa(0x100));
        const { pub, events } = await start(r);
        const s = attach(pub);
        await until(() => s.mirror.complete, 'full state');
        // Changes the subscription "lost": made on the kernel's tables without notifications.
        r.f.sad.delete('192.0.2.2/256/50');
        const extra = esnSa(0x111);
        r.f.sad.set('192.0.2.2/273/50', { body: stateToUsersaInfo(extra), attrs: stateToAttrs(extra) });
        r.subs[0].deliver(r.f.kernel.overrun());
        await until(() => events.some((e) => e.kind === 'resync' && e.reason === 'overrun'), 'the resync');
        await until(() => s.mirror.complete && !s.mirror.awaitingFullState && s.mirror.sas().length === 1 && s.mirror.sas()[0].id.spi === 0x111, 'the new full state');
        expect(s.records.filter((x) => x.type === 'resync').map((x) => (x.type === 'resync' ? x.reason : ''))).toContain('overrun');
        expect(pub.stats().overruns).toBe(1);
        expect(s.errors).toEqual([]);
    });
    test('a new session (reconnect) continues the numbering: the same mirror takes it without an order error', async () => {
        const r = rig();
        await r.add(esnSa(0x100));
        const { pub } = await start(r);
        const mirror = new HaMirror();
        const a = attach(pub, 1, mirror);
        await until(() => mirror.complete, 'first full state');
        const last = mirror.lastSeq;
        await a.link.close();
        await settle(10);
        await r.add(esnSa(0x101));
        const b = attach(pub, 2, mirror);
        await until(() => mirror.sas().length === 2, 'second session');
        expect(b.records[0]).toMatchObject({ type: 'resync', reason: 'reconnect' });
        expect(b.records[0].seq).toBeGreaterThan(last);
        expect(b.errors).toEqual([]);
    });
    test('waiting records go to the link together, not one per turn of the event loop (regression: a storm slowed the stream to a few records a second)', async () => {
        const r = rig();
        for (let port = 1; port <= 300; port++)
            await r.client.addPolicy(policy(XFRM_POLICY_OUT, 0, port));
        const { pub } = await start(r);
        const { pub: pl, standby: sl } = linkPair();
        cleanups.push(() => sl.close());
        // Like a socket: a send completes on a later turn of the event loop.
        let sends = 0;
        const realSend = pl.send.bind(pl);
        pl.send = async (m) => {
            sends++;
            await new Promise((res) => setImmediate(res));
            return realSend(m);
        };
        pub.attach(pl);
        await new Promise((res) => setImmediate(res));
        // The whole full state (resync, begin, 300 policies, end) was handed over in one turn.
        expect(sends).toBe(303);
        const s = standby(sl);
        await until(() => s.mirror.complete && s.mirror.policies().length === 300, 'the full state');
    });
    test('an aevent without a replay state (regression: a malformed counters record dropped the session) keeps the known one', async () => {
        const r = rig();
        await r.add(legacySa(0x100));
        const { pub } = await start(r);
        const s = attach(pub);
        await until(() => s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.replayThresh === 8, 'thresholds');
        const current = { bytes: 5000n, packets: 77n, addTime: 1700000000n, useTime: 1700000001n };
        r.f.kernel.notify(5, {
            type: 'XFRM_MSG_NEWAE',
            body: { saId: { daddr: '192.0.2.2', spi: 0x100, family: 2, proto: 50 }, saddr: '192.0.2.1', flags: 64, reqid: 0 },
            attrs: [{ type: 'XFRMA_LTIME_VAL', value: current }],
        });
        await until(() => s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.sa.current?.packets === 77n, 'the new lifetime counters');
        expect(s.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 }).sa.replay).toEqual(legacySa(0x100).replay);
        expect(s.errors).toEqual([]);
    });
    test('bad options are refused; inspect shows no key', async () => {
        const r = rig();
        await expect(HaPublisher.start(r.client, { replayThresh: 0 })).rejects.toThrow(/replayThresh/);
        await expect(HaPublisher.start(r.client, { timerThreshMs: -1 })).rejects.toThrow(/timerThreshMs/);
        // 0 would make the kernel report every packet (measured on 6.1): refused.
        await expect(HaPublisher.start(r.client, { timerThreshMs: 0 })).rejects.toThrow(/timerThreshMs.*every packet/);
        await expect(HaPublisher.start(r.client, { epoch: 'bad epoch' })).rejects.toThrow(/epoch/);
        await r.add(esnSa(0x100));
        const { pub } = await start(r);
        const { inspect } = await import('node:util');
        expect(inspect(pub)).not.toMatch(/abab/);
        expect(inspect(pub)).toMatch(/sas: 1/);
    });
});
