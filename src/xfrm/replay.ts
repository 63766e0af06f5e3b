/**
 * Replay-state arithmetic, done once and right: the two bitmap layouts the kernel uses and
 * the sequence-number rules an HA restore depends on (XFRM-ABI.md §7).
 *
 * - Legacy `struct xfrm_replay_state` (window ≤ 32): bit *i* of `bitmap` ⇔ sequence
 *   `seq − i` was received (bit 0 is `seq` itself).
 * - BMP/ESN `struct xfrm_replay_state_esn`: `bmp[]` is a RING: sequence *s* lives at index
 *   `(s − 1) mod replayWindow` (low 32 bits, u32 arithmetic), word `idx >> 5`, bit `idx & 31`.
 * - `oseq` (+ `oseqHi`) is the LAST sequence number sent; the next packet carries `oseq + 1`.
 * - `seq` (+ `seqHi`) is the highest sequence number received.
 * @module
 */
import { checkUint } from '../netlink/codec.js';
import { NetlinkEncodeError } from '../netlink/errors.js';
import { type XfrmReplayState } from './structs/replay-state.js';
import { type XfrmReplayStateEsn } from './structs/replay-state-esn.js';

/** The legacy window is clamped to 32 by the kernel. */
export const XFRM_LEGACY_REPLAY_WINDOW_MAX = 32;

/** Largest ESN/BMP bitmap the kernel accepts, in u32 words (`XFRMA_REPLAY_ESN_MAX` = 4096 bits). */
export const XFRM_REPLAY_ESN_MAX_WORDS = 128;

/**
 * Check an ESN/BMP replay state against the kernel's own limits (XFRM-ABI.md §7.3): `bmp_len`
 * at most 128 words, `replay_window` at most `bmp_len × 32`, at most `bmp_len` words present,
 * every counter and word a u32. Run it before any work that is sized by these fields: a
 * corrupt `bmpLen` or `replayWindow` must not turn into a 4-billion-entry array.
 * @throws {@link NetlinkEncodeError} naming the field (`xfrm_replay_state_esn.bmp_len`, …).
 */
export function checkReplayEsnBounds(state: XfrmReplayStateEsn): void {
  checkUint('xfrm_replay_state_esn.bmp_len', state.bmpLen, 0xffffffff);
  if (state.bmpLen > XFRM_REPLAY_ESN_MAX_WORDS) {
    throw new NetlinkEncodeError('xfrm_replay_state_esn.bmp_len', `${state.bmpLen} words: the kernel accepts at most ${XFRM_REPLAY_ESN_MAX_WORDS}`);
  }
  checkUint('xfrm_replay_state_esn.replay_window', state.replayWindow, 0xffffffff);
  if (state.replayWindow > state.bmpLen * 32) {
    throw new NetlinkEncodeError('xfrm_replay_state_esn.replay_window', `${state.replayWindow} packets do not fit bmp_len ${state.bmpLen} (at most ${state.bmpLen * 32})`);
  }
  checkUint('xfrm_replay_state_esn.oseq', state.oseq, 0xffffffff);
  checkUint('xfrm_replay_state_esn.seq', state.seq, 0xffffffff);
  checkUint('xfrm_replay_state_esn.oseq_hi', state.oseqHi, 0xffffffff);
  checkUint('xfrm_replay_state_esn.seq_hi', state.seqHi, 0xffffffff);
  if (!Array.isArray(state.bmp)) throw new NetlinkEncodeError('xfrm_replay_state_esn.bmp', 'expected an array of u32 words');
  if (state.bmp.length > state.bmpLen) {
    throw new NetlinkEncodeError('xfrm_replay_state_esn.bmp', `has ${state.bmp.length} words but bmp_len is ${state.bmpLen}`);
  }
  for (let i = 0; i < state.bmp.length; i++) checkUint(`xfrm_replay_state_esn.bmp[${i}]`, state.bmp[i]!, 0xffffffff);
}

/** True if a legacy replay state records sequence `s` as received (bit `seq − s`). */
export function legacyReplayHas(state: XfrmReplayState, s: number): boolean {
  const diff = (state.seq - s) >>> 0;
  if (s > state.seq || diff >= 32) return false;
  return ((state.bitmap >>> diff) & 1) === 1;
}

/** Index in the ESN ring of sequence number `s` (low 32 bits) for a window of `replayWindow` packets. */
export function esnBitIndex(s: number, replayWindow: number): number {
  if (replayWindow <= 0) throw new NetlinkEncodeError('replay_window', 'must be > 0');
  return ((s - 1) >>> 0) % replayWindow;
}

/** True if the ESN/BMP ring has the bit of sequence `s` set. Does not check the window bounds. */
export function esnReplayBit(state: XfrmReplayStateEsn, s: number): boolean {
  const idx = esnBitIndex(s, state.replayWindow);
  return (((state.bmp[idx >>> 5] ?? 0) >>> (idx & 31)) & 1) === 1;
}

/** A copy of `state` with the ring bit of sequence `s` set. @throws {@link NetlinkEncodeError} outside the kernel's limits ({@link checkReplayEsnBounds}). */
export function esnSetReplayBit(state: XfrmReplayStateEsn, s: number): XfrmReplayStateEsn {
  const idx = esnBitIndex(s, state.replayWindow);
  const bmp = fullBmp(state);
  bmp[idx >>> 5] = (bmp[idx >>> 5]! | (1 << (idx & 31))) >>> 0;
  return { ...state, bmp };
}

/** The bitmap padded to `bmpLen` words; bounds checked first, so the allocation is at most 128 words. */
function fullBmp(state: XfrmReplayStateEsn): number[] {
  checkReplayEsnBounds(state);
  const bmp = state.bmp.slice();
  while (bmp.length < state.bmpLen) bmp.push(0);
  return bmp;
}

/** 64-bit last-sent sequence number of an ESN state (`oseqHi:oseq`). */
export function esnOutboundSeq(state: XfrmReplayStateEsn): bigint {
  return (BigInt(state.oseqHi >>> 0) << 32n) | BigInt(state.oseq >>> 0);
}

/** 64-bit highest received sequence number of an ESN state (`seqHi:seq`). */
export function esnInboundSeq(state: XfrmReplayStateEsn): bigint {
  return (BigInt(state.seqHi >>> 0) << 32n) | BigInt(state.seq >>> 0);
}

/**
 * Add `margin` to the last-sent sequence number, carrying into `oseqHi` for ESN states, so
 * that after a failover the SA continues above any number the old node may have used.
 * @throws {@link NetlinkEncodeError} if the result passes the largest sequence number
 *   (2^32 − 1 without ESN: the kernel then refuses to send with EOVERFLOW).
 */
export function advanceOutbound<T extends XfrmReplayState | XfrmReplayStateEsn>(state: T, margin: number | bigint, esn: boolean): T {
  const m = BigInt(margin);
  if (m < 0n) throw new NetlinkEncodeError('outboundSeqMargin', 'must not be negative');
  if ('bmpLen' in state) {
    const cur = esn ? esnOutboundSeq(state) : BigInt(state.oseq >>> 0);
    const next = cur + m;
    const max = esn ? 0xffffffffffffffffn : 0xffffffffn;
    if (next > max) throw new NetlinkEncodeError('oseq', `oseq ${cur} + margin ${m} passes ${max}`);
    return { ...state, oseq: Number(next & 0xffffffffn), oseqHi: esn ? Number(next >> 32n) : state.oseqHi };
  }
  const next = BigInt(state.oseq >>> 0) + m;
  if (next > 0xffffffffn) throw new NetlinkEncodeError('oseq', `oseq ${state.oseq} + margin ${m} passes 4294967295`);
  return { ...state, oseq: Number(next) };
}

/**
 * A copy of the state with every bit of the window set: the restored SA then accepts only
 * sequence numbers above `seq` (nothing at or below it can be replayed, at the price of
 * dropping late packets that were legitimately in flight).
 * @throws {@link NetlinkEncodeError} for an ESN/BMP state outside the kernel's limits
 *   ({@link checkReplayEsnBounds}), checked before anything is allocated.
 */
export function closeWindow<T extends XfrmReplayState | XfrmReplayStateEsn>(state: T): T {
  if ('bmpLen' in state) {
    const bmp = fullBmp(state);
    for (let i = 0; i < state.replayWindow; i++) bmp[i >>> 5] = (bmp[i >>> 5]! | (1 << (i & 31))) >>> 0;
    return { ...state, bmp };
  }
  return { ...state, bitmap: 0xffffffff };
}
