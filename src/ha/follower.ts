/**
 * The standby's side of live HA: {@link HaFollower} connects to the publisher, applies each
 * record to its {@link HaJournal} (mirror in memory and on disk) and acknowledges it once it
 * is durable. It reconnects after any failure; every session starts from a full state.
 *
 * - Acks are group commits: records applied while an `fdatasync` runs are covered by the next
 *   one, so a fast stream costs one sync per batch, not per record. An ack therefore means
 *   "on disk": the publisher's lag is the standby's real lag.
 * - A record the mirror refuses (out of order, a gap, a malformed replay state) ends the
 *   session; the next one starts from a full state. A journal that cannot be written stops
 *   the follower (a mirror that is not on disk would be lost by a restart).
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { HaFileError } from './atomic-file.js';
import { type HaJournal } from './journal.js';
import { HaLinkError, type HaLink } from './link.js';
import { type HaMirrorSummary } from './mirror.js';
import { HaProtocolError, type HaResyncReason } from './records.js';

/** Options of {@link HaFollower}. @group Live HA */
export interface HaFollowerOptions {
  /** Open a new link session (e.g. `connectHaLink({...opts, session})`). */
  connect(session: number): Promise<HaLink>;
  /** First delay before reconnecting, in ms (default 200); doubled per failure. */
  retryMinMs?: number;
  /** Longest delay before reconnecting, in ms (default 5000). */
  retryMaxMs?: number;
  /** Stops {@link HaFollower.run} when aborted. */
  signal?: AbortSignal;
  /** Told of what happens: sessions, full states, refused records. */
  onEvent?: (e: HaFollowerEvent) => void;
}

/** Something the follower did or met, for logs and status lines. @group Live HA */
export type HaFollowerEvent =
  /** A session is open (authenticated). */
  | {
      /** Discriminant. */
      kind: 'connected';
      /** The link session number. */
      session: number;
    }
  /** Connecting failed; the next attempt is in `retryInMs`. */
  | {
      /** Discriminant. */
      kind: 'connect-failed';
      /** The link session number. */
      session: number;
      /** The error. */
      error: Error;
      /** Delay before the next attempt (ms). */
      retryInMs: number;
    }
  /** The session ended (`error` when it failed). */
  | {
      /** Discriminant. */
      kind: 'disconnected';
      /** The link session number. */
      session: number;
      /** The error. */
      error?: Error;
    }
  /** The publisher announced a full state. */
  | {
      /** Discriminant. */
      kind: 'resync';
      /** The link session number. */
      session: number;
      /** Why. */
      reason: HaResyncReason;
    }
  /** A full state was committed to the mirror. */
  | {
      /** Discriminant. */
      kind: 'full-state';
      /** The link session number. */
      session: number;
      /** SAs in it. */
      sas: number;
      /** Policies in it. */
      policies: number;
    }
  /** The mirror refused a record: the session is dropped and a new one asks for a full state. */
  | {
      /** Discriminant. */
      kind: 'refused';
      /** The link session number. */
      session: number;
      /** The error. */
      error: HaProtocolError;
    };

/** Where the follower stands. @group Live HA */
export interface HaFollowerStatus {
  /** Current (or last) session number, 0 before the first. */
  session: number;
  /** Whether a session is open. */
  connected: boolean;
  /** Records applied since the follower started. */
  recordsApplied: number;
  /** Highest seq acknowledged in the current session (-1 before the first ack). */
  ackedSeq: number;
  /** `Date.now()` of the last record applied. */
  lastRecordAt?: number;
  /** The mirror. */
  mirror: HaMirrorSummary;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Follows a publisher into a journal until stopped. @group Live HA */
export class HaFollower {
  readonly #journal: HaJournal;
  readonly #o: HaFollowerOptions;
  readonly #onEvent: (e: HaFollowerEvent) => void;
  #session = 0;
  #link: HaLink | undefined;
  #applied = 0;
  #ackedSeq = -1;
  #lastRecordAt: number | undefined;

  /** @param journal the journal (opened by the caller, who closes it). @param opts see {@link HaFollowerOptions}. */
  constructor(journal: HaJournal, opts: HaFollowerOptions) {
    this.#journal = journal;
    this.#o = opts;
    this.#onEvent = opts.onEvent ?? (() => {});
  }

  /** Where the follower stands. */
  status(): HaFollowerStatus {
    const s: HaFollowerStatus = {
      session: this.#session,
      connected: this.#link !== undefined,
      recordsApplied: this.#applied,
      ackedSeq: this.#ackedSeq,
      mirror: this.#journal.mirror.summary(),
    };
    if (this.#lastRecordAt !== undefined) s.lastRecordAt = this.#lastRecordAt;
    return s;
  }

  /**
   * Connect, follow, reconnect, until the signal aborts (then resolves after a last flush).
   * @throws {@link HaFileError} when the journal cannot be written (the follower stops).
   */
  async run(): Promise<void> {
    const min = this.#o.retryMinMs ?? 200;
    const max = this.#o.retryMaxMs ?? 5000;
    const signal = this.#o.signal;
    let delay = min;
    while (!signal?.aborted) {
      const session = ++this.#session;
      let link: HaLink;
      try {
        link = await this.#o.connect(session);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        this.#onEvent({ kind: 'connect-failed', session, error, retryInMs: delay });
        await sleep(delay, signal);
        delay = Math.min(max, delay * 2);
        continue;
      }
      if (signal?.aborted) {
        await link.close();
        break;
      }
      this.#onEvent({ kind: 'connected', session });
      const gotFullState = await this.#follow(link, session);
      if (gotFullState) delay = min;
      else if (!signal?.aborted) {
        await sleep(delay, signal);
        delay = Math.min(max, delay * 2);
      }
    }
    await this.#journal.flush();
  }

  /** One session; resolves with whether a full state was committed in it. */
  async #follow(link: HaLink, session: number): Promise<boolean> {
    this.#link = link;
    this.#ackedSeq = -1;
    let gotFull = false;
    let error: Error | undefined;
    let acking: Promise<void> | undefined;
    let ackError: Error | undefined;
    const onAbort = () => void link.close();
    this.#o.signal?.addEventListener('abort', onAbort, { once: true });
    // Group commit: one flush covers every record applied while the previous one ran.
    const ack = async (): Promise<void> => {
      while (this.#ackedSeq < this.#journal.mirror.lastSeq) {
        const upTo = this.#journal.mirror.lastSeq;
        await this.#journal.flush();
        await link.send({ kind: 'ack', seq: upTo });
        this.#ackedSeq = upTo;
      }
    };
    const kick = () => {
      if (acking) return;
      acking = ack()
        .catch((e: unknown) => {
          ackError = e instanceof Error ? e : new Error(String(e));
          if (ackError instanceof HaFileError) void link.close();
        })
        .finally(() => {
          acking = undefined;
          if (!ackError && this.#ackedSeq < this.#journal.mirror.lastSeq) kick();
        });
    };
    try {
      for await (const m of link) {
        if (m.kind !== 'record') throw new HaProtocolError('link', 'a standby receives records only');
        const r = m.record;
        try {
          this.#journal.apply(r);
        } catch (e) {
          if (e instanceof HaProtocolError) {
            this.#onEvent({ kind: 'refused', session, error: e });
            break;
          }
          throw e;
        }
        this.#applied++;
        this.#lastRecordAt = Date.now();
        if (r.type === 'resync') this.#onEvent({ kind: 'resync', session, reason: r.reason });
        if (r.type === 'full-end') {
          gotFull = true;
          this.#onEvent({ kind: 'full-state', session, sas: r.sas, policies: r.policies });
        }
        kick();
      }
    } catch (e) {
      if (e instanceof HaFileError) {
        await link.close();
        throw e;
      }
      error = e instanceof Error ? e : new Error(String(e));
    } finally {
      this.#o.signal?.removeEventListener('abort', onAbort);
    }
    await link.close();
    while (acking) await acking;
    this.#link = undefined;
    if (ackError instanceof HaFileError) throw ackError;
    const closedWith = error ?? (await link.closed) ?? (ackError instanceof NetlinkError && !(ackError instanceof HaLinkError) ? ackError : undefined);
    this.#onEvent(closedWith ? { kind: 'disconnected', session, error: closedWith } : { kind: 'disconnected', session });
    return gotFull;
  }
}
