/**
 * {@link XfrmClient}: the high-level API an IKE daemon or a failover tool uses. Every kernel
 * XFRM operation as a typed method over one {@link NetlinkSocket}, plus typed events. The
 * messages come from the pure builders of `requests.ts`; this file only sends them and turns
 * the replies into models.
 * @module
 */
import { NetlinkEncodeError, NetlinkError } from '../netlink/errors.js';
import { type BatchEntryWriter, type BatchFailure, NetlinkSocket, type BatchResult, type CallOptions } from '../socket/netlink-socket.js';
import { subscribe } from '../socket/subscription.js';
import { type NetlinkTransport } from '../socket/transport.js';
import { type Reply } from '../socket/types.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { AF_INET, AF_INET6, IPSEC_PROTO_ANY, XFRM_MSG_NEWPOLICY, XFRM_MSG_NEWSA, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';
import { xfrmFamily, type XfrmMessage } from '../xfrm/family.js';
import { type XfrmUserMigrateState } from '../xfrm/structs/user-migrate-state.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import { type XfrmuSpdhthresh } from '../xfrm/structs/spdhthresh.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { aeFromMessage, checkAeKind, mergeReplayState, type XfrmAeState, type XfrmAeUpdate, XfrmLarvalStateError, XfrmReplayKindError, type XfrmReplayStateChange } from './ae.js';
import { withXfrmHint, type XfrmHintContext } from './hints.js';
import { HintedDump } from './list.js';
import { larvalReason } from './snapshot.js';
import { XFRM_EVENT_GROUPS, type XfrmEventGroup } from './events.js';
import { XfrmEventStream } from './event-stream.js';
import { policyFromMessage, type MigrateInput, type XfrmPolicy, type XfrmPolicyId, type XfrmPolicyInput, type XfrmSpdInfo } from './policy.js';
import * as rq from './requests.js';
import { makeStateView, type XfrmStateView } from './state-view.js';
import { makePolicyView, ViewDumpHandler, type XfrmPolicyView } from './views.js';
import { type AllocSpiInput, type XfrmSadInfo, type XfrmSaId, type XfrmStateFilter } from './sa-id.js';
import { SA_NEWER_FIELDS } from './sa-fields.js';
import { stateFromMessage, type XfrmState, type XfrmStateInput } from './state.js';
import { checkArrayArg, checkCallOptions, checkClientOptions, checkEventArgs } from './validate-args.js';

// The id and input types used to live here; they now sit beside their models.
export type { AllocSpiInput, XfrmPrefix, XfrmSadInfo, XfrmSaId, XfrmStateFilter } from './sa-id.js';
export type { MigrateInput, XfrmPolicyId, XfrmPolicyIdBase, XfrmPolicyIndexId, XfrmPolicySelectorId, XfrmSpdInfo } from './policy.js';

/** Options of {@link XfrmClient.open}. @group Client */
export interface XfrmClientOptions {
  /** Network namespace: a name under `/run/netns` or a path such as `/proc/<pid>/ns/net`. */
  netns?: string;
  /** Default timeout of every call in ms (default 30 000). */
  timeoutMs?: number;
  /** Receive buffer of the request socket (bytes). */
  rcvbuf?: number;
  /** Use this transport instead of a native socket (tests: `netlink-xfrm/testing`). */
  transport?: NetlinkTransport;
  /** Transport factory for event subscriptions (tests); default: native sockets. */
  eventTransport?: () => NetlinkTransport;
}

/** @internal The attributes newer kernels added; older kernels ACK them and silently ignore them (also what restore --replace checks). */
export const NEWER_SA_FIELDS = SA_NEWER_FIELDS;

/** An SA was accepted but the kernel ignored fields it does not know (read back after the write). @group Errors */
export class XfrmUnsupportedError extends NetlinkError {
  /** The SA fields the kernel dropped, e.g. `['dir']`. */
  readonly fields: string[];
  /** @param fields dropped fields. @param what the operation. */
  constructor(fields: string[], what: string) {
    super(`${what}: this kernel silently ignored ${fields.join(', ')} (not supported by its XFRM version)`);
    this.name = 'XfrmUnsupportedError';
    this.fields = fields;
  }
}

/** Per-call options of the bulk methods. @group Client */
export interface BulkOptions extends CallOptions {
  /** Bytes per `sendmsg` (16384–262144; default the socket's). */
  chunkSize?: number;
}

/**
 * A connection to the kernel's XFRM subsystem.
 *
 * Needs `CAP_NET_ADMIN` in the network namespace it works in (every XFRM request does, even
 * reads). One client multiplexes any number of concurrent calls over one socket; dumps are
 * serialised.
 *
 * Every method checks its arguments before anything is sent: a field of the wrong type or
 * range, or a contradiction the kernel would install as garbage (addresses of another
 * family than the SA's, selector's or template's; SPI 0 on a new ESP/AH/IPComp SA), throws
 * {@link NetlinkEncodeError} whose `what` is the field's path (`state.aead.key`,
 * `policy.templates[1].saddr`) and whose message never shows the value. Bulk methods report
 * such an entry in its own result and go on with the others.
 *
 * Replay state: the kernel keeps it in an SA's async-event record, the "AE"
 * ({@link XfrmAeState}: replay state, lifetime counters, thresholds), read with
 * {@link getReplayState}, written whole with {@link setReplayState} or changed word by word
 * with {@link updateReplayState}.
 *
 * @example
 * ```ts
 * const xfrm = XfrmClient.open({ netns: 'blue' });
 * await xfrm.addState({
 *   saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 1,
 *   aead: { name: 'rfc4106(gcm(aes))', key: keyBytes, icvLen: 128 },
 * });
 * const ae = await xfrm.getReplayState({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP });
 * xfrm.close();
 * ```
 * @group Client
 */
export class XfrmClient {
  /** The request socket. */
  readonly socket: NetlinkSocket<XfrmMessage>;
  private readonly opts: XfrmClientOptions;

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `XfrmClient { socket: ${this.socket[INSPECT_CUSTOM]()} }`;
  }

  private constructor(socket: NetlinkSocket<XfrmMessage>, opts: XfrmClientOptions) {
    this.socket = socket;
    this.opts = opts;
  }

  /**
   * Open a client.
   * @throws {@link NetlinkSocketError} (EPERM: CAP_NET_ADMIN needed; ENOENT: no such netns) or
   *   `NetlinkShimUnavailableError` where the native shim cannot load.
   */
  static open(opts: XfrmClientOptions = {}): XfrmClient {
    checkClientOptions(opts);
    const socket = NetlinkSocket.open<XfrmMessage>({
      family: xfrmFamily,
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.rcvbuf !== undefined ? { rcvbuf: opts.rcvbuf } : {}),
      ...(opts.transport !== undefined ? { transport: opts.transport } : {}),
    });
    return new XfrmClient(socket, opts);
  }

  /** Close the socket; pending calls reject with `NetlinkProtocolError('closed')`. */
  close(): void {
    this.socket.close();
  }

  /** What a hint may say about this client's calls; `state`: the SA a request writes. */
  private hintContext(state?: XfrmHintContext['state']): XfrmHintContext {
    return { ...(this.opts.netns !== undefined ? { netns: this.opts.netns } : {}), ...(state ? { state } : {}) };
  }

  /** Send `msg`; a kernel error gets its hint ({@link NetlinkKernelError.hint}). */
  private async request(msg: rq.XfrmRequest, opts: CallOptions | undefined, state?: XfrmHintContext['state']) {
    try {
      return await this.socket.request(msg, opts);
    } catch (e) {
      throw withXfrmHint(e, this.hintContext(state));
    }
  }

  /**
   * Send `count` requests as a batch, entry `i` written straight into the chunk by
   * `write(w, i)`; each failed entry's kernel error gets its hint (as {@link batch}).
   */
  private async batchWrite(count: number, write: BatchEntryWriter, opts: BulkOptions | undefined, stateOf?: (i: number) => XfrmHintContext['state']) {
    let results: BatchResult<XfrmMessage>[];
    try {
      results = await this.socket.batchWrite(count, write, opts);
    } catch (e) {
      throw withXfrmHint(e, this.hintContext());
    }
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if (!r.ok) withXfrmHint(r.error, this.hintContext(stateOf?.(i)));
    }
    return results;
  }

  /** Send `msg` and return its `want` reply. */
  private async one<T extends XfrmMessage['type']>(msg: rq.XfrmRequest, want: T, opts?: CallOptions): Promise<Extract<XfrmMessage, { type: T }>> {
    const r = replyOf(await this.request(msg, opts), String(msg.type), want);
    if (r instanceof NetlinkError) throw r;
    return r;
  }

  /** Send `msg` for its ACK (the per-call options checked first). */
  private async send(msg: () => rq.XfrmRequest, opts: CallOptions | undefined): Promise<void> {
    checkCallOptions(opts);
    await this.request(msg(), opts);
  }

  // ---- SAs -------------------------------------------------------------------------------

  /**
   * Add an SA (`XFRM_MSG_NEWSA`). Fails with EEXIST if (daddr, spi, proto, mark) exists,
   * including an SPI reserved by {@link allocSpi}: fill those with {@link updateState}.
   * When the SA uses fields added in newer kernels (direction, per-CPU, NAT keepalive,
   * IP-TFS, output mark, if_id, extra flags) it is read back, and if the kernel dropped any
   * of them the SA is deleted again and {@link XfrmUnsupportedError} is thrown.
   * @throws {@link NetlinkEncodeError} before sending, for a malformed field, saddr/daddr/
   *   selector/NAT-OA addresses not in the SA's family (the family comes from `daddr` when not
   *   given), a transport-mode selector of another family, or SPI 0 for ESP, AH and IPComp
   *   (the kernel installs it but can never look it up: it hashes SAs by SPI only when non-zero).
   * @throws {@link NetlinkKernelError} with the kernel's extended-ACK text.
   */
  async addState(sa: XfrmStateInput, opts?: CallOptions & { withCurrent?: boolean }): Promise<void> {
    const s = await this.writeState(sa, false, opts);
    const dropped = await this.droppedFields(s, opts);
    if (dropped.length > 0) {
      await this.deleteState(s, opts).catch(() => undefined);
      throw new XfrmUnsupportedError(dropped, 'XFRM_MSG_NEWSA');
    }
  }

  /**
   * Update an SA (`XFRM_MSG_UPDSA`). Over a larval SA (from {@link allocSpi} or an ACQUIRE)
   * this installs the complete SA, replay state included. Over a VALID SA the kernel copies
   * only encap, care-of address, selector, lifetimes, output mark and if_id: keys,
   * algorithms and replay state are silently ignored — change replay state with
   * {@link setReplayState} or {@link updateReplayState}.
   * @throws {@link NetlinkKernelError} (ESRCH: no such SA).
   */
  async updateState(sa: XfrmStateInput, opts?: CallOptions & { withCurrent?: boolean }): Promise<void> {
    const s = await this.writeState(sa, true, opts);
    const dropped = await this.droppedFields(s, opts);
    if (dropped.length > 0) throw new XfrmUnsupportedError(dropped, 'XFRM_MSG_UPDSA');
  }

  /** NEWSA or UPDSA of `sa`; returns the completed state. */
  private async writeState(sa: XfrmStateInput, update: boolean, opts?: CallOptions & { withCurrent?: boolean }): Promise<XfrmState> {
    checkCallOptions(opts);
    const s = rq.newState(sa);
    await this.request(rq.stateWriteRequest(s, update, opts?.withCurrent ?? false), opts, s);
    return s;
  }

  private async droppedFields(s: XfrmState, opts?: CallOptions): Promise<string[]> {
    const asked = NEWER_SA_FIELDS.filter((f) => s[f] !== undefined);
    if (asked.length === 0) return [];
    const back = await this.getState(s, opts);
    return asked.filter((f) => back[f] === undefined);
  }

  /** Read one SA (`XFRM_MSG_GETSA`). @throws {@link NetlinkKernelError} ESRCH if absent. */
  async getState(id: XfrmSaId, opts?: CallOptions): Promise<XfrmState> {
    checkCallOptions(opts);
    const r = await this.one(rq.saIdRequest('XFRM_MSG_GETSA', id), 'XFRM_MSG_NEWSA', opts);
    return stateFromMessage(r.body, r.attrs);
  }

  /** Delete an SA (`XFRM_MSG_DELSA`). @throws {@link NetlinkKernelError} ESRCH if absent. */
  async deleteState(id: XfrmSaId, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.saIdRequest('XFRM_MSG_DELSA', id), opts);
  }

  /**
   * Stream every SA (a GETSA dump, filtered in the kernel) with `for await`; memory stays
   * constant. This returns an async iterator, not a promise: `await xfrm.listStates()` would
   * give the iterator — use {@link getStates} for an array.
   */
  listStates(filter: XfrmStateFilter = {}, opts?: CallOptions): AsyncIterableIterator<XfrmState> {
    checkCallOptions(opts);
    const it = this.socket.dumpMap(rq.listStatesRequest(filter), (m) => (m.type === 'XFRM_MSG_NEWSA' ? stateFromMessage(m.body, m.attrs) : undefined), opts);
    return new HintedDump(it, (e) => withXfrmHint(e, this.hintContext()));
  }

  /**
   * Walk every SA matching `filter` (a GETSA dump) as {@link XfrmStateView}s over the received
   * bytes: `fn` runs synchronously for each SA, no promise or full decode per SA; a field is
   * decoded when read. The view is valid only inside `fn` (after it, reading it throws
   * {@link XfrmViewExpiredError}): keep data with `view.toObject()`, which equals what
   * {@link listStates} yields. Resolves with the number of SAs once the dump is done.
   * @throws like {@link listStates}, or what `fn` threw (the rest of the dump is discarded).
   */
  async forEachState(fn: (sa: XfrmStateView) => void, filter: XfrmStateFilter = {}, opts?: CallOptions): Promise<number> {
    checkCallOptions(opts);
    if (typeof fn !== 'function') throw new TypeError('forEachState: fn must be a function');
    const h = new ViewDumpHandler(XFRM_MSG_NEWSA, makeStateView, fn, this.socket.le);
    try {
      await this.socket.dumpRaw(rq.listStatesRequest(filter), h, opts);
    } catch (e) {
      throw withXfrmHint(e, this.hintContext());
    }
    return h.count;
  }

  /**
   * Every SA matching `filter` (a GETSA dump), collected: `const sas = await xfrm.getStates()`.
   * The collecting form of {@link listStates}; it holds the whole table in memory.
   */
  async getStates(filter: XfrmStateFilter = {}, opts?: CallOptions): Promise<XfrmState[]> {
    return collect(this.listStates(filter, opts));
  }

  /** Delete all SAs of `proto` (`XFRM_MSG_FLUSHSA`; default `IPSEC_PROTO_ANY`: AH, ESP and IPComp). */
  async flushStates(proto: number = IPSEC_PROTO_ANY, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.flushStatesRequest(proto), opts);
  }

  /** SA count and hash sizes (`XFRM_MSG_GETSADINFO`). */
  async countStates(opts?: CallOptions): Promise<XfrmSadInfo> {
    checkCallOptions(opts);
    const r = await this.one(rq.FIXED_REQUESTS.sadInfo, 'XFRM_MSG_NEWSADINFO', opts);
    const out: XfrmSadInfo = { count: 0, hashBuckets: 0, maxHashBuckets: 0 };
    for (const a of r.attrs) {
      if (a.type === 'XFRMA_SAD_CNT') out.count = a.value;
      else if (a.type === 'XFRMA_SAD_HINFO') {
        out.hashBuckets = a.value.sadhcnt;
        out.maxHashBuckets = a.value.sadhmcnt;
      }
    }
    return out;
  }

  /**
   * Reserve an SPI (`XFRM_MSG_ALLOCSPI`): creates a larval SA that expires after
   * `net.core.xfrm_acq_expires` seconds (default 30) unless filled with {@link updateState}.
   * Returns the larval SA (its `spi` is the chosen one).
   */
  async allocSpi(input: AllocSpiInput, opts?: CallOptions): Promise<XfrmState> {
    checkCallOptions(opts);
    const r = await this.one(rq.allocSpiRequest(input), 'XFRM_MSG_NEWSA', opts);
    return stateFromMessage(r.body, r.attrs);
  }

  /**
   * Ask the kernel to expire an SA now (`XFRM_MSG_EXPIRE`): emits the EXPIRE event; with
   * `hard` the SA is deleted.
   */
  async expireState(id: XfrmSaId, hard: boolean, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.expireStateRequest(id, hard), opts);
  }

  // ---- replay state (the kernel's AE) ----------------------------------------------------

  /**
   * Read an SA's AE: replay state and lifetime counters (`XFRM_MSG_GETAE`); with `thresholds`
   * also the async-event thresholds. Works on larval SAs too.
   * @throws {@link NetlinkKernelError} ESRCH if absent.
   */
  async getReplayState(id: XfrmSaId, opts?: CallOptions & { thresholds?: boolean }): Promise<XfrmAeState> {
    checkCallOptions(opts);
    const r = await this.one(rq.getAeRequest(id, opts?.thresholds ?? false), 'XFRM_MSG_NEWAE', opts);
    return aeFromMessage(r.body, r.attrs);
  }

  /**
   * {@link getReplayState} for many SAs at once, sent as batches (one `sendmsg` per chunk).
   * One result per SA, in order: the AE, or the error for that SA (a malformed id fails in
   * its own result, unsent).
   */
  async getReplayStates(ids: readonly XfrmSaId[], opts?: BulkOptions & { thresholds?: boolean }): Promise<(XfrmAeState | NetlinkError)[]> {
    checkCallOptions(opts);
    checkArrayArg(ids, 'ids');
    const thresholds = opts?.thresholds ?? false;
    const results = await this.batchWrite(ids.length, (w, i) => rq.writeGetAeRequest(w, ids[i]!, thresholds, i), opts);
    return results.map((r) => {
      if (!r.ok) return r.error;
      const m = replyOf(r.replies, 'XFRM_MSG_GETAE', 'XFRM_MSG_NEWAE');
      return m instanceof NetlinkError ? m : aeFromMessage(m.body, m.attrs);
    });
  }

  /**
   * Set replay state, lifetime counters and/or thresholds of a live (VALID) SA in place
   * (`XFRM_MSG_NEWAE` with `NLM_F_REPLACE`) — the only way to change replay state of a live
   * SA. When `ae` carries replay state, the SA's AE is read first ({@link checkAeKind}): ESN
   * state goes only to ESN/large-window SAs and legacy state only to legacy SAs (the kernel
   * would silently ignore the other), and an ESN bitmap must have the SA's `bmpLen` words.
   * @throws {@link NetlinkKernelError} (EINVAL "SA must be in VALID state" for larval SAs).
   * @throws {@link NetlinkEncodeError} ({@link XfrmReplayKindError}) when the state kind does
   *   not match the SA (`what`: `ae.replay` or `ae.replayEsn`), or for a malformed argument.
   */
  async setReplayState(id: XfrmSaId, ae: XfrmAeUpdate, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    const msg = rq.newAeRequest(id, ae);
    if (ae.replay || ae.replayEsn) {
      const cur = await this.getReplayState(id, opts);
      await this.larvalOr(() => checkAeKind(ae, cur), id, opts);
    }
    await this.request(msg, opts);
  }

  /**
   * {@link setReplayState} for many SAs, as batches (one `sendmsg` per chunk): one result per
   * entry, in order; a failed entry does not stop the others. The entries that carry replay
   * state have their SA's AE read first, all in one batch of GETAEs, for the same kind check
   * as {@link setReplayState}; an entry whose SA is missing or of the other
   * kind fails in its own result ({@link XfrmReplayKindError}, or {@link XfrmLarvalStateError}
   * after one GETSA), unsent. Each NEWAE (`NLM_F_REPLACE`) is then written straight into the
   * chunk from `list[i]`, with no message object. A malformed entry fails in its own result
   * with {@link NetlinkEncodeError} naming the field (`list[i].id.spi`,
   * `list[i].ae.replay.oseq`), nothing read or sent for it.
   * @example
   * ```ts
   * const results = await xfrm.setReplayStates(saved.map((s) => ({ id: s.id, ae: { replay: s.replay, current: s.current } })));
   * results.forEach((r, i) => { if (!r.ok) console.error(`SA ${i}: ${r.error.message}`); });
   * ```
   * @throws the socket's error when a batch fails as a whole (timeout, closed socket).
   */
  async setReplayStates(list: readonly { id: XfrmSaId; ae: XfrmAeUpdate }[], opts?: BulkOptions): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(list, 'list');
    const results: BatchResult<XfrmMessage>[] = new Array<BatchResult<XfrmMessage>>(list.length);
    // Every entry checked first: nothing is read or sent for a malformed one.
    const withReplay: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      try {
        if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new NetlinkEncodeError(`list[${i}]`, 'expected an object ({ id, ae })');
        rq.checkNewAe(e.id, e.ae, i);
      } catch (err) {
        if (!(err instanceof NetlinkEncodeError)) throw err;
        results[i] = { ok: false, error: err };
        continue;
      }
      if (e.ae.replay || e.ae.replayEsn) withReplay.push(i);
    }
    if (withReplay.length > 0) {
      // The SAs' replay kinds, read in one batch of GETAEs written straight into the chunk.
      const read = await this.batchWrite(withReplay.length, (w, k) => rq.writeGetAeRequest(w, list[withReplay[k]!]!.id, false, withReplay[k]), opts);
      const cur: Pick<XfrmAeState, 'replay' | 'replayEsn'> = {};
      for (let k = 0; k < withReplay.length; k++) {
        const i = withReplay[k]!;
        const r = read[k]!;
        if (!r.ok) {
          results[i] = r;
          continue;
        }
        const reply = replyOf(r.replies, 'XFRM_MSG_GETAE', 'XFRM_MSG_NEWAE');
        if (reply instanceof NetlinkError) {
          results[i] = { ok: false, error: reply as BatchFailure['error'] };
          continue;
        }
        cur.replay = undefined;
        cur.replayEsn = undefined;
        for (const a of reply.attrs) {
          if (a.type === 'XFRMA_REPLAY_VAL') cur.replay = a.value;
          else if (a.type === 'XFRMA_REPLAY_ESN_VAL') cur.replayEsn = a.value;
        }
        try {
          checkAeKind(list[i]!.ae, cur);
        } catch (e) {
          // Rare: a round trip to tell a larval SA, for this entry only.
          const error = await this.larvalOrError(e, list[i]!.id, opts);
          if (!(error instanceof NetlinkError)) throw error;
          results[i] = { ok: false, error: error as BatchFailure['error'] };
        }
      }
    }
    const todo: number[] = [];
    for (let i = 0; i < list.length; i++) if (results[i] === undefined) todo.push(i);
    if (todo.length === 0) return results;
    const sent = await this.batchWrite(
      todo.length,
      (w, k) => {
        const i = todo[k]!;
        const e = list[i]!;
        rq.writeNewAeRequest(w, e.id, e.ae, i, true);
      },
      opts,
    );
    for (let k = 0; k < todo.length; k++) results[todo[k]!] = sent[k]!;
    return results;
  }

  /**
   * Run a replay-kind check; when it fails, tell a larval SA (which has legacy-looking replay
   * state only because it has none yet) from a real kind mismatch: one GETSA, on failure only.
   */
  private async larvalOr<T>(check: () => T, id: XfrmSaId, opts: CallOptions | undefined): Promise<T> {
    try {
      return check();
    } catch (e) {
      throw await this.larvalOrError(e, id, opts);
    }
  }

  /** What a failed replay-kind check throws: {@link XfrmLarvalStateError} when the SA is larval, else `e` itself. */
  private async larvalOrError(e: unknown, id: XfrmSaId, opts: CallOptions | undefined): Promise<unknown> {
    if (!(e instanceof XfrmReplayKindError)) return e;
    const sa = await this.getState(id, opts).catch(() => undefined);
    if (sa && larvalReason(sa) !== undefined) return new XfrmLarvalStateError('XFRM_MSG_NEWAE', sa.spi, { cause: e });
    return e;
  }

  /**
   * Change some words of an SA's replay state and/or its thresholds: one read-merge-write
   * (GETAE, {@link mergeReplayState} into the SA's own kind, NEWAE with `NLM_F_REPLACE`).
   * Words not given keep the SA's values; an ESN bitmap is padded with zero words to the SA's
   * `bmpLen`. Returns what was written.
   * @throws {@link XfrmReplayKindError} when `change` uses words of the kind the SA does not
   *   keep (`change.bitmap` on an ESN/BMP SA; `oseqHi`, `seqHi`, `bmp` on a legacy one), or more
   *   `bmp` words than the SA has; nothing is written then.
   * @throws {@link NetlinkKernelError} ESRCH if the SA is absent.
   */
  async updateReplayState(id: XfrmSaId, change: XfrmReplayStateChange, opts?: CallOptions): Promise<XfrmAeUpdate> {
    checkCallOptions(opts);
    const cur = await this.getReplayState(id, opts);
    const ae: XfrmAeUpdate = await this.larvalOr(() => mergeReplayState(change, cur), id, opts);
    if (change.replayThresh !== undefined) ae.replayThresh = change.replayThresh;
    if (change.etimerThresh !== undefined) ae.etimerThresh = change.etimerThresh;
    const msg = rq.newAeRequest(id, ae);
    await this.larvalOr(() => checkAeKind(ae, cur), id, opts);
    await this.request(msg, opts);
    return ae;
  }

  // ---- policies --------------------------------------------------------------------------

  /** Add a policy (`XFRM_MSG_NEWPOLICY`). @throws {@link NetlinkKernelError} EEXIST if it exists. */
  async addPolicy(p: XfrmPolicyInput, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.policyWriteRequest(p, false), opts);
  }

  /** Add or replace a policy (`XFRM_MSG_UPDPOLICY`). */
  async updatePolicy(p: XfrmPolicyInput, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.policyWriteRequest(p, true), opts);
  }

  /** Read a policy by index or by selector and direction (`XFRM_MSG_GETPOLICY`). @throws {@link NetlinkKernelError} ENOENT. */
  async getPolicy(id: XfrmPolicyId, opts?: CallOptions): Promise<XfrmPolicy> {
    checkCallOptions(opts);
    const r = await this.one(rq.policyIdRequest('XFRM_MSG_GETPOLICY', id), 'XFRM_MSG_NEWPOLICY', opts);
    return policyFromMessage(r.body, r.attrs);
  }

  /** Delete a policy (`XFRM_MSG_DELPOLICY`). @throws {@link NetlinkKernelError} ENOENT. */
  async deletePolicy(id: XfrmPolicyId, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.policyIdRequest('XFRM_MSG_DELPOLICY', id), opts);
  }

  /**
   * Stream every policy (main and sub; a GETPOLICY dump) with `for await`. This returns an
   * async iterator, not a promise: use {@link getPolicies} for an array.
   */
  listPolicies(opts?: CallOptions): AsyncIterableIterator<XfrmPolicy> {
    checkCallOptions(opts);
    const it = this.socket.dumpMap(rq.FIXED_REQUESTS.listPolicies, (m) => (m.type === 'XFRM_MSG_NEWPOLICY' ? policyFromMessage(m.body, m.attrs) : undefined), opts);
    return new HintedDump(it, (e) => withXfrmHint(e, this.hintContext()));
  }

  /**
   * Walk every policy (main and sub; a GETPOLICY dump) as {@link XfrmPolicyView}s over the
   * received bytes: `fn` runs synchronously for each policy, no promise or full decode per
   * policy; a field is decoded when read. The view is valid only inside `fn` (after it,
   * reading it throws {@link XfrmViewExpiredError}): keep data with `view.toObject()`, which
   * equals what {@link listPolicies} yields. Resolves with the number of policies.
   * @example
   * ```ts
   * let out = 0;
   * await xfrm.forEachPolicy((p) => { if (p.dir === XFRM_POLICY_OUT && p.selector.prefixlenD === 32) out++; });
   * ```
   * @throws like {@link listPolicies}, or what `fn` threw (the rest of the dump is discarded).
   */
  async forEachPolicy(fn: (policy: XfrmPolicyView) => void, opts?: CallOptions): Promise<number> {
    checkCallOptions(opts);
    if (typeof fn !== 'function') throw new TypeError('forEachPolicy: fn must be a function');
    const h = new ViewDumpHandler(XFRM_MSG_NEWPOLICY, makePolicyView, fn, this.socket.le);
    try {
      await this.socket.dumpRaw(rq.FIXED_REQUESTS.listPolicies, h, opts);
    } catch (e) {
      throw withXfrmHint(e, this.hintContext());
    }
    return h.count;
  }

  /** Every policy (main and sub), collected: `const policies = await xfrm.getPolicies()`. The collecting form of {@link listPolicies}. */
  async getPolicies(opts?: CallOptions): Promise<XfrmPolicy[]> {
    return collect(this.listPolicies(opts));
  }

  /** Delete all policies of a type (`XFRM_MSG_FLUSHPOLICY`; default main). */
  async flushPolicies(type: number = XFRM_POLICY_TYPE_MAIN, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.flushPoliciesRequest(type), opts);
  }

  /** Policy counts, hash sizes and hash thresholds (`XFRM_MSG_GETSPDINFO`). */
  async countPolicies(opts?: CallOptions): Promise<XfrmSpdInfo> {
    checkCallOptions(opts);
    const r = await this.one(rq.FIXED_REQUESTS.spdInfo, 'XFRM_MSG_NEWSPDINFO', opts);
    const out: XfrmSpdInfo = {};
    for (const a of r.attrs) {
      if (a.type === 'XFRMA_SPD_INFO') out.counts = a.value;
      else if (a.type === 'XFRMA_SPD_HINFO') out.hash = a.value;
      else if (a.type === 'XFRMA_SPD_IPV4_HTHRESH') out.ipv4Thresh = a.value;
      else if (a.type === 'XFRMA_SPD_IPV6_HTHRESH') out.ipv6Thresh = a.value;
    }
    return out;
  }

  /** Set the selector-prefix thresholds of the policy hash (`XFRM_MSG_NEWSPDINFO`). */
  async setPolicyHashThresholds(t: { ipv4?: XfrmuSpdhthresh; ipv6?: XfrmuSpdhthresh }, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.policyHashThresholdsRequest(t), opts);
  }

  /** The default action per direction (`XFRM_MSG_GETDEFAULT`): `XFRM_USERPOLICY_BLOCK` / `ACCEPT`. */
  async getDefaultPolicy(opts?: CallOptions): Promise<XfrmUserpolicyDefault> {
    checkCallOptions(opts);
    return (await this.one(rq.FIXED_REQUESTS.getDefault, 'XFRM_MSG_GETDEFAULT', opts)).body;
  }

  /** Set the default action per direction (`XFRM_MSG_SETDEFAULT`); an omitted direction is left unchanged. */
  async setDefaultPolicy(d: Partial<XfrmUserpolicyDefault>, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.setDefaultPolicyRequest(d), opts);
  }

  // ---- migrate ---------------------------------------------------------------------------

  /** Move a policy's templates and SAs to new addresses (`XFRM_MSG_MIGRATE`, with `XFRMA_KMADDRESS`). */
  async migrate(m: MigrateInput, opts?: CallOptions): Promise<void> {
    await this.send(() => rq.migrateRequest(m), opts);
  }

  /** Migrate one SA by SPI, replay state carried over (`XFRM_MSG_MIGRATE_STATE`, kernel 7.2+). */
  async migrateState(m: XfrmUserMigrateState, attrs: XfrmAttribute[] = [], opts?: CallOptions): Promise<void> {
    await this.send(() => rq.migrateStateRequest(m, attrs), opts);
  }

  // ---- bulk: one result per entry; a malformed entry fails in its own result, unsent -----

  /**
   * Add many SAs in batches (16–256 KiB per `sendmsg`); one result per SA, failures do not
   * stop the rest. Each SA is checked and written into the chunk as its turn comes. A given
   * `current` is sent (`XFRMA_LTIME_VAL`, as {@link addState} with `withCurrent`): restore
   * and the HA takeover put `add_time` back this way. The newer fields are not read back as
   * {@link addState} does: check them on one SA first.
   */
  async addStates(list: readonly XfrmStateInput[], opts?: BulkOptions & { update?: boolean }): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(list, 'states');
    const update = opts?.update ?? false;
    return this.batchWrite(list.length, (w, i) => rq.writeStateRequest(w, list[i]!, update), opts, (i) => hintState(list[i]));
  }

  /**
   * Add many policies in batches; one result per policy. Each is checked and written
   * straight into the chunk from `list[i]`, with no message or attribute objects.
   */
  async addPolicies(list: readonly XfrmPolicyInput[], opts?: BulkOptions & { update?: boolean }): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(list, 'policies');
    const update = opts?.update ?? false;
    return this.batchWrite(list.length, (w, i) => rq.writePolicyRequest(w, list[i]!, update), opts);
  }

  /** Delete many policies in batches (by index or selector, like {@link deletePolicy}); one result per policy. */
  async deletePolicies(ids: readonly XfrmPolicyId[], opts?: BulkOptions): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(ids, 'ids');
    return this.batchWrite(ids.length, (w, i) => rq.writePolicyIdRequest(w, 'XFRM_MSG_DELPOLICY', ids[i]!, i), opts);
  }

  /** Delete many SAs in batches. */
  async deleteStates(ids: readonly XfrmSaId[], opts?: BulkOptions): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(ids, 'ids');
    return this.batchWrite(ids.length, (w, i) => rq.writeSaIdRequest(w, 'XFRM_MSG_DELSA', ids[i]!, i), opts);
  }

  // ---- events ----------------------------------------------------------------------------

  /**
   * Subscribe to XFRM events on a separate socket (default: every group). Yields typed
   * events; an `{ kind: 'overrun' }` event means notifications were lost (resynchronise
   * with {@link listStates}/{@link listPolicies}). `return()` / leaving the loop closes it.
   */
  events(groups: readonly XfrmEventGroup[] = Object.keys(XFRM_EVENT_GROUPS) as XfrmEventGroup[], opts: { rcvbuf?: number } = {}): XfrmEventStream {
    checkEventArgs(groups, opts);
    const sub = subscribe<XfrmMessage>({
      family: xfrmFamily,
      groups: groups.map((g) => XFRM_EVENT_GROUPS[g]),
      ...(this.opts.netns !== undefined ? { netns: this.opts.netns } : {}),
      ...(opts.rcvbuf !== undefined ? { rcvbuf: opts.rcvbuf } : {}),
      ...(this.opts.eventTransport ? { transport: this.opts.eventTransport() } : {}),
    });
    return new XfrmEventStream(sub);
  }
}



/** The SA a bulk entry writes, as far as a hint needs it (the entry was encoded: its fields are sound). */
function hintState(input: XfrmStateInput | undefined): XfrmHintContext['state'] {
  if (input === undefined || input === null || typeof input !== 'object') return undefined;
  const family = input.family ?? (String(input.daddr).includes(':') ? AF_INET6 : AF_INET);
  return { ...input, family };
}

/** The `want` reply among `replies` to a `sent` request, or the error saying the kernel sent none. */
function replyOf<T extends XfrmMessage['type']>(replies: readonly Reply<XfrmMessage>[], sent: string, want: T): Extract<XfrmMessage, { type: T }> | NetlinkError {
  const r = replies.find((m) => m.type === want);
  return r === undefined ? new NetlinkError(`${sent}: the kernel sent no ${want} reply`) : (r as Extract<XfrmMessage, { type: T }>);
}

/** The items of an async iterable, in order. */
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
