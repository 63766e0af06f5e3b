/**
 * HA snapshot/restore against the shipped fake kernel (FakeXfrmKernel): untrusted snapshot
 * entries, one result per entry, `existing: 'replace'` that never loses the live SA
 * silently, larval SAs, and the number of NEWAE requests a restore sends.
 */
import { describe, expect, test } from 'vitest';
import { XfrmClient, XfrmUnsupportedError } from '../../src/client/client.js';
import { XfrmReplayKindError } from '../../src/client/ae.js';
import { type NetlinkKernelError } from '../../src/netlink/errors.js';
import {
  prepareRestoredState,
  restore,
  restoreInPlace,
  snapshot,
  XfrmSnapshotEntryError,
  type RestoreFailure,
  type RestoreResult,
  type XfrmSnapshot,
} from '../../src/client/ha.js';
import { completeState, stateToAttrs, stateToUsersaInfo, type XfrmStateInput } from '../../src/client/state.js';
import { AF_INET, IPPROTO_ESP, XFRM_SA_DIR_OUT, XFRM_STATE_ESN, xfrmMessageToJson } from '../../src/xfrm/index.js';
import { esnSetReplayBit } from '../../src/xfrm/replay.js';
import { FakeXfrmKernel } from '../../src/testing/index.js';
import { aead as AEAD, fakeSad } from './fake.js';

const aead = (fill: number) => ({ name: 'rfc4106(gcm(aes))', key: new Uint8Array(20).fill(fill), icvLen: 128 });
const esn = (over: Record<string, unknown> = {}) => ({ bmpLen: 4, oseq: 10, seq: 5, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [1, 0, 0, 0], ...over });
const sa = (spi: number, over: Partial<XfrmStateInput> = {}): XfrmStateInput => ({
  saddr: '192.0.2.1',
  daddr: '192.0.2.2',
  spi,
  proto: IPPROTO_ESP,
  aead: aead(1),
  replayWindow: 32,
  replay: { oseq: 10, seq: 5, bitmap: 1 },
  ...over,
});

/** A snapshot entry as snapshot() writes it (keys shown), for an SA given here. */
function entry(s: XfrmStateInput, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const st = completeState(s);
  return { sa: xfrmMessageToJson({ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(st), attrs: stateToAttrs(st, true) }, { showKeys: true }), ...extra };
}
/**
 * A corrupt entry, as a damaged file would hold it: a valid ESN SA whose saved
 * `XFRMA_REPLAY_ESN_VAL` fields are then overwritten (the client refuses to build such an SA).
 */
function corruptEsnEntry(spi: number, replayEsn: Record<string, unknown>): Record<string, unknown> {
  const e = entry(sa(spi, { replayWindow: 0, replay: undefined, replayEsn: esn() }));
  const attrs = (e.sa as { attrs: { type: string; value: Record<string, unknown> }[] }).attrs;
  const a = attrs.find((x) => x.type === 'XFRMA_REPLAY_ESN_VAL')!;
  a.value = { ...a.value, ...replayEsn };
  return e;
}
const snap = (states: unknown[]): XfrmSnapshot => ({ version: 1, takenAt: '2026-01-01T00:00:00Z', states: states as XfrmSnapshot['states'] });

function setup() {
  const f = new FakeXfrmKernel();
  const client = XfrmClient.open({ transport: f.kernel.socket() });
  const count = (type: string) => f.seen.filter((m) => m.type === type).length;
  return { f, client, count };
}
const failure = (r: RestoreResult | undefined): RestoreFailure => {
  expect(r?.status).toBe('failed');
  return r as RestoreFailure;
};

describe('snapshot entries are checked against the kernel limits before any work (issue 10 item 2)', () => {
  test('bmpLen 129, a window larger than the bitmap, a legacy window of 64, ESN without ESN state: each fails in its own result naming the SA and field; nothing is sent for them', async () => {
    const { client, count } = setup();
    const withEsnFlag = entry(sa(0x2004, { flags: XFRM_STATE_ESN, replay: { oseq: 1, seq: 0, bitmap: 0 } }));
    const results = await restore(
      client,
      snap([
        corruptEsnEntry(0x2001, { bmpLen: 129, replayWindow: 4128, bmp: [] }),
        corruptEsnEntry(0x2002, { replayWindow: 129 }),
        entry(sa(0x2003, { replayWindow: 64 })),
        withEsnFlag,
        entry(sa(0x2005)),
      ]),
      { outboundSeqMargin: 100, inboundWindow: 'closed' },
    );
    expect(count('XFRM_MSG_NEWSA')).toBe(1); // only the good entry reached the kernel
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'restored']);
    const fields = results.slice(0, 4).map((r) => {
      const e = failure(r).error;
      expect(e).toBeInstanceOf(XfrmSnapshotEntryError);
      return (e as XfrmSnapshotEntryError).field;
    });
    expect(fields).toEqual(['xfrm_replay_state_esn.bmp_len', 'xfrm_replay_state_esn.replay_window', 'xfrm_usersa_info.replay_window', 'XFRMA_REPLAY_ESN_VAL']);
    expect(failure(results[0]).error.message).toBe('snapshot entry 0 (esp spi 0x00002001 dst 192.0.2.2): xfrm_replay_state_esn.bmp_len: 129 words: the kernel accepts at most 128');
    expect(failure(results[1]).id).toMatchObject({ spi: 0x2002, daddr: '192.0.2.2', proto: IPPROTO_ESP });
    expect(count('XFRM_MSG_NEWSA')).toBe(1);
    client.close();
  });

  test('bmpLen 0xffffffff and replayWindow 0x7fffffff with inboundWindow closed fail at once (no 4-billion-word bitmap, no 30 s loop)', async () => {
    const { client, count } = setup();
    const t0 = performance.now();
    const results = await restore(
      client,
      snap([
        corruptEsnEntry(0x2101, { bmpLen: 0xffffffff, replayWindow: 0x7fffffff, bmp: [] }),
        corruptEsnEntry(0x2102, { replayWindow: 0x7fffffff }),
        entry(sa(0x2103)),
      ]),
      { outboundSeqMargin: 100, inboundWindow: 'closed' },
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'restored']);
    expect((failure(results[0]).error as XfrmSnapshotEntryError).field).toBe('xfrm_replay_state_esn.bmp_len');
    expect((failure(results[1]).error as XfrmSnapshotEntryError).field).toBe('xfrm_replay_state_esn.replay_window');
    expect(count('XFRM_MSG_NEWSA')).toBe(1);
    client.close();
  });
});

describe('every snapshot entry gets its own result (issue 10 item 4)', () => {
  test('a legacy oseq that overflows with the margin, an unparsable entry and a null entry fail alone; the SAs before and after them are restored and reported', async () => {
    const { f, client } = setup();
    const results = await restore(
      client,
      snap([
        entry(sa(0x3001)),
        entry(sa(0x3002, { replay: { oseq: 0xfffffff0, seq: 0, bitmap: 0 } })),
        entry(sa(0x3003)),
        { sa: { type: 'XFRM_MSG_NEWSA', body: 'not a header', attrs: [] } },
        null,
        entry(sa(0x3006)),
      ]),
      { outboundSeqMargin: 0x100 },
    );
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'restored'],
      [1, 'failed'],
      [2, 'restored'],
      [3, 'failed'],
      [4, 'failed'],
      [5, 'restored'],
    ]);
    const overflow = failure(results[1]);
    expect(overflow.id).toMatchObject({ spi: 0x3002, daddr: '192.0.2.2' });
    expect(overflow.error).toBeInstanceOf(XfrmSnapshotEntryError);
    expect(overflow.error.message).toBe('snapshot entry 1 (esp spi 0x00003002 dst 192.0.2.2): oseq: oseq 4294967280 + margin 256 passes 4294967295');
    expect(failure(results[3]).id).toBeUndefined();
    expect(failure(results[3]).error).toBeInstanceOf(XfrmSnapshotEntryError);
    expect((failure(results[4]).error as XfrmSnapshotEntryError).index).toBe(4);
    expect([...f.sad.values()].map((s) => s.body.id.spi).sort()).toEqual([0x3001, 0x3003, 0x3006]);
    client.close();
  });
});

describe("existing: 'replace' never loses the live SA silently (issue 10 item 5)", () => {
  const liveKey = (f: FakeXfrmKernel, spi: number) => {
    const s = [...f.sad.values()].find((x) => x.body.id.spi === spi);
    const a = s?.attrs.find((x) => x.type === 'XFRMA_ALG_AEAD');
    return a && a.type === 'XFRMA_ALG_AEAD' ? a.value.algKey[0] : undefined;
  };
  const liveOseq = (f: FakeXfrmKernel, spi: number) => {
    const s = [...f.sad.values()].find((x) => x.body.id.spi === spi);
    const a = s?.attrs.find((x) => x.type === 'XFRMA_REPLAY_VAL');
    return a && a.type === 'XFRMA_REPLAY_VAL' ? a.value.oseq : undefined;
  };

  test('on a kernel that ignores XFRMA_SA_DIR the re-add is rolled back: the live SA is put back (oseq raised by the margin) and the result says so', async () => {
    const { f, client } = setup();
    await client.addState(sa(0x4001, { aead: aead(7), replay: { oseq: 500, seq: 0, bitmap: 0 } }));
    f.ignored.add('XFRMA_SA_DIR');
    const [r] = await restore(client, snap([entry(sa(0x4001, { aead: aead(9), dir: XFRM_SA_DIR_OUT, replayWindow: 0, replay: { oseq: 10, seq: 0, bitmap: 0 } }))]), {
      outboundSeqMargin: 1000,
      existing: 'replace',
    });
    expect(liveKey(f, 0x4001)).toBe(7);
    expect(liveOseq(f, 0x4001)).toBe(1500);
    const fail = failure(r);
    expect(fail.error).toBeInstanceOf(XfrmUnsupportedError);
    expect(fail.previous).toEqual({ reinstalled: true });
    client.close();
  });

  test('a re-add the kernel refuses: the live SA is put back; when that fails too, the result says the SA is gone', async () => {
    const { f, client } = setup();
    await client.addState(sa(0x4002, { aead: aead(7) }));
    f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 22, message: 'Invalid argument', after: 1 });
    const [r1] = await restore(client, snap([entry(sa(0x4002, { aead: aead(9) }))]), { outboundSeqMargin: 1, existing: 'replace' });
    expect(liveKey(f, 0x4002)).toBe(7);
    expect(failure(r1).error.message).toMatch(/EINVAL/);
    expect(failure(r1).previous).toEqual({ reinstalled: true });

    f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 22, after: 1 }, { type: 'XFRM_MSG_NEWSA', errno: 12 });
    const [r2] = await restore(client, snap([entry(sa(0x4002, { aead: aead(9) }))]), { outboundSeqMargin: 1, existing: 'replace' });
    const prev = failure(r2).previous;
    expect(prev?.reinstalled).toBe(false);
    expect(prev && !prev.reinstalled ? prev.error.message : '').toMatch(/ENOMEM/);
    expect(liveKey(f, 0x4002)).toBeUndefined();
    client.close();
  });

  test('once the kernel was seen to drop a field, later replaces asking for it are refused before anything is deleted', async () => {
    const { f, client, count } = setup();
    await client.addState(sa(0x4003));
    await client.addState(sa(0x4004));
    f.ignored.add('XFRMA_SA_DIR');
    const withDir = (spi: number) => entry(sa(spi, { aead: aead(9), dir: XFRM_SA_DIR_OUT, replayWindow: 0, replay: { oseq: 10, seq: 0, bitmap: 0 } }));
    const results = await restore(client, snap([withDir(0x4003), withDir(0x4004)]), { outboundSeqMargin: 1, existing: 'replace' });
    expect(liveKey(f, 0x4004)).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(failure(results[1]).previous).toBeUndefined();
    expect(failure(results[1]).error.message).toMatch(/not attempted: the live SA was left in place/);
    // the first replace deleted its SA twice (old, then the rolled-back new one); the second none
    expect(count('XFRM_MSG_DELSA')).toBe(2);
    expect(liveKey(f, 0x4003)).toBe(1);
    expect(liveKey(f, 0x4004)).toBe(1);
    client.close();
  });

  test('when the live SA could not be put back (its oseq + margin overflows), nothing is deleted', async () => {
    const { f, client, count } = setup();
    await client.addState(sa(0x4005, { aead: aead(7), replay: { oseq: 0xfffffff0, seq: 0, bitmap: 0 } }));
    const [r] = await restore(client, snap([entry(sa(0x4005, { aead: aead(9) }))]), { outboundSeqMargin: 0x100, existing: 'replace' });
    expect(count('XFRM_MSG_DELSA')).toBe(0);
    expect(liveKey(f, 0x4005)).toBe(7);
    expect(failure(r).error.message).toMatch(/^not replaced \(the live SA was left in place\): .*oseq 4294967280 \+ margin 256 passes 4294967295/);
    client.close();
  });

  test('a larval SA (SPI reserved by ALLOCSPI) in the way is filled with UPDSA, nothing deleted', async () => {
    const { f, client, count } = setup();
    const larval = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP });
    const [r] = await restore(client, snap([entry(sa(larval.spi, { aead: aead(3) }))]), { outboundSeqMargin: 1, existing: 'replace' });
    expect(count('XFRM_MSG_DELSA')).toBe(0);
    expect(r?.status).toBe('restored');
    expect(count('XFRM_MSG_UPDSA')).toBe(1);
    expect(liveKey(f, larval.spi)).toBe(3);
    client.close();
  });
});

describe('larval SAs (issue 10 item 9)', () => {
  test('snapshot skips the ACQUIRE placeholder and ALLOCSPI reservations and lists them; restore of an older snapshot holding them skips them without failing', async () => {
    const { f, client } = setup();
    await client.addState(sa(0x5001));
    const reserved = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, reqid: 3 });
    // the acquire placeholder as the kernel dumps it: SPI 0, the acquire seq, no algorithms
    const acq = completeState({ saddr: '192.0.2.1', daddr: '192.0.2.9', spi: 0, proto: IPPROTO_ESP, acquireSeq: 77 });
    f.sad.set('192.0.2.9/0/50', { body: stateToUsersaInfo(acq), attrs: [] });
    const s = await snapshot(client);
    expect(s.states).toHaveLength(1);
    expect(s.skipped).toEqual([
      { id: { daddr: '192.0.2.2', spi: reserved.spi, proto: IPPROTO_ESP, family: 2 }, reason: 'larval', detail: 'larval SA: SPI reserved by ALLOCSPI (no keys yet)' },
      { id: { daddr: '192.0.2.9', spi: 0, proto: IPPROTO_ESP, family: 2 }, reason: 'larval', detail: 'larval SA: acquire placeholder (spi 0, acquire seq 77, no keys yet)' },
    ]);

    // an older snapshot that exported them
    const old = snap([entry(acq), ...s.states, entry({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: reserved.spi, proto: IPPROTO_ESP })]);
    await client.flushStates();
    f.sad.clear();
    const results = await restore(client, old, { outboundSeqMargin: 10 });
    expect(results.map((r) => [r.status, r.ok])).toEqual([
      ['skipped', true],
      ['restored', true],
      ['skipped', true],
    ]);
    expect([...f.sad.values()].map((x) => x.body.id.spi)).toEqual([0x5001]);
    client.close();
  });
});

describe('the kernel HZ is measured at most once per restore (issue 10 item 10)', () => {
  async function fiveWithTimers() {
    const t = setup();
    t.f.hz = 300;
    // 600 jiffies at HZ 300 = 2 s = 20 × 100 ms
    for (let i = 0; i < 5; i++) await t.client.addState(sa(0x6001 + i, { etimerThresh: 600, replayThresh: 3 + i }));
    const s = await snapshot(t.client);
    expect(s.states.map((e) => [e.etimerThresh, e.replayThresh])).toEqual([0, 1, 2, 3, 4].map((i) => [20, 3 + i]));
    return { ...t, s };
  }
  const thresholds = async (client: XfrmClient) => {
    const out: [number | undefined, number | undefined][] = [];
    for (let i = 0; i < 5; i++) {
      const ae = await client.getReplayState({ daddr: '192.0.2.2', spi: 0x6001 + i, proto: IPPROTO_ESP }, { thresholds: true });
      out.push([ae.etimerThresh, ae.replayThresh]);
    }
    return out;
  };

  test('restore of 5 SAs with timer thresholds sends one NEWAE in all, and every SA gets its threshold back', async () => {
    const { f, client, count, s } = await fiveWithTimers();
    await client.flushStates();
    const before = count('XFRM_MSG_NEWAE');
    const results = await restore(client, s, { outboundSeqMargin: 10 });
    expect(count('XFRM_MSG_NEWAE') - before).toBe(1);
    expect(results.every((r) => r.status === 'restored')).toBe(true);
    expect(await thresholds(client)).toEqual([0, 1, 2, 3, 4].map((i) => [20, 3 + i]));
    // the thresholds went inside the NEWSAs, in jiffies
    const newsa = f.seen.filter((m) => m.type === 'XFRM_MSG_NEWSA').slice(-4);
    expect(newsa.map((m) => m.attrs.find((a) => a.type === 'XFRMA_ETIMER_THRESH')?.value)).toEqual([600, 600, 600, 600]);
    client.close();
  });

  test('restoreInPlace of 5 SAs sends one NEWAE per SA plus one', async () => {
    const { client, count, s } = await fiveWithTimers();
    const before = count('XFRM_MSG_NEWAE');
    const results = await restoreInPlace(client, s, { outboundSeqMargin: 10 });
    expect(count('XFRM_MSG_NEWAE') - before).toBe(6);
    expect(results.every((r) => r.status === 'restored')).toBe(true);
    expect(await thresholds(client)).toEqual([0, 1, 2, 3, 4].map((i) => [20, 3 + i]));
    client.close();
  });
});

describe('snapshot and restore over the fake kernel', () => {
  const aead = AEAD;
  test('snapshot → delete → restore raises oseq by the margin and keeps the inbound window', async () => {
    const { client } = fakeSad();
    let esn = { bmpLen: 4, oseq: 0xfffffff0, seq: 0x20, oseqHi: 3, seqHi: 7, replayWindow: 128, bmp: [0, 0, 0, 0] };
    esn = esnSetReplayBit(esn, 0x1f);
    await client.addState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x3000, proto: IPPROTO_ESP, aead, replayEsn: esn });
    const snap = await snapshot(client);
    const json = JSON.parse(JSON.stringify(snap));
    expect(JSON.stringify(json)).toContain('0x' + '01'.repeat(20)); // keys are in the snapshot
    await client.deleteState({ daddr: '192.0.2.2', spi: 0x3000, proto: IPPROTO_ESP });
    const res = await restore(client, json, { outboundSeqMargin: 0x100 });
    expect(res.every((r) => r.ok)).toBe(true);
    const back = await client.getState({ daddr: '192.0.2.2', spi: 0x3000, proto: IPPROTO_ESP });
    // 3:0xfffffff0 + 0x100 = 4:0x000000f0 — the carry goes into oseq_hi.
    expect([back.replayEsn!.oseqHi, back.replayEsn!.oseq]).toEqual([4, 0xf0]);
    expect(back.replayEsn!.bmp).toEqual(esn.bmp);
    expect([back.replayEsn!.seqHi, back.replayEsn!.seq]).toEqual([7, 0x20]);
    client.close();
  });

  test('prepareRestoredState: closed window, inbound SAs keep oseq 0, legacy overflow refused', () => {
    const base = {
      family: AF_INET, saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP, mode: 0, reqid: 0, flags: 0,
      replayWindow: 32, selector: {} as never, lifetime: {} as never, acquireSeq: 0,
    };
    expect(prepareRestoredState({ ...base, replay: { oseq: 10, seq: 9, bitmap: 1 } }, { outboundSeqMargin: 5, inboundWindow: 'closed' }).replay).toEqual({
      oseq: 15,
      seq: 9,
      bitmap: 0xffffffff,
    });
    expect(prepareRestoredState({ ...base, dir: 1, replay: { oseq: 0, seq: 9, bitmap: 1 } }, { outboundSeqMargin: 5 }).replay!.oseq).toBe(0);
    expect(() => prepareRestoredState({ ...base, replay: { oseq: 0xfffffff0, seq: 0, bitmap: 0 } }, { outboundSeqMargin: 0x100 })).toThrow(/passes 4294967295/);
  });
});

describe('restore goes to the kernel in batches (issue 14: encode without intermediate objects)', () => {
  const current = (i: number) => ({ bytes: BigInt(100 * i), packets: BigInt(i), addTime: 1_700_000_000n + BigInt(i), useTime: 0n });
  const many = (n: number, over: (i: number) => Partial<XfrmStateInput> = () => ({})) =>
    Array.from({ length: n }, (_, i) => entry(sa(0x10000 + i, { current: current(i), ...over(i) })));
  const sends = (client: XfrmClient) => client.socket.stats.sendCalls;

  test('300 SAs without timer thresholds: a handful of sendmsg calls (not one per SA), every SA in the SAD with its replay state and lifetime counters (XFRMA_LTIME_VAL)', async () => {
    const { f, client, count } = setup();
    const s0 = sends(client);
    const results = await restore(client, snap(many(300)), { outboundSeqMargin: 1000 });
    expect(results.map((r) => r.status)).toEqual(new Array(300).fill('restored'));
    expect(results.map((r) => r.index)).toEqual([...Array(300).keys()]);
    // 300 NEWSAs of ~230 bytes fit in one 128 KiB chunk
    expect(sends(client) - s0).toBeLessThanOrEqual(2);
    expect(count('XFRM_MSG_NEWSA')).toBe(300);
    expect(count('XFRM_MSG_GETSA') + count('XFRM_MSG_GETAE') + count('XFRM_MSG_NEWAE')).toBe(0);
    expect(f.sad.size).toBe(300);
    const back = await client.getState({ daddr: '192.0.2.2', spi: 0x10000 + 7, proto: IPPROTO_ESP });
    expect(back.replay).toEqual({ oseq: 1010, seq: 5, bitmap: 1 });
    const newsa = f.seen.filter((m) => m.type === 'XFRM_MSG_NEWSA');
    expect(newsa.every((m, i) => m.attrs.find((a) => a.type === 'XFRMA_LTIME_VAL')?.value.addTime === 1_700_000_000n + BigInt(i))).toBe(true);
    expect(newsa.map((m) => m.body.id.spi)).toEqual([...Array(300).keys()].map((i) => 0x10000 + i)); // in the snapshot's order
    client.close();
  });

  test('5000 SAs with timer thresholds: the HZ probe alone (NEWSA, GETAE, NEWAE), then the rest in two batch calls; thresholds in jiffies', async () => {
    const { f, client, count } = setup();
    f.hz = 100;
    const s0 = sends(client);
    const results = await restore(client, snap(many(5000).map((e) => ({ ...e, etimerThresh: 30 }))), { outboundSeqMargin: 1 });
    expect(results.every((r) => r.status === 'restored')).toBe(true);
    expect([count('XFRM_MSG_GETAE'), count('XFRM_MSG_NEWAE')]).toEqual([1, 1]);
    // 3 for the probe; 4999 NEWSAs of ~240 bytes are ~10 chunks of 128 KiB
    expect(sends(client) - s0).toBeLessThan(20);
    expect(new Set([...f.sad.values()].map((s) => s.etimerJiffies))).toEqual(new Set([300]));
    client.close();
  });

  test('failures in the middle of a batch get their own results: a kernel refusal, an SA that exists, a malformed entry; the others are restored; onResult sees every index in order', async () => {
    const { f, client, count } = setup();
    await client.addState(sa(0x10000 + 5, { aead: aead(7) }));
    const entries: unknown[] = many(10);
    entries[7] = { sa: { type: 'XFRM_MSG_NEWSA', body: 'not a header', attrs: [] } };
    f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 22, message: 'Invalid argument', after: 2 }); // the third NEWSA from now: entry 2
    const seenIndexes: number[] = [];
    const s0 = sends(client);
    const results = await restore(client, snap(entries), { outboundSeqMargin: 1, onResult: (r) => seenIndexes.push(r.index) });
    expect(sends(client) - s0).toBe(1); // one batch: nothing sent alone
    expect(results.map((r) => r.status)).toEqual(['restored', 'restored', 'failed', 'restored', 'restored', 'failed', 'restored', 'failed', 'restored', 'restored']);
    expect((failure(results[2]).error as NetlinkKernelError).code).toBe('EINVAL');
    expect(failure(results[2]).id).toMatchObject({ spi: 0x10002 });
    expect((failure(results[5]).error as NetlinkKernelError).code).toBe('EEXIST');
    expect(failure(results[7]).error).toBeInstanceOf(XfrmSnapshotEntryError);
    expect(seenIndexes).toEqual([...Array(10).keys()]);
    expect(count('XFRM_MSG_NEWSA')).toBe(1 + 9);
    expect(f.getSa('192.0.2.2', 0x10000 + 5, IPPROTO_ESP)!.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD')?.value).toMatchObject({ algKey: new Uint8Array(20).fill(7) });
    client.close();
  });

  test("existing: 'replace' in a batch: only the SAs refused with EEXIST are replaced, each alone, after their batch", async () => {
    const { f, client, count } = setup();
    await client.addState(sa(0x10000 + 3, { aead: aead(7) }));
    await client.addState(sa(0x10000 + 8, { aead: aead(7) }));
    const s0 = sends(client);
    const results = await restore(client, snap(many(12)), { outboundSeqMargin: 1, existing: 'replace' });
    expect(results.every((r) => r.status === 'restored')).toBe(true);
    for (const spi of [3, 8]) expect(f.getSa('192.0.2.2', 0x10000 + spi, IPPROTO_ESP)!.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD')?.value).toMatchObject({ algKey: new Uint8Array(20).fill(1) });
    // one batch, then per replaced SA: GETSA, DELSA, NEWSA
    expect(sends(client) - s0).toBe(1 + 2 * 3);
    expect([count('XFRM_MSG_GETSA'), count('XFRM_MSG_DELSA')]).toEqual([2, 2]);
    client.close();
  });

  test('SAs with a newer field: the first goes alone and is read back; once the kernel kept it, the rest go in one batch', async () => {
    const { f, client, count } = setup();
    const entries = many(50, (i) => (i % 2 ? { dir: XFRM_SA_DIR_OUT, replayWindow: 0, replay: { oseq: 10, seq: 0, bitmap: 0 } } : {}));
    const s0 = sends(client);
    const results = await restore(client, snap(entries), { outboundSeqMargin: 1 });
    expect(results.every((r) => r.status === 'restored')).toBe(true);
    expect(count('XFRM_MSG_GETSA')).toBe(1);
    // entry 0 in a batch, entry 1 alone (NEWSA + GETSA), entries 2..49 in a batch
    expect(sends(client) - s0).toBe(4);
    expect(f.seen.filter((m) => m.type === 'XFRM_MSG_NEWSA').map((m) => m.body.id.spi)).toEqual([...Array(50).keys()].map((i) => 0x10000 + i));
    client.close();
  });

  test('on a kernel that drops the newer field, every SA asking for it fails alone with XfrmUnsupportedError and is not left installed; the others go in batches', async () => {
    const { f, client, count } = setup();
    f.ignored.add('XFRMA_SA_DIR');
    const entries = many(20, (i) => (i % 5 === 4 ? { dir: XFRM_SA_DIR_OUT, replayWindow: 0, replay: { oseq: 10, seq: 0, bitmap: 0 } } : {}));
    const results = await restore(client, snap(entries), { outboundSeqMargin: 1 });
    expect(results.map((r) => r.status)).toEqual([...Array(20).keys()].map((i) => (i % 5 === 4 ? 'failed' : 'restored')));
    for (const i of [4, 9, 14, 19]) {
      expect(failure(results[i]).error).toBeInstanceOf(XfrmUnsupportedError);
      expect(f.getSa('192.0.2.2', 0x10000 + i, IPPROTO_ESP)).toBeUndefined();
    }
    expect([count('XFRM_MSG_GETSA'), count('XFRM_MSG_DELSA')]).toEqual([4, 4]);
    expect(f.sad.size).toBe(16);
    client.close();
  });

  test('a batch that fails as a whole (closed socket) fails each of its entries, in its own result', async () => {
    const { client } = setup();
    client.close();
    const results = await restore(client, snap(many(4)), { outboundSeqMargin: 1 });
    expect(results.map((r) => [r.index, r.status])).toEqual([0, 1, 2, 3].map((i) => [i, 'failed']));
    expect(failure(results[3]).error.message).toMatch(/closed/);
    expect(failure(results[3]).id).toMatchObject({ spi: 0x10003 });
  });

  test('restoreInPlace of 300 SAs: one GETAE batch for the replay kinds and one NEWAE batch; a missing SA and one of the other replay kind fail in their own results', async () => {
    const { f, client, count } = setup();
    const entries = many(300);
    expect((await client.addStates(entries.map((_, i) => sa(0x10000 + i)))).every((r) => r.ok)).toBe(true);
    await client.deleteState({ daddr: '192.0.2.2', spi: 0x10000 + 100, proto: IPPROTO_ESP });
    await client.deleteState({ daddr: '192.0.2.2', spi: 0x10000 + 200, proto: IPPROTO_ESP });
    await client.addState(sa(0x10000 + 200, { replayWindow: 0, replay: undefined, flags: XFRM_STATE_ESN, replayEsn: esn() }));
    const s0 = sends(client);
    const seenIndexes: number[] = [];
    const results = await restoreInPlace(client, snap(entries), { outboundSeqMargin: 1000, onResult: (r) => seenIndexes.push(r.index) });
    // the GETAE batch, one GETSA to tell the SA of the other kind from a larval one, the NEWAE batch
    expect(sends(client) - s0).toBe(3);
    expect(results.map((r) => r.status).filter((x) => x !== 'restored')).toEqual(['failed', 'failed']);
    expect((failure(results[100]).error as NetlinkKernelError).code).toBe('ESRCH');
    expect(failure(results[200]).error).toBeInstanceOf(XfrmReplayKindError);
    expect([count('XFRM_MSG_GETAE'), count('XFRM_MSG_NEWAE')]).toEqual([300, 298]);
    expect(seenIndexes).toEqual([...Array(300).keys()]);
    expect((await client.getReplayState({ daddr: '192.0.2.2', spi: 0x10000 + 42, proto: IPPROTO_ESP })).replay).toEqual({ oseq: 1010, seq: 5, bitmap: 1 });
    expect(f.getSa('192.0.2.2', 0x10000 + 200, IPPROTO_ESP)!.attrs.find((a) => a.type === 'XFRMA_REPLAY_ESN_VAL')?.value).toMatchObject({ oseq: 10 });
    client.close();
  });
});
