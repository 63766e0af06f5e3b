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
import {
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_DSTOPTS,
  IPPROTO_ESP,
  IPPROTO_ROUTING,
  XFRM_SA_DIR_IN,
  XFRM_SA_DIR_OUT,
  XFRM_STATE_ESN,
} from '../xfrm/constants.js';
import { encodeXfrmMessages, type XfrmMessageOf } from '../xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../xfrm/json.js';
import { advanceOutbound, checkReplayEsnBounds, closeWindow, XFRM_LEGACY_REPLAY_WINDOW_MAX } from '../xfrm/replay.js';
import { HZ_PROBE_JIFFIES, hzFromReport, KernelFacts } from './kernel-facts.js';
import { stateFromMessage, stateToAttrs, stateToUsersaInfo, type XfrmState } from './state.js';
import { XfrmUnsupportedError, type XfrmClient, type XfrmSaId, type XfrmStateFilter } from './client.js';

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

/** A kernel state {@link snapshot} left out, and why. */
export interface XfrmSnapshotSkipped {
  /** The state's identity. */
  id: XfrmSaId;
  /** Machine-readable reason: `'larval'` (no keys yet: an IKE negotiation in progress). */
  reason: 'larval';
  /** Human-readable detail, e.g. `'acquire placeholder (spi 0, acquire seq 7)'`. */
  detail: string;
}

/** A JSON-safe export of SAs. Keys are included: store it like key material. */
export interface XfrmSnapshot {
  /** Format version. */
  version: number;
  /** When it was taken (ISO 8601). */
  takenAt: string;
  /** One entry per SA. */
  states: XfrmSnapshotEntry[];
  /** States the kernel held that were not exported (larval SAs), with the reason. */
  skipped?: XfrmSnapshotSkipped[];
}

/** Options of {@link restore}. */
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

/** A restored SA. */
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
/** A snapshot entry that was deliberately not restored (a larval SA of an older snapshot). Not a failure. */
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
/** The live SA a failed replace had deleted was put back. */
export interface RestorePreviousReinstalled {
  /** Discriminant: the node has the SA again (its outbound sequence raised by the margin). */
  reinstalled: true;
}
/** The live SA a failed replace had deleted could not be put back: it is gone. */
export interface RestorePreviousLost {
  /** Discriminant: the node lost this SA. */
  reinstalled: false;
  /** Why the re-add failed. */
  error: Error;
}
/** What happened to the live SA a failed `existing: 'replace'` had deleted. */
export type RestorePrevious = RestorePreviousReinstalled | RestorePreviousLost;
/** An SA that could not be restored. */
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
/** Outcome for one snapshot entry. */
export type RestoreResult = RestoreSuccess | RestoreSkip | RestoreFailure;

/** A snapshot cannot be used at all (not an object, wrong version, no `states` array). */
export class XfrmSnapshotError extends NetlinkError {
  /** @param message what is wrong. @param options `ErrorOptions`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'XfrmSnapshotError';
  }
}

/**
 * One snapshot entry is malformed or outside the kernel's limits. Names the entry, its SA when
 * it can be read, and the field — never the value of a key.
 */
export class XfrmSnapshotEntryError extends XfrmSnapshotError {
  /** Position of the entry in `snapshot.states`. */
  readonly index: number;
  /** The SA, when the entry names one. */
  readonly id?: XfrmSaId;
  /** The field, e.g. `'xfrm_replay_state_esn.bmp_len'`, `'oseq'`, `'sa'`. */
  readonly field: string;
  /** What is wrong with it. */
  readonly reason: string;
  /**
   * @param index entry position. @param id its SA if known. @param field the field.
   * @param reason what is wrong. @param options `ErrorOptions` (`cause`).
   */
  constructor(index: number, id: XfrmSaId | undefined, field: string, reason: string, options?: ErrorOptions) {
    super(`snapshot entry ${index}${id ? ` (${saLabel(id)})` : ''}: ${field}: ${reason}`, options);
    this.name = 'XfrmSnapshotEntryError';
    this.index = index;
    if (id) this.id = id;
    this.field = field;
    this.reason = reason;
  }
}

const PROTO_NAMES: Record<number, string> = { [IPPROTO_ESP]: 'esp', [IPPROTO_AH]: 'ah', [IPPROTO_COMP]: 'comp' };

/** `esp spi 0x00001000 dst 192.0.2.2`: how errors name an SA. */
function saLabel(id: XfrmSaId): string {
  const proto = PROTO_NAMES[id.proto] ?? `proto ${id.proto}`;
  return `${proto} spi 0x${(id.spi >>> 0).toString(16).padStart(8, '0')} dst ${id.daddr}`;
}

/**
 * Protocols of SAs a snapshot holds. The kernel creates IPIP/IPv6 tunnel SAs by itself for
 * IPComp in tunnel mode and refuses them from userspace ("Unsupported protocol"); they are
 * recreated with the IPComp SA, so they are left out.
 */
const SNAPSHOT_PROTOS = new Set([IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ROUTING, IPPROTO_DSTOPTS]);

/**
 * Why `s` is a larval SA, or undefined for a complete one. The kernel keeps two kinds while an
 * IKE daemon negotiates: the ACQUIRE placeholder (SPI 0, acquire seq set, expires after
 * `xfrm_acq_expires`) and an SPI reserved by ALLOCSPI. Neither carries an algorithm, which
 * every complete ESP/AH/IPComp SA needs; NEWSA refuses them ("Missing required attribute").
 * (MIPv6 routing/dstopts SAs legitimately have no algorithm and are never larval here.)
 */
export function larvalReason(s: XfrmState): string | undefined {
  if (s.proto !== IPPROTO_ESP && s.proto !== IPPROTO_AH && s.proto !== IPPROTO_COMP) return undefined;
  if (s.aead || s.auth || s.crypt || s.comp !== undefined) return undefined;
  return s.spi === 0
    ? `larval SA: acquire placeholder (spi 0, acquire seq ${s.acquireSeq}, no keys yet)`
    : `larval SA: SPI reserved by ALLOCSPI${s.acquireSeq ? ` for acquire seq ${s.acquireSeq}` : ''} (no keys yet)`;
}

/**
 * Export the SAs matching `filter`: keys, replay state, lifetime counters (GETSA) and the
 * async-event thresholds (GETAE, which GETSA does not report). Larval SAs (see
 * {@link larvalReason}) are not exported: they are listed in `skipped` with the reason.
 */
export async function snapshot(client: XfrmClient, filter: XfrmStateFilter = {}): Promise<XfrmSnapshot> {
  // Collect first: a request sent while a dump is being consumed waits for the dump.
  const list: XfrmState[] = [];
  const skipped: XfrmSnapshotSkipped[] = [];
  for await (const s of client.listStates(filter)) {
    if (!SNAPSHOT_PROTOS.has(s.proto)) continue;
    const larval = larvalReason(s);
    if (larval !== undefined) skipped.push({ id: idOf(s), reason: 'larval', detail: larval });
    else list.push(s);
  }
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
  return { version: XFRM_SNAPSHOT_VERSION, takenAt: new Date().toISOString(), states, ...(skipped.length ? { skipped } : {}) };
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
 * stays in the entry, in 100 ms units), each checked like restore checks it.
 * @throws {@link XfrmSnapshotError} for an unusable snapshot, {@link XfrmSnapshotEntryError}
 *   for the first malformed entry.
 */
export function snapshotStates(snap: XfrmSnapshot): XfrmState[] {
  return snapshotEntries(snap).map((e, i) => readEntry(e, i).state);
}

/** The entries of a snapshot, after checking only its outer shape. @throws {@link XfrmSnapshotError}. */
export function snapshotEntries(snap: XfrmSnapshot): unknown[] {
  if (snap === null || typeof snap !== 'object' || snap.version !== XFRM_SNAPSHOT_VERSION || !Array.isArray(snap.states)) {
    throw new XfrmSnapshotError(`not an XFRM snapshot of version ${XFRM_SNAPSHOT_VERSION}`);
  }
  return snap.states as unknown[];
}

/** The identity an unparsable entry claims, if its `sa.body.id` is well-formed enough to name it. */
function claimedId(sa: unknown): XfrmSaId | undefined {
  const id = (sa as { body?: { id?: { daddr?: unknown; spi?: unknown; proto?: unknown } } } | null)?.body?.id;
  if (!id || typeof id.daddr !== 'string' || typeof id.spi !== 'number' || typeof id.proto !== 'number') return undefined;
  return { daddr: id.daddr, spi: id.spi, proto: id.proto };
}

/** Message of a library error without its `what: ` prefix (the field is reported separately). */
function reasonOf(e: unknown, what?: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return what !== undefined && m.startsWith(`${what}: `) ? m.slice(what.length + 2) : m;
}

/** Parse and check one entry. @throws {@link XfrmSnapshotEntryError}. */
function readEntry(e: unknown, index: number): SavedState {
  if (e === null || typeof e !== 'object') throw new XfrmSnapshotEntryError(index, undefined, 'entry', 'not an object');
  const entry = e as Partial<XfrmSnapshotEntry>;
  if (entry.sa === null || typeof entry.sa !== 'object') throw new XfrmSnapshotEntryError(index, undefined, 'sa', 'missing or not an object');
  let state: XfrmState;
  try {
    const m = xfrmMessageFromJson(entry.sa);
    if (m.type !== 'XFRM_MSG_NEWSA') throw new XfrmSnapshotEntryError(index, claimedId(entry.sa), 'sa.type', `${String(m.type)} is not XFRM_MSG_NEWSA`);
    state = stateFromMessage(m.body, m.attrs);
  } catch (err) {
    if (err instanceof XfrmSnapshotEntryError) throw err;
    // Whatever the JSON layer threw (typed or not), the entry fails alone, by its position.
    const what = err instanceof NetlinkEncodeError ? err.what : 'sa';
    const reason = err instanceof NetlinkError ? reasonOf(err, what) : 'not an XFRM_MSG_NEWSA message in the JSON form of a snapshot';
    throw new XfrmSnapshotEntryError(index, claimedId(entry.sa), what, reason, { cause: err });
  }
  const id = idOf(state);
  for (const k of ['replayThresh', 'etimerThresh'] as const) {
    const v = entry[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new XfrmSnapshotEntryError(index, id, k, 'expected an integer from 0 to 4294967295');
    }
  }
  checkKernelLimits(state, index, id);
  if (entry.replayThresh !== undefined) state.replayThresh = entry.replayThresh;
  return entry.etimerThresh !== undefined ? { state, etimerThresh: entry.etimerThresh } : { state };
}

/**
 * The limits the kernel applies to a new SA's replay state (XFRM-ABI.md §7.1, §7.3), checked
 * before anything is sized by these fields or sent.
 */
function checkKernelLimits(s: XfrmState, index: number, id: XfrmSaId): void {
  const fail = (field: string, reason: string, cause?: unknown): never => {
    throw new XfrmSnapshotEntryError(index, id, field, reason, cause !== undefined ? { cause } : undefined);
  };
  if (s.replayEsn) {
    try {
      checkReplayEsnBounds(s.replayEsn);
    } catch (e) {
      if (!(e instanceof NetlinkEncodeError)) throw e;
      fail(e.what, reasonOf(e, e.what), e);
    }
  } else {
    if ((s.flags & XFRM_STATE_ESN) !== 0) fail('XFRMA_REPLAY_ESN_VAL', 'missing: the SA has the ESN flag');
    if (s.replayWindow > XFRM_LEGACY_REPLAY_WINDOW_MAX) {
      fail('xfrm_usersa_info.replay_window', `${s.replayWindow}: the kernel's legacy window is at most ${XFRM_LEGACY_REPLAY_WINDOW_MAX} (larger windows need ESN/BMP state)`);
    }
  }
}

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

function idOf(s: XfrmState): XfrmSaId {
  return { daddr: s.daddr, spi: s.spi, proto: s.proto, family: s.family, ...(s.mark ? { mark: s.mark } : {}) };
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
  encodeXfrmMessages([{ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(s), attrs: stateToAttrs(s, true) }]);
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
