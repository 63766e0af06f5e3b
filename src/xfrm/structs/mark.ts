/**
 * `struct xfrm_mark` from `<linux/xfrm.h>`: a value/mask pair (`XFRMA_MARK`,
 * `xfrm_user_migrate_state.old_mark`) that is part of the SA and policy lookup key.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_mark)` from `<linux/xfrm.h>`. */
export const XFRM_MARK_SIZE = 8;

/**
 * `struct xfrm_mark` from `<linux/xfrm.h>`: mark value and mask; lookups use `v & m`.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `v` | host |  |
 * | 4 | 4 | `m` | host |  |
 * @group Kernel structs
 */
export interface XfrmMark {
  /** `v`: mark value (host order). */
  v: number;
  /** `m`: mark mask (host order); the lookup key is `v & m`. */
  m: number;
}

/**
 * Encode a `struct xfrm_mark` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmMark(view: DataView, offset: number, v: XfrmMark, le: boolean): void {
  checkUint('xfrm_mark.v', v.v, 0xffffffff);
  checkUint('xfrm_mark.m', v.m, 0xffffffff);
  view.setUint32(offset, v.v, le);
  view.setUint32(offset + 4, v.m, le);
}

/**
 * Decode a `struct xfrm_mark` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 8 bytes remain.
 */
export function decodeXfrmMark(view: DataView, offset: number, le: boolean): XfrmMark {
  need(view, offset, XFRM_MARK_SIZE, 'xfrm_mark');
  return {
    v: view.getUint32(offset, le),
    m: view.getUint32(offset + 4, le),
  };
}

/** {@link Codec} of `struct xfrm_mark` from `<linux/xfrm.h>`. */
export const xfrmMarkCodec: Codec<XfrmMark> = fixedCodec(
  'xfrm_mark',
  XFRM_MARK_SIZE,
  encodeXfrmMark,
  decodeXfrmMark,
);

/** @internal Byte ranges of `struct xfrm_mark` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_MARK_PADDING: ReadonlyArray<readonly [number, number]> = [];
