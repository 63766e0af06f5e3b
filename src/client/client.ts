/**
 * {@link XfrmClient}: the high-level API an IKE daemon or a failover tool uses. Every kernel
 * XFRM operation as a typed method over one {@link NetlinkSocket}, plus typed events.
 * @module
 */
import { NLM_F_DUMP, NLM_F_REPLACE } from '../netlink/constants.js';
import { NetlinkEncodeError, NetlinkError } from '../netlink/errors.js';
import { NetlinkSocket, unencodable, type BatchResult, type CallOptions, type OutgoingMessage } from '../socket/netlink-socket.js';
import { subscribe, type Subscription } from '../socket/subscription.js';
import { type NetlinkTransport } from '../socket/transport.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import {
  AF_INET,
  AF_INET6,
  IPSEC_PROTO_ANY,
  XFRM_AE_ETHR,
  XFRM_AE_RTHR,
  XFRM_POLICY_TYPE_MAIN,
} from '../xfrm/constants.js';
import { xfrmFamily, type XfrmMessage } from '../xfrm/family.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';
import { type XfrmEncapTmpl } from '../xfrm/structs/encap-tmpl.js';
import { type XfrmUserKmaddress } from '../xfrm/structs/user-kmaddress.js';
import { type XfrmUserMigrate } from '../xfrm/structs/user-migrate.js';
import { type XfrmUserMigrateState } from '../xfrm/structs/user-migrate-state.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import { type XfrmuSpdhthresh } from '../xfrm/structs/spdhthresh.js';
import { type XfrmuSpdinfo } from '../xfrm/structs/spdinfo.js';
import { type XfrmuSpdhinfo } from '../xfrm/structs/spdhinfo.js';
import { aeFromMessage, type XfrmAeState } from './ae.js';
import { eventFromMessage, XFRM_EVENT_GROUPS, type XfrmEvent, type XfrmEventGroup } from './events.js';
import {
  checkAeInput,
  checkAllocSpi,
  checkArrayArg,
  checkBoolArg,
  checkDefaultPolicy,
  checkHashThresholds,
  checkMigrate,
  checkMigrateState,
  checkNewStateSpi,
  checkPolicyId,
  checkSaId,
  checkStateFilter,
  checkUintArg,
} from './validate.js';
import {
  completePolicy,
  policyFromMessage,
  policyLookupAttrs,
  policyToAttrs,
  policyToInfo,
  type XfrmPolicy,
  type XfrmPolicyInput,
} from './policy.js';
import {
  anySelector,
  completeState,
  familyOf,
  stateFromMessage,
  stateToAttrs,
  stateToUsersaInfo,
  type XfrmState,
  type XfrmStateInput,
} from './state.js';
import { SA_NEWER_FIELDS } from './sa-fields.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';

/** Identity of an SA: destination, SPI and protocol (plus mark when the SA has one). */
export interface XfrmSaId {
  /** Destination address. */
  daddr: string;
  /** SPI (host value). */
  spi: number;
  /** `IPPROTO_ESP`, `IPPROTO_AH`, `IPPROTO_COMP`. */
  proto: number;
  /** Address family (default: from `daddr`). */
  family?: number;
  /** Mark of the SA (lookups use `v & m`). */
  mark?: XfrmMark;
  /** Source address: required only for non-SPI protocols (e.g. MIPv6 routing). */
  saddr?: string;
}

/** Options of {@link XfrmClient.open}. */
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

/** An address prefix, e.g. `{ addr: '192.0.2.0', prefixlen: 24 }`. */
export interface XfrmPrefix {
  /** Network address. */
  addr: string;
  /** Prefix length in bits. */
  prefixlen: number;
}

/** Filter of {@link XfrmClient.listStates}; the kernel applies it (`XFRMA_PROTO`, `XFRMA_ADDRESS_FILTER`). */
export interface XfrmStateFilter {
  /** Only SAs of this protocol. */
  proto?: number;
  /** Only SAs whose source is in this prefix, e.g. `{ addr: '192.0.2.0', prefixlen: 24 }`. */
  src?: XfrmPrefix;
  /** Only SAs whose destination is in this prefix. */
  dst?: XfrmPrefix;
}

/** What {@link XfrmClient.allocSpi} takes. */
export interface AllocSpiInput {
  /** Source address of the future SA. */
  saddr: string;
  /** Destination address of the future SA. */
  daddr: string;
  /** `IPPROTO_ESP`, `IPPROTO_AH` or `IPPROTO_COMP` (COMP: max < 0x10000). */
  proto: number;
  /** Lowest SPI (host order; default 0x100). */
  min?: number;
  /** Highest SPI (default 0x0fffffff). */
  max?: number;
  /** `XFRM_MODE_*` of the larval SA. */
  mode?: number;
  /** Request id. */
  reqid?: number;
  /** ACQUIRE sequence to attach the SPI to (`xfrm_user_acquire.seq`). */
  acquireSeq?: number;
  /** Mark. */
  mark?: XfrmMark;
  /** Interface id. */
  ifId?: number;
  /** Direction (6.10+). */
  dir?: number;
  /** Per-CPU SA (upstream 6.13; also in Debian's 6.12.117 — detect by reading back, not by version). */
  pcpu?: number;
}

/** SAD information (`XFRM_MSG_GETSADINFO`). */
export interface XfrmSadInfo {
  /** Number of SAs. */
  count: number;
  /** Current hash buckets. */
  hashBuckets: number;
  /** Maximum hash buckets. */
  maxHashBuckets: number;
}

/** SPD information (`XFRM_MSG_GETSPDINFO`). */
export interface XfrmSpdInfo {
  /** Policy counts per direction (main and socket policies). */
  counts?: XfrmuSpdinfo;
  /** Hash table sizes. */
  hash?: XfrmuSpdhinfo;
  /** IPv4 selector prefix thresholds of the hash. */
  ipv4Thresh?: XfrmuSpdhthresh;
  /** IPv6 selector prefix thresholds of the hash. */
  ipv6Thresh?: XfrmuSpdhthresh;
}

/** Fields shared by both forms of {@link XfrmPolicyId}. */
export interface XfrmPolicyIdBase {
  /** `XFRM_POLICY_IN` / `OUT` / `FWD`. */
  dir: number;
  /** Policy type (`XFRM_POLICY_TYPE_MAIN` default, or `SUB`). */
  type?: number;
  /** Mark of the policy. */
  mark?: XfrmMark;
  /** Interface id of the policy. */
  ifId?: number;
}
/** A policy addressed by its kernel index (`index & 7` must equal `dir`). */
export interface XfrmPolicyIndexId extends XfrmPolicyIdBase {
  /** Kernel-assigned index. */
  index: number;
}
/** A policy addressed by its selector. */
export interface XfrmPolicySelectorId extends XfrmPolicyIdBase {
  /** The policy's selector. */
  selector: XfrmSelector;
}
/** A policy's identity for get/delete: by index, or by selector and direction. */
export type XfrmPolicyId = XfrmPolicyIndexId | XfrmPolicySelectorId;

/** What {@link XfrmClient.migrate} takes (`XFRM_MSG_MIGRATE`). */
export interface MigrateInput {
  /** Selector of the policy whose SAs move. */
  selector: XfrmSelector;
  /** Direction of that policy. */
  dir: number;
  /** 1–6 address changes. */
  migrations: XfrmUserMigrate[];
  /** Key-manager addresses. */
  kmaddress?: XfrmUserKmaddress;
  /** New encapsulation. */
  encap?: XfrmEncapTmpl;
  /** Policy type (main/sub). */
  type?: number;
  /** Interface id. */
  ifId?: number;
}

/** @internal The fields newer kernels added (the `newer` rows of the SA field table, sa-fields.ts); older kernels ACK them and silently ignore them (also what restore --replace checks). */
export const NEWER_SA_FIELDS = SA_NEWER_FIELDS;

/** An SA was accepted but the kernel ignored fields it does not know (read back after the write). */
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

function saIdBody(id: XfrmSaId): { daddr: string; spi: number; family: number; proto: number } {
  return { daddr: id.daddr, spi: id.spi, family: id.family ?? familyOf(id.daddr), proto: id.proto };
}

function saIdAttrs(id: XfrmSaId): XfrmAttribute[] {
  const out: XfrmAttribute[] = [];
  if (id.mark) out.push({ type: 'XFRMA_MARK', value: id.mark });
  if (id.saddr !== undefined) out.push({ type: 'XFRMA_SRCADDR', value: id.saddr });
  return out;
}

type Out = OutgoingMessage<XfrmMessage>;

/** The error of a malformed SA id of a bulk call (`ids[i]…`), or undefined. */
function badSaId(id: XfrmSaId, i: number): NetlinkEncodeError | undefined {
  try {
    checkSaId(id, 'ids', i);
    return undefined;
  } catch (e) {
    if (e instanceof NetlinkEncodeError) return e;
    throw e;
  }
}

/**
 * Check the per-call options every method takes (`timeoutMs`, `signal`, and the flags and
 * sizes some methods add): a string timeout would otherwise become an immediate timer.
 */
function checkCallOptions(opts: unknown): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new NetlinkEncodeError('opts', 'expected an object');
  const o = opts as Record<string, unknown>;
  if (o.timeoutMs !== undefined && (typeof o.timeoutMs !== 'number' || !(o.timeoutMs >= 0))) {
    throw new NetlinkEncodeError('opts.timeoutMs', 'expected a number of milliseconds (0 or Infinity: none)');
  }
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && typeof (o.signal as AbortSignal).aborted === 'boolean')) {
    throw new NetlinkEncodeError('opts.signal', 'expected an AbortSignal');
  }
  // The bounds NetlinkSocket.batch accepts (it throws a RangeError outside them).
  if (o.chunkSize !== undefined && (!Number.isInteger(o.chunkSize) || (o.chunkSize as number) < 16384 || (o.chunkSize as number) > 262144)) {
    throw new NetlinkEncodeError('opts.chunkSize', 'expected an integer number of bytes from 16384 to 262144');
  }
  if (o.withCurrent !== undefined && typeof o.withCurrent !== 'boolean') throw new NetlinkEncodeError('opts.withCurrent', 'expected a boolean');
  if (o.thresholds !== undefined && typeof o.thresholds !== 'boolean') throw new NetlinkEncodeError('opts.thresholds', 'expected a boolean');
  if (o.update !== undefined && typeof o.update !== 'boolean') throw new NetlinkEncodeError('opts.update', 'expected a boolean');
}

/** Check the options of {@link XfrmClient.open} before a socket is opened. */
function checkClientOptions(opts: unknown): void {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new NetlinkEncodeError('opts', 'expected an object');
  const o = opts as Record<string, unknown>;
  if (o.netns !== undefined && (typeof o.netns !== 'string' || o.netns === '')) throw new NetlinkEncodeError('opts.netns', 'expected a namespace name or path');
  if (o.timeoutMs !== undefined && (typeof o.timeoutMs !== 'number' || !(o.timeoutMs >= 0))) {
    throw new NetlinkEncodeError('opts.timeoutMs', 'expected a number of milliseconds (0 or Infinity: none)');
  }
  if (o.rcvbuf !== undefined && (!Number.isInteger(o.rcvbuf) || (o.rcvbuf as number) <= 0 || (o.rcvbuf as number) > 0x7fffffff)) {
    throw new NetlinkEncodeError('opts.rcvbuf', 'expected a positive integer number of bytes');
  }
  if (o.transport !== undefined && (typeof o.transport !== 'object' || o.transport === null)) throw new NetlinkEncodeError('opts.transport', 'expected a NetlinkTransport');
  if (o.eventTransport !== undefined && typeof o.eventTransport !== 'function') throw new NetlinkEncodeError('opts.eventTransport', 'expected a function');
}

/** Check the arguments of {@link XfrmClient.events}: known group names, a numeric rcvbuf. */
function checkEventArgs(groups: unknown, opts: unknown): void {
  checkArrayArg(groups, 'groups');
  const gs = groups as unknown[];
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i];
    if (typeof g !== 'string' || !Object.hasOwn(XFRM_EVENT_GROUPS, g)) {
      throw new NetlinkEncodeError(`groups[${i}]`, `expected one of ${Object.keys(XFRM_EVENT_GROUPS).join(', ')}`);
    }
  }
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new NetlinkEncodeError('opts', 'expected an object');
  const rcvbuf = (opts as { rcvbuf?: unknown }).rcvbuf;
  if (rcvbuf !== undefined && (!Number.isInteger(rcvbuf) || (rcvbuf as number) <= 0 || (rcvbuf as number) > 0x7fffffff)) {
    throw new NetlinkEncodeError('opts.rcvbuf', 'expected a positive integer number of bytes');
  }
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

  private async one<T extends XfrmMessage['type']>(msg: Out, want: T, opts?: CallOptions): Promise<Extract<XfrmMessage, { type: T }>> {
    const replies = await this.socket.request(msg, opts);
    const r = replies.find((m) => m.type === want);
    if (!r) throw new NetlinkError(`${String(msg.type)}: the kernel sent no ${want} reply`);
    return r as Extract<XfrmMessage, { type: T }>;
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
    checkCallOptions(opts);
    const s = completeState(sa);
    checkNewStateSpi(s, 'state');
    await this.socket.request(
      { type: 'XFRM_MSG_NEWSA', body: stateToUsersaInfo(s), attrs: stateToAttrs(s, opts?.withCurrent ?? false) },
      opts,
    );
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
   * {@link setReplayState}.
   * @throws {@link NetlinkKernelError} (ESRCH: no such SA).
   */
  async updateState(sa: XfrmStateInput, opts?: CallOptions & { withCurrent?: boolean }): Promise<void> {
    checkCallOptions(opts);
    const s = completeState(sa);
    // UPDSA finds the SA to replace by SPI: with SPI 0 there is none to find.
    checkNewStateSpi(s, 'state');
    await this.socket.request(
      { type: 'XFRM_MSG_UPDSA', body: stateToUsersaInfo(s), attrs: stateToAttrs(s, opts?.withCurrent ?? false) },
      opts,
    );
    const dropped = await this.droppedFields(s, opts);
    if (dropped.length > 0) throw new XfrmUnsupportedError(dropped, 'XFRM_MSG_UPDSA');
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
    checkSaId(id, 'id');
    const r = await this.one({ type: 'XFRM_MSG_GETSA', body: saIdBody(id), attrs: saIdAttrs(id) }, 'XFRM_MSG_NEWSA', opts);
    return stateFromMessage(r.body, r.attrs);
  }

  /** Delete an SA (`XFRM_MSG_DELSA`). @throws {@link NetlinkKernelError} ESRCH if absent. */
  async deleteState(id: XfrmSaId, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkSaId(id, 'id');
    await this.socket.request({ type: 'XFRM_MSG_DELSA', body: saIdBody(id), attrs: saIdAttrs(id) }, opts);
  }

  /** Stream every SA (a GETSA dump), filtered in the kernel. Memory stays constant. */
  listStates(filter: XfrmStateFilter = {}, opts?: CallOptions): AsyncIterableIterator<XfrmState> {
    checkCallOptions(opts);
    checkStateFilter(filter, 'filter');
    const attrs: XfrmAttribute[] = [];
    if (filter.proto !== undefined) attrs.push({ type: 'XFRMA_PROTO', value: filter.proto });
    if (filter.src || filter.dst) {
      const family = familyOf(filter.src?.addr ?? filter.dst!.addr);
      const zero = family === AF_INET6 ? '::' : '0.0.0.0';
      attrs.push({
        type: 'XFRMA_ADDRESS_FILTER',
        value: {
          saddr: filter.src?.addr ?? zero,
          daddr: filter.dst?.addr ?? zero,
          family,
          splen: filter.src?.prefixlen ?? 0,
          dplen: filter.dst?.prefixlen ?? 0,
        },
      });
    }
    return this.socket.dumpMap(
      { type: 'XFRM_MSG_GETSA', flags: NLM_F_DUMP, body: null, attrs },
      (m) => (m.type === 'XFRM_MSG_NEWSA' ? stateFromMessage(m.body, m.attrs) : undefined),
      opts,
    );
  }

  /** Delete all SAs of `proto` (`XFRM_MSG_FLUSHSA`; default `IPSEC_PROTO_ANY`: AH, ESP and IPComp). */
  async flushStates(proto: number = IPSEC_PROTO_ANY, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkUintArg(proto, 0xff, 'proto');
    await this.socket.request({ type: 'XFRM_MSG_FLUSHSA', body: { proto }, attrs: [] }, opts);
  }

  /** SA count and hash sizes (`XFRM_MSG_GETSADINFO`). */
  async countStates(opts?: CallOptions): Promise<XfrmSadInfo> {
    checkCallOptions(opts);
    const r = await this.one({ type: 'XFRM_MSG_GETSADINFO', body: 0, attrs: [] }, 'XFRM_MSG_NEWSADINFO', opts);
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
    checkAllocSpi(input, 'input');
    const s = completeState({
      saddr: input.saddr,
      daddr: input.daddr,
      spi: 0,
      proto: input.proto,
      ...(input.mode !== undefined ? { mode: input.mode } : {}),
      ...(input.reqid !== undefined ? { reqid: input.reqid } : {}),
      ...(input.acquireSeq !== undefined ? { acquireSeq: input.acquireSeq } : {}),
    });
    const attrs: XfrmAttribute[] = [];
    if (input.mark) attrs.push({ type: 'XFRMA_MARK', value: input.mark });
    if (input.ifId !== undefined) attrs.push({ type: 'XFRMA_IF_ID', value: input.ifId });
    if (input.pcpu !== undefined) attrs.push({ type: 'XFRMA_SA_PCPU', value: input.pcpu });
    if (input.dir !== undefined) attrs.push({ type: 'XFRMA_SA_DIR', value: input.dir });
    const r = await this.one(
      {
        type: 'XFRM_MSG_ALLOCSPI',
        body: { info: stateToUsersaInfo(s), min: input.min ?? 0x100, max: input.max ?? 0x0fffffff },
        attrs,
      },
      'XFRM_MSG_NEWSA',
      opts,
    );
    return stateFromMessage(r.body, r.attrs);
  }

  /**
   * Ask the kernel to expire an SA now (`XFRM_MSG_EXPIRE`): emits the EXPIRE event; with
   * `hard` the SA is deleted.
   */
  async expireState(id: XfrmSaId, hard: boolean, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkSaId(id, 'id');
    checkBoolArg(hard, 'hard');
    const s = completeState({ saddr: id.saddr ?? (familyOf(id.daddr) === AF_INET6 ? '::' : '0.0.0.0'), ...id });
    await this.socket.request(
      { type: 'XFRM_MSG_EXPIRE', body: { state: stateToUsersaInfo(s), hard: hard ? 1 : 0 }, attrs: id.mark ? [{ type: 'XFRMA_MARK', value: id.mark }] : [] },
      opts,
    );
  }

  // ---- replay state ----------------------------------------------------------------------

  /**
   * Read an SA's replay state and lifetime counters (`XFRM_MSG_GETAE`); with `thresholds`
   * also the async-event thresholds. Works on larval SAs too.
   * @throws {@link NetlinkKernelError} ESRCH if absent.
   */
  async getReplayState(id: XfrmSaId, opts?: CallOptions & { thresholds?: boolean }): Promise<XfrmAeState> {
    checkCallOptions(opts);
    checkSaId(id, 'id');
    const r = await this.one(
      {
        type: 'XFRM_MSG_GETAE',
        body: { saId: saIdBody(id), saddr: id.saddr ?? '0.0.0.0', flags: opts?.thresholds ? XFRM_AE_RTHR | XFRM_AE_ETHR : 0, reqid: 0 },
        attrs: id.mark ? [{ type: 'XFRMA_MARK', value: id.mark }] : [],
      },
      'XFRM_MSG_NEWAE',
      opts,
    );
    return aeFromMessage(r.body, r.attrs);
  }

  /**
   * {@link getReplayState} for many SAs at once, sent as batches (one `sendmsg` per chunk).
   * One result per SA, in order: the state, or the error for that SA.
   */
  async getReplayStates(
    ids: readonly XfrmSaId[],
    opts?: CallOptions & { thresholds?: boolean; chunkSize?: number },
  ): Promise<(XfrmAeState | NetlinkError)[]> {
    checkCallOptions(opts);
    checkArrayArg(ids, 'ids');
    const flags = opts?.thresholds ? XFRM_AE_RTHR | XFRM_AE_ETHR : 0;
    const msgs = ids.map((id, i) => {
      // A malformed id fails in its own result, unsent, like an unencodable request.
      const bad = badSaId(id, i);
      if (bad) return unencodable<XfrmMessage>(bad);
      return {
        type: 'XFRM_MSG_GETAE',
        body: { saId: saIdBody(id), saddr: id.saddr ?? '0.0.0.0', flags, reqid: 0 },
        attrs: id.mark ? [{ type: 'XFRMA_MARK', value: id.mark }] : [],
      } as Out;
    });
    const results = await this.socket.batch(msgs, opts);
    return results.map((r) => {
      if (!r.ok) return r.error;
      const m = r.replies.find((x) => x.type === 'XFRM_MSG_NEWAE');
      return m && m.type === 'XFRM_MSG_NEWAE' ? aeFromMessage(m.body, m.attrs) : new NetlinkError('XFRM_MSG_GETAE: the kernel sent no XFRM_MSG_NEWAE reply');
    });
  }

  /**
   * Set replay state, lifetime counters and/or thresholds of a live (VALID) SA in place
   * (`XFRM_MSG_NEWAE` with `NLM_F_REPLACE`) — the only way to change replay state of a live
   * SA. The SA's kind is read first: ESN state goes only to ESN/large-window SAs and legacy
   * state only to legacy SAs (the kernel would silently ignore the other), and an ESN
   * bitmap must have the SA's `bmpLen` words.
   * @throws {@link NetlinkKernelError} (EINVAL "SA must be in VALID state" for larval SAs).
   * @throws {@link NetlinkEncodeError} when the state kind does not match the SA (`what`:
   *   `ae.replay` or `ae.replayEsn`), or for a malformed argument.
   */
  async setReplayState(
    id: XfrmSaId,
    ae: Pick<XfrmAeState, 'replay' | 'replayEsn' | 'current' | 'replayThresh' | 'etimerThresh'>,
    opts?: CallOptions,
  ): Promise<void> {
    checkCallOptions(opts);
    checkSaId(id, 'id');
    checkAeInput(ae, 'ae');
    if (ae.replay || ae.replayEsn) {
      const cur = await this.getReplayState(id, opts);
      if (ae.replay && !cur.replay) throw new NetlinkEncodeError('ae.replay', 'the SA uses ESN/large-window replay state; pass replayEsn');
      if (ae.replayEsn && !cur.replayEsn) throw new NetlinkEncodeError('ae.replayEsn', 'the SA uses legacy replay state; pass replay');
      if (ae.replayEsn && cur.replayEsn && ae.replayEsn.bmpLen !== cur.replayEsn.bmpLen) {
        throw new NetlinkEncodeError('ae.replayEsn.bmpLen', `${ae.replayEsn.bmpLen} differs from the SA's ${cur.replayEsn.bmpLen}`);
      }
      if (ae.replayEsn && ae.replayEsn.bmp.length !== ae.replayEsn.bmpLen) {
        throw new NetlinkEncodeError('ae.replayEsn.bmp', 'NEWAE needs the full bitmap (bmp.length === bmpLen)');
      }
    }
    const attrs: XfrmAttribute[] = [];
    if (ae.replayEsn) attrs.push({ type: 'XFRMA_REPLAY_ESN_VAL', value: ae.replayEsn });
    if (ae.replay) attrs.push({ type: 'XFRMA_REPLAY_VAL', value: ae.replay });
    if (ae.current) attrs.push({ type: 'XFRMA_LTIME_VAL', value: ae.current });
    if (ae.replayThresh !== undefined) attrs.push({ type: 'XFRMA_REPLAY_THRESH', value: ae.replayThresh });
    if (ae.etimerThresh !== undefined) attrs.push({ type: 'XFRMA_ETIMER_THRESH', value: ae.etimerThresh });
    if (id.mark) attrs.push({ type: 'XFRMA_MARK', value: id.mark });
    await this.socket.request(
      {
        type: 'XFRM_MSG_NEWAE',
        flags: NLM_F_REPLACE,
        body: { saId: saIdBody(id), saddr: id.saddr ?? '0.0.0.0', flags: 0, reqid: 0 },
        attrs,
      },
      opts,
    );
  }

  // ---- policies --------------------------------------------------------------------------

  /** Add a policy (`XFRM_MSG_NEWPOLICY`). @throws {@link NetlinkKernelError} EEXIST if it exists. */
  async addPolicy(p: XfrmPolicyInput, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    const pol = completePolicy(p);
    await this.socket.request({ type: 'XFRM_MSG_NEWPOLICY', body: policyToInfo(pol), attrs: policyToAttrs(pol) }, opts);
  }

  /** Add or replace a policy (`XFRM_MSG_UPDPOLICY`). */
  async updatePolicy(p: XfrmPolicyInput, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    const pol = completePolicy(p);
    await this.socket.request({ type: 'XFRM_MSG_UPDPOLICY', body: policyToInfo(pol), attrs: policyToAttrs(pol) }, opts);
  }

  /** The GETPOLICY/DELPOLICY message of `id` (checked first: @throws {@link NetlinkEncodeError}). */
  private policyIdMessage(id: XfrmPolicyId, index = -1): { body: { sel: XfrmSelector; index: number; dir: number }; attrs: XfrmAttribute[] } {
    checkPolicyId(id, index < 0 ? 'id' : 'ids', index);
    // The selector wins when both are given (checkPolicyId checked that one).
    const bySel = (id as Partial<XfrmPolicySelectorId>).selector !== undefined;
    const sel = bySel ? (id as XfrmPolicySelectorId).selector : anySelector(AF_INET);
    const ix = bySel ? ((id as Partial<XfrmPolicyIndexId>).index ?? 0) : (id as XfrmPolicyIndexId).index;
    return { body: { sel, index: ix, dir: id.dir }, attrs: policyLookupAttrs(id) };
  }

  /** Read a policy by index or by selector and direction (`XFRM_MSG_GETPOLICY`). @throws {@link NetlinkKernelError} ENOENT. */
  async getPolicy(id: XfrmPolicyId, opts?: CallOptions): Promise<XfrmPolicy> {
    checkCallOptions(opts);
    const r = await this.one({ type: 'XFRM_MSG_GETPOLICY', ...this.policyIdMessage(id) }, 'XFRM_MSG_NEWPOLICY', opts);
    return policyFromMessage(r.body, r.attrs);
  }

  /** Delete a policy (`XFRM_MSG_DELPOLICY`). @throws {@link NetlinkKernelError} ENOENT. */
  async deletePolicy(id: XfrmPolicyId, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    await this.socket.request({ type: 'XFRM_MSG_DELPOLICY', ...this.policyIdMessage(id) }, opts);
  }

  /** Stream every policy (main and sub) with a GETPOLICY dump. */
  listPolicies(opts?: CallOptions): AsyncIterableIterator<XfrmPolicy> {
    checkCallOptions(opts);
    return this.socket.dumpMap(
      { type: 'XFRM_MSG_GETPOLICY', flags: NLM_F_DUMP, body: null, attrs: [] },
      (m) => (m.type === 'XFRM_MSG_NEWPOLICY' ? policyFromMessage(m.body, m.attrs) : undefined),
      opts,
    );
  }

  /** Delete all policies of a type (`XFRM_MSG_FLUSHPOLICY`; default main). */
  async flushPolicies(type: number = XFRM_POLICY_TYPE_MAIN, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkUintArg(type, 0xff, 'type');
    const attrs: XfrmAttribute[] = type !== XFRM_POLICY_TYPE_MAIN ? [{ type: 'XFRMA_POLICY_TYPE', value: { type, reserved1: 0, reserved2: 0 } }] : [];
    await this.socket.request({ type: 'XFRM_MSG_FLUSHPOLICY', body: null, attrs }, opts);
  }

  /** Policy counts, hash sizes and hash thresholds (`XFRM_MSG_GETSPDINFO`). */
  async countPolicies(opts?: CallOptions): Promise<XfrmSpdInfo> {
    checkCallOptions(opts);
    const r = await this.one({ type: 'XFRM_MSG_GETSPDINFO', body: 0, attrs: [] }, 'XFRM_MSG_NEWSPDINFO', opts);
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
    checkCallOptions(opts);
    checkHashThresholds(t, 'thresholds');
    const attrs: import('../xfrm/attributes.js').XfrmSpdAttribute[] = [];
    if (t.ipv4) attrs.push({ type: 'XFRMA_SPD_IPV4_HTHRESH', value: t.ipv4 });
    if (t.ipv6) attrs.push({ type: 'XFRMA_SPD_IPV6_HTHRESH', value: t.ipv6 });
    await this.socket.request({ type: 'XFRM_MSG_NEWSPDINFO', body: 0, attrs }, opts);
  }

  /** The default action per direction (`XFRM_MSG_GETDEFAULT`): `XFRM_USERPOLICY_BLOCK` / `ACCEPT`. */
  async getDefaultPolicy(opts?: CallOptions): Promise<XfrmUserpolicyDefault> {
    checkCallOptions(opts);
    const r = await this.one({ type: 'XFRM_MSG_GETDEFAULT', body: { in: 0, fwd: 0, out: 0 }, attrs: [] }, 'XFRM_MSG_GETDEFAULT', opts);
    return r.body;
  }

  /** Set the default action per direction (`XFRM_MSG_SETDEFAULT`); an omitted direction is left unchanged. */
  async setDefaultPolicy(d: Partial<XfrmUserpolicyDefault>, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkDefaultPolicy(d, 'default');
    await this.socket.request({ type: 'XFRM_MSG_SETDEFAULT', body: { in: d.in ?? 0, fwd: d.fwd ?? 0, out: d.out ?? 0 }, attrs: [] }, opts);
  }

  // ---- migrate ---------------------------------------------------------------------------

  /** Move a policy's templates and SAs to new addresses (`XFRM_MSG_MIGRATE`, with `XFRMA_KMADDRESS`). */
  async migrate(m: MigrateInput, opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkMigrate(m, 'migrate');
    const attrs: XfrmAttribute[] = [{ type: 'XFRMA_MIGRATE', value: m.migrations }];
    if (m.kmaddress) attrs.push({ type: 'XFRMA_KMADDRESS', value: m.kmaddress });
    if (m.encap) attrs.push({ type: 'XFRMA_ENCAP', value: m.encap });
    if (m.type !== undefined && m.type !== XFRM_POLICY_TYPE_MAIN) attrs.push({ type: 'XFRMA_POLICY_TYPE', value: { type: m.type, reserved1: 0, reserved2: 0 } });
    if (m.ifId !== undefined) attrs.push({ type: 'XFRMA_IF_ID', value: m.ifId });
    await this.socket.request({ type: 'XFRM_MSG_MIGRATE', body: { sel: m.selector, index: 0, dir: m.dir }, attrs }, opts);
  }

  /** Migrate one SA by SPI, replay state carried over (`XFRM_MSG_MIGRATE_STATE`, kernel 7.2+). */
  async migrateState(m: XfrmUserMigrateState, attrs: XfrmAttribute[] = [], opts?: CallOptions): Promise<void> {
    checkCallOptions(opts);
    checkMigrateState(m, attrs, 'migrateState');
    await this.socket.request({ type: 'XFRM_MSG_MIGRATE_STATE', body: m, attrs }, opts);
  }

  // ---- bulk ------------------------------------------------------------------------------

  /** Add many SAs in batches (16–256 KiB per `sendmsg`); one result per SA, failures do not stop the rest. */
  async addStates(list: readonly XfrmStateInput[], opts?: CallOptions & { chunkSize?: number; update?: boolean }): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(list, 'states');
    const type = opts?.update ? 'XFRM_MSG_UPDSA' : 'XFRM_MSG_NEWSA';
    // A generator: each message is built, encoded and dropped in turn (cheap young garbage).
    function* msgs(): Generator<Out> {
      for (const sa of list) {
        let m: Out;
        try {
          const s = completeState(sa);
          checkNewStateSpi(s, 'state');
          m = { type, body: stateToUsersaInfo(s), attrs: stateToAttrs(s, true) } as Out;
        } catch (e) {
          // Malformed or contradictory: this SA fails in its own result; the others go on.
          if (!(e instanceof NetlinkEncodeError)) throw e;
          m = unencodable<XfrmMessage>(e);
        }
        yield m;
      }
    }
    return this.socket.batch(msgs(), opts);
  }

  /** Add many policies in batches; one result per policy. */
  async addPolicies(list: readonly XfrmPolicyInput[], opts?: CallOptions & { chunkSize?: number; update?: boolean }): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(list, 'policies');
    const type = opts?.update ? 'XFRM_MSG_UPDPOLICY' : 'XFRM_MSG_NEWPOLICY';
    function* msgs(): Generator<Out> {
      for (const p of list) {
        let m: Out;
        try {
          const pol = completePolicy(p);
          m = { type, body: policyToInfo(pol), attrs: policyToAttrs(pol) } as Out;
        } catch (e) {
          // A malformed policy fails in its own result; the others go on.
          if (!(e instanceof NetlinkEncodeError)) throw e;
          m = unencodable<XfrmMessage>(e);
        }
        yield m;
      }
    }
    return this.socket.batch(msgs(), opts);
  }

  /** Delete many policies in batches (by index or selector, like {@link deletePolicy}); one result per policy. */
  async deletePolicies(ids: readonly XfrmPolicyId[], opts?: CallOptions & { chunkSize?: number }): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(ids, 'ids');
    return this.socket.batch(
      ids.map((id, i) => {
        try {
          return { type: 'XFRM_MSG_DELPOLICY', ...this.policyIdMessage(id, i) } as Out;
        } catch (e) {
          if (!(e instanceof NetlinkEncodeError)) throw e;
          return unencodable<XfrmMessage>(e);
        }
      }),
      opts,
    );
  }

  /** Delete many SAs in batches. */
  async deleteStates(ids: readonly XfrmSaId[], opts?: CallOptions & { chunkSize?: number }): Promise<BatchResult<XfrmMessage>[]> {
    checkCallOptions(opts);
    checkArrayArg(ids, 'ids');
    return this.socket.batch(
      ids.map((id, i) => {
        const bad = badSaId(id, i);
        return bad ? unencodable<XfrmMessage>(bad) : ({ type: 'XFRM_MSG_DELSA', body: saIdBody(id), attrs: saIdAttrs(id) } as Out);
      }),
      opts,
    );
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

/** An async iterable of {@link XfrmEvent}s over one subscription socket. */
export class XfrmEventStream implements AsyncIterableIterator<XfrmEvent> {
  /** The underlying subscription. */
  readonly subscription: Subscription<XfrmMessage>;

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `XfrmEventStream { subscription: ${this.subscription[INSPECT_CUSTOM]()} }`;
  }
  /** @param sub the subscription to read. */
  constructor(sub: Subscription<XfrmMessage>) {
    this.subscription = sub;
  }
  /** @returns this. */
  [Symbol.asyncIterator](): AsyncIterableIterator<XfrmEvent> {
    return this;
  }
  /** Next event. */
  async next(): Promise<IteratorResult<XfrmEvent>> {
    const r = await this.subscription.next();
    if (r.done) return { done: true, value: undefined };
    const v = r.value;
    if ('type' in v && v.type === 'overrun') return { done: false, value: { kind: 'overrun' } };
    return { done: false, value: eventFromMessage(v as XfrmMessage) };
  }
  /** Stop and close the socket. */
  async return(): Promise<IteratorResult<XfrmEvent>> {
    await this.subscription.return();
    return { done: true, value: undefined };
  }
  /** Close the socket. */
  close(): void {
    void this.subscription.return();
  }
}

