/**
 * Async-event (AE) state of an SA: what `XFRM_MSG_GETAE` returns and `XFRM_MSG_NEWAE` sets.
 * @module
 */
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
 * ESN SA has no effect, so {@link XfrmClient.setReplayState} checks the kind first.
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
