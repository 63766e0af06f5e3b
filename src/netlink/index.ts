/**
 * The netlink core: framing, attributes, acknowledgements and the error hierarchy. It knows
 * nothing of XFRM, so other families can reuse it. Subpath `netlink-xfrm/netlink`.
 * @module netlink
 */
export * from './constants.js';
export * from './align.js';
export * from './endian.js';
export * from './errno.js';
export * from './errors.js';
export * from './view.js';
export * from './codec.js';
export * from './nlmsghdr.js';
export * from './nlattr.js';
export * from './nlmsgerr.js';
export * from './reader.js';
export * from './writer.js';
export * from './message.js';
export * from './sockaddr-nl.js';
export * from './nl-pktinfo.js';
export * from './nla-bitfield32.js';
export * from './secret.js';
