/**
 * Sockets: the native shim's loader, {@link NetlinkSocket} (requests, dumps, batches) and
 * {@link subscribe} (multicast notifications). The only part of the library that does I/O.
 * @module socket
 */
export * from './transport.js';
export {
  loadNativeShim,
  nativeShimAvailable,
  netnsPath,
  openNativeTransport,
  NativeTransport,
  NetlinkShimUnavailableError,
  type NativeShim,
  type NativePollHandle,
  type NativeTransportOptions,
} from './native.js';
export * from './netlink-socket.js';
export * from './subscription.js';
