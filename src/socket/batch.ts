/**
 * Batches: many requests in few `sendmsg` calls. {@link ChunkBuilder} has each entry written
 * straight into the {@link BatchBuffer} chunk being filled (by a {@link BatchEntryWriter}, or
 * by encoding the caller's message objects); {@link BatchRun} sends each chunk (on a worker
 * thread while the next is written) as soon as the kernel is done with the previous one and
 * the receive buffer has room for the replies of both, has the router route the chunk's
 * consecutive sequence numbers to the {@link Chunk}, and settles the requests an ACK confirms
 * or an overrun may have lost.
 * @module
 */
import { nlmsgAlign } from '../netlink/align.js';
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
 * sequence numbers are consecutive, so the chunk is one {@link PendingRange} and finds its
 * requests by `seq - base` — no object, map entry or array slot per request (but where an
 * error or a reply needs one).
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
  /** Receive-buffer bytes its replies may take (error replies echo their request). */
  cost = 0;
  /**
   * May be sent while the previous chunk is still unanswered (its replies perhaps unread):
   * the two chunks' replies fit the receive-buffer budget together.
   */
  overlap = false;
  /** Every request has its result; the router no longer routes to it. */
  done = false;
  /** The batch entry (result index) of request 0: request `k`'s is `first + k`, unless {@link indexes} says otherwise. */
  first = 0;
  /**
   * The batch entry of each request, by `seq - base`: only once an entry that could not be
   * encoded (and so has no request) lies between two of the chunk's requests.
   */
  indexes: number[] | undefined;
  /** Offset in {@link bytes} of each request, by `seq - base`: found the first time an error needs a request's bytes. */
  private offsets: number[] | undefined;
  /** Replies before the answer (get requests), by `seq - base`; none for add/delete. */
  private replies: (Reply<M>[] | undefined)[] | undefined;
  /** The request the router selected. */
  private k = 0;

  constructor(
    private readonly run: BatchRun<M>,
    private readonly le: boolean,
  ) {}

  /** Request `index` (the batch's entry) follows in this chunk. */
  push(index: number): void {
    const k = this.count++;
    if (k === 0) this.first = index;
    else if (this.indexes !== undefined) this.indexes.push(index);
    else if (index !== this.first + k) {
      const indexes = Array.from({ length: k }, (_, j) => this.first + j);
      indexes.push(index);
      this.indexes = indexes;
    }
  }

  /** Request `k`'s batch entry (result index). */
  indexOf(k: number): number {
    return this.indexes === undefined ? this.first + k : this.indexes[k]!;
  }

  select(seq: number): void {
    this.k = (seq - this.base) >>> 0;
  }

  get seq(): number {
    return (this.base + this.k) >>> 0;
  }

  get sent(): Uint8Array {
    return this.sentAt(this.k);
  }

  /** The bytes of request `k` (sliced only when an error needs them; valid until the chunk is done). */
  sentAt(k: number): Uint8Array {
    const bytes = this.bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The length of the request at `off` (its nlmsg_len, which the writer set), kept inside the chunk.
    const lenAt = (off: number): number => (off + 4 <= bytes.length ? Math.min(Math.max(view.getUint32(off, this.le), 16), bytes.length - off) : 0);
    if (this.offsets === undefined) {
      // The chunk's requests lie end to end, each NLMSG-aligned.
      const offsets: number[] = [];
      for (let i = 0, off = 0; i < this.count; i++, off += nlmsgAlign(lenAt(off))) offsets.push(Math.min(off, bytes.length));
      this.offsets = offsets;
    }
    const off = this.offsets[k]!;
    return bytes.subarray(off, off + lenAt(off));
  }

  /** Request `k`'s success result. */
  success(k: number): BatchSuccess<M> {
    const replies = this.replies?.[k];
    return replies ? { ok: true, replies } : (OK_NO_REPLIES as BatchSuccess<M>);
  }

  reply(msg: Reply<M>): void {
    if (this.run.isSettled(this.indexOf(this.k))) return; // late: its result is out
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

  /**
   * @param budget receive-buffer bytes that replies may take at once: two chunks in flight
   *   share it, a chunk that needs more than half of it has it alone.
   */
  constructor(
    private readonly run: BatchRun<M>,
    private readonly channel: Channel<M>,
    private readonly source: EntrySource,
    limit: number,
    private readonly budget: number,
    private readonly le: boolean,
  ) {
    this.buffer = new BatchBuffer(limit, budget, le);
    this.current = new Chunk<M>(run, le);
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
      const off = buffer.end();
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
      } else if (chunk.count === 0) {
        buffer.fits(); // alone: always fits; counts its reply
      }
      if (chunk.count === 0) chunk.base = seq;
      chunk.push(index);
      if (full !== undefined) return full;
    }
    return this.current.count > 0 ? this.close(false) : undefined;
  }

  /** Close the chunk being filled (`moveLast`: without the message just written, which opens the next). */
  private close(moveLast: boolean): Chunk<M> {
    const chunk = this.current;
    const buffer = this.buffer;
    chunk.bytes = buffer.take(moveLast);
    chunk.writer = buffer.taken;
    chunk.cost = buffer.takenCost;
    // The next chunk goes out while this one's replies may still wait in the receive queue
    // when what this one leaves of the budget is at least half of it (usual with the 4 MiB
    // buffer batches ask for: a 128 KiB chunk of policies needs ~0.7 MB); else it waits for
    // this one's answers and has the whole budget, as small buffers need.
    const next = new Chunk<M>(this.run, this.le);
    const rest = this.budget - chunk.cost;
    next.overlap = rest * 2 >= this.budget;
    buffer.budget = next.overlap ? rest : this.budget;
    this.current = next;
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

/** The send chain of the last batch (`NetlinkTransport.sendAsync`): 1 to 2^32 - 1, then 1 again. */
let lastChain = 0;

/** Results arrays up to this length are made at their full length at once (see {@link BatchRun}). */
const PRESIZE_MAX = 1 << 24;

/** One {@link NetlinkSocket.batch} call. */
class BatchRun<M extends NlMessageBase> {
  private readonly results: BatchResult<M>[];
  private settled = 0;
  private wake: (() => void) | undefined;
  /** Why the whole batch fails (timeout, abort, a failed send), once it does. */
  private failure: { error: unknown } | undefined;
  /** Chunks sent and not yet fully answered (registered with the router). */
  private readonly live: Chunk<M>[] = [];

  /**
   * @param expected entries, when known: the results array is made that long at once
   *   instead of growing (each growth copies it; at 100k entries that was ~5 % of a bulk load).
   */
  constructor(
    private readonly channel: Channel<M>,
    expected = 0,
  ) {
    this.results = expected > 0 && expected <= PRESIZE_MAX ? new Array<BatchResult<M>>(expected) : [];
  }

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
    const index = chunk.indexOf(k);
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
      const index = chunk.indexOf(k);
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
    chunk.done = true;
    channel.router.removeRange(chunk);
    const i = this.live.indexOf(chunk);
    if (i >= 0) this.live.splice(i, 1);
    this.wake?.();
  }

  /** The whole batch fails (timeout, abort, a failed send). */
  private stop(err: unknown): void {
    if (this.failure) return;
    this.failure = { error: err };
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
    if (this.failure) throw this.failure.error;
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
    // Sends on worker threads that reach the kernel in call order may overlap: the next
    // chunk is queued while the kernel handles this one, and goes in as soon as it returns.
    const ordered = channel.orderedSends;
    // This batch's sends form a chain: none is sent once one of them failed (sends of
    // other calls on the socket may come between).
    const chain = (lastChain = (lastChain % 0xffffffff) + 1);
    // The last two chunks sent (`previous` the newer).
    let older: Chunk<M> | undefined;
    let previous: Chunk<M> | undefined;
    // The newest send on a worker not awaited yet (the ones before it returned when it does).
    let sending: Promise<unknown> | undefined;
    const sent = async (): Promise<void> => {
      const s = sending;
      sending = undefined;
      if (s !== undefined) await s;
    };
    try {
      let chunk = builder.next();
      while (chunk !== undefined) {
        // With more to encode, the chunk goes on a worker thread; the last one on this thread
        // (no thread hop), once every send on a worker has returned.
        const last = builder.done;
        // Without ordered sends, one sendmsg at a time: when it returns, the kernel has
        // handled the whole chunk and every answer it will get is in the receive queue.
        if (!ordered || last) await sent();
        // Room for this chunk's replies: the chunk before the previous one is answered, and
        // the previous one too unless this one's budget left room for its replies. Their
        // answers are likely queued by now (the kernel went on with the next chunk while this
        // one was written): read them here, without waiting for the event loop to report them.
        const [o, p, overlap] = [older, previous, chunk.overlap];
        if (o !== undefined) channel.pump();
        await this.waitFor(() => (o === undefined || o.done) && (overlap || p === undefined || p.done));
        this.check();
        // Answered chunks: the kernel has copied their bytes (it does before it handles a
        // request) and errors keep names, not bytes, so their buffers may hold later chunks.
        if (o !== undefined) builder.recycle(o);
        if (p?.done === true) builder.recycle(p);
        chunk.overrunsAtSend = channel.stats.overruns;
        this.live.push(chunk);
        channel.router.addRange(chunk);
        const s = channel.sendChunk(chunk.bytes, chunk.count, !last, chain);
        if (s !== undefined) {
          // A failed send: the kernel handled nothing of the chunk and no answer will come;
          // the batch fails with its error, and waits end at once.
          s.catch((e: unknown) => this.stop(e));
          sending = s;
        }
        // While the kernel handles it: read the earlier chunks' answers, write the next one.
        channel.pump();
        older = previous;
        previous = chunk;
        chunk = builder.next();
      }
      await sent();
      channel.pump();
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
  return new BatchRun<M>(channel, count).run(source, opts, le);
}
