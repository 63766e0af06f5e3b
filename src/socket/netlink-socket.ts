/**
 * {@link NetlinkSocket}: requests, acknowledgements, dumps and batches over one netlink
 * socket, with sequence-number routing, port-id and sender checks, extended-ACK errors,
 * timeouts and cancellation.
 * @module
 */
import { nlaAlign, nlmsgAlign, NLA_HDRLEN, NLMSG_HDRLEN } from '../netlink/align.js';
import {
  NETLINK_CAP_ACK,
  NETLINK_EXT_ACK,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_REQUEST,
  SOL_NETLINK,
} from '../netlink/constants.js';
import { HOST_LE } from '../netlink/endian.js';
import { Errno } from '../netlink/errno.js';
import {
  NetlinkDecodeError,
  NetlinkDumpInterruptedError,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkKernelError,
  type NetlinkKernelErrorInit,
  NetlinkProtocolError,
  NetlinkSocketError,
} from '../netlink/errors.js';
import {
  controlTypeName,
  decodeMessage,
  encodeMessage,
  type NetlinkFamily,
  type NetlinkMessage,
  type NlMessageBase,
  type NlmsgDoneMessage,
  type NlmsgErrorMessage,
  type NlmsgRawMessage,
} from '../netlink/message.js';
import { type NlAttribute, nlaIterate } from '../netlink/nlattr.js';
import { extackOf } from '../netlink/nlmsgerr.js';
import { nlmsgAt, nlmsgIterate, type NlmsgLocation } from '../netlink/reader.js';
import { viewOf } from '../netlink/view.js';
import { NlmsgWriter } from '../netlink/writer.js';
import { openNativeTransport, socketError } from './native.js';
import {
  type NetlinkTransport,
  type RecvInfo,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SO_SNDBUFFORCE,
} from './transport.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';

/** Re-exported where it always was: the error now lives with the others in `netlink/errors.ts`. */
export { NetlinkDumpInterruptedError } from '../netlink/errors.js';

/** A message the kernel sent back: one of the family's messages, or a raw one of a type it does not know. */
export type Reply<M extends NlMessageBase> = M | NlmsgRawMessage;

/**
 * A message to send: `seq` and `pid` are assigned by the socket, and `flags` are optional
 * (the socket adds `NLM_F_REQUEST | NLM_F_ACK`, plus `NLM_F_DUMP` for dumps). A raw message
 * (`{ type: <number>, payload }`) can be sent on any socket.
 */
export type Outgoing<M extends NlMessageBase> = M extends unknown ? Omit<M, 'flags' | 'seq' | 'pid'> & OutgoingHeader : never;

/** Header fields of an {@link Outgoing} message, all optional. */
export interface OutgoingHeader {
  /** Extra `NLM_F_*` flags (e.g. `NLM_F_REPLACE`); the socket adds `NLM_F_REQUEST | NLM_F_ACK`. */
  flags?: number;
  /** Ignored: the socket assigns sequence numbers. */
  seq?: number;
  /** Ignored: the socket puts its port id. */
  pid?: number;
}

/** Outgoing message accepted by the socket methods. */
export type OutgoingMessage<M extends NlMessageBase> = Outgoing<M> | Outgoing<NlmsgRawMessage>;

/** Options every call takes. */
export interface CallOptions {
  /**
   * Milliseconds before the call fails with `NetlinkProtocolError('timeout')` (default: the
   * socket's `timeoutMs`, 30 s). `0` or `Infinity` disables it. For dumps it bounds each wait
   * for the next message. A request that timed out may still have been applied by the kernel.
   */
  timeoutMs?: number;
  /** Cancels the call with `NetlinkProtocolError('aborted')` (the abort reason is its `cause`). */
  signal?: AbortSignal;
}

/** Options of {@link NetlinkSocket.dump}. */
export interface DumpOptions extends CallOptions {
  /**
   * How many times to restart a dump whose messages carry `NLM_F_DUMP_INTR` (the table
   * changed while it was being dumped). Default 0: the iterator throws
   * {@link NetlinkDumpInterruptedError}. XFRM never sets the flag; other families do.
   */
  retries?: number;
  /**
   * Called before a restart. The messages yielded before it belong to the inconsistent
   * attempt: throw away what was built from them; the restarted dump yields everything again.
   */
  onRetry?: (attempt: number, cause: NetlinkDumpInterruptedError<NlMessageBase>) => void;
}

/** Options of {@link NetlinkSocket.batch}. */
export interface BatchOptions extends CallOptions {
  /**
   * Target bytes per `sendmsg` (default 64 KiB, allowed 16–256 KiB). A chunk also ends early
   * when the replies it can cause would not fit the receive buffer (`rcvbuf`; raised to 4 MiB
   * by the first batch unless set when opening): the kernel handles a whole `sendmsg` before
   * returning, and replies that do not fit are lost.
   */
  chunkSize?: number;
}

/** The outcome of one request of a {@link NetlinkSocket.batch}. */
export type BatchResult<M extends NlMessageBase> = BatchSuccess<M> | BatchFailure;

/** A request of a batch the kernel acknowledged. */
export interface BatchSuccess<M extends NlMessageBase> {
  /** Discriminant. */
  ok: true;
  /**
   * Messages the kernel sent before the ACK (empty for add/delete requests). Read only: the
   * results of requests without replies share one frozen object.
   */
  readonly replies: readonly Reply<M>[];
}

/** A request of a batch that failed. */
export interface BatchFailure {
  /** Discriminant. */
  ok: false;
  /**
   * Usually the kernel's answer ({@link NetlinkKernelError}); `NetlinkProtocolError('overrun')`
   * if the reply was lost to a receive-buffer overrun (the request may have been applied);
   * {@link NetlinkDecodeError} if the reply could not be decoded; {@link NetlinkEncodeError}
   * if the request itself could not be encoded (it was not sent).
   */
  error: NetlinkKernelError | NetlinkProtocolError | NetlinkDecodeError | NetlinkEncodeError;
}

/** Counters of a socket's traffic. */
export interface NetlinkSocketStats {
  /** Messages sent. */
  sent: number;
  /** `sendmsg` calls. */
  sendCalls: number;
  /** Datagrams received. */
  datagrams: number;
  /** Messages received and routed to a request. */
  received: number;
  /** Messages dropped: not from the kernel, wrong port id, unknown sequence number, malformed framing or late. */
  dropped: number;
  /** Receive-buffer overruns (`ENOBUFS`). */
  overruns: number;
  /** Truncated datagrams (`MSG_TRUNC`). */
  truncated: number;
}

/** Options of {@link NetlinkSocket.open}. */
export interface NetlinkSocketOptions<M extends NlMessageBase> {
  /** The protocol family that decodes and encodes messages (e.g. `xfrmFamily`); `null` for raw messages only. */
  family: NetlinkFamily<M> | null;
  /** Socket protocol (default: `family.protocol`). */
  protocol?: number;
  /** Network namespace: a name under `/run/netns` or a path such as `/proc/<pid>/ns/net`. */
  netns?: string;
  /** Legacy multicast bitmask for `bind()`. A request socket normally joins nothing. */
  groups?: number;
  /**
   * Receive buffer in bytes (`SO_RCVBUF`, retried with `SO_RCVBUFFORCE` when `rmem_max`
   * caps it). Larger buffers let {@link NetlinkSocket.batch} put more requests per `sendmsg`.
   * Without this option, the first batch raises it to 4 MiB (where permitted) so that
   * chunks are not cut short by the room their possible error replies need.
   */
  rcvbuf?: number;
  /** Set `NETLINK_EXT_ACK` so errors carry the kernel's text and offset (default true). */
  extAck?: boolean;
  /** Set `NETLINK_CAP_ACK`: errors do not echo the request (the socket keeps its own copy). */
  capAck?: boolean;
  /** Default `timeoutMs` of every call (default 30 000). */
  timeoutMs?: number;
  /** Size of the single receive buffer, at least 32 KiB (default 64 KiB). */
  recvBufferSize?: number;
  /** Use this transport instead of opening a native socket (tests: `netlink-xfrm/testing`). */
  transport?: NetlinkTransport;
}

const DEFAULT_TIMEOUT = 30_000;
const MIN_RECV_BUFFER = 32 * 1024;
const DEFAULT_RECV_BUFFER = 64 * 1024;
const DEFAULT_CHUNK = 64 * 1024;
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 256 * 1024;
/**
 * Receive-buffer cost of one reply, measured on 6.18: an ACK or a short error takes 832
 * bytes of `sk_rmem_alloc` (256 ACKs fill the default 212 992-byte buffer). Errors also
 * echo the request, so a request of `len` bytes is budgeted `REPLY_COST + len`.
 */
const REPLY_COST = 1024;
/** Datagrams one worker reads ahead during a dump (each into a receive-buffer-sized slot). */
const READ_AHEAD_SLOTS = 4;
/** Read-ahead batches at most: one being decoded, one being read. */
const READ_AHEAD_BATCHES = 2;

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

/** Receive buffer (`sk_rcvbuf`) batches raise the socket to: room for 64 KiB chunks of any request. */
const BATCH_RCVBUF = 4 * 1024 * 1024;

/** @internal Anything waiting for messages with one sequence number. */
interface Pending<M extends NlMessageBase> {
  readonly seq: number;
  /** Encoded request (for mapping extended-ACK offsets to attributes). */
  readonly sent: Uint8Array;
  /** Dumps are exempt from overrun failure: the kernel holds their data back instead of dropping it. */
  readonly isDump: boolean;
  deliver(msg: NetlinkMessage<M>): void;
  fail(err: NetlinkError): void;
}

type Settle = (err: NetlinkError | undefined) => void;

function isAbortError(signal: AbortSignal): NetlinkProtocolError {
  return new NetlinkProtocolError('aborted', 'netlink call aborted', { cause: signal.reason });
}

/**
 * A netlink socket speaking one protocol family.
 *
 * Many requests may be in flight at once; replies are routed by sequence number, and only
 * messages sent by the kernel (sender port 0) to this socket's port id with a known sequence
 * number are accepted; everything else is counted in {@link stats}`.dropped`. Requests carry
 * `nlmsg_pid` = this socket's port id, so replies that echo it (XFRM's GETAE) pass the check.
 *
 * The socket reads only while something is pending, so an idle socket does not keep the
 * process alive. While a dump's consumer has unread messages, nothing more is read: replies
 * to other requests wait behind the dump, and their timeouts keep running.
 *
 * @example
 * ```ts
 * const sock = NetlinkSocket.open({ family: xfrmFamily, netns: 'blue' });
 * await sock.request({ type: 'XFRM_MSG_NEWPOLICY', body, attrs: [] });   // resolves on the ACK
 * for await (const p of sock.dump({ type: 'XFRM_MSG_GETPOLICY', body: zeroId, attrs: [] })) use(p);
 * sock.close();
 * ```
 */
export class NetlinkSocket<M extends NlMessageBase> {
  /** The family used to decode and encode messages. */
  readonly family: NetlinkFamily<M> | null;
  /** Byte order of the wire (the host's). */
  readonly le: boolean = HOST_LE;
  /** Traffic counters. */
  readonly stats: NetlinkSocketStats = {
    sent: 0,
    sendCalls: 0,
    datagrams: 0,
    received: 0,
    dropped: 0,
    overruns: 0,
    truncated: 0,
  };

  private readonly transport: NetlinkTransport;
  /** @internal Default `timeoutMs` of calls. */
  readonly defaultTimeout: number;
  private readonly rbuf: Uint8Array;
  private readonly rview: DataView;
  /**
   * Datagrams read ahead during dumps, oldest first: at most {@link READ_AHEAD_BATCHES}
   * batches of up to {@link READ_AHEAD_SLOTS} datagrams. A batch without `results` is being
   * read by a worker (it owns the receive queue until then).
   */
  private readonly ahead: ReadAhead[] = [];
  /** Buffers of finished read-ahead batches, for reuse (made on first use). */
  private readonly aheadFree: ReadAheadBuffer[] = [];
  /** A worker is reading into the last batch of {@link ahead}. */
  private reading = false;
  private readonly writer = new NlmsgWriter(4096);
  private readonly pending = new Map<number, Pending<M>>();
  private readonly dumpQueue: DumpRun<M>[] = [];
  private activeDump: DumpRun<M> | undefined;
  private unpauseWaiters: (() => void)[] = [];
  private seq = 0;
  private pumping = false;
  private overrunSeen = false;
  /**
   * `sendAsync` calls not finished: the kernel may still be handling those requests (on the
   * worker thread), so their answers may not exist yet and cannot be declared lost.
   */
  private sendsInFlight = 0;
  private isClosed = false;
  /**
   * Why the socket closed while operations were in progress: a receive or poll failure, or
   * `'closed'` for {@link close}. Operations already under way (queued dumps, batches
   * between chunks) fail with it, so the caller sees the real cause; operations started
   * after the close get a fresh `'closed'`.
   */
  private closedBy: NetlinkError | undefined;
  private rcvbufBytes: number;
  /** `rcvbuf` was chosen by the caller: batches keep it. */
  private readonly rcvbufChosen: boolean;
  private sndbufBytes: number;
  // Called from libuv (and from timers and promise callbacks): pump() never throws, since
  // an exception there would kill the process.
  private readonly onReadable = (): void => this.pump();

  private constructor(transport: NetlinkTransport, family: NetlinkFamily<M> | null, opts: NetlinkSocketOptions<M>) {
    this.transport = transport;
    this.family = family;
    this.defaultTimeout = opts.timeoutMs ?? DEFAULT_TIMEOUT;
    const size = Math.max(MIN_RECV_BUFFER, opts.recvBufferSize ?? DEFAULT_RECV_BUFFER);
    this.rbuf = new Uint8Array(size);
    this.rview = viewOf(this.rbuf);
    this.rcvbufBytes = safeGet(transport, SOL_SOCKET, SO_RCVBUF) ?? 212992;
    this.rcvbufChosen = opts.rcvbuf !== undefined;
    this.sndbufBytes = safeGet(transport, SOL_SOCKET, SO_SNDBUF) ?? 212992;
  }

  /**
   * Open a socket (native, or over `opts.transport`), bind it and set its options.
   * @throws {@link NetlinkSocketError} if a system call fails; with `EPERM` the message says
   *   CAP_NET_ADMIN is needed. {@link NetlinkShimUnavailableError} without the native shim.
   */
  static open<M extends NlMessageBase>(opts: NetlinkSocketOptions<M>): NetlinkSocket<M> {
    const protocol = opts.protocol ?? opts.family?.protocol;
    if (protocol === undefined) throw new TypeError('NetlinkSocket.open: protocol or family is required');
    const transport =
      opts.transport ??
      openNativeTransport({
        protocol,
        ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
        ...(opts.groups !== undefined ? { groups: opts.groups } : {}),
      });
    try {
      if (opts.extAck !== false) transport.setsockoptInt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
      if (opts.capAck) transport.setsockoptInt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
      if (opts.rcvbuf !== undefined) setBuffer(transport, SO_RCVBUF, SO_RCVBUFFORCE, opts.rcvbuf);
    } catch (e) {
      transport.close();
      throw e;
    }
    return new NetlinkSocket(transport, opts.family, opts);
  }

  /** Port id of this socket (`nl_pid`). */
  get portId(): number {
    return this.transport.portId;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Number of sequence numbers waiting for replies. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `NetlinkSocket { port: ${this.portId}, inFlight: ${this.pending.size}, closed: ${this.isClosed} }`;
  }

  /** Effective receive buffer (`SO_RCVBUF` as the kernel reports it). */
  get rcvbuf(): number {
    return this.rcvbufBytes;
  }

  // ---------------------------------------------------------------- requests

  /**
   * Send one request with `NLM_F_REQUEST | NLM_F_ACK` and a fresh sequence number, and
   * resolve with the messages the kernel returned before its ACK: `[]` for "do" requests
   * (add, delete, flush…), the reply for "get" requests. A request sent with `NLM_F_DUMP`
   * resolves at `NLMSG_DONE` with all messages (prefer {@link dump}).
   * @throws {@link NetlinkKernelError} when the kernel answers with an error: `errno`, `code`,
   *   `extackMessage`, `extackOffset` and `attribute` (the name of the attribute of the request
   *   at that offset).
   * @throws {@link NetlinkProtocolError} `timeout`, `aborted`, `closed`, `truncated` or
   *   `overrun` (the reply was lost; the request may have been applied).
   * @throws {@link NetlinkEncodeError} if `msg` cannot be encoded (nothing is sent).
   */
  request(msg: OutgoingMessage<M>, opts: CallOptions = {}): Promise<Reply<M>[]> {
    return new Promise<Reply<M>[]>((resolve, reject) => {
      if (this.isClosed) return reject(closedError());
      if (opts.signal?.aborted) return reject(isAbortError(opts.signal));
      const seq = this.nextSeq();
      const sent = this.encodeOne(msg, seq, NLM_F_REQUEST | NLM_F_ACK);
      const replies: Reply<M>[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      const signal = opts.signal;
      const onAbort = (): void => finish(isAbortError(signal!));
      const finish: Settle = (err) => {
        if (this.pending.get(seq) === entry) this.pending.delete(seq);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(replies);
        this.updatePoll();
      };
      const entry = new RequestPending<M>(this, seq, sent, replies, finish);
      this.pending.set(seq, entry);
      const ms = opts.timeoutMs ?? this.defaultTimeout;
      if (ms > 0 && Number.isFinite(ms)) {
        timer = setTimeout(() => finish(timeoutError(ms, this.typeNameOf(sent))), ms);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.sendDatagram(sent, 1);
      } catch (e) {
        finish(e as NetlinkError);
        return;
      }
      this.pump();
    });
  }

  /**
   * Dump a table: send `msg` with `NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP` and stream the
   * decoded messages until `NLMSG_DONE`. Memory stays constant: datagrams are decoded only
   * when the consumer has taken every message of the previous one, and at most 8 wait
   * undecoded — read ahead, 4 per call, on a libuv worker thread (the kernel builds each
   * next datagram inside `recvmsg`, meanwhile earlier ones are decoded). Only one dump runs
   * per socket (the kernel answers `EBUSY` otherwise); later ones wait their turn, starting
   * when first iterated. Leaving the loop early (`break`) is fine: the rest of the dump is
   * read and discarded before the next dump starts.
   * @throws (from the iterator) {@link NetlinkKernelError} if the kernel refuses the dump or
   *   ends it with a negative `NLMSG_DONE` error (with extended-ACK fields);
   *   {@link NetlinkDumpInterruptedError} for `NLM_F_DUMP_INTR` once `retries` are used up;
   *   {@link NetlinkProtocolError} `timeout`, `aborted`, `closed`, `truncated`.
   */
  dump(msg: OutgoingMessage<M>, opts: DumpOptions = {}): AsyncIterableIterator<Reply<M>> {
    return new DumpRun<M, Reply<M>>(this, msg, opts, undefined);
  }

  /**
   * {@link dump}, yielding `map(message)` for each message and skipping those it maps to
   * `undefined` (e.g. control messages, or types the caller does not want). Same streaming,
   * errors and options. Unlike wrapping {@link dump} in an `async function*`, this costs no
   * extra promise per message, which matters for dumps of 100k entries. If `map` throws, the
   * iterator rejects with that error and the rest of the dump is read and discarded.
   */
  dumpMap<T>(msg: OutgoingMessage<M>, map: (message: Reply<M>) => T | undefined, opts: DumpOptions = {}): AsyncIterableIterator<T> {
    return new DumpRun<M, T>(this, msg, opts, map);
  }

  /**
   * {@link dump} collected into an array. With `retries`, an interrupted dump is restarted
   * and the array refilled.
   * @throws like {@link dump}; a {@link NetlinkDumpInterruptedError} carries every message of
   *   the last attempt in `partial`.
   */
  async dumpAll(msg: OutgoingMessage<M>, opts: DumpOptions = {}): Promise<Reply<M>[]> {
    let out: Reply<M>[] = [];
    const it = this.dump(msg, {
      ...opts,
      onRetry: (attempt, cause) => {
        out = [];
        opts.onRetry?.(attempt, cause);
      },
    });
    try {
      for await (const m of it) out.push(m);
    } catch (e) {
      if (e instanceof NetlinkDumpInterruptedError) {
        throw new NetlinkDumpInterruptedError<M>(
          out.concat(e.partial as Reply<M>[]),
          0,
          e.attempts,
          this.typeNameOf((it as DumpRun<M>).sentBytes),
        );
      }
      throw e;
    }
    return out;
  }

  /**
   * Send many requests in as few `sendmsg` calls as possible (chunks of about
   * `chunkSize` bytes), each with its own sequence number (only the last request of a chunk
   * asks for an ACK; errors come back for every request), and return one result per
   * request, in order. `msgs` may be any iterable — a generator lets a bulk load build each
   * message just before it is encoded. A failing request does not stop the others: its error
   * (with extended-ACK text and the offending attribute of that very request) is in its
   * result. A request that cannot be encoded is not sent; its result holds the
   * {@link NetlinkEncodeError}.
   *
   * Chunks are encoded while the kernel handles the previous one: with the native transport
   * the `sendmsg` runs on a libuv worker thread, so encoding and the kernel's work overlap
   * (a threadpool kept busy by other work — `UV_THREADPOOL_SIZE`, default 4 — delays it).
   * @throws {@link NetlinkProtocolError} `timeout` (for the whole batch), `aborted`, `closed`;
   *   {@link NetlinkSocketError} if `sendmsg` fails; whatever iterating `msgs` throws.
   *   Requests sent before such a failure may have been applied.
   */
  async batch(msgs: Iterable<OutgoingMessage<M>>, opts: BatchOptions = {}): Promise<BatchResult<M>[]> {
    if (this.isClosed) throw closedError();
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
      throw new RangeError(`batch chunkSize must be an integer from ${MIN_CHUNK} to ${MAX_CHUNK}, got ${chunkSize}`);
    }
    const signal = opts.signal;
    if (signal?.aborted) throw isAbortError(signal);
    this.ensureSndbuf(chunkSize);
    this.ensureBatchRcvbuf();
    const results: BatchResult<M>[] = [];
    let settled = 0;
    let wake: (() => void) | undefined;
    let failure: NetlinkError | undefined;
    const entries: BatchItem<M>[] = [];
    // One settle function for the whole batch (not a closure per request): bulk loads of
    // 100k requests otherwise spend a fifth of their time collecting garbage.
    const settleItem = (item: BatchItem<M>, err: NetlinkError | undefined): void => {
      if (this.pending.get(item.seq) === item) this.pending.delete(item.seq);
      if (results[item.index] !== undefined) return;
      results[item.index] = err ? { ok: false, error: err as BatchFailure['error'] } : item.success();
      settled++;
      const chunk = item.chunk!;
      if (item === chunk.items[chunk.items.length - 1]) {
        // The answer to the chunk's last request comes after every other answer of the
        // chunk: requests without an error by now succeeded (they sent no ACK) — unless an
        // overrun may have swallowed their error, then nobody can tell.
        const lost = this.stats.overruns !== chunk.overrunsAtSend;
        for (const it of chunk.items) {
          if (results[it.index] !== undefined) continue;
          this.pending.delete(it.seq); // sequence numbers are never reused
          results[it.index] = lost ? { ok: false, error: lostError(this.typeNameOf(it.sent), it.seq) } : it.success();
          settled++;
        }
      }
      wake?.();
    };
    const builder = new ChunkBuilder<M>(this, msgs, chunkSize, Math.floor(this.rcvbufBytes * 0.85), (index, error) => {
      results[index] = { ok: false, error };
      settled++;
    });

    const ms = opts.timeoutMs ?? this.defaultTimeout;
    const timer =
      ms > 0 && Number.isFinite(ms)
        ? setTimeout(() => stop(new NetlinkProtocolError('timeout', `netlink batch of ${builder.count}+ requests timed out after ${ms} ms`)), ms)
        : undefined;
    const onAbort = (): void => stop(isAbortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const stop = (err: NetlinkError): void => {
      if (failure) return;
      failure = err;
      wake?.();
    };
    const waitFor = (cond: () => boolean): Promise<void> =>
      new Promise<void>((res) => {
        const check = (): void => {
          if (failure || this.isClosed || cond()) {
            wake = undefined;
            res();
          } else {
            wake = check;
          }
        };
        check();
      });

    // The previous chunk is answered once its last request is: that answer comes last.
    let previous: Chunk<M> | undefined;
    const previousAnswered = (): boolean =>
      previous === undefined || results[previous.items[previous.items.length - 1]!.index] !== undefined;
    try {
      let chunk = builder.next();
      while (chunk !== undefined) {
        // Send only when every reply of the previous chunk has been read, so that the
        // replies of this chunk find room in the receive buffer.
        await waitFor(previousAnswered);
        if (failure) throw failure;
        if (this.isClosed) throw this.closedBy ?? closedError();
        chunk.overrunsAtSend = this.stats.overruns;
        for (const item of chunk.items) {
          item.settle = settleItem;
          entries.push(item);
          this.pending.set(item.seq, item);
        }
        // With more to encode, send on a worker thread and encode the next chunk while the
        // kernel handles this one; the last chunk goes synchronously (no thread hop).
        const sending = this.sendChunk(chunk, !builder.done);
        const next = builder.next();
        if (sending !== undefined) await sending;
        this.pump();
        previous = chunk;
        chunk = next;
      }
      await waitFor(() => settled >= builder.count);
      if (failure) throw failure;
      if (this.isClosed) throw this.closedBy ?? closedError();
      return results;
    } catch (e) {
      for (const entry of entries) if (this.pending.get(entry.seq) === entry) this.pending.delete(entry.seq);
      this.updatePoll();
      throw e;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Close the socket. Every pending request, dump and batch fails with
   * `NetlinkProtocolError('closed')`.
   */
  close(): void {
    this.shutdown(closedError());
  }

  /** Close the socket, failing everything pending, queued or running with `err`. */
  private shutdown(err: NetlinkError): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedBy = err;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.fail(err);
    for (const d of this.dumpQueue.splice(0)) d.fail(err);
    this.activeDump?.fail(err);
    this.activeDump = undefined;
    for (const w of this.unpauseWaiters.splice(0)) w();
    try {
      this.transport.close();
    } catch {
      /* already gone */
    }
  }

  // ---------------------------------------------------------------- internals used by DumpRun

  /** @internal */
  nextSeq(): number {
    do {
      this.seq = (this.seq + 1) >>> 0;
    } while (this.seq === 0 || this.pending.has(this.seq));
    return this.seq;
  }

  /** @internal Encode one message with `seq`, this socket's port id and `flags` added; returns a copy. */
  encodeOne(msg: OutgoingMessage<M>, seq: number, addFlags: number): Uint8Array {
    const w = this.writer;
    w.reset();
    const flags = ((msg.flags ?? 0) | addFlags) & 0xffff;
    encodeMessage(w, msg as unknown as NetlinkMessage<M>, this.family, { flags, seq, pid: this.transport.portId });
    return w.finish().slice();
  }

  /** @internal */
  sendDatagram(bytes: Uint8Array, messages: number): void {
    if (this.isClosed) throw this.closedBy ?? closedError();
    this.transport.send(bytes);
    this.stats.sendCalls++;
    this.stats.sent += messages;
  }

  /** Send a batch chunk: on a worker thread when `overlap` and the transport can, else now. */
  private sendChunk(chunk: Chunk<M>, overlap: boolean): Promise<unknown> | undefined {
    const t = this.transport;
    if (!overlap || t.sendAsync === undefined) {
      this.sendDatagram(chunk.bytes, chunk.items.length);
      return undefined;
    }
    if (this.isClosed) throw this.closedBy ?? closedError();
    this.stats.sendCalls++;
    this.stats.sent += chunk.items.length;
    this.sendsInFlight++;
    return t.sendAsync(chunk.bytes).finally(() => {
      this.sendsInFlight--;
      // An ENOBUFS read meanwhile waits for this: settle what is still missing now.
      if (this.overrunSeen) this.pump();
    });
  }

  /** @internal */
  register(p: Pending<M>): void {
    this.pending.set(p.seq, p);
  }

  /** @internal */
  unregister(p: Pending<M>): void {
    if (this.pending.get(p.seq) === p) this.pending.delete(p.seq);
  }

  /** @internal Queue a dump; starts it if no other dump is running. */
  enqueueDump(run: DumpRun<M>): void {
    // A closed socket answers nothing: fail now rather than when the timeout runs out.
    if (this.isClosed) return run.fail(closedError());
    this.dumpQueue.push(run);
    this.startNextDump();
  }

  /** @internal */
  dequeueDump(run: DumpRun<M>): void {
    const i = this.dumpQueue.indexOf(run);
    if (i >= 0) this.dumpQueue.splice(i, 1);
  }

  /** @internal A dump finished its conversation with the kernel (DONE, error, or failure). */
  dumpEnded(run: DumpRun<M>): void {
    if (this.activeDump === run) this.activeDump = undefined;
    this.startNextDump();
    this.updatePoll();
  }

  private startNextDump(): void {
    while (!this.activeDump && !this.isClosed) {
      const next = this.dumpQueue.shift();
      if (!next) return;
      this.activeDump = next;
      if (!next.start()) this.activeDump = undefined;
    }
  }

  /** @internal Name of the message type of an encoded request. */
  typeNameOf(sent: Uint8Array | undefined): string | undefined {
    if (!sent || sent.length < NLMSG_HDRLEN) return undefined;
    const type = viewOf(sent).getUint16(4, this.le);
    return this.family?.typeName(type) ?? controlTypeName(type) ?? `type ${type}`;
  }

  /** @internal Build a {@link NetlinkKernelError} for an error answer to `sent`. */
  kernelError(sent: Uint8Array, error: number, seq: number, attrs: readonly NlAttribute[]): NetlinkKernelError {
    const ext = extackOf(attrs);
    const init: NetlinkKernelErrorInit = { errno: -error, seq };
    const request = this.typeNameOf(sent);
    if (request !== undefined) init.request = request;
    if (ext.message !== undefined) init.extackMessage = ext.message;
    if (ext.offset !== undefined) {
      init.extackOffset = ext.offset;
      const attribute = this.attributeAt(sent, ext.offset);
      if (attribute !== undefined) init.attribute = attribute;
    }
    return new NetlinkKernelError(init);
  }

  /**
   * @internal Name of the attribute of the encoded request `sent` that starts at (or
   * contains) byte `offset` from the start of its `nlmsghdr`. The attributes start after the
   * fixed header, whose length the family gives ({@link NetlinkFamily.headerSize}); they are
   * walked with `nlaIterate` and matched by position with the decoded ones, which give the
   * names (nested lists are followed: `'OUTER.INNER'`).
   */
  attributeAt(sent: Uint8Array, offset: number): string | undefined {
    const family = this.family;
    if (!family) return undefined;
    try {
      const view = viewOf(sent);
      const first = nlmsgIterate(view, this.le).next();
      if (first.done) return undefined;
      const loc = first.value;
      if (offset < NLMSG_HDRLEN || offset >= loc.len) return undefined;
      const header = family.headerSize(loc.type, loc.flags);
      if (header === undefined) return undefined;
      const decoded = family.decode(view, loc, this.le) as (M & { attrs?: unknown }) | undefined;
      if (!decoded || !Array.isArray(decoded.attrs)) return undefined;
      const start = loc.offset + NLMSG_HDRLEN + nlmsgAlign(header);
      return findAttrName(view, start, loc.offset + loc.len, offset, decoded.attrs as NlAttribute[], this.le);
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- receiving

  /** @internal True while a dump's consumer has unread messages: reading more would buffer without bound. */
  get paused(): boolean {
    const d = this.activeDump;
    return d !== undefined && d.backlogged;
  }

  /**
   * @internal Read and route everything queued, unless paused. Never throws: it runs from
   * the poll callback, timers and promise callbacks, where an exception would kill the
   * process. Something unexpected (a bug) fails everything pending with a typed error
   * carrying it as `cause`, and closes the socket.
   */
  pump(): void {
    try {
      this.pumpOnce();
    } catch (e) {
      this.pumping = false;
      if (this.isClosed) return;
      const what = e instanceof Error ? e.name : typeof e;
      this.shutdown(new NetlinkProtocolError('closed', `netlink socket failed: unexpected ${what} while receiving`, { cause: e }));
    }
  }

  private pumpOnce(): void {
    if (this.pumping || this.isClosed) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.paused) break;
        let info: RecvInfo | null;
        let buf = this.rbuf;
        let view = this.rview;
        try {
          const head = this.ahead[0];
          if (head !== undefined) {
            // Datagrams read ahead come first; while a worker reads, it owns the queue (a
            // second reader would reorder datagrams).
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
            info = this.transport.recv(this.rbuf);
          }
        } catch (e) {
          if (e instanceof NetlinkSocketError && e.errno === Errno.ENOBUFS) {
            // Replies were dropped by the kernel. Requests are handled synchronously inside
            // sendmsg, so once the queue is empty every reply that exists has been read: the
            // ones still missing are lost (see below).
            this.stats.overruns++;
            this.overrunSeen = true;
            continue;
          }
          // Any other receive error leaves the conversation in an unknown state (a datagram
          // may be lost mid-dump): everything pending, queued or running fails with it (not
          // with 'closed', which would hide the cause) and the socket closes.
          this.shutdown(receiveError(e));
          break;
        }
        if (info === null) {
          // The kernel reports ENOBUFS ahead of replies it had already queued: those were
          // read first (above), so a request still unanswered now lost its reply, unless
          // the kernel is still handling it inside a sendmsg on a worker thread.
          if (this.overrunSeen && this.sendsInFlight === 0) this.failLost();
          break;
        }
        // During a dump, have the kernel build the next datagrams (inside recvmsg, on a
        // worker thread) while this one is decoded.
        if (this.activeDump !== undefined && this.transport.recvAsync !== undefined) this.readAhead();
        this.onDatagram(info, buf, view);
        if (this.isClosed) break;
      }
    } finally {
      this.pumping = false;
    }
    this.updatePoll();
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

  private failLost(): void {
    this.overrunSeen = false;
    const lost = [...this.pending.values()].filter((p) => !p.isDump);
    for (const p of lost) {
      this.unregister(p);
      p.fail(lostError(this.typeNameOf(p.sent), p.seq));
    }
  }

  private onDatagram(info: RecvInfo, buf: Uint8Array, view: DataView): void {
    this.stats.datagrams++;
    const length = Math.min(info.length, buf.length);
    if (info.pid !== 0) {
      // Not from the kernel: another process sent us something. Count its messages.
      this.stats.dropped += countMessages(view, length, this.le);
      return;
    }
    if (info.truncated) {
      this.stats.truncated++;
      const seq = length >= NLMSG_HDRLEN ? view.getUint32(8, this.le) : -1;
      const p = this.pending.get(seq);
      const err = new NetlinkProtocolError(
        'truncated',
        `datagram of ${info.length} bytes truncated to the ${buf.length}-byte receive buffer; the rest is lost`,
      );
      if (p && view.getUint32(12, this.le) === this.transport.portId) {
        if (!p.isDump) this.unregister(p);
        p.fail(err);
      } else {
        this.stats.dropped++;
      }
      return;
    }
    try {
      // nlmsgIterate without the generator: a dump datagram holds ~100 messages.
      let off = 0;
      while (off < length) {
        const loc = nlmsgAt(view, off, length, this.le);
        off += Math.min(nlmsgAlign(loc.len), length - off);
        this.route(view, loc);
      }
    } catch (e) {
      // Malformed framing: the rest of the datagram cannot be split into messages.
      if (e instanceof NetlinkDecodeError) this.stats.dropped++;
      else throw e;
    }
  }

  /** The pending entry failed while handling a message: it fails, typed, and the rest goes on. */
  private faulted(p: Pending<M>, loc: NlmsgLocation, e: unknown): void {
    const err =
      e instanceof NetlinkError
        ? e
        : new NetlinkDecodeError(
            controlTypeName(loc.type) ?? `message type ${loc.type}`,
            loc.offset,
            `unexpected ${e instanceof Error ? e.name : typeof e} while handling the reply (seq ${loc.seq})`,
            { cause: e },
          );
    if (!p.isDump) this.unregister(p);
    p.fail(err);
  }

  private route(view: DataView, loc: NlmsgLocation): void {
    if (loc.pid !== this.transport.portId) {
      this.stats.dropped++;
      return;
    }
    const p = this.pending.get(loc.seq);
    if (p === undefined) {
      this.stats.dropped++;
      return;
    }
    let msg: NetlinkMessage<M>;
    this.stats.received++;
    try {
      msg = decodeMessage(view, loc, this.family, this.le);
    } catch (e) {
      // A decoder throwing anything but NetlinkDecodeError has a bug: the request it
      // answers still fails with a typed error (the original is its cause).
      this.faulted(p, loc, e);
      return;
    }
    try {
      p.deliver(msg);
    } catch (e) {
      this.faulted(p, loc, e);
    }
  }

  /** @internal Start or stop readiness notifications to match what is pending. */
  updatePoll(): void {
    if (this.isClosed) return;
    const paused = this.paused;
    if (!paused) for (const w of this.unpauseWaiters.splice(0)) w();
    // Not while datagrams read ahead are being read or wait: pump() would do nothing, and
    // readiness, being level-triggered, would fire again at once.
    const want = !paused && this.ahead.length === 0 && (this.pending.size > 0 || this.activeDump !== undefined);
    try {
      if (want) this.transport.poll(this.onReadable);
      else this.transport.stopPoll();
    } catch (e) {
      // uv_poll_start failed (callers include timers, where a throw would kill the process):
      // nothing pending could ever be answered.
      this.shutdown(e instanceof NetlinkError ? e : new NetlinkProtocolError('closed', 'netlink socket: polling failed', { cause: e }));
    }
  }

  /**
   * Each request of a chunk is budgeted room for an error reply (~1 KiB). With the usual
   * 208 KiB default a 64 KiB chunk of small requests would be cut to ~160 requests, and each
   * chunk costs a round trip to the worker thread: raise the buffer once (a limit, not an
   * allocation) unless the caller chose it.
   */
  private ensureBatchRcvbuf(): void {
    if (this.rcvbufChosen || this.rcvbufBytes >= BATCH_RCVBUF) return;
    try {
      // The kernel doubles the value it is given; ask half.
      setBuffer(this.transport, SO_RCVBUF, SO_RCVBUFFORCE, BATCH_RCVBUF / 2);
    } catch {
      /* keep the current buffer: chunks are just smaller */
    }
    this.rcvbufBytes = safeGet(this.transport, SOL_SOCKET, SO_RCVBUF) ?? this.rcvbufBytes;
  }

  private ensureSndbuf(chunkSize: number): void {
    if (this.sndbufBytes - 32 >= chunkSize) return;
    // The kernel refuses a sendmsg larger than sk_sndbuf - 32 (EMSGSIZE).
    setBuffer(this.transport, SO_SNDBUF, SO_SNDBUFFORCE, chunkSize + 64);
    this.sndbufBytes = safeGet(this.transport, SOL_SOCKET, SO_SNDBUF) ?? this.sndbufBytes;
  }

  /** @internal Writer for batch messages (one message at a time, copied into chunks). */
  get batchWriter(): NlmsgWriter {
    return this.writer;
  }
}

/**
 * @internal Encodes a batch's messages into chunks, one chunk per call, so that the caller
 * can send a chunk before the next one is encoded. A chunk ends at `chunkSize` bytes or when
 * the replies its requests may cause would exceed `budget` bytes of receive buffer.
 */
class ChunkBuilder<M extends NlMessageBase> {
  /** Requests seen so far (encoded or not): the length of the result array. */
  count = 0;
  /** The source is exhausted: {@link next} returns at most the chunk being filled. */
  done = false;
  private readonly source: Iterator<OutgoingMessage<M>>;
  private buf: Uint8Array;
  private pos = 0;
  private cost = 0;
  private items: BatchItem<M>[] = [];

  constructor(
    private readonly sock: NetlinkSocket<M>,
    msgs: Iterable<OutgoingMessage<M>>,
    private readonly limit: number,
    private readonly budget: number,
    private readonly onEncodeError: (index: number, error: NetlinkEncodeError) => void,
  ) {
    this.source = msgs[Symbol.iterator]();
    this.buf = new Uint8Array(limit);
  }

  /** The next full chunk, or the last partial one, or `undefined` when all are out. */
  next(): Chunk<M> | undefined {
    const sock = this.sock;
    const w = sock.batchWriter;
    while (!this.done) {
      // Messages may come from a generator: each is encoded and dropped at once, so a bulk
      // load's message objects die young instead of all surviving until the last is built.
      const r = this.source.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const msg = r.value;
      const index = this.count++;
      const early = (msg as { [UNENCODABLE]?: NetlinkEncodeError })[UNENCODABLE];
      if (early !== undefined) {
        this.onEncodeError(index, early);
        continue;
      }
      // Sequence numbers only grow, so ones reserved here cannot be taken by a concurrent
      // request before this batch registers them.
      const seq = sock.nextSeq();
      w.reset();
      const flags = ((msg.flags ?? 0) | NLM_F_REQUEST) & ~NLM_F_ACK & 0xffff;
      try {
        encodeMessage(w, msg as unknown as NetlinkMessage<M>, sock.family, { flags, seq, pid: sock.portId });
      } catch (e) {
        if (!(e instanceof NetlinkEncodeError)) throw e;
        this.onEncodeError(index, e);
        continue;
      }
      const bytes = w.finish();
      const c = REPLY_COST + nlmsgAlign(bytes.length);
      let full: Chunk<M> | undefined;
      if (this.items.length > 0 && (nlmsgAlign(this.pos) + bytes.length > this.limit || this.cost + c > this.budget)) {
        full = this.take();
      }
      // A single message larger than a chunk goes alone.
      if (bytes.length > this.buf.length - nlmsgAlign(this.pos)) this.buf = new Uint8Array(bytes.length);
      const off = nlmsgAlign(this.pos);
      this.buf.set(bytes, off);
      this.pos = off + bytes.length;
      this.cost += c;
      this.items.push(new BatchItem<M>(sock, index, seq, off, bytes.length));
      if (full !== undefined) return full;
    }
    return this.items.length > 0 ? this.take() : undefined;
  }

  /** Close the chunk being filled and start a new one. */
  private take(): Chunk<M> {
    const items = this.items;
    const bytes = this.buf.subarray(0, this.pos);
    // Only the last request of a chunk asks for an ACK: the kernel handles a sendmsg in
    // order and reports every error anyway, so its ACK also confirms the ones before it.
    // That saves one reply (and 832 bytes of receive buffer) per request.
    const last = items[items.length - 1]!;
    const le = this.sock.batchWriter.le;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    dv.setUint16(last.offset + 6, dv.getUint16(last.offset + 6, le) | NLM_F_ACK, le);
    const chunk: Chunk<M> = { bytes, items, overrunsAtSend: 0 };
    for (const it of items) it.chunk = chunk;
    this.buf = new Uint8Array(this.limit);
    this.pos = 0;
    this.cost = 0;
    this.items = [];
    return chunk;
  }
}

const UNENCODABLE = Symbol('netlink-xfrm.unencodable');

/**
 * @internal A batch entry standing for a request whose message could not even be built
 * (for example contradictory options found while completing an input): its result is
 * `error`, and nothing is sent for it. Lets bulk helpers that build messages lazily in a
 * generator report such inputs per request, like any other encoding error.
 */
export function unencodable<M extends NlMessageBase>(error: NetlinkEncodeError): OutgoingMessage<M> {
  return { [UNENCODABLE]: error } as unknown as OutgoingMessage<M>;
}

/** A shared result for batched requests that succeeded without replies (most of them). */
const OK_NO_REPLIES: BatchSuccess<never> = Object.freeze({ ok: true, replies: Object.freeze([]) as unknown as never[] });

/**
 * @internal One request of a batch: its place in the chunk's bytes and the pending entry the
 * socket routes its answers to. The request bytes are sliced out only when an error needs them.
 */
class BatchItem<M extends NlMessageBase> implements Pending<M> {
  readonly isDump = false;
  chunk: Chunk<M> | undefined;
  settle: ((item: BatchItem<M>, err: NetlinkError | undefined) => void) | undefined;
  private replies: Reply<M>[] | undefined;
  constructor(
    private readonly sock: NetlinkSocket<M>,
    readonly index: number,
    readonly seq: number,
    readonly offset: number,
    readonly len: number,
  ) {}

  get sent(): Uint8Array {
    return this.chunk!.bytes.subarray(this.offset, this.offset + this.len);
  }

  success(): BatchSuccess<M> {
    return this.replies ? { ok: true, replies: this.replies } : (OK_NO_REPLIES as BatchSuccess<M>);
  }

  deliver(msg: NetlinkMessage<M>): void {
    if (msg.type === 'NLMSG_ERROR') {
      const e = msg as NlmsgErrorMessage;
      this.sock.unregister(this);
      this.settle!(this, e.error === 0 ? undefined : this.sock.kernelError(this.sent, e.error, this.seq, e.attrs));
    } else if (msg.type === 'NLMSG_DONE') {
      const d = msg as NlmsgDoneMessage;
      this.sock.unregister(this);
      this.settle!(this, d.error ? this.sock.kernelError(this.sent, d.error, this.seq, d.attrs) : undefined);
    } else {
      (this.replies ??= []).push(msg as Reply<M>);
    }
  }

  fail(err: NetlinkError): void {
    this.settle!(this, err);
  }
}

interface Chunk<M extends NlMessageBase> {
  bytes: Uint8Array;
  items: BatchItem<M>[];
  /** `stats.overruns` when the chunk was sent. */
  overrunsAtSend: number;
}

function lostError(request: string | undefined, seq: number): NetlinkProtocolError {
  return new NetlinkProtocolError(
    'overrun',
    `${request ?? 'request'} (seq ${seq}): reply lost to a receive-buffer overrun (ENOBUFS); the request may have been applied`,
  );
}

/**
 * A receive failure as what it is: a {@link NetlinkError} as is; a system error carrying an
 * errno (a transport that did not wrap it) as a {@link NetlinkSocketError} of `recvmsg`;
 * anything else (a bug) as `'closed'` with the original as `cause`.
 */
function receiveError(e: unknown): NetlinkError {
  if (e instanceof NetlinkError) return e;
  const wrapped = socketError(e, 'recvmsg');
  return wrapped instanceof NetlinkError ? wrapped : new NetlinkProtocolError('closed', String(e), { cause: e });
}

function closedError(): NetlinkProtocolError {
  return new NetlinkProtocolError('closed', 'netlink socket closed');
}

function timeoutError(ms: number, what: string | undefined): NetlinkProtocolError {
  return new NetlinkProtocolError('timeout', `${what ? what + ': ' : ''}no answer from the kernel within ${ms} ms`);
}

function safeGet(t: NetlinkTransport, level: number, name: number): number | undefined {
  try {
    const v = t.getsockoptInt(level, name);
    return v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Set SO_RCVBUF/SO_SNDBUF to at least `bytes`, falling back to the FORCE variant when capped. */
function setBuffer(t: NetlinkTransport, opt: number, force: number, bytes: number): void {
  const value = Math.min(Math.max(0, Math.floor(bytes)), 0x3fffffff);
  t.setsockoptInt(SOL_SOCKET, opt, value);
  const got = safeGet(t, SOL_SOCKET, opt);
  if (got !== undefined && got < value) {
    try {
      t.setsockoptInt(SOL_SOCKET, force, value);
    } catch {
      /* not privileged: keep what rmem_max/wmem_max allowed */
    }
  }
}

function countMessages(view: DataView, length: number, le: boolean): number {
  let n = 0;
  try {
    for (const _ of nlmsgIterate(view, le, 0, length)) n++;
  } catch {
    n++;
  }
  return Math.max(n, 1);
}

/** Walk the attributes in `[start, end)`; return the name of the one containing `offset`. */
function findAttrName(
  view: DataView,
  start: number,
  end: number,
  offset: number,
  decoded: readonly NlAttribute[],
  le: boolean,
): string | undefined {
  let i = 0;
  for (const h of nlaIterate(view, start, end, le)) {
    const a = decoded[i++];
    if (offset < h.offset) return undefined;
    if (offset >= h.offset + nlaAlign(h.len)) continue;
    if (a === undefined) return `nla_type ${h.type}`;
    const name = typeof a.type === 'string' ? a.type : `nla_type ${a.type}`;
    const payload = h.offset + NLA_HDRLEN;
    if (offset >= payload && isAttrList(a.value)) {
      const inner = findAttrName(view, payload, h.offset + h.len, offset, a.value, le);
      if (inner !== undefined) return `${name}.${inner}`;
    }
    return name;
  }
  return undefined;
}

function isAttrList(v: unknown): v is NlAttribute[] {
  return Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && 'type' in x && 'value' in x);
}

/** @internal A request waiting for its ACK (or DONE, or error). */
class RequestPending<M extends NlMessageBase> implements Pending<M> {
  readonly isDump = false;
  constructor(
    private readonly sock: NetlinkSocket<M>,
    readonly seq: number,
    readonly sent: Uint8Array,
    private readonly replies: Reply<M>[],
    private readonly settle: Settle,
  ) {}

  deliver(msg: NetlinkMessage<M>): void {
    if (msg.type === 'NLMSG_ERROR') {
      const e = msg as NlmsgErrorMessage;
      this.sock.unregister(this);
      this.settle(e.error === 0 ? undefined : this.sock.kernelError(this.sent, e.error, this.seq, e.attrs));
    } else if (msg.type === 'NLMSG_DONE') {
      const d = msg as NlmsgDoneMessage;
      this.sock.unregister(this);
      this.settle(d.error ? this.sock.kernelError(this.sent, d.error, this.seq, d.attrs) : undefined);
    } else {
      this.replies.push(msg as Reply<M>);
    }
  }

  fail(err: NetlinkError): void {
    this.settle(err);
  }
}

/**
 * @internal One dump: both the pending entry the socket routes to and the async iterator
 * the consumer pulls from.
 *
 * Strict pull: while the consumer holds a message (between a `next()` that returned one and
 * its following `next()`), or messages of the last datagram are still unread, the socket
 * reads nothing more. A retry after `NLM_F_DUMP_INTR` happens inside the consumer's next
 * `next()`, so `onRetry` never races with a message the consumer is still handling.
 */
// T defaults to any: the socket keeps dumps of every yielded type in one queue.
class DumpRun<M extends NlMessageBase, T = any> implements Pending<M>, AsyncIterableIterator<T> {
  readonly isDump = true;
  /** `util.inspect` prints a summary: the replies and request held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `NetlinkDump { seq: ${this.seq}, state: ${this.state}, queued: ${this.queue.length - this.head} }`;
  }
  seq = 0;
  sent: Uint8Array = new Uint8Array(0);
  private state: 'idle' | 'queued' | 'running' | 'retry' | 'discarding' | 'finished' = 'idle';
  private queue: Reply<M>[] = [];
  private head = 0;
  /** The consumer holds a message and has not asked for the next one yet. */
  private outstanding = false;
  private error: NetlinkError | undefined;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private interrupted = false;
  private partial: Reply<M>[] = [];
  private yielded = 0;
  private attempt = 0;
  private readonly onAbort = (): void => this.fail(isAbortError(this.opts.signal!));

  constructor(
    private readonly sock: NetlinkSocket<M>,
    private readonly msg: OutgoingMessage<M>,
    private readonly opts: DumpOptions,
    /** Maps each message to what is yielded; `undefined` skips it. None: yield the message. */
    private readonly select: ((message: Reply<M>) => T | undefined) | undefined,
  ) {}

  /** @internal */
  get sentBytes(): Uint8Array {
    return this.sent;
  }

  /** @internal The consumer has not caught up: do not read more. */
  get backlogged(): boolean {
    return this.state === 'running' && (this.outstanding || this.head < this.queue.length);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.waiter) return Promise.reject(new TypeError('dump iterator: next() called while a previous next() is pending'));
    this.outstanding = false;
    while (this.head < this.queue.length) {
      const message = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      let value: T | undefined;
      try {
        value = this.select === undefined ? (message as unknown as T) : this.select(message);
      } catch (e) {
        this.abandon();
        return Promise.reject(e);
      }
      if (value !== undefined) return Promise.resolve(this.hand(value));
    }
    if (this.state === 'retry') this.restart();
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      this.state = 'finished';
      return Promise.reject(e);
    }
    if (this.state === 'finished' || this.state === 'discarding') {
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      const signal = this.opts.signal;
      if (this.state === 'idle') {
        if (signal?.aborted) {
          this.waiter = undefined;
          this.state = 'finished';
          reject(isAbortError(signal));
          return;
        }
        signal?.addEventListener('abort', this.onAbort, { once: true });
        this.state = 'queued';
        this.sock.enqueueDump(this);
      }
      if (this.waiter) this.armTimer();
      this.sock.pump();
    });
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

  /** @internal Called by the socket when it is this dump's turn. Returns false if it could not start. */
  start(): boolean {
    if (this.state !== 'queued') return false;
    this.attempt++;
    try {
      this.seq = this.sock.nextSeq();
      this.sent = this.sock.encodeOne(this.msg, this.seq, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
      this.state = 'running';
      this.sock.register(this);
      this.sock.sendDatagram(this.sent, 1);
    } catch (e) {
      this.sock.unregister(this);
      this.state = 'finished';
      this.cleanup();
      this.deliverError(e as NetlinkError);
      return false;
    }
    return true;
  }

  /** Run the retry decided in {@link end}, now that the consumer is done with the last attempt. */
  private restart(): void {
    const unread = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    const cause = new NetlinkDumpInterruptedError<M>(
      unread.concat(this.partial),
      this.yielded,
      this.attempt,
      this.sock.typeNameOf(this.sent),
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
    if (!this.start()) this.sock.dumpEnded(this);
  }

  deliver(msg: NetlinkMessage<M>): void {
    if ((msg.flags & NLM_F_DUMP_INTR) !== 0) this.interrupted = true;
    if (msg.type === 'NLMSG_DONE') {
      const d = msg as NlmsgDoneMessage;
      this.end(d.error ? this.sock.kernelError(this.sent, d.error, this.seq, d.attrs) : undefined);
      return;
    }
    if (msg.type === 'NLMSG_ERROR') {
      const e = msg as NlmsgErrorMessage;
      // An ACK ends a "dump" of a type that does not dump (the kernel answered once).
      this.end(e.error === 0 ? undefined : this.sock.kernelError(this.sent, e.error, this.seq, e.attrs));
      return;
    }
    if (this.state !== 'running') return; // discarding
    if (this.interrupted) {
      this.partial.push(msg as Reply<M>);
      return;
    }
    if (this.waiter) {
      let value: T | undefined;
      try {
        value = this.select === undefined ? (msg as unknown as T) : this.select(msg as Reply<M>);
      } catch (e) {
        const w = this.waiter;
        this.waiter = undefined;
        this.abandon();
        w.reject(e);
        return;
      }
      if (value === undefined) return; // skipped: the consumer keeps waiting
      const w = this.waiter;
      this.waiter = undefined;
      this.clearTimer();
      w.resolve(this.hand(value));
    } else {
      this.queue.push(msg as Reply<M>);
    }
  }

  /** The kernel finished this dump (DONE or an error). */
  private end(err: NetlinkError | undefined): void {
    this.sock.unregister(this);
    if (this.state === 'discarding') {
      this.state = 'finished';
      this.cleanup();
      this.sock.dumpEnded(this);
      return;
    }
    if (!err && this.interrupted) {
      if (this.attempt <= (this.opts.retries ?? 0)) {
        // Retry when the consumer next asks (at once if it is already waiting). The socket
        // keeps this dump as its active one meanwhile.
        this.state = 'retry';
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = undefined;
          this.restart();
          this.waiter = w;
          if (this.error) {
            const e = this.error;
            this.error = undefined;
            this.waiter = undefined;
            w.reject(e);
          } else if ((this.state as string) === 'finished') {
            this.waiter = undefined;
            w.resolve({ value: undefined, done: true });
          }
        }
        return;
      }
      err = new NetlinkDumpInterruptedError<M>(
        this.partial,
        this.yielded + (this.queue.length - this.head),
        this.attempt,
        this.sock.typeNameOf(this.sent),
      );
    }
    this.finishWith(err);
  }

  private finishWith(err: NetlinkError | undefined): void {
    this.state = 'finished';
    this.cleanup();
    if (err) this.deliverError(err);
    else if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: undefined, done: true });
    }
    this.sock.dumpEnded(this);
  }

  private deliverError(err: NetlinkError): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    } else {
      this.error = err;
    }
  }

  /** Fail from our side (timeout, abort, close, truncation): keep reading the kernel's rest, discarding it. */
  fail(err: NetlinkError): void {
    const state = this.state;
    if (state === 'finished' || state === 'discarding') return;
    this.cleanup();
    this.queue = [];
    this.head = 0;
    this.outstanding = false;
    this.deliverError(err);
    if (state === 'running' && !(err instanceof NetlinkProtocolError && err.reason === 'closed')) {
      this.state = 'discarding';
      this.sock.updatePoll();
    } else {
      this.state = 'finished';
      if (state === 'queued') this.sock.dequeueDump(this);
      this.sock.unregister(this);
      this.sock.dumpEnded(this);
    }
  }

  private abandon(): void {
    const state = this.state;
    this.cleanup();
    this.queue = [];
    this.head = 0;
    this.outstanding = false;
    this.error = undefined;
    if (state === 'running') {
      this.state = 'discarding';
      this.sock.pump();
    } else if (state === 'queued' || state === 'idle') {
      this.state = 'finished';
      this.sock.dequeueDump(this);
    } else if (state === 'retry') {
      this.state = 'finished';
      this.sock.dumpEnded(this);
    } else if (state !== 'discarding') {
      this.state = 'finished';
    }
  }

  private armTimer(): void {
    const ms = this.opts.timeoutMs ?? this.sock.defaultTimeout;
    if (!(ms > 0 && Number.isFinite(ms))) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.waiter) this.fail(timeoutError(ms, this.sock.typeNameOf(this.sent) ?? 'dump'));
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private cleanup(): void {
    this.clearTimer();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
  }
}
