/**
 * What waits for the kernel's messages with one sequence number ({@link Pending}: a request,
 * a batch item or a dump), and the one place that tells a reply from the answer that ends
 * the conversation (`NLMSG_ERROR` — an ACK when its error is 0 — or `NLMSG_DONE`) and turns
 * a negative answer into a typed error. Pure.
 * @module
 */
import { type NetlinkError } from '../netlink/errors.js';
import { type NetlinkMessage, type NlMessageBase, type NlmsgDoneMessage, type NlmsgErrorMessage } from '../netlink/message.js';
import { type RequestDescriber } from './describe.js';
import { type Reply } from './types.js';

/** Anything waiting for messages with one sequence number; the {@link Router} calls it. */
export interface Pending<M extends NlMessageBase> {
  readonly seq: number;
  /** Encoded request (for naming it and mapping extended-ACK offsets to attributes). */
  readonly sent: Uint8Array;
  /** Dumps are exempt from overrun failure: the kernel holds their data back instead of dropping it. */
  readonly isDump: boolean;
  /** A message before the answer (a "get" reply, a dump entry). */
  reply(msg: Reply<M>): void;
  /**
   * The answer ended the conversation (the entry is no longer routed to): `err` is
   * `undefined` for an ACK or a `NLMSG_DONE` without error. `flags` are the answer's `nlmsg_flags`.
   */
  answer(err: NetlinkError | undefined, flags: number): void;
  /** Failed from our side (timeout, abort, close, overrun, truncation, decoder fault). */
  fail(err: NetlinkError): void;
  /**
   * Set only by an entry that takes its family messages undecoded (a raw dump): the router
   * then hands it every message of type ≥ `NLMSG_MIN_TYPE` as bytes, not {@link reply}.
   * Control messages (answers included) still go through {@link reply}/{@link answer}.
   */
  readonly raw?: RawReceiver;
}

/** Where the {@link Router} delivers the undecoded messages of a raw {@link Pending}. */
export interface RawReceiver {
  /**
   * One message: its `length` bytes (header included) at `offset` of `view`, valid until the
   * next {@link release}. The router checked the framing, the port id and the sequence number.
   */
  message(view: DataView, offset: number, length: number): void;
  /**
   * Optional: take, in one call, the run of messages from `offset` of `view` (up to `end`)
   * that are this entry's: whole (`nlmsg_len` ≥ 16 and inside), of the family's types, for
   * `portId`, with its sequence number — each as {@link message} would. Returns the offset of
   * the first message not taken (the router routes it as usual) and counts the messages taken
   * in {@link taken}. A dump datagram is ~120 messages of one run: one call instead of a call
   * chain per message.
   */
  run?(view: DataView, offset: number, end: number, portId: number): number;
  /** Messages the last {@link run} took. */
  taken?: number;
  /**
   * The datagram that held the messages given since the last call is done: its buffer will
   * be reused for another one. Called once per datagram that delivered any, after its last.
   */
  release(): void;
}

/** True for the messages that end a conversation: `NLMSG_ERROR` (ACK included) and `NLMSG_DONE`. */
export function isAnswer<M extends NlMessageBase>(msg: NetlinkMessage<M>): msg is NlmsgErrorMessage | NlmsgDoneMessage {
  return msg.type === 'NLMSG_ERROR' || msg.type === 'NLMSG_DONE';
}

/**
 * The outcome of the answer `msg` to `p`: `undefined` for an ACK or a clean `NLMSG_DONE`,
 * else the {@link NetlinkKernelError} (built only then: an ACK costs no allocation).
 */
export function answerError<M extends NlMessageBase>(
  msg: NlmsgErrorMessage | NlmsgDoneMessage,
  p: Pending<M>,
  names: RequestDescriber<M>,
): NetlinkError | undefined {
  const error = msg.error;
  return error ? names.kernelError(p.sent, error, p.seq, msg.attrs) : undefined;
}
