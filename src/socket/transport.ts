/**
 * The boundary between the framing code ({@link NetlinkSocket}, {@link Subscription}) and the
 * byte pipe underneath: the native shim implements it for real kernels, and
 * `netlink-xfrm/testing`'s fake kernel implements it for tests that need no root.
 * @module
 */
import { type NetlinkSocketError } from '../netlink/errors.js';

/** What one receive returned. @group Socket */
export interface RecvInfo {
  /**
   * Real length of the datagram (`recvmsg` with `MSG_TRUNC`). Larger than the buffer when
   * {@link truncated} is true: the bytes past the buffer are lost.
   */
  length: number;
  /** The datagram did not fit the buffer (`MSG_TRUNC` in `msg_flags`). */
  truncated: boolean;
  /** Sender's port id (`nl_pid` of the source address): 0 for the kernel. */
  pid: number;
  /** Multicast group bitmask the datagram was sent to (`nl_groups`); 0 for unicast. */
  groups: number;
}

/**
 * A bound, non-blocking `AF_NETLINK` socket, reduced to what the framing code needs. All
 * calls are synchronous; errors are thrown as {@link NetlinkSocketError} (for example
 * `recv` throws one with `code === 'ENOBUFS'` after a receive-buffer overrun).
 * @group Socket
 */
export interface NetlinkTransport {
  /** Port id the kernel assigned at bind time (`nl_pid` from `getsockname`). */
  readonly portId: number;
  /** Send one datagram (one or many messages) to the kernel (`nl_pid` 0). Returns the bytes sent. */
  send(datagram: Uint8Array): number;
  /**
   * Optional: the same `sendmsg` off the JavaScript thread, resolving with the bytes sent.
   * The kernel handles netlink requests inside `sendmsg`, so a large batch keeps the caller
   * busy; {@link NetlinkSocket.batch} uses this to encode the next chunk meanwhile. The
   * datagram must not be modified before the promise settles. Transports without it are
   * sent to synchronously.
   *
   * With {@link orderedSends}, calls may overlap: each `sendmsg` runs after those of the
   * calls made before it; and one naming a `chain` (a number other than 0, e.g. one per
   * batch) is not sent at all (the promise rejects with `ECANCELED`) once a send of the same
   * chain failed or was not sent.
   */
  sendAsync?(datagram: Uint8Array, chain?: number): Promise<number>;
  /**
   * Optional: {@link sendAsync} keeps the order of overlapping calls and knows `chain`, so a
   * batch may queue its next chunk while the kernel still handles the previous one. Without
   * it, the caller waits for each `sendAsync` before the next.
   */
  readonly orderedSends?: boolean;
  /** Receive one datagram into `into`; `null` when nothing is queued (`EAGAIN`). */
  recv(into: Uint8Array): RecvInfo | null;
  /**
   * Optional: receive up to `into.length / slotSize` datagrams off the JavaScript thread,
   * the i-th into `into` at `i * slotSize`. Stops when nothing is queued (an empty result:
   * nothing was) or at an error, which is then the result's last element (`ENOBUFS` included:
   * the `recvmsg` that reports it has consumed it). The kernel builds a dump's next datagram
   * inside `recvmsg`; {@link NetlinkSocket.dump} uses this to have datagrams built while
   * earlier ones are decoded. `into` must not be touched before the promise settles, and no
   * other receive may run meanwhile (datagrams would be reordered).
   */
  recvAsync?(into: Uint8Array, slotSize: number): Promise<(RecvInfo | NetlinkSocketError)[]>;
  /**
   * Optional: receive, in one synchronous call, the datagrams queued now — packed into `into`,
   * each with exactly `slotSize` bytes of room (so truncation is that of {@link recv} into
   * `slotSize` bytes) — and describe them in `meta` without an object per datagram:
   * `meta[1]` = count (also returned); datagram `i` has offset `meta[2 + 5i]` in `into`, real
   * length `meta[3 + 5i]`, truncated flag `meta[4 + 5i]` (1 or 0), sender `meta[5 + 5i]`
   * (`nl_pid`, as int32) and groups `meta[6 + 5i]`. `meta[0]` says why it stopped: 0 (no room
   * for another slot, or `(meta.length - 2) / 5` datagrams read), `EAGAIN` (nothing more
   * queued) or another errno (`ENOBUFS`…), which the `recvmsg` reporting it consumed: it
   * comes after the datagrams described, or -1 (with a reader thread, {@link startReader}: its
   * queue ran empty but the socket was not seen empty yet; readiness follows). On input,
   * `meta[1]` > 0 caps the count further. A storm of multicast notifications is one datagram
   * per event, where one call per datagram costs more than the datagram.
   */
  recvBatch?(into: Uint8Array, slotSize: number, meta: Int32Array): number;
  /**
   * Optional: from now on drain the socket on a thread of its own into a queue of datagrams
   * (each read into `slotSize` bytes) bounded to about `maxBytes`: while the queue is that
   * full the thread stops reading, so the kernel's buffer fills and `ENOBUFS` is reported as
   * before — in the queue, exactly where `recvmsg` reported it. The thread is then the only
   * reader: {@link recvBatch} reads its queue (`EAGAIN` only once the thread found the socket
   * empty, so it still means nothing older is left; -1 when more is on its way), {@link recv},
   * `recvAsync` and `peekLength` throw a `TypeError`, and {@link poll} is woken by the thread.
   * A multicast storm is queued by the kernel inside the sender's `sendmsg`, faster than an
   * event loop wakes up: a blocking reader keeps the socket's buffer from overflowing.
   * Returns false (nothing changed) when it cannot (an older native shim). Call it before
   * the first {@link poll}. Used by {@link Subscription}; `netlink-xfrm/testing`'s fake kernel
   * has none (it never drops).
   */
  startReader?(slotSize: number, maxBytes: number): boolean;
  /**
   * Call `onReadable` whenever the socket may have something to read (or a pending error),
   * until {@link stopPoll}. Calling it again replaces the callback. The callback must read
   * until {@link recv} returns `null`, or stop polling, or it is called again.
   */
  poll(onReadable: () => void): void;
  /** Stop readiness notifications (the socket stays open). */
  stopPoll(): void;
  /** `setsockopt(level, name, &int)`. */
  setsockoptInt(level: number, name: number, value: number): void;
  /** `getsockopt(level, name)` of an `int` option. */
  getsockoptInt(level: number, name: number): number;
  /** Close the socket. Further calls throw. */
  close(): void;
}

/** `SOL_SOCKET`. @group Socket */
export const SOL_SOCKET = 1;
/** `SO_SNDBUF`: send buffer (the kernel doubles the value, capped by `wmem_max`). @group Socket */
export const SO_SNDBUF = 7;
/** `SO_RCVBUF`: receive buffer (the kernel doubles the value, capped by `rmem_max`). @group Socket */
export const SO_RCVBUF = 8;
/** `SO_SNDBUFFORCE`: like `SO_SNDBUF` but ignores `wmem_max` (needs `CAP_NET_ADMIN`). @group Socket */
export const SO_SNDBUFFORCE = 32;
/** `SO_RCVBUFFORCE`: like `SO_RCVBUF` but ignores `rmem_max` (needs `CAP_NET_ADMIN`). @group Socket */
export const SO_RCVBUFFORCE = 33;
