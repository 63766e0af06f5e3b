/**
 * The socket layer's public types: what a call sends ({@link Outgoing}), gets back
 * ({@link Reply}, {@link BatchResult}), the options of {@link NetlinkSocket} and its calls,
 * and its counters. Types only: no code.
 * @module
 */
import { type NetlinkDecodeError, type NetlinkDumpInterruptedError, type NetlinkEncodeError, type NetlinkKernelError, type NetlinkProtocolError } from '../netlink/errors.js';
import { type NetlinkFamily, type NlMessageBase, type NlmsgRawMessage } from '../netlink/message.js';
import { type NetlinkTransport } from './transport.js';
// For {@link} in the TSDoc only.
import type { NetlinkSocket } from './netlink-socket.js';

/** A message the kernel sent back: one of the family's messages, or a raw one of a type it does not know. @group Socket */
export type Reply<M extends NlMessageBase> = M | NlmsgRawMessage;

/**
 * A message to send: `seq` and `pid` are assigned by the socket, and `flags` are optional
 * (the socket adds `NLM_F_REQUEST | NLM_F_ACK`, plus `NLM_F_DUMP` for dumps). A raw message
 * (`{ type: <number>, payload }`) can be sent on any socket.
 * @group Socket
 */
export type Outgoing<M extends NlMessageBase> = M extends unknown ? Omit<M, 'flags' | 'seq' | 'pid'> & OutgoingHeader : never;

/** Header fields of an {@link Outgoing} message, all optional. @group Socket */
export interface OutgoingHeader {
  /** Extra `NLM_F_*` flags (e.g. `NLM_F_REPLACE`); the socket adds `NLM_F_REQUEST | NLM_F_ACK`. */
  flags?: number;
  /** Ignored: the socket assigns sequence numbers. */
  seq?: number;
  /** Ignored: the socket puts its port id. */
  pid?: number;
}

/** Outgoing message accepted by the socket methods. @group Socket */
export type OutgoingMessage<M extends NlMessageBase> = Outgoing<M> | Outgoing<NlmsgRawMessage>;

/** Options every call takes. @group Client */
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

/** Options of {@link NetlinkSocket.dump}. @group Socket */
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

/**
 * What {@link NetlinkSocket.dumpRaw} hands the dump's messages to, undecoded and without a
 * promise per message. Both calls run synchronously inside the socket's receive loop: keep
 * them short and do not wait in them.
 * @group Socket
 */
export interface RawDumpHandler {
  /**
   * One message of the family's types (`nlmsg_type` ≥ `NLMSG_MIN_TYPE`): its `length` bytes,
   * `nlmsghdr` included, start at `offset` of `view` (`nlmsgAt(view, offset, offset + length,
   * le)` gives its header). The bytes are valid only until the next {@link release}: the
   * receive buffer is then reused. Throwing stops the dump (the rest is read and discarded)
   * and `dumpRaw` rejects with what was thrown.
   */
  message(view: DataView, offset: number, length: number): void;
  /**
   * The datagram that held the messages handed since the last call is done: anything still
   * pointing into its bytes must stop reading them now. Called once per datagram that
   * delivered a message, after its last one.
   */
  release(): void;
}

/** Options of {@link NetlinkSocket.batch}. @group Socket */
export interface BatchOptions extends CallOptions {
  /**
   * Target bytes per `sendmsg` (default 128 KiB, allowed 16–256 KiB). A chunk also ends early
   * when the replies it can cause would not fit the receive buffer (`rcvbuf`; raised to 4 MiB
   * by the first batch unless set when opening): the kernel handles a whole `sendmsg` before
   * returning, and replies that do not fit are lost.
   */
  chunkSize?: number;
}

/** The outcome of one request of a {@link NetlinkSocket.batch}. @group Socket */
export type BatchResult<M extends NlMessageBase> = BatchSuccess<M> | BatchFailure;

/** A request of a batch the kernel acknowledged. @group Socket */
export interface BatchSuccess<M extends NlMessageBase> {
  /** Discriminant. */
  ok: true;
  /**
   * Messages the kernel sent before the ACK (empty for add/delete requests). Read only: the
   * results of requests without replies share one frozen object.
   */
  readonly replies: readonly Reply<M>[];
}

/** A request of a batch that failed. @group Socket */
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

/** Counters of a socket's traffic. @group Socket */
export interface NetlinkSocketStats {
  /** Messages sent. */
  sent: number;
  /** `sendmsg` calls. */
  sendCalls: number;
  /** Datagrams received. */
  datagrams: number;
  /** Messages received and routed to a request. */
  received: number;
  /**
   * Messages dropped, counted one by one (a datagram of three messages from another process
   * counts 3, as in `SubscriptionStats.dropped`): not from the kernel, wrong port id,
   * unknown sequence number or late; the rest of a datagram whose framing is broken, and a
   * truncated datagram nobody waits for, count as one.
   */
  dropped: number;
  /** Receive-buffer overruns (`ENOBUFS`). */
  overruns: number;
  /** Truncated datagrams (`MSG_TRUNC`). */
  truncated: number;
}

/** Options of {@link NetlinkSocket.open}. @group Socket */
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
