/**
 * Dumps: {@link DumpRun}, one dump's state machine (idle → queued → running → finished, with
 * `retry` after `NLM_F_DUMP_INTR` and `discarding` after the consumer left or failed), both
 * the pending entry the router feeds and the async iterator the consumer pulls from; and
 * {@link DumpQueue}, which runs one dump at a time per socket (the kernel answers `EBUSY`
 * to a second).
 * @module
 */
import { nlmsgAlign, NLMSG_HDRLEN } from '../netlink/align.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_MIN_TYPE } from '../netlink/constants.js';
import { type NetlinkError, NetlinkDumpInterruptedError, NetlinkProtocolError } from '../netlink/errors.js';
import { type NlMessageBase } from '../netlink/message.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { type Pending, type RawReceiver } from './answer.js';
import { type Channel } from './connection.js';
import { Deadline } from './deadline.js';
import { closedError, timeoutError } from './failures.js';
import { ReadQueue, Waiter } from './handoff.js';
import { type DumpOptions, type OutgoingMessage, type RawDumpHandler, type Reply } from './types.js';

/** The dumps of one socket: at most one running, the others waiting their turn in order. */
export class DumpQueue<M extends NlMessageBase> {
  private readonly waiting: DumpRun<M>[] = [];
  private current: DumpRun<M> | undefined;

  constructor(private readonly channel: Channel<M>) {}

  /** A dump is running (talking to the kernel, or retrying). */
  get active(): boolean {
    return this.current !== undefined;
  }

  /**
   * Have a worker read the next datagrams ahead? Only for a decoding dump: a raw dump's
   * consumer takes a datagram in a few microseconds per message, and handing every few
   * datagrams to and from a worker cost more than it overlapped (measured at 100k policies:
   * ~0.65× the wall time without it, interleaved, BENCHMARKS.md "Dump through views").
   */
  get readAhead(): boolean {
    const d = this.current;
    return d !== undefined && d.raw === undefined;
  }

  /** The running dump's consumer has not caught up: read nothing more. */
  get paused(): boolean {
    const d = this.current;
    return d !== undefined && d.backlogged;
  }

  /** Queue `run`; start it if no other dump is running. */
  enqueue(run: DumpRun<M>): void {
    // A closed socket answers nothing: fail now rather than when the timeout runs out.
    if (this.channel.closed) return run.fail(closedError());
    this.waiting.push(run);
    this.startNext();
  }

  /** Take `run` out of the queue (it was not started). */
  dequeue(run: DumpRun<M>): void {
    const i = this.waiting.indexOf(run);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** `run` finished its conversation with the kernel (DONE, error, or failure): start the next. */
  ended(run: DumpRun<M>): void {
    if (this.current === run) this.current = undefined;
    this.startNext();
    this.channel.updatePoll();
  }

  /** Fail every queued and the running dump with `err` (the socket closed). */
  failAll(err: NetlinkError): void {
    for (const d of this.waiting.splice(0)) d.fail(err);
    this.current?.fail(err);
    this.current = undefined;
  }

  private startNext(): void {
    while (!this.current && !this.channel.closed) {
      const next = this.waiting.shift();
      if (!next) return;
      this.current = next;
      if (!next.start()) this.current = undefined;
    }
  }
}

type DumpState = 'idle' | 'queued' | 'running' | 'retry' | 'discarding' | 'finished';

/**
 * One dump: both the pending entry the router delivers to and the async iterator the
 * consumer pulls from.
 *
 * Strict pull: while the consumer holds a message (between a `next()` that returned one and
 * its following `next()`), or messages of the last datagram are still unread, the socket
 * reads nothing more. A retry after `NLM_F_DUMP_INTR` happens inside the consumer's next
 * `next()`, so `onRetry` never races with a message the consumer is still handling.
 */
// T defaults to any: the socket keeps dumps of every yielded type in one queue.
export class DumpRun<M extends NlMessageBase, T = any> implements Pending<M>, AsyncIterableIterator<T> {
  readonly isDump = true;
  /** Set in raw mode ({@link NetlinkSocket.dumpRaw}): the router hands family messages over undecoded. */
  readonly raw: RawReceiver | undefined;
  /** Sequence number of the current attempt (0 before the first). */
  seq = 0;
  /** The current attempt's encoded request. */
  sent: Uint8Array = new Uint8Array(0);
  private state: DumpState = 'idle';
  private readonly queue = new ReadQueue<Reply<M>>();
  private readonly waiter = new Waiter<T>();
  /** The consumer holds a message and has not asked for the next one yet. */
  private outstanding = false;
  private deadline: Deadline | undefined;
  private interrupted = false;
  private partial: Reply<M>[] = [];
  private yielded = 0;
  private attempt = 0;
  /** Raw mode: `Date.now()` when the last datagram was released (the timer checks it). */
  private lastData = 0;
  /** Byte order of the header fields (the socket's). */
  private readonly le: boolean;
  private readonly timeoutOf = (ms: number): NetlinkProtocolError => timeoutError(ms, this.channel.router.names.typeName(this.sent) ?? 'dump');

  constructor(
    private readonly channel: Channel<M>,
    private readonly msg: OutgoingMessage<M>,
    private readonly opts: DumpOptions,
    /** Maps each message to what is yielded; `undefined` skips it. None: yield the message. */
    private readonly select: ((message: Reply<M>) => T | undefined) | undefined,
    /**
     * Raw mode: the family's messages go to this handler as bytes, synchronously, and nothing
     * is yielded (`select` should skip everything); one `next()` then waits for the whole dump.
     */
    private readonly handler?: RawDumpHandler,
  ) {
    this.le = channel.router.le;
    this.raw =
      handler === undefined
        ? undefined
        : {
            message: (view, offset, length) => this.rawMessage(view, offset, length),
            run: (view, offset, end, portId) => this.rawRun(view, offset, end, portId),
            taken: 0,
            release: () => this.rawRelease(),
          };
  }

  /** `util.inspect` prints a summary: the replies and request held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `NetlinkDump { seq: ${this.seq}, state: ${this.state}, queued: ${this.queue.size} }`;
  }

  /** The consumer has not caught up: do not read more. */
  get backlogged(): boolean {
    return this.state === 'running' && (this.outstanding || this.queue.size > 0);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.waiter.waiting) return Promise.reject(new TypeError('dump iterator: next() called while a previous next() is pending'));
    this.outstanding = false;
    for (let message = this.queue.shift(); message !== undefined; message = this.queue.shift()) {
      let value: T | undefined;
      try {
        value = this.map(message);
      } catch (e) {
        return Promise.reject(e);
      }
      if (value !== undefined) return Promise.resolve(this.hand(value));
    }
    if (this.state === 'retry') this.restart();
    if (this.waiter.failed) {
      this.state = 'finished';
      return Promise.reject(this.waiter.takeError());
    }
    if (this.state === 'finished' || this.state === 'discarding') {
      return Promise.resolve({ value: undefined, done: true });
    }
    const waited = this.waiter.wait();
    if (this.state === 'idle') {
      const aborted = Deadline.aborted(this.opts.signal);
      if (aborted) {
        this.state = 'finished';
        this.waiter.reject(aborted);
        return waited;
      }
      this.deadline = new Deadline(this.opts.signal, (err) => this.expired(err));
      this.state = 'queued';
      this.channel.dumps.enqueue(this);
    }
    if (this.waiter.waiting) this.deadline?.arm(this.opts.timeoutMs ?? this.channel.defaultTimeout, this.timeoutOf);
    this.channel.pump();
    return waited;
  }

  /** What `message` yields (`undefined`: skip it). If `select` throws, the dump is abandoned and the error passed on. */
  private map(message: Reply<M>): T | undefined {
    if (this.select === undefined) return message as unknown as T;
    try {
      return this.select(message);
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  private hand(value: T): IteratorResult<T> {
    this.yielded++;
    this.outstanding = true;
    return { value, done: false };
  }

  return(): Promise<IteratorResult<T>> {
    this.abandon();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(e?: unknown): Promise<IteratorResult<T>> {
    this.abandon();
    return Promise.reject(e);
  }

  /** Called by the queue when it is this dump's turn. Returns false if it could not start. */
  start(): boolean {
    if (this.state !== 'queued') return false;
    this.attempt++;
    const channel = this.channel;
    try {
      this.seq = channel.router.nextSeq();
      this.sent = channel.encode(this.msg, this.seq, ((this.msg.flags ?? 0) | NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP) & 0xffff).slice();
      this.state = 'running';
      channel.router.add(this);
      channel.send(this.sent, 1);
    } catch (e) {
      channel.router.remove(this);
      this.state = 'finished';
      this.cleanup();
      this.waiter.fail(e as NetlinkError);
      return false;
    }
    return true;
  }

  /** Run the retry decided in {@link answer}, now that the consumer is done with the last attempt. */
  private restart(): void {
    const cause = new NetlinkDumpInterruptedError<M>(
      this.queue.drain().concat(this.partial),
      this.yielded,
      this.attempt,
      this.channel.router.names.typeName(this.sent),
    );
    this.interrupted = false;
    this.partial = [];
    this.yielded = 0;
    try {
      this.opts.onRetry?.(this.attempt, cause as unknown as NetlinkDumpInterruptedError<NlMessageBase>);
    } catch (e) {
      this.finishWith(e as NetlinkError);
      return;
    }
    this.state = 'queued';
    if (!this.start()) this.channel.dumps.ended(this);
  }

  /**
   * Raw mode: the messages of this attempt from `offset` to the first that is not (see
   * {@link RawReceiver.run}), each as {@link rawMessage} takes it: the router's checks and
   * the handing-over in one loop, for the ~120 messages of a dump datagram.
   */
  private rawRun(view: DataView, offset: number, end: number, portId: number): number {
    const le = this.le;
    const seq = this.seq;
    let off = offset;
    let n = 0;
    // Stop when the entry left the router (closed from the callback): the router drops the rest.
    while (end - off >= NLMSG_HDRLEN && this.state !== 'finished') {
      const len = view.getUint32(off, le);
      if (len < NLMSG_HDRLEN || len > end - off || view.getUint16(off + 4, le) < NLMSG_MIN_TYPE || view.getUint32(off + 12, le) !== portId || view.getUint32(off + 8, le) !== seq) break;
      n++;
      this.rawMessage(view, off, len);
      off += Math.min(nlmsgAlign(len), end - off);
    }
    this.raw!.taken = n;
    return off;
  }

  /** Raw mode: one family message, handed to the handler while its bytes are valid. */
  private rawMessage(view: DataView, offset: number, length: number): void {
    if ((view.getUint16(offset + 6, this.le) & NLM_F_DUMP_INTR) !== 0) this.interrupted = true;
    // Discarding, or an attempt known to be inconsistent (its retry yields everything again).
    if (this.state !== 'running' || this.interrupted) return;
    this.yielded++;
    try {
      this.handler!.message(view, offset, length);
    } catch (e) {
      this.abandon();
      this.waiter.reject(e);
    }
  }

  /** Raw mode: the datagram's bytes are about to be reused. */
  private rawRelease(): void {
    this.handler!.release();
    // The timeout bounds each wait for data: a datagram arrived, so the wait starts again —
    // noted here, applied when the timer fires (re-arming a timer per datagram cost ~1 µs each).
    this.lastData = Date.now();
  }

  reply(msg: Reply<M>): void {
    if ((msg.flags & NLM_F_DUMP_INTR) !== 0) this.interrupted = true;
    if (this.state !== 'running') return; // discarding
    if (this.interrupted) {
      this.partial.push(msg);
      return;
    }
    if (!this.waiter.waiting) {
      this.queue.push(msg);
      return;
    }
    let value: T | undefined;
    try {
      value = this.map(msg);
    } catch (e) {
      this.waiter.reject(e);
      return;
    }
    if (value === undefined) return; // skipped: the consumer keeps waiting
    this.deadline?.disarm();
    this.waiter.resolve(this.hand(value));
  }

  /**
   * The kernel finished this dump: `NLMSG_DONE`, or an `NLMSG_ERROR` (an ACK ends a "dump" of
   * a type that does not dump: the kernel answered once).
   */
  answer(err: NetlinkError | undefined, flags: number): void {
    if ((flags & NLM_F_DUMP_INTR) !== 0) this.interrupted = true;
    if (this.state === 'discarding') {
      this.state = 'finished';
      this.cleanup();
      this.channel.dumps.ended(this);
      return;
    }
    if (!err && this.interrupted) {
      if (this.attempt <= (this.opts.retries ?? 0)) {
        // Retry when the consumer next asks (at once if it is already waiting). The queue
        // keeps this dump as its running one meanwhile.
        this.state = 'retry';
        if (this.waiter.waiting) this.restart();
        return;
      }
      err = new NetlinkDumpInterruptedError<M>(
        this.partial,
        this.yielded + this.queue.size,
        this.attempt,
        this.channel.router.names.typeName(this.sent),
      );
    }
    this.finishWith(err);
  }

  private finishWith(err: NetlinkError | undefined): void {
    this.state = 'finished';
    this.cleanup();
    if (err) this.waiter.fail(err);
    else this.waiter.end();
    this.channel.dumps.ended(this);
  }

  /** The deadline passed: the timer only counts while the consumer waits; an abort always. */
  private expired(err: NetlinkProtocolError): void {
    if (err.reason === 'timeout' && !this.waiter.waiting) return;
    if (err.reason === 'timeout' && this.raw !== undefined && this.state === 'running') {
      // Raw mode: the timer ran from the start of the wait; data since then restarts it.
      const ms = this.opts.timeoutMs ?? this.channel.defaultTimeout;
      const idle = Date.now() - this.lastData;
      if (idle < ms) {
        this.deadline?.arm(ms - idle, () => this.timeoutOf(ms));
        return;
      }
    }
    this.fail(err);
  }

  /** Fail from our side (timeout, abort, close, truncation): keep reading the kernel's rest, discarding it. */
  fail(err: NetlinkError): void {
    const state = this.state;
    if (state === 'finished' || state === 'discarding') return;
    this.cleanup();
    this.queue.clear();
    this.outstanding = false;
    this.waiter.fail(err);
    if (state === 'running' && !(err instanceof NetlinkProtocolError && err.reason === 'closed')) {
      this.state = 'discarding';
      this.channel.updatePoll();
    } else {
      this.state = 'finished';
      if (state === 'queued') this.channel.dumps.dequeue(this);
      this.channel.router.remove(this);
      this.channel.dumps.ended(this);
    }
  }

  private abandon(): void {
    const state = this.state;
    this.cleanup();
    this.queue.clear();
    this.outstanding = false;
    this.waiter.clearError();
    if (state === 'running') {
      this.state = 'discarding';
      this.channel.pump();
    } else if (state === 'queued' || state === 'idle') {
      this.state = 'finished';
      this.channel.dumps.dequeue(this);
    } else if (state === 'retry') {
      this.state = 'finished';
      this.channel.dumps.ended(this);
    } else if (state !== 'discarding') {
      this.state = 'finished';
    }
  }

  private cleanup(): void {
    this.deadline?.clear();
  }
}
