/**
 * A fake netlink kernel for tests that need no root: it sits **below** the framing code, as a
 * {@link NetlinkTransport}, so {@link NetlinkSocket} and {@link subscribe} run their real code
 * paths (sequence routing, port-id checks, ACK/DONE handling, extended ACKs, overruns).
 *
 * Every message sent to it is split out of its datagram, decoded with the family, and handed
 * to your handler synchronously, as the kernel does inside `sendmsg`. The handler answers
 * with datagrams built by the helpers ({@link FakeKernel.ack}, {@link FakeKernel.error},
 * {@link FakeKernel.reply}, {@link FakeKernel.multipart}, {@link FakeKernel.done},
 * {@link FakeKernel.interruptedDump}, {@link FakeKernel.overrun}), or with nothing.
 *
 * @example
 * ```ts
 * const kernel = new FakeKernel({
 *   family: xfrmFamily,
 *   handler: (req, k) =>
 *     req.message.type === 'XFRM_MSG_NEWPOLICY'
 *       ? k.error(req, 17, { message: 'Policy already exists' })
 *       : k.ack(req),
 * });
 * const sock = NetlinkSocket.open({ family: xfrmFamily, transport: kernel.socket() });
 * ```
 * @module
 */
import { nlmsgAlign, NLMSG_HDRLEN } from '../netlink/align.js';
import { SecretBytes } from '../netlink/secret.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_NO_ENOBUFS,
  NLMSG_MIN_TYPE,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  SOL_NETLINK,
} from '../netlink/constants.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkSocketError } from '../netlink/errors.js';
import {
  decodeMessage,
  encodeMessage,
  type NetlinkFamily,
  type NetlinkMessage,
  type NlMessageBase,
  type NlmsgDoneMessage,
  type NlmsgErrorMessage,
} from '../netlink/message.js';
import { type NlAttribute } from '../netlink/nlattr.js';
import { type Nlmsghdr } from '../netlink/nlmsghdr.js';
import { nlmsgIterate } from '../netlink/reader.js';
import { copyBytes, viewOf } from '../netlink/view.js';
import { NlmsgWriter } from '../netlink/writer.js';
import { type OutgoingMessage } from '../socket/netlink-socket.js';
import {
  type NetlinkTransport,
  type RecvInfo,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SO_SNDBUFFORCE,
} from '../socket/transport.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { Errno } from '../netlink/errno.js';

/** Marker returned by {@link FakeKernel.overrun}: the next `recv()` fails with `ENOBUFS`. @group Testing */
export interface FakeOverrun {
  /** Discriminant. */
  readonly fake: 'overrun';
}

/** What a handler may return: datagrams, overrun markers, or (nested) lists of them. @group Testing */
export type FakeOutput = Uint8Array | FakeOverrun | readonly FakeOutput[] | undefined | void;

/** One request message as the fake kernel received it. @group Testing */
export interface FakeRequest<M extends NlMessageBase> {
  /**
   * The message's own bytes (`nlmsg_len` long), as a {@link SecretBytes}: a request may carry
   * keys, so inspecting or serialising the log prints `SecretBytes(N) <redacted>`.
   */
  readonly bytes: Uint8Array;
  /** Its header. */
  readonly header: Nlmsghdr;
  /** Decoded with the kernel's family (raw `payload` for unknown types). */
  readonly message: NetlinkMessage<M>;
  /** The socket that sent it. */
  readonly socket: FakeSocket;
}

/** Answers one request; called synchronously inside `send()`, in message order. @group Testing */
export type FakeHandler<M extends NlMessageBase> = (req: FakeRequest<M>, kernel: FakeKernel<M>) => FakeOutput;

/** Options of {@link FakeKernel}. @group Testing */
export interface FakeKernelOptions<M extends NlMessageBase> {
  /** Family used to decode requests and encode replies. */
  family: NetlinkFamily<M> | null;
  /** Answers requests. Without one, every request with `NLM_F_ACK` is acknowledged. */
  handler?: FakeHandler<M>;
  /**
   * Model the receive buffer like the kernel: a datagram is dropped (and `ENOBUFS` reported
   * once) when the queued datagrams' cost exceeds `SO_RCVBUF`. Default true.
   */
  enforceRcvbuf?: boolean;
  /** Initial `SO_RCVBUF` of new sockets (default 212 992, the usual `rmem_default`). */
  rcvbuf?: number;
  /** `rmem_max`/`wmem_max` used to cap `SO_RCVBUF`/`SO_SNDBUF` (default 4 MiB). */
  bufMax?: number;
  /**
   * Offer `sendAsync` and `recvAsync` like the native transport (default true): they run on
   * a later turn of the event loop, and the buffers are read or written only then, so a
   * caller that touches a buffer still in use is caught. `false` leaves only the
   * synchronous `send` and `recv`.
   */
  asyncIo?: boolean;
  /**
   * With `asyncIo`: `sendAsync` declares `orderedSends` like the native shim (default true).
   * Its sends always run in call order, and one naming a `chain` is not sent (`ECANCELED`)
   * once a send of that chain failed; `false` makes a batch wait for each send as with an
   * older shim.
   */
  orderedSends?: boolean;
}

/** Extended-ACK fields for {@link FakeKernel.error} and {@link FakeKernel.done}. @group Testing */
export interface FakeExtack {
  /** `NLMSGERR_ATTR_MSG`. */
  message?: string;
  /** `NLMSGERR_ATTR_OFFS`: offset from the start of the request's `nlmsghdr`. */
  offset?: number;
  /** More TLVs (`NLMSGERR_ATTR_*` by name). */
  attrs?: NlAttribute[];
}

const OVERRUN: FakeOverrun = Object.freeze({ fake: 'overrun' as const });
const { ENOBUFS, EBADF, EMSGSIZE, EPERM, EAGAIN, ECANCELED } = Errno;

interface Queued {
  data: Uint8Array | FakeOverrun;
  pid: number;
  groups: number;
  cost: number;
}

/** Receive-buffer cost of a datagram, close to the kernel's `skb->truesize` (832 for an ACK). */
function truesize(len: number): number {
  return Math.max(832, nlmsgAlign(len) + 640);
}

/**
 * One socket of the fake kernel: a {@link NetlinkTransport} to hand to
 * `NetlinkSocket.open({ transport })` or `subscribe({ transport })`.
 * @group Testing
 */
export class FakeSocket implements NetlinkTransport {
  readonly portId: number;
  /** Every datagram sent by this socket, in order. */
  readonly sent: Uint8Array[] = [];
  /** Joined multicast groups (numbers). */
  readonly groups = new Set<number>();
  /** Socket options as set: `"level:name" → value`. */
  readonly options = new Map<string, number>();

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `FakeSocket { port: ${this.portId}, sent: ${this.sent.length}, queued: ${this.queue.length}, closed: ${this.isClosed} }`;
  }
  private readonly kernel: FakeKernel<any>;
  private queue: Queued[] = [];
  private queuedCost = 0;
  private errorPending = false;
  private wanted = false;
  private scheduled = false;
  private onReadable: (() => void) | undefined;
  private isClosed = false;

  /** @internal Use {@link FakeKernel.socket}. */
  constructor(kernel: FakeKernel<any>, portId: number, rcvbuf: number) {
    this.kernel = kernel;
    this.portId = portId;
    this.options.set(`${SOL_SOCKET}:${SO_RCVBUF}`, rcvbuf);
    this.options.set(`${SOL_SOCKET}:${SO_SNDBUF}`, 212992);
    if (kernel.asyncIo) {
      this.sendAsync = (datagram, chain = 0) => this.later(() => this.sendInOrder(datagram, chain));
      this.orderedSends = kernel.orderedSends;
      this.recvAsync = (into, slotSize) => this.later(() => this.recvMany(into, slotSize));
      this.recvBatch = (into, slotSize, meta) => this.recvPacked(into, slotSize, meta);
    }
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.isClosed;
  }
  /** `NETLINK_EXT_ACK` is on. */
  get extAck(): boolean {
    return (this.options.get(`${SOL_NETLINK}:${NETLINK_EXT_ACK}`) ?? 0) !== 0;
  }
  /** `NETLINK_CAP_ACK` is on. */
  get capAck(): boolean {
    return (this.options.get(`${SOL_NETLINK}:${NETLINK_CAP_ACK}`) ?? 0) !== 0;
  }
  /** Datagrams waiting to be received. */
  get queued(): number {
    return this.queue.length;
  }

  send(datagram: Uint8Array): number {
    if (this.isClosed) throw new NetlinkSocketError('sendmsg', EBADF);
    const sndbuf = this.options.get(`${SOL_SOCKET}:${SO_SNDBUF}`) ?? 212992;
    if (datagram.length > sndbuf - 32) throw new NetlinkSocketError('sendmsg', EMSGSIZE);
    const copy = datagram.slice();
    this.sent.push(copy);
    this.kernel.receive(this, copy);
    return datagram.length;
  }

  /**
   * {@link send} on a later turn of the event loop (as the native transport sends on a
   * worker thread), in call order; one naming a `chain` (not 0) is not sent (`ECANCELED`)
   * once a send of that chain failed. Absent when the kernel was made with `asyncIo: false`.
   */
  declare sendAsync?: (datagram: Uint8Array, chain?: number) => Promise<number>;
  /** See `NetlinkTransport.orderedSends` (the kernel's `orderedSends` option). */
  declare readonly orderedSends?: boolean;
  /** The chain of the last {@link sendAsync} of a chain that failed or was not sent. */
  private failedChain = 0;

  private sendInOrder(datagram: Uint8Array, chain: number): number {
    try {
      if (chain !== 0 && chain === this.failedChain) throw new NetlinkSocketError('sendmsg', ECANCELED);
      return this.send(datagram);
    } catch (e) {
      if (chain !== 0) this.failedChain = chain;
      throw e;
    }
  }
  /**
   * {@link recv} of up to `into.length / slotSize` datagrams on a later turn of the event loop
   * (see `NetlinkTransport.recvAsync`). Absent when the kernel was made with `asyncIo: false`.
   */
  declare recvAsync?: (into: Uint8Array, slotSize: number) => Promise<(RecvInfo | NetlinkSocketError)[]>;

  /**
   * {@link recv} of the datagrams queued now, packed (see `NetlinkTransport.recvBatch`), as
   * the native shim does. Absent when the kernel was made with `asyncIo: false`.
   */
  declare recvBatch?: (into: Uint8Array, slotSize: number, meta: Int32Array) => number;

  private recvPacked(into: Uint8Array, slotSize: number, meta: Int32Array): number {
    if (slotSize < 1 || slotSize > into.length || meta.length < 7) throw new TypeError('recvBatch: bad slotSize or meta');
    let max = Math.floor((meta.length - 2) / 5);
    if (meta[1]! > 0 && meta[1]! < max) max = meta[1]!;
    let count = 0;
    let at = 0;
    let status = 0;
    while (count < max && into.length - at >= slotSize) {
      let r: RecvInfo | null;
      try {
        r = this.recv(into.subarray(at, at + slotSize));
      } catch (e) {
        if (!(e instanceof NetlinkSocketError)) throw e;
        status = e.errno;
        break;
      }
      if (r === null) {
        status = EAGAIN;
        break;
      }
      const m = 2 + 5 * count++;
      meta[m] = at;
      meta[m + 1] = r.length;
      meta[m + 2] = r.truncated ? 1 : 0;
      meta[m + 3] = r.pid | 0;
      meta[m + 4] = r.groups | 0;
      at = Math.min(into.length, at + ((Math.min(r.length, slotSize) + 7) & ~7));
    }
    meta[0] = status;
    meta[1] = count;
    return count;
  }

  private recvMany(into: Uint8Array, slotSize: number): (RecvInfo | NetlinkSocketError)[] {
    const out: (RecvInfo | NetlinkSocketError)[] = [];
    for (let off = 0; off + slotSize <= into.length; off += slotSize) {
      try {
        const r = this.recv(into.subarray(off, off + slotSize));
        if (r === null) break;
        out.push(r);
      } catch (e) {
        if (!(e instanceof NetlinkSocketError)) throw e;
        out.push(e);
        break;
      }
    }
    return out;
  }

  private later<T>(op: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(op());
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  recv(into: Uint8Array): RecvInfo | null {
    if (this.isClosed) throw new NetlinkSocketError('recvmsg', EBADF);
    if (this.errorPending) {
      this.errorPending = false;
      throw new NetlinkSocketError('recvmsg', ENOBUFS);
    }
    const item = this.queue.shift();
    if (item === undefined) return null;
    this.queuedCost -= item.cost;
    if (!(item.data instanceof Uint8Array)) throw new NetlinkSocketError('recvmsg', ENOBUFS);
    const n = Math.min(into.length, item.data.length);
    into.set(item.data.subarray(0, n));
    return { length: item.data.length, truncated: item.data.length > into.length, pid: item.pid, groups: item.groups };
  }

  poll(onReadable: () => void): void {
    this.onReadable = onReadable;
    this.wanted = true;
    this.schedule();
  }

  stopPoll(): void {
    this.wanted = false;
  }

  setsockoptInt(level: number, name: number, value: number): void {
    if (this.isClosed) throw new NetlinkSocketError('setsockopt', EBADF);
    const max = this.kernel.bufMax;
    if (level === SOL_NETLINK && name === NETLINK_ADD_MEMBERSHIP) {
      if (this.kernel.denyMembership) throw new NetlinkSocketError('setsockopt', EPERM, 'CAP_NET_ADMIN is needed');
      this.groups.add(value);
    } else if (level === SOL_NETLINK && name === NETLINK_DROP_MEMBERSHIP) this.groups.delete(value);
    else if (level === SOL_SOCKET && name === SO_RCVBUF) this.options.set(`${level}:${name}`, Math.max(2304, Math.min(value, max) * 2));
    else if (level === SOL_SOCKET && name === SO_SNDBUF) this.options.set(`${level}:${name}`, Math.max(4608, Math.min(value, max) * 2));
    else if (level === SOL_SOCKET && name === SO_RCVBUFFORCE) this.options.set(`${level}:${SO_RCVBUF}`, Math.max(2304, value * 2));
    else if (level === SOL_SOCKET && name === SO_SNDBUFFORCE) this.options.set(`${level}:${SO_SNDBUF}`, Math.max(4608, value * 2));
    else this.options.set(`${level}:${name}`, value);
  }

  getsockoptInt(level: number, name: number): number {
    if (this.isClosed) throw new NetlinkSocketError('getsockopt', EBADF);
    return this.options.get(`${level}:${name}`) ?? 0;
  }

  close(): void {
    this.isClosed = true;
    this.wanted = false;
    this.queue = [];
    this.kernel.forget(this);
  }

  /**
   * Queue datagrams for this socket as if the kernel (pid 0) sent them; `pid` fakes another
   * sender, `groups` a multicast bitmask. Subject to the receive-buffer model.
   */
  deliver(output: FakeOutput, from: { pid?: number; groups?: number } = {}): void {
    if (this.isClosed || output === undefined) return;
    if (output instanceof Uint8Array) this.enqueue(output, from.pid ?? 0, from.groups ?? 0);
    else if ((output as FakeOverrun).fake === 'overrun') this.enqueue(OVERRUN, 0, 0);
    else for (const o of output as readonly FakeOutput[]) this.deliver(o, from);
  }

  private enqueue(data: Uint8Array | FakeOverrun, pid: number, groups: number): void {
    if (!(data instanceof Uint8Array)) {
      this.queue.push({ data, pid, groups, cost: 0 });
      this.schedule();
      return;
    }
    const cost = truesize(data.length);
    const rcvbuf = this.options.get(`${SOL_SOCKET}:${SO_RCVBUF}`) ?? 212992;
    if (this.kernel.enforceRcvbuf && this.queuedCost > rcvbuf) {
      // Dropped, like netlink_overrun(): the error is reported once per episode.
      this.kernel.droppedDatagrams++;
      if ((this.options.get(`${SOL_NETLINK}:${NETLINK_NO_ENOBUFS}`) ?? 0) === 0) this.errorPending = true;
      this.schedule();
      return;
    }
    this.queuedCost += cost;
    this.queue.push({ data, pid, groups, cost });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.wanted || this.isClosed) return;
    if (this.queue.length === 0 && !this.errorPending) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.wanted || this.isClosed || (this.queue.length === 0 && !this.errorPending)) return;
      this.onReadable?.();
      this.schedule(); // level-triggered, like uv_poll
    });
  }
}

/**
 * The fake kernel: owns sockets, dispatches their requests to a handler, multicasts
 * notifications, and builds reply datagrams.
 * @group Testing
 */
export class FakeKernel<M extends NlMessageBase> {
  /** Family used to decode requests and encode replies. */
  readonly family: NetlinkFamily<M> | null;
  /** Current handler (replaceable between steps of a test). */
  handler: FakeHandler<M>;
  /** @internal */
  readonly enforceRcvbuf: boolean;
  /** @internal */
  readonly bufMax: number;
  /** @internal */
  readonly asyncIo: boolean;
  /** @internal */
  readonly orderedSends: boolean;
  /** Refuse `NETLINK_ADD_MEMBERSHIP` with `EPERM` (an unprivileged process). */
  denyMembership = false;
  /** Every request message received, in order. */
  readonly requests: FakeRequest<M>[] = [];

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `FakeKernel { requests: ${this.requests.length} }`;
  }
  /** Datagrams dropped by the receive-buffer model. */
  droppedDatagrams = 0;
  private readonly sockets = new Set<FakeSocket>();
  private nextPort = 0x1000;
  private readonly rcvbuf: number;
  private readonly le = HOST_LE;

  constructor(opts: FakeKernelOptions<M>) {
    this.family = opts.family;
    this.handler = opts.handler ?? ((req, k) => ((req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined));
    this.enforceRcvbuf = opts.enforceRcvbuf ?? true;
    this.rcvbuf = opts.rcvbuf ?? 212992;
    this.bufMax = opts.bufMax ?? 4 * 1024 * 1024;
    this.asyncIo = opts.asyncIo ?? true;
    this.orderedSends = opts.orderedSends ?? true;
  }

  /** A new socket (transport) with its own port id. */
  socket(): FakeSocket {
    const s = new FakeSocket(this, this.nextPort++, this.rcvbuf);
    this.sockets.add(s);
    return s;
  }

  /** @internal */
  forget(s: FakeSocket): void {
    this.sockets.delete(s);
  }

  /** @internal A datagram arrived from `sock`: split it and answer each message in order. */
  receive(sock: FakeSocket, datagram: Uint8Array): void {
    const view = viewOf(datagram);
    for (const loc of nlmsgIterate(view, this.le)) {
      // A request may carry keys (NEWSA): keep them out of inspect/JSON of the request log.
      const bytes = SecretBytes.wrap(datagram.subarray(loc.offset, loc.offset + loc.len));
      const header: Nlmsghdr = { len: loc.len, type: loc.type, flags: loc.flags, seq: loc.seq, pid: loc.pid };
      const message = decodeMessage(view, loc, this.family, this.le);
      const req: FakeRequest<M> = { bytes, header, message, socket: sock };
      this.requests.push(req);
      // Like the kernel: messages without NLM_F_REQUEST, and control types, are not handled.
      if ((loc.flags & NLM_F_REQUEST) === 0 || loc.type < NLMSG_MIN_TYPE) {
        if ((loc.flags & NLM_F_ACK) !== 0) sock.deliver(this.ack(req));
        continue;
      }
      sock.deliver(this.handler(req, this));
    }
  }

  /**
   * Multicast `msgs` to every socket that joined `group` (1-based number), one datagram
   * each, as the kernel (pid 0) with `nl_groups` = `1 << (group - 1)`. `seq`/`pid` default to 0.
   */
  notify(group: number, ...msgs: OutgoingMessage<M>[]): void {
    const mask = group >= 1 && group <= 32 ? (1 << (group - 1)) >>> 0 : 0;
    for (const m of msgs) {
      const dg = this.encode([{ ...m, flags: m.flags ?? 0, seq: m.seq ?? 0, pid: m.pid ?? 0 } as NetlinkMessage<M>]);
      for (const s of this.sockets) if (s.groups.has(group)) s.deliver(dg, { groups: mask });
    }
  }

  // ------------------------------------------------------------------ reply builders

  /** Encode messages into one datagram. */
  encode(msgs: readonly NetlinkMessage<M>[]): Uint8Array {
    const w = new NlmsgWriter(1024, this.le);
    for (const m of msgs) encodeMessage(w, m, this.family);
    return w.finish().slice();
  }

  /** Concatenate datagrams' messages into one datagram (the kernel packs dump entries this way). */
  datagram(...parts: Uint8Array[]): Uint8Array {
    let len = 0;
    for (const p of parts) len = nlmsgAlign(len) + p.length;
    const out = new Uint8Array(len);
    let off = 0;
    for (const p of parts) {
      off = nlmsgAlign(off);
      out.set(p, off);
      off += p.length;
    }
    return out;
  }

  /** `NLMSG_ERROR` with error 0, `NLM_F_CAPPED`; `warning` adds an `NLMSGERR_ATTR_MSG` when the socket has EXT_ACK. */
  ack(req: FakeRequest<M>, opts: { warning?: string } = {}): Uint8Array {
    const attrs: NlAttribute[] = [];
    if (opts.warning !== undefined && req.socket.extAck) attrs.push({ type: 'NLMSGERR_ATTR_MSG', value: opts.warning });
    const m: NlmsgErrorMessage = {
      type: 'NLMSG_ERROR',
      flags: NLM_F_CAPPED | (attrs.length > 0 ? NLM_F_ACK_TLVS : 0),
      seq: req.header.seq,
      pid: req.socket.portId,
      error: 0,
      msg: req.header,
      payload: new Uint8Array(0),
      attrs,
    };
    return this.encode([m]);
  }

  /**
   * `NLMSG_ERROR` with `-errno`, echoing the request's payload unless the socket set
   * `NETLINK_CAP_ACK`, with extended-ACK TLVs when the socket set `NETLINK_EXT_ACK`.
   */
  error(req: FakeRequest<M>, errno: number, ext: FakeExtack = {}): Uint8Array {
    const capped = req.socket.capAck;
    const attrs = req.socket.extAck ? extackAttrs(ext) : [];
    const m: NlmsgErrorMessage = {
      type: 'NLMSG_ERROR',
      flags: (capped ? NLM_F_CAPPED : 0) | (attrs.length > 0 ? NLM_F_ACK_TLVS : 0),
      seq: req.header.seq,
      pid: req.socket.portId,
      error: -Math.abs(errno),
      msg: req.header,
      payload: capped ? new Uint8Array(0) : req.bytes.slice(NLMSG_HDRLEN),
      attrs,
    };
    return this.encode([m]);
  }

  /** A unicast reply (flags 0 unless given) carrying the request's seq and the socket's port id. */
  reply(req: FakeRequest<M>, msg: OutgoingMessage<M>): Uint8Array {
    return this.encode([{ ...msg, flags: msg.flags ?? 0, seq: req.header.seq, pid: req.socket.portId } as NetlinkMessage<M>]);
  }

  /**
   * Dump entries with `NLM_F_MULTI` (plus `extraFlags`), packed into datagrams of at most
   * `maxDatagram` bytes (default 32 KiB, like the kernel). Does not add `NLMSG_DONE`.
   */
  multipart(
    req: FakeRequest<M>,
    msgs: readonly OutgoingMessage<M>[],
    opts: { maxDatagram?: number; extraFlags?: number } = {},
  ): Uint8Array[] {
    const max = opts.maxDatagram ?? 32 * 1024;
    const out: Uint8Array[] = [];
    let parts: Uint8Array[] = [];
    let size = 0;
    for (const m of msgs) {
      const full = { ...m, flags: (m.flags ?? 0) | NLM_F_MULTI | (opts.extraFlags ?? 0), seq: req.header.seq, pid: req.socket.portId };
      const bytes = this.encode([full as NetlinkMessage<M>]);
      const next = nlmsgAlign(size) + bytes.length;
      if (parts.length > 0 && next > max) {
        out.push(this.datagram(...parts));
        parts = [];
        size = 0;
      }
      size = nlmsgAlign(size) + bytes.length;
      parts.push(bytes);
    }
    if (parts.length > 0) out.push(this.datagram(...parts));
    return out;
  }

  /** `NLMSG_DONE` (`NLM_F_MULTI`) with 0 or `-errno`, and extended-ACK TLVs when the socket has EXT_ACK. */
  done(req: FakeRequest<M>, errno = 0, ext: FakeExtack & { flags?: number } = {}): Uint8Array {
    const attrs = req.socket.extAck && errno !== 0 ? extackAttrs(ext) : [];
    const m: NlmsgDoneMessage = {
      type: 'NLMSG_DONE',
      flags: NLM_F_MULTI | (attrs.length > 0 ? NLM_F_ACK_TLVS : 0) | (ext.flags ?? 0),
      seq: req.header.seq,
      pid: req.socket.portId,
      error: -Math.abs(errno),
      attrs,
    };
    return this.encode([m]);
  }

  /**
   * A dump that became inconsistent: `msgs` as multipart, with `NLM_F_DUMP_INTR` from entry
   * `from` (default 0) on, then a `NLMSG_DONE` that also carries the flag.
   */
  interruptedDump(req: FakeRequest<M>, msgs: readonly OutgoingMessage<M>[], opts: { from?: number } = {}): Uint8Array[] {
    const from = opts.from ?? 0;
    const clean = this.multipart(req, msgs.slice(0, from));
    const dirty = this.multipart(req, msgs.slice(from), { extraFlags: NLM_F_DUMP_INTR });
    return [...clean, ...dirty, this.done(req, 0, { flags: NLM_F_DUMP_INTR })];
  }

  /**
   * Marker: `recv()` fails with `ENOBUFS` when the reads reach this point of the queue
   * (replies or events were lost). The receive-buffer model (`enforceRcvbuf`) behaves like
   * the kernel instead: a drop makes the very next `recv()` fail, ahead of datagrams already
   * queued.
   */
  overrun(): FakeOverrun {
    return OVERRUN;
  }

  /** The request's payload (after the `nlmsghdr`), copied (a {@link SecretBytes}, like {@link FakeRequest.bytes}). */
  payloadOf(req: FakeRequest<M>): Uint8Array {
    return SecretBytes.wrap(copyBytes(viewOf(req.bytes), NLMSG_HDRLEN, req.bytes.length - NLMSG_HDRLEN));
  }
}

function extackAttrs(ext: FakeExtack): NlAttribute[] {
  const attrs: NlAttribute[] = [];
  if (ext.message !== undefined) attrs.push({ type: 'NLMSGERR_ATTR_MSG', value: ext.message });
  if (ext.offset !== undefined) attrs.push({ type: 'NLMSGERR_ATTR_OFFS', value: ext.offset });
  if (ext.attrs) attrs.push(...ext.attrs);
  return attrs;
}
