/**
 * `struct xfrm_stats` from `<linux/xfrm.h>`: per-SA error counters (`xfrm_usersa_info.stats`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_stats)` from `<linux/xfrm.h>`. */
export const XFRM_STATS_SIZE = 12;

/**
 * `struct xfrm_stats` from `<linux/xfrm.h>`: error counters of an SA.
 *
 * Filled by the kernel on output; ignored on input.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `replay_window` | host | outside the window |
 * | 4 | 4 | `replay` | host | replayed |
 * | 8 | 4 | `integrity_failed` | host |  |
 * @group Kernel structs
 */
export interface XfrmStats {
  /** `replay_window`: packets dropped because they were older than the replay window (host order). */
  replayWindow: number;
  /** `replay`: packets dropped as replays, their bit was already set (host order). */
  replay: number;
  /** `integrity_failed`: packets whose ICV check failed (host order). */
  integrityFailed: number;
}

/**
 * Encode a `struct xfrm_stats` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmStats(view: DataView, offset: number, v: XfrmStats, le: boolean): void {
  checkUint('xfrm_stats.replay_window', v.replayWindow, 0xffffffff);
  checkUint('xfrm_stats.replay', v.replay, 0xffffffff);
  checkUint('xfrm_stats.integrity_failed', v.integrityFailed, 0xffffffff);
  view.setUint32(offset, v.replayWindow, le);
  view.setUint32(offset + 4, v.replay, le);
  view.setUint32(offset + 8, v.integrityFailed, le);
}

/**
 * Decode a `struct xfrm_stats` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 12 bytes remain.
 */
export function decodeXfrmStats(view: DataView, offset: number, le: boolean): XfrmStats {
  need(view, offset, XFRM_STATS_SIZE, 'xfrm_stats');
  return {
    replayWindow: view.getUint32(offset, le),
    replay: view.getUint32(offset + 4, le),
    integrityFailed: view.getUint32(offset + 8, le),
  };
}

/** {@link Codec} of `struct xfrm_stats` from `<linux/xfrm.h>`. */
export const xfrmStatsCodec: Codec<XfrmStats> = fixedCodec(
  'xfrm_stats',
  XFRM_STATS_SIZE,
  encodeXfrmStats,
  decodeXfrmStats,
);

/** @internal Byte ranges of `struct xfrm_stats` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_STATS_PADDING: ReadonlyArray<readonly [number, number]> = [];
