/**
 * `struct xfrm_id` from `<linux/xfrm.h>`: the identity of an SA (destination address, SPI,
 * IPsec protocol), the SA lookup key together with the mark.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_id)` from `<linux/xfrm.h>` (including 3 bytes of tail padding). */
export const XFRM_ID_SIZE = 24;

/**
 * `struct xfrm_id` from `<linux/xfrm.h>`.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 16 | `daddr` | BE | SA destination |
 * | 16 | 4 | `spi` | BE | IPCOMP: the 16-bit CPI |
 * | 20 | 1 | `proto` | | `IPPROTO_ESP`/`AH`/`COMP`/`ROUTING`/`DSTOPTS`; 3 bytes padding follow |
 * @group Kernel structs
 */
export interface XfrmId {
  /** `daddr`: destination address of the SA (network order on the wire). */
  daddr: XfrmAddress;
  /**
   * `spi`: Security Parameter Index as a host number; the wire `__be32` is big-endian. For
   * `IPPROTO_COMP` it is the CPI, which the kernel requires to be below 0x10000.
   */
  spi: number;
  /** `proto`: IPsec protocol number (ESP 50, AH 51, COMP 108, ROUTING 43, DSTOPTS 60). */
  proto: number;
}

/**
 * Encode a `struct xfrm_id` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or an out-of-range `spi`/`proto`.
 */
export function encodeXfrmId(view: DataView, offset: number, v: XfrmId, le: boolean): void {
  encodeXfrmIdFields(view, offset, v.daddr, v.spi, v.proto, le);
}

/** @internal {@link encodeXfrmId} from the fields themselves (bulk writers: no struct object per request). */
export function encodeXfrmIdFields(view: DataView, offset: number, daddr: XfrmAddress, spi: number, proto: number, _le: boolean): void {
  // `le` is unused: every multi-byte field of xfrm_id is big-endian.
  encodeXfrmAddress(view, offset, daddr, 'xfrm_id.daddr');
  checkUint('xfrm_id.spi', spi, 0xffffffff);
  checkUint('xfrm_id.proto', proto, 0xff);
  writeXfrmIdTail(view, offset, spi, proto);
}

/**
 * @internal {@link encodeXfrmIdFields} without the range checks of `spi` and `proto`, for
 * input checked before; the address is still parsed (and bad text still throws).
 */
export function encodeXfrmIdChecked(view: DataView, offset: number, daddr: XfrmAddress, spi: number, proto: number): void {
  encodeXfrmAddress(view, offset, daddr, 'xfrm_id.daddr');
  writeXfrmIdTail(view, offset, spi, proto);
}

function writeXfrmIdTail(view: DataView, offset: number, spi: number, proto: number): void {
  view.setUint32(offset + 16, spi, false);
  view.setUint8(offset + 20, proto);
}

/**
 * Decode a `struct xfrm_id` (`<linux/xfrm.h>`) at `offset`. The struct has no family field, so
 * the enclosing struct passes its own (`familyHint()`) to choose the address notation.
 * @throws {@link NetlinkDecodeError} if fewer than 24 bytes remain.
 */
export function decodeXfrmId(view: DataView, offset: number, le: boolean, family?: number): XfrmId {
  need(view, offset, XFRM_ID_SIZE, 'xfrm_id');
  return {
    daddr: decodeXfrmAddress(view, offset, family),
    spi: view.getUint32(offset + 16, false),
    proto: view.getUint8(offset + 20),
  };
}

/** {@link Codec} of `struct xfrm_id` from `<linux/xfrm.h>`. */
export const xfrmIdCodec: Codec<XfrmId> = fixedCodec('xfrm_id', XFRM_ID_SIZE, encodeXfrmId, (v, o, le) =>
  decodeXfrmId(v, o, le),
);

/**
 * @internal Byte ranges of `struct xfrm_id` (`<linux/xfrm.h>`) that are padding (zero on encode,
 * ignored on decode).
 */
export const XFRM_ID_PADDING: ReadonlyArray<readonly [number, number]> = [[21, 24]];
