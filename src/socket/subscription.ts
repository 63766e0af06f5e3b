/**
 * {@link subscribe}: multicast notifications (XFRM's ACQUIRE, EXPIRE, SA and policy events…)
 * on a socket of their own, as an async iterable, with receive-buffer overruns delivered
 * in-band as `{ type: 'overrun' }` so a lost event is never silent — after every event
 * queued before the loss, never before one (see {@link OverrunEvent}).
 * @module
 */
import { NETLINK_ADD_MEMBERSHIP, NETLINK_DROP_MEMBERSHIP, SOL_NETLINK } from '../netlink/constants.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkDecodeError, type NetlinkError } from '../netlink/errors.js';
import { decodeMessage, type NetlinkFamily, type NlMessageBase } from '../netlink/message.js';
import { nlmsgAlign } from '../netlink/align.js';
import { nlmsgAt } from '../netlink/reader.js';
import { ReadQueue, Waiter } from './handoff.js';
import { openConfigured, Receiver, type ReceiveSink, setBuffer, sockoptInt } from './receiver.js';
import { type NetlinkTransport, SO_RCVBUF, SO_RCVBUFFORCE } from './transport.js';
import { useReaderThread } from './native.js';
import { type Reply } from './types.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';

/** Default of {@link SubscribeOptions.readerBytes}. */
const DEFAULT_READER_BYTES = 16 * 1024 * 1024;

/** Events a subscription serves in a row before giving the event loop a turn (see `Subscription.next`). */
const SUBSCRIPTION_YIELD_EVERY = 256;

/**
 * The receive buffer overflowed (`recvmsg` failed with `ENOBUFS`): the kernel dropped one or
 * more notifications. Re-read the state you mirror (for XFRM: dump SAs and policies).
 *
 * Where the marker sits in the stream is exact:
 * - every notification yielded **before** it was queued on the socket before the loss was
 *   seen (the kernel reports `ENOBUFS` ahead of datagrams it had already queued; the
 *   subscription reads those first and yields the marker only after them);
 * - no notification yielded **after** it is older than the loss: it was queued after the
 *   subscription had drained everything queued before the drop;
 * - so: resync (dump) when the marker arrives, and apply the events after it on top of the
 *   dump **idempotently** — the dump may already reflect some of them (an add that is
 *   already there, a delete of something already gone).
 *
 * The marker may come a little late (after events newer than the loss): that only means the
 * consumer applied events the resync will confirm. It never comes early.
 * @group Socket
 */
export interface OverrunEvent {
  /** Discriminant. */
  type: 'overrun';
}

/** What a {@link Subscription} yields: a decoded notification, or an overrun marker. @group Socket */
export type SubscriptionEvent<M extends NlMessageBase> = Reply<M> | OverrunEvent;

/** Options of {@link subscribe}. @group Socket */
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
   * Notifications read and waiting for the consumer before reading stops (default 1024).
   * Past it, the kernel's buffer fills and overruns are reported. An overrun marker waiting
   * for the backlog before it (see {@link OverrunEvent}) waits with it: reading never goes
   * past this bound to hurry the marker. With the native shim, datagrams are read in batches
   * (up to 256, in a reused buffer) and wait there as bytes: each is decoded when the
   * consumer is about to take it, so a storm does not keep thousands of decoded events alive.
   */
  highWaterMark?: number;
  /** Size of the receive buffer for one datagram (default 64 KiB, at least 32 KiB). */
  recvBufferSize?: number;
  /**
   * How the socket is drained. `'thread'` (the default on Node): a native thread blocks in
   * `poll`/`recvmsg` and moves every datagram the kernel queues into a queue of its own
   * (bounded by {@link readerBytes}) as a C listener's receive loop would, so a storm
   * overflows the socket only when that queue is full too; the event loop is woken once per
   * batch. `'poll'`: the event loop reads the socket when it is readable (`uv_poll`; on Bun a
   * worker's `poll(2)`) — the default on Bun and Deno, and what `'thread'` falls back to with
   * a native shim built before the reader existed or a transport without one (the fake
   * kernel). `NETLINK_XFRM_EVENT_READER=thread|poll` changes the default.
   */
  reader?: 'thread' | 'poll';
  /**
   * With the reader thread: bytes of memory its queue may hold for the consumer before it
   * stops reading (default 16 MiB: ~32 000 notifications; a datagram of up to 480 bytes —
   * most notifications — takes 512, a bigger one its length plus 32). Past it the kernel's
   * buffer ({@link rcvbuf}) fills and overruns are reported in place.
   */
  readerBytes?: number;
  /** Use this transport instead of a native socket (tests: `netlink-xfrm/testing`). */
  transport?: NetlinkTransport;
}

/**
 * What {@link Subscription.drain} hands the notifications to, synchronously and in order:
 * each message's bytes in place, and each overrun marker where {@link OverrunEvent} says.
 * @group Socket
 */
export interface SubscriptionDrainHandler {
  /**
   * One notification: `length` bytes (`nlmsghdr` included) at `offset` of `view`. The bytes
   * are valid only until {@link release} (after the last message of their datagram): the
   * buffer is reused for the next datagrams. Framing was checked; the payload was not decoded.
   */
  message(view: DataView, offset: number, length: number): void;
  /** The datagram of the messages handed since the last call is done: its bytes are reused. */
  release(): void;
  /** Notifications were lost (see {@link OverrunEvent} for where this comes). */
  overrun(): void;
}

/** Counters of a {@link Subscription}. @group Socket */
export interface SubscriptionStats {
  /** Datagrams received. */
  datagrams: number;
  /** Notifications yielded or queued. */
  received: number;
  /** `ENOBUFS` reports from the kernel (consecutive ones may share one marker). */
  overruns: number;
  /**
   * Messages dropped, counted one by one as in `NetlinkSocketStats.dropped` (a datagram of
   * three messages from another process counts 3): those of datagrams not sent by the
   * kernel, control messages too malformed to deliver even raw, and the rest of a datagram
   * whose framing is broken (counted as one).
   */
  dropped: number;
  /** Notifications the family could not decode; they are delivered raw (numeric `type`, `payload`). */
  undecodable: number;
  /** Truncated datagrams (delivered as an overrun: their content is lost). */
  truncated: number;
  /**
   * Notifications whose decoding threw something other than a {@link NetlinkDecodeError}
   * (a bug in a decoder): delivered raw like {@link undecodable} ones, and counted here too.
   */
  decoderFaults: number;
}

/**
 * Receive-buffer room a datagram takes beyond its length, at least: its `truesize` also
 * counts the `struct sk_buff` and `skb_shared_info`, together several hundred bytes on any
 * kernel. 128 stays below that with margin; it only makes a held overrun marker come later.
 */
const SKB_OVERHEAD_MIN = 128;

/**
 * A multicast subscription: an async iterable of notifications and overrun events. Leaving a
 * `for await` loop closes it.
 *
 * It never throws from the socket's callbacks: a decoder fault delivers the notification raw
 * (counted in {@link SubscriptionStats.decoderFaults}); a receive error, or anything else
 * unexpected, ends the iteration with a {@link NetlinkError} (`NetlinkSocketError`, or
 * `NetlinkProtocolError('closed')` whose `cause` is the original).
 * @group Socket
 */
export class Subscription<M extends NlMessageBase> implements AsyncIterableIterator<SubscriptionEvent<M>> {
  /** The family decoding notifications. */
  readonly family: NetlinkFamily<M> | null;
  /** Counters. */
  readonly stats: SubscriptionStats = {
    datagrams: 0,
    received: 0,
    overruns: 0,
    dropped: 0,
    undecodable: 0,
    truncated: 0,
    decoderFaults: 0,
  };

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `Subscription { stats: ${JSON.stringify(this.stats)} }`;
  }
  private readonly transport: NetlinkTransport;
  private readonly hwm: number;
  private readonly receiver: Receiver;
  private readonly queue = new ReadQueue<SubscriptionEvent<M>>();
  private readonly waiter = new Waiter<SubscriptionEvent<M>>();
  private isClosed = false;
  /** Events served since the event loop last had a turn (see {@link next}). */
  private served = 0;
  /** A {@link next} is waiting for its turn of the event loop. */
  private yielding = false;
  /**
   * An `ENOBUFS` was read and its marker is held back until every datagram queued before the
   * drop has been yielded: `drainLeft` is how many more bytes must be read for that (or
   * until `recv` finds the queue empty). `nextDrain` is the same for a later `ENOBUFS` seen
   * meanwhile, which needs a marker of its own after its own backlog.
   */
  private overrunPending = false;
  private drainLeft = 0;
  private nextDrain: number | undefined;
  /** How the consumer reads: `next()` (typed messages) or `drain()`/`ready()` (bytes); fixed by the first call. */
  private mode: 'iterate' | 'drain' | undefined;
  /** The handler of the {@link drain} running now. */
  private rawSink: SubscriptionDrainHandler | undefined;
  /** Notifications and markers the running {@link drain} handed on, and its limit. */
  private handled = 0;
  private drainMax = 0;
  /** What the running drain's handler threw first (rethrown by {@link drain}). */
  private drainError: { e: unknown } | undefined;
  /** The last thing a drain handed on was an overrun marker (consecutive ones say the same thing once). */
  private lastWasOverrun = false;
  /** A datagram was read and waits to be handed on by the next {@link drain}. */
  private datagramWaiting = false;
  /** The pending {@link ready}. */
  private readyWait: { resolve: (v: boolean) => void; reject: (e: unknown) => void } | undefined;

  /** A native thread drains the socket (see {@link SubscribeOptions.reader}). */
  readonly threaded: boolean;

  /** Use {@link subscribe}. @internal */
  constructor(transport: NetlinkTransport, opts: SubscribeOptions<M>) {
    this.transport = transport;
    this.family = opts.family;
    this.hwm = Math.max(1, opts.highWaterMark ?? 1024);
    const sink: ReceiveSink = {
      wantsMore: () => this.queue.size < this.hwm,
      wantsPoll: () => this.queue.size < this.hwm,
      wantsReadAhead: () => false,
      datagram: (view, length) => this.onDatagram(view, 0, length),
      datagramAt: (view, offset, length) => this.onDatagram(view, offset, length),
      room: () => this.hwm - this.queue.size,
      // Decode on demand: an event decoded long before it is taken survives young-generation
      // collections and gets copied. A storm is read ahead raw (the batch), not decoded.
      handOn: () => (this.mode === 'drain' ? this.rawHandOn() : this.queue.size === 0),
      truncated: () => {
        // Part of the datagram is gone: as far as the consumer is concerned, events were lost.
        this.stats.overruns++;
        this.overrun();
      },
      consumed: (bytes) => this.drained(bytes + SKB_OVERHEAD_MIN),
      overrun: () => this.lossSeen(),
      empty: () => this.queueEmpty(),
      failed: (err) => this.fail(err),
    };
    const slot = Math.max(32 * 1024, opts.recvBufferSize ?? 64 * 1024);
    this.receiver = new Receiver(transport, slot, this.stats, sink, 'subscription');
    const thread = (opts.reader ?? (useReaderThread() ? 'thread' : 'poll')) === 'thread';
    const bytes = Math.min(0xffffffff, Math.max(slot, Math.floor(opts.readerBytes ?? DEFAULT_READER_BYTES)));
    try {
      this.threaded = thread && transport.startReader !== undefined && transport.startReader(slot, bytes);
    } catch (e) {
      transport.close();
      throw e;
    }
    this.receiver.watch();
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
    if (this.mode === 'drain') return Promise.reject(new TypeError('subscription: next() after drain()/ready(): one way of reading per subscription'));
    this.mode = 'iterate';
    if (this.yielding) return Promise.reject(new TypeError('subscription: next() called while a previous next() is pending'));
    // Served from the queue, refilled by a synchronous recv: a consumer awaiting next() in a
    // loop would only ever run microtasks while the socket has data (an aevent storm), and
    // its timers and other sockets (an HA link's acks) would starve. Give the event loop a
    // turn every SUBSCRIPTION_YIELD_EVERY events.
    if (this.queue.size > 0 && ++this.served >= SUBSCRIPTION_YIELD_EVERY) {
      this.served = 0;
      this.yielding = true;
      return new Promise<void>((r) => setImmediate(r)).then(() => {
        this.yielding = false;
        return this.next();
      });
    }
    if (this.queue.size > 0) {
      const value = this.queue.shift()!;
      if (this.queue.size < this.hwm) this.receiver.pump();
      return Promise.resolve({ value, done: false });
    }
    if (this.waiter.failed) return Promise.reject(this.waiter.takeError());
    if (this.isClosed) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter.waiting) return Promise.reject(new TypeError('subscription: next() called while a previous next() is pending'));
    const waited = this.waiter.wait();
    this.receiver.pump();
    return waited;
  }

  /**
   * The fast path: hand every notification read so far, and whatever the socket (or the
   * reader thread's queue) holds now, to `handler` — synchronously, in order, each as its
   * bytes in place (no decoding, no object, no promise per event), with overrun markers in
   * the same places as {@link next} yields them. Stops after `max` (default 1024) messages
   * and markers, or when nothing more is queued; returns how many were handed on. Wait for
   * more with {@link ready}:
   *
   * ```ts
   * while (await sub.ready()) sub.drain(handler);
   * ```
   *
   * A subscription is read either this way or with {@link next} (`for await`): the first call
   * decides, and the other then throws a `TypeError`. Something `handler` throws stops the
   * drain after the datagram it was thrown for (its other messages are still handed on) and
   * is rethrown; the subscription goes on. After {@link close}: 0.
   * @throws what `handler` threw; the {@link NetlinkError} that ended the subscription.
   */
  drain(handler: SubscriptionDrainHandler, max = 1024): number {
    this.enterDrainMode('drain');
    if (this.rawSink !== undefined) throw new TypeError('subscription: drain() called from its own handler');
    if (this.waiter.failed) throw this.waiter.takeError();
    if (this.isClosed) return 0;
    this.handled = 0;
    this.drainMax = Math.max(1, max);
    this.drainError = undefined;
    this.rawSink = handler;
    try {
      // Markers queued while no drain ran (the queue holds nothing else in this mode).
      while (this.queue.size > 0 && this.handled < this.drainMax) {
        this.queue.shift();
        this.handled++;
        this.lastWasOverrun = true;
        handler.overrun();
      }
      this.datagramWaiting = false;
      if (this.handled < this.drainMax) this.receiver.pump();
    } finally {
      this.rawSink = undefined;
    }
    const err = this.drainError as { e: unknown } | undefined;
    this.drainError = undefined;
    if (err !== undefined) throw err.e;
    if (this.waiter.failed && this.handled === 0) throw this.waiter.takeError();
    return this.handled;
  }

  /**
   * Resolves with `true` when {@link drain} has something to hand on, `false` once the
   * subscription is closed; rejects with the {@link NetlinkError} that ended it. When
   * something is already waiting it resolves after a turn of the event loop (`setImmediate`),
   * so that a storm read with `while (await sub.ready()) sub.drain(h)` lets timers and
   * other sockets run between drains.
   */
  ready(): Promise<boolean> {
    this.enterDrainMode('ready');
    if (this.waiter.failed) return Promise.reject(this.waiter.takeError());
    if (this.readyWait !== undefined) return Promise.reject(new TypeError('subscription: ready() called while a previous ready() is pending'));
    if (this.queue.size > 0 || this.datagramWaiting) return new Promise((r) => setImmediate(() => r(!this.isClosed)));
    if (this.isClosed) return Promise.resolve(false);
    const p = new Promise<boolean>((resolve, reject) => {
      this.readyWait = { resolve, reject };
    });
    this.receiver.pump();
    return p;
  }

  private enterDrainMode(what: string): void {
    if (this.mode === 'iterate') throw new TypeError(`subscription: ${what}() after next(): one way of reading per subscription`);
    this.mode = 'drain';
  }

  /** `handOn` in drain mode: hand on inside a drain; outside, only note that something waits. */
  private rawHandOn(): boolean {
    if (this.rawSink !== undefined && this.handled < this.drainMax && this.drainError === undefined) return true;
    this.datagramWaiting = true;
    this.wakeReady();
    return false;
  }

  private wakeReady(): void {
    const w = this.readyWait;
    if (w === undefined) return;
    this.readyWait = undefined;
    w.resolve(true);
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
    this.queue.clear();
    this.receiver.close();
    this.waiter.end();
    const w = this.readyWait;
    this.readyWait = undefined;
    w?.resolve(false);
  }

  private push(ev: SubscriptionEvent<M>): void {
    if (!this.waiter.resolve({ value: ev, done: false })) this.queue.push(ev);
  }

  private overrun(): void {
    // Consecutive overruns with nothing in between say the same thing once.
    if (this.queue.last()?.type === 'overrun') return;
    if (this.mode === 'drain') {
      if (this.queue.size === 0 && this.lastWasOverrun) return;
      const sink = this.rawSink;
      if (sink !== undefined) {
        this.handled++;
        this.lastWasOverrun = true;
        try {
          sink.overrun();
        } catch (e) {
          this.drainError ??= { e };
        }
        return;
      }
      this.queue.push({ type: 'overrun' });
      this.wakeReady();
      return;
    }
    this.push({ type: 'overrun' });
  }

  /**
   * The kernel reported a drop (`ENOBUFS`). It does so at the next `recvmsg`, ahead of the
   * datagrams it had already queued, which are older than the loss: hold the marker until
   * they are read. The kernel queues a datagram only while the queued ones take at most
   * `SO_RCVBUF` (the value `getsockopt` reports) and each takes more room (`truesize`) than
   * its length plus {@link SKB_OVERHEAD_MIN}, so the datagrams queued before the last one of
   * the backlog count for at most `SO_RCVBUF` bytes: once more than that has been read
   * (counted the same way) since the `ENOBUFS`, the backlog is read, even if the queue never
   * runs empty (a storm faster than the consumer, which would otherwise hold the marker back
   * for ever). Reading stops at `highWaterMark` meanwhile; the marker just waits.
   */
  private lossSeen(): void {
    // Unknown size: the queue running empty still releases the marker.
    const bound = sockoptInt(this.transport, SO_RCVBUF) ?? Number.MAX_SAFE_INTEGER;
    if (!this.overrunPending) {
      this.overrunPending = true;
      this.drainLeft = bound;
    } else {
      this.nextDrain = bound;
    }
  }

  /** `bytes` more of the backlog were read: release the marker whose backlog is done. */
  private drained(bytes: number): void {
    if (!this.overrunPending) return;
    this.drainLeft -= bytes;
    if (this.nextDrain !== undefined) this.nextDrain -= bytes;
    if (this.drainLeft >= 0) return;
    this.overrun();
    if (this.nextDrain !== undefined && this.nextDrain >= 0) {
      this.drainLeft = this.nextDrain;
    } else {
      this.overrunPending = false;
    }
    this.nextDrain = undefined;
  }

  /** Nothing is queued: every datagram older than any loss seen has been read. */
  private queueEmpty(): void {
    if (!this.overrunPending) return;
    this.overrunPending = false;
    this.nextDrain = undefined;
    this.overrun();
  }

  private fail(err: NetlinkError): void {
    const w = this.readyWait;
    this.readyWait = undefined;
    if (w !== undefined) w.reject(err);
    else this.waiter.fail(err);
    this.close();
  }

  /** A datagram in drain mode: each message's bytes to the drain's handler, then release. */
  private onDatagramRaw(sink: SubscriptionDrainHandler, view: DataView, offset: number, length: number): void {
    const end = offset + length;
    try {
      for (let off = offset; off < end; ) {
        // nlmsgAt's checks without its object per message; it throws the typed error.
        const len = end - off >= 16 ? view.getUint32(off, HOST_LE) : 0;
        if (len < 16 || len > end - off) nlmsgAt(view, off, end, HOST_LE);
        const at = off;
        off += Math.min(nlmsgAlign(len), end - off);
        this.stats.received++;
        this.handled++;
        this.lastWasOverrun = false;
        try {
          sink.message(view, at, len);
        } catch (e) {
          this.drainError ??= { e };
        }
      }
    } catch (e) {
      if (!(e instanceof NetlinkDecodeError)) throw e;
      this.stats.dropped++;
    } finally {
      try {
        sink.release();
      } catch (e) {
        this.drainError ??= { e };
      }
    }
  }

  private onDatagram(view: DataView, offset: number, length: number): void {
    const sink = this.rawSink;
    if (sink !== undefined) return this.onDatagramRaw(sink, view, offset, length);
    const end = offset + length;
    try {
      // nlmsgIterate's walk, without a generator per datagram (a storm is one event each).
      for (let off = offset; off < end; ) {
        const loc = nlmsgAt(view, off, end, HOST_LE);
        off += Math.min(nlmsgAlign(loc.len), end - off);
        let ev: SubscriptionEvent<M>;
        try {
          ev = decodeMessage(view, loc, this.family, HOST_LE) as Reply<M>;
        } catch (e) {
          // A decoder that throws anything else has a bug; the notification is still
          // delivered (raw) and the stream goes on.
          if (!(e instanceof NetlinkDecodeError)) this.stats.decoderFaults++;
          this.stats.undecodable++;
          try {
            ev = decodeMessage(view, loc, null, HOST_LE) as Reply<M>;
          } catch {
            // Not even raw: a control message (NLMSG_ERROR…) with a malformed body. Nothing
            // of it can be handed on; the next message of the datagram still can.
            this.stats.dropped++;
            continue;
          }
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
 * @group Socket
 */
export function subscribe<M extends NlMessageBase>(opts: SubscribeOptions<M>): Subscription<M> {
  const transport = openConfigured('subscribe', opts, undefined, (t) => {
    for (const g of opts.groups) t.setsockoptInt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g);
    if (opts.rcvbuf !== undefined) setBuffer(t, SO_RCVBUF, SO_RCVBUFFORCE, opts.rcvbuf);
  });
  return new Subscription(transport, opts);
}
