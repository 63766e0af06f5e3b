/** takeover(): the executor, on the stateful fake kernel (order, counters, HZ once, re-run, conflicts, failures, no keys). */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { XfrmClient, XfrmUnsupportedError } from '../../src/client/client.js';
import { completeState, type XfrmState } from '../../src/client/state.js';
import { template } from '../../src/client/policy.js';
import { HaMirror } from '../../src/ha/mirror.js';
import { type HaRecord } from '../../src/ha/records.js';
import { HaTakeoverConflictError, HaTakeoverRefusedError, takeover, type HaTakeoverReport } from '../../src/ha/index.js';
import { NetlinkEncodeError, NetlinkKernelError, NetlinkProtocolError } from '../../src/netlink/errors.js';
import { IPPROTO_ESP, XFRM_MODE_TUNNEL } from '../../src/xfrm/constants.js';
import { esnInboundSeq, esnOutboundSeq } from '../../src/xfrm/replay.js';
import { fakeXfrm } from '../cli/fake-xfrm.js';
import { esnSa, IN, KEY_A_HEX, legacySa, OUT, policy, Stream, XFRM_POLICY_IN, XFRM_POLICY_OUT } from './fixtures.js';

const larval = (spi: number): XfrmState => completeState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: IPPROTO_ESP });

/** SAs of the standard mirror: an outbound legacy SA, an inbound ESN SA, a legacy SA without dir, a larval SA. */
const SAS = (): XfrmState[] => [legacySa(0x1001, { dir: OUT }), esnSa(0x1002, { dir: IN }), legacySa(0x1003), larval(0x1004)];
const POLICIES = () => [policy(XFRM_POLICY_OUT), policy(XFRM_POLICY_IN)];

function mirrorOf(sas = SAS(), policies = POLICIES()): HaMirror {
  const m = new HaMirror();
  for (const r of new Stream().full(sas, policies, 100)) m.apply(r);
  return m;
}

function setup(hz = 250) {
  const f = fakeXfrm();
  f.config.hz = hz;
  const client = XfrmClient.open({ transport: f.kernel.socket() });
  return { f, client };
}

const id = (spi: number) => ({ daddr: '192.0.2.2', spi, proto: IPPROTO_ESP });
const types = (f: ReturnType<typeof fakeXfrm>, from = 0) => f.seen.slice(from).map((m) => String(m.type));
const count = (f: ReturnType<typeof fakeXfrm>, t: string, from = 0) => types(f, from).filter((x) => x === t).length;

async function liveCounters(client: XfrmClient, spi: number): Promise<{ oseq: bigint; seq: bigint }> {
  const s = await client.getState(id(spi));
  if (s.replayEsn) return { oseq: esnOutboundSeq(s.replayEsn), seq: esnInboundSeq(s.replayEsn) };
  return { oseq: BigInt(s.replay!.oseq), seq: BigInt(s.replay!.seq) };
}

/** Everything a report could show: util.inspect at full depth and JSON. */
function reportText(r: HaTakeoverReport): string {
  return inspect(r, { depth: null }) + JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? { name: v.name, message: v.message } : v));
}

describe('fresh install', () => {
  test('policies first, then SAs; counters as planned; timer threshold in jiffies with one HZ probe; larval skipped', async () => {
    const { f, client } = setup(250);
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(true);
    expect(r.policies.map((p) => p.status)).toEqual(['installed', 'installed']);
    expect(r.sas.map((s) => s.status)).toEqual(['installed', 'installed', 'installed', 'skipped']);
    expect(r.sas[3]!.reason).toMatch(/larval/);
    // Order on the kernel: every NEWPOLICY before the first NEWSA.
    const t = types(f).filter((x) => x === 'XFRM_MSG_NEWPOLICY' || x === 'XFRM_MSG_NEWSA');
    expect(t).toEqual(['XFRM_MSG_NEWPOLICY', 'XFRM_MSG_NEWPOLICY', 'XFRM_MSG_NEWSA', 'XFRM_MSG_NEWSA', 'XFRM_MSG_NEWSA']);
    // Counters in the kernel equal the plan's (legacySa: oseq 1000 seq 900; esnSa: seq 2^32+50).
    expect(await liveCounters(client, 0x1001)).toEqual({ oseq: 1200n, seq: 900n });
    expect(await liveCounters(client, 0x1002)).toEqual({ oseq: (2n << 32n) + 0xfffffff0n, seq: (1n << 32n) + 50n + 100n });
    expect(await liveCounters(client, 0x1003)).toEqual({ oseq: 1200n, seq: 1000n });
    expect(r.sas.slice(0, 3).map((s) => [s.oseq, s.seq])).toEqual([
      [1200n, undefined],
      [undefined, (1n << 32n) + 150n],
      [1200n, 1000n],
    ]);
    // etimerThresh 10 (× 100 ms) = 1 s = HZ jiffies, on every SA; HZ measured once (one GETAE, one NEWAE).
    for (const spi of [0x1001, 0x1002, 0x1003]) expect(f.sad.get(`192.0.2.2/${spi}/${IPPROTO_ESP}`)!.etimerJiffies).toBe(250);
    expect(r.hz).toBe(250);
    expect(count(f, 'XFRM_MSG_GETAE')).toBe(1);
    expect(count(f, 'XFRM_MSG_NEWAE')).toBe(1);
    expect(f.sad.get(`192.0.2.2/${0x1002}/${IPPROTO_ESP}`)!.replayThresh).toBe(100);
    client.close();
  });

  test('another HZ: jiffies follow the measured HZ', async () => {
    const { f, client } = setup(100);
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.hz).toBe(100);
    for (const spi of [0x1001, 0x1002, 0x1003]) expect(f.sad.get(`192.0.2.2/${spi}/${IPPROTO_ESP}`)!.etimerJiffies).toBe(100);
    client.close();
  });
});

describe('HZ probe', () => {
  test('an SA without a timer threshold first: the probe goes on the first SA that has one, every timer ends in jiffies', async () => {
    const { f, client } = setup(300);
    const m = new HaMirror();
    const st = new Stream();
    const recs = [
      st.next({ type: 'full-begin', takenAt: 1 }),
      st.next({ type: 'full-sa', sa: legacySa(0x2001), replayThresh: 100 }),
      st.next({ type: 'full-sa', sa: legacySa(0x2002), replayThresh: 100, etimerThresh: 10 }),
      st.next({ type: 'full-sa', sa: legacySa(0x2003), replayThresh: 100, etimerThresh: 20 }),
      st.next({ type: 'full-end', sas: 3, policies: 0 }),
    ] as HaRecord[];
    for (const r of recs) m.apply(r);
    const r = await takeover(client, m, { outboundSeqMargin: 200 });
    expect(r.sas.map((s) => s.status)).toEqual(['installed', 'installed', 'installed']);
    expect(r.hz).toBe(300);
    expect(f.sad.get(`192.0.2.2/${0x2001}/${IPPROTO_ESP}`)!.etimerJiffies).toBeUndefined();
    expect(f.sad.get(`192.0.2.2/${0x2002}/${IPPROTO_ESP}`)!.etimerJiffies).toBe(300);
    expect(f.sad.get(`192.0.2.2/${0x2003}/${IPPROTO_ESP}`)!.etimerJiffies).toBe(600);
    expect(count(f, 'XFRM_MSG_GETAE')).toBe(1);
    client.close();
  });

  test('the SAs reach the kernel in the plan\'s order, the probe SA in its place: the SA before it in a batch of its own, the SAs after it in one batch (installInOrder, shared with restore)', async () => {
    const { f, client } = setup(300);
    const m = new HaMirror();
    const st = new Stream();
    const recs = [
      st.next({ type: 'full-begin', takenAt: 1 }),
      st.next({ type: 'full-sa', sa: legacySa(0x2101), replayThresh: 100 }),
      st.next({ type: 'full-sa', sa: legacySa(0x2102), replayThresh: 100, etimerThresh: 10 }),
      ...[0x2103, 0x2104, 0x2105].map((spi) => st.next({ type: 'full-sa', sa: legacySa(spi), replayThresh: 100, etimerThresh: 20 })),
      st.next({ type: 'full-end', sas: 5, policies: 0 }),
    ] as HaRecord[];
    for (const r of recs) m.apply(r);
    const s0 = client.socket.stats.sendCalls;
    const r = await takeover(client, m, { outboundSeqMargin: 200 });
    expect(r.sas.every((s) => s.status === 'installed')).toBe(true);
    expect(f.seen.filter((x) => x.type === 'XFRM_MSG_NEWSA').map((x) => (x.type === 'XFRM_MSG_NEWSA' ? x.body.id.spi : 0))).toEqual([0x2101, 0x2102, 0x2103, 0x2104, 0x2105]);
    // the two dumps, a batch of one, the probe SA, its GETAE and NEWAE, the batch of three
    expect(client.socket.stats.sendCalls - s0).toBe(2 + 1 + 3 + 1);
    client.close();
  });
});

describe('newer SA fields (read back once, like addState)', () => {
  const dirMirror = (): HaMirror => mirrorOf([legacySa(0x2201, { dir: OUT }), legacySa(0x2202, { dir: OUT }), legacySa(0x2203), legacySa(0x2204, { dir: OUT })], []);

  test('on a standby whose kernel drops XFRMA_SA_DIR, the SAs asking for it fail with XfrmUnsupportedError and are not left installed; the others are installed', async () => {
    const { f, client } = setup();
    f.ignored.add('XFRMA_SA_DIR');
    const r = await takeover(client, dirMirror(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(false);
    expect(r.sas.map((s) => s.status)).toEqual(['failed', 'failed', 'installed', 'failed']);
    for (const k of [0, 1, 3]) {
      expect(r.sas[k]!.error).toBeInstanceOf(XfrmUnsupportedError);
      expect((r.sas[k]!.error as XfrmUnsupportedError).fields).toEqual(['dir']);
    }
    expect([0x2201, 0x2202, 0x2203, 0x2204].map((spi) => f.getSa('192.0.2.2', spi, IPPROTO_ESP) !== undefined)).toEqual([false, false, true, false]);
    client.close();
  });

  test('on a kernel that keeps it, only the first SA with a direction goes alone and is read back; the rest go in one batch', async () => {
    const { f, client } = setup();
    const s0 = client.socket.stats.sendCalls;
    const r = await takeover(client, dirMirror(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(true);
    // the SA dump, then one read-back
    expect(count(f, 'XFRM_MSG_GETSA')).toBe(2);
    // the two dumps; the first SA alone, its read-back, the HZ probe's GETAE and NEWAE; then one batch of three
    expect(client.socket.stats.sendCalls - s0).toBe(2 + 4 + 1);
    const dirs = await Promise.all([0x2201, 0x2202, 0x2203, 0x2204].map(async (spi) => (await client.getState(id(spi))).dir));
    expect(dirs).toEqual([OUT, OUT, undefined, OUT]);
    client.close();
  });
});

describe('re-run is harmless', () => {
  test('second run: everything present, nothing added, no counter changed', async () => {
    const { f, client } = setup();
    const m = mirrorOf();
    await takeover(client, m, { outboundSeqMargin: 200 });
    const before = await Promise.all([0x1001, 0x1002, 0x1003].map((s) => liveCounters(client, s)));
    const from = f.seen.length;
    const r = await takeover(client, m, { outboundSeqMargin: 200 });
    expect(r.ok).toBe(true);
    expect(r.policies.map((p) => p.status)).toEqual(['present', 'present']);
    expect(r.sas.map((s) => s.status)).toEqual(['present', 'present', 'present', 'skipped']);
    for (const t of ['XFRM_MSG_NEWSA', 'XFRM_MSG_NEWPOLICY', 'XFRM_MSG_NEWAE', 'XFRM_MSG_DELSA', 'XFRM_MSG_UPDSA']) expect(count(f, t, from)).toBe(0);
    expect(await Promise.all([0x1001, 0x1002, 0x1003].map((s) => liveCounters(client, s)))).toEqual(before);
    client.close();
  });

  test('a live SA with higher counters is not lowered (present, live values reported); a lower one is raised with NEWAE', async () => {
    const { f, client } = setup();
    // 0x1001 already carried traffic past the plan; 0x1003 was installed from an older mirror.
    await client.addState(legacySa(0x1001, { dir: OUT, replay: { oseq: 9000, seq: 0, bitmap: 0 } }));
    await client.addState(legacySa(0x1003, { replay: { oseq: 10, seq: 5, bitmap: 1 } }));
    const from = f.seen.length;
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(true);
    expect(r.sas.map((s) => s.status)).toEqual(['present', 'installed', 'raised', 'skipped']);
    expect(r.sas[0]!.oseq).toBe(9000n);
    expect(await liveCounters(client, 0x1001)).toEqual({ oseq: 9000n, seq: 0n });
    expect(await liveCounters(client, 0x1003)).toEqual({ oseq: 1200n, seq: 1000n });
    expect((await client.getState(id(0x1003))).replay!.bitmap).toBe(0xffffffff);
    expect(r.sas[2]!.reason).toBe('raised: oseq 10 -> 1200, seq 5 -> 1000 (window closed)');
    expect(count(f, 'XFRM_MSG_NEWSA', from)).toBe(1);
    expect(count(f, 'XFRM_MSG_DELSA', from)).toBe(0);
    client.close();
  });

  test('only the side that is behind is raised: a higher live inbound seq stays', async () => {
    const { client } = setup();
    await client.addState(legacySa(0x1003, { replay: { oseq: 10, seq: 5000, bitmap: 7 } }));
    const r = await takeover(client, mirrorOf([legacySa(0x1003)], []), { outboundSeqMargin: 200 });
    expect(r.sas[0]!.status).toBe('raised');
    expect(r.sas[0]!.seq).toBe(5000n);
    expect((await client.getState(id(0x1003))).replay).toEqual({ oseq: 1200, seq: 5000, bitmap: 7 });
    client.close();
  });

  test('counters that moved past the plan after the dump are re-read before the NEWAE and not lowered', async () => {
    const { f, client } = setup();
    await client.addState(legacySa(0x1003, { replay: { oseq: 10, seq: 5, bitmap: 1 } }));
    const moving = Object.create(client) as XfrmClient;
    moving.listStates = async function* () {
      yield* client.listStates();
      // Traffic on the SA right after the dump.
      await client.setReplayState(id(0x1003), { replay: { oseq: 5000, seq: 6000, bitmap: 3 } });
    };
    const from = f.seen.length;
    const r = await takeover(moving, mirrorOf([legacySa(0x1003)], []), { outboundSeqMargin: 200 });
    expect(r.sas[0]).toMatchObject({ status: 'present', oseq: 5000n, seq: 6000n });
    expect((await client.getState(id(0x1003))).replay).toEqual({ oseq: 5000, seq: 6000, bitmap: 3 });
    // The only NEWAE is the test's own "traffic": takeover sent none.
    expect(count(f, 'XFRM_MSG_NEWAE', from)).toBe(1);
    client.close();
  });

  test('installed by someone else between the dumps and the adds (EEXIST): read back and compared, not an error', async () => {
    const { f, client } = setup();
    await client.addState(legacySa(0x1003, { replay: { oseq: 10, seq: 5, bitmap: 1 } }));
    await client.addPolicy(policy(XFRM_POLICY_OUT));
    // Dumps that miss them: as if they appeared right after.
    const late = Object.create(client) as XfrmClient;
    late.listStates = async function* () {};
    late.listPolicies = async function* () {};
    const from = f.seen.length;
    const r = await takeover(late, mirrorOf([legacySa(0x1003)]), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(true);
    expect(r.policies.map((p) => p.status)).toEqual(['present', 'installed']);
    expect(r.sas.map((s) => s.status)).toEqual(['raised']);
    expect(count(f, 'XFRM_MSG_GETSA', from)).toBe(1);
    expect(count(f, 'XFRM_MSG_GETPOLICY', from)).toBe(1);
    expect(await liveCounters(client, 0x1003)).toEqual({ oseq: 1200n, seq: 1000n });
    client.close();
  });
});

describe('conflicts and failures', () => {
  test('a different SA and a different policy under the same identity are conflicts, left alone; keys never shown', async () => {
    const { f, client } = setup();
    const otherKey = new Uint8Array(20).fill(0x5a);
    await client.addState(legacySa(0x1001, { dir: OUT, aead: { name: 'rfc4106(gcm(aes))', key: otherKey, icvLen: 128 }, replay: { oseq: 3, seq: 0, bitmap: 0 } }));
    const other = policy(XFRM_POLICY_OUT);
    other.templates = [template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', mode: XFRM_MODE_TUNNEL, reqid: 99 })];
    await client.addPolicy(other);
    const from = f.seen.length;
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(false);
    expect(r.policies.map((p) => p.status)).toEqual(['failed', 'installed']);
    expect(r.policies[0]!.error).toBeInstanceOf(HaTakeoverConflictError);
    expect((r.policies[0]!.error as HaTakeoverConflictError).fields).toEqual(['templates']);
    expect(r.sas.map((s) => s.status)).toEqual(['failed', 'installed', 'installed', 'skipped']);
    const e = r.sas[0]!.error as HaTakeoverConflictError;
    expect(e).toBeInstanceOf(HaTakeoverConflictError);
    expect(e.fields).toEqual(['aead.key']);
    // Left alone: same key, same counter, nothing deleted or replaced.
    const live = await client.getState(id(0x1001));
    expect(Buffer.from(live.aead!.key).equals(Buffer.from(otherKey))).toBe(true);
    expect(live.replay!.oseq).toBe(3);
    expect((await client.getPolicy({ selector: other.selector, dir: XFRM_POLICY_OUT })).templates[0]!.reqid).toBe(99);
    for (const t of ['XFRM_MSG_DELSA', 'XFRM_MSG_DELPOLICY', 'XFRM_MSG_UPDPOLICY', 'XFRM_MSG_UPDSA']) expect(count(f, t, from)).toBe(0);
    expect(count(f, 'XFRM_MSG_NEWPOLICY', from)).toBe(1);
    const text = reportText(r);
    expect(text).not.toContain(KEY_A_HEX);
    expect(text).not.toContain('5a'.repeat(20));
    expect(text).not.toContain('Uint8Array');
    expect(text).not.toMatch(/171, 171|90, 90/);
    client.close();
  });

  test('a kernel error on one NEWSA fails only that SA; ok is false', async () => {
    const { f, client } = setup();
    // The first NEWSA is the HZ probe (alone); the second is the first of the batch.
    f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 12, after: 1 });
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(false);
    expect(r.sas.map((s) => s.status)).toEqual(['installed', 'failed', 'installed', 'skipped']);
    expect(r.sas[1]!.error).toBeInstanceOf(NetlinkKernelError);
    expect((r.sas[1]!.error as NetlinkKernelError).code).toBe('ENOMEM');
    expect(f.sad.has(`192.0.2.2/${0x1002}/${IPPROTO_ESP}`)).toBe(false);
    expect(f.sad.has(`192.0.2.2/${0x1003}/${IPPROTO_ESP}`)).toBe(true);
    expect(reportText(r)).not.toContain(KEY_A_HEX);
    client.close();
  });

  test('the probe SA failing: HZ is probed on the next SA, still once', async () => {
    const { f, client } = setup();
    f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 12 });
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.sas.map((s) => s.status)).toEqual(['failed', 'installed', 'installed', 'skipped']);
    expect(r.hz).toBe(250);
    expect(count(f, 'XFRM_MSG_GETAE')).toBe(1);
    for (const spi of [0x1002, 0x1003]) expect(f.sad.get(`192.0.2.2/${spi}/${IPPROTO_ESP}`)!.etimerJiffies).toBe(250);
    client.close();
  });

  test('a failing NEWPOLICY fails only that policy; the SAs are still installed', async () => {
    const { f, client } = setup();
    f.inject.push({ type: 'XFRM_MSG_NEWPOLICY', errno: 22, message: 'bad template' });
    const r = await takeover(client, mirrorOf(), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(false);
    expect(r.policies.map((p) => p.status)).toEqual(['failed', 'installed']);
    expect(r.sas.map((s) => s.status)).toEqual(['installed', 'installed', 'installed', 'skipped']);
    client.close();
  });

  test("an SA the plan could not prepare (32-bit seq overflow) is failed in the report with the plan's typed error; the rest installed", async () => {
    const { f, client } = setup();
    const r = await takeover(client, mirrorOf([legacySa(0x1005, { replay: { oseq: 0, seq: 0xffffffff - 10, bitmap: 0 } }), legacySa(0x1003)], []), { outboundSeqMargin: 200 });
    expect(r.ok).toBe(false);
    expect(r.sas.map((s) => s.status)).toEqual(['failed', 'installed']);
    expect(r.sas[0]!.error).toBeInstanceOf(NetlinkEncodeError);
    expect(f.sad.has(`192.0.2.2/${0x1005}/${IPPROTO_ESP}`)).toBe(false);
    client.close();
  });

  test('a refused plan throws before anything is sent', async () => {
    const { f, client } = setup();
    await expect(takeover(client, mirrorOf(), { outboundSeqMargin: 10 })).rejects.toBeInstanceOf(HaTakeoverRefusedError);
    await expect(takeover(client, new HaMirror(), { outboundSeqMargin: 1000 })).rejects.toBeInstanceOf(HaTakeoverRefusedError);
    expect(f.seen).toEqual([]);
    client.close();
  });

  test('a socket that dies mid-takeover throws (no per-item report of a dead socket)', async () => {
    const { f, client } = setup();
    // The socket closes right after the dumps: the policy batch cannot be sent.
    const dying = Object.create(client) as XfrmClient;
    dying.listStates = async function* () {
      yield* client.listStates();
      client.close();
    };
    await expect(takeover(dying, mirrorOf(), { outboundSeqMargin: 200 })).rejects.toBeInstanceOf(NetlinkProtocolError);
    expect(count(f, 'XFRM_MSG_NEWPOLICY')).toBe(0);
  });

  test('a socket that dies at the raise of an existing SA throws too', async () => {
    const { client } = setup();
    await client.addState(legacySa(0x1003, { replay: { oseq: 10, seq: 5, bitmap: 1 } }));
    const dying = Object.create(client) as XfrmClient;
    dying.setReplayState = async () => {
      client.close();
      await client.getReplayState(id(0x1003));
    };
    await expect(takeover(dying, mirrorOf([legacySa(0x1003)], []), { outboundSeqMargin: 200 })).rejects.toBeInstanceOf(NetlinkProtocolError);
  });
});
