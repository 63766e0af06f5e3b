/**
 * XFRM codecs: constants, every `<linux/xfrm.h>` struct, the `XFRMA_*` attribute spaces and
 * every `XFRM_MSG_*` message. Pure functions, no I/O. Subpath `netlink-xfrm/xfrm`.
 * @module xfrm
 */
export * from './constants.js';
export * from './structs/index.js';
export * from './attributes.js';
export * from './messages/index.js';
export * from './family.js';
export * from './json.js';
export * from './key.js';
