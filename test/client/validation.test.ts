/**
 * Input validation of every public XfrmClient entry point (issue 10 items 3, 6, 7), over the
 * fake kernel. The table-driven part takes a valid input per entry point, replaces each
 * field in turn — nested ones included — by null, undefined (where the field is required) and
 * values of the wrong type or range, and expects a NetlinkEncodeError whose `what` is that
 * field's path and whose message never shows the value. Then regression tests for the
 * reported cases: untyped TypeErrors, mixed-family SAs and policies, SPI 0.
 */
import { describe, expect, test } from 'vitest';
import { NetlinkEncodeError, NetlinkError } from '../../src/netlink/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import {
  AF_INET,
  AF_INET6,
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_ESP,
  XFRM_MODE_BEET,
  XFRM_MODE_TRANSPORT,
  XFRM_MODE_TUNNEL,
  XFRM_POLICY_OUT,
  XFRM_STATE_AF_UNSPEC,
  xfrmFamily,
  type XfrmMessage,
} from '../../src/xfrm/index.js';
import { XfrmClient } from '../../src/client/client.js';
import { anySelector, stateFromMessage, unlimitedLifetime } from '../../src/client/state.js';
import { template } from '../../src/client/policy.js';
import { restore, type XfrmSnapshot } from '../../src/client/ha.js';
import { xfrmMessageToJson } from '../../src/xfrm/json.js';

/** A kernel that ACKs every request, answers lookups with ESRCH, and records what it got. */
function fakeClient() {
  const seen: XfrmMessage[] = [];
  const kernel = new FakeKernel<XfrmMessage>({
    family: xfrmFamily,
    handler(req, k) {
      const m = req.message as XfrmMessage;
      seen.push(m);
      if (String(m.type).startsWith('XFRM_MSG_GET') || m.type === 'XFRM_MSG_ALLOCSPI') return k.error(req, 3);
      return k.ack(req);
    },
  });
  const client = XfrmClient.open({ transport: kernel.socket(), eventTransport: () => kernel.socket() });
  return { client, seen };
}

const key20 = () => new Uint8Array(20).fill(0xab);
const sel4 = () => ({ ...anySelector(AF_INET), daddr: '192.0.2.0', prefixlenD: 24, dport: 443, dportMask: 0xffff, proto: 6 });

const stateA = () => ({
  saddr: '192.0.2.1',
  daddr: '192.0.2.2',
  spi: 0x1000,
  proto: IPPROTO_ESP,
  family: AF_INET,
  mode: XFRM_MODE_TUNNEL,
  reqid: 1,
  flags: 0,
  replayWindow: 0,
  acquireSeq: 0,
  selector: sel4(),
  lifetime: unlimitedLifetime(),
  current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n },
  aead: { name: 'rfc4106(gcm(aes))', key: key20(), icvLen: 128, keyBits: 160 },
  encap: { encapType: 2, encapSport: 4500, encapDport: 4500, encapOa: '198.51.100.1' },
  replayEsn: { bmpLen: 4, oseq: 41, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 1, 0, 0] },
  mark: { v: 7, m: 0xff },
  outputMark: { value: 3, mask: 0xff },
  ifId: 5,
  dir: 2,
  tfcpad: 16,
  extraFlags: 1,
  secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'system_u' },
  offload: { ifindex: 1, flags: 0 },
  mtimerThresh: 8,
  natKeepaliveInterval: 9,
  replayThresh: 10,
  etimerThresh: 11,
  iptfs: { dropTime: 1, reorderWindow: 2, dontFrag: true, initDelay: 3, maxQsize: 4, pktSize: 5 },
  extraAttrs: [{ type: 'XFRMA_SA_PCPU' as const, value: 1 }],
});
const stateB = () => ({
  saddr: '2001:db8::1',
  daddr: '2001:db8::2',
  spi: 0x2000,
  proto: IPPROTO_ESP,
  auth: { name: 'hmac(sha256)', key: new Uint8Array(32), truncLen: 128 },
  crypt: { name: 'cbc(aes)', key: new Uint8Array(16) },
  replay: { oseq: 1, seq: 2, bitmap: 3 },
  coaddr: '2001:db8::9',
  stats: { replayWindow: 0, replay: 0, integrityFailed: 0 },
  pcpu: 1,
});
const stateC = () => ({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x4000, proto: IPPROTO_COMP, comp: 'deflate' });

const saId = () => ({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, family: AF_INET, mark: { v: 1, m: 1 }, saddr: '192.0.2.1' });
const policy = () => ({
  selector: sel4(),
  dir: XFRM_POLICY_OUT,
  action: 0,
  priority: 5,
  index: 0,
  flags: 0,
  share: 0,
  lifetime: unlimitedLifetime(),
  current: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n },
  templates: [
    template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', reqid: 1, mode: XFRM_MODE_TUNNEL }),
    template({ proto: IPPROTO_COMP, family: AF_INET6, saddr: '2001:db8::1', daddr: '2001:db8::2', mode: XFRM_MODE_TUNNEL }),
  ],
  type: 0,
  mark: { v: 1, m: 1 },
  ifId: 2,
  secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'y' },
  offload: { ifindex: 1, flags: 4 },
  extraAttrs: [] as unknown[],
});
const migration = () => ({
  oldDaddr: '192.0.2.2', oldSaddr: '192.0.2.1', newDaddr: '2001:db8::2', newSaddr: '2001:db8::1',
  proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reserved: 0, reqid: 1, oldFamily: AF_INET, newFamily: AF_INET6,
});

type Seg = string | number;
type Client = XfrmClient;

interface Entry {
  /** Name of the case. */
  name: string;
  /** A valid input. */
  base: () => unknown;
  /** Call the entry point with the (mutated) input; bulk calls return the entry's error. */
  call: (c: Client, v: any) => Promise<unknown>;
  /** Path of the input in the error's `what`. */
  prefix: string;
  /** Paths (joined as in `what`, without the prefix) whose undefined is valid. */
  optional: (p: string) => boolean;
  /** Bulk entry point: the error comes back in result 0. */
  bulk?: boolean;
  /** `what` expected for undefined at a path when it is not the path itself. */
  undefinedWhat?: Record<string, string>;
}

/** Top-level fields are optional except `required`; so are the optional fields of nested objects. */
const topOptional =
  (...required: string[]) =>
  (p: string) =>
    (/^\.[^.[]+$/.test(p) && !required.includes(p)) || /\.(keyBits|truncLen)$|^\.iptfs\./.test(p);

async function errorOf(e: Entry, c: Client, v: unknown): Promise<unknown> {
  try {
    const r = await e.call(c, v);
    if (e.bulk) {
      const first = (r as { ok: boolean; error?: unknown }[])[0]!;
      return first.ok ? undefined : first.error;
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

const entries: Entry[] = [
  ...[stateA, stateB, stateC].flatMap((base, i): Entry[] => [
    { name: `addState #${i}`, base, prefix: 'state', call: (c, v) => c.addState(v), optional: topOptional('.saddr', '.daddr', '.spi', '.proto') },
    { name: `updateState #${i}`, base, prefix: 'state', call: (c, v) => c.updateState(v), optional: topOptional('.saddr', '.daddr', '.spi', '.proto') },
    { name: `addStates #${i}`, base, prefix: 'state', bulk: true, call: (c, v) => c.addStates([v]), optional: topOptional('.saddr', '.daddr', '.spi', '.proto') },
  ]),
  ...(['getState', 'deleteState', 'getReplayState'] as const).map(
    (m): Entry => ({ name: m, base: saId, prefix: 'id', call: (c, v) => c[m](v), optional: topOptional('.daddr', '.spi', '.proto') }),
  ),
  { name: 'expireState', base: saId, prefix: 'id', call: (c, v) => c.expireState(v, true), optional: topOptional('.daddr', '.spi', '.proto') },
  { name: 'expireState hard', base: () => true, prefix: 'hard', call: (c, v) => c.expireState(saId(), v), optional: () => false },
  { name: 'deleteStates', base: saId, prefix: 'ids[0]', bulk: true, call: (c, v) => c.deleteStates([v]), optional: topOptional('.daddr', '.spi', '.proto') },
  { name: 'getReplayStates', base: saId, prefix: 'ids[0]', bulk: true, call: (c, v) => c.getReplayStates([v]).then((r) => r.map((x) => (x instanceof Error ? { ok: false, error: x } : { ok: true }))), optional: topOptional('.daddr', '.spi', '.proto') },
  { name: 'setReplayState id', base: saId, prefix: 'id', call: (c, v) => c.setReplayState(v, { replayThresh: 1 }), optional: topOptional('.daddr', '.spi', '.proto') },
  {
    name: 'setReplayState ae (legacy)',
    base: () => ({ replay: { oseq: 1, seq: 2, bitmap: 3 }, current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n }, replayThresh: 1, etimerThresh: 2 }),
    prefix: 'ae',
    call: (c, v) => c.setReplayState(saId(), v),
    optional: topOptional(),
  },
  {
    name: 'setReplayState ae (ESN)',
    base: () => ({ replayEsn: { bmpLen: 2, oseq: 1, seq: 2, oseqHi: 0, seqHi: 0, replayWindow: 64, bmp: [1, 2] } }),
    prefix: 'ae',
    call: (c, v) => c.setReplayState(saId(), v),
    optional: topOptional(),
  },
  ...[
    { replay: { oseq: 1, seq: 2, bitmap: 3 }, current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n }, replayThresh: 1, etimerThresh: 2 },
    { replayEsn: { bmpLen: 2, oseq: 1, seq: 2, oseqHi: 0, seqHi: 0, replayWindow: 64, bmp: [1, 2] } },
  ].map(
    (ae, i): Entry => ({
      name: `setReplayStates #${i}`,
      base: () => ({ id: saId(), ae: structuredClone(ae) }),
      prefix: 'list[0]',
      bulk: true,
      call: (c, v) => c.setReplayStates([v]),
      optional: (p) => /^\.ae\.[^.[]+$/.test(p) || ['.id.family', '.id.mark', '.id.saddr'].includes(p),
    }),
  ),
  {
    name: 'allocSpi',
    base: () => ({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, min: 0x100, max: 0x200, mode: 1, reqid: 1, acquireSeq: 3, mark: { v: 1, m: 1 }, ifId: 1, dir: 1, pcpu: 0 }),
    prefix: 'input',
    call: (c, v) => c.allocSpi(v),
    optional: topOptional('.saddr', '.daddr', '.proto'),
  },
  { name: 'listStates', base: () => ({ proto: IPPROTO_ESP, src: { addr: '192.0.2.0', prefixlen: 24 }, dst: { addr: '192.0.2.0', prefixlen: 24 } }), prefix: 'filter', call: async (c, v) => { for await (const _ of c.listStates(v)); }, optional: (p) => p === '' || topOptional()(p) },
  { name: 'flushStates', base: () => IPPROTO_ESP, prefix: 'proto', call: (c, v) => c.flushStates(v), optional: () => true },
  ...(['addPolicy', 'updatePolicy'] as const).map((m): Entry => ({ name: m, base: policy, prefix: 'policy', call: (c, v) => c[m](v), optional: topOptional('.selector', '.dir') })),
  { name: 'addPolicies', base: policy, prefix: 'policy', bulk: true, call: (c, v) => c.addPolicies([v]), optional: topOptional('.selector', '.dir') },
  ...(['getPolicy', 'deletePolicy'] as const).flatMap((m): Entry[] => [
    { name: `${m} by selector`, base: () => ({ dir: 1, selector: sel4(), type: 0, mark: { v: 1, m: 1 }, ifId: 3 }), prefix: 'id', call: (c, v) => c[m](v), optional: topOptional('.dir'), undefinedWhat: { '.selector': 'id' } },
    { name: `${m} by index`, base: () => ({ dir: 1, index: 9 }), prefix: 'id', call: (c, v) => c[m](v), optional: topOptional('.dir'), undefinedWhat: { '.index': 'id' } },
  ]),
  { name: 'deletePolicies', base: () => ({ dir: 1, selector: sel4() }), prefix: 'ids[0]', bulk: true, call: (c, v) => c.deletePolicies([v]), optional: topOptional('.dir'), undefinedWhat: { '.selector': 'ids[0]' } },
  { name: 'flushPolicies', base: () => 1, prefix: 'type', call: (c, v) => c.flushPolicies(v), optional: () => true },
  { name: 'setPolicyHashThresholds', base: () => ({ ipv4: { lbits: 24, rbits: 32 }, ipv6: { lbits: 64, rbits: 128 } }), prefix: 'thresholds', call: (c, v) => c.setPolicyHashThresholds(v), optional: topOptional() },
  { name: 'setDefaultPolicy', base: () => ({ in: 1, fwd: 1, out: 0 }), prefix: 'default', call: (c, v) => c.setDefaultPolicy(v), optional: topOptional() },
  {
    name: 'migrate',
    base: () => ({ selector: sel4(), dir: 1, migrations: [migration()], kmaddress: { local: '192.0.2.1', remote: '192.0.2.2', reserved: 0, family: AF_INET }, encap: { encapType: 2, encapSport: 4500, encapDport: 4500, encapOa: '::' }, type: 0, ifId: 1 }),
    prefix: 'migrate',
    call: (c, v) => c.migrate(v),
    optional: topOptional('.selector', '.dir', '.migrations'),
  },
  {
    name: 'migrateState',
    base: () => ({
      id: { daddr: '192.0.2.2', spi: 0x1000, family: AF_INET, proto: IPPROTO_ESP },
      newDaddr: '198.51.100.2', newSaddr: '198.51.100.1', oldMark: { v: 0, m: 0 }, newSel: anySelector(AF_INET),
      newReqid: 1, flags: 0, newFamily: AF_INET, reserved: 0,
    }),
    prefix: 'migrateState',
    call: (c, v) => c.migrateState(v),
    optional: () => false,
  },
  { name: 'migrateState attrs', base: () => [{ type: 'XFRMA_MARK', value: { v: 1, m: 1 } }], prefix: 'attrs', call: (c, v) => c.migrateState({ id: { daddr: '192.0.2.2', spi: 1, family: AF_INET, proto: IPPROTO_ESP }, newDaddr: '192.0.2.3', newSaddr: '192.0.2.1', oldMark: { v: 0, m: 0 }, newSel: anySelector(AF_INET), newReqid: 1, flags: 0, newFamily: AF_INET, reserved: 0 }, v), optional: (p) => p === '' },
  { name: 'events', base: () => ['acquire', 'expire'], prefix: 'groups', call: async (c, v) => c.events(v).close(), optional: (p) => p === '' },
  { name: 'events opts', base: () => ({ rcvbuf: 65536 }), prefix: 'opts', call: async (c, v) => c.events(['acquire'], v).close(), optional: (p) => p === '' || p === '.rcvbuf' },
];

/**
 * Every node under `v` with its path, leaves and containers alike (the root excluded). Raw
 * attributes (`{ type, value }` in extraAttrs) are visited but not entered: their value's
 * shape depends on the attribute and the attribute codecs check it (see the test below).
 */
function* nodes(v: unknown, segs: Seg[] = []): Generator<[Seg[], unknown]> {
  if (v instanceof Uint8Array || typeof v !== 'object' || v === null) return;
  if ('type' in v && 'value' in v) return;
  const keys: Seg[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  for (const k of keys) {
    const child = (v as Record<string, unknown>)[k as string];
    yield [[...segs, k], child];
    yield* nodes(child, [...segs, k]);
  }
}

const join = (segs: Seg[]) => segs.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');

/** Wrong values for a field holding `v` (undefined is handled apart). 'SECRET' must never be echoed. */
function badValuesFor(v: unknown): unknown[] {
  if (v instanceof Uint8Array) return [null, 'SECRET', [1, 2]];
  if (Array.isArray(v)) return [null, 'SECRET', {}];
  switch (typeof v) {
    case 'number':
      return [null, 'SECRET', 1.5, 2 ** 32, NaN, {}];
    case 'string':
      return [null, 1, {}];
    case 'bigint':
      return [null, 1, -1n, 2n ** 64n];
    case 'boolean':
      return [null, 1, 'SECRET'];
    default:
      return [null, 'SECRET', 1, []];
  }
}

function setAt(root: unknown, segs: Seg[], value: unknown): unknown {
  if (segs.length === 0) return value;
  let o = root as Record<string, unknown>;
  for (const s of segs.slice(0, -1)) o = o[s as string] as Record<string, unknown>;
  const last = segs[segs.length - 1]!;
  if (value === undefined && !Array.isArray(o)) delete o[last as string];
  else o[last as string] = value;
  return root;
}

describe('every public entry point checks its input and names the field', () => {
  for (const e of entries) {
    test(e.name, async () => {
      const { client } = fakeClient();
      const problems: string[] = [];
      // The valid input passes the checks (whatever the fake kernel then answers).
      const ok = await errorOf(e, client, e.base());
      if (ok instanceof NetlinkEncodeError || !(ok === undefined || ok instanceof NetlinkError)) problems.push(`valid input refused: ${String(ok)}`);
      const cases: [Seg[], unknown][] = [[[], undefined]];
      for (const [segs, v] of [[[] as Seg[], e.base()] as [Seg[], unknown], ...nodes(e.base())]) {
        for (const bad of badValuesFor(v)) cases.push([segs, bad]);
        if (segs.length > 0) cases.push([segs, undefined]);
      }
      for (const [segs, bad] of cases) {
        const p = join(segs);
        if (bad === undefined && (e.optional(p) || (segs.length === 0 && e.optional('')))) continue;
        if (bad === undefined && segs.length === 0 && e.bulk) continue;
        const input = setAt(e.base(), segs, bad);
        const err = await errorOf(e, client, input);
        const want = bad === undefined && e.undefinedWhat?.[p] !== undefined ? e.undefinedWhat[p] : e.prefix + p;
        const label = `${want} = ${typeof bad === 'bigint' ? `${bad}n` : JSON.stringify(bad)}`;
        if (!(err instanceof NetlinkEncodeError)) problems.push(`${label}: got ${err === undefined ? 'no error' : String(err)}`);
        else if (err.what !== want) problems.push(`${label}: what is ${err.what} (${err.message})`);
        else if (err.message.includes('SECRET')) problems.push(`${label}: message shows the value: ${err.message}`);
      }
      client.close();
      expect(problems).toEqual([]);
    });
  }

  test('raw attributes (extraAttrs, migrateState attrs): the value must be there; the attribute codec names what is wrong in it', async () => {
    const { client } = fakeClient();
    for (const value of [undefined, null]) {
      const err = await client.addState({ ...stateC(), extraAttrs: [{ type: 'XFRMA_MARK', value } as never] }).catch((x) => x);
      expect(err).toBeInstanceOf(NetlinkEncodeError);
      expect(err.what).toBe('state.extraAttrs[0].value');
      const err2 = await client.migrateState({ id: { daddr: '192.0.2.2', spi: 1, family: AF_INET, proto: IPPROTO_ESP }, newDaddr: '192.0.2.3', newSaddr: '192.0.2.1', oldMark: { v: 0, m: 0 }, newSel: anySelector(AF_INET), newReqid: 1, flags: 0, newFamily: AF_INET, reserved: 0 }, [{ type: 'XFRMA_MARK', value } as never]).catch((x) => x);
      expect(err2).toBeInstanceOf(NetlinkEncodeError);
      expect(err2.what).toBe('attrs[0].value');
    }
    const err = await client.addState({ ...stateC(), extraAttrs: [{ type: 'XFRMA_MARK', value: { v: 'SECRET', m: 1 } } as never] }).catch((x) => x);
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect(err.what).toMatch(/XFRMA_MARK.*xfrm_mark\.v/);
    client.close();
  });

  test('the per-call options of every method', async () => {
    const { client, seen } = fakeClient();
    const sa = stateC();
    const pol = { selector: sel4(), dir: 1 };
    const calls: [string, (o: any) => Promise<unknown>][] = [
      ['addState', (o) => client.addState(sa, o)],
      ['updateState', (o) => client.updateState(sa, o)],
      ['getState', (o) => client.getState(saId(), o)],
      ['deleteState', (o) => client.deleteState(saId(), o)],
      ['listStates', async (o) => { for await (const _ of client.listStates({}, o)); }],
      ['flushStates', (o) => client.flushStates(IPPROTO_ESP, o)],
      ['countStates', (o) => client.countStates(o)],
      ['allocSpi', (o) => client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP }, o)],
      ['expireState', (o) => client.expireState(saId(), false, o)],
      ['getReplayState', (o) => client.getReplayState(saId(), o)],
      ['getReplayStates', (o) => client.getReplayStates([saId()], o)],
      ['setReplayState', (o) => client.setReplayState(saId(), { replayThresh: 1 }, o)],
      ['setReplayStates', (o) => client.setReplayStates([{ id: saId(), ae: { replayThresh: 1 } }], o)],
      ['addPolicy', (o) => client.addPolicy(pol, o)],
      ['updatePolicy', (o) => client.updatePolicy(pol, o)],
      ['getPolicy', (o) => client.getPolicy({ dir: 1, index: 9 }, o)],
      ['deletePolicy', (o) => client.deletePolicy({ dir: 1, index: 9 }, o)],
      ['listPolicies', async (o) => { for await (const _ of client.listPolicies(o)); }],
      ['flushPolicies', (o) => client.flushPolicies(0, o)],
      ['countPolicies', (o) => client.countPolicies(o)],
      ['setPolicyHashThresholds', (o) => client.setPolicyHashThresholds({}, o)],
      ['getDefaultPolicy', (o) => client.getDefaultPolicy(o)],
      ['setDefaultPolicy', (o) => client.setDefaultPolicy({}, o)],
      ['migrate', (o) => client.migrate({ selector: sel4(), dir: 1, migrations: [migration()] }, o)],
      ['migrateState', (o) => client.migrateState({ id: { daddr: '192.0.2.2', spi: 1, family: AF_INET, proto: IPPROTO_ESP }, newDaddr: '192.0.2.3', newSaddr: '192.0.2.1', oldMark: { v: 0, m: 0 }, newSel: anySelector(AF_INET), newReqid: 1, flags: 0, newFamily: AF_INET, reserved: 0 }, [], o)],
      ['addStates', (o) => client.addStates([sa], o)],
      ['addPolicies', (o) => client.addPolicies([pol], o)],
      ['deletePolicies', (o) => client.deletePolicies([{ dir: 1, index: 9 }], o)],
      ['deleteStates', (o) => client.deleteStates([saId()], o)],
    ];
    const problems: string[] = [];
    for (const [name, call] of calls) {
      for (const [opts, what] of [['SECRET', 'opts'], [{ timeoutMs: 'SECRET' }, 'opts.timeoutMs'], [{ timeoutMs: NaN }, 'opts.timeoutMs'], [{ signal: 'SECRET' }, 'opts.signal']] as const) {
        const err = await call(opts).catch((x: unknown) => x);
        if (!(err instanceof NetlinkEncodeError) || err.what !== what || err.message.includes('SECRET')) problems.push(`${name} ${what}: ${String(err)}`);
      }
      // The valid options pass.
      const ok = await call({ timeoutMs: 1000 }).catch((x: unknown) => x);
      if (ok instanceof NetlinkEncodeError) problems.push(`${name}: valid options refused: ${ok.message}`);
    }
    for (const [opts, what] of [[{ chunkSize: 'SECRET' }, 'opts.chunkSize'], [{ chunkSize: 1000 }, 'opts.chunkSize'], [{ update: 'SECRET' }, 'opts.update']] as const) {
      const err = await client.addStates([sa], opts as never).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(NetlinkEncodeError);
      expect((err as NetlinkEncodeError).what).toBe(what);
    }
    expect(problems).toEqual([]);
    expect(seen.every((m) => m.type !== 'XFRM_MSG_NEWSA' || m.body.id.spi === sa.spi)).toBe(true);
    client.close();
  });

  test('XfrmClient.open options are checked before any socket is opened', () => {
    const cases: [unknown, string][] = [
      [null, 'opts'],
      ['SECRET', 'opts'],
      [{ netns: 1 }, 'opts.netns'],
      [{ netns: '' }, 'opts.netns'],
      [{ timeoutMs: 'SECRET' }, 'opts.timeoutMs'],
      [{ timeoutMs: -1 }, 'opts.timeoutMs'],
      [{ rcvbuf: 1.5 }, 'opts.rcvbuf'],
      [{ transport: 'SECRET' }, 'opts.transport'],
      [{ eventTransport: {} }, 'opts.eventTransport'],
    ];
    for (const [opts, what] of cases) {
      let err: unknown;
      try {
        XfrmClient.open(opts as never).close();
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(NetlinkEncodeError);
      expect((err as NetlinkEncodeError).what).toBe(what);
      expect((err as Error).message).not.toContain('SECRET');
    }
  });

  test('the array argument of every bulk call', async () => {
    const { client } = fakeClient();
    const calls: [string, (v: any) => Promise<unknown>][] = [
      ['states', (v) => client.addStates(v)],
      ['policies', (v) => client.addPolicies(v)],
      ['ids', (v) => client.deleteStates(v)],
      ['ids', (v) => client.deletePolicies(v)],
      ['ids', (v) => client.getReplayStates(v)],
      ['list', (v) => client.setReplayStates(v)],
    ];
    for (const [what, call] of calls) {
      for (const bad of [null, undefined, 'SECRET', {}]) {
        const err = (await call(bad).catch((x: unknown) => x)) as NetlinkEncodeError;
        expect(err, `${what} = ${String(bad)}`).toBeInstanceOf(NetlinkEncodeError);
        expect(err.what).toBe(what);
      }
    }
    client.close();
  });
});

describe('issue 10 item 3: typed errors instead of TypeErrors', () => {
  test('addState(null), aead.key null, replayEsn without bmp: NetlinkEncodeError naming the field, nothing sent', async () => {
    const { client, seen } = fakeClient();
    const cases: [unknown, string][] = [
      [null, 'state'],
      [{ ...stateA(), aead: { name: 'rfc4106(gcm(aes))', key: null, icvLen: 128 } }, 'state.aead.key'],
      [{ ...stateA(), replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128 } }, 'state.replayEsn.bmp'],
      [{ ...stateA(), selector: null }, 'state.selector'],
    ];
    for (const [input, what] of cases) {
      const err = await client.addState(input as never).catch((x) => x);
      expect(err).toBeInstanceOf(NetlinkEncodeError);
      expect(err.what).toBe(what);
    }
    expect(seen).toEqual([]);
    client.close();
  });

  test('a key of the wrong type is named, never shown', async () => {
    const { client } = fakeClient();
    const err = await client.addState({ ...stateA(), aead: { name: 'rfc4106(gcm(aes))', key: '0x00112233445566778899' as never, icvLen: 128 } }).catch((x) => x);
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect(err.message).toBe('state.aead.key: expected a Uint8Array');
    client.close();
  });

  test('a snapshot-style SA message without algKey: stateFromMessage throws a typed error', () => {
    const info = {
      sel: anySelector(AF_INET), id: { daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP }, saddr: '192.0.2.1', lft: unlimitedLifetime(),
      curlft: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n }, stats: { replayWindow: 0, replay: 0, integrityFailed: 0 },
      seq: 0, reqid: 0, family: AF_INET, mode: 0, replayWindow: 0, flags: 0,
    };
    const attrs = [{ type: 'XFRMA_ALG_AEAD', value: { algName: 'rfc4106(gcm(aes))', algKeyLen: 160, algIcvLen: 128 } }];
    const err = (() => {
      try {
        stateFromMessage(info, attrs as never);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect((err as NetlinkEncodeError).what).toBe('XFRMA_ALG_AEAD.algKey');
    expect(() => stateFromMessage({} as never, [])).toThrow(NetlinkEncodeError);
  });

  test('setReplayState with the wrong replay kind is a NetlinkError (was a TypeError)', async () => {
    const kernel = new FakeKernel<XfrmMessage>({
      family: xfrmFamily,
      handler(req, k) {
        const m = req.message as XfrmMessage;
        if (m.type !== 'XFRM_MSG_GETAE') return k.ack(req);
        return [k.reply(req, { type: 'XFRM_MSG_NEWAE', body: m.body, attrs: [{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 0, seq: 0, bitmap: 0 } }] } as XfrmMessage), k.ack(req)];
      },
    });
    const client = XfrmClient.open({ transport: kernel.socket() });
    const err = await client
      .setReplayState(saId(), { replayEsn: { bmpLen: 1, oseq: 1, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [0] } })
      .catch((x) => x);
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect(err.what).toBe('ae.replayEsn');
    client.close();
  });

  test('bulk calls: a malformed entry fails in its own result, unsent; the others go on', async () => {
    const { client, seen } = fakeClient();
    const good = { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x10, proto: IPPROTO_ESP, aead: { name: 'rfc4106(gcm(aes))', key: key20(), icvLen: 128 } };
    const r = await client.addStates([good, { ...good, spi: 0x11, aead: { ...good.aead, key: null as never } }, { ...good, spi: 0x12 }]);
    expect(r.map((x) => x.ok)).toEqual([true, false, true]);
    expect(r[1]).toMatchObject({ ok: false, error: { name: 'NetlinkEncodeError', what: 'state.aead.key' } });
    const d = await client.deleteStates([{ daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP }, null as never, { daddr: 7 as never, spi: 1, proto: IPPROTO_ESP }]);
    expect(d.map((x) => x.ok)).toEqual([true, false, false]);
    expect(d.map((x) => (x.ok ? '' : (x.error as NetlinkEncodeError).what))).toEqual(['', 'ids[1]', 'ids[2].daddr']);
    const p = await client.addPolicies([{ selector: sel4(), dir: 1 }, { selector: sel4(), dir: 'out' as never }]);
    expect(p.map((x) => x.ok)).toEqual([true, false]);
    const pd = await client.deletePolicies([{ dir: 1, index: 9 }, { dir: 1 } as never]);
    expect(pd.map((x) => x.ok)).toEqual([true, false]);
    expect(seen.map((m) => m.type)).toEqual(['XFRM_MSG_NEWSA', 'XFRM_MSG_NEWSA', 'XFRM_MSG_DELSA', 'XFRM_MSG_NEWPOLICY', 'XFRM_MSG_DELPOLICY']);
    client.close();
  });
});

describe('issue 10 item 6: contradictory families are refused before sending', () => {
  const esp = { spi: 0x1000, proto: IPPROTO_ESP, aead: { name: 'rfc4106(gcm(aes))', key: key20(), icvLen: 128 } };

  async function refused(input: unknown, what: string, call: 'addState' | 'addPolicy' = 'addState') {
    const { client, seen } = fakeClient();
    const err = await (client[call] as (v: unknown) => Promise<void>)(input).catch((x) => x);
    client.close();
    expect(err, what).toBeInstanceOf(NetlinkEncodeError);
    expect(err.what).toBe(what);
    expect(seen).toEqual([]);
    return err as NetlinkEncodeError;
  }

  async function accepted(input: unknown, call: 'addState' | 'addPolicy' = 'addState') {
    const { client, seen } = fakeClient();
    await (client[call] as (v: unknown) => Promise<void>)(input);
    client.close();
    expect(seen.length).toBeGreaterThan(0);
    return seen[0]!;
  }

  test('IPv4 saddr with IPv6 daddr (the family came from daddr alone: read back as c000:201::)', async () => {
    const err = await refused({ ...esp, saddr: '192.0.2.1', daddr: '2001:db8::2' }, 'state.saddr');
    expect(err.message).toMatch(/IPv4 address in an SA of AF_INET6/);
    await refused({ ...esp, saddr: '2001:db8::1', daddr: '192.0.2.2' }, 'state.saddr');
  });

  test('family 10 with IPv4 addresses, family 2 with IPv6 ones, and an unknown family', async () => {
    await refused({ ...esp, family: AF_INET6, saddr: '192.0.2.1', daddr: '192.0.2.2' }, 'state.daddr');
    await refused({ ...esp, family: AF_INET, saddr: '2001:db8::1', daddr: '2001:db8::2' }, 'state.daddr');
    await refused({ ...esp, family: 7, saddr: '192.0.2.1', daddr: '192.0.2.2' }, 'state.family');
  });

  test('the unspecified address fits either family', async () => {
    const m = await accepted({ ...esp, saddr: '::', daddr: '192.0.2.2' });
    expect(m.type).toBe('XFRM_MSG_NEWSA');
    await accepted({ ...esp, family: AF_INET6, saddr: '0.0.0.0', daddr: '2001:db8::2' });
  });

  test('selector addresses must be in the selector family (or the SA family when it is 0)', async () => {
    await refused({ ...esp, saddr: '192.0.2.1', daddr: '192.0.2.2', selector: { ...anySelector(AF_INET), daddr: '2001:db8::' } }, 'state.selector.daddr');
    await refused({ ...esp, saddr: '192.0.2.1', daddr: '192.0.2.2', selector: { ...anySelector(0), saddr: '2001:db8::' } }, 'state.selector.saddr');
    await refused({ ...esp, saddr: '192.0.2.1', daddr: '192.0.2.2', selector: { ...anySelector(AF_INET), family: 99 } }, 'state.selector.family');
  });

  test('issue 13: a family-0 selector kept by XFRM_STATE_AF_UNSPEC cannot mix an IPv4 and an IPv6 address', async () => {
    const base = { ...esp, saddr: '192.0.2.1', daddr: '192.0.2.2', flags: XFRM_STATE_AF_UNSPEC };
    const err = await refused({ ...base, selector: { ...anySelector(0), saddr: '10.0.0.1', daddr: '2001:db8::1' } }, 'state.selector.saddr');
    expect(err.message).toMatch(/an IPv4 address in a family-0 selector whose daddr is of AF_INET6/);
    await refused({ ...base, selector: { ...anySelector(0), saddr: '2001:db8::1', daddr: '10.0.0.1' } }, 'state.selector.saddr');
    // One family, or the unspecified address beside either, is a selector the kernel can match.
    await accepted({ ...base, selector: { ...anySelector(0), saddr: '0.0.0.0', daddr: '2001:db8::1' } });
    await accepted({ ...base, selector: { ...anySelector(0), saddr: '2001:db8::2', daddr: '2001:db8::1' } });
  });

  test('transport mode: selector family must be the SA family; tunnel and BEET may carry the other one', async () => {
    const v6sel = { ...anySelector(AF_INET6), daddr: '2001:db8::', prefixlenD: 64 };
    await refused({ ...esp, mode: XFRM_MODE_TRANSPORT, saddr: '192.0.2.1', daddr: '192.0.2.2', selector: v6sel }, 'state.selector.family');
    const m = await accepted({ ...esp, mode: XFRM_MODE_TUNNEL, saddr: '192.0.2.1', daddr: '192.0.2.2', selector: v6sel });
    if (m.type !== 'XFRM_MSG_NEWSA') throw new Error(m.type);
    expect([m.body.family, m.body.sel.family, m.body.sel.daddr]).toEqual([AF_INET, AF_INET6, '2001:db8::']);
    await accepted({ ...esp, mode: XFRM_MODE_BEET, saddr: '192.0.2.1', daddr: '192.0.2.2', selector: v6sel });
  });

  test('the NAT-OA and care-of address are read in the SA family', async () => {
    const encap = { encapType: 2, encapSport: 4500, encapDport: 4500, encapOa: '2001:db8::5' };
    await refused({ ...esp, saddr: '192.0.2.1', daddr: '192.0.2.2', encap }, 'state.encap.encapOa');
    await accepted({ ...esp, saddr: '192.0.2.1', daddr: '192.0.2.2', encap: { ...encap, encapOa: '198.51.100.1' } });
    await refused({ ...esp, saddr: '2001:db8::1', daddr: '2001:db8::2', coaddr: '192.0.2.9' }, 'state.coaddr');
  });

  test('policies: selector family and addresses; template addresses against the template family', async () => {
    const tmpl = (t: Parameters<typeof template>[0]) => template(t);
    await refused({ selector: { ...sel4(), saddr: '2001:db8::1' }, dir: 1 }, 'policy.selector.saddr', 'addPolicy');
    await refused({ selector: anySelector(0), dir: 1 }, 'policy.selector.family', 'addPolicy');
    // family 0 in a template means the policy's family: its addresses must be in it.
    await refused(
      { selector: sel4(), dir: 1, templates: [{ ...tmpl({ proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL }), family: 0, saddr: '2001:db8::1', id: { daddr: '192.0.2.2', spi: 0, proto: IPPROTO_ESP } }] },
      'policy.templates[0].saddr',
      'addPolicy',
    );
    await refused(
      { selector: sel4(), dir: 1, templates: [tmpl({ proto: IPPROTO_ESP }), { ...tmpl({ proto: IPPROTO_ESP, family: AF_INET6, saddr: '2001:db8::1' }), id: { daddr: '192.0.2.2', spi: 0, proto: IPPROTO_ESP } }] },
      'policy.templates[1].id.daddr',
      'addPolicy',
    );
    // A transport-mode template cannot change the family (the kernel refuses it too).
    await refused(
      { selector: sel4(), dir: 1, templates: [tmpl({ proto: IPPROTO_ESP, family: AF_INET6, saddr: '2001:db8::1', daddr: '2001:db8::2', mode: XFRM_MODE_TRANSPORT })] },
      'policy.templates[0].family',
      'addPolicy',
    );
    // An IPv6-in-IPv4 tunnel: IPv6 selector, IPv4 template, each consistent in itself.
    const m = await accepted(
      { selector: { ...anySelector(AF_INET6), daddr: '2001:db8::', prefixlenD: 64 }, dir: 1, templates: [tmpl({ proto: IPPROTO_ESP, family: AF_INET, saddr: '192.0.2.1', daddr: '192.0.2.2', mode: XFRM_MODE_TUNNEL })] },
      'addPolicy',
    );
    expect(m.type).toBe('XFRM_MSG_NEWPOLICY');
  });

  test('restore of a snapshot entry with family 10 and IPv4 addresses fails for that entry, unsent', async () => {
    const { client, seen } = fakeClient();
    const body = {
      sel: anySelector(AF_INET6), id: { daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP }, saddr: '192.0.2.1', lft: unlimitedLifetime(),
      curlft: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n }, stats: { replayWindow: 0, replay: 0, integrityFailed: 0 },
      seq: 0, reqid: 1, family: AF_INET6, mode: XFRM_MODE_TUNNEL, replayWindow: 32, flags: 0,
    };
    const attrs = [
      { type: 'XFRMA_ALG_AEAD', value: { algName: 'rfc4106(gcm(aes))', algKey: key20(), algKeyLen: 160, algIcvLen: 128 } },
      { type: 'XFRMA_REPLAY_VAL', value: { oseq: 5, seq: 0, bitmap: 0 } },
    ];
    const sa = xfrmMessageToJson({ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body, attrs } as never, { showKeys: true });
    const snap = JSON.parse(JSON.stringify({ version: 1, takenAt: '2026-01-01T00:00:00Z', states: [{ sa }] })) as XfrmSnapshot;
    const err = await restore(client, snap, { outboundSeqMargin: 0 }).then(
      (r) => (r[0]!.ok ? undefined : r[0]!.error),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect((err as NetlinkEncodeError).what).toBe('state.daddr');
    expect(seen.filter((m) => m.type === 'XFRM_MSG_NEWSA')).toEqual([]);
    client.close();
  });

  test('lookups: id family and daddr agree', async () => {
    const { client } = fakeClient();
    const err = await client.getState({ daddr: '192.0.2.2', family: AF_INET6, spi: 1, proto: IPPROTO_ESP }).catch((x) => x);
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect(err.what).toBe('id.daddr');
    client.close();
  });
});

describe('issue 10 item 7: SPI 0', () => {
  const base = { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0 };
  test('refused for ESP, AH and IPComp on add and update, in bulk too; nothing is sent', async () => {
    const { client, seen } = fakeClient();
    const inputs = [
      { ...base, proto: IPPROTO_ESP, aead: { name: 'rfc4106(gcm(aes))', key: key20(), icvLen: 128 } },
      { ...base, proto: IPPROTO_AH, auth: { name: 'hmac(sha256)', key: new Uint8Array(32) } },
      { ...base, proto: IPPROTO_COMP, comp: 'deflate' },
    ];
    for (const sa of inputs) {
      for (const call of [(v: typeof sa) => client.addState(v), (v: typeof sa) => client.updateState(v)]) {
        const err = await call(sa).catch((x) => x);
        expect(err).toBeInstanceOf(NetlinkEncodeError);
        expect(err.what).toBe('state.spi');
      }
    }
    const r = await client.addStates(inputs);
    expect(r.map((x) => (x.ok ? 'ok' : (x.error as NetlinkEncodeError).what))).toEqual(['state.spi', 'state.spi', 'state.spi']);
    expect(seen).toEqual([]);
    client.close();
  });

  test('an IPComp CPI must fit 16 bits; SPI 1 is fine; allocSpi still sends its larval SPI 0', async () => {
    const { client, seen } = fakeClient();
    const err = await client.addState({ ...base, spi: 0x10000, proto: IPPROTO_COMP, comp: 'deflate' }).catch((x) => x);
    expect(err).toBeInstanceOf(NetlinkEncodeError);
    expect(err.what).toBe('state.spi');
    await client.addState({ ...base, spi: 1, proto: IPPROTO_COMP, comp: 'deflate' });
    await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP }).catch(() => undefined);
    expect(seen.map((m) => m.type)).toEqual(['XFRM_MSG_NEWSA', 'XFRM_MSG_ALLOCSPI']);
    client.close();
  });
});
