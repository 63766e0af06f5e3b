/**
 * `struct xfrmu_sadhinfo` from `<linux/xfrm.h>`: SA database hash table sizes (`XFRMA_SAD_HINFO`
 * in `XFRM_MSG_NEWSADINFO` replies).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrmu_sadhinfo)` from `<linux/xfrm.h>`. */
export const XFRMU_SADHINFO_SIZE = 8;

/**
 * `struct xfrmu_sadhinfo` from `<linux/xfrm.h>`: SAD hash bucket counts.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `sadhcnt` | host |  |
 * | 4 | 4 | `sadhmcnt` | host |  |
 */
export interface XfrmuSadhinfo {
  /** `sadhcnt`: current number of SAD hash buckets (host order). */
  sadhcnt: number;
  /** `sadhmcnt`: maximum number of SAD hash buckets (host order). */
  sadhmcnt: number;
}

/**
 * Encode a `struct xfrmu_sadhinfo` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmuSadhinfo(view: DataView, offset: number, v: XfrmuSadhinfo, le: boolean): void {
  checkUint('xfrmu_sadhinfo.sadhcnt', v.sadhcnt, 0xffffffff);
  checkUint('xfrmu_sadhinfo.sadhmcnt', v.sadhmcnt, 0xffffffff);
  view.setUint32(offset, v.sadhcnt, le);
  view.setUint32(offset + 4, v.sadhmcnt, le);
}

/**
 * Decode a `struct xfrmu_sadhinfo` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 8 bytes remain.
 */
export function decodeXfrmuSadhinfo(view: DataView, offset: number, le: boolean): XfrmuSadhinfo {
  need(view, offset, XFRMU_SADHINFO_SIZE, 'xfrmu_sadhinfo');
  return {
    sadhcnt: view.getUint32(offset, le),
    sadhmcnt: view.getUint32(offset + 4, le),
  };
}

/** {@link Codec} of `struct xfrmu_sadhinfo` from `<linux/xfrm.h>`. */
export const xfrmuSadhinfoCodec: Codec<XfrmuSadhinfo> = fixedCodec(
  'xfrmu_sadhinfo',
  XFRMU_SADHINFO_SIZE,
  encodeXfrmuSadhinfo,
  decodeXfrmuSadhinfo,
);

/** @internal Byte ranges of `struct xfrmu_sadhinfo` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRMU_SADHINFO_PADDING: ReadonlyArray<readonly [number, number]> = [];
