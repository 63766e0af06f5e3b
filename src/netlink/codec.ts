/**
 * The one shape every codec in this library has: a name, a length, an encoder and a decoder,
 * all pure functions over a `DataView` (the encode / decode / encodingLength trio of
 * dns-packet). Struct files export a `Codec` next to their plain functions, and attribute
 * and message tables are built from codecs.
 * @module
 */
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';
import { quoteSafe } from './secret.js';
import { bytesForWrite, bytesOf, copyBytes } from './view.js';

/** A wrong value for an error message: numbers as they are, anything else via quoteSafe (a key passed in the wrong field is not echoed). */
function shown(v: unknown): string {
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : quoteSafe(v);
}

/**
 * Encoder, decoder and length of one wire value.
 * @typeParam T the decoded value type.
 */
export interface Codec<T> {
  /** Kernel spelling of what is encoded, e.g. `'xfrm_selector'` or `'u32'`. Used in errors. */
  readonly name: string;
  /** Number of bytes {@link encode} writes for `value` (struct size including tail padding). */
  length(value: T): number;
  /**
   * Write `value` at `offset`. The bytes must already be zero (writers zero what they
   * allocate), so padding is never written.
   * @throws {@link NetlinkEncodeError} when `value` cannot be represented.
   */
  encode(view: DataView, offset: number, value: T, le: boolean): void;
  /**
   * Read a value from the `available` bytes at `offset`. May use fewer bytes than available;
   * callers that must lose nothing compare {@link length} of the result with `available`.
   * @throws {@link NetlinkDecodeError} when fewer bytes than needed are available or a field is invalid.
   */
  decode(view: DataView, offset: number, available: number, le: boolean): T;
  /**
   * Optional: how to copy the bytes an attribute holds after the value (its `tail`), for
   * values whose trailing bytes may be secret (key bytes past `alg_key_len`). Default: a plain
   * copy.
   */
  readonly decodeTail?: (view: DataView, offset: number, length: number) => Uint8Array;
}

/**
 * Build the {@link Codec} of a fixed-size struct from its plain encode/decode functions.
 * The decoder is only called once `size` bytes are known to be available, both by the
 * caller's `available` and inside the view.
 */
export function fixedCodec<T>(
  name: string,
  size: number,
  encode: (view: DataView, offset: number, value: T, le: boolean) => void,
  decode: (view: DataView, offset: number, le: boolean) => T,
): Codec<T> {
  return {
    name,
    length: () => size,
    encode,
    decode(view, offset, available, le) {
      // `available` is the caller's claim; the view is the truth (a DataView getter past its
      // end throws a RangeError, not a typed error).
      if (!(available >= size && offset >= 0 && size <= view.byteLength - offset)) {
        const have = Math.max(0, Math.min(available, view.byteLength - offset));
        throw new NetlinkDecodeError(name, offset, `truncated: need ${size} bytes, have ${have}`);
      }
      return decode(view, offset, le);
    },
  };
}

/** @internal Check that `value` is an integer in `[0, max]`. */
export function checkUint(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new NetlinkEncodeError(what, `expected an integer from 0 to ${max}, got ${shown(value)}`);
  }
}

/** @internal Check that `value` is a bigint in `[0, 2^64)`. */
export function checkU64(what: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value > 0xffffffffffffffffn) {
    throw new NetlinkEncodeError(what, `expected a bigint from 0 to 2^64-1, got ${shown(value)}`);
  }
}

/** Unsigned 8-bit integer. */
export const u8: Codec<number> = fixedCodec(
  'u8',
  1,
  (v, o, x) => {
    checkUint('u8', x, 0xff);
    v.setUint8(o, x);
  },
  (v, o) => v.getUint8(o),
);
/** Unsigned 16-bit integer in host order. */
export const u16: Codec<number> = fixedCodec(
  'u16',
  2,
  (v, o, x, le) => {
    checkUint('u16', x, 0xffff);
    v.setUint16(o, x, le);
  },
  (v, o, le) => v.getUint16(o, le),
);
/** Unsigned 32-bit integer in host order. */
export const u32: Codec<number> = fixedCodec(
  'u32',
  4,
  (v, o, x, le) => {
    checkUint('u32', x, 0xffffffff);
    v.setUint32(o, x, le);
  },
  (v, o, le) => v.getUint32(o, le),
);
/** Signed 32-bit integer in host order. */
export const s32: Codec<number> = fixedCodec(
  's32',
  4,
  (v, o, x, le) => {
    if (!Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) {
      throw new NetlinkEncodeError('s32', `expected a 32-bit signed integer, got ${shown(x)}`);
    }
    v.setInt32(o, x, le);
  },
  (v, o, le) => v.getInt32(o, le),
);
/** Unsigned 64-bit integer in host order, as a `bigint`. */
export const u64: Codec<bigint> = fixedCodec(
  'u64',
  8,
  (v, o, x, le) => {
    checkU64('u64', x);
    v.setBigUint64(o, x, le);
  },
  (v, o, le) => v.getBigUint64(o, le),
);
/** Signed 64-bit integer in host order, as a `bigint`. */
export const s64: Codec<bigint> = fixedCodec(
  's64',
  8,
  (v, o, x, le) => {
    if (typeof x !== 'bigint' || x < -(1n << 63n) || x >= 1n << 63n) {
      throw new NetlinkEncodeError('s64', `expected a 64-bit signed bigint, got ${shown(x)}`);
    }
    v.setBigInt64(o, x, le);
  },
  (v, o, le) => v.getBigInt64(o, le),
);

/** Opaque bytes: the whole payload, copied. */
export const bytes: Codec<Uint8Array> = {
  name: 'bytes',
  length: (x) => x.length,
  encode(view, offset, x) {
    if (!(x instanceof Uint8Array)) throw new NetlinkEncodeError('bytes', 'expected a Uint8Array');
    bytesForWrite(view, offset, x.length, 'bytes').set(x);
  },
  decode: (view, offset, available) => copyBytes(view, offset, available),
};

/** A flag attribute (`NLA_FLAG`): no payload; its presence means `true`. */
export const flag: Codec<true> = {
  name: 'flag',
  length: () => 0,
  encode() {},
  decode: () => true,
};

/** An attribute with no payload that only pads (`XFRMA_PAD`); its value is `null`. */
export const empty: Codec<null> = {
  name: 'pad',
  length: () => 0,
  encode() {},
  decode: () => null,
};

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** A NUL-terminated string (`NLA_NUL_STRING`); length includes the NUL. */
export const nulString: Codec<string> = {
  name: 'string',
  length: (x) => utf8Encoder.encode(x).length + 1,
  encode(view, offset, x) {
    if (typeof x !== 'string') throw new NetlinkEncodeError('string', 'expected a string');
    const b = utf8Encoder.encode(x);
    if (b.includes(0)) throw new NetlinkEncodeError('string', 'must not contain NUL');
    bytesForWrite(view, offset, b.length, 'string').set(b);
  },
  decode(view, offset, available) {
    const b = bytesOf(view, offset, available, 'string');
    const nul = b.indexOf(0);
    if (nul < 0) throw new NetlinkDecodeError('string', offset, 'no NUL terminator');
    const text = utf8Decoder.decode(b.subarray(0, nul));
    // A string that does not survive UTF-8 round trip would not re-encode to the same bytes.
    if (utf8Encoder.encode(text).length !== nul) {
      throw new NetlinkDecodeError('string', offset, 'not valid UTF-8');
    }
    return text;
  },
};
