/**
 * Sockets: the native shim's loader, {@link NetlinkSocket} (requests, dumps, batches) and
 * {@link subscribe} (multicast notifications). The only part of the library that does I/O.
 * @module socket
 */
export {
  type NetlinkTransport,
  type RecvInfo,
  SOL_SOCKET,
  SO_SNDBUF,
  SO_RCVBUF,
  SO_SNDBUFFORCE,
  SO_RCVBUFFORCE,
} from './transport.js';
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
export {
  NetlinkSocket,
  NetlinkDumpInterruptedError,
  type Reply,
  type Outgoing,
  type OutgoingHeader,
  type OutgoingMessage,
  type CallOptions,
  type DumpOptions,
  type BatchOptions,
  type BatchResult,
  type BatchSuccess,
  type BatchFailure,
  type NetlinkSocketStats,
  type NetlinkSocketOptions,
} from './netlink-socket.js';
export {
  subscribe,
  Subscription,
  type OverrunEvent,
  type SubscriptionEvent,
  type SubscribeOptions,
  type SubscriptionStats,
} from './subscription.js';
