/**
 * The Live HA record stream: what an active node's publisher sends to a standby, one record
 * per line, each numbered (`seq`, per stream) and tagged with the publisher run (`epoch`).
 *
 * A stream is: a full state (`full-begin`, `full-sa`…, `full-policy`…, `full-end` with the
 * counts), then changes (`sa-add`/`sa-update`/`sa-delete`, `policy-*`) and `counters` (the
 * replay state an aevent or a dump reported). `resync` announces a new full state (after an
 * overrun of the publisher's subscription, at start, on a reconnect). A new epoch means the
 * publisher restarted: the standby starts over from a full state.
 *
 * This file holds what a record is (its types, the identities of SAs and policies, the
 * protocol error); `record-codec.ts` holds its wire form.
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';
import { type XfrmPolicySelectorId } from '../client/client.js';
import { type XfrmPolicy } from '../client/policy.js';
import { type XfrmState } from '../client/state.js';

/** Version of the wire form ({@link encodeHaRecord} writes it as `v`). */
export const HA_RECORD_VERSION = 1;

/**
 * Longest line `decodeHaRecord` accepts, in characters. The largest legitimate record
 * (an SA with a 4096-bit ESN bitmap, every optional attribute and a security context) is a
 * few KiB; the bound keeps a hostile peer from making the standby parse megabytes.
 * @group Live HA
 */
export const HA_RECORD_MAX_LINE = 64 * 1024;

/** An SA's identity in the stream: what the kernel looks SAs up by. @group Live HA */
export interface HaSaId {
  /** Destination address (canonical text: as the decoder formats it). */
  daddr: string;
  /** SPI (host value). */
  spi: number;
  /** `IPPROTO_ESP`, `IPPROTO_AH`, `IPPROTO_COMP`, … */
  proto: number;
  /** Mark and mask, when the SA has one. */
  mark?: XfrmMark;
}

/** A policy addressed by its kernel index (`index & 7` is the direction). */
export interface HaPolicyIndexId {
  /** `XFRM_POLICY_IN` / `OUT` / `FWD`. */
  dir: number;
  /** Kernel-assigned index. */
  index: number;
}
/** A policy addressed by selector, direction, mark and interface id. */
export interface HaPolicySelectorId {
  /** `XFRM_POLICY_IN` / `OUT` / `FWD`. */
  dir: number;
  /** The policy's selector. */
  selector: XfrmSelector;
  /** Mark of the policy. */
  mark?: XfrmMark;
  /** XFRM interface id. */
  ifId?: number;
  /** `XFRM_POLICY_TYPE_MAIN` (default) or `SUB`. */
  ptype?: number;
}
/** A policy's identity in the stream. */
export type HaPolicyId = HaPolicyIndexId | HaPolicySelectorId;

/** Fields every record has. */
export interface HaRecordBase {
  /** Position in the stream: each record is the previous one's `seq + 1`, except at a {@link HaResync} or `full-begin`, which may skip forward. */
  seq: number;
  /** The publisher run this record belongs to (1–64 characters `[A-Za-z0-9._:-]`). */
  epoch: string;
}

/** Start of a full state: the standby stages what follows until `full-end`. */
export interface HaFullBegin extends HaRecordBase {
  /** Discriminant. */
  type: 'full-begin';
  /** When the publisher started the dump (ms since the Unix epoch). */
  takenAt: number;
}
/** An SA with the thresholds the publisher set on it. */
export interface HaSaRecordBody {
  /** The SA, keys included (`XfrmKey`s once decoded). */
  sa: XfrmState;
  /** Async-event replay threshold in force on the active node (packets). */
  replayThresh?: number;
  /** Async-event timer threshold in force, in the 100 ms units GETAE reports. */
  etimerThresh?: number;
}
/** One SA of a full state. */
export interface HaFullSa extends HaRecordBase, HaSaRecordBody {
  /** Discriminant. */
  type: 'full-sa';
}
/** One policy of a full state. */
export interface HaFullPolicy extends HaRecordBase {
  /** Discriminant. */
  type: 'full-policy';
  /** The policy. */
  policy: XfrmPolicy;
}
/** End of a full state, with the record counts the standby checks before it replaces its mirror. */
export interface HaFullEnd extends HaRecordBase {
  /** Discriminant. */
  type: 'full-end';
  /** Number of `full-sa` records sent since `full-begin`. */
  sas: number;
  /** Number of `full-policy` records sent since `full-begin`. */
  policies: number;
}
/** An SA appeared. */
export interface HaSaAdd extends HaRecordBase, HaSaRecordBody {
  /** Discriminant. */
  type: 'sa-add';
}
/** An SA changed (e.g. UPDSA filled a larval SA, thresholds were set). */
export interface HaSaUpdate extends HaRecordBase, HaSaRecordBody {
  /** Discriminant. */
  type: 'sa-update';
}
/** An SA was deleted (or expired hard). */
export interface HaSaDelete extends HaRecordBase {
  /** Discriminant. */
  type: 'sa-delete';
  /** The SA. */
  id: HaSaId;
}
/** An SA's counters advanced: what an aevent (or a GETAE / dump) reported on the active node. */
export interface HaCounters extends HaRecordBase {
  /** Discriminant. */
  type: 'counters';
  /** The SA. */
  id: HaSaId;
  /** Legacy replay state (exclusive with {@link replayEsn}). */
  replay?: XfrmReplayState;
  /** ESN / large-window replay state. */
  replayEsn?: XfrmReplayStateEsn;
  /** Current lifetime counters. */
  current: XfrmLifetimeCur;
  /** Replay threshold in force on the active node when these counters were read (packets). */
  replayThresh: number;
  /** Timer threshold in force, in 100 ms units. */
  etimerThresh: number;
  /** When the publisher read them (ms since the Unix epoch). */
  syncedAt: number;
}
/** A policy appeared. */
export interface HaPolicyAdd extends HaRecordBase {
  /** Discriminant. */
  type: 'policy-add';
  /** The policy. */
  policy: XfrmPolicy;
}
/** A policy changed. */
export interface HaPolicyUpdate extends HaRecordBase {
  /** Discriminant. */
  type: 'policy-update';
  /** The policy. */
  policy: XfrmPolicy;
}
/** A policy was deleted. */
export interface HaPolicyDelete extends HaRecordBase {
  /** Discriminant. */
  type: 'policy-delete';
  /** The policy. */
  id: HaPolicyId;
}
/** Why the publisher starts a new full state. @group Live HA */
export type HaResyncReason = 'overrun' | 'start' | 'reconnect' | 'backlog';
/** A full state follows (the next record is `full-begin`). */
export interface HaResync extends HaRecordBase {
  /** Discriminant. */
  type: 'resync';
  /**
   * `'overrun'`: events were lost; `'start'`: a new publisher run; `'reconnect'`: a new link;
   * `'backlog'`: the standby fell so far behind that its queue was dropped (memory stays bounded).
   */
  reason: HaResyncReason;
}

/** One record of the stream, discriminated on `type`. */
export type HaRecord =
  | HaFullBegin
  | HaFullSa
  | HaFullPolicy
  | HaFullEnd
  | HaSaAdd
  | HaSaUpdate
  | HaSaDelete
  | HaCounters
  | HaPolicyAdd
  | HaPolicyUpdate
  | HaPolicyDelete
  | HaResync;

/** The `type` of a {@link HaRecord}. */
export type HaRecordType = HaRecord['type'];

/**
 * A record (or a journal line, or the order of the stream) breaks the protocol. `field` names
 * what is wrong (`'seq'`, `'sa.body.id.spi'`, `'line'`…); the message never shows a key or
 * the raw line.
 * @group Live HA
 */
export class HaProtocolError extends NetlinkError {
  /** The field, e.g. `'counters.replayThresh'`. */
  readonly field: string;
  /** What is wrong with it. */
  readonly reason: string;
  /** @param field the field. @param reason what is wrong. @param options `ErrorOptions` (`cause`). */
  constructor(field: string, reason: string, options?: ErrorOptions) {
    super(`HA record: ${field}: ${reason}`, options);
    this.name = 'HaProtocolError';
    this.field = field;
    this.reason = reason;
  }
}

const EPOCH_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** An SA's identity as the HA messages print it: `proto 50 spi 0x00001000 dst 192.0.2.2 [mark V/M]` (never a key). */
export function haSaIdText(id: HaSaId): string {
  return `proto ${id.proto} spi 0x${(id.spi >>> 0).toString(16).padStart(8, '0')} dst ${id.daddr}${id.mark ? ` mark ${id.mark.v}/${id.mark.m}` : ''}`;
}

/** Whether `e` is a valid epoch: 1–64 characters `[A-Za-z0-9._:-]`. */
export function isHaEpoch(e: unknown): e is string {
  return typeof e === 'string' && EPOCH_RE.test(e);
}

/** The {@link HaSaId} of an SA (what the mirror keys it by). */
export function haSaIdOf(s: Pick<XfrmState, 'daddr' | 'spi' | 'proto' | 'mark'>): HaSaId {
  return { daddr: s.daddr, spi: s.spi, proto: s.proto, ...(s.mark ? { mark: { v: s.mark.v, m: s.mark.m } } : {}) };
}

/**
 * A policy's selector identity (selector, dir, type, mark, if_id: what the kernel keys a
 * policy by), as the client's ids spell it.
 */
export function policySelectorIdOf(p: XfrmPolicy): XfrmPolicySelectorId {
  return { dir: p.dir, selector: p.selector, ...(p.mark ? { mark: p.mark } : {}), ...(p.ifId !== undefined ? { ifId: p.ifId } : {}), ...(p.type !== undefined ? { type: p.type } : {}) };
}

/** A policy's selector identity as the records spell it (the type travels as `ptype`). */
export function haPolicyIdOf(p: XfrmPolicy): HaPolicySelectorId {
  const { type, ...id } = policySelectorIdOf(p);
  return type === undefined ? id : { ...id, ptype: type };
}
