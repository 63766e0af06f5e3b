/**
 * `struct xfrm_algo` from `<linux/xfrm.h>`: a crypto API algorithm name plus its key, the payload
 * of `XFRMA_ALG_CRYPT`, `XFRMA_ALG_AUTH` and `XFRMA_ALG_COMP`. The key follows the 68-byte header.
 * @module
 */
import { checkUint, type Codec } from '../../netlink/codec.js';
import { NetlinkDecodeError, NetlinkEncodeError } from '../../netlink/errors.js';
import { bytesForWrite, bytesOf, copyBytes, need } from '../../netlink/view.js';
import { XfrmKey } from '../key.js';

/** `sizeof(struct xfrm_algo)` from `<linux/xfrm.h>`: the header before the flexible `alg_key`. */
export const XFRM_ALGO_SIZE = 68;

/** `sizeof(((struct xfrm_algo *)0)->alg_name)` from `<linux/xfrm.h>`: 64 bytes including the NUL. */
export const XFRM_ALG_NAME_SIZE = 64;

/**
 * `struct xfrm_algo` from `<linux/xfrm.h>`: an algorithm and its key.
 *
 * The bytes of `alg_name` after its NUL terminator are padding: written as zero, ignored when
 * decoding (their position depends on the name, so they are not in a padding table).
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 64 | `alg_name` | | NUL-terminated crypto API name, e.g. `cbc(aes)` |
 * | 64 | 4 | `alg_key_len` | host | key length in BITS |
 * | 68 | ⌈alg_key_len/8⌉ | `alg_key` | | raw key bytes |
 */
export interface XfrmAlgo {
  /** `alg_name`: crypto API algorithm name, at most 63 bytes of UTF-8 (the kernel forces byte 63 to NUL). */
  algName: string;
  /**
   * `alg_key_len`: key length in BITS (host order). Optional when encoding: defaults to
   * `algKey.length * 8`; if given, `⌈algKeyLen / 8⌉` must equal `algKey.length`. Always set by
   * the decoder.
   */
  algKeyLen?: number;
  /** `alg_key`: the raw key bytes (⌈alg_key_len/8⌉ of them); an {@link XfrmKey} when decoded, any `Uint8Array` when encoding. */
  algKey: Uint8Array;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * @internal Write the `alg_name` of a `struct xfrm_algo`/`xfrm_algo_auth`/`xfrm_algo_aead`
 * (`<linux/xfrm.h>`) into zeroed memory; the bytes after the name stay zero.
 * @throws {@link NetlinkEncodeError} naming `what` for a non-string, a NUL inside the name, or more than 63 bytes.
 */
export function encodeXfrmAlgName(view: DataView, offset: number, name: string, what: string): void {
  if (typeof name !== 'string') throw new NetlinkEncodeError(what, 'expected a string');
  const b = utf8Encoder.encode(name);
  if (b.includes(0)) throw new NetlinkEncodeError(what, 'must not contain NUL');
  if (b.length > XFRM_ALG_NAME_SIZE - 1) {
    const max = XFRM_ALG_NAME_SIZE - 1;
    throw new NetlinkEncodeError(what, `${b.length} bytes is too long: at most ${max} fit before the NUL`);
  }
  bytesForWrite(view, offset, b.length, what).set(b);
}

/**
 * @internal Read the `alg_name` of a `struct xfrm_algo`/`xfrm_algo_auth`/`xfrm_algo_aead`
 * (`<linux/xfrm.h>`): the bytes up to the first NUL.
 * @throws {@link NetlinkDecodeError} with `what` = the struct when the 64 bytes hold no NUL or
 * the name is not valid UTF-8 (it would not re-encode to the same bytes).
 */
export function decodeXfrmAlgName(view: DataView, offset: number, what: string): string {
  const b = bytesOf(view, offset, XFRM_ALG_NAME_SIZE, what);
  const nul = b.indexOf(0);
  if (nul < 0) throw new NetlinkDecodeError(what, offset, 'alg_name has no NUL terminator');
  try {
    return utf8Decoder.decode(b.subarray(0, nul));
  } catch {
    throw new NetlinkDecodeError(what, offset, 'alg_name is not valid UTF-8');
  }
}

/**
 * @internal The `alg_key_len` (bits) to write for `key` in a `struct xfrm_algo*`
 * (`<linux/xfrm.h>`): `bits` if given and consistent with the key, else `key.length * 8`.
 * @throws {@link NetlinkEncodeError} naming `<struct>.alg_key` or `<struct>.alg_key_len`.
 */
export function xfrmAlgKeyBits(struct: string, bits: number | undefined, key: Uint8Array): number {
  if (!(key instanceof Uint8Array)) throw new NetlinkEncodeError(`${struct}.alg_key`, 'expected a Uint8Array');
  const n = bits ?? key.length * 8;
  checkUint(`${struct}.alg_key_len`, n, 0xffffffff);
  if (Math.ceil(n / 8) !== key.length) {
    throw new NetlinkEncodeError(
      `${struct}.alg_key_len`,
      `${n} bits needs ${Math.ceil(n / 8)} key bytes, alg_key has ${key.length}`,
    );
  }
  return n;
}

/**
 * @internal Copy the `alg_key` of a `struct xfrm_algo*` (`<linux/xfrm.h>`) whose header of
 * `header` bytes starts at `offset` and whose payload ends at `end`.
 * @throws {@link NetlinkDecodeError} when fewer than ⌈bits/8⌉ bytes follow the header.
 */
export function decodeXfrmAlgKey(
  view: DataView,
  offset: number,
  header: number,
  end: number,
  bits: number,
  what: string,
): XfrmKey {
  const want = Math.ceil(bits / 8);
  const have = end - offset - header;
  if (want > have) {
    const reason = `alg_key_len ${bits} bits needs ${want} key bytes, payload has ${have}`;
    throw new NetlinkDecodeError(what, offset + 64, reason);
  }
  return XfrmKey.wrap(copyBytes(view, offset + header, want, what));
}

/**
 * @internal The bytes after the key in an `XFRMA_ALG_*` attribute (its `tail`), as an
 * {@link XfrmKey}: the kernel copies them with the key, so they are treated as key material.
 */
export function decodeXfrmAlgTail(view: DataView, offset: number, length: number): Uint8Array {
  return XfrmKey.wrap(copyBytes(view, offset, length));
}

/** Bytes {@link encodeXfrmAlgo} writes for `v`: the `struct xfrm_algo` (`<linux/xfrm.h>`) header plus the key. */
export function xfrmAlgoLength(v: XfrmAlgo): number {
  return XFRM_ALGO_SIZE + v.algKey.length;
}

/**
 * Encode a `struct xfrm_algo` (`<linux/xfrm.h>`) and its key at `offset` into zeroed memory
 * ({@link xfrmAlgoLength} bytes).
 * @throws {@link NetlinkEncodeError} for a name that is not a string, contains NUL or exceeds 63
 * bytes (`xfrm_algo.alg_name`), a key that is not a `Uint8Array` (`xfrm_algo.alg_key`), or an
 * `algKeyLen` out of range or inconsistent with the key (`xfrm_algo.alg_key_len`).
 */
export function encodeXfrmAlgo(view: DataView, offset: number, v: XfrmAlgo, le: boolean): void {
  encodeXfrmAlgName(view, offset, v.algName, 'xfrm_algo.alg_name');
  const bits = xfrmAlgKeyBits('xfrm_algo', v.algKeyLen, v.algKey);
  view.setUint32(offset + 64, bits, le);
  bytesForWrite(view, offset + XFRM_ALGO_SIZE, v.algKey.length, 'xfrm_algo.alg_key').set(v.algKey);
}

/**
 * Decode a `struct xfrm_algo` (`<linux/xfrm.h>`) and its key from the `available` bytes at
 * `offset`. Uses exactly 68 + ⌈alg_key_len/8⌉ bytes; callers keep any further bytes.
 * @throws {@link NetlinkDecodeError} (`what` = `'xfrm_algo'`) if fewer than 68 bytes are
 * available, `alg_name` has no NUL or is not UTF-8, or the key is cut short.
 */
export function decodeXfrmAlgo(view: DataView, offset: number, available: number, le: boolean): XfrmAlgo {
  const end = Math.min(view.byteLength, offset + (available > 0 ? available : 0));
  need(view, offset, XFRM_ALGO_SIZE, 'xfrm_algo', end);
  const algName = decodeXfrmAlgName(view, offset, 'xfrm_algo');
  const algKeyLen = view.getUint32(offset + 64, le);
  return { algName, algKeyLen, algKey: decodeXfrmAlgKey(view, offset, XFRM_ALGO_SIZE, end, algKeyLen, 'xfrm_algo') };
}

/** {@link Codec} of `struct xfrm_algo` from `<linux/xfrm.h>` including the key that follows it. */
export const xfrmAlgoCodec: Codec<XfrmAlgo> = {
  name: 'xfrm_algo',
  length: xfrmAlgoLength,
  encode: encodeXfrmAlgo,
  decode: decodeXfrmAlgo,
  decodeTail: decodeXfrmAlgTail,
};

/**
 * @internal Byte ranges of `struct xfrm_algo` (`<linux/xfrm.h>`) that are always padding: none.
 * The bytes of `alg_name` after its NUL are padding too, but their position depends on the name.
 */
export const XFRM_ALGO_PADDING: ReadonlyArray<readonly [number, number]> = [];
