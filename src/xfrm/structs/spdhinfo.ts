/**
 * `struct xfrmu_spdhinfo` from `<linux/xfrm.h>`: policy database hash table sizes (`XFRMA_SPD_HINFO`
 * in `XFRM_MSG_NEWSPDINFO` replies).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrmu_spdhinfo)` from `<linux/xfrm.h>`. */
export const XFRMU_SPDHINFO_SIZE = 8;

/**
 * `struct xfrmu_spdhinfo` from `<linux/xfrm.h>`: SPD hash bucket counts.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `spdhcnt` | host |  |
 * | 4 | 4 | `spdhmcnt` | host |  |
 * @group Kernel structs
 */
export interface XfrmuSpdhinfo {
  /** `spdhcnt`: current number of SPD hash buckets (host order). */
  spdhcnt: number;
  /** `spdhmcnt`: maximum number of SPD hash buckets (host order). */
  spdhmcnt: number;
}

/**
 * Encode a `struct xfrmu_spdhinfo` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmuSpdhinfo(view: DataView, offset: number, v: XfrmuSpdhinfo, le: boolean): void {
  checkUint('xfrmu_spdhinfo.spdhcnt', v.spdhcnt, 0xffffffff);
  checkUint('xfrmu_spdhinfo.spdhmcnt', v.spdhmcnt, 0xffffffff);
  view.setUint32(offset, v.spdhcnt, le);
  view.setUint32(offset + 4, v.spdhmcnt, le);
}

/**
 * Decode a `struct xfrmu_spdhinfo` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 8 bytes remain.
 */
export function decodeXfrmuSpdhinfo(view: DataView, offset: number, le: boolean): XfrmuSpdhinfo {
  need(view, offset, XFRMU_SPDHINFO_SIZE, 'xfrmu_spdhinfo');
  return {
    spdhcnt: view.getUint32(offset, le),
    spdhmcnt: view.getUint32(offset + 4, le),
  };
}

/** {@link Codec} of `struct xfrmu_spdhinfo` from `<linux/xfrm.h>`. */
export const xfrmuSpdhinfoCodec: Codec<XfrmuSpdhinfo> = fixedCodec(
  'xfrmu_spdhinfo',
  XFRMU_SPDHINFO_SIZE,
  encodeXfrmuSpdhinfo,
  decodeXfrmuSpdhinfo,
);

/** @internal Byte ranges of `struct xfrmu_spdhinfo` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRMU_SPDHINFO_PADDING: ReadonlyArray<readonly [number, number]> = [];
