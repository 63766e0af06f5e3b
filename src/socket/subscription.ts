/**
 * {@link subscribe}: multicast notifications (XFRM's ACQUIRE, EXPIRE, SA and policy events…)
 * on a socket of their own, as an async iterable, with receive-buffer overruns delivered
 * in-band as `{ type: 'overrun' }` so a lost event is never silent.
 * @module
 */
import { NETLINK_ADD_MEMBERSHIP, NETLINK_DROP_MEMBERSHIP, SOL_NETLINK } from '../netlink/constants.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkDecodeError, NetlinkError, NetlinkProtocolError, NetlinkSocketError } from '../netlink/errors.js';
import { decodeMessage, type NetlinkFamily, type NlMessageBase } from '../netlink/message.js';
import { nlmsgIterate } from '../netlink/reader.js';
import { viewOf } from '../netlink/view.js';
import { openNativeTransport } from './native.js';
import { type Reply } from './netlink-socket.js';
import { type NetlinkTransport, type RecvInfo, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE } from './transport.js';

/**
 * The receive buffer overflowed (`recvmsg` failed with `ENOBUFS`): the kernel dropped one or
 * more notifications. Re-read the state you mirror (for XFRM: dump SAs and policies).
 */
export interface OverrunEvent {
  /** Discriminant. */
  type: 'overrun';
}

/** What a {@link Subscription} yields: a decoded notification, or an overrun marker. */
export type SubscriptionEvent<M extends NlMessageBase> = Reply<M> | OverrunEvent;

/** Options of {@link subscribe}. */
export interface SubscribeOptions<M extends NlMessageBase> {
  /** Family that decodes the notifications. */
  family: NetlinkFamily<M> | null;
  /** Group numbers to join with `NETLINK_ADD_MEMBERSHIP` (XFRM: `XFRMNLGRP_ACQUIRE` = 1 … `XFRMNLGRP_MAPPING` = 8). */
  groups: readonly number[];
  /** Socket protocol (default: `family.protocol`). */
  protocol?: number;
  /** Network namespace: a name under `/run/netns` or a path. */
  netns?: string;
  /** Receive buffer in bytes (`SO_RCVBUF`, then `SO_RCVBUFFORCE` if capped). Bigger means fewer overruns. */
  rcvbuf?: number;
  /**
   * Notifications decoded and waiting for the consumer before reading stops (default 1024).
   * Past it, the kernel's buffer fills and overruns are reported.
   */
  highWaterMark?: number;
  /** Size of the receive buffer for one datagram (default 64 KiB, at least 32 KiB). */
  recvBufferSize?: number;
  /** Use this transport instead of a native socket (tests: `netlink-xfrm/testing`). */
  transport?: NetlinkTransport;
}

/** Counters of a {@link Subscription}. */
export interface SubscriptionStats {
  /** Datagrams received. */
  datagrams: number;
  /** Notifications yielded or queued. */
  received: number;
  /** Overrun events (`ENOBUFS`). */
  overruns: number;
  /** Messages dropped because they were not sent by the kernel. */
  dropped: number;
  /** Notifications the family could not decode; they are delivered raw (numeric `type`, `payload`). */
  undecodable: number;
  /** Truncated datagrams (delivered as an overrun: their content is lost). */
  truncated: number;
}

const ENOBUFS = 105;

/**
 * A multicast subscription: an async iterable of notifications and overrun events. Leaving a
 * `for await` loop closes it.
 */
export class Subscription<M extends NlMessageBase> implements AsyncIterableIterator<SubscriptionEvent<M>> {
  /** The family decoding notifications. */
  readonly family: NetlinkFamily<M> | null;
  /** Counters. */
  readonly stats: SubscriptionStats = { datagrams: 0, received: 0, overruns: 0, dropped: 0, undecodable: 0, truncated: 0 };
  private readonly transport: NetlinkTransport;
  private readonly hwm: number;
  private readonly rbuf: Uint8Array;
  private readonly rview: DataView;
  private queue: SubscriptionEvent<M>[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<SubscriptionEvent<M>>) => void; reject: (e: unknown) => void } | undefined;
  private error: NetlinkError | undefined;
  private isClosed = false;
  private pumping = false;
  private readonly onReadable = (): void => this.pump();

  /** Use {@link subscribe}. @internal */
  constructor(transport: NetlinkTransport, opts: SubscribeOptions<M>) {
    this.transport = transport;
    this.family = opts.family;
    this.hwm = Math.max(1, opts.highWaterMark ?? 1024);
    this.rbuf = new Uint8Array(Math.max(32 * 1024, opts.recvBufferSize ?? 64 * 1024));
    this.rview = viewOf(this.rbuf);
    this.transport.poll(this.onReadable);
  }

  /** Port id of the subscription socket. */
  get portId(): number {
    return this.transport.portId;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Join one more group. @throws {@link NetlinkSocketError} (`EPERM`: CAP_NET_ADMIN is needed). */
  join(group: number): void {
    this.transport.setsockoptInt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
  }

  /** Leave a group. */
  leave(group: number): void {
    this.transport.setsockoptInt(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group);
  }

  /** @returns this subscription (it is its own iterator). */
  [Symbol.asyncIterator](): AsyncIterableIterator<SubscriptionEvent<M>> {
    return this;
  }

  /** The next notification or overrun event; `done` after {@link close}. */
  next(): Promise<IteratorResult<SubscriptionEvent<M>>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (this.queue.length - this.head < this.hwm) this.resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      return Promise.reject(e);
    }
    if (this.isClosed) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter) return Promise.reject(new TypeError('subscription: next() called while a previous next() is pending'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.resume();
    });
  }

  /** Close the subscription (what `break` in `for await` does). */
  return(): Promise<IteratorResult<SubscriptionEvent<M>>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stop receiving and close the socket. A pending `next()` resolves with `done`. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue = [];
    this.head = 0;
    try {
      this.transport.close();
    } catch {
      /* already closed */
    }
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve({ value: undefined, done: true });
  }

  private resume(): void {
    if (this.isClosed) return;
    this.pump();
  }

  private push(ev: SubscriptionEvent<M>): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: ev, done: false });
    } else {
      this.queue.push(ev);
    }
  }

  private overrun(): void {
    this.stats.overruns++;
    // Consecutive overruns with nothing in between say the same thing once.
    const last = this.queue.length > this.head ? this.queue[this.queue.length - 1] : undefined;
    if (last !== undefined && last.type === 'overrun') return;
    this.push({ type: 'overrun' });
  }

  private pump(): void {
    if (this.pumping || this.isClosed) return;
    this.pumping = true;
    try {
      while (!this.isClosed && this.queue.length - this.head < this.hwm) {
        let info: RecvInfo | null;
        try {
          info = this.transport.recv(this.rbuf);
        } catch (e) {
          if (e instanceof NetlinkSocketError && e.errno === ENOBUFS) {
            this.overrun();
            continue;
          }
          this.fail(e instanceof NetlinkError ? e : new NetlinkProtocolError('closed', String(e), { cause: e }));
          return;
        }
        if (info === null) break;
        this.onDatagram(info);
      }
    } finally {
      this.pumping = false;
    }
    if (this.isClosed) return;
    if (this.queue.length - this.head < this.hwm) this.transport.poll(this.onReadable);
    else this.transport.stopPoll();
  }

  private fail(err: NetlinkError): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    } else {
      this.error = err;
    }
    this.close();
  }

  private onDatagram(info: RecvInfo): void {
    this.stats.datagrams++;
    if (info.pid !== 0) {
      this.stats.dropped++;
      return;
    }
    if (info.truncated) {
      // Part of the datagram is gone: as far as the consumer is concerned, events were lost.
      this.stats.truncated++;
      this.overrun();
      return;
    }
    const view = this.rview;
    const length = info.length;
    try {
      for (const loc of nlmsgIterate(view, HOST_LE, 0, length)) {
        let ev: SubscriptionEvent<M>;
        try {
          ev = decodeMessage(view, loc, this.family, HOST_LE) as Reply<M>;
        } catch (e) {
          if (!(e instanceof NetlinkDecodeError)) throw e;
          this.stats.undecodable++;
          ev = decodeMessage(view, loc, null, HOST_LE) as Reply<M>;
        }
        this.stats.received++;
        this.push(ev);
      }
    } catch (e) {
      if (!(e instanceof NetlinkDecodeError)) throw e;
      this.stats.dropped++;
    }
  }
}

/**
 * Open a socket of its own, join `groups` and iterate their notifications.
 *
 * @example
 * ```ts
 * const sub = subscribe({ family: xfrmFamily, groups: [XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE] });
 * for await (const ev of sub) {
 *   if (ev.type === 'overrun') await resync();   // events were lost: dump and rebuild
 *   else handle(ev);
 * }
 * ```
 * @throws {@link NetlinkSocketError} if the socket cannot be opened or a group joined
 *   (`EPERM`: CAP_NET_ADMIN is needed); {@link NetlinkShimUnavailableError} without the shim.
 */
export function subscribe<M extends NlMessageBase>(opts: SubscribeOptions<M>): Subscription<M> {
  const protocol = opts.protocol ?? opts.family?.protocol;
  if (protocol === undefined) throw new TypeError('subscribe: protocol or family is required');
  const transport =
    opts.transport ?? openNativeTransport({ protocol, ...(opts.netns !== undefined ? { netns: opts.netns } : {}) });
  try {
    for (const g of opts.groups) transport.setsockoptInt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g);
    if (opts.rcvbuf !== undefined) {
      transport.setsockoptInt(SOL_SOCKET, SO_RCVBUF, opts.rcvbuf);
      if (transport.getsockoptInt(SOL_SOCKET, SO_RCVBUF) < opts.rcvbuf) {
        try {
          transport.setsockoptInt(SOL_SOCKET, SO_RCVBUFFORCE, opts.rcvbuf);
        } catch {
          /* keep the capped value */
        }
      }
    }
  } catch (e) {
    transport.close();
    throw e;
  }
  return new Subscription(transport, opts);
}
