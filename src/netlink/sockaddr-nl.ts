/**
 * `struct sockaddr_nl` from `<linux/netlink.h>`: a netlink socket address (`bind()`, `sendto()`,
 * `recvfrom()`). All fields are in host byte order.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from './codec.js';
import { need } from './view.js';

/** `sizeof(struct sockaddr_nl)` from `<linux/netlink.h>`. */
export const SOCKADDR_NL_SIZE = 12;

/**
 * `struct sockaddr_nl` from `<linux/netlink.h>`: family, port id and legacy multicast group mask.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 2 | `nl_family` | host |  |
 * | 2 | 2 | `nl_pad` | host |  |
 * | 4 | 4 | `nl_pid` | host |  |
 * | 8 | 4 | `nl_groups` | host |  |
 */
export interface SockaddrNl {
  /** `nl_family`: `AF_NETLINK` 16 (host order). */
  nlFamily: number;
  /** `nl_pad`: zero (host order). */
  nlPad: number;
  /** `nl_pid`: port id; 0 in `bind()` lets the kernel choose, 0 as destination is the kernel (host order). */
  nlPid: number;
  /** `nl_groups`: legacy multicast bitmask, bit g−1 = group g, groups 1..32 only (host order). */
  nlGroups: number;
}

/**
 * Encode a `struct sockaddr_nl` (`<linux/netlink.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeSockaddrNl(view: DataView, offset: number, v: SockaddrNl, le: boolean): void {
  checkUint('sockaddr_nl.nl_family', v.nlFamily, 0xffff);
  checkUint('sockaddr_nl.nl_pad', v.nlPad, 0xffff);
  checkUint('sockaddr_nl.nl_pid', v.nlPid, 0xffffffff);
  checkUint('sockaddr_nl.nl_groups', v.nlGroups, 0xffffffff);
  view.setUint16(offset, v.nlFamily, le);
  view.setUint16(offset + 2, v.nlPad, le);
  view.setUint32(offset + 4, v.nlPid, le);
  view.setUint32(offset + 8, v.nlGroups, le);
}

/**
 * Decode a `struct sockaddr_nl` (`<linux/netlink.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 12 bytes remain.
 */
export function decodeSockaddrNl(view: DataView, offset: number, le: boolean): SockaddrNl {
  need(view, offset, SOCKADDR_NL_SIZE, 'sockaddr_nl');
  return {
    nlFamily: view.getUint16(offset, le),
    nlPad: view.getUint16(offset + 2, le),
    nlPid: view.getUint32(offset + 4, le),
    nlGroups: view.getUint32(offset + 8, le),
  };
}

/** {@link Codec} of `struct sockaddr_nl` from `<linux/netlink.h>`. */
export const sockaddrNlCodec: Codec<SockaddrNl> = fixedCodec(
  'sockaddr_nl',
  SOCKADDR_NL_SIZE,
  encodeSockaddrNl,
  decodeSockaddrNl,
);

/** @internal Byte ranges of `struct sockaddr_nl` (`<linux/netlink.h>`) that are padding: none. */
export const SOCKADDR_NL_PADDING: ReadonlyArray<readonly [number, number]> = [];
