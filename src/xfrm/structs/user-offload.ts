/**
 * `struct xfrm_user_offload` from `<linux/xfrm.h>`: hardware offload request of an SA or policy
 * (`XFRMA_OFFLOAD_DEV`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { NetlinkEncodeError } from '../../netlink/errors.js';
import { quoteSafe } from '../../netlink/secret.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_user_offload)` from `<linux/xfrm.h>`. */
export const XFRM_USER_OFFLOAD_SIZE = 8;

/**
 * `struct xfrm_user_offload` from `<linux/xfrm.h>`: the device and mode of crypto/packet offload.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `ifindex` | host |  |
 * | 4 | 1 | `flags` |  | 3 bytes padding follow |
 * @group Kernel structs
 */
export interface XfrmUserOffload {
  /** `ifindex`: interface index of the offload device (signed `int`, host order). */
  ifindex: number;
  /** `flags`: `XFRM_OFFLOAD_IPV6` 1 (ignored by the kernel), `XFRM_OFFLOAD_INBOUND` 2, `XFRM_OFFLOAD_PACKET` 4. */
  flags: number;
}

/**
 * Encode a `struct xfrm_user_offload` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUserOffload(view: DataView, offset: number, v: XfrmUserOffload, le: boolean): void {
  if (!Number.isInteger(v.ifindex) || v.ifindex < -0x80000000 || v.ifindex > 0x7fffffff) {
    // quoteSafe: never echo a key typed into the wrong field.
    const got = quoteSafe(v.ifindex);
    throw new NetlinkEncodeError('xfrm_user_offload.ifindex', `expected a 32-bit signed integer, got ${got}`);
  }
  checkUint('xfrm_user_offload.flags', v.flags, 0xff);
  view.setInt32(offset, v.ifindex, le);
  view.setUint8(offset + 4, v.flags);
}

/**
 * Decode a `struct xfrm_user_offload` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 8 bytes remain.
 */
export function decodeXfrmUserOffload(view: DataView, offset: number, le: boolean): XfrmUserOffload {
  need(view, offset, XFRM_USER_OFFLOAD_SIZE, 'xfrm_user_offload');
  return {
    ifindex: view.getInt32(offset, le),
    flags: view.getUint8(offset + 4),
  };
}

/** {@link Codec} of `struct xfrm_user_offload` from `<linux/xfrm.h>`. */
export const xfrmUserOffloadCodec: Codec<XfrmUserOffload> = fixedCodec(
  'xfrm_user_offload',
  XFRM_USER_OFFLOAD_SIZE,
  encodeXfrmUserOffload,
  decodeXfrmUserOffload,
);

/**
 * @internal Byte ranges of `struct xfrm_user_offload` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_OFFLOAD_PADDING: ReadonlyArray<readonly [number, number]> = [[5, 8]];
