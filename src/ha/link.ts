/**
 * The link between publisher and standby: the {@link HaLink} interface (what a user implements
 * to carry the stream over their own transport, e.g. a cluster message bus) and
 * {@link StreamHaLink}, the newline-delimited framing over any byte stream (the built-in TLS
 * transport in `tls-link.ts` uses it).
 *
 * Wire form, one message per line, each direction carrying one kind only:
 * - publisher → standby: record lines, exactly {@link encodeHaRecord}'s output;
 * - standby → publisher: ack lines `{"ack":N}`, N the highest seq the standby made durable.
 *
 * A line is at most {@link HA_RECORD_MAX_LINE} bytes. The bound is enforced while reading,
 * before more is buffered: a peer that sends an endless line is cut off with a
 * {@link HaLinkError} (`'line-too-long'`) once it passes the bound, so a link never holds more
 * than one bounded line plus one socket chunk plus {@link HA_LINK_MAX_QUEUED} decoded messages
 * (the socket is paused while the reader is that far behind).
 *
 * A malformed record line closes the link with the {@link HaProtocolError} (no record after a
 * hole can be trusted; the standby reconnects and gets a full state).
 * @module
 */
import { type Duplex } from 'node:stream';
import { NetlinkError } from '../netlink/errors.js';
import { decodeHaRecord, encodeHaRecord } from './record-codec.js';
import { HA_RECORD_MAX_LINE, HaProtocolError, type HaRecord } from './records.js';

/** How many received messages a link queues for a slow reader before it pauses the socket. */
export const HA_LINK_MAX_QUEUED = 256;

/** Why a link failed: a word the caller can switch on. @group Live HA */
export type HaLinkErrorCode =
  /** The peer sent a line longer than {@link HA_RECORD_MAX_LINE} bytes. */
  | 'line-too-long'
  /** The peer sent a line this side cannot parse (the cause is a {@link HaProtocolError}). */
  | 'protocol'
  /** The TLS handshake failed: wrong or missing credential, no shared cipher. */
  | 'handshake'
  /** The handshake or connection did not finish in time. */
  | 'timeout'
  /** The socket failed (reset, refused…): `cause` has the system error. */
  | 'socket'
  /** The link was closed (by {@link HaLink.close} or by the peer) while something was pending. */
  | 'closed'
  /** The publisher accepted a newer standby connection and closed this one. */
  | 'replaced'
  /** Options that cannot work (no credential, both PSK and certificates…). */
  | 'options';

/** The link failed or was closed. Names what happened, never a key or a raw line. @group Live HA */
export class HaLinkError extends NetlinkError {
  /** What happened. */
  readonly code: HaLinkErrorCode;
  /** @param code what happened. @param message details. @param options `ErrorOptions` (`cause`). */
  constructor(code: HaLinkErrorCode, message: string, options?: ErrorOptions) {
    super(`HA link: ${message}`, options);
    this.name = 'HaLinkError';
    this.code = code;
  }
}

/** One message on the link: a record (publisher → standby) or an ack (standby → publisher). @group Live HA */
export type HaLinkMessage =
  | {
      /** Discriminant. */
      readonly kind: 'record';
      /** The record. */
      readonly record: HaRecord;
    }
  | {
      /** Discriminant. */
      readonly kind: 'ack';
      /** The highest seq the standby has made durable. */
      readonly seq: number;
    };

/** Counters of one link session. @group Live HA */
export interface HaLinkStats {
  /** The session number (a new one per connection). */
  readonly session: number;
  /** Records sent. */
  readonly recordsSent: number;
  /** Records received. */
  readonly recordsReceived: number;
  /** Acks sent. */
  readonly acksSent: number;
  /** Acks received. */
  readonly acksReceived: number;
  /** Line bytes sent (with the newlines). */
  readonly bytesSent: number;
  /** Bytes received from the stream. */
  readonly bytesReceived: number;
  /** Seq of the last record sent, -1 before the first. */
  readonly lastSentSeq: number;
  /** Highest seq the peer acknowledged, -1 before the first ack. */
  readonly lastAckedSeq: number;
  /** `Date.now()` of the last ack received, undefined before the first. */
  readonly lastAckAt: number | undefined;
}

/** The standby's lag as the publisher sees it. @group Live HA */
export interface HaLinkLag {
  /** Records sent and not yet acknowledged: last sent seq − last acked seq (0 when caught up). */
  readonly records: number;
  /** Milliseconds since the last ack (since the session began before the first one). */
  readonly msSinceAck: number;
}

/**
 * One session of the link between a publisher and a standby. The publisher sends records and
 * reads acks; the standby reads records and sends acks. Implement it to use another transport:
 * the records must arrive in order and complete, and a new connection must be a new object
 * (a new session), after which the publisher sends a full state.
 * @group Live HA
 */
export interface HaLink extends AsyncIterable<HaLinkMessage> {
  /** The session number. */
  readonly session: number;
  /** Send a message; resolves once the transport took it, rejects with a {@link HaLinkError} if the link closed first. */
  send(msg: HaLinkMessage): Promise<void>;
  /** The received messages in order; ends when the link closes cleanly, throws the error if it failed. Read it once. */
  [Symbol.asyncIterator](): AsyncIterator<HaLinkMessage>;
  /** Close the link; pending sends settle, the iterator ends. Idempotent. */
  close(): Promise<void>;
  /** Resolves when the link is closed: with the error that closed it, or undefined for a clean close. */
  readonly closed: Promise<HaLinkError | HaProtocolError | undefined>;
  /** The counters. */
  stats(): HaLinkStats;
}

/** The standby's lag computed from a link's counters (the publisher's side). */
export function haLinkLag(s: HaLinkStats, sessionStartedAt: number, now = Date.now()): HaLinkLag {
  return {
    records: Math.max(0, s.lastSentSeq - s.lastAckedSeq),
    msSinceAck: Math.max(0, now - (s.lastAckAt ?? sessionStartedAt)),
  };
}

const ACK_RE = /^\{"ack":(0|[1-9]\d{0,15})\}$/;
const NL = 0x0a;

/** Encode a message as one line with its newline; checks the bound the receiver enforces. */
export function encodeHaLinkLine(msg: HaLinkMessage): string {
  let line: string;
  if (msg.kind === 'ack') {
    if (!Number.isSafeInteger(msg.seq) || msg.seq < 0) throw new HaProtocolError('ack', 'expected a non-negative safe integer');
    line = `{"ack":${msg.seq}}`;
  } else {
    line = encodeHaRecord(msg.record);
  }
  if (Buffer.byteLength(line) > HA_RECORD_MAX_LINE) throw new HaProtocolError('line', `over the limit of ${HA_RECORD_MAX_LINE} bytes`);
  return `${line}\n`;
}

/** Decode one received line (without its newline) expected to be of `kind`. Throws {@link HaProtocolError}. */
export function decodeHaLinkLine(line: string, kind: HaLinkMessage['kind']): HaLinkMessage {
  if (kind === 'ack') {
    const m = ACK_RE.exec(line);
    const seq = m ? Number(m[1]) : NaN;
    if (!Number.isSafeInteger(seq)) throw new HaProtocolError('ack', 'expected {"ack":N} with N a non-negative safe integer');
    return { kind: 'ack', seq };
  }
  return { kind: 'record', record: decodeHaRecord(line) };
}

/** Options of a {@link StreamHaLink}. @group Live HA */
export interface StreamHaLinkOptions {
  /** Which messages this side receives: the publisher receives `'ack'`, the standby `'record'`. */
  readonly receives: HaLinkMessage['kind'];
  /** The session number. */
  readonly session: number;
  /** Longest received line in bytes (default and maximum {@link HA_RECORD_MAX_LINE}). */
  readonly maxLine?: number;
}

/**
 * {@link HaLink} over any `Duplex` byte stream (a TLS socket, a Unix socket, a pipe): newline
 * framing with the line bound enforced before buffering, in-order delivery, backpressure.
 * @group Live HA
 */
export class StreamHaLink implements HaLink {
  /** The session number. */
  readonly session: number;
  /** Resolves when the link is closed: with the error that closed it, or undefined for a clean close. */
  readonly closed: Promise<HaLinkError | HaProtocolError | undefined>;
  /** `Date.now()` when the session began (the lag's reference before the first ack). */
  readonly startedAt = Date.now();
  readonly #stream: Duplex;
  readonly #receives: HaLinkMessage['kind'];
  readonly #maxLine: number;
  #parts: Buffer[] = [];
  #partLen = 0;
  #queue: HaLinkMessage[] = [];
  #waiter: (() => void) | undefined;
  #error: HaLinkError | HaProtocolError | undefined;
  #ended = false;
  #iterated = false;
  #closing = false;
  #pending = new Set<(e: HaLinkError) => void>();
  #resolveClosed!: (e: HaLinkError | HaProtocolError | undefined) => void;
  #stats = { recordsSent: 0, recordsReceived: 0, acksSent: 0, acksReceived: 0, bytesSent: 0, bytesReceived: 0, lastSentSeq: -1, lastAckedSeq: -1, lastAckAt: undefined as number | undefined };

  /** @param stream the connected stream (already authenticated). @param options see {@link StreamHaLinkOptions}. */
  constructor(stream: Duplex, options: StreamHaLinkOptions) {
    this.#stream = stream;
    this.session = options.session;
    this.#receives = options.receives;
    this.#maxLine = Math.min(options.maxLine ?? HA_RECORD_MAX_LINE, HA_RECORD_MAX_LINE);
    this.closed = new Promise((r) => (this.#resolveClosed = r));
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('end', () => {
      // A clean end in the middle of a line is a truncated message, not a clean close.
      if (this.#partLen > 0) this.#fail(new HaLinkError('protocol', 'the peer closed in the middle of a line'));
      else this.#finish(undefined);
    });
    stream.on('error', (e: Error) => this.#fail(e instanceof HaLinkError ? e : new HaLinkError('socket', `socket error${'code' in e ? ` ${String(e.code)}` : ''}`, { cause: e })));
    stream.on('close', () => this.#finish(undefined));
  }

  #onData(chunk: Buffer): void {
    if (this.#ended) return;
    this.#stats.bytesReceived += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl;
      // Checked before the piece is kept: memory stays bounded whatever the peer sends.
      if (this.#partLen + (end - start) > this.#maxLine) {
        this.#fail(new HaLinkError('line-too-long', `the peer sent a line longer than ${this.#maxLine} bytes`));
        return;
      }
      if (nl < 0) {
        this.#parts.push(chunk.subarray(start));
        this.#partLen += chunk.length - start;
        return;
      }
      const line = this.#partLen === 0 ? chunk.toString('utf8', start, nl) : Buffer.concat([...this.#parts, chunk.subarray(start, nl)]).toString('utf8');
      this.#parts = [];
      this.#partLen = 0;
      start = nl + 1;
      let msg: HaLinkMessage;
      try {
        msg = decodeHaLinkLine(line, this.#receives);
      } catch (e) {
        this.#fail(e instanceof HaProtocolError ? e : new HaLinkError('protocol', 'undecodable line', { cause: e }));
        return;
      }
      if (msg.kind === 'ack') {
        this.#stats.acksReceived++;
        this.#stats.lastAckAt = Date.now();
        if (msg.seq > this.#stats.lastAckedSeq) this.#stats.lastAckedSeq = msg.seq;
      } else {
        this.#stats.recordsReceived++;
      }
      this.#queue.push(msg);
      if (this.#queue.length >= HA_LINK_MAX_QUEUED) this.#stream.pause();
      this.#wake();
    }
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  #fail(e: HaLinkError | HaProtocolError): void {
    if (this.#ended) return;
    this.#error = e;
    this.#finish(e);
    this.#stream.destroy();
  }

  #finish(e: HaLinkError | HaProtocolError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#parts = [];
    this.#partLen = 0;
    const closedErr = new HaLinkError('closed', 'the link closed before the message was sent');
    for (const reject of this.#pending) reject(closedErr);
    this.#pending.clear();
    this.#resolveClosed(e);
    this.#wake();
  }

  /** Close the link at once with `error` (what {@link closed} and the iterator report); pending sends reject. */
  abort(error: HaLinkError | HaProtocolError): void {
    this.#fail(error);
  }

  /** Send one message as one line; resolves once written to the stream. Throws {@link HaProtocolError} for a message the peer would refuse. */
  async send(msg: HaLinkMessage): Promise<void> {
    if (this.#ended || this.#closing) throw this.#error ?? new HaLinkError('closed', 'the link is closed');
    const line = encodeHaLinkLine(msg);
    await new Promise<void>((resolve, reject) => {
      this.#pending.add(reject);
      this.#stream.write(line, (err) => {
        this.#pending.delete(reject);
        if (err) reject(new HaLinkError(this.#ended ? 'closed' : 'socket', 'write failed', { cause: err }));
        else resolve();
      });
    });
    this.#stats.bytesSent += Buffer.byteLength(line);
    if (msg.kind === 'ack') this.#stats.acksSent++;
    else {
      this.#stats.recordsSent++;
      this.#stats.lastSentSeq = msg.record.seq;
    }
  }

  async *#iterate(): AsyncGenerator<HaLinkMessage> {
    for (;;) {
      const msg = this.#queue.shift();
      if (msg) {
        if (this.#queue.length < HA_LINK_MAX_QUEUED / 2 && !this.#ended) this.#stream.resume();
        yield msg;
        continue;
      }
      // Messages queued before a failure are whole and in order (a prefix of the stream), so
      // they are yielded first; the error comes after them.
      if (this.#ended) {
        if (this.#error) throw this.#error;
        return;
      }
      await new Promise<void>((r) => (this.#waiter = r));
    }
  }

  /** The received messages (read once). */
  [Symbol.asyncIterator](): AsyncIterator<HaLinkMessage> {
    if (this.#iterated) throw new HaLinkError('options', 'the messages of a link can be read once');
    this.#iterated = true;
    return this.#iterate();
  }

  /** Flush what was sent, end the stream (destroyed after 2 s if the peer stalls), settle everything. */
  async close(): Promise<void> {
    if (!this.#ended && !this.#closing) {
      this.#closing = true;
      // end() flushes what send() already handed over; destroy() bounds the wait if the peer stalls.
      this.#stream.end();
      const t = setTimeout(() => this.#stream.destroy(), 2000);
      t.unref?.();
      await new Promise<void>((r) => {
        if (this.#stream.destroyed) r();
        else this.#stream.once('close', () => r());
      });
      clearTimeout(t);
      this.#finish(undefined);
    }
    await this.closed;
  }

  /** The counters. */
  stats(): HaLinkStats {
    return { session: this.session, ...this.#stats };
  }

  /** The standby's lag (meaningful on the publisher's side). */
  lag(now = Date.now()): HaLinkLag {
    return haLinkLag(this.stats(), this.startedAt, now);
  }
}
