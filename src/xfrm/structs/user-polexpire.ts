/**
 * `struct xfrm_user_polexpire` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_POLEXPIRE`
 * (a policy reached a soft or hard limit; user space may also send it).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmUserpolicyInfo, encodeXfrmUserpolicyInfo, type XfrmUserpolicyInfo } from './userpolicy-info.js';

/**
 * `sizeof(struct xfrm_user_polexpire)` from `<linux/xfrm.h>` on x86_64 (including 7 bytes of
 * tail padding). i386 uses 168, with `hard` at 164.
 */
export const XFRM_USER_POLEXPIRE_SIZE = 176;

/**
 * `struct xfrm_user_polexpire` from `<linux/xfrm.h>`: the policy and whether the expiry is hard.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 168 | `pol` | mixed | `struct xfrm_userpolicy_info` |
 * | 168 | 1 | `hard` | | 7 bytes tail padding follow (x86_64) |
 */
export interface XfrmUserPolexpire {
  /** `pol`: the policy (on input looked up like `XFRM_MSG_DELPOLICY` does). */
  pol: XfrmUserpolicyInfo;
  /** `hard`: 1 = hard expiry (the policy is deleted), 0 = soft. */
  hard: number;
}

/**
 * Encode a `struct xfrm_user_polexpire` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an out-of-range field (errors inside `pol` name the nested struct).
 */
export function encodeXfrmUserPolexpire(view: DataView, offset: number, v: XfrmUserPolexpire, le: boolean): void {
  encodeXfrmUserpolicyInfo(view, offset, v.pol, le);
  checkUint('xfrm_user_polexpire.hard', v.hard, 0xff);
  view.setUint8(offset + 168, v.hard);
}

/**
 * Decode a `struct xfrm_user_polexpire` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 176 bytes remain.
 */
export function decodeXfrmUserPolexpire(view: DataView, offset: number, le: boolean): XfrmUserPolexpire {
  need(view, offset, XFRM_USER_POLEXPIRE_SIZE, 'xfrm_user_polexpire');
  return {
    pol: decodeXfrmUserpolicyInfo(view, offset, le),
    hard: view.getUint8(offset + 168),
  };
}

/** {@link Codec} of `struct xfrm_user_polexpire` from `<linux/xfrm.h>`. */
export const xfrmUserPolexpireCodec: Codec<XfrmUserPolexpire> = fixedCodec(
  'xfrm_user_polexpire',
  XFRM_USER_POLEXPIRE_SIZE,
  encodeXfrmUserPolexpire,
  decodeXfrmUserPolexpire,
);

/**
 * @internal Byte ranges of `struct xfrm_user_polexpire` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_POLEXPIRE_PADDING: ReadonlyArray<readonly [number, number]> = [
  [45, 48], // pol.sel
  [164, 168], // pol tail
  [169, 176],
];
