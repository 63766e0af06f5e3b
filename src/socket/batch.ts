/**
 * Batches: many requests in few `sendmsg` calls. {@link ChunkBuilder} has each entry written
 * straight into the {@link BatchBuffer} chunk being filled (by a {@link BatchEntryWriter}, or
 * by encoding the caller's message objects); {@link BatchRun} sends each chunk once the
 * previous one is answered (on a worker thread while the next is written), has the router
 * route the chunk's consecutive sequence numbers to the {@link Chunk}, and settles the
 * requests an ACK confirms or an overrun may have lost.
 * @module
 */
import { NLM_F_ACK, NLM_F_REQUEST } from '../netlink/constants.js';
import { NetlinkEncodeError, type NetlinkError, NetlinkProtocolError } from '../netlink/errors.js';
import { type NlMessageBase } from '../netlink/message.js';
import { type NlmsgWriter } from '../netlink/writer.js';
import { BatchBuffer } from './batch-buffer.js';
import { type Channel } from './connection.js';
import { Deadline } from './deadline.js';
import { closedError, lostError } from './failures.js';
import { type PendingRange } from './router.js';
import { type BatchFailure, type BatchOptions, type BatchResult, type BatchSuccess, type OutgoingMessage, type Reply } from './types.js';

/**
 * Each chunk costs a worker hop (queue the `sendmsg`, wake the loop when it returns) and a
 * receive of its ACK: 128 KiB halves those per request against 64 KiB (interleaved A/B,
 * addPolicies of 100k on the 2-vCPU machine: wall 0.87x, CPU 0.94x), and stays within the
 * kernel's default `wmem_max` (212 992), so no privilege is needed for the send buffer.
 */
const DEFAULT_CHUNK = 128 * 1024;
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 256 * 1024;

/** A shared result for batched requests that succeeded without replies (most of them). */
const OK_NO_REPLIES: BatchSuccess<never> = Object.freeze({ ok: true, replies: Object.freeze([]) as unknown as never[] });

/**
 * Writes entry `index` of a bulk call into `w` as exactly one whole message
 * (`beginMessage` … `endMessage`), straight into the chunk being filled. Its `nlmsg_seq`,
 * `nlmsg_pid` and the `NLM_F_REQUEST`/`NLM_F_ACK` bits are the batch's to set: whatever the
 * writer puts there is overwritten. Throw {@link NetlinkEncodeError} for an entry that cannot
 * be encoded: that entry's result is the error, nothing of it is sent, the rest go on.
 * @group Socket
 */
export type BatchEntryWriter = (w: NlmsgWriter, index: number) => void;

/** Writes the next entry (`index`) like a {@link BatchEntryWriter}; `false` when there are no more (nothing written). */
type EntrySource = (w: NlmsgWriter, index: number) => boolean;

const EMPTY = new Uint8Array(0);

/**
 * Requests sent in one `sendmsg`, and what the router delivers their answers to: their
 * sequence numbers are consecutive, so the chunk is one {@link PendingRange} and keeps its
 * requests in arrays by `seq - base` — no object or map entry per request.
 */
class Chunk<M extends NlMessageBase> implements PendingRange<M> {
  readonly isDump = false;
  base = 0;
  count = 0;
  bytes: Uint8Array = EMPTY;
  /** The writer that holds {@link bytes}. */
  writer: NlmsgWriter | undefined;
  /** `stats.overruns` when the chunk was sent. */
  overrunsAtSend = 0;
  /** Offset and length in {@link bytes} of each request, by `seq - base`. */
  readonly offsets: number[] = [];
  readonly lens: number[] = [];
  /** The batch entry (result index) of each request. */
  readonly indexes: number[] = [];
  /** Replies before the answer (get requests), by `seq - base`; none for add/delete. */
  private replies: (Reply<M>[] | undefined)[] | undefined;
  /** The request the router selected. */
  private k = 0;

  constructor(private readonly run: BatchRun<M>) {}

  select(seq: number): void {
    this.k = (seq - this.base) >>> 0;
  }

  get seq(): number {
    return (this.base + this.k) >>> 0;
  }

  get sent(): Uint8Array {
    return this.sentAt(this.k);
  }

  /** The bytes of request `k` (sliced only when an error needs them). */
  sentAt(k: number): Uint8Array {
    const off = this.offsets[k]!;
    return this.bytes.subarray(off, off + this.lens[k]!);
  }

  /** Request `k`'s success result. */
  success(k: number): BatchSuccess<M> {
    const replies = this.replies?.[k];
    return replies ? { ok: true, replies } : (OK_NO_REPLIES as BatchSuccess<M>);
  }

  reply(msg: Reply<M>): void {
    if (this.run.isSettled(this.indexes[this.k]!)) return; // late: its result is out
    const all = (this.replies ??= []);
    (all[this.k] ??= []).push(msg);
  }

  answer(err: NetlinkError | undefined): void {
    this.run.settle(this, this.k, err);
  }

  fail(err: NetlinkError): void {
    this.run.settle(this, this.k, err);
  }

  failAll(err: NetlinkError): void {
    for (let k = 0; k < this.count; k++) this.run.settle(this, k, err);
  }

  lose(): void {
    this.run.settleRest(this, true);
  }
}

/**
 * Writes a batch's entries into chunks, one chunk per call, so that the caller can send a
 * chunk before the next one is written.
 */
class ChunkBuilder<M extends NlMessageBase> {
  /** Entries seen so far (written or not): the length of the result array. */
  count = 0;
  /** The source is exhausted: {@link next} returns at most the chunk being filled. */
  done = false;
  private readonly buffer: BatchBuffer;
  private current: Chunk<M>;

  constructor(
    private readonly run: BatchRun<M>,
    private readonly channel: Channel<M>,
    private readonly source: EntrySource,
    limit: number,
    budget: number,
    private readonly le: boolean,
  ) {
    this.buffer = new BatchBuffer(limit, budget, le);
    this.current = new Chunk<M>(run);
  }

  /** The next full chunk, or the last partial one, or `undefined` when all are out. */
  next(): Chunk<M> | undefined {
    const { buffer, channel, le } = this;
    while (!this.done) {
      const w = buffer.begin();
      const index = this.count;
      let more: boolean;
      try {
        more = this.source(w, index);
      } catch (e) {
        buffer.discard();
        if (!(e instanceof NetlinkEncodeError)) throw e;
        this.count++;
        this.run.unsent(index, e);
        continue;
      }
      if (!more) {
        buffer.discard();
        this.done = true;
        break;
      }
      this.count++;
      let off = buffer.end();
      // The batch's header fields, set once the message is written: a failed entry used no
      // sequence number, so a chunk's numbers stay consecutive. Numbers only grow, so ones
      // taken here cannot be taken by a concurrent request before the chunk is registered.
      const seq = channel.router.nextSeq();
      const dv = w.view;
      dv.setUint16(off + 6, (dv.getUint16(off + 6, le) | NLM_F_REQUEST) & ~NLM_F_ACK & 0xffff, le);
      dv.setUint32(off + 8, seq, le);
      dv.setUint32(off + 12, channel.portId, le);
      let chunk = this.current;
      let full: Chunk<M> | undefined;
      // A message that passes the chunk's limit or budget, or whose number does not follow
      // (the router skipped one still in use after 2^32 wrapped), opens the next chunk.
      if (chunk.count > 0 && (seq !== ((chunk.base + chunk.count) >>> 0) || !buffer.fits())) {
        full = this.close(true);
        chunk = this.current;
        off = 0;
      } else if (chunk.count === 0) {
        buffer.fits(); // alone: always fits; counts its reply
      }
      if (chunk.count === 0) chunk.base = seq;
      chunk.offsets.push(off);
      chunk.lens.push(buffer.lastLength);
      chunk.indexes.push(index);
      chunk.count++;
      if (full !== undefined) return full;
    }
    return this.current.count > 0 ? this.close(false) : undefined;
  }

  /** Close the chunk being filled (`moveLast`: without the message just written, which opens the next). */
  private close(moveLast: boolean): Chunk<M> {
    const chunk = this.current;
    chunk.bytes = this.buffer.take(moveLast);
    chunk.writer = this.buffer.taken;
    this.current = new Chunk<M>(this.run);
    return chunk;
  }

  /** `chunk` was sent and is fully answered: its buffer may hold a later chunk. */
  recycle(chunk: Chunk<M>): void {
    const w = chunk.writer;
    if (w === undefined) return;
    chunk.writer = undefined;
    chunk.bytes = EMPTY;
    this.buffer.recycle(w);
  }
}

/** One {@link NetlinkSocket.batch} call. */
class BatchRun<M extends NlMessageBase> {
  private readonly results: BatchResult<M>[] = [];
  private settled = 0;
  private wake: (() => void) | undefined;
  private failure: NetlinkError | undefined;
  /** Chunks sent and not yet fully answered (registered with the router). */
  private readonly live: Chunk<M>[] = [];

  constructor(private readonly channel: Channel<M>) {}

  /** Request `index` could not be encoded: its result is `error`, nothing is sent. */
  unsent(index: number, error: NetlinkEncodeError): void {
    this.results[index] = { ok: false, error };
    this.settled++;
  }

  /** Entry `index` has its result. */
  isSettled(index: number): boolean {
    return this.results[index] !== undefined;
  }

  /**
   * Request `k` of `chunk` was answered (`err` undefined: an ACK) or failed. One method for
   * the whole batch (not a closure per request): bulk loads of 100k requests otherwise spend
   * a fifth of their time collecting garbage.
   */
  settle(chunk: Chunk<M>, k: number, err: NetlinkError | undefined): void {
    const results = this.results;
    const index = chunk.indexes[k]!;
    if (results[index] !== undefined) return;
    const result: BatchResult<M> = err ? { ok: false, error: err as BatchFailure['error'] } : chunk.success(k);
    // The answer to the chunk's last request comes after every other answer of the chunk:
    // requests without an error by now succeeded (they sent no ACK) — unless an overrun may
    // have swallowed their error, then nobody can tell.
    if (k === chunk.count - 1) return this.settleRest(chunk, this.channel.stats.overruns !== chunk.overrunsAtSend, result);
    results[index] = result;
    this.settled++;
    this.wake?.();
  }

  /**
   * Every request of `chunk` without a result succeeded, or (`lost`) lost its answer — but
   * the last one, whose result is `last` when given; the chunk is done. Results are filled
   * in index order (no holes ahead of the array's end).
   */
  settleRest(chunk: Chunk<M>, lost: boolean, last?: BatchResult<M>): void {
    const { channel, results } = this;
    const end = chunk.count - 1;
    for (let k = 0; k <= end; k++) {
      const index = chunk.indexes[k]!;
      if (results[index] !== undefined) continue;
      results[index] =
        k === end && last !== undefined
          ? last
          : lost
            ? { ok: false, error: lostError(channel.router.names.typeName(chunk.sentAt(k)), (chunk.base + k) >>> 0) }
            : chunk.success(k);
      this.settled++;
    }
    // Sequence numbers are never reused: nothing more is routed to a finished chunk.
    channel.router.removeRange(chunk);
    const i = this.live.indexOf(chunk);
    if (i >= 0) this.live.splice(i, 1);
    this.wake?.();
  }

  /** The whole batch fails (timeout, abort). */
  private stop(err: NetlinkError): void {
    if (this.failure) return;
    this.failure = err;
    this.wake?.();
  }

  private waitFor(cond: () => boolean): Promise<void> {
    return new Promise<void>((res) => {
      const check = (): void => {
        if (this.failure || this.channel.closed || cond()) {
          this.wake = undefined;
          res();
        } else {
          this.wake = check;
        }
      };
      check();
    });
  }

  /** Fail if the batch failed or the socket closed meanwhile. */
  private check(): void {
    if (this.failure) throw this.failure;
    if (this.channel.closed) throw this.channel.closedError();
  }

  async run(source: EntrySource, opts: BatchOptions, le: boolean): Promise<BatchResult<M>[]> {
    const channel = this.channel;
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
      throw new RangeError(`batch chunkSize must be an integer from ${MIN_CHUNK} to ${MAX_CHUNK}, got ${chunkSize}`);
    }
    const aborted = Deadline.aborted(opts.signal);
    if (aborted) throw aborted;
    const budget = channel.prepareBatch(chunkSize);
    const builder = new ChunkBuilder<M>(this, channel, source, chunkSize, budget, le);
    const deadline = new Deadline(opts.signal, (err) => this.stop(err));
    deadline.arm(
      opts.timeoutMs ?? channel.defaultTimeout,
      (ms) => new NetlinkProtocolError('timeout', `netlink batch of ${builder.count}+ requests timed out after ${ms} ms`),
    );
    // The previous chunk is answered once its last request is: that answer comes last.
    let previous: Chunk<M> | undefined;
    const previousAnswered = (): boolean => previous === undefined || this.results[previous.indexes[previous.count - 1]!] !== undefined;
    try {
      let chunk = builder.next();
      while (chunk !== undefined) {
        // Send only when every reply of the previous chunk has been read, so that the
        // replies of this chunk find room in the receive buffer.
        await this.waitFor(previousAnswered);
        this.check();
        // Its send was awaited and its last answer read: no reader of its bytes is left
        // (errors keep names, not bytes).
        if (previous !== undefined) builder.recycle(previous);
        chunk.overrunsAtSend = channel.stats.overruns;
        this.live.push(chunk);
        channel.router.addRange(chunk);
        // With more to encode, send on a worker thread and encode the next chunk while the
        // kernel handles this one; the last chunk goes synchronously (no thread hop).
        const sending = channel.sendChunk(chunk.bytes, chunk.count, !builder.done);
        const next = builder.next();
        if (sending !== undefined) await sending;
        channel.pump();
        previous = chunk;
        chunk = next;
      }
      await this.waitFor(() => this.settled >= builder.count);
      this.check();
      return this.results;
    } catch (e) {
      for (const c of this.live) channel.router.removeRange(c);
      channel.updatePoll();
      throw e;
    } finally {
      deadline.clear();
    }
  }
}

/** Send `msgs` as a batch on `channel`. See {@link NetlinkSocket.batch}. */
export function batch<M extends NlMessageBase>(
  channel: Channel<M>,
  msgs: Iterable<OutgoingMessage<M>>,
  opts: BatchOptions,
  le: boolean,
): Promise<BatchResult<M>[]> {
  if (channel.closed) return Promise.reject(closedError());
  let it: Iterator<OutgoingMessage<M>>;
  try {
    it = msgs[Symbol.iterator]();
  } catch (e) {
    return Promise.reject(e);
  }
  // Messages may come from a generator: each is encoded and dropped at once, so a bulk
  // load's message objects die young instead of all surviving until the last is built.
  const source: EntrySource = (w) => {
    const r = it.next();
    if (r.done) return false;
    const msg = r.value;
    channel.write(w, msg, ((msg.flags ?? 0) | NLM_F_REQUEST) & ~NLM_F_ACK & 0xffff);
    return true;
  };
  return new BatchRun<M>(channel).run(source, opts, le);
}

/**
 * Send `count` requests as a batch on `channel`, entry `i` written by `write(w, i)` straight
 * into the chunk. See {@link NetlinkSocket.batchWrite}.
 */
export function batchWrite<M extends NlMessageBase>(
  channel: Channel<M>,
  count: number,
  write: BatchEntryWriter,
  opts: BatchOptions,
  le: boolean,
): Promise<BatchResult<M>[]> {
  if (channel.closed) return Promise.reject(closedError());
  if (!Number.isSafeInteger(count) || count < 0) return Promise.reject(new RangeError(`batch count must be a non-negative integer, got ${String(count)}`));
  const source: EntrySource = (w, i) => {
    if (i >= count) return false;
    write(w, i);
    return true;
  };
  return new BatchRun<M>(channel).run(source, opts, le);
}
