/**
 * HA context recovery: export SAs with keys, replay state and lifetime counters as JSON-safe
 * data, and reinstall them on another node (or after a restart) so that the outbound
 * sequence continues above every number already used and the inbound window keeps
 * rejecting replays.
 *
 * The traps this code handles for you (XFRM-ABI.md §7):
 * - `oseq` is the LAST sequence number sent; the next packet carries `oseq + 1`. A snapshot
 *   is older than the failover, so the restored `oseq` must be raised by a margin larger than
 *   the packets sent since the snapshot; too low and the peer drops packets as replays (or,
 *   with ESN below its window, fails the ICV).
 * - Legacy bitmap: bit i ⇔ `seq − i` received. ESN bitmap: a ring, sequence s at
 *   `(s − 1) mod replay_window`. Both are restored as saved, or fully set with
 *   `inboundWindow: 'closed'` (then only sequence numbers above `seq` are accepted).
 * - The legacy window is clamped to 32 by the kernel; larger windows need ESN state.
 * - UPDSA on a live SA silently ignores replay state; NEWSA + `XFRMA_LTIME_VAL` at creation
 *   or NEWAE in place are the ways that work. Restore uses NEWSA; {@link restoreInPlace}
 *   uses NEWAE.
 * - Lifetimes: `XFRMA_LTIME_VAL.add_time` is restored, so add-expiry timers continue where
 *   they were instead of restarting.
 * @module
 */
import { NetlinkKernelError } from '../netlink/errors.js';
import {
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_DSTOPTS,
  IPPROTO_ESP,
  IPPROTO_ROUTING,
  XFRM_SA_DIR_IN,
  XFRM_STATE_ESN,
} from '../xfrm/constants.js';
import { type XfrmMessageOf } from '../xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../xfrm/json.js';
import { advanceOutbound, closeWindow } from '../xfrm/replay.js';
import { stateFromMessage, stateToAttrs, stateToUsersaInfo, type XfrmState } from './state.js';
import { type XfrmClient, type XfrmSaId, type XfrmStateFilter } from './client.js';

/** Format version of {@link XfrmSnapshot}. */
export const XFRM_SNAPSHOT_VERSION = 1;

/** One SA of a {@link XfrmSnapshot}. */
export interface XfrmSnapshotEntry {
  /** The SA as an `XFRM_MSG_NEWSA` message in the JSON form of `xfrmMessageToJson` (keys shown). */
  sa: Record<string, unknown>;
  /** Async-event replay threshold in packets (GETAE; GETSA does not report it). */
  replayThresh?: number;
  /** Async-event timer threshold in the 100 ms units GETAE reports (the kernel takes jiffies on input). */
  etimerThresh?: number;
}

/** A JSON-safe export of SAs. Keys are included: store it like key material. */
export interface XfrmSnapshot {
  /** Format version. */
  version: number;
  /** When it was taken (ISO 8601). */
  takenAt: string;
  /** One entry per SA. */
  states: XfrmSnapshotEntry[];
}

/** Options of {@link restore}. */
export interface RestoreOptions {
  /**
   * Added to every SA's last-sent sequence number (`oseq`, carrying into `oseqHi` with ESN).
   * Choose more than the packets an SA can send between snapshot and failover. Not applied
   * to inbound SAs (`dir` = IN), whose `oseq` must stay 0.
   */
  outboundSeqMargin: number | bigint;
  /** `'saved'` (default) keeps the saved bitmap; `'closed'` sets every bit of the window. */
  inboundWindow?: 'saved' | 'closed';
  /** When an SA with the same identity exists: `'fail'` (default), or `'replace'` (delete, then add). */
  existing?: 'fail' | 'replace';
}

/** A restored SA. */
export interface RestoreSuccess {
  /** The SA. */
  id: XfrmSaId;
  /** Discriminant. */
  ok: true;
  /** Its last-sent sequence number after the margin (64-bit with ESN). */
  oseq: bigint;
}
/** An SA that could not be restored. */
export interface RestoreFailure {
  /** The SA. */
  id: XfrmSaId;
  /** Discriminant. */
  ok: false;
  /** Why (usually a NetlinkKernelError). */
  error: Error;
}
/** Outcome for one SA of a restore. */
export type RestoreResult = RestoreSuccess | RestoreFailure;

/**
 * Protocols of SAs a snapshot holds. The kernel creates IPIP/IPv6 tunnel SAs by itself for
 * IPComp in tunnel mode and refuses them from userspace ("Unsupported protocol"); they are
 * recreated with the IPComp SA, so they are left out.
 */
const SNAPSHOT_PROTOS = new Set([IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ROUTING, IPPROTO_DSTOPTS]);

/**
 * Export the SAs matching `filter`: keys, replay state, lifetime counters (GETSA) and the
 * async-event thresholds (GETAE, which GETSA does not report).
 */
export async function snapshot(client: XfrmClient, filter: XfrmStateFilter = {}): Promise<XfrmSnapshot> {
  // Collect first: a request sent while a dump is being consumed waits for the dump.
  const list: XfrmState[] = [];
  for await (const s of client.listStates(filter)) if (SNAPSHOT_PROTOS.has(s.proto)) list.push(s);
  const aes = await client.getReplayStates(list.map(idOf), { thresholds: true });
  const states: XfrmSnapshotEntry[] = list.map((s, i) => {
    const entry: XfrmSnapshotEntry = { sa: xfrmMessageToJson(saMessage(s), { showKeys: true }) };
    const ae = aes[i];
    // An SA deleted between the dump and GETAE (ESRCH) is still exported without thresholds.
    if (ae && !(ae instanceof Error)) {
      if (ae.replayThresh !== undefined) entry.replayThresh = ae.replayThresh;
      if (ae.etimerThresh !== undefined) entry.etimerThresh = ae.etimerThresh;
    }
    return entry;
  });
  return { version: XFRM_SNAPSHOT_VERSION, takenAt: new Date().toISOString(), states };
}

function saMessage(s: XfrmState): XfrmMessageOf<'XFRM_MSG_NEWSA'> {
  // Thresholds travel beside the SA: ETIMER_THRESH is read in 100 ms units but written in jiffies.
  const plain: XfrmState = { ...s };
  delete plain.replayThresh;
  delete plain.etimerThresh;
  return { type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(plain), attrs: stateToAttrs(plain, true) };
}

/** A saved SA with the timer threshold of its snapshot entry. */
interface SavedState {
  /** The SA (`replayThresh` filled from the entry). */
  state: XfrmState;
  /** Timer threshold in 100 ms units, if saved. */
  etimerThresh?: number;
}

/**
 * The SAs of a snapshot as {@link XfrmState}s (`replayThresh` included; the timer threshold
 * stays in the entry, in 100 ms units). @throws `TypeError` on a malformed snapshot.
 */
export function snapshotStates(snap: XfrmSnapshot): XfrmState[] {
  return savedStates(snap).map((s) => s.state);
}

function savedStates(snap: XfrmSnapshot): SavedState[] {
  if (snap === null || typeof snap !== 'object' || snap.version !== XFRM_SNAPSHOT_VERSION || !Array.isArray(snap.states)) {
    throw new TypeError(`not an XFRM snapshot of version ${XFRM_SNAPSHOT_VERSION}`);
  }
  return snap.states.map((e) => {
    if (e === null || typeof e !== 'object' || typeof e.sa !== 'object') throw new TypeError('snapshot entry without an SA');
    const m = xfrmMessageFromJson(e.sa);
    if (m.type !== 'XFRM_MSG_NEWSA') throw new TypeError(`snapshot entry of type ${String(m.type)}`);
    const state = stateFromMessage(m.body, m.attrs);
    if (e.replayThresh !== undefined) state.replayThresh = e.replayThresh;
    return e.etimerThresh !== undefined ? { state, etimerThresh: e.etimerThresh } : { state };
  });
}

/**
 * The kernel's HZ, measured on a live SA: `XFRMA_ETIMER_THRESH` is stored as given (jiffies)
 * and reported × 10 / HZ. Leaves the SA's timer threshold at `jiffies` (caller resets it).
 */
export async function measureKernelHz(client: XfrmClient, id: XfrmSaId): Promise<number> {
  const probe = 1_000_000;
  await client.setReplayState(id, { etimerThresh: probe });
  const r = (await client.getReplayState(id, { thresholds: true })).etimerThresh;
  if (!r) throw new Error('cannot measure HZ: GETAE reported no timer threshold');
  return Math.round((probe * 10) / r);
}

/** Apply the margin and window policy of `opts` to one saved SA. */
export function prepareRestoredState(s: XfrmState, opts: RestoreOptions): XfrmState {
  const out: XfrmState = { ...s };
  const esn = (s.flags & XFRM_STATE_ESN) !== 0;
  const outbound = s.dir !== XFRM_SA_DIR_IN;
  if (s.replayEsn) {
    let r = s.replayEsn;
    if (outbound) r = advanceOutbound(r, opts.outboundSeqMargin, esn);
    if (opts.inboundWindow === 'closed' && s.dir !== 2 && r.replayWindow > 0) r = closeWindow(r);
    out.replayEsn = r;
  } else {
    let r = s.replay ?? { oseq: 0, seq: 0, bitmap: 0 };
    if (outbound) r = advanceOutbound(r, opts.outboundSeqMargin, false);
    if (opts.inboundWindow === 'closed' && s.dir !== 2) r = closeWindow(r);
    out.replay = r;
  }
  delete out.stats;
  delete out.lastUsed;
  return out;
}

function idOf(s: XfrmState): XfrmSaId {
  return { daddr: s.daddr, spi: s.spi, proto: s.proto, family: s.family, ...(s.mark ? { mark: s.mark } : {}) };
}

/**
 * Reinstall the SAs of a snapshot with `XFRM_MSG_NEWSA`, replay state and lifetime counters
 * included, outbound sequence numbers raised by `outboundSeqMargin`.
 */
export async function restore(client: XfrmClient, snap: XfrmSnapshot, opts: RestoreOptions): Promise<RestoreResult[]> {
  return restoreEach(client, snap, opts, async (s, id) => {
    try {
      await client.addState(s, { withCurrent: true });
    } catch (e) {
      if (!(e instanceof NetlinkKernelError && e.code === 'EEXIST' && opts.existing === 'replace')) throw e;
      await client.deleteState(id);
      await client.addState(s, { withCurrent: true });
    }
  });
}

/**
 * The in-place form for SAs that still exist (e.g. a standby that kept its SAs but not their
 * counters): `XFRM_MSG_NEWAE` sets the replay state and lifetime counters of each live SA.
 */
export async function restoreInPlace(client: XfrmClient, snap: XfrmSnapshot, opts: RestoreOptions): Promise<RestoreResult[]> {
  return restoreEach(client, snap, opts, async (s, id) => {
    await client.setReplayState(id, {
      ...(s.replayEsn ? { replayEsn: s.replayEsn } : s.replay ? { replay: s.replay } : {}),
      ...(s.current ? { current: s.current } : {}),
      ...(s.replayThresh !== undefined ? { replayThresh: s.replayThresh } : {}),
    });
  });
}

/** Prepare each saved SA, install it with `apply`, restore its timer threshold, collect the outcome. */
async function restoreEach(
  client: XfrmClient,
  snap: XfrmSnapshot,
  opts: RestoreOptions,
  apply: (s: XfrmState, id: XfrmSaId) => Promise<void>,
): Promise<RestoreResult[]> {
  const results: RestoreResult[] = [];
  const timers = new TimerRestorer(client);
  for (const saved of savedStates(snap)) {
    const s = prepareRestoredState(saved.state, opts);
    const id = idOf(s);
    try {
      await apply(s, id);
      await timers.restore(id, saved.etimerThresh);
      results.push({ id, ok: true, oseq: oseqOf(s) });
    } catch (e) {
      results.push({ id, ok: false, error: e as Error });
    }
  }
  return results;
}

/** Converts saved timer thresholds (100 ms units) back to jiffies, measuring HZ once. */
class TimerRestorer {
  private hz: number | undefined;
  constructor(private readonly client: XfrmClient) {}
  async restore(id: XfrmSaId, units: number | undefined): Promise<void> {
    if (units === undefined) return;
    this.hz ??= await measureKernelHz(this.client, id);
    await this.client.setReplayState(id, { etimerThresh: Math.round((units * this.hz) / 10) });
  }
}

function oseqOf(s: XfrmState): bigint {
  if (s.replayEsn) return (BigInt(s.replayEsn.oseqHi) << 32n) | BigInt(s.replayEsn.oseq);
  return BigInt(s.replay?.oseq ?? 0);
}
