/**
 * The active node's side of live HA: {@link HaPublisher} keeps a model of the node's SAs,
 * policies and counters, fed by the kernel's own notifications, and streams it to standbys.
 *
 * - It subscribes to the `sa`, `policy`, `expire` and `aevents` groups **before** it dumps, so
 *   nothing falls between the dump and the events (an event already in the dump is applied
 *   again, harmlessly: every record is idempotent on the standby).
 * - It sets the async-event thresholds (`XFRMA_REPLAY_THRESH`, `XFRMA_ETIMER_THRESH`, by
 *   NEWAE) on every SA it mirrors, SAs that appear later included, so the kernel reports each
 *   SA's counters at least every `replayThresh` packets (and on the timer after a change).
 *   The NEWAE itself makes the kernel report the counters at once (`XFRM_AE_CU`).
 * - Each link session starts with a full state from the model, then gets the changes in order.
 *   Counter updates coalesce per SA while they wait, so a slow standby costs one pending
 *   record per SA; if other records pile up past a bound the session's queue is dropped and it
 *   restarts from a full state (`resync` `'backlog'`): memory stays bounded.
 * - On a subscription overrun (events lost) it says so in every stream (`resync` `'overrun'`),
 *   dumps again and sends a new full state.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { NetlinkError } from '../netlink/errors.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP } from '../xfrm/constants.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { type XfrmClient } from '../client/client.js';
import { type XfrmEventStream } from '../client/event-stream.js';
import { type XfrmEvent } from '../client/events.js';
import { larvalReason } from '../client/ha.js';
import { hzFromReport, HZ_PROBE_JIFFIES } from '../client/kernel-facts.js';
import { type XfrmState } from '../client/state.js';
import { haLinkLag, type HaLink, type HaLinkLag } from './link.js';
import { Session, type Body, type SessionHost } from './publisher-session.js';
import { haPolicyKey, haSaKey, MirrorState, type HaMirrorSa } from './mirror.js';
import { haPolicyIdOf, haSaIdOf, isHaEpoch, type HaPolicyId, type HaResyncReason, type HaSaId } from './records.js';

/** Default replay threshold (packets): the kernel reports an SA's counters at least this often. @group Live HA */
export const HA_DEFAULT_REPLAY_THRESH = 256;
/** Default timer threshold (ms): after a change, the counters are reported within this time. @group Live HA */
export const HA_DEFAULT_TIMER_THRESH_MS = 1000;
/** Default receive buffer of the publisher's subscription (bytes; forced as root). */
export const HA_DEFAULT_RCVBUF = 8 * 1024 * 1024;

/** Options of {@link HaPublisher.start}. @group Live HA */
export interface HaPublisherOptions {
  /** Replay threshold set on every SA, in packets (1 to 2^32−1; default {@link HA_DEFAULT_REPLAY_THRESH}). */
  replayThresh?: number;
  /**
   * Timer threshold set on every SA, in ms (1 to 3 600 000; default
   * {@link HA_DEFAULT_TIMER_THRESH_MS}). Not 0: an SA whose replay timer once fired with
   * nothing new keeps a "deferred" flag that only re-arming the timer clears, so without a
   * timer the kernel reports every packet (measured on 6.1: one aevent per packet).
   */
  timerThreshMs?: number;
  /** Receive buffer of the subscription in bytes (default {@link HA_DEFAULT_RCVBUF}). */
  rcvbuf?: number;
  /** The run's epoch (default: random). 1–64 characters `[A-Za-z0-9._:-]`. */
  epoch?: string;
  /**
   * Records other than counters a session may have waiting before its queue is dropped and
   * it restarts from a full state (default 4096, raised to twice the model's size).
   */
  maxBacklog?: number;
  /** Told of what happens: sessions, resyncs, thresholds that could not be set. */
  onEvent?: (e: HaPublisherEvent) => void;
  /** Clock (ms since the epoch) for `syncedAt` and `takenAt`; default `Date.now`. */
  now?: () => number;
}

/** Something the publisher did or met, for logs and status lines. @group Live HA */
export type HaPublisherEvent =
  /** A session began: a full state is queued for it. */
  | {
      /** Discriminant. */
      kind: 'session-start';
      /** The link session number. */
      session: number;
    }
  /** A session ended (`error` when it failed). */
  | {
      /** Discriminant. */
      kind: 'session-end';
      /** The link session number. */
      session: number;
      /** The error. */
      error?: Error;
    }
  /** A full state was queued: why, and its size. `session` when only one session restarted. */
  | {
      /** Discriminant. */
      kind: 'resync';
      /** Why. */
      reason: HaResyncReason;
      /** SAs in it. */
      sas: number;
      /** Policies in it. */
      policies: number;
      /** The link session number. */
      session?: number;
    }
  /** The thresholds could not be set on an SA (it stays mirrored, with the thresholds unknown). */
  | {
      /** Discriminant. */
      kind: 'threshold-error';
      /** The SA. */
      id: HaSaId;
      /** The error. */
      error: Error;
    }
  /** The subscription failed: the publisher stopped (see {@link HaPublisher.closed}). */
  | {
      /** Discriminant. */
      kind: 'error';
      /** The error. */
      error: Error;
    };

/** One session as the publisher sees it. @group Live HA */
export interface HaPublisherSessionStats {
  /** The link's session number. */
  session: number;
  /** Records waiting to be sent (counters coalesced per SA). */
  backlog: number;
  /** Records sent. */
  recordsSent: number;
  /** The standby's lag: records sent and not acknowledged, and ms since the last ack. */
  lag: HaLinkLag;
}

/** Counters of a publisher. @group Live HA */
export interface HaPublisherStats {
  /** The run's epoch. */
  epoch: string;
  /** SAs in the model. */
  sas: number;
  /** Policies in the model. */
  policies: number;
  /** Events read from the subscription. */
  events: number;
  /** Subscription overruns (each followed by a new dump). */
  overruns: number;
  /** Full states queued, per reason. */
  resyncs: Record<HaResyncReason, number>;
  /** SAs whose thresholds were set (NEWAE). */
  thresholdsSet: number;
  /** SAs whose thresholds could not be set. */
  thresholdErrors: number;
  /** Kernel HZ, once measured (needed to write the timer threshold). */
  hz?: number;
  /** The open sessions. */
  sessions: HaPublisherSessionStats[];
}

const MIRRORED_PROTOS = new Set([IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP]);
const IPSEC_PROTO_ANY = 255;

function positiveU32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new NetlinkError(`${what}: expected an integer from 1 to 4294967295, got ${String(v)}`);
  return v;
}

/**
 * The publisher. Start it with {@link HaPublisher.start}, give it each link session with
 * {@link attach} (or a whole `listenHaLink` server with {@link serve}), stop it with
 * {@link close}.
 * @group Live HA
 */
export class HaPublisher {
  /** The run's epoch: every record of this run carries it. */
  readonly epoch: string;
  /** Resolves when the publisher stopped: undefined after {@link close}, the error if the subscription failed. */
  readonly closed: Promise<Error | undefined>;
  readonly #client: XfrmClient;
  readonly #replayThresh: number;
  readonly #timerMs: number;
  /** The timer threshold as GETAE reports it (100 ms units): exact once HZ is known. */
  #timerUnits: number;
  readonly #rcvbuf: number;
  readonly #maxBacklog: number;
  readonly #onEvent: (e: HaPublisherEvent) => void;
  readonly #now: () => number;
  #events: XfrmEventStream | undefined;
  #model = new MirrorState();
  #sessions = new Set<Session>();
  /** What the sessions ask of the publisher. */
  readonly #host: SessionHost;
  #seqHigh = 0;
  #hz: number | undefined;
  #threshQueue = new Map<string, HaSaId>();
  #threshRunning = false;
  #closing = false;
  #resolveClosed!: (e: Error | undefined) => void;
  #started = false;
  #stats = { events: 0, overruns: 0, thresholdsSet: 0, thresholdErrors: 0, resyncs: { overrun: 0, start: 0, reconnect: 0, backlog: 0 } as Record<HaResyncReason, number> };

  private constructor(client: XfrmClient, o: HaPublisherOptions) {
    this.#client = client;
    this.#replayThresh = positiveU32(o.replayThresh ?? HA_DEFAULT_REPLAY_THRESH, 'replayThresh');
    const ms = o.timerThreshMs ?? HA_DEFAULT_TIMER_THRESH_MS;
    if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) {
      throw new NetlinkError(`timerThreshMs: expected an integer from 1 to 3600000 (0 would make the kernel report every packet), got ${String(ms)}`);
    }
    this.#timerMs = ms;
    this.#timerUnits = Math.round(ms / 100);
    this.#rcvbuf = o.rcvbuf ?? HA_DEFAULT_RCVBUF;
    this.#maxBacklog = o.maxBacklog ?? 4096;
    this.#onEvent = o.onEvent ?? (() => {});
    this.#now = o.now ?? Date.now;
    this.epoch = o.epoch ?? `${this.#now().toString(36)}-${randomBytes(6).toString('hex')}`;
    if (!isHaEpoch(this.epoch)) throw new NetlinkError('epoch: 1-64 characters [A-Za-z0-9._:-]');
    this.#host = {
      epoch: this.epoch,
      backlogBound: () => Math.max(this.#maxBacklog, 2 * (this.#model.sas.size + this.#model.policies.size)),
      overflow: (session) => this.#queueFullState(session, 'backlog'),
      numbered: (seq) => {
        if (seq > this.#seqHigh) this.#seqHigh = seq;
      },
    };
    this.closed = new Promise((r) => (this.#resolveClosed = r));
  }

  /** `util.inspect` shows counters only: the model holds keys. */
  [INSPECT_CUSTOM](): string {
    return `HaPublisher { epoch: ${this.epoch}, sas: ${this.#model.sas.size}, policies: ${this.#model.policies.size}, sessions: ${this.#sessions.size} }`;
  }

  /**
   * Subscribe, dump the SAD and SPD into the model, queue the thresholds, and start following
   * the events. Resolves once the model is loaded.
   * @throws {@link NetlinkError} for bad options, or when the subscription or the dumps fail.
   */
  static async start(client: XfrmClient, opts: HaPublisherOptions = {}): Promise<HaPublisher> {
    const p = new HaPublisher(client, opts);
    // Subscribe first: an SA added during the dump is then both in the dump and in an event.
    p.#events = client.events(['sa', 'policy', 'expire', 'aevents'], { rcvbuf: p.#rcvbuf });
    try {
      await p.#load();
    } catch (e) {
      p.#events.close();
      throw e;
    }
    void p.#run();
    return p;
  }

  /** Serve every session a `listenHaLink` server announces (its `'session'` event). */
  serve(server: { on(event: 'session', listener: (link: HaLink) => void): unknown }): void {
    server.on('session', (link: HaLink) => this.attach(link));
  }

  /**
   * Serve one link session: a full state, then the changes, until the link closes. The acks
   * the standby sends are read here (they feed the lag in {@link stats}).
   */
  attach(link: HaLink): void {
    if (this.#closing) {
      void link.close();
      return;
    }
    const s = new Session(link, this.#seqHigh + 1, this.#now(), this.#host);
    this.#sessions.add(s);
    this.#onEvent({ kind: 'session-start', session: link.session });
    const reason: HaResyncReason = this.#started ? 'reconnect' : 'start';
    this.#started = true;
    this.#queueFullState(s, reason);
    void (async () => {
      let error: Error | undefined;
      try {
        // Acks are counted by the link itself; anything else from a standby is a protocol error there.
        for await (const _m of link) void _m;
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      const closedWith = await link.closed;
      s.ended = true;
      s.clear();
      this.#sessions.delete(s);
      const err = error ?? closedWith;
      this.#onEvent(err ? { kind: 'session-end', session: link.session, error: err } : { kind: 'session-end', session: link.session });
    })();
  }

  /** Counters, the model's size and each session's lag. */
  stats(): HaPublisherStats {
    const now = Date.now();
    const st: HaPublisherStats = {
      epoch: this.epoch,
      sas: this.#model.sas.size,
      policies: this.#model.policies.size,
      events: this.#stats.events,
      overruns: this.#stats.overruns,
      resyncs: { ...this.#stats.resyncs },
      thresholdsSet: this.#stats.thresholdsSet,
      thresholdErrors: this.#stats.thresholdErrors,
      sessions: [...this.#sessions].map((s) => ({ session: s.link.session, backlog: s.backlog, recordsSent: s.sent, lag: haLinkLag(s.link.stats(), s.startedAt, now) })),
    };
    if (this.#hz !== undefined) st.hz = this.#hz;
    return st;
  }

  /** The SAs of the model (what a standby receives), keys included. */
  sas(): HaMirrorSa[] {
    return [...this.#model.sas.values()];
  }

  /** Stop: close the subscription and every attached session. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return this.closed.then(() => undefined);
    this.#closing = true;
    this.#events?.close();
    await Promise.all([...this.#sessions].map((s) => s.link.close()));
    this.#resolveClosed(undefined);
  }

  // ---- the model -----------------------------------------------------------------------

  /** Dump the SAD and SPD into a new model and read each SA's thresholds. */
  async #load(): Promise<void> {
    const m = new MirrorState();
    const now = this.#now();
    const list: XfrmState[] = [];
    for await (const sa of this.#client.listStates()) if (MIRRORED_PROTOS.has(sa.proto)) list.push(sa);
    for await (const p of this.#client.listPolicies()) m.putPolicy(p);
    const valid = list.filter((sa) => larvalReason(sa) === undefined);
    const aes = await this.#client.getReplayStates(valid.map(saIdFor), { thresholds: true });
    const known = new Map<string, { r?: number; e?: number }>();
    valid.forEach((sa, i) => {
      const ae = aes[i];
      if (ae && !(ae instanceof Error)) known.set(haSaKey(haSaIdOf(sa)), { ...(ae.replayThresh !== undefined ? { r: ae.replayThresh } : {}), ...(ae.etimerThresh !== undefined ? { e: ae.etimerThresh } : {}) });
    });
    for (const sa of list) {
      const id = haSaIdOf(sa);
      const k = haSaKey(id);
      const e: HaMirrorSa = { id, sa, syncedAt: now };
      const t = known.get(k);
      if (t && t.r === this.#replayThresh && t.e === this.#timerUnits) {
        e.replayThresh = t.r;
        e.etimerThresh = t.e;
      } else if (larvalReason(sa) === undefined) this.#threshQueue.set(k, id);
      m.sas.set(k, e);
    }
    this.#model = m;
    this.#kickThresholds();
  }

  /** Queue a full state of the model on a session (dropping what it had waiting). */
  #queueFullState(s: Session, reason: HaResyncReason): void {
    s.clear();
    this.#stats.resyncs[reason]++;
    const sas = [...this.#model.sas.values()];
    const policies = [...this.#model.policies.values()];
    let takenAt = this.#now();
    for (const e of sas) if (e.syncedAt !== undefined && e.syncedAt < takenAt) takenAt = e.syncedAt;
    s.filling = true;
    s.push({ body: { type: 'resync', reason } });
    s.push({ body: { type: 'full-begin', takenAt } });
    for (const e of sas) s.push({ body: { type: 'full-sa', sa: e.sa, ...thresholdsOf(e) } });
    for (const p of policies) s.push({ body: { type: 'full-policy', policy: p } });
    s.push({ body: { type: 'full-end', sas: sas.length, policies: policies.length } });
    // A full state is not backlog: only what piles up after it counts.
    s.structural = 0;
    s.filling = false;
    this.#onEvent({ kind: 'resync', reason, sas: sas.length, policies: policies.length, session: s.link.session });
  }

  #broadcast(body: Body): void {
    for (const s of this.#sessions) s.push({ body });
  }

  // ---- events --------------------------------------------------------------------------

  async #run(): Promise<void> {
    const events = this.#events!;
    try {
      for (;;) {
        const r = await events.next();
        if (r.done) break;
        this.#stats.events++;
        if (r.value.kind === 'overrun') {
          this.#stats.overruns++;
          await this.#resync();
        } else this.#apply(r.value);
      }
      this.#resolveClosed(undefined);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (!this.#closing) this.#onEvent({ kind: 'error', error });
      this.#closing = true;
      await Promise.all([...this.#sessions].map((s) => s.link.close()));
      this.#resolveClosed(error);
    }
  }

  /** Events were lost: tell every standby, dump again, send the new full state. */
  async #resync(): Promise<void> {
    // Say it at once: a standby must not believe the stream complete while the dump runs.
    for (const s of this.#sessions) {
      s.clear();
      s.push({ body: { type: 'resync', reason: 'overrun' } });
    }
    await this.#load();
    for (const s of this.#sessions) this.#queueFullState(s, 'overrun');
  }

  #apply(ev: XfrmEvent): void {
    switch (ev.kind) {
      case 'newsa':
      case 'updsa':
        return this.#putSa(ev.state);
      case 'delsa':
        return this.#deleteSa(ev.state ? haSaIdOf(ev.state) : { daddr: ev.id.daddr, spi: ev.id.spi, proto: ev.id.proto }, ev.state === undefined);
      case 'expire':
        if (ev.hard) this.#deleteSa(haSaIdOf(ev.state), false);
        return;
      case 'flushsa':
        for (const e of [...this.#model.sas.values()]) {
          if (ev.proto === IPSEC_PROTO_ANY ? MIRRORED_PROTOS.has(e.id.proto) : e.id.proto === ev.proto) this.#deleteSa(e.id, false);
        }
        return;
      case 'newpolicy':
      case 'updpolicy': {
        const had = this.#model.policies.has(haPolicyKey(ev.policy));
        this.#model.putPolicy(ev.policy);
        this.#broadcast({ type: had ? 'policy-update' : 'policy-add', policy: ev.policy });
        return;
      }
      case 'delpolicy': {
        const id: HaPolicyId = ev.policy ? haPolicyIdOf(ev.policy) : ev.id.index ? { dir: ev.id.dir, index: ev.id.index } : { dir: ev.id.dir, selector: ev.id.sel };
        this.#model.deletePolicy(id);
        this.#broadcast({ type: 'policy-delete', id });
        return;
      }
      case 'polexpire':
        if (ev.hard) {
          const id = haPolicyIdOf(ev.policy);
          this.#model.deletePolicy(id);
          this.#broadcast({ type: 'policy-delete', id });
        }
        return;
      case 'flushpolicy': {
        const type = policyTypeOf(ev.message.attrs as readonly XfrmAttribute[]);
        for (const p of [...this.#model.policies.values()]) {
          if ((p.type ?? 0) !== type) continue;
          const id = haPolicyIdOf(p);
          this.#model.deletePolicy(id);
          this.#broadcast({ type: 'policy-delete', id });
        }
        return;
      }
      case 'aevent': {
        const id: HaSaId = { daddr: ev.id.saId.daddr, spi: ev.id.saId.spi, proto: ev.id.saId.proto, ...(ev.ae.mark ? { mark: ev.ae.mark } : {}) };
        const k = haSaKey(id);
        const e = this.#model.sas.get(k);
        if (!e || !ev.ae.current) return;
        // The kernel always reports one replay state; without one (and none known) the record
        // would be malformed, so the event is only kept in the model.
        const replayEsn = ev.ae.replayEsn ?? (ev.ae.replay ? undefined : e.sa.replayEsn);
        const replay = replayEsn ? undefined : (ev.ae.replay ?? e.sa.replay);
        const syncedAt = this.#now();
        const sa: XfrmState = { ...e.sa, current: ev.ae.current };
        if (replayEsn) sa.replayEsn = replayEsn;
        else if (replay) sa.replay = replay;
        const next: HaMirrorSa = { ...e, sa, syncedAt };
        this.#model.sas.set(k, next);
        if (!replayEsn && !replay) return;
        const body: Body = {
          type: 'counters',
          id: e.id,
          ...(replayEsn ? { replayEsn } : { replay: replay! }),
          current: ev.ae.current,
          // 0: not known (the plan then refuses the SA without force).
          replayThresh: e.replayThresh ?? 0,
          etimerThresh: e.etimerThresh ?? 0,
          syncedAt,
        };
        // Replaces the SA's counters still waiting on a session.
        for (const s of this.#sessions) s.pushCounters(k, body);
        return;
      }
      default:
        return;
    }
  }

  #putSa(sa: XfrmState): void {
    if (!MIRRORED_PROTOS.has(sa.proto)) return;
    const id = haSaIdOf(sa);
    const k = haSaKey(id);
    const old = this.#model.sas.get(k);
    const e: HaMirrorSa = { id, sa, syncedAt: this.#now() };
    if (old?.replayThresh !== undefined) e.replayThresh = old.replayThresh;
    if (old?.etimerThresh !== undefined) e.etimerThresh = old.etimerThresh;
    this.#model.sas.set(k, e);
    this.#broadcast({ type: old ? 'sa-update' : 'sa-add', sa, ...thresholdsOf(e) });
    // UPDSA of a larval SA makes it valid; a new SA gets the thresholds (and reports its counters).
    if (larvalReason(sa) === undefined && (e.replayThresh !== this.#replayThresh || e.etimerThresh !== this.#timerUnits)) {
      this.#threshQueue.set(k, id);
      this.#kickThresholds();
    }
  }

  /** Delete an SA from the model; `anyMark`: the event did not say the mark, so match without it when unique. */
  #deleteSa(id: HaSaId, anyMark: boolean): void {
    let k = haSaKey(id);
    if (!this.#model.sas.has(k) && anyMark) {
      const same = [...this.#model.sas.entries()].filter(([, e]) => e.id.daddr === id.daddr && e.id.spi === id.spi && e.id.proto === id.proto);
      if (same.length === 1) k = same[0]![0];
    }
    const e = this.#model.sas.get(k);
    if (!e) return;
    this.#model.sas.delete(k);
    this.#threshQueue.delete(k);
    for (const s of this.#sessions) s.counters.delete(k);
    this.#broadcast({ type: 'sa-delete', id: e.id });
  }

  // ---- thresholds ----------------------------------------------------------------------

  #kickThresholds(): void {
    if (this.#threshRunning || this.#threshQueue.size === 0 || this.#closing) return;
    this.#threshRunning = true;
    void this.#setThresholds().finally(() => {
      this.#threshRunning = false;
      if (this.#threshQueue.size > 0 && !this.#closing) this.#kickThresholds();
    });
  }

  /**
   * Set the thresholds on each queued SA (NEWAE). The model is told first: the aevent the
   * NEWAE triggers may be read before the NEWAE's ACK, and must carry the new thresholds.
   */
  async #setThresholds(): Promise<void> {
    while (this.#threshQueue.size > 0 && !this.#closing) {
      const [k, id] = this.#threshQueue.entries().next().value as [string, HaSaId];
      this.#threshQueue.delete(k);
      const e = this.#model.sas.get(k);
      if (!e) continue;
      const before = { r: e.replayThresh, e: e.etimerThresh };
      e.replayThresh = this.#replayThresh;
      e.etimerThresh = this.#timerUnits;
      const saId = { ...saIdFor(e.sa) };
      try {
        if (this.#hz === undefined) {
          // XFRMA_ETIMER_THRESH is written in jiffies and read in 100 ms units: learn HZ once.
          await this.#client.setReplayState(saId, { replayThresh: this.#replayThresh, etimerThresh: HZ_PROBE_JIFFIES });
          this.#hz = hzFromReport(await this.#client.getReplayState(saId, { thresholds: true }));
        }
        const jiffies = Math.max(1, Math.round((this.#timerMs * this.#hz!) / 1000));
        // What GETAE will report (jiffies × 10 / HZ, rounded down), so later comparisons match.
        this.#timerUnits = Math.floor((jiffies * 10) / this.#hz!);
        e.etimerThresh = this.#timerUnits;
        await this.#client.setReplayState(saId, { replayThresh: this.#replayThresh, etimerThresh: jiffies });
        this.#stats.thresholdsSet++;
      } catch (err) {
        const cur = this.#model.sas.get(k);
        if (cur === e) {
          if (before.r === undefined) delete e.replayThresh;
          else e.replayThresh = before.r;
          if (before.e === undefined) delete e.etimerThresh;
          else e.etimerThresh = before.e;
        }
        // Deleted meanwhile (ESRCH): not an error worth telling.
        if (!this.#model.sas.has(k)) continue;
        this.#stats.thresholdErrors++;
        this.#onEvent({ kind: 'threshold-error', id, error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
  }
}

function thresholdsOf(e: HaMirrorSa): { replayThresh?: number; etimerThresh?: number } {
  return { ...(e.replayThresh !== undefined ? { replayThresh: e.replayThresh } : {}), ...(e.etimerThresh !== undefined ? { etimerThresh: e.etimerThresh } : {}) };
}

function saIdFor(sa: XfrmState): { daddr: string; spi: number; proto: number; saddr: string; mark?: { v: number; m: number } } {
  return { daddr: sa.daddr, spi: sa.spi, proto: sa.proto, saddr: sa.saddr, ...(sa.mark ? { mark: sa.mark } : {}) };
}

function policyTypeOf(attrs: readonly XfrmAttribute[]): number {
  for (const a of attrs) if (a.type === 'XFRMA_POLICY_TYPE') return (a.value as { type: number }).type;
  return 0;
}

