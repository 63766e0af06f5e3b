/**
 * A batch chunk as a pure buffer (the idea of libmnl's `mnl_nlmsg_batch`): encoded requests
 * laid end to end, NLMSG-aligned, until the next would pass the size limit or the
 * receive-buffer budget of the replies they may cause; closing the chunk asks for an ACK on
 * its last request only. No I/O, no sequence numbers, no encoding.
 * @module
 */
import { nlmsgAlign } from '../netlink/align.js';
import { NLM_F_ACK } from '../netlink/constants.js';

/**
 * Receive-buffer cost of one reply, measured on 6.18: an ACK or a short error takes 832
 * bytes of `sk_rmem_alloc` (256 ACKs fill the default 212 992-byte buffer). Errors also
 * echo the request, so a request of `len` bytes is budgeted `REPLY_COST + len`.
 */
export const REPLY_COST = 1024;

/** Fills chunks of at most `limit` bytes whose possible replies fit `budget` bytes. */
export class BatchBuffer {
  private buf: Uint8Array;
  private pos = 0;
  private cost = 0;
  private messages = 0;
  private lastOffset = 0;

  /**
   * @param limit target bytes per chunk (one `sendmsg`).
   * @param budget receive-buffer bytes the replies of one chunk may take.
   * @param le byte order of the messages.
   */
  constructor(
    private readonly limit: number,
    private readonly budget: number,
    private readonly le: boolean,
  ) {
    this.buf = new Uint8Array(limit);
  }

  /** Messages in the chunk being filled. */
  get count(): number {
    return this.messages;
  }

  /** A message of `len` bytes must start a new chunk: this one has messages and would pass its limit or budget. */
  full(len: number): boolean {
    return this.messages > 0 && (nlmsgAlign(this.pos) + len > this.limit || this.cost + REPLY_COST + nlmsgAlign(len) > this.budget);
  }

  /** Append one encoded message (copied); returns its offset in the chunk. A message larger than a chunk goes alone. */
  add(bytes: Uint8Array): number {
    const off = nlmsgAlign(this.pos);
    if (bytes.length > this.buf.length - off) this.buf = new Uint8Array(bytes.length);
    this.buf.set(bytes, off);
    this.pos = off + bytes.length;
    this.cost += REPLY_COST + nlmsgAlign(bytes.length);
    this.messages++;
    this.lastOffset = off;
    return off;
  }

  /**
   * Close the chunk being filled (it must hold a message) and return its bytes; the next
   * chunk gets a buffer of its own. Only the last request asks for an ACK: the kernel
   * handles a `sendmsg` in order and reports every error anyway, so that ACK also confirms
   * the ones before it — one reply (and 832 bytes of receive buffer) saved per request.
   */
  take(): Uint8Array {
    const bytes = this.buf.subarray(0, this.pos);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const flags = this.lastOffset + 6;
    dv.setUint16(flags, dv.getUint16(flags, this.le) | NLM_F_ACK, this.le);
    this.buf = new Uint8Array(this.limit);
    this.pos = 0;
    this.cost = 0;
    this.messages = 0;
    return bytes;
  }
}
