/**
 * The takeover executor: installs a {@link HaTakeoverPlan} on this node — {@link takeover}.
 *
 * - **Idempotent.** The SAD and SPD are dumped once first: what is already there is compared,
 *   never re-added and never deleted. A second run sends no NEWSA/NEWPOLICY at all. An SA
 *   already present with the same keys only has its counters **raised** (NEWAE) where the
 *   plan's are higher: lowering a live counter would reuse sequence numbers (the peer drops
 *   them as replays; with AEAD a nonce would be reused). A different SA or policy in the way
 *   is a conflict: reported, left alone.
 * - **Batched.** Policies first, then SAs (see `planTakeover` for why), each kind in batches.
 * - **HZ once.** The kernel takes the timer threshold in jiffies; the first SA to add that has
 *   one is sent alone with a probe value, HZ is read back (GETAE) and the real value set
 *   (NEWAE); every later SA carries jiffies in its NEWSA (shared logic of `restore`).
 * - **One result per item**, failures included; the report holds no key material.
 * @module
 */
import { NetlinkError, NetlinkKernelError, NetlinkProtocolError, NetlinkSocketError } from '../netlink/errors.js';
import { XFRM_STATE_ESN } from '../xfrm/constants.js';
import { closeWindow, esnInboundSeq, esnOutboundSeq } from '../xfrm/replay.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { type XfrmClient, type XfrmPolicySelectorId, XfrmUnsupportedError } from '../client/client.js';
import { installInOrder, KernelFacts } from '../client/kernel-facts.js';
import { type XfrmPolicy } from '../client/policy.js';
import { type XfrmState } from '../client/state.js';
import { HaMirror, haSaKey } from './mirror.js';
import { haSaIdText, policySelectorIdOf, type HaSaId } from './records.js';
import { HaTakeoverRefusedError, planTakeover, type HaTakeoverOptions, type HaTakeoverPlan, type HaTakeoverSa, type HaTakeoverSource } from './takeover-plan.js';

/** What happened to one SA or policy. @group Live HA */
export type HaTakeoverStatus =
  /** Added by this run. */
  | 'installed'
  /** Already there, identical, counters at or above the plan's: nothing sent. */
  | 'present'
  /** Already there, identical; its outbound and/or inbound counter was raised to the plan's (NEWAE). */
  | 'raised'
  /** Not installed on purpose (a larval SA: no keys yet). */
  | 'skipped'
  /** Not installed: see `error`. */
  | 'failed';

/**
 * An SA or policy with the same identity exists on this node but is a different one (other
 * keys, algorithms, templates…). It is left in place: deleting it could cut live traffic.
 * Names the fields that differ, never their values.
 * @group Live HA
 */
export class HaTakeoverConflictError extends NetlinkError {
  /** The fields that differ, e.g. `['aead.key']`, `['templates']`. */
  readonly fields: readonly string[];
  /** @param what the item. @param fields the fields that differ. */
  constructor(what: string, fields: readonly string[]) {
    super(`${what}: a different one with the same identity is already installed (differs in ${fields.join(', ')}); left in place`);
    this.name = 'HaTakeoverConflictError';
    this.fields = fields;
  }
}

/** The outcome for one SA of the plan. No key material. @group Live HA */
export interface HaTakeoverSaResult {
  /** The SA. */
  id: HaSaId;
  /** What happened. */
  status: HaTakeoverStatus;
  /** Which sides the plan adjusted. */
  side: 'out' | 'in' | 'both';
  /** Outbound sequence number now in force (installed, or the live one if higher). */
  oseq?: bigint;
  /** Inbound sequence number now in force. */
  seq?: bigint;
  /** The plan's one-line explanation. */
  explanation: string;
  /** Why `'skipped'` or `'failed'`, or what was raised. */
  reason?: string;
  /** The typed error of a `'failed'` SA ({@link HaTakeoverConflictError}, `NetlinkKernelError`, …). */
  error?: Error;
}

/** The outcome for one policy of the plan. @group Live HA */
export interface HaTakeoverPolicyResult {
  /** Direction. */
  dir: number;
  /** Index the mirror knew the policy by. */
  index: number;
  /** The policy's selector identity (selector, dir, type, mark, ifId). */
  id: XfrmPolicySelectorId;
  /** `'installed'`, `'present'` or `'failed'`. */
  status: 'installed' | 'present' | 'failed';
  /** The typed error of a `'failed'` policy. */
  error?: Error;
}

/** What {@link takeover} did. @group Live HA */
export interface HaTakeoverReport {
  /** Every policy and every SA installed or present (skipped larval SAs do not count against it). */
  ok: boolean;
  /** One result per policy of the plan, in order. */
  policies: HaTakeoverPolicyResult[];
  /** One result per SA of the plan, in order. */
  sas: HaTakeoverSaResult[];
  /** Where the plan came from. */
  source: HaTakeoverSource;
  /** Kernel HZ, when it was measured (at most once per takeover). */
  hz?: number;
}

/** Options of {@link takeover}. @group Live HA */
export interface HaTakeoverRunOptions {
  /** Bytes per batch `sendmsg` (the client's default otherwise). */
  chunkSize?: number;
}

/** A failure of the socket itself (closed, timed out, a system call failed): nothing later can work either. */
function transportError(e: unknown): boolean {
  return e instanceof NetlinkProtocolError || e instanceof NetlinkSocketError;
}

/**
 * Is `e` a failure of one item (the kernel refused it, it cannot be encoded, a conflict),
 * rather than of the socket? Library errors wrapping a socket failure count as the socket's.
 */
function itemError(e: unknown): e is NetlinkError {
  return e instanceof NetlinkError && !transportError(e) && !transportError(e.cause);
}

/** JSON with bigints and byte arrays made comparable (used on non-secret fields only). */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Array.from(x) : x));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** The fields in which the live SA differs from the planned one (names only: keys are compared, never shown). */
function saDifferences(plan: XfrmState, live: XfrmState): string[] {
  const diff: string[] = [];
  if (plan.saddr !== live.saddr) diff.push('saddr');
  if (plan.family !== live.family) diff.push('family');
  if (plan.mode !== live.mode) diff.push('mode');
  if (plan.reqid !== live.reqid) diff.push('reqid');
  if ((plan.flags & XFRM_STATE_ESN) !== (live.flags & XFRM_STATE_ESN)) diff.push('flags.esn');
  if ((plan.dir ?? 0) !== (live.dir ?? 0) && live.dir !== undefined) diff.push('dir');
  for (const k of ['aead', 'auth', 'crypt'] as const) {
    const a = plan[k];
    const b = live[k];
    if (!a || !b) {
      if (a || b) diff.push(k);
      continue;
    }
    if (a.name !== b.name) diff.push(`${k}.name`);
    if (!sameBytes(a.key, b.key)) diff.push(`${k}.key`);
    if (k === 'aead' && plan.aead!.icvLen !== live.aead!.icvLen) diff.push('aead.icvLen');
    if (k === 'auth' && (plan.auth!.truncLen ?? 0) !== (live.auth!.truncLen ?? 0) && plan.auth!.truncLen !== undefined && live.auth!.truncLen !== undefined) diff.push('auth.truncLen');
  }
  if (plan.comp !== live.comp) diff.push('comp');
  return diff;
}

/** The kernel's identity of a policy: selector, dir, type, mark, if_id. */
function policyKey(p: XfrmPolicy): string {
  return canon([p.selector, p.dir, p.type ?? 0, p.mark ? [p.mark.v >>> 0, p.mark.m >>> 0] : [0, 0], p.ifId ?? 0]);
}

/** Fields in which two policies of the same identity differ in what they do. */
function policyDifferences(plan: XfrmPolicy, live: XfrmPolicy): string[] {
  const diff: string[] = [];
  if (plan.action !== live.action) diff.push('action');
  if (canon(plan.templates) !== canon(live.templates)) diff.push('templates');
  return diff;
}

/** Counters of a replay state: outbound (64-bit under ESN) and inbound. */
function counters(s: XfrmState): { oseq: bigint; seq: bigint } {
  if (s.replayEsn) return { oseq: esnOutboundSeq(s.replayEsn), seq: esnInboundSeq(s.replayEsn) };
  return { oseq: BigInt((s.replay?.oseq ?? 0) >>> 0), seq: BigInt((s.replay?.seq ?? 0) >>> 0) };
}

/**
 * The replay state that raises `live` to the plan where the plan is higher, side by side:
 * the outbound counter to the plan's, the inbound one to the plan's with the window closed.
 * Undefined when nothing is to be raised.
 */
function raisedReplay(plan: HaTakeoverSa, live: XfrmState): { replay?: XfrmReplayState; replayEsn?: XfrmReplayStateEsn; what: string[] } | undefined {
  const cur = counters(live);
  const what: string[] = [];
  const upOut = plan.oseq !== undefined && plan.oseq > cur.oseq;
  const upIn = plan.seq !== undefined && plan.seq > cur.seq;
  if (upOut) what.push(`oseq ${cur.oseq} -> ${plan.oseq}`);
  if (upIn) what.push(`seq ${cur.seq} -> ${plan.seq} (window closed)`);
  if (!upOut && !upIn) return undefined;
  if (live.replayEsn) {
    let r: XfrmReplayStateEsn = { ...live.replayEsn, bmp: [...live.replayEsn.bmp] };
    const esn = (live.flags & XFRM_STATE_ESN) !== 0;
    if (upOut) r = { ...r, oseq: Number(plan.oseq! & 0xffffffffn), oseqHi: esn ? Number(plan.oseq! >> 32n) : r.oseqHi };
    if (upIn) {
      r = { ...r, seq: Number(plan.seq! & 0xffffffffn), seqHi: esn ? Number(plan.seq! >> 32n) : r.seqHi };
      if (r.replayWindow > 0) r = closeWindow(r);
    }
    return { replayEsn: r, what };
  }
  let r: XfrmReplayState = { ...(live.replay ?? { oseq: 0, seq: 0, bitmap: 0 }) };
  if (upOut) r.oseq = Number(plan.oseq!);
  if (upIn) r = closeWindow({ ...r, seq: Number(plan.seq!) });
  return { replay: r, what };
}

/**
 * Install a takeover plan (or plan it first from a mirror: `planTakeover(source, opts)`).
 * Policies are installed before SAs, both in batches; anything already present is compared
 * and kept (see the module description). Never throws for one bad item: each gets its result.
 * @throws {@link HaTakeoverRefusedError} when the plan is refused (mirror incomplete, margin
 *   below a threshold without `force`…), or the socket's error when the kernel cannot be
 *   reached at all (the dumps or a batch fail as a whole).
 * @group Live HA
 */
export async function takeover(
  client: XfrmClient,
  source: HaTakeoverPlan | HaMirror,
  opts?: HaTakeoverOptions & HaTakeoverRunOptions,
): Promise<HaTakeoverReport> {
  let plan: HaTakeoverPlan;
  if (source instanceof HaMirror) {
    if (!opts) throw new HaTakeoverRefusedError('outboundSeqMargin: required to plan a takeover from a mirror');
    plan = planTakeover(source, opts);
  } else plan = source;
  const batchOpts = opts?.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {};

  // One dump of each table: what is already installed (a re-run, or a half-done takeover).
  const livePolicies = new Map<string, XfrmPolicy>();
  for await (const p of client.listPolicies()) livePolicies.set(policyKey(p), p);
  const liveSas = new Map<string, XfrmState>();
  for await (const s of client.listStates()) liveSas.set(haSaKey({ daddr: s.daddr, spi: s.spi, proto: s.proto, ...(s.mark ? { mark: s.mark } : {}) }), s);

  const policies = await installPolicies(client, plan.policies, livePolicies, batchOpts);

  const facts = new KernelFacts();
  const sas: HaTakeoverSaResult[] = plan.sas.map((p) => {
    const r: HaTakeoverSaResult = { id: p.id, status: p.status === 'install' ? 'installed' : p.status, side: p.side, explanation: p.explanation };
    if (p.oseq !== undefined) r.oseq = p.oseq;
    if (p.seq !== undefined) r.seq = p.seq;
    if (p.reason !== undefined) r.reason = p.reason;
    if (p.error) r.error = p.error;
    return r;
  });
  const toAdd: number[] = [];
  for (let i = 0; i < plan.sas.length; i++) {
    const p = plan.sas[i]!;
    if (p.status !== 'install' || !p.state) continue;
    const live = liveSas.get(haSaKey(p.id));
    if (live) await settleExisting(client, p, live, sas[i]!);
    else toAdd.push(i);
  }

  // HZ: the first SA with a timer threshold goes alone with the probe (the next one if it
  // fails), the SAs around it in batches with jiffies (shared with restore). An SA with a
  // newer field this kernel was not yet seen to keep goes alone too, to be read back.
  await installInOrder(
    toAdd,
    (i) => facts.needsProbe(plan.sas[i]!.etimerThresh) || facts.unconfirmed(plan.sas[i]!.state!),
    (i) => addBatch(client, plan, [i], sas, facts, batchOpts),
    (run) => addBatch(client, plan, run, sas, facts, batchOpts),
  );

  const ok = policies.every((r) => r.status !== 'failed') && sas.every((r) => r.status !== 'failed');
  return { ok, policies, sas, source: plan.source, ...(facts.hz !== undefined ? { hz: facts.hz } : {}) };
}

async function installPolicies(
  client: XfrmClient,
  list: readonly XfrmPolicy[],
  live: Map<string, XfrmPolicy>,
  batchOpts: { chunkSize?: number },
): Promise<HaTakeoverPolicyResult[]> {
  const results: HaTakeoverPolicyResult[] = list.map((p) => ({ dir: p.dir, index: p.index, id: policySelectorIdOf(p), status: 'installed' }));
  const compare = (i: number, existing: XfrmPolicy): void => {
    const diff = policyDifferences(list[i]!, existing);
    if (diff.length === 0) results[i]!.status = 'present';
    else Object.assign(results[i]!, { status: 'failed', error: new HaTakeoverConflictError(`policy dir ${list[i]!.dir} index ${list[i]!.index}`, diff) });
  };
  const toAdd: number[] = [];
  list.forEach((p, i) => {
    const existing = live.get(policyKey(p));
    if (existing) compare(i, existing);
    else toAdd.push(i);
  });
  if (toAdd.length === 0) return results;
  const added = await client.addPolicies(
    toAdd.map((i) => list[i]!),
    batchOpts,
  );
  for (let k = 0; k < toAdd.length; k++) {
    const i = toAdd[k]!;
    const r = added[k]!;
    if (r.ok) continue;
    if (r.error instanceof NetlinkKernelError && r.error.code === 'EEXIST') {
      // Added by someone else since the dump: compare it like a dumped one.
      try {
        compare(i, await client.getPolicy(results[i]!.id));
        continue;
      } catch (e) {
        if (!itemError(e)) throw e;
        Object.assign(results[i]!, { status: 'failed', error: e });
        continue;
      }
    }
    Object.assign(results[i]!, { status: 'failed', error: r.error });
  }
  return results;
}

/** An SA that is already installed: same SA → present or raised; another → conflict. Never deleted, never lowered. */
async function settleExisting(client: XfrmClient, p: HaTakeoverSa, live: XfrmState, r: HaTakeoverSaResult): Promise<void> {
  const fail = (error: Error): void => {
    r.status = 'failed';
    r.error = error;
    r.reason = error.message;
  };
  const diff = saDifferences(p.state!, live);
  if (diff.length > 0) return fail(new HaTakeoverConflictError(`SA ${haSaIdText(p.id)}`, diff));
  let fresh = live;
  if (raisedReplay(p, live)) {
    // The dump may be old by now (this node may be sending on the SA): re-read the counters
    // just before the NEWAE, so a counter that moved past the plan meanwhile is not lowered.
    try {
      const ae = await client.getReplayState(p.id);
      fresh = { ...live };
      delete fresh.replay;
      delete fresh.replayEsn;
      if (ae.replayEsn) fresh.replayEsn = ae.replayEsn;
      else if (ae.replay) fresh.replay = ae.replay;
    } catch (e) {
      if (!itemError(e)) throw e;
      return fail(e);
    }
  }
  const up = raisedReplay(p, fresh);
  const cur = counters(fresh);
  if (!up) {
    r.status = 'present';
    // What is in force is the live counters (at or above the plan's).
    if (r.oseq !== undefined) r.oseq = cur.oseq;
    if (r.seq !== undefined) r.seq = cur.seq;
    return;
  }
  try {
    await client.setReplayState(p.id, up.replayEsn ? { replayEsn: up.replayEsn } : { replay: up.replay! });
  } catch (e) {
    if (!itemError(e)) throw e;
    return fail(e);
  }
  r.status = 'raised';
  r.reason = `raised: ${up.what.join(', ')}`;
  if (r.oseq !== undefined && cur.oseq > r.oseq) r.oseq = cur.oseq;
  if (r.seq !== undefined && cur.seq > r.seq) r.seq = cur.seq;
}

/**
 * Add the SAs at `indexes` of the plan in one batch call, timer thresholds in jiffies (or the
 * HZ probe). An SA with a newer field not yet seen kept (it came alone) is read back: if the
 * kernel dropped the field, the SA is deleted again and fails with {@link XfrmUnsupportedError},
 * as `addState` does — a standby on an older kernel than the active's must not take over with
 * SAs that silently lost their direction, output mark or interface id.
 */
async function addBatch(
  client: XfrmClient,
  plan: HaTakeoverPlan,
  indexes: readonly number[],
  results: HaTakeoverSaResult[],
  facts: KernelFacts,
  batchOpts: { chunkSize?: number },
): Promise<void> {
  const sent = indexes.map((i) => facts.timerToSend(plan.sas[i]!.etimerThresh));
  const states = indexes.map((i, k) => {
    const s: XfrmState = { ...plan.sas[i]!.state! };
    if (sent[k] !== undefined) s.etimerThresh = sent[k];
    return s;
  });
  const unconfirmed = states.map((s) => facts.unconfirmed(s));
  // addStates sends the current lifetime counters (withCurrent), like restore.
  const added = await client.addStates(states, batchOpts);
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k]!;
    const p = plan.sas[i]!;
    const r = results[i]!;
    const a = added[k]!;
    try {
      if (a.ok && unconfirmed[k]) {
        const dropped = await facts.readBack(client, p.id, states[k]!);
        if (dropped.length > 0) {
          await client.deleteState(p.id).catch(() => undefined);
          const error = new XfrmUnsupportedError(dropped, 'XFRM_MSG_NEWSA');
          Object.assign(r, { status: 'failed', error, reason: error.message });
          continue;
        }
      }
      if (!a.ok) {
        if (a.error instanceof NetlinkKernelError && a.error.code === 'EEXIST') {
          // Installed by someone else since the dump: read it back and treat it like a dumped one.
          await settleExisting(client, p, await client.getState(p.id), r);
          continue;
        }
        r.status = 'failed';
        r.error = a.error;
        r.reason = a.error.message;
        continue;
      }
      await facts.settleTimer(client, p.id, p.etimerThresh, sent[k]);
    } catch (e) {
      // (settleTimer's error after a successful add says the SA is in place but its timer is not.)
      if (!itemError(e)) throw e;
      r.status = 'failed';
      r.error = e as Error;
      r.reason = (e as Error).message;
    }
  }
}
