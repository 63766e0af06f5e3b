/**
 * The error hierarchy. Every error thrown by this library is a {@link NetlinkError}; the
 * subclasses carry machine-readable fields so callers never parse messages.
 * @module
 */
import { errnoName } from './errno.js';
import type { NlMessageBase, NlmsgRawMessage } from './message.js';

/** Base class: `instanceof NetlinkError` catches every error this library throws. @group Errors */
export class NetlinkError extends Error {
  /** @param message human-readable description. @param options standard `ErrorOptions` (`cause`). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetlinkError';
  }
}

/**
 * Malformed bytes: a decoder found a length, count or value it cannot accept.
 * `what` names the struct or attribute (kernel spelling) and `offset` the byte offset
 * (within the buffer that was being decoded) where the problem starts.
 * @group Errors
 */
export class NetlinkDecodeError extends NetlinkError {
  /** Struct, attribute or message being decoded, e.g. `'xfrm_usersa_info'`, `'XFRMA_ALG_AEAD'`. */
  readonly what: string;
  /** Byte offset of the problem within the decoded buffer. */
  readonly offset: number;
  /** Short reason without the location, e.g. `'truncated: need 224 bytes, have 100'`. */
  readonly reason: string;
  /**
   * @param what struct/attribute name. @param offset byte offset. @param reason what is wrong.
   * @param options `ErrorOptions` (`cause`).
   */
  constructor(what: string, offset: number, reason: string, options?: ErrorOptions) {
    super(`${what} at offset ${offset}: ${reason}`, options);
    this.name = 'NetlinkDecodeError';
    this.what = what;
    this.offset = offset;
    this.reason = reason;
  }
}

/** A value cannot be encoded: out of range, wrong type, too long for its field. @group Errors */
export class NetlinkEncodeError extends NetlinkError {
  /** Struct, attribute or field being encoded, e.g. `'xfrm_algo.alg_name'`. */
  readonly what: string;
  /** @param what the field. @param reason what is wrong. @param options `ErrorOptions`. */
  constructor(what: string, reason: string, options?: ErrorOptions) {
    super(`${what}: ${reason}`, options);
    this.name = 'NetlinkEncodeError';
    this.what = what;
  }
}

/** Fields of a {@link NetlinkKernelError}. */
export interface NetlinkKernelErrorInit {
  /** Positive errno, e.g. 17. */
  errno: number;
  /** Sequence number of the request that failed. */
  seq: number;
  /** `NLMSGERR_ATTR_MSG` text, if the kernel sent one. */
  extackMessage?: string;
  /** `NLMSGERR_ATTR_OFFS`: offset of the offending attribute from the start of the request. */
  extackOffset?: number;
  /** Name of the attribute of the request found at {@link extackOffset}, if it could be mapped. */
  attribute?: string;
  /** Name of the request's message type, e.g. `'XFRM_MSG_NEWSA'`. */
  request?: string;
  /** What to do about it (see {@link NetlinkKernelError.hint}). */
  hint?: string;
}

/** The kernel answered with `NLMSG_ERROR` (or `NLMSG_DONE`) carrying a negative errno. @group Errors */
export class NetlinkKernelError extends NetlinkError {
  /** Positive errno, e.g. 17. */
  readonly errno: number;
  /** Symbolic name, e.g. `'EEXIST'`. */
  readonly code: string;
  /** Sequence number of the failed request. */
  readonly seq: number;
  /** Extended-ACK text (`NLMSGERR_ATTR_MSG`). */
  readonly extackMessage?: string;
  /** Extended-ACK offset (`NLMSGERR_ATTR_OFFS`). */
  readonly extackOffset?: number;
  /** Name of the request attribute at {@link extackOffset}, when known. */
  readonly attribute?: string;
  /** Name of the request's message type. */
  readonly request?: string;
  /**
   * What to do about it, in words (e.g. `'needs CAP_NET_ADMIN in the socket's network
   * namespace (run as root)'`), also at the end of {@link message} as `(hint: …)`. netlink/
   * knows no family's causes: the layer that knows them fills it in — `XfrmClient` does for
   * every error of its calls ({@link addHint}); the CLI prints the same text.
   */
  readonly hint?: string;
  /** The message without the `(hint: …)` part. */
  readonly summary: string;
  /** @param init the error's fields. @param options `ErrorOptions`. */
  constructor(init: NetlinkKernelErrorInit, options?: ErrorOptions) {
    const code = errnoName(init.errno);
    let text = `${init.request ? init.request + ': ' : ''}${code} (${init.errno})`;
    if (init.extackMessage) text += `: ${init.extackMessage}`;
    if (init.attribute) text += ` [attribute ${init.attribute}]`;
    else if (init.extackOffset !== undefined) text += ` [at offset ${init.extackOffset}]`;
    super(init.hint ? `${text} (hint: ${init.hint})` : text, options);
    this.name = 'NetlinkKernelError';
    this.summary = text;
    if (init.hint) this.hint = init.hint;
    this.errno = init.errno;
    this.code = code;
    this.seq = init.seq;
    if (init.extackMessage !== undefined) this.extackMessage = init.extackMessage;
    if (init.extackOffset !== undefined) this.extackOffset = init.extackOffset;
    if (init.attribute !== undefined) this.attribute = init.attribute;
    if (init.request !== undefined) this.request = init.request;
  }

  /**
   * Set {@link hint} and append it to the message, once: the layer that knows the request's
   * family calls it as the error passes through (a second call, or an empty hint, changes
   * nothing). Returns this error.
   */
  addHint(hint: string | undefined): this {
    if (hint && this.hint === undefined) {
      (this as { hint?: string }).hint = hint;
      this.message = `${this.summary} (hint: ${hint})`;
    }
    return this;
  }
}

/** Why a {@link NetlinkProtocolError} was raised. @group Errors */
export type NetlinkProtocolReason =
  | 'seq-mismatch'
  | 'portid-mismatch'
  | 'dump-interrupted'
  | 'truncated'
  | 'unexpected-type'
  | 'overrun'
  | 'timeout'
  | 'aborted'
  | 'closed';

/** The conversation with the kernel broke a netlink rule (libmnl's checks, with names). @group Errors */
export class NetlinkProtocolError extends NetlinkError {
  /** Machine-readable reason. */
  readonly reason: NetlinkProtocolReason;
  /** @param reason the reason. @param message details. @param options `ErrorOptions`. */
  constructor(reason: NetlinkProtocolReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetlinkProtocolError';
    this.reason = reason;
  }
}

/**
 * A dump stopped being consistent (`NLM_F_DUMP_INTR`). The iterator stops yielding at the
 * first flagged message and reads on to `NLMSG_DONE`: {@link NetlinkDumpInterruptedError.partial} holds the messages that
 * were not yielded (for `NetlinkSocket.dumpAll`: every message of the last attempt).
 * @group Errors
 */
export class NetlinkDumpInterruptedError<M extends NlMessageBase> extends NetlinkProtocolError {
  /** Messages received from the first flagged one to the end of the dump (not yielded). */
  readonly partial: (M | NlmsgRawMessage)[];
  /** Messages yielded before the interruption was seen. */
  readonly yielded: number;
  /** Attempts made (1 + retries used). */
  readonly attempts: number;
  /**
   * @param partial messages not yielded. @param yielded messages yielded before the interruption.
   * @param attempts attempts made. @param request name of the dump request.
   */
  constructor(partial: (M | NlmsgRawMessage)[], yielded: number, attempts: number, request?: string) {
    super(
      'dump-interrupted',
      `${request ? request + ': ' : ''}dump interrupted (NLM_F_DUMP_INTR): the table changed during the dump` +
        ` (${attempts} attempt${attempts === 1 ? '' : 's'}; ${yielded} messages yielded, ${partial.length} more received)`,
    );
    this.name = 'NetlinkDumpInterruptedError';
    this.partial = partial;
    this.yielded = yielded;
    this.attempts = attempts;
  }
}

/** A system call of the native shim failed. @group Errors */
export class NetlinkSocketError extends NetlinkError {
  /** The failing call, e.g. `'socket'`, `'bind'`, `'sendmsg'`. */
  readonly syscall: string;
  /** Positive errno. */
  readonly errno: number;
  /** Symbolic errno name, e.g. `'EPERM'`. */
  readonly code: string;
  /** @param syscall the call. @param errno positive errno. @param hint extra advice. @param options `ErrorOptions`. */
  constructor(syscall: string, errno: number, hint?: string, options?: ErrorOptions) {
    const code = errnoName(errno);
    super(`${syscall}: ${code} (${errno})${hint ? ': ' + hint : ''}`, options);
    this.name = 'NetlinkSocketError';
    this.syscall = syscall;
    this.errno = errno;
    this.code = code;
  }
}
