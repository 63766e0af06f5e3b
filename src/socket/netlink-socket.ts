/**
 * {@link NetlinkSocket}: the public facade of a request socket — opening (socket options),
 * and requests, dumps and batches, each handed to its own module (`request.ts`, `dump.ts`,
 * `batch.ts`) over the socket's {@link Connection}.
 * @module
 */
import { NETLINK_CAP_ACK, NETLINK_EXT_ACK, SOL_NETLINK } from '../netlink/constants.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkDumpInterruptedError } from '../netlink/errors.js';
import { type NetlinkFamily, type NlMessageBase } from '../netlink/message.js';
import { type NlmsgWriter } from '../netlink/writer.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { batch, type BatchEntryWriter, batchWrite } from './batch.js';
import { Connection } from './connection.js';
import { DumpRun } from './dump.js';
import { closedError } from './failures.js';
import { openConfigured, setBuffer } from './receiver.js';
import { request } from './request.js';
import { SO_RCVBUF, SO_RCVBUFFORCE } from './transport.js';
import {
  type BatchOptions,
  type BatchResult,
  type CallOptions,
  type DumpOptions,
  type NetlinkSocketOptions,
  type NetlinkSocketStats,
  type OutgoingMessage,
  type RawDumpHandler,
  type Reply,
} from './types.js';

export * from './types.js';
/** Re-exported where it always was: the error now lives with the others in `netlink/errors.ts`. */
export { NetlinkDumpInterruptedError } from '../netlink/errors.js';
export { type BatchEntryWriter } from './batch.js';

const DEFAULT_TIMEOUT = 30_000;
/** The `select` of a raw dump: every decoded (control) message is skipped. */
const skipAll = (): undefined => undefined;
const MIN_RECV_BUFFER = 32 * 1024;
const DEFAULT_RECV_BUFFER = 64 * 1024;

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
 * @group Socket
 */
export class NetlinkSocket<M extends NlMessageBase> {
  /** The family used to decode and encode messages. */
  readonly family: NetlinkFamily<M> | null;
  /** Byte order of the wire (the host's). */
  readonly le: boolean = HOST_LE;
  /** Traffic counters. */
  readonly stats: NetlinkSocketStats;
  private readonly conn: Connection<M>;
  private readonly portIdValue: number;

  private constructor(conn: Connection<M>, family: NetlinkFamily<M> | null, portId: number) {
    this.conn = conn;
    this.family = family;
    this.stats = conn.stats;
    this.portIdValue = portId;
  }

  /**
   * Open a socket (native, or over `opts.transport`), bind it and set its options.
   * @throws {@link NetlinkSocketError} if a system call fails; with `EPERM` the message says
   *   CAP_NET_ADMIN is needed. {@link NetlinkShimUnavailableError} without the native shim.
   */
  static open<M extends NlMessageBase>(opts: NetlinkSocketOptions<M>): NetlinkSocket<M> {
    const transport = openConfigured('NetlinkSocket.open', opts, opts.groups, (t) => {
      if (opts.extAck !== false) t.setsockoptInt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
      if (opts.capAck) t.setsockoptInt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
      if (opts.rcvbuf !== undefined) setBuffer(t, SO_RCVBUF, SO_RCVBUFFORCE, opts.rcvbuf);
    });
    const conn = new Connection<M>(
      transport,
      opts.family,
      HOST_LE,
      opts.timeoutMs ?? DEFAULT_TIMEOUT,
      Math.max(MIN_RECV_BUFFER, opts.recvBufferSize ?? DEFAULT_RECV_BUFFER),
      opts.rcvbuf !== undefined,
    );
    return new NetlinkSocket(conn, opts.family, transport.portId);
  }

  /** Port id of this socket (`nl_pid`). */
  get portId(): number {
    return this.portIdValue;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.conn.closed;
  }

  /** Number of sequence numbers waiting for replies. */
  get inFlight(): number {
    return this.conn.router.size;
  }

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `NetlinkSocket { port: ${this.portId}, inFlight: ${this.inFlight}, closed: ${this.closed} }`;
  }

  /** Effective receive buffer (`SO_RCVBUF` as the kernel reports it). */
  get rcvbuf(): number {
    return this.conn.rcvbuf;
  }

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
    return request(this.conn, msg, opts);
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
    return new DumpRun<M, Reply<M>>(this.conn, msg, opts, undefined);
  }

  /**
   * {@link dump}, yielding `map(message)` for each message and skipping those it maps to
   * `undefined` (e.g. control messages, or types the caller does not want). Same streaming,
   * errors and options. Unlike wrapping {@link dump} in an `async function*`, this costs no
   * extra promise per message, which matters for dumps of 100k entries. If `map` throws, the
   * iterator rejects with that error and the rest of the dump is read and discarded.
   */
  dumpMap<T>(msg: OutgoingMessage<M>, map: (message: Reply<M>) => T | undefined, opts: DumpOptions = {}): AsyncIterableIterator<T> {
    return new DumpRun<M, T>(this.conn, msg, opts, map);
  }

  /**
   * {@link dump} without decoding: each message of the family's types goes to
   * `handler.message` as the bytes it arrived in, synchronously from the receive loop (no
   * promise per message), and `handler.release` marks the end of each datagram, whose
   * buffer is then reused. Answers (`NLMSG_DONE`, errors, `NLM_F_DUMP_INTR`) are handled
   * exactly as in {@link dump}; the promise resolves after `NLMSG_DONE`. Same options.
   * @throws like {@link dump}, or what `handler.message` threw (the rest of the dump is
   *   read and discarded).
   */
  async dumpRaw(msg: OutgoingMessage<M>, handler: RawDumpHandler, opts: DumpOptions = {}): Promise<void> {
    const run = new DumpRun<M, never>(this.conn, msg, opts, skipAll, handler);
    // Nothing is ever yielded: the one next() settles when the dump ends or fails.
    await run.next();
  }

  /**
   * {@link dump} collected into an array. With `retries`, an interrupted dump is restarted
   * and the array refilled.
   * @throws like {@link dump}; a {@link NetlinkDumpInterruptedError} carries every message of
   *   the last attempt in `partial`.
   */
  async dumpAll(msg: OutgoingMessage<M>, opts: DumpOptions = {}): Promise<Reply<M>[]> {
    let out: Reply<M>[] = [];
    const it = new DumpRun<M, Reply<M>>(this.conn, msg, {
      ...opts,
      onRetry: (attempt, cause) => {
        out = [];
        opts.onRetry?.(attempt, cause);
      },
    }, undefined);
    try {
      for await (const m of it) out.push(m);
    } catch (e) {
      if (e instanceof NetlinkDumpInterruptedError) {
        throw new NetlinkDumpInterruptedError<M>(
          out.concat(e.partial as Reply<M>[]),
          0,
          e.attempts,
          this.conn.router.names.typeName(it.sent),
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
  batch(msgs: Iterable<OutgoingMessage<M>>, opts: BatchOptions = {}): Promise<BatchResult<M>[]> {
    return batch(this.conn, msgs, opts, this.le);
  }

  /**
   * {@link batch} without message objects: `write(w, i)` writes request `i` (0 ≤ i < `count`)
   * as one whole message straight into the chunk's {@link NlmsgWriter}, e.g.
   * `w.beginMessage(type, 0); …; w.endMessage()`. The socket sets `nlmsg_seq`, `nlmsg_pid`,
   * `NLM_F_REQUEST` and `NLM_F_ACK` afterwards (what the writer put there is ignored). A
   * writer that throws {@link NetlinkEncodeError} fails that request alone, unsent, like a
   * message {@link batch} cannot encode; anything else it throws fails the whole call.
   * Chunking, the one ACK per chunk, the send on a worker while the next chunk is written,
   * results, errors and their extended-ACK attribute names are those of {@link batch}.
   * @throws like {@link batch}; `RangeError` for a `count` that is not a non-negative integer,
   *   `TypeError` if `write` wrote no message or more than one.
   */
  batchWrite(count: number, write: BatchEntryWriter, opts: BatchOptions = {}): Promise<BatchResult<M>[]> {
    return batchWrite(this.conn, count, write, opts, this.le);
  }

  /**
   * Read and route whatever the kernel has queued now (the socket does this by itself when
   * readable; for tests that change the transport under it). Never throws.
   */
  pump(): void {
    this.conn.pump();
  }

  /**
   * Close the socket. Every pending request, dump and batch fails with
   * `NetlinkProtocolError('closed')`.
   */
  close(): void {
    this.conn.shutdown(closedError());
  }
}
