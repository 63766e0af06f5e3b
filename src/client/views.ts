/**
 * Views over the bytes of one dumped policy or SA: {@link XfrmPolicyView},
 * {@link XfrmStateView} and the {@link XfrmSelectorView} inside them. A getter decodes its
 * field when it is read; `toObject()` gives exactly what `listPolicies`/`listStates` yield.
 *
 * Lifetime: a view reads the socket's receive buffer, which is reused for the next datagram.
 * A view is valid during the callback that received it (precisely: until the datagram that
 * carried it is done, after the callback of its last message); afterwards every getter throws
 * {@link XfrmViewExpiredError} instead of reading bytes that now belong to another message.
 * Keep what you need with `toObject()` or by copying fields. See `docs/views.md`.
 * @module
 */
import { NLMSG_HDRLEN } from '../netlink/align.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkError } from '../netlink/errors.js';
import { nlmsgAt } from '../netlink/reader.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { viewOf } from '../netlink/view.js';
import { type RawDumpHandler } from '../socket/types.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { AF_INET6, XFRM_MSG_NEWPOLICY } from '../xfrm/constants.js';
import { decodeXfrmMessage } from '../xfrm/family.js';
import { decodeXfrmAddress, familyHint, ipv4Text, type XfrmAddress } from '../xfrm/structs/address.js';
import { decodeXfrmLifetimeCfg, type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import { decodeXfrmLifetimeCur, type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { decodeXfrmSelector, type XfrmSelector } from '../xfrm/structs/selector.js';
import { type XfrmUserOffload } from '../xfrm/structs/user-offload.js';
import { type XfrmUserSecCtx } from '../xfrm/structs/user-sec-ctx.js';
import { type XfrmUserTmpl } from '../xfrm/structs/user-tmpl.js';
import { XFRM_USERPOLICY_INFO_SIZE } from '../xfrm/structs/userpolicy-info.js';
import { toJson } from './json.js';
import { policyFromMessage, type XfrmPolicy } from './policy.js';

/**
 * A view (policy, SA or selector) was read after the datagram holding its bytes was done:
 * the buffer now holds other messages. Views are valid only inside the callback that received
 * them; keep data with `toObject()`. @group Errors
 */
export class XfrmViewExpiredError extends NetlinkError {
  /** The kind of view: `'XfrmPolicyView'`, `'XfrmStateView'` or `'XfrmSelectorView'`. */
  readonly view: string;
  /** @param view the kind of view. @param options `ErrorOptions`. */
  constructor(view: string, options?: ErrorOptions) {
    super(
      `${view} read after its datagram was released (the receive buffer now holds other messages): a view is valid only inside the callback that received it — keep what you need with toObject()`,
      options,
    );
    this.name = 'XfrmViewExpiredError';
    this.view = view;
  }
}

/**
 * @internal The bytes of one datagram are readable while `live`. One lease per datagram: the
 * handler ends it when the router releases the datagram, and every getter checks it. The
 * lease also carries what all views of the datagram share (its bytes and their byte order),
 * so that a view is only its lease and its offsets: fewer fields to fill per entry.
 */
export interface ViewLease {
  live: boolean;
  /** The datagram's bytes (the socket's receive buffer, or a datagram in memory). */
  view: DataView;
  /** Byte order of the host-order fields (the socket's). */
  readonly le: boolean;
}

/** A view for the first lease, replaced before any view reads it. */
const NO_BYTES = new DataView(new ArrayBuffer(0));

// The fixed offsets read by the getters below are those of the struct tables in
// xfrm/structs (userpolicy-info.ts, usersa-info.ts, selector.ts, id.ts); everything that is
// more than one scalar is decoded by those files' decoders, and toObject() by the message
// decoder itself, so a view and listPolicies/listStates cannot disagree (test/client/views.test.ts).

/**
 * @internal The lease's bytes, or {@link XfrmViewExpiredError} naming `kind` once it ended. A
 * plain function, not a private method per class: a private method's brand check on each
 * read was measurable in a 100k-entry dump.
 */
export function liveBytes(lease: ViewLease, kind: string): DataView {
  if (!lease.live) throw new XfrmViewExpiredError(kind);
  return lease.view;
}

/** A policy's or SA's `struct xfrm_selector`, read from the message's bytes field by field. @group Client models */
export class XfrmSelectorView {
  readonly #lease: ViewLease;
  readonly #off: number;

  /** @internal Made by the policy and SA views: the selector at `offset` of the lease's bytes. */
  constructor(lease: ViewLease, offset: number) {
    this.#lease = lease;
    this.#off = offset;
  }

  /** `daddr`, formatted as in {@link XfrmSelector} (the selector's family picks the notation). */
  get daddr(): XfrmAddress {
    const v = liveBytes(this.#lease, 'XfrmSelectorView');
    return addressAt(v, this.#off, v.getUint16(this.#off + 40, this.#lease.le));
  }
  /** `saddr`. */
  get saddr(): XfrmAddress {
    const v = liveBytes(this.#lease, 'XfrmSelectorView');
    return addressAt(v, this.#off + 16, v.getUint16(this.#off + 40, this.#lease.le));
  }
  /** `dport` (big-endian on the wire). */
  get dport(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint16(this.#off + 32, false);
  }
  /** `dport_mask`. */
  get dportMask(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint16(this.#off + 34, false);
  }
  /** `sport`. */
  get sport(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint16(this.#off + 36, false);
  }
  /** `sport_mask`. */
  get sportMask(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint16(this.#off + 38, false);
  }
  /** `family`. */
  get family(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint16(this.#off + 40, this.#lease.le);
  }
  /** `prefixlen_d`. */
  get prefixlenD(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint8(this.#off + 42);
  }
  /** `prefixlen_s`. */
  get prefixlenS(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint8(this.#off + 43);
  }
  /** `proto`. */
  get proto(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint8(this.#off + 44);
  }
  /** `ifindex` (signed). */
  get ifindex(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getInt32(this.#off + 48, this.#lease.le);
  }
  /** `user`. */
  get user(): number {
    return liveBytes(this.#lease, 'XfrmSelectorView').getUint32(this.#off + 52, this.#lease.le);
  }

  /** The selector as a plain {@link XfrmSelector} (a copy: valid after the view expires). */
  toObject(): XfrmSelector {
    return decodeXfrmSelector(liveBytes(this.#lease, 'XfrmSelectorView'), this.#off, this.#lease.le);
  }

  /** JSON: the plain selector. */
  toJSON(): unknown {
    return toJson(this.toObject());
  }

  /** `util.inspect`: the fields, or that the view expired. */
  [INSPECT_CUSTOM](): string {
    if (!this.#lease.live) return 'XfrmSelectorView <expired>';
    return `XfrmSelectorView { ${this.saddr}/${this.prefixlenS} -> ${this.daddr}/${this.prefixlenD} proto ${this.proto} }`;
  }
}

/**
 * `decodeXfrmAddress(view, offset, familyHint(family))` without its bounds check for the IPv4
 * case: the view's message was framed when the view was made, so its 16 bytes are inside.
 */
/** @internal */
export function addressAt(view: DataView, offset: number, family: number): XfrmAddress {
  if (family !== AF_INET6 && view.getUint32(offset + 4) === 0 && view.getUint32(offset + 8) === 0 && view.getUint32(offset + 12) === 0) {
    return ipv4Text(view.getUint32(offset, false));
  }
  return decodeXfrmAddress(view, offset, familyHint(family));
}

/**
 * Framing is checked when a view is made, as the decoding dump path would: a message too short
 * for its header (`headerSize` bytes) or with broken attribute headers fails the dump with the
 * decoder's own error.
 */
/** @internal */
export function checkFraming(lease: ViewLease, offset: number, length: number, headerSize: number): void {
  const view = lease.view;
  if (length - NLMSG_HDRLEN < headerSize || !attrFramingOk(view, offset + NLMSG_HDRLEN + headerSize, offset + length, lease.le)) {
    decodeXfrmMessage(view, nlmsgAt(view, offset, offset + length, lease.le), lease.le);
  }
}

/**
 * The message whose fixed header is at `off`, decoded whole. Its length comes from its own
 * `nlmsg_len`: the view framed it when it was made, and the bytes cannot change while the
 * lease is live (a view keeps no length field: one field less to fill per entry).
 */
/** @internal */
export function decodeAt(view: DataView, off: number, le: boolean): { body: unknown; attrs: XfrmAttribute[] } {
  const at = off - NLMSG_HDRLEN;
  return decodeXfrmMessage(view, nlmsgAt(view, at, at + view.getUint32(at, le), le), le) as { body: unknown; attrs: XfrmAttribute[] };
}

/**
 * @internal The fully decoded entry of a view whose attribute fields were read (`templates`,
 * keys, …), kept beside the view instead of in a field of its own: most dumps read no attribute
 * field, and every field of a view costs each of the 100k entries of a large dump.
 */
export const FULL = new WeakMap<object, unknown>();

// XfrmPolicyView and XfrmStateView repeat the few members below instead of sharing a base
// class: a derived class's construction (super call) cost ~10 ns more per view, ~1 ms per
// 100k-entry dump.

/**
 * One policy of a dump (`XFRM_MSG_NEWPOLICY`) over its bytes, from
 * {@link XfrmClient.forEachPolicy}. Header fields are read when accessed; the fields carried
 * in attributes (`templates`, `mark`, …) decode the message once on first access. Valid only
 * inside the callback (see {@link XfrmViewExpiredError}); `toObject()` gives the
 * {@link XfrmPolicy} that `listPolicies` yields.
 * @group Client models
 */
export class XfrmPolicyView {
  readonly #lease: ViewLease;
  /** Offset of the fixed header (after `nlmsghdr`) in the lease's bytes. */
  private readonly off: number;

  /** @internal Made by the dump handler over a message the router (or `nlmsgAt`) framed: `length` bytes at `offset` of the lease's bytes. */
  constructor(lease: ViewLease, offset: number, length: number) {
    checkFraming(lease, offset, length, XFRM_USERPOLICY_INFO_SIZE);
    this.#lease = lease;
    this.off = offset + NLMSG_HDRLEN;
  }

  /** Byte order of the host-order fields (the socket's). */
  private get le(): boolean {
    return this.#lease.le;
  }

  /** The bytes, after checking the lease. */
  private v(): DataView {
    if (!this.#lease.live) throw new XfrmViewExpiredError('XfrmPolicyView');
    return this.#lease.view;
  }

  /** The whole message decoded once, for the fields that live in attributes. */
  private full(): XfrmPolicy {
    this.v();
    let full = FULL.get(this) as XfrmPolicy | undefined;
    if (full === undefined) FULL.set(this, (full = this.toObject()));
    return full;
  }

  /** True until the datagram holding the bytes is released; afterwards every getter throws. */
  get valid(): boolean {
    return this.#lease.live;
  }

  /**
   * The full typed value, decoded by the same code as `listPolicies` (equal to what it yields for
   * this message). A fresh object: it stays valid after the view expires.
   * @throws {@link NetlinkDecodeError} for malformed bytes, {@link XfrmViewExpiredError} after expiry.
   */
  toObject(): XfrmPolicy {
    const m = decodeAt(this.v(), this.off, this.le);
    return policyFromMessage(m.body as Parameters<typeof policyFromMessage>[0], m.attrs);
  }

  /** JSON: {@link toJson} of {@link toObject} (keys redacted, `bigint` as strings). */
  toJSON(): unknown {
    return toJson(this.toObject());
  }

  /** `index` (kernel-assigned). */
  get index(): number {
    return this.v().getUint32(this.off + 156, this.le);
  }
  /** `dir`: `XFRM_POLICY_IN` / `OUT` / `FWD`. */
  get dir(): number {
    return this.v().getUint8(this.off + 160);
  }
  /** `action`. */
  get action(): number {
    return this.v().getUint8(this.off + 161);
  }
  /** `priority`. */
  get priority(): number {
    return this.v().getUint32(this.off + 152, this.le);
  }
  /** `flags`. */
  get flags(): number {
    return this.v().getUint8(this.off + 162);
  }
  /** `share`. */
  get share(): number {
    return this.v().getUint8(this.off + 163);
  }
  /** The selector, as a view over the same bytes (`.toObject()` for a plain one); a new view on each read, with the same lifetime as this one. */
  get selector(): XfrmSelectorView {
    this.v();
    // A new small view per read, not one cached in a field of this view: a 100k-entry dump
    // is bound by the memory it allocates (fresh cache lines while the kernel's walk evicts
    // them), and the field cost every entry 8 bytes whether its selector was read or not.
    return new XfrmSelectorView(this.#lease, this.off);
  }
  /** Lifetime limits (decoded on each read). */
  get lifetime(): XfrmLifetimeCfg {
    return decodeXfrmLifetimeCfg(this.v(), this.off + 56, this.le);
  }
  /** Current lifetime counters (decoded on each read). */
  get current(): XfrmLifetimeCur {
    return decodeXfrmLifetimeCur(this.v(), this.off + 120, this.le);
  }
  /** Templates (`XFRMA_TMPL`). Read only: the same array on every read of this view. */
  get templates(): XfrmUserTmpl[] {
    return this.full().templates;
  }
  /** Policy type (`XFRMA_POLICY_TYPE`), if present. */
  get type(): number | undefined {
    return this.full().type;
  }
  /** Mark and mask, if present. */
  get mark(): XfrmMark | undefined {
    return this.full().mark;
  }
  /** XFRM interface id, if present. */
  get ifId(): number | undefined {
    return this.full().ifId;
  }
  /** Security context, if present. */
  get secCtx(): XfrmUserSecCtx | undefined {
    return this.full().secCtx;
  }
  /** Packet offload, if present. */
  get offload(): XfrmUserOffload | undefined {
    return this.full().offload;
  }
  /** Attributes the model does not name. */
  get extraAttrs(): XfrmAttribute[] | undefined {
    return this.full().extraAttrs;
  }

  /** `util.inspect`: a one-line summary, or that the view expired. */
  [INSPECT_CUSTOM](): string {
    if (!this.valid) return 'XfrmPolicyView <expired>';
    const s = this.selector;
    return `XfrmPolicyView { index: ${this.index}, dir: ${this.dir}, selector: ${s.saddr}/${s.prefixlenS} -> ${s.daddr}/${s.prefixlenD} }`;
  }
}

/** The checks of `decodeAttrs` on the attribute headers in `[start, end)`, without decoding payloads. */
function attrFramingOk(view: DataView, start: number, end: number, le: boolean): boolean {
  let off = start;
  while (off < end) {
    if (end - off < 4) return false;
    const len = view.getUint16(off, le);
    if (len < 4 || len > end - off) return false;
    off += Math.min((len + 3) & ~3, end - off);
  }
  return true;
}

/**
 * @internal The {@link RawDumpHandler} of `forEachPolicy`/`forEachState`: a view per message of
 * `type`, handed to `fn`; one lease per datagram, ended on release.
 */
export class ViewDumpHandler<V> implements RawDumpHandler {
  /** Views handed to the callback. */
  count = 0;
  #lease: ViewLease;

  constructor(
    private readonly type: number,
    private readonly make: (lease: ViewLease, offset: number, length: number) => V,
    private readonly fn: (view: V) => void,
    private readonly le: boolean,
  ) {
    this.#lease = { live: true, view: NO_BYTES, le };
  }

  message(view: DataView, offset: number, length: number): void {
    if (view.getUint16(offset + 4, this.le) !== this.type) return;
    this.count++;
    const lease = this.#lease;
    lease.view = view;
    this.fn(this.make(lease, offset, length));
  }

  release(): void {
    this.#lease.live = false;
    this.#lease = { live: true, view: NO_BYTES, le: this.le };
  }
}

/** @internal Factories of the two views, for {@link ViewDumpHandler}. */
export const makePolicyView = (lease: ViewLease, offset: number, length: number): XfrmPolicyView => new XfrmPolicyView(lease, offset, length);

/**
 * Walk one datagram already in memory (e.g. captured from a GETPOLICY dump) as the socket
 * would: each `XFRM_MSG_NEWPOLICY` becomes an {@link XfrmPolicyView} handed to `fn`; the views
 * expire when this returns. Returns how many were handed.
 * @throws {@link NetlinkDecodeError} for malformed framing, or what `fn` threw.
 */
export function forEachPolicyView(datagram: Uint8Array, fn: (p: XfrmPolicyView) => void, le: boolean = HOST_LE): number {
  return walk(datagram, new ViewDumpHandler(XFRM_MSG_NEWPOLICY, makePolicyView, fn, le), le);
}

/** @internal Walk one in-memory datagram through `h` (the views expire when it returns). */
export function walk<V>(datagram: Uint8Array, h: ViewDumpHandler<V>, le: boolean): number {
  const view = viewOf(datagram);
  try {
    let off = 0;
    while (off < datagram.length) {
      const loc = nlmsgAt(view, off, datagram.length, le);
      off += Math.min((loc.len + 3) & ~3, datagram.length - off);
      h.message(view, loc.offset, loc.len);
    }
  } finally {
    h.release();
  }
  return h.count;
}
