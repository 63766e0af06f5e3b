/**
 * `struct xfrm_user_migrate` from `<linux/xfrm.h>`: one old→new endpoint mapping of a
 * `XFRM_MSG_MIGRATE` (`XFRMA_MIGRATE` carries an array of them).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_user_migrate)` from `<linux/xfrm.h>`. */
export const XFRM_USER_MIGRATE_SIZE = 76;

/**
 * `struct xfrm_user_migrate` from `<linux/xfrm.h>`: old and new tunnel endpoints of the SAs matching
 * `proto`/`mode`/`reqid`.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 16 | `old_daddr` | BE |  |
 * | 16 | 16 | `old_saddr` | BE |  |
 * | 32 | 16 | `new_daddr` | BE |  |
 * | 48 | 16 | `new_saddr` | BE |  |
 * | 64 | 1 | `proto` |  |  |
 * | 65 | 1 | `mode` |  |  |
 * | 66 | 2 | `reserved` | host |  |
 * | 68 | 4 | `reqid` | host |  |
 * | 72 | 2 | `old_family` | host |  |
 * | 74 | 2 | `new_family` | host |  |
 * @group Kernel structs
 */
export interface XfrmUserMigrate {
  /** `old_daddr`: current destination (network order on the wire; notation from `old_family`). */
  oldDaddr: XfrmAddress;
  /** `old_saddr`: current source (network order on the wire; notation from `old_family`). */
  oldSaddr: XfrmAddress;
  /** `new_daddr`: new destination (network order on the wire; notation from `new_family`). */
  newDaddr: XfrmAddress;
  /** `new_saddr`: new source (network order on the wire; notation from `new_family`). */
  newSaddr: XfrmAddress;
  /** `proto`: IPsec protocol of the SAs to migrate. */
  proto: number;
  /** `mode`: `XFRM_MODE_*` of the SAs to migrate. */
  mode: number;
  /** `reserved`: ignored by the kernel (host order). */
  reserved: number;
  /** `reqid`: reqid of the SAs to migrate (host order). */
  reqid: number;
  /** `old_family`: family of the old addresses (host order). */
  oldFamily: number;
  /** `new_family`: family of the new addresses (host order). */
  newFamily: number;
}

/**
 * Encode a `struct xfrm_user_migrate` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUserMigrate(view: DataView, offset: number, v: XfrmUserMigrate, le: boolean): void {
  encodeXfrmAddress(view, offset, v.oldDaddr, 'xfrm_user_migrate.old_daddr');
  encodeXfrmAddress(view, offset + 16, v.oldSaddr, 'xfrm_user_migrate.old_saddr');
  encodeXfrmAddress(view, offset + 32, v.newDaddr, 'xfrm_user_migrate.new_daddr');
  encodeXfrmAddress(view, offset + 48, v.newSaddr, 'xfrm_user_migrate.new_saddr');
  checkUint('xfrm_user_migrate.proto', v.proto, 0xff);
  checkUint('xfrm_user_migrate.mode', v.mode, 0xff);
  checkUint('xfrm_user_migrate.reserved', v.reserved, 0xffff);
  checkUint('xfrm_user_migrate.reqid', v.reqid, 0xffffffff);
  checkUint('xfrm_user_migrate.old_family', v.oldFamily, 0xffff);
  checkUint('xfrm_user_migrate.new_family', v.newFamily, 0xffff);
  view.setUint8(offset + 64, v.proto);
  view.setUint8(offset + 65, v.mode);
  view.setUint16(offset + 66, v.reserved, le);
  view.setUint32(offset + 68, v.reqid, le);
  view.setUint16(offset + 72, v.oldFamily, le);
  view.setUint16(offset + 74, v.newFamily, le);
}

/**
 * Decode a `struct xfrm_user_migrate` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 76 bytes remain.
 */
export function decodeXfrmUserMigrate(view: DataView, offset: number, le: boolean): XfrmUserMigrate {
  need(view, offset, XFRM_USER_MIGRATE_SIZE, 'xfrm_user_migrate');
  const newFamily = view.getUint16(offset + 74, le);
  const oldFamily = view.getUint16(offset + 72, le);
  return {
    oldDaddr: decodeXfrmAddress(view, offset, familyHint(oldFamily)),
    oldSaddr: decodeXfrmAddress(view, offset + 16, familyHint(oldFamily)),
    newDaddr: decodeXfrmAddress(view, offset + 32, familyHint(newFamily)),
    newSaddr: decodeXfrmAddress(view, offset + 48, familyHint(newFamily)),
    proto: view.getUint8(offset + 64),
    mode: view.getUint8(offset + 65),
    reserved: view.getUint16(offset + 66, le),
    reqid: view.getUint32(offset + 68, le),
    oldFamily,
    newFamily,
  };
}

/** {@link Codec} of `struct xfrm_user_migrate` from `<linux/xfrm.h>`. */
export const xfrmUserMigrateCodec: Codec<XfrmUserMigrate> = fixedCodec(
  'xfrm_user_migrate',
  XFRM_USER_MIGRATE_SIZE,
  encodeXfrmUserMigrate,
  decodeXfrmUserMigrate,
);

/** @internal Byte ranges of `struct xfrm_user_migrate` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_USER_MIGRATE_PADDING: ReadonlyArray<readonly [number, number]> = [];
