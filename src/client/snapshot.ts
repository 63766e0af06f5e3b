/**
 * The HA snapshot file: its format (versioned JSON, one `XFRM_MSG_NEWSA` message per SA with
 * keys, replay state and counters, plus the async-event thresholds GETSA does not report),
 * {@link snapshot} that takes one, and the reading of entries — each an untrusted input,
 * checked against the kernel's limits before any work is done on it. Restoring is `ha.ts`.
 * @module
 */
import { NetlinkEncodeError, NetlinkError } from '../netlink/errors.js';
import { IPPROTO_AH, IPPROTO_COMP, IPPROTO_DSTOPTS, IPPROTO_ESP, IPPROTO_ROUTING, XFRM_STATE_ESN } from '../xfrm/constants.js';
import { type XfrmMessageOf } from '../xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../xfrm/json.js';
import { checkReplayEsnBounds, XFRM_LEGACY_REPLAY_WINDOW_MAX } from '../xfrm/replay.js';
import { type XfrmClient } from './client.js';
import { type XfrmSaId, type XfrmStateFilter } from './sa-id.js';
import { stateFromMessage, stateToAttrs, stateToUsersaInfo, type XfrmState } from './state.js';

/** Format version of {@link XfrmSnapshot}. @group Snapshot and restore */
export const XFRM_SNAPSHOT_VERSION = 1;

/** One SA of a {@link XfrmSnapshot}. @group Snapshot and restore */
export interface XfrmSnapshotEntry {
  /** The SA as an `XFRM_MSG_NEWSA` message in the JSON form of `xfrmMessageToJson` (keys shown). */
  sa: Record<string, unknown>;
  /** Async-event replay threshold in packets (GETAE; GETSA does not report it). */
  replayThresh?: number;
  /** Async-event timer threshold in the 100 ms units GETAE reports (the kernel takes jiffies on input). */
  etimerThresh?: number;
}

/** A kernel state {@link snapshot} left out, and why. @group Snapshot and restore */
export interface XfrmSnapshotSkipped {
  /** The state's identity. */
  id: XfrmSaId;
  /** Machine-readable reason: `'larval'` (no keys yet: an IKE negotiation in progress). */
  reason: 'larval';
  /** Human-readable detail, e.g. `'acquire placeholder (spi 0, acquire seq 7)'`. */
  detail: string;
}

/** A JSON-safe export of SAs. Keys are included: store it like key material. @group Snapshot and restore */
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

/** A snapshot cannot be used at all (not an object, wrong version, no `states` array). @group Snapshot and restore */
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
 * @group Snapshot and restore
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
 * @group Snapshot and restore
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
  return newsaMessage(plain);
}

/** @internal The NEWSA of a snapshot entry or a restore: counters included (`XFRMA_LTIME_VAL`). */
export function newsaMessage(s: XfrmState): XfrmMessageOf<'XFRM_MSG_NEWSA'> {
  return { type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(s), attrs: stateToAttrs(s, true) };
}

/** A saved SA with the timer threshold of its snapshot entry. */
/** @internal */
export interface SavedState {
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

/** @internal Message of a library error without its `what: ` prefix (the field is reported separately). */
export function reasonOf(e: unknown, what?: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return what !== undefined && m.startsWith(`${what}: `) ? m.slice(what.length + 2) : m;
}

/** @internal Parse and check one entry. @throws {@link XfrmSnapshotEntryError}. */
export function readEntry(e: unknown, index: number): SavedState {
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

/** @internal The identity of an SA, for lookups and results. */
export function idOf(s: XfrmState): XfrmSaId {
  return { daddr: s.daddr, spi: s.spi, proto: s.proto, family: s.family, ...(s.mark ? { mark: s.mark } : {}) };
}
