/**
 * `struct xfrmu_spdhthresh` from `<linux/xfrm.h>`: prefix-length thresholds above which policies
 * are hashed (`XFRMA_SPD_IPV4_HTHRESH`/`XFRMA_SPD_IPV6_HTHRESH`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrmu_spdhthresh)` from `<linux/xfrm.h>`. */
export const XFRMU_SPDHTHRESH_SIZE = 2;

/**
 * `struct xfrmu_spdhthresh` from `<linux/xfrm.h>`: local and remote prefix-length thresholds in bits.
 *
 * The kernel accepts at most 32 (IPv4) or 128 (IPv6) for each; the codec does not enforce that, so
 * invalid requests can be built.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 1 | `lbits` |  |  |
 * | 1 | 1 | `rbits` |  |  |
 * @group Kernel structs
 */
export interface XfrmuSpdhthresh {
  /** `lbits`: local (destination) prefix length threshold in bits. */
  lbits: number;
  /** `rbits`: remote (source) prefix length threshold in bits. */
  rbits: number;
}

/**
 * Encode a `struct xfrmu_spdhthresh` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmuSpdhthresh(view: DataView, offset: number, v: XfrmuSpdhthresh, le: boolean): void {
  // `le` is unused: both fields are single bytes.
  checkUint('xfrmu_spdhthresh.lbits', v.lbits, 0xff);
  checkUint('xfrmu_spdhthresh.rbits', v.rbits, 0xff);
  view.setUint8(offset, v.lbits);
  view.setUint8(offset + 1, v.rbits);
}

/**
 * Decode a `struct xfrmu_spdhthresh` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 2 bytes remain.
 */
export function decodeXfrmuSpdhthresh(view: DataView, offset: number, le: boolean): XfrmuSpdhthresh {
  need(view, offset, XFRMU_SPDHTHRESH_SIZE, 'xfrmu_spdhthresh');
  return {
    lbits: view.getUint8(offset),
    rbits: view.getUint8(offset + 1),
  };
}

/** {@link Codec} of `struct xfrmu_spdhthresh` from `<linux/xfrm.h>`. */
export const xfrmuSpdhthreshCodec: Codec<XfrmuSpdhthresh> = fixedCodec(
  'xfrmu_spdhthresh',
  XFRMU_SPDHTHRESH_SIZE,
  encodeXfrmuSpdhthresh,
  decodeXfrmuSpdhthresh,
);

/** @internal Byte ranges of `struct xfrmu_spdhthresh` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRMU_SPDHTHRESH_PADDING: ReadonlyArray<readonly [number, number]> = [];
