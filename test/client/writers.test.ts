/**
 * The bulk writers (issue 14, "encode without intermediate objects") against the builders:
 * `writePolicyRequest`, `writePolicyIdRequest`, `writeSaIdRequest`, `writeStateRequest`,
 * `writeGetAeRequest` and `writeNewAeRequest`
 * write a request straight into a writer, while single calls build `{ type, body, attrs }`
 * and encode it through the family. Both must give the same bytes for every input — every
 * policy and SA of the captured fixtures, and generated inputs covering each optional
 * field — and the same typed error (field path and text) for every bad input.
 */
import { describe, expect, test } from 'vitest';
import { HOST_LE, NetlinkEncodeError, nlmsgIterate, NlmsgWriter, viewOf } from '../../src/netlink/index.js';
import { encodeMessage, type HeaderOverride } from '../../src/netlink/message.js';
import {
  AF_INET,
  AF_INET6,
  decodeXfrmMessages,
  IPPROTO_AH,
  IPPROTO_ESP,
  XFRM_MODE_TUNNEL,
  XFRM_POLICY_TYPE_SUB,
  xfrmFamily,
  type XfrmMessage,
} from '../../src/xfrm/index.js';
import * as rq from '../../src/client/requests.js';
import { policyFromMessage, template, type XfrmPolicy, type XfrmPolicyId, type XfrmPolicyInput } from '../../src/client/policy.js';
import { anySelector, stateFromMessage, unlimitedLifetime, type XfrmState, type XfrmStateInput } from '../../src/client/state.js';
import { type XfrmSaId } from '../../src/client/sa-id.js';
import { type XfrmAeUpdate } from '../../src/client/ae.js';
import { NLM_F_REPLACE } from '../../src/netlink/constants.js';
import { fixtureFiles, loadFixture } from '../helpers/fixtures.js';

const H: HeaderOverride = { flags: 0, seq: 0, pid: 0 };

/** The bytes of a builder's message, encoded like a single call's (header fields 0). */
function built(msg: rq.XfrmRequest): Uint8Array {
  const w = new NlmsgWriter(256, HOST_LE);
  encodeMessage(w, msg as XfrmMessage, xfrmFamily, H);
  return w.finish().slice();
}

/** The bytes a writer writes, after one message already in the buffer (offsets must not matter). */
function written(write: (w: NlmsgWriter) => void): Uint8Array {
  const w = new NlmsgWriter(64, HOST_LE);
  w.beginMessage(0x10, 0);
  w.alloc(5);
  w.endMessage();
  const before = w.length;
  write(w);
  expect(w.messages).toBe(2);
  const all = w.finish();
  return all.slice(Math.ceil(before / 4) * 4);
}

/** What a call throws (or `undefined`), as `what` + message for comparison. */
function thrown(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof NetlinkEncodeError)) throw e;
    return `${e.what} | ${e.message}`;
  }
}

/** Every policy and SA the fixtures hold (dumps, notifications, requests). */
function fixtureModels(): { policies: XfrmPolicy[]; states: XfrmState[] } {
  const policies: XfrmPolicy[] = [];
  const states: XfrmState[] = [];
  for (const path of fixtureFiles()) {
    const fx = loadFixture(path);
    if (fx.malformed) continue;
    for (const d of fx.datagrams) {
      let msgs;
      try {
        msgs = decodeXfrmMessages(d.bytes);
      } catch {
        continue;
      }
      for (const m of msgs) {
        if ((m.type === 'XFRM_MSG_NEWPOLICY' || m.type === 'XFRM_MSG_UPDPOLICY') && m.body) policies.push(policyFromMessage(m.body, m.attrs));
        if ((m.type === 'XFRM_MSG_NEWSA' || m.type === 'XFRM_MSG_UPDSA') && m.body) states.push(stateFromMessage(m.body, m.attrs));
      }
    }
  }
  return { policies, states };
}

const sel4 = () => ({ ...anySelector(AF_INET), daddr: '192.0.2.0', saddr: '198.51.100.7', prefixlenD: 24, prefixlenS: 32, dport: 443, dportMask: 0xffff, proto: 6 });
const sel6 = () => ({ ...anySelector(AF_INET6), daddr: '2001:db8::', prefixlenD: 64, ifindex: -3, user: 1000 });

/** Generated policies: each optional field present or not, in a fixed pseudo-random mix. */
function generatedPolicies(): XfrmPolicyInput[] {
  const out: XfrmPolicyInput[] = [];
  let x = 0x1234;
  const bit = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 1;
  for (let i = 0; i < 300; i++) {
    const v6 = bit();
    const p: XfrmPolicyInput = { selector: v6 ? sel6() : sel4(), dir: i % 3 };
    if (bit()) p.action = 1;
    if (bit()) p.priority = i * 7919;
    if (bit()) p.index = (i << 3) | p.dir;
    if (bit()) p.flags = 1;
    if (bit()) p.share = 2;
    if (bit()) p.lifetime = { ...unlimitedLifetime(), hardAddExpiresSeconds: BigInt(i) };
    if (bit()) p.current = { bytes: 1n, packets: 2n, addTime: BigInt(i), useTime: 0n };
    if (bit()) {
      const n = (i % 6) + 1;
      p.templates = Array.from({ length: n }, (_, k) =>
        template({ proto: k % 2 ? IPPROTO_AH : IPPROTO_ESP, saddr: v6 ? '2001:db8::1' : '192.0.2.1', daddr: v6 ? '2001:db8::2' : '192.0.2.2', mode: XFRM_MODE_TUNNEL, reqid: k }),
      );
    } else if (bit()) p.templates = [];
    if (bit()) p.type = bit() ? XFRM_POLICY_TYPE_SUB : 0;
    if (bit()) p.mark = { v: i, m: 0xffff };
    if (bit()) p.ifId = i;
    if (bit()) p.secCtx = { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: `ctx${i}` };
    if (bit()) p.offload = { ifindex: 2, flags: 1 };
    if (bit()) p.extraAttrs = [{ type: 'XFRMA_SET_MARK', value: i }, { type: 0x7ff, value: new Uint8Array([1, 2, 3]) }];
    out.push(p);
  }
  return out;
}

/** SAs with every optional field, one at a time and all together (the fixtures lack the newer ones). */
function generatedStates(): XfrmStateInput[] {
  const key = (n: number) => new Uint8Array(n).fill(0xab);
  const base = { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 1 };
  const extras: Partial<XfrmStateInput>[] = [
    { aead: { name: 'rfc4106(gcm(aes))', key: key(20), icvLen: 128 } },
    { auth: { name: 'hmac(sha256)', key: key(32), truncLen: 128 }, crypt: { name: 'cbc(aes)', key: key(16) } },
    { auth: { name: 'hmac(sha1)', key: key(20) } },
    { encap: { encapType: 2, encapSport: 4500, encapDport: 4500, encapOa: '198.51.100.1' } },
    { replayEsn: { bmpLen: 4, oseq: 41, seq: 0, oseqHi: 1, seqHi: 0, replayWindow: 128, bmp: [0, 1, 0, 0] }, replay: { oseq: 1, seq: 2, bitmap: 3 } },
    { replay: { oseq: 1, seq: 2, bitmap: 3 }, replayWindow: 32 },
    { current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n }, lifetime: { ...unlimitedLifetime(), softByteLimit: 99n } },
    { mark: { v: 7, m: 0xff }, outputMark: { value: 3, mask: 0xff }, ifId: 5, dir: 2, pcpu: 1 },
    { tfcpad: 16, extraFlags: 1, mtimerThresh: 8, natKeepaliveInterval: 9, replayThresh: 10, etimerThresh: 11 },
    { secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'system_u' }, offload: { ifindex: 1, flags: 0 } },
    { iptfs: { dropTime: 1, reorderWindow: 2, dontFrag: true, initDelay: 3, maxQsize: 4, pktSize: 5 } },
    { iptfs: { dropTime: 1, dontFrag: false } },
    { extraAttrs: [{ type: 'XFRMA_SA_PCPU', value: 1 }, { type: 0x7fe, value: new Uint8Array([9]) }] },
    { selector: sel4(), flags: 1, acquireSeq: 77 },
  ];
  const out: XfrmStateInput[] = extras.map((e, i) => ({ ...base, spi: 0x1000 + i, ...e }) as XfrmStateInput);
  out.push(Object.assign({}, base, ...extras.filter((e) => !e.aead && !e.replay && !(e.iptfs && e.iptfs.dontFrag === false))) as XfrmStateInput);
  out.push({ saddr: '2001:db8::1', daddr: '2001:db8::2', spi: 0x2000, proto: IPPROTO_ESP, coaddr: '2001:db8::9', crypt: { name: 'cbc(aes)', key: key(16) } } as XfrmStateInput);
  out.push({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x4000, proto: 108, comp: 'deflate' } as XfrmStateInput);
  return out;
}

function saIdsOf(states: readonly XfrmState[]): XfrmSaId[] {
  const out: XfrmSaId[] = [];
  states.forEach((s, i) => {
    out.push({ daddr: s.daddr, spi: s.spi, proto: s.proto });
    out.push({ daddr: s.daddr, spi: s.spi, proto: s.proto, family: s.family, saddr: s.saddr, ...(s.mark ? { mark: s.mark } : { mark: { v: i, m: 1 } }) });
  });
  out.push({ daddr: '2001:db8::2', spi: 0xffffffff, proto: IPPROTO_AH, saddr: '2001:db8::1' });
  return out;
}

function policyIdsOf(policies: readonly XfrmPolicyInput[]): XfrmPolicyId[] {
  const out: XfrmPolicyId[] = [];
  policies.forEach((p, i) => {
    out.push({ selector: p.selector, dir: p.dir });
    out.push({ selector: p.selector, dir: p.dir, index: p.index ?? 0, ...(p.type !== undefined ? { type: p.type } : {}), ...(p.mark ? { mark: p.mark } : {}), ...(p.ifId !== undefined ? { ifId: p.ifId } : {}) });
    out.push({ index: (i << 3) | (p.dir & 7), dir: p.dir & 7, ...(i % 2 ? { type: XFRM_POLICY_TYPE_SUB } : {}) });
  });
  return out;
}

describe('bulk writers give the bytes of the single-call builders', () => {
  const fx = fixtureModels();
  const policies: XfrmPolicyInput[] = [...fx.policies, ...generatedPolicies()];

  test('the fixtures hold policies and SAs to compare', () => {
    expect(fx.policies.length).toBeGreaterThan(10);
    expect(fx.states.length).toBeGreaterThan(10);
  });

  test('NEWPOLICY / UPDPOLICY: every fixture policy and generated policy', () => {
    let n = 0;
    for (const p of policies) {
      for (const update of [false, true]) {
        expect(written((w) => rq.writePolicyRequest(w, p, update))).toEqual(built(rq.policyWriteRequest(p, update)));
        n++;
      }
    }
    expect(n).toBeGreaterThan(600);
  });

  test('DELPOLICY / GETPOLICY: by selector and by index', () => {
    for (const id of policyIdsOf(policies)) {
      for (const type of ['XFRM_MSG_DELPOLICY', 'XFRM_MSG_GETPOLICY'] as const) {
        expect(written((w) => rq.writePolicyIdRequest(w, type, id, 3))).toEqual(built(rq.policyIdRequest(type, id, 3)));
      }
    }
  });

  test('DELSA / GETSA: every fixture SA id, with and without family, saddr and mark', () => {
    for (const id of saIdsOf(fx.states)) {
      for (const type of ['XFRM_MSG_DELSA', 'XFRM_MSG_GETSA'] as const) {
        expect(written((w) => rq.writeSaIdRequest(w, type, id, 0))).toEqual(built(rq.saIdRequest(type, id, 0)));
      }
    }
  });

  test('NEWSA / UPDSA: every fixture SA that is valid input, and generated SAs with every field', () => {
    let n = 0;
    const gen = generatedStates();
    for (const s of gen) expect(thrown(() => rq.newState(s))).toBeUndefined();
    for (const s of [...fx.states, ...gen]) {
      if (thrown(() => rq.newState(s)) !== undefined) continue; // larval SAs (SPI 0…) are no input
      for (const update of [false, true]) {
        expect(written((w) => rq.writeStateRequest(w, s, update))).toEqual(built(rq.stateWriteRequest(rq.newState(s), update, true)));
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  test('a bad entry: the same typed error from both paths, and the writer left as before', () => {
    const good = generatedPolicies()[5]!;
    const bad: unknown[] = [
      null,
      { ...good, selector: { ...good.selector, daddr: '::1' } },
      { ...good, dir: 256 },
      { ...good, templates: [{ ...template({ proto: IPPROTO_ESP }), mode: 9.5 }] },
      { ...good, lifetime: { ...unlimitedLifetime(), softByteLimit: -1n } },
      { ...good, mark: { v: 'x', m: 1 } },
      { ...good, extraAttrs: [{ type: 'XFRMA_NOPE', value: 1 }] },
      { ...good, extraAttrs: [{ type: 'XFRMA_SET_MARK', value: -1 }] },
      { ...good, secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'x'.repeat(70000) } },
    ];
    for (const p of bad) {
      const w = new NlmsgWriter(64, HOST_LE);
      const viaBuilder = thrown(() => built(rq.policyWriteRequest(p as XfrmPolicyInput, false)));
      expect(viaBuilder).toBeDefined();
      expect(thrown(() => rq.writePolicyRequest(w, p as XfrmPolicyInput, false))).toBe(viaBuilder);
      expect([w.messages, w.length, w.position]).toEqual([0, 0, 0]);
    }
    const badIds: unknown[] = [{ dir: 1 }, { dir: 1, index: -1 }, { dir: 1, selector: { ...sel4(), family: 99 } }, { dir: 1, index: 9, mark: { v: 1 } }];
    for (const id of badIds) {
      const w = new NlmsgWriter(64, HOST_LE);
      const viaBuilder = thrown(() => built(rq.policyIdRequest('XFRM_MSG_DELPOLICY', id as XfrmPolicyId, 4)));
      expect(viaBuilder).toMatch(/^ids\[4\]/);
      expect(thrown(() => rq.writePolicyIdRequest(w, 'XFRM_MSG_DELPOLICY', id as XfrmPolicyId, 4))).toBe(viaBuilder);
      expect(w.messages).toBe(0);
    }
    const badSaIds: unknown[] = [{ daddr: '192.0.2.1', spi: -1, proto: 50 }, { daddr: '192.0.2.1', spi: 1, proto: 50, saddr: '2001:db8::1' }, { daddr: 5, spi: 1, proto: 50 }];
    for (const id of badSaIds) {
      const w = new NlmsgWriter(64, HOST_LE);
      const viaBuilder = thrown(() => built(rq.saIdRequest('XFRM_MSG_DELSA', id as XfrmSaId, 2)));
      expect(viaBuilder).toMatch(/^ids\[2\]/);
      expect(thrown(() => rq.writeSaIdRequest(w, 'XFRM_MSG_DELSA', id as XfrmSaId, 2))).toBe(viaBuilder);
      expect(w.messages).toBe(0);
    }
    const badStates: unknown[] = [
      { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0, proto: IPPROTO_ESP },
      { saddr: '192.0.2.1', daddr: '2001:db8::2', spi: 1, proto: IPPROTO_ESP },
      { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP, aead: { name: 'rfc4106(gcm(aes))', key: new Uint8Array(20), icvLen: 128 }, crypt: { name: 'cbc(aes)', key: new Uint8Array(16) } },
      { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP, extraAttrs: [{ type: 'XFRMA_NOPE', value: 1 }] },
    ];
    for (const st of badStates) {
      const w = new NlmsgWriter(64, HOST_LE);
      const viaBuilder = thrown(() => built(rq.stateWriteRequest(rq.newState(st as XfrmStateInput), false, true)));
      expect(viaBuilder).toBeDefined();
      expect(thrown(() => rq.writeStateRequest(w, st as XfrmStateInput, false))).toBe(viaBuilder);
      expect([w.messages, w.length, w.position]).toEqual([0, 0, 0]);
    }
  });

  test('GETAE: every fixture SA id, with and without the thresholds', () => {
    for (const id of saIdsOf(fx.states)) {
      for (const thresholds of [false, true]) expect(written((w) => rq.writeGetAeRequest(w, id, thresholds, 1))).toEqual(built(rq.getAeRequest(id, thresholds, 1)));
    }
    for (const id of [{ daddr: '192.0.2.1', spi: -1, proto: 50 }, { daddr: '192.0.2.1', spi: 1, proto: 50, mark: { v: 1 } }]) {
      const w = new NlmsgWriter(64, HOST_LE);
      const viaBuilder = thrown(() => built(rq.getAeRequest(id as XfrmSaId, false, 2)));
      expect(viaBuilder).toMatch(/^ids\[2\]/);
      expect(thrown(() => rq.writeGetAeRequest(w, id as XfrmSaId, false, 2))).toBe(viaBuilder);
      expect(w.messages).toBe(0);
    }
  });

  test('NEWAE (NLM_F_REPLACE): every fixture SA id with the replay state, counters and thresholds of the fixture SAs', () => {
    /** The builder's message with its own flags (NLM_F_REPLACE), as a single call sends it. */
    const builtAe = (msg: rq.XfrmRequest): Uint8Array => {
      const w = new NlmsgWriter(256, HOST_LE);
      encodeMessage(w, msg as XfrmMessage, xfrmFamily, { flags: NLM_F_REPLACE, seq: 0, pid: 0 });
      return w.finish().slice();
    };
    const aes: XfrmAeUpdate[] = [{ replayThresh: 7 }];
    for (const s of fx.states) {
      if (s.replayEsn) aes.push({ replayEsn: s.replayEsn, ...(s.current ? { current: s.current } : {}), etimerThresh: 300 });
      if (s.replay) aes.push({ replay: s.replay, ...(s.current ? { current: s.current } : {}), replayThresh: 0, etimerThresh: 0 });
    }
    expect(aes.some((a) => a.replayEsn) && aes.some((a) => a.replay)).toBe(true);
    let n = 0;
    saIdsOf(fx.states).forEach((id, i) => {
      const ae = aes[i % aes.length]!;
      const bytes = built(rq.newAeRequest(id, ae));
      expect(written((w) => rq.writeNewAeRequest(w, id, ae, i))).toEqual(builtAe(rq.newAeRequest(id, ae)));
      expect(bytes.length).toBeGreaterThan(16 + 48);
      n++;
    });
    expect(n).toBeGreaterThan(10);
  });

  test("NEWAE: a bad entry gives the builder's error (in a bulk call under list[i]), the writer left as before", () => {
    const id = { daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP };
    const bad: [unknown, unknown][] = [
      [{ ...id, spi: -1 }, { replayThresh: 1 }],
      [{ ...id, saddr: '2001:db8::1' }, { replayThresh: 1 }],
      [id, { replay: { oseq: 'SECRET', seq: 0, bitmap: 0 } }],
      [id, { replayEsn: { bmpLen: 2, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 64, bmp: [1, 'SECRET'] } }],
      [id, { current: { bytes: -1n, packets: 0n, addTime: 0n, useTime: 0n } }],
      [id, null],
    ];
    for (const [i, ae] of bad) {
      const viaBuilder = thrown(() => rq.newAeRequest(i as XfrmSaId, ae as XfrmAeUpdate));
      expect(viaBuilder).toMatch(/^(id|ae)/);
      const w = new NlmsgWriter(64, HOST_LE);
      expect(thrown(() => rq.writeNewAeRequest(w, i as XfrmSaId, ae as XfrmAeUpdate))).toBe(viaBuilder);
      expect(thrown(() => rq.writeNewAeRequest(w, i as XfrmSaId, ae as XfrmAeUpdate, 6))).toBe(viaBuilder!.replace(/^(id|ae)(.*) \| \1/, 'list[6].$1$2 | list[6].$1'));
      expect([w.messages, w.length, w.position]).toEqual([0, 0, 0]);
    }
  });

  test('each written request is one well-formed message of its own length', () => {
    const w = new NlmsgWriter(64, HOST_LE);
    const ps = generatedPolicies().slice(0, 50);
    for (const p of ps) rq.writePolicyRequest(w, p, false);
    const locs = [...nlmsgIterate(viewOf(w.finish()), HOST_LE)];
    expect(locs.length).toBe(ps.length);
    expect(decodeXfrmMessages(w.finish()).every((m) => m.type === 'XFRM_MSG_NEWPOLICY')).toBe(true);
  });
});
