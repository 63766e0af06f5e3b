/**
 * The socket layer's own failures, built in one place so that every call words them alike:
 * closed, timed out, aborted, reply lost to an overrun, receive failed, unexpected fault.
 * @module
 */
import { NetlinkError, NetlinkProtocolError } from '../netlink/errors.js';
import { socketError } from './native.js';

/** The socket was closed (by {@link NetlinkSocket.close} or after a failure). */
export function closedError(): NetlinkProtocolError {
  return new NetlinkProtocolError('closed', 'netlink socket closed');
}

/** No answer within `ms`; `what` names the request (its message type) when known. */
export function timeoutError(ms: number, what: string | undefined): NetlinkProtocolError {
  return new NetlinkProtocolError('timeout', `${what ? what + ': ' : ''}no answer from the kernel within ${ms} ms`);
}

/** The caller's `AbortSignal` fired; its reason is the `cause`. */
export function abortError(signal: AbortSignal): NetlinkProtocolError {
  return new NetlinkProtocolError('aborted', 'netlink call aborted', { cause: signal.reason });
}

/** The answer to request `seq` was dropped by the kernel (`ENOBUFS`): it may have been applied. */
export function lostError(request: string | undefined, seq: number): NetlinkProtocolError {
  return new NetlinkProtocolError(
    'overrun',
    `${request ?? 'request'} (seq ${seq}): reply lost to a receive-buffer overrun (ENOBUFS); the request may have been applied`,
  );
}

/**
 * Something that is not a {@link NetlinkError} escaped where only those are expected (a
 * bug): `'closed'`, with the original as `cause`. `who` names the socket or subscription.
 */
export function unexpectedError(who: string, e: unknown): NetlinkError {
  if (e instanceof NetlinkError) return e;
  const what = e instanceof Error ? e.name : typeof e;
  return new NetlinkProtocolError('closed', `${who} failed: unexpected ${what} while receiving`, { cause: e });
}

/**
 * A receive failure as what it is: a {@link NetlinkError} as is; a system error carrying an
 * errno (a transport that did not wrap it) as a `NetlinkSocketError` of `recvmsg`; anything
 * else as {@link unexpectedError}.
 */
export function receiveError(who: string, e: unknown): NetlinkError {
  if (e instanceof NetlinkError) return e;
  return unexpectedError(who, socketError(e, 'recvmsg'));
}
