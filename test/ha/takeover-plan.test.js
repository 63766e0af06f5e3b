/** planTakeover: margins, ESN carry, legacy overflow, thresholds and force, inbound closed window, dirs. */
import { describe, expect, test } from 'vitest';
import { completeState } from '../../src/client/state.js';
import { HaMirror } from '../../src/ha/mirror.js';
import { HaTakeoverRefusedError, planTakeover } from '../../src/ha/takeover-plan.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { IPPROTO_ESP } from '../../src/xfrm/constants.js';
import { esnSa, IN, legacySa, OUT, policy, Stream } from './fixtures.js';
/** A mirror holding these SAs with the given replay threshold (null: none known). */
function mirrorOf(sas, thresh = 100, policies = [policy()]) {
    const m = new HaMirror();
    const s = new Stream();
    const recs = [
        s.next({ type: 'full-begin', takenAt: 1 }),
        ...sas.map((sa) => s.next({ type: 'full-sa', sa, ...(thresh !== null ? { replayThresh: thresh } : {}), etimerThresh: 10 })),
        ...policies.map((p) => s.next({ type: 'full-policy', policy: p })),
        s.next({ type: 'full-end', sas: sas.length, policies: policies.length }),
    ];
    for (const r of recs)
        m.apply(r);
    return m;
}
const one = (m, margin, force = false) => planTakeover(m, { outboundSeqMargin: margin, force }).sas[0];
describe('outbound', () => {
    test('legacy: oseq = last synced + margin; inbound side untouched for dir OUT', () => {
        const p = one(mirrorOf([legacySa(1, { dir: OUT, replay: { oseq: 1000, seq: 0, bitmap: 0 } })]), 4096);
        expect(p).toMatchObject({ status: 'install', side: 'out', syncedOseq: 1000n, margin: 4096n, oseq: 5096n, forced: [] });
        expect(p.state.replay).toEqual({ oseq: 5096, seq: 0, bitmap: 0 });
        expect(p.seq).toBeUndefined();
        expect(p.explanation).toBe('out: oseq 1000 + margin 4096 = 5096');
        expect(p.state.replayThresh).toBe(100);
        expect(p.etimerThresh).toBe(10);
        expect(p.state.etimerThresh).toBeUndefined();
    });
    test('ESN: the margin carries into oseqHi', () => {
        const sa = esnSa(1, { dir: OUT, replayEsn: { bmpLen: 4, oseq: 0xfffffff0, seq: 0, oseqHi: 2, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } });
        const p = one(mirrorOf([sa], 0x20), 0x20);
        expect(p.state.replayEsn).toMatchObject({ oseq: 0x10, oseqHi: 3, seq: 0, seqHi: 0, bmp: [0, 0, 0, 0] });
        expect(p).toMatchObject({ syncedOseq: 0x2fffffff0n, oseq: 0x300000010n, esn: true });
    });
    test('legacy: passing 2^32 - 1 fails that SA (typed), the others are still planned', () => {
        const m = mirrorOf([legacySa(1, { dir: OUT, replay: { oseq: 0xffffff00, seq: 0, bitmap: 0 } }), legacySa(2, { dir: OUT })]);
        const plan = planTakeover(m, { outboundSeqMargin: 0x100 });
        expect(plan.sas[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/oseq 4294967040 \+ margin 256 passes 4294967295/) });
        expect(plan.sas[0].error).toBeInstanceOf(NetlinkError);
        expect(plan.sas[0].state).toBeUndefined();
        expect(plan.sas[1]).toMatchObject({ status: 'install', oseq: 1256n });
        expect(plan.steps.filter((s) => s.kind === 'sa')).toHaveLength(1);
    });
    test('a margin below the threshold in force is refused, listing every such SA; force installs and says so', () => {
        const m = mirrorOf([legacySa(1, { dir: OUT }), legacySa(2, { dir: OUT }), legacySa(3, { dir: IN })], 500);
        let err;
        try {
            planTakeover(m, { outboundSeqMargin: 499 });
        }
        catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(HaTakeoverRefusedError);
        expect(err).toBeInstanceOf(NetlinkError);
        expect(err.problems.map((p) => [p.id.spi, p.kind])).toEqual([
            [1, 'margin-below-threshold'],
            [2, 'margin-below-threshold'],
        ]);
        expect(err.message).toMatch(/2 SA\(s\).*spi 0x00000001 dst 192\.0\.2\.2: margin 499 is below the replay threshold 500 in force.*spi 0x00000002/);
        expect(() => planTakeover(m, { outboundSeqMargin: 500 })).not.toThrow();
        const forced = planTakeover(m, { outboundSeqMargin: 499, force: true });
        expect(forced.sas[0]).toMatchObject({ status: 'install', oseq: 1499n, forced: [{ kind: 'margin-below-threshold' }] });
        expect(forced.sas[0].explanation).toMatch(/FORCED: margin 499 is below/);
        expect(forced.sas[2].forced).toEqual([]); // inbound only: the margin does not apply
    });
    test('no threshold known (or 0) is refused unless forced', () => {
        expect(() => planTakeover(mirrorOf([legacySa(1, { dir: OUT })], null), { outboundSeqMargin: 1_000_000 })).toThrow(/no replay threshold known/);
        expect(() => planTakeover(mirrorOf([legacySa(1, { dir: OUT })], 0), { outboundSeqMargin: 1_000_000 })).toThrow(/timer only/);
        const p = one(mirrorOf([legacySa(1, { dir: IN })], null), 4096, true);
        expect(p).toMatchObject({ status: 'install', inboundAdvance: 4096n, seq: 900n + 4096n, forced: [{ kind: 'threshold-unknown' }] });
        expect(p.state.replayThresh).toBeUndefined();
    });
    test('a negative or non-integer margin is refused', () => {
        const m = mirrorOf([legacySa(1)]);
        expect(() => planTakeover(m, { outboundSeqMargin: -1 })).toThrow(HaTakeoverRefusedError);
        expect(() => planTakeover(m, { outboundSeqMargin: 1.5 })).toThrow(/not an integer/);
    });
});
describe('inbound', () => {
    test('legacy: seq = last synced + threshold, window closed, oseq untouched', () => {
        const p = one(mirrorOf([legacySa(1, { dir: IN, replay: { oseq: 0, seq: 900, bitmap: 0b1011 } })], 64), 4096);
        expect(p).toMatchObject({ side: 'in', syncedSeq: 900n, inboundAdvance: 64n, seq: 964n });
        expect(p.state.replay).toEqual({ oseq: 0, seq: 964, bitmap: 0xffffffff });
        expect(p.oseq).toBeUndefined();
        expect(p.explanation).toBe('in: seq 900 + threshold 64 = 964, window closed');
    });
    test('ESN: 64-bit seq with carry into seqHi, every bit of the window set', () => {
        const sa = esnSa(1, { dir: IN, replayEsn: { bmpLen: 4, oseq: 0, seq: 0xffffffc0, oseqHi: 0, seqHi: 7, replayWindow: 128, bmp: [1, 0, 0, 0] } });
        const p = one(mirrorOf([sa], 0x80), 1);
        expect(p.state.replayEsn).toEqual({ bmpLen: 4, oseq: 0, oseqHi: 0, seq: 0x40, seqHi: 8, replayWindow: 128, bmp: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff] });
        expect(p).toMatchObject({ syncedSeq: 0x7ffffffc0n, seq: 0x800000040n });
    });
    test('legacy: an inbound seq past 2^32 - 1 fails the SA', () => {
        const p = one(mirrorOf([legacySa(1, { dir: IN, replay: { oseq: 0, seq: 0xffffffff - 10, bitmap: 0 } })], 11), 0);
        expect(p).toMatchObject({ status: 'failed', reason: expect.stringMatching(/passes 4294967295 \(32-bit sequence numbers without ESN\)/) });
    });
});
describe('SAs with and without dir, larval SAs, limits, order', () => {
    test('an SA without dir gets both adjustments', () => {
        const p = one(mirrorOf([legacySa(1, { replay: { oseq: 1000, seq: 900, bitmap: 1 } })], 100), 200);
        expect(p).toMatchObject({ side: 'both', oseq: 1200n, seq: 1000n });
        expect(p.state.replay).toEqual({ oseq: 1200, seq: 1000, bitmap: 0xffffffff });
        expect(p.explanation).toBe('out: oseq 1000 + margin 200 = 1200; in: seq 900 + threshold 100 = 1000, window closed');
    });
    test('larval SAs are never installed (listed as skipped)', () => {
        const larval = completeState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x77, proto: IPPROTO_ESP, acquireSeq: 3 });
        const plan = planTakeover(mirrorOf([larval, legacySa(1)], 100), { outboundSeqMargin: 100 });
        expect(plan.sas[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/larval SA: SPI reserved by ALLOCSPI/) });
        expect(plan.steps.map((s) => (s.kind === 'sa' ? s.sa.id.spi : 'policy'))).toEqual(['policy', 1]);
    });
    test('an ESN state outside the kernel limits fails the SA before anything is sized by it', () => {
        const sa = esnSa(1, { dir: IN });
        const huge = { ...sa, replayEsn: { ...sa.replayEsn, bmpLen: 200, replayWindow: 6400 } };
        const p = one(mirrorOf([huge], 100), 100);
        expect(p).toMatchObject({ status: 'failed', reason: expect.stringMatching(/bmp_len: 200 words: the kernel accepts at most 128/) });
    });
    test('a legacy window over 32 fails the SA before any arithmetic', () => {
        const p = one(mirrorOf([legacySa(1)], 100), 100);
        expect(p.status).toBe('install');
        const m = mirrorOf([{ ...legacySa(2), replayWindow: 64 }], 100);
        expect(one(m, 100)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/legacy window is at most 32/) });
    });
    test('policies come first, then SAs; read-only counters are left out; the mirror is not changed', () => {
        const m = mirrorOf([legacySa(1), legacySa(2)], 100, [policy(), policy(0, 0x100)]);
        const before = JSON.stringify(m.sas(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
        const plan = planTakeover(m, { outboundSeqMargin: 100 });
        expect(plan.steps.map((s) => s.kind)).toEqual(['policy', 'policy', 'sa', 'sa']);
        expect(plan.policies.every((p) => p.current === undefined)).toBe(true);
        expect(plan.sas.every((s) => s.state.stats === undefined)).toBe(true);
        expect(plan.source).toMatchObject({ lastSeq: 6 });
        expect(JSON.stringify(m.sas(), (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(before);
    });
    test('a mirror without a complete full state cannot be taken over', () => {
        expect(() => planTakeover(new HaMirror(), { outboundSeqMargin: 100, force: true })).toThrow(/no complete full state/);
    });
});
