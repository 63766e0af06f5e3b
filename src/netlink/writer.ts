/**
 * {@link NlmsgWriter}: builds one or many netlink messages into one growable buffer (a batch
 * for a single `sendmsg`), patching `nlmsg_len` and `nla_len` after the payload is written.
 * @module
 */
import { nlaAlign, nlmsgAlign, NLA_HDRLEN, NLMSG_HDRLEN } from './align.js';
import { checkUint, type Codec } from './codec.js';
import { NetlinkEncodeError } from './errors.js';
import { NLA_F_NESTED } from './constants.js';
import { HOST_LE } from './endian.js';
import { type AttrSpec, encodeAttrPayload, NLA_LEN_MAX } from './nlattr.js';

/**
 * A growable buffer of netlink messages.
 *
 * Memory handed out by {@link alloc} is zeroed, so struct padding and attribute padding are
 * always zero. The buffer doubles when full and is reused after {@link reset}: encoding a
 * batch allocates nothing once the buffer is large enough.
 *
 * @example
 * ```ts
 * const w = new NlmsgWriter();
 * w.beginMessage(XFRM_MSG_FLUSHSA, NLM_F_REQUEST | NLM_F_ACK, 1);
 * w.view.setUint8(w.alloc(1), IPPROTO_ESP);
 * w.endMessage();
 * socket.send(w.finish());
 * ```
 */
export class NlmsgWriter {
  /** Byte order used for headers (and passed to codecs). */
  readonly le: boolean;
  private buf: Uint8Array;
  private dv: DataView;
  private pos = 0;
  private msgStart = -1;
  private end = 0;
  private count = 0;
  /**
   * Every byte from here on is zero. {@link alloc} hands out zeroed bytes, but a writer that is
   * {@link reset} and refilled (a batch's chunk buffers) would otherwise clear each small piece
   * it allocates, a `fill` call per struct; {@link reset} clears the used part once instead.
   */
  private zeroFrom = 0;

  /** @param initialSize initial capacity in bytes. @param le byte order (default: the host's). */
  constructor(initialSize = 16384, le: boolean = HOST_LE) {
    this.le = le;
    this.buf = new Uint8Array(Math.max(64, initialSize));
    this.dv = new DataView(this.buf.buffer);
  }

  /** Current view of the buffer. Re-read it after any call that may grow the buffer. */
  get view(): DataView {
    return this.dv;
  }
  /** Bytes written so far (end of the last finished message, without its trailing padding). */
  get length(): number {
    return this.end;
  }
  /** Number of finished messages in the buffer. */
  get messages(): number {
    return this.count;
  }
  /** Write position: offset of the next byte to be allocated. */
  get position(): number {
    return this.pos;
  }

  /** Forget all messages; keeps the memory. */
  reset(): void {
    if (this.zeroFrom > 0) this.buf.fill(0, 0, this.zeroFrom);
    this.zeroFrom = 0;
    this.pos = 0;
    this.end = 0;
    this.msgStart = -1;
    this.count = 0;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.zeroFrom = this.pos; // only [0, pos) was copied
    this.dv = new DataView(next.buffer);
  }

  /**
   * Start a message; its header is written by {@link endMessage}. Returns the offset of the
   * message in the buffer.
   */
  beginMessage(type: number, flags: number, seq = 0, pid = 0): number {
    if (this.msgStart >= 0) throw new NetlinkEncodeError('nlmsghdr', 'previous message not ended');
    checkUint('nlmsghdr.nlmsg_type', type, 0xffff);
    checkUint('nlmsghdr.nlmsg_flags', flags, 0xffff);
    checkUint('nlmsghdr.nlmsg_seq', seq, 0xffffffff);
    checkUint('nlmsghdr.nlmsg_pid', pid, 0xffffffff);
    this.pos = nlmsgAlign(this.pos);
    this.msgStart = this.pos;
    this.alloc(NLMSG_HDRLEN);
    // Keep the header fields until endMessage knows the length.
    this.dv.setUint16(this.msgStart + 4, type, this.le);
    this.dv.setUint16(this.msgStart + 6, flags, this.le);
    this.dv.setUint32(this.msgStart + 8, seq, this.le);
    this.dv.setUint32(this.msgStart + 12, pid, this.le);
    return this.msgStart;
  }

  /** Allocate `size` zeroed bytes at the write position; returns their offset. */
  alloc(size: number): number {
    this.ensure(size);
    const off = this.pos;
    const end = off + size;
    // Bytes below zeroFrom may hold what a truncated or aborted message wrote: clear those.
    if (off < this.zeroFrom) this.buf.fill(0, off, end < this.zeroFrom ? end : this.zeroFrom);
    if (end > this.zeroFrom) this.zeroFrom = end;
    this.pos = end;
    return off;
  }

  /** Zero-pad the write position to a multiple of 4 (before an attribute). */
  align(): void {
    const target = nlaAlign(this.pos);
    if (target !== this.pos) this.alloc(target - this.pos);
  }

  /** Write `value` with `codec` at the write position; returns its offset. */
  put<T>(codec: Codec<T>, value: T): number {
    const size = codec.length(value);
    const off = this.alloc(size);
    codec.encode(this.dv, off, value, this.le);
    return off;
  }

  /**
   * Append one attribute: aligns, writes the 4-byte header, encodes the payload in place and
   * zero-pads. Returns the attribute's offset.
   * @throws {@link NetlinkEncodeError} if `nla_len` would exceed 0xffff.
   */
  attr<T>(type: number, codec: Codec<T>, value: T, flags = 0): number {
    this.align();
    const size = codec.length(value);
    const len = NLA_HDRLEN + size;
    if (len > NLA_LEN_MAX) throw new NetlinkEncodeError(`attribute ${type}`, `nla_len ${len} exceeds ${NLA_LEN_MAX}`);
    const off = this.alloc(nlaAlign(len));
    this.dv.setUint16(off, len, this.le);
    this.dv.setUint16(off + 2, type | flags, this.le);
    codec.encode(this.dv, off + NLA_HDRLEN, value, this.le);
    return off;
  }

  /**
   * Append one attribute of an attribute space's `spec` (its number and usual flags), the
   * payload encoded in place by its codec: the bytes and errors of `encodeAttrs` for
   * `{ type: spec.name, value }`, without the attribute object. Returns its offset.
   * @throws {@link NetlinkEncodeError} naming the attribute.
   */
  typedAttr<T>(spec: AttrSpec<T>, value: T): number {
    this.align();
    const len = NLA_HDRLEN + spec.codec.length(value);
    if (len > NLA_LEN_MAX) throw new NetlinkEncodeError(spec.name, `nla_len ${len} exceeds ${NLA_LEN_MAX}`);
    const off = this.alloc(nlaAlign(len));
    this.dv.setUint16(off, len, this.le);
    this.dv.setUint16(off + 2, spec.type | spec.flags, this.le);
    encodeAttrPayload(this.dv, off + NLA_HDRLEN, spec, value, this.le);
    return off;
  }

  /** Start a nested attribute (`NLA_F_NESTED`); close it with {@link nestEnd}. */
  nestStart(type: number, flags = NLA_F_NESTED): number {
    this.align();
    const off = this.alloc(NLA_HDRLEN);
    this.dv.setUint16(off + 2, type | flags, this.le);
    return off;
  }

  /** Patch the length of the nest started at `offset` to cover everything written since. */
  nestEnd(offset: number): void {
    this.align();
    const len = this.pos - offset;
    if (len > NLA_LEN_MAX) throw new NetlinkEncodeError('nest', `nla_len ${len} exceeds ${NLA_LEN_MAX}`);
    this.dv.setUint16(offset, len, this.le);
  }

  /**
   * Finish the current message: write its header with `nlmsg_len` = the bytes written,
   * rounded up to 4 as the kernel does. `len` overrides it (e.g. 17 for an unpadded
   * `FLUSHSA`); it must lie between the unpadded content and the rounded length.
   * Returns the message's offset.
   */
  endMessage(len?: number): number {
    const start = this.msgStart;
    if (start < 0) throw new NetlinkEncodeError('nlmsghdr', 'no message begun');
    const written = this.pos - start;
    const padded = nlmsgAlign(written);
    let nlmsgLen = padded;
    if (len !== undefined) {
      if (!Number.isInteger(len) || len < NLMSG_HDRLEN || len > padded || nlmsgAlign(len) !== padded) {
        throw new NetlinkEncodeError('nlmsghdr.nlmsg_len', `${len} does not fit ${written} bytes of message`);
      }
      nlmsgLen = len;
    }
    if (padded !== written) this.alloc(padded - written);
    // beginMessage wrote type, flags, seq and pid: only the length is left (no header object
    // per message: bulk loads write 100k of them).
    this.dv.setUint32(start, nlmsgLen, this.le);
    this.end = start + nlmsgLen;
    this.msgStart = -1;
    this.count++;
    return start;
  }

  /** Abandon the message being written (after an encoder threw); earlier messages stay. */
  abortMessage(): void {
    if (this.msgStart < 0) return;
    this.pos = this.msgStart;
    this.msgStart = -1;
  }

  /**
   * Drop every message after the first `messages` ones, whose end was `length` (the
   * {@link messages} and {@link length} read back then); an unfinished message goes too.
   * Lets a batch take back a message that does not fit its chunk, or a writer that failed
   * half-way.
   */
  truncate(messages: number, length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.end || messages > this.count) {
      throw new RangeError(`NlmsgWriter.truncate: ${messages} messages / ${length} bytes is not an earlier state`);
    }
    this.pos = length;
    this.end = length;
    this.msgStart = -1;
    this.count = messages;
  }

  /**
   * Append a finished message (its `nlmsg_len` bytes, copied) at the next aligned offset;
   * returns that offset.
   */
  appendMessage(bytes: Uint8Array): number {
    if (this.msgStart >= 0) throw new NetlinkEncodeError('nlmsghdr', 'previous message not ended');
    this.pos = nlmsgAlign(this.pos);
    const off = this.alloc(nlmsgAlign(bytes.length));
    this.buf.set(bytes, off);
    this.end = off + bytes.length;
    this.count++;
    return off;
  }

  /**
   * The finished messages as one datagram: a view into the writer's buffer, valid until the
   * next call that writes. The last message ends at its `nlmsg_len` (no trailing padding).
   */
  finish(): Uint8Array {
    if (this.msgStart >= 0) throw new NetlinkEncodeError('nlmsghdr', 'message not ended');
    return this.buf.subarray(0, this.end);
  }
}
