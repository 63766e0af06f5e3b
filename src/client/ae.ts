/**
 * An SA's async-event state, the kernel's "AE" (`XFRM_MSG_GETAE` returns it, `XFRM_MSG_NEWAE`
 * sets it): its replay state, lifetime counters and event thresholds. The client's methods
 * speak of the user's "replay state" (`getReplayState`, `setReplayState`,
 * `updateReplayState`); the types of the kernel's record keep the kernel's word (`XfrmAe…`).
 * @module
 */
import { NetlinkEncodeError, NetlinkError } from '../netlink/errors.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { type XfrmAeventId } from '../xfrm/structs/aevent-id.js';
import { type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';

/**
 * Replay state, lifetime counters and thresholds of one SA.
 *
 * Exactly one of {@link replay} (legacy SAs) and {@link replayEsn} (ESN or large-window SAs)
 * is present when read; the SA's mode, fixed at creation, decides which. When setting:
 * sending `replayEsn` to a legacy SA is silently ignored by the kernel, and `replay` to an
 * ESN SA has no effect, so {@link XfrmClient.setReplayState} checks the kind first
 * ({@link checkAeKind}).
 * @group Client models
 */
export interface XfrmAeState {
  /** Legacy replay state (`XFRMA_REPLAY_VAL`). `oseq` = last sequence number sent. */
  replay?: XfrmReplayState;
  /** ESN/BMP replay state (`XFRMA_REPLAY_ESN_VAL`); `bmp` is a ring (see `replay.ts`). */
  replayEsn?: XfrmReplayStateEsn;
  /** Lifetime counters (`XFRMA_LTIME_VAL`): bytes, packets, add_time, use_time. */
  current?: XfrmLifetimeCur;
  /** Replay-threshold in packets (`XFRMA_REPLAY_THRESH`). */
  replayThresh?: number;
  /**
   * Timer threshold (`XFRMA_ETIMER_THRESH`). Units differ by direction: NEWAE stores the
   * value as jiffies; GETAE and events report it in 100 ms units.
   */
  etimerThresh?: number;
  /** SA mark (read only here). */
  mark?: XfrmMark;
  /** SA interface id (read only here). */
  ifId?: number;
  /** SA direction (read only here). */
  dir?: number;
  /** Per-CPU SA number (read only here). */
  pcpu?: number;
  /** `xfrm_aevent_id.flags` (`XFRM_AE_*`): for events, the cause (CR, CE, CU). */
  flags: number;
  /** SA reqid. */
  reqid: number;
  /** SA source address. */
  saddr: string;
}

/** Build an {@link XfrmAeState} from a NEWAE message. */
export function aeFromMessage(id: XfrmAeventId, attrs: readonly XfrmAttribute[]): XfrmAeState {
  const ae: XfrmAeState = { flags: id.flags, reqid: id.reqid, saddr: id.saddr };
  for (const a of attrs) {
    switch (a.type) {
      case 'XFRMA_REPLAY_VAL':
        ae.replay = a.value;
        break;
      case 'XFRMA_REPLAY_ESN_VAL':
        ae.replayEsn = a.value;
        break;
      case 'XFRMA_LTIME_VAL':
        ae.current = a.value;
        break;
      case 'XFRMA_REPLAY_THRESH':
        ae.replayThresh = a.value;
        break;
      case 'XFRMA_ETIMER_THRESH':
        ae.etimerThresh = a.value;
        break;
      case 'XFRMA_MARK':
        ae.mark = a.value;
        break;
      case 'XFRMA_IF_ID':
        ae.ifId = a.value;
        break;
      case 'XFRMA_SA_DIR':
        ae.dir = a.value;
        break;
      case 'XFRMA_SA_PCPU':
        ae.pcpu = a.value;
        break;
      default:
        break;
    }
  }
  return ae;
}

/** What {@link XfrmClient.setReplayState} writes with NEWAE: replay state of the SA's kind, counters, thresholds. @group Client models */
export type XfrmAeUpdate = Pick<XfrmAeState, 'replay' | 'replayEsn' | 'current' | 'replayThresh' | 'etimerThresh'>;

/**
 * A change to an SA's replay state in words of either kind, for
 * {@link XfrmClient.updateReplayState} (the CLI's `replay set`): the words not given keep the
 * SA's current values, and the SA's kind decides which words apply.
 * @group Client models
 */
export interface XfrmReplayStateChange {
  /** Last sequence number sent (either kind). */
  oseq?: number;
  /** Highest sequence number received (either kind). */
  seq?: number;
  /** High 32 bits of `oseq` (ESN/BMP SAs only). */
  oseqHi?: number;
  /** High 32 bits of `seq` (ESN/BMP SAs only). */
  seqHi?: number;
  /** The 32-bit window bitmap (legacy SAs only). */
  bitmap?: number;
  /** The bitmap words (ESN/BMP SAs only): at most the SA's `bmpLen`, the rest are zeroed. */
  bmp?: number[];
  /** Replay threshold in packets (`XFRMA_REPLAY_THRESH`). */
  replayThresh?: number;
  /** Timer threshold in jiffies (`XFRMA_ETIMER_THRESH`). */
  etimerThresh?: number;
}

/** Replay state given in words or a kind the SA does not keep; `what` names the field. @group Errors */
export class XfrmReplayKindError extends NetlinkEncodeError {
  /** The SA's kind of replay state: `'legacy'` (`XFRMA_REPLAY_VAL`) or `'esn'` (`XFRMA_REPLAY_ESN_VAL`). */
  readonly saKind: 'legacy' | 'esn';
  /** What is wrong, without the field name. */
  readonly reason: string;
  /** @param what the field. @param saKind the SA's kind. @param reason what is wrong. */
  constructor(what: string, saKind: 'legacy' | 'esn', reason: string) {
    super(what, reason);
    this.saKind = saKind;
    this.reason = reason;
  }
}

/**
 * Replay state was given for a larval SA (an SPI reserved by `allocSpi`, or an ACQUIRE
 * placeholder): it has no keys and no replay state of its own yet, and the kernel takes NEWAE
 * only for a VALID SA. Install the SA with `updateState` first.
 */
export class XfrmLarvalStateError extends NetlinkError {
  /** The SA's SPI. */
  readonly spi: number;
  /** @param what the operation, e.g. `'XFRM_MSG_NEWAE'`. @param spi the SA's SPI. @param options `ErrorOptions`. */
  constructor(what: string, spi: number, options?: ErrorOptions) {
    super(`${what}: the SA with spi 0x${spi.toString(16).padStart(8, '0')} ${LARVAL_SA_REASON}`, options);
    this.name = 'XfrmLarvalStateError';
    this.spi = spi;
  }
}

/** Why replay state cannot be set on a larval SA (the message of {@link XfrmLarvalStateError}). */
const LARVAL_SA_REASON =
  'is larval (reserved by allocSpi or an ACQUIRE, no keys yet): it has no replay state to set and must be VALID first — install it with updateState / `state update`';

/**
 * Check that `ae` sets replay state of the kind the SA keeps (`cur`, read by GETAE): the kernel
 * silently ignores the other kind, and an ESN bitmap must have the SA's `bmpLen` words.
 * @throws {@link XfrmReplayKindError} naming `ae.replay` / `ae.replayEsn…`.
 */
export function checkAeKind(ae: XfrmAeUpdate, cur: Pick<XfrmAeState, 'replay' | 'replayEsn'>): void {
  if (ae.replay && !cur.replay) throw new XfrmReplayKindError('ae.replay', 'esn', 'the SA uses ESN/large-window replay state; pass replayEsn');
  if (ae.replayEsn && !cur.replayEsn) throw new XfrmReplayKindError('ae.replayEsn', 'legacy', 'the SA uses legacy replay state; pass replay');
  if (ae.replayEsn && cur.replayEsn && ae.replayEsn.bmpLen !== cur.replayEsn.bmpLen) {
    throw new XfrmReplayKindError('ae.replayEsn.bmpLen', 'esn', `${ae.replayEsn.bmpLen} differs from the SA's ${cur.replayEsn.bmpLen}`);
  }
  if (ae.replayEsn && ae.replayEsn.bmp.length !== ae.replayEsn.bmpLen) {
    throw new NetlinkEncodeError('ae.replayEsn.bmp', 'NEWAE needs the full bitmap (bmp.length === bmpLen)');
  }
}

/**
 * Merge `change` into the SA's current replay state `cur`, keeping the SA's kind: the replay
 * part of the NEWAE that {@link XfrmClient.updateReplayState} sends (`{}` when `change` only
 * sets thresholds). An ESN bitmap comes back with the SA's `bmpLen` words.
 * @throws {@link XfrmReplayKindError} when `change` uses words of the other kind
 *   (`change.bitmap` on an ESN/BMP SA; `change.oseqHi`, `change.seqHi`, `change.bmp` on a
 *   legacy one) or more `bmp` words than the SA has.
 */
export function mergeReplayState(
  change: XfrmReplayStateChange,
  cur: Pick<XfrmAeState, 'replay' | 'replayEsn'>,
): Pick<XfrmAeUpdate, 'replay' | 'replayEsn'> {
  const { oseq, seq, oseqHi, seqHi, bitmap, bmp } = change;
  if (oseq === undefined && seq === undefined && oseqHi === undefined && seqHi === undefined && bitmap === undefined && bmp === undefined) return {};
  const esn = cur.replayEsn;
  if (esn) {
    if (bitmap !== undefined) throw new XfrmReplayKindError('change.bitmap', 'esn', 'the SA keeps ESN/BMP replay state: give bmp instead');
    if (bmp && bmp.length > esn.bmpLen) throw new XfrmReplayKindError('change.bmp', 'esn', `the SA's bitmap has ${esn.bmpLen} words, got ${bmp.length}`);
    const words = (bmp ?? esn.bmp).slice();
    // Missing words are zero: a short bitmap from the user, or one the kernel sent short.
    while (words.length < esn.bmpLen) words.push(0);
    return {
      replayEsn: {
        ...esn,
        bmp: words,
        ...(oseq !== undefined ? { oseq } : {}),
        ...(seq !== undefined ? { seq } : {}),
        ...(oseqHi !== undefined ? { oseqHi } : {}),
        ...(seqHi !== undefined ? { seqHi } : {}),
      },
    };
  }
  const what = oseqHi !== undefined ? 'change.oseqHi' : seqHi !== undefined ? 'change.seqHi' : bmp !== undefined ? 'change.bmp' : undefined;
  if (what !== undefined) throw new XfrmReplayKindError(what, 'legacy', 'the SA keeps legacy replay state (no ESN): only oseq, seq and bitmap apply');
  const r = cur.replay ?? { oseq: 0, seq: 0, bitmap: 0 };
  return {
    replay: {
      ...r,
      ...(oseq !== undefined ? { oseq } : {}),
      ...(seq !== undefined ? { seq } : {}),
      ...(bitmap !== undefined ? { bitmap } : {}),
    },
  };
}
