/**
 * A batch chunk as a pure buffer (the idea of libmnl's `mnl_nlmsg_batch`): requests written
 * end to end, NLMSG-aligned, straight into the chunk's {@link NlmsgWriter}, until the next
 * would pass the size limit or the receive-buffer budget of the replies they may cause;
 * closing the chunk asks for an ACK on its last request only. No I/O, no sequence numbers,
 * no encoding of its own.
 * @module
 */
import { nlmsgAlign } from '../netlink/align.js';
import { NLM_F_ACK } from '../netlink/constants.js';
import { NlmsgWriter } from '../netlink/writer.js';

/**
 * Receive-buffer cost of one reply, measured on 6.18: an ACK or a short error takes 832
 * bytes of `sk_rmem_alloc` (256 ACKs fill the default 212 992-byte buffer). Errors also
 * echo the request, so a request of `len` bytes is budgeted `REPLY_COST + len`.
 */
export const REPLY_COST = 1024;

/**
 * Room past the limit in a chunk's buffer: the request that does not fit is written before
 * that is known, and without room the buffer would double (and copy) once per chunk.
 */
const SLACK = 8192;

/**
 * Fills chunks of at most `limit` bytes whose possible replies fit `budget` bytes. A request
 * is written in place ({@link begin} → the writer → {@link end}), so nothing is copied;
 * the one request per chunk that turns out not to fit is moved to the next chunk by
 * {@link take}.
 */
export class BatchBuffer {
  private w: NlmsgWriter;
  private cost = 0;
  /** Writer state before the entry being written: what {@link discard} returns to. */
  private markMessages = 0;
  private markLength = 0;
  private lastOffset = 0;
  private lastLen = 0;
  /** Offset of the chunk's last message that stays: the one that asks for the ACK. */
  private keptOffset = 0;
  /** Writers of chunks done with ({@link recycle}), reused instead of allocating a chunk buffer each time. */
  private readonly spare: NlmsgWriter[] = [];
  /** The writer whose bytes the last {@link take} returned (to {@link recycle} once that chunk is done). */
  taken: NlmsgWriter | undefined;
  /** Receive-buffer bytes the replies of the chunk the last {@link take} returned may take. */
  takenCost = 0;
  /** Receive-buffer bytes the replies of the chunk being filled may take (may change between chunks). */
  budget: number;

  /**
   * @param limit target bytes per chunk (one `sendmsg`).
   * @param budget receive-buffer bytes the replies of one chunk may take (see {@link budget}).
   * @param le byte order of the messages.
   */
  constructor(
    private readonly limit: number,
    budget: number,
    private readonly le: boolean,
  ) {
    this.budget = budget;
    this.w = new NlmsgWriter(limit + SLACK, le);
  }

  /** Messages in the chunk being filled. */
  get count(): number {
    return this.w.messages;
  }

  /** A message of `len` bytes must start a new chunk: this one has messages and would pass its limit or budget. */
  full(len: number): boolean {
    return this.w.messages > 0 && (nlmsgAlign(this.w.length) + len > this.limit || this.cost + REPLY_COST + nlmsgAlign(len) > this.budget);
  }

  /** Start an entry: returns the writer it writes its one message into (the buffer may grow). */
  begin(): NlmsgWriter {
    this.markMessages = this.w.messages;
    this.markLength = this.w.length;
    return this.w;
  }

  /** The entry failed: drop whatever it wrote. */
  discard(): void {
    this.w.truncate(this.markMessages, this.markLength);
  }

  /**
   * The entry is written: it must be exactly one finished message (else it is dropped and
   * this throws a `TypeError`: a bug of the entry writer, not of the entry). Returns its
   * offset in the chunk; {@link fits} tells whether it may stay there.
   */
  end(): number {
    const w = this.w;
    if (w.messages !== this.markMessages + 1) {
      this.discard();
      throw new TypeError(`a batch entry writer must write exactly one whole message (wrote ${w.messages - this.markMessages})`);
    }
    this.lastOffset = nlmsgAlign(this.markLength);
    this.lastLen = w.length - this.lastOffset;
    return this.lastOffset;
  }

  /**
   * The message the last {@link end} accepted may stay in this chunk: it is alone, or the
   * chunk keeps within its limit and budget with it. Counts it against the budget when it fits.
   */
  fits(): boolean {
    const cost = REPLY_COST + nlmsgAlign(this.lastLen);
    if (this.markMessages > 0 && (this.lastOffset + this.lastLen > this.limit || this.cost + cost > this.budget)) return false;
    this.cost += cost;
    this.keptOffset = this.lastOffset;
    return true;
  }

  /** Append one encoded message (copied); returns its offset in the chunk. A message larger than a chunk goes alone. */
  add(bytes: Uint8Array): number {
    this.begin().appendMessage(bytes);
    const off = this.end();
    this.cost += REPLY_COST + nlmsgAlign(this.lastLen);
    this.keptOffset = off;
    return off;
  }

  /**
   * Close the chunk being filled and return its bytes; the next chunk gets a buffer of its
   * own. With `moveLast`, the message the last {@link end} accepted (which did not
   * {@link fits}) leaves this chunk and opens the next one, at offset 0. Only the last
   * request asks for an ACK: the kernel handles a `sendmsg` in order and reports every error
   * anyway, so that ACK also confirms the ones before it — one reply (and 832 bytes of
   * receive buffer) saved per request. The chunk must hold a message.
   */
  take(moveLast = false): Uint8Array {
    const old = this.w;
    this.taken = old;
    this.w = this.spare.pop() ?? new NlmsgWriter(this.limit + SLACK, this.le);
    this.takenCost = this.cost;
    this.cost = 0;
    const last = this.keptOffset;
    if (moveLast) {
      const bytes = old.finish();
      this.w.appendMessage(bytes.subarray(this.lastOffset, this.lastOffset + this.lastLen));
      this.cost = REPLY_COST + nlmsgAlign(this.lastLen);
      old.truncate(this.markMessages, this.markLength);
      this.lastOffset = 0;
      this.keptOffset = 0;
      this.markMessages = 0;
      this.markLength = 0;
    }
    const bytes = old.finish();
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    dv.setUint16(last + 6, dv.getUint16(last + 6, this.le) | NLM_F_ACK, this.le);
    return bytes;
  }

  /**
   * The chunk written by `w` (a {@link taken} writer) is sent and fully answered: nothing
   * reads its bytes any more, so a later chunk may reuse its memory (a batch keeps a few
   * chunk buffers instead of allocating one per chunk sent: one being filled, two in flight).
   */
  recycle(w: NlmsgWriter): void {
    if (w === this.w || this.spare.length >= 2) return;
    w.reset();
    this.spare.push(w);
  }
}
