/**
 * Checks of the plain arguments of {@link XfrmClient}'s methods: the per-call options, the
 * options of {@link XfrmClient.open} and {@link XfrmClient.events}, and the scalar and array
 * arguments. A {@link NetlinkEncodeError} naming the argument, before anything is sent.
 * @module
 */
import { NetlinkEncodeError } from '../netlink/errors.js';
import { XFRM_EVENT_GROUPS } from './events.js';
import { fail, uint } from './validate.js';

/** The bounds of `chunkSize` that `NetlinkSocket.batch` accepts (it throws a RangeError outside them). */
const CHUNK_MIN = 16384;
const CHUNK_MAX = 262144;
/** The largest `rcvbuf` (`SO_RCVBUF` takes an `int`). */
const RCVBUF_MAX = 0x7fffffff;

/** Check an integer argument (flushStates' protocol, flushPolicies' type). */
export function checkUintArg(v: unknown, max: number, what: string): void {
  uint(v, max, what, -1, '');
}

/** Check a boolean argument. */
export function checkBoolArg(v: unknown, what: string): void {
  if (typeof v !== 'boolean') fail(what, -1, '', 'expected a boolean');
}

/** Check an array argument of a bulk method. */
export function checkArrayArg(v: unknown, what: string): void {
  if (!Array.isArray(v)) fail(what, -1, '', 'expected an array');
}


/** A positive `int` number of bytes (`rcvbuf`), or absent. */
function checkRcvbuf(v: unknown, what: string): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) <= 0 || (v as number) > RCVBUF_MAX)) {
    throw new NetlinkEncodeError(what, 'expected a positive integer number of bytes');
  }
}

/** A timeout in ms (0 or Infinity: none), or absent: a string would otherwise become an immediate timer. */
function checkTimeout(v: unknown, what: string): void {
  if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new NetlinkEncodeError(what, 'expected a number of milliseconds (0 or Infinity: none)');
}

/** An options object (not null, not an array). */
function checkOptionsObject(opts: unknown): asserts opts is Record<string, unknown> {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new NetlinkEncodeError('opts', 'expected an object');
}

/**
 * Check the per-call options every method takes (`timeoutMs`, `signal`, and the flags and
 * sizes some methods add).
 */
export function checkCallOptions(opts: unknown): void {
  if (opts === undefined) return;
  checkOptionsObject(opts);
  checkTimeout(opts.timeoutMs, 'opts.timeoutMs');
  const signal = opts.signal;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof (signal as AbortSignal).aborted === 'boolean')) {
    throw new NetlinkEncodeError('opts.signal', 'expected an AbortSignal');
  }
  const chunk = opts.chunkSize;
  if (chunk !== undefined && (!Number.isInteger(chunk) || (chunk as number) < CHUNK_MIN || (chunk as number) > CHUNK_MAX)) {
    throw new NetlinkEncodeError('opts.chunkSize', `expected an integer number of bytes from ${CHUNK_MIN} to ${CHUNK_MAX}`);
  }
  for (const k of ['withCurrent', 'thresholds', 'update'] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== 'boolean') throw new NetlinkEncodeError(`opts.${k}`, 'expected a boolean');
  }
}

/** Check the options of {@link XfrmClient.open} before a socket is opened. */
export function checkClientOptions(opts: unknown): void {
  checkOptionsObject(opts);
  if (opts.netns !== undefined && (typeof opts.netns !== 'string' || opts.netns === '')) throw new NetlinkEncodeError('opts.netns', 'expected a namespace name or path');
  checkTimeout(opts.timeoutMs, 'opts.timeoutMs');
  checkRcvbuf(opts.rcvbuf, 'opts.rcvbuf');
  if (opts.transport !== undefined && (typeof opts.transport !== 'object' || opts.transport === null)) throw new NetlinkEncodeError('opts.transport', 'expected a NetlinkTransport');
  if (opts.eventTransport !== undefined && typeof opts.eventTransport !== 'function') throw new NetlinkEncodeError('opts.eventTransport', 'expected a function');
}

/** Check the arguments of {@link XfrmClient.events}: known group names, a numeric rcvbuf. */
export function checkEventArgs(groups: unknown, opts: unknown): void {
  checkArrayArg(groups, 'groups');
  const gs = groups as unknown[];
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i];
    if (typeof g !== 'string' || !Object.hasOwn(XFRM_EVENT_GROUPS, g)) {
      throw new NetlinkEncodeError(`groups[${i}]`, `expected one of ${Object.keys(XFRM_EVENT_GROUPS).join(', ')}`);
    }
  }
  checkOptionsObject(opts);
  checkRcvbuf(opts.rcvbuf, 'opts.rcvbuf');
}
