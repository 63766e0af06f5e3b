/**
 * `struct xfrm_usersa_id` from `<linux/xfrm.h>`: the key that selects one SA (`XFRM_MSG_DELSA`,
 * `XFRM_MSG_GETSA`, and nested in AE, mapping and migrate-state messages).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_usersa_id)` from `<linux/xfrm.h>`. */
export const XFRM_USERSA_ID_SIZE = 24;

/**
 * `struct xfrm_usersa_id` from `<linux/xfrm.h>`: destination, SPI, family and protocol of an SA.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 16 | `daddr` | BE |  |
 * | 16 | 4 | `spi` | BE |  |
 * | 20 | 2 | `family` | host |  |
 * | 22 | 1 | `proto` |  | 1 byte padding follows |
 * @group Kernel structs
 */
export interface XfrmUsersaId {
  /** `daddr`: destination address of the SA (network order on the wire). */
  daddr: XfrmAddress;
  /** `spi`: SPI as a host number (big-endian `__be32` on the wire). */
  spi: number;
  /** `family`: `AF_INET` 2 or `AF_INET6` 10 (host order). */
  family: number;
  /**
   * `proto`: AH/ESP/COMP or 255 look the SA up by SPI; any other protocol looks it up by `daddr` plus
   * `XFRMA_SRCADDR`.
   */
  proto: number;
}

/**
 * Encode a `struct xfrm_usersa_id` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmUsersaId(view: DataView, offset: number, v: XfrmUsersaId, le: boolean): void {
  encodeXfrmUsersaIdFields(view, offset, v.daddr, v.spi, v.family, v.proto, le);
}

/** @internal {@link encodeXfrmUsersaId} from the fields themselves (bulk writers: no struct object per request). */
export function encodeXfrmUsersaIdFields(view: DataView, offset: number, daddr: XfrmAddress, spi: number, family: number, proto: number, le: boolean): void {
  encodeXfrmAddress(view, offset, daddr, 'xfrm_usersa_id.daddr');
  checkUint('xfrm_usersa_id.spi', spi, 0xffffffff);
  checkUint('xfrm_usersa_id.family', family, 0xffff);
  checkUint('xfrm_usersa_id.proto', proto, 0xff);
  view.setUint32(offset + 16, spi, false);
  view.setUint16(offset + 20, family, le);
  view.setUint8(offset + 22, proto);
}

/**
 * Decode a `struct xfrm_usersa_id` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 24 bytes remain.
 */
export function decodeXfrmUsersaId(view: DataView, offset: number, le: boolean): XfrmUsersaId {
  need(view, offset, XFRM_USERSA_ID_SIZE, 'xfrm_usersa_id');
  const family = view.getUint16(offset + 20, le);
  return {
    daddr: decodeXfrmAddress(view, offset, familyHint(family)),
    spi: view.getUint32(offset + 16, false),
    family,
    proto: view.getUint8(offset + 22),
  };
}

/** {@link Codec} of `struct xfrm_usersa_id` from `<linux/xfrm.h>`. */
export const xfrmUsersaIdCodec: Codec<XfrmUsersaId> = fixedCodec(
  'xfrm_usersa_id',
  XFRM_USERSA_ID_SIZE,
  encodeXfrmUsersaId,
  decodeXfrmUsersaId,
);

/**
 * @internal Byte ranges of `struct xfrm_usersa_id` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USERSA_ID_PADDING: ReadonlyArray<readonly [number, number]> = [[23, 24]];
