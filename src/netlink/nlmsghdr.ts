/**
 * `struct nlmsghdr` from `<linux/netlink.h>`: the 16-byte header in front of every netlink
 * message. All fields are in host byte order.
 * @module
 */
import { fixedCodec, checkUint, type Codec } from './codec.js';
import { need } from './view.js';

/** `sizeof(struct nlmsghdr)`. */
export const NLMSGHDR_SIZE = 16;

/**
 * `struct nlmsghdr`.
 * @remarks
 * | offset | size | field | notes |
 * |---|---|---|---|
 * | 0 | 4 | `nlmsg_len` | header + payload, without the trailing padding of this message |
 * | 4 | 2 | `nlmsg_type` | `NLMSG_*` control types or the family's types (≥ 0x10) |
 * | 6 | 2 | `nlmsg_flags` | `NLM_F_*` |
 * | 8 | 4 | `nlmsg_seq` | echoed by the kernel in replies |
 * | 12 | 4 | `nlmsg_pid` | sender port id; 0 for the kernel |
 */
export interface Nlmsghdr {
  /** `nlmsg_len`: bytes of header plus payload (host order). */
  len: number;
  /** `nlmsg_type`. */
  type: number;
  /** `nlmsg_flags`: `NLM_F_*` bits. */
  flags: number;
  /** `nlmsg_seq`: sequence number. */
  seq: number;
  /** `nlmsg_pid`: port id of the sender (0 = kernel). */
  pid: number;
}

/** Encode a `struct nlmsghdr` at `offset`. @throws {@link NetlinkEncodeError} on out-of-range fields. */
export function encodeNlmsghdr(view: DataView, offset: number, h: Nlmsghdr, le: boolean): void {
  checkUint('nlmsghdr.nlmsg_len', h.len, 0xffffffff);
  checkUint('nlmsghdr.nlmsg_type', h.type, 0xffff);
  checkUint('nlmsghdr.nlmsg_flags', h.flags, 0xffff);
  checkUint('nlmsghdr.nlmsg_seq', h.seq, 0xffffffff);
  checkUint('nlmsghdr.nlmsg_pid', h.pid, 0xffffffff);
  view.setUint32(offset, h.len, le);
  view.setUint16(offset + 4, h.type, le);
  view.setUint16(offset + 6, h.flags, le);
  view.setUint32(offset + 8, h.seq, le);
  view.setUint32(offset + 12, h.pid, le);
}

/** Decode a `struct nlmsghdr` at `offset`. @throws {@link NetlinkDecodeError} if fewer than 16 bytes remain. */
export function decodeNlmsghdr(view: DataView, offset: number, le: boolean): Nlmsghdr {
  need(view, offset, NLMSGHDR_SIZE, 'nlmsghdr');
  return {
    len: view.getUint32(offset, le),
    type: view.getUint16(offset + 4, le),
    flags: view.getUint16(offset + 6, le),
    seq: view.getUint32(offset + 8, le),
    pid: view.getUint32(offset + 12, le),
  };
}

/** {@link Codec} of `struct nlmsghdr`. */
export const nlmsghdrCodec: Codec<Nlmsghdr> = fixedCodec('nlmsghdr', NLMSGHDR_SIZE, encodeNlmsghdr, decodeNlmsghdr);
