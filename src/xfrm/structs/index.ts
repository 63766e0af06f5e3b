/**
 * Codecs of every struct of `<linux/xfrm.h>`, one file per struct (x86_64 layout): plain
 * `encodeXxx`/`decodeXxx` functions, a `Codec` each, `XXX_SIZE` and the padding tables.
 * @module
 */
export * from './address.js';
export * from './selector.js';
export * from './lifetime-cfg.js';
export * from './lifetime-cur.js';
export * from './id.js';
export * from './sec-ctx.js';
export * from './user-sec-ctx.js';
export * from './replay-state.js';
export * from './replay-state-esn.js';
export * from './algo.js';
export * from './algo-auth.js';
export * from './algo-aead.js';
export * from './stats.js';
export * from './mark.js';
export * from './encap-tmpl.js';
export * from './user-tmpl.js';
export * from './userpolicy-type.js';
export * from './user-offload.js';
export * from './usersa-info.js';
export * from './usersa-id.js';
export * from './usersa-flush.js';
export * from './aevent-id.js';
export * from './userspi-info.js';
export * from './userpolicy-info.js';
export * from './userpolicy-id.js';
export * from './userpolicy-default.js';
export * from './user-acquire.js';
export * from './user-expire.js';
export * from './user-polexpire.js';
export * from './user-report.js';
export * from './user-kmaddress.js';
export * from './user-migrate.js';
export * from './user-migrate-state.js';
export * from './user-mapping.js';
export * from './address-filter.js';
export * from './sadhinfo.js';
export * from './spdinfo.js';
export * from './spdhinfo.js';
export * from './spdhthresh.js';
