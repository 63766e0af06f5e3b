/**
 * `struct xfrm_userpolicy_id` from `<linux/xfrm.h>`: the key that selects one policy
 * (`XFRM_MSG_DELPOLICY`, `XFRM_MSG_GETPOLICY`, and the header of `XFRM_MSG_MIGRATE`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmSelector, encodeXfrmSelector, type XfrmSelector } from './selector.js';

/** `sizeof(struct xfrm_userpolicy_id)` from `<linux/xfrm.h>` (including 3 bytes of tail padding). */
export const XFRM_USERPOLICY_ID_SIZE = 64;

/**
 * `struct xfrm_userpolicy_id` from `<linux/xfrm.h>`: a policy selected by index, or by selector
 * (plus `XFRMA_MARK`, `XFRMA_IF_ID`, `XFRMA_POLICY_TYPE`, `XFRMA_SEC_CTX`) when the index is 0.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 56 | `sel` | mixed | `struct xfrm_selector`; used when `index` is 0 |
 * | 56 | 4 | `index` | host | |
 * | 60 | 1 | `dir` | | 3 bytes tail padding follow |
 * @group Kernel structs
 */
export interface XfrmUserpolicyId {
  /** `sel`: selector of the policy, used when `index` is 0. */
  sel: XfrmSelector;
  /** `index`: non-zero = look the policy up by index; `dir` must then equal `index & 7` (host order). */
  index: number;
  /** `dir`: `XFRM_POLICY_IN` 0, `XFRM_POLICY_OUT` 1, `XFRM_POLICY_FWD` 2. */
  dir: number;
}

/**
 * Encode a `struct xfrm_userpolicy_id` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field (errors inside
 * `sel` name `xfrm_selector.*`).
 */
export function encodeXfrmUserpolicyId(view: DataView, offset: number, v: XfrmUserpolicyId, le: boolean): void {
  encodeXfrmUserpolicyIdFields(view, offset, v.sel, v.index, v.dir, le);
}

/** @internal {@link encodeXfrmUserpolicyId} from the fields themselves (bulk writers: no struct object per request). */
export function encodeXfrmUserpolicyIdFields(view: DataView, offset: number, sel: XfrmSelector, index: number, dir: number, le: boolean): void {
  encodeXfrmSelector(view, offset, sel, le);
  checkUint('xfrm_userpolicy_id.index', index, 0xffffffff);
  checkUint('xfrm_userpolicy_id.dir', dir, 0xff);
  view.setUint32(offset + 56, index, le);
  view.setUint8(offset + 60, dir);
}

/**
 * Decode a `struct xfrm_userpolicy_id` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 64 bytes remain.
 */
export function decodeXfrmUserpolicyId(view: DataView, offset: number, le: boolean): XfrmUserpolicyId {
  need(view, offset, XFRM_USERPOLICY_ID_SIZE, 'xfrm_userpolicy_id');
  return {
    sel: decodeXfrmSelector(view, offset, le),
    index: view.getUint32(offset + 56, le),
    dir: view.getUint8(offset + 60),
  };
}

/** {@link Codec} of `struct xfrm_userpolicy_id` from `<linux/xfrm.h>`. */
export const xfrmUserpolicyIdCodec: Codec<XfrmUserpolicyId> = fixedCodec(
  'xfrm_userpolicy_id',
  XFRM_USERPOLICY_ID_SIZE,
  encodeXfrmUserpolicyId,
  decodeXfrmUserpolicyId,
);

/**
 * @internal Byte ranges of `struct xfrm_userpolicy_id` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USERPOLICY_ID_PADDING: ReadonlyArray<readonly [number, number]> = [
  [45, 48], // sel
  [61, 64],
];
