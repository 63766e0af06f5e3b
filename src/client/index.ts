/**
 * The high-level client: {@link XfrmClient}, the friendly SA and policy models, typed
 * events and HA snapshot/restore. Subpath `netlink-xfrm/client`.
 * @module client
 */
export * from './state.js';
export * from './policy.js';
export * from './ae.js';
export * from './events.js';
export * from './client.js';
export * from './ha.js';
