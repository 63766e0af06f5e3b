/**
 * Netlink alignment and length macros (`NLMSG_ALIGN`, `NLA_ALIGN`, `RTA_LENGTH`, …) from
 * `<linux/netlink.h>` and `<linux/rtnetlink.h>`.
 * @module
 */

/** `NLMSG_ALIGNTO`: messages start on 4-byte boundaries. */
export const NLMSG_ALIGNTO = 4;
/** `NLMSG_HDRLEN`: size of `struct nlmsghdr`. */
export const NLMSG_HDRLEN = 16;
/** `NLA_ALIGNTO` (= `RTA_ALIGNTO`): attributes start on 4-byte boundaries. */
export const NLA_ALIGNTO = 4;
/** `NLA_HDRLEN` (= `RTA_LENGTH(0)`): size of `struct nlattr` / `struct rtattr`. */
export const NLA_HDRLEN = 4;

/**
 * `NLMSG_ALIGN(len)`: round up to a multiple of 4.
 * @remarks Exact for every length up to 2^53, unlike C's `(len + 3) & ~3` on JavaScript's
 * 32-bit `&`, which turns a u32 length of 2^31 − 3 or more into a negative number (and
 * 2^32 − 3 or more into a tiny one). `-len & 3` only keeps the two low bits, which
 * the 32-bit conversion preserves.
 */
export function nlmsgAlign(len: number): number {
  return len + (-len & (NLMSG_ALIGNTO - 1));
}
/** `NLMSG_LENGTH(len)`: `nlmsg_len` of a message with `len` payload bytes (no trailing padding). */
export function nlmsgLength(len: number): number {
  return len + NLMSG_HDRLEN;
}
/** `NLMSG_SPACE(len)`: bytes a message with `len` payload bytes occupies in a datagram. */
export function nlmsgSpace(len: number): number {
  return nlmsgAlign(len + NLMSG_HDRLEN);
}
/**
 * `NLA_ALIGN(len)` (= `RTA_ALIGN`): round up to a multiple of 4. Exact up to 2^53, like
 * {@link nlmsgAlign}.
 */
export function nlaAlign(len: number): number {
  return len + (-len & (NLA_ALIGNTO - 1));
}
/** `RTA_LENGTH(len)`: `rta_len` / `nla_len` of an attribute with `len` payload bytes (no padding). */
export function rtaLength(len: number): number {
  return len + NLA_HDRLEN;
}
/** `RTA_SPACE(len)`: bytes an attribute with `len` payload bytes occupies, padding included. */
export function rtaSpace(len: number): number {
  return nlaAlign(len + NLA_HDRLEN);
}
