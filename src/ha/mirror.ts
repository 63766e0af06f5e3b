/**
 * The standby's copy of the active node's XFRM state: {@link HaMirror}.
 *
 * It applies the records of one stream ({@link HaRecord}) in order and refuses what would
 * make it wrong: a gap in `seq`, a change before any full state, a new epoch that does not
 * start with one, a full state whose counts do not match. A full state is staged and replaces
 * the mirror only at a complete `full-end`, so a publisher that dies in the middle of one
 * leaves the previous mirror intact. Counters never move backwards: aevents and dumps
 * interleave, so an older report arriving late is ignored (and counted).
 * @module
 */
import { HaProtocolError, haSaIdOf, type HaCounters, type HaPolicyId, type HaRecord, type HaSaId } from './records.js';
import { type XfrmPolicy } from '../client/policy.js';
import { type XfrmState } from '../client/state.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';

/** One SA of the mirror with what the standby knows about its counters. @group Live HA */
export interface HaMirrorSa {
  /** The SA's identity (the mirror's key). */
  id: HaSaId;
  /** The SA, keys included; `replay`/`replayEsn`/`current` are the last synced counters. */
  sa: XfrmState;
  /** Replay threshold in force on the active node (packets), if known. */
  replayThresh?: number;
  /** Timer threshold in force (100 ms units), if known. */
  etimerThresh?: number;
  /** When the counters were read on the active node (ms since the Unix epoch), if known. */
  syncedAt?: number;
}

/**
 * The stream broke an ordering rule: the caller must drop the link, reconnect and ask for a
 * full state. The mirror is unchanged, except that a refused `full-end` drops the staged state.
 * @group Live HA
 */
export class HaOrderError extends HaProtocolError {
  /** The `seq` the mirror expected next (`lastSeq + 1`), or undefined when only a full state can follow. */
  readonly expected?: number;
  /** The refused record's `seq`. */
  readonly got: number;
  /** @param field what is out of order. @param reason why. @param got its seq. @param expected the seq expected. */
  constructor(field: string, reason: string, got: number, expected?: number) {
    super(field, reason);
    this.name = 'HaOrderError';
    this.got = got;
    if (expected !== undefined) this.expected = expected;
  }
}

/** What {@link HaMirror.apply} did with a record. */
export type HaApplyStatus =
  /** Applied (or staged, inside a full state). */
  | 'applied'
  /** Its `seq` was already applied in this epoch: nothing changed (redelivery is harmless). */
  | 'duplicate'
  /** Counters older than the mirror's (an aevent and a dump interleaved): ignored. */
  | 'stale'
  /** Counters or a delete for an SA the mirror does not hold: ignored. */
  | 'unknown-sa';

/** A summary for a daemon's status line or the CLI's lag display. @group Live HA */
export interface HaMirrorSummary {
  /** Epoch of the stream being followed. */
  epoch?: string;
  /** Epoch of the committed state (differs from `epoch` while a new epoch's full state is staged). */
  stateEpoch?: string;
  /** Last `seq` accepted (staged records included). */
  lastSeq: number;
  /** SAs in the committed state. */
  sas: number;
  /** Policies in the committed state. */
  policies: number;
  /** Whether a full state has been committed at least once. */
  complete: boolean;
  /** Records staged so far, while a full state is being received. */
  staging?: {
    /** `full-sa` records received. */
    sas: number;
    /** `full-policy` records received. */
    policies: number;
  };
  /** A `resync` was received (or a full state abandoned): only a `full-begin` is accepted. */
  awaitingFullState: boolean;
  /** Counters records ignored because older than the mirror's. */
  staleCounters: number;
  /** Records ignored as already applied. */
  duplicates: number;
  /** Counters or deletes for SAs the mirror does not hold. */
  unknownSa: number;
  /** Newest `syncedAt` of any SA (ms). */
  newestSyncedAt?: number;
  /** Oldest `syncedAt` among the SAs that have one (ms): the SA a takeover knows least about. */
  oldestSyncedAt?: number;
  /** When the last record was applied, by the mirror's clock (ms). */
  lastAppliedAt?: number;
}

/** Options of {@link HaMirror}. @group Live HA */
export interface HaMirrorOptions {
  /** Clock for `lastAppliedAt` (ms); default `Date.now`. */
  now?: () => number;
}

/** Key of an SA: the kernel's lookup identity (daddr, spi, proto, mark). */
export function haSaKey(id: HaSaId): string {
  const m = id.mark ?? { v: 0, m: 0 };
  return `${id.daddr}|${id.spi >>> 0}|${id.proto}|${m.v >>> 0}/${m.m >>> 0}`;
}

function selectorKey(s: XfrmSelector): string {
  return [s.family, s.daddr, s.prefixlenD, s.saddr, s.prefixlenS, s.dport, s.dportMask, s.sport, s.sportMask, s.proto, s.ifindex, s.user].join(',');
}

/** Key of a policy by what the kernel looks it up by without an index: type, dir, selector, mark, if_id. */
function policyKey(type: number | undefined, dir: number, sel: XfrmSelector, mark: { v: number; m: number } | undefined, ifId: number | undefined): string {
  const mk = mark ?? { v: 0, m: 0 };
  return `${type ?? 0}|${dir}|${selectorKey(sel)}|${mk.v >>> 0}/${mk.m >>> 0}|${ifId ?? 0}`;
}

/** @internal Key of a policy: what the kernel looks it up by without an index (type, dir, selector, mark, if_id). */
export function haPolicyKey(p: XfrmPolicy): string {
  return policyKey(p.type, p.dir, p.selector, p.mark, p.ifId);
}

/**
 * @internal The mirror's state proper: what a full state replaces as a whole. The publisher keeps
 * its model of the active node in the same tables.
 */
export class MirrorState {
  readonly sas = new Map<string, HaMirrorSa>();
  readonly policies = new Map<string, XfrmPolicy>();
  /** `dir|index` → policy key. */
  readonly byIndex = new Map<string, string>();

  putPolicy(p: XfrmPolicy): void {
    const k = haPolicyKey(p);
    const old = this.policies.get(k);
    if (old && old.index) this.byIndex.delete(`${old.dir}|${old.index}`);
    // A policy re-added with another identity under the same index replaces the old one.
    if (p.index) {
      const prev = this.byIndex.get(`${p.dir}|${p.index}`);
      if (prev !== undefined && prev !== k) this.policies.delete(prev);
      this.byIndex.set(`${p.dir}|${p.index}`, k);
    }
    this.policies.set(k, p);
  }

  deletePolicy(id: HaPolicyId): boolean {
    let k: string | undefined;
    if ('index' in id) k = this.byIndex.get(`${id.dir}|${id.index}`);
    else k = policyKey(id.ptype, id.dir, id.selector, id.mark, id.ifId);
    if (k === undefined) return false;
    const p = this.policies.get(k);
    if (!p) return false;
    this.policies.delete(k);
    if (p.index) this.byIndex.delete(`${p.dir}|${p.index}`);
    return true;
  }
}

/** 64-bit (oseq, seq) of a replay state (ESN: `hi:lo`; legacy: 32-bit). */
function seqsOf(s: { replay?: XfrmReplayState; replayEsn?: XfrmReplayStateEsn }): [bigint, bigint] | undefined {
  if (s.replayEsn) {
    const r = s.replayEsn;
    return [(BigInt(r.oseqHi >>> 0) << 32n) | BigInt(r.oseq >>> 0), (BigInt(r.seqHi >>> 0) << 32n) | BigInt(r.seq >>> 0)];
  }
  if (s.replay) return [BigInt(s.replay.oseq >>> 0), BigInt(s.replay.seq >>> 0)];
  return undefined;
}

/**
 * `'older'` when `next` moves either counter below `held` (an interleaved, older report),
 * `'same'` when both are equal, else `'newer'`. Either counter lower is enough to refuse the
 * whole report: applying it would lower that counter, and a lower `oseq` reuses sequence
 * numbers (AEAD nonces) while a lower `seq` reopens packets to replay.
 */
function compareCounters(held: XfrmState, next: { replay?: XfrmReplayState; replayEsn?: XfrmReplayStateEsn }): 'older' | 'same' | 'newer' {
  const a = seqsOf(held);
  const b = seqsOf(next);
  if (!a || !b) return 'newer';
  if (b[0] < a[0] || b[1] < a[1]) return 'older';
  return b[0] === a[0] && b[1] === a[1] ? 'same' : 'newer';
}

/**
 * The standby's in-memory mirror. Apply every record of the stream with {@link apply}; read
 * with {@link sas}, {@link policies}, {@link sa} and {@link summary}. Not safe to share
 * between two streams.
 * @group Live HA
 */
export class HaMirror {
  private state = new MirrorState();
  private staged: MirrorState | undefined;
  private stagedTakenAt = 0;
  private stagedSas = 0;
  private stagedPolicies = 0;
  private awaitFull = false;
  private committed = false;
  private streamEpoch: string | undefined;
  private committedEpoch: string | undefined;
  private seq = 0;
  private stale = 0;
  private dups = 0;
  private unknown = 0;
  private appliedAt: number | undefined;
  private readonly now: () => number;

  /** @param opts options (a clock for tests). */
  constructor(opts: HaMirrorOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Epoch of the stream being followed (undefined before the first record). */
  get epoch(): string | undefined {
    return this.streamEpoch;
  }

  /** Last `seq` accepted in {@link epoch} (0 before the first record). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Whether a full state was ever committed (a takeover from an incomplete mirror is unsafe). */
  get complete(): boolean {
    return this.committed;
  }

  /** Whether a full state is being staged (between `full-begin` and `full-end`). */
  get staging(): boolean {
    return this.staged !== undefined;
  }

  /**
   * Apply one record. Order rules: within an epoch each record's `seq` is `lastSeq + 1`
   * (one at or below `lastSeq` is a redelivery: `'duplicate'`, nothing changes); a `resync`
   * or `full-begin` may skip forward, and is the only record that may start a new epoch;
   * after a `resync` only `full-begin` is accepted; between `full-begin` and `full-end` only
   * `full-sa`, `full-policy`, `full-end` (or a new `resync`/`full-begin`, which drops the staged
   * state). `full-end` commits the staged state if its counts match.
   * @throws {@link HaOrderError} when a rule is broken (the mirror is unchanged, except that a
   *   refused `full-end` drops the staged state), {@link HaProtocolError} for counters whose
   *   replay state has the wrong kind for the SA.
   */
  apply(r: HaRecord): HaApplyStatus {
    const syncPoint = r.type === 'resync' || r.type === 'full-begin';
    if (r.epoch !== this.streamEpoch) {
      if (!syncPoint) throw new HaOrderError('epoch', `a new epoch must start with resync or full-begin, not ${r.type}`, r.seq);
    } else if (r.seq <= this.seq) {
      this.dups++;
      return 'duplicate';
    } else if (r.seq !== this.seq + 1 && !syncPoint) {
      throw new HaOrderError('seq', `gap: expected ${this.seq + 1}, got ${r.seq}`, r.seq, this.seq + 1);
    }
    const status = this.applyInOrder(r);
    if (r.epoch !== this.streamEpoch) this.streamEpoch = r.epoch;
    this.seq = r.seq;
    this.appliedAt = this.now();
    return status;
  }

  private refuse(r: HaRecord, reason: string): never {
    throw new HaOrderError('type', reason, r.seq, this.awaitFull || !this.committed ? undefined : this.seq + 1);
  }

  private applyInOrder(r: HaRecord): HaApplyStatus {
    if (r.type === 'resync') {
      this.staged = undefined;
      this.awaitFull = true;
      return 'applied';
    }
    if (r.type === 'full-begin') {
      this.staged = new MirrorState();
      this.stagedTakenAt = r.takenAt;
      this.stagedSas = 0;
      this.stagedPolicies = 0;
      this.awaitFull = false;
      return 'applied';
    }
    if (this.awaitFull) this.refuse(r, `${r.type} after a resync: a full state (full-begin) must come first`);
    if (this.staged) {
      const st = this.staged;
      switch (r.type) {
        case 'full-sa': {
          const id = haSaIdOf(r.sa);
          const e: HaMirrorSa = { id, sa: r.sa, syncedAt: this.stagedTakenAt };
          if (r.replayThresh !== undefined) e.replayThresh = r.replayThresh;
          if (r.etimerThresh !== undefined) e.etimerThresh = r.etimerThresh;
          // Counted per record, as the publisher counts what it sent: an SA a dump repeats
          // (a dump restarted by the kernel) is one SA in the mirror but two records.
          this.stagedSas++;
          st.sas.set(haSaKey(id), e);
          return 'applied';
        }
        case 'full-policy': {
          this.stagedPolicies++;
          st.putPolicy(r.policy);
          return 'applied';
        }
        case 'full-end': {
          if (r.sas !== this.stagedSas || r.policies !== this.stagedPolicies) {
            const got = `${this.stagedSas} SAs and ${this.stagedPolicies} policies`;
            this.staged = undefined;
            this.awaitFull = true;
            throw new HaOrderError('full-end', `incomplete full state: announced ${r.sas} SAs and ${r.policies} policies, received ${got}`, r.seq);
          }
          this.state = st;
          this.staged = undefined;
          this.committed = true;
          this.committedEpoch = r.epoch;
          return 'applied';
        }
        default:
          this.refuse(r, `${r.type} inside a full state (only full-sa, full-policy, full-end)`);
      }
    }
    if (!this.committed) this.refuse(r, `${r.type} before any full state`);
    const st = this.state;
    switch (r.type) {
      case 'full-sa':
      case 'full-policy':
      case 'full-end':
        return this.refuse(r, `${r.type} outside a full state`);
      case 'sa-add':
      case 'sa-update': {
        const id = haSaIdOf(r.sa);
        const k = haSaKey(id);
        const old = st.sas.get(k);
        const e: HaMirrorSa = { id, sa: r.sa };
        if (old?.syncedAt !== undefined) e.syncedAt = old.syncedAt;
        // An event's replay state may be older than counters already synced: keep the newer.
        if (old && compareCounters(old.sa, r.sa) === 'older') {
          e.sa = { ...r.sa };
          delete e.sa.replay;
          delete e.sa.replayEsn;
          if (old.sa.replay) e.sa.replay = old.sa.replay;
          if (old.sa.replayEsn) e.sa.replayEsn = old.sa.replayEsn;
          if (old.sa.current) e.sa.current = old.sa.current;
        }
        const rt = r.replayThresh ?? old?.replayThresh;
        if (rt !== undefined) e.replayThresh = rt;
        const et = r.etimerThresh ?? old?.etimerThresh;
        if (et !== undefined) e.etimerThresh = et;
        st.sas.set(k, e);
        return 'applied';
      }
      case 'sa-delete': {
        if (st.sas.delete(haSaKey(r.id))) return 'applied';
        this.unknown++;
        return 'unknown-sa';
      }
      case 'counters':
        return this.applyCounters(st, r);
      case 'policy-add':
      case 'policy-update':
        st.putPolicy(r.policy);
        return 'applied';
      case 'policy-delete':
        // Deleting a policy the mirror does not hold is harmless (the stream is at-least-once).
        st.deletePolicy(r.id);
        return 'applied';
    }
  }

  private applyCounters(st: MirrorState, r: HaCounters): HaApplyStatus {
    const e = st.sas.get(haSaKey(r.id));
    if (!e) {
      this.unknown++;
      return 'unknown-sa';
    }
    if ((e.sa.replayEsn !== undefined) !== (r.replayEsn !== undefined) && (e.sa.replayEsn !== undefined || e.sa.replay !== undefined)) {
      throw new HaProtocolError(r.replayEsn ? 'counters.replayEsn' : 'counters.replay', `the SA has ${e.sa.replayEsn ? 'ESN/BMP' : 'legacy'} replay state`);
    }
    if (compareCounters(e.sa, r) === 'older') {
      this.stale++;
      return 'stale';
    }
    const sa: XfrmState = { ...e.sa, current: r.current };
    if (r.replayEsn) sa.replayEsn = r.replayEsn;
    else if (r.replay) sa.replay = r.replay;
    const next: HaMirrorSa = { ...e, sa, replayThresh: r.replayThresh, etimerThresh: r.etimerThresh, syncedAt: r.syncedAt };
    st.sas.set(haSaKey(r.id), next);
    return 'applied';
  }

  /**
   * Give up a full state received only in part (e.g. a journal replay that ends inside one):
   * the committed state stays, and only a `resync` or `full-begin` is accepted next.
   */
  abandonFullState(): void {
    if (this.staged) {
      this.staged = undefined;
      this.awaitFull = true;
    }
  }

  /** The committed SAs (the last complete full state plus the changes since). */
  sas(): HaMirrorSa[] {
    return [...this.state.sas.values()];
  }

  /** The committed policies. */
  policies(): XfrmPolicy[] {
    return [...this.state.policies.values()];
  }

  /** One SA by identity, or undefined. */
  sa(id: HaSaId): HaMirrorSa | undefined {
    return this.state.sas.get(haSaKey(id));
  }

  /** Counts, position in the stream, and lag fields. */
  summary(): HaMirrorSummary {
    let newest: number | undefined;
    let oldest: number | undefined;
    for (const e of this.state.sas.values()) {
      if (e.syncedAt === undefined) continue;
      if (newest === undefined || e.syncedAt > newest) newest = e.syncedAt;
      if (oldest === undefined || e.syncedAt < oldest) oldest = e.syncedAt;
    }
    const s: HaMirrorSummary = {
      lastSeq: this.seq,
      sas: this.state.sas.size,
      policies: this.state.policies.size,
      complete: this.committed,
      awaitingFullState: this.awaitFull,
      staleCounters: this.stale,
      duplicates: this.dups,
      unknownSa: this.unknown,
    };
    if (this.streamEpoch !== undefined) s.epoch = this.streamEpoch;
    if (this.committedEpoch !== undefined) s.stateEpoch = this.committedEpoch;
    if (this.staged) s.staging = { sas: this.stagedSas, policies: this.stagedPolicies };
    if (newest !== undefined) s.newestSyncedAt = newest;
    if (oldest !== undefined) s.oldestSyncedAt = oldest;
    if (this.appliedAt !== undefined) s.lastAppliedAt = this.appliedAt;
    return s;
  }

  /**
   * @internal For the journal: the committed state as the records that rebuild it (a full
   * state, then the counters), all stamped `seq` = {@link lastSeq} and the committed epoch.
   */
  checkpointRecords(): HaRecord[] {
    const epoch = this.committedEpoch ?? this.streamEpoch ?? 'none';
    const seq = this.seq;
    const out: HaRecord[] = [{ type: 'full-begin', seq, epoch, takenAt: 0 }];
    for (const e of this.state.sas.values()) {
      out.push({ type: 'full-sa', seq, epoch, sa: e.sa, ...(e.replayThresh !== undefined ? { replayThresh: e.replayThresh } : {}), ...(e.etimerThresh !== undefined ? { etimerThresh: e.etimerThresh } : {}) });
    }
    for (const p of this.state.policies.values()) out.push({ type: 'full-policy', seq, epoch, policy: p });
    out.push({ type: 'full-end', seq, epoch, sas: this.state.sas.size, policies: this.state.policies.size });
    return out;
  }

  /** @internal The `syncedAt` of each SA (the checkpoint stores it beside the records). */
  syncedAtList(): Array<[HaSaId, number]> {
    const out: Array<[HaSaId, number]> = [];
    for (const e of this.state.sas.values()) if (e.syncedAt !== undefined) out.push([e.id, e.syncedAt]);
    return out;
  }

  /**
   * @internal For the journal: rebuild from {@link checkpointRecords} (order checks bypassed:
   * they were checked when first applied), then set the stream position.
   * @throws {@link HaProtocolError} when the records are not one complete full state.
   */
  static fromCheckpoint(records: readonly HaRecord[], pos: { epoch: string; lastSeq: number; streamEpoch: string | null; complete: boolean; awaitingFullState: boolean }, synced: ReadonlyArray<[HaSaId, number]>, opts: HaMirrorOptions = {}): HaMirror {
    const m = new HaMirror(opts);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (i === 0 && r.type !== 'full-begin') throw new HaProtocolError('checkpoint', 'does not start with full-begin');
      m.applyInOrder(r);
    }
    if (m.staged || (pos.complete && !m.committed)) throw new HaProtocolError('checkpoint', 'does not end with a complete full-end');
    m.committed = pos.complete;
    m.committedEpoch = pos.complete ? pos.epoch : undefined;
    m.streamEpoch = pos.streamEpoch ?? undefined;
    m.seq = pos.lastSeq;
    m.awaitFull = pos.awaitingFullState;
    for (const e of m.state.sas.values()) delete e.syncedAt;
    for (const [id, t] of synced) {
      const e = m.state.sas.get(haSaKey(id));
      if (e) e.syncedAt = t;
    }
    return m;
  }

  /** @internal Whether only a full state is accepted next (for the journal's checkpoint). */
  get awaitingFullState(): boolean {
    return this.awaitFull;
  }
}
