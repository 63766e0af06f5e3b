/**
 * `struct xfrm_selector` from `<linux/xfrm.h>`: the traffic selector matched by SAs and
 * policies (addresses with prefixes, ports, protocol, interface, user).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { NetlinkEncodeError } from '../../netlink/errors.js';
import { quoteSafe } from '../../netlink/secret.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';

/** `sizeof(struct xfrm_selector)`. */
export const XFRM_SELECTOR_SIZE = 56;

/**
 * `struct xfrm_selector`.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 16 | `daddr` | BE | |
 * | 16 | 16 | `saddr` | BE | |
 * | 32 | 2 | `dport` | BE | ICMP: code; GRE: low 16 bits of the key |
 * | 34 | 2 | `dport_mask` | BE | 0xffff exact, 0 any |
 * | 36 | 2 | `sport` | BE | ICMP: type; MH: MH type; GRE: high 16 bits of the key |
 * | 38 | 2 | `sport_mask` | BE | |
 * | 40 | 2 | `family` | host | `AF_INET`, `AF_INET6`, 0 (SA only) |
 * | 42 | 1 | `prefixlen_d` | | |
 * | 43 | 1 | `prefixlen_s` | | |
 * | 44 | 1 | `proto` | | L4 protocol, 0 = any; 3 bytes padding follow |
 * | 48 | 4 | `ifindex` | host | signed; 0 = any |
 * | 52 | 4 | `user` | host | uid |
 * @group Kernel structs
 */
export interface XfrmSelector {
  /** `daddr`: destination address (network order on the wire). */
  daddr: XfrmAddress;
  /** `saddr`: source address. */
  saddr: XfrmAddress;
  /** `dport`: destination port as a number (big-endian `__be16` on the wire). */
  dport: number;
  /** `dport_mask`: 0xffff = exact port, 0 = any. */
  dportMask: number;
  /** `sport`: source port (big-endian on the wire). */
  sport: number;
  /** `sport_mask`. */
  sportMask: number;
  /** `family`: `AF_INET` (2), `AF_INET6` (10) or 0 (host order). */
  family: number;
  /** `prefixlen_d`: destination prefix length in bits. */
  prefixlenD: number;
  /** `prefixlen_s`: source prefix length in bits. */
  prefixlenS: number;
  /** `proto`: L4 protocol number, 0 = any. */
  proto: number;
  /** `ifindex`: interface index (signed int, host order), 0 = any. */
  ifindex: number;
  /** `user`: uid (host order). */
  user: number;
}

/** Encode a `struct xfrm_selector` at `offset` into zeroed memory. @throws {@link NetlinkEncodeError} on invalid fields. */
export function encodeXfrmSelector(view: DataView, offset: number, v: XfrmSelector, le: boolean): void {
  encodeXfrmAddress(view, offset, v.daddr, 'xfrm_selector.daddr');
  encodeXfrmAddress(view, offset + 16, v.saddr, 'xfrm_selector.saddr');
  checkUint('xfrm_selector.dport', v.dport, 0xffff);
  checkUint('xfrm_selector.dport_mask', v.dportMask, 0xffff);
  checkUint('xfrm_selector.sport', v.sport, 0xffff);
  checkUint('xfrm_selector.sport_mask', v.sportMask, 0xffff);
  checkUint('xfrm_selector.family', v.family, 0xffff);
  checkUint('xfrm_selector.prefixlen_d', v.prefixlenD, 0xff);
  checkUint('xfrm_selector.prefixlen_s', v.prefixlenS, 0xff);
  checkUint('xfrm_selector.proto', v.proto, 0xff);
  checkUint('xfrm_selector.user', v.user, 0xffffffff);
  if (!Number.isInteger(v.ifindex) || v.ifindex < -0x80000000 || v.ifindex > 0x7fffffff) {
    throw new NetlinkEncodeError('xfrm_selector.ifindex', `expected a 32-bit signed integer, got ${quoteSafe(v.ifindex)}`);
  }
  writeXfrmSelectorFields(view, offset, v, le);
}

/**
 * @internal {@link encodeXfrmSelector} without its range checks, for writers whose input was
 * checked field by field before (the client's bulk writers, after `checkPolicyInput`): the
 * one layout of the struct. The addresses are still parsed here, so bad address text still
 * throws {@link NetlinkEncodeError} naming the field, as {@link encodeXfrmSelector} does.
 */
export function encodeXfrmSelectorChecked(view: DataView, offset: number, v: XfrmSelector, le: boolean): void {
  encodeXfrmAddress(view, offset, v.daddr, 'xfrm_selector.daddr');
  encodeXfrmAddress(view, offset + 16, v.saddr, 'xfrm_selector.saddr');
  writeXfrmSelectorFields(view, offset, v, le);
}

/** The selector's fields after the addresses, already checked. */
function writeXfrmSelectorFields(view: DataView, offset: number, v: XfrmSelector, le: boolean): void {
  view.setUint16(offset + 32, v.dport, false);
  view.setUint16(offset + 34, v.dportMask, false);
  view.setUint16(offset + 36, v.sport, false);
  view.setUint16(offset + 38, v.sportMask, false);
  view.setUint16(offset + 40, v.family, le);
  view.setUint8(offset + 42, v.prefixlenD);
  view.setUint8(offset + 43, v.prefixlenS);
  view.setUint8(offset + 44, v.proto);
  view.setInt32(offset + 48, v.ifindex, le);
  view.setUint32(offset + 52, v.user, le);
}

/** Decode a `struct xfrm_selector` at `offset`. @throws {@link NetlinkDecodeError} if fewer than 56 bytes remain. */
export function decodeXfrmSelector(view: DataView, offset: number, le: boolean): XfrmSelector {
  need(view, offset, XFRM_SELECTOR_SIZE, 'xfrm_selector');
  const family = view.getUint16(offset + 40, le);
  const hint = familyHint(family);
  return {
    daddr: decodeXfrmAddress(view, offset, hint),
    saddr: decodeXfrmAddress(view, offset + 16, hint),
    dport: view.getUint16(offset + 32, false),
    dportMask: view.getUint16(offset + 34, false),
    sport: view.getUint16(offset + 36, false),
    sportMask: view.getUint16(offset + 38, false),
    family,
    prefixlenD: view.getUint8(offset + 42),
    prefixlenS: view.getUint8(offset + 43),
    proto: view.getUint8(offset + 44),
    ifindex: view.getInt32(offset + 48, le),
    user: view.getUint32(offset + 52, le),
  };
}

/** {@link Codec} of `struct xfrm_selector`. */
export const xfrmSelectorCodec: Codec<XfrmSelector> = fixedCodec(
  'xfrm_selector',
  XFRM_SELECTOR_SIZE,
  encodeXfrmSelector,
  decodeXfrmSelector,
);

/** @internal Byte ranges of `struct xfrm_selector` that are padding (zero on encode, ignored on decode). */
export const XFRM_SELECTOR_PADDING: ReadonlyArray<readonly [number, number]> = [[45, 48]];
