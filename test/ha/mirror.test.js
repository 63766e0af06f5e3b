/** HaMirror: ordering, staging, idempotence, monotonic counters, epochs. */
import { describe, expect, test } from 'vitest';
import { HaMirror, HaOrderError } from '../../src/ha/mirror.js';
import { HaProtocolError } from '../../src/ha/records.js';
import { esnSa, legacySa, policy, Stream, XFRM_POLICY_IN } from './fixtures.js';
const idOf = (spi) => ({ daddr: '192.0.2.2', spi, proto: 50 });
const legacyCounters = (oseq, seq, syncedAt = 5_000) => ({
    type: 'counters',
    id: idOf(1),
    replay: { oseq, seq, bitmap: 0xffffffff },
    current: { bytes: BigInt(oseq) * 100n, packets: BigInt(oseq), addTime: 1n, useTime: 2n },
    replayThresh: 50,
    etimerThresh: 10,
    syncedAt,
});
function applyAll(m, rs) {
    for (const r of rs)
        m.apply(r);
}
describe('HaMirror ordering', () => {
    test('a fresh mirror accepts only a full state (or resync) first', () => {
        const m = new HaMirror();
        const s = new Stream();
        expect(() => m.apply(s.next({ type: 'sa-add', sa: legacySa(1) }))).toThrow(HaOrderError);
        expect(m.summary()).toMatchObject({ lastSeq: 0, sas: 0, complete: false });
    });
    test('in order: full state, then changes; a gap is refused with the expected seq', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)], [policy()]));
        expect(m.summary()).toMatchObject({ lastSeq: 4, sas: 1, policies: 1, complete: true, epoch: 'e1', stateEpoch: 'e1' });
        s.seq++; // lose one record
        let err;
        try {
            m.apply(s.next({ type: 'sa-add', sa: legacySa(2) }));
        }
        catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(HaOrderError);
        expect(err).toBeInstanceOf(HaProtocolError);
        expect(err).toMatchObject({ field: 'seq', expected: 5, got: 6 });
        expect(m.sas()).toHaveLength(1);
    });
    test('a redelivered record is a harmless duplicate (idempotent)', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        const add = s.next({ type: 'sa-add', sa: legacySa(2) });
        expect(m.apply(add)).toBe('applied');
        const del = s.next({ type: 'sa-delete', id: idOf(2) });
        expect(m.apply(del)).toBe('applied');
        expect(m.apply(add)).toBe('duplicate');
        expect(m.apply(del)).toBe('duplicate');
        expect(m.sas().map((e) => e.id.spi)).toEqual([1]);
        expect(m.summary().duplicates).toBe(2);
    });
    test('sa-delete of an unknown SA is harmless', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        expect(m.apply(s.next({ type: 'sa-delete', id: idOf(99) }))).toBe('unknown-sa');
        expect(m.summary()).toMatchObject({ sas: 1, unknownSa: 1, lastSeq: 4 });
    });
    test('after a resync only a full-begin is accepted; a resync may skip forward', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        s.seq += 10;
        m.apply(s.next({ type: 'resync', reason: 'overrun' }));
        expect(m.summary().awaitingFullState).toBe(true);
        expect(() => m.apply(s.next({ type: 'sa-add', sa: legacySa(2) }))).toThrow(/after a resync/);
        s.seq--;
        applyAll(m, s.full([legacySa(3)]));
        expect(m.sas().map((e) => e.id.spi)).toEqual([3]);
        expect(m.summary().awaitingFullState).toBe(false);
    });
    test('records of a full state outside one are refused, and changes inside one', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        expect(() => m.apply(s.next({ type: 'full-sa', sa: legacySa(2) }))).toThrow(/outside a full state/);
        s.seq--;
        m.apply(s.next({ type: 'full-begin', takenAt: 1 }));
        expect(() => m.apply(s.next({ type: 'sa-add', sa: legacySa(2) }))).toThrow(/inside a full state/);
    });
});
describe('HaMirror full state staging', () => {
    test('a publisher killed in the middle of a full state leaves the previous mirror intact', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1), legacySa(2)], [policy()]));
        const before = { sas: m.sas(), policies: m.policies() };
        // The new publisher run (epoch e2) dies after two of its three SAs.
        const s2 = new Stream('e2');
        const full = s2.full([legacySa(10), legacySa(11), legacySa(12)]);
        applyAll(m, full.slice(0, 3));
        expect(m.summary()).toMatchObject({ staging: { sas: 2, policies: 0 }, sas: 2, policies: 1, epoch: 'e2', stateEpoch: 'e1' });
        expect(m.sas()).toEqual(before.sas);
        expect(m.policies()).toEqual(before.policies);
        // Its successor (e3) sends a complete one: that replaces the mirror.
        applyAll(m, new Stream('e3').full([legacySa(20)]));
        expect(m.sas().map((e) => e.id.spi)).toEqual([20]);
        expect(m.policies()).toEqual([]);
    });
    test('full-end whose counts do not match is refused and the staged state dropped', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        const full = s.full([legacySa(2), legacySa(3)]);
        full[full.length - 1].sas = 3;
        applyAll(m, full.slice(0, -1));
        expect(() => m.apply(full[full.length - 1])).toThrow(/announced 3 SAs and 0 policies, received 2 SAs and 0 policies/);
        expect(m.sas().map((e) => e.id.spi)).toEqual([1]);
        expect(m.summary()).toMatchObject({ awaitingFullState: true });
    });
    test('counts are of records: an SA a dump repeats is counted twice and held once', () => {
        const m = new HaMirror();
        const s = new Stream();
        m.apply(s.next({ type: 'full-begin', takenAt: 1 }));
        m.apply(s.next({ type: 'full-sa', sa: legacySa(1) }));
        m.apply(s.next({ type: 'full-sa', sa: legacySa(1) }));
        m.apply(s.next({ type: 'full-end', sas: 2, policies: 0 }));
        expect(m.summary()).toMatchObject({ sas: 1, complete: true });
    });
    test('a new epoch without full-begin is refused', () => {
        const m = new HaMirror();
        applyAll(m, new Stream().full([legacySa(1)]));
        const s2 = new Stream('e2');
        s2.seq = 100;
        expect(() => m.apply(s2.next({ type: 'sa-add', sa: legacySa(2) }))).toThrow(expect.objectContaining({ field: 'epoch' }));
        expect(() => m.apply(s2.next(legacyCounters(1, 1)))).toThrow(HaOrderError);
        expect(m.summary()).toMatchObject({ epoch: 'e1', lastSeq: 3 });
    });
    test('full-sa records keep thresholds and the dump time', () => {
        const m = new HaMirror();
        applyAll(m, new Stream().full([esnSa(7)], [], 64));
        expect(m.sa({ daddr: '192.0.2.2', spi: 7, proto: 50 })).toMatchObject({ replayThresh: 64, etimerThresh: 10, syncedAt: 1_000 });
    });
});
describe('HaMirror counters', () => {
    test('counters advance; an older report (aevent/dump interleaving) is ignored and counted', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        expect(m.apply(s.next(legacyCounters(2000, 1500, 6_000)))).toBe('applied');
        expect(m.sa(idOf(1))).toMatchObject({ replayThresh: 50, etimerThresh: 10, syncedAt: 6_000, sa: { replay: { oseq: 2000, seq: 1500 } } });
        expect(m.apply(s.next(legacyCounters(1999, 1600, 7_000)))).toBe('stale');
        expect(m.apply(s.next(legacyCounters(2100, 1400, 7_000)))).toBe('stale');
        expect(m.sa(idOf(1)).sa.replay).toEqual({ oseq: 2000, seq: 1500, bitmap: 0xffffffff });
        expect(m.summary()).toMatchObject({ staleCounters: 2, lastSeq: 6 });
        expect(m.apply(s.next(legacyCounters(2000, 1500, 8_000)))).toBe('applied');
        expect(m.sa(idOf(1)).syncedAt).toBe(8_000);
    });
    test('ESN counters compare as 64-bit numbers (a higher oseqHi wins over a lower oseq)', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([esnSa(1)]));
        const esn = (oseq, oseqHi) => s.next({ ...legacyCounters(0, 0), replay: undefined, replayEsn: { bmpLen: 4, oseq, seq: 50, oseqHi, seqHi: 1, replayWindow: 128, bmp: [1, 0, 0, 0] } });
        expect(m.apply(esn(5, 3))).toBe('applied');
        expect(m.apply(esn(0xfffffff0, 2))).toBe('stale');
        expect(m.sa(idOf(1)).sa.replayEsn).toMatchObject({ oseq: 5, oseqHi: 3 });
    });
    test('counters of the wrong replay kind are refused; of an unknown SA ignored', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([esnSa(1)]));
        expect(() => m.apply(s.next(legacyCounters(1, 1)))).toThrow(/ESN\/BMP replay state/);
        s.seq--;
        expect(m.apply(s.next({ ...legacyCounters(1, 1), id: idOf(42) }))).toBe('unknown-sa');
    });
    test('an sa-update carrying older counters keeps the newer synced ones', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([legacySa(1)]));
        m.apply(s.next(legacyCounters(3000, 2500)));
        m.apply(s.next({ type: 'sa-update', sa: legacySa(1, { reqid: 9 }) }));
        expect(m.sa(idOf(1))).toMatchObject({ replayThresh: 50, sa: { reqid: 9, replay: { oseq: 3000, seq: 2500 } } });
    });
});
describe('HaMirror summary', () => {
    test('lag fields: newest and oldest syncedAt over the SAs, lastAppliedAt from the clock', () => {
        let now = 50_000;
        const m = new HaMirror({ now: () => now });
        const s = new Stream();
        applyAll(m, s.full([legacySa(1), legacySa(2)]));
        now = 60_000;
        m.apply(s.next(legacyCounters(2000, 1500, 55_000)));
        expect(m.summary()).toMatchObject({ newestSyncedAt: 55_000, oldestSyncedAt: 1_000, lastAppliedAt: 60_000, sas: 2, epoch: 'e1' });
    });
});
describe('HaMirror policies', () => {
    test('add, update by identity, delete by index and by selector', () => {
        const m = new HaMirror();
        const s = new Stream();
        applyAll(m, s.full([], [policy(1, 0x101)]));
        m.apply(s.next({ type: 'policy-add', policy: policy(XFRM_POLICY_IN, 0x208, 500) }));
        m.apply(s.next({ type: 'policy-update', policy: { ...policy(1, 0x101), priority: 7 } }));
        expect(m.policies()).toHaveLength(2);
        expect(m.policies().find((p) => p.dir === 1).priority).toBe(7);
        m.apply(s.next({ type: 'policy-delete', id: { dir: 1, index: 0x101 } }));
        expect(m.policies().map((p) => p.index)).toEqual([0x208]);
        m.apply(s.next({ type: 'policy-delete', id: { dir: XFRM_POLICY_IN, selector: policy(XFRM_POLICY_IN, 0, 500).selector } }));
        expect(m.policies()).toEqual([]);
        expect(m.apply(s.next({ type: 'policy-delete', id: { dir: 1, index: 0x101 } }))).toBe('applied');
    });
});
