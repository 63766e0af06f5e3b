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
import { HZ_PROBE_JIFFIES, hzFromReport, installInOrder, KernelFacts } from './kernel-facts.js';
import { type XfrmAeUpdate } from './ae.js';
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
  /**
   * Called with each result, in index order, as soon as that entry and every entry before it
   * have their result (progress display). An SA sent in a batch is known once its batch is
   * answered: the calls come in bursts, one per batch of up to 4096 SAs.
   */
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
 * Entries per batch call of {@link restore} and {@link restoreInPlace}: the client's timeout
 * and the progress calls ({@link RestoreOptions.onResult}) go per so many SAs, while each call
 * still fills several 128 KiB chunks (a NEWSA is 300–600 bytes).
 */
const RESTORE_BATCH_ENTRIES = 4096;

/**
 * Reinstall the SAs of a snapshot with `XFRM_MSG_NEWSA`, replay state and lifetime counters
 * included, outbound sequence numbers raised by `outboundSeqMargin`. Returns one result per
 * entry, in order, whatever happens to the others: restored, skipped (larval) or failed with
 * the reason.
 *
 * Every entry is checked and prepared before anything is sent. The SAs then go to the kernel
 * in the snapshot's order, in batches ({@link XfrmClient.addStates}: each NEWSA written
 * straight into a chunk of up to 128 KiB, one `sendmsg` per chunk; an entry that cannot be
 * encoded fails alone, unsent). Round trips only where needed: an SA goes alone when it
 * carries a newer field (direction, per-CPU, …) this kernel has not yet been seen to keep —
 * it is read back, and deleted and failed with {@link XfrmUnsupportedError} if the kernel
 * dropped the field — and the first SA with a timer threshold goes alone to measure the
 * kernel's HZ (one GETAE and one NEWAE per restore; every other SA carries its threshold in
 * jiffies inside its NEWSA). An SA refused with EEXIST under `existing: 'replace'` is
 * replaced on its own after its batch.
 * @throws {@link XfrmSnapshotError} only when `snap` is not a snapshot at all.
 * @group Snapshot and restore
 */
export async function restore(client: XfrmClient, snap: XfrmSnapshot, opts: RestoreOptions): Promise<RestoreResult[]> {
  const run = new RestoreRun(snap, opts);
  const facts = new KernelFacts();
  await installInOrder(
    run.todo,
    (i) => facts.needsProbe(run.units[i]) || facts.unconfirmed(run.states[i]!),
    (i) => run.attempt(i, () => restoreOne(client, run.states[i]!, run.ids[i]!, run.units[i], facts, opts)),
    (list) => inSlices(list, (slice) => restoreBatch(client, run, slice, facts, opts)),
  );
  return run.finish();
}

/** One SA alone: NEWSA (read back for newer fields), the replace on EEXIST, the HZ probe. */
async function restoreOne(client: XfrmClient, s: XfrmState, id: XfrmSaId, units: number | undefined, facts: KernelFacts, opts: RestoreOptions): Promise<void> {
  const sent = facts.timerToSend(units);
  withTimer(s, sent);
  try {
    await addAndLearn(client, s, facts);
  } catch (e) {
    if (!(e instanceof NetlinkKernelError && e.code === 'EEXIST' && opts.existing === 'replace')) throw e;
    await replaceState(client, s, id, facts, opts);
  }
  await facts.settleTimer(client, id, units, sent);
}

/**
 * SAs in one batch call: none carries the HZ probe or an unconfirmed newer field (see
 * {@link restore}), so an ACK is all each needs; an EEXIST under `'replace'` is replaced alone.
 */
async function restoreBatch(client: XfrmClient, run: RestoreRun, list: readonly number[], facts: KernelFacts, opts: RestoreOptions): Promise<void> {
  const states = new Array<XfrmState>(list.length);
  for (let k = 0; k < list.length; k++) states[k] = withTimer(run.states[list[k]!]!, facts.timerToSend(run.units[list[k]!]));
  let added: Awaited<ReturnType<XfrmClient['addStates']>>;
  try {
    added = await client.addStates(states);
  } catch (e) {
    // The batch failed as a whole (socket closed, timeout): each of its SAs says so.
    for (const i of list) run.failed(i, e);
    return;
  }
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const a = added[k]!;
    if (a.ok) run.restored(i);
    else if (opts.existing === 'replace' && a.error instanceof NetlinkKernelError && a.error.code === 'EEXIST') {
      await run.attempt(i, () => replaceState(client, states[k]!, run.ids[i]!, facts, opts));
    } else run.failed(i, a.error);
  }
}

/** Set the timer threshold to send on a prepared state (its own copy), or remove it. */
function withTimer(s: XfrmState, sent: number | undefined): XfrmState {
  if (sent !== undefined) s.etimerThresh = sent;
  else if (s.etimerThresh !== undefined) delete s.etimerThresh;
  return s;
}

/** Run `fn` over `list` in slices of {@link RESTORE_BATCH_ENTRIES}, one after the other. */
async function inSlices(list: readonly number[], fn: (slice: readonly number[]) => Promise<void>): Promise<void> {
  for (let at = 0; at < list.length; at += RESTORE_BATCH_ENTRIES) await fn(list.length <= RESTORE_BATCH_ENTRIES ? list : list.slice(at, at + RESTORE_BATCH_ENTRIES));
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
 * delete, and a reused sequence number would reuse an AEAD nonce). The saved SA `s` was
 * encoded already (the kernel answered its NEWSA with EEXIST).
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
    // The way back must be known to encode before anything is deleted.
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
 * live SA. Every entry is checked and prepared first; the SAs' replay kinds are then read in
 * one batch and the NEWAEs sent in another ({@link XfrmClient.setReplayStates}), in the
 * snapshot's order; the first SA with a timer threshold goes alone to measure the kernel's
 * HZ (one NEWAE per SA, one GETAE and one NEWAE more for the probe). Results and
 * {@link RestoreOptions.onResult} as for {@link restore}.
 * @group Snapshot and restore
 */
export async function restoreInPlace(client: XfrmClient, snap: XfrmSnapshot, opts: RestoreOptions): Promise<RestoreResult[]> {
  const run = new RestoreRun(snap, opts);
  const facts = new KernelFacts();
  await installInOrder(
    run.todo,
    (i) => facts.needsProbe(run.units[i]),
    (i) =>
      run.attempt(i, async () => {
        const id = run.ids[i]!;
        const units = run.units[i];
        const sent = facts.timerToSend(units);
        await client.setReplayState(id, aeUpdateOf(run.states[i]!, sent));
        await facts.settleTimer(client, id, units, sent);
      }),
    (list) =>
      inSlices(list, async (slice) => {
        const updates = slice.map((i) => ({ id: run.ids[i]!, ae: aeUpdateOf(run.states[i]!, facts.timerToSend(run.units[i])) }));
        let set: Awaited<ReturnType<XfrmClient['setReplayStates']>>;
        try {
          set = await client.setReplayStates(updates);
        } catch (e) {
          for (const i of slice) run.failed(i, e);
          return;
        }
        for (let k = 0; k < slice.length; k++) {
          const r = set[k]!;
          if (r.ok) run.restored(slice[k]!);
          else run.failed(slice[k]!, r.error);
        }
      }),
  );
  return run.finish();
}

/** The NEWAE of a prepared state: its replay state, lifetime counters and thresholds. */
function aeUpdateOf(s: XfrmState, etimerThresh: number | undefined): XfrmAeUpdate {
  const ae: XfrmAeUpdate = {};
  if (s.replayEsn) ae.replayEsn = s.replayEsn;
  else if (s.replay) ae.replay = s.replay;
  if (s.current) ae.current = s.current;
  if (s.replayThresh !== undefined) ae.replayThresh = s.replayThresh;
  if (etimerThresh !== undefined) ae.etimerThresh = etimerThresh;
  return ae;
}

/**
 * One restore: every entry checked and prepared up front, then exactly one result per entry,
 * in order: nothing an entry does (malformed JSON, a margin that overflows, a kernel refusal)
 * stops the others. Reports each result to `onResult` in index order.
 */
class RestoreRun {
  /** The prepared SA of each entry to install (by entry index). */
  readonly states: (XfrmState | undefined)[];
  /** The SA of each entry, when it names one. */
  readonly ids: (XfrmSaId | undefined)[];
  /** The saved timer threshold (100 ms units) of each entry to install. */
  readonly units: (number | undefined)[];
  /** The entries to install, in order. */
  readonly todo: number[] = [];
  private readonly results: (RestoreResult | undefined)[];
  private reported = 0;

  constructor(
    snap: XfrmSnapshot,
    private readonly opts: RestoreOptions,
  ) {
    const entries = snapshotEntries(snap);
    const n = entries.length;
    this.states = new Array<XfrmState | undefined>(n);
    this.ids = new Array<XfrmSaId | undefined>(n);
    this.units = new Array<number | undefined>(n);
    this.results = new Array<RestoreResult | undefined>(n);
    for (let index = 0; index < n; index++) this.prepare(entries[index], index);
  }

  private prepare(entry: unknown, index: number): void {
    try {
      const saved = readEntry(entry, index);
      const id = idOf(saved.state);
      this.ids[index] = id;
      const larval = larvalReason(saved.state);
      if (larval !== undefined) return this.set(index, { index, id, ok: true, status: 'skipped', reason: larval });
      try {
        this.states[index] = prepareRestoredState(saved.state, this.opts);
      } catch (e) {
        if (!(e instanceof NetlinkEncodeError)) throw e;
        throw new XfrmSnapshotEntryError(index, id, e.what, reasonOf(e, e.what), { cause: e });
      }
      this.units[index] = saved.etimerThresh;
      this.todo.push(index);
    } catch (e) {
      this.failed(index, e);
    }
  }

  /** Entry `i` is in place. */
  restored(i: number): void {
    this.set(i, { index: i, id: this.ids[i]!, ok: true, status: 'restored', oseq: oseqOf(this.states[i]!) });
  }

  /** Entry `i` failed with `e`. */
  failed(i: number, e: unknown): void {
    const id = this.ids[i];
    if (e instanceof ReplaceFailed) {
      this.set(i, { index: i, ...(id ? { id } : {}), ok: false, status: 'failed', error: e.error, previous: e.previous });
      return;
    }
    const error = e instanceof Error ? e : new NetlinkError(String(e));
    const named = error instanceof XfrmSnapshotEntryError ? (error.id ?? id) : id;
    this.set(i, { index: i, ...(named ? { id: named } : {}), ok: false, status: 'failed', error });
  }

  /** Run the work of entry `i` alone: restored when it resolves, failed with what it threw. */
  async attempt(i: number, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.failed(i, e);
      return;
    }
    this.restored(i);
  }

  private set(i: number, r: RestoreResult): void {
    this.results[i] = r;
    // onResult in index order: every result known from the first not yet reported on.
    const results = this.results;
    const onResult = this.opts.onResult;
    while (this.reported < results.length && results[this.reported] !== undefined) {
      const next = results[this.reported++]!;
      onResult?.(next);
    }
  }

  /** The results, one per entry (all set once every entry was installed or failed). */
  finish(): RestoreResult[] {
    return this.results as RestoreResult[];
  }
}

function oseqOf(s: XfrmState): bigint {
  if (s.replayEsn) return (BigInt(s.replayEsn.oseqHi) << 32n) | BigInt(s.replayEsn.oseq);
  return BigInt(s.replay?.oseq ?? 0);
}
