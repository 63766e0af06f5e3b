/**
 * `struct nla_bitfield32` from `<linux/netlink.h>`: the payload of `NLA_BITFIELD32` attributes (a
 * value and the mask of bits it sets). Not used by XFRM.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from './codec.js';
import { need } from './view.js';

/** `sizeof(struct nla_bitfield32)` from `<linux/netlink.h>`. */
export const NLA_BITFIELD32_SIZE = 8;

/**
 * `struct nla_bitfield32` from `<linux/netlink.h>`: bit values and the selector of bits that are valid.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `value` | host |  |
 * | 4 | 4 | `selector` | host |  |
 */
export interface NlaBitfield32 {
  /** `value`: bit values (host order). */
  value: number;
  /** `selector`: mask of the bits of `value` that are meant (host order). */
  selector: number;
}

/**
 * Encode a `struct nla_bitfield32` (`<linux/netlink.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeNlaBitfield32(view: DataView, offset: number, v: NlaBitfield32, le: boolean): void {
  checkUint('nla_bitfield32.value', v.value, 0xffffffff);
  checkUint('nla_bitfield32.selector', v.selector, 0xffffffff);
  view.setUint32(offset, v.value, le);
  view.setUint32(offset + 4, v.selector, le);
}

/**
 * Decode a `struct nla_bitfield32` (`<linux/netlink.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 8 bytes remain.
 */
export function decodeNlaBitfield32(view: DataView, offset: number, le: boolean): NlaBitfield32 {
  need(view, offset, NLA_BITFIELD32_SIZE, 'nla_bitfield32');
  return {
    value: view.getUint32(offset, le),
    selector: view.getUint32(offset + 4, le),
  };
}

/** {@link Codec} of `struct nla_bitfield32` from `<linux/netlink.h>`. */
export const nlaBitfield32Codec: Codec<NlaBitfield32> = fixedCodec(
  'nla_bitfield32',
  NLA_BITFIELD32_SIZE,
  encodeNlaBitfield32,
  decodeNlaBitfield32,
);

/** @internal Byte ranges of `struct nla_bitfield32` (`<linux/netlink.h>`) that are padding: none. */
export const NLA_BITFIELD32_PADDING: ReadonlyArray<readonly [number, number]> = [];
