/**
 * `struct xfrm_encap_tmpl` from `<linux/xfrm.h>`: UDP/TCP encapsulation of ESP (NAT traversal),
 * carried by `XFRMA_ENCAP`.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_encap_tmpl)` from `<linux/xfrm.h>`. */
export const XFRM_ENCAP_TMPL_SIZE = 24;

/**
 * `struct xfrm_encap_tmpl` from `<linux/xfrm.h>`: encapsulation type, ports and NAT original address.
 *
 * Byte-order trap: `encap_type` is host order while both ports are big-endian.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 2 | `encap_type` | host | host order |
 * | 2 | 2 | `encap_sport` | BE |  |
 * | 4 | 2 | `encap_dport` | BE | 2 bytes padding follow |
 * | 8 | 16 | `encap_oa` | BE |  |
 * @group Kernel structs
 */
export interface XfrmEncapTmpl {
  /** `encap_type`: `UDP_ENCAP_ESPINUDP` 2 or `TCP_ENCAP_ESPINTCP` 7 (host order, not big-endian). */
  encapType: number;
  /** `encap_sport`: source UDP/TCP port as a number (big-endian `__be16` on the wire). */
  encapSport: number;
  /** `encap_dport`: destination UDP/TCP port as a number (big-endian `__be16` on the wire). */
  encapDport: number;
  /** `encap_oa`: original address before NAT (NAT-OA), network order on the wire. */
  encapOa: XfrmAddress;
}

/**
 * Encode a `struct xfrm_encap_tmpl` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmEncapTmpl(view: DataView, offset: number, v: XfrmEncapTmpl, le: boolean): void {
  checkUint('xfrm_encap_tmpl.encap_type', v.encapType, 0xffff);
  checkUint('xfrm_encap_tmpl.encap_sport', v.encapSport, 0xffff);
  checkUint('xfrm_encap_tmpl.encap_dport', v.encapDport, 0xffff);
  encodeXfrmAddress(view, offset + 8, v.encapOa, 'xfrm_encap_tmpl.encap_oa');
  view.setUint16(offset, v.encapType, le);
  view.setUint16(offset + 2, v.encapSport, false);
  view.setUint16(offset + 4, v.encapDport, false);
}

/**
 * Decode a `struct xfrm_encap_tmpl` (`<linux/xfrm.h>`) at `offset`. `encap_oa` has no family of its
 * own, so its notation is chosen from the bytes.
 * @throws {@link NetlinkDecodeError} if fewer than 24 bytes remain.
 */
export function decodeXfrmEncapTmpl(view: DataView, offset: number, le: boolean): XfrmEncapTmpl {
  need(view, offset, XFRM_ENCAP_TMPL_SIZE, 'xfrm_encap_tmpl');
  return {
    encapType: view.getUint16(offset, le),
    encapSport: view.getUint16(offset + 2, false),
    encapDport: view.getUint16(offset + 4, false),
    encapOa: decodeXfrmAddress(view, offset + 8),
  };
}

/** {@link Codec} of `struct xfrm_encap_tmpl` from `<linux/xfrm.h>`. */
export const xfrmEncapTmplCodec: Codec<XfrmEncapTmpl> = fixedCodec(
  'xfrm_encap_tmpl',
  XFRM_ENCAP_TMPL_SIZE,
  encodeXfrmEncapTmpl,
  decodeXfrmEncapTmpl,
);

/**
 * @internal Byte ranges of `struct xfrm_encap_tmpl` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_ENCAP_TMPL_PADDING: ReadonlyArray<readonly [number, number]> = [[6, 8]];
