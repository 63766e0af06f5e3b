/**
 * One standby's session on the active node (see `publisher.ts`): the link, the records waiting
 * for it in order, and the pending counters by SA so that a newer value replaces a waiting one
 * in place. The publisher decides what goes in the queue; this file numbers and sends it.
 * @module
 */
import { type HaLink } from './link.js';
import { type HaRecord } from './records.js';

/** A record before the session numbers it. */
export type Body = HaRecord extends infer R ? (R extends HaRecord ? Omit<R, 'seq' | 'epoch'> : never) : never;
/** A queued record; counters carry their SA's key so a newer value replaces them in place. */
export interface Pending {
  body: Body;
  key?: string;
}

/** What a session needs from its publisher. */
export interface SessionHost {
  /** The run's epoch: every record carries it. */
  readonly epoch: string;
  /** Records other than counters the session may have waiting (the backlog bound). */
  backlogBound(): number;
  /** The bound was passed: drop the queue and queue a full state (`resync` `'backlog'`). */
  overflow(s: Session): void;
  /** A record numbered `seq` left: a later session starts above it. */
  numbered(seq: number): void;
}

/** Records a session hands to its link in one turn of the event loop. */
const PUMP_BATCH = 1024;

/** A session: the link, its queue (in order) and the index of pending counters by SA. */
export class Session {
  readonly queue: (Pending | undefined)[] = [];
  head = 0;
  readonly counters = new Map<string, Pending>();
  structural = 0;
  seq: number;
  sent = 0;
  pumping = false;
  ended = false;
  /** A full state is being queued: its own records never trip the backlog bound. */
  filling = false;
  constructor(
    readonly link: HaLink,
    firstSeq: number,
    readonly startedAt: number,
    private readonly host: SessionHost,
  ) {
    this.seq = firstSeq - 1;
  }
  get backlog(): number {
    return this.queue.length - this.head;
  }
  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    this.counters.clear();
    this.structural = 0;
  }

  /** Queue a record (and start sending); past the backlog bound the host restarts the session. */
  push(p: Pending): void {
    if (this.ended) return;
    this.queue.push(p);
    if (p.key === undefined) this.structural++;
    if (!this.filling && this.structural > this.host.backlogBound()) {
      this.host.overflow(this);
      return;
    }
    if (!this.pumping) void this.pump();
  }

  /** Queue an SA's counters, replacing a value still waiting. */
  pushCounters(key: string, body: Body): void {
    const waiting = this.counters.get(key);
    if (waiting) waiting.body = body;
    else {
      const p: Pending = { body, key };
      this.counters.set(key, p);
      this.push(p);
    }
  }

  /**
   * Send the queue in order, numbering each record as it goes out. Everything waiting (up to
   * {@link PUMP_BATCH} records) is handed to the link in one turn and awaited together: one
   * record per turn of the event loop would cap the stream at the loop's rate, which an aevent
   * storm slows to a few turns a second (measured by bench:ha under UML).
   */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.ended && this.head < this.queue.length) {
        const sends: Promise<void>[] = [];
        while (!this.ended && this.head < this.queue.length && sends.length < PUMP_BATCH) {
          const p = this.queue[this.head]!;
          this.queue[this.head++] = undefined;
          if (p.key !== undefined) this.counters.delete(p.key);
          else this.structural = Math.max(0, this.structural - 1);
          this.seq++;
          this.host.numbered(this.seq);
          const record = { ...p.body, seq: this.seq, epoch: this.host.epoch } as HaRecord;
          sends.push(this.link.send({ kind: 'record', record }));
        }
        if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        await Promise.all(sends);
        this.sent += sends.length;
      }
    } catch {
      // The link failed: its `closed` ends the session (attach's reader).
      this.ended = true;
      this.clear();
    } finally {
      this.pumping = false;
    }
  }
}
