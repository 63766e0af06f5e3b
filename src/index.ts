/**
 * netlink-xfrm: the Linux netlink protocol and its XFRM family (IPsec SAs, policies, replay
 * state, events) in TypeScript.
 *
 * ## Overview
 * - `netlink-xfrm/netlink`: the netlink core (framing, attributes, acks, errors); knows nothing of XFRM.
 * - `netlink-xfrm/xfrm`: every `<linux/xfrm.h>` struct, attribute and message as pure codecs.
 * - The root export re-exports both.
 *
 * ## Byte order and ABI
 * Codecs take an `le` argument (default: the host's order); `__be` fields are always
 * big-endian. Struct layouts are those of 64-bit kernels (x86_64, arm64): six structs differ
 * on i386, where the socket layer refuses to run.
 * @packageDocumentation
 */
export * from './netlink/index.js';
export * from './xfrm/index.js';
