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
 * - Larval SAs (an ACQUIRE placeholder or an SPI reserved by ALLOCSPI: an IKE negotiation in
 *   progress) have no keys and cannot be re-added; {@link snapshot} lists them in `skipped`
 *   and restore skips any it finds.
 * - A snapshot is untrusted input: every entry is checked against the kernel's limits before
 *   any work is done on it, and every entry gets its own result.
 * @module
 */
import { NetlinkEncodeError, NetlinkError, NetlinkKernelError } from '../netlink/errors.js';
import { XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT, XFRM_STATE_ESN } from '../xfrm/constants.js';
import { encodeXfrmMessages } from '../xfrm/family.js';
import { advanceOutbound, closeWindow } from '../xfrm/replay.js';
import { XfrmUnsupportedError, type XfrmClient } from './client.js';
import { HZ_PROBE_JIFFIES, hzFromReport, KernelFacts } from './kernel-facts.js';
import { type XfrmSaId } from './sa-id.js';
import {
  idOf,
  larvalReason,
  newsaMessage,
  readEntry,
  reasonOf,
  snapshotEntries,
  XfrmSnapshotEntryError,
  type XfrmSnapshot,
} from './snapshot.js';
import { type XfrmState } from './state.js';

// The snapshot format and its reading live in snapshot.ts; these names stay importable from here.
export {
  larvalReason,
  snapshot,
  snapshotEntries,
  snapshotStates,
  XFRM_SNAPSHOT_VERSION,
  XfrmSnapshotEntryError,
  XfrmSnapshotError,
  type XfrmSnapshot,
  type XfrmSnapshotEntry,
  type XfrmSnapshotSkipped,
} from './snapshot.js';

/** Options of {@link restore}. @group Snapshot and restore */
export interface RestoreOptions {
  /**
   * Added to every SA's last-sent sequence number (`oseq`, carrying into `oseqHi` with ESN).
   * Choose more than the packets an SA can send between snapshot and failover. Not applied
   * to inbound SAs (`dir` = IN), whose `oseq` must stay 0. A live SA that `'replace'` deleted
   * and has to put back is raised by the same margin.
   */
  outboundSeqMargin: number | bigint;
  /** `'saved'` (default) keeps the saved bitmap; `'closed'` sets every bit of the window. */
  inboundWindow?: 'saved' | 'closed';
  /**
   * When an SA with the same identity exists: `'fail'` (default), or `'replace'`: read the
   * live SA, delete it, add the saved one, and if that add fails put the live one back (see
   * {@link RestoreFailure.previous}). A larval SA in the way is filled in with `XFRM_MSG_UPDSA`.
   */
  existing?: 'fail' | 'replace';
  /** Called with each result as soon as it is known (progress display). */
  onResult?: (r: RestoreResult) => void;
}

/** A restored SA. @group Snapshot and restore */
export interface RestoreSuccess {
  /** Position of the entry in `snapshot.states`. */
  index: number;
  /** The SA. */
  id: XfrmSaId;
  /** Discriminant. */
  ok: true;
  /** Discriminant among the `ok` results. */
  status: 'restored';
  /** Its last-sent sequence number after the margin (64-bit with ESN). */
  oseq: bigint;
}
/** A snapshot entry that was deliberately not restored (a larval SA of an older snapshot). Not a failure. @group Snapshot and restore */
export interface RestoreSkip {
  /** Position of the entry in `snapshot.states`. */
  index: number;
  /** The SA. */
  id: XfrmSaId;
  /** Discriminant: nothing went wrong. */
  ok: true;
  /** Discriminant among the `ok` results. */
  status: 'skipped';
  /** Why, e.g. `'larval SA (SPI reserved by ALLOCSPI, no keys yet)'`. */
  reason: string;
}
/** The live SA a failed replace had deleted was put back. @group Snapshot and restore */
export interface RestorePreviousReinstalled {
  /** Discriminant: the node has the SA again (its outbound sequence raised by the margin). */
  reinstalled: true;
}
/** The live SA a failed replace had deleted could not be put back: it is gone. @group Snapshot and restore */
export interface RestorePreviousLost {
  /** Discriminant: the node lost this SA. */
  reinstalled: false;
  /** Why the re-add failed. */
  error: Error;
}
/** What happened to the live SA a failed `existing: 'replace'` had deleted. @group Snapshot and restore */
export type RestorePrevious = RestorePreviousReinstalled | RestorePreviousLost;
/** An SA that could not be restored. @group Snapshot and restore */
export interface RestoreFailure {
  /** Position of the entry in `snapshot.states`. */
  index: number;
  /** The SA; absent when the entry is too malformed to name one. */
  id?: XfrmSaId;
  /** Discriminant. */
  ok: false;
  /** Discriminant. */
  status: 'failed';
  /** Why: a {@link XfrmSnapshotEntryError} for a malformed entry, usually a NetlinkKernelError otherwise. */
  error: Error;
  /**
   * Present when `existing: 'replace'` deleted the live SA and the saved one could not be
   * added: whether the live SA was put back (from what was read just before deleting it,
   * outbound sequence raised by the margin) or is gone.
   */
  previous?: RestorePrevious;
}
/** Outcome for one snapshot entry. @group Snapshot and restore */
export type RestoreResult = RestoreSuccess | RestoreSkip | RestoreFailure;

/**
 * The kernel's HZ, measured on a live SA: `XFRMA_ETIMER_THRESH` is stored as given (jiffies)
 * and reported × 10 / HZ. Leaves the SA's timer threshold at `jiffies` (caller resets it).
 */
export async function measureKernelHz(client: XfrmClient, id: XfrmSaId): Promise<number> {
  await client.setReplayState(id, { etimerThresh: HZ_PROBE_JIFFIES });
  return hzFromReport(await client.getReplayState(id, { thresholds: true }));
}

/**
 * Apply the margin and window policy of `opts` to one saved SA.
 * @throws {@link NetlinkEncodeError} when the margin passes the largest sequence number or the
 *   replay state is outside the kernel's limits.
 */
export function prepareRestoredState(s: XfrmState, opts: RestoreOptions): XfrmState {
  const out: XfrmState = { ...s };
  const esn = (s.flags & XFRM_STATE_ESN) !== 0;
  const outbound = s.dir !== XFRM_SA_DIR_IN;
  if (s.replayEsn) {
    let r = s.replayEsn;
    if (outbound) r = advanceOutbound(r, opts.outboundSeqMargin, esn);
    if (opts.inboundWindow === 'closed' && s.dir !== XFRM_SA_DIR_OUT && r.replayWindow > 0) r = closeWindow(r);
    out.replayEsn = r;
  } else {
    let r = s.replay ?? { oseq: 0, seq: 0, bitmap: 0 };
    if (outbound) r = advanceOutbound(r, opts.outboundSeqMargin, false);
    if (opts.inboundWindow === 'closed' && s.dir !== XFRM_SA_DIR_OUT) r = closeWindow(r);
    out.replay = r;
  }
  delete out.stats;
  delete out.lastUsed;
  return out;
}


/** Internal: a replace that deleted the live SA and could not add the saved one. */
class ReplaceFailed extends Error {
  constructor(
    readonly error: Error,
    readonly previous: RestorePrevious,
  ) {
    super(error.message);
  }
}

/**
 * Reinstall the SAs of a snapshot with `XFRM_MSG_NEWSA`, replay state and lifetime counters
 * included, outbound sequence numbers raised by `outboundSeqMargin`. Returns one result per
 * entry, in order, whatever happens to the others: restored, skipped (larval) or failed with
 * the reason. Each entry is checked and its request encoded before anything is sent for it.
 * The timer thresholds go inside the NEWSA; the kernel's HZ they need is measured once, on
 * the first SA that has one (one NEWAE per restore).
 * @throws {@link XfrmSnapshotError} only when `snap` is not a snapshot at all.
 * @group Snapshot and restore
 */
export async function restore(client: XfrmClient, snap: XfrmSnapshot, opts: RestoreOptions): Promise<RestoreResult[]> {
  return restoreEach(client, snap, opts, async (s, id, facts, units) => {
    const sent = facts.timerToSend(units);
    const withTimer: XfrmState = { ...s };
    if (sent !== undefined) withTimer.etimerThresh = sent;
    else delete withTimer.etimerThresh;
    checkEncodable(withTimer);
    try {
      await addAndLearn(client, withTimer, facts);
    } catch (e) {
      if (!(e instanceof NetlinkKernelError && e.code === 'EEXIST' && opts.existing === 'replace')) throw e;
      await replaceState(client, withTimer, id, facts, opts);
    }
    await facts.settleTimer(client, id, units, sent);
  });
}

async function addAndLearn(client: XfrmClient, s: XfrmState, facts: KernelFacts): Promise<void> {
  try {
    await client.addState(s, { withCurrent: true });
  } catch (e) {
    if (e instanceof XfrmUnsupportedError) facts.learnDropped(e.fields);
    throw e;
  }
  facts.learnKept(s);
}

/** Encode the NEWSA request without sending it. @throws {@link NetlinkEncodeError}. */
function checkEncodable(s: XfrmState): void {
  encodeXfrmMessages([newsaMessage(s)]);
}

/**
 * `existing: 'replace'`: never leaves the node with fewer SAs without saying so. Fields this
 * kernel is known to drop are refused before anything is deleted; the live SA is read just
 * before it is deleted, and if the saved SA cannot be added it is put back from that read
 * (outbound sequence raised by the margin: packets may have left between the read and the
 * delete, and a reused sequence number would reuse an AEAD nonce).
 */
async function replaceState(client: XfrmClient, s: XfrmState, id: XfrmSaId, facts: KernelFacts, opts: RestoreOptions): Promise<void> {
  const dropped = facts.knownDropped(s);
  if (dropped.length > 0) throw new XfrmUnsupportedError(dropped, 'XFRM_MSG_NEWSA (not attempted: the live SA was left in place)');
  let old: XfrmState;
  try {
    old = await client.getState(id);
  } catch (e) {
    // Gone since the EEXIST: nothing to replace.
    if (e instanceof NetlinkKernelError && e.code === 'ESRCH') return addAndLearn(client, s, facts);
    throw e;
  }
  facts.learnKept(old);
  if (larvalReason(old) !== undefined) {
    // An SPI reserved by ALLOCSPI: UPDSA replaces the larval SA in one step, replay state included.
    await client.updateState(s, { withCurrent: true });
    return;
  }
  const again = facts.knownDropped(s);
  if (again.length > 0) throw new XfrmUnsupportedError(again, 'XFRM_MSG_NEWSA (not attempted: the live SA was left in place)');
  let back: XfrmState;
  try {
    back = prepareRestoredState(old, { outboundSeqMargin: opts.outboundSeqMargin });
    delete back.replayThresh;
    delete back.etimerThresh;
    checkEncodable(back);
  } catch (e) {
    // No way back if the add failed, so no delete: the live SA stays as it is.
    throw new NetlinkError(`not replaced (the live SA was left in place): it could not be put back if the add failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  await client.deleteState(id);
  try {
    await addAndLearn(client, s, facts);
  } catch (e) {
    let previous: RestorePrevious;
    try {
      await client.addState(back, { withCurrent: true });
      previous = { reinstalled: true };
    } catch (e2) {
      previous = { reinstalled: false, error: e2 instanceof Error ? e2 : new NetlinkError(String(e2)) };
    }
    throw new ReplaceFailed(e instanceof Error ? e : new NetlinkError(String(e)), previous);
  }
}

/**
 * The in-place form for SAs that still exist (e.g. a standby that kept its SAs but not their
 * counters): `XFRM_MSG_NEWAE` sets the replay state, lifetime counters and thresholds of each
 * live SA (one NEWAE per SA, one more to measure HZ on the first SA with a timer threshold).
 * @group Snapshot and restore
 */
export async function restoreInPlace(client: XfrmClient, snap: XfrmSnapshot, opts: RestoreOptions): Promise<RestoreResult[]> {
  return restoreEach(client, snap, opts, async (s, id, facts, units) => {
    const sent = facts.timerToSend(units);
    await client.setReplayState(id, {
      ...(s.replayEsn ? { replayEsn: s.replayEsn } : s.replay ? { replay: s.replay } : {}),
      ...(s.current ? { current: s.current } : {}),
      ...(s.replayThresh !== undefined ? { replayThresh: s.replayThresh } : {}),
      ...(sent !== undefined ? { etimerThresh: sent } : {}),
    });
    await facts.settleTimer(client, id, units, sent);
  });
}

/**
 * Check, prepare and apply each entry in turn. Every entry gets exactly one result, in order:
 * nothing an entry does (malformed JSON, a margin that overflows, a kernel refusal) stops the
 * others.
 */
async function restoreEach(
  client: XfrmClient,
  snap: XfrmSnapshot,
  opts: RestoreOptions,
  apply: (s: XfrmState, id: XfrmSaId, facts: KernelFacts, etimerUnits: number | undefined) => Promise<void>,
): Promise<RestoreResult[]> {
  const entries = snapshotEntries(snap);
  const results: RestoreResult[] = [];
  const facts = new KernelFacts();
  for (let index = 0; index < entries.length; index++) {
    let id: XfrmSaId | undefined;
    let r: RestoreResult;
    try {
      const saved = readEntry(entries[index], index);
      id = idOf(saved.state);
      const larval = larvalReason(saved.state);
      if (larval !== undefined) {
        r = { index, id, ok: true, status: 'skipped', reason: larval };
      } else {
        let s: XfrmState;
        try {
          s = prepareRestoredState(saved.state, opts);
        } catch (e) {
          if (!(e instanceof NetlinkEncodeError)) throw e;
          throw new XfrmSnapshotEntryError(index, id, e.what, reasonOf(e, e.what), { cause: e });
        }
        await apply(s, id, facts, saved.etimerThresh);
        r = { index, id, ok: true, status: 'restored', oseq: oseqOf(s) };
      }
    } catch (e) {
      if (e instanceof ReplaceFailed) {
        r = { index, ...(id ? { id } : {}), ok: false, status: 'failed', error: e.error, previous: e.previous };
      } else {
        const error = e instanceof Error ? e : new NetlinkError(String(e));
        const named = error instanceof XfrmSnapshotEntryError ? (error.id ?? id) : id;
        r = { index, ...(named ? { id: named } : {}), ok: false, status: 'failed', error };
      }
    }
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}

function oseqOf(s: XfrmState): bigint {
  if (s.replayEsn) return (BigInt(s.replayEsn.oseqHi) << 32n) | BigInt(s.replayEsn.oseq);
  return BigInt(s.replay?.oseq ?? 0);
}
