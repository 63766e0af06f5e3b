/**
 * Test helpers for code built on this library (subpath `netlink-xfrm/testing`): a fake
 * kernel that plugs in below the framing code, so your tests run the real socket logic
 * without root.
 * @module testing
 */
export * from './fake-kernel.js';
