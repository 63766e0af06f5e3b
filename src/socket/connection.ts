/**
 * The I/O half of a request socket: owns the transport, the {@link Receiver} (reading), the
 * {@link Router} (routing), the {@link DumpQueue} and the writer, and gives requests, dumps
 * and batches the narrow {@link Channel} they work through. {@link NetlinkSocket} is the
 * public facade over it.
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { encodeMessage, type HeaderOverride, type NetlinkFamily, type NetlinkMessage, type NlMessageBase } from '../netlink/message.js';
import { NlmsgWriter } from '../netlink/writer.js';
import { DumpQueue } from './dump.js';
import { closedError } from './failures.js';
import { Receiver, type ReceiveSink, setBuffer, sockoptInt } from './receiver.js';
import { Router } from './router.js';
import { type NetlinkTransport, type RecvInfo, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE } from './transport.js';
import { type NetlinkSocketStats, type OutgoingMessage } from './types.js';

/** Receive buffer (`sk_rcvbuf`) batches raise the socket to: room for the replies of 128 KiB chunks (all but the smallest requests; the budget cuts those). */
const BATCH_RCVBUF = 4 * 1024 * 1024;
/** `sk_rcvbuf` when the transport does not say (the kernel's usual default). */
const DEFAULT_SK_BUF = 212992;

/** What a request, dump or batch needs of its socket. */
export interface Channel<M extends NlMessageBase> {
  /** Sequence numbers, the pending map, request names. */
  readonly router: Router<M>;
  /** The one dump running and those waiting. */
  readonly dumps: DumpQueue<M>;
  /** The socket's counters. */
  readonly stats: NetlinkSocketStats;
  /** `timeoutMs` of calls that do not set it. */
  readonly defaultTimeout: number;
  /** The socket is closed. */
  readonly closed: boolean;
  /** Why the socket closed, for work already under way: the failure that closed it, else `'closed'`. */
  closedError(): NetlinkError;
  /**
   * Encode `msg` with `seq`, this socket's port id and exactly `flags` into the shared
   * writer: the bytes are valid until the next encode (copy them to keep them).
   * @throws {@link NetlinkEncodeError}
   */
  encode(msg: OutgoingMessage<M>, seq: number, flags: number): Uint8Array;
  /**
   * Append `msg` to `w` as one message with exactly `flags`, sequence number 0 and this
   * socket's port id (a batch sets the sequence number once the message is in its chunk).
   * @throws {@link NetlinkEncodeError}; `w` is then as before the call.
   */
  write(w: NlmsgWriter, msg: OutgoingMessage<M>, flags: number): void;
  /** This socket's port id (`nlmsg_pid` of what it sends). */
  readonly portId: number;
  /** Send one datagram of `messages` messages now. @throws the close cause, or the transport's error. */
  send(bytes: Uint8Array, messages: number): void;
  /**
   * Send a datagram on a worker thread when `overlap` and the transport can (resolving when
   * the kernel is done with it), else now (`undefined`). `bytes` must stay untouched until then.
   * `chain` (with {@link orderedSends}; not 0): not sent once a send of that chain failed.
   */
  sendChunk(bytes: Uint8Array, messages: number, overlap: boolean, chain?: number): Promise<unknown> | undefined;
  /** Sends on a worker thread may overlap: they reach the kernel in call order (`NetlinkTransport.orderedSends`). */
  readonly orderedSends: boolean;
  /** Read and route what is queued (never throws). */
  pump(): void;
  /** Start or stop readiness notifications to match what is pending (never throws). */
  updatePoll(): void;
  /** Size the socket buffers for batches of `chunkSize`; returns the receive-buffer budget of the replies queued at once (of one or two chunks). */
  prepareBatch(chunkSize: number): number;
}

/** One open socket's machinery. */
export class Connection<M extends NlMessageBase> implements Channel<M>, ReceiveSink {
  readonly stats: NetlinkSocketStats = {
    sent: 0,
    sendCalls: 0,
    datagrams: 0,
    received: 0,
    dropped: 0,
    overruns: 0,
    truncated: 0,
  };
  readonly router: Router<M>;
  readonly dumps: DumpQueue<M>;
  private readonly receiver: Receiver;
  private readonly writer = new NlmsgWriter(4096);
  private isClosed = false;
  /**
   * Why the socket closed while operations were in progress: a receive or poll failure, or
   * `'closed'` for a close. Operations already under way (queued dumps, batches between
   * chunks) fail with it, so the caller sees the real cause.
   */
  private closedBy: NetlinkError | undefined;
  /**
   * `sendAsync` calls not finished: the kernel may still be handling those requests (on the
   * worker thread), so their answers may not exist yet and cannot be declared lost.
   */
  private sendsInFlight = 0;
  private rcvbufBytes: number;
  private sndbufBytes: number;

  /**
   * @param rcvbufChosen the caller chose `SO_RCVBUF`: batches keep it.
   */
  constructor(
    private readonly transport: NetlinkTransport,
    private readonly family: NetlinkFamily<M> | null,
    le: boolean,
    readonly defaultTimeout: number,
    recvBufferSize: number,
    private readonly rcvbufChosen: boolean,
  ) {
    this.router = new Router<M>(family, le, transport.portId, this.stats);
    this.dumps = new DumpQueue<M>(this);
    this.receiver = new Receiver(transport, recvBufferSize, this.stats, this, 'netlink socket');
    this.rcvbufBytes = sockoptInt(transport, SO_RCVBUF) ?? DEFAULT_SK_BUF;
    this.sndbufBytes = sockoptInt(transport, SO_SNDBUF) ?? DEFAULT_SK_BUF;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Effective receive buffer (`SO_RCVBUF` as the kernel reports it). */
  get rcvbuf(): number {
    return this.rcvbufBytes;
  }

  closedError(): NetlinkError {
    return this.closedBy ?? closedError();
  }

  encode(msg: OutgoingMessage<M>, seq: number, flags: number): Uint8Array {
    const w = this.writer;
    w.reset();
    encodeMessage(w, msg as unknown as NetlinkMessage<M>, this.family, { flags, seq, pid: this.transport.portId });
    return w.finish();
  }

  /** Header of {@link write}, reused: a batch writes one message per entry. */
  private readonly header: HeaderOverride = { flags: 0, seq: 0, pid: 0 };

  write(w: NlmsgWriter, msg: OutgoingMessage<M>, flags: number): void {
    const h = this.header;
    h.flags = flags;
    h.pid = this.transport.portId;
    encodeMessage(w, msg as unknown as NetlinkMessage<M>, this.family, h);
  }

  get portId(): number {
    return this.transport.portId;
  }

  send(bytes: Uint8Array, messages: number): void {
    if (this.isClosed) throw this.closedError();
    this.transport.send(bytes);
    this.stats.sendCalls++;
    this.stats.sent += messages;
  }

  get orderedSends(): boolean {
    return this.transport.sendAsync !== undefined && this.transport.orderedSends === true;
  }

  sendChunk(bytes: Uint8Array, messages: number, overlap: boolean, chain = 0): Promise<unknown> | undefined {
    const t = this.transport;
    if (!overlap || t.sendAsync === undefined) {
      this.send(bytes, messages);
      return undefined;
    }
    if (this.isClosed) throw this.closedError();
    this.stats.sendCalls++;
    this.stats.sent += messages;
    this.sendsInFlight++;
    return t.sendAsync(bytes, chain).finally(() => {
      this.sendsInFlight--;
      // An ENOBUFS read meanwhile waits for this: settle what is still missing now.
      if (this.router.overrunPending) this.pump();
    });
  }

  pump(): void {
    if (!this.isClosed) this.receiver.pump();
  }

  updatePoll(): void {
    if (!this.isClosed) this.receiver.updatePoll();
  }

  prepareBatch(chunkSize: number): number {
    this.ensureSndbuf(chunkSize);
    this.ensureBatchRcvbuf();
    return Math.floor(this.rcvbufBytes * 0.85);
  }

  /** Close, failing everything pending, queued or running with `err`. */
  shutdown(err: NetlinkError): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedBy = err;
    this.router.failAll(err);
    this.dumps.failAll(err);
    this.receiver.close();
  }

  // ---------------------------------------------------------------- ReceiveSink

  /** While a dump's consumer has unread messages, reading more would buffer without bound. */
  wantsMore(): boolean {
    return !this.dumps.paused;
  }

  /** The socket reads only while something is pending: an idle socket does not keep the process alive. */
  wantsPoll(): boolean {
    return !this.dumps.paused && (this.router.size > 0 || this.dumps.active);
  }

  wantsReadAhead(): boolean {
    return this.dumps.readAhead;
  }

  datagram(view: DataView, length: number): void {
    this.router.datagram(view, length);
  }

  truncated(view: DataView, length: number, info: RecvInfo, size: number): void {
    this.router.truncated(view, length, info, size);
  }

  consumed(): void {
    /* replies are answered by sequence number, not counted */
  }

  overrun(): void {
    // Replies were dropped. Requests are handled synchronously inside sendmsg, so once the
    // queue is empty every reply that exists has been read: the ones missing then are lost.
    this.router.overrun();
  }

  empty(): void {
    this.router.queueEmpty(this.sendsInFlight > 0);
  }

  failed(err: NetlinkError): void {
    this.shutdown(err);
  }

  // ---------------------------------------------------------------- buffers

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
    this.rcvbufBytes = sockoptInt(this.transport, SO_RCVBUF) ?? this.rcvbufBytes;
  }

  private ensureSndbuf(chunkSize: number): void {
    if (this.sndbufBytes - 32 >= chunkSize) return;
    // The kernel refuses a sendmsg larger than sk_sndbuf - 32 (EMSGSIZE).
    setBuffer(this.transport, SO_SNDBUF, SO_SNDBUFFORCE, chunkSize + 64);
    this.sndbufBytes = sockoptInt(this.transport, SO_SNDBUF) ?? this.sndbufBytes;
  }
}
