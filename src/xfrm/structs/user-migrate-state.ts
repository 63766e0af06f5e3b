/**
 * `struct xfrm_user_migrate_state` from `<linux/xfrm.h>`: the fixed header of
 * `XFRM_MSG_MIGRATE_STATE` (kernel 7.2+), which moves one SA, found by SPI and mark, to new
 * addresses while carrying its replay state over atomically.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';
import { decodeXfrmMark, encodeXfrmMark, type XfrmMark } from './mark.js';
import { decodeXfrmSelector, encodeXfrmSelector, type XfrmSelector } from './selector.js';
import { decodeXfrmUsersaId, encodeXfrmUsersaId, type XfrmUsersaId } from './usersa-id.js';

/** `sizeof(struct xfrm_user_migrate_state)` from `<linux/xfrm.h>` (same on i386). */
export const XFRM_USER_MIGRATE_STATE_SIZE = 132;

/**
 * `struct xfrm_user_migrate_state` from `<linux/xfrm.h>`: the SA to move and its new addresses,
 * selector, reqid and family.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 24 | `id` | mixed | `struct xfrm_usersa_id`; `spi` must be non-zero |
 * | 24 | 16 | `new_daddr` | BE | |
 * | 40 | 16 | `new_saddr` | BE | |
 * | 56 | 8 | `old_mark` | host | `struct xfrm_mark` |
 * | 64 | 56 | `new_sel` | mixed | `struct xfrm_selector` |
 * | 120 | 4 | `new_reqid` | host | |
 * | 124 | 4 | `flags` | host | `XFRM_MIGRATE_STATE_*` |
 * | 128 | 2 | `new_family` | host | |
 * | 130 | 2 | `reserved` | host | must be 0 |
 * @group Kernel structs
 */
export interface XfrmUserMigrateState {
  /** `id`: lookup key of the SA (with `old_mark`); its `spi` must be non-zero. */
  id: XfrmUsersaId;
  /** `new_daddr`: new destination, always used as given, even 0 (network order; notation from `new_family`). */
  newDaddr: XfrmAddress;
  /** `new_saddr`: new source (network order on the wire; notation from `new_family`). */
  newSaddr: XfrmAddress;
  /** `old_mark`: mark of the existing SA; the lookup key is `v & m`. The new mark travels in `XFRMA_MARK`. */
  oldMark: XfrmMark;
  /** `new_sel`: new selector; ignored with `XFRM_MIGRATE_STATE_UPDATE_H2H_SEL`. */
  newSel: XfrmSelector;
  /** `new_reqid`: new reqid, 0 = none (host order). */
  newReqid: number;
  /**
   * `flags`: `XFRM_MIGRATE_STATE_CLEAR_OFFLOAD` 1, `XFRM_MIGRATE_STATE_UPDATE_H2H_SEL` 2; unknown bits
   * → `EINVAL` (host order).
   */
  flags: number;
  /** `new_family`: `AF_INET` 2 or `AF_INET6` 10 (host order). */
  newFamily: number;
  /** `reserved`: must be 0, else the kernel answers `EINVAL` (host order). */
  reserved: number;
}

/**
 * Encode a `struct xfrm_user_migrate_state` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * Kernel-side rules (`spi` ≠ 0, `reserved` = 0, known `flags`) are not enforced, so that
 * rejected requests can be built.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field; errors in
 * nested structs name the nested struct.
 */
export function encodeXfrmUserMigrateState(
  view: DataView,
  offset: number,
  v: XfrmUserMigrateState,
  le: boolean,
): void {
  encodeXfrmUsersaId(view, offset, v.id, le);
  encodeXfrmAddress(view, offset + 24, v.newDaddr, 'xfrm_user_migrate_state.new_daddr');
  encodeXfrmAddress(view, offset + 40, v.newSaddr, 'xfrm_user_migrate_state.new_saddr');
  encodeXfrmMark(view, offset + 56, v.oldMark, le);
  encodeXfrmSelector(view, offset + 64, v.newSel, le);
  checkUint('xfrm_user_migrate_state.new_reqid', v.newReqid, 0xffffffff);
  checkUint('xfrm_user_migrate_state.flags', v.flags, 0xffffffff);
  checkUint('xfrm_user_migrate_state.new_family', v.newFamily, 0xffff);
  checkUint('xfrm_user_migrate_state.reserved', v.reserved, 0xffff);
  view.setUint32(offset + 120, v.newReqid, le);
  view.setUint32(offset + 124, v.flags, le);
  view.setUint16(offset + 128, v.newFamily, le);
  view.setUint16(offset + 130, v.reserved, le);
}

/**
 * Decode a `struct xfrm_user_migrate_state` (`<linux/xfrm.h>`) at `offset`; `new_family` picks
 * the notation of `new_daddr`/`new_saddr`, the nested structs use their own family.
 * @throws {@link NetlinkDecodeError} if fewer than 132 bytes remain.
 */
export function decodeXfrmUserMigrateState(view: DataView, offset: number, le: boolean): XfrmUserMigrateState {
  need(view, offset, XFRM_USER_MIGRATE_STATE_SIZE, 'xfrm_user_migrate_state');
  const newFamily = view.getUint16(offset + 128, le);
  const hint = familyHint(newFamily);
  return {
    id: decodeXfrmUsersaId(view, offset, le),
    newDaddr: decodeXfrmAddress(view, offset + 24, hint),
    newSaddr: decodeXfrmAddress(view, offset + 40, hint),
    oldMark: decodeXfrmMark(view, offset + 56, le),
    newSel: decodeXfrmSelector(view, offset + 64, le),
    newReqid: view.getUint32(offset + 120, le),
    flags: view.getUint32(offset + 124, le),
    newFamily,
    reserved: view.getUint16(offset + 130, le),
  };
}

/** {@link Codec} of `struct xfrm_user_migrate_state` from `<linux/xfrm.h>`. */
export const xfrmUserMigrateStateCodec: Codec<XfrmUserMigrateState> = fixedCodec(
  'xfrm_user_migrate_state',
  XFRM_USER_MIGRATE_STATE_SIZE,
  encodeXfrmUserMigrateState,
  decodeXfrmUserMigrateState,
);

/**
 * @internal Byte ranges of `struct xfrm_user_migrate_state` (`<linux/xfrm.h>`) that are padding (zero
 * on encode, ignored on decode).
 */
export const XFRM_USER_MIGRATE_STATE_PADDING: ReadonlyArray<readonly [number, number]> = [
  [23, 24], // id
  [109, 112], // new_sel
];
