/**
 * The pure half of a request socket (no transport, no timers): sequence numbers, the map of
 * what waits for which one, the port-id check, splitting a datagram into messages,
 * decoding, delivering each to its {@link Pending} (replies, then the answer classified by
 * `answer.ts`), truncated datagrams, and overruns: after an `ENOBUFS`, the requests still
 * unanswered once the receive queue is empty lost their answer. Driven by the
 * {@link Receiver} in the socket, by hand-written bytes in its tests.
 * @module
 */
import { nlmsgAlign, NLMSG_HDRLEN } from '../netlink/align.js';
import { NLMSG_MIN_TYPE } from '../netlink/constants.js';
import { NetlinkDecodeError, NetlinkError, NetlinkProtocolError } from '../netlink/errors.js';
import { controlTypeName, decodeMessage, type NetlinkFamily, type NetlinkMessage, type NlMessageBase } from '../netlink/message.js';
import { nlmsgAt, type NlmsgLocation } from '../netlink/reader.js';
import { answerError, isAnswer, type Pending, type RawReceiver } from './answer.js';
import { RequestDescriber } from './describe.js';
import { lostError } from './failures.js';
import { type RecvInfo } from './transport.js';
import { type Reply } from './types.js';

/** The counters the router keeps (a subset of `NetlinkSocketStats`). */
export interface RouterStats {
  /** Messages routed to a pending entry. */
  received: number;
  /** Messages dropped: wrong port id, unknown sequence number, malformed framing, late, truncated without owner. */
  dropped: number;
}

/**
 * A run of consecutive sequence numbers routed to one entry (a batch chunk: one object for
 * its hundreds of requests instead of one map entry each). The {@link Pending} methods speak
 * of the sequence number last given to {@link select}: the router selects it just before
 * handing the entry a message, synchronously.
 */
export interface PendingRange<M extends NlMessageBase> extends Pending<M> {
  /** First sequence number. */
  readonly base: number;
  /** How many follow from `base` (mod 2^32). */
  readonly count: number;
  /** Make `seq` (in the range) the one `seq`, `sent`, `reply`, `answer` and `fail` mean. */
  select(seq: number): void;
  /** Fail every request of the range not answered yet with `err` (the socket closed). */
  failAll(err: NetlinkError): void;
  /** An overrun swallowed the answers still missing: each such request fails as lost. */
  lose(): void;
}

/**
 * The pending map, plus ranges: a sequence number without an entry of its own is looked up
 * in the few ranges registered (a batch has one or two chunks in flight). A Map whose `get`
 * and `has` also see the ranges, so that routing (`route`, `truncated`) reads one table and
 * stays as it is.
 */
class PendingMap<M extends NlMessageBase> extends Map<number, Pending<M>> {
  readonly ranges: PendingRange<M>[] = [];

  override get(seq: number): Pending<M> | undefined {
    const p = super.get(seq);
    if (p !== undefined || this.ranges.length === 0) return p;
    const r = this.rangeOf(seq);
    r?.select(seq);
    return r;
  }

  override has(seq: number): boolean {
    return super.has(seq) || (this.ranges.length > 0 && this.rangeOf(seq) !== undefined);
  }

  private rangeOf(seq: number): PendingRange<M> | undefined {
    for (const r of this.ranges) if (((seq - r.base) >>> 0) < r.count) return r;
    return undefined;
  }

  /** Unregister every range; returns them. */
  takeRanges(): PendingRange<M>[] {
    return this.ranges.splice(0, this.ranges.length);
  }
}

/** Routes the kernel's messages to what waits for them, by sequence number. */
export class Router<M extends NlMessageBase> {
  /** Names requests for errors. */
  readonly names: RequestDescriber<M>;
  private readonly pending = new PendingMap<M>();
  private seq = 0;
  private overrunSeen = false;
  /** Entries of {@link pending} with a raw receiver: without any, split() skips its fast path. */
  private rawEntries = 0;
  /** The raw receiver given messages of the datagram being routed (released at its end). */
  private rawHolder: RawReceiver | undefined;
  /**
   * Bumped whenever an entry or range comes or goes: split's fast path looks a sequence
   * number up once and reuses the answer while this is unchanged (a dump datagram's ~120
   * messages all carry the same one; the lookup was ~4 % of a 100k view dump).
   */
  private epoch = 0;

  /**
   * @param portId this socket's port id: messages for another one are dropped.
   * @param stats counters to update (the socket's own object).
   */
  constructor(
    private readonly family: NetlinkFamily<M> | null,
    /** Byte order of the header fields (the host's for a real socket). */
    readonly le: boolean,
    private readonly portId: number,
    private readonly stats: RouterStats,
  ) {
    this.names = new RequestDescriber(family, le);
  }

  /** Entries waiting (a range counts once). */
  get size(): number {
    return this.pending.size + this.pending.ranges.length;
  }

  /** An `ENOBUFS` was read and its lost answers are not yet settled ({@link queueEmpty}). */
  get overrunPending(): boolean {
    return this.overrunSeen;
  }

  /**
   * A fresh sequence number: never 0, never one in use. Numbers only grow (mod 2^32), so
   * ones reserved for a batch cannot be taken by a concurrent request before it adds them.
   */
  nextSeq(): number {
    do {
      this.seq = (this.seq + 1) >>> 0;
    } while (this.seq === 0 || this.pending.has(this.seq));
    return this.seq;
  }

  /** Route messages with `p.seq` to `p`. */
  add(p: Pending<M>): void {
    this.forget(this.pending.get(p.seq));
    this.pending.set(p.seq, p);
    this.epoch++;
    if (p.raw !== undefined) this.rawEntries++;
  }

  /** Stop routing to `p` (if it is still the entry for its sequence number). */
  remove(p: Pending<M>): void {
    if (this.pending.get(p.seq) === p) {
      this.pending.delete(p.seq);
      this.epoch++;
      this.forget(p);
    }
  }

  /** `p` (if any) left the map. */
  private forget(p: Pending<M> | undefined): void {
    if (p?.raw !== undefined) this.rawEntries--;
  }

  /** Route messages with sequence numbers `r.base` … `r.base + r.count - 1` to `r` (its numbers come from {@link nextSeq}). */
  addRange(r: PendingRange<M>): void {
    this.pending.ranges.push(r);
    this.epoch++;
  }

  /** Stop routing to the range `r`. */
  removeRange(r: PendingRange<M>): void {
    const i = this.pending.ranges.indexOf(r);
    if (i >= 0) this.pending.ranges.splice(i, 1);
    this.epoch++;
  }

  /** Remove every entry and fail it with `err`. */
  failAll(err: NetlinkError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    this.epoch++;
    this.rawEntries = 0;
    const ranges = this.pending.takeRanges();
    for (const p of all) p.fail(err);
    for (const r of ranges) r.failAll(err);
  }

  /**
   * The kernel reported `ENOBUFS`: answers were dropped. It does so ahead of the answers it
   * had already queued, so the lost ones are known only when the queue runs empty.
   */
  overrun(): void {
    this.overrunSeen = true;
  }

  /**
   * The receive queue is empty. After an overrun, a request still unanswered lost its
   * answer — unless `kernelBusy` (a `sendmsg` still running on a worker: the kernel may not
   * have answered yet). Dumps are exempt: the kernel holds their data back instead.
   */
  queueEmpty(kernelBusy: boolean): void {
    if (!this.overrunSeen || kernelBusy) return;
    this.overrunSeen = false;
    const lost = [...this.pending.values()].filter((p) => !p.isDump);
    const ranges = this.pending.takeRanges();
    this.epoch++;
    for (const p of lost) {
      this.remove(p);
      p.fail(lostError(this.names.typeName(p.sent), p.seq));
    }
    for (const r of ranges) r.lose();
  }

  /**
   * A datagram from the kernel whose end was cut off (`MSG_TRUNC`): what waits for its first
   * message's sequence number fails as `'truncated'` (the rest is lost); `length` bytes of
   * `view` hold the part received, `info.length` was the real size, `size` the buffer's.
   */
  truncated(view: DataView, length: number, info: RecvInfo, size: number): void {
    const seq = length >= NLMSG_HDRLEN ? view.getUint32(8, this.le) : -1;
    const p = this.pending.get(seq);
    if (p === undefined || view.getUint32(12, this.le) !== this.portId) {
      this.stats.dropped++;
      return;
    }
    if (!p.isDump) this.remove(p);
    p.fail(new NetlinkProtocolError('truncated', `datagram of ${info.length} bytes truncated to the ${size}-byte receive buffer; the rest is lost`));
  }

  /** Route the messages of the first `length` bytes of `view`, a datagram from the kernel. */
  datagram(view: DataView, length: number): void {
    try {
      this.split(view, length);
    } finally {
      // The receiver reuses this buffer for a later datagram: views over it must expire now.
      const raw = this.rawHolder;
      if (raw !== undefined) {
        this.rawHolder = undefined;
        raw.release();
      }
    }
  }

  private split(view: DataView, length: number): void {
    const le = this.le;
    // The fast path reads the header in place: only with the datagram inside the view.
    const fast = this.rawEntries > 0 && length <= view.byteLength;
    try {
      // nlmsgAt in a loop, not the nlmsgIterate generator: a dump datagram holds ~100 messages.
      let off = 0;
      // The last fast-path lookup: its sequence number, entry and the epoch it was made in.
      let seenSeq = -1;
      let seenEpoch = -1;
      let p: Pending<M> | undefined;
      while (off < length) {
        const rem = length - off;
        if (fast && rem >= NLMSG_HDRLEN) {
          // A raw dump's entries: the checks of nlmsgAt and route, without a location object
          // or a decode per message (100k-entry dumps spend most of their JavaScript here).
          const len = view.getUint32(off, le);
          if (len >= NLMSG_HDRLEN && len <= rem && view.getUint16(off + 4, le) >= NLMSG_MIN_TYPE && view.getUint32(off + 12, le) === this.portId) {
            const seq = view.getUint32(off + 8, le);
            if (seq !== seenSeq || seenEpoch !== this.epoch) {
              p = this.pending.get(seq);
              seenSeq = seq;
              seenEpoch = this.epoch;
            }
            const raw = p?.raw;
            if (raw !== undefined) {
              if (this.rawHolder !== raw) {
                this.rawHolder?.release();
                this.rawHolder = raw;
              }
              if (raw.run !== undefined) {
                // The entry takes its whole run of messages (this one first) in one call.
                const next = raw.run(view, off, length, this.portId);
                if (next > off) {
                  this.stats.received += raw.taken ?? 0;
                  off = next;
                  continue;
                }
              }
              this.stats.received++;
              try {
                raw.message(view, off, len);
              } catch (e) {
                this.faulted(p!, nlmsgAt(view, off, length, le), e);
              }
              off += Math.min(nlmsgAlign(len), rem);
              continue;
            }
          }
        }
        const loc = nlmsgAt(view, off, length, le);
        off += Math.min(nlmsgAlign(loc.len), rem);
        this.route(view, loc);
      }
    } catch (e) {
      // Malformed framing: the rest of the datagram cannot be split into messages.
      if (e instanceof NetlinkDecodeError) this.stats.dropped++;
      else throw e;
    }
  }

  private route(view: DataView, loc: NlmsgLocation): void {
    if (loc.pid !== this.portId) {
      this.stats.dropped++;
      return;
    }
    const p = this.pending.get(loc.seq);
    if (p === undefined) {
      this.stats.dropped++;
      return;
    }
    this.stats.received++;
    if (p.raw !== undefined && loc.type >= NLMSG_MIN_TYPE) {
      // Only a datagram not inside its view gets here (split's fast path takes the rest):
      // its messages cannot be handed over as bytes of the view.
      this.faulted(p, loc, new NetlinkDecodeError('nlmsghdr', loc.offset, 'datagram longer than its buffer'));
      return;
    }
    let msg: NetlinkMessage<M>;
    try {
      msg = decodeMessage(view, loc, this.family, this.le);
    } catch (e) {
      // A decoder throwing anything but NetlinkDecodeError has a bug: the request it
      // answers still fails with a typed error (the original is its cause).
      this.faulted(p, loc, e);
      return;
    }
    try {
      if (isAnswer(msg)) {
        this.pending.delete(loc.seq);
        this.epoch++;
        this.forget(p);
        p.answer(answerError(msg, p, this.names), msg.flags);
      } else {
        p.reply(msg as Reply<M>);
      }
    } catch (e) {
      this.faulted(p, loc, e);
    }
  }

  /** `p` failed while handling a message: it fails, typed, and the rest goes on. */
  private faulted(p: Pending<M>, loc: NlmsgLocation, e: unknown): void {
    const err =
      e instanceof NetlinkError
        ? e
        : new NetlinkDecodeError(
            controlTypeName(loc.type) ?? `message type ${loc.type}`,
            loc.offset,
            `unexpected ${e instanceof Error ? e.name : typeof e} while handling the reply (seq ${loc.seq})`,
            { cause: e },
          );
    if (!p.isDump) this.remove(p);
    p.fail(err);
  }
}
