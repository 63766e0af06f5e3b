/**
 * The XFRM netlink family: typed messages for every `XFRM_MSG_*` type and the
 * {@link NetlinkFamily} that decodes and encodes them.
 * @module
 */
import { nlmsgAlign, NLMSG_HDRLEN } from '../netlink/align.js';
import { NETLINK_XFRM, NLM_F_DUMP } from '../netlink/constants.js';
import { HOST_LE } from '../netlink/endian.js';
import { NetlinkDecodeError, NetlinkEncodeError } from '../netlink/errors.js';
import { SecretBytes } from '../netlink/secret.js';
import {
  decodeMessage,
  decodeMessages,
  encodeMessage,
  encodeMessages,
  type NetlinkFamily,
  type NetlinkMessage,
  type NlMessageBase,
} from '../netlink/message.js';
import { attrsLength, decodeAttrs, encodeAttrs, type NlAttribute } from '../netlink/nlattr.js';
import { type NlmsgLocation } from '../netlink/reader.js';
import { bytesForWrite, checkSpan, copyBytes } from '../netlink/view.js';
import { type NlmsgWriter } from '../netlink/writer.js';
import {
  type XfrmAttribute,
  type XfrmAttrValues,
  type XfrmSadAttribute,
  type XfrmSadAttrValues,
  type XfrmSpdAttribute,
  type XfrmSpdAttrValues,
} from './attributes.js';
import { XFRM_MESSAGE_SPECS, type XfrmMessageSpec } from './messages/index.js';
import { type XfrmAeventId } from './structs/aevent-id.js';
import { type XfrmUserAcquire } from './structs/user-acquire.js';
import { type XfrmUserExpire } from './structs/user-expire.js';
import { type XfrmUserMapping } from './structs/user-mapping.js';
import { type XfrmUserMigrateState } from './structs/user-migrate-state.js';
import { type XfrmUserPolexpire } from './structs/user-polexpire.js';
import { type XfrmUserReport } from './structs/user-report.js';
import { type XfrmUserpolicyDefault } from './structs/userpolicy-default.js';
import { type XfrmUserpolicyId } from './structs/userpolicy-id.js';
import { type XfrmUserpolicyInfo } from './structs/userpolicy-info.js';
import { type XfrmUsersaFlush } from './structs/usersa-flush.js';
import { type XfrmUsersaId } from './structs/usersa-id.js';
import { type XfrmUsersaInfo } from './structs/usersa-info.js';
import { type XfrmUserspiInfo } from './structs/userspi-info.js';

/** Fixed header type of each XFRM message, keyed by the message's kernel name. */
export interface XfrmMessageBodies {
  /** `struct xfrm_usersa_info`. */
  XFRM_MSG_NEWSA: XfrmUsersaInfo;
  /** `struct xfrm_usersa_id`. */
  XFRM_MSG_DELSA: XfrmUsersaId;
  /** `struct xfrm_usersa_id`; `null` in a dump request that carries only filter attributes. */
  XFRM_MSG_GETSA: XfrmUsersaId | null;
  /** `struct xfrm_userpolicy_info`. */
  XFRM_MSG_NEWPOLICY: XfrmUserpolicyInfo;
  /** `struct xfrm_userpolicy_id`. */
  XFRM_MSG_DELPOLICY: XfrmUserpolicyId;
  /** `struct xfrm_userpolicy_id`; `null` in a dump request without it. */
  XFRM_MSG_GETPOLICY: XfrmUserpolicyId | null;
  /** `struct xfrm_userspi_info`. */
  XFRM_MSG_ALLOCSPI: XfrmUserspiInfo;
  /** `struct xfrm_user_acquire`. */
  XFRM_MSG_ACQUIRE: XfrmUserAcquire;
  /** `struct xfrm_user_expire`. */
  XFRM_MSG_EXPIRE: XfrmUserExpire;
  /** `struct xfrm_userpolicy_info`. */
  XFRM_MSG_UPDPOLICY: XfrmUserpolicyInfo;
  /** `struct xfrm_usersa_info`. */
  XFRM_MSG_UPDSA: XfrmUsersaInfo;
  /** `struct xfrm_user_polexpire`. */
  XFRM_MSG_POLEXPIRE: XfrmUserPolexpire;
  /** `struct xfrm_usersa_flush`. */
  XFRM_MSG_FLUSHSA: XfrmUsersaFlush;
  /** No fixed header. */
  XFRM_MSG_FLUSHPOLICY: null;
  /** `struct xfrm_aevent_id`. */
  XFRM_MSG_NEWAE: XfrmAeventId;
  /** `struct xfrm_aevent_id`. */
  XFRM_MSG_GETAE: XfrmAeventId;
  /** `struct xfrm_user_report`. */
  XFRM_MSG_REPORT: XfrmUserReport;
  /** `struct xfrm_userpolicy_id`. */
  XFRM_MSG_MIGRATE: XfrmUserpolicyId;
  /** u32 flags (echoed by the kernel). */
  XFRM_MSG_NEWSADINFO: number;
  /** u32 flags. */
  XFRM_MSG_GETSADINFO: number;
  /** u32 flags. */
  XFRM_MSG_NEWSPDINFO: number;
  /** u32 flags. */
  XFRM_MSG_GETSPDINFO: number;
  /** `struct xfrm_user_mapping`. */
  XFRM_MSG_MAPPING: XfrmUserMapping;
  /** `struct xfrm_userpolicy_default`. */
  XFRM_MSG_SETDEFAULT: XfrmUserpolicyDefault;
  /** `struct xfrm_userpolicy_default`. */
  XFRM_MSG_GETDEFAULT: XfrmUserpolicyDefault;
  /** `struct xfrm_user_migrate_state`. */
  XFRM_MSG_MIGRATE_STATE: XfrmUserMigrateState;
}

/** Name of an XFRM message type, e.g. `'XFRM_MSG_NEWSA'`. */
export type XfrmMessageName = keyof XfrmMessageBodies;

/** Attribute value types of each message's space: SAD/SPD info replies use their own spaces. */
export type XfrmAttrValuesOf<K extends XfrmMessageName> = K extends 'XFRM_MSG_NEWSADINFO'
  ? XfrmSadAttrValues
  : K extends 'XFRM_MSG_NEWSPDINFO'
    ? XfrmSpdAttrValues
    : XfrmAttrValues;

/** Attribute list type of each message: SAD/SPD info replies use their own spaces. */
export type XfrmAttrsOf<K extends XfrmMessageName> = K extends 'XFRM_MSG_NEWSADINFO'
  ? XfrmSadAttribute[]
  : K extends 'XFRM_MSG_NEWSPDINFO'
    ? XfrmSpdAttribute[]
    : XfrmAttribute[];

/** A decoded XFRM message of type `K`. */
export interface XfrmMessageOf<K extends XfrmMessageName> extends NlMessageBase {
  /** Message type name. */
  type: K;
  /** The fixed header. */
  body: XfrmMessageBodies[K];
  /** Attributes after the header, in wire order. */
  attrs: XfrmAttrsOf<K>;
  /**
   * Only for a GETSA/GETPOLICY dump request whose payload is neither attributes nor the
   * header (e.g. a zeroed legacy header shorter than the struct): the raw payload, kept so
   * that it re-encodes unchanged.
   */
  payload?: Uint8Array;
}

/** Any decoded XFRM message (discriminated on `type`). @group Kernel structs */
export type XfrmMessage = { [K in XfrmMessageName]: XfrmMessageOf<K> }[XfrmMessageName];

/** Anything read from an XFRM socket: XFRM messages and netlink control messages. */
export type XfrmNetlinkMessage = NetlinkMessage<XfrmMessage>;

const byType: (XfrmMessageSpec | undefined)[] = [];
const byName = new Map<string, XfrmMessageSpec>();
for (const s of XFRM_MESSAGE_SPECS) {
  byType[s.type] = s;
  byName.set(s.name, s);
}

/** The spec of a message type, by number or name. */
export function xfrmMessageSpec(type: number | string): XfrmMessageSpec | undefined {
  return typeof type === 'number' ? byType[type] : byName.get(type);
}

/** Kernel name of an XFRM message type number (`0x10` → `'XFRM_MSG_NEWSA'`). */
export function xfrmMsgName(type: number): string | undefined {
  return byType[type]?.name;
}

function tryAttrs(view: DataView, start: number, end: number, spec: XfrmMessageSpec, le: boolean): NlAttribute[] | null {
  try {
    return decodeAttrs(view, start, end, spec.attrs, le);
  } catch (e) {
    if (e instanceof NetlinkDecodeError) return null;
    throw e;
  }
}

function decodeXfrm(view: DataView, loc: NlmsgLocation, le: boolean): XfrmMessage | undefined {
  const spec = byType[loc.type];
  if (!spec) return undefined;
  const start = loc.offset + NLMSG_HDRLEN;
  const end = loc.offset + loc.len;
  // xfrmFamily.decode is public: a caller's loc gets the checks nlmsgIterate would have made.
  checkSpan(view, start, end, spec.name);
  // Object literals, not spreads: a spread costs 1-2 µs per message on Node 20 (BENCHMARKS.md).
  const type = spec.name;
  if (spec.dumpable && (loc.flags & NLM_F_DUMP) !== 0) {
    // A dump request's header is optional: prefer attributes-only, then header + attributes,
    // then keep the payload raw (the kernel ignores what it cannot use here).
    const only = tryAttrs(view, start, end, spec, le);
    if (only) return { type, flags: loc.flags, seq: loc.seq, pid: loc.pid, body: null, attrs: only } as XfrmMessage;
    const size = spec.body!.length(undefined);
    if (end - start >= size) {
      try {
        const body = spec.body!.decode(view, start, size, le);
        const attrs = tryAttrs(view, start + nlmsgAlign(size), end, spec, le);
        if (attrs) return { type, flags: loc.flags, seq: loc.seq, pid: loc.pid, body, attrs } as XfrmMessage;
      } catch (e) {
        if (!(e instanceof NetlinkDecodeError)) throw e;
      }
    }
    // Raw attributes of a dump filter may hold anything, keys included: printed redacted.
    const payload = SecretBytes.wrap(copyBytes(view, start, end - start));
    return { type, flags: loc.flags, seq: loc.seq, pid: loc.pid, body: null, attrs: [], payload } as XfrmMessage;
  }
  try {
    let body: unknown = null;
    let attrStart = start;
    if (spec.body) {
      body = spec.body.decode(view, start, end - start, le);
      attrStart = start + nlmsgAlign(spec.body.length(body));
    }
    const attrs = attrStart < end ? decodeAttrs(view, attrStart, end, spec.attrs, le) : [];
    return { type, flags: loc.flags, seq: loc.seq, pid: loc.pid, body, attrs } as XfrmMessage;
  } catch (e) {
    if (e instanceof NetlinkDecodeError) {
      throw new NetlinkDecodeError(e.what, e.offset, `${e.reason} (in ${spec.name} at offset ${loc.offset})`, { cause: e });
    }
    throw e;
  }
}

function encodeXfrmPayload(w: NlmsgWriter, msg: XfrmMessage, flags: number): void {
  const spec = byName.get(msg.type);
  if (!spec) throw new NetlinkEncodeError('nlmsghdr.nlmsg_type', `unknown XFRM message ${String(msg.type)}`);
  if (msg.payload !== undefined) {
    if (msg.body !== null || msg.attrs.length > 0) {
      throw new NetlinkEncodeError(spec.name, 'a raw payload excludes body and attributes');
    }
    const off = w.alloc(msg.payload.length);
    bytesForWrite(w.view, off, msg.payload.length, `${spec.name}.payload`).set(msg.payload);
    return;
  }
  if (msg.body !== null && msg.body !== undefined) {
    if (!spec.body) throw new NetlinkEncodeError(spec.name, 'this message has no fixed header');
    w.put(spec.body, msg.body);
  } else if (spec.body && !(spec.dumpable && (flags & NLM_F_DUMP) !== 0)) {
    throw new NetlinkEncodeError(spec.name, `missing fixed header ${spec.body.name}`);
  }
  if (msg.attrs.length > 0) {
    w.align();
    const attrs = msg.attrs as NlAttribute[];
    const off = w.alloc(attrsLength(attrs, spec.attrs));
    encodeAttrs(w.view, off, attrs, spec.attrs, w.le);
  }
}

/**
 * `xfrm_msg_min[type]`: the fixed header's size from the message spec; 0 for a GETSA/GETPOLICY
 * dump request, whose attributes the kernel reads right after `nlmsghdr`.
 */
function xfrmHeaderSize(type: number, flags: number): number | undefined {
  const spec = byType[type];
  if (!spec) return undefined;
  if (!spec.body || (spec.dumpable && (flags & NLM_F_DUMP) !== 0)) return 0;
  // Every XFRM fixed header is a fixed-size struct (or a u32): its length needs no value.
  return spec.body.length(undefined);
}

/** The XFRM {@link NetlinkFamily} (protocol `NETLINK_XFRM`). */
export const xfrmFamily: NetlinkFamily<XfrmMessage> = {
  name: 'xfrm',
  protocol: NETLINK_XFRM,
  typeName: xfrmMsgName,
  typeNumber: (name) => byName.get(name)?.type,
  decode: decodeXfrm,
  encodePayload: encodeXfrmPayload,
  headerSize: xfrmHeaderSize,
};

/**
 * Decode one datagram read from an XFRM socket into messages.
 * @throws {@link NetlinkDecodeError} naming the struct or attribute and the byte offset.
 */
export function decodeXfrmMessages(bytes: Uint8Array, le: boolean = HOST_LE): XfrmNetlinkMessage[] {
  return decodeMessages(bytes, xfrmFamily, le);
}

/**
 * Encode messages into one datagram (a fresh `Uint8Array`).
 * @throws {@link NetlinkEncodeError} for values that cannot be encoded.
 */
export function encodeXfrmMessages(msgs: readonly XfrmNetlinkMessage[], le: boolean = HOST_LE): Uint8Array {
  return encodeMessages(msgs, xfrmFamily, le);
}

/** Append one message to a writer (for batches). @throws {@link NetlinkEncodeError}. */
export function writeXfrmMessage(w: NlmsgWriter, msg: XfrmNetlinkMessage): number {
  return encodeMessage(w, msg, xfrmFamily);
}

/** Decode the message at `loc` of a datagram. @throws {@link NetlinkDecodeError}. */
export function decodeXfrmMessage(view: DataView, loc: NlmsgLocation, le: boolean = HOST_LE): XfrmNetlinkMessage {
  return decodeMessage(view, loc, xfrmFamily, le);
}
