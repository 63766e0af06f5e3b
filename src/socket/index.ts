/**
 * Sockets: the native shim's loader, {@link NetlinkSocket} (requests, dumps, batches) and
 * {@link subscribe} (multicast notifications). The only part of the library that does I/O.
 * @module socket
 */
export {
  NetlinkDecodeError,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkKernelError,
  NetlinkProtocolError,
  NetlinkSocketError,
} from '../netlink/errors.js';
export {
  type NetlinkTransport, type RecvInfo, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE, SOL_SOCKET,
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
  type NativeReaderHandle,
  type NativeTransportOptions,
} from './native.js';
export {
  type BatchEntryWriter, type BatchFailure, type BatchOptions, type BatchResult, type BatchSuccess, type CallOptions, type DumpOptions,
  NetlinkDumpInterruptedError, NetlinkSocket, type NetlinkSocketOptions, type NetlinkSocketStats, type Outgoing,
  type OutgoingHeader, type OutgoingMessage, type RawDumpHandler, type Reply,
} from './netlink-socket.js';
export {
  type OverrunEvent, subscribe, type SubscribeOptions, Subscription, type SubscriptionDrainHandler, type SubscriptionEvent, type SubscriptionStats,
} from './subscription.js';
