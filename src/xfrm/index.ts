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
export {
  AE_FLAG_NAMES,
  ENCAP_TYPE_NAMES,
  MODE_NAMES,
  nameTable,
  POLICY_ACTION_NAMES,
  POLICY_DEFAULT_NAMES,
  POLICY_DIR_NAMES,
  POLICY_FLAG_NAMES,
  POLICY_TYPE_NAMES,
  SA_DIR_NAMES,
  SA_PROTO_NAMES,
  SELECTOR_PROTO_NAMES,
  splitFlags,
  STATE_EXTRA_FLAG_NAMES,
  STATE_FLAG_NAMES,
  type NameTable,
  type SplitFlags,
} from './names.js';
