/**
 * Whole netlink messages: the control messages every protocol shares (`NLMSG_NOOP`,
 * `NLMSG_ERROR`, `NLMSG_DONE`, `NLMSG_OVERRUN`) and the {@link NetlinkFamily} interface a
 * protocol (XFRM, later rtnetlink) implements for its own types. Dispatch therefore keys on
 * (protocol, type): XFRM and rtnetlink type numbers overlap.
 * @module
 */
import { NLMSG_HDRLEN } from './align.js';
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK_TLVS } from './constants.js';
import { HOST_LE } from './endian.js';
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';
import { attrsLength, decodeAttrs, encodeAttrs, type NlAttribute } from './nlattr.js';
import { decodeNlmsgerr, encodeNlmsgerrHead, nlmsgerrAttrSpace, NLMSGERR_SIZE } from './nlmsgerr.js';
import { type Nlmsghdr } from './nlmsghdr.js';
import { nlmsgIterate, type NlmsgLocation } from './reader.js';
import { SecretBytes } from './secret.js';
import { bytesForWrite, checkSpan, copyBytes, viewOf } from './view.js';
import { NlmsgWriter } from './writer.js';

/** Header fields every decoded message carries. */
export interface NlMessageBase {
  /** Message type: its kernel name (e.g. `'NLMSG_ERROR'`, `'XFRM_MSG_NEWSA'`) or the number of an unknown type. */
  type: string | number;
  /** `nlmsg_flags`. */
  flags: number;
  /** `nlmsg_seq`. */
  seq: number;
  /** `nlmsg_pid`. */
  pid: number;
  /**
   * `nlmsg_len`, present only when it is not a multiple of 4 (an unpadded request such as
   * iproute2's 17-byte `FLUSHSA`). Otherwise the encoder computes it.
   */
  len?: number;
}

/** `NLMSG_ERROR`: an acknowledgement (`error` 0) or a failure (negative errno), with extended-ACK TLVs. */
export interface NlmsgErrorMessage extends NlMessageBase {
  /** Discriminant. */
  type: 'NLMSG_ERROR';
  /** 0 = ACK, else a negative errno. */
  error: number;
  /** The request's header, echoed. */
  msg: Nlmsghdr;
  /**
   * The request's payload as echoed (empty with `NLM_F_CAPPED`). It may hold the request's
   * keys, so the decoder returns it as a {@link SecretBytes} (redacted when printed).
   */
  payload: Uint8Array;
  /** Extended-ACK TLVs (`NLMSGERR_ATTR_*`), in order. */
  attrs: NlAttribute[];
}

/** `NLMSG_DONE`: end of a dump, with the dump's result and optional extended-ACK TLVs. */
export interface NlmsgDoneMessage extends NlMessageBase {
  /** Discriminant. */
  type: 'NLMSG_DONE';
  /** The `int` payload: 0 or a negative errno; absent if the message had no payload. */
  error?: number;
  /** Extended-ACK TLVs (`NLMSGERR_ATTR_*`). */
  attrs: NlAttribute[];
}

/** `NLMSG_NOOP` or `NLMSG_OVERRUN`, or any type the decoding family does not know: kept raw. */
export interface NlmsgRawMessage extends NlMessageBase {
  /** `'NLMSG_NOOP'`, `'NLMSG_OVERRUN'` or the unknown type number. */
  type: 'NLMSG_NOOP' | 'NLMSG_OVERRUN' | number;
  /** The payload after the header. */
  payload: Uint8Array;
}

/** Control messages shared by every protocol. */
export type NlControlMessage = NlmsgErrorMessage | NlmsgDoneMessage | NlmsgRawMessage;

/**
 * What a netlink protocol provides to decode and encode its own message types (≥ 0x10).
 * @typeParam M the family's decoded message type.
 */
export interface NetlinkFamily<M extends NlMessageBase> {
  /** Family name, e.g. `'xfrm'`. */
  readonly name: string;
  /** Socket protocol number, e.g. `NETLINK_XFRM` (6). */
  readonly protocol: number;
  /** Kernel name of a type number, e.g. `0x10` → `'XFRM_MSG_NEWSA'`. */
  typeName(type: number): string | undefined;
  /** Type number of a name, e.g. `'XFRM_MSG_NEWSA'` → `0x10`. */
  typeNumber(name: string): number | undefined;
  /**
   * Decode the payload `[loc.offset + 16, loc.offset + loc.len)` of a message whose type the
   * family knows. Returns `undefined` for types it does not know (kept raw by the caller).
   */
  decode(view: DataView, loc: NlmsgLocation, le: boolean): M | undefined;
  /**
   * Write `msg`'s payload (fixed header and attributes) between `beginMessage` and
   * `endMessage`. `flags` are the header flags actually written (they can differ from
   * `msg.flags` when a socket adds `NLM_F_DUMP`).
   */
  encodePayload(w: NlmsgWriter, msg: M, flags: number): void;
  /**
   * Length in bytes of the fixed header that follows `nlmsghdr` in a message of `type` sent
   * with `flags`, as the kernel reads it: its attributes start at `NLMSG_HDRLEN +
   * NLMSG_ALIGN(headerSize)`. 0 when there is none (flags matter: some dump requests carry
   * attributes right after `nlmsghdr`); `undefined` for a type the family does not know.
   * Lets an extended-ACK offset be mapped to an attribute without re-encoding the request.
   */
  headerSize(type: number, flags: number): number | undefined;
}

/** Any message a family's socket can receive: its own messages, control messages, or unknown raw ones. */
export type NetlinkMessage<M extends NlMessageBase = never> = M | NlControlMessage;

/** @internal Name of a control type. */
export function controlTypeName(type: number): string | undefined {
  switch (type) {
    case NLMSG_NOOP:
      return 'NLMSG_NOOP';
    case NLMSG_ERROR:
      return 'NLMSG_ERROR';
    case NLMSG_DONE:
      return 'NLMSG_DONE';
    case NLMSG_OVERRUN:
      return 'NLMSG_OVERRUN';
    default:
      return undefined;
  }
}

/**
 * Decode the message at `loc` (found by {@link nlmsgIterate}).
 * @throws {@link NetlinkDecodeError} for malformed content; the error names the struct or attribute and its offset.
 */
export function decodeMessage<M extends NlMessageBase>(
  view: DataView,
  loc: NlmsgLocation,
  family: NetlinkFamily<M> | null,
  le: boolean = HOST_LE,
): NetlinkMessage<M> {
  // Object literals, not spreads: a spread costs 1-2 µs per message on Node 20 (BENCHMARKS.md).
  const start = loc.offset + NLMSG_HDRLEN;
  const end = loc.offset + loc.len;
  // loc may come from the caller rather than nlmsgIterate: check it like nlmsgAt does.
  if (!(loc.len >= NLMSG_HDRLEN)) throw new NetlinkDecodeError('nlmsghdr', loc.offset, `nlmsg_len ${loc.len} is below 16`);
  checkSpan(view, loc.offset, end, 'nlmsghdr');
  let out: NetlinkMessage<M> | undefined;
  if (loc.type === NLMSG_ERROR) {
    const e = decodeNlmsgerr(view, start, end, loc.flags, le);
    // The echoed request may be a NEWSA with its keys: never printable by accident.
    const payload = e.payload.length === 0 ? e.payload : SecretBytes.wrap(e.payload);
    out = { type: 'NLMSG_ERROR', flags: loc.flags, seq: loc.seq, pid: loc.pid, error: e.error, msg: e.msg, payload, attrs: e.attrs };
  } else if (loc.type === NLMSG_DONE) {
    const done: NlmsgDoneMessage = { type: 'NLMSG_DONE', flags: loc.flags, seq: loc.seq, pid: loc.pid, attrs: [] };
    if (end - start >= 4) {
      done.error = view.getInt32(start, le);
      done.attrs = decodeAttrs(view, start + 4, end, nlmsgerrAttrSpace, le);
    } else if (end > start) {
      throw new NetlinkDecodeError('NLMSG_DONE', start, `payload of ${end - start} bytes is shorter than its int`);
    }
    out = done;
  } else if (loc.type >= NLMSG_MIN_TYPE && family) {
    out = family.decode(view, loc, le);
  }
  if (out === undefined) {
    const name = controlTypeName(loc.type);
    out = {
      type: (name as 'NLMSG_NOOP' | 'NLMSG_OVERRUN' | undefined) ?? loc.type,
      flags: loc.flags,
      seq: loc.seq,
      pid: loc.pid,
      // A message this library cannot interpret may carry key material: printed redacted.
      payload: SecretBytes.wrap(copyBytes(view, start, end - start)),
    };
  }
  if (loc.len % 4 !== 0) out.len = loc.len;
  return out;
}

/**
 * Decode every message of one datagram.
 * @throws {@link NetlinkDecodeError} for malformed framing or content.
 */
export function decodeMessages<M extends NlMessageBase>(
  bytes: Uint8Array,
  family: NetlinkFamily<M> | null,
  le: boolean = HOST_LE,
): NetlinkMessage<M>[] {
  const view = viewOf(bytes);
  const out: NetlinkMessage<M>[] = [];
  for (const loc of nlmsgIterate(view, le)) out.push(decodeMessage(view, loc, family, le));
  return out;
}

function typeNumberOf<M extends NlMessageBase>(msg: NetlinkMessage<M>, family: NetlinkFamily<M> | null): number {
  if (typeof msg.type === 'number') return msg.type;
  switch (msg.type) {
    case 'NLMSG_NOOP':
      return NLMSG_NOOP;
    case 'NLMSG_ERROR':
      return NLMSG_ERROR;
    case 'NLMSG_DONE':
      return NLMSG_DONE;
    case 'NLMSG_OVERRUN':
      return NLMSG_OVERRUN;
  }
  const n = family?.typeNumber(msg.type);
  if (n === undefined) throw new NetlinkEncodeError('nlmsghdr.nlmsg_type', `unknown message type ${msg.type}`);
  return n;
}

/** Header values that replace a message's own `flags`, `seq` and `pid` when encoding. */
export interface HeaderOverride {
  /** `nlmsg_flags`. */
  flags: number;
  /** `nlmsg_seq`. */
  seq: number;
  /** `nlmsg_pid`. */
  pid: number;
}

/**
 * Append `msg` to `w` as one message. `header`, if given, replaces the message's `flags`,
 * `seq` and `pid` (sockets assign those without copying the message).
 * @throws {@link NetlinkEncodeError} for values that cannot be encoded; the writer is left
 *   as it was before the call.
 */
export function encodeMessage<M extends NlMessageBase>(
  w: NlmsgWriter,
  msg: NetlinkMessage<M>,
  family: NetlinkFamily<M> | null,
  header?: HeaderOverride,
): number {
  const type = typeNumberOf(msg, family);
  if (header) w.beginMessage(type, header.flags, header.seq, header.pid);
  else w.beginMessage(type, msg.flags, msg.seq, msg.pid);
  try {
    if (msg.type === 'NLMSG_ERROR') {
      const e = msg as NlmsgErrorMessage;
      const off = w.alloc(NLMSGERR_SIZE);
      encodeNlmsgerrHead(w.view, off, e, w.le);
      const p = w.alloc(e.payload.length);
      bytesForWrite(w.view, p, e.payload.length, 'nlmsgerr.payload').set(e.payload);
      if (e.attrs.length > 0 || (e.flags & NLM_F_ACK_TLVS) !== 0) writeAttrs(w, e.attrs);
    } else if (msg.type === 'NLMSG_DONE') {
      const d = msg as NlmsgDoneMessage;
      if (d.error !== undefined) {
        w.view.setInt32(w.alloc(4), d.error, w.le);
        writeAttrs(w, d.attrs);
      } else if (d.attrs.length > 0) {
        throw new NetlinkEncodeError('NLMSG_DONE', 'attributes need an error value before them');
      }
    } else if ('payload' in msg && (typeof msg.type === 'number' || msg.type === 'NLMSG_NOOP' || msg.type === 'NLMSG_OVERRUN')) {
      const r = msg as NlmsgRawMessage;
      const p = w.alloc(r.payload.length);
      bytesForWrite(w.view, p, r.payload.length, 'payload').set(r.payload);
    } else {
      if (!family) throw new NetlinkEncodeError('nlmsghdr', `no family to encode ${String(msg.type)}`);
      family.encodePayload(w, msg as M, header ? header.flags : msg.flags);
    }
    return w.endMessage(msg.len);
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}

function writeAttrs(w: NlmsgWriter, attrs: NlAttribute[]): void {
  w.align();
  const off = w.alloc(attrsLength(attrs, nlmsgerrAttrSpace));
  encodeAttrs(w.view, off, attrs, nlmsgerrAttrSpace, w.le);
}

/**
 * Encode messages into one datagram (a fresh copy).
 * @throws {@link NetlinkEncodeError} for values that cannot be encoded.
 */
export function encodeMessages<M extends NlMessageBase>(
  msgs: readonly NetlinkMessage<M>[],
  family: NetlinkFamily<M> | null,
  le: boolean = HOST_LE,
): Uint8Array {
  const w = new NlmsgWriter(4096, le);
  for (const m of msgs) encodeMessage(w, m, family);
  return w.finish().slice();
}
