/**
 * The receive side shared by {@link NetlinkSocket} and {@link Subscription}: readiness
 * polling, the `recvmsg` loop into one reused buffer, datagrams read ahead on a libuv worker
 * (dumps), `ENOBUFS`, datagrams not from the kernel, `MSG_TRUNC`, receive failures, and the
 * `SO_RCVBUF`/`SO_SNDBUF` sizing sequence. What the datagrams mean is its owner's business
 * (a {@link ReceiveSink}).
 * @module
 */
import { HOST_LE } from '../netlink/endian.js';
import { Errno } from '../netlink/errno.js';
import { NetlinkError, NetlinkProtocolError, NetlinkSocketError } from '../netlink/errors.js';
import { nlmsgIterate } from '../netlink/reader.js';
import { viewOf } from '../netlink/view.js';
import { type NetlinkFamily, type NlMessageBase } from '../netlink/message.js';
import { receiveError, unexpectedError } from './failures.js';
import { openNativeTransport } from './native.js';
import { type NetlinkTransport, type RecvInfo, SOL_SOCKET } from './transport.js';

/** Datagrams one worker reads ahead (each into a receive-buffer-sized slot). */
const READ_AHEAD_SLOTS = 4;
/** Read-ahead batches at most: one being decoded, one being read. */
const READ_AHEAD_BATCHES = 2;
/**
 * Room for packed datagrams beyond one receive-buffer slot in a synchronous batch
 * ({@link NetlinkTransport.recvBatch}): some hundreds of small notifications per call.
 */
const BATCH_EXTRA_BYTES = 64 * 1024;
/** Datagrams one synchronous batch describes at most. */
const BATCH_MAX = 256;
/** Int32s per datagram in a batch's `meta` (offset, length, truncated, pid, groups). */
const BATCH_STRIDE = 5;
/** `EAGAIN`: a batch stopped because nothing more was queued. */
const EAGAIN = 11;
/** A batch from a reader thread's queue stopped because it ran empty before the socket did (see `NetlinkTransport.recvBatch`). */
const LATER = -1;

/** Counters the receiver keeps (in its owner's stats object). */
export interface ReceiveStats {
  /** Datagrams received. */
  datagrams: number;
  /** Messages dropped; the receiver adds those of datagrams not sent by the kernel. */
  dropped: number;
  /** `ENOBUFS` reports. */
  overruns: number;
  /** Truncated datagrams (`MSG_TRUNC`). */
  truncated: number;
}

/** What the owner of a {@link Receiver} does with what it reads. Called only from {@link Receiver.pump}. */
export interface ReceiveSink {
  /** Read now? (false: paused, or the backlog is full) */
  wantsMore(): boolean;
  /** Be woken when readable? (checked after each pump and by {@link Receiver.updatePoll}) */
  wantsPoll(): boolean;
  /** Have the next datagrams read ahead on a worker thread (if the transport can)? */
  wantsReadAhead(): boolean;
  /** A datagram from the kernel: its first `length` bytes are in `view`. */
  datagram(view: DataView, length: number): void;
  /**
   * Optional: a datagram from the kernel at `view`'s bytes `[offset, offset + length)`. A sink
   * with it is read in synchronous batches when the transport can
   * ({@link NetlinkTransport.recvBatch}): many datagrams per call, no object per datagram.
   */
  datagramAt?(view: DataView, offset: number, length: number): void;
  /**
   * Optional, with `datagramAt`: how many datagrams it wants now at most (at least 1 while
   * {@link wantsMore}): a batch reads no more, so that what is not wanted stays in the
   * kernel's queue (backpressure) rather than in the batch.
   */
  room?(): number;
  /**
   * Optional, with `datagramAt`: hand on the next datagram of a batch now? (false: it waits,
   * raw, in the batch until a later {@link Receiver.pump}). A sink that decodes only what its
   * consumer is about to take keeps few decoded objects alive: they die young.
   */
  handOn?(): boolean;
  /** A datagram from the kernel cut to the `size`-byte buffer (`info.length` was its size). */
  truncated(view: DataView, length: number, info: RecvInfo, size: number): void;
  /** Any datagram was read, `bytes` long (kernel's or not, whole or not). */
  consumed(bytes: number): void;
  /** `recvmsg` reported `ENOBUFS`: the kernel dropped datagrams (counted already). */
  overrun(): void;
  /** `recvmsg` found nothing queued. */
  empty(): void;
  /** Receiving failed, or something unexpected was thrown (a bug): the owner closes. */
  failed(err: NetlinkError): void;
}

/** Memory for one read-ahead batch: `slots` are `size`-byte windows of `all`. */
interface ReadAheadBuffer {
  all: Uint8Array;
  size: number;
  slots: Uint8Array[];
  views: DataView[];
}

/** Datagrams read (or being read) ahead by one `recvAsync`. */
interface ReadAhead {
  buffer: ReadAheadBuffer;
  /** What the worker got; `undefined` while it reads. An error can only be last. */
  results: (RecvInfo | Error)[] | undefined;
  /** Index of the next result to process. */
  next: number;
}

/**
 * Reads a transport for a {@link ReceiveSink}. {@link pump} never throws: it runs from the
 * poll callback, timers and promise callbacks, where an exception would kill the process;
 * anything unexpected goes to {@link ReceiveSink.failed}.
 */
export class Receiver {
  private readonly rbuf: Uint8Array;
  private readonly rview: DataView;
  /**
   * Datagrams read ahead, oldest first: at most {@link READ_AHEAD_BATCHES} batches of up to
   * {@link READ_AHEAD_SLOTS} datagrams. A batch without `results` is being read by a worker
   * (it owns the receive queue until then: a second reader would reorder datagrams).
   */
  private readonly ahead: ReadAhead[] = [];
  /** Buffers of finished read-ahead batches, for reuse (made on first use). */
  private readonly aheadFree: ReadAheadBuffer[] = [];
  /** A worker is reading into the last batch of {@link ahead}. */
  private reading = false;
  /**
   * The synchronous batch ({@link NetlinkTransport.recvBatch}), made on first use: datagrams
   * packed in `batchBuf`, described in `batchMeta`; `batchNext` is the next one to hand on,
   * and once all are, `batchMeta[0]` (why the batch stopped: EAGAIN, an errno, or 0) is
   * handled in its place — after them, as the system calls came — and cleared.
   */
  private batchBuf: Uint8Array | undefined;
  private batchView: DataView | undefined;
  private batchMeta: Int32Array | undefined;
  private batchNext = 0;
  /** `meta` of {@link recvOne} (made on first use). */
  private oneMeta: Int32Array | undefined;
  private pumping = false;
  private isClosed = false;
  private readonly onReadable = (): void => this.pump();

  /**
   * @param bufferSize bytes of the receive buffer (one datagram).
   * @param who names the owner in error messages (`'netlink socket'`, `'subscription'`).
   */
  constructor(
    private readonly transport: NetlinkTransport,
    bufferSize: number,
    private readonly stats: ReceiveStats,
    private readonly sink: ReceiveSink,
    private readonly who: string,
  ) {
    this.rbuf = new Uint8Array(bufferSize);
    this.rview = viewOf(this.rbuf);
  }

  /** Size of the receive buffer. */
  get bufferSize(): number {
    return this.rbuf.length;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Start polling now; throws if the transport cannot (at construction of the owner). */
  watch(): void {
    this.transport.poll(this.onReadable);
  }

  /** Read and hand on everything queued while the sink wants more, then update polling. Never throws. */
  pump(): void {
    if (this.pumping || this.isClosed) return;
    try {
      this.pumpOnce();
    } catch (e) {
      this.pumping = false;
      if (!this.isClosed) this.sink.failed(unexpectedError(this.who, e));
      return;
    }
    this.updatePoll();
  }

  /** Start or stop readiness notifications as the sink wants. Never throws. */
  updatePoll(): void {
    if (this.isClosed) return;
    // Not while datagrams read ahead are being read or wait: pump() would do nothing, and
    // readiness, being level-triggered, would fire again at once.
    try {
      if (this.ahead.length === 0 && !this.batchPending() && this.sink.wantsPoll()) this.transport.poll(this.onReadable);
      else this.transport.stopPoll();
    } catch (e) {
      // uv_poll_start failed (callers include timers, where a throw would kill the process):
      // nothing could ever be read.
      this.sink.failed(e instanceof NetlinkError ? e : new NetlinkProtocolError('closed', `${this.who}: polling failed`, { cause: e }));
    }
  }

  /** Datagrams of the synchronous batch wait to be handed on (then the next pump does, not readiness). */
  private batchPending(): boolean {
    const meta = this.batchMeta;
    return meta !== undefined && this.batchNext < meta[1]!;
  }

  /** Stop receiving and close the transport. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      this.transport.close();
    } catch {
      /* already gone */
    }
  }

  private pumpOnce(): void {
    this.pumping = true;
    try {
      if (this.ahead.length === 0 && this.sink.datagramAt !== undefined && this.transport.recvBatch !== undefined) {
        this.pumpBatches();
        return;
      }
      while (!this.isClosed && this.sink.wantsMore()) {
        let info: RecvInfo | null;
        let buf = this.rbuf;
        let view = this.rview;
        try {
          const head = this.ahead[0];
          if (head !== undefined) {
            // Datagrams read ahead come first; while a worker reads, it owns the queue.
            if (head.results === undefined) break;
            if (head.next === head.results.length) {
              this.ahead.shift();
              this.aheadFree.push(head.buffer);
              continue;
            }
            const i = head.next++;
            const r = head.results[i]!;
            if (r instanceof Error) throw r;
            info = r;
            buf = head.buffer.slots[i]!;
            view = head.buffer.views[i]!;
          } else {
            info = this.recvOne();
          }
        } catch (e) {
          if (e instanceof NetlinkSocketError && e.errno === Errno.ENOBUFS) {
            this.stats.overruns++;
            this.sink.overrun();
            continue;
          }
          // Any other receive error leaves the conversation in an unknown state (a datagram
          // may be lost): the owner fails with it (not with 'closed', which would hide the cause).
          this.sink.failed(receiveError(this.who, e));
          break;
        }
        if (info === null) {
          this.sink.empty();
          break;
        }
        // Have the kernel build the next datagrams (inside recvmsg, on a worker thread)
        // while this one is handled.
        if (this.transport.recvAsync !== undefined && this.sink.wantsReadAhead()) this.readAhead();
        this.datagram(info, buf, view);
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * {@link pumpOnce} for a sink with `datagramAt` over a transport with `recvBatch`: the same
   * sequence of sink calls as receiving one datagram at a time (datagrams, then the `ENOBUFS`
   * or the empty queue the next `recvmsg` reported), read in batches.
   */
  private pumpBatches(): void {
    const sink = this.sink;
    let meta = this.batchMeta;
    while (!this.isClosed && sink.wantsMore()) {
      if (meta === undefined || this.batchNext === meta[1]) {
        const status = meta === undefined ? 0 : meta[0]!;
        if (status !== 0) {
          // What stopped the last batch, after its datagrams: handled once.
          meta![0] = 0;
          if (status === EAGAIN) {
            sink.empty();
            break;
          }
          // More is coming and readiness will say so: not empty (an overrun marker waits on).
          if (status === LATER) break;
          if (status === Errno.ENOBUFS) {
            this.stats.overruns++;
            sink.overrun();
            continue;
          }
          sink.failed(receiveError(this.who, new NetlinkSocketError('recvmsg', status)));
          break;
        }
        if (meta === undefined) {
          this.batchBuf = new Uint8Array(this.rbuf.length + BATCH_EXTRA_BYTES);
          this.batchView = viewOf(this.batchBuf);
          meta = this.batchMeta = new Int32Array(2 + BATCH_STRIDE * BATCH_MAX);
        }
        this.batchNext = 0;
        meta[1] = Math.max(1, Math.min(BATCH_MAX, sink.room?.() ?? BATCH_MAX));
        try {
          this.transport.recvBatch!(this.batchBuf!, this.rbuf.length, meta);
        } catch (e) {
          meta[0] = 0;
          meta[1] = 0;
          sink.failed(receiveError(this.who, e));
          break;
        }
        continue;
      }
      if (sink.handOn !== undefined && !sink.handOn()) break;
      const m = 2 + BATCH_STRIDE * this.batchNext++;
      const offset = meta[m]!;
      const length = meta[m + 1]!;
      this.stats.datagrams++;
      if (meta[m + 3] !== 0 || meta[m + 2] !== 0) {
        // Rare: not from the kernel, or truncated. The one-datagram path handles them.
        const size = this.rbuf.length;
        const buf = this.batchBuf!.subarray(offset, offset + size);
        this.stats.datagrams--;
        this.datagram({ length, truncated: meta[m + 2] !== 0, pid: meta[m + 3]! >>> 0, groups: meta[m + 4]! >>> 0 }, buf, viewOf(buf));
        continue;
      }
      sink.datagramAt!(this.batchView!, offset, length);
      sink.consumed(length);
    }
  }

  /**
   * One `recvmsg` into the receive buffer, as {@link NetlinkTransport.recv}; through
   * `recvBatch` capped at one datagram where the transport has it. The native `recv` builds its
   * answer object through Node-API (~2 µs); `recvBatch` writes numbers into `meta`, and the
   * object made here costs nanoseconds: at 822 datagrams per 100k-policy dump, a bare receive
   * loop went from 1.07× to 1.01× the C dump (paired, 31 rounds). No second `recvmsg` is
   * made (a dump has one datagram queued at a time: an uncapped batch would pay an `EAGAIN`).
   */
  private recvOne(): RecvInfo | null {
    const t = this.transport;
    if (t.recvBatch === undefined) return t.recv(this.rbuf);
    const meta = (this.oneMeta ??= new Int32Array(2 + BATCH_STRIDE));
    meta[1] = 1;
    t.recvBatch(this.rbuf, this.rbuf.length, meta);
    if (meta[1] === 0) {
      const status = meta[0]!;
      if (status === EAGAIN) return null;
      throw new NetlinkSocketError('recvmsg', status);
    }
    return { length: meta[3]!, truncated: meta[4] !== 0, pid: meta[5]! >>> 0, groups: meta[6]! >>> 0 };
  }

  private datagram(info: RecvInfo, buf: Uint8Array, view: DataView): void {
    this.stats.datagrams++;
    const length = Math.min(info.length, buf.length);
    if (info.pid !== 0) {
      // Not from the kernel: another process sent us something. Count its messages.
      this.stats.dropped += countMessages(view, length);
    } else if (info.truncated) {
      this.stats.truncated++;
      this.sink.truncated(view, length, info, buf.length);
    } else {
      this.sink.datagram(view, length);
    }
    this.sink.consumed(info.length);
  }

  /** Start a worker reading the next datagrams, unless one is reading or two batches wait. */
  private readAhead(): void {
    if (this.reading || this.ahead.length >= READ_AHEAD_BATCHES) return;
    let buffer = this.aheadFree.pop();
    if (buffer === undefined) {
      const size = this.rbuf.length;
      const all = new Uint8Array(size * READ_AHEAD_SLOTS);
      const slots = Array.from({ length: READ_AHEAD_SLOTS }, (_, i) => all.subarray(i * size, (i + 1) * size));
      buffer = { all, size, slots, views: slots.map(viewOf) };
    }
    const batch: ReadAhead = { buffer, results: undefined, next: 0 };
    this.ahead.push(batch);
    this.reading = true;
    this.transport.recvAsync!(buffer.all, buffer.size).then(
      (results) => this.readAheadDone(batch, results),
      (error: unknown) => this.readAheadDone(batch, [error instanceof Error ? error : new Error(String(error))]),
    );
  }

  private readAheadDone(batch: ReadAhead, results: (RecvInfo | Error)[]): void {
    this.reading = false;
    batch.results = results;
    if (this.isClosed) return;
    this.pump();
  }
}

/** Messages in a datagram not from the kernel (at least 1: a malformed one counts as one). */
function countMessages(view: DataView, length: number): number {
  let n = 0;
  try {
    for (const _ of nlmsgIterate(view, HOST_LE, 0, length)) n++;
  } catch {
    n++;
  }
  return Math.max(n, 1);
}

/**
 * `getsockopt(SOL_SOCKET, name)`, or `undefined` if it fails or reports nothing (a transport
 * without the option).
 */
export function sockoptInt(t: NetlinkTransport, name: number): number | undefined {
  try {
    const v = t.getsockoptInt(SOL_SOCKET, name);
    return v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Set `SO_RCVBUF`/`SO_SNDBUF` (`opt`) to at least `bytes`, falling back to the FORCE variant
 * (`force`, needs `CAP_NET_ADMIN`) when `rmem_max`/`wmem_max` capped it.
 * @throws {@link NetlinkSocketError} if the plain `setsockopt` fails.
 */
export function setBuffer(t: NetlinkTransport, opt: number, force: number, bytes: number): void {
  const value = Math.min(Math.max(0, Math.floor(bytes)), 0x3fffffff);
  t.setsockoptInt(SOL_SOCKET, opt, value);
  const got = sockoptInt(t, opt);
  if (got !== undefined && got < value) {
    try {
      t.setsockoptInt(SOL_SOCKET, force, value);
    } catch {
      /* not privileged: keep what rmem_max/wmem_max allowed */
    }
  }
}

/** Where a socket is opened: the options {@link NetlinkSocket.open} and {@link subscribe} share. */
export interface OpenOptions<M extends NlMessageBase> {
  /** The family (its `protocol` is the default). */
  family: NetlinkFamily<M> | null;
  /** Socket protocol. */
  protocol?: number;
  /** Network namespace of a native socket. */
  netns?: string;
  /** Use this transport instead of a native socket. */
  transport?: NetlinkTransport;
}

/**
 * `opts.transport`, or a native socket of `opts.protocol` (default: the family's) bound to
 * `groups`, with `configure` applied; the socket is closed again if that fails.
 * @throws TypeError without a protocol (`who` names the caller); what `configure` or opening throws.
 */
export function openConfigured<M extends NlMessageBase>(
  who: string,
  opts: OpenOptions<M>,
  groups: number | undefined,
  configure: (t: NetlinkTransport) => void,
): NetlinkTransport {
  const protocol = opts.protocol ?? opts.family?.protocol;
  if (protocol === undefined) throw new TypeError(`${who}: protocol or family is required`);
  const transport =
    opts.transport ??
    openNativeTransport({
      protocol,
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
      ...(groups !== undefined ? { groups } : {}),
    });
  try {
    configure(transport);
  } catch (e) {
    transport.close();
    throw e;
  }
  return transport;
}
