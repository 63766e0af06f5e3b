/**
 * SAs through XfrmClient against the shipped fake XFRM kernel (an in-memory SAD that answers
 * like the real one: EEXIST, ESRCH, GETAE replay kinds, NEWAE needing NLM_F_REPLACE): request
 * building, reply mapping, bulk results, and replay state (the kernel's AE). The real-kernel
 * behaviour is covered by the UML suite.
 */
import { describe, expect, test } from 'vitest';
import { NetlinkEncodeError, NetlinkKernelError, NLM_F_REPLACE } from '../../src/netlink/index.js';
import { mergeReplayState, XfrmLarvalStateError, XfrmReplayKindError } from '../../src/client/ae.js';
import {
  AF_INET,
  IPPROTO_ESP,
  XFRM_MODE_TUNNEL,
  XFRM_STATE_ESN,
} from '../../src/xfrm/index.js';
import { aead, fakeSad } from './fake.js';

describe('XfrmClient over the fake kernel', () => {
  test('addState sends NEWSA with the typed attributes; getState maps them back', async () => {
    const { client, seen } = fakeSad();
    await client.addState({
      saddr: '192.0.2.1',
      daddr: '192.0.2.2',
      spi: 0x1000,
      proto: IPPROTO_ESP,
      mode: XFRM_MODE_TUNNEL,
      reqid: 1,
      aead,
      replayEsn: { bmpLen: 4, oseq: 41, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] },
      mark: { v: 7, m: 0xff },
    });
    const sent = seen[0]!;
    expect(sent.type).toBe('XFRM_MSG_NEWSA');
    if (sent.type !== 'XFRM_MSG_NEWSA') throw new Error();
    expect(sent.body.flags & XFRM_STATE_ESN).toBe(XFRM_STATE_ESN); // ESN state implies the flag
    expect(sent.body.replayWindow).toBe(0); // must be 0 with XFRMA_REPLAY_ESN_VAL
    expect(sent.attrs.map((a) => a.type)).toEqual(['XFRMA_ALG_AEAD', 'XFRMA_MARK', 'XFRMA_REPLAY_ESN_VAL']);
    const back = await client.getState({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP });
    expect(back.aead).toEqual(aead);
    expect(back.replayEsn?.oseq).toBe(41);
    expect(back.mark).toEqual({ v: 7, m: 0xff });
    expect(back.family).toBe(AF_INET);
    client.close();
  });

  test('addStates: an SA with contradictory options fails in its own result, unsent; the others are added', async () => {
    const { client, sad } = fakeSad();
    const sa = (spi: number) => ({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 1, aead });
    const list = [sa(0x2001), { ...sa(0x2002), crypt: { name: 'cbc(aes)', key: new Uint8Array(16) } }, sa(0x2003)];
    const results = await client.addStates(list);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ ok: false, error: { name: 'NetlinkEncodeError', what: 'XFRMA_ALG_AEAD' } });
    expect([...sad.keys()]).toEqual(['192.0.2.2/8193/50', '192.0.2.2/8195/50']);
    client.close();
  });

  test('kernel errors surface as NetlinkKernelError with the errno name', async () => {
    const { client } = fakeSad();
    const e = await client.getState({ daddr: '192.0.2.9', spi: 1, proto: IPPROTO_ESP }).catch((x) => x);
    expect(e).toBeInstanceOf(NetlinkKernelError);
    expect(e.code).toBe('ESRCH');
    client.close();
  });
});

describe('replay state (the kernel\'s AE)', () => {
  test('setReplayState uses NEWAE + NLM_F_REPLACE and refuses the wrong replay kind', async () => {
    const { client, seen } = fakeSad();
    const id = { daddr: '192.0.2.2', spi: 0x2000, proto: IPPROTO_ESP };
    await client.addState({ ...id, saddr: '192.0.2.1', aead, replayWindow: 32, replay: { oseq: 5, seq: 0, bitmap: 0 } });
    await expect(
      client.setReplayState(id, { replayEsn: { bmpLen: 1, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [0] } }),
    ).rejects.toThrow(/legacy replay state/);
    await client.setReplayState(id, { replay: { oseq: 100, seq: 7, bitmap: 1 } });
    const newae = seen.find((m) => m.type === 'XFRM_MSG_NEWAE')!;
    expect(newae.flags & NLM_F_REPLACE).toBe(NLM_F_REPLACE);
    expect((await client.getReplayState(id)).replay).toEqual({ oseq: 100, seq: 7, bitmap: 1 });
    client.close();
  });
});

describe('addresses shown in the SA family', () => {
  test('an IPv6 NAT-OA reads back in IPv6 notation; an IPv4 MAPPING address drops kernel junk', async () => {
    const { addressInFamily } = await import('../../src/xfrm/structs/address.js');
    expect(addressInFamily('32.1.13.184', 10)).toBe('2001:db8::');
    expect(addressInFamily('0.0.0.0', 10)).toBe('::');
    expect(addressInFamily('c000:201::6fe9:4460:0:0', 2)).toBe('192.0.2.1');
    expect(addressInFamily('192.0.2.1', 0)).toBe('192.0.2.1');
  });
});

describe('completeState / completePolicy', () => {
  test('keep every field that is given (a new XfrmState field must be listed to survive)', async () => {
    const { completeState, anySelector, unlimitedLifetime } = await import('../../src/client/state.js');
    const { completePolicy, template } = await import('../../src/client/policy.js');
    const full = {
      family: AF_INET, saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP, mode: 1, reqid: 2, flags: 0,
      replayWindow: 0, selector: anySelector(AF_INET), lifetime: unlimitedLifetime(), acquireSeq: 3,
      current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n }, stats: { replayWindow: 0, replay: 0, integrityFailed: 0 },
      auth: { name: 'hmac(sha256)', key: new Uint8Array(32), truncLen: 128 }, crypt: { name: 'cbc(aes)', key: new Uint8Array(16) },
      aead: aead, comp: 'deflate', encap: { encapType: 2, encapSport: 4500, encapDport: 4500, encapOa: '0.0.0.0' },
      replay: { oseq: 1, seq: 2, bitmap: 3 }, replayEsn: { bmpLen: 1, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [0] },
      mark: { v: 1, m: 2 }, outputMark: { value: 3, mask: 4 }, ifId: 5, dir: 2, pcpu: 0, tfcpad: 6, extraFlags: 1,
      offload: { ifindex: 1, flags: 0 }, secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'x' }, coaddr: '192.0.2.9',
      lastUsed: 7n, mtimerThresh: 8, natKeepaliveInterval: 9, replayThresh: 10, etimerThresh: 11, iptfs: { dontFrag: true },
      extraAttrs: [{ type: 99, value: new Uint8Array(1) }],
    };
    expect(completeState(full as never)).toEqual(full);
    const pol = {
      selector: anySelector(AF_INET), dir: 1, action: 1, priority: 5, index: 9, flags: 1, share: 0, lifetime: unlimitedLifetime(),
      current: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n }, templates: [template({ proto: IPPROTO_ESP })], type: 1,
      mark: { v: 1, m: 1 }, ifId: 2, secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'y' }, offload: { ifindex: 1, flags: 4 },
      extraAttrs: [{ type: 98, value: new Uint8Array(2) }],
    };
    expect(completePolicy(pol as never)).toEqual(pol);
  });
});

describe('updateReplayState: one read-merge-write (GETAE → merge into the SA kind → NEWAE)', () => {
  const legacyId = { daddr: '192.0.2.2', spi: 0x4001, proto: IPPROTO_ESP };
  const esnId = { daddr: '192.0.2.2', spi: 0x4002, proto: IPPROTO_ESP };
  async function twoSas() {
    const t = fakeSad();
    await t.client.addState({ ...legacyId, saddr: '192.0.2.1', aead, replayWindow: 32, replay: { oseq: 5, seq: 9, bitmap: 1 } });
    await t.client.addState({ ...esnId, saddr: '192.0.2.1', aead, replayEsn: { bmpLen: 4, oseq: 1, seq: 2, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [9, 9, 9, 9] } });
    const types = () => t.seen.map((m) => m.type);
    return { ...t, types };
  }

  test('legacy SA: the words given replace the SA values, the rest are kept; one GETAE then one NEWAE', async () => {
    const { client, seen, types } = await twoSas();
    const before = seen.length;
    const written = await client.updateReplayState(legacyId, { oseq: 100, replayThresh: 3 });
    expect(written).toEqual({ replay: { oseq: 100, seq: 9, bitmap: 1 }, replayThresh: 3 });
    expect(types().slice(before)).toEqual(['XFRM_MSG_GETAE', 'XFRM_MSG_NEWAE']);
    const newae = seen[seen.length - 1]!;
    expect(newae.flags & NLM_F_REPLACE).toBe(NLM_F_REPLACE);
    expect(newae.attrs).toEqual([
      { type: 'XFRMA_REPLAY_VAL', value: { oseq: 100, seq: 9, bitmap: 1 } },
      { type: 'XFRMA_REPLAY_THRESH', value: 3 },
    ]);
    expect((await client.getReplayState(legacyId)).replay).toEqual({ oseq: 100, seq: 9, bitmap: 1 });
    client.close();
  });

  test('ESN SA: hi words and a short bmp, padded with zero words to the SA bmpLen', async () => {
    const { client } = await twoSas();
    await client.updateReplayState(esnId, { oseq: 7, oseqHi: 1, bmp: [0xff] });
    expect((await client.getReplayState(esnId)).replayEsn).toEqual({ bmpLen: 4, oseq: 7, seq: 2, oseqHi: 1, seqHi: 0, replayWindow: 128, bmp: [0xff, 0, 0, 0] });
    client.close();
  });

  test('thresholds only: the replay state is not sent', async () => {
    const { client, seen } = await twoSas();
    await client.updateReplayState(esnId, { etimerThresh: 250 });
    expect(seen[seen.length - 1]!.attrs).toEqual([{ type: 'XFRMA_ETIMER_THRESH', value: 250 }]);
    client.close();
  });

  test('words of the other kind are refused after the read, and nothing is written', async () => {
    const { client, types } = await twoSas();
    const cases: [typeof legacyId, object, string, string][] = [
      [esnId, { bitmap: 1 }, 'change.bitmap', 'esn'],
      [esnId, { bmp: [1, 2, 3, 4, 5] }, 'change.bmp', 'esn'],
      [legacyId, { seqHi: 1 }, 'change.seqHi', 'legacy'],
      [legacyId, { bmp: [1] }, 'change.bmp', 'legacy'],
    ];
    for (const [id, change, what, saKind] of cases) {
      const err = await client.updateReplayState(id, change).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(XfrmReplayKindError);
      expect(err).toBeInstanceOf(NetlinkEncodeError);
      expect(err).toMatchObject({ what, saKind });
    }
    expect(types().filter((t) => t === 'XFRM_MSG_NEWAE')).toEqual([]);
    client.close();
  });

  test('an absent SA: ESRCH from the read', async () => {
    const { client } = await twoSas();
    const err = await client.updateReplayState({ daddr: '192.0.2.9', spi: 1, proto: IPPROTO_ESP }, { oseq: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'NetlinkKernelError', code: 'ESRCH' });
    client.close();
  });

  test('mergeReplayState is pure: the current state is not modified', () => {
    const cur = { replayEsn: { bmpLen: 2, oseq: 1, seq: 2, oseqHi: 0, seqHi: 0, replayWindow: 64, bmp: [3] } };
    const copy = structuredClone(cur);
    expect(mergeReplayState({ seq: 5 }, cur)).toEqual({ replayEsn: { bmpLen: 2, oseq: 1, seq: 5, oseqHi: 0, seqHi: 0, replayWindow: 64, bmp: [3, 0] } });
    expect(cur).toEqual(copy);
    expect(mergeReplayState({ oseq: 1 }, {})).toEqual({ replay: { oseq: 1, seq: 0, bitmap: 0 } });
  });
});

describe('issue 13: replay state of a larval SA (from allocSpi) names the real cause', () => {
  const esn = { bmpLen: 1, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [0] };

  test('setReplayState with ESN state: "larval … must be VALID", not "uses legacy replay state"; nothing sent', async () => {
    const { client, seen } = fakeSad();
    const sa = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, reqid: 7 });
    const id = { daddr: '192.0.2.2', spi: sa.spi, proto: IPPROTO_ESP };
    const e = await client.setReplayState(id, { replayEsn: esn }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(XfrmLarvalStateError);
    expect((e as Error).message).not.toMatch(/legacy/);
    expect((e as Error).message).toMatch(/larval.*must be VALID/);
    expect(seen.filter((m) => m.type === 'XFRM_MSG_NEWAE')).toEqual([]);
    client.close();
  });

  test('updateReplayState with ESN words: the same larval error', async () => {
    const { client } = fakeSad();
    const sa = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, reqid: 7 });
    const e = await client.updateReplayState({ daddr: '192.0.2.2', spi: sa.spi, proto: IPPROTO_ESP }, { oseqHi: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(XfrmLarvalStateError);
    expect((e as Error).message).toMatch(/larval.*must be VALID/);
    client.close();
  });

  test('legacy state on a larval SA: the kernel\'s EINVAL carries the hint, as property and in the message', async () => {
    const { client } = fakeSad();
    const sa = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, reqid: 7 });
    const e = (await client.setReplayState({ daddr: '192.0.2.2', spi: sa.spi, proto: IPPROTO_ESP }, { replay: { oseq: 1, seq: 0, bitmap: 0 } }).catch((x: unknown) => x)) as NetlinkKernelError;
    expect(e).toBeInstanceOf(NetlinkKernelError);
    expect(e.code).toBe('EINVAL');
    expect(e.hint).toMatch(/larval.*must be VALID/);
    expect(e.message).toContain(`(hint: ${e.hint})`);
    client.close();
  });
});

describe('setReplayStates: setReplayState for many SAs in batches (issue 14)', () => {
  const legacy = (spi: number) => ({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: IPPROTO_ESP, aead, replayWindow: 32, replay: { oseq: 1, seq: 0, bitmap: 0 } });
  const esnSa = (spi: number) => ({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: IPPROTO_ESP, aead, replayEsn: { bmpLen: 4, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } });
  const id = (spi: number) => ({ daddr: '192.0.2.2', spi, proto: IPPROTO_ESP });

  test('one result per entry, in order: set, missing SA, other replay kind, larval SA, malformed entry, thresholds only; only entries with replay state are read first; every NEWAE has NLM_F_REPLACE', async () => {
    const { client, seen, kernel } = fakeSad();
    await client.addStates([legacy(0x11), esnSa(0x12), legacy(0x13), legacy(0x16)]);
    const larval = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, min: 0x14, max: 0x14 });
    const from = seen.length;
    const s0 = client.socket.stats.sendCalls;
    const results = await client.setReplayStates([
      { id: id(0x11), ae: { replay: { oseq: 500, seq: 7, bitmap: 0x7f }, replayThresh: 9 } },
      { id: id(0x99), ae: { replay: { oseq: 1, seq: 0, bitmap: 0 } } },
      { id: id(0x13), ae: { replayEsn: { bmpLen: 4, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } } },
      { id: id(larval.spi), ae: { replayEsn: { bmpLen: 1, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [0] } } },
      { id: { ...id(0x15), spi: -1 }, ae: { replayThresh: 1 } },
      { id: id(0x16), ae: { etimerThresh: 250 } },
      { id: id(0x12), ae: { replayEsn: { bmpLen: 4, oseq: 1000, seq: 3, oseqHi: 1, seqHi: 0, replayWindow: 128, bmp: [7, 0, 0, 0] } } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, false, true, true]);
    const err = (i: number) => (results[i] as { error: Error }).error;
    expect((err(1) as NetlinkKernelError).code).toBe('ESRCH');
    expect(err(2)).toBeInstanceOf(XfrmReplayKindError);
    expect(err(3)).toBeInstanceOf(XfrmLarvalStateError);
    expect(err(4)).toBeInstanceOf(NetlinkEncodeError);
    expect((err(4) as NetlinkEncodeError).what).toBe('list[4].id.spi');
    const sent = seen.slice(from);
    // a GETAE for each of the 5 well-formed entries with replay state (not for the thresholds-only one), then 3 NEWAEs
    expect(sent.filter((m) => m.type === 'XFRM_MSG_GETAE').length).toBe(5);
    const newae = sent.filter((m) => m.type === 'XFRM_MSG_NEWAE');
    expect(newae.map((m) => (m.type === 'XFRM_MSG_NEWAE' ? m.body.saId.spi : 0))).toEqual([0x11, 0x16, 0x12]);
    expect(newae.every((m) => ((m.flags ?? 0) & NLM_F_REPLACE) !== 0)).toBe(true);
    // one GETAE batch, a GETSA for each of the two kind failures, one NEWAE batch
    expect(client.socket.stats.sendCalls - s0).toBe(4);
    expect((await client.getReplayState(id(0x11), { thresholds: true })).replay).toEqual({ oseq: 500, seq: 7, bitmap: 0x7f });
    expect((await client.getReplayState(id(0x12))).replayEsn).toMatchObject({ oseq: 1000, oseqHi: 1, bmp: [7, 0, 0, 0] });
    expect(kernel.getSa('192.0.2.2', 0x16, IPPROTO_ESP)!.etimerJiffies).toBe(250);
    client.close();
  });

  test('the same bytes as setReplayState, one per entry', async () => {
    const a = fakeSad();
    const b = fakeSad();
    for (const c of [a, b]) await c.client.addStates([legacy(0x21), esnSa(0x22)]);
    const list = [
      { id: { ...id(0x21), mark: { v: 1, m: 0xff } }, ae: { replay: { oseq: 9, seq: 8, bitmap: 1 }, current: { bytes: 5n, packets: 1n, addTime: 7n, useTime: 0n }, replayThresh: 3, etimerThresh: 4 } },
      { id: { ...id(0x22), saddr: '192.0.2.1' }, ae: { replayEsn: { bmpLen: 4, oseq: 9, seq: 8, oseqHi: 2, seqHi: 1, replayWindow: 128, bmp: [1, 2, 3, 4] } } },
    ];
    const fa = a.seen.length;
    const fb = b.seen.length;
    await a.client.setReplayStates(list);
    for (const e of list) await b.client.setReplayState(e.id, e.ae);
    const ae = (seen: typeof a.seen, from: number) => seen.slice(from).filter((m) => m.type === 'XFRM_MSG_NEWAE').map((m) => ({ ...m, seq: 0, pid: 0, flags: 0 }));
    expect(ae(a.seen, fa)).toEqual(ae(b.seen, fb));
    expect(ae(a.seen, fa)).toHaveLength(2);
    a.client.close();
    b.client.close();
  });
});
