/**
 * Byte order. Netlink headers and most XFRM integers are in the host's byte order;
 * fields typed `__be16`/`__be32` in `<linux/xfrm.h>` (addresses, SPIs, ports) are big-endian.
 *
 * Every codec takes an explicit `le` argument (default {@link HOST_LE}) instead of reading a
 * global, so tests can force a big-endian or little-endian host on any machine.
 * @module
 */

/** True when this process runs on a little-endian CPU (detected once at load). */
export const HOST_LE: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
