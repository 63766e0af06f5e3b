/**
 * `struct nl_pktinfo` from `<linux/netlink.h>`: the `NETLINK_PKTINFO` control message payload that
 * tells which multicast group a datagram was sent to.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from './codec.js';
import { need } from './view.js';

/** `sizeof(struct nl_pktinfo)` from `<linux/netlink.h>`. */
export const NL_PKTINFO_SIZE = 4;

/**
 * `struct nl_pktinfo` from `<linux/netlink.h>`: the multicast group of a received message.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `group` | host |  |
 */
export interface NlPktinfo {
  /** `group`: multicast group number, 0 for unicast (host order). */
  group: number;
}

/**
 * Encode a `struct nl_pktinfo` (`<linux/netlink.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeNlPktinfo(view: DataView, offset: number, v: NlPktinfo, le: boolean): void {
  checkUint('nl_pktinfo.group', v.group, 0xffffffff);
  view.setUint32(offset, v.group, le);
}

/**
 * Decode a `struct nl_pktinfo` (`<linux/netlink.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 4 bytes remain.
 */
export function decodeNlPktinfo(view: DataView, offset: number, le: boolean): NlPktinfo {
  need(view, offset, NL_PKTINFO_SIZE, 'nl_pktinfo');
  return {
    group: view.getUint32(offset, le),
  };
}

/** {@link Codec} of `struct nl_pktinfo` from `<linux/netlink.h>`. */
export const nlPktinfoCodec: Codec<NlPktinfo> = fixedCodec(
  'nl_pktinfo',
  NL_PKTINFO_SIZE,
  encodeNlPktinfo,
  decodeNlPktinfo,
);

/** @internal Byte ranges of `struct nl_pktinfo` (`<linux/netlink.h>`) that are padding: none. */
export const NL_PKTINFO_PADDING: ReadonlyArray<readonly [number, number]> = [];
