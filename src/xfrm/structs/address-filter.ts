/**
 * `struct xfrm_address_filter` from `<linux/xfrm.h>`: the `XFRMA_ADDRESS_FILTER` of a GETSA dump.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_address_filter)` from `<linux/xfrm.h>`. */
export const XFRM_ADDRESS_FILTER_SIZE = 36;

/**
 * `struct xfrm_address_filter` from `<linux/xfrm.h>`: only SAs whose addresses fall in these prefixes are dumped.
 *
 * The kernel ends the dump with `EINVAL` when `splen` or `dplen` exceeds 128; the codec does not
 * enforce that, so invalid requests can be built.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 16 | `saddr` | BE |  |
 * | 16 | 16 | `daddr` | BE |  |
 * | 32 | 2 | `family` | host |  |
 * | 34 | 1 | `splen` |  |  |
 * | 35 | 1 | `dplen` |  |  |
 */
export interface XfrmAddressFilter {
  /** `saddr`: source prefix (network order on the wire). */
  saddr: XfrmAddress;
  /** `daddr`: destination prefix (network order on the wire). */
  daddr: XfrmAddress;
  /** `family`: the dump filters on family only if it is `AF_INET` or `AF_INET6` (host order). */
  family: number;
  /** `splen`: source prefix length in bits. */
  splen: number;
  /** `dplen`: destination prefix length in bits. */
  dplen: number;
}

/**
 * Encode a `struct xfrm_address_filter` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmAddressFilter(view: DataView, offset: number, v: XfrmAddressFilter, le: boolean): void {
  encodeXfrmAddress(view, offset, v.saddr, 'xfrm_address_filter.saddr');
  encodeXfrmAddress(view, offset + 16, v.daddr, 'xfrm_address_filter.daddr');
  checkUint('xfrm_address_filter.family', v.family, 0xffff);
  checkUint('xfrm_address_filter.splen', v.splen, 0xff);
  checkUint('xfrm_address_filter.dplen', v.dplen, 0xff);
  view.setUint16(offset + 32, v.family, le);
  view.setUint8(offset + 34, v.splen);
  view.setUint8(offset + 35, v.dplen);
}

/**
 * Decode a `struct xfrm_address_filter` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 36 bytes remain.
 */
export function decodeXfrmAddressFilter(view: DataView, offset: number, le: boolean): XfrmAddressFilter {
  need(view, offset, XFRM_ADDRESS_FILTER_SIZE, 'xfrm_address_filter');
  const family = view.getUint16(offset + 32, le);
  return {
    saddr: decodeXfrmAddress(view, offset, familyHint(family)),
    daddr: decodeXfrmAddress(view, offset + 16, familyHint(family)),
    family,
    splen: view.getUint8(offset + 34),
    dplen: view.getUint8(offset + 35),
  };
}

/** {@link Codec} of `struct xfrm_address_filter` from `<linux/xfrm.h>`. */
export const xfrmAddressFilterCodec: Codec<XfrmAddressFilter> = fixedCodec(
  'xfrm_address_filter',
  XFRM_ADDRESS_FILTER_SIZE,
  encodeXfrmAddressFilter,
  decodeXfrmAddressFilter,
);

/** @internal Byte ranges of `struct xfrm_address_filter` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_ADDRESS_FILTER_PADDING: ReadonlyArray<readonly [number, number]> = [];
