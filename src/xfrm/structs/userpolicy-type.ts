/**
 * `struct xfrm_userpolicy_type` from `<linux/xfrm.h>`: selects the main or sub policy table
 * (`XFRMA_POLICY_TYPE`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_userpolicy_type)` from `<linux/xfrm.h>`. */
export const XFRM_USERPOLICY_TYPE_SIZE = 6;

/**
 * `struct xfrm_userpolicy_type` from `<linux/xfrm.h>`: policy type plus two reserved fields; alignment
 * 2, holes at bytes 1 and 5.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 1 | `type` |  | 1 byte padding follows |
 * | 2 | 2 | `reserved1` | host |  |
 * | 4 | 1 | `reserved2` |  | 1 byte tail padding |
 */
export interface XfrmUserpolicyType {
  /** `type`: `XFRM_POLICY_TYPE_MAIN` 0 or `XFRM_POLICY_TYPE_SUB` 1 (SUB needs `CONFIG_XFRM_SUB_POLICY`). */
  type: number;
  /** `reserved1`: ignored by the kernel, zero on output (host order). */
  reserved1: number;
  /** `reserved2`: ignored by the kernel. */
  reserved2: number;
}

/**
 * Encode a `struct xfrm_userpolicy_type` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUserpolicyType(view: DataView, offset: number, v: XfrmUserpolicyType, le: boolean): void {
  checkUint('xfrm_userpolicy_type.type', v.type, 0xff);
  checkUint('xfrm_userpolicy_type.reserved1', v.reserved1, 0xffff);
  checkUint('xfrm_userpolicy_type.reserved2', v.reserved2, 0xff);
  view.setUint8(offset, v.type);
  view.setUint16(offset + 2, v.reserved1, le);
  view.setUint8(offset + 4, v.reserved2);
}

/**
 * Decode a `struct xfrm_userpolicy_type` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 6 bytes remain.
 */
export function decodeXfrmUserpolicyType(view: DataView, offset: number, le: boolean): XfrmUserpolicyType {
  need(view, offset, XFRM_USERPOLICY_TYPE_SIZE, 'xfrm_userpolicy_type');
  return {
    type: view.getUint8(offset),
    reserved1: view.getUint16(offset + 2, le),
    reserved2: view.getUint8(offset + 4),
  };
}

/** {@link Codec} of `struct xfrm_userpolicy_type` from `<linux/xfrm.h>`. */
export const xfrmUserpolicyTypeCodec: Codec<XfrmUserpolicyType> = fixedCodec(
  'xfrm_userpolicy_type',
  XFRM_USERPOLICY_TYPE_SIZE,
  encodeXfrmUserpolicyType,
  decodeXfrmUserpolicyType,
);

/**
 * @internal Byte ranges of `struct xfrm_userpolicy_type` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USERPOLICY_TYPE_PADDING: ReadonlyArray<readonly [number, number]> = [[1, 2], [5, 6]];
