/**
 * Netlink attributes (`struct nlattr`, identical on the wire to `struct rtattr`): the
 * type-length-value records that follow a message's fixed header.
 *
 * Attributes are decoded against an {@link AttrSpace} (a table from type number to name and
 * codec) into an ordered list. Order and duplicates are kept, unknown types are kept as raw
 * bytes, payload bytes beyond what the codec uses are kept in `tail`, and the
 * `NLA_F_NESTED`/`NLA_F_NET_BYTEORDER` bits are kept in `flags` when they differ from the
 * attribute's usual ones; so decoding then encoding reproduces the input byte for byte.
 * @module
 */
import { nlaAlign, NLA_HDRLEN } from './align.js';
import { type Codec } from './codec.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from './constants.js';
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';
import { SecretBytes } from './secret.js';
import { bytesForWrite, checkSpan, copyBytes } from './view.js';

/** `sizeof(struct nlattr)` (= `NLA_HDRLEN`). */
export const NLATTR_SIZE = 4;

/** Largest `nla_len`: the field is a u16. */
export const NLA_LEN_MAX = 0xffff;

/**
 * One decoded attribute.
 * @typeParam N the attribute's name (its kernel spelling) or `number` for unknown types.
 * @typeParam V the decoded payload.
 */
export interface NlAttribute<N extends string | number = string | number, V = unknown> {
  /** Kernel name of the type (e.g. `'XFRMA_MARK'`), or the bare number for a type this library does not know. */
  type: N;
  /** Decoded payload; a `Uint8Array` for unknown types. */
  value: V;
  /**
   * `NLA_F_NESTED | NLA_F_NET_BYTEORDER` bits as sent, present only when they differ from
   * the attribute's usual bits (none for XFRM; `NLA_F_NESTED` for nests).
   */
  flags?: number;
  /** Payload bytes after what the typed value covers (the kernel accepts longer payloads). */
  tail?: Uint8Array;
  /**
   * Bytes after this attribute's payload, present only on the last attribute of a nest whose
   * end did not fall on its 4-byte padding (0–3; the kernel accepts an unpadded last
   * attribute). Kept so that the nest, and the message around it, re-encode byte for byte.
   */
  padding?: number;
}

/** An attribute whose type is not in the space: kept as raw payload bytes. */
export type UnknownAttribute = NlAttribute<number, Uint8Array>;

/**
 * Encode the payload of an attribute of `spec` at `offset`; an error of the codec names the
 * attribute (`XFRMA_TMPL: xfrm_user_tmpl.family`). Shared by {@link encodeAttrs} and
 * `NlmsgWriter.typedAttr`, so both paths fail alike.
 * @throws {@link NetlinkEncodeError}
 */
export function encodeAttrPayload<V>(view: DataView, offset: number, spec: AttrSpec<V>, value: V, le: boolean): void {
  try {
    spec.codec.encode(view, offset, value, le);
  } catch (e) {
    if (e instanceof NetlinkEncodeError && !e.what.startsWith(spec.name)) {
      throw new NetlinkEncodeError(`${spec.name}: ${e.what}`, e.message.slice(e.what.length + 2), { cause: e });
    }
    throw e;
  }
}

/** Specification of one attribute type in an {@link AttrSpace}. */
export interface AttrSpec<V = unknown> {
  /** Type number (without flag bits). */
  readonly type: number;
  /** Kernel name, e.g. `'XFRMA_ALG_AEAD'`. */
  readonly name: string;
  /** Payload codec. */
  readonly codec: Codec<V>;
  /** Flag bits this attribute normally carries (`NLA_F_NESTED` for nests). */
  readonly flags: number;
}

/** A family of attribute types: `XFRMA_*`, `XFRMA_SPD_*`, `NLMSGERR_ATTR_*`, … */
export interface AttrSpace {
  /** Name of the space, e.g. `'xfrm_attr_type_t'`. */
  readonly name: string;
  /** Specs indexed by type number. */
  readonly byType: ReadonlyArray<AttrSpec | undefined>;
  /** Specs indexed by name. */
  readonly byName: ReadonlyMap<string, AttrSpec>;
}

/**
 * The payload codec of each attribute of a space, keyed by attribute name: exactly one per
 * member of `V`, reading and writing that member's type. Written as an object literal with
 * `satisfies AttrCodecs<Values>`, the compiler names a row that is missing, misspelt or has
 * the wrong codec.
 */
export type AttrCodecs<V> = { readonly [K in keyof V]: Codec<V[K]> };

/** The type number of each attribute of a space (typically the module of its constants, which use the same names). */
export type AttrNumbers<V> = { readonly [K in keyof V]: number };

/** Options of the keyed form of {@link defineAttrSpace}. */
export interface AttrSpaceOptions<V> {
  /** Flag bits an attribute usually carries (`NLA_F_NESTED` for a nest); none by default. */
  readonly flags?: { readonly [K in keyof V]?: number };
  /** Other names of an attribute (an old kernel spelling): the encoder accepts them, the decoder reports the attribute's own name. */
  readonly aliases?: { readonly [alias: string]: keyof V & string };
}

/** A row of the untyped list form of {@link defineAttrSpace}: `[type, name, codec, flags?]`. */
export type AttrListRow = readonly [type: number, name: string, codec: Codec<unknown>, flags?: number];

/**
 * Build an {@link AttrSpace} from `[type, name, codec, flags?]` rows, for a space without a
 * value interface (tests, quick experiments). A second name for a type number is an alias:
 * the encoder accepts it, the decoder reports the first.
 */
export function defineAttrSpace(name: string, rows: ReadonlyArray<AttrListRow>): AttrSpace;
/**
 * Build an {@link AttrSpace} from codecs keyed by attribute name (see {@link AttrCodecs}) and
 * the type number of each name: the checked form. Codec order is kept. The checks are the
 * compiler's; the runtime work is one pass at module load.
 */
export function defineAttrSpace<V>(name: string, numbers: NoInfer<AttrNumbers<V>>, codecs: AttrCodecs<V>, options?: NoInfer<AttrSpaceOptions<V>>): AttrSpace;
export function defineAttrSpace(
  name: string,
  rowsOrNumbers: ReadonlyArray<AttrListRow> | { readonly [name: string]: number },
  codecs?: { readonly [name: string]: Codec<unknown> },
  options: { readonly flags?: { readonly [name: string]: number | undefined }; readonly aliases?: { readonly [alias: string]: string } } = {},
): AttrSpace {
  const list: AttrListRow[] = [];
  if (Array.isArray(rowsOrNumbers)) {
    list.push(...(rowsOrNumbers as ReadonlyArray<AttrListRow>));
  } else {
    const numbers = rowsOrNumbers as { readonly [name: string]: number };
    for (const [n, codec] of Object.entries(codecs!)) list.push([numbers[n]!, n, codec, options.flags?.[n]]);
    for (const [alias, of] of Object.entries(options.aliases ?? {})) {
      const row = list.find((r) => r[1] === of)!;
      list.push([row[0], alias, row[2], row[3]]);
    }
  }
  const byType: AttrSpec[] = [];
  const byName = new Map<string, AttrSpec>();
  for (const [type, n, codec, flags] of list) {
    const spec: AttrSpec = { type, name: n, codec, flags: flags ?? 0 };
    if (byType[type] === undefined) byType[type] = spec; // first name wins for aliases
    byName.set(n, spec);
  }
  return { name, byType, byName };
}

/** Header of one attribute as found on the wire. */
export interface NlattrHeader {
  /** Offset of the attribute header in the view. */
  offset: number;
  /** `nla_len`: 4 + payload length, without padding. */
  len: number;
  /** Type number with the flag bits removed. */
  type: number;
  /** `NLA_F_NESTED | NLA_F_NET_BYTEORDER` bits. */
  flags: number;
}

/**
 * Walk the attributes in `[start, end)` without decoding their payloads.
 * @throws {@link NetlinkDecodeError} (`what` = `where`) for a range not inside the view,
 *   `nla_len` below 4 or running past `end`, or 1–3 bytes left over that cannot hold an
 *   attribute header.
 */
export function* nlaIterate(
  view: DataView,
  start: number,
  end: number,
  le: boolean,
  where = 'nlattr',
): Generator<NlattrHeader> {
  checkSpan(view, start, end, where);
  let off = start;
  while (off < end) {
    if (end - off < NLA_HDRLEN) {
      throw new NetlinkDecodeError(where, off, `${end - off} stray bytes after the last attribute`);
    }
    const len = view.getUint16(off, le);
    const raw = view.getUint16(off + 2, le);
    if (len < NLA_HDRLEN) throw new NetlinkDecodeError(where, off, `nla_len ${len} is below 4`);
    if (len > end - off) {
      throw new NetlinkDecodeError(where, off, `nla_len ${len} runs past the end (${end - off} bytes left)`);
    }
    yield { offset: off, len, type: raw & NLA_TYPE_MASK, flags: raw & (NLA_F_NESTED | NLA_F_NET_BYTEORDER) };
    // The last attribute may be unpadded; anything else is aligned to 4.
    off += Math.min(nlaAlign(len), end - off);
  }
}

/**
 * Decode the attributes in `[start, end)` of `view` against `space`, in wire order.
 * @throws {@link NetlinkDecodeError} naming the attribute and its offset when a header or payload is malformed.
 */
export function decodeAttrs(view: DataView, start: number, end: number, space: AttrSpace, le: boolean): NlAttribute[] {
  // Once [start, end) is inside the view, every offset below stays inside it: nla_len is a
  // u16 checked against end − off, so no payload range can leave the view.
  checkSpan(view, start, end, space.name);
  const out: NlAttribute[] = [];
  // The checks of nlaIterate, written out: no generator and no header object per attribute
  // (dumps decode millions of attributes).
  let off = start;
  while (off < end) {
    if (end - off < NLA_HDRLEN) {
      throw new NetlinkDecodeError(space.name, off, `${end - off} stray bytes after the last attribute`);
    }
    const len = view.getUint16(off, le);
    const raw = view.getUint16(off + 2, le);
    if (len < NLA_HDRLEN) throw new NetlinkDecodeError(space.name, off, `nla_len ${len} is below 4`);
    if (len > end - off) {
      throw new NetlinkDecodeError(space.name, off, `nla_len ${len} runs past the end (${end - off} bytes left)`);
    }
    const hType = raw & NLA_TYPE_MASK;
    const hFlags = raw & (NLA_F_NESTED | NLA_F_NET_BYTEORDER);
    const payload = off + NLA_HDRLEN;
    const plen = len - NLA_HDRLEN;
    // The last attribute may be unpadded; anything else is aligned to 4.
    off += Math.min(nlaAlign(len), end - off);
    const spec = space.byType[hType];
    if (spec === undefined) {
      // Bytes this library cannot interpret (a newer kernel's attribute, or a mangled one) may
      // be key material: they print redacted unless asked for (SecretBytes).
      const a: NlAttribute = { type: hType, value: SecretBytes.wrap(copyBytes(view, payload, plen)) };
      if (hFlags !== 0) a.flags = hFlags;
      out.push(a);
      continue;
    }
    let value: unknown;
    try {
      value = spec.codec.decode(view, payload, plen, le);
    } catch (e) {
      if (e instanceof NetlinkDecodeError) {
        throw new NetlinkDecodeError(spec.name, e.offset, e.what === spec.name || e.what === spec.codec.name ? e.reason : `${e.what}: ${e.reason}`, {
          cause: e,
        });
      }
      throw e;
    }
    const a: NlAttribute = { type: spec.name, value };
    if (hFlags !== spec.flags) a.flags = hFlags;
    const used = spec.codec.length(value);
    if (used < plen) {
      const tail = spec.codec.decodeTail;
      a.tail = tail ? tail(view, payload + used, plen - used) : SecretBytes.wrap(copyBytes(view, payload + used, plen - used));
    }
    out.push(a);
  }
  return out;
}

function specOf(a: NlAttribute, space: AttrSpace): AttrSpec | undefined {
  if (typeof a.type === 'number') return space.byType[a.type];
  const spec = space.byName.get(a.type);
  if (spec === undefined) throw new NetlinkEncodeError(space.name, `unknown attribute name ${a.type}`);
  return spec;
}

/** Payload length of one attribute (value + tail), without header or padding. */
export function attrPayloadLength(a: NlAttribute, space: AttrSpace): number {
  const spec = typeof a.type === 'string' ? specOf(a, space) : undefined;
  const body = spec ? spec.codec.length(a.value) : (a.value as Uint8Array).length;
  return body + (a.tail ? a.tail.length : 0);
}

/** Bytes the attributes occupy when encoded, each padded to 4. */
export function attrsLength(attrs: readonly NlAttribute[], space: AttrSpace): number {
  let n = 0;
  for (const a of attrs) n += paddedLength(a, NLA_HDRLEN + attrPayloadLength(a, space));
  return n;
}

/** `len` plus the padding after it: 4-byte alignment, or the attribute's own {@link NlAttribute.padding}. */
function paddedLength(a: NlAttribute, len: number): number {
  if (a.padding === undefined) return nlaAlign(len);
  if (a.padding !== 0 && a.padding !== 1 && a.padding !== 2 && a.padding !== 3) {
    throw new NetlinkEncodeError(String(a.type), 'padding must be 0 to 3 bytes');
  }
  return len + a.padding;
}

/**
 * Encode `attrs` at `offset` into zeroed memory; returns the offset after the last
 * attribute's padding.
 * @throws {@link NetlinkEncodeError} for unknown names, values the codec rejects, or `nla_len` above 0xffff.
 */
export function encodeAttrs(
  view: DataView,
  offset: number,
  attrs: readonly NlAttribute[],
  space: AttrSpace,
  le: boolean,
): number {
  let off = offset;
  for (const a of attrs) {
    const spec = typeof a.type === 'string' ? specOf(a, space) : undefined;
    const typeNum = spec ? spec.type : (a.type as number);
    if (!Number.isInteger(typeNum) || typeNum < 0 || typeNum > NLA_TYPE_MASK) {
      throw new NetlinkEncodeError(space.name, `attribute type ${String(a.type)} out of range`);
    }
    const flags = a.flags ?? (spec ? spec.flags : 0);
    if ((flags & ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)) !== 0) {
      throw new NetlinkEncodeError(spec?.name ?? String(typeNum), `invalid flag bits 0x${flags.toString(16)}`);
    }
    const plen = attrPayloadLength(a, space);
    const len = NLA_HDRLEN + plen;
    if (len > NLA_LEN_MAX) {
      throw new NetlinkEncodeError(spec?.name ?? String(typeNum), `nla_len ${len} exceeds ${NLA_LEN_MAX}`);
    }
    view.setUint16(off, len, le);
    view.setUint16(off + 2, typeNum | flags, le);
    if (spec) {
      encodeAttrPayload(view, off + NLA_HDRLEN, spec, a.value, le);
    } else {
      const raw = a.value as Uint8Array;
      if (!(raw instanceof Uint8Array)) throw new NetlinkEncodeError(String(typeNum), 'unknown attribute value must be a Uint8Array');
      bytesForWrite(view, off + NLA_HDRLEN, raw.length, String(typeNum)).set(raw);
    }
    if (a.tail) {
      bytesForWrite(view, off + len - a.tail.length, a.tail.length, `${spec?.name ?? typeNum}.tail`).set(a.tail);
    }
    off += paddedLength(a, len);
  }
  return off;
}

/** A {@link Codec} of a nested attribute list, carrying its attribute space. */
export interface NestedCodec extends Codec<NlAttribute[]> {
  /** The space of the nested attributes. */
  readonly space: AttrSpace;
}

/**
 * Codec whose value is a list of attributes of `space`: the payload of a nested attribute
 * (`NLA_F_NESTED`).
 */
export function nestedCodec(space: AttrSpace): NestedCodec {
  return {
    name: space.name,
    space,
    length: (attrs) => attrsLength(attrs, space),
    encode: (view, offset, attrs, le) => {
      encodeAttrs(view, offset, attrs, space, le);
    },
    decode: (view, offset, available, le) => {
      const list = decodeAttrs(view, offset, offset + available, space, le);
      // A nest whose last attribute is not followed by its full padding (the kernel's parser
      // accepts that) records what it had, or re-encoding would grow the nest.
      const last = list[list.length - 1];
      if (last !== undefined) {
        const lastLen = NLA_HDRLEN + attrPayloadLength(last, space);
        const before = attrsLength(list, space) - nlaAlign(lastLen);
        const padding = available - before - lastLen;
        if (padding !== nlaAlign(lastLen) - lastLen) last.padding = padding;
      }
      return list;
    },
  };
}

/** Find the first attribute named `name` in a decoded list and return its value. */
export function findAttr<V = unknown>(attrs: readonly NlAttribute[], name: string): V | undefined {
  for (const a of attrs) if (a.type === name) return a.value as V;
  return undefined;
}
