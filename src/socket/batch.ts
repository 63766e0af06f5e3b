/**
 * Batches: many requests in few `sendmsg` calls. {@link ChunkBuilder} encodes the caller's
 * messages one at a time into {@link BatchBuffer} chunks; {@link BatchRun} sends each chunk
 * once the previous one is answered (on a worker thread while the next is encoded), routes
 * every answer to its {@link BatchItem}, and settles the requests an ACK confirms or an
 * overrun may have lost.
 * @module
 */
import { NLM_F_ACK, NLM_F_REQUEST } from '../netlink/constants.js';
import { NetlinkEncodeError, type NetlinkError, NetlinkProtocolError } from '../netlink/errors.js';
import { type NlMessageBase } from '../netlink/message.js';
import { type Pending } from './answer.js';
import { BatchBuffer } from './batch-buffer.js';
import { type Channel } from './connection.js';
import { Deadline } from './deadline.js';
import { closedError, lostError } from './failures.js';
import { type BatchFailure, type BatchOptions, type BatchResult, type BatchSuccess, type OutgoingMessage, type Reply } from './types.js';

const DEFAULT_CHUNK = 64 * 1024;
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 256 * 1024;

/** A shared result for batched requests that succeeded without replies (most of them). */
const OK_NO_REPLIES: BatchSuccess<never> = Object.freeze({ ok: true, replies: Object.freeze([]) as unknown as never[] });

/** Requests sent in one `sendmsg`. */
interface Chunk<M extends NlMessageBase> {
  bytes: Uint8Array;
  items: BatchItem<M>[];
  /** `stats.overruns` when the chunk was sent. */
  overrunsAtSend: number;
}

/**
 * One request of a batch: its place in the chunk's bytes and the pending entry the router
 * delivers its answers to. The request bytes are sliced out only when an error needs them.
 */
class BatchItem<M extends NlMessageBase> implements Pending<M> {
  readonly isDump = false;
  chunk: Chunk<M> | undefined;
  private replies: Reply<M>[] | undefined;
  constructor(
    private readonly run: BatchRun<M>,
    readonly index: number,
    readonly seq: number,
    readonly offset: number,
    readonly len: number,
  ) {}

  get sent(): Uint8Array {
    return this.chunk!.bytes.subarray(this.offset, this.offset + this.len);
  }

  success(): BatchSuccess<M> {
    return this.replies ? { ok: true, replies: this.replies } : (OK_NO_REPLIES as BatchSuccess<M>);
  }

  reply(msg: Reply<M>): void {
    (this.replies ??= []).push(msg);
  }

  answer(err: NetlinkError | undefined): void {
    this.run.settle(this, err);
  }

  fail(err: NetlinkError): void {
    this.run.settle(this, err);
  }
}

/**
 * Encodes a batch's messages into chunks, one chunk per call, so that the caller can send a
 * chunk before the next one is encoded.
 */
class ChunkBuilder<M extends NlMessageBase> {
  /** Requests seen so far (encoded or not): the length of the result array. */
  count = 0;
  /** The source is exhausted: {@link next} returns at most the chunk being filled. */
  done = false;
  private readonly source: Iterator<OutgoingMessage<M>>;
  private readonly buffer: BatchBuffer;
  private items: BatchItem<M>[] = [];

  constructor(
    private readonly run: BatchRun<M>,
    private readonly channel: Channel<M>,
    msgs: Iterable<OutgoingMessage<M>>,
    limit: number,
    budget: number,
    le: boolean,
  ) {
    this.source = msgs[Symbol.iterator]();
    this.buffer = new BatchBuffer(limit, budget, le);
  }

  /** The next full chunk, or the last partial one, or `undefined` when all are out. */
  next(): Chunk<M> | undefined {
    const channel = this.channel;
    while (!this.done) {
      // Messages may come from a generator: each is encoded and dropped at once, so a bulk
      // load's message objects die young instead of all surviving until the last is built.
      const r = this.source.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const msg = r.value;
      const index = this.count++;
      // Sequence numbers only grow, so ones reserved here cannot be taken by a concurrent
      // request before this batch registers them.
      const seq = channel.router.nextSeq();
      let bytes: Uint8Array;
      try {
        bytes = channel.encode(msg, seq, ((msg.flags ?? 0) | NLM_F_REQUEST) & ~NLM_F_ACK & 0xffff);
      } catch (e) {
        if (!(e instanceof NetlinkEncodeError)) throw e;
        this.run.unsent(index, e);
        continue;
      }
      const full = this.buffer.full(bytes.length) ? this.take() : undefined;
      this.items.push(new BatchItem<M>(this.run, index, seq, this.buffer.add(bytes), bytes.length));
      if (full !== undefined) return full;
    }
    return this.items.length > 0 ? this.take() : undefined;
  }

  /** Close the chunk being filled. */
  private take(): Chunk<M> {
    const items = this.items;
    const chunk: Chunk<M> = { bytes: this.buffer.take(), items, overrunsAtSend: 0 };
    for (const it of items) it.chunk = chunk;
    this.items = [];
    return chunk;
  }
}

/** One {@link NetlinkSocket.batch} call. */
class BatchRun<M extends NlMessageBase> {
  private readonly results: BatchResult<M>[] = [];
  private settled = 0;
  private wake: (() => void) | undefined;
  private failure: NetlinkError | undefined;
  private readonly entries: BatchItem<M>[] = [];

  constructor(private readonly channel: Channel<M>) {}

  /** Request `index` could not be encoded: its result is `error`, nothing is sent. */
  unsent(index: number, error: NetlinkEncodeError): void {
    this.results[index] = { ok: false, error };
    this.settled++;
  }

  /**
   * `item` was answered (`err` undefined: an ACK) or failed. One method for the whole batch
   * (not a closure per request): bulk loads of 100k requests otherwise spend a fifth of
   * their time collecting garbage.
   */
  settle(item: BatchItem<M>, err: NetlinkError | undefined): void {
    const { channel, results } = this;
    channel.router.remove(item);
    if (results[item.index] !== undefined) return;
    results[item.index] = err ? { ok: false, error: err as BatchFailure['error'] } : item.success();
    this.settled++;
    const chunk = item.chunk!;
    if (item === chunk.items[chunk.items.length - 1]) {
      // The answer to the chunk's last request comes after every other answer of the
      // chunk: requests without an error by now succeeded (they sent no ACK) — unless an
      // overrun may have swallowed their error, then nobody can tell.
      const lost = channel.stats.overruns !== chunk.overrunsAtSend;
      for (const it of chunk.items) {
        if (results[it.index] !== undefined) continue;
        channel.router.remove(it); // sequence numbers are never reused
        results[it.index] = lost ? { ok: false, error: lostError(channel.router.names.typeName(it.sent), it.seq) } : it.success();
        this.settled++;
      }
    }
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

  async run(msgs: Iterable<OutgoingMessage<M>>, opts: BatchOptions, le: boolean): Promise<BatchResult<M>[]> {
    const channel = this.channel;
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
      throw new RangeError(`batch chunkSize must be an integer from ${MIN_CHUNK} to ${MAX_CHUNK}, got ${chunkSize}`);
    }
    const aborted = Deadline.aborted(opts.signal);
    if (aborted) throw aborted;
    const budget = channel.prepareBatch(chunkSize);
    const builder = new ChunkBuilder<M>(this, channel, msgs, chunkSize, budget, le);
    const deadline = new Deadline(opts.signal, (err) => this.stop(err));
    deadline.arm(
      opts.timeoutMs ?? channel.defaultTimeout,
      (ms) => new NetlinkProtocolError('timeout', `netlink batch of ${builder.count}+ requests timed out after ${ms} ms`),
    );
    // The previous chunk is answered once its last request is: that answer comes last.
    let previous: Chunk<M> | undefined;
    const previousAnswered = (): boolean =>
      previous === undefined || this.results[previous.items[previous.items.length - 1]!.index] !== undefined;
    try {
      let chunk = builder.next();
      while (chunk !== undefined) {
        // Send only when every reply of the previous chunk has been read, so that the
        // replies of this chunk find room in the receive buffer.
        await this.waitFor(previousAnswered);
        this.check();
        chunk.overrunsAtSend = channel.stats.overruns;
        for (const item of chunk.items) {
          this.entries.push(item);
          channel.router.add(item);
        }
        // With more to encode, send on a worker thread and encode the next chunk while the
        // kernel handles this one; the last chunk goes synchronously (no thread hop).
        const sending = channel.sendChunk(chunk.bytes, chunk.items.length, !builder.done);
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
      for (const entry of this.entries) channel.router.remove(entry);
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
  return new BatchRun<M>(channel).run(msgs, opts, le);
}
