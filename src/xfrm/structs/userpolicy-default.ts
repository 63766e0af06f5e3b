/**
 * `struct xfrm_userpolicy_default` from `<linux/xfrm.h>`: the default action per direction when no
 * policy matches (`XFRM_MSG_SETDEFAULT`/`XFRM_MSG_GETDEFAULT`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_userpolicy_default)` from `<linux/xfrm.h>`. */
export const XFRM_USERPOLICY_DEFAULT_SIZE = 3;

/**
 * `struct xfrm_userpolicy_default` from `<linux/xfrm.h>`: default policy actions, one byte per direction, no padding.
 *
 * Values are `XFRM_USERPOLICY_UNSPEC` 0 (leave unchanged on SET), `XFRM_USERPOLICY_BLOCK` 1,
 * `XFRM_USERPOLICY_ACCEPT` 2; SETDEFAULT treats any other value like 0.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 1 | `in` |  |  |
 * | 1 | 1 | `fwd` |  |  |
 * | 2 | 1 | `out` |  |  |
 * @group Kernel structs
 */
export interface XfrmUserpolicyDefault {
  /** `in`: default for inbound traffic (`XFRM_USERPOLICY_*`). */
  in: number;
  /** `fwd`: default for forwarded traffic (`XFRM_USERPOLICY_*`). */
  fwd: number;
  /** `out`: default for outbound traffic (`XFRM_USERPOLICY_*`). */
  out: number;
}

/**
 * Encode a `struct xfrm_userpolicy_default` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUserpolicyDefault(
  view: DataView,
  offset: number,
  v: XfrmUserpolicyDefault,
  le: boolean,
): void {
  // `le` is unused: all fields are single bytes.
  checkUint('xfrm_userpolicy_default.in', v.in, 0xff);
  checkUint('xfrm_userpolicy_default.fwd', v.fwd, 0xff);
  checkUint('xfrm_userpolicy_default.out', v.out, 0xff);
  view.setUint8(offset, v.in);
  view.setUint8(offset + 1, v.fwd);
  view.setUint8(offset + 2, v.out);
}

/**
 * Decode a `struct xfrm_userpolicy_default` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 3 bytes remain.
 */
export function decodeXfrmUserpolicyDefault(view: DataView, offset: number, le: boolean): XfrmUserpolicyDefault {
  need(view, offset, XFRM_USERPOLICY_DEFAULT_SIZE, 'xfrm_userpolicy_default');
  return {
    in: view.getUint8(offset),
    fwd: view.getUint8(offset + 1),
    out: view.getUint8(offset + 2),
  };
}

/** {@link Codec} of `struct xfrm_userpolicy_default` from `<linux/xfrm.h>`. */
export const xfrmUserpolicyDefaultCodec: Codec<XfrmUserpolicyDefault> = fixedCodec(
  'xfrm_userpolicy_default',
  XFRM_USERPOLICY_DEFAULT_SIZE,
  encodeXfrmUserpolicyDefault,
  decodeXfrmUserpolicyDefault,
);

/** @internal Byte ranges of `struct xfrm_userpolicy_default` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_USERPOLICY_DEFAULT_PADDING: ReadonlyArray<readonly [number, number]> = [];
