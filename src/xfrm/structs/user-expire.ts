/**
 * `struct xfrm_user_expire` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_EXPIRE` (an SA
 * reached a soft or hard limit; user space may also send it to expire an SA).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmUsersaInfo, encodeXfrmUsersaInfo, type XfrmUsersaInfo } from './usersa-info.js';

/**
 * `sizeof(struct xfrm_user_expire)` from `<linux/xfrm.h>` on x86_64 (including 7 bytes of tail
 * padding). i386 uses 224, with `hard` at 220.
 */
export const XFRM_USER_EXPIRE_SIZE = 232;

/**
 * `struct xfrm_user_expire` from `<linux/xfrm.h>`: the SA and whether the expiry is hard.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 224 | `state` | mixed | `struct xfrm_usersa_info` |
 * | 224 | 1 | `hard` | | 7 bytes tail padding follow (x86_64) |
 */
export interface XfrmUserExpire {
  /** `state`: the SA (on input it is looked up by `state.id`, `state.family` and `XFRMA_MARK`). */
  state: XfrmUsersaInfo;
  /** `hard`: 1 = hard expiry (the SA is deleted), 0 = soft. */
  hard: number;
}

/**
 * Encode a `struct xfrm_user_expire` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an out-of-range field (errors inside `state` name the nested struct).
 */
export function encodeXfrmUserExpire(view: DataView, offset: number, v: XfrmUserExpire, le: boolean): void {
  encodeXfrmUsersaInfo(view, offset, v.state, le);
  checkUint('xfrm_user_expire.hard', v.hard, 0xff);
  view.setUint8(offset + 224, v.hard);
}

/**
 * Decode a `struct xfrm_user_expire` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 232 bytes remain.
 */
export function decodeXfrmUserExpire(view: DataView, offset: number, le: boolean): XfrmUserExpire {
  need(view, offset, XFRM_USER_EXPIRE_SIZE, 'xfrm_user_expire');
  return {
    state: decodeXfrmUsersaInfo(view, offset, le),
    hard: view.getUint8(offset + 224),
  };
}

/** {@link Codec} of `struct xfrm_user_expire` from `<linux/xfrm.h>`. */
export const xfrmUserExpireCodec: Codec<XfrmUserExpire> = fixedCodec(
  'xfrm_user_expire',
  XFRM_USER_EXPIRE_SIZE,
  encodeXfrmUserExpire,
  decodeXfrmUserExpire,
);

/**
 * @internal Byte ranges of `struct xfrm_user_expire` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_EXPIRE_PADDING: ReadonlyArray<readonly [number, number]> = [
  [45, 48], // state.sel
  [77, 80], // state.id
  [217, 224], // state tail
  [225, 232],
];
