/**
 * What a takeover installs, computed from the mirror without touching the kernel:
 * {@link planTakeover}. (The executor that sends it in batches is a separate step.)
 *
 * The mirror's counters are behind the dead node's by up to the replay threshold in force
 * (the kernel sends an aevent only after `replay_maxdiff` packets, or on the timer), plus
 * whatever was in flight on the sync link (XFRM-ABI.md, Errata: HA sync). So:
 * - **Outbound** (dir OUT, or no dir): `oseq` = last synced + `outboundSeqMargin`, 64-bit
 *   with a carry into `oseqHi` under ESN. A margin below the threshold in force could reuse
 *   sequence numbers the dead node already sent (the peer drops them as replays; with AEAD
 *   it would reuse a nonce): refused unless `force`.
 * - **Inbound** (dir IN, or no dir): `seq` = last synced + the threshold, every bit of the
 *   window set: packets the dead node may have accepted after its last aevent are rejected
 *   as replays if an attacker (or the network) sends them again.
 * - An SA without a dir gets both: an SA only ever sends or only ever receives on a node, so
 *   the side it does not use is never consulted.
 * - Larval SAs (no keys yet) are never installed; they are listed as skipped.
 * @module
 */
import { NetlinkEncodeError, NetlinkError } from '../netlink/errors.js';
import { XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT, XFRM_STATE_ESN } from '../xfrm/constants.js';
import { advanceOutbound, checkReplayEsnBounds, closeWindow, esnInboundSeq, esnOutboundSeq, XFRM_LEGACY_REPLAY_WINDOW_MAX } from '../xfrm/replay.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { larvalReason } from '../client/ha.js';
import { type XfrmPolicy } from '../client/policy.js';
import { type XfrmState } from '../client/state.js';
import { type HaMirror, type HaMirrorSa } from './mirror.js';
import { haSaIdText, type HaSaId } from './records.js';

/** Options of {@link planTakeover}. @group Live HA */
export interface HaTakeoverOptions {
  /**
   * Added to each outbound SA's last synced `oseq`. Must cover the packets an SA can send
   * between two aevents (the replay threshold in force) plus those sent while the last
   * aevent travelled to the standby (rate × sync lag).
   */
  outboundSeqMargin: number | bigint;
  /** Install even where the margin is below the threshold in force, or no threshold is known. */
  force?: boolean;
}

/** Why an SA's plan cannot be trusted without `force`. @group Live HA */
export type HaTakeoverProblemKind =
  /** The margin is below the replay threshold in force on the active node. */
  | 'margin-below-threshold'
  /** No replay threshold is known for the SA (or it is 0: the kernel then reports on the timer only), so nothing bounds how far behind the mirror is. */
  | 'threshold-unknown';

/** One reason an SA's plan is unsafe without `force`. @group Live HA */
export interface HaTakeoverProblem {
  /** The SA. */
  id: HaSaId;
  /** What is wrong. */
  kind: HaTakeoverProblemKind;
  /** Human-readable detail. */
  detail: string;
}

/** The plan for one SA of the mirror. @group Live HA */
export interface HaTakeoverSa {
  /** The SA. */
  id: HaSaId;
  /** `'install'`, `'skipped'` (larval) or `'failed'` (cannot be installed safely: see `error`). */
  status: 'install' | 'skipped' | 'failed';
  /** Which sides were adjusted: `'out'`, `'in'` or `'both'` (no dir). */
  side: 'out' | 'in' | 'both';
  /** Whether the SA uses ESN (64-bit sequence numbers). */
  esn: boolean;
  /** The state to install (status `'install'`): keys, adjusted replay state, lifetime counters, replay threshold. */
  state?: XfrmState;
  /** Timer threshold in force on the active node, in 100 ms units (the executor converts it to jiffies). */
  etimerThresh?: number;
  /** Replay threshold in force on the active node (packets). */
  replayThresh?: number;
  /** When the counters were read on the active node (ms), if known. */
  syncedAt?: number;
  /** Last synced outbound sequence number (outbound sides). */
  syncedOseq?: bigint;
  /** Outbound sequence number installed: `syncedOseq + margin`. */
  oseq?: bigint;
  /** The margin applied. */
  margin?: bigint;
  /** Last synced highest received sequence number (inbound sides). */
  syncedSeq?: bigint;
  /** Inbound sequence number installed: `syncedSeq + inboundAdvance`. */
  seq?: bigint;
  /** What was added to the inbound sequence number (the threshold, or the margin when forced without one). */
  inboundAdvance?: bigint;
  /** Problems overridden by `force` (empty without force: the plan is refused instead). */
  forced: HaTakeoverProblem[];
  /** Why `'skipped'` or `'failed'`. */
  reason?: string;
  /** The typed error of a `'failed'` SA. */
  error?: Error;
  /** One line for the report, e.g. `out: oseq 1000 + margin 4096 = 5096`. */
  explanation: string;
}

/** A step that installs a policy. */
export interface HaTakeoverPolicyStep {
  /** Discriminant. */
  kind: 'policy';
  /** The policy (its kernel index kept). */
  policy: XfrmPolicy;
}
/** A step that installs an SA. */
export interface HaTakeoverSaStep {
  /** Discriminant. */
  kind: 'sa';
  /** The SA's plan (status `'install'`, `state` set). */
  sa: HaTakeoverSa;
}
/** One step of the plan, in the order to execute. @group Live HA */
export type HaTakeoverStep = HaTakeoverPolicyStep | HaTakeoverSaStep;

/** Where a plan comes from. @group Live HA */
export interface HaTakeoverSource {
  /** Epoch of the mirror's committed state. */
  epoch?: string;
  /** Last `seq` the mirror applied. */
  lastSeq: number;
  /** Oldest `syncedAt` among its SAs (ms): how stale the least-known SA is. */
  oldestSyncedAt?: number;
}

/** The whole plan. @group Live HA */
export interface HaTakeoverPlan {
  /** Steps in execution order: every policy, then every SA to install (see {@link planTakeover} for why). */
  steps: HaTakeoverStep[];
  /** Every SA of the mirror with its plan, installable or not. */
  sas: HaTakeoverSa[];
  /** The policies to install. */
  policies: XfrmPolicy[];
  /** Epoch and last seq of the mirror the plan comes from. */
  source: HaTakeoverSource;
}

/**
 * The takeover cannot be planned: the mirror has no complete full state, the margin is not a
 * valid number, or (without `force`) some SAs' margin is below their threshold or their
 * threshold is unknown — all of them are listed in {@link problems}.
 * @group Live HA
 */
export class HaTakeoverRefusedError extends NetlinkError {
  /** The SAs and why (empty for a mirror-level refusal). */
  readonly problems: readonly HaTakeoverProblem[];
  /** @param message what is wrong. @param problems per SA. */
  constructor(message: string, problems: readonly HaTakeoverProblem[] = []) {
    super(message);
    this.name = 'HaTakeoverRefusedError';
    this.problems = problems;
  }
}

/** `esp spi 0x00001000 dst 192.0.2.2`. */
/**
 * Compute what a takeover installs (see the module description for the rules).
 *
 * Order: **policies first, then SAs.** With a policy but no SA yet, the kernel drops matching
 * traffic (outbound: an ACQUIRE and a larval placeholder, which the later NEWSA of the same
 * reqid replaces; inbound: no state to decrypt with) — it fails closed. The other order would
 * leave a moment with SAs but no policy, during which outbound traffic leaves **in clear**.
 * SAs keep the mirror's order; policies keep their kernel index so later deletes by index match.
 * @throws {@link HaTakeoverRefusedError} as described on the class.
 * @group Live HA
 */
export function planTakeover(mirror: HaMirror, opts: HaTakeoverOptions): HaTakeoverPlan {
  if (!mirror.complete) throw new HaTakeoverRefusedError('the mirror has no complete full state: nothing is known to take over');
  let margin: bigint;
  try {
    margin = BigInt(opts.outboundSeqMargin);
  } catch {
    throw new HaTakeoverRefusedError('outboundSeqMargin: not an integer');
  }
  if (margin < 0n || margin > 0xffffffffffffffffn) throw new HaTakeoverRefusedError('outboundSeqMargin: must be from 0 to 2^64 - 1');
  const force = opts.force === true;
  const sas = mirror.sas().map((e) => planSa(e, margin, force));
  const problems = sas.flatMap((s) => s.forced);
  if (!force && problems.length > 0) {
    const list = problems.map((p) => `${haSaIdText(p.id)}: ${p.detail}`).join('; ');
    throw new HaTakeoverRefusedError(`takeover refused for ${problems.length} SA(s) (use force to install anyway): ${list}`, problems);
  }
  const policies = mirror.policies().map((p) => {
    const q: XfrmPolicy = { ...p };
    delete q.current;
    return q;
  });
  const summary = mirror.summary();
  return {
    steps: [...policies.map((policy) => ({ kind: 'policy' as const, policy })), ...sas.filter((s) => s.status === 'install').map((sa) => ({ kind: 'sa' as const, sa }))],
    sas,
    policies,
    source: {
      ...(summary.stateEpoch !== undefined ? { epoch: summary.stateEpoch } : {}),
      lastSeq: summary.lastSeq,
      ...(summary.oldestSyncedAt !== undefined ? { oldestSyncedAt: summary.oldestSyncedAt } : {}),
    },
  };
}

function planSa(e: HaMirrorSa, margin: bigint, force: boolean): HaTakeoverSa {
  const s = e.sa;
  const esn = (s.flags & XFRM_STATE_ESN) !== 0;
  const out = s.dir !== XFRM_SA_DIR_IN;
  const inb = s.dir !== XFRM_SA_DIR_OUT;
  const side = out && inb ? 'both' : out ? 'out' : 'in';
  const plan: HaTakeoverSa = { id: e.id, status: 'install', side, esn, forced: [], explanation: '' };
  if (e.replayThresh !== undefined) plan.replayThresh = e.replayThresh;
  if (e.etimerThresh !== undefined) plan.etimerThresh = e.etimerThresh;
  if (e.syncedAt !== undefined) plan.syncedAt = e.syncedAt;
  const larval = larvalReason(s);
  if (larval !== undefined) {
    plan.status = 'skipped';
    plan.reason = larval;
    plan.explanation = `skipped: ${larval}`;
    return plan;
  }
  const fail = (error: Error): HaTakeoverSa => {
    plan.status = 'failed';
    plan.error = error;
    plan.reason = error.message;
    plan.explanation = `not installed: ${error.message}`;
    return plan;
  };
  // The kernel's own limits first (XFRM-ABI.md §7.1, §7.3): nothing is sized by a bad field.
  try {
    if (s.replayEsn) checkReplayEsnBounds(s.replayEsn);
    else if (esn) throw new NetlinkEncodeError('XFRMA_REPLAY_ESN_VAL', 'missing: the SA has the ESN flag');
    else if (s.replayWindow > XFRM_LEGACY_REPLAY_WINDOW_MAX) {
      throw new NetlinkEncodeError('xfrm_usersa_info.replay_window', `${s.replayWindow}: the kernel's legacy window is at most ${XFRM_LEGACY_REPLAY_WINDOW_MAX}`);
    }
  } catch (err) {
    if (err instanceof NetlinkError) return fail(err);
    throw err;
  }
  const thresh = e.replayThresh ?? 0;
  const bounded = thresh > 0;
  if (!bounded) {
    plan.forced.push({ id: e.id, kind: 'threshold-unknown', detail: e.replayThresh === undefined ? 'no replay threshold known for this SA' : 'replay threshold 0 (aevents on the timer only): no bound on the unsynced packets' });
  } else if (out && margin < BigInt(thresh)) {
    plan.forced.push({ id: e.id, kind: 'margin-below-threshold', detail: `margin ${margin} is below the replay threshold ${thresh} in force` });
  }
  const parts: string[] = [];
  let replay: XfrmReplayState | undefined = s.replay;
  let replayEsn: XfrmReplayStateEsn | undefined = s.replayEsn;
  try {
    if (out) {
      if (replayEsn) {
        plan.syncedOseq = esnOutboundSeq(replayEsn);
        replayEsn = advanceOutbound(replayEsn, margin, esn);
        plan.oseq = esnOutboundSeq(replayEsn);
      } else {
        const r = replay ?? { oseq: 0, seq: 0, bitmap: 0 };
        plan.syncedOseq = BigInt(r.oseq >>> 0);
        replay = advanceOutbound(r, margin, false);
        plan.oseq = BigInt(replay.oseq >>> 0);
      }
      plan.margin = margin;
      parts.push(`out: oseq ${plan.syncedOseq} + margin ${margin} = ${plan.oseq}${esn ? ' (ESN)' : ''}`);
    }
    if (inb) {
      // Without a known threshold (only reachable with force) the operator's margin is the only bound there is.
      const adv = bounded ? BigInt(thresh) : margin;
      plan.inboundAdvance = adv;
      if (replayEsn) {
        const synced = esnInboundSeq(replayEsn);
        const next = synced + adv;
        if (next > (esn ? 0xffffffffffffffffn : 0xffffffffn)) throw new NetlinkEncodeError('seq', `seq ${synced} + ${adv} passes ${esn ? '2^64 - 1' : '2^32 - 1'}`);
        replayEsn = { ...replayEsn, seq: Number(next & 0xffffffffn), seqHi: esn ? Number(next >> 32n) : replayEsn.seqHi };
        if (replayEsn.replayWindow > 0) replayEsn = closeWindow(replayEsn);
        plan.syncedSeq = synced;
        plan.seq = next;
      } else {
        const r = replay ?? { oseq: 0, seq: 0, bitmap: 0 };
        const synced = BigInt(r.seq >>> 0);
        const next = synced + adv;
        // Legacy sequence numbers are 32-bit: past 2^32 - 1 the SA is exhausted (it needed a rekey).
        if (next > 0xffffffffn) throw new NetlinkEncodeError('seq', `seq ${synced} + ${adv} passes 4294967295 (32-bit sequence numbers without ESN)`);
        replay = closeWindow({ ...r, seq: Number(next) });
        plan.syncedSeq = synced;
        plan.seq = next;
      }
      parts.push(`in: seq ${plan.syncedSeq} + ${bounded ? `threshold ${thresh}` : `margin ${adv} (no threshold known, forced)`} = ${plan.seq}, window closed`);
    }
  } catch (err) {
    if (err instanceof NetlinkError) return fail(err);
    throw err;
  }
  const state: XfrmState = { ...s };
  delete state.replay;
  delete state.replayEsn;
  if (replayEsn) state.replayEsn = replayEsn;
  else if (replay) state.replay = replay;
  delete state.stats;
  delete state.lastUsed;
  // The timer threshold is written in jiffies: the executor converts plan.etimerThresh.
  delete state.etimerThresh;
  if (bounded) state.replayThresh = thresh;
  else delete state.replayThresh;
  plan.state = state;
  if (plan.forced.length > 0) parts.push(`FORCED: ${plan.forced.map((p) => p.detail).join('; ')}`);
  plan.explanation = parts.join('; ');
  return plan;
}
