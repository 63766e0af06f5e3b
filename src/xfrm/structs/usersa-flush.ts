/**
 * `struct xfrm_usersa_flush` from `<linux/xfrm.h>`: the 1-byte body of `XFRM_MSG_FLUSHSA`.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_usersa_flush)` from `<linux/xfrm.h>`. */
export const XFRM_USERSA_FLUSH_SIZE = 1;

/**
 * `struct xfrm_usersa_flush` from `<linux/xfrm.h>`: which SAs to flush.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 1 | `proto` |  |  |
 */
export interface XfrmUsersaFlush {
  /** `proto`: 0 = all SAs, 255 (`IPSEC_PROTO_ANY`) = AH, ESP and IPCOMP SAs, otherwise only SAs of that protocol. */
  proto: number;
}

/**
 * Encode a `struct xfrm_usersa_flush` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUsersaFlush(view: DataView, offset: number, v: XfrmUsersaFlush, le: boolean): void {
  // `le` is unused: the struct is a single byte.
  checkUint('xfrm_usersa_flush.proto', v.proto, 0xff);
  view.setUint8(offset, v.proto);
}

/**
 * Decode a `struct xfrm_usersa_flush` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 1 bytes remain.
 */
export function decodeXfrmUsersaFlush(view: DataView, offset: number, le: boolean): XfrmUsersaFlush {
  need(view, offset, XFRM_USERSA_FLUSH_SIZE, 'xfrm_usersa_flush');
  return {
    proto: view.getUint8(offset),
  };
}

/** {@link Codec} of `struct xfrm_usersa_flush` from `<linux/xfrm.h>`. */
export const xfrmUsersaFlushCodec: Codec<XfrmUsersaFlush> = fixedCodec(
  'xfrm_usersa_flush',
  XFRM_USERSA_FLUSH_SIZE,
  encodeXfrmUsersaFlush,
  decodeXfrmUsersaFlush,
);

/** @internal Byte ranges of `struct xfrm_usersa_flush` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_USERSA_FLUSH_PADDING: ReadonlyArray<readonly [number, number]> = [];
