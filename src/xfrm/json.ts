/**
 * JSON form of decoded messages, for the CLI and for storing snapshots: `bigint` becomes a
 * decimal string, `Uint8Array` a `0x…` hex string, everything else is unchanged (field names
 * are those of the TypeScript types). {@link xfrmMessageFromJson} restores the exact types,
 * guided by the codecs themselves: decoding an all-zero buffer with a codec yields a value
 * whose shape says which fields are `bigint` and which are bytes.
 * @module
 */
import { type Codec } from '../netlink/codec.js';
import { NLMSG_HDRLEN } from '../netlink/align.js';
import { NLMSG_MIN_TYPE } from '../netlink/constants.js';
import { NetlinkDecodeError, NetlinkEncodeError } from '../netlink/errors.js';
import { type NlmsgErrorMessage } from '../netlink/message.js';
import { encodeNlmsghdr } from '../netlink/nlmsghdr.js';
import { nlmsgerrAttrSpace } from '../netlink/nlmsgerr.js';
import { type AttrSpace, type NlAttribute } from '../netlink/nlattr.js';
import { HOST_LE } from '../netlink/endian.js';
import { hexProblem, quoteSafe, REDACTED, SecretBytes } from '../netlink/secret.js';
import { decodeXfrmMessages, encodeXfrmMessages, type XfrmNetlinkMessage, xfrmMessageSpec, xfrmMsgName } from './family.js';
import { XfrmKey } from './key.js';

export { REDACTED };

/** Options of {@link xfrmMessageToJson}. */
export interface ToJsonOptions {
  /** Print key material (`algKey` in codec values, `key` in the client's algorithms) as hex; otherwise it is replaced by {@link REDACTED}. Default false. */
  showKeys?: boolean;
}

/**
 * Convert a decoded value to JSON-safe data (see the module description). Unless
 * `opts.showKeys`, key material becomes {@link REDACTED}: every {@link SecretBytes} (decoded
 * keys are {@link XfrmKey}s, an `NLMSG_ERROR`'s echoed request is a `SecretBytes`), any bytes
 * held by a property named `algKey` or `key`, and the `tail` of an `XFRMA_ALG_*` attribute.
 */
export function toJsonValue(v: unknown, opts: ToJsonOptions = {}, key?: string): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) {
    if (!opts.showKeys && (v instanceof SecretBytes || key === 'algKey' || key === 'key')) return REDACTED;
    let s = '0x';
    for (const b of v) s += b.toString(16).padStart(2, '0');
    return s;
  }
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, opts));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    // Bytes past the key in an algorithm attribute are copied by the kernel with the key.
    const algAttr = typeof (v as { type?: unknown }).type === 'string' && (v as { type: string }).type.startsWith('XFRMA_ALG_');
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      o[k] = algAttr && k === 'tail' && !opts.showKeys && x instanceof Uint8Array ? REDACTED : toJsonValue(x, opts, k);
    }
    return o;
  }
  return v;
}

/**
 * JSON-safe form of a decoded message (with the message type also given as a number).
 *
 * An `NLMSG_ERROR` carries the failed request as the kernel echoed it, keys included. Its raw
 * `payload` is printed (as hex) only with `showKeys`. Otherwise it is {@link REDACTED},
 * `payloadLength` gives its size, and when the echo is complete and decodes, `request` holds
 * it as a typed message (keys redacted like any other); when it does not, `requestType`
 * names the echoed type. {@link xfrmMessageFromJson} re-encodes either form (a redacted payload
 * from `request`, which works when the request holds no key).
 */
export function xfrmMessageToJson(msg: XfrmNetlinkMessage, opts: ToJsonOptions = {}): Record<string, unknown> {
  if (msg.type === 'NLMSG_ERROR') return nlmsgErrorToJson(msg as NlmsgErrorMessage, opts);
  return toJsonValue(msg, opts) as Record<string, unknown>;
}

/**
 * The request echoed by an `NLMSG_ERROR` as a typed XFRM message, when the echo is complete
 * (not capped, not cut) and decodes; otherwise undefined.
 */
export function echoedRequest(m: NlmsgErrorMessage): XfrmNetlinkMessage | undefined {
  const h = m.msg;
  const plen = h.len - NLMSG_HDRLEN;
  // Without NLM_F_ACK_TLVS the payload runs to the end of the NLMSG_ERROR: allow its padding.
  if (h.type < NLMSG_MIN_TYPE || xfrmMessageSpec(h.type) === undefined) return undefined;
  if (plen < 0 || plen > m.payload.length || m.payload.length - plen >= 4) return undefined;
  const buf = new Uint8Array(h.len);
  encodeNlmsghdr(new DataView(buf.buffer), 0, h, HOST_LE);
  buf.set(m.payload.subarray(0, plen), NLMSG_HDRLEN);
  try {
    const msgs = decodeXfrmMessages(buf);
    return msgs.length === 1 && msgs[0]!.type === xfrmMsgName(h.type) ? msgs[0] : undefined;
  } catch (e) {
    if (e instanceof NetlinkDecodeError) return undefined;
    throw e;
  }
}

function nlmsgErrorToJson(m: NlmsgErrorMessage, opts: ToJsonOptions): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(m)) {
    if (x === undefined) continue;
    if (k !== 'payload') {
      o[k] = toJsonValue(x, opts, k);
      continue;
    }
    const p = x as Uint8Array;
    o.payload = p.length === 0 || opts.showKeys ? toJsonValue(p, { showKeys: true }) : REDACTED;
    // With keys shown the raw echo is all there is (it re-encodes byte for byte, as before).
    if (p.length === 0 || opts.showKeys) continue;
    o.payloadLength = p.length;
    const req = echoedRequest(m);
    if (req) o.request = toJsonValue(req, opts);
    else o.requestType = xfrmMsgName(m.msg.type) ?? m.msg.type;
  }
  return o;
}

/**
 * Where a value sits, for error messages: a string, or a parent path and a key. Built as
 * objects and turned into text only when an error is thrown (reviving a large document
 * would otherwise build a path string per field).
 */
type JsonPath = string | { readonly parent: JsonPath; readonly key: string | number };

function pathText(p: JsonPath): string {
  if (typeof p === 'string') return p;
  const base = pathText(p.parent);
  return typeof p.key === 'number' ? `${base}[${p.key}]` : `${base}.${p.key}`;
}

const shapeEntries = new WeakMap<object, Array<[string, unknown]>>();
/** @internal Own enumerable entries of a shape template, computed once per template object (also used by ha/records.ts). */
export function shapeEntriesOf(shape: object): Array<[string, unknown]> {
  let e = shapeEntries.get(shape);
  if (!e) shapeEntries.set(shape, (e = Object.entries(shape)));
  return e;
}

function hexToBytes(s: unknown, path: JsonPath): Uint8Array {
  const what = (): string => pathText(path);
  if (s instanceof Uint8Array) return s;
  if (typeof s !== 'string' || !/^(0x)?([0-9a-fA-F]{2})*$/.test(s)) {
    if (s === REDACTED) throw new NetlinkEncodeError(what(), 'key material was redacted; decode with --show-keys to re-encode');
    // Never the value: these fields hold keys and raw payloads.
    throw new NetlinkEncodeError(what(), `expected a hex string: got ${hexProblem(s, false) ?? 'a bad value'} (value not shown)`);
  }
  const h = s.startsWith('0x') ? s.slice(2) : s;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toBigint(s: unknown, what: JsonPath): bigint {
  if (typeof s === 'bigint') return s;
  if ((typeof s === 'string' && /^-?\d+$/.test(s)) || (typeof s === 'number' && Number.isSafeInteger(s))) return BigInt(s);
  if (typeof s === 'string' && /^0x[0-9a-fA-F]+$/.test(s)) return BigInt(s);
  throw new NetlinkEncodeError(pathText(what), `expected an integer (string), got ${quoteSafe(s)}`);
}

const shapeCache = new Map<Codec<unknown>, unknown>();
const ZEROS = new DataView(new ArrayBuffer(8192));

/** @internal The decoded value of an all-zero buffer: a template of the codec's value shape. */
function shapeOf(codec: Codec<unknown>): unknown {
  if (shapeCache.has(codec)) return shapeCache.get(codec);
  let shape: unknown;
  try {
    shape = codec.decode(ZEROS, 0, ZEROS.byteLength, HOST_LE);
  } catch {
    shape = undefined; // no template: values pass through unchanged
  }
  shapeCache.set(codec, shape);
  return shape;
}

function revive(v: unknown, shape: unknown, what: JsonPath): unknown {
  if (typeof shape === 'bigint') return toBigint(v, what);
  if (shape instanceof Uint8Array) {
    const b = hexToBytes(v, what);
    // Keys revived from JSON are redacted when printed, like decoded ones.
    return shape instanceof XfrmKey ? XfrmKey.wrap(b) : shape instanceof SecretBytes ? SecretBytes.wrap(b) : b;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(v)) return v;
    return shape.length > 0 ? v.map((x, i) => revive(x, shape[0], { parent: what, key: i })) : v;
  }
  if (shape !== null && typeof shape === 'object' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const [k, s] of shapeEntriesOf(shape)) if (k in o) o[k] = revive(o[k], s, { parent: what, key: k });
    return o;
  }
  return v;
}

function reviveAttrs(list: unknown, space: AttrSpace, what: string): NlAttribute[] {
  if (!Array.isArray(list)) throw new NetlinkEncodeError(what, 'attrs must be an array');
  return list.map((a: any, i) => {
    if (a === null || typeof a !== 'object') throw new NetlinkEncodeError(`${what}[${i}]`, 'expected an attribute object');
    const out: NlAttribute = { ...a };
    const spec = typeof a.type === 'string' ? space.byName.get(a.type) : space.byType[a.type];
    if (a.tail !== undefined) {
      const tail = hexToBytes(a.tail, `${what}[${i}].tail`);
      const secret = spec?.codec.decodeTail;
      out.tail = secret ? secret(new DataView(tail.buffer, tail.byteOffset, tail.byteLength), 0, tail.length) : tail;
    }
    if (typeof a.type === 'number' || spec === undefined) {
      out.value = hexToBytes(a.value, `${what}[${i}]`);
    } else {
      const nested = (spec.codec as { space?: AttrSpace }).space;
      out.value = nested ? reviveAttrs(a.value, nested, `${what}.${spec.name}`) : revive(a.value, shapeOf(spec.codec), spec.name);
    }
    return out;
  });
}

/**
 * Rebuild a message from its JSON form (as produced by {@link xfrmMessageToJson} with
 * `showKeys`), restoring `bigint` and `Uint8Array` fields.
 * @throws {@link NetlinkEncodeError} for malformed JSON values or redacted keys.
 */
export function xfrmMessageFromJson(json: unknown): XfrmNetlinkMessage {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new NetlinkEncodeError('message', 'expected a JSON object');
  }
  const m: any = { ...(json as object) };
  const what = String(m.type);
  for (const k of ['flags', 'seq', 'pid']) if (m[k] === undefined) m[k] = 0;
  if (m.type === 'NLMSG_ERROR') {
    // A redacted echo is rebuilt from its typed form (this throws if that holds a redacted key).
    if (m.payload === REDACTED && m.request !== null && typeof m.request === 'object') {
      m.payload = encodeXfrmMessages([xfrmMessageFromJson(m.request)], HOST_LE).slice(NLMSG_HDRLEN);
    }
    delete m.request;
    delete m.requestType;
    delete m.payloadLength;
  }
  if (m.payload !== undefined) m.payload = hexToBytes(m.payload, `${what}.payload`);
  if (m.type === 'NLMSG_ERROR' || m.type === 'NLMSG_DONE') {
    m.attrs = reviveAttrs(m.attrs ?? [], nlmsgerrAttrSpace, what);
    if (m.type === 'NLMSG_ERROR' && m.payload === undefined) m.payload = new Uint8Array(0);
    return m;
  }
  const spec = typeof m.type === 'string' ? xfrmMessageSpec(m.type) : undefined;
  if (!spec) return m;
  if (m.body !== null && m.body !== undefined && spec.body) m.body = revive(m.body, shapeOf(spec.body), `${what}.body`);
  if (m.body === undefined) m.body = null;
  m.attrs = reviveAttrs(m.attrs ?? [], spec.attrs, what);
  return m;
}
