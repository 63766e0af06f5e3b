/**
 * {@link XfrmStateView}: one SA of a dump over its bytes (the lease, the selector view and the
 * framing checks it shares with the policy view are in `views.ts`).
 * @module
 */
import { NLMSG_HDRLEN } from '../netlink/align.js';
import { HOST_LE } from '../netlink/endian.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { XFRM_MSG_NEWSA } from '../xfrm/constants.js';
import { type XfrmAddress } from '../xfrm/structs/address.js';
import { type XfrmEncapTmpl } from '../xfrm/structs/encap-tmpl.js';
import { decodeXfrmLifetimeCfg, type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import { type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { decodeXfrmStats, type XfrmStats } from '../xfrm/structs/stats.js';
import { type XfrmUserOffload } from '../xfrm/structs/user-offload.js';
import { type XfrmUserSecCtx } from '../xfrm/structs/user-sec-ctx.js';
import { XFRM_USERSA_INFO_SIZE } from '../xfrm/structs/usersa-info.js';
import { toJson } from './json.js';
import {
  stateFromMessage,
  type XfrmAeadAlgorithm,
  type XfrmAuthAlgorithm,
  type XfrmIptfsOptions,
  type XfrmKeyedAlgorithm,
  type XfrmOutputMark,
  type XfrmState,
} from './state.js';
import { addressAt, checkFraming, decodeAt, FULL, ViewDumpHandler, type ViewLease, walk, XfrmSelectorView, XfrmViewExpiredError } from './views.js';

// The SA and policy views repeat their few lines of lease and decode plumbing on purpose: with
// an abstract base class holding them, the 100k view dump replayed from memory ran 1.16x slower
// (bench/views-ab.mjs replay, 31 rounds, paired) — a base-class constructor per entry.
/**
 * One SA of a dump (`XFRM_MSG_NEWSA`) over its bytes, from {@link XfrmClient.forEachState}.
 * Header fields are read when accessed; the fields carried in attributes (keys, replay state,
 * marks, …) decode the message once on first access, with the same types as
 * {@link XfrmState} (keys as redacted `SecretBytes`). Valid only inside the callback (see
 * {@link XfrmViewExpiredError}); `toObject()` gives the {@link XfrmState} that `listStates`
 * yields. Printing a view never shows key material.
 * @group Client models
 */
export class XfrmStateView {
  readonly #lease: ViewLease;
  /** Offset of the fixed header (after `nlmsghdr`) in the lease's bytes. */
  private readonly off: number;

  /** @internal Made by the dump handler over a message the router (or `nlmsgAt`) framed: `length` bytes at `offset` of the lease's bytes. */
  constructor(lease: ViewLease, offset: number, length: number) {
    checkFraming(lease, offset, length, XFRM_USERSA_INFO_SIZE);
    this.#lease = lease;
    this.off = offset + NLMSG_HDRLEN;
  }

  /** Byte order of the host-order fields (the socket's). */
  private get le(): boolean {
    return this.#lease.le;
  }

  /** The bytes, after checking the lease. */
  private v(): DataView {
    if (!this.#lease.live) throw new XfrmViewExpiredError('XfrmStateView');
    return this.#lease.view;
  }

  /** The whole message decoded once, for the fields that live in attributes. */
  private full(): XfrmState {
    this.v();
    let full = FULL.get(this) as XfrmState | undefined;
    if (full === undefined) FULL.set(this, (full = this.toObject()));
    return full;
  }

  /** True until the datagram holding the bytes is released; afterwards every getter throws. */
  get valid(): boolean {
    return this.#lease.live;
  }

  /**
   * The full typed value, decoded by the same code as `listStates` (equal to what it yields for
   * this message). A fresh object: it stays valid after the view expires.
   * @throws {@link NetlinkDecodeError} for malformed bytes, {@link XfrmViewExpiredError} after expiry.
   */
  toObject(): XfrmState {
    const m = decodeAt(this.v(), this.off, this.le);
    return stateFromMessage(m.body as Parameters<typeof stateFromMessage>[0], m.attrs);
  }

  /** JSON: {@link toJson} of {@link toObject} (keys redacted, `bigint` as strings). */
  toJSON(): unknown {
    return toJson(this.toObject());
  }

  /** `family` of the addresses. */
  get family(): number {
    return this.v().getUint16(this.off + 212, this.le);
  }
  /** Destination address (`id.daddr`), in the SA's family notation. */
  get daddr(): XfrmAddress {
    const v = this.v();
    return addressAt(v, this.off + 56, v.getUint16(this.off + 212, this.le));
  }
  /** `id.spi` (host number; big-endian on the wire). */
  get spi(): number {
    return this.v().getUint32(this.off + 72, false);
  }
  /** `id.proto`. */
  get proto(): number {
    return this.v().getUint8(this.off + 76);
  }
  /** Source address. */
  get saddr(): XfrmAddress {
    const v = this.v();
    return addressAt(v, this.off + 80, v.getUint16(this.off + 212, this.le));
  }
  /** `mode`. */
  get mode(): number {
    return this.v().getUint8(this.off + 214);
  }
  /** `reqid`. */
  get reqid(): number {
    return this.v().getUint32(this.off + 208, this.le);
  }
  /** `flags` (`XFRM_STATE_*`). */
  get flags(): number {
    return this.v().getUint8(this.off + 216);
  }
  /** Legacy `replay_window`. */
  get replayWindow(): number {
    return this.v().getUint8(this.off + 215);
  }
  /** The ACQUIRE sequence (`seq`). */
  get acquireSeq(): number {
    return this.v().getUint32(this.off + 204, this.le);
  }
  /** The selector, as a view over the same bytes; a new view on each read, with the same lifetime as this one. */
  get selector(): XfrmSelectorView {
    this.v();
    // A new small view per read, not one cached in a field of this view: a 100k-entry dump
    // is bound by the memory it allocates (fresh cache lines while the kernel's walk evicts
    // them), and the field cost every entry 8 bytes whether its selector was read or not.
    return new XfrmSelectorView(this.#lease, this.off);
  }
  /** Lifetime limits (decoded on each read). */
  get lifetime(): XfrmLifetimeCfg {
    return decodeXfrmLifetimeCfg(this.v(), this.off + 96, this.le);
  }
  /** Statistics (decoded on each read). */
  get stats(): XfrmStats {
    return decodeXfrmStats(this.v(), this.off + 192, this.le);
  }
  /** Current lifetime counters (`XFRMA_LTIME_VAL` when present, else the header's). */
  get current(): XfrmLifetimeCur | undefined {
    return this.full().current;
  }
  /** Authentication algorithm with its key (redacted when printed). */
  get auth(): XfrmAuthAlgorithm | undefined {
    return this.full().auth;
  }
  /** Encryption algorithm with its key (redacted when printed). */
  get crypt(): XfrmKeyedAlgorithm | undefined {
    return this.full().crypt;
  }
  /** AEAD algorithm with its key (redacted when printed). */
  get aead(): XfrmAeadAlgorithm | undefined {
    return this.full().aead;
  }
  /** Compression algorithm name. */
  get comp(): string | undefined {
    return this.full().comp;
  }
  /** UDP encapsulation. */
  get encap(): XfrmEncapTmpl | undefined {
    return this.full().encap;
  }
  /** Legacy replay state. */
  get replay(): XfrmReplayState | undefined {
    return this.full().replay;
  }
  /** ESN replay state. */
  get replayEsn(): XfrmReplayStateEsn | undefined {
    return this.full().replayEsn;
  }
  /** Mark and mask. */
  get mark(): XfrmMark | undefined {
    return this.full().mark;
  }
  /** Output mark. */
  get outputMark(): XfrmOutputMark | undefined {
    return this.full().outputMark;
  }
  /** XFRM interface id. */
  get ifId(): number | undefined {
    return this.full().ifId;
  }
  /** SA direction. */
  get dir(): number | undefined {
    return this.full().dir;
  }
  /** Per-CPU SA id. */
  get pcpu(): number | undefined {
    return this.full().pcpu;
  }
  /** TFC padding. */
  get tfcpad(): number | undefined {
    return this.full().tfcpad;
  }
  /** `XFRM_SA_XFLAG_*`. */
  get extraFlags(): number | undefined {
    return this.full().extraFlags;
  }
  /** Offload. */
  get offload(): XfrmUserOffload | undefined {
    return this.full().offload;
  }
  /** Security context. */
  get secCtx(): XfrmUserSecCtx | undefined {
    return this.full().secCtx;
  }
  /** Care-of address. */
  get coaddr(): string | undefined {
    return this.full().coaddr;
  }
  /** Last use time. */
  get lastUsed(): bigint | undefined {
    return this.full().lastUsed;
  }
  /** IP-TFS options. */
  get iptfs(): XfrmIptfsOptions | undefined {
    return this.full().iptfs;
  }
  /** Attributes the model does not name. */
  get extraAttrs(): XfrmAttribute[] | undefined {
    return this.full().extraAttrs;
  }

  /** `util.inspect`: the SA's identity only (never key material), or that the view expired. */
  [INSPECT_CUSTOM](): string {
    if (!this.valid) return 'XfrmStateView <expired>';
    return `XfrmStateView { daddr: ${this.daddr}, spi: 0x${this.spi.toString(16).padStart(8, '0')}, proto: ${this.proto}, reqid: ${this.reqid} }`;
  }
}

/** @internal Factory of SA views, for {@link ViewDumpHandler}. */
export const makeStateView = (lease: ViewLease, offset: number, length: number): XfrmStateView => new XfrmStateView(lease, offset, length);

/**
 * {@link forEachPolicyView} for SAs: each `XFRM_MSG_NEWSA` of the datagram as an {@link XfrmStateView}.
 * @throws {@link NetlinkDecodeError} for malformed framing, or what `fn` threw.
 */
export function forEachStateView(datagram: Uint8Array, fn: (s: XfrmStateView) => void, le: boolean = HOST_LE): number {
  return walk(datagram, new ViewDumpHandler(XFRM_MSG_NEWSA, makeStateView, fn, le), le);
}

