/**
 * `struct xfrm_user_mapping` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_MAPPING`
 * (kernel → user only), sent when the NAT-T source address or port of an ESP-in-UDP SA changes.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';
import { decodeXfrmUsersaId, encodeXfrmUsersaId, type XfrmUsersaId } from './usersa-id.js';

/** `sizeof(struct xfrm_user_mapping)` from `<linux/xfrm.h>`. */
export const XFRM_USER_MAPPING_SIZE = 64;

/**
 * `struct xfrm_user_mapping` from `<linux/xfrm.h>`: the SA and its old and new peer address/port.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 24 | `id` | mixed | `struct xfrm_usersa_id` |
 * | 24 | 4 | `reqid` | host | |
 * | 28 | 16 | `old_saddr` | BE | |
 * | 44 | 16 | `new_saddr` | BE | |
 * | 60 | 2 | `old_sport` | BE | |
 * | 62 | 2 | `new_sport` | BE | |
 * @group Kernel structs
 */
export interface XfrmUserMapping {
  /** `id`: the SA (destination, SPI, family, protocol); `id.family` also picks the notation of the other addresses. */
  id: XfrmUsersaId;
  /** `reqid`: the SA's reqid (host order). */
  reqid: number;
  /** `old_saddr`: previous peer source address (network order on the wire). */
  oldSaddr: XfrmAddress;
  /** `new_saddr`: new peer source address (network order on the wire). */
  newSaddr: XfrmAddress;
  /** `old_sport`: previous peer UDP source port as a number (big-endian `__be16` on the wire). */
  oldSport: number;
  /** `new_sport`: new peer UDP source port as a number (big-endian `__be16` on the wire). */
  newSport: number;
}

/**
 * Encode a `struct xfrm_user_mapping` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field (errors inside
 * `id` name `xfrm_usersa_id.*`).
 */
export function encodeXfrmUserMapping(view: DataView, offset: number, v: XfrmUserMapping, le: boolean): void {
  encodeXfrmUsersaId(view, offset, v.id, le);
  checkUint('xfrm_user_mapping.reqid', v.reqid, 0xffffffff);
  encodeXfrmAddress(view, offset + 28, v.oldSaddr, 'xfrm_user_mapping.old_saddr');
  encodeXfrmAddress(view, offset + 44, v.newSaddr, 'xfrm_user_mapping.new_saddr');
  checkUint('xfrm_user_mapping.old_sport', v.oldSport, 0xffff);
  checkUint('xfrm_user_mapping.new_sport', v.newSport, 0xffff);
  view.setUint32(offset + 24, v.reqid, le);
  view.setUint16(offset + 60, v.oldSport, false);
  view.setUint16(offset + 62, v.newSport, false);
}

/**
 * Decode a `struct xfrm_user_mapping` (`<linux/xfrm.h>`) at `offset`; `id.family` picks the
 * notation of every address.
 * @throws {@link NetlinkDecodeError} if fewer than 64 bytes remain.
 */
export function decodeXfrmUserMapping(view: DataView, offset: number, le: boolean): XfrmUserMapping {
  need(view, offset, XFRM_USER_MAPPING_SIZE, 'xfrm_user_mapping');
  const id = decodeXfrmUsersaId(view, offset, le);
  const hint = familyHint(id.family);
  return {
    id,
    reqid: view.getUint32(offset + 24, le),
    oldSaddr: decodeXfrmAddress(view, offset + 28, hint),
    newSaddr: decodeXfrmAddress(view, offset + 44, hint),
    oldSport: view.getUint16(offset + 60, false),
    newSport: view.getUint16(offset + 62, false),
  };
}

/** {@link Codec} of `struct xfrm_user_mapping` from `<linux/xfrm.h>`. */
export const xfrmUserMappingCodec: Codec<XfrmUserMapping> = fixedCodec(
  'xfrm_user_mapping',
  XFRM_USER_MAPPING_SIZE,
  encodeXfrmUserMapping,
  decodeXfrmUserMapping,
);

/**
 * @internal Byte ranges of `struct xfrm_user_mapping` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_MAPPING_PADDING: ReadonlyArray<readonly [number, number]> = [[23, 24]]; // id
