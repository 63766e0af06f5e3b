/**
 * A call's deadline: its timeout and its `AbortSignal`, wired to one `expire` callback —
 * the same for requests, dumps (the timer bounds each wait) and batches.
 * @module
 */
import { type NetlinkProtocolError } from '../netlink/errors.js';
import { abortError } from './failures.js';

/** True when `ms` asks for a timer (`0` and `Infinity` disable it). */
export function hasTimeout(ms: number): boolean {
  return ms > 0 && Number.isFinite(ms);
}

/** Timeout + abort → `expire(error)`. {@link clear} before the call settles otherwise. */
export class Deadline {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = (): void => this.expire(abortError(this.signal!));

  /**
   * Listens to `signal` at once (check {@link Deadline.aborted} first: an aborted signal
   * never fires again).
   */
  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly expire: (err: NetlinkProtocolError) => void,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The error to fail a call with before it starts, if `signal` is already aborted. */
  static aborted(signal: AbortSignal | undefined): NetlinkProtocolError | undefined {
    return signal?.aborted ? abortError(signal) : undefined;
  }

  /** (Re)start the timer: after `ms` (unless 0 or infinite), `expire(timeout(ms))`. */
  arm(ms: number, timeout: (ms: number) => NetlinkProtocolError): void {
    this.disarm();
    if (!hasTimeout(ms)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.expire(timeout(ms));
    }, ms);
  }

  /** Stop the timer (the signal still counts). */
  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stop the timer and stop listening to the signal. */
  clear(): void {
    this.disarm();
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
