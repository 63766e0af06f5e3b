/**
 * `struct xfrm_replay_state_esn` from `<linux/xfrm.h>`: the anti-replay state of an SA in BMP or
 * ESN mode (`XFRMA_REPLAY_ESN_VAL`), a 24-byte header followed by `bmp_len` bitmap words.
 * @module
 */
import { checkUint, type Codec } from '../../netlink/codec.js';
import { NetlinkEncodeError } from '../../netlink/errors.js';
import { need } from '../../netlink/view.js';
import type { XfrmReplayState } from './replay-state.js';

/** `sizeof(struct xfrm_replay_state_esn)` from `<linux/xfrm.h>`: the header before the flexible `bmp`. */
export const XFRM_REPLAY_STATE_ESN_SIZE = 24;

/**
 * `struct xfrm_replay_state_esn` from `<linux/xfrm.h>`: 64-bit sequence counters, the window and
 * the replay bitmap.
 *
 * `bmp` is a ring, not "bit i = seq − i" as in the legacy {@link XfrmReplayState}: sequence
 * number `s` is bit `idx = (s − 1) mod replay_window` (low 32 bits of `s`, u32 arithmetic), i.e.
 * bit `idx % 32` of word `bmp[idx / 32]`. To make the next outbound packet carry N, set the
 * 64-bit `oseq_hi:oseq` to N − 1.
 *
 * `bmp` holds the words actually present. NEWSA/UPDSA accept a "short form" of just the header
 * with `bmp_len > 0` (the kernel then zero-fills the bitmap); NEWAE requires all `bmp_len` words.
 * The kernel limits `bmp_len` to 128 (`XFRMA_REPLAY_ESN_MAX` bits / 32); the codec does not, so
 * that rejected requests can be built.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `bmp_len` | host | bitmap length in u32 words |
 * | 4 | 4 | `oseq` | host | last sent, low 32 bits |
 * | 8 | 4 | `seq` | host | highest received, low 32 bits |
 * | 12 | 4 | `oseq_hi` | host | ESN only |
 * | 16 | 4 | `seq_hi` | host | ESN only |
 * | 20 | 4 | `replay_window` | host | packets; ≤ `bmp_len` × 32 |
 * | 24 | 4 × n | `bmp` | host | ring of host-order u32 words |
 * @group Kernel structs
 */
export interface XfrmReplayStateEsn {
  /** `bmp_len`: bitmap length in u32 WORDS (not bits or bytes); the kernel accepts at most 128 (host order). */
  bmpLen: number;
  /** `oseq`: low 32 bits of the last sequence number SENT; the next packet carries `oseq + 1` (host order). */
  oseq: number;
  /** `seq`: low 32 bits of the highest sequence number RECEIVED (host order). */
  seq: number;
  /** `oseq_hi`: high 32 bits of the last sequence number sent; ESN mode only (host order). */
  oseqHi: number;
  /** `seq_hi`: high 32 bits of the highest sequence number received; ESN mode only (host order). */
  seqHi: number;
  /** `replay_window`: window size in packets, at most `bmp_len * 32`; 0 disables the replay check (host order). */
  replayWindow: number;
  /**
   * `bmp`: the bitmap words present on the wire (host-order u32 each), at most `bmpLen` of them;
   * sequence `s` is bit `(s − 1) mod replayWindow`. Empty for the 24-byte short form.
   */
  bmp: number[];
}

/**
 * Bytes {@link encodeXfrmReplayStateEsn} writes for `v`: the `struct xfrm_replay_state_esn`
 * (`<linux/xfrm.h>`) header plus `bmp`.
 */
export function xfrmReplayStateEsnLength(v: XfrmReplayStateEsn): number {
  return XFRM_REPLAY_STATE_ESN_SIZE + 4 * v.bmp.length;
}

/**
 * Encode a `struct xfrm_replay_state_esn` (`<linux/xfrm.h>`) at `offset` into zeroed memory: the
 * header and exactly `bmp.length` words.
 * @throws {@link NetlinkEncodeError} for a field outside u32, a `bmp` that is not an array or has
 * more than `bmpLen` words (`xfrm_replay_state_esn.bmp`), or a word outside u32
 * (`xfrm_replay_state_esn.bmp[i]`).
 */
export function encodeXfrmReplayStateEsn(view: DataView, offset: number, v: XfrmReplayStateEsn, le: boolean): void {
  checkUint('xfrm_replay_state_esn.bmp_len', v.bmpLen, 0xffffffff);
  checkUint('xfrm_replay_state_esn.oseq', v.oseq, 0xffffffff);
  checkUint('xfrm_replay_state_esn.seq', v.seq, 0xffffffff);
  checkUint('xfrm_replay_state_esn.oseq_hi', v.oseqHi, 0xffffffff);
  checkUint('xfrm_replay_state_esn.seq_hi', v.seqHi, 0xffffffff);
  checkUint('xfrm_replay_state_esn.replay_window', v.replayWindow, 0xffffffff);
  if (!Array.isArray(v.bmp)) {
    throw new NetlinkEncodeError('xfrm_replay_state_esn.bmp', 'expected an array of u32 words');
  }
  if (v.bmp.length > v.bmpLen) {
    throw new NetlinkEncodeError(
      'xfrm_replay_state_esn.bmp',
      `has ${v.bmp.length} words but bmp_len is ${v.bmpLen}`,
    );
  }
  for (let i = 0; i < v.bmp.length; i++) checkUint(`xfrm_replay_state_esn.bmp[${i}]`, v.bmp[i]!, 0xffffffff);
  view.setUint32(offset, v.bmpLen, le);
  view.setUint32(offset + 4, v.oseq, le);
  view.setUint32(offset + 8, v.seq, le);
  view.setUint32(offset + 12, v.oseqHi, le);
  view.setUint32(offset + 16, v.seqHi, le);
  view.setUint32(offset + 20, v.replayWindow, le);
  for (let i = 0; i < v.bmp.length; i++) view.setUint32(offset + 24 + 4 * i, v.bmp[i]!, le);
}

/**
 * Decode a `struct xfrm_replay_state_esn` (`<linux/xfrm.h>`) from the `available` bytes at
 * `offset`. Reads `min(bmp_len, ⌊(available − 24) / 4⌋)` words, so the short form decodes with
 * an empty `bmp`; bytes beyond `bmp_len` words are left to the caller.
 * @throws {@link NetlinkDecodeError} if fewer than 24 bytes are available.
 */
export function decodeXfrmReplayStateEsn(
  view: DataView,
  offset: number,
  available: number,
  le: boolean,
): XfrmReplayStateEsn {
  const end = Math.min(view.byteLength, offset + (available > 0 ? available : 0));
  need(view, offset, XFRM_REPLAY_STATE_ESN_SIZE, 'xfrm_replay_state_esn', end);
  const bmpLen = view.getUint32(offset, le);
  const words = Math.min(bmpLen, Math.floor((end - offset - XFRM_REPLAY_STATE_ESN_SIZE) / 4));
  const bmp: number[] = [];
  for (let i = 0; i < words; i++) bmp.push(view.getUint32(offset + 24 + 4 * i, le));
  return {
    bmpLen,
    oseq: view.getUint32(offset + 4, le),
    seq: view.getUint32(offset + 8, le),
    oseqHi: view.getUint32(offset + 12, le),
    seqHi: view.getUint32(offset + 16, le),
    replayWindow: view.getUint32(offset + 20, le),
    bmp,
  };
}

/** {@link Codec} of `struct xfrm_replay_state_esn` from `<linux/xfrm.h>` including its bitmap words. */
export const xfrmReplayStateEsnCodec: Codec<XfrmReplayStateEsn> = {
  name: 'xfrm_replay_state_esn',
  length: xfrmReplayStateEsnLength,
  encode: encodeXfrmReplayStateEsn,
  decode: decodeXfrmReplayStateEsn,
};

/** @internal Byte ranges of `struct xfrm_replay_state_esn` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_REPLAY_STATE_ESN_PADDING: ReadonlyArray<readonly [number, number]> = [];
