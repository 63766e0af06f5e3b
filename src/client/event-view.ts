/**
 * {@link XfrmEventView}: one notification of {@link XfrmEventStream.drain} over its bytes, and
 * {@link XfrmEventPolicyView}, the policy inside a policy event. Nothing is decoded until a
 * getter reads it; `toEvent()` gives exactly the {@link XfrmEvent} that `for await` yields.
 *
 * Lifetime: as the dump views (docs/views.md) — valid during the `drain` callback that
 * received it (precisely: until the datagram that carried it is done); afterwards every
 * getter throws {@link XfrmViewExpiredError}. Keep what you need with `toEvent()` or by
 * copying fields.
 * @module
 */
import { NLMSG_HDRLEN } from '../netlink/align.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import { decodeMessage, type NlmsgRawMessage } from '../netlink/message.js';
import { nlmsgAt } from '../netlink/reader.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { type SubscriptionDrainHandler } from '../socket/subscription.js';
import {
  XFRM_MSG_ACQUIRE,
  XFRM_MSG_DELPOLICY,
  XFRM_MSG_DELSA,
  XFRM_MSG_EXPIRE,
  XFRM_MSG_FLUSHPOLICY,
  XFRM_MSG_FLUSHSA,
  XFRM_MSG_GETDEFAULT,
  XFRM_MSG_MAPPING,
  XFRM_MSG_MIGRATE,
  XFRM_MSG_MIGRATE_STATE,
  XFRM_MSG_NEWAE,
  XFRM_MSG_NEWPOLICY,
  XFRM_MSG_NEWSA,
  XFRM_MSG_POLEXPIRE,
  XFRM_MSG_REPORT,
  XFRM_MSG_UPDPOLICY,
  XFRM_MSG_UPDSA,
  XFRMA_POLICY,
} from '../xfrm/constants.js';
import { xfrmFamily, type XfrmMessage } from '../xfrm/family.js';
import { decodeXfrmLifetimeCfg, type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import { decodeXfrmLifetimeCur, type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { XFRM_USERPOLICY_INFO_SIZE } from '../xfrm/structs/userpolicy-info.js';
import { XFRM_USERPOLICY_ID_SIZE } from '../xfrm/structs/userpolicy-id.js';
import { eventFromMessage, type XfrmEvent } from './events.js';
import { type XfrmPolicy } from './policy.js';
import { XfrmStateView } from './state-view.js';
import { XfrmSelectorView, XfrmViewExpiredError, type ViewLease } from './views.js';

/** What {@link XfrmEventView.kind} can be: the `kind` of every {@link XfrmEvent}. @group Events */
export type XfrmEventKind = XfrmEvent['kind'];

/** `nlmsg_type` → the event kind `eventFromMessage` gives a well-formed message of that type. */
const KIND_OF: ReadonlyMap<number, XfrmEventKind> = new Map<number, XfrmEventKind>([
  [XFRM_MSG_ACQUIRE, 'acquire'],
  [XFRM_MSG_EXPIRE, 'expire'],
  [XFRM_MSG_POLEXPIRE, 'polexpire'],
  [XFRM_MSG_NEWSA, 'newsa'],
  [XFRM_MSG_UPDSA, 'updsa'],
  [XFRM_MSG_DELSA, 'delsa'],
  [XFRM_MSG_FLUSHSA, 'flushsa'],
  [XFRM_MSG_NEWPOLICY, 'newpolicy'],
  [XFRM_MSG_UPDPOLICY, 'updpolicy'],
  [XFRM_MSG_DELPOLICY, 'delpolicy'],
  [XFRM_MSG_FLUSHPOLICY, 'flushpolicy'],
  [XFRM_MSG_NEWAE, 'aevent'],
  [XFRM_MSG_REPORT, 'report'],
  [XFRM_MSG_MIGRATE, 'migrate'],
  [XFRM_MSG_MIGRATE_STATE, 'migrate-state'],
  [XFRM_MSG_MAPPING, 'mapping'],
  [XFRM_MSG_GETDEFAULT, 'default-policy'],
]);

/**
 * By `nlmsg_type`: the kind, and the fixed header's size (a shorter message decodes to
 * `'unknown'`). Arrays indexed by type: read per event, a Map and the family's spec lookup cost more.
 */
const KIND_BY_TYPE: (XfrmEventKind | undefined)[] = [];
const HEADER_BY_TYPE: number[] = [];
for (const [type, kind] of KIND_OF) {
  KIND_BY_TYPE[type] = kind;
  HEADER_BY_TYPE[type] = xfrmFamily.headerSize?.(type, 0) ?? 0;
}

/** Byte order of the host-order fields: a subscription's socket speaks the host's. */
const LE = HOST_LE;

/**
 * The `struct xfrm_userpolicy_info` of a policy event, read field by field from the bytes:
 * the message's fixed header (NEWPOLICY, UPDPOLICY; POLEXPIRE's `pol`) or DELPOLICY's
 * `XFRMA_POLICY`. Valid as long as its {@link XfrmEventView}.
 * @group Events
 */
export class XfrmEventPolicyView {
  readonly #lease: ViewLease;
  readonly #off: number;
  readonly #event: XfrmEventView;
  #selector: XfrmSelectorView | undefined;

  /** @internal Made by {@link XfrmEventView.policy}: the struct at `offset` of the lease's bytes (bounds checked there). */
  constructor(lease: ViewLease, offset: number, event: XfrmEventView) {
    this.#lease = lease;
    this.#off = offset;
    this.#event = event;
  }

  #v(): DataView {
    if (!this.#lease.live) throw new XfrmViewExpiredError('XfrmEventPolicyView');
    return this.#lease.view;
  }

  /** True until the datagram holding the bytes is released; afterwards every getter throws. */
  get valid(): boolean {
    return this.#lease.live;
  }
  /** `index` (kernel-assigned). */
  get index(): number {
    return this.#v().getUint32(this.#off + 156, LE);
  }
  /** `dir`: `XFRM_POLICY_IN` / `OUT` / `FWD`. */
  get dir(): number {
    return this.#v().getUint8(this.#off + 160);
  }
  /** `action`. */
  get action(): number {
    return this.#v().getUint8(this.#off + 161);
  }
  /** `priority`. */
  get priority(): number {
    return this.#v().getUint32(this.#off + 152, LE);
  }
  /** `flags`. */
  get flags(): number {
    return this.#v().getUint8(this.#off + 162);
  }
  /** `share`. */
  get share(): number {
    return this.#v().getUint8(this.#off + 163);
  }
  /** The selector, as a view over the same bytes (`.toObject()` for a plain one). */
  get selector(): XfrmSelectorView {
    this.#v();
    return (this.#selector ??= new XfrmSelectorView(this.#lease, this.#off));
  }
  /** Lifetime limits (decoded on each read). */
  get lifetime(): XfrmLifetimeCfg {
    return decodeXfrmLifetimeCfg(this.#v(), this.#off + 56, LE);
  }
  /** Current lifetime counters (decoded on each read). */
  get current(): XfrmLifetimeCur {
    return decodeXfrmLifetimeCur(this.#v(), this.#off + 120, LE);
  }
  /**
   * The whole policy as the typed event has it (templates, mark… from the message's
   * attributes): `toEvent().policy`. A fresh object, valid after the view expires.
   * @throws {@link NetlinkDecodeError} when the message does not decode; {@link XfrmViewExpiredError} after expiry.
   */
  toObject(): XfrmPolicy {
    const ev = this.#event.toEvent();
    const p = 'policy' in ev ? ev.policy : undefined;
    if (p === undefined) throw new NetlinkDecodeError('xfrm_userpolicy_info', this.#off, 'the message does not decode to a policy event');
    return p;
  }

  /** `util.inspect`: a one-line summary, or that the view expired. */
  [INSPECT_CUSTOM](): string {
    if (!this.valid) return 'XfrmEventPolicyView <expired>';
    const s = this.selector;
    return `XfrmEventPolicyView { index: ${this.index}, dir: ${this.dir}, selector: ${s.saddr}/${s.prefixlenS} -> ${s.daddr}/${s.prefixlenD} }`;
  }
}

/**
 * One notification handed on by {@link XfrmEventStream.drain}, over its bytes: `kind` from
 * the message type, the policy or SA of policy and SA events as views, and `toEvent()` for
 * the full typed {@link XfrmEvent}. An overrun marker is a view of kind `'overrun'` without
 * bytes (always valid).
 *
 * `kind` is what `toEvent()` gives for a well-formed message; a message whose attributes do
 * not decode is `'unknown'` there (as in `for await`), while `kind` still names its type
 * (its fixed header, when too short, makes `kind` `'unknown'` here too).
 * @group Events
 */
export class XfrmEventView {
  readonly #lease: ViewLease | undefined;
  readonly #off: number;
  readonly #len: number;
  #policy: XfrmEventPolicyView | null | undefined;
  #state: XfrmStateView | null | undefined;

  /** @internal Made by the stream's drain handler: the message of `length` bytes at `offset` (framing checked); no lease for an overrun marker. */
  constructor(lease: ViewLease | undefined, offset: number, length: number) {
    this.#lease = lease;
    this.#off = offset;
    this.#len = length;
  }

  #v(): DataView {
    const lease = this.#lease!;
    if (!lease.live) throw new XfrmViewExpiredError('XfrmEventView');
    return lease.view;
  }

  /** True until the datagram holding the bytes is released (an overrun marker: always). */
  get valid(): boolean {
    return this.#lease === undefined || this.#lease.live;
  }

  /** `nlmsg_type` (`XFRM_MSG_*`); 0 for an overrun marker. */
  get type(): number {
    return this.#lease === undefined ? 0 : this.#v().getUint16(this.#off + 4, LE);
  }

  /** The event's kind, as in {@link XfrmEvent} (see the class notes for malformed messages). */
  get kind(): XfrmEventKind {
    if (this.#lease === undefined) return 'overrun';
    const type = this.#v().getUint16(this.#off + 4, LE);
    const kind = KIND_BY_TYPE[type];
    if (kind === undefined) return 'unknown';
    return this.#len - NLMSG_HDRLEN >= HEADER_BY_TYPE[type]! ? kind : 'unknown';
  }

  /**
   * The policy of a `newpolicy`, `updpolicy`, `polexpire` or `delpolicy` event (DELPOLICY's
   * from its `XFRMA_POLICY` attribute, which the kernel includes); `undefined` for other
   * kinds or when absent.
   */
  get policy(): XfrmEventPolicyView | undefined {
    // Expired: throw, even when the policy view was made before (as every getter does).
    if (this.#lease !== undefined && !this.#lease.live) throw new XfrmViewExpiredError('XfrmEventView');
    if (this.#policy !== undefined) return this.#policy ?? undefined;
    this.#policy = null;
    const lease = this.#lease;
    if (lease === undefined) return undefined;
    const v = this.#v();
    const type = v.getUint16(this.#off + 4, LE);
    const body = this.#off + NLMSG_HDRLEN;
    const end = this.#off + this.#len;
    if (type === XFRM_MSG_NEWPOLICY || type === XFRM_MSG_UPDPOLICY || type === XFRM_MSG_POLEXPIRE) {
      if (end - body >= XFRM_USERPOLICY_INFO_SIZE) this.#policy = new XfrmEventPolicyView(lease, body, this);
    } else if (type === XFRM_MSG_DELPOLICY) {
      // The attributes after xfrm_userpolicy_id: the first XFRMA_POLICY big enough.
      let off = body + XFRM_USERPOLICY_ID_SIZE;
      while (end - off >= 4) {
        const alen = v.getUint16(off, LE);
        if (alen < 4 || alen > end - off) break;
        if ((v.getUint16(off + 2, LE) & 0x3fff) === XFRMA_POLICY && alen - 4 >= XFRM_USERPOLICY_INFO_SIZE) {
          this.#policy = new XfrmEventPolicyView(lease, off + 4, this);
          break;
        }
        off += (alen + 3) & ~3;
      }
    }
    return this.#policy ?? undefined;
  }

  /**
   * The SA of a `newsa` or `updsa` event, as the dump's {@link XfrmStateView}; `undefined`
   * for other kinds (`expire` and `delsa` carry theirs inside other structs: `toEvent().state`).
   * @throws {@link NetlinkDecodeError} when the message's framing is broken.
   */
  get state(): XfrmStateView | undefined {
    if (this.#lease !== undefined && !this.#lease.live) throw new XfrmViewExpiredError('XfrmEventView');
    if (this.#state !== undefined) return this.#state ?? undefined;
    this.#state = null;
    const lease = this.#lease;
    if (lease === undefined) return undefined;
    const type = this.#v().getUint16(this.#off + 4, LE);
    if (type === XFRM_MSG_NEWSA || type === XFRM_MSG_UPDSA) this.#state = new XfrmStateView(lease, this.#off, this.#len);
    return this.#state ?? undefined;
  }

  /**
   * The typed event, decoded by the same code as `for await (const ev of client.events())`
   * (equal to what it yields for this message). A fresh object: valid after the view expires.
   * @throws {@link XfrmViewExpiredError} after expiry.
   */
  toEvent(): XfrmEvent {
    if (this.#lease === undefined) return { kind: 'overrun' };
    const v = this.#v();
    const loc = nlmsgAt(v, this.#off, this.#off + this.#len, LE);
    let m: XfrmMessage | NlmsgRawMessage;
    try {
      m = decodeMessage(v, loc, xfrmFamily, LE) as XfrmMessage;
    } catch {
      // As the subscription does: a notification the family cannot decode is delivered raw.
      m = decodeMessage(v, loc, null, LE) as NlmsgRawMessage;
    }
    return eventFromMessage(m);
  }

  /** `util.inspect`: kind and type, or that the view expired (never the bytes: an SA event holds keys). */
  [INSPECT_CUSTOM](): string {
    if (!this.valid) return 'XfrmEventView <expired>';
    return `XfrmEventView { kind: '${this.kind}', type: ${this.type} }`;
  }
}

/** The overrun marker of {@link XfrmEventStream.drain}: no bytes, always valid. */
const OVERRUN_VIEW = new XfrmEventView(undefined, 0, 0);

/** A lease for the first datagram, replaced before any view reads it. */
const NO_BYTES = new DataView(new ArrayBuffer(0));

/**
 * @internal The {@link SubscriptionDrainHandler} of {@link XfrmEventStream.drain}: a view per
 * message for `fn`, one lease per datagram, ended on release.
 */
export class EventViewHandler implements SubscriptionDrainHandler {
  fn: (ev: XfrmEventView) => void = () => undefined;
  #lease: ViewLease = { live: true, view: NO_BYTES, le: LE };

  message(view: DataView, offset: number, length: number): void {
    const lease = this.#lease;
    lease.view = view;
    this.fn(new XfrmEventView(lease, offset, length));
  }

  release(): void {
    this.#lease.live = false;
    this.#lease = { live: true, view: NO_BYTES, le: LE };
  }

  overrun(): void {
    this.fn(OVERRUN_VIEW);
  }
}
