/**
 * `struct xfrm_user_kmaddress` from `<linux/xfrm.h>`: the key manager's endpoint addresses in a
 * `XFRM_MSG_MIGRATE` (`XFRMA_KMADDRESS`).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_user_kmaddress)` from `<linux/xfrm.h>`. */
export const XFRM_USER_KMADDRESS_SIZE = 40;

/**
 * `struct xfrm_user_kmaddress` from `<linux/xfrm.h>`: local and remote key-manager addresses.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 16 | `local` | BE |  |
 * | 16 | 16 | `remote` | BE |  |
 * | 32 | 4 | `reserved` | host |  |
 * | 36 | 2 | `family` | host | 2 bytes tail padding |
 * @group Kernel structs
 */
export interface XfrmUserKmaddress {
  /** `local`: local address (network order on the wire). */
  local: XfrmAddress;
  /** `remote`: remote address (network order on the wire). */
  remote: XfrmAddress;
  /** `reserved`: copied by the kernel, not validated (host order). */
  reserved: number;
  /** `family`: `AF_INET` 2 or `AF_INET6` 10 (host order). */
  family: number;
}

/**
 * Encode a `struct xfrm_user_kmaddress` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUserKmaddress(view: DataView, offset: number, v: XfrmUserKmaddress, le: boolean): void {
  encodeXfrmAddress(view, offset, v.local, 'xfrm_user_kmaddress.local');
  encodeXfrmAddress(view, offset + 16, v.remote, 'xfrm_user_kmaddress.remote');
  checkUint('xfrm_user_kmaddress.reserved', v.reserved, 0xffffffff);
  checkUint('xfrm_user_kmaddress.family', v.family, 0xffff);
  view.setUint32(offset + 32, v.reserved, le);
  view.setUint16(offset + 36, v.family, le);
}

/**
 * Decode a `struct xfrm_user_kmaddress` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 40 bytes remain.
 */
export function decodeXfrmUserKmaddress(view: DataView, offset: number, le: boolean): XfrmUserKmaddress {
  need(view, offset, XFRM_USER_KMADDRESS_SIZE, 'xfrm_user_kmaddress');
  const family = view.getUint16(offset + 36, le);
  return {
    local: decodeXfrmAddress(view, offset, familyHint(family)),
    remote: decodeXfrmAddress(view, offset + 16, familyHint(family)),
    reserved: view.getUint32(offset + 32, le),
    family,
  };
}

/** {@link Codec} of `struct xfrm_user_kmaddress` from `<linux/xfrm.h>`. */
export const xfrmUserKmaddressCodec: Codec<XfrmUserKmaddress> = fixedCodec(
  'xfrm_user_kmaddress',
  XFRM_USER_KMADDRESS_SIZE,
  encodeXfrmUserKmaddress,
  decodeXfrmUserKmaddress,
);

/** @internal Byte ranges of `struct xfrm_user_kmaddress` (`<linux/xfrm.h>`) that are padding (zero on encode, ignored on decode). */
export const XFRM_USER_KMADDRESS_PADDING: ReadonlyArray<readonly [number, number]> = [[38, 40]];
