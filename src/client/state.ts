/**
 * The friendly SA model of {@link XfrmClient}: one object per SA with named optional fields
 * instead of an attribute list, and the conversions to and from `XFRM_MSG_NEWSA`-shaped
 * messages. Attributes the model does not name are kept in `extraAttrs` and written back.
 * @module
 */
import { NetlinkEncodeError } from '../netlink/errors.js';
import { type XfrmAttribute, type XfrmAttrName } from '../xfrm/attributes.js';
import {
  AF_INET,
  AF_INET6,
  XFRM_MODE_TRANSPORT,
  XFRM_STATE_ESN,
} from '../xfrm/constants.js';
import { addressInFamily } from '../xfrm/structs/address.js';
import { type XfrmEncapTmpl } from '../xfrm/structs/encap-tmpl.js';
import { type XfrmLifetimeCfg, XFRM_LIFETIME_CFG_UNLIMITED } from '../xfrm/structs/lifetime-cfg.js';
import { type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';
import { type XfrmStats } from '../xfrm/structs/stats.js';
import { type XfrmUserOffload } from '../xfrm/structs/user-offload.js';
import { type XfrmUserSecCtx } from '../xfrm/structs/user-sec-ctx.js';
import { encodeXfrmUsersaInfoFields, XFRM_USERSA_INFO_SIZE, type XfrmUsersaInfo } from '../xfrm/structs/usersa-info.js';
import { type NlmsgWriter } from '../netlink/writer.js';
import { IPTFS_BY_ATTR, IPTFS_FIELDS, SA_FIELD_NAMES, SA_PLAIN_BY_ATTR, SA_PLAIN_BY_FIELD, SA_PLAIN_FIELDS, compileFromTable, tableIdentifier, type SaOptionalField, type SaSpecialField } from './sa-fields.js';
import { checkStateInput } from './validate.js';
import { type AttrSink, pushAttr, writeAttr, writeAttrList, zeroAddress } from './defaults.js';

/** An algorithm with a key. `key` is the raw key as the crypto API uses it (salt/nonce included for AEADs). @group Client models */
export interface XfrmKeyedAlgorithm {
  /** Crypto API name, e.g. `'cbc(aes)'`, `'hmac(sha256)'`, `'rfc4106(gcm(aes))'`. */
  name: string;
  /** Key bytes. */
  key: Uint8Array;
  /** Key length in bits when it is not `key.length * 8` (rare). */
  keyBits?: number;
}

/** Authentication algorithm. With `truncLen` the SA carries `XFRMA_ALG_AUTH_TRUNC`, else `XFRMA_ALG_AUTH` (algorithm-default ICV, e.g. 96 bits for hmac(sha256)). @group Client models */
export interface XfrmAuthAlgorithm extends XfrmKeyedAlgorithm {
  /** ICV length in BITS (`alg_trunc_len`), e.g. 128 for RFC 4868 hmac(sha256). */
  truncLen?: number;
}

/** AEAD algorithm (`XFRMA_ALG_AEAD`). @group Client models */
export interface XfrmAeadAlgorithm extends XfrmKeyedAlgorithm {
  /** ICV length in BITS (`alg_icv_len`), e.g. 128. */
  icvLen: number;
}

/** The output mark (`XFRMA_SET_MARK` / `XFRMA_SET_MARK_MASK`) put on packets after transformation. @group Client models */
export interface XfrmOutputMark {
  /** Mark value. */
  value: number;
  /** Mask (the kernel defaults it to 0xffffffff). */
  mask: number;
}

/** IP-TFS parameters (kernel 6.14+, mode `XFRM_MODE_IPTFS`). @group Client models */
export interface XfrmIptfsOptions {
  /** `XFRMA_IPTFS_DROP_TIME` µs (inbound). */
  dropTime?: number;
  /** `XFRMA_IPTFS_REORDER_WINDOW` packets (inbound). */
  reorderWindow?: number;
  /** `XFRMA_IPTFS_DONT_FRAG` (outbound). */
  dontFrag?: boolean;
  /** `XFRMA_IPTFS_INIT_DELAY` µs (outbound). */
  initDelay?: number;
  /** `XFRMA_IPTFS_MAX_QSIZE` octets (outbound). */
  maxQsize?: number;
  /** `XFRMA_IPTFS_PKT_SIZE` octets, 0 = PMTU (outbound). */
  pktSize?: number;
}

/**
 * An SA as the client reads and writes it. Input fields with defaults are optional in
 * {@link XfrmStateInput}; everything read back from the kernel is filled in.
 * @group Client models
 */
export interface XfrmState {
  /** Outer address family: `AF_INET` or `AF_INET6`. */
  family: number;
  /** SA source address (outer). */
  saddr: string;
  /** SA destination address (outer); part of the SA's identity. */
  daddr: string;
  /** SPI (host value; big-endian on the wire). Part of the identity. */
  spi: number;
  /** `IPPROTO_ESP`, `IPPROTO_AH` or `IPPROTO_COMP`. Part of the identity. */
  proto: number;
  /** `XFRM_MODE_*`. */
  mode: number;
  /** Request id matching policy templates (outbound lookup needs an exact match). */
  reqid: number;
  /** `XFRM_STATE_*` flags (e.g. `XFRM_STATE_ESN`). */
  flags: number;
  /** Legacy replay window (`replay_window`, kernel clamps to 32; must be 0 with {@link replayEsn}). */
  replayWindow: number;
  /** Traffic selector (defaults to "any" of the SA's family). */
  selector: XfrmSelector;
  /** Soft and hard limits (defaults: no limits). */
  lifetime: XfrmLifetimeCfg;
  /** ACQUIRE sequence to answer (`xfrm_usersa_info.seq`); not an ESP sequence number. */
  acquireSeq: number;
  /** Current lifetime counters: read from `curlft`; on add, written as `XFRMA_LTIME_VAL` (restores add_time). */
  current?: XfrmLifetimeCur;
  /** Replay/integrity counters (read only). */
  stats?: XfrmStats;
  /** Authentication. */
  auth?: XfrmAuthAlgorithm;
  /** Encryption. */
  crypt?: XfrmKeyedAlgorithm;
  /** Combined-mode AEAD (exclusive with auth/crypt). */
  aead?: XfrmAeadAlgorithm;
  /** IPComp algorithm name (e.g. `'deflate'`). */
  comp?: string;
  /** UDP/TCP encapsulation (NAT-T). */
  encap?: XfrmEncapTmpl;
  /** Legacy replay state (`XFRMA_REPLAY_VAL`). */
  replay?: XfrmReplayState;
  /** ESN / large-window replay state (`XFRMA_REPLAY_ESN_VAL`). */
  replayEsn?: XfrmReplayStateEsn;
  /** Mark and mask selecting the SA. */
  mark?: XfrmMark;
  /** Output mark. */
  outputMark?: XfrmOutputMark;
  /** XFRM interface id. */
  ifId?: number;
  /** `XFRM_SA_DIR_IN` / `XFRM_SA_DIR_OUT` (kernel 6.10+). */
  dir?: number;
  /** Per-CPU SA: CPU number (upstream 6.13; also in Debian's 6.12.117: detect by reading back, not by version). */
  pcpu?: number;
  /** TFC padding bytes (tunnel-mode ESP). */
  tfcpad?: number;
  /** `XFRM_SA_XFLAG_*`. */
  extraFlags?: number;
  /** Hardware offload. */
  offload?: XfrmUserOffload;
  /** Security context. */
  secCtx?: XfrmUserSecCtx;
  /** MIPv6 care-of address. */
  coaddr?: string;
  /** Last use, seconds since the epoch (read only). */
  lastUsed?: bigint;
  /** NAT mapping max age in seconds (`XFRMA_MTIMER_THRESH`). */
  mtimerThresh?: number;
  /** NAT keepalive interval in seconds (kernel 6.11+). */
  natKeepaliveInterval?: number;
  /** Async-event replay threshold (packets). */
  replayThresh?: number;
  /** Async-event timer threshold, written in jiffies (read back through GETAE in 100 ms units). */
  etimerThresh?: number;
  /** IP-TFS options. */
  iptfs?: XfrmIptfsOptions;
  /** Attributes this model does not name, kept and written back as they are. */
  extraAttrs?: XfrmAttribute[];
}

/** What {@link XfrmClient.addState} takes: the identity and keys, with defaults for the rest. @group Client models */
export type XfrmStateInput = Pick<XfrmState, 'saddr' | 'daddr' | 'spi' | 'proto'> &
  Partial<Omit<XfrmState, 'saddr' | 'daddr' | 'spi' | 'proto'>>;

/** Lifetime with no limits: `XFRM_INF` for bytes/packets, 0 for the seconds fields. @group Client */
export function unlimitedLifetime(): XfrmLifetimeCfg {
  return { ...XFRM_LIFETIME_CFG_UNLIMITED };
}

/** Family of an address string. */
export function familyOf(addr: string): number {
  return addr.includes(':') ? AF_INET6 : AF_INET;
}

/** A selector matching everything of `family`. @group Client */
export function anySelector(family: number): XfrmSelector {
  const zero = zeroAddress(family);
  return {
    daddr: zero,
    saddr: zero,
    dport: 0,
    dportMask: 0,
    sport: 0,
    sportMask: 0,
    family,
    prefixlenD: 0,
    prefixlenS: 0,
    proto: 0,
    ifindex: 0,
    user: 0,
  };
}

/** @internal Shared zero counters for requests (frozen: never mutated). */
export const ZERO_CUR: Readonly<XfrmLifetimeCur> = Object.freeze({ bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n });

/**
 * @internal The default lifetime of {@link completeState}/{@link completePolicy}: one frozen
 * object shared by every SA and policy that did not give its own (bulk loads create 100k of
 * them otherwise). Pass your own object to change limits.
 */
export const DEFAULT_LIFETIME: Readonly<XfrmLifetimeCfg> = XFRM_LIFETIME_CFG_UNLIMITED;
const ZERO_STATS: XfrmStats = { replayWindow: 0, replay: 0, integrityFailed: 0 };

/** @internal Copy every optional field `src` has onto `dst`, reading each by computed name. */
export function copyOptionalFieldsGeneric(src: XfrmStateInput, dst: XfrmState): void {
  const from = src as Partial<Record<keyof XfrmState, unknown>>;
  const to = dst as unknown as Record<string, unknown>;
  for (const k of SA_FIELD_NAMES) if (from[k] !== undefined) to[k] = from[k];
}

/** The same, compiled from the table (see {@link compileWriteStateAttrs} for why). */
const copyOptionalFields =
  compileFromTable<typeof copyOptionalFieldsGeneric>(
    'src, dst',
    SA_FIELD_NAMES.map((k) => `if (src.${tableIdentifier(k)} !== undefined) dst.${k} = src.${k};`),
    undefined,
  ) ?? copyOptionalFieldsGeneric;

/**
 * Fill the defaults of an {@link XfrmStateInput}, after checking every field and that the
 * addresses, family, selector and NAT-OA agree.
 * @throws {@link NetlinkEncodeError} naming the field (`state.aead.key`, `state.saddr`…).
 */
export function completeState(input: XfrmStateInput): XfrmState {
  checkStateInput(input, 'state');
  const family = input.family ?? familyOf(input.daddr);
  // Explicit fields rather than a spread: bulk loads call this per SA (see completePolicy).
  const s: XfrmState = {
    family,
    saddr: input.saddr,
    daddr: input.daddr,
    spi: input.spi,
    proto: input.proto,
    mode: input.mode ?? XFRM_MODE_TRANSPORT,
    reqid: input.reqid ?? 0,
    flags: input.flags ?? 0,
    replayWindow: input.replayWindow ?? 0,
    selector: input.selector ?? anySelector(family),
    lifetime: input.lifetime ?? DEFAULT_LIFETIME,
    acquireSeq: input.acquireSeq ?? 0,
  };
  // Every optional field (the table lists them all; a new field needs its check in
  // checkStateInput, validate.ts, and a value in the bases of test/client/validation.test.ts).
  copyOptionalFields(input, s);
  if (s.replayEsn && input.flags === undefined && s.replayEsn.bmpLen > 0) {
    // ESN is what users mean by a large window; the BMP mode (ESN state without the flag)
    // stays reachable by passing flags explicitly.
    s.flags |= XFRM_STATE_ESN;
  }
  return s;
}

type A = XfrmAttribute;

/** The `xfrm_usersa_info` header of an SA. */
export function stateToUsersaInfo(s: XfrmState): XfrmUsersaInfo {
  return {
    sel: s.selector,
    id: { daddr: s.daddr, spi: s.spi, proto: s.proto },
    saddr: s.saddr,
    lft: s.lifetime,
    curlft: s.current ?? ZERO_CUR,
    stats: s.stats ?? ZERO_STATS,
    seq: s.acquireSeq,
    reqid: s.reqid,
    family: s.family,
    mode: s.mode,
    replayWindow: s.replayWindow,
    flags: s.flags,
  };
}

/**
 * Where {@link emitStateAttrs} sends an SA's attributes: each named one to `sink`, a list of
 * attribute objects (`extraAttrs`) to `list` — a message object's list, or the message being
 * written.
 */
interface StateAttrOut<C> {
  readonly sink: AttrSink<C>;
  readonly list: (ctx: C, attrs: readonly XfrmAttribute[]) => void;
}

/** How a special field (see `sa-fields.ts`) is written; `null` where another row or the header carries it. */
type SpecialWriter = (<C>(s: XfrmState, out: StateAttrOut<C>, ctx: C, withCurrent: boolean) => void) | null;

function keyLen(alg: XfrmKeyedAlgorithm): number {
  return alg.keyBits ?? alg.key.length * 8;
}

/** The special fields' writers, at their rows' places in the emission order. */
const WRITE_SPECIAL: { readonly [F in SaSpecialField]: SpecialWriter } = {
  aead: (s, out, ctx) => {
    const a = s.aead!;
    out.sink(ctx, 'XFRMA_ALG_AEAD', { algName: a.name, algKey: a.key, algKeyLen: keyLen(a), algIcvLen: a.icvLen });
  },
  auth: (s, out, ctx) => {
    const a = s.auth!;
    if (a.truncLen !== undefined) {
      out.sink(ctx, 'XFRMA_ALG_AUTH_TRUNC', { algName: a.name, algKey: a.key, algKeyLen: keyLen(a), algTruncLen: a.truncLen });
    } else {
      out.sink(ctx, 'XFRMA_ALG_AUTH', { algName: a.name, algKey: a.key, algKeyLen: keyLen(a) });
    }
  },
  crypt: (s, out, ctx) => out.sink(ctx, 'XFRMA_ALG_CRYPT', { algName: s.crypt!.name, algKey: s.crypt!.key, algKeyLen: keyLen(s.crypt!) }),
  comp: (s, out, ctx) => out.sink(ctx, 'XFRMA_ALG_COMP', { algName: s.comp!, algKey: new Uint8Array(0), algKeyLen: 0 }),
  encap: (s, out, ctx) => out.sink(ctx, 'XFRMA_ENCAP', s.encap!),
  outputMark: (s, out, ctx) => {
    out.sink(ctx, 'XFRMA_SET_MARK', s.outputMark!.value);
    out.sink(ctx, 'XFRMA_SET_MARK_MASK', s.outputMark!.mask);
  },
  // The kernel takes one replay state: the ESN one wins.
  replayEsn: (s, out, ctx) => out.sink(ctx, 'XFRMA_REPLAY_ESN_VAL', s.replayEsn!),
  replay: (s, out, ctx) => {
    if (!s.replayEsn) out.sink(ctx, 'XFRMA_REPLAY_VAL', s.replay!);
  },
  current: (s, out, ctx, withCurrent) => {
    if (withCurrent) out.sink(ctx, 'XFRMA_LTIME_VAL', s.current!);
  },
  iptfs: (s, out, ctx) => {
    const t = s.iptfs! as Record<string, unknown>;
    for (const [k, type] of Object.entries(IPTFS_FIELDS)) {
      const v = t[k];
      if (v !== undefined && v !== false) out.sink(ctx, type as XfrmAttrName, v as never);
    }
  },
  stats: null, // header only
  extraAttrs: (s, out, ctx) => out.list(ctx, s.extraAttrs!),
};

/** One step of {@link stateToAttrs}: a plain field names its attribute (the value is copied), a special one its writer. */
interface WriteStep {
  readonly field: SaOptionalField;
  readonly attr: XfrmAttrName | null;
  readonly write: SpecialWriter;
}
/** The written fields, in table order. */
const WRITE_ORDER: readonly WriteStep[] =
  SA_FIELD_NAMES.flatMap((field) => {
    const plain = SA_PLAIN_BY_FIELD.get(field);
    if (plain) return plain.readOnly ? [] : [{ field, attr: plain.attr, write: null } as WriteStep];
    const write = WRITE_SPECIAL[field as SaSpecialField];
    return write ? [{ field, attr: null, write } as WriteStep] : [];
  });

/** @internal The generic form of {@link stateToAttrs}'s loop: reads each field by computed name. */
export function writeStateAttrsGeneric(s: XfrmState, out: XfrmAttribute[], withCurrent: boolean): void {
  writeStateAttrsTo(s, TO_LIST, out, withCurrent);
}

/** The generic loop into any {@link StateAttrOut}. */
function writeStateAttrsTo<C>(s: XfrmState, out: StateAttrOut<C>, ctx: C, withCurrent: boolean): void {
  for (let i = 0; i < WRITE_ORDER.length; i++) {
    const w = WRITE_ORDER[i]!;
    const v = s[w.field];
    if (v === undefined) continue;
    if (w.attr !== null) out.sink(ctx, w.attr, v as never);
    else w.write!(s, out, ctx, withCurrent);
  }
}

/**
 * The same loop compiled once, at load, into straight-line code from {@link WRITE_ORDER}: one
 * `if (s.field !== undefined)` per field, as one would write it by hand. Why: most optional
 * fields are absent, and V8 answers a read of an absent property by computed name slowly
 * (≈ 17 ns, 26 fields per SA: ≈ 0.45 µs per SA against ≈ 0.05 µs compiled; bulk installs
 * write 10k+ SAs). The source is built only from the table's own names, checked to be
 * identifiers. Where code generation is disallowed (`--disallow-code-generation-from-strings`)
 * the generic loop runs instead.
 */
function compileWriteStateAttrs(): typeof writeStateAttrsTo {
  const lines = WRITE_ORDER.map((w, i) => {
    const f = tableIdentifier(w.field);
    return w.attr !== null
      ? `if (s.${f} !== undefined) sink(ctx, '${tableIdentifier(w.attr)}', s.${f});`
      : `if (s.${f} !== undefined) T[${i}].write(s, out, ctx, withCurrent);`;
  });
  return compileFromTable<typeof writeStateAttrsTo>('s, out, ctx, withCurrent', ['const sink = out.sink;', ...lines], WRITE_ORDER) ?? writeStateAttrsTo;
}
const writeStateAttrs = compileWriteStateAttrs();

/**
 * The attributes that express an SA in a NEWSA/UPDSA request, in the kernel's own emission
 * order (the order of the SA field table). `current` becomes `XFRMA_LTIME_VAL` only when
 * `withCurrent` is set (restores).
 * @throws {@link NetlinkEncodeError} for contradictory options (AEAD with auth/crypt).
 */
export function stateToAttrs(s: XfrmState, withCurrent = false): XfrmAttribute[] {
  const out: A[] = [];
  emitStateAttrs(s, withCurrent, TO_LIST, out);
  return out;
}

/** {@link StateAttrOut} into a list of attribute objects. */
const TO_LIST: StateAttrOut<XfrmAttribute[]> = { sink: pushAttr, list: (out, attrs) => void out.push(...attrs) };
/** {@link StateAttrOut} into the message being written. */
const TO_WRITER: StateAttrOut<NlmsgWriter> = { sink: writeAttr, list: writeAttrList };

/**
 * The attributes of {@link stateToAttrs}, in its order, into `out` — the one list of them,
 * for message objects and for writers.
 * @throws {@link NetlinkEncodeError} for contradictory options (AEAD with auth/crypt).
 */
function emitStateAttrs<C>(s: XfrmState, withCurrent: boolean, out: StateAttrOut<C>, ctx: C): void {
  if (s.aead && (s.auth || s.crypt)) {
    throw new NetlinkEncodeError('XFRMA_ALG_AEAD', 'an AEAD SA cannot also have auth or crypt algorithms');
  }
  writeStateAttrs(s, out, ctx, withCurrent);
}

/**
 * @internal Write the header and attributes of a NEWSA/UPDSA of `s` (a completed state)
 * into the message begun in `w`: the bytes of {@link stateToUsersaInfo} and
 * {@link stateToAttrs}, without their objects.
 * @throws {@link NetlinkEncodeError}
 */
export function writeStatePayload(w: NlmsgWriter, s: XfrmState, withCurrent: boolean): void {
  const off = w.alloc(XFRM_USERSA_INFO_SIZE);
  encodeXfrmUsersaInfoFields(w.view, off, s.selector, s.daddr, s.spi, s.proto, s.saddr, s.lifetime, s.current ?? ZERO_CUR, s.stats ?? ZERO_STATS, s.acquireSeq, s.reqid, s.family, s.mode, s.replayWindow, s.flags, w.le);
  emitStateAttrs(s, withCurrent, TO_WRITER, w);
}

/** @internal The generic form of the plain-field reader: `false` when `a` is no plain field's attribute. */
export function readPlainAttrGeneric(s: XfrmState, a: XfrmAttribute, family: number): boolean {
  const plain = SA_PLAIN_BY_ATTR.get(a.type as string);
  if (plain === undefined) return false;
  // An address has no family of its own: show it in the SA's.
  (s as unknown as Record<string, unknown>)[plain.field] = plain.address ? addressInFamily(a.value as string, family) : a.value;
  return true;
}

/**
 * The plain-field reader compiled once into a `switch` with one case per attribute, for the
 * reason given at {@link compileWriteStateAttrs} (a store by computed name that adds a
 * property is as slow as a read of an absent one).
 */
function compileReadPlainAttr(): typeof readPlainAttrGeneric {
  const lines = ['switch (a.type) {'];
  for (const p of SA_PLAIN_FIELDS) {
    const f = tableIdentifier(p.field);
    lines.push(`  case '${tableIdentifier(p.attr)}': s.${f} = ${p.address ? 'T(a.value, family)' : 'a.value'}; return true;`);
  }
  lines.push('  default: return false;', '}');
  return compileFromTable<typeof readPlainAttrGeneric>('s, a, family', lines, addressInFamily) ?? readPlainAttrGeneric;
}
const readPlainAttr = compileReadPlainAttr();

/**
 * Build the friendly SA from a NEWSA-shaped header and its attributes (GETSA reply, dump
 * entry, SA notification; for DELSA notifications pass the `XFRMA_SA` value as header).
 * Messages built elsewhere than the decoder (a snapshot's JSON) may lack fields: the ones
 * this function reads through are checked, the rest is left to {@link completeState} when
 * the SA is written back.
 * @throws {@link NetlinkEncodeError} naming the part that is missing or of the wrong type.
 */
export function stateFromMessage(info: XfrmUsersaInfo, attrs: readonly XfrmAttribute[]): XfrmState {
  if (typeof info !== 'object' || info === null) throw new NetlinkEncodeError('xfrm_usersa_info', 'expected an object');
  if (typeof info.id !== 'object' || info.id === null) throw new NetlinkEncodeError('xfrm_usersa_info.id', 'expected an object');
  if (!Array.isArray(attrs)) throw new NetlinkEncodeError('attrs', 'expected an array');
  const s: XfrmState = {
    family: info.family,
    saddr: info.saddr,
    daddr: info.id.daddr,
    spi: info.id.spi,
    proto: info.id.proto,
    mode: info.mode,
    reqid: info.reqid,
    flags: info.flags,
    replayWindow: info.replayWindow,
    selector: info.sel,
    lifetime: info.lft,
    acquireSeq: info.seq,
    current: info.curlft,
    stats: info.stats,
  };
  let authPlain: XfrmAuthAlgorithm | undefined;
  let extra: A[] | undefined;
  let setMark: number | undefined;
  let setMarkMask: number | undefined;
  const iptfs: XfrmIptfsOptions = {};
  for (const a of attrs) {
    if (typeof a !== 'object' || a === null) throw new NetlinkEncodeError('attrs', 'expected attribute objects');
    switch (a.type) {
      case 'XFRMA_ALG_AUTH':
        checkAlgValue(a.type, a.value);
        authPlain = { name: a.value.algName, key: a.value.algKey, ...keyBits(a.value.algKeyLen, a.value.algKey) };
        break;
      case 'XFRMA_ALG_AUTH_TRUNC':
        checkAlgValue(a.type, a.value);
        s.auth = { name: a.value.algName, key: a.value.algKey, truncLen: a.value.algTruncLen, ...keyBits(a.value.algKeyLen, a.value.algKey) };
        break;
      case 'XFRMA_ALG_CRYPT':
        checkAlgValue(a.type, a.value);
        s.crypt = { name: a.value.algName, key: a.value.algKey, ...keyBits(a.value.algKeyLen, a.value.algKey) };
        break;
      case 'XFRMA_ALG_AEAD':
        checkAlgValue(a.type, a.value);
        s.aead = { name: a.value.algName, key: a.value.algKey, icvLen: a.value.algIcvLen, ...keyBits(a.value.algKeyLen, a.value.algKey) };
        break;
      case 'XFRMA_ALG_COMP':
        if (typeof a.value !== 'object' || a.value === null) throw new NetlinkEncodeError(a.type, 'expected an object');
        s.comp = a.value.algName;
        break;
      case 'XFRMA_ENCAP':
        if (typeof a.value !== 'object' || a.value === null) throw new NetlinkEncodeError(a.type, 'expected an object');
        // encap_oa has no family of its own: show it in the SA's.
        s.encap = { ...a.value, encapOa: addressInFamily(a.value.encapOa, info.family) };
        break;
      case 'XFRMA_REPLAY_VAL':
        s.replay = a.value;
        break;
      case 'XFRMA_REPLAY_ESN_VAL':
        s.replayEsn = a.value;
        break;
      case 'XFRMA_LTIME_VAL':
        s.current = a.value;
        break;
      case 'XFRMA_SET_MARK':
        setMark = a.value;
        break;
      case 'XFRMA_SET_MARK_MASK':
        setMarkMask = a.value;
        break;
      case 'XFRMA_PAD':
      case 'XFRMA_SA':
        break;
      default: {
        if (readPlainAttr(s, a, info.family)) break;
        const opt = IPTFS_BY_ATTR.get(a.type as string);
        if (opt !== undefined) (iptfs as Record<string, unknown>)[opt] = a.value;
        else (extra ??= []).push(a);
      }
    }
  }
  // The kernel reports an auth algorithm twice (ALG_AUTH and ALG_AUTH_TRUNC); the truncated
  // form carries strictly more, so it wins.
  if (!s.auth && authPlain) s.auth = authPlain;
  if (setMark !== undefined || setMarkMask !== undefined) s.outputMark = { value: setMark ?? 0, mask: setMarkMask ?? 0xffffffff };
  if (Object.keys(iptfs).length > 0) s.iptfs = iptfs;
  if (extra !== undefined) s.extraAttrs = extra;
  return s;
}

/** An algorithm attribute's value must carry its name and key bytes (never shown). */
function checkAlgValue(type: string, v: { algName: string; algKey: Uint8Array } | null | undefined): void {
  if (typeof v !== 'object' || v === null) throw new NetlinkEncodeError(type, 'expected an object');
  if (typeof v.algName !== 'string') throw new NetlinkEncodeError(`${type}.algName`, 'expected a string');
  if (!(v.algKey instanceof Uint8Array)) throw new NetlinkEncodeError(`${type}.algKey`, 'expected a Uint8Array');
}

function keyBits(bits: number | undefined, key: Uint8Array): { keyBits?: number } {
  return bits !== undefined && bits !== key.length * 8 ? { keyBits: bits } : {};
}
