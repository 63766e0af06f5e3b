/**
 * netlink-xfrm: the Linux netlink protocol and its XFRM family (IPsec SAs, policies, replay
 * state, events) in TypeScript.
 *
 * ## Overview
 * - `netlink-xfrm/netlink`: the netlink core (framing, attributes, acks, errors); knows nothing of XFRM.
 * - `netlink-xfrm/xfrm`: every `<linux/xfrm.h>` struct, attribute and message as pure codecs.
 * - `netlink-xfrm/socket`: the only I/O: {@link NetlinkSocket} (requests, dumps, batches) and
 *   {@link subscribe} (multicast events) over a tiny native `AF_NETLINK` shim.
 * - `netlink-xfrm/client`: {@link XfrmClient}, friendly SA/policy models, typed events, HA
 *   snapshot/restore.
 * - `netlink-xfrm/ha`: live HA: a publisher on the active node, a follower and journal on the
 *   standby, the takeover after a crash.
 * - `netlink-xfrm/testing`: a fake kernel below the framing code, for tests without root.
 * - The root export re-exports all but `testing`.
 *
 * ## Privileges
 * Every XFRM request, reads included, needs `CAP_NET_ADMIN` in the network namespace of the
 * socket; joining XFRM multicast groups too. Without it the kernel answers `EPERM`.
 *
 * ## Network namespaces
 * `XfrmClient.open({ netns: 'blue' })` opens the socket inside `/run/netns/blue` (or any
 * namespace path) and returns the process to its own namespace; the socket stays bound to
 * the namespace it was created in.
 *
 * ## Byte order and ABI
 * Codecs take an `le` argument (default: the host's order); `__be` fields are always
 * big-endian. Struct layouts are those of 64-bit kernels (x86_64, arm64): six structs differ
 * on i386, where the socket layer refuses to run.
 * @packageDocumentation
 */
export * from './netlink/index.js';
export * from './xfrm/index.js';
export * from './socket/index.js';
export * from './client/index.js';
export * from './ha/index.js';
