/**
 * `struct xfrm_replay_state` from `<linux/xfrm.h>`: the legacy (32-packet window) anti-replay
 * state of an SA, carried by `XFRMA_REPLAY_VAL`.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_replay_state)` from `<linux/xfrm.h>`. */
export const XFRM_REPLAY_STATE_SIZE = 12;

/**
 * `struct xfrm_replay_state` from `<linux/xfrm.h>`: sequence counters and the 32-bit replay bitmap of
 * an SA without ESN/BMP state.
 *
 * Only meaningful for SAs in LEGACY replay mode (no `XFRMA_REPLAY_ESN_VAL` at creation); the window
 * is `xfrm_usersa_info.replay_window`, which the kernel clamps to 32. To make the next outbound packet
 * carry sequence number N, set `oseq` to N − 1.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `oseq` | host | last sent |
 * | 4 | 4 | `seq` | host | highest received |
 * | 8 | 4 | `bitmap` | host | bit i = seq − i |
 * @group Kernel structs
 */
export interface XfrmReplayState {
  /** `oseq`: last sequence number SENT (host order); the next packet carries `oseq + 1`. */
  oseq: number;
  /** `seq`: highest sequence number RECEIVED (host order), the top of the replay window. */
  seq: number;
  /**
   * `bitmap`: bit i set ⇔ sequence number `seq − i` was received; bit 0 is `seq` itself (host order).
   * Unlike the ESN bitmap this is not a ring.
   */
  bitmap: number;
}

/**
 * Encode a `struct xfrm_replay_state` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmReplayState(view: DataView, offset: number, v: XfrmReplayState, le: boolean): void {
  checkUint('xfrm_replay_state.oseq', v.oseq, 0xffffffff);
  checkUint('xfrm_replay_state.seq', v.seq, 0xffffffff);
  checkUint('xfrm_replay_state.bitmap', v.bitmap, 0xffffffff);
  view.setUint32(offset, v.oseq, le);
  view.setUint32(offset + 4, v.seq, le);
  view.setUint32(offset + 8, v.bitmap, le);
}

/**
 * Decode a `struct xfrm_replay_state` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 12 bytes remain.
 */
export function decodeXfrmReplayState(view: DataView, offset: number, le: boolean): XfrmReplayState {
  need(view, offset, XFRM_REPLAY_STATE_SIZE, 'xfrm_replay_state');
  return {
    oseq: view.getUint32(offset, le),
    seq: view.getUint32(offset + 4, le),
    bitmap: view.getUint32(offset + 8, le),
  };
}

/** {@link Codec} of `struct xfrm_replay_state` from `<linux/xfrm.h>`. */
export const xfrmReplayStateCodec: Codec<XfrmReplayState> = fixedCodec(
  'xfrm_replay_state',
  XFRM_REPLAY_STATE_SIZE,
  encodeXfrmReplayState,
  decodeXfrmReplayState,
);

/** @internal Byte ranges of `struct xfrm_replay_state` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_REPLAY_STATE_PADDING: ReadonlyArray<readonly [number, number]> = [];
